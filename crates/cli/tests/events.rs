//! `sitrep events` and `sitrep export` over a store filled with the demo corpus.

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A store with the demo corpus, and the fixture gazetteer beside it.
fn store(dir: &Path) -> (PathBuf, PathBuf) {
    let (gazetteer, _) = fixture_gazetteer(dir);
    let db = dir.join("events.db");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
    let out = sitrep()
        .env("SITREP_GAZETTEER", &gazetteer)
        .arg("--db")
        .arg(&db)
        .args(["ingest", "--quiet"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    (db, gazetteer)
}

fn run(db: &Path, gazetteer: &Path, args: &[&str]) -> std::process::Output {
    let out = sitrep()
        .env("SITREP_GAZETTEER", gazetteer)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert_no_panic(&out);
    out
}

#[test]
fn events_are_listed_with_their_mode_and_filtered() {
    let dir = tempfile::tempdir().unwrap();
    let (db, gazetteer) = store(dir.path());
    let out = run(&db, &gazetteer, &["events", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let all: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(all.len() > 20, "{}", all.len());
    let modes: std::collections::BTreeSet<&str> =
        all.iter().map(|r| r["mode"].as_str().unwrap()).collect();
    for mode in ["occurred", "alleged"] {
        assert!(modes.contains(mode), "{modes:?}");
    }
    assert!(all
        .iter()
        .all(|r| r["rule"].as_str().unwrap().contains("events.toml#")));

    let out = run(
        &db,
        &gazetteer,
        &[
            "events", "--format", "json", "--mode", "alleged", "--type", "assault",
        ],
    );
    let alleged: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!alleged.is_empty() && alleged.len() < all.len());
    assert!(alleged
        .iter()
        .all(|r| r["mode"] == "alleged" && r["type"] == "ASSAULT" && r["claimed_by"].is_string()));

    let out = run(&db, &gazetteer, &["events", "--near", "1,2"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("--near 1,2: expected LAT,LON,KM"));
}

#[test]
fn exports_load_as_acled_csv_and_geojson() {
    let dir = tempfile::tempdir().unwrap();
    let (db, gazetteer) = store(dir.path());
    let out = run(&db, &gazetteer, &["export", "--format", "acled"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let mut csv = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = csv.headers().unwrap().iter().map(str::to_string).collect();
    for column in [
        "event_date",
        "event_type",
        "actor1",
        "actor2",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "source",
        "notes",
        "mode",
    ] {
        assert!(header.iter().any(|h| h == column), "{column} in {header:?}");
    }
    let records = csv.records().count();
    assert!(records > 20);

    let out = run(
        &db,
        &gazetteer,
        &["export", "--format", "geojson", "--near", "35.93,36.63,100"],
    );
    assert!(out.status.success(), "{}", stderr_of(&out));
    let collection: Value = serde_json::from_slice(&out.stdout).unwrap();
    let features = collection["features"].as_array().unwrap();
    assert!(!features.is_empty());
    for f in features {
        let [lon, lat] = [
            f["geometry"]["coordinates"][0].as_f64().unwrap(),
            f["geometry"]["coordinates"][1].as_f64().unwrap(),
        ];
        assert!(
            (34.5..37.5).contains(&lat) && (35.0..38.5).contains(&lon),
            "{f}"
        );
    }

    let out = run(
        &db,
        &gazetteer,
        &["export", "--format", "plover", "--type", "ASSAULT"],
    );
    assert!(out.status.success(), "{}", stderr_of(&out));
    let records: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!records.is_empty());
    assert!(records
        .iter()
        .all(|r| r["event"] == "ASSAULT" && r["source"].is_array() && r["modality"].is_string()));

    let out = run(
        &db,
        &gazetteer,
        &["export", "--format", "jsonl", "--mode", "planned"],
    );
    assert!(out.status.success());
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let row: Value = serde_json::from_str(line).unwrap();
        assert_eq!(row["mode"], "planned");
    }
}

#[test]
fn claims_are_listed_by_speaker_kind_and_tag_with_the_events_inside() {
    let dir = tempfile::tempdir().unwrap();
    let (db, gazetteer) = store(dir.path());
    let out = run(
        &db,
        &gazetteer,
        &[
            "claims",
            "--kind",
            "accusation",
            "--tag",
            "false_flag",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", stderr_of(&out));
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rows.len() >= 2, "{rows:?}");
    assert!(rows.iter().all(|r| r["kind"] == "accusation"
        && r["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "false_flag")));
    assert!(
        rows.iter()
            .any(|r| !r["events"].as_array().unwrap().is_empty()),
        "the events inside a claim come with it"
    );
    let speaker = rows[0]["speaker"].as_str().unwrap().to_string();
    let word = speaker.rsplit(' ').next().unwrap();
    let out = run(
        &db,
        &gazetteer,
        &["claims", "--by", word, "--format", "jsonl"],
    );
    let by: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!by.is_empty());
    assert!(by
        .iter()
        .all(|r| r["speaker"].as_str().unwrap().contains(word)
            || r["speaker_text"]
                .as_str()
                .unwrap_or_default()
                .contains(word)));
}
