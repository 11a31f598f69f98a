//! The web page in a real browser: Debian's `chromium`, driven headless through
//! `chromedriver` (WebDriver over HTTP, with a minimal client written here). The test serves
//! the sample corpus without `n03`, pastes n03's text into the page, waits for its source n01
//! to appear as a near-duplicate, opens the side-by-side view, then draws n01's family.
//!
//! Without `chromium` and `chromedriver` on the PATH the test prints a loud skip message and
//! passes, unless `STEMMA_REQUIRE_BROWSER=1` (set by .ci/run), where it fails.

use serde_json::{Value, json};
use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use stemma_server::{Backend as _, MemoryBackend, NewDocument, ServerConfig};

const SAMPLE: &str = include_str!("../../../samples/corpus/news.jsonl");
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long a page may take to show what the test waits for.
const WAIT: Duration = Duration::from_secs(60);

fn on_path(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| std::path::Path::new(d).join(name))
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A child process killed when dropped (chromedriver, which ends its browsers).
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A WebDriver session.
struct Session {
    agent: ureq::Agent,
    base: String,
    id: String,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

fn call(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    body: Option<Value>,
) -> Result<Value, String> {
    let resp = match (method, body) {
        ("GET", _) => agent.get(url).call(),
        ("DELETE", _) => agent.delete(url).call(),
        (_, b) => agent.post(url).send_json(b.unwrap_or_else(|| json!({}))),
    };
    let mut resp = resp.map_err(|e| format!("{method} {url}: {e}"))?;
    let status = resp.status();
    let v: Value = resp
        .body_mut()
        .read_json()
        .map_err(|e| format!("{method} {url}: {e}"))?;
    if !status.is_success() {
        return Err(format!("{method} {url}: {status} {}", v["value"]));
    }
    Ok(v["value"].clone())
}

impl Session {
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}/session/{}{path}", self.base, self.id);
        call(&self.agent, method, &url, body)
    }

    fn find(&self, css: &str) -> Result<String, String> {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        )?;
        Ok(v[ELEMENT]
            .as_str()
            .ok_or_else(|| format!("no element id in {v}"))?
            .to_string())
    }

    /// Waits until `css` matches an element (displayed), and returns it.
    fn wait_for(&self, css: &str) -> String {
        let t0 = Instant::now();
        loop {
            let shown = self.script_with(
                "var e = document.querySelector(arguments[0]); \
                 return String(!!e && e.getClientRects().length > 0);",
                json!([css]),
            );
            if shown.as_deref() == Ok("true")
                && let Ok(e) = self.find(css)
            {
                return e;
            }
            assert!(
                t0.elapsed() < WAIT,
                "`{css}` did not appear ({shown:?}, {:?}); page text: {}",
                self.find(css),
                self.script("return document.body.innerText")
                    .unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn click(&self, e: &str) {
        self.cmd("POST", &format!("/element/{e}/click"), Some(json!({})))
            .unwrap();
    }

    fn text(&self, e: &str) -> String {
        self.cmd("GET", &format!("/element/{e}/text"), None)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    fn type_into(&self, e: &str, text: &str) {
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        )
        .unwrap();
    }

    fn script(&self, js: &str) -> Result<String, String> {
        self.script_with(js, json!([]))
    }

    fn script_with(&self, js: &str, args: Value) -> Result<String, String> {
        let v = self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": js, "args": args})),
        )?;
        Ok(match v {
            Value::String(s) => s,
            other => other.to_string(),
        })
    }
}

/// Serves `docs` on a free loopback port from a thread of its own; returns the address and
/// a sender that stops it.
fn start_server(docs: Vec<NewDocument>) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let mut backend = MemoryBackend::lexical(stemma_scan::ScanOptions::default());
    for r in backend.add(docs) {
        r.unwrap();
    }
    let config = ServerConfig::new("127.0.0.1:0".parse().unwrap());
    let app = stemma_server::router(stemma_server::shared(backend), &config);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
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
    (rx.recv().unwrap(), stop)
}

fn sample() -> Vec<Value> {
    SAMPLE
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn paste_an_article_see_its_source_and_open_the_side_by_side_view() {
    let required = std::env::var("STEMMA_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let (Some(chromium), Some(driver)) = (on_path("chromium"), on_path("chromedriver")) else {
        assert!(
            !required,
            "STEMMA_REQUIRE_BROWSER=1 but chromium or chromedriver is not on the PATH \
             (apt-get install -y chromium chromium-driver)"
        );
        eprintln!(
            "\n\n**********\nSKIPPED: the browser test needs `chromium` and `chromedriver` \
             (apt-get install -y chromium chromium-driver)\n**********\n"
        );
        return;
    };

    let docs = sample();
    let n03 = docs.iter().find(|d| d["id"] == "n03").unwrap().clone();
    let stored: Vec<NewDocument> = docs
        .iter()
        .filter(|d| d["id"] != "n03")
        .map(|d| NewDocument {
            id: d["id"].as_str().unwrap().into(),
            text: d["text"].as_str().unwrap().into(),
            date: stemma_scan::date::parse_date(d["date"].as_str().unwrap()),
            source: d["source"].as_str().map(str::to_string),
            title: d["title"].as_str().map(str::to_string),
        })
        .collect();
    let (addr, stop) = start_server(stored);

    let port = free_port();
    let _driver = Killed(
        Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting chromedriver"),
    );
    let base = format!("http://127.0.0.1:{port}");
    let agent = agent();
    let t0 = Instant::now();
    while call(&agent, "GET", &format!("{base}/status"), None)
        .map(|v| v["ready"] != json!(true))
        .unwrap_or(true)
    {
        assert!(t0.elapsed() < WAIT, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let profile = tempfile::tempdir().unwrap();
    let caps = json!({"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium.to_str().unwrap(),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }
    }}});
    let created = call(&agent, "POST", &format!("{base}/session"), Some(caps))
        .expect("starting a Chromium session");
    let s = Session {
        agent,
        base,
        id: created["sessionId"].as_str().unwrap().to_string(),
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        drive(&s, addr, &n03);
    }));
    let _ = s.cmd("DELETE", "", None);
    let _ = stop.send(());
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

fn drive(s: &Session, addr: SocketAddr, n03: &Value) {
    s.cmd(
        "POST",
        "/url",
        Some(json!({"url": format!("http://{addr}/")})),
    )
    .unwrap();
    let stats = s.wait_for("#stats");
    let t0 = Instant::now();
    while !s.text(&stats).contains("13 documents") {
        assert!(t0.elapsed() < WAIT, "stats: {}", s.text(&stats));
        std::thread::sleep(Duration::from_millis(100));
    }

    // Paste the article (as a paste does: the whole text at once), type an id, check.
    let area = s.wait_for("#text");
    s.script_with(
        "var t = document.getElementById('text'); t.value = arguments[0]; \
         t.dispatchEvent(new Event('input')); return 'ok';",
        json!([n03["text"]]),
    )
    .unwrap();
    assert_eq!(
        s.script("return String(document.getElementById('text').value.length)")
            .unwrap(),
        n03["text"].as_str().unwrap().len().to_string()
    );
    let _ = area;
    let id = s.find("#docid").unwrap();
    s.type_into(&id, "my-article");
    s.click(&s.find("#check").unwrap());

    // The source appears, ranked, with its relation and direction.
    let row = s.wait_for("tr.result[data-id='n01']");
    let text = s.text(&row);
    assert!(text.contains("near-duplicate"), "{text}");
    assert!(text.contains("source of my-article"), "{text}");
    let first = s.find("tr.result").unwrap();
    assert_eq!(s.text(&first), text, "the best match is ranked first");

    // Open it side by side: the compare view in the frame, both texts marked up.
    let open = s
        .cmd(
            "POST",
            &format!("/element/{row}/element"),
            Some(json!({"using": "css selector", "value": "button.open"})),
        )
        .unwrap()[ELEMENT]
        .as_str()
        .unwrap()
        .to_string();
    s.click(&open);
    let frame = s.wait_for("#view-frame");
    s.cmd("POST", "/frame", Some(json!({"id": {ELEMENT: frame}})))
        .unwrap();
    let cmp = s.wait_for(".stm-cmp");
    let view = s.text(&cmp);
    assert!(
        view.contains("n01") && view.contains("my-article"),
        "{view}"
    );
    assert!(view.contains("A 90-year-old water main burst"), "{view}");
    let summary = s.text(&s.find(".stm-summary").unwrap());
    assert!(summary.contains("near-duplicate"), "{summary}");
    let marked = s
        .script("return String(document.querySelectorAll('.stm-cmp .al').length)")
        .unwrap();
    assert!(
        marked.parse::<usize>().unwrap() >= 2,
        "aligned passages: {marked}"
    );
    s.cmd("POST", "/frame/parent", Some(json!({}))).unwrap();
    s.click(&s.find("#view-close").unwrap());

    // Families: n01's family drawn as SVG, a node per member.
    s.click(&s.find("nav button[data-tab='families']").unwrap());
    let fam = s.wait_for("#families-list button");
    let _ = fam;
    let list = s.text(&s.find("#families-list").unwrap());
    assert!(list.contains("n01"), "{list}");
    s.script(
        "var b = Array.from(document.querySelectorAll('#families-list button')).find(function (x) { return x.textContent.indexOf('n01') >= 0; }); b.click(); return 'ok';",
    )
    .unwrap();
    s.wait_for("#family-graph svg g.stm-node[data-doc='n02']");
    let nodes = s
        .script("return String(document.querySelectorAll('#family-graph svg g.stm-node').length)")
        .unwrap();
    assert_eq!(nodes, "2", "n01 and its duplicate n02 (n03 is not stored)");
    let edge = s.text(&s.find("#family-graph svg .stm-edge-label").unwrap());
    assert_eq!(edge, "duplicate");
}
