//! Throughput of the three printers on a synthetic comparison of two ~1 MB texts with one
//! aligned passage, one change and some dropped/added material per few sentences:
//! `cargo run --release -p stemma-render --example render_bench [SENTENCES]`.

use std::time::Instant;

use stemma_compare::{
    Alignment, AlignmentKind, Change, ChangeKind, Comparison, Coverage, Direction, Relation, Side,
    Span,
};
use stemma_render::{Input, html, json, terminal};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let (mut a, mut b) = (String::new(), String::new());
    let mut alignments = Vec::new();
    let mut changes = Vec::new();
    let (mut dropped, mut added) = (Vec::new(), Vec::new());
    for i in 0..n {
        let sa = format!("Sentence {i} tells of the Matesgora valley & its <river>, \"café\" ✓. ");
        let sb = format!("Sentence {i} tells of the Matsegora valley & its <river>, \"café\" ✓. ");
        let (a0, b0) = (a.len(), b.len());
        a.push_str(&sa);
        b.push_str(&sb);
        match i % 5 {
            4 => {
                dropped.push(Span::new(a0, a.len()));
                added.push(Span::new(b0, b.len()));
            }
            k => {
                let kind = [
                    AlignmentKind::Verbatim,
                    AlignmentKind::NearVerbatim,
                    AlignmentKind::Paraphrase,
                ][k % 3];
                alignments.push(Alignment {
                    a: Span::new(a0, a.len()),
                    b: Span::new(b0, b.len()),
                    kind,
                    similarity: 0.9,
                    weak: false,
                });
                let (ia, ib) = (sa.find("Matesgora").unwrap(), sb.find("Matsegora").unwrap());
                changes.push(Change {
                    kind: ChangeKind::Name,
                    a: Some("Matesgora".into()),
                    b: Some("Matsegora".into()),
                    a_span: Some(Span::new(a0 + ia, a0 + ia + 9)),
                    b_span: Some(Span::new(b0 + ib, b0 + ib + 9)),
                });
            }
        }
    }
    let cmp = Comparison {
        relation: Relation::NearDuplicate,
        score: 0.8,
        probability: 0.9,
        verdict: None,
        direction: Direction {
            source: Some(Side::A),
            confidence: 0.6,
            evidence: vec![],
        },
        coverage: Coverage { a: 0.8, b: 0.8 },
        alignments,
        passages: vec![],
        changes,
        dropped,
        added,
    };
    let (ia, ib) = (Input::new("a.txt", &a), Input::new("b.txt", &b));
    let mb = (a.len() + b.len()) as f64 / 1e6;
    println!(
        "input: {n} sentences, A {} bytes, B {} bytes, {} alignments, {} changes",
        a.len(),
        b.len(),
        cmp.alignments.len(),
        cmp.changes.len()
    );
    let runs = 5;
    let bench = |name: &str, f: &dyn Fn() -> String| {
        let mut out_len = 0;
        let t = Instant::now();
        for _ in 0..runs {
            out_len = f().len();
        }
        let secs = t.elapsed().as_secs_f64() / runs as f64;
        println!(
            "{name:<14} {:>8.2} ms   {:>7.1} MB/s of input   output {out_len} bytes",
            secs * 1e3,
            mb / secs
        );
    };
    bench("terminal", &|| {
        terminal::render(&cmp, &ia, &ib, &terminal::TerminalOptions::default())
    });
    bench("json compact", &|| json::to_string(&cmp, false));
    bench("json pretty", &|| json::to_string(&cmp, true));
    bench("html page", &|| {
        html::page(&cmp, &ia, &ib, &html::HtmlOptions::default())
    });
}
