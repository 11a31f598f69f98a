//! stemma-render: printers for comparison results.
//!
//! Three printers, all of which only *render* a [`Comparison`] (they never compute a relation,
//! an alignment or a score):
//!
//! - [`terminal`]: a readable plain-text view, optionally colored with ANSI escapes;
//! - [`json`]: the `compare` JSON contract (see `docs/json.md`);
//! - [`html`]: one self-contained HTML page with the two texts side by side, and a reusable
//!   fragment ([`html::fragment`]) for embedding a pair in a larger report;
//! - [`graph`]: a story family's derivation graph as SVG (documents by date, edges source →
//!   copy), drawn the same in the scan report and the server's web page.
//!
//! Spans in a [`Comparison`] are byte offsets into the texts given as [`Input::text`] (for the
//! terminal and HTML views: the decoded UTF-8 text, when the front end decoded another
//! encoding; the JSON printer only serializes spans, which front ends map back to the
//! original bytes first). The printers slice defensively: a span that is out of range, reversed or not on a `char` boundary is clamped
//! to the nearest valid range instead of panicking.

#![warn(missing_docs)]

pub mod graph;
pub mod html;
pub mod json;
pub mod report;
pub mod terminal;
#[cfg(test)]
mod testdata;

pub use stemma_compare::{Comparison, Side, Span};

/// One of the two compared texts, as the printers need it: a label and the text.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// What to call the text (usually its file name, or `-` for standard input).
    pub label: &'a str,
    /// The text (decoded to UTF-8 when the input was in another encoding); the comparison's
    /// spans given to the terminal and HTML printers index its bytes.
    pub text: &'a str,
    /// How the input was decoded, when the front end decoded it (see [`Input::with_encoding`]).
    pub encoding: Option<InputEncoding<'a>>,
}

/// How an input's bytes were decoded into [`Input::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputEncoding<'a> {
    /// The encoding's name (`UTF-8`, `windows-1252`, `UTF-16LE`, …).
    pub name: &'a str,
    /// True when the input started with a byte order mark (not part of the text).
    pub bom: bool,
    /// Length of the original input in bytes.
    pub original_len: usize,
}

impl InputEncoding<'_> {
    /// True for UTF-8 without byte order mark: the text is the input's bytes.
    pub fn is_plain_utf8(&self) -> bool {
        self.name == "UTF-8" && !self.bom
    }

    /// `windows-1252`, `UTF-8 (BOM)`, …
    pub fn describe(&self) -> String {
        if self.bom {
            format!("{} (BOM)", self.name)
        } else {
            self.name.to_string()
        }
    }
}

impl<'a> Input<'a> {
    /// An input with a label and its text (UTF-8 as given, nothing decoded).
    pub fn new(label: &'a str, text: &'a str) -> Self {
        Input {
            label,
            text,
            encoding: None,
        }
    }

    /// The same input, saying how its bytes were decoded: headers show the encoding when it
    /// is not plain UTF-8, and the original length; the JSON `inputs` object gives both.
    pub fn with_encoding(mut self, encoding: InputEncoding<'a>) -> Self {
        self.encoding = Some(encoding);
        self
    }

    /// Length of the input as given, in bytes (the text's length when nothing was decoded).
    pub fn original_len(&self) -> usize {
        self.encoding.map_or(self.text.len(), |e| e.original_len)
    }

    /// The encoding to show in a header: `None` for plain UTF-8 (or when unknown).
    pub fn shown_encoding(&self) -> Option<String> {
        self.encoding
            .filter(|e| !e.is_plain_utf8())
            .map(|e| e.describe())
    }
}

/// The side whose bytes `dropped` spans index: the source, or A when the direction is unknown.
pub fn dropped_side(cmp: &Comparison) -> Side {
    cmp.direction.source.unwrap_or(Side::A)
}

/// The side whose bytes `added` spans index: the copy, or B when the direction is unknown.
pub fn added_side(cmp: &Comparison) -> Side {
    match dropped_side(cmp) {
        Side::A => Side::B,
        Side::B => Side::A,
    }
}

/// Largest char boundary of `text` that is `<= i` (clamped to the text length).
pub(crate) fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Clamps `span` to a valid, ordered, char-aligned range of `text`.
pub(crate) fn clamp_span(text: &str, span: Span) -> (usize, usize) {
    let s = floor_boundary(text, span.start);
    let e = floor_boundary(text, span.end);
    if e < s { (s, s) } else { (s, e) }
}

/// The slice of `text` covered by `span`, clamped so that it never panics.
pub fn slice(text: &str, span: Span) -> &str {
    let (s, e) = clamp_span(text, span);
    &text[s..e]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slice_clamps_bad_spans() {
        let t = "héllo wörld";
        assert_eq!(slice(t, Span::new(0, 5)), "héll");
        // 2 is inside 'é' (bytes 1..3): floored to 1.
        assert_eq!(slice(t, Span { start: 2, end: 4 }), "él");
        assert_eq!(slice(t, Span { start: 8, end: 3 }), "");
        assert_eq!(
            slice(
                t,
                Span {
                    start: 5,
                    end: 1000
                }
            ),
            "o wörld"
        );
        assert_eq!(
            slice(
                t,
                Span {
                    start: 1000,
                    end: 2000
                }
            ),
            ""
        );
    }
}
