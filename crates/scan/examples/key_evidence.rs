//! Passage-key evidence of every document pair sharing keys, for candidate-rule studies.
//!
//! ```text
//! cargo run --release -p stemma-scan --example key_evidence -- DIR/corpus.jsonl DIR/truth.jsonl OUT.tsv
//! ```
//! Reads the corpus in file order (query, then insert, like the scan) and writes one line per
//! pair sharing at least two passage keys, or labelled in the truth and sharing any:
//! `a b keys_a keys_b shared shared_rare label` — `shared_rare` counts the shared keys that no
//! other earlier document holds (document frequency 1 when the later document asks), keys over
//! the scan's document-frequency cap (64) left out as the index does; `label` is the truth's
//! obfuscation (or relation), `-` for unlabelled pairs.

use std::collections::HashMap;
use std::io::Write;
use stemma_scan::candidates::{CandidateOptions, Sketcher};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 3 {
        eprintln!("usage: key_evidence corpus.jsonl truth.jsonl OUT.tsv");
        std::process::exit(2);
    }
    let mut docs: Vec<(String, String)> = Vec::new();
    for line in std::fs::read_to_string(&args[0])
        .expect("read corpus")
        .lines()
    {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if let (Some(id), Some(t)) = (v["id"].as_str(), v["text"].as_str()) {
            docs.push((id.to_string(), t.to_string()));
        }
    }
    let index: HashMap<&str, u32> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.0.as_str(), i as u32))
        .collect();
    let mut labels: HashMap<(u32, u32), String> = HashMap::new();
    for line in std::fs::read_to_string(&args[1])
        .expect("read truth")
        .lines()
    {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let (Some(a), Some(b)) = (v["a_id"].as_str(), v["b_id"].as_str()) else {
            continue;
        };
        let label = v["obfuscation"]
            .as_str()
            .or(v["relation"].as_str())
            .unwrap_or("?");
        if let (Some(&x), Some(&y)) = (index.get(a), index.get(b)) {
            labels.insert((x.min(y), x.max(y)), label.replace(' ', "_"));
        }
    }
    let opts = CandidateOptions::default();
    let sketches: Vec<Vec<u64>> = {
        use rayon::prelude::*;
        let sk = Sketcher::new(&opts);
        docs.par_iter()
            .map(|d| sk.sketch(&d.1, &stemma_text::prepare(&d.1)).passage)
            .collect()
    };
    let cap = opts.passage_df_cap;
    let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
    let mut w = std::io::BufWriter::new(std::fs::File::create(&args[2]).expect("create out"));
    let mut shared: HashMap<u32, (u32, u32)> = HashMap::new();
    for (b, keys) in sketches.iter().enumerate() {
        let b = b as u32;
        shared.clear();
        for k in keys {
            if let Some(p) = postings.get(k)
                && p.len() <= cap
            {
                for &a in p {
                    let e = shared.entry(a).or_default();
                    e.0 += 1;
                    e.1 += u32::from(p.len() == 1);
                }
            }
        }
        let mut found: Vec<_> = shared.iter().map(|(&a, &s)| (a, s)).collect();
        found.sort_unstable();
        for (a, (n, rare)) in found {
            let label = labels.get(&(a, b));
            if n >= 2 || label.is_some() {
                writeln!(
                    w,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    docs[a as usize].0,
                    docs[b as usize].0,
                    sketches[a as usize].len(),
                    keys.len(),
                    n,
                    rare,
                    label.map_or("-", String::as_str)
                )
                .expect("write");
            }
        }
        for k in keys {
            postings.entry(*k).or_default().push(b);
        }
    }
}
