//! `sitrep events` and `sitrep export` over a store filled with the demo corpus.

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

#[test]
fn events_are_listed_with_their_mode_and_filtered() {
    let dir = tempfile::tempdir().unwrap();
    let (db, gazetteer) = demo_store(dir.path());
    let out = run_on(&db, &gazetteer, &["events", "--format", "json"]);
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

    let out = run_on(
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

    let out = run_on(&db, &gazetteer, &["events", "--near", "1,2"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("--near 1,2: expected LAT,LON,KM"));
}

#[test]
fn events_inside_a_named_area_are_those_its_box_holds() {
    let dir = tempfile::tempdir().unwrap();
    let (db, gazetteer) = demo_store(dir.path());
    let out = run_on(
        &db,
        &gazetteer,
        &["events", "--format", "json", "--within", "Syria"],
    );
    assert!(out.status.success(), "{}", stderr_of(&out));
    // The box used is said, and every event is inside it.
    let said = stderr_of(&out);
    let numbers: Vec<f64> = said
        .lines()
        .find_map(|l| l.strip_prefix("sitrep: inside Syria ("))
        .and_then(|l| l.rsplit_once("): "))
        .map(|(_, b)| b.split(',').map(|v| v.trim().parse().unwrap()).collect())
        .unwrap_or_else(|| panic!("{said}"));
    let [south, west, north, east] = numbers[..] else {
        panic!("{said}")
    };
    let syria: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!syria.is_empty());
    for r in &syria {
        let (lat, lon) = (
            r["latitude"].as_f64().unwrap(),
            r["longitude"].as_f64().unwrap(),
        );
        assert!(
            (south..=north).contains(&lat) && (west..=east).contains(&lon),
            "{r}"
        );
    }
    let all = run_on(&db, &gazetteer, &["events", "--format", "json"]);
    let all: Vec<Value> = serde_json::from_slice(&all.stdout).unwrap();
    assert!(syria.len() < all.len(), "Geneva's talks are not in Syria");

    let out = run_on(&db, &gazetteer, &["events", "--within", "Atlantis"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("--within Atlantis: no country, division or continent"));
    let out = run_on(
        &db,
        &gazetteer,
        &["events", "--within", "Syria", "--bbox", "30,30,40,40"],
    );
    assert_eq!(out.status.code(), Some(2), "one box or the other");
}

#[test]
fn exports_load_as_acled_csv_and_geojson() {
    let dir = tempfile::tempdir().unwrap();
    let (db, gazetteer) = demo_store(dir.path());
    let out = run_on(&db, &gazetteer, &["export", "--format", "acled"]);
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

    let out = run_on(
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

    let out = run_on(
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

    let out = run_on(
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
    let (db, gazetteer) = demo_store(dir.path());
    let out = run_on(
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
    let out = run_on(
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

/// The OASIS STIX 2 validator, installed once into a virtual environment under the test
/// target folder from the Python package registry (pinned), with the machine's python3.
fn stix2_validator() -> PathBuf {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stix2-validator-3.3.2");
    let validator = venv.join("bin/stix2_validator");
    if !validator.exists() {
        let made = std::process::Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .expect("python3 runs (the STIX test needs it to install stix2-validator)");
        assert!(made.success(), "python3 -m venv {}", venv.display());
        let installed = std::process::Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "stix2-validator==3.3.2"])
            .status()
            .expect("pip runs");
        assert!(installed.success(), "pip install stix2-validator");
    }
    validator
}

#[test]
fn the_stix_bundle_passes_the_oasis_validator_and_keeps_claims_and_modes() {
    let dir = tempfile::tempdir().unwrap();
    let (db, gazetteer) = demo_store(dir.path());
    let out = run_on(&db, &gazetteer, &["export", "--format", "stix"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let bundle_path = dir.path().join("bundle.json");
    std::fs::write(&bundle_path, &out.stdout).unwrap();
    let checked = std::process::Command::new(stix2_validator())
        .arg(&bundle_path)
        .output()
        .unwrap();
    let report = stdout_of(&checked);
    assert!(
        checked.status.success() && report.contains("STIX JSON: Valid"),
        "{report}"
    );

    let bundle: Value = serde_json::from_slice(&out.stdout).unwrap();
    let objects = bundle["objects"].as_array().unwrap();
    let of_type = |t: &'static str| objects.iter().filter(move |o| o["type"] == t);
    // One report per article with events, by its outlet.
    let reports: Vec<&Value> = of_type("report").collect();
    assert!(reports.len() >= 7, "{}", reports.len());
    assert!(reports.iter().all(|r| r["created_by_ref"]
        .as_str()
        .is_some_and(|id| id.starts_with("identity--"))));
    // Events are incidents with their mode in sitrep's declared extension.
    let extension_ids: Vec<&str> = of_type("extension-definition")
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    let modes: std::collections::BTreeSet<&str> = of_type("incident")
        .filter_map(|i| {
            let extensions = i["extensions"].as_object()?;
            let (id, fields) = extensions.iter().next()?;
            assert!(extension_ids.contains(&id.as_str()), "{id}");
            fields["mode"].as_str()
        })
        .collect();
    assert!(
        modes.contains("occurred") && modes.contains("alleged"),
        "{modes:?}"
    );
    // Claims are notes with their kind, tied to their report.
    let accusations = of_type("note")
        .filter(|n| {
            n["extensions"]
                .as_object()
                .and_then(|e| e.values().next())
                .is_some_and(|f| f["kind"] == "accusation")
        })
        .count();
    assert!(accusations > 0);
    assert!(of_type("threat-actor").count() > 0 && of_type("location").count() > 0);
    // Claims over time: sitrep's opinion of settled and weighed incidents, and denials tied to
    // the claim they answer.
    let opinions: Vec<&Value> = of_type("opinion").collect();
    assert!(
        opinions.iter().any(|o| o["opinion"] == "strongly-disagree"),
        "a contradicted prediction"
    );
    assert!(opinions.iter().any(|o| o["opinion"] == "agree"));
    let denies = of_type("relationship")
        .filter(|r| r["relationship_type"] == "denies")
        .count();
    assert!(denies > 0, "a denial note denies its thread's origin");
    // Ids are stable across exports: the same store gives the same bundle of ids.
    let again = run_on(&db, &gazetteer, &["export", "--format", "stix"]);
    let again: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(again["id"], bundle["id"]);
}

#[test]
fn the_demo_corpus_exports_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let (db, gazetteer) = demo_store(dir.path());
    for format in ["json", "jsonl", "csv", "acled", "geojson", "plover", "stix"] {
        let out = run_on(&db, &gazetteer, &["export", "--format", format]);
        assert!(out.status.success(), "{format}: {}", stderr_of(&out));
        let text = stdout_of(&out);
        let records = match format {
            "jsonl" => text.lines().count(),
            "csv" | "acled" => text.lines().count() - 1,
            _ => {
                let v: Value = serde_json::from_str(&text).unwrap();
                v.as_array()
                    .or_else(|| v["features"].as_array())
                    .or_else(|| v["objects"].as_array())
                    .map_or(0, Vec::len)
            }
        };
        assert!(records > 5, "{format}: {records} records");
    }
}
