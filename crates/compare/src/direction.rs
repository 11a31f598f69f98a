//! Which document is the source: dates, content containment, trimmed words, dropped specifics,
//! direct quotations turned into reported speech.

use stemma_align::{AlignResult, MatchKind};
use stemma_text::{PreparedText, TokenKind};

use crate::model::{Direction, Evidence, Side};
use crate::{Document, Figures, is_name_token, used};
use rustc_hash::FxHashSet as FastSet;

fn side(i: usize) -> Side {
    if i == 0 { Side::A } else { Side::B }
}

fn name(i: usize) -> &'static str {
    if i == 0 { "A" } else { "B" }
}

/// True for a sentence that looks like page furniture rather than article text: credit and
/// byline lines, social links, e-mail addresses, URLs, copyright lines, short lines without
/// final punctuation (titles, captions).
pub(crate) fn looks_like_boilerplate(s: &str, tokens: usize) -> bool {
    let lower = s.to_lowercase();
    let furniture = [
        "posted by",
        "follow ",
        "photo",
        "image",
        "credit",
        "please ",
        "read more",
        "related",
        "copyright",
        "©",
        "(c)",
        "share ",
        "sign up",
        "subscribe",
        "this article",
        "this story",
        "reporting by",
        "editing by",
        "additional reporting",
        "update",
        "letters",
        "live coverage",
    ];
    if lower.contains('@') || lower.contains("http") || lower.contains("www.") {
        return true;
    }
    if furniture.iter().any(|f| lower.starts_with(f))
        || lower.contains("getty images")
        || lower.contains("photo:")
        || lower.contains("photos:")
        || lower.contains("all rights reserved")
    {
        return true;
    }
    let last = s.trim_end().chars().last().unwrap_or('.');
    tokens <= 15
        && !matches!(
            last,
            '.' | '!' | '?' | '"' | '”' | '’' | '\'' | ':' | ')' | '»'
        )
}

/// Signed weight: positive favours A.
fn signed(e: &Evidence) -> f64 {
    match e.favours {
        Some(Side::A) => e.weight,
        Some(Side::B) => -e.weight,
        None => 0.0,
    }
}

/// Favours the side with more of something the other lacks: `(favours, weight)`.
fn asymmetry(x: f64, y: f64, min_diff: f64, scale: f64, cap: f64) -> (Option<Side>, f64) {
    let d = x - y;
    if d.abs() < min_diff {
        return (None, 0.0);
    }
    (Some(side(usize::from(d < 0.0))), (d.abs() * scale).min(cap))
}

/// Distinct names and numbers of the sentences of `p` that are article text.
fn specifics<'d>(d: &Document<'d>, content: &[bool]) -> FastSet<&'d str> {
    let p: &'d PreparedText = d.prepared;
    let mut out = FastSet::default();
    for (si, s) in p.sentences.iter().enumerate() {
        if !content.get(si).copied().unwrap_or(false) {
            continue;
        }
        let r = s.tokens.start.min(p.tokens.len())..s.tokens.end.min(p.tokens.len());
        for (k, t) in p.tokens[r].iter().enumerate() {
            if t.kind == TokenKind::Number || (k > 0 && is_name_token(t) && !t.stop) {
                out.insert(t.norm.as_str());
            }
        }
    }
    out
}

fn has_quote(s: &str) -> bool {
    let opens = s.matches(['“', '«', '„']).count() + s.matches('"').count() / 2;
    opens > 0
}

/// Net evidence below which the direction is left undecided.
const MIN_DIRECTION: f64 = 0.05;

/// Decides the direction of copying and lists the evidence with its figures.
pub(crate) fn decide(
    a: &Document<'_>,
    b: &Document<'_>,
    res: &AlignResult,
    fig: &Figures,
    derivation: bool,
) -> Direction {
    let mut evidence: Vec<Evidence> = Vec::new();
    if let (Some(da), Some(db)) = (a.date, b.date) {
        let hours = (db - da) as f64 / 3600.0;
        let favours = match da.cmp(&db) {
            std::cmp::Ordering::Less => Some(Side::A),
            std::cmp::Ordering::Greater => Some(Side::B),
            std::cmp::Ordering::Equal => None,
        };
        evidence.push(Evidence {
            kind: "date".into(),
            favours,
            weight: if favours.is_some() { 0.9 } else { 0.0 },
            detail: format!(
                "A dated {}, B dated {}: B is {hours:+.1} h after A; the earlier text is the source",
                crate::date::format_date(da),
                crate::date::format_date(db)
            ),
        });
    }
    if !derivation {
        return Direction {
            source: None,
            confidence: 0.0,
            evidence,
        };
    }

    // Per side: which sentences are article text (not page furniture), and what is unaligned.
    let docs = [a, b];
    let mut content: [Vec<bool>; 2] = [Vec::new(), Vec::new()];
    let mut content_bytes = [0usize; 2];
    let mut unaligned_content = [0usize; 2];
    let mut furniture = [0usize; 2];
    for (i, d) in docs.iter().enumerate() {
        let p = d.prepared;
        let u = used(p.sentences.len(), res, i == 0);
        for (si, s) in p.sentences.iter().enumerate() {
            let text = d.text.get(s.span.start..s.span.end).unwrap_or("");
            let is_content = !looks_like_boilerplate(text, s.tokens.len());
            content[i].push(is_content);
            if is_content {
                content_bytes[i] += text.len();
                if !u[si] {
                    unaligned_content[i] += text.len();
                }
            } else if !u[si] {
                furniture[i] += 1;
            }
        }
    }

    // Containment of article text: the source holds content the copy dropped; page furniture
    // is left out because copies both strip the source's and add their own.
    let frac = |i: usize| unaligned_content[i] as f64 / content_bytes[i].max(1) as f64;
    let (mut fav, mut w) = asymmetry(frac(0), frac(1), 0.04, 1.0, 0.4);
    // Whole sentences missing on one side only (the other has no unaligned text at all) are
    // telling even when short.
    for i in 0..2 {
        if unaligned_content[i] > 0 && unaligned_content[1 - i] == 0 && w < 0.1 {
            (fav, w) = (Some(side(i)), 0.1);
        }
    }
    evidence.push(Evidence {
        kind: "containment".into(),
        favours: fav,
        weight: w,
        detail: format!(
            "unaligned article text (page furniture excluded): A {} of {} bytes ({:.0}%), B {} of {} bytes ({:.0}%); overall aligned A {:.0}%, B {:.0}%; a copy drops material more often than it invents it",
            unaligned_content[0],
            content_bytes[0],
            frac(0) * 100.0,
            unaligned_content[1],
            content_bytes[1],
            frac(1) * 100.0,
            fig.cov[0] * 100.0,
            fig.cov[1] * 100.0
        ),
    });

    // Words trimmed inside closely aligned sentences.
    let mut extra = [0usize; 2];
    for g in res
        .groups
        .iter()
        .filter(|g| g.kind != MatchKind::Paraphrase)
    {
        let na = crate::group_tokens(a.prepared, &g.a);
        let nb = crate::group_tokens(b.prepared, &g.b);
        let lcs = (g.token_similarity * (na + nb) as f64 / 2.0).round() as usize;
        extra[0] += na.saturating_sub(lcs);
        extra[1] += nb.saturating_sub(lcs);
    }
    // Evidence about editing a verbatim copy: it counts in proportion to how much of the
    // pair is such a copy (in a reworded text a few near-verbatim sentences say little).
    let (fav, w) = asymmetry(extra[0] as f64, extra[1] as f64, 2.0, 0.03, 0.3);
    let w = w * fig.vcov[0].min(fig.vcov[1]).clamp(0.0, 1.0);
    let fav = if w > 0.0 { fav } else { None };
    evidence.push(Evidence {
        kind: "trimmed-words".into(),
        favours: fav,
        weight: w,
        detail: format!(
            "inside verbatim / near-verbatim matches A has {} words B lacks and B has {} words A lacks; edits trim more than they add",
            extra[0], extra[1]
        ),
    });

    // Specific details (names, numbers) only one side has.
    let (sa, sb) = (specifics(a, &content[0]), specifics(b, &content[1]));
    let only_a = sa.difference(&sb).count();
    let only_b = sb.difference(&sa).count();
    let (fav, w) = asymmetry(only_a as f64, only_b as f64, 2.0, 0.04, 0.3);
    evidence.push(Evidence {
        kind: "dropped-specifics".into(),
        favours: fav,
        weight: w,
        detail: format!(
            "names and numbers of article text only in A: {only_a}, only in B: {only_b}; rewrites drop specific details and add generic text"
        ),
    });

    // Direct quotations turned into reported speech.
    let mut quote_only = [0usize; 2];
    for g in &res.groups {
        let qa = crate::sentence_span(a.prepared, &g.a, a.text.len())
            .and_then(|s| a.text.get(s.start..s.end))
            .is_some_and(has_quote);
        let qb = crate::sentence_span(b.prepared, &g.b, b.text.len())
            .and_then(|s| b.text.get(s.start..s.end))
            .is_some_and(has_quote);
        match (qa, qb) {
            (true, false) => quote_only[0] += 1,
            (false, true) => quote_only[1] += 1,
            _ => {}
        }
    }
    let (fav, w) = asymmetry(quote_only[0] as f64, quote_only[1] as f64, 1.0, 0.1, 0.3);
    evidence.push(Evidence {
        kind: "quotations".into(),
        favours: fav,
        weight: w,
        detail: format!(
            "aligned passages quoting directly only in A: {}, only in B: {}; rewrites turn quotes into reported speech",
            quote_only[0], quote_only[1]
        ),
    });

    evidence.push(Evidence {
        kind: "page-furniture".into(),
        favours: None,
        weight: 0.0,
        detail: format!(
            "unaligned boilerplate-like lines (credits, bylines, links, footers, titles): {} {}, {} {}; not weighed: copies both strip and add them",
            name(0),
            furniture[0],
            name(1),
            furniture[1]
        ),
    });

    let total: f64 = evidence.iter().map(signed).sum();
    let (source, confidence) = if total.abs() < MIN_DIRECTION {
        (None, 0.0)
    } else {
        (
            Some(if total > 0.0 { Side::A } else { Side::B }),
            total.abs().min(0.99),
        )
    };
    Direction {
        source,
        confidence,
        evidence,
    }
}
