//! `stemma compare A B`: compare two documents and print the relation, the aligned passages,
//! the direction of copying and the changed details.
//!
//! Inputs are text in any encoding: UTF-8 (with or without byte order mark), UTF-16 with a
//! byte order mark, or a legacy encoding (Windows-1252, Windows-1251, KOI8-R, ISO-8859-x, …)
//! detected by `stemma_corpus::decode` or forced with `--encoding`. Decoding is exact (never
//! with replacement characters), and the comparison runs on the decoded text; the JSON output
//! maps every span back to byte offsets into the input exactly as given, and names each
//! input's encoding. Empty (or white-space only) input, binary input (a NUL byte), bytes that
//! do not decode, and inputs larger than `--max-bytes` are refused with an error naming the
//! file (and the byte offset, for NUL bytes and undecodable bytes); the exit code is then 2.

use std::io::{IsTerminal, Read};
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use stemma_compare::{Comparer, Comparison, Document, Span};
use stemma_corpus::decode::{DecodeError, Decoded, Encoding, encoding_for_label};
use stemma_render::{Input, InputEncoding, html, json, terminal};

use crate::EXIT_OK;

/// Default cap on the size of one input, in bytes (16 MiB).
pub const DEFAULT_MAX_BYTES: u64 = 16 * 1024 * 1024;

/// When to color the terminal output.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    /// When standard output is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Arguments of `stemma compare`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// First document (a text file in any encoding, or `-` for standard input).
    #[arg(value_name = "A")]
    pub a: String,
    /// Second document (a text file, or `-` for standard input; at most one `-`).
    #[arg(value_name = "B")]
    pub b: String,
    /// Print the comparison as JSON (the contract in docs/json.md) instead of the text view.
    #[arg(long)]
    pub json: bool,
    /// With --json: one line instead of indented JSON.
    #[arg(long, requires = "json")]
    pub compact: bool,
    /// Also write a self-contained HTML page showing the two texts side by side.
    #[arg(long, value_name = "FILE")]
    pub html: Option<String>,
    /// Publication date of A (e.g. 2024-05-01, 2024-05-01T14:05:00Z); used as direction evidence.
    #[arg(long, value_name = "DATE")]
    pub date_a: Option<String>,
    /// Publication date of B.
    #[arg(long, value_name = "DATE")]
    pub date_b: Option<String>,
    /// Color the text view.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Read both inputs in this encoding instead of detecting it (a WHATWG label: utf-8,
    /// utf-16le, windows-1252, latin1, windows-1251, koi8-r, iso-8859-2, shift_jis, …); a byte
    /// order mark still decides.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// Refuse inputs larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,
    /// Sentence-embedding model file (e5-small-q4.bin) for the semantic layer; default:
    /// $STEMMA_MODEL, then the cache folder (scripts/fetch-model.sh puts it there).
    #[arg(long, value_name = "PATH")]
    pub model: Option<std::path::PathBuf>,
    /// Score sentences lexically only, even when a model is available.
    #[arg(long, conflicts_with = "model")]
    pub no_semantic: bool,
}

/// Why an input was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum InputProblem {
    /// Zero bytes, or white space only.
    Empty,
    /// Binary, or bytes that do not decode.
    Decode(DecodeError),
}

impl std::fmt::Display for InputProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputProblem::Empty => write!(f, "empty input (no text to compare)"),
            InputProblem::Decode(DecodeError::Binary { offset }) => write!(
                f,
                "binary input (NUL byte at byte offset {offset}); stemma compares text"
            ),
            InputProblem::Decode(e) => write!(f, "{e}"),
        }
    }
}

/// Decodes `bytes` (in `forced` when given, else in the encoding detected) and checks that
/// the text is not empty.
pub fn decode(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
) -> std::result::Result<Decoded, InputProblem> {
    let d = stemma_corpus::decode::decode(bytes, forced).map_err(InputProblem::Decode)?;
    if d.text.trim().is_empty() {
        return Err(InputProblem::Empty);
    }
    Ok(d)
}

/// Reads at most `max + 1` bytes so that a huge input is refused without being loaded.
fn read_capped(reader: impl Read, label: &str, max: u64) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    reader
        .take(max.saturating_add(1))
        .read_to_end(&mut buf)
        .with_context(|| format!("{label}: cannot read"))?;
    if buf.len() as u64 > max {
        bail!("{label}: input larger than the limit of {max} bytes (raise it with --max-bytes)");
    }
    Ok(buf)
}

/// Reads, decodes and checks one input; `arg` is a path or `-`. Returns (label, decoded).
fn read_input(arg: &str, max: u64, forced: Option<&'static Encoding>) -> Result<(String, Decoded)> {
    let (label, bytes) = if arg == "-" {
        let label = "<stdin>".to_string();
        let bytes = read_capped(std::io::stdin().lock(), &label, max)?;
        (label, bytes)
    } else {
        let path = Path::new(arg);
        let file = std::fs::File::open(path).with_context(|| format!("{arg}: cannot open"))?;
        if let Ok(meta) = file.metadata() {
            if meta.is_dir() {
                bail!("{arg}: is a directory, not a text file");
            }
            if meta.is_file() && meta.len() > max {
                bail!(
                    "{arg}: input of {} bytes is larger than the limit of {max} bytes (raise it with --max-bytes)",
                    meta.len()
                );
            }
        }
        (arg.to_string(), read_capped(file, arg, max)?)
    };
    let decoded = decode(&bytes, forced).map_err(|p| anyhow!("{label}: {p}"))?;
    Ok((label, decoded))
}

/// How an input was decoded, as the printers show it.
fn input_encoding(d: &Decoded) -> InputEncoding<'static> {
    InputEncoding {
        name: d.encoding.name(),
        bom: d.bom,
        original_len: d.offsets.original_len(),
    }
}

/// Rewrites the spans of `cmp` (offsets into the decoded texts) into offsets into the bytes
/// of each input as given.
pub fn to_original_spans(cmp: &mut Comparison, a: &Decoded, b: &Decoded) {
    if a.is_plain_utf8() && b.is_plain_utf8() {
        return;
    }
    let map = |d: &Decoded, s: Span| {
        let (start, end) = d.offsets.range_to_original(s.start, s.end);
        Span::new(start, end)
    };
    cmp.map_spans(|s| map(a, s), |s| map(b, s));
}

fn parse_date_arg(flag: &str, value: Option<&str>) -> Result<Option<i64>> {
    match value {
        None => Ok(None),
        Some(s) => stemma_compare::parse_date(s).map(Some).ok_or_else(|| {
            anyhow!(
                "{flag}: cannot read the date {s:?} (use e.g. 2024-05-01 or 2024-05-01T14:05:00Z)"
            )
        }),
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Runs `stemma compare`; returns the process exit code.
pub fn run(args: Args) -> Result<i32> {
    if args.a == "-" && args.b == "-" {
        bail!("at most one of A and B can be `-` (standard input)");
    }
    let date_a = parse_date_arg("--date-a", args.date_a.as_deref())?;
    let date_b = parse_date_arg("--date-b", args.date_b.as_deref())?;
    let forced = match &args.encoding {
        Some(label) => Some(encoding_for_label(label).context("--encoding")?),
        None => None,
    };
    let (label_a, dec_a) = read_input(&args.a, args.max_bytes, forced)?;
    let (label_b, dec_b) = read_input(&args.b, args.max_bytes, forced)?;
    let (text_a, text_b) = (dec_a.text.as_str(), dec_b.text.as_str());

    let prep_a = stemma_text::prepare(text_a);
    let prep_b = stemma_text::prepare(text_b);
    let embedder = crate::semantic_embedder(args.model.as_deref(), args.no_semantic)?;
    let options = crate::compare_options(embedder.is_some());
    let scorer = stemma_align::HybridScorer::new(stemma_align::LexicalScorer::default(), embedder);
    let comparer = Comparer::with_scorer(options, scorer);
    let cmp = comparer.compare(
        &Document::new(text_a, &prep_a).with_date(date_a),
        &Document::new(text_b, &prep_b).with_date(date_b),
    );

    // The terminal and HTML views show the decoded texts (spans as computed); the JSON
    // contract indexes the inputs' original bytes.
    let a = Input::new(&label_a, text_a).with_encoding(input_encoding(&dec_a));
    let b = Input::new(&label_b, text_b).with_encoding(input_encoding(&dec_b));
    if let Some(path) = &args.html {
        let page = html::page(&cmp, &a, &b, &html::HtmlOptions::default());
        std::fs::write(path, page)
            .with_context(|| format!("{path}: cannot write the HTML page"))?;
        eprintln!("stemma: wrote {path}");
    }
    if args.json {
        let mut original = cmp.clone();
        to_original_spans(&mut original, &dec_a, &dec_b);
        let mut s = json::to_string_with_inputs(&original, &a, &b, !args.compact);
        s.push('\n');
        crate::emit(&s)?;
    } else {
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|&w| w >= 40)
            .unwrap_or(100);
        let opts = terminal::TerminalOptions {
            color: use_color(args.color),
            width,
            ..Default::default()
        };
        crate::emit(&terminal::render(&cmp, &a, &b, &opts))?;
    }
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_refuses_bad_input_with_offsets() {
        assert_eq!(decode(b"", None), Err(InputProblem::Empty));
        assert_eq!(decode(b" \n\t ", None), Err(InputProblem::Empty));
        assert_eq!(
            decode(b"ab\0cd", None),
            Err(InputProblem::Decode(DecodeError::Binary { offset: 2 }))
        );
        let utf8 = encoding_for_label("utf-8").unwrap();
        assert_eq!(
            decode(b"caf\xc3\xa9 \xff!", Some(utf8)),
            Err(InputProblem::Decode(DecodeError::Undecodable {
                encoding: "UTF-8",
                offset: 6,
                guessed: false
            }))
        );
        // Not UTF-8, so detected: Windows-1252.
        let d = decode(b"caf\xe9 cr\xe8me", None).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding.name()),
            ("café crème", "windows-1252")
        );
        assert_eq!(decode("ok ✓".as_bytes(), None).unwrap().text, "ok ✓");
    }

    #[test]
    fn spans_map_back_to_the_original_bytes() {
        let a = decode(b"caf\xe9 au lait. Encore.", None).unwrap();
        let b = decode("café au lait. Encore.".as_bytes(), None).unwrap();
        let mut cmp = Comparer::default().compare(
            &Document::new(&a.text, &stemma_text::prepare(&a.text)),
            &Document::new(&b.text, &stemma_text::prepare(&b.text)),
        );
        let decoded = cmp.clone();
        to_original_spans(&mut cmp, &a, &b);
        assert!(!cmp.alignments.is_empty());
        for (o, d) in cmp.alignments.iter().zip(&decoded.alignments) {
            // Side A lost one byte per 'é' before the span's end; B is unchanged.
            assert_eq!(o.b, d.b);
            assert!(o.a.end < d.a.end, "{:?} vs {:?}", o.a, d.a);
            assert!(o.a.end <= a.offsets.original_len());
        }
    }

    #[test]
    fn capped_reader_refuses_big_input() {
        let data = [b'x'; 101];
        assert!(read_capped(&data[..], "big", 100).is_err());
        assert_eq!(read_capped(&data[..100], "fits", 100).unwrap().len(), 100);
    }
}
