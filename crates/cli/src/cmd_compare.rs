//! `stemma compare A B`: compare two documents and print the relation, the aligned passages,
//! the direction of copying and the changed details.
//!
//! Inputs must be UTF-8 text. Empty (or white-space only) input, binary input (a NUL byte),
//! invalid UTF-8 and inputs larger than `--max-bytes` are refused with an error naming the file
//! (and the byte offset, for NUL bytes and invalid UTF-8); the exit code is then 2. There is
//! deliberately no lossy decoding: every span in the output is a byte offset into the file
//! exactly as given, which a decoded copy would not preserve.

use std::io::{IsTerminal, Read};
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use stemma_compare::{Comparer, Document};
use stemma_render::{Input, html, json, terminal};

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
    /// First document (a UTF-8 text file, or `-` for standard input).
    #[arg(value_name = "A")]
    pub a: String,
    /// Second document (a UTF-8 text file, or `-` for standard input; at most one `-`).
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
    /// A NUL byte at this byte offset.
    Binary(usize),
    /// The first invalid UTF-8 sequence starts at this byte offset.
    InvalidUtf8(usize),
}

impl std::fmt::Display for InputProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputProblem::Empty => write!(f, "empty input (no text to compare)"),
            InputProblem::Binary(at) => write!(
                f,
                "binary input (NUL byte at byte offset {at}); stemma compares UTF-8 text"
            ),
            InputProblem::InvalidUtf8(at) => write!(
                f,
                "not valid UTF-8 (first invalid byte sequence at byte offset {at}); \
                 convert the file to UTF-8 first (e.g. with iconv)"
            ),
        }
    }
}

/// Checks that `bytes` are non-empty UTF-8 text without NUL bytes and returns the text.
pub fn decode(bytes: Vec<u8>) -> std::result::Result<String, InputProblem> {
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(InputProblem::Binary(at));
    }
    let text = String::from_utf8(bytes)
        .map_err(|e| InputProblem::InvalidUtf8(e.utf8_error().valid_up_to()))?;
    if text.trim().is_empty() {
        return Err(InputProblem::Empty);
    }
    Ok(text)
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

/// Reads and checks one input; `arg` is a path or `-`. Returns (label, text).
fn read_input(arg: &str, max: u64) -> Result<(String, String)> {
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
    let text = decode(bytes).map_err(|p| anyhow!("{label}: {p}"))?;
    Ok((label, text))
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
    let (label_a, text_a) = read_input(&args.a, args.max_bytes)?;
    let (label_b, text_b) = read_input(&args.b, args.max_bytes)?;

    let prep_a = stemma_text::prepare(&text_a);
    let prep_b = stemma_text::prepare(&text_b);
    let embedder = crate::semantic_embedder(args.model.as_deref(), args.no_semantic)?;
    let scorer = stemma_align::HybridScorer::new(stemma_align::LexicalScorer::default(), embedder);
    let comparer = Comparer::with_scorer(stemma_compare::CompareOptions::default(), scorer);
    let cmp = comparer.compare(
        &Document::new(&text_a, &prep_a).with_date(date_a),
        &Document::new(&text_b, &prep_b).with_date(date_b),
    );

    let a = Input::new(&label_a, &text_a);
    let b = Input::new(&label_b, &text_b);
    if let Some(path) = &args.html {
        let page = html::page(&cmp, &a, &b, &html::HtmlOptions::default());
        std::fs::write(path, page)
            .with_context(|| format!("{path}: cannot write the HTML page"))?;
        eprintln!("stemma: wrote {path}");
    }
    if args.json {
        let mut s = json::to_string_with_inputs(&cmp, &a, &b, !args.compact);
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
        assert_eq!(decode(b"".to_vec()), Err(InputProblem::Empty));
        assert_eq!(decode(b" \n\t ".to_vec()), Err(InputProblem::Empty));
        assert_eq!(decode(b"ab\0cd".to_vec()), Err(InputProblem::Binary(2)));
        assert_eq!(
            decode(b"caf\xc3\xa9 \xff!".to_vec()),
            Err(InputProblem::InvalidUtf8(6))
        );
        // A truncated multibyte sequence at the end.
        assert_eq!(
            decode(b"abc\xe2\x82".to_vec()),
            Err(InputProblem::InvalidUtf8(3))
        );
        assert_eq!(decode("ok ✓".as_bytes().to_vec()).unwrap(), "ok ✓");
    }

    #[test]
    fn capped_reader_refuses_big_input() {
        let data = [b'x'; 101];
        assert!(read_capped(&data[..], "big", 100).is_err());
        assert_eq!(read_capped(&data[..100], "fits", 100).unwrap().len(), 100);
    }
}
