//! The lines a scan writes — `pairs.jsonl`, `families.jsonl`, `candidates.jsonl`,
//! `skipped.jsonl` — as typed serde values, so that every front end (the CLI, a server, the
//! Python package) writes the same bytes and nothing splices JSON from strings. The schemas are
//! documented in `docs/scan-output.md`.
//!
//! A document read from a file that was not plain UTF-8 (legacy encoding, UTF-16, byte order
//! mark) is scanned as decoded UTF-8 text; its [`DocInfo::decoding`] maps offsets back. Pair
//! lines map that side's spans to the file's original bytes and name its encoding, as
//! `stemma compare --json` does, so every front end gives the same offsets.

use crate::candidates::{Candidate, Signal};
use crate::family::{Basis, Family};
use crate::{DocInfo, Pair};
use serde::Serialize;
use std::borrow::Cow;
use std::io::Write;
use stemma_compare::{Comparison, Coverage, Passage, Relation, Side, Span};
use stemma_corpus::{Decoding, Skipped};

/// How much of each pair `pairs.jsonl` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Everything compare returns: alignments, changes, direction evidence, dropped and added
    /// spans (the `stemma compare --json` fields). The default; about 4 KB a pair on news.
    #[default]
    Full,
    /// Ids, relation, score, direction (source and confidence), coverage and reused
    /// passages: what ranking, browsing and the passage measures need, a fraction of the
    /// size.
    Compact,
}

impl Detail {
    /// Parses `full` or `compact`.
    pub fn parse(name: &str) -> Option<Detail> {
        match name {
            "full" => Some(Detail::Full),
            "compact" => Some(Detail::Compact),
            _ => None,
        }
    }

    /// The name [`Detail::parse`] reads.
    pub fn as_str(self) -> &'static str {
        match self {
            Detail::Full => "full",
            Detail::Compact => "compact",
        }
    }
}

/// Names of the signals set in a [`Candidate::signals`] bit set.
pub fn signal_names(bits: u8) -> Vec<&'static str> {
    Signal::ALL
        .into_iter()
        .filter(|s| bits & s.bit() != 0)
        .map(|s| s.as_str())
        .collect()
}

/// The `encoding` object of a pair line: for each side read from a file that was not plain
/// UTF-8, its encoding (`windows-1252`, `UTF-8 (BOM)`, …); that side's spans index the file's
/// original bytes. Absent from the line when both sides are plain UTF-8.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairEncoding {
    /// Encoding of side A, when it was decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a: Option<String>,
    /// Encoding of side B, when it was decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b: Option<String>,
}

/// One line of `pairs.jsonl` in [`Detail::Full`]: the pair's ids and signals, then the
/// comparison's fields at top level.
#[derive(Debug, Serialize)]
pub struct FullPair<'a> {
    /// Id of side A (read first).
    pub a_id: &'a str,
    /// Id of side B.
    pub b_id: &'a str,
    /// Candidate signals that proposed the pair.
    pub signals: Vec<&'static str>,
    /// The sides decoded from another encoding (their spans index the original bytes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<PairEncoding>,
    /// The comparison (flattened), its spans mapped to original bytes for decoded sides.
    #[serde(flatten)]
    pub comparison: Cow<'a, Comparison>,
}

/// The direction of a [`CompactPair`]: the source side and its confidence, no evidence.
#[derive(Debug, Serialize)]
pub struct CompactDirection {
    /// `a`, `b` or `null`.
    pub source: Option<Side>,
    /// Confidence of `source` in `[0, 1]`.
    pub confidence: f64,
}

/// The verdict of a [`CompactPair`]: the model only.
#[derive(Debug, Serialize)]
pub struct CompactVerdict<'a> {
    /// `lexical` or `semantic`.
    pub model: &'a str,
}

/// One line of `pairs.jsonl` in [`Detail::Compact`].
#[derive(Debug, Serialize)]
pub struct CompactPair<'a> {
    /// Id of side A (read first).
    pub a_id: &'a str,
    /// Id of side B.
    pub b_id: &'a str,
    /// Candidate signals that proposed the pair.
    pub signals: Vec<&'static str>,
    /// The sides decoded from another encoding (their spans index the original bytes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<PairEncoding>,
    /// The relation.
    pub relation: Relation,
    /// Strength of the relation in `[0, 1]`.
    pub score: f64,
    /// Probability of derivation given by the verdict model.
    pub probability: f64,
    /// Which verdict model decided (`lexical`, or `semantic` when the semantic second pass
    /// compared the pair again); the same field as `verdict.model` of the full form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<CompactVerdict<'a>>,
    /// Which side is the source.
    pub direction: CompactDirection,
    /// Fraction of each text inside aligned passages.
    pub coverage: Coverage,
    /// Reused regions (byte spans in A and B; original bytes for decoded sides).
    pub passages: Cow<'a, [Passage]>,
}

/// A span of a document's decoded text as a span of its original bytes.
fn to_original(decoding: Option<&Decoding>, s: Span) -> Span {
    match decoding {
        Some(d) => {
            let (start, end) = d.offsets.range_to_original(s.start, s.end);
            Span::new(start, end)
        }
        None => s,
    }
}

/// A pair ready to serialize in the chosen [`Detail`].
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum PairLine<'a> {
    /// Every field.
    Full(FullPair<'a>),
    /// The compact form.
    Compact(CompactPair<'a>),
}

impl<'a> PairLine<'a> {
    /// The line of `pair`, whose documents are numbered in `docs`. The spans of a side with a
    /// [`DocInfo::decoding`] are mapped to its original bytes and the side is named in
    /// `encoding`; pairs of plain UTF-8 documents are borrowed as they are.
    pub fn new(docs: &'a [DocInfo], pair: &'a Pair, detail: Detail) -> PairLine<'a> {
        let (da, db) = (&docs[pair.a as usize], &docs[pair.b as usize]);
        let (a_id, b_id) = (da.id.as_str(), db.id.as_str());
        let (dec_a, dec_b) = (da.decoding.as_deref(), db.decoding.as_deref());
        let encoding = (dec_a.is_some() || dec_b.is_some()).then(|| PairEncoding {
            a: dec_a.map(Decoding::describe),
            b: dec_b.map(Decoding::describe),
        });
        let signals = signal_names(pair.signals);
        let c = &pair.comparison;
        match detail {
            Detail::Full => PairLine::Full(FullPair {
                a_id,
                b_id,
                signals,
                comparison: if encoding.is_some() {
                    let mut mapped = c.clone();
                    mapped.map_spans(|s| to_original(dec_a, s), |s| to_original(dec_b, s));
                    Cow::Owned(mapped)
                } else {
                    Cow::Borrowed(c)
                },
                encoding,
            }),
            Detail::Compact => PairLine::Compact(CompactPair {
                a_id,
                b_id,
                signals,
                passages: if encoding.is_some() {
                    c.passages
                        .iter()
                        .map(|p| Passage {
                            a: to_original(dec_a, p.a),
                            b: to_original(dec_b, p.b),
                        })
                        .collect()
                } else {
                    Cow::Borrowed(&c.passages)
                },
                encoding,
                relation: c.relation,
                score: c.score,
                probability: c.probability,
                verdict: c.verdict.as_ref().map(|v| CompactVerdict {
                    model: v.model.as_str(),
                }),
                direction: CompactDirection {
                    source: c.direction.source,
                    confidence: c.direction.confidence,
                },
                coverage: c.coverage,
            }),
        }
    }
}

/// An edge of a family's derivation tree in `families.jsonl`.
#[derive(Debug, Serialize)]
pub struct EdgeLine<'a> {
    /// What decided the direction.
    pub basis: Basis,
    /// Id of the copy.
    pub copy: &'a str,
    /// Relation of the pair.
    pub relation: Relation,
    /// Score of the relation.
    pub score: f64,
    /// Id of the source (the copy's parent in the tree).
    pub source: &'a str,
}

/// A relation of a member that is not a tree edge, in `families.jsonl`.
#[derive(Debug, Serialize)]
pub struct LinkLine<'a> {
    /// Id of the member of this family.
    pub doc: &'a str,
    /// Number (`id`) of the other document's family, `null` when it belongs to none.
    pub family: Option<usize>,
    /// Id of the other document.
    pub other: &'a str,
    /// Relation of the pair.
    pub relation: Relation,
    /// Score of the relation.
    pub score: f64,
}

/// One line of `families.jsonl`.
#[derive(Debug, Serialize)]
pub struct FamilyLine<'a> {
    /// Number of the family (1 = the largest).
    pub id: usize,
    /// Id of the root: the original every other member derives from.
    pub root: &'a str,
    /// Ids of the members, root first, every source before its copies.
    pub members: Vec<&'a str>,
    /// The derivation tree: one edge per member but the root, from its best source.
    pub edges: Vec<EdgeLine<'a>>,
    /// The members' other derivation relations.
    pub links: Vec<LinkLine<'a>>,
}

impl<'a> FamilyLine<'a> {
    /// The line of `families[index]` (numbered `index + 1`).
    pub fn new(docs: &'a [DocInfo], families: &'a [Family], index: usize) -> FamilyLine<'a> {
        let f = &families[index];
        let id = |d: u32| docs[d as usize].id.as_str();
        FamilyLine {
            id: index + 1,
            root: id(f.root),
            members: f.members.iter().map(|&d| id(d)).collect(),
            edges: f
                .edges
                .iter()
                .map(|e| EdgeLine {
                    basis: e.basis,
                    copy: id(e.copy),
                    relation: e.relation,
                    score: e.score,
                    source: id(e.source),
                })
                .collect(),
            links: f
                .links
                .iter()
                .map(|l| LinkLine {
                    doc: id(l.doc),
                    family: l.family.map(|x| x + 1),
                    other: id(l.other),
                    relation: l.relation,
                    score: l.score,
                })
                .collect(),
        }
    }
}

/// One line of `candidates.jsonl`: a candidate pair before verification.
#[derive(Debug, Serialize)]
pub struct CandidateLine<'a> {
    /// Id of the earlier-read document.
    pub a_id: &'a str,
    /// Id of the later-read document.
    pub b_id: &'a str,
    /// Candidate score (see [`Candidate::score`]; an `f32` written as the `f64` it converts
    /// to, as before the typed lines).
    pub score: f64,
    /// LSH bands shared.
    pub shared_bands: u32,
    /// Distinct passage keys shared.
    pub shared_keys: u32,
    /// Signals that proposed the pair.
    pub signals: Vec<&'static str>,
}

impl<'a> CandidateLine<'a> {
    /// The line of `c`.
    pub fn new(docs: &'a [DocInfo], c: &Candidate) -> CandidateLine<'a> {
        CandidateLine {
            a_id: &docs[c.a as usize].id,
            b_id: &docs[c.b as usize].id,
            score: c.score as f64,
            shared_bands: c.shared_bands,
            shared_keys: c.shared_keys,
            signals: signal_names(c.signals),
        }
    }
}

/// One line of `skipped.jsonl`: a record that could not be read.
#[derive(Debug, Serialize)]
pub struct SkippedLine<'a> {
    /// The file.
    pub file: &'a str,
    /// The line (1-based; 0 when the whole file was skipped).
    pub line: u64,
    /// Why.
    pub reason: String,
}

impl<'a> SkippedLine<'a> {
    /// The line of `s`.
    pub fn new(s: &'a Skipped) -> SkippedLine<'a> {
        SkippedLine {
            file: &s.file,
            line: s.line,
            reason: s.reason.to_string(),
        }
    }
}

/// Writes `value` as one JSON line.
pub fn write_line(w: &mut impl Write, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer(&mut *w, value).map_err(std::io::Error::other)?;
    w.write_all(b"\n")
}
