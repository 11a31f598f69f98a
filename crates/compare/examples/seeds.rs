//! Compares the seed pair (000 original, 003 spun rewrite) and prints the result readably.
//!
//! `cargo run --release -p stemma-compare --example seeds [-- SEEDS_DIR]`, or with two file
//! paths to compare any two texts: `… --example seeds -- A.txt B.txt`.

use std::path::Path;

use stemma_compare::{Comparer, Document, Span};

fn find(dir: &Path, prefix: &str) -> Option<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    let p = names.into_iter().find(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(prefix))
    })?;
    std::fs::read_to_string(p).ok()
}

fn show(text: &str, s: Span) -> String {
    let t: String = text
        .get(s.start..s.end)
        .unwrap_or("")
        .chars()
        .take(90)
        .collect();
    t.replace('\n', " / ")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (a, b) = if args.len() == 2 {
        (
            std::fs::read_to_string(&args[0]).ok(),
            std::fs::read_to_string(&args[1]).ok(),
        )
    } else {
        let dir = args
            .first()
            .cloned()
            .unwrap_or_else(|| "../shared/data/seeds".into());
        (find(Path::new(&dir), "000_"), find(Path::new(&dir), "003_"))
    };
    let (Some(a), Some(b)) = (a, b) else {
        eprintln!("input texts not found");
        return;
    };
    let (pa, pb) = (stemma_text::prepare(&a), stemma_text::prepare(&b));
    let c = Comparer::default().compare(&Document::new(&a, &pa), &Document::new(&b, &pb));
    println!("relation {} score {:.3}", c.relation, c.score);
    println!("coverage a {:.3} b {:.3}", c.coverage.a, c.coverage.b);
    println!(
        "direction {:?} confidence {:.2}",
        c.direction.source, c.direction.confidence
    );
    for e in &c.direction.evidence {
        println!(
            "  evidence {} favours {:?} weight {:.2}: {}",
            e.kind, e.favours, e.weight, e.detail
        );
    }
    for al in &c.alignments {
        println!(
            "ALIGN {:?} {:.3}\n   A {}\n   B {}",
            al.kind,
            al.similarity,
            show(&a, al.a),
            show(&b, al.b)
        );
    }
    for ch in &c.changes {
        println!("CHANGE {:?} {:?} -> {:?}", ch.kind, ch.a, ch.b);
    }
    // Dropped spans are in the source, added spans in the copy (A is the source when unknown).
    let (src, cpy) = if c.direction.source == Some(stemma_compare::Side::B) {
        (&b, &a)
    } else {
        (&a, &b)
    };
    for s in &c.dropped {
        println!("DROPPED {}", show(src, *s));
    }
    for s in &c.added {
        println!("ADDED {}", show(cpy, *s));
    }
}
