//! Diagnostic: the chain of mutual best sentence matches (`stemma_align::best_match_chain`)
//! on the rewrite and same-story pairs of `fixtures/eval`, to see whether it separates heavy
//! spins from independent write-ups.
//!
//! `cargo run --release -p stemma-compare --example spin_probe [-- fixtures/eval] [FLOOR]`

use std::path::Path;

use stemma_align::{AlignInput, LexicalScorer, SentenceScorer, best_match_chain};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args
        .first()
        .cloned()
        .unwrap_or_else(|| "fixtures/eval".into());
    let floor: f64 = args.get(1).and_then(|f| f.parse().ok()).unwrap_or(0.1);
    let dir = Path::new(&dir);
    let Ok(manifest) = std::fs::read_to_string(dir.join("pairs.jsonl")) else {
        eprintln!("no manifest at {}", dir.join("pairs.jsonl").display());
        return;
    };
    let scorer = LexicalScorer::default();
    for line in manifest.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let (Some(an), Some(bn), Some(rel)) =
            (v["a"].as_str(), v["b"].as_str(), v["relation"].as_str())
        else {
            continue;
        };
        if rel != "rewrite" && rel != "same-story" {
            continue;
        }
        let read = |n: &str| std::fs::read_to_string(dir.join("docs").join(format!("{n}.txt")));
        let (Ok(a), Ok(b)) = (read(an), read(bn)) else {
            continue;
        };
        let (pa, pb) = (stemma_text::prepare(&a), stemma_text::prepare(&b));
        let fa = scorer.features(AlignInput::new(&a, &pa));
        let fb = scorer.features(AlignInput::new(&b, &pb));
        let chain = best_match_chain(&scorer, &fa, &fb, floor);
        let (na, nb) = (pa.sentences.len(), pb.sentences.len());
        let mean = chain.iter().map(|c| c.2).sum::<f64>() / chain.len().max(1) as f64;
        // Steps along the chain that move by at most 2 sentences on both sides.
        let tight = chain
            .windows(2)
            .filter(|w| w[1].0 - w[0].0 <= 2 && w[1].1 - w[0].1 <= 2)
            .count();
        let diag = chain
            .iter()
            .map(|c| (c.0 as f64 / na.max(1) as f64 - c.1 as f64 / nb.max(1) as f64).abs())
            .sum::<f64>()
            / chain.len().max(1) as f64;
        let balanced = chain
            .windows(2)
            .filter(|w| w[1].0 - w[0].0 == w[1].1 - w[0].1)
            .count();
        print!(
            "bal {:.2} ",
            balanced as f64 / chain.len().saturating_sub(1).max(1) as f64
        );
        print!(
            "tight {:.2} diag {diag:.2} ",
            tight as f64 / chain.len().saturating_sub(1).max(1) as f64
        );
        println!(
            "{:<14} {:<10} na {:>2} nb {:>2} chain {:>2} chain/min {:.2} chain/max {:.2} mean {:.2}",
            format!("{an}/{bn}").chars().take(14).collect::<String>(),
            rel,
            na,
            nb,
            chain.len(),
            chain.len() as f64 / na.min(nb).max(1) as f64,
            chain.len() as f64 / na.max(nb).max(1) as f64,
            mean
        );
    }
}
