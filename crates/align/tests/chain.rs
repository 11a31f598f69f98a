//! The chain of mutual best matches follows the source order and skips crossing matches.

use stemma_align::{AlignInput, LexicalScorer, SentenceScorer, best_match_chain};

#[test]
fn chain_keeps_order_and_drops_crossing_matches() {
    let a = "The harbour authority closed the northern pier on Tuesday. \
             Engineers found cracks in three concrete pillars. \
             Fishing boats were sent to the southern basin. \
             Repairs should take about six weeks.";
    // Same facts, but the third sentence moved to the front.
    let b = "Fishing boats were sent to the southern basin. \
             The harbour authority closed the northern pier on Tuesday. \
             Engineers found cracks in three concrete pillars. \
             Repairs should take about six weeks.";
    let (pa, pb) = (stemma_text::prepare(a), stemma_text::prepare(b));
    let scorer = LexicalScorer::default();
    let fa = scorer.features(AlignInput::new(a, &pa));
    let fb = scorer.features(AlignInput::new(b, &pb));
    let chain = best_match_chain(&scorer, &fa, &fb, 0.1);
    let pairs: Vec<(usize, usize)> = chain.iter().map(|c| (c.0, c.1)).collect();
    assert_eq!(pairs, vec![(0, 1), (1, 2), (3, 3)]);
    assert!(chain.iter().all(|c| (0.1..=1.0).contains(&c.2)));
    // Nothing above the floor: empty chain.
    assert!(best_match_chain(&scorer, &fa, &fb, 1.01).is_empty());
}
