//! The server with a semantic scorer: a document added or checked through it gets the verdict a
//! batch scan with the same second pass gives (identical `pairs.jsonl` lines), in memory and on
//! disk (also after reopening); with the real model when it is present (the test says why it
//! is skipped otherwise), with a toy encoder always.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use std::sync::Arc;
use stemma_align::SentenceEmbedder;
use stemma_index::{DiskIndex, ModelIdentity, OpenOptions, Scorer};
use stemma_scan::output::{Detail, PairLine};
use stemma_scan::semantic::SemanticPass;
use stemma_scan::{InputDoc, ScanDriver, ScanOptions};
use stemma_server::{DiskBackend, MemoryBackend, ServerConfig, router, shared};
use tower::ServiceExt as _;

const SAMPLE: &str = include_str!("../../../samples/corpus/news.jsonl");

/// The sample corpus in date order.
fn sample_docs() -> Vec<Value> {
    let mut docs: Vec<Value> = SAMPLE
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    docs.sort_by_key(|d| stemma_scan::date::parse_date(d["date"].as_str().unwrap()));
    docs
}

/// A toy sentence encoder: letter counts (deterministic, no model file).
struct Letters;

impl SentenceEmbedder for Letters {
    fn embed(&self, sentences: &[&str]) -> Vec<Vec<f32>> {
        sentences
            .iter()
            .map(|s| {
                let mut v = [0f32; 27];
                for c in s.chars().filter(|c| c.is_alphabetic()) {
                    let c = c.to_ascii_lowercase();
                    let i = if c.is_ascii_lowercase() {
                        (c as u8 - b'a') as usize
                    } else {
                        26
                    };
                    v[i] += 1.0;
                }
                let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
                v.iter().map(|x| x / n).collect()
            })
            .collect()
    }
    fn name(&self) -> &str {
        "letters"
    }
}

async fn send(app: &Router, method: &str, uri: &str, body: Option<&Value>) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    if body.is_some() {
        req = req.header(header::CONTENT_TYPE, "application/json");
    }
    let req = req
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// The first place where `a` and `b` differ (numbers to 1e-9), or `None`.
fn json_diff(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            ((x - y).abs() > 1e-9 * x.abs().max(1.0)).then(|| format!("{path}: {x} != {y}"))
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!("{path}: {} items != {}", x.len(), y.len()));
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (x, y))| json_diff(x, y, &format!("{path}[{i}]")))
        }
        (Value::Object(x), Value::Object(y)) => {
            let (kx, ky): (Vec<&String>, Vec<&String>) = (x.keys().collect(), y.keys().collect());
            if kx != ky {
                return Some(format!("{path}: keys {kx:?} != {ky:?}"));
            }
            x.iter()
                .find_map(|(k, v)| json_diff(v, &y[k], &format!("{path}.{k}")))
        }
        _ => (a != b).then(|| format!("{path}: {a} != {b}")),
    }
}

fn assert_json_eq(a: &Value, b: &Value) {
    if let Some(d) = json_diff(a, b, "") {
        panic!("JSON differs at {d}");
    }
}

fn input(d: &Value) -> InputDoc {
    InputDoc {
        id: d["id"].as_str().unwrap().to_string(),
        text: d["text"].as_str().unwrap().to_string(),
        date: d["date"].as_str().and_then(stemma_scan::date::parse_date),
        source: d["source"].as_str().map(str::to_string),
        decoding: None,
    }
}

/// The `pairs.jsonl` lines of a batch scan of `docs` with the second pass `pass`.
fn batch_pair_lines(docs: &[Value], pass: &SemanticPass) -> Vec<Value> {
    let docs = docs
        .iter()
        .map(|d| Ok::<_, stemma_corpus::Skipped>(input(d)));
    let mut sink = stemma_scan::driver::CollectSink::default();
    ScanDriver::builder()
        .semantic(Some(pass.clone()))
        .build()
        .unwrap()
        .run(docs, &mut sink)
        .unwrap();
    sink.pairs
        .iter()
        .map(|p| serde_json::to_value(PairLine::new(&sink.docs, p, Detail::Full)).unwrap())
        .collect()
}

fn memory_app(pass: &SemanticPass) -> Router {
    let opts = ScanOptions {
        semantic: Some(pass.clone()),
        ..ScanOptions::default()
    };
    let config = ServerConfig::new("127.0.0.1:0".parse().unwrap());
    router(shared(MemoryBackend::lexical(opts)), &config)
}

fn disk_app(dir: &std::path::Path, pass: &SemanticPass) -> Router {
    let options = OpenOptions {
        create: true,
        scorer: Scorer::Semantic(
            Box::new(pass.clone()),
            ModelIdentity::named(pass.embedder.name()),
        ),
        ..OpenOptions::default()
    };
    let index: DiskIndex = DiskIndex::open_with(dir, options, Default::default()).unwrap();
    let config = ServerConfig::new("127.0.0.1:0".parse().unwrap());
    router(shared(DiskBackend::new(index)), &config)
}

/// Posts `docs` as one batch; the pair lines of every answer, in order, and per document.
async fn add_all(app: &Router, docs: &[Value]) -> (Vec<Value>, Vec<Value>) {
    let (s, body) = send(
        app,
        "POST",
        "/v1/documents",
        Some(&Value::Array(docs.to_vec())),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["stored"], docs.len());
    let per_doc: Vec<Value> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["pairs"].clone())
        .collect();
    let all = per_doc
        .iter()
        .flat_map(|p| p.as_array().unwrap().clone())
        .collect();
    (all, per_doc)
}

fn semantic_pairs(lines: &[Value]) -> usize {
    lines
        .iter()
        .filter(|p| p["verdict"]["model"] == "semantic")
        .count()
}

/// Adding, checking and reopening with the second pass `pass` over `docs` (in date order)
/// give the batch scan's pair lines.
async fn server_equals_batch(docs: &[Value], pass: &SemanticPass) -> Vec<Value> {
    let want = batch_pair_lines(docs, pass);
    // In memory: one batch.
    let app = memory_app(pass);
    let (got, per_doc) = add_all(&app, docs).await;
    assert_json_eq(&Value::Array(got), &Value::Array(want.clone()));
    // Checking the last document against the others answers what adding it answered.
    let (last, rest) = docs.split_last().unwrap();
    let app = memory_app(pass);
    add_all(&app, rest).await;
    let (s, check) = send(&app, "POST", "/v1/check", Some(last)).await;
    assert_eq!(s, StatusCode::OK, "{check}");
    assert_json_eq(&check["pairs"], per_doc.last().unwrap());
    // On disk, in two runs: the second one after reopening.
    let dir = tempfile::tempdir().unwrap();
    let app = disk_app(dir.path(), pass);
    let (mut got, _) = add_all(&app, rest).await;
    drop(app);
    let app = disk_app(dir.path(), pass);
    let (s, check) = send(&app, "POST", "/v1/check", Some(last)).await;
    assert_eq!(s, StatusCode::OK, "{check}");
    assert_json_eq(&check["pairs"], per_doc.last().unwrap());
    let (tail, _) = add_all(&app, std::slice::from_ref(last)).await;
    got.extend(tail);
    assert_json_eq(&Value::Array(got), &Value::Array(want.clone()));
    // A pair the second pass decided is compared semantically again after reopening.
    if let Some(p) = want.iter().find(|p| p["verdict"]["model"] == "semantic") {
        let uri = format!(
            "/v1/compare?a={}&b={}",
            p["a_id"].as_str().unwrap(),
            p["b_id"].as_str().unwrap()
        );
        let (s, c) = send(&app, "GET", &uri, None).await;
        assert_eq!(s, StatusCode::OK, "{c}");
        assert_eq!(c["verdict"]["model"], "semantic", "{c}");
        assert_eq!(c["relation"], p["relation"]);
    }
    want
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_toy_encoder_the_server_answers_as_a_batch_scan() {
    let mut pass = SemanticPass::new(Arc::new(Letters));
    // Every pair that is not an exact copy is compared again.
    pass.band = (0.0, 1.0);
    let want = server_equals_batch(&sample_docs(), &pass).await;
    assert!(semantic_pairs(&want) > 0, "{want:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_model_the_server_answers_as_a_batch_scan() {
    let Some(path) = stemma_embed::Embedder::find(None) else {
        eprintln!(
            "SKIPPED: no semantic model (run scripts/fetch-model.sh or set {})",
            stemma_embed::MODEL_ENV
        );
        return;
    };
    let model: Arc<dyn SentenceEmbedder> = Arc::new(stemma_embed::Embedder::load(&path).unwrap());
    // es02_heavy paraphrases es02_orig throughout (lexical verification rejects the pair);
    // en04_orig is another story.
    let fixture = |id: &str, day: i64| {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/eval/docs")
            .join(format!("{id}.txt"));
        json!({
            "id": id,
            "text": std::fs::read_to_string(p).unwrap(),
            "date": stemma_compare::format_date(1_700_000_000 + day * 86_400),
        })
    };
    let docs = [
        fixture("es02_orig", 0),
        fixture("en04_orig", 1),
        fixture("es02_heavy", 2),
    ];
    let want = server_equals_batch(&docs, &SemanticPass::new(model)).await;
    let found = want
        .iter()
        .find(|p| p["a_id"] == "es02_orig" && p["b_id"] == "es02_heavy")
        .unwrap_or_else(|| panic!("the paraphrase is not found: {want:?}"));
    assert_eq!(found["verdict"]["model"], "semantic");
}

#[tokio::test]
async fn a_document_shows_the_encoding_its_file_was_read_in() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Le café de la place a fermé. Les habitués, déçus, ont signé une pétition.";
    let enc = stemma_corpus::decode::encoding_for_label("windows-1252").unwrap();
    let (bytes, _, _) = enc.encode(text);
    let decoded = stemma_corpus::decode::decode(&bytes, Some(enc)).unwrap();
    {
        let mut index = DiskIndex::open(dir.path(), ScanOptions::default()).unwrap();
        index
            .add([InputDoc {
                id: "legacy".into(),
                text: decoded.text.clone(),
                date: None,
                source: None,
                decoding: Some(stemma_scan::Decoding {
                    encoding: decoded.encoding,
                    bom: decoded.bom,
                    offsets: decoded.offsets,
                }),
            }])
            .unwrap();
    }
    let index = DiskIndex::open_existing(dir.path()).unwrap();
    let config = ServerConfig::new("127.0.0.1:0".parse().unwrap());
    let app = router(shared(DiskBackend::new(index)), &config);
    let (s, d) = send(&app, "GET", "/v1/documents/legacy", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(d["encoding"], "windows-1252");
    assert_eq!(d["text"], text);
    // A document given as JSON text has none.
    let (s, _) = send(
        &app,
        "POST",
        "/v1/documents",
        Some(&json!({"id": "json", "text": "Plain text from a JSON body."})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (_, d) = send(&app, "GET", "/v1/documents/json", None).await;
    assert!(d.get("encoding").is_none(), "{d}");
}
