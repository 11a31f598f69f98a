//! Hand-built comparisons for the printers' unit tests.

use stemma_compare::{
    Alignment, AlignmentKind, Change, ChangeKind, Comparison, Coverage, Direction, Evidence,
    Relation, Side, Span,
};

/// Text A of the sample (the source).
pub const A: &str = "Breaking news from the valley. Mayor Ivan Matesgora spoke on Monday. \
He said 40 homes were flooded & \"more\" <b>rain</b> is due. Roads stayed closed all day. \
This line was dropped.";

/// Text B of the sample (the copy).
pub const B: &str = "Breaking news from the valley. Mayor Ivan Matsegora spoke on Monday. \
He said 42 homes were flooded & \"more\" <b>rain</b> is due. All day, the roads remained shut. \
An added line: é ünïcode ✓.";

/// The byte span of the first occurrence of `needle` in `text`.
pub fn span(text: &str, needle: &str) -> Span {
    let s = text.find(needle).expect("needle in text");
    Span::new(s, s + needle.len())
}

/// A near-duplicate comparison of [`A`] and [`B`] with every kind of element.
pub fn sample() -> Comparison {
    let s1 = "Breaking news from the valley.";
    let a2 = "Mayor Ivan Matesgora spoke on Monday.";
    let b2 = "Mayor Ivan Matsegora spoke on Monday.";
    let a3 = "He said 40 homes were flooded & \"more\" <b>rain</b> is due.";
    let b3 = "He said 42 homes were flooded & \"more\" <b>rain</b> is due.";
    Comparison {
        relation: Relation::NearDuplicate,
        score: 0.83,
        probability: 0.9,
        verdict: None,
        direction: Direction {
            source: Some(Side::A),
            confidence: 0.7,
            evidence: vec![
                Evidence {
                    kind: "date".into(),
                    favours: Some(Side::A),
                    weight: 0.5,
                    value: 0.0,
                    detail: "A is dated 2 hours before B".into(),
                },
                Evidence {
                    kind: "added-material".into(),
                    favours: None,
                    weight: 0.1,
                    value: 0.0,
                    detail: "both sides add about as much".into(),
                },
            ],
        },
        coverage: Coverage { a: 0.8, b: 0.75 },
        alignments: vec![
            Alignment {
                a: span(A, s1),
                b: span(B, s1),
                kind: AlignmentKind::Verbatim,
                similarity: 1.0,
                weak: false,
            },
            Alignment {
                a: span(A, a2),
                b: span(B, b2),
                kind: AlignmentKind::NearVerbatim,
                similarity: 0.93,
                weak: false,
            },
            Alignment {
                a: span(A, a3),
                b: span(B, b3),
                kind: AlignmentKind::NearVerbatim,
                similarity: 0.95,
                weak: false,
            },
            Alignment {
                a: span(A, "Roads stayed closed all day."),
                b: span(B, "All day, the roads remained shut."),
                kind: AlignmentKind::Paraphrase,
                similarity: 0.61,
                weak: false,
            },
        ],
        passages: vec![],
        changes: vec![
            Change {
                kind: ChangeKind::Name,
                a: Some("Matesgora".into()),
                b: Some("Matsegora".into()),
                a_span: Some(span(A, "Matesgora")),
                b_span: Some(span(B, "Matsegora")),
            },
            Change {
                kind: ChangeKind::Number,
                a: Some("40".into()),
                b: Some("42".into()),
                a_span: Some(span(A, "40")),
                b_span: Some(span(B, "42")),
            },
        ],
        dropped: vec![span(A, "This line was dropped.")],
        added: vec![span(B, "An added line: é ünïcode ✓.")],
    }
}
