//! Schema migrations, numbered from day one, one list per engine. Pending ones run in one
//! transaction (PostgreSQL holds the write lock meanwhile, so machines starting together do
//! not migrate twice) and bump the version: SQLite's `user_version`, PostgreSQL's
//! `sitrep_schema` table. A store newer than this build is refused, never touched.

use crate::engine::{args, Dialect};
use crate::{Store, StoreError};

/// SQLite's migrations in order; the schema version is their count.
const SQLITE: &[&str] = &[
    include_str!("../migrations/0001_articles.sql"),
    include_str!("../migrations/0002_layers.sql"),
    include_str!("../migrations/0003_track.sql"),
    include_str!("../migrations/0004_track_windows.sql"),
    include_str!("../migrations/0005_sources.sql"),
    include_str!("../migrations/0006_jobs.sql"),
];

/// PostgreSQL's migrations in order; the first is SQLite's first five in one.
const POSTGRES: &[&str] = &[
    include_str!("../migrations/postgres/0001_schema.sql"),
    include_str!("../migrations/postgres/0002_jobs.sql"),
    include_str!("../migrations/postgres/0003_covering_bounds.sql"),
    include_str!("../migrations/postgres/0004_event_cells.sql"),
    include_str!("../migrations/postgres/0005_quarter_degree_cells.sql"),
    include_str!("../migrations/postgres/0006_coarse_dates.sql"),
];

pub(crate) fn up(store: &mut Store) -> Result<(), StoreError> {
    let migrations = match store.dialect() {
        Dialect::Sqlite => SQLITE,
        Dialect::Postgres => POSTGRES,
    };
    up_to(store, migrations)
}

/// Runs the `migrations` a store has not had yet.
fn up_to(store: &mut Store, migrations: &[&str]) -> Result<(), StoreError> {
    let known = migrations.len() as i64;
    // Checked before taking the write lock, which an up-to-date store never needs.
    if current(store, known)? == known {
        return Ok(());
    }
    // PostgreSQL: the lock is taken before the transaction begins, so that the transaction
    // sees the schema another process finished meanwhile (a transaction that waited on an
    // advisory lock keeps the catalog as it found it).
    let found = store.exclusively(MIGRATION_LOCK, |store| {
        store.in_transaction(|tx| {
            let found = current(tx, known)?;
            for sql in &migrations[found as usize..] {
                tx.engine.change_schema(sql).map_err(|e| tx.sql(e))?;
            }
            if found < known {
                set_version(tx, known)?;
            }
            Ok(found)
        })
    })?;
    // A migration of a store in use may rewrite its rows: PostgreSQL's index-only scans read
    // the table for them until they are marked visible again.
    match store.dialect() {
        Dialect::Postgres if found > 0 => store.analyze(),
        _ => Ok(()),
    }
}

/// The store-wide lock migrations hold ("migrate" in ASCII).
const MIGRATION_LOCK: i64 = 0x006d_6967_7261_7465;

/// The store's version, refused when newer than the `known` one.
fn current(store: &Store, known: i64) -> Result<i64, StoreError> {
    let found = version(store)?;
    if found > known {
        return Err(StoreError::TooNew {
            path: store.path.display().to_string(),
            found,
            known,
        });
    }
    Ok(found)
}

impl Store {
    /// The schema version this store is at (each engine numbers its own migrations).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        version(self)
    }
}

/// The schema version a store is at (0 for a new one).
fn version(store: &Store) -> Result<i64, StoreError> {
    match store.dialect() {
        Dialect::Sqlite => Ok(store
            .first("PRAGMA user_version", &[], |r| r.get(0))?
            .unwrap_or(0)),
        Dialect::Postgres => {
            let exists = store
                .first(
                    "SELECT to_regclass('sitrep_schema') IS NOT NULL",
                    &[],
                    |r| r.get::<bool>(0),
                )?
                .unwrap_or(false);
            if !exists {
                return Ok(0);
            }
            Ok(store
                .first("SELECT max(version) FROM sitrep_schema", &[], |r| {
                    r.get::<Option<i64>>(0)
                })?
                .flatten()
                .unwrap_or(0))
        }
    }
}

fn set_version(store: &Store, version: i64) -> Result<(), StoreError> {
    match store.dialect() {
        Dialect::Sqlite => store
            .engine
            .batch(&format!("PRAGMA user_version = {version}"))
            .map_err(|e| store.sql(e)),
        Dialect::Postgres => {
            store
                .engine
                .batch(
                    "CREATE TABLE IF NOT EXISTS sitrep_schema (version BIGINT NOT NULL);
                 DELETE FROM sitrep_schema;",
                )
                .map_err(|e| store.sql(e))?;
            store
                .execute(
                    "INSERT INTO sitrep_schema (version) VALUES (?1)",
                    args![version],
                )
                .map(drop)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_store_is_at_the_latest_version_and_reopening_is_harmless() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        drop(Store::open(&path).unwrap());
        let store = Store::open(&path).unwrap();
        assert_eq!(version(&store).unwrap(), SQLITE.len() as i64);
    }

    #[test]
    fn a_newer_store_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let store = Store::open(&path).unwrap();
        set_version(&store, 999).unwrap();
        drop(store);
        let err = Store::open(&path).err().expect("refused");
        assert!(
            matches!(err, StoreError::TooNew { found: 999, .. }),
            "{err}"
        );
    }

    /// A PostgreSQL store made before events had cells, with events in it, answers box and
    /// date queries alike through the later migrations (which index events by cell).
    #[test]
    fn postgres_events_stored_before_cells_are_found_by_box_and_date_after() {
        use crate::{EventQuery, Incoming};
        let scratch = crate::scratch::ScratchDatabase::create().unwrap_or_else(|e| panic!("{e}"));
        let location = scratch.location().to_string_lossy().to_string();
        let mut store = Store {
            engine: crate::open_server(&location).unwrap(),
            path: location.clone().into(),
        };
        up_to(&mut store, &POSTGRES[..3]).unwrap();
        let article = sitrep_core::Article::from_normalised_text("Shelling near Saraqib.".into());
        let incoming = Incoming {
            origin: "a".into(),
            article: article.clone(),
            warnings: vec![],
        };
        store.ingest_batch(&[incoming]).unwrap();
        // Two points either side of a quarter-degree line, one month-dated, and an area.
        for (id, date, (s, w, n, e)) in [
            ("v0", "2023-03-14", (35.86, 36.81, 35.86, 36.81)),
            ("v1", "2023-03", (35.74, 36.74, 35.74, 36.74)),
            ("v2", "2023-04-02", (35.0, 36.0, 36.5, 37.5)),
            ("v3", "2022-03-14", (35.86, 36.81, 35.86, 36.81)),
        ] {
            store
                .execute(
                    "INSERT INTO events (article_id, event_id, type, mode, date, lat, lon, names,
                                         row, bounds)
                     VALUES (?1, ?2, 'ASSAULT', 'occurred', ?3, ?4, ?5, '', ?6,
                             box(point(?7, ?4), point(?8, ?9)))",
                    args![
                        article.id,
                        id,
                        date,
                        s,
                        w,
                        format!("{{\"event_id\": \"{id}\"}}"),
                        w,
                        e,
                        n
                    ],
                )
                .unwrap();
        }
        up(&mut store).unwrap();
        let found = |bbox, since: &str| {
            let query = EventQuery {
                bbox: Some(bbox),
                since: Some(since.into()),
                until: Some("2023-12".into()),
                limit: 10,
                ..Default::default()
            };
            let mut ids: Vec<String> = store.events(&query).unwrap().items;
            ids.sort();
            ids.join(" ")
        };
        assert_eq!(
            found((35.5, 36.5, 36.0, 37.0), "2023-03-10"),
            r#"{"event_id": "v0"} {"event_id": "v1"}"#
        );
        assert_eq!(
            found((34.0, 35.0, 37.0, 38.0), "2023-04"),
            r#"{"event_id": "v2"}"#
        );
    }

    #[test]
    fn a_file_that_is_not_a_database_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, "these are not the droids ".repeat(100)).unwrap();
        let err = Store::open(&path).err().expect("refused").to_string();
        assert!(
            err.contains("notes.txt") && err.contains("not a database"),
            "{err}"
        );
    }
}
