//! The verdict: derived or independent, from one value of document-pair features.
//!
//! The decision that matters most to users (did one text come from the other?) is a small
//! logistic model over [`PairFeatures`], fitted by a committed, reproducible command
//! (`stemma eval fit-verdict`, see `docs/notes/verdict.md`) on the self-made labelled set's
//! `fit` half, never on its `test` half. It returns a probability of derivation and, for every
//! feature, its contribution to the log-odds, so that the decision can be explained in the JSON
//! and the views.
//!
//! A few rules hold whatever the model says (they are what a user would check by hand):
//! verbatim reuse of two or more sentences (or about 40 words), in any order, is at least
//! `partial`; a shared frame with different names and figures is a `template`, never a
//! derivation. Which derived relation (near-duplicate, rewrite, partial) follows from how much
//! of each side is covered, which is a description of the derivation, not a decision about it.

// Index loops read best in the small dense linear algebra below.
#![allow(clippy::needless_range_loop)]

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// Names of the features, in the order of [`PairFeatures::values`].
pub const FEATURE_NAMES: [&str; 13] = [
    "coverage_copy",
    "coverage_source",
    "confident_coverage_copy",
    "confident_coverage_source",
    "verbatim_coverage",
    "matched_sentences",
    "ordered_matches",
    "chained_matches",
    "mean_similarity",
    "weak_coverage_copy",
    "verbatim_run",
    "key_terms",
    "specifics_shared",
];

/// Document-pair features the verdict is computed from. Every value is a plain figure in a
/// known range; names in [`FEATURE_NAMES`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PairFeatures {
    /// The values, in the order of [`FEATURE_NAMES`].
    pub values: [f64; 13],
}

impl PairFeatures {
    /// Value of the feature called `name`, if it exists.
    pub fn get(&self, name: &str) -> Option<f64> {
        FEATURE_NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| self.values[i])
    }
}

/// The raw figures the features are made from, measured by the comparer on one alignment.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Measures {
    /// Coverage by any alignment of the more covered (copy) side and of the other side.
    pub cov: [f64; 2],
    /// Coverage by confident alignments (copy side, other side).
    pub scov: [f64; 2],
    /// Verbatim / near-verbatim coverage, larger side.
    pub vcov: f64,
    /// Fraction of the sentences of the document with fewer sentences that take part in a match.
    pub matched_sentences: f64,
    /// Fraction of the sentences of the document with fewer sentences whose matches lie on one
    /// chain increasing on both sides (the source's order kept).
    pub ordered_matches: f64,
    /// Number of matches.
    #[allow(dead_code)]
    pub matches: usize,
    /// Fraction of matches followed by another match right after it on both sides (at most one
    /// unaligned sentence between): the sentence-by-sentence structure of a derived text.
    pub chained: f64,
    /// Mean similarity of the matches.
    pub mean_similarity: f64,
    /// Tokens of the reused verbatim / near-verbatim material, any order, quotations excluded.
    pub verbatim_tokens: usize,
    /// Weighted cosine of the key terms (names, numbers, long words).
    pub key_terms: f64,
    /// Jaccard of the sets of names and numbers.
    pub specifics: f64,
}

impl Measures {
    /// The model's features.
    pub fn features(&self) -> PairFeatures {
        PairFeatures {
            values: [
                self.cov[0],
                self.cov[1],
                self.scov[0],
                self.scov[1],
                self.vcov,
                self.matched_sentences,
                self.ordered_matches,
                self.chained,
                self.mean_similarity,
                (self.cov[0] - self.scov[0]).max(0.0),
                (1.0 + self.verbatim_tokens as f64).ln(),
                self.key_terms,
                self.specifics,
            ],
        }
    }
}

/// A fitted logistic model: `p = σ(bias + Σ weight_i · (x_i − mean_i) / scale_i)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerdictModel {
    /// Which scorer's alignments it was fitted on (`lexical`, `semantic`).
    pub name: String,
    /// How it was made (the command).
    #[serde(default)]
    pub fitted_by: String,
    /// Feature names, in the order of [`FEATURE_NAMES`].
    pub features: Vec<String>,
    /// Mean of each feature on the fitting data.
    pub mean: Vec<f64>,
    /// Standard deviation of each feature on the fitting data (1 where it was 0).
    pub scale: Vec<f64>,
    /// Weight of each standardized feature.
    pub weights: Vec<f64>,
    /// Intercept.
    pub bias: f64,
    /// Probability from which a pair is called derived.
    pub threshold: f64,
}

/// One feature's part in a verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// Feature name.
    pub feature: String,
    /// Its value for this pair.
    pub value: f64,
    /// Its contribution to the log-odds of derivation (positive: towards derived).
    pub contribution: f64,
}

static LEXICAL: OnceLock<VerdictModel> = OnceLock::new();
static SEMANTIC: OnceLock<VerdictModel> = OnceLock::new();

impl VerdictModel {
    /// The committed model for the lexical scorer's alignments.
    pub fn lexical() -> &'static VerdictModel {
        LEXICAL.get_or_init(|| {
            serde_json::from_str(include_str!("../models/verdict-lexical.json"))
                .expect("committed verdict model is valid JSON (checked by a test)")
        })
    }

    /// The committed model for alignments made with the semantic layer on.
    pub fn semantic() -> &'static VerdictModel {
        SEMANTIC.get_or_init(|| {
            serde_json::from_str(include_str!("../models/verdict-semantic.json"))
                .expect("committed verdict model is valid JSON (checked by a test)")
        })
    }

    /// Checks that the model fits the feature list of this build.
    pub fn validate(&self) -> Result<(), String> {
        let n = FEATURE_NAMES.len();
        if self.features.len() != n
            || self.mean.len() != n
            || self.scale.len() != n
            || self.weights.len() != n
        {
            return Err(format!(
                "verdict model '{}' has {} features, this build computes {n}",
                self.name,
                self.features.len()
            ));
        }
        for (i, f) in self.features.iter().enumerate() {
            if f != FEATURE_NAMES[i] {
                return Err(format!(
                    "verdict model '{}': feature {i} is '{f}', expected '{}'",
                    self.name, FEATURE_NAMES[i]
                ));
            }
        }
        Ok(())
    }

    /// Probability of derivation and each feature's contribution to its log-odds.
    pub fn probability(&self, f: &PairFeatures) -> (f64, Vec<Contribution>) {
        let mut z = self.bias;
        let mut contributions = Vec::with_capacity(FEATURE_NAMES.len());
        for (i, name) in FEATURE_NAMES.iter().enumerate() {
            let x = f.values[i];
            let (m, s, w) = (
                self.mean.get(i).copied().unwrap_or(0.0),
                self.scale.get(i).copied().unwrap_or(1.0),
                self.weights.get(i).copied().unwrap_or(0.0),
            );
            // Standardized and clipped: a pair far outside the fitting data does not get an
            // unbounded vote from one feature.
            let zv = ((x - m) / if s > 0.0 { s } else { 1.0 }).clamp(-3.0, 3.0);
            let c = w * zv;
            z += c;
            contributions.push(Contribution {
                feature: (*name).to_string(),
                value: x,
                contribution: c,
            });
        }
        (sigmoid(z), contributions)
    }
}

/// The logistic function.
pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Fits a logistic model with L2 regularization (`lambda`) by Newton's method on standardized
/// features. Deterministic: the same data gives the same model.
pub fn fit(
    name: &str,
    fitted_by: &str,
    xs: &[PairFeatures],
    ys: &[bool],
    lambda: f64,
) -> VerdictModel {
    let n = FEATURE_NAMES.len();
    let m = xs.len().max(1) as f64;
    let mut mean = vec![0.0; n];
    let mut scale = vec![0.0; n];
    for x in xs {
        for i in 0..n {
            mean[i] += x.values[i] / m;
        }
    }
    for x in xs {
        for i in 0..n {
            scale[i] += (x.values[i] - mean[i]).powi(2) / m;
        }
    }
    for s in &mut scale {
        *s = if *s > 1e-12 { s.sqrt() } else { 1.0 };
    }
    let rows: Vec<Vec<f64>> = xs
        .iter()
        .map(|x| {
            let mut r = vec![1.0];
            r.extend((0..n).map(|i| (x.values[i] - mean[i]) / scale[i]));
            r
        })
        .collect();
    let k = n + 1;
    let mut w = vec![0.0; k];
    for _ in 0..50 {
        let mut grad = vec![0.0; k];
        let mut hess = vec![vec![0.0; k]; k];
        for (r, &y) in rows.iter().zip(ys) {
            let z: f64 = r.iter().zip(&w).map(|(a, b)| a * b).sum();
            let p = sigmoid(z);
            let g = p - f64::from(u8::from(y));
            let h = (p * (1.0 - p)).max(1e-9);
            for i in 0..k {
                grad[i] += g * r[i];
                for j in 0..k {
                    hess[i][j] += h * r[i] * r[j];
                }
            }
        }
        for i in 1..k {
            grad[i] += lambda * w[i];
            hess[i][i] += lambda;
        }
        hess[0][0] += 1e-6;
        let step = solve(hess, grad);
        let mut change = 0.0f64;
        for i in 0..k {
            w[i] -= step[i];
            change = change.max(step[i].abs());
        }
        if change < 1e-9 {
            break;
        }
    }
    VerdictModel {
        name: name.to_string(),
        fitted_by: fitted_by.to_string(),
        features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
        mean: mean.iter().map(|v| round6(*v)).collect(),
        scale: scale.iter().map(|v| round6(*v)).collect(),
        weights: w[1..].iter().map(|v| round6(*v)).collect(),
        bias: round6(w[0]),
        threshold: 0.5,
    }
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting (small dense systems).
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for c in 0..n {
        let p = (c..n)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .unwrap_or(c);
        a.swap(c, p);
        b.swap(c, p);
        let d = a[c][c];
        if d.abs() < 1e-15 {
            continue;
        }
        for r in c + 1..n {
            let f = a[r][c] / d;
            if f == 0.0 {
                continue;
            }
            for k in c..n {
                a[r][k] -= f * a[c][k];
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = vec![0.0; n];
    for c in (0..n).rev() {
        let s: f64 = (c + 1..n).map(|k| a[c][k] * x[k]).sum();
        x[c] = if a[c][c].abs() < 1e-15 {
            0.0
        } else {
            (b[c] - s) / a[c][c]
        };
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_models_load_and_match_the_features() {
        VerdictModel::lexical().validate().unwrap();
        VerdictModel::semantic().validate().unwrap();
    }

    #[test]
    fn fitting_separates_a_separable_feature_and_explains_it() {
        // Derived pairs have high copy coverage, independent ones low; other features noise.
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for i in 0..40 {
            let mut f = PairFeatures::default();
            let derived = i % 2 == 0;
            f.values[0] = if derived { 0.7 } else { 0.2 } + (i % 7) as f64 * 0.02;
            f.values[10] = (i % 5) as f64 * 0.1;
            xs.push(f);
            ys.push(derived);
        }
        let m = fit("t", "test", &xs, &ys, 1.0);
        m.validate().unwrap();
        for (x, y) in xs.iter().zip(&ys) {
            let (p, c) = m.probability(x);
            assert_eq!(p >= 0.5, *y, "{p}");
            // The coverage feature carries the decision.
            let top = c
                .iter()
                .max_by(|a, b| a.contribution.abs().total_cmp(&b.contribution.abs()))
                .unwrap();
            assert_eq!(top.feature, "coverage_copy");
        }
        // Deterministic.
        assert_eq!(m, fit("t", "test", &xs, &ys, 1.0));
    }

    #[test]
    fn solver_solves() {
        let x = solve(vec![vec![2.0, 1.0], vec![1.0, 3.0]], vec![3.0, 5.0]);
        assert!(
            (x[0] - 0.8).abs() < 1e-12 && (x[1] - 1.4).abs() < 1e-12,
            "{x:?}"
        );
    }
}
