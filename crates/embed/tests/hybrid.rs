//! The model as the aligner's semantic layer: `HybridScorer` with the real embedder. Skips,
//! with a notice, when the model file is absent (`scripts/fetch-model.sh`).

use std::sync::Arc;
use stemma_align::{AlignInput, HybridScorer, LexicalScorer, SentenceScorer};
use stemma_embed::Embedder;

fn scorer() -> Option<HybridScorer> {
    let Some(path) = Embedder::find(None) else {
        eprintln!("NOTICE: model file absent, test skipped (run scripts/fetch-model.sh)");
        return None;
    };
    let model = Embedder::load(&path).expect("model loads");
    Some(HybridScorer::new(
        LexicalScorer::default(),
        Some(Arc::new(model)),
    ))
}

/// Hybrid similarity of two one-sentence documents.
fn score(s: &HybridScorer, a: &str, b: &str) -> f64 {
    let (pa, pb) = (stemma_text::prepare(a), stemma_text::prepare(b));
    let fa = s.features(AlignInput::new(a, &pa));
    let fb = s.features(AlignInput::new(b, &pb));
    s.score(&fa, 0..s.len(&fa), &fb, 0..s.len(&fb))
}

#[test]
fn paraphrase_beats_same_topic_in_english_and_russian() {
    let Some(s) = scorer() else { return };
    let th = s.thresholds();
    let cases = [
        (
            "The minister resigned on Friday after months of criticism over party funding.",
            "On Friday the minister stepped down following a long row about how the party was financed.",
            "The minister will present the party's new funding rules at a conference next week.",
        ),
        (
            "Министр ушёл в отставку в пятницу после многомесячной критики из-за финансирования партии.",
            "В пятницу министр покинул пост после долгого скандала вокруг денег партии.",
            "Министр представит новые правила финансирования партии на конференции на следующей неделе.",
        ),
    ];
    for (a, para, other) in cases {
        let (p, o) = (score(&s, a, para), score(&s, a, other));
        assert!(p > o, "paraphrase {p:.3} vs same topic {o:.3}: {a}");
        assert!(
            p >= th.paraphrase,
            "paraphrase {p:.3} below the threshold: {a}"
        );
    }
}

#[test]
fn semantic_candidates_find_a_reworded_sentence() {
    let Some(s) = scorer() else { return };
    let a = "Heavy rain flooded the northern valleys overnight. The minister resigned on Friday.";
    let b = "A new bridge opened in the capital. Torrential downpours submerged villages in the north during the night.";
    let (pa, pb) = (stemma_text::prepare(a), stemma_text::prepare(b));
    let fa = s.features(AlignInput::new(a, &pa));
    let fb = s.features(AlignInput::new(b, &pb));
    assert!(s.candidates(&fa, &fb).contains(&(0, 1)));
}
