//! Copying a whole store into an empty one, across engines (SQLite to PostgreSQL and back):
//! every table row for row, ids kept, read from one snapshot and written in one transaction,
//! so a copy stopped midway leaves the target as empty as it was.

use crate::engine::{Dialect, Value};
use crate::{Store, StoreError};

/// A table as the copy reads it: its columns, and the key it is read in order of.
pub(crate) struct Table {
    pub(crate) name: &'static str,
    columns: &'static str,
    key: &'static str,
}

/// Every table, each after the tables it refers to.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "articles",
        columns:
            "rowid, id, source_id, url, title, outlet, byline, published, published_precision, \
                  published_basis, published_day, language, image, text, warnings, duplicate_of, \
                  similarity, minhash, ingested_at",
        key: "rowid",
    },
    Table {
        name: "sightings",
        columns: "article_id, origin, outlet, title, url, seen_at, updated_at, revisions",
        key: "rowid",
    },
    Table {
        name: "minhash_bands",
        columns: "band, key, article_row",
        key: "band, key, article_row",
    },
    Table {
        name: "layers",
        columns: "article_id, resources, document, made_at",
        key: "article_id",
    },
    Table {
        name: "events",
        columns: "rowid, article_id, event_id, type, mode, outlet, date, lat, lon, names, \
                  near_duplicate, row",
        key: "rowid",
    },
    Table {
        name: "claims",
        columns: "rowid, article_id, statement_id, speaker, kind, outlet, date, tags, \
                  near_duplicate, row",
        key: "rowid",
    },
    Table {
        name: "entities",
        columns: "article_id, entity_id, kind, name, code, lat, lon, line, resolved",
        key: "article_id, entity_id",
    },
    Table {
        name: "track_articles",
        columns: "article_id, resources",
        key: "article_id",
    },
    Table {
        name: "track_claims",
        columns:
            "rowid, article_id, statement_id, thread, relation, rule, speaker, kind, date, facts",
        key: "rowid",
    },
    Table {
        name: "track_keys",
        columns: "key, day, claim",
        key: "key, day, claim",
    },
    Table {
        name: "track_events",
        columns: "rowid, article_id, event_id, type, mode, date, due, speaker, status, \
                  corroboration, verdict, facts",
        key: "rowid",
    },
    Table {
        name: "sources",
        columns: crate::web::SOURCE_COLUMNS,
        key: "url",
    },
    Table {
        name: "fetched",
        columns: "source, key, article_id, stamp, status, fetched_at",
        key: "source, key",
    },
    Table {
        name: "jobs",
        columns: "id, kind, payload, state, attempts, worker, lease_until, error, result, \
                  created_at, started_at, finished_at",
        key: "id",
    },
];

/// Rows read and written at a time.
const PAGE: usize = 1000;

/// Tables whose `rowid` PostgreSQL numbers itself: after rows came with their own, its
/// counter must start past them.
const NUMBERED: &[&str] = &[
    "articles",
    "events",
    "claims",
    "track_claims",
    "track_events",
];

impl Store {
    /// Copies everything in this store into `target`, which must hold no articles and no
    /// sources; `progress` hears each table's name and rows copied so far. Returns the rows
    /// copied per table.
    pub fn copy_into(
        &self,
        target: &mut Store,
        mut progress: impl FnMut(&str, u64),
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let held = target.first(
            "SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM sources)",
            &[],
            |r| r.get::<i64>(0),
        )?;
        if held.unwrap_or(0) > 0 {
            return Err(StoreError::Open {
                path: target.path.display().to_string(),
                reason:
                    "a copy goes into an empty store only, and this one has articles or sources"
                        .into(),
            });
        }
        self.engine.begin_reading().map_err(|e| self.sql(e))?;
        // Ends the reading transaction however the copy ends; it changed nothing.
        let snapshot = crate::RollbackOnDrop(Some(&self.engine));
        let copied = target.in_transaction(|tx| {
            let mut copied = Vec::new();
            for table in TABLES {
                let rows = copy_table(self, tx, table, &mut progress)?;
                copied.push((table.name.to_string(), rows));
            }
            copy_bounds(self, tx)?;
            if tx.dialect() == Dialect::Postgres {
                for table in NUMBERED {
                    let (table, id) = table.split_once('.').unwrap_or((table, "rowid"));
                    tx.execute(
                        &format!(
                            "SELECT setval(pg_get_serial_sequence('{table}', '{id}'), \
                             coalesce(max({id}), 0) + 1, false) FROM {table}"
                        ),
                        &[],
                    )?;
                }
            }
            Ok(copied)
        })?;
        drop(snapshot);
        target.analyze()?;
        Ok(copied)
    }
}

/// Copies one table a page at a time, in order of its key.
fn copy_table(
    from: &Store,
    to: &Store,
    table: &Table,
    progress: &mut impl FnMut(&str, u64),
) -> Result<u64, StoreError> {
    let key_width = table.key.split(',').count();
    let width = table.columns.split(',').count();
    let marks = vec!["?"; width].join(", ");
    let insert = format!(
        "INSERT INTO {} ({}) VALUES ({marks})",
        table.name, table.columns
    );
    let read = |after: Option<&[Value]>| {
        let past = match after {
            Some(_) => format!(
                "WHERE ({}) > ({})",
                table.key,
                vec!["?"; key_width].join(", ")
            ),
            None => String::new(),
        };
        let sql = format!(
            "SELECT {}, {} FROM {} {past} ORDER BY {} LIMIT {PAGE}",
            table.key, table.columns, table.name, table.key
        );
        let args = after.unwrap_or_default();
        from.engine.query(&sql, args).map_err(|e| from.sql(e))
    };
    let mut done = 0;
    let mut page = read(None)?;
    while let Some(last) = page.last() {
        let after = last.values()[..key_width].to_vec();
        for row in &page {
            to.execute(&insert, &row.values()[key_width..])?;
        }
        done += page.len() as u64;
        progress(table.name, done);
        page = read(Some(&after))?;
    }
    Ok(done)
}

/// Copies the boxes the spatial index keeps of placed events (SQLite's `event_points`,
/// PostgreSQL's `events.bounds`).
fn copy_bounds(from: &Store, to: &Store) -> Result<(), StoreError> {
    let sql = match from.dialect() {
        Dialect::Sqlite => "SELECT id, min_lat, min_lon, max_lat, max_lon FROM event_points",
        Dialect::Postgres => {
            "SELECT rowid, (bounds[1])[1], (bounds[1])[0], (bounds[0])[1], (bounds[0])[0]
             FROM events WHERE bounds IS NOT NULL"
        }
    };
    let boxes = from.rows(sql, &[], |r| {
        Ok((
            r.get::<i64>(0)?,
            (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?),
        ))
    })?;
    for (rowid, bounds) in boxes {
        to.set_bounds(rowid, bounds)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::args;

    #[test]
    fn every_table_of_the_schema_is_copied() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let mut tables = store
            .rows(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%'
                 AND name NOT LIKE 'event_points%' ORDER BY name",
                args![],
                |r| r.get::<String>(0),
            )
            .unwrap();
        let mut copied: Vec<String> = TABLES.iter().map(|t| t.name.to_string()).collect();
        tables.sort();
        copied.sort();
        assert_eq!(tables, copied);
    }
}
