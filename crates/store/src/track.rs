//! The tracker's rows: statements with their threads and lookup keys, events with their
//! verdicts. The store only keeps and finds them; sitrep-track decides what they say.

use crate::engine::{args, DbError, Row, Value};
use crate::{Store, StoreError};

/// A tracked statement.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrackedClaim {
    pub article_id: String,
    pub statement_id: String,
    pub thread: String,
    pub relation: String,
    pub rule: String,
    pub speaker: Option<String>,
    pub kind: String,
    pub date: Option<String>,
    /// What comparing it needs, as JSON.
    pub facts: String,
    /// Lookup keys (non-negative).
    pub keys: Vec<i64>,
}

/// A tracked event.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrackedEvent {
    pub article_id: String,
    pub event_id: String,
    pub event_type: String,
    pub mode: String,
    pub date: Option<String>,
    pub due: Option<String>,
    pub speaker: Option<String>,
    pub status: Option<String>,
    pub corroboration: Option<String>,
    /// The verdict with its evidence and rule, as JSON.
    pub verdict: Option<String>,
    pub facts: String,
}

/// One tracking step's writes, made in one transaction: articles' facts replaced, threads and
/// verdicts updated.
#[derive(Debug, Default)]
pub struct TrackBatch {
    /// Articles tracked, with the fingerprint they were tracked with.
    pub articles: Vec<(String, String)>,
    pub claims: Vec<TrackedClaim>,
    pub events: Vec<TrackedEvent>,
    /// Stored statements whose thread, relation or rule changed (only those are written).
    pub threads: Vec<TrackedClaim>,
    /// Stored events judged again: their status, corroboration and verdict are written.
    pub verdicts: Vec<TrackedEvent>,
}

const CLAIM_COLUMNS: &str =
    "c.article_id, c.statement_id, c.thread, c.relation, c.rule, c.speaker, c.kind, c.date, c.facts";
const EVENT_COLUMNS: &str =
    "article_id, event_id, type, mode, date, due, speaker, status, corroboration, verdict, facts";

fn claim_row(r: &Row) -> Result<TrackedClaim, DbError> {
    Ok(TrackedClaim {
        article_id: r.get(0)?,
        statement_id: r.get(1)?,
        thread: r.get(2)?,
        relation: r.get(3)?,
        rule: r.get(4)?,
        speaker: r.get(5)?,
        kind: r.get(6)?,
        date: r.get(7)?,
        facts: r.get(8)?,
        keys: Vec::new(),
    })
}

fn event_row(r: &Row) -> Result<TrackedEvent, DbError> {
    Ok(TrackedEvent {
        article_id: r.get(0)?,
        event_id: r.get(1)?,
        event_type: r.get(2)?,
        mode: r.get(3)?,
        date: r.get(4)?,
        due: r.get(5)?,
        speaker: r.get(6)?,
        status: r.get(7)?,
        corroboration: r.get(8)?,
        verdict: r.get(9)?,
        facts: r.get(10)?,
    })
}

impl Store {
    /// Articles with layers whose tracked facts are missing or were made with another
    /// fingerprint, oldest first, at most `limit`.
    pub fn untracked(&self, fingerprint: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        self.strings(
            "SELECT l.article_id FROM layers l JOIN articles a ON a.id = l.article_id
             LEFT JOIN track_articles t ON t.article_id = l.article_id
             WHERE t.article_id IS NULL OR t.resources != ?1
             ORDER BY a.rowid LIMIT ?2",
            args![fingerprint, crate::sql_limit(limit)],
        )
    }

    /// The stored statements that share any of these keys, said within `span` (ISO days,
    /// inclusive) or undated; each once per chunk of keys (a caller with many keys merges).
    pub fn claims_with_keys(
        &self,
        keys: &[i64],
        span: Option<(String, String)>,
    ) -> Result<Vec<TrackedClaim>, StoreError> {
        // Undated statements are kept under the empty day: a span of their own.
        let spans = match span {
            Some(span) => vec![span, (String::new(), String::new())],
            None => vec![(String::new(), "9999".into())],
        };
        let mut claims = Vec::new();
        for (from, until) in &spans {
            claims.extend(self.rows_in(
                keys,
                |marks| {
                    format!(
                        "SELECT {CLAIM_COLUMNS} FROM track_claims c WHERE c.rowid IN (
                           SELECT k.claim FROM track_keys k WHERE k.day BETWEEN ?1 AND ?2 AND k.key IN ({marks}))"
                    )
                },
                args![from, until],
                claim_row,
            )?);
        }
        Ok(claims)
    }

    /// Every statement of these threads, in no particular order.
    pub fn thread_claims(&self, threads: &[String]) -> Result<Vec<TrackedClaim>, StoreError> {
        self.rows_in(
            threads,
            |marks| {
                format!("SELECT {CLAIM_COLUMNS} FROM track_claims c WHERE c.thread IN ({marks})")
            },
            &[],
            claim_row,
        )
    }

    /// The thread of each statement of these articles: (article, statement, thread).
    pub fn claim_threads_of(
        &self,
        articles: &[String],
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        self.rows_in(
            articles,
            |marks| {
                format!(
                    "SELECT article_id, statement_id, thread FROM track_claims WHERE article_id IN ({marks})"
                )
            },
            &[],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
    }

    /// The threads these articles' statements are in.
    pub fn threads_of_articles(&self, articles: &[String]) -> Result<Vec<String>, StoreError> {
        let mut threads = self.rows_in(
            articles,
            |marks| {
                format!("SELECT DISTINCT thread FROM track_claims WHERE article_id IN ({marks})")
            },
            &[],
            |r| r.get(0),
        )?;
        threads.sort();
        threads.dedup();
        Ok(threads)
    }

    /// Tracked statements, of one thread or all, in order of date (undated last).
    pub fn tracked_claims(&self, thread: Option<&str>) -> Result<Vec<TrackedClaim>, StoreError> {
        self.rows(
            &format!(
                "SELECT {CLAIM_COLUMNS} FROM track_claims c WHERE CAST(?1 AS TEXT) IS NULL OR c.thread = ?1
                 ORDER BY c.date IS NULL, c.date, c.rowid"
            ),
            args![thread],
            claim_row,
        )
    }

    /// Events of a type dated inside `[from, until]` (ISO days).
    pub fn tracked_events_between(
        &self,
        event_type: &str,
        from: &str,
        until: &str,
    ) -> Result<Vec<TrackedEvent>, StoreError> {
        self.rows(
            &format!("SELECT {EVENT_COLUMNS} FROM track_events WHERE type = ?1 AND date >= ?2 AND date <= ?3"),
            args![event_type, from, until],
            event_row,
        )
    }

    /// Pending forward-looking events due before `clock`: their window has passed.
    pub fn pending_past_due(&self, clock: &str) -> Result<Vec<TrackedEvent>, StoreError> {
        self.rows(
            &format!(
                "SELECT {EVENT_COLUMNS} FROM track_events WHERE status = 'pending' AND due < ?1"
            ),
            args![clock],
            event_row,
        )
    }

    /// Tracked events with a verdict, filtered by status or corroboration, by date (undated
    /// last), then article and event: the same order whatever order the articles came in.
    pub fn tracked_events(
        &self,
        status: Option<&str>,
        alleged: bool,
    ) -> Result<Vec<TrackedEvent>, StoreError> {
        let column = if alleged { "corroboration" } else { "status" };
        self.rows(
            &format!(
                "SELECT {EVENT_COLUMNS} FROM track_events WHERE {column} IS NOT NULL AND (CAST(?1 AS TEXT) IS NULL OR {column} = ?1)
                 ORDER BY date IS NULL, date, article_id, event_id"
            ),
            args![status],
            event_row,
        )
    }

    /// Forward-looking events of a type whose windows (said to due) meet `[from, until]`.
    pub fn open_forward_events(
        &self,
        event_type: &str,
        from: &str,
        until: &str,
    ) -> Result<Vec<TrackedEvent>, StoreError> {
        self.rows(
            &format!(
                "SELECT {EVENT_COLUMNS} FROM track_events WHERE type = ?1 AND due >= ?2 AND date <= ?3"
            ),
            args![event_type, from, until],
            event_row,
        )
    }

    /// Events of these articles.
    pub fn tracked_events_of(&self, articles: &[String]) -> Result<Vec<TrackedEvent>, StoreError> {
        self.rows_in(
            articles,
            |marks| {
                format!("SELECT {EVENT_COLUMNS} FROM track_events WHERE article_id IN ({marks})")
            },
            &[],
            event_row,
        )
    }

    /// The thread and relation of a tracked statement.
    pub fn claim_thread(
        &self,
        article: &str,
        statement: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        Ok(self
            .rows(
                "SELECT thread, relation FROM track_claims WHERE article_id = ?1 AND statement_id = ?2",
                args![article, statement],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .pop())
    }

    /// A thread's origin: (article, statement).
    pub fn thread_origin(&self, thread: &str) -> Result<Option<(String, String)>, StoreError> {
        Ok(self
            .rows(
                "SELECT article_id, statement_id FROM track_claims WHERE thread = ?1 AND relation = 'origin' LIMIT 1",
                args![thread],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .pop())
    }

    /// The id of the (first stored) article with this title.
    pub fn article_id_by_title(&self, title: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .strings(
                "SELECT id FROM articles WHERE title = ?1 ORDER BY rowid LIMIT 1",
                args![title],
            )?
            .pop())
    }

    /// The newest publication day in the store: the tracker's "now".
    pub fn clock(&self) -> Result<Option<String>, StoreError> {
        Ok(self
            .first("SELECT MAX(published_day) FROM articles", &[], |r| r.get(0))?
            .flatten())
    }

    /// Writes one tracking step, all or nothing.
    pub fn save_track(&mut self, batch: &TrackBatch) -> Result<(), StoreError> {
        self.in_transaction(|tx| {
            for (article, fingerprint) in &batch.articles {
                for table in ["track_claims", "track_events"] {
                    tx.execute(
                        &format!("DELETE FROM {table} WHERE article_id = ?1"),
                        args![article],
                    )?;
                }
                tx.execute(
                    "INSERT INTO track_articles (article_id, resources) VALUES (?1, ?2)
                     ON CONFLICT(article_id) DO UPDATE SET resources = ?2",
                    args![article, fingerprint],
                )?;
            }
            for c in &batch.claims {
                tx.insert_tracked_claim(c)?;
            }
            for e in &batch.events {
                tx.execute(
                    &format!("INSERT INTO track_events ({EVENT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
                    args![
                        e.article_id, e.event_id, e.event_type, e.mode, e.date, e.due, e.speaker,
                        e.status, e.corroboration, e.verdict, e.facts
                    ],
                )?;
            }
            for c in &batch.threads {
                tx.execute(
                    "UPDATE track_claims SET thread = ?3, relation = ?4, rule = ?5 WHERE article_id = ?1 AND statement_id = ?2",
                    args![c.article_id, c.statement_id, c.thread, c.relation, c.rule],
                )?;
            }
            for e in &batch.verdicts {
                tx.execute(
                    "UPDATE track_events SET status = ?3, corroboration = ?4, verdict = ?5 WHERE article_id = ?1 AND event_id = ?2",
                    args![e.article_id, e.event_id, e.status, e.corroboration, e.verdict],
                )?;
            }
            Ok(())
        })
    }

    fn insert_tracked_claim(&self, c: &TrackedClaim) -> Result<(), StoreError> {
        let claim: Option<i64> = self.first(
            "INSERT INTO track_claims (article_id, statement_id, thread, relation, rule, speaker, kind, date, facts)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING rowid",
            args![c.article_id, c.statement_id, c.thread, c.relation, c.rule, c.speaker, c.kind, c.date, c.facts],
            |r| r.get(0),
        )?;
        for key in &c.keys {
            self.execute(
                "INSERT INTO track_keys (key, day, claim) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                args![key, c.date.as_deref().unwrap_or(""), claim],
            )?;
        }
        Ok(())
    }

    fn strings(&self, sql: &str, args: &[Value]) -> Result<Vec<String>, StoreError> {
        self.rows(sql, args, |r| r.get(0))
    }
}
