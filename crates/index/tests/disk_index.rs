//! The library contract of `DiskIndex`: reopening answers as an index that never closed,
//! errors name what is wrong (duplicate ids, other options, damaged partitions), `check`
//! changes nothing.

use std::path::Path;
use stemma_index::{DiskIndex, IndexError};
use stemma_scan::{InputDoc, ScanOptions};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The sample news (dated) and some labelled fixture documents (given dates), in date order.
fn corpus() -> Vec<InputDoc> {
    let mut docs = Vec::new();
    let news = std::fs::read_to_string(root().join("samples/corpus/news.jsonl")).unwrap();
    for line in news.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        docs.push(InputDoc {
            id: v["id"].as_str().unwrap().to_string(),
            text: v["text"].as_str().unwrap().to_string(),
            date: v["date"].as_str().and_then(stemma_scan::date::parse_date),
            source: v["source"].as_str().map(String::from),
            decoding: None,
        });
    }
    let mut names: Vec<_> = std::fs::read_dir(root().join("fixtures/eval/docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_str().unwrap();
            n.starts_with("en0") || n.starts_with("de01")
        })
        .collect();
    names.sort();
    for (i, p) in names.iter().enumerate() {
        let name = p.file_stem().unwrap().to_str().unwrap().to_string();
        let rank = if name.ends_with("_orig") { 0 } else { 1 };
        docs.push(InputDoc {
            id: name,
            text: std::fs::read_to_string(p).unwrap(),
            date: Some(1_700_000_000 + rank * 86_400 + (i as i64 % 5) * 3_600),
            source: None,
            decoding: None,
        });
    }
    docs.sort_by_key(|d| (stemma_scan::date::date_key(d.date), d.id.clone()));
    docs
}

#[test]
fn a_reopened_index_answers_as_one_that_never_closed() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = corpus();
    let (first, rest) = docs.split_at(docs.len() / 2);
    let mut open = DiskIndex::open(tmp.path().join("a"), ScanOptions::default()).unwrap();
    open.add(first.to_vec()).unwrap();
    {
        let mut ix = DiskIndex::open(tmp.path().join("b"), ScanOptions::default()).unwrap();
        ix.add(first.to_vec()).unwrap();
    }
    let mut reopened = DiskIndex::open_existing(tmp.path().join("b")).unwrap();
    assert_eq!(reopened.docs(), open.docs());
    assert_eq!(reopened.pairs(), open.pairs());
    // What is checked, then added, is answered alike by both, one document at a time.
    for d in rest {
        let c = reopened.check(d.clone()).unwrap();
        assert_eq!(c, open.check(d.clone()).unwrap());
        let a = reopened.add([d.clone()]).unwrap();
        assert_eq!(a, open.add([d.clone()]).unwrap());
        assert_eq!(a[0], c, "{}", d.id);
    }
    assert!(reopened.pairs().len() >= 10, "{}", reopened.pairs().len());
    assert_eq!(reopened.families(), open.families());
    let s = reopened.stats();
    assert_eq!(s.documents, docs.len());
    assert_eq!(s.pairs, reopened.pairs().len());
    assert!(s.disk_bytes > 0);
    // Lookups.
    let orig = reopened.doc_id("en01_orig").unwrap();
    let rel = reopened.relations(orig);
    assert!(!rel.is_empty());
    assert!(rel.iter().all(|p| p.a == orig || p.b == orig));
    let (ta, _, cmp) = reopened.compare_pair(rel[0].a, rel[0].b).unwrap();
    assert_eq!(cmp.relation, rel[0].comparison.relation);
    assert_eq!(ta, reopened.text(rel[0].a).unwrap());
}

#[test]
fn duplicate_ids_fail_the_batch_and_name_the_id() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = corpus();
    let mut ix = DiskIndex::open(tmp.path(), ScanOptions::default()).unwrap();
    ix.add(docs[..3].to_vec()).unwrap();
    let err = ix.add(docs[2..5].to_vec()).unwrap_err();
    assert!(
        matches!(&err, IndexError::DuplicateId { id, in_batch: false } if *id == docs[2].id),
        "{err}"
    );
    let twice = vec![docs[5].clone(), docs[6].clone(), docs[5].clone()];
    let err = ix.add(twice).unwrap_err();
    assert!(err.to_string().contains(&docs[5].id), "{err}");
    assert_eq!(ix.docs().len(), 3);
    // The index still takes good batches, and they survive a reopen.
    ix.add(docs[3..6].to_vec()).unwrap();
    drop(ix);
    assert_eq!(
        DiskIndex::open_existing(tmp.path()).unwrap().docs().len(),
        6
    );
}

#[test]
fn options_are_fixed_at_creation() {
    let tmp = tempfile::tempdir().unwrap();
    let mut opts = ScanOptions::default();
    opts.candidates.max_candidates = 4;
    DiskIndex::open(tmp.path(), opts.clone())
        .unwrap()
        .add(corpus()[..2].to_vec())
        .unwrap();
    let err = DiskIndex::open(tmp.path(), ScanOptions::default()).unwrap_err();
    assert!(
        err.to_string()
            .contains("max_candidates: stored 4, given 10"),
        "{err}"
    );
    let ix = DiskIndex::open_existing(tmp.path()).unwrap();
    assert_eq!(ix.options().candidates.max_candidates, 4);
    assert_eq!(ix.docs().len(), 2);
    let none = tmp.path().join("nothing");
    assert!(matches!(
        DiskIndex::open_existing(&none),
        Err(IndexError::NotAnIndex { .. })
    ));
}

#[test]
fn damaged_partitions_are_reported_not_dropped() {
    let tmp = tempfile::tempdir().unwrap();
    DiskIndex::open(tmp.path(), ScanOptions::default())
        .unwrap()
        .add(corpus()[..6].to_vec())
        .unwrap();
    // Remove one sketch behind the index's back.
    {
        let ks = fjall::Config::new(tmp.path()).open().unwrap();
        let p = ks
            .open_partition("sketches", fjall::PartitionCreateOptions::default())
            .unwrap();
        p.remove(3u32.to_be_bytes()).unwrap();
        ks.persist(fjall::PersistMode::SyncAll).unwrap();
    }
    let err = DiskIndex::open_existing(tmp.path()).unwrap_err();
    assert!(matches!(err, IndexError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("document 3"), "{err}");
}
