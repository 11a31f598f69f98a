//! The candidate index: `u64` key → documents, the seam for a persistent, incremental store.
//!
//! Every candidate signal of a scan is reduced to plain `u64` keys per document:
//!
//! - exact duplicates: one key, the hash of the normalized token sequence;
//! - near-duplicates: one key per LSH band of the MinHash signature;
//! - reworded rewrites: the passage keys of `stemma_sketch::passage`.
//!
//! An [`Index`] maps keys to the documents that carry them. Candidate generation is
//! *query, then insert*: each new document asks the index which earlier documents share its
//! keys, then adds itself. A batch scan streams the corpus through that loop; a server that
//! checks each new article against everything seen so far runs the very same loop, with an
//! index that lives on disk (e.g. a fjall keyspace per signal: key bytes = the `u64` big-endian,
//! value = the posting list) and survives restarts. Nothing in the scan depends on the index
//! being in memory: implement [`Index`] for the store and pass it in.
//!
//! Keys carried by too many documents carry no evidence and would make the scan quadratic, so
//! every index has a posting cap (document-frequency cap) with a [`Saturation`] policy.

use std::collections::HashMap;

/// Document number inside a scan (dense, in reading order).
pub type DocId = u32;

/// What a key whose posting list reached the cap does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saturation {
    /// The key is too common to mean anything: queries ignore it (passage keys).
    Ignore,
    /// The first `cap` documents stay reachable; later documents are not added (exact hashes
    /// and LSH buckets: a new copy of a big cluster still links to its earliest members).
    KeepFirst,
}

/// A key → documents index.
pub trait Index {
    /// Records that `doc` carries every key in `keys` (distinct keys expected).
    fn insert(&mut self, doc: DocId, keys: &[u64]);
    /// Every posting of `keys` as `(document, i)` for `keys[i]`, appended to `out` in no
    /// particular order (a saturated key contributes as its [`Saturation`] says).
    fn postings(&self, keys: &[u64], out: &mut Vec<(DocId, u32)>);
    /// Documents sharing at least one key with `keys`, each with the number of distinct keys
    /// shared, appended to `out` sorted by document.
    fn query(&self, keys: &[u64], out: &mut Vec<(DocId, u32)>) {
        let start = out.len();
        self.postings(keys, out);
        // Merge: count distinct keys per document.
        out[start..].sort_unstable_by_key(|e| e.0);
        let mut w = start;
        for r in start..out.len() {
            if w > start && out[w - 1].0 == out[r].0 {
                out[w - 1].1 += 1;
            } else {
                out[w] = (out[r].0, 1);
                w += 1;
            }
        }
        out.truncate(w);
    }
    /// Number of distinct keys stored.
    fn key_count(&self) -> usize;
    /// Number of (key, document) postings stored.
    fn posting_count(&self) -> usize;
}

/// In-memory [`Index`]: a hash map from key to its posting list.
///
/// A key carried by one document (most keys) costs one hash-table slot holding the document
/// itself; a key with more documents points to a contiguous list (queries read postings
/// sequentially, not by chasing pointers). Memory: about 16–32 bytes per distinct key (table
/// slot at typical load) plus, for shared keys, a list of 4 bytes per posting.
#[derive(Debug)]
pub struct MemIndex {
    /// Slot value: a document (`SINGLE` clear), or a list number (`SINGLE` set; `FULL` set
    /// once the list reached the cap and another document came).
    heads: HashMap<u64, u32, BuildKeyHasher>,
    lists: Vec<Vec<DocId>>,
    postings: usize,
    cap: usize,
    saturation: Saturation,
}

const LIST: u32 = 1 << 31;
const FULL: u32 = 1 << 30;
const INDEX_MASK: u32 = FULL - 1;

/// Largest document number a [`MemIndex`] can hold.
pub const MAX_DOC: DocId = LIST - 1;

impl MemIndex {
    /// An empty index whose posting lists stop at `cap` documents.
    pub fn new(cap: usize, saturation: Saturation) -> Self {
        MemIndex {
            heads: HashMap::with_hasher(BuildKeyHasher),
            lists: Vec::new(),
            postings: 0,
            cap: cap.max(1),
            saturation,
        }
    }

    /// Approximate heap bytes used.
    pub fn heap_bytes(&self) -> usize {
        self.heads.capacity() * (8 + 4 + 4 + 1)
            + self.lists.capacity() * 24
            + self
                .lists
                .iter()
                .map(|l| l.capacity() * 4 + 16)
                .sum::<usize>()
    }
}

impl Index for MemIndex {
    fn insert(&mut self, doc: DocId, keys: &[u64]) {
        debug_assert!(doc <= MAX_DOC);
        for &k in keys {
            match self.heads.entry(k) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(doc & !LIST);
                    self.postings += 1;
                }
                std::collections::hash_map::Entry::Occupied(mut o) => {
                    let v = *o.get();
                    if v & LIST == 0 {
                        if self.cap < 2 {
                            *o.get_mut() = LIST | FULL | self.lists.len() as u32;
                            self.lists.push(vec![v]);
                            continue;
                        }
                        *o.get_mut() = LIST | self.lists.len() as u32;
                        self.lists.push(vec![v, doc]);
                        self.postings += 1;
                    } else {
                        let list = &mut self.lists[(v & INDEX_MASK) as usize];
                        if list.len() >= self.cap {
                            *o.get_mut() = v | FULL;
                        } else {
                            list.push(doc);
                            self.postings += 1;
                        }
                    }
                }
            }
        }
    }

    fn postings(&self, keys: &[u64], out: &mut Vec<(DocId, u32)>) {
        for (i, &k) in keys.iter().enumerate() {
            let Some(&v) = self.heads.get(&k) else {
                continue;
            };
            if v & LIST == 0 {
                out.push((v, i as u32));
                continue;
            }
            if self.saturation == Saturation::Ignore && v & FULL != 0 {
                continue;
            }
            out.extend(
                self.lists[(v & INDEX_MASK) as usize]
                    .iter()
                    .map(|&d| (d, i as u32)),
            );
        }
    }

    fn key_count(&self) -> usize {
        self.heads.len()
    }

    fn posting_count(&self) -> usize {
        self.postings
    }
}

/// Keys are already uniform hashes: the map uses them as they are (with one multiply to mix).
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildKeyHasher;

/// Hasher for [`BuildKeyHasher`].
#[derive(Debug, Default)]
pub struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

impl std::hash::BuildHasher for BuildKeyHasher {
    type Hasher = KeyHasher;
    fn build_hasher(&self) -> KeyHasher {
        KeyHasher(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(ix: &MemIndex, keys: &[u64]) -> Vec<(DocId, u32)> {
        let mut v = Vec::new();
        ix.query(keys, &mut v);
        v.sort();
        v
    }

    #[test]
    fn query_counts_distinct_shared_keys() {
        let mut ix = MemIndex::new(10, Saturation::Ignore);
        ix.insert(0, &[1, 2, 3]);
        ix.insert(1, &[3, 4]);
        ix.insert(2, &[9]);
        assert_eq!(q(&ix, &[1, 2, 3, 4]), vec![(0, 3), (1, 2)]);
        assert_eq!(q(&ix, &[7]), vec![]);
        assert_eq!(ix.key_count(), 5);
        assert_eq!(ix.posting_count(), 6);
    }

    #[test]
    fn saturated_keys_are_ignored_or_keep_first() {
        let mut ign = MemIndex::new(2, Saturation::Ignore);
        let mut keep = MemIndex::new(2, Saturation::KeepFirst);
        for d in 0..5 {
            ign.insert(d, &[42, 100 + d as u64]);
            keep.insert(d, &[42]);
        }
        assert_eq!(q(&ign, &[42]), vec![]);
        assert_eq!(q(&ign, &[103]), vec![(3, 1)]);
        assert_eq!(q(&keep, &[42]), vec![(0, 1), (1, 1)]);
        assert_eq!(keep.posting_count(), 2);
    }

    #[test]
    fn appending_to_a_non_empty_output_keeps_previous_entries() {
        let mut ix = MemIndex::new(10, Saturation::Ignore);
        ix.insert(5, &[1]);
        let mut v = vec![(99, 7)];
        ix.query(&[1], &mut v);
        assert_eq!(v, vec![(99, 7), (5, 1)]);
    }

    #[test]
    fn postings_say_which_key_each_document_shares() {
        let mut ix = MemIndex::new(10, Saturation::Ignore);
        ix.insert(0, &[1, 2, 3]);
        ix.insert(1, &[3, 4]);
        let mut v = Vec::new();
        ix.postings(&[3, 9, 1], &mut v);
        v.sort();
        assert_eq!(v, vec![(0, 0), (0, 2), (1, 0)]);
    }
}
