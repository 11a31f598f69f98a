//! Load generator for `POST /v1/check`: indexes the first N documents of a JSONL corpus in an
//! in-memory server (lexical scorer) on a loopback port, then sends a bounded number of check
//! requests (documents after the first N, not indexed) from 1, 10 and 50 concurrent clients
//! and prints p50/p99 latency and throughput per level.
//!
//! `cargo run --release -p stemma-server --example check_load -- CORPUS.jsonl [N] [REQUESTS]`
//! (defaults: 10000 documents, 400 requests per level).

use serde_json::Value;
use std::io::BufRead as _;
use std::sync::Arc;
use std::time::{Duration, Instant};
use stemma_server::{Backend as _, MemoryBackend, NewDocument, ServerConfig};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .expect("usage: check_load CORPUS.jsonl [N] [REQUESTS]");
    let n: usize = args.get(2).map_or(10_000, |s| s.parse().expect("N"));
    let requests: usize = args.get(3).map_or(400, |s| s.parse().expect("REQUESTS"));
    let file = std::fs::File::open(path).expect("corpus");
    let mut docs: Vec<NewDocument> = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        let v: Value = serde_json::from_str(&line.expect("line")).expect("JSON line");
        docs.push(NewDocument {
            id: v["id"].as_str().expect("id").to_string(),
            text: v["text"].as_str().expect("text").to_string(),
            date: v["date"].as_str().and_then(stemma_scan::date::parse_date),
            source: v["source"].as_str().map(str::to_string),
            title: None,
        });
        if docs.len() >= n + requests {
            break;
        }
    }
    assert!(docs.len() > n, "the corpus needs more than {n} documents");
    let queries: Arc<Vec<String>> = Arc::new(
        docs.split_off(n)
            .into_iter()
            .map(|d| serde_json::json!({"id": d.id, "text": d.text}).to_string())
            .collect(),
    );
    let mean_len: usize = queries.iter().map(String::len).sum::<usize>() / queries.len();
    let t0 = Instant::now();
    let mut backend = MemoryBackend::lexical(stemma_scan::ScanOptions::default());
    for chunk in docs.chunks(1000) {
        for r in backend.add(chunk.to_vec()) {
            r.expect("add");
        }
    }
    let stats = backend.stats().unwrap();
    println!(
        "indexed {} documents ({} pairs) in {:.1}s; {} check queries of ~{} bytes of JSON",
        stats.documents,
        stats.pairs,
        t0.elapsed().as_secs_f64(),
        queries.len(),
        mean_len
    );

    let config = ServerConfig::new("127.0.0.1:0".parse().unwrap());
    let app = stemma_server::router(stemma_server::shared(backend), &config);
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
    for clients in [1usize, 10, 50] {
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
