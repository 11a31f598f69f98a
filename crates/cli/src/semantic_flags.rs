//! The semantic-scorer flags, read alike by `scan`, `serve` and `index`: `--semantic
//! auto|on|off`, `--model`, `--semantic-budget`, `--semantic-band`, `--semantic-rescue`.
//! One parser, so that a document added to an index or checked by the server is verified with
//! exactly the second pass a `stemma scan` with the same flags runs.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use stemma_scan::semantic::SemanticPass;

/// The semantic flags of `serve` and `index add/query` (the same names, defaults and meaning
/// as `stemma scan`'s).
#[derive(clap::Args, Debug, Clone)]
pub struct SemanticArgs {
    /// Semantic second pass of verification: pairs the lexical verdict is unsure about are
    /// compared again with sentence embeddings. `auto`: on when the model is found (for an
    /// existing index: the scorer it was built with); `on`: a missing model is an error;
    /// `off`: lexical only.
    #[arg(long, default_value = "auto", value_name = "auto|on|off")]
    pub semantic: String,
    /// Sentence-embedding model file (e5-small-q4.bin); default: $STEMMA_MODEL, then the cache
    /// folder (scripts/fetch-model.sh puts it there).
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// Documents the semantic pass may embed at most per run (0 = no limit); pairs needing
    /// more keep their lexical verdict.
    #[arg(long, default_value_t = stemma_scan::semantic::DEFAULT_MAX_DOCUMENTS, value_name = "DOCS")]
    pub semantic_budget: usize,
    /// Lexical probabilities of derivation re-verified semantically: `LO,HI`.
    #[arg(long, value_name = "LO,HI", default_value = "0.2,0.8")]
    pub semantic_band: String,
    /// Lexically rejected pairs with a candidate score at least this are re-verified too
    /// (`off` = none).
    #[arg(long, value_name = "SCORE|off", default_value = "0.3")]
    pub semantic_rescue: String,
}

/// What `--semantic` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// On when the model is found.
    Auto,
    /// On; a missing model is an error.
    On,
    /// Lexical only.
    Off,
}

/// A second pass with its model loaded (once), and the file it came from.
pub struct Loaded {
    /// The pass.
    pub pass: SemanticPass,
    /// The model file.
    pub path: PathBuf,
}

impl Loaded {
    /// The model's identity as an index records it (the file is read and hashed once).
    pub fn identity(&self) -> anyhow::Result<stemma_index::ModelIdentity> {
        stemma_index::ModelIdentity::of_file(self.pass.embedder.name(), &self.path)
            .with_context(|| format!("reading the semantic model {}", self.path.display()))
    }
}

/// Reads `--semantic`.
pub fn mode(flag: &str) -> anyhow::Result<Mode> {
    Ok(match flag.trim() {
        "auto" => Mode::Auto,
        "on" => Mode::On,
        "off" => Mode::Off,
        other => bail!("unknown --semantic `{other}` (expected auto, on, off)"),
    })
}

/// The second pass the flags ask for, its model loaded: `None` when `off` or, with `auto`,
/// when no model is found (one line on stderr says so).
pub fn load(
    semantic: &str,
    model: Option<&Path>,
    budget: usize,
    band: &str,
    rescue: &str,
) -> anyhow::Result<Option<Loaded>> {
    let mode = mode(semantic)?;
    if mode == Mode::Off {
        return Ok(None);
    }
    // Checked before loading a model, so a typo fails at once.
    let band = parse_band(band)?;
    let rescue_score = parse_rescue(rescue)?;
    if mode == Mode::On && model.is_none() && stemma_embed::Embedder::find(None).is_none() {
        bail!(
            "--semantic on: no model found (run scripts/fetch-model.sh, pass --model PATH or set {})",
            stemma_embed::MODEL_ENV
        );
    }
    if let Some(p) = model
        && !p.is_file()
    {
        bail!("--model {}: no such file", p.display());
    }
    let Some(path) = stemma_embed::Embedder::find(model) else {
        eprintln!(
            "stemma: semantic layer off (no model found: run scripts/fetch-model.sh, or pass \
             --model PATH or set {}); scoring lexically",
            stemma_embed::MODEL_ENV
        );
        return Ok(None);
    };
    let Some(embedder) = crate::semantic_embedder(Some(&path), false)? else {
        return Ok(None);
    };
    let mut pass = SemanticPass::new(embedder as Arc<dyn stemma_align::SentenceEmbedder>);
    pass.band = band;
    pass.rescue_score = rescue_score;
    pass.max_documents = budget;
    pass.validate()
        .map_err(|(option, reason)| anyhow::anyhow!("--{}: {reason}", option.replace('_', "-")))?;
    Ok(Some(Loaded { pass, path }))
}

fn parse_band(band: &str) -> anyhow::Result<(f64, f64)> {
    let v: Vec<f64> = band
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .ok()
        .filter(|v: &Vec<f64>| v.len() == 2)
        .with_context(|| format!("--semantic-band `{band}`: expected two numbers LO,HI"))?;
    Ok((v[0], v[1]))
}

fn parse_rescue(rescue: &str) -> anyhow::Result<Option<f32>> {
    match rescue.trim() {
        "off" => Ok(None),
        x => Ok(Some(x.parse::<f32>().with_context(|| {
            format!("--semantic-rescue `{x}`: expected a number or `off`")
        })?)),
    }
}

impl SemanticArgs {
    /// [`load`] with these flags.
    pub fn load(&self) -> anyhow::Result<Option<Loaded>> {
        load(
            &self.semantic,
            self.model.as_deref(),
            self.semantic_budget,
            &self.semantic_band,
            &self.semantic_rescue,
        )
    }

    /// The scorer to open an index with: `off` → lexical; `on` → the loaded pass; `auto` →
    /// the index's own (the loaded pass, if any, is offered for a semantic one). Loads the
    /// model once.
    pub fn index_scorer(&self) -> anyhow::Result<stemma_index::Scorer> {
        let mode = mode(&self.semantic)?;
        let loaded = self.load()?;
        let with_identity = |l: Loaded| -> anyhow::Result<_> {
            let id = l.identity()?;
            Ok((Box::new(l.pass), id))
        };
        Ok(match (mode, loaded) {
            (Mode::Off, _) => stemma_index::Scorer::Lexical,
            (Mode::On, Some(l)) => {
                let (p, id) = with_identity(l)?;
                stemma_index::Scorer::Semantic(p, id)
            }
            (Mode::On, None) => bail!("--semantic on: the model could not be loaded"),
            (Mode::Auto, l) => stemma_index::Scorer::Auto(l.map(with_identity).transpose()?),
        })
    }
}
