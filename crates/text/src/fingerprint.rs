//! Canonical text for exact-duplicate detection.
//!
//! The canonical form of a text is its sequence of normalized tokens (the `norm` of every
//! [`Token`](crate::Token)): case, punctuation, quote style, dash style, white space and
//! line wrapping do not matter; words, numbers and their order do. [`fingerprint_text`]
//! hashes that sequence with XXH3-64 (a separator byte `0xFF`, which never occurs in UTF-8,
//! follows every token) without building sentences, stems or languages, so it is cheap
//! enough to run on every document of a scan. It equals
//! [`PreparedText::fingerprint`](crate::PreparedText::fingerprint) for the same text.
//! The value is stable across runs and platforms.

use std::borrow::Cow;

use xxhash_rust::xxh3::Xxh3;

use crate::normalize::normalize_into;
use crate::tokenize::word_segments;

/// True when an ASCII segment is already in normalized form.
#[inline]
fn ascii_is_canonical(seg: &str) -> bool {
    seg.bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase() && b != b'`')
        && !seg.ends_with("'s")
        && !seg.contains('.')
}

/// The normalized tokens of `text`, in order (borrowed when already normalized).
///
/// ```
/// let a: Vec<_> = stemma_text::canonical_tokens("North Korea’s  reply").collect();
/// let b: Vec<_> = stemma_text::canonical_tokens("north KOREA's\n reply!").collect();
/// assert_eq!(a, b);
/// ```
pub fn canonical_tokens(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    word_segments(text).filter_map(|(_, seg)| {
        if ascii_is_canonical(seg) {
            return Some(Cow::Borrowed(seg));
        }
        let mut norm = String::with_capacity(seg.len());
        normalize_into(seg, &mut norm);
        (!norm.is_empty()).then_some(Cow::Owned(norm))
    })
}

/// Hashes a sequence of normalized tokens (see the module docs).
pub fn fingerprint_norms<'a>(norms: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut h = Xxh3::new();
    for n in norms {
        h.update(n.as_bytes());
        h.update(&[0xFF]);
    }
    h.digest()
}

/// Case/punctuation/white-space-insensitive hash of `text` for exact-duplicate detection.
///
/// ```
/// use stemma_text::fingerprint_text;
/// assert_eq!(fingerprint_text("Don’t stop."), fingerprint_text("don't\n  STOP"));
/// assert_ne!(fingerprint_text("don't stop"), fingerprint_text("do not stop"));
/// ```
pub fn fingerprint_text(text: &str) -> u64 {
    let mut h = Xxh3::new();
    for t in canonical_tokens(text) {
        h.update(t.as_bytes());
        h.update(&[0xFF]);
    }
    h.digest()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insensitive_to_case_punctuation_and_spacing() {
        let a = fingerprint_text("North Korea’s reply: “No.”\n\nThe end");
        let b = fingerprint_text("north korea's reply - \"no\" the END.");
        assert_eq!(a, b);
    }

    #[test]
    fn sensitive_to_words_and_order() {
        assert_ne!(fingerprint_text("a b c"), fingerprint_text("a c b"));
        assert_ne!(fingerprint_text("ab c"), fingerprint_text("a bc"));
        assert_ne!(fingerprint_text("1941"), fingerprint_text("1945"));
    }

    #[test]
    fn matches_prepared_text() {
        let text = "ﬁnance Ｆinance   North Korea’s 1,941.5 — Путин сказал.";
        assert_eq!(crate::prepare(text).fingerprint(), fingerprint_text(text));
        let norms: Vec<String> = canonical_tokens(text).map(|c| c.into_owned()).collect();
        let prepared: Vec<String> = crate::prepare(text)
            .tokens
            .into_iter()
            .map(|t| t.norm)
            .collect();
        assert_eq!(norms, prepared);
    }
}
