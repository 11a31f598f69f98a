//! One document at a time: the scanner a server or a notebook feeds as articles arrive.
//!
//! [`IncrementalScanner::add`] runs the batch pipeline's steps for one document — sketch,
//! *query then insert* into the same candidate indexes, the same pool selection, the same
//! verification with compare — and never frees the indexes, so a document added after any
//! number of queries still finds every earlier one.
//!
//! Fed a corpus in date order (undated documents last), it verifies exactly the candidate pairs
//! a batch scan of that order selects, so the pairs are the same, in the same order: a pair is
//! chosen by its later-dated document, whose pool is final once the document is added. Fed out
//! of date order, a document dated before earlier-added ones is also verified against those
//! that keep it among their best candidates; a pair verified earlier is never taken back, so
//! such a stream can hold a few pairs more than a batch scan of the same documents would.

use crate::candidates::{Candidate, CandidateFinder, CandidateStats, DocSketch, Signal, Sketcher};
use crate::family::{Family, families};
use crate::index::DocId;
use crate::store::TextStore;
use crate::{DocInfo, InputDoc, Pair, Prepared, PreparedCache, ScanError, ScanOptions, next_id};
use rayon::prelude::*;
use std::sync::Arc;
use stemma_compare::SentenceScorer;
use stemma_compare::{Comparer, Comparison, Document, LexicalScorer};

/// A scanner that takes one document at a time and answers its relations to the documents
/// added before (see the module documentation for how it matches a batch scan).
pub struct IncrementalScanner<S: SentenceScorer = LexicalScorer> {
    opts: ScanOptions,
    sketcher: Sketcher,
    finder: CandidateFinder,
    store: TextStore,
    docs: Vec<DocInfo>,
    comparer: Comparer<S>,
    semantic: Option<crate::semantic::SemanticState>,
    pairs: Vec<Pair>,
    cache: PreparedCache,
    round: usize,
    candidates: usize,
}

impl<S: SentenceScorer> std::fmt::Debug for IncrementalScanner<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IncrementalScanner")
            .field("opts", &self.opts)
            .field("docs", &self.docs.len())
            .field("pairs", &self.pairs.len())
            .finish_non_exhaustive()
    }
}

impl IncrementalScanner<LexicalScorer> {
    /// An empty scanner with the given options and the lexical sentence scorer.
    pub fn new(opts: ScanOptions) -> Self {
        IncrementalScanner::with_scorer(opts, LexicalScorer::default())
    }
}

impl<S: SentenceScorer + Sync> IncrementalScanner<S> {
    /// An empty scanner whose comparisons use `scorer`.
    pub fn with_scorer(opts: ScanOptions, scorer: S) -> Self {
        IncrementalScanner {
            sketcher: Sketcher::new(&opts.candidates),
            finder: CandidateFinder::in_memory(&opts.candidates),
            store: TextStore::new(opts.text_memory_budget),
            docs: Vec::new(),
            comparer: Comparer::with_scorer(opts.compare.clone(), scorer),
            semantic: opts
                .semantic
                .as_ref()
                .map(crate::semantic::SemanticState::new),
            pairs: Vec::new(),
            cache: PreparedCache::new(opts.prepared_cache),
            round: 0,
            candidates: 0,
            opts,
        }
    }

    /// Adds `doc` and returns its verified relations to the documents added before it (those
    /// whose relation is one of [`ScanOptions::relations`]), in order of the earlier document.
    /// Each pair is also kept for [`IncrementalScanner::pairs`].
    pub fn add(&mut self, doc: InputDoc) -> Result<Vec<Pair>, ScanError> {
        self.add_sketched(doc).map(|x| x.0)
    }

    /// [`IncrementalScanner::add`], also returning the document's sketch (what a persistent
    /// index stores to [restore](IncrementalScanner::restore) the document without
    /// sketching it again).
    pub fn add_sketched(&mut self, doc: InputDoc) -> Result<(Vec<Pair>, DocSketch), ScanError> {
        let id = next_id(&self.docs)?;
        let prepared = stemma_text::prepare(&doc.text);
        let sketch = self.sketcher.sketch(&doc.text, &prepared);
        self.store.push(&doc.text)?;
        self.finder.add(id, doc.date, &sketch);
        self.docs.push(DocInfo {
            id: doc.id,
            date: doc.date,
            source: doc.source,
            len: doc.text.len(),
            decoding: doc.decoding.map(Arc::new),
        });
        // The pairs this document takes part in: with its representative if it is an exact
        // copy, those of the pool it chose, and those it was offered to, in the pool of an earlier-read document
        // dated after it, if that pool kept it.
        let mut todo: Vec<Candidate> = self
            .finder
            .representative(id)
            .map(|r| Candidate {
                a: r,
                b: id,
                signals: Signal::Exact.bit(),
                shared_keys: 0,
                shared_bands: 0,
                score: 2.0,
            })
            .into_iter()
            .chain(self.finder.pool(id))
            .collect();
        let dated_after = |a: DocId| match (self.docs[a as usize].date, doc.date) {
            (Some(x), Some(y)) => x > y,
            _ => false,
        };
        let offered: Vec<DocId> = self
            .finder
            .last_found()
            .iter()
            .map(|c| c.a)
            .filter(|&a| dated_after(a))
            .collect();
        for a in offered {
            todo.extend(self.finder.pool(a).into_iter().filter(|c| c.b == id));
        }
        todo.sort_unstable_by_key(|c| (c.b, c.a));
        self.candidates += todo.len();
        let kept = self.verify(id, doc.text, prepared, &todo)?;
        self.pairs.extend(kept.iter().cloned());
        Ok((kept, sketch))
    }

    /// Puts back a document that an earlier scanner with the same options
    /// [added](IncrementalScanner::add_sketched), from what it returned: its sketch and its
    /// pairs (verified then, not again). Restoring every document in the order it was added
    /// rebuilds the candidate indexes and pools exactly, so later additions and checks answer
    /// as they would have in the first scanner. Returns the document's number.
    pub fn restore(
        &mut self,
        doc: InputDoc,
        sketch: &DocSketch,
        pairs: Vec<Pair>,
    ) -> Result<DocId, ScanError> {
        let id = next_id(&self.docs)?;
        self.store.push(&doc.text)?;
        self.finder.add(id, doc.date, sketch);
        self.docs.push(DocInfo {
            id: doc.id,
            date: doc.date,
            source: doc.source,
            len: doc.text.len(),
            decoding: doc.decoding.map(Arc::new),
        });
        if let Some(sem) = &self.semantic {
            // A pair the second pass decided is compared semantically again when shown.
            for p in pairs.iter().filter(|p| {
                p.comparison
                    .verdict
                    .as_ref()
                    .is_some_and(|v| v.model == stemma_compare::VerdictModel::semantic().name)
            }) {
                sem.mark_decided(p.a, p.b);
            }
        }
        self.pairs.extend(pairs);
        Ok(id)
    }

    /// The relations `doc` would get if it were [added](IncrementalScanner::add) now — the same
    /// pairs, numbered as the next document — without adding it: nothing the scanner holds
    /// changes (a query-only pass over the candidate indexes and pools, then the same
    /// verification — the semantic second pass included, within what is left of its budget,
    /// recording nothing — reading the other texts back without touching the prepared-text
    /// cache).
    pub fn check(&self, doc: InputDoc) -> Result<Vec<Pair>, ScanError> {
        let id = next_id(&self.docs)?;
        let prepared = stemma_text::prepare(&doc.text);
        let sketch = self.sketcher.sketch(&doc.text, &prepared);
        let todo = self.finder.check(id, doc.date, &sketch);
        let mut others: Vec<DocId> = todo.iter().map(|c| c.a).collect();
        others.sort_unstable();
        others.dedup();
        let store = &self.store;
        let read: Vec<(DocId, Prepared)> = others
            .par_iter()
            .map(|&d| {
                let text = store.get(d as usize)?;
                let prepared = stemma_text::prepare(&text);
                Ok((d, Prepared { text, prepared }))
            })
            .collect::<Result<_, ScanError>>()?;
        let new = Prepared {
            text: doc.text,
            prepared,
        };
        let get = |d: DocId| {
            if d == id {
                return Document::new(&new.text, &new.prepared).with_date(doc.date);
            }
            let i = read
                .binary_search_by_key(&d, |x| x.0)
                .expect("document of the pair");
            let p = &read[i].1;
            Document::new(&p.text, &p.prepared).with_date(self.docs[d as usize].date)
        };
        let comparer = &self.comparer;
        let mut compared: Vec<Comparison> = todo
            .par_iter()
            .map(|c| comparer.compare(&get(c.a), &get(c.b)))
            .collect();
        if let Some(sem) = &self.semantic {
            sem.check_pass(&todo, &mut compared, &get);
        }
        Ok(todo
            .iter()
            .zip(compared)
            .filter(|(_, comparison)| self.opts.relations.contains(&comparison.relation))
            .map(|(c, comparison)| Pair {
                a: c.a,
                b: c.b,
                signals: c.signals,
                comparison,
            })
            .collect())
    }

    /// Compares the new document `id` with the other side of each candidate, in parallel.
    fn verify(
        &mut self,
        id: DocId,
        text: String,
        prepared: stemma_text::PreparedText,
        todo: &[Candidate],
    ) -> Result<Vec<Pair>, ScanError> {
        self.round += 1;
        let round = self.round;
        let new = Arc::new(Prepared { text, prepared });
        let mut others: Vec<DocId> = todo
            .iter()
            .map(|c| if c.a == id { c.b } else { c.a })
            .collect();
        others.sort_unstable();
        others.dedup();
        let missing: Vec<DocId> = others
            .iter()
            .copied()
            .filter(|d| !self.cache.has(*d))
            .collect();
        let store = &self.store;
        let read: Vec<(DocId, Arc<Prepared>)> = missing
            .par_iter()
            .map(|&d| {
                let text = store.get(d as usize)?;
                let prepared = stemma_text::prepare(&text);
                Ok((d, Arc::new(Prepared { text, prepared })))
            })
            .collect::<Result<_, ScanError>>()?;
        for (d, p) in read {
            self.cache.insert(d, p, round);
        }
        self.cache.insert(id, new, round);
        let mut ids = others;
        ids.push(id);
        ids.sort_unstable();
        let docs: Vec<(DocId, Arc<Prepared>)> = ids
            .iter()
            .map(|&d| (d, self.cache.get(d, round).expect("prepared document")))
            .collect();
        self.cache.evict(&ids);
        let get = |d: DocId| {
            let i = docs
                .binary_search_by_key(&d, |x| x.0)
                .expect("document of the pair");
            let p = &docs[i].1;
            Document::new(&p.text, &p.prepared).with_date(self.docs[d as usize].date)
        };
        Ok(crate::verify_chunk(
            &self.comparer,
            self.semantic.as_ref(),
            &self.opts.relations,
            todo,
            &get,
        ))
    }

    /// Every pair found so far, in the order [`IncrementalScanner::add`] returned them.
    pub fn pairs(&self) -> &[Pair] {
        &self.pairs
    }

    /// The families of the pairs found so far (see [`crate::family`]).
    pub fn families(&self) -> Vec<Family> {
        let dates: Vec<Option<i64>> = self.docs.iter().map(|d| d.date).collect();
        let edges: Vec<_> = self.pairs.iter().map(Pair::edge).collect();
        families(&dates, &edges)
    }

    /// Documents added, by [`DocId`].
    pub fn docs(&self) -> &[DocInfo] {
        &self.docs
    }

    /// The text of a document.
    pub fn text(&self, doc: DocId) -> Result<String, ScanError> {
        Ok(self.store.get(doc as usize)?)
    }

    /// Compares two added documents again (e.g. to show a pair): their texts and the
    /// comparison.
    pub fn compare_pair(
        &self,
        a: DocId,
        b: DocId,
    ) -> Result<(String, String, Comparison), ScanError> {
        crate::compare_stored(
            &self.comparer,
            self.semantic.as_ref(),
            &self.store,
            &self.docs,
            None,
            a,
            b,
        )
    }

    /// What the semantic second pass did so far (`None` without one).
    pub fn semantic_stats(&self) -> Option<crate::semantic::SemanticStats> {
        self.semantic
            .as_ref()
            .map(crate::semantic::SemanticState::stats)
    }

    /// Candidate pairs verified so far.
    pub fn candidates_verified(&self) -> usize {
        self.candidates
    }

    /// Candidate counts so far.
    pub fn candidate_stats(&self) -> &CandidateStats {
        self.finder.stats()
    }

    /// The options.
    pub fn options(&self) -> &ScanOptions {
        &self.opts
    }
}
