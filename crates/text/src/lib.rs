//! Text preparation: the first layer of stemma's pure core.
//!
//! Turns the bytes a user gave into a [`PreparedText`]: normalized word tokens (NFKC, case
//! folded, quotes/dashes/whitespace unified), stems and stop-word flags for the detected
//! language, sentences that survive abbreviations and quotes, and paragraphs. Every span it
//! reports is a [`Span`] of byte offsets into the ORIGINAL input, always on `char` boundaries,
//! so that every later layer can point back at exactly the bytes the user gave.
//!
//! No I/O, no global mutable state, deterministic.

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into the original input text.
///
/// Serialized as a two-element array `[start, end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "(usize, usize)", into = "(usize, usize)")]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// Creates a span; `start <= end` is the caller's promise.
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }
    /// Number of bytes covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    /// True when the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

impl From<(usize, usize)> for Span {
    fn from((start, end): (usize, usize)) -> Self {
        Span { start, end }
    }
}

impl From<Span> for (usize, usize) {
    fn from(s: Span) -> Self {
        (s.start, s.end)
    }
}

/// Languages with their own stemmer and stop words; anything else is [`Language::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English.
    English,
    /// Russian.
    Russian,
    /// German.
    German,
    /// French.
    French,
    /// Spanish.
    Spanish,
    /// Any other language or script: no stemming, no stop words.
    Other,
}

/// What a word token is, as far as similarity and change reports care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// An ordinary word.
    Word,
    /// A number (digits, possibly with `.`/`,` separators, e.g. `1,941.5`).
    Number,
}

/// One word token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// Where the token is in the original input.
    pub span: Span,
    /// Normalized form: NFKC, case folded, unified punctuation.
    pub norm: String,
    /// Stem of `norm` for the text's language (equal to `norm` where there is no stemmer).
    pub stem: String,
    /// Word or number.
    pub kind: TokenKind,
    /// True for a stop word of the text's language.
    pub stop: bool,
    /// True when the original starts with an upper-case letter (a name candidate).
    pub capitalized: bool,
}

/// One sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// Where the sentence is in the original input (trimmed of surrounding white space).
    pub span: Span,
    /// Indices into [`PreparedText::tokens`] of the sentence's tokens.
    pub tokens: std::ops::Range<usize>,
    /// Index into [`PreparedText::paragraphs`] of the paragraph holding the sentence.
    pub paragraph: usize,
}

/// One paragraph (text between blank lines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// Where the paragraph is in the original input (trimmed).
    pub span: Span,
    /// Indices into [`PreparedText::sentences`] of the paragraph's sentences.
    pub sentences: std::ops::Range<usize>,
}

/// A text ready for comparison: tokens, sentences and paragraphs with offsets into the original.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreparedText {
    /// Length in bytes of the original input.
    pub len: usize,
    /// Detected dominant language.
    pub language: Language,
    /// Word and number tokens in order.
    pub tokens: Vec<Token>,
    /// Sentences in order.
    pub sentences: Vec<Sentence>,
    /// Paragraphs in order.
    pub paragraphs: Vec<Paragraph>,
}

/// Prepares `text` (language detected automatically).
/// PLACEHOLDER until text preparation lands: returns no tokens.
pub fn prepare(text: &str) -> PreparedText {
    PreparedText {
        len: text.len(),
        language: Language::Other,
        tokens: vec![],
        sentences: vec![],
        paragraphs: vec![],
    }
}
