//! Property tests: no panic on any input, and the structural invariants of `PreparedText`.

use proptest::prelude::*;
use stemma_text::tokenize::{word_segments, word_segments_reference};
use stemma_text::{PreparedText, fingerprint_text, prepare};

/// Checks every structural promise of a prepared text against its input.
fn check_invariants(text: &str, p: &PreparedText) {
    assert_eq!(p.len, text.len());
    let on_boundary = |i: usize| i <= text.len() && text.is_char_boundary(i);
    for t in &p.tokens {
        assert!(t.span.start < t.span.end, "empty token {t:?}");
        assert!(
            on_boundary(t.span.start) && on_boundary(t.span.end),
            "{t:?}"
        );
        assert!(!t.norm.is_empty());
        assert!(!t.stem.is_empty() || t.norm.is_empty());
    }
    for w in p.tokens.windows(2) {
        assert!(
            w[0].span.end <= w[1].span.start,
            "tokens overlap or out of order"
        );
    }
    let mut next_token = 0;
    let mut prev_end = 0;
    for (si, s) in p.sentences.iter().enumerate() {
        assert!(s.span.start <= s.span.end);
        assert!(on_boundary(s.span.start) && on_boundary(s.span.end));
        assert!(s.span.start >= prev_end, "sentences overlap");
        prev_end = s.span.end;
        assert_eq!(
            s.tokens.start, next_token,
            "token not in exactly one sentence"
        );
        assert!(s.tokens.end > s.tokens.start, "sentence without token");
        next_token = s.tokens.end;
        for t in &p.tokens[s.tokens.clone()] {
            assert!(
                s.span.contains(t.span),
                "token {t:?} outside sentence {s:?}"
            );
        }
        let st = s.span.text(text);
        assert_eq!(st, st.trim(), "sentence span not trimmed");
        let para = &p.paragraphs[s.paragraph];
        assert!(para.sentences.contains(&si));
        assert!(para.span.contains(s.span));
    }
    assert_eq!(next_token, p.tokens.len());
    let mut next_sentence = 0;
    for w in p.paragraphs.windows(2) {
        assert!(w[0].span.end <= w[1].span.start);
    }
    for para in &p.paragraphs {
        assert!(on_boundary(para.span.start) && on_boundary(para.span.end));
        assert_eq!(para.sentences.start, next_sentence);
        assert!(para.sentences.end > para.sentences.start);
        next_sentence = para.sentences.end;
    }
    assert_eq!(next_sentence, p.sentences.len());
    assert_eq!(p.fingerprint(), fingerprint_text(text));
}

/// Strings biased towards the characters text preparation cares about.
fn texty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Mr.".to_string()),
        Just("U.S.".to_string()),
        Just("p.m.".to_string()),
        Just("’s".to_string()),
        Just("don't".to_string()),
        Just("1,941.5".to_string()),
        Just("1941-1945".to_string()),
        Just("ﬁ".to_string()),
        Just("１２".to_string()),
        Just("«".to_string()),
        Just("”".to_string()),
        Just("\"".to_string()),
        Just("Путин".to_string()),
        Just("...".to_string()),
        Just("?!".to_string()),
        Just(". ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("\r\n".to_string()),
        Just("\n    ".to_string()),
        Just("\u{2029}".to_string()),
        Just("\u{301}".to_string()),
        Just("\u{AD}".to_string()),
        Just(" ".to_string()),
        "[a-zA-Z]{1,8}",
        "[0-9]{1,4}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    // 512 cases by default; set PROPTEST_CASES for a longer run.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512)
    ))]

    #[test]
    fn arbitrary_unicode_never_panics(text in any::<String>()) {
        check_invariants(&text, &prepare(&text));
    }

    #[test]
    fn texty_input_keeps_invariants(text in texty()) {
        check_invariants(&text, &prepare(&text));
    }

    #[test]
    fn fast_word_segmentation_equals_uax29_reference(
        text in prop_oneof![any::<String>(), texty(), "[a-z0-9_.,;:'\" \n\t-]{0,40}"]
    ) {
        let fast: Vec<_> = word_segments(&text).collect();
        let slow: Vec<_> = word_segments_reference(&text).collect();
        prop_assert_eq!(fast, slow);
    }

    #[test]
    fn hard_wrapping_changes_nothing(
        words in prop::collection::vec("[A-Za-z]{1,8}[.,!?]?|Mr\\.|U\\.S\\.|[0-9]{1,3}", 1..60),
        wraps in prop::collection::vec(any::<bool>(), 60)
    ) {
        let flat = words.join(" ");
        let mut wrapped = String::new();
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                wrapped.push_str(if wraps[i] { "\n    " } else { " " });
            }
            wrapped.push_str(w);
        }
        let (a, b) = (prepare(&flat), prepare(&wrapped));
        let norms = |p: &PreparedText| p.tokens.iter().map(|t| t.norm.clone()).collect::<Vec<_>>();
        prop_assert_eq!(norms(&a), norms(&b));
        let ranges = |p: &PreparedText| p.sentences.iter().map(|s| s.tokens.clone()).collect::<Vec<_>>();
        prop_assert_eq!(ranges(&a), ranges(&b));
        prop_assert_eq!(b.paragraphs.len(), 1);
    }

    #[test]
    fn control_characters(text in "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f} a.B!]{0,64}") {
        check_invariants(&text, &prepare(&text));
    }
}

#[test]
fn edge_cases() {
    for text in [
        "",
        " ",
        "\n\n\n",
        "\t \r\n \u{2029}",
        ".",
        "—",
        "a",
        "\u{301}",
        "\u{FEFF}x",
    ] {
        check_invariants(text, &prepare(text));
    }
    assert!(prepare("").tokens.is_empty());
    assert!(prepare("  \n\n \t").sentences.is_empty());
}
