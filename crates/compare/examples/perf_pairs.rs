//! Correctness gate for performance work: compares the first N pairs of a scan's
//! `pairs.jsonl` again and prints the JSON of every comparison, plus a hash of every
//! document's preparation, so outputs can be diffed before and after an optimization.
//!
//! ```text
//! cargo run --release -p stemma-compare --example perf_pairs -- CORPUS.jsonl PAIRS.jsonl [N] > out.txt
//! ```
//!
//! With `BENCH=1` in the environment nothing is printed but the time spent preparing the
//! documents of the pairs and comparing the pairs (single thread), for profiling.

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
    for (a, b) in &pairs {
        let (a, b) = (a.as_str(), b.as_str());
        let (ta, da) = &docs[a];
        let (tb, db) = &docs[b];
        let c = comparer.compare(
            &Document::new(ta, &prepared[a]).with_date(*da),
            &Document::new(tb, &prepared[b]).with_date(*db),
        );
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
    let t1 = std::time::Instant::now();
    let mut derived = 0usize;
    for (a, b) in pairs {
        let (ta, da) = &docs[a];
        let (tb, db) = &docs[b];
        let c = comparer.compare(
            &Document::new(ta, &prepared[a.as_str()]).with_date(*da),
            &Document::new(tb, &prepared[b.as_str()]).with_date(*db),
        );
        derived += usize::from(c.relation.is_derivation());
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
