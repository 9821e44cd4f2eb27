//! `sitrep gazetteer`: build from a GeoNames dump, look names up, report what is installed.

mod common;
use common::*;
use serde_json::Value;

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (gazetteer, stderr) = fixture_gazetteer(dir.path());
    assert!(
        stderr.contains("geonames-sample.txt:11: 3 columns, expected 19"),
        "the bad line is named: {stderr}"
    );
    (dir, gazetteer)
}

fn lookup(gazetteer: &std::path::Path, name: &str) -> Vec<Value> {
    let out = sitrep()
        .args(["gazetteer", "lookup", name, "--format", "json", "--dir"])
        .arg(gazetteer)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_dump_builds_a_gazetteer_that_answers_by_any_spelling() {
    let (_dir, g) = built();
    let ziyarah = lookup(&g, "Al-Ziyarah");
    assert_eq!(ziyarah[0]["id"], "geonames:172027");
    assert_eq!(ziyarah[0]["admin1"], "Hamah", "admin1 codes become names");
    let idleb = lookup(&g, "Idleb");
    let ids: Vec<&str> = idleb.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert!(
        ids.contains(&"geonames:169389") && ids.contains(&"geonames:169387"),
        "{ids:?}"
    );
    assert!(!ids.contains(&"geonames:999001"), "hotels are not indexed");
    // Curated places come with every build: the M4 as a line, Karkur as a village.
    let m4 = lookup(&g, "M4 highway");
    assert_eq!(m4[0]["kind"], "road");
    assert!(m4[0]["line"].as_array().unwrap().len() > 5);
    assert_eq!(lookup(&g, "Karkour")[0]["name"], "Karkur");
    // A country outranks a province of the same name; each answer carries its precision.
    let georgia = lookup(&g, "Georgia");
    assert_eq!(
        (
            georgia[0]["kind"].as_str(),
            georgia[0]["precision"].as_str()
        ),
        (Some("country"), Some("country"))
    );
}

#[test]
fn info_credits_geonames_and_a_missing_gazetteer_says_how_to_install() {
    let (_dir, g) = built();
    let out = sitrep()
        .args(["gazetteer", "info", "--dir"])
        .arg(&g)
        .output()
        .unwrap();
    let text = stdout_of(&out);
    assert!(
        text.contains("GeoNames") && text.contains("CC BY 4.0"),
        "{text}"
    );
    assert!(text.contains("syria_northwest.toml"), "{text}");
    let missing = sitrep()
        .args(["gazetteer", "lookup", "Idlib", "--dir", "/nonexistent/gz"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr_of(&missing).contains("run `sitrep gazetteer install`"),
        "{}",
        stderr_of(&missing)
    );
}
