//! The streaming corpus reader.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::decode::{self, DecodeError};
use crate::json::{Scalar, parse_fields};
use crate::{
    CorpusError, CorpusOptions, Decoding, Format, Origin, Record, SkipReason, Skipped, check_text,
};

const BUF_CAPACITY: usize = 256 * 1024;

/// One input still to be read.
enum Input {
    Stdin,
    File {
        path: PathBuf,
        /// The path shown in origins and skip reports.
        display: String,
        /// Id of the document when the file is a text document.
        id: String,
    },
    Reader {
        name: String,
        reader: Box<dyn Read + Send>,
    },
}

enum Kind {
    Jsonl { line: u64 },
    Text { id: String, done: bool },
}

struct Source {
    reader: Box<dyn BufRead + Send>,
    file: String,
    kind: Kind,
}

/// A streaming reader over every document of one or more inputs.
///
/// Iterates `Result<Record, Skipped>` in input order (folders in sorted path order). See the
/// crate documentation for formats and skip rules.
pub struct Corpus {
    opts: CorpusOptions,
    inputs: VecDeque<Input>,
    current: Option<Source>,
    buf: Vec<u8>,
}

impl Corpus {
    /// Opens the given inputs (paths, folders or `-` for standard input).
    ///
    /// Every named path is checked here: one that does not exist or cannot be opened is an
    /// error naming it; folders are listed here (recursively, hidden entries skipped).
    pub fn open<P: AsRef<Path>>(inputs: &[P], opts: CorpusOptions) -> Result<Corpus, CorpusError> {
        if inputs.is_empty() {
            return Err(CorpusError::NoInput);
        }
        let mut list = VecDeque::new();
        let mut stdin_seen = false;
        for p in inputs {
            let path = p.as_ref();
            if path == Path::new("-") {
                if stdin_seen {
                    return Err(CorpusError::StdinTwice);
                }
                stdin_seen = true;
                list.push_back(Input::Stdin);
                continue;
            }
            let meta = std::fs::metadata(path).map_err(|source| CorpusError::Open {
                path: path.to_path_buf(),
                source,
            })?;
            if meta.is_dir() {
                let mut files = Vec::new();
                walk(path, &mut files)?;
                files.sort();
                for f in files {
                    let rel = f.strip_prefix(path).unwrap_or(&f);
                    let id = rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/");
                    list.push_back(Input::File {
                        display: f.display().to_string(),
                        path: f,
                        id,
                    });
                }
            } else {
                File::open(path).map_err(|source| CorpusError::Open {
                    path: path.to_path_buf(),
                    source,
                })?;
                let display = path.display().to_string();
                list.push_back(Input::File {
                    path: path.to_path_buf(),
                    id: display.clone(),
                    display,
                });
            }
        }
        Ok(Corpus {
            opts,
            inputs: list,
            current: None,
            buf: Vec::new(),
        })
    }

    /// Reads a corpus from any reader (compressed or not, format sniffed unless forced),
    /// named `name` in origins and skip reports.
    pub fn from_reader<R: Read + Send + 'static>(
        name: &str,
        reader: R,
        opts: CorpusOptions,
    ) -> Corpus {
        let mut inputs = VecDeque::new();
        inputs.push_back(Input::Reader {
            name: name.to_owned(),
            reader: Box::new(reader),
        });
        Corpus {
            opts,
            inputs,
            current: None,
            buf: Vec::new(),
        }
    }

    /// Reads every record of the inputs into memory (for small corpora: fixtures, eval sets).
    /// Returns the records and the skipped records, both in input order.
    pub fn read_all<P: AsRef<Path>>(
        inputs: &[P],
        opts: CorpusOptions,
    ) -> Result<(Vec<Record>, Vec<Skipped>), CorpusError> {
        let mut recs = Vec::new();
        let mut skips = Vec::new();
        for item in Corpus::open(inputs, opts)? {
            match item {
                Ok(r) => recs.push(r),
                Err(s) => skips.push(s),
            }
        }
        Ok((recs, skips))
    }

    /// The options in use.
    pub fn options(&self) -> &CorpusOptions {
        &self.opts
    }

    fn open_input(&self, input: Input) -> Result<Source, Skipped> {
        let (raw, file, id, ext_format): (Box<dyn Read + Send>, String, String, Option<Format>) =
            match input {
                Input::Stdin => (Box::new(io::stdin()), "-".to_owned(), "-".to_owned(), None),
                Input::Reader { name, reader } => (reader, name.clone(), name, None),
                Input::File { path, display, id } => {
                    let f = File::open(&path).map_err(|e| Skipped {
                        file: display.clone(),
                        line: 0,
                        reason: SkipReason::Unreadable {
                            message: e.to_string(),
                        },
                    })?;
                    (Box::new(f), display, id, format_from_name(&path))
                }
            };
        let read_err = |file: &str, e: io::Error| Skipped {
            file: file.to_owned(),
            line: 0,
            reason: SkipReason::ReadError {
                message: e.to_string(),
            },
        };
        let mut outer = BufReader::with_capacity(BUF_CAPACITY, raw);
        let magic = peek(&mut outer, 4).map_err(|e| read_err(&file, e))?;
        let mut reader: Box<dyn BufRead + Send> = if magic.starts_with(&[0x1f, 0x8b]) {
            Box::new(BufReader::with_capacity(
                BUF_CAPACITY,
                flate2::bufread::MultiGzDecoder::new(outer),
            ))
        } else if magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            let dec =
                zstd::stream::read::Decoder::with_buffer(outer).map_err(|e| read_err(&file, e))?;
            Box::new(BufReader::with_capacity(BUF_CAPACITY, dec))
        } else {
            Box::new(outer)
        };
        let format = match self.opts.format.or(ext_format) {
            Some(f) => f,
            None => {
                let head = peek(&mut reader, 1024).map_err(|e| read_err(&file, e))?;
                let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&head);
                match head.iter().find(|b| !b.is_ascii_whitespace()) {
                    Some(b'{') => Format::Jsonl,
                    _ => Format::Text,
                }
            }
        };
        let kind = match format {
            Format::Jsonl => Kind::Jsonl { line: 0 },
            Format::Text => Kind::Text { id, done: false },
        };
        Ok(Source { reader, file, kind })
    }
}

/// The skip reason of bytes with a NUL byte: [`SkipReason::Binary`], control bytes counted
/// over the raw bytes (the text could not be decoded).
fn binary_reason(bytes: &[u8]) -> SkipReason {
    let control = bytes
        .iter()
        .filter(|&&x| (x < 0x20 && !matches!(x, b'\t' | b'\n' | b'\r' | 0x0c)) || x == 0x7f)
        .count();
    SkipReason::Binary {
        control,
        total: bytes.len(),
    }
}

/// Up to `n` bytes from the start of a buffered reader, without consuming them.
fn peek<R: BufRead + ?Sized>(r: &mut R, n: usize) -> io::Result<Vec<u8>> {
    let buf = r.fill_buf()?;
    Ok(buf[..buf.len().min(n)].to_vec())
}

/// Format implied by a file name, after removing a `.gz`/`.zst`/`.zstd` suffix.
fn format_from_name(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let name = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".zst"))
        .or_else(|| name.strip_suffix(".zstd"))
        .unwrap_or(&name);
    let ext = name.rsplit_once('.').map(|(_, e)| e)?;
    match ext {
        "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
        "txt" | "text" | "md" | "markdown" => Some(Format::Text),
        _ => None,
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), CorpusError> {
    let list_err = |source| CorpusError::ListDir {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(list_err)? {
        let entry = entry.map_err(list_err)?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        // Follow symlinks: metadata, not file_type.
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk(&path, out)?,
            // Broken links and unreadable entries are listed; opening them reports the cause.
            _ => out.push(path),
        }
    }
    Ok(())
}

/// Reads one line into `buf` (without `\n` / `\r\n`), keeping at most `max + 1` bytes.
/// Returns the full line length, or `None` at end of input.
fn read_line_limited(
    r: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Option<usize>> {
    buf.clear();
    let mut total = 0usize;
    let mut any = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            break;
        }
        any = true;
        let (chunk, used, done) = match avail.iter().position(|&b| b == b'\n') {
            Some(i) => (&avail[..i], i + 1, true),
            None => (avail, avail.len(), false),
        };
        let room = (max + 1).saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        total += chunk.len();
        r.consume(used);
        if done {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if buf.last() == Some(&b'\r') && total <= max + 1 {
        buf.pop();
        total -= 1;
    }
    Ok(Some(total))
}

impl Iterator for Corpus {
    type Item = Result<Record, Skipped>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.current.is_none() {
                let input = self.inputs.pop_front()?;
                match self.open_input(input) {
                    Ok(s) => self.current = Some(s),
                    Err(skip) => return Some(Err(skip)),
                }
            }
            let src = self.current.as_mut().expect("source just set");
            let max = self.opts.max_bytes;
            match &mut src.kind {
                Kind::Text { id, done } => {
                    if *done {
                        self.current = None;
                        continue;
                    }
                    *done = true;
                    let file = src.file.clone();
                    let skip = |reason| {
                        Some(Err(Skipped {
                            file: file.clone(),
                            line: 0,
                            reason,
                        }))
                    };
                    self.buf.clear();
                    let res = (&mut src.reader)
                        .take(max as u64 + 1)
                        .read_to_end(&mut self.buf);
                    if let Err(e) = res {
                        return skip(SkipReason::ReadError {
                            message: e.to_string(),
                        });
                    }
                    if self.buf.len() > max {
                        return skip(SkipReason::TooLarge {
                            bytes: self.buf.len(),
                            max,
                        });
                    }
                    let decoded = match decode::decode(&self.buf, self.opts.encoding) {
                        Ok(d) => d,
                        Err(DecodeError::Binary { .. }) => {
                            return skip(binary_reason(&self.buf));
                        }
                        Err(DecodeError::Undecodable {
                            encoding, offset, ..
                        }) => {
                            return skip(SkipReason::Undecodable {
                                encoding: encoding.to_owned(),
                                offset,
                            });
                        }
                        Err(e @ DecodeError::UnknownLabel(_)) => {
                            unreachable!("no label is parsed here: {e}")
                        }
                    };
                    if let Some(reason) = check_text(&decoded.text) {
                        return skip(reason);
                    }
                    let decoding = (!decoded.is_plain_utf8()).then_some(Decoding {
                        encoding: decoded.encoding,
                        bom: decoded.bom,
                        offsets: decoded.offsets,
                    });
                    return Some(Ok(Record {
                        id: id.clone(),
                        text: decoded.text,
                        date: None,
                        source: None,
                        title: None,
                        origin: Origin { file, line: 0 },
                        raw: None,
                        decoded: decoding,
                    }));
                }
                Kind::Jsonl { line } => {
                    let len = match read_line_limited(&mut src.reader, &mut self.buf, max) {
                        Ok(Some(n)) => n,
                        Ok(None) => {
                            self.current = None;
                            continue;
                        }
                        Err(e) => {
                            let skipped = Skipped {
                                file: src.file.clone(),
                                line: *line + 1,
                                reason: SkipReason::ReadError {
                                    message: e.to_string(),
                                },
                            };
                            self.current = None;
                            return Some(Err(skipped));
                        }
                    };
                    *line += 1;
                    let lineno = *line;
                    let file = &src.file;
                    let skip = |reason| {
                        Some(Err(Skipped {
                            file: file.clone(),
                            line: lineno,
                            reason,
                        }))
                    };
                    if len > max {
                        return skip(SkipReason::TooLarge { bytes: len, max });
                    }
                    if self.buf.iter().all(|b| b.is_ascii_whitespace()) {
                        continue;
                    }
                    // A UTF-8 byte order mark at the start of a file is not part of the JSON.
                    let bytes = match self.buf.strip_prefix(b"\xef\xbb\xbf") {
                        Some(rest) if lineno == 1 => rest,
                        _ => &self.buf[..],
                    };
                    let text_line = match std::str::from_utf8(bytes) {
                        Ok(t) => t,
                        Err(e) => {
                            return skip(SkipReason::InvalidUtf8 {
                                offset: e.valid_up_to(),
                            });
                        }
                    };
                    let o = &self.opts;
                    let names = [
                        o.id_field.as_str(),
                        o.text_field.as_str(),
                        o.date_field.as_str(),
                        o.source_field.as_str(),
                        o.title_field.as_str(),
                    ];
                    let [id, text, date, source, title] = match parse_fields(text_line, &names) {
                        Ok(f) => f,
                        Err(message) => return skip(SkipReason::MalformedJson { message }),
                    };
                    let text = match text {
                        Some(Scalar::Str(t)) => t,
                        None | Some(Scalar::Null) => {
                            return skip(SkipReason::MissingText {
                                field: o.text_field.clone(),
                            });
                        }
                        Some(other) => {
                            return skip(SkipReason::TextNotString {
                                field: o.text_field.clone(),
                                found: other.kind().to_owned(),
                            });
                        }
                    };
                    if let Some(reason) = check_text(&text) {
                        return skip(reason);
                    }
                    let id = id
                        .and_then(Scalar::into_text)
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| format!("{file}:{lineno}"));
                    let raw = o.keep_raw.then(|| text_line.to_owned());
                    return Some(Ok(Record {
                        id,
                        text,
                        date: date.and_then(Scalar::into_text),
                        source: source.and_then(Scalar::into_text),
                        title: title
                            .and_then(Scalar::into_text)
                            .filter(|t| !t.trim().is_empty()),
                        origin: Origin {
                            file: file.clone(),
                            line: lineno,
                        },
                        raw,
                        decoded: None,
                    }));
                }
            }
        }
    }
}
