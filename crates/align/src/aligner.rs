//! The sentence aligner: reordering, joins of adjacent sentences, passages.

use std::ops::Range;

use rustc_hash::FxHashMap as FastMap;
use stemma_text::PreparedText;
use xxhash_rust::xxh3::Xxh3;

use crate::clauses::partial_similarity;
use crate::scorer::{AlignInput, SentenceScorer};
use crate::words::token_sequence_similarity;

/// Pairs scoring at least this (and below the scorer's `gap` threshold) are rescored by
/// [`partial_similarity`] during gap filling.
const CLAUSE_FLOOR: f64 = 0.15;

/// How closely aligned sentences follow each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchKind {
    /// The same normalized words in the same order.
    Verbatim,
    /// Token-sequence similarity at least [`AlignOptions::near_verbatim`].
    NearVerbatim,
    /// The same content in other words.
    Paraphrase,
}

/// Settings of the aligner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlignOptions {
    /// Maximum number of consecutive sentences one side of a match may join (≥ 1).
    pub max_join: usize,
    /// A neighbouring sentence is joined when the joined passage scores at least this much
    /// better than without it.
    pub join_gain: f64,
    /// Token-sequence similarity (2·LCS / total) from which a match is near-verbatim.
    pub near_verbatim: f64,
    /// When true, a sentence left unmatched may still align with an already matched sentence
    /// if they score at least the scorer's `strong` threshold (one source sentence split into
    /// non-adjacent copy sentences, or a repeated sentence).
    pub allow_reuse: bool,
    /// When true, gaps between order-consistent anchors are filled with mutual best pairs scoring
    /// at least the scorer's `gap` threshold.
    pub gap_fill: bool,
    /// When true, gap filling also scores a pair below the `gap` threshold by matching one
    /// sentence with part of the other ([`crate::partial_similarity`]): a paraphrase that
    /// appends a clause to its source sentence is aligned with it although the whole-sentence
    /// score is diluted.
    pub clause_match: bool,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            max_join: 3,
            join_gain: 0.03,
            near_verbatim: 0.8,
            allow_reuse: true,
            gap_fill: true,
            clause_match: true,
        }
    }
}

/// One match: consecutive sentences of A aligned with consecutive sentences of B.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignedGroup {
    /// Sentence indices in A.
    pub a: Range<usize>,
    /// Sentence indices in B.
    pub b: Range<usize>,
    /// Scorer similarity in `[0, 1]` (1 for verbatim matches).
    pub similarity: f64,
    /// Token-sequence similarity (2·LCS / total of normalized tokens) in `[0, 1]`.
    pub token_similarity: f64,
    /// Verbatim, near-verbatim or paraphrase.
    pub kind: MatchKind,
}

/// A run of consecutive matches (consecutive on both sides, same kind) merged into one passage.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// Sentence indices in A.
    pub a: Range<usize>,
    /// Sentence indices in B.
    pub b: Range<usize>,
    /// Mean similarity of the merged matches, weighted by their sentence counts.
    pub similarity: f64,
    /// The kind shared by the merged matches.
    pub kind: MatchKind,
    /// Indices into [`AlignResult::groups`] of the merged matches.
    pub groups: Vec<usize>,
}

/// The alignment of two documents.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AlignResult {
    /// Sentence matches, ordered by their position in B (then A).
    pub groups: Vec<AlignedGroup>,
    /// Matches merged into passages, ordered by their position in B.
    pub passages: Vec<Passage>,
}

/// Aligns the sentences of `a` and `b` with `scorer` and default options.
pub fn align<S: SentenceScorer + ?Sized>(
    scorer: &S,
    a: AlignInput<'_>,
    b: AlignInput<'_>,
) -> AlignResult {
    let fa = scorer.features(a);
    let fb = scorer.features(b);
    align_with(scorer, &AlignOptions::default(), a, &fa, b, &fb)
}

/// Aligns with precomputed features (`fa` of `a`, `fb` of `b`) and explicit options.
pub fn align_with<S: SentenceScorer + ?Sized>(
    scorer: &S,
    options: &AlignOptions,
    a: AlignInput<'_>,
    fa: &S::Features,
    b: AlignInput<'_>,
    fb: &S::Features,
) -> AlignResult {
    let (na, nb) = (scorer.len(fa), scorer.len(fb));
    if na == 0 || nb == 0 {
        return AlignResult::default();
    }
    let th = scorer.thresholds();
    let mut scored: Vec<(usize, usize, f64)> = scorer
        .candidates(fa, fb)
        .into_iter()
        .filter(|&(i, j)| i < na && j < nb)
        .map(|(i, j)| (i, j, scorer.score(fa, i..i + 1, fb, j..j + 1)))
        .filter(|p| p.2 > 0.0)
        .collect();
    scored.sort_by(|x, y| y.2.total_cmp(&x.2).then(x.1.cmp(&y.1)).then(x.0.cmp(&y.0)));

    let mut used_a = vec![false; na];
    let mut used_b = vec![false; nb];
    let mut groups: Vec<(Range<usize>, Range<usize>, f64)> = Vec::new();

    // Verbatim and near-verbatim sentences first, whatever their order and whatever the
    // scorer's candidates: sentences with the same normalized words, then the same sequence of
    // content stems, are paired in document order (same acceptance as below: the scorer's
    // `paraphrase` threshold, so content-free lines stay unaligned).
    for key in [exact_key, content_key] {
        let mut by_key: FastMap<u64, Vec<usize>> = FastMap::default();
        for i in (0..na).rev().filter(|&i| !used_a[i]) {
            if let Some(k) = key(a.prepared, i) {
                by_key.entry(k).or_default().push(i);
            }
        }
        let free_b: Vec<usize> = (0..nb).filter(|&j| !used_b[j]).collect();
        for j in free_b {
            let Some(list) = key(b.prepared, j).and_then(|k| by_key.get_mut(&k)) else {
                continue;
            };
            // `list` holds the A sentences in descending order: the earliest is last.
            while let Some(i) = list.pop() {
                let s = scorer.score(fa, i..i + 1, fb, j..j + 1);
                if s >= th.paraphrase {
                    used_a[i] = true;
                    used_b[j] = true;
                    groups.push((i..i + 1, j..j + 1, s));
                    break;
                }
            }
        }
    }

    // Greedy one-to-one selection, best pairs first: allows any reordering.
    for &(i, j, s) in &scored {
        if s < th.paraphrase {
            break;
        }
        if !used_a[i] && !used_b[j] {
            used_a[i] = true;
            used_b[j] = true;
            groups.push((i..i + 1, j..j + 1, s));
        }
    }

    // Gap filling: between two consecutive order-consistent anchors, mutual best pairs above
    // the (lower) gap threshold are aligned too.
    if options.gap_fill && groups.len() >= 2 {
        let mut anchors: Vec<(usize, usize, usize, usize)> = groups
            .iter()
            .map(|(ra, rb, _)| (ra.start, ra.end, rb.start, rb.end))
            .collect();
        anchors.sort_unstable();
        let floor = if options.clause_match {
            CLAUSE_FLOOR.min(th.gap)
        } else {
            th.gap
        };
        let mut by_i: Vec<(usize, usize, f64)> =
            scored.iter().copied().filter(|p| p.2 >= floor).collect();
        by_i.sort_by(|x, y| x.0.cmp(&y.0).then(y.2.total_cmp(&x.2)).then(x.1.cmp(&y.1)));
        let keep = lis_indices(&anchors.iter().map(|x| x.2).collect::<Vec<_>>());
        let mut chain: Vec<(usize, usize, usize, usize)> = vec![(0, 0, 0, 0)];
        chain.extend(keep.into_iter().map(|k| anchors[k]));
        chain.push((na, na, nb, nb));
        for w in chain.windows(2) {
            let (a0, a1) = (w[0].1, w[1].0);
            let (b0, b1) = (w[0].3, w[1].2);
            if a0 >= a1 || b0 >= b1 {
                continue;
            }
            let lo = by_i.partition_point(|p| p.0 < a0);
            let hi = by_i.partition_point(|p| p.0 < a1);
            // Inside a gap, a pair scoring below `gap` may still match one sentence with part of
            // the other (a paraphrase with an added clause): it is rescued at its partial score.
            // Pairs already at `gap` keep their whole-sentence score (upgrading them too made
            // independent write-ups of one story look like rewrites: docs/notes/compare.md).
            let mut region: Vec<(usize, usize, f64)> = by_i[lo..hi]
                .iter()
                .copied()
                .filter(|&(i, j, _)| {
                    (a0..a1).contains(&i) && (b0..b1).contains(&j) && !used_a[i] && !used_b[j]
                })
                .map(|(i, j, s)| {
                    if options.clause_match && s < th.gap {
                        let (p, _) =
                            partial_similarity(a.text, a.prepared, i, b.text, b.prepared, j);
                        (i, j, s.max(p))
                    } else {
                        (i, j, s)
                    }
                })
                .filter(|p| p.2 >= th.gap)
                .collect();
            region.sort_by(|x, y| y.2.total_cmp(&x.2).then(x.1.cmp(&y.1)).then(x.0.cmp(&y.0)));
            // Pairs filled into one gap keep the order of both sides among themselves.
            let mut filled: Vec<(usize, usize)> = Vec::new();
            for &(i, j, s) in &region {
                if used_a[i] || used_b[j] || filled.iter().any(|&(x, y)| (x < i) != (y < j)) {
                    continue;
                }
                let best_i = region
                    .iter()
                    .filter(|p| p.0 == i && !used_b[p.1])
                    .map(|p| p.2)
                    .fold(0.0, f64::max);
                let best_j = region
                    .iter()
                    .filter(|p| p.1 == j && !used_a[p.0])
                    .map(|p| p.2)
                    .fold(0.0, f64::max);
                if s >= best_i && s >= best_j {
                    used_a[i] = true;
                    used_b[j] = true;
                    filled.push((i, j));
                    groups.push((i..i + 1, j..j + 1, s));
                }
            }
        }
    }

    // Joins: a free neighbouring sentence is added to a side when the joined passage scores
    // clearly better (a copy sentence merging two source sentences, or splitting one).
    // A join must beat both the match without the new sentence and the new sentence's own match
    // with the other side (so every member contributes), and the new sentence must not align
    // better 1:1 with a sentence still free elsewhere.
    let max_join = options.max_join.max(1);
    let (mut free_a, mut free_b) = (vec![0.0f64; na], vec![0.0f64; nb]);
    for &(i, j, s) in &scored {
        if !used_a[i] && !used_b[j] {
            free_a[i] = free_a[i].max(s);
            free_b[j] = free_b[j].max(s);
        }
    }
    for g in groups.iter_mut() {
        loop {
            let (ra, rb, s) = g.clone();
            let mut best: Option<(Range<usize>, Range<usize>, f64)> = None;
            let mut consider = |na_: Range<usize>, nb_: Range<usize>, single: f64, free: f64| {
                if single < free {
                    return;
                }
                let v = scorer.score(fa, na_.clone(), fb, nb_.clone());
                if v >= s.max(single) + options.join_gain && best.as_ref().is_none_or(|b| v > b.2) {
                    best = Some((na_, nb_, v));
                }
            };
            if ra.len() < max_join {
                for x in [ra.start.checked_sub(1), Some(ra.end).filter(|&e| e < na)]
                    .into_iter()
                    .flatten()
                    .filter(|&x| !used_a[x])
                {
                    let single = scorer.score(fa, x..x + 1, fb, rb.clone());
                    consider(
                        ra.start.min(x)..ra.end.max(x + 1),
                        rb.clone(),
                        single,
                        free_a[x],
                    );
                }
            }
            if rb.len() < max_join {
                for y in [rb.start.checked_sub(1), Some(rb.end).filter(|&e| e < nb)]
                    .into_iter()
                    .flatten()
                    .filter(|&y| !used_b[y])
                {
                    let single = scorer.score(fa, ra.clone(), fb, y..y + 1);
                    consider(
                        ra.clone(),
                        rb.start.min(y)..rb.end.max(y + 1),
                        single,
                        free_b[y],
                    );
                }
            }
            match best {
                Some(nbest) => {
                    for i in nbest.0.clone() {
                        used_a[i] = true;
                    }
                    for j in nbest.1.clone() {
                        used_b[j] = true;
                    }
                    *g = nbest;
                }
                None => break,
            }
        }
    }

    // Reuse: a sentence still free may align with an already used one when they score strongly.
    if options.allow_reuse {
        for &(i, j, s) in &scored {
            if s < th.strong {
                break;
            }
            if used_a[i] != used_b[j] {
                used_a[i] = true;
                used_b[j] = true;
                groups.push((i..i + 1, j..j + 1, s));
            }
        }
    }

    fn norms<'x>(inp: &AlignInput<'x>, r: &Range<usize>) -> Vec<&'x str> {
        let p = inp.prepared;
        let mut out = Vec::new();
        for s in &p.sentences[r.start.min(p.sentences.len())..r.end.min(p.sentences.len())] {
            let t = s.tokens.start.min(p.tokens.len())..s.tokens.end.min(p.tokens.len());
            out.extend(p.tokens[t].iter().map(|t| t.norm.as_str()));
        }
        out
    }
    let mut out: Vec<AlignedGroup> = groups
        .into_iter()
        .map(|(ra, rb, s)| {
            let (xa, xb) = (norms(&a, &ra), norms(&b, &rb));
            // Numbers count as one placeholder for the near-verbatim test: a text that only
            // updates its figures is the same text with small edits (the figures are reported
            // as changes by the comparison).
            let ts = token_sequence_similarity(&masked(a.prepared, &ra), &masked(b.prepared, &rb));
            let kind = if !xa.is_empty() && xa == xb {
                MatchKind::Verbatim
            } else if ts >= options.near_verbatim {
                MatchKind::NearVerbatim
            } else {
                MatchKind::Paraphrase
            };
            let similarity = if kind == MatchKind::Paraphrase {
                s
            } else {
                s.max(ts)
            };
            AlignedGroup {
                a: ra,
                b: rb,
                similarity,
                token_similarity: ts,
                kind,
            }
        })
        .collect();
    out.sort_by(|x, y| x.b.start.cmp(&y.b.start).then(x.a.start.cmp(&y.a.start)));
    let passages = passages(&out);
    AlignResult {
        groups: out,
        passages,
    }
}

/// Merges runs of verbatim (or near-verbatim) matches that are consecutive on both sides into
/// passages: a block copied word for word is one passage. Paraphrase matches stay one passage
/// each, so that sentences aligned one to one are shown one to one (and a match that really
/// joins sentences stays visible as such). `groups` must be ordered by position in B (as
/// [`AlignResult::groups`] is).
pub fn passages(groups: &[AlignedGroup]) -> Vec<Passage> {
    let mut out: Vec<Passage> = Vec::new();
    let mut weight = 0.0f64;
    for (gi, g) in groups.iter().enumerate() {
        let w = (g.a.len() + g.b.len()) as f64;
        if let Some(p) = out.last_mut()
            && p.kind == g.kind
            && g.kind != MatchKind::Paraphrase
            && p.a.end == g.a.start
            && p.b.end == g.b.start
        {
            p.similarity = (p.similarity * weight + g.similarity * w) / (weight + w);
            weight += w;
            p.a.end = g.a.end;
            p.b.end = g.b.end;
            p.groups.push(gi);
            continue;
        }
        weight = w;
        out.push(Passage {
            a: g.a.clone(),
            b: g.b.clone(),
            similarity: g.similarity,
            kind: g.kind,
            groups: vec![gi],
        });
    }
    out
}

/// Indices of one longest strictly increasing subsequence of `v`.
pub(crate) fn lis_indices(v: &[usize]) -> Vec<usize> {
    let mut tails: Vec<usize> = Vec::new(); // indices into v
    let mut prev: Vec<Option<usize>> = vec![None; v.len()];
    for i in 0..v.len() {
        let pos = tails.partition_point(|&t| v[t] < v[i]);
        if pos > 0 {
            prev[i] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut out = Vec::new();
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        out.push(i);
        cur = prev[i];
    }
    out.reverse();
    out
}

/// The monotone chain of mutual best matches: every sentence pair `(i, j, score)` where `j` is
/// the best-scoring sentence of B for sentence `i` of A and `i` the best of A for `j` (among the
/// scorer's candidates, score at least `floor`), reduced to the longest chain increasing on both
/// sides (ordered by `i`). A spin keeps its source's order, so nearly every sentence's best
/// partner lies on this chain even when the similarities are low; independent write-ups of one
/// story share facts in a different order, so their mutual best pairs scatter.
pub fn best_match_chain<S: SentenceScorer + ?Sized>(
    scorer: &S,
    fa: &S::Features,
    fb: &S::Features,
    floor: f64,
) -> Vec<(usize, usize, f64)> {
    let (na, nb) = (scorer.len(fa), scorer.len(fb));
    let mut best_a: Vec<Option<(usize, f64)>> = vec![None; na];
    let mut best_b: Vec<Option<(usize, f64)>> = vec![None; nb];
    for (i, j) in scorer.candidates(fa, fb) {
        if i >= na || j >= nb {
            continue;
        }
        let s = scorer.score(fa, i..i + 1, fb, j..j + 1);
        if s < floor {
            continue;
        }
        if best_a[i].is_none_or(|(_, b)| s > b) {
            best_a[i] = Some((j, s));
        }
        if best_b[j].is_none_or(|(_, b)| s > b) {
            best_b[j] = Some((i, s));
        }
    }
    let mutual: Vec<(usize, usize, f64)> = best_a
        .iter()
        .enumerate()
        .filter_map(|(i, b)| {
            let (j, s) = (*b)?;
            (best_b[j].map(|x| x.0) == Some(i)).then_some((i, j, s))
        })
        .collect();
    let js: Vec<usize> = mutual.iter().map(|m| m.1).collect();
    lis_indices(&js).into_iter().map(|k| mutual[k]).collect()
}

/// Fraction in `[0, 1]` of matches that keep the order of the other side: the longest chain of
/// matches increasing in both A and B, over all matches (1 when there are none).
pub fn order_consistency(groups: &[AlignedGroup]) -> f64 {
    if groups.is_empty() {
        return 1.0;
    }
    let mut v: Vec<(usize, usize)> = groups.iter().map(|g| (g.a.start, g.b.start)).collect();
    v.sort_unstable();
    let bs: Vec<usize> = v.iter().map(|x| x.1).collect();
    lis_indices(&bs).len() as f64 / groups.len() as f64
}

/// Normalized tokens of sentences `r`, numbers replaced by one placeholder.
fn masked<'x>(p: &'x stemma_text::PreparedText, r: &Range<usize>) -> Vec<&'x str> {
    let mut out = Vec::new();
    for s in &p.sentences[r.start.min(p.sentences.len())..r.end.min(p.sentences.len())] {
        let t = s.tokens.start.min(p.tokens.len())..s.tokens.end.min(p.tokens.len());
        out.extend(p.tokens[t].iter().map(|t| {
            if t.kind == stemma_text::TokenKind::Number {
                "#"
            } else {
                t.norm.as_str()
            }
        }));
    }
    out
}

/// Hash of the normalized words of sentence `i` (`None` without any word or number).
fn exact_key(p: &PreparedText, i: usize) -> Option<u64> {
    let s = p.sentences.get(i)?;
    let r = s.tokens.start.min(p.tokens.len())..s.tokens.end.min(p.tokens.len());
    let mut h = Xxh3::new();
    let mut any = false;
    for t in &p.tokens[r] {
        if t.norm.chars().any(char::is_alphanumeric) {
            any = true;
            h.update(t.norm.as_bytes());
            h.update(&[0]);
        }
    }
    any.then(|| h.digest())
}

/// Hash of the sequence of content stems of sentence `i` (`None` below three content words):
/// the same sentence with other function words, case or punctuation.
fn content_key(p: &PreparedText, i: usize) -> Option<u64> {
    let s = p.sentences.get(i)?;
    let r = s.tokens.start.min(p.tokens.len())..s.tokens.end.min(p.tokens.len());
    let mut h = Xxh3::new();
    let mut n = 0usize;
    for t in p.tokens[r]
        .iter()
        .filter(|t| !t.stop && t.norm.chars().any(char::is_alphanumeric))
    {
        n += 1;
        h.update(if t.stem.is_empty() { &t.norm } else { &t.stem }.as_bytes());
        h.update(&[0]);
    }
    (n >= 3).then(|| h.digest())
}
