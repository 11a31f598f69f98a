//! Hashed word shingles, the sets that MinHash and exact Jaccard are computed over.
//!
//! # Normalization (the same everywhere: dedup, scan, benchmarks)
//!
//! stemma's sketches use their own fast word splitter, not `stemma_text` tokens, so that a
//! million documents can be sketched without full text preparation:
//!
//! - a **word** is a maximal run of characters for which [`char::is_alphanumeric`] holds
//!   (so punctuation, whitespace, `_`, apostrophes and hyphens separate words);
//! - each word is **lowercased** with [`char::to_lowercase`] (ASCII takes a fast path);
//! - each lowercased word is hashed to `u64` with xxh3 ([`word_hash`]);
//! - a **shingle** is `k` consecutive words; its hash is xxh3 of the `k` word hashes written
//!   as little-endian bytes ([`shingle_hashes`]). A text with `1..k` words has one shingle of
//!   all its words; a text with no word has none.
//!
//! In Python terms a word is `re.findall(r"[^\W_]+", text.lower())`, up to Unicode
//! table differences.

use xxhash_rust::xxh3::xxh3_64;

/// Default shingle size in words (as in text-dedup).
pub const DEFAULT_NGRAM: usize = 5;

/// xxh3 hash of one (already lowercased) word.
#[inline]
pub fn word_hash(word: &[u8]) -> u64 {
    xxh3_64(word)
}

const SEP: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const NON_ASCII: u8 = 4;

/// Byte classes: ASCII separators, ASCII lowercase letters and digits, ASCII uppercase
/// letters, non-ASCII (lead or continuation) bytes.
static CLASS: [u8; 256] = {
    let mut t = [SEP; 256];
    let mut b = 0;
    while b < 256 {
        let u = b as u8;
        t[b] = if u >= 0x80 {
            NON_ASCII
        } else if u.is_ascii_uppercase() {
            UPPER
        } else if u.is_ascii_lowercase() || u.is_ascii_digit() {
            LOWER
        } else {
            SEP
        };
        b += 1;
    }
    t
};

/// Calls `f` with each normalized (lowercased) word of `text`, as UTF-8 bytes.
pub fn for_each_word(text: &str, mut f: impl FnMut(&[u8])) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut word: Vec<u8> = Vec::new();
    let mut small = [0u8; 64];
    let mut i = 0;
    while i < n {
        let c = CLASS[bytes[i] as usize];
        if c == SEP {
            i += 1;
            continue;
        }
        let start = i;
        let mut upper = 0u8;
        let mut c = c;
        while c & (LOWER | UPPER) != 0 {
            upper |= c;
            i += 1;
            if i == n {
                break;
            }
            c = CLASS[bytes[i] as usize];
        }
        if i == n || c == SEP {
            // Fast path: a pure ASCII word, hashed in place when already lowercase.
            let w = &bytes[start..i];
            if upper & UPPER == 0 {
                f(w);
            } else if w.len() <= small.len() {
                for (d, s) in small.iter_mut().zip(w) {
                    *d = s.to_ascii_lowercase();
                }
                f(&small[..w.len()]);
            } else {
                word.clear();
                word.extend(w.iter().map(u8::to_ascii_lowercase));
                f(&word);
            }
            continue;
        }
        // Slow path: the word contains (or starts with) a non-ASCII char. `i` is on a char
        // boundary (ASCII bytes never occur inside a multi-byte char).
        word.clear();
        word.extend(bytes[start..i].iter().map(u8::to_ascii_lowercase));
        while i < n {
            let b = bytes[i];
            if b < 0x80 {
                if !b.is_ascii_alphanumeric() {
                    break;
                }
                word.push(b.to_ascii_lowercase());
                i += 1;
            } else {
                let c = text[i..].chars().next().expect("char boundary");
                i += c.len_utf8();
                if !c.is_alphanumeric() {
                    break;
                }
                let mut tmp = [0u8; 4];
                for lc in c.to_lowercase() {
                    word.extend_from_slice(lc.encode_utf8(&mut tmp).as_bytes());
                }
            }
        }
        if !word.is_empty() {
            f(&word);
        }
    }
}

/// Appends the hash of each normalized word of `text` to `out` (not cleared).
pub fn word_hashes(text: &str, out: &mut Vec<u64>) {
    for_each_word(text, |w| out.push(word_hash(w)));
}

/// Appends the hash of each `k`-word shingle over `words` (word hashes) to `out` (not
/// cleared). Fewer than `k` (but at least one) words give one shingle of all of them.
/// Duplicates are kept; see [`shingle_set`] for a set.
///
/// # Panics
/// If `k == 0`.
pub fn shingle_hashes(words: &[u64], k: usize, out: &mut Vec<u64>) {
    assert!(k > 0, "shingle size must be at least 1");
    if words.is_empty() {
        return;
    }
    let k = k.min(words.len());
    let mut buf = vec![0u8; 8 * k];
    out.reserve(words.len() + 1 - k);
    for win in words.windows(k) {
        for (chunk, w) in buf.chunks_exact_mut(8).zip(win) {
            chunk.copy_from_slice(&w.to_le_bytes());
        }
        out.push(xxh3_64(&buf));
    }
}

/// The shingle hashes of `text` (k words each), with duplicates.
pub fn shingles(text: &str, k: usize) -> Vec<u64> {
    let mut words = Vec::new();
    word_hashes(text, &mut words);
    let mut out = Vec::new();
    shingle_hashes(&words, k, &mut out);
    out
}

/// The set of shingle hashes of `text`: sorted, without duplicates.
pub fn shingle_set(text: &str, k: usize) -> Vec<u64> {
    let mut s = shingles(text, k);
    s.sort_unstable();
    s.dedup();
    s
}

/// Hash of a normalized word sequence given as word hashes (for exact-duplicate detection:
/// texts that differ only in case, punctuation and spacing get the same hash). A
/// multiply-rotate fold of the word hashes with a SplitMix64 finish; order-sensitive.
pub fn text_hash_of_words(words: &[u64]) -> u64 {
    let mut h: u64 = 0x9e37_79b9_7f4a_7c15 ^ words.len() as u64;
    for &w in words {
        h = (h.rotate_left(27) ^ w).wrapping_mul(0x0000_0100_0000_01b3 | 0x9e37_0000_0000_0001);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// Exact Jaccard similarity `|A∩B| / |A∪B|` of two sorted, duplicate-free sets; 1.0 when
/// both are empty.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    inter as f64 / (a.len() + b.len() - inter) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        for_each_word(text, |w| v.push(String::from_utf8(w.to_vec()).unwrap()));
        v
    }

    #[test]
    fn words_are_lowercased_alphanumeric_runs() {
        assert_eq!(
            words("The U.S. economy's 3.5% GROWTH—naïve Ünter_see, Москва!"),
            [
                "the",
                "u",
                "s",
                "economy",
                "s",
                "3",
                "5",
                "growth",
                "naïve",
                "ünter",
                "see",
                "москва"
            ]
        );
        assert!(words(" ... \n—").is_empty());
    }

    /// The plain char-by-char definition the fast splitter must match.
    fn reference_words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = String::new();
        for c in text.chars() {
            if c.is_alphanumeric() {
                cur.extend(c.to_lowercase());
            } else if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn fast_splitter_matches_reference(text in "[a-zA-Z0-9 .,'\\-_éÉßİΣσ—\u{85}\u{3000}日本]{0,80}") {
            proptest::prop_assert_eq!(words(&text), reference_words(&text));
        }
        #[test]
        fn long_ascii_words(text in "[A-Za-z]{60,80} [a-z]{70,90}") {
            proptest::prop_assert_eq!(words(&text), reference_words(&text));
        }
    }

    #[test]
    fn shingles_count_and_short_texts() {
        assert_eq!(shingles("a b c d e f g", 5).len(), 3);
        assert_eq!(shingles("a b c", 5).len(), 1);
        assert!(shingles("!!", 5).is_empty());
        // Case and punctuation do not matter; word order does.
        assert_eq!(
            shingles("Hello, World! foo", 2),
            shingles("hello world FOO", 2)
        );
        assert_ne!(shingles("hello world", 2), shingles("world hello", 2));
    }

    #[test]
    fn jaccard_exact() {
        let a = shingle_set("one two three four five six", 2);
        let b = shingle_set("one two three four five seven", 2);
        // 5 shingles each, 4 shared: 4 / 6.
        assert!((jaccard(&a, &b) - 4.0 / 6.0).abs() < 1e-12);
        assert_eq!(jaccard(&a, &a), 1.0);
        assert_eq!(jaccard(&[], &[]), 1.0);
        assert_eq!(jaccard(&a, &[]), 0.0);
    }

    #[test]
    fn text_hash_ignores_case_and_punctuation() {
        let h = |t: &str| {
            let mut w = Vec::new();
            word_hashes(t, &mut w);
            text_hash_of_words(&w)
        };
        assert_eq!(h("Hello,   world!"), h("hello world"));
        assert_ne!(h("hello world"), h("hello worlds"));
    }
}
