//! The value a comparison produces: the `compare` JSON contract (see `docs/json.md`).
//!
//! Printers (terminal, JSON, HTML) only render these values; they never compute.

use serde::{Deserialize, Serialize};
pub use stemma_text::Span;

/// How two documents relate, from strongest to weakest derivation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// The same text, up to white space, case and punctuation normalization.
    Duplicate,
    /// Almost the same text: small edits, boilerplate added or removed.
    NearDuplicate,
    /// Most of one text is reworded from the other.
    Rewrite,
    /// A part of one text is reused in the other.
    Partial,
    /// Independent coverage of the same event: shared names and facts, no derivation.
    SameStory,
    /// Built from the same template (a wire service's fixed frame: "Qtly div … vs … prior /
    /// Pay … / Record …") with different names, figures and dates: not a derivation.
    Template,
    /// Nothing in common worth reporting.
    Unrelated,
}

impl Relation {
    /// All relations, strongest first.
    pub const ALL: [Relation; 7] = [
        Relation::Duplicate,
        Relation::NearDuplicate,
        Relation::Rewrite,
        Relation::Partial,
        Relation::SameStory,
        Relation::Template,
        Relation::Unrelated,
    ];

    /// The name used in JSON and on the command line (`near-duplicate`, `same-story`, …).
    pub fn as_str(&self) -> &'static str {
        match self {
            Relation::Duplicate => "duplicate",
            Relation::NearDuplicate => "near-duplicate",
            Relation::Rewrite => "rewrite",
            Relation::Partial => "partial",
            Relation::SameStory => "same-story",
            Relation::Template => "template",
            Relation::Unrelated => "unrelated",
        }
    }

    /// Parses the name produced by [`Relation::as_str`].
    pub fn parse(name: &str) -> Option<Relation> {
        Relation::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// True for relations in which one text derives from the other (everything from `partial` up).
    pub fn is_derivation(&self) -> bool {
        matches!(
            self,
            Relation::Duplicate | Relation::NearDuplicate | Relation::Rewrite | Relation::Partial
        )
    }
}

impl std::fmt::Display for Relation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One of the two compared documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The first document given.
    A,
    /// The second document given.
    B,
}

/// One piece of evidence about the direction of copying.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// What was looked at: `date`, `containment`, `added-material`, `dropped-material`, ….
    pub kind: String,
    /// The side this evidence says is the source, if any.
    pub favours: Option<Side>,
    /// How much this evidence weighed in the decision, in `[0, 1]`.
    pub weight: f64,
    /// The measured figure, signed: positive says A is the source (hours from A to B for
    /// `date`). The direction model's input.
    #[serde(default)]
    pub value: f64,
    /// Human-readable explanation with the figures used.
    pub detail: String,
}

/// Which document is the source, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Direction {
    /// The source document, or `None` when it cannot be told.
    pub source: Option<Side>,
    /// Confidence in `[0, 1]` of `source` (0 when `source` is `None`).
    pub confidence: f64,
    /// Everything that was weighed.
    pub evidence: Vec<Evidence>,
}

/// Fraction of each text's bytes that lie inside aligned passages.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// Fraction of document A's bytes inside aligned passages, in `[0, 1]`.
    pub a: f64,
    /// Fraction of document B's bytes inside aligned passages, in `[0, 1]`.
    pub b: f64,
}

/// How closely an aligned passage follows its counterpart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AlignmentKind {
    /// The same words in the same order (after normalization).
    Verbatim,
    /// The same text with small edits.
    NearVerbatim,
    /// The same content, reworded.
    Paraphrase,
}

/// A passage of A aligned with the passage of B it derives from (or that derives from it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alignment {
    /// Byte span of the passage in A (one or more consecutive sentences).
    pub a: Span,
    /// Byte span of the passage in B (one or more consecutive sentences).
    pub b: Span,
    /// Verbatim, near-verbatim or paraphrase.
    pub kind: AlignmentKind,
    /// Sentence similarity in `[0, 1]` given by the scorer.
    pub similarity: f64,
    /// True when the pair was not found to be derived: the alignment is shown as evidence
    /// (shared quotations, shared facts), not as reuse.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub weak: bool,
}

/// A maximal reused region: consecutive [`Alignment`]s merged when they follow each other on
/// both sides with at most a small unaligned gap between them (see
/// `CompareOptions::passage_max_gap`). One reused passage of the source is one `Passage`,
/// whatever mix of verbatim, near-verbatim and paraphrased sentences it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    /// Byte span of the region in A.
    pub a: Span,
    /// Byte span of the region in B.
    pub b: Span,
}

/// What kind of detail differs between aligned passages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A proper name spelled or chosen differently (e.g. Matesgora / Matsegora).
    Name,
    /// A number that differs.
    Number,
    /// A date or time expression that differs.
    Date,
    /// A quotation whose words differ.
    Quote,
}

/// A detail that differs between an aligned passage of A and its counterpart in B.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Name, number, date or quotation.
    pub kind: ChangeKind,
    /// The text in A (`None` when B has something A lacks).
    pub a: Option<String>,
    /// The text in B (`None` when A has something B lacks).
    pub b: Option<String>,
    /// Where `a` is in A.
    pub a_span: Option<Span>,
    /// Where `b` is in B.
    pub b_span: Option<Span>,
}

/// The full result of comparing two documents: the `compare` JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The relation decided.
    pub relation: Relation,
    /// Strength of the relation in `[0, 1]` (how much of the texts derive from each other).
    pub score: f64,
    /// Probability in `[0, 1]` that one text derives from the other (the verdict model's).
    #[serde(default)]
    pub probability: f64,
    /// Why: the verdict model, each feature's value and contribution, and any rule that
    /// overrode the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<VerdictExplanation>,
    /// Which document is the source.
    pub direction: Direction,
    /// Fraction of each text inside aligned passages.
    pub coverage: Coverage,
    /// Aligned passages, in order of their position in B.
    pub alignments: Vec<Alignment>,
    /// Reused regions: `alignments` merged into maximal regions (in order of their position in
    /// B); what a passage-level measure (PAN) should score.
    #[serde(default)]
    pub passages: Vec<Passage>,
    /// Details that differ inside aligned passages.
    pub changes: Vec<Change>,
    /// Passages of the source (A when the direction is unknown) that have no counterpart.
    pub dropped: Vec<Span>,
    /// Passages of the copy (B when the direction is unknown) that have no counterpart.
    pub added: Vec<Span>,
}

impl Comparison {
    /// Rewrites every span of the comparison through `map_a` (spans indexing A) and `map_b`
    /// (spans indexing B): `alignments`, `passages`, `changes` and `dropped`/`added` (which
    /// index the source and the copy: see `docs/json.md`). Front ends use it to turn spans
    /// into a decoded text back into spans into the input's original bytes; nothing else
    /// (relation, scores, coverage, change texts) changes.
    pub fn map_spans(&mut self, map_a: impl Fn(Span) -> Span, map_b: impl Fn(Span) -> Span) {
        let map = |side: Side, s: Span| match side {
            Side::A => map_a(s),
            Side::B => map_b(s),
        };
        for al in &mut self.alignments {
            al.a = map(Side::A, al.a);
            al.b = map(Side::B, al.b);
        }
        for p in &mut self.passages {
            p.a = map(Side::A, p.a);
            p.b = map(Side::B, p.b);
        }
        for c in &mut self.changes {
            c.a_span = c.a_span.map(|s| map(Side::A, s));
            c.b_span = c.b_span.map(|s| map(Side::B, s));
        }
        let source = self.direction.source.unwrap_or(Side::A);
        let copy = match source {
            Side::A => Side::B,
            Side::B => Side::A,
        };
        for s in &mut self.dropped {
            *s = map(source, *s);
        }
        for s in &mut self.added {
            *s = map(copy, *s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_spans_follows_each_side_and_the_direction() {
        let sp = |s, e| Span::new(s, e);
        let mut c = Comparison {
            relation: Relation::Partial,
            score: 0.5,
            probability: 0.9,
            verdict: None,
            direction: Direction {
                source: Some(Side::B),
                confidence: 0.7,
                evidence: vec![],
            },
            coverage: Coverage { a: 0.5, b: 0.5 },
            alignments: vec![Alignment {
                a: sp(1, 2),
                b: sp(3, 4),
                kind: AlignmentKind::Verbatim,
                similarity: 1.0,
                weak: false,
            }],
            passages: vec![Passage {
                a: sp(1, 2),
                b: sp(3, 4),
            }],
            changes: vec![Change {
                kind: ChangeKind::Number,
                a: Some("1".into()),
                b: None,
                a_span: Some(sp(5, 6)),
                b_span: None,
            }],
            dropped: vec![sp(7, 8)],
            added: vec![sp(9, 10)],
        };
        // A offsets ×10, B offsets ×100: each span shows which side it was mapped as.
        c.map_spans(
            |s| Span::new(s.start * 10, s.end * 10),
            |s| Span::new(s.start * 100, s.end * 100),
        );
        assert_eq!(
            (c.alignments[0].a, c.alignments[0].b),
            (sp(10, 20), sp(300, 400))
        );
        assert_eq!(
            (c.passages[0].a, c.passages[0].b),
            (sp(10, 20), sp(300, 400))
        );
        assert_eq!(
            (c.changes[0].a_span, c.changes[0].b_span),
            (Some(sp(50, 60)), None)
        );
        // The source is B: dropped indexes B, added indexes A.
        assert_eq!(c.dropped, [sp(700, 800)]);
        assert_eq!(c.added, [sp(90, 100)]);
    }
}

/// How the relation was decided: the model's inputs and their weight in the decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerdictExplanation {
    /// The verdict model used (`lexical`, `semantic`).
    pub model: String,
    /// The model's log-odds of derivation before the logistic function.
    pub log_odds: f64,
    /// Every feature with its value and contribution to the log-odds.
    pub contributions: Vec<crate::verdict::Contribution>,
    /// A rule that decided instead of the model, when one did (`verbatim-reuse`, `template`,
    /// `exact-copy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}
