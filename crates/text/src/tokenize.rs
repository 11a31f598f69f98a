//! Word and number tokens of the original text (UAX #29 word boundaries).
//!
//! Tokens come from [`unicode_segmentation`]'s word-boundary segmentation of the ORIGINAL
//! text; segments without any alphanumeric char (punctuation, white space, emoji) are not
//! tokens. Consequences of UAX #29 that callers can rely on:
//! * apostrophes inside words keep the word whole, for `'` and `’` alike: `don't`,
//!   `O'Brien`, `Korea’s` are single tokens (norms `don't`, `o'brien`, `korea`: normalization
//!   drops a possessive `'s`), so `Korea’s`, `Korea's` and `Korea` share norm and
//!   stem `korea`;
//! * numbers keep their inner separators: `1,941.5` is one [`TokenKind::Number`] token;
//! * hyphens split: `1941-1945` gives the numbers `1941` and `1945`, `Jong-un` gives `jong`
//!   and `un`;
//! * abbreviations keep inner dots but not the final one: `U.S.` gives the token `u.s`.
//!
//! A token is a [`TokenKind::Number`] when its normalized form starts with a digit. So
//! ordinals and digit-led words such as `75th`, `1990s` or `3D` are numbers (norm `75th`):
//! for change reports a changed ordinal is a changed number.

use unicode_segmentation::UnicodeSegmentation;

use crate::normalize::normalize_into;
use crate::stopwords::{FunctionWord, function_word};
use crate::{Span, TokenKind};

/// Writing system of a token, as far as stemmer choice cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    /// Latin letters (ASCII and the Latin extension blocks).
    Latin,
    /// Cyrillic letters.
    Cyrillic,
    /// Any other script.
    Other,
    /// No letter at all (pure numbers).
    None,
}

/// A token before language-dependent processing (stem, stop flag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawToken {
    /// Original bytes.
    pub span: Span,
    /// Normalized form (never empty).
    pub norm: String,
    /// Word or number.
    pub kind: TokenKind,
    /// Original starts with an upper-case letter.
    pub capitalized: bool,
    /// Script of the first letter of `norm`.
    pub script: Script,
    /// Original has at least two letters, all upper case (`US`, `NATO`, `THE`).
    pub all_caps: bool,
    /// Function-word lists containing `norm` (see [`crate::stopwords::function_word`]).
    pub function_word: FunctionWord,
}

/// Script of a single char.
pub fn char_script(c: char) -> Script {
    match c {
        'a'..='z' | 'A'..='Z' => Script::Latin,
        _ if c.is_ascii() => Script::None,
        '\u{00C0}'..='\u{024F}'
        | '\u{1E00}'..='\u{1EFF}'
        | '\u{2C60}'..='\u{2C7F}'
        | '\u{A720}'..='\u{A7FF}'
        | '\u{AB30}'..='\u{AB6F}' => {
            if c.is_alphabetic() {
                Script::Latin
            } else {
                Script::None
            }
        }
        '\u{0400}'..='\u{052F}'
        | '\u{1C80}'..='\u{1C8F}'
        | '\u{2DE0}'..='\u{2DFF}'
        | '\u{A640}'..='\u{A69F}' => Script::Cyrillic,
        _ if c.is_alphabetic() => Script::Other,
        _ => Script::None,
    }
}

/// Script of a normalized token: that of its first letter.
pub fn token_script(norm: &str) -> Script {
    norm.chars()
        .map(char_script)
        .find(|s| *s != Script::None)
        .unwrap_or(Script::None)
}

/// True when a word segment holds something worth a token.
#[inline]
fn has_alphanumeric(seg: &str) -> bool {
    if seg.is_ascii() {
        seg.bytes().any(|b| b.is_ascii_alphanumeric())
    } else {
        seg.chars().any(char::is_alphanumeric)
    }
}

/// Trims white space and connector underscores off a segment, returning the byte offset of
/// the kept part within `seg` and the kept part.
#[inline]
fn trim_segment(seg: &str) -> (usize, &str) {
    let trimmed_start = seg.trim_start_matches(|c: char| c.is_whitespace() || c == '_');
    let offset = seg.len() - trimmed_start.len();
    (
        offset,
        trimmed_start.trim_end_matches(|c: char| c.is_whitespace() || c == '_'),
    )
}

/// Word segments of `text` that are tokens: `(start byte, original slice)`.
///
/// Same result as filtering [`UnicodeSegmentation::split_word_bound_indices`] (see
/// [`word_segments_reference`]), but faster: the text is cut at ASCII white space (UAX #29
/// always breaks there), pure-ASCII pieces are segmented by [`ascii_words`] and only the
/// pieces holding non-ASCII chars go through the general Unicode tables.
pub fn word_segments(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0usize;
    let mut pending: Vec<(usize, &str)> = Vec::new();
    let mut pending_at = 0usize;
    std::iter::from_fn(move || {
        loop {
            if pending_at < pending.len() {
                pending_at += 1;
                return Some(pending[pending_at - 1]);
            }
            // Next piece: a maximal run of non-ASCII-white-space bytes.
            while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
                pos += 1;
            }
            if pos >= bytes.len() {
                return None;
            }
            let start = pos;
            let mut ascii = true;
            while pos < bytes.len() && !bytes[pos].is_ascii_whitespace() {
                ascii &= bytes[pos].is_ascii();
                pos += 1;
            }
            // ASCII white space is never inside a multi-byte char, so `start..pos` is on
            // char boundaries.
            let piece = &text[start..pos];
            pending.clear();
            pending_at = 0;
            if ascii {
                ascii_words(piece, |s, e| pending.push((start + s, &piece[s..e])));
            } else {
                for (s, seg) in piece.split_word_bound_indices() {
                    if let Some((off, kept)) = keep_segment(seg) {
                        pending.push((start + s + off, kept));
                    }
                }
            }
        }
    })
}

/// The kept part of a word segment, if it is a token: `(offset in seg, kept slice)`.
#[inline]
fn keep_segment(seg: &str) -> Option<(usize, &str)> {
    if !has_alphanumeric(seg) {
        return None;
    }
    let (offset, kept) = trim_segment(seg);
    (!kept.is_empty()).then_some((offset, kept))
}

/// UAX #29 word segmentation of a piece of ASCII text without white space, reporting the
/// kept `(start, end)` of every segment that is a token (one with an alphanumeric char,
/// trimmed of connector underscores).
///
/// In ASCII the rules reduce to: a run of `[A-Za-z0-9_]` is one segment, extended across a
/// single `:`, `.` or `'` between two letters (WB6/7) and across a single `,`, `;`, `.` or
/// `'` between two digits (WB11/12). Every other char is a segment of its own.
pub fn ascii_words(piece: &str, mut emit: impl FnMut(usize, usize)) {
    let b = piece.as_bytes();
    let n = b.len();
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0usize;
    while i < n {
        if !is_word(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        loop {
            if i < n && is_word(b[i]) {
                i += 1;
                continue;
            }
            if i + 1 < n {
                let (prev, mid, next) = (b[i - 1], b[i], b[i + 1]);
                let letters = prev.is_ascii_alphabetic()
                    && next.is_ascii_alphabetic()
                    && matches!(mid, b':' | b'.' | b'\'');
                let digits = prev.is_ascii_digit()
                    && next.is_ascii_digit()
                    && matches!(mid, b',' | b';' | b'.' | b'\'');
                if letters || digits {
                    i += 2;
                    continue;
                }
            }
            break;
        }
        // Trim connector underscores; keep only segments with an alphanumeric byte.
        let (mut s, mut e) = (start, i);
        while s < e && b[s] == b'_' {
            s += 1;
        }
        while e > s && b[e - 1] == b'_' {
            e -= 1;
        }
        if b[s..e].iter().any(u8::is_ascii_alphanumeric) {
            emit(s, e);
        }
    }
}

/// Reference implementation of [`word_segments`] straight on top of
/// [`UnicodeSegmentation::split_word_bound_indices`] (slower; kept for tests).
pub fn word_segments_reference(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    text.split_word_bound_indices()
        .filter_map(|(start, seg)| keep_segment(seg).map(|(off, kept)| (start + off, kept)))
}

/// Tokenizes `text`, appending to `out`.
pub fn tokenize_into(text: &str, out: &mut Vec<RawToken>) {
    for (start, seg) in word_segments(text) {
        let mut norm = String::new();
        normalize_into(seg, &mut norm);
        let Some(first) = norm.chars().next() else {
            continue;
        };
        let kind = if first.is_numeric() {
            TokenKind::Number
        } else {
            TokenKind::Word
        };
        let capitalized = seg.chars().next().is_some_and(char::is_uppercase);
        let all_caps = capitalized && is_all_caps(seg);
        let script = token_script(&norm);
        let function_word = function_word(&norm);
        out.push(RawToken {
            span: Span::new(start, start + seg.len()),
            norm,
            kind,
            capitalized,
            script,
            all_caps,
            function_word,
        });
    }
}

/// True when `seg` has at least two letters and no lower-case letter.
fn is_all_caps(seg: &str) -> bool {
    let mut letters = 0usize;
    for c in seg.chars() {
        if c.is_lowercase() {
            return false;
        }
        letters += usize::from(c.is_alphabetic());
    }
    letters >= 2
}

/// Tokenizes `text`.
pub fn tokenize(text: &str) -> Vec<RawToken> {
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    tokenize_into(text, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.norm).collect()
    }

    #[test]
    fn words_numbers_and_spans() {
        let text = "The 75th anniversary, 1941-1945: 1,941.5 tons.";
        let toks = tokenize(text);
        let got: Vec<(&str, &str, TokenKind)> = toks
            .iter()
            .map(|t| (&text[t.span.start..t.span.end], t.norm.as_str(), t.kind))
            .collect();
        assert_eq!(
            got,
            vec![
                ("The", "the", TokenKind::Word),
                ("75th", "75th", TokenKind::Number),
                ("anniversary", "anniversary", TokenKind::Word),
                ("1941", "1941", TokenKind::Number),
                ("1945", "1945", TokenKind::Number),
                ("1,941.5", "1,941.5", TokenKind::Number),
                ("tons", "tons", TokenKind::Word),
            ]
        );
        assert!(toks[0].capitalized);
        assert!(!toks[2].capitalized);
    }

    #[test]
    fn apostrophes_keep_words_whole() {
        assert_eq!(
            norms("Don't O'Brien North Korea’s Korea's"),
            vec!["don't", "o'brien", "north", "korea", "korea"]
        );
    }

    #[test]
    fn nfkc_spans_point_at_original() {
        let text = "the ﬁnance of １２３ ＡＢＣ";
        let toks = tokenize(text);
        assert_eq!(toks[1].norm, "finance");
        assert_eq!(&text[toks[1].span.start..toks[1].span.end], "ﬁnance");
        assert_eq!(toks[3].norm, "123");
        assert_eq!(toks[3].kind, TokenKind::Number);
        assert_eq!(&text[toks[3].span.start..toks[3].span.end], "１２３");
        assert_eq!(toks[4].norm, "abc");
        assert!(toks[4].capitalized);
    }

    #[test]
    fn scripts() {
        let toks = tokenize("Putin Путин 東京 42");
        let scripts: Vec<Script> = toks.iter().map(|t| t.script).collect();
        assert_eq!(
            scripts,
            vec![
                Script::Latin,
                Script::Cyrillic,
                Script::Other,
                Script::Other,
                Script::None
            ]
        );
    }

    #[test]
    fn fast_segmentation_matches_reference() {
        for text in [
            "a.b a:b a'b 1,2 1;2 1.2 1'2 a,b 1:2 a.1 1.a _a_ a__b a_1 .a. ..1..2.. 'x' a.b.c.",
            "U.S. p.m. 1,941.5 don't O'Brien e-mail foo@bar.com x_y 75th 3D",
            "café naïve Korea’s ﬁnance １２ Путин\u{301} \u{301}a \u{a0}b\u{2029}c",
            "a\u{200d}b \u{AD}x y\u{AD} 東京 🙂a a🙂 \t\r\n_",
        ] {
            let fast: Vec<_> = word_segments(text).collect();
            let slow: Vec<_> = word_segments_reference(text).collect();
            assert_eq!(fast, slow, "{text:?}");
        }
    }

    #[test]
    fn punctuation_and_emoji_are_not_tokens() {
        assert!(tokenize("... — !!! 🙂 \n\t").is_empty());
    }
}
