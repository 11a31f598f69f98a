//! Reading corpora for `stemma scan`, `stemma dedup` and `stemma eval`.
//!
//! A corpus is given as one or more *inputs*:
//!
//! - a **folder**: every non-hidden file below it, recursively, in sorted path order. Each
//!   file is read by the file rules below; a plain-text file becomes one document whose id is
//!   its path relative to the folder (with `/` separators).
//! - a **text file** (`.txt`, `.md`, …): one document; its id is the path as given.
//! - a **JSONL file** (`.jsonl`, `.ndjson`, `.json`): one document per line, a JSON object
//!   with the fields named in [`CorpusOptions`] (defaults `id`, `text`, `date`, `source`).
//! - any of these compressed with **gzip** (`.gz`) or **zstd** (`.zst`). Compression is
//!   recognised by its magic bytes, so a wrong suffix does not matter.
//! - `-`: **standard input**, compressed or not; JSONL when the first non-blank byte is `{`,
//!   otherwise one text document with id `-`.
//!
//! The format of a file comes from its name without the compression suffix: `.jsonl`,
//! `.ndjson` and `.json` mean JSONL; `.txt`, `.text`, `.md` and `.markdown` mean text; any
//! other name is sniffed (JSONL when the first non-blank byte is `{`). [`CorpusOptions::format`]
//! forces one format for every file.
//!
//! # Streaming and bad input
//!
//! [`Corpus`] is an iterator of `Result<Record, Skipped>`: it holds one line (or one text
//! file) at a time, so memory does not grow with the corpus. Bad input never aborts the
//! iteration and is never dropped silently: each bad record becomes a [`Skipped`] naming the
//! file, the line and a [`SkipReason`]:
//!
//! - a line that is not JSON, or not a JSON object ([`SkipReason::MalformedJson`]);
//! - a missing or non-string text field ([`SkipReason::MissingText`], [`SkipReason::TextNotString`]);
//! - an empty or whitespace-only text ([`SkipReason::Empty`]);
//! - a binary text: a NUL byte, or more than 10% control characters ([`SkipReason::Binary`]);
//! - in JSONL, **invalid UTF-8** ([`SkipReason::InvalidUtf8`]): JSONL is UTF-8 by
//!   definition (a UTF-8 byte order mark at the start of the file is accepted); nothing is
//!   lossily decoded, because a replacement character would silently change the text;
//! - a text file that cannot be decoded ([`SkipReason::Undecodable`]): text files may be in any
//!   encoding — UTF-8 with or without byte order mark, UTF-16 with one, or a legacy encoding
//!   (Windows-1252, Windows-1251, KOI8-R, ISO-8859-x, Shift_JIS, …) detected by
//!   [`decode::decode`] or forced with [`CorpusOptions::encoding`] — and are decoded exactly,
//!   never with replacement characters; [`Record::decoded`] then keeps the encoding and the
//!   map from text offsets back to file offsets;
//! - a document (or JSONL line) longer than [`CorpusOptions::max_bytes`] (default 10 MB)
//!   ([`SkipReason::TooLarge`]); the oversized bytes are discarded while reading, never held;
//! - a read error in the middle of a file, e.g. a truncated gzip stream
//!   ([`SkipReason::ReadError`]); the rest of that file is abandoned and the next input follows.
//!
//! Blank lines in JSONL are not documents and are passed over. An input that does not exist
//! or cannot be opened is a [`CorpusError`] from [`Corpus::open`], naming the path; a file
//! inside a folder that cannot be opened later yields a [`SkipReason::Unreadable`] record.

#![warn(missing_docs)]

pub mod decode;
mod json;
mod reader;

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use decode::{Decoded, Encoding, OffsetMap};
pub use reader::Corpus;

/// Where a record came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Origin {
    /// The file as the user named it (for folder members: folder path joined with the
    /// relative path); `-` for standard input.
    pub file: String,
    /// 1-based line number for JSONL records; 0 for a whole-file text document.
    pub line: u64,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}", self.file, self.line)
        }
    }
}

/// One document of a corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Document id: the id field (a string, or a number written in decimal), else
    /// `"<file>:<line>"` for JSONL, the relative path for folder members, the path for a
    /// single text file, `-` for a text document on standard input.
    pub id: String,
    /// The document text, valid UTF-8, not empty, exactly as given (no normalization) once
    /// decoded (see [`Record::decoded`]).
    pub text: String,
    /// The date field, when present (a string, or a number written in decimal).
    pub date: Option<String>,
    /// The source (publisher) field, when present.
    pub source: Option<String>,
    /// The headline field, when present and not blank (JSONL only). Kept apart from
    /// [`Record::text`] so that a record written back (dedup) keeps its fields as they were.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub title: Option<String>,
    /// Where the record was read.
    pub origin: Origin,
    /// The original JSONL line (without its line terminator), when
    /// [`CorpusOptions::keep_raw`] is set and the record came from JSONL; `None` otherwise.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub raw: Option<String>,
    /// How a text file was decoded when it was not plain UTF-8 (a byte order mark, UTF-16 or a
    /// legacy encoding): its encoding and the map from offsets in [`Record::text`] back to
    /// offsets in the file. `None` for UTF-8 without byte order mark and for JSONL records
    /// (whose text is the JSON string, not the file).
    #[serde(skip)]
    pub decoded: Option<Decoding>,
}

/// The encoding a text file was read in and the offset map back to its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoding {
    /// The encoding.
    pub encoding: &'static Encoding,
    /// True when the file started with a byte order mark.
    pub bom: bool,
    /// Offsets in the decoded text → offsets in the file.
    pub offsets: OffsetMap,
}

impl Decoding {
    /// The encoding's name, with ` (BOM)` when the file had a byte order mark.
    pub fn describe(&self) -> String {
        decode::describe(self.encoding, self.bom)
    }
}

/// Why a record was skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SkipReason {
    /// The line is not valid JSON, or not a JSON object.
    MalformedJson {
        /// The parser's message.
        message: String,
    },
    /// The text field is missing or null.
    MissingText {
        /// The configured text field name.
        field: String,
    },
    /// The text field is not a string.
    TextNotString {
        /// The configured text field name.
        field: String,
        /// The JSON type found (`number`, `boolean`, `array`, `object`).
        found: String,
    },
    /// The text is empty or only whitespace.
    Empty,
    /// The text looks binary (a NUL byte or too many control characters).
    Binary {
        /// Control characters found (NUL included).
        control: usize,
        /// Characters examined.
        total: usize,
    },
    /// A text file that cannot be decoded: not valid in the encoding forced or guessed.
    Undecodable {
        /// The encoding tried.
        encoding: String,
        /// Offset of the first undecodable byte in the file.
        offset: usize,
    },
    /// The bytes are not valid UTF-8 (JSONL).
    InvalidUtf8 {
        /// Offset of the first invalid byte in the document (or line).
        offset: usize,
    },
    /// The document or line is larger than the configured maximum.
    TooLarge {
        /// Size read (at least `max + 1`; the rest is not measured).
        bytes: usize,
        /// The configured maximum.
        max: usize,
    },
    /// A file inside a folder could not be opened.
    Unreadable {
        /// The system's message.
        message: String,
    },
    /// Reading failed in the middle of a file (e.g. corrupt compressed data); the rest of
    /// the file is abandoned.
    ReadError {
        /// The system's message.
        message: String,
    },
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::MalformedJson { message } => write!(f, "malformed JSON: {message}"),
            SkipReason::MissingText { field } => write!(f, "missing text field `{field}`"),
            SkipReason::TextNotString { field, found } => {
                write!(f, "text field `{field}` is a {found}, not a string")
            }
            SkipReason::Empty => write!(f, "empty document"),
            SkipReason::Binary { control, total } => write!(
                f,
                "binary content ({control} control characters in {total})"
            ),
            SkipReason::Undecodable { encoding, offset } => write!(
                f,
                "not valid {encoding} (first undecodable bytes at byte {offset}); binary or \
                 mixed-encoding text? (force an encoding with --encoding)"
            ),
            SkipReason::InvalidUtf8 { offset } => {
                write!(f, "invalid UTF-8 at byte {offset}")
            }
            SkipReason::TooLarge { bytes, max } => {
                write!(f, "too large (more than {max} bytes; read {bytes})")
            }
            SkipReason::Unreadable { message } => write!(f, "cannot open: {message}"),
            SkipReason::ReadError { message } => {
                write!(f, "read error, rest of file abandoned: {message}")
            }
        }
    }
}

/// A record that could not be read as a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// The file, as in [`Origin::file`].
    pub file: String,
    /// 1-based line for JSONL, 0 for a whole file.
    pub line: u64,
    /// Why it was skipped.
    pub reason: SkipReason,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.reason)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.reason)
        }
    }
}

/// A fatal corpus error: an input cannot be used at all.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// An input path does not exist or cannot be opened.
    #[error("cannot open input `{path}`: {source}")]
    Open {
        /// The path as given.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A folder could not be listed.
    #[error("cannot list folder `{path}`: {source}")]
    ListDir {
        /// The folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// `-` (standard input) was given more than once.
    #[error("standard input (`-`) given more than once")]
    StdinTwice,
    /// No input was given.
    #[error("no input given")]
    NoInput,
}

/// How to read the lines of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// The whole file is one document.
    Text,
}

/// Options for reading a corpus.
#[derive(Debug, Clone)]
pub struct CorpusOptions {
    /// JSONL field holding the id (default `id`).
    pub id_field: String,
    /// JSONL field holding the text (default `text`).
    pub text_field: String,
    /// JSONL field holding the date (default `date`).
    pub date_field: String,
    /// JSONL field holding the source (default `source`).
    pub source_field: String,
    /// JSONL field holding the headline (default `title`; empty: none). A scan reads a
    /// record's headline as the first paragraph of its document ([`Record::title`]).
    pub title_field: String,
    /// Largest document (or JSONL line) accepted, in bytes (default 10 MB).
    pub max_bytes: usize,
    /// Force a format for every file instead of detecting it.
    pub format: Option<Format>,
    /// Keep each JSONL record's original line in [`Record::raw`] (default false).
    pub keep_raw: bool,
    /// Read every text file without a byte order mark in this encoding instead of detecting
    /// it (default `None`: detected, see [`decode::decode`]). JSONL is always UTF-8.
    pub encoding: Option<&'static Encoding>,
}

/// Default [`CorpusOptions::max_bytes`]: 10 MB.
pub const DEFAULT_MAX_BYTES: usize = 10 * 1024 * 1024;

impl Default for CorpusOptions {
    fn default() -> Self {
        CorpusOptions {
            id_field: "id".into(),
            text_field: "text".into(),
            date_field: "date".into(),
            source_field: "source".into(),
            title_field: "title".into(),
            max_bytes: DEFAULT_MAX_BYTES,
            format: None,
            keep_raw: false,
            encoding: None,
        }
    }
}

/// Checks document text: returns the reason to skip it, if any.
///
/// Empty/whitespace-only → [`SkipReason::Empty`]; a NUL or more than 10% control characters
/// (other than tab, newline, carriage return, form feed) → [`SkipReason::Binary`].
pub fn check_text(text: &str) -> Option<SkipReason> {
    if text.trim().is_empty() {
        return Some(SkipReason::Empty);
    }
    // Byte-wise (vectorizes): a char starts at every non-continuation byte; C0 controls and
    // DEL are single bytes, C1 controls (U+0080..U+009F) are 0xC2 0x80..=0x9F.
    let b = text.as_bytes();
    let c0 = b
        .iter()
        .filter(|&&x| (x < 0x20 && !matches!(x, b'\t' | b'\n' | b'\r' | 0x0c)) || x == 0x7f)
        .count();
    let c1 = if b.contains(&0xC2) {
        b.windows(2)
            .filter(|w| w[0] == 0xC2 && (0x80..=0x9F).contains(&w[1]))
            .count()
    } else {
        0
    };
    let control = c0 + c1;
    if control == 0 {
        return None;
    }
    let total = b.iter().filter(|&&x| x & 0xC0 != 0x80).count();
    let nul = b.contains(&0);
    if nul || control * 10 > total {
        return Some(SkipReason::Binary { control, total });
    }
    None
}

#[cfg(test)]
mod tests;
