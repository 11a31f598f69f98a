//! [`Backend`] for the persistent on-disk index (`stemma_index::DiskIndex`): what
//! `stemma serve --index DIR` serves. The same answers as [`crate::MemoryBackend`] (both
//! build them through one set of helpers); a batch is written to disk as one atomic, fsynced
//! write before it is answered.

use crate::backend::{
    Backend, BackendError, Catalog, ComparedPair, DocumentFull, DocumentSummary, FamilyCache,
    FamilySummary, FamilyView, IndexStats, NewDocument, checked_pair_json,
};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use stemma_compare::Comparer;
use stemma_index::{DiskIndex, IndexDoc, IndexError};
use stemma_scan::index::DocId;
use stemma_scan::{DocInfo, InputDoc};

/// A [`Backend`] over a [`DiskIndex`] (lexical scorer).
pub struct DiskBackend {
    index: DiskIndex,
    families: Mutex<Option<Arc<FamilyCache>>>,
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
            families: Mutex::new(None),
            comparer: Comparer::default(),
        }
    }

    fn family_cache(&self) -> Arc<FamilyCache> {
        FamilyCache::get(&self.families, || self.index.families())
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

impl Catalog for DiskBackend {
    fn infos(&self) -> &[DocInfo] {
        self.index.docs()
    }
    fn lookup(&self, id: &str) -> Option<DocId> {
        self.index.doc_id(id)
    }
    fn title_of(&self, d: DocId) -> Option<&str> {
        self.index.title(d)
    }
}

impl Backend for DiskBackend {
    fn add(&mut self, docs: Vec<NewDocument>) -> Vec<Result<Vec<serde_json::Value>, BackendError>> {
        // A repeated id fails the index's whole batch: answer those records here and add the
        // rest in one write.
        let mut seen = HashSet::new();
        let mut out: Vec<Option<Result<Vec<serde_json::Value>, BackendError>>> = Vec::new();
        let mut batch = Vec::new();
        for d in docs {
            if self.index.doc_id(&d.id).is_some() || !seen.insert(d.id.clone()) {
                out.push(Some(Err(BackendError::DuplicateId(d.id))));
            } else {
                out.push(None);
                batch.push(index_doc(d));
            }
        }
        if !batch.is_empty() {
            *self.families.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
        }
        let answers = if batch.is_empty() {
            Ok(Vec::new())
        } else {
            self.index.add(batch)
        };
        let mut answers = match answers {
            Ok(a) => a
                .iter()
                .map(|pairs| Ok(pairs.iter().map(|p| self.pair_json(p)).collect()))
                .collect::<Vec<_>>()
                .into_iter(),
            Err(e) => {
                let msg = e.to_string();
                return out
                    .into_iter()
                    .map(|o| o.unwrap_or_else(|| Err(BackendError::Engine(msg.clone()))))
                    .collect();
            }
        };
        out.into_iter()
            .map(|o| o.unwrap_or_else(|| answers.next().expect("one answer per document")))
            .collect()
    }

    fn check(&self, doc: &NewDocument) -> Result<Vec<serde_json::Value>, BackendError> {
        let checked = self.index.docs().len() as DocId;
        let pairs = self.index.check(index_doc(doc.clone())).map_err(engine)?;
        Ok(pairs
            .iter()
            .map(|p| checked_pair_json(self.index.docs(), p, checked, &doc.id))
            .collect())
    }

    fn document(&self, id: &str) -> Result<Option<DocumentFull>, BackendError> {
        let Some(d) = self.index.doc_id(id) else {
            return Ok(None);
        };
        Ok(Some(DocumentFull {
            summary: self.summary(d),
            text: self.index.text(d).map_err(engine)?,
        }))
    }

    fn relations(&self, id: &str) -> Result<Option<Vec<serde_json::Value>>, BackendError> {
        let Some(d) = self.index.doc_id(id) else {
            return Ok(None);
        };
        Ok(Some(
            self.index
                .relations(d)
                .iter()
                .map(|p| self.pair_json(p))
                .collect(),
        ))
    }

    fn family(&self, id: &str) -> Result<Option<Option<FamilyView>>, BackendError> {
        self.family_of(&self.family_cache(), id)
    }

    fn families(
        &self,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<FamilySummary>, usize), BackendError> {
        Ok(self.family_list(&self.family_cache(), offset, limit))
    }

    fn compare(&self, a: &str, b: &str) -> Result<Option<ComparedPair>, BackendError> {
        let (Some(da), Some(db)) = (self.index.doc_id(a), self.index.doc_id(b)) else {
            return Ok(None);
        };
        let (text_a, text_b, comparison) = self.index.compare_pair(da, db).map_err(engine)?;
        Ok(Some(ComparedPair {
            a: self.summary(da),
            b: self.summary(db),
            text_a,
            text_b,
            comparison,
        }))
    }

    fn compare_text(
        &self,
        id: &str,
        doc: &NewDocument,
    ) -> Result<Option<ComparedPair>, BackendError> {
        let Some(d) = self.index.doc_id(id) else {
            return Ok(None);
        };
        let text_a = self.index.text(d).map_err(engine)?;
        Ok(Some(self.compare_with_text(&self.comparer, d, text_a, doc)))
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<DocumentSummary>, BackendError> {
        Ok(self.search_docs(query, limit))
    }

    fn stats(&self) -> Result<IndexStats, BackendError> {
        Ok(IndexStats {
            documents: self.index.docs().len(),
            pairs: self.index.pairs().len(),
        })
    }
}
