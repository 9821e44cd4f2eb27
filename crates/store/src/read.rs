//! Reading the store: listings, documents, full-text search, counts.

use crate::engine::{args, DbError, Dialect, Row};
use crate::{sql_limit, Store, StoreError};
use serde::Serialize;
use sitrep_core::{Article, DateBasis, Document, DuplicateLink, PartialDate, Published, Sighting};

/// One line of a listing.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleSummary {
    pub id: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub duplicate_of: Option<String>,
    /// How many times this text was seen (sightings).
    pub sightings: i64,
}

/// Which articles a listing shows.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub outlet: Option<String>,
    /// Leave out near-duplicates of articles already listed.
    pub hide_duplicates: bool,
    pub limit: usize,
    pub offset: usize,
}

/// A full-text search hit, best first.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub id: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    /// BM25 score: lower is better (SQLite's convention).
    pub rank: f64,
    /// The best-matching passage, with matches between the caller's markers.
    pub snippet: String,
    /// Other copies of this report: extra sightings plus stored near-duplicates.
    pub copies: i64,
}

/// Counts for a summary line.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Stats {
    pub articles: i64,
    pub near_duplicates: i64,
    pub sightings: i64,
}

/// The articles a [`ListFilter`] keeps: `?1` an outlet or null, `?2` whether to hide
/// near-duplicates.
const LISTED: &str = "WHERE (CAST(?1 AS TEXT) IS NULL OR lower(a.outlet) = lower(?1))
       AND (?2 = 0 OR a.duplicate_of IS NULL)";

const SUMMARY_COLUMNS: &str = "a.id, a.title, a.outlet, a.published, a.url, a.duplicate_of,
     (SELECT count(*) FROM sightings s WHERE s.article_id = a.id)";

fn summary(row: &Row) -> Result<ArticleSummary, DbError> {
    Ok(ArticleSummary {
        id: row.get(0)?,
        title: row.get(1)?,
        outlet: row.get(2)?,
        published: row.get(3)?,
        url: row.get(4)?,
        duplicate_of: row.get(5)?,
        sightings: row.get(6)?,
    })
}

impl Store {
    /// Articles, newest publication first (undated last).
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<ArticleSummary>, StoreError> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM articles a {LISTED}
             ORDER BY a.published_day IS NULL, a.published_day DESC, a.rowid DESC
             LIMIT ?3 OFFSET ?4"
        );
        let args = args![
            filter.outlet,
            filter.hide_duplicates,
            sql_limit(filter.limit),
            filter.offset
        ];
        self.rows(&sql, args, summary)
    }

    /// How many articles a listing would show without its page limits.
    pub fn count(&self, filter: &ListFilter) -> Result<usize, StoreError> {
        let sql = format!("SELECT count(*) FROM articles a {LISTED}");
        let args = args![filter.outlet, filter.hide_duplicates];
        let n: Option<i64> = self.first(&sql, args, |r| r.get(0))?;
        Ok(n.unwrap_or(0) as usize)
    }

    /// The document for an article, by full id, unique id prefix, or the caller's source id.
    pub fn document(&self, key: &str) -> Result<Option<Document>, StoreError> {
        let Some(rowid) = self.resolve(key)? else {
            return Ok(None);
        };
        let Some((article, warnings)) = self.first(
            "SELECT id, source_id, url, title, outlet, byline, published, published_basis, language,
                    image, text, duplicate_of, similarity, warnings
             FROM articles WHERE rowid = ?1",
            args![rowid],
            article_from_row,
        )?
        else {
            return Ok(None);
        };
        let sightings = self.rows(
            "SELECT origin, outlet, title, url, seen_at, updated_at, revisions FROM sightings
             WHERE article_id = ?1 ORDER BY rowid",
            args![article.id],
            |r| {
                Ok(Sighting {
                    origin: r.get(0)?,
                    outlet: r.get(1)?,
                    title: r.get(2)?,
                    url: r.get(3)?,
                    seen_at: r.get(4)?,
                    updated_at: r.get(5)?,
                    revisions: r.get(6)?,
                })
            },
        )?;
        let near_duplicates = self.rows(
            "SELECT id, similarity FROM articles WHERE duplicate_of = ?1 ORDER BY rowid",
            args![article.id],
            |r| {
                Ok(DuplicateLink {
                    id: r.get(0)?,
                    similarity: r.get(1)?,
                })
            },
        )?;
        let mut doc = Document::new(article);
        doc.sightings = sightings;
        doc.near_duplicates = near_duplicates;
        doc.warnings = warnings;
        Ok(Some(doc))
    }

    fn resolve(&self, key: &str) -> Result<Option<i64>, StoreError> {
        let key = key.trim();
        let by_prefix: Vec<i64> = self.rows(
            "SELECT rowid FROM articles WHERE id >= ?1 AND id < ?1 || '~' LIMIT 2",
            args![key.to_ascii_lowercase()],
            |r| r.get(0),
        )?;
        match by_prefix.as_slice() {
            [one] if !key.is_empty() => return Ok(Some(*one)),
            [_, _, ..] if !key.is_empty() => return Err(StoreError::Ambiguous(key.to_string())),
            _ => {}
        }
        self.first(
            "SELECT rowid FROM articles WHERE source_id = ?1 ORDER BY rowid LIMIT 1",
            args![key],
            |r| r.get(0),
        )
    }

    /// Full-text search, best first, title matches weighing more: SQLite's FTS5 ranks by
    /// BM25, PostgreSQL by `ts_rank` over the weighted `search` column. A query FTS5 cannot
    /// parse is retried as plain words, so `sitrep search "al-Nusra (HTS)"` works as a user
    /// expects (PostgreSQL reads every query as a web search would).
    pub fn search(
        &self,
        query: &str,
        limit: usize,
        marks: (&str, &str),
    ) -> Result<Vec<SearchHit>, StoreError> {
        let no_words = || StoreError::Query {
            query: query.into(),
            reason: "no words to search for".into(),
        };
        let words: Vec<String> = query
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| format!("\"{w}\""))
            .collect();
        if self.dialect() == Dialect::Postgres {
            if words.is_empty() {
                return Err(no_words());
            }
            return self.search_tsvector(query, limit, marks);
        }
        match self.search_fts(query, limit, marks) {
            Err(StoreError::Sql { source, .. }) if is_query_syntax_error(&source.to_string()) => {
                if words.is_empty() {
                    return Err(no_words());
                }
                self.search_fts(&words.join(" "), limit, marks)
                    .map_err(|e| StoreError::Query {
                        query: query.into(),
                        reason: e.to_string(),
                    })
            }
            other => other,
        }
    }

    fn search_fts(
        &self,
        query: &str,
        limit: usize,
        (open, close): (&str, &str),
    ) -> Result<Vec<SearchHit>, StoreError> {
        let sql = format!(
            "SELECT a.id, a.title, a.outlet, a.published, bm25(articles_fts, 4.0, 1.0) AS rank,
                    snippet(articles_fts, -1, ?2, ?3, '…', 24), {COPIES}
             FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
             WHERE articles_fts MATCH ?1
             ORDER BY rank LIMIT ?4"
        );
        self.rows(&sql, args![query, open, close, limit], hit)
    }

    /// PostgreSQL's search. Its headline options cannot quote every mark a caller may
    /// choose, so it marks matches with control characters, replaced here.
    fn search_tsvector(
        &self,
        query: &str,
        limit: usize,
        (open, close): (&str, &str),
    ) -> Result<Vec<SearchHit>, StoreError> {
        let sql = format!(
            "SELECT a.id, a.title, a.outlet, a.published,
                    -ts_rank('{{0.1, 0.2, 0.25, 1.0}}', a.search, q) AS rank,
                    ts_headline('simple', a.text, q,
                        'StartSel=\"\u{1}\", StopSel=\"\u{2}\", MaxWords=24, MinWords=12, MaxFragments=1, FragmentDelimiter=…'), {COPIES}
             FROM articles a, websearch_to_tsquery('simple', ?1) q
             WHERE a.search @@ q
             ORDER BY rank, a.rowid LIMIT ?2"
        );
        let mut hits = self.rows(&sql, args![query, limit], hit)?;
        for h in &mut hits {
            h.snippet = h.snippet.replace('\u{1}', open).replace('\u{2}', close);
        }
        Ok(hits)
    }

    pub fn stats(&self) -> Result<Stats, StoreError> {
        let stats = self.first(
            "SELECT (SELECT count(*) FROM articles),
                    (SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL),
                    (SELECT count(*) FROM sightings)",
            &[],
            |r| {
                Ok(Stats {
                    articles: r.get(0)?,
                    near_duplicates: r.get(1)?,
                    sightings: r.get(2)?,
                })
            },
        )?;
        Ok(stats.unwrap_or(Stats {
            articles: 0,
            near_duplicates: 0,
            sightings: 0,
        }))
    }
}

/// A search hit's count of other copies: extra sightings plus stored near-duplicates.
const COPIES: &str = "(SELECT count(*) FROM sightings s WHERE s.article_id = a.id) - 1
    + (SELECT count(*) FROM articles d WHERE d.duplicate_of = a.id)";

fn hit(r: &Row) -> Result<SearchHit, DbError> {
    Ok(SearchHit {
        id: r.get(0)?,
        title: r.get(1)?,
        outlet: r.get(2)?,
        published: r.get(3)?,
        rank: r.get(4)?,
        snippet: r.get(5)?,
        copies: r.get(6)?,
    })
}

/// FTS5 reports a query it cannot parse in several wordings.
fn is_query_syntax_error(message: &str) -> bool {
    [
        "fts5",
        "syntax error",
        "unterminated string",
        "no such column",
        "unknown special query",
    ]
    .iter()
    .any(|m| message.contains(m))
}

fn article_from_row(r: &Row) -> Result<(Article, Vec<String>), DbError> {
    let published: Option<String> = r.get(6)?;
    let basis: Option<String> = r.get(7)?;
    let published = published.zip(basis).and_then(|(value, basis)| {
        Some(Published::new(
            PartialDate::parse(&value).ok()?,
            DateBasis::parse(&basis)?,
        ))
    });
    let duplicate_of: Option<String> = r.get(11)?;
    let similarity: Option<f64> = r.get(12)?;
    let warnings: String = r.get(13)?;
    let article = Article {
        id: r.get(0)?,
        source_id: r.get(1)?,
        url: r.get(2)?,
        title: r.get(3)?,
        outlet: r.get(4)?,
        byline: r.get(5)?,
        published,
        language: r.get(8)?,
        image: r.get(9)?,
        text: r.get(10)?,
        duplicate_of: duplicate_of.map(|id| DuplicateLink {
            id,
            similarity: similarity.unwrap_or(0.0),
        }),
    };
    Ok((article, serde_json::from_str(&warnings).unwrap_or_default()))
}
