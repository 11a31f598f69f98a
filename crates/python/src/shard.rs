//! The pieces of a scan that `stemma.spark.scan` runs inside Spark executors: sketches,
//! the pairs of one key group, the candidate two documents make, a pool's choice, and the
//! families of one connected component — each a call into `stemma_scan` (`shard`,
//! `candidates::select_pool`, `family::families`). Keys cross as signed 64-bit integers (the
//! same bits), since Spark has no unsigned longs.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rayon::prelude::*;
use stemma_compare::{Relation, Side};
use stemma_scan::candidates::{
    Candidate, CandidateOptions, Offer, PoolLimits, Sketcher, select_pool,
};
use stemma_scan::family::{PairEdge, families};
use stemma_scan::index::Saturation;
use stemma_scan::shard::{self as core, Shared};

use crate::guarded;
use stemma_scan::output::signal_names;

/// Scan sketches (exact hash, LSH band keys, passage keys) with the default scan options.
#[pyclass(frozen, module = "stemma._stemma")]
struct ScanSketcher {
    inner: Sketcher,
}

/// What one scan sketch crosses into Python as: exact hash (or None), LSH keys, passage keys.
type ScanSketch = (Option<i64>, Vec<i64>, Vec<i64>);

#[pymethods]
impl ScanSketcher {
    #[new]
    fn new() -> Self {
        ScanSketcher {
            inner: Sketcher::new(&CandidateOptions::default()),
        }
    }

    /// Posting cap of exact and LSH buckets.
    #[getter]
    fn bucket_cap(&self) -> usize {
        self.inner.options().bucket_cap
    }

    /// Document-frequency cap of passage keys.
    #[getter]
    fn passage_df_cap(&self) -> usize {
        self.inner.options().passage_df_cap
    }

    /// LSH bands of a document with words.
    #[getter]
    fn bands(&self) -> usize {
        self.inner.options().lsh.bands
    }

    /// `(exact, lsh_keys, passage_keys)` per text (in parallel, without the GIL).
    fn sketch(&self, py: Python<'_>, texts: Vec<String>) -> PyResult<Vec<ScanSketch>> {
        let s = &self.inner;
        py.detach(|| {
            guarded(|| {
                texts
                    .par_iter()
                    .map(|t| {
                        let k = s.sketch(t, &stemma_text::prepare(t));
                        (
                            k.exact.map(|x| x as i64),
                            k.lsh.iter().map(|&x| x as i64).collect(),
                            k.passage.iter().map(|&x| x as i64).collect(),
                        )
                    })
                    .collect()
            })
        })
    }
}

/// Position pairs `(i, j)` a key carried by `len` documents (in reading order) yields;
/// `saturation` is `"keep_first"` (exact and LSH buckets) or `"ignore"` (passage keys).
#[pyfunction]
fn bucket_pairs(len: usize, cap: usize, saturation: &str) -> PyResult<Vec<(usize, usize)>> {
    let sat = match saturation {
        "keep_first" => Saturation::KeepFirst,
        "ignore" => Saturation::Ignore,
        _ => {
            return Err(PyValueError::new_err(format!(
                "saturation: expected \"keep_first\" or \"ignore\", got {saturation:?}"
            )));
        }
    };
    Ok(core::bucket_pairs(len, cap, sat))
}

/// The candidate of two documents from what they share, or None:
/// `(signals, shared_keys, shared_bands, score, link, chooser)`.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn propose(
    a: u32,
    b: u32,
    bands: u32,
    keys: Vec<i64>,
    keys_a: u32,
    keys_b: u32,
    bands_b: u32,
    date_a: Option<i64>,
    date_b: Option<i64>,
) -> Option<(u8, u32, u32, f32, bool, u32)> {
    let p = core::propose(
        &CandidateOptions::default(),
        &Shared {
            a,
            b,
            bands,
            keys: keys.into_iter().map(|k| k as u64).collect(),
            key_counts: (keys_a, keys_b),
            bands_b,
            dates: (date_a, date_b),
        },
    )?;
    let c = p.candidate;
    Some((
        c.signals,
        c.shared_keys,
        c.shared_bands,
        c.score,
        p.link,
        p.chooser,
    ))
}

/// One offer to a pool: `(a, b, signals, shared_keys, shared_bands, score, keys,
/// other_date, other_cluster)`.
type OfferTuple = (u32, u32, u8, u32, u32, f32, Vec<i64>, Option<i64>, u32);

/// The `(a, b, signals)` pairs `chooser` keeps of its offers (the scan's default limits).
#[pyfunction]
fn select(
    chooser: u32,
    chooser_keys: u32,
    bands: u32,
    offers: Vec<OfferTuple>,
) -> Vec<(u32, u32, u8)> {
    let o = CandidateOptions::default();
    let limits = PoolLimits {
        max_candidates: o.max_candidates,
        max_per_cluster: o.max_per_cluster,
        redundancy: o.redundancy,
        bands,
        chooser_keys,
    };
    let offers = offers
        .into_iter()
        .map(
            |(a, b, signals, shared_keys, shared_bands, score, keys, date, cl)| Offer {
                candidate: Candidate {
                    a,
                    b,
                    signals,
                    shared_keys,
                    shared_bands,
                    score,
                },
                shared: keys.into_iter().map(|k| k as u64).collect(),
                other_date: date,
                other_cluster: cl,
            },
        )
        .collect();
    select_pool(chooser, &limits, offers)
        .into_iter()
        .map(|c| (c.a, c.b, c.signals))
        .collect()
}

/// A family row: `(root, members, edges, links)` in the caller's local numbering; edges
/// `(source, copy, relation, score, basis)`, links `(doc, other, relation, score)`.
type FamilyTuple = (
    u32,
    Vec<u32>,
    Vec<(u32, u32, &'static str, f64, &'static str)>,
    Vec<(u32, u32, &'static str, f64)>,
);

/// Families of a set of documents (`dates`, numbered from 0) and their verified pairs
/// `(a, b, relation, score, source, confidence)`; `source` is "a", "b" or None.
#[pyfunction]
fn families_of(
    dates: Vec<Option<i64>>,
    pairs: Vec<(u32, u32, String, f64, Option<String>, f64)>,
) -> PyResult<Vec<FamilyTuple>> {
    let edges = pairs
        .into_iter()
        .map(|(a, b, rel, score, source, confidence)| {
            let relation = Relation::parse(&rel)
                .ok_or_else(|| PyValueError::new_err(format!("unknown relation {rel:?}")))?;
            let source = match source.as_deref() {
                Some("a") => Some(Side::A),
                Some("b") => Some(Side::B),
                _ => None,
            };
            Ok(PairEdge {
                a,
                b,
                relation,
                score,
                source,
                confidence,
            })
        })
        .collect::<PyResult<Vec<_>>>()?;
    let basis = |b: stemma_scan::family::Basis| match b {
        stemma_scan::family::Basis::Date => "date",
        stemma_scan::family::Basis::Compare => "compare",
        stemma_scan::family::Basis::Order => "order",
    };
    Ok(families(&dates, &edges)
        .into_iter()
        .map(|f| {
            (
                f.root,
                f.members,
                f.edges
                    .iter()
                    .map(|e| {
                        (
                            e.source,
                            e.copy,
                            e.relation.as_str(),
                            e.score,
                            basis(e.basis),
                        )
                    })
                    .collect(),
                f.links
                    .iter()
                    .map(|l| (l.doc, l.other, l.relation.as_str(), l.score))
                    .collect(),
            )
        })
        .collect())
}

/// Names of the signals in a bit set.
#[pyfunction]
fn signals_of(bits: u8) -> Vec<&'static str> {
    signal_names(bits)
}

/// Adds the executor-side scan pieces to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ScanSketcher>()?;
    m.add_function(wrap_pyfunction!(bucket_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(propose, m)?)?;
    m.add_function(wrap_pyfunction!(select, m)?)?;
    m.add_function(wrap_pyfunction!(families_of, m)?)?;
    m.add_function(wrap_pyfunction!(signals_of, m)?)?;
    Ok(())
}
