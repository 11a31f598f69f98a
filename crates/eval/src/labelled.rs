//! Scoring `compare` on labelled document pairs: a folder of texts and a manifest saying how
//! each listed pair relates (the format of `fixtures/eval/pairs.jsonl`):
//!
//! ```json
//! {"a": "en01_orig", "b": "en01_heavy", "relation": "rewrite", "source": "a", "lang": "en"}
//! ```
//!
//! `a` and `b` name documents (`DOCS/<name>.txt`), `relation` is one of compare's relations,
//! `source` is `"a"`, `"b"` or `null` (unknown or no derivation), `lang` is optional and only
//! groups the figures. This is how users check stemma on their own labelled data.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use stemma_compare::{Relation, Side};

use crate::EvalError;
use crate::metrics::pairs::Prf;

/// One labelled pair of the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelledPair {
    /// Name of the first document.
    pub a: String,
    /// Name of the second document.
    pub b: String,
    /// The true relation.
    pub relation: Relation,
    /// The true source, when known.
    #[serde(default)]
    pub source: Option<Side>,
    /// Language, for grouping the figures.
    #[serde(default)]
    pub lang: Option<String>,
    /// Which half of the set the pair belongs to: `fit` (used to fit models) or `test` (never
    /// seen by fitting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<String>,
}

/// What `compare` said about a labelled pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The labelled pair.
    pub pair: LabelledPair,
    /// The relation compare decided.
    pub relation: Relation,
    /// The source compare named, if any.
    pub source: Option<Side>,
}

/// Direction figures over the pairs labelled with a source and predicted as a derivation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct DirectionFigures {
    /// Pairs labelled with a source and predicted as a derivation.
    pub labelled: usize,
    /// The named source is the labelled one.
    pub correct: usize,
    /// The named source is the other document.
    pub wrong: usize,
    /// No source named.
    pub undecided: usize,
}

/// Share of pairs whose relation was decided exactly right, per group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct GroupFigures {
    /// Pairs in the group.
    pub pairs: usize,
    /// Pairs with exactly the labelled relation.
    pub exact: usize,
    /// Pairs decided right as derived or not derived.
    pub derivation_right: usize,
    /// Precision and recall of "derived" in the group.
    pub derivation: Prf,
}

/// Whether derived pairs are told from non-derived ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct DerivationFigures {
    /// Share of all pairs decided right as derived / not derived.
    pub accuracy: f64,
    /// Precision and recall of "derived" (any of duplicate … partial).
    #[serde(flatten)]
    pub prf: Prf,
}

/// All figures of a labelled-pairs run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LabelledReport {
    /// Number of labelled pairs scored.
    pub pairs: usize,
    /// Labelled relation → predicted relation → count.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    /// Precision/recall/F1 of each relation.
    pub per_relation: BTreeMap<String, Prf>,
    /// Derived or not.
    pub derivation: DerivationFigures,
    /// Among pairs labelled `rewrite` or `same-story`: `rewrite` as the positive class.
    pub rewrite_vs_same_story: Prf,
    /// Direction of copying.
    pub direction: DirectionFigures,
    /// Figures per language (`"?"` when unlabelled).
    pub per_lang: BTreeMap<String, GroupFigures>,
}

/// Reads a manifest; a bad line is an error naming the file and line.
pub fn read_manifest(path: &Path) -> Result<Vec<LabelledPair>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|e| EvalError::io(path, e))?;
    let mut pairs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let pair = serde_json::from_str(line).map_err(|e| EvalError::Parse {
            file: path.display().to_string(),
            line: i + 1,
            message: e.to_string(),
        })?;
        pairs.push(pair);
    }
    if pairs.is_empty() {
        return Err(EvalError::Input(format!(
            "{}: no labelled pair",
            path.display()
        )));
    }
    Ok(pairs)
}

/// Scores what compare said against the labels.
pub fn score(outcomes: &[Outcome]) -> LabelledReport {
    let mut report = LabelledReport {
        pairs: outcomes.len(),
        ..LabelledReport::default()
    };
    let (mut der_tp, mut der_fp, mut der_fn, mut der_right) = (0, 0, 0, 0);
    let (mut rw_tp, mut rw_fp, mut rw_fn) = (0, 0, 0);
    for o in outcomes {
        let (truth, got) = (o.pair.relation, o.relation);
        *report
            .confusion
            .entry(truth.as_str().into())
            .or_default()
            .entry(got.as_str().into())
            .or_default() += 1;
        let (t_der, g_der) = (truth.is_derivation(), got.is_derivation());
        match (t_der, g_der) {
            (true, true) => der_tp += 1,
            (false, true) => der_fp += 1,
            (true, false) => der_fn += 1,
            (false, false) => {}
        }
        der_right += usize::from(t_der == g_der);
        if matches!(truth, Relation::Rewrite | Relation::SameStory) {
            match (truth == Relation::Rewrite, got == Relation::Rewrite) {
                (true, true) => rw_tp += 1,
                (false, true) => rw_fp += 1,
                (true, false) => rw_fn += 1,
                (false, false) => {}
            }
        }
        if let (Some(want), true) = (o.pair.source, g_der) {
            let d = &mut report.direction;
            d.labelled += 1;
            match o.source {
                Some(s) if s == want => d.correct += 1,
                Some(_) => d.wrong += 1,
                None => d.undecided += 1,
            }
        }
        let lang = o.pair.lang.clone().unwrap_or_else(|| "?".into());
        let g = report.per_lang.entry(lang).or_default();
        g.pairs += 1;
        g.exact += usize::from(truth == got);
        g.derivation_right += usize::from(t_der == g_der);
        let (tp, fp, fn_) = (
            g.derivation.tp + usize::from(t_der && g_der),
            g.derivation.fp + usize::from(!t_der && g_der),
            g.derivation.fn_ + usize::from(t_der && !g_der),
        );
        g.derivation = Prf::from_counts(tp, fp, fn_);
    }
    for rel in Relation::ALL {
        let tp = outcomes
            .iter()
            .filter(|o| o.pair.relation == rel && o.relation == rel)
            .count();
        let fp = outcomes
            .iter()
            .filter(|o| o.pair.relation != rel && o.relation == rel)
            .count();
        let fn_ = outcomes
            .iter()
            .filter(|o| o.pair.relation == rel && o.relation != rel)
            .count();
        if tp + fp + fn_ > 0 {
            report
                .per_relation
                .insert(rel.as_str().into(), Prf::from_counts(tp, fp, fn_));
        }
    }
    report.derivation = DerivationFigures {
        accuracy: if outcomes.is_empty() {
            0.0
        } else {
            der_right as f64 / outcomes.len() as f64
        },
        prf: Prf::from_counts(der_tp, der_fp, der_fn),
    };
    report.rewrite_vs_same_story = Prf::from_counts(rw_tp, rw_fp, rw_fn);
    report
}

impl LabelledReport {
    /// A readable table of the figures.
    pub fn to_table(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        let _ = writeln!(s, "LABELLED PAIRS  {}", self.pairs);
        let _ = writeln!(s, "  confusion (labelled → predicted):");
        for (truth, row) in &self.confusion {
            let cells: Vec<String> = row.iter().map(|(p, n)| format!("{p} {n}")).collect();
            let _ = writeln!(s, "    {truth:<15} {}", cells.join(", "));
        }
        let _ = writeln!(
            s,
            "  {:<22}{:>5}{:>5}{:>5} {:>9} {:>7} {:>6}",
            "relation", "tp", "fp", "fn", "precision", "recall", "F1"
        );
        let mut row = |name: &str, p: &Prf| {
            let _ = writeln!(
                s,
                "  {name:<22}{:>5}{:>5}{:>5} {:>9.3} {:>7.3} {:>6.3}",
                p.tp, p.fp, p.fn_, p.precision, p.recall, p.f1
            );
        };
        for (rel, p) in &self.per_relation {
            row(rel, p);
        }
        row("any derivation", &self.derivation.prf);
        row("rewrite vs same-story", &self.rewrite_vs_same_story);
        let _ = writeln!(
            s,
            "  derived-or-not accuracy {:.3}",
            self.derivation.accuracy
        );
        let d = &self.direction;
        let _ = writeln!(
            s,
            "  direction: {} labelled and found; {} correct, {} wrong, {} undecided",
            d.labelled, d.correct, d.wrong, d.undecided
        );
        for (lang, g) in &self.per_lang {
            let _ = writeln!(
                s,
                "  lang {lang:<3} {:>3} pairs: relation exact {}/{}, derived-or-not right {}/{}, derived P/R/F1 {:.3}/{:.3}/{:.3}",
                g.pairs,
                g.exact,
                g.pairs,
                g.derivation_right,
                g.pairs,
                g.derivation.precision,
                g.derivation.recall,
                g.derivation.f1
            );
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(
        truth: Relation,
        src: Option<Side>,
        got: Relation,
        got_src: Option<Side>,
    ) -> Outcome {
        Outcome {
            pair: LabelledPair {
                a: "x".into(),
                b: "y".into(),
                relation: truth,
                source: src,
                lang: Some("en".into()),
                split: None,
            },
            relation: got,
            source: got_src,
        }
    }

    #[test]
    fn scores_confusion_derivation_rewrite_and_direction() {
        use Relation::*;
        let a = Some(Side::A);
        let outcomes = [
            outcome(Rewrite, a, Rewrite, a),
            outcome(Rewrite, a, SameStory, None),
            outcome(SameStory, None, Rewrite, Some(Side::B)),
            outcome(SameStory, None, SameStory, None),
            outcome(NearDuplicate, a, NearDuplicate, None),
            outcome(Unrelated, None, Unrelated, None),
        ];
        let r = score(&outcomes);
        assert_eq!(r.pairs, 6);
        assert_eq!(r.confusion["rewrite"]["same-story"], 1);
        assert_eq!(r.confusion["same-story"]["rewrite"], 1);
        // Derived: labelled 3 (2 rewrite + near-dup), predicted 3 (2 rewrite + near-dup).
        assert_eq!(
            (
                r.derivation.prf.tp,
                r.derivation.prf.fp,
                r.derivation.prf.fn_
            ),
            (2, 1, 1)
        );
        assert!((r.derivation.accuracy - 4.0 / 6.0).abs() < 1e-12);
        assert_eq!(
            (r.rewrite_vs_same_story.tp, r.rewrite_vs_same_story.fp),
            (1, 1)
        );
        assert!((r.rewrite_vs_same_story.recall - 0.5).abs() < 1e-12);
        // Direction: rewrite found with source a (correct), near-dup undecided.
        assert_eq!(
            r.direction,
            DirectionFigures {
                labelled: 2,
                correct: 1,
                wrong: 0,
                undecided: 1
            }
        );
        assert_eq!(r.per_lang["en"].exact, 4);
        assert!(r.to_table().contains("rewrite vs same-story"));
    }

    #[test]
    fn manifest_errors_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pairs.jsonl");
        std::fs::write(
            &path,
            "{\"a\":\"x\",\"b\":\"y\",\"relation\":\"rewrite\",\"source\":\"a\"}\n{\"a\":\"x\",\"b\":\"y\",\"relation\":\"copied\"}\n",
        )
        .unwrap();
        let err = read_manifest(&path).unwrap_err().to_string();
        assert!(err.contains("pairs.jsonl:2"), "{err}");
        std::fs::write(&path, "\n").unwrap();
        assert!(
            read_manifest(&path)
                .unwrap_err()
                .to_string()
                .contains("no labelled pair")
        );
    }
}
