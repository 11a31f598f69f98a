//! Building blocks for running a scan where no single process sees the whole index (a
//! Spark job, see `python/stemma/spark.py`): which pairs one key's documents yield, how a
//! pair's shared keys become a [`Candidate`], and which side's pool chooses it. With
//! [`crate::candidates::select_pool`] they restate the rules of
//! [`crate::candidates::CandidateFinder::add`] for documents grouped by key instead of
//! streamed through an index.

use crate::candidates::{CLUSTER_LINK, Candidate, CandidateOptions, Signal};
use crate::index::{DocId, Saturation};

/// The pairs `(i, j)` (`i < j`, positions in reading order) a [`crate::index::MemIndex`] with
/// posting cap `cap` yields for one key carried by `len` documents inserted in reading
/// order: each document is paired with the earlier ones its query finds.
pub fn bucket_pairs(len: usize, cap: usize, saturation: Saturation) -> Vec<(usize, usize)> {
    let cap = cap.max(1);
    let mut out = Vec::new();
    for j in 1..len {
        let found = match saturation {
            // The first `cap` documents stay in the list.
            Saturation::KeepFirst => j.min(cap),
            // Once a document beyond the cap was inserted the key is ignored.
            Saturation::Ignore if j > cap => 0,
            Saturation::Ignore => j,
        };
        out.extend((0..found).map(|i| (i, j)));
    }
    out
}

/// Which index a key group belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// An LSH band key (posting cap [`CandidateOptions::bucket_cap`], the first documents
    /// stay findable).
    Lsh,
    /// A passage key (document-frequency cap [`CandidateOptions::passage_df_cap`], ignored
    /// beyond it).
    Passage,
}

/// What the key groups of one batch say about one pair: LSH bands and passage keys shared.
/// A pair's keys may be spread over several batches; the caller sums the bands and joins
/// the keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupPair {
    /// Earlier-read document.
    pub a: DocId,
    /// Later-read document.
    pub b: DocId,
    /// LSH band keys shared.
    pub bands: u32,
    /// Passage keys shared, ascending.
    pub keys: Vec<u64>,
}

/// The pairs a batch of key groups yields — each group `(kind, key, docs)` with its
/// documents ascending in reading order, paired by [`bucket_pairs`] with the cap of its
/// index —, merged by pair and sorted by `(a, b)`: the postings the indexes of
/// [`crate::candidates::CandidateFinder`] would return, gathered by pair.
pub fn group_pairs<'a>(
    opts: &CandidateOptions,
    groups: impl IntoIterator<Item = (KeyKind, u64, &'a [DocId])>,
) -> Vec<GroupPair> {
    let mut by_pair: std::collections::HashMap<(DocId, DocId), (u32, Vec<u64>)> =
        std::collections::HashMap::new();
    for (kind, key, docs) in groups {
        let (cap, sat) = match kind {
            KeyKind::Lsh => (opts.bucket_cap, Saturation::KeepFirst),
            KeyKind::Passage => (opts.passage_df_cap, Saturation::Ignore),
        };
        for (i, j) in bucket_pairs(docs.len(), cap, sat) {
            let e = by_pair.entry((docs[i], docs[j])).or_default();
            match kind {
                KeyKind::Lsh => e.0 += 1,
                KeyKind::Passage => e.1.push(key),
            }
        }
    }
    let mut out: Vec<GroupPair> = by_pair
        .into_iter()
        .map(|((a, b), (bands, mut keys))| {
            keys.sort_unstable();
            keys.dedup();
            GroupPair { a, b, bands, keys }
        })
        .collect();
    out.sort_unstable_by_key(|p| (p.a, p.b));
    out
}

/// What two documents `a` (read first) and `b` share, gathered from their key groups.
#[derive(Debug, Clone)]
pub struct Shared {
    /// Earlier-read document.
    pub a: DocId,
    /// Later-read document.
    pub b: DocId,
    /// LSH bands shared (as [`bucket_pairs`] with the bucket cap yields them).
    pub bands: u32,
    /// Passage keys shared (as [`bucket_pairs`] with the passage cap yields them).
    pub keys: Vec<u64>,
    /// Passage keys of `a` and of `b`.
    pub key_counts: (u32, u32),
    /// LSH bands of `b` (the querying document).
    pub bands_b: u32,
    /// Dates of `a` and `b`, if known.
    pub dates: (Option<i64>, Option<i64>),
}

/// A candidate made of shared keys: the pair, whether it links the two documents' clusters
/// (wholesale similarity, [`CLUSTER_LINK`]), and the document whose pool chooses it (the
/// later-dated; the later-read when a date is missing or equal).
#[derive(Debug, Clone, PartialEq)]
pub struct Proposed {
    /// The pair.
    pub candidate: Candidate,
    /// The pair joins one cluster of mutually similar documents.
    pub link: bool,
    /// The choosing document.
    pub chooser: DocId,
}

/// The candidate two documents of different exact-duplicate groups make, or `None` when no
/// signal proposes them (or the score is under [`CandidateOptions::min_score`]).
pub fn propose(opts: &CandidateOptions, s: &Shared) -> Option<Proposed> {
    let n = s.keys.len() as u32;
    let (ka, kb) = s.key_counts;
    let mut signals = 0;
    if s.bands > 0 {
        signals |= Signal::MinHash.bit();
    }
    let smaller = ka.min(kb) as f64;
    if n >= opts.min_shared_keys.max(1)
        && n as f64 >= opts.min_shared_fraction.clamp(0.0, 1.0) * smaller
    {
        signals |= Signal::Passage.bit();
    }
    if signals == 0 {
        return None;
    }
    let bands = s.bands as f32 / s.bands_b.max(1) as f32;
    let keys = n as f32 / ka.min(kb).max(1) as f32;
    let score = bands.max(keys.min(1.0));
    if opts.min_score > 0.0 && score < opts.min_score {
        return None;
    }
    let sym = n as f32 / ka.max(kb).max(1) as f32;
    let chooser = match s.dates {
        (Some(da), Some(db)) if da > db => s.a,
        _ => s.b,
    };
    Some(Proposed {
        candidate: Candidate {
            a: s.a,
            b: s.b,
            signals,
            shared_keys: n,
            shared_bands: s.bands,
            score,
        },
        link: bands.max(sym) >= CLUSTER_LINK,
        chooser,
    })
}

/// The pair of an exact copy `b` with its group's representative `a` (never capped).
pub fn exact_copy(a: DocId, b: DocId) -> Candidate {
    Candidate {
        a,
        b,
        signals: Signal::Exact.bit(),
        shared_keys: 0,
        shared_bands: 0,
        score: 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{Index, MemIndex};

    /// The pairs a real index yields for one key, query then insert.
    fn by_index(len: usize, cap: usize, sat: Saturation) -> Vec<(usize, usize)> {
        let mut idx = MemIndex::new(cap, sat);
        let mut out = Vec::new();
        for j in 0..len {
            let mut found = Vec::new();
            idx.query(&[7], &mut found);
            out.extend(found.iter().map(|&(i, _)| (i as usize, j)));
            idx.insert(j as DocId, &[7]);
        }
        out.sort_unstable_by_key(|&(i, j)| (j, i));
        out
    }

    #[test]
    fn bucket_pairs_are_what_the_index_yields() {
        for sat in [Saturation::KeepFirst, Saturation::Ignore] {
            for cap in [2, 3, 5] {
                for len in 0..9 {
                    assert_eq!(
                        bucket_pairs(len, cap, sat),
                        by_index(len, cap, sat),
                        "{sat:?} cap {cap} len {len}"
                    );
                }
            }
        }
    }

    #[test]
    fn group_pairs_merge_the_groups_of_a_batch() {
        let opts = CandidateOptions {
            bucket_cap: 2,
            passage_df_cap: 2,
            ..CandidateOptions::default()
        };
        let got = group_pairs(
            &opts,
            [
                // Bands: 5 pairs with 1 and 3 (kept first), 8 with 1 and 3 but not 5.
                (KeyKind::Lsh, 9, &[1, 3, 5, 8][..]),
                (KeyKind::Lsh, 4, &[1, 3][..]),
                // Passage keys: a group beyond the cap is ignored past it.
                (KeyKind::Passage, 70, &[1, 3][..]),
                (KeyKind::Passage, 60, &[1, 3, 5][..]),
                (KeyKind::Passage, 50, &[3, 5, 8, 9][..]),
            ],
        );
        let want = vec![
            GroupPair {
                a: 1,
                b: 3,
                bands: 2,
                keys: vec![60, 70],
            },
            GroupPair {
                a: 1,
                b: 5,
                bands: 1,
                keys: vec![60],
            },
            GroupPair {
                a: 1,
                b: 8,
                bands: 1,
                keys: vec![],
            },
            GroupPair {
                a: 3,
                b: 5,
                bands: 1,
                keys: vec![50, 60],
            },
            GroupPair {
                a: 3,
                b: 8,
                bands: 1,
                keys: vec![50],
            },
            GroupPair {
                a: 5,
                b: 8,
                bands: 0,
                keys: vec![50],
            },
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn proposals_follow_the_signals_and_dates() {
        let opts = CandidateOptions::default();
        let mut s = Shared {
            a: 1,
            b: 4,
            bands: 0,
            keys: vec![10, 11],
            key_counts: (40, 10),
            bands_b: 20,
            dates: (None, None),
        };
        // 2 keys of the smaller document's 10: passage, score 0.2, no link, b chooses.
        let p = propose(&opts, &s).unwrap();
        assert_eq!(p.candidate.signals, Signal::Passage.bit());
        assert!((p.candidate.score - 0.2).abs() < 1e-6);
        assert!(!p.link);
        assert_eq!(p.chooser, 4);
        // One key is not enough; no band either: no candidate.
        s.keys.pop();
        assert_eq!(propose(&opts, &s), None);
        // 12 of 20 bands: minhash, a link; a dated later than b chooses.
        s.bands = 12;
        s.dates = (Some(100), Some(50));
        let p = propose(&opts, &s).unwrap();
        assert_eq!(p.candidate.signals, Signal::MinHash.bit());
        assert!(p.link);
        assert_eq!(p.chooser, 1);
    }
}
