//! The one MinHash/LSH sketcher of the crate: scan's near-duplicate candidates
//! ([`crate::candidates::Sketcher`]) and dedup's clusters ([`crate::dedup::Deduper`]) both
//! reduce a document's word shingles to a MinHash signature and LSH band keys through it, so a
//! setting means the same in both.

use stemma_sketch::lsh::LshParams;
use stemma_sketch::minhash::{MinHasher, Scheme};
use stemma_sketch::shingle;

/// Word n-gram shingles → MinHash signature → LSH band keys.
#[derive(Debug, Clone)]
pub struct MinHashLsh {
    hasher: MinHasher,
    ngram: usize,
    lsh: LshParams,
}

impl MinHashLsh {
    /// A sketcher of `num_perm` slots (at least 1) over `ngram`-word shingles (at least 1),
    /// banded by `lsh`.
    pub fn new(scheme: Scheme, num_perm: usize, seed: u64, ngram: usize, lsh: LshParams) -> Self {
        MinHashLsh {
            hasher: MinHasher::with_scheme(scheme, num_perm.max(1), seed),
            ngram: ngram.max(1),
            lsh,
        }
    }

    /// The banding.
    pub fn lsh(&self) -> LshParams {
        self.lsh
    }

    /// The signature of the shingles of `words` (word hashes from
    /// [`shingle::word_hashes`]); `shingles` is scratch space.
    pub fn signature(&self, words: &[u64], shingles: &mut Vec<u64>) -> Vec<u32> {
        shingles.clear();
        shingle::shingle_hashes(words, self.ngram, shingles);
        self.hasher.signature(shingles).0
    }

    /// The LSH band keys of a signature, one per band.
    pub fn band_keys<'a>(&'a self, sig: &'a [u32]) -> impl Iterator<Item = u64> + 'a {
        self.lsh.band_keys(sig)
    }
}
