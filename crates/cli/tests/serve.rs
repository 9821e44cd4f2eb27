//! `sitrep serve` against the demo corpus: the API's answers and errors, its token, its
//! limits, and its OpenAPI document checked against the running server by schemathesis.

mod common;
use common::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A running server over a store of the demo corpus; stopped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn server(extra: &[&str]) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let (db, gazetteer) = demo_store(dir.path());
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("sitrep"))
        .env_remove("SITREP_TOKEN")
        .env("SITREP_GAZETTEER", &gazetteer)
        .arg("--db")
        .arg(&db)
        .args(["serve", "--port", "0", "--max-body", "100000"])
        .args(extra)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server says where it listens")
            .unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    // Keep draining its log so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server {
        child,
        addr,
        _dir: dir,
    }
}

/// One HTTP/1.1 request: (status, JSON body).
fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[&str],
    body: &[u8],
) -> (u16, Value) {
    let mut stream = TcpStream::connect(addr).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for h in headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    // A refused body may be cut off mid-way: the answer still comes.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status: u16 = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text:?}"));
    let body = text.split("\r\n\r\n").nth(1).unwrap_or_default();
    // The body may be sent in chunks: keep the JSON between the first { and the last }.
    let json = match (body.find('{'), body.rfind('}')) {
        (Some(a), Some(b)) => &body[a..=b],
        _ => "null",
    };
    (status, serde_json::from_str(json).unwrap_or(Value::Null))
}

fn get(s: &Server, path: &str) -> (u16, Value) {
    request(s.addr, "GET", path, &[], b"")
}

fn error_message(v: &Value) -> &str {
    v["error"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("not an error: {v}"))
}

#[test]
fn reads_answer_pages_documents_and_clear_json_errors() {
    let s = server(&["--token", "s3cret"]);
    let (status, events) = get(&s, "/api/events?mode=alleged&limit=5");
    assert_eq!(status, 200, "{events}");
    let items = events["items"].as_array().unwrap();
    assert!(!items.is_empty() && items.len() <= 5);
    assert!(items.iter().all(|e| e["mode"] == "alleged"));
    assert!(events["total"].as_u64().unwrap() >= items.len() as u64);
    // The next page continues where this one stopped.
    let (_, all) = get(&s, "/api/events?mode=alleged&limit=1000");
    let (_, second) = get(&s, "/api/events?mode=alleged&limit=5&offset=5");
    assert_eq!(
        second["items"].as_array().unwrap()[..],
        all["items"].as_array().unwrap()[5..10.min(all["items"].as_array().unwrap().len())]
    );

    let id = items[0]["article_id"].as_str().unwrap();
    let (status, doc) = get(&s, &format!("/api/articles/{}", &id[..12]));
    assert_eq!(status, 200);
    assert_eq!(doc["article"]["id"], id);
    assert!(doc["events"].as_array().is_some_and(|e| !e.is_empty()));

    let (status, claims) = get(&s, "/api/claims?kind=accusation");
    assert_eq!(status, 200);
    assert!(claims["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["kind"] == "accusation"));
    let (status, hits) = get(&s, "/api/search?q=shelling");
    assert_eq!(status, 200);
    assert!(!hits["items"].as_array().unwrap().is_empty());
    let (status, entities) = get(&s, "/api/entities?kind=country&limit=3");
    assert_eq!(status, 200);
    assert_eq!(entities["items"].as_array().unwrap().len(), 3);

    // Claims over time: threads with their relations, settled predictions, records.
    let (status, threads) = get(&s, "/api/threads?min_claims=3");
    assert_eq!(status, 200, "{threads}");
    let threads = threads["items"].as_array().unwrap();
    assert!(threads.iter().any(|t| t["claims"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["relation"] == "denial")));
    assert!(threads
        .iter()
        .all(|t| t["claims"].as_array().unwrap().len() >= 3));
    let (status, settled) = get(&s, "/api/predictions?status=contradicted");
    assert_eq!(status, 200);
    let settled = settled["items"].as_array().unwrap();
    assert!(!settled.is_empty() && settled.iter().all(|p| p["status"] == "contradicted"));
    assert!(settled
        .iter()
        .all(|p| !p["evidence"].as_array().unwrap().is_empty()));
    // The contradicted prediction's own thread lists it.
    let claimed = &settled[0];
    let (_, thread) = get(&s, "/api/threads?min_claims=1&limit=1000");
    let own = thread["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| {
            t["claims"].as_array().unwrap().iter().any(|c| {
                c["article"] == claimed["article"] && c["statement"] == claimed["statement"]
            })
        })
        .expect("the claim's thread");
    let (status, of_thread) = get(
        &s,
        &format!(
            "/api/predictions?thread={}",
            own["thread"].as_str().unwrap()
        ),
    );
    assert_eq!(status, 200, "{of_thread}");
    assert!(of_thread["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["event"] == claimed["event"] && p["article"] == claimed["article"]));
    let (status, records) = get(&s, "/api/claimants?by=Observatory&limit=1");
    assert_eq!(status, 200);
    assert!(records["items"][0]["speaker"]
        .as_str()
        .unwrap()
        .contains("Observatory"));
    assert!(records["total"].as_u64().unwrap() >= 1);

    // The web UI is served by the same binary, from files embedded at build time.
    let mut stream = TcpStream::connect(s.addr).unwrap();
    stream
        .write_all(
            format!(
                "GET / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                s.addr
            )
            .as_bytes(),
        )
        .unwrap();
    let mut page = String::new();
    stream.read_to_string(&mut page).unwrap();
    assert!(
        page.starts_with("HTTP/1.1 200") && page.contains("text/html"),
        "{page}"
    );
    assert!(page.contains("/assets/app.js"), "{page}");

    for (path, status, says) in [
        ("/api/events?limit=0", 400, "limit"),
        ("/api/events?since=yesterday", 400, "since"),
        ("/api/events?bbox=1,2,3", 400, "bbox"),
        ("/api/events?near=95,0,10", 400, "near"),
        ("/api/articles/ffffffffffffffff", 404, "no article"),
        ("/api/nowhere", 404, "openapi"),
        ("/api/search?q=", 400, "q"),
        ("/api/predictions?status=soon", 400, "status"),
        ("/api/threads?min_claims=0", 400, "min_claims"),
        ("/assets/nothing.js", 404, "no asset"),
    ] {
        let (got, body) = get(&s, path);
        assert_eq!(got, status, "{path}: {body}");
        assert!(error_message(&body).contains(says), "{path}: {body}");
    }
}

#[test]
fn writes_need_the_token_and_bad_bodies_get_4xx_json() {
    let s = server(&["--token", "s3cret"]);
    let article = b"Syrian troops shelled Kafr Nabl on Monday, residents said.";
    let (status, body) = request(s.addr, "POST", "/api/articles", &[], article);
    assert_eq!(status, 401, "{body}");
    let (status, _) = request(
        s.addr,
        "POST",
        "/api/articles",
        &["Authorization: Bearer guess"],
        article,
    );
    assert_eq!(status, 401);
    let token = ["Authorization: Bearer s3cret"];
    let post = "/api/articles?origin=test&wait=true";
    let (status, body) = request(s.addr, "POST", post, &token, article);
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["results"][0]["outcome"], "added");
    assert_eq!(body["annotated"], 1);
    assert_eq!(body["job"]["state"], "done");
    let id = body["results"][0]["id"].as_str().unwrap().to_string();
    let (_, events) = get(&s, &format!("/api/events?article={id}"));
    assert!(
        events["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["type"] == "ASSAULT"),
        "{events}"
    );
    // The same again is a duplicate, not a second article.
    let (status, body) = request(s.addr, "POST", post, &token, article);
    assert_eq!(
        (status, body["results"][0]["outcome"].as_str()),
        (201, Some("already_stored"))
    );

    let (status, body) = request(
        s.addr,
        "POST",
        "/api/articles",
        &token,
        &vec![b'x'; 200_000],
    );
    assert_eq!(status, 413, "{body}");
    let (status, body) = request(
        s.addr,
        "POST",
        "/api/articles",
        &token,
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    );
    assert_eq!(status, 422, "{body}");
    assert!(error_message(&body).contains("binary"));
    let (status, body) = request(s.addr, "POST", "/api/articles", &token, b"");
    assert_eq!(status, 400, "{body}");
    let (status, body) = request(
        s.addr,
        "POST",
        "/api/articles",
        &token,
        b"{\"text\": \"unterminated\n",
    );
    assert!((400..500).contains(&status), "{status} {body}");
    // Still serving after all of it.
    assert_eq!(get(&s, "/api/health").0, 200);
}

#[test]
fn a_post_answers_at_once_with_its_job_which_the_server_then_does() {
    let s = server(&["--token", "s3cret"]);
    let token = ["Authorization: Bearer s3cret"];
    let article = b"Rebels shelled a checkpoint outside Saraqib on Friday, a monitor said.\n\n\x00";
    let (status, body) = request(
        s.addr,
        "POST",
        "/api/articles",
        &token,
        &article[..article.len() - 3],
    );
    assert_eq!(status, 202, "{body}");
    let id = body["job"]["id"].as_i64().expect("a job id");
    assert_eq!(body["status"], format!("/api/jobs/{id}"));
    let done = (0..400)
        .map(|_| {
            std::thread::sleep(std::time::Duration::from_millis(25));
            get(&s, &format!("/api/jobs/{id}")).1
        })
        .find(|job| job["state"] == "done")
        .expect("the server's worker does the job");
    assert_eq!(done["attempts"], 1);
    assert_eq!(done["result"]["results"][0]["outcome"], "added");
    let article_id = done["result"]["results"][0]["id"].as_str().unwrap();
    let (_, events) = get(&s, &format!("/api/events?article={article_id}"));
    assert!(!events["items"].as_array().unwrap().is_empty(), "{events}");
    let (status, jobs) = get(&s, "/api/jobs?state=done");
    assert_eq!(status, 200);
    assert_eq!(
        (jobs["total"].as_u64(), jobs["counts"]["done"].as_u64()),
        (Some(1), Some(1))
    );
    for (path, status) in [
        ("/api/jobs/999", 404),
        ("/api/jobs/x", 404),
        ("/api/jobs?state=lost", 400),
    ] {
        assert_eq!(get(&s, path).0, status, "{path}");
    }
}

#[test]
fn without_a_token_the_server_takes_no_writes() {
    let s = server(&[]);
    let (status, body) = request(s.addr, "POST", "/api/articles", &[], b"Some text.");
    assert_eq!(status, 403, "{body}");
    assert!(error_message(&body).contains("--token"));
}

/// schemathesis, installed once into a virtual environment under the test target folder
/// from the Python package registry (pinned), with the machine's python3.
fn schemathesis() -> PathBuf {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("schemathesis-4.32.5");
    let bin = venv.join("bin/schemathesis");
    if !bin.exists() {
        let made = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status();
        assert!(made.expect("python3 runs").success(), "python3 -m venv");
        let installed = Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "schemathesis==4.32.5"])
            .status()
            .expect("pip runs");
        assert!(installed.success(), "pip install schemathesis");
    }
    bin
}

#[test]
fn the_openapi_document_holds_against_the_running_server() {
    let s = server(&["--token", "s3cret"]);
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schemathesis.toml");
    // Run where its cache can go: the test target folder, not the source tree.
    let out = Command::new(schemathesis())
        .current_dir(env!("CARGO_TARGET_TMPDIR"))
        .arg("--config-file")
        .arg(&config)
        .args(["run", &format!("http://{}/api/openapi.json", s.addr)])
        .args(["--max-examples", "20", "--max-time", "60", "--seed", "1"])
        .args(["-H", "Authorization: Bearer s3cret"])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains("passed"), "{report}");
}
