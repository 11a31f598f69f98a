//! Paragraphs (text between blank lines) and sentence boundaries inside a paragraph.
//!
//! Paragraphs: a paragraph ends at a blank line (two line breaks with nothing but white
//! space between them) or at U+2029 PARAGRAPH SEPARATOR. Line breaks are `\n`, `\r`,
//! `\r\n`, VT, FF, NEL and U+2028. Paragraph spans are trimmed of white space.
//!
//! Sentences: each paragraph is handed to [`sentencex`] (rule-based, knows the abbreviations
//! of the language: `Mr.`, `Dr.`, `U.S.`, `p.m.`, `Jan.` …, keeps closing quotes with the
//! sentence) after every white-space char in it has been replaced by ASCII spaces of the
//! same byte length. That makes single line breaks inside a paragraph (hard-wrapped wire
//! text, indented Reuters lines) ordinary spaces, so they never end a sentence, while every
//! byte offset stays valid in the original. A blank line therefore always ends a sentence
//! and a headline without final punctuation followed by a blank line is its own sentence.

use crate::Span;

/// True for the chars that end a line.
#[inline]
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Paragraph spans of `text`, in order, trimmed, never empty.
pub fn paragraphs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut content_end = 0usize;
    let mut breaks = 0usize; // line breaks since the last non-white-space char
    let mut prev_cr = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if is_line_break(c) {
                if c == '\u{2029}' {
                    breaks += 2;
                } else if !(c == '\n' && prev_cr) {
                    breaks += 1;
                }
            }
            prev_cr = c == '\r';
            continue;
        }
        prev_cr = false;
        match start {
            Some(s) if breaks >= 2 => {
                out.push(Span::new(s, content_end));
                start = Some(i);
            }
            None => start = Some(i),
            _ => {}
        }
        breaks = 0;
        content_end = i + c.len_utf8();
    }
    if let Some(s) = start {
        out.push(Span::new(s, content_end));
    }
    out
}

/// Reusable state for sentence splitting (a scratch buffer).
#[derive(Debug, Default)]
pub struct SentenceSplitter {
    buf: String,
}

impl SentenceSplitter {
    /// Appends to `cuts` the absolute byte offsets inside `para` (exclusive of its ends) where
    /// sentencex ends a sentence. Offsets are on char boundaries of `text`.
    pub fn cuts(&mut self, text: &str, para: Span, language_code: &str, cuts: &mut Vec<usize>) {
        let slice = &text[para.start..para.end];
        self.buf.clear();
        self.buf.reserve(slice.len());
        for c in slice.chars() {
            if c.is_whitespace() {
                for _ in 0..c.len_utf8() {
                    self.buf.push(' ');
                }
            } else {
                self.buf.push(c);
            }
        }
        let boundaries = sentencex::get_sentence_boundaries(language_code, &self.buf);
        for b in boundaries {
            let end = b.end_byte;
            if end > 0 && end < slice.len() && slice.is_char_boundary(end) {
                let abs = para.start + end;
                if cuts.last().is_none_or(|&last| abs > last) {
                    cuts.push(abs);
                }
            }
        }
    }
}

/// Trims white space off both ends of `span` within `text`.
pub fn trim_span(text: &str, span: Span) -> Span {
    let s = &text[span.start..span.end];
    let after_start = s.trim_start();
    let start = span.start + (s.len() - after_start.len());
    let trimmed = after_start.trim_end();
    Span::new(start, start + trimmed.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para_texts(text: &str) -> Vec<&str> {
        paragraphs(text)
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn paragraphs_split_on_blank_lines_only() {
        assert_eq!(
            para_texts("Title\n\n  First line\n    wrapped.\r\n \r\nLast.\u{2029}Sep"),
            vec!["Title", "First line\n    wrapped.", "Last.", "Sep"]
        );
        assert!(para_texts(" \n\n\t ").is_empty());
        assert_eq!(para_texts("a\r\nb"), vec!["a\r\nb"]);
    }

    fn sentence_texts(text: &str) -> Vec<&str> {
        let mut sp = SentenceSplitter::default();
        let para = Span::new(0, text.len());
        let mut cuts = vec![];
        sp.cuts(text, para, "en", &mut cuts);
        let mut out = vec![];
        let mut prev = 0;
        for c in cuts.into_iter().chain([text.len()]) {
            let s = trim_span(text, Span::new(prev, c));
            out.push(&text[s.start..s.end]);
            prev = c;
        }
        out
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(
            sentence_texts("Mr. Smith met Dr. Jones at 5 p.m. on Jan. 5. They talked."),
            vec![
                "Mr. Smith met Dr. Jones at 5 p.m. on Jan. 5.",
                "They talked."
            ]
        );
        assert_eq!(
            sentence_texts("The U.S. economy grew. Prices fell."),
            vec!["The U.S. economy grew.", "Prices fell."]
        );
    }

    #[test]
    fn single_newlines_do_not_end_sentences() {
        assert_eq!(
            sentence_texts("Showers continued in\nthe zone since early\n    January. Next one."),
            vec![
                "Showers continued in\nthe zone since early\n    January.",
                "Next one."
            ]
        );
    }

    #[test]
    fn closing_quotes_stay_with_the_sentence() {
        assert_eq!(
            sentence_texts("He said: \"We will win.\" Then he left."),
            vec!["He said: \"We will win.\"", "Then he left."]
        );
        assert_eq!(
            sentence_texts("He said: “We will win.” Then he left."),
            vec!["He said: “We will win.”", "Then he left."]
        );
    }
}
