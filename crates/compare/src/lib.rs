//! stemma-compare: comparing two documents — relation, alignment, direction and change report.
//!
//! The pure heart of stemma. No I/O, no global state, deterministic.
//!
//! ```
//! use stemma_compare::{Comparer, Document, Relation};
//! let text_a = "The mayor opened the new bridge on Monday. Hundreds of people came to watch.";
//! let text_b = text_a;
//! let (a, b) = (stemma_text::prepare(text_a), stemma_text::prepare(text_b));
//! let cmp = Comparer::default().compare(&Document::new(text_a, &a), &Document::new(text_b, &b));
//! assert_eq!(cmp.relation, Relation::Duplicate);
//! ```
//!
//! How a comparison is decided (figures are [`CompareOptions`] defaults):
//! 1. The sentences are aligned by `stemma_align` with the [`LexicalScorer`] (or any
//!    [`SentenceScorer`] given to [`Comparer::with_scorer`]).
//! 2. Coverage = fraction of each side's sentence bytes inside aligned passages. The *copy* side
//!    is the more covered one.
//! 3. The relation follows from how much of the copy side is aligned, and how (verbatim or
//!    paraphrase, and with which similarity), never from document-level word overlap, except to
//!    tell `same-story` from `unrelated` once no derivation was found.

#![warn(missing_docs)]

mod changes;
pub mod date;
pub mod direction;
pub mod headline;
pub mod model;
pub mod verdict;
pub mod wording;

pub use date::{format_date, parse_date};
pub use direction::DirectionModel;
pub use headline::HeadlineWords;
pub use model::*;
pub use stemma_align::{AlignOptions, LexicalScorer, SentenceScorer};
pub use verdict::{Contribution, FEATURE_NAMES, PairFeatures, VerdictModel};

use stemma_align::{AlignInput, AlignResult, MatchKind, align_with, order_consistency};
use stemma_text::{PreparedText, TokenKind};

/// One side of a comparison: the original text, its preparation, and its date if known.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    /// The original input text; every span refers to its bytes.
    pub text: &'a str,
    /// `text` prepared by `stemma_text`.
    pub prepared: &'a PreparedText,
    /// Publication time in seconds since the Unix epoch, when known.
    pub date: Option<i64>,
    /// Headline word counts of the corpus the document comes from, when known (a scan makes
    /// them): the template rule then discounts the words common across headlines.
    pub headlines: Option<&'a HeadlineWords>,
}

impl<'a> Document<'a> {
    /// A document without a date.
    pub fn new(text: &'a str, prepared: &'a PreparedText) -> Self {
        Document {
            text,
            prepared,
            date: None,
            headlines: None,
        }
    }

    /// The same document with a publication time (seconds since the Unix epoch).
    pub fn with_date(mut self, date: Option<i64>) -> Self {
        self.date = date;
        self
    }

    /// The same document with the headline word counts of its corpus (see [`HeadlineWords`]).
    pub fn with_headlines(mut self, headlines: Option<&'a HeadlineWords>) -> Self {
        self.headlines = headlines;
        self
    }
}

/// Tunable settings of a comparison. Whether a pair is derived is decided by the fitted
/// [`VerdictModel`] (`verdict`); the other settings describe a derivation once found, or are
/// rules that hold whatever the model says (see `docs/notes/verdict.md`).
#[derive(Debug, Clone)]
pub struct CompareOptions {
    /// Options of the sentence aligner.
    pub align: AlignOptions,
    /// The fitted verdict model (default: the committed lexical model; front ends running the
    /// semantic layer pass [`VerdictModel::semantic`]).
    pub verdict: VerdictModel,
    /// Near-duplicate: at least this fraction of the more covered side lies in aligned
    /// passages …
    pub near_duplicate_copy: f64,
    /// … and at least this fraction of the other side, and the aligned text keeps the
    /// source's wording: [`wording::wording_similarity`] of the aligned passages (each side in
    /// its own order) at least `near_duplicate_wording`. Below it the copy is reworded.
    pub near_duplicate_source: f64,
    /// See `near_duplicate_source`; default [`wording::NEAR_DUPLICATE_WORDING`].
    pub near_duplicate_wording: f64,
    /// A derived pair is a `rewrite` when at least this fraction of the copy side (the more
    /// covered one) lies in aligned passages, and a `partial` below.
    pub rewrite_coverage: f64,
    /// A copy side this much verbatim that reuses less than `near_duplicate_source` of the other
    /// side is an excerpt: `partial`, not `rewrite`.
    pub excerpt_verbatim: f64,
    /// A derived pair whose copy side is aligned below `rewrite_coverage` but at least this
    /// much (or mostly verbatim) reuses a part of the other: `partial`.
    pub partial_coverage: f64,
    /// Verbatim / near-verbatim reuse of two or more sentences with at least this many tokens
    /// (quotations excluded), in any order, is at least `partial` whatever the model says …
    pub partial_min_tokens: usize,
    /// … and so is such reuse of at least this many tokens in any number of sentences.
    pub reuse_min_tokens: usize,
    /// Template: a derived-looking pair whose aligned sentences differ in at least this share
    /// of their names and numbers (with differing names or numbers on both sides) is the same
    /// frame filled with other facts.
    pub template_slot_diff: f64,
    /// Same-story: weighted cosine of the documents' key terms (names, numbers, long words)
    /// at least this …
    pub same_story: f64,
    /// … with at least this many shared names or numbers.
    pub same_story_min_shared: usize,
    /// A clause of an aligned copy sentence with at least this many content words, almost none
    /// of them found in its counterpart, is reported as added.
    pub clause_min_terms: usize,
    /// `passages`: consecutive alignments are merged into one region when the next starts
    /// after the previous on both sides with at most this many unaligned sentences between
    /// them on each side.
    pub passage_max_gap: usize,
}

impl CompareOptions {
    /// The defaults for the sentence scorer in use: the verdict model fitted on alignments
    /// made with the semantic layer when `semantic`, the lexical one otherwise. Every front
    /// end (CLI, Python) picks the model through this.
    pub fn for_scorer(semantic: bool) -> Self {
        let mut o = CompareOptions::default();
        if semantic {
            o.verdict = VerdictModel::semantic().clone();
        }
        o
    }
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            align: AlignOptions::default(),
            verdict: VerdictModel::lexical().clone(),
            near_duplicate_copy: 0.85,
            near_duplicate_source: 0.6,
            near_duplicate_wording: wording::NEAR_DUPLICATE_WORDING,
            rewrite_coverage: 0.5,
            excerpt_verbatim: 0.7,
            partial_coverage: 0.2,
            partial_min_tokens: 20,
            reuse_min_tokens: 40,
            template_slot_diff: 0.5,
            same_story: 0.2,
            same_story_min_shared: 3,
            clause_min_terms: 5,
            passage_max_gap: 1,
        }
    }
}

/// Compares documents with a sentence scorer (by default the [`LexicalScorer`]) and options.
#[derive(Debug)]
pub struct Comparer<S: SentenceScorer = LexicalScorer> {
    options: CompareOptions,
    scorer: S,
}

impl Default for Comparer<LexicalScorer> {
    fn default() -> Self {
        Comparer::new(CompareOptions::default())
    }
}

impl Comparer<LexicalScorer> {
    /// A comparer with the given options and the lexical sentence scorer.
    pub fn new(options: CompareOptions) -> Self {
        Comparer {
            options,
            scorer: LexicalScorer::default(),
        }
    }
}

/// What [`Comparer::compare`] derives from one document alone (the scorer's sentence features
/// and the key terms of the topical similarity). Made by [`Comparer::document_features`];
/// a caller comparing one document with several others can make it once and pass it to
/// [`Comparer::compare_features`] for every pair, with the same results as
/// [`Comparer::compare`].
pub struct DocumentFeatures<'d, F> {
    /// The scorer's features of the document's sentences.
    pub scorer: F,
    keys: changes::KeyTerms<'d>,
    /// Per sentence: page furniture ([`direction::furniture_mask`]).
    furniture: Vec<bool>,
}

impl<F: std::fmt::Debug> std::fmt::Debug for DocumentFeatures<'_, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentFeatures")
            .field("scorer", &self.scorer)
            .field("key_terms", &self.keys.len())
            .finish()
    }
}

/// Figures measured on an alignment, used by the relation and direction decisions.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Figures {
    /// Coverage of A and B by any alignment.
    pub cov: [f64; 2],
    /// Coverage by verbatim / near-verbatim alignments.
    pub vcov: [f64; 2],
    /// Coverage by confident alignments (strong similarity or (near-)verbatim).
    pub scov: [f64; 2],
    /// Number of confident sentence matches.
    pub strong_matches: usize,
    /// Sentence bytes of A and B.
    pub bytes: [usize; 2],
}

impl<S: SentenceScorer> Comparer<S> {
    /// A comparer with the given options and sentence scorer.
    pub fn with_scorer(options: CompareOptions, scorer: S) -> Self {
        Comparer { options, scorer }
    }

    /// The options in use.
    pub fn options(&self) -> &CompareOptions {
        &self.options
    }

    /// The sentence scorer in use.
    pub fn scorer(&self) -> &S {
        &self.scorer
    }

    /// Compares `a` with `b`. Never panics; spans of `prepared` that do not fit `text` are
    /// ignored.
    pub fn compare(&self, a: &Document<'_>, b: &Document<'_>) -> Comparison {
        let fa = self.document_features(a);
        let fb = self.document_features(b);
        self.compare_features(a, &fa, b, &fb)
    }

    /// What comparisons of `d` need from `d` alone, to be reused by
    /// [`Comparer::compare_features`] across all comparisons of `d`.
    pub fn document_features<'d>(&self, d: &Document<'d>) -> DocumentFeatures<'d, S::Features> {
        DocumentFeatures {
            scorer: self.scorer.features(AlignInput::new(d.text, d.prepared)),
            keys: changes::key_terms(d),
            furniture: direction::furniture_mask(d),
        }
    }

    /// [`Comparer::compare`] with the features of both documents made beforehand by
    /// [`Comparer::document_features`] (of the same documents, with this comparer); same
    /// result.
    pub fn compare_features(
        &self,
        a: &Document<'_>,
        fa: &DocumentFeatures<'_, S::Features>,
        b: &Document<'_>,
        fb: &DocumentFeatures<'_, S::Features>,
    ) -> Comparison {
        let opt = &self.options;
        let ia = AlignInput::new(a.text, a.prepared);
        let ib = AlignInput::new(b.text, b.prepared);
        // 1. Align.
        let res = align_with(&self.scorer, &opt.align, ia, &fa.scorer, ib, &fb.scorer);
        let strong = self.scorer.thresholds().strong;
        // 2. Features, 3. verdict — on the evidence: matches of page furniture on both sides
        // (a site's copyright notice under two unrelated articles) are shown, not weighed.
        let evidence = without_furniture(a, b, [&fa.furniture, &fb.furniture], &res);
        let fig_e = figures(a, b, &evidence.res, strong, evidence.skip.as_ref());
        let m = measures(a, fa, b, fb, &evidence.res, &fig_e);
        let v = self.verdict(a, b, fa, fb, &evidence.res, &fig_e, &m);
        let fig = figures(a, b, &res, strong, None);
        let relation = v.relation;
        let derivation = relation.is_derivation();
        let direction = direction::decide(a, b, &res, &fig, relation);
        let score = match relation {
            Relation::Duplicate => 1.0,
            Relation::NearDuplicate => 0.5 * (fig.vcov[0] + fig.vcov[1]),
            Relation::Rewrite | Relation::Partial | Relation::Template => {
                0.5 * (fig.cov[0] + fig.cov[1])
            }
            Relation::SameStory | Relation::Unrelated => m.key_terms,
        }
        .clamp(0.0, 1.0);

        // Every alignment found is reported; when the pair is not derived they are evidence
        // (shared quotations, shared facts), marked weak.
        let weak = !derivation;
        let shown: Vec<&stemma_align::Passage> = res.passages.iter().collect();
        let alignments: Vec<Alignment> = shown
            .iter()
            .filter_map(|p| {
                Some(Alignment {
                    a: sentence_span(a.prepared, &p.a, a.text.len())?,
                    b: sentence_span(b.prepared, &p.b, b.text.len())?,
                    kind: match p.kind {
                        MatchKind::Verbatim => AlignmentKind::Verbatim,
                        MatchKind::NearVerbatim => AlignmentKind::NearVerbatim,
                        MatchKind::Paraphrase => AlignmentKind::Paraphrase,
                    },
                    similarity: p.similarity.clamp(0.0, 1.0),
                    weak,
                })
            })
            .collect();
        let passages = merge_regions(
            shown.iter().map(|p| (p.a.clone(), p.b.clone())),
            opt.passage_max_gap,
        )
        .into_iter()
        .filter_map(|(ra, rb)| {
            Some(Passage {
                a: sentence_span(a.prepared, &ra, a.text.len())?,
                b: sentence_span(b.prepared, &rb, b.text.len())?,
            })
        })
        .collect();

        let (mut change_list, mut dropped, mut added) = (Vec::new(), Vec::new(), Vec::new());
        if derivation {
            change_list = changes::changes(a, b, &res);
            let a_is_source = direction.source != Some(Side::B);
            let (src, cpy) = if a_is_source { (a, b) } else { (b, a) };
            let src_used = used(src.prepared.sentences.len(), &res, a_is_source);
            let cpy_used = used(cpy.prepared.sentences.len(), &res, !a_is_source);
            dropped = unaligned_runs(src, &src_used);
            added = unaligned_runs(cpy, &cpy_used);
            added.extend(changes::added_clauses(
                src,
                cpy,
                &res,
                a_is_source,
                opt.clause_min_terms,
            ));
            added.sort();
        }

        Comparison {
            relation,
            score,
            probability: v.probability,
            verdict: Some(v.explanation),
            direction,
            coverage: Coverage {
                a: fig.cov[0],
                b: fig.cov[1],
            },
            alignments,
            passages,
            changes: change_list,
            dropped,
            added,
        }
    }
}

/// What the verdict step decided.
struct Decided {
    relation: Relation,
    probability: f64,
    explanation: VerdictExplanation,
}

impl<S: SentenceScorer> Comparer<S> {
    /// The verdict step: the model's probability of derivation, the rules that hold whatever
    /// it says, and which derived relation the coverage describes.
    #[allow(clippy::too_many_arguments)]
    fn verdict(
        &self,
        a: &Document<'_>,
        b: &Document<'_>,
        fa: &DocumentFeatures<'_, S::Features>,
        fb: &DocumentFeatures<'_, S::Features>,
        res: &AlignResult,
        fig: &Figures,
        m: &verdict::Measures,
    ) -> Decided {
        let opt = &self.options;
        let features = m.features();
        let (p, contributions) = opt.verdict.probability(&features);
        let log_odds = opt.verdict.bias + contributions.iter().map(|c| c.contribution).sum::<f64>();
        let mut rule = None;
        let copy_side = if fig.cov[1] >= fig.cov[0] { 1 } else { 0 };
        let src_side = 1 - copy_side;

        let duplicate = is_duplicate(a.prepared, b.prepared);
        let reuse = m.verbatim_tokens >= opt.reuse_min_tokens
            || (verbatim_sentences(a, res) >= 2 && m.verbatim_tokens >= opt.partial_min_tokens);
        // No aligned text at all: nothing to show as evidence of copying, whatever the
        // document-level figures say.
        // One matched sentence in a longer text is a shared line (a quotation, a wire
        // sentence), not reuse, unless it is most of the copy: the verbatim-reuse rule below
        // decides such cases.
        // One passage that is a fifth of a (short) source and near-verbatim over
        // `partial_min_tokens` is an excerpt of it, not a shared line of a longer text.
        let excerpt_of_short = fig.cov[copy_side] >= opt.partial_coverage
            && m.verbatim_tokens >= opt.partial_min_tokens;
        let derived_by_model = p >= opt.verdict.threshold
            && !res.groups.is_empty()
            && (res.groups.len() >= 2
                || fig.cov[copy_side] >= opt.rewrite_coverage
                || excerpt_of_short);
        let mut probability = p;
        let relation = if duplicate {
            rule = Some("exact-copy".to_string());
            probability = 1.0;
            Relation::Duplicate
        } else if (derived_by_model || reuse)
            && slot_difference(a, b, res) >= opt.template_slot_diff
        {
            rule = Some("template".to_string());
            Relation::Template
        } else if derived_by_model || reuse {
            if !derived_by_model {
                rule = Some("verbatim-reuse".to_string());
            }
            if fig.cov[copy_side] >= opt.near_duplicate_copy
                && fig.cov[src_side] >= opt.near_duplicate_source
                && aligned_wording(a, b, res) >= opt.near_duplicate_wording
            {
                Relation::NearDuplicate
            } else if !derived_by_model
                || (fig.vcov[copy_side] >= opt.excerpt_verbatim
                    && fig.cov[src_side] < opt.near_duplicate_source)
                || (fig.cov[copy_side] < opt.rewrite_coverage
                    && (fig.cov[copy_side] >= opt.partial_coverage
                        || fig.vcov[copy_side] * 2.0 >= fig.cov[copy_side].max(1e-9)))
            {
                // Reuse found by the rule only, an excerpt, or a clearly aligned minority of
                // the copy: a part of it is reused.
                Relation::Partial
            } else {
                Relation::Rewrite
            }
        } else {
            let topic = changes::topical_similarity(&fa.keys, &fb.keys);
            if topic.score >= opt.same_story && topic.shared_keys >= opt.same_story_min_shared {
                Relation::SameStory
            } else {
                Relation::Unrelated
            }
        };
        Decided {
            relation,
            probability,
            explanation: VerdictExplanation {
                model: opt.verdict.name.clone(),
                log_odds,
                contributions,
                rule,
            },
        }
    }
}

/// The evidence of reuse in `res`: without the matches whose sentences are page furniture on
/// both sides ([`direction::furniture_mask`]), and, per side, the sentences of those matches,
/// which the verdict's coverage leaves out of the text (a copy that keeps its source's footer
/// is covered as fully as one that drops it).
struct ReuseEvidence<'r> {
    res: std::borrow::Cow<'r, AlignResult>,
    skip: Option<[Vec<bool>; 2]>,
}

fn without_furniture<'r>(
    a: &Document<'_>,
    b: &Document<'_>,
    [ma, mb]: [&[bool]; 2],
    res: &'r AlignResult,
) -> ReuseEvidence<'r> {
    let all = |m: &[bool], r: &std::ops::Range<usize>| {
        !r.is_empty() && r.clone().all(|i| m.get(i).copied().unwrap_or(false))
    };
    let furniture = |g: &stemma_align::AlignedGroup| all(ma, &g.a) && all(mb, &g.b);
    if !res.groups.iter().any(furniture) {
        return ReuseEvidence {
            res: std::borrow::Cow::Borrowed(res),
            skip: None,
        };
    }
    let mut skip = [
        vec![false; a.prepared.sentences.len()],
        vec![false; b.prepared.sentences.len()],
    ];
    for g in res.groups.iter().filter(|g| furniture(g)) {
        for (side, r) in [&g.a, &g.b].into_iter().enumerate() {
            for i in r.clone() {
                if let Some(x) = skip[side].get_mut(i) {
                    *x = true;
                }
            }
        }
    }
    ReuseEvidence {
        res: std::borrow::Cow::Owned(AlignResult {
            groups: res
                .groups
                .iter()
                .filter(|g| !furniture(g))
                .cloned()
                .collect(),
            passages: res
                .passages
                .iter()
                .filter(|p| !(all(ma, &p.a) && all(mb, &p.b)))
                .cloned()
                .collect(),
        }),
        skip: Some(skip),
    }
}

/// The figures the verdict's features are made from.
fn measures<F>(
    a: &Document<'_>,
    fa: &DocumentFeatures<'_, F>,
    b: &Document<'_>,
    fb: &DocumentFeatures<'_, F>,
    res: &AlignResult,
    fig: &Figures,
) -> verdict::Measures {
    let copy_side = if fig.cov[1] >= fig.cov[0] { 1 } else { 0 };
    let src_side = 1 - copy_side;
    let groups = &res.groups;
    let n = groups.len();
    // Sentence-by-sentence structure: a match followed by the next one on both sides.
    let mut by_a: Vec<(usize, usize, usize, usize)> = groups
        .iter()
        .map(|g| (g.a.start, g.a.end, g.b.start, g.b.end))
        .collect();
    by_a.sort_unstable();
    let mut chained = vec![false; n];
    for i in 1..n {
        let (_, pa_end, _, pb_end) = by_a[i - 1];
        let (sa, _, sb, _) = by_a[i];
        if sa >= pa_end && sa - pa_end <= 1 && sb >= pb_end && sb - pb_end <= 1 {
            chained[i] = true;
            chained[i - 1] = true;
        }
    }
    let (na, nb) = (a.prepared.sentences.len(), b.prepared.sentences.len());
    let (short_n, short_a) = if na <= nb { (na, true) } else { (nb, false) };
    let matched = used(short_n, res, short_a).iter().filter(|&&u| u).count();
    let specifics = |k: &changes::KeyTerms<'_>| -> Vec<String> {
        k.iter()
            .filter(|(_, v)| v.1)
            .map(|(t, _)| t.to_string())
            .collect()
    };
    let (sa, sb) = (specifics(&fa.keys), specifics(&fb.keys));
    let shared = sa.iter().filter(|t| sb.contains(t)).count();
    let union = sa.len() + sb.len() - shared;
    verdict::Measures {
        cov: [fig.cov[copy_side], fig.cov[src_side]],
        scov: [fig.scov[copy_side], fig.scov[src_side]],
        vcov: fig.vcov[0].max(fig.vcov[1]),
        matched_sentences: if short_n == 0 {
            0.0
        } else {
            matched as f64 / short_n as f64
        },
        ordered_matches: if short_n == 0 {
            0.0
        } else {
            (order_consistency(groups) * n as f64).min(short_n as f64) / short_n as f64
        },
        matches: n,
        chained: if n == 0 {
            0.0
        } else {
            chained.iter().filter(|&&c| c).count() as f64 / n as f64
        },
        mean_similarity: if n == 0 {
            0.0
        } else {
            groups.iter().map(|g| g.similarity).sum::<f64>() / n as f64
        },
        verbatim_tokens: reused_verbatim_tokens(a, res),
        key_terms: changes::topical_similarity(&fa.keys, &fb.keys).score,
        specifics: if union == 0 {
            0.0
        } else {
            shared as f64 / union as f64
        },
    }
}

/// True for a sentence that is mostly a direct quotation: independent reports quote the same
/// people word for word, so shared quotations are not evidence of copying.
fn mostly_quotation(text: &str) -> bool {
    let mut inside = false;
    let (mut quoted, mut total) = (0usize, 0usize);
    for c in text.chars() {
        match c {
            '"' => inside = !inside,
            '“' | '«' | '„' => inside = true,
            '”' | '»' => inside = false,
            _ => {
                if c.is_alphanumeric() {
                    total += 1;
                    if inside {
                        quoted += 1;
                    }
                }
            }
        }
    }
    total > 0 && quoted * 2 >= total
}

/// Verbatim / near-verbatim matches, any order, whose A side is not mostly a quotation.
fn verbatim_groups<'r>(
    a: &'r Document<'_>,
    res: &'r AlignResult,
) -> impl Iterator<Item = &'r stemma_align::AlignedGroup> + 'r {
    res.groups.iter().filter(move |g| {
        g.kind != MatchKind::Paraphrase
            && !sentence_span(a.prepared, &g.a, a.text.len())
                .and_then(|s| a.text.get(s.start..s.end))
                .is_some_and(mostly_quotation)
    })
}

/// Tokens (of A) reused verbatim or near-verbatim, in any order, quotations excluded.
fn reused_verbatim_tokens(a: &Document<'_>, res: &AlignResult) -> usize {
    verbatim_groups(a, res)
        .map(|g| group_tokens(a.prepared, &g.a))
        .sum()
}

/// Sentences (of A) reused verbatim or near-verbatim, in any order, quotations excluded.
fn verbatim_sentences(a: &Document<'_>, res: &AlignResult) -> usize {
    verbatim_groups(a, res).map(|g| g.a.len()).sum()
}

/// Share of the names and numbers of aligned sentences that differ between the two sides
/// (0 when fewer than two differ on each side): high for one frame filled with other facts
/// (a wire service's template), low for a copy, which keeps its source's specifics.
fn slot_difference(a: &Document<'_>, b: &Document<'_>, res: &AlignResult) -> f64 {
    // Only matches that keep the frame's wording word for word (a template's fixed text);
    // paraphrases differ everywhere, not only in their slots.
    let mut frame: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = res
        .groups
        .iter()
        .filter(|g| g.token_similarity >= 0.5)
        .map(|g| (g.a.clone(), g.b.clone()))
        .collect();
    if frame.is_empty() || frame.len() * 2 < res.groups.len() {
        return 0.0;
    }
    // A one-sentence frame (a dividend notice: "Qtly div 25 cts vs 25 cts prior Pay April 30
    // Record April 16") is a template only when the headlines, unaligned, name others.
    if frame.len() < 2 {
        if !headlines_name_others(a, b, res) {
            return 0.0;
        }
        frame.push((0..1, 0..1));
    }
    slot_difference_of(a, b, &frame)
}

/// The name-like words of `p`'s headline — its first sentence when more text follows:
/// capitalized words, stop words, months and weekdays aside — distinct and sorted; empty
/// without a headline.
pub(crate) fn headline_names(p: &PreparedText) -> Vec<&str> {
    if p.sentences.len() < 2 {
        return Vec::new();
    }
    let s = &p.sentences[0];
    let mut out: Vec<&str> = p.tokens
        [s.tokens.start.min(p.tokens.len())..s.tokens.end.min(p.tokens.len())]
        .iter()
        .filter(|t| is_name_token(t) && !t.stop && changes::month_or_weekday(&t.norm).is_none())
        .map(|t| t.norm.as_str())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// True when both documents open with a headline (a first sentence no match uses, followed by
/// more text) holding at least two names each, and at most a third of the names of the
/// shorter one appear in the other. With the headline word counts of the corpus
/// ([`Document::headlines`]), the words common across its headlines — a feed's frame, such as
/// `CORP` or `QTLY DIVIDEND` in capitals, where every word is capitalized — are not names, and
/// one name each is enough: what is left are the rare words that say whom the item is about.
fn headlines_name_others(a: &Document<'_>, b: &Document<'_>, res: &AlignResult) -> bool {
    let table = a.headlines.or(b.headlines);
    let names = |d: &Document<'_>| -> Vec<String> {
        headline_names(d.prepared)
            .into_iter()
            .filter(|w| !table.is_some_and(|t| t.is_common(w)))
            .map(str::to_string)
            .collect()
    };
    if a.prepared.sentences.len() < 2 || b.prepared.sentences.len() < 2 {
        return false;
    }
    if res.groups.iter().any(|g| g.a.start == 0 || g.b.start == 0) {
        return false;
    }
    let (na, nb) = (names(a), names(b));
    let least = if table.is_some() { 1 } else { 2 };
    if na.len() < least || nb.len() < least {
        return false;
    }
    let shared = na.iter().filter(|t| nb.binary_search(t).is_ok()).count();
    shared * 3 <= na.len().min(nb.len())
}

/// The names and numbers of the sentences `r` of `d` (a sentence's first word is not taken
/// for a name), distinct and sorted: the slots a template fills.
fn frame_slots<'t>(d: &Document<'t>, r: &std::ops::Range<usize>) -> Vec<&'t str> {
    let p: &'t PreparedText = d.prepared;
    let mut out = Vec::new();
    for s in p
        .sentences
        .get(r.start..r.end.min(p.sentences.len()))
        .unwrap_or(&[])
    {
        let t = s.tokens.start.min(p.tokens.len())..s.tokens.end.min(p.tokens.len());
        for (k, t) in p.tokens[t].iter().enumerate() {
            if t.kind == TokenKind::Number || (k > 0 && is_name_token(t) && !t.stop) {
                out.push(t.norm.as_str());
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Share of the names and numbers of the sentence ranges `groups` (A side, B side) found on
/// one side only.
fn slot_difference_of(
    a: &Document<'_>,
    b: &Document<'_>,
    groups: &[(std::ops::Range<usize>, std::ops::Range<usize>)],
) -> f64 {
    let (mut only_a, mut only_b, mut total) = (0usize, 0usize, 0usize);
    for (ga, gb) in groups {
        let (sa, sb) = (frame_slots(a, ga), frame_slots(b, gb));
        let shared = sa.iter().filter(|t| sb.binary_search(t).is_ok()).count();
        only_a += sa.len() - shared;
        only_b += sb.len() - shared;
        total += sa.len() + sb.len() - shared;
    }
    if only_a < 2 || only_b < 2 || total == 0 {
        return 0.0;
    }
    (only_a + only_b) as f64 / total as f64
}

/// [`wording::wording_similarity`] of the aligned text: A's aligned sentences in A order
/// against B's in B order.
pub(crate) fn aligned_wording(a: &Document<'_>, b: &Document<'_>, res: &AlignResult) -> f64 {
    fn pieces<'t>(d: &Document<'t>, mut ranges: Vec<std::ops::Range<usize>>) -> Vec<&'t str> {
        ranges.sort_by_key(|r| r.start);
        ranges
            .iter()
            .filter_map(|r| sentence_span(d.prepared, r, d.text.len()))
            .filter_map(|s| d.text.get(s.start..s.end))
            .collect()
    }
    let pa = pieces(a, res.passages.iter().map(|p| p.a.clone()).collect());
    let pb = pieces(b, res.passages.iter().map(|p| p.b.clone()).collect());
    wording::wording_similarity(&pa, &pb)
}

/// Merges sentence-range matches (in order of B) into maximal regions: a match joins the
/// current region when it starts at or after the region's end on both sides, with at most
/// `max_gap` sentences in between on each side.
fn merge_regions(
    matches: impl Iterator<Item = (std::ops::Range<usize>, std::ops::Range<usize>)>,
    max_gap: usize,
) -> Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    let mut out: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = Vec::new();
    for (ra, rb) in matches {
        if let Some((ca, cb)) = out.last_mut()
            && ra.start >= ca.end
            && rb.start >= cb.end
            && ra.start - ca.end <= max_gap
            && rb.start - cb.end <= max_gap
        {
            ca.end = ca.end.max(ra.end);
            cb.end = cb.end.max(rb.end);
            continue;
        }
        out.push((ra, rb));
    }
    out
}

/// True when both texts have the same non-empty sequence of normalized tokens.
fn is_duplicate(a: &PreparedText, b: &PreparedText) -> bool {
    !a.tokens.is_empty()
        && a.tokens.len() == b.tokens.len()
        && a.tokens
            .iter()
            .zip(&b.tokens)
            .all(|(x, y)| x.norm == y.norm)
}

pub(crate) fn group_tokens(p: &PreparedText, r: &std::ops::Range<usize>) -> usize {
    p.sentences
        .get(r.start..r.end.min(p.sentences.len()))
        .map_or(0, |s| s.iter().map(|s| s.tokens.len()).sum())
}

/// The byte span from the start of sentence `r.start` to the end of sentence `r.end - 1`.
pub(crate) fn sentence_span(
    p: &PreparedText,
    r: &std::ops::Range<usize>,
    len: usize,
) -> Option<Span> {
    let first = p.sentences.get(r.start)?;
    let last = p.sentences.get(r.end.checked_sub(1)?)?;
    let (s, e) = (first.span.start.min(len), last.span.end.min(len));
    (s <= e).then(|| Span::new(s, e))
}

fn sentence_bytes(p: &PreparedText, i: usize, len: usize) -> usize {
    p.sentences
        .get(i)
        .map_or(0, |s| s.span.end.min(len).saturating_sub(s.span.start))
}

/// Which sentences of one side take part in an alignment (`side_a`: A's, else B's).
pub(crate) fn used(n: usize, res: &AlignResult, side_a: bool) -> Vec<bool> {
    let mut v = vec![false; n];
    for g in &res.groups {
        let r = if side_a { &g.a } else { &g.b };
        for i in r.clone() {
            if i < n {
                v[i] = true;
            }
        }
    }
    v
}

/// Coverage figures of `res`; sentences marked in `skip` (per side) count neither as text nor
/// as covered.
fn figures(
    a: &Document<'_>,
    b: &Document<'_>,
    res: &AlignResult,
    strong: f64,
    skip: Option<&[Vec<bool>; 2]>,
) -> Figures {
    let mut f = Figures::default();
    for (side, d) in [a, b].iter().enumerate() {
        let p = d.prepared;
        let n = p.sentences.len();
        let kept = |i: &usize| !skip.is_some_and(|s| s[side].get(*i).copied().unwrap_or(false));
        let total: usize = (0..n)
            .filter(kept)
            .map(|i| sentence_bytes(p, i, d.text.len()))
            .sum();
        f.bytes[side] = total;
        let mut any = vec![false; n];
        let mut verb = vec![false; n];
        let mut conf = vec![false; n];
        for g in &res.groups {
            let r = if side == 0 { &g.a } else { &g.b };
            let v = g.kind != MatchKind::Paraphrase;
            let c = v || g.similarity >= strong;
            for i in r.clone().filter(|&i| i < n) {
                any[i] = true;
                verb[i] |= v;
                conf[i] |= c;
            }
        }
        let frac = |mask: &[bool]| {
            if total == 0 {
                return 0.0;
            }
            let covered: usize = (0..n)
                .filter(|&i| mask[i] && kept(&i))
                .map(|i| sentence_bytes(p, i, d.text.len()))
                .sum();
            (covered as f64 / total as f64).clamp(0.0, 1.0)
        };
        f.cov[side] = frac(&any);
        f.vcov[side] = frac(&verb);
        f.scov[side] = frac(&conf);
    }
    f.strong_matches = res
        .groups
        .iter()
        .filter(|g| g.kind != MatchKind::Paraphrase || g.similarity >= strong)
        .count();
    f
}

/// Runs of consecutive sentences not used by any alignment, as byte spans.
fn unaligned_runs(d: &Document<'_>, used: &[bool]) -> Vec<Span> {
    let p = d.prepared;
    let mut out: Vec<Span> = Vec::new();
    let mut i = 0;
    while i < used.len() {
        if used[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < used.len() && !used[i] {
            i += 1;
        }
        if let Some(s) = sentence_span(p, &(start..i), d.text.len())
            && !s.is_empty()
        {
            out.push(s);
        }
    }
    out
}

/// True for a token that looks like a name: capitalized word, not a number.
pub(crate) fn is_name_token(t: &stemma_text::Token) -> bool {
    t.capitalized && t.kind == TokenKind::Word && t.norm.chars().any(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_merge_across_small_gaps_in_order_only() {
        let m = vec![
            (0..1, 0..1),
            (1..3, 1..2), // adjacent on both sides
            (4..5, 3..4), // one unaligned sentence in A, none in B: same region
            (7..8, 4..5), // two unaligned in A: new region
            (2..3, 5..6), // goes back in A: new region
        ];
        let r = merge_regions(m.into_iter(), 1);
        assert_eq!(r, vec![(0..5, 0..4), (7..8, 4..5), (2..3, 5..6)]);
        let r0 = merge_regions(vec![(0..1, 0..1), (2..3, 1..2)].into_iter(), 0);
        assert_eq!(r0.len(), 2);
    }

    #[test]
    fn features_made_once_give_the_same_comparisons() {
        let texts = [
            "The council met on Monday. It approved the new bridge over the river. \
             The bridge will cost 12 million euros. Work starts in May.",
            "On Monday the council met and approved a new bridge across the river. \
             It will cost 12 million euros, and work begins in May.",
            "Local farmers expect a good harvest this year. Rain came early in April.",
        ];
        let prepared: Vec<_> = texts.iter().map(|t| stemma_text::prepare(t)).collect();
        let docs: Vec<Document<'_>> = texts
            .iter()
            .zip(&prepared)
            .map(|(t, p)| Document::new(t, p))
            .collect();
        let c = Comparer::default();
        let feats: Vec<_> = docs.iter().map(|d| c.document_features(d)).collect();
        for i in 0..docs.len() {
            for j in 0..docs.len() {
                let plain = c.compare(&docs[i], &docs[j]);
                let cached = c.compare_features(&docs[i], &feats[i], &docs[j], &feats[j]);
                assert_eq!(plain, cached, "{i} {j}");
            }
        }
        assert!(c.compare(&docs[0], &docs[1]).relation.is_derivation());
    }

    #[test]
    fn every_alignment_lies_in_one_passage() {
        let a = "The council met on Monday. It approved the new bridge over the river. \
                 The bridge will cost 12 million euros. Work starts in May. \
                 Residents welcomed the plan. A vote on parking follows next week.";
        let b = "The council met on Monday. It approved the new bridge over the river. \
                 The bridge will cost 12 million euros. Work begins in May, officials said. \
                 Residents welcomed the plan. A vote on parking follows next week.";
        let (pa, pb) = (stemma_text::prepare(a), stemma_text::prepare(b));
        let c = Comparer::default().compare(&Document::new(a, &pa), &Document::new(b, &pb));
        assert!(c.relation.is_derivation(), "{:?}", c.relation);
        assert!(!c.passages.is_empty() && c.passages.len() <= c.alignments.len());
        for al in &c.alignments {
            let n = c
                .passages
                .iter()
                .filter(|p| p.a.contains(al.a) && p.b.contains(al.b))
                .count();
            assert_eq!(n, 1, "{al:?} in {:?}", c.passages);
        }
    }
}
