//! Paraphrase-robust passage keys: the candidate signal for reworded ("spun") rewrites.
//!
//! Document-level MinHash over word shingles does not survive a spin: a machine-reworded
//! article shares few 5-grams with its source (Jaccard ≈ 0.15 on the seed pair). What does
//! survive, sentence by sentence, are the *anchors* of the sentence: proper names, numbers and
//! the rarer content words a rewriter cannot easily replace.
//!
//! # Sentence sketch
//!
//! For every sentence of a [`PreparedText`]:
//!
//! 1. Take its content features: stems of non-stop words of at least
//!    [`PassageParams::min_word_chars`] characters, and numbers (normalized, separators
//!    dropped). Each feature is hashed (xxh3, seeded).
//! 2. Rank the distinct features by (class, hash), where names and numbers (class 0) come
//!    before ordinary content words (class 1). A word is a *name* when the document
//!    capitalizes it somewhere that is not the first word of a sentence, so a name that a
//!    rewriter moves to the start of a sentence is still recognized.
//! 3. Keep the first [`PassageParams::per_sentence`] features (the sentence's bottom-k sketch)
//!    and emit one key per unordered pair of them: `hash(min, max)`.
//!
//! A rewritten sentence that keeps any two of those anchors produces the same pair key. Keys are
//! order-free within a sentence (a rewriter may reorder clauses) but bound to one sentence (so
//! two articles that merely mention the same name in different places do not collide).
//!
//! # Cost control
//!
//! - [`PassageParams::sample`]: only keys whose hash falls in a `1/sample` slice are kept. The
//!   choice depends on the key alone, so two documents keep the same subset of their shared
//!   keys; memory and index size drop by `sample` while a rewrite, which shares dozens of keys,
//!   still shares several.
//! - Keys shared by too many documents (document frequency above a cap) carry no evidence; the
//!   index that stores the keys (in `stemma-scan`) stops growing their postings and ignores them
//!   in queries, keeping candidate generation near linear.
//!
//! Keys are plain `u64`, so they can live in an in-memory map now and in an on-disk,
//! incremental store later.
//!
//! Pure: no I/O, no global state, deterministic.

use stemma_text::{PreparedText, TokenKind};
use xxhash_rust::xxh3::{xxh3_64_with_seed, xxh3_128_with_seed};

/// Settings of the sentence sketch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassageParams {
    /// Anchors kept per sentence (`k` of the bottom-k sketch); `k·(k−1)/2` keys per sentence.
    pub per_sentence: usize,
    /// Minimum length in characters of a word feature (numbers are always kept).
    pub min_word_chars: usize,
    /// Keep one key in `sample` (1 keeps every key).
    pub sample: u64,
    /// Seed of the feature and key hashes.
    pub seed: u64,
}

impl Default for PassageParams {
    fn default() -> Self {
        PassageParams {
            per_sentence: 4,
            min_word_chars: 3,
            sample: 1,
            seed: 0x5137_6d6d_6173_6b31,
        }
    }
}

/// The keys of one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceKeys {
    /// Index into [`PreparedText::sentences`].
    pub sentence: usize,
    /// Pair keys of the sentence (after sampling), ascending, distinct.
    pub keys: Vec<u64>,
}

/// Normalized form of a number token: separators dropped (`1,941.5` and `1941.5` agree).
fn number_form(norm: &str) -> String {
    norm.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Per-sentence passage keys of `text` (sentences without at least two anchors are left out).
pub fn sentence_keys(text: &PreparedText, params: &PassageParams) -> Vec<SentenceKeys> {
    let seed = params.seed;
    let sample = params.sample.max(1);
    // Names: stems capitalized somewhere other than at the start of a sentence.
    let mut names: Vec<u64> = Vec::new();
    for s in &text.sentences {
        for i in s.tokens.clone().skip(1) {
            let t = &text.tokens[i];
            if t.capitalized && t.kind == TokenKind::Word && !t.stop {
                names.push(xxh3_64_with_seed(t.stem.as_bytes(), seed));
            }
        }
    }
    names.sort_unstable();
    names.dedup();

    let mut out = Vec::new();
    let mut feats: Vec<(u8, u64)> = Vec::new();
    for (si, s) in text.sentences.iter().enumerate() {
        feats.clear();
        for i in s.tokens.clone() {
            let Some(t) = text.tokens.get(i) else {
                continue;
            };
            match t.kind {
                TokenKind::Number => {
                    let n = number_form(&t.norm);
                    if !n.is_empty() {
                        feats.push((0, xxh3_64_with_seed(n.as_bytes(), seed ^ 0x4e)));
                    }
                }
                TokenKind::Word => {
                    if t.stop || t.norm.chars().count() < params.min_word_chars {
                        continue;
                    }
                    let h = xxh3_64_with_seed(t.stem.as_bytes(), seed);
                    let class = if names.binary_search(&h).is_ok() {
                        0
                    } else {
                        1
                    };
                    feats.push((class, h));
                }
            }
        }
        // A feature seen as a name and as a word keeps its best class.
        feats.sort_unstable_by_key(|&(c, h)| (h, c));
        feats.dedup_by_key(|f| f.1);
        feats.sort_unstable();
        let k = params.per_sentence.min(feats.len());
        if k < 2 {
            continue;
        }
        let mut keys = Vec::with_capacity(k * (k - 1) / 2);
        for x in 0..k {
            for y in x + 1..k {
                let (lo, hi) = (feats[x].1.min(feats[y].1), feats[x].1.max(feats[y].1));
                let mut buf = [0u8; 16];
                buf[..8].copy_from_slice(&lo.to_le_bytes());
                buf[8..].copy_from_slice(&hi.to_le_bytes());
                let key = xxh3_128_with_seed(&buf, seed) as u64;
                if key.is_multiple_of(sample) {
                    keys.push(key);
                }
            }
        }
        keys.sort_unstable();
        keys.dedup();
        if !keys.is_empty() {
            out.push(SentenceKeys { sentence: si, keys });
        }
    }
    out
}

/// All distinct passage keys of `text`, ascending.
pub fn document_keys(text: &PreparedText, params: &PassageParams) -> Vec<u64> {
    let mut keys: Vec<u64> = sentence_keys(text, params)
        .into_iter()
        .flat_map(|s| s.keys)
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Number of values two ascending, distinct key lists share.
pub fn shared_count(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use stemma_text::prepare;

    fn keys(s: &str) -> Vec<u64> {
        document_keys(&prepare(s), &PassageParams::default())
    }

    #[test]
    fn paraphrase_keeping_names_and_numbers_shares_keys() {
        let a = keys(
            "The mayor of Brackenford, Ilse Varnholt, opened the new harbour bridge on Monday \
             after 14 months of construction costing 212 million crowns.",
        );
        let b = keys(
            "On Monday Ilse Varnholt, who leads Brackenford as mayor, inaugurated the harbour's \
             new crossing, built over 14 months for 212 million crowns.",
        );
        assert!(!a.is_empty() && !b.is_empty());
        assert!(shared_count(&a, &b) >= 2, "shared {}", shared_count(&a, &b));
    }

    #[test]
    fn unrelated_sentences_rarely_share_keys() {
        let sents = [
            "Heavy rain flooded the lower districts of Tolmara overnight, forcing 300 families out.",
            "The central bank of Quorvia raised its benchmark rate by half a point to 4.75 percent.",
            "A rare orchid thought extinct was found growing near a quarry outside Dellingham.",
            "Striker Paulo Emmerich scored twice as Vantor United beat Rosswick 3-1 on Saturday.",
            "Engineers at Halvik Motors recalled 12,000 vans over a faulty brake sensor.",
            "The museum in Serrat reopened its medieval wing after a two-year restoration.",
        ];
        let ks: Vec<Vec<u64>> = sents.iter().map(|s| keys(s)).collect();
        for (i, a) in ks.iter().enumerate() {
            assert!(a.len() >= 3, "sentence {i} has too few keys");
            for b in &ks[i + 1..] {
                assert_eq!(shared_count(a, b), 0);
            }
        }
    }

    #[test]
    fn keys_are_deterministic_and_sampling_keeps_a_subset() {
        let text = "Kestrel Airlines will cut 1,200 jobs in Marburn and close two hangars, \
                    its chief executive Ada Lunsford said.";
        let full = keys(text);
        assert_eq!(full, keys(text));
        let p = PassageParams {
            sample: 2,
            ..PassageParams::default()
        };
        let half = document_keys(&prepare(text), &p);
        assert!(half.len() < full.len());
        assert!(half.iter().all(|k| full.binary_search(k).is_ok()));
    }

    #[test]
    fn empty_and_tiny_texts_have_no_keys() {
        assert!(keys("").is_empty());
        assert!(keys("Yes.").is_empty());
    }

    #[test]
    fn shared_count_counts_intersection() {
        assert_eq!(shared_count(&[1, 3, 5, 7], &[2, 3, 7, 9]), 2);
        assert_eq!(shared_count(&[], &[1]), 0);
    }
}
