//! Feeds and pages over a local site: items followed to their pages, conditional requests,
//! restarts that fetch nothing twice, updates in place, copies at two addresses, robots.txt.

mod support;

use sitrep_testsite::{Response, Site};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use support::*;

/// A site with a summary-only feed at /feed.xml (ETag "v{version}") whose items link to
/// /story/N pages; `version` adds one item per step.
fn wire(version: Arc<AtomicUsize>) -> Site {
    Site::start(move |req| {
        let v = version.load(Ordering::SeqCst);
        match req.path.as_str() {
            "/feed.xml" => {
                let etag = format!("\"v{v}\"");
                if req.header("If-None-Match") == Some(etag.as_str()) {
                    return Response::status(304);
                }
                let items: Vec<_> = (0..2 + v as u64)
                    .map(|n| {
                        (
                            format!("story-{n}"),
                            format!("{}/story/{n}", req.base()),
                            "A summary.".to_string(),
                            DATE.to_string(),
                        )
                    })
                    .collect();
                Response::xml(rss(&items)).with("ETag", &etag)
            }
            p if p.starts_with("/story/") => Response::html(page(p[7..].parse().unwrap())),
            _ => Response::status(404),
        }
    })
}

#[test]
fn items_are_followed_to_their_pages_once_and_a_restart_fetches_nothing_again() {
    let version = Arc::new(AtomicUsize::new(0));
    let site = wire(version.clone());
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let feed = site.url("/feed.xml");
    let mut w = Watcher::at(&db);
    w.list(&[(&feed, "feed")]);
    let (round, reports) = w.round();
    let r = report(&reports, &feed);
    assert_eq!((r.status, r.added), ("ok", 2), "{r:?}");
    assert_eq!(round.stored(), 2);
    assert_eq!(site.hits("/story/0"), 1);
    let stored = w
        .store
        .document(&w.store.list(&Default::default()).unwrap()[0].id)
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.article.title.as_deref(),
        Some("Item story-1"),
        "the feed's title is kept"
    );
    assert_eq!(stored.article.outlet.as_deref(), Some("Test Wire"));

    // Unchanged: a conditional request, answered 304; no page fetched again.
    let (_, reports) = w.round();
    assert_eq!(report(&reports, &feed).status, "not_modified");
    drop(w);

    // A restart after the feed changed: only the new item's page is fetched.
    version.store(1, Ordering::SeqCst);
    let mut w = Watcher::at(&db);
    let (_, reports) = w.round();
    let r = report(&reports, &feed);
    assert_eq!((r.added, r.unchanged), (1, 2), "{r:?}");
    assert_eq!(site.hits("/story/0"), 1);
    assert_eq!(site.hits("/story/2"), 1);
    assert_eq!(w.articles(), 3);
    let source = w.source(&feed);
    assert_eq!(source.etag.as_deref(), Some("\"v1\""));
    assert_eq!(source.articles, 3);
    assert!(source.next_due.is_some() && source.last_success.is_some());
}

/// A full-text RSS item: its content is the article.
fn full_item(guid: &str, text: &str, updated: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Full Wire</title>\
         <item><title>Item {guid}</title><guid>{guid}</guid><link>https://full.example/{guid}</link><pubDate>{updated}</pubDate>\
         <description>Teaser.</description><content:encoded><![CDATA[<p>{text}</p>]]></content:encoded></item></channel></rss>"
    )
}

#[test]
fn an_item_updated_in_place_is_stored_once_and_its_sighting_updated() {
    let revision = Arc::new(AtomicUsize::new(0));
    let r2 = revision.clone();
    let site = Site::start(move |_| {
        // Long enough (over 120 words) to be the article itself, not a teaser.
        let base = format!("{} {}", prose(7), prose(700));
        match r2.load(Ordering::SeqCst) {
            0 => Response::xml(full_item("g7", &base, DATE)),
            // A correction: one word changed, a new date.
            1 => Response::xml(full_item(
                "g7",
                &base.replacen("Report number 7.", "Report number 7 (corrected).", 1),
                "Thu, 02 Feb 2023 09:00:00 GMT",
            )),
            // A different story under the same guid: a new article.
            _ => Response::xml(full_item(
                "g7",
                &format!("{} {}", prose(8), prose(800)),
                "Fri, 03 Feb 2023 09:00:00 GMT",
            )),
        }
    });
    let feed = site.url("/full.xml");
    let mut w = Watcher::temporary();
    w.list(&[(&feed, "auto")]);
    assert_eq!(report(&w.round().1, &feed).added, 1);
    revision.store(1, Ordering::SeqCst);
    let (_, reports) = w.round();
    assert_eq!(report(&reports, &feed).updated, 1, "{reports:?}");
    assert_eq!(w.articles(), 1);
    let id = w.store.list(&Default::default()).unwrap()[0].id.clone();
    let doc = w.store.document(&id).unwrap().unwrap();
    assert_eq!(doc.sightings.len(), 1);
    assert_eq!(doc.sightings[0].origin, "https://full.example/g7");
    assert_eq!(doc.sightings[0].revisions, 1);
    assert!(doc.sightings[0].updated_at.is_some());
    // Asked again, unchanged: nothing new.
    assert_eq!(report(&w.round().1, &feed).unchanged, 1);
    revision.store(2, Ordering::SeqCst);
    assert_eq!(report(&w.round().1, &feed).added, 1);
    assert_eq!(w.articles(), 2);
}

#[test]
fn the_same_article_at_two_addresses_is_one_article_seen_twice() {
    let site = Site::start(|req| match req.path.as_str() {
        "/feed.xml" => {
            let b = req.base();
            Response::xml(rss(&[
                (
                    "a".into(),
                    format!("{b}/2023/story"),
                    "S".into(),
                    DATE.into(),
                ),
                (
                    "b".into(),
                    format!("{b}/amp/story"),
                    "S".into(),
                    DATE.into(),
                ),
            ]))
        }
        _ => Response::html(page(11)),
    });
    let feed = site.url("/feed.xml");
    let mut w = Watcher::temporary();
    w.list(&[(&feed, "feed")]);
    let (_, reports) = w.round();
    let r = report(&reports, &feed);
    assert_eq!((r.added, r.duplicates), (1, 1), "{r:?}");
    let id = w.store.list(&Default::default()).unwrap()[0].id.clone();
    let doc = w.store.document(&id).unwrap().unwrap();
    let origins: Vec<&str> = doc.sightings.iter().map(|s| s.origin.as_str()).collect();
    assert_eq!(origins, [site.url("/2023/story"), site.url("/amp/story")]);
    assert_eq!(w.source(&feed).sightings, 1);
}

#[test]
fn a_feed_whose_items_all_404_says_so_per_item_and_stores_nothing() {
    let site = Site::start(|req| match req.path.as_str() {
        "/feed.xml" => {
            let b = req.base();
            let items: Vec<_> = (0..3)
                .map(|n| {
                    (
                        format!("i{n}"),
                        format!("{b}/missing/{n}"),
                        String::new(),
                        DATE.to_string(),
                    )
                })
                .collect();
            Response::xml(rss(&items))
        }
        _ => Response::status(404),
    });
    let feed = site.url("/feed.xml");
    let mut w = Watcher::temporary();
    w.list(&[(&feed, "feed")]);
    let (round, reports) = w.round();
    let r = report(&reports, &feed);
    assert_eq!(r.status, "ok");
    assert_eq!(r.failed_items, 3);
    assert!(
        r.item_errors[0].ends_with("/missing/0: HTTP 404: the page is gone"),
        "{:?}",
        r.item_errors
    );
    assert_eq!((round.stored(), w.articles()), (0, 0));
    // Gone items are remembered: the next poll does not ask for them again.
    w.round();
    assert_eq!(site.hits("/missing/0"), 1);
}

#[test]
fn robots_txt_is_obeyed() {
    let site = Site::start(|req| match req.path.as_str() {
        "/robots.txt" => Response::new(200, "text/plain", "User-agent: *\nDisallow: /private/\n"),
        "/feed.xml" => {
            let b = req.base();
            Response::xml(rss(&[
                (
                    "open".into(),
                    format!("{b}/news/1"),
                    String::new(),
                    DATE.into(),
                ),
                (
                    "closed".into(),
                    format!("{b}/private/2"),
                    String::new(),
                    DATE.into(),
                ),
            ]))
        }
        p => Response::html(page(p.len() as u64 + 100)),
    });
    let feed = site.url("/feed.xml");
    let mut w = Watcher::temporary();
    w.list(&[(&feed, "feed")]);
    let (_, reports) = w.round();
    let r = report(&reports, &feed);
    assert_eq!(r.added, 1);
    assert!(
        r.item_errors[0].ends_with("/private/2: disallowed by the site's robots.txt"),
        "{:?}",
        r.item_errors
    );
    assert_eq!(site.hits("/private/2"), 0);
    assert_eq!(site.hits("/robots.txt"), 1, "asked once and kept");
}

#[test]
fn a_redirect_to_another_site_obeys_that_sites_robots_txt() {
    let other = Site::start(|req| match req.path.as_str() {
        "/robots.txt" => Response::new(200, "text/plain", "User-agent: *\nDisallow: /private/\n"),
        p => Response::html(page(p.len() as u64 + 200)),
    });
    let (to_open, to_closed) = (other.url("/news/4"), other.url("/private/3"));
    let site = Site::start(move |req| match req.path.as_str() {
        "/feed.xml" => {
            let b = req.base();
            Response::xml(rss(&[
                (
                    "open".into(),
                    format!("{b}/moved-open"),
                    String::new(),
                    DATE.into(),
                ),
                (
                    "closed".into(),
                    format!("{b}/moved-closed"),
                    String::new(),
                    DATE.into(),
                ),
            ]))
        }
        "/moved-open" => Response::redirect(&to_open),
        "/moved-closed" => Response::redirect(&to_closed),
        _ => Response::status(404),
    });
    let feed = site.url("/feed.xml");
    let mut w = Watcher::temporary();
    w.list(&[(&feed, "feed")]);
    let (_, reports) = w.round();
    let r = report(&reports, &feed);
    assert_eq!(r.added, 1, "{:?}", r.item_errors);
    assert!(
        r.item_errors.len() == 1
            && r.item_errors[0].ends_with("/moved-closed: disallowed by the site's robots.txt"),
        "{:?}",
        r.item_errors
    );
    assert_eq!(other.hits("/private/3"), 0);
    assert_eq!(other.hits("/news/4"), 1);
    assert_eq!(other.hits("/robots.txt"), 1);
}

#[test]
fn a_feed_that_is_html_and_a_page_that_is_a_feed() {
    let site = Site::start(|req| {
        let b = req.base();
        match req.path.as_str() {
            // Listed as a feed, serves a home page announcing its feed.
            "/home" => Response::html("<html><head><link rel=\"alternate\" type=\"application/rss+xml\" href=\"/real-feed\"></head><body><p>Home.</p></body></html>"),
            "/real-feed" => Response::xml(rss(&[("r1".into(), format!("{b}/r/1"), String::new(), DATE.into())])),
            // Listed as a feed, serves an article page and announces no feed.
            "/not-a-feed" => Response::html(page(21)),
            // Served as HTML, is a feed.
            "/news.html" => Response::new(200, "text/html", rss(&[("n1".into(), format!("{b}/n/1"), String::new(), DATE.into())])),
            p if p.starts_with("/r/") => Response::html(page(22)),
            p if p.starts_with("/n/") => Response::html(page(23)),
            _ => Response::status(404),
        }
    });
    let (home, not_feed) = (site.url("/home"), site.url("/not-a-feed"));
    let mut w = Watcher::temporary();
    w.list(&[(&home, "feed"), (&not_feed, "feed")]);
    let (_, reports) = w.round();
    assert_eq!(report(&reports, &home).added, 1);
    assert_eq!(
        w.source(&home).feed_url.as_deref(),
        Some(site.url("/real-feed").as_str())
    );
    assert_eq!(
        report(&reports, &not_feed).added,
        1,
        "the page read as one article"
    );
    // The next poll goes straight to the feed found.
    w.round();
    assert_eq!(site.hits("/home"), 1);
    assert_eq!(site.hits("/real-feed"), 2);

    let items = sitrep_watch::fetch_now(&w.fetcher, &w.settings, &site.url("/news.html"));
    assert_eq!(items.len(), 1);
    let article = &items[0].result.as_ref().unwrap().article;
    assert!(article.text.contains("Report number 23."));
    assert_eq!(items[0].origin, site.url("/n/1"));
}

#[test]
fn wrong_and_missing_charsets_are_read_by_the_bytes() {
    let text = "Le café du marché a rouvert après les frappes, a déclaré le maire. Les habitants sont revenus.";
    let latin1: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    let (l1, l2) = (latin1.clone(), latin1);
    let site = Site::start(move |req| {
        let html = |body: &[u8]| {
            [
                b"<html><body><article><p>".as_slice(),
                body,
                b"</p></article></body></html>",
            ]
            .concat()
        };
        match req.path.as_str() {
            "/says-utf8" => Response::new(200, "text/html; charset=utf-8", html(&l1)),
            "/says-nothing" => Response::new(200, "text/html", html(&l2)),
            "/says-latin1" => {
                Response::new(200, "text/html; charset=iso-8859-1", html(text.as_bytes()))
            }
            _ => Response::status(404),
        }
    });
    let w = Watcher::temporary();
    for path in ["/says-utf8", "/says-nothing", "/says-latin1"] {
        let items = sitrep_watch::fetch_now(&w.fetcher, &w.settings, &site.url(path));
        let article = &items[0]
            .result
            .as_ref()
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .article;
        assert!(
            article.text.contains("café du marché"),
            "{path}: {}",
            article.text
        );
    }
}

#[test]
fn a_sitemap_index_leads_to_its_pages_and_unchanged_pages_are_not_fetched_again() {
    let site = Site::start(|req| {
        let b = req.base();
        match req.path.as_str() {
            "/sitemap.xml" => Response::new(200, "application/xml", format!(
                "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
                 <sitemap><loc>{b}/sitemap-news.xml</loc><lastmod>2026-12-01</lastmod></sitemap></sitemapindex>")),
            "/sitemap-news.xml" => {
                let urls: String = (0..3)
                    .map(|n| format!("<url><loc>{b}/news/{n}</loc><lastmod>2026-12-0{}T08:00:00Z</lastmod></url>", n + 1))
                    .collect();
                Response::new(200, "application/xml", format!("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{urls}</urlset>"))
            }
            p if p.starts_with("/news/") => Response::html(page(40 + p[6..].parse::<u64>().unwrap())),
            _ => Response::status(404),
        }
    });
    let sitemap = site.url("/sitemap.xml");
    let mut w = Watcher::temporary();
    w.list(&[(&sitemap, "sitemap")]);
    let (_, reports) = w.round();
    assert_eq!(report(&reports, &sitemap).added, 3, "{reports:?}");
    let (_, reports) = w.round();
    let r = report(&reports, &sitemap);
    assert_eq!(
        (r.added, r.unchanged),
        (0, 1),
        "the unchanged child sitemap is not read: {r:?}"
    );
    assert_eq!(site.hits("/sitemap-news.xml"), 1);
    assert_eq!(site.hits("/news/0"), 1);
}

#[test]
fn one_host_gets_one_request_at_a_time_with_the_delay_between() {
    use std::net::{IpAddr, Ipv4Addr};
    let pages = |ip| {
        Site::start_on(IpAddr::V4(ip), |req| {
            Response::html(page(req.path.len() as u64 * 7))
        })
    };
    let one = pages(Ipv4Addr::new(127, 0, 0, 1));
    let many: Vec<Site> = (2..5).map(|i| pages(Ipv4Addr::new(127, 0, 0, i))).collect();
    let timed = |urls: Vec<String>| {
        let mut w = Watcher::temporary();
        w.fetcher = sitrep_fetch::Fetcher::new(
            sitrep_fetch::Politeness {
                host_delay: std::time::Duration::from_millis(300),
                ..politeness()
            },
            w.stop.clone(),
        );
        let listed: Vec<(&str, &str)> = urls.iter().map(|u| (u.as_str(), "page")).collect();
        w.list(&listed);
        let started = std::time::Instant::now();
        let (round, _) = w.round();
        assert_eq!(round.stored(), 3);
        started.elapsed()
    };
    // robots.txt and three pages on one host: three delays between four requests.
    let same_host = timed(
        (0..3)
            .map(|n| one.url(&format!("/p{}", "x".repeat(n))))
            .collect(),
    );
    assert!(
        same_host >= std::time::Duration::from_millis(900),
        "{same_host:?}"
    );
    // Three hosts are served side by side.
    let three_hosts = timed(
        many.iter()
            .enumerate()
            .map(|(n, s)| s.url(&format!("/p{}", "x".repeat(n))))
            .collect(),
    );
    assert!(
        three_hosts < std::time::Duration::from_millis(600),
        "{three_hosts:?}"
    );
}
