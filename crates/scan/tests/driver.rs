//! The scan driver as front ends use it: its sinks receive every event, the JSON lines it
//! writes parse back into the documented shapes, and a failing sink stops the scan.

use serde_json::Value;
use std::path::Path;
use stemma_scan::driver::{CollectSink, JsonlSink};
use stemma_scan::output::Detail;
use stemma_scan::{InputDoc, Pair, ScanDriver, ScanError, ScanView, Sink, SinkError};

fn sample() -> Vec<InputDoc> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/corpus/news.jsonl");
    std::fs::read_to_string(root)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            InputDoc {
                id: v["id"].as_str().unwrap().to_string(),
                text: v["text"].as_str().unwrap().to_string(),
                date: v["date"].as_str().and_then(stemma_scan::date::parse_date),
                source: v["source"].as_str().map(str::to_string),
                decoding: None,
            }
        })
        .collect()
}

fn lines(bytes: &[u8]) -> Vec<Value> {
    std::str::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The keys of an object, sorted (serde_json's map sorts them).
fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

fn sorted<const N: usize>(mut k: [&str; N]) -> Vec<&str> {
    k.sort_unstable();
    k.to_vec()
}

fn scan(detail: Detail) -> (Vec<Value>, Vec<Value>, usize) {
    let (pairs, families, n, raw) = scan_raw(detail);
    for l in raw.lines() {
        // The pair's own fields come first, then the comparison's, in the documented order.
        assert!(l.starts_with(r#"{"a_id":"#), "{l}");
        let at = |k: &str| l.find(&format!("\"{k}\":")).unwrap_or(usize::MAX);
        assert!(
            at("b_id") < at("signals") && at("signals") < at("relation"),
            "{l}"
        );
        assert!(
            at("relation") < at("score") && at("score") < at("direction"),
            "{l}"
        );
    }
    (pairs, families, n)
}

fn scan_raw(detail: Detail) -> (Vec<Value>, Vec<Value>, usize, String) {
    let mut sink = JsonlSink {
        pairs: Some(Vec::new()),
        families: Some(Vec::new()),
        candidates: None,
        skipped: None,
        detail,
    };
    let summary = ScanDriver::builder()
        .build()
        .unwrap()
        .run(sample().into_iter().map(Ok), &mut sink)
        .unwrap();
    let raw = String::from_utf8(sink.pairs.clone().unwrap()).unwrap();
    (
        lines(sink.pairs.as_deref().unwrap()),
        lines(sink.families.as_deref().unwrap()),
        summary.pairs(),
        raw,
    )
}

#[test]
fn pairs_and_families_lines_have_the_documented_shape() {
    let (full, families, n) = scan(Detail::Full);
    let (compact, families2, _) = scan(Detail::Compact);
    assert!(n >= 4, "{n} pairs");
    assert_eq!((full.len(), compact.len()), (n, n));
    assert_eq!(families, families2);
    for (f, c) in full.iter().zip(&compact) {
        for k in [
            "a_id", "b_id", "signals", "relation", "changes", "dropped", "added",
        ] {
            assert!(f.get(k).is_some(), "{k}: {f}");
        }
        assert!(f.get("alignments").is_some() && f["direction"].get("evidence").is_some());
        assert_eq!(
            keys(c),
            sorted([
                "a_id",
                "b_id",
                "signals",
                "relation",
                "score",
                "direction",
                "coverage",
                "passages",
                "probability",
                "verdict"
            ])
        );
        // The compact form names the verdict model as the full form does.
        assert_eq!(keys(&c["verdict"]), sorted(["model"]));
        assert_eq!(c["verdict"]["model"], f["verdict"]["model"]);
        for k in [
            "a_id",
            "b_id",
            "relation",
            "score",
            "probability",
            "coverage",
            "passages",
        ] {
            assert_eq!(f[k], c[k], "{k}");
        }
        assert_eq!(f["direction"]["source"], c["direction"]["source"]);
        assert_eq!(keys(&c["direction"]), sorted(["source", "confidence"]));
    }
    // Families are trees: every member but the root is the copy of exactly one edge.
    assert!(!families.is_empty());
    for (i, f) in families.iter().enumerate() {
        assert_eq!(f["id"], i + 1);
        let members: Vec<&str> = f["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap())
            .collect();
        assert_eq!(members[0], f["root"].as_str().unwrap());
        let mut copies: Vec<&str> = f["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["copy"].as_str().unwrap())
            .collect();
        copies.sort_unstable();
        let mut rest = members[1..].to_vec();
        rest.sort_unstable();
        assert_eq!(copies, rest, "{f}");
        for l in f["links"].as_array().unwrap() {
            assert!(members.contains(&l["doc"].as_str().unwrap()), "{l}");
        }
    }
}

#[test]
fn a_failing_sink_stops_the_scan_with_its_error() {
    struct Failing(usize);
    impl Sink for Failing {
        fn pair(&mut self, _: &dyn ScanView, _: &Pair) -> Result<(), SinkError> {
            self.0 += 1;
            Err("disk full".into())
        }
    }
    let mut sink = Failing(0);
    let r = ScanDriver::builder()
        .build()
        .unwrap()
        .run(sample().into_iter().map(Ok), &mut sink);
    assert!(
        matches!(&r, Err(ScanError::Sink(e)) if e.to_string() == "disk full"),
        "{r:?}"
    );
    assert_eq!(sink.0, 1);
}

#[test]
fn skipped_records_reach_the_sink_and_the_summary() {
    let bad = stemma_corpus::Skipped {
        file: "x.jsonl".into(),
        line: 3,
        reason: stemma_corpus::SkipReason::Empty,
    };
    let docs = sample()
        .into_iter()
        .map(Ok)
        .chain(std::iter::once(Err(bad.clone())));
    let mut sink = CollectSink::default();
    let summary = ScanDriver::builder()
        .verify(false)
        .build()
        .unwrap()
        .run(docs, &mut sink)
        .unwrap();
    assert_eq!(sink.skipped, vec![bad]);
    assert_eq!(summary.skipped, 1);
    assert!(!summary.verified && sink.pairs.is_empty());
    assert!(summary.candidates.pairs > 0);
    assert_eq!(sink.docs.len(), summary.documents);
}

/// `text` as UTF-16LE with a byte order mark.
fn utf16le_bom(text: &str) -> Vec<u8> {
    let mut b = vec![0xFF, 0xFE];
    b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    b
}

/// Spans of `passages` and `alignments` (when present) of a pair line, as (side, start, end).
fn side_spans(line: &Value) -> Vec<(usize, u64, u64)> {
    let mut out = Vec::new();
    for k in ["passages", "alignments"] {
        for p in line.get(k).and_then(Value::as_array).into_iter().flatten() {
            for (side, s) in ["a", "b"].into_iter().enumerate() {
                let sp = p[s].as_array().unwrap();
                out.push((side, sp[0].as_u64().unwrap(), sp[1].as_u64().unwrap()));
            }
        }
    }
    out
}

#[test]
fn decoded_documents_get_spans_in_their_original_bytes() {
    // Every other document arrives as UTF-16LE with a BOM, decoded as the corpus reader does.
    let plain = sample();
    let decoded: Vec<InputDoc> = plain
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mut d = d.clone();
            if i % 2 == 0 {
                let dec = stemma_corpus::decode::decode(&utf16le_bom(&d.text), None).unwrap();
                assert_eq!(dec.text, d.text);
                d.decoding = Some(stemma_scan::Decoding {
                    encoding: dec.encoding,
                    bom: dec.bom,
                    offsets: dec.offsets,
                });
            }
            d
        })
        .collect();
    let is_decoded = |id: &str| plain.iter().position(|d| d.id == id).unwrap() % 2 == 0;
    let text = |id: &str| plain.iter().find(|d| d.id == id).unwrap().text.clone();
    for detail in [Detail::Full, Detail::Compact] {
        let run = |docs: Vec<InputDoc>| {
            let mut sink = JsonlSink::new(Vec::new());
            sink.detail = detail;
            ScanDriver::builder()
                .build()
                .unwrap()
                .run(docs.into_iter().map(Ok), &mut sink)
                .unwrap();
            lines(sink.pairs.as_deref().unwrap())
        };
        let (want, got) = (run(plain.clone()), run(decoded.clone()));
        assert_eq!(want.len(), got.len());
        let mut mapped = 0;
        for (w, g) in want.iter().zip(&got) {
            assert_eq!((&w["a_id"], &w["b_id"]), (&g["a_id"], &g["b_id"]));
            assert_eq!((&w["relation"], &w["score"]), (&g["relation"], &g["score"]));
            assert!(w.get("encoding").is_none(), "{w}");
            let ids = [g["a_id"].as_str().unwrap(), g["b_id"].as_str().unwrap()];
            let sides: Vec<bool> = ids.iter().map(|id| is_decoded(id)).collect();
            let mut enc = serde_json::Map::new();
            for (k, &dec) in ["a", "b"].iter().zip(&sides) {
                if dec {
                    enc.insert(k.to_string(), "UTF-16LE (BOM)".into());
                }
            }
            if enc.is_empty() {
                assert!(g.get("encoding").is_none(), "{g}");
            } else {
                assert_eq!(g["encoding"], Value::Object(enc), "{g}");
            }
            let (ws, gs) = (side_spans(w), side_spans(g));
            assert_eq!(ws.len(), gs.len());
            for ((side, s, e), (_, gs_, ge)) in ws.into_iter().zip(gs) {
                let t = text(ids[side]);
                let orig = |x: u64| {
                    if sides[side] {
                        2 + 2 * t[..x as usize].encode_utf16().count() as u64
                    } else {
                        x
                    }
                };
                assert_eq!((gs_, ge), (orig(s), orig(e)), "{detail:?} {g}");
                mapped += usize::from(sides[side]);
            }
        }
        assert!(mapped > 0, "no decoded side in any pair ({detail:?})");
    }
}
