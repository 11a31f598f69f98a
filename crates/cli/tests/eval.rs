//! End to end: `stemma generate` on invented fixture articles, then `stemma eval` with a
//! perfect prediction (the truth itself) and with degraded ones.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn stemma() -> Command {
    Command::new(env!("CARGO_BIN_EXE_stemma"))
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../eval/tests/fixtures/articles.jsonl")
}

fn wordnet(dir: &Path) -> PathBuf {
    let wn = dir.join("wordnet");
    stemma_eval::generate::wordnet::write_test_database(
        &wn,
        &[
            &["rise", "increase"],
            &["ship", "vessel"],
            &["tool", "instrument"],
            &["doctor", "physician"],
            &["crop", "harvest"],
            &["museum", "gallery"],
            &["town", "township"],
            &["season", "period"],
            &["number", "figure"],
            &["work", "labor"],
        ],
    )
    .unwrap();
    wn
}

fn generate(dir: &Path, wn: &Path, seed: u64, docs: usize) -> PathBuf {
    let out = dir.join(format!("gen-{seed}-{docs}"));
    let o = stemma()
        .args([
            "generate",
            fixture().to_str().unwrap(),
            "--docs",
            &docs.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .arg("--out")
        .arg(&out)
        .arg("--wordnet")
        .arg(wn)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

fn jsonl(p: &Path) -> Vec<Value> {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn eval_json(truth: &Path, pred: &Path, extra: &[&str]) -> Value {
    let o = stemma()
        .args([
            "eval",
            "--json",
            "--truth",
            truth.to_str().unwrap(),
            "--pred",
            pred.to_str().unwrap(),
        ])
        .args(extra)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn f(v: &Value, path: &[&str]) -> f64 {
    let mut x = v;
    for k in path {
        x = &x[*k];
    }
    x.as_f64()
        .unwrap_or_else(|| panic!("{path:?} missing in {v}"))
}

#[test]
fn generated_corpus_is_labelled_consistently_and_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let wn = wordnet(tmp.path());
    let out = generate(tmp.path(), &wn, 3, 80);
    let corpus = jsonl(&out.join("corpus.jsonl"));
    let truth = jsonl(&out.join("truth.jsonl"));
    let families = jsonl(&out.join("families.jsonl"));
    assert_eq!(corpus.len(), 80);
    let by_id: std::collections::HashMap<&str, &Value> = corpus
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), d))
        .collect();
    assert_eq!(by_id.len(), 80, "ids are unique");
    let mut relations = std::collections::BTreeSet::new();
    for t in &truth {
        let a = by_id[t["a_id"].as_str().unwrap()];
        let b = by_id[t["b_id"].as_str().unwrap()];
        let rel = t["relation"].as_str().unwrap();
        relations.insert(rel.to_string());
        if rel != "same-story" {
            assert_eq!(t["source_id"], t["a_id"]);
            assert!(
                a["date"].as_str().unwrap() < b["date"].as_str().unwrap(),
                "copy is later than its source"
            );
            let (ta, tb) = (a["text"].as_str().unwrap(), b["text"].as_str().unwrap());
            let (ca, cb) = (ta.chars().count() as u64, tb.chars().count() as u64);
            let ps = t["passages"].as_array().unwrap();
            assert!(!ps.is_empty());
            for p in ps {
                assert!(p["a"][0].as_u64().unwrap() < p["a"][1].as_u64().unwrap());
                assert!(p["a"][1].as_u64().unwrap() <= ca && p["b"][1].as_u64().unwrap() <= cb);
            }
            if rel == "duplicate" {
                assert_eq!(ta, tb);
            } else {
                assert_ne!(ta, tb);
            }
        }
    }
    for r in ["duplicate", "near-duplicate", "rewrite", "partial"] {
        assert!(relations.contains(r), "{r} missing from {relations:?}");
    }
    // Every document is in exactly one family.
    let members: Vec<&str> = families
        .iter()
        .flat_map(|f| {
            f["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_str().unwrap())
        })
        .collect();
    assert_eq!(members.len(), 80);
    // Texts are distinct except labelled duplicates.
    let mut texts: Vec<&str> = corpus.iter().map(|d| d["text"].as_str().unwrap()).collect();
    texts.sort();
    texts.dedup();
    let dups = truth
        .iter()
        .filter(|t| t["relation"] == "duplicate")
        .count();
    assert_eq!(texts.len(), 80 - dups);

    let again = generate(&tmp.path().join("again"), &wn, 3, 80);
    for name in ["corpus.jsonl", "truth.jsonl", "families.jsonl"] {
        assert_eq!(
            std::fs::read(out.join(name)).unwrap(),
            std::fs::read(again.join(name)).unwrap(),
            "{name} differs for the same seed"
        );
    }
    let other = generate(tmp.path(), &wn, 4, 80);
    assert_ne!(
        std::fs::read(out.join("corpus.jsonl")).unwrap(),
        std::fs::read(other.join("corpus.jsonl")).unwrap()
    );
}

#[test]
fn perfect_prediction_scores_one_and_degraded_predictions_score_less() {
    let tmp = tempfile::tempdir().unwrap();
    let wn = wordnet(tmp.path());
    let out = generate(tmp.path(), &wn, 7, 120);
    let truth_path = out.join("truth.jsonl");

    // Perfect: the truth itself (its families.jsonl is beside it, so families are perfect too).
    let r = eval_json(&truth_path, &truth_path, &[]);
    for rel in ["duplicate", "near-duplicate", "rewrite", "partial"] {
        assert_eq!(f(&r, &["pairs", "per_relation", rel, "f1"]), 1.0, "{rel}");
    }
    assert_eq!(f(&r, &["pairs", "derivation", "f1"]), 1.0);
    assert_eq!(f(&r, &["passages", "plagdet"]), 1.0);
    assert_eq!(f(&r, &["families_ari"]), 1.0);

    // Degraded: drop every third pair, call rewrites near-duplicates, halve passages, add a
    // false pair between unrelated sources, put every document in its own family, and give
    // byte alignments for one pair instead of character passages.
    let truth = jsonl(&truth_path);
    let corpus = jsonl(&out.join("corpus.jsonl"));
    let pred_dir = tmp.path().join("pred");
    std::fs::create_dir_all(&pred_dir).unwrap();
    let mut lines = Vec::new();
    for (i, t) in truth.iter().enumerate() {
        if i % 3 == 0 {
            continue;
        }
        let mut p = t.clone();
        if p["relation"] == "rewrite" {
            p["relation"] = "near-duplicate".into();
        }
        if let Some(ps) = p["passages"].as_array_mut() {
            for x in ps {
                let (s, e) = (x["b"][0].as_u64().unwrap(), x["b"][1].as_u64().unwrap());
                x["b"][1] = (s + (e - s) / 2).into();
            }
        }
        lines.push(p.to_string());
    }
    // A false pair: two documents of different families with no shared origins.
    let fams = jsonl(&out.join("families.jsonl"));
    let x = fams[0]["members"][0].as_str().unwrap();
    let y = fams.iter().rev().find(|f| {
        let m = f["members"][0].as_str().unwrap();
        let o = |id: &str| corpus.iter().find(|d| d["id"] == id).unwrap()["origins"].clone();
        o(m).as_array()
            .unwrap()
            .iter()
            .all(|v| !o(x).as_array().unwrap().contains(v))
    });
    let y = y.unwrap()["members"][0].as_str().unwrap();
    lines.push(serde_json::json!({"a_id": x, "b_id": y, "relation": "rewrite", "alignments": [{"a": [0, 10], "b": [0, 10]}]}).to_string());
    std::fs::write(pred_dir.join("pairs.jsonl"), lines.join("\n") + "\n").unwrap();
    let singles: Vec<String> = corpus
        .iter()
        .map(|d| serde_json::json!({"id": d["id"], "members": [d["id"]]}).to_string())
        .collect();
    std::fs::write(pred_dir.join("families.jsonl"), singles.join("\n") + "\n").unwrap();

    let d = eval_json(&truth_path, &pred_dir.join("pairs.jsonl"), &[]);
    let recall = f(&d, &["pairs", "derivation", "recall"]);
    assert!(recall > 0.4 && recall < 0.9, "derivation recall {recall}");
    assert!(f(&d, &["pairs", "derivation", "precision"]) < 1.0);
    assert_eq!(f(&d, &["pairs", "per_relation", "rewrite", "tp"]), 0.0);
    let plagdet = f(&d, &["passages", "plagdet"]);
    assert!(plagdet > 0.2 && plagdet < 0.9, "plagdet {plagdet}");
    assert!(f(&d, &["passages", "recall"]) < 0.8);
    assert!(f(&d, &["families_ari"]) < 0.5);

    // The readable table names every part.
    let o = stemma()
        .args(["eval", "--truth", truth_path.to_str().unwrap(), "--pred"])
        .arg(pred_dir.join("pairs.jsonl"))
        .output()
        .unwrap();
    let table = String::from_utf8(o.stdout).unwrap();
    for word in [
        "PAIRS",
        "any derivation",
        "PASSAGES",
        "plagdet",
        "FAMILIES",
        "RANKING",
    ] {
        assert!(table.contains(word), "{word} missing from\n{table}");
    }
}

#[test]
fn clear_errors_for_missing_wordnet_and_bad_predictions() {
    let tmp = tempfile::tempdir().unwrap();
    let o = stemma()
        .args([
            "generate",
            fixture().to_str().unwrap(),
            "--docs",
            "10",
            "--out",
        ])
        .arg(tmp.path().join("g"))
        .arg("--wordnet")
        .arg(tmp.path().join("nowhere"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("wordnet-base"));

    let wn = wordnet(tmp.path());
    let out = generate(tmp.path(), &wn, 1, 20);
    let bad = tmp.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"a_id\": \"x\"}\n").unwrap();
    let o = stemma()
        .args(["eval", "--truth"])
        .arg(out.join("truth.jsonl"))
        .arg("--pred")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad.jsonl:1"));
}

#[test]
fn eval_pairs_scores_labelled_document_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let original = "The Marlow council voted on Tuesday to close the old Fenwick bridge for repairs.\n\n\
        Engineers found cracks in two of its steel supports during an inspection in March.\n\n\
        The repairs will cost 2.4 million pounds and take about eight months, the council said.";
    let unrelated = "A rare orchid has flowered at the botanical garden in Tressel for the first time.\n\n\
        Gardeners said the plant had been grown from seed collected on a mountain expedition.";
    std::fs::write(docs.join("orig.txt"), original).unwrap();
    std::fs::write(docs.join("copy.txt"), original).unwrap();
    std::fs::write(docs.join("other.txt"), unrelated).unwrap();
    let manifest = dir.path().join("pairs.jsonl");
    std::fs::write(
        &manifest,
        concat!(
            "{\"a\":\"orig\",\"b\":\"copy\",\"relation\":\"duplicate\",\"source\":null,\"lang\":\"en\"}\n",
            "{\"a\":\"orig\",\"b\":\"other\",\"relation\":\"unrelated\",\"source\":null}\n",
            // Deliberately mislabelled: the scorer must count it as an error.
            "{\"a\":\"copy\",\"b\":\"other\",\"relation\":\"rewrite\",\"source\":\"a\"}\n",
        ),
    )
    .unwrap();
    let out = stemma()
        .args(["eval", "pairs"])
        .arg(&manifest)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["pairs"], 3);
    assert_eq!(r["confusion"]["duplicate"]["duplicate"], 1);
    assert_eq!(r["confusion"]["unrelated"]["unrelated"], 1);
    assert_eq!(r["confusion"]["rewrite"]["unrelated"], 1);
    assert!((f(&r, &["derivation", "accuracy"]) - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(r["rewrite_vs_same_story"]["fn"], 1);

    // A manifest naming a missing document is an error naming the file.
    std::fs::write(
        &manifest,
        "{\"a\":\"orig\",\"b\":\"gone\",\"relation\":\"duplicate\"}\n",
    )
    .unwrap();
    let out = stemma()
        .args(["eval", "pairs"])
        .arg(&manifest)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("gone.txt"));
}
