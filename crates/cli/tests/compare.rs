//! End-to-end tests of `stemma compare`, running the binary on temporary files.
//!
//! All texts here are invented for these tests.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const ORIGINAL: &str = "Floods cut off three villages in the Matesgora valley on Monday, local officials said.\n\n\
Mayor Ivan Petrov said 40 homes had been evacuated and that rescue teams were working through the night. \
\"We have never seen water rise this fast,\" he told reporters at the town hall.\n\n\
The regional weather service forecast another 80 mm of rain by Wednesday. Roads into the valley stayed closed all day, \
and the railway line to the coast was suspended.\n\n\
Residents were asked to stay away from the riverbanks and to follow updates from the authorities.\n\n\
The valley last flooded in 2009, when the river burst its banks after a week of storms.\n";

/// ORIGINAL with a misspelt name, a changed number, a banner added and the last paragraph cut.
const LIGHT_EDIT: &str = "UPDATED — Zürich desk ✓\n\n\
Floods cut off three villages in the Matsegora valley on Monday, local officials said.\n\n\
Mayor Ivan Petrov said 45 homes had been evacuated and that rescue teams were working through the night. \
\"We have never seen water rise this fast,\" he told reporters at the town hall.\n\n\
The regional weather service forecast another 80 mm of rain by Wednesday. Roads into the valley stayed closed all day, \
and the railway line to the coast was suspended.\n\n\
Residents were asked to stay away from the riverbanks and to follow updates from the authorities.\n";

const UNRELATED: &str = "The chess club meets every Thursday evening in the library annex. \
New members are welcome and boards are provided. \
This season the club plans a rapid tournament in March and a simultaneous exhibition in June, \
with coffee and biscuits served during the breaks.\n";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_stemma"))
}

fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run stemma")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json_of(o: &Output) -> Value {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("stdout is JSON")
}

fn compare_json(a: &str, b: &str, extra: &[&str]) -> (Value, Output) {
    let dir = tempfile::tempdir().unwrap();
    let pa = write(dir.path(), "a.txt", a.as_bytes());
    let pb = write(dir.path(), "b.txt", b.as_bytes());
    let mut args = vec!["compare", s(&pa), s(&pb), "--json"];
    args.extend_from_slice(extra);
    let o = run(&args);
    (json_of(&o), o)
}

fn span(v: &Value) -> (usize, usize) {
    let arr = v.as_array().expect("span is an array");
    assert_eq!(arr.len(), 2, "span has two numbers: {v}");
    (
        arr[0].as_u64().unwrap() as usize,
        arr[1].as_u64().unwrap() as usize,
    )
}

fn check_span(v: &Value, text: &str, what: &str) {
    let (start, end) = span(v);
    assert!(
        start <= end && end <= text.len(),
        "{what}: {start}..{end} outside 0..{}",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: {start}..{end} not on char boundaries"
    );
}

/// Every field of the contract is present with the right type, and every span is valid.
fn check_contract(v: &Value, a: &str, b: &str) {
    let rel = v["relation"].as_str().expect("relation is a string");
    assert!(
        [
            "duplicate",
            "near-duplicate",
            "rewrite",
            "partial",
            "same-story",
            "unrelated"
        ]
        .contains(&rel),
        "relation {rel}"
    );
    let score = v["score"].as_f64().expect("score is a number");
    assert!((0.0..=1.0).contains(&score));
    let dir = &v["direction"];
    let source = &dir["source"];
    assert!(
        source.is_null() || source == "a" || source == "b",
        "source {source}"
    );
    assert!((0.0..=1.0).contains(&dir["confidence"].as_f64().unwrap()));
    for e in dir["evidence"].as_array().expect("evidence is an array") {
        assert!(e["kind"].is_string() && e["detail"].is_string() && e["weight"].is_number());
        assert!(e["favours"].is_null() || e["favours"] == "a" || e["favours"] == "b");
    }
    for side in ["a", "b"] {
        let c = v["coverage"][side].as_f64().expect("coverage is a number");
        assert!((0.0..=1.0).contains(&c));
    }
    for (i, al) in v["alignments"]
        .as_array()
        .expect("alignments")
        .iter()
        .enumerate()
    {
        check_span(&al["a"], a, &format!("alignments[{i}].a"));
        check_span(&al["b"], b, &format!("alignments[{i}].b"));
        let k = al["kind"].as_str().unwrap();
        assert!(
            ["verbatim", "near-verbatim", "paraphrase"].contains(&k),
            "kind {k}"
        );
        assert!((0.0..=1.0).contains(&al["similarity"].as_f64().unwrap()));
    }
    for (i, c) in v["changes"].as_array().expect("changes").iter().enumerate() {
        assert!(["name", "number", "date", "quote"].contains(&c["kind"].as_str().unwrap()));
        for (text_key, span_key, text) in [("a", "a_span", a), ("b", "b_span", b)] {
            let t = &c[text_key];
            let sp = &c[span_key];
            assert!(t.is_null() || t.is_string());
            assert!(
                c.as_object().unwrap().contains_key(span_key),
                "changes[{i}] has {span_key}"
            );
            if !sp.is_null() {
                check_span(sp, text, &format!("changes[{i}].{span_key}"));
            }
        }
    }
    let (src, copy) = if source == "b" { (b, a) } else { (a, b) };
    for (i, d) in v["dropped"].as_array().expect("dropped").iter().enumerate() {
        check_span(d, src, &format!("dropped[{i}]"));
    }
    for (i, d) in v["added"].as_array().expect("added").iter().enumerate() {
        check_span(d, copy, &format!("added[{i}]"));
    }
}

#[test]
fn json_has_the_contract_fields_and_valid_spans() {
    for (a, b) in [
        (ORIGINAL, LIGHT_EDIT),
        (LIGHT_EDIT, ORIGINAL),
        (ORIGINAL, UNRELATED),
        (ORIGINAL, ORIGINAL),
    ] {
        let (v, _) = compare_json(a, b, &[]);
        check_contract(&v, a, b);
        assert!(
            v["inputs"]["a"]["label"]
                .as_str()
                .unwrap()
                .ends_with("a.txt")
        );
        assert_eq!(v["inputs"]["a"]["length"], a.len());
        assert_eq!(v["inputs"]["b"]["length"], b.len());
        // The contract type reads the output back.
        let cmp: stemma_compare::Comparison =
            serde_json::from_value(v).expect("Comparison from JSON");
        assert!(cmp.score.is_finite());
    }
}

#[test]
fn compact_json_is_one_line() {
    let (_, o) = compare_json(ORIGINAL, LIGHT_EDIT, &["--compact"]);
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(out.trim_end().lines().count(), 1);
}

#[test]
fn stdin_as_one_input() {
    let dir = tempfile::tempdir().unwrap();
    let pb = write(dir.path(), "b.txt", LIGHT_EDIT.as_bytes());
    let mut child = bin()
        .args(["compare", "-", s(&pb), "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ORIGINAL.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let v = json_of(&o);
    check_contract(&v, ORIGINAL, LIGHT_EDIT);
    assert_eq!(v["inputs"]["a"]["length"], ORIGINAL.len());
}

#[test]
fn text_view_without_and_with_color() {
    let dir = tempfile::tempdir().unwrap();
    let pa = write(dir.path(), "first.txt", ORIGINAL.as_bytes());
    let pb = write(dir.path(), "second.txt", LIGHT_EDIT.as_bytes());
    let o = run(&["compare", s(&pa), s(&pb)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("relation") && out.contains("coverage"));
    assert!(out.contains("first.txt") && out.contains("second.txt"));
    assert!(
        !out.contains('\x1b'),
        "auto: no color when stdout is not a terminal"
    );
    let o = run(&["compare", s(&pa), s(&pb), "--color", "always"]);
    assert!(String::from_utf8(o.stdout).unwrap().contains('\x1b'));
}

/// The text a browser would show for one column of the page.
fn column_text(html: &str, side: &str) -> String {
    let open = format!("id=\"p0-{side}-text\">");
    let start = html.find(&open).expect("column present") + open.len();
    let end = start + html[start..].find("</div>").unwrap();
    let mut out = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn html_page_contains_both_texts_escaped() {
    let a = format!("{ORIGINAL}<script>alert('a')</script> Tom & Jerry's \"show\".\n");
    let b = format!("{LIGHT_EDIT}<b>bold</b> & <i>more</i>\n");
    let dir = tempfile::tempdir().unwrap();
    let pa = write(dir.path(), "a.txt", a.as_bytes());
    let pb = write(dir.path(), "b.txt", b.as_bytes());
    let page = dir.path().join("out.html");
    let o = run(&["compare", s(&pa), s(&pb), "--html", s(&page), "--json"]);
    let v = json_of(&o);
    check_contract(&v, &a, &b);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script>alert"), "text is escaped");
    assert!(!html.contains("<b>bold"), "text is escaped");
    assert_eq!(column_text(&html, "a"), a);
    assert_eq!(column_text(&html, "b"), b);
    assert!(html.contains(&format!(">{}<", v["relation"].as_str().unwrap())));
}

fn assert_refused(o: &Output, must_name: &str, must_say: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert!(err.contains(must_name), "error names {must_name:?}: {err}");
    assert!(err.contains(must_say), "error says {must_say:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(o.stdout.is_empty());
}

#[test]
fn bad_inputs_are_refused_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.txt", ORIGINAL.as_bytes());
    let empty = write(dir.path(), "empty.txt", b"");
    let blank = write(dir.path(), "blank.txt", b"  \n\t\n");
    let binary = write(dir.path(), "binary.bin", b"PK\x03\x04\x00\x00binary");
    let latin1 = write(dir.path(), "latin1.txt", b"Caf\xe9 au lait");
    let missing = dir.path().join("missing.txt");

    assert_refused(
        &run(&["compare", s(&good), s(&empty)]),
        "empty.txt",
        "empty",
    );
    assert_refused(
        &run(&["compare", s(&blank), s(&good)]),
        "blank.txt",
        "empty",
    );
    assert_refused(
        &run(&["compare", s(&good), s(&binary), "--json"]),
        "binary.bin",
        "NUL byte at byte offset 4",
    );
    // Windows-1252 is detected (tests/encoding.rs); forced to UTF-8 it is refused.
    assert_refused(
        &run(&["compare", s(&latin1), s(&good), "--encoding", "utf-8"]),
        "latin1.txt",
        "not valid UTF-8 (first undecodable bytes at byte offset 3)",
    );
    assert_refused(
        &run(&["compare", s(&good), s(&missing)]),
        "missing.txt",
        "cannot open",
    );
    assert_refused(
        &run(&["compare", s(dir.path()), s(&good)]),
        s(dir.path()),
        "directory",
    );
    assert_refused(
        &run(&["compare", "-", "-"]),
        "standard input",
        "at most one",
    );
    assert_refused(
        &run(&["compare", s(&good), s(&good), "--max-bytes", "100"]),
        "good.txt",
        "larger than the limit of 100 bytes",
    );
}

#[test]
fn unwritable_html_path_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let pa = write(dir.path(), "a.txt", ORIGINAL.as_bytes());
    let target = dir.path().join("no-such-dir").join("out.html");
    assert_refused(
        &run(&["compare", s(&pa), s(&pa), "--html", s(&target)]),
        "out.html",
        "cannot write",
    );
}

#[test]
fn dates_reach_the_comparison_and_bad_dates_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let pa = write(dir.path(), "a.txt", ORIGINAL.as_bytes());
    assert_refused(
        &run(&["compare", s(&pa), s(&pa), "--date-a", "next tuesday-ish"]),
        "--date-a",
        "cannot read the date",
    );
    for (da, db, earlier) in [
        ("2024-05-01T08:00:00Z", "2024-05-03 10:00", "a"),
        ("2024-05-09", "2024-05-03", "b"),
    ] {
        let (v, _) = compare_json(ORIGINAL, LIGHT_EDIT, &["--date-a", da, "--date-b", db]);
        check_contract(&v, ORIGINAL, LIGHT_EDIT);
        let evidence = v["direction"]["evidence"].as_array().unwrap();
        assert!(
            evidence
                .iter()
                .any(|e| e["kind"] == "date" && e["favours"] == earlier),
            "date evidence favours {earlier}: {evidence:?}"
        );
    }
}

// --- Behaviour of the comparison itself. ---

#[test]
fn verbatim_copy_is_a_duplicate() {
    let (v, _) = compare_json(ORIGINAL, ORIGINAL, &[]);
    assert_eq!(v["relation"], "duplicate");
    assert!(v["coverage"]["a"].as_f64().unwrap() > 0.9);
    assert!(
        v["alignments"]
            .as_array()
            .unwrap()
            .iter()
            .all(|al| al["kind"] == "verbatim")
    );
}

#[test]
fn unrelated_texts_are_unrelated() {
    let (v, _) = compare_json(ORIGINAL, UNRELATED, &[]);
    assert_eq!(v["relation"], "unrelated");
    assert!(v["alignments"].as_array().unwrap().is_empty());
}

#[test]
fn light_edit_is_a_near_duplicate_with_its_changes() {
    let (v, _) = compare_json(ORIGINAL, LIGHT_EDIT, &[]);
    check_contract(&v, ORIGINAL, LIGHT_EDIT);
    assert_eq!(v["relation"], "near-duplicate", "{v:#}");
    let changes = v["changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["kind"] == "name" && c["a"] == "Matesgora" && c["b"] == "Matsegora"),
        "name change reported: {changes:?}"
    );
    assert!(
        changes
            .iter()
            .any(|c| c["kind"] == "number" && c["a"] == "40" && c["b"] == "45"),
        "number change reported: {changes:?}"
    );
}
