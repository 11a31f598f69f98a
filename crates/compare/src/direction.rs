//! Which document is the source: dates, containment asymmetry, dropped boilerplate.

use stemma_align::AlignResult;

use crate::model::{Direction, Evidence, Side};
use crate::{Document, Figures, used};

fn side(i: usize) -> Side {
    if i == 0 { Side::A } else { Side::B }
}

fn name(i: usize) -> &'static str {
    if i == 0 { "A" } else { "B" }
}

/// True for a sentence that looks like page furniture rather than article text: credit and
/// byline lines, social links, e-mail addresses, URLs, short lines without final punctuation.
fn looks_like_boilerplate(s: &str, tokens: usize) -> bool {
    let lower = s.to_lowercase();
    let furniture = [
        "posted by",
        "follow ",
        "getty images",
        "photo",
        "credit",
        "please let us know",
    ];
    if lower.contains('@') || lower.contains("http") || lower.contains("www.") {
        return true;
    }
    if furniture.iter().any(|f| lower.starts_with(f)) || lower.contains("/getty") {
        return true;
    }
    let last = s.trim_end().chars().last().unwrap_or('.');
    tokens <= 15 && !matches!(last, '.' | '!' | '?' | '"' | '”' | '’' | '\'' | ':' | ')')
}

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
                "A dated {da}, B dated {db} (seconds since epoch): B is {hours:+.1} h after A; the earlier text is the source"
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

    // Containment asymmetry: the source typically contains material the copy dropped.
    let diff = fig.cov[1] - fig.cov[0];
    let contain_favours = if diff.abs() >= 0.05 {
        Some(side(usize::from(diff < 0.0)))
    } else {
        None
    };
    let contain_weight = if contain_favours.is_some() {
        (diff.abs() * 0.8).min(0.5)
    } else {
        0.0
    };
    evidence.push(Evidence {
        kind: "containment".into(),
        favours: contain_favours,
        weight: contain_weight,
        detail: format!(
            "{:.0}% of A's sentence bytes and {:.0}% of B's are aligned; the less covered text holds material the other lacks, which a copy usually drops rather than invents",
            fig.cov[0] * 100.0,
            fig.cov[1] * 100.0
        ),
    });

    // Unaligned material on each side, and how much of it is page furniture.
    let docs = [a, b];
    let mut unaligned_bytes = [0usize; 2];
    let mut furniture = [0usize; 2];
    for (i, d) in docs.iter().enumerate() {
        let p = d.prepared;
        let u = used(p.sentences.len(), res, i == 0);
        for (si, s) in p.sentences.iter().enumerate() {
            if u[si] {
                continue;
            }
            let text = d.text.get(s.span.start..s.span.end).unwrap_or("");
            unaligned_bytes[i] += text.len();
            if looks_like_boilerplate(text, s.tokens.len()) {
                furniture[i] += 1;
            }
        }
    }
    if let Some(copy) = contain_favours.map(|s| usize::from(s == Side::A)) {
        let frac = 1.0 - fig.cov[copy];
        let weight = if frac <= 0.15 { 0.1 } else { 0.0 };
        evidence.push(Evidence {
            kind: "added-material".into(),
            favours: contain_favours.filter(|_| weight > 0.0),
            weight,
            detail: format!(
                "{} (the more covered text) has {} unaligned bytes ({:.0}% of its sentence bytes); a copy adds little",
                name(copy),
                unaligned_bytes[copy],
                frac * 100.0
            ),
        });
    }
    let furniture_favours = match (furniture[0] > 0, furniture[1] > 0) {
        (true, false) => Some(Side::A),
        (false, true) => Some(Side::B),
        _ => None,
    };
    evidence.push(Evidence {
        kind: "dropped-material".into(),
        favours: furniture_favours,
        weight: if furniture_favours.is_some() { 0.15 } else { 0.0 },
        detail: format!(
            "unaligned boilerplate-like lines (credits, bylines, links, titles): A {}, B {}; copies tend to strip page furniture",
            furniture[0], furniture[1]
        ),
    });

    let total: f64 = evidence
        .iter()
        .map(|e| match e.favours {
            Some(Side::A) => e.weight,
            Some(Side::B) => -e.weight,
            None => 0.0,
        })
        .sum();
    let (source, confidence) = if total.abs() < 0.1 {
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
