//! How many headlines of a corpus hold each word, so that the template rule can tell the names a
//! headline carries from the words a whole feed repeats in its headlines.
//!
//! Why: wire services write headlines in capitals ("GRANITE HARBOR CO <GHL> SETS QUARTERLY
//! PAYOUT"), where every word is capitalized and so looks like a name. Two notices from one
//! template then seem to share half their headline names (`CO`, `QUARTERLY`, `PAYOUT`) although
//! they name different companies. Counted over the headlines of the corpus being scanned, the
//! frame's words are frequent and the company's are not: discounting the frequent ones leaves
//! the names. Nothing here is a list of words: the counts come from the corpus at hand (the
//! scan builds the table from the documents it reads), and a comparison of two documents alone
//! has no table and keeps the capitalization rule.

use rustc_hash::FxHashMap;
use stemma_text::PreparedText;

/// A headline word is *common* when at least this share of the corpus's headlines hold it …
pub const COMMON_SHARE: f64 = 0.002;
/// … and at least this many (so that in a small corpus a name repeated in a few headlines
/// stays a name).
pub const COMMON_MIN: u32 = 20;

/// Headline word counts of a corpus: per word, the number of headlines holding it.
#[derive(Debug, Clone, Default)]
pub struct HeadlineWords {
    counts: FxHashMap<String, u32>,
    headlines: u32,
}

impl HeadlineWords {
    /// An empty table.
    pub fn new() -> Self {
        HeadlineWords::default()
    }

    /// The name-like words of `text`'s headline (its first sentence when more text follows:
    /// capitalized words, stop words, months and weekdays aside), distinct, in the form the
    /// template rule compares; empty when `text` has no headline.
    pub fn words(text: &PreparedText) -> Vec<String> {
        crate::headline_names(text)
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    /// Counts one headline's words (as given by [`HeadlineWords::words`]); an empty list is no
    /// headline.
    pub fn add(&mut self, mut words: Vec<String>) {
        if words.is_empty() {
            return;
        }
        words.sort_unstable();
        words.dedup();
        self.headlines += 1;
        for w in words {
            *self.counts.entry(w).or_insert(0) += 1;
        }
    }

    /// Adds the counts of `other` (tables of parts of one corpus).
    pub fn merge(&mut self, other: &HeadlineWords) {
        self.headlines += other.headlines;
        for (w, n) in &other.counts {
            *self.counts.entry(w.clone()).or_insert(0) += n;
        }
    }

    /// Headlines counted.
    pub fn headlines(&self) -> u32 {
        self.headlines
    }

    /// Headlines holding `word`.
    pub fn count(&self, word: &str) -> u32 {
        self.counts.get(word).copied().unwrap_or(0)
    }

    /// True when `word` is frequent across the corpus's headlines (see [`COMMON_SHARE`],
    /// [`COMMON_MIN`]): part of a feed's headline frame, not a name.
    pub fn is_common(&self, word: &str) -> bool {
        let n = self.count(word);
        n >= COMMON_MIN && n as f64 >= COMMON_SHARE * self.headlines as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequent_headline_words_are_common_and_rare_ones_are_not() {
        let mut t = HeadlineWords::new();
        for i in 0..200 {
            t.add(vec![
                format!("company{i}"),
                "corp".into(),
                "dividend".into(),
            ]);
        }
        for _ in 0..5 {
            t.add(vec!["granite".into(), "corp".into()]);
        }
        assert_eq!(t.headlines(), 205);
        assert_eq!(t.count("corp"), 205);
        assert!(t.is_common("corp") && t.is_common("dividend"));
        assert!(!t.is_common("granite") && !t.is_common("company7"));
        assert!(!t.is_common("absent"));
        // Counting a headline twice over is the same as merging its table.
        let mut half = HeadlineWords::new();
        half.add(vec!["granite".into(), "granite".into()]);
        assert_eq!(half.count("granite"), 1);
        t.merge(&half);
        assert_eq!((t.headlines(), t.count("granite")), (206, 6));
    }

    #[test]
    fn a_text_without_headline_has_no_headline_words() {
        let p = stemma_text::prepare("Only one sentence mentions Granite Harbor here.");
        assert!(HeadlineWords::words(&p).is_empty());
        let p = stemma_text::prepare(
            "GRANITE HARBOR CO SETS QUARTERLY PAYOUT\n\nQtly div 12 cts vs 12 cts prior.",
        );
        let w = HeadlineWords::words(&p);
        assert!(w.contains(&"granite".to_string()), "{w:?}");
        assert!(w.contains(&"payout".to_string()), "{w:?}");
    }
}
