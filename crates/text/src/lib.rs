//! Text preparation: the first layer of stemma's pure core.
//!
//! Turns the bytes a user gave into a [`PreparedText`]: normalized word tokens (NFKC, case
//! folded, quotes/dashes/whitespace unified), stems and stop-word flags for the detected
//! language, sentences that survive abbreviations and quotes, and paragraphs. Every span it
//! reports is a [`Span`] of byte offsets into the ORIGINAL input, always on `char` boundaries,
//! so that every later layer can point back at exactly the bytes the user gave.
//!
//! No I/O, no global mutable state, deterministic.
//!
//! ```
//! use stemma_text::{prepare, Language, TokenKind};
//!
//! let text = "Mr. Smith paid $1,941.5 on Jan. 5. North Korea’s reply came later.\n\nNew paragraph";
//! let p = prepare(text);
//! assert_eq!(p.language, Language::English);
//! assert_eq!(p.sentences.len(), 3);
//! assert_eq!(p.paragraphs.len(), 2);
//! let number = p.tokens.iter().find(|t| t.kind == TokenKind::Number).unwrap();
//! assert_eq!(number.span.text(text), "1,941.5");
//! ```
//!
//! Entry points: [`prepare`] / [`prepare_with`] (language forced through
//! [`PrepareOptions`]), or a [`Preparer`] kept around and shared between threads (it is
//! immutable and `Send + Sync`); [`fingerprint_text`] / [`PreparedText::fingerprint`] for
//! exact-duplicate hashing; [`PreparedText::is_sentence_initial`] for name detection.
//!
//! Modules: [`normalize`] (per-token NFKC and folding), [`tokenize`] (UAX #29 word tokens),
//! [`sentence`] (paragraphs and sentences), [`language`] (dominant-language detection),
//! [`stopwords`] (stop-word lists), [`stem`] (per-token stemmer choice), [`fingerprint`]
//! (canonical text hashing for exact-duplicate detection).
#![warn(missing_docs)]

pub mod fingerprint;
pub mod language;
pub mod normalize;
pub mod sentence;
pub mod stem;
pub mod stopwords;
pub mod tokenize;

mod prepare;

pub use fingerprint::{canonical_tokens, fingerprint_text};
pub use prepare::{PrepareOptions, Preparer, prepare, prepare_with};

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
    /// The covered text of `original` (the text the span was made for); empty when the
    /// span is out of range or not on char boundaries of `original`.
    pub fn text<'a>(&self, original: &'a str) -> &'a str {
        original.get(self.start..self.end).unwrap_or("")
    }
    /// True when `other` lies entirely within `self`.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
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
    /// A number (digits, possibly with `.`/`,` separators, e.g. `1,941.5`); any token whose
    /// normalized form starts with a digit counts, so `75th` and `1990s` are numbers too.
    Number,
}

/// One word token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// Where the token is in the original input.
    pub span: Span,
    /// Normalized form: NFKC, case folded, unified punctuation, possessive `'s` and the dots
    /// of initialisms removed (`Korea’s` → `korea`, `U.S.` → `us`); see [`normalize`].
    pub norm: String,
    /// Stem of `norm` for the text's language (equal to `norm` where there is no stemmer).
    pub stem: String,
    /// Word or number.
    pub kind: TokenKind,
    /// True for a stop word of the text's language.
    pub stop: bool,
    /// True when the original starts with an upper-case letter (a name candidate). See
    /// [`PreparedText::is_sentence_initial`] to discount sentence-initial capitals.
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

impl PreparedText {
    /// Index of the sentence holding token `token`, `None` when out of range.
    pub fn sentence_of(&self, token: usize) -> Option<usize> {
        if token >= self.tokens.len() {
            return None;
        }
        let i = self.sentences.partition_point(|s| s.tokens.end <= token);
        (i < self.sentences.len() && self.sentences[i].tokens.contains(&token)).then_some(i)
    }

    /// True when token `token` is the first token of its sentence. Useful for name
    /// detection: a capitalized sentence-initial word is weak evidence of a name.
    pub fn is_sentence_initial(&self, token: usize) -> bool {
        self.sentence_of(token)
            .is_some_and(|s| self.sentences[s].tokens.start == token)
    }

    /// The tokens of sentence `sentence` (empty when out of range).
    pub fn sentence_tokens(&self, sentence: usize) -> &[Token] {
        self.sentences
            .get(sentence)
            .and_then(|s| self.tokens.get(s.tokens.clone()))
            .unwrap_or(&[])
    }

    /// Hash of the normalized token sequence (case, punctuation and white space
    /// insensitive); equal to [`fingerprint_text`] of the original text.
    pub fn fingerprint(&self) -> u64 {
        fingerprint::fingerprint_norms(self.tokens.iter().map(|t| t.norm.as_str()))
    }
}
