//! The semantic second pass of verification (`stemma_scan::semantic`): it leaves the lexical
//! result alone when it selects nothing, embeds each document once however many pairs use it,
//! keeps to its budget, and — with the real model — finds a deep paraphrase that lexical
//! verification rejects. Texts are the sample corpus and the self-made set (invented).

use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use stemma_align::SentenceEmbedder;
use stemma_scan::driver::CollectSink;
use stemma_scan::semantic::SemanticPass;
use stemma_scan::{InputDoc, ScanDriver, ScanSummary};

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

/// A toy encoder (a bag of word initials) that counts how often it saw each sentence.
#[derive(Default)]
struct Counting {
    seen: Mutex<HashMap<String, usize>>,
}

impl SentenceEmbedder for Counting {
    fn embed(&self, sentences: &[&str]) -> Vec<Vec<f32>> {
        let mut seen = self.seen.lock().unwrap();
        sentences
            .iter()
            .map(|s| {
                *seen.entry(s.to_string()).or_default() += 1;
                let mut v = vec![0f32; 27];
                for w in s.split_whitespace() {
                    let c = w.chars().next().unwrap_or(' ').to_ascii_lowercase();
                    let i = if c.is_ascii_lowercase() {
                        (c as u8 - b'a') as usize
                    } else {
                        26
                    };
                    v[i] += 1.0;
                }
                let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
                v.iter_mut().for_each(|x| *x /= n);
                v
            })
            .collect()
    }
    fn name(&self) -> &str {
        "counting"
    }
}

type Found = Vec<(String, String, String, String)>;

/// Scans the sample corpus; pairs as (a, b, relation, verdict model).
fn scan(pass: Option<SemanticPass>, docs: Vec<InputDoc>) -> (Found, ScanSummary) {
    let driver = ScanDriver::builder()
        .semantic(pass)
        .verify_chunk(3)
        .build()
        .unwrap();
    let mut sink = CollectSink::default();
    let summary = driver.run(docs.into_iter().map(Ok), &mut sink).unwrap();
    let found = sink
        .pairs
        .iter()
        .map(|p| {
            let c = &p.comparison;
            (
                sink.docs[p.a as usize].id.clone(),
                sink.docs[p.b as usize].id.clone(),
                c.relation.as_str().to_string(),
                c.verdict.as_ref().unwrap().model.clone(),
            )
        })
        .collect();
    (found, summary)
}

#[test]
fn a_pass_that_selects_nothing_changes_nothing() {
    let (lexical, s0) = scan(None, sample());
    assert!(s0.semantic.is_none());
    assert!(lexical.len() >= 4, "{lexical:?}");
    assert!(lexical.iter().all(|p| p.3 == "lexical"));
    let embedder = Arc::new(Counting::default());
    let mut pass = SemanticPass::new(embedder.clone());
    pass.band = (1.0, 1.0);
    pass.rescue_score = None;
    let (with, s1) = scan(Some(pass), sample());
    // Probability exactly 1 is only given to exact copies, which the pass never takes.
    assert_eq!(with, lexical);
    let stats = s1.semantic.unwrap();
    assert_eq!(
        (stats.reverified, stats.documents, stats.sentences),
        (0, 0, 0)
    );
    assert!(embedder.seen.lock().unwrap().is_empty());
}

#[test]
fn every_document_is_embedded_once_and_the_budget_holds() {
    let embedder = Arc::new(Counting::default());
    let mut pass = SemanticPass::new(embedder.clone());
    pass.band = (0.0, 1.0);
    pass.max_documents = 0;
    pass.trace = true;
    let (found, summary) = scan(Some(pass.clone()), sample());
    let stats = summary.semantic.clone().unwrap();
    let candidates = summary.candidates.pairs;
    let duplicates = found.iter().filter(|p| p.2 == "duplicate").count();
    // Every candidate but exact copies is compared again, in chunks of 3 pairs: documents
    // recur across chunks, yet no sentence is embedded twice.
    assert_eq!(stats.reverified, candidates - duplicates);
    assert_eq!(stats.trace.len(), stats.reverified);
    assert!(stats.reverified >= 4);
    let seen = embedder.seen.lock().unwrap().clone();
    assert!(seen.values().all(|&n| n == 1), "{seen:?}");
    assert_eq!(stats.sentences, seen.len());
    let mut docs: Vec<u32> = stats.trace.iter().flat_map(|r| [r.a, r.b]).collect();
    docs.sort_unstable();
    docs.dedup();
    assert_eq!(stats.documents, docs.len());
    // Pairs decided by the pass say so: every kept pair but the exact copies.
    let semantic_pairs = found.iter().filter(|p| p.3 == "semantic").count();
    let kept_by_pass = stats
        .trace
        .iter()
        .filter(|r| r.semantic.is_some_and(|x| x.is_derivation()))
        .count();
    assert_eq!(semantic_pairs, kept_by_pass);
    assert_eq!(semantic_pairs + duplicates, found.len());
    // A budget of 3 documents: at most 3 embedded, the other selected pairs keep their
    // lexical verdict and are counted.
    let small = Arc::new(Counting::default());
    let mut pass = SemanticPass::new(small.clone());
    pass.band = (0.0, 1.0);
    pass.max_documents = 3;
    let (_, summary) = scan(Some(pass), sample());
    let s = summary.semantic.unwrap();
    assert!(s.documents <= 3, "{s:?}");
    assert!(s.over_budget > 0, "{s:?}");
    assert_eq!(s.reverified + s.over_budget, stats.reverified);
}

/// The model file, or `None` (the test says it is skipped).
fn model() -> Option<Arc<dyn SentenceEmbedder>> {
    let Some(path) = stemma_embed::Embedder::find(None) else {
        eprintln!(
            "SKIPPED: no semantic model (run scripts/fetch-model.sh or set {})",
            stemma_embed::MODEL_ENV
        );
        return None;
    };
    Some(Arc::new(stemma_embed::Embedder::load(&path).unwrap()))
}

fn fixture(id: &str) -> InputDoc {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/eval/docs")
        .join(format!("{id}.txt"));
    InputDoc {
        id: id.to_string(),
        text: std::fs::read_to_string(p).unwrap(),
        date: None,
        source: None,
        decoding: None,
    }
}

#[test]
fn a_deep_paraphrase_lexical_rejects_is_found_only_with_the_model() {
    // es02_heavy spins es02_orig: every sentence paraphrased, headline and quotes reworded
    // (fixtures/eval/pairs.jsonl: rewrite, source = orig). en04_orig is another story.
    let corpus = || {
        ["es02_orig", "en04_orig", "es02_heavy"]
            .map(fixture)
            .to_vec()
    };
    let derived = |found: &Found| {
        found
            .iter()
            .find(|p| {
                (p.0.as_str(), p.1.as_str()) == ("es02_orig", "es02_heavy")
                    || (p.0.as_str(), p.1.as_str()) == ("es02_heavy", "es02_orig")
            })
            .cloned()
    };
    let (lexical, _) = scan(None, corpus());
    assert_eq!(
        derived(&lexical),
        None,
        "lexical verification rejects it: {lexical:?}"
    );
    let Some(embedder) = model() else {
        return;
    };
    let (with, summary) = scan(Some(SemanticPass::new(embedder)), corpus());
    let stats = summary.semantic.unwrap();
    let pair = derived(&with).unwrap_or_else(|| panic!("not found: {with:?} {stats:?}"));
    assert_eq!((pair.2.as_str(), pair.3.as_str()), ("rewrite", "semantic"));
    assert!(stats.gained >= 1 && stats.reverified >= 1, "{stats:?}");
    // Nothing joins the unrelated story.
    assert!(
        with.iter()
            .all(|p| p.0 != "en04_orig" && p.1 != "en04_orig"),
        "{with:?}"
    );
}
