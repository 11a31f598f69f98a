//! Wording similarity: the one quantity that separates `near-duplicate` from `rewrite`.
//!
//! **Definition** (shared by `compare` and the benchmark generator in `stemma-eval`):
//! a copy is a *near-duplicate* when it keeps the source's wording — the reused text of the
//! copy, read in the copy's order, and the reused text of the source, read in the source's
//! order, have a word-level similarity `2·LCS / (n_a + n_b)` of at least
//! [`NEAR_DUPLICATE_WORDING`], where LCS is the longest common subsequence of their word
//! sequences. Words are maximal runs of letters and digits, lower-cased; every word containing a
//! digit counts as the same word `#` (updating the figures keeps the wording). Because it is a
//! subsequence measure, reordering sentences or paragraphs lowers it as much as rewording them.
//! A copy that reuses the source but falls below the level is *reworded*: a `rewrite`.
//!
//! `compare` measures it on the aligned passages, the generator on the passages it records in
//! `truth.jsonl`; both call [`wording_similarity`].

use std::collections::HashMap;

/// Word-level similarity at or above which a copy keeps its source's wording (near-duplicate).
/// 0.85 ≈ at most one word in seven replaced, inserted, dropped or moved.
pub const NEAR_DUPLICATE_WORDING: f64 = 0.85;

/// The words of `text` as used by [`wording_similarity`]: maximal runs of alphanumeric
/// characters, lower-cased; a run containing a digit becomes `#`.
pub fn wording_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.chars().any(|c| c.is_numeric()) {
                "#".to_string()
            } else {
                w.to_lowercase()
            }
        })
        .collect()
}

/// `2·LCS / (n_a + n_b)` over the words ([`wording_words`]) of the pieces of `a` read in order
/// and those of `b` read in order; 1.0 when both are empty, 0.0 when only one is.
pub fn wording_similarity(a: &[&str], b: &[&str]) -> f64 {
    let wa: Vec<String> = a.iter().flat_map(|t| wording_words(t)).collect();
    let wb: Vec<String> = b.iter().flat_map(|t| wording_words(t)).collect();
    let total = wa.len() + wb.len();
    if total == 0 {
        return 1.0;
    }
    (2.0 * lcs_len(&wa, &wb) as f64 / total as f64).clamp(0.0, 1.0)
}

/// Length of the longest common subsequence of two word sequences (bit-parallel, Hyyrö 2004:
/// O(n·m/64) time, O(distinct words of `b` · m/64) memory).
pub fn lcs_len<T: AsRef<str>>(a: &[T], b: &[T]) -> usize {
    let m = b.len();
    if m == 0 || a.is_empty() {
        return 0;
    }
    let words = m.div_ceil(64);
    let mut masks: HashMap<&str, Vec<u64>> = HashMap::new();
    for (j, w) in b.iter().enumerate() {
        masks.entry(w.as_ref()).or_insert_with(|| vec![0; words])[j / 64] |= 1u64 << (j % 64);
    }
    let mut v = vec![u64::MAX; words];
    for w in a {
        let Some(mask) = masks.get(w.as_ref()) else {
            continue;
        };
        // V = (V + U) | (V - U) with U = V & M; V - U = V & !U since U ⊆ V.
        let mut carry = 0u64;
        for k in 0..words {
            let u = v[k] & mask[k];
            let (s1, c1) = v[k].overflowing_add(u);
            let (s2, c2) = s1.overflowing_add(carry);
            carry = u64::from(c1 || c2);
            v[k] = s2 | (v[k] & !u);
        }
    }
    let mut zeros = 0;
    for (k, x) in v.iter().enumerate() {
        let bits = if k + 1 == words && !m.is_multiple_of(64) {
            m % 64
        } else {
            64
        };
        let live = if bits == 64 {
            u64::MAX
        } else {
            (1u64 << bits) - 1
        };
        zeros += (!x & live).count_ones() as usize;
    }
    zeros
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(a: &[&str], b: &[&str]) -> usize {
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for i in 0..a.len() {
            for j in 0..b.len() {
                d[i + 1][j + 1] = if a[i] == b[j] {
                    d[i][j] + 1
                } else {
                    d[i][j + 1].max(d[i + 1][j])
                };
            }
        }
        d[a.len()][b.len()]
    }

    #[test]
    fn lcs_matches_dynamic_programming_across_word_boundaries() {
        // Deterministic pseudo-random sequences over a small vocabulary, lengths around 64·k.
        let vocab = ["a", "b", "c", "d", "e"];
        let mut x: u64 = 7;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as usize
        };
        for &(n, m) in &[(1, 1), (5, 70), (130, 64), (200, 129), (63, 65), (300, 250)] {
            let a: Vec<&str> = (0..n).map(|_| vocab[next() % 5]).collect();
            let b: Vec<&str> = (0..m).map(|_| vocab[next() % 5]).collect();
            assert_eq!(lcs_len(&a, &b), naive(&a, &b), "n={n} m={m}");
        }
    }

    #[test]
    fn wording_rules() {
        let s = "The council approved 12 new homes on Monday.";
        assert_eq!(wording_similarity(&[s], &[s]), 1.0);
        // Figures updated: same wording.
        let t = "The council approved 15 new homes on Monday.";
        assert_eq!(wording_similarity(&[s], &[t]), 1.0);
        // Two of eight words replaced: 2·6/16.
        let r = "The council backed 12 fresh homes on Monday.";
        assert!((wording_similarity(&[s], &[r]) - 0.75).abs() < 1e-9);
        // Order of pieces matters.
        let p = ["One two three four.", "Five six seven eight."];
        let q = ["Five six seven eight.", "One two three four."];
        assert!((wording_similarity(&p, &q) - 0.5).abs() < 1e-9);
        assert_eq!(wording_similarity(&[], &[]), 1.0);
        assert_eq!(wording_similarity(&[s], &[]), 0.0);
        assert_eq!(
            wording_words("Über-Größe 3,5 km"),
            vec!["über", "größe", "#", "#", "km"]
        );
    }
}
