//! Assembly of a [`PreparedText`]: tokens, language, paragraphs, sentences, stems.

use std::collections::hash_map::Entry;

use crate::language::detect;
use crate::sentence::{SentenceSplitter, paragraphs, trim_span};
use crate::stem::{Stemmers, strip_french_elision, token_language};
use crate::stopwords::is_stop_word;
use crate::tokenize::{RawToken, Script, tokenize};
use crate::{Language, Paragraph, PreparedText, Sentence, Span, Token, TokenKind};
use rustc_hash::FxHashMap as FastMap;

/// Options for [`prepare_with`] / [`Preparer::prepare_with`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PrepareOptions {
    /// Force this document language instead of detecting it. Cyrillic words are still
    /// stemmed as Russian (see [`crate::stem`]).
    pub language: Option<Language>,
}

/// Prepares texts. Holds the stemmers; immutable, cheap to build, `Send + Sync`, so one
/// instance can serve many threads.
#[derive(Debug, Default)]
pub struct Preparer {
    stemmers: Stemmers,
}

impl Preparer {
    /// Builds a preparer.
    pub fn new() -> Self {
        Preparer {
            stemmers: Stemmers::new(),
        }
    }

    /// Prepares `text`, detecting its language.
    pub fn prepare(&self, text: &str) -> PreparedText {
        self.prepare_with(text, &PrepareOptions::default())
    }

    /// Prepares `text` with `options`.
    pub fn prepare_with(&self, text: &str, options: &PrepareOptions) -> PreparedText {
        let raw = tokenize(text);
        let language = options.language.unwrap_or_else(|| detect(&raw));
        let splitter_code = match language {
            Language::Other => "en",
            l => l.code(),
        };

        let mut sentences: Vec<Sentence> = Vec::new();
        let mut paras: Vec<Paragraph> = Vec::new();
        let mut splitter = SentenceSplitter::default();
        let mut cuts: Vec<usize> = Vec::new();
        let mut next = 0usize; // next raw token to place
        let mut kept: Vec<std::ops::Range<usize>> = Vec::new(); // raw tokens in paragraphs
        let mut kept_count = 0usize;

        for para in paragraphs(text) {
            // Tokens not inside any paragraph cannot exist (tokens hold no line break and are
            // trimmed), but skip defensively so every kept token has a sentence.
            while next < raw.len() && raw[next].span.start < para.start {
                next += 1;
            }
            let first = next;
            while next < raw.len() && raw[next].span.end <= para.end {
                next += 1;
            }
            let para_raw = &raw[first..next];
            if para_raw.is_empty() {
                continue;
            }

            cuts.clear();
            let code = paragraph_code(splitter_code, para_raw);
            splitter.cuts(text, para, code, &mut cuts);
            cuts.retain(|&cut| !is_false_cut(text, cut, code));
            snap_cuts_to_tokens(&mut cuts, para_raw);

            let para_index = paras.len();
            let first_sentence = sentences.len();
            let mut piece_start = para.start;
            let mut pending_start: Option<usize> = None; // token-less lead-in text
            let mut ti = 0usize; // index into para_raw
            for end in cuts.iter().copied().chain(std::iter::once(para.end)) {
                let tok_first = ti;
                while ti < para_raw.len() && para_raw[ti].span.start < end {
                    ti += 1;
                }
                let piece = trim_span(text, Span::new(piece_start, end));
                piece_start = end;
                if piece.is_empty() {
                    continue;
                }
                if ti == tok_first {
                    // No token: glue to the previous sentence of this paragraph, or keep
                    // it for the next one.
                    if sentences.len() > first_sentence {
                        if let Some(prev) = sentences.last_mut() {
                            prev.span.end = piece.end;
                        }
                    } else {
                        pending_start.get_or_insert(piece.start);
                    }
                    continue;
                }
                let start = pending_start.take().unwrap_or(piece.start);
                let tok_range = kept_count + tok_first..kept_count + ti;
                sentences.push(Sentence {
                    span: Span::new(start, piece.end),
                    tokens: tok_range,
                    paragraph: para_index,
                });
            }
            debug_assert_eq!(ti, para_raw.len());

            kept.push(first..next);
            kept_count += para_raw.len();
            paras.push(Paragraph {
                span: para,
                sentences: first_sentence..sentences.len(),
            });
        }

        let acronyms = acronyms(&raw);
        // Stem and stop flag of every kept token; each distinct (language, word) of the text
        // goes through the stemmer once.
        let mut finished: Vec<(String, bool)> = Vec::with_capacity(kept_count);
        {
            let mut first_of: FastMap<(Language, &str), usize> = FastMap::default();
            let mut ranges = kept.iter().peekable();
            for (i, r) in raw.iter().enumerate() {
                while ranges.peek().is_some_and(|k| k.end <= i) {
                    ranges.next();
                }
                if ranges.peek().is_some_and(|k| k.contains(&i)) {
                    let acronym = acronyms.as_ref().is_some_and(|a| a[i]);
                    let done =
                        self.stem_and_stop(language, r, acronym, |lang, norm| {
                            match first_of.entry((lang, norm)) {
                                Entry::Occupied(e) => finished[*e.get()].0.clone(),
                                Entry::Vacant(e) => {
                                    e.insert(finished.len());
                                    self.stemmers.stem(lang, norm).into_owned()
                                }
                            }
                        });
                    finished.push(done);
                }
            }
        }
        let mut finished = finished.into_iter();
        let mut tokens: Vec<Token> = Vec::with_capacity(kept_count);
        let mut ranges = kept.into_iter().peekable();
        for (i, r) in raw.into_iter().enumerate() {
            while ranges.peek().is_some_and(|k| k.end <= i) {
                ranges.next();
            }
            if ranges.peek().is_some_and(|k| k.contains(&i))
                && let Some((stem, stop)) = finished.next()
            {
                tokens.push(Token {
                    span: r.span,
                    norm: r.norm,
                    stem,
                    kind: r.kind,
                    stop,
                    capitalized: r.capitalized,
                });
            }
        }
        debug_assert_eq!(tokens.len(), kept_count);

        PreparedText {
            len: text.len(),
            language,
            tokens,
            sentences,
            paragraphs: paras,
        }
    }

    /// Stem and stop flag for a raw token; an `acronym` (e.g. `US` in running text) is
    /// never a stop word. `stem(language, norm)` stems a word that is no function word.
    fn stem_and_stop<'r>(
        &self,
        doc: Language,
        r: &'r RawToken,
        acronym: bool,
        mut stem: impl FnMut(Language, &'r str) -> String,
    ) -> (String, bool) {
        let lang = token_language(doc, r.kind, r.script);
        let stop_stem = if acronym {
            None
        } else {
            r.function_word.stop_stem(lang)
        };
        match stop_stem {
            Some(s) => (s.to_owned(), true),
            None if acronym => (stem(lang, &r.norm), false),
            None => {
                let stop = lang == Language::French
                    && r.norm.contains('\'')
                    && is_stop_word(lang, strip_french_elision(&r.norm));
                (stem(lang, &r.norm), stop)
            }
        }
    }
}

/// Acronym flags per raw token (`None` when the text has no all-caps token): an all-caps
/// word next to a word that is not all caps, such as `US` in `the US army` (but not the
/// words of an all-caps headline).
fn acronyms(raw: &[RawToken]) -> Option<Vec<bool>> {
    if !raw.iter().any(|r| r.all_caps) {
        return None;
    }
    let plain = |r: &RawToken| r.kind == TokenKind::Word && !r.all_caps;
    Some(
        (0..raw.len())
            .map(|i| {
                raw[i].all_caps
                    && ((i > 0 && plain(&raw[i - 1])) || raw.get(i + 1).is_some_and(plain))
            })
            .collect(),
    )
}

/// sentencex language for one paragraph: Russian rules for a mostly Cyrillic paragraph
/// (e.g. a Russian quotation in an English article), English rules for a mostly Latin
/// paragraph of a Russian document, the document's otherwise.
fn paragraph_code(doc_code: &'static str, toks: &[RawToken]) -> &'static str {
    let (mut latin, mut cyrillic) = (0usize, 0usize);
    for t in toks {
        match t.script {
            Script::Latin => latin += 1,
            Script::Cyrillic => cyrillic += 1,
            _ => {}
        }
    }
    if cyrillic > latin {
        "ru"
    } else if latin > cyrillic && doc_code == "ru" {
        "en"
    } else {
        doc_code
    }
}

/// German month names (ordinal dates are written `3. Oktober`).
const GERMAN_MONTHS: [&str; 13] = [
    "januar",
    "jänner",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
];

/// True when a sentencex cut is not a sentence end:
/// * after an ordinal number written with a dot (one or two digits: `am 3. Oktober`,
///   `der 2. platz`) followed by a lower-case word or, under German rules, a month name;
/// * after a single letter with a dot (`т. е. закон`, `z. B. mit`) followed by a lower-case
///   word: an abbreviation, not the end of a sentence.
fn is_false_cut(text: &str, cut: usize, code: &str) -> bool {
    let before = text[..cut].trim_end();
    let Some(head) = before.strip_suffix('.') else {
        return false;
    };
    let last_word_len = head.len() - head.trim_end_matches(|c: char| c.is_alphanumeric()).len();
    let word = &head[head.len() - last_word_len..];
    let preceded_ok = head[..head.len() - last_word_len]
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || c == '(' || c == '.');
    if !preceded_ok {
        return false;
    }
    let is_ordinal = matches!(word.len(), 1 | 2) && word.bytes().all(|b| b.is_ascii_digit());
    let mut chars = word.chars();
    let is_letter = chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none();
    if !is_ordinal && !is_letter {
        return false;
    }
    let after = text[cut..].trim_start();
    let Some(first) = after.chars().next() else {
        return false;
    };
    if first.is_lowercase() {
        return true;
    }
    if !is_ordinal || code != "de" {
        return false;
    }
    let next: String = after
        .chars()
        .take_while(|c| c.is_alphabetic())
        .take(12)
        .flat_map(char::to_lowercase)
        .collect();
    GERMAN_MONTHS.contains(&next.as_str())
}

/// Moves every cut that falls strictly inside a token to the token's end, then drops cuts
/// that are no longer increasing.
fn snap_cuts_to_tokens(cuts: &mut Vec<usize>, toks: &[RawToken]) {
    let mut ti = 0usize;
    let mut last = 0usize;
    cuts.retain_mut(|cut| {
        while ti < toks.len() && toks[ti].span.end <= *cut {
            ti += 1;
        }
        if ti < toks.len() && toks[ti].span.start < *cut {
            *cut = toks[ti].span.end;
        }
        let keep = *cut > last;
        if keep {
            last = *cut;
        }
        keep
    });
}

/// Prepares `text`, detecting its language (convenience for `Preparer::new().prepare`).
pub fn prepare(text: &str) -> PreparedText {
    Preparer::new().prepare(text)
}

/// Prepares `text` with `options` (convenience for `Preparer::new().prepare_with`).
pub fn prepare_with(text: &str, options: &PrepareOptions) -> PreparedText {
    Preparer::new().prepare_with(text, options)
}
