//! Robustness of the scorer and aligner on arbitrary inputs.

use proptest::prelude::*;
use stemma_align::{AlignInput, LexicalScorer, SentenceScorer, align};

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn alignments_stay_in_bounds(a in any::<String>(), b in "[a-zA-Z ,.\n]{0,300}") {
        let joined = format!("{b} {a}. {b}");
        for (x, y) in [(a.as_str(), b.as_str()), (b.as_str(), joined.as_str())] {
            let (px, py) = (stemma_text::prepare(x), stemma_text::prepare(y));
            let scorer = LexicalScorer::default();
            let (ix, iy) = (AlignInput::new(x, &px), AlignInput::new(y, &py));
            let r = align(&scorer, ix, iy);
            for g in &r.groups {
                prop_assert!(g.a.start < g.a.end && g.a.end <= px.sentences.len());
                prop_assert!(g.b.start < g.b.end && g.b.end <= py.sentences.len());
                prop_assert!((0.0..=1.0).contains(&g.similarity));
                prop_assert!((0.0..=1.0).contains(&g.token_similarity));
            }
            let (fx, fy) = (scorer.features(ix), scorer.features(iy));
            let s = scorer.score(&fx, 0..usize::MAX, &fy, std::ops::Range { start: 3, end: 1 });
            prop_assert!(s == 0.0);
            let s = scorer.score(&fx, 0..px.sentences.len(), &fy, 0..py.sentences.len());
            prop_assert!((0.0..=1.0).contains(&s));
        }
    }
}

#[test]
fn identical_sentences_score_one_and_unrelated_low() {
    let a = "Engineers replaced all the steel cables of the harbour bridge in Kelverton.";
    let b = "The orchestra will perform three symphonies in the restored town hall.";
    let c = "All the steel cables of the Kelverton harbour bridge were replaced by engineers.";
    let s = LexicalScorer::default();
    let sim = |x: &str, y: &str| {
        let (px, py) = (stemma_text::prepare(x), stemma_text::prepare(y));
        let (fx, fy) = (
            s.features(AlignInput::new(x, &px)),
            s.features(AlignInput::new(y, &py)),
        );
        s.score(&fx, 0..1, &fy, 0..1)
    };
    assert!((sim(a, a) - 1.0).abs() < 1e-9);
    assert!(sim(a, b) < 0.2);
    assert!(sim(a, c) > s.thresholds.strong);
}

#[test]
fn merged_sentence_aligns_with_both_sources() {
    let src = "The council approved the budget on Monday. The vote was twelve to three.\n\nSchools will get new roofs.";
    let cpy = "On Monday the council approved the budget by a vote of twelve to three.\n\nNew roofs are planned for schools.";
    let (ps, pc) = (stemma_text::prepare(src), stemma_text::prepare(cpy));
    let r = align(
        &LexicalScorer::default(),
        AlignInput::new(src, &ps),
        AlignInput::new(cpy, &pc),
    );
    assert!(
        r.groups.iter().any(|g| g.a == (0..2) && g.b == (0..1)),
        "{:?}",
        r.groups
    );
}
