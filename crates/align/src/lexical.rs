//! The lexical sentence scorer: weighted content stems with character-trigram soft matching.

use rustc_hash::FxHashSet as FastSet;
use std::borrow::Cow;
use std::ops::Range;

use stemma_text::TokenKind;
use xxhash_rust::xxh3::xxh3_64;

use crate::scorer::{AlignInput, SentenceScorer, Thresholds};
use crate::words::{char_trigrams_into, dice_sorted};

/// Largest number of term pairs for which soft (trigram) matching is tried in one recall.
const SOFT_BUDGET: usize = 40_000;

/// Term weights of the [`LexicalScorer`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LexicalWeights {
    /// Weight of an ordinary content word (before the length factor).
    pub word: f64,
    /// Weight of a name: a capitalized word that is not sentence-initial (or is capitalized
    /// mid-sentence elsewhere in the document).
    pub name: f64,
    /// Weight of a number.
    pub number: f64,
    /// Length factor: a word of `n` characters is multiplied by `0.5 + min(n, 12) * length`.
    pub length: f64,
    /// Minimum character-trigram Dice for two different words to count as a soft match
    /// (spelling variants, inflections the stemmer missed).
    pub soft_min: f64,
    /// A soft match counts `dice * soft_factor` of an exact match.
    pub soft_factor: f64,
    /// A passage wholly contained in the other (a copy that shortens a sentence) scores at least
    /// `containment × max(recall of either side)`; 0 disables.
    pub containment: f64,
    /// Passages whose smaller side has less content weight than this are damped
    /// (`sqrt(weight / small_weight)`), so that two one-word lines do not look like a paraphrase.
    pub small_weight: f64,
}

impl Default for LexicalWeights {
    fn default() -> Self {
        LexicalWeights {
            word: 1.1,
            name: 1.3,
            number: 1.6,
            length: 0.03,
            soft_min: 0.5,
            soft_factor: 0.9,
            small_weight: 3.0,
            containment: 0.6,
        }
    }
}

/// Lexical sentence similarity: the weighted F1 of soft term recall in both directions.
///
/// Terms are the stems of content words (stop words dropped); names and numbers weigh more,
/// longer words weigh more. A term of one side that is not found verbatim on the other side may
/// still match a word whose character trigrams are close (Dice ≥ `soft_min`), which catches
/// spelling variants (Matesgora / Matsegora) and inflections the stemmer missed.
/// Thresholds were calibrated on MRPC (see `docs/notes/compare.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct LexicalScorer {
    /// Term weights.
    pub weights: LexicalWeights,
    /// Calibrated thresholds.
    pub thresholds: Thresholds,
    /// At most this many candidate partners are kept per sentence (per side).
    pub max_candidates: usize,
}

impl Default for LexicalScorer {
    fn default() -> Self {
        LexicalScorer {
            weights: LexicalWeights::default(),
            thresholds: Thresholds {
                paraphrase: 0.5,
                strong: 0.65,
                gap: 0.3,
            },
            max_candidates: 8,
        }
    }
}

/// Soft-matching key of a number: numbers never soft-match (a `char` is at most 0x10FFFF).
const NUMBER_KEY: u32 = u32::MAX;

/// One weighted term of a sentence. Its character trigrams live in the document's arena.
#[derive(Debug, Clone, Copy)]
struct Term {
    stem: u64,
    weight: f64,
    /// First char of the normalized word, or [`NUMBER_KEY`] for a number.
    soft: u32,
    /// Start of the trigrams in [`LexicalFeatures::grams`].
    gram_start: u32,
    /// Number of trigrams.
    gram_len: u32,
    /// Bit `g % 64` set for every trigram hash `g`: two terms without a common bit share no
    /// trigram.
    gram_mask: u64,
    /// Trigrams whose bit another trigram of the term already set (`gram_len` minus the
    /// bits set), so that `shared ≤ popcount(mask_a & mask_b) + min(collisions)`.
    gram_collisions: u32,
}

impl Term {
    /// An upper bound of the number of trigrams `self` and `other` share (see `gram_mask`).
    #[inline]
    fn shared_bound(&self, other: &Term) -> usize {
        ((self.gram_mask & other.gram_mask).count_ones()
            + self.gram_collisions.min(other.gram_collisions)) as usize
    }
}

/// Per-document features of the [`LexicalScorer`]: weighted terms of every sentence and an
/// inverted index from stems to sentences.
#[derive(Debug, Clone, Default)]
pub struct LexicalFeatures {
    /// Terms of every sentence; each sentence's terms are sorted by stem, without repeats.
    terms: Vec<Term>,
    /// The same terms, each sentence's sorted by soft-matching key (first char) instead.
    by_soft: Vec<Term>,
    /// Character trigrams of all terms, one sorted run per term.
    grams: Vec<u32>,
    sentences: Vec<Range<usize>>,
    /// Distinct stems of the document, sorted.
    index_keys: Vec<u64>,
    /// `index_starts[k]..index_starts[k + 1]` is the range of `postings` of `index_keys[k]`.
    index_starts: Vec<u32>,
    /// Sentences holding each stem, ascending, concatenated in the order of `index_keys`.
    postings: Vec<u32>,
}

impl LexicalFeatures {
    /// Total content weight of sentence `i` (0 when out of range).
    pub fn sentence_weight(&self, i: usize) -> f64 {
        self.sentences.get(i).map_or(0.0, |r| {
            self.terms[r.clone()].iter().map(|t| t.weight).sum()
        })
    }

    /// Sentences holding `stem`, ascending (empty when none).
    fn sentences_with(&self, stem: u64) -> &[u32] {
        match self.index_keys.binary_search(&stem) {
            Ok(k) => {
                &self.postings[self.index_starts[k] as usize..self.index_starts[k + 1] as usize]
            }
            Err(_) => &[],
        }
    }

    #[inline]
    fn grams_of(&self, t: &Term) -> &[u32] {
        &self.grams[t.gram_start as usize..(t.gram_start + t.gram_len) as usize]
    }
}

impl LexicalScorer {
    /// The terms of sentences `r`, sorted by stem; a stem found in several sentences is kept
    /// once, with its highest weight (the first such term in sentence order on ties). Second,
    /// the same terms sorted by soft-matching key.
    fn collect<'f>(
        &self,
        f: &'f LexicalFeatures,
        r: Range<usize>,
    ) -> (Cow<'f, [Term]>, Cow<'f, [Term]>) {
        let end = r.end.min(f.sentences.len());
        let start = r.start.min(end);
        if end == start + 1 {
            let s = f.sentences[start].clone();
            return (
                Cow::Borrowed(&f.terms[s.clone()]),
                Cow::Borrowed(&f.by_soft[s]),
            );
        }
        let mut out: Vec<Term> = Vec::new();
        for s in &f.sentences[start..end] {
            out.extend_from_slice(&f.terms[s.clone()]);
        }
        // Stable sort: the same order (and so the same kept term) as before terms were
        // stored by value.
        out.sort_by(|x, y| x.stem.cmp(&y.stem).then(y.weight.total_cmp(&x.weight)));
        out.dedup_by_key(|t| t.stem);
        let mut by_soft = out.clone();
        by_soft.sort_unstable_by_key(|t| t.soft);
        (Cow::Owned(out), Cow::Owned(by_soft))
    }

    /// Weighted soft recall of `a`'s terms (of `fa`, total weight `total`) in `b` (of `fb`);
    /// both sorted by stem; `b_soft` holds `b`'s terms sorted by soft-matching key.
    fn recall(
        &self,
        fa: &LexicalFeatures,
        a: &[Term],
        total: f64,
        fb: &LexicalFeatures,
        b: &[Term],
        b_soft: &[Term],
    ) -> f64 {
        if total <= 0.0 {
            return 0.0;
        }
        let mut got = 0.0;
        // Soft matching is quadratic: it is skipped for huge passages (a "sentence" of thousands
        // of words is a list or garbage, and exact stems decide there anyway).
        let soft = a.len().saturating_mul(b.len()) <= SOFT_BUDGET;
        // First chars present in `b` (bit `char % 64`): a term whose bit is clear has no
        // partner with its first char.
        let firsts = if soft {
            b_soft
                .iter()
                .filter(|u| u.soft != NUMBER_KEY)
                .fold(0u64, |m, u| m | 1u64 << (u.soft % 64))
        } else {
            0
        };
        // Both sides are sorted by stem: exact matches are found by one merge walk.
        let mut bi = 0usize;
        for t in a {
            while bi < b.len() && b[bi].stem < t.stem {
                bi += 1;
            }
            if bi < b.len() && b[bi].stem == t.stem {
                got += t.weight;
                continue;
            }
            if t.soft == NUMBER_KEY || !soft || firsts & (1u64 << (t.soft % 64)) == 0 {
                continue;
            }
            let tg = fa.grams_of(t);
            let la = tg.len();
            let mut best = 0.0f64;
            // Spelling variants and inflections keep the first letter: only the partners with
            // the same first char are tried (numbers never match: `t` is no number). The best
            // Dice does not depend on the order they are tried in.
            let lo = b_soft.partition_point(|u| u.soft < t.soft);
            for u in b_soft[lo..].iter().take_while(|u| u.soft == t.soft) {
                let lb = u.gram_len as usize;
                if la * 2 < lb || lb * 2 < la {
                    continue;
                }
                // The Dice with the bound on shared trigrams, computed like `dice_sorted`, is
                // at least the Dice itself: a partner that cannot beat `best` nor reach
                // `soft_min` cannot change what is added.
                let bound = 2.0 * t.shared_bound(u) as f64 / (la + lb) as f64;
                if bound <= best || bound < self.weights.soft_min {
                    continue;
                }
                let d = dice_sorted(tg, fb.grams_of(u));
                if d > best {
                    best = d;
                }
            }
            if best >= self.weights.soft_min {
                got += t.weight * best * self.weights.soft_factor;
            }
        }
        got / total
    }
}

impl SentenceScorer for LexicalScorer {
    type Features = LexicalFeatures;

    fn features(&self, doc: AlignInput<'_>) -> LexicalFeatures {
        let p = doc.prepared;
        let w = &self.weights;
        // Words seen capitalized mid-sentence anywhere count as names even sentence-initially.
        let mut mid_caps: FastSet<&str> = FastSet::default();
        for s in &p.sentences {
            let r = s.tokens.start.min(p.tokens.len())..s.tokens.end.min(p.tokens.len());
            for t in p.tokens[r].iter().skip(1) {
                if t.capitalized && t.kind == TokenKind::Word {
                    mid_caps.insert(t.norm.as_str());
                }
            }
        }
        let mut f = LexicalFeatures::default();
        let mut seen: FastSet<u64> = FastSet::default();
        let mut postings: Vec<(u64, u32)> = Vec::new();
        for (si, s) in p.sentences.iter().enumerate() {
            let start = f.terms.len();
            let r = s.tokens.start.min(p.tokens.len())..s.tokens.end.min(p.tokens.len());
            seen.clear();
            for (ti, t) in p.tokens[r.clone()].iter().enumerate() {
                if t.stop || !t.norm.chars().any(char::is_alphanumeric) {
                    continue;
                }
                let key = if t.stem.is_empty() { &t.norm } else { &t.stem };
                let stem = xxh3_64(key.as_bytes());
                if !seen.insert(stem) {
                    continue;
                }
                let n = t.norm.chars().count().min(12) as f64;
                let len_factor = 0.5 + n * w.length;
                let number = t.kind == TokenKind::Number;
                let name = t.capitalized && (ti > 0 || mid_caps.contains(t.norm.as_str()));
                let base = if number {
                    w.number
                } else if name {
                    w.name
                } else {
                    w.word
                };
                let weight = if number { base } else { base * len_factor };
                let gram_start = f.grams.len() as u32;
                let gram_len = char_trigrams_into(&t.norm, &mut f.grams) as u32;
                let gram_mask = f.grams[gram_start as usize..]
                    .iter()
                    .fold(0u64, |m, g| m | 1u64 << (g % 64));
                f.terms.push(Term {
                    stem,
                    weight,
                    soft: if number {
                        NUMBER_KEY
                    } else {
                        t.norm.chars().next().unwrap_or(' ') as u32
                    },
                    gram_start,
                    gram_len,
                    gram_mask,
                    gram_collisions: gram_len - gram_mask.count_ones(),
                });
                postings.push((stem, si as u32));
            }
            let end = f.terms.len();
            // Stems are distinct within a sentence: an unstable sort gives the same order.
            f.terms[start..end].sort_unstable_by_key(|t| t.stem);
            f.by_soft.extend_from_slice(&f.terms[start..end]);
            f.by_soft[start..end].sort_unstable_by_key(|t| t.soft);
            f.sentences.push(start..end);
        }
        // Inverted index: (stem, sentence) pairs are distinct, so the order is total.
        postings.sort_unstable();
        f.postings.reserve(postings.len());
        for (k, &(stem, si)) in postings.iter().enumerate() {
            if k == 0 || postings[k - 1].0 != stem {
                f.index_keys.push(stem);
                f.index_starts.push(k as u32);
            }
            f.postings.push(si);
        }
        f.index_starts.push(postings.len() as u32);
        f
    }

    fn len(&self, features: &LexicalFeatures) -> usize {
        features.sentences.len()
    }

    fn candidates(&self, a: &LexicalFeatures, b: &LexicalFeatures) -> Vec<(usize, usize)> {
        let cap = 50usize.max(b.sentences.len() / 5);
        let per = self.max_candidates * 2;
        // (i, j, shared weight): for every A sentence its best B partners, best first.
        let mut per_a: Vec<(usize, usize, f64)> = Vec::new();
        // Dense accumulator over B sentences (sums in the order of A's terms) and the
        // sentences touched.
        let mut acc: Vec<f64> = vec![0.0; b.sentences.len()];
        let mut hit: Vec<bool> = vec![false; b.sentences.len()];
        let mut touched: Vec<u32> = Vec::new();
        let mut row: Vec<(u32, f64)> = Vec::new();
        for (i, r) in a.sentences.iter().enumerate() {
            for t in &a.terms[r.clone()] {
                let list = b.sentences_with(t.stem);
                if list.len() > cap {
                    continue;
                }
                for &j in list {
                    if !hit[j as usize] {
                        hit[j as usize] = true;
                        touched.push(j);
                    }
                    acc[j as usize] += t.weight;
                }
            }
            row.clear();
            for &j in &touched {
                row.push((j, acc[j as usize]));
                acc[j as usize] = 0.0;
                hit[j as usize] = false;
            }
            touched.clear();
            // Sentences are distinct: the order is total, an unstable sort gives the same.
            row.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            for &(j, w) in row.iter().take(per) {
                per_a.push((i, j as usize, w));
            }
        }
        // Keep the best partners per A sentence and per B sentence. `per_a` holds each A
        // sentence's partners best first already.
        let mut keep: Vec<(usize, usize)> = Vec::new();
        let mut k = 0usize;
        while k < per_a.len() {
            let i = per_a[k].0;
            let mut n = 0usize;
            while k < per_a.len() && per_a[k].0 == i {
                if n < self.max_candidates {
                    keep.push((i, per_a[k].1));
                }
                n += 1;
                k += 1;
            }
        }
        let mut by_b: Vec<(usize, usize, f64)> = per_a.iter().map(|&(i, j, w)| (j, i, w)).collect();
        by_b.sort_unstable_by(|x, y| x.0.cmp(&y.0).then(y.2.total_cmp(&x.2)).then(x.1.cmp(&y.1)));
        let mut k = 0usize;
        while k < by_b.len() {
            let j = by_b[k].0;
            let mut n = 0usize;
            while k < by_b.len() && by_b[k].0 == j {
                if n < self.max_candidates {
                    keep.push((by_b[k].1, j));
                }
                n += 1;
                k += 1;
            }
        }
        keep.sort_unstable();
        keep.dedup();
        keep
    }

    fn score(
        &self,
        fa: &LexicalFeatures,
        a: Range<usize>,
        fb: &LexicalFeatures,
        b: Range<usize>,
    ) -> f64 {
        let (ta, sa) = self.collect(fa, a);
        let (tb, sb) = self.collect(fb, b);
        if ta.is_empty() || tb.is_empty() {
            return 0.0;
        }
        let wa: f64 = ta.iter().map(|t| t.weight).sum();
        let wb: f64 = tb.iter().map(|t| t.weight).sum();
        let ra = self.recall(fa, &ta, wa, fb, &tb, &sb);
        let rb = self.recall(fb, &tb, wb, fa, &ta, &sa);
        if ra + rb <= 0.0 {
            return 0.0;
        }
        let f1 = (2.0 * ra * rb / (ra + rb)).max(self.weights.containment * ra.max(rb));
        let small = wa.min(wb);
        let damp = if small < self.weights.small_weight {
            (small / self.weights.small_weight).sqrt()
        } else {
            1.0
        };
        (f1 * damp).clamp(0.0, 1.0)
    }

    fn thresholds(&self) -> Thresholds {
        self.thresholds
    }
}
