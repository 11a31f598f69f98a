//! The scorer seam: a different sentence scorer plugs into `Comparer` without touching the
//! aligner. A toy scorer (Jaccard of normalized word sets, all pairs as candidates) stands in
//! for a future embedding scorer.

use std::collections::HashSet;
use std::ops::Range;

use stemma_align::{AlignInput, SentenceScorer, Thresholds};
use stemma_compare::{CompareOptions, Comparer, Document, Relation};

struct JaccardScorer;

impl SentenceScorer for JaccardScorer {
    type Features = Vec<HashSet<String>>;

    fn features(&self, doc: AlignInput<'_>) -> Self::Features {
        let p = doc.prepared;
        p.sentences
            .iter()
            .map(|s| {
                p.tokens[s.tokens.clone()]
                    .iter()
                    .map(|t| t.norm.clone())
                    .collect()
            })
            .collect()
    }

    fn len(&self, f: &Self::Features) -> usize {
        f.len()
    }

    fn candidates(&self, a: &Self::Features, b: &Self::Features) -> Vec<(usize, usize)> {
        (0..a.len())
            .flat_map(|i| (0..b.len()).map(move |j| (i, j)))
            .collect()
    }

    fn score(
        &self,
        fa: &Self::Features,
        a: Range<usize>,
        fb: &Self::Features,
        b: Range<usize>,
    ) -> f64 {
        let join = |f: &Self::Features, r: Range<usize>| -> HashSet<String> {
            f.get(r.start.min(f.len())..r.end.min(f.len()))
                .unwrap_or(&[])
                .iter()
                .flatten()
                .cloned()
                .collect()
        };
        let (x, y) = (join(fa, a), join(fb, b));
        let union = x.union(&y).count();
        if union == 0 {
            0.0
        } else {
            x.intersection(&y).count() as f64 / union as f64
        }
    }

    fn thresholds(&self) -> Thresholds {
        Thresholds {
            paraphrase: 0.5,
            strong: 0.7,
            gap: 0.4,
        }
    }
}

#[test]
fn a_custom_scorer_drives_the_comparison() {
    let a = "The river rose by four metres on Sunday night. Two people died in the flood.\n\nThe mayor asked for help from the province.";
    let b = "On Sunday night the river rose by four metres. Two people died in the flood.\n\nThe mayor asked the province for help.";
    let (pa, pb) = (stemma_text::prepare(a), stemma_text::prepare(b));
    let comparer = Comparer::with_scorer(CompareOptions::default(), JaccardScorer);
    let c = comparer.compare(&Document::new(a, &pa), &Document::new(b, &pb));
    assert!(c.relation.is_derivation(), "{c:?}");
    assert!(c.coverage.a > 0.9 && c.coverage.b > 0.9, "{:?}", c.coverage);
    let unrelated = "Tickets for the orchestra go on sale next week at the town hall.";
    let pu = stemma_text::prepare(unrelated);
    let c = comparer.compare(&Document::new(a, &pa), &Document::new(unrelated, &pu));
    assert_eq!(c.relation, Relation::Unrelated);
}
