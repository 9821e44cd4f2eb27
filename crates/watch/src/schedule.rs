//! When a source is polled next, and what its record says after a poll: its interval after a
//! success; after failures, the interval doubled per failure up to a day, or longer if the
//! site asked (Retry-After); dead after repeated 404/410, then tried once a day.

use chrono::{DateTime, Utc};
use sitrep_fetch::{FetchError, Validators};
use sitrep_store::SourceRecord;
use std::time::Duration;

/// The longest a failing source is left alone, and how often a dead one is tried.
const DAY: Duration = Duration::from_secs(86_400);

/// How a poll of a source ended.
#[derive(Debug)]
pub(crate) enum Ended {
    /// The source answered with a body; the validators to send next time (none when some of
    /// its items must be fetched again: the next poll then reads the whole feed).
    Read {
        validators: Option<Validators>,
        feed_url: Option<String>,
    },
    NotModified,
    Failed(FetchError),
    /// The source answered, but with nothing sitrep can read (a broken feed, a page without
    /// an article): why.
    Unreadable(String),
}

impl Ended {
    /// Why the poll failed, if it did.
    pub(crate) fn failure(&self) -> Option<String> {
        match self {
            Ended::Failed(e) => Some(e.to_string()),
            Ended::Unreadable(why) => Some(why.clone()),
            _ => None,
        }
    }
}

/// The source's record after a poll that ended so at `now`.
pub(crate) fn after(
    source: &SourceRecord,
    ended: &Ended,
    dead_after: i64,
    now: DateTime<Utc>,
) -> SourceRecord {
    let mut s = source.clone();
    s.articles = 0; // counts are added by the store
    s.sightings = 0;
    s.last_fetch = Some(stamp(now));
    let every = Duration::from_secs(s.every_secs.max(1) as u64);
    match ended {
        Ended::Read {
            validators,
            feed_url,
        } => {
            let v = validators.clone().unwrap_or_default();
            (s.etag, s.last_modified) = (v.etag, v.last_modified);
            if feed_url.is_some() {
                s.feed_url = feed_url.clone();
            }
            succeeded(&mut s, "ok", every, now);
        }
        Ended::NotModified => succeeded(&mut s, "not modified", every, now),
        Ended::Failed(_) | Ended::Unreadable(_) => {
            let fetch_error = match ended {
                Ended::Failed(e) => Some(e),
                _ => None,
            };
            s.failures += 1;
            s.gone = if fetch_error.is_some_and(FetchError::is_gone) {
                s.gone + 1
            } else {
                0
            };
            s.dead = s.gone >= dead_after;
            s.last_status = ended.failure();
            let backoff = every
                .saturating_mul(1 << s.failures.clamp(1, 16) as u32 >> 1)
                .min(DAY)
                .max(
                    fetch_error
                        .and_then(FetchError::retry_after)
                        .unwrap_or_default(),
                );
            let wait = if s.dead { DAY } else { backoff };
            s.next_due = Some(stamp(now + wait));
        }
    }
    s
}

fn succeeded(s: &mut SourceRecord, status: &str, every: Duration, now: DateTime<Utc>) {
    s.failures = 0;
    s.gone = 0;
    s.dead = false;
    s.last_success = Some(stamp(now));
    s.last_status = Some(status.to_string());
    s.next_due = Some(stamp(now + every));
}

/// Time as the store keeps it.
pub(crate) fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn success_keeps_the_interval_and_the_validators() {
        let source = SourceRecord::new("https://a.example/feed", "feed", 600);
        let v = Validators {
            etag: Some("\"x1\"".into()),
            last_modified: None,
        };
        let ended = Ended::Read {
            validators: Some(v),
            feed_url: None,
        };
        let s = after(&source, &ended, 3, at("2026-12-01T10:00:00Z"));
        assert_eq!(s.etag.as_deref(), Some("\"x1\""));
        assert_eq!(s.next_due.as_deref(), Some("2026-12-01T10:10:00Z"));
        assert_eq!(s.last_status.as_deref(), Some("ok"));
    }

    #[test]
    fn failures_back_off_and_repeated_gone_answers_kill_the_source() {
        let mut s = SourceRecord::new("https://a.example/feed", "feed", 600);
        let now = at("2026-12-01T10:00:00Z");
        let gone = Ended::Failed(FetchError::Gone(404));
        s = after(&s, &gone, 3, now);
        assert_eq!(s.next_due.as_deref(), Some("2026-12-01T10:10:00Z"));
        s = after(&s, &gone, 3, now);
        assert_eq!(s.next_due.as_deref(), Some("2026-12-01T10:20:00Z"));
        assert!(!s.dead);
        s = after(&s, &gone, 3, now);
        assert!(s.dead);
        assert_eq!(s.next_due.as_deref(), Some("2026-12-02T10:00:00Z"));
        assert_eq!(s.last_status.as_deref(), Some("HTTP 404: the page is gone"));
        s = after(&s, &Ended::NotModified, 3, now);
        assert!(!s.dead && s.failures == 0);
    }

    #[test]
    fn a_long_retry_after_is_obeyed() {
        let s = SourceRecord::new("https://a.example/feed", "feed", 60);
        let limited = Ended::Failed(FetchError::RateLimited {
            retry_after: Duration::from_secs(3600),
        });
        let s = after(&s, &limited, 3, at("2026-12-01T10:00:00Z"));
        assert_eq!(s.next_due.as_deref(), Some("2026-12-01T11:00:00Z"));
        assert_eq!(s.gone, 0);
    }
}
