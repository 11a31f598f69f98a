//! One document at a time gives what one batch gives: the pairs of an incremental scan of a
//! corpus in date order equal a batch scan's, and documents added after a query still find the
//! earlier ones.

use std::path::Path;
use stemma_compare::Relation;
use stemma_scan::driver::CollectSink;
use stemma_scan::{DocInfo, InputDoc, Pair, ScanDriver};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .parent()
        .unwrap()
}

/// The sample corpus (dated news) and the labelled fixture documents (undated; given dates
/// spread over days so that sources, copies and unrelated texts interleave), in date order.
fn corpus() -> Vec<InputDoc> {
    let mut docs = Vec::new();
    let news = std::fs::read_to_string(root().join("samples/corpus/news.jsonl")).unwrap();
    for line in news.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        docs.push(InputDoc {
            id: v["id"].as_str().unwrap().to_string(),
            text: v["text"].as_str().unwrap().to_string(),
            date: v["date"].as_str().and_then(stemma_scan::date::parse_date),
            source: None,
            decoding: None,
        });
    }
    let dir = root().join("fixtures/eval/docs");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for (i, p) in names.iter().enumerate() {
        let name = p.file_stem().unwrap().to_str().unwrap().to_string();
        // Originals first, then their copies, a day apart; stories interleaved.
        let rank = if name.ends_with("_orig") { 0 } else { 1 };
        docs.push(InputDoc {
            id: name,
            text: std::fs::read_to_string(p).unwrap(),
            date: Some(1_700_000_000 + rank * 86_400 + (i as i64 % 7) * 3_600),
            source: None,
            decoding: None,
        });
    }
    docs.sort_by_key(|d| (stemma_scan::date::date_key(d.date), d.id.clone()));
    docs
}

type Named = (String, String, Relation, u64);

fn named(docs: &[DocInfo], pairs: &[Pair]) -> Vec<Named> {
    pairs
        .iter()
        .map(|p| {
            (
                docs[p.a as usize].id.clone(),
                docs[p.b as usize].id.clone(),
                p.comparison.relation,
                p.comparison.score.to_bits(),
            )
        })
        .collect()
}

#[test]
fn incremental_in_date_order_equals_batch() {
    let docs = corpus();
    let driver = || ScanDriver::builder().batch_size(7).build().unwrap();
    let mut sink = CollectSink::default();
    let summary = driver()
        .run(docs.iter().cloned().map(Ok), &mut sink)
        .unwrap();
    let batch = named(&sink.docs, &sink.pairs);
    assert!(batch.len() >= 40, "{} pairs", batch.len());
    assert!(summary.families > 0);

    let mut inc = driver().incremental();
    let mut answered = Vec::new();
    for d in docs {
        let id = d.id.clone();
        let got = inc.add(d).unwrap();
        // The answer is the new document's relations to earlier documents.
        assert!(
            got.iter()
                .all(|p| inc.docs()[p.b as usize].id == id && p.a < p.b),
            "{id}"
        );
        answered.extend(got);
    }
    assert_eq!(named(inc.docs(), &answered), batch);
    assert_eq!(named(inc.docs(), inc.pairs()), batch);
    assert_eq!(inc.families(), sink.families);
}

#[test]
fn documents_added_after_a_query_find_the_earlier_ones() {
    let docs = corpus();
    let mut inc = ScanDriver::builder().build().unwrap().incremental();
    let orig = docs.iter().find(|d| d.id == "en01_orig").unwrap().clone();
    let copy = docs.iter().find(|d| d.id == "en01_light").unwrap().clone();
    let other = docs.iter().find(|d| d.id == "n01").unwrap().clone();
    assert!(inc.add(orig).unwrap().is_empty());
    assert!(inc.add(other).unwrap().is_empty());
    assert!(inc.families().is_empty());
    let got = inc.add(copy).unwrap();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(inc.docs()[got[0].a as usize].id, "en01_orig");
    assert!(got[0].comparison.relation.is_derivation());
    assert_eq!(inc.families().len(), 1);
    // An exact copy added later still finds its group.
    let again = InputDoc {
        id: "again".into(),
        ..docs.iter().find(|d| d.id == "en01_orig").unwrap().clone()
    };
    let got = inc.add(again).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].comparison.relation, Relation::Duplicate);
    assert_eq!(inc.families()[0].members.len(), 3);
}

#[test]
fn a_source_added_after_its_copy_is_answered_as_its_source() {
    let docs = corpus();
    let mut inc = ScanDriver::builder().build().unwrap().incremental();
    let mut copy = docs.iter().find(|d| d.id == "en01_light").unwrap().clone();
    let mut orig = docs.iter().find(|d| d.id == "en01_orig").unwrap().clone();
    copy.date = Some(2_000);
    orig.date = Some(1_000);
    assert!(inc.add(copy).unwrap().is_empty());
    // The copy's pool takes the back-dated source; the pair is verified now.
    let got = inc.add(orig).unwrap();
    assert_eq!(got.len(), 1, "{got:?}");
    let f = &inc.families()[0];
    assert_eq!(inc.docs()[f.root as usize].id, "en01_orig");
}

/// The corpus in a fixed scrambled order (not by date: later-dated documents come first
/// often, so pairs are offered to earlier-read documents' pools).
fn scrambled() -> Vec<InputDoc> {
    let mut docs = corpus();
    docs.sort_by_key(|d| xxhash(&d.id));
    docs
}

fn xxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

#[test]
fn check_answers_what_add_would_and_changes_nothing() {
    for (k, docs) in [corpus(), scrambled()].into_iter().enumerate() {
        let driver = || ScanDriver::builder().build().unwrap();
        let mut checked = driver().incremental();
        let mut plain = driver().incremental();
        let mut found = 0;
        let mut back_dated = 0;
        for (i, d) in docs.iter().enumerate() {
            let before = checked.pairs().len();
            let probe = checked.check(d.clone()).unwrap();
            // Checking some other document in between changes nothing either.
            if i % 4 == 0 {
                let other = &docs[(i * 7 + 3) % docs.len()];
                checked.check(other.clone()).unwrap();
            }
            assert_eq!(checked.pairs().len(), before);
            assert_eq!(checked.docs().len(), i);
            let added = checked.add(d.clone()).unwrap();
            assert_eq!(probe, added, "{}", d.id);
            assert_eq!(plain.add(d.clone()).unwrap(), added, "{}", d.id);
            found += added.len();
            back_dated += added
                .iter()
                .filter(|p| {
                    let da = checked.docs()[p.a as usize].date;
                    da.is_some() && d.date.is_some() && da > d.date
                })
                .count();
        }
        assert!(found >= 40, "{found} pairs");
        assert_eq!(checked.pairs(), plain.pairs());
        assert_eq!(checked.docs(), plain.docs());
        assert_eq!(checked.families(), plain.families());
        // The scrambled order exercises pairs offered to earlier-read, later-dated documents.
        if k == 1 {
            assert!(back_dated > 0);
        }
    }
}
