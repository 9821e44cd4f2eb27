//! The stored language layers of articles, and the event, claim and entity rows drawn from
//! them that queries filter, sort and page through without annotating again.

use crate::engine::{args, Dialect, ToValue, Value};
use crate::{sql_limit, Store, StoreError};
use sitrep_core::geo::Extent;

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
    /// An area's box when the event is placed only to an area: a query's box must hold all
    /// of it, so a country-wide report is not taken for one at the country's middle.
    pub extent: Option<Extent>,
    /// Actors' and targets' names.
    pub names: Vec<String>,
    /// The flat event row, as JSON.
    pub row: String,
}

impl EventRecord {
    /// The box the spatial index keeps: the area's extent, else the point. Of an extent across
    /// the antimeridian the index keeps the wider half (Russia west of 180°), for its boxes
    /// cannot wrap.
    fn bounds(&self) -> Option<(f64, f64, f64, f64)> {
        match (self.extent, self.lat, self.lon) {
            (Some(x), _, _) if x.wraps() && 180.0 - x.west >= x.east + 180.0 => {
                Some((x.south, x.west, x.north, 180.0))
            }
            (Some(x), _, _) if x.wraps() => Some((x.south, -180.0, x.north, x.east)),
            (Some(x), _, _) => Some((x.south, x.west, x.north, x.east)),
            (None, Some(lat), Some(lon)) => Some((lat, lon, lat, lon)),
            _ => None,
        }
    }
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
    /// A road's course, as JSON `[[lat, lon], ...]`.
    pub line: Option<String>,
    /// False for a place no gazetteer has (its point is then its container's).
    pub resolved: bool,
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
    /// (south, west, north, east): events whose point, or whose area's whole extent, lies
    /// inside; west > east is a box across the antimeridian.
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
    /// A road's course, `[[lat, lon], ...]`.
    pub line: Option<Vec<[f64; 2]>>,
    /// False for a place no gazetteer has: its point is the region that contains it.
    pub resolved: bool,
    /// How many articles name it.
    pub articles: usize,
}

/// A page of rows (JSON), and how many match in all.
#[derive(Debug, Clone, Default)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: usize,
}

/// The conditions of a query and their values, in order: only what the query asks for is in
/// the SQL, so the planner can use the indexes that fit (the spatial index for a box, a date
/// index).
struct Conditions {
    dialect: Dialect,
    sql: Vec<String>,
    args: Vec<Value>,
    /// Disjoint alternatives, each with its values, of which a row must meet one: each is read
    /// as a query of its own, so that each reads a range of an index.
    either: Vec<(String, Vec<Value>)>,
}

impl Conditions {
    fn new(dialect: Dialect) -> Conditions {
        Conditions {
            dialect,
            sql: Vec::new(),
            args: Vec::new(),
            either: Vec::new(),
        }
    }

    /// Adds `sql` (with `?` placeholders) and its values, when `value` is given.
    fn when<T: ToValue>(&mut self, value: &Option<T>, sql: &str, uses: usize) {
        if let Some(v) = value {
            self.sql.push(sql.to_string());
            self.args.extend((0..uses).map(|_| v.to_value()));
        }
    }

    /// A text column equal to `value` in any case.
    fn equal_any_case(&mut self, column: &str, value: &Option<String>) {
        self.when(
            &value.as_ref().map(|v| v.to_lowercase()),
            &format!("lower({column}) = ?"),
            1,
        );
    }

    /// A date column from `since` until `until`, compared at the coarser of the two precisions
    /// ("2023-03" lies within a range from 1 March), as ranges of the column so that its index
    /// serves: until `until` means before `until` followed by '~', which sorts after every
    /// digit and dash; from `since` means at or after it, or else equal to one of its coarser
    /// prefixes ("2023", "2023-03" for "2023-03-01"). On PostgreSQL these are alternatives,
    /// each an index range of its own, so that none reads the months between the coarsest
    /// prefix and `since`; SQLite reads from the coarsest prefix on (a union costs it more).
    fn dated(&mut self, column: &str, since: &Option<String>, until: &Option<String>) {
        if let Some(until) = until {
            self.sql.push(format!("{column} < ?"));
            self.args.push(format!("{until}~").to_value());
        }
        let Some(since) = since else { return };
        let coarser: Vec<&str> = since
            .match_indices('-')
            .map(|(at, _)| &since[..at])
            .collect();
        match (self.dialect, coarser.first()) {
            (_, None) => {
                self.sql.push(format!("{column} >= ?"));
                self.args.push(since.to_value());
            }
            (Dialect::Sqlite, Some(coarsest)) => {
                let marks = vec!["?"; coarser.len()].join(", ");
                self.sql.push(format!(
                    "{column} >= ? AND ({column} >= ? OR {column} IN ({marks}))"
                ));
                self.args
                    .extend([coarsest, since.as_str()].map(ToValue::to_value));
                self.args.extend(coarser.iter().map(ToValue::to_value));
            }
            (Dialect::Postgres, Some(_)) => {
                self.either
                    .push((format!("{column} >= ?"), vec![since.to_value()]));
                // A day's date is ten characters; the shorter ones have an index of their own.
                self.either.extend(coarser.iter().map(|prefix| {
                    (
                        format!("length({column}) < 10 AND {column} = ?"),
                        vec![prefix.to_value()],
                    )
                }));
            }
        }
    }

    /// Events whose box lies inside (south, west, north, east); west > east is a box across
    /// the antimeridian, as GeoJSON has it: inside it means inside one of its two halves.
    /// On PostgreSQL, a box with dates is read through the (cell, date) B-tree, which narrows
    /// by both; a box alone through the GiST index, which reads fewer entries for it (measured
    /// by `cargo bench -p sitrep-server --bench api_load` on a million events).
    fn inside(&mut self, (s, w, n, e): (f64, f64, f64, f64), dated: bool) {
        let halves: &[(f64, f64)] = if w > e {
            &[(w, 180.0), (-180.0, e)]
        } else {
            &[(w, e)]
        };
        let (south, north) = (s.min(n), s.max(n));
        let edges = "min_lat >= ? AND max_lat <= ? AND min_lon >= ? AND max_lon <= ?";
        let mut any_half = Vec::new();
        for &(west, east) in halves {
            let cells = cells_of(south, north, west, east).filter(|_| dated);
            match (self.dialect, cells) {
                (Dialect::Sqlite, _) => any_half.push(format!("({edges})")),
                (Dialect::Postgres, Some(cells)) => {
                    let marks = vec!["?"; cells.len()].join(", ");
                    self.args.extend(cells.iter().map(ToValue::to_value));
                    any_half.push(format!("(e.cell IN ({marks}) AND {edges})"));
                }
                (Dialect::Postgres, None) => {
                    self.args
                        .extend([west, south, east, north].map(Value::Real));
                    any_half.push("e.bounds <@ box(point(?, ?), point(?, ?))".into());
                    continue;
                }
            }
            self.args
                .extend([south, north, west, east].map(Value::Real));
        }
        let any_half = any_half.join(" OR ");
        self.sql.push(match self.dialect {
            Dialect::Sqlite => format!("e.rowid IN (SELECT id FROM event_points WHERE {any_half})"),
            Dialect::Postgres => format!("({any_half})"),
        });
    }

    /// `FROM <table> e` with the conditions, and their values in order. With alternatives, `e`
    /// is the UNION ALL of a query for each, of the columns a page is chosen on.
    fn source(self, table: &str) -> (String, Vec<Value>) {
        let mut all = self.sql;
        all.push(NOT_A_NEAR_DUPLICATE.to_string());
        let conditions = all.join(" AND ");
        if self.either.is_empty() {
            return (format!("FROM {table} e WHERE {conditions}"), self.args);
        }
        let mut args = Vec::new();
        let branches: Vec<String> = self
            .either
            .into_iter()
            .map(|(alternative, values)| {
                args.extend(self.args.iter().cloned());
                args.extend(values);
                format!("SELECT {PAGE_COLUMNS} FROM {table} e WHERE {conditions} AND {alternative}")
            })
            .collect();
        (format!("FROM ({}) e", branches.join(" UNION ALL ")), args)
    }
}

/// The columns a page of events or claims is chosen on, and its order: newest first, then a
/// stable order within a day.
const PAGE_COLUMNS: &str = "e.rowid AS rowid, e.date AS date, e.article_id AS article_id";
const PAGE_ORDER: &str = "e.date DESC NULLS LAST, e.article_id, e.rowid";

/// Cells per degree, each way.
const CELLS_PER_DEGREE: i64 = 4;

/// The quarter-degree cell a point lies in, as PostgreSQL's events keep it for their box's
/// middle (migration 0005 computes the same, in the same order of operations).
fn cell(lat: f64, lon: f64) -> i64 {
    numbered_cell(grid_line(lat), grid_line(lon))
}

/// The number of the cell above grid line `row` and east of grid line `column`.
fn numbered_cell(row: i64, column: i64) -> i64 {
    (row + 90 * CELLS_PER_DEGREE) * 360 * CELLS_PER_DEGREE + column + 180 * CELLS_PER_DEGREE
}

/// The grid line at or below a latitude or longitude.
fn grid_line(degrees: f64) -> i64 {
    (degrees * CELLS_PER_DEGREE as f64).floor() as i64
}

/// Boxes of more cells than this (ten degrees square) are searched through the GiST index
/// instead.
const MOST_CELLS: usize = 1_600;

/// The cells where the middle of an event inside the box may lie, unless there are too many.
fn cells_of(south: f64, north: f64, west: f64, east: f64) -> Option<Vec<i64>> {
    let rows = grid_line(south)..=grid_line(north);
    let columns = grid_line(west)..=grid_line(east);
    if rows.clone().count() * columns.clone().count() > MOST_CELLS {
        return None;
    }
    let cells = rows
        .flat_map(|row| {
            columns
                .clone()
                .map(move |column| numbered_cell(row, column))
        })
        .collect();
    Some(cells)
}

/// SQL that leaves out rows of near-duplicate articles: their facts would count twice. (An
/// article's near-duplicate link is made when it is stored, before its layers, and never
/// changes after.)
const NOT_A_NEAR_DUPLICATE: &str = "e.near_duplicate = 0";

/// Where PostgreSQL keeps an event's place: its box for the GiST index, its edges and the cell
/// of its middle for the B-tree.
const PLACE_COLUMNS: &str = "bounds, min_lat, min_lon, max_lat, max_lon, cell";

/// The values of [`PLACE_COLUMNS`] from five parameters numbered from `first`: south, west,
/// north, east, cell (as [`place_args`] gives them).
fn place_values(first: usize) -> String {
    let [s, w, n, e, c] = [0, 1, 2, 3, 4].map(|k| format!("?{}", first + k));
    format!("box(point({w}, {s}), point({e}, {n})), {s}, {w}, {n}, {e}, {c}")
}

/// The parameters of [`place_values`] for a box, all null for an event with no place.
fn place_args(bounds: Option<(f64, f64, f64, f64)>) -> [Value; 5] {
    match bounds {
        Some((s, w, n, e)) => [
            Value::Real(s),
            Value::Real(w),
            Value::Real(n),
            Value::Real(e),
            Value::Int(cell((s + n) / 2.0, (w + e) / 2.0)),
        ],
        None => [
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
        ],
    }
}

/// Whether the article `?1` is a near-duplicate, as the 0 or 1 rows keep.
const IS_NEAR_DUPLICATE: &str =
    "(SELECT CASE WHEN duplicate_of IS NULL THEN 0 ELSE 1 END FROM articles WHERE id = ?1)";

impl Store {
    /// Up to `limit` articles whose layers are missing or were made with other resources.
    pub fn stale_layers(&self, fingerprint: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        self.rows(
            "SELECT a.id FROM articles a LEFT JOIN layers l ON l.article_id = a.id
             WHERE l.article_id IS NULL OR l.resources != ?1
             ORDER BY a.rowid LIMIT ?2",
            args![fingerprint, sql_limit(limit)],
            |r| r.get(0),
        )
    }

    /// Those of these articles (ids) whose layers are missing or were made with other
    /// resources.
    pub fn stale_among(
        &self,
        fingerprint: &str,
        ids: &[String],
    ) -> Result<Vec<String>, StoreError> {
        self.rows_in(
            ids,
            |marks| {
                format!(
                    "SELECT a.id FROM articles a LEFT JOIN layers l ON l.article_id = a.id
                     WHERE (l.article_id IS NULL OR l.resources != ?1) AND a.id IN ({marks})
                     ORDER BY a.rowid"
                )
            },
            args![fingerprint],
            |r| r.get(0),
        )
    }

    /// Replaces these articles' layers and rows, all in one transaction.
    pub fn save_layers(
        &mut self,
        fingerprint: &str,
        records: &[LayerRecord],
    ) -> Result<(), StoreError> {
        let now = chrono::Utc::now().to_rfc3339();
        self.in_transaction(|tx| {
            for r in records {
                tx.forget_rows(&r.article_id)?;
                tx.execute(
                    "INSERT INTO layers (article_id, resources, document, made_at)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(article_id) DO UPDATE SET resources = ?2, document = ?3, made_at = ?4",
                    args![r.article_id, fingerprint, r.document, now],
                )?;
                for e in &r.events {
                    tx.insert_event(&r.article_id, e)?;
                }
                for c in &r.claims {
                    tx.insert_claim(&r.article_id, c)?;
                }
                for e in &r.entities {
                    tx.insert_entity(&r.article_id, e)?;
                }
            }
            Ok(())
        })
    }

    /// Removes an article's event, claim and entity rows.
    fn forget_rows(&self, article_id: &str) -> Result<(), StoreError> {
        if self.dialect() == Dialect::Sqlite {
            self.execute(
                "DELETE FROM event_points WHERE id IN (SELECT rowid FROM events WHERE article_id = ?1)",
                args![article_id],
            )?;
        }
        for table in ["events", "claims", "entities"] {
            self.execute(
                &format!("DELETE FROM {table} WHERE article_id = ?1"),
                args![article_id],
            )?;
        }
        Ok(())
    }

    /// Stores an event row and its place in the spatial index: on PostgreSQL columns of the
    /// row (one statement), on SQLite a row of the R*Tree under the event's row id.
    fn insert_event(&self, article_id: &str, e: &EventRecord) -> Result<(), StoreError> {
        let columns = "article_id, event_id, type, mode, outlet, date, lat, lon, names, row, \
                       near_duplicate";
        let values = format!("?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, {IS_NEAR_DUPLICATE}");
        let names = e.names.join("\n").to_lowercase();
        let mut args = args![
            article_id,
            e.event_id,
            e.event_type,
            e.mode,
            e.outlet,
            e.date,
            e.lat,
            e.lon,
            names,
            e.row
        ]
        .to_vec();
        if self.dialect() == Dialect::Postgres {
            let sql = format!(
                "INSERT INTO events ({columns}, {PLACE_COLUMNS})
                 VALUES ({values}, {})",
                place_values(11)
            );
            args.extend(place_args(e.bounds()));
            return self.execute(&sql, &args).map(drop);
        }
        let sql = format!("INSERT INTO events ({columns}) VALUES ({values}) RETURNING rowid");
        let rowid: Option<i64> = self.first(&sql, &args, |r| r.get(0))?;
        match (rowid, e.bounds()) {
            (Some(rowid), Some(bounds)) => self.set_bounds(rowid, bounds),
            _ => Ok(()),
        }
    }

    /// Puts an event's (south, west, north, east) box in the spatial index.
    pub(crate) fn set_bounds(
        &self,
        rowid: i64,
        bounds: (f64, f64, f64, f64),
    ) -> Result<(), StoreError> {
        let (south, west, north, east) = bounds;
        if self.dialect() == Dialect::Sqlite {
            return self
                .execute(
                    "INSERT INTO event_points (id, min_lat, max_lat, min_lon, max_lon)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    args![rowid, south, north, west, east],
                )
                .map(drop);
        }
        let sql = format!(
            "UPDATE events SET ({PLACE_COLUMNS}) = ({}) WHERE rowid = ?6",
            place_values(1)
        );
        let mut args = place_args(Some(bounds)).to_vec();
        args.push(Value::Int(rowid));
        self.execute(&sql, &args).map(drop)
    }

    fn insert_claim(&self, article_id: &str, c: &ClaimRecord) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO claims (article_id, statement_id, speaker, kind, outlet, date, tags, row, near_duplicate)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, {IS_NEAR_DUPLICATE})"
        );
        let args = args![
            article_id,
            c.statement_id,
            c.speaker,
            c.kind,
            c.outlet,
            c.date,
            c.tags.join("\n"),
            c.row
        ];
        self.execute(&sql, args).map(drop)
    }

    fn insert_entity(&self, article_id: &str, e: &EntityRecord) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO entities (article_id, entity_id, kind, name, code, lat, lon, line, resolved)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            args![
                article_id,
                e.entity_id,
                e.kind,
                e.name,
                e.code,
                e.lat,
                e.lon,
                e.line,
                e.resolved
            ],
        )
        .map(drop)
    }

    /// An article's stored layers (its document JSON), by full article id.
    pub fn layers(&self, article_id: &str) -> Result<Option<String>, StoreError> {
        self.first(
            "SELECT document FROM layers WHERE article_id = ?1",
            args![article_id],
            |r| r.get(0),
        )
    }

    /// A page of event rows (JSON), newest first, in a stable order; near-duplicates' left out.
    pub fn events(&self, q: &EventQuery) -> Result<Page<String>, StoreError> {
        let mut c = Conditions::new(self.dialect());
        c.when(
            &q.actor.as_ref().map(|a| a.to_lowercase()),
            "instr(e.names, ?) > 0",
            1,
        );
        c.equal_any_case("e.type", &q.event_type);
        c.equal_any_case("e.mode", &q.mode);
        c.equal_any_case("e.outlet", &q.outlet);
        c.dated("e.date", &q.since, &q.until);
        c.when(&q.article, "e.article_id = ?", 1);
        if let Some(bbox) = q.bbox {
            c.inside(bbox, q.since.is_some() || q.until.is_some());
        }
        let (filter, args) = c.source("events");
        self.page("events", &filter, args, q.limit, q.offset)
    }

    /// A page of claim rows (JSON), newest first, in a stable order; near-duplicates' left out.
    pub fn claims(&self, q: &ClaimQuery) -> Result<Page<String>, StoreError> {
        let mut c = Conditions::new(self.dialect());
        c.when(
            &q.by.as_ref().map(|b| b.to_lowercase()),
            "instr(lower(e.speaker), ?) > 0",
            1,
        );
        c.equal_any_case("e.kind", &q.kind);
        c.when(
            &q.tag,
            "instr('\n' || e.tags || '\n', '\n' || CAST(? AS TEXT) || '\n') > 0",
            1,
        );
        c.equal_any_case("e.outlet", &q.outlet);
        c.dated("e.date", &q.since, &q.until);
        c.when(&q.article, "e.article_id = ?", 1);
        let (filter, args) = c.source("claims");
        self.page("claims", &filter, args, q.limit, q.offset)
    }

    /// The `row`s of `table` that `filter` (`FROM ... e`, of at least [`PAGE_COLUMNS`]) keeps,
    /// a page at a time, newest first, with the total count. The page is chosen on row ids (a
    /// sort of small keys), then its rows are joined to it, in one statement.
    fn page(
        &self,
        table: &str,
        filter: &str,
        args: Vec<Value>,
        limit: usize,
        offset: usize,
    ) -> Result<Page<String>, StoreError> {
        let mut all = args;
        all.extend([sql_limit(limit).to_value(), offset.to_value()]);
        // The page's ids with the total beside each, chosen in one pass, then their rows.
        let page: Vec<(i64, String)> = self.rows(
            &format!(
                "WITH page AS (SELECT e.rowid AS id, e.date AS date, e.article_id AS article_id,
                                      count(*) OVER () AS total
                               {filter} ORDER BY {PAGE_ORDER} LIMIT ? OFFSET ?)
                 SELECT page.total, t.row FROM page JOIN {table} t ON t.rowid = page.id
                 ORDER BY page.date DESC NULLS LAST, page.article_id, page.id"
            ),
            &all,
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let total = match page.first() {
            Some(&(total, _)) => total,
            // Past the last page: count on its own.
            None => self
                .first(
                    &format!("SELECT count(*) {filter}"),
                    &all[..all.len() - 2],
                    |r| r.get(0),
                )?
                .unwrap_or(0),
        };
        Ok(Page {
            items: page.into_iter().map(|(_, row)| row).collect(),
            total: total as usize,
        })
    }

    /// A page of entities, grouped by kind and name across articles, most named first.
    pub fn entities(&self, q: &EntityQuery) -> Result<Page<EntitySummary>, StoreError> {
        let filter = "FROM entities WHERE (CAST(?1 AS TEXT) IS NULL OR instr(lower(name), ?1) > 0)
                        AND (CAST(?2 AS TEXT) IS NULL OR lower(kind) = ?2)";
        let name = q.name.as_ref().map(|n| n.to_lowercase());
        let kind = q.kind.as_ref().map(|k| k.to_lowercase());
        let total: i64 = self
            .first(
                &format!(
                    "SELECT count(*) FROM (SELECT 1 AS one {filter} GROUP BY kind, name) AS g"
                ),
                args![name, kind],
                |r| r.get(0),
            )?
            .unwrap_or(0);
        let items = self.rows(
            &format!(
                "SELECT kind, name, max(code), avg(lat), avg(lon), max(line), max(resolved),
                        count(DISTINCT article_id) AS n
                 {filter} GROUP BY kind, name ORDER BY n DESC, name, kind LIMIT ?3 OFFSET ?4"
            ),
            args![name, kind, sql_limit(q.limit), q.offset],
            |r| {
                Ok(EntitySummary {
                    kind: r.get(0)?,
                    name: r.get(1)?,
                    code: r.get(2)?,
                    lat: r.get(3)?,
                    lon: r.get(4)?,
                    line: r
                        .get::<Option<String>>(5)?
                        .and_then(|l| serde_json::from_str(&l).ok()),
                    resolved: r.get(6)?,
                    articles: r.get::<i64>(7)? as usize,
                })
            },
        )?;
        Ok(Page {
            items,
            total: total as usize,
        })
    }
}
