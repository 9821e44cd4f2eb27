//! `sitrep demo`: the built-in corpus goes in, and the tour shows what sitrep found.

mod common;
use common::*;

#[test]
fn the_demo_ingests_the_corpus_and_tours_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    // A gazetteer built from a small GeoNames-format fixture, so the demo needs no download.
    let (gazetteer, _) = fixture_gazetteer(dir.path());
    let run_demo = || {
        sitrep()
            .env("SITREP_GAZETTEER", &gazetteer)
            .arg("--db")
            .arg(&db)
            .arg("demo")
            .output()
            .unwrap()
    };
    let out = run_demo();
    assert_no_panic(&out);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let tour = stdout_of(&out);
    // 21 reports in 5 formats; the wire story's exact copy is a sighting, its trimmed copy a
    // linked near-duplicate.
    assert!(tour.contains("ingested 21 inputs"), "{tour}");
    assert!(tour.contains("added                 19"), "{tour}");
    assert!(tour.contains("near-duplicates        1"), "{tour}");
    assert!(tour.contains("duplicates             1"), "{tour}");
    for outlet in [
        "Orontes Daily",
        "Levant Monitor",
        "Northern Front Wire",
        "Bab al-Hawa Bulletin",
        "Aleppo Desk",
        "Hama Courier",
    ] {
        assert!(tour.contains(outlet), "{outlet} listed");
    }
    assert!(tour.contains("«chemical»"), "search hits are highlighted");
    assert!(
        tour.contains("seen in    demo/meridian-wire_republished.jsonl:2 via Levant Monitor"),
        "{tour}"
    );
    assert!(
        tour.contains("copied by"),
        "the near-duplicate is shown on the original: {tour}"
    );
    // Events that did not happen, each with who claims them.
    let events = tour
        .split("Events that did not (yet) happen")
        .nth(1)
        .expect("the events step");
    assert!(events.contains("planned    ASSAULT"), "{events}");
    assert!(events.contains("predicted"), "{events}");
    assert!(events.contains("claimed by"), "{events}");
    // Claims over time: the cluster-munitions claim relayed by three outlets and denied by
    // Russia; the threat carried out; the chemical claim denied by the group it names.
    let threads = tour
        .split("The same claim across outlets")
        .nth(1)
        .expect("the threads step");
    assert!(
        threads.contains("relay") && threads.contains("denial"),
        "{threads}"
    );
    let predictions = threads
        .split("Predictions settled")
        .nth(1)
        .expect("the predictions step");
    for status in ["fulfilled", "unfulfilled", "contradicted", "pending"] {
        assert!(predictions.contains(status), "{status}: {predictions}");
    }
    let records = predictions
        .split("Claimants' records")
        .nth(1)
        .expect("the records step");
    assert!(records.contains("predictions: contradicted"), "{records}");

    assert!(
        !stderr_of(&out).contains("installing"),
        "the gazetteer was there"
    );
    // Running it again changes nothing.
    let again = run_demo();
    assert!(
        stdout_of(&again).contains("already stored        21"),
        "{}",
        stdout_of(&again)
    );
}
