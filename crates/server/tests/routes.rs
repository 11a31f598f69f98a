//! Every route of `stemma serve` in process (`tower::ServiceExt::oneshot`): the JSON
//! contracts (pairs identical to a batch scan's `pairs.jsonl` lines, compare identical to the
//! compare JSON), auth, limits and errors, and concurrent writers and readers.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use std::net::SocketAddr;
use stemma_scan::output::{Detail, PairLine};
use stemma_scan::{InputDoc, ScanDriver, ScanOptions};
use stemma_server::{MemoryBackend, ServerConfig, router, shared};
use tower::ServiceExt as _;

const SAMPLE: &str = include_str!("../../../samples/corpus/news.jsonl");

/// The sample corpus (14 news articles with titles), in date order.
fn sample_docs() -> Vec<Value> {
    let mut docs: Vec<Value> = SAMPLE
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    docs.sort_by_key(|d| stemma_scan::date::parse_date(d["date"].as_str().unwrap()));
    docs
}

fn app_with(token: Option<&str>, max_body: usize) -> Router {
    let config = ServerConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        token: token.map(str::to_string),
        max_body,
    };
    router(
        shared(MemoryBackend::lexical(ScanOptions::default())),
        &config,
    )
}

fn app() -> Router {
    app_with(None, stemma_server::DEFAULT_MAX_BODY)
}

/// Sends one request; returns the status and the body (JSON when it parses, else a string).
async fn send(
    app: &Router,
    method: &str,
    uri: &str,
    body: Option<String>,
    token: Option<&str>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    if body.is_some() {
        req = req.header(header::CONTENT_TYPE, "application/json");
    }
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let req = req
        .body(body.map(Body::from).unwrap_or_else(Body::empty))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, value)
}

async fn post(app: &Router, uri: &str, body: &Value) -> (StatusCode, Value) {
    send(app, "POST", uri, Some(body.to_string()), None).await
}

async fn get(app: &Router, uri: &str) -> (StatusCode, Value) {
    send(app, "GET", uri, None, None).await
}

/// The first place where `a` and `b` differ, numbers compared to 1e-9 (the same comparison
/// run twice may differ in the last bit of a float sum), or `None`.
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

/// The `pairs.jsonl` lines a batch scan of `docs` writes (full detail), as JSON values.
fn batch_pair_lines(docs: &[Value]) -> Vec<Value> {
    let input = docs.iter().map(|d| {
        Ok::<_, stemma_corpus::Skipped>(InputDoc {
            id: d["id"].as_str().unwrap().to_string(),
            text: d["text"].as_str().unwrap().to_string(),
            date: stemma_scan::date::parse_date(d["date"].as_str().unwrap()),
            source: d["source"].as_str().map(str::to_string),
            decoding: None,
        })
    });
    let mut sink = stemma_scan::driver::CollectSink::default();
    ScanDriver::builder()
        .build()
        .unwrap()
        .run(input, &mut sink)
        .unwrap();
    sink.pairs
        .iter()
        .map(|p| serde_json::to_value(PairLine::new(&sink.docs, p, Detail::Full)).unwrap())
        .collect()
}

#[tokio::test]
async fn a_batch_gives_the_pairs_of_a_batch_scan_and_every_read_route_answers() {
    let app = app();
    let docs = sample_docs();
    let (status, body) = post(&app, "/v1/documents", &Value::Array(docs.clone())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["stored"], 14);
    assert_eq!(body["rejected"], 0);
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 14);
    let mut got: Vec<Value> = Vec::new();
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r["index"], i);
        assert_eq!(r["stored"], true);
        assert_eq!(r["id"], docs[i]["id"]);
        for p in r["pairs"].as_array().unwrap() {
            // Each answer names the new document as one side, an earlier one as the other.
            assert!(
                p["a_id"] == docs[i]["id"] || p["b_id"] == docs[i]["id"],
                "{p}"
            );
            got.push(p.clone());
        }
    }
    let want = batch_pair_lines(&docs);
    assert!(!want.is_empty());
    // The server's pairs are the batch scan's pairs.jsonl lines.
    assert_json_eq(&Value::Array(got), &Value::Array(want.clone()));
    let n02 = &results[docs.iter().position(|d| d["id"] == "n02").unwrap()]["pairs"];
    assert!(
        n02.as_array()
            .unwrap()
            .iter()
            .any(|p| p["a_id"] == "n01" && p["relation"] == "duplicate"),
        "{n02}"
    );

    // A document, its relations, its family.
    let (s, d) = get(&app, "/v1/documents/n01").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(d["id"], "n01");
    assert_eq!(d["source"], "Harwick Ledger");
    assert_eq!(d["date"], "2026-03-03T09:15:00Z");
    assert!(d["title"].as_str().unwrap().starts_with("Water main break"));
    assert!(
        d["text"]
            .as_str()
            .unwrap()
            .starts_with("A 90-year-old water main")
    );
    let (s, rel) = get(&app, "/v1/documents/n01/relations").await;
    assert_eq!(s, StatusCode::OK);
    let others: Vec<&str> = rel["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            if p["a_id"] == "n01" {
                p["b_id"].as_str().unwrap()
            } else {
                p["a_id"].as_str().unwrap()
            }
        })
        .collect();
    assert!(
        others.contains(&"n02") && others.contains(&"n03"),
        "{others:?}"
    );
    let want_n01: Vec<&Value> = want
        .iter()
        .filter(|p| p["a_id"] == "n01" || p["b_id"] == "n01")
        .collect();
    assert_json_eq(
        &rel["pairs"],
        &Value::Array(want_n01.into_iter().cloned().collect()),
    );

    let (s, fam) = get(&app, "/v1/families/n03").await;
    assert_eq!(s, StatusCode::OK, "{fam}");
    assert_eq!(fam["family"]["root"], "n01");
    let members = fam["family"]["members"].as_array().unwrap();
    assert!(members.contains(&json!("n02")) && members.contains(&json!("n03")));
    assert_eq!(
        fam["family"]["edges"].as_array().unwrap().len(),
        members.len() - 1
    );
    assert_eq!(fam["documents"].as_array().unwrap().len(), members.len());
    let (s, list) = get(&app, "/v1/families?limit=100").await;
    assert_eq!(s, StatusCode::OK);
    let total = list["total"].as_u64().unwrap() as usize;
    assert!(total >= 2);
    assert_eq!(list["families"].as_array().unwrap().len(), total);
    assert!(
        list["families"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["root"]["id"] == "n01")
    );
    // The family graph as SVG: a node per member, an edge per tree edge.
    let (s, svg) = get(&app, "/view/family/n01").await;
    assert_eq!(s, StatusCode::OK);
    let svg = svg.as_str().unwrap();
    assert!(svg.starts_with("<svg"));
    for m in members {
        assert!(svg.contains(&format!("data-doc=\"{}\"", m.as_str().unwrap())));
    }
    assert_eq!(svg.matches("class=\"stm-edge\"").count(), members.len() - 1);

    // A document in no family; an unknown one.
    let (s, e) = get(&app, "/v1/families/n14").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(e["error"].as_str().unwrap().contains("no family"), "{e}");
    for uri in [
        "/v1/documents/nope",
        "/v1/documents/nope/relations",
        "/v1/families/nope",
        "/v1/compare?a=n01&b=nope",
        "/view/compare?a=nope&b=n01",
        "/view/family/nope",
    ] {
        let (s, e) = get(&app, uri).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{uri}");
        assert!(e.to_string().contains("nope"), "{uri}: {e}");
    }

    // Search by title words and by id.
    let (_, r) = get(&app, "/v1/search?q=barn%20owls").await;
    let ids: Vec<&str> = r["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"n07") && ids.contains(&"n09"), "{ids:?}");
    assert!(!ids.contains(&"n01"));
    let (_, r) = get(&app, "/v1/search?q=n1").await;
    assert_eq!(r["documents"].as_array().unwrap().len(), 5); // n10 … n14

    let (s, h) = get(&app, "/healthz").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h["status"], "ok");
    assert_eq!(h["documents"], 14);
    assert_eq!(h["pairs"].as_u64().unwrap() as usize, want.len());
}

#[tokio::test]
async fn compare_answers_the_compare_json_and_the_side_by_side_view() {
    let app = app();
    let docs = sample_docs();
    post(&app, "/v1/documents", &Value::Array(docs.clone())).await;
    let (s, c) = get(&app, "/v1/compare?a=n01&b=n03").await;
    assert_eq!(s, StatusCode::OK);
    let text = |id: &str| {
        docs.iter().find(|d| d["id"] == id).unwrap()["text"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let date = |id: &str| {
        stemma_scan::date::parse_date(
            docs.iter().find(|d| d["id"] == id).unwrap()["date"]
                .as_str()
                .unwrap(),
        )
    };
    let (ta, tb) = (text("n01"), text("n03"));
    let (pa, pb) = (stemma_text::prepare(&ta), stemma_text::prepare(&tb));
    let cmp = stemma_compare::Comparer::default().compare(
        &stemma_compare::Document::new(&ta, &pa).with_date(date("n01")),
        &stemma_compare::Document::new(&tb, &pb).with_date(date("n03")),
    );
    let want: Value = serde_json::from_str(&stemma_render::json::to_string_with_inputs(
        &cmp,
        &stemma_render::Input::new("n01", &ta),
        &stemma_render::Input::new("n03", &tb),
        false,
    ))
    .unwrap();
    assert_json_eq(&c, &want);
    assert_eq!(c["relation"], "near-duplicate");
    assert_eq!(c["inputs"]["a"]["label"], "n01");

    let (s, page) = get(&app, "/view/compare?a=n01&b=n03").await;
    assert_eq!(s, StatusCode::OK);
    let page = page.as_str().unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("stm-cmp") && page.contains("near-duplicate"));
    assert!(page.contains("Water main break"));

    // A text that is not stored, compared with a stored one.
    let (s, page) = post(
        &app,
        "/view/compare",
        &json!({"id": "n01", "doc": {"id": "mine", "text": text("n03")}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let page = page.as_str().unwrap();
    assert!(page.contains("stm-cmp") && page.contains("mine"));
}

#[tokio::test]
async fn check_answers_without_storing() {
    let app = app();
    let docs = sample_docs();
    let first: Vec<Value> = docs.iter().filter(|d| d["id"] != "n03").cloned().collect();
    post(&app, "/v1/documents", &Value::Array(first)).await;
    let n03 = docs.iter().find(|d| d["id"] == "n03").unwrap().clone();
    let (s, c) = post(&app, "/v1/check", &n03).await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["id"], "n03");
    let pairs = c["pairs"].as_array().unwrap();
    assert!(
        pairs
            .iter()
            .any(|p| p["a_id"] == "n01" && p["b_id"] == "n03" && p["relation"] == "near-duplicate"),
        "{c}"
    );
    // Nothing was stored; storing it now answers the same pairs.
    let (_, h) = get(&app, "/healthz").await;
    assert_eq!(h["documents"], 13);
    assert_eq!(
        get(&app, "/v1/documents/n03").await.0,
        StatusCode::NOT_FOUND
    );
    let (_, added) = post(&app, "/v1/documents", &n03).await;
    assert_json_eq(&added["results"][0]["pairs"], &c["pairs"]);
    // Without an id the text is called `checked`.
    let (s, c) = post(&app, "/v1/check", &json!({"text": n03["text"]})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(c["id"], "checked");
    assert!(
        c["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["b_id"] == "checked")
    );
}

#[tokio::test]
async fn a_bad_record_is_answered_with_its_position_and_the_good_ones_are_stored() {
    let app = app();
    let docs = sample_docs();
    let batch = json!([
        docs[0],
        {"id": "no-text"},
        {"id": "bad-date", "text": "Some text here.", "date": "the day after tomorrow"},
        42,
        {"id": "", "text": "x"},
        docs[1],
    ]);
    let (s, body) = post(&app, "/v1/documents", &batch).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["stored"], 2);
    assert_eq!(body["rejected"], 4);
    let r = body["results"].as_array().unwrap();
    assert_eq!(r.len(), 6);
    let err = |i: usize| r[i]["error"].as_str().unwrap_or("").to_string();
    assert!(r[0]["stored"] == true && r[5]["stored"] == true);
    assert!(
        err(1).contains("record 1") && err(1).contains("text"),
        "{}",
        err(1)
    );
    assert!(
        err(2).contains("record 2") && err(2).contains("date"),
        "{}",
        err(2)
    );
    assert!(
        err(3).contains("record 3") && err(3).contains("number"),
        "{}",
        err(3)
    );
    assert!(
        err(4).contains("record 4") && err(4).contains("id"),
        "{}",
        err(4)
    );
    assert_eq!(r[1]["id"], "no-text");
    assert_eq!(
        get(
            &app,
            &format!("/v1/documents/{}", docs[1]["id"].as_str().unwrap())
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        get(&app, "/v1/documents/no-text").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/v1/documents/bad-date").await.0,
        StatusCode::NOT_FOUND
    );

    // A repeated id is refused (409 when nothing else is stored); the first copy stays.
    let (s, body) = post(&app, "/v1/documents", &docs[0]).await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    assert!(
        body["results"][0]["error"]
            .as_str()
            .unwrap()
            .contains("already indexed")
    );
    // Nothing valid at all: 400.
    let (s, _) = post(&app, "/v1/documents", &json!([{"id": "x"}])).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, e) = post(&app, "/v1/documents", &json!([])).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["error"].as_str().unwrap().contains("no document"));
}

#[tokio::test]
async fn malformed_json_is_a_400_with_the_reason_and_oversized_bodies_413() {
    let app = app_with(None, 2000);
    for uri in ["/v1/documents", "/v1/check", "/view/compare"] {
        let (s, e) = send(
            &app,
            "POST",
            uri,
            Some("{\"id\": \"a\", \"text\": ".into()),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}");
        let msg = e["error"].as_str().unwrap();
        assert!(
            msg.contains("malformed JSON") && msg.contains("line 1"),
            "{msg}"
        );
    }
    let (s, e) = post(&app, "/v1/check", &json!({"id": "a"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["error"].as_str().unwrap().contains("text"), "{e}");
    let (s, e) = post(&app, "/v1/documents", &json!("just a string")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["error"].as_str().unwrap().contains("a string"));
    let big = json!({"id": "big", "text": "word ".repeat(1000)});
    for uri in ["/v1/documents", "/v1/check"] {
        let (s, _) = post(&app, uri, &big).await;
        assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{uri}");
    }
    let small = json!({"id": "small", "text": "A short text of a few words."});
    assert_eq!(post(&app, "/v1/documents", &small).await.0, StatusCode::OK);
    let (s, e) = get(&app, "/no/such/route").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(e["error"].is_string());
}

#[tokio::test]
async fn writes_need_the_token_when_one_is_configured() {
    let app = app_with(Some("s3cret"), stemma_server::DEFAULT_MAX_BODY);
    let doc = json!({"id": "a", "text": "A short text of a few words."}).to_string();
    let (s, e) = send(&app, "POST", "/v1/documents", Some(doc.clone()), None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(e["error"].as_str().unwrap().contains("Bearer"));
    let (s, _) = send(
        &app,
        "POST",
        "/v1/documents",
        Some(doc.clone()),
        Some("wrong"),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(get(&app, "/healthz").await.1["documents"], 0);
    let (s, _) = send(
        &app,
        "POST",
        "/v1/documents",
        Some(doc.clone()),
        Some("s3cret"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    // Reads and checks need none.
    assert_eq!(get(&app, "/v1/documents/a").await.0, StatusCode::OK);
    assert_eq!(
        send(&app, "POST", "/v1/check", Some(doc), None).await.0,
        StatusCode::OK
    );
}

#[test]
fn a_public_address_without_a_token_is_refused() {
    let cfg = |addr: &str, token: Option<&str>| ServerConfig {
        addr: addr.parse::<SocketAddr>().unwrap(),
        token: token.map(str::to_string),
        max_body: 1000,
    };
    let err = cfg("0.0.0.0:8080", None).check().unwrap_err().to_string();
    assert!(
        err.contains("0.0.0.0:8080") && err.contains("token"),
        "{err}"
    );
    assert!(cfg("192.168.1.4:80", None).check().is_err());
    assert!(cfg("[::]:80", None).check().is_err());
    assert!(cfg("0.0.0.0:8080", Some("t")).check().is_ok());
    assert!(cfg("127.0.0.1:8080", None).check().is_ok());
    assert!(cfg("[::1]:8080", None).check().is_ok());
    assert!(cfg("127.0.0.1:8080", Some(" ")).check().is_err());
    // `run` refuses before binding anything.
    let backend = shared(MemoryBackend::lexical(ScanOptions::default()));
    let r = stemma_server::run(cfg("0.0.0.0:0", None), backend, |_| {
        panic!("must not start")
    });
    assert!(r.is_err());
}

#[tokio::test]
async fn openapi_lists_every_route() {
    let (s, doc) = get(&app(), "/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/v1/documents",
        "/v1/check",
        "/v1/documents/{id}",
        "/v1/documents/{id}/relations",
        "/v1/families/{id}",
        "/v1/families",
        "/v1/search",
        "/v1/compare",
        "/healthz",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
    assert!(doc["paths"]["/v1/documents"]["post"]["security"].is_array());
    assert!(doc["components"]["schemas"]["DocumentIn"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let (s, page) = get(&app(), "/").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.as_str().unwrap().contains("<title>stemma</title>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_and_readers_are_safe() {
    let app = app();
    let docs = sample_docs();
    let writers = 4;
    let per_writer = 6;
    let mut tasks = Vec::new();
    for w in 0..writers {
        let (app, docs) = (app.clone(), docs.clone());
        tasks.push(tokio::spawn(async move {
            for k in 0..per_writer {
                // Each writer stores its own copies of the sample articles.
                let mut d = docs[(w * per_writer + k) % docs.len()].clone();
                d["id"] = json!(format!("w{w}-{k}"));
                let (s, body) = post(&app, "/v1/documents", &d).await;
                assert_eq!(s, StatusCode::OK, "{body}");
                assert_eq!(body["stored"], 1);
            }
        }));
    }
    for r in 0..writers {
        let (app, docs) = (app.clone(), docs.clone());
        tasks.push(tokio::spawn(async move {
            for k in 0..per_writer {
                let (s, body) = post(&app, "/v1/check", &docs[(r + k) % docs.len()]).await;
                assert_eq!(s, StatusCode::OK, "{body}");
                let (s, _) = get(&app, "/v1/search?q=w").await;
                assert_eq!(s, StatusCode::OK);
                let (s, _) = get(&app, "/v1/families").await;
                assert_eq!(s, StatusCode::OK);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let (_, h) = get(&app, "/healthz").await;
    assert_eq!(h["documents"], writers * per_writer);
    for w in 0..writers {
        for k in 0..per_writer {
            let (s, _) = get(&app, &format!("/v1/documents/w{w}-{k}")).await;
            assert_eq!(s, StatusCode::OK);
        }
    }
    // Writers 0 and 2 stored the same articles (indices 0..6 and 12..14, 0..4 of the
    // sample): each second copy found its first as a duplicate, whichever came first.
    let (_, rel) = get(&app, "/v1/documents/w0-0/relations").await;
    assert!(
        rel["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["relation"] == "duplicate"),
        "{rel}"
    );
}

fn disk_app(dir: &std::path::Path, create: bool) -> Router {
    let index = if create {
        stemma_index::DiskIndex::open(dir, ScanOptions::default()).unwrap()
    } else {
        stemma_index::DiskIndex::open_existing(dir).unwrap()
    };
    let config = ServerConfig::new("127.0.0.1:0".parse().unwrap());
    router(shared(stemma_server::DiskBackend::new(index)), &config)
}

#[tokio::test]
async fn the_disk_index_answers_alike_and_keeps_what_it_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let docs = sample_docs();
    let app = disk_app(dir.path(), true);
    // A repeated id (stored or in the same batch) is answered per record; the rest is stored.
    let mut batch = docs.clone();
    batch.push(docs[0].clone());
    let (s, body) = post(&app, "/v1/documents", &Value::Array(batch)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["stored"], 14);
    assert_eq!(body["rejected"], 1);
    assert!(
        body["results"][14]["error"]
            .as_str()
            .unwrap()
            .contains("already indexed")
    );
    let got: Vec<Value> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["pairs"].as_array().cloned().unwrap_or_default())
        .collect();
    assert_json_eq(&Value::Array(got), &Value::Array(batch_pair_lines(&docs)));
    let (_, rel) = get(&app, "/v1/documents/n01/relations").await;
    let (_, fam) = get(&app, "/v1/families/n03").await;
    assert_eq!(fam["family"]["root"], "n01");
    let (_, check) = post(
        &app,
        "/v1/check",
        &json!({"id": "x", "text": docs[5]["text"]}),
    )
    .await;
    assert!(!check["pairs"].as_array().unwrap().is_empty());
    drop(app);

    // Reopened: the same documents, titles, relations and families.
    let app = disk_app(dir.path(), false);
    let (_, h) = get(&app, "/healthz").await;
    assert_eq!(h["documents"], 14);
    let (_, d) = get(&app, "/v1/documents/n07").await;
    assert!(d["title"].as_str().unwrap().contains("Barn owls"));
    let (_, rel2) = get(&app, "/v1/documents/n01/relations").await;
    assert_json_eq(&rel, &rel2);
    let (_, fam2) = get(&app, "/v1/families/n03").await;
    assert_json_eq(&fam, &fam2);
    let (s, _) = get(&app, "/v1/compare?a=n01&b=n02").await;
    assert_eq!(s, StatusCode::OK);
    let (_, r) = get(&app, "/v1/search?q=owls").await;
    assert_eq!(r["documents"].as_array().unwrap().len(), 3);
}
