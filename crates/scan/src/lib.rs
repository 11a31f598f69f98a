//! `stemma scan`: every reuse relation in a corpus, without comparing all pairs.
//!
//! A scan runs in three stages:
//!
//! 1. **Sketch** ([`Scanner::add_batch`]): each document is prepared once (in parallel, by
//!    batch), reduced to `u64` keys for three candidate signals ([`candidates`]), and its text
//!    is appended to a compact [`store::TextStore`] (memory up to a budget, then a temporary
//!    file). The prepared text is dropped right away, so memory holds only keys, postings and
//!    `(offset, length)` per document.
//! 2. **Candidates**: each document queries the [`index`] for earlier documents sharing keys,
//!    then is inserted (*query, then insert* — the same loop a persistent, incremental index
//!    would run for a stream of new articles).
//! 3. **Verify** ([`Scanner::verify`]): every candidate pair is re-prepared and compared with
//!    `stemma_compare` (in parallel); relations the caller asked for are kept. [`family`] then
//!    hangs each copy on its best source: derivation trees rooted at originals.
//!
//! Front ends (the CLI, a server, the Python package) do not run these stages themselves:
//! [`driver::ScanDriver`] checks the settings and runs the whole pipeline, pushing skipped
//! records, pairs, families and progress to a [`driver::Sink`]; [`IncrementalScanner`] takes
//! one document at a time and answers its relations to the documents before it, with the same
//! pairs a batch scan of the same corpus (read in date order) gives.

#![warn(missing_docs)]

pub mod candidates;
pub mod date;
pub mod dedup;
pub mod driver;
pub mod family;
mod incremental;
pub mod index;
pub mod lsh;
pub mod output;
pub mod semantic;
pub mod shard;
pub mod store;
pub mod unionfind;

pub use driver::{Progress, ScanDriver, ScanDriverBuilder, ScanSummary, ScanView, Sink, SinkError};
pub use incremental::IncrementalScanner;
pub use stemma_compare::LexicalScorer;
pub use stemma_compare::SentenceScorer;
pub use stemma_corpus::Decoding;

use candidates::{
    Candidate, CandidateFinder, CandidateOptions, CandidateStats, DocSketch, Sketcher,
};
use index::DocId;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;
use stemma_compare::{CompareOptions, Comparer, Comparison, Document, HeadlineWords, Relation};
use store::{StoreError, TextStore};

/// Settings of a scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Candidate generation.
    pub candidates: CandidateOptions,
    /// Relations kept after verification.
    pub relations: Vec<Relation>,
    /// Bytes of text kept in memory before spilling to a temporary file.
    pub text_memory_budget: usize,
    /// Prepared documents kept between verification chunks (see [`Scanner::verify`]); about
    /// 30–60 KB each for news articles.
    pub prepared_cache: usize,
    /// Candidate pairs verified together (one parallel step; memory holds their prepared
    /// documents); a chunk is extended to the last pair of its last later document.
    pub verify_chunk: usize,
    /// The semantic second pass of verification ([`semantic`]); `None` = lexical only.
    pub semantic: Option<semantic::SemanticPass>,
    /// Settings of the comparison that verifies candidates (e.g. the verdict model fitted
    /// for the sentence scorer in use).
    pub compare: CompareOptions,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            candidates: CandidateOptions::default(),
            relations: vec![
                Relation::Duplicate,
                Relation::NearDuplicate,
                Relation::Rewrite,
                Relation::Partial,
            ],
            text_memory_budget: 256 << 20,
            prepared_cache: DEFAULT_PREPARED_CACHE,
            verify_chunk: VERIFY_CHUNK,
            semantic: None,
            compare: CompareOptions::default(),
        }
    }
}

/// A document given to the scanner.
#[derive(Debug, Clone)]
pub struct InputDoc {
    /// User-visible id.
    pub id: String,
    /// The text.
    pub text: String,
    /// Publication time (seconds since the Unix epoch), if known.
    pub date: Option<i64>,
    /// Publisher, if known.
    pub source: Option<String>,
    /// How the text was decoded when its file was not plain UTF-8 (`Record::decoded` of
    /// `stemma_corpus`): the encoding and the map from offsets in `text` back to the file's
    /// bytes. `None` when `text` is the input itself (UTF-8 files, JSONL text fields).
    pub decoding: Option<Decoding>,
}

/// What the scanner remembers of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocInfo {
    /// User-visible id.
    pub id: String,
    /// Publication time, if known.
    pub date: Option<i64>,
    /// Publisher, if known.
    pub source: Option<String>,
    /// Length of the text in bytes.
    pub len: usize,
    /// How the text was decoded ([`InputDoc::decoding`]): pair lines map this side's spans
    /// back to the file's bytes with it ([`output::PairLine`]).
    pub decoding: Option<Arc<Decoding>>,
}

/// Error of a scan.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The text store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A setting of [`driver::ScanDriverBuilder`] is out of its range.
    #[error("invalid scan setting `{option}`: {reason}")]
    Invalid {
        /// The setting (the builder method's name).
        option: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A [`driver::Sink`] failed (e.g. could not write its file).
    #[error("{0}")]
    Sink(driver::SinkError),
    /// Documents were added after [`Scanner::verify`] freed the candidate indexes (use an
    /// [`IncrementalScanner`] to keep adding after a verification).
    #[error(
        "documents added after verification would find no candidate (the batch scanner freed its indexes; use IncrementalScanner)"
    )]
    IndexReleased,
    /// More documents than a scan can number.
    #[error("too many documents (more than {max})")]
    TooManyDocuments {
        /// The limit.
        max: u64,
    },
}

/// A verified pair: two documents and how they relate.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// Side A of the comparison (read first).
    pub a: DocId,
    /// Side B.
    pub b: DocId,
    /// Candidate signals that proposed the pair ([`candidates::Signal::bit`] set).
    pub signals: u8,
    /// The comparison.
    pub comparison: Comparison,
}

impl Pair {
    /// The edge [`family::families`] needs.
    pub fn edge(&self) -> family::PairEdge {
        let c = &self.comparison;
        family::PairEdge {
            a: self.a,
            b: self.b,
            relation: c.relation,
            score: c.score,
            source: c.direction.source,
            confidence: c.direction.confidence,
        }
    }
}

/// A streaming corpus scanner (the batch pipeline; see [`IncrementalScanner`] for one
/// document at a time). Generic over the sentence scorer of its comparisons.
pub struct Scanner<S: SentenceScorer = LexicalScorer> {
    opts: ScanOptions,
    finder: CandidateFinder,
    sketcher: Sketcher,
    store: TextStore,
    docs: Vec<DocInfo>,
    candidates: Vec<Candidate>,
    /// Counts of the candidates in `candidates` (once finished).
    stats: Option<CandidateStats>,
    comparer: Comparer<S>,
    semantic: Option<semantic::SemanticState>,
    prepared_count: usize,
    released: Option<Released>,
    /// The last batch, sketched, not yet in the index (see [`Scanner::add_batch`]).
    pending: Vec<(InputDoc, DocSketch)>,
    /// Headline word counts of the documents read (the template rule's frame words, see
    /// [`HeadlineWords`]).
    headlines: HeadlineWords,
}

impl<S: SentenceScorer> std::fmt::Debug for Scanner<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner")
            .field("opts", &self.opts)
            .field("docs", &self.docs.len())
            .field("candidates", &self.candidates.len())
            .field("released", &self.released.is_some())
            .finish_non_exhaustive()
    }
}

/// The number the next document gets, if there is one.
fn next_id(docs: &[DocInfo]) -> Result<DocId, ScanError> {
    DocId::try_from(docs.len())
        .ok()
        .filter(|&i| i <= index::MAX_DOC)
        .ok_or(ScanError::TooManyDocuments {
            max: index::MAX_DOC as u64 + 1,
        })
}

/// Numbers the sketched documents, stores their texts and runs them through the index.
fn insert_sketched(
    finder: &mut CandidateFinder,
    store: &mut TextStore,
    docs: &mut Vec<DocInfo>,
    batch: Vec<(InputDoc, DocSketch)>,
) -> Result<(), ScanError> {
    for (d, sk) in batch {
        let id = next_id(docs)?;
        store.push(&d.text)?;
        finder.add(id, d.date, &sk);
        docs.push(DocInfo {
            id: d.id,
            date: d.date,
            source: d.source,
            len: d.text.len(),
            decoding: d.decoding.map(Arc::new),
        });
    }
    Ok(())
}

/// What is kept of the candidate indexes once verification freed them.
#[derive(Debug)]
struct Released {
    sizes: [(usize, usize); 3],
    heap_bytes: usize,
}

impl Scanner<LexicalScorer> {
    /// A scanner with the given options and the lexical sentence scorer.
    pub fn new(opts: ScanOptions) -> Self {
        Scanner::with_scorer(opts, LexicalScorer::default())
    }
}

impl<S: SentenceScorer + Sync> Scanner<S> {
    /// A scanner with the given options whose comparisons use `scorer`.
    pub fn with_scorer(opts: ScanOptions, scorer: S) -> Self {
        Scanner {
            finder: CandidateFinder::in_memory(&opts.candidates),
            sketcher: Sketcher::new(&opts.candidates),
            store: TextStore::new(opts.text_memory_budget),
            docs: Vec::new(),
            candidates: Vec::new(),
            stats: None,
            comparer: Comparer::with_scorer(opts.compare.clone(), scorer),
            semantic: opts.semantic.as_ref().map(semantic::SemanticState::new),
            prepared_count: 0,
            released: None,
            pending: Vec::new(),
            headlines: HeadlineWords::new(),
            opts,
        }
    }

    /// Sketches a batch of documents in parallel and finds their candidates among every
    /// document added before (including earlier ones of the same batch); see
    /// [`CandidateFinder::add`] for which pairs are kept. A batch enters the index while the
    /// next one is sketched: [`Scanner::docs`] lags one batch behind until
    /// [`Scanner::finish_candidates`]. Returns the number of candidate pairs selected so far
    /// ([`Scanner::selected`]).
    /// Fails with [`ScanError::IndexReleased`] after [`Scanner::verify`].
    pub fn add_batch(&mut self, batch: Vec<InputDoc>) -> Result<usize, ScanError> {
        if self.released.is_some() {
            return Err(ScanError::IndexReleased);
        }
        // Pipelined: this batch is sketched (in parallel) while the previous one, already
        // sketched, goes through the index (serial) — the index loop would otherwise leave
        // a core idle.
        let pending = std::mem::take(&mut self.pending);
        let Scanner {
            sketcher,
            finder,
            store,
            docs,
            ..
        } = self;
        let (sketches, inserted) = rayon::join(
            || {
                batch
                    .par_iter()
                    .map(|d| {
                        let p = stemma_text::prepare(&d.text);
                        (sketcher.sketch(&d.text, &p), HeadlineWords::words(&p))
                    })
                    .collect::<Vec<_>>()
            },
            || insert_sketched(finder, store, docs, pending),
        );
        inserted?;
        let mut sketched = Vec::with_capacity(sketches.len());
        for (sk, words) in sketches {
            self.headlines.add(words);
            sketched.push(sk);
        }
        self.pending = batch.into_iter().zip(sketched).collect();
        Ok(self.finder.selected())
    }

    /// Candidate pairs selected so far (they may still be replaced by better ones until the
    /// last batch is added).
    pub fn selected(&self) -> usize {
        self.finder.selected()
    }

    /// Ends candidate generation: the selected pairs move to [`Scanner::candidates`] (sorted
    /// by `(a, b)`). [`Scanner::verify`] calls it; call it earlier to look at the candidates.
    pub fn finish_candidates(&mut self) -> Result<&[Candidate], ScanError> {
        let pending = std::mem::take(&mut self.pending);
        insert_sketched(&mut self.finder, &mut self.store, &mut self.docs, pending)?;
        let more = self.finder.finish();
        if self.candidates.is_empty() {
            self.candidates = more;
        } else {
            self.candidates.extend(more);
            self.candidates.sort_unstable_by_key(|c| (c.a, c.b));
        }
        // The finder counts the pairs of its last `finish` only: count them all here.
        let mut stats = self.finder.stats().clone();
        let count = |s: candidates::Signal| self.candidates.iter().filter(|c| c.has(s)).count();
        stats.pairs = self.candidates.len();
        stats.exact = count(candidates::Signal::Exact);
        stats.minhash = count(candidates::Signal::MinHash);
        stats.passage = count(candidates::Signal::Passage);
        self.stats = Some(stats);
        Ok(&self.candidates)
    }

    /// Documents added, by [`DocId`].
    pub fn docs(&self) -> &[DocInfo] {
        &self.docs
    }

    /// Candidate pairs, once [`Scanner::finish_candidates`] (or [`Scanner::verify`]) ran.
    pub fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }

    /// Candidate counts: final once [`Scanner::finish_candidates`] ran, so far before.
    pub fn candidate_stats(&self) -> &CandidateStats {
        self.stats.as_ref().unwrap_or(self.finder.stats())
    }

    /// Keys and postings of the candidate indexes per signal (exact, minhash, passage) and
    /// their approximate heap bytes — as they were before [`Scanner::verify`] freed them.
    pub fn index_sizes(&self) -> ([(usize, usize); 3], usize) {
        match &self.released {
            Some(r) => (r.sizes, r.heap_bytes),
            None => (self.finder.index_sizes(), self.finder.heap_bytes()),
        }
    }

    /// The text store.
    pub fn store(&self) -> &TextStore {
        &self.store
    }

    /// The text of a document.
    pub fn text(&self, doc: DocId) -> Result<String, ScanError> {
        Ok(self.store.get(doc as usize)?)
    }

    /// The options.
    pub fn options(&self) -> &ScanOptions {
        &self.opts
    }

    /// The comparer (its sentence scorer) of the verification.
    pub fn comparer(&self) -> &Comparer<S> {
        &self.comparer
    }

    /// Compares two documents again (e.g. to show a pair): their texts and the comparison.
    pub fn compare_pair(
        &self,
        a: DocId,
        b: DocId,
    ) -> Result<(String, String, Comparison), ScanError> {
        compare_stored(
            &self.comparer,
            self.semantic.as_ref(),
            &self.store,
            &self.docs,
            Some(&self.headlines),
            a,
            b,
        )
    }

    /// What the semantic second pass did so far (`None` without one).
    pub fn semantic_stats(&self) -> Option<semantic::SemanticStats> {
        self.semantic.as_ref().map(semantic::SemanticState::stats)
    }

    /// Verifies every candidate pair with compare, in parallel, handing kept pairs to `sink`
    /// chunk by chunk (in order of the later-read document `b`, then `a`). Ends candidate
    /// generation and frees the candidate indexes ([`Scanner::add_batch`] fails afterwards; an
    /// [`IncrementalScanner`] keeps them). `progress` gets the
    /// number of pairs verified after each chunk.
    ///
    /// Candidates are taken in chunks of [`ScanOptions::verify_chunk`] pairs in order of `b`: the documents
    /// of a chunk are read back and prepared (in parallel) unless a recent chunk prepared them
    /// already — a copy usually follows its source closely in a corpus (a news stream, a
    /// shuffled generated set), so the prepared texts of the last documents used are kept, up
    /// to [`ScanOptions::prepared_cache`] of them — then every pair of the chunk is compared
    /// (in parallel).
    pub fn verify(
        &mut self,
        mut sink: impl FnMut(Vec<Pair>),
        mut progress: impl FnMut(usize),
    ) -> Result<(), ScanError> {
        self.verify_with(|_, kept, done| {
            sink(kept);
            progress(done);
            Ok(())
        })
    }

    /// [`Scanner::verify`] with one callback that gets the scanner (its documents and texts),
    /// the kept pairs of a chunk and the number of pairs verified so far, and may fail (the
    /// error stops the verification and is returned).
    pub fn verify_with(
        &mut self,
        mut each: impl FnMut(&Self, Vec<Pair>, usize) -> Result<(), ScanError>,
    ) -> Result<(), ScanError> {
        self.finish_candidates()?;
        // The indexes are not needed any more: their memory goes to verification.
        if self.released.is_none() {
            self.released = Some(Released {
                sizes: self.finder.index_sizes(),
                heap_bytes: self.finder.heap_bytes(),
            });
            self.finder = CandidateFinder::in_memory(&self.opts.candidates);
        }
        let mut order: Vec<Candidate> = self.candidates.clone();
        order.sort_unstable_by_key(|c| (c.b, c.a));
        let mut cache = PreparedCache::new(self.opts.prepared_cache);
        let mut done = 0;
        let mut prepared_count = 0;
        let this = &*self;
        for (round, chunk) in by_later_document(&order, self.opts.verify_chunk).enumerate() {
            let mut ids: Vec<DocId> = chunk.iter().flat_map(|c| [c.a, c.b]).collect();
            ids.sort_unstable();
            ids.dedup();
            let missing: Vec<DocId> = ids.iter().copied().filter(|d| !cache.has(*d)).collect();
            let prepared: Vec<(DocId, Arc<Prepared>)> = missing
                .par_iter()
                .map(|&d| {
                    let text = this.text(d)?;
                    let prepared = stemma_text::prepare(&text);
                    Ok((d, Arc::new(Prepared { text, prepared })))
                })
                .collect::<Result<_, ScanError>>()?;
            prepared_count += prepared.len();
            for (d, p) in prepared {
                cache.insert(d, p, round);
            }
            let docs: Vec<(DocId, Arc<Prepared>)> = ids
                .iter()
                .map(|&d| {
                    (
                        d,
                        cache.get(d, round).expect("prepared document of the chunk"),
                    )
                })
                .collect();
            cache.evict(&ids);
            let get = |d: DocId| {
                let i = docs
                    .binary_search_by_key(&d, |x| x.0)
                    .expect("document of the chunk");
                let p = &docs[i].1;
                Document::new(&p.text, &p.prepared)
                    .with_date(this.docs[d as usize].date)
                    .with_headlines(Some(&this.headlines))
            };
            let kept = verify_chunk(
                &this.comparer,
                this.semantic.as_ref(),
                &this.opts.relations,
                chunk,
                &get,
            );
            done += chunk.len();
            each(this, kept, done)?;
        }
        self.prepared_count += prepared_count;
        Ok(())
    }

    /// Documents prepared (read back and run through `stemma_text::prepare`) by
    /// [`Scanner::verify`] so far; compare with the number of distinct documents in the
    /// candidates to see what the cache saved.
    pub fn prepared_count(&self) -> usize {
        self.prepared_count
    }
}

/// `order` (sorted by `b`) cut into chunks of at least `n` pairs (the last may be smaller)
/// that never split the pairs of one later document `b`: the semantic pass orders a
/// document's pairs among themselves ([`semantic`]), as the [`IncrementalScanner`] does with
/// the pairs of the document it adds.
fn by_later_document(order: &[Candidate], n: usize) -> impl Iterator<Item = &[Candidate]> {
    let mut rest = order;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = n.max(1).min(rest.len());
        while end < rest.len() && rest[end].b == rest[end - 1].b {
            end += 1;
        }
        let (chunk, tail) = rest.split_at(end);
        rest = tail;
        Some(chunk)
    })
}

/// Compares every candidate pair of a chunk (in parallel), lets the semantic second pass
/// compare the unsure ones again, and keeps the pairs whose relation was asked for.
fn verify_chunk<'d, S: SentenceScorer + Sync>(
    comparer: &Comparer<S>,
    semantic: Option<&semantic::SemanticState>,
    relations: &[Relation],
    chunk: &[Candidate],
    get: &(dyn Fn(DocId) -> Document<'d> + Sync),
) -> Vec<Pair> {
    let mut compared: Vec<Comparison> = chunk
        .par_iter()
        .map(|c| comparer.compare(&get(c.a), &get(c.b)))
        .collect();
    if let Some(sem) = semantic {
        sem.second_pass(chunk, &mut compared, get);
    }
    chunk
        .iter()
        .zip(compared)
        .filter(|(_, comparison)| relations.contains(&comparison.relation))
        .map(|(c, comparison)| Pair {
            a: c.a,
            b: c.b,
            signals: c.signals,
            comparison,
        })
        .collect()
}

/// Reads two stored documents back and compares them: their texts and the comparison (with
/// the semantic layer when the second pass decided the pair).
fn compare_stored<S: SentenceScorer>(
    comparer: &Comparer<S>,
    semantic: Option<&semantic::SemanticState>,
    store: &TextStore,
    docs: &[DocInfo],
    headlines: Option<&HeadlineWords>,
    a: DocId,
    b: DocId,
) -> Result<(String, String, Comparison), ScanError> {
    let (ta, tb) = (store.get(a as usize)?, store.get(b as usize)?);
    let (pa, pb) = (stemma_text::prepare(&ta), stemma_text::prepare(&tb));
    let date = |d: DocId| docs.get(d as usize).and_then(|x| x.date);
    let (da, db) = (
        Document::new(&ta, &pa)
            .with_date(date(a))
            .with_headlines(headlines),
        Document::new(&tb, &pb)
            .with_date(date(b))
            .with_headlines(headlines),
    );
    let cmp = match semantic {
        Some(sem) if sem.decided(a, b) => sem.compare(&da, &db),
        _ => comparer.compare(&da, &db),
    };
    Ok((ta, tb, cmp))
}

/// A document's text and its preparation, shared by the pairs of a chunk.
#[derive(Debug)]
pub(crate) struct Prepared {
    text: String,
    prepared: stemma_text::PreparedText,
}

/// The prepared texts of the documents used last (least recently used evicted first).
pub(crate) struct PreparedCache {
    cap: usize,
    map: HashMap<DocId, (Arc<Prepared>, usize)>,
}

impl PreparedCache {
    fn new(cap: usize) -> Self {
        PreparedCache {
            cap,
            map: HashMap::new(),
        }
    }

    fn has(&self, d: DocId) -> bool {
        self.map.contains_key(&d)
    }

    fn insert(&mut self, d: DocId, p: Arc<Prepared>, round: usize) {
        self.map.insert(d, (p, round));
    }

    fn get(&mut self, d: DocId, round: usize) -> Option<Arc<Prepared>> {
        self.map.get_mut(&d).map(|e| {
            e.1 = round;
            e.0.clone()
        })
    }

    /// Drops the least recently used entries beyond the capacity (never those of `keep`, the
    /// current chunk's).
    fn evict(&mut self, keep: &[DocId]) {
        let limit = self.cap.max(keep.len());
        if self.map.len() <= limit {
            return;
        }
        let mut by_age: Vec<(usize, DocId)> = self.map.iter().map(|(d, e)| (e.1, *d)).collect();
        by_age.sort_unstable();
        let excess = self.map.len() - limit;
        for &(_, d) in by_age
            .iter()
            .filter(|x| keep.binary_search(&x.1).is_err())
            .take(excess)
        {
            self.map.remove(&d);
        }
    }
}

/// Default of [`ScanOptions::prepared_cache`].
pub const DEFAULT_PREPARED_CACHE: usize = 6_000;

/// Default of [`ScanOptions::verify_chunk`].
pub const VERIFY_CHUNK: usize = 1024;

#[cfg(test)]
mod tests {
    use super::*;

    /// Three invented stories, each with a source and two reworded copies, read interleaved.
    fn corpus() -> Vec<InputDoc> {
        let stories = [
            [
                "The harbour bridge of Brackenford opened on Monday after 14 months of work. Mayor Ilse Varnholt cut the ribbon. Traffic on the old ferry fell by half within a day.",
                "After 14 months of work, the Brackenford harbour bridge opened on Monday. Mayor Ilse Varnholt cut the ribbon. Within a day, traffic on the old ferry fell by half.",
                "Brackenford's harbour bridge opened Monday after 14 months of construction. Mayor Ilse Varnholt cut the ribbon, and old ferry traffic fell by half within a day.",
            ],
            [
                "Quessadine Foods will close its Tarrow plant in March, cutting 230 jobs. The company blamed falling demand for tinned fish. Unions called the decision a betrayal.",
                "Quessadine Foods is to shut its Tarrow plant in March with the loss of 230 jobs. The firm blamed weaker demand for tinned fish. Unions called it a betrayal.",
                "The Tarrow plant of Quessadine Foods closes in March and 230 jobs go. Falling demand for tinned fish was blamed by the company. Unions spoke of a betrayal.",
            ],
            [
                "Heavy rain flooded 40 homes in Orravik overnight, the fire service said. Crews pumped water from cellars until dawn. No one was hurt.",
                "Overnight heavy rain flooded 40 homes in Orravik, according to the fire service. Crews pumped water out of cellars until dawn. Nobody was injured.",
                "Forty homes in Orravik were flooded by heavy overnight rain, the fire service said, and crews pumped cellars dry until dawn. No one was hurt.",
            ],
        ];
        let mut out = Vec::new();
        for v in 0..3 {
            for (s, story) in stories.iter().enumerate() {
                out.push(InputDoc {
                    id: format!("s{s}v{v}"),
                    text: story[v].to_string(),
                    date: None,
                    source: None,
                    decoding: None,
                });
            }
        }
        out
    }

    /// Kept pairs (by id), documents prepared, documents a chunk needs summed over the chunks.
    fn verified(cache: usize) -> (Vec<(String, String, Relation)>, usize, usize) {
        let opts = ScanOptions {
            prepared_cache: cache,
            // One later document's pairs per chunk, so that documents are needed again in
            // later chunks.
            verify_chunk: 1,
            ..ScanOptions::default()
        };
        let mut scanner = Scanner::new(opts);
        scanner.add_batch(corpus()).unwrap();
        assert!(scanner.docs().is_empty(), "inserted one batch behind");
        let mut got = Vec::new();
        scanner
            .verify(
                |kept| got.extend(kept.into_iter().map(|v| (v.a, v.b, v.comparison.relation))),
                |_| {},
            )
            .unwrap();
        let docs = scanner.docs();
        let mut named: Vec<_> = got
            .into_iter()
            .map(|(a, b, r)| (docs[a as usize].id.clone(), docs[b as usize].id.clone(), r))
            .collect();
        named.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
        // A chunk holds the pairs of one later document: its earlier documents and itself.
        let mut later: Vec<DocId> = scanner.candidates().iter().map(|c| c.b).collect();
        later.sort_unstable();
        later.dedup();
        let needed = scanner.candidates().len() + later.len();
        (named, scanner.prepared_count(), needed)
    }

    #[test]
    fn the_prepared_cache_saves_work_and_changes_no_result() {
        let (with, prepared_with, needed) = verified(100);
        let (without, prepared_without, _) = verified(0);
        assert_eq!(with, without);
        // Both copies of the first two stories are found with their source (v0), and nothing
        // across stories (the third story's short versions are not related enough to count).
        for s in ["s0", "s1"] {
            for v in ["v1", "v2"] {
                let (a, b) = (format!("{s}v0"), format!("{s}{v}"));
                assert!(
                    with.iter().any(|x| x.0 == a && x.1 == b),
                    "{a} {b}: {with:?}"
                );
            }
        }
        assert!(with.iter().all(|(a, b, _)| a[..2] == b[..2]), "{with:?}");
        // With room for every document each is prepared once; without a cache, once per
        // chunk it appears in.
        assert_eq!(prepared_with, 9);
        assert_eq!(prepared_without, needed);
        assert!(prepared_with < prepared_without);
    }

    #[test]
    fn a_small_cache_evicts_the_least_recently_used() {
        let mk = |d: DocId| {
            Arc::new(Prepared {
                text: format!("doc {d}"),
                prepared: stemma_text::prepare("doc"),
            })
        };
        let mut cache = PreparedCache::new(2);
        cache.insert(1, mk(1), 0);
        cache.insert(2, mk(2), 1);
        assert!(cache.get(1, 2).is_some()); // 1 used again: 2 is now the oldest
        cache.insert(3, mk(3), 3);
        cache.evict(&[3]);
        assert!(cache.has(1) && cache.has(3) && !cache.has(2));
        // Never evicts the current chunk's documents, even beyond the capacity.
        cache.insert(4, mk(4), 4);
        cache.insert(5, mk(5), 4);
        cache.evict(&[1, 3, 4, 5]);
        assert_eq!(cache.map.len(), 4);
    }
}
