//! Ingest as queued work: a batch of read articles becomes a job in the store, and a worker —
//! `sitrep worker` on any machine, or the server's own — takes it, stores the articles,
//! annotates them and brings claims over time up to date. Storing is one transaction and
//! storing again is harmless, so a job retried after its worker died changes nothing twice.

use crate::Ledger;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sitrep_core::Article;
use sitrep_store::{Incoming, Job, Outcome, Store, StoreError};
use std::time::Duration;

/// The kind of job that stores and annotates a batch of articles.
pub const INGEST: &str = "ingest";

/// An ingest job's payload: the articles as read, with where each was read from.
#[derive(Debug, Serialize, Deserialize)]
struct IngestPayload {
    articles: Vec<QueuedArticle>,
}

#[derive(Debug, Serialize, Deserialize)]
struct QueuedArticle {
    origin: String,
    article: Article,
    warnings: Vec<String>,
}

/// Queues a batch of articles for a worker; the job's id.
pub fn enqueue_ingest(store: &Store, batch: &[Incoming]) -> Result<i64, StoreError> {
    let payload = IngestPayload {
        articles: batch
            .iter()
            .map(|i| QueuedArticle {
                origin: i.origin.clone(),
                article: i.article.clone(),
                warnings: i.warnings.clone(),
            })
            .collect(),
    };
    let json = serde_json::to_string(&payload).expect("articles serialise");
    store.enqueue(INGEST, &json)
}

/// How a worker takes jobs.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// The worker's name in the queue (host and process, say).
    pub name: String,
    /// How long a job is the worker's before another may take it (the worker may have died).
    pub lease: Duration,
    /// Tries a job gets before it is parked.
    pub attempts: i64,
}

impl WorkerSettings {
    /// This process's worker: named for its host and process id, a five-minute lease, three
    /// attempts.
    pub fn for_this_process() -> Self {
        let host = std::fs::read_to_string("/etc/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_else(|_| "localhost".into());
        WorkerSettings {
            name: format!("{host}:{}", std::process::id()),
            lease: Duration::from_secs(300),
            attempts: 3,
        }
    }
}

/// What a worker did with one job.
#[derive(Debug, Clone)]
pub struct JobDone {
    pub id: i64,
    pub attempt: i64,
    /// What the job did (JSON), or why it failed.
    pub outcome: Result<Value, String>,
}

impl Ledger {
    /// Takes the next job waiting, if any, and does it; its result or error is recorded on
    /// the job. An error of the store itself (the connection lost, say) is returned: the job
    /// stays leased and is taken again when the lease runs out.
    pub fn work_one(&mut self, settings: &WorkerSettings) -> Result<Option<JobDone>, StoreError> {
        let Some(job) = self
            .store
            .claim_job(&settings.name, settings.lease, settings.attempts)?
        else {
            return Ok(None);
        };
        let outcome = match job.kind.as_str() {
            INGEST => self.ingest_job(&job)?,
            other => Err(format!("no worker knows jobs of kind {other:?}")),
        };
        match &outcome {
            Ok(result) => {
                self.store
                    .finish_job(job.id, &settings.name, &result.to_string())?;
            }
            Err(error) => {
                self.store
                    .fail_job(job.id, &settings.name, error, settings.attempts)?;
            }
        }
        Ok(Some(JobDone {
            id: job.id,
            attempt: job.attempts,
            outcome,
        }))
    }

    /// Stores, annotates and tracks a job's articles: the job's result (as the API gives it),
    /// or why its payload cannot be read.
    fn ingest_job(&mut self, job: &Job) -> Result<Result<Value, String>, StoreError> {
        let payload: IngestPayload = match serde_json::from_str(&job.payload) {
            Ok(p) => p,
            Err(e) => return Ok(Err(format!("the job's articles cannot be read: {e}"))),
        };
        let batch: Vec<Incoming> = payload
            .articles
            .into_iter()
            .map(|a| Incoming {
                origin: a.origin,
                article: a.article,
                warnings: a.warnings,
            })
            .collect();
        let outcomes = self.store.ingest_batch(&batch)?;
        // New texts, and any a worker that died before annotating them left without layers.
        let ids: Vec<String> = batch.iter().map(|i| i.article.id.clone()).collect();
        let stale = self.store.stale_among(&self.resources.fingerprint, &ids)?;
        let annotated = self.annotate(&stale)?;
        self.track()?;
        let results: Vec<Value> = batch
            .iter()
            .zip(&outcomes)
            .map(|(incoming, outcome)| outcome_json(incoming, outcome))
            .collect();
        Ok(Ok(json!({ "results": results, "annotated": annotated })))
    }
}

/// What storing one article did, as the API and job results say it.
pub fn outcome_json(incoming: &Incoming, outcome: &Outcome) -> Value {
    let (origin, id) = (&incoming.origin, &incoming.article.id);
    match outcome {
        Outcome::Added => json!({"origin": origin, "id": id, "outcome": "added"}),
        Outcome::NearDuplicate { of, similarity } => {
            json!({"origin": origin, "id": id, "outcome": "near_duplicate", "of": of, "similarity": similarity})
        }
        Outcome::Duplicate { of } => {
            json!({"origin": origin, "id": of, "outcome": "duplicate", "of": of})
        }
        Outcome::AlreadyStored => json!({"origin": origin, "id": id, "outcome": "already_stored"}),
        Outcome::Updated { of } => {
            json!({"origin": origin, "id": of, "outcome": "updated", "of": of})
        }
    }
}
