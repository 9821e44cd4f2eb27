//! Sources that fail — slowly, hugely, in loops, for good — each with its one-line reason,
//! while the others go on and nothing already stored is lost.

mod support;

use sitrep_testsite::{Body, Response, Site};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::*;

/// A gzip body that inflates to `size` spaces.
fn gzip_bomb(size: usize) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..size >> 20 {
        gz.write_all(&chunk).unwrap();
    }
    gz.finish().unwrap()
}

#[test]
fn every_failing_source_says_why_and_the_others_go_on() {
    let bomb = gzip_bomb(64 << 20);
    let site = Site::start(move |req| match req.path.as_str() {
        "/good.xml" => {
            let b = req.base();
            Response::xml(rss(&[(
                "g".into(),
                format!("{b}/story"),
                String::new(),
                DATE.into(),
            )]))
        }
        "/story" => Response::html(page(1)),
        "/drip" => Response::html(page(2)).body(Body::Drip {
            bytes: page(2).into_bytes(),
            every: Duration::from_millis(100),
        }),
        "/silent" => {
            std::thread::sleep(Duration::from_secs(3));
            Response::html(page(3))
        }
        "/error" => Response::status(500),
        "/broken" => Response::xml("<rss version=\"2.0\"><channel><item><title>unclosed"),
        "/loop-a" => Response::redirect("/loop-b"),
        "/loop-b" => Response::redirect("/loop-a"),
        "/huge" => Response::html("").body(Body::Huge { declared: 2 << 30 }),
        "/endless" => Response::html("").body(Body::Endless),
        "/bomb" => Response::new(200, "text/html", bomb.clone()).with("Content-Encoding", "gzip"),
        _ => Response::status(404),
    });
    let expected = [
        ("/drip", "timed out after 2 s (3 attempts)"),
        ("/silent", "timed out after 2 s (3 attempts)"),
        ("/error", "HTTP 500 (3 attempts)"),
        ("/loop-a", "more than 5 redirects (a redirect loop?)"),
        ("/huge", "the body is over the limit of 1048576 bytes"),
        ("/endless", "the body is over the limit of 1048576 bytes"),
        ("/bomb", "the body is over the limit of 1048576 bytes"),
    ];
    let mut w = Watcher::temporary();
    let urls: Vec<String> = expected.iter().map(|(p, _)| site.url(p)).collect();
    let mut listed: Vec<(&str, &str)> = urls.iter().map(|u| (u.as_str(), "auto")).collect();
    let (good, broken) = (site.url("/good.xml"), site.url("/broken"));
    listed.push((&good, "feed"));
    listed.push((&broken, "feed"));
    w.list(&listed);
    let started = Instant::now();
    let (round, reports) = w.round();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(report(&reports, &good).added, 1);
    for ((path, why), url) in expected.iter().zip(&urls) {
        let r = report(&reports, url);
        assert_eq!(r.status, "failed", "{path}");
        assert_eq!(r.error.as_deref(), Some(*why), "{path}");
        assert_eq!(w.source(url).last_status.as_deref(), Some(*why));
    }
    let unreadable = report(&reports, &broken);
    assert_eq!(unreadable.status, "failed");
    assert!(
        unreadable
            .error
            .as_deref()
            .unwrap()
            .starts_with("malformed feed:"),
        "{unreadable:?}"
    );
    assert_eq!(
        site.hits("/broken"),
        1,
        "an unreadable answer is not retried at once"
    );
    assert_eq!((round.ok, round.failed), (1, expected.len() + 1));
    assert_eq!(
        site.hits("/error"),
        3,
        "two retries after the first attempt"
    );
    // A second round: the failures fail again, and what was stored stays stored.
    w.round();
    assert_eq!(w.articles(), 1);
    assert!(w.store.check_integrity().unwrap().is_empty());
}

#[test]
fn a_source_gone_for_good_dies_after_repeated_answers() {
    let site = Site::start(|req| match req.path.as_str() {
        "/removed" => Response::status(410),
        _ => Response::status(404),
    });
    let (missing, removed) = (site.url("/missing"), site.url("/removed"));
    let mut w = Watcher::temporary();
    w.list(&[(&missing, "feed"), (&removed, "feed")]);
    for poll in 1..=3 {
        let (_, reports) = w.round();
        let r = report(&reports, &removed);
        assert_eq!(r.error.as_deref(), Some("HTTP 410: the page is gone"));
        assert_eq!(r.status, if poll < 3 { "failed" } else { "dead" });
    }
    let dead = w.source(&missing);
    assert!(dead.dead && dead.gone == 3);
    // Dead sources are tried once a day, not at their interval.
    let due = chrono::DateTime::parse_from_rfc3339(dead.next_due.as_deref().unwrap()).unwrap();
    assert!(due.timestamp() - chrono::Utc::now().timestamp() > 86_000);
}

#[test]
fn retry_after_is_honoured_in_place_or_named_when_too_long() {
    let asked = Arc::new(AtomicUsize::new(0));
    let a = asked.clone();
    let site = Site::start(move |req| match req.path.as_str() {
        "/busy" if a.fetch_add(1, Ordering::SeqCst) == 0 => {
            Response::status(429).with("Retry-After", "1")
        }
        "/busy" => Response::html(page(5)),
        "/closed" => Response::status(429).with("Retry-After", "3600"),
        _ => Response::status(404),
    });
    let (busy, closed) = (site.url("/busy"), site.url("/closed"));
    let mut w = Watcher::temporary();
    w.list(&[(&busy, "page"), (&closed, "page")]);
    let started = Instant::now();
    let (_, reports) = w.round();
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(report(&reports, &busy).added, 1);
    assert_eq!(
        report(&reports, &closed).error.as_deref(),
        Some("HTTP 429: the site asks to wait 3600 s, longer than sitrep waits in a round")
    );
    assert_eq!(
        site.hits("/closed"),
        1,
        "not retried against the site's wish"
    );
    let due = chrono::DateTime::parse_from_rfc3339(w.source(&closed).next_due.as_deref().unwrap())
        .unwrap();
    assert!(due.timestamp() - chrono::Utc::now().timestamp() >= 3500);
}
