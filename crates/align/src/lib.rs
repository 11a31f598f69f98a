//! stemma-align: sentence similarity and sentence-level alignment of two prepared texts.
//!
//! Two layers, separated by one seam:
//!
//! - [`SentenceScorer`]: the trait every sentence-similarity implementation provides. It
//!   prepares per-document features once (batch-friendly: an embedding scorer encodes all
//!   sentences of a document in one call), proposes sparse candidate pairs (so long documents
//!   are never scored all-pairs), and scores runs of consecutive sentences against each other.
//!   [`LexicalScorer`] is the lexical implementation (weighted content stems with
//!   character-trigram soft matching); [`HybridScorer`] adds an optional semantic layer
//!   (sentence embeddings from any [`SentenceEmbedder`], e.g. `stemma-embed`) on top of it
//!   without touching the aligner.
//! - [`align`]: the aligner. It only knows the trait. It allows reordering, one-to-many and
//!   many-to-one matches (a copy sentence merging two source sentences, or splitting one), labels
//!   every match verbatim / near-verbatim / paraphrase, and merges runs of consecutive verbatim
//!   matches into passages.
//! - [`clauses`] / [`partial_similarity`]: a sentence matched with part of another (a
//!   paraphrase that appends a clause), used by the aligner's gap filling and by the comparison
//!   to report only the appended clause as added.
//!
//! Pure: no I/O, no global mutable state, deterministic.
//!
//! ```
//! use stemma_align::{align, AlignInput, LexicalScorer, SentenceScorer};
//! let (ta, tb) = ("The cat sat on the mat.", "The cat sat on the mat.");
//! let (pa, pb) = (stemma_text::prepare(ta), stemma_text::prepare(tb));
//! let scorer = LexicalScorer::default();
//! let result = align(&scorer, AlignInput::new(ta, &pa), AlignInput::new(tb, &pb));
//! assert!(result.groups.len() <= pa.sentences.len().max(1));
//! ```

#![warn(missing_docs)]

mod aligner;
mod clauses;
mod hybrid;
mod lexical;
mod scorer;
mod words;

pub use aligner::{
    AlignOptions, AlignResult, AlignedGroup, MatchKind, Passage, align, align_with,
    best_match_chain, order_consistency, passages,
};
pub use clauses::{clauses, partial_similarity};
pub use hybrid::{HybridFeatures, HybridScorer, SemanticCalibration, SentenceEmbedder};
pub use lexical::{LexicalFeatures, LexicalScorer, LexicalWeights};
pub use scorer::{AlignInput, SentenceScorer, Thresholds};
pub use words::{
    char_trigrams, char_trigrams_into, damerau_distance, token_sequence_similarity, trigram_dice,
    word_similarity,
};
