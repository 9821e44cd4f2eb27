//! What the watcher tests share: articles of their own words, a store, a quick fetcher.

#![allow(dead_code)]

use sitrep_fetch::{Fetcher, Politeness};
use sitrep_store::{SourceRecord, Store};
use sitrep_watch::{RoundReport, Settings, SourceReport};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

pub use sitrep_testsite::article_page as page;

/// About ninety words of news prose, different for each `n`.
pub fn prose(n: u64) -> String {
    sitrep_testsite::prose(n, 90)
}

/// An RSS feed of `(guid, link, description, pubDate)` items.
pub fn rss(items: &[(String, String, String, String)]) -> String {
    let body: String = items
        .iter()
        .map(|(guid, link, description, date)| {
            format!("<item><title>Item {guid}</title><guid>{guid}</guid><link>{link}</link><pubDate>{date}</pubDate><description><![CDATA[{description}]]></description></item>")
        })
        .collect();
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Test Wire</title>{body}</channel></rss>")
}

pub const DATE: &str = "Wed, 01 Feb 2023 10:00:00 GMT";

pub struct Watcher {
    pub store: Store,
    pub fetcher: Fetcher,
    pub settings: Settings,
    pub stop: Arc<AtomicBool>,
    _dir: Option<tempfile::TempDir>,
}

/// Politeness for tests: quick retries, short time-outs, no delay between requests.
pub fn politeness() -> Politeness {
    Politeness {
        timeout: Duration::from_secs(2),
        max_bytes: 1024 * 1024,
        retries: 2,
        backoff: Duration::from_millis(50),
        max_wait: Duration::from_secs(5),
        host_delay: Duration::ZERO,
        ..Politeness::default()
    }
}

impl Watcher {
    pub fn temporary() -> Watcher {
        let dir = tempfile::tempdir().unwrap();
        let mut w = Watcher::at(&dir.path().join("w.db"));
        w._dir = Some(dir);
        w
    }

    /// A watcher over the store at `path` (a restart, when one was there before).
    pub fn at(path: &std::path::Path) -> Watcher {
        let stop = Arc::new(AtomicBool::new(false));
        Watcher {
            store: Store::open(path).unwrap(),
            fetcher: Fetcher::new(politeness(), stop.clone()),
            settings: Settings {
                limits: sitrep_ingest::Limits {
                    max_document_bytes: 1024 * 1024,
                },
                ..Settings::default()
            },
            stop,
            _dir: None,
        }
    }

    /// Lists `(url, kind)` as the watched sources.
    pub fn list(&mut self, sources: &[(&str, &str)]) {
        let records: Vec<SourceRecord> = sources
            .iter()
            .map(|(url, kind)| SourceRecord::new(url, kind, 60))
            .collect();
        self.store.list_sources(&records).unwrap();
    }

    /// Polls every listed source once; the round and each source's report by address.
    pub fn round(&mut self) -> (RoundReport, Vec<SourceReport>) {
        let mut reports = Vec::new();
        let round = sitrep_watch::round(
            &mut self.store,
            &self.fetcher,
            &self.settings,
            true,
            &self.stop,
            |r| reports.push(r.clone()),
        )
        .unwrap();
        (round, reports)
    }

    pub fn source(&self, url: &str) -> SourceRecord {
        self.store
            .sources()
            .unwrap()
            .into_iter()
            .find(|s| s.url == url)
            .unwrap()
    }

    pub fn articles(&self) -> i64 {
        self.store.stats().unwrap().articles
    }
}

/// The report of the source at `url`.
pub fn report<'a>(reports: &'a [SourceReport], url: &str) -> &'a SourceReport {
    reports.iter().find(|r| r.source == url).unwrap()
}
