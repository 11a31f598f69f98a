//! Stemming and stop words per token, with a script-based choice of language.
//!
//! The language used for one token is [`token_language`]:
//! * Cyrillic words always use Russian (stemmer and stop words), whatever the document
//!   language, so a Russian quotation inside an English article is still stemmed properly;
//! * Latin words use the document language when it is a Latin-script language, English
//!   when the document is Russian, and nothing when the document is [`Language::Other`];
//! * words of any other script and all numbers are not stemmed (stem = norm) and are
//!   never stop words.
//!
//! French elisions (`l'homme`, `qu'il`, `d'après`) are stemmed and stop-checked on the part
//! after the apostrophe. For Russian, `ё` is folded to `е` before stemming.

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};

use crate::stopwords::is_stop_word;
use crate::tokenize::Script;
use crate::{Language, TokenKind};

/// The language whose stemmer and stop words apply to one token.
pub fn token_language(doc: Language, kind: TokenKind, script: Script) -> Language {
    if kind == TokenKind::Number {
        return Language::Other;
    }
    match script {
        Script::Cyrillic => Language::Russian,
        Script::Latin => match doc {
            Language::Russian => Language::English,
            other => other,
        },
        Script::Other | Script::None => Language::Other,
    }
}

/// The five Snowball stemmers (cheap to build, immutable, `Send + Sync`).
pub struct Stemmers {
    english: Stemmer,
    russian: Stemmer,
    german: Stemmer,
    french: Stemmer,
    spanish: Stemmer,
}

impl std::fmt::Debug for Stemmers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stemmers")
    }
}

impl Default for Stemmers {
    fn default() -> Self {
        Self::new()
    }
}

/// Strips a French elided article/pronoun (`l'`, `d'`, `qu'`, …) off a normalized word.
pub(crate) fn strip_french_elision(norm: &str) -> &str {
    if let Some(pos) = norm.find('\'') {
        let head = &norm[..pos];
        if matches!(
            head,
            "l" | "d" | "j" | "m" | "n" | "s" | "t" | "c" | "qu" | "lorsqu" | "puisqu" | "jusqu"
        ) && pos + 1 < norm.len()
        {
            return &norm[pos + 1..];
        }
    }
    norm
}

impl Stemmers {
    /// Builds the stemmers.
    pub fn new() -> Self {
        Stemmers {
            english: Stemmer::create(Algorithm::English),
            russian: Stemmer::create(Algorithm::Russian),
            german: Stemmer::create(Algorithm::German),
            french: Stemmer::create(Algorithm::French),
            spanish: Stemmer::create(Algorithm::Spanish),
        }
    }

    /// Stems a normalized word for `language` ([`Language::Other`]: unchanged).
    pub fn stem<'a>(&self, language: Language, norm: &'a str) -> Cow<'a, str> {
        match language {
            Language::English => self.english.stem(norm),
            Language::Russian => {
                if norm.contains('ё') {
                    Cow::Owned(self.russian.stem(&norm.replace('ё', "е")).into_owned())
                } else {
                    self.russian.stem(norm)
                }
            }
            Language::German => self.german.stem(norm),
            Language::French => self.french.stem(strip_french_elision(norm)),
            Language::Spanish => self.spanish.stem(norm),
            Language::Other => Cow::Borrowed(norm),
        }
    }

    /// Stem and stop flag of a normalized token for `language` (see [`token_language`]).
    pub fn stem_and_stop(&self, language: Language, norm: &str) -> (String, bool) {
        let stop = match language {
            Language::French => {
                is_stop_word(language, norm) || is_stop_word(language, strip_french_elision(norm))
            }
            _ => is_stop_word(language, norm),
        };
        (self.stem(language, norm).into_owned(), stop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn possessives_share_the_stem() {
        let s = Stemmers::new();
        assert_eq!(s.stem(Language::English, "korea's"), "korea");
        assert_eq!(s.stem(Language::English, "korea"), "korea");
        assert_eq!(s.stem(Language::English, "awarded"), "award");
    }

    #[test]
    fn per_language_stemmers() {
        let s = Stemmers::new();
        assert_eq!(
            s.stem(Language::Russian, "президента"),
            s.stem(Language::Russian, "президенту")
        );
        assert_eq!(
            s.stem(Language::Russian, "ёлка"),
            s.stem(Language::Russian, "елка")
        );
        assert_eq!(
            s.stem(Language::German, "gespräche"),
            s.stem(Language::German, "gespräch")
        );
        assert_eq!(
            s.stem(Language::French, "l'homme"),
            s.stem(Language::French, "hommes")
        );
        assert_eq!(
            s.stem(Language::Spanish, "conversaciones"),
            s.stem(Language::Spanish, "conversación")
        );
        assert_eq!(s.stem(Language::Other, "running"), "running");
    }

    #[test]
    fn token_language_by_script() {
        use Language::*;
        assert_eq!(
            token_language(English, TokenKind::Word, Script::Cyrillic),
            Russian
        );
        assert_eq!(
            token_language(Russian, TokenKind::Word, Script::Latin),
            English
        );
        assert_eq!(
            token_language(German, TokenKind::Word, Script::Latin),
            German
        );
        assert_eq!(token_language(Other, TokenKind::Word, Script::Latin), Other);
        assert_eq!(
            token_language(English, TokenKind::Number, Script::None),
            Other
        );
        assert_eq!(
            token_language(English, TokenKind::Word, Script::Other),
            Other
        );
    }

    #[test]
    fn french_elision_stop_words() {
        let s = Stemmers::new();
        assert!(s.stem_and_stop(Language::French, "qu'il").1);
        assert!(!s.stem_and_stop(Language::French, "l'homme").1);
    }
}
