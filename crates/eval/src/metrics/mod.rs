//! Scoring predictions against labels: pair level ([`pairs`]), passage level ([`pan`]),
//! families ([`ari`]), ranking ([`ranking`]) and sentence scorers ([`sentences`]).
//!
//! Inputs are JSON lines. Predictions may be `stemma scan`'s `pairs.jsonl` or any file of
//! `{a_id, b_id, relation}` objects with, optionally, `score`, a source (`direction.source`
//! as `"a"`/`"b"`, or `source_id`), `passages` in CHARACTER offsets (`[{a:[s,e], b:[s,e]}]`,
//! as in `truth.jsonl`) or `alignments` in BYTE offsets (stemma's spans; converted to
//! characters with the corpus texts). A line that carries `alignments` is stemma output: its
//! `passages` (maximal reused regions, merged alignments) are then BYTE offsets too, and the
//! passage measures use them instead of the sentence-level `alignments`.

pub mod ari;
pub mod pairs;
pub mod pan;
pub mod ranking;
pub mod sentences;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufRead;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::EvalError;
use crate::format::{Passage, TruthPair};
use pairs::{DERIVATIONS, PairReport, normalize_relation};
use pan::{PanScores, Segment};

/// The unordered key of a pair.
pub fn pair_key(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

/// One predicted pair.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prediction {
    /// First document.
    pub a_id: String,
    /// Second document.
    pub b_id: String,
    /// Predicted relation (normalized).
    pub relation: String,
    /// Score, when given (used for ranking).
    pub score: Option<f64>,
    /// The predicted source document, when the prediction names one.
    pub source_id: Option<String>,
    /// Aligned passages in character offsets.
    pub passages: Vec<Passage>,
    /// Aligned passages in byte offsets (to convert with the texts): stemma's `passages` when
    /// the line has them, else its `alignments`.
    pub byte_alignments: Vec<Passage>,
}

/// What the corpus tells the metrics: texts (for byte → character conversion) and the
/// generator's metadata for ignoring unlabelled related pairs.
#[derive(Debug, Clone, Default)]
pub struct CorpusInfo {
    /// Texts by id (only of the documents needed).
    pub texts: HashMap<String, String>,
    /// `origins` by id.
    pub origins: HashMap<String, Vec<String>>,
    /// `story` by id.
    pub story: HashMap<String, String>,
}

fn lines(
    path: &Path,
) -> Result<impl Iterator<Item = Result<(usize, Vec<u8>), EvalError>>, EvalError> {
    let f = std::fs::File::open(path).map_err(|e| EvalError::io(path, e))?;
    let p = path.to_path_buf();
    Ok(std::io::BufReader::with_capacity(1 << 20, f)
        .split(b'\n')
        .enumerate()
        .map(move |(n, l)| l.map(|l| (n + 1, l)).map_err(|e| EvalError::io(&p, e)))
        .filter(|r| !matches!(r, Ok((_, l)) if l.iter().all(|b| b.is_ascii_whitespace()))))
}

fn parse_err(path: &Path, line: usize, message: impl Into<String>) -> EvalError {
    EvalError::Parse {
        file: path.display().to_string(),
        line,
        message: message.into(),
    }
}

/// Reads `truth.jsonl`.
pub fn read_truth(path: &Path) -> Result<Vec<TruthPair>, EvalError> {
    let mut out = Vec::new();
    for l in lines(path)? {
        let (n, l) = l?;
        let t: TruthPair = serde_json::from_slice(&l)
            .map_err(|e| parse_err(path, n, format!("not a truth pair: {e}")))?;
        out.push(t);
    }
    Ok(out)
}

fn ranges(v: &Value, path: &Path, n: usize) -> Result<Vec<Passage>, EvalError> {
    let Some(arr) = v.as_array() else {
        return Ok(vec![]);
    };
    let mut out = Vec::new();
    for x in arr {
        let r = |k: &str| -> Option<[usize; 2]> {
            let a = x.get(k)?.as_array()?;
            let s = a.first()?.as_u64()? as usize;
            let e = a.get(1)?.as_u64()? as usize;
            (s <= e).then_some([s, e])
        };
        match (r("a"), r("b")) {
            (Some(a), Some(b)) => out.push(Passage { a, b }),
            _ => {
                return Err(parse_err(
                    path,
                    n,
                    "a passage/alignment needs `a` and `b` as [start, end]",
                ));
            }
        }
    }
    Ok(out)
}

/// Reads predictions (see the module documentation); repeated pairs keep the first line.
pub fn read_predictions(path: &Path) -> Result<Vec<Prediction>, EvalError> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for l in lines(path)? {
        let (n, l) = l?;
        let v: Value =
            serde_json::from_slice(&l).map_err(|e| parse_err(path, n, format!("not JSON: {e}")))?;
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let (Some(a_id), Some(b_id)) = (s("a_id"), s("b_id")) else {
            return Err(parse_err(path, n, "missing string `a_id` or `b_id`"));
        };
        let Some(relation) = s("relation") else {
            return Err(parse_err(path, n, "missing string `relation`"));
        };
        if !seen.insert(pair_key(&a_id, &b_id)) {
            continue;
        }
        let source_id = match v
            .get("direction")
            .and_then(|d| d.get("source"))
            .and_then(|x| x.as_str())
        {
            Some("a") => Some(a_id.clone()),
            Some("b") => Some(b_id.clone()),
            _ => s("source_id"),
        };
        // stemma's lines carry `alignments`; their `passages` are byte spans like them.
        let stemma_output = v.get("alignments").is_some_and(Value::is_array);
        let passages = ranges(v.get("passages").unwrap_or(&Value::Null), path, n)?;
        let passages_bytes = if stemma_output {
            passages.clone()
        } else {
            vec![]
        };
        out.push(Prediction {
            relation: normalize_relation(&relation),
            score: v.get("score").and_then(|x| x.as_f64()),
            source_id,
            passages: if stemma_output { vec![] } else { passages },
            byte_alignments: if stemma_output && !passages_bytes.is_empty() {
                passages_bytes
            } else {
                ranges(v.get("alignments").unwrap_or(&Value::Null), path, n)?
            },
            a_id,
            b_id,
        });
    }
    Ok(out)
}

/// Reads a families file: one JSON object a line with a `members` array (of ids, or of
/// objects with an `id`); the family id is `family` or `id`, else the line number.
pub fn read_families(path: &Path) -> Result<Vec<(String, Vec<String>)>, EvalError> {
    let mut out = Vec::new();
    for l in lines(path)? {
        let (n, l) = l?;
        let v: Value =
            serde_json::from_slice(&l).map_err(|e| parse_err(path, n, format!("not JSON: {e}")))?;
        let id = v
            .get("family")
            .or(v.get("id"))
            .map(|x| x.to_string())
            .unwrap_or_else(|| n.to_string());
        let Some(m) = v.get("members").and_then(|m| m.as_array()) else {
            return Err(parse_err(path, n, "missing `members` array"));
        };
        let members = m
            .iter()
            .filter_map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .or_else(|| x.get("id").and_then(|i| i.as_str()).map(str::to_string))
            })
            .collect();
        out.push((id, members));
    }
    Ok(out)
}

/// Which documents' texts and metadata [`evaluate`] needs: texts of predicted pairs given with
/// byte alignments, and `origins`/`story` of documents in unlabelled predicted pairs.
pub fn corpus_needs(
    truth: &[TruthPair],
    preds: &[Prediction],
) -> (HashSet<String>, HashSet<String>) {
    let labelled: HashSet<(String, String)> =
        truth.iter().map(|t| pair_key(&t.a_id, &t.b_id)).collect();
    let mut text = HashSet::new();
    let mut meta = HashSet::new();
    for p in preds {
        if !p.byte_alignments.is_empty() && p.passages.is_empty() {
            text.insert(p.a_id.clone());
            text.insert(p.b_id.clone());
        }
        if p.relation != "unrelated" && !labelled.contains(&pair_key(&p.a_id, &p.b_id)) {
            meta.insert(p.a_id.clone());
            meta.insert(p.b_id.clone());
        }
    }
    (text, meta)
}

/// Streams a corpus JSONL, keeping texts of the `need_text` ids and `origins`/`story` of the
/// `need_meta` ids.
pub fn read_corpus_info(
    path: &Path,
    need_text: &HashSet<String>,
    need_meta: &HashSet<String>,
) -> Result<CorpusInfo, EvalError> {
    #[derive(serde::Deserialize)]
    struct Line {
        id: Value,
        text: Option<String>,
        #[serde(default)]
        origins: Vec<String>,
        story: Option<String>,
    }
    let mut info = CorpusInfo::default();
    for l in lines(path)? {
        let (n, l) = l?;
        let d: Line = serde_json::from_slice(&l)
            .map_err(|e| parse_err(path, n, format!("not a corpus line: {e}")))?;
        let id = match d.id {
            Value::String(s) => s,
            Value::Number(x) => x.to_string(),
            _ => return Err(parse_err(path, n, "`id` must be a string or a number")),
        };
        if need_meta.contains(&id) {
            if !d.origins.is_empty() {
                info.origins.insert(id.clone(), d.origins);
            }
            if let Some(s) = d.story {
                info.story.insert(id.clone(), s);
            }
        }
        if need_text.contains(&id)
            && let Some(t) = d.text
        {
            info.texts.insert(id, t);
        }
    }
    Ok(info)
}

/// Character offset of byte offset `b` of `text` (clamped, rounded down to a char boundary).
pub fn byte_to_char(text: &str, b: usize) -> usize {
    let mut b = b.min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    text[..b].chars().count()
}

/// Everything `stemma eval` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Pair level.
    pub pairs: PairReport,
    /// PAN passage measures over labelled derivations (when predictions carry passages).
    pub passages: Option<PanScores>,
    /// ARI of predicted families against true families (when both are given).
    pub families_ari: Option<f64>,
    /// Documents the ARI was computed over.
    pub families_docs: usize,
    /// Recall@k (k = 1, 5, 10 → value) of the true source for each copy (when predictions
    /// carry scores).
    pub recall_at_k: Option<BTreeMap<usize, f64>>,
    /// Why a part could not be computed.
    pub notes: Vec<String>,
}

/// Inputs of [`evaluate`].
pub struct EvalInputs<'a> {
    /// Labelled pairs.
    pub truth: &'a [TruthPair],
    /// Predicted pairs.
    pub preds: &'a [Prediction],
    /// True families, if known.
    pub truth_families: Option<&'a [(String, Vec<String>)]>,
    /// Predicted families, if any.
    pub pred_families: Option<&'a [(String, Vec<String>)]>,
    /// Corpus texts and metadata, if given.
    pub corpus: Option<&'a CorpusInfo>,
}

/// Computes every measure that the inputs allow.
pub fn evaluate(inp: &EvalInputs<'_>) -> Report {
    let mut notes = Vec::new();
    let pairs = pairs::pair_report(inp.truth, inp.preds, inp.corpus);

    // Passage level.
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut cases = Vec::new();
    let mut labelled: HashMap<(String, String), &TruthPair> = HashMap::new();
    for t in inp.truth {
        if !DERIVATIONS.contains(&normalize_relation(&t.relation).as_str()) {
            continue;
        }
        let k = pair_key(&t.a_id, &t.b_id);
        let n = index.len();
        let pi = *index.entry(k.clone()).or_insert(n);
        labelled.insert(k, t);
        let flip = t.a_id > t.b_id;
        for p in &t.passages {
            let (a, b) = if flip { (p.b, p.a) } else { (p.a, p.b) };
            cases.push(Segment { pair: pi, a, b });
        }
    }
    let with_chars = inp.preds.iter().any(|p| !p.passages.is_empty());
    let with_bytes = inp.preds.iter().any(|p| !p.byte_alignments.is_empty());
    let mut dets = Vec::new();
    let mut missing_text = 0usize;
    let passages = if !with_chars && !with_bytes {
        notes.push("passage measures: the predictions carry no passages or alignments".into());
        None
    } else if with_bytes && !with_chars && inp.corpus.is_none_or(|c| c.texts.is_empty()) {
        notes.push("passage measures: predictions have byte offsets; give --corpus to convert them to characters".into());
        None
    } else {
        // Detections are the passages of pairs predicted as derivations; a pair without any
        // label is left out when the corpus metadata says it is related (see `pairs`).
        let any_label: HashSet<(String, String)> = inp
            .truth
            .iter()
            .filter(|t| normalize_relation(&t.relation) != "unrelated")
            .map(|t| pair_key(&t.a_id, &t.b_id))
            .collect();
        for p in inp.preds {
            if !DERIVATIONS.contains(&p.relation.as_str()) {
                continue;
            }
            let k = pair_key(&p.a_id, &p.b_id);
            if !any_label.contains(&k) && pairs::is_ignored(inp.corpus, &k.0, &k.1, &p.relation) {
                continue;
            }
            let n = index.len();
            let pi = *index.entry(k.clone()).or_insert(n);
            let flip = p.a_id > p.b_id;
            let mut push = |a: [usize; 2], b: [usize; 2]| {
                let (a, b) = if flip { (b, a) } else { (a, b) };
                dets.push(Segment { pair: pi, a, b });
            };
            if !p.passages.is_empty() {
                for x in &p.passages {
                    push(x.a, x.b);
                }
            } else if !p.byte_alignments.is_empty() {
                let texts = inp
                    .corpus
                    .map(|c| (c.texts.get(&p.a_id), c.texts.get(&p.b_id)));
                let Some((Some(ta), Some(tb))) = texts else {
                    missing_text += 1;
                    continue;
                };
                for x in &p.byte_alignments {
                    let a = [byte_to_char(ta, x.a[0]), byte_to_char(ta, x.a[1])];
                    let b = [byte_to_char(tb, x.b[0]), byte_to_char(tb, x.b[1])];
                    push(a, b);
                }
            }
        }
        if missing_text > 0 {
            notes.push(format!("passage measures: {missing_text} predicted pair(s) skipped: a text is missing from the corpus"));
        }
        Some(pan::pan_scores(&cases, &dets))
    };

    // Families.
    let (families_ari, families_docs) = match (inp.truth_families, inp.pred_families) {
        (Some(tf), Some(pf)) => {
            let mut label_of: HashMap<&str, &str> = HashMap::new();
            for (id, members) in pf {
                for m in members {
                    label_of.entry(m.as_str()).or_insert(id.as_str());
                }
            }
            let mut t = Vec::new();
            let mut p = Vec::new();
            for (fid, members) in tf {
                for m in members {
                    t.push(fid.clone());
                    p.push(
                        label_of
                            .get(m.as_str())
                            .map(|x| format!("f:{x}"))
                            .unwrap_or_else(|| format!("single:{m}")),
                    );
                }
            }
            (Some(ari::adjusted_rand_index(&t, &p)), t.len())
        }
        (None, _) => {
            notes.push("families: no true families (families.jsonl next to the truth file)".into());
            (None, 0)
        }
        (_, None) => {
            notes.push("families: no predicted families (families.jsonl next to the predictions, or --pred-families)".into());
            (None, 0)
        }
    };

    // Ranking.
    let recall_at_k = if inp.preds.iter().any(|p| p.score.is_some()) {
        let relevant: Vec<(String, String)> = inp
            .truth
            .iter()
            .filter(|t| DERIVATIONS.contains(&normalize_relation(&t.relation).as_str()))
            .map(|t| {
                let src = t.source_id.clone().unwrap_or_else(|| t.a_id.clone());
                let copy = if src == t.a_id {
                    t.b_id.clone()
                } else {
                    t.a_id.clone()
                };
                (copy, src)
            })
            .collect();
        let mut scored = Vec::new();
        for p in inp.preds {
            if let Some(s) = p.score {
                scored.push((p.a_id.clone(), p.b_id.clone(), s));
                scored.push((p.b_id.clone(), p.a_id.clone(), s));
            }
        }
        let ks = [1, 5, 10];
        let r = ranking::recall_at_k(&relevant, &scored, &ks);
        Some(ks.iter().copied().zip(r).collect())
    } else {
        notes.push("ranking: the predictions carry no scores".into());
        None
    };
    Report {
        pairs,
        passages,
        families_ari,
        families_docs,
        recall_at_k,
        notes,
    }
}

impl Report {
    /// A readable multi-line table.
    pub fn to_table(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let p = &self.pairs;
        let _ = writeln!(
            s,
            "PAIRS  labelled {}  predicted {}  ignored (unlabelled, shared text/story) {}",
            p.labelled, p.predicted, p.ignored
        );
        let _ = writeln!(
            s,
            "  {:<16} {:>7} {:>7} {:>7} {:>9} {:>7} {:>7}",
            "relation", "tp", "fp", "fn", "precision", "recall", "F1"
        );
        let rows = p
            .per_relation
            .iter()
            .map(|(k, v)| (k.as_str(), v))
            .chain([("any derivation", &p.derivation)]);
        for (k, v) in rows {
            let _ = writeln!(
                s,
                "  {:<16} {:>7} {:>7} {:>7} {:>9.3} {:>7.3} {:>7.3}",
                k, v.tp, v.fp, v.fn_, v.precision, v.recall, v.f1
            );
        }
        let _ = writeln!(s, "  confusion (labelled → predicted):");
        for (t, m) in &p.confusion {
            let cells: Vec<String> = m.iter().map(|(k, v)| format!("{k} {v}")).collect();
            let _ = writeln!(s, "    {:<16} {}", t, cells.join(", "));
        }
        let _ = writeln!(
            s,
            "  per operation        pairs   found  recall  exact-relation"
        );
        for (k, v) in &p.per_operation {
            let _ = writeln!(
                s,
                "    {:<18} {:>7} {:>7} {:>7.3} {:>7.3}",
                k, v.pairs, v.found, v.recall, v.exact_recall
            );
        }
        let _ = writeln!(s, "  per obfuscation (full recipe): see --json");
        let d = &p.direction;
        let _ = writeln!(
            s,
            "  direction: {} of {} decided ({:.3}), accuracy {:.3}",
            d.decided, d.found, d.decided_rate, d.accuracy
        );
        match &self.passages {
            Some(x) => {
                let _ = writeln!(
                    s,
                    "PASSAGES (PAN, characters)  cases {}  detections {}  precision {:.3}  recall {:.3}  granularity {:.3}  plagdet {:.3}",
                    x.cases, x.detections, x.precision, x.recall, x.granularity, x.plagdet
                );
            }
            None => s.push_str("PASSAGES  not computed\n"),
        }
        match self.families_ari {
            Some(a) => {
                let _ = writeln!(
                    s,
                    "FAMILIES  adjusted Rand index {a:.4} over {} documents",
                    self.families_docs
                );
            }
            None => s.push_str("FAMILIES  not computed\n"),
        }
        match &self.recall_at_k {
            Some(r) => {
                let cells: Vec<String> = r
                    .iter()
                    .map(|(k, v)| format!("recall@{k} {v:.3}"))
                    .collect();
                let _ = writeln!(s, "RANKING  {}", cells.join("  "));
            }
            None => s.push_str("RANKING  not computed\n"),
        }
        for n in &self.notes {
            let _ = writeln!(s, "note: {n}");
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluate_converts_byte_alignments_with_corpus_texts() {
        // "£" is 2 bytes: the copy's passage "£5 rise." is chars [0,8) = bytes [0,9).
        let a = "Prices: £5 rise. Other.";
        let b = "£5 rise. New text here.";
        let truth = vec![TruthPair {
            a_id: "s".into(),
            b_id: "c".into(),
            relation: "partial".into(),
            obfuscation: Some("partial".into()),
            source_id: Some("s".into()),
            passages: vec![Passage {
                a: [8, 16],
                b: [0, 8],
            }],
        }];
        let exact = Prediction {
            a_id: "c".into(), // reversed order on purpose
            b_id: "s".into(),
            relation: "partial".into(),
            byte_alignments: vec![Passage {
                a: [0, 9],
                b: [8, 17],
            }],
            ..Default::default()
        };
        let mut corpus = CorpusInfo::default();
        corpus.texts.insert("s".into(), a.into());
        corpus.texts.insert("c".into(), b.into());
        let (need_text, need_meta) = corpus_needs(&truth, std::slice::from_ref(&exact));
        assert!(need_text.contains("s") && need_text.contains("c") && need_meta.is_empty());
        let run = |p: &Prediction, c: Option<&CorpusInfo>| {
            evaluate(&EvalInputs {
                truth: &truth,
                preds: std::slice::from_ref(p),
                truth_families: None,
                pred_families: None,
                corpus: c,
            })
        };
        let r = run(&exact, Some(&corpus));
        let pan = r.passages.unwrap();
        assert_eq!((pan.precision, pan.recall, pan.plagdet), (1.0, 1.0, 1.0));
        // Read as characters, the same numbers would be off by one: not a perfect score.
        let as_chars = Prediction {
            passages: exact.byte_alignments.clone(),
            byte_alignments: vec![],
            ..exact.clone()
        };
        assert!(run(&as_chars, None).passages.unwrap().plagdet < 1.0);
        // Without texts the byte offsets cannot be converted: not computed, with a note.
        let r = run(&exact, None);
        assert!(r.passages.is_none());
        assert!(r.notes.iter().any(|n| n.contains("--corpus")));
    }

    #[test]
    fn byte_offsets_convert_to_characters() {
        let t = "£5 café";
        assert_eq!(byte_to_char(t, 0), 0);
        assert_eq!(byte_to_char(t, 2), 1); // after '£' (2 bytes)
        assert_eq!(byte_to_char(t, t.len()), 7);
        assert_eq!(byte_to_char(t, 1), 0); // inside '£': rounded down
        assert_eq!(byte_to_char(t, 999), 7);
    }

    #[test]
    fn predictions_parse_scan_and_generic_forms_and_reject_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("p.jsonl");
        std::fs::write(
            &f,
            concat!(
                "{\"a_id\":\"x\",\"b_id\":\"y\",\"relation\":\"rewrite\",\"score\":0.7,\"direction\":{\"source\":\"b\"},\"alignments\":[{\"a\":[0,4],\"b\":[2,6],\"kind\":\"verbatim\"}]}\n",
                "\n",
                "{\"a_id\":\"y\",\"b_id\":\"x\",\"relation\":\"duplicate\"}\n",
                "{\"a_id\":\"u\",\"b_id\":\"v\",\"relation\":\"near_duplicate\",\"source_id\":\"u\",\"passages\":[{\"a\":[1,2],\"b\":[3,4]}]}\n",
            ),
        )
        .unwrap();
        let p = read_predictions(&f).unwrap();
        assert_eq!(p.len(), 2, "repeated pair kept once");
        assert_eq!(p[0].source_id.as_deref(), Some("y"));
        assert_eq!(p[0].byte_alignments[0].b, [2, 6]);
        assert_eq!(p[1].relation, "near-duplicate");
        assert_eq!(p[1].passages[0].a, [1, 2]);
        // stemma output with merged `passages`: those (byte spans) replace the alignments.
        std::fs::write(
            &f,
            "{\"a_id\":\"x\",\"b_id\":\"y\",\"relation\":\"rewrite\",\"alignments\":[{\"a\":[0,4],\"b\":[2,6]},{\"a\":[5,9],\"b\":[7,11]}],\"passages\":[{\"a\":[0,9],\"b\":[2,11]}]}\n",
        )
        .unwrap();
        let p = read_predictions(&f).unwrap();
        assert!(
            p[0].passages.is_empty(),
            "byte passages are not read as characters"
        );
        assert_eq!(p[0].byte_alignments.len(), 1);
        assert_eq!(p[0].byte_alignments[0].a, [0, 9]);
        std::fs::write(&f, "{\"a_id\":\"x\"}\n").unwrap();
        let e = read_predictions(&f).unwrap_err().to_string();
        assert!(e.contains(":1:"), "{e}");
        std::fs::write(&f, "not json\n").unwrap();
        assert!(read_predictions(&f).is_err());
    }
}
