//! The hybrid sentence scorer: lexical evidence first, sentence embeddings where words differ.
//!
//! Lexical similarity is precise when two sentences share their words and blind to paraphrases
//! and translations that do not. [`HybridScorer`] keeps the [`LexicalScorer`] and, when given a
//! [`SentenceEmbedder`], also encodes every sentence of a document once (in `features`), adds
//! the nearest sentences by embedding cosine to the lexical candidates, and combines the two
//! similarities in `score`. The embedder is a trait so that this crate stays pure: the model
//! lives in `stemma-embed`. Without an embedder the scorer is exactly the lexical one.

use std::ops::Range;
use std::sync::Arc;

use crate::lexical::{LexicalFeatures, LexicalScorer};
use crate::scorer::{AlignInput, SentenceScorer, Thresholds};

/// Something that turns sentences into L2-normalized vectors whose dot product is their cosine.
pub trait SentenceEmbedder: Send + Sync {
    /// One unit vector per sentence, in order.
    fn embed(&self, sentences: &[&str]) -> Vec<Vec<f32>>;
    /// Short name of the model (for reports).
    fn name(&self) -> &str;
}

/// How cosines become similarities on the lexical scale, and how the two are combined.
///
/// Cosines of multilingual-e5 live in a narrow band (about 0.75 for unrelated sentences to 0.95
/// for paraphrases), so the cosine is mapped linearly: `cos_paraphrase` lands on the aligner's
/// paraphrase threshold, `cos_strong` on its strong threshold, clamped to `[0, 1]`. The defaults
/// were chosen on MRPC validation, STS-B dev and a ParaPhraser subsample (grid in
/// `docs/notes/semantic.md`; neighbouring settings differ by about ±0.01).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SemanticCalibration {
    /// Cosine mapped to [`Thresholds::paraphrase`].
    pub cos_paraphrase: f64,
    /// Cosine mapped to [`Thresholds::strong`].
    pub cos_strong: f64,
    /// Weight of the semantic similarity in the blend `w·semantic + (1−w)·lexical`.
    pub weight: f64,
    /// A lexical similarity at least this high is kept as is (the words already agree).
    pub lexical_sure: f64,
    /// Candidate partners per sentence added by embedding cosine (dense top-k).
    pub top_k: usize,
    /// Pairs below this mapped similarity are never added as candidates.
    pub min_candidate: f64,
}

impl Default for SemanticCalibration {
    fn default() -> Self {
        SemanticCalibration {
            cos_paraphrase: 0.90,
            cos_strong: 0.93,
            weight: 0.7,
            lexical_sure: 0.8,
            top_k: 3,
            min_candidate: 0.3,
        }
    }
}

/// Features of the [`HybridScorer`]: the lexical features and, with an embedder, one unit
/// vector per sentence.
#[derive(Debug, Clone, Default)]
pub struct HybridFeatures {
    /// Lexical features of every sentence.
    pub lexical: LexicalFeatures,
    /// Sentence embeddings (unit vectors), when an embedder is present.
    pub vectors: Option<Vec<Vec<f32>>>,
}

/// Lexical scoring with an optional semantic layer (see the module docs).
#[derive(Clone)]
pub struct HybridScorer {
    /// The lexical scorer; its thresholds are the hybrid's.
    pub lexical: LexicalScorer,
    /// The sentence encoder; `None` makes this scorer identical to `lexical`.
    pub embedder: Option<Arc<dyn SentenceEmbedder>>,
    /// Mapping and blending of the cosine.
    pub calibration: SemanticCalibration,
}

impl std::fmt::Debug for HybridScorer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HybridScorer")
            .field("lexical", &self.lexical)
            .field("embedder", &self.embedder.as_ref().map(|e| e.name()))
            .field("calibration", &self.calibration)
            .finish()
    }
}

impl Default for HybridScorer {
    fn default() -> Self {
        HybridScorer::new(LexicalScorer::default(), None)
    }
}

impl HybridScorer {
    /// A hybrid scorer with the default calibration.
    pub fn new(lexical: LexicalScorer, embedder: Option<Arc<dyn SentenceEmbedder>>) -> Self {
        HybridScorer {
            lexical,
            embedder,
            calibration: SemanticCalibration::default(),
        }
    }

    /// True when the semantic layer is on.
    pub fn is_semantic(&self) -> bool {
        self.embedder.is_some()
    }

    /// A cosine mapped onto the lexical similarity scale (see [`SemanticCalibration`]).
    pub fn semantic_similarity(&self, cosine: f64) -> f64 {
        let c = &self.calibration;
        let th = self.lexical.thresholds;
        let slope = (th.strong - th.paraphrase) / (c.cos_strong - c.cos_paraphrase).max(1e-6);
        (th.paraphrase + (cosine - c.cos_paraphrase) * slope).clamp(0.0, 1.0)
    }

    /// The combined similarity of a lexical similarity and a cosine.
    pub fn combine(&self, lexical: f64, cosine: f64) -> f64 {
        let c = &self.calibration;
        if lexical >= c.lexical_sure {
            return lexical;
        }
        let semantic = self.semantic_similarity(cosine);
        (c.weight * semantic + (1.0 - c.weight) * lexical).clamp(0.0, 1.0)
    }

    /// Cosine of the passages `a` of A and `b` of B: each passage is the renormalized mean of
    /// its sentence vectors. `None` without vectors or for an empty range.
    pub fn cosine(
        &self,
        fa: &HybridFeatures,
        a: Range<usize>,
        fb: &HybridFeatures,
        b: Range<usize>,
    ) -> Option<f64> {
        let va = pooled(fa.vectors.as_deref()?, a)?;
        let vb = pooled(fb.vectors.as_deref()?, b)?;
        Some(va.iter().zip(&vb).map(|(x, y)| (x * y) as f64).sum())
    }
}

/// The unit-length mean of `vectors[r]` (clipped), or `None` when empty.
fn pooled(vectors: &[Vec<f32>], r: Range<usize>) -> Option<Vec<f32>> {
    let end = r.end.min(vectors.len());
    let start = r.start.min(end);
    let run = &vectors[start..end];
    let first = run.first()?;
    if run.len() == 1 {
        return Some(first.clone());
    }
    let mut sum = vec![0f32; first.len()];
    for v in run {
        for (s, x) in sum.iter_mut().zip(v) {
            *s += x;
        }
    }
    let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    sum.iter_mut().for_each(|x| *x /= norm);
    Some(sum)
}

impl SentenceScorer for HybridScorer {
    type Features = HybridFeatures;

    fn features(&self, doc: AlignInput<'_>) -> HybridFeatures {
        let lexical = self.lexical.features(doc);
        let vectors = self.embedder.as_ref().map(|e| {
            let texts: Vec<&str> = (0..doc.sentence_count())
                .map(|i| doc.sentence_text(i))
                .collect();
            e.embed(&texts)
        });
        HybridFeatures { lexical, vectors }
    }

    fn len(&self, features: &HybridFeatures) -> usize {
        self.lexical.len(&features.lexical)
    }

    fn candidates(&self, a: &HybridFeatures, b: &HybridFeatures) -> Vec<(usize, usize)> {
        let mut keep = self.lexical.candidates(&a.lexical, &b.lexical);
        let (Some(va), Some(vb)) = (&a.vectors, &b.vectors) else {
            return keep;
        };
        let k = self.calibration.top_k;
        if k == 0 || va.is_empty() || vb.is_empty() {
            return keep;
        }
        // Dense cosines: documents are news-sized (tens of sentences).
        let cos: Vec<Vec<f64>> = va
            .iter()
            .map(|x| {
                vb.iter()
                    .map(|y| x.iter().zip(y).map(|(p, q)| (p * q) as f64).sum())
                    .collect()
            })
            .collect();
        let floor = self.calibration.min_candidate;
        let mut add = |i: usize, mut row: Vec<(usize, f64)>, by_a: bool| {
            row.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            for &(j, c) in row.iter().take(k) {
                if self.semantic_similarity(c) >= floor {
                    keep.push(if by_a { (i, j) } else { (j, i) });
                }
            }
        };
        for (i, row) in cos.iter().enumerate() {
            add(i, row.iter().copied().enumerate().collect(), true);
        }
        for j in 0..vb.len() {
            add(j, cos.iter().map(|r| r[j]).enumerate().collect(), false);
        }
        keep.sort_unstable();
        keep.dedup();
        keep
    }

    fn score(
        &self,
        fa: &HybridFeatures,
        a: Range<usize>,
        fb: &HybridFeatures,
        b: Range<usize>,
    ) -> f64 {
        let lexical = self
            .lexical
            .score(&fa.lexical, a.clone(), &fb.lexical, b.clone());
        match self.cosine(fa, a, fb, b) {
            Some(c) => self.combine(lexical, c),
            None => lexical,
        }
    }

    fn thresholds(&self) -> Thresholds {
        self.lexical.thresholds
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align;

    /// A toy embedder: a bag of the first letters of words, so that sentences with the same
    /// initials get the same vector whatever their words.
    struct Initials;
    impl SentenceEmbedder for Initials {
        fn embed(&self, sentences: &[&str]) -> Vec<Vec<f32>> {
            sentences
                .iter()
                .map(|s| {
                    let mut v = vec![0f32; 26];
                    for w in s.split_whitespace() {
                        if let Some(c) = w.chars().next().filter(char::is_ascii_alphabetic) {
                            v[(c.to_ascii_lowercase() as u8 - b'a') as usize] += 1.0;
                        }
                    }
                    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
                    v.iter_mut().for_each(|x| *x /= n);
                    v
                })
                .collect()
        }
        fn name(&self) -> &str {
            "initials"
        }
    }

    const A: &str = "The minister resigned on Friday after the scandal. Heavy rain flooded the \
                     northern valleys overnight. Shares of the carmaker fell nine percent.";
    const B: &str = "Stocks of the automaker dropped by nine percent. The minister quit on Friday \
                     following the affair. A new bridge opened in the capital.";

    #[test]
    fn without_embedder_equals_lexical() {
        let (pa, pb) = (stemma_text::prepare(A), stemma_text::prepare(B));
        let (ia, ib) = (AlignInput::new(A, &pa), AlignInput::new(B, &pb));
        let lex = LexicalScorer::default();
        let hyb = HybridScorer::default();
        assert!(!hyb.is_semantic());
        let (la, lb) = (lex.features(ia), lex.features(ib));
        let (ha, hb) = (hyb.features(ia), hyb.features(ib));
        assert!(ha.vectors.is_none());
        assert_eq!(hyb.thresholds(), lex.thresholds());
        assert_eq!(hyb.candidates(&ha, &hb), lex.candidates(&la, &lb));
        for i in 0..3 {
            for j in 0..3 {
                for (ra, rb) in [(i..i + 1, j..j + 1), (i..i + 2, j..j + 1), (0..i, j..3)] {
                    let l = lex.score(&la, ra.clone(), &lb, rb.clone());
                    let h = hyb.score(&ha, ra, &hb, rb);
                    assert_eq!(l.to_bits(), h.to_bits());
                }
            }
        }
        let (rl, rh) = (align(&lex, ia, ib), align(&hyb, ia, ib));
        assert_eq!(format!("{:?}", rl.groups), format!("{:?}", rh.groups));
    }

    #[test]
    fn embeddings_add_candidates_and_lift_scores() {
        let (a, b) = (
            "Alpha bravo charlie delta. Quite unrelated words here.",
            "Apple banana cherry date. Something else entirely now.",
        );
        let (pa, pb) = (stemma_text::prepare(a), stemma_text::prepare(b));
        let (ia, ib) = (AlignInput::new(a, &pa), AlignInput::new(b, &pb));
        let lex = HybridScorer::default();
        let sem = HybridScorer::new(LexicalScorer::default(), Some(Arc::new(Initials)));
        let (la, lb) = (lex.features(ia), lex.features(ib));
        let (sa, sb) = (sem.features(ia), sem.features(ib));
        assert_eq!(sa.vectors.as_ref().map(Vec::len), Some(2));
        assert!(!lex.candidates(&la, &lb).contains(&(0, 0)));
        assert!(sem.candidates(&sa, &sb).contains(&(0, 0)));
        let (l, s) = (
            lex.score(&la, 0..1, &lb, 0..1),
            sem.score(&sa, 0..1, &sb, 0..1),
        );
        assert_eq!(l, 0.0);
        // Same initials: cosine 1 maps to 1, blended with lexical 0.
        assert!((s - sem.calibration.weight).abs() < 1e-6, "{s}");
        // Runs are pooled: (u + v)/√2 against (u + w)/√2 with u, v, w orthogonal gives 1/2.
        let c = sem.cosine(&sa, 0..2, &sb, 0..2).unwrap();
        assert!((c - 0.5).abs() < 1e-6, "{c}");
        assert_eq!(sem.cosine(&sa, 1..1, &sb, 0..1), None);
    }

    #[test]
    fn calibration_maps_cosines_onto_the_thresholds() {
        let h = HybridScorer::default();
        let th = h.thresholds();
        let c = h.calibration;
        assert!((h.semantic_similarity(c.cos_paraphrase) - th.paraphrase).abs() < 1e-9);
        assert!((h.semantic_similarity(c.cos_strong) - th.strong).abs() < 1e-9);
        assert_eq!(h.semantic_similarity(0.0), 0.0);
        assert!(h.semantic_similarity(1.0) > 0.99);
        // A sure lexical match is kept whatever the cosine.
        assert_eq!(h.combine(0.9, 0.0), 0.9);
    }
}
