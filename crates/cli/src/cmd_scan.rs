//! `stemma scan`: every reuse relation in a corpus.
//!
//! Writes, into `--out DIR`:
//! - `pairs.jsonl`: one line per related pair: `a_id`, `b_id`, `signals`, then the `compare`
//!   JSON fields at top level (`relation`, `score`, `direction`, `coverage`, `alignments`,
//!   `changes`, `dropped`, `added`). Exact copies are collapsed: a group of `n` documents with
//!   the same normalized text gives `n - 1` `duplicate` pairs, each with the group's first
//!   document (its representative), not `n(n-1)/2`; the copies are not compared with anything
//!   else (their relations are the representative's);
//! - `families.jsonl`: one line per story family (wholesale derivation: duplicate,
//!   near-duplicate, rewrite): `id`, `members`, `root`, `edges` (`source`, `copy`, `relation`,
//!   `score`, `basis`), `links` (partial reuse with another family: `doc`, `other`, `family`,
//!   `relation`, `score`);
//! - `report.html`: one self-contained page to browse families and open pairs side by side;
//! - `skipped.jsonl`: records that could not be read (`file`, `line`, `reason`);
//!
//! Text files may be in any encoding (detected, or forced with `--encoding`; see
//! `stemma_corpus::decode`). When a side of a pair was decoded from something other than plain
//! UTF-8, its line in `pairs.jsonl` has `"encoding": {"a": "windows-1252"}` (only the sides
//! concerned, `"UTF-8 (BOM)"` for a byte order mark), and that side's spans index the file's
//! original bytes, as in `stemma compare --json`. Spans of JSONL documents index the text
//! field's string (UTF-8).
//! - `candidates.jsonl` with `--write-candidates`: every candidate pair with its signals
//!   (for measuring candidate recall apart from verification).

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use stemma_compare::{Relation, Side, Span};
use stemma_corpus::decode::encoding_for_label;
use stemma_corpus::{Corpus, CorpusOptions, Decoding, Skipped};
use stemma_render::report::{Report, ReportDoc, ReportEdge, ReportFamily, ReportLink, ReportPair};
use stemma_scan::candidates::LshParams;
use stemma_scan::candidates::Signal;
use stemma_scan::family::{Basis, PairEdge, families};
use stemma_scan::{InputDoc, ScanOptions, Scanner, Verified};

/// Arguments of `stemma scan`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Corpus inputs: folders, text files, JSONL files (optionally .gz/.zst), `-` for stdin.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output folder (created if missing): pairs.jsonl (related pairs; an exact-duplicate
    /// group of n documents gives n-1 `duplicate` pairs with its first document),
    /// families.jsonl (wholesale-derivation families, partial reuse as `links`), report.html,
    /// skipped.jsonl.
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
    /// Stop after candidate generation (no verification, no families).
    #[arg(long)]
    pub candidates_only: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Skipped records listed in the terminal summary.
const SHOW_SKIPPED: usize = 10;
/// Largest total size of side-by-side fragments embedded in the report.
const REPORT_FRAGMENT_BYTES: usize = 64 << 20;
/// Members and edges of one family shown in the report.
const REPORT_FAMILY_ITEMS: usize = 500;

fn parse_signal(s: &str) -> anyhow::Result<Signal> {
    Signal::ALL
        .into_iter()
        .find(|x| x.as_str() == s.trim())
        .with_context(|| format!("unknown signal `{s}` (expected exact, minhash, passage)"))
}

fn options(args: &Args) -> anyhow::Result<ScanOptions> {
    let mut o = ScanOptions::default();
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
    o.relations = rel;
    let c = &mut o.candidates;
    c.signals = args
        .signals
        .iter()
        .map(|s| parse_signal(s))
        .collect::<anyhow::Result<_>>()?;
    if args.num_perm == 0 || args.ngram == 0 {
        bail!("--num-perm and --ngram must be positive");
    }
    c.num_perm = args.num_perm;
    c.ngram = args.ngram;
    let threshold = args
        .threshold
        .unwrap_or(stemma_scan::candidates::DEFAULT_LSH_THRESHOLD);
    if !(threshold > 0.0 && threshold < 1.0) {
        bail!("--threshold must be in (0, 1)");
    }
    c.lsh = match (args.bands, args.rows) {
        (Some(b), Some(r)) => {
            if args.num_perm < b.saturating_mul(r) {
                c.num_perm = b.saturating_mul(r);
            }
            LshParams::new(b, r, c.num_perm).context("--bands and --rows must be positive")?
        }
        (Some(b), None) => LshParams::new(b, c.num_perm / b.max(1), c.num_perm)
            .context("--bands must be between 1 and --num-perm")?,
        (None, Some(r)) => LshParams::new(c.num_perm / r.max(1), r, c.num_perm)
            .context("--rows must be between 1 and --num-perm")?,
        (None, None) => LshParams::for_threshold(threshold, c.num_perm),
    };
    if args.passage_k < 2 {
        bail!("--passage-k must be at least 2");
    }
    c.passage.per_sentence = args.passage_k;
    c.passage.sample = args.passage_sample.max(1);
    c.min_shared_keys = args.min_shared_keys.max(1);
    if !(0.0..=1.0).contains(&args.min_shared_fraction) {
        bail!("--min-shared-fraction must be in [0, 1]");
    }
    c.min_shared_fraction = args.min_shared_fraction;
    c.passage_df_cap = args.df_cap.max(1);
    c.max_candidates = args.max_candidates;
    c.max_per_cluster = args.max_per_cluster;
    if !(0.0..=1.0).contains(&args.min_score) {
        bail!("--min-score must be in [0, 1]");
    }
    c.min_score = args.min_score;
    if !(0.0..=1.0).contains(&args.redundancy) {
        bail!("--redundancy must be in [0, 1]");
    }
    c.redundancy = args.redundancy;
    c.collapse_exact = !args.no_collapse;
    Ok(o)
}

fn create(dir: &std::path::Path, name: &str) -> anyhow::Result<BufWriter<File>> {
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

fn signal_names(bits: u8) -> Vec<&'static str> {
    Signal::ALL
        .into_iter()
        .filter(|s| bits & s.bit() != 0)
        .map(|s| s.as_str())
        .collect()
}

/// Runs `stemma scan`; returns the process exit code.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let opts = options(&args)?;
    let copts = CorpusOptions {
        id_field: args.id_field.clone(),
        text_field: args.text_field.clone(),
        date_field: args.date_field.clone(),
        source_field: args.source_field.clone(),
        encoding: match &args.encoding {
            Some(label) => Some(encoding_for_label(label).context("--encoding")?),
            None => None,
        },
        ..CorpusOptions::default()
    };
    let corpus = Corpus::open(&args.inputs, copts).context("cannot open the corpus")?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create output folder {}", args.out.display()))?;
    let mut skipped_w = create(&args.out, "skipped.jsonl")?;
    let t0 = Instant::now();

    // Stage 1+2: read, sketch, candidates.
    let pb = bar(
        args.quiet,
        None,
        "{spinner} sketching {pos} docs ({per_sec}) {msg} [{elapsed_precise}]",
    );
    let mut scanner = Scanner::new(opts.clone());
    let mut skipped: Vec<Skipped> = Vec::new();
    let mut skipped_count = 0usize;
    let mut batch = Vec::with_capacity(args.batch);
    let batch_size = args.batch.max(1);
    let flush = |scanner: &mut Scanner, batch: &mut Vec<InputDoc>| -> anyhow::Result<()> {
        let n = batch.len() as u64;
        scanner.add_batch(std::mem::take(batch))?;
        pb.inc(n);
        pb.set_message(format!("candidates {}", scanner.selected()));
        Ok(())
    };
    // Documents read from files that were not plain UTF-8, by document index (the scanner
    // numbers documents in the order they are added).
    let mut decodings: HashMap<u32, Decoding> = HashMap::new();
    let mut nread = 0u32;
    for item in corpus {
        match item {
            Ok(rec) => {
                if let Some(d) = rec.decoded {
                    decodings.insert(nread, d);
                }
                nread += 1;
                let date = rec.date.as_deref().and_then(parse_date);
                batch.push(InputDoc {
                    id: rec.id,
                    text: rec.text,
                    date,
                    source: rec.source,
                });
                if batch.len() >= batch_size {
                    flush(&mut scanner, &mut batch)?;
                }
            }
            Err(s) => {
                skipped_count += 1;
                let line = serde_json::json!({
                    "file": s.file, "line": s.line, "reason": s.reason.to_string(),
                });
                writeln!(skipped_w, "{line}")?;
                if skipped.len() < SHOW_SKIPPED {
                    skipped.push(s);
                }
            }
        }
    }
    flush(&mut scanner, &mut batch)?;
    pb.finish_and_clear();
    skipped_w.flush()?;
    scanner.finish_candidates()?;
    let t_sketch = t0.elapsed();
    let ndocs = scanner.docs().len();
    if ndocs != nread as usize {
        bail!("internal error: {nread} documents read but {ndocs} scanned");
    }

    if args.write_candidates {
        let mut w = create(&args.out, "candidates.jsonl")?;
        for c in scanner.candidates() {
            let line = serde_json::json!({
                "a_id": scanner.docs()[c.a as usize].id,
                "b_id": scanner.docs()[c.b as usize].id,
                "signals": signal_names(c.signals),
                "shared_keys": c.shared_keys,
                "shared_bands": c.shared_bands,
                "score": c.score,
            });
            writeln!(w, "{line}")?;
        }
        w.flush()?;
    }

    let cstats = scanner.candidate_stats().clone();
    let mut by_relation: Vec<(Relation, usize)> = Vec::new();
    let mut t_verify = Duration::ZERO;
    let mut t_families = Duration::ZERO;
    let mut nfamilies = 0usize;
    let mut largest_family = 0usize;
    let mut nlinks = 0usize;
    let mut report_note = Vec::new();
    if !args.candidates_only {
        // Stage 3: verify.
        let t1 = Instant::now();
        let ncand = scanner.candidates().len() as u64;
        let pb = bar(
            args.quiet,
            Some(ncand),
            "{bar:30} verifying {pos}/{len} candidates ({per_sec}) {msg} [{elapsed_precise}]",
        );
        let mut pairs_w = create(&args.out, "pairs.jsonl")?;
        let mut edges: Vec<PairEdge> = Vec::new();
        let mut write_err: Option<anyhow::Error> = None;
        let ids: Vec<String> = scanner.docs().iter().map(|d| d.id.clone()).collect();
        let mut found = 0usize;
        let verify_result = scanner.verify(
            |kept| {
                for v in kept {
                    found += 1;
                    if let Err(e) = write_pair(&mut pairs_w, &ids, &decodings, &v) {
                        write_err.get_or_insert(e);
                    }
                    let c = &v.comparison;
                    match by_relation.iter_mut().find(|(r, _)| *r == c.relation) {
                        Some(x) => x.1 += 1,
                        None => by_relation.push((c.relation, 1)),
                    }
                    edges.push(PairEdge {
                        a: v.a,
                        b: v.b,
                        relation: c.relation,
                        score: c.score,
                        source: c.direction.source,
                        confidence: c.direction.confidence,
                    });
                }
                pb.set_message(format!("pairs {found}"));
            },
            |done| pb.set_position(done as u64),
        );
        pb.finish_and_clear();
        verify_result?;
        if let Some(e) = write_err {
            return Err(e.context("cannot write pairs.jsonl"));
        }
        pairs_w.flush()?;
        by_relation.sort();
        t_verify = t1.elapsed();

        // Families.
        let t2 = Instant::now();
        let dates: Vec<Option<i64>> = scanner.docs().iter().map(|d| d.date).collect();
        let fams = families(&dates, &edges);
        nfamilies = fams.len();
        largest_family = fams.first().map_or(0, |f| f.members.len());
        nlinks = fams.iter().map(|f| f.links.len()).sum::<usize>() / 2;
        let mut fam_w = create(&args.out, "families.jsonl")?;
        for (i, f) in fams.iter().enumerate() {
            write_family(&mut fam_w, i + 1, f, &ids)?;
        }
        fam_w.flush()?;
        t_families = t2.elapsed();

        // Report.
        let report = build_report(
            &scanner,
            &ids,
            &decodings,
            &edges,
            &fams,
            args.report_pairs,
            &mut report_note,
        )?;
        let mut w = create(&args.out, "report.html")?;
        w.write_all(stemma_render::report::render(&report).as_bytes())?;
        w.flush()?;
    }
    let total = t0.elapsed();

    // Summary.
    let mut o = String::new();
    use std::fmt::Write as _;
    let _ = writeln!(
        o,
        "stemma scan: {ndocs} documents read, {skipped_count} skipped"
    );
    for s in &skipped {
        let _ = writeln!(o, "  skipped {s}");
    }
    if skipped_count > skipped.len() {
        let _ = writeln!(
            o,
            "  … {} more in {}",
            skipped_count - skipped.len(),
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
    if !args.candidates_only {
        let rel: Vec<String> = by_relation
            .iter()
            .map(|(r, n)| format!("{r} {n}"))
            .collect();
        let npairs: usize = by_relation.iter().map(|x| x.1).sum();
        let _ = writeln!(
            o,
            "pairs: {npairs}{}{}",
            if rel.is_empty() { "" } else { " — " },
            rel.join(", ")
        );
        let _ = writeln!(
            o,
            "families: {nfamilies} (largest {largest_family} documents), {nlinks} partial links between families"
        );
        for n in &report_note {
            let _ = writeln!(o, "note: {n}");
        }
    }
    let _ = writeln!(
        o,
        "time: read+sketch+candidates {:.2}s, verify {:.2}s, families+report {:.2}s, total {:.2}s",
        t_sketch.as_secs_f64(),
        t_verify.as_secs_f64(),
        (total - t_sketch - t_verify)
            .as_secs_f64()
            .max(t_families.as_secs_f64()),
        total.as_secs_f64()
    );
    let (sizes, index_bytes) = scanner.index_sizes();
    let _ = writeln!(
        o,
        "index: {} passage keys / {} postings, {} LSH buckets, ~{} MB; texts {} MB {}",
        sizes[2].0,
        sizes[2].1,
        sizes[1].0,
        index_bytes >> 20,
        scanner.docs().iter().map(|d| d.len).sum::<usize>() >> 20,
        if scanner.store().spilled() {
            "(spilled to a temporary file)"
        } else {
            "(in memory)"
        }
    );
    if scanner.prepared_count() > 0 {
        let _ = writeln!(
            o,
            "verify: {} documents prepared for {} pairs",
            scanner.prepared_count(),
            scanner.candidates().len()
        );
    }
    let _ = writeln!(o, "output: {}", args.out.display());
    print!("{o}");
    Ok(if skipped_count > 0 {
        crate::EXIT_SKIPPED
    } else {
        crate::EXIT_OK
    })
}

/// One line of families.jsonl, written piece by piece (a family can hold 100,000s of edges).
fn write_family(
    w: &mut impl Write,
    id: usize,
    f: &stemma_scan::family::Family,
    ids: &[String],
) -> anyhow::Result<()> {
    let js = |s: &str| serde_json::Value::from(s).to_string();
    write!(
        w,
        "{{\"id\":{id},\"root\":{},\"members\":[",
        js(&ids[f.root as usize])
    )?;
    for (k, &d) in f.members.iter().enumerate() {
        write!(
            w,
            "{}{}",
            if k > 0 { "," } else { "" },
            js(&ids[d as usize])
        )?;
    }
    write!(w, "],\"edges\":[")?;
    for (k, e) in f.edges.iter().enumerate() {
        let edge = serde_json::json!({
            "source": ids[e.source as usize],
            "copy": ids[e.copy as usize],
            "relation": e.relation.as_str(),
            "score": e.score,
            "basis": basis_str(e.basis),
        });
        write!(w, "{}{edge}", if k > 0 { "," } else { "" })?;
    }
    write!(w, "],\"links\":[")?;
    for (k, l) in f.links.iter().enumerate() {
        let link = serde_json::json!({
            "doc": ids[l.doc as usize],
            "other": ids[l.other as usize],
            "family": l.family + 1,
            "relation": l.relation.as_str(),
            "score": l.score,
        });
        write!(w, "{}{link}", if k > 0 { "," } else { "" })?;
    }
    writeln!(w, "]}}")?;
    Ok(())
}

fn basis_str(b: Basis) -> &'static str {
    match b {
        Basis::Date => "date",
        Basis::Compare => "compare",
        Basis::Order => "order",
    }
}

fn write_pair(
    w: &mut impl Write,
    ids: &[String],
    decodings: &HashMap<u32, Decoding>,
    v: &Verified,
) -> anyhow::Result<()> {
    let (da, db) = (decodings.get(&v.a), decodings.get(&v.b));
    let mut head = serde_json::json!({
        "a_id": ids[v.a as usize],
        "b_id": ids[v.b as usize],
        "signals": signal_names(v.signals),
    });
    let cmp = if da.is_none() && db.is_none() {
        serde_json::to_string(&v.comparison)?
    } else {
        let mut enc = serde_json::Map::new();
        for (k, d) in [("a", da), ("b", db)] {
            if let Some(d) = d {
                enc.insert(k.into(), d.describe().into());
            }
        }
        head["encoding"] = enc.into();
        let mut cmp = v.comparison.clone();
        let map = |d: Option<&Decoding>, s: Span| match d {
            Some(d) => {
                let (start, end) = d.offsets.range_to_original(s.start, s.end);
                Span::new(start, end)
            }
            None => s,
        };
        cmp.map_spans(|s| map(da, s), |s| map(db, s));
        serde_json::to_string(&cmp)?
    };
    let head = head.to_string();
    // Flatten: the comparison's fields follow the pair's own at top level.
    let body = cmp.strip_prefix('{').unwrap_or(&cmp);
    let head = head.strip_suffix('}').unwrap_or(&head);
    if body.starts_with('}') {
        writeln!(w, "{head}}}")?;
    } else {
        writeln!(w, "{head},{body}")?;
    }
    Ok(())
}

fn side_str(s: Option<Side>) -> Option<&'static str> {
    s.map(|s| match s {
        Side::A => "a",
        Side::B => "b",
    })
}

fn build_report(
    scanner: &Scanner,
    ids: &[String],
    decodings: &HashMap<u32, Decoding>,
    edges: &[PairEdge],
    fams: &[stemma_scan::family::Family],
    view_pairs: usize,
    notes: &mut Vec<String>,
) -> anyhow::Result<Report> {
    const MAX_REPORT_EDGES: usize = 50_000;
    let mut doc_index: HashMap<u32, usize> = HashMap::new();
    let mut docs = Vec::new();
    let mut doc_of = |d: u32, docs: &mut Vec<ReportDoc>| -> usize {
        *doc_index.entry(d).or_insert_with(|| {
            let info = &scanner.docs()[d as usize];
            docs.push(ReportDoc {
                id: ids[d as usize].clone(),
                date: info.date,
                source: info.source.clone(),
                len: info.len,
                encoding: decodings.get(&d).map(Decoding::describe),
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
    let fragments: Vec<anyhow::Result<String>> = {
        use rayon::prelude::*;
        chosen
            .par_iter()
            .enumerate()
            .map(|(k, &i)| {
                let e = &edges[i];
                let (ta, tb, cmp) = scanner.compare_pair(e.a, e.b)?;
                Ok(stemma_render::html::fragment(
                    &cmp,
                    &report_input(&ids[e.a as usize], &ta, decodings.get(&e.a)),
                    &report_input(&ids[e.b as usize], &tb, decodings.get(&e.b)),
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
                family: l.family + 1,
                score: l.score,
                pair: pair_index
                    .get(&(l.doc.min(l.other), l.doc.max(l.other)))
                    .copied(),
            })
            .collect();
        families.push(ReportFamily {
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
    let stats = scanner.candidate_stats();
    let summary = vec![
        ("documents".to_string(), scanner.docs().len().to_string()),
        ("candidate pairs".to_string(), stats.pairs.to_string()),
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

/// A document as the side-by-side view shows it: its id, its (decoded) text, and its encoding
/// when it was not plain UTF-8.
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

/// Parses a date field: any form `stemma_compare::parse_date` knows, or integer epoch seconds.
fn parse_date(s: &str) -> Option<i64> {
    stemma_compare::parse_date(s).or_else(|| s.trim().parse::<i64>().ok())
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn dates_parse() {
        assert_eq!(parse_date("1970-01-02"), Some(86_400));
        assert_eq!(parse_date("2020-05-05T10:00:00Z"), Some(1_588_672_800));
        assert_eq!(parse_date("26-FEB-1987 15:01:01.79"), Some(541_350_061));
        assert_eq!(parse_date("12345"), Some(12345));
        assert_eq!(parse_date("yesterday"), None);
    }
}
