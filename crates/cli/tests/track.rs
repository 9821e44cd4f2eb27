//! `sitrep threads`, `sitrep predictions`, `sitrep claimants` and the claims-over-time fields of
//! `sitrep events`, over a store of the demo corpus: the contract's names in every format, and
//! the user's own settings with `--track`.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

fn jsonl(db: &Path, gazetteer: &Path, args: &[&str]) -> Vec<Value> {
    let out = run_on(db, gazetteer, args);
    assert!(out.status.success(), "{args:?}: {}", stderr_of(&out));
    stdout_of(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

fn has(row: &Value, names: &[&str]) {
    for name in names {
        assert!(row.get(name).is_some(), "{name} missing from {row}");
    }
}

#[test]
fn claims_over_time_answer_in_the_contracts_names() {
    let dir = tempfile::tempdir().unwrap();
    let (db, gazetteer) = demo_store(dir.path());
    let threads = jsonl(&db, &gazetteer, &["threads", "--format", "jsonl"]);
    assert!(!threads.is_empty());
    for t in &threads {
        has(t, &["thread", "claims", "first_seen"]);
        for c in t["claims"].as_array().unwrap() {
            has(c, &["article", "statement", "speaker", "date", "relation"]);
        }
    }
    let one = threads[0]["thread"].as_str().unwrap();
    let again = jsonl(
        &db,
        &gazetteer,
        &["threads", "--thread", one, "--format", "jsonl"],
    );
    assert_eq!(again, threads[..1]);

    let predictions = jsonl(&db, &gazetteer, &["predictions", "--format", "jsonl"]);
    for p in &predictions {
        has(
            p,
            &[
                "event", "article", "speaker", "mode", "type", "text", "status", "due", "evidence",
                "rule",
            ],
        );
    }
    let statuses: Vec<&str> = predictions
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .collect();
    assert!(
        statuses.contains(&"fulfilled") && statuses.contains(&"contradicted"),
        "{statuses:?}"
    );

    // What one thread claimed: the predictions of its own statements, and only those.
    let all_threads = jsonl(
        &db,
        &gazetteer,
        &["threads", "--min-claims", "1", "--format", "jsonl"],
    );
    let mut seen = 0;
    for t in &all_threads {
        let id = t["thread"].as_str().unwrap();
        let members: Vec<(&str, &str)> = t["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["article"].as_str().unwrap(),
                    c["statement"].as_str().unwrap(),
                )
            })
            .collect();
        let key = |p: &Value| format!("{}/{}", p["article"], p["event"]);
        let mut expected: Vec<&Value> = predictions
            .iter()
            .filter(|p| {
                p["statement"]
                    .as_str()
                    .is_some_and(|s| members.contains(&(p["article"].as_str().unwrap(), s)))
            })
            .collect();
        let claimed = jsonl(
            &db,
            &gazetteer,
            &["predictions", "--thread", id, "--format", "jsonl"],
        );
        expected.sort_by_key(|p| key(p));
        let mut claimed: Vec<&Value> = claimed.iter().collect();
        claimed.sort_by_key(|p| key(p));
        assert_eq!(claimed, expected, "thread {id}");
        seen += claimed.len();
    }
    assert!(seen > 0, "some thread claims a prediction");
    assert!(jsonl(
        &db,
        &gazetteer,
        &["predictions", "--thread", "t000", "--format", "jsonl"]
    )
    .is_empty());

    let claimants = jsonl(&db, &gazetteer, &["claimants", "--format", "jsonl"]);
    for c in &claimants {
        has(
            c,
            &[
                "speaker",
                "claims",
                "predictions",
                "allegations",
                "denials_made",
                "denials_received",
            ],
        );
    }
    let alleged = jsonl(
        &db,
        &gazetteer,
        &["events", "--mode", "alleged", "--format", "jsonl"],
    );
    assert!(
        alleged.iter().all(|e| e["corroboration"].is_string()),
        "every alleged event is weighed"
    );
    assert!(alleged.iter().any(|e| e["corroboration"] == "corroborated"
        && !e["corroborated_by"].as_array().unwrap().is_empty()));
    let claims = jsonl(
        &db,
        &gazetteer,
        &["claims", "--kind", "denial", "--format", "jsonl"],
    );
    assert!(claims
        .iter()
        .any(|c| c["relation"] == "denial" && c["thread"].is_string()));

    // CSV: a header, then a row per statement of each thread.
    let csv = stdout_of(&run_on(&db, &gazetteer, &["threads", "--format", "csv"]));
    assert!(
        csv.starts_with("thread,first_seen,article,statement,speaker"),
        "{csv}"
    );
    let statements: usize = threads
        .iter()
        .map(|t| t["claims"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        csv::Reader::from_reader(csv.as_bytes()).records().count(),
        statements
    );
}

#[test]
fn the_users_own_settings_track_the_store_again() {
    let dir = tempfile::tempdir().unwrap();
    let (db, gazetteer) = demo_store(dir.path());
    let builtin = include_str!("../../../data/track.toml");
    // Ten years for every forward-looking event: nothing's window has passed.
    let patient = builtin
        .replace("planned = 60", "planned = 3650")
        .replace("threatened = 90", "threatened = 3650")
        .replace("predicted = 90", "predicted = 3650");
    assert_ne!(patient, builtin);
    let settings = dir.path().join("patient.toml");
    std::fs::write(&settings, patient).unwrap();
    let before = jsonl(&db, &gazetteer, &["predictions", "--format", "jsonl"]);
    assert!(before
        .iter()
        .any(|p| p["rule"].as_str().unwrap().contains("window passed")));
    let track = settings.to_str().unwrap();
    let after = jsonl(
        &db,
        &gazetteer,
        &["--track", track, "predictions", "--format", "jsonl"],
    );
    assert!(
        after
            .iter()
            .all(|p| !p["rule"].as_str().unwrap().contains("window passed")),
        "{after:#?}"
    );
    assert!(after
        .iter()
        .any(|p| p["due_basis"].as_str().unwrap().contains("3650 days")));

    // A broken file is named, with the reason; nothing runs.
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "[threads]\nmax_days = \"soon\"\n").unwrap();
    let out = sitrep()
        .arg("--db")
        .arg(&db)
        .arg("--track")
        .arg(&broken)
        .arg("threads")
        .output()
        .unwrap();
    assert_no_panic(&out);
    assert!(!out.status.success());
    let err = stderr_of(&out);
    assert!(err.contains("broken.toml"), "{err}");
}
