//! Normalization of one token: NFKC, lower case, unified quotes and dashes.
//!
//! Normalization is applied per token, after tokenization on the ORIGINAL text, so a token's
//! span always points at the bytes the user gave while its `norm` is the normalized form.
//! NFKC expansions therefore never disturb offsets: the ligature `ﬁ` in `ﬁnance` gives the
//! norm `finance` for the original 9-byte span, fullwidth `１２３` gives `123`.
//!
//! Steps, in order, for every char of the NFKC form:
//! * apostrophe-like marks (`’ ‘ ‛ ʼ ＇ ′ ´ \``) become `'`, double quotes (`“ ” „ ‟ « » ″`) become
//!   `"`, dashes and hyphens (`‐ ‑ ‒ – — ― − ﹣ －`) become `-`;
//! * invisible format characters (soft hyphen, zero-width space/joiners, BOM) are dropped;
//! * white space inside a token (only possible through exotic NFKC expansions) is dropped;
//! * everything else is lower-cased with [`char::to_lowercase`] (simple case folding; `ß`
//!   stays `ß`);
//! * finally a possessive / contracted `'s` after at least two chars ending in a letter is
//!   removed (`Korea’s` and `Korea's` → `korea`, `it's` → `it`), so names match their
//!   possessive form. Other inner apostrophes stay (`don't`, `o'brien`);
//! * dotted initialisms lose their dots (`U.S.` → token `U.S` → `us`, `p.m.` → `pm`), so
//!   `U.S.` and `US` agree.
//!
//! ASCII tokens take a fast path (byte-wise lower-casing, no NFKC pass).

use unicode_normalization::UnicodeNormalization;

/// Maps a quote or dash to its unified ASCII form; other chars are returned unchanged.
pub fn unify_punct(c: char) -> char {
    match c {
        '\u{2019}' | '\u{2018}' | '\u{201B}' | '\u{02BC}' | '\u{FF07}' | '\u{2032}'
        | '\u{00B4}' | '`' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2033}' | '\u{FF02}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => '-',
        _ => c,
    }
}

/// True for invisible format characters that normalization drops.
fn is_dropped(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    ) || c.is_whitespace()
}

/// Appends the normalized form of `token` to `out` (which is not cleared).
pub fn normalize_into(token: &str, out: &mut String) {
    let base = out.len();
    normalize_chars_into(token, out);
    strip_possessive(out, base);
    strip_initialism_dots(out, base);
}

/// Turns `x.y(.z)*` (single letters separated by dots) in `out[base..]` into `xyz`.
#[inline]
fn strip_initialism_dots(out: &mut String, base: usize) {
    let word = &out[base..];
    if word.len() < 3 || !word.contains('.') {
        return;
    }
    let mut letters = 0usize;
    for (i, c) in word.chars().enumerate() {
        let ok = if i % 2 == 0 {
            c.is_alphabetic()
        } else {
            c == '.'
        };
        if !ok {
            return;
        }
        letters += usize::from(i % 2 == 0);
    }
    if word.ends_with('.') || letters < 2 {
        return;
    }
    let joined: String = word.chars().filter(|&c| c != '.').collect();
    out.truncate(base);
    out.push_str(&joined);
}

/// Removes a trailing `'s` from `out[base..]` when at least two chars precede it and the
/// char before the apostrophe is a letter.
#[inline]
fn strip_possessive(out: &mut String, base: usize) {
    let word = &out[base..];
    if let Some(head) = word.strip_suffix("'s") {
        let mut rev = head.chars().rev();
        if rev.next().is_some_and(char::is_alphabetic) && rev.next().is_some() {
            out.truncate(base + head.len());
        }
    }
}

/// Per-char part of [`normalize_into`].
#[inline]
fn normalize_chars_into(token: &str, out: &mut String) {
    if token.is_ascii() {
        out.reserve(token.len());
        for b in token.bytes() {
            let c = unify_punct(b.to_ascii_lowercase() as char);
            if !is_dropped(c) {
                out.push(c);
            }
        }
        return;
    }
    for c in token.nfkc() {
        let c = unify_punct(c);
        if is_dropped(c) {
            continue;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// Returns the normalized form of `token`.
///
/// ```
/// assert_eq!(stemma_text::normalize::normalize("Korea’s"), "korea");
/// assert_eq!(stemma_text::normalize::normalize("Don’t"), "don't");
/// assert_eq!(stemma_text::normalize::normalize("ﬁnance"), "finance");
/// ```
pub fn normalize(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    normalize_into(token, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_cases_and_unifies() {
        assert_eq!(normalize("Don’t"), "don't");
        assert_eq!(normalize("Don't"), "don't");
        assert_eq!(normalize("O‘Brien"), "o'brien");
        assert_eq!(normalize("«Hello»"), "\"hello\"");
        assert_eq!(normalize("a–b—c"), "a-b-c");
    }

    #[test]
    fn possessive_s_is_removed() {
        assert_eq!(normalize("Korea’s"), "korea");
        assert_eq!(normalize("KOREA'S"), "korea");
        assert_eq!(normalize("it's"), "it");
        assert_eq!(normalize("a's"), "a's");
        assert_eq!(normalize("1990's"), "1990's");
        assert_eq!(normalize("o's"), "o's");
        assert_eq!(normalize("Путин's"), "путин");
        assert_eq!(normalize("'s"), "'s");
    }

    #[test]
    fn initialisms_lose_their_dots() {
        assert_eq!(normalize("U.S"), "us");
        assert_eq!(normalize("p.m"), "pm");
        assert_eq!(normalize("N.A.T.O"), "nato");
        assert_eq!(normalize("С.Ш.А"), "сша");
        assert_eq!(normalize("1.5"), "1.5");
        assert_eq!(normalize("ab.cd"), "ab.cd");
        assert_eq!(normalize("a.b1"), "a.b1");
    }

    #[test]
    fn nfkc_expansions() {
        assert_eq!(normalize("ﬁnance"), "finance");
        assert_eq!(normalize("１２３"), "123");
        assert_eq!(normalize("ＡＢＣ"), "abc");
        assert_eq!(normalize("Ⅻ"), "xii");
    }

    #[test]
    fn drops_invisible_format_chars() {
        assert_eq!(normalize("co\u{00AD}operate"), "cooperate");
        assert_eq!(normalize("zero\u{200B}width"), "zerowidth");
    }

    #[test]
    fn cyrillic_lower_case() {
        assert_eq!(normalize("Москва"), "москва");
    }
}
