//! Which document is the source: dates, content containment, trimmed words, dropped specifics,
//! direct quotations turned into reported speech.

use stemma_align::{AlignResult, MatchKind};
use stemma_text::{PreparedText, TokenKind};

use crate::model::{Direction, Evidence, Side};
use crate::{Document, Figures, is_name_token, used};
use rustc_hash::FxHashSet as FastSet;

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

/// True for a sentence that is a publisher's standing line — a copyright or redistribution
/// notice, an advertisement marker, a share/follow/subscribe prompt, a credit, a link — as
/// opposed to article text. Unlike [`looks_like_boilerplate`] it does not take every short
/// line without final punctuation: a headline shared by two documents is evidence, a footer
/// that a site prints under all its articles is not.
pub(crate) fn is_standing_line(s: &str) -> bool {
    let lower = s.to_lowercase();
    let starts = [
        "follow us",
        "share this",
        "share on",
        "sign up",
        "subscribe",
        "read more",
        "related:",
        "related articles",
        "related stories",
        "copyright",
        "©",
        "(c)",
        "advertisement",
        "reporting by",
        "editing by",
        "additional reporting",
    ];
    let contains = [
        "all rights reserved",
        "may not be republished",
        "may not be reproduced",
        "may not be published",
        "redistribution prohibited",
        "republished without",
        "getty images",
        "photo:",
        "photos:",
        "image:",
        "credit:",
        "http://",
        "https://",
        "www.",
    ];
    let t = lower.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '©' && c != '(');
    starts.iter().any(|f| t.starts_with(f)) || contains.iter().any(|f| lower.contains(f))
}

/// Per sentence of `d`: true when it is page furniture rather than article text — a standing
/// line ([`is_standing_line`]), or any sentence of a short paragraph (at most 40 tokens)
/// holding one (the rest of a notice: "All rights reserved. This material may not be …").
pub(crate) fn furniture_mask(d: &Document<'_>) -> Vec<bool> {
    let p = d.prepared;
    let mut mask: Vec<bool> = p
        .sentences
        .iter()
        .map(|s| is_standing_line(d.text.get(s.span.start..s.span.end).unwrap_or("")))
        .collect();
    for para in &p.paragraphs {
        let r = para.sentences.start.min(mask.len())..para.sentences.end.min(mask.len());
        let tokens: usize = p.sentences[r.clone()].iter().map(|s| s.tokens.len()).sum();
        if tokens <= 40 && mask[r.clone()].iter().any(|&m| m) {
            mask[r].iter_mut().for_each(|m| *m = true);
        }
    }
    mask
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
            value: (db - da) as f64 / 3600.0,
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
    let mut values: Vec<f64> = Vec::with_capacity(DIRECTION_FEATURES.len());
    let mut weighed: Vec<usize> = Vec::with_capacity(DIRECTION_FEATURES.len());
    evidence.push(Evidence {
        kind: "containment".into(),
        favours: None,
        weight: 0.0,
        value: frac(0) - frac(1),
        detail: format!(
            "unaligned article text (page furniture excluded): A {} of {} bytes ({:.0}%), B {} of {} bytes ({:.0}%); overall aligned A {:.0}%, B {:.0}%; not weighed: spins drop material, LLM rewrites add it",
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
    weighed.push(evidence.len());
    values.push(
        (extra[0] as f64 - extra[1] as f64) / (extra[0] + extra[1] + 5) as f64
            * fig.vcov[0].min(fig.vcov[1]).clamp(0.0, 1.0),
    );
    evidence.push(Evidence {
        kind: "trimmed-words".into(),
        favours: None,
        weight: 0.0,
        value: values[0],
        detail: format!(
            "inside verbatim / near-verbatim matches A has {} words B lacks and B has {} words A lacks; edits trim more than they add",
            extra[0], extra[1]
        ),
    });

    // Specific details (names, numbers) only one side has.
    let (sa, sb) = (specifics(a, &content[0]), specifics(b, &content[1]));
    let only_a = sa.difference(&sb).count();
    let only_b = sb.difference(&sa).count();
    weighed.push(evidence.len());
    values.push((only_a as f64 - only_b as f64) / (only_a + only_b + 3) as f64);
    evidence.push(Evidence {
        kind: "dropped-specifics".into(),
        favours: None,
        weight: 0.0,
        value: values[1],
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
    weighed.push(evidence.len());
    values.push(
        (quote_only[0] as f64 - quote_only[1] as f64) / (quote_only[0] + quote_only[1] + 1) as f64,
    );
    evidence.push(Evidence {
        kind: "quotations".into(),
        favours: None,
        weight: 0.0,
        value: values[2],
        detail: format!(
            "aligned passages quoting directly only in A: {}, only in B: {}; rewrites turn quotes into reported speech",
            quote_only[0], quote_only[1]
        ),
    });

    evidence.push(Evidence {
        kind: "page-furniture".into(),
        favours: None,
        weight: 0.0,
        value: (furniture[1] as f64 - furniture[0] as f64) / (furniture[0] + furniture[1] + 1) as f64,
        detail: format!(
            "unaligned boilerplate-like lines (credits, bylines, links, footers, titles): {} {}, {} {}; not weighed: copies both strip and add them",
            name(0),
            furniture[0],
            name(1),
            furniture[1]
        ),
    });
    evidence.push(Evidence {
        kind: "length".into(),
        favours: None,
        weight: 0.0,
        value: (content_bytes[1].max(1) as f64 / content_bytes[0].max(1) as f64).ln(),
        detail: format!(
            "article text A {} bytes, B {} bytes; not weighed: copies run shorter or longer",
            content_bytes[0], content_bytes[1]
        ),
    });

    // The fitted model weighs the content evidence; dates, when known, decide.
    let model = DirectionModel::get();
    let mut z = 0.0;
    for (k, v) in values.iter().enumerate() {
        let c = model.weights[k] * (v / model.scale[k]).clamp(-3.0, 3.0);
        z += c;
        let e = &mut evidence[weighed[k]];
        e.favours = if c > 0.0 {
            Some(Side::A)
        } else if c < 0.0 {
            Some(Side::B)
        } else {
            None
        };
        e.weight = crate::verdict::sigmoid(c.abs()) * 2.0 - 1.0;
    }
    let p_a = crate::verdict::sigmoid(z);
    if let Some(date) = evidence
        .iter()
        .find(|e| e.kind == "date" && e.favours.is_some())
    {
        let source = date.favours;
        return Direction {
            source,
            confidence: 0.9,
            evidence,
        };
    }
    let (source, confidence) = if p_a >= model.threshold {
        (Some(Side::A), p_a)
    } else if 1.0 - p_a >= model.threshold {
        (Some(Side::B), 1.0 - p_a)
    } else {
        (None, 0.0)
    };
    Direction {
        source,
        confidence: confidence.min(0.99),
        evidence,
    }
}

/// Names of the direction features, in the order of [`DirectionModel::weights`]: signed,
/// positive when the evidence says A is the source.
/// (`containment`, `length` and `page-furniture` are shown but not weighed: on copies with a
/// known source they point both ways — spins drop material, LLM rewrites add it; copies strip
/// their source's furniture and add their own.)
pub const DIRECTION_FEATURES: [&str; 3] = ["trimmed-words", "dropped-specifics", "quotations"];

/// The fitted direction model: `P(A is the source) = σ(Σ weight_i · value_i / scale_i)` (no
/// intercept: swapping A and B flips every value), a source named only when that probability
/// reaches `threshold` one way or the other (else `null`: a wrong source is worse than none).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DirectionModel {
    /// How it was made (the command).
    #[serde(default)]
    pub fitted_by: String,
    /// Feature names ([`DIRECTION_FEATURES`]).
    pub features: Vec<String>,
    /// Scale of each feature (its standard deviation on the fitting data).
    pub scale: Vec<f64>,
    /// Weight of each scaled feature.
    pub weights: Vec<f64>,
    /// Probability from which a source is named.
    pub threshold: f64,
    /// Share of named sources that were right on the fitting data at that threshold.
    #[serde(default)]
    pub fit_precision: f64,
    /// Share of the fitting pairs given a source at that threshold.
    #[serde(default)]
    pub fit_decided: f64,
}

static MODEL: std::sync::OnceLock<DirectionModel> = std::sync::OnceLock::new();

impl DirectionModel {
    /// The committed model.
    pub fn get() -> &'static DirectionModel {
        MODEL.get_or_init(|| {
            serde_json::from_str(include_str!("../models/direction.json"))
                .expect("committed direction model is valid JSON (checked by a test)")
        })
    }

    /// Fits the model on signed feature values with the known answer (`true`: A is the
    /// source); the threshold is the lowest at which named sources are right at least
    /// `precision` of the time on this data.
    pub fn fit(fitted_by: &str, xs: &[[f64; 3]], ys: &[bool], precision: f64) -> DirectionModel {
        // Symmetric data: every pair also seen with A and B swapped.
        let mut feats = Vec::new();
        let mut labels = Vec::new();
        for (x, &y) in xs.iter().zip(ys) {
            feats.push(*x);
            labels.push(y);
            feats.push(x.map(|v| -v));
            labels.push(!y);
        }
        let n = DIRECTION_FEATURES.len();
        let m = feats.len().max(1) as f64;
        let scale: Vec<f64> = (0..n)
            .map(|i| {
                let v = feats.iter().map(|x| x[i] * x[i]).sum::<f64>() / m;
                if v > 1e-12 { v.sqrt() } else { 1.0 }
            })
            .collect();
        let mut w = vec![0.0; n];
        for _ in 0..2000 {
            let mut g = vec![0.0; n];
            for (x, &y) in feats.iter().zip(&labels) {
                let z: f64 = (0..n)
                    .map(|i| w[i] * (x[i] / scale[i]).clamp(-3.0, 3.0))
                    .sum();
                let d = crate::verdict::sigmoid(z) - f64::from(u8::from(y));
                for i in 0..n {
                    g[i] += d * (x[i] / scale[i]).clamp(-3.0, 3.0) / m;
                }
            }
            for i in 0..n {
                w[i] -= 0.5 * (g[i] + 0.01 * w[i]);
            }
        }
        let prob = |x: &[f64; 3]| {
            crate::verdict::sigmoid(
                (0..n)
                    .map(|i| w[i] * (x[i] / scale[i]).clamp(-3.0, 3.0))
                    .sum(),
            )
        };
        let mut threshold = 0.99;
        let (mut best_prec, mut best_dec) = (0.0, 0.0);
        for t in (50..100).map(|t| t as f64 / 100.0) {
            let (mut right, mut decided) = (0usize, 0usize);
            for (x, &y) in xs.iter().zip(ys) {
                let p = prob(x);
                if p >= t || 1.0 - p >= t {
                    decided += 1;
                    right += usize::from((p >= t) == y);
                }
            }
            if decided > 0 && right as f64 / decided as f64 >= precision {
                threshold = t;
                best_prec = right as f64 / decided as f64;
                best_dec = decided as f64 / xs.len().max(1) as f64;
                break;
            }
        }
        let r = |v: f64| (v * 1e6).round() / 1e6;
        DirectionModel {
            fitted_by: fitted_by.to_string(),
            features: DIRECTION_FEATURES.iter().map(|s| s.to_string()).collect(),
            scale: scale.into_iter().map(r).collect(),
            weights: w.into_iter().map(r).collect(),
            threshold,
            fit_precision: r(best_prec),
            fit_decided: r(best_dec),
        }
    }
}
