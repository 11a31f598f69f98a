//! Word-level helpers: character trigrams, spelling distance, token-sequence similarity.

/// Sorted, de-duplicated hashes of the character trigrams of `word`, padded with a boundary
/// marker on both sides (so `abc` gives `^ab`, `abc`, `bc$`). Words of one character give one
/// gram. Used for soft matching of spelling variants (Matesgora / Matsegora) and inflections.
pub fn char_trigrams(word: &str) -> Vec<u32> {
    let mut out = Vec::new();
    char_trigrams_into(word, &mut out);
    out
}

/// Appends [`char_trigrams`] of `word` to `out` (sorted and de-duplicated among themselves)
/// without allocating; returns how many were appended.
pub fn char_trigrams_into(word: &str, out: &mut Vec<u32>) -> usize {
    #[inline]
    fn gram(a: u32, b: u32, c: u32) -> u32 {
        let mut h: u32 = 2_166_136_261;
        for x in [a, b, c] {
            h ^= x;
            h = h.wrapping_mul(16_777_619);
        }
        h
    }
    let start = out.len();
    // Sliding window over `\u{2}`, the chars of `word`, `\u{3}`.
    let mut prev2 = 2u32;
    let mut prev1: Option<u32> = None;
    for c in word.chars().map(|c| c as u32).chain(std::iter::once(3)) {
        if let Some(p1) = prev1 {
            out.push(gram(prev2, p1, c));
            prev2 = p1;
        }
        prev1 = Some(c);
    }
    if out.len() == start {
        out.push(word.chars().next().map_or(0, |c| c as u32));
    }
    let tail = &mut out[start..];
    tail.sort_unstable();
    // De-duplicate the tail in place.
    let mut w = 1usize;
    for r in 1..tail.len() {
        if tail[r] != tail[w - 1] {
            tail[w] = tail[r];
            w += 1;
        }
    }
    out.truncate(start + w);
    w
}

/// Dice coefficient of two sorted, de-duplicated slices.
pub(crate) fn dice_sorted(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    // Branch-free merge of the two sorted lists.
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        shared += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    2.0 * shared as f64 / (a.len() + b.len()) as f64
}

/// Dice coefficient of two sorted, de-duplicated trigram lists (as made by
/// [`char_trigrams`]): `word_similarity(a, b) == trigram_dice(&char_trigrams(a),
/// &char_trigrams(b))` for different words. 0 when either is empty.
pub fn trigram_dice(a: &[u32], b: &[u32]) -> f64 {
    dice_sorted(a, b)
}

/// Character-trigram Dice similarity of two words in `[0, 1]` (1 for equal words).
pub fn word_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    dice_sorted(&char_trigrams(a), &char_trigrams(b))
}

/// Optimal-string-alignment (restricted Damerau–Levenshtein) distance over `char`s: insertions,
/// deletions, substitutions and transpositions of adjacent characters each cost 1.
/// Inputs longer than 64 characters fall back to the length difference plus a cheap bound.
pub fn damerau_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() > 64 || b.len() > 64 {
        return a.len().abs_diff(b.len()).max(usize::from(a != b));
    }
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

/// Similarity of two token sequences in `[0, 1]`: `2·LCS / (|a| + |b|)` (1 for equal sequences,
/// 0 when one is empty and the other not). For very long inputs (product of lengths above
/// four million) an order-free bag overlap is used instead, to bound the cost.
pub fn token_sequence_similarity<T: PartialEq + Ord>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let total = (a.len() + b.len()) as f64;
    if a.len().saturating_mul(b.len()) > 4_000_000 {
        let mut x: Vec<&T> = a.iter().collect();
        let mut y: Vec<&T> = b.iter().collect();
        x.sort();
        y.sort();
        let (mut i, mut j, mut shared) = (0, 0, 0usize);
        while i < x.len() && j < y.len() {
            match x[i].cmp(y[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        return 2.0 * shared as f64 / total;
    }
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                prev[j + 1].max(cur[j])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    2.0 * prev[b.len()] as f64 / total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants_are_close() {
        assert!(word_similarity("matesgora", "matsegora") >= 0.5);
        assert!(word_similarity("absence", "absent") >= 0.5);
        assert!(word_similarity("matesgora", "moscow") < 0.3);
        assert_eq!(damerau_distance("matesgora", "matsegora"), 1);
        assert_eq!(damerau_distance("kitten", "sitting"), 3);
        assert_eq!(damerau_distance("", "abc"), 3);
    }

    #[test]
    fn trigrams_into_matches_a_plain_computation() {
        fn plain(word: &str) -> Vec<u32> {
            let chars: Vec<char> = std::iter::once('\u{2}')
                .chain(word.chars())
                .chain(std::iter::once('\u{3}'))
                .collect();
            let mut out: Vec<u32> = chars
                .windows(3)
                .map(|w| {
                    let mut h: u32 = 2_166_136_261;
                    for c in w {
                        h ^= *c as u32;
                        h = h.wrapping_mul(16_777_619);
                    }
                    h
                })
                .collect();
            if out.is_empty() {
                out.push(word.chars().next().map_or(0, |c| c as u32));
            }
            out.sort_unstable();
            out.dedup();
            out
        }
        let mut buf = vec![7u32];
        for w in [
            "",
            "a",
            "ab",
            "abc",
            "aaaa",
            "banana",
            "matsegora",
            "Путин",
            "東京",
        ] {
            assert_eq!(char_trigrams(w), plain(w), "{w:?}");
            let n = char_trigrams_into(w, &mut buf);
            assert_eq!(&buf[buf.len() - n..], plain(w).as_slice(), "{w:?}");
        }
        assert_eq!(buf[0], 7);
    }

    #[test]
    fn sequence_similarity() {
        assert_eq!(
            token_sequence_similarity(&["a", "b", "c"], &["a", "b", "c"]),
            1.0
        );
        let s = token_sequence_similarity(&["a", "b", "c", "d"], &["a", "c", "d"]);
        assert!((s - 6.0 / 7.0).abs() < 1e-9);
        assert_eq!(token_sequence_similarity::<&str>(&[], &["a"]), 0.0);
    }
}
