//! Mean time of prepare + compare on the seed pair (run in release).
//!
//! Also times a long pair built from BBC News articles (`../shared/data/bbc_news`): A = articles
//! 0..100 concatenated, B = articles 50..150, so half of each aligns verbatim.
//!
//! `cargo run --release -p stemma-compare --example bench_seeds [-- ITERATIONS]`

use std::path::Path;
use std::time::Instant;

use stemma_compare::{Comparer, Document};

fn seed(prefix: &str) -> Option<String> {
    let dir = Path::new("../shared/data/seeds");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    v.sort();
    let p = v.into_iter().find(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(prefix))
    })?;
    std::fs::read_to_string(p).ok()
}

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(500);
    let (Some(a), Some(b)) = (seed("000_"), seed("003_")) else {
        eprintln!("seeds not found under ../shared/data/seeds");
        return;
    };
    let comparer = Comparer::default();
    let (pa, pb) = (stemma_text::prepare(&a), stemma_text::prepare(&b));
    let _ = comparer.compare(&Document::new(&a, &pa), &Document::new(&b, &pb)); // warm-up
    let t = Instant::now();
    for _ in 0..n {
        let (pa, pb) = (stemma_text::prepare(&a), stemma_text::prepare(&b));
        std::hint::black_box(comparer.compare(&Document::new(&a, &pa), &Document::new(&b, &pb)));
    }
    let both = t.elapsed().as_secs_f64() / n as f64;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(comparer.compare(&Document::new(&a, &pa), &Document::new(&b, &pb)));
    }
    let cmp = t.elapsed().as_secs_f64() / n as f64;
    println!(
        "seed pair ({} + {} bytes), {n} iterations:",
        a.len(),
        b.len()
    );
    println!("  prepare + compare: {:.3} ms", both * 1e3);
    println!("  compare only:      {:.3} ms", cmp * 1e3);
    long_pair(&comparer);
}

fn long_pair(comparer: &Comparer) {
    let Ok(raw) = std::fs::read_to_string("../shared/data/bbc_news/bbc_news.jsonl") else {
        eprintln!("BBC data not found; long-pair benchmark skipped");
        return;
    };
    let texts: Vec<String> = raw
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .take(150)
        .collect();
    if texts.len() < 150 {
        return;
    }
    let a = texts[..100].join("\n\n");
    let b = texts[50..].join("\n\n");
    let t = Instant::now();
    let (pa, pb) = (stemma_text::prepare(&a), stemma_text::prepare(&b));
    let prep = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let c = comparer.compare(&Document::new(&a, &pa), &Document::new(&b, &pb));
    let cmp = t.elapsed().as_secs_f64();
    println!(
        "long pair ({} KB, {} sentences vs {} KB, {} sentences): prepare {:.1} ms, compare {:.1} ms; relation {}, coverage {:.2}/{:.2}",
        a.len() / 1024,
        pa.sentences.len(),
        b.len() / 1024,
        pb.sentences.len(),
        prep * 1e3,
        cmp * 1e3,
        c.relation,
        c.coverage.a,
        c.coverage.b
    );
}
