//! The fetcher: one polite, bounded HTTP GET with conditional validators and retries.

use crate::hosts::HostGate;
use crate::robots::{RobotsCache, Rules};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use ureq::http::{StatusCode, Uri};
use ureq::ResponseExt;

/// How sitrep behaves towards the sites it fetches from.
#[derive(Debug, Clone)]
pub struct Politeness {
    /// Sent as the User-Agent header.
    pub user_agent: String,
    /// The name robots.txt rules are matched against.
    pub robots_agent: String,
    /// The longest one request may take, body included (a slow drip ends here).
    pub timeout: Duration,
    /// Largest body accepted, after decompression.
    pub max_bytes: u64,
    pub max_redirects: u32,
    /// Retries after the first attempt, for 429, 5xx, time-outs and dropped connections.
    pub retries: u32,
    /// The wait before the first retry; it doubles each time.
    pub backoff: Duration,
    /// The longest Retry-After waited for in place; a longer one fails the fetch, naming it.
    pub max_wait: Duration,
    /// The least time between two requests to one host.
    pub host_delay: Duration,
}

impl Default for Politeness {
    fn default() -> Self {
        Politeness {
            user_agent: format!(
                "sitrep/{} (news monitoring; obeys robots.txt)",
                env!("CARGO_PKG_VERSION")
            ),
            robots_agent: "sitrep".into(),
            timeout: Duration::from_secs(30),
            max_bytes: 16 * 1024 * 1024,
            max_redirects: 5,
            retries: 3,
            backoff: Duration::from_secs(2),
            max_wait: Duration::from_secs(120),
            host_delay: Duration::from_secs(1),
        }
    }
}

/// The validators of a fetched resource, sent back to ask "has it changed?".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A fetched body, with where it finally came from.
#[derive(Debug, Clone)]
pub struct Page {
    /// The URL after redirects.
    pub url: String,
    pub content_type: Option<String>,
    pub validators: Validators,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone)]
pub enum Fetched {
    /// 304: unchanged since the validators sent.
    NotModified,
    Page(Page),
}

/// Why a fetch failed, in one line; the caller names the URL.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FetchError {
    #[error("not a web address ({0})")]
    BadUrl(String),
    #[error("{0}")]
    Disallowed(String),
    #[error("HTTP {0}: the page is gone")]
    Gone(u16),
    #[error("HTTP {status} ({attempts} attempts)")]
    Status { status: u16, attempts: u32 },
    #[error("HTTP 429: the site asks to wait {} s, longer than sitrep waits in a round", retry_after.as_secs())]
    RateLimited { retry_after: Duration },
    #[error("timed out after {} s ({attempts} attempts)", timeout.as_secs_f32())]
    Timeout { timeout: Duration, attempts: u32 },
    #[error("more than {0} redirects (a redirect loop?)")]
    TooManyRedirects(u32),
    #[error("the body is over the limit of {0} bytes")]
    TooLarge(u64),
    #[error("network error: {0}")]
    Network(String),
    #[error("stopped before the fetch finished")]
    Stopped,
}

impl FetchError {
    /// Worth trying again later: the site may answer next time.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            FetchError::Status { status: 500.., .. }
                | FetchError::RateLimited { .. }
                | FetchError::Timeout { .. }
                | FetchError::Network(_)
                | FetchError::Stopped
        ) || matches!(self, FetchError::Disallowed(why) if why.contains("unavailable"))
    }

    /// 404 or 410.
    pub fn is_gone(&self) -> bool {
        matches!(self, FetchError::Gone(_))
    }

    /// How long the site asked sitrep to stay away.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::RateLimited { retry_after } => Some(*retry_after),
            _ => None,
        }
    }
}

/// Fetches over one connection pool, shared by threads.
pub struct Fetcher {
    agent: ureq::Agent,
    politeness: Politeness,
    gate: HostGate,
    robots: RobotsCache,
    stop: Arc<AtomicBool>,
}

/// What one attempt gave: an answer, or a reason to retry (with the wait the site asked for).
enum Attempt {
    Done(Result<Answer, FetchError>),
    Retry(FetchError, Option<Duration>),
}

/// A request's answer: what the caller gets, or a redirect for the fetcher to follow.
enum Answer {
    Fetched(Fetched),
    Redirect(String),
}

impl Fetcher {
    /// A fetcher that gives up waiting (for a host's turn, a retry) once `stop` is raised.
    pub fn new(politeness: Politeness, stop: Arc<AtomicBool>) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(politeness.user_agent.as_str())
            .accept("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.8")
            // Redirects are followed here, each hop asked of its own site's robots.txt.
            .max_redirects(0)
            .timeout_global(Some(politeness.timeout))
            .build()
            .into();
        Fetcher {
            agent,
            gate: HostGate::new(politeness.host_delay),
            politeness,
            robots: RobotsCache::default(),
            stop,
        }
    }

    pub fn politeness(&self) -> &Politeness {
        &self.politeness
    }

    /// GETs `url`, unless its site's robots.txt forbids it; `known` makes the request
    /// conditional. Retries what may pass (429, 5xx, time-outs, dropped connections) with
    /// backoff, honouring Retry-After up to [`Politeness::max_wait`].
    pub fn fetch(&self, url: &str, known: &Validators) -> Result<Fetched, FetchError> {
        self.follow(url, known, self.politeness.max_bytes, true)
    }

    /// GETs `url` and the redirects it leads to, up to [`Politeness::max_redirects`]; with
    /// `obey_robots`, every address on the way is asked of its own site's robots.txt (a
    /// redirect to another site must not pass where a link to it could not).
    fn follow(
        &self,
        url: &str,
        known: &Validators,
        max_bytes: u64,
        obey_robots: bool,
    ) -> Result<Fetched, FetchError> {
        let mut url = url.to_string();
        for _ in 0..=self.politeness.max_redirects {
            let uri = web_uri(&url)?;
            if obey_robots {
                self.rules_for(&uri)?
                    .check(&url)
                    .map_err(FetchError::Disallowed)?;
            }
            match self.get(&uri, known, max_bytes)? {
                Answer::Fetched(fetched) => return Ok(fetched),
                Answer::Redirect(location) => url = crate::address::resolve(&url, &location),
            }
        }
        Err(FetchError::TooManyRedirects(self.politeness.max_redirects))
    }

    fn get(&self, uri: &Uri, known: &Validators, max_bytes: u64) -> Result<Answer, FetchError> {
        let host = uri.authority().map_or("", |a| a.as_str()).to_string();
        let mut wait = self.politeness.backoff;
        for attempt in 1..=self.politeness.retries + 1 {
            let outcome = {
                let _turn = self
                    .gate
                    .enter(&host, &self.stop)
                    .ok_or(FetchError::Stopped)?;
                self.attempt(uri, known, max_bytes, attempt)
            };
            match outcome {
                Attempt::Done(result) => return result,
                Attempt::Retry(error, asked) => {
                    if attempt > self.politeness.retries {
                        return Err(error);
                    }
                    let pause = asked.unwrap_or(wait);
                    if pause > self.politeness.max_wait {
                        return Err(FetchError::RateLimited { retry_after: pause });
                    }
                    self.sleep(pause)?;
                    wait *= 2;
                }
            }
        }
        unreachable!("the last attempt returns")
    }

    fn attempt(&self, uri: &Uri, known: &Validators, max_bytes: u64, attempt: u32) -> Attempt {
        let mut request = self.agent.get(uri);
        if let Some(etag) = &known.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(date) = &known.last_modified {
            request = request.header("If-Modified-Since", date);
        }
        let mut response = match request.call() {
            Ok(r) => r,
            Err(e) => return self.failed(e, attempt),
        };
        let status = response.status();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        if status == StatusCode::NOT_MODIFIED {
            return Attempt::Done(Ok(Answer::Fetched(Fetched::NotModified)));
        }
        if status.is_redirection() {
            return Attempt::Done(match header("location") {
                Some(location) => Ok(Answer::Redirect(location)),
                None => Err(FetchError::Status {
                    status: status.as_u16(),
                    attempts: attempt,
                }),
            });
        }
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            let asked = header("retry-after").and_then(|v| retry_after(&v));
            let error = FetchError::Status {
                status: status.as_u16(),
                attempts: attempt,
            };
            return Attempt::Retry(error, asked);
        }
        if status == StatusCode::NOT_FOUND || status == StatusCode::GONE {
            return Attempt::Done(Err(FetchError::Gone(status.as_u16())));
        }
        if !status.is_success() {
            return Attempt::Done(Err(FetchError::Status {
                status: status.as_u16(),
                attempts: attempt,
            }));
        }
        let declared = header("content-length").and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > max_bytes) {
            return Attempt::Done(Err(FetchError::TooLarge(max_bytes)));
        }
        let validators = Validators {
            etag: header("etag"),
            last_modified: header("last-modified"),
        };
        let content_type = header("content-type");
        let url = response.get_uri().to_string();
        match response
            .body_mut()
            .with_config()
            .limit(max_bytes)
            .read_to_vec()
        {
            Ok(body) => Attempt::Done(Ok(Answer::Fetched(Fetched::Page(Page {
                url,
                content_type,
                validators,
                body,
            })))),
            Err(e) => self.failed(e, attempt),
        }
    }

    /// Sorts a transport error into a final answer or a retry.
    fn failed(&self, e: ureq::Error, attempt: u32) -> Attempt {
        let timeout = || FetchError::Timeout {
            timeout: self.politeness.timeout,
            attempts: attempt,
        };
        match e {
            ureq::Error::Timeout(_) => Attempt::Retry(timeout(), None),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
                Attempt::Retry(timeout(), None)
            }
            ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => Attempt::Done(Err(
                FetchError::TooManyRedirects(self.politeness.max_redirects),
            )),
            ureq::Error::BodyExceedsLimit(limit) => Attempt::Done(Err(FetchError::TooLarge(limit))),
            ureq::Error::BadUri(u) => Attempt::Done(Err(FetchError::BadUrl(u))),
            ureq::Error::HostNotFound => {
                Attempt::Done(Err(FetchError::Network("host not found".into())))
            }
            ureq::Error::Decompress(_, io) => Attempt::Done(Err(FetchError::Network(format!(
                "corrupt compressed body: {io}"
            )))),
            other => Attempt::Retry(FetchError::Network(other.to_string()), None),
        }
    }

    /// The site's robots.txt rules, asked for once per site and kept a while.
    fn rules_for(&self, uri: &Uri) -> Result<Arc<Rules>, FetchError> {
        let origin = format!(
            "{}://{}",
            uri.scheme_str().unwrap_or("http"),
            uri.authority().map_or("", |a| a.as_str())
        );
        if let Some(rules) = self.robots.get(&origin) {
            return Ok(rules);
        }
        let robots_uri = web_uri(&format!("{origin}/robots.txt"))?;
        let robots_url = robots_uri.to_string();
        let rules = match self.follow(&robots_url, &Validators::default(), 512 * 1024, false) {
            Ok(Fetched::Page(page)) => Rules::parse(&self.politeness.robots_agent, &page.body),
            Ok(Fetched::NotModified) => Rules::AllowAll,
            Err(FetchError::Stopped) => return Err(FetchError::Stopped),
            Err(FetchError::Gone(_)) | Err(FetchError::Status { status: ..500, .. }) => {
                Rules::AllowAll
            }
            Err(e) => Rules::DisallowAll(format!("the site's robots.txt is unavailable ({e})")),
        };
        if let Some(delay) = rules.crawl_delay() {
            self.gate
                .set_crawl_delay(uri.authority().map_or("", |a| a.as_str()), delay);
        }
        Ok(self.robots.put(&origin, rules))
    }

    /// Sleeps, waking early (with [`FetchError::Stopped`]) when asked to stop.
    fn sleep(&self, pause: Duration) -> Result<(), FetchError> {
        let step = Duration::from_millis(100);
        let mut left = pause;
        while !left.is_zero() {
            if self.stop.load(Ordering::Relaxed) {
                return Err(FetchError::Stopped);
            }
            let nap = left.min(step);
            std::thread::sleep(nap);
            left -= nap;
        }
        Ok(())
    }
}

/// An http(s) URL with a host, or why not.
fn web_uri(url: &str) -> Result<Uri, FetchError> {
    let uri: Uri = url
        .parse()
        .map_err(|e: ureq::http::uri::InvalidUri| FetchError::BadUrl(e.to_string()))?;
    match (uri.scheme_str(), uri.host()) {
        (Some("http" | "https"), Some(h)) if !h.is_empty() => Ok(uri),
        _ => Err(FetchError::BadUrl(
            "only http and https URLs with a host".into(),
        )),
    }
}

/// Retry-After as seconds or an HTTP date.
fn retry_after(value: &str) -> Option<Duration> {
    if let Ok(secs) = value.trim().parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value.trim()).ok()?;
    let secs = (when.timestamp() - chrono::Utc::now().timestamp()).max(0);
    Some(Duration::from_secs(secs as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon"), None);
    }

    #[test]
    fn only_web_addresses_are_fetched() {
        assert!(web_uri("https://a.example/x").is_ok());
        assert!(matches!(
            web_uri("ftp://a.example/x"),
            Err(FetchError::BadUrl(_))
        ));
        assert!(matches!(web_uri("/etc/passwd"), Err(FetchError::BadUrl(_))));
    }
}
