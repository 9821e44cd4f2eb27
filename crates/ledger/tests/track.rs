//! Claims over time kept current by the ledger: the demo corpus ingested in two halves gives
//! the threads, predictions and records of ingesting it at once, and tracking again changes
//! nothing.

use sitrep_annotate::Resources;
use sitrep_ledger::{Ledger, PredictionQuery, ThreadQuery};
use sitrep_store::{Incoming, Store};
use std::path::{Path, PathBuf};

/// The demo corpus's articles, in file order.
fn demo_articles() -> Vec<Incoming> {
    demo_files().into_iter().flatten().collect()
}

/// The demo corpus's articles, a list per file, in file order.
fn demo_files() -> Vec<Vec<Incoming>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x != "md"))
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        let mut out = Vec::new();
        let bytes = std::fs::read(&path).unwrap();
        for item in
            sitrep_ingest::read_bytes(&path.display().to_string(), &bytes, &Default::default())
        {
            let reading = item.result.unwrap();
            out.push(Incoming {
                origin: item.origin,
                article: reading.article,
                warnings: reading.warnings,
            });
        }
        files.push(out);
    }
    files
}

/// Threads, predictions and claimants as JSON, for comparing whole ledgers.
fn tracked(ledger: &Ledger) -> (String, String, String) {
    let json = |v: serde_json::Value| serde_json::to_string_pretty(&v).unwrap();
    (
        json(
            serde_json::to_value(
                sitrep_ledger::threads(
                    &ledger.store,
                    &ThreadQuery {
                        min_claims: 1,
                        ..ThreadQuery::default()
                    },
                )
                .unwrap(),
            )
            .unwrap(),
        ),
        json(
            serde_json::to_value(
                sitrep_ledger::predictions(&ledger.store, &Default::default()).unwrap(),
            )
            .unwrap(),
        ),
        json(serde_json::to_value(sitrep_ledger::claimants(&ledger.store, None).unwrap()).unwrap()),
    )
}

fn ledger_of(dir: &Path, name: &str) -> Ledger {
    Ledger::new(Store::open(&dir.join(name)).unwrap(), Resources::builtin())
}

#[test]
fn ingesting_in_halves_tracks_what_ingesting_at_once_does() {
    let dir = tempfile::tempdir().unwrap();
    let articles = demo_articles();
    let mut whole = ledger_of(dir.path(), "whole.db");
    whole.store.ingest_batch(&articles).unwrap();
    whole.refresh().unwrap();

    // The later files first, so that origins and statuses must change when the earlier come.
    // (Files stay whole: of a report and its exact copy the store keeps the first it sees.)
    let mut halves = ledger_of(dir.path(), "halves.db");
    let files = demo_files();
    let (first, second) = files.split_at(files.len() / 2);
    for half in [second, first] {
        halves.store.ingest_batch(&half.concat()).unwrap();
        halves.refresh().unwrap();
    }

    let expected = tracked(&whole);

    assert_eq!(tracked(&halves), expected);
    assert!(
        expected.0.contains("\"relation\": \"denial\""),
        "the demo has a denied claim"
    );
    // Tracking again adds and changes nothing.
    assert_eq!(whole.track().unwrap(), 0);
    assert_eq!(tracked(&whole), expected);
}

#[test]
fn the_chemical_claim_is_threaded_and_contradicted_by_the_group_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = ledger_of(dir.path(), "demo.db");
    ledger.store.ingest_batch(&demo_articles()).unwrap();
    ledger.refresh().unwrap();
    let query = ThreadQuery {
        speaker: Some("Hayat Tahrir".into()),
        min_claims: 2,
        ..ThreadQuery::default()
    };
    let threads = sitrep_ledger::threads(&ledger.store, &query).unwrap();
    let chemical = threads
        .iter()
        .find(|t| {
            t.claims
                .iter()
                .any(|c| c.text.contains("stage a chemical attack"))
        })
        .expect("a thread of the chemical claim");
    assert_eq!(chemical.claims[0].relation, "origin");
    assert!(chemical.outlets.len() >= 2, "{chemical:?}");
    let denial = chemical
        .claims
        .iter()
        .find(|c| c.relation == "denial")
        .expect("HTS's denial");
    assert_eq!(denial.speaker.as_deref(), Some("Hayat Tahrir al-Sham"));
    let contradicted = sitrep_ledger::predictions(
        &ledger.store,
        &PredictionQuery {
            status: Some("contradicted".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        contradicted.iter().any(|p| {
            p.text == "attack"
                && p.speaker
                    .as_deref()
                    .is_some_and(|s| s.starts_with("Russian"))
                && !p.evidence.is_empty()
        }),
        "{:#?}",
        sitrep_ledger::predictions(&ledger.store, &Default::default()).unwrap()
    );
}
