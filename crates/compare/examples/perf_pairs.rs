//! Correctness gate for performance work: compares the first N pairs of a scan's
//! `pairs.jsonl` again and prints the JSON of every comparison, plus a hash of every
//! document's preparation, so outputs can be diffed before and after an optimization.
//!
//! ```text
//! cargo run --release -p stemma-compare --example perf_pairs -- CORPUS.jsonl PAIRS.jsonl [N] > out.txt
//! ```
//!
//! With `BENCH=1` in the environment nothing is printed but the time spent preparing the
//! documents of the pairs and comparing the pairs (single thread), for profiling. With
//! `CACHED=1` every document's `Comparer::document_features` are made once and pairs are
//! compared with `Comparer::compare_features` (same output expected).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::Write;

use stemma_compare::{Comparer, Document, parse_date};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(corpus), Some(pairs)) = (args.first(), args.get(1)) else {
        eprintln!("usage: perf_pairs CORPUS.jsonl PAIRS.jsonl [N]");
        std::process::exit(2);
    };
    let max: usize = args.get(2).and_then(|x| x.parse().ok()).unwrap_or(5000);
    let mut docs: HashMap<String, (String, Option<i64>)> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for line in std::fs::read_to_string(corpus)
        .expect("read corpus")
        .lines()
    {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let (Some(id), Some(text)) = (v["id"].as_str(), v["text"].as_str()) else {
            continue;
        };
        let date = v["date"].as_str().and_then(parse_date);
        order.push(id.to_string());
        docs.insert(id.to_string(), (text.to_string(), date));
    }
    let text = std::fs::read_to_string(pairs).expect("read pairs");
    let pairs: Vec<(String, String)> = text
        .lines()
        .take(max)
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("pair json");
            let id = |k: &str| v[k].as_str().expect("pair id").to_string();
            (id("a_id"), id("b_id"))
        })
        .collect();
    if std::env::var_os("BENCH").is_some() {
        bench(&docs, &pairs);
        return;
    }
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    // Preparation of every document, hashed (Debug form covers every field).
    let mut prepared: HashMap<&str, stemma_text::PreparedText> = HashMap::new();
    for id in &order {
        let p = stemma_text::prepare(&docs[id].0);
        let mut h = std::collections::hash_map::DefaultHasher::new();
        format!("{p:?}").hash(&mut h);
        writeln!(out, "prep {id} {:016x}", h.finish()).expect("write");
        prepared.insert(id.as_str(), p);
    }
    let comparer = Comparer::default();
    let cached = std::env::var_os("CACHED").is_some();
    let doc = |id: &str| {
        let (t, d) = &docs[id];
        Document::new(t, &prepared[id]).with_date(*d)
    };
    let features: HashMap<&str, _> = if cached {
        pairs
            .iter()
            .flat_map(|(a, b)| [a.as_str(), b.as_str()])
            .map(|id| (id, comparer.document_features(&doc(id))))
            .collect()
    } else {
        HashMap::new()
    };
    for (a, b) in &pairs {
        let (a, b) = (a.as_str(), b.as_str());
        let c = if cached {
            comparer.compare_features(&doc(a), &features[a], &doc(b), &features[b])
        } else {
            comparer.compare(&doc(a), &doc(b))
        };
        writeln!(
            out,
            "{a} {b} {}",
            serde_json::to_string(&c).expect("serialize")
        )
        .expect("write");
    }
}

/// Times preparation of the documents of `pairs` and comparison of the pairs.
fn bench(docs: &HashMap<String, (String, Option<i64>)>, pairs: &[(String, String)]) {
    let mut ids: Vec<&str> = pairs
        .iter()
        .flat_map(|(a, b)| [a.as_str(), b.as_str()])
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let t0 = std::time::Instant::now();
    let prepared: HashMap<&str, stemma_text::PreparedText> = ids
        .iter()
        .map(|&id| (id, stemma_text::prepare(&docs[id].0)))
        .collect();
    let t_prep = t0.elapsed();
    let comparer = Comparer::default();
    let doc = |id: &str| {
        let (t, d) = &docs[id];
        Document::new(t, &prepared[id]).with_date(*d)
    };
    let t1 = std::time::Instant::now();
    let mut derived = 0usize;
    if std::env::var_os("CACHED").is_some() {
        let features: HashMap<&str, _> = ids
            .iter()
            .map(|&id| (id, comparer.document_features(&doc(id))))
            .collect();
        for (a, b) in pairs {
            let (a, b) = (a.as_str(), b.as_str());
            let c = comparer.compare_features(&doc(a), &features[a], &doc(b), &features[b]);
            derived += usize::from(c.relation.is_derivation());
        }
    } else {
        for (a, b) in pairs {
            let c = comparer.compare(&doc(a), &doc(b));
            derived += usize::from(c.relation.is_derivation());
        }
    }
    let t_cmp = t1.elapsed();
    println!(
        "{} pairs, {} documents: prepare {:.3} ms/doc, compare {:.3} ms/pair, {} derivations",
        pairs.len(),
        ids.len(),
        t_prep.as_secs_f64() * 1e3 / ids.len().max(1) as f64,
        t_cmp.as_secs_f64() * 1e3 / pairs.len().max(1) as f64,
        derived
    );
}
