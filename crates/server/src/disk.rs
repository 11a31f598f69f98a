//! [`crate::Backend`] for the persistent on-disk index (`stemma_index::DiskIndex`): what
//! `stemma serve --index DIR` serves. The same answers as [`crate::MemoryBackend`] (both are
//! [`Engine`]s, and every route is built from an engine once); a batch is written to disk as
//! one atomic, fsynced write before it is answered.

use crate::backend::{BackendError, Engine, FamilySlot, NewDocument};
use std::collections::HashSet;
use stemma_compare::{Comparer, Comparison};
use stemma_index::{DiskIndex, IndexDoc, IndexError};
use stemma_scan::family::Family;
use stemma_scan::index::DocId;
use stemma_scan::{DocInfo, InputDoc, Pair};

/// A [`crate::Backend`] over a [`DiskIndex`] (lexical scorer; the semantic second pass, when
/// the index has one, comes with it).
pub struct DiskBackend {
    index: DiskIndex,
    families: FamilySlot,
    /// Compares a stored document with a text that is not stored.
    comparer: Comparer,
}

impl std::fmt::Debug for DiskBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiskBackend")
            .field("path", &self.index.path())
            .field("documents", &self.index.docs().len())
            .finish_non_exhaustive()
    }
}

impl DiskBackend {
    /// Serves `index`.
    pub fn new(index: DiskIndex) -> Self {
        DiskBackend {
            index,
            families: FamilySlot::default(),
            comparer: Comparer::default(),
        }
    }
}

fn engine(e: IndexError) -> BackendError {
    BackendError::Engine(e.to_string())
}

fn index_doc(doc: NewDocument) -> IndexDoc {
    IndexDoc {
        doc: InputDoc {
            id: doc.id,
            text: doc.text,
            date: doc.date,
            source: doc.source,
            decoding: None,
        },
        title: doc.title,
    }
}

impl Engine for DiskBackend {
    type Scorer = stemma_compare::LexicalScorer;
    fn infos(&self) -> &[DocInfo] {
        self.index.docs()
    }
    fn lookup(&self, id: &str) -> Option<DocId> {
        self.index.doc_id(id)
    }
    fn title_of(&self, d: DocId) -> Option<&str> {
        self.index.title(d)
    }
    fn encoding_of(&self, d: DocId) -> Option<String> {
        self.index.encoding(d).map(str::to_string)
    }

    fn store(&mut self, docs: Vec<NewDocument>) -> Vec<Result<Vec<Pair>, BackendError>> {
        // A repeated id fails the index's whole batch: answer those records here and add the
        // rest in one write.
        let mut seen = HashSet::new();
        let mut out: Vec<Option<Result<Vec<Pair>, BackendError>>> = Vec::new();
        let mut batch = Vec::new();
        for d in docs {
            if self.index.doc_id(&d.id).is_some() || !seen.insert(d.id.clone()) {
                out.push(Some(Err(BackendError::DuplicateId(d.id))));
            } else {
                out.push(None);
                batch.push(index_doc(d));
            }
        }
        let answers = if batch.is_empty() {
            Ok(Vec::new())
        } else {
            self.index.add(batch)
        };
        let mut answers = match answers {
            Ok(a) => a.into_iter(),
            Err(e) => {
                let msg = e.to_string();
                return out
                    .into_iter()
                    .map(|o| o.unwrap_or_else(|| Err(BackendError::Engine(msg.clone()))))
                    .collect();
            }
        };
        out.into_iter()
            .map(|o| o.unwrap_or_else(|| Ok(answers.next().expect("one answer per document"))))
            .collect()
    }

    fn check_pairs(&self, doc: &NewDocument) -> Result<Vec<Pair>, BackendError> {
        self.index.check(index_doc(doc.clone())).map_err(engine)
    }

    fn pairs_of(&self, d: DocId) -> Vec<Pair> {
        self.index.relations(d)
    }

    fn pair_count(&self) -> usize {
        self.index.pairs().len()
    }

    fn text(&self, d: DocId) -> Result<String, BackendError> {
        self.index.text(d).map_err(engine)
    }

    fn compare_stored(
        &self,
        a: DocId,
        b: DocId,
    ) -> Result<(String, String, Comparison), BackendError> {
        self.index.compare_pair(a, b).map_err(engine)
    }

    fn all_families(&self) -> Vec<Family> {
        self.index.families()
    }

    fn family_slot(&self) -> &FamilySlot {
        &self.families
    }

    fn text_comparer(&self) -> &Comparer {
        &self.comparer
    }
}
