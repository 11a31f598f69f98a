//! Pair-level precision, recall and F1 per relation, per obfuscation, and direction accuracy.
//!
//! Pairs are unordered. A labelled pair that is not predicted (or predicted `unrelated`) is a
//! false negative of its relation; a predicted pair whose relation differs from the label (or
//! that has no label) is a false positive of the predicted relation. Predicted pairs without a
//! label that share real text or a story by the corpus metadata (`origins`, `story`; see
//! `docs/eval-format.md`) are *ignored*, not counted as false positives.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::format::TruthPair;
use crate::metrics::pan::f1;
use crate::metrics::{CorpusInfo, Prediction, pair_key};

/// Relations that mean one text derives from the other.
pub const DERIVATIONS: &[&str] = &["duplicate", "near-duplicate", "rewrite", "partial"];

/// Counts and scores of one class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives (`fn` in JSON).
    #[serde(rename = "fn")]
    pub fn_: usize,
    /// tp / (tp + fp); 0 when nothing was predicted.
    pub precision: f64,
    /// tp / (tp + fn); 0 when nothing is labelled.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl Prf {
    /// Scores from counts of true positives, false positives and false negatives.
    pub fn from_counts(tp: usize, fp: usize, fn_: usize) -> Self {
        Prf {
            tp,
            fp,
            fn_,
            ..Prf::default()
        }
        .finish()
    }

    fn finish(mut self) -> Self {
        self.precision = if self.tp + self.fp == 0 {
            0.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        };
        self.recall = if self.tp + self.fn_ == 0 {
            0.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        };
        self.f1 = f1(self.precision, self.recall);
        self
    }
}

/// Recall of the labelled pairs of one obfuscation (precision is undefined: false positives
/// have no obfuscation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ObfuscationStats {
    /// Labelled pairs.
    pub pairs: usize,
    /// Pairs found with a relation of the right kind (any derivation for derivation labels,
    /// `same-story` for same-story labels).
    pub found: usize,
    /// Pairs found with exactly the labelled relation.
    pub exact: usize,
    /// found / pairs.
    pub recall: f64,
    /// exact / pairs.
    pub exact_recall: f64,
}

/// Direction accuracy on labelled derivations predicted as derivations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct DirectionStats {
    /// Labelled derivation pairs predicted as derivations.
    pub found: usize,
    /// … of which the prediction names a source.
    pub decided: usize,
    /// … of which the named source is the true source.
    pub correct: usize,
    /// correct / decided.
    pub accuracy: f64,
    /// decided / found.
    pub decided_rate: f64,
}

/// All pair-level results.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PairReport {
    /// Labelled pairs (excluding `unrelated` labels).
    pub labelled: usize,
    /// Predicted pairs (excluding `unrelated` predictions and repeats).
    pub predicted: usize,
    /// Predicted pairs ignored because they share real text or a story without a label.
    pub ignored: usize,
    /// Per relation.
    pub per_relation: BTreeMap<String, Prf>,
    /// "Is one derived from the other", whatever the derivation relation.
    pub derivation: Prf,
    /// Confusion counts: labelled relation (or `none`) → predicted relation (or `none`).
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    /// Per full obfuscation string.
    pub per_obfuscation: BTreeMap<String, ObfuscationStats>,
    /// Per single operation (`synonym-0.3`, `reorder`, …) found in obfuscation strings.
    pub per_operation: BTreeMap<String, ObfuscationStats>,
    /// Direction of derivations.
    pub direction: DirectionStats,
}

/// Normalizes a relation name (`near_duplicate` → `near-duplicate`, lower case).
pub fn normalize_relation(r: &str) -> String {
    r.trim().to_lowercase().replace('_', "-")
}

/// Whether an unlabelled predicted pair should be ignored by the corpus metadata.
pub fn is_ignored(corpus: Option<&CorpusInfo>, a: &str, b: &str, predicted: &str) -> bool {
    let Some(c) = corpus else { return false };
    if let (Some(x), Some(y)) = (c.origins.get(a), c.origins.get(b))
        && x.iter().any(|o| y.contains(o))
    {
        return true;
    }
    predicted == "same-story"
        && matches!((c.story.get(a), c.story.get(b)), (Some(x), Some(y)) if x == y)
}

/// Computes the pair-level report. `preds` must already be de-duplicated by unordered pair.
pub fn pair_report(
    truth: &[TruthPair],
    preds: &[Prediction],
    corpus: Option<&CorpusInfo>,
) -> PairReport {
    let mut rep = PairReport::default();
    let mut labels: HashMap<(String, String), &TruthPair> = HashMap::new();
    for t in truth {
        if normalize_relation(&t.relation) == "unrelated" {
            continue;
        }
        labels.insert(pair_key(&t.a_id, &t.b_id), t);
    }
    rep.labelled = labels.len();
    let mut predicted: HashMap<(String, String), &Prediction> = HashMap::new();
    for p in preds {
        if p.relation == "unrelated" {
            continue;
        }
        predicted.entry(pair_key(&p.a_id, &p.b_id)).or_insert(p);
    }
    rep.predicted = predicted.len();
    let mut per: BTreeMap<String, Prf> = BTreeMap::new();
    for r in DERIVATIONS.iter().chain(&["same-story"]) {
        per.insert(r.to_string(), Prf::default());
    }
    let mut deriv = Prf::default();
    let mut keys: Vec<&(String, String)> = predicted.keys().collect();
    keys.sort();
    for key in keys {
        let p = predicted[key];
        let pr = p.relation.as_str();
        match labels.get(key) {
            Some(t) => {
                let tr = normalize_relation(&t.relation);
                if tr == pr {
                    per.entry(pr.to_string()).or_default().tp += 1;
                } else {
                    per.entry(pr.to_string()).or_default().fp += 1;
                }
                let (td, pd) = (
                    DERIVATIONS.contains(&tr.as_str()),
                    DERIVATIONS.contains(&pr),
                );
                if pd {
                    if td { deriv.tp += 1 } else { deriv.fp += 1 }
                }
                *rep.confusion
                    .entry(tr)
                    .or_default()
                    .entry(pr.to_string())
                    .or_default() += 1;
            }
            None => {
                if is_ignored(corpus, &key.0, &key.1, pr) {
                    rep.ignored += 1;
                    continue;
                }
                per.entry(pr.to_string()).or_default().fp += 1;
                if DERIVATIONS.contains(&pr) {
                    deriv.fp += 1;
                }
                *rep.confusion
                    .entry("none".into())
                    .or_default()
                    .entry(pr.to_string())
                    .or_default() += 1;
            }
        }
    }
    let mut tkeys: Vec<&(String, String)> = labels.keys().collect();
    tkeys.sort();
    for key in tkeys {
        let t = labels[key];
        let tr = normalize_relation(&t.relation);
        let p = predicted.get(key);
        let pr = p.map(|p| p.relation.as_str()).unwrap_or("none");
        if tr != pr {
            per.entry(tr.clone()).or_default().fn_ += 1;
        }
        let td = DERIVATIONS.contains(&tr.as_str());
        let pd = DERIVATIONS.contains(&pr);
        if td && !pd {
            deriv.fn_ += 1;
        }
        if p.is_none() {
            *rep.confusion
                .entry(tr.clone())
                .or_default()
                .entry("none".into())
                .or_default() += 1;
        }
        let found = if td { pd } else { pr == tr };
        let exact = pr == tr;
        let obf = t.obfuscation.clone().unwrap_or_else(|| "none".into());
        let mut groups = vec![(true, obf.clone())];
        if obf.contains('+') {
            groups.extend(obf.split('+').map(|o| (false, o.to_string())));
        } else {
            groups.push((false, obf.clone()));
        }
        for (full, g) in groups {
            let m = if full {
                &mut rep.per_obfuscation
            } else {
                &mut rep.per_operation
            };
            let s = m.entry(g).or_default();
            s.pairs += 1;
            s.found += found as usize;
            s.exact += exact as usize;
        }
        if td && pd {
            rep.direction.found += 1;
            if let Some(src) = p.and_then(|p| p.source_id.as_deref()) {
                rep.direction.decided += 1;
                let truth_src = t.source_id.as_deref().unwrap_or(&t.a_id);
                rep.direction.correct += (src == truth_src) as usize;
            }
        }
    }
    for m in [&mut rep.per_obfuscation, &mut rep.per_operation] {
        for s in m.values_mut() {
            s.recall = s.found as f64 / s.pairs.max(1) as f64;
            s.exact_recall = s.exact as f64 / s.pairs.max(1) as f64;
        }
    }
    let d = &mut rep.direction;
    d.accuracy = if d.decided == 0 {
        0.0
    } else {
        d.correct as f64 / d.decided as f64
    };
    d.decided_rate = if d.found == 0 {
        0.0
    } else {
        d.decided as f64 / d.found as f64
    };
    rep.per_relation = per.into_iter().map(|(k, v)| (k, v.finish())).collect();
    rep.derivation = deriv.finish();
    rep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(a: &str, b: &str, r: &str, obf: &str) -> TruthPair {
        TruthPair {
            a_id: a.into(),
            b_id: b.into(),
            relation: r.into(),
            obfuscation: Some(obf.into()),
            source_id: Some(a.into()),
            passages: vec![],
        }
    }
    fn p(a: &str, b: &str, r: &str, src: Option<&str>) -> Prediction {
        Prediction {
            a_id: a.into(),
            b_id: b.into(),
            relation: r.into(),
            source_id: src.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn hand_computed_counts() {
        let truth = vec![
            t("s1", "c1", "rewrite", "synonym-0.3+reorder"),
            t("s1", "c2", "duplicate", "none"),
            t("s2", "c3", "partial", "partial"),
            t("x", "y", "same-story", "none"),
        ];
        let preds = vec![
            p("c1", "s1", "rewrite", Some("s1")), // tp rewrite, reversed order, right direction
            p("s1", "c2", "near-duplicate", Some("c2")), // fp near-dup, fn duplicate, wrong direction
            p("q", "r", "rewrite", None),                // unlabelled: fp rewrite
            p("x", "y", "unrelated", None),              // not a prediction
        ];
        let r = pair_report(&truth, &preds, None);
        assert_eq!(r.labelled, 4);
        assert_eq!(r.predicted, 3);
        let rw = r.per_relation["rewrite"];
        assert_eq!((rw.tp, rw.fp, rw.fn_), (1, 1, 0));
        assert_eq!(rw.precision, 0.5);
        let dup = r.per_relation["duplicate"];
        assert_eq!((dup.tp, dup.fp, dup.fn_), (0, 0, 1));
        assert_eq!(r.per_relation["partial"].fn_, 1);
        assert_eq!(r.per_relation["same-story"].fn_, 1);
        // derivation: c1 and c2 found (tp 2), q-r fp, s2-c3 missed.
        assert_eq!(
            (r.derivation.tp, r.derivation.fp, r.derivation.fn_),
            (2, 1, 1)
        );
        assert_eq!(r.per_operation["reorder"].found, 1);
        assert_eq!(r.per_obfuscation["synonym-0.3+reorder"].recall, 1.0);
        assert_eq!(r.per_obfuscation["partial"].recall, 0.0);
        assert_eq!(r.direction.found, 2);
        assert_eq!(r.direction.correct, 1);
        assert_eq!(r.direction.accuracy, 0.5);
        assert_eq!(r.confusion["duplicate"]["near-duplicate"], 1);
        assert_eq!(r.confusion["none"]["rewrite"], 1);
    }

    #[test]
    fn unlabelled_pairs_sharing_origins_are_ignored() {
        let mut c = CorpusInfo::default();
        c.origins.insert("q".into(), vec!["art-1".into()]);
        c.origins
            .insert("r".into(), vec!["art-1".into(), "art-9".into()]);
        c.story.insert("u".into(), "story-1".into());
        c.story.insert("v".into(), "story-1".into());
        let preds = vec![
            p("q", "r", "rewrite", None),
            p("u", "v", "same-story", None),
            p("u", "v2", "same-story", None),
        ];
        let r = pair_report(&[], &preds, Some(&c));
        assert_eq!(r.ignored, 2);
        assert_eq!(r.per_relation["same-story"].fp, 1);
    }
}
