//! Checks on the shared seed articles (skipped with a note when the data is not present).

use std::path::PathBuf;

use stemma_text::{Language, prepare};

fn seed(prefix: &str) -> Option<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/seeds");
    let entry = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))?;
    std::fs::read_to_string(entry.path()).ok()
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

#[test]
fn seed_000_english_with_russian_paragraph() {
    let Some(text) = seed("000_") else {
        eprintln!("NOTE: ../shared/data/seeds/000_* not found; seed test skipped");
        return;
    };
    let p = prepare(&text);
    assert_eq!(p.language, Language::English);

    // The Russian paragraph (mostly Cyrillic letters) is a paragraph of its own, not glued
    // to the English around it.
    let cyr_paras: Vec<&str> = p
        .paragraphs
        .iter()
        .map(|para| para.span.text(&text))
        .filter(|t| {
            let letters = t.chars().filter(|c| c.is_alphabetic()).count();
            t.chars().filter(|c| is_cyrillic(*c)).count() * 2 > letters
        })
        .collect();
    assert!(!cyr_paras.is_empty(), "no Cyrillic paragraph found");
    for para in &cyr_paras {
        let letters = para.chars().filter(|c| c.is_alphabetic()).count();
        let cyr = para.chars().filter(|c| is_cyrillic(*c)).count();
        assert!(cyr * 10 >= letters * 9, "paragraph mixes scripts: {para:?}");
    }
    // Cyrillic tokens were tokenized and stemmed with the Russian stemmer (some stem is
    // shorter than its word).
    let cyr_tokens: Vec<_> = p
        .tokens
        .iter()
        .filter(|t| t.norm.chars().any(is_cyrillic))
        .collect();
    assert!(cyr_tokens.len() > 10);
    assert!(cyr_tokens.iter().any(|t| t.stem.len() < t.norm.len()));

    // No sentence boundary falls inside a word.
    let bytes = text.as_bytes();
    for s in &p.sentences {
        let before = text[..s.span.start].chars().next_back();
        let after = text[s.span.end..].chars().next();
        assert!(
            !(before.is_some_and(char::is_alphanumeric)
                && s.span.text(&text).starts_with(char::is_alphanumeric)),
            "sentence starts mid-word at {}",
            s.span.start
        );
        assert!(
            !(after.is_some_and(char::is_alphanumeric)
                && s.span.text(&text).ends_with(char::is_alphanumeric)),
            "sentence ends mid-word at {}",
            s.span.end
        );
        assert!(s.span.end <= bytes.len());
    }
    // The headline is its own sentence.
    assert_eq!(p.paragraphs[0].sentences.len(), 1);
    // The spun rewrite is English as well.
    if let Some(spun) = seed("003_") {
        assert_eq!(prepare(&spun).language, Language::English);
    }
}
