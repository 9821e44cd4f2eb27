//! Keeping a list of web sources current: `sitrep watch` and `sitrep serve --watch`.
//!
//! A *round* polls the listed sources that are due (or all of them, for `--once`), several
//! at a time but one request at a time per host ([`sitrep_fetch`]); each source's poll
//! ([`poll`]) is saved in one transaction — its articles, what was fetched, its validators —
//! so an acknowledged article survives a kill, and a restart fetches nothing it has already.
//! [`watch`] runs rounds until asked to stop, sleeping until the next source falls due.

mod poll;
mod schedule;

use poll::{Job, Polled};
use schedule::Ended;
use sitrep_fetch::Fetcher;
use sitrep_store::{Outcome, SourceRecord, Store, StoreError};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant};

/// How the watcher works, beyond the fetcher's politeness.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Sources polled at once.
    pub concurrency: usize,
    /// Items (or sitemap pages) followed per source and poll.
    pub max_items: usize,
    /// Consecutive 404/410 answers after which a source is dead (then tried once a day).
    pub dead_after: i64,
    pub limits: sitrep_ingest::Limits,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            concurrency: 8,
            max_items: 200,
            dead_after: 3,
            limits: sitrep_ingest::Limits::default(),
        }
    }
}

/// What one poll of one source did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SourceReport {
    pub source: String,
    /// `ok`, `not_modified`, `failed` or `dead`.
    pub status: &'static str,
    /// Why the source failed, in one line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub added: usize,
    pub near_duplicates: usize,
    /// Texts already stored, seen at another address: recorded as sightings.
    pub duplicates: usize,
    /// Items revised in place: the stored article kept, its sighting updated.
    pub updated: usize,
    pub already_stored: usize,
    /// Items known and unchanged: not fetched again.
    pub unchanged: usize,
    /// Items that gave no article, each with its line in `item_errors`.
    pub failed_items: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub item_errors: Vec<String>,
}

/// What a round did, summed over its sources.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RoundReport {
    pub round: u64,
    pub sources: usize,
    pub ok: usize,
    pub not_modified: usize,
    pub failed: usize,
    pub added: usize,
    pub near_duplicates: usize,
    pub duplicates: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub failed_items: usize,
    pub seconds: f64,
    /// The round was cut short by a stop request.
    pub stopped: bool,
}

impl RoundReport {
    fn add(&mut self, s: &SourceReport) {
        self.sources += 1;
        match s.status {
            "ok" => self.ok += 1,
            "not_modified" => self.not_modified += 1,
            _ => self.failed += 1,
        }
        self.added += s.added;
        self.near_duplicates += s.near_duplicates;
        self.duplicates += s.duplicates;
        self.updated += s.updated;
        self.unchanged += s.unchanged;
        self.failed_items += s.failed_items;
    }

    /// New texts stored this round.
    pub fn stored(&self) -> usize {
        self.added + self.near_duplicates
    }
}

/// Polls the listed sources that are due now (`all`: every listed source), `settings.
/// concurrency` at a time, saving each as it comes; `on_source` hears of each after it is
/// saved. Stops taking sources once `stop` is raised; polls in flight finish and are saved.
pub fn round(
    store: &mut Store,
    fetcher: &Fetcher,
    settings: &Settings,
    all: bool,
    stop: &AtomicBool,
    mut on_source: impl FnMut(&SourceReport),
) -> Result<RoundReport, StoreError> {
    let started = Instant::now();
    let due = if all {
        store.sources()?.into_iter().filter(|s| s.listed).collect()
    } else {
        store.due_sources(&schedule::stamp(chrono::Utc::now()))?
    };
    let jobs = due
        .into_iter()
        .map(|source| {
            let known = store.fetched_of(&source.url)?;
            let known = known.into_iter().map(|r| (r.key.clone(), r)).collect();
            Ok(Job { source, known })
        })
        .collect::<Result<VecDeque<Job>, StoreError>>()?;
    let mut report = RoundReport::default();
    let queue = Mutex::new(jobs);
    let (sender, polls) = mpsc::channel::<Polled>();
    std::thread::scope(|scope| -> Result<(), StoreError> {
        for _ in 0..settings.concurrency.max(1) {
            let (queue, sender) = (&queue, sender.clone());
            scope.spawn(move || loop {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let job = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
                let Some(job) = job else { return };
                if sender.send(poll::poll(fetcher, settings, &job)).is_err() {
                    return;
                }
            });
        }
        drop(sender);
        for polled in polls {
            let outcomes = store.save_harvest(&polled.harvest)?;
            let source_report = source_report(&polled, &outcomes);
            report.add(&source_report);
            on_source(&source_report);
        }
        Ok(())
    })?;
    report.stopped = stop.load(Ordering::Relaxed);
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

fn source_report(polled: &Polled, outcomes: &[Outcome]) -> SourceReport {
    let source = &polled.harvest.source;
    let error = polled.ended.failure();
    let status = match &polled.ended {
        Ended::Read { .. } => "ok",
        Ended::NotModified => "not_modified",
        _ if source.dead => "dead",
        _ => "failed",
    };
    let mut r = SourceReport {
        source: source.url.clone(),
        status,
        error,
        unchanged: polled.unchanged,
        failed_items: polled.item_errors.len(),
        item_errors: polled
            .item_errors
            .iter()
            .map(|(url, why)| format!("{url}: {why}"))
            .collect(),
        ..SourceReport::default()
    };
    for outcome in outcomes {
        match outcome {
            Outcome::Added => r.added += 1,
            Outcome::NearDuplicate { .. } => r.near_duplicates += 1,
            Outcome::Duplicate { .. } => r.duplicates += 1,
            Outcome::Updated { .. } => r.updated += 1,
            Outcome::AlreadyStored => r.already_stored += 1,
        }
    }
    r
}

/// Runs rounds until `stop` is raised (or once, with `once`: every listed source polled now),
/// sleeping until the next source falls due. `keeper` holds the store (a ledger, say);
/// `after_round` runs after each round (to annotate what it stored, say) and hears of it.
pub fn watch<K: AsMut<Store>>(
    keeper: &mut K,
    fetcher: &Fetcher,
    settings: &Settings,
    once: bool,
    stop: &AtomicBool,
    mut on_source: impl FnMut(&SourceReport),
    mut after_round: impl FnMut(&mut K, &RoundReport) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    for number in 1.. {
        let mut report = round(
            keeper.as_mut(),
            fetcher,
            settings,
            once,
            stop,
            &mut on_source,
        )?;
        report.round = number;
        after_round(keeper, &report)?;
        if once || stop.load(Ordering::Relaxed) {
            break;
        }
        sleep_until_due(keeper.as_mut(), stop)?;
        if stop.load(Ordering::Relaxed) {
            break;
        }
    }
    Ok(())
}

/// Sleeps until the next listed source is due (at most a minute at a time, so a sources
/// change or a stop is noticed), waking early on `stop`.
fn sleep_until_due(store: &Store, stop: &AtomicBool) -> Result<(), StoreError> {
    let due = store.next_due()?;
    let wait = due
        .and_then(|d| chrono::DateTime::parse_from_rfc3339(&d).ok())
        .map(|d| {
            (d.with_timezone(&chrono::Utc) - chrono::Utc::now())
                .to_std()
                .unwrap_or_default()
        })
        .unwrap_or(Duration::from_secs(60))
        .min(Duration::from_secs(60));
    let until = Instant::now() + wait;
    while Instant::now() < until && !stop.load(Ordering::Relaxed) {
        std::thread::sleep(
            Duration::from_millis(100).min(until.saturating_duration_since(Instant::now())),
        );
    }
    Ok(())
}

/// Fetches one address now, as `sitrep ingest URL` does: a feed's items (followed to their
/// pages when it gives only summaries), a sitemap's pages, or the page itself, as ingest
/// items; each failure an item naming its address and the reason.
pub fn fetch_now(fetcher: &Fetcher, settings: &Settings, url: &str) -> Vec<sitrep_ingest::Item> {
    let job = Job {
        source: SourceRecord::new(url, "auto", 0),
        known: Default::default(),
    };
    let polled = poll::poll(fetcher, settings, &job);
    let failed = |origin: String, why: String| sitrep_ingest::Item {
        origin,
        source_id: None,
        result: Err(sitrep_ingest::ReadError::Fetch(why)),
    };
    let mut items: Vec<sitrep_ingest::Item> = Vec::new();
    if let Some(why) = polled.ended.failure() {
        items.push(failed(url.to_string(), why));
    }
    items.extend(
        polled
            .harvest
            .articles
            .into_iter()
            .map(|a| sitrep_ingest::Item {
                origin: a.incoming.origin,
                source_id: None,
                result: Ok(sitrep_ingest::Reading {
                    article: a.incoming.article,
                    warnings: a.incoming.warnings,
                }),
            }),
    );
    items.extend(
        polled
            .item_errors
            .into_iter()
            .map(|(u, why)| failed(u, why)),
    );
    items
}

/// Records the sources file's list as the watched sources.
pub fn list_sources(
    store: &mut Store,
    list: &sitrep_fetch::sources::SourceList,
) -> Result<(), StoreError> {
    let records: Vec<SourceRecord> = list
        .sources
        .iter()
        .map(|s| SourceRecord::new(&s.url, s.kind.name(), s.every.as_secs() as i64))
        .collect();
    store.list_sources(&records)
}
