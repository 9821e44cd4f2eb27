//! The stored language layers of articles, and the event, claim and entity rows drawn from
//! them that queries filter, sort and page through without annotating again.

use crate::{Store, StoreError};
use rusqlite::{params, params_from_iter, OptionalExtension, ToSql};

/// One article's layers, ready to store: its document JSON and the rows drawn from it.
#[derive(Debug, Clone, Default)]
pub struct LayerRecord {
    pub article_id: String,
    /// The document JSON of DESIGN.md §3.
    pub document: String,
    pub events: Vec<EventRecord>,
    pub claims: Vec<ClaimRecord>,
    pub entities: Vec<EntityRecord>,
}

/// An event row with what queries filter and sort on.
#[derive(Debug, Clone, Default)]
pub struct EventRecord {
    pub event_id: String,
    pub event_type: String,
    pub mode: String,
    pub outlet: Option<String>,
    /// The event's date, else the publication date.
    pub date: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Actors' and targets' names.
    pub names: Vec<String>,
    /// The flat event row, as JSON.
    pub row: String,
}

/// A claim row with what queries filter on.
#[derive(Debug, Clone, Default)]
pub struct ClaimRecord {
    pub statement_id: String,
    pub speaker: String,
    pub kind: String,
    pub outlet: Option<String>,
    pub date: Option<String>,
    pub tags: Vec<String>,
    /// The flat claim row, as JSON.
    pub row: String,
}

/// An entity as one article names it.
#[derive(Debug, Clone, Default)]
pub struct EntityRecord {
    pub entity_id: String,
    pub kind: String,
    pub name: String,
    pub code: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// Which events to return, and which page. Empty fields keep everything.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    /// Part of an actor's or target's name, any case.
    pub actor: Option<String>,
    pub event_type: Option<String>,
    pub mode: Option<String>,
    pub outlet: Option<String>,
    /// Dates from / until (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`; compared at the coarser of the
    /// two precisions, so "2023" lies within "2023-01-15").
    pub since: Option<String>,
    pub until: Option<String>,
    /// (south, west, north, east).
    pub bbox: Option<(f64, f64, f64, f64)>,
    /// Only these articles.
    pub article: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

/// Which claims to return, and which page.
#[derive(Debug, Clone, Default)]
pub struct ClaimQuery {
    /// Part of the speaker's name, any case.
    pub by: Option<String>,
    pub kind: Option<String>,
    pub tag: Option<String>,
    pub outlet: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub article: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

/// Which entities to return, and which page.
#[derive(Debug, Clone, Default)]
pub struct EntityQuery {
    /// Part of the name, any case.
    pub name: Option<String>,
    pub kind: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

/// An entity across the articles that name it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EntitySummary {
    pub kind: String,
    pub name: String,
    pub code: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// How many articles name it.
    pub articles: usize,
}

/// A page of rows (JSON), and how many match in all.
#[derive(Debug, Clone, Default)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: usize,
}

/// SQL that keeps a date (column `column`) from ?since until ?until at the coarser precision.
fn date_within(column: &str, since: usize, until: usize) -> String {
    format!(
        "(?{since} IS NULL OR ({column} IS NOT NULL AND substr({column}, 1, min(length({column}), length(?{since}))) >= substr(?{since}, 1, min(length({column}), length(?{since})))))
         AND (?{until} IS NULL OR ({column} IS NOT NULL AND substr({column}, 1, min(length({column}), length(?{until}))) <= substr(?{until}, 1, min(length({column}), length(?{until})))))"
    )
}

/// SQL that leaves out rows of near-duplicate articles: their facts would count twice.
const NOT_A_NEAR_DUPLICATE: &str = "NOT EXISTS (SELECT 1 FROM articles a
    WHERE a.id = e.article_id AND a.duplicate_of IS NOT NULL)";

fn sql_limit(limit: usize) -> i64 {
    if limit == 0 {
        -1
    } else {
        limit as i64
    }
}

impl Store {
    /// Up to `limit` articles whose layers are missing or were made with other resources.
    pub fn stale_layers(&self, fingerprint: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        self.conn
            .prepare(
                "SELECT a.id FROM articles a LEFT JOIN layers l ON l.article_id = a.id
                 WHERE l.article_id IS NULL OR l.resources != ?1
                 ORDER BY a.rowid LIMIT ?2",
            )
            .and_then(|mut s| {
                s.query_map(params![fingerprint, sql_limit(limit)], |r| r.get(0))?
                    .collect()
            })
            .map_err(|e| self.sql(e))
    }

    /// Replaces these articles' layers and rows, all in one transaction.
    pub fn save_layers(
        &mut self,
        fingerprint: &str,
        records: &[LayerRecord],
    ) -> Result<(), StoreError> {
        let path = self.path.display().to_string();
        let sql_err = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let now = chrono::Utc::now().to_rfc3339();
        let tx = self.conn.transaction().map_err(sql_err)?;
        for r in records {
            for table in ["events", "claims", "entities"] {
                if table == "events" {
                    tx.execute(
                        "DELETE FROM event_points WHERE id IN (SELECT rowid FROM events WHERE article_id = ?1)",
                        [&r.article_id],
                    )
                    .map_err(sql_err)?;
                }
                tx.execute(
                    &format!("DELETE FROM {table} WHERE article_id = ?1"),
                    [&r.article_id],
                )
                .map_err(sql_err)?;
            }
            tx.execute(
                "INSERT INTO layers (article_id, resources, document, made_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(article_id) DO UPDATE SET resources = ?2, document = ?3, made_at = ?4",
                params![r.article_id, fingerprint, r.document, now],
            )
            .map_err(sql_err)?;
            for e in &r.events {
                tx.execute(
                    "INSERT INTO events (article_id, event_id, type, mode, outlet, date, lat, lon, names, row)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    params![
                        r.article_id,
                        e.event_id,
                        e.event_type,
                        e.mode,
                        e.outlet,
                        e.date,
                        e.lat,
                        e.lon,
                        e.names.join("\n").to_lowercase(),
                        e.row
                    ],
                )
                .map_err(sql_err)?;
                if let (Some(lat), Some(lon)) = (e.lat, e.lon) {
                    tx.execute(
                        "INSERT INTO event_points (id, min_lat, max_lat, min_lon, max_lon)
                         VALUES (last_insert_rowid(), ?1, ?1, ?2, ?2)",
                        params![lat, lon],
                    )
                    .map_err(sql_err)?;
                }
            }
            for c in &r.claims {
                tx.execute(
                    "INSERT INTO claims (article_id, statement_id, speaker, kind, outlet, date, tags, row)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        r.article_id,
                        c.statement_id,
                        c.speaker,
                        c.kind,
                        c.outlet,
                        c.date,
                        c.tags.join("\n"),
                        c.row
                    ],
                )
                .map_err(sql_err)?;
            }
            for e in &r.entities {
                tx.execute(
                    "INSERT INTO entities (article_id, entity_id, kind, name, code, lat, lon)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        r.article_id,
                        e.entity_id,
                        e.kind,
                        e.name,
                        e.code,
                        e.lat,
                        e.lon
                    ],
                )
                .map_err(sql_err)?;
            }
        }
        tx.commit().map_err(sql_err)
    }

    /// An article's stored layers (its document JSON), by full article id.
    pub fn layers(&self, article_id: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT document FROM layers WHERE article_id = ?1",
                [article_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// A page of event rows (JSON), newest first, in a stable order; near-duplicates' left out.
    pub fn events(&self, q: &EventQuery) -> Result<Page<String>, StoreError> {
        let bbox = q
            .bbox
            .map(|(s, w, n, e)| (s.min(n), w.min(e), s.max(n), w.max(e)));
        let (south, west, north, east) = bbox.unwrap_or_default();
        let args: Vec<Box<dyn ToSql>> = vec![
            Box::new(q.actor.as_ref().map(|a| a.to_lowercase())),
            Box::new(q.event_type.clone()),
            Box::new(q.mode.clone()),
            Box::new(q.outlet.clone()),
            Box::new(q.since.clone()),
            Box::new(q.until.clone()),
            Box::new(bbox.is_some()),
            Box::new(south),
            Box::new(north),
            Box::new(west),
            Box::new(east),
            Box::new(q.article.clone()),
        ];
        let filter = format!(
            "FROM events e WHERE (?1 IS NULL OR instr(e.names, ?1) > 0)
               AND (?2 IS NULL OR e.type = ?2 COLLATE NOCASE)
               AND (?3 IS NULL OR e.mode = ?3 COLLATE NOCASE)
               AND (?4 IS NULL OR e.outlet = ?4 COLLATE NOCASE)
               AND {}
               AND (?7 = 0 OR e.rowid IN (SELECT id FROM event_points
                    WHERE min_lat >= ?8 AND max_lat <= ?9 AND min_lon >= ?10 AND max_lon <= ?11))
               AND (?12 IS NULL OR e.article_id = ?12)
               AND {NOT_A_NEAR_DUPLICATE}",
            date_within("e.date", 5, 6)
        );
        self.page(
            &filter,
            "e.date IS NULL, e.date DESC, e.article_id, e.rowid",
            args,
            q.limit,
            q.offset,
        )
    }

    /// A page of claim rows (JSON), newest first, in a stable order; near-duplicates' left out.
    pub fn claims(&self, q: &ClaimQuery) -> Result<Page<String>, StoreError> {
        let args: Vec<Box<dyn ToSql>> = vec![
            Box::new(q.by.as_ref().map(|b| b.to_lowercase())),
            Box::new(q.kind.clone()),
            Box::new(q.tag.clone()),
            Box::new(q.outlet.clone()),
            Box::new(q.since.clone()),
            Box::new(q.until.clone()),
            Box::new(q.article.clone()),
        ];
        let filter = format!(
            "FROM claims e WHERE (?1 IS NULL OR instr(lower(e.speaker), ?1) > 0)
               AND (?2 IS NULL OR e.kind = ?2 COLLATE NOCASE)
               AND (?3 IS NULL OR instr(char(10) || e.tags || char(10), char(10) || ?3 || char(10)) > 0)
               AND (?4 IS NULL OR e.outlet = ?4 COLLATE NOCASE)
               AND {}
               AND (?7 IS NULL OR e.article_id = ?7)
               AND {NOT_A_NEAR_DUPLICATE}",
            date_within("e.date", 5, 6)
        );
        self.page(
            &filter,
            "e.date IS NULL, e.date DESC, e.article_id, e.rowid",
            args,
            q.limit,
            q.offset,
        )
    }

    /// Runs `SELECT row <filter> ORDER BY <order>` a page at a time, with the total count.
    fn page(
        &self,
        filter: &str,
        order: &str,
        args: Vec<Box<dyn ToSql>>,
        limit: usize,
        offset: usize,
    ) -> Result<Page<String>, StoreError> {
        let total: i64 = self
            .conn
            .query_row(
                &format!("SELECT count(*) {filter}"),
                params_from_iter(args.iter()),
                |r| r.get(0),
            )
            .map_err(|e| self.sql(e))?;
        let n = args.len();
        let sql = format!(
            "SELECT e.row {filter} ORDER BY {order} LIMIT ?{} OFFSET ?{}",
            n + 1,
            n + 2
        );
        let mut all = args;
        all.push(Box::new(sql_limit(limit)));
        all.push(Box::new(offset as i64));
        let items = self
            .conn
            .prepare(&sql)
            .and_then(|mut s| {
                s.query_map(params_from_iter(all.iter()), |r| r.get(0))?
                    .collect()
            })
            .map_err(|e| self.sql(e))?;
        Ok(Page {
            items,
            total: total as usize,
        })
    }

    /// A page of entities, grouped by kind and name across articles, most named first.
    pub fn entities(&self, q: &EntityQuery) -> Result<Page<EntitySummary>, StoreError> {
        let filter = "FROM entities WHERE (?1 IS NULL OR instr(lower(name), ?1) > 0)
                        AND (?2 IS NULL OR kind = ?2 COLLATE NOCASE)";
        let name = q.name.as_ref().map(|n| n.to_lowercase());
        let total: i64 = self
            .conn
            .query_row(
                &format!("SELECT count(*) FROM (SELECT 1 {filter} GROUP BY kind, name)"),
                params![name, q.kind],
                |r| r.get(0),
            )
            .map_err(|e| self.sql(e))?;
        let items = self
            .conn
            .prepare(&format!(
                "SELECT kind, name, max(code), avg(lat), avg(lon), count(DISTINCT article_id) AS n
                 {filter} GROUP BY kind, name ORDER BY n DESC, name, kind LIMIT ?3 OFFSET ?4"
            ))
            .and_then(|mut s| {
                s.query_map(
                    params![name, q.kind, sql_limit(q.limit), q.offset as i64],
                    |r| {
                        Ok(EntitySummary {
                            kind: r.get(0)?,
                            name: r.get(1)?,
                            code: r.get(2)?,
                            lat: r.get(3)?,
                            lon: r.get(4)?,
                            articles: r.get::<_, i64>(5)? as usize,
                        })
                    },
                )?
                .collect()
            })
            .map_err(|e| self.sql(e))?;
        Ok(Page {
            items,
            total: total as usize,
        })
    }
}
