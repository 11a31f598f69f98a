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

impl SemanticState {
    pub(crate) fn new(pass: &SemanticPass) -> Self {
        let cache = Arc::new(SentenceCache {
            inner: pass.embedder.clone(),
            name: pass.embedder.name().to_string(),
            map: RwLock::new(HashMap::new()),
        });
        let mut scorer = HybridScorer::new(
            LexicalScorer::default(),
            Some(cache.clone() as Arc<dyn SentenceEmbedder>),
        );
        scorer.calibration = pass.calibration;
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
            cache,
            comparer: Comparer::with_scorer(options, scorer),
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
        // Budget: documents not embedded yet are taken pair by pair while there is room.
        let out_of_time = self.pass.max_time.is_some_and(|t| inner.stats.time >= t);
        let mut new_docs: Vec<DocId> = Vec::new();
        let mut chosen: Vec<usize> = Vec::new();
        for &i in &wanted {
            let c = &chunk[i];
            let fresh: Vec<DocId> = [c.a, c.b]
                .into_iter()
                .filter(|d| !inner.embedded.contains(d) && !new_docs.contains(d))
                .collect();
            let room = self.pass.max_documents == 0
                || inner.embedded.len() + new_docs.len() + fresh.len() <= self.pass.max_documents;
            if fresh.is_empty() || (room && !out_of_time) {
                new_docs.extend(fresh);
                chosen.push(i);
            } else {
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
        }
        // Embed the new documents' sentences in one call (the encoder batches and
        // parallelizes them).
        let docs: Vec<Document<'d>> = new_docs.iter().map(|&d| get(d)).collect();
        let sentences: Vec<&str> = docs
            .iter()
            .flat_map(|d| {
                let input = AlignInput::new(d.text, d.prepared);
                (0..input.sentence_count()).map(move |i| input.sentence_text(i))
            })
            .collect();
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
        let (chosen, new_docs) = {
            let inner = self.inner.lock().expect("semantic state lock");
            let out_of_time = self.pass.max_time.is_some_and(|t| inner.stats.time >= t);
            let mut new_docs: Vec<DocId> = Vec::new();
            let mut chosen: Vec<usize> = Vec::new();
            for &i in &wanted {
                let c = &chunk[i];
                let fresh: Vec<DocId> = [c.a, c.b]
                    .into_iter()
                    .filter(|d| !inner.embedded.contains(d) && !new_docs.contains(d))
                    .collect();
                let room = self.pass.max_documents == 0
                    || inner.embedded.len() + new_docs.len() + fresh.len()
                        <= self.pass.max_documents;
                if fresh.is_empty() || (room && !out_of_time) {
                    new_docs.extend(fresh);
                    chosen.push(i);
                }
            }
            (chosen, new_docs)
        };
        let cache = Arc::new(CheckCache {
            shared: self.cache.clone(),
            local: RwLock::new(HashMap::new()),
        });
        let docs: Vec<Document<'d>> = new_docs.iter().map(|&d| get(d)).collect();
        let sentences: Vec<&str> = docs
            .iter()
            .flat_map(|d| {
                let input = AlignInput::new(d.text, d.prepared);
                (0..input.sentence_count()).map(move |i| input.sentence_text(i))
            })
            .collect();
        cache.fill(&sentences);
        let mut scorer = HybridScorer::new(
            LexicalScorer::default(),
            Some(cache as Arc<dyn SentenceEmbedder>),
        );
        scorer.calibration = self.pass.calibration;
        let comparer = Comparer::with_scorer(self.comparer.options().clone(), scorer);
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
