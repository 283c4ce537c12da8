//! The page in a real browser: headless Chromium driven through chromedriver (WebDriver).
//! Ignored by default (it needs Chromium and an index built from `../shared`): run it with
//! `bash bench/serve_browser_test.sh`, which installs Chromium when missing, builds the
//! index and sets the variables below.
//!
//! - `REPRINT_BROWSER_INDEX`: the index to serve;
//! - `REPRINT_BROWSER_QUERY`: a text file to paste into the page;
//! - `REPRINT_BROWSER_EXPECT`: the id that must be listed first, as `derived`;
//! - `REPRINT_BROWSER_SHOTS`: where the screenshots go;
//! - `CHROMEDRIVER`, `CHROMIUM`: the programs (default `/usr/bin/chromedriver`,
//!   `/usr/bin/chromium`).
//!
//! Nothing sleeps: every step waits for the element that shows the previous one is done.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use fantoccini::{Client, ClientBuilder, Locator};
use reprint_serve::{Config, Service};

const SOURCE: &str = include_str!("../../../reprint/tests/fixtures/harbour_source.txt");
const REWRITE: &str = include_str!("../../../reprint/tests/fixtures/harbour_rewrite.txt");

fn var(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: run bench/serve_browser_test.sh"))
}

/// chromedriver on a port it reports; killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start() -> Driver {
        let program =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
            l.local_addr().expect("port").port()
        };
        let mut child = Command::new(&program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {program}: {e}"));
        // Wait for the line that says it listens (no sleeping).
        let out = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(out).lines();
        loop {
            let line = lines
                .next()
                .expect("chromedriver exited before it was ready")
                .expect("chromedriver output");
            if line.contains("started successfully") {
                break;
            }
        }
        // Keep draining its output so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn browser(driver: &Driver) -> Client {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1280,1800"],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a browser session")
}

async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .expect("text")
}

/// The id of the element that has the focus.
async fn focused_id(c: &Client) -> Option<String> {
    let e = c.active_element().await.expect("the focused element");
    e.attr("id").await.expect("its id")
}

async fn click(c: &Client, id: &str) {
    let e = c
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"));
    e.click()
        .await
        .unwrap_or_else(|e| panic!("click #{id}: {e}"));
}

/// Types `text` into the field `id`, key by key, as a user pasting would fill it.
async fn type_into(c: &Client, id: &str, text: &str) {
    let e = c
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"));
    e.send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("typing into #{id}: {e}"));
}

async fn shot(c: &Client, dir: &std::path::Path, name: &str) -> PathBuf {
    let png = c.screenshot().await.expect("screenshot");
    let path = dir.join(name);
    std::fs::write(&path, png).expect("write the screenshot");
    eprintln!("screenshot: {}", path.display());
    path
}

/// Follows the first passage link of the changed facts under `scope`: the passage in A
/// takes the focus, and it and its counterpart in B are lit.
async fn follow_a_passage(c: &Client, scope: &str) {
    let link = c
        .find(Locator::Css(&format!("{scope} a.to-al")))
        .await
        .expect("a changed fact links its passage");
    let target = link
        .attr("data-target")
        .await
        .expect("attr")
        .expect("target");
    link.click().await.expect("follow");
    assert_eq!(focused_id(c).await.as_deref(), Some(target.as_str()));
    let counterpart = target.replace("-a-al-", "-b-al-");
    assert_ne!(counterpart, target);
    c.wait()
        .for_element(Locator::Css(&format!("#{counterpart}.hl")))
        .await
        .expect("the counterpart in B is lit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium and an index from ../shared: bash bench/serve_browser_test.sh"]
async fn browser_finds_the_source_of_a_pasted_rewrite() {
    let index = PathBuf::from(var("REPRINT_BROWSER_INDEX"));
    let query = std::fs::read_to_string(var("REPRINT_BROWSER_QUERY")).expect("the query text");
    let expect = var("REPRINT_BROWSER_EXPECT");
    let shots = PathBuf::from(var("REPRINT_BROWSER_SHOTS"));
    std::fs::create_dir_all(&shots).expect("screenshot directory");

    let service = Service::open(Config {
        index: Some(index),
        ..Config::default()
    })
    .expect("the service opens the index");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let base = format!("http://{}/", listener.local_addr().expect("addr"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn({
        let service = service.clone();
        async move {
            reprint_serve::serve(listener, &service, async {
                let _ = stopped.await;
            })
            .await
        }
    });

    let driver = Driver::start();
    let c = browser(&driver).await;
    let session = c.clone();
    let result = async move {
        let c = session;
        c.goto(&base).await.expect("the page loads");
        // The page has asked the service what it holds.
        c.wait()
            .for_element(Locator::XPath(
                "//p[@id='service-status' and starts-with(., 'Index:')]",
            ))
            .await
            .expect("the status line names the index");

        // Paste the rewrite, submit, and wait for the ranked sources.
        type_into(&c, "q-text", &query).await;
        click(&c, "q-submit").await;
        c.wait()
            .for_element(Locator::Css(
                "#q-results:not([hidden]) #sources li .source-btn",
            ))
            .await
            .expect("sources are listed");
        let first = c
            .find(Locator::Css("#sources li:first-child .source-btn"))
            .await
            .expect("first source");
        let id = first.attr("data-id").await.expect("data-id");
        let label = text_of(&c, "#sources li:first-child .badge").await;
        let listed = text_of(&c, "#sources").await;
        eprintln!("sources as listed:\n{listed}");
        assert_eq!(id.as_deref(), Some(expect.as_str()), "first source");
        assert_eq!(label, "derived");
        shot(&c, &shots, "query-sources.png").await;

        // Open it side by side: the detail heading takes the focus.
        first.click().await.expect("open the first source");
        c.wait()
            .for_element(Locator::Css("#q-detail:not([hidden]) .side-by-side a.al"))
            .await
            .expect("side by side");
        assert_eq!(focused_id(&c).await.as_deref(), Some("q-detail-h"));
        let verdict = text_of(&c, "#q-detail-body .verdict .badge").await;
        assert_eq!(verdict, "derived");
        shot(&c, &shots, "query-detail.png").await;
        follow_a_passage(&c, "#q-detail-body").await;
        shot(&c, &shots, "query-side-by-side.png").await;

        // The second tab, with texts written for the tests, at a phone's width.
        c.set_window_size(390, 1400).await.expect("phone width");
        click(&c, "tab-compare").await;
        type_into(&c, "c-a", SOURCE).await;
        type_into(&c, "c-b", REWRITE).await;
        click(&c, "c-submit").await;
        c.wait()
            .for_element(Locator::Css("#c-result:not([hidden]) .side-by-side a.al"))
            .await
            .expect("the comparison shows");
        assert_eq!(text_of(&c, "#c-body .verdict .badge").await, "derived");
        shot(&c, &shots, "compare-phone.png").await;
        follow_a_passage(&c, "#c-body").await;
        shot(&c, &shots, "compare-phone-passage.png").await;
    };
    // Close the browser whatever happened, then report.
    let outcome = futures_catch(result).await;
    let _ = c.close().await;
    drop(driver);
    let _ = stop.send(());
    let _ = server.await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// Runs `f` to completion, catching a panic so the browser can be closed first.
async fn futures_catch<F: std::future::Future<Output = ()> + Send + 'static>(
    f: F,
) -> Result<(), Box<dyn std::any::Any + Send>> {
    match tokio::spawn(f).await {
        Ok(()) => Ok(()),
        Err(e) if e.is_panic() => Err(e.into_panic()),
        Err(e) => Err(Box::new(e.to_string())),
    }
}
