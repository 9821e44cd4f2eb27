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

#[test]
fn zipped_dumps_and_the_companion_files_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../gazetteer/tests/fixtures");
    // GeoNames ships its dumps zipped: SY.zip holds SY.txt.
    let zipped = dir.path().join("SY.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zipped).unwrap());
    zip.start_file("SY.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(
        &mut zip,
        &std::fs::read(fixtures.join("geonames-sample.txt")).unwrap(),
    )
    .unwrap();
    zip.finish().unwrap();
    let g = dir.path().join("g");
    let out = sitrep()
        .args(["gazetteer", "install", "--from"])
        .arg(&zipped)
        .args(["--from"])
        .arg(fixtures.join("admin1CodesASCII.txt"))
        .args(["--from"])
        .arg(fixtures.join("countryInfo.txt"))
        .args(["--from"])
        .arg(fixtures.join("alternateNamesV2.txt"))
        .arg("--dir")
        .arg(&g)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    // alternateNamesV2 adds names (links are not names); countryInfo gives Turkey its geonameid.
    assert_eq!(lookup(&g, "Idlib City")[0]["id"], "geonames:169389");
    assert_eq!(lookup(&g, "Sarakib")[0]["id"], "geonames:164816");
    assert_eq!(lookup(&g, "Turkey")[0]["id"], "geonames:298795");
    assert_eq!(lookup(&g, "Saraqib")[0]["admin1"], "Idlib");
}

#[test]
fn an_unusable_gazetteer_is_reported_and_extraction_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("g");
    std::fs::create_dir_all(&g).unwrap();
    std::fs::write(g.join("places.bin"), b"SITREPGZ\x01\0\0\0\0\0\0\0").unwrap();
    let example = shared().join("examples/idlib-false-flag.txt");
    let out = sitrep()
        .env("SITREP_GAZETTEER", &g)
        .arg("extract")
        .arg(&example)
        .output()
        .unwrap();
    assert_no_panic(&out);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("the gazetteer cannot be used"),
        "{}",
        stderr_of(&out)
    );
}
