//! Times text preparation over the Reuters-21578 texts and prints MB/s and docs/s.
//!
//! Usage: `cargo run --release -p stemma-text --example prepare_bench [PATH] [ROUNDS]`
//! (default path `../shared/data/reuters21578/reuters21578.jsonl`, 3 rounds; the best round
//! is reported). Also times [`stemma_text::fingerprint_text`] alone. Besides wall-clock
//! throughput it prints throughput per CPU-second of this thread (Linux
//! `/proc/thread-self/schedstat`), which stays meaningful on a machine shared with other
//! jobs.

use std::time::Instant;

use stemma_text::{Preparer, fingerprint_text};

/// CPU time consumed by the current thread, in seconds (None off Linux).
fn thread_cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Runs `f` `rounds` times; returns the best (wall seconds, CPU seconds).
fn time_best(rounds: usize, mut f: impl FnMut()) -> (f64, f64) {
    let (mut wall, mut cpu) = (f64::MAX, f64::MAX);
    for _ in 0..rounds {
        let c0 = thread_cpu_seconds();
        let t = Instant::now();
        f();
        wall = wall.min(t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c0, thread_cpu_seconds()) {
            cpu = cpu.min(b - a);
        }
    }
    (wall, cpu)
}

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
    let (mut tokens, mut sentences) = (0usize, 0usize);
    let (wall, cpu) = time_best(rounds, || {
        let (mut tk, mut st) = (0usize, 0usize);
        for text in &texts {
            let p = preparer.prepare(text);
            tk += p.tokens.len();
            st += p.sentences.len();
        }
        (tokens, sentences) = (tk, st);
    });
    let mb = bytes as f64 / 1e6;
    println!(
        "prepare:          wall {:.1} MB/s, {:.0} docs/s | per CPU-second {:.1} MB/s, {:.0} docs/s, {:.2} M tokens/s ({tokens} tokens, {sentences} sentences, best of {rounds})",
        mb / wall,
        texts.len() as f64 / wall,
        mb / cpu,
        texts.len() as f64 / cpu,
        tokens as f64 / 1e6 / cpu
    );

    let mut langs = std::collections::BTreeMap::new();
    for text in &texts {
        *langs
            .entry(preparer.prepare(text).language.code())
            .or_insert(0usize) += 1;
    }
    println!("languages detected: {langs:?}");

    let mut acc = 0u64;
    let (wall, cpu) = time_best(rounds, || {
        for text in &texts {
            acc ^= fingerprint_text(text);
        }
    });
    println!(
        "fingerprint_text: wall {:.1} MB/s, {:.0} docs/s | per CPU-second {:.1} MB/s, {:.0} docs/s (xor {acc:016x})",
        mb / wall,
        texts.len() as f64 / wall,
        mb / cpu,
        texts.len() as f64 / cpu
    );
}
