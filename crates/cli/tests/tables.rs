//! `sitrep export --format parquet`: the demo ledger as tables that read back whole, join by
//! their ids, and keep every fact's span.

mod common;
use common::*;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::Path;

type Rows = Vec<HashMap<String, Field>>;

fn read(path: &Path) -> Rows {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader = SerializedFileReader::new(file).unwrap();
    reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| row.unwrap().into_columns().into_iter().collect())
        .collect()
}

fn text<'r>(row: &'r HashMap<String, Field>, column: &str) -> &'r str {
    match &row[column] {
        Field::Str(s) => s,
        other => panic!("{column}: {other:?}"),
    }
}

fn integer(row: &HashMap<String, Field>, column: &str) -> usize {
    match &row[column] {
        Field::Long(n) => *n as usize,
        other => panic!("{column}: {other:?}"),
    }
}

fn json_rows(db: &Path, gazetteer: &Path, args: &[&str]) -> Vec<Value> {
    let out = run_on(db, gazetteer, args);
    assert!(out.status.success(), "{}", stderr_of(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_ledger_exports_as_tables_that_join_and_keep_their_spans() {
    let dir = tempfile::tempdir().unwrap();
    let (db, gazetteer) = demo_store(dir.path());
    let tables = dir.path().join("tables");
    let export = || {
        let out = run_on(
            &db,
            &gazetteer,
            &[
                "export",
                "--format",
                "parquet",
                "--out",
                tables.to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "{}", stderr_of(&out));
    };
    export();
    let table = |name: &str| read(&tables.join(format!("{name}.parquet")));
    let (articles, events, statements, entities, claims) = (
        table("articles"),
        table("events"),
        table("statements"),
        table("entities"),
        table("claims"),
    );

    // The same events and statements as the other commands give, which leave near-duplicates
    // out; the tables keep them, marked.
    let copies: HashSet<&str> = articles
        .iter()
        .filter(|a| matches!(a["duplicate_of"], Field::Str(_)))
        .map(|a| text(a, "article_id"))
        .collect();
    assert!(!copies.is_empty(), "the demo has near-duplicates");
    let originals = |rows: &Rows| {
        rows.iter()
            .filter(|r| !copies.contains(text(r, "article_id")))
            .count()
    };
    let listed = json_rows(&db, &gazetteer, &["events", "--format", "json"]);
    assert_eq!(originals(&events), listed.len());
    assert!(events.len() > listed.len());
    let said = json_rows(&db, &gazetteer, &["claims", "--format", "json"]);
    assert_eq!(originals(&statements), said.len());
    assert!(!claims.is_empty() && !entities.is_empty());

    // Every fact points into its article's text, and the words there are its words.
    let texts: HashMap<&str, &str> = articles
        .iter()
        .map(|a| (text(a, "article_id"), text(a, "text")))
        .collect();
    for row in events.iter().chain(&statements) {
        let article = texts[text(row, "article_id")];
        let (start, end) = (integer(row, "start"), integer(row, "end"));
        assert_eq!(&article[start..end], text(row, "text"));
        assert!(!text(row, "rule").is_empty());
    }
    // Claim threads and events join the statements they come from.
    let statement_keys: HashSet<(&str, &str)> = statements
        .iter()
        .map(|s| (text(s, "article_id"), text(s, "statement_id")))
        .collect();
    for c in &claims {
        assert!(statement_keys.contains(&(text(c, "article_id"), text(c, "statement_id"))));
    }
    for e in &events {
        if let Field::Str(s) = &e["statement_id"] {
            assert!(statement_keys.contains(&(text(e, "article_id"), s.as_str())));
        }
    }
    // Places carry the gazetteer's facts; lists read back as lists.
    assert!(entities
        .iter()
        .filter(|e| matches!(e["latitude"], Field::Double(_)))
        .all(|e| matches!(e["gazetteer_id"], Field::Str(_))));
    assert!(events
        .iter()
        .any(|e| matches!(&e["actors"], Field::ListInternal(l) if !l.elements().is_empty())));

    // Again into the same folder: the same tables, nothing left half-written.
    export();
    assert_eq!(table("events").len(), events.len());
    let names: Vec<String> = std::fs::read_dir(&tables)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 5, "{names:?}");
    assert!(names.iter().all(|n| n.ends_with(".parquet")), "{names:?}");
}

#[test]
fn parquet_needs_a_folder_takes_no_filters_and_documents_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none.db");
    let run = |args: &[&str]| {
        let out = sitrep().arg("--db").arg(&db).args(args).output().unwrap();
        assert_no_panic(&out);
        out
    };
    let out = run(&["export", "--format", "parquet"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("give it with --out DIR"));
    let out = run(&[
        "export", "--format", "parquet", "--mode", "planned", "--out", "x",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("writes the whole ledger"));
    let out = run(&["export", "--format", "json", "--out", "x"]);
    assert_eq!(out.status.code(), Some(1));
    // The documented schema is the one the tables are written with.
    let out = run(&["export", "--format", "parquet", "--schema"]);
    assert!(out.status.success());
    let documented = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/parquet.md"),
    )
    .unwrap();
    assert_eq!(
        stdout_of(&out),
        documented,
        "docs/parquet.md is stale: sitrep export --format parquet --schema > docs/parquet.md"
    );
}
