//! `sitrep ingest` and the store behind it: a real corpus (FA-KES), hostile inputs, and an
//! ingest killed midway.

mod common;
use common::*;
use sitrep_store::{ListFilter, Store};
use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

/// FA-KES (804 articles on the Syrian war; Latin-1 CSV) as DESIGN.md §8 JSON lines at
/// `dest`; the articles' texts.
fn fakes_as_jsonl(dest: &Path) -> Vec<String> {
    let rows =
        sitrep_eval::fakes::read(&shared().join("newsdata/fakes/FA-KES-Dataset.csv")).unwrap();
    std::fs::write(dest, sitrep_eval::fakes::to_jsonl(&rows)).unwrap();
    rows.into_iter().map(|r| r.text).collect()
}

#[test]
fn fakes_is_stored_once_per_text_with_duplicates_flagged_and_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("fakes.jsonl");
    let db = dir.path().join("fakes.db");
    let texts = fakes_as_jsonl(&jsonl);
    assert_eq!(texts.len(), 804);
    let distinct: HashSet<String> = texts
        .iter()
        .map(|t| sitrep_core::text::article_id(&sitrep_core::text::normalise(t)))
        .collect();

    let out = sitrep()
        .arg("ingest")
        .arg(&jsonl)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_no_panic(&out);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let summary = stderr_of(&out);
    assert!(summary.contains("ingested 804 inputs"), "{summary}");

    let store = Store::open(&db).unwrap();
    let stats = store.stats().unwrap();
    assert_eq!(
        stats.articles as usize,
        distinct.len(),
        "each distinct text stored once"
    );
    assert_eq!(stats.sightings, 804, "every row kept as a sighting");
    let exact_copies = 804 - distinct.len();
    assert!(
        summary.contains(&format!("duplicates       {exact_copies:>7}")),
        "{summary}"
    );
    // Near-duplicates are linked to an earlier stored article they really resemble.
    let all = store.list(&ListFilter::default()).unwrap();
    let near: Vec<_> = all.iter().filter(|a| a.duplicate_of.is_some()).collect();
    assert!(
        !near.is_empty(),
        "FA-KES republishes stories with small edits"
    );
    for copy in near {
        let doc = store.document(&copy.id).unwrap().unwrap();
        let link = doc.article.duplicate_of.unwrap();
        assert!(link.similarity >= 0.7);
        assert!(store.document(&link.id).unwrap().is_some());
    }
    drop(store);

    let out = sitrep()
        .arg("--db")
        .arg(&db)
        .args(["search", "chemical", "--limit", "10"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let hits = stdout_of(&out);
    assert_eq!(hits.matches("\n\n").count(), 10, "ten hits: {hits}");
    let highlighted = hits.to_lowercase().matches("«chemical»").count();
    assert!(
        highlighted >= 10,
        "every snippet highlights its match: {hits}"
    );
    assert!(hits.starts_with(" 1. "), "{hits}");
    let json = sitrep()
        .arg("--db")
        .arg(&db)
        .args(["search", "chemical", "--format", "json"])
        .output()
        .unwrap();
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&json.stdout).unwrap();
    let ranks: Vec<f64> = hits.iter().map(|h| h["rank"].as_f64().unwrap()).collect();
    assert!(
        ranks.windows(2).all(|w| w[0] <= w[1]),
        "best first: {ranks:?}"
    );

    // Re-running the same ingest adds nothing.
    let again = sitrep()
        .args(["ingest", "--quiet"])
        .arg(&jsonl)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        stderr_of(&again).contains("already stored       804"),
        "{}",
        stderr_of(&again)
    );
    assert_eq!(Store::open(&db).unwrap().stats().unwrap(), stats);
}

#[test]
fn db_flag_works_before_or_after_the_subcommand_and_show_finds_by_source_id() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let out = sitrep()
        .arg("--db")
        .arg(&db)
        .arg("ingest")
        .arg(hostile("bad-line.jsonl"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let listed = sitrep().arg("list").arg("--db").arg(&db).output().unwrap();
    assert_eq!(
        stdout_of(&listed).lines().count(),
        2,
        "{}",
        stdout_of(&listed)
    );
    let shown = sitrep()
        .arg("show")
        .arg("ok-5")
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(doc["article"]["source_id"], "ok-5");
    assert_eq!(
        doc["sightings"][0]["origin"],
        format!("{}:5", hostile("bad-line.jsonl").display())
    );
    let missing = sitrep()
        .arg("show")
        .arg("nope")
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr_of(&missing).contains("no article 'nope'"));
    let no_store = sitrep()
        .arg("list")
        .arg("--db")
        .arg(dir.path().join("absent.db"))
        .output()
        .unwrap();
    assert!(
        stderr_of(&no_store).contains("no store at"),
        "{}",
        stderr_of(&no_store)
    );
}

/// Every hostile input gets a one-line error naming it, or a partial result; nothing stored
/// before is lost; no panic.
#[test]
fn hostile_inputs_fail_cleanly_and_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let good = shared().join("examples/idlib-false-flag.txt");
    assert!(sitrep()
        .arg("ingest")
        .arg(&good)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap()
        .status
        .success());

    let generated = dir.path().join("generated");
    std::fs::create_dir(&generated).unwrap();
    let nested = generated.join("deeply-nested.html");
    std::fs::write(
        &nested,
        format!("<html><body>{}<p>Drones struck Sarmin on Monday and two people were wounded, rescuers said.</p>{}</body></html>", "<div>".repeat(100_000), "</div>".repeat(100_000)),
    )
    .unwrap();
    let long_line = generated.join("long-line.txt");
    std::fs::write(&long_line, "word ".repeat(600_000)).unwrap();
    let huge = generated.join("huge.txt");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(2 * 1024 * 1024 * 1024)
        .unwrap(); // sparse: no disk used

    let hostile_dir = hostile("");
    let out = sitrep()
        .arg("ingest")
        .arg(&hostile_dir)
        .arg(&generated)
        .args(["--max-bytes", "2000000", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1), "some inputs failed");
    let stderr = stderr_of(&out);
    let error_for = |name: &str| -> String {
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains(name) && !l.contains("warning"))
            .collect();
        assert!(
            lines.len() <= 1 || name.ends_with(".jsonl"),
            "{name}: {lines:?}"
        );
        lines.first().map(|l| l.to_string()).unwrap_or_default()
    };
    assert!(
        error_for("binary-junk.bin").contains("binary data"),
        "{stderr}"
    );
    assert!(
        error_for("image-named.html").contains("binary data"),
        "{stderr}"
    );
    assert!(error_for("empty.txt").contains("empty input"), "{stderr}");
    assert!(
        error_for("whitespace-only.txt").contains("empty input"),
        "{stderr}"
    );
    assert!(error_for("empty-feed.xml").contains("no items"), "{stderr}");
    assert!(error_for("malformed-feed.xml").contains("feed"), "{stderr}");
    assert!(
        error_for("not-json-at-all.jsonl").contains("bad JSON line"),
        "{stderr}"
    );
    assert!(
        error_for("huge.txt").contains("too large: 2147483648 bytes"),
        "{stderr}"
    );
    assert!(error_for("long-line.txt").contains("too large"), "{stderr}");
    assert!(
        stderr.contains("invalid-utf8.txt: warning: not valid UTF-8"),
        "{stderr}"
    );
    assert!(
        stderr.contains("deeply-nested.html: warning: elements nest"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad-line.jsonl:2: bad JSON line"),
        "{stderr}"
    );

    let store = Store::open(&db).unwrap();
    assert!(store.check_integrity().unwrap().is_empty());
    let titles: Vec<String> = store
        .list(&ListFilter::default())
        .unwrap()
        .into_iter()
        .filter_map(|a| a.title)
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Armed Groups Planning")),
        "the earlier article is still there"
    );
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Ariha shelled overnight")),
        "truncated page: partial result {titles:?}"
    );
    let hits = store.search("café", 5, ("", "")).unwrap();
    assert_eq!(hits.len(), 1, "Latin-1 text decoded and stored");
    assert_eq!(
        store.search("Kafr Nabl", 5, ("", "")).unwrap().len(),
        1,
        "good JSONL lines kept"
    );
    assert_eq!(
        store.search("Sarmin", 5, ("", "")).unwrap().len(),
        1,
        "nested page flattened and kept"
    );
}

/// SIGKILL an ingest midway: the store is intact, holds whole batches only, and a re-run
/// completes it without duplicating anything.
#[test]
fn an_ingest_killed_midway_leaves_an_intact_store_and_a_rerun_completes_it() {
    const ARTICLES: usize = 20_000;
    const BATCH: usize = 100;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kill.db");
    let input = dir.path().join("many.jsonl");
    let lines: Vec<String> = (0..ARTICLES)
        .map(|i| {
            serde_json::json!({
                "id": format!("synthetic-{i}"),
                "text": format!("Report number {i}: shelling hit sector {} near Ariha on day {}, and {} people were hurt, local sources said. Officials in grid {} denied it.", i * 7919 % 10007, i % 28 + 1, i % 13, i * 104729 % 99991),
            })
            .to_string()
        })
        .collect();
    std::fs::write(&input, lines.join("\n")).unwrap();

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("sitrep"))
        .args([
            "ingest",
            "--quiet",
            "--batch-size",
            &BATCH.to_string(),
            "--db",
        ])
        .arg(&db)
        .arg(&input)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(10));
        let stored = Store::open(&db)
            .ok()
            .and_then(|s| s.stats().ok())
            .map_or(0, |s| s.articles);
        if stored as usize >= 3 * BATCH {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let store = Store::open(&db).unwrap();
    assert!(store.check_integrity().unwrap().is_empty());
    let after_kill = store.stats().unwrap();
    assert!(
        after_kill.articles as usize >= 3 * BATCH,
        "the test saw batches land before the kill"
    );
    assert!(
        (after_kill.articles as usize) < ARTICLES,
        "killed midway, not after the end"
    );
    assert_eq!(
        after_kill.articles as usize % BATCH,
        0,
        "only whole batches: {}",
        after_kill.articles
    );
    assert_eq!(
        after_kill.sightings, after_kill.articles,
        "no article without its sighting"
    );
    drop(store);

    let rerun = sitrep()
        .args(["ingest", "--quiet", "--db"])
        .arg(&db)
        .arg(&input)
        .output()
        .unwrap();
    assert!(rerun.status.success(), "{}", stderr_of(&rerun));
    let summary = stderr_of(&rerun);
    assert!(
        summary.contains(&format!("already stored   {:>7}", after_kill.articles)),
        "{summary}"
    );
    let store = Store::open(&db).unwrap();
    let done = store.stats().unwrap();
    assert_eq!(
        (done.articles as usize, done.sightings as usize),
        (ARTICLES, ARTICLES)
    );
    assert!(store.check_integrity().unwrap().is_empty());
    assert_eq!(
        store.search("synthetic", 1, ("", "")).unwrap().len(),
        0,
        "ids are not text"
    );
    assert!(store.document("synthetic-19999").unwrap().is_some());
}
