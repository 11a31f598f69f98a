use std::io::Write;
use std::path::Path;

use super::*;

fn read_all(inputs: &[&Path], opts: CorpusOptions) -> (Vec<Record>, Vec<Skipped>) {
    Corpus::read_all(inputs, opts).expect("open")
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(path, bytes).unwrap();
}

const JSONL: &str = concat!(
    r#"{"id":"a","text":"First story about a harbour.","date":"2020-01-01","source":"Wire"}"#,
    "\n",
    r#"{"id":7,"text":"Second story, numeric id.","extra":{"deep":[1,2,{"x":null}]}}"#,
    "\n",
    "\n",
    r#"{"text":"Third story without id."}"#,
    "\r\n",
);

#[test]
fn jsonl_fields_ids_and_blank_lines() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.jsonl");
    write(&p, JSONL.as_bytes());
    let (recs, skips) = read_all(&[&p], CorpusOptions::default());
    assert!(skips.is_empty(), "{skips:?}");
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[0].id, "a");
    assert_eq!(recs[0].date.as_deref(), Some("2020-01-01"));
    assert_eq!(recs[0].source.as_deref(), Some("Wire"));
    assert_eq!(recs[0].origin.line, 1);
    assert_eq!(recs[1].id, "7");
    assert_eq!(recs[1].date, None);
    assert_eq!(recs[2].id, format!("{}:4", p.display()));
    assert_eq!(recs[2].text, "Third story without id.");
    assert!(recs.iter().all(|r| r.raw.is_none()));
}

#[test]
fn byte_order_mark_on_first_jsonl_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bom.jsonl");
    write(&p, b"\xef\xbb\xbf{\"id\":\"b1\",\"text\":\"With a BOM.\"}\n{\"id\":\"b2\",\"text\":\"Second.\"}\n");
    let (recs, skips) = read_all(&[&p], CorpusOptions::default());
    assert!(skips.is_empty(), "{skips:?}");
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].id, "b1");
}

#[test]
fn configurable_field_names_and_raw() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.ndjson");
    write(
        &p,
        br#"{"doc":"x1","body":"Hello there world.","when":"2021","outlet":"Paper","id":"ignored"}"#,
    );
    let opts = CorpusOptions {
        id_field: "doc".into(),
        text_field: "body".into(),
        date_field: "when".into(),
        source_field: "outlet".into(),
        keep_raw: true,
        ..Default::default()
    };
    let (recs, skips) = read_all(&[&p], opts);
    assert!(skips.is_empty());
    assert_eq!(recs[0].id, "x1");
    assert_eq!(recs[0].text, "Hello there world.");
    assert_eq!(recs[0].date.as_deref(), Some("2021"));
    assert_eq!(recs[0].source.as_deref(), Some("Paper"));
    assert!(recs[0].raw.as_deref().unwrap().contains("\"outlet\""));
}

#[test]
fn the_title_field_is_read_apart_and_can_be_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("t.jsonl");
    write(
        &p,
        b"{\"id\":\"a\",\"title\":\"HARBOUR DREDGING APPROVED\",\"text\":\"The plan passed.\"}\n{\"id\":\"b\",\"title\":\"  \",\"text\":\"No headline.\"}\n{\"id\":\"c\",\"headline\":\"Other field\",\"text\":\"Plain.\"}\n",
    );
    let (recs, skips) = read_all(&[&p], CorpusOptions::default());
    assert!(skips.is_empty());
    assert_eq!(recs[0].title.as_deref(), Some("HARBOUR DREDGING APPROVED"));
    assert_eq!(recs[0].text, "The plan passed.");
    assert_eq!(recs[1].title, None, "a blank headline is no headline");
    assert_eq!(recs[2].title, None);
    let opts = CorpusOptions {
        title_field: "headline".into(),
        ..Default::default()
    };
    let (recs, _) = read_all(&[&p], opts);
    assert_eq!(recs[0].title, None);
    assert_eq!(recs[2].title.as_deref(), Some("Other field"));
    let opts = CorpusOptions {
        title_field: String::new(),
        ..Default::default()
    };
    let (recs, _) = read_all(&[&p], opts);
    assert!(recs.iter().all(|r| r.title.is_none()));
}

#[test]
fn bad_jsonl_lines_are_skipped_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.jsonl");
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"{\"id\":\"ok\",\"text\":\"Fine text here.\"}\n"); // 1
    bytes.extend_from_slice(b"{\"id\":\"broken\",\"text\":\"unterminated}\n"); // 2
    bytes.extend_from_slice(b"{\"id\":\"nt\"}\n"); // 3
    bytes.extend_from_slice(b"{\"id\":\"num\",\"text\":42}\n"); // 4
    bytes.extend_from_slice(b"{\"id\":\"e\",\"text\":\"   \"}\n"); // 5
    bytes.extend_from_slice(b"{\"id\":\"bin\",\"text\":\"ab\\u0000cd\"}\n"); // 6
    bytes.extend_from_slice(b"{\"id\":\"u\",\"text\":\"caf\xe9\"}\n"); // 7
    bytes.extend_from_slice(b"[1,2,3]\n"); // 8
    bytes.extend_from_slice(b"{\"id\":\"big\",\"text\":\""); // 9
    bytes.extend(std::iter::repeat_n(b'a', 500));
    bytes.extend_from_slice(b"\"}\n");
    bytes.extend_from_slice(b"{\"id\":\"null\",\"text\":null}\n"); // 10
    bytes.extend_from_slice(b"{\"id\":\"last\",\"text\":\"Also fine.\"}"); // 11, no newline
    write(&p, &bytes);
    let opts = CorpusOptions {
        max_bytes: 200,
        ..Default::default()
    };
    let (recs, skips) = read_all(&[&p], opts);
    let ids: Vec<_> = recs.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["ok", "last"]);
    assert_eq!(recs[1].origin.line, 11);
    let lines: Vec<u64> = skips.iter().map(|s| s.line).collect();
    assert_eq!(lines, [2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert!(matches!(skips[0].reason, SkipReason::MalformedJson { .. }));
    assert!(matches!(skips[1].reason, SkipReason::MissingText { .. }));
    assert!(
        matches!(&skips[2].reason, SkipReason::TextNotString { found, .. } if found == "number")
    );
    assert_eq!(skips[3].reason, SkipReason::Empty);
    assert!(matches!(skips[4].reason, SkipReason::Binary { .. }));
    assert!(matches!(skips[5].reason, SkipReason::InvalidUtf8 { .. }));
    assert!(matches!(skips[6].reason, SkipReason::MalformedJson { .. }));
    assert!(matches!(skips[7].reason, SkipReason::TooLarge { max: 200, bytes } if bytes > 200));
    assert!(matches!(skips[8].reason, SkipReason::MissingText { .. }));
    // Reports name file and line.
    let shown = skips[0].to_string();
    assert!(shown.contains("bad.jsonl:2: malformed JSON"), "{shown}");
}

#[test]
fn folder_of_text_files_recursive_sorted_hidden_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    write(&root.join("b.txt"), b"Beta text.");
    write(&root.join("a.md"), b"# Alpha\n\nText.");
    write(&root.join("sub/c"), b"Gamma without extension.");
    write(&root.join(".hidden.txt"), b"never read");
    write(&root.join(".git/config"), b"never read");
    write(&root.join("sub/empty.txt"), b"  \n");
    write(&root.join("sub/bin.dat"), b"\x00\x01\x02\x03binary");
    write(&root.join("sub/latin1.txt"), b"caf\xe9 au lait");
    write(
        &root.join("sub/docs.jsonl"),
        b"{\"id\":\"j1\",\"text\":\"From JSONL.\"}\n",
    );
    let (recs, skips) = read_all(&[&root], CorpusOptions::default());
    let ids: Vec<_> = recs.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["a.md", "b.txt", "sub/c", "j1", "sub/latin1.txt"]);
    assert_eq!(recs[0].text, "# Alpha\n\nText.");
    assert_eq!(recs[0].origin.line, 0);
    assert_eq!(recs[0].decoded, None);
    // A legacy-encoded text file is decoded, and says how.
    assert_eq!(recs[4].text, "café au lait");
    let dec = recs[4].decoded.as_ref().expect("decoded from windows-1252");
    assert_eq!(dec.describe(), "windows-1252");
    assert_eq!(dec.offsets.to_original("café".len()), 4);
    let reasons: Vec<_> = skips
        .iter()
        .map(|s| {
            (
                s.file.rsplit('/').next().unwrap().to_owned(),
                s.reason.clone(),
            )
        })
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(matches!(reasons[0], (ref f, SkipReason::Binary { .. }) if f == "bin.dat"));
    assert!(matches!(reasons[1], (ref f, SkipReason::Empty) if f == "empty.txt"));
}

#[test]
fn single_text_file_and_too_large_text() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("one.txt");
    write(
        &p,
        "Just one document, with {braces} and unicode: naïve.".as_bytes(),
    );
    let (recs, skips) = read_all(&[&p], CorpusOptions::default());
    assert!(skips.is_empty());
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0].id, p.display().to_string());
    let big = dir.path().join("big.txt");
    write(&big, &vec![b'x'; 1000]);
    let (recs, skips) = read_all(
        &[&big],
        CorpusOptions {
            max_bytes: 999,
            ..Default::default()
        },
    );
    assert!(recs.is_empty());
    assert!(matches!(
        skips[0].reason,
        SkipReason::TooLarge { max: 999, .. }
    ));
}

#[test]
fn gzip_and_zstd_compressed_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("c.jsonl.gz");
    {
        let f = std::fs::File::create(&gz).unwrap();
        let mut e = flate2::write::GzEncoder::new(f, flate2::Compression::default());
        e.write_all(JSONL.as_bytes()).unwrap();
        e.finish().unwrap();
    }
    let zst = dir.path().join("c.jsonl.zst");
    std::fs::write(&zst, zstd::encode_all(JSONL.as_bytes(), 3).unwrap()).unwrap();
    let txt_zst = dir.path().join("doc.txt.zst");
    std::fs::write(
        &txt_zst,
        zstd::encode_all(&b"A compressed text document."[..], 3).unwrap(),
    )
    .unwrap();
    let (recs, skips) = read_all(&[&gz, &zst, &txt_zst], CorpusOptions::default());
    assert!(skips.is_empty(), "{skips:?}");
    let ids: Vec<_> = recs.iter().map(|r| r.id.clone()).collect();
    assert_eq!(ids[..2], ["a", "7"]);
    assert_eq!(ids[3..5], ["a", "7"]);
    assert_eq!(recs.len(), 7);
    assert_eq!(recs[6].text, "A compressed text document.");
}

#[test]
fn truncated_gzip_is_a_read_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("t.jsonl.gz");
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..2000 {
        writeln!(
            e,
            "{{\"id\":\"d{i}\",\"text\":\"document number {i} with some words\"}}"
        )
        .unwrap();
    }
    let bytes = e.finish().unwrap();
    write(&gz, &bytes[..bytes.len() / 2]);
    let other = dir.path().join("after.txt");
    write(&other, b"Next input still read.");
    let (recs, skips) = read_all(&[&gz, &other], CorpusOptions::default());
    assert_eq!(skips.len(), 1, "{skips:?}");
    assert!(matches!(skips[0].reason, SkipReason::ReadError { .. }));
    assert!(recs.len() > 1 && recs.len() < 2001);
    assert_eq!(recs.last().unwrap().text, "Next input still read.");
}

#[test]
fn sniffing_unknown_extension_and_from_reader() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("data.dump");
    write(&p, JSONL.as_bytes());
    let (recs, _) = read_all(&[&p], CorpusOptions::default());
    assert_eq!(recs.len(), 3);
    // Forcing text reads it as one document.
    let (recs, _) = read_all(
        &[&p],
        CorpusOptions {
            format: Some(Format::Text),
            ..Default::default()
        },
    );
    assert_eq!(recs.len(), 1);
    // A reader (like stdin): gzip JSONL detected by magic and by first byte.
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(JSONL.as_bytes()).unwrap();
    let gz = e.finish().unwrap();
    let recs: Vec<_> =
        Corpus::from_reader("-", std::io::Cursor::new(gz), CorpusOptions::default()).collect();
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[2].as_ref().unwrap().id, "-:4");
    let recs: Vec<_> = Corpus::from_reader(
        "-",
        std::io::Cursor::new(b"plain text on stdin".to_vec()),
        CorpusOptions::default(),
    )
    .collect();
    assert_eq!(recs[0].as_ref().unwrap().id, "-");
}

#[test]
fn missing_input_is_an_error_naming_it() {
    let err = match Corpus::open(&["/nonexistent/stemma/x.jsonl"], CorpusOptions::default()) {
        Err(e) => e,
        Ok(_) => panic!("opened a missing file"),
    };
    assert!(
        err.to_string().contains("/nonexistent/stemma/x.jsonl"),
        "{err}"
    );
    assert!(matches!(
        Corpus::open::<&str>(&[], CorpusOptions::default()),
        Err(CorpusError::NoInput)
    ));
    assert!(matches!(
        Corpus::open(&["-", "-"], CorpusOptions::default()),
        Err(CorpusError::StdinTwice)
    ));
}

#[test]
fn check_text_rules() {
    assert_eq!(check_text(""), Some(SkipReason::Empty));
    assert_eq!(check_text(" \n\t"), Some(SkipReason::Empty));
    assert_eq!(check_text("normal text\twith tabs\r\n"), None);
    assert!(matches!(
        check_text("a\u{1}b\u{2}c"),
        Some(SkipReason::Binary { control: 2, .. })
    ));
    assert!(matches!(
        check_text("text\u{0}"),
        Some(SkipReason::Binary { .. })
    ));
    assert!(matches!(
        check_text("x\u{85}y"),
        Some(SkipReason::Binary {
            control: 1,
            total: 3
        })
    ));
    assert_eq!(check_text("mostly text with one \u{7} bell in it"), None);
}

#[test]
fn text_files_in_other_encodings_are_decoded_or_skipped_with_the_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    // UTF-16LE with BOM, UTF-8 with BOM, KOI8-R ("Привет, мир" and more).
    let text = "Мэр Петров заявил, что дома были эвакуированы после наводнения.";
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    write(&root.join("a16.txt"), &utf16);
    let mut bom8 = b"\xef\xbb\xbf".to_vec();
    bom8.extend_from_slice(text.as_bytes());
    write(&root.join("b8.txt"), &bom8);
    let (koi, _, _) = encoding_rs::KOI8_R.encode(text);
    write(&root.join("c.txt"), &koi);
    let (recs, skips) = read_all(&[&root], CorpusOptions::default());
    assert!(skips.is_empty(), "{skips:?}");
    let got: Vec<(String, String)> = recs
        .iter()
        .map(|r| (r.text.clone(), r.decoded.as_ref().unwrap().describe()))
        .collect();
    assert_eq!(
        got,
        [
            (text.to_string(), "UTF-16LE (BOM)".to_string()),
            (text.to_string(), "UTF-8 (BOM)".to_string()),
            (text.to_string(), "KOI8-R".to_string()),
        ]
    );
    // The BOM shifts UTF-8 offsets by 3.
    assert_eq!(recs[1].decoded.as_ref().unwrap().offsets.to_original(0), 3);

    // Forced: every text file without a byte order mark is read in that encoding (a BOM still
    // decides); bytes that do not decode in it make a skip naming the encoding and offset.
    let opts = CorpusOptions {
        encoding: Some(encoding_rs::UTF_8),
        ..CorpusOptions::default()
    };
    let (recs, skips) = read_all(&[&root], opts);
    assert_eq!(recs.len(), 2, "UTF-16 (its own BOM) and UTF-8 read");
    assert_eq!(skips.len(), 1);
    assert_eq!(
        skips[0].reason,
        SkipReason::Undecodable {
            encoding: "UTF-8".into(),
            offset: 0
        }
    );
    assert!(
        skips[0].to_string().contains("c.txt: not valid UTF-8"),
        "{}",
        skips[0]
    );
}
