//! Helpers shared by the CLI tests: the real binary, temporary stores, the shared data folder.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub fn sitrep() -> Command {
    let mut cmd = Command::cargo_bin("sitrep").expect("the sitrep binary is built");
    cmd.env_remove("SITREP_DB")
        .env_remove("SITREP_GAZETTEER")
        .env("NO_COLOR", "1");
    cmd
}

pub fn shared() -> PathBuf {
    sitrep_eval::shared_dir()
}

pub fn hostile(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile")
        .join(name)
}

pub fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// No panic message, no backtrace: a crash is never an acceptable answer to bad input.
pub fn assert_no_panic(output: &std::process::Output) {
    let stderr = stderr_of(output);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "panic: {stderr}"
    );
    assert_ne!(
        output.status.code(),
        Some(101),
        "exit 101 is a panic: {stderr}"
    );
}

/// Builds a gazetteer from the GeoNames-format test fixture (plus sitrep's curated places) in
/// `dir`, so tests need no download; returns its folder and what the build said on stderr.
pub fn fixture_gazetteer(dir: &Path) -> (PathBuf, String) {
    let gazetteer = dir.join("gazetteer");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../gazetteer/tests/fixtures/geonames-sample.txt");
    let out = sitrep()
        .args(["gazetteer", "install", "--from"])
        .arg(&fixture)
        .arg("--dir")
        .arg(&gazetteer)
        .output()
        .unwrap();
    assert_no_panic(&out);
    assert!(out.status.success(), "{}", stderr_of(&out));
    (gazetteer, stderr_of(&out))
}

/// Runs sitrep on a store with a gazetteer; it must not panic, whatever it answers.
pub fn run_on(db: &Path, gazetteer: &Path, args: &[&str]) -> std::process::Output {
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

/// A store of the demo corpus (`demo.db` in `dir`), and the fixture gazetteer beside it.
pub fn demo_store(dir: &Path) -> (PathBuf, PathBuf) {
    let (gazetteer, _) = fixture_gazetteer(dir);
    let db = dir.join("demo.db");
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
