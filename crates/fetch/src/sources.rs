//! The sources file `sitrep watch` keeps current: plain text, one source a line, or OPML (the
//! feed-reader export format). A line that cannot be read is reported and skipped; the rest
//! are watched.
//!
//! ```text
//! # comments and blank lines are skipped
//! https://wire.example/feed.xml
//! https://wire.example/sitemap-news.xml   every=1h   kind=sitemap
//! https://monitor.example/latest          every=30m  kind=page
//! ```
//!
//! `every` is the polling interval (`90s`, `15m`, `2h`, `1d`; the watcher's default without
//! it); `kind` is `feed`, `sitemap` or `page` (without it, told from what the URL serves). In
//! OPML, each `<outline xmlUrl="…">` is a feed; an `every` attribute sets its interval.

use crate::xml::local_name;
use quick_xml::events::Event;
use std::time::Duration;

/// The shortest interval accepted: faster polling is not polite to anyone.
pub const MIN_EVERY: Duration = Duration::from_secs(1);

/// What a source serves, as the file says or as found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Auto,
    Feed,
    Sitemap,
    Page,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Auto => "auto",
            Kind::Feed => "feed",
            Kind::Sitemap => "sitemap",
            Kind::Page => "page",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        [Kind::Auto, Kind::Feed, Kind::Sitemap, Kind::Page]
            .into_iter()
            .find(|k| k.name() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub url: String,
    pub kind: Kind,
    pub every: Duration,
}

/// The sources read, and one line per entry that could not be (`file:LINE: reason`).
#[derive(Debug, Default)]
pub struct SourceList {
    pub sources: Vec<Source>,
    pub problems: Vec<String>,
}

impl SourceList {
    fn add(&mut self, origin: &str, line: usize, source: Result<Source, String>) {
        match source {
            Ok(s) if self.sources.iter().any(|o| o.url == s.url) => self.problems.push(format!(
                "{origin}:{line}: {} is listed twice; the first kept",
                s.url
            )),
            Ok(s) => self.sources.push(s),
            Err(why) => self.problems.push(format!("{origin}:{line}: {why}")),
        }
    }
}

/// Reads a sources file (`origin` names it in problems), text or OPML by its content.
pub fn parse(origin: &str, bytes: &[u8], every: Duration) -> SourceList {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('<') {
        opml(origin, text, every)
    } else {
        plain(origin, text, every)
    }
}

fn plain(origin: &str, text: &str, every: Duration) -> SourceList {
    let mut list = SourceList::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        list.add(origin, i + 1, source_line(line, every));
    }
    list
}

fn source_line(line: &str, every: Duration) -> Result<Source, String> {
    let mut words = line.split_whitespace();
    let url = web_url(words.next().unwrap_or_default())?;
    let mut source = Source {
        url,
        kind: Kind::Auto,
        every,
    };
    for word in words {
        match word.split_once('=') {
            Some(("every", v)) => source.every = interval(v)?,
            Some(("kind", v)) => {
                source.kind = Kind::from_name(v)
                    .ok_or_else(|| format!("unknown kind `{v}` (feed, sitemap or page)"))?
            }
            _ => {
                return Err(format!(
                    "cannot read `{word}` (every=DURATION or kind=KIND)"
                ))
            }
        }
    }
    Ok(source)
}

fn opml(origin: &str, text: &str, every: Duration) -> SourceList {
    let mut list = SourceList::default();
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        let event = reader.read_event();
        let line = text[..reader.buffer_position() as usize]
            .lines()
            .count()
            .max(1);
        match event {
            Ok(Event::Start(e)) | Ok(Event::Empty(e))
                if local_name(e.local_name()) == "outline" =>
            {
                let attr = |name: &str| {
                    e.attributes().flatten().find_map(|a| {
                        (local_name(a.key.local_name()) == name)
                            .then(|| {
                                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                    .ok()
                                    .map(|v| v.trim().to_string())
                            })
                            .flatten()
                    })
                };
                let Some(url) = attr("xmlurl") else { continue };
                let source = web_url(&url).and_then(|url| {
                    Ok(Source {
                        url,
                        kind: Kind::Feed,
                        every: attr("every").map_or(Ok(every), |v| interval(&v))?,
                    })
                });
                list.add(origin, line, source);
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                list.problems.push(format!(
                    "{origin}:{line}: malformed OPML: {e}; the rest is skipped"
                ));
                break;
            }
        }
    }
    list
}

fn web_url(url: &str) -> Result<String, String> {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(r) if !r.is_empty() && !r.starts_with('/') => Ok(url.to_string()),
        _ => Err(format!("`{url}` is not an http(s) URL")),
    }
}

/// `90s`, `15m`, `2h`, `1d`.
pub fn interval(v: &str) -> Result<Duration, String> {
    let bad = || format!("cannot read the interval `{v}` (90s, 15m, 2h, 1d)");
    let split = v.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let n: u64 = v[..split].parse().map_err(|_| bad())?;
    let unit = match &v[split..] {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(bad()),
    };
    let every = Duration::from_secs(n.saturating_mul(unit));
    if every < MIN_EVERY {
        return Err(format!("the interval `{v}` is shorter than one second"));
    }
    Ok(every)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN15: Duration = Duration::from_secs(900);

    #[test]
    fn plain_lines_with_their_settings_and_their_problems() {
        let text = "# wires\nhttps://wire.example/feed.xml\n\nhttp://map.example/sitemap.xml every=1h kind=sitemap\n\
                    ftp://old.example/x\nhttps://wire.example/feed.xml\nhttps://b.example/ every=soon\n";
        let list = parse("sources.txt", text.as_bytes(), MIN15);
        assert_eq!(list.sources.len(), 2);
        assert_eq!(list.sources[0].kind, Kind::Auto);
        assert_eq!(list.sources[0].every, MIN15);
        assert_eq!(list.sources[1].kind, Kind::Sitemap);
        assert_eq!(list.sources[1].every, Duration::from_secs(3600));
        assert_eq!(list.problems.len(), 3, "{:?}", list.problems);
        assert!(list.problems[0].starts_with("sources.txt:5: `ftp://"));
        assert!(list.problems[1].contains("listed twice"));
        assert!(list.problems[2].contains("`soon`"));
    }

    #[test]
    fn opml_outlines_are_feeds() {
        let xml = r#"<?xml version="1.0"?><opml version="2.0"><head><title>Levant</title></head><body>
<outline text="Wires"><outline type="rss" text="A" xmlUrl="https://a.example/rss?x=1&amp;y=2" every="5m"/>
<outline type="rss" text="B" xmlUrl="not a url"/></outline></body></opml>"#;
        let list = parse("feeds.opml", xml.as_bytes(), MIN15);
        assert_eq!(
            list.sources,
            vec![Source {
                url: "https://a.example/rss?x=1&y=2".into(),
                kind: Kind::Feed,
                every: Duration::from_secs(300)
            }]
        );
        assert_eq!(list.problems.len(), 1);
        assert!(
            list.problems[0].starts_with("feeds.opml:3:"),
            "{:?}",
            list.problems
        );
    }

    #[test]
    fn intervals() {
        assert_eq!(interval("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(interval("2h"), Ok(Duration::from_secs(7200)));
        assert!(interval("0s").is_err());
        assert!(interval("15").is_err());
        assert!(interval("m").is_err());
    }
}
