//! Robustness: arbitrary inputs never panic, spans are in range and on char boundaries,
//! coverage, score, similarity and confidence stay in [0,1].

use proptest::prelude::*;
use stemma_compare::{Comparer, Document, Span};

fn check_span(text: &str, s: Span) {
    assert!(
        s.start <= s.end && s.end <= text.len(),
        "{s:?} out of {}",
        text.len()
    );
    assert!(
        text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
        "{s:?}"
    );
}

fn words() -> impl Strategy<Value = String> {
    // Texts built from a small vocabulary (so that alignments happen), with punctuation,
    // quotes, numbers, capitals, blank lines and non-ASCII.
    let word = prop::sample::select(vec![
        "the",
        "Mayor",
        "bridge",
        "opened",
        "Halvorsen",
        "Halverson",
        "2,000",
        "1987",
        "May",
        "Monday",
        "“quoted",
        "words”",
        "\"",
        ".",
        ",",
        "\n\n",
        "Ким",
        "über",
        "é",
        "cables",
        "city",
        "council",
        "said",
        "!",
        "?",
        "—",
        "(",
        ")",
        "3.5",
        "Tuesday",
        "March",
    ]);
    prop::collection::vec(word, 0..80).prop_map(|v| v.join(" "))
}

fn run(a: &str, b: &str) {
    let (pa, pb) = (stemma_text::prepare(a), stemma_text::prepare(b));
    let c = Comparer::default().compare(&Document::new(a, &pa), &Document::new(b, &pb));
    assert!((0.0..=1.0).contains(&c.score));
    assert!((0.0..=1.0).contains(&c.coverage.a) && (0.0..=1.0).contains(&c.coverage.b));
    assert!((0.0..=1.0).contains(&c.direction.confidence));
    for al in &c.alignments {
        check_span(a, al.a);
        check_span(b, al.b);
        assert!((0.0..=1.0).contains(&al.similarity));
    }
    for ch in &c.changes {
        if let Some(s) = ch.a_span {
            check_span(a, s);
        }
        if let Some(s) = ch.b_span {
            check_span(b, s);
        }
    }
    let (src, cpy) = if c.direction.source == Some(stemma_compare::Side::B) {
        (b, a)
    } else {
        (a, b)
    };
    for s in &c.dropped {
        check_span(src, *s);
    }
    for s in &c.added {
        check_span(cpy, *s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_do_not_panic(a in any::<String>(), b in any::<String>()) {
        run(&a, &b);
    }

    #[test]
    fn vocabulary_texts_keep_invariants(a in words(), b in words()) {
        run(&a, &b);
        let joined = format!("{a} {b}");
        run(&a, &joined);
    }
}
