//! A scratch PostgreSQL schema, for tests and benchmarks that need a real server: made on the
//! server named by `SITREP_TEST_POSTGRES` (else the local one every sitrep machine runs),
//! reached through a store location whose search path is that schema, dropped when done.

use crate::engine::DbError;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// The variable naming the server scratch schemas are made on.
pub const TEST_SERVER_VARIABLE: &str = "SITREP_TEST_POSTGRES";

/// The server when the variable is unset: the local one, trusting local connections.
const LOCAL_SERVER: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A schema of its own on a PostgreSQL server, dropped with everything in it on drop.
pub struct ScratchDatabase {
    server: String,
    schema: String,
    location: PathBuf,
}

impl ScratchDatabase {
    /// Makes a new schema; the error says which server could not be reached and why.
    pub fn create() -> Result<ScratchDatabase, String> {
        static MADE: AtomicU32 = AtomicU32::new(0);
        let server = std::env::var(TEST_SERVER_VARIABLE).unwrap_or_else(|_| LOCAL_SERVER.into());
        let schema = format!(
            "sitrep_scratch_{}_{}",
            std::process::id(),
            MADE.fetch_add(1, Ordering::Relaxed)
        );
        let mut client = connect(&server)?;
        client
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            ))
            .map_err(|e| unreachable_server(&server, e))?;
        let joint = if server.contains('?') { '&' } else { '?' };
        let location = PathBuf::from(format!("{server}{joint}options=-csearch_path%3D{schema}"));
        Ok(ScratchDatabase {
            server,
            schema,
            location,
        })
    }

    /// The store location to open: the server, with this schema as its search path.
    pub fn location(&self) -> &Path {
        &self.location
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        if let Ok(mut client) = connect(&self.server) {
            // A schema left behind is named for what it is; nothing else can be done here.
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
        }
    }
}

fn connect(server: &str) -> Result<postgres::Client, String> {
    postgres::Client::connect(server, postgres::NoTls).map_err(|e| unreachable_server(server, e))
}

fn unreachable_server(server: &str, e: postgres::Error) -> String {
    format!(
        "PostgreSQL at {server}: {}; the PostgreSQL tests need a server where they may create \
         schemas (set {TEST_SERVER_VARIABLE} to its address)",
        DbError::from(e)
    )
}
