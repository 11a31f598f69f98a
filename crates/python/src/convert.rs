//! Conversions between Python values and the core's inputs and outputs: JSON values become
//! plain dicts/lists, records (dicts or strings) become texts with their id, date and source,
//! and every refusal names the record it is about.

use pyo3::IntoPyObjectExt;
use pyo3::exceptions::{PyKeyError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use serde_json::Value;

/// A JSON value as plain Python objects (dict, list, str, int, float, bool, None).
pub fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_bound_py_any(py)?,
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_bound_py_any(py)?
            } else if let Some(u) = n.as_u64() {
                u.into_bound_py_any(py)?
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_bound_py_any(py)?
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(a) => {
            let l = PyList::empty(py);
            for x in a {
                l.append(to_py(py, x)?)?;
            }
            l.into_any()
        }
        Value::Object(m) => {
            let d = PyDict::new(py);
            for (k, x) in m {
                d.set_item(k, to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

/// Names of the record fields (as `--id-field`, `--text-field`, … of the CLI).
#[derive(Debug, Clone)]
pub struct Fields {
    /// Field holding the id.
    pub id: String,
    /// Field holding the text.
    pub text: String,
    /// Field holding the date.
    pub date: String,
    /// Field holding the source.
    pub source: String,
    /// Field holding the headline (empty: none), read as `stemma scan --title-field` reads it.
    pub title: String,
}

/// One record read from Python.
pub struct Record {
    /// The id object as given (the record's number when the record has none).
    pub id: Py<PyAny>,
    /// The id as text (`str(id)`).
    pub id_str: String,
    /// The text.
    pub text: String,
    /// The date as given (a string, or an integer written as digits).
    pub date: Option<String>,
    /// The source, if any.
    pub source: Option<String>,
    /// The headline, when the title field is present and not blank.
    pub title: Option<String>,
}

impl Record {
    /// The document text a scan reads: the headline as its first paragraph
    /// (`title + "\n\n" + text`, as `stemma_scan::driver::input_docs` makes it for the CLI),
    /// or the text alone.
    pub fn scan_text(&self) -> String {
        match &self.title {
            Some(t) => format!("{}\n\n{}", t.trim(), self.text),
            None => self.text.clone(),
        }
    }
}

/// A short description of a record for error messages: its number, and its id when known.
fn label(i: usize, id: Option<&str>) -> String {
    match id {
        Some(id) => format!("record {i} (id {id:?})"),
        None => format!("record {i}"),
    }
}

/// Looks a field up in a mapping; `None` when it is absent or `None`.
fn field<'py>(obj: &Bound<'py, PyAny>, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    let value = if let Ok(d) = obj.cast::<PyDict>() {
        d.get_item(name)?
    } else {
        match obj.get_item(name) {
            Ok(v) => Some(v),
            Err(e) if e.is_instance_of::<PyKeyError>(obj.py()) => None,
            Err(e) => return Err(e),
        }
    };
    Ok(value.filter(|v| !v.is_none()))
}

/// An optional text field: a string, or an integer (dates as epoch seconds).
fn text_field(
    obj: &Bound<'_, PyAny>,
    name: &str,
    what: &dyn Fn() -> String,
) -> PyResult<Option<String>> {
    match field(obj, name)? {
        None => Ok(None),
        Some(v) => {
            if let Ok(s) = v.extract::<String>() {
                Ok(Some(s))
            } else if let Ok(i) = v.extract::<i64>() {
                Ok(Some(i.to_string()))
            } else {
                Err(PyTypeError::new_err(format!(
                    "{}: field {name:?} must be a str, got {}",
                    what(),
                    v.get_type().name()?
                )))
            }
        }
    }
}

/// Reads record number `i`: a str (the text; its id is `i`) or a mapping with the text field.
pub fn record(py: Python<'_>, i: usize, obj: &Bound<'_, PyAny>, f: &Fields) -> PyResult<Record> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Record {
            id: i.into_py_any(py)?,
            id_str: i.to_string(),
            text: s.to_str()?.to_owned(),
            date: None,
            source: None,
            title: None,
        });
    }
    if !(obj.cast::<PyDict>().is_ok() || obj.hasattr("__getitem__")?)
        || obj.is_instance_of::<PyList>()
    {
        return Err(PyTypeError::new_err(format!(
            "{}: expected a dict with a {:?} field (or a str), got {}",
            label(i, None),
            f.text,
            obj.get_type().name()?
        )));
    }
    let (id, id_str) = match field(obj, &f.id)? {
        Some(v) => {
            let s = v.str()?.to_str()?.to_owned();
            (v.unbind(), s)
        }
        None => (i.into_py_any(py)?, i.to_string()),
    };
    let what = || label(i, Some(&id_str));
    let text = match field(obj, &f.text)? {
        None => {
            return Err(PyValueError::new_err(format!(
                "{}: no {:?} field",
                what(),
                f.text
            )));
        }
        Some(v) => v.extract::<String>().map_err(|_| {
            PyTypeError::new_err(format!(
                "{}: field {:?} must be a str, got {}",
                what(),
                f.text,
                v.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ))
        })?,
    };
    let title = if f.title.is_empty() {
        None
    } else {
        text_field(obj, &f.title, &what)?.filter(|t| !t.trim().is_empty())
    };
    Ok(Record {
        date: text_field(obj, &f.date, &what)?,
        source: text_field(obj, &f.source, &what)?,
        title,
        id,
        id_str,
        text,
    })
}

/// Reads every record of an iterable.
pub fn records(py: Python<'_>, iterable: &Bound<'_, PyAny>, f: &Fields) -> PyResult<Vec<Record>> {
    let iter = iterable.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "records must be an iterable of dicts or strings, got {}",
            iterable
                .get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })?;
    let mut out = Vec::new();
    for (i, item) in iter.enumerate() {
        out.push(record(py, i, &item?, f)?);
    }
    Ok(out)
}
