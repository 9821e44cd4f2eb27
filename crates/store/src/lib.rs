//! sitrep's store: one SQLite file (WAL, FTS5, R*Tree) for one analyst, or one PostgreSQL
//! database (tsvector search, GiST boxes) that a team's machines share; both versioned by
//! migrations and reached through the same methods (the `engine` module holds what differs).
//!
//! Writes come in batches, one transaction each: an ingest killed midway leaves every batch
//! it acknowledged and nothing of the one in flight, and re-running it adds only what is
//! missing. Articles are stored once per distinct text; every place one was seen is kept as a
//! sighting; near-duplicates are linked to the article they repeat.

mod copy;
mod engine;
mod jobs;
mod layers;
mod migrate;
mod read;
pub mod scratch;
mod track;
mod web;
mod write;

use engine::{DbError, Engine, Row, ToValue, Value};
use std::path::{Path, PathBuf};

pub use engine::Dialect;
pub use jobs::{Job, JobStatus};
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
        source: DbError,
    },
    #[error("search query {query:?}: {reason}")]
    Query { query: String, reason: String },
    #[error("'{0}' matches several articles; give more of the id")]
    Ambiguous(String),
}

/// An open store.
pub struct Store {
    engine: Engine,
    /// The file, or the server's address without its password.
    path: PathBuf,
}

/// Whether a store location names a PostgreSQL server rather than a file.
pub fn is_server(location: &Path) -> bool {
    let text = location.to_string_lossy();
    text.starts_with("postgres://") || text.starts_with("postgresql://")
}

impl Store {
    /// Opens (creating if need be) the store at `location` and brings its schema up to date:
    /// a SQLite file, or a PostgreSQL database given as `postgres://user@host[:port]/dbname`.
    pub fn open(location: &Path) -> Result<Store, StoreError> {
        let engine = if is_server(location) {
            open_server(&location.to_string_lossy())?
        } else {
            open_file(location)?
        };
        let path = match engine.dialect() {
            Dialect::Sqlite => location.to_path_buf(),
            Dialect::Postgres => PathBuf::from(without_password(&location.to_string_lossy())),
        };
        let mut store = Store { engine, path };
        migrate::up(&mut store)?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Which engine this store runs on.
    pub fn dialect(&self) -> Dialect {
        self.engine.dialect()
    }

    /// The engine's own consistency check (SQLite's, plus its full-text index against the
    /// text; PostgreSQL keeps its indexes consistent itself).
    pub fn check_integrity(&self) -> Result<Vec<String>, StoreError> {
        if self.dialect() == Dialect::Postgres {
            return Ok(Vec::new());
        }
        let mut problems = self.rows("PRAGMA integrity_check", &[], |r| r.get::<String>(0))?;
        problems.retain(|p| p != "ok");
        if let Err(e) = self.execute(
            "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)",
            &[],
        ) {
            problems.push(format!("full-text index: {e}"));
        }
        Ok(problems)
    }

    /// Brings the engine's statistics up to date after a bulk load, so its planner chooses
    /// well at once (PostgreSQL also marks the rows visible, which index-only scans need).
    pub fn analyze(&self) -> Result<(), StoreError> {
        let sql = match self.dialect() {
            Dialect::Sqlite => "ANALYZE".to_string(),
            // The store's own tables: a database may hold others, not sitrep's to vacuum.
            Dialect::Postgres => {
                let tables: Vec<&str> = copy::TABLES.iter().map(|t| t.name).collect();
                format!("VACUUM (ANALYZE) {}", tables.join(", "))
            }
        };
        self.engine.batch(&sql).map_err(|e| self.sql(e))
    }

    /// The rows `sql` gives, each read by `map`.
    fn rows<T>(
        &self,
        sql: &str,
        args: &[Value],
        map: impl FnMut(&Row) -> Result<T, DbError>,
    ) -> Result<Vec<T>, StoreError> {
        self.engine
            .query(sql, args)
            .and_then(|rows| rows.iter().map(map).collect())
            .map_err(|e| self.sql(e))
    }

    /// The first row `sql` gives, if any, read by `map`.
    fn first<T>(
        &self,
        sql: &str,
        args: &[Value],
        map: impl FnMut(&Row) -> Result<T, DbError>,
    ) -> Result<Option<T>, StoreError> {
        Ok(self.rows(sql, args, map)?.into_iter().next())
    }

    /// Rows of a query over a list of values (`marks` stands for their `?`s, numbered after
    /// the `fixed` arguments), run in chunks that stay within the engines' argument limits.
    fn rows_in<T, V: ToValue>(
        &self,
        values: &[V],
        sql: impl Fn(&str) -> String,
        fixed: &[Value],
        mut map: impl FnMut(&Row) -> Result<T, DbError>,
    ) -> Result<Vec<T>, StoreError> {
        let mut out = Vec::new();
        for chunk in values.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let mut args: Vec<Value> = fixed.to_vec();
            args.extend(chunk.iter().map(ToValue::to_value));
            out.extend(self.rows(&sql(&marks), &args, &mut map)?);
        }
        Ok(out)
    }

    /// Runs `sql`; how many rows it changed.
    fn execute(&self, sql: &str, args: &[Value]) -> Result<u64, StoreError> {
        self.engine.execute(sql, args).map_err(|e| self.sql(e))
    }

    /// Runs `work` in one transaction holding the write lock: all of it is kept, or (on error
    /// or panic) none of it.
    fn in_transaction<T>(
        &mut self,
        work: impl FnOnce(&Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.engine.begin_writing().map_err(|e| self.sql(e))?;
        let mut open = RollbackOnDrop(Some(&self.engine));
        let out = work(self)?;
        open.0 = None;
        self.engine.batch("COMMIT").map_err(|e| self.sql(e))?;
        Ok(out)
    }

    fn sql(&self, source: impl Into<DbError>) -> StoreError {
        StoreError::Sql {
            path: self.path.display().to_string(),
            source: source.into(),
        }
    }
}

/// A page size in SQL: none (0) is every row.
pub(crate) fn sql_limit(limit: usize) -> i64 {
    if limit == 0 {
        i64::MAX
    } else {
        limit as i64
    }
}

/// Ends a transaction that did not reach its commit, so the connection stays usable.
struct RollbackOnDrop<'a>(Option<&'a Engine>);

impl Drop for RollbackOnDrop<'_> {
    fn drop(&mut self) {
        if let Some(engine) = self.0 {
            // The transaction's error is the one to report.
            let _ = engine.batch("ROLLBACK");
        }
    }
}

fn open_file(path: &Path) -> Result<Engine, StoreError> {
    let open_err = |reason: String| StoreError::Open {
        path: path.display().to_string(),
        reason,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| open_err(format!("cannot create {}: {e}", dir.display())))?;
    }
    let conn = rusqlite::Connection::open(path).map_err(|e| open_err(e.to_string()))?;
    conn.execute_batch(
        // Reads map the file rather than copy it page by page through read calls.
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
         PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -16000;",
    )
    .map_err(|e| open_err(e.to_string()))?;
    Ok(Engine::Sqlite(conn))
}

fn open_server(url: &str) -> Result<Engine, StoreError> {
    let open_err = |e: postgres::Error| StoreError::Open {
        path: without_password(url),
        reason: DbError::from(e).to_string(),
    };
    let mut client = postgres::Client::connect(url, postgres::NoTls).map_err(open_err)?;
    // Statements are prepared once per connection, but how many rows a box or a date range
    // holds varies by thousands from one call to the next: each call is planned for its own
    // values (a plan made for none chose to read the table for a box of 3,000 events).
    client
        .batch_execute("SET plan_cache_mode = force_custom_plan")
        .map_err(open_err)?;
    Ok(Engine::postgres(client))
}

/// A server address fit for messages and logs.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((user, host)) if user.contains(':') => {
            let name = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{name}:***@{host}")
        }
        _ => url.to_string(),
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
