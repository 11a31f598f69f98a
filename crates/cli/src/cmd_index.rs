//! `stemma index`: a persistent scan index on disk (`stemma_index::DiskIndex`).
//!
//! - `stemma index add DIR INPUT...` creates the index in DIR or extends it with the documents
//!   of the inputs (read as `stemma scan` reads them), in batches of `--batch` documents. Each
//!   batch is written atomically and fsynced; only then is it acknowledged with one line on
//!   standard output (`committed N documents (ID … ID), P pairs; index holds T documents`).
//!   Progress goes to standard error.
//! - `stemma index query DIR FILE` checks the documents of FILE against the index without
//!   adding them (`--json`: the pair lines of `pairs.jsonl`).
//! - `stemma index export DIR --out OUT` writes `pairs.jsonl` and `families.jsonl` as
//!   `stemma scan --out` does.
//! - `stemma index stats DIR` prints counts and sizes.
//!
//! Scan options are fixed when the index is created (`--relations`, `--same-story`,
//! `--max-candidates` on the first `add`); giving different ones later is an error. So is the
//! scorer: `add` and `query` take `stemma scan`'s `--semantic auto|on|off` and `--model`
//! (`auto` opens an existing index with the scorer it was built with); the index records the
//! scorer (with the model's identity and band) and the input options at creation, and refuses
//! another scorer unless `add --allow-scorer-change` is given. `stats` prints them.

use anyhow::{Context, bail};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;
use stemma_compare::Relation;
use stemma_corpus::decode::encoding_for_label;
use stemma_corpus::{Corpus, CorpusOptions};
use stemma_index::{DiskIndex, IndexDoc, OpenOptions, Scorer};
use stemma_scan::driver::{JsonlSink, input_docs};
use stemma_scan::output::{Detail, PairLine, write_line};
use stemma_scan::{DocInfo, InputDoc, ScanDriver, ScanSummary, Sink};

/// Arguments of `stemma index`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: IndexCommand,
}

/// The `stemma index` subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum IndexCommand {
    /// Create or extend an index with the documents of INPUT...
    Add(AddArgs),
    /// Check the documents of FILE against the index, without adding them.
    Query(QueryArgs),
    /// Write pairs.jsonl and families.jsonl, as `stemma scan --out` does.
    Export(ExportArgs),
    /// Counts and sizes of an index.
    Stats(StatsArgs),
}

/// How input files are read (as `stemma scan` reads them).
#[derive(clap::Args, Debug)]
pub struct InputArgs {
    /// JSONL field holding the document id.
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// JSONL field holding the text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// JSONL field holding the publication date.
    #[arg(long, default_value = "date")]
    pub date_field: String,
    /// JSONL field holding the source (publisher).
    #[arg(long, default_value = "source")]
    pub source_field: String,
    /// Read every text file in this encoding instead of detecting it (a WHATWG label).
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
}

impl InputArgs {
    fn open(&self, inputs: &[PathBuf]) -> anyhow::Result<Corpus> {
        let copts = CorpusOptions {
            id_field: self.id_field.clone(),
            text_field: self.text_field.clone(),
            date_field: self.date_field.clone(),
            source_field: self.source_field.clone(),
            encoding: match &self.encoding {
                Some(label) => Some(encoding_for_label(label).context("--encoding")?),
                None => None,
            },
            ..CorpusOptions::default()
        };
        Corpus::open(inputs, copts).context("cannot open the inputs")
    }

    /// The options as an index records them.
    fn record(&self) -> std::collections::BTreeMap<String, String> {
        [
            ("id_field", self.id_field.clone()),
            ("text_field", self.text_field.clone()),
            ("date_field", self.date_field.clone()),
            ("source_field", self.source_field.clone()),
            (
                "encoding",
                self.encoding.clone().unwrap_or_else(|| "detected".into()),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }
}

/// Arguments of `stemma index add`.
#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// Index folder (created if missing).
    pub dir: PathBuf,
    /// Inputs: folders, text files, JSONL files (optionally .gz/.zst), `-` for stdin.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
    /// Documents per committed (atomic, fsynced) batch.
    #[arg(long, default_value_t = 500)]
    pub batch: usize,
    /// Skip documents whose id is already indexed (resume an interrupted `add`) instead of
    /// failing.
    #[arg(long)]
    pub skip_existing: bool,
    /// Relations to keep (comma-separated; fixed when the index is created).
    #[arg(long, value_delimiter = ',')]
    pub relations: Option<Vec<String>>,
    /// Also keep `same-story` pairs (fixed when the index is created).
    #[arg(long)]
    pub same_story: bool,
    /// Candidates verified per document (fixed when the index is created).
    #[arg(long)]
    pub max_candidates: Option<usize>,
    #[command(flatten)]
    pub semantic: crate::semantic_flags::SemanticArgs,
    /// Extend an index built with another scorer (or model, or band) than the one given:
    /// the new scorer is recorded for the documents added from now on (`stats` lists both).
    #[arg(long)]
    pub allow_scorer_change: bool,
    /// No progress on standard error.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `stemma index query`.
#[derive(clap::Args, Debug)]
pub struct QueryArgs {
    /// Index folder.
    pub dir: PathBuf,
    /// A text file or a JSONL file (every record is checked).
    pub file: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub semantic: crate::semantic_flags::SemanticArgs,
    /// Print the pair lines of pairs.jsonl.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `stemma index export`.
#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// Index folder.
    pub dir: PathBuf,
    /// Output folder (created if missing).
    #[arg(long, short)]
    pub out: PathBuf,
    /// Detail of pairs.jsonl: `full` or `compact` (see docs/scan-output.md).
    #[arg(long, default_value = "full")]
    pub detail: String,
}

/// Arguments of `stemma index stats`.
#[derive(clap::Args, Debug)]
pub struct StatsArgs {
    /// Index folder.
    pub dir: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    match args.command {
        IndexCommand::Add(a) => add(a),
        IndexCommand::Query(a) => query(a),
        IndexCommand::Export(a) => export(a),
        IndexCommand::Stats(a) => stats(a),
    }
}

/// The index in `dir`, opened to read what it stores (no scorer: nothing is added or checked).
fn open_read_only(dir: &std::path::Path) -> anyhow::Result<DiskIndex> {
    let options = OpenOptions {
        scorer: Scorer::ReadOnly,
        ..OpenOptions::default()
    };
    DiskIndex::open_with(dir, options, Default::default())
        .with_context(|| format!("cannot open index {}", dir.display()))
}

/// The index for `add`: created or checked with the option flags when any is given, else
/// opened with its own options (created with the defaults if new); the scorer as
/// `--semantic` says.
fn open_for_add(a: &AddArgs) -> anyhow::Result<DiskIndex> {
    let flags = a.relations.is_some() || a.same_story || a.max_candidates.is_some();
    let scan = if flags {
        let mut relations = match &a.relations {
            None => stemma_scan::ScanOptions::default().relations,
            Some(rel) => {
                let mut v = Vec::new();
                for r in rel.iter().map(|r| r.trim()).filter(|r| !r.is_empty()) {
                    match Relation::parse(r) {
                        Some(Relation::Unrelated) | None => bail!(
                            "unknown relation `{r}` (expected duplicate, near-duplicate, rewrite, partial, same-story)"
                        ),
                        Some(x) => v.push(x),
                    }
                }
                v
            }
        };
        if a.same_story && !relations.contains(&Relation::SameStory) {
            relations.push(Relation::SameStory);
        }
        let mut b = ScanDriver::builder().relations(relations);
        if let Some(k) = a.max_candidates {
            b = b.max_candidates(k);
        }
        Some(
            b.build()
                .context("invalid index options")?
                .options()
                .clone(),
        )
    } else {
        None
    };
    let options = OpenOptions {
        scan,
        create: true,
        scorer: a.semantic.index_scorer()?,
        allow_scorer_change: a.allow_scorer_change,
        corpus: a.input.record(),
    };
    DiskIndex::open_with(&a.dir, options, Default::default())
        .with_context(|| format!("cannot open index {}", a.dir.display()))
}

fn add(a: AddArgs) -> anyhow::Result<i32> {
    if a.batch == 0 {
        bail!("--batch must be at least 1");
    }
    let corpus = a.input.open(&a.inputs)?;
    let t0 = Instant::now();
    let mut index = open_for_add(&a)?;
    if !a.quiet {
        eprintln!(
            "opened {} ({} documents) in {:.2}s",
            a.dir.display(),
            index.docs().len(),
            t0.elapsed().as_secs_f64()
        );
    }
    let (mut skipped, mut existing, mut added) = (0usize, 0usize, 0usize);
    let mut batch: Vec<InputDoc> = Vec::with_capacity(a.batch);
    let mut seen = std::collections::HashSet::new();
    for r in input_docs(corpus) {
        match r {
            Err(s) => {
                skipped += 1;
                eprintln!("skipped {s}");
            }
            Ok(d) => {
                if a.skip_existing && (index.doc_id(&d.id).is_some() || seen.contains(&d.id)) {
                    existing += 1;
                    continue;
                }
                seen.insert(d.id.clone());
                batch.push(d);
                if batch.len() >= a.batch {
                    seen.clear();
                    added += commit(&mut index, &mut batch)?;
                    if !a.quiet {
                        eprintln!(
                            "{} documents added ({:.0} docs/s)",
                            added,
                            added as f64 / t0.elapsed().as_secs_f64()
                        );
                    }
                }
            }
        }
    }
    added += commit(&mut index, &mut batch)?;
    if !a.quiet {
        eprintln!(
            "added {added} documents in {:.1}s; {existing} already indexed were skipped; index holds {} documents, {} pairs",
            t0.elapsed().as_secs_f64(),
            index.docs().len(),
            index.pairs().len()
        );
    }
    Ok(if skipped > 0 {
        crate::EXIT_SKIPPED
    } else {
        crate::EXIT_OK
    })
}

/// Adds `batch` as one atomic write and acknowledges it on standard output; returns the
/// number of documents committed.
fn commit(index: &mut DiskIndex, batch: &mut Vec<InputDoc>) -> anyhow::Result<usize> {
    if batch.is_empty() {
        return Ok(0);
    }
    let n = batch.len();
    let (first, last) = (batch[0].id.clone(), batch[n - 1].id.clone());
    let answers = index
        .add(batch.drain(..).map(IndexDoc::from))
        .context("index add failed")?;
    let pairs: usize = answers.iter().map(Vec::len).sum();
    let mut o = std::io::stdout().lock();
    writeln!(
        o,
        "committed {n} documents ({first} … {last}), {pairs} pairs; index holds {} documents",
        index.docs().len()
    )?;
    o.flush()?;
    Ok(n)
}

fn query(a: QueryArgs) -> anyhow::Result<i32> {
    let options = OpenOptions {
        scorer: a.semantic.index_scorer()?,
        ..OpenOptions::default()
    };
    let index: DiskIndex = DiskIndex::open_with(&a.dir, options, Default::default())
        .with_context(|| format!("cannot open index {}", a.dir.display()))?;
    let corpus = a.input.open(std::slice::from_ref(&a.file))?;
    let out = std::io::stdout();
    let mut o = BufWriter::new(out.lock());
    let mut skipped = 0;
    for r in input_docs(corpus) {
        let d = match r {
            Ok(d) => d,
            Err(s) => {
                skipped += 1;
                eprintln!("skipped {s}");
                continue;
            }
        };
        let info = DocInfo {
            id: d.id.clone(),
            date: d.date,
            source: d.source.clone(),
            len: d.text.len(),
            decoding: None,
        };
        let pairs = index.check(d).context("query failed")?;
        // The pair lines name the checked document as the next one.
        let mut docs = index.docs().to_vec();
        docs.push(info);
        for p in &pairs {
            if a.json {
                write_line(&mut o, &PairLine::new(&docs, p, Detail::Full))?;
            } else {
                let c = &p.comparison;
                writeln!(
                    o,
                    "{}\t{}\t{}\t{:.3}",
                    docs[p.b as usize].id,
                    docs[p.a as usize].id,
                    c.relation.as_str(),
                    c.score
                )?;
            }
        }
        if !a.json && pairs.is_empty() {
            writeln!(o, "{}\t(no relation)", docs[docs.len() - 1].id)?;
        }
    }
    o.flush()?;
    Ok(if skipped > 0 {
        crate::EXIT_SKIPPED
    } else {
        crate::EXIT_OK
    })
}

fn export(a: ExportArgs) -> anyhow::Result<i32> {
    let detail = Detail::parse(a.detail.trim())
        .with_context(|| format!("unknown --detail `{}` (expected full, compact)", a.detail))?;
    let index = open_read_only(&a.dir)?;
    std::fs::create_dir_all(&a.out)
        .with_context(|| format!("cannot create output folder {}", a.out.display()))?;
    let create = |name: &str| -> anyhow::Result<BufWriter<std::fs::File>> {
        let p = a.out.join(name);
        Ok(BufWriter::new(std::fs::File::create(&p).with_context(
            || format!("cannot create {}", p.display()),
        )?))
    };
    let mut sink = JsonlSink {
        pairs: Some(create("pairs.jsonl")?),
        families: Some(create("families.jsonl")?),
        candidates: None,
        skipped: None,
        detail,
    };
    let fail = |e| anyhow::anyhow!("cannot write the export: {e}");
    for p in index.pairs() {
        sink.pair(&index, p).map_err(fail)?;
    }
    let families = index.families();
    let edges: Vec<_> = index.pairs().iter().map(|p| p.edge()).collect();
    sink.families(&index, &families, &edges).map_err(fail)?;
    sink.finish(&index, &ScanSummary::default()).map_err(fail)?;
    println!(
        "wrote {} pairs and {} families to {}",
        index.pairs().len(),
        families.len(),
        a.out.display()
    );
    Ok(crate::EXIT_OK)
}

fn stats(a: StatsArgs) -> anyhow::Result<i32> {
    let t0 = Instant::now();
    let index = open_read_only(&a.dir)?;
    let open = t0.elapsed();
    let s = index.stats();
    let rel: Vec<String> = s
        .by_relation
        .iter()
        .map(|(r, n)| format!("{} {n}", r.as_str()))
        .collect();
    let mut out = String::new();
    use std::fmt::Write as _;
    let _ = writeln!(out, "index {} (schema {})", a.dir.display(), s.schema);
    let _ = writeln!(out, "documents: {}", s.documents);
    let _ = writeln!(out, "pairs: {} ({})", s.pairs, rel.join(", "));
    let _ = writeln!(
        out,
        "families: {} (largest {})",
        s.families, s.largest_family
    );
    let meta = index.meta();
    let _ = writeln!(out, "scorer: {}", meta.scorer.describe());
    for (n, old) in &meta.scorer_history {
        let _ = writeln!(out, "  before document {n}: {}", old.describe());
    }
    let corpus: Vec<String> = meta
        .corpus
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let _ = writeln!(
        out,
        "input: {}",
        if corpus.is_empty() {
            "(not recorded)".to_string()
        } else {
            corpus.join(", ")
        }
    );
    let _ = writeln!(out, "text: {} bytes", s.text_bytes);
    let _ = writeln!(out, "disk: {} bytes", s.disk_bytes);
    let _ = writeln!(out, "opened in {:.2}s", open.as_secs_f64());
    crate::emit(&out)?;
    Ok(crate::EXIT_OK)
}
