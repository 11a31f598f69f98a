//! `stemma serve`: the HTTP API and web page (`stemma-server`) over one index.
//!
//! Translates flags into a `stemma_server::ServerConfig` and a backend: the in-memory
//! incremental scanner (optionally loaded with `--load CORPUS` first), or, with
//! `--index DIR`, the persistent on-disk index (`stemma-index`, created when the folder is
//! empty or missing). The scorer is `stemma scan`'s (`--semantic auto|on|off`, `--model`,
//! band and budget flags): the model is loaded once, before the server listens, so a document
//! added or checked gets the verdict a scan with the same flags gives it. Routes and limits:
//! docs/server.md.

use anyhow::{Context as _, Result, bail};
use std::net::SocketAddr;
use std::path::PathBuf;
use stemma_corpus::{Corpus, CorpusOptions};
use stemma_index::{DiskIndex, OpenOptions};
use stemma_server::{DiskBackend, MemoryBackend, NewDocument, ServerConfig};

/// Flags of `stemma serve`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// On-disk index folder (created by `stemma index add`). Without it the index lives in
    /// memory and is lost when the server stops.
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Address to listen on. A non-loopback address needs a token.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Bearer token required by writes (POST /v1/documents); default: $STEMMA_TOKEN.
    #[arg(long)]
    pub token: Option<String>,
    /// Largest request body in bytes (larger ones are answered 413).
    #[arg(long, value_name = "BYTES", default_value_t = stemma_server::DEFAULT_MAX_BODY)]
    pub max_body: usize,
    /// Corpora (folders, JSONL, as `scan` reads them) added to the in-memory index before
    /// serving, in reading order; a JSONL `title` field is kept for search.
    #[arg(long, value_name = "CORPUS")]
    pub load: Vec<PathBuf>,
    #[command(flatten)]
    pub semantic: crate::semantic_flags::SemanticArgs,
    /// Serve an on-disk index built with another scorer than the one given: the new one is
    /// recorded for the documents added from now on.
    #[arg(long)]
    pub allow_scorer_change: bool,
}

/// Runs `stemma serve` until Ctrl-C; returns the process exit code.
pub fn run(args: Args) -> Result<i32> {
    let token = args.token.clone().or_else(|| {
        std::env::var(stemma_server::TOKEN_ENV)
            .ok()
            .filter(|t| !t.is_empty())
    });
    let config = ServerConfig {
        addr: args.addr,
        token,
        max_body: args.max_body,
    };
    config.check()?;
    if let Some(dir) = &args.index {
        if !args.load.is_empty() {
            bail!(
                "--load fills the in-memory index; add to an on-disk one with `stemma index add`"
            );
        }
        let options = OpenOptions {
            create: true,
            scorer: args.semantic.index_scorer()?,
            allow_scorer_change: args.allow_scorer_change,
            ..OpenOptions::default()
        };
        let index: DiskIndex = DiskIndex::open_with(dir, options, Default::default())
            .with_context(|| format!("--index {}", dir.display()))?;
        eprintln!(
            "stemma: index {} ({} documents), scorer {}",
            dir.display(),
            index.docs().len(),
            index.meta().scorer.describe()
        );
        let backend = stemma_server::shared(DiskBackend::new(index));
        stemma_server::run(config, backend, |addr| {
            eprintln!("stemma: serving on http://{addr}/ (Ctrl-C stops)");
        })?;
        return Ok(crate::EXIT_OK);
    }
    let opts = stemma_scan::ScanOptions {
        semantic: args.semantic.load()?.map(|l| l.pass),
        ..stemma_scan::ScanOptions::default()
    };
    if let Some(p) = &opts.semantic {
        eprintln!(
            "stemma: semantic second pass on ({}, band {}–{})",
            p.embedder.name(),
            p.band.0,
            p.band.1
        );
    }
    let mut backend = MemoryBackend::lexical(opts);
    if !args.load.is_empty() {
        load(&mut backend, &args.load)?;
    }
    stemma_server::run(config, stemma_server::shared(backend), |addr| {
        eprintln!("stemma: serving on http://{addr}/ (Ctrl-C stops)");
    })?;
    Ok(crate::EXIT_OK)
}

/// Adds every readable record of `inputs` to `backend`; skipped records and rejected ones
/// (e.g. a repeated id) are reported on stderr.
fn load(backend: &mut MemoryBackend, inputs: &[PathBuf]) -> Result<()> {
    use stemma_server::Backend as _;
    let opts = CorpusOptions {
        keep_raw: true,
        ..CorpusOptions::default()
    };
    let corpus = Corpus::open(inputs, opts).context("cannot open the corpus")?;
    let (mut stored, mut rejected) = (0usize, 0usize);
    let mut batch = Vec::new();
    let mut flush = |batch: &mut Vec<NewDocument>, backend: &mut MemoryBackend| {
        for r in backend.add(std::mem::take(batch)) {
            match r {
                Ok(_) => stored += 1,
                Err(e) => {
                    rejected += 1;
                    eprintln!("stemma: not loaded: {e}");
                }
            }
        }
    };
    for item in corpus {
        match item {
            Ok(rec) => {
                let title = rec
                    .raw
                    .as_deref()
                    .and_then(|raw| serde_json::from_str::<serde_json::Value>(raw).ok())
                    .and_then(|v| v.get("title")?.as_str().map(str::to_string));
                batch.push(NewDocument {
                    date: rec.date.as_deref().and_then(stemma_scan::date::parse_date),
                    id: rec.id,
                    text: rec.text,
                    source: rec.source,
                    title,
                });
                if batch.len() >= 256 {
                    flush(&mut batch, backend);
                }
            }
            Err(s) => eprintln!("stemma: skipped {}:{}: {}", s.file, s.line, s.reason),
        }
    }
    flush(&mut batch, backend);
    eprintln!("stemma: loaded {stored} documents ({rejected} rejected)");
    Ok(())
}
