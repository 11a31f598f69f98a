//! Compact stop-word lists (the most common function words) per language.
//!
//! The lists are hand written, sorted by byte order (checked by a unit test) and looked up
//! with a binary search, so they need no allocation and no global state. Words are in the
//! normalized form produced by [`crate::normalize`]: lower case, straight apostrophes.
//!
//! Besides the five supported languages there are small *profiles* of Italian, Portuguese
//! and Dutch function words. They are never used as stop words; language detection uses
//! them only so that a text in one of those languages is reported as
//! [`Language::Other`] instead of being mistaken for Spanish,
//! French or German.

use std::sync::LazyLock;

use crate::Language;
use crate::stem::Stemmers;

/// Bit of each language in a [`function_word_mask`].
pub mod bits {
    /// English stop word.
    pub const ENGLISH: u8 = 1;
    /// German stop word.
    pub const GERMAN: u8 = 1 << 1;
    /// French stop word.
    pub const FRENCH: u8 = 1 << 2;
    /// Spanish stop word.
    pub const SPANISH: u8 = 1 << 3;
    /// Russian stop word.
    pub const RUSSIAN: u8 = 1 << 4;
    /// Italian profile word (detection only).
    pub const ITALIAN: u8 = 1 << 5;
    /// Portuguese profile word (detection only).
    pub const PORTUGUESE: u8 = 1 << 6;
    /// Dutch profile word (detection only).
    pub const DUTCH: u8 = 1 << 7;
}

/// The bit of `language` in a [`function_word_mask`] (0 for [`Language::Other`]).
pub fn language_bit(language: Language) -> u8 {
    match language {
        Language::English => bits::ENGLISH,
        Language::German => bits::GERMAN,
        Language::French => bits::FRENCH,
        Language::Spanish => bits::SPANISH,
        Language::Russian => bits::RUSSIAN,
        Language::Other => 0,
    }
}

/// Languages in bit order (bits 0..5 of a mask).
const BIT_LANGUAGES: [Language; 5] = [
    Language::English,
    Language::German,
    Language::French,
    Language::Spanish,
    Language::Russian,
];

/// Open-addressing hash table of every listed word with the bit set of its lists and, for
/// each stop-word language, the word's precomputed stem. Built once from the constant lists
/// below and never changed (immutable, deterministic).
struct FunctionWords {
    slots: Vec<(&'static str, u8)>,
    /// `stems[slot * 5 + i]`: stem of the slot's word for `BIT_LANGUAGES[i]`.
    stems: Vec<String>,
    mask: usize,
}

const TABLE_SIZE: usize = 4096;

#[inline]
fn fnv1a(s: &str) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h as usize
}

impl FunctionWords {
    fn build() -> Self {
        let mut slots = vec![("", 0u8); TABLE_SIZE];
        let mask = TABLE_SIZE - 1;
        let lists: [(&[&str], u8); 8] = [
            (ENGLISH, bits::ENGLISH),
            (GERMAN, bits::GERMAN),
            (FRENCH, bits::FRENCH),
            (SPANISH, bits::SPANISH),
            (RUSSIAN, bits::RUSSIAN),
            (ITALIAN_PROFILE, bits::ITALIAN),
            (PORTUGUESE_PROFILE, bits::PORTUGUESE),
            (DUTCH_PROFILE, bits::DUTCH),
        ];
        for (list, bit) in lists {
            for &w in list {
                let mut i = fnv1a(w) & mask;
                loop {
                    if slots[i].0.is_empty() {
                        slots[i] = (w, bit);
                        break;
                    }
                    if slots[i].0 == w {
                        slots[i].1 |= bit;
                        break;
                    }
                    i = (i + 1) & mask;
                }
            }
        }
        let stemmers = Stemmers::new();
        let mut stems = vec![String::new(); TABLE_SIZE * BIT_LANGUAGES.len()];
        for (slot, &(w, word_bits)) in slots.iter().enumerate() {
            for (i, lang) in BIT_LANGUAGES.iter().enumerate() {
                if word_bits & (1 << i) != 0 {
                    stems[slot * BIT_LANGUAGES.len() + i] = stemmers.stem(*lang, w).into_owned();
                }
            }
        }
        FunctionWords { slots, stems, mask }
    }

    #[inline]
    fn get(&self, w: &str) -> FunctionWord {
        const NONE: FunctionWord = FunctionWord { mask: 0, slot: 0 };
        if w.is_empty() || w.len() > 16 {
            return NONE;
        }
        let mut i = fnv1a(w) & self.mask;
        loop {
            let (k, bits) = self.slots[i];
            if k.is_empty() {
                return NONE;
            }
            if k == w {
                return FunctionWord {
                    mask: bits,
                    slot: i as u16,
                };
            }
            i = (i + 1) & self.mask;
        }
    }
}

static FUNCTION_WORDS: LazyLock<FunctionWords> = LazyLock::new(FunctionWords::build);

/// Result of a function-word lookup: which lists hold the word, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FunctionWord {
    /// Lists holding the word (see [`bits`]); 0 for a word in no list.
    pub mask: u8,
    /// Slot in the internal table (meaningful only when `mask != 0`).
    slot: u16,
}

impl FunctionWord {
    /// True when the word is a stop word of `language`.
    #[inline]
    pub fn is_stop(self, language: Language) -> bool {
        self.mask & language_bit(language) != 0
    }

    /// The precomputed stem of the word for `language`, when it is a stop word of it.
    #[inline]
    pub fn stop_stem(self, language: Language) -> Option<&'static str> {
        let i = BIT_LANGUAGES.iter().position(|l| *l == language)?;
        if self.mask & (1 << i) == 0 {
            return None;
        }
        Some(FUNCTION_WORDS.stems[self.slot as usize * BIT_LANGUAGES.len() + i].as_str())
    }
}

/// Looks `norm` (a normalized word) up in all lists at once: one hash lookup, used both
/// for stop flags and for language detection.
#[inline]
pub fn function_word(norm: &str) -> FunctionWord {
    FUNCTION_WORDS.get(norm)
}

/// The set of lists (see [`bits`]) that contain the normalized word `norm`; 0 for a word
/// in no list.
#[inline]
pub fn function_word_mask(norm: &str) -> u8 {
    function_word(norm).mask
}

/// The stop-word list of `language` (empty for [`Language::Other`]).
pub fn stop_words(language: Language) -> &'static [&'static str] {
    match language {
        Language::English => ENGLISH,
        Language::Russian => RUSSIAN,
        Language::German => GERMAN,
        Language::French => FRENCH,
        Language::Spanish => SPANISH,
        Language::Other => &[],
    }
}

/// True when `norm` (a normalized token) is a stop word of `language`.
#[inline]
pub fn is_stop_word(language: Language, norm: &str) -> bool {
    function_word_mask(norm) & language_bit(language) != 0
}

/// English stop words (sorted).
pub(crate) const ENGLISH: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "almost",
    "also",
    "although",
    "always",
    "am",
    "among",
    "an",
    "and",
    "another",
    "any",
    "anyone",
    "anything",
    "are",
    "aren't",
    "around",
    "as",
    "at",
    "be",
    "became",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "can't",
    "cannot",
    "could",
    "couldn't",
    "did",
    "didn't",
    "do",
    "does",
    "doesn't",
    "doing",
    "don't",
    "down",
    "during",
    "each",
    "either",
    "else",
    "even",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "further",
    "had",
    "hadn't",
    "has",
    "hasn't",
    "have",
    "haven't",
    "having",
    "he",
    "he'd",
    "he'll",
    "he's",
    "her",
    "here",
    "here's",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "how's",
    "however",
    "i",
    "i'd",
    "i'll",
    "i'm",
    "i've",
    "if",
    "in",
    "into",
    "is",
    "isn't",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "let's",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "mustn't",
    "my",
    "myself",
    "neither",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "others",
    "ought",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "quite",
    "rather",
    "said",
    "same",
    "say",
    "says",
    "shall",
    "shan't",
    "she",
    "she'd",
    "she'll",
    "she's",
    "should",
    "shouldn't",
    "since",
    "so",
    "some",
    "such",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "they'd",
    "they'll",
    "they're",
    "they've",
    "this",
    "those",
    "though",
    "through",
    "thus",
    "to",
    "too",
    "toward",
    "towards",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "via",
    "was",
    "wasn't",
    "we",
    "we'd",
    "we'll",
    "we're",
    "we've",
    "were",
    "weren't",
    "what",
    "what's",
    "when",
    "when's",
    "where",
    "where's",
    "whether",
    "which",
    "while",
    "who",
    "who's",
    "whom",
    "whose",
    "why",
    "why's",
    "will",
    "with",
    "within",
    "without",
    "won't",
    "would",
    "wouldn't",
    "yet",
    "you",
    "you'd",
    "you'll",
    "you're",
    "you've",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// German stop words (sorted).
pub(crate) const GERMAN: &[&str] = &[
    "aber", "alle", "allem", "allen", "aller", "alles", "als", "also", "am", "an", "ander",
    "andere", "anderem", "anderen", "anderer", "anderes", "anderm", "andern", "anders", "auch",
    "auf", "aus", "bei", "beim", "bin", "bis", "bist", "da", "dadurch", "daher", "damit", "dann",
    "darum", "das", "dass", "dein", "deine", "deinem", "deinen", "deiner", "dem", "den", "denn",
    "der", "des", "deshalb", "dich", "die", "dies", "diese", "diesem", "diesen", "dieser",
    "dieses", "dir", "doch", "dort", "du", "durch", "ein", "eine", "einem", "einen", "einer",
    "eines", "einige", "einmal", "er", "es", "etwas", "euch", "euer", "eure", "für", "gegen",
    "gewesen", "habe", "haben", "hat", "hatte", "hatten", "hier", "hin", "hinter", "ich", "ihm",
    "ihn", "ihnen", "ihr", "ihre", "ihrem", "ihren", "ihrer", "ihres", "im", "in", "indem", "ins",
    "ist", "jede", "jedem", "jeden", "jeder", "jedes", "jetzt", "kann", "kein", "keine", "keinem",
    "keinen", "keiner", "können", "könnte", "machen", "man", "manche", "mehr", "mein", "meine",
    "meinem", "meinen", "meiner", "mich", "mir", "mit", "muss", "musste", "nach", "nicht",
    "nichts", "noch", "nun", "nur", "ob", "oder", "ohne", "schon", "sehr", "sein", "seine",
    "seinem", "seinen", "seiner", "seit", "sich", "sie", "sind", "so", "solche", "soll", "sollte",
    "sondern", "sonst", "um", "und", "uns", "unser", "unsere", "unter", "viel", "vom", "von",
    "vor", "war", "waren", "warum", "was", "weil", "weiter", "welche", "welchem", "welchen",
    "welcher", "welches", "wenn", "wer", "werde", "werden", "wie", "wieder", "will", "wir", "wird",
    "wo", "wollen", "wurde", "wurden", "zu", "zum", "zur", "zwar", "zwischen", "über",
];

/// French stop words (sorted).
pub(crate) const FRENCH: &[&str] = &[
    "a",
    "afin",
    "ai",
    "aie",
    "aient",
    "ainsi",
    "alors",
    "après",
    "as",
    "au",
    "aucun",
    "aucune",
    "aujourd'hui",
    "auprès",
    "aura",
    "aurait",
    "aussi",
    "autre",
    "autres",
    "aux",
    "avaient",
    "avais",
    "avait",
    "avant",
    "avec",
    "avez",
    "avoir",
    "avons",
    "ayant",
    "c",
    "c'est",
    "car",
    "ce",
    "ceci",
    "cela",
    "celle",
    "celles",
    "celui",
    "cependant",
    "certains",
    "ces",
    "cet",
    "cette",
    "ceux",
    "chaque",
    "chez",
    "comme",
    "comment",
    "d",
    "dans",
    "de",
    "depuis",
    "des",
    "deux",
    "devant",
    "doit",
    "donc",
    "dont",
    "du",
    "elle",
    "elles",
    "en",
    "encore",
    "entre",
    "es",
    "est",
    "et",
    "eu",
    "eux",
    "faire",
    "fait",
    "fois",
    "font",
    "hors",
    "il",
    "ils",
    "j",
    "je",
    "jusqu",
    "jusque",
    "l",
    "la",
    "le",
    "les",
    "leur",
    "leurs",
    "lors",
    "lorsque",
    "lui",
    "m",
    "ma",
    "mais",
    "me",
    "mes",
    "moi",
    "moins",
    "mon",
    "même",
    "n",
    "ne",
    "ni",
    "nos",
    "notre",
    "nous",
    "on",
    "ont",
    "ou",
    "où",
    "par",
    "parce",
    "pas",
    "pendant",
    "peu",
    "peut",
    "plus",
    "plusieurs",
    "pour",
    "pourquoi",
    "qu",
    "quand",
    "que",
    "quel",
    "quelle",
    "quelles",
    "quels",
    "qui",
    "s",
    "sa",
    "sans",
    "se",
    "selon",
    "ses",
    "si",
    "sien",
    "son",
    "sont",
    "sous",
    "sur",
    "t",
    "ta",
    "te",
    "tes",
    "toi",
    "ton",
    "tous",
    "tout",
    "toute",
    "toutes",
    "très",
    "tu",
    "un",
    "une",
    "vers",
    "via",
    "voici",
    "voilà",
    "vos",
    "votre",
    "vous",
    "y",
    "ça",
    "étaient",
    "était",
    "été",
    "êtes",
    "être",
];

/// Spanish stop words (sorted).
pub(crate) const SPANISH: &[&str] = &[
    "a", "al", "algo", "algunas", "algunos", "ante", "antes", "aquel", "aquella", "aquellas",
    "aquellos", "aquí", "así", "aun", "aunque", "cada", "como", "con", "contra", "cual", "cuales",
    "cuando", "cuyo", "de", "del", "desde", "donde", "dos", "durante", "e", "el", "ella", "ellas",
    "ello", "ellos", "en", "entre", "era", "eran", "es", "esa", "esas", "ese", "eso", "esos",
    "esta", "estaba", "estado", "estar", "estas", "este", "esto", "estos", "está", "están", "fue",
    "fueron", "ha", "había", "habían", "han", "hasta", "hay", "la", "las", "le", "les", "lo",
    "los", "me", "mi", "mis", "mismo", "muy", "más", "nada", "ni", "no", "nos", "nosotros",
    "nuestra", "nuestro", "o", "otra", "otras", "otro", "otros", "para", "pero", "poco", "por",
    "porque", "pues", "que", "quien", "quienes", "qué", "se", "sea", "ser", "si", "sido", "sin",
    "sino", "sobre", "son", "su", "sus", "sí", "también", "tan", "tanto", "te", "tiene", "tienen",
    "todo", "todos", "tras", "tu", "tus", "un", "una", "unas", "uno", "unos", "usted", "y", "ya",
    "yo", "él",
];

/// Russian stop words (sorted).
pub(crate) const RUSSIAN: &[&str] = &[
    "а",
    "без",
    "более",
    "больше",
    "будет",
    "будто",
    "бы",
    "был",
    "была",
    "были",
    "было",
    "быть",
    "в",
    "вам",
    "вас",
    "весь",
    "во",
    "вот",
    "все",
    "всего",
    "всем",
    "всеми",
    "всех",
    "всю",
    "вся",
    "всё",
    "вы",
    "где",
    "да",
    "даже",
    "для",
    "до",
    "его",
    "ее",
    "ей",
    "ему",
    "если",
    "есть",
    "еще",
    "ещё",
    "её",
    "же",
    "за",
    "здесь",
    "и",
    "из",
    "или",
    "им",
    "их",
    "к",
    "как",
    "когда",
    "которая",
    "которого",
    "которое",
    "которой",
    "котором",
    "которую",
    "которые",
    "который",
    "которых",
    "кто",
    "ли",
    "либо",
    "между",
    "меня",
    "мне",
    "много",
    "может",
    "можно",
    "мой",
    "мы",
    "на",
    "над",
    "надо",
    "нам",
    "нас",
    "наш",
    "не",
    "него",
    "нее",
    "ней",
    "нем",
    "нему",
    "нет",
    "неё",
    "ни",
    "ним",
    "ними",
    "них",
    "но",
    "ну",
    "нём",
    "о",
    "об",
    "однако",
    "он",
    "она",
    "они",
    "оно",
    "от",
    "очень",
    "по",
    "под",
    "после",
    "потом",
    "потому",
    "почти",
    "при",
    "про",
    "раз",
    "с",
    "сам",
    "сама",
    "сами",
    "само",
    "свое",
    "своего",
    "своей",
    "своему",
    "свои",
    "своим",
    "своими",
    "своих",
    "свой",
    "свою",
    "своя",
    "своё",
    "со",
    "та",
    "так",
    "такая",
    "также",
    "такие",
    "таких",
    "такое",
    "такой",
    "там",
    "те",
    "тем",
    "теми",
    "тех",
    "то",
    "того",
    "тоже",
    "той",
    "только",
    "том",
    "тому",
    "тот",
    "ту",
    "тут",
    "ты",
    "у",
    "уж",
    "уже",
    "хотя",
    "чего",
    "чем",
    "через",
    "что",
    "чтобы",
    "эта",
    "эти",
    "этим",
    "этими",
    "этих",
    "это",
    "этого",
    "этой",
    "этом",
    "этому",
    "этот",
    "эту",
    "я",
];

/// Italian function words, used only to recognise Italian as `Other` (sorted).
pub(crate) const ITALIAN_PROFILE: &[&str] = &[
    "agli", "alla", "alle", "anche", "che", "come", "da", "degli", "dei", "della", "delle",
    "dello", "di", "ed", "essere", "fra", "gli", "ha", "hanno", "il", "lo", "loro", "ma", "negli",
    "nei", "nel", "nella", "non", "per", "perché", "più", "quando", "questa", "questo", "se",
    "sono", "stata", "stato", "sua", "sue", "sul", "sulla", "suo", "suoi", "tra", "una", "uno",
    "è",
];

/// Portuguese function words, used only to recognise Portuguese as `Other` (sorted).
pub(crate) const PORTUGUESE_PROFILE: &[&str] = &[
    "ao", "aos", "com", "como", "da", "das", "do", "dos", "ela", "elas", "ele", "eles", "em",
    "essa", "esse", "esta", "este", "está", "foi", "há", "isso", "já", "mais", "mas", "muito",
    "na", "nas", "no", "nos", "não", "o", "os", "para", "pela", "pelas", "pelo", "pelos", "por",
    "quando", "que", "ser", "seu", "seus", "sua", "suas", "são", "também", "um", "uma", "umas",
    "uns", "à", "às",
];

/// Dutch function words, used only to recognise Dutch as `Other` (sorted).
pub(crate) const DUTCH_PROFILE: &[&str] = &[
    "aan", "als", "bij", "dan", "dat", "de", "deze", "die", "dit", "door", "een", "en", "er",
    "geen", "hebben", "heeft", "het", "hij", "in", "is", "kan", "maar", "met", "naar", "niet",
    "nog", "om", "onder", "ook", "op", "over", "te", "tot", "uit", "van", "voor", "waren", "was",
    "wat", "wel", "werd", "worden", "wordt", "zij", "zijn", "zou",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_and_unique_for_binary_search() {
        for list in [
            ENGLISH,
            GERMAN,
            FRENCH,
            SPANISH,
            RUSSIAN,
            ITALIAN_PROFILE,
            PORTUGUESE_PROFILE,
            DUTCH_PROFILE,
        ] {
            for pair in list.windows(2) {
                assert!(pair[0] < pair[1], "{:?} not before {:?}", pair[0], pair[1]);
            }
        }
    }

    #[test]
    fn lookup_per_language() {
        assert!(is_stop_word(Language::English, "the"));
        assert!(is_stop_word(Language::English, "don't"));
        assert!(!is_stop_word(Language::English, "medal"));
        assert!(is_stop_word(Language::German, "und"));
        assert!(is_stop_word(Language::French, "les"));
        assert!(is_stop_word(Language::Spanish, "los"));
        assert!(is_stop_word(Language::Russian, "что"));
        assert!(!is_stop_word(Language::Other, "the"));
    }

    #[test]
    fn table_agrees_with_the_lists() {
        for l in Language::ALL {
            for w in stop_words(l) {
                assert!(is_stop_word(l, w), "{w} missing for {l}");
            }
        }
        assert_eq!(function_word_mask("de") & bits::FRENCH, bits::FRENCH);
        assert_eq!(function_word_mask("de") & bits::SPANISH, bits::SPANISH);
        assert_eq!(function_word_mask("de") & bits::DUTCH, bits::DUTCH);
        assert_eq!(function_word_mask(""), 0);
        assert_eq!(function_word_mask("unlisted"), 0);
        let s = Stemmers::new();
        for l in Language::ALL {
            for w in stop_words(l) {
                let fw = function_word(w);
                assert_eq!(fw.stop_stem(l), Some(s.stem(l, w).as_ref()), "{w}");
            }
        }
        assert_eq!(function_word("the").stop_stem(Language::German), None);
        for list in [
            ENGLISH,
            GERMAN,
            FRENCH,
            SPANISH,
            RUSSIAN,
            ITALIAN_PROFILE,
            PORTUGUESE_PROFILE,
            DUTCH_PROFILE,
        ] {
            assert!(list.iter().all(|w| w.len() <= 16));
        }
    }
}
