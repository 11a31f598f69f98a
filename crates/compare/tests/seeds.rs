//! The seed pair: 000 is an original news article, 003 a machine-spun rewrite of it.
//! Reads `../shared/data/seeds` at run time (never copied into the repository); when the folder
//! is missing the test prints a note and returns.

use std::path::{Path, PathBuf};

use stemma_compare::{ChangeKind, Comparer, Document, Relation, Side, Span};

fn seed(prefix: &str) -> Option<String> {
    let dir: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/seeds");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    let p = entries.into_iter().find(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(prefix))
    })?;
    std::fs::read_to_string(p).ok()
}

fn overlaps(a: Span, b: Span) -> bool {
    a.start < b.end && b.start < a.end
}

fn covered(spans: &[Span], target: Span) -> bool {
    // Every byte of the (trimmed) target lies inside one of the spans.
    spans
        .iter()
        .any(|s| s.start <= target.start && target.end <= s.end)
}

#[test]
fn seed_pair_is_a_rewrite_of_000() {
    let (Some(a), Some(b)) = (seed("000_"), seed("003_")) else {
        eprintln!("note: ../shared/data/seeds not found; seed test skipped");
        return;
    };
    let (pa, pb) = (stemma_text::prepare(&a), stemma_text::prepare(&b));
    let c = Comparer::default().compare(&Document::new(&a, &pa), &Document::new(&b, &pb));

    assert_eq!(c.relation, Relation::Rewrite);
    assert_eq!(c.direction.source, Some(Side::A), "{:?}", c.direction);
    assert!(c.direction.confidence > 0.2);
    assert!(c.coverage.b > 0.8 && c.coverage.a < c.coverage.b);

    // Paragraph k of 003 → the paragraph(s) of 000 it was rewritten from (indices of
    // blank-line separated paragraphs as prepared by stemma-text).
    let expected: [(usize, &[usize]); 7] = [
        (0, &[2]),
        (1, &[3]),
        (2, &[4]),
        (3, &[7, 8]),
        (4, &[10]),
        (5, &[11]),
        (6, &[12]),
    ];
    assert_eq!(pb.paragraphs.len(), 7);
    for (pb_i, pa_is) in expected {
        let bp = pb.paragraphs[pb_i].span;
        let hit = c.alignments.iter().any(|al| {
            overlaps(al.b, bp) && pa_is.iter().any(|&i| overlaps(al.a, pa.paragraphs[i].span))
        });
        assert!(
            hit,
            "003 paragraph {pb_i} is not aligned with 000 paragraph(s) {pa_is:?}"
        );
    }

    // The misspelled ambassador's name.
    assert!(
        c.changes.iter().any(|ch| ch.kind == ChangeKind::Name
            && ch.a.as_deref() == Some("Matesgora")
            && ch.b.as_deref() == Some("Matsegora")
            && ch.a_span.is_some_and(|s| &a[s.start..s.end] == "Matesgora")
            && ch.b_span.is_some_and(|s| &b[s.start..s.end] == "Matsegora")),
        "{:?}",
        c.changes
    );
    // No noise: only the name change is expected.
    assert!(c.changes.len() <= 2, "{:?}", c.changes);

    // Dropped: the photo caption/credit (paragraph 1), the embedded Russian post and its
    // "Posted by" line (5, 6), and the footer (13, 14).
    for i in [1, 5, 6, 13, 14] {
        assert!(
            covered(&c.dropped, pa.paragraphs[i].span),
            "000 paragraph {i} not dropped"
        );
    }
    // Added: the factory ribbon-cutting detail.
    let factory = b.find("ribbon-cutting").expect("seed text changed");
    assert!(
        c.added
            .iter()
            .any(|s| s.start <= factory && factory < s.end),
        "ribbon-cutting not reported as added: {:?}",
        c.added
    );
    // The added text is a small part of 003.
    let added: usize = c.added.iter().map(|s| s.len()).sum();
    assert!(added * 3 < b.len());
}
