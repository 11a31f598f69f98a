//! The Python module `stemma._stemma`: the Rust core seen from Python, for the people who
//! curate text datasets and study news in Python (and on Spark, see `python/stemma/spark.py`).
//!
//! Every function here only translates: Python values in, a call to the same library the CLI
//! uses (`stemma-compare`, `stemma-scan`'s dedup and scan, `stemma-sketch`), plain dicts and
//! lists out, shaped as the CLI's JSON contract. The GIL is released while the core works; bad
//! input raises `ValueError`/`TypeError` naming the record; a panic (a bug) becomes a
//! `RuntimeError` instead of taking the interpreter down.

use std::panic::{AssertUnwindSafe, catch_unwind};

use std::path::PathBuf;

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use rayon::prelude::*;
use stemma_compare::{Comparer, Document, Relation, Side};
use stemma_scan::dedup::{DedupDoc, DedupOptions, Deduper, Keep, LshParams, Scheme};
use stemma_scan::output::PairLine;

mod convert;
mod scan;
mod semantic;
mod shard;

use convert::{Fields, to_py};

/// Runs `f`, turning a panic into a Python `RuntimeError` (a bug in stemma, reported as such).
pub(crate) fn guarded<T>(f: impl FnOnce() -> T) -> PyResult<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|e| {
        let msg = e
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| e.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        PyRuntimeError::new_err(format!("stemma: internal error (please report): {msg}"))
    })
}

/// A date argument: None, a date string `parse_date` knows, or epoch seconds (int).
fn date_arg(name: &str, v: Option<&Bound<'_, PyAny>>) -> PyResult<Option<i64>> {
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if let Ok(i) = v.extract::<i64>() {
        return Ok(Some(i));
    }
    let s: String = v.extract().map_err(|_| {
        PyValueError::new_err(format!(
            "{name}: expected a date string (e.g. 2024-05-01) or epoch seconds"
        ))
    })?;
    stemma_compare::parse_date(&s).map(Some).ok_or_else(|| {
        PyValueError::new_err(format!(
            "{name}: cannot read the date {s:?} (use e.g. 2024-05-01 or 2024-05-01T14:05:00Z)"
        ))
    })
}

/// The checks `stemma compare` makes on its inputs.
fn check_text(name: &str, text: &str) -> PyResult<()> {
    if let Some(at) = text.bytes().position(|b| b == 0) {
        return Err(PyValueError::new_err(format!(
            "{name}: binary input (NUL character at byte offset {at}); stemma compares text"
        )));
    }
    if text.trim().is_empty() {
        return Err(PyValueError::new_err(format!(
            "{name}: empty text (nothing to compare)"
        )));
    }
    Ok(())
}

/// Compares two texts and returns the comparison as a dict (the JSON contract of
/// `stemma compare --json`, docs/json.md, without its optional `inputs` object).
#[pyfunction]
#[pyo3(signature = (a, b, *, date_a=None, date_b=None, semantic=None, model=None))]
fn compare<'py>(
    py: Python<'py>,
    a: String,
    b: String,
    date_a: Option<&Bound<'py, PyAny>>,
    date_b: Option<&Bound<'py, PyAny>>,
    semantic: Option<bool>,
    model: Option<PathBuf>,
) -> PyResult<Bound<'py, PyAny>> {
    check_text("a", &a)?;
    check_text("b", &b)?;
    let (da, db) = (date_arg("date_a", date_a)?, date_arg("date_b", date_b)?);
    let sem = semantic::resolve(semantic, model)?;
    let value = py.detach(move || {
        guarded(|| {
            let (pa, pb) = (stemma_text::prepare(&a), stemma_text::prepare(&b));
            let cmp = Comparer::with_scorer(sem.options, sem.scorer).compare(
                &Document::new(&a, &pa).with_date(da),
                &Document::new(&b, &pb).with_date(db),
            );
            serde_json::to_value(&cmp)
        })
    })?;
    let value = value.map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    to_py(py, &value)
}

/// Compares two documents of a candidate pair and returns `(relation, score, source,
/// confidence, line)`: `line` is the pair's pairs.jsonl line (the CLI's typed line, as
/// text), `source` "a", "b" or None. For the Spark scan's verification in executors.
#[pyfunction]
#[pyo3(signature = (id_a, id_b, signals, text_a, text_b, date_a=None, date_b=None, *,
    semantic=None, model=None, detail="full"))]
#[allow(clippy::too_many_arguments)]
fn pair_line(
    py: Python<'_>,
    id_a: String,
    id_b: String,
    signals: u8,
    text_a: String,
    text_b: String,
    date_a: Option<i64>,
    date_b: Option<i64>,
    semantic: Option<bool>,
    model: Option<PathBuf>,
    detail: &str,
) -> PyResult<(&'static str, f64, Option<&'static str>, f64, String)> {
    let detail = scan::detail_arg(detail)?;
    let sem = semantic::resolve(semantic, model)?;
    let out = py.detach(move || {
        guarded(|| {
            let (pa, pb) = (stemma_text::prepare(&text_a), stemma_text::prepare(&text_b));
            let comparison = Comparer::with_scorer(sem.options, sem.scorer).compare(
                &Document::new(&text_a, &pa).with_date(date_a),
                &Document::new(&text_b, &pb).with_date(date_b),
            );
            let doc = |id: String, date: Option<i64>, len: usize| stemma_scan::DocInfo {
                id,
                date,
                source: None,
                len,
                decoding: None,
            };
            let docs = [
                doc(id_a, date_a, text_a.len()),
                doc(id_b, date_b, text_b.len()),
            ];
            let pair = stemma_scan::Pair {
                a: 0,
                b: 1,
                signals,
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
    })?;
    out.map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// Parses a MinHash scheme name.
fn scheme_arg(s: &str) -> PyResult<Scheme> {
    match s {
        "oph" => Ok(Scheme::OnePermutation),
        "perm" => Ok(Scheme::Permutations),
        _ => Err(PyValueError::new_err(format!(
            "scheme: expected \"oph\" or \"perm\", got {s:?}"
        ))),
    }
}

/// Parses a `keep` name.
fn keep_arg(s: &str) -> PyResult<Keep> {
    match s {
        "first" => Ok(Keep::First),
        "longest" => Ok(Keep::Longest),
        "earliest" => Ok(Keep::Earliest),
        _ => Err(PyValueError::new_err(format!(
            "keep: expected \"first\", \"longest\" or \"earliest\", got {s:?}"
        ))),
    }
}

/// Dedup settings from keyword arguments, checked by the core.
#[allow(clippy::too_many_arguments)]
fn deduper(
    threshold: f64,
    num_perm: usize,
    ngram: usize,
    keep: &str,
    bands: Option<usize>,
    rows: Option<usize>,
    weights: Option<(f64, f64)>,
    verify: bool,
    seed: u64,
    scheme: &str,
) -> PyResult<Deduper> {
    let lsh = match (bands, rows) {
        (Some(bands), Some(rows)) => Some(LshParams { bands, rows }),
        (None, None) => None,
        _ => {
            return Err(PyValueError::new_err(
                "bands and rows: give both or neither",
            ));
        }
    };
    Deduper::new(DedupOptions {
        threshold,
        num_perm,
        ngram,
        lsh,
        weights,
        verify,
        keep: keep_arg(keep)?,
        seed,
        scheme: scheme_arg(scheme)?,
    })
    .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Removes near-duplicates from `records` (the engine of `stemma dedup`).
#[pyfunction]
#[pyo3(signature = (records, threshold=0.8, num_perm=128, ngram=5, keep="first", *, bands=None,
    rows=None, weights=None, verify=false, seed=1, scheme="oph", id_field="id",
    text_field="text", date_field="date"))]
#[allow(clippy::too_many_arguments)]
fn dedup<'py>(
    py: Python<'py>,
    records: &Bound<'py, PyAny>,
    threshold: f64,
    num_perm: usize,
    ngram: usize,
    keep: &str,
    bands: Option<usize>,
    rows: Option<usize>,
    weights: Option<(f64, f64)>,
    verify: bool,
    seed: u64,
    scheme: &str,
    id_field: &str,
    text_field: &str,
    date_field: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let mut d = deduper(
        threshold, num_perm, ngram, keep, bands, rows, weights, verify, seed, scheme,
    )?;
    let fields = Fields {
        id: id_field.into(),
        text: text_field.into(),
        date: date_field.into(),
        source: "source".into(),
        // As `stemma dedup`: the text field alone.
        title: String::new(),
    };
    // Keep the original objects: the kept records are returned as given.
    let objects: Vec<Bound<'py, PyAny>> = records
        .try_iter()
        .map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err(
                "records must be an iterable of dicts or strings",
            )
        })?
        .collect::<PyResult<_>>()?;
    let recs: Vec<convert::Record> = objects
        .iter()
        .enumerate()
        .map(|(i, o)| convert::record(py, i, o, &fields))
        .collect::<PyResult<_>>()?;
    let texts: Vec<(String, Option<String>)> = recs
        .iter()
        .map(|r| (r.text.clone(), r.date.clone()))
        .collect();
    let result = py.detach(|| {
        guarded(move || {
            for chunk in texts.chunks(4096) {
                let docs: Vec<DedupDoc> = chunk
                    .iter()
                    .map(|(t, dt)| DedupDoc {
                        text: t,
                        date: dt.as_deref(),
                    })
                    .collect();
                d.add_batch(&docs);
            }
            d.finish(|i| texts[i].0.as_str())
        })
    })?;
    let out = PyDict::new(py);
    let kept = PyList::empty(py);
    for (o, &k) in objects.iter().zip(&result.keep_mask) {
        if k {
            kept.append(o)?;
        }
    }
    out.set_item("kept", kept)?;
    let removed = PyList::empty(py);
    for rm in &result.removals {
        let r = PyDict::new(py);
        r.set_item("removed", recs[rm.removed].id.bind(py))?;
        r.set_item("kept", recs[rm.kept].id.bind(py))?;
        r.set_item("cluster", rm.cluster)?;
        r.set_item("exact", rm.exact)?;
        r.set_item("estimated_jaccard", rm.estimated_jaccard)?;
        r.set_item("true_jaccard", rm.true_jaccard)?;
        removed.append(r)?;
    }
    out.set_item("removed", removed)?;
    let clusters = PyList::empty(py);
    for c in &result.clusters {
        let ids = PyList::empty(py);
        for &i in c {
            ids.append(recs[i].id.bind(py))?;
        }
        clusters.append(ids)?;
    }
    out.set_item("clusters", clusters)?;
    let s = &result.stats;
    let stats = PyDict::new(py);
    stats.set_item("documents", s.documents)?;
    stats.set_item("no_words", s.no_words)?;
    stats.set_item("exact_pairs", s.exact_pairs)?;
    stats.set_item("candidate_pairs", s.candidate_pairs)?;
    stats.set_item("linked_pairs", s.linked_pairs)?;
    stats.set_item("clusters", s.clusters)?;
    stats.set_item("removed", s.removed)?;
    out.set_item("stats", stats)?;
    out.set_item("bands", result.lsh.bands)?;
    out.set_item("rows", result.lsh.rows)?;
    Ok(out)
}

/// The MinHash signature of `text` (word `ngram`-shingles), as `stemma dedup` computes it.
#[pyfunction]
#[pyo3(signature = (text, num_perm=128, ngram=5, seed=1, scheme="oph"))]
fn minhash(
    py: Python<'_>,
    text: String,
    num_perm: usize,
    ngram: usize,
    seed: u64,
    scheme: &str,
) -> PyResult<Vec<u32>> {
    let d = deduper(
        0.8, num_perm, ngram, "first", None, None, None, false, seed, scheme,
    )?;
    py.detach(move || guarded(|| d.sketch(&text).sig))
}

/// The distinct word-shingle hashes of `text` (the sets whose Jaccard similarity MinHash
/// estimates), ascending.
#[pyfunction]
#[pyo3(signature = (text, ngram=5))]
fn shingles(py: Python<'_>, text: String, ngram: usize) -> PyResult<Vec<u64>> {
    if ngram == 0 {
        return Err(PyValueError::new_err("ngram must be at least 1"));
    }
    py.detach(move || guarded(|| stemma_sketch::shingle::shingle_set(&text, ngram)))
}

/// The Jaccard similarity estimated from two signatures of the same size.
#[pyfunction]
fn jaccard(a: Vec<u32>, b: Vec<u32>) -> PyResult<f64> {
    if a.len() != b.len() || a.is_empty() {
        return Err(PyValueError::new_err(format!(
            "signatures must be non-empty and of the same size, got {} and {}",
            a.len(),
            b.len()
        )));
    }
    Ok(stemma_sketch::minhash::estimate_jaccard(&a, &b))
}

/// The exact Jaccard similarity of the word-shingle sets of two texts.
#[pyfunction]
#[pyo3(signature = (a, b, ngram=5))]
fn shingle_jaccard(py: Python<'_>, a: String, b: String, ngram: usize) -> PyResult<f64> {
    if ngram == 0 {
        return Err(PyValueError::new_err("ngram must be at least 1"));
    }
    py.detach(move || {
        guarded(|| {
            let (sa, sb) = (
                stemma_sketch::shingle::shingle_set(&a, ngram),
                stemma_sketch::shingle::shingle_set(&b, ngram),
            );
            stemma_sketch::shingle::jaccard(&sa, &sb)
        })
    })
}

/// One dedup sketch as it crosses into Python: `(text_hash, has_words, band_keys, signature)`.
type DedupSketchTuple = (u64, bool, Vec<u64>, Vec<u32>);

/// Dedup sketches of many texts at once, for building LSH elsewhere (the Spark dedup).
#[pyclass(frozen, module = "stemma._stemma")]
struct DedupSketcher {
    inner: Deduper,
}

#[pymethods]
impl DedupSketcher {
    #[new]
    #[pyo3(signature = (threshold=0.8, num_perm=128, ngram=5, *, bands=None, rows=None,
        weights=None, verify=false, seed=1, scheme="oph"))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        threshold: f64,
        num_perm: usize,
        ngram: usize,
        bands: Option<usize>,
        rows: Option<usize>,
        weights: Option<(f64, f64)>,
        verify: bool,
        seed: u64,
        scheme: &str,
    ) -> PyResult<Self> {
        Ok(DedupSketcher {
            inner: deduper(
                threshold, num_perm, ngram, "first", bands, rows, weights, verify, seed, scheme,
            )?,
        })
    }

    /// LSH bands in use.
    #[getter]
    fn bands(&self) -> usize {
        self.inner.lsh().bands
    }

    /// LSH rows per band.
    #[getter]
    fn rows(&self) -> usize {
        self.inner.lsh().rows
    }

    /// `(text_hash, has_words, band_keys, signature)` per text (in parallel, without the GIL).
    fn sketch(&self, py: Python<'_>, texts: Vec<String>) -> PyResult<Vec<DedupSketchTuple>> {
        let d = &self.inner;
        py.detach(|| {
            guarded(|| {
                texts
                    .par_iter()
                    .map(|t| {
                        let s = d.sketch(t);
                        (s.text_hash, s.has_words, s.keys, s.sig)
                    })
                    .collect()
            })
        })
    }
}

/// Seconds since the Unix epoch of a date string (the forms `stemma dedup` reads), or None.
#[pyfunction]
fn parse_date(s: &str) -> Option<i64> {
    stemma_scan::dedup::parse_date(s)
}

/// Names of the relations `compare` can decide, strongest first.
#[pyfunction]
fn relations() -> Vec<&'static str> {
    Relation::ALL.iter().map(|r| r.as_str()).collect()
}

/// The module `stemma._stemma`.
#[pymodule]
fn _stemma(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(dedup, m)?)?;
    m.add_function(wrap_pyfunction!(minhash, m)?)?;
    m.add_function(wrap_pyfunction!(shingles, m)?)?;
    m.add_function(wrap_pyfunction!(jaccard, m)?)?;
    m.add_function(wrap_pyfunction!(shingle_jaccard, m)?)?;
    m.add_function(wrap_pyfunction!(parse_date, m)?)?;
    m.add_function(wrap_pyfunction!(relations, m)?)?;
    m.add_function(wrap_pyfunction!(pair_line, m)?)?;
    m.add_function(wrap_pyfunction!(semantic::semantic_model, m)?)?;
    m.add_class::<DedupSketcher>()?;
    scan::register(m)?;
    shard::register(m)?;

    Ok(())
}
