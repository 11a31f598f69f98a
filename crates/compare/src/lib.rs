//! Comparing two documents: relation, alignment, direction and change report.
//!
//! The pure heart of stemma. No I/O, no global state, deterministic.
//!
//! ```ignore
//! let a = stemma_text::prepare(text_a);
//! let b = stemma_text::prepare(text_b);
//! let cmp = Comparer::default().compare(&Document::new(text_a, &a), &Document::new(text_b, &b));
//! ```

pub mod model;

pub use model::*;
use stemma_text::PreparedText;

/// One side of a comparison: the original text, its preparation, and its date if known.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    /// The original input text; every span refers to its bytes.
    pub text: &'a str,
    /// `text` prepared by `stemma_text`.
    pub prepared: &'a PreparedText,
    /// Publication time in seconds since the Unix epoch, when known.
    pub date: Option<i64>,
}

impl<'a> Document<'a> {
    /// A document without a date.
    pub fn new(text: &'a str, prepared: &'a PreparedText) -> Self {
        Document { text, prepared, date: None }
    }

    /// The same document with a publication time (seconds since the Unix epoch).
    pub fn with_date(mut self, date: Option<i64>) -> Self {
        self.date = date;
        self
    }
}

/// Tunable settings of a comparison.
#[derive(Debug, Clone, Default)]
pub struct CompareOptions {}

/// Compares documents with a given sentence scorer and options.
#[derive(Debug, Default)]
pub struct Comparer {
    options: CompareOptions,
}

impl Comparer {
    /// A comparer with the given options and the lexical sentence scorer.
    pub fn new(options: CompareOptions) -> Self {
        Comparer { options }
    }

    /// Compares `a` with `b`. PLACEHOLDER until the aligner lands: always `unrelated`.
    pub fn compare(&self, a: &Document<'_>, b: &Document<'_>) -> Comparison {
        let _ = (&self.options, a, b);
        Comparison {
            relation: Relation::Unrelated,
            score: 0.0,
            direction: Direction { source: None, confidence: 0.0, evidence: vec![] },
            coverage: Coverage { a: 0.0, b: 0.0 },
            alignments: vec![],
            changes: vec![],
            dropped: vec![],
            added: vec![],
        }
    }
}
