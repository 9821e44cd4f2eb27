//! RSS and Atom feeds (via feed-rs): each item is an article, its text taken from the item's
//! full content when the feed carries it, else from its summary.

use crate::{html, Item, ReadError, Reading};
use sitrep_core::{Article, DateBasis, PartialDate, Published};

pub(crate) fn read(origin: &str, bytes: &[u8]) -> Vec<Item> {
    match entries(origin, bytes) {
        Ok(entries) => entries.into_iter().map(|e| e.item).collect(),
        Err(e) => vec![Item::new(origin.to_string(), Err(e))],
    }
}

/// Words of an item's content from which it counts as the article itself, not a teaser.
const FULL_TEXT_WORDS: usize = 120;

/// One feed item, with what a watcher needs to follow it over time.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    /// The item's lasting name: its guid or id, else its link, else its place in the feed.
    pub key: String,
    /// The article page the item points to.
    pub link: Option<String>,
    /// When the item says it last changed (updated, else published), RFC 3339.
    pub stamp: Option<String>,
    /// The item carries the article's text (full content of some length), not only a summary.
    pub full_text: bool,
    /// The article as the feed gives it; its origin is `feed#N`.
    pub item: Item,
}

/// A feed's items in feed order; an error when the bytes are not a feed or it has no items.
pub fn entries(origin: &str, bytes: &[u8]) -> Result<Vec<FeedEntry>, ReadError> {
    // No made-up ids: feed-rs would hash the title in, and a retitled item would look new.
    let feed = feed_rs::parser::Builder::new()
        .id_generator(|_, _, _| String::new())
        .build()
        .parse(bytes)
        .map_err(|e| ReadError::Feed(e.to_string()))?;
    if feed.entries.is_empty() {
        return Err(ReadError::Feed("the feed has no items".into()));
    }
    let outlet = feed
        .title
        .map(|t| clean(&t.content))
        .filter(|t| !t.is_empty());
    Ok(feed
        .entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let item_origin = format!("{origin}#{}", i + 1);
            let link = entry.links.first().map(|l| l.href.clone());
            let key = match (entry.id.trim(), &link) {
                ("", Some(link)) => link.clone(),
                ("", None) => item_origin.clone(),
                (id, _) => id.to_string(),
            };
            let stamp = entry.updated.or(entry.published).map(|d| d.to_rfc3339());
            let full_text = entry
                .content
                .as_ref()
                .and_then(|c| c.body.as_deref())
                .is_some_and(|b| b.split_whitespace().count() >= FULL_TEXT_WORDS);
            FeedEntry {
                key,
                link,
                stamp,
                full_text,
                item: Item::new(item_origin, read_entry(entry, outlet.clone())),
            }
        })
        .collect())
}

fn read_entry(entry: feed_rs::model::Entry, outlet: Option<String>) -> Result<Reading, ReadError> {
    let body = entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
        .filter(|b| !b.trim().is_empty())
        .ok_or_else(|| ReadError::NoText(": the item has neither content nor summary".into()))?;
    let text = html::fragment_text(&body)?;
    let mut article = Article::from_normalised_text(text);
    article.title = entry
        .title
        .map(|t| clean(&t.content))
        .filter(|t| !t.is_empty());
    article.url = entry.links.first().map(|l| l.href.clone());
    article.outlet = outlet;
    let authors: Vec<String> = entry
        .authors
        .iter()
        .filter_map(|p| p.name.as_deref().map(clean))
        .filter(|n| !n.is_empty())
        .collect();
    article.byline = (!authors.is_empty()).then(|| authors.join(", "));
    article.published = entry
        .published
        .or(entry.updated)
        .map(|d| Published::new(PartialDate::day(d.date_naive()), DateBasis::Metadata));
    article.image = entry
        .media
        .iter()
        .flat_map(|m| {
            let content = m
                .content
                .iter()
                .filter_map(|c| c.url.as_ref().map(|u| u.to_string()));
            content.chain(m.thumbnails.iter().map(|t| t.image.uri.clone()))
        })
        .next();
    article.language = entry.language.map(|l| html::primary_language_subtag(&l));
    Ok(Reading {
        article,
        warnings: Vec::new(),
    })
}

/// Feed titles may carry markup and entities; keep their words.
fn clean(s: &str) -> String {
    sitrep_core::text::normalise(s).replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Northern Front Wire</title><link>https://nfw.example/</link>
<item><title>Joint patrol passes Saraqib</title><link>https://nfw.example/2023/02/01/patrol</link>
<pubDate>Wed, 01 Feb 2023 10:00:00 GMT</pubDate><dc:creator>Omar Said</dc:creator>
<description>Short summary.</description>
<content:encoded><![CDATA[<p>A joint Russian-Turkish patrol passed along the M4 highway near Saraqib on Wednesday without incident, the Turkish Defence Ministry said.</p><p>It was the third such patrol this month.</p>]]></content:encoded></item>
<item><title>Summary only</title><link>https://nfw.example/b</link><description>Shelling was reported near Kafr Nabl.</description></item>
<item><title>Nothing at all</title><link>https://nfw.example/c</link></item>
</channel></rss>"#;

    #[test]
    fn each_item_is_an_article() {
        let items = read("feed.xml", RSS.as_bytes());
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].origin, "feed.xml#1");
        let a = &items[0].result.as_ref().unwrap().article;
        assert_eq!(a.title.as_deref(), Some("Joint patrol passes Saraqib"));
        assert_eq!(a.outlet.as_deref(), Some("Northern Front Wire"));
        assert_eq!(a.byline.as_deref(), Some("Omar Said"));
        assert_eq!(
            a.url.as_deref(),
            Some("https://nfw.example/2023/02/01/patrol")
        );
        assert_eq!(a.published.as_ref().unwrap().date.to_string(), "2023-02-01");
        assert!(
            a.text.starts_with("A joint Russian-Turkish patrol"),
            "{}",
            a.text
        );
        assert!(a.text.contains("\n\nIt was the third"), "{}", a.text);
        let b = &items[1].result.as_ref().unwrap().article;
        assert_eq!(b.text, "Shelling was reported near Kafr Nabl.");
        assert!(matches!(items[2].result, Err(ReadError::NoText(_))));
    }

    #[test]
    fn malformed_and_empty_feeds_are_errors() {
        let broken = read("bad.xml", b"<rss><channel><item><title>unclosed");
        assert!(
            matches!(broken[0].result, Err(ReadError::Feed(_))),
            "{:?}",
            broken[0].result
        );
        let empty = read(
            "empty.xml",
            b"<rss version=\"2.0\"><channel><title>x</title></channel></rss>",
        );
        assert!(matches!(&empty[0].result, Err(ReadError::Feed(m)) if m.contains("no items")));
    }
}
