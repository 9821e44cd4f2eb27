//! The ledger: the store's articles with their language layers (DESIGN.md §3) kept current
//! with the resources in use, and the queries over them — events, claims, entities, documents —
//! that the CLI and the HTTP API share.
//!
//! Layers are made once and stored with the fingerprint of the resources that made them; an
//! article is annotated again only when its layers are missing or were made with other
//! dictionaries, data or gazetteer. Queries then read stored rows: filtered, sorted and paged
//! by the store, never by annotating on the fly.

pub mod jobs;
mod tracking;

pub use tracking::{
    claimants, claims_table, predictions, threads, tracked_for, PredictionQuery, PredictionRow,
    ThreadClaimRow, ThreadMember, ThreadQuery, ThreadRow,
};

use rayon::prelude::*;
use sitrep_annotate::Resources;
use sitrep_core::Document;
use sitrep_export::{ClaimRow, EventRow};
use sitrep_store::{
    ClaimQuery, ClaimRecord, EntityQuery, EntityRecord, EntitySummary, EventQuery, EventRecord,
    Incoming, LayerRecord, Page, Store, StoreError,
};

/// Articles annotated and stored per transaction.
const BATCH: usize = 256;

/// Articles tracked per step (one transaction): a step reads the forward-looking events open
/// on its days whatever its size, so larger steps read them less often.
const TRACK_BATCH: usize = 1000;

/// The store-wide lock tracking holds ("track" in ASCII).
const TRACKING_LOCK: i64 = 0x0074_7261_636b;

/// Tracks every untracked article, a step at a time; how many were tracked.
fn track_all(
    store: &mut Store,
    rules: &sitrep_track::Rules,
    fingerprint: &str,
) -> Result<usize, StoreError> {
    let mut done = 0;
    loop {
        let ids = store.untracked(fingerprint, TRACK_BATCH)?;
        if ids.is_empty() {
            return Ok(done);
        }
        let mut docs = Vec::with_capacity(ids.len());
        for id in &ids {
            docs.extend(document(store, id)?);
        }
        let batch = tracking::step(store, &ids, &docs, rules, fingerprint)?;
        store.save_track(&batch)?;
        done += ids.len();
    }
}

/// Claims-over-time settings and the fingerprint that names them: facts tracked under
/// another fingerprint are tracked again.
#[derive(Debug, Clone)]
pub struct TrackSettings {
    pub rules: sitrep_track::Rules,
    pub fingerprint: String,
}

impl TrackSettings {
    /// sitrep's own settings (data/track.toml).
    pub fn builtin() -> Self {
        TrackSettings {
            rules: sitrep_track::Rules::builtin(),
            fingerprint: sitrep_track::rules::fingerprint(
                "sitrep:track.toml",
                sitrep_track::rules::BUILTIN,
            ),
        }
    }

    /// A user's settings file, in data/track.toml's form.
    pub fn read(path: &std::path::Path) -> Result<Self, sitrep_track::RulesError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| sitrep_track::RulesError {
            origin: origin.clone(),
            reason: e.to_string(),
        })?;
        Ok(TrackSettings {
            rules: sitrep_track::Rules::parse(&text, &origin)?,
            fingerprint: sitrep_track::rules::fingerprint(&origin, &text),
        })
    }
}

/// A store and the resources its layers are kept current with.
pub struct Ledger {
    pub store: Store,
    pub resources: Resources,
    /// What makes statements one claim and how long predictions have (data/track.toml).
    pub track_rules: sitrep_track::Rules,
    track_fingerprint: String,
}

impl AsMut<Store> for Ledger {
    fn as_mut(&mut self) -> &mut Store {
        &mut self.store
    }
}

impl Ledger {
    pub fn new(store: Store, resources: Resources) -> Self {
        Ledger::with_track(store, resources, TrackSettings::builtin())
    }

    /// A ledger whose claims over time follow `track` (the user's settings, say).
    pub fn with_track(store: Store, resources: Resources, track: TrackSettings) -> Self {
        let track_fingerprint = format!("{}+{}", resources.fingerprint, track.fingerprint);
        Ledger {
            store,
            resources,
            track_rules: track.rules,
            track_fingerprint,
        }
    }

    /// Annotates every article whose layers are missing or stale, a batch per transaction,
    /// then brings claims over time up to date; how many were annotated.
    pub fn refresh(&mut self) -> Result<usize, StoreError> {
        let annotated = self.annotate_stale()?;
        self.track()?;
        Ok(annotated)
    }

    /// Stores documents annotated elsewhere, with their layers as annotating would keep them
    /// (seen under their source id, else their id); tracking them is left to [`Ledger::track`].
    pub fn store_annotated(&mut self, docs: &[Document]) -> Result<(), StoreError> {
        for chunk in docs.chunks(BATCH) {
            let incoming: Vec<Incoming> = chunk
                .iter()
                .map(|d| Incoming {
                    origin: d.article.source_id.clone().unwrap_or(d.article.id.clone()),
                    article: d.article.clone(),
                    warnings: Vec::new(),
                })
                .collect();
            self.store.ingest_batch(&incoming)?;
            let records: Vec<LayerRecord> = chunk.iter().map(layer_record).collect();
            self.store
                .save_layers(&self.resources.fingerprint, &records)?;
        }
        Ok(())
    }

    /// Tracks every article whose claims are not yet tracked with the current resources and
    /// settings, a batch per transaction; how many were tracked. One process tracks at a time
    /// (workers on several machines would otherwise thread the same claims apart).
    pub fn track(&mut self) -> Result<usize, StoreError> {
        let (rules, fingerprint) = (&self.track_rules, &self.track_fingerprint);
        self.store
            .exclusively(TRACKING_LOCK, |store| track_all(store, rules, fingerprint))
    }

    fn annotate_stale(&mut self) -> Result<usize, StoreError> {
        let mut done = 0;
        loop {
            let stale = self
                .store
                .stale_layers(&self.resources.fingerprint, BATCH)?;
            if stale.is_empty() {
                return Ok(done);
            }
            done += self.annotate(&stale)?;
        }
    }

    /// Annotates these stored articles and stores their layers, a batch per transaction; how
    /// many were annotated.
    fn annotate(&mut self, ids: &[String]) -> Result<usize, StoreError> {
        let mut done = 0;
        for chunk in ids.chunks(BATCH) {
            let mut articles = Vec::with_capacity(chunk.len());
            for id in chunk {
                if let Some(doc) = self.store.document(id)? {
                    articles.push(doc.article);
                }
            }
            let resources = &self.resources;
            let records: Vec<LayerRecord> = articles
                .into_par_iter()
                .map(|article| layer_record(&sitrep_annotate::annotate(article, resources)))
                .collect();
            self.store
                .save_layers(&self.resources.fingerprint, &records)?;
            done += records.len();
        }
        Ok(done)
    }

    /// An article's document with its stored layers, by full id, unique id prefix or source id.
    pub fn document(&self, key: &str) -> Result<Option<Document>, StoreError> {
        document(&self.store, key)
    }

    /// A page of events; `near` (lat, lon, km) keeps those placed within that distance.
    pub fn events(
        &self,
        query: &EventQuery,
        near: Option<(f64, f64, f64)>,
    ) -> Result<Page<EventRow>, StoreError> {
        events(&self.store, query, near)
    }

    pub fn claims(&self, query: &ClaimQuery) -> Result<Page<ClaimRow>, StoreError> {
        claims(&self.store, query)
    }

    pub fn entities(&self, query: &EntityQuery) -> Result<Page<EntitySummary>, StoreError> {
        entities(&self.store, query)
    }
}

/// An article's document with its stored layers, by full id, unique id prefix or source id.
pub fn document(store: &Store, key: &str) -> Result<Option<Document>, StoreError> {
    let Some(stored) = store.document(key)? else {
        return Ok(None);
    };
    let layered = store
        .layers(&stored.article.id)?
        .and_then(|json| serde_json::from_str::<Document>(&json).ok());
    Ok(Some(match layered {
        Some(mut doc) => {
            // The article as stored now (sightings, near-duplicates), the layers as made.
            doc.article = stored.article;
            doc
        }
        None => stored,
    }))
}

/// A page of events; `near` (lat, lon, km) keeps those placed within that distance.
pub fn events(
    store: &Store,
    query: &EventQuery,
    near: Option<(f64, f64, f64)>,
) -> Result<Page<EventRow>, StoreError> {
    let Some((lat, lon, km)) = near else {
        return with_verdicts(store, parse_page(store.events(query)?));
    };
    // A box narrows the search — the caller's, else the circle's — and the distance decides.
    let mut wide = query.clone();
    wide.bbox = Some(query.bbox.unwrap_or_else(|| circle_box(lat, lon, km)));
    wide.limit = 0;
    wide.offset = 0;
    let within: Vec<EventRow> = parse_page::<EventRow>(store.events(&wide)?)
        .items
        .into_iter()
        .filter(|r| {
            r.latitude
                .zip(r.longitude)
                .is_some_and(|p| sitrep_core::geo::distance_km(p, (lat, lon)) <= km)
        })
        .collect();
    let total = within.len();
    let limit = if query.limit == 0 {
        usize::MAX
    } else {
        query.limit
    };
    with_verdicts(
        store,
        Page {
            items: within.into_iter().skip(query.offset).take(limit).collect(),
            total,
        },
    )
}

/// The box round a circle of `km` about (lat, lon): across the antimeridian its west edge
/// lies east of its east edge (as the store reads boxes); holding a pole or wider than the
/// world, every longitude.
fn circle_box(lat: f64, lon: f64, km: f64) -> (f64, f64, f64, f64) {
    let dlat = km / 111.2;
    let dlon = km / (111.2 * lat.to_radians().cos().abs().max(0.01));
    let (south, north) = ((lat - dlat).max(-90.0), (lat + dlat).min(90.0));
    if dlon >= 180.0 || north >= 90.0 || south <= -90.0 {
        return (south, -180.0, north, 180.0);
    }
    let wrap = |v: f64| {
        if v > 180.0 {
            v - 360.0
        } else if v < -180.0 {
            v + 360.0
        } else {
            v
        }
    };
    (south, wrap(lon - dlon), north, wrap(lon + dlon))
}

/// A page of claims, each with its thread.
pub fn claims(store: &Store, query: &ClaimQuery) -> Result<Page<ClaimRow>, StoreError> {
    let mut page: Page<ClaimRow> = parse_page(store.claims(query)?);
    with_threads(store, &mut page.items)?;
    Ok(page)
}

/// A stored document's event and claim rows with what claims over time found — also for a
/// near-duplicate, which the event and claim queries leave out (a copy relays its claims).
pub fn rows_of(
    store: &Store,
    doc: &Document,
) -> Result<(Vec<EventRow>, Vec<ClaimRow>), StoreError> {
    let events = EventRow::all(doc);
    let total = events.len();
    let events = with_verdicts(
        store,
        Page {
            items: events,
            total,
        },
    )?
    .items;
    let mut claims = ClaimRow::all(doc);
    with_threads(store, &mut claims)?;
    Ok((events, claims))
}

/// Each claim row with its thread and how it stands there.
fn with_threads(store: &Store, rows: &mut [ClaimRow]) -> Result<(), StoreError> {
    for row in rows {
        if let Some((thread, relation)) = store.claim_thread(&row.article_id, &row.statement_id)? {
            row.thread = Some(thread);
            row.relation = Some(relation);
        }
    }
    Ok(())
}

/// Each event row with what claims over time found: a forward-looking event's status and due
/// date, an alleged event's corroboration.
fn with_verdicts(store: &Store, mut page: Page<EventRow>) -> Result<Page<EventRow>, StoreError> {
    // One read for the page's articles, not one per row.
    let mut articles: Vec<String> = page.items.iter().map(|r| r.article_id.clone()).collect();
    articles.sort();
    articles.dedup();
    let mut tracked: std::collections::HashMap<(String, String), sitrep_store::TrackedEvent> =
        store
            .tracked_events_of(&articles)?
            .into_iter()
            .map(|t| ((t.article_id.clone(), t.event_id.clone()), t))
            .collect();
    for row in &mut page.items {
        let Some(tracked) = tracked.remove(&(row.article_id.clone(), row.event_id.clone())) else {
            continue;
        };
        row.status = tracked.status;
        row.due = tracked.due.filter(|_| row.status.is_some());
        if let Some(c) = tracked.corroboration {
            row.corroboration = Some(c);
            row.corroborated_by = tracked
                .verdict
                .and_then(|v| serde_json::from_str::<sitrep_track::Corroboration>(&v).ok())
                .map(|c| c.corroborated_by)
                .unwrap_or_default();
        }
    }
    Ok(page)
}

pub fn entities(store: &Store, query: &EntityQuery) -> Result<Page<EntitySummary>, StoreError> {
    store.entities(query)
}

/// `LAT,LON,KM`: a point and a distance, checked.
pub fn parse_near(text: &str) -> Result<(f64, f64, f64), String> {
    let expected =
        || format!("{text}: expected LAT,LON,KM (latitude -90..90, longitude -180..180, km ≥ 0)");
    match numbers(text).ok_or_else(expected)?[..] {
        [lat, lon, km]
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) && km >= 0.0 =>
        {
            Ok((lat, lon, km))
        }
        _ => Err(expected()),
    }
}

/// `SOUTH,WEST,NORTH,EAST`: a box in degrees, checked (WEST east of EAST crosses the
/// antimeridian).
pub fn parse_bbox(text: &str) -> Result<(f64, f64, f64, f64), String> {
    let expected = || format!("{text}: expected SOUTH,WEST,NORTH,EAST in degrees");
    match numbers(text).ok_or_else(expected)?[..] {
        [s, w, n, e]
            if [s, n].iter().all(|v| (-90.0..=90.0).contains(v))
                && [w, e].iter().all(|v| (-180.0..=180.0).contains(v)) =>
        {
            Ok((s, w, n, e))
        }
        _ => Err(expected()),
    }
}

/// Comma-separated decimal numbers (`-12.5`: digits, an optional sign and fraction; no
/// exponent, no spaces), or None.
fn numbers(text: &str) -> Option<Vec<f64>> {
    text.split(',')
        .map(|part| {
            let digits = part.strip_prefix('-').unwrap_or(part);
            let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
            let decimal = [whole, fraction]
                .iter()
                .all(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
            decimal.then(|| part.parse::<f64>().ok()).flatten()
        })
        .collect()
}

/// Rows the ledger itself wrote; one that does not read back is left out rather than failing
/// the page.
fn parse_page<T: serde::de::DeserializeOwned>(page: Page<String>) -> Page<T> {
    Page {
        items: page
            .items
            .iter()
            .filter_map(|json| serde_json::from_str(json).ok())
            .collect(),
        total: page.total,
    }
}

/// What the store keeps of an annotated document: the document, and its event, claim and
/// entity rows.
pub fn layer_record(doc: &Document) -> LayerRecord {
    let events = EventRow::all(doc)
        .into_iter()
        .map(|r| EventRecord {
            event_id: r.event_id.clone(),
            event_type: r.event_type.clone(),
            mode: r.mode.clone(),
            outlet: r.outlet.clone(),
            date: r.event_date.clone().or_else(|| r.published.clone()),
            lat: r.latitude,
            lon: r.longitude,
            extent: r.extent,
            names: r.actors.iter().chain(&r.targets).cloned().collect(),
            row: serde_json::to_string(&r).unwrap_or_default(),
        })
        .collect();
    let claims = ClaimRow::all(doc)
        .into_iter()
        .map(|r| ClaimRecord {
            statement_id: r.statement_id.clone(),
            speaker: r.speaker.clone(),
            kind: r.kind.clone(),
            outlet: r.outlet.clone(),
            date: r.date.clone().or_else(|| r.published.clone()),
            tags: r.tags.clone(),
            row: serde_json::to_string(&r).unwrap_or_default(),
        })
        .collect();
    let entities = doc
        .entities
        .iter()
        .map(|e| {
            // A place no gazetteer has stands at the region that contains it.
            let container = e.within.as_ref().and_then(|id| doc.entity(id));
            let point = e
                .lat
                .zip(e.lon)
                .or_else(|| container.and_then(|c| c.lat.zip(c.lon)));
            EntityRecord {
                entity_id: e.id.clone(),
                kind: e.kind.clone(),
                name: e.name.clone(),
                code: e.code.clone(),
                lat: point.map(|p| p.0),
                lon: point.map(|p| p.1),
                line: (!e.line.is_empty())
                    .then(|| serde_json::to_string(&e.line).unwrap_or_default()),
                resolved: e.resolved != Some(false),
            }
        })
        .collect();
    LayerRecord {
        article_id: doc.article.id.clone(),
        document: serde_json::to_string(doc).unwrap_or_default(),
        events,
        claims,
        entities,
    }
}

#[cfg(test)]
mod tests {
    use super::circle_box;

    #[test]
    fn a_circle_across_the_antimeridian_gets_a_box_across_it() {
        let (south, west, north, east) = circle_box(-17.0, 179.5, 100.0);
        assert!(west > east, "wraps: {west} {east}");
        assert!((178.5..179.5).contains(&west) && (-179.6..-179.0).contains(&east));
        assert!(south < -17.0 && north > -17.0);
        let (_, west, _, east) = circle_box(35.9, 36.6, 50.0);
        assert!(west < 36.6 && 36.6 < east);
        // Near the pole a circle takes every longitude.
        let (_, west, north, east) = circle_box(89.9, 10.0, 100.0);
        assert_eq!((west, east, north), (-180.0, 180.0, 90.0));
    }
}
