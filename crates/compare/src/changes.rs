//! Change report (names, numbers, dates, quotations), added clauses and topical similarity.

use std::ops::Range;

use stemma_align::{AlignResult, char_trigrams_into, damerau_distance, trigram_dice};
use stemma_text::{PreparedText, Token, TokenKind};

use crate::model::{Change, ChangeKind, Span};
use crate::{Document, is_name_token};
use rustc_hash::{FxHashMap as FastMap, FxHashSet as FastSet};

/// Token indices covered by sentences `r` of `p`.
fn token_range(p: &PreparedText, r: &Range<usize>) -> Range<usize> {
    let n = p.tokens.len();
    match (
        p.sentences.get(r.start),
        r.end.checked_sub(1).and_then(|e| p.sentences.get(e)),
    ) {
        (Some(f), Some(l)) => f.tokens.start.min(n)..l.tokens.end.min(n).max(f.tokens.start.min(n)),
        _ => 0..0,
    }
}

fn tok_text<'a>(d: &Document<'a>, t: &Token) -> &'a str {
    d.text.get(t.span.start..t.span.end).unwrap_or("")
}

pub(crate) fn month_or_weekday(norm: &str) -> Option<u8> {
    use crate::date::{DAYS, MONTHS};
    let n = norm.trim_end_matches('.');
    if MONTHS.contains(&n)
        || (n.len() == 3 && n != "may" && MONTHS.iter().any(|m| m.starts_with(n)))
        || n == "sept"
    {
        return Some(1);
    }
    if DAYS.contains(&n) {
        return Some(2);
    }
    None
}

/// Date class of a token: 1 month, 2 weekday, 3 year; `None` otherwise.
fn date_class(t: &Token) -> Option<u8> {
    match t.kind {
        TokenKind::Number => {
            let digits = t.norm.len() == 4 && t.norm.bytes().all(|b| b.is_ascii_digit());
            let y: u32 = if digits {
                t.norm.parse().unwrap_or(0)
            } else {
                0
            };
            (1800..=2100).contains(&y).then_some(3)
        }
        TokenKind::Word if t.capitalized => month_or_weekday(&t.norm),
        TokenKind::Word => None,
    }
}

/// A proper-name spelling variant: same first letter, small edit distance, not an inflection.
fn spelling_variant(x: &str, y: &str) -> bool {
    let (cx, cy): (Vec<char>, Vec<char>) = (x.chars().collect(), y.chars().collect());
    let min = cx.len().min(cy.len());
    if min < 4 || cx[0] != cy[0] || x == y {
        return false;
    }
    let prefix = cx.iter().zip(&cy).take_while(|(p, q)| p == q).count();
    if prefix + 1 >= min {
        return false; // Russia / Russian, Korea / Koreas: inflections, not spellings
    }
    damerau_distance(x, y) <= (min / 4).max(1)
}

/// Quotations (text between double quotes) inside `span` of `text`, as inner byte spans.
fn quotes(text: &str, span: Span) -> Vec<Span> {
    let Some(s) = text.get(span.start..span.end) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut straight: Option<usize> = None;
    for (i, c) in s.char_indices() {
        let after = span.start + i + c.len_utf8();
        match c {
            '“' | '«' | '„' => stack.push(after),
            '”' | '»' => {
                if let Some(open) = stack.pop() {
                    out.push(Span::new(open, span.start + i));
                }
            }
            '"' => match straight.take() {
                Some(open) => out.push(Span::new(open, span.start + i)),
                None => straight = Some(after),
            },
            _ => {}
        }
    }
    out
}

fn tokens_in<'t>(p: &'t PreparedText, r: &Range<usize>, s: Span) -> Vec<&'t Token> {
    p.tokens[r.clone()]
        .iter()
        .filter(|t| t.span.start >= s.start && t.span.end <= s.end)
        .collect()
}

/// Names, numbers, dates and quotations that differ inside aligned matches.
pub(crate) fn changes(a: &Document<'_>, b: &Document<'_>, res: &AlignResult) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    let mut seen: FastSet<(ChangeKind, String, String)> = FastSet::default();
    let (pa, pb) = (a.prepared, b.prepared);
    for g in &res.groups {
        let (ra, rb) = (token_range(pa, &g.a), token_range(pb, &g.b));
        let (ta, tb) = (&pa.tokens[ra.clone()], &pb.tokens[rb.clone()]);
        let na: FastSet<&str> = ta.iter().map(|t| t.norm.as_str()).collect();
        let nb: FastSet<&str> = tb.iter().map(|t| t.norm.as_str()).collect();
        let mut push = |kind: ChangeKind, x: Option<&Token>, y: Option<&Token>| {
            let xs = x.map(|t| tok_text(a, t).to_string());
            let ys = y.map(|t| tok_text(b, t).to_string());
            let key = (
                kind,
                xs.clone().unwrap_or_default(),
                ys.clone().unwrap_or_default(),
            );
            if seen.insert(key) {
                out.push(Change {
                    kind,
                    a: xs,
                    b: ys,
                    a_span: x.map(|t| t.span),
                    b_span: y.map(|t| t.span),
                });
            }
        };

        // Names.
        let a_only: Vec<&Token> = ta
            .iter()
            .filter(|t| {
                is_name_token(t) && date_class(t).is_none() && !nb.contains(t.norm.as_str())
            })
            .collect();
        let b_only: Vec<&Token> = tb
            .iter()
            .filter(|t| {
                is_name_token(t) && date_class(t).is_none() && !na.contains(t.norm.as_str())
            })
            .collect();
        let mut taken: FastSet<usize> = FastSet::default();
        for x in &a_only {
            let best = b_only
                .iter()
                .enumerate()
                .filter(|(k, y)| {
                    !taken.contains(k) && x.stem != y.stem && spelling_variant(&x.norm, &y.norm)
                })
                .min_by_key(|(_, y)| damerau_distance(&x.norm, &y.norm));
            if let Some((k, y)) = best {
                taken.insert(k);
                push(ChangeKind::Name, Some(x), Some(y));
            }
        }

        // Numbers (years are dates) and dates: unmatched ones paired in order within a class.
        let class = |t: &Token| match date_class(t) {
            Some(c) => Some(c),
            None if t.kind == TokenKind::Number => Some(0),
            None => None,
        };
        // Unmatched tokens per class (0 number, 1 month, 2 weekday, 3 year).
        let mut ua: [Vec<usize>; 4] = Default::default();
        let mut ub: [Vec<usize>; 4] = Default::default();
        for (k, t) in ta
            .iter()
            .enumerate()
            .filter(|(_, t)| !nb.contains(t.norm.as_str()))
        {
            if let Some(c) = class(t) {
                ua[usize::from(c)].push(k);
            }
        }
        for (k, t) in tb
            .iter()
            .enumerate()
            .filter(|(_, t)| !na.contains(t.norm.as_str()))
        {
            if let Some(c) = class(t) {
                ub[usize::from(c)].push(k);
            }
        }
        for c in 0u8..4 {
            let (xs, ys) = (&ua[usize::from(c)], &ub[usize::from(c)]);
            if xs.is_empty() || ys.is_empty() {
                continue;
            }
            if c != 0 {
                for (x, y) in xs.iter().zip(ys) {
                    push(ChangeKind::Date, Some(&ta[*x]), Some(&tb[*y]));
                }
                continue;
            }
            for (x, y) in pair_numbers(ta, xs, tb, ys) {
                push(ChangeKind::Number, Some(&ta[x]), Some(&tb[y]));
            }
        }

        // Quotations whose words differ.
        let (Some(sa), Some(sb)) = (
            crate::sentence_span(pa, &g.a, a.text.len()),
            crate::sentence_span(pb, &g.b, b.text.len()),
        ) else {
            continue;
        };
        let qa: Vec<(Span, Vec<&str>)> = quotes(a.text, sa)
            .into_iter()
            .map(|q| {
                (
                    q,
                    tokens_in(pa, &ra, q)
                        .iter()
                        .map(|t| t.norm.as_str())
                        .collect(),
                )
            })
            .collect();
        for qb in quotes(b.text, sb) {
            let wb: Vec<&str> = tokens_in(pb, &rb, qb)
                .iter()
                .map(|t| t.norm.as_str())
                .collect();
            if wb.len() < 3 {
                continue;
            }
            let sb_set: FastSet<&str> = wb.iter().copied().collect();
            let best = qa
                .iter()
                .filter(|(_, w)| w.len() >= 3)
                .map(|(q, w)| {
                    let sa_set: FastSet<&str> = w.iter().copied().collect();
                    let shared = sa_set.intersection(&sb_set).count();
                    (
                        q,
                        w,
                        2.0 * shared as f64 / (sa_set.len() + sb_set.len()) as f64,
                    )
                })
                .max_by(|x, y| x.2.total_cmp(&y.2));
            let identical = qa.iter().any(|(_, w)| *w == wb);
            if let Some((q, w, d)) = best
                && !identical
                && d >= 0.5
                && w.len() * 2 >= wb.len()
                && wb.len() * 2 >= w.len()
                && *w != wb
                && !is_sub_slice(w, &wb)
                && !is_sub_slice(&wb, w)
            {
                let xs = a.text.get(q.start..q.end).unwrap_or("").trim().to_string();
                let ys = b
                    .text
                    .get(qb.start..qb.end)
                    .unwrap_or("")
                    .trim()
                    .to_string();
                if seen.insert((ChangeKind::Quote, xs.clone(), ys.clone())) {
                    out.push(Change {
                        kind: ChangeKind::Quote,
                        a: Some(xs),
                        b: Some(ys),
                        a_span: Some(*q),
                        b_span: Some(qb),
                    });
                }
            }
        }
    }
    out
}

/// Pairs unmatched numbers of two aligned passages by agreement: same next word (e.g. the unit)
/// 2 points, same previous word 1, same number of digits 1. A single unmatched number on each
/// side needs 1 point, several need 2; best agreement first. A paraphrase that merely drops one
/// figure and mentions another therefore does not produce a false pair.
fn pair_numbers(ta: &[Token], xs: &[usize], tb: &[Token], ys: &[usize]) -> Vec<(usize, usize)> {
    // One unmatched number on each side needs one point of agreement, several need two.
    let min_score = if xs.len() == 1 && ys.len() == 1 { 1 } else { 2 };
    fn norm(t: &[Token], k: Option<usize>) -> Option<&str> {
        k.and_then(|k| t.get(k)).map(|t| t.norm.as_str())
    }
    let digits = |t: &Token| t.norm.chars().filter(char::is_ascii_digit).count();
    let mut scored: Vec<(u32, usize, usize)> = Vec::new();
    for &x in xs {
        for &y in ys {
            let mut sc = 0;
            if norm(ta, Some(x + 1)).is_some() && norm(ta, Some(x + 1)) == norm(tb, Some(y + 1)) {
                sc += 2;
            }
            if norm(ta, x.checked_sub(1)).is_some()
                && norm(ta, x.checked_sub(1)) == norm(tb, y.checked_sub(1))
            {
                sc += 1;
            }
            if digits(&ta[x]) == digits(&tb[y]) {
                sc += 1;
            }
            if sc >= min_score {
                scored.push((sc, x, y));
            }
        }
    }
    scored.sort_by(|p, q| q.0.cmp(&p.0).then(p.1.cmp(&q.1)).then(p.2.cmp(&q.2)));
    let (mut ux, mut uy) = (FastSet::default(), FastSet::default());
    let mut out = Vec::new();
    for (_, x, y) in scored {
        if !ux.contains(&x) && !uy.contains(&y) {
            ux.insert(x);
            uy.insert(y);
            out.push((x, y));
        }
    }
    out.sort_unstable();
    out
}

/// True when `small` occurs as a contiguous run in `big` (a quotation shortened or extended,
/// not altered).
fn is_sub_slice(small: &[&str], big: &[&str]) -> bool {
    small.len() <= big.len() && big.windows(small.len().max(1)).any(|w| w == small)
}

/// Trigram hashes of a word folded into 64 bits, for an upper bound of the trigrams two words
/// share: every shared trigram sets a common bit, and at most `collisions` trigrams of a word
/// share a bit with another of its own.
#[derive(Clone, Copy)]
struct GramBits {
    mask: u64,
    collisions: u32,
}

impl GramBits {
    fn of(grams: &[u32]) -> GramBits {
        let mask = grams.iter().fold(0u64, |m, g| m | 1u64 << (g % 64));
        GramBits {
            mask,
            collisions: grams.len() as u32 - mask.count_ones(),
        }
    }

    /// At least the number of trigrams the two words share.
    fn shared_bound(&self, other: &GramBits) -> usize {
        ((self.mask & other.mask).count_ones() + self.collisions.min(other.collisions)) as usize
    }
}

fn content(t: &Token) -> bool {
    !t.stop && t.norm.chars().any(char::is_alphanumeric)
}

/// Share of the source sentence's content stems a copy sentence must keep for an unmatched
/// clause anywhere in it to count as added (below it, only clauses after the last one sharing
/// words with the source count).
const KEPT_SOURCE: f64 = 0.8;

/// Clauses of aligned copy sentences whose content words are (almost) absent from the source
/// sentences they are aligned with: details the copy added inside a reworded sentence. Clauses
/// are those of [`stemma_align::clauses`].
pub(crate) fn added_clauses(
    src: &Document<'_>,
    cpy: &Document<'_>,
    res: &AlignResult,
    a_is_source: bool,
    min_terms: usize,
) -> Vec<Span> {
    let mut out = Vec::new();
    let (ps, pc) = (src.prepared, cpy.prepared);
    let mut grams: Vec<u32> = Vec::new();
    let mut norms: Vec<(&str, Range<usize>, GramBits)> = Vec::new();
    for g in &res.groups {
        let (rs, rc) = if a_is_source {
            (&g.a, &g.b)
        } else {
            (&g.b, &g.a)
        };
        let src_toks = &ps.tokens[token_range(ps, rs)];
        let stems: FastSet<&str> = src_toks
            .iter()
            .filter(|t| content(t))
            .map(|t| t.stem.as_str())
            .collect();
        // Source content words with their character trigrams (one arena), computed once per
        // group instead of once per comparison: `word_similarity(n, w)` is 1 for equal words,
        // else the Dice of their trigrams.
        grams.clear();
        norms.clear();
        for t in src_toks.iter().filter(|t| content(t)) {
            let start = grams.len();
            char_trigrams_into(&t.norm, &mut grams);
            let bits = GramBits::of(&grams[start..]);
            norms.push((t.norm.as_str(), start..grams.len(), bits));
        }
        let mut word_grams: Vec<u32> = Vec::new();
        let mut matched = |t: &Token| {
            if stems.contains(t.stem.as_str()) {
                return true;
            }
            word_grams.clear();
            char_trigrams_into(&t.norm, &mut word_grams);
            let wbits = GramBits::of(&word_grams);
            norms.iter().any(|(n, r, bits)| {
                if *n == t.norm {
                    return true;
                }
                // The Dice with an upper bound of the shared trigrams (computed the same way)
                // bounds the Dice: below 0.6 the word cannot match.
                let total = (r.len() + word_grams.len()) as f64;
                if 2.0 * bits.shared_bound(&wbits) as f64 / total < 0.6 {
                    return false;
                }
                trigram_dice(&grams[r.clone()], &word_grams) >= 0.6
            })
        };
        // Clauses of the copy sentences, in order, with their content words and how many of
        // them the source has.
        let mut found: Vec<(Span, usize, usize)> = Vec::new();
        let mut copy_stems: FastSet<&str> = FastSet::default();
        for sentence in rc.clone() {
            for r in stemma_align::clauses(cpy.text, pc, sentence) {
                let clause = &pc.tokens[r];
                let terms: Vec<&Token> = clause.iter().filter(|t| content(t)).collect();
                copy_stems.extend(terms.iter().map(|t| t.stem.as_str()));
                let hits = terms.iter().filter(|t| matched(t)).count();
                let span = Span::new(clause[0].span.start, clause[clause.len() - 1].span.end);
                found.push((span, terms.len(), hits));
            }
        }
        // How much of the source sentence the copy keeps. When much of it is reworded, an
        // unmatched clause before the copy's last clause sharing words with the source is more
        // likely that rewording than new material (`Kim, who was rumored to have fallen ill` for
        // `speculation regarding his health`); only clauses after it extend the sentence.
        let kept = stems.iter().filter(|t| copy_stems.contains(*t)).count();
        let well_kept = kept as f64 >= KEPT_SOURCE * stems.len() as f64;
        // (A clause shares words with the source when more than a fifth of its content words are
        // found there: one incidental shared word does not make it rewording.)
        let last_hit = found.iter().rposition(|c| c.2 * 5 > c.1);
        for (k, &(span, terms, hits)) in found.iter().enumerate() {
            let trailing = last_hit.is_none_or(|l| k > l);
            if terms >= min_terms && hits * 5 <= terms && (well_kept || trailing) {
                out.push(span);
            }
        }
    }
    out
}

/// Document-level overlap of key terms (names, numbers, long content words).
pub(crate) struct Topic {
    /// Weighted cosine of the key-term sets, in `[0, 1]`.
    pub score: f64,
    /// Shared names and numbers.
    pub shared_keys: usize,
}

/// Key terms of one document: weight and whether the term is a name or number.
pub(crate) type KeyTerms<'d> = FastMap<&'d str, (f64, bool)>;

/// The key terms of `d` (names, numbers, long content words).
pub(crate) fn key_terms<'d>(d: &Document<'d>) -> KeyTerms<'d> {
    let p = d.prepared;
    let mut out: FastMap<&'d str, (f64, bool)> = FastMap::default();
    for s in &p.sentences {
        let r = s.tokens.start.min(p.tokens.len())..s.tokens.end.min(p.tokens.len());
        for (k, t) in p.tokens[r].iter().enumerate() {
            if !content(t) {
                continue;
            }
            let entry = if t.kind == TokenKind::Number || (k > 0 && is_name_token(t)) {
                (t.norm.as_str(), (2.0, true))
            } else if t.norm.chars().count() >= 7 {
                (t.stem.as_str(), (1.0, false))
            } else {
                continue;
            };
            out.entry(entry.0).or_insert(entry.1);
        }
    }
    out
}

/// Weighted cosine of the two documents' key-term sets.
pub(crate) fn topical_similarity(ka: &KeyTerms<'_>, kb: &KeyTerms<'_>) -> Topic {
    let wa: f64 = ka.values().map(|v| v.0 * v.0).sum();
    let wb: f64 = kb.values().map(|v| v.0 * v.0).sum();
    let mut shared = 0.0;
    let mut shared_keys = 0;
    for (k, (w, key)) in ka {
        if kb.contains_key(k) {
            shared += w * w;
            shared_keys += usize::from(*key);
        }
    }
    let score = if wa > 0.0 && wb > 0.0 {
        (shared / (wa * wb).sqrt()).clamp(0.0, 1.0)
    } else {
        0.0
    };
    Topic { score, shared_keys }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants() {
        assert!(spelling_variant("matesgora", "matsegora"));
        assert!(!spelling_variant("russia", "russian"));
        assert!(!spelling_variant("korea", "koreas"));
        assert!(!spelling_variant("putin", "paris"));
        assert!(!spelling_variant("kim", "kin"));
        assert!(spelling_variant("ferer", "ferrer"));
        assert!(spelling_variant("brüger", "brügger"));
        assert!(!spelling_variant("germany", "german"));
    }

    #[test]
    fn numbers_pair_by_context() {
        let p = |t: &str| stemma_text::prepare(t).tokens;
        let a = p("about 1,800 fans came and 24,000 people live there");
        let b = p("some 2,000 fans came");
        let idx = |t: &[Token], n: &str| t.iter().position(|x| x.norm == n).unwrap();
        let xs = [idx(&a, "1,800"), idx(&a, "24,000")];
        let ys = [idx(&b, "2,000")];
        assert_eq!(pair_numbers(&a, &xs, &b, &ys), vec![(xs[0], ys[0])]);
        // One each, nothing in common (different size, different context): not paired.
        let c = p("the town has 24,000 people");
        let d = p("some 6 fans came");
        assert!(pair_numbers(&c, &[idx(&c, "24,000")], &d, &[idx(&d, "6")]).is_empty());
    }

    #[test]
    fn quote_spans() {
        let t = "He said “a “b” c” and \"d e\".";
        let q = quotes(t, Span::new(0, t.len()));
        let texts: Vec<&str> = q.iter().map(|s| &t[s.start..s.end]).collect();
        assert_eq!(texts, vec!["b", "a “b” c", "d e"]);
    }
}
