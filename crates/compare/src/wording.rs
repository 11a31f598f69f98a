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

use std::borrow::Cow;

use rustc_hash::FxHashMap as FastMap;

/// Word-level similarity at or above which a copy keeps its source's wording (near-duplicate).
/// 0.85 ≈ at most one word in seven replaced, inserted, dropped or moved.
pub const NEAR_DUPLICATE_WORDING: f64 = 0.85;

/// The words of `text` as used by [`wording_similarity`]: maximal runs of alphanumeric
/// characters, lower-cased; a run containing a digit becomes `#`.
pub fn wording_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_wording_word(text, |w| out.push(w.into_owned()));
    out
}

/// Calls `f` with every word of `text` as in [`wording_words`], borrowing where the word is
/// already lower case.
fn for_each_wording_word<'t>(text: &'t str, mut f: impl FnMut(Cow<'t, str>)) {
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        if w.is_ascii() {
            // ASCII: numeric is a digit, lower-casing is per byte.
            if w.bytes().any(|b| b.is_ascii_digit()) {
                f(Cow::Borrowed("#"));
            } else if w.bytes().any(|b| b.is_ascii_uppercase()) {
                f(Cow::Owned(w.to_ascii_lowercase()));
            } else {
                f(Cow::Borrowed(w));
            }
        } else if w.chars().any(|c| c.is_numeric()) {
            f(Cow::Borrowed("#"));
        } else {
            f(Cow::Owned(w.to_lowercase()));
        }
    }
}

/// `2·LCS / (n_a + n_b)` over the words ([`wording_words`]) of the pieces of `a` read in order
/// and those of `b` read in order; 1.0 when both are empty, 0.0 when only one is.
pub fn wording_similarity(a: &[&str], b: &[&str]) -> f64 {
    // Words are interned to dense ids (equal words, equal ids), so the LCS runs on integers.
    fn intern<'w>(pieces: &[&'w str], ids: &mut FastMap<Cow<'w, str>, u32>) -> Vec<u32> {
        let mut out = Vec::new();
        for t in pieces {
            for_each_wording_word(t, |w| {
                let next = ids.len() as u32;
                out.push(*ids.entry(w).or_insert(next));
            });
        }
        out
    }
    let mut ids: FastMap<Cow<'_, str>, u32> = FastMap::default();
    // B first: ids below `vocab` are exactly B's words (the only ones needing match masks).
    let wb = intern(b, &mut ids);
    let vocab = ids.len();
    let wa = intern(a, &mut ids);
    let total = wa.len() + wb.len();
    if total == 0 {
        return 1.0;
    }
    (2.0 * lcs_len_ids(&wa, &wb, vocab) as f64 / total as f64).clamp(0.0, 1.0)
}

/// [`lcs_len`] over dense word ids; the ids of `b` are below `vocab` (ids of `a` at or above
/// it match nothing).
fn lcs_len_ids(a: &[u32], b: &[u32], vocab: usize) -> usize {
    let m = b.len();
    if m == 0 || a.is_empty() {
        return 0;
    }
    let words = m.div_ceil(64);
    // Match masks of B's words, `words` u64 each.
    let mut masks = vec![0u64; vocab * words];
    for (j, &w) in b.iter().enumerate() {
        masks[w as usize * words + j / 64] |= 1u64 << (j % 64);
    }
    let mut v = vec![u64::MAX; words];
    for &w in a {
        if w as usize >= vocab {
            continue;
        }
        let mask = &masks[w as usize * words..(w as usize + 1) * words];
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
    count_lcs(&v, m)
}

/// LCS length from the final bit vector of Hyyrö's algorithm over `m` columns.
fn count_lcs(v: &[u64], m: usize) -> usize {
    let words = v.len();
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

/// Length of the longest common subsequence of two word sequences (bit-parallel, Hyyrö 2004:
/// O(n·m/64) time, O(distinct words of `b` · m/64) memory).
pub fn lcs_len<T: AsRef<str>>(a: &[T], b: &[T]) -> usize {
    let mut ids: FastMap<&str, u32> = FastMap::default();
    let wb: Vec<u32> = b
        .iter()
        .map(|w| {
            let next = ids.len() as u32;
            *ids.entry(w.as_ref()).or_insert(next)
        })
        .collect();
    let vocab = ids.len() as u32;
    let wa: Vec<u32> = a
        .iter()
        .map(|w| ids.get(w.as_ref()).copied().unwrap_or(vocab))
        .collect();
    lcs_len_ids(&wa, &wb, vocab as usize)
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
        // Interned integer LCS agrees with the string LCS.
        let x = "Alpha beta, GAMMA 12 delta alpha Über beta";
        let y = "beta alpha gamma 7 über delta Beta";
        let (wx, wy) = (wording_words(x), wording_words(y));
        let lcs = lcs_len(&wx, &wy);
        assert_eq!(
            wording_similarity(&[x], &[y]),
            2.0 * lcs as f64 / (wx.len() + wy.len()) as f64
        );
        assert_eq!(
            wording_words("Über-Größe 3,5 km"),
            vec!["über", "größe", "#", "#", "km"]
        );
    }
}
