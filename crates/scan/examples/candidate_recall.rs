//! Candidate recall of the scan signals, measured apart from verification.
//!
//! ```text
//! # a labelled folder: DIR/*.txt + pairs.jsonl lines {"a": name, "b": name, "relation": ...}
//! cargo run --release -p stemma-scan --example candidate_recall -- fixtures/eval/docs fixtures/eval/pairs.jsonl
//! # a generated corpus: corpus.jsonl (id, text) + truth.jsonl (a/b or a_id/b_id, relation)
//! cargo run --release -p stemma-scan --example candidate_recall -- DIR/corpus.jsonl DIR/truth.jsonl
//! # two files: shared keys per setting
//! cargo run --release -p stemma-scan --example candidate_recall -- --pair A.txt B.txt
//! ```
//! Settings via env: K (anchors per sentence, 4), MIN (min shared keys, 2), SAMPLE (1), DF (64),
//! FRAC_PCT (min shared fraction of the smaller document's keys, in percent, 10).

use std::collections::{HashMap, HashSet};
use stemma_scan::candidates::{CandidateFinder, CandidateOptions, Signal, Sketcher};
use stemma_sketch::passage::{PassageParams, document_keys, shared_count};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn jaccard5(a: &str, b: &str) -> f64 {
    let sh = |t: &str| -> HashSet<Vec<String>> {
        let p = stemma_text::prepare(t);
        let w: Vec<String> = p.tokens.iter().map(|t| t.norm.clone()).collect();
        w.windows(5).map(|x| x.to_vec()).collect()
    };
    let (x, y) = (sh(a), sh(b));
    x.intersection(&y).count() as f64 / x.union(&y).count().max(1) as f64
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--pair") && args.len() == 3 {
        let a = std::fs::read_to_string(&args[1]).expect("read A");
        let b = std::fs::read_to_string(&args[2]).expect("read B");
        let (pa, pb) = (stemma_text::prepare(&a), stemma_text::prepare(&b));
        println!("5-gram Jaccard {:.3}", jaccard5(&a, &b));
        println!(
            "sentences A {} B {}",
            pa.sentences.len(),
            pb.sentences.len()
        );
        for k in [3, 4, 5, 6] {
            for sample in [1, 2, 4] {
                let p = PassageParams {
                    per_sentence: k,
                    sample,
                    ..PassageParams::default()
                };
                let (ka, kb) = (document_keys(&pa, &p), document_keys(&pb, &p));
                println!(
                    "k={k} sample=1/{sample}: keys A {} B {} shared {}",
                    ka.len(),
                    kb.len(),
                    shared_count(&ka, &kb)
                );
            }
        }
        return;
    }
    if args.len() != 2 {
        eprintln!(
            "usage: candidate_recall DOCS_DIR|corpus.jsonl pairs.jsonl|truth.jsonl | --pair A B"
        );
        std::process::exit(2);
    }
    let mut docs: Vec<(String, String)> = Vec::new();
    if args[0].ends_with(".jsonl") {
        for line in std::fs::read_to_string(&args[0])
            .expect("read corpus")
            .lines()
        {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let id = match &v["id"] {
                serde_json::Value::String(s) => s.clone(),
                x => x.to_string(),
            };
            if let Some(t) = v["text"].as_str() {
                docs.push((id, t.to_string()));
            }
        }
    } else {
        let mut names: Vec<_> = std::fs::read_dir(&args[0])
            .expect("read dir")
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        names.sort();
        for p in names {
            let id = p.file_stem().unwrap().to_string_lossy().to_string();
            docs.push((id, std::fs::read_to_string(&p).expect("read doc")));
        }
    }
    let index: HashMap<&str, u32> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.0.as_str(), i as u32))
        .collect();
    let mut truth: Vec<(u32, u32, String)> = Vec::new();
    for line in std::fs::read_to_string(&args[1])
        .expect("read pairs")
        .lines()
    {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let get = |k1: &str, k2: &str| {
            v[k1]
                .as_str()
                .or_else(|| v[k2].as_str())
                .map(str::to_string)
        };
        let (Some(a), Some(b)) = (get("a", "a_id"), get("b", "b_id")) else {
            continue;
        };
        let rel = v["relation"].as_str().unwrap_or("?").to_string();
        if let (Some(&x), Some(&y)) = (index.get(a.as_str()), index.get(b.as_str())) {
            truth.push((x.min(y), x.max(y), rel));
        }
    }
    let mut opts = CandidateOptions::default();
    opts.passage.per_sentence = env("K", 4) as usize;
    opts.passage.sample = env("SAMPLE", 1);
    opts.min_shared_keys = env("MIN", 2) as u32;
    opts.passage_df_cap = env("DF", 64) as usize;
    opts.min_shared_fraction = env("FRAC_PCT", 10) as f64 / 100.0;
    let t0 = std::time::Instant::now();
    let sketches: Vec<_> = {
        use rayon::prelude::*;
        let sk = Sketcher::new(&opts);
        docs.par_iter()
            .map(|d| sk.sketch(&d.1, &stemma_text::prepare(&d.1)))
            .collect()
    };
    let t_sketch = t0.elapsed();
    let mut finder = CandidateFinder::in_memory(&opts);
    for (i, s) in sketches.iter().enumerate() {
        finder.add(i as u32, None, s);
    }
    let cands = finder.finish();
    let t_all = t0.elapsed();
    let found: HashMap<(u32, u32), u8> = cands.iter().map(|c| ((c.a, c.b), c.signals)).collect();
    let keys_per_doc =
        sketches.iter().map(|s| s.passage.len()).sum::<usize>() as f64 / docs.len().max(1) as f64;
    println!(
        "docs {}  labelled pairs {}  K={} MIN={} FRAC={} SAMPLE={} DF={}",
        docs.len(),
        truth.len(),
        opts.passage.per_sentence,
        opts.min_shared_keys,
        opts.min_shared_fraction,
        opts.passage.sample,
        opts.passage_df_cap
    );
    println!(
        "candidates {} ({:.2}/doc; exact {}, minhash {}, passage {}), passage keys/doc {:.1}",
        cands.len(),
        cands.len() as f64 / docs.len().max(1) as f64,
        finder.stats().exact,
        finder.stats().minhash,
        finder.stats().passage,
        keys_per_doc
    );
    println!(
        "time: sketch {:.2}s, index {:.2}s",
        t_sketch.as_secs_f64(),
        (t_all - t_sketch).as_secs_f64()
    );
    let mut rels: Vec<String> = truth.iter().map(|t| t.2.clone()).collect();
    rels.sort();
    rels.dedup();
    println!("relation          n  any  exact minhash passage");
    for r in &rels {
        let ts: Vec<_> = truth.iter().filter(|t| &t.2 == r).collect();
        let c = |s: Option<Signal>| {
            ts.iter()
                .filter(|t| {
                    found
                        .get(&(t.0, t.1))
                        .is_some_and(|&bits| s.is_none_or(|s| bits & s.bit() != 0))
                })
                .count()
        };
        println!(
            "{r:<15} {:>4} {:>4} {:>6} {:>7} {:>7}",
            ts.len(),
            c(None),
            c(Some(Signal::Exact)),
            c(Some(Signal::MinHash)),
            c(Some(Signal::Passage))
        );
    }
    if let Ok(path) = std::env::var("DUMP") {
        // Every candidate with its key counts and label, for threshold studies.
        use std::io::Write;
        let labels: HashMap<(u32, u32), &str> =
            truth.iter().map(|t| ((t.0, t.1), t.2.as_str())).collect();
        let mut w = std::io::BufWriter::new(std::fs::File::create(path).expect("create dump"));
        for c in &cands {
            let (ka, kb) = (
                sketches[c.a as usize].passage.len(),
                sketches[c.b as usize].passage.len(),
            );
            let label = labels.get(&(c.a, c.b)).copied().unwrap_or("-");
            writeln!(
                w,
                "{}\t{}\t{}\t{}\t{}\t{}",
                c.shared_keys, ka, kb, c.signals, c.shared_bands, label
            )
            .expect("write dump");
        }
    }
    if std::env::var("VERBOSE").is_ok() {
        for t in &truth {
            let sk = shared_count(
                &sketches[t.0 as usize].passage,
                &sketches[t.1 as usize].passage,
            );
            println!(
                "{} {} {} shared_keys={} found={}",
                docs[t.0 as usize].0,
                docs[t.1 as usize].0,
                t.2,
                sk,
                found.contains_key(&(t.0, t.1))
            );
        }
    }
}
