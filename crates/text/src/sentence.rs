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
        let buf = self.buf.as_str();
        let len = buf.len();
        let push = |rel: usize, cuts: &mut Vec<usize>| {
            if rel > 0 && rel < len && slice.is_char_boundary(rel) {
                let abs = para.start + rel;
                if cuts.last().is_none_or(|&last| abs > last) {
                    cuts.push(abs);
                }
            }
        };
        if len <= WINDOW_THRESHOLD {
            for b in sentencex::get_sentence_boundaries(language_code, buf) {
                push(b.end_byte, cuts);
            }
            return;
        }
        // Long paragraph: sentencex can be quadratic (e.g. on text without spaces), so work
        // through windows. Boundaries closer than LOOKAHEAD to the artificial window end
        // are not trusted; the next window starts at the last trusted boundary.
        let mut start = 0usize;
        let mut window = WINDOW;
        while start < len {
            let end = floor_char_boundary(buf, start.saturating_add(window).min(len));
            let piece = &buf[start..end];
            let ends = sentencex::get_sentence_boundaries(language_code, piece);
            if end == len {
                for b in ends {
                    push(start + b.end_byte, cuts);
                }
                break;
            }
            let mut last_trusted = None;
            for b in ends {
                let abs = start + b.end_byte;
                if abs + LOOKAHEAD <= end && abs > start {
                    push(abs, cuts);
                    last_trusted = Some(abs);
                }
            }
            match last_trusted {
                Some(at) => {
                    start = at;
                    window = WINDOW;
                }
                None if window < MAX_WINDOW => window *= 2,
                None => {
                    // One sentence longer than MAX_WINDOW: force a cut at the last white
                    // space of the window's second half (or at the window end).
                    let half = floor_char_boundary(buf, start + window / 2);
                    let at = buf[half..end]
                        .rfind(' ')
                        .map(|i| half + i + 1)
                        .unwrap_or(end);
                    push(at, cuts);
                    start = at;
                    window = WINDOW;
                }
            }
        }
    }
}

/// Paragraphs up to this many bytes go to sentencex in one piece.
const WINDOW_THRESHOLD: usize = 16 * 1024;
/// Window size for longer paragraphs.
const WINDOW: usize = 8 * 1024;
/// Largest window tried before forcing a cut inside an overlong sentence.
const MAX_WINDOW: usize = 64 * 1024;
/// Context needed after a boundary for sentencex's decision to be trusted.
const LOOKAHEAD: usize = 256;

/// Largest char boundary of `s` not above `i`.
fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
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
    fn long_paragraphs_are_split_in_windows_like_short_ones() {
        let unit = "Mr. Smith met Dr. Jones at 5 p.m. on Monday. They talked about the U.S. economy. \
                    “It is fine,” he said. Prices rose 1,941.5 points! ";
        let short = sentence_texts(unit);
        assert_eq!(short.len(), 4);
        let long = unit.repeat(400); // well above WINDOW_THRESHOLD
        assert!(long.len() > WINDOW_THRESHOLD * 2);
        let got = sentence_texts(&long);
        assert_eq!(got.len(), 1600);
        for chunk in got.chunks(4) {
            assert_eq!(chunk, short.as_slice());
        }
    }

    #[test]
    fn overlong_sentences_are_cut() {
        let text = "word ".repeat(30_000);
        let got = sentence_texts(&text);
        assert!(got.len() >= 2);
        assert!(got.iter().all(|s| s.len() <= MAX_WINDOW && !s.is_empty()));
        assert!(
            got.iter()
                .all(|s| s.starts_with("word") && s.ends_with("word"))
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
