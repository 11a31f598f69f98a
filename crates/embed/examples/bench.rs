//! Prints encoding speed: sentences per second of wall time and per CPU-second.
//!
//! `cargo run --release -p stemma-embed --example bench -- [SENTENCES_FILE] [N]`
//! Without a file, the first sentences of `../shared/data/stsb/sts-dev.csv` are used. The
//! machine may be shared: CPU seconds (from /proc/self/stat) are the steadier figure.

use std::time::Instant;
use stemma_embed::{Embedder, QUERY_PREFIX};

/// User + system CPU seconds of this process (Linux), if known.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = Embedder::find(None).ok_or("no model: run scripts/fetch-model.sh")?;
    let n: usize = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(400);
    let text = match args.first() {
        Some(f) => std::fs::read_to_string(f)?,
        None => std::fs::read_to_string("../shared/data/stsb/sts-dev.csv")
            .or_else(|_| std::fs::read_to_string("../../../shared/data/stsb/sts-dev.csv"))?
            .lines()
            .filter_map(|l| l.split('\t').nth(5))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    let sentences: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(n)
        .collect();

    let t0 = Instant::now();
    let model = Embedder::load(&path)?;
    println!("load: {:.2} s", t0.elapsed().as_secs_f64());
    let tokens: usize = sentences
        .iter()
        .map(|s| {
            model
                .tokenizer()
                .encode(&format!("{QUERY_PREFIX}{s}"))
                .len()
                + 2
        })
        .sum();
    println!(
        "{} sentences, {:.1} tokens per sentence on average",
        sentences.len(),
        tokens as f64 / sentences.len() as f64
    );
    model.embed(&sentences[..sentences.len().min(8)]);
    for threads in [1, rayon::current_num_threads()] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()?;
        let (c0, t0) = (cpu_seconds(), Instant::now());
        pool.install(|| model.embed(&sentences));
        let wall = t0.elapsed().as_secs_f64();
        let cpu = cpu_seconds().zip(c0).map(|(a, b)| a - b);
        println!(
            "{threads} thread(s): {wall:.2} s wall, {:.1} sentences/s, {}",
            sentences.len() as f64 / wall,
            cpu.map_or("cpu time unknown".into(), |c| format!(
                "{c:.2} CPU s, {:.1} sentences per CPU-second",
                sentences.len() as f64 / c
            ))
        );
    }
    Ok(())
}
