//! Clauses of a sentence, and how well a sentence matches a run of clauses of another.
//!
//! A rewrite often paraphrases its source sentence and appends a detail in an extra clause
//! ("…, he made his first public appearance and attended a ribbon-cutting ceremony"). A
//! whole-sentence score dilutes such a match with the extra clause's words; the best run of
//! clauses of the longer sentence against the whole shorter one does not. The aligner uses
//! [`partial_similarity`] where order already makes a match likely (between order-consistent
//! anchors); the comparison uses [`clauses`] to report only the extra clause as added.

use std::ops::Range;

use stemma_text::{PreparedText, TokenKind};

use crate::words::{char_trigrams_into, dice_sorted};

/// Words that open a coordinated clause (English, German, French, Spanish, Russian).
const CONJUNCTIONS: &[&str] = &[
    "and", "but", "while", "whereas", "und", "aber", "während", "et", "mais", "tandis", "y",
    "pero", "mientras", "и", "но", "а",
];

/// Punctuation between two tokens that ends a clause.
const CLAUSE_PUNCTUATION: [char; 7] = [',', ';', ':', '(', ')', '—', '–'];

/// Two different words count as one when their character-trigram Dice is at least this
/// (spelling variants, inflections the stemmer missed: absence / absent).
const SOFT_MIN: f64 = 0.6;

/// Token ranges (indices into `p.tokens`) of the clauses of sentence `sentence` of `p`, in
/// order, covering all its tokens. A clause ends before punctuation `, ; : ( ) — –` found in
/// `text` between two tokens, and before a coordinating conjunction (and/but/while/whereas and
/// their German, French, Spanish and Russian counterparts), which opens the next clause.
/// Empty when the sentence does not exist.
pub fn clauses(text: &str, p: &PreparedText, sentence: usize) -> Vec<Range<usize>> {
    let Some(s) = p.sentences.get(sentence) else {
        return Vec::new();
    };
    let n = p.tokens.len();
    let (start, end) = (s.tokens.start.min(n), s.tokens.end.min(n));
    let mut out = Vec::new();
    let mut open = start;
    for k in start + 1..end {
        let gap = text
            .get(p.tokens[k - 1].span.end..p.tokens[k].span.start)
            .unwrap_or("");
        if gap.contains(CLAUSE_PUNCTUATION) || CONJUNCTIONS.contains(&p.tokens[k].norm.as_str()) {
            out.push(open..k);
            open = k;
        }
    }
    if open < end {
        out.push(open..end);
    }
    out
}

/// One content word of a sentence, for [`partial_similarity`].
struct Term<'t> {
    stem: &'t str,
    weight: f64,
    number: bool,
    grams: Range<usize>,
    /// Index of the clause holding the term.
    clause: usize,
}

/// Content words of the clauses `clause_ranges` of `p` (stems without repeats, the first occurrence
/// kept), with their clause index; trigrams go to `grams`.
fn terms<'t>(
    p: &'t PreparedText,
    clause_ranges: &[Range<usize>],
    grams: &mut Vec<u32>,
) -> Vec<Term<'t>> {
    let mut out: Vec<Term<'t>> = Vec::new();
    for (ci, r) in clause_ranges.iter().enumerate() {
        for (k, t) in p.tokens[r.clone()].iter().enumerate() {
            if t.stop || !t.norm.chars().any(char::is_alphanumeric) {
                continue;
            }
            let stem = if t.stem.is_empty() { &t.norm } else { &t.stem };
            if out.iter().any(|x| x.stem == stem.as_str()) {
                continue;
            }
            let number = t.kind == TokenKind::Number;
            let initial = ci == 0 && k == 0;
            let len = 0.5 + t.norm.chars().count().min(12) as f64 * 0.03;
            let weight = if number {
                1.6
            } else if t.capitalized && !initial {
                1.3 * len
            } else {
                1.1 * len
            };
            let g0 = grams.len();
            char_trigrams_into(&t.norm, grams);
            out.push(Term {
                stem,
                weight,
                number,
                grams: g0..grams.len(),
                clause: ci,
            });
        }
    }
    out
}

/// Similarity in `[0, 1]` of the whole of one sentence with part of the other: sentence `i` of
/// `a` against sentence `j` of `b`, whichever has more content words being cut into clauses.
/// The part is the run of clauses from the first to the last one sharing a word with the
/// shorter sentence; it counts only when at least one clause with content words lies outside it
/// (an extra clause that shares nothing).
/// The weighted F1 of soft term recall (exact stems, or trigram Dice ≥ 0.6 counted at
/// `0.9 × dice`) in both directions, damped below 3 weight units like the lexical scorer.
/// Returns the score and the clause range (indices into [`clauses`] of the longer sentence);
/// `(0.0, 0..0)` when the longer sentence has fewer than two clauses with content words.
pub fn partial_similarity(
    a_text: &str,
    a: &PreparedText,
    i: usize,
    b_text: &str,
    b: &PreparedText,
    j: usize,
) -> (f64, Range<usize>) {
    let mut grams: Vec<u32> = Vec::new();
    let (ca, cb) = (clauses(a_text, a, i), clauses(b_text, b, j));
    let ta = terms(a, &ca, &mut grams);
    let tb = terms(b, &cb, &mut grams);
    let (short, long) = if ta.len() >= tb.len() {
        (tb, ta)
    } else {
        (ta, tb)
    };
    if short.is_empty() {
        return (0.0, 0..0);
    }
    // Clauses of the long sentence that hold content words.
    let mut with_content: Vec<usize> = long.iter().map(|t| t.clause).collect();
    with_content.dedup();
    if with_content.len() < 2 {
        return (0.0, 0..0);
    }
    // Similarity of every (short, long) term pair.
    let sim = |x: &Term<'_>, y: &Term<'_>| -> f64 {
        if x.stem == y.stem {
            return 1.0;
        }
        if x.number || y.number {
            return 0.0;
        }
        let d = dice_sorted(&grams[x.grams.clone()], &grams[y.grams.clone()]);
        if d >= SOFT_MIN { 0.9 * d } else { 0.0 }
    };
    let m: Vec<Vec<f64>> = short
        .iter()
        .map(|x| long.iter().map(|y| sim(x, y)).collect())
        .collect();
    let short_weight: f64 = short.iter().map(|t| t.weight).sum();
    // The clauses of the long sentence holding a word of the short one: the window is the run
    // from the first to the last of them, and everything outside it must share nothing.
    let hit = |li: usize| m.iter().any(|row| row[li] > 0.0);
    let mut hits = long
        .iter()
        .enumerate()
        .filter(|&(li, _)| hit(li))
        .map(|(_, y)| y.clause);
    let Some(p) = hits.next() else {
        return (0.0, 0..0);
    };
    let q = hits.next_back().unwrap_or(p);
    let (first, last) = (with_content[0], *with_content.last().unwrap_or(&0));
    if p == first && q == last {
        return (0.0, 0..0); // no extra clause: the whole sentence is the scorer's job
    }
    let inside = |y: &Term<'_>| (p..=q).contains(&y.clause);
    let got_short: f64 = short
        .iter()
        .enumerate()
        .map(|(si, x)| {
            let best_y = long
                .iter()
                .enumerate()
                .filter(|(_, y)| inside(y))
                .map(|(li, _)| m[si][li])
                .fold(0.0, f64::max);
            x.weight * best_y
        })
        .sum();
    let (mut got_long, mut long_weight) = (0.0, 0.0);
    for (li, y) in long.iter().enumerate().filter(|(_, y)| inside(y)) {
        long_weight += y.weight;
        got_long += y.weight * m.iter().map(|row| row[li]).fold(0.0, f64::max);
    }
    let (r, pr) = (got_short / short_weight, got_long / long_weight.max(1e-9));
    if r + pr <= 0.0 {
        return (0.0, 0..0);
    }
    let small = short_weight.min(long_weight);
    let damp = if small < 3.0 {
        (small / 3.0).sqrt()
    } else {
        1.0
    };
    (2.0 * r * pr / (r + pr) * damp, p..q + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause_texts(t: &str) -> Vec<String> {
        let p = stemma_text::prepare(t);
        clauses(t, &p, 0)
            .into_iter()
            .map(|r| {
                let (s, e) = (p.tokens[r.start].span.start, p.tokens[r.end - 1].span.end);
                t[s..e].to_string()
            })
            .collect()
    }

    #[test]
    fn clauses_split_at_punctuation_and_conjunctions() {
        assert_eq!(
            clause_texts("He spoke, she left and they stayed; nobody (not even Ann) came."),
            vec![
                "He spoke",
                "she left",
                "and they stayed",
                "nobody",
                "not even Ann",
                "came"
            ]
        );
        assert_eq!(
            clause_texts("Er kam spät, aber er blieb lange und sang."),
            vec!["Er kam spät", "aber er blieb lange", "und sang"]
        );
        assert!(clauses("x", &stemma_text::prepare("x"), 3).is_empty());
    }

    #[test]
    fn the_paraphrased_part_of_a_longer_sentence_scores_higher_than_the_whole() {
        let a = "The mayor opened the new library on Monday.";
        let b = "On Monday the mayor opened the town's new library, and later visited a school \
                 where pupils performed a play about local history.";
        let (pa, pb) = (stemma_text::prepare(a), stemma_text::prepare(b));
        let (s, r) = partial_similarity(a, &pa, 0, b, &pb, 0);
        assert!(s > 0.8, "{s}");
        assert_eq!(r, 0..1, "the first clause of B holds the match");
        // Unrelated clauses give nothing.
        let c = "Prices of copper fell sharply, and traders blamed weak demand from factories.";
        let pc = stemma_text::prepare(c);
        assert!(partial_similarity(a, &pa, 0, c, &pc, 0).0 < 0.1);
        // A sentence of one clause has no partial match.
        let d = "The mayor opened the library.";
        let pd = stemma_text::prepare(d);
        assert_eq!(partial_similarity(a, &pa, 0, d, &pd, 0).0, 0.0);
    }
}
