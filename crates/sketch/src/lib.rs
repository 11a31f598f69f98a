//! Signatures of documents and passages for finding candidate pairs without comparing all pairs.
//!
//! - [`shingle`]: hashed word shingles of a prepared text.
//! - [`minhash`]: MinHash signatures estimating Jaccard similarity of shingle sets.
//! - [`lsh`]: banding of MinHash signatures into buckets (near-duplicate candidates).
//! - [`passage`]: paraphrase-robust sentence/passage keys (rewrite candidates).
//!
//! Pure: no I/O, no global state, deterministic.

#![warn(missing_docs)]

pub mod lsh;
pub mod minhash;
pub mod passage;
pub mod shingle;
