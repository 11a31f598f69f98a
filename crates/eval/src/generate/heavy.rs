//! The heavy generator style (`stemma generate --style heavy`): copies closer to what article
//! spinners and partial plagiarists produce than the default recipes — most replaceable words
//! swapped for synonyms (some with a different inflection), sentences dropped, swapped and
//! merged, and excerpts of about a third of a source (one block, or sentences scattered through
//! the host) embedded in unrelated text. It exists so that `scan`'s recall is measured on copies
//! that keep few word sequences of their source, not only on the mild default rewrites.

use crate::generate::transform::{
    self, Doc, Inflection, Sent, inflect, is_content, lemma_of, word_runs,
};
use crate::generate::wordnet::Synonyms;
use crate::rng::Rng;

/// The generator style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// The recipes of `REWRITE_MENU` and short partial excerpts (the gated default).
    #[default]
    Default,
    /// Heavy spins and third-of-a-source partial reuse (this module).
    Heavy,
}

impl std::str::FromStr for Style {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "default" => Ok(Style::Default),
            "heavy" => Ok(Style::Heavy),
            other => Err(format!(
                "unknown generator style `{other}` (expected `default` or `heavy`)"
            )),
        }
    }
}

impl Style {
    /// The style's name on the command line and in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Style::Default => "default",
            Style::Heavy => "heavy",
        }
    }
}

/// What [`heavy_synonyms`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Substitutions {
    /// Content words that have a synonym (the ones that could change).
    pub replaceable: usize,
    /// Of those, words replaced by a synonym.
    pub substituted: usize,
    /// Of the substituted words, those given a different inflection than the original
    /// (plural ↔ singular, past ↔ gerund).
    pub reinflected: usize,
}

/// The other inflection a spinner may pick: plural ↔ singular, past ↔ gerund; `None` keeps it.
fn switched(how: Inflection) -> Inflection {
    match how {
        Inflection::Plural => Inflection::None,
        Inflection::Past => Inflection::Gerund,
        Inflection::Gerund => Inflection::Past,
        Inflection::None => Inflection::None,
    }
}

/// Replaces each replaceable word (a content word — lower case, three letters or more, not a
/// stop word, not part of a hyphenated compound — with a WordNet synonym) with probability `q`,
/// and gives a replaced inflected word a different inflection with probability `p_inflect`.
/// Unlike [`transform::synonyms`], `q` is the share of *replaceable* words, so `q > 0.5`
/// changes more than half of what can change.
pub fn heavy_synonyms(
    doc: &mut Doc,
    q: f64,
    p_inflect: f64,
    syn: &Synonyms,
    rng: &mut Rng,
) -> Substitutions {
    let mut st = Substitutions::default();
    for s in doc.paras.iter_mut().flatten() {
        let runs = word_runs(&s.text);
        let mut out = String::with_capacity(s.text.len() + 16);
        let mut changed = false;
        for (k, &(is_word, run)) in runs.iter().enumerate() {
            let lower = run.to_ascii_lowercase();
            let hyphen = (k > 0 && runs[k - 1].1.ends_with('-'))
                || runs.get(k + 1).is_some_and(|r| r.1.starts_with('-'));
            let found = if is_word && !hyphen && is_content(run, &lower) {
                lemma_of(&lower, syn)
            } else {
                None
            };
            let Some((cands, how)) = found else {
                out.push_str(run);
                continue;
            };
            st.replaceable += 1;
            if !rng.chance(q) {
                out.push_str(run);
                continue;
            }
            let Some(w) = rng.pick(cands) else {
                out.push_str(run);
                continue;
            };
            let how2 = if how != Inflection::None && rng.chance(p_inflect) {
                st.reinflected += 1;
                switched(how)
            } else {
                how
            };
            out.push_str(&inflect(w, how2));
            st.substituted += 1;
            changed = true;
        }
        if changed {
            s.text = out;
        }
    }
    st
}

/// Swaps adjacent sentences inside paragraphs: each position starts a swap with probability
/// `p` (a swapped pair is not swapped again). Returns the number of swaps.
pub fn swap_adjacent(doc: &mut Doc, p: f64, rng: &mut Rng) -> usize {
    let mut n = 0;
    for para in doc.paras.iter_mut() {
        let mut i = 0;
        while i + 1 < para.len() {
            if rng.chance(p) {
                para.swap(i, i + 1);
                n += 1;
                i += 2;
            } else {
                i += 1;
            }
        }
    }
    n
}

/// Merges adjacent sentences of a paragraph into one (`A, and b`) with probability `p` per
/// pair. Returns the number of merges.
pub fn merge_pairs(doc: &mut Doc, p: f64, syn: &Synonyms, rng: &mut Rng) -> usize {
    let mut n = 0;
    for para in doc.paras.iter_mut() {
        let mut i = 0;
        while i + 1 < para.len() {
            if rng.chance(p)
                && let Some(m) = transform::merge(&para[i], &para[i + 1], syn)
            {
                para[i] = m;
                para.remove(i + 1);
                n += 1;
            }
            i += 1;
        }
    }
    n
}

/// A heavy spin of `doc`: sentences dropped (each with probability 0.1–0.25, keeping two),
/// adjacent sentences swapped, pairs merged, then 55–85 % of the replaceable words replaced by
/// synonyms (a third of the inflected ones re-inflected). Returns the substitution figures.
pub fn spin(doc: &mut Doc, syn: &Synonyms, rng: &mut Rng) -> Substitutions {
    let p_drop = 0.1 + 0.15 * rng.f64();
    transform::delete(doc, p_drop, rng);
    swap_adjacent(doc, 0.25, rng);
    merge_pairs(doc, 0.25, syn, rng);
    let q = 0.55 + 0.3 * rng.f64();
    heavy_synonyms(doc, q, 0.33, syn, rng)
}

/// An excerpt of about a third of `src`'s sentences (at least two): one contiguous run when
/// `contiguous`, else sentences drawn anywhere in the source, kept in source order.
pub fn excerpt(src: &Doc, contiguous: bool, rng: &mut Rng) -> Vec<Sent> {
    let all: Vec<Sent> = src.paras.iter().flatten().cloned().collect();
    let n = all.len();
    let k = ((n as f64 / 3.0).round() as usize).max(2).min(n);
    if contiguous {
        let start = rng.below(n - k + 1);
        return all[start..start + k].to_vec();
    }
    let mut idx: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut idx);
    idx.truncate(k);
    idx.sort_unstable();
    idx.into_iter().map(|i| all[i].clone()).collect()
}

/// Embeds `part` in `host`: as one paragraph between the host's paragraphs when `block`, else
/// each sentence at its own random place among the host's sentences (source order kept).
pub fn embed(host: &mut Doc, part: Vec<Sent>, block: bool, rng: &mut Rng) {
    if block || host.paras.is_empty() {
        let at = rng.below(host.paras.len() + 1);
        host.paras.insert(at, part);
        return;
    }
    // Slots between host sentences, numbered in reading order; sorted so the excerpt keeps
    // its order.
    let total = host.len();
    let mut slots: Vec<usize> = (0..part.len()).map(|_| rng.below(total + 1)).collect();
    slots.sort_unstable();
    let mut paras: Vec<Vec<Sent>> = Vec::with_capacity(host.paras.len());
    let mut part = part.into_iter().peekable();
    let mut slot_i = slots.into_iter().peekable();
    let mut k = 0;
    let n_paras = host.paras.len();
    for (pi, p) in std::mem::take(&mut host.paras).into_iter().enumerate() {
        let mut out = Vec::with_capacity(p.len() + 2);
        for s in p {
            while slot_i.peek() == Some(&k) {
                slot_i.next();
                if let Some(x) = part.next() {
                    out.push(x);
                }
            }
            out.push(s);
            k += 1;
        }
        if pi + 1 == n_paras {
            for _ in slot_i.by_ref() {
                if let Some(x) = part.next() {
                    out.push(x);
                }
            }
        }
        paras.push(out);
    }
    host.paras = paras;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syn() -> Synonyms {
        Synonyms::from_groups(&[
            &["output", "production", "yield"],
            &["rise", "climb", "increase"],
            &["expect", "anticipate"],
            &["large", "big", "sizable"],
            &["harvest", "crop"],
            &["price", "cost"],
            &["fall", "drop"],
            &["official", "functionary"],
            &["export", "shipment"],
            &["report", "account"],
            &["sharp", "steep"],
            &["season", "period"],
        ])
    }

    fn sample(n: usize) -> Doc {
        let base = [
            "Zorbland grain output rose this season after the rains.",
            "Officials expect a large harvest and rising exports.",
            "Prices fell 12 pct to 340 units in the report.",
            "Traders reported steady demand for the large crop.",
            "The season ended with output rising in every region.",
            "Exports climbed while prices fell in the northern ports.",
        ];
        let sents: Vec<String> = (0..n).map(|i| base[i % base.len()].to_string()).collect();
        Doc::source(&[sents[..n / 2].to_vec(), sents[n / 2..].to_vec()])
    }

    #[test]
    fn heavy_synonyms_change_more_than_half_of_replaceable_words() {
        let syn = syn();
        let (mut rep, mut sub) = (0, 0);
        for seed in 0..40 {
            let mut d = sample(12);
            let st = heavy_synonyms(&mut d, 0.6, 0.3, &syn, &mut Rng::new(seed));
            rep += st.replaceable;
            sub += st.substituted;
        }
        let frac = sub as f64 / rep as f64;
        assert!(rep > 500, "{rep}");
        assert!(frac > 0.5 && frac < 0.7, "{frac}");
    }

    #[test]
    fn measured_word_change_of_a_spin_exceeds_half() {
        // Measured on the text, not on the function's own count: replaceable words of the
        // source sentences that no longer appear in the spun sentence with the same origin.
        let syn = syn();
        let (mut rep, mut gone) = (0usize, 0usize);
        for seed in 0..30 {
            let src = sample(12);
            let mut d = src.clone();
            let mut rng = Rng::new(seed);
            let q = 0.55 + 0.3 * rng.f64();
            heavy_synonyms(&mut d, q, 0.3, &syn, &mut rng);
            for (a, b) in src.paras.iter().flatten().zip(d.paras.iter().flatten()) {
                let words = |t: &str| -> Vec<String> {
                    word_runs(t)
                        .into_iter()
                        .filter(|r| r.0)
                        .map(|r| r.1.to_string())
                        .collect()
                };
                let (wa, wb) = (words(&a.text), words(&b.text));
                // Synonyms are single words, so the words stay aligned one to one.
                assert_eq!(wa.len(), wb.len());
                for (x, y) in wa.iter().zip(&wb) {
                    let lower = x.to_ascii_lowercase();
                    if is_content(x, &lower) && lemma_of(&lower, &syn).is_some() {
                        rep += 1;
                        gone += (x != y) as usize;
                    }
                }
            }
        }
        assert!(gone as f64 / rep as f64 > 0.5, "{gone}/{rep}");
    }

    #[test]
    fn inflection_changes_happen_and_keep_the_word_a_synonym() {
        let syn = syn();
        let mut d = Doc::source(&[vec![
            "Prices fell as exports rose and officials reported.".into(),
        ]]);
        let st = heavy_synonyms(&mut d, 1.0, 1.0, &syn, &mut Rng::new(3));
        assert_eq!(st.substituted, st.replaceable);
        assert!(st.reinflected >= 2, "{st:?}");
        let t = &d.paras[0][0].text;
        // `Prices` is capitalized (kept as a possible name); the plurals become singular
        // synonyms and the past `reported` a gerund.
        assert_eq!(
            t,
            "Prices fell as shipment rose and functionary accounting."
        );
    }

    #[test]
    fn spin_drops_swaps_and_merges_and_keeps_origins() {
        let syn = syn();
        let mut swaps = 0;
        let mut merged = 0;
        let mut dropped = 0;
        for seed in 0..20 {
            let src = sample(14);
            let mut d = src.clone();
            spin(&mut d, &syn, &mut Rng::new(seed));
            let origins: Vec<(usize, usize)> =
                d.paras.iter().flatten().filter_map(|s| s.origin).collect();
            merged += origins.iter().filter(|o| o.1 > o.0).count();
            swaps += origins.windows(2).filter(|w| w[1].0 < w[0].0).count();
            dropped += (0..14)
                .filter(|k| !origins.iter().any(|o| o.0 <= *k && *k <= o.1))
                .count();
            assert!(d.derived() >= 2);
        }
        assert!(
            swaps > 0 && merged > 0 && dropped > 0,
            "{swaps} {merged} {dropped}"
        );
    }

    #[test]
    fn excerpts_are_about_a_third_of_the_source() {
        for n in [6, 9, 15, 30] {
            let src = sample(n);
            for (seed, contiguous) in [(1, true), (2, false), (3, false)] {
                let e = excerpt(&src, contiguous, &mut Rng::new(seed));
                let frac = e.len() as f64 / n as f64;
                assert!((0.28..=0.4).contains(&frac), "{n} {}", e.len());
                let o: Vec<usize> = e.iter().map(|s| s.origin.unwrap().0).collect();
                assert!(o.windows(2).all(|w| w[0] < w[1]));
                if contiguous {
                    assert!(o.windows(2).all(|w| w[1] == w[0] + 1));
                }
            }
        }
        // Non-contiguous excerpts are usually not one run.
        let gaps = (0..20)
            .filter(|&s| {
                let e = excerpt(&sample(30), false, &mut Rng::new(s));
                e.windows(2)
                    .any(|w| w[1].origin.unwrap().0 != w[0].origin.unwrap().0 + 1)
            })
            .count();
        assert!(gaps >= 18, "{gaps}");
    }

    #[test]
    fn embedding_keeps_host_and_excerpt_order() {
        let host = Doc::foreign(&[
            vec!["H1.".into(), "H2.".into()],
            vec!["H3.".into(), "H4.".into(), "H5.".into()],
        ]);
        let part = excerpt(&sample(12), false, &mut Rng::new(5));
        for (seed, block) in [(1, true), (2, false), (7, false)] {
            let mut h = host.clone();
            embed(&mut h, part.clone(), block, &mut Rng::new(seed));
            let all: Vec<&Sent> = h.paras.iter().flatten().collect();
            assert_eq!(all.len(), 5 + part.len());
            let hosts: Vec<&str> = all
                .iter()
                .filter(|s| s.origin.is_none())
                .map(|s| s.text.as_str())
                .collect();
            assert_eq!(hosts, ["H1.", "H2.", "H3.", "H4.", "H5."]);
            let got: Vec<_> = all.iter().filter_map(|s| s.origin).collect();
            let want: Vec<_> = part.iter().filter_map(|s| s.origin).collect();
            assert_eq!(got, want);
        }
    }
}
