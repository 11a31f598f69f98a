//! End-to-end tests of text in legacy encodings: `stemma compare` and `stemma scan` decode
//! inputs that are not UTF-8 and report spans into the bytes as given.
//!
//! Every encoded input is built here from a UTF-8 "twin" (encoded with encoding_rs). Comparing
//! the encoded files must give what comparing their twins gives, and every span of the output,
//! applied to the original bytes and decoded, must give the text the twin's span gives.
//! All texts are invented for these tests.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use encoding_rs::{Encoding, KOI8_R, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1251, WINDOWS_1252};
use serde_json::Value;

const EN_SOURCE: &str = "“Floods cut off three villages in the Matesgora valley,” local officials said on Monday.\n\n\
Mayor Renée Petrov said 40 homes had been evacuated near Besançon Street and that rescue teams worked through the night — \
“we have never seen water rise this fast,” she told reporters at the town hall.\n\n\
The regional weather service forecast another 80 mm of rain by Wednesday. Roads into the valley stayed closed, \
and the café owners’ association collected €12,000 for the families.\n\n\
The valley last flooded in 2009, when the river burst its banks after a week of storms.\n";

/// EN_SOURCE with a banner, a changed number and the last paragraph cut.
const EN_COPY: &str = "UPDATED – Zurich desk\n\n\
“Floods cut off three villages in the Matesgora valley,” local officials said on Monday.\n\n\
Mayor Renée Petrov said 45 homes had been evacuated near Besançon Street and that rescue teams worked through the night — \
“we have never seen water rise this fast,” she told reporters at the town hall.\n\n\
The regional weather service forecast another 80 mm of rain by Wednesday. Roads into the valley stayed closed, \
and the café owners’ association collected €12,000 for the families.\n";

const RU_SOURCE: &str = "Наводнение отрезало три деревни в долине Матесгора, сообщили в понедельник местные власти.\n\n\
Мэр Иван Петров заявил, что 40 домов были эвакуированы, а спасатели работали всю ночь. \
«Мы никогда не видели, чтобы вода поднималась так быстро», — сказал он журналистам в ратуше.\n\n\
Региональная метеослужба прогнозирует ещё 80 мм осадков к среде. Дороги в долину остаются закрытыми, \
а движение поездов к побережью приостановлено.\n\n\
Последний раз долину затапливало в 2009 году, когда река вышла из берегов после недели штормов.\n";

/// RU_SOURCE with a banner, a changed number and the last paragraph cut.
const RU_COPY: &str = "ОБНОВЛЕНО\n\n\
Наводнение отрезало три деревни в долине Матесгора, сообщили в понедельник местные власти.\n\n\
Мэр Иван Петров заявил, что 45 домов были эвакуированы, а спасатели работали всю ночь. \
«Мы никогда не видели, чтобы вода поднималась так быстро», — сказал он журналистам в ратуше.\n\n\
Региональная метеослужба прогнозирует ещё 80 мм осадков к среде. Дороги в долину остаются закрытыми, \
а движение поездов к побережью приостановлено.\n";

/// A Russian text with what KOI8-R lacks (guillemets, em dash) written in ASCII, as KOI8-R
/// texts do.
fn koi8_safe(text: &str) -> String {
    text.replace(['«', '»'], "\"").replace('—', "-")
}

fn run_with_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stemma"))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run stemma");
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().expect("wait for stemma")
}

fn run(args: &[&str]) -> Output {
    run_with_stdin(args, None)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json_of(o: &Output) -> Value {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("stdout is JSON")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `text` in `enc`, after a byte order mark when `bom`.
fn encode(text: &str, enc: &'static Encoding, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if enc == UTF_16LE || enc == UTF_16BE {
        if bom {
            out.extend_from_slice(if enc == UTF_16LE {
                b"\xff\xfe"
            } else {
                b"\xfe\xff"
            });
        }
        for u in text.encode_utf16() {
            out.extend(if enc == UTF_16LE {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            });
        }
        return out;
    }
    if bom {
        assert_eq!(enc, UTF_8);
        out.extend_from_slice(b"\xef\xbb\xbf");
    }
    let (bytes, _, unmappable) = enc.encode(text);
    assert!(!unmappable, "{} cannot encode the test text", enc.name());
    out.extend_from_slice(&bytes);
    out
}

/// `bytes[start..end]` decoded exactly in `enc` (a span must fall on character boundaries).
fn decode_slice(bytes: &[u8], span: (usize, usize), enc: &'static Encoding) -> String {
    let (start, end) = span;
    assert!(
        start <= end && end <= bytes.len(),
        "span {span:?} of {}",
        bytes.len()
    );
    enc.decode_without_bom_handling_and_without_replacement(&bytes[start..end])
        .unwrap_or_else(|| panic!("span {span:?} does not cut {} at characters", enc.name()))
        .into_owned()
}

fn span(v: &Value) -> (usize, usize) {
    let a = v.as_array().expect("span is an array");
    (
        a[0].as_u64().unwrap() as usize,
        a[1].as_u64().unwrap() as usize,
    )
}

/// Every span of a `compare` JSON output with the side it indexes (0 = A, 1 = B), in order.
fn spans(v: &Value) -> Vec<(usize, (usize, usize))> {
    let mut out = Vec::new();
    for key in ["alignments", "passages"] {
        for x in v[key].as_array().unwrap() {
            out.push((0, span(&x["a"])));
            out.push((1, span(&x["b"])));
        }
    }
    for c in v["changes"].as_array().unwrap() {
        for (side, key) in [(0, "a_span"), (1, "b_span")] {
            if !c[key].is_null() {
                out.push((side, span(&c[key])));
            }
        }
    }
    let source = usize::from(v["direction"]["source"] == "b");
    for x in v["dropped"].as_array().unwrap() {
        out.push((source, span(x)));
    }
    for x in v["added"].as_array().unwrap() {
        out.push((1 - source, span(x)));
    }
    out
}

/// Compares `source`/`copy` encoded in `enc` and as UTF-8 twins; checks the relation, the
/// reported encodings and every span against the twins'.
fn assert_same_as_twin(source: &str, copy: &str, enc: &'static Encoding, bom: bool, name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let bytes = [encode(source, enc, bom), encode(copy, enc, bom)];
    let ea = write(dir.path(), "a.txt", &bytes[0]);
    let eb = write(dir.path(), "b.txt", &bytes[1]);
    let ua = write(dir.path(), "a-utf8.txt", source.as_bytes());
    let ub = write(dir.path(), "b-utf8.txt", copy.as_bytes());
    let got = json_of(&run(&["compare", s(&ea), s(&eb), "--json"]));
    let twin = json_of(&run(&["compare", s(&ua), s(&ub), "--json"]));

    for side in ["a", "b"] {
        assert_eq!(
            got["inputs"][side]["encoding"], name,
            "{name}: {}",
            got["inputs"]
        );
        assert_eq!(got["inputs"][side]["bom"], bom, "{name}");
        assert_eq!(twin["inputs"][side]["encoding"], "UTF-8");
    }
    assert_eq!(got["inputs"]["a"]["length"], bytes[0].len());
    assert_eq!(got["inputs"]["b"]["length"], bytes[1].len());
    for key in ["relation", "score", "coverage", "direction"] {
        assert_eq!(got[key], twin[key], "{name}: {key}");
    }
    assert_eq!(got["relation"], "near-duplicate", "{name}");

    let (gs, ts) = (spans(&got), spans(&twin));
    assert_eq!(gs.len(), ts.len(), "{name}: same number of spans");
    assert!(
        gs.len() >= 6,
        "{name}: alignments, passages and changes: {gs:?}"
    );
    let twins = [source, copy];
    for ((side, g), (tside, t)) in gs.into_iter().zip(ts) {
        assert_eq!(side, tside);
        let want = &twins[side][t.0..t.1];
        assert_eq!(
            decode_slice(&bytes[side], g, enc),
            want,
            "{name}: span {g:?} vs {t:?}"
        );
    }
}

#[test]
fn windows_1252_with_curly_quotes_and_accents() {
    assert_same_as_twin(EN_SOURCE, EN_COPY, WINDOWS_1252, false, "windows-1252");
}

#[test]
fn windows_1251_russian() {
    assert_same_as_twin(RU_SOURCE, RU_COPY, WINDOWS_1251, false, "windows-1251");
}

#[test]
fn koi8_r_russian() {
    let (source, copy) = (koi8_safe(RU_SOURCE), koi8_safe(RU_COPY));
    assert_same_as_twin(&source, &copy, KOI8_R, false, "KOI8-R");
}

#[test]
fn utf16_with_byte_order_mark() {
    assert_same_as_twin(RU_SOURCE, RU_COPY, UTF_16LE, true, "UTF-16LE");
    assert_same_as_twin(EN_SOURCE, EN_COPY, UTF_16BE, true, "UTF-16BE");
}

#[test]
fn utf8_with_byte_order_mark_shifts_spans_by_three() {
    assert_same_as_twin(EN_SOURCE, EN_COPY, UTF_8, true, "UTF-8");
    // Directly: the first alignment starts at byte 3, after the mark.
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", &encode(EN_SOURCE, UTF_8, true));
    let b = write(dir.path(), "b.txt", EN_SOURCE.as_bytes());
    let v = json_of(&run(&["compare", s(&a), s(&b), "--json"]));
    let first = &v["alignments"][0];
    assert_eq!(span(&first["a"]).0, 3, "{first}");
    assert_eq!(span(&first["b"]).0, 0, "{first}");
}

#[test]
fn standard_input_is_decoded_too() {
    let dir = tempfile::tempdir().unwrap();
    let b = write(dir.path(), "b.txt", EN_COPY.as_bytes());
    let a_bytes = encode(EN_SOURCE, WINDOWS_1252, false);
    let o = run_with_stdin(&["compare", "-", s(&b), "--json"], Some(&a_bytes));
    let v = json_of(&o);
    assert_eq!(v["inputs"]["a"]["label"], "<stdin>");
    assert_eq!(v["inputs"]["a"]["encoding"], "windows-1252");
    assert_eq!(v["relation"], "near-duplicate");
    let (start, end) = span(&v["alignments"][0]["a"]);
    assert!(decode_slice(&a_bytes, (start, end), WINDOWS_1252).starts_with("“Floods cut off"));
}

#[test]
fn terminal_header_names_a_legacy_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", &encode(RU_SOURCE, WINDOWS_1251, false));
    let b = write(dir.path(), "b.txt", RU_COPY.as_bytes());
    let o = run(&["compare", s(&a), s(&b), "--color", "never"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    let header: Vec<&str> = out.lines().take(2).collect();
    assert!(header[0].contains("windows-1251"), "{header:?}");
    assert!(
        !header[1].contains("UTF-8"),
        "plain UTF-8 is not announced: {header:?}"
    );
    // The view shows decoded text.
    assert!(out.contains("Мэр Иван Петров"), "{out}");
}

#[test]
fn encoding_flag_forces_one() {
    let dir = tempfile::tempdir().unwrap();
    // Two Russian files in two encodings: each is detected on its own.
    let a = write(
        dir.path(),
        "a.txt",
        &encode(&koi8_safe(RU_SOURCE), KOI8_R, false),
    );
    let b = write(
        dir.path(),
        "b.txt",
        &encode(&koi8_safe(RU_COPY), WINDOWS_1251, false),
    );
    let v = json_of(&run(&["compare", s(&a), s(&b), "--json"]));
    assert_eq!(v["inputs"]["a"]["encoding"], "KOI8-R");
    assert_eq!(v["inputs"]["b"]["encoding"], "windows-1251");
    assert_eq!(v["relation"], "near-duplicate");
    // Forced, both are read in the label's encoding: one of them becomes mojibake that no
    // longer matches the other's words.
    for (label, name) in [("koi8-r", "KOI8-R"), ("cp1251", "windows-1251")] {
        let v = json_of(&run(&[
            "compare",
            s(&a),
            s(&b),
            "--json",
            "--encoding",
            label,
        ]));
        assert_eq!(v["inputs"]["a"]["encoding"], name);
        assert_eq!(v["inputs"]["b"]["encoding"], name);
        assert_eq!(v["relation"], "unrelated", "{label}");
    }
    // An unknown label is an error naming it.
    let o = run(&["compare", s(&a), s(&b), "--encoding", "martian-7"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("martian-7"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn binary_input_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.txt", EN_SOURCE.as_bytes());
    let png = write(
        dir.path(),
        "picture.png",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06",
    );
    let gz = write(
        dir.path(),
        "text.txt.gz",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcb\x48\xcd\xc9\xc9\x07\x00\x86\xa6\x10\x36",
    );
    for (bad, offset) in [(&png, 8), (&gz, 3)] {
        for args in [
            vec!["compare", s(&good), s(bad), "--json"],
            vec!["compare", s(bad), s(&good), "--encoding", "windows-1252"],
        ] {
            let o = run(&args);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{err}");
            assert!(err.contains(s(bad)), "names the file: {err}");
            assert!(
                err.contains(&format!("binary input (NUL byte at byte offset {offset})")),
                "{err}"
            );
            assert!(o.stdout.is_empty());
        }
    }
}

fn jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Scans `files` (name, bytes) in a folder; returns pairs.jsonl, skipped.jsonl and the exit code.
fn scan(files: &[(&str, Vec<u8>)], extra: &[&str]) -> (Vec<Value>, Vec<Value>, Option<i32>) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for (name, bytes) in files {
        write(&corpus, name, bytes);
    }
    let out = dir.path().join("out");
    let mut args = vec!["scan", s(&corpus), "--out", s(&out), "--quiet"];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert!(matches!(o.status.code(), Some(0 | 3)), "{}", stderr(&o));
    (
        jsonl(&out.join("pairs.jsonl")),
        jsonl(&out.join("skipped.jsonl")),
        o.status.code(),
    )
}

#[test]
fn scan_reads_legacy_text_files_and_maps_their_spans() {
    let ru_copy = koi8_safe(RU_COPY);
    let koi = encode(&ru_copy, KOI8_R, false);
    let (pairs, skipped, code) = scan(
        &[
            ("a.txt", RU_SOURCE.as_bytes().to_vec()),
            ("b.txt", koi.clone()),
            ("c.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec()),
        ],
        &[],
    );
    let (twin, _, _) = scan(
        &[
            ("a.txt", RU_SOURCE.as_bytes().to_vec()),
            ("b.txt", ru_copy.as_bytes().to_vec()),
        ],
        &[],
    );
    // The PNG is skipped as binary, named (exit code 3: something skipped); KOI8-R is read.
    assert_eq!(code, Some(3));
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(skipped[0]["file"].as_str().unwrap().ends_with("c.png"));
    assert!(skipped[0]["reason"].as_str().unwrap().starts_with("binary"));
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    assert_eq!(twin.len(), 1);
    let (p, t) = (&pairs[0], &twin[0]);
    assert_eq!(
        (p["a_id"].as_str(), p["b_id"].as_str()),
        (Some("a.txt"), Some("b.txt"))
    );
    assert_eq!(p["encoding"], serde_json::json!({"b": "KOI8-R"}));
    assert!(
        t.get("encoding").is_none(),
        "plain UTF-8 pairs say nothing: {t}"
    );
    assert_eq!(p["relation"], t["relation"]);
    let bytes = [RU_SOURCE.as_bytes().to_vec(), koi.clone()];
    let encs = [UTF_8, KOI8_R];
    let twins = [RU_SOURCE, ru_copy.as_str()];
    let (ps, ts) = (spans(p), spans(t));
    assert_eq!(ps.len(), ts.len());
    assert!(!ps.is_empty());
    for ((side, g), (_, tw)) in ps.into_iter().zip(ts) {
        assert_eq!(
            decode_slice(&bytes[side], g, encs[side]),
            &twins[side][tw.0..tw.1]
        );
    }

    // Forced: the same file read as Windows-1251 is mojibake, no longer a copy of a.txt.
    let (pairs, _, _) = scan(
        &[
            ("a.txt", RU_SOURCE.as_bytes().to_vec()),
            ("b.txt", koi.clone()),
        ],
        &["--encoding", "windows-1251"],
    );
    assert!(pairs.is_empty(), "{pairs:?}");
}
