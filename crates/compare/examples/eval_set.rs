//! Runs compare on the self-made evaluation set (`fixtures/eval/pairs.jsonl` + `docs/`) and
//! prints the confusion of relations, direction accuracy and precision / recall of `rewrite`
//! against `same-story`.
//!
//! `cargo run --release -p stemma-compare --example eval_set [-- fixtures/eval] [-v]`

use std::collections::BTreeMap;
use std::path::Path;

use stemma_compare::{Comparer, Document, Relation, Side};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "-v");
    let dir = args
        .iter()
        .find(|a| *a != "-v")
        .cloned()
        .unwrap_or_else(|| "fixtures/eval".into());
    let dir = Path::new(&dir);
    let Ok(manifest) = std::fs::read_to_string(dir.join("pairs.jsonl")) else {
        eprintln!("no manifest at {}", dir.join("pairs.jsonl").display());
        return;
    };
    let comparer = Comparer::default();
    let mut confusion: BTreeMap<(String, String), usize> = BTreeMap::new();
    let (mut dir_ok, mut dir_total, mut dir_null) = (0, 0, 0);
    let (mut tp, mut fp, mut fneg) = (0, 0, 0);
    // Rewrite vs same-story per half: [tune (en01–en05, de, fr), check (en06–en10, es, ru)].
    let mut halves = [[0usize; 3]; 2];
    for (ln, line) in manifest.lines().enumerate() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            eprintln!("line {}: not JSON", ln + 1);
            continue;
        };
        let (Some(an), Some(bn), Some(rel)) =
            (v["a"].as_str(), v["b"].as_str(), v["relation"].as_str())
        else {
            continue;
        };
        let read = |n: &str| std::fs::read_to_string(dir.join("docs").join(format!("{n}.txt")));
        let (Ok(a), Ok(b)) = (read(an), read(bn)) else {
            eprintln!("line {}: missing document", ln + 1);
            continue;
        };
        let (pa, pb) = (stemma_text::prepare(&a), stemma_text::prepare(&b));
        let c = comparer.compare(&Document::new(&a, &pa), &Document::new(&b, &pb));
        let got = c.relation.as_str().to_string();
        *confusion.entry((rel.to_string(), got.clone())).or_default() += 1;
        let gold_rw = rel == "rewrite";
        let got_rw = c.relation == Relation::Rewrite;
        let half = usize::from(match an.get(..2) {
            Some("de" | "fr") => false,
            Some("en") => {
                an.get(2..4)
                    .and_then(|n| n.parse::<u32>().ok())
                    .unwrap_or(0)
                    > 5
            }
            _ => true,
        });
        if rel == "rewrite" || rel == "same-story" {
            let k = match (gold_rw, got_rw) {
                (true, true) => 0,
                (false, true) => 1,
                (true, false) => 2,
                _ => 3,
            };
            if k < 3 {
                halves[half][k] += 1;
            }
            match k {
                0 => tp += 1,
                1 => fp += 1,
                2 => fneg += 1,
                _ => {}
            }
        }
        if let Some(src) = v["source"].as_str() {
            dir_total += 1;
            let want = if src == "a" { Side::A } else { Side::B };
            match c.direction.source {
                Some(s) if s == want => dir_ok += 1,
                None => dir_null += 1,
                _ => {}
            }
        }
        if verbose && c.relation.is_derivation() {
            for e in &c.direction.evidence {
                println!(
                    "    {} {:?} {:.2}: {}",
                    e.kind, e.favours, e.weight, e.detail
                );
            }
        }
        if verbose || got != rel {
            let mut sa: Vec<_> = c.alignments.iter().map(|x| x.a).collect();
            sa.sort_by_key(|s| s.start);
            let pa: Vec<&str> = sa.iter().filter_map(|s| a.get(s.start..s.end)).collect();
            let pb: Vec<&str> = c
                .alignments
                .iter()
                .filter_map(|x| b.get(x.b.start..x.b.end))
                .collect();
            let wording = stemma_compare::wording::wording_similarity(&pa, &pb);
            println!(
                "{an} vs {bn}: gold {rel} got {got} cov {:.2}/{:.2} wording {wording:.2} score {:.2} source {:?} (gold {})",
                c.coverage.a,
                c.coverage.b,
                c.score,
                c.direction.source,
                v["source"].as_str().unwrap_or("null")
            );
        }
    }
    println!("gold -> predicted counts:");
    for ((g, p), n) in &confusion {
        println!("  {g:>15} -> {p:<15} {n}");
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fneg).max(1) as f64;
    println!("rewrite vs same-story: precision {p:.3} recall {r:.3} (tp {tp} fp {fp} fn {fneg})");
    for (name, h) in ["tune (en01-05, de, fr)", "check (en06-10, es, ru)"]
        .iter()
        .zip(halves)
    {
        let p = h[0] as f64 / (h[0] + h[1]).max(1) as f64;
        let r = h[0] as f64 / (h[0] + h[2]).max(1) as f64;
        println!(
            "  {name}: precision {p:.3} recall {r:.3} (tp {} fp {} fn {})",
            h[0], h[1], h[2]
        );
    }
    println!("direction: {dir_ok}/{dir_total} correct, {dir_null} undecided");
}
