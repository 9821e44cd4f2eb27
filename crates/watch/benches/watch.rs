//! Watching 200 feeds of 50 items each, served by 200 local hosts (127.0.0.1–127.0.0.200):
//! the first round stores all 10,000 articles once; the second asks each feed "changed?" and
//! gets 304s, storing nothing. Printed beside a baseline run in the same process: the same
//! feed bytes read and stored from memory, with no HTTP at all.
//!
//! `cargo bench -p sitrep-watch --bench watch`

use sitrep_fetch::{Fetcher, Politeness};
use sitrep_store::{Incoming, SourceRecord, Store};
use sitrep_testsite::{Response, Site};
use sitrep_watch::Settings;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

const FEEDS: u64 = 200;
const ITEMS: u64 = 50;

/// Feed `f`: 50 full-text items.
fn feed(f: u64) -> String {
    let items: String = (0..ITEMS)
        .map(|i| {
            let n = f * ITEMS + i;
            format!(
                "<item><title>Dispatch {n}</title><guid>d{n}</guid><link>https://wire{f}.example/{n}</link>\
                 <pubDate>Wed, 01 Feb 2023 10:00:00 GMT</pubDate><content:encoded><![CDATA[<p>{}</p>]]></content:encoded></item>",
                sitrep_testsite::prose(n, 150)
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\
         <channel><title>Wire {f}</title>{items}</channel></rss>"
    )
}

fn main() {
    let feeds: Vec<Arc<String>> = (0..FEEDS).map(|f| Arc::new(feed(f))).collect();
    let sites: Vec<Site> = feeds
        .iter()
        .enumerate()
        .map(|(i, body)| {
            let body = body.clone();
            let ip = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1 + i as u8));
            Site::start_on(ip, move |req| match req.path.as_str() {
                "/feed.xml" if req.header("If-None-Match") == Some("\"1\"") => {
                    Response::status(304)
                }
                "/feed.xml" => Response::xml(body.as_bytes().to_vec()).with("ETag", "\"1\""),
                _ => Response::status(404),
            })
        })
        .collect();
    let dir = tempfile::tempdir().expect("a temporary folder");

    // Baseline: the same bytes read and stored, no HTTP.
    let started = Instant::now();
    let mut base = Store::open(&dir.path().join("baseline.db")).expect("a store");
    for (f, body) in feeds.iter().enumerate() {
        let origin = format!("feed{f}");
        let items = sitrep_ingest::read_bytes(&origin, body.as_bytes(), &Default::default());
        let batch: Vec<Incoming> = items
            .into_iter()
            .filter_map(|i| {
                let r = i.result.ok()?;
                Some(Incoming {
                    origin: i.origin,
                    article: r.article,
                    warnings: r.warnings,
                })
            })
            .collect();
        base.ingest_batch(&batch).expect("stored");
    }
    let baseline = started.elapsed().as_secs_f64();
    let baseline_articles = base.stats().expect("stats").articles;

    let mut store = Store::open(&dir.path().join("watch.db")).expect("a store");
    let sources: Vec<SourceRecord> = sites
        .iter()
        .map(|s| SourceRecord::new(&s.url("/feed.xml"), "feed", 900))
        .collect();
    store.list_sources(&sources).expect("listed");
    let stop = Arc::new(AtomicBool::new(false));
    let fetcher = Fetcher::new(Politeness::default(), stop.clone());
    let settings = Settings::default();
    let run = |store: &mut Store| {
        let started = Instant::now();
        let r =
            sitrep_watch::round(store, &fetcher, &settings, true, &stop, |_| {}).expect("a round");
        (started.elapsed().as_secs_f64(), r)
    };
    let (first, r1) = run(&mut store);
    let (second, r2) = run(&mut store);
    assert_eq!(r1.stored(), (FEEDS * ITEMS) as usize, "{r1:?}");
    assert_eq!(
        (r2.not_modified, r2.stored()),
        (FEEDS as usize, 0),
        "{r2:?}"
    );
    assert_eq!(store.stats().expect("stats").articles, baseline_articles);

    println!("watch: {FEEDS} local feeds × {ITEMS} full-text items, default politeness (1 s per host, 8 at once)");
    println!("| run | seconds | articles stored | ratio to baseline |");
    println!("|---|---:|---:|---:|");
    println!("| baseline: the feeds' bytes stored, no HTTP | {baseline:.2} | {baseline_articles} | 1.00 |");
    println!(
        "| round 1: every feed fetched, every item stored | {first:.2} | {} | {:.2} |",
        r1.stored(),
        first / baseline
    );
    println!(
        "| round 2: {} × 304 Not Modified | {second:.2} | {} | {:.2} |",
        r2.not_modified,
        r2.stored(),
        second / baseline
    );
    println!(
        "bar: round 2 under 5 s: {}",
        if second < 5.0 { "met" } else { "NOT met" }
    );
}
