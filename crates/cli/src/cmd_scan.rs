//! `stemma scan`: every reuse relation in a corpus.
//!
//! Writes, into `--out DIR`:
//! - `pairs.jsonl`: one line per related pair: `a_id`, `b_id`, `signals`, then the `compare`
//!   JSON fields at top level (`relation`, `score`, `direction`, `coverage`, `alignments`,
//!   `changes`, `dropped`, `added`); `--detail compact` keeps ids, relation, score, direction,
//!   coverage and passages. Exact copies are collapsed: a group of `n` documents with
//!   the same normalized text gives `n - 1` `duplicate` pairs, each with the group's first
//!   document (its representative), not `n(n-1)/2`; the copies are not compared with anything
//!   else (their relations are the representative's);
//! - `families.jsonl`: one line per story family, a derivation tree in which each copy hangs on
//!   its best source: `id`, `members`, `root`, `edges` (`source`, `copy`, `relation`, `score`,
//!   `basis`; one per member but the root), `links` (the members' other derivation relations:
//!   `doc`, `other`, `family`, `relation`, `score`);
//! - `report.html`: one self-contained page to browse families and open pairs side by side;
//! - `skipped.jsonl`: records that could not be read (`file`, `line`, `reason`);
//! - `candidates.jsonl` with `--write-candidates`: every candidate pair with its signals
//!   (for measuring candidate recall apart from verification).
//!
//! Text files may be in any encoding (detected, or forced with `--encoding`; see
//! `stemma_corpus::decode`). The library keeps each document's decoding: when a side of a
//! pair was decoded from something other than plain UTF-8, its line in `pairs.jsonl` has
//! `"encoding": {"a": "windows-1252"}` (only the sides concerned, `"UTF-8 (BOM)"` for a byte
//! order mark) and that side's spans index the file's original bytes, as in
//! `stemma compare --json`; the report names the document's encoding. Spans of JSONL
//! documents index the text field's string (UTF-8).
//!
//! The schemas are in docs/scan-output.md. This module only translates flags into a
//! [`ScanDriver`] and renders its events (progress bars, report, summary); the pipeline is
//! `stemma_scan`'s.

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use stemma_compare::{Relation, Side};
use stemma_corpus::decode::encoding_for_label;
use stemma_corpus::{Corpus, CorpusOptions, Decoding, Skipped};
use stemma_render::report::{Report, ReportDoc, ReportEdge, ReportFamily, ReportLink, ReportPair};
use stemma_scan::candidates::{Candidate, Signal};
use stemma_scan::driver::{JsonlSink, input_docs};
use stemma_scan::family::{Family, PairEdge};
use stemma_scan::output::Detail;
use stemma_scan::semantic::SemanticPass;
use stemma_scan::{Pair, Progress, ScanDriver, ScanSummary, ScanView, Sink, SinkError};

/// Arguments of `stemma scan`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Corpus inputs: folders, text files, JSONL files (optionally .gz/.zst), `-` for stdin.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output folder (created if missing): pairs.jsonl (related pairs; an exact-duplicate
    /// group of n documents gives n-1 `duplicate` pairs with its first document),
    /// families.jsonl (derivation trees: each copy under its best source, other relations as
    /// `links`), report.html, skipped.jsonl.
    #[arg(long, short)]
    pub out: PathBuf,
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
    /// JSONL field holding the headline, read as the document's first paragraph (spans then
    /// count from the headline's start); `--title-field ''` reads the text field alone.
    #[arg(long, default_value = "title")]
    pub title_field: String,
    /// Relations to keep (comma-separated): duplicate, near-duplicate, rewrite, partial,
    /// same-story.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "duplicate,near-duplicate,rewrite,partial"
    )]
    pub relations: Vec<String>,
    /// Also keep `same-story` pairs.
    #[arg(long)]
    pub same_story: bool,
    /// Candidate signals to use (comma-separated): exact, minhash, passage.
    #[arg(long, value_delimiter = ',', default_value = "exact,minhash,passage")]
    pub signals: Vec<String>,
    /// MinHash permutations.
    #[arg(long, default_value_t = 128)]
    pub num_perm: usize,
    /// Jaccard threshold of the LSH banding (default 0.5); --bands/--rows override it.
    #[arg(long)]
    pub threshold: Option<f64>,
    /// LSH bands.
    #[arg(long)]
    pub bands: Option<usize>,
    /// LSH rows per band.
    #[arg(long)]
    pub rows: Option<usize>,
    /// Read every text file in this encoding instead of detecting it (a WHATWG label:
    /// utf-8, windows-1252, latin1, windows-1251, koi8-r, …); a byte order mark still decides.
    /// JSONL is always UTF-8.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// Words per shingle.
    #[arg(long, default_value_t = 5)]
    pub ngram: usize,
    /// Anchors kept per sentence for passage keys.
    #[arg(long, default_value_t = 4)]
    pub passage_k: usize,
    /// Keep one passage key in N (memory/cost control for huge corpora).
    #[arg(long, default_value_t = 1)]
    pub passage_sample: u64,
    /// Distinct passage keys two documents must share to be a candidate.
    #[arg(long, default_value_t = 2)]
    pub min_shared_keys: u32,
    /// Fraction of the smaller document's passage keys two documents must share.
    #[arg(long, default_value_t = 0.1)]
    pub min_shared_fraction: f64,
    /// Candidates verified per document: its K best-scored earlier documents (shared LSH bands
    /// and passage keys); 0 = all. Keeps verification linear in the corpus size.
    #[arg(long, default_value_t = stemma_scan::candidates::DEFAULT_MAX_CANDIDATES)]
    pub max_candidates: usize,
    /// Candidates kept per document from one cluster of mutually similar earlier documents
    /// (variants of one story); 0 = no limit.
    #[arg(long, default_value_t = stemma_scan::candidates::DEFAULT_MAX_PER_CLUSTER)]
    pub max_per_cluster: usize,
    /// Candidates scoring below this (0–1: shared LSH bands / passage keys) are not verified;
    /// 0 = off. 0.15 saves 20–40% of the verification on generated corpora, losing 5–7% of
    /// partial reuse.
    #[arg(long, default_value_t = 0.0)]
    pub min_score: f32,
    /// A candidate is not verified when less than this fraction of the passage keys it shares
    /// with the document is new — not shared with a better candidate already kept (a sibling
    /// copy of the source, another variant of the story); 0 = off.
    #[arg(long, default_value_t = stemma_scan::candidates::DEFAULT_REDUNDANCY)]
    pub redundancy: f32,
    /// Compare every copy of an exact-duplicate group with its other candidates too (by
    /// default a copy is only paired with its group's representative: n-1 pairs per group).
    #[arg(long)]
    pub no_collapse: bool,
    /// Passage keys found in more documents than this are ignored.
    #[arg(long, default_value_t = 64)]
    pub df_cap: usize,
    /// Documents sketched per parallel batch.
    #[arg(long, default_value_t = 2000)]
    pub batch: usize,
    /// Pairs whose side-by-side view is embedded in report.html.
    #[arg(long, default_value_t = 2000)]
    pub report_pairs: usize,
    /// Write DIR/candidates.jsonl.
    #[arg(long)]
    pub write_candidates: bool,
    /// Detail of pairs.jsonl: `full` (every alignment, change and piece of direction
    /// evidence, as `stemma compare --json`) or `compact` (ids, relation, score, direction,
    /// coverage, passages; a fraction of the size). See docs/scan-output.md.
    #[arg(long, default_value = "full")]
    pub detail: String,
    /// Stop after candidate generation (no verification, no families).
    #[arg(long)]
    pub candidates_only: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Semantic second pass of verification: pairs the lexical verdict is unsure about are
    /// compared again with sentence embeddings. `auto`: on when the model is found (as
    /// `compare`); `on`: a missing model is an error; `off`: lexical only.
    #[arg(long, default_value = "auto", value_name = "auto|on|off")]
    pub semantic: String,
    /// Sentence-embedding model file (e5-small-q4.bin); default: $STEMMA_MODEL, then the cache
    /// folder (scripts/fetch-model.sh puts it there).
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// Documents the semantic pass may embed at most (0 = no limit); pairs needing more keep
    /// their lexical verdict. Embedding costs about 1 ms of one core per token.
    #[arg(long, default_value_t = stemma_scan::semantic::DEFAULT_MAX_DOCUMENTS, value_name = "DOCS")]
    pub semantic_budget: usize,
    /// Seconds the semantic pass may spend at most (checked between verification chunks).
    #[arg(long, value_name = "SECONDS")]
    pub semantic_seconds: Option<f64>,
    /// Lexical probabilities of derivation re-verified semantically: `LO,HI`.
    #[arg(long, value_name = "LO,HI", default_value = "0.2,0.8")]
    pub semantic_band: String,
    /// Lexically rejected pairs with a candidate score at least this are re-verified too
    /// (`off` = none).
    #[arg(long, value_name = "SCORE|off", default_value = "0.3")]
    pub semantic_rescue: String,
    /// Write one JSON line per pair the semantic pass selected (ids, candidate score, lexical
    /// relation and probability, and the semantic ones, `null` when the budget left the pair
    /// lexical) to this file.
    #[arg(long, value_name = "FILE")]
    pub semantic_trace: Option<PathBuf>,
}

/// Skipped records listed in the terminal summary.
const SHOW_SKIPPED: usize = 10;
/// Largest total size of side-by-side fragments embedded in the report.
const REPORT_FRAGMENT_BYTES: usize = 64 << 20;
/// Members and edges of one family shown in the report.
const REPORT_FAMILY_ITEMS: usize = 500;
/// Families drawn as a derivation graph in report.html: the first (largest) ones …
const REPORT_GRAPHS: usize = 300;
/// … of at most this many members (a larger graph is unreadable; families.jsonl has it).
const REPORT_GRAPH_MEMBERS: usize = 60;

fn parse_signal(s: &str) -> anyhow::Result<Signal> {
    Signal::ALL
        .into_iter()
        .find(|x| x.as_str() == s.trim())
        .with_context(|| format!("unknown signal `{s}` (expected exact, minhash, passage)"))
}

fn parse_relations(args: &Args) -> anyhow::Result<Vec<Relation>> {
    let mut rel = Vec::new();
    for r in &args.relations {
        let r = r.trim();
        if r.is_empty() {
            continue;
        }
        match Relation::parse(r) {
            Some(Relation::Unrelated) | None => bail!(
                "unknown relation `{r}` (expected duplicate, near-duplicate, rewrite, partial, same-story)"
            ),
            Some(x) => rel.push(x),
        }
    }
    if args.same_story && !rel.contains(&Relation::SameStory) {
        rel.push(Relation::SameStory);
    }
    if rel.is_empty() {
        bail!("--relations is empty");
    }
    Ok(rel)
}

/// The semantic second pass the flags ask for (`None` when off or, with `auto`, when no
/// model is found: one line on stderr says so).
fn semantic_pass(args: &Args) -> anyhow::Result<Option<SemanticPass>> {
    let Some(loaded) = crate::semantic_flags::load(
        &args.semantic,
        args.model.as_deref(),
        args.semantic_budget,
        &args.semantic_band,
        &args.semantic_rescue,
    )?
    else {
        return Ok(None);
    };
    let mut pass = loaded.pass;
    if let Some(s) = args.semantic_seconds {
        if !(s.is_finite() && s >= 0.0) {
            bail!("--semantic-seconds {s}: expected a number of seconds");
        }
        pass.max_time = Some(Duration::from_secs_f64(s));
    }
    pass.trace = args.semantic_trace.is_some();
    Ok(Some(pass))
}

/// The flags as a scan driver (the library checks the values).
fn driver(args: &Args) -> anyhow::Result<ScanDriver> {
    let signals = args
        .signals
        .iter()
        .map(|s| parse_signal(s))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut b = ScanDriver::builder()
        .relations(parse_relations(args)?)
        .signals(signals)
        .num_perm(args.num_perm)
        .ngram(args.ngram)
        .passage_anchors(args.passage_k)
        .passage_sample(args.passage_sample)
        .min_shared_keys(args.min_shared_keys)
        .min_shared_fraction(args.min_shared_fraction)
        .max_candidates(args.max_candidates)
        .max_per_cluster(args.max_per_cluster)
        .min_score(args.min_score)
        .redundancy(args.redundancy)
        .collapse_exact(!args.no_collapse)
        .passage_df_cap(args.df_cap)
        .batch_size(args.batch)
        .verify(!args.candidates_only)
        .semantic(if args.candidates_only {
            None
        } else {
            semantic_pass(args)?
        });
    if let Some(t) = args.threshold {
        b = b.lsh_threshold(t);
    }
    if let Some(x) = args.bands {
        b = b.lsh_bands(x);
    }
    if let Some(x) = args.rows {
        b = b.lsh_rows(x);
    }
    let flag = |option: &str| match option {
        "relations" => "--relations",
        "signals" => "--signals",
        "num_perm" => "--num-perm",
        "ngram" => "--ngram",
        "passage_anchors" => "--passage-k",
        "passage_sample" => "--passage-sample",
        "min_shared_keys" => "--min-shared-keys",
        "min_shared_fraction" => "--min-shared-fraction",
        "min_score" => "--min-score",
        "redundancy" => "--redundancy",
        "passage_df_cap" => "--df-cap",
        "batch_size" => "--batch",
        "lsh_threshold" => "--threshold",
        "lsh_bands" => "--bands",
        "lsh_rows" => "--rows",
        "semantic_band" => "--semantic-band",
        "semantic_rescue" => "--semantic-rescue",
        _ => "a setting",
    };
    b.build().map_err(|e| match e {
        stemma_scan::ScanError::Invalid { option, reason } => {
            anyhow::anyhow!("{}: {reason}", flag(option))
        }
        e => e.into(),
    })
}

fn create(dir: &Path, name: &str) -> anyhow::Result<BufWriter<File>> {
    let p = dir.join(name);
    Ok(BufWriter::new(File::create(&p).with_context(|| {
        format!("cannot create {}", p.display())
    })?))
}

fn bar(quiet: bool, len: Option<u64>, template: &str) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let pb = match len {
        Some(n) => ProgressBar::new(n),
        None => ProgressBar::new_spinner(),
    };
    pb.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb.enable_steady_tick(Duration::from_millis(200));
    pb
}

/// The CLI's sink: the JSON lines files, progress bars, report.html and what the summary
/// lists.
struct CliSink {
    files: JsonlSink<BufWriter<File>>,
    out: PathBuf,
    quiet: bool,
    report_pairs: usize,
    reading: ProgressBar,
    verifying: Option<ProgressBar>,
    skipped: Vec<Skipped>,
    notes: Vec<String>,
    report_time: Duration,
    candidate_pairs: usize,
    /// Document ids, filled at the end (for `--semantic-trace`).
    ids: Vec<String>,
}

impl Sink for CliSink {
    fn skipped(&mut self, s: &Skipped) -> Result<(), SinkError> {
        self.files.skipped(s)?;
        if self.skipped.len() < SHOW_SKIPPED {
            self.skipped.push(s.clone());
        }
        Ok(())
    }

    fn progress(&mut self, p: Progress) {
        match p {
            Progress::Read {
                documents,
                candidates,
            } => {
                self.reading.set_position(documents as u64);
                self.reading.set_message(format!("candidates {candidates}"));
            }
            Progress::Verify { done, total, pairs } => {
                let quiet = self.quiet;
                let pb = self.verifying.get_or_insert_with(|| {
                    bar(
                        quiet,
                        Some(total as u64),
                        "{bar:30} verifying {pos}/{len} candidates ({per_sec}) {msg} [{elapsed_precise}]",
                    )
                });
                pb.set_message(format!("pairs {pairs}"));
                pb.set_position(done as u64);
            }
            Progress::Families => {
                if let Some(pb) = &self.verifying {
                    pb.finish_and_clear();
                }
            }
        }
    }

    fn candidates(&mut self, scan: &dyn ScanView, c: &[Candidate]) -> Result<(), SinkError> {
        self.reading.finish_and_clear();
        self.candidate_pairs = c.len();
        self.files.candidates(scan, c)
    }

    fn pair(&mut self, scan: &dyn ScanView, pair: &Pair) -> Result<(), SinkError> {
        self.files.pair(scan, pair)
    }

    fn families(
        &mut self,
        scan: &dyn ScanView,
        families: &[Family],
        pairs: &[PairEdge],
    ) -> Result<(), SinkError> {
        self.files.families(scan, families, pairs)?;
        let t = Instant::now();
        let report = build_report(
            scan,
            pairs,
            families,
            self.candidate_pairs,
            self.report_pairs,
            &mut self.notes,
        )?;
        let mut w = create(&self.out, "report.html")?;
        w.write_all(stemma_render::report::render(&report).as_bytes())?;
        w.flush()?;
        self.report_time = t.elapsed();
        Ok(())
    }

    fn finish(&mut self, scan: &dyn ScanView, summary: &ScanSummary) -> Result<(), SinkError> {
        self.reading.finish_and_clear();
        if summary
            .semantic
            .as_ref()
            .is_some_and(|s| !s.trace.is_empty())
        {
            self.ids = scan.docs().iter().map(|d| d.id.clone()).collect();
        }
        self.files.finish(scan, summary)
    }
}

/// Runs `stemma scan`; returns the process exit code.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let driver = driver(&args)?;
    let detail = Detail::parse(args.detail.trim()).with_context(|| {
        format!(
            "unknown --detail `{}` (expected full, compact)",
            args.detail
        )
    })?;
    let copts = CorpusOptions {
        id_field: args.id_field.clone(),
        text_field: args.text_field.clone(),
        date_field: args.date_field.clone(),
        source_field: args.source_field.clone(),
        title_field: args.title_field.clone(),
        encoding: match &args.encoding {
            Some(label) => Some(encoding_for_label(label).context("--encoding")?),
            None => None,
        },
        ..CorpusOptions::default()
    };
    let corpus = Corpus::open(&args.inputs, copts).context("cannot open the corpus")?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create output folder {}", args.out.display()))?;
    let t0 = Instant::now();
    let verify = !args.candidates_only;
    let files = JsonlSink {
        pairs: verify
            .then(|| create(&args.out, "pairs.jsonl"))
            .transpose()?,
        families: verify
            .then(|| create(&args.out, "families.jsonl"))
            .transpose()?,
        candidates: args
            .write_candidates
            .then(|| create(&args.out, "candidates.jsonl"))
            .transpose()?,
        skipped: Some(create(&args.out, "skipped.jsonl")?),
        detail,
    };
    let mut sink = CliSink {
        files,
        out: args.out.clone(),
        quiet: args.quiet,
        report_pairs: args.report_pairs,
        reading: bar(
            args.quiet,
            None,
            "{spinner} sketching {pos} docs ({per_sec}) {msg} [{elapsed_precise}]",
        ),
        verifying: None,
        skipped: Vec::new(),
        notes: Vec::new(),
        report_time: Duration::ZERO,
        candidate_pairs: 0,
        ids: Vec::new(),
    };
    let result = driver.run(input_docs(corpus), &mut sink);
    sink.reading.finish_and_clear();
    if let Some(pb) = &sink.verifying {
        pb.finish_and_clear();
    }
    let sum = result.context("scan failed")?;
    let total = t0.elapsed();
    if let (Some(path), Some(sem)) = (&args.semantic_trace, &sum.semantic) {
        write_trace(path, &sink, sem)?;
    }
    print!("{}", summary_text(&args, &sink, &sum, total));
    Ok(if sum.skipped > 0 {
        crate::EXIT_SKIPPED
    } else {
        crate::EXIT_OK
    })
}

/// The terminal summary.
fn summary_text(args: &Args, sink: &CliSink, sum: &ScanSummary, total: Duration) -> String {
    let mut o = String::new();
    use std::fmt::Write as _;
    let ndocs = sum.documents;
    let cstats = &sum.candidates;
    let _ = writeln!(
        o,
        "stemma scan: {ndocs} documents read, {} skipped",
        sum.skipped
    );
    for s in &sink.skipped {
        let _ = writeln!(o, "  skipped {s}");
    }
    if sum.skipped > sink.skipped.len() {
        let _ = writeln!(
            o,
            "  … {} more in {}",
            sum.skipped - sink.skipped.len(),
            args.out.join("skipped.jsonl").display()
        );
    }
    let _ = writeln!(
        o,
        "candidates: {} pairs ({:.2} per document) — exact {}, minhash {}, passage {}; \
         {} exact copies collapsed, {} not verified (caps, redundant or below --min-score)",
        cstats.pairs,
        cstats.pairs as f64 / ndocs.max(1) as f64,
        cstats.exact,
        cstats.minhash,
        cstats.passage,
        cstats.collapsed,
        cstats.dropped
    );
    if sum.verified {
        let rel: Vec<String> = sum
            .by_relation
            .iter()
            .map(|(r, n)| format!("{r} {n}"))
            .collect();
        let _ = writeln!(
            o,
            "pairs: {}{}{}",
            sum.pairs(),
            if rel.is_empty() { "" } else { " — " },
            rel.join(", ")
        );
        let _ = writeln!(
            o,
            "families: {} derivation trees (largest {} documents), {} other relations kept as links",
            sum.families, sum.largest_family, sum.links
        );
        for n in &sink.notes {
            let _ = writeln!(o, "note: {n}");
        }
    }
    let (t_sketch, t_verify) = (sum.time_candidates, sum.time_verify);
    let _ = writeln!(
        o,
        "time: read+sketch+candidates {:.2}s, verify {:.2}s, families+report {:.2}s, total {:.2}s",
        t_sketch.as_secs_f64(),
        t_verify.as_secs_f64(),
        total
            .saturating_sub(t_sketch + t_verify)
            .as_secs_f64()
            .max((sum.time_families + sink.report_time).as_secs_f64()),
        total.as_secs_f64()
    );
    match &sum.semantic {
        Some(s) => {
            let _ = writeln!(
                o,
                "semantic: {} pairs re-verified with {} ({} changed relation: {} became derived, \
                 {} no longer derived); {} documents ({} sentences) embedded in {:.2}s{}",
                s.reverified,
                s.model,
                s.changed,
                s.gained,
                s.lost,
                s.documents,
                s.sentences,
                s.time.as_secs_f64(),
                if s.over_budget > 0 {
                    format!(
                        "; {} pairs kept their lexical verdict (--semantic-budget / --semantic-seconds spent)",
                        s.over_budget
                    )
                } else {
                    String::new()
                }
            );
        }
        None if sum.verified => {
            let _ = writeln!(o, "semantic: off (lexical verification only)");
        }
        None => {}
    }
    let sizes = sum.index_sizes;
    let _ = writeln!(
        o,
        "index: {} passage keys / {} postings, {} LSH buckets, ~{} MB; texts {} MB {}",
        sizes[2].0,
        sizes[2].1,
        sizes[1].0,
        sum.index_bytes >> 20,
        sum.text_bytes >> 20,
        if sum.spilled {
            "(spilled to a temporary file)"
        } else {
            "(in memory)"
        }
    );
    if sum.prepared > 0 {
        let _ = writeln!(
            o,
            "verify: {} documents prepared for {} pairs",
            sum.prepared, cstats.pairs
        );
    }
    let _ = writeln!(o, "output: {}", args.out.display());
    o
}

/// Writes `--semantic-trace`: one line per pair the semantic pass compared again.
fn write_trace(
    path: &Path,
    sink: &CliSink,
    sem: &stemma_scan::semantic::SemanticStats,
) -> anyhow::Result<()> {
    let mut w = BufWriter::new(
        File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
    );
    let ids = &sink.ids;
    for r in &sem.trace {
        let line = serde_json::json!({
            "a_id": ids.get(r.a as usize),
            "b_id": ids.get(r.b as usize),
            "candidate_score": r.candidate_score,
            "lexical": {"relation": r.lexical, "probability": r.lexical_probability},
            "semantic": r.semantic.map(|rel| serde_json::json!({
                "relation": rel,
                "probability": r.semantic_probability,
            })),
        });
        writeln!(w, "{line}")?;
    }
    w.flush()
        .with_context(|| format!("cannot write {}", path.display()))
}

fn side_str(s: Option<Side>) -> Option<&'static str> {
    s.map(|s| match s {
        Side::A => "a",
        Side::B => "b",
    })
}

fn build_report(
    scanner: &dyn ScanView,
    edges: &[PairEdge],
    fams: &[Family],
    candidate_pairs: usize,
    view_pairs: usize,
    notes: &mut Vec<String>,
) -> Result<Report, SinkError> {
    let ids: Vec<&str> = scanner.docs().iter().map(|d| d.id.as_str()).collect();
    use std::collections::HashMap;
    const MAX_REPORT_EDGES: usize = 50_000;
    let mut doc_index: HashMap<u32, usize> = HashMap::new();
    let mut docs = Vec::new();
    let mut doc_of = |d: u32, docs: &mut Vec<ReportDoc>| -> usize {
        *doc_index.entry(d).or_insert_with(|| {
            let info = &scanner.docs()[d as usize];
            docs.push(ReportDoc {
                id: ids[d as usize].to_string(),
                date: info.date,
                source: info.source.clone(),
                len: info.len,
                encoding: info.decoding.as_deref().map(Decoding::describe),
            });
            docs.len() - 1
        })
    };
    // Pairs in family order (largest family first), then the rest (same-story pairs).
    let by_pair: HashMap<(u32, u32), usize> = edges
        .iter()
        .enumerate()
        .map(|(i, e)| ((e.a.min(e.b), e.a.max(e.b)), i))
        .collect();
    let mut order: Vec<usize> = Vec::with_capacity(edges.len());
    let mut listed = vec![false; edges.len()];
    for f in fams {
        for e in &f.edges {
            if let Some(&i) = by_pair.get(&(e.source.min(e.copy), e.source.max(e.copy)))
                && !listed[i]
            {
                listed[i] = true;
                order.push(i);
            }
        }
    }
    order.extend((0..edges.len()).filter(|&i| !listed[i]));
    let mut pair_index: HashMap<(u32, u32), usize> = HashMap::new();
    let mut pairs = Vec::new();
    for &i in order.iter().take(MAX_REPORT_EDGES) {
        let e = &edges[i];
        pair_index.insert((e.a.min(e.b), e.a.max(e.b)), pairs.len());
        let (a, b) = (doc_of(e.a, &mut docs), doc_of(e.b, &mut docs));
        pairs.push(ReportPair {
            a,
            b,
            relation: e.relation.as_str().to_string(),
            score: e.score,
            source: side_str(e.source).map(str::to_string),
            confidence: e.confidence,
            fragment: None,
        });
    }
    if edges.len() > MAX_REPORT_EDGES {
        notes.push(format!(
            "the report lists {MAX_REPORT_EDGES} of {} pairs (largest families first); all are in pairs.jsonl.",
            edges.len()
        ));
    }
    // Side-by-side views for the first `view_pairs` listed pairs, compared again in parallel.
    let chosen: Vec<usize> = order
        .iter()
        .take(view_pairs.min(MAX_REPORT_EDGES))
        .copied()
        .collect();
    let fragments: Vec<Result<String, stemma_scan::ScanError>> = {
        use rayon::prelude::*;
        chosen
            .par_iter()
            .enumerate()
            .map(|(k, &i)| {
                let e = &edges[i];
                let (ta, tb, cmp) = scanner.compare_pair(e.a, e.b)?;
                let info = scanner.docs();
                Ok(stemma_render::html::fragment(
                    &cmp,
                    &report_input(
                        ids[e.a as usize],
                        &ta,
                        info[e.a as usize].decoding.as_deref(),
                    ),
                    &report_input(
                        ids[e.b as usize],
                        &tb,
                        info[e.b as usize].decoding.as_deref(),
                    ),
                    &format!("p{k}-"),
                ))
            })
            .collect()
    };
    let mut fragment_bytes = 0usize;
    let mut views = 0usize;
    for (k, f) in fragments.into_iter().enumerate() {
        let f = f?;
        fragment_bytes += f.len();
        if fragment_bytes > REPORT_FRAGMENT_BYTES {
            notes.push(format!(
                "side-by-side views stop at {} MB of embedded text.",
                REPORT_FRAGMENT_BYTES >> 20
            ));
            break;
        }
        pairs[k].fragment = Some(f);
        views += 1;
    }
    if edges.len() > views {
        notes.push(format!(
            "{views} of {} pairs have a side-by-side view here (--report-pairs, largest families first); all pairs are in pairs.jsonl.",
            edges.len()
        ));
    }
    // Families: every family, but at most REPORT_FAMILY_ITEMS members and edges each and
    // MAX_REPORT_EDGES edges in all (the full graphs are in families.jsonl).
    let mut families = Vec::new();
    let mut edge_budget = MAX_REPORT_EDGES;
    let mut trimmed = false;
    for (fi, f) in fams.iter().enumerate() {
        let take = REPORT_FAMILY_ITEMS.min(edge_budget);
        trimmed |= f.edges.len() > take || f.members.len() > REPORT_FAMILY_ITEMS;
        edge_budget -= take.min(f.edges.len());
        let members = f
            .members
            .iter()
            .take(REPORT_FAMILY_ITEMS)
            .map(|&d| doc_of(d, &mut docs))
            .collect();
        let root = doc_of(f.root, &mut docs);
        let edges = f
            .edges
            .iter()
            .take(take)
            .map(|e| ReportEdge {
                source: doc_of(e.source, &mut docs),
                copy: doc_of(e.copy, &mut docs),
                relation: e.relation.as_str().to_string(),
                score: e.score,
                pair: pair_index
                    .get(&(e.source.min(e.copy), e.source.max(e.copy)))
                    .copied(),
            })
            .collect();
        let links = f
            .links
            .iter()
            .take(REPORT_FAMILY_ITEMS)
            .map(|l| ReportLink {
                doc: doc_of(l.doc, &mut docs),
                other: doc_of(l.other, &mut docs),
                family: l.family.map(|x| x + 1),
                score: l.score,
                pair: pair_index
                    .get(&(l.doc.min(l.other), l.doc.max(l.other)))
                    .copied(),
            })
            .collect();
        let graph = (fi < REPORT_GRAPHS && f.members.len() <= REPORT_GRAPH_MEMBERS)
            .then(|| family_graph(scanner, f, &pair_index));
        families.push(ReportFamily {
            graph,
            id: fi + 1,
            size: f.members.len(),
            edge_count: f.edges.len(),
            members,
            root,
            edges,
            link_count: f.links.len(),
            links,
        });
    }
    if trimmed {
        notes.push(format!(
            "large families show at most {REPORT_FAMILY_ITEMS} members and edges each \
             ({MAX_REPORT_EDGES} edges in all); the full graphs are in families.jsonl."
        ));
    }
    let summary = vec![
        ("documents".to_string(), scanner.docs().len().to_string()),
        ("candidate pairs".to_string(), candidate_pairs.to_string()),
        ("related pairs".to_string(), edges.len().to_string()),
        ("families".to_string(), fams.len().to_string()),
    ];
    Ok(Report {
        title: "stemma scan".to_string(),
        summary,
        notes: notes.clone(),
        docs,
        pairs,
        families,
    })
}

/// The derivation graph of `f` as SVG; clicking an edge's label opens its pair (its index in
/// the report's pairs, when listed).
fn family_graph(
    scanner: &dyn ScanView,
    f: &Family,
    pair_index: &std::collections::HashMap<(u32, u32), usize>,
) -> String {
    use stemma_render::graph::{Graph, GraphEdge, GraphNode};
    let docs = scanner.docs();
    let pos: std::collections::HashMap<u32, usize> =
        f.members.iter().enumerate().map(|(i, &d)| (d, i)).collect();
    let nodes = f
        .members
        .iter()
        .map(|&d| GraphNode {
            label: docs[d as usize].id.clone(),
            title: docs[d as usize].source.clone(),
            date: docs[d as usize].date,
        })
        .collect();
    let edges = f
        .edges
        .iter()
        .map(|e| GraphEdge {
            source: pos[&e.source],
            copy: pos[&e.copy],
            relation: e.relation.as_str().to_string(),
            score: e.score,
            data: pair_index
                .get(&(e.source.min(e.copy), e.source.max(e.copy)))
                .map(|i| ("pair".to_string(), i.to_string())),
        })
        .collect();
    stemma_render::graph::svg(&Graph { nodes, edges })
}

/// A document as the side-by-side view shows it: its id, its (decoded) text, and its encoding
/// when it was not plain UTF-8 (the view's spans index the decoded text).
fn report_input<'a>(
    id: &'a str,
    text: &'a str,
    decoding: Option<&Decoding>,
) -> stemma_render::Input<'a> {
    let input = stemma_render::Input::new(id, text);
    match decoding {
        Some(d) => input.with_encoding(stemma_render::InputEncoding {
            name: d.encoding.name(),
            bom: d.bom,
            original_len: d.offsets.original_len(),
        }),
        None => input,
    }
}
