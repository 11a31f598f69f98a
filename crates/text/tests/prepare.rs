//! Behaviour of `prepare` on hand-written fixtures.

use stemma_text::{Language, PrepareOptions, PreparedText, TokenKind, prepare, prepare_with};

fn sentences(text: &str) -> Vec<&str> {
    prepare(text)
        .sentences
        .iter()
        .map(|s| s.span.text(text))
        .collect()
}

fn paragraphs(text: &str) -> Vec<&str> {
    prepare(text)
        .paragraphs
        .iter()
        .map(|s| s.span.text(text))
        .collect()
}

fn norms(p: &PreparedText) -> Vec<&str> {
    p.tokens.iter().map(|t| t.norm.as_str()).collect()
}

#[test]
fn abbreviations() {
    assert_eq!(
        sentences("Mr. Brown and Dr. Green arrived at 9 a.m. from the U.S. on Monday. It rained."),
        vec![
            "Mr. Brown and Dr. Green arrived at 9 a.m. from the U.S. on Monday.",
            "It rained."
        ]
    );
}

#[test]
fn closing_quotes_and_question_marks() {
    assert_eq!(
        sentences("“Is it over?” she asked. “Yes.” He left!"),
        vec!["“Is it over?” she asked.", "“Yes.”", "He left!"]
    );
}

#[test]
fn wrapped_lines_and_headlines() {
    let text = "GRAIN HARBOUR WEEKLY NOTE\n\nFog closed the Tarnby grain harbour for\nthree days, \
                delaying barge loadings.\n    Shippers said the backlog would be\ncleared by \
                Friday.\n";
    assert_eq!(
        sentences(text),
        vec![
            "GRAIN HARBOUR WEEKLY NOTE",
            "Fog closed the Tarnby grain harbour for\nthree days, delaying barge loadings.",
            "Shippers said the backlog would be\ncleared by Friday."
        ]
    );
    let p = prepare(text);
    assert_eq!(p.paragraphs.len(), 2);
    assert_eq!(p.sentences[0].paragraph, 0);
    assert_eq!(p.sentences[2].paragraph, 1);
}

#[test]
fn paragraphs_are_trimmed_and_token_less_ones_dropped() {
    assert_eq!(
        paragraphs("  One.\n\n* * *\n\n\tTwo three.  "),
        vec!["One.", "Two three."]
    );
}

#[test]
fn curly_and_straight_apostrophes_agree() {
    let a = prepare("North Korea’s leader didn’t come.");
    let b = prepare("North Korea's leader didn't come.");
    assert_eq!(norms(&a), norms(&b));
    let stems = |p: &PreparedText| p.tokens.iter().map(|t| t.stem.clone()).collect::<Vec<_>>();
    assert_eq!(stems(&a), stems(&b));
    assert_eq!(a.tokens[1].norm, "korea");
    assert_eq!(
        a.tokens[1].span.text("North Korea’s leader didn’t come."),
        "Korea’s"
    );
    assert_eq!(a.tokens[1].stem, "korea");
    assert_eq!(prepare("Korea").tokens[0].stem, "korea");
    assert_eq!(a.fingerprint(), b.fingerprint());
}

#[test]
fn nfkc_tokens_keep_original_spans() {
    let text = "Oﬃcial ﬁgures: １２３ tons, ＡＢＣ.";
    let p = prepare(text);
    let pairs: Vec<(&str, &str)> = p
        .tokens
        .iter()
        .map(|t| (t.span.text(text), t.norm.as_str()))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("Oﬃcial", "official"),
            ("ﬁgures", "figures"),
            ("１２３", "123"),
            ("tons", "tons"),
            ("ＡＢＣ", "abc")
        ]
    );
    assert_eq!(p.tokens[2].kind, TokenKind::Number);
}

#[test]
fn numbers() {
    let p = prepare("In 1941-1945 it cost 1,941.5 roubles; the 75th year.");
    let nums: Vec<&str> = p
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Number)
        .map(|t| t.norm.as_str())
        .collect();
    assert_eq!(nums, vec!["1941", "1945", "1,941.5", "75th"]);
}

#[test]
fn capitalization_and_sentence_start() {
    let p = prepare("The envoy met Kim. Then Putin spoke.");
    let caps: Vec<(&str, bool, bool)> = p
        .tokens
        .iter()
        .enumerate()
        .map(|(i, t)| (t.norm.as_str(), t.capitalized, p.is_sentence_initial(i)))
        .collect();
    assert_eq!(
        caps,
        vec![
            ("the", true, true),
            ("envoy", false, false),
            ("met", false, false),
            ("kim", true, false),
            ("then", true, true),
            ("putin", true, false),
            ("spoke", false, false)
        ]
    );
    assert_eq!(p.sentence_of(5), Some(1));
    assert_eq!(p.sentence_of(99), None);
}

#[test]
fn stop_words_follow_the_language() {
    let p = prepare("The talks with the minister were long and hard.");
    let stops: Vec<&str> = p
        .tokens
        .iter()
        .filter(|t| t.stop)
        .map(|t| t.norm.as_str())
        .collect();
    assert_eq!(stops, vec!["the", "with", "the", "were", "and"]);
}

#[test]
fn cyrillic_in_english_uses_russian_stemmer() {
    let text = "The minister said that the talks went well and that they would meet again.\n\n\
                Президент наградил медалью своих союзников.\n\nThe talks were long.";
    let p = prepare(text);
    assert_eq!(p.language, Language::English);
    assert_eq!(p.paragraphs.len(), 3);
    let ru = p.sentence_tokens(1);
    assert_eq!(ru[0].norm, "президент");
    assert!(ru[0].capitalized);
    // Russian stemmer: "союзников" -> "союзник".
    assert_eq!(ru[4].stem, "союзник");
    assert!(prepare("Своих").tokens[0].stop);
    assert!(!prepare("Медаль").tokens[0].stop);
}

#[test]
fn detects_languages() {
    let cases = [
        (
            "The government said on Tuesday that it would not change its plans.",
            Language::English,
        ),
        (
            "Die Regierung sagte am Dienstag, dass sie ihre Pläne nicht ändern werde.",
            Language::German,
        ),
        (
            "Le gouvernement a déclaré mardi qu'il ne changerait pas ses plans.",
            Language::French,
        ),
        (
            "El gobierno dijo el martes que no cambiaría sus planes.",
            Language::Spanish,
        ),
        (
            "Правительство заявило во вторник, что не изменит своих планов.",
            Language::Russian,
        ),
        ("政府は火曜日に計画を変更しないと述べた。", Language::Other),
    ];
    for (text, lang) in cases {
        assert_eq!(prepare(text).language, lang, "{text}");
    }
}

#[test]
fn forced_language() {
    let text = "Die Regierung sagte am Dienstag, dass sie ihre Pläne nicht ändern werde.";
    let p = prepare_with(
        text,
        &PrepareOptions {
            language: Some(Language::English),
        },
    );
    assert_eq!(p.language, Language::English);
    let q = prepare_with(
        text,
        &PrepareOptions {
            language: Some(Language::Other),
        },
    );
    assert!(q.tokens.iter().all(|t| t.stem == t.norm && !t.stop));
    assert_eq!(Language::German.code(), "de");
}

#[test]
fn empty_and_blank_inputs() {
    for text in ["", "   ", "\n\n\t\r\n"] {
        let p = prepare(text);
        assert_eq!(p.len, text.len());
        assert!(p.tokens.is_empty() && p.sentences.is_empty() && p.paragraphs.is_empty());
        assert_eq!(p.language, Language::Other);
    }
}

#[test]
fn serde_round_trip() {
    let p = prepare("A short text. Another one.");
    let json = serde_json::to_string(&p).unwrap();
    let back: PreparedText = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p);
}

#[test]
fn preparer_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<stemma_text::Preparer>();
    let preparer = stemma_text::Preparer::new();
    let texts = [
        "One text here.",
        "Eine andere Geschichte und die Leute.",
        "Третий текст.",
    ];
    let results: Vec<PreparedText> = std::thread::scope(|s| {
        let handles: Vec<_> = texts
            .iter()
            .map(|t| s.spawn(|| preparer.prepare(t)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (t, r) in texts.iter().zip(&results) {
        assert_eq!(r, &prepare(t));
    }
    assert_eq!(results[1].language, Language::German);
    assert_eq!(results[2].language, Language::Russian);
}

#[test]
fn german_ordinal_dates_do_not_end_sentences() {
    let text = "Der Minister sagte am 3. Oktober, dass die Gespräche weitergehen. Die Leute \
                sind nicht sicher, ob das stimmt. Er wurde 2. und nicht 1.";
    assert_eq!(
        sentences(text),
        vec![
            "Der Minister sagte am 3. Oktober, dass die Gespräche weitergehen.",
            "Die Leute sind nicht sicher, ob das stimmt.",
            "Er wurde 2. und nicht 1."
        ]
    );
    // A number ending a sentence before a capitalized word still ends it.
    assert_eq!(
        sentences("The score was 2. Then it rained."),
        vec!["The score was 2.", "Then it rained."]
    );
}

#[test]
fn acronyms_are_not_stop_words_and_initialisms_match() {
    let p = prepare("The US army and the U.S. navy met us.");
    let flags: Vec<(&str, bool)> = p.tokens.iter().map(|t| (t.norm.as_str(), t.stop)).collect();
    assert_eq!(
        flags,
        vec![
            ("the", true),
            ("us", false),
            ("army", false),
            ("and", true),
            ("the", true),
            ("us", false),
            ("navy", false),
            ("met", false),
            ("us", true)
        ]
    );
    // In an all-caps headline the function words stay stop words.
    let h = prepare("THE ARMY AND THE NAVY");
    assert!(h.tokens[0].stop && h.tokens[2].stop);
}

#[test]
fn single_letter_abbreviations_before_lower_case_do_not_end_sentences() {
    let text = "Президент В. В. Путин подписал указ, т. е. закон вступил в силу. Затем он уехал.";
    assert_eq!(
        sentences(text),
        vec![
            "Президент В. В. Путин подписал указ, т. е. закон вступил в силу.",
            "Затем он уехал."
        ]
    );
    assert_eq!(
        sentences("We chose plan B. Then we left."),
        vec!["We chose plan B.", "Then we left."]
    );
}
