//! The benchmark file formats (see `docs/eval-format.md`).
//!
//! - `corpus.jsonl`: [`CorpusDoc`], one document a line.
//! - `truth.jsonl`: [`TruthPair`], one labelled pair a line. Passage offsets are CHARACTER
//!   offsets (Unicode scalar values), half-open, as in the PAN text-alignment corpora.
//! - `families.jsonl`: [`TruthFamily`], one cluster of documents a line.

use serde::{Deserialize, Serialize};

/// A half-open `[start, end)` range of character (not byte) offsets, serialized `[start, end]`.
pub type CharRange = [usize; 2];

/// One document of a generated corpus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorpusDoc {
    /// Opaque document id (reveals nothing about the labels).
    pub id: String,
    /// The text.
    pub text: String,
    /// Publication date, RFC 3339 (`1987-02-26T15:01:01Z`). Copies are later than sources.
    pub date: String,
    /// The (invented) outlet that published it.
    pub source: String,
    /// Ids of the real articles whose text this document contains (its own base article,
    /// a partial-reuse host, donors of inserted sentences). Two documents whose `origins`
    /// intersect share real text even when no labelled pair links them.
    #[serde(default)]
    pub origins: Vec<String>,
    /// Story id: documents with the same story id are about the same event (possibly
    /// unlabelled same-story pairs across reuse rounds).
    #[serde(default)]
    pub story: Option<String>,
}

/// One aligned passage of a labelled pair: the part of A and the part of B that correspond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    /// Character range in A.
    pub a: CharRange,
    /// Character range in B.
    pub b: CharRange,
}

/// One labelled pair of documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthPair {
    /// First document (the source for derivation relations).
    pub a_id: String,
    /// Second document (the copy for derivation relations).
    pub b_id: String,
    /// `duplicate`, `near-duplicate`, `rewrite`, `partial` or `same-story`.
    pub relation: String,
    /// How B was made from A, e.g. `synonym-0.3+reorder`; `none` for unobfuscated pairs.
    #[serde(default)]
    pub obfuscation: Option<String>,
    /// The id of the source document (`a_id`) for derivations, `null` for same-story pairs.
    #[serde(default)]
    pub source_id: Option<String>,
    /// Aligned passages in character offsets.
    #[serde(default)]
    pub passages: Vec<Passage>,
}

/// One true family (cluster) of documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthFamily {
    /// Cluster id.
    pub family: String,
    /// Member document ids.
    pub members: Vec<String>,
}
