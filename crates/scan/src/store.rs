//! Where a scan keeps document texts between sketching and verification.
//!
//! Sketching streams the corpus once; verification needs the two texts of every candidate pair
//! again, and the input may be standard input. Texts are appended to one arena: in memory while
//! it stays under a budget, then spilled to an anonymous temporary file that is read back by
//! offset (the OS page cache keeps hot texts cheap). Per document only `(offset, length)` stays
//! in memory.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::Mutex;

/// Error of the text store (a failing temporary file).
#[derive(Debug, thiserror::Error)]
#[error("text store: {context}: {source}")]
pub struct StoreError {
    context: &'static str,
    #[source]
    source: std::io::Error,
}

fn err(context: &'static str) -> impl FnOnce(std::io::Error) -> StoreError {
    move |source| StoreError { context, source }
}

/// Append-only store of texts, addressed by insertion order.
#[derive(Debug)]
pub struct TextStore {
    mem: Vec<u8>,
    file: Option<Mutex<File>>,
    file_len: u64,
    spans: Vec<(u64, u32)>,
    budget: usize,
}

impl TextStore {
    /// A store that keeps up to `memory_budget` bytes of text in memory, then spills to disk.
    pub fn new(memory_budget: usize) -> Self {
        TextStore {
            mem: Vec::new(),
            file: None,
            file_len: 0,
            spans: Vec::new(),
            budget: memory_budget,
        }
    }

    /// Number of texts stored.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True when no text is stored.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// True once texts went to the temporary file.
    pub fn spilled(&self) -> bool {
        self.file.is_some()
    }

    /// Bytes of text held in memory.
    pub fn memory_bytes(&self) -> usize {
        self.mem.len()
    }

    /// Appends `text`; returns its number.
    pub fn push(&mut self, text: &str) -> Result<usize, StoreError> {
        let bytes = text.as_bytes();
        let len = u32::try_from(bytes.len()).map_err(|_| StoreError {
            context: "text longer than 4 GiB",
            source: std::io::Error::other("too large"),
        })?;
        if self.file.is_none() && self.mem.len() + bytes.len() > self.budget {
            let mut f = tempfile::tempfile().map_err(err("creating temporary file"))?;
            f.write_all(&self.mem)
                .map_err(err("writing temporary file"))?;
            self.file_len = self.mem.len() as u64;
            self.mem = Vec::new();
            self.file = Some(Mutex::new(f));
        }
        let off;
        match &self.file {
            None => {
                off = self.mem.len() as u64;
                self.mem.extend_from_slice(bytes);
            }
            Some(f) => {
                off = self.file_len;
                let mut f = f.lock().unwrap_or_else(|p| p.into_inner());
                f.seek(SeekFrom::Start(off))
                    .map_err(err("seeking temporary file"))?;
                f.write_all(bytes).map_err(err("writing temporary file"))?;
                self.file_len += bytes.len() as u64;
            }
        }
        self.spans.push((off, len));
        Ok(self.spans.len() - 1)
    }

    /// The text number `i`.
    pub fn get(&self, i: usize) -> Result<String, StoreError> {
        let (off, len) = *self.spans.get(i).ok_or_else(|| StoreError {
            context: "no such text",
            source: std::io::Error::other(format!("text {i}")),
        })?;
        let bytes = match &self.file {
            None => self.mem[off as usize..off as usize + len as usize].to_vec(),
            Some(f) => {
                let mut buf = vec![0u8; len as usize];
                let mut f = f.lock().unwrap_or_else(|p| p.into_inner());
                f.seek(SeekFrom::Start(off))
                    .map_err(err("seeking temporary file"))?;
                f.read_exact(&mut buf)
                    .map_err(err("reading temporary file"))?;
                buf
            }
        };
        String::from_utf8(bytes).map_err(|e| StoreError {
            context: "stored text is not UTF-8",
            source: std::io::Error::other(e),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_back_in_memory_and_after_spilling() {
        let mut s = TextStore::new(10);
        assert_eq!(s.push("héllo").unwrap(), 0);
        assert!(!s.spilled());
        assert_eq!(s.push("a longer text that spills").unwrap(), 1);
        assert!(s.spilled());
        s.push("").unwrap();
        s.push("last").unwrap();
        assert_eq!(s.get(0).unwrap(), "héllo");
        assert_eq!(s.get(1).unwrap(), "a longer text that spills");
        assert_eq!(s.get(2).unwrap(), "");
        assert_eq!(s.get(3).unwrap(), "last");
        assert!(s.get(4).is_err());
        assert_eq!(s.len(), 4);
    }
}
