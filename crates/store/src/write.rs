//! Batch ingest: one transaction per batch, with exact and near-duplicate detection.

use crate::engine::{args, Value};
use crate::{Store, StoreError};
use sitrep_core::Article;
use sitrep_dedup::{MinHash, DUPLICATE_THRESHOLD};

/// An article to store, with where it was read from.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub origin: String,
    pub article: Article,
    pub warnings: Vec<String>,
}

/// What storing one article did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// New text, stored.
    Added,
    /// New text that nearly repeats a stored article: stored, and linked to it.
    NearDuplicate { of: String, similarity: f64 },
    /// The same text is already stored; this new sighting of it was recorded.
    Duplicate { of: String },
    /// This very input was stored before (a re-run): nothing to do.
    AlreadyStored,
    /// A revision of the article stored earlier from the same address (a page or feed item
    /// updated in place): the stored article is kept and its sighting counts the revision.
    Updated { of: String },
}

impl Store {
    /// Stores a batch in one transaction: all of it is stored, or (on error) none of it.
    pub fn ingest_batch(&mut self, batch: &[Incoming]) -> Result<Vec<Outcome>, StoreError> {
        let now = crate::now();
        self.in_transaction(|tx| {
            batch
                .iter()
                .map(|incoming| store_one(tx, incoming, &now))
                .collect()
        })
    }
}

pub(crate) fn store_one(tx: &Store, incoming: &Incoming, now: &str) -> Result<Outcome, StoreError> {
    let a = &incoming.article;
    let exists = tx
        .first("SELECT 1 FROM articles WHERE id = ?1", args![a.id], |_| {
            Ok(())
        })?
        .is_some();
    if exists {
        return Ok(if record_sighting(tx, incoming, now)? {
            Outcome::Duplicate { of: a.id.clone() }
        } else {
            Outcome::AlreadyStored
        });
    }
    let minhash = MinHash::of_text(&a.text);
    let keys = minhash.band_keys();
    let nearest = nearest_stored(tx, &minhash, &keys)?;
    let published = a.published.as_ref();
    let row: i64 = tx
        .first(
        "INSERT INTO articles (id, source_id, url, title, outlet, byline, published, published_precision,
             published_basis, published_day, language, image, text, warnings, duplicate_of, similarity,
             minhash, ingested_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
         RETURNING rowid",
        args![
            a.id,
            a.source_id,
            a.url,
            a.title,
            a.outlet,
            a.byline,
            published.map(|p| p.date.to_string()),
            published.map(|p| format!("{:?}", p.date.precision()).to_lowercase()),
            published.map(|p| p.basis.as_str()),
            published.and_then(|p| p.date.first_day()).map(|d| d.to_string()),
            a.language,
            a.image,
            a.text,
            serde_json::to_string(&incoming.warnings).unwrap_or_else(|_| "[]".into()),
            nearest.as_ref().map(|(id, _)| id),
            nearest.as_ref().map(|(_, s)| s),
            minhash.to_bytes(),
            now,
        ],
        |r| r.get(0),
    )?
        .unwrap_or_default();
    for (i, key) in keys.iter().enumerate() {
        tx.execute(
            "INSERT INTO minhash_bands (band, key, article_row) VALUES (?1, ?2, ?3)
             ON CONFLICT DO NOTHING",
            args![i, key, row],
        )?;
    }
    record_sighting(tx, incoming, now)?;
    Ok(match nearest {
        Some((of, similarity)) => Outcome::NearDuplicate { of, similarity },
        None => Outcome::Added,
    })
}

/// Records where this copy was seen; false if that sighting was already known.
fn record_sighting(tx: &Store, incoming: &Incoming, now: &str) -> Result<bool, StoreError> {
    let a = &incoming.article;
    let added = tx.execute(
        "INSERT INTO sightings (article_id, origin, outlet, title, url, seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
        args![a.id, incoming.origin, a.outlet, a.title, a.url, now],
    )?;
    Ok(added == 1)
}

/// Candidates verified per article: those sharing the most LSH bands, which are the most
/// similar ones. Bounds the work on templated news, where many articles share a band or two.
const CANDIDATES_CHECKED: i64 = 16;

/// The most similar stored article at or above the duplicate threshold, found through the
/// LSH bands (earliest stored wins a tie).
fn nearest_stored(
    tx: &Store,
    minhash: &MinHash,
    keys: &[i64],
) -> Result<Option<(String, f64)>, StoreError> {
    let bands = (0..keys.len())
        .map(|i| format!("(b.band = {i} AND b.key = ?{})", i + 1))
        .collect::<Vec<_>>()
        .join(" OR ");
    let sql = format!(
        "SELECT a.id, a.minhash FROM minhash_bands b JOIN articles a ON a.rowid = b.article_row
         WHERE {bands} GROUP BY a.rowid ORDER BY count(*) DESC, a.rowid LIMIT {CANDIDATES_CHECKED}"
    );
    let keys: Vec<Value> = keys.iter().map(|&k| Value::Int(k)).collect();
    let candidates = tx.rows(&sql, &keys, |r| {
        Ok((r.get::<String>(0)?, r.get::<Vec<u8>>(1)?))
    })?;
    let mut best: Option<(String, f64)> = None;
    for (id, bytes) in candidates {
        let Some(other) = MinHash::from_bytes(&bytes) else {
            continue;
        };
        let similarity = minhash.similarity(&other);
        if similarity >= DUPLICATE_THRESHOLD && best.as_ref().is_none_or(|(_, s)| similarity > *s) {
            best = Some((id, similarity));
        }
    }
    Ok(best)
}
