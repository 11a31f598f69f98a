//! The sentence-similarity seam.

use std::ops::Range;
use stemma_text::PreparedText;

/// One document as seen by scorers and the aligner: its original text and its preparation.
#[derive(Debug, Clone, Copy)]
pub struct AlignInput<'a> {
    /// The original input; every span of `prepared` points into it.
    pub text: &'a str,
    /// `text` prepared by `stemma_text`.
    pub prepared: &'a PreparedText,
}

impl<'a> AlignInput<'a> {
    /// Bundles a text with its preparation.
    pub fn new(text: &'a str, prepared: &'a PreparedText) -> Self {
        AlignInput { text, prepared }
    }

    /// Number of sentences.
    pub fn sentence_count(&self) -> usize {
        self.prepared.sentences.len()
    }

    /// The original text of sentence `i` (empty when out of range or not on char boundaries).
    pub fn sentence_text(&self, i: usize) -> &'a str {
        self.prepared
            .sentences
            .get(i)
            .and_then(|s| self.text.get(s.span.start..s.span.end))
            .unwrap_or("")
    }
}

/// Similarity levels a scorer is calibrated for. Scores of different scorers live on different
/// scales, so the thresholds belong to the scorer, not to the aligner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Minimum similarity for two sentences to be aligned at all (paraphrase vs not).
    pub paraphrase: f64,
    /// Similarity above which an alignment is a confident paraphrase.
    pub strong: f64,
    /// Lower similarity accepted only inside a gap between two order-consistent anchors, for a
    /// mutual best match (heavy rewording keeps the order of the source).
    pub gap: f64,
}

/// A sentence-similarity implementation: the one seam where lexical and semantic scoring differ.
///
/// The aligner calls [`SentenceScorer::features`] once per document, then
/// [`SentenceScorer::candidates`] once per document pair, then [`SentenceScorer::score`] for the
/// candidate pairs and for joins of adjacent sentences. An embedding scorer would encode every
/// sentence in `features` (one batch), return nearest neighbours in `candidates`, and compare
/// (pooled) vectors in `score`.
pub trait SentenceScorer {
    /// Everything the scorer needs to know about one document's sentences.
    type Features;

    /// Computes the features of every sentence of `doc` (called once per document).
    fn features(&self, doc: AlignInput<'_>) -> Self::Features;

    /// Number of sentences described by `features`.
    fn len(&self, features: &Self::Features) -> usize;

    /// True when `features` describes no sentence.
    fn is_empty(&self, features: &Self::Features) -> bool {
        self.len(features) == 0
    }

    /// Sentence pairs `(i in A, j in B)` worth scoring: a sparse superset of the pairs that can
    /// reach [`Thresholds::paraphrase`]. Must not enumerate all pairs of long documents.
    fn candidates(&self, a: &Self::Features, b: &Self::Features) -> Vec<(usize, usize)>;

    /// Similarity in `[0, 1]` of the consecutive sentences `a` of A, read as one passage, with the
    /// consecutive sentences `b` of B. Ranges out of bounds are clipped; empty ranges score 0.
    fn score(
        &self,
        fa: &Self::Features,
        a: Range<usize>,
        fb: &Self::Features,
        b: Range<usize>,
    ) -> f64;

    /// The calibrated thresholds of this scorer.
    fn thresholds(&self) -> Thresholds;
}
