//! Sentence-scorer benchmarks: MRPC (paraphrase classification) and STS-B (graded similarity).
//!
//! The scorer is any `Fn(&str, &str) -> f64` returning a similarity in [0,1].

use std::path::Path;

use crate::EvalError;
use crate::metrics::pan::f1;

/// A labelled sentence pair.
#[derive(Debug, Clone, PartialEq)]
pub struct SentencePair {
    /// First sentence.
    pub a: String,
    /// Second sentence.
    pub b: String,
    /// Gold label: 0/1 for MRPC, 0..5 for STS-B.
    pub gold: f64,
}

fn read_lines(path: &Path) -> Result<String, EvalError> {
    let bytes = std::fs::read(path).map_err(|e| EvalError::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| EvalError::Parse {
        file: path.display().to_string(),
        line: 0,
        message: format!("not UTF-8: {e}"),
    })?;
    Ok(text.trim_start_matches('\u{feff}').to_string())
}

/// Reads an MRPC TSV: a header row, then `label<TAB>id1<TAB>id2<TAB>sentence1<TAB>sentence2`
/// (split on tabs, no quoting).
pub fn read_mrpc(path: &Path) -> Result<Vec<SentencePair>, EvalError> {
    let text = read_lines(path)?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let err = |m: &str| EvalError::Parse {
            file: path.display().to_string(),
            line: n + 1,
            message: m.into(),
        };
        if f.len() < 5 {
            return Err(err("expected 5 tab-separated fields"));
        }
        let gold: f64 = match f[0].trim() {
            "1" => 1.0,
            "0" => 0.0,
            _ => return Err(err("label (column 1) must be 0 or 1")),
        };
        out.push(SentencePair {
            a: f[3].to_string(),
            b: f[4].to_string(),
            gold,
        });
    }
    Ok(out)
}

/// Reads an STS-B file: no header, tab-separated, score in column 5 (0..5), sentences in
/// columns 6 and 7; further columns are ignored.
pub fn read_stsb(path: &Path) -> Result<Vec<SentencePair>, EvalError> {
    let text = read_lines(path)?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let err = |m: &str| EvalError::Parse {
            file: path.display().to_string(),
            line: n + 1,
            message: m.into(),
        };
        if f.len() < 7 {
            return Err(err("expected at least 7 tab-separated fields"));
        }
        let gold: f64 = f[4]
            .trim()
            .parse()
            .map_err(|_| err("score (column 5) is not a number"))?;
        out.push(SentencePair {
            a: f[5].to_string(),
            b: f[6].to_string(),
            gold,
        });
    }
    Ok(out)
}

/// Classification results on MRPC.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ClassificationScores {
    /// Pairs scored.
    pub pairs: usize,
    /// Threshold used: a pair is a paraphrase when its score is at least this.
    pub threshold: f64,
    /// Accuracy.
    pub accuracy: f64,
    /// Precision of the paraphrase class.
    pub precision: f64,
    /// Recall of the paraphrase class.
    pub recall: f64,
    /// F1 of the paraphrase class.
    pub f1: f64,
}

/// Accuracy and F1 (paraphrase class) of `scores` against 0/1 `gold` at `threshold`.
pub fn classification(scores: &[f64], gold: &[f64], threshold: f64) -> ClassificationScores {
    let (mut tp, mut fp, mut fneg, mut correct) = (0usize, 0usize, 0usize, 0usize);
    for (s, g) in scores.iter().zip(gold) {
        let p = *s >= threshold;
        let t = *g >= 0.5;
        correct += (p == t) as usize;
        match (p, t) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fneg += 1,
            _ => {}
        }
    }
    let prec = if tp + fp == 0 {
        0.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let rec = if tp + fneg == 0 {
        0.0
    } else {
        tp as f64 / (tp + fneg) as f64
    };
    ClassificationScores {
        pairs: scores.len(),
        threshold,
        accuracy: if scores.is_empty() {
            0.0
        } else {
            correct as f64 / scores.len() as f64
        },
        precision: prec,
        recall: rec,
        f1: f1(prec, rec),
    }
}

/// The threshold with the best accuracy on this data (an optimistic, tuned-on-test figure;
/// report it next to the fixed-threshold result).
pub fn best_threshold(scores: &[f64], gold: &[f64]) -> ClassificationScores {
    let mut cands: Vec<f64> = scores.to_vec();
    cands.sort_by(f64::total_cmp);
    cands.dedup();
    let mut best = classification(scores, gold, f64::INFINITY);
    for t in cands {
        let c = classification(scores, gold, t);
        if c.accuracy > best.accuracy {
            best = c;
        }
    }
    best
}

fn ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for k in i..=j {
            r[idx[k]] = avg;
        }
        i = j + 1;
    }
    r
}

/// Pearson correlation (0 when a side is constant).
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    if n < 2 {
        return 0.0;
    }
    let mx = x[..n].iter().sum::<f64>() / n as f64;
    let my = y[..n].iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (dx, dy) = (x[i] - mx, y[i] - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx == 0.0 || syy == 0.0 {
        0.0
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

/// Spearman rank correlation (Pearson on average ranks, so ties are handled).
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&ranks(x), &ranks(y))
}

/// Reads the ParaPhraser corpus XML (`<paraphrase>` elements with `<value name="text_1">`,
/// `text_2` and `class`): gold is 1 for precise (1) and loose (0) paraphrases, 0 for
/// non-paraphrases (-1). A line-oriented reader: each `<value …>…</value>` is on one line.
pub fn read_paraphraser(path: &Path) -> Result<Vec<SentencePair>, EvalError> {
    let text = read_lines(path)?;
    let mut out = Vec::new();
    let (mut a, mut b, mut class): (Option<String>, Option<String>, Option<(f64, usize)>) =
        (None, None, None);
    let unescape = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        let err = |m: String| EvalError::Parse {
            file: path.display().to_string(),
            line: n + 1,
            message: m,
        };
        if line == "<paraphrase>" {
            (a, b, class) = (None, None, None);
        } else if line == "</paraphrase>" {
            match (a.take(), b.take(), class.take()) {
                (Some(a), Some(b), Some((gold, _))) => out.push(SentencePair { a, b, gold }),
                _ => return Err(err("paraphrase without text_1, text_2 and class".into())),
            }
        } else if let Some(rest) = line.strip_prefix("<value name=\"") {
            let Some((name, rest)) = rest.split_once("\">") else {
                return Err(err("malformed <value> element".into()));
            };
            let Some(value) = rest.strip_suffix("</value>") else {
                return Err(err("<value> element not closed on its line".into()));
            };
            match name {
                "text_1" => a = Some(unescape(value)),
                "text_2" => b = Some(unescape(value)),
                "class" => {
                    let gold = match value.trim() {
                        "-1" => 0.0,
                        "0" | "1" => 1.0,
                        v => return Err(err(format!("class must be -1, 0 or 1, not {v:?}"))),
                    };
                    class = Some((gold, n + 1));
                }
                _ => {}
            }
        }
    }
    Ok(out)
}

/// Every `step`-th pair (a deterministic subsample), at most `limit`.
pub fn subsample(pairs: Vec<SentencePair>, limit: usize) -> Vec<SentencePair> {
    if limit == 0 || pairs.len() <= limit {
        return pairs;
    }
    let step = pairs.len().div_ceil(limit);
    pairs.into_iter().step_by(step).take(limit).collect()
}

/// Accuracy and F1 under `k`-fold cross-validation: the threshold is tuned (best accuracy) on
/// `k − 1` folds (pairs `i` with `i % k != fold`) and applied to the held-out fold; the figures
/// are over all held-out predictions. `threshold` reports the mean tuned threshold.
pub fn cross_validated(scores: &[f64], gold: &[f64], k: usize) -> ClassificationScores {
    let k = k.max(2);
    let mut predicted = vec![0.0; scores.len()];
    let mut thresholds = 0.0;
    for fold in 0..k {
        let (mut ts, mut tg) = (Vec::new(), Vec::new());
        for i in (0..scores.len()).filter(|i| i % k != fold) {
            ts.push(scores[i]);
            tg.push(gold[i]);
        }
        let t = best_threshold(&ts, &tg).threshold;
        thresholds += t;
        for i in (0..scores.len()).filter(|i| i % k == fold) {
            predicted[i] = if scores[i] >= t { 1.0 } else { 0.0 };
        }
    }
    let mut c = classification(&predicted, gold, 0.5);
    c.threshold = thresholds / k as f64;
    c
}

/// Results of a sentence scorer on MRPC and STS-B.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SentenceReport {
    /// MRPC at the fixed threshold.
    pub mrpc_fixed: Option<ClassificationScores>,
    /// MRPC at the accuracy-maximizing threshold (tuned on the same data).
    pub mrpc_best: Option<ClassificationScores>,
    /// STS-B pairs scored.
    pub stsb_pairs: usize,
    /// STS-B Spearman correlation.
    pub stsb_spearman: Option<f64>,
    /// STS-B Pearson correlation.
    pub stsb_pearson: Option<f64>,
}

/// Scores MRPC pairs (with `threshold`) and STS-B pairs with `scorer`.
pub fn evaluate_sentences(
    mrpc: &[SentencePair],
    stsb: &[SentencePair],
    threshold: f64,
    scorer: &dyn Fn(&str, &str) -> f64,
) -> SentenceReport {
    let m: Vec<f64> = mrpc.iter().map(|p| scorer(&p.a, &p.b)).collect();
    let s: Vec<f64> = stsb.iter().map(|p| scorer(&p.a, &p.b)).collect();
    report_from_scores(mrpc, &m, stsb, &s, threshold)
}

/// The [`SentenceReport`] of scores already computed (`mrpc_scores[i]` for `mrpc[i]`, and so
/// for STS-B).
pub fn report_from_scores(
    mrpc: &[SentencePair],
    mrpc_scores: &[f64],
    stsb: &[SentencePair],
    stsb_scores: &[f64],
    threshold: f64,
) -> SentenceReport {
    let mut rep = SentenceReport {
        mrpc_fixed: None,
        mrpc_best: None,
        stsb_pairs: stsb.len(),
        stsb_spearman: None,
        stsb_pearson: None,
    };
    if !mrpc.is_empty() {
        let g: Vec<f64> = mrpc.iter().map(|p| p.gold).collect();
        rep.mrpc_fixed = Some(classification(mrpc_scores, &g, threshold));
        rep.mrpc_best = Some(best_threshold(mrpc_scores, &g));
    }
    if !stsb.is_empty() {
        let g: Vec<f64> = stsb.iter().map(|p| p.gold).collect();
        rep.stsb_spearman = Some(spearman(stsb_scores, &g));
        rep.stsb_pearson = Some(pearson(stsb_scores, &g));
    }
    rep
}

/// Lexical similarity, embedding cosine and combined similarity of one sentence pair under a
/// [`stemma_align::HybridScorer`]; `cosine` is `None` without an embedder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HybridPairScores {
    /// The lexical scorer's similarity.
    pub lexical: f64,
    /// Cosine of the pooled embeddings of both sides.
    pub cosine: Option<f64>,
    /// The hybrid scorer's similarity.
    pub combined: f64,
}

/// Scores every pair with `scorer`, each side read as one passage (all its sentences). The
/// sentences of all pairs are embedded in one batch first (the per-document features then
/// look their vectors up), so that the encoder runs batched and in parallel.
pub fn hybrid_pair_scores(
    scorer: &stemma_align::HybridScorer,
    pairs: &[SentencePair],
) -> Vec<HybridPairScores> {
    use stemma_align::{AlignInput, HybridScorer, SentenceScorer};
    let prepared: Vec<(stemma_text::PreparedText, stemma_text::PreparedText)> = pairs
        .iter()
        .map(|p| (stemma_text::prepare(&p.a), stemma_text::prepare(&p.b)))
        .collect();
    let scorer = match &scorer.embedder {
        Some(e) => {
            let mut texts: Vec<&str> = Vec::new();
            for (p, (pa, pb)) in pairs.iter().zip(&prepared) {
                for (t, pt) in [(&p.a, pa), (&p.b, pb)] {
                    let input = AlignInput::new(t, pt);
                    texts.extend((0..input.sentence_count()).map(|i| input.sentence_text(i)));
                }
            }
            texts.sort_unstable();
            texts.dedup();
            let vectors = e.embed(&texts);
            let cache: std::collections::HashMap<String, Vec<f32>> =
                texts.iter().map(|t| t.to_string()).zip(vectors).collect();
            let cached = Cached {
                inner: e.clone(),
                cache,
            };
            HybridScorer {
                embedder: Some(std::sync::Arc::new(cached)),
                ..scorer.clone()
            }
        }
        None => scorer.clone(),
    };
    pairs
        .iter()
        .zip(&prepared)
        .map(|(p, (pa, pb))| {
            let fa = scorer.features(AlignInput::new(&p.a, pa));
            let fb = scorer.features(AlignInput::new(&p.b, pb));
            let (na, nb) = (scorer.len(&fa), scorer.len(&fb));
            if na == 0 || nb == 0 {
                return HybridPairScores {
                    lexical: 0.0,
                    cosine: None,
                    combined: 0.0,
                };
            }
            HybridPairScores {
                lexical: scorer.lexical.score(&fa.lexical, 0..na, &fb.lexical, 0..nb),
                cosine: scorer.cosine(&fa, 0..na, &fb, 0..nb),
                combined: scorer.score(&fa, 0..na, &fb, 0..nb),
            }
        })
        .collect()
}

/// An embedder answering from precomputed vectors, falling back to the model.
struct Cached {
    inner: std::sync::Arc<dyn stemma_align::SentenceEmbedder>,
    cache: std::collections::HashMap<String, Vec<f32>>,
}

impl stemma_align::SentenceEmbedder for Cached {
    fn embed(&self, sentences: &[&str]) -> Vec<Vec<f32>> {
        sentences
            .iter()
            .map(|s| match self.cache.get(*s) {
                Some(v) => v.clone(),
                None => self.inner.embed(&[s]).remove(0),
            })
            .collect()
    }

    fn name(&self) -> &str {
        self.inner.name()
    }
}

/// stemma's lexical sentence scorer (`stemma_align::LexicalScorer`) as a closure: each
/// sentence is prepared as a one-passage document and the two whole passages are scored.
/// Also returns the scorer's calibrated paraphrase threshold.
pub fn lexical_scorer() -> (impl Fn(&str, &str) -> f64, f64) {
    let scorer = stemma_align::LexicalScorer::default();
    let threshold = stemma_align::SentenceScorer::thresholds(&scorer).paraphrase;
    (scorer_fn(scorer), threshold)
}

/// A given lexical scorer (e.g. with other weights) as a sentence-pair closure, as
/// [`lexical_scorer`] does for the default one.
pub fn scorer_fn(scorer: stemma_align::LexicalScorer) -> impl Fn(&str, &str) -> f64 {
    use stemma_align::{AlignInput, SentenceScorer};
    move |a: &str, b: &str| {
        let (pa, pb) = (stemma_text::prepare(a), stemma_text::prepare(b));
        let fa = scorer.features(AlignInput::new(a, &pa));
        let fb = scorer.features(AlignInput::new(b, &pb));
        let (na, nb) = (scorer.len(&fa), scorer.len(&fb));
        if na == 0 || nb == 0 {
            return 0.0;
        }
        scorer.score(&fa, 0..na, &fb, 0..nb)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_and_pearson_known_values() {
        assert!((spearman(&[1.0, 2.0, 3.0, 4.0], &[10.0, 20.0, 30.0, 40.0]) - 1.0).abs() < 1e-12);
        assert!((spearman(&[1.0, 2.0, 3.0, 4.0], &[4.0, 3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
        // Monotone but not linear: Spearman 1, Pearson < 1.
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [1.0, 4.0, 9.0, 16.0, 100.0];
        assert!((spearman(&x, &y) - 1.0).abs() < 1e-12);
        assert!(pearson(&x, &y) < 0.95);
        // scipy.stats.spearmanr([1,2,3,4,5],[5,6,7,8,7]) = 0.8207826816681233 (ties)
        let r = spearman(&x, &[5.0, 6.0, 7.0, 8.0, 7.0]);
        assert!((r - 0.820_782_681_668_123_3).abs() < 1e-9, "{r}");
    }

    #[test]
    fn classification_hand_computed() {
        let c = classification(&[0.9, 0.8, 0.3, 0.1], &[1.0, 0.0, 1.0, 0.0], 0.5);
        // predictions 1,1,0,0 vs gold 1,0,1,0: accuracy 0.5, tp 1, fp 1, fn 1 → F1 0.5.
        assert_eq!(c.accuracy, 0.5);
        assert!((c.f1 - 0.5).abs() < 1e-12);
        let b = best_threshold(&[0.9, 0.8, 0.3, 0.1], &[1.0, 1.0, 0.0, 0.0]);
        assert_eq!(b.accuracy, 1.0);
        assert_eq!(b.threshold, 0.8);
    }

    #[test]
    fn reads_tsv_files_and_rejects_bad_rows() {
        let dir = tempfile::tempdir().unwrap();
        let m = dir.path().join("m.tsv");
        std::fs::write(&m, "\u{feff}Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n1\t1\t2\tThe cat sat \"here\".\tA cat sat here.\n0\t3\t4\tRain fell.\tStocks rose.\n").unwrap();
        let p = read_mrpc(&m).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].a, "The cat sat \"here\".");
        assert_eq!(p[1].gold, 0.0);
        let s = dir.path().join("s.csv");
        std::fs::write(
            &s,
            "g\tf\t2012\t0001\t4.5\tA man runs.\tA man is running.\textra\tmore\n",
        )
        .unwrap();
        let p = read_stsb(&s).unwrap();
        assert_eq!(p[0].gold, 4.5);
        assert_eq!(p[0].b, "A man is running.");
        std::fs::write(&s, "g\tf\t2012\t0001\tx\tA.\tB.\n").unwrap();
        assert!(read_stsb(&s).unwrap_err().to_string().contains(":1:"));
        std::fs::write(&m, "header\n2\ta\tb\tc\td\n").unwrap();
        assert!(read_mrpc(&m).is_err());
    }

    #[test]
    fn reads_paraphraser_xml_and_cross_validates() {
        let dir = tempfile::tempdir().unwrap();
        let x = dir.path().join("p.xml");
        std::fs::write(&x, "<?xml version='1.0' encoding='UTF8'?>\n<data><corpus>\n<paraphrase>\n<value name=\"id\">1</value>\n<value name=\"text_1\">Кот &amp; пёс.</value>\n<value name=\"text_2\">Пёс и кот.</value>\n<value name=\"class\">0</value>\n</paraphrase>\n<paraphrase>\n<value name=\"text_1\">А.</value>\n<value name=\"text_2\">Б.</value>\n<value name=\"class\">-1</value>\n</paraphrase>\n</corpus></data>\n").unwrap();
        let p = read_paraphraser(&x).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].a, "Кот & пёс.");
        assert_eq!((p[0].gold, p[1].gold), (1.0, 0.0));
        std::fs::write(&x, "<paraphrase>\n<value name=\"class\">2</value>\n").unwrap();
        assert!(
            read_paraphraser(&x)
                .unwrap_err()
                .to_string()
                .contains(":2:")
        );
        // Separable scores (positives tied, so every fold's threshold admits them all): every
        // held-out fold is classified right.
        let scores: Vec<f64> = (0..20)
            .map(|i| if i >= 10 { 100.0 } else { i as f64 })
            .collect();
        let gold: Vec<f64> = (0..20).map(|i| if i >= 10 { 1.0 } else { 0.0 }).collect();
        let c = cross_validated(&scores, &gold, 5);
        assert_eq!(c.accuracy, 1.0);
        assert_eq!(subsample(p, 1).len(), 1);
    }

    #[test]
    fn evaluate_with_a_closure() {
        let pairs = vec![
            SentencePair {
                a: "a b c".into(),
                b: "a b c".into(),
                gold: 1.0,
            },
            SentencePair {
                a: "a b c".into(),
                b: "x y z".into(),
                gold: 0.0,
            },
        ];
        let overlap = |a: &str, b: &str| {
            let wa: std::collections::HashSet<&str> = a.split(' ').collect();
            let wb: std::collections::HashSet<&str> = b.split(' ').collect();
            wa.intersection(&wb).count() as f64 / wa.union(&wb).count() as f64
        };
        let r = evaluate_sentences(&pairs, &pairs, 0.5, &overlap);
        assert_eq!(r.mrpc_fixed.unwrap().accuracy, 1.0);
        assert!((r.stsb_spearman.unwrap() - 1.0).abs() < 1e-12);
    }
}
