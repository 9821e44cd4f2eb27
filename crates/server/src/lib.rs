//! `sitrep serve`: the ledger over HTTP. A JSON API — articles (the §3 documents), events,
//! claims, entities, full-text search, and ingest — documented by the OpenAPI file served at
//! `/api/openapi.json`, and the web UI, on one port.
//!
//! Reads go to a pool of store connections, twice as many as the machine has cores, taken
//! first come first served (SQLite in WAL mode serves many readers at once; each is a
//! PostgreSQL backend). Ingest is queued: a POST answers at once with its job,
//! and the server's own worker (a thread owning the one ledger with the resources) or any
//! `sitrep worker` reaching the store does it. Every error is JSON:
//! `{"error": {"status", "message"}}`.
//! Writes need the token; reads need it too unless the server listens on loopback only (or is
//! told `open_reads`).

mod api;
mod params;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sitrep_ledger::jobs::WorkerSettings;
use sitrep_ledger::Ledger;
use sitrep_store::Store;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    /// The bearer token writes (and, off loopback, reads) need; without one, writes are off.
    pub token: Option<String>,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Serve reads without the token even when listening beyond loopback.
    pub open_reads: bool,
    /// Claims-over-time settings.
    pub track: sitrep_ledger::TrackSettings,
    /// Do queued work on a thread of the server's own (else only `sitrep worker`s do it).
    pub worker: bool,
}

impl Config {
    pub fn local(port: u16) -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], port)),
            token: None,
            max_body_bytes: 16 * 1024 * 1024,
            open_reads: false,
            track: sitrep_ledger::TrackSettings::builtin(),
            worker: true,
        }
    }

    /// Whether reads need the token: off loopback, unless told otherwise.
    fn reads_need_token(&self) -> bool {
        !self.open_reads && !self.bind.ip().is_loopback()
    }
}

/// What every request shares.
pub(crate) struct AppState {
    db: PathBuf,
    readers: Readers,
    /// Tells the server's worker that a job was queued; dropped with the state, it stops it.
    wake: Option<mpsc::Sender<()>>,
    config: Config,
}

impl AppState {
    /// Runs `f` on a pooled store connection, off the async threads, once it is this
    /// request's turn.
    async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let _turn = self
            .readers
            .turns
            .acquire()
            .await
            .map_err(|_| ApiError::internal("the server is stopping"))?;
        let state = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let lent = state.readers.take(&state.db)?;
            f(lent.store())
        })
        .await
        .map_err(|e| ApiError::internal(format!("a request's worker failed: {e}")))?
    }

    /// Wakes the server's worker, if it has one, for a job just queued.
    fn job_queued(&self) {
        if let Some(wake) = &self.wake {
            // A worker that stopped leaves the job to others.
            let _ = wake.send(());
        }
    }
}

/// Connections a server reads through at most: twice its cores (a reader spends part of its
/// time waiting on the store), at least two, at most sixteen; requests beyond wait their turn.
/// More would not answer sooner — on 2 cores, 8 readers gave the same requests/s as 3 with a
/// slower p99 (`cargo bench -p sitrep-server --bench api_load`) — and each is a backend process
/// of a PostgreSQL server, which allows about a hundred in all.
fn most_readers() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (2 * cores).clamp(2, 16)
}

/// The pool of reading connections, opened as requests need them, up to [`most_readers`].
struct Readers {
    most: usize,
    /// Requests take turns first come, first served (a waiting request is not passed over
    /// again and again, which made the slowest answers slower than they need be).
    turns: tokio::sync::Semaphore,
    idle: Mutex<Vec<Store>>,
}

impl Default for Readers {
    fn default() -> Self {
        let most = most_readers();
        Readers {
            most,
            turns: tokio::sync::Semaphore::new(most),
            idle: Mutex::default(),
        }
    }
}

impl Readers {
    /// An idle connection, else a new one (a request holding a turn always has one of its
    /// own); it goes back to the pool when the loan is dropped, unless a panic ended it.
    fn take(&self, db: &std::path::Path) -> Result<Lent<'_>, ApiError> {
        let idle = self.idle.lock().map_err(|_| ApiError::poisoned())?.pop();
        let store = match idle {
            Some(store) => store,
            None => Store::open(db).map_err(ApiError::internal)?,
        };
        Ok(Lent {
            store: Some(store),
            readers: self,
        })
    }
}

/// A connection lent from the pool: given back when dropped, or closed if a panic ended the
/// request.
struct Lent<'a> {
    store: Option<Store>,
    readers: &'a Readers,
}

impl Lent<'_> {
    fn store(&self) -> &Store {
        self.store
            .as_ref()
            .expect("a lent connection is there until dropped")
    }
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        let Some(store) = self.store.take() else {
            return;
        };
        if std::thread::panicking() {
            return;
        }
        // A request whose client went away gave up its turn while its read went on: the
        // pool keeps no more connections than there are turns.
        if let Ok(mut idle) = self.readers.idle.lock() {
            if idle.len() < self.readers.most {
                idle.push(store);
            }
        }
    }
}

/// The server's own worker: does queued jobs as they come (woken by the API, or every few
/// seconds for jobs queued elsewhere) until the server's state is dropped.
fn spawn_worker(mut ledger: Ledger, wake: mpsc::Receiver<()>) {
    let process = WorkerSettings::for_this_process();
    let settings = WorkerSettings {
        name: format!("{}/serve", process.name),
        ..process
    };
    std::thread::spawn(move || loop {
        loop {
            match ledger.work_one(&settings) {
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) => {
                    eprintln!("sitrep: the server's worker: {e}");
                    break;
                }
            }
        }
        match wake.recv_timeout(Duration::from_secs(5)) {
            Ok(()) | Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
    });
}

/// An error as the API reports it.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    pub(crate) fn internal(e: impl std::fmt::Display) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }

    fn poisoned() -> Self {
        Self::internal("the store's lock was poisoned by an earlier failure; restart the server")
    }
}

impl From<sitrep_store::StoreError> for ApiError {
    fn from(e: sitrep_store::StoreError) -> Self {
        match e {
            sitrep_store::StoreError::Query { .. } => ApiError::bad_request(e.to_string()),
            sitrep_store::StoreError::Ambiguous(_) => {
                ApiError::new(StatusCode::CONFLICT, e.to_string())
            }
            other => ApiError::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": { "status": self.status.as_u16(), "message": self.message }
        });
        (self.status, axum::Json(body)).into_response()
    }
}

/// The router over a store, its layers kept current with `resources` (for tests and `serve`).
pub fn router(
    db: PathBuf,
    resources: sitrep_annotate::Resources,
    config: Config,
) -> Result<axum::Router, sitrep_store::StoreError> {
    let mut ledger = Ledger::with_track(Store::open(&db)?, resources, config.track.clone());
    ledger.refresh()?;
    let wake = config.worker.then(|| {
        let (wake, woken) = mpsc::channel();
        spawn_worker(ledger, woken);
        wake
    });
    let state = Arc::new(AppState {
        db,
        readers: Readers::default(),
        wake,
        config,
    });
    Ok(api::routes(state))
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Store(#[from] sitrep_store::StoreError),
    #[error("cannot listen on {addr}: {reason}")]
    Bind { addr: SocketAddr, reason: String },
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// Serves until interrupted (Ctrl-C or SIGTERM), calling `ready` with the address once listening.
pub fn serve(
    db: PathBuf,
    resources: sitrep_annotate::Resources,
    config: Config,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let addr = config.bind;
    let app = router(db, resources, config)?;
    // The state's PostgreSQL connections close by blocking on a runtime of their own, which
    // cannot happen on the server's async threads: the last handle on the state is dropped
    // here, after the server's runtime is gone.
    let state = app.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| ServeError::Bind {
                addr,
                reason: e.to_string(),
            })?;
        ready(listener.local_addr()?);
        axum::serve(listener, app)
            .with_graceful_shutdown(interrupted())
            .await?;
        Ok(())
    });
    drop(runtime);
    drop(state);
    served
}

/// Resolves on Ctrl-C or SIGTERM (how service managers ask a server to stop).
async fn interrupted() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}

#[cfg(test)]
mod tests {
    use super::Config;

    #[test]
    fn reads_need_the_token_only_beyond_loopback_unless_opened() {
        let mut config = Config::local(8573);
        assert!(!config.reads_need_token());
        config.bind = "0.0.0.0:8573".parse().unwrap();
        assert!(config.reads_need_token());
        config.open_reads = true;
        assert!(!config.reads_need_token());
        config.bind = "[::1]:8573".parse().unwrap();
        config.open_reads = false;
        assert!(!config.reads_need_token());
    }
}
