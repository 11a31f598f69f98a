//! `stemma generate`: a labelled rewrite benchmark corpus from real articles.

use std::path::PathBuf;

use std::fmt::Write as _;

use anyhow::Context;
use stemma_eval::generate::source::SourceFilter;
use stemma_eval::generate::wordnet::DEFAULT_WORDNET_DIR;
use stemma_eval::generate::{GenerateConfig, generate};

/// Arguments of `stemma generate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// JSONL files of real articles (fields `id`, `text`; optional `date`, `topics`, `places`, `category`).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Number of documents to generate.
    #[arg(long, default_value_t = 10_000)]
    pub docs: usize,
    /// Seed of every random choice (same seed and inputs → same files).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output folder: corpus.jsonl, truth.jsonl, families.jsonl, manifest.json.
    #[arg(long)]
    pub out: PathBuf,
    /// WordNet database folder (Debian package `wordnet-base`).
    #[arg(long, default_value = DEFAULT_WORDNET_DIR)]
    pub wordnet: PathBuf,
    /// Fewest sentences an input article must have to be used.
    #[arg(long, default_value_t = 5)]
    pub min_sentences: usize,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// Copy style: `default` (the gated recipes) or `heavy` (spins that replace most
    /// replaceable words and drop, swap and merge sentences; partial reuse of a third of a
    /// source embedded in unrelated text).
    #[arg(long, default_value = "default")]
    pub style: stemma_eval::generate::Style,
}

/// Runs `stemma generate`; returns the process exit code.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let mut out = String::new();
    if args.docs == 0 {
        anyhow::bail!("--docs must be at least 1");
    }
    let cfg = GenerateConfig {
        inputs: args.inputs,
        out: args.out.clone(),
        docs: args.docs,
        seed: args.seed,
        wordnet: args.wordnet,
        filter: SourceFilter {
            min_sentences: args.min_sentences,
            ..SourceFilter::default()
        },
        style: args.style,
    };
    let start = std::time::Instant::now();
    let s = generate(&cfg).context("stemma generate")?;
    if args.json {
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&s)?);
    } else {
        let _ = writeln!(
            out,
            "wrote {} documents, {} labelled pairs, {} families to {} in {:.1}s",
            s.docs,
            s.pairs,
            s.families,
            args.out.display(),
            start.elapsed().as_secs_f64()
        );
        let _ = writeln!(
            out,
            "inputs: {} lines, {} usable articles ({} filtered, {} repeats, {} malformed), {} same-story links",
            s.input_lines,
            s.articles,
            s.input_filtered,
            s.input_duplicates,
            s.input_malformed,
            s.story_links
        );
        let roles: Vec<String> = s.by_role.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let _ = writeln!(out, "documents: {}", roles.join(", "));
    }
    crate::emit(&out)?;
    Ok(crate::EXIT_OK)
}
