//! What an index records of how it was built: the scorer (lexical, or a semantic second pass
//! with its model's identity and band) and the corpus options go into `meta` at creation;
//! another scorer is refused with every difference named unless overridden (the override is
//! recorded); each document keeps the encoding its file was read in.

use std::collections::BTreeMap;
use std::sync::Arc;
use stemma_index::{DiskIndex, IndexError, ModelIdentity, OpenOptions, Scorer};
use stemma_scan::InputDoc;
use stemma_scan::semantic::SemanticPass;

/// A toy sentence encoder: letter counts (deterministic, no model file).
struct Letters;

impl stemma_align::SentenceEmbedder for Letters {
    fn embed(&self, sentences: &[&str]) -> Vec<Vec<f32>> {
        sentences
            .iter()
            .map(|s| {
                let mut v = [0f32; 27];
                for c in s.chars().filter(|c| c.is_alphabetic()) {
                    let c = c.to_ascii_lowercase();
                    let i = if c.is_ascii_lowercase() {
                        (c as u8 - b'a') as usize
                    } else {
                        26
                    };
                    v[i] += 1.0;
                }
                let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
                v.iter().map(|x| x / n).collect()
            })
            .collect()
    }
    fn name(&self) -> &str {
        "letters"
    }
}

fn identity(hash: &str) -> ModelIdentity {
    ModelIdentity {
        name: "letters".into(),
        file: Some("letters.bin".into()),
        bytes: Some(27),
        xxh3: Some(hash.into()),
    }
}

fn semantic(band: (f64, f64), hash: &str) -> Scorer {
    let mut pass = SemanticPass::new(Arc::new(Letters));
    pass.band = band;
    Scorer::Semantic(Box::new(pass), identity(hash))
}

fn open(dir: &std::path::Path, scorer: Scorer, allow: bool) -> Result<DiskIndex, IndexError> {
    let options = OpenOptions {
        create: true,
        scorer,
        allow_scorer_change: allow,
        corpus: BTreeMap::from([("text_field".to_string(), "body".to_string())]),
        ..OpenOptions::default()
    };
    DiskIndex::open_with(dir, options, Default::default())
}

fn doc(id: &str, text: &str) -> InputDoc {
    InputDoc {
        id: id.into(),
        text: text.into(),
        date: None,
        source: None,
        decoding: None,
    }
}

#[test]
fn the_scorer_is_recorded_and_another_one_is_refused_unless_overridden() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut ix = open(dir.path(), semantic((0.2, 0.8), "aa"), false).unwrap();
        ix.add([doc(
            "a",
            "The council approved the budget on Monday after a long debate.",
        )])
        .unwrap();
        let m = ix.meta();
        assert_eq!(m.scorer.kind, "semantic");
        let s = m.scorer.semantic.as_ref().unwrap();
        assert_eq!(s.model, identity("aa"));
        assert_eq!(s.band, (0.2, 0.8));
        assert_eq!(m.corpus["text_field"], "body");
        assert!(
            m.scorer
                .describe()
                .contains("letters (letters.bin, 27 bytes, xxh3 aa)")
        );
    }
    let refused = |scorer: Scorer| match open(dir.path(), scorer, false) {
        Err(IndexError::ScorerMismatch { differences, .. }) => differences,
        other => panic!("expected a scorer mismatch, got {other:?}"),
    };
    assert_eq!(
        refused(Scorer::Lexical),
        "scorer: stored semantic, given lexical"
    );
    // Without a model, `auto` cannot keep a semantic index's scorer.
    assert_eq!(
        refused(Scorer::Auto(None)),
        "scorer: stored semantic, given lexical"
    );
    assert_eq!(
        refused(semantic((0.1, 0.8), "aa")),
        "semantic band: stored 0.2–0.8, given 0.1–0.8"
    );
    assert_eq!(
        refused(semantic((0.2, 0.8), "bb")),
        "model xxh3: stored aa, given bb"
    );
    assert!(matches!(
        DiskIndex::open_existing(dir.path()),
        Err(IndexError::ScorerMismatch { .. })
    ));
    // The same scorer, given or found by `auto`, opens it; so does reading without one.
    let (pass, id) = match semantic((0.2, 0.8), "aa") {
        Scorer::Semantic(p, id) => (p, id),
        _ => unreachable!(),
    };
    let ix = open(dir.path(), Scorer::Auto(Some((pass, id))), false).unwrap();
    assert_eq!(ix.options().semantic.as_ref().unwrap().band, (0.2, 0.8));
    drop(ix);
    let mut ro = open(dir.path(), Scorer::ReadOnly, false).unwrap();
    assert_eq!(ro.docs().len(), 1);
    assert!(matches!(
        ro.add([doc("b", "Another text.")]),
        Err(IndexError::ReadOnly { .. })
    ));
    assert!(matches!(
        ro.check(doc("b", "Another text.")),
        Err(IndexError::ReadOnly { .. })
    ));
    drop(ro);
    // An explicit override records the new scorer and what it replaced.
    let mut ix = open(dir.path(), Scorer::Lexical, true).unwrap();
    ix.add([doc(
        "b",
        "A different story about a football match on Sunday.",
    )])
    .unwrap();
    drop(ix);
    let ix = DiskIndex::open_existing(dir.path()).unwrap();
    let m = ix.meta();
    assert_eq!(m.scorer.kind, "lexical");
    assert_eq!(m.scorer_history.len(), 1);
    assert_eq!(m.scorer_history[0].0, 1);
    assert_eq!(m.scorer_history[0].1.kind, "semantic");
    // The corpus options are those of the creation.
    assert_eq!(m.corpus["text_field"], "body");
    assert!(ix.options().semantic.is_none());
}

#[test]
fn each_document_keeps_the_encoding_its_file_was_read_in() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Le café de la place a fermé. Les habitués, déçus, ont signé une pétition \
                pour sa réouverture; le propriétaire répond qu'il cherche un repreneur.";
    let (bytes, _, _) = encoding_rs_for("windows-1252").encode(text);
    let decoded =
        stemma_corpus::decode::decode(&bytes, Some(encoding_rs_for("windows-1252"))).unwrap();
    assert_eq!(decoded.text, text);
    let legacy = InputDoc {
        decoding: Some(stemma_scan::Decoding {
            encoding: decoded.encoding,
            bom: decoded.bom,
            offsets: decoded.offsets,
        }),
        ..doc("legacy", &decoded.text)
    };
    {
        let mut ix = open(dir.path(), Scorer::Lexical, false).unwrap();
        ix.add([legacy, doc("plain", "Plain UTF-8 text, given as is.")])
            .unwrap();
        assert_eq!(ix.encoding(0), Some("windows-1252"));
        assert_eq!(ix.encoding(1), None);
    }
    let ix = DiskIndex::open_existing(dir.path()).unwrap();
    assert_eq!(
        ix.encoding(ix.doc_id("legacy").unwrap()),
        Some("windows-1252")
    );
    assert_eq!(ix.encoding(ix.doc_id("plain").unwrap()), None);
    // The text is kept as decoded (UTF-8).
    assert_eq!(ix.text(0).unwrap(), text);
}

fn encoding_rs_for(label: &str) -> &'static stemma_corpus::decode::Encoding {
    stemma_corpus::decode::encoding_for_label(label).unwrap()
}
