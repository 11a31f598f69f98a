//! `stemma.scan` and `stemma.Scanner`: a whole-corpus scan and an incremental one from Python.
//!
//! Both are configured through `stemma_scan::ScanDriver::builder()` (the same settings and
//! checks as `stemma scan`'s flags), and both return the typed lines of
//! `stemma_scan::output` (`PairLine`, `FamilyLine`: the schema of `pairs.jsonl` and
//! `families.jsonl`) serialized by serde and handed to Python as plain dicts, so a pair from
//! Python is the CLI's line, field for field.

use std::path::PathBuf;
use std::sync::Mutex;

use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde::Serialize;
use stemma_align::HybridScorer;
use stemma_compare::Relation;
use stemma_scan::candidates::Signal;
use stemma_scan::family::{Family, PairEdge};
use stemma_scan::output::{Detail, FamilyLine, PairLine};
use stemma_scan::{
    IncrementalScanner, InputDoc, Pair, ScanDriver, ScanDriverBuilder, ScanView, Sink, SinkError,
};

use crate::convert::{self, Fields};
use crate::{guarded, semantic};

/// The names `**options` takes (scan and Scanner), for the error on an unknown one.
const OPTIONS: &[&str] = &[
    "relations",
    "signals",
    "num_perm",
    "lsh_threshold",
    "lsh_bands",
    "lsh_rows",
    "ngram",
    "passage_anchors",
    "passage_sample",
    "min_shared_keys",
    "min_shared_fraction",
    "max_candidates",
    "max_per_cluster",
    "min_score",
    "redundancy",
    "collapse_exact",
    "passage_df_cap",
    "batch_size",
    "text_memory_budget",
    "prepared_cache",
    "verify_chunk",
    "semantic",
    "model",
    "detail",
];

/// The record field names `stemma.scan` also takes.
const FIELD_OPTIONS: &[&str] = &[
    "id_field",
    "text_field",
    "date_field",
    "source_field",
    "title_field",
];

/// A scan configured from keyword arguments.
pub struct Config {
    /// The checked settings.
    pub driver: ScanDriver<HybridScorer>,
    /// Detail of the pair dicts.
    pub detail: Detail,
    /// Record field names.
    pub fields: Fields,
    /// True when the semantic layer is on.
    pub semantic: bool,
}

/// Extracts option `name`, naming it in the error.
fn opt<'py, T: FromPyObjectOwned<'py>>(name: &str, v: &Bound<'py, PyAny>) -> PyResult<T> {
    v.extract::<T>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{name}: unexpected type {}",
            v.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })
}

/// Parses relation names as `stemma scan --relations` does.
fn relations_arg(names: Vec<String>) -> PyResult<Vec<Relation>> {
    names
        .iter()
        .map(|r| match Relation::parse(r.trim()) {
            Some(Relation::Unrelated) | None => Err(PyValueError::new_err(format!(
                "relations: unknown relation {r:?} (expected duplicate, near-duplicate, \
                 rewrite, partial, same-story)"
            ))),
            Some(x) => Ok(x),
        })
        .collect()
}

/// Parses signal names as `stemma scan --signals` does.
fn signals_arg(names: Vec<String>) -> PyResult<Vec<Signal>> {
    names
        .iter()
        .map(|s| {
            Signal::ALL
                .into_iter()
                .find(|x| x.as_str() == s.trim())
                .ok_or_else(|| {
                    PyValueError::new_err(format!(
                        "signals: unknown signal {s:?} (expected exact, minhash, passage)"
                    ))
                })
        })
        .collect()
}

/// Parses `detail`.
pub fn detail_arg(s: &str) -> PyResult<Detail> {
    Detail::parse(s).ok_or_else(|| {
        PyValueError::new_err(format!(
            "detail: expected \"full\" or \"compact\", got {s:?}"
        ))
    })
}

/// Builds the scan configuration from `**options` (`fields`: whether the record field names
/// are accepted). Unknown names raise `TypeError`; values out of range raise `ValueError`
/// naming the setting (the driver's checks).
pub fn config(options: Option<&Bound<'_, PyDict>>, fields: bool) -> PyResult<Config> {
    let mut b: ScanDriverBuilder = ScanDriver::builder();
    let (mut sem, mut model, mut detail): (Option<bool>, Option<PathBuf>, Detail) =
        (None, None, Detail::Full);
    let mut f = Fields {
        id: "id".into(),
        text: "text".into(),
        date: "date".into(),
        source: "source".into(),
        title: "title".into(),
    };
    for (k, v) in options.into_iter().flat_map(|d| d.iter()) {
        let k: String = k.extract()?;
        if v.is_none() && !matches!(k.as_str(), "semantic" | "model") {
            // None means "the default" for every option.
            if OPTIONS.contains(&k.as_str()) || (fields && FIELD_OPTIONS.contains(&k.as_str())) {
                continue;
            }
        }
        let name = k.as_str();
        b = match name {
            "relations" => b.relations(relations_arg(opt(name, &v)?)?),
            "signals" => b.signals(signals_arg(opt(name, &v)?)?),
            "num_perm" => b.num_perm(opt(name, &v)?),
            "lsh_threshold" => b.lsh_threshold(opt(name, &v)?),
            "lsh_bands" => b.lsh_bands(opt(name, &v)?),
            "lsh_rows" => b.lsh_rows(opt(name, &v)?),
            "ngram" => b.ngram(opt(name, &v)?),
            "passage_anchors" => b.passage_anchors(opt(name, &v)?),
            "passage_sample" => b.passage_sample(opt(name, &v)?),
            "min_shared_keys" => b.min_shared_keys(opt(name, &v)?),
            "min_shared_fraction" => b.min_shared_fraction(opt(name, &v)?),
            "max_candidates" => b.max_candidates(opt(name, &v)?),
            "max_per_cluster" => b.max_per_cluster(opt(name, &v)?),
            "min_score" => b.min_score(opt(name, &v)?),
            "redundancy" => b.redundancy(opt(name, &v)?),
            "collapse_exact" => b.collapse_exact(opt(name, &v)?),
            "passage_df_cap" => b.passage_df_cap(opt(name, &v)?),
            "batch_size" => b.batch_size(opt(name, &v)?),
            "text_memory_budget" => b.text_memory_budget(opt(name, &v)?),
            "prepared_cache" => b.prepared_cache(opt(name, &v)?),
            "verify_chunk" => b.verify_chunk(opt(name, &v)?),
            "semantic" => {
                sem = opt(name, &v)?;
                b
            }
            "model" => {
                model = opt(name, &v)?;
                b
            }
            "detail" => {
                detail = detail_arg(&opt::<String>(name, &v)?)?;
                b
            }
            "id_field" if fields => {
                f.id = opt(name, &v)?;
                b
            }
            "text_field" if fields => {
                f.text = opt(name, &v)?;
                b
            }
            "date_field" if fields => {
                f.date = opt(name, &v)?;
                b
            }
            "source_field" if fields => {
                f.source = opt(name, &v)?;
                b
            }
            "title_field" if fields => {
                f.title = opt(name, &v)?;
                b
            }
            _ => {
                let mut known: Vec<&str> = OPTIONS.to_vec();
                if fields {
                    known.extend(FIELD_OPTIONS);
                }
                return Err(PyTypeError::new_err(format!(
                    "unexpected option {k:?} (options: {})",
                    known.join(", ")
                )));
            }
        };
    }
    // As `stemma scan`: every candidate verified lexically, the unsure ones compared again
    // with the semantic layer (the scan's semantic second pass, its default band and budget).
    let s = semantic::resolve(sem, model)?;
    let on = s.is_on();
    let lexical = semantic::lexical();
    let driver = b
        .compare_options(lexical.options)
        .scorer(lexical.scorer)
        .semantic(s.embedder.map(stemma_scan::semantic::SemanticPass::new))
        .build()
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(Config {
        driver,
        detail,
        fields: f,
        semantic: on,
    })
}

/// A typed line as JSON text, exactly as the CLI writes it (no Python objects: this runs
/// without the GIL).
fn value(line: &impl Serialize) -> Result<String, serde_json::Error> {
    serde_json::to_string(line)
}

/// JSON lines as a Python list of dicts: one `json.loads` of the lines as an array. Measured
/// against building the dicts from `serde_json::Value`s one item at a time, this is about a
/// quarter faster on full pair lines (docs/benchmarks.md, "Python and Spark").
fn list<'py>(py: Python<'py>, lines: &[String]) -> PyResult<Bound<'py, PyList>> {
    let mut text = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum::<usize>() + 2);
    text.push('[');
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(l);
    }
    text.push(']');
    Ok(py
        .import("json")?
        .getattr("loads")?
        .call1((text,))?
        .cast_into::<PyList>()?)
}

/// The pairs.jsonl lines of `pairs`.
fn pair_values(
    docs: &[stemma_scan::DocInfo],
    pairs: &[Pair],
    detail: Detail,
) -> Result<Vec<String>, serde_json::Error> {
    pairs
        .iter()
        .map(|p| value(&PairLine::new(docs, p, detail)))
        .collect()
}

/// The families.jsonl lines of `families`.
fn family_values(
    docs: &[stemma_scan::DocInfo],
    families: &[Family],
) -> Result<Vec<String>, serde_json::Error> {
    (0..families.len())
        .map(|i| value(&FamilyLine::new(docs, families, i)))
        .collect()
}

/// A sink keeping the lines of pairs.jsonl and families.jsonl as JSON values.
struct LineSink {
    detail: Detail,
    pairs: Vec<String>,
    families: Vec<String>,
}

impl Sink for LineSink {
    fn pair(&mut self, scan: &dyn ScanView, pair: &Pair) -> Result<(), SinkError> {
        self.pairs
            .push(value(&PairLine::new(scan.docs(), pair, self.detail))?);
        Ok(())
    }

    fn families(
        &mut self,
        scan: &dyn ScanView,
        families: &[Family],
        _pairs: &[PairEdge],
    ) -> Result<(), SinkError> {
        self.families = family_values(scan.docs(), families)?;
        Ok(())
    }
}

/// Finds every reuse relation in `records` (the engine of `stemma scan`).
#[pyfunction]
#[pyo3(signature = (records, **options))]
fn scan<'py>(
    py: Python<'py>,
    records: &Bound<'py, PyAny>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let Config {
        driver,
        detail,
        fields,
        ..
    } = config(options, true)?;
    let recs = convert::records(py, records, &fields)?;
    let docs: Vec<InputDoc> = recs
        .into_iter()
        .map(|r| InputDoc {
            date: r.date.as_deref().and_then(stemma_scan::date::parse_date),
            text: r.scan_text(),
            id: r.id_str,
            source: r.source,
            decoding: None,
        })
        .collect();
    let sink = py
        .detach(move || {
            guarded(move || {
                let mut sink = LineSink {
                    detail,
                    pairs: Vec::new(),
                    families: Vec::new(),
                };
                driver
                    .run(docs.into_iter().map(Ok), &mut sink)
                    .map(|_| sink)
                    .map_err(|e| e.to_string())
            })
        })?
        .map_err(PyRuntimeError::new_err)?;
    let out = PyDict::new(py);
    out.set_item("pairs", list(py, &sink.pairs)?)?;
    out.set_item("families", list(py, &sink.families)?)?;
    Ok(out)
}

/// A scanner fed one document at a time (`stemma_scan::IncrementalScanner`): each `add`
/// returns the new document's relations to the documents added before it.
#[pyclass(frozen, module = "stemma._stemma", name = "Scanner")]
struct PyScanner {
    inner: Mutex<IncrementalScanner<HybridScorer>>,
    detail: Detail,
    semantic: bool,
}

impl PyScanner {
    /// Runs `f` on the scanner without the GIL (a panic becomes `RuntimeError`).
    fn with<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut IncrementalScanner<HybridScorer>) -> Result<T, String> + Send,
    ) -> PyResult<T> {
        py.detach(|| {
            guarded(|| {
                let mut s = self
                    .inner
                    .lock()
                    .map_err(|_| "the scanner is unusable after an earlier panic".to_string())?;
                f(&mut s)
            })
        })?
        .map_err(PyRuntimeError::new_err)
    }
}

/// A date argument of `add`: None, epoch seconds, or a string the scan's date rule reads.
fn add_date(v: Option<&Bound<'_, PyAny>>) -> PyResult<Option<i64>> {
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if let Ok(i) = v.extract::<i64>() {
        return Ok(Some(i));
    }
    let s: String = v.extract().map_err(|_| {
        PyTypeError::new_err("date: expected a date string (e.g. 2024-05-01) or epoch seconds")
    })?;
    stemma_scan::date::parse_date(&s).map(Some).ok_or_else(|| {
        PyValueError::new_err(format!(
            "date: cannot read the date {s:?} (use e.g. 2024-05-01 or 2024-05-01T14:05:00Z)"
        ))
    })
}

#[pymethods]
impl PyScanner {
    #[new]
    #[pyo3(signature = (**options))]
    fn new(options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let c = config(options, false)?;
        Ok(PyScanner {
            inner: Mutex::new(c.driver.incremental()),
            detail: c.detail,
            semantic: c.semantic,
        })
    }

    /// Adds a document; returns its relations to the documents added before it (pairs.jsonl
    /// dicts, in order of the earlier document).
    #[pyo3(signature = (id, text, date=None, source=None, title=None))]
    fn add<'py>(
        &self,
        py: Python<'py>,
        id: &Bound<'py, PyAny>,
        text: String,
        date: Option<&Bound<'py, PyAny>>,
        source: Option<String>,
        title: Option<String>,
    ) -> PyResult<Bound<'py, PyList>> {
        let id = id.str()?.to_str()?.to_owned();
        // A headline is the document's first paragraph, as `stemma scan` reads a record's.
        let text = match title.filter(|t| !t.trim().is_empty()) {
            Some(t) => format!("{}\n\n{}", t.trim(), text),
            None => text,
        };
        let date = add_date(date)?;
        let detail = self.detail;
        let values = self.with(py, move |s| {
            let kept = s
                .add(InputDoc {
                    id,
                    text,
                    date,
                    source,
                    decoding: None,
                })
                .map_err(|e| e.to_string())?;
            pair_values(s.docs(), &kept, detail).map_err(|e| e.to_string())
        })?;
        list(py, &values)
    }

    /// Every pair found so far (pairs.jsonl dicts, in the order `add` returned them).
    fn pairs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let detail = self.detail;
        let values = self.with(py, move |s| {
            pair_values(s.docs(), s.pairs(), detail).map_err(|e| e.to_string())
        })?;
        list(py, &values)
    }

    /// The families of the pairs found so far (families.jsonl dicts, largest first).
    fn families<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let values = self.with(py, |s| {
            family_values(s.docs(), &s.families()).map_err(|e| e.to_string())
        })?;
        list(py, &values)
    }

    /// True when comparisons use the semantic layer.
    #[getter]
    fn semantic(&self) -> bool {
        self.semantic
    }

    /// Documents added.
    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        self.with(py, |s| Ok(s.docs().len()))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let (docs, pairs) = self.with(py, |s| Ok((s.docs().len(), s.pairs().len())))?;
        Ok(format!(
            "Scanner(documents={docs}, pairs={pairs}, semantic={})",
            if self.semantic { "True" } else { "False" }
        ))
    }
}

/// Adds the scan functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(scan, m)?)?;
    m.add_class::<PyScanner>()?;
    Ok(())
}
