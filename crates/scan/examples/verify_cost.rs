//! Where verification time goes: re-preparing texts vs comparing pairs (single thread).
//!
//! ```text
//! cargo run --release -p stemma-scan --example verify_cost -- CORPUS.jsonl [MAX_PAIRS]
//! ```

use std::time::Instant;
use stemma_compare::{Comparer, Document};
use stemma_scan::{InputDoc, ScanOptions, Scanner};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: verify_cost CORPUS.jsonl [MAX_PAIRS]");
        std::process::exit(2);
    };
    let max: usize = args.get(1).and_then(|x| x.parse().ok()).unwrap_or(5000);
    let mut scanner = Scanner::new(ScanOptions::default());
    let mut batch = Vec::new();
    for line in std::fs::read_to_string(path).expect("read corpus").lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let Some(text) = v["text"].as_str() else {
            continue;
        };
        batch.push(InputDoc {
            id: v["id"].to_string(),
            text: text.to_string(),
            date: None,
            source: None,
            decoding: None,
        });
    }
    scanner.add_batch(batch).expect("sketch");
    let mut cands = scanner.finish_candidates().expect("candidates").to_vec();
    cands.sort_unstable_by_key(|c| (c.a, c.b));
    cands.truncate(max);
    let mut ids: Vec<u32> = cands.iter().flat_map(|c| [c.a, c.b]).collect();
    ids.sort_unstable();
    ids.dedup();
    let t0 = Instant::now();
    let prepared: Vec<(String, stemma_text::PreparedText)> = ids
        .iter()
        .map(|&d| {
            let t = scanner.text(d).expect("text");
            let p = stemma_text::prepare(&t);
            (t, p)
        })
        .collect();
    let t_prep = t0.elapsed();
    let comparer = Comparer::default();
    let get = |d: u32| {
        let (t, p) = &prepared[ids.binary_search(&d).expect("doc")];
        Document::new(t, p)
    };
    let t1 = Instant::now();
    let mut related = 0;
    for c in &cands {
        related += comparer
            .compare(&get(c.a), &get(c.b))
            .relation
            .is_derivation() as usize;
    }
    let t_cmp = t1.elapsed();
    println!(
        "{} pairs, {} distinct documents: prepare {:.3} ms/doc ({:.2} s), compare {:.3} ms/pair ({:.2} s), {} derivations",
        cands.len(),
        ids.len(),
        t_prep.as_secs_f64() * 1e3 / ids.len().max(1) as f64,
        t_prep.as_secs_f64(),
        t_cmp.as_secs_f64() * 1e3 / cands.len().max(1) as f64,
        t_cmp.as_secs_f64(),
        related
    );
}
