//! Headless Chromium driven through chromedriver, on the built site served from loopback.
//!
//! The site is served under a sub-path (/statefulset-lab/) to prove it works from any path, the
//! way GitHub Pages serves a project. A test that cannot start the browser fails; it never skips.

#![allow(dead_code)]

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};

pub const BASE_PATH: &str = "/statefulset-lab/";

fn env_path(name: &str, fallback: &str) -> PathBuf {
    std::env::var_os(name).map(PathBuf::from).unwrap_or_else(|| PathBuf::from(fallback))
}

/// The static server for dist/: one per test process. Records every path it was asked for.
pub struct Site {
    pub origin: String,
    pub requests: Arc<Mutex<Vec<String>>>,
}

pub fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let dist = env_path("STS_LAB_DIST", "dist");
        assert!(
            dist.join("index.html").is_file(),
            "no built site at {} (run `cargo xtask dist` or `cargo xtask test`)",
            dist.display()
        );
        let server = tiny_http::Server::http("127.0.0.1:0").expect("bind a loopback port for the site");
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let url = request.url().split(['?', '#']).next().unwrap_or("/").to_string();
                log.lock().unwrap().push(url.clone());
                let file = url
                    .strip_prefix(BASE_PATH)
                    .map(|rest| if rest.is_empty() { "index.html" } else { rest })
                    .filter(|rest| !rest.split('/').any(|part| part == ".."))
                    .map(|rest| dist.join(rest));
                let response = match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
                    Some((path, body)) => {
                        let mime = match path.extension().and_then(|e| e.to_str()) {
                            Some("html") => "text/html; charset=utf-8",
                            Some("js") => "text/javascript",
                            Some("wasm") => "application/wasm",
                            Some("css") => "text/css",
                            Some("svg") => "image/svg+xml",
                            Some("json") => "application/json",
                            _ => "text/plain; charset=utf-8",
                        };
                        let header = tiny_http::Header::from_bytes("Content-Type", mime).unwrap();
                        tiny_http::Response::from_data(body).with_header(header).boxed()
                    }
                    None => tiny_http::Response::from_string("not found").with_status_code(404).boxed(),
                };
                let _ = request.respond(response);
            }
        });
        Site { origin: format!("http://127.0.0.1:{port}"), requests }
    })
}

struct Driver {
    url: String,
    _child: Child,
}

fn driver() -> &'static Driver {
    static DRIVER: OnceLock<Driver> = OnceLock::new();
    DRIVER.get_or_init(|| {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
            l.local_addr().unwrap().port()
        };
        let binary = env_path("STS_LAB_CHROMEDRIVER", "chromedriver");
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {} ({e}): the browser tests need chromedriver", binary.display()));
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen on port {port} within 20 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { url: format!("http://127.0.0.1:{port}"), _child: child }
    })
}

/// One fresh browser (new profile) on one page of the site.
pub struct Browser {
    pub client: Client,
    _profile: TempDir,
}

struct TempDir(PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Browser {
    /// Opens `path` (relative to the site's base, e.g. "" or "#share=...") at width x height and
    /// waits until the app has mounted.
    pub async fn open(path: &str, width: u32, height: u32) -> Browser {
        let profile = std::env::temp_dir().join(format!(
            "sts-lab-e2e-{}-{}",
            std::process::id(),
            Instant::now().elapsed().as_nanos() ^ (rand_ish() as u128)
        ));
        let _ = std::fs::create_dir_all(&profile);
        let chromium = env_path("STS_LAB_CHROMIUM", "/usr/bin/chromium");
        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--hide-scrollbars",
                    format!("--user-data-dir={}", profile.display()),
                    format!("--window-size={width},{height}"),
                    // The screen headless Chromium reports (full screen takes its size).
                    format!("--screen-info={{{width}x{height}}}"),
                ]
            }),
        );
        // Headless Chromium keeps a window at least 500 px wide: a phone is emulated instead.
        if width < 500 {
            caps["goog:chromeOptions"]["mobileEmulation"] = serde_json::json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1.0, "touch": true, "mobile": true }
            });
        }
        caps.insert("goog:loggingPrefs".into(), serde_json::json!({ "browser": "ALL" }));

        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&driver().url)
            .await
            .expect("start headless Chromium through chromedriver");
        let url = format!("{}{}{}", site().origin, BASE_PATH, path);
        client.goto(&url).await.expect("load the site");
        let browser = Browser { client, _profile: TempDir(profile) };
        browser.wait_for("#app").await;
        browser
    }

    /// Waits (up to 20 s) for an element matching `css`.
    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element `{css}` within 20 s: {e}"))
    }

    /// Waits until `script` (a JS expression) is truthy.
    pub async fn wait_until(&self, what: &str, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let v = self.eval(script).await;
            if v.as_bool() == Some(true) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what} (`{script}` is {v})");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn eval(&self, expression: &str) -> serde_json::Value {
        self.client
            .execute(&format!("return ({expression});"), vec![])
            .await
            .unwrap_or_else(|e| panic!("script `{expression}` failed: {e}"))
    }

    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.unwrap_or_default()
    }

    pub async fn count(&self, css: &str) -> usize {
        self.client.find_all(Locator::Css(css)).await.map(|v| v.len()).unwrap_or(0)
    }

    pub async fn click(&self, css: &str) {
        self.wait_for(css).await.click().await.unwrap_or_else(|e| panic!("click `{css}`: {e}"));
    }

    /// Saves a PNG under target/e2e-screens/ for a person to look at.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e-screens");
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Console messages at level SEVERE (errors, uncaught exceptions, failed loads) so far.
    pub async fn console_errors(&self) -> Vec<String> {
        let log = self.client.issue_cmd(BrowserLog).await.expect("read the browser console");
        log.as_array()
            .map(|entries| {
                entries
                    .iter()
                    .filter(|e| e["level"] == "SEVERE")
                    .map(|e| e["message"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// One Chrome DevTools Protocol command, through chromedriver.
    pub async fn cdp(&self, command: &'static str, params: serde_json::Value) -> serde_json::Value {
        self.client.issue_cmd(Cdp(command, params)).await.unwrap_or_else(|e| panic!("{command}: {e}"))
    }

    /// Seconds the page's main thread has spent in tasks so far (scripts, style, layout, paint), as
    /// Chromium counts them (`Performance.getMetrics` TaskDuration; needs `Performance.enable`).
    pub async fn task_seconds(&self) -> f64 {
        let metrics = self.cdp("Performance.getMetrics", serde_json::json!({})).await;
        let list =
            metrics["metrics"].as_array().or(metrics["value"]["metrics"].as_array()).cloned().unwrap_or_default();
        list.iter().find(|m| m["name"] == "TaskDuration").and_then(|m| m["value"].as_f64()).unwrap_or(f64::NAN)
    }

    pub async fn assert_no_console_errors(&self) {
        let errors = self.console_errors().await;
        assert!(errors.is_empty(), "the console has errors:\n{}", errors.join("\n"));
    }

    /// Presses keys on the page as a keyboard user would (focus stays where it is).
    pub async fn press(&self, keys: &str) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".into());
        for c in keys.chars() {
            actions = actions.then(KeyAction::Down { value: c }).then(KeyAction::Up { value: c });
        }
        self.client.perform_actions(actions).await.unwrap_or_else(|e| panic!("press {keys:?}: {e}"));
    }

    /// Ctrl plus one key, held together (Ctrl-C in the terminal).
    pub async fn ctrl(&self, c: char) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        const CONTROL: char = '\u{E009}';
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: CONTROL })
            .then(KeyAction::Down { value: c })
            .then(KeyAction::Up { value: c })
            .then(KeyAction::Up { value: CONTROL });
        self.client.perform_actions(actions).await.unwrap_or_else(|e| panic!("ctrl {c:?}: {e}"));
    }

    /// Pastes `text` over the editor's whole text as the browser does: a `paste` event carrying
    /// it, and, unless the app takes it (a paste too long for the text box goes to its read-only
    /// view), the text box's new value and its `input` event.
    pub async fn paste(&self, text: &str) {
        let script = format!("{PASTE_JS} return true;");
        self.client.execute(&script, vec![serde_json::json!(text)]).await.expect("paste into the editor");
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// Script for [`Browser::paste`], the text in `arguments[0]`.
pub const PASTE_JS: &str = "const text = arguments[0]; \
    const view = document.querySelector('.editor .read-only'); const box = document.querySelector('.editor textarea'); \
    const target = view || box; if (!view) { box.setSelectionRange(0, box.value.length); } \
    const data = new DataTransfer(); data.setData('text/plain', text); \
    const ev = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }); \
    if (target.dispatchEvent(ev) && !view) { box.value = text; box.dispatchEvent(new Event('input', { bubbles: true })); }";

fn rand_ish() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(7);
    h.finish()
}

/// chromedriver's log endpoint (not in the W3C protocol, so fantoccini has no method for it).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_string()))
    }
}

/// chromedriver's DevTools passthrough (`goog/cdp/execute`): one Chrome DevTools Protocol command.
#[derive(Debug)]
struct Cdp(&'static str, serde_json::Value);
impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }
    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(serde_json::json!({ "cmd": self.0, "params": self.1 }).to_string()))
    }
}
