//! sitrep's embedded store: one SQLite file (WAL, FTS5), versioned by migrations.
//!
//! Writes come in batches, one transaction each: an ingest killed midway leaves every batch
//! it acknowledged and nothing of the one in flight, and re-running it adds only what is
//! missing. Articles are stored once per distinct text; every place one was seen is kept as a
//! sighting; near-duplicates are linked to the article they repeat.

mod layers;
mod migrate;
mod read;
mod track;
mod web;
mod write;

use rusqlite::Connection;
use std::path::{Path, PathBuf};

pub use layers::{
    ClaimQuery, ClaimRecord, EntityQuery, EntityRecord, EntitySummary, EventQuery, EventRecord,
    LayerRecord, Page,
};
pub use read::{ArticleSummary, ListFilter, SearchHit, Stats};
pub use track::{TrackBatch, TrackedClaim, TrackedEvent};
pub use web::{FetchRecord, FetchedArticle, Harvest, SourceRecord};
pub use write::{Incoming, Outcome};

/// Why the store refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {reason}")]
    Open { path: String, reason: String },
    #[error("database {path}: schema version {found} is newer than this sitrep understands ({known}); upgrade sitrep")]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("database {path}: {source}")]
    Sql {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("search query {query:?}: {reason}")]
    Query { query: String, reason: String },
    #[error("'{0}' matches several articles; give more of the id")]
    Ambiguous(String),
}

/// An open store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if need be) the store at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let open_err = |reason: String| StoreError::Open {
            path: path.display().to_string(),
            reason,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| open_err(format!("cannot create {}: {e}", dir.display())))?;
        }
        let conn = Connection::open(path).map_err(|e| open_err(e.to_string()))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store
            .conn
            .execute_batch(
                // Reads map the file rather than copy it page by page through read calls.
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                 PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -16000;",
            )
            .map_err(|e| open_err(e.to_string()))?;
        migrate::up(&mut store)?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// SQLite's own consistency check, plus the full-text index against its content.
    pub fn check_integrity(&self) -> Result<Vec<String>, StoreError> {
        let mut problems: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")
            .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(0))?.collect())
            .map_err(|e| self.sql(e))?;
        problems.retain(|p| p != "ok");
        if let Err(e) = self.conn.execute(
            "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)",
            [],
        ) {
            problems.push(format!("full-text index: {e}"));
        }
        Ok(problems)
    }

    fn sql(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sql {
            path: self.path.display().to_string(),
            source,
        }
    }
}

/// The time stamps the store writes: UTC, RFC 3339, whole seconds (so they sort as text).
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl AsMut<Store> for Store {
    fn as_mut(&mut self) -> &mut Store {
        self
    }
}
