//! Synonyms from the Princeton WordNet 3.0 database files (Debian package `wordnet-base`,
//! installed at `/usr/share/wordnet`). Only `index.POS` and `data.POS` are read: for each
//! single-word lemma, the other single-word lemmas of its most frequent sense (the first synset
//! listed in the index) in each part of speech.

use std::collections::HashMap;
use std::path::Path;

use crate::EvalError;

/// The default WordNet folder (Debian's `wordnet-base`).
pub const DEFAULT_WORDNET_DIR: &str = "/usr/share/wordnet";

/// A synonym dictionary: lower-case word → synonyms (lower-case, single words).
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    map: HashMap<String, Vec<String>>,
}

impl Synonyms {
    /// Loads the dictionary from a WordNet folder holding `index.noun`/`data.noun` (and the
    /// same for `verb`, `adj`, `adv` when present). Fails with a clear message when no part of
    /// speech can be read.
    pub fn load(dir: &Path) -> Result<Self, EvalError> {
        let mut syn = Synonyms::default();
        let mut loaded = 0;
        for pos in ["noun", "verb", "adj", "adv"] {
            let index = dir.join(format!("index.{pos}"));
            let data = dir.join(format!("data.{pos}"));
            if !index.exists() || !data.exists() {
                continue;
            }
            let index_text = read(&index)?;
            let data_bytes = std::fs::read(&data).map_err(|e| EvalError::io(&data, e))?;
            syn.add_pos(&index_text, &data_bytes, &data)?;
            loaded += 1;
        }
        if loaded == 0 {
            return Err(EvalError::Input(format!(
                "no WordNet database in {}: expected index.noun and data.noun (and verb/adj/adv). \
                 Install it with `apt-get install -y wordnet-base` or pass --wordnet DIR",
                dir.display()
            )));
        }
        for v in syn.map.values_mut() {
            let mut seen = std::collections::HashSet::new();
            v.retain(|w| seen.insert(w.clone()));
        }
        syn.map.retain(|_, v| !v.is_empty());
        Ok(syn)
    }

    /// Builds a dictionary from explicit groups of interchangeable words (for tests).
    pub fn from_groups(groups: &[&[&str]]) -> Self {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for g in groups {
            for w in g.iter() {
                let others = g.iter().filter(|o| *o != w).map(|o| o.to_string());
                map.entry(w.to_string()).or_default().extend(others);
            }
        }
        Synonyms { map }
    }

    /// Synonyms of a lower-case word (empty when unknown).
    pub fn get(&self, word: &str) -> &[String] {
        self.map.get(word).map(|v| v.as_slice()).unwrap_or(&[])
    }

    /// Number of words that have at least one synonym.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when no word has a synonym.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    fn add_pos(&mut self, index: &str, data: &[u8], data_path: &Path) -> Result<(), EvalError> {
        for (n, line) in index.lines().enumerate() {
            if line.starts_with(' ') || line.is_empty() {
                continue; // licence header
            }
            let f: Vec<&str> = line.split(' ').filter(|s| !s.is_empty()).collect();
            if f.len() < 6 {
                continue;
            }
            let lemma = f[0];
            if !is_plain_word(lemma) {
                continue;
            }
            let Ok(p_cnt) = f[3].parse::<usize>() else {
                continue;
            };
            // lemma pos synset_cnt p_cnt [ptr × p_cnt] sense_cnt tagsense_cnt offset…
            let first = 4 + p_cnt + 2;
            let Some(off) = f.get(first).and_then(|o| o.parse::<usize>().ok()) else {
                continue;
            };
            let words = synset_words(data, off).ok_or_else(|| {
                EvalError::Input(format!(
                    "{}: synset offset {off} named by index line {} is not a synset line",
                    data_path.display(),
                    n + 1
                ))
            })?;
            let syns: Vec<String> = words
                .into_iter()
                .filter(|w| w != lemma && is_plain_word(w))
                .collect();
            if !syns.is_empty() {
                self.map.entry(lemma.to_string()).or_default().extend(syns);
            }
        }
        Ok(())
    }
}

fn read(p: &Path) -> Result<String, EvalError> {
    let bytes = std::fs::read(p).map_err(|e| EvalError::io(p, e))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn is_plain_word(w: &str) -> bool {
    w.len() >= 2 && w.bytes().all(|b| b.is_ascii_lowercase())
}

/// Words of the synset whose line starts at byte `off` of a `data.POS` file.
fn synset_words(data: &[u8], off: usize) -> Option<Vec<String>> {
    let rest = data.get(off..)?;
    let end = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
    let line = std::str::from_utf8(&rest[..end]).ok()?;
    let f: Vec<&str> = line.split(' ').collect();
    if f.first()?.parse::<usize>().ok()? != off {
        return None;
    }
    let w_cnt = usize::from_str_radix(f.get(3)?, 16).ok()?;
    let mut out = Vec::with_capacity(w_cnt);
    for i in 0..w_cnt {
        let w = f.get(4 + 2 * i)?;
        // Adjective markers such as `(a)`, `(p)`, `(ip)`.
        let w = w.split('(').next().unwrap_or(w);
        // Capitalized lemmas are names and acronyms (`ADHD` for `add`): never synonyms.
        if w.bytes().any(|b| b.is_ascii_uppercase()) {
            continue;
        }
        out.push(w.to_string());
    }
    Some(out)
}

/// Writes a tiny WordNet database (index + data files with correct byte offsets) for tests:
/// each group becomes one noun synset.
pub fn write_test_database(dir: &Path, groups: &[&[&str]]) -> std::io::Result<()> {
    let header = "  1 This is a tiny invented WordNet-format file for tests.\n";
    let mut data = String::from(header);
    let mut index: Vec<(String, usize)> = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let off = data.len();
        let mut line = format!("{off:08} 03 n {:02x}", g.len());
        for w in g.iter() {
            line.push_str(&format!(" {w} 0"));
        }
        line.push_str(&format!(" 000 | invented group {i}\n"));
        data.push_str(&line);
        for w in g.iter() {
            index.push((w.to_string(), off));
        }
    }
    index.sort();
    let mut idx = String::from(header);
    for (w, off) in index {
        idx.push_str(&format!("{w} n 1 0 1 0 {off:08}\n"));
    }
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("data.noun"), data)?;
    std::fs::write(dir.join("index.noun"), idx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_index_and_data_files() {
        let dir = tempfile::tempdir().unwrap();
        write_test_database(
            dir.path(),
            &[&["rise", "climb", "go_up"], &["car", "automobile", "CAR"]],
        )
        .unwrap();
        let s = Synonyms::load(dir.path()).unwrap();
        assert_eq!(s.get("rise"), ["climb".to_string()]);
        assert_eq!(s.get("car"), ["automobile".to_string()]);
        assert!(s.get("go_up").is_empty());
        assert!(s.get("unknown").is_empty());
    }

    #[test]
    fn missing_database_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = Synonyms::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("wordnet-base"), "{err}");
    }

    #[test]
    fn bad_offset_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.noun"), "car n 1 0 1 0 99999999\n").unwrap();
        std::fs::write(dir.path().join("data.noun"), "garbage\n").unwrap();
        assert!(Synonyms::load(dir.path()).is_err());
    }

    #[test]
    fn real_wordnet_when_installed() {
        let dir = Path::new(DEFAULT_WORDNET_DIR);
        if !dir.join("index.noun").exists() {
            return; // not installed on this machine; covered by the tests above
        }
        let s = Synonyms::load(dir).unwrap();
        assert!(s.len() > 10_000);
        assert!(s.get("car").iter().any(|w| w == "automobile"));
    }
}
