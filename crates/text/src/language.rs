//! Deterministic, cheap detection of a document's dominant language.
//!
//! 1. Script vote: every word token votes for its script (Latin, Cyrillic, other). The
//!    script with the most votes wins; a tie goes to Latin, then Cyrillic.
//! 2. Cyrillic: [`Language::Russian`], unless at least 5% of the Cyrillic words contain a
//!    letter Russian does not use (Ukrainian `і ї є ґ`, Belarusian `ў`, Serbian/Macedonian
//!    `ђ ј љ њ ћ џ ѓ ќ ѕ`): then [`Language::Other`].
//! 3. Latin: the Latin words are counted against the stop-word lists of English, German,
//!    French and Spanish and against small Italian/Portuguese/Dutch profiles (single-letter
//!    words do not count). The language
//!    with the most hits wins (ties in that order), but English is the default: another
//!    language needs at least two hits more than English and hits on at least 10% of the
//!    Latin words (so tables of figures with a stray `del` or `des` stay English). A profile
//!    language wins → [`Language::Other`]. No hit at all (very short texts such as a
//!    headline) → [`Language::English`], the most common language of the inputs stemma sees.
//! 4. Any other script, or no word at all → [`Language::Other`].
//!
//! Because only the dominant language is reported, an English article quoting a Russian
//! paragraph is English; per-token stemmer choice (see [`crate::stem`]) still stems the
//! Cyrillic words as Russian.

use crate::Language;
use crate::TokenKind;
use crate::tokenize::{RawToken, Script};

impl Language {
    /// ISO 639-1 code (`"en"`, `"ru"`, `"de"`, `"fr"`, `"es"`), `"other"` for
    /// [`Language::Other`].
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Russian => "ru",
            Language::German => "de",
            Language::French => "fr",
            Language::Spanish => "es",
            Language::Other => "other",
        }
    }

    /// Parses a code as returned by [`Language::code`] (case-insensitive; also accepts the
    /// English names such as `"english"`). Unknown codes give `None`.
    pub fn from_code(code: &str) -> Option<Language> {
        let lower = code.trim().to_ascii_lowercase();
        Some(match lower.as_str() {
            "en" | "eng" | "english" => Language::English,
            "ru" | "rus" | "russian" => Language::Russian,
            "de" | "deu" | "ger" | "german" => Language::German,
            "fr" | "fra" | "fre" | "french" => Language::French,
            "es" | "spa" | "spanish" => Language::Spanish,
            "other" | "none" => Language::Other,
            _ => return None,
        })
    }

    /// All languages, [`Language::Other`] last.
    pub const ALL: [Language; 6] = [
        Language::English,
        Language::Russian,
        Language::German,
        Language::French,
        Language::Spanish,
        Language::Other,
    ];
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Letters of Cyrillic alphabets other than Russian.
fn is_non_russian_cyrillic(c: char) -> bool {
    matches!(
        c,
        'і' | 'ї' | 'є' | 'ґ' | 'ў' | 'ђ' | 'ј' | 'љ' | 'њ' | 'ћ' | 'џ' | 'ѓ' | 'ќ' | 'ѕ'
    )
}

/// Detects the dominant language of a tokenized text.
pub fn detect(tokens: &[RawToken]) -> Language {
    let (mut latin, mut cyrillic, mut other) = (0usize, 0usize, 0usize);
    let mut non_russian = 0usize;
    for t in tokens.iter().filter(|t| t.kind == TokenKind::Word) {
        match t.script {
            Script::Latin => latin += 1,
            Script::Cyrillic => {
                cyrillic += 1;
                if t.norm.chars().any(is_non_russian_cyrillic) {
                    non_russian += 1;
                }
            }
            Script::Other => other += 1,
            Script::None => {}
        }
    }
    if latin == 0 && cyrillic == 0 && other == 0 {
        return Language::Other;
    }
    if latin >= cyrillic && latin >= other {
        detect_latin(tokens)
    } else if cyrillic >= other {
        if non_russian * 20 >= cyrillic {
            Language::Other
        } else {
            Language::Russian
        }
    } else {
        Language::Other
    }
}

/// Stop-word profile vote among the Latin-script words.
fn detect_latin(tokens: &[RawToken]) -> Language {
    // Scores in bit order: en, de, fr, es, ru, then the profile-only languages it, pt, nl.
    let mut scores = [0usize; 8];
    let mut words = 0usize;
    for t in tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word && t.script == Script::Latin)
    {
        words += 1;
        // Single letters (`a`, `y`, French elision fragments `l`, `d`) are too ambiguous
        // (tables, initials) to count.
        if t.function_word.mask == 0 || t.norm.chars().nth(1).is_none() {
            continue;
        }
        for (i, score) in scores.iter_mut().enumerate() {
            *score += usize::from((t.function_word.mask >> i) & 1);
        }
    }
    let mut best = 0;
    for i in 1..scores.len() {
        if scores[i] > scores[best] {
            best = i;
        }
    }
    // English is the default: another language must beat it by two hits and make up at
    // least 10% of the words (stop words are 30-50% of running text; a table of figures
    // with a stray `del` or `des` is not Spanish or French).
    let (score, en) = (scores[best], scores[0]);
    if best != 0 && (score < en + 2 || score * 10 < words) {
        return Language::English;
    }
    match (score, best) {
        (0, _) => Language::English,
        (_, 0) => Language::English,
        (_, 1) => Language::German,
        (_, 2) => Language::French,
        (_, 3) => Language::Spanish,
        _ => Language::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;

    fn lang(text: &str) -> Language {
        detect(&tokenize(text))
    }

    #[test]
    fn codes_round_trip() {
        for l in Language::ALL {
            assert_eq!(Language::from_code(l.code()), Some(l));
        }
        assert_eq!(Language::from_code("xx"), None);
    }

    #[test]
    fn detects_the_five_languages() {
        assert_eq!(
            lang("The minister said that the talks would continue in the spring."),
            Language::English
        );
        assert_eq!(
            lang("Der Minister sagte, dass die Gespräche im Frühjahr weitergehen werden."),
            Language::German
        );
        assert_eq!(
            lang("Le ministre a dit que les discussions se poursuivront au printemps."),
            Language::French
        );
        assert_eq!(
            lang("El ministro dijo que las conversaciones continuarán en la primavera."),
            Language::Spanish
        );
        assert_eq!(
            lang("Министр сказал, что переговоры продолжатся весной."),
            Language::Russian
        );
    }

    #[test]
    fn other_languages_and_scripts() {
        assert_eq!(
            lang("Il ministro ha detto che i colloqui della commissione sono continuati."),
            Language::Other
        );
        assert_eq!(
            lang("Міністр сказав, що переговори продовжаться навесні і взимку."),
            Language::Other
        );
        assert_eq!(lang("東京は日本の首都です"), Language::Other);
        assert_eq!(lang(""), Language::Other);
        assert_eq!(lang("Bonjour les amis de Paris"), Language::French);
        assert_eq!(
            lang(
                "Shr loss eight cts vs loss 20 cts Net loss 586,000 vs los 1,497,000 Revs 13.8 \
                  mln vs 14.4 mln Year Shr loss 15 cts Del Webb Properties Inc"
            ),
            Language::English
        );
        assert_eq!(lang("12 34"), Language::Other);
    }

    #[test]
    fn dominant_language_wins() {
        let text = "The minister said that the talks would go on. It was a long day for all \
                    of them and they were tired. Министр сказал, что всё хорошо.";
        assert_eq!(lang(text), Language::English);
    }
}
