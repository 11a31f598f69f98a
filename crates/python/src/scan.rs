//! `stemma.scan`: a whole-corpus scan from Python, over `stemma_scan::Scanner` (the engine of
//! `stemma scan`), returning the rows of pairs.jsonl and families.jsonl as dicts.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde_json::{Value, json};
use stemma_compare::Relation;
use stemma_scan::candidates::Signal;
use stemma_scan::family::{Basis, Family, PairEdge, families};
use stemma_scan::{InputDoc, Pair, ScanOptions, Scanner};

use crate::convert::{self, Fields, to_py};
use crate::guarded;

/// Documents handed to the scanner per batch.
const BATCH: usize = 2000;

/// Names of the candidate signals set in `bits`.
pub fn signal_names(bits: u8) -> Vec<&'static str> {
    Signal::ALL
        .into_iter()
        .filter(|s| bits & s.bit() != 0)
        .map(|s| s.as_str())
        .collect()
}

/// One pairs.jsonl row: `a_id`, `b_id`, `signals`, then the comparison's fields.
pub fn pair_row(ids: &[String], v: &Pair) -> Value {
    let mut row = serde_json::Map::new();
    row.insert("a_id".into(), ids[v.a as usize].clone().into());
    row.insert("b_id".into(), ids[v.b as usize].clone().into());
    row.insert("signals".into(), json!(signal_names(v.signals)));
    if let Ok(Value::Object(m)) = serde_json::to_value(&v.comparison) {
        row.extend(m);
    }
    Value::Object(row)
}

fn basis_str(b: Basis) -> &'static str {
    match b {
        Basis::Date => "date",
        Basis::Compare => "compare",
        Basis::Order => "order",
    }
}

/// One families.jsonl row (family number `id`, from 1).
pub fn family_row(id: usize, f: &Family, ids: &[String]) -> Value {
    json!({
        "id": id,
        "root": ids[f.root as usize],
        "members": f.members.iter().map(|&d| ids[d as usize].as_str()).collect::<Vec<_>>(),
        "edges": f.edges.iter().map(|e| json!({
            "source": ids[e.source as usize],
            "copy": ids[e.copy as usize],
            "relation": e.relation.as_str(),
            "score": e.score,
            "basis": basis_str(e.basis),
        })).collect::<Vec<_>>(),
        "links": f.links.iter().map(|l| json!({
            "doc": ids[l.doc as usize],
            "other": ids[l.other as usize],
            "family": l.family.map(|x| x + 1),
            "relation": l.relation.as_str(),
            "score": l.score,
        })).collect::<Vec<_>>(),
    })
}

/// Scan settings from keyword arguments (the same names and checks as `stemma scan`'s flags).
#[allow(clippy::too_many_arguments)]
fn options(
    relations: Option<Vec<String>>,
    signals: Option<Vec<String>>,
    max_candidates: usize,
    max_per_cluster: usize,
    min_score: f32,
    redundancy: f32,
    min_shared_keys: u32,
    min_shared_fraction: f64,
) -> PyResult<ScanOptions> {
    let mut o = ScanOptions::default();
    if let Some(rel) = relations {
        o.relations = rel
            .iter()
            .map(|r| match Relation::parse(r.trim()) {
                Some(Relation::Unrelated) | None => Err(PyValueError::new_err(format!(
                    "relations: unknown relation {r:?} (expected duplicate, near-duplicate, \
                     rewrite, partial, same-story)"
                ))),
                Some(x) => Ok(x),
            })
            .collect::<PyResult<_>>()?;
        if o.relations.is_empty() {
            return Err(PyValueError::new_err("relations: empty"));
        }
    }
    let c = &mut o.candidates;
    if let Some(sig) = signals {
        c.signals = sig
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
            .collect::<PyResult<_>>()?;
    }
    for (name, v) in [
        ("min_score", min_score as f64),
        ("redundancy", redundancy as f64),
        ("min_shared_fraction", min_shared_fraction),
    ] {
        if !(0.0..=1.0).contains(&v) {
            return Err(PyValueError::new_err(format!(
                "{name} must be in [0, 1], got {v}"
            )));
        }
    }
    c.max_candidates = max_candidates;
    c.max_per_cluster = max_per_cluster;
    c.min_score = min_score;
    c.redundancy = redundancy;
    c.min_shared_keys = min_shared_keys.max(1);
    c.min_shared_fraction = min_shared_fraction;
    Ok(o)
}

/// Finds every reuse relation in `records` (the engine of `stemma scan`).
#[pyfunction]
#[pyo3(signature = (records, *, relations=None, signals=None, max_candidates=10,
    max_per_cluster=3, min_score=0.0, redundancy=0.2, min_shared_keys=2,
    min_shared_fraction=0.1, id_field="id", text_field="text", date_field="date",
    source_field="source"))]
#[allow(clippy::too_many_arguments)]
fn scan<'py>(
    py: Python<'py>,
    records: &Bound<'py, PyAny>,
    relations: Option<Vec<String>>,
    signals: Option<Vec<String>>,
    max_candidates: usize,
    max_per_cluster: usize,
    min_score: f32,
    redundancy: f32,
    min_shared_keys: u32,
    min_shared_fraction: f64,
    id_field: &str,
    text_field: &str,
    date_field: &str,
    source_field: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let opts = options(
        relations,
        signals,
        max_candidates,
        max_per_cluster,
        min_score,
        redundancy,
        min_shared_keys,
        min_shared_fraction,
    )?;
    let fields = Fields {
        id: id_field.into(),
        text: text_field.into(),
        date: date_field.into(),
        source: source_field.into(),
    };
    let recs = convert::records(py, records, &fields)?;
    let docs: Vec<InputDoc> = recs
        .into_iter()
        .map(|r| InputDoc {
            date: r.date.as_deref().and_then(stemma_scan::dedup::parse_date),
            id: r.id_str,
            text: r.text,
            source: r.source,
            decoding: None,
        })
        .collect();
    let (pairs, fams) = py
        .detach(move || {
            guarded(move || -> Result<(Vec<Value>, Vec<Value>), String> {
                let mut scanner = Scanner::new(opts);
                let mut docs = docs;
                while !docs.is_empty() {
                    let rest = docs.split_off(docs.len().min(BATCH));
                    scanner
                        .add_batch(std::mem::replace(&mut docs, rest))
                        .map_err(|e| e.to_string())?;
                }
                scanner.finish_candidates().map_err(|e| e.to_string())?;
                let ids: Vec<String> = scanner.docs().iter().map(|d| d.id.clone()).collect();
                let mut rows = Vec::new();
                let mut edges = Vec::new();
                scanner
                    .verify(
                        |kept| {
                            for v in kept {
                                rows.push(pair_row(&ids, &v));
                                let c = &v.comparison;
                                edges.push(PairEdge {
                                    a: v.a,
                                    b: v.b,
                                    relation: c.relation,
                                    score: c.score,
                                    source: c.direction.source,
                                    confidence: c.direction.confidence,
                                });
                            }
                        },
                        |_| {},
                    )
                    .map_err(|e| e.to_string())?;
                let dates: Vec<Option<i64>> = scanner.docs().iter().map(|d| d.date).collect();
                let fams = families(&dates, &edges)
                    .iter()
                    .enumerate()
                    .map(|(i, f)| family_row(i + 1, f, &ids))
                    .collect();
                Ok((rows, fams))
            })
        })?
        .map_err(pyo3::exceptions::PyRuntimeError::new_err)?;
    let out = PyDict::new(py);
    let list = |v: &[Value]| -> PyResult<Bound<'py, PyList>> {
        let l = PyList::empty(py);
        for x in v {
            l.append(to_py(py, x)?)?;
        }
        Ok(l)
    };
    out.set_item("pairs", list(&pairs)?)?;
    out.set_item("families", list(&fams)?)?;
    Ok(out)
}

/// Adds the scan functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(scan, m)?)?;
    Ok(())
}
