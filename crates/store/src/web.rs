//! Web sources and what was fetched through them: the watcher's memory, so a restart resumes
//! without fetching everything again and without storing anything twice. A source's poll is
//! saved in one transaction — its articles, its fetch records and its new validators — so a
//! crash never keeps validators whose articles were lost.

use crate::engine::{args, DbError, Row, Value};
use crate::write::{store_one, Incoming, Outcome};
use crate::{Store, StoreError};
use sitrep_dedup::{MinHash, DUPLICATE_THRESHOLD};

/// A watched source and what its last poll gave.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SourceRecord {
    pub url: String,
    /// auto, feed, sitemap or page, as listed.
    pub kind: String,
    pub every_secs: i64,
    /// Still in the sources file.
    pub listed: bool,
    /// The feed the listed page announced, polled in its place.
    pub feed_url: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_fetch: Option<String>,
    pub last_success: Option<String>,
    /// "ok", "not modified", or the one-line reason the last poll failed.
    pub last_status: Option<String>,
    /// Consecutive failed polls.
    pub failures: i64,
    /// Consecutive 404/410 answers.
    pub gone: i64,
    pub dead: bool,
    pub next_due: Option<String>,
    /// Articles stored through it (new texts).
    pub articles: i64,
    /// Copies of stored texts seen through it.
    pub sightings: i64,
}

impl SourceRecord {
    /// A source not yet polled.
    pub fn new(url: &str, kind: &str, every_secs: i64) -> Self {
        SourceRecord {
            url: url.to_string(),
            kind: kind.to_string(),
            every_secs,
            listed: true,
            feed_url: None,
            etag: None,
            last_modified: None,
            last_fetch: None,
            last_success: None,
            last_status: None,
            failures: 0,
            gone: 0,
            dead: false,
            next_due: None,
            articles: 0,
            sightings: 0,
        }
    }

    fn from_row(r: &Row) -> Result<Self, DbError> {
        Ok(SourceRecord {
            url: r.get(0)?,
            kind: r.get(1)?,
            every_secs: r.get(2)?,
            listed: r.get(3)?,
            feed_url: r.get(4)?,
            etag: r.get(5)?,
            last_modified: r.get(6)?,
            last_fetch: r.get(7)?,
            last_success: r.get(8)?,
            last_status: r.get(9)?,
            failures: r.get(10)?,
            gone: r.get(11)?,
            dead: r.get(12)?,
            next_due: r.get(13)?,
            articles: r.get(14)?,
            sightings: r.get(15)?,
        })
    }
}

/// The columns [`SourceRecord::from_row`] reads, in its order.
pub(crate) const SOURCE_COLUMNS: &str =
    "url, kind, every_secs, listed, feed_url, etag, last_modified, \
    last_fetch, last_success, last_status, failures, gone, dead, next_due, articles, sightings";

/// One item or page fetched through a source.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchRecord {
    pub source: String,
    /// A feed item's guid (else its link), or a page's URL.
    pub key: String,
    /// The article stored from it (set by the store for the articles it saves).
    pub article_id: Option<String>,
    /// What the feed or sitemap said of its last change.
    pub stamp: Option<String>,
    /// "stored", "gone", or the reason it could not be read.
    pub status: String,
}

/// An article fetched through a source, with the record that remembers it.
#[derive(Debug, Clone)]
pub struct FetchedArticle {
    pub incoming: Incoming,
    pub record: FetchRecord,
    /// The article stored from the same item before, when the item was seen already: a new
    /// text that nearly repeats it is a revision, not a new article.
    pub previous: Option<String>,
}

/// What one poll of a source gave, saved in one transaction.
#[derive(Debug, Clone)]
pub struct Harvest {
    /// The source's state after the poll (counts are added to by the store).
    pub source: SourceRecord,
    pub articles: Vec<FetchedArticle>,
    /// Other things fetched: items that gave no article (gone, unreadable), remembered so they
    /// are not fetched again until their feed says they changed, and sitemaps read.
    pub records: Vec<FetchRecord>,
}

impl Store {
    /// Makes the listed sources the watched ones: new ones added, settings updated, sources no
    /// longer listed kept with their history but not polled.
    pub fn list_sources(&mut self, sources: &[SourceRecord]) -> Result<(), StoreError> {
        self.in_transaction(|tx| {
            tx.execute("UPDATE sources SET listed = 0", &[])?;
            for s in sources {
                tx.execute(
                    "INSERT INTO sources (url, kind, every_secs) VALUES (?1, ?2, ?3)
                     ON CONFLICT (url) DO UPDATE SET listed = 1, kind = ?2, every_secs = ?3,
                         feed_url = CASE WHEN sources.kind = ?2 THEN sources.feed_url END",
                    args![s.url, s.kind, s.every_secs],
                )?;
            }
            Ok(())
        })
    }

    /// Every source ever listed, the listed ones first, then by address.
    pub fn sources(&self) -> Result<Vec<SourceRecord>, StoreError> {
        self.query_sources("ORDER BY listed DESC, url", &[])
    }

    /// Listed sources due at `now` (RFC 3339, UTC), the most overdue first.
    pub fn due_sources(&self, now: &str) -> Result<Vec<SourceRecord>, StoreError> {
        self.query_sources(
            "WHERE listed = 1 AND (next_due IS NULL OR next_due <= ?1)
             ORDER BY next_due IS NOT NULL, next_due, url",
            args![now],
        )
    }

    /// When the next listed source falls due.
    pub fn next_due(&self) -> Result<Option<String>, StoreError> {
        Ok(self
            .first(
                "SELECT min(coalesce(next_due, '')) FROM sources WHERE listed = 1",
                &[],
                |r| r.get(0),
            )?
            .flatten())
    }

    /// What was fetched through `source` before.
    pub fn fetched_of(&self, source: &str) -> Result<Vec<FetchRecord>, StoreError> {
        self.rows(
            "SELECT source, key, article_id, stamp, status FROM fetched WHERE source = ?1",
            args![source],
            |r| {
                Ok(FetchRecord {
                    source: r.get(0)?,
                    key: r.get(1)?,
                    article_id: r.get(2)?,
                    stamp: r.get(3)?,
                    status: r.get(4)?,
                })
            },
        )
    }

    /// Saves one poll of a source in one transaction: its articles (a revision of an item's
    /// earlier article updates that article's sighting instead), its fetch records and its
    /// state; what storing each article did, in order.
    pub fn save_harvest(&mut self, harvest: &Harvest) -> Result<Vec<Outcome>, StoreError> {
        let now = crate::now();
        self.in_transaction(|tx| save_in(tx, harvest, &now))
    }

    /// Sources in the order and of the kind `rest` (the query after its FROM) says.
    fn query_sources(&self, rest: &str, args: &[Value]) -> Result<Vec<SourceRecord>, StoreError> {
        let sql = format!("SELECT {SOURCE_COLUMNS} FROM sources {rest}");
        self.rows(&sql, args, SourceRecord::from_row)
    }
}

fn save_in(tx: &Store, harvest: &Harvest, now: &str) -> Result<Vec<Outcome>, StoreError> {
    let mut outcomes = Vec::with_capacity(harvest.articles.len());
    let (mut articles, mut sightings) = (0, 0);
    for fetched in &harvest.articles {
        let outcome = match revised(tx, fetched)? {
            Some(of) => {
                record_revision(tx, &fetched.incoming, &of, now)?;
                Outcome::Updated { of }
            }
            None => store_one(tx, &fetched.incoming, now)?,
        };
        let article_id = match &outcome {
            Outcome::Updated { of } | Outcome::Duplicate { of } => of.clone(),
            _ => fetched.incoming.article.id.clone(),
        };
        match outcome {
            Outcome::Added | Outcome::NearDuplicate { .. } => articles += 1,
            Outcome::Duplicate { .. } => sightings += 1,
            Outcome::AlreadyStored | Outcome::Updated { .. } => {}
        }
        let record = FetchRecord {
            article_id: Some(article_id),
            ..fetched.record.clone()
        };
        save_record(tx, &record, now)?;
        outcomes.push(outcome);
    }
    for record in &harvest.records {
        save_record(tx, record, now)?;
    }
    save_source(tx, &harvest.source, articles, sightings)?;
    Ok(outcomes)
}

/// The item's earlier article, when the new text is a revision of it (another text, nearly
/// the same words).
fn revised(tx: &Store, fetched: &FetchedArticle) -> Result<Option<String>, StoreError> {
    let Some(previous) = fetched.previous.as_deref() else {
        return Ok(None);
    };
    if previous == fetched.incoming.article.id {
        return Ok(None);
    }
    let stored: Option<Vec<u8>> = tx.first(
        "SELECT minhash FROM articles WHERE id = ?1",
        args![previous],
        |r| r.get(0),
    )?;
    let Some(stored) = stored.as_deref().and_then(MinHash::from_bytes) else {
        return Ok(None);
    };
    let similarity = MinHash::of_text(&fetched.incoming.article.text).similarity(&stored);
    Ok((similarity >= DUPLICATE_THRESHOLD).then(|| previous.to_string()))
}

fn record_revision(tx: &Store, incoming: &Incoming, of: &str, now: &str) -> Result<(), StoreError> {
    let updated = tx.execute(
        "UPDATE sightings SET updated_at = ?3, revisions = revisions + 1
         WHERE article_id = ?1 AND origin = ?2",
        args![of, incoming.origin, now],
    )?;
    if updated == 0 {
        let a = &incoming.article;
        tx.execute(
            "INSERT INTO sightings (article_id, origin, outlet, title, url, seen_at, updated_at, revisions)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, 1) ON CONFLICT DO NOTHING",
            args![of, incoming.origin, a.outlet, a.title, a.url, now],
        )?;
    }
    Ok(())
}

fn save_record(tx: &Store, record: &FetchRecord, now: &str) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO fetched (source, key, article_id, stamp, status, fetched_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (source, key) DO UPDATE SET article_id = coalesce(?3, fetched.article_id),
             stamp = ?4, status = ?5, fetched_at = ?6",
        args![
            record.source,
            record.key,
            record.article_id,
            record.stamp,
            record.status,
            now
        ],
    )?;
    Ok(())
}

fn save_source(
    tx: &Store,
    s: &SourceRecord,
    articles: i64,
    sightings: i64,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO sources (url, kind, every_secs, listed, feed_url, etag, last_modified, last_fetch,
             last_success, last_status, failures, gone, dead, next_due, articles, sightings)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
         ON CONFLICT (url) DO UPDATE SET feed_url = ?5, etag = ?6, last_modified = ?7,
             last_fetch = ?8, last_success = ?9, last_status = ?10, failures = ?11, gone = ?12,
             dead = ?13, next_due = ?14, articles = sources.articles + ?15, sightings = sources.sightings + ?16",
        args![
            s.url,
            s.kind,
            s.every_secs,
            s.listed,
            s.feed_url,
            s.etag,
            s.last_modified,
            s.last_fetch,
            s.last_success,
            s.last_status,
            s.failures,
            s.gone,
            s.dead,
            s.next_due,
            articles,
            sightings
        ],
    )?;
    Ok(())
}
