//! The semantic second pass of verification: embeddings only where the lexical verdict is unsure.
//!
//! Embedding a sentence costs about a millisecond of one core per token (`stemma-embed`: ~34
//! sentences per CPU-second), so a scan cannot embed every document of a large corpus. Every
//! candidate pair is therefore verified lexically first; a [`SemanticPass`] then compares again,
//! with the [`HybridScorer`] and the semantic verdict model, only the pairs whose lexical
//! probability of derivation lies in an unsure band ([`SemanticPass::band`]), or that were
//! rejected lexically although their candidate score was high ([`SemanticPass::rescue_score`]).
//! The semantic comparison then decides the pair (its `verdict.model` says `semantic`).
//!
//! Each document is embedded at most once per scan: sentence vectors are cached (keyed by the
//! sentence's text, so boilerplate shared by many documents is embedded once too) and reused by
//! every later pair of the document. A budget ([`SemanticPass::max_documents`],
//! [`SemanticPass::max_time`]) bounds the cost; pairs that would need a document beyond it keep
//! their lexical verdict and are counted ([`SemanticStats::over_budget`]).
//!
//! The pass lives in [`crate::ScanOptions::semantic`], so the batch [`crate::Scanner`], the
//! [`crate::IncrementalScanner`] and every front end built on the
//! [`crate::driver::ScanDriver`] run it the same way.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use stemma_align::{AlignInput, HybridScorer, SemanticCalibration, SentenceEmbedder};
use stemma_compare::{CompareOptions, Comparer, Comparison, Document, LexicalScorer, VerdictModel};

use crate::candidates::Candidate;
use crate::index::DocId;

/// Default of [`SemanticPass::band`] (measured in `docs/notes/semantic.md`).
pub const DEFAULT_BAND: (f64, f64) = (0.2, 0.8);
/// Default of [`SemanticPass::rescue_score`].
pub const DEFAULT_RESCUE_SCORE: f32 = 0.3;
/// Default of [`SemanticPass::max_documents`].
pub const DEFAULT_MAX_DOCUMENTS: usize = 1000;

/// Settings of the semantic second pass (see the module docs).
#[derive(Clone)]
pub struct SemanticPass {
    /// The sentence encoder.
    pub embedder: Arc<dyn SentenceEmbedder>,
    /// Pairs whose lexical probability of derivation lies in `[lo, hi]` are compared again.
    /// Wider: more pairs decided semantically, more documents embedded. Default
    /// [`DEFAULT_BAND`].
    pub band: (f64, f64),
    /// A pair rejected lexically (not derived) whose candidate score
    /// ([`Candidate::score`]) is at least this is compared again whatever its probability;
    /// `None` = off. Default [`DEFAULT_RESCUE_SCORE`].
    pub rescue_score: Option<f32>,
    /// Documents embedded at most. Default [`DEFAULT_MAX_DOCUMENTS`]; 0 = no limit.
    pub max_documents: usize,
    /// Time spent in the second pass at most; `None` = no limit. Past it, pairs keep their
    /// lexical verdict.
    pub max_time: Option<Duration>,
    /// How cosines are mapped and blended ([`HybridScorer`]).
    pub calibration: SemanticCalibration,
    /// Keep one [`Reverified`] record per pair the band selects ([`SemanticStats::trace`]).
    pub trace: bool,
}

impl std::fmt::Debug for SemanticPass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SemanticPass")
            .field("embedder", &self.embedder.name())
            .field("band", &self.band)
            .field("rescue_score", &self.rescue_score)
            .field("max_documents", &self.max_documents)
            .field("max_time", &self.max_time)
            .field("calibration", &self.calibration)
            .field("trace", &self.trace)
            .finish()
    }
}

impl SemanticPass {
    /// A second pass with `embedder` and the default settings.
    pub fn new(embedder: Arc<dyn SentenceEmbedder>) -> Self {
        SemanticPass {
            embedder,
            band: DEFAULT_BAND,
            rescue_score: Some(DEFAULT_RESCUE_SCORE),
            max_documents: DEFAULT_MAX_DOCUMENTS,
            max_time: None,
            calibration: SemanticCalibration::default(),
            trace: false,
        }
    }

    /// Checks the settings: the setting's name and what is wrong.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let (lo, hi) = self.band;
        if !(0.0..=1.0).contains(&lo) || !(0.0..=1.0).contains(&hi) || lo > hi {
            return Err((
                "semantic_band",
                format!("must be two probabilities lo <= hi in [0, 1], got {lo}..{hi}"),
            ));
        }
        if let Some(r) = self.rescue_score
            && !(0.0..=2.0).contains(&r)
        {
            return Err(("semantic_rescue", format!("must be in [0, 2], got {r}")));
        }
        Ok(())
    }

    /// True when a pair compared lexically as `lexical` should be compared again.
    pub fn wants(&self, candidate: &Candidate, lexical: &Comparison) -> bool {
        if lexical.relation == stemma_compare::Relation::Duplicate {
            return false;
        }
        let p = lexical.probability;
        (self.band.0..=self.band.1).contains(&p)
            || self
                .rescue_score
                .is_some_and(|r| !lexical.relation.is_derivation() && candidate.score >= r)
    }
}

impl SemanticPass {
    /// How far a pair the pass wants lies from the lexical verdict's decision boundary
    /// ([`VerdictModel::threshold`] of the lexical model), as a fraction of the band's wider
    /// half: 0 at the boundary (a coin flip: the semantic verdict most likely differs), 1 at
    /// the band's edge; pairs outside the band (rescues) count as 1.
    pub fn doubt(&self, lexical: &Comparison) -> f64 {
        let t = VerdictModel::lexical().threshold;
        let half = (t - self.band.0).max(self.band.1 - t);
        if half <= 0.0 {
            return if lexical.probability == t { 0.0 } else { 1.0 };
        }
        ((lexical.probability - t).abs() / half).min(1.0)
    }
}

/// A pair the band selected, as the budget sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Planned {
    a: DocId,
    b: DocId,
    /// [`SemanticPass::doubt`] of the pair.
    doubt: f64,
}

/// Which of the selected pairs of a chunk are compared again.
#[derive(Debug, Default, PartialEq)]
struct Plan {
    /// Indexes into the pairs, in the order they were taken.
    chosen: Vec<usize>,
    /// Indexes of the pairs left lexical by the budget.
    left: Vec<usize>,
    /// Documents to embed for the chosen pairs.
    new_docs: Vec<DocId>,
}

/// Spends the budget most-unsure first. The pairs of each later document `b` (a chunk holds
/// the pairs of whole documents, in order of `b`) are taken in order of
/// [`SemanticPass::doubt`], smallest first. A pair whose documents are all embedded already
/// costs nothing and is always taken; one that needs new documents is taken while they fit
/// in `budget` (documents; `None` = no limit) *and* its doubt is at most what the budget
/// still allows ([`allowed_doubt`]): until [`FREE_SHARE`] of the budget is spent the whole
/// band may use it, then the band narrows towards the boundary, so the last documents of the
/// budget go to the pairs most likely to change verdict. A stream has no global order to sort
/// by, so the rule only depends on the pair and on how much was spent before it — the batch
/// and the incremental scanner, fed the same order, take the same pairs.
fn plan(pairs: &[Planned], embedded: &HashSet<DocId>, budget: Option<usize>) -> Plan {
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    order.sort_by(|&x, &y| {
        let (p, q) = (&pairs[x], &pairs[y]);
        p.b.cmp(&q.b)
            .then(p.doubt.total_cmp(&q.doubt))
            .then(x.cmp(&y))
    });
    let mut out = Plan::default();
    for k in order {
        let p = &pairs[k];
        let fresh: Vec<DocId> = [p.a, p.b]
            .into_iter()
            .filter(|d| !embedded.contains(d) && !out.new_docs.contains(d))
            .collect();
        let take = fresh.is_empty()
            || budget.is_none_or(|max| {
                let used = embedded.len() + out.new_docs.len();
                used + fresh.len() <= max && p.doubt <= allowed_doubt(used, max)
            });
        if take {
            out.new_docs.extend(fresh);
            out.chosen.push(k);
        } else {
            out.left.push(k);
        }
    }
    out
}

/// Share of the semantic budget that any pair of the band may spend (see [`plan`]).
pub const FREE_SHARE: f64 = 0.5;

/// The largest [`SemanticPass::doubt`] a pair needing new documents may have when `used` of
/// `max` documents are spent: 1 (the whole band) up to [`FREE_SHARE`] of the budget, then
/// falling linearly to 0 when the budget is spent.
fn allowed_doubt(used: usize, max: usize) -> f64 {
    let left = 1.0 - used as f64 / max.max(1) as f64;
    (left / (1.0 - FREE_SHARE)).min(1.0)
}

/// One pair compared again by the second pass: what the lexical and the semantic verdicts said.
#[derive(Debug, Clone, PartialEq)]
pub struct Reverified {
    /// Side A.
    pub a: DocId,
    /// Side B.
    pub b: DocId,
    /// Candidate score of the pair.
    pub candidate_score: f32,
    /// Lexical relation.
    pub lexical: stemma_compare::Relation,
    /// Lexical probability of derivation.
    pub lexical_probability: f64,
    /// Semantic relation (the pair's final one); `None` when the budget was spent and the
    /// pair kept its lexical verdict.
    pub semantic: Option<stemma_compare::Relation>,
    /// Semantic probability of derivation (`None` as `semantic`).
    pub semantic_probability: Option<f64>,
}

/// What the second pass did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SemanticStats {
    /// Name of the sentence encoder.
    pub model: String,
    /// Pairs compared again with the semantic layer.
    pub reverified: usize,
    /// … whose relation changed.
    pub changed: usize,
    /// … that became derived (lexically not).
    pub gained: usize,
    /// … that stopped being derived.
    pub lost: usize,
    /// Pairs the band selected that kept their lexical verdict because the budget was spent.
    pub over_budget: usize,
    /// Documents embedded.
    pub documents: usize,
    /// Distinct sentences embedded.
    pub sentences: usize,
    /// Time spent in the second pass (embedding and comparing again).
    pub time: Duration,
    /// One record per pair the band selected (compared again, or left lexical by the
    /// budget), when [`SemanticPass::trace`] is on.
    pub trace: Vec<Reverified>,
}

/// Sentence vectors by a hash of the sentence's text: a document's sentences are embedded once
/// and found again by every later comparison of it.
struct SentenceCache {
    inner: Arc<dyn SentenceEmbedder>,
    name: String,
    map: RwLock<HashMap<u64, Arc<[f32]>>>,
}

fn key(s: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(s.as_bytes())
}

impl SentenceCache {
    /// Embeds the sentences not cached yet (each distinct text once, in one call of the
    /// encoder); returns how many were embedded.
    fn fill(&self, sentences: &[&str]) -> usize {
        let mut missing: Vec<&str> = {
            let map = self.map.read().expect("sentence cache lock");
            sentences
                .iter()
                .copied()
                .filter(|s| !map.contains_key(&key(s)))
                .collect()
        };
        missing.sort_unstable();
        missing.dedup();
        if missing.is_empty() {
            return 0;
        }
        let vectors = self.inner.embed(&missing);
        let mut map = self.map.write().expect("sentence cache lock");
        for (s, v) in missing.iter().zip(vectors) {
            map.insert(key(s), v.into());
        }
        missing.len()
    }
}

impl SentenceEmbedder for SentenceCache {
    fn embed(&self, sentences: &[&str]) -> Vec<Vec<f32>> {
        self.fill(sentences);
        let map = self.map.read().expect("sentence cache lock");
        sentences
            .iter()
            .map(|s| {
                map.get(&key(s))
                    .expect("sentence embedded by fill")
                    .to_vec()
            })
            .collect()
    }
    fn name(&self) -> &str {
        &self.name
    }
}

/// The second pass of one scanner: its settings, comparer, caches and counts.
pub(crate) struct SemanticState {
    pass: SemanticPass,
    cache: Arc<SentenceCache>,
    comparer: Comparer<HybridScorer>,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    embedded: HashSet<DocId>,
    decided: HashSet<(DocId, DocId)>,
    stats: SemanticStats,
}

/// The sentences of `docs`, in order, as the aligner splits them (what the encoder embeds).
fn sentence_texts<'a>(docs: &'a [Document<'_>]) -> Vec<&'a str> {
    docs.iter()
        .flat_map(|d| {
            let input = AlignInput::new(d.text, d.prepared);
            (0..input.sentence_count()).map(move |i| input.sentence_text(i))
        })
        .collect()
}

/// A comparer scoring sentences with the pass's calibrated hybrid scorer over `embedder`.
fn semantic_comparer(
    pass: &SemanticPass,
    options: CompareOptions,
    embedder: Arc<dyn SentenceEmbedder>,
) -> Comparer<HybridScorer> {
    let mut scorer = HybridScorer::new(LexicalScorer::default(), Some(embedder));
    scorer.calibration = pass.calibration;
    Comparer::with_scorer(options, scorer)
}

impl SemanticState {
    pub(crate) fn new(pass: &SemanticPass) -> Self {
        let cache = Arc::new(SentenceCache {
            inner: pass.embedder.clone(),
            name: pass.embedder.name().to_string(),
            map: RwLock::new(HashMap::new()),
        });
        let options = CompareOptions {
            verdict: VerdictModel::semantic().clone(),
            ..CompareOptions::default()
        };
        let stats = SemanticStats {
            model: pass.embedder.name().to_string(),
            ..SemanticStats::default()
        };
        SemanticState {
            pass: pass.clone(),
            comparer: semantic_comparer(pass, options, cache.clone()),
            cache,
            inner: Mutex::new(Inner {
                stats,
                ..Inner::default()
            }),
        }
    }

    /// What the pass did so far.
    pub(crate) fn stats(&self) -> SemanticStats {
        self.inner
            .lock()
            .expect("semantic state lock")
            .stats
            .clone()
    }

    /// True when the pair `(a, b)` was decided by the second pass (a view of it must be
    /// compared semantically again).
    pub(crate) fn decided(&self, a: DocId, b: DocId) -> bool {
        let inner = self.inner.lock().expect("semantic state lock");
        inner.decided.contains(&(a, b)) || inner.decided.contains(&(b, a))
    }

    /// Compares `a` and `b` with the semantic layer (their sentences are embedded if needed).
    pub(crate) fn compare(&self, a: &Document<'_>, b: &Document<'_>) -> Comparison {
        self.comparer.compare(a, b)
    }

    /// [`plan`] for the pairs `wanted` of a chunk (indexes into `chunk`), with what is left of
    /// the budget: none once the time limit is spent.
    fn plan_chunk(
        &self,
        inner: &Inner,
        chunk: &[Candidate],
        compared: &[Comparison],
        wanted: &[usize],
    ) -> Plan {
        let out_of_time = self.pass.max_time.is_some_and(|t| inner.stats.time >= t);
        let planned: Vec<Planned> = wanted
            .iter()
            .map(|&i| Planned {
                a: chunk[i].a,
                b: chunk[i].b,
                doubt: self.pass.doubt(&compared[i]),
            })
            .collect();
        let budget = if out_of_time {
            Some(0)
        } else {
            (self.pass.max_documents > 0).then_some(self.pass.max_documents)
        };
        plan(&planned, &inner.embedded, budget)
    }

    /// The second pass over one chunk: `compared[i]` is the lexical comparison of
    /// `chunk[i]`; the pairs the band selects are compared again within the budget and their
    /// comparison replaced. `get` gives the documents of the chunk.
    pub(crate) fn second_pass<'d>(
        &self,
        chunk: &[Candidate],
        compared: &mut [Comparison],
        get: &(dyn Fn(DocId) -> Document<'d> + Sync),
    ) {
        let t0 = Instant::now();
        let mut inner = self.inner.lock().expect("semantic state lock");
        let wanted: Vec<usize> = (0..chunk.len())
            .filter(|&i| self.pass.wants(&chunk[i], &compared[i]))
            .collect();
        if wanted.is_empty() {
            return;
        }
        // Budget: most-unsure first (see `plan`).
        let p = self.plan_chunk(&inner, chunk, compared, &wanted);
        let new_docs = p.new_docs;
        let chosen: Vec<usize> = p.chosen.iter().map(|&k| wanted[k]).collect();
        for &k in &p.left {
            let i = wanted[k];
            let c = &chunk[i];
            inner.stats.over_budget += 1;
            if self.pass.trace {
                inner.stats.trace.push(Reverified {
                    a: c.a,
                    b: c.b,
                    candidate_score: c.score,
                    lexical: compared[i].relation,
                    lexical_probability: compared[i].probability,
                    semantic: None,
                    semantic_probability: None,
                });
            }
        }
        // Embed the new documents' sentences in one call (the encoder batches and
        // parallelizes them).
        let docs: Vec<Document<'d>> = new_docs.iter().map(|&d| get(d)).collect();
        let sentences = sentence_texts(&docs);
        inner.stats.sentences += self.cache.fill(&sentences);
        inner.stats.documents += new_docs.len();
        inner.embedded.extend(new_docs);
        // Compare the chosen pairs again (every sentence vector is cached now).
        let again: Vec<(usize, Comparison)> = chosen
            .par_iter()
            .map(|&i| {
                let c = &chunk[i];
                (i, self.comparer.compare(&get(c.a), &get(c.b)))
            })
            .collect();
        for (i, semantic) in again {
            let c = &chunk[i];
            let lexical = &compared[i];
            let s = &mut inner.stats;
            s.reverified += 1;
            if semantic.relation != lexical.relation {
                s.changed += 1;
            }
            match (
                lexical.relation.is_derivation(),
                semantic.relation.is_derivation(),
            ) {
                (false, true) => s.gained += 1,
                (true, false) => s.lost += 1,
                _ => {}
            }
            if self.pass.trace {
                s.trace.push(Reverified {
                    a: c.a,
                    b: c.b,
                    candidate_score: c.score,
                    lexical: lexical.relation,
                    lexical_probability: lexical.probability,
                    semantic: Some(semantic.relation),
                    semantic_probability: Some(semantic.probability),
                });
            }
            inner.decided.insert((c.a, c.b));
            compared[i] = semantic;
        }
        inner.stats.time += t0.elapsed();
    }
}

/// Sentence vectors for one check: those the scanner's cache holds, else embedded here and
/// kept only for the check (a checked document is not stored, so its sentences must not
/// grow the scanner's cache).
struct CheckCache {
    shared: Arc<SentenceCache>,
    local: RwLock<HashMap<u64, Arc<[f32]>>>,
}

impl CheckCache {
    /// Embeds the sentences neither cache holds (each distinct text once, in one call).
    fn fill(&self, sentences: &[&str]) {
        let mut missing: Vec<&str> = {
            let (shared, local) = (
                self.shared.map.read().expect("sentence cache lock"),
                self.local.read().expect("check cache lock"),
            );
            sentences
                .iter()
                .copied()
                .filter(|s| !shared.contains_key(&key(s)) && !local.contains_key(&key(s)))
                .collect()
        };
        missing.sort_unstable();
        missing.dedup();
        if missing.is_empty() {
            return;
        }
        let vectors = self.shared.inner.embed(&missing);
        let mut local = self.local.write().expect("check cache lock");
        for (s, v) in missing.iter().zip(vectors) {
            local.insert(key(s), v.into());
        }
    }
}

impl SentenceEmbedder for CheckCache {
    fn embed(&self, sentences: &[&str]) -> Vec<Vec<f32>> {
        self.fill(sentences);
        let (shared, local) = (
            self.shared.map.read().expect("sentence cache lock"),
            self.local.read().expect("check cache lock"),
        );
        sentences
            .iter()
            .map(|s| {
                let k = key(s);
                shared
                    .get(&k)
                    .or_else(|| local.get(&k))
                    .expect("sentence embedded by fill")
                    .to_vec()
            })
            .collect()
    }
    fn name(&self) -> &str {
        &self.shared.name
    }
}

impl SemanticState {
    /// The second pass for a document that is checked, not added
    /// ([`crate::IncrementalScanner::check`]): the pairs [`SemanticState::second_pass`] would
    /// compare again — the same band, within what is left of the budget — are compared again
    /// the same way, but nothing is recorded: the budget, the counts and the decided pairs are
    /// unchanged, and sentences the scanner's cache does not hold are embedded for this
    /// check only.
    pub(crate) fn check_pass<'d>(
        &self,
        chunk: &[Candidate],
        compared: &mut [Comparison],
        get: &(dyn Fn(DocId) -> Document<'d> + Sync),
    ) {
        let wanted: Vec<usize> = (0..chunk.len())
            .filter(|&i| self.pass.wants(&chunk[i], &compared[i]))
            .collect();
        if wanted.is_empty() {
            return;
        }
        // The same choice as `second_pass` (most-unsure first, see `plan`), recording nothing.
        let (chosen, new_docs) = {
            let inner = self.inner.lock().expect("semantic state lock");
            let p = self.plan_chunk(&inner, chunk, compared, &wanted);
            let chosen: Vec<usize> = p.chosen.iter().map(|&k| wanted[k]).collect();
            (chosen, p.new_docs)
        };
        let cache = Arc::new(CheckCache {
            shared: self.cache.clone(),
            local: RwLock::new(HashMap::new()),
        });
        let docs: Vec<Document<'d>> = new_docs.iter().map(|&d| get(d)).collect();
        let sentences = sentence_texts(&docs);
        cache.fill(&sentences);
        let comparer = semantic_comparer(&self.pass, self.comparer.options().clone(), cache);
        let again: Vec<(usize, Comparison)> = chosen
            .par_iter()
            .map(|&i| {
                let c = &chunk[i];
                (i, comparer.compare(&get(c.a), &get(c.b)))
            })
            .collect();
        for (i, semantic) in again {
            compared[i] = semantic;
        }
    }

    /// Records that the pair `(a, b)` was decided by the second pass (a pair restored from
    /// storage whose comparison says so), so that comparing it again uses the semantic layer.
    pub(crate) fn mark_decided(&self, a: DocId, b: DocId) {
        self.inner
            .lock()
            .expect("semantic state lock")
            .decided
            .insert((a, b));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(a: DocId, b: DocId, doubt: f64) -> Planned {
        Planned { a, b, doubt }
    }

    #[test]
    fn the_budget_goes_to_the_most_unsure_pair_of_a_document_first() {
        // Document 5's pairs: a sure-ish one first in input order, a coin flip, a middling
        // one. Two documents of budget: only the coin flip is compared again.
        let pairs = [p(0, 5, 0.9), p(1, 5, 0.05), p(2, 5, 0.5)];
        let got = plan(&pairs, &HashSet::new(), Some(2));
        assert_eq!(got.chosen, vec![1]);
        assert_eq!(got.new_docs, vec![1, 5]);
        assert_eq!(got.left, vec![2, 0]);
        // Without a limit every pair is taken, most unsure first.
        let all = plan(&pairs, &HashSet::new(), None);
        assert_eq!(all.chosen, vec![1, 2, 0]);
        assert!(all.left.is_empty());
    }

    #[test]
    fn the_band_narrows_as_the_budget_is_spent() {
        // Budget 10, one pair per document, each needing two new documents. Until half of
        // the budget is spent any pair of the band is taken; then the band narrows: with
        // 6 spent only doubts up to 0.8 pass (the 0.9 waits), with 8 spent up to 0.4.
        let pairs = [
            p(0, 1, 0.9),
            p(2, 3, 0.9),
            p(4, 5, 0.9),
            p(6, 7, 0.9),
            p(8, 9, 0.7),
            p(10, 11, 0.5),
            p(12, 13, 0.3),
        ];
        let got = plan(&pairs, &HashSet::new(), Some(10));
        assert_eq!(got.chosen, vec![0, 1, 2, 4, 6]);
        assert_eq!(got.left, vec![3, 5]);
        assert_eq!(got.new_docs.len(), 10);
        assert_eq!(allowed_doubt(0, 10), 1.0);
        assert_eq!(allowed_doubt(5, 10), 1.0);
        assert!((allowed_doubt(8, 10) - 0.4).abs() < 1e-9);
        assert_eq!(allowed_doubt(10, 10), 0.0);
        // A pair whose documents are embedded already costs nothing: always taken.
        let embedded: HashSet<DocId> = (0..9).collect();
        let free = plan(&[p(2, 3, 1.0)], &embedded, Some(10));
        assert_eq!(free.chosen, vec![0]);
        assert!(free.new_docs.is_empty());
        // Out of budget (or of time: budget 0), only free pairs.
        let none = plan(&[p(2, 3, 0.0), p(10, 11, 0.0)], &embedded, Some(0));
        assert_eq!((none.chosen, none.left), (vec![0], vec![1]));
    }
}
