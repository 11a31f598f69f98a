//! The lexical sentence scorer: weighted content stems with character-trigram soft matching.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use stemma_text::TokenKind;
use xxhash_rust::xxh3::xxh3_64;

use crate::scorer::{AlignInput, SentenceScorer, Thresholds};
use crate::words::{char_trigrams, dice_sorted};

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

#[derive(Debug, Clone)]
struct Term {
    stem: u64,
    weight: f64,
    number: bool,
    first: char,
    grams: Vec<u32>,
}

/// Per-document features of the [`LexicalScorer`]: weighted terms of every sentence and an
/// inverted index from stems to sentences.
#[derive(Debug, Clone, Default)]
pub struct LexicalFeatures {
    terms: Vec<Term>,
    sentences: Vec<Range<usize>>,
    index: HashMap<u64, Vec<u32>>,
}

impl LexicalFeatures {
    /// Total content weight of sentence `i` (0 when out of range).
    pub fn sentence_weight(&self, i: usize) -> f64 {
        self.sentences.get(i).map_or(0.0, |r| {
            self.terms[r.clone()].iter().map(|t| t.weight).sum()
        })
    }
}

impl LexicalScorer {
    fn collect<'f>(&self, f: &'f LexicalFeatures, r: Range<usize>) -> Vec<&'f Term> {
        let end = r.end.min(f.sentences.len());
        let start = r.start.min(end);
        if end == start + 1 {
            return f.terms[f.sentences[start].clone()].iter().collect();
        }
        let mut out: Vec<&Term> = Vec::new();
        for s in &f.sentences[start..end] {
            out.extend(f.terms[s.clone()].iter());
        }
        out.sort_by(|x, y| x.stem.cmp(&y.stem).then(y.weight.total_cmp(&x.weight)));
        out.dedup_by_key(|t| t.stem);
        out
    }

    /// Weighted soft recall of `a`'s terms in `b` (b sorted by stem).
    fn recall(&self, a: &[&Term], b: &[&Term]) -> f64 {
        let total: f64 = a.iter().map(|t| t.weight).sum();
        if total <= 0.0 {
            return 0.0;
        }
        let mut got = 0.0;
        // Soft matching is quadratic: it is skipped for huge passages (a "sentence" of thousands
        // of words is a list or garbage, and exact stems decide there anyway).
        let soft = a.len().saturating_mul(b.len()) <= SOFT_BUDGET;
        for t in a {
            if b.binary_search_by(|x| x.stem.cmp(&t.stem)).is_ok() {
                got += t.weight;
                continue;
            }
            if t.number || !soft {
                continue;
            }
            let mut best = 0.0f64;
            for u in b {
                // Spelling variants and inflections keep the first letter; checking it first
                // skips nearly all trigram comparisons.
                if u.number || u.first != t.first {
                    continue;
                }
                let (la, lb) = (t.grams.len(), u.grams.len());
                if la * 2 < lb || lb * 2 < la {
                    continue;
                }
                let d = dice_sorted(&t.grams, &u.grams);
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

fn sorted_by_stem(mut v: Vec<&Term>) -> Vec<&Term> {
    v.sort_by_key(|t| t.stem);
    v
}

impl SentenceScorer for LexicalScorer {
    type Features = LexicalFeatures;

    fn features(&self, doc: AlignInput<'_>) -> LexicalFeatures {
        let p = doc.prepared;
        let w = &self.weights;
        // Words seen capitalized mid-sentence anywhere count as names even sentence-initially.
        let mut mid_caps: HashSet<&str> = HashSet::new();
        for s in &p.sentences {
            let r = s.tokens.start.min(p.tokens.len())..s.tokens.end.min(p.tokens.len());
            for t in p.tokens[r].iter().skip(1) {
                if t.capitalized && t.kind == TokenKind::Word {
                    mid_caps.insert(t.norm.as_str());
                }
            }
        }
        let mut f = LexicalFeatures::default();
        for (si, s) in p.sentences.iter().enumerate() {
            let start = f.terms.len();
            let r = s.tokens.start.min(p.tokens.len())..s.tokens.end.min(p.tokens.len());
            let mut seen: HashSet<u64> = HashSet::new();
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
                f.terms.push(Term {
                    stem,
                    weight,
                    number,
                    first: t.norm.chars().next().unwrap_or(' '),
                    grams: char_trigrams(&t.norm),
                });
                f.index.entry(stem).or_default().push(si as u32);
            }
            let end = f.terms.len();
            f.terms[start..end].sort_by_key(|t| t.stem);
            f.sentences.push(start..end);
        }
        f
    }

    fn len(&self, features: &LexicalFeatures) -> usize {
        features.sentences.len()
    }

    fn candidates(&self, a: &LexicalFeatures, b: &LexicalFeatures) -> Vec<(usize, usize)> {
        let cap = 50usize.max(b.sentences.len() / 5);
        let mut per_a: Vec<(usize, usize, f64)> = Vec::new();
        let mut acc: HashMap<u32, f64> = HashMap::new();
        for (i, r) in a.sentences.iter().enumerate() {
            acc.clear();
            for t in &a.terms[r.clone()] {
                if let Some(list) = b.index.get(&t.stem) {
                    if list.len() > cap {
                        continue;
                    }
                    for &j in list {
                        *acc.entry(j).or_insert(0.0) += t.weight;
                    }
                }
            }
            let mut row: Vec<(u32, f64)> = acc.iter().map(|(j, w)| (*j, *w)).collect();
            row.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            for (j, w) in row.into_iter().take(self.max_candidates * 2) {
                per_a.push((i, j as usize, w));
            }
        }
        // Keep the best partners per A sentence and per B sentence.
        let mut keep: HashSet<(usize, usize)> = HashSet::new();
        let mut by_a: HashMap<usize, Vec<(usize, f64)>> = HashMap::new();
        let mut by_b: HashMap<usize, Vec<(usize, f64)>> = HashMap::new();
        for &(i, j, w) in &per_a {
            by_a.entry(i).or_default().push((j, w));
            by_b.entry(j).or_default().push((i, w));
        }
        for (i, mut v) in by_a {
            v.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            keep.extend(v.into_iter().take(self.max_candidates).map(|(j, _)| (i, j)));
        }
        for (j, mut v) in by_b {
            v.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            keep.extend(v.into_iter().take(self.max_candidates).map(|(i, _)| (i, j)));
        }
        let mut out: Vec<(usize, usize)> = keep.into_iter().collect();
        out.sort_unstable();
        out
    }

    fn score(
        &self,
        fa: &LexicalFeatures,
        a: Range<usize>,
        fb: &LexicalFeatures,
        b: Range<usize>,
    ) -> f64 {
        let ta = sorted_by_stem(self.collect(fa, a));
        let tb = sorted_by_stem(self.collect(fb, b));
        if ta.is_empty() || tb.is_empty() {
            return 0.0;
        }
        let ra = self.recall(&ta, &tb);
        let rb = self.recall(&tb, &ta);
        if ra + rb <= 0.0 {
            return 0.0;
        }
        let f1 = (2.0 * ra * rb / (ra + rb)).max(self.weights.containment * ra.max(rb));
        let wa: f64 = ta.iter().map(|t| t.weight).sum();
        let wb: f64 = tb.iter().map(|t| t.weight).sum();
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
