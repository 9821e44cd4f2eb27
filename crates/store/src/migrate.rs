//! Schema migrations, numbered from day one. Each runs in its own transaction and bumps
//! `PRAGMA user_version`; a store newer than this build is refused, never touched.

use crate::{Store, StoreError};

/// The migrations in order; the schema version is their count.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_articles.sql"),
    include_str!("../migrations/0002_layers.sql"),
    include_str!("../migrations/0003_track.sql"),
    include_str!("../migrations/0004_track_windows.sql"),
    include_str!("../migrations/0005_sources.sql"),
];

pub(crate) fn up(store: &mut Store) -> Result<(), StoreError> {
    let known = MIGRATIONS.len() as i64;
    let found: i64 = store
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| store.sql(e))?;
    if found > known {
        return Err(StoreError::TooNew {
            path: store.path.display().to_string(),
            found,
            known,
        });
    }
    for (version, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let path = store.path.clone();
        let sql_err = |source| StoreError::Sql {
            path: path.display().to_string(),
            source,
        };
        let tx = store.conn.transaction().map_err(sql_err)?;
        tx.execute_batch(sql).map_err(sql_err)?;
        tx.pragma_update(None, "user_version", version as i64 + 1)
            .map_err(sql_err)?;
        tx.commit().map_err(sql_err)?;
    }
    Ok(())
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
        let v: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, MIGRATIONS.len() as i64);
    }

    #[test]
    fn a_newer_store_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let store = Store::open(&path).unwrap();
        store.conn.pragma_update(None, "user_version", 999).unwrap();
        drop(store);
        let err = Store::open(&path).err().expect("refused");
        assert!(
            matches!(err, StoreError::TooNew { found: 999, .. }),
            "{err}"
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
