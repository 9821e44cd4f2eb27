//! One poll of one source: fetch it, read what it serves — a feed's items (followed to their
//! pages when the feed gives only summaries), a sitemap's pages, or the page itself — and
//! gather what to store. Network only: the store is written by the round, one poll a
//! transaction.

use crate::schedule::{self, Ended};
use crate::Settings;
use sitrep_fetch::sitemap::{self, Sitemap};
use sitrep_fetch::{address, FetchError, Fetched, Fetcher, Page, Validators};
use sitrep_ingest::{FeedEntry, Format, Reading};
use sitrep_store::{FetchRecord, FetchedArticle, Harvest, Incoming, SourceRecord};
use std::collections::HashMap;

/// A source to poll, with what was fetched through it before.
pub(crate) struct Job {
    pub(crate) source: SourceRecord,
    pub(crate) known: HashMap<String, FetchRecord>,
}

/// What a poll gave: the harvest to store, and what to tell the user.
pub(crate) struct Polled {
    pub(crate) harvest: Harvest,
    /// How the source itself answered.
    pub(crate) ended: Ended,
    /// Each item that failed: its address and the reason.
    pub(crate) item_errors: Vec<(String, String)>,
    /// Items seen before and unchanged since: not fetched again.
    pub(crate) unchanged: usize,
}

/// Child sitemaps of an index read per poll.
const MAX_CHILD_SITEMAPS: usize = 20;

struct Poll<'a> {
    fetcher: &'a Fetcher,
    settings: &'a Settings,
    job: &'a Job,
    articles: Vec<FetchedArticle>,
    records: Vec<FetchRecord>,
    item_errors: Vec<(String, String)>,
    unchanged: usize,
    /// Some item failed in a way that may pass: the next poll must read the source whole.
    retry_items: bool,
}

pub(crate) fn poll(fetcher: &Fetcher, settings: &Settings, job: &Job) -> Polled {
    let mut p = Poll {
        fetcher,
        settings,
        job,
        articles: Vec::new(),
        records: Vec::new(),
        item_errors: Vec::new(),
        unchanged: 0,
        retry_items: false,
    };
    let source = &job.source;
    let target = source.feed_url.as_deref().unwrap_or(&source.url);
    let known = Validators {
        etag: source.etag.clone(),
        last_modified: source.last_modified.clone(),
    };
    let ended = match fetcher.fetch(target, &known) {
        Ok(Fetched::NotModified) => Ended::NotModified,
        Ok(Fetched::Page(page)) => p.read_source(page),
        Err(e) => Ended::Failed(e),
    };
    let now = chrono::Utc::now();
    let mut state = schedule::after(source, &ended, settings.dead_after, now);
    if matches!(ended, Ended::Failed(FetchError::Stopped)) {
        state = source.clone(); // not a failure of the source: nothing to record
        (state.articles, state.sightings) = (0, 0);
    }
    Polled {
        harvest: Harvest {
            source: state,
            articles: p.articles,
            records: p.records,
        },
        ended,
        item_errors: p.item_errors,
        unchanged: p.unchanged,
    }
}

impl Poll<'_> {
    /// Reads what the source served, by its content (and the kind it is listed as).
    fn read_source(&mut self, page: Page) -> Ended {
        let kind = self.job.source.kind.as_str();
        let format = sitrep_ingest::sniff(&page.body, &self.settings.limits);
        let validators = page.validators.clone();
        let read = if kind == "sitemap" || sitemap::is_sitemap(&page.body) {
            self.sitemap(&page)
        } else if matches!(format, Ok(Format::Feed)) {
            self.feed(&page.url, &page.body)
        } else if matches!(format, Ok(Format::Html)) && kind != "page" {
            return self.page_or_its_feed(page);
        } else {
            self.page(page)
        };
        read.map_or_else(|e| e, |()| self.read(validators, None))
    }

    fn read(&self, validators: Validators, feed_url: Option<String>) -> Ended {
        Ended::Read {
            validators: (!self.retry_items).then_some(validators),
            feed_url,
        }
    }

    /// A listed feed or homepage that serves HTML: the feed it announces is polled in its
    /// place; without one, the page is read as one article.
    fn page_or_its_feed(&mut self, page: Page) -> Ended {
        let announced = sitrep_ingest::announced_feeds(&page.body);
        let Some(href) = announced.first() else {
            let validators = page.validators.clone();
            return self
                .page(page)
                .map_or_else(|e| e, |()| self.read(validators, None));
        };
        let feed_url = address::resolve(&page.url, href);
        match self.fetcher.fetch(&feed_url, &Validators::default()) {
            Ok(Fetched::Page(feed)) => self
                .feed(&feed.url, &feed.body)
                .map_or_else(|e| e, |()| self.read(feed.validators, Some(feed_url))),
            Ok(Fetched::NotModified) => Ended::NotModified,
            Err(e) => Ended::Failed(e),
        }
    }

    fn feed(&mut self, url: &str, body: &[u8]) -> Result<(), Ended> {
        let entries =
            sitrep_ingest::feed_entries(url, body).map_err(|e| Ended::Unreadable(e.to_string()))?;
        for entry in entries.into_iter().take(self.settings.max_items) {
            self.feed_entry(url, entry);
        }
        Ok(())
    }

    fn feed_entry(&mut self, feed_url: &str, entry: FeedEntry) {
        let known = self.job.known.get(&entry.key);
        let from_feed = entry.item.result.as_ref().ok();
        if let Some(k) = known {
            let same_text = from_feed.is_some_and(|r| k.article_id.as_ref() == Some(&r.article.id));
            // Without a stamp, only a full-text item can tell it changed (by its text).
            let same_stamp = k.stamp == entry.stamp && (entry.stamp.is_some() || !entry.full_text);
            if same_text || same_stamp {
                self.unchanged += 1;
                return;
            }
        }
        let record = self.record(&entry.key, &entry.stamp, "stored");
        // A relative link is read against the feed's own address.
        let link = entry.link.as_deref().map(|l| address::resolve(feed_url, l));
        let origin = link
            .clone()
            .unwrap_or_else(|| format!("{feed_url}#{}", entry.key));
        let reading = match (&link, entry.full_text) {
            (Some(link), false) => self.item_page(link, &entry),
            _ => entry
                .item
                .result
                .clone()
                .map_err(|e| Failure::Final(e.to_string())),
        };
        match reading {
            Ok(reading) => self.keep(origin, reading, record, known),
            Err(failure) => self.fail(&origin, record, failure),
        }
    }

    /// The article page of a feed item, with the feed's own title, date and author kept; the
    /// feed's summary when the page gives no text.
    fn item_page(&self, link: &str, entry: &FeedEntry) -> Result<Reading, Failure> {
        let feed = entry.item.result.as_ref().ok();
        match self.article_at(link) {
            Ok(mut reading) => {
                if let Some(feed) = feed {
                    merge_feed_metadata(&mut reading, feed);
                }
                Ok(reading)
            }
            Err(Failure::Unreadable(why)) if feed.is_some() => {
                let mut summary = feed.cloned().expect("checked");
                summary.warnings.push(format!(
                    "the page gave no article ({why}); the feed's summary kept"
                ));
                Ok(summary)
            }
            Err(failure) => Err(failure),
        }
    }

    /// The article a page holds.
    fn article_at(&self, url: &str) -> Result<Reading, Failure> {
        match self.fetcher.fetch(url, &Validators::default()) {
            Ok(Fetched::Page(page)) => {
                read_page(&page, &self.settings.limits).map_err(Failure::Unreadable)
            }
            Ok(Fetched::NotModified) => Err(Failure::Final(
                "HTTP 304 to an unconditional request".into(),
            )),
            Err(e) => Err(failure_of(e)),
        }
    }

    fn sitemap(&mut self, page: &Page) -> Result<(), Ended> {
        let parsed = sitemap::parse(&page.body).map_err(Ended::Unreadable)?;
        let pages = match parsed {
            Sitemap::Pages(pages) => pages,
            Sitemap::Index(children) => self.child_sitemaps(children),
        };
        self.sitemap_pages(pages);
        Ok(())
    }

    /// The pages of an index's sitemaps that changed since they were last read.
    fn child_sitemaps(&mut self, children: Vec<sitemap::Entry>) -> Vec<sitemap::Entry> {
        let mut pages = Vec::new();
        for child in children.into_iter().take(MAX_CHILD_SITEMAPS) {
            if self.is_known(&child.loc, &child.lastmod) && child.lastmod.is_some() {
                self.unchanged += 1;
                continue;
            }
            let record = self.record(&child.loc, &child.lastmod, "read");
            let read = match self.fetcher.fetch(&child.loc, &Validators::default()) {
                Ok(Fetched::Page(p)) => match sitemap::parse(&p.body) {
                    Ok(Sitemap::Pages(found)) => Ok(found),
                    Ok(Sitemap::Index(_)) => Err(Failure::Unreadable(
                        "a sitemap index inside an index (not followed)".into(),
                    )),
                    Err(why) => Err(Failure::Unreadable(why)),
                },
                Ok(Fetched::NotModified) => Ok(Vec::new()),
                Err(e) => Err(failure_of(e)),
            };
            match read {
                Ok(found) => {
                    pages.extend(found);
                    self.records.push(record);
                }
                Err(failure) => self.fail(&child.loc, record, failure),
            }
        }
        pages
    }

    /// The newest pages not yet read (or changed since), up to the per-poll limit.
    fn sitemap_pages(&mut self, mut pages: Vec<sitemap::Entry>) {
        pages.sort_by(|a, b| b.lastmod.cmp(&a.lastmod));
        let mut taken = 0;
        for entry in pages {
            if self.is_known(&entry.loc, &entry.lastmod) {
                self.unchanged += 1;
                continue;
            }
            if taken == self.settings.max_items {
                break;
            }
            taken += 1;
            let record = self.record(&entry.loc, &entry.lastmod, "stored");
            let known = self.job.known.get(&entry.loc);
            match self.article_at(&entry.loc) {
                Ok(reading) => self.keep(entry.loc.clone(), reading, record, known),
                Err(failure) => self.fail(&entry.loc, record, failure),
            }
        }
    }

    /// A listed page read as one article, remembered under the source's address.
    fn page(&mut self, page: Page) -> Result<(), Ended> {
        let key = self.job.source.url.clone();
        let record = self.record(&key, &None, "stored");
        let known = self.job.known.get(&key);
        let reading = read_page(&page, &self.settings.limits)
            .map_err(|why| Ended::Unreadable(format!("no article in the page: {why}")))?;
        self.keep(key, reading, record, known);
        Ok(())
    }

    fn is_known(&self, key: &str, stamp: &Option<String>) -> bool {
        self.job.known.get(key).is_some_and(|k| &k.stamp == stamp)
    }

    fn record(&self, key: &str, stamp: &Option<String>, status: &str) -> FetchRecord {
        FetchRecord {
            source: self.job.source.url.clone(),
            key: key.to_string(),
            article_id: None,
            stamp: stamp.clone(),
            status: status.to_string(),
        }
    }

    /// An item that gave no article: said in one line; remembered unless it may pass, so
    /// that it is fetched again only when its feed or sitemap says it changed.
    fn fail(&mut self, url: &str, record: FetchRecord, failure: Failure) {
        let why = match failure {
            Failure::Retry(why) => {
                self.retry_items = true;
                self.item_errors.push((url.to_string(), why));
                return;
            }
            Failure::Final(why) | Failure::Unreadable(why) => why,
        };
        self.item_errors.push((url.to_string(), why.clone()));
        self.records.push(FetchRecord {
            status: why,
            ..record
        });
    }

    fn keep(
        &mut self,
        origin: String,
        reading: Reading,
        record: FetchRecord,
        known: Option<&FetchRecord>,
    ) {
        let mut article = reading.article;
        if article.url.is_none() {
            article.url = Some(origin.clone());
        }
        self.articles.push(FetchedArticle {
            incoming: Incoming {
                origin,
                article,
                warnings: reading.warnings,
            },
            record,
            previous: known.and_then(|k| k.article_id.clone()),
        });
    }
}

/// Why an item gave no article.
enum Failure {
    /// May pass (5xx, 429, time-out): tried again at the next poll.
    Retry(String),
    /// Will not pass by asking again (gone, refused, too large).
    Final(String),
    /// Fetched, but no article could be read from it.
    Unreadable(String),
}

fn failure_of(e: FetchError) -> Failure {
    if e.is_transient() {
        Failure::Retry(e.to_string())
    } else {
        Failure::Final(e.to_string())
    }
}

/// The first article a fetched page holds.
fn read_page(page: &Page, limits: &sitrep_ingest::Limits) -> Result<Reading, String> {
    let items = sitrep_ingest::read_bytes(&page.url, &page.body, limits);
    match items.into_iter().next().map(|i| i.result) {
        Some(Ok(mut reading)) => {
            if reading.article.url.is_none() {
                reading.article.url = Some(page.url.clone());
            }
            Ok(reading)
        }
        Some(Err(e)) => Err(e.to_string()),
        None => Err("nothing readable".into()),
    }
}

/// The feed's title, date and author over the page's own: the feed states them, the page's
/// are guessed from markup.
fn merge_feed_metadata(page: &mut Reading, feed: &Reading) {
    let (a, f) = (&mut page.article, &feed.article);
    a.title = f.title.clone().or(a.title.take());
    a.published = f.published.clone().or(a.published.take());
    a.byline = f.byline.clone().or(a.byline.take());
    a.outlet = a.outlet.take().or(f.outlet.clone());
    a.language = a.language.take().or(f.language.clone());
    a.image = a.image.take().or(f.image.clone());
}
