//! End to end: `stemma index` on a generated corpus.
//!
//! - Incremental equals batch: the corpus (in date order) added in three `stemma index add`
//!   runs — each a new process, so the index is reopened between them — exports the same
//!   `pairs.jsonl` and `families.jsonl` bytes as one `stemma scan` of it.
//! - Crash safety: `stemma index add` is killed with SIGKILL at random moments (fixed seed)
//!   and resumed each time with `--skip-existing`; after every kill the reopened index holds
//!   every batch acknowledged on standard output, a whole number of batches, and exactly the
//!   pairs a clean run gives those documents; the finished index equals a clean one.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use stemma_index::DiskIndex;

fn stemma() -> Command {
    Command::new(env!("CARGO_BIN_EXE_stemma"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run_ok(cmd: &mut Command) -> String {
    let o = cmd.output().unwrap();
    assert!(
        o.status.success(),
        "{:?}: {}",
        cmd,
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// Source articles for the generator: the repository's own texts (the labelled fixture
/// documents, the sample news, the invented articles), as one JSONL file.
fn articles(dir: &Path) -> PathBuf {
    let mut lines = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/eval/docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for (i, p) in names.iter().enumerate() {
        let v = serde_json::json!({
            "id": format!("fx{i}"),
            "date": format!("2024-01-{:02}T10:00:00Z", 1 + i % 28),
            "text": std::fs::read_to_string(p).unwrap(),
        });
        lines.push(v.to_string());
    }
    for f in [
        root().join("samples/corpus/news.jsonl"),
        root().join("crates/eval/tests/fixtures/articles.jsonl"),
    ] {
        lines.extend(
            std::fs::read_to_string(f)
                .unwrap()
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(String::from),
        );
    }
    let out = dir.join("articles.jsonl");
    std::fs::write(&out, lines.join("\n") + "\n").unwrap();
    out
}

fn wordnet(dir: &Path) -> PathBuf {
    let wn = dir.join("wordnet");
    stemma_eval::generate::wordnet::write_test_database(
        &wn,
        &[
            &["rise", "increase"],
            &["ship", "vessel"],
            &["town", "township"],
            &["number", "figure"],
            &["work", "labor"],
            &["said", "stated"],
            &["city", "town"],
        ],
    )
    .unwrap();
    wn
}

/// A generated corpus of `docs` documents, sorted by date (undated last), in `parts` JSONL
/// files of consecutive documents; returns (whole file, parts).
fn corpus(dir: &Path, docs: usize, parts: usize) -> (PathBuf, Vec<PathBuf>) {
    let gen_dir = dir.join("gen");
    run_ok(
        stemma()
            .arg("generate")
            .arg(articles(dir))
            .args([
                "--docs",
                &docs.to_string(),
                "--seed",
                "5",
                "--min-sentences",
                "3",
            ])
            .arg("--out")
            .arg(&gen_dir)
            .arg("--wordnet")
            .arg(wordnet(dir)),
    );
    let text = std::fs::read_to_string(gen_dir.join("corpus.jsonl")).unwrap();
    let mut lines: Vec<(bool, i64, String, String)> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let date = v["date"].as_str().and_then(stemma_scan::date::parse_date);
            let (undated, t) = stemma_scan::date::date_key(date);
            (
                undated,
                t,
                v["id"].as_str().unwrap().to_string(),
                l.to_string(),
            )
        })
        .collect();
    assert!(lines.len() >= docs * 9 / 10, "{} documents", lines.len());
    lines.sort_by(|x, y| (x.0, x.1, &x.2).cmp(&(y.0, y.1, &y.2)));
    let all: Vec<&str> = lines.iter().map(|x| x.3.as_str()).collect();
    let whole = dir.join("sorted.jsonl");
    std::fs::write(&whole, all.join("\n") + "\n").unwrap();
    let per = all.len().div_ceil(parts);
    let files = all
        .chunks(per)
        .enumerate()
        .map(|(i, c)| {
            let p = dir.join(format!("part{i}.jsonl"));
            std::fs::write(&p, c.join("\n") + "\n").unwrap();
            p
        })
        .collect();
    (whole, files)
}

fn export(index: &Path, out: &Path) -> (Vec<u8>, Vec<u8>) {
    run_ok(
        stemma()
            .args(["index", "export"])
            .arg(index)
            .arg("--out")
            .arg(out),
    );
    (
        std::fs::read(out.join("pairs.jsonl")).unwrap(),
        std::fs::read(out.join("families.jsonl")).unwrap(),
    )
}

#[test]
fn three_add_runs_export_what_one_scan_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let (whole, parts) = corpus(tmp.path(), 400, 3);
    let scan = tmp.path().join("scan");
    run_ok(
        stemma()
            .arg("scan")
            .arg(&whole)
            .arg("--out")
            .arg(&scan)
            .arg("--quiet")
            // Both lexical: the semantic pass (on by default when a model is installed) is
            // compared in crates/server/tests/semantic.rs.
            .args(["--semantic", "off"]),
    );
    let index = tmp.path().join("index");
    let mut acks = 0;
    for p in &parts {
        let out = run_ok(
            stemma()
                .args([
                    "index",
                    "add",
                    "--semantic",
                    "off",
                    "--batch",
                    "64",
                    "--quiet",
                ])
                .arg(&index)
                .arg(p),
        );
        acks += out.lines().filter(|l| l.starts_with("committed ")).count();
    }
    assert!(acks >= 6, "{acks} batches");
    let (pairs, families) = export(&index, &tmp.path().join("export"));
    let want = std::fs::read(scan.join("pairs.jsonl")).unwrap();
    assert!(
        want.iter().filter(|&&b| b == b'\n').count() >= 100,
        "the corpus has too few pairs to tell"
    );
    assert!(pairs == want, "pairs.jsonl differs from the batch scan's");
    assert!(families == std::fs::read(scan.join("families.jsonl")).unwrap());
    // Adding a document already indexed is an error naming it; the index is unchanged.
    let o = stemma()
        .args(["index", "add", "--semantic", "off", "--quiet"])
        .arg(&index)
        .arg(&parts[0])
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("is already in the index"), "{err}");
    let (again, _) = export(&index, &tmp.path().join("export2"));
    assert!(again == want);
}

/// Documents per batch of the killed ingest.
const BATCH: usize = 10;

/// A small deterministic generator (xorshift) for the kill times.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// `(ids, answered pairs as (a id, b id, relation, score bits))` of an index, by document.
type Answers = Vec<(String, Vec<(String, String, String, u64)>)>;

fn answers(dir: &Path) -> Answers {
    let ix = match DiskIndex::open_existing(dir) {
        // Killed before the index's first commit: nothing was acknowledged.
        Err(stemma_index::IndexError::NotAnIndex { .. }) => return Vec::new(),
        r => r.unwrap(),
    };
    let docs = ix.docs();
    let mut out: Answers = docs.iter().map(|d| (d.id.clone(), Vec::new())).collect();
    for p in ix.pairs() {
        out[p.b as usize].1.push((
            docs[p.a as usize].id.clone(),
            docs[p.b as usize].id.clone(),
            p.comparison.relation.as_str().to_string(),
            p.comparison.score.to_bits(),
        ));
    }
    out
}

/// The largest `index holds N documents` acknowledged in `stdout`.
fn acknowledged(stdout: &str) -> usize {
    stdout
        .lines()
        .filter_map(|l| l.split("index holds ").nth(1))
        .filter_map(|r| r.split(' ').next()?.parse().ok())
        .max()
        .unwrap_or(0)
}

#[test]
fn killed_ingest_keeps_every_acknowledged_batch() {
    let tmp = tempfile::tempdir().unwrap();
    let (whole, _) = corpus(tmp.path(), 200, 1);
    let clean = tmp.path().join("clean");
    run_ok(
        stemma()
            .args([
                "index",
                "add",
                "--semantic",
                "off",
                "--quiet",
                "--batch",
                &BATCH.to_string(),
            ])
            .arg(&clean)
            .arg(&whole),
    );
    let want = answers(&clean);
    let mut rng = Rng(0x5eed_0fc4_a5a5);
    let (mut kills, mut runs) = (0, 0);
    // Rounds of a fresh ingest until 20 kills landed (a fast machine needs more rounds).
    for round in 0.. {
        if kills >= 20 {
            break;
        }
        assert!(round < 20, "only {kills} kills in 20 rounds");
        let index = tmp.path().join(format!("index{round}"));
        kill_until_done(&index, &whole, &want, &mut rng, &mut kills, &mut runs);
        let (a, fa) = export(&index, &tmp.path().join("ex-killed"));
        let (b, fb) = export(&clean, &tmp.path().join("ex-clean"));
        assert!(
            a == b && fa == fb,
            "the finished index differs from a clean run"
        );
    }
}

/// Runs `stemma index add --skip-existing` on `corpus` into `index`, killing it at random
/// moments, until the index is complete; checks the index after every run.
fn kill_until_done(
    index: &Path,
    corpus: &Path,
    want: &Answers,
    rng: &mut Rng,
    kills: &mut usize,
    runs: &mut usize,
) {
    let total = want.len();
    let mut before = 0usize;
    let whole = corpus;
    loop {
        *runs += 1;
        let runs = *runs;
        assert!(runs < 400, "the ingest never finished");
        let mut child = stemma()
            .args([
                "index",
                "add",
                "--semantic",
                "off",
                "--quiet",
                "--skip-existing",
                "--batch",
            ])
            .arg(BATCH.to_string())
            .arg(index)
            .arg(whole)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let wait = Duration::from_millis(20 + rng.below(900));
        std::thread::sleep(wait);
        let finished = child.try_wait().unwrap().is_some();
        if !finished {
            child.kill().unwrap(); // SIGKILL
            *kills += 1;
        }
        child.wait().unwrap();
        let mut stdout = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        let acked = acknowledged(&stdout);
        if !index.exists() {
            assert_eq!(acked, 0);
            continue;
        }
        let got = answers(index);
        let n = got.len();
        // Everything acknowledged is there; what is there is whole batches, in order, with
        // the pairs a clean run gives those documents.
        assert!(n >= acked, "acknowledged {acked} documents, found {n}");
        assert!(
            n == total || (n - before).is_multiple_of(BATCH),
            "{n} documents after {before}: a partial batch is visible"
        );
        assert!(n >= before, "documents were lost: {before} → {n}");
        assert_eq!(
            got[..],
            want[..n],
            "documents 0..{n} differ from a clean run"
        );
        eprintln!(
            "run {runs}: {} after {} ms; acknowledged {acked}, found {n} (committed, \
             unacknowledged: {})",
            if finished { "finished" } else { "killed" },
            wait.as_millis(),
            n - acked.max(before)
        );
        before = n;
        if n == total {
            break;
        }
    }
}

#[test]
fn the_index_records_its_scorer_and_refuses_another_unless_told() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("index");
    let news = root().join("samples/corpus/news.jsonl");
    run_ok(
        stemma()
            .args(["index", "add", "--semantic", "off", "--quiet"])
            .arg(&index)
            .arg(&news),
    );
    let stats = run_ok(stemma().args(["index", "stats"]).arg(&index));
    assert!(
        stats.contains("scorer: lexical (verdict lexical)"),
        "{stats}"
    );
    assert!(
        stats.contains("input: date_field=date, encoding=detected, id_field=id"),
        "{stats}"
    );
    let Some(model) = stemma_embed::Embedder::find(None) else {
        eprintln!(
            "SKIPPED (semantic part): no semantic model (run scripts/fetch-model.sh or set {})",
            stemma_embed::MODEL_ENV
        );
        return;
    };
    let extra = tmp.path().join("extra.txt");
    std::fs::write(
        &extra,
        "A new article about something else entirely, on a quiet day.",
    )
    .unwrap();
    // `on` over a lexical index: refused, the difference named; nothing is added.
    let o = stemma()
        .args(["index", "add", "--quiet", "--semantic", "on", "--model"])
        .arg(&model)
        .arg(&index)
        .arg(&extra)
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("scorer: stored lexical, given semantic"),
        "{err}"
    );
    // `auto` keeps the index's scorer; the override records the change.
    run_ok(
        stemma()
            .args([
                "index",
                "add",
                "--quiet",
                "--semantic",
                "on",
                "--allow-scorer-change",
            ])
            .arg("--model")
            .arg(&model)
            .arg(&index)
            .arg(&extra),
    );
    let stats = run_ok(stemma().args(["index", "stats"]).arg(&index));
    assert!(
        stats.contains("scorer: semantic: multilingual-e5-small"),
        "{stats}"
    );
    assert!(stats.contains("e5-small-q4.bin"), "{stats}");
    assert!(
        stats.contains("before document 14: lexical (verdict lexical)"),
        "{stats}"
    );
}
