//! Load generator for `POST /v1/check`: indexes the first N documents of a JSONL corpus, serves
//! them on a loopback port, then sends a bounded number of check requests (documents after the
//! first N, not indexed) from 1, 10 and 50 concurrent clients and prints p50/p99 latency and
//! throughput per level.
//!
//! `cargo run --release -p stemma-server --example check_load -- CORPUS.jsonl [N] [REQUESTS]
//! [--index DIR] [--semantic] [--clients 1,10,50]` (defaults: 10000 documents, 400 requests per
//! level, the in-memory backend, the lexical scorer).
//!
//! - `--index DIR`: the on-disk backend, as `stemma serve --index DIR` serves it. An empty DIR
//!   is filled with the first N documents (batches of 500, each one fsynced write, as
//!   `stemma index add`); an existing index is served as it is (N then only says where the
//!   check documents start), so a large index is built once — e.g. with `stemma index add` —
//!   and measured many times.
//! - `--semantic` (with `--index`): checks run the semantic second pass (`stemma serve
//!   --semantic on`: the model found as `scan` finds it, loaded once). The documents are
//!   indexed lexically first (embedding a whole corpus would take hours), then the index is
//!   reopened with the semantic scorer (`--allow-scorer-change`, recorded in its meta). A check embeds the
//!   sentences of the pairs the band selects that are not cached, as `add` would.

use serde_json::Value;
use std::io::BufRead as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use stemma_index::{DiskIndex, IndexDoc, ModelIdentity, OpenOptions, Scorer};
use stemma_scan::semantic::SemanticPass;
use stemma_server::{Backend as _, DiskBackend, MemoryBackend, NewDocument, ServerConfig};

fn main() {
    let mut positional: Vec<String> = Vec::new();
    let (mut index_dir, mut semantic, mut levels) = (None::<PathBuf>, false, vec![1usize, 10, 50]);
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--index" => index_dir = Some(it.next().expect("--index DIR").into()),
            "--semantic" => semantic = true,
            "--clients" => {
                levels = it
                    .next()
                    .expect("--clients 1,10,50")
                    .split(',')
                    .map(|x| x.trim().parse().expect("a number of clients"))
                    .collect()
            }
            _ => positional.push(a),
        }
    }
    let path = positional.first().expect(
        "usage: check_load CORPUS.jsonl [N] [REQUESTS] [--index DIR] [--semantic] [--clients 1,10,50]",
    );
    let n: usize = positional.get(1).map_or(10_000, |s| s.parse().expect("N"));
    let requests: usize = positional
        .get(2)
        .map_or(400, |s| s.parse().expect("REQUESTS"));
    // An existing index is served as it is: its documents are not read again.
    let indexed = index_dir
        .as_ref()
        .is_some_and(|d| std::fs::read_dir(d).is_ok_and(|mut x| x.next().is_some()));
    let file = std::fs::File::open(path).expect("corpus");
    let mut docs: Vec<NewDocument> = Vec::new();
    let mut skipped = 0;
    for line in std::io::BufReader::new(file).lines() {
        let line = line.expect("line");
        if indexed && skipped < n {
            skipped += 1;
            continue;
        }
        let v: Value = serde_json::from_str(&line).expect("JSON line");
        docs.push(NewDocument {
            id: v["id"].as_str().expect("id").to_string(),
            text: v["text"].as_str().expect("text").to_string(),
            date: v["date"].as_str().and_then(stemma_scan::date::parse_date),
            source: v["source"].as_str().map(str::to_string),
            title: None,
        });
        if skipped + docs.len() >= n + requests {
            break;
        }
    }
    assert!(
        skipped + docs.len() > n,
        "the corpus needs more than {n} documents"
    );
    let queries: Arc<Vec<String>> = Arc::new(
        docs.split_off(n - skipped)
            .into_iter()
            .map(|d| serde_json::json!({"id": d.id, "text": d.text}).to_string())
            .collect(),
    );
    assert!(
        !semantic || index_dir.is_some(),
        "--semantic needs --index DIR (the documents are indexed lexically, then the index is reopened with the semantic scorer)"
    );
    let pass = semantic.then(|| {
        let path = stemma_embed::Embedder::find(None).expect("--semantic: no model found");
        let embedder = stemma_embed::Embedder::load(&path).expect("the model loads");
        let identity =
            ModelIdentity::of_file(stemma_align::SentenceEmbedder::name(&embedder), &path)
                .expect("the model file reads");
        (SemanticPass::new(Arc::new(embedder)), identity)
    });
    let t0 = Instant::now();
    let backend = match &index_dir {
        None => {
            let mut backend = MemoryBackend::lexical(stemma_scan::ScanOptions::default());
            for chunk in docs.chunks(1000) {
                for r in backend.add(chunk.to_vec()) {
                    r.expect("add");
                }
            }
            stemma_server::shared(backend)
        }
        Some(dir) => {
            let open = |scorer: Scorer| -> DiskIndex {
                let options = OpenOptions {
                    create: true,
                    scorer,
                    allow_scorer_change: true,
                    ..OpenOptions::default()
                };
                DiskIndex::open_with(dir, options, Default::default()).expect("index opens")
            };
            let semantic = || {
                pass.as_ref()
                    .map(|(p, id)| Scorer::Semantic(Box::new(p.clone()), id.clone()))
            };
            let mut index = open(match semantic() {
                Some(s) if indexed => s,
                _ => Scorer::Lexical,
            });
            if !indexed {
                for chunk in docs.chunks(500) {
                    index
                        .add(chunk.iter().map(|d| IndexDoc {
                            doc: stemma_scan::InputDoc {
                                id: d.id.clone(),
                                text: d.text.clone(),
                                date: d.date,
                                source: d.source.clone(),
                                decoding: None,
                            },
                            title: None,
                        }))
                        .expect("add");
                }
            }
            if let (Some(s), false) = (semantic(), indexed) {
                drop(index);
                index = open(s);
            }
            stemma_server::shared(DiskBackend::new(index))
        }
    };
    let stats = backend.read().unwrap().stats().unwrap();
    println!(
        "{} backend, {} scorer: {} documents ({} pairs) ready in {:.1}s",
        if index_dir.is_some() {
            "disk"
        } else {
            "memory"
        },
        if pass.is_some() {
            "semantic"
        } else {
            "lexical"
        },
        stats.documents,
        stats.pairs,
        t0.elapsed().as_secs_f64(),
    );
    let mean_len: usize = queries.iter().map(String::len).sum::<usize>() / queries.len();
    println!(
        "{} check queries of ~{mean_len} bytes of JSON",
        queries.len()
    );

    let config = ServerConfig::new("127.0.0.1:0".parse().unwrap());
    let app = stemma_server::router(backend, &config);
    let (tx, rx) = std::sync::mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            stemma_server::serve(listener, app, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
    });
    let addr = rx.recv().unwrap();
    let url = format!("http://{addr}/v1/check");

    println!("| clients | requests | p50 ms | p99 ms | max ms | checks/s | related per check |");
    println!("|---|---|---|---|---|---|---|");
    for clients in levels {
        let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let t = Instant::now();
        let workers: Vec<_> = (0..clients)
            .map(|_| {
                let (next, queries, url) = (next.clone(), queries.clone(), url.clone());
                std::thread::spawn(move || {
                    let agent: ureq::Agent = ureq::Agent::config_builder()
                        .timeout_global(Some(Duration::from_secs(300)))
                        .build()
                        .into();
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= queries.len() {
                            break;
                        }
                        let t = Instant::now();
                        let mut resp = agent
                            .post(&url)
                            .header("Content-Type", "application/json")
                            .send(queries[i].as_str())
                            .expect("check");
                        let v: Value = resp.body_mut().read_json().expect("answer");
                        out.push((t.elapsed(), v["pairs"].as_array().map_or(0, Vec::len)));
                    }
                    out
                })
            })
            .collect();
        let mut lat: Vec<(Duration, usize)> = workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect();
        let wall = t.elapsed();
        lat.sort();
        let ms = |q: f64| {
            let i = ((lat.len() as f64 * q).ceil() as usize).clamp(1, lat.len()) - 1;
            lat[i].0.as_secs_f64() * 1e3
        };
        let related: usize = lat.iter().map(|x| x.1).sum();
        println!(
            "| {clients} | {} | {:.1} | {:.1} | {:.1} | {:.0} | {:.2} |",
            lat.len(),
            ms(0.5),
            ms(0.99),
            ms(1.0),
            lat.len() as f64 / wall.as_secs_f64(),
            related as f64 / lat.len() as f64
        );
    }
    let _ = stop.send(());
    server.join().unwrap();
}
