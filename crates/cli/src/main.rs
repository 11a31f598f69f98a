//! `stemma`: find who copied whom. A thin front end over the stemma library crates.
//!
//! Exit codes (for scripts): 0 = done, every input record read; 2 = error (bad usage,
//! unreadable input); 3 = done, but some input records were skipped (listed in the summary).

use clap::{Parser, Subcommand};

/// mimalloc instead of the system allocator: verification allocates and frees many small
/// objects from two threads, where glibc malloc spent ~25% of a scan's CPU (docs/notes/scan.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cmd_compare;
mod cmd_dedup;
mod cmd_eval;
mod cmd_generate;
mod cmd_index;
mod cmd_scan;
mod cmd_serve;
mod semantic_flags;

/// Exit code: completed, every record read.
pub const EXIT_OK: i32 = 0;
/// Exit code: an error stopped the run.
pub const EXIT_ERROR: i32 = 2;
/// Exit code: completed, but some input records were skipped.
pub const EXIT_SKIPPED: i32 = 3;

/// Find copies, near-copies and reworded rewrites, align them, and tell the source.
#[derive(Parser, Debug)]
#[command(name = "stemma", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Compare two documents: relation, aligned passages, direction and changes.
    Compare(cmd_compare::Args),
    /// Find every reuse relation in a corpus, with story families and a report.
    Scan(Box<cmd_scan::Args>),
    /// Write a corpus back without its near-duplicates.
    Dedup(cmd_dedup::Args),
    /// Generate a labelled rewrite benchmark corpus from real articles.
    Generate(cmd_generate::Args),
    /// Score stemma's output against labelled ground truth.
    Eval(cmd_eval::Args),
    /// A persistent scan index on disk: add, query, export, stats.
    Index(cmd_index::Args),
    /// Serve an index over HTTP: add and check articles, browse families (docs/server.md).
    Serve(cmd_serve::Args),
}

/// Writes `text` to standard output; a closed pipe (`| head`) is not an error.
pub(crate) fn emit(text: &str) -> anyhow::Result<()> {
    use anyhow::Context as _;
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write to standard output"),
    }
}

/// The semantic layer's sentence encoder for `--model PATH` / `--no-semantic`: the model at
/// `model`, else `$STEMMA_MODEL`, else the cache folder. `None` (after one line on stderr)
/// when it is off; an explicitly named model that is missing or broken is an error.
pub(crate) fn semantic_embedder(
    model: Option<&std::path::Path>,
    no_semantic: bool,
) -> anyhow::Result<Option<std::sync::Arc<dyn stemma_align::SentenceEmbedder>>> {
    use anyhow::Context as _;
    if no_semantic {
        return Ok(None);
    }
    if let Some(p) = model
        && !p.is_file()
    {
        anyhow::bail!("--model {}: no such file", p.display());
    }
    let Some(path) = stemma_embed::Embedder::find(model) else {
        eprintln!(
            "stemma: semantic layer off (no model found: run scripts/fetch-model.sh, or pass \
             --model PATH or set {}); scoring lexically",
            stemma_embed::MODEL_ENV
        );
        return Ok(None);
    };
    let embedder = stemma_embed::Embedder::load(&path)
        .with_context(|| format!("loading the semantic model {}", path.display()))?;
    Ok(Some(std::sync::Arc::new(embedder)))
}

/// Comparison options for the scorer in use: the verdict model fitted on alignments made with
/// the semantic layer when it is on, the lexical one otherwise.
pub(crate) fn compare_options(semantic: bool) -> stemma_compare::CompareOptions {
    stemma_compare::CompareOptions::for_scorer(semantic)
}

/// True when `err` comes from writing to a pipe whose reader has gone (`stemma … | head`).
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Compare(args) => cmd_compare::run(args),
        Command::Scan(args) => cmd_scan::run(*args),
        Command::Dedup(args) => cmd_dedup::run(args),
        Command::Generate(args) => cmd_generate::run(args),
        Command::Eval(args) => cmd_eval::run(args),
        Command::Index(args) => cmd_index::run(args),
        Command::Serve(args) => cmd_serve::run(args),
    };
    match result {
        Ok(code) => std::process::exit(code),
        Err(err) if is_broken_pipe(&err) => std::process::exit(EXIT_OK),
        Err(err) => {
            eprintln!("stemma: error: {err:#}");
            std::process::exit(EXIT_ERROR);
        }
    }
}
