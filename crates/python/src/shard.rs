//! The pieces of a scan that `stemma.spark.scan` runs inside Spark executors: sketches,
//! the pairs of key groups, the candidates two documents make, the pools' choices, the
//! verification of candidate pairs and the families of connected components — each a call
//! into `stemma_scan` (`shard`, `candidates::select_pool`, `family::families`, `output`).
//! The `*_batch` functions and `group_pairs`, `pair_lines` and `family_lines` take a whole
//! batch of rows (a Spark partition, in chunks), so Python only moves rows and the per-row
//! work runs here, without the GIL. Keys cross as signed 64-bit integers (the same bits),
//! since Spark has no unsigned longs; document numbers as Spark longs.

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use rayon::prelude::*;
use stemma_compare::{Relation, Side};
use stemma_scan::candidates::{
    Candidate, CandidateOptions, Offer, PoolLimits, Sketcher, select_pool,
};
use stemma_scan::family::{PairEdge, families};
use stemma_scan::index::DocId;
use stemma_scan::shard::{self as core, KeyKind, Shared};

use crate::{guarded, scan, semantic};
use std::collections::HashMap;
use std::path::PathBuf;
use stemma_compare::{Comparer, Document};
use stemma_scan::output::{FamilyLine, PairLine, signal_names};

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

/// Names of the signals in a bit set.
#[pyfunction]
fn signals_of(bits: u8) -> Vec<&'static str> {
    signal_names(bits)
}

/// A Spark document number as the core's document id.
fn doc_id(n: i64) -> PyResult<DocId> {
    DocId::try_from(n).map_err(|_| {
        PyValueError::new_err(format!(
            "document number {n} out of range (0 to {})",
            DocId::MAX
        ))
    })
}

/// A key group as Spark hands it over: `(is_lsh, key, documents ascending)`.
type GroupRow = (bool, i64, Vec<i64>);

/// A pair of key groups: `(a, b, bands, passage_keys)`.
type PairRow = (i64, i64, u32, Vec<i64>);

/// The families of one component: `(root, size)` of each, and their lines.
type ComponentFamilies = (Vec<(u32, usize)>, Vec<String>);

/// The pairs a batch of key groups yields, merged by pair (`stemma_scan::shard::group_pairs`
/// with the scan's default caps): `(a, b, bands, passage_keys)` sorted by `(a, b)`.
#[pyfunction]
fn group_pairs(py: Python<'_>, groups: Vec<GroupRow>) -> PyResult<Vec<PairRow>> {
    let groups = groups
        .into_iter()
        .map(|(lsh, key, docs)| {
            let docs = docs.into_iter().map(doc_id).collect::<PyResult<Vec<_>>>()?;
            let kind = if lsh { KeyKind::Lsh } else { KeyKind::Passage };
            Ok((kind, key as u64, docs))
        })
        .collect::<PyResult<Vec<_>>>()?;
    py.detach(|| {
        guarded(|| {
            let opts = CandidateOptions::default();
            core::group_pairs(&opts, groups.iter().map(|(k, key, d)| (*k, *key, &d[..])))
                .into_iter()
                .map(|p| {
                    (
                        p.a as i64,
                        p.b as i64,
                        p.bands,
                        p.keys.into_iter().map(|k| k as i64).collect(),
                    )
                })
                .collect()
        })
    })
}

/// A key-sharing pair with what `propose` needs: `(a, b, bands, keys, keys_a, keys_b,
/// bands_b, date_a, date_b)`.
type SharedRow = (
    i64,
    i64,
    u32,
    Vec<i64>,
    u32,
    u32,
    u32,
    Option<i64>,
    Option<i64>,
);

/// A proposed candidate: `(a, b, signals, shared_keys, shared_bands, score, link, chooser,
/// keys)`.
type ProposedRow = (i64, i64, u8, u32, u32, f32, bool, i64, Vec<i64>);

/// The candidates a batch of key-sharing pairs makes (`stemma_scan::shard::propose` with
/// the scan's default options); pairs no signal proposes are left out.
#[pyfunction]
fn propose_batch(py: Python<'_>, rows: Vec<SharedRow>) -> PyResult<Vec<ProposedRow>> {
    let shared = rows
        .into_iter()
        .map(|(a, b, bands, keys, ka, kb, bands_b, da, db)| {
            Ok(Shared {
                a: doc_id(a)?,
                b: doc_id(b)?,
                bands,
                keys: keys.into_iter().map(|k| k as u64).collect(),
                key_counts: (ka, kb),
                bands_b,
                dates: (da, db),
            })
        })
        .collect::<PyResult<Vec<_>>>()?;
    py.detach(|| {
        guarded(|| {
            let opts = CandidateOptions::default();
            shared
                .into_iter()
                .filter_map(|s| {
                    let p = core::propose(&opts, &s)?;
                    let c = p.candidate;
                    Some((
                        c.a as i64,
                        c.b as i64,
                        c.signals,
                        c.shared_keys,
                        c.shared_bands,
                        c.score,
                        p.link,
                        p.chooser as i64,
                        s.keys.into_iter().map(|k| k as i64).collect(),
                    ))
                })
                .collect()
        })
    })
}

/// One offer to a pool as Spark hands it over: `(a, b, signals, shared_keys, shared_bands,
/// score, keys, other_date, other_cluster)`.
type OfferRow = (i64, i64, u8, u32, u32, f32, Vec<i64>, Option<i64>, i64);

/// The `(a, b, signals)` pairs each pool of a batch keeps (`select_pool` with the scan's
/// default limits); a pool is `(chooser, chooser_keys, offers)`.
#[pyfunction]
fn select_batch(
    py: Python<'_>,
    bands: u32,
    pools: Vec<(i64, u32, Vec<OfferRow>)>,
) -> PyResult<Vec<(i64, i64, u8)>> {
    let pools = pools
        .into_iter()
        .map(|(chooser, chooser_keys, offers)| {
            let offers = offers
                .into_iter()
                .map(
                    |(a, b, signals, shared_keys, shared_bands, score, keys, date, cl)| {
                        Ok(Offer {
                            candidate: Candidate {
                                a: doc_id(a)?,
                                b: doc_id(b)?,
                                signals,
                                shared_keys,
                                shared_bands,
                                score,
                            },
                            shared: keys.into_iter().map(|k| k as u64).collect(),
                            other_date: date,
                            other_cluster: doc_id(cl)?,
                        })
                    },
                )
                .collect::<PyResult<Vec<_>>>()?;
            Ok((doc_id(chooser)?, chooser_keys, offers))
        })
        .collect::<PyResult<Vec<_>>>()?;
    py.detach(|| {
        guarded(|| {
            let o = CandidateOptions::default();
            pools
                .into_par_iter()
                .flat_map_iter(|(chooser, chooser_keys, offers)| {
                    let limits = PoolLimits {
                        max_candidates: o.max_candidates,
                        max_per_cluster: o.max_per_cluster,
                        redundancy: o.redundancy,
                        bands,
                        chooser_keys,
                    };
                    select_pool(chooser, &limits, offers)
                        .into_iter()
                        .map(|c| (c.a as i64, c.b as i64, c.signals))
                })
                .collect()
        })
    })
}

/// A candidate pair to verify: `(id_a, id_b, signals, text_a, text_b, date_a, date_b)`.
type WorkRow = (String, String, u8, String, String, Option<i64>, Option<i64>);

/// A verified pair: `(relation, score, source, confidence, pairs_jsonl_line)`.
type VerifiedRow = (&'static str, f64, Option<&'static str>, f64, String);

/// Verifies a batch of candidate pairs (in parallel, without the GIL): each text is
/// prepared once, each pair compared as `stemma scan` compares it, and its pairs.jsonl line
/// built by the core (`stemma_scan::output::PairLine`, the CLI's typed line).
#[pyfunction]
#[pyo3(signature = (rows, *, semantic=None, model=None, detail="full"))]
fn pair_lines(
    py: Python<'_>,
    rows: Vec<WorkRow>,
    semantic: Option<bool>,
    model: Option<PathBuf>,
    detail: &str,
) -> PyResult<Vec<VerifiedRow>> {
    let detail = scan::detail_arg(detail)?;
    let sem = semantic::resolve(semantic, model)?;
    let out = py.detach(move || {
        guarded(|| {
            // Each distinct text prepared once.
            let mut at: HashMap<&str, usize> = HashMap::new();
            let mut texts: Vec<&str> = Vec::new();
            for r in &rows {
                for t in [r.3.as_str(), r.4.as_str()] {
                    at.entry(t).or_insert_with(|| {
                        texts.push(t);
                        texts.len() - 1
                    });
                }
            }
            let prepared: Vec<_> = texts.par_iter().map(|t| stemma_text::prepare(t)).collect();
            let comparer = Comparer::with_scorer(sem.options, sem.scorer);
            rows.par_iter()
                .map(|(id_a, id_b, signals, ta, tb, da, db)| {
                    let (pa, pb) = (&prepared[at[ta.as_str()]], &prepared[at[tb.as_str()]]);
                    let comparison = comparer.compare(
                        &Document::new(ta, pa).with_date(*da),
                        &Document::new(tb, pb).with_date(*db),
                    );
                    let doc = |id: &str, date: Option<i64>, len: usize| stemma_scan::DocInfo {
                        id: id.to_string(),
                        date,
                        source: None,
                        len,
                        decoding: None,
                    };
                    let docs = [doc(id_a, *da, ta.len()), doc(id_b, *db, tb.len())];
                    let pair = stemma_scan::Pair {
                        a: 0,
                        b: 1,
                        signals: *signals,
                        comparison,
                    };
                    let line = serde_json::to_string(&PairLine::new(&docs, &pair, detail))?;
                    let c = &pair.comparison;
                    let source = c.direction.source.map(|s| match s {
                        Side::A => "a",
                        Side::B => "b",
                    });
                    Ok::<_, serde_json::Error>((
                        c.relation.as_str(),
                        c.score,
                        source,
                        c.direction.confidence,
                        line,
                    ))
                })
                .collect::<Result<Vec<_>, _>>()
        })
    })?;
    out.map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// A verified pair as families need it, in the component's numbering: `(a, b, relation,
/// score, source, confidence)`; `source` is "a", "b" or None.
type EdgeRow = (u32, u32, String, f64, Option<String>, f64);

/// The pairs of a component as the core's edges.
fn edges_of(pairs: Vec<EdgeRow>) -> PyResult<Vec<PairEdge>> {
    pairs
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
        .collect()
}

/// One connected component of derivation pairs: `(ids, dates, pairs, numbers)` — its
/// documents in reading order, their dates, its verified pairs in the scan's order (later
/// document, then earlier) numbered within the component, and the `id`s its families take in
/// families.jsonl (in the order [`stemma_scan::family::families`] returns them; empty: only
/// the sizes are asked for).
type ComponentRow = (Vec<String>, Vec<Option<i64>>, Vec<EdgeRow>, Vec<usize>);

/// The families of a batch of components, by the core's tree rule
/// (`stemma_scan::family::families`, run on each component alone: a tree never leaves the
/// component of its pairs, so this is what the whole scan's call gives). Per component: with
/// `numbers` empty, `(root, size)` of each family (root in the component's numbering), the
/// lines empty; else the families.jsonl lines (`FamilyLine`, the CLI's bytes) with the
/// families numbered `numbers` and their links naming the other family's number.
#[pyfunction]
fn family_lines(py: Python<'_>, components: Vec<ComponentRow>) -> PyResult<Vec<ComponentFamilies>> {
    let components = components
        .into_iter()
        .map(|(ids, dates, pairs, numbers)| {
            if ids.len() != dates.len() {
                return Err(PyValueError::new_err(format!(
                    "family_lines: {} ids but {} dates",
                    ids.len(),
                    dates.len()
                )));
            }
            Ok((ids, dates, edges_of(pairs)?, numbers))
        })
        .collect::<PyResult<Vec<_>>>()?;
    let out = py.detach(|| {
        guarded(|| {
            components
                .into_par_iter()
                .map(|(ids, dates, edges, numbers)| {
                    let fams = families(&dates, &edges);
                    let sizes: Vec<(u32, usize)> =
                        fams.iter().map(|f| (f.root, f.members.len())).collect();
                    if numbers.is_empty() {
                        return Ok((sizes, Vec::new()));
                    }
                    if numbers.len() != fams.len() {
                        return Err(format!(
                            "family_lines: {} numbers for {} families",
                            numbers.len(),
                            fams.len()
                        ));
                    }
                    let docs: Vec<stemma_scan::DocInfo> = ids
                        .into_iter()
                        .zip(&dates)
                        .map(|(id, &date)| stemma_scan::DocInfo {
                            id,
                            date,
                            source: None,
                            len: 0,
                            decoding: None,
                        })
                        .collect();
                    let lines = (0..fams.len())
                        .map(|i| {
                            let mut line = FamilyLine::new(&docs, &fams, i);
                            line.id = numbers[i];
                            for (l, f) in line.links.iter_mut().zip(&fams[i].links) {
                                l.family = f.family.map(|x| numbers[x]);
                            }
                            serde_json::to_string(&line).map_err(|e| e.to_string())
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok((sizes, lines))
                })
                .collect::<Result<Vec<_>, String>>()
        })
    })?;
    out.map_err(PyValueError::new_err)
}

/// Adds the executor-side scan pieces to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ScanSketcher>()?;
    m.add_function(wrap_pyfunction!(signals_of, m)?)?;
    m.add_function(wrap_pyfunction!(group_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(propose_batch, m)?)?;
    m.add_function(wrap_pyfunction!(select_batch, m)?)?;
    m.add_function(wrap_pyfunction!(pair_lines, m)?)?;
    m.add_function(wrap_pyfunction!(family_lines, m)?)?;
    Ok(())
}
