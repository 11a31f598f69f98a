//! Text in any encoding: bytes as the user gave them → UTF-8 text, the encoding it was in, and
//! a map from offsets in the decoded text back to offsets in the original bytes.
//!
//! Every later layer works on UTF-8 and reports byte spans into the text it was given. A file
//! in Windows-1252 or UTF-16 is still the user's file: the spans shown to them must index its
//! bytes, so decoding keeps an [`OffsetMap`] and front ends translate spans with it.
//!
//! Detection, in order (see [`decode`]):
//!
//! 1. a byte order mark decides: UTF-8 (`EF BB BF`), UTF-16LE (`FF FE`), UTF-16BE (`FE FF`);
//!    the mark is not part of the text;
//! 2. a NUL byte (outside UTF-16) means binary: refused;
//! 3. valid UTF-8 is UTF-8 (never second-guessed);
//! 4. otherwise `chardetng` guesses a legacy encoding (Windows-1252, Windows-1251, KOI8-R,
//!    ISO-8859-x, Shift_JIS, GBK, …) and the bytes must decode in it without error. (chardetng
//!    says KOI8-U for the KOI8 family; when none of the eight bytes where KOI8-U differs from
//!    KOI8-R occurs, the text is the same in both and KOI8-R is reported. When chardetng picks
//!    another Latin encoding, e.g. Windows-1250, for a text whose non-ASCII bytes read as lone
//!    letters there — `Ł600m` — but as symbols in Windows-1252 — `£600m` —, Windows-1252 is
//!    taken.)
//!
//! A forced encoding ([`decode`] with `Some`) replaces steps 2–4: a byte order mark still
//! decides (it cannot be mistaken), so a forced label applies to inputs without one. Labels are the WHATWG Encoding Standard's ([`encoding_for_label`]):
//! `latin1`, `iso-8859-1` and `ascii` name Windows-1252 there, as in every browser.

use std::fmt;

pub use encoding_rs::Encoding;
use encoding_rs::{DecoderResult, UTF_8, UTF_16BE, UTF_16LE};

/// Why bytes could not be decoded as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// A NUL byte outside UTF-16: the input is binary, not text.
    #[error("binary input (NUL byte at byte offset {offset}), not text")]
    Binary {
        /// Offset of the first NUL byte.
        offset: usize,
    },
    /// The bytes are not valid in the encoding that was forced or guessed.
    #[error("not valid {encoding} (first undecodable bytes at byte offset {offset}){hint}",
        hint = if *.guessed { "; not valid UTF-8 either, and the encoding guessed from the bytes does not fit: binary or mixed-encoding input? (force one with --encoding)" } else { "" })]
    Undecodable {
        /// The encoding's name.
        encoding: &'static str,
        /// Offset of the first byte that does not decode.
        offset: usize,
        /// True when the encoding was guessed, false when it was forced or given by a BOM.
        guessed: bool,
    },
    /// The label names no encoding that can decode text.
    #[error(
        "unknown encoding `{0}` (use a WHATWG label such as utf-8, utf-16le, windows-1252, latin1, windows-1251, koi8-r, iso-8859-2, shift_jis, gbk)"
    )]
    UnknownLabel(String),
}

/// The encoding named by a WHATWG label (case-insensitive, surrounding white space ignored):
/// `utf-8`, `utf-16le`, `utf-16be`, `windows-1252` (also `latin1`, `iso-8859-1`, `ascii`),
/// `windows-1251`, `koi8-r`, `iso-8859-5`, `shift_jis`, … An unknown label, or one that only
/// names the WHATWG "replacement" encoding, is [`DecodeError::UnknownLabel`].
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding, DecodeError> {
    Encoding::for_label_no_replacement(label.trim().as_bytes())
        .ok_or_else(|| DecodeError::UnknownLabel(label.to_owned()))
}

/// Text decoded from bytes, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, as UTF-8, without byte order mark.
    pub text: String,
    /// The encoding the bytes were read in.
    pub encoding: &'static Encoding,
    /// True when the bytes started with a byte order mark (not part of [`Decoded::text`]).
    pub bom: bool,
    /// Decoded offsets → original offsets.
    pub offsets: OffsetMap,
}

impl Decoded {
    /// True when the text is the original bytes unchanged (UTF-8 without a byte order mark):
    /// offsets need no translation.
    pub fn is_plain_utf8(&self) -> bool {
        self.encoding == UTF_8 && !self.bom
    }

    /// A short description: the encoding's name (`UTF-8`, `windows-1252`, `UTF-16LE`, …),
    /// followed by ` (BOM)` when a byte order mark was removed.
    pub fn describe(&self) -> String {
        describe(self.encoding, self.bom)
    }
}

/// The encoding's name, followed by ` (BOM)` when `bom`.
pub fn describe(encoding: &'static Encoding, bom: bool) -> String {
    if bom {
        format!("{} (BOM)", encoding.name())
    } else {
        encoding.name().to_owned()
    }
}

/// A run of characters that all take `dec_unit` bytes decoded and `orig_unit` bytes originally
/// (both divided by their greatest common divisor, so any run with equal lengths is `1:1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    decoded: usize,
    original: usize,
    dec_unit: u8,
    orig_unit: u8,
}

/// Maps byte offsets in decoded UTF-8 text to byte offsets in the original input.
///
/// Exact at every character boundary of the decoded text (the start of a character maps to the
/// start of its original bytes; the text's end maps to the input's end); an offset inside a
/// character maps to the start of that character's original bytes. Stored as runs of
/// characters of equal size, so plain ASCII costs nothing and UTF-16 ASCII one run; a
/// single-byte encoding whose text alternates often between ASCII and other characters
/// (Cyrillic, Greek) is stored as one bit per decoded byte instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetMap {
    runs: Vec<Run>,
    /// For single-byte encodings when smaller than the runs: one original byte per character.
    single: Option<PerChar>,
    decoded_len: usize,
    original_len: usize,
}

/// `unit` original bytes per decoded character (1: single-byte encodings, 2: UTF-16 without
/// characters outside the BMP): per 64-byte block of the decoded text, the UTF-8 continuation
/// bytes before the block and a mask of those inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PerChar {
    start: usize,
    unit: usize,
    before: Vec<usize>,
    mask: Vec<u64>,
}

impl PerChar {
    fn new(text: &str, start: usize, unit: usize) -> PerChar {
        let mut before = Vec::with_capacity(text.len() / 64 + 1);
        let mut mask = Vec::with_capacity(text.len() / 64 + 1);
        let mut total = 0usize;
        for block in text.as_bytes().chunks(64) {
            let mut m = 0u64;
            for (i, &b) in block.iter().enumerate() {
                if b & 0xC0 == 0x80 {
                    m |= 1 << i;
                }
            }
            before.push(total);
            mask.push(m);
            total += m.count_ones() as usize;
        }
        PerChar {
            start,
            unit,
            before,
            mask,
        }
    }

    fn heap_bytes(&self) -> usize {
        self.before.capacity() * std::mem::size_of::<usize>() + self.mask.capacity() * 8
    }

    /// `decoded` < the text's length.
    fn to_original(&self, decoded: usize) -> usize {
        let (b, r) = (decoded / 64, decoded % 64);
        let m = self.mask[b];
        let cont = self.before[b] + (m & ((1u64 << r) - 1)).count_ones() as usize;
        // Inside a character: back to its first byte, which is one character earlier.
        let inside = (m >> r) & 1;
        self.start + self.unit * (decoded - cont - inside as usize)
    }
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

impl OffsetMap {
    /// The identity map of a text of `len` bytes that is its own original.
    pub fn identity(len: usize) -> OffsetMap {
        OffsetMap {
            runs: vec![Run {
                decoded: 0,
                original: 0,
                dec_unit: 1,
                orig_unit: 1,
            }],
            single: None,
            decoded_len: len,
            original_len: len,
        }
    }

    /// Builds the map from each decoded character's (decoded length, original length), in
    /// order, starting at original offset `start` (after a byte order mark).
    fn build(
        chars: impl Iterator<Item = (usize, usize)>,
        start: usize,
        original_len: usize,
    ) -> OffsetMap {
        let mut runs: Vec<Run> = Vec::new();
        let (mut d, mut o) = (0usize, start);
        for (dl, ol) in chars {
            let g = gcd(dl, ol).max(1);
            let (du, ou) = ((dl / g) as u8, (ol / g) as u8);
            let extend = runs
                .last()
                .is_some_and(|r| r.dec_unit == du && r.orig_unit == ou);
            if !extend {
                runs.push(Run {
                    decoded: d,
                    original: o,
                    dec_unit: du,
                    orig_unit: ou,
                });
            }
            d += dl;
            o += ol;
        }
        if runs.is_empty() {
            runs.push(Run {
                decoded: 0,
                original: start,
                dec_unit: 1,
                orig_unit: 1,
            });
        }
        runs.shrink_to_fit();
        OffsetMap {
            runs,
            single: None,
            decoded_len: d,
            original_len,
        }
    }

    /// Heap memory the map holds, in bytes (what keeping it for a document costs).
    pub fn heap_bytes(&self) -> usize {
        self.runs.capacity() * std::mem::size_of::<Run>()
            + self.single.as_ref().map_or(0, PerChar::heap_bytes)
    }

    /// The map of a text whose every character took `unit` original bytes, in its smaller
    /// form.
    fn per_char(text: &str, unit: usize, start: usize, original_len: usize) -> OffsetMap {
        let runs = OffsetMap::build(
            text.chars().map(|c| (c.len_utf8(), unit)),
            start,
            original_len,
        );
        let single = PerChar::new(text, start, unit);
        if single.heap_bytes() < runs.heap_bytes() {
            OffsetMap {
                runs: Vec::new(),
                single: Some(single),
                ..runs
            }
        } else {
            runs
        }
    }

    /// Length of the decoded text in bytes.
    pub fn decoded_len(&self) -> usize {
        self.decoded_len
    }

    /// Length of the original input in bytes (byte order mark included).
    pub fn original_len(&self) -> usize {
        self.original_len
    }

    /// The original byte offset of decoded byte offset `decoded` (clamped to the text).
    pub fn to_original(&self, decoded: usize) -> usize {
        if decoded >= self.decoded_len {
            return self.original_len;
        }
        if let Some(single) = &self.single {
            return single.to_original(decoded).min(self.original_len);
        }
        let i = self.runs.partition_point(|r| r.decoded <= decoded) - 1;
        let r = self.runs[i];
        let chars = (decoded - r.decoded) / r.dec_unit as usize;
        (r.original + chars * r.orig_unit as usize).min(self.original_len)
    }

    /// The original byte range of the decoded range `start..end`.
    pub fn range_to_original(&self, start: usize, end: usize) -> (usize, usize) {
        (self.to_original(start), self.to_original(end))
    }
}

/// Decodes `bytes` as text: in `forced` when given, else in the encoding detected (see the
/// module documentation). Emptiness and control characters are not judged here.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, DecodeError> {
    if let Some((bom_encoding, _)) = Encoding::for_bom(bytes) {
        return decode_in(bytes, bom_encoding, false);
    }
    if let Some(e) = forced {
        return decode_in(bytes, e, false);
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(DecodeError::Binary { offset });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_owned(),
            encoding: UTF_8,
            bom: false,
            offsets: OffsetMap::identity(bytes.len()),
        });
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let guess = prefer_koi8_r(det.guess(None, false), bytes);
    decode_in(bytes, prefer_windows_1252(guess, bytes), true)
}

/// chardetng names the KOI8 family KOI8-U; the two differ only in eight bytes (Ukrainian
/// letters in KOI8-U, box drawing in KOI8-R). Without any of them the text is the same in
/// both, and KOI8-R (Russian) is the one to report.
fn prefer_koi8_r(guess: &'static Encoding, bytes: &[u8]) -> &'static Encoding {
    const KOI8_U_ONLY: [u8; 8] = [0xA4, 0xA6, 0xA7, 0xAD, 0xB4, 0xB6, 0xB7, 0xBD];
    if guess == encoding_rs::KOI8_U && !bytes.iter().any(|b| KOI8_U_ONLY.contains(b)) {
        encoding_rs::KOI8_R
    } else {
        guess
    }
}

/// Latin-script single-byte encodings other than Windows-1252.
const OTHER_LATIN: [&Encoding; 12] = [
    encoding_rs::WINDOWS_1250,
    encoding_rs::ISO_8859_2,
    encoding_rs::WINDOWS_1254,
    encoding_rs::WINDOWS_1257,
    encoding_rs::WINDOWS_1258,
    encoding_rs::ISO_8859_3,
    encoding_rs::ISO_8859_4,
    encoding_rs::ISO_8859_10,
    encoding_rs::ISO_8859_13,
    encoding_rs::ISO_8859_14,
    encoding_rs::ISO_8859_15,
    encoding_rs::ISO_8859_16,
];

/// Non-ASCII letters with no letter on either side (`Ł600m`, where Windows-1252 reads `£600m`).
fn isolated_letters(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len())
        .filter(|&i| {
            let c = chars[i];
            let letter_before = i > 0 && chars[i - 1].is_alphabetic();
            let letter_after = chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
            !c.is_ascii() && c.is_alphabetic() && !letter_before && !letter_after
        })
        .count()
}

/// chardetng tells Latin encodings apart by the letters; when the only non-ASCII bytes are
/// symbols (an English text whose one non-ASCII character is `£`) it may prefer e.g.
/// Windows-1250, reading a lone letter `Ł`. A lone non-ASCII letter is rare in any language;
/// when the guess makes more of them than Windows-1252 does, Windows-1252 is taken.
fn prefer_windows_1252(guess: &'static Encoding, bytes: &[u8]) -> &'static Encoding {
    use encoding_rs::WINDOWS_1252;
    if !OTHER_LATIN.contains(&guess) {
        return guess;
    }
    let (Some(g), Some(w)) = (
        guess.decode_without_bom_handling_and_without_replacement(bytes),
        WINDOWS_1252.decode_without_bom_handling_and_without_replacement(bytes),
    ) else {
        return guess;
    };
    if isolated_letters(&g) > isolated_letters(&w) {
        WINDOWS_1252
    } else {
        guess
    }
}

/// Decodes `bytes` in `encoding` exactly (no replacement characters), removing a byte order
/// mark of that encoding.
fn decode_in(
    bytes: &[u8],
    encoding: &'static Encoding,
    guessed: bool,
) -> Result<Decoded, DecodeError> {
    let bom_len = match Encoding::for_bom(bytes) {
        Some((e, n)) if e == encoding => n,
        _ => 0,
    };
    let body = &bytes[bom_len..];
    let bad = |offset: usize| DecodeError::Undecodable {
        encoding: encoding.name(),
        offset: bom_len + offset,
        guessed,
    };
    let (text, offsets) = if encoding == UTF_8 {
        let text = std::str::from_utf8(body)
            .map_err(|e| bad(e.valid_up_to()))?
            .to_owned();
        let offsets = if bom_len == 0 {
            OffsetMap::identity(text.len())
        } else {
            OffsetMap::build(
                std::iter::once((text.len(), body.len())),
                bom_len,
                bytes.len(),
            )
        };
        (text, offsets)
    } else if encoding == UTF_16LE || encoding == UTF_16BE {
        decode_utf16(body, encoding == UTF_16LE, bom_len, bytes.len()).map_err(bad)?
    } else if encoding.is_single_byte() {
        let text = encoding
            .decode_without_bom_handling_and_without_replacement(body)
            .ok_or_else(|| bad(first_undecodable_single_byte(encoding, body)))?
            .into_owned();
        let offsets = OffsetMap::per_char(&text, 1, bom_len, bytes.len());
        (text, offsets)
    } else {
        decode_stateful(body, encoding, bom_len, bytes.len()).map_err(bad)?
    };
    // NUL is not text, whatever the encoding (a forced decoding of binary data).
    if let Some(at) = text.find('\0') {
        return Err(DecodeError::Binary {
            offset: offsets.to_original(at),
        });
    }
    Ok(Decoded {
        text,
        encoding,
        bom: bom_len > 0,
        offsets,
    })
}

/// Offset of the first byte a single-byte encoding leaves unmapped.
fn first_undecodable_single_byte(encoding: &'static Encoding, body: &[u8]) -> usize {
    (0..body.len())
        .find(|&i| {
            encoding
                .decode_without_bom_handling_and_without_replacement(&body[i..=i])
                .is_none()
        })
        .unwrap_or(0)
}

/// UTF-16 code units → text and map; an unpaired surrogate or odd trailing byte is an error
/// at its offset within `body`.
fn decode_utf16(
    body: &[u8],
    little: bool,
    start: usize,
    original_len: usize,
) -> Result<(String, OffsetMap), usize> {
    if body.len() % 2 == 1 {
        return Err(body.len() - 1);
    }
    let units = body.chunks_exact(2).map(|p| {
        if little {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let mut text = String::with_capacity(body.len() / 2);
    let mut sizes = Vec::new();
    let mut at = 0usize;
    for c in char::decode_utf16(units) {
        let c = c.map_err(|_| at)?;
        let ol = c.len_utf16() * 2;
        text.push(c);
        sizes.push((c.len_utf8(), ol));
        at += ol;
    }
    let offsets = if sizes.iter().all(|&(_, ol)| ol == 2) {
        OffsetMap::per_char(&text, 2, start, original_len)
    } else {
        OffsetMap::build(sizes.into_iter(), start, original_len)
    };
    Ok((text, offsets))
}

/// Multi-byte legacy encodings (Shift_JIS, EUC-JP, ISO-2022-JP, GBK, gb18030, Big5, EUC-KR):
/// fed one byte at a time so that each character is tied to the bytes consumed since the
/// previous character came out.
fn decode_stateful(
    body: &[u8],
    encoding: &'static Encoding,
    start: usize,
    original_len: usize,
) -> Result<(String, OffsetMap), usize> {
    let mut dec = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(body.len() * 3 / 2);
    let mut sizes: Vec<(usize, usize)> = Vec::new();
    let mut consumed_at_last_char = 0usize;
    for i in 0..=body.len() {
        let (src, last) = if i < body.len() {
            (&body[i..=i], false)
        } else {
            (&body[..0], true)
        };
        let before = text.len();
        let need = dec
            .max_utf8_buffer_length_without_replacement(src.len())
            .unwrap_or(16);
        text.reserve(need);
        let (res, _read) = dec.decode_to_string_without_replacement(src, &mut text, last);
        match res {
            DecoderResult::InputEmpty => {}
            DecoderResult::Malformed(_, _) => return Err(i.min(body.len().saturating_sub(1))),
            DecoderResult::OutputFull => unreachable!("buffer reserved for the maximum output"),
        }
        let out = &text[before..];
        if !out.is_empty() {
            let consumed = (i + 1).min(body.len());
            let mut first = true;
            for c in out.chars() {
                // The first character covers every byte since the previous one; any others
                // that came out with it cover none.
                let ol = if first {
                    consumed - consumed_at_last_char
                } else {
                    0
                };
                first = false;
                sizes.push((c.len_utf8(), ol));
            }
            consumed_at_last_char = consumed;
        }
    }
    // Bytes after the last character (an escape sequence back to ASCII) belong to no char.
    let offsets = OffsetMap::build(sizes.into_iter(), start, original_len);
    Ok((text, offsets))
}

impl fmt::Display for Decoded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{IBM866, ISO_8859_2, KOI8_R, SHIFT_JIS, WINDOWS_1251, WINDOWS_1252};

    const FRENCH: &str = "« L’été », a dit Zoë — le café coûte 3 € à Besançon. \
        Les élèves répètent : « Où est la bibliothèque ? » Déjà vu, naïve façade.";
    const RUSSIAN: &str = "Мэр Петров заявил, что 40 домов были эвакуированы после наводнения \
        в долине Матесгора. Школы остаются закрытыми, а жители ждут помощи от властей.";
    const CZECH: &str = "Povodně odřízly údolí Matesgora. Starosta Petrov řekl, že čtyřicet \
        domů bylo evakuováno; školy zůstávají zavřené a příliš žluťoučký kůň úpěl ďábelské ódy.";

    fn encode(text: &str, enc: &'static Encoding) -> Vec<u8> {
        if enc == UTF_16LE || enc == UTF_16BE {
            let little = enc == UTF_16LE;
            return text
                .encode_utf16()
                .flat_map(|u| {
                    if little {
                        u.to_le_bytes()
                    } else {
                        u.to_be_bytes()
                    }
                })
                .collect();
        }
        let (bytes, _, unmappable) = enc.encode(text);
        assert!(!unmappable, "{} cannot encode the sample", enc.name());
        bytes.into_owned()
    }

    /// Every char boundary of the decoded text maps to the length of the encoded prefix.
    fn assert_exact_map(d: &Decoded, text: &str, enc: &'static Encoding, bom: usize) {
        assert_eq!(d.text, text);
        for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let want = bom + encode(&text[..i], enc).len();
            assert_eq!(d.offsets.to_original(i), want, "{} at {i}", enc.name());
        }
    }

    #[test]
    fn legacy_encodings_are_detected_and_mapped_exactly() {
        for (text, enc) in [
            (FRENCH, WINDOWS_1252),
            (RUSSIAN, WINDOWS_1251),
            (RUSSIAN, KOI8_R),
            (RUSSIAN, IBM866),
            (CZECH, ISO_8859_2),
        ] {
            let bytes = encode(text, enc);
            let d = decode(&bytes, None).unwrap();
            assert_eq!(
                d.encoding,
                enc,
                "detected {} for {}",
                d.encoding.name(),
                enc.name()
            );
            assert!(!d.bom && !d.is_plain_utf8());
            assert_exact_map(&d, text, enc, 0);
            assert_eq!(d.offsets.original_len(), bytes.len());
        }
    }

    #[test]
    fn pound_sign_text_is_windows_1252_not_central_european() {
        // chardetng alone says windows-1250 here (`Ł600m`).
        let text = "Profits jumped 76% to $1.13bn (£600m) for the three months, from £639m.";
        let bytes = encode(text, WINDOWS_1252);
        let d = decode(&bytes, None).unwrap();
        assert_eq!((d.encoding, d.text.as_str()), (WINDOWS_1252, text));
        // Real Central European text keeps its guess.
        let d = decode(&encode(CZECH, encoding_rs::WINDOWS_1250), None).unwrap();
        assert_eq!(d.encoding, encoding_rs::WINDOWS_1250);
    }

    #[test]
    fn byte_order_marks_decide_and_are_not_text() {
        let mut utf8 = b"\xef\xbb\xbf".to_vec();
        utf8.extend_from_slice(FRENCH.as_bytes());
        let d = decode(&utf8, None).unwrap();
        assert_eq!((d.encoding, d.bom), (UTF_8, true));
        assert_eq!(d.describe(), "UTF-8 (BOM)");
        assert_exact_map(&d, FRENCH, UTF_8, 3);

        // UTF-16 both ways, with a character outside the BMP (a surrogate pair).
        let text = format!("{RUSSIAN} 😀 {FRENCH}");
        for (enc, bom) in [(UTF_16LE, [0xff, 0xfe]), (UTF_16BE, [0xfe, 0xff])] {
            let mut bytes = bom.to_vec();
            bytes.extend(encode(&text, enc));
            let d = decode(&bytes, None).unwrap();
            assert_eq!((d.encoding, d.bom), (enc, true));
            assert_exact_map(&d, &text, enc, 2);
        }
    }

    #[test]
    fn valid_utf8_is_never_second_guessed() {
        // Mojibake that would also be plausible Windows-1252 stays what it is: UTF-8.
        let text = "cafÃ© Ã  la crÃ¨me, dÃ©jÃ  vu";
        let d = decode(text.as_bytes(), None).unwrap();
        assert!(d.is_plain_utf8());
        assert_eq!(d.text, text);
        assert_eq!(d.offsets.to_original(7), 7);
        assert_eq!(d.offsets.to_original(text.len()), text.len());
    }

    #[test]
    fn forced_encoding_wins_and_fails_loudly() {
        let bytes = encode(RUSSIAN, KOI8_R);
        let d = decode(&bytes, Some(WINDOWS_1251)).unwrap();
        assert_eq!(d.encoding, WINDOWS_1251);
        assert_ne!(d.text, RUSSIAN);
        assert_eq!(decode(&bytes, Some(KOI8_R)).unwrap().text, RUSSIAN);
        // Windows-1252 bytes forced as UTF-8: the first non-ASCII byte is named.
        let latin = encode(FRENCH, WINDOWS_1252);
        let err = decode(&latin, Some(UTF_8)).unwrap_err();
        assert_eq!(
            err,
            DecodeError::Undecodable {
                encoding: "UTF-8",
                offset: 0,
                guessed: false
            }
        );
        assert_eq!(encoding_for_label(" Latin1 ").unwrap(), WINDOWS_1252);
        assert_eq!(encoding_for_label("cp1251").unwrap(), WINDOWS_1251);
        let err = encoding_for_label("klingon-8").unwrap_err();
        assert!(err.to_string().contains("klingon-8"), "{err}");
        assert!(encoding_for_label("iso-2022-kr").is_err());
    }

    #[test]
    fn multibyte_legacy_encoding_maps_each_character() {
        let text = "東京で地震があった。 Tokyo: 3 人が負傷、「大丈夫」と市長。";
        let bytes = encode(text, SHIFT_JIS);
        let d = decode(&bytes, Some(SHIFT_JIS)).unwrap();
        assert_exact_map(&d, text, SHIFT_JIS, 0);
    }

    #[test]
    fn binary_is_refused() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00";
        assert_eq!(decode(png, None), Err(DecodeError::Binary { offset: 8 }));
        let gzip = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcb\x48\xcd\xc9\xc9\x07\x00";
        assert_eq!(decode(gzip, None), Err(DecodeError::Binary { offset: 3 }));
        // Forced single-byte decoding does not let NUL bytes through either.
        assert!(matches!(
            decode(png, Some(WINDOWS_1252)),
            Err(DecodeError::Binary { offset: 8 })
        ));
        // An odd byte count cannot be UTF-16.
        assert!(matches!(
            decode(b"\xff\xfea\x00b", None),
            Err(DecodeError::Undecodable { offset: 4, .. })
        ));
    }

    #[test]
    fn offsets_inside_a_character_fall_to_its_start() {
        let bytes = encode("aé b", WINDOWS_1252);
        let d = decode(&bytes, Some(WINDOWS_1252)).unwrap();
        // 'é' is decoded bytes 1..3, original byte 1.
        assert_eq!(d.offsets.range_to_original(1, 3), (1, 2));
        assert_eq!(d.offsets.to_original(2), 1);
        assert_eq!(d.offsets.to_original(99), bytes.len());
        // The same in the bit-per-byte form a Cyrillic text gets: every offset of the text,
        // boundaries and insides of characters, over several 64-byte blocks.
        let text = RUSSIAN.repeat(3);
        let bytes = encode(&text, WINDOWS_1251);
        let d = decode(&bytes, None).unwrap();
        assert!(d.offsets.single.is_some());
        for i in 0..=text.len() {
            let start = (0..=i).rev().find(|&j| text.is_char_boundary(j)).unwrap();
            let want = encode(&text[..start], WINDOWS_1251).len();
            assert_eq!(d.offsets.to_original(i), want, "at {i}");
        }
        // UTF-16 without characters outside the BMP: two bytes per character, after the BOM.
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend(encode(&text, UTF_16LE));
        let d = decode(&bytes, None).unwrap();
        assert!(d.offsets.single.is_some());
        for i in 0..=text.len() {
            let start = (0..=i).rev().find(|&j| text.is_char_boundary(j)).unwrap();
            let want = 2 + encode(&text[..start], UTF_16LE).len();
            assert_eq!(d.offsets.to_original(i), want, "at {i}");
        }
    }
}
