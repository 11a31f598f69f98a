//! The scan pipeline as one call, for every front end.
//!
//! The CLI, the HTTP server and the Python package must give identical results, so none of
//! them runs the stages itself: a [`ScanDriver`] is configured through a builder that checks
//! every setting (an invalid one fails here, with the setting's name, not in each front end),
//! then [`ScanDriver::run`] reads the documents, finds candidates, verifies them and builds the
//! families, pushing what it finds to a [`Sink`] (after ripgrep's searcher and sinks): skipped
//! records, candidate pairs, verified pairs, families, progress and a final [`ScanSummary`].
//! Writers of `pairs.jsonl` / `families.jsonl` ([`JsonlSink`]), the HTML report, a server's
//! responses and Python objects ([`CollectSink`]) are sinks.
//!
//! The driver is generic over the sentence scorer of the verification (any
//! `S: SentenceScorer + Sync`, [`LexicalScorer`] by default): a semantic scorer plugs in with
//! [`ScanDriverBuilder::scorer`] and nothing else changes. [`ScanDriver::incremental`] gives the
//! same configuration as an [`IncrementalScanner`] (one document at a time).

use crate::candidates::{
    Candidate, CandidateOptions, CandidateStats, DEFAULT_LSH_THRESHOLD, LshParams, Signal,
};
use crate::family::{Family, PairEdge, families};
use crate::index::DocId;
use crate::output::{CandidateLine, Detail, FamilyLine, PairLine, SkippedLine, write_line};
use crate::semantic::SemanticPass;
use crate::{
    DEFAULT_PREPARED_CACHE, DocInfo, IncrementalScanner, InputDoc, Pair, ScanError, ScanOptions,
    Scanner, VERIFY_CHUNK,
};
use std::io::Write;
use std::time::{Duration, Instant};
use stemma_compare::{CompareOptions, Comparison, LexicalScorer, Relation, SentenceScorer};
use stemma_corpus::Skipped;

/// What a [`Sink`] may fail with (any error; the driver stops and returns it as
/// [`ScanError::Sink`]).
pub type SinkError = Box<dyn std::error::Error + Send + Sync>;

/// What a sink may look at during a scan: the documents read so far and their texts.
pub trait ScanView: Sync {
    /// Documents, by [`DocId`].
    fn docs(&self) -> &[DocInfo];
    /// The text of a document.
    fn text(&self, doc: DocId) -> Result<String, ScanError>;
    /// Compares two documents again (e.g. for a side-by-side view): both texts and the
    /// comparison, as verification made it.
    fn compare_pair(&self, a: DocId, b: DocId) -> Result<(String, String, Comparison), ScanError>;
}

impl<S: SentenceScorer + Sync> ScanView for Scanner<S> {
    fn docs(&self) -> &[DocInfo] {
        Scanner::docs(self)
    }
    fn text(&self, doc: DocId) -> Result<String, ScanError> {
        Scanner::text(self, doc)
    }
    fn compare_pair(&self, a: DocId, b: DocId) -> Result<(String, String, Comparison), ScanError> {
        Scanner::compare_pair(self, a, b)
    }
}

impl<S: SentenceScorer + Sync> ScanView for IncrementalScanner<S> {
    fn docs(&self) -> &[DocInfo] {
        IncrementalScanner::docs(self)
    }
    fn text(&self, doc: DocId) -> Result<String, ScanError> {
        IncrementalScanner::text(self, doc)
    }
    fn compare_pair(&self, a: DocId, b: DocId) -> Result<(String, String, Comparison), ScanError> {
        IncrementalScanner::compare_pair(self, a, b)
    }
}

/// How far a scan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Documents read and sketched so far, and candidate pairs selected so far.
    Read {
        /// Documents read.
        documents: usize,
        /// Candidate pairs selected so far.
        candidates: usize,
    },
    /// Candidate pairs verified so far, of `total`, and pairs kept.
    Verify {
        /// Pairs verified.
        done: usize,
        /// Pairs to verify.
        total: usize,
        /// Pairs kept (a relation asked for).
        pairs: usize,
    },
    /// Every pair is verified; families are being built.
    Families,
}

/// Receives what a scan finds, in this order: [`Sink::skipped`] and [`Sink::progress`] while
/// reading; [`Sink::candidates`] once; [`Sink::pair`] for every kept pair (ordered by the
/// later-read document, then the earlier); [`Sink::families`] once; [`Sink::finish`]. Only
/// `pair` must be written; the rest ignore their event by default. An error stops the scan.
pub trait Sink {
    /// A record that could not be read.
    fn skipped(&mut self, skipped: &Skipped) -> Result<(), SinkError> {
        let _ = skipped;
        Ok(())
    }

    /// How far the scan is (called often: keep it cheap).
    fn progress(&mut self, progress: Progress) {
        let _ = progress;
    }

    /// Candidate generation ended: every candidate pair (sorted by `(a, b)`), before
    /// verification.
    fn candidates(
        &mut self,
        scan: &dyn ScanView,
        candidates: &[Candidate],
    ) -> Result<(), SinkError> {
        let _ = (scan, candidates);
        Ok(())
    }

    /// A verified pair whose relation was asked for.
    fn pair(&mut self, scan: &dyn ScanView, pair: &Pair) -> Result<(), SinkError>;

    /// The families (largest first), and every kept pair as an edge (in the order of
    /// [`Sink::pair`]).
    fn families(
        &mut self,
        scan: &dyn ScanView,
        families: &[Family],
        pairs: &[PairEdge],
    ) -> Result<(), SinkError> {
        let _ = (scan, families, pairs);
        Ok(())
    }

    /// The scan ended.
    fn finish(&mut self, scan: &dyn ScanView, summary: &ScanSummary) -> Result<(), SinkError> {
        let _ = (scan, summary);
        Ok(())
    }
}

impl<T: Sink + ?Sized> Sink for &mut T {
    fn skipped(&mut self, skipped: &Skipped) -> Result<(), SinkError> {
        (**self).skipped(skipped)
    }
    fn progress(&mut self, progress: Progress) {
        (**self).progress(progress)
    }
    fn candidates(
        &mut self,
        scan: &dyn ScanView,
        candidates: &[Candidate],
    ) -> Result<(), SinkError> {
        (**self).candidates(scan, candidates)
    }
    fn pair(&mut self, scan: &dyn ScanView, pair: &Pair) -> Result<(), SinkError> {
        (**self).pair(scan, pair)
    }
    fn families(
        &mut self,
        scan: &dyn ScanView,
        families: &[Family],
        pairs: &[PairEdge],
    ) -> Result<(), SinkError> {
        (**self).families(scan, families, pairs)
    }
    fn finish(&mut self, scan: &dyn ScanView, summary: &ScanSummary) -> Result<(), SinkError> {
        (**self).finish(scan, summary)
    }
}

/// What a scan did, in numbers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScanSummary {
    /// Documents read.
    pub documents: usize,
    /// Records skipped.
    pub skipped: usize,
    /// Candidate counts.
    pub candidates: CandidateStats,
    /// False when the driver stopped after candidate generation ([`ScanDriverBuilder::verify`]).
    pub verified: bool,
    /// Kept pairs per relation (strongest relation first).
    pub by_relation: Vec<(Relation, usize)>,
    /// Families.
    pub families: usize,
    /// Members of the largest family.
    pub largest_family: usize,
    /// Derivation relations that are not tree edges (see [`crate::family`]).
    pub links: usize,
    /// Keys and postings per candidate index (exact, minhash, passage).
    pub index_sizes: [(usize, usize); 3],
    /// Approximate heap bytes of the candidate indexes.
    pub index_bytes: usize,
    /// Bytes of text read.
    pub text_bytes: usize,
    /// True when the texts went to a temporary file.
    pub spilled: bool,
    /// Documents prepared again by verification.
    pub prepared: usize,
    /// Reading, sketching and candidate generation.
    pub time_candidates: Duration,
    /// Verification (the semantic second pass included).
    pub time_verify: Duration,
    /// What the semantic second pass did (`None` when it was off).
    pub semantic: Option<crate::semantic::SemanticStats>,
    /// Families.
    pub time_families: Duration,
}

impl ScanSummary {
    /// Kept pairs.
    pub fn pairs(&self) -> usize {
        self.by_relation.iter().map(|x| x.1).sum()
    }
}

/// Settings of a [`ScanDriver`], checked by [`ScanDriverBuilder::build`]. Every setting says
/// its default and what moving it trades.
#[derive(Debug, Clone)]
pub struct ScanDriverBuilder<S = LexicalScorer> {
    settings: Settings,
    scorer: S,
}

/// The settings of a [`ScanDriverBuilder`] but its scorer (so that changing the scorer's type
/// moves them in one piece).
#[derive(Debug, Clone)]
struct Settings {
    relations: Vec<Relation>,
    signals: Vec<Signal>,
    num_perm: usize,
    threshold: Option<f64>,
    bands: Option<usize>,
    rows: Option<usize>,
    ngram: usize,
    passage_anchors: usize,
    passage_sample: u64,
    min_shared_keys: u32,
    min_shared_fraction: f64,
    max_candidates: usize,
    max_per_cluster: usize,
    min_score: f32,
    redundancy: f32,
    collapse_exact: bool,
    passage_df_cap: usize,
    batch_size: usize,
    text_memory_budget: usize,
    prepared_cache: usize,
    verify_chunk: usize,
    verify: bool,
    semantic: Option<SemanticPass>,
    compare: CompareOptions,
}

impl Default for ScanDriverBuilder<LexicalScorer> {
    fn default() -> Self {
        let c = CandidateOptions::default();
        let o = ScanOptions::default();
        ScanDriverBuilder {
            settings: Settings {
                relations: o.relations,
                signals: c.signals,
                num_perm: c.num_perm,
                threshold: None,
                bands: None,
                rows: None,
                ngram: c.ngram,
                passage_anchors: c.passage.per_sentence,
                passage_sample: c.passage.sample,
                min_shared_keys: c.min_shared_keys,
                min_shared_fraction: c.min_shared_fraction,
                max_candidates: c.max_candidates,
                max_per_cluster: c.max_per_cluster,
                min_score: c.min_score,
                redundancy: c.redundancy,
                collapse_exact: c.collapse_exact,
                passage_df_cap: c.passage_df_cap,
                batch_size: DEFAULT_BATCH,
                text_memory_budget: o.text_memory_budget,
                prepared_cache: DEFAULT_PREPARED_CACHE,
                verify_chunk: VERIFY_CHUNK,
                verify: true,
                semantic: None,
                compare: CompareOptions::default(),
            },
            scorer: LexicalScorer::default(),
        }
    }
}

/// Default of [`ScanDriverBuilder::batch_size`].
pub const DEFAULT_BATCH: usize = 2000;

fn invalid(option: &'static str, reason: impl Into<String>) -> ScanError {
    ScanError::Invalid {
        option,
        reason: reason.into(),
    }
}

impl<S> ScanDriverBuilder<S> {
    /// Relations kept after verification. Default: `duplicate`, `near-duplicate`, `rewrite`,
    /// `partial` (every derivation). Adding `same-story` also reports independent coverage
    /// of one event (more pairs, none of them copies). Must not be empty or hold `unrelated`.
    pub fn relations(mut self, relations: impl IntoIterator<Item = Relation>) -> Self {
        self.settings.relations = relations.into_iter().collect();
        self
    }

    /// Candidate signals. Default: all three (`exact`, `minhash`, `passage`). Dropping
    /// `passage` makes candidate generation several times cheaper but misses reworded
    /// rewrites and partial reuse; dropping `minhash` loses little (passage keys find most
    /// near-duplicates too). Must not be empty.
    pub fn signals(mut self, signals: impl IntoIterator<Item = Signal>) -> Self {
        self.settings.signals = signals.into_iter().collect();
        self
    }

    /// MinHash permutations. Default 128. More: finer Jaccard estimates and more memory per
    /// document (4 bytes each, kept only while sketching). At least 1; raised to
    /// `bands × rows` when both are given.
    pub fn num_perm(mut self, num_perm: usize) -> Self {
        self.settings.num_perm = num_perm;
        self
    }

    /// Jaccard similarity the LSH banding aims at. Default 0.5: low, because verification
    /// decides; higher means fewer MinHash candidates and fewer near-duplicates found by
    /// MinHash alone. In `(0, 1)`; ignored when [`Self::lsh_bands`] or [`Self::lsh_rows`] is
    /// set.
    pub fn lsh_threshold(mut self, threshold: f64) -> Self {
        self.settings.threshold = Some(threshold);
        self
    }

    /// LSH bands (default: derived from the threshold). More bands: more recall, more
    /// candidates. With only bands set, rows are `num_perm / bands`.
    pub fn lsh_bands(mut self, bands: usize) -> Self {
        self.settings.bands = Some(bands);
        self
    }

    /// LSH rows per band (default: derived from the threshold). More rows: fewer, more
    /// similar candidates. With only rows set, bands are `num_perm / rows`.
    pub fn lsh_rows(mut self, rows: usize) -> Self {
        self.settings.rows = Some(rows);
        self
    }

    /// Words per MinHash shingle. Default 5. Smaller: more tolerant of edits, more chance
    /// collisions. At least 1.
    pub fn ngram(mut self, ngram: usize) -> Self {
        self.settings.ngram = ngram;
        self
    }

    /// Anchors (content stems, names, numbers) kept per sentence for passage keys. Default
    /// 4. More: more keys per sentence, a reworded sentence keeps a key more often, the
    /// passage index grows quadratically. At least 2 (a key pairs two anchors).
    pub fn passage_anchors(mut self, anchors: usize) -> Self {
        self.settings.passage_anchors = anchors;
        self
    }

    /// Keep one passage key in N. Default 1 (all). Larger saves index memory on huge
    /// corpora and loses short partial reuse first. At least 1.
    pub fn passage_sample(mut self, one_in: u64) -> Self {
        self.settings.passage_sample = one_in;
        self
    }

    /// Distinct passage keys two documents must share to become a candidate. Default 2.
    /// Higher: fewer candidates, short reused passages missed. At least 1.
    pub fn min_shared_keys(mut self, keys: u32) -> Self {
        self.settings.min_shared_keys = keys;
        self
    }

    /// Fraction of the smaller document's passage keys two documents must share. Default
    /// 0.1: on the generated 10k corpus it cuts candidates from 18.3 to 3.5 per document and
    /// keeps 99.7% of rewrites and 94% of partial reuse. In `[0, 1]`.
    pub fn min_shared_fraction(mut self, fraction: f64) -> Self {
        self.settings.min_shared_fraction = fraction;
        self
    }

    /// Candidates verified per document: its best-scored earlier documents. Default 10;
    /// 0 = all. The cap keeps verification linear in the corpus size; raising it finds more
    /// sources of heavily copied stories at a cost in verification time.
    pub fn max_candidates(mut self, k: usize) -> Self {
        self.settings.max_candidates = k;
        self
    }

    /// Candidates kept per document from one cluster of mutually similar earlier documents
    /// (variants of one story). Default 3; 0 = no limit. Leaves room for the other stories a
    /// document borrows from.
    pub fn max_per_cluster(mut self, m: usize) -> Self {
        self.settings.max_per_cluster = m;
        self
    }

    /// Candidates scoring below this (shared LSH bands / passage keys, `[0, 1]`) are not
    /// verified. Default 0 (off); 0.15 saves 20–40% of the verification on generated
    /// corpora and loses 5–7% of partial reuse.
    pub fn min_score(mut self, score: f32) -> Self {
        self.settings.min_score = score;
        self
    }

    /// A candidate is not verified when less than this fraction of the passage keys it shares
    /// with the document is new (not shared with a better candidate already kept). Default
    /// 0.2; 0 = off (more verification, sibling copies of one source all verified). In
    /// `[0, 1]`.
    pub fn redundancy(mut self, fraction: f32) -> Self {
        self.settings.redundancy = fraction;
        self
    }

    /// Collapse exact duplicates: a group of `n` copies gives `n - 1` `duplicate` pairs with
    /// its first document, not `n(n-1)/2`. Default true; false compares every copy with its
    /// other candidates too.
    pub fn collapse_exact(mut self, collapse: bool) -> Self {
        self.settings.collapse_exact = collapse;
        self
    }

    /// Passage keys found in more documents than this are ignored (templated text). Default
    /// 64. Higher: more candidates from boilerplate. At least 1.
    pub fn passage_df_cap(mut self, cap: usize) -> Self {
        self.settings.passage_df_cap = cap;
        self
    }

    /// Documents sketched per parallel batch. Default 2000. Larger: better parallelism,
    /// more memory held by texts waiting to be sketched. At least 1.
    pub fn batch_size(mut self, docs: usize) -> Self {
        self.settings.batch_size = docs;
        self
    }

    /// Bytes of text kept in memory before spilling to a temporary file. Default 256 MiB.
    pub fn text_memory_budget(mut self, bytes: usize) -> Self {
        self.settings.text_memory_budget = bytes;
        self
    }

    /// Prepared documents kept between verification chunks. Default 6000 (about 30–60 KB
    /// each for news); 0 prepares a document again in every chunk that needs it.
    pub fn prepared_cache(mut self, docs: usize) -> Self {
        self.settings.prepared_cache = docs;
        self
    }

    /// Candidate pairs verified together (one parallel step). Default 1024. Larger: better
    /// parallelism, more prepared documents in memory. At least 1.
    pub fn verify_chunk(mut self, pairs: usize) -> Self {
        self.settings.verify_chunk = pairs;
        self
    }

    /// Verify candidates and build families. Default true; false stops after candidate
    /// generation (to measure candidate recall apart from verification).
    pub fn verify(mut self, verify: bool) -> Self {
        self.settings.verify = verify;
        self
    }

    /// The semantic second pass of verification ([`crate::semantic`]): pairs the lexical
    /// verdict is unsure about are compared again with sentence embeddings, within a budget.
    /// Default `None` (lexical only). More pairs re-verified cost about a millisecond of one
    /// core per token of every newly embedded document.
    pub fn semantic(mut self, pass: Option<SemanticPass>) -> Self {
        self.settings.semantic = pass;
        self
    }

    /// Settings of the comparison that verifies candidates. Default:
    /// [`CompareOptions::default`] (the verdict model fitted on lexical alignments); a
    /// semantic scorer wants the verdict model fitted for it
    /// (`VerdictModel::semantic()`), as `stemma compare` picks.
    pub fn compare_options(mut self, options: CompareOptions) -> Self {
        self.settings.compare = options;
        self
    }

    /// The sentence scorer of the verification. Default: [`LexicalScorer`].
    pub fn scorer<T: SentenceScorer + Sync>(self, scorer: T) -> ScanDriverBuilder<T> {
        ScanDriverBuilder {
            settings: self.settings,
            scorer,
        }
    }

    /// Checks every setting; the first one out of range is the error
    /// ([`ScanError::Invalid`], naming the setting).
    pub fn build(self) -> Result<ScanDriver<S>, ScanError>
    where
        S: SentenceScorer + Sync,
    {
        let mut relations = Vec::new();
        for r in self.settings.relations {
            if r == Relation::Unrelated {
                return Err(invalid(
                    "relations",
                    "`unrelated` is not a relation to keep",
                ));
            }
            if !relations.contains(&r) {
                relations.push(r);
            }
        }
        if relations.is_empty() {
            return Err(invalid("relations", "no relation to keep"));
        }
        let mut signals = Vec::new();
        for s in self.settings.signals {
            if !signals.contains(&s) {
                signals.push(s);
            }
        }
        if signals.is_empty() {
            return Err(invalid("signals", "no candidate signal"));
        }
        let positive = |option: &'static str, v: u64| {
            if v == 0 {
                Err(invalid(option, "must be at least 1"))
            } else {
                Ok(())
            }
        };
        positive("num_perm", self.settings.num_perm as u64)?;
        positive("ngram", self.settings.ngram as u64)?;
        positive("passage_sample", self.settings.passage_sample)?;
        positive("min_shared_keys", self.settings.min_shared_keys as u64)?;
        positive("passage_df_cap", self.settings.passage_df_cap as u64)?;
        positive("batch_size", self.settings.batch_size as u64)?;
        positive("verify_chunk", self.settings.verify_chunk as u64)?;
        if self.settings.passage_anchors < 2 {
            return Err(invalid("passage_anchors", "must be at least 2"));
        }
        let unit = |option: &'static str, v: f64| {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(invalid(option, format!("must be in [0, 1], got {v}")))
            }
        };
        unit("min_shared_fraction", self.settings.min_shared_fraction)?;
        unit("min_score", self.settings.min_score as f64)?;
        unit("redundancy", self.settings.redundancy as f64)?;
        if let Some(pass) = &self.settings.semantic {
            pass.validate()
                .map_err(|(option, reason)| invalid(option, reason))?;
        }
        let threshold = self.settings.threshold.unwrap_or(DEFAULT_LSH_THRESHOLD);
        if !(threshold > 0.0 && threshold < 1.0) {
            return Err(invalid(
                "lsh_threshold",
                format!("must be in (0, 1), got {threshold}"),
            ));
        }
        let mut num_perm = self.settings.num_perm;
        let lsh = match (self.settings.bands, self.settings.rows) {
            (Some(b), Some(r)) => {
                num_perm = num_perm.max(b.saturating_mul(r));
                LshParams::new(b, r, num_perm)
                    .ok_or_else(|| invalid("lsh_bands", "bands and rows must be positive"))?
            }
            (Some(b), None) => LshParams::new(b, num_perm / b.max(1), num_perm)
                .ok_or_else(|| invalid("lsh_bands", "must be between 1 and num_perm"))?,
            (None, Some(r)) => LshParams::new(num_perm / r.max(1), r, num_perm)
                .ok_or_else(|| invalid("lsh_rows", "must be between 1 and num_perm"))?,
            (None, None) => LshParams::for_threshold(threshold, num_perm),
        };
        let mut candidates = CandidateOptions {
            ngram: self.settings.ngram,
            num_perm,
            lsh,
            signals,
            min_shared_keys: self.settings.min_shared_keys,
            min_shared_fraction: self.settings.min_shared_fraction,
            passage_df_cap: self.settings.passage_df_cap,
            max_candidates: self.settings.max_candidates,
            collapse_exact: self.settings.collapse_exact,
            max_per_cluster: self.settings.max_per_cluster,
            min_score: self.settings.min_score,
            redundancy: self.settings.redundancy,
            ..CandidateOptions::default()
        };
        candidates.passage.per_sentence = self.settings.passage_anchors;
        candidates.passage.sample = self.settings.passage_sample;
        Ok(ScanDriver {
            opts: ScanOptions {
                candidates,
                relations,
                text_memory_budget: self.settings.text_memory_budget,
                prepared_cache: self.settings.prepared_cache,
                verify_chunk: self.settings.verify_chunk,
                semantic: self.settings.semantic,
                compare: self.settings.compare,
            },
            batch_size: self.settings.batch_size,
            verify: self.settings.verify,
            scorer: self.scorer,
        })
    }
}

/// A checked scan configuration; [`ScanDriver::run`] runs it over a corpus.
#[derive(Debug, Clone)]
pub struct ScanDriver<S = LexicalScorer> {
    opts: ScanOptions,
    batch_size: usize,
    verify: bool,
    scorer: S,
}

impl ScanDriver<LexicalScorer> {
    /// The settings, all at their defaults (see each method of [`ScanDriverBuilder`]).
    pub fn builder() -> ScanDriverBuilder<LexicalScorer> {
        ScanDriverBuilder::default()
    }
}

impl<S: SentenceScorer + Sync> ScanDriver<S> {
    /// The scanner options the settings give.
    pub fn options(&self) -> &ScanOptions {
        &self.opts
    }

    /// The same configuration as an [`IncrementalScanner`] (documents one at a time).
    pub fn incremental(self) -> IncrementalScanner<S> {
        IncrementalScanner::with_scorer(self.opts, self.scorer)
    }

    /// Scans `docs` (documents in reading order, or records that could not be read), pushing
    /// what it finds to `sink` (see [`Sink`] for the order of the events). Returns the
    /// summary also given to [`Sink::finish`].
    pub fn run<I, K>(self, docs: I, sink: &mut K) -> Result<ScanSummary, ScanError>
    where
        I: IntoIterator<Item = Result<InputDoc, Skipped>>,
        K: Sink + ?Sized,
    {
        let t0 = Instant::now();
        let mut scanner = Scanner::with_scorer(self.opts, self.scorer);
        let mut summary = ScanSummary::default();
        let mut batch = Vec::with_capacity(self.batch_size);
        let mut read = 0usize;
        let mut flush = |scanner: &mut Scanner<S>,
                         batch: &mut Vec<InputDoc>,
                         sink: &mut K|
         -> Result<(), ScanError> {
            read += batch.len();
            let candidates = scanner.add_batch(std::mem::take(batch))?;
            sink.progress(Progress::Read {
                documents: read,
                candidates,
            });
            Ok(())
        };
        for item in docs {
            match item {
                Ok(doc) => {
                    batch.push(doc);
                    if batch.len() >= self.batch_size {
                        flush(&mut scanner, &mut batch, sink)?;
                    }
                }
                Err(s) => {
                    summary.skipped += 1;
                    sink.skipped(&s).map_err(ScanError::Sink)?;
                }
            }
        }
        flush(&mut scanner, &mut batch, sink)?;
        scanner.finish_candidates()?;
        summary.time_candidates = t0.elapsed();
        summary.documents = scanner.docs().len();
        sink.candidates(&scanner, scanner.candidates())
            .map_err(ScanError::Sink)?;
        if self.verify {
            let t1 = Instant::now();
            let total = scanner.candidates().len();
            let mut edges: Vec<PairEdge> = Vec::new();
            let mut by_relation: Vec<(Relation, usize)> = Vec::new();
            scanner.verify_with(|scan, kept, done| {
                for p in &kept {
                    edges.push(p.edge());
                    match by_relation
                        .iter_mut()
                        .find(|(r, _)| *r == p.comparison.relation)
                    {
                        Some(x) => x.1 += 1,
                        None => by_relation.push((p.comparison.relation, 1)),
                    }
                    sink.pair(scan, p).map_err(ScanError::Sink)?;
                }
                sink.progress(Progress::Verify {
                    done,
                    total,
                    pairs: edges.len(),
                });
                Ok(())
            })?;
            by_relation.sort();
            summary.by_relation = by_relation;
            summary.time_verify = t1.elapsed();
            let t2 = Instant::now();
            sink.progress(Progress::Families);
            let dates: Vec<Option<i64>> = scanner.docs().iter().map(|d| d.date).collect();
            let fams = families(&dates, &edges);
            summary.families = fams.len();
            summary.largest_family = fams.first().map_or(0, |f| f.members.len());
            let derivations = edges.iter().filter(|e| e.relation.is_derivation()).count();
            summary.links = derivations - fams.iter().map(|f| f.edges.len()).sum::<usize>();
            summary.time_families = t2.elapsed();
            sink.families(&scanner, &fams, &edges)
                .map_err(ScanError::Sink)?;
            summary.verified = true;
        }
        summary.candidates = scanner.candidate_stats().clone();
        let (sizes, bytes) = scanner.index_sizes();
        summary.index_sizes = sizes;
        summary.index_bytes = bytes;
        summary.text_bytes = scanner.docs().iter().map(|d| d.len).sum();
        summary.spilled = scanner.store().spilled();
        summary.prepared = scanner.prepared_count();
        summary.semantic = scanner.semantic_stats();
        sink.finish(&scanner, &summary).map_err(ScanError::Sink)?;
        Ok(summary)
    }
}

/// A sink writing the JSON lines files: `pairs.jsonl` in the chosen [`Detail`], and, when
/// given, `families.jsonl`, `candidates.jsonl` and `skipped.jsonl` (see
/// `docs/scan-output.md`). Writers are flushed at [`Sink::finish`].
#[derive(Debug)]
pub struct JsonlSink<W: Write> {
    /// `pairs.jsonl`.
    pub pairs: Option<W>,
    /// `families.jsonl`.
    pub families: Option<W>,
    /// `candidates.jsonl`.
    pub candidates: Option<W>,
    /// `skipped.jsonl`.
    pub skipped: Option<W>,
    /// Detail of the pairs.
    pub detail: Detail,
}

impl<W: Write> JsonlSink<W> {
    /// A sink writing pairs only, in full detail.
    pub fn new(pairs: W) -> Self {
        JsonlSink {
            pairs: Some(pairs),
            families: None,
            candidates: None,
            skipped: None,
            detail: Detail::Full,
        }
    }
}

impl<W: Write> Sink for JsonlSink<W> {
    fn skipped(&mut self, skipped: &Skipped) -> Result<(), SinkError> {
        if let Some(w) = &mut self.skipped {
            write_line(w, &SkippedLine::new(skipped))?;
        }
        Ok(())
    }

    fn candidates(
        &mut self,
        scan: &dyn ScanView,
        candidates: &[Candidate],
    ) -> Result<(), SinkError> {
        if let Some(w) = &mut self.candidates {
            for c in candidates {
                write_line(w, &CandidateLine::new(scan.docs(), c))?;
            }
            w.flush()?;
        }
        Ok(())
    }

    fn pair(&mut self, scan: &dyn ScanView, pair: &Pair) -> Result<(), SinkError> {
        if let Some(w) = &mut self.pairs {
            write_line(w, &PairLine::new(scan.docs(), pair, self.detail))?;
        }
        Ok(())
    }

    fn families(
        &mut self,
        scan: &dyn ScanView,
        families: &[Family],
        _pairs: &[PairEdge],
    ) -> Result<(), SinkError> {
        if let Some(w) = &mut self.families {
            for i in 0..families.len() {
                write_line(w, &FamilyLine::new(scan.docs(), families, i))?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, _scan: &dyn ScanView, _summary: &ScanSummary) -> Result<(), SinkError> {
        for w in [
            &mut self.pairs,
            &mut self.families,
            &mut self.candidates,
            &mut self.skipped,
        ]
        .into_iter()
        .flatten()
        {
            w.flush()?;
        }
        Ok(())
    }
}

/// A sink that keeps everything in memory: for tests, notebooks and bindings.
#[derive(Debug, Default, Clone)]
pub struct CollectSink {
    /// Records skipped.
    pub skipped: Vec<Skipped>,
    /// Kept pairs, in the order found.
    pub pairs: Vec<Pair>,
    /// Families, largest first.
    pub families: Vec<Family>,
    /// Documents, by [`DocId`] (filled at the end).
    pub docs: Vec<DocInfo>,
}

impl Sink for CollectSink {
    fn skipped(&mut self, skipped: &Skipped) -> Result<(), SinkError> {
        self.skipped.push(skipped.clone());
        Ok(())
    }
    fn pair(&mut self, _scan: &dyn ScanView, pair: &Pair) -> Result<(), SinkError> {
        self.pairs.push(pair.clone());
        Ok(())
    }
    fn families(
        &mut self,
        _scan: &dyn ScanView,
        families: &[Family],
        _pairs: &[PairEdge],
    ) -> Result<(), SinkError> {
        self.families = families.to_vec();
        Ok(())
    }
    fn finish(&mut self, scan: &dyn ScanView, _summary: &ScanSummary) -> Result<(), SinkError> {
        self.docs = scan.docs().to_vec();
        Ok(())
    }
}

/// Documents from corpus records: the date field read by the shared date rule
/// ([`crate::date::parse_date`]); a record's headline (`Record::title`) becomes the first
/// paragraph of its document — `title + "\n\n" + text`, so a JSONL record's spans count from
/// the start of the headline —; a text file's decoding (`Record::decoded`) is kept, so pair
/// lines give that document's spans in the file's original bytes.
pub fn input_docs<I>(records: I) -> impl Iterator<Item = Result<InputDoc, Skipped>>
where
    I: IntoIterator<Item = Result<stemma_corpus::Record, Skipped>>,
{
    records.into_iter().map(|r| {
        r.map(|rec| InputDoc {
            date: rec.date.as_deref().and_then(crate::date::parse_date),
            id: rec.id,
            text: match rec.title {
                Some(title) if rec.decoded.is_none() => format!("{}\n\n{}", title.trim(), rec.text),
                _ => rec.text,
            },
            source: rec.source,
            decoding: rec.decoded,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidates::{DEFAULT_MAX_CANDIDATES, DEFAULT_MAX_PER_CLUSTER, DEFAULT_REDUNDANCY};

    #[test]
    fn invalid_settings_fail_with_their_name() {
        let name = |b: ScanDriverBuilder| match b.build() {
            Err(ScanError::Invalid { option, .. }) => option,
            other => panic!("expected an invalid setting, got {other:?}"),
        };
        let b = ScanDriver::builder;
        assert_eq!(name(b().relations([])), "relations");
        assert_eq!(name(b().relations([Relation::Unrelated])), "relations");
        assert_eq!(name(b().signals([])), "signals");
        assert_eq!(name(b().num_perm(0)), "num_perm");
        assert_eq!(name(b().ngram(0)), "ngram");
        assert_eq!(name(b().passage_anchors(1)), "passage_anchors");
        assert_eq!(name(b().min_shared_fraction(1.5)), "min_shared_fraction");
        assert_eq!(name(b().min_score(-0.1)), "min_score");
        assert_eq!(name(b().redundancy(f32::NAN)), "redundancy");
        assert_eq!(name(b().lsh_threshold(1.0)), "lsh_threshold");
        assert_eq!(name(b().lsh_bands(500)), "lsh_bands");
        assert_eq!(name(b().batch_size(0)), "batch_size");
        assert_eq!(name(b().verify_chunk(0)), "verify_chunk");
        assert_eq!(name(b().passage_df_cap(0)), "passage_df_cap");
    }

    #[test]
    fn a_headline_is_the_first_paragraph_of_the_document() {
        let rec = |title: Option<&str>| stemma_corpus::Record {
            id: "x".into(),
            text: "Body text.".into(),
            date: Some("2020-01-02".into()),
            source: None,
            title: title.map(str::to_string),
            origin: stemma_corpus::Origin {
                file: "c.jsonl".into(),
                line: 1,
            },
            raw: None,
            decoded: None,
        };
        let docs: Vec<InputDoc> = input_docs([Ok(rec(Some(" HEADLINE "))), Ok(rec(None))])
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(docs[0].text, "HEADLINE\n\nBody text.");
        assert_eq!(docs[1].text, "Body text.");
        assert!(docs[0].date.is_some());
    }

    #[test]
    fn defaults_are_the_scanner_defaults() {
        let d = ScanDriver::builder().build().unwrap();
        let (o, def) = (d.options(), ScanOptions::default());
        assert_eq!(o.relations, def.relations);
        assert_eq!(o.candidates.lsh, def.candidates.lsh);
        assert_eq!(o.candidates.max_candidates, DEFAULT_MAX_CANDIDATES);
        assert_eq!(o.candidates.max_per_cluster, DEFAULT_MAX_PER_CLUSTER);
        assert_eq!(o.candidates.redundancy, DEFAULT_REDUNDANCY);
        assert_eq!(o.verify_chunk, def.verify_chunk);
        // Bands and rows both given raise num_perm to fit them.
        let d = ScanDriver::builder()
            .lsh_bands(20)
            .lsh_rows(8)
            .build()
            .unwrap();
        assert_eq!(d.options().candidates.num_perm, 160);
        assert_eq!(d.options().candidates.lsh.bands, 20);
    }

    #[test]
    fn compare_options_reach_the_scanners() {
        // The lexical verdict model by default; the one a front end picks for its scorer
        // otherwise, in the batch and the incremental scanner alike.
        let d = ScanDriver::builder().build().unwrap();
        assert_eq!(d.options().compare.verdict.name, "lexical");
        let d = ScanDriver::builder()
            .compare_options(CompareOptions::for_scorer(true))
            .build()
            .unwrap();
        assert_eq!(d.options().compare.verdict.name, "semantic");
        assert_eq!(d.incremental().options().compare.verdict.name, "semantic");
    }
}
