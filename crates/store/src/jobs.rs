//! The job queue, kept in the store so that any machine reaching it can work: jobs are taken
//! for a lease (PostgreSQL's `FOR UPDATE SKIP LOCKED`, so workers never wait on each other's
//! picks), finished with what they did, or failed with why; a job whose worker died is taken
//! again when its lease runs out, and one that failed as often as allowed is parked.

use crate::engine::{args, DbError, Dialect, Row};
use crate::{Store, StoreError};
use serde::Serialize;
use std::time::Duration;

/// A job a worker took.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    /// What to do, as JSON.
    pub payload: String,
    /// This attempt's number, from 1.
    pub attempts: i64,
}

/// A job as it stands, for whoever queued it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobStatus {
    pub id: i64,
    pub kind: String,
    /// queued, running, done or parked.
    pub state: String,
    pub attempts: i64,
    pub worker: Option<String>,
    /// Why the last attempt failed (a parked job's reason).
    pub error: Option<String>,
    /// What the job did, when done.
    pub result: Option<serde_json::Value>,
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
}

const STATUS_COLUMNS: &str =
    "id, kind, state, attempts, worker, error, result, created_at, started_at, finished_at";

fn status(r: &Row) -> Result<JobStatus, DbError> {
    Ok(JobStatus {
        id: r.get(0)?,
        kind: r.get(1)?,
        state: r.get(2)?,
        attempts: r.get(3)?,
        worker: r.get(4)?,
        error: r.get(5)?,
        result: r
            .get::<Option<String>>(6)?
            .and_then(|json| serde_json::from_str(&json).ok()),
        created_at: r.get(7)?,
        started_at: r.get(8)?,
        finished_at: r.get(9)?,
    })
}

/// A time `ahead` from now, as the store writes times.
fn after(ahead: Duration) -> String {
    let ahead = chrono::Duration::from_std(ahead).unwrap_or(chrono::Duration::MAX);
    let when = chrono::Utc::now()
        .checked_add_signed(ahead)
        .unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC);
    when.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Store {
    /// Queues a job; its id. One statement, so any connection may queue (a server's readers
    /// do, leaving its writer to work).
    pub fn enqueue(&self, kind: &str, payload: &str) -> Result<i64, StoreError> {
        let id = self.first(
            "INSERT INTO jobs (kind, payload, created_at) VALUES (?1, ?2, ?3) RETURNING id",
            args![kind, payload, crate::now()],
            |r| r.get(0),
        )?;
        Ok(id.unwrap_or_default())
    }

    /// Takes the oldest job waiting (queued, or running past its lease: its worker died) for
    /// `worker`, for `lease`. Jobs that have had `attempts` tries and whose lease ran out are
    /// parked first.
    pub fn claim_job(
        &mut self,
        worker: &str,
        lease: Duration,
        attempts: i64,
    ) -> Result<Option<Job>, StoreError> {
        let now = crate::now();
        self.execute(
            "UPDATE jobs SET state = 'parked', lease_until = NULL, finished_at = ?1,
                 error = coalesce(error || '; ', '') || 'its worker stopped before finishing, '
                         || CAST(attempts AS TEXT) || ' times'
             WHERE state = 'running' AND lease_until < ?1 AND attempts >= ?2",
            args![now, attempts],
        )?;
        let skip_locked = match self.dialect() {
            Dialect::Sqlite => "",
            Dialect::Postgres => "FOR UPDATE SKIP LOCKED",
        };
        let sql = format!(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, worker = ?1,
                 lease_until = ?2, started_at = ?3
             WHERE id = (SELECT id FROM jobs
                         WHERE state = 'queued' OR (state = 'running' AND lease_until < ?3)
                         ORDER BY id LIMIT 1 {skip_locked})
             RETURNING id, kind, payload, attempts"
        );
        self.first(&sql, args![worker, after(lease), now], |r| {
            Ok(Job {
                id: r.get(0)?,
                kind: r.get(1)?,
                payload: r.get(2)?,
                attempts: r.get(3)?,
            })
        })
    }

    /// Marks a job `worker` holds as done, with what it did (JSON); false if the job is no
    /// longer its own (its lease ran out and another worker took it).
    pub fn finish_job(&mut self, id: i64, worker: &str, result: &str) -> Result<bool, StoreError> {
        let changed = self.execute(
            "UPDATE jobs SET state = 'done', result = ?3, error = NULL, finished_at = ?4,
                 lease_until = NULL
             WHERE id = ?1 AND worker = ?2 AND state = 'running'",
            args![id, worker, result, crate::now()],
        )?;
        Ok(changed == 1)
    }

    /// Records why a job `worker` holds failed: it waits for another try, or is parked once it
    /// has had `attempts`.
    pub fn fail_job(
        &mut self,
        id: i64,
        worker: &str,
        error: &str,
        attempts: i64,
    ) -> Result<(), StoreError> {
        self.execute(
            "UPDATE jobs SET state = CASE WHEN attempts >= ?4 THEN 'parked' ELSE 'queued' END,
                 error = ?3, finished_at = ?5, lease_until = NULL
             WHERE id = ?1 AND worker = ?2 AND state = 'running'",
            args![id, worker, error, attempts, crate::now()],
        )
        .map(drop)
    }

    /// A job as it stands.
    pub fn job(&self, id: i64) -> Result<Option<JobStatus>, StoreError> {
        let sql = format!("SELECT {STATUS_COLUMNS} FROM jobs WHERE id = ?1");
        self.first(&sql, args![id], status)
    }

    /// A page of jobs, newest first, of one state or all.
    pub fn jobs(
        &self,
        state: Option<&str>,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<JobStatus>, StoreError> {
        let sql = format!(
            "SELECT {STATUS_COLUMNS} FROM jobs WHERE CAST(?1 AS TEXT) IS NULL OR state = ?1
             ORDER BY id DESC LIMIT ?2 OFFSET ?3"
        );
        let limit = crate::sql_limit(limit);
        self.rows(&sql, args![state, limit, offset], status)
    }

    /// How many jobs are in each state.
    pub fn job_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        self.rows(
            "SELECT state, count(*) FROM jobs GROUP BY state ORDER BY state",
            &[],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// Runs `work` while holding the store-wide lock named `lock`, so that one process at a
    /// time does it (on PostgreSQL across machines; a SQLite store has one writer anyway).
    pub fn exclusively<T>(
        &mut self,
        lock: i64,
        work: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if self.dialect() == Dialect::Sqlite {
            return work(self);
        }
        self.execute("SELECT pg_advisory_lock(?1)", args![lock])?;
        let out = work(self);
        let released = self.execute("SELECT pg_advisory_unlock(?1)", args![lock]);
        let out = out?;
        released?;
        Ok(out)
    }
}
