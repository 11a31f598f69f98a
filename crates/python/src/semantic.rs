//! The semantic layer from Python: `semantic=None|True|False` and `model=PATH` mean what
//! `stemma compare`'s `--no-semantic` and `--model` mean. The model is found the way the CLI
//! finds it (`stemma_embed::Embedder::find`: the path given, else `$STEMMA_MODEL`, else the
//! cache folder), and the verdict model follows the scorer
//! (`CompareOptions::for_scorer`), so a comparison from Python equals the CLI's.
//!
//! A loaded model is kept for the life of the process (one per path): loading takes a
//! fraction of a second and a notebook calls `compare` many times.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use pyo3::exceptions::{PyFileNotFoundError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use stemma_align::{HybridScorer, LexicalScorer, SentenceEmbedder};
use stemma_compare::CompareOptions;
use stemma_embed::Embedder;

/// Models loaded so far, by path.
static LOADED: OnceLock<Mutex<HashMap<PathBuf, Arc<Embedder>>>> = OnceLock::new();

/// The sentence scorer and comparison options a call asked for.
pub struct Semantic {
    /// The scorer: lexical, with the embedder when the layer is on.
    pub scorer: HybridScorer,
    /// The comparison options for that scorer.
    pub options: CompareOptions,
    /// The sentence encoder when the layer is on (`scan` and `Scanner` give it to the scan's
    /// semantic second pass, as `stemma scan` does).
    pub embedder: Option<Arc<dyn SentenceEmbedder>>,
}

impl Semantic {
    /// True when the semantic layer is on.
    pub fn is_on(&self) -> bool {
        self.scorer.is_semantic()
    }
}

/// Loads (once per process) the model at `path`.
fn load(path: &Path) -> PyResult<Arc<Embedder>> {
    let cache = LOADED.get_or_init(Default::default);
    if let Some(e) = cache.lock().map_err(poisoned)?.get(path) {
        return Ok(e.clone());
    }
    let e = Arc::new(Embedder::load(path).map_err(|e| {
        PyValueError::new_err(format!(
            "loading the semantic model {}: {e}",
            path.display()
        ))
    })?);
    cache
        .lock()
        .map_err(poisoned)?
        .insert(path.to_path_buf(), e.clone());
    Ok(e)
}

fn poisoned<T>(_: T) -> PyErr {
    PyRuntimeError::new_err("stemma: the model cache is unusable after an earlier panic")
}

/// The model file the CLI would use: `model` if given, else `$STEMMA_MODEL`, else the cache
/// folder's; `None` when there is none.
pub fn find(model: Option<&Path>) -> Option<PathBuf> {
    Embedder::find(model)
}

/// The scorer for `semantic` (None: the model if one is found; True: the model, an error
/// when none is found; False: lexical) and `model` (an explicit path; missing is an error).
pub fn resolve(semantic: Option<bool>, model: Option<PathBuf>) -> PyResult<Semantic> {
    if semantic == Some(false) {
        return Ok(lexical());
    }
    if let Some(p) = &model
        && !p.is_file()
    {
        return Err(PyFileNotFoundError::new_err(format!(
            "model: {}: no such file",
            p.display()
        )));
    }
    let Some(path) = find(model.as_deref()) else {
        if semantic == Some(true) {
            return Err(PyFileNotFoundError::new_err(format!(
                "semantic=True but no model found (run scripts/fetch-model.sh, pass \
                 model=PATH or set {})",
                stemma_embed::MODEL_ENV
            )));
        }
        return Ok(lexical());
    };
    let embedder: Arc<dyn SentenceEmbedder> = load(&path)?;
    Ok(Semantic {
        scorer: HybridScorer::new(LexicalScorer::default(), Some(embedder.clone())),
        options: CompareOptions::for_scorer(true),
        embedder: Some(embedder),
    })
}

/// The lexical scorer and its options.
pub fn lexical() -> Semantic {
    Semantic {
        scorer: HybridScorer::new(LexicalScorer::default(), None),
        options: CompareOptions::for_scorer(false),
        embedder: None,
    }
}

/// The path of the semantic model `compare`, `scan` and `Scanner` would use (the argument,
/// else `$STEMMA_MODEL`, else the cache folder's), or None when there is none.
#[pyfunction]
#[pyo3(signature = (model=None))]
pub fn semantic_model(model: Option<PathBuf>) -> Option<PathBuf> {
    find(model.as_deref())
}
