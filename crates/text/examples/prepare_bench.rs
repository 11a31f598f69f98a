//! Times text preparation over the Reuters-21578 texts and prints MB/s and docs/s.
//!
//! Usage: `cargo run --release -p stemma-text --example prepare_bench [PATH] [ROUNDS]`
//! (default path `../shared/data/reuters21578/reuters21578.jsonl`, 3 rounds; the best round
//! is reported). Also times [`stemma_text::fingerprint_text`] alone.

use std::time::Instant;

use stemma_text::{Preparer, fingerprint_text};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "../shared/data/reuters21578/reuters21578.jsonl".to_string());
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let data = match std::fs::read_to_string(&path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    let texts: Vec<String> = data
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "{} documents, {:.2} MB of text from {path}",
        texts.len(),
        bytes as f64 / 1e6
    );

    let preparer = Preparer::new();
    let (mut best, mut tokens, mut sentences) = (f64::MAX, 0usize, 0usize);
    for _ in 0..rounds {
        let t = Instant::now();
        let (mut tk, mut st) = (0usize, 0usize);
        for text in &texts {
            let p = preparer.prepare(text);
            tk += p.tokens.len();
            st += p.sentences.len();
        }
        best = best.min(t.elapsed().as_secs_f64());
        (tokens, sentences) = (tk, st);
    }
    println!(
        "prepare:          {:.1} MB/s, {:.0} docs/s, {:.2} M tokens/s ({tokens} tokens, {sentences} sentences, best of {rounds})",
        bytes as f64 / 1e6 / best,
        texts.len() as f64 / best,
        tokens as f64 / 1e6 / best
    );

    let mut best_fp = f64::MAX;
    let mut acc = 0u64;
    for _ in 0..rounds {
        let t = Instant::now();
        for text in &texts {
            acc ^= fingerprint_text(text);
        }
        best_fp = best_fp.min(t.elapsed().as_secs_f64());
    }
    println!(
        "fingerprint_text: {:.1} MB/s, {:.0} docs/s (xor {acc:016x})",
        bytes as f64 / 1e6 / best_fp,
        texts.len() as f64 / best_fp
    );
}
