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
//!    groups derivations into story families with a derivation graph.

#![warn(missing_docs)]

pub mod candidates;
pub mod dedup;
pub mod family;
pub mod index;
pub mod store;

use candidates::{Candidate, CandidateFinder, CandidateOptions, CandidateStats, Sketcher};
use index::DocId;
use rayon::prelude::*;
use stemma_compare::{Comparer, Comparison, Document, Relation};
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
}

/// Error of a scan.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The text store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// More documents than a scan can number.
    #[error("too many documents (more than {max})")]
    TooManyDocuments {
        /// The limit.
        max: u64,
    },
}

/// A verified pair.
#[derive(Debug, Clone)]
pub struct Verified {
    /// Side A of the comparison (read first).
    pub a: DocId,
    /// Side B.
    pub b: DocId,
    /// Candidate signals that proposed the pair ([`candidates::Signal::bit`] set).
    pub signals: u8,
    /// The comparison.
    pub comparison: Comparison,
}

/// A streaming corpus scanner.
#[derive(Debug)]
pub struct Scanner {
    opts: ScanOptions,
    finder: CandidateFinder,
    sketcher: Sketcher,
    store: TextStore,
    docs: Vec<DocInfo>,
    candidates: Vec<Candidate>,
    comparer: Comparer,
}

impl Scanner {
    /// A scanner with the given options.
    pub fn new(opts: ScanOptions) -> Self {
        Scanner {
            finder: CandidateFinder::in_memory(&opts.candidates),
            sketcher: Sketcher::new(&opts.candidates),
            store: TextStore::new(opts.text_memory_budget),
            docs: Vec::new(),
            candidates: Vec::new(),
            comparer: Comparer::default(),
            opts,
        }
    }

    /// Sketches a batch of documents in parallel and finds their candidates among every
    /// document added so far (including earlier ones of the same batch). Returns the number of
    /// new candidate pairs.
    pub fn add_batch(&mut self, batch: Vec<InputDoc>) -> Result<usize, ScanError> {
        let sk = &self.sketcher;
        let sketches: Vec<_> = batch
            .par_iter()
            .map(|d| sk.sketch(&d.text, &stemma_text::prepare(&d.text)))
            .collect();
        let before = self.candidates.len();
        for (d, sk) in batch.into_iter().zip(sketches) {
            let id = DocId::try_from(self.docs.len())
                .ok()
                .filter(|&i| i <= index::MAX_DOC)
                .ok_or(ScanError::TooManyDocuments {
                    max: index::MAX_DOC as u64 + 1,
                })?;
            self.store.push(&d.text)?;
            self.finder.add(id, &sk, &mut self.candidates);
            self.docs.push(DocInfo {
                id: d.id,
                date: d.date,
                source: d.source,
                len: d.text.len(),
            });
        }
        Ok(self.candidates.len() - before)
    }

    /// Documents added, by [`DocId`].
    pub fn docs(&self) -> &[DocInfo] {
        &self.docs
    }

    /// Candidate pairs found so far.
    pub fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }

    /// Candidate counts.
    pub fn candidate_stats(&self) -> &CandidateStats {
        self.finder.stats()
    }

    /// The candidate finder (index sizes, memory).
    pub fn finder(&self) -> &CandidateFinder {
        &self.finder
    }

    /// The text store.
    pub fn store(&self) -> &TextStore {
        &self.store
    }

    /// The text of a document.
    pub fn text(&self, doc: DocId) -> Result<String, ScanError> {
        Ok(self.store.get(doc as usize)?)
    }

    /// Compares two documents again (e.g. to show a pair): their texts and the comparison.
    pub fn compare_pair(
        &self,
        a: DocId,
        b: DocId,
    ) -> Result<(String, String, Comparison), ScanError> {
        let (ta, tb) = (self.text(a)?, self.text(b)?);
        let (pa, pb) = (stemma_text::prepare(&ta), stemma_text::prepare(&tb));
        let date = |d: DocId| self.docs.get(d as usize).and_then(|x| x.date);
        let cmp = self.comparer.compare(
            &Document::new(&ta, &pa).with_date(date(a)),
            &Document::new(&tb, &pb).with_date(date(b)),
        );
        Ok((ta, tb, cmp))
    }

    /// Verifies every candidate pair with compare, in parallel, handing kept pairs to `sink`
    /// chunk by chunk (in candidate order: by A, then B). `progress` gets the number of pairs
    /// verified after each chunk.
    ///
    /// Candidates are taken in chunks of [`VERIFY_CHUNK`] pairs: the distinct documents of a
    /// chunk are read back and prepared once each (in parallel), then every pair of the chunk
    /// is compared (in parallel). Memory holds the prepared texts of one chunk only.
    pub fn verify(
        &mut self,
        mut sink: impl FnMut(Vec<Verified>),
        mut progress: impl FnMut(usize),
    ) -> Result<(), ScanError> {
        self.candidates.sort_unstable_by_key(|c| (c.a, c.b));
        let mut done = 0;
        for chunk in self.candidates.chunks(VERIFY_CHUNK) {
            let mut ids: Vec<DocId> = chunk.iter().flat_map(|c| [c.a, c.b]).collect();
            ids.sort_unstable();
            ids.dedup();
            let prepared: Vec<(String, stemma_text::PreparedText)> = ids
                .par_iter()
                .map(|&d| {
                    let t = self.text(d)?;
                    let p = stemma_text::prepare(&t);
                    Ok((t, p))
                })
                .collect::<Result<_, ScanError>>()?;
            let get = |d: DocId| {
                let i = ids.binary_search(&d).expect("document of the chunk");
                let (t, p) = &prepared[i];
                Document::new(t, p).with_date(self.docs[d as usize].date)
            };
            let kept: Vec<Verified> = chunk
                .par_iter()
                .filter_map(|c| {
                    let comparison = self.comparer.compare(&get(c.a), &get(c.b));
                    self.opts
                        .relations
                        .contains(&comparison.relation)
                        .then_some(Verified {
                            a: c.a,
                            b: c.b,
                            signals: c.signals,
                            comparison,
                        })
                })
                .collect();
            done += chunk.len();
            sink(kept);
            progress(done);
        }
        Ok(())
    }
}

/// Candidate pairs verified together (their documents are prepared once per chunk).
pub const VERIFY_CHUNK: usize = 1024;
