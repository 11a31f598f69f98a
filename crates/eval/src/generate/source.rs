//! Reading the real articles a benchmark is built from: JSONL with `id` and `text` (plus the
//! optional `date`, `topics`, `places`, `category` used for same-story distractors), cut into
//! paragraphs and sentences, filtered, de-duplicated, and linked into same-story pairs.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::Path;

use serde::Deserialize;
use xxhash_rust::xxh3::xxh3_64;

use crate::EvalError;
use crate::date;

/// One usable real article.
#[derive(Debug, Clone)]
pub struct Article {
    /// The article's id in its input file.
    pub id: String,
    /// Publication time (Unix seconds), when the input has one.
    pub date: Option<i64>,
    /// Publisher named in the input (`source` field), if any.
    pub outlet: Option<String>,
    /// Paragraphs of sentences, white space collapsed.
    pub paras: Vec<Vec<String>>,
    /// Reuters topics (lower case).
    pub topics: Vec<String>,
    /// Reuters places (lower case).
    pub places: Vec<String>,
    /// BBC category.
    pub category: Option<String>,
}

impl Article {
    /// Number of sentences.
    pub fn sentence_count(&self) -> usize {
        self.paras.iter().map(|p| p.len()).sum()
    }
}

#[derive(Deserialize)]
struct RawArticle {
    id: Option<serde_json::Value>,
    text: Option<String>,
    date: Option<String>,
    source: Option<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    places: Vec<String>,
    category: Option<String>,
}

/// Filters applied to input articles.
#[derive(Debug, Clone)]
pub struct SourceFilter {
    /// Fewest sentences an article must have.
    pub min_sentences: usize,
    /// Fewest characters.
    pub min_chars: usize,
    /// Most characters.
    pub max_chars: usize,
}

impl Default for SourceFilter {
    fn default() -> Self {
        SourceFilter {
            min_sentences: 5,
            min_chars: 400,
            max_chars: 20_000,
        }
    }
}

/// What reading the inputs found.
#[derive(Debug, Clone, Default)]
pub struct SourceStats {
    /// Lines read.
    pub lines: usize,
    /// Lines that were not a JSON object with a string `text`.
    pub malformed: usize,
    /// Articles too short, too long or table-like.
    pub filtered: usize,
    /// Articles dropped as (near-)duplicates of an earlier article.
    pub duplicates: usize,
    /// Articles kept.
    pub kept: usize,
}

/// Reads and filters articles from JSONL files, in file order; drops an article when its
/// whole normalized text, its first two or its last two sentences were seen before (the real
/// corpora repeat and correct wire items, which would be unlabelled copies).
pub fn load_articles(
    paths: &[impl AsRef<Path>],
    filter: &SourceFilter,
) -> Result<(Vec<Article>, SourceStats), EvalError> {
    let mut out = Vec::new();
    let mut stats = SourceStats::default();
    let mut seen: HashSet<u64> = HashSet::new();
    let mut ids: HashSet<String> = HashSet::new();
    for path in paths {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|e| EvalError::io(path, e))?;
        let reader = std::io::BufReader::new(file);
        for (n, line) in reader.split(b'\n').enumerate() {
            let line = line.map_err(|e| EvalError::io(path, e))?;
            if line.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            stats.lines += 1;
            let Ok(raw) = serde_json::from_slice::<RawArticle>(&line) else {
                stats.malformed += 1;
                continue;
            };
            let Some(text) = raw.text else {
                stats.malformed += 1;
                continue;
            };
            let id = match raw.id {
                Some(serde_json::Value::String(s)) => s,
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => format!("{}:{}", path.display(), n + 1),
            };
            let mut paras = split_paragraphs(&text);
            // Wire sign-offs are not content.
            for p in paras.iter_mut() {
                p.retain(|s| !matches!(s.as_str(), "REUTER" | "Reuter" | "REUTERS" | "Reuters"));
            }
            paras.retain(|p| !p.is_empty());
            let n_sent: usize = paras.iter().map(|p| p.len()).sum();
            let chars = text.chars().count();
            if n_sent < filter.min_sentences
                || chars < filter.min_chars
                || chars > filter.max_chars
                || !looks_like_prose(&text)
            {
                stats.filtered += 1;
                continue;
            }
            let all: Vec<&String> = paras.iter().flatten().collect();
            let norm = |s: &[&String]| {
                let j: String = s.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(" ");
                xxh3_64(j.to_lowercase().as_bytes())
            };
            let keys = [norm(&all), norm(&all[..2]), norm(&all[all.len() - 2..]) ^ 1];
            if keys.iter().any(|k| seen.contains(k)) || !ids.insert(id.clone()) {
                stats.duplicates += 1;
                continue;
            }
            seen.extend(keys);
            let date = raw
                .date
                .as_deref()
                .and_then(|d| date::parse_reuters(d).or_else(|| date::parse_rfc3339(d)));
            out.push(Article {
                id,
                date,
                outlet: raw.source,
                paras,
                topics: raw.topics.iter().map(|t| t.to_lowercase()).collect(),
                places: raw.places.iter().map(|t| t.to_lowercase()).collect(),
                category: raw.category,
            });
        }
    }
    stats.kept = out.len();
    Ok((out, stats))
}

fn looks_like_prose(text: &str) -> bool {
    let mut letters = 0usize;
    let mut other = 0usize;
    for c in text.chars() {
        if c.is_alphabetic() || c == ' ' {
            letters += 1;
        } else if !c.is_whitespace() {
            other += 1;
        }
    }
    letters * 10 >= (letters + other) * 8
}

/// Splits a text into paragraphs (blank lines, or a line starting with indentation as in
/// Reuters) of sentences, collapsing white space inside each.
pub fn split_paragraphs(text: &str) -> Vec<Vec<String>> {
    let mut paras: Vec<String> = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        let indented = line.starts_with("  ") || line.starts_with('\t');
        if line.trim().is_empty() || indented {
            if !cur.trim().is_empty() {
                paras.push(std::mem::take(&mut cur));
            }
            cur.clear();
        }
        cur.push(' ');
        cur.push_str(line.trim());
    }
    if !cur.trim().is_empty() {
        paras.push(cur);
    }
    paras
        .into_iter()
        .map(|p| {
            let collapsed = p.split_whitespace().collect::<Vec<_>>().join(" ");
            split_sentences(&collapsed)
        })
        .filter(|p| !p.is_empty())
        .collect()
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "co", "inc", "corp", "ltd", "jr", "sr", "vs", "no", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "gen", "gov",
    "sen", "rep", "prof", "mt", "ft", "u.s", "u.k", "e.g", "i.e", "approx", "dept", "est",
];

/// Splits one paragraph (white space already collapsed) into sentences.
pub fn split_sentences(p: &str) -> Vec<String> {
    let chars: Vec<(usize, char)> = p.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let (bi, c) = chars[i];
        if matches!(c, '.' | '!' | '?') {
            let mut j = i + 1;
            while j < chars.len()
                && matches!(chars[j].1, '"' | '\'' | ')' | '\u{201d}' | '\u{2019}')
            {
                j += 1;
            }
            if j < chars.len() && chars[j].1 == ' ' {
                let next = chars.get(j + 1).map(|x| x.1).unwrap_or(' ');
                let starts_ok = next.is_uppercase()
                    || next.is_ascii_digit()
                    || matches!(next, '"' | '\u{201c}' | '(');
                let word_start = p[..bi].rfind(' ').map(|x| x + 1).unwrap_or(0);
                let word = p[word_start..bi]
                    .trim_start_matches(['"', '('])
                    .to_lowercase();
                let abbrev = c == '.'
                    && (ABBREVIATIONS.contains(&word.as_str())
                        || (word.chars().count() == 1 && word.chars().all(|x| x.is_alphabetic())));
                if starts_ok && !abbrev {
                    let end = chars[j].0;
                    let s = p[start..end].trim();
                    if !s.is_empty() {
                        out.push(s.to_string());
                    }
                    start = end;
                }
            }
            i = j;
            continue;
        }
        i += 1;
    }
    let s = p[start..].trim();
    if !s.is_empty() {
        out.push(s.to_string());
    }
    out
}

/// Capitalized words that are not the first word of a sentence (name candidates).
pub fn name_words(paras: &[Vec<String>]) -> Vec<String> {
    let mut out = Vec::new();
    for s in paras.iter().flatten() {
        for (k, w) in s
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .enumerate()
        {
            if k == 0 || w.chars().count() < 3 {
                continue;
            }
            let mut cs = w.chars();
            let first = cs.next().unwrap_or(' ');
            if first.is_uppercase() && cs.all(|c| c.is_alphabetic()) {
                out.push(w.to_string());
            }
        }
    }
    out
}

fn shingles(a: &Article) -> HashSet<u64> {
    let words: Vec<String> = a
        .paras
        .iter()
        .flatten()
        .flat_map(|s| s.split_whitespace().map(|w| w.to_lowercase()))
        .collect();
    words
        .windows(5)
        .map(|w| xxh3_64(w.join(" ").as_bytes()))
        .collect()
}

/// Same-story links between articles (indices into `articles`, `i < j`), sorted: pairs that
/// share at least two rare capitalized names (in at most `max_df` articles) and, for Reuters
/// items, a place, a topic (or both have none) and dates at most three days apart; for BBC
/// items, the category. Pairs whose texts share more than 10% of their 5-word shingles are
/// repeats rather than independent stories and are left out.
pub fn same_story_links(articles: &[Article], max_df: usize) -> Vec<(usize, usize)> {
    let names: Vec<HashSet<String>> = articles
        .iter()
        .map(|a| name_words(&a.paras).into_iter().collect())
        .collect();
    let mut df: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, ns) in names.iter().enumerate() {
        for n in ns {
            df.entry(n.as_str()).or_default().push(i);
        }
    }
    let mut counts: HashMap<(usize, usize), usize> = HashMap::new();
    let mut keys: Vec<&&str> = df.keys().collect();
    keys.sort();
    for k in keys {
        let list = &df[*k];
        if list.len() < 2 || list.len() > max_df {
            continue;
        }
        for x in 0..list.len() {
            for y in x + 1..list.len() {
                *counts.entry((list[x], list[y])).or_default() += 1;
            }
        }
    }
    let mut cands: Vec<(usize, usize)> = counts
        .into_iter()
        .filter(|(_, c)| *c >= 2)
        .map(|(p, _)| p)
        .collect();
    cands.sort_unstable();
    let mut out = Vec::new();
    let mut shingle_cache: HashMap<usize, HashSet<u64>> = HashMap::new();
    for (i, j) in cands {
        let (a, b) = (&articles[i], &articles[j]);
        let ok = match (&a.category, &b.category) {
            (Some(x), Some(y)) => x == y,
            (None, None) => {
                let place = a.places.iter().any(|p| b.places.contains(p));
                let topic = (a.topics.is_empty() && b.topics.is_empty())
                    || a.topics.iter().any(|t| b.topics.contains(t));
                let near = match (a.date, b.date) {
                    (Some(x), Some(y)) => (x - y).abs() <= 3 * 86_400,
                    _ => false,
                };
                place && topic && near
            }
            _ => false,
        };
        if !ok {
            continue;
        }
        for k in [i, j] {
            shingle_cache
                .entry(k)
                .or_insert_with(|| shingles(&articles[k]));
        }
        let (sa, sb) = (&shingle_cache[&i], &shingle_cache[&j]);
        let inter = sa.intersection(sb).count();
        let union = sa.len() + sb.len() - inter;
        if union > 0 && inter * 10 <= union {
            out.push((i, j));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_respect_abbreviations_and_initials() {
        let s = split_sentences(
            "Mr. Smith went to Washington. He met J. Doe at 3 p.m. on Friday! \"Good,\" he said. Profit rose 5.2 pct.",
        );
        assert_eq!(s.len(), 4, "{s:?}");
        assert_eq!(s[0], "Mr. Smith went to Washington.");
        assert!(s[3].starts_with("Profit rose 5.2"));
    }

    #[test]
    fn paragraphs_from_blank_lines_and_indentation() {
        let p = split_paragraphs(
            "One line\nwrapped here. Second.\n    New para. Again here.\n\nThird para.",
        );
        assert_eq!(p.len(), 3, "{p:?}");
        assert_eq!(p[0], vec!["One line wrapped here.", "Second."]);
        assert_eq!(p[2], vec!["Third para."]);
    }

    #[test]
    fn names_skip_sentence_initial_words() {
        let n = name_words(&[vec!["The Zorbland minister met Quillan officials.".into()]]);
        assert_eq!(n, vec!["Zorbland", "Quillan"]);
    }
}
