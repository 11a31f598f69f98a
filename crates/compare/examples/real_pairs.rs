//! Relation distribution on real pairs from Reuters-21578 and BBC News (read at run time).
//!
//! Groups: (a) natural duplicates / near duplicates (same title, word-set Jaccard ≥ 0.8),
//! (b) random pairs with different titles, (c) Reuters follow-up wires (same first two title
//! words, dated within three days, word-set Jaccard < 0.5). Targets: (a) duplicate /
//! near-duplicate, (b) unrelated, (c) same-story (not rewrite).
//!
//! `cargo run --release -p stemma-compare --example real_pairs [-- DATA_DIR] [-v]`

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use stemma_compare::{Comparer, Document, parse_date};

struct Doc {
    title: String,
    text: String,
    date: Option<i64>,
    words: HashSet<String>,
}

fn load(path: &Path) -> Vec<Doc> {
    let Ok(raw) = std::fs::read_to_string(path) else {
        eprintln!("cannot read {}", path.display());
        return Vec::new();
    };
    raw.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            let text = v["text"].as_str()?.to_string();
            if text.len() < 300 {
                return None;
            }
            let words = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(|w| w.to_lowercase())
                .collect();
            Some(Doc {
                title: v["title"].as_str().unwrap_or("").trim().to_uppercase(),
                date: v["date"].as_str().and_then(parse_date),
                text,
                words,
            })
        })
        .collect()
}

fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let i = a.intersection(b).count();
    i as f64 / (a.len() + b.len() - i).max(1) as f64
}

fn run(name: &str, docs: &[Doc], pairs: &[(usize, usize)], use_dates: bool, verbose: bool) {
    let comparer = Comparer::default();
    let mut dist: BTreeMap<&'static str, usize> = BTreeMap::new();
    for &(i, j) in pairs {
        let (a, b) = (&docs[i], &docs[j]);
        let (pa, pb) = (stemma_text::prepare(&a.text), stemma_text::prepare(&b.text));
        let (da, db) = if use_dates {
            (a.date, b.date)
        } else {
            (None, None)
        };
        let c = comparer.compare(
            &Document::new(&a.text, &pa).with_date(da),
            &Document::new(&b.text, &pb).with_date(db),
        );
        *dist.entry(c.relation.as_str()).or_default() += 1;
        if verbose {
            println!(
                "  [{name}] {} | {} -> {} cov {:.2}/{:.2}",
                a.title, b.title, c.relation, c.coverage.a, c.coverage.b
            );
        }
    }
    let parts: Vec<String> = dist.iter().map(|(k, v)| format!("{k} {v}")).collect();
    println!("{name}: {} pairs: {}", pairs.len(), parts.join(", "));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "-v");
    let dir = args
        .iter()
        .find(|a| *a != "-v")
        .cloned()
        .unwrap_or_else(|| "../shared/data".into());
    let dir = Path::new(&dir);
    let reuters = load(&dir.join("reuters21578/reuters21578.jsonl"));
    let bbc = load(&dir.join("bbc_news/bbc_news.jsonl"));
    println!(
        "loaded {} Reuters and {} BBC documents (texts ≥ 300 bytes)",
        reuters.len(),
        bbc.len()
    );

    for (name, docs) in [("reuters", &reuters), ("bbc", &bbc)] {
        // (a) natural duplicates: same title and high word overlap.
        let mut by_title: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, d) in docs.iter().enumerate() {
            by_title.entry(d.title.as_str()).or_default().push(i);
        }
        let mut titles: Vec<_> = by_title.into_iter().filter(|(_, v)| v.len() >= 2).collect();
        titles.sort();
        let mut dups = Vec::new();
        for (_, v) in &titles {
            for x in 0..v.len() {
                for y in x + 1..v.len() {
                    if dups.len() < 150 && jaccard(&docs[v[x]].words, &docs[v[y]].words) >= 0.8 {
                        dups.push((v[x], v[y]));
                    }
                }
            }
        }
        run(
            &format!("{name} (a) same title, Jaccard>=0.8"),
            docs,
            &dups,
            false,
            verbose,
        );

        // (b) random pairs (deterministic LCG) with different titles.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        let mut random = Vec::new();
        while random.len() < 200 && docs.len() > 1 {
            let (i, j) = (next() % docs.len(), next() % docs.len());
            if i != j && docs[i].title != docs[j].title {
                random.push((i, j));
            }
        }
        run(
            &format!("{name} (b) random pairs"),
            docs,
            &random,
            false,
            verbose,
        );
    }

    // (c) Reuters follow-ups: same first two title words, within three days, different text.
    let key = |t: &str| t.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, d) in reuters.iter().enumerate() {
        if d.title.split_whitespace().count() >= 3 {
            by_key.entry(key(&d.title)).or_default().push(i);
        }
    }
    let mut keys: Vec<_> = by_key.into_iter().filter(|(_, v)| v.len() >= 2).collect();
    keys.sort();
    let mut follow = Vec::new();
    'outer: for (_, v) in &keys {
        for x in 0..v.len() {
            for y in x + 1..v.len() {
                let (a, b) = (&reuters[v[x]], &reuters[v[y]]);
                let close =
                    matches!((a.date, b.date), (Some(p), Some(q)) if (p - q).abs() <= 3 * 86_400);
                let jac = jaccard(&a.words, &b.words);
                if close && a.title != b.title && jac < 0.5 && jac > 0.1 {
                    follow.push((v[x], v[y]));
                    if follow.len() >= 200 {
                        break 'outer;
                    }
                }
            }
        }
    }
    run(
        "reuters (c) follow-up wires (same title key, <=3 days, Jaccard 0.1-0.5)",
        &reuters,
        &follow,
        true,
        verbose,
    );
}
