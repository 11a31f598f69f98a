//! A persistent, incremental `scan` index on disk: the storage seam after tantivy's index writer
//! (add documents, commit, reopen later), so that a newsroom's archive is indexed once and each
//! new article is checked against it — with the same pairs a batch `stemma scan` of the same
//! documents (read in date order) gives.
//!
//! # What is on disk, what is in memory
//!
//! Everything acknowledged is on disk, in one [`fjall`] keyspace (a log-structured store with
//! one write-ahead journal for all its partitions):
//!
//! | partition | key | value |
//! |---|---|---|
//! | `meta` | `schema`, `options`, `scorer`, `scorer_history`, `corpus`, `count` | schema version, the scan options the index was created with (JSON), how it scores comparisons ([`ScorerRecord`]) and the scorers an explicit override replaced, the corpus reading options of its creation, documents committed |
//! | `docs` | document number (`u32`, big-endian) | id, date, source, title, the encoding its file was read in when not UTF-8 (JSON) |
//! | `texts` | document number | the text (UTF-8) |
//! | `sketches` | document number | the candidate keys: exact hash, LSH bands, passage keys |
//! | `pairs` | later document, position in its answer (`u32`, `u32`) | the verified pair: earlier document, signals, comparison (JSON) |
//!
//! The candidate state — the exact/LSH/passage postings, each document's pool of best
//! candidates, the clusters of story variants — lives in memory (a
//! [`stemma_scan::IncrementalScanner`]) and is **rebuilt at open** by replaying the stored
//! sketches in insertion order (no text is sketched again, no pair is verified again; pairs
//! come from disk). Replay is deterministic, so an index reopened any number of times answers
//! exactly as one that never closed. Reopening costs one pass over the stored documents
//! (texts go to the scanner's text store: memory up to its budget, then a temporary file).
//!
//! # Durability contract
//!
//! [`DiskIndex::add`] sketches and verifies a batch in memory, then writes the documents,
//! their texts, sketches, pairs and the new document count as **one fjall write batch**,
//! fsynced ([`fjall::PersistMode::SyncAll`]) before `add` returns. A batch is therefore on
//! disk entirely or not at all: fjall's journal recovery drops a batch whose terminator is
//! missing (a write torn by a crash) and fails on a damaged one. At open, the index checks
//! that every partition agrees with the stored count (each document has its text and sketch,
//! no document or pair lies beyond it) and reports any disagreement as
//! [`IndexError::Corrupt`] instead of dropping data silently.
//!
//! # How an index is built, recorded
//!
//! Pairs are verified once, when their later document is added, and kept: an index must
//! therefore be extended with the scorer it was built with, or its pairs would mix verdicts.
//! The scorer — lexical, or a semantic second pass with its model's identity (file name,
//! size, xxh3-128 of its bytes) and band settings — is recorded at creation
//! ([`ScorerRecord`]); opening with another one is an [`IndexError::ScorerMismatch`] naming
//! each difference, unless the caller overrides it ([`OpenOptions::allow_scorer_change`]),
//! which records the new scorer and keeps the old one, with the document count it covered,
//! in `scorer_history`. [`Scorer::Auto`] opens an index with the scorer it was built with.
//!
//! # Journal size
//!
//! fjall writes every batch to a journal first and reclaims a journal only once every
//! partition with data in it has flushed its memtable; the small `meta` partition, written by
//! every batch, rarely fills one, so with fjall's default journal limit (512 MiB, reduction
//! from half of it) a 20k-document index kept 94 MB of journals beside 45 MB of tables. The
//! index caps the journals at [`MAX_JOURNAL_BYTES`]: past half of it, fjall flushes the
//! partitions holding the oldest journal and deletes it.
//!
//! # Why fjall alone (and not fjall + redb)
//!
//! The metadata (options, schema version, document count) is a handful of keys. Keeping it in
//! a second store (redb) would need two commits per batch — a crash between them leaves a count
//! that disagrees with the documents, to be reconciled at open. In the `meta` partition of the
//! same keyspace it is written in the same atomic batch as the documents it counts.

#![warn(missing_docs)]

use fjall::{Config, Keyspace, PartitionCreateOptions, PartitionHandle, PersistMode};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use stemma_compare::{Comparison, LexicalScorer, Relation, SentenceScorer};
use stemma_scan::candidates::{DocSketch, LshParams, Signal};
use stemma_scan::family::Family;
use stemma_scan::index::DocId;
use stemma_scan::semantic::SemanticPass;
use stemma_scan::{DocInfo, IncrementalScanner, InputDoc, Pair, ScanError, ScanOptions};

/// Version of the on-disk layout this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// The most journal the keyspace keeps before flushing memtables to reclaim it (fjall's
/// `Config::max_journaling_size`; its smallest accepted value is 24 MiB). 64 MiB: fjall starts
/// reclaiming at half of it, so a large ingest keeps at most a few journals on disk.
pub const MAX_JOURNAL_BYTES: u64 = 64 << 20;

/// Error of the on-disk index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The store failed (I/O, journal recovery, a failed fsync).
    #[error("index {path}: {source}")]
    Store {
        /// The index folder.
        path: PathBuf,
        /// What fjall said.
        #[source]
        source: fjall::Error,
    },
    /// Sketching, verification or the text store failed.
    #[error(transparent)]
    Scan(#[from] ScanError),
    /// A document id is already in the index (or twice in one batch).
    #[error("document id `{id}` is already in the index{}", if *.in_batch { " batch" } else { "" })]
    DuplicateId {
        /// The id.
        id: String,
        /// True when the id appears twice in the batch being added.
        in_batch: bool,
    },
    /// The folder holds no index (and the caller did not ask to create one).
    #[error("{path} is not a stemma index (create one with `stemma index add`)")]
    NotAnIndex {
        /// The folder.
        path: PathBuf,
    },
    /// The index was created by a build with another layout.
    #[error("index {path} has schema version {found}; this build reads version {SCHEMA_VERSION}")]
    Schema {
        /// The folder.
        path: PathBuf,
        /// Version found.
        found: u32,
    },
    /// The options given differ from those the index was created with.
    #[error("index {path} was created with other scan options: {differences}")]
    OptionsMismatch {
        /// The folder.
        path: PathBuf,
        /// Each differing option, `name: stored … given …`.
        differences: String,
    },
    /// The index was built with another scorer than the one given (and no override was
    /// given, see [`OpenOptions::allow_scorer_change`]).
    #[error(
        "index {path} was built with another scorer: {differences} (open it with the scorer it was built with, or override explicitly)"
    )]
    ScorerMismatch {
        /// The folder.
        path: PathBuf,
        /// Each difference, `name: stored … given …`.
        differences: String,
    },
    /// The index was opened to be read only ([`Scorer::ReadOnly`]): nothing can be added
    /// or checked.
    #[error("index {path} was opened read-only (without its scorer)")]
    ReadOnly {
        /// The folder.
        path: PathBuf,
    },
    /// The partitions disagree (a write outside this crate, a damaged disk).
    #[error("index {path} is damaged: {reason}")]
    Corrupt {
        /// The folder.
        path: PathBuf,
        /// What disagrees.
        reason: String,
    },
    /// An earlier [`DiskIndex::add`] failed after changing the in-memory state: the memory is
    /// ahead of the disk; reopen the index.
    #[error("index {path}: an earlier write failed; reopen the index")]
    Poisoned {
        /// The folder.
        path: PathBuf,
    },
}

/// A document to add: what the scanner takes, and a title (kept for display and search).
#[derive(Debug, Clone)]
pub struct IndexDoc {
    /// The document. Of its [`InputDoc::decoding`] only the encoding's name is kept
    /// ([`DiskIndex::encoding`]): pairs of an index give spans in the UTF-8 text.
    pub doc: InputDoc,
    /// Title, if known.
    pub title: Option<String>,
}

impl From<InputDoc> for IndexDoc {
    fn from(doc: InputDoc) -> Self {
        IndexDoc { doc, title: None }
    }
}

/// Which file a sentence-embedding model was loaded from: enough to tell two models apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelIdentity {
    /// The encoder's name (`SentenceEmbedder::name`).
    pub name: String,
    /// The file's name, without its folder (`None`: not loaded from a file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The file's size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// xxh3-128 of the file's bytes, in hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xxh3: Option<String>,
}

impl ModelIdentity {
    /// An encoder known by its name only.
    pub fn named(name: &str) -> Self {
        ModelIdentity {
            name: name.to_string(),
            file: None,
            bytes: None,
            xxh3: None,
        }
    }

    /// The identity of the model file at `path` (read once, hashed) for the encoder `name`.
    pub fn of_file(name: &str, path: &Path) -> std::io::Result<Self> {
        let bytes = std::fs::read(path)?;
        Ok(ModelIdentity {
            name: name.to_string(),
            file: path.file_name().map(|f| f.to_string_lossy().into_owned()),
            bytes: Some(bytes.len() as u64),
            xxh3: Some(format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&bytes))),
        })
    }
}

/// The semantic second pass of an index's verification, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SemanticRecord {
    /// The model.
    pub model: ModelIdentity,
    /// Lexical probabilities re-verified semantically ([`SemanticPass::band`]).
    pub band: (f64, f64),
    /// Candidate score from which lexically rejected pairs are re-verified
    /// ([`SemanticPass::rescue_score`]).
    pub rescue_score: Option<f32>,
    /// Documents embedded at most per opening of the index ([`SemanticPass::max_documents`];
    /// a cost bound, not compared when the index is opened again).
    pub max_documents: usize,
}

/// How an index scores its comparisons (`meta/scorer`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorerRecord {
    /// `lexical` or `semantic` (a semantic second pass after the lexical verification).
    pub kind: String,
    /// Name of the verdict model of the lexical verification.
    pub verdict: String,
    /// The semantic second pass, when on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semantic: Option<SemanticRecord>,
}

impl ScorerRecord {
    /// The record of `opts` (its verdict model and semantic pass), the pass's model being
    /// `model`.
    pub fn of(opts: &ScanOptions, model: Option<&ModelIdentity>) -> Self {
        let semantic = opts.semantic.as_ref().map(|p| SemanticRecord {
            model: model
                .cloned()
                .unwrap_or_else(|| ModelIdentity::named(p.embedder.name())),
            band: p.band,
            rescue_score: p.rescue_score,
            max_documents: p.max_documents,
        });
        ScorerRecord {
            kind: if semantic.is_some() {
                "semantic"
            } else {
                "lexical"
            }
            .to_string(),
            verdict: opts.compare.verdict.name.clone(),
            semantic,
        }
    }

    /// One line for people: `lexical (verdict lexical)` or `semantic: NAME (FILE, N bytes,
    /// xxh3 H), band LO–HI, rescue R, budget D documents (verdict lexical)`.
    pub fn describe(&self) -> String {
        match &self.semantic {
            None => format!("{} (verdict {})", self.kind, self.verdict),
            Some(s) => {
                let m = &s.model;
                let mut file = Vec::new();
                if let Some(f) = &m.file {
                    file.push(f.clone());
                }
                if let Some(b) = m.bytes {
                    file.push(format!("{b} bytes"));
                }
                if let Some(h) = &m.xxh3 {
                    file.push(format!("xxh3 {h}"));
                }
                let file = if file.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", file.join(", "))
                };
                let rescue = s.rescue_score.map_or("off".to_string(), |r| r.to_string());
                format!(
                    "{}: {}{file}, band {}–{}, rescue {rescue}, budget {} documents (verdict {})",
                    self.kind, m.name, s.band.0, s.band.1, s.max_documents, self.verdict
                )
            }
        }
    }

    /// What differs in `given` from `self` that changes verdicts (the budget and the model
    /// file's name do not), `name: stored X, given Y`; empty when nothing does.
    pub fn differences(&self, given: &ScorerRecord) -> String {
        let mut out = Vec::new();
        let mut diff = |name: &str, a: String, b: String| {
            if a != b {
                out.push(format!("{name}: stored {a}, given {b}"));
            }
        };
        diff("scorer", self.kind.clone(), given.kind.clone());
        diff("verdict", self.verdict.clone(), given.verdict.clone());
        if let (Some(a), Some(b)) = (&self.semantic, &given.semantic) {
            diff("model", a.model.name.clone(), b.model.name.clone());
            let opt = |x: &Option<String>| x.clone().unwrap_or_else(|| "unknown".into());
            let num = |x: Option<u64>| x.map_or("unknown".into(), |x| x.to_string());
            // A model known by name only matches any file of that name's encoder.
            if a.model.xxh3.is_some() && b.model.xxh3.is_some() {
                diff("model bytes", num(a.model.bytes), num(b.model.bytes));
                diff("model xxh3", opt(&a.model.xxh3), opt(&b.model.xxh3));
            }
            diff(
                "semantic band",
                format!("{}–{}", a.band.0, a.band.1),
                format!("{}–{}", b.band.0, b.band.1),
            );
            let rescue = |x: Option<f32>| x.map_or("off".to_string(), |r| r.to_string());
            diff(
                "semantic rescue",
                rescue(a.rescue_score),
                rescue(b.rescue_score),
            );
        }
        out.join("; ")
    }
}

/// What an index records of how it was built (see [`DiskIndex::meta`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexMeta {
    /// The scorer in force.
    pub scorer: ScorerRecord,
    /// Scorers replaced by an explicit override, oldest first, each with the number of
    /// documents the index held when it was replaced.
    pub scorer_history: Vec<(u64, ScorerRecord)>,
    /// The corpus reading options the index was created with (field names, encoding), as
    /// the creating front end gave them; empty when none were given.
    pub corpus: BTreeMap<String, String>,
}

/// The scorer to open an index with ([`OpenOptions::scorer`]).
#[derive(Debug, Clone, Default)]
pub enum Scorer {
    /// Lexical verification only.
    #[default]
    Lexical,
    /// A semantic second pass with this model.
    Semantic(Box<SemanticPass>, ModelIdentity),
    /// The scorer the index was built with: a new index is semantic when a pass is given,
    /// lexical otherwise; an existing one keeps its recorded scorer (a recorded semantic one
    /// needs this pass, with the same model and band).
    Auto(Option<(Box<SemanticPass>, ModelIdentity)>),
    /// No scorer: read what is stored (counts, documents, pairs, families; `compare_pair`
    /// compares lexically); [`DiskIndex::add`] and [`DiskIndex::check`] are refused.
    ReadOnly,
}

/// How to open an index ([`DiskIndex::open_with`]).
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// The result-deciding scan options: a new index's, or checked against an existing
    /// one's (an [`IndexError::OptionsMismatch`] when they differ). `None`: the stored ones
    /// (an existing index) or the defaults (a new one). Their `semantic` is not read: the
    /// scorer is [`OpenOptions::scorer`].
    pub scan: Option<ScanOptions>,
    /// Create the index when the folder holds none (else [`IndexError::NotAnIndex`]).
    pub create: bool,
    /// The scorer.
    pub scorer: Scorer,
    /// Open an index built with another scorer anyway: the new scorer is recorded, the old
    /// one kept in [`IndexMeta::scorer_history`]. Pairs verified before keep their verdicts.
    pub allow_scorer_change: bool,
    /// Corpus reading options recorded at creation (ignored for an existing index).
    pub corpus: BTreeMap<String, String>,
}

/// The scan options that decide results, as stored in the index (`meta/options`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StoredOptions {
    ngram: usize,
    num_perm: usize,
    lsh: LshParams,
    passage_per_sentence: usize,
    passage_min_word_chars: usize,
    passage_sample: u64,
    passage_seed: u64,
    min_shared_keys: u32,
    min_shared_fraction: f64,
    passage_df_cap: usize,
    bucket_cap: usize,
    signals: Vec<String>,
    max_candidates: usize,
    collapse_exact: bool,
    max_per_cluster: usize,
    min_score: f32,
    redundancy: f32,
    relations: Vec<Relation>,
}

impl StoredOptions {
    fn of(o: &ScanOptions) -> Self {
        let c = &o.candidates;
        StoredOptions {
            ngram: c.ngram,
            num_perm: c.num_perm,
            lsh: c.lsh,
            passage_per_sentence: c.passage.per_sentence,
            passage_min_word_chars: c.passage.min_word_chars,
            passage_sample: c.passage.sample,
            passage_seed: c.passage.seed,
            min_shared_keys: c.min_shared_keys,
            min_shared_fraction: c.min_shared_fraction,
            passage_df_cap: c.passage_df_cap,
            bucket_cap: c.bucket_cap,
            signals: c.signals.iter().map(|s| s.as_str().to_string()).collect(),
            max_candidates: c.max_candidates,
            collapse_exact: c.collapse_exact,
            max_per_cluster: c.max_per_cluster,
            min_score: c.min_score,
            redundancy: c.redundancy,
            relations: o.relations.clone(),
        }
    }

    /// These options over `base`'s memory settings.
    fn apply(&self, base: ScanOptions) -> Result<ScanOptions, String> {
        let mut o = base;
        let c = &mut o.candidates;
        c.ngram = self.ngram;
        c.num_perm = self.num_perm;
        c.lsh = self.lsh;
        c.passage.per_sentence = self.passage_per_sentence;
        c.passage.min_word_chars = self.passage_min_word_chars;
        c.passage.sample = self.passage_sample;
        c.passage.seed = self.passage_seed;
        c.min_shared_keys = self.min_shared_keys;
        c.min_shared_fraction = self.min_shared_fraction;
        c.passage_df_cap = self.passage_df_cap;
        c.bucket_cap = self.bucket_cap;
        c.signals = self
            .signals
            .iter()
            .map(|n| {
                Signal::ALL
                    .into_iter()
                    .find(|s| s.as_str() == n)
                    .ok_or_else(|| format!("unknown signal `{n}`"))
            })
            .collect::<Result<_, _>>()?;
        c.max_candidates = self.max_candidates;
        c.collapse_exact = self.collapse_exact;
        c.max_per_cluster = self.max_per_cluster;
        c.min_score = self.min_score;
        c.redundancy = self.redundancy;
        o.relations = self.relations.clone();
        Ok(o)
    }

    /// The options that differ, `name: stored X, given Y`.
    fn differences(&self, given: &StoredOptions) -> String {
        let (a, b) = (
            serde_json::to_value(self).unwrap_or_default(),
            serde_json::to_value(given).unwrap_or_default(),
        );
        let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
            return String::new();
        };
        a.iter()
            .filter(|(k, v)| b.get(*k) != Some(v))
            .map(|(k, v)| format!("{k}: stored {v}, given {}", b.get(k).unwrap_or_default()))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A document's record in `docs`.
#[derive(Debug, Serialize, Deserialize)]
struct StoredDoc {
    id: String,
    date: Option<i64>,
    source: Option<String>,
    title: Option<String>,
    /// The encoding the document's file was read in, when not plain UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    encoding: Option<String>,
}

/// A pair's record in `pairs` (its later document is in the key).
#[derive(Debug, Serialize, Deserialize)]
struct StoredPair {
    a: DocId,
    signals: u8,
    comparison: Comparison,
}

/// Counts of an index.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexStats {
    /// Documents.
    pub documents: usize,
    /// Verified pairs.
    pub pairs: usize,
    /// Pairs per relation (strongest relation first, those present).
    pub by_relation: Vec<(Relation, usize)>,
    /// Families.
    pub families: usize,
    /// Members of the largest family.
    pub largest_family: usize,
    /// Bytes of text stored.
    pub text_bytes: usize,
    /// Bytes the keyspace takes on disk (journals and tables).
    pub disk_bytes: u64,
    /// Schema version.
    pub schema: u32,
}

/// The on-disk index (see the crate documentation). Generic over the sentence scorer of its
/// comparisons, like [`IncrementalScanner`].
pub struct DiskIndex<S: SentenceScorer = LexicalScorer> {
    path: PathBuf,
    keyspace: Keyspace,
    meta: PartitionHandle,
    docs: PartitionHandle,
    texts: PartitionHandle,
    sketches: PartitionHandle,
    pairs: PartitionHandle,
    scanner: IncrementalScanner<S>,
    names: HashMap<String, DocId>,
    titles: Vec<Option<String>>,
    /// The encoding each document's file was read in, when not plain UTF-8.
    encodings: Vec<Option<String>>,
    /// Positions in `scanner.pairs()` of each document's pairs.
    by_doc: Vec<Vec<u32>>,
    text_bytes: usize,
    poisoned: bool,
    /// Opened without a scorer ([`Scorer::ReadOnly`]).
    read_only: bool,
    /// How the index was built.
    info: IndexMeta,
}

impl<S: SentenceScorer> std::fmt::Debug for DiskIndex<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiskIndex")
            .field("path", &self.path)
            .field("docs", &self.names.len())
            .finish_non_exhaustive()
    }
}

const META_SCHEMA: &str = "schema";
const META_OPTIONS: &str = "options";
const META_COUNT: &str = "count";
const META_SCORER: &str = "scorer";
const META_SCORER_HISTORY: &str = "scorer_history";
const META_CORPUS: &str = "corpus";

fn to_json(v: &impl Serialize) -> Vec<u8> {
    // Plain records with string keys: serialization cannot fail.
    serde_json::to_vec(v).expect("index metadata serializes")
}

impl DiskIndex<LexicalScorer> {
    /// Creates an index in `dir` with `opts`, or opens the one there; an index created with
    /// other result-deciding options is an [`IndexError::OptionsMismatch`] (the memory
    /// settings — text budget, caches — are taken from `opts` either way), one built with
    /// another scorer (`opts.semantic`, its model known by name only) an
    /// [`IndexError::ScorerMismatch`].
    pub fn open(dir: impl AsRef<Path>, opts: ScanOptions) -> Result<Self, IndexError> {
        DiskIndex::open_with_scorer(dir, Some(opts), LexicalScorer::default())
    }

    /// Opens the index in `dir` with the options it was created with, lexically (an index
    /// built with a semantic scorer needs [`DiskIndex::open_with`] and its model).
    pub fn open_existing(dir: impl AsRef<Path>) -> Result<Self, IndexError> {
        DiskIndex::open_with_scorer(dir, None, LexicalScorer::default())
    }
}

fn key(id: DocId) -> [u8; 4] {
    id.to_be_bytes()
}

fn pair_key(b: DocId, i: u32) -> [u8; 8] {
    let mut k = [0u8; 8];
    k[..4].copy_from_slice(&b.to_be_bytes());
    k[4..].copy_from_slice(&i.to_be_bytes());
    k
}

/// The sketch as bytes: a flag and the exact hash, then the LSH and passage keys, each list
/// behind its length (little-endian).
fn encode_sketch(sk: &DocSketch) -> Vec<u8> {
    let mut v = Vec::with_capacity(17 + 8 * (sk.lsh.len() + sk.passage.len()) + 8);
    v.push(sk.exact.is_some() as u8);
    v.extend_from_slice(&sk.exact.unwrap_or(0).to_le_bytes());
    for list in [&sk.lsh, &sk.passage] {
        v.extend_from_slice(&(list.len() as u32).to_le_bytes());
        for k in list {
            v.extend_from_slice(&k.to_le_bytes());
        }
    }
    v
}

fn decode_sketch(b: &[u8]) -> Option<DocSketch> {
    let (&flag, rest) = b.split_first()?;
    let (exact, mut rest) = rest.split_at_checked(8)?;
    let exact = u64::from_le_bytes(exact.try_into().ok()?);
    let mut lists = [Vec::new(), Vec::new()];
    for list in &mut lists {
        let (n, r) = rest.split_at_checked(4)?;
        let n = u32::from_le_bytes(n.try_into().ok()?) as usize;
        let (keys, r) = r.split_at_checked(n.checked_mul(8)?)?;
        list.extend(
            keys.chunks_exact(8)
                .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))),
        );
        rest = r;
    }
    if !rest.is_empty() || flag > 1 {
        return None;
    }
    let [lsh, passage] = lists;
    Some(DocSketch {
        exact: (flag == 1).then_some(exact),
        lsh,
        passage,
    })
}

impl<S: SentenceScorer + Sync> DiskIndex<S> {
    /// [`DiskIndex::open`] (`opts` given: create or check; the scorer is `opts.semantic`'s)
    /// or [`DiskIndex::open_existing`] (`None`) with comparisons scored by `scorer`.
    pub fn open_with_scorer(
        dir: impl AsRef<Path>,
        opts: Option<ScanOptions>,
        scorer: S,
    ) -> Result<Self, IndexError> {
        let choice = match &opts {
            None => Scorer::Auto(None),
            Some(o) => match &o.semantic {
                Some(p) => {
                    Scorer::Semantic(Box::new(p.clone()), ModelIdentity::named(p.embedder.name()))
                }
                None => Scorer::Lexical,
            },
        };
        let options = OpenOptions {
            create: opts.is_some(),
            scan: opts,
            scorer: choice,
            ..OpenOptions::default()
        };
        DiskIndex::open_with(dir, options, scorer)
    }

    /// Opens the index in `dir` (or creates it, with [`OpenOptions::create`]) as `options`
    /// say, comparisons scored by `scorer` (then by the semantic pass of
    /// [`OpenOptions::scorer`]). Refused: other result-deciding scan options than the
    /// index's ([`IndexError::OptionsMismatch`]); another scorer than the recorded one,
    /// without [`OpenOptions::allow_scorer_change`] ([`IndexError::ScorerMismatch`]).
    pub fn open_with(
        dir: impl AsRef<Path>,
        options: OpenOptions,
        scorer: S,
    ) -> Result<Self, IndexError> {
        let OpenOptions {
            scan,
            create,
            scorer: choice,
            allow_scorer_change,
            corpus,
        } = options;
        let path = dir.as_ref().to_path_buf();
        let has_files = std::fs::read_dir(&path).is_ok_and(|mut d| d.next().is_some());
        if !create && !has_files {
            return Err(IndexError::NotAnIndex { path });
        }
        let store = |source| IndexError::Store {
            path: path.clone(),
            source,
        };
        let keyspace = Config::new(&path)
            .max_journaling_size(MAX_JOURNAL_BYTES)
            .open()
            .map_err(store)?;
        let part = |name: &str| {
            keyspace
                .open_partition(name, PartitionCreateOptions::default())
                .map_err(store)
        };
        let (meta, docs, texts, sketches, pairs) = (
            part("meta")?,
            part("docs")?,
            part("texts")?,
            part("sketches")?,
            part("pairs")?,
        );
        let corrupt = |reason: String| IndexError::Corrupt {
            path: path.clone(),
            reason,
        };
        let read_only = matches!(choice, Scorer::ReadOnly);
        // The semantic pass the caller offers, and its model.
        let offered: Option<(&SemanticPass, &ModelIdentity)> = match &choice {
            Scorer::Semantic(p, id) => Some((&**p, id)),
            Scorer::Auto(x) => x.as_ref().map(|(p, id)| (&**p, id)),
            Scorer::Lexical | Scorer::ReadOnly => None,
        };
        let with_pass = |mut o: ScanOptions, pass: Option<&SemanticPass>| {
            o.semantic = pass.cloned();
            o
        };
        let schema = meta.get(META_SCHEMA).map_err(store)?;
        let base = scan.clone().unwrap_or_default();
        let (scan_opts, info) = match schema {
            None => {
                if !create || read_only {
                    return Err(IndexError::NotAnIndex { path });
                }
                if !docs.is_empty().map_err(store)? {
                    return Err(corrupt("documents but no schema".into()));
                }
                let opts = with_pass(base, offered.map(|x| x.0));
                let info = IndexMeta {
                    scorer: ScorerRecord::of(&opts, offered.map(|x| x.1)),
                    scorer_history: Vec::new(),
                    corpus,
                };
                let stored = StoredOptions::of(&opts);
                let mut batch = keyspace.batch().durability(Some(PersistMode::SyncAll));
                batch.insert(&meta, META_SCHEMA, SCHEMA_VERSION.to_le_bytes().to_vec());
                batch.insert(
                    &meta,
                    META_OPTIONS,
                    serde_json::to_vec(&stored).expect("options serialize"),
                );
                batch.insert(&meta, META_SCORER, to_json(&info.scorer));
                batch.insert(&meta, META_SCORER_HISTORY, to_json(&info.scorer_history));
                batch.insert(&meta, META_CORPUS, to_json(&info.corpus));
                batch.insert(&meta, META_COUNT, 0u64.to_le_bytes().to_vec());
                batch.commit().map_err(store)?;
                (opts, info)
            }
            Some(v) => {
                let found = v
                    .as_ref()
                    .try_into()
                    .map(u32::from_le_bytes)
                    .map_err(|_| corrupt("unreadable schema version".into()))?;
                if found != SCHEMA_VERSION {
                    return Err(IndexError::Schema { path, found });
                }
                let raw = meta
                    .get(META_OPTIONS)
                    .map_err(store)?
                    .ok_or_else(|| corrupt("no options".into()))?;
                let stored: StoredOptions = serde_json::from_slice(&raw)
                    .map_err(|e| corrupt(format!("unreadable options: {e}")))?;
                if let Some(given) = &scan {
                    let given = StoredOptions::of(given);
                    if given != stored {
                        return Err(IndexError::OptionsMismatch {
                            differences: stored.differences(&given),
                            path,
                        });
                    }
                }
                let read = |k: &str| -> Result<Option<fjall::Slice>, IndexError> {
                    meta.get(k).map_err(store)
                };
                // An index written before scorers were recorded was built lexically.
                let recorded: ScorerRecord = match read(META_SCORER)? {
                    Some(raw) => serde_json::from_slice(&raw)
                        .map_err(|e| corrupt(format!("unreadable scorer: {e}")))?,
                    None => ScorerRecord::of(&ScanOptions::default(), None),
                };
                let mut info = IndexMeta {
                    scorer: recorded,
                    scorer_history: match read(META_SCORER_HISTORY)? {
                        Some(raw) => serde_json::from_slice(&raw)
                            .map_err(|e| corrupt(format!("unreadable scorer history: {e}")))?,
                        None => Vec::new(),
                    },
                    corpus: match read(META_CORPUS)? {
                        Some(raw) => serde_json::from_slice(&raw)
                            .map_err(|e| corrupt(format!("unreadable corpus options: {e}")))?,
                        None => BTreeMap::new(),
                    },
                };
                let pass = match &choice {
                    Scorer::Auto(_) if info.scorer.semantic.is_none() => None,
                    _ => offered.map(|x| x.0),
                };
                let opts = with_pass(stored.apply(base).map_err(corrupt)?, pass);
                if !read_only {
                    let model = pass.and(offered.map(|x| x.1));
                    let given = ScorerRecord::of(&opts, model);
                    let differences = info.scorer.differences(&given);
                    if !differences.is_empty() {
                        if !allow_scorer_change {
                            return Err(IndexError::ScorerMismatch { path, differences });
                        }
                        let count = read(META_COUNT)?
                            .and_then(|v| v.as_ref().try_into().ok().map(u64::from_le_bytes))
                            .ok_or_else(|| corrupt("no document count".into()))?;
                        let old = std::mem::replace(&mut info.scorer, given);
                        info.scorer_history.push((count, old));
                        let mut batch = keyspace.batch().durability(Some(PersistMode::SyncAll));
                        batch.insert(&meta, META_SCORER, to_json(&info.scorer));
                        batch.insert(&meta, META_SCORER_HISTORY, to_json(&info.scorer_history));
                        batch.commit().map_err(store)?;
                    }
                }
                (opts, info)
            }
        };
        let mut index = DiskIndex {
            scanner: IncrementalScanner::with_scorer(scan_opts, scorer),
            path: path.clone(),
            keyspace,
            meta,
            docs,
            texts,
            sketches,
            pairs,
            names: HashMap::new(),
            titles: Vec::new(),
            encodings: Vec::new(),
            by_doc: Vec::new(),
            text_bytes: 0,
            poisoned: false,
            read_only,
            info,
        };
        index.replay()?;
        Ok(index)
    }

    /// Rebuilds the in-memory state from the stored documents, sketches and pairs, checking
    /// that the partitions agree with the stored count.
    fn replay(&mut self) -> Result<(), IndexError> {
        let path = self.path.clone();
        let store = |source| IndexError::Store {
            path: path.clone(),
            source,
        };
        let corrupt = |reason: String| IndexError::Corrupt {
            path: path.clone(),
            reason,
        };
        let count = self
            .meta
            .get(META_COUNT)
            .map_err(store)?
            .and_then(|v| v.as_ref().try_into().ok().map(u64::from_le_bytes))
            .ok_or_else(|| corrupt("no document count".into()))?;
        let mut docs = self.docs.iter();
        let mut texts = self.texts.iter();
        let mut sketches = self.sketches.iter();
        let mut pairs = self.pairs.iter().peekable();
        let num = |k: &[u8], what: &str| -> Result<DocId, IndexError> {
            k.get(..4)
                .and_then(|b| b.try_into().ok())
                .map(u32::from_be_bytes)
                .ok_or_else(|| corrupt(format!("bad key in {what}")))
        };
        for want in 0..count {
            let want = DocId::try_from(want).map_err(|_| corrupt("count too large".into()))?;
            let next = |it: &mut dyn Iterator<Item = fjall::Result<fjall::KvPair>>,
                        what: &str|
             -> Result<fjall::Slice, IndexError> {
                let (k, v) = it
                    .next()
                    .ok_or_else(|| corrupt(format!("document {want} has no {what}")))?
                    .map_err(store)?;
                let got = num(&k, what)?;
                if got != want {
                    return Err(corrupt(format!(
                        "{what}: expected document {want}, found {got}"
                    )));
                }
                Ok(v)
            };
            let meta = next(&mut docs, "record")?;
            let text = next(&mut texts, "text")?;
            let sketch = next(&mut sketches, "sketch")?;
            let meta: StoredDoc = serde_json::from_slice(&meta)
                .map_err(|e| corrupt(format!("document {want}: {e}")))?;
            let text = String::from_utf8(text.to_vec())
                .map_err(|_| corrupt(format!("document {want}: text is not UTF-8")))?;
            let sketch = decode_sketch(&sketch)
                .ok_or_else(|| corrupt(format!("document {want}: unreadable sketch")))?;
            let mut mine = Vec::new();
            while let Some(Ok((k, _))) = pairs.peek() {
                if num(k, "pairs")? != want {
                    break;
                }
                let (_, v) = pairs.next().expect("peeked").map_err(store)?;
                let p: StoredPair = serde_json::from_slice(&v)
                    .map_err(|e| corrupt(format!("pair of document {want}: {e}")))?;
                if p.a >= want {
                    return Err(corrupt(format!(
                        "pair ({}, {want}) names a later document",
                        p.a
                    )));
                }
                mine.push(Pair {
                    a: p.a,
                    b: want,
                    signals: p.signals,
                    comparison: p.comparison,
                });
            }
            if let Some(Err(_)) = pairs.peek() {
                pairs.next().expect("peeked").map_err(store)?;
            }
            let base = self.scanner.pairs().len();
            self.encodings.push(meta.encoding);
            self.remember(want, (&meta.id, meta.title, text.len()), &mine, base);
            self.scanner.restore(
                InputDoc {
                    id: meta.id,
                    text,
                    date: meta.date,
                    source: meta.source,
                    decoding: None,
                },
                &sketch,
                mine,
            )?;
        }
        for (it, what) in [
            (&mut docs as &mut dyn Iterator<Item = _>, "docs"),
            (&mut texts, "texts"),
            (&mut sketches, "sketches"),
            (&mut pairs, "pairs"),
        ] {
            if let Some(kv) = it.next() {
                let (k, _) = kv.map_err(store)?;
                return Err(corrupt(format!(
                    "{what} holds document {} beyond the {count} committed",
                    num(&k, what)?
                )));
            }
        }
        Ok(())
    }

    /// Records a document's id, title and pairs in the in-memory maps.
    /// `base`: the position of the document's first pair in the scanner's list.
    fn remember(
        &mut self,
        id: DocId,
        meta: (&str, Option<String>, usize),
        pairs: &[Pair],
        base: usize,
    ) {
        let (name, title, len) = meta;
        self.names.insert(name.to_string(), id);
        self.titles.push(title);
        self.by_doc.push(Vec::new());
        self.text_bytes += len;
        for (i, p) in pairs.iter().enumerate() {
            let at = (base + i) as u32;
            self.by_doc[p.a as usize].push(at);
            self.by_doc[p.b as usize].push(at);
        }
    }

    /// Adds a batch of documents and answers, for each, its relations to the documents before
    /// it (as [`IncrementalScanner::add`]). The batch — documents, texts, sketches, pairs —
    /// is written as one atomic, fsynced write before this returns: once it returns `Ok`, the
    /// batch survives a crash; if it fails, nothing of it is on disk (and the index must be
    /// reopened, see [`IndexError::Poisoned`]). An id already indexed, or twice in the batch,
    /// fails the whole batch before anything changes.
    pub fn add<D: Into<IndexDoc>>(
        &mut self,
        docs: impl IntoIterator<Item = D>,
    ) -> Result<Vec<Vec<Pair>>, IndexError> {
        self.check_usable()?;
        let docs: Vec<IndexDoc> = docs.into_iter().map(Into::into).collect();
        let mut seen = std::collections::HashSet::new();
        for d in &docs {
            if self.names.contains_key(&d.doc.id) {
                return Err(IndexError::DuplicateId {
                    id: d.doc.id.clone(),
                    in_batch: false,
                });
            }
            if !seen.insert(d.doc.id.as_str()) {
                return Err(IndexError::DuplicateId {
                    id: d.doc.id.clone(),
                    in_batch: true,
                });
            }
        }
        if docs.is_empty() {
            return Ok(Vec::new());
        }
        // From here on the memory changes first: any failure poisons the index.
        self.poisoned = true;
        let mut batch = self.keyspace.batch().durability(Some(PersistMode::SyncAll));
        let mut answers = Vec::with_capacity(docs.len());
        for IndexDoc { mut doc, title } in docs {
            let encoding = doc.decoding.take().map(|d| d.describe());
            let record = StoredDoc {
                id: doc.id.clone(),
                date: doc.date,
                source: doc.source.clone(),
                title: title.clone(),
                encoding: encoding.clone(),
            };
            let text = doc.text.clone();
            let id = self.scanner.docs().len() as DocId;
            let (pairs, sketch) = self.scanner.add_sketched(doc)?;
            let base = self.scanner.pairs().len() - pairs.len();
            self.encodings.push(encoding);
            self.remember(id, (&record.id, title, text.len()), &pairs, base);
            for (i, p) in pairs.iter().enumerate() {
                let stored = StoredPair {
                    a: p.a,
                    signals: p.signals,
                    comparison: p.comparison.clone(),
                };
                batch.insert(
                    &self.pairs,
                    pair_key(id, i as u32),
                    serde_json::to_vec(&stored).expect("pair serializes"),
                );
            }
            batch.insert(
                &self.docs,
                key(id),
                serde_json::to_vec(&record).expect("document serializes"),
            );
            batch.insert(&self.texts, key(id), text.into_bytes());
            batch.insert(&self.sketches, key(id), encode_sketch(&sketch));
            answers.push(pairs);
        }
        let count = self.scanner.docs().len() as u64;
        batch.insert(&self.meta, META_COUNT, count.to_le_bytes().to_vec());
        batch.commit().map_err(|source| IndexError::Store {
            path: self.path.clone(),
            source,
        })?;
        self.poisoned = false;
        Ok(answers)
    }

    fn check_usable(&self) -> Result<(), IndexError> {
        if self.read_only {
            return Err(IndexError::ReadOnly {
                path: self.path.clone(),
            });
        }
        if self.poisoned {
            return Err(IndexError::Poisoned {
                path: self.path.clone(),
            });
        }
        Ok(())
    }

    /// The relations `doc` would get if added now (numbered as the next document), without
    /// adding it (see [`IncrementalScanner::check`]). Its id may be one already indexed.
    pub fn check(&self, doc: impl Into<IndexDoc>) -> Result<Vec<Pair>, IndexError> {
        self.check_usable()?;
        let mut doc = doc.into().doc;
        doc.decoding = None;
        Ok(self.scanner.check(doc)?)
    }

    /// Documents indexed, by [`DocId`].
    pub fn docs(&self) -> &[DocInfo] {
        self.scanner.docs()
    }

    /// The number of the document with this id.
    pub fn doc_id(&self, name: &str) -> Option<DocId> {
        self.names.get(name).copied()
    }

    /// The title of a document, if it was given one.
    pub fn title(&self, doc: DocId) -> Option<&str> {
        self.titles.get(doc as usize).and_then(|t| t.as_deref())
    }

    /// The encoding the document's file was read in (`windows-1252`, `UTF-16LE (BOM)`, …),
    /// `None` for plain UTF-8 (and documents given as text).
    pub fn encoding(&self, doc: DocId) -> Option<&str> {
        self.encodings.get(doc as usize).and_then(|e| e.as_deref())
    }

    /// How the index was built: its scorer (and those it replaced) and corpus options.
    pub fn meta(&self) -> &IndexMeta {
        &self.info
    }

    /// The text of a document.
    pub fn text(&self, doc: DocId) -> Result<String, IndexError> {
        Ok(self.scanner.text(doc)?)
    }

    /// The pairs a document takes part in (as either side), in the order they were found.
    pub fn relations(&self, doc: DocId) -> Vec<Pair> {
        let all = self.scanner.pairs();
        self.by_doc.get(doc as usize).map_or(Vec::new(), |v| {
            v.iter().map(|&i| all[i as usize].clone()).collect()
        })
    }

    /// Every pair, in the order found (by later document, then earlier: the order of a
    /// batch scan's `pairs.jsonl`).
    pub fn pairs(&self) -> &[Pair] {
        self.scanner.pairs()
    }

    /// The families of all pairs (see [`stemma_scan::family`]).
    pub fn families(&self) -> Vec<Family> {
        self.scanner.families()
    }

    /// Compares two indexed documents again: both texts and the comparison.
    pub fn compare_pair(
        &self,
        a: DocId,
        b: DocId,
    ) -> Result<(String, String, Comparison), IndexError> {
        Ok(self.scanner.compare_pair(a, b)?)
    }

    /// The scan options in force (those the index was created with).
    pub fn options(&self) -> &ScanOptions {
        self.scanner.options()
    }

    /// The index folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Counts and sizes.
    pub fn stats(&self) -> IndexStats {
        let families = self.families();
        let mut by_relation: Vec<(Relation, usize)> = Vec::new();
        for p in self.pairs() {
            match by_relation
                .iter_mut()
                .find(|x| x.0 == p.comparison.relation)
            {
                Some(x) => x.1 += 1,
                None => by_relation.push((p.comparison.relation, 1)),
            }
        }
        by_relation.sort_by_key(|x| x.0);
        IndexStats {
            documents: self.docs().len(),
            pairs: self.pairs().len(),
            by_relation,
            largest_family: families.iter().map(|f| f.members.len()).max().unwrap_or(0),
            families: families.len(),
            text_bytes: self.text_bytes,
            disk_bytes: self.keyspace.disk_space(),
            schema: SCHEMA_VERSION,
        }
    }
}

impl<S: SentenceScorer + Sync> stemma_scan::ScanView for DiskIndex<S> {
    fn docs(&self) -> &[DocInfo] {
        DiskIndex::docs(self)
    }
    fn text(&self, doc: DocId) -> Result<String, ScanError> {
        self.scanner.text(doc)
    }
    fn compare_pair(&self, a: DocId, b: DocId) -> Result<(String, String, Comparison), ScanError> {
        self.scanner.compare_pair(a, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sketches_round_trip_and_bad_bytes_are_refused() {
        for sk in [
            DocSketch::default(),
            DocSketch {
                exact: Some(u64::MAX),
                lsh: vec![1, 2, 3],
                passage: vec![9; 40],
            },
            DocSketch {
                exact: None,
                lsh: vec![],
                passage: vec![7],
            },
        ] {
            let b = encode_sketch(&sk);
            assert_eq!(decode_sketch(&b), Some(sk));
            assert_eq!(decode_sketch(&b[..b.len() - 1]), None);
            let mut longer = b.clone();
            longer.push(0);
            assert_eq!(decode_sketch(&longer), None);
        }
    }

    #[test]
    fn stored_options_round_trip_and_name_their_differences() {
        let o = ScanOptions::default();
        let s = StoredOptions::of(&o);
        let back = s.apply(ScanOptions::default()).unwrap();
        assert_eq!(StoredOptions::of(&back), s);
        let mut other = o.clone();
        other.candidates.max_candidates = 3;
        let d = s.differences(&StoredOptions::of(&other));
        assert_eq!(d, "max_candidates: stored 10, given 3");
    }
}
