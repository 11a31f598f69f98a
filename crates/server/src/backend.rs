//! The engine seam: what the HTTP routes ask of an index, as one trait.
//!
//! The server only translates HTTP into [`Backend`] calls (after meilisearch: the engine has
//! no HTTP in it). [`Backend`] is implemented once, for every [`Engine`] — the handful of
//! operations in which engines differ (store, check, read a text, compare a stored pair, list
//! a document's pairs) — so the two engines, [`MemoryBackend`] (an [`IncrementalScanner`]
//! kept in memory) and the persistent on-disk index ([`crate::DiskBackend`]), answer every
//! route through the same code. Answers are plain
//! values whose JSON is the scan's own: a pair is a `pairs.jsonl` line
//! ([`stemma_scan::output::PairLine`], full detail), a family a `families.jsonl` line
//! ([`stemma_scan::output::FamilyLine`]), so every front end writes the same bytes.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use stemma_compare::{Comparer, Comparison, Document};
use stemma_scan::family::Family;
use stemma_scan::index::DocId;
use stemma_scan::output::{Detail, FamilyLine, FullPair, PairLine, signal_names};
use stemma_scan::{IncrementalScanner, InputDoc, Pair, ScanError, SentenceScorer};

/// A document given to [`Backend::add`] or [`Backend::check`], already checked by the HTTP
/// layer (id and text not empty, date parsed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    /// User-visible id (unique in the index).
    pub id: String,
    /// The text.
    pub text: String,
    /// Publication time (seconds since the Unix epoch), if known.
    pub date: Option<i64>,
    /// Publisher, if known.
    pub source: Option<String>,
    /// Headline, if known (searchable).
    pub title: Option<String>,
}

/// What the index knows of a document, without its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DocumentSummary {
    /// User-visible id.
    pub id: String,
    /// Headline, if known.
    pub title: Option<String>,
    /// Publication time as ISO 8601 UTC (`1987-02-26T15:01:01Z`), if known.
    pub date: Option<String>,
    /// Publication time in seconds since the Unix epoch, if known.
    pub timestamp: Option<i64>,
    /// Publisher, if known.
    pub source: Option<String>,
    /// Length of the text in bytes.
    pub length: usize,
    /// The encoding the document's file was read in, when it was not plain UTF-8
    /// (`windows-1252`, `UTF-16LE (BOM)`, …); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

impl DocumentSummary {
    /// The summary of a document with these fields.
    pub fn new(
        id: &str,
        title: Option<&str>,
        date: Option<i64>,
        source: Option<&str>,
        length: usize,
    ) -> Self {
        DocumentSummary {
            id: id.to_string(),
            title: title.map(str::to_string),
            date: date.map(stemma_compare::format_date),
            timestamp: date,
            source: source.map(str::to_string),
            length,
            encoding: None,
        }
    }
}

/// A stored document with its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DocumentFull {
    /// Id, title, date, source, length.
    #[serde(flatten)]
    pub summary: DocumentSummary,
    /// The text.
    pub text: String,
}

/// An edge of a family's derivation tree, as in `families.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FamilyEdgeJson {
    /// What decided the direction: `date`, `compare` or `order`.
    pub basis: String,
    /// Id of the copy.
    pub copy: String,
    /// Relation of the pair.
    pub relation: String,
    /// Score of the relation.
    pub score: f64,
    /// Id of the source (the copy's parent).
    pub source: String,
}

/// A member's other derivation relation, as in `families.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FamilyLinkJson {
    /// The member of this family.
    pub doc: String,
    /// Number of the other document's family, `null` when it belongs to none.
    pub family: Option<usize>,
    /// The other document.
    pub other: String,
    /// Relation of the pair.
    pub relation: String,
    /// Score of the relation.
    pub score: f64,
}

/// One `families.jsonl` line (`docs/scan-output.md`): the same keys in the same order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FamilyJson {
    /// Number of the family now (1 = the largest; changes as documents arrive).
    pub id: usize,
    /// Id of the root, the original.
    pub root: String,
    /// Ids of the members, root first, every source before its copies.
    pub members: Vec<String>,
    /// The derivation tree: one edge per member but the root.
    pub edges: Vec<FamilyEdgeJson>,
    /// The members' other derivation relations.
    pub links: Vec<FamilyLinkJson>,
}

/// A family with what its members are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FamilyView {
    /// The `families.jsonl` line.
    pub family: FamilyJson,
    /// The members (in `family.members` order).
    pub documents: Vec<DocumentSummary>,
}

/// A family in a list: its number, root, size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FamilySummary {
    /// Number of the family now (1 = the largest).
    pub id: usize,
    /// The root document.
    pub root: DocumentSummary,
    /// Members.
    pub size: usize,
}

/// Two documents compared: texts and comparison (spans index the texts).
#[derive(Debug, Clone)]
pub struct ComparedPair {
    /// Side A.
    pub a: DocumentSummary,
    /// Side B.
    pub b: DocumentSummary,
    /// Text of A.
    pub text_a: String,
    /// Text of B.
    pub text_b: String,
    /// The comparison.
    pub comparison: Comparison,
}

/// Counts shown by `/healthz`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IndexStats {
    /// Documents stored.
    pub documents: usize,
    /// Related pairs found.
    pub pairs: usize,
}

/// What a [`Backend`] call fails with.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The document cannot be stored or checked as given (the client's fault).
    #[error("{0}")]
    Rejected(String),
    /// An id is already stored.
    #[error("document id `{0}` is already indexed")]
    DuplicateId(String),
    /// The engine failed.
    #[error(transparent)]
    Scan(#[from] ScanError),
    /// Another engine failure (storage).
    #[error("{0}")]
    Engine(String),
}

/// What the routes need from an index. Reads take `&self` and may run concurrently; `add`
/// takes `&mut self` (one writer at a time). Calls block: the server runs them off its async
/// threads. A pair is a `pairs.jsonl` line in full detail (a JSON object).
pub trait Backend: Send + Sync + 'static {
    /// Stores `docs` in order and answers, for each, its relations to the documents stored
    /// before it (or why it was not stored; the others are stored regardless).
    fn add(&mut self, docs: Vec<NewDocument>) -> Vec<Result<Vec<serde_json::Value>, BackendError>>;
    /// The relations `doc` would have to the stored documents, without storing it.
    fn check(&self, doc: &NewDocument) -> Result<Vec<serde_json::Value>, BackendError>;
    /// A stored document, `None` when the id is unknown.
    fn document(&self, id: &str) -> Result<Option<DocumentFull>, BackendError>;
    /// Every related pair a stored document is in, `None` when the id is unknown.
    fn relations(&self, id: &str) -> Result<Option<Vec<serde_json::Value>>, BackendError>;
    /// The family of a stored document (`Some(None)`: stored, in no family; `None`: unknown).
    fn family(&self, id: &str) -> Result<Option<Option<FamilyView>>, BackendError>;
    /// Families, largest first: `limit` of them from `offset`, and how many there are.
    fn families(
        &self,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<FamilySummary>, usize), BackendError>;
    /// Two stored documents compared again, `None` when an id is unknown.
    fn compare(&self, a: &str, b: &str) -> Result<Option<ComparedPair>, BackendError>;
    /// A stored document (A) compared with a text that is not stored (B), `None` when the id
    /// is unknown.
    fn compare_text(
        &self,
        id: &str,
        doc: &NewDocument,
    ) -> Result<Option<ComparedPair>, BackendError>;
    /// Documents whose id or title contains `query` (case-insensitive), at most `limit`,
    /// exact id first.
    fn search(&self, query: &str, limit: usize) -> Result<Vec<DocumentSummary>, BackendError>;
    /// Counts.
    fn stats(&self) -> Result<IndexStats, BackendError>;
}

/// The families of the pairs so far, computed once after each change.
pub(crate) struct FamilyCache {
    pub(crate) families: Vec<Family>,
    /// Document → index of its family.
    pub(crate) of_doc: HashMap<DocId, usize>,
}

/// An engine's families, computed on the first read after a change and kept until the next
/// ([`Engine::family_slot`]).
#[derive(Default)]
pub struct FamilySlot(Mutex<Option<Arc<FamilyCache>>>);

impl std::fmt::Debug for FamilySlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FamilySlot")
    }
}

impl FamilySlot {
    /// The cached families, computed with `compute` when there are none.
    pub(crate) fn get(&self, compute: impl FnOnce() -> Vec<Family>) -> Arc<FamilyCache> {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = &*slot {
            return c.clone();
        }
        let families = compute();
        let of_doc = families
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.members.iter().map(move |&m| (m, i)))
            .collect();
        let cache = Arc::new(FamilyCache { families, of_doc });
        *slot = Some(cache.clone());
        cache
    }

    /// Forgets the families (the pairs changed).
    pub fn clear(&self) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

/// What an index engine provides to the server: the few operations that differ between the
/// in-memory scanner and the on-disk index. Every [`Backend`] route is built from them once
/// (`impl<E: Engine> Backend for E`), so both backends answer alike by construction.
pub trait Engine: Send + Sync + 'static {
    /// The sentence scorer of its comparisons.
    type Scorer: SentenceScorer;
    /// Documents, by number.
    fn infos(&self) -> &[stemma_scan::DocInfo];
    /// The number of the document with this id.
    fn lookup(&self, id: &str) -> Option<DocId>;
    /// Its title.
    fn title_of(&self, d: DocId) -> Option<&str>;
    /// The encoding its file was read in, when not plain UTF-8.
    fn encoding_of(&self, d: DocId) -> Option<String> {
        self.infos()[d as usize]
            .decoding
            .as_ref()
            .map(|x| x.describe())
    }
    /// Stores `docs` in order: for each, its pairs with the documents stored before it, or
    /// why it was not stored (the others are stored regardless).
    fn store(&mut self, docs: Vec<NewDocument>) -> Vec<Result<Vec<Pair>, BackendError>>;
    /// The pairs `doc` would get if stored now (numbered as the next document).
    fn check_pairs(&self, doc: &NewDocument) -> Result<Vec<Pair>, BackendError>;
    /// Every pair a stored document is in, in the order found.
    fn pairs_of(&self, d: DocId) -> Vec<Pair>;
    /// Number of pairs.
    fn pair_count(&self) -> usize;
    /// The text of a stored document.
    fn text(&self, d: DocId) -> Result<String, BackendError>;
    /// Two stored documents compared again: their texts and the comparison.
    fn compare_stored(
        &self,
        a: DocId,
        b: DocId,
    ) -> Result<(String, String, Comparison), BackendError>;
    /// The families of all pairs.
    fn all_families(&self) -> Vec<Family>;
    /// Where the families are cached.
    fn family_slot(&self) -> &FamilySlot;
    /// Compares a stored document with a text that is not stored.
    fn text_comparer(&self) -> &Comparer<Self::Scorer>;
}

/// The answers built from an [`Engine`]'s documents (one implementation for both backends).
trait Catalog: Engine {
    fn family_cache(&self) -> Arc<FamilyCache> {
        self.family_slot().get(|| self.all_families())
    }

    fn summary(&self, d: DocId) -> DocumentSummary {
        let info = &self.infos()[d as usize];
        DocumentSummary {
            encoding: self.encoding_of(d),
            ..DocumentSummary::new(
                &info.id,
                self.title_of(d),
                info.date,
                info.source.as_deref(),
                info.len,
            )
        }
    }

    fn pair_json(&self, pair: &Pair) -> serde_json::Value {
        to_value(&PairLine::new(self.infos(), pair, Detail::Full))
    }

    fn family_view(&self, cache: &FamilyCache, index: usize) -> Result<FamilyView, BackendError> {
        let line = FamilyLine::new(self.infos(), &cache.families, index);
        let family: FamilyJson = serde_json::from_value(to_value(&line))
            .map_err(|e| BackendError::Engine(format!("family line: {e}")))?;
        let documents = cache.families[index]
            .members
            .iter()
            .map(|&m| self.summary(m))
            .collect();
        Ok(FamilyView { family, documents })
    }

    fn family_of(
        &self,
        cache: &FamilyCache,
        id: &str,
    ) -> Result<Option<Option<FamilyView>>, BackendError> {
        let Some(d) = self.lookup(id) else {
            return Ok(None);
        };
        match cache.of_doc.get(&d) {
            Some(&i) => Ok(Some(Some(self.family_view(cache, i)?))),
            None => Ok(Some(None)),
        }
    }

    fn family_list(
        &self,
        cache: &FamilyCache,
        offset: usize,
        limit: usize,
    ) -> (Vec<FamilySummary>, usize) {
        let list = cache
            .families
            .iter()
            .enumerate()
            .skip(offset)
            .take(limit)
            .map(|(i, f)| FamilySummary {
                id: i + 1,
                root: self.summary(f.root),
                size: f.members.len(),
            })
            .collect();
        (list, cache.families.len())
    }

    fn search_docs(&self, query: &str, limit: usize) -> Vec<DocumentSummary> {
        let exact = query.trim();
        let q = exact.to_lowercase();
        let mut out: Vec<DocumentSummary> = Vec::new();
        if let Some(d) = self.lookup(exact) {
            out.push(self.summary(d));
        }
        let n = self.infos().len();
        if q.is_empty() {
            // No query: the latest documents.
            out.extend((0..n).rev().take(limit).map(|d| self.summary(d as DocId)));
            out.truncate(limit);
            return out;
        }
        for (d, info) in self.infos().iter().enumerate() {
            if out.len() >= limit {
                break;
            }
            let hit = info.id.to_lowercase().contains(&q)
                || self
                    .title_of(d as DocId)
                    .is_some_and(|t| t.to_lowercase().contains(&q));
            if hit && info.id != exact {
                out.push(self.summary(d as DocId));
            }
        }
        out.truncate(limit);
        out
    }

    /// A stored document (A) compared with a text that is not stored (B).
    fn compare_with_text(
        &self,
        comparer: &Comparer<Self::Scorer>,
        d: DocId,
        text_a: String,
        doc: &NewDocument,
    ) -> ComparedPair {
        let (pa, pb) = (
            stemma_text::prepare(&text_a),
            stemma_text::prepare(&doc.text),
        );
        let comparison = comparer.compare(
            &Document::new(&text_a, &pa).with_date(self.infos()[d as usize].date),
            &Document::new(&doc.text, &pb).with_date(doc.date),
        );
        ComparedPair {
            a: self.summary(d),
            b: DocumentSummary::new(
                &doc.id,
                doc.title.as_deref(),
                doc.date,
                doc.source.as_deref(),
                doc.text.len(),
            ),
            text_a,
            text_b: doc.text.clone(),
            comparison,
        }
    }
}

impl<E: Engine + ?Sized> Catalog for E {}

impl<E: Engine> Backend for E {
    fn add(&mut self, docs: Vec<NewDocument>) -> Vec<Result<Vec<serde_json::Value>, BackendError>> {
        let out = self.store(docs);
        self.family_slot().clear();
        out.into_iter()
            .map(|r| r.map(|pairs| pairs.iter().map(|p| self.pair_json(p)).collect()))
            .collect()
    }

    fn check(&self, doc: &NewDocument) -> Result<Vec<serde_json::Value>, BackendError> {
        let checked = self.infos().len() as DocId;
        let pairs = self.check_pairs(doc)?;
        Ok(pairs
            .iter()
            .map(|p| checked_pair_json(self.infos(), p, checked, &doc.id))
            .collect())
    }

    fn document(&self, id: &str) -> Result<Option<DocumentFull>, BackendError> {
        let Some(d) = self.lookup(id) else {
            return Ok(None);
        };
        Ok(Some(DocumentFull {
            summary: self.summary(d),
            text: self.text(d)?,
        }))
    }

    fn relations(&self, id: &str) -> Result<Option<Vec<serde_json::Value>>, BackendError> {
        let Some(d) = self.lookup(id) else {
            return Ok(None);
        };
        Ok(Some(
            self.pairs_of(d).iter().map(|p| self.pair_json(p)).collect(),
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
        let (Some(da), Some(db)) = (self.lookup(a), self.lookup(b)) else {
            return Ok(None);
        };
        let (text_a, text_b, comparison) = self.compare_stored(da, db)?;
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
        let Some(d) = self.lookup(id) else {
            return Ok(None);
        };
        let text_a = self.text(d)?;
        Ok(Some(self.compare_with_text(
            self.text_comparer(),
            d,
            text_a,
            doc,
        )))
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<DocumentSummary>, BackendError> {
        Ok(self.search_docs(query, limit))
    }

    fn stats(&self) -> Result<IndexStats, BackendError> {
        Ok(IndexStats {
            documents: self.infos().len(),
            pairs: self.pair_count(),
        })
    }
}

/// A [`Backend`] in memory: an [`IncrementalScanner`] plus what the server shows and the
/// scanner does not keep (titles, the id → document map, each document's pairs).
pub struct MemoryBackend<S: SentenceScorer = stemma_scan::LexicalScorer> {
    scanner: IncrementalScanner<S>,
    titles: Vec<Option<String>>,
    by_id: HashMap<String, DocId>,
    /// Indexes into `scanner.pairs()` of each document's pairs.
    pairs_of: Vec<Vec<u32>>,
    families: FamilySlot,
    /// Compares a stored document with a text that is not stored (the scanner's options).
    comparer: Comparer<S>,
}

impl<S: SentenceScorer> std::fmt::Debug for MemoryBackend<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryBackend")
            .field("documents", &self.titles.len())
            .finish_non_exhaustive()
    }
}

impl MemoryBackend<stemma_scan::LexicalScorer> {
    /// An empty backend with these scan options and the lexical scorer.
    pub fn lexical(opts: stemma_scan::ScanOptions) -> Self {
        MemoryBackend::new(IncrementalScanner::new(opts), Comparer::default())
    }
}

impl<S: SentenceScorer + Sync> MemoryBackend<S> {
    /// A backend over `scanner` (which should be empty: documents added to it before are
    /// not searchable by title); `comparer` (built like the scanner's) compares a stored
    /// document with a text that is not stored, for the side-by-side view of a check.
    pub fn new(scanner: IncrementalScanner<S>, comparer: Comparer<S>) -> Self {
        let by_id = scanner
            .docs()
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i as DocId))
            .collect();
        let n = scanner.docs().len();
        let mut pairs_of = vec![Vec::new(); n];
        for (k, p) in scanner.pairs().iter().enumerate() {
            pairs_of[p.a as usize].push(k as u32);
            pairs_of[p.b as usize].push(k as u32);
        }
        MemoryBackend {
            scanner,
            titles: vec![None; n],
            by_id,
            pairs_of,
            families: FamilySlot::default(),
            comparer,
        }
    }

    fn add_one(&mut self, doc: NewDocument) -> Result<Vec<Pair>, BackendError> {
        if self.by_id.contains_key(&doc.id) {
            return Err(BackendError::DuplicateId(doc.id));
        }
        let before = self.scanner.pairs().len();
        let id = doc.id.clone();
        let title = doc.title.clone();
        self.scanner.add(input_doc(doc))?;
        let d = (self.scanner.docs().len() - 1) as DocId;
        self.by_id.insert(id, d);
        self.titles.push(title);
        self.pairs_of.push(Vec::new());
        for k in before..self.scanner.pairs().len() {
            let p = &self.scanner.pairs()[k];
            self.pairs_of[p.a as usize].push(k as u32);
            if p.b != p.a {
                self.pairs_of[p.b as usize].push(k as u32);
            }
        }
        Ok(self.scanner.pairs()[before..].to_vec())
    }
}

/// The scanner's input for a checked document.
fn input_doc(doc: NewDocument) -> InputDoc {
    InputDoc {
        id: doc.id,
        text: doc.text,
        date: doc.date,
        source: doc.source,
        decoding: None,
    }
}

fn to_value(v: &impl Serialize) -> serde_json::Value {
    // Plain structs with string keys: serialization cannot fail.
    serde_json::to_value(v).expect("scan output lines serialize to JSON")
}

/// The pair line of a pair whose side `checked` is a document that is not stored (its id is
/// `checked_id`); the other side is stored.
pub fn checked_pair_json(
    docs: &[stemma_scan::DocInfo],
    pair: &Pair,
    checked: DocId,
    checked_id: &str,
) -> serde_json::Value {
    let id = |d: DocId| {
        if d == checked {
            checked_id
        } else {
            docs[d as usize].id.as_str()
        }
    };
    to_value(&FullPair {
        a_id: id(pair.a),
        b_id: id(pair.b),
        signals: signal_names(pair.signals),
        encoding: None,
        comparison: Cow::Borrowed(&pair.comparison),
    })
}

impl<S: SentenceScorer + Sync + Send + 'static> Engine for MemoryBackend<S> {
    type Scorer = S;
    fn infos(&self) -> &[stemma_scan::DocInfo] {
        self.scanner.docs()
    }
    fn lookup(&self, id: &str) -> Option<DocId> {
        self.by_id.get(id).copied()
    }
    fn title_of(&self, d: DocId) -> Option<&str> {
        self.titles.get(d as usize).and_then(|t| t.as_deref())
    }
    fn store(&mut self, docs: Vec<NewDocument>) -> Vec<Result<Vec<Pair>, BackendError>> {
        docs.into_iter().map(|d| self.add_one(d)).collect()
    }
    fn check_pairs(&self, doc: &NewDocument) -> Result<Vec<Pair>, BackendError> {
        Ok(self.scanner.check(input_doc(doc.clone()))?)
    }
    fn pairs_of(&self, d: DocId) -> Vec<Pair> {
        let pairs = self.scanner.pairs();
        self.pairs_of[d as usize]
            .iter()
            .map(|&k| pairs[k as usize].clone())
            .collect()
    }
    fn pair_count(&self) -> usize {
        self.scanner.pairs().len()
    }
    fn text(&self, d: DocId) -> Result<String, BackendError> {
        Ok(self.scanner.text(d)?)
    }
    fn compare_stored(
        &self,
        a: DocId,
        b: DocId,
    ) -> Result<(String, String, Comparison), BackendError> {
        Ok(self.scanner.compare_pair(a, b)?)
    }
    fn all_families(&self) -> Vec<Family> {
        self.scanner.families()
    }
    fn family_slot(&self) -> &FamilySlot {
        &self.families
    }
    fn text_comparer(&self) -> &Comparer<S> {
        &self.comparer
    }
}
