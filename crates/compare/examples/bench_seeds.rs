//! Mean time of prepare + compare on the seed pair (run in release).
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
}
