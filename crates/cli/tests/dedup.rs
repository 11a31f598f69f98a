//! End-to-end tests of `stemma dedup` on the built binary.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const STORIES: [&str; 3] = [
    "The city council approved a new budget on Monday that raises spending on public transport \
     by twelve percent while cutting administrative costs, after a debate that lasted late into \
     the night and drew protests from several neighbourhood groups who argued that the plan \
     ignored the needs of the outer districts and their residents.",
    "A small bakery in the harbour district won a national award for its rye bread, which the \
     owners say follows a recipe handed down for four generations and baked every morning in a \
     wood fired oven that the family rebuilt by hand after a storm damaged the old one.",
    "Researchers at the university reported that a common garden plant can remove certain \
     pollutants from indoor air more efficiently than expected, although they cautioned that \
     the effect in ordinary homes would be far smaller than in their sealed test chambers.",
];

fn line(id: &str, text: &str, extra: &str) -> String {
    format!(
        "{{\"id\":{},\"text\":{}{extra}}}\n",
        serde_json::to_string(id).unwrap(),
        serde_json::to_string(text).unwrap()
    )
}

/// 3 stories + an exact duplicate (case/punctuation changed) + a near duplicate (last word
/// changed) + a malformed line (line 6) + a longer near duplicate of story 2.
fn write_corpus(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("news.jsonl");
    let mut s = String::new();
    s += &line("s1", STORIES[0], ",\"date\":\"2020-01-02\",\"lang\":\"en\"");
    s += &line("s2", STORIES[1], "");
    s += &line("s3", STORIES[2], "");
    s += &line(
        "s1-exact",
        &STORIES[0].to_uppercase().replace(',', " ;"),
        "",
    );
    s += &line("s2-near", &STORIES[1].replace("old one", "old oven"), "");
    s += "{\"id\":\"broken\",\"text\":\"no closing quote}\n";
    s += &line(
        "s3-longer",
        &format!("{} A follow-up study is planned.", STORIES[2]),
        ",\"date\":\"2019-12-31\"",
    );
    std::fs::write(&p, s).unwrap();
    p
}

fn ids(jsonl: &str, field: &str) -> Vec<String> {
    jsonl
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v[field].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn dedup_removes_duplicates_and_reports_malformed_line() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let out = dir.path().join("kept.jsonl");
    let removed = dir.path().join("removed.jsonl");
    let res = Command::new(env!("CARGO_BIN_EXE_stemma"))
        .args(["dedup", "--threshold", "0.7", "--out"])
        .arg(&out)
        .arg("--removed")
        .arg(&removed)
        .arg(&corpus)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&res.stderr);
    // Exit 3: done, but a record was skipped.
    assert_eq!(res.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("news.jsonl:6: malformed JSON"), "{stderr}");
    assert!(stderr.contains("6 documents read, 1 skipped"), "{stderr}");
    let kept = std::fs::read_to_string(&out).unwrap();
    assert_eq!(ids(&kept, "id"), ["s1", "s2", "s3"]);
    // Original lines are written unchanged (extra fields survive).
    assert!(kept.lines().next().unwrap().contains("\"lang\":\"en\""));
    let rm = std::fs::read_to_string(&removed).unwrap();
    assert_eq!(ids(&rm, "removed"), ["s1-exact", "s2-near", "s3-longer"]);
    assert_eq!(ids(&rm, "kept"), ["s1", "s2", "s3"]);
    let first: serde_json::Value = serde_json::from_str(rm.lines().next().unwrap()).unwrap();
    assert_eq!(first["exact"], true);
    let second: serde_json::Value = serde_json::from_str(rm.lines().nth(1).unwrap()).unwrap();
    assert_eq!(second["exact"], false);
    assert!(second["estimated_jaccard"].as_f64().unwrap() >= 0.5);
    assert!(second["true_jaccard"].is_null());
}

#[test]
fn dedup_verify_keep_longest_and_earliest_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = std::fs::read(write_corpus(dir.path())).unwrap();
    for (keep, want_kept) in [("longest", "s3-longer"), ("earliest", "s3-longer")] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_stemma"))
            .args([
                "dedup",
                "-",
                "--quiet",
                "--verify",
                "--threshold",
                "0.7",
                "--keep",
                keep,
            ])
            .arg("--removed")
            .arg(dir.path().join("rm.jsonl"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&corpus).unwrap();
        let res = child.wait_with_output().unwrap();
        assert_eq!(res.status.code(), Some(3));
        assert!(
            res.stderr.is_empty(),
            "quiet run printed: {}",
            String::from_utf8_lossy(&res.stderr)
        );
        let kept = ids(&String::from_utf8(res.stdout).unwrap(), "id");
        assert!(kept.contains(&want_kept.to_owned()), "{keep}: {kept:?}");
        assert!(!kept.contains(&"s3".to_owned()), "{keep}: {kept:?}");
        assert_eq!(kept.len(), 3);
        let rm = std::fs::read_to_string(dir.path().join("rm.jsonl")).unwrap();
        for l in rm.lines() {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let tj = v["true_jaccard"]
                .as_f64()
                .expect("verified runs report true Jaccard");
            assert!((0.0..=1.0).contains(&tj));
        }
    }
}

#[test]
fn dedup_folder_of_text_files_writes_id_text_objects() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("a.txt"), STORIES[0]).unwrap();
    std::fs::write(
        root.join("sub/b.txt"),
        STORIES[0].replace("residents", "people"),
    )
    .unwrap();
    std::fs::write(root.join("c.txt"), STORIES[1]).unwrap();
    let res = Command::new(env!("CARGO_BIN_EXE_stemma"))
        .args(["dedup", "--quiet"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(0));
    let out = String::from_utf8(res.stdout).unwrap();
    assert_eq!(ids(&out, "id"), ["a.txt", "c.txt"]);
    assert_eq!(ids(&out, "text")[1], STORIES[1]);
}

#[test]
fn dedup_errors_exit_2() {
    let res = Command::new(env!("CARGO_BIN_EXE_stemma"))
        .args(["dedup", "/nonexistent/stemma-corpus.jsonl"])
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&res.stderr).contains("/nonexistent/stemma-corpus.jsonl"));
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let res = Command::new(env!("CARGO_BIN_EXE_stemma"))
        .args(["dedup", "--bands", "20", "--rows", "10"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&res.stderr).contains("bands (20)"));
}

#[test]
fn dedup_low_memory_matches_in_memory_run() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let run = |extra: &[&str], tag: &str| {
        let out = dir.path().join(format!("{tag}.kept.jsonl"));
        let rm = dir.path().join(format!("{tag}.removed.jsonl"));
        let res = Command::new(env!("CARGO_BIN_EXE_stemma"))
            .args([
                "dedup",
                "--quiet",
                "--threshold",
                "0.7",
                "--keep",
                "longest",
            ])
            .args(extra)
            .arg("--out")
            .arg(&out)
            .arg("--removed")
            .arg(&rm)
            .arg(&corpus)
            .output()
            .unwrap();
        assert_eq!(
            res.status.code(),
            Some(3),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        );
        (
            std::fs::read_to_string(out).unwrap(),
            std::fs::read_to_string(rm).unwrap(),
        )
    };
    for verify in [false, true] {
        let v: &[&str] = if verify { &["--verify"] } else { &[] };
        let normal = run(v, "normal");
        let low = run(&[v, &["--low-memory"]].concat(), "low");
        assert_eq!(normal, low, "verify={verify}");
        assert_eq!(ids(&low.0, "id").len(), 3);
    }
    let res = Command::new(env!("CARGO_BIN_EXE_stemma"))
        .args(["dedup", "--low-memory", "-"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&res.stderr).contains("standard input"));
}
