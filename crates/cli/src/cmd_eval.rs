//! `stemma eval`: scores predictions (e.g. `stemma scan`'s `pairs.jsonl`) against labelled
//! ground truth (`stemma generate`'s `truth.jsonl`, or your own in the same format), and
//! `stemma eval sentences`: scores the sentence scorer on MRPC and STS-B.

use std::path::{Path, PathBuf};

use std::fmt::Write as _;

use anyhow::Context;
use stemma_eval::metrics::{self, EvalInputs};

use crate::emit;

/// Arguments of `stemma eval`.
#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Sub>,
    /// Labelled pairs (truth.jsonl). True families are read from families.jsonl beside it.
    #[arg(long)]
    truth: Option<PathBuf>,
    /// Predicted pairs: scan's pairs.jsonl or {a_id, b_id, relation[, score, passages]} lines.
    #[arg(long)]
    pred: Option<PathBuf>,
    /// The corpus (for byte → character offsets and the generator's origins/story metadata);
    /// default: corpus.jsonl beside the truth file, when it exists.
    #[arg(long)]
    corpus: Option<PathBuf>,
    /// True families (default: families.jsonl beside the truth file).
    #[arg(long)]
    truth_families: Option<PathBuf>,
    /// Predicted families (default: families.jsonl beside the predictions file).
    #[arg(long)]
    pred_families: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Subcommand, Debug)]
enum Sub {
    /// Score the sentence scorer on MRPC (accuracy, F1), STS-B (Spearman) and ParaPhraser
    /// (Russian; cross-validated accuracy): lexical, semantic and combined.
    Sentences(SentenceArgs),
    /// Compare each labelled pair of a manifest and score the relations and directions found.
    Pairs(PairsArgs),
}

#[derive(clap::Args, Debug)]
struct PairsArgs {
    /// Manifest: one JSON object per line, {"a", "b", "relation", "source": "a"|"b"|null, "lang"}.
    manifest: PathBuf,
    /// Folder holding the documents as NAME.txt (default: docs/ beside the manifest).
    #[arg(long)]
    docs: Option<PathBuf>,
    /// Print each pair whose relation was decided wrongly.
    #[arg(long, short)]
    verbose: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Only the pairs of this split of the manifest (`fit`, `test`; pairs without a split
    /// count as `fit`). Default: all pairs.
    #[arg(long)]
    split: Option<String>,
    /// Fit the verdict model on the selected pairs (derived = duplicate … partial) and write it
    /// to this file (the committed models are `crates/compare/models/verdict-*.json`).
    #[arg(long, value_name = "FILE")]
    fit_verdict: Option<PathBuf>,
    /// Fit the direction model on the selected derived pairs with a known source and write it
    /// to this file (the committed model is `crates/compare/models/direction.json`).
    #[arg(long, value_name = "FILE")]
    fit_direction: Option<PathBuf>,
    /// Precision the fitted direction threshold must reach on the fitting pairs
    /// (cross-validated: each story's pairs scored by weights fitted without them).
    #[arg(long, default_value_t = 0.9)]
    direction_precision: f64,
    /// Evidence kinds the fitted direction model weighs, comma-separated (default: the
    /// committed list, `stemma_compare::direction::DIRECTION_FEATURES`).
    #[arg(long, value_name = "KINDS", value_delimiter = ',')]
    direction_features: Option<Vec<String>>,
    /// Write every selected pair's direction evidence values as TSV to this file (pair, split,
    /// language, labelled source, relation found, source named, one column per evidence kind).
    #[arg(long, value_name = "FILE")]
    direction_table: Option<PathBuf>,
    /// The semantic model file (default: `$STEMMA_MODEL`, then the cache folder).
    #[arg(long, value_name = "PATH")]
    model: Option<PathBuf>,
    /// Score lexically even when a semantic model is found.
    #[arg(long)]
    no_semantic: bool,
    /// L2 regularization of the fit.
    #[arg(long, default_value_t = 5.0)]
    fit_lambda: f64,
}

#[derive(clap::Args, Debug)]
struct SentenceArgs {
    /// MRPC TSV (header; label, id, id, sentence, sentence).
    #[arg(long)]
    mrpc: Option<PathBuf>,
    /// STS-B TSV (no header; score in column 5, sentences in 6 and 7).
    #[arg(long)]
    stsb: Option<PathBuf>,
    /// ParaPhraser XML (Russian news headlines; classes -1 / 0 / 1, paraphrase = 0 or 1).
    #[arg(long)]
    paraphraser: Option<PathBuf>,
    /// Use every k-th ParaPhraser pair so that at most this many are scored (0 = all).
    #[arg(long, default_value_t = 1000)]
    paraphraser_limit: usize,
    /// Sentence-embedding model file (default: $STEMMA_MODEL, then the cache folder).
    #[arg(long, value_name = "PATH")]
    model: Option<PathBuf>,
    /// Lexical scoring only.
    #[arg(long, conflicts_with = "model")]
    no_semantic: bool,
    /// Write every pair's scores (set, gold, lexical, cosine, combined) as TSV to this file.
    #[arg(long, value_name = "FILE")]
    scores: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

fn beside(file: &Path, name: &str) -> Option<PathBuf> {
    let p = file.parent().unwrap_or(Path::new(".")).join(name);
    (p.is_file() && p != file).then_some(p)
}

/// Runs `stemma eval`; returns the process exit code.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let mut out = String::new();
    match args.command {
        Some(Sub::Sentences(s)) => return run_sentences(s),
        Some(Sub::Pairs(p)) => return run_pairs(p),
        None => {}
    }
    let (Some(truth_path), Some(pred_path)) = (args.truth, args.pred) else {
        anyhow::bail!(
            "give --truth FILE and --pred FILE (or `stemma eval sentences --mrpc FILE --stsb FILE`)"
        );
    };
    let truth = metrics::read_truth(&truth_path)?;
    let preds = metrics::read_predictions(&pred_path)?;
    let truth_families = match args
        .truth_families
        .or_else(|| beside(&truth_path, "families.jsonl"))
    {
        Some(p) => Some(metrics::read_families(&p)?),
        None => None,
    };
    let pred_families = match args
        .pred_families
        .or_else(|| beside(&pred_path, "families.jsonl"))
    {
        Some(p) => Some(metrics::read_families(&p)?),
        None => None,
    };
    let corpus_path = args.corpus.or_else(|| beside(&truth_path, "corpus.jsonl"));
    let corpus = match &corpus_path {
        Some(p) => {
            let (need_text, need_meta) = metrics::corpus_needs(&truth, &preds);
            Some(
                metrics::read_corpus_info(p, &need_text, &need_meta)
                    .with_context(|| format!("reading corpus {}", p.display()))?,
            )
        }
        None => None,
    };
    let report = metrics::evaluate(&EvalInputs {
        truth: &truth,
        preds: &preds,
        truth_families: truth_families.as_deref(),
        pred_families: pred_families.as_deref(),
        corpus: corpus.as_ref(),
    });
    if args.json {
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&report)?);
    } else {
        let _ = writeln!(
            out,
            "truth {}  predictions {}",
            truth_path.display(),
            pred_path.display()
        );
        out.push_str(&report.to_table());
    }
    emit(&out)?;
    Ok(crate::EXIT_OK)
}

fn run_sentences(args: SentenceArgs) -> anyhow::Result<i32> {
    use stemma_eval::metrics::sentences as ms;
    let mut out = String::new();
    if args.mrpc.is_none() && args.stsb.is_none() && args.paraphraser.is_none() {
        anyhow::bail!("give --mrpc FILE, --stsb FILE and/or --paraphraser FILE");
    }
    let read = |p: &Option<PathBuf>, f: fn(&Path) -> Result<Vec<ms::SentencePair>, _>| match p {
        Some(p) => f(p),
        None => Ok(vec![]),
    };
    let mrpc = read(&args.mrpc, ms::read_mrpc)?;
    let stsb = read(&args.stsb, ms::read_stsb)?;
    let para = ms::subsample(
        read(&args.paraphraser, ms::read_paraphraser)?,
        args.paraphraser_limit,
    );
    let embedder = crate::semantic_embedder(args.model.as_deref(), args.no_semantic)?;
    let scorer = stemma_align::HybridScorer::new(stemma_align::LexicalScorer::default(), embedder);
    let threshold = stemma_align::SentenceScorer::thresholds(&scorer).paraphrase;
    let start = std::time::Instant::now();
    let sets = [("mrpc", &mrpc), ("stsb", &stsb), ("paraphraser", &para)];
    let scored: Vec<Vec<ms::HybridPairScores>> = sets
        .iter()
        .map(|(_, pairs)| ms::hybrid_pair_scores(&scorer, pairs))
        .collect();
    let secs = start.elapsed().as_secs_f64();
    if let Some(path) = &args.scores {
        let mut tsv = String::from("set\tgold\tlexical\tcosine\tcombined\n");
        for ((name, pairs), scores) in sets.iter().zip(&scored) {
            for (p, s) in pairs.iter().zip(scores) {
                let cos = s.cosine.map_or(String::new(), |c| format!("{c:.6}"));
                let _ = writeln!(
                    tsv,
                    "{name}\t{}\t{:.6}\t{cos}\t{:.6}",
                    p.gold, s.lexical, s.combined
                );
            }
        }
        std::fs::write(path, tsv).with_context(|| format!("cannot write {}", path.display()))?;
    }
    // Columns: lexical, semantic (mapped cosine), combined.
    type Column = Box<dyn Fn(&ms::HybridPairScores) -> f64>;
    let mut columns: Vec<(&str, Column)> = vec![("lexical", Box::new(|s| s.lexical))];
    if scorer.is_semantic() {
        let mapped = scorer.clone();
        columns.push((
            "semantic",
            Box::new(move |s| mapped.semantic_similarity(s.cosine.unwrap_or(0.0))),
        ));
        columns.push(("combined", Box::new(|s| s.combined)));
    }
    let mut reports = Vec::new();
    for (name, f) in &columns {
        let col = |i: usize| scored[i].iter().map(f).collect::<Vec<f64>>();
        let report = ms::report_from_scores(&mrpc, &col(0), &stsb, &col(1), threshold);
        let gold: Vec<f64> = para.iter().map(|p| p.gold).collect();
        let para_cv = (!para.is_empty()).then(|| ms::cross_validated(&col(2), &gold, 5));
        reports.push(serde_json::json!({
            "scorer": name,
            "report": report,
            "paraphraser_pairs": para.len(),
            "paraphraser_cv5": para_cv,
        }));
    }
    if args.json {
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&reports)?);
        emit(&out)?;
        return Ok(crate::EXIT_OK);
    }
    let _ = writeln!(
        out,
        "sentence scorer: {} MRPC + {} STS-B + {} ParaPhraser pairs in {secs:.1}s{}",
        mrpc.len(),
        stsb.len(),
        para.len(),
        scorer
            .embedder
            .as_ref()
            .map_or(String::new(), |e| format!(" (model: {})", e.name()))
    );
    for (name, f) in &columns {
        let col = |i: usize| scored[i].iter().map(f).collect::<Vec<f64>>();
        let r = ms::report_from_scores(&mrpc, &col(0), &stsb, &col(1), threshold);
        let _ = writeln!(out, "[{name}]");
        if let (Some(f), Some(b)) = (r.mrpc_fixed, r.mrpc_best) {
            let _ = writeln!(
                out,
                "MRPC  threshold {:.2}: accuracy {:.3}  F1 {:.3}",
                f.threshold, f.accuracy, f.f1
            );
            let _ = writeln!(
                out,
                "MRPC  best threshold {:.3} (tuned on this file): accuracy {:.3}  F1 {:.3}",
                b.threshold, b.accuracy, b.f1
            );
        }
        if let (Some(s), Some(p)) = (r.stsb_spearman, r.stsb_pearson) {
            let _ = writeln!(out, "STS-B Spearman {s:.3}  Pearson {p:.3}");
        }
        if !para.is_empty() {
            let gold: Vec<f64> = para.iter().map(|p| p.gold).collect();
            let fixed = ms::classification(&col(2), &gold, threshold);
            let cv = ms::cross_validated(&col(2), &gold, 5);
            let _ = writeln!(
                out,
                "ParaPhraser threshold {:.2}: accuracy {:.3}  F1 {:.3}; 5-fold CV: accuracy {:.3}  F1 {:.3} (mean threshold {:.3})",
                threshold, fixed.accuracy, fixed.f1, cv.accuracy, cv.f1, cv.threshold
            );
        }
    }
    emit(&out)?;
    Ok(crate::EXIT_OK)
}

fn run_pairs(args: PairsArgs) -> anyhow::Result<i32> {
    use stemma_compare::{Comparer, Document};
    use stemma_eval::labelled::{self, Outcome};
    let mut pairs = labelled::read_manifest(&args.manifest)?;
    if let Some(split) = &args.split {
        pairs.retain(|p| p.split.as_deref().unwrap_or("fit") == split);
        if pairs.is_empty() {
            anyhow::bail!("{}: no pair of split '{split}'", args.manifest.display());
        }
    }
    let mut fit_rows: Vec<(stemma_compare::PairFeatures, bool)> = Vec::new();
    let mut dir_rows: Vec<(Vec<f64>, bool, String)> = Vec::new();
    let evidence_kinds = stemma_compare::direction::DIRECTION_EVIDENCE;
    let mut table = String::new();
    if args.direction_table.is_some() {
        table.push_str("a\tb\tsplit\tlang\tsource\tfound\tnamed");
        for k in evidence_kinds {
            table.push('\t');
            table.push_str(k);
        }
        table.push('\n');
    }
    let docs = args.docs.unwrap_or_else(|| {
        args.manifest
            .parent()
            .unwrap_or(Path::new("."))
            .join("docs")
    });
    let preparer = stemma_text::Preparer::new();
    let embedder = crate::semantic_embedder(args.model.as_deref(), args.no_semantic)?;
    let options = crate::compare_options(embedder.is_some());
    let comparer = Comparer::with_scorer(
        options,
        stemma_align::HybridScorer::new(stemma_align::LexicalScorer::default(), embedder),
    );
    let mut texts = std::collections::HashMap::new();
    let mut outcomes = Vec::with_capacity(pairs.len());
    let mut out = String::new();
    for pair in &pairs {
        for name in [&pair.a, &pair.b] {
            if !texts.contains_key(name) {
                let path = docs.join(format!("{name}.txt"));
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                let prepared = preparer.prepare(&text);
                texts.insert(name.clone(), (text, prepared));
            }
        }
    }
    // Each document's features (its sentence embeddings with the semantic layer on) are made
    // once and reused by all its comparisons.
    let docs_of: std::collections::HashMap<&String, Document<'_>> = texts
        .iter()
        .map(|(name, (t, p))| (name, Document::new(t, p)))
        .collect();
    let features: std::collections::HashMap<&String, _> = docs_of
        .iter()
        .map(|(name, d)| (*name, comparer.document_features(d)))
        .collect();
    for pair in pairs {
        let (da, db) = (&docs_of[&pair.a], &docs_of[&pair.b]);
        let cmp = comparer.compare_features(da, &features[&pair.a], db, &features[&pair.b]);
        if args.verbose && cmp.relation != pair.relation {
            let _ = writeln!(
                out,
                "{} vs {}: labelled {} got {} (score {:.2}, coverage {:.2}/{:.2})",
                pair.a,
                pair.b,
                pair.relation,
                cmp.relation,
                cmp.score,
                cmp.coverage.a,
                cmp.coverage.b
            );
        }
        if let Some(v) = &cmp.verdict {
            let mut f = stemma_compare::PairFeatures::default();
            for (i, c) in v.contributions.iter().enumerate().take(f.values.len()) {
                f.values[i] = c.value;
            }
            fit_rows.push((f, pair.relation.is_derivation()));
        }
        let values: Vec<f64> = evidence_kinds
            .iter()
            .map(|name| {
                cmp.direction
                    .evidence
                    .iter()
                    .find(|e| e.kind == *name)
                    .map_or(0.0, |e| e.value)
            })
            .collect();
        if args.direction_table.is_some() {
            let side = |s: Option<stemma_compare::Side>| match s {
                Some(stemma_compare::Side::A) => "a",
                Some(stemma_compare::Side::B) => "b",
                None => "-",
            };
            let _ = write!(
                table,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                pair.a,
                pair.b,
                pair.split.as_deref().unwrap_or("fit"),
                pair.lang.as_deref().unwrap_or("?"),
                side(pair.source),
                cmp.relation,
                side(cmp.direction.source)
            );
            for v in &values {
                let _ = write!(table, "\t{v:.6}");
            }
            table.push('\n');
        }
        if let (Some(src), true) = (pair.source, pair.relation.is_derivation()) {
            // Pairs of one story (`en13_orig`, `en13_deep`, …) share a cross-validation fold.
            let story = pair.a.split('_').next().unwrap_or(&pair.a).to_string();
            dir_rows.push((values, src == stemma_compare::Side::A, story));
        }
        outcomes.push(Outcome {
            pair,
            relation: cmp.relation,
            source: cmp.direction.source,
        });
    }
    if let Some(path) = &args.fit_verdict {
        let (xs, ys): (Vec<_>, Vec<_>) = fit_rows.into_iter().unzip();
        let old = comparer.options().verdict.name.clone();
        let cmd = format!(
            "stemma eval pairs {} --split {} --fit-verdict {} --fit-lambda {}",
            args.manifest.display(),
            args.split.as_deref().unwrap_or("all"),
            path.display(),
            args.fit_lambda
        );
        let model = stemma_compare::verdict::fit(&old, &cmd, &xs, &ys, args.fit_lambda);
        std::fs::write(path, serde_json::to_string_pretty(&model)? + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?;
        let _ = writeln!(
            out,
            "verdict model '{}' fitted on {} pairs ({} derived), written to {}",
            model.name,
            xs.len(),
            ys.iter().filter(|&&y| y).count(),
            path.display()
        );
    }
    if let Some(path) = &args.direction_table {
        std::fs::write(path, &table).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.fit_direction {
        let default: Vec<String> = stemma_compare::direction::DIRECTION_FEATURES
            .iter()
            .map(|s| s.to_string())
            .collect();
        let chosen = args.direction_features.clone().unwrap_or(default);
        let mut columns = Vec::with_capacity(chosen.len());
        for name in &chosen {
            let Some(i) = evidence_kinds.iter().position(|k| k == name) else {
                anyhow::bail!(
                    "--direction-features: unknown evidence kind '{name}' (known: {})",
                    evidence_kinds.join(", ")
                );
            };
            columns.push(i);
        }
        let xs: Vec<Vec<f64>> = dir_rows
            .iter()
            .map(|(v, _, _)| columns.iter().map(|&i| v[i]).collect())
            .collect();
        let ys: Vec<bool> = dir_rows.iter().map(|(_, y, _)| *y).collect();
        let groups: Vec<String> = dir_rows.iter().map(|(_, _, g)| g.clone()).collect();
        let cmd = format!(
            "stemma eval pairs {} --split {}{} --fit-direction {} --direction-precision {} --direction-features {}",
            args.manifest.display(),
            args.split.as_deref().unwrap_or("all"),
            if args.no_semantic {
                " --no-semantic"
            } else {
                ""
            },
            path.display(),
            args.direction_precision,
            chosen.join(",")
        );
        let names: Vec<&str> = chosen.iter().map(String::as_str).collect();
        let model = stemma_compare::DirectionModel::fit(
            &cmd,
            &names,
            &xs,
            &ys,
            &groups,
            args.direction_precision,
        );
        std::fs::write(path, serde_json::to_string_pretty(&model)? + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?;
        let _ = writeln!(
            out,
            "direction model fitted on {} pairs: threshold {:.2}; cross-validated it decides {:.0}% of them, right {:.0}% of those (in-sample {:.0}%, {:.0}%); written to {}",
            xs.len(),
            model.threshold,
            model.cv_decided * 100.0,
            model.cv_precision * 100.0,
            model.fit_decided * 100.0,
            model.fit_precision * 100.0,
            path.display()
        );
    }
    let report = labelled::score(&outcomes);
    if args.json {
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&report)?);
    } else {
        out.push_str(&report.to_table());
    }
    emit(&out)?;
    Ok(crate::EXIT_OK)
}
