//! How often `stemma_corpus::decode` detects the encoding of a legacy-encoded text, and whether
//! its offset map is exact: real articles (BBC, English) and sentences (paraphraser.ru,
//! Russian) are encoded with encoding_rs, then decoded with detection.
//!
//! ```text
//! cargo run --release -p stemma-corpus --example encoding_detection -- ../shared/data 300
//! ```
//!
//! For each encoding and text size it prints: texts tried, encoding detected exactly, text
//! decoded exactly (a different but equivalent encoding, e.g. KOI8-U for KOI8-R text without
//! Ukrainian letters, still decodes the same text), and offset-map checks at 40 character
//! boundaries per text (the original offset must equal the length of the encoded prefix),
//! and the memory of the offset maps per KB of input.

use std::collections::BTreeMap;
use std::path::PathBuf;

use encoding_rs::{
    Encoding, IBM866, ISO_8859_5, KOI8_R, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1251, WINDOWS_1252,
    X_MAC_CYRILLIC,
};
use stemma_corpus::decode::decode;

fn encode(text: &str, enc: &'static Encoding, bom: bool) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    if enc == UTF_16LE || enc == UTF_16BE {
        if bom {
            out.extend_from_slice(if enc == UTF_16LE {
                b"\xff\xfe"
            } else {
                b"\xfe\xff"
            });
        }
        for u in text.encode_utf16() {
            out.extend(if enc == UTF_16LE {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            });
        }
        return Some(out);
    }
    if bom {
        out.extend_from_slice(b"\xef\xbb\xbf");
    }
    let (bytes, _, unmappable) = enc.encode(text);
    if unmappable {
        return None;
    }
    out.extend_from_slice(&bytes);
    Some(out)
}

#[derive(Default)]
struct Tally {
    n: usize,
    detected: usize,
    text_exact: usize,
    map_checks: usize,
    map_exact: usize,
    original_bytes: usize,
    map_bytes: usize,
    wrong: BTreeMap<&'static str, usize>,
}

fn measure(t: &mut Tally, text: &str, enc: &'static Encoding, bom: bool) {
    let Some(bytes) = encode(text, enc, bom) else {
        return;
    };
    t.n += 1;
    let d = match decode(&bytes, None) {
        Ok(d) => d,
        Err(_) => {
            *t.wrong.entry("(refused)").or_default() += 1;
            return;
        }
    };
    t.original_bytes += bytes.len();
    t.map_bytes += d.offsets.heap_bytes();
    if d.encoding == enc {
        t.detected += 1;
    } else {
        *t.wrong.entry(d.encoding.name()).or_default() += 1;
    }
    if d.text != text {
        return;
    }
    t.text_exact += 1;
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let step = (bounds.len() / 40).max(1);
    let bom_len = if !bom {
        0
    } else if enc == UTF_8 {
        3
    } else {
        2
    };
    for &i in bounds.iter().step_by(step) {
        t.map_checks += 1;
        let want = bom_len + encode(&text[..i], enc, false).map_or(usize::MAX, |b| b.len());
        if d.offsets.to_original(i) == want {
            t.map_exact += 1;
        }
    }
}

/// Straight quotes made curly, ` - ` made an en dash.
fn curly(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut open = true;
    for c in text.replace(" - ", " – ").chars() {
        match c {
            '"' => {
                out.push(if open { '“' } else { '”' });
                open = !open;
            }
            '\'' => out.push('’'),
            _ => out.push(c),
        }
    }
    out
}

fn has_non_ascii(s: &str) -> bool {
    !s.is_ascii()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let data = PathBuf::from(args.next().unwrap_or_else(|| "../shared/data".into()));
    let per: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(300);

    // English: BBC articles that have a non-ASCII character (pure ASCII is valid UTF-8).
    let bbc = std::fs::read_to_string(data.join("bbc_news/bbc_news.jsonl")).expect("bbc_news");
    let english: Vec<String> = bbc
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_owned))
        .filter(|t| has_non_ascii(t))
        .take(per)
        .collect();
    // Short English: the first paragraph holding a non-ASCII character.
    let english_short: Vec<String> = english
        .iter()
        .filter_map(|t| {
            t.split("\n\n")
                .find(|p| has_non_ascii(p))
                .map(str::to_owned)
        })
        .collect();

    // The same articles as a word processor writes them: curly quotes, apostrophes, dashes
    // (what Windows-1252 files exported from Word hold).
    let english_curly: Vec<String> = english.iter().map(|t| curly(t)).collect();

    // Russian: paraphraser.ru sentences, one by one (short) and 8 at a time (a paragraph).
    let xml = std::fs::read_to_string(data.join("paraphraser_ru/paraphrases_train.xml"))
        .expect("paraphraser_ru");
    let sentences: Vec<&str> = xml
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("<value name=\"text_1\">")?
                .strip_suffix("</value>")
        })
        .collect();
    let russian_short: Vec<String> = sentences.iter().take(per).map(|s| s.to_string()).collect();
    let russian: Vec<String> = sentences.chunks(8).take(per).map(|c| c.join(" ")).collect();

    let cases: Vec<(&str, &Vec<String>, &'static Encoding, bool)> = vec![
        ("en article", &english, WINDOWS_1252, false),
        ("en paragraph", &english_short, WINDOWS_1252, false),
        ("en curly", &english_curly, WINDOWS_1252, false),
        ("en article", &english, UTF_8, true),
        ("en article", &english, UTF_16LE, true),
        ("en article", &english, UTF_16BE, true),
        ("ru 8 sentences", &russian, WINDOWS_1251, false),
        ("ru sentence", &russian_short, WINDOWS_1251, false),
        ("ru 8 sentences", &russian, KOI8_R, false),
        ("ru sentence", &russian_short, KOI8_R, false),
        ("ru 8 sentences", &russian, IBM866, false),
        ("ru 8 sentences", &russian, ISO_8859_5, false),
        ("ru 8 sentences", &russian, X_MAC_CYRILLIC, false),
        ("ru 8 sentences", &russian, UTF_16LE, true),
    ];
    println!(
        "{:<16} {:<14} {:>5} {:>9} {:>11} {:>13} {:>9}  wrong guesses",
        "texts", "encoding", "n", "detected", "text exact", "map exact", "map B/KB"
    );
    for (what, texts, enc, bom) in cases {
        let mut t = Tally::default();
        for text in texts.iter() {
            measure(&mut t, text, enc, bom);
        }
        let name = if bom {
            format!("{} BOM", enc.name())
        } else {
            enc.name().to_string()
        };
        println!(
            "{:<16} {:<14} {:>5} {:>9} {:>11} {:>6}/{:<6} {:>9.0}  {:?}",
            what,
            name,
            t.n,
            t.detected,
            t.text_exact,
            t.map_exact,
            t.map_checks,
            t.map_bytes as f64 * 1024.0 / t.original_bytes.max(1) as f64,
            t.wrong
        );
    }
}
