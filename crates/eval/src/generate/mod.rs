//! The rewrite benchmark generator: labelled corpora of any size built from real articles.
//!
//! See `docs/eval-format.md` for the output files and the limits of synthetic rewrites.
//! Output is streamed (memory does not grow with `docs`, beyond one 8-byte hash per document)
//! and deterministic for a given seed and input.

pub mod heavy;
pub mod source;
pub mod transform;
pub mod wordnet;

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use xxhash_rust::xxh3::xxh3_64;

use crate::EvalError;
use crate::date::format_rfc3339;
use crate::format::{CorpusDoc, TruthFamily, TruthPair};
use crate::rng::{Rng, mix64};
pub use heavy::Style;
use source::{Article, SourceFilter, SourceStats};
use transform::{Doc, Rendered};
use wordnet::Synonyms;

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenerateConfig {
    /// JSONL files of real articles (`id`, `text`, optional `date`, `topics`, `places`, `category`).
    pub inputs: Vec<PathBuf>,
    /// Output folder (created); receives `corpus.jsonl`, `truth.jsonl`, `families.jsonl`, `manifest.json`.
    pub out: PathBuf,
    /// Number of documents to write.
    pub docs: usize,
    /// Seed of every random choice.
    pub seed: u64,
    /// WordNet folder (see [`wordnet::DEFAULT_WORDNET_DIR`]).
    pub wordnet: PathBuf,
    /// Which input articles are usable.
    pub filter: SourceFilter,
    /// Which copies to make ([`Style::Default`] keeps the gated corpus byte-identical).
    pub style: Style,
}

/// What a generation run produced.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GenerateSummary {
    /// Documents written.
    pub docs: usize,
    /// Labelled pairs written.
    pub pairs: usize,
    /// Families written.
    pub families: usize,
    /// Real articles usable after filtering and de-duplication.
    pub articles: usize,
    /// Input lines read.
    pub input_lines: usize,
    /// Input lines that were malformed.
    pub input_malformed: usize,
    /// Input articles filtered out (too short, too long, tables).
    pub input_filtered: usize,
    /// Input articles dropped as repeats of earlier ones.
    pub input_duplicates: usize,
    /// Same-story links found between real articles.
    pub story_links: usize,
    /// Documents by role (`source`, `duplicate`, `near-duplicate`, `rewrite`, `partial`, `same-story`).
    pub by_role: BTreeMap<String, usize>,
    /// Labelled pairs by obfuscation.
    pub by_obfuscation: BTreeMap<String, usize>,
    /// Candidate documents dropped because their text equalled an earlier document's.
    pub collisions: usize,
}

/// Rewrite recipes: the obfuscation names written to `truth.jsonl`.
pub const REWRITE_MENU: &[&str] = &[
    "synonym-0.1",
    "synonym-0.2",
    "synonym-0.3",
    "synonym-0.5",
    "synonym-0.2+reorder",
    "synonym-0.2+split-merge",
    "synonym-0.2+delete-0.3",
    "synonym-0.2+insert-0.3",
    "synonym-0.2+names-numbers",
    "synonym-0.3+reorder+split-merge",
    "synonym-0.5+split-merge+names-numbers+delete-0.2+insert-0.2+reorder",
];

const NEAR_MENU: &[&str] = &[
    "boilerplate-add",
    "boilerplate-remove",
    "typos",
    "number-edit",
    "drop-sentence",
];

struct Ctx<'a> {
    articles: &'a [Article],
    syn: &'a Synonyms,
    seed: u64,
    /// All articles in shuffled order: sources are taken from the front, hosts and donors of
    /// inserted sentences from the back, so both stay fresh until the corpus needs reuse.
    order: Vec<usize>,
    donor_next: usize,
    partners: Vec<Vec<usize>>,
    story: Vec<usize>,
    uses: Vec<u32>,
    style: Style,
}

/// A generated document before writing.
struct GenDoc {
    text: String,
    date: i64,
    outlet: String,
    origins: Vec<String>,
    story: String,
}

struct Variant {
    doc: Doc,
    date: i64,
    outlet: String,
    base: usize,
    /// Names of the article and what they became (themselves when kept).
    names: Vec<(String, String)>,
}

impl Ctx<'_> {
    /// The article `i` as a document: as is on its first use, retold on later ones (every
    /// name invented, every number changed, see [`transform::retell`]). A same-story partner
    /// passes its story source's `names` so that it stays about the same people: the names it
    /// shares with the source follow the source's retelling, even on its own first use.
    fn variant(&mut self, i: usize, story: Option<&[(String, String)]>) -> Variant {
        let a = &self.articles[i];
        let u = self.uses[i];
        self.uses[i] += 1;
        let h = xxh3_64(a.id.as_bytes());
        let base_date = a.date.unwrap_or_else(|| {
            // 2004-06-01 plus a stable offset: the BBC set has no dates.
            12_570 * 86_400 + (h % 300) as i64 * 86_400 + (h >> 20) as i64 % 86_400
        });
        let mut doc = Doc::source(&a.paras);
        let mut names: Vec<(String, String)> = story.map(<[_]>::to_vec).unwrap_or_default();
        let mut rng = Rng::derive(self.seed ^ h, u as u64);
        let (date, outlet) = if u == 0 {
            // Unchanged, or only its story's names when the story was retold.
            transform::retell(&mut doc, &mut names, false, 0.0, &mut rng);
            (
                base_date,
                a.outlet.clone().unwrap_or_else(|| "unknown".into()),
            )
        } else {
            let p_num = if story.is_some() { 0.3 } else { 1.0 };
            transform::retell(&mut doc, &mut names, true, p_num, &mut rng);
            transform::synonyms(&mut doc, 0.08, self.syn, &mut rng);
            if rng.chance(0.5) {
                transform::drop_sentence(&mut doc, &mut rng);
            }
            (
                base_date + u as i64 * 41 * 86_400,
                format!("outlet-{:02}", 1 + rng.below(40)),
            )
        };
        Variant {
            doc: doc.as_source(),
            date,
            outlet,
            base: i,
            names,
        }
    }

    fn next_donor(&mut self) -> usize {
        self.donor_next += 1;
        self.order[self.order.len() - 1 - (self.donor_next - 1) % self.order.len()]
    }

    fn story_id(&self, i: usize) -> String {
        self.articles[self.story[i]].id.clone()
    }
}

/// A labelled pair inside a unit (indices into the unit's document list).
struct UnitPair {
    a: usize,
    b: usize,
    relation: &'static str,
    obfuscation: String,
    derived: bool,
    passages: Vec<crate::format::Passage>,
}

#[derive(Default)]
struct Unit {
    docs: Vec<GenDoc>,
    roles: Vec<&'static str>,
    family: Vec<Vec<usize>>,
    pairs: Vec<UnitPair>,
}

/// Generates a benchmark corpus; see the module documentation.
pub fn generate(cfg: &GenerateConfig) -> Result<GenerateSummary, EvalError> {
    if cfg.inputs.is_empty() {
        return Err(EvalError::Input("no input article files given".into()));
    }
    let syn = Synonyms::load(&cfg.wordnet)?;
    let (articles, stats) = source::load_articles(&cfg.inputs, &cfg.filter)?;
    generate_from(cfg, &articles, &stats, &syn)
}

/// Like [`generate`], with articles and synonyms already loaded.
pub fn generate_from(
    cfg: &GenerateConfig,
    articles: &[Article],
    stats: &SourceStats,
    syn: &Synonyms,
) -> Result<GenerateSummary, EvalError> {
    if articles.len() < 3 {
        return Err(EvalError::Input(format!(
            "only {} usable article(s) in the inputs (need at least 3 with {} sentences and {} characters or more)",
            articles.len(),
            cfg.filter.min_sentences,
            cfg.filter.min_chars
        )));
    }
    std::fs::create_dir_all(&cfg.out).map_err(|e| EvalError::io(&cfg.out, e))?;
    let mut order: Vec<usize> = (0..articles.len()).collect();
    Rng::derive(cfg.seed, 1).shuffle(&mut order);
    let links = source::same_story_links(articles, 20);
    let mut partners = vec![Vec::new(); articles.len()];
    let mut parent: Vec<usize> = (0..articles.len()).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        let mut y = x;
        while p[y] != r {
            let n = p[y];
            p[y] = r;
            y = n;
        }
        r
    }
    for &(i, j) in &links {
        partners[i].push(j);
        partners[j].push(i);
        let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
        let (lo, hi) = (ri.min(rj), ri.max(rj));
        parent[hi] = lo;
    }
    let story: Vec<usize> = (0..articles.len()).map(|i| find(&mut parent, i)).collect();
    let mut ctx = Ctx {
        articles,
        syn,
        seed: cfg.seed,
        order: order.clone(),
        donor_next: 0,
        partners,
        story,
        uses: vec![0; articles.len()],
        style: cfg.style,
    };

    let mut out = Writers::create(&cfg.out, cfg.seed)?;
    let mut summary = GenerateSummary {
        articles: articles.len(),
        input_lines: stats.lines,
        input_malformed: stats.malformed,
        input_filtered: stats.filtered,
        input_duplicates: stats.duplicates,
        story_links: links.len(),
        ..Default::default()
    };
    let mut seen: HashSet<u64> = HashSet::new();
    let mut main = Rng::derive(cfg.seed, 2);
    let mut unit_no = 0u64;
    let mut next = 0usize;
    let mut failures = 0usize;
    while summary.docs < cfg.docs {
        let i = order[next % order.len()];
        next += 1;
        unit_no += 1;
        let unit = build_unit(
            &mut ctx,
            i,
            &mut main,
            unit_no,
            &mut seen,
            &mut summary.collisions,
        );
        let Some(unit) = unit else {
            failures += 1;
            if failures > 10_000 {
                return Err(EvalError::Input(format!(
                    "could not make new distinct documents after {} tries: the {} usable articles are too few for {} documents",
                    failures,
                    articles.len(),
                    cfg.docs
                )));
            }
            continue;
        };
        failures = 0;
        out.write_unit(unit, unit_no, cfg.docs - summary.docs, &mut summary)?;
    }
    out.finish()?;
    let mut manifest = serde_json::json!({
        "generator": "stemma generate",
        "version": env!("CARGO_PKG_VERSION"),
        "seed": cfg.seed,
        "docs": cfg.docs,
        "inputs": cfg.inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "offsets": "characters (Unicode scalar values), half-open [start, end)",
        "summary": &summary,
    });
    if cfg.style != Style::Default {
        manifest["style"] = cfg.style.name().into();
    }
    let mpath = cfg.out.join("manifest.json");
    std::fs::write(
        &mpath,
        serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n",
    )
    .map_err(|e| EvalError::io(&mpath, e))?;
    Ok(summary)
}

fn delay(rng: &mut Rng) -> i64 {
    3_600 + rng.below(10 * 86_400) as i64
}

fn gen_doc(r: &Rendered, date: i64, outlet: String, origins: Vec<String>, story: String) -> GenDoc {
    GenDoc {
        text: r.text.clone(),
        date,
        outlet,
        origins,
        story,
    }
}

fn build_unit(
    ctx: &mut Ctx<'_>,
    i: usize,
    main: &mut Rng,
    unit_no: u64,
    seen: &mut HashSet<u64>,
    collisions: &mut usize,
) -> Option<Unit> {
    let mut v = ctx.variant(i, None);
    let mut rng = Rng::derive(ctx.seed ^ 0x5eed, unit_no);
    let has_bp = rng.chance(0.2);
    if has_bp {
        transform::add_boilerplate(&mut v.doc, &mut rng);
        v.doc = v.doc.as_source();
    }
    let src_r = v.doc.render();
    if !seen.insert(xxh3_64(src_r.text.as_bytes())) {
        *collisions += 1;
        return None;
    }
    let base_id = ctx.articles[v.base].id.clone();
    let story_id = ctx.story_id(i);
    let mut unit = Unit::default();
    unit.docs.push(gen_doc(
        &src_r,
        v.date,
        v.outlet.clone(),
        vec![base_id.clone()],
        story_id.clone(),
    ));
    unit.roles.push("source");
    unit.family.push(vec![0]);

    let r = main.f64();
    let kind = if r < 0.15 {
        "solo"
    } else if r < 0.45 && !ctx.partners[i].is_empty() {
        "story"
    } else {
        "family"
    };
    let copies = match kind {
        "solo" => 0,
        "story" => main.below(2),
        _ => [1, 1, 2, 2, 3][main.below(5)],
    };
    for _ in 0..copies {
        let c = make_copy(ctx, &v, &src_r, has_bp, &mut rng, seen, collisions);
        let Some((doc_r, role, relation, obf, mut origins)) = c else {
            continue;
        };
        origins.insert(0, base_id.clone());
        let passages = transform::passages(&src_r, &doc_r);
        // Near-duplicate vs rewrite is measured on the generated text, by the rule compare
        // uses (docs/json.md), not taken from the recipe.
        let (role, relation) = match relation {
            "near-duplicate" | "rewrite" => {
                let r = measured_relation(&src_r, &doc_r, &passages);
                (r, r)
            }
            _ => (role, relation),
        };
        let date = v.date + delay(&mut rng);
        let outlet = format!("outlet-{:02}", 1 + rng.below(40));
        unit.docs
            .push(gen_doc(&doc_r, date, outlet, origins, story_id.clone()));
        unit.roles.push(role);
        let k = unit.docs.len() - 1;
        unit.family[0].push(k);
        unit.pairs.push(UnitPair {
            a: 0,
            b: k,
            relation,
            obfuscation: obf,
            derived: true,
            passages,
        });
    }
    if kind == "story" {
        let j = *main.pick(&ctx.partners[i])?;
        let pv = ctx.variant(j, Some(&v.names));
        let pr = pv.doc.render();
        if seen.insert(xxh3_64(pr.text.as_bytes())) {
            let pid = ctx.articles[j].id.clone();
            unit.docs.push(gen_doc(
                &pr,
                pv.date,
                pv.outlet.clone(),
                vec![pid],
                ctx.story_id(j),
            ));
            unit.roles.push("same-story");
            let k = unit.docs.len() - 1;
            unit.family.push(vec![k]);
            for m in 0..k {
                unit.pairs.push(UnitPair {
                    a: m,
                    b: k,
                    relation: "same-story",
                    obfuscation: "none".into(),
                    derived: false,
                    passages: vec![],
                });
            }
        } else {
            *collisions += 1;
        }
    }
    Some(unit)
}

/// `near-duplicate` when the copy keeps the source's wording, else `rewrite` — the rule of
/// `stemma_compare` (see `stemma_compare::wording`): the copy's sentences that come from the
/// source cover at least `near_duplicate_copy` of its sentence text, the source sentences they
/// come from at least `near_duplicate_source` of the source's, and the reused text (each side
/// in its own order) has [`stemma_compare::wording::wording_similarity`] at least
/// `near_duplicate_wording`.
fn measured_relation(
    src: &transform::Rendered,
    copy: &transform::Rendered,
    passages: &[crate::format::Passage],
) -> &'static str {
    let opt = stemma_compare::CompareOptions::default();
    let byte_at = |text: &str| -> Vec<usize> {
        let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        v.push(text.len());
        v
    };
    let (bs, bc) = (byte_at(&src.text), byte_at(&copy.text));
    let slice = |text: &'_ str, map: &[usize], r: [usize; 2]| -> Option<(usize, usize)> {
        let (s, e) = (*map.get(r[0])?, *map.get(r[1])?);
        (s <= e && e <= text.len()).then_some((s, e))
    };
    let len = |r: [usize; 2]| r[1].saturating_sub(r[0]);
    let copy_total: usize = copy.sents.iter().map(|s| len(s.1)).sum();
    let copy_reused: usize = copy
        .sents
        .iter()
        .filter(|s| s.0.is_some())
        .map(|s| len(s.1))
        .sum();
    let mut src_used = vec![false; src.sents.len()];
    for (o, _) in &copy.sents {
        if let Some((lo, hi)) = o {
            for u in src_used.iter_mut().take(hi + 1).skip(*lo) {
                *u = true;
            }
        }
    }
    let src_total: usize = src.sents.iter().map(|s| len(s.1)).sum();
    let src_reused: usize = src
        .sents
        .iter()
        .zip(&src_used)
        .filter(|(_, u)| **u)
        .map(|(s, _)| len(s.1))
        .sum();
    let frac = |x: usize, t: usize| if t == 0 { 0.0 } else { x as f64 / t as f64 };
    // Symmetric, like compare (which decides the relation before the direction): the more
    // covered side must reach `near_duplicate_copy`, the other `near_duplicate_source`.
    let (c, s) = (frac(copy_reused, copy_total), frac(src_reused, src_total));
    if c.max(s) < opt.near_duplicate_copy || c.min(s) < opt.near_duplicate_source {
        return "rewrite";
    }
    let mut a_ranges: Vec<[usize; 2]> = passages.iter().map(|p| p.a).collect();
    a_ranges.sort_unstable();
    let pa: Vec<&str> = a_ranges
        .iter()
        .filter_map(|&r| slice(&src.text, &bs, r))
        .map(|(s, e)| &src.text[s..e])
        .collect();
    let pb: Vec<&str> = passages
        .iter()
        .filter_map(|p| slice(&copy.text, &bc, p.b))
        .map(|(s, e)| &copy.text[s..e])
        .collect();
    if stemma_compare::wording::wording_similarity(&pa, &pb) >= opt.near_duplicate_wording {
        "near-duplicate"
    } else {
        "rewrite"
    }
}

type Copy = (Rendered, &'static str, &'static str, String, Vec<String>);

fn make_copy(
    ctx: &mut Ctx<'_>,
    v: &Variant,
    src_r: &Rendered,
    has_bp: bool,
    rng: &mut Rng,
    seen: &mut HashSet<u64>,
    collisions: &mut usize,
) -> Option<Copy> {
    let r = rng.f64();
    if r < 0.1 {
        // Exact copy: equal to its source by design, so not checked for distinctness.
        return Some((
            src_r.clone(),
            "duplicate",
            "duplicate",
            "none".into(),
            vec![],
        ));
    }
    let heavy = ctx.style == Style::Heavy;
    let near_below = if heavy { 0.25 } else { 0.35 };
    for _attempt in 0..4 {
        let mut doc = v.doc.clone();
        let mut origins = Vec::new();
        let (role, relation, obf) = if r < near_below {
            let k = 1 + rng.below(2);
            let mut ops: Vec<&str> = Vec::new();
            while ops.len() < k {
                let op = NEAR_MENU[rng.below(NEAR_MENU.len())];
                let op = if op == "boilerplate-remove" && !has_bp {
                    "boilerplate-add"
                } else {
                    op
                };
                if !ops.contains(&op) {
                    ops.push(op);
                }
            }
            ops.sort_by_key(|o| NEAR_MENU.iter().position(|x| x == o));
            for op in &ops {
                match *op {
                    "boilerplate-add" => transform::add_boilerplate(&mut doc, rng),
                    "boilerplate-remove" => {
                        transform::remove_boilerplate(&mut doc);
                    }
                    "typos" => {
                        transform::typos(&mut doc, 1 + rng.below(3), rng);
                    }
                    "number-edit" => {
                        let mut left = 2;
                        for s in doc.paras.iter_mut().flatten() {
                            let (t, k) = transform::change_numbers(&s.text, 0.5, rng);
                            if k > 0 && left > 0 {
                                s.text = t;
                                left -= 1;
                            }
                        }
                    }
                    _ => {
                        transform::drop_sentence(&mut doc, rng);
                    }
                }
            }
            ("near-duplicate", "near-duplicate", ops.join("+"))
        } else if heavy && r < 0.6 {
            heavy::spin(&mut doc, ctx.syn, rng);
            ("rewrite", "rewrite", "heavy-spin".to_string())
        } else if heavy {
            let d = ctx.next_donor();
            if d == v.base {
                continue;
            }
            let host = ctx.variant(d, None);
            let mut hdoc = Doc::foreign(&host.doc.texts());
            origins.push(ctx.articles[d].id.clone());
            let contiguous = rng.chance(0.5);
            let mut part = Doc {
                paras: vec![heavy::excerpt(&v.doc, contiguous, rng)],
            };
            let mut obf = String::from(if contiguous {
                "heavy-partial-contiguous"
            } else {
                "heavy-partial-scattered"
            });
            if rng.chance(0.5) {
                transform::synonyms(&mut part, 0.15, ctx.syn, rng);
                obf.push_str("+synonym-0.15");
            }
            // A contiguous excerpt usually stays one block; scattered sentences are spread
            // through the host.
            let block = contiguous && rng.chance(0.7);
            heavy::embed(&mut hdoc, part.paras.remove(0), block, rng);
            doc = hdoc;
            ("partial", "partial", obf)
        } else if r < 0.8 {
            let recipe = REWRITE_MENU[rng.below(REWRITE_MENU.len())];
            for op in recipe.split('+') {
                let (name, p) = match op.rsplit_once('-') {
                    Some((n, p)) if p.parse::<f64>().is_ok() => {
                        (n, p.parse::<f64>().unwrap_or(0.0))
                    }
                    _ => (op, 0.0),
                };
                match name {
                    "synonym" => {
                        transform::synonyms(&mut doc, p, ctx.syn, rng);
                    }
                    "split-merge" => {
                        transform::split_merge(&mut doc, ctx.syn, rng);
                    }
                    "names-numbers" => {
                        transform::names_numbers(&mut doc, 0.5, rng);
                    }
                    "delete" => {
                        transform::delete(&mut doc, p, rng);
                    }
                    "insert" => {
                        let d = ctx.next_donor();
                        if d != v.base {
                            transform::insert(&mut doc, p, &ctx.articles[d].paras, rng);
                            origins.push(ctx.articles[d].id.clone());
                        }
                    }
                    _ => {
                        transform::reorder(&mut doc, rng);
                    }
                }
            }
            ("rewrite", "rewrite", recipe.to_string())
        } else {
            let d = ctx.next_donor();
            if d == v.base {
                continue;
            }
            let host = ctx.variant(d, None);
            let mut hdoc = Doc::foreign(&host.doc.texts());
            origins.push(ctx.articles[d].id.clone());
            let src: Vec<_> = v.doc.paras.iter().flatten().cloned().collect();
            let len = (src.len() / 3).clamp(2, 5).min(src.len());
            let start = rng.below(src.len() - len + 1);
            let mut passage = Doc {
                paras: vec![src[start..start + len].to_vec()],
            };
            let obf = if rng.chance(0.5) {
                transform::synonyms(&mut passage, 0.15, ctx.syn, rng);
                "partial+synonym-0.15"
            } else {
                "partial"
            };
            let at = rng.below(hdoc.paras.len() + 1);
            hdoc.paras.insert(at, passage.paras.remove(0));
            doc = hdoc;
            ("partial", "partial", obf.to_string())
        };
        if doc.derived() < 2 {
            continue;
        }
        let rendered = doc.render();
        if rendered.text == src_r.text {
            continue;
        }
        if !seen.insert(xxh3_64(rendered.text.as_bytes())) {
            *collisions += 1;
            continue;
        }
        return Some((rendered, role, relation, obf, origins));
    }
    None
}

/// Streaming writers for the three output files.
struct Writers {
    corpus: std::io::BufWriter<std::fs::File>,
    truth: std::io::BufWriter<std::fs::File>,
    families: std::io::BufWriter<std::fs::File>,
    paths: [PathBuf; 3],
    buffer: Vec<CorpusDoc>,
    shuffle: Rng,
    id_key: u64,
    counter: u64,
}

const SHUFFLE_WINDOW: usize = 4096;

impl Writers {
    fn create(dir: &Path, seed: u64) -> Result<Self, EvalError> {
        let open = |name: &str| -> Result<(std::io::BufWriter<std::fs::File>, PathBuf), EvalError> {
            let p = dir.join(name);
            let f = std::fs::File::create(&p).map_err(|e| EvalError::io(&p, e))?;
            Ok((std::io::BufWriter::with_capacity(1 << 20, f), p))
        };
        let (corpus, p1) = open("corpus.jsonl")?;
        let (truth, p2) = open("truth.jsonl")?;
        let (families, p3) = open("families.jsonl")?;
        Ok(Writers {
            corpus,
            truth,
            families,
            paths: [p1, p2, p3],
            buffer: Vec::with_capacity(SHUFFLE_WINDOW),
            shuffle: Rng::derive(seed, 3),
            id_key: mix64(seed ^ 0xd0c5),
            counter: 0,
        })
    }

    fn next_id(&mut self) -> String {
        self.counter += 1;
        format!("d{:016x}", mix64(self.counter ^ self.id_key))
    }

    fn write_unit(
        &mut self,
        unit: Unit,
        unit_no: u64,
        budget: usize,
        s: &mut GenerateSummary,
    ) -> Result<(), EvalError> {
        let keep = unit.docs.len().min(budget);
        let ids: Vec<String> = (0..keep).map(|_| self.next_id()).collect();
        for (k, p) in unit.pairs.iter().enumerate() {
            if p.a >= keep || p.b >= keep {
                continue;
            }
            let _ = k;
            let (a, b, passages) = if !p.derived && unit.docs[p.b].date < unit.docs[p.a].date {
                (p.b, p.a, vec![])
            } else {
                (p.a, p.b, p.passages.clone())
            };
            let t = TruthPair {
                a_id: ids[a].clone(),
                b_id: ids[b].clone(),
                relation: p.relation.to_string(),
                obfuscation: Some(p.obfuscation.clone()),
                source_id: p.derived.then(|| ids[a].clone()),
                passages,
            };
            *s.by_obfuscation.entry(p.obfuscation.clone()).or_default() += 1;
            s.pairs += 1;
            let line = serde_json::to_string(&t).map_err(|e| EvalError::Input(e.to_string()))?;
            writeln!(self.truth, "{line}").map_err(|e| EvalError::io(&self.paths[1], e))?;
        }
        for (f, members) in unit.family.iter().enumerate() {
            let members: Vec<String> = members
                .iter()
                .filter(|m| **m < keep)
                .map(|m| ids[*m].clone())
                .collect();
            if members.is_empty() {
                continue;
            }
            let fam = TruthFamily {
                family: format!("f{unit_no:07}-{f}"),
                members,
            };
            let line = serde_json::to_string(&fam).map_err(|e| EvalError::Input(e.to_string()))?;
            writeln!(self.families, "{line}").map_err(|e| EvalError::io(&self.paths[2], e))?;
            s.families += 1;
        }
        for (k, d) in unit.docs.into_iter().enumerate().take(keep) {
            *s.by_role.entry(unit.roles[k].to_string()).or_default() += 1;
            s.docs += 1;
            let mut origins = d.origins;
            origins.dedup();
            self.buffer.push(CorpusDoc {
                id: ids[k].clone(),
                text: d.text,
                date: format_rfc3339(d.date),
                source: d.outlet,
                origins,
                story: Some(d.story),
            });
        }
        if self.buffer.len() >= SHUFFLE_WINDOW {
            self.flush_corpus()?;
        }
        Ok(())
    }

    fn flush_corpus(&mut self) -> Result<(), EvalError> {
        let mut buf = std::mem::take(&mut self.buffer);
        self.shuffle.shuffle(&mut buf);
        for d in buf.drain(..) {
            let line = serde_json::to_string(&d).map_err(|e| EvalError::Input(e.to_string()))?;
            writeln!(self.corpus, "{line}").map_err(|e| EvalError::io(&self.paths[0], e))?;
        }
        self.buffer = buf;
        Ok(())
    }

    fn finish(mut self) -> Result<(), EvalError> {
        self.flush_corpus()?;
        for (w, p) in [
            (&mut self.corpus, &self.paths[0]),
            (&mut self.truth, &self.paths[1]),
            (&mut self.families, &self.paths[2]),
        ] {
            w.flush().map_err(|e| EvalError::io(p, e))?;
        }
        Ok(())
    }
}
