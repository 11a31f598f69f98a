//! Word and number tokens of the original text (UAX #29 word boundaries).
//!
//! Tokens come from [`unicode_segmentation`]'s word-boundary segmentation of the ORIGINAL
//! text; segments without any alphanumeric char (punctuation, white space, emoji) are not
//! tokens. Consequences of UAX #29 that callers can rely on:
//! * apostrophes inside words keep the word whole, for `'` and `’` alike: `don't`,
//!   `O'Brien`, `Korea’s` are single tokens (norms `don't`, `o'brien`, `korea's`); the
//!   English stemmer removes the possessive, so `Korea’s`, `Korea's` and `Korea` share the
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
use crate::stopwords::function_word_mask;
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
    /// Function-word lists containing `norm` (see [`crate::stopwords::function_word_mask`]).
    pub function_word: u8,
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
pub fn word_segments(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    text.split_word_bound_indices().filter_map(|(start, seg)| {
        if !has_alphanumeric(seg) {
            return None;
        }
        let (offset, kept) = trim_segment(seg);
        if kept.is_empty() {
            None
        } else {
            Some((start + offset, kept))
        }
    })
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
        let script = token_script(&norm);
        let function_word = function_word_mask(&norm);
        out.push(RawToken {
            span: Span::new(start, start + seg.len()),
            norm,
            kind,
            capitalized,
            script,
            function_word,
        });
    }
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
            vec!["don't", "o'brien", "north", "korea's", "korea's"]
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
    fn punctuation_and_emoji_are_not_tokens() {
        assert!(tokenize("... — !!! 🙂 \n\t").is_empty());
    }
}
