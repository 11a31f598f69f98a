//! Calibrates the lexical sentence scorer: picks on MRPC train the threshold with the best
//! accuracy (the paraphrase threshold) and the lowest threshold reaching 90% precision, and
//! prints their accuracy / precision / recall / F1 on MRPC train and validation, plus Spearman
//! on STS-B dev. `--grid` adds the best train accuracy of a few weight variants.
//!
//! `cargo run --release -p stemma-eval --example scorer_calibration [-- DATA_DIR] [--grid]`
//!
//! `stemma eval sentences` gives the validation figures at the configured threshold; this
//! example is the tuning aid behind that threshold.

use std::path::Path;

use stemma_align::{LexicalScorer, SentenceScorer};
use stemma_eval::metrics::sentences::{
    ClassificationScores, SentencePair, classification, read_mrpc, read_stsb, scorer_fn, spearman,
};

fn scores(pairs: &[SentencePair], scorer: &LexicalScorer) -> (Vec<f64>, Vec<f64>) {
    let f = scorer_fn(scorer.clone());
    pairs.iter().map(|p| (f(&p.a, &p.b), p.gold)).unzip()
}

fn thresholds() -> impl Iterator<Item = f64> {
    (10..=95).map(|i| f64::from(i) / 100.0)
}

fn line(c: &ClassificationScores) -> String {
    format!(
        "acc {:.3} P {:.3} R {:.3} F1 {:.3}",
        c.accuracy, c.precision, c.recall, c.f1
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map_or("../shared/data", |s| s);
    let dir = Path::new(dir);
    let scorer = LexicalScorer::default();
    let train = read_mrpc(&dir.join("mrpc/msr-para-train.tsv"))?;
    let val = read_mrpc(&dir.join("mrpc/msr-para-val.tsv"))?;
    let (train_s, train_g) = scores(&train, &scorer);
    let (val_s, val_g) = scores(&val, &scorer);
    let on_train = |t| classification(&train_s, &train_g, t);
    let best_acc = thresholds()
        .max_by(|&x, &y| on_train(x).accuracy.total_cmp(&on_train(y).accuracy))
        .unwrap_or(0.5);
    let precise = thresholds()
        .find(|&t| on_train(t).precision >= 0.9)
        .unwrap_or(0.9);
    println!(
        "MRPC train pairs: {}, validation pairs: {}",
        train.len(),
        val.len()
    );
    let configured = scorer.thresholds();
    println!("configured thresholds: {configured:?}");
    for (name, t) in [
        ("best-accuracy threshold (train)", best_acc),
        ("90%-precision threshold (train)", precise),
        ("configured paraphrase", configured.paraphrase),
        ("configured strong", configured.strong),
    ] {
        let v = classification(&val_s, &val_g, t);
        println!(
            "{name} {t:.2}: train {} | val {}",
            line(&on_train(t)),
            line(&v)
        );
    }
    let majority = val_g.iter().filter(|&&g| g >= 0.5).count() as f64 / val.len().max(1) as f64;
    println!("val majority-class accuracy: {majority:.3}");
    let dev = read_stsb(&dir.join("stsb/sts-dev.csv"))?;
    let (dev_s, dev_g) = scores(&dev, &scorer);
    println!(
        "STS-B dev pairs: {}, Spearman {:.3}",
        dev.len(),
        spearman(&dev_s, &dev_g)
    );
    if args.iter().any(|a| a == "--grid") {
        grid(&train, &scorer);
    }
    Ok(())
}

/// Best train accuracy (over thresholds) of a few weight variants.
fn grid(train: &[SentencePair], base: &LexicalScorer) {
    let variant = |name: &'static str, edit: fn(&mut LexicalScorer)| {
        let mut s = base.clone();
        edit(&mut s);
        (name, s)
    };
    let variants = [
        variant("default", |_| {}),
        variant("names 1.0", |s| s.weights.name = 1.0),
        variant("names 1.3", |s| s.weights.name = 1.3),
        variant("names 1.3, length 0.03", |s| {
            s.weights.name = 1.3;
            s.weights.length = 0.03;
            s.weights.word = 1.1;
        }),
        variant("names 1.0, no length factor", |s| {
            s.weights.name = 1.0;
            s.weights.length = 0.0;
        }),
        variant("containment 0.6", |s| s.weights.containment = 0.6),
        variant("containment 0.7", |s| s.weights.containment = 0.7),
        variant("numbers 2.5", |s| s.weights.number = 2.5),
        variant("no length factor", |s| {
            s.weights.length = 0.0;
            s.weights.word = 1.25;
        }),
        variant("no soft match", |s| s.weights.soft_min = 1.01),
        variant("soft_min 0.4", |s| s.weights.soft_min = 0.4),
        variant("no damping", |s| s.weights.small_weight = 0.0),
    ];
    for (name, sc) in variants {
        let (s, g) = scores(train, &sc);
        let best = thresholds()
            .map(|t| classification(&s, &g, t))
            .max_by(|x, y| x.accuracy.total_cmp(&y.accuracy));
        if let Some(b) = best {
            println!(
                "grid {name}: best train accuracy {:.3} at {:.2}",
                b.accuracy, b.threshold
            );
        }
    }
}
