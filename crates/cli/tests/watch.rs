//! `sitrep watch` and `sitrep ingest URL` through the binary, against a local site: a SIGKILL
//! mid-round loses no acknowledged article, a SIGTERM finishes what is in flight and exits
//! cleanly, and a restart neither fetches nor stores anything twice.

mod common;
use common::{assert_no_panic, sitrep, stderr_of};
use sitrep_testsite::{Response, Site};
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::Duration;

const DATE: &str = "Wed, 01 Feb 2023 10:00:00 GMT";

/// Three feeds of ten summary items each; every page takes `delay` to answer.
fn slow_site(delay: Duration) -> Site {
    Site::start(move |req| {
        let b = req.base();
        let path = req.path.clone();
        if let Some(feed) = path.strip_prefix("/feed/") {
            let f: u64 = feed.parse().unwrap_or(0);
            let items: String = (0..10)
                .map(|i| {
                    let n = f * 100 + i;
                    format!("<item><title>Dispatch {n}</title><guid>d{n}</guid><link>{b}/page/{n}</link><pubDate>{DATE}</pubDate><description>Summary.</description></item>")
                })
                .collect();
            return Response::xml(format!(
                "<rss version=\"2.0\"><channel><title>Slow Wire</title>{items}</channel></rss>"
            ));
        }
        if let Some(n) = path.strip_prefix("/page/") {
            std::thread::sleep(delay);
            let n: u64 = n.parse().unwrap_or(0);
            return Response::html(sitrep_testsite::article_page(n));
        }
        Response::status(404)
    })
}

fn sources_file(dir: &std::path::Path, site: &Site) -> std::path::PathBuf {
    let path = dir.join("sources.txt");
    let lines: Vec<String> = (1..=3)
        .map(|f| format!("{} every=1h", site.url(&format!("/feed/{f}"))))
        .collect();
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

fn spawn_watch(db: &std::path::Path, sources: &std::path::Path, extra: &[&str]) -> Child {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("sitrep"));
    cmd.env_remove("SITREP_DB")
        .arg("--db")
        .arg(db)
        .arg("watch")
        .arg(sources)
        .args([
            "--json",
            "--no-annotate",
            "--host-delay",
            "0s",
            "--concurrency",
            "1",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.spawn().unwrap()
}

/// Reads JSON status lines until one of `kind` arrives.
fn next_line(
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
    kind: &str,
) -> serde_json::Value {
    next_line_of(lines, &[kind])
}

/// Reads JSON status lines until one of any of `kinds` arrives.
fn next_line_of(
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
    kinds: &[&str],
) -> serde_json::Value {
    for line in lines.by_ref() {
        let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        if kinds.iter().any(|k| v["type"] == *k) {
            return v;
        }
    }
    panic!("no {kinds:?} line");
}

fn stored_articles(db: &std::path::Path) -> i64 {
    let store = sitrep_store::Store::open(db).unwrap();
    assert!(store.check_integrity().unwrap().is_empty());
    store.stats().unwrap().articles
}

#[test]
fn a_sigkill_mid_round_loses_no_acknowledged_article_and_a_restart_stores_nothing_twice() {
    let site = slow_site(Duration::from_millis(60));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let sources = sources_file(dir.path(), &site);
    let mut child = spawn_watch(&db, &sources, &["--once"]);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = next_line(&mut lines, "source");
    child.kill().unwrap(); // SIGKILL, mid-round: the second feed is in flight
    child.wait().unwrap();
    let acknowledged = first["added"].as_i64().unwrap();
    assert_eq!(acknowledged, 10, "{first}");
    let after_kill = stored_articles(&db);
    assert!(
        after_kill >= acknowledged && after_kill < 30,
        "{after_kill}"
    );

    let out = sitrep()
        .arg("--db")
        .arg(&db)
        .args(["watch", "--once", "--no-annotate", "--host-delay", "0s"])
        .arg(&sources)
        .output()
        .unwrap();
    assert_no_panic(&out);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(stored_articles(&db), 30);
    let listed = sitrep()
        .arg("--db")
        .arg(&db)
        .args(["sources", "--format", "json"])
        .output()
        .unwrap();
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed.len(), 3);
    let articles: i64 = listed.iter().map(|s| s["articles"].as_i64().unwrap()).sum();
    assert_eq!(articles, 30);
    assert!(listed
        .iter()
        .all(|s| s["last_status"] == "ok" && s["etag"].is_null()));
    let first_feed = first["source"].as_str().unwrap();
    let f: u64 = first_feed.rsplit('/').next().unwrap().parse().unwrap();
    for i in 0..10 {
        assert_eq!(
            site.hits(&format!("/page/{}", f * 100 + i)),
            1,
            "fetched once"
        );
    }
}

#[test]
fn a_sigterm_finishes_the_source_in_flight_and_exits_cleanly() {
    let site = slow_site(Duration::from_millis(50));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let sources = sources_file(dir.path(), &site);
    let mut child = spawn_watch(&db, &sources, &[]);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut polled = vec![next_line(&mut lines, "source")];
    let term = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let round = loop {
        let line = next_line_of(&mut lines, &["source", "round"]);
        if line["type"] == "round" {
            break line;
        }
        polled.push(line);
    };
    assert_eq!(round["stopped"], true);
    assert_eq!(polled.len() as u64, round["sources"].as_u64().unwrap());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    // Whatever the round acknowledged is stored, and every feed it took was finished: each of
    // its ten items stored or named as failed (a page fetch may fail on a loaded machine).
    assert_eq!(stored_articles(&db), round["added"].as_i64().unwrap());
    for source in &polled {
        let done = source["added"].as_i64().unwrap() + source["failed_items"].as_i64().unwrap();
        assert_eq!(done, 10, "{source}");
    }
}

#[test]
fn ingest_fetches_web_addresses_and_names_the_ones_that_fail() {
    let site = slow_site(Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("i.db");
    let out = sitrep()
        .arg("--db")
        .arg(&db)
        .args(["ingest", "--quiet", "--host-delay", "0s"])
        .arg(site.url("/feed/4"))
        .arg(site.url("/nowhere"))
        .output()
        .unwrap();
    assert_no_panic(&out);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}: fetch failed: HTTP 404: the page is gone",
            site.url("/nowhere")
        )),
        "{stderr}"
    );
    assert!(stderr.contains("added                 10"), "{stderr}");
    assert_eq!(stored_articles(&db), 10);
}
