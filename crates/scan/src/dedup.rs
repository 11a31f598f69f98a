//! Near-duplicate removal (`stemma dedup`): exact duplicates by a hash of the normalized
//! text, near-duplicates by MinHash + LSH, optionally verified by exact shingle Jaccard,
//! clustered with union-find; one representative is kept per cluster.
//!
//! Parameters mean what they mean in datasketch / text-dedup: `threshold` is a Jaccard
//! similarity of word-shingle sets, `num_perm` the signature size, `ngram` the shingle size
//! in words (see [`stemma_sketch::shingle`] for the normalization), and `(bands, rows)` are
//! derived from the threshold with datasketch's rule unless given.
//!
//! Candidate pairs: every document in an LSH bucket is paired with the bucket's first
//! document (lowest number), as text-dedup does; without `verify` every candidate pair is
//! linked (like datasketch's `MinHashLSH.query`), with `verify` only pairs whose exact Jaccard
//! reaches the threshold. Documents with the same normalized word sequence are always linked.
//!
//! Usage: [`Deduper::add_batch`] sketches documents in parallel (rayon) and keeps only a
//! signature, band keys and a few numbers per document; [`Deduper::finish`] finds clusters
//! and asks the caller for texts again only to verify pairs.

use crate::lsh::MinHashLsh;
use rayon::prelude::*;
pub use stemma_sketch::lsh::LshParams;
pub use stemma_sketch::minhash::Scheme;
use stemma_sketch::minhash::estimate_jaccard;
use stemma_sketch::shingle;

/// Which document of a cluster is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// The first one read.
    #[default]
    First,
    /// The longest text (ties: the first read).
    Longest,
    /// The earliest date (documents without a readable date count as latest; ties: the first
    /// read).
    Earliest,
}

/// Settings of a dedup run.
#[derive(Debug, Clone)]
pub struct DedupOptions {
    /// Jaccard similarity threshold (default 0.8).
    pub threshold: f64,
    /// MinHash signature size (default 128).
    pub num_perm: usize,
    /// Shingle size in words (default 5).
    pub ngram: usize,
    /// Explicit banding; `None` = derived from `threshold`, `num_perm` and `weights`.
    pub lsh: Option<LshParams>,
    /// (false-positive, false-negative) weights for deriving the banding, as datasketch's
    /// `MinHashLSH(weights=...)`. `None`: `(0.5, 0.5)` (datasketch's default) without
    /// `verify`; `(0.05, 0.95)` with `verify`, since verification removes LSH false
    /// positives and the banding can favour recall (for 0.8/128: 16×8 instead of 9×13).
    pub weights: Option<(f64, f64)>,
    /// Link candidate pairs only when their exact shingle Jaccard reaches the threshold.
    pub verify: bool,
    /// Representative choice.
    pub keep: Keep,
    /// MinHash seed.
    pub seed: u64,
    /// MinHash scheme.
    pub scheme: Scheme,
}

impl Default for DedupOptions {
    fn default() -> Self {
        DedupOptions {
            threshold: 0.8,
            num_perm: 128,
            ngram: 5,
            lsh: None,
            weights: None,
            verify: false,
            keep: Keep::First,
            seed: 1,
            scheme: Scheme::OnePermutation,
        }
    }
}

/// Default banding weights (false positive, false negative) with `verify`.
pub const VERIFY_WEIGHTS: (f64, f64) = (0.05, 0.95);

/// Invalid dedup settings.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DedupError {
    /// Threshold outside (0, 1].
    #[error("threshold must be in (0, 1], got {0}")]
    Threshold(f64),
    /// Zero num_perm or ngram.
    #[error("{0} must be at least 1")]
    Zero(&'static str),
    /// Negative or all-zero banding weights.
    #[error("banding weights must be non-negative and not both zero, got ({0}, {1})")]
    Weights(f64, f64),
    /// Bands × rows larger than num_perm, or zero.
    #[error("bands ({bands}) × rows ({rows}) must be between 1 and num_perm ({num_perm})")]
    Banding {
        /// Bands asked.
        bands: usize,
        /// Rows asked.
        rows: usize,
        /// Signature size.
        num_perm: usize,
    },
}

/// One document handed to [`Deduper::add_batch`].
#[derive(Debug, Clone, Copy)]
pub struct DedupDoc<'a> {
    /// The text.
    pub text: &'a str,
    /// The date as given (used by [`Keep::Earliest`]).
    pub date: Option<&'a str>,
}

/// A document removed as a duplicate of a kept one.
#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    /// Number (input order) of the removed document.
    pub removed: usize,
    /// Cluster index in [`DedupResult::clusters`].
    pub cluster: usize,
    /// Number of the kept representative.
    pub kept: usize,
    /// Same normalized word sequence as the kept document.
    pub exact: bool,
    /// Jaccard estimated from the two signatures (1.0 for exact duplicates).
    pub estimated_jaccard: f64,
    /// Exact shingle Jaccard with the kept document (only with `verify`).
    pub true_jaccard: Option<f64>,
}

/// Counts of a dedup run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DedupStats {
    /// Documents sketched.
    pub documents: usize,
    /// Documents with no word (only exact-duplicate detection applies).
    pub no_words: usize,
    /// Pairs linked because their normalized texts are equal.
    pub exact_pairs: usize,
    /// Candidate pairs from LSH buckets (not exact duplicates).
    pub candidate_pairs: usize,
    /// Candidate pairs linked (all of them without `verify`).
    pub linked_pairs: usize,
    /// Clusters of two or more documents.
    pub clusters: usize,
    /// Documents removed.
    pub removed: usize,
}

/// The outcome of a dedup run.
#[derive(Debug, Clone)]
pub struct DedupResult {
    /// Clusters of two or more documents (document numbers, ascending), ordered by their
    /// first document.
    pub clusters: Vec<Vec<usize>>,
    /// Kept representative of each cluster.
    pub kept: Vec<usize>,
    /// Removed documents, in input order.
    pub removals: Vec<Removal>,
    /// `keep_mask[i]`: document `i` is written out.
    pub keep_mask: Vec<bool>,
    /// Counts.
    pub stats: DedupStats,
    /// The banding used.
    pub lsh: LshParams,
}

/// Candidate links of a corpus (document numbers, `a < b`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Candidates {
    /// Documents with the same normalized word sequence (each linked to its group's first).
    pub exact: Vec<(u32, u32)>,
    /// Pairs sharing an LSH bucket, without exact duplicates; sorted, unique.
    pub lsh: Vec<(u32, u32)>,
}

impl Candidates {
    /// Documents whose text `finish_with` needs under `verify`: every document of an LSH pair
    /// (sorted, unique).
    pub fn documents(&self) -> Vec<usize> {
        let mut d: Vec<usize> = self
            .lsh
            .iter()
            .flat_map(|&(a, b)| [a as usize, b as usize])
            .collect();
        d.sort_unstable();
        d.dedup();
        d
    }
}

/// Accumulates sketches of a corpus, then clusters it.
#[derive(Debug)]
pub struct Deduper {
    opts: DedupOptions,
    minhash: MinHashLsh,
    lsh: LshParams,
    /// Flat signatures, `num_perm` per document (documents without words: all `u32::MAX`).
    sigs: Vec<u32>,
    /// Flat band keys, `bands` per document.
    keys: Vec<u64>,
    text_hash: Vec<u64>,
    has_words: Vec<bool>,
    len: Vec<usize>,
    date: Vec<Option<i64>>,
}

/// What a [`Deduper`] keeps of one document (see [`Deduper::sketch`]): enough to find its
/// candidates and estimate its similarity anywhere else (e.g. on a cluster's executors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sketch {
    /// MinHash signature (`num_perm` values; all `u32::MAX` for a text without words).
    pub sig: Vec<u32>,
    /// One LSH key per band (empty for a text without words).
    pub keys: Vec<u64>,
    /// Hash of the normalized word sequence (of the trimmed bytes for a text without words):
    /// equal hashes are exact duplicates.
    pub text_hash: u64,
    /// The text has at least one word (only such documents take part in LSH).
    pub has_words: bool,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<(Vec<u64>, Vec<u64>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

impl Deduper {
    /// A deduper; checks the settings.
    pub fn new(opts: DedupOptions) -> Result<Deduper, DedupError> {
        if !(opts.threshold > 0.0 && opts.threshold <= 1.0) {
            return Err(DedupError::Threshold(opts.threshold));
        }
        if opts.num_perm == 0 {
            return Err(DedupError::Zero("num_perm"));
        }
        if opts.ngram == 0 {
            return Err(DedupError::Zero("ngram"));
        }
        let lsh = match opts.lsh {
            Some(p) => {
                LshParams::new(p.bands, p.rows, opts.num_perm).ok_or(DedupError::Banding {
                    bands: p.bands,
                    rows: p.rows,
                    num_perm: opts.num_perm,
                })?
            }
            None => {
                let (fp, fneg) = match opts.weights {
                    Some(w) => w,
                    None if opts.verify => VERIFY_WEIGHTS,
                    None => (0.5, 0.5),
                };
                if !(fp >= 0.0 && fneg >= 0.0 && fp + fneg > 0.0) {
                    return Err(DedupError::Weights(fp, fneg));
                }
                LshParams::for_threshold_weighted(opts.threshold, opts.num_perm, fp, fneg)
            }
        };
        Ok(Deduper {
            minhash: MinHashLsh::new(opts.scheme, opts.num_perm, opts.seed, opts.ngram, lsh),
            lsh,
            opts,
            sigs: Vec::new(),
            keys: Vec::new(),
            text_hash: Vec::new(),
            has_words: Vec::new(),
            len: Vec::new(),
            date: Vec::new(),
        })
    }

    /// The banding in use.
    pub fn lsh(&self) -> LshParams {
        self.lsh
    }

    /// Documents added so far.
    pub fn len(&self) -> usize {
        self.len.len()
    }

    /// True before any document is added.
    pub fn is_empty(&self) -> bool {
        self.len.is_empty()
    }

    /// The sketch of one text, exactly as [`Deduper::add_batch`] computes it.
    pub fn sketch(&self, text: &str) -> Sketch {
        SCRATCH.with(|s| {
            let (words, shingles) = &mut *s.borrow_mut();
            words.clear();
            shingles.clear();
            shingle::word_hashes(text, words);
            let sig = self.minhash.signature(words, shingles);
            let has_words = !words.is_empty();
            let keys = if has_words {
                self.minhash.band_keys(&sig).collect()
            } else {
                Vec::new()
            };
            Sketch {
                // No word: fall back to the exact bytes, so "!!!" and "???" stay apart.
                text_hash: if has_words {
                    shingle::text_hash_of_words(words)
                } else {
                    xxhash_rust::xxh3::xxh3_64_with_seed(text.trim().as_bytes(), 0x6e6f)
                },
                sig,
                keys,
                has_words,
            }
        })
    }

    /// Sketches a batch in parallel and appends it; documents are numbered in call order.
    pub fn add_batch(&mut self, docs: &[DedupDoc<'_>]) {
        let sketches: Vec<Sketch> = docs.par_iter().map(|d| self.sketch(d.text)).collect();
        for (d, s) in docs.iter().zip(sketches) {
            self.sigs.extend_from_slice(&s.sig);
            if s.has_words {
                self.keys.extend_from_slice(&s.keys);
            } else {
                // Placeholder keys; documents without words are left out of LSH in `finish`.
                self.keys.extend(std::iter::repeat_n(0, self.lsh.bands));
            }
            self.text_hash.push(s.text_hash);
            self.has_words.push(s.has_words);
            self.len.push(d.text.len());
            self.date.push(d.date.and_then(parse_date));
        }
    }

    fn sig(&self, i: usize) -> &[u32] {
        let k = self.opts.num_perm;
        &self.sigs[i * k..(i + 1) * k]
    }

    /// Finds clusters and removals: [`Deduper::candidates`] then [`Deduper::finish_with`].
    /// `text(i)` must return document `i`'s text; it is called only with `verify` (to compute
    /// exact Jaccard), from several threads.
    pub fn finish<'t, F>(self, text: F) -> DedupResult
    where
        F: Fn(usize) -> &'t str + Sync,
    {
        let c = self.candidates();
        self.finish_with(c, text)
    }

    /// The candidate links: exact duplicates and LSH bucket pairs.
    pub fn candidates(&self) -> Candidates {
        let n = self.len();
        // Exact duplicates: each member of a group of equal hashes with the group's first.
        let mut by_hash: Vec<(u64, u32)> = (0..n).map(|i| (self.text_hash[i], i as u32)).collect();
        by_hash.par_sort_unstable();
        let mut exact = Vec::new();
        for g in by_hash.chunk_by(|x, y| x.0 == y.0) {
            for &(_, d) in &g[1..] {
                exact.push((g[0].1, d));
            }
        }

        // LSH buckets, one band at a time in parallel: pair each member with the first.
        let bands = self.lsh.bands;
        let mut pairs: Vec<(u32, u32)> = (0..bands)
            .into_par_iter()
            .flat_map_iter(|b| {
                let mut v: Vec<(u64, u32)> = (0..n)
                    .filter(|&i| self.has_words[i])
                    .map(|i| (self.keys[i * bands + b], i as u32))
                    .collect();
                v.sort_unstable();
                let mut out = Vec::new();
                for g in v.chunk_by(|x, y| x.0 == y.0) {
                    for &(_, d) in &g[1..] {
                        out.push((g[0].1, d));
                    }
                }
                out
            })
            .collect();
        pairs.par_sort_unstable();
        pairs.dedup();
        // Exact duplicates are linked anyway.
        pairs.retain(|&(a, b)| self.text_hash[a as usize] != self.text_hash[b as usize]);
        Candidates { exact, lsh: pairs }
    }

    /// Finds clusters and removals from `candidates` (of this deduper). With `verify`,
    /// `text(i)` is called for every document of [`Candidates::documents`] and for no other.
    pub fn finish_with<'t, F>(self, candidates: Candidates, text: F) -> DedupResult
    where
        F: Fn(usize) -> &'t str + Sync,
    {
        let n = self.len();
        let mut stats = DedupStats {
            documents: n,
            no_words: self.has_words.iter().filter(|&&w| !w).count(),
            exact_pairs: candidates.exact.len(),
            candidate_pairs: candidates.lsh.len(),
            ..Default::default()
        };
        let mut uf = UnionFind::new(n);
        for &(a, b) in &candidates.exact {
            uf.union(a as usize, b as usize);
        }
        let pairs = candidates.lsh;

        // With verify: the exact shingle set of every document in a candidate pair, computed
        // once (in parallel), not once per pair.
        let mut sets: Vec<Option<Vec<u64>>> = Vec::new();
        if self.opts.verify {
            let mut need: Vec<u32> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
            need.par_sort_unstable();
            need.dedup();
            let computed: Vec<(u32, Vec<u64>)> = need
                .into_par_iter()
                .map(|d| (d, shingle::shingle_set(text(d as usize), self.opts.ngram)))
                .collect();
            sets = vec![None; n];
            for (d, s) in computed {
                sets[d as usize] = Some(s);
            }
        }
        // A document without a cached set is only exact-linked: any document with the same
        // normalized text has the same set, so look for a cached one first.
        let mut set_of_hash: std::collections::HashMap<u64, usize> =
            std::collections::HashMap::new();
        if self.opts.verify {
            for (i, s) in sets.iter().enumerate() {
                if s.is_some() {
                    set_of_hash.entry(self.text_hash[i]).or_insert(i);
                }
            }
        }
        let true_jaccard = |a: usize, b: usize| -> f64 {
            let set = |i: usize| {
                let j = set_of_hash.get(&self.text_hash[i]).copied().unwrap_or(i);
                match &sets[j] {
                    Some(s) => std::borrow::Cow::Borrowed(s.as_slice()),
                    None => std::borrow::Cow::Owned(shingle::shingle_set(text(i), self.opts.ngram)),
                }
            };
            shingle::jaccard(&set(a), &set(b))
        };
        let linked: Vec<(u32, u32)> = if self.opts.verify {
            let t = self.opts.threshold;
            pairs
                .into_par_iter()
                .filter(|&(a, b)| true_jaccard(a as usize, b as usize) >= t)
                .collect()
        } else {
            pairs
        };
        stats.linked_pairs = linked.len();
        for &(a, b) in &linked {
            uf.union(a as usize, b as usize);
        }

        // Clusters (ordered by first member, members ascending).
        let mut members: Vec<(usize, usize)> = (0..n).map(|i| (uf.find(i), i)).collect();
        members.sort_unstable();
        let mut clusters: Vec<Vec<usize>> = members
            .chunk_by(|x, y| x.0 == y.0)
            .filter(|g| g.len() > 1)
            .map(|g| g.iter().map(|&(_, i)| i).collect())
            .collect();
        clusters.sort_unstable_by_key(|c| c[0]);
        stats.clusters = clusters.len();

        let kept: Vec<usize> = clusters.iter().map(|c| self.representative(c)).collect();
        let mut keep_mask = vec![true; n];
        let mut plan = Vec::new();
        for (ci, (c, &k)) in clusters.iter().zip(&kept).enumerate() {
            for &d in c {
                if d != k {
                    keep_mask[d] = false;
                    plan.push((d, ci, k));
                }
            }
        }
        plan.sort_unstable();
        let verify = self.opts.verify;
        let removals: Vec<Removal> = plan
            .into_par_iter()
            .map(|(d, ci, k)| {
                let exact = self.text_hash[d] == self.text_hash[k];
                Removal {
                    removed: d,
                    cluster: ci,
                    kept: k,
                    exact,
                    estimated_jaccard: if exact {
                        1.0
                    } else {
                        estimate_jaccard(self.sig(d), self.sig(k))
                    },
                    true_jaccard: verify.then(|| if exact { 1.0 } else { true_jaccard(d, k) }),
                }
            })
            .collect();
        stats.removed = removals.len();
        DedupResult {
            clusters,
            kept,
            removals,
            keep_mask,
            stats,
            lsh: self.lsh,
        }
    }

    fn representative(&self, cluster: &[usize]) -> usize {
        match self.opts.keep {
            Keep::First => cluster[0],
            // Ties go to the first: compare (key, Reverse(index)) with max, or (key, index) with min.
            Keep::Longest => *cluster
                .iter()
                .max_by_key(|&&i| (self.len[i], std::cmp::Reverse(i)))
                .expect("non-empty cluster"),
            Keep::Earliest => *cluster
                .iter()
                .min_by_key(|&&i| (crate::date::date_key(self.date[i]), i))
                .expect("non-empty cluster"),
        }
    }
}

pub use crate::date::parse_date;
pub use crate::unionfind::UnionFind;

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "The city council approved a new budget on Monday that raises spending on \
        public transport by twelve percent while cutting administrative costs, after a debate \
        that lasted late into the night and drew protests from several neighbourhood groups \
        who argued that the plan ignored the needs of the outer districts and their residents.";

    fn run(texts: &[&str], dates: &[Option<&str>], opts: DedupOptions) -> DedupResult {
        let mut d = Deduper::new(opts).unwrap();
        let docs: Vec<DedupDoc> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| DedupDoc {
                text: t,
                date: dates.get(i).copied().flatten(),
            })
            .collect();
        d.add_batch(&docs[..docs.len() / 2]);
        d.add_batch(&docs[docs.len() / 2..]);
        d.finish(|i| texts[i])
    }

    #[test]
    fn exact_near_and_unrelated() {
        let exact = BASE.to_uppercase().replace(',', " ,");
        let near = BASE.replace("residents", "citizens");
        let other = "A small bakery in the harbour district won a national award for its rye \
            bread, which the owners say follows a recipe handed down for four generations.";
        let texts = [
            BASE,
            other,
            exact.as_str(),
            near.as_str(),
            "!!!",
            "???",
            " !!!",
        ];
        let r = run(&texts, &[], DedupOptions::default());
        // {0,2,3} near-duplicates; texts without words match only on their trimmed bytes.
        assert_eq!(r.clusters, vec![vec![0, 2, 3], vec![4, 6]]);
        assert_eq!(
            r.keep_mask,
            vec![true, true, false, false, true, true, false]
        );
        assert_eq!(r.removals.len(), 3);
        assert!(r.removals[0].exact && r.removals[0].estimated_jaccard == 1.0);
        assert!(!r.removals[1].exact);
        assert!(r.removals[1].estimated_jaccard > 0.5);
        assert_eq!(r.removals[1].true_jaccard, None);
        assert_eq!(r.stats.no_words, 3);
        assert_eq!(r.stats.removed, 3);
    }

    #[test]
    fn verify_rejects_pairs_below_threshold() {
        // Heavily edited: many words replaced, exact Jaccard well below 0.8.
        let far = BASE
            .replace("budget", "plan")
            .replace("spending", "money")
            .replace("administrative", "office")
            .replace("debate", "meeting")
            .replace("protests", "complaints");
        let texts = [BASE, far.as_str()];
        // Low banding so that LSH proposes the pair; verification must then reject it.
        let opts = DedupOptions {
            lsh: Some(LshParams { bands: 64, rows: 2 }),
            verify: true,
            ..Default::default()
        };
        let r = run(&texts, &[], opts.clone());
        assert_eq!(r.stats.candidate_pairs, 1);
        assert_eq!(r.stats.linked_pairs, 0);
        assert!(r.clusters.is_empty());
        let unverified = run(
            &texts,
            &[],
            DedupOptions {
                verify: false,
                ..opts
            },
        );
        assert_eq!(unverified.clusters, vec![vec![0, 1]]);
    }

    #[test]
    fn keep_policies() {
        let longer = format!("{BASE} Officials said more details would follow.");
        let texts = [BASE, longer.as_str(), BASE];
        let dates = [Some("2020-05-02"), Some("01-MAY-2020 10:00:00"), None];
        let r = run(
            &texts,
            &dates,
            DedupOptions {
                threshold: 0.5,
                ..Default::default()
            },
        );
        assert_eq!(r.kept, vec![0]);
        let r = run(
            &texts,
            &dates,
            DedupOptions {
                threshold: 0.5,
                keep: Keep::Longest,
                ..Default::default()
            },
        );
        assert_eq!(r.kept, vec![1]);
        let r = run(
            &texts,
            &dates,
            DedupOptions {
                threshold: 0.5,
                keep: Keep::Earliest,
                ..Default::default()
            },
        );
        assert_eq!(r.kept, vec![1]);
        assert_eq!(
            r.removals.iter().map(|x| x.removed).collect::<Vec<_>>(),
            vec![0, 2]
        );
    }

    #[test]
    fn verify_reads_only_candidate_documents() {
        let exact = BASE.to_uppercase();
        let near = BASE.replace("residents", "citizens");
        let other = "A small bakery in the harbour district won a national award for its rye \
            bread, which the owners say follows a recipe handed down for four generations.";
        // Keep the longest: the exact copy with extra punctuation, which is in no LSH pair.
        let exact_longer = format!("{exact}!!!");
        let texts = [BASE, other, exact_longer.as_str(), near.as_str()];
        let opts = DedupOptions {
            verify: true,
            keep: Keep::Longest,
            ..Default::default()
        };
        let mut d = Deduper::new(opts).unwrap();
        let docs: Vec<DedupDoc> = texts
            .iter()
            .map(|t| DedupDoc {
                text: t,
                date: None,
            })
            .collect();
        d.add_batch(&docs);
        let c = d.candidates();
        let allowed = c.documents();
        assert!(!allowed.contains(&1));
        let r = d.finish_with(c, |i| {
            assert!(allowed.contains(&i), "text of document {i} asked");
            texts[i]
        });
        assert_eq!(r.clusters, vec![vec![0, 2, 3]]);
        assert_eq!(r.kept, vec![2]);
        let tj: Vec<f64> = r.removals.iter().map(|x| x.true_jaccard.unwrap()).collect();
        assert_eq!(tj[0], 1.0);
        assert!(tj[1] > 0.8 && tj[1] < 1.0);
    }

    #[test]
    fn verify_banding_favours_recall() {
        let plain = Deduper::new(DedupOptions::default()).unwrap().lsh();
        let verified = Deduper::new(DedupOptions {
            verify: true,
            ..Default::default()
        })
        .unwrap()
        .lsh();
        assert_eq!(plain, LshParams::for_threshold(0.8, 128));
        assert!(verified.collision_probability(0.8) > plain.collision_probability(0.8) + 0.3);
        let explicit = DedupOptions {
            verify: true,
            weights: Some((0.5, 0.5)),
            ..Default::default()
        };
        assert_eq!(Deduper::new(explicit).unwrap().lsh(), plain);
    }

    #[test]
    fn bad_settings_are_errors() {
        let e = |o: DedupOptions| Deduper::new(o).err();
        assert_eq!(
            e(DedupOptions {
                threshold: 0.0,
                ..Default::default()
            }),
            Some(DedupError::Threshold(0.0))
        );
        assert_eq!(
            e(DedupOptions {
                ngram: 0,
                ..Default::default()
            }),
            Some(DedupError::Zero("ngram"))
        );
        assert!(matches!(
            e(DedupOptions {
                lsh: Some(LshParams {
                    bands: 20,
                    rows: 10
                }),
                ..Default::default()
            }),
            Some(DedupError::Banding { .. })
        ));
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-02"), Some(86_400));
        assert_eq!(parse_date("1970-01-01T00:01:02Z"), Some(62));
        assert_eq!(
            parse_date("26-FEB-1987 15:01:01.79"),
            parse_date("1987-02-26 15:01:01")
        );
        assert!(parse_date("1987-02-26").unwrap() < parse_date("1987-02-27").unwrap());
        assert_eq!(parse_date("1700000000"), Some(1_700_000_000));
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("2020-13-01"), None);
    }
}
