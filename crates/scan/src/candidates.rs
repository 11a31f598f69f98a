//! Candidate generation: which pairs of documents are worth verifying, without comparing all
//! pairs.
//!
//! Three signals, each reduced to `u64` keys per document (see [`crate::index`]):
//!
//! | signal | keys per document | catches |
//! |---|---|---|
//! | [`Signal::Exact`] | 1: hash of the normalized token sequence | duplicates |
//! | [`Signal::MinHash`] | one per LSH band of a MinHash signature over word n-gram shingles | near-duplicates |
//! | [`Signal::Passage`] | sentence anchor-pair keys (`stemma_sketch::passage`) | reworded rewrites, partial reuse |
//!
//! [`CandidateFinder::add`] is *query, then insert*: a document is checked against every
//! earlier document, then becomes findable. Exact and MinHash keys make a candidate on one
//! shared key; passage keys need [`CandidateOptions::min_shared_keys`] distinct shared keys
//! *and* at least [`CandidateOptions::min_shared_fraction`] of the smaller document's keys.
//! The fraction is what keeps cost down on real corpora: templated wire items (dividends,
//! earnings, bond issues) share a few anchor pairs with hundreds of others, while a rewrite
//! shares a good part of its keys with its source. On a 10,000-document generated corpus
//! (`stemma generate` over BBC + Reuters) the fraction 0.1 cuts candidates from 18.3 to 3.5 per
//! document while keeping 99.7% of rewrites, 94% of partial reuse and every (near-)duplicate.
//!
//! A persistent index must keep, beside the postings, each document's passage-key count (one
//! `u32` per document) for the fraction test.

use crate::index::{DocId, Index, MemIndex, Saturation};
use crate::lsh::MinHashLsh;
use crate::unionfind::UnionFind;
pub use stemma_sketch::lsh::LshParams;
use stemma_sketch::minhash::Scheme;
use stemma_sketch::passage::{PassageParams, document_keys};
use stemma_sketch::shingle;
use stemma_text::PreparedText;

/// A candidate signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Signal {
    /// Same normalized text.
    Exact,
    /// MinHash/LSH band collision.
    MinHash,
    /// Enough shared passage keys.
    Passage,
}

impl Signal {
    /// All signals.
    pub const ALL: [Signal; 3] = [Signal::Exact, Signal::MinHash, Signal::Passage];

    /// Bit of this signal in [`Candidate::signals`].
    pub fn bit(self) -> u8 {
        match self {
            Signal::Exact => 1,
            Signal::MinHash => 2,
            Signal::Passage => 4,
        }
    }

    /// Name used in summaries and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Exact => "exact",
            Signal::MinHash => "minhash",
            Signal::Passage => "passage",
        }
    }
}

/// Settings of candidate generation.
#[derive(Debug, Clone)]
pub struct CandidateOptions {
    /// Words per shingle for MinHash.
    pub ngram: usize,
    /// MinHash permutations (signature slots).
    pub num_perm: usize,
    /// LSH banding (`bands × rows <= num_perm`).
    pub lsh: LshParams,
    /// Passage key settings.
    pub passage: PassageParams,
    /// Distinct passage keys two documents must share to become a candidate.
    pub min_shared_keys: u32,
    /// Fraction of the smaller document's passage keys that must be shared.
    pub min_shared_fraction: f64,
    /// Document-frequency cap of passage keys (more frequent keys are ignored).
    pub passage_df_cap: usize,
    /// Posting cap of exact and LSH buckets (a new member links to the first `cap`).
    pub bucket_cap: usize,
    /// Signals in use.
    pub signals: Vec<Signal>,
    /// Candidates kept per document: its best earlier(-dated) documents, ranked by how much
    /// of it they explain (see [`CandidateFinder::add`]); `0` keeps all. Each document
    /// verifies against at most this many earlier ones, so verification is linear in the
    /// corpus.
    pub max_candidates: usize,
    /// Collapse exact duplicates: a document whose normalized text equals an earlier one's
    /// becomes one candidate pair with that group's first document (its *representative*) and
    /// is not indexed further — a group of `n` copies costs `n - 1` pairs, not `n(n-1)/2`.
    pub collapse_exact: bool,
    /// Candidates kept per document from one *cluster* of mutually similar earlier documents
    /// (variants of one story, joined when wholesale-similar, see [`CLUSTER_LINK`]); `0`
    /// keeps all. Verifying a document against 3 variants of a story it copies says as much
    /// as against 100 of them, and leaves room for the other stories it borrows from.
    pub max_per_cluster: usize,
    /// Candidates scoring below this ([`Candidate::score`]) are not verified: a free
    /// prefilter. Off (0) by default: on the generated 10k corpus 0.15 skips 42% of the
    /// verifications but loses 5% of the planted partial reuse (100k: 22%, 7%).
    pub min_score: f32,
    /// A candidate is *redundant*, and not verified, when less than this fraction of the
    /// passage keys it shares with the document is new — not shared by a better candidate
    /// already kept (a sibling copy of the source kept, or another variant of the same
    /// story). `0` turns the rule off. A document copying one story and a passage of another
    /// keeps a slot for the second source this way, whatever the size of the first story's
    /// cluster. Only candidates with a date are ever redundant: a pair goes to the pool of its
    /// later-dated document, so a dated candidate is a possible source (or a sibling) of the
    /// chooser, but an undated one may be its copy — a source read after its copies in an
    /// undated corpus would otherwise keep its best copy and drop the others, deep paraphrases
    /// first (on the self-made set scanned as one corpus, 85 of 265 labelled derived pairs).
    pub redundancy: f32,
}

/// Default of [`CandidateOptions::redundancy`].
pub const DEFAULT_REDUNDANCY: f32 = 0.2;

/// Default of [`CandidateOptions::max_per_cluster`].
pub const DEFAULT_MAX_PER_CLUSTER: usize = 3;

/// Default of [`CandidateOptions::max_candidates`].
pub const DEFAULT_MAX_CANDIDATES: usize = 10;

/// Default Jaccard threshold of the LSH banding: low, because verification decides.
pub const DEFAULT_LSH_THRESHOLD: f64 = 0.5;

impl Default for CandidateOptions {
    fn default() -> Self {
        CandidateOptions {
            ngram: stemma_sketch::shingle::DEFAULT_NGRAM,
            num_perm: 128,
            lsh: LshParams::for_threshold(DEFAULT_LSH_THRESHOLD, 128),
            passage: PassageParams::default(),
            min_shared_keys: 2,
            min_shared_fraction: 0.1,
            passage_df_cap: 64,
            bucket_cap: 32,
            signals: Signal::ALL.to_vec(),
            max_candidates: DEFAULT_MAX_CANDIDATES,
            collapse_exact: true,
            max_per_cluster: DEFAULT_MAX_PER_CLUSTER,
            min_score: 0.0,
            redundancy: DEFAULT_REDUNDANCY,
        }
    }
}

/// The keys of one document for every signal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocSketch {
    /// Hash of the normalized word sequence (`None` for a text without words).
    pub exact: Option<u64>,
    /// One key per LSH band.
    pub lsh: Vec<u64>,
    /// Passage keys, ascending, distinct.
    pub passage: Vec<u64>,
}

/// Computes [`DocSketch`]es (holds the MinHash functions; `Sync`, share it across threads).
#[derive(Debug, Clone)]
pub struct Sketcher {
    opts: CandidateOptions,
    minhash: MinHashLsh,
}

/// Seed of the scan's MinHash functions.
const MINHASH_SEED: u64 = 0x5eed_5ca1;

impl Sketcher {
    /// A sketcher for the given options.
    pub fn new(opts: &CandidateOptions) -> Self {
        Sketcher {
            opts: opts.clone(),
            minhash: MinHashLsh::new(
                Scheme::OnePermutation,
                opts.num_perm,
                MINHASH_SEED,
                opts.ngram,
                opts.lsh,
            ),
        }
    }

    /// The options.
    pub fn options(&self) -> &CandidateOptions {
        &self.opts
    }

    /// Keys of `text` (with `prepared = stemma_text::prepare(text)`).
    pub fn sketch(&self, text: &str, prepared: &PreparedText) -> DocSketch {
        let opts = &self.opts;
        let use_sig = |s: Signal| opts.signals.contains(&s);
        let mut out = DocSketch::default();
        let mut words = Vec::new();
        shingle::word_hashes(text, &mut words);
        if words.is_empty() {
            return out;
        }
        if use_sig(Signal::Exact) {
            out.exact = Some(shingle::text_hash_of_words(&words));
        }
        if use_sig(Signal::MinHash) && opts.lsh.bands * opts.lsh.rows <= opts.num_perm {
            let sig = self.minhash.signature(&words, &mut Vec::new());
            out.lsh = self.minhash.band_keys(&sig).collect();
        }
        if use_sig(Signal::Passage) {
            out.passage = document_keys(prepared, &opts.passage);
        }
        out
    }
}

/// A pair worth verifying: `a` was read before `b`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Earlier document.
    pub a: DocId,
    /// Later document.
    pub b: DocId,
    /// Bit set of [`Signal::bit`] for the signals that proposed the pair.
    pub signals: u8,
    /// Distinct passage keys shared.
    pub shared_keys: u32,
    /// LSH bands shared.
    pub shared_bands: u32,
    /// Candidate score in `[0, 2]`: 2 for an exact copy, else the larger of the fraction of
    /// LSH bands shared and the fraction of the smaller document's passage keys shared (what
    /// [`CandidateOptions::min_score`] tests; pools rank by the chooser's own fraction).
    pub score: f32,
}

impl Candidate {
    /// True when `s` proposed the pair.
    pub fn has(&self, s: Signal) -> bool {
        self.signals & s.bit() != 0
    }
}

/// Counts of candidate generation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CandidateStats {
    /// Documents added.
    pub documents: usize,
    /// Distinct candidate pairs.
    pub pairs: usize,
    /// Pairs proposed by each signal (a pair may count under several).
    pub exact: usize,
    /// Pairs proposed by MinHash/LSH.
    pub minhash: usize,
    /// Pairs proposed by passage keys.
    pub passage: usize,
    /// Documents collapsed onto an earlier exact copy (their representative).
    pub collapsed: usize,
    /// Candidate pairs not kept: over the caps, redundant, or below the score floor.
    pub dropped: usize,
}

/// Streaming candidate generator over three indexes (one per signal).
#[derive(Debug)]
pub struct CandidateFinder<I: Index = MemIndex> {
    exact: I,
    lsh: I,
    passage: I,
    min_shared: u32,
    min_fraction: f64,
    /// Shared keys held by no other earlier document that make a candidate below
    /// `min_fraction` (`0`: off; see [`CandidateFinder::with_rare_keys`]).
    min_rare: u32,
    /// Passage-key count of every document added (by id).
    key_counts: Vec<u32>,
    stats: CandidateStats,
    max_candidates: usize,
    collapse_exact: bool,
    /// Exact-duplicate group of every document: its representative (itself if none).
    group: Vec<DocId>,
    max_per_cluster: usize,
    min_score: f32,
    /// Union-find over wholesale-similar candidate pairs (see [`CLUSTER_LINK`]).
    cluster: UnionFind,
    /// Date of every document ([`UNDATED`] if none).
    dates: Vec<i64>,
    /// Pairs chosen by each document (it is their later-dated side), see
    /// [`CandidateFinder::add`].
    pools: Vec<Vec<Pooled>>,
    redundancy: f32,
    /// Exact copies' pairs with their representative (never capped).
    collapsed_pairs: Vec<Candidate>,
    /// Buffers of the last [`CandidateFinder::add`] (its candidates in `found`).
    buf: Scratch,
    /// Pairs in the pools and exact-copy pairs.
    pooled: usize,
    /// LSH bands per document (the most seen).
    bands: u32,
}

/// The setting studied for [`CandidateFinder::with_rare_keys`] (not the default: off).
pub const RARE_KEYS: u32 = 3;

/// Candidates whose LSH band fraction, or shared passage keys over the *larger* document's
/// keys, reach this join one cluster of mutually similar documents (variants of one story);
/// a document keeps at most [`CandidateOptions::max_per_cluster`] candidates per cluster.
pub const CLUSTER_LINK: f32 = 0.5;

impl CandidateFinder<MemIndex> {
    /// A finder with in-memory indexes.
    pub fn in_memory(opts: &CandidateOptions) -> Self {
        CandidateFinder::with_indexes(
            MemIndex::new(opts.bucket_cap, Saturation::KeepFirst),
            MemIndex::new(opts.bucket_cap, Saturation::KeepFirst),
            MemIndex::new(opts.passage_df_cap, Saturation::Ignore),
            opts.min_shared_keys,
            opts.min_shared_fraction,
        )
        .with_limits(opts.max_candidates, opts.collapse_exact)
        .with_cluster_cap(opts.max_per_cluster, opts.min_score)
        .with_redundancy(opts.redundancy)
    }

    /// Approximate heap bytes of the three indexes.
    pub fn heap_bytes(&self) -> usize {
        self.exact.heap_bytes() + self.lsh.heap_bytes() + self.passage.heap_bytes()
    }
}

impl<I: Index> CandidateFinder<I> {
    /// A finder over the given indexes (e.g. persistent ones).
    pub fn with_indexes(
        exact: I,
        lsh: I,
        passage: I,
        min_shared_keys: u32,
        min_shared_fraction: f64,
    ) -> Self {
        CandidateFinder {
            exact,
            lsh,
            passage,
            min_shared: min_shared_keys.max(1),
            min_fraction: min_shared_fraction.clamp(0.0, 1.0),
            min_rare: 0,
            key_counts: Vec::new(),
            stats: CandidateStats::default(),
            max_candidates: 0,
            collapse_exact: false,
            group: Vec::new(),
            max_per_cluster: 0,
            min_score: 0.0,
            cluster: UnionFind::default(),
            dates: Vec::new(),
            pools: Vec::new(),
            redundancy: 0.0,
            collapsed_pairs: Vec::new(),
            buf: Scratch::default(),
            pooled: 0,
            bands: 0,
        }
    }

    /// Sets the per-document candidate cap (`0`: none) and exact-duplicate collapsing (see
    /// [`CandidateOptions::max_candidates`], [`CandidateOptions::collapse_exact`]).
    pub fn with_limits(mut self, max_candidates: usize, collapse_exact: bool) -> Self {
        self.max_candidates = max_candidates;
        self.collapse_exact = collapse_exact;
        self
    }

    /// Sets the per-cluster cap (`0`: none; see [`CandidateOptions::max_per_cluster`]) and
    /// the lowest candidate score kept ([`CandidateOptions::min_score`]).
    pub fn with_cluster_cap(mut self, max_per_cluster: usize, min_score: f32) -> Self {
        self.max_per_cluster = max_per_cluster;
        self.min_score = min_score;
        self
    }

    /// Makes a pair sharing at least `n` passage keys that no other earlier document holds a
    /// candidate whatever the share of its keys ([`CandidateOptions::min_shared_fraction`];
    /// `0`, the default: off). Two documents alone in pairing the same anchors in a sentence,
    /// several times over, are worth verifying: an excerpt embedded in a long unrelated text
    /// shares few of its source's keys, while a wire template's keys are held by many
    /// documents. Measured with [`RARE_KEYS`] (docs/notes/scan.md, heavy style): planted
    /// partial reuse found +0.8 points on the heavy 5k corpus for +5% verified pairs, but
    /// derivation precision fell (0.968 → 0.960, with the template change) and Reuters gave
    /// 419 more rewrites, so it is not on by default.
    pub fn with_rare_keys(mut self, n: u32) -> Self {
        self.min_rare = n;
        self
    }

    /// Sets the redundancy rule (see [`CandidateOptions::redundancy`]; `0`: off).
    pub fn with_redundancy(mut self, redundancy: f32) -> Self {
        self.redundancy = redundancy.clamp(0.0, 1.0);
        self
    }

    /// Counts so far.
    pub fn stats(&self) -> &CandidateStats {
        &self.stats
    }

    /// Keys and postings stored per signal: (exact, minhash, passage).
    pub fn index_sizes(&self) -> [(usize, usize); 3] {
        [
            (self.exact.key_count(), self.exact.posting_count()),
            (self.lsh.key_count(), self.lsh.posting_count()),
            (self.passage.key_count(), self.passage.posting_count()),
        ]
    }

    fn set_key_count(&mut self, doc: DocId, n: u32) {
        if self.key_counts.len() <= doc as usize {
            self.key_counts.resize(doc as usize + 1, 0);
        }
        self.key_counts[doc as usize] = n;
    }

    /// Finds the candidates of `doc` among the documents added before it, then adds it.
    ///
    /// `date` (seconds since the Unix epoch) decides which side of a pair *chooses* it: a
    /// copy can only derive from an earlier document, so each pair is offered to its
    /// later-dated document (the later-read one when a date is missing or equal), and each
    /// document keeps its best [`CandidateOptions::max_candidates`] offers, at most
    /// [`CandidateOptions::max_per_cluster`] per cluster. A document read after its copies
    /// (a shuffled or back-filled corpus) is offered to them, so the result is what a
    /// date-ordered pass would give. Ties in score go to the earlier-dated (then
    /// earlier-read) document: of several equally good candidates, the oldest is the likely
    /// original. [`CandidateFinder::finish`] returns the selections.
    pub fn add(&mut self, doc: DocId, date: Option<i64>, sk: &DocSketch) {
        let mut buf = std::mem::take(&mut self.buf);
        let date_b = date.unwrap_or(UNDATED);
        let (rep, dropped) = self.probe(doc, sk, &mut buf);
        if self.group.len() <= doc as usize {
            self.group.resize(doc as usize + 1, DocId::MAX);
            self.dates.resize(doc as usize + 1, UNDATED);
            self.pools.resize_with(doc as usize + 1, Vec::new);
        }
        self.group[doc as usize] = rep.unwrap_or(doc);
        self.dates[doc as usize] = date_b;
        self.cluster.grow(self.group.len());
        self.stats.dropped += dropped;
        // Each pair goes to the pool of its later-dated document, with the passage keys it
        // shares (folded to 32 bits).
        self.set_key_count(doc, sk.passage.len() as u32);
        self.bands = self.bands.max(sk.lsh.len() as u32);
        let mut own: Vec<Pooled> = Vec::with_capacity(buf.found.len());
        for c in &buf.found {
            let p = buf.pooled(c, sk);
            let da = self.dates[c.a as usize];
            if da != UNDATED && date_b != UNDATED && da > date_b {
                self.offer(c.a, vec![p]);
            } else {
                own.push(p);
            }
        }
        self.offer(doc, own);
        for &a in buf.links.iter().chain(rep.as_ref()) {
            self.cluster.union(a as usize, doc as usize);
        }
        self.buf = buf;
        let exact_keys: Vec<u64> = sk.exact.into_iter().collect();
        if let Some(r) = rep {
            self.collapsed_pairs.push(Candidate {
                a: r,
                b: doc,
                signals: Signal::Exact.bit(),
                shared_keys: 0,
                shared_bands: 0,
                score: 2.0,
            });
            self.stats.collapsed += 1;
            self.pooled += 1;
        } else {
            self.exact.insert(doc, &exact_keys);
        }
        self.lsh.insert(doc, &sk.lsh);
        self.passage.insert(doc, &sk.passage);
        self.stats.documents += 1;
    }

    /// The query half of [`CandidateFinder::add`]: the candidates of `doc` among the documents
    /// added so far (in `buf.found`, sorted by `a`, scored, over the score floor), the
    /// documents its candidates link it to in one cluster (`buf.links`), its exact-copy
    /// representative, and the number of candidates under the score floor. Changes nothing.
    fn probe(&self, doc: DocId, sk: &DocSketch, buf: &mut Scratch) -> (Option<DocId>, usize) {
        let out = &mut buf.found;
        out.clear();
        let push = |out: &mut Vec<Candidate>, a: DocId, f: &dyn Fn(&mut Candidate)| {
            if a == doc {
                return;
            }
            match out.binary_search_by_key(&a, |c| c.a) {
                Ok(i) => f(&mut out[i]),
                Err(i) => {
                    let mut c = Candidate {
                        a,
                        b: doc,
                        signals: 0,
                        shared_keys: 0,
                        shared_bands: 0,
                        score: 0.0,
                    };
                    f(&mut c);
                    out.insert(i, c);
                }
            }
        };
        let exact_keys: Vec<u64> = sk.exact.into_iter().collect();
        let scratch = &mut buf.scratch;
        scratch.clear();
        self.exact.query(&exact_keys, scratch);
        // An exact copy (collapsing): one `exact` pair with its group's representative (the
        // group's first document), no pair with the group's other copies.
        let rep = if self.collapse_exact {
            scratch.iter().map(|x| x.0).filter(|&a| a != doc).min()
        } else {
            None
        };
        let group = &self.group;
        let same_group = |a: DocId| {
            rep.is_some_and(|r| a == r || group.get(a as usize).is_some_and(|&g| g == r))
        };
        if rep.is_none() {
            for &(a, _) in scratch.iter() {
                push(out, a, &|c| c.signals |= Signal::Exact.bit());
            }
        }
        scratch.clear();
        self.lsh.query(&sk.lsh, scratch);
        for &(a, n) in scratch.iter().filter(|x| !same_group(x.0)) {
            push(out, a, &|c| {
                c.signals |= Signal::MinHash.bit();
                c.shared_bands = n;
            });
        }
        // Passage keys: which keys each earlier document shares (for the redundancy rule of
        // the pools), grouped by document; `scratch` gets (document, count).
        let post = &mut buf.post;
        post.clear();
        self.passage.postings(&sk.passage, post);
        post.sort_unstable();
        post.dedup();
        scratch.clear();
        buf.post_at.clear();
        for (i, &(d, _)) in post.iter().enumerate() {
            match scratch.last_mut() {
                Some(last) if last.0 == d => last.1 += 1,
                _ => {
                    scratch.push((d, 1));
                    buf.post_at.push(i as u32);
                }
            }
        }
        buf.post_at.push(post.len() as u32);
        // How many earlier documents hold each of the document's keys (saturated keys are
        // not in `post`).
        let key_df = &mut buf.key_df;
        key_df.clear();
        key_df.resize(sk.passage.len(), 0);
        for &(_, i) in post.iter() {
            key_df[i as usize] += 1;
        }
        for (g, &(a, n)) in scratch.iter().enumerate() {
            if same_group(a) || n < self.min_shared {
                continue;
            }
            let ka = self.key_counts.get(a as usize).copied().unwrap_or(0);
            let smaller = ka.min(sk.passage.len() as u32) as f64;
            // Keys no other earlier document holds are evidence whatever their share: an
            // excerpt in a long unrelated text shares few keys with its source, but keys
            // that pair the same two anchors in one sentence of only these two documents.
            let rare = || {
                post[buf.post_at[g] as usize..buf.post_at[g + 1] as usize]
                    .iter()
                    .filter(|&&(_, i)| key_df[i as usize] == 1)
                    .count() as u32
            };
            if n as f64 >= self.min_fraction * smaller
                || (self.min_rare > 0 && rare() >= self.min_rare)
            {
                push(out, a, &|c| {
                    c.signals |= Signal::Passage.bit();
                    c.shared_keys = n;
                });
            }
        }
        // Scores (shared passage keys count for a pair proposed by other signals too).
        let nb = sk.lsh.len().max(1) as f32;
        let kb = sk.passage.len() as u32;
        buf.links.clear();
        for c in out.iter_mut() {
            if c.shared_keys == 0
                && let Ok(i) = scratch.binary_search_by_key(&c.a, |x| x.0)
            {
                c.shared_keys = scratch[i].1;
            }
            let ka = self.key_counts.get(c.a as usize).copied().unwrap_or(0);
            let bands = c.shared_bands as f32 / nb;
            let keys = c.shared_keys as f32 / ka.min(kb).max(1) as f32;
            c.score = if c.has(Signal::Exact) {
                2.0
            } else {
                bands.max(keys.min(1.0))
            };
            // Wholesale similarity (of the larger document too): joins the two clusters.
            let sym = c.shared_keys as f32 / ka.max(kb).max(1) as f32;
            if c.has(Signal::Exact) || bands.max(sym) >= CLUSTER_LINK {
                buf.links.push(c.a);
            }
        }
        let mut dropped = 0;
        if self.min_score > 0.0 {
            let before = out.len();
            let floor = self.min_score;
            out.retain(|c| c.score >= floor);
            dropped = before - out.len();
        }
        (rep, dropped)
    }

    /// The candidate pairs [`CandidateFinder::add`] would select for `doc` (the next document
    /// number) with this date and sketch, without adding it: its pair with its exact-copy
    /// representative, the pairs its own pool keeps, and the pairs it would be offered to in
    /// the pool of an earlier-read but later-dated document that would keep them — sorted by
    /// `a`. Changes nothing: what the same `add` followed by [`CandidateFinder::pool`] (and
    /// the pools of the documents it was offered to) would show.
    pub fn check(&self, doc: DocId, date: Option<i64>, sk: &DocSketch) -> Vec<Candidate> {
        let mut buf = Scratch::default();
        let (rep, _) = self.probe(doc, sk, &mut buf);
        let date_b = date.unwrap_or(UNDATED);
        let bands = self.bands.max(sk.lsh.len() as u32);
        let dates = &self.dates;
        let date_of = |d: DocId| if d == doc { date_b } else { dates[d as usize] };
        let cluster = &self.cluster;
        let mut root_of = |d: DocId| {
            if (d as usize) < cluster.len() {
                cluster.root(d as usize) as DocId
            } else {
                d
            }
        };
        let limits = |chooser_keys: u32| PoolLimits {
            max_candidates: self.max_candidates,
            max_per_cluster: self.max_per_cluster,
            redundancy: self.redundancy,
            bands,
            chooser_keys,
        };
        let mut out: Vec<Candidate> = rep
            .map(|r| Candidate {
                a: r,
                b: doc,
                signals: Signal::Exact.bit(),
                shared_keys: 0,
                shared_bands: 0,
                score: 2.0,
            })
            .into_iter()
            .collect();
        let mut own: Vec<Pooled> = Vec::with_capacity(buf.found.len());
        for c in &buf.found {
            let p = buf.pooled(c, sk);
            let da = dates[c.a as usize];
            if da != UNDATED && date_b != UNDATED && da > date_b {
                let mut pool = self.pools[c.a as usize].clone();
                pool.push(p);
                let lim = limits(self.key_counts[c.a as usize]);
                prune_pool(&mut pool, c.a, &lim, &date_of, &mut root_of);
                out.extend(pool.iter().map(|x| x.c).filter(|x| x.b == doc));
            } else {
                own.push(p);
            }
        }
        if !own.is_empty() {
            let lim = limits(sk.passage.len() as u32);
            prune_pool(&mut own, doc, &lim, &date_of, &mut root_of);
            out.extend(own.iter().map(|x| x.c));
        }
        out.sort_unstable_by_key(|c| c.a);
        out
    }

    /// Adds `new` candidate pairs to the pool of `chooser`, then keeps its best
    /// `max_candidates`, at most `max_per_cluster` per cluster, none redundant (see
    /// [`CandidateOptions::redundancy`]).
    fn offer(&mut self, chooser: DocId, new: Vec<Pooled>) {
        if new.is_empty() {
            return;
        }
        let added = new.len();
        let pool = &mut self.pools[chooser as usize];
        let before = pool.len();
        pool.extend(new);
        let limits = PoolLimits {
            max_candidates: self.max_candidates,
            max_per_cluster: self.max_per_cluster,
            redundancy: self.redundancy,
            bands: self.bands,
            chooser_keys: self.key_counts[chooser as usize],
        };
        let dates = &self.dates;
        let cluster = &mut self.cluster;
        prune_pool(pool, chooser, &limits, &|d| dates[d as usize], &mut |d| {
            cluster.find(d as usize) as DocId
        });
        self.stats.dropped += before + added - pool.len();
        self.pooled = self.pooled + pool.len() - before;
    }

    /// The candidates the last [`CandidateFinder::add`] found for its document, before the
    /// pools chose among them (sorted by `a`). An incremental caller looks here for the pairs
    /// offered to an earlier-read but later-dated document's pool.
    pub fn last_found(&self) -> &[Candidate] {
        &self.buf.found
    }

    /// The representative of `doc`'s exact-duplicate group when collapsing made it a copy of
    /// an earlier document (its pair with the representative is then its only candidate).
    pub fn representative(&self, doc: DocId) -> Option<DocId> {
        self.group.get(doc as usize).copied().filter(|&r| r != doc)
    }

    /// Candidate pairs selected so far (exact-copy pairs included); final after the last
    /// [`CandidateFinder::add`].
    pub fn selected(&self) -> usize {
        self.pooled
    }

    /// The pairs `doc` has chosen so far (those where it is the later-dated side), best first
    /// when the pool was pruned, without its exact-copy pair.
    pub fn pool(&self, doc: DocId) -> Vec<Candidate> {
        self.pools
            .get(doc as usize)
            .map_or(Vec::new(), |p| p.iter().map(|x| x.c).collect())
    }

    /// Every selected pair, sorted by `(a, b)` (each `a` read before its `b`), and the final
    /// counts in [`CandidateFinder::stats`]. The finder keeps its indexes; selections start
    /// afresh.
    pub fn finish(&mut self) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = std::mem::take(&mut self.collapsed_pairs);
        for p in &mut self.pools {
            out.extend(p.drain(..).map(|x| x.c));
            p.shrink_to_fit();
        }
        self.pooled = 0;
        out.sort_unstable_by_key(|c| (c.a, c.b));
        self.stats.pairs = out.len();
        self.stats.exact = out.iter().filter(|c| c.has(Signal::Exact)).count();
        self.stats.minhash = out.iter().filter(|c| c.has(Signal::MinHash)).count();
        self.stats.passage = out.iter().filter(|c| c.has(Signal::Passage)).count();
        out
    }
}

/// The limits a pool is pruned to (see [`CandidateOptions::max_candidates`],
/// [`CandidateOptions::max_per_cluster`], [`CandidateOptions::redundancy`]).
#[derive(Debug, Clone, Copy)]
pub struct PoolLimits {
    /// Candidates kept (`0`: all).
    pub max_candidates: usize,
    /// Candidates kept per cluster (`0`: all).
    pub max_per_cluster: usize,
    /// Redundancy fraction (`0`: off).
    pub redundancy: f32,
    /// LSH bands per document.
    pub bands: u32,
    /// Passage keys of the choosing document.
    pub chooser_keys: u32,
}

/// Keeps the best of `pool` (pairs chosen by `chooser`): at most `max_candidates`, at most
/// `max_per_cluster` per cluster (`root_of`: a document's cluster), none redundant; ties go
/// to the earlier-dated (`date_of`), then earlier-read document.
fn prune_pool(
    pool: &mut Vec<Pooled>,
    chooser: DocId,
    limits: &PoolLimits,
    date_of: &dyn Fn(DocId) -> i64,
    root_of: &mut dyn FnMut(DocId) -> DocId,
) {
    let (k, m) = (limits.max_candidates, limits.max_per_cluster);
    let n = pool.len();
    if (k > 0 && n > k) || (m > 0 && n > m) || (limits.redundancy > 0.0 && n > 1) {
        let other = |c: &Candidate| if c.a == chooser { c.b } else { c.a };
        // How much of the chooser an earlier document explains: the fraction of LSH bands
        // or of the chooser's own passage keys shared (a short copy of a variant does not
        // outrank the full source, as it would by the smaller document's fraction).
        let (nb, kc) = (
            limits.bands.max(1) as f32,
            limits.chooser_keys.max(1) as f32,
        );
        let rank = |c: &Candidate| {
            if c.has(Signal::Exact) {
                2.0
            } else {
                (c.shared_bands as f32 / nb).max(c.shared_keys as f32 / kc)
            }
        };
        // Best first; ties: the earlier-dated, then earlier-read document.
        pool.sort_unstable_by(|x, y| {
            let (ox, oy) = (other(&x.c), other(&y.c));
            rank(&y.c)
                .total_cmp(&rank(&x.c))
                .then(date_of(ox).cmp(&date_of(oy)))
                .then(ox.cmp(&oy))
        });
        let mut counts: Vec<(DocId, usize)> = Vec::new();
        let mut covered: Vec<u32> = Vec::new();
        let mut w = 0;
        for r in 0..pool.len() {
            let root = root_of(other(&pool[r].c));
            let i = match counts.iter().position(|x| x.0 == root) {
                Some(i) => i,
                None => {
                    counts.push((root, 0));
                    counts.len() - 1
                }
            };
            if (m > 0 && counts[i].1 >= m) || (k > 0 && w >= k) {
                continue;
            }
            // Redundant: what it shares with the chooser is (nearly) all shared with a
            // better-ranked candidate already kept (a sibling copy, another variant). Only a
            // dated candidate can be: an undated one may be the chooser's own copy (see
            // [`CandidateOptions::redundancy`]).
            let keys = &pool[r].keys;
            if w > 0
                && !keys.is_empty()
                && !pool[r].c.has(Signal::Exact)
                && date_of(other(&pool[r].c)) != UNDATED
            {
                let novel = keys
                    .iter()
                    .filter(|x| covered.binary_search(x).is_err())
                    .count();
                if (novel as f32) < limits.redundancy * keys.len() as f32 {
                    // Of two candidates that explain the same (each nearly all of what
                    // the other does), the earlier-dated is the likely original: it takes
                    // the later one's place.
                    let red = limits.redundancy;
                    let mutual = |x: &[u32], y: &[u32]| {
                        let new_in = |p: &[u32], q: &[u32]| {
                            let n = p.iter().filter(|k| !q.contains(k)).count();
                            (n as f32) < red * p.len() as f32
                        };
                        new_in(x, y) && new_in(y, x)
                    };
                    let me = other(&pool[r].c);
                    if let Some(j) = (0..w).find(|&j| {
                        let them = other(&pool[j].c);
                        date_of(me) < date_of(them)
                            && !pool[j].c.has(Signal::Exact)
                            && mutual(keys, &pool[j].keys)
                    }) {
                        pool.swap(j, r);
                        continue;
                    }
                    // ... when it explains at least three quarters as much as the best one kept.
                    if !older_than_kept(me, &pool[..w], chooser, date_of)
                        || 4 * pool[r].c.shared_keys < 3 * pool[0].c.shared_keys
                    {
                        continue;
                    }
                }
            }
            covered.extend(keys.iter().copied());
            covered.sort_unstable();
            covered.dedup();
            counts[i].1 += 1;
            pool.swap(w, r);
            w += 1;
        }
        pool.truncate(w);
    }
}

/// True when `me` is dated strictly before every candidate kept so far (`kept`, whose other
/// side is not the chooser): it is then the likely original of what it shares with them, and
/// a kept candidate covering its keys is more likely a sibling copy than its source. Such a
/// candidate is not dropped as redundant — with heavy rewording a sibling copy can share a few
/// chance synonyms with the chooser that the true source lacks, so the sibling outranks the
/// source without the two being mutually redundant (see docs/notes/scan.md, heavy style).
fn older_than_kept(
    me: DocId,
    kept: &[Pooled],
    chooser: DocId,
    date_of: &dyn Fn(DocId) -> i64,
) -> bool {
    let d = date_of(me);
    d != UNDATED
        && kept.iter().all(|p| {
            let them = if p.c.a == chooser { p.c.b } else { p.c.a };
            d < date_of(them)
        })
}

/// A pair offered to a pool from elsewhere (e.g. a distributed scan), with what
/// [`select_pool`] ranks it by.
#[derive(Debug, Clone)]
pub struct Offer {
    /// The pair.
    pub candidate: Candidate,
    /// Passage keys the pair shares.
    pub shared: Vec<u64>,
    /// Date of the other document (not the chooser), if known.
    pub other_date: Option<i64>,
    /// Cluster of the other document (any id shared by the documents of one cluster).
    pub other_cluster: DocId,
}

/// The pairs `chooser` keeps of `offers`, by the rules of [`CandidateFinder::add`]'s pools,
/// applied once to the whole pool (the streaming finder prunes as offers arrive, with the
/// clusters known so far).
pub fn select_pool(chooser: DocId, limits: &PoolLimits, offers: Vec<Offer>) -> Vec<Candidate> {
    let mut info: Vec<(DocId, i64, DocId)> = offers
        .iter()
        .map(|o| {
            let c = &o.candidate;
            let other = if c.a == chooser { c.b } else { c.a };
            (other, o.other_date.unwrap_or(UNDATED), o.other_cluster)
        })
        .collect();
    info.sort_unstable();
    info.dedup_by_key(|x| x.0);
    let look = |d: DocId| info.binary_search_by_key(&d, |x| x.0).ok().map(|i| info[i]);
    let mut pool: Vec<Pooled> = offers
        .into_iter()
        .map(|o| Pooled {
            c: o.candidate,
            keys: o.shared.iter().map(|&k| fold32(k)).collect(),
        })
        .collect();
    prune_pool(
        &mut pool,
        chooser,
        limits,
        &|d| look(d).map_or(UNDATED, |x| x.1),
        &mut |d| look(d).map_or(d, |x| x.2),
    );
    pool.into_iter().map(|p| p.c).collect()
}

/// Buffers of one query of the indexes (see [`CandidateFinder::probe`]).
#[derive(Debug, Default)]
struct Scratch {
    /// Candidates of the document, sorted by `a`.
    found: Vec<Candidate>,
    /// `(document, count)` per index query; after the passage query, per document sharing
    /// passage keys, sorted by document.
    scratch: Vec<(DocId, u32)>,
    /// Passage postings of the document, `(document, key index)`, and where each document's
    /// run starts in it.
    post: Vec<(DocId, u32)>,
    post_at: Vec<u32>,
    /// Per key of the document: the earlier documents holding it.
    key_df: Vec<u32>,
    /// Documents the candidates link the document to in one cluster.
    links: Vec<DocId>,
}

impl Scratch {
    /// Candidate `c` of the last probe with the passage keys it shares (folded to 32 bits).
    fn pooled(&self, c: &Candidate, sk: &DocSketch) -> Pooled {
        let keys: Box<[u32]> = match self.scratch.binary_search_by_key(&c.a, |x| x.0) {
            Ok(g) => self.post[self.post_at[g] as usize..self.post_at[g + 1] as usize]
                .iter()
                .map(|&(_, i)| fold32(sk.passage[i as usize]))
                .collect(),
            Err(_) => Box::new([]),
        };
        Pooled { c: *c, keys }
    }
}

/// A pair in a pool, with the passage keys it shares (folded to 32 bits).
#[derive(Debug, Clone)]
struct Pooled {
    c: Candidate,
    keys: Box<[u32]>,
}

/// A key folded to 32 bits (enough to tell the keys of two documents apart).
fn fold32(k: u64) -> u32 {
    (k ^ (k >> 32)) as u32
}

/// Date of a document without one (sorts after every real date).
const UNDATED: i64 = i64::MAX;

#[cfg(test)]
mod tests {
    use super::*;

    fn sk(exact: Option<u64>, lsh: &[u64], passage: &[u64]) -> DocSketch {
        DocSketch {
            exact,
            lsh: lsh.to_vec(),
            passage: passage.to_vec(),
        }
    }

    /// Adds an undated document; appends the pairs it chose, sorted by `a`.
    fn add(f: &mut CandidateFinder, doc: DocId, s: &DocSketch, out: &mut Vec<Candidate>) {
        f.add(doc, None, s);
        let mut mine = f.pool(doc).to_vec();
        mine.sort_unstable_by_key(|c| c.a);
        out.extend(mine);
    }

    #[test]
    fn rare_shared_keys_make_a_candidate_below_the_fraction_when_asked() {
        let opts = CandidateOptions {
            collapse_exact: false,
            redundancy: 0.0,
            ..CandidateOptions::default()
        };
        // A source of 40 keys; a long host sharing 3 of them (7.5% < 10%).
        let source: Vec<u64> = (1..=40).collect();
        let host: Vec<u64> = [1, 2, 3].into_iter().chain(100..140).collect();
        // The same three keys, but also held by another earlier document: not rare.
        let other: Vec<u64> = [1, 2, 3].into_iter().chain(200..240).collect();
        for (rare, with_other, expect) in [
            (0, false, false), // off (the default): the fraction decides
            (3, false, true),  // three keys only these two hold
            (4, false, false), // fewer rare keys than asked
            (3, true, false),  // the keys are held by a third document
        ] {
            let mut f = CandidateFinder::in_memory(&opts).with_rare_keys(rare);
            let mut out = Vec::new();
            add(&mut f, 0, &sk(None, &[], &source), &mut out);
            let host_id = if with_other {
                add(&mut f, 1, &sk(None, &[], &other), &mut out);
                out.clear();
                2
            } else {
                1
            };
            add(&mut f, host_id, &sk(None, &[], &host), &mut out);
            assert_eq!(
                out.iter().any(|c| c.a == 0),
                expect,
                "rare {rare} other {with_other}: {out:?}"
            );
        }
    }

    #[test]
    fn finder_merges_signals_and_applies_key_threshold() {
        let opts = CandidateOptions {
            min_shared_keys: 2,
            collapse_exact: false,
            redundancy: 0.0,
            ..CandidateOptions::default()
        };
        let mut f = CandidateFinder::in_memory(&opts);
        let mut out = Vec::new();
        add(&mut f, 0, &sk(Some(7), &[1, 2], &[10, 11, 12]), &mut out);
        assert!(out.is_empty());
        add(&mut f, 1, &sk(Some(7), &[1, 3], &[10, 11]), &mut out);
        assert_eq!(out.len(), 1);
        let c = out[0];
        assert_eq!((c.a, c.b), (0, 1));
        assert!(c.has(Signal::Exact) && c.has(Signal::MinHash) && c.has(Signal::Passage));
        assert_eq!((c.shared_bands, c.shared_keys), (1, 2));
        out.clear();
        // One shared passage key is below the threshold; nothing else shared.
        add(&mut f, 2, &sk(Some(8), &[9], &[12, 99]), &mut out);
        assert!(out.is_empty());
        add(&mut f, 3, &sk(None, &[], &[10, 11, 12, 50]), &mut out);
        assert_eq!(out.iter().map(|c| c.a).collect::<Vec<_>>(), vec![0, 1]);
        assert!(out.iter().all(|c| c.signals == Signal::Passage.bit()));
        assert_eq!(f.selected(), 3);
        assert_eq!(f.finish().len(), 3);
        assert_eq!(f.stats().pairs, 3);
        assert_eq!(f.stats().passage, 3);
    }

    #[test]
    fn exact_copies_collapse_onto_their_representative() {
        let opts = CandidateOptions {
            max_per_cluster: 0,
            redundancy: 0.0,
            ..CandidateOptions::default()
        };
        let mut f = CandidateFinder::in_memory(&opts);
        let mut out = Vec::new();
        // Document 0: a near copy read first; 1..=5: five exact copies of one text.
        add(&mut f, 0, &sk(Some(8), &[1, 3], &[10, 11, 12]), &mut out);
        add(&mut f, 1, &sk(Some(7), &[1, 2], &[10, 11, 12]), &mut out);
        for d in 2..=5 {
            add(&mut f, d, &sk(Some(7), &[1, 2], &[10, 11, 12]), &mut out);
        }
        let out = f.finish();
        let pairs = |out: &[Candidate]| out.iter().map(|c| (c.a, c.b)).collect::<Vec<_>>();
        // Copies pair with the representative (1) and with other documents (0), never with
        // each other: 4 duplicate pairs, not 10.
        let exact: Vec<_> = out
            .iter()
            .filter(|c| c.has(Signal::Exact))
            .copied()
            .collect();
        assert_eq!(pairs(&exact), vec![(1, 2), (1, 3), (1, 4), (1, 5)]);
        assert!(exact.iter().all(|c| c.signals == Signal::Exact.bit()));
        assert_eq!(out.len(), 4 + 5);
        assert!(out.iter().filter(|c| c.a == 0).count() == 5);
        assert_eq!(f.stats().collapsed, 4);
        // A later near copy finds the copies too (one of them may be its real source).
        let mut out = Vec::new();
        add(&mut f, 6, &sk(Some(9), &[1, 4], &[10, 11, 12]), &mut out);
        assert_eq!(
            out.iter().map(|c| c.a).collect::<Vec<_>>(),
            vec![0, 1, 2, 3, 4, 5]
        );
    }

    #[test]
    fn only_the_best_candidates_are_kept() {
        let opts = CandidateOptions {
            max_candidates: 2,
            min_shared_fraction: 0.0,
            redundancy: 0.0,
            ..CandidateOptions::default()
        };
        let mut f = CandidateFinder::in_memory(&opts);
        let mut out = Vec::new();
        let base: Vec<u64> = (100..120).collect();
        // Earlier documents sharing 3, 15, 6 and 20 of the 20 keys.
        for (d, n) in [(0u32, 3usize), (1, 15), (2, 6), (3, 20)] {
            let keys: Vec<u64> = base[..n]
                .iter()
                .copied()
                .chain(1000 * (d as u64 + 1)..1000 * (d as u64 + 1) + (20 - n as u64))
                .collect();
            let mut keys = keys;
            keys.sort_unstable();
            add(&mut f, d, &sk(None, &[], &keys), &mut out);
        }
        out.clear();
        add(&mut f, 4, &sk(None, &[], &base), &mut out);
        assert_eq!(out.iter().map(|c| c.a).collect::<Vec<_>>(), vec![1, 3]);
        assert!(out[1].score > out[0].score);
        assert!(f.stats().dropped >= 2);
        // A score floor drops the weak ones whatever the cap.
        let opts = CandidateOptions {
            max_candidates: 0,
            min_score: 0.5,
            ..opts
        };
        let mut f = CandidateFinder::in_memory(&opts);
        for (d, n) in [(0u32, 3usize), (1, 15), (2, 6), (3, 20)] {
            let mut keys: Vec<u64> = base[..n]
                .iter()
                .copied()
                .chain(1000 * (d as u64 + 1)..1000 * (d as u64 + 1) + (20 - n as u64))
                .collect();
            keys.sort_unstable();
            add(&mut f, d, &sk(None, &[], &keys), &mut out);
        }
        out.clear();
        add(&mut f, 4, &sk(None, &[], &base), &mut out);
        assert_eq!(out.iter().map(|c| c.a).collect::<Vec<_>>(), vec![1, 3]);
    }

    #[test]
    fn a_cluster_of_variants_fills_at_most_its_share() {
        let opts = CandidateOptions {
            max_per_cluster: 2,
            min_shared_fraction: 0.0,
            redundancy: 0.0,
            ..CandidateOptions::default()
        };
        let mut f = CandidateFinder::in_memory(&opts);
        let mut out = Vec::new();
        // Five variants of story S (keys 0..20, each missing one), then story T (100..120).
        for d in 0..5u32 {
            let keys: Vec<u64> = (0..20).filter(|&k| k != d as u64).collect();
            add(&mut f, d, &sk(None, &[], &keys), &mut out);
        }
        add(
            &mut f,
            5,
            &sk(None, &[], &(100..120).collect::<Vec<_>>()),
            &mut out,
        );
        out.clear();
        // A document copying S wholesale and a passage of T: two S variants (equally good:
        // the earliest, likely originals) and T.
        let keys: Vec<u64> = (0..20).chain(100..104).collect();
        add(&mut f, 6, &sk(None, &[], &keys), &mut out);
        assert_eq!(out.iter().map(|c| c.a).collect::<Vec<_>>(), vec![0, 1, 5]);
        // Without the cap every variant is kept.
        let opts = CandidateOptions {
            max_per_cluster: 0,
            ..opts
        };
        let mut f = CandidateFinder::in_memory(&opts);
        for d in 0..5u32 {
            let keys: Vec<u64> = (0..20).filter(|&k| k != d as u64).collect();
            add(&mut f, d, &sk(None, &[], &keys), &mut out);
        }
        out.clear();
        add(&mut f, 6, &sk(None, &[], &keys), &mut out);
        assert_eq!(out.len(), 5);
    }

    #[test]
    fn pairs_go_to_the_later_dated_document_whatever_the_reading_order() {
        let opts = CandidateOptions {
            max_candidates: 1,
            max_per_cluster: 0,
            min_shared_fraction: 0.0,
            redundancy: 0.0,
            ..CandidateOptions::default()
        };
        let day = 86_400;
        // Read order: copy X (day 5), sibling Y (day 4, shares everything with X), then the
        // source S (day 1). Undated, X would keep Y; dated, S is offered to X and Y and wins
        // the tie with Y (the earlier document).
        let keys: Vec<u64> = (0..20).collect();
        let run = |dated: bool| {
            let mut f = CandidateFinder::in_memory(&opts);
            let d = |n: i64| dated.then_some(n * day);
            f.add(0, d(5), &sk(None, &[], &keys));
            f.add(1, d(4), &sk(None, &[], &keys));
            f.add(2, d(1), &sk(None, &[], &keys));
            let pools: Vec<Vec<(DocId, DocId)>> = (0..3)
                .map(|x| f.pool(x).iter().map(|c| (c.a, c.b)).collect())
                .collect();
            (pools, f.finish())
        };
        let (pools, all) = run(false);
        assert_eq!(pools, vec![vec![], vec![(0, 1)], vec![(0, 2)]]);
        assert_eq!(all.len(), 2);
        let (pools, all) = run(true);
        // X (doc 0) chose S; Y (doc 1) chose S; S chose nothing (nothing is earlier).
        assert_eq!(pools, vec![vec![(0, 2)], vec![(1, 2)], vec![]]);
        assert_eq!(
            all.iter().map(|c| (c.a, c.b)).collect::<Vec<_>>(),
            vec![(0, 2), (1, 2)]
        );
    }

    #[test]
    fn a_candidate_explaining_nothing_new_is_redundant() {
        let opts = CandidateOptions {
            max_per_cluster: 0,
            min_shared_fraction: 0.0,
            ..CandidateOptions::default()
        };
        assert!(opts.redundancy > 0.0);
        let mut f = CandidateFinder::in_memory(&opts);
        let day = |n: i64| Some(n * 86_400);
        let story: Vec<u64> = (0..20).map(|k| k * 7919 + 1).collect();
        let other: Vec<u64> = (0..10).map(|k| k * 104_729 + 3).collect();
        // 0: the source; 1: a later sibling copy sharing the same keys plus a few of its own;
        // 2: another story. Dated (an undated candidate is never redundant).
        f.add(0, day(1), &sk(None, &[], &story));
        let mut sib = story.clone();
        sib.extend(90_001..90_007);
        sib.sort_unstable();
        f.add(1, day(2), &sk(None, &[], &sib));
        f.add(2, day(3), &sk(None, &[], &other));
        // A copy of the story with a passage of the other: the source (best, earliest), and the
        // other story — not the sibling, which explains nothing the source does not.
        let mut keys: Vec<u64> = story.iter().chain(&other[..4]).copied().collect();
        keys.sort_unstable();
        f.add(3, day(4), &sk(None, &[], &keys));
        let mut got: Vec<DocId> = f.pool(3).iter().map(|c| c.a).collect();
        got.sort_unstable();
        assert_eq!(got, vec![0, 2]);
        // A copy that also has the sibling's own keys keeps the sibling (it explains them).
        let mut keys2 = sib.clone();
        keys2.push(5);
        keys2.sort_unstable();
        f.add(4, day(5), &sk(None, &[], &keys2));
        assert!(f.pool(4).iter().any(|c| c.a == 1), "{:?}", f.pool(4));
    }

    #[test]
    fn an_undated_source_read_after_its_copies_keeps_them_all() {
        let opts = CandidateOptions {
            max_per_cluster: 0,
            min_shared_fraction: 0.0,
            ..CandidateOptions::default()
        };
        let story: Vec<u64> = (0..20).map(|k| k * 7919 + 1).collect();
        // A light copy keeping 18 of the source's keys, a deep paraphrase keeping 5 of them
        // (all among the light copy's), then the source itself.
        let mut light: Vec<u64> = story[..18].to_vec();
        light.extend([90_001, 90_002]);
        light.sort_unstable();
        let mut deep: Vec<u64> = story[..5].to_vec();
        deep.extend(80_001..80_011);
        deep.sort_unstable();
        let run = |dates: [Option<i64>; 3]| {
            let mut f = CandidateFinder::in_memory(&opts);
            f.add(0, dates[0], &sk(None, &[], &light));
            f.add(1, dates[1], &sk(None, &[], &deep));
            f.add(2, dates[2], &sk(None, &[], &story));
            let pools: Vec<Vec<DocId>> = (0..3)
                .map(|d| {
                    let mut a: Vec<DocId> = f.pool(d).iter().map(|c| c.a).collect();
                    a.sort_unstable();
                    a
                })
                .collect();
            pools
        };
        // Undated: nothing says the copies came first; the source's pool keeps both (what
        // the deep paraphrase shares is covered by the light copy, yet it is not a sibling).
        assert_eq!(run([None; 3]), vec![vec![], vec![0], vec![0, 1]]);
        // Dated with the source last (it would be a copy of both): the deep one is redundant.
        let day = |n: i64| Some(n * 86_400);
        assert_eq!(
            run([day(1), day(2), day(3)]),
            vec![vec![], vec![0], vec![0]]
        );
    }

    #[test]
    fn an_older_source_is_kept_beside_a_later_sibling_that_covers_it() {
        let opts = CandidateOptions {
            max_per_cluster: 0,
            min_shared_fraction: 0.0,
            ..CandidateOptions::default()
        };
        let source: Vec<u64> = (0..20).map(|k| k * 7919 + 1).collect();
        // The sibling copy shares 16 of the source's keys and 4 chance keys of its own.
        let mut sib: Vec<u64> = source[..16].to_vec();
        sib.extend([90_001, 90_002, 90_003, 90_004]);
        sib.sort_unstable();
        // The chooser shares 15 keys with the source and those plus the sibling's 4 with it:
        // the sibling ranks first and covers everything the source explains.
        let mut chooser: Vec<u64> = source[..15].to_vec();
        chooser.extend([90_001, 90_002, 90_003, 90_004, 5, 6]);
        chooser.sort_unstable();
        let run = |dates: [i64; 3], source_keys: &[u64]| {
            let mut f = CandidateFinder::in_memory(&opts);
            f.add(0, Some(dates[0]), &sk(None, &[], source_keys));
            f.add(1, Some(dates[1]), &sk(None, &[], &sib));
            f.add(2, Some(dates[2]), &sk(None, &[], &chooser));
            let mut got: Vec<DocId> = f.pool(2).iter().map(|c| c.a).collect();
            got.sort_unstable();
            got
        };
        // Source dated first: kept although redundant (the likely original).
        assert_eq!(run([100, 200, 300], &source), vec![0, 1]);
        // Source dated after the sibling: redundant, dropped.
        assert_eq!(run([250, 200, 300], &source), vec![1]);
        // Source explaining less than 3/4 of what the sibling does: dropped.
        let thin: Vec<u64> = source[..12].iter().chain(&source[16..]).copied().collect();
        assert_eq!(run([100, 200, 300], &thin), vec![1]);
    }

    #[test]
    fn fraction_of_the_smaller_document_is_required() {
        let opts = CandidateOptions {
            min_shared_keys: 2,
            min_shared_fraction: 0.5,
            redundancy: 0.0,
            ..CandidateOptions::default()
        };
        let mut f = CandidateFinder::in_memory(&opts);
        let mut out = Vec::new();
        let big: Vec<u64> = (100..140).collect();
        add(&mut f, 0, &sk(None, &[], &big), &mut out);
        // 2 of 10 keys shared: below half of the smaller document.
        let few: Vec<u64> = [100, 101].into_iter().chain(500..508).collect();
        add(&mut f, 1, &sk(None, &[], &few), &mut out);
        assert!(out.is_empty());
        // 3 of 4 shared with doc 0 (although only 3 of its 40 keys match), 2 of 4 with doc 1.
        add(&mut f, 2, &sk(None, &[], &[100, 101, 102, 900]), &mut out);
        assert_eq!(
            out.iter().map(|c| (c.a, c.b)).collect::<Vec<_>>(),
            vec![(0, 2), (1, 2)]
        );
    }

    #[test]
    fn sketcher_keys_copies_alike_and_skips_empty_texts() {
        let sk = Sketcher::new(&CandidateOptions::default());
        let a = "The harbour bridge of Brackenford opened on Monday after 14 months of work. \
                 Mayor Ilse Varnholt cut the ribbon in front of a large crowd.";
        let b = "THE HARBOUR BRIDGE of Brackenford opened on Monday, after 14 months of work! \
                 Mayor Ilse Varnholt cut the ribbon in front of a large crowd.";
        let (x, y) = (
            sk.sketch(a, &stemma_text::prepare(a)),
            sk.sketch(b, &stemma_text::prepare(b)),
        );
        assert!(x.exact.is_some());
        assert_eq!(x.exact, y.exact);
        assert_eq!(x.lsh, y.lsh);
        assert_eq!(x.lsh.len(), CandidateOptions::default().lsh.bands);
        assert!(!x.passage.is_empty());
        let e = sk.sketch("  ... ", &stemma_text::prepare("  ... "));
        assert_eq!(e, DocSketch::default());
    }
}
