//! robots.txt, read once per site and kept for a while: what sitrep may fetch there, and how
//! slowly. A missing robots.txt (4xx) allows everything; one the site fails to serve (5xx, no
//! answer) allows nothing until it is asked again, as the robots exclusion standard (RFC 9309)
//! asks of crawlers.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a site's answer is kept before it is asked again.
const KEEP: Duration = Duration::from_secs(3600);
/// How long a site that failed to serve its robots.txt is left alone.
const KEEP_FAILURE: Duration = Duration::from_secs(300);

/// What a site's robots.txt says to sitrep.
pub enum Rules {
    AllowAll,
    /// The site could not say; why.
    DisallowAll(String),
    Parsed(Box<texting_robots::Robot>),
}

impl Rules {
    /// Rules from a robots.txt body, for the user agent `agent`; an unreadable file allows
    /// everything (as a missing one does).
    pub fn parse(agent: &str, body: &[u8]) -> Rules {
        match texting_robots::Robot::new(agent, body) {
            Ok(robot) => Rules::Parsed(Box::new(robot)),
            Err(_) => Rules::AllowAll,
        }
    }

    /// `Err(reason)` when the URL may not be fetched.
    pub fn check(&self, url: &str) -> Result<(), String> {
        match self {
            Rules::AllowAll => Ok(()),
            Rules::DisallowAll(why) => Err(why.clone()),
            Rules::Parsed(robot) if robot.allowed(url) => Ok(()),
            Rules::Parsed(_) => Err("disallowed by the site's robots.txt".into()),
        }
    }

    /// The Crawl-delay the site asks for.
    pub fn crawl_delay(&self) -> Option<Duration> {
        match self {
            Rules::Parsed(robot) => robot
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_secs_f32(d.min(3600.0))),
            _ => None,
        }
    }

    fn keep(&self) -> Duration {
        match self {
            Rules::DisallowAll(_) => KEEP_FAILURE,
            _ => KEEP,
        }
    }
}

/// Sites' rules by origin (`scheme://host:port`).
#[derive(Default)]
pub struct RobotsCache {
    sites: Mutex<HashMap<String, (Instant, std::sync::Arc<Rules>)>>,
}

impl RobotsCache {
    /// The rules kept for `origin`, if still fresh.
    pub fn get(&self, origin: &str) -> Option<std::sync::Arc<Rules>> {
        let sites = self.sites.lock().unwrap_or_else(|e| e.into_inner());
        sites
            .get(origin)
            .filter(|(until, _)| Instant::now() < *until)
            .map(|(_, rules)| rules.clone())
    }

    pub fn put(&self, origin: &str, rules: Rules) -> std::sync::Arc<Rules> {
        let rules = std::sync::Arc::new(rules);
        let until = Instant::now() + rules.keep();
        let mut sites = self.sites.lock().unwrap_or_else(|e| e.into_inner());
        sites.insert(origin.to_string(), (until, rules.clone()));
        rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_for_our_agent_and_for_everyone() {
        let txt = b"User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n\nUser-agent: sitrep\nDisallow: /no-sitrep/\n";
        let rules = Rules::parse("sitrep", txt);
        assert!(rules.check("https://a.example/news/1").is_ok());
        assert!(rules.check("https://a.example/no-sitrep/1").is_err());
        let others = Rules::parse("otherbot", txt);
        assert!(others.check("https://a.example/private/x").is_err());
        assert_eq!(others.crawl_delay(), Some(Duration::from_secs(2)));
    }

    #[test]
    fn a_failed_site_allows_nothing() {
        let rules = Rules::DisallowAll("robots.txt unavailable (HTTP 503)".into());
        assert!(rules
            .check("https://a.example/")
            .unwrap_err()
            .contains("503"));
    }
}
