//! `stemma scan` keeps verification linear: exact copies collapse onto one representative and
//! each document keeps at most `--max-candidates` candidates. All texts are invented here.

use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

const STORY: &str = "The Varnholt ferry company will replace its three oldest boats with electric ones by 2027, chief executive Mira Castellan said on Monday.\n\n\
The order, worth 96 million crowns, goes to the Ostbrook yard, which built the current fleet in 1994. \
Castellan said the new boats would cut fuel costs by 40 percent and carry 350 passengers each.\n\n\
The harbour board of Lindqvay must still approve a charging station on the north pier, and a vote is planned for 14 April. \
Residents near the pier have asked for a noise study before any work starts.\n";

fn jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn scan(corpus: &Path, out: &Path, extra: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_stemma"))
        .args([
            "scan",
            corpus.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-q",
        ])
        .args(extra)
        .stdin(Stdio::null())
        .output()
        .expect("run stemma");
    let stdout = String::from_utf8_lossy(&o.stdout).to_string();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    stdout
}

/// Five exact copies (case and spacing differ), then three near copies each with one
/// number changed; dated a day apart in reading order (`dated`) or undated.
fn write_corpus(dir: &Path) -> std::path::PathBuf {
    write_corpus_dated(dir, true)
}

fn write_corpus_dated(dir: &Path, dated: bool) -> std::path::PathBuf {
    let date = |i: usize| {
        if dated {
            json!(format!("2024-03-{:02}", i + 1))
        } else {
            Value::Null
        }
    };
    let mut lines = Vec::new();
    for i in 0..5 {
        let text = if i % 2 == 0 {
            STORY.to_string()
        } else {
            STORY.replace("The order", "THE ORDER").replace(". ", ".  ")
        };
        lines.push(json!({"id": format!("copy{i}"), "text": text, "date": date(i)}).to_string());
    }
    for (i, n) in ["97", "98", "99"].iter().enumerate() {
        let text = STORY.replace("96 million", &format!("{n} million"));
        lines
            .push(json!({"id": format!("near{i}"), "text": text, "date": date(5 + i)}).to_string());
    }
    let path = dir.join(if dated {
        "corpus.jsonl"
    } else {
        "undated.jsonl"
    });
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

#[test]
fn exact_copies_pair_with_their_representative_only() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let out = dir.path().join("out");
    let stdout = scan(&corpus, &out, &["--write-candidates"]);
    assert!(stdout.contains("4 exact copies collapsed"), "{stdout}");
    let pairs = jsonl(&out.join("pairs.jsonl"));
    let dups: Vec<(&str, &str)> = pairs
        .iter()
        .filter(|p| p["relation"] == "duplicate")
        .map(|p| (p["a_id"].as_str().unwrap(), p["b_id"].as_str().unwrap()))
        .collect();
    // n - 1 = 4 duplicate pairs, all with the first copy (not 10).
    assert_eq!(
        dups,
        vec![
            ("copy0", "copy1"),
            ("copy0", "copy2"),
            ("copy0", "copy3"),
            ("copy0", "copy4")
        ]
    );
    // Everything is one family; families.jsonl carries a (here empty) `links` list.
    let fams = jsonl(&out.join("families.jsonl"));
    assert_eq!(fams.len(), 1, "{fams:?}");
    assert_eq!(fams[0]["members"].as_array().unwrap().len(), 8);
    assert_eq!(fams[0]["links"], json!([]));
}

#[test]
fn max_candidates_bounds_each_document() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let count = |extra: &[&str]| {
        let out = dir.path().join(format!("out{}", extra.len()));
        scan(&corpus, &out, &[&["--write-candidates"], extra].concat());
        let mut per_doc: HashMap<String, usize> = HashMap::new();
        for c in jsonl(&out.join("candidates.jsonl")) {
            let exact = c["signals"] == json!(["exact"]);
            if !exact {
                *per_doc
                    .entry(c["b_id"].as_str().unwrap().to_string())
                    .or_default() += 1;
            }
        }
        per_doc
    };
    // The caps alone (redundancy rule off):
    let all = count(&[
        "--max-candidates",
        "0",
        "--max-per-cluster",
        "0",
        "--redundancy",
        "0",
    ]);
    // The last near copy sees all seven earlier documents.
    assert_eq!(all["near2"], 7);
    let capped = count(&[
        "--max-candidates",
        "2",
        "--no-collapse",
        "--redundancy",
        "0",
    ]);
    assert!(capped.values().all(|&n| n <= 2), "{capped:?}");
    assert_eq!(capped["near2"], 2);
    // All eight texts are variants of one story: at most 3 per document by default.
    let clustered = count(&["--max-candidates", "0", "--redundancy", "0"]);
    assert_eq!(clustered["near2"], 3);
    // With the defaults the variants are redundant with each other: the best one explains
    // everything the others share with the last near copy.
    let default = count(&[]);
    assert_eq!(default["near2"], 1, "{default:?}");
}

#[test]
fn undated_candidates_are_never_redundant() {
    // Without dates a candidate may be the chooser's own copy, so the redundancy rule leaves
    // undated candidates alone (`CandidateOptions::redundancy`): the last near copy keeps
    // what the per-cluster cap allows (3), where the dated corpus above keeps 1.
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus_dated(dir.path(), false);
    let out = dir.path().join("out");
    scan(&corpus, &out, &["--write-candidates"]);
    let near2 = jsonl(&out.join("candidates.jsonl"))
        .iter()
        .filter(|c| c["b_id"] == "near2" && c["signals"] != json!(["exact"]))
        .count();
    assert_eq!(near2, 3);
}
