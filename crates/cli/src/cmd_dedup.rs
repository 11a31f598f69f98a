//! `stemma dedup`: write a corpus back without its near-duplicates.
//!
//! Reads the inputs with stemma-corpus on a reader thread, sketches batches in parallel
//! (stemma-scan's [`Deduper`]), clusters, and writes the kept records as JSONL (JSONL inputs:
//! the original line unchanged, so every field survives; text inputs: `id`/`text` objects
//! using the configured field names) plus, with `--removed`, one JSONL line per removed
//! document.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use stemma_corpus::{Corpus, CorpusOptions, Format, Record, Skipped};
use stemma_scan::dedup::{DedupDoc, DedupOptions, Deduper, Keep, LshParams, Scheme};

use crate::{EXIT_OK, EXIT_SKIPPED};

/// Representative kept per cluster.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum KeepArg {
    /// The first document read.
    First,
    /// The longest text.
    Longest,
    /// The earliest date (undated documents count as latest).
    Earliest,
}

/// MinHash scheme.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum SchemeArg {
    /// One-permutation hashing with optimal densification (fast).
    Oph,
    /// num_perm universal hash functions mod 2^61-1 (classic, datasketch-like).
    Perm,
}

/// Input format.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum FormatArg {
    /// Detect from the file name, else from the first byte.
    Auto,
    /// One JSON object per line.
    Jsonl,
    /// Each file is one document.
    Text,
}

/// Arguments of `stemma dedup`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Inputs: folders, text files, JSONL files (optionally .gz/.zst), or - for stdin.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Where to write the kept records (JSONL); stdout when absent.
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Where to write one JSONL line per removed document.
    #[arg(long)]
    removed: Option<PathBuf>,
    /// Jaccard similarity threshold of word-shingle sets.
    #[arg(long, default_value_t = 0.8)]
    threshold: f64,
    /// MinHash signature size.
    #[arg(long, default_value_t = 128)]
    num_perm: usize,
    /// Shingle size in words.
    #[arg(long, default_value_t = 5)]
    ngram: usize,
    /// LSH bands (with --rows; default: derived from --threshold).
    #[arg(long, requires = "rows")]
    bands: Option<usize>,
    /// LSH rows per band (with --bands).
    #[arg(long, requires = "bands")]
    rows: Option<usize>,
    /// Banding weights FP,FN as datasketch's `weights` (default 0.5,0.5; with --verify
    /// 0.05,0.95: verification removes false positives, so the banding favours recall).
    #[arg(long, value_parser = parse_weights)]
    weights: Option<(f64, f64)>,
    /// Link candidates only when their exact shingle Jaccard reaches the threshold.
    #[arg(long)]
    verify: bool,
    /// Which document of a cluster to keep.
    #[arg(long, value_enum, default_value_t = KeepArg::First)]
    keep: KeepArg,
    /// MinHash seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// MinHash scheme.
    #[arg(long, value_enum, default_value_t = SchemeArg::Oph)]
    scheme: SchemeArg,
    /// Input format.
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    format: FormatArg,
    /// JSONL field holding the id.
    #[arg(long, default_value = "id")]
    id_field: String,
    /// JSONL field holding the text.
    #[arg(long, default_value = "text")]
    text_field: String,
    /// JSONL field holding the date.
    #[arg(long, default_value = "date")]
    date_field: String,
    /// JSONL field holding the source.
    #[arg(long, default_value = "source")]
    source_field: String,
    /// Largest document accepted, in bytes.
    #[arg(long, default_value_t = stemma_corpus::DEFAULT_MAX_BYTES)]
    max_bytes: usize,
    /// Hold no record in memory: read the inputs again to verify and to write the kept
    /// records (memory then grows only by ~650 bytes per document). Not with stdin.
    #[arg(long)]
    low_memory: bool,
    /// No progress bar and no summary.
    #[arg(long, short)]
    quiet: bool,
}

/// Writes one kept record: its original JSONL line, or an object with the configured names.
fn write_record(out: &mut dyn Write, r: &Record, args: &Args) -> anyhow::Result<()> {
    match &r.raw {
        Some(raw) => out.write_all(raw.as_bytes())?,
        None => {
            let mut obj = serde_json::Map::new();
            obj.insert(args.id_field.clone(), r.id.clone().into());
            obj.insert(args.text_field.clone(), r.text.clone().into());
            if let Some(d) = &r.date {
                obj.insert(args.date_field.clone(), d.clone().into());
            }
            if let Some(s) = &r.source {
                obj.insert(args.source_field.clone(), s.clone().into());
            }
            serde_json::to_writer(&mut *out, &obj)?;
        }
    }
    out.write_all(b"\n")?;
    Ok(())
}

fn parse_weights(s: &str) -> Result<(f64, f64), String> {
    let (a, b) = s.split_once(',').ok_or("expected FP,FN, e.g. 0.5,0.5")?;
    let p = |x: &str| x.trim().parse::<f64>().map_err(|e| format!("`{x}`: {e}"));
    Ok((p(a)?, p(b)?))
}

const BATCH: usize = 2048;
const SHOWN_SKIPS: usize = 50;

/// Runs `stemma dedup`; returns the process exit code.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let started = Instant::now();
    let opts = DedupOptions {
        threshold: args.threshold,
        num_perm: args.num_perm,
        ngram: args.ngram,
        lsh: match (args.bands, args.rows) {
            (Some(bands), Some(rows)) => Some(LshParams { bands, rows }),
            _ => None,
        },
        weights: args.weights,
        verify: args.verify,
        keep: match args.keep {
            KeepArg::First => Keep::First,
            KeepArg::Longest => Keep::Longest,
            KeepArg::Earliest => Keep::Earliest,
        },
        seed: args.seed,
        scheme: match args.scheme {
            SchemeArg::Oph => Scheme::OnePermutation,
            SchemeArg::Perm => Scheme::Permutations,
        },
    };
    let mut deduper = Deduper::new(opts).context("invalid dedup settings")?;
    let copts = CorpusOptions {
        id_field: args.id_field.clone(),
        text_field: args.text_field.clone(),
        date_field: args.date_field.clone(),
        source_field: args.source_field.clone(),
        // Dedup compares and writes back the text field alone.
        title_field: String::new(),
        max_bytes: args.max_bytes,
        format: match args.format {
            FormatArg::Auto => None,
            FormatArg::Jsonl => Some(Format::Jsonl),
            FormatArg::Text => Some(Format::Text),
        },
        keep_raw: !args.low_memory,
        encoding: None,
    };
    if args.low_memory && args.inputs.iter().any(|p| p.as_os_str() == "-") {
        anyhow::bail!("--low-memory reads the inputs twice: it cannot read standard input (-)");
    }
    let corpus = Corpus::open(&args.inputs, copts.clone()).context("cannot read the corpus")?;
    // Open outputs before the long part, so a bad path fails fast.
    let mut out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(BufWriter::with_capacity(
            1 << 20,
            File::create(p).with_context(|| format!("cannot create `{}`", p.display()))?,
        )),
        None => Box::new(BufWriter::with_capacity(1 << 20, std::io::stdout().lock())),
    };
    let mut removed_out = match &args.removed {
        Some(p) => {
            Some(BufWriter::new(File::create(p).with_context(|| {
                format!("cannot create `{}`", p.display())
            })?))
        }
        None => None,
    };

    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} {human_pos} documents read ({per_sec}) {elapsed}",
            )
            .expect("valid template"),
        );
        b
    };

    // Reader thread: parse (and decompress) while the main thread sketches.
    let (tx, rx) = mpsc::sync_channel::<Vec<Result<Record, Skipped>>>(4);
    let reader = std::thread::spawn(move || {
        let mut batch = Vec::with_capacity(BATCH);
        for item in corpus {
            batch.push(item);
            if batch.len() == BATCH
                && tx
                    .send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                    .is_err()
            {
                return;
            }
        }
        if !batch.is_empty() {
            let _ = tx.send(batch);
        }
    });

    let keep_text = args.verify;
    let low = args.low_memory;
    let mut records: Vec<Record> = Vec::new();
    // Low-memory mode: ids only (records are dropped after sketching).
    let mut ids: Vec<String> = Vec::new();
    let mut skipped: Vec<Skipped> = Vec::new();
    for batch in rx {
        let start = records.len();
        for item in batch {
            match item {
                Ok(r) => records.push(r),
                Err(s) => skipped.push(s),
            }
        }
        let docs: Vec<DedupDoc> = records[start..]
            .iter()
            .map(|r| DedupDoc {
                text: &r.text,
                date: r.date.as_deref(),
            })
            .collect();
        deduper.add_batch(&docs);
        if low {
            ids.extend(records.drain(start..).map(|r| r.id));
        } else if !keep_text {
            // The raw line is what gets written; the text is not needed again.
            for r in &mut records[start..] {
                if r.raw.is_some() {
                    r.text = String::new();
                }
            }
        }
        bar.set_position(deduper.len() as u64);
    }
    reader
        .join()
        .map_err(|_| anyhow::anyhow!("the corpus reader thread panicked"))?;
    bar.finish_and_clear();

    let lsh = deduper.lsh();
    let n = deduper.len();
    let candidates = deduper.candidates();
    // Low-memory verification: read again, keeping only the texts of candidate documents.
    let mut texts: std::collections::HashMap<usize, String> = std::collections::HashMap::new();
    if low && args.verify {
        let need = candidates.documents();
        let again =
            Corpus::open(&args.inputs, copts.clone()).context("cannot read the corpus again")?;
        for (i, r) in again.filter_map(Result::ok).enumerate() {
            if need.binary_search(&i).is_ok() {
                texts.insert(i, r.text);
            }
        }
    }
    let result = deduper.finish_with(candidates, |i| {
        if low {
            // Every text finish_with asks for was gathered above.
            texts.get(&i).map_or("", String::as_str)
        } else {
            records[i].text.as_str()
        }
    });
    drop(texts);

    if low {
        let again = Corpus::open(
            &args.inputs,
            CorpusOptions {
                keep_raw: true,
                ..copts
            },
        )
        .context("cannot read the corpus again")?;
        let mut count = 0;
        for r in again.filter_map(Result::ok) {
            if result.keep_mask.get(count) == Some(&true) {
                write_record(&mut out, &r, &args)?;
            }
            count += 1;
        }
        if count != n {
            anyhow::bail!(
                "the inputs changed while stemma dedup read them ({n} documents, then {count}); \
                 the output is incomplete"
            );
        }
    } else {
        for (r, keep) in records.iter().zip(&result.keep_mask) {
            if *keep {
                write_record(&mut out, r, &args)?;
            }
        }
    }
    out.flush().context("cannot write the output")?;
    let id_of = |i: usize| if low { &ids[i] } else { &records[i].id };
    if let Some(w) = &mut removed_out {
        for rm in &result.removals {
            // Fields in a fixed, readable order (serde_json maps sort their keys).
            let num = |x: f64| serde_json::Value::from(x).to_string();
            write!(
                w,
                "{{\"removed\":{},\"kept\":{},\"cluster\":{},\"exact\":{},\"estimated_jaccard\":{},\"true_jaccard\":{}}}",
                serde_json::Value::from(id_of(rm.removed).as_str()),
                serde_json::Value::from(id_of(rm.kept).as_str()),
                rm.cluster,
                rm.exact,
                num(rm.estimated_jaccard),
                rm.true_jaccard.map_or("null".to_owned(), num),
            )?;
            w.write_all(b"\n")?;
        }
        w.flush().context("cannot write the removed list")?;
    }

    if !args.quiet {
        let s = &result.stats;
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "stemma dedup: {} documents read, {} skipped; {} clusters, {} removed, {} kept \
             ({} exact-duplicate links, {} LSH candidate pairs, {} linked{}); \
             bands={} rows={}; {:.2}s ({:.0} docs/s)",
            s.documents,
            skipped.len(),
            s.clusters,
            s.removed,
            s.documents - s.removed,
            s.exact_pairs,
            s.candidate_pairs,
            s.linked_pairs,
            if args.verify {
                " after verification"
            } else {
                ""
            },
            lsh.bands,
            lsh.rows,
            secs,
            s.documents as f64 / secs.max(1e-9),
        );
        if s.documents == 0 && skipped.is_empty() {
            eprintln!("stemma dedup: warning: the inputs hold no document");
        }
        for sk in skipped.iter().take(SHOWN_SKIPS) {
            eprintln!("  skipped {sk}");
        }
        if skipped.len() > SHOWN_SKIPS {
            eprintln!("  … and {} more skipped", skipped.len() - SHOWN_SKIPS);
        }
    }
    Ok(if skipped.is_empty() {
        EXIT_OK
    } else {
        EXIT_SKIPPED
    })
}
