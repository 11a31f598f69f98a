//! Measuring stemma: a labelled rewrite benchmark generator and the metrics that score
//! predictions against labels (pair-level P/R/F1, PAN passage measures, family ARI, sentence
//! scorer accuracy and correlation, ranking recall@k).
//!
//! File formats are described in `docs/eval-format.md` and in [`format`].

#![warn(missing_docs)]

pub mod date;
pub mod format;
pub mod generate;
pub mod labelled;
pub mod metrics;
pub mod rng;

use std::path::Path;

/// Errors of the generator and the metrics. Each names the file (and line) involved.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file could not be read or written.
    #[error("{path}: {cause}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong (in the message, so not repeated as a separate cause).
        cause: std::io::Error,
    },
    /// A line of an input file is not what the format requires.
    #[error("{file}:{line}: {message}")]
    Parse {
        /// The file.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The input as a whole cannot be used.
    #[error("{0}")]
    Input(String),
}

impl EvalError {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        EvalError::Io {
            path: path.display().to_string(),
            cause: source,
        }
    }
}
