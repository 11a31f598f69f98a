//! End-to-end tests of `stemma scan`, running the binary on a corpus written to a temporary
//! folder. All texts here are invented for these tests.

use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output, Stdio};

const ORIGINAL: &str = "Kestrel Airlines will cut 1,200 jobs at its Marburn base and close two of its four hangars by September, the company said on Tuesday.\n\n\
Chief executive Ada Lunsford told staff that fuel costs had risen by 38 percent in a year and that the airline lost 214 million crowns in the first half. \
\"We cannot keep every route alive while the planes fly half empty,\" Lunsford said.\n\n\
The unions at Marburn called the plan a betrayal and announced a two-day strike for the first week of May. \
Union leader Tomas Verhoek said the workers had accepted a pay freeze only last winter.\n\n\
Kestrel will also drop its routes to Oslavik and Pellmoor, which carried fewer than 90,000 passengers last year. \
The regional government said it would meet the airline on Friday to discuss support for the Marburn workers.\n";

/// ORIGINAL with a new banner line, one number changed and the last sentence cut.
const COPY: &str = "AVIATION DESK\n\n\
Kestrel Airlines will cut 1,200 jobs at its Marburn base and close two of its four hangars by September, the company said on Tuesday.\n\n\
Chief executive Ada Lunsford told staff that fuel costs had risen by 38 percent in a year and that the airline lost 241 million crowns in the first half. \
\"We cannot keep every route alive while the planes fly half empty,\" Lunsford said.\n\n\
The unions at Marburn called the plan a betrayal and announced a two-day strike for the first week of May. \
Union leader Tomas Verhoek said the workers had accepted a pay freeze only last winter.\n\n\
Kestrel will also drop its routes to Oslavik and Pellmoor, which carried fewer than 90,000 passengers last year.\n";

/// ORIGINAL reworded sentence by sentence, keeping names and numbers.
const SPUN: &str = "On Tuesday, Kestrel Airlines announced that 1,200 positions at the Marburn base will be eliminated, and two of the four hangars there will shut by September.\n\n\
Ada Lunsford, the chief executive, informed employees that the carrier's fuel bill climbed 38 percent over twelve months and that losses in the first half reached 214 million crowns. \
According to Lunsford, the company cannot sustain every route while aircraft fly half full.\n\n\
Unions in Marburn described the move as a betrayal and said they would strike for two days in the first week of May. \
Tomas Verhoek, who leads the union, noted that staff had agreed to freeze their pay just last winter.\n\n\
The Oslavik and Pellmoor routes, used by under 90,000 travellers last year, will also be scrapped by Kestrel. \
On Friday the regional government is to hold talks with the airline about helping the Marburn employees.\n";

const UNRELATED: &str = "The chess club meets every Thursday evening in the library annex. New members are welcome and boards are provided.\n\n\
This season the club plans a rapid tournament in March and a simultaneous exhibition in June, with coffee and biscuits served during the breaks. \
Beginners can book a free lesson with the club's coach, a former regional champion.\n";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stemma"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run stemma")
}

fn write_corpus(dir: &Path) -> std::path::PathBuf {
    let line = |id: &str, text: &str, date: &str| {
        json!({"id": id, "text": text, "date": date, "source": "test"}).to_string()
    };
    let corpus = [
        line("spun", SPUN, "2021-03-02T09:00:00Z"),
        line("orig", ORIGINAL, "2021-03-01T08:00:00Z"),
        "{\"id\": \"broken\", \"text\": ".to_string(),
        line("copy", COPY, "2021-03-01T12:00:00Z"),
        line("chess", UNRELATED, "2021-03-01T10:00:00Z"),
    ]
    .join("\n");
    let path = dir.join("news.jsonl");
    std::fs::write(&path, corpus + "\n").unwrap();
    path
}

fn jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn pair<'a>(pairs: &'a [Value], x: &str, y: &str) -> Option<&'a Value> {
    pairs
        .iter()
        .find(|p| (p["a_id"] == x && p["b_id"] == y) || (p["a_id"] == y && p["b_id"] == x))
}

#[test]
fn scan_writes_pairs_families_report_and_reports_skipped_lines() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let out = dir.path().join("out");
    let o = run(&[
        "scan",
        corpus.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--write-candidates",
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        o.status.code(),
        Some(3),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains("4 documents read, 1 skipped"), "{stdout}");
    // The malformed line is named with its file and line number.
    assert!(stdout.contains("news.jsonl:3"), "{stdout}");
    let skipped = jsonl(&out.join("skipped.jsonl"));
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["line"], 3);
    assert!(skipped[0]["file"].as_str().unwrap().ends_with("news.jsonl"));

    // Candidate generation proposes each copy with its source, and not the chess club. The
    // spun article (read first, dated last) picks the original; the near-copy of the
    // original shares nothing with it that the original does not, so it is redundant.
    let cands = jsonl(&out.join("candidates.jsonl"));
    for (x, y) in [("orig", "copy"), ("orig", "spun")] {
        assert!(
            pair(&cands, x, y).is_some(),
            "no candidate {x}–{y}: {cands:?}"
        );
    }
    assert!(pair(&cands, "copy", "spun").is_none(), "{cands:?}");
    assert!(
        cands
            .iter()
            .all(|c| c["a_id"] != "chess" && c["b_id"] != "chess")
    );
    let spun = pair(&cands, "orig", "spun").unwrap();
    assert!(
        spun["signals"]
            .as_array()
            .unwrap()
            .contains(&json!("passage"))
    );

    // The report page is written and loads nothing from the network.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("https://"));
    assert!(
        !html
            .replace("http://www.w3.org/2000/svg", "")
            .contains("http://")
    );
    assert!(html.contains("rp-data"));
    // The header counts the candidate pairs the scan had (it once said 0).
    let n = cands.len();
    assert!(n > 0);
    assert!(
        html.contains(&format!("<dt>candidate pairs</dt><dd>{n}</dd>")),
        "{n} candidates"
    );
    // Each family's derivation graph is drawn (SVG in the page's data), edges labelled.
    let families = jsonl(&out.join("families.jsonl"));
    assert!(!families.is_empty());
    assert_eq!(html.matches("stm-graph").count(), families.len());
    let root = families[0]["root"].as_str().unwrap();
    assert!(
        html.contains(&format!("stm-node stm-root\\\" data-doc=\\\"{root}")),
        "root {root}"
    );
}

#[test]
fn scan_finds_copy_and_rewrite_with_dated_family() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let out = dir.path().join("out");
    let o = run(&[
        "scan",
        corpus.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let pairs = jsonl(&out.join("pairs.jsonl"));
    let copy = pair(&pairs, "orig", "copy").expect("orig–copy pair");
    let rel = copy["relation"].as_str().unwrap();
    assert!(
        rel == "near-duplicate" || rel == "duplicate",
        "orig–copy is {rel}"
    );
    // Compare's fields are flattened at top level.
    for k in [
        "score",
        "direction",
        "coverage",
        "alignments",
        "changes",
        "dropped",
        "added",
    ] {
        assert!(copy.get(k).is_some(), "missing {k}");
    }
    let spun = pair(&pairs, "orig", "spun").expect("orig–spun pair");
    let rel = spun["relation"].as_str().unwrap();
    assert!(rel == "rewrite" || rel == "partial", "orig–spun is {rel}");
    assert!(
        pairs
            .iter()
            .all(|p| p["a_id"] != "chess" && p["b_id"] != "chess")
    );

    let fams = jsonl(&out.join("families.jsonl"));
    assert_eq!(fams.len(), 1, "{fams:?}");
    let f = &fams[0];
    let mut members: Vec<&str> = f["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    members.sort();
    assert_eq!(members, vec!["copy", "orig", "spun"]);
    // The earliest article is the root; every edge from it points away from it.
    assert_eq!(f["root"], "orig");
    for e in f["edges"].as_array().unwrap() {
        assert_ne!(e["copy"], "orig", "{e}");
        assert!(e["score"].as_f64().unwrap() > 0.0);
    }
}

#[test]
fn scan_of_a_clean_corpus_exits_zero_and_bad_options_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("a.txt"), ORIGINAL).unwrap();
    std::fs::write(docs.join("b.txt"), UNRELATED).unwrap();
    let out = dir.path().join("out");
    let o = run(&[
        "scan",
        docs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(jsonl(&out.join("pairs.jsonl")).is_empty());
    assert!(jsonl(&out.join("families.jsonl")).is_empty());

    let o = run(&[
        "scan",
        docs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--relations",
        "cousin",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown relation"));
    let o = run(&["scan", "/no/such/input", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

/// Runs `stemma scan` with `STEMMA_MODEL` pointing at a missing file: no model is found.
fn run_without_model(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stemma"))
        .args(args)
        .env("STEMMA_MODEL", "/nonexistent/stemma-no-model.bin")
        .stdin(Stdio::null())
        .output()
        .expect("run stemma")
}

#[test]
fn without_a_model_the_semantic_pass_is_off_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let scan = |mode: &str| {
        let out = dir.path().join(format!("out-{mode}"));
        let o = run_without_model(&[
            "scan",
            corpus.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
            "--semantic",
            mode,
        ]);
        (o, out)
    };
    let (auto, auto_dir) = scan("auto");
    let (off, off_dir) = scan("off");
    assert_eq!(auto.status.code(), Some(3), "{auto:?}"); // one broken record
    assert_eq!(off.status.code(), Some(3), "{off:?}");
    // `auto` says once on stderr that the layer is off; `off` was asked for and says nothing.
    let err = String::from_utf8_lossy(&auto.stderr);
    assert_eq!(err.matches("semantic layer off").count(), 1, "{err}");
    assert!(!String::from_utf8_lossy(&off.stderr).contains("semantic layer off"));
    assert!(String::from_utf8_lossy(&auto.stdout).contains("semantic: off"));
    // Identical pairs, all decided by the lexical verdict.
    let (a, b) = (
        std::fs::read_to_string(auto_dir.join("pairs.jsonl")).unwrap(),
        std::fs::read_to_string(off_dir.join("pairs.jsonl")).unwrap(),
    );
    assert_eq!(a, b);
    let pairs = jsonl(&auto_dir.join("pairs.jsonl"));
    assert!(pairs.len() >= 2, "{pairs:?}");
    assert!(pairs.iter().all(|p| p["verdict"]["model"] == "lexical"));
    // `on` without a model is an error naming the flag.
    let (on, _) = scan("on");
    assert_eq!(on.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&on.stderr).contains("--semantic on"));
    let (bad, _) = scan("maybe");
    assert_eq!(bad.status.code(), Some(2));
}
