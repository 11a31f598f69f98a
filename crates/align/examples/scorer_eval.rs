//! Calibrates and evaluates the lexical sentence scorer.
//!
//! Reads MRPC (`msr-para-train.tsv`, `msr-para-val.tsv`) and STS-B (`sts-dev.csv`) from a data
//! folder (default `../shared/data`), picks on MRPC train the threshold with the best accuracy
//! (the paraphrase threshold) and the lowest threshold reaching 90% precision (the strong
//! threshold), and prints accuracy / F1 on MRPC validation and Spearman correlation on STS-B dev.
//!
//! `cargo run --release -p stemma-align --example scorer_eval [-- DATA_DIR]`

use std::path::Path;

use stemma_align::{AlignInput, LexicalScorer, SentenceScorer};

fn read(path: &Path) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(s) => Some(s),
        Err(e) => {
            eprintln!("cannot read {}: {e}", path.display());
            None
        }
    }
}

/// (label, s1, s2) from an MRPC TSV (header skipped, split on TABs, no quoting).
fn mrpc(text: &str) -> Vec<(bool, String, String)> {
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c.len() >= 5).then(|| (c[0].trim() == "1", c[3].to_string(), c[4].to_string()))
        })
        .collect()
}

/// (score, s1, s2) from STS-B (TSV, no header, columns genre file year id score s1 s2).
fn sts(text: &str) -> Vec<(f64, String, String)> {
    text.lines()
        .filter_map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            if c.len() < 7 {
                return None;
            }
            let score: f64 = c[4].trim().parse().ok()?;
            Some((score, c[5].to_string(), c[6].to_string()))
        })
        .collect()
}

fn sim(scorer: &LexicalScorer, x: &str, y: &str) -> f64 {
    let (px, py) = (stemma_text::prepare(x), stemma_text::prepare(y));
    let fx = scorer.features(AlignInput::new(x, &px));
    let fy = scorer.features(AlignInput::new(y, &py));
    scorer.score(&fx, 0..scorer.len(&fx), &fy, 0..scorer.len(&fy))
}

fn metrics(scores: &[(bool, f64)], t: f64) -> (f64, f64, f64, f64) {
    let (mut tp, mut fp, mut tn, mut fneg) = (0.0, 0.0, 0.0, 0.0);
    for &(y, s) in scores {
        match (y, s >= t) {
            (true, true) => tp += 1.0,
            (false, true) => fp += 1.0,
            (false, false) => tn += 1.0,
            (true, false) => fneg += 1.0,
        }
    }
    let acc = (tp + tn) / scores.len().max(1) as f64;
    let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
    let r = if tp + fneg > 0.0 {
        tp / (tp + fneg)
    } else {
        0.0
    };
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (acc, p, r, f1)
}

fn ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for k in &idx[i..=j] {
            r[*k] = avg;
        }
        i = j + 1;
    }
    r
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    sxy / (sxx.sqrt() * syy.sqrt()).max(1e-12)
}

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .unwrap_or_else(|| "../shared/data".to_string());
    let dir = Path::new(&dir);
    let scorer = LexicalScorer::default();
    let Some(train) = read(&dir.join("mrpc/msr-para-train.tsv")) else {
        return;
    };
    let Some(val) = read(&dir.join("mrpc/msr-para-val.tsv")) else {
        return;
    };
    let train: Vec<(bool, f64)> = mrpc(&train)
        .iter()
        .map(|(y, a, b)| (*y, sim(&scorer, a, b)))
        .collect();
    let val: Vec<(bool, f64)> = mrpc(&val)
        .iter()
        .map(|(y, a, b)| (*y, sim(&scorer, a, b)))
        .collect();
    let grid: Vec<f64> = (10..=95).map(|i| i as f64 / 100.0).collect();
    let best_acc = grid
        .iter()
        .copied()
        .max_by(|&x, &y| metrics(&train, x).0.total_cmp(&metrics(&train, y).0))
        .unwrap_or(0.5);
    let strong = grid
        .iter()
        .copied()
        .find(|&t| metrics(&train, t).1 >= 0.9)
        .unwrap_or(0.9);
    println!(
        "MRPC train pairs: {}, validation pairs: {}",
        train.len(),
        val.len()
    );
    println!("configured thresholds: {:?}", scorer.thresholds);
    for (name, t) in [
        ("best-accuracy threshold (train)", best_acc),
        ("90%-precision threshold (train)", strong),
        ("configured paraphrase", scorer.thresholds.paraphrase),
        ("configured strong", scorer.thresholds.strong),
    ] {
        let (a, p, r, f) = metrics(&train, t);
        let (va, vp, vr, vf) = metrics(&val, t);
        println!(
            "{name} {t:.2}: train acc {a:.3} P {p:.3} R {r:.3} F1 {f:.3} | val acc {va:.3} P {vp:.3} R {vr:.3} F1 {vf:.3}"
        );
    }
    if std::env::args().any(|a| a == "--grid") {
        grid_search(dir);
    }
    let majority = val.iter().filter(|x| x.0).count() as f64 / val.len().max(1) as f64;
    println!("val majority-class accuracy: {majority:.3}");
    if let Some(dev) = read(&dir.join("stsb/sts-dev.csv")) {
        let rows = sts(&dev);
        let gold: Vec<f64> = rows.iter().map(|r| r.0).collect();
        let pred: Vec<f64> = rows.iter().map(|r| sim(&scorer, &r.1, &r.2)).collect();
        let rho = pearson(&ranks(&gold), &ranks(&pred));
        println!("STS-B dev pairs: {}, Spearman {rho:.3}", rows.len());
    }
}

/// Best train accuracy (over thresholds) of a few weight variants (`--grid`).
fn grid_search(dir: &Path) {
    let Some(train) = read(&dir.join("mrpc/msr-para-train.tsv")) else {
        return;
    };
    let rows = mrpc(&train);
    let prepared: Vec<(bool, String, String, _, _)> = rows
        .into_iter()
        .map(|(y, a, b)| {
            let (pa, pb) = (stemma_text::prepare(&a), stemma_text::prepare(&b));
            (y, a, b, pa, pb)
        })
        .collect();
    let base = LexicalScorer::default();
    let variants: Vec<(&str, LexicalScorer)> = vec![
        ("default", base.clone()),
        ("names 1.0", {
            let mut s = base.clone();
            s.weights.name = 1.0;
            s
        }),
        ("names 1.3", {
            let mut s = base.clone();
            s.weights.name = 1.3;
            s
        }),
        ("names 1.3, length 0.03", {
            let mut s = base.clone();
            s.weights.name = 1.3;
            s.weights.length = 0.03;
            s.weights.word = 1.1;
            s
        }),
        ("names 1.0, no length factor", {
            let mut s = base.clone();
            s.weights.name = 1.0;
            s.weights.length = 0.0;
            s
        }),
        ("containment 0.6", {
            let mut s = base.clone();
            s.weights.containment = 0.6;
            s
        }),
        ("containment 0.7", {
            let mut s = base.clone();
            s.weights.containment = 0.7;
            s
        }),
        ("numbers 2.5", {
            let mut s = base.clone();
            s.weights.number = 2.5;
            s
        }),
        ("no length factor", {
            let mut s = base.clone();
            s.weights.length = 0.0;
            s.weights.word = 1.25;
            s
        }),
        ("no soft match", {
            let mut s = base.clone();
            s.weights.soft_min = 1.01;
            s
        }),
        ("soft_min 0.4", {
            let mut s = base.clone();
            s.weights.soft_min = 0.4;
            s
        }),
        ("no damping", {
            let mut s = base.clone();
            s.weights.small_weight = 0.0;
            s
        }),
    ];
    for (name, sc) in variants {
        let scores: Vec<(bool, f64)> = prepared
            .iter()
            .map(|(y, a, b, pa, pb)| {
                let fa = sc.features(AlignInput::new(a, pa));
                let fb = sc.features(AlignInput::new(b, pb));
                (*y, sc.score(&fa, 0..sc.len(&fa), &fb, 0..sc.len(&fb)))
            })
            .collect();
        let (t, acc) = (10..=95)
            .map(|i| i as f64 / 100.0)
            .map(|t| (t, metrics(&scores, t).0))
            .fold((0.0, 0.0), |b, x| if x.1 > b.1 { x } else { b });
        println!("grid {name}: best train accuracy {acc:.3} at {t:.2}");
    }
}
