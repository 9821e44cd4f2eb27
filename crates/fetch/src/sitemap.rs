//! Sitemaps (sitemaps.org): a `<urlset>` lists pages with their last change, a
//! `<sitemapindex>` lists further sitemaps. Namespaced extensions (news, image) are skipped.

use crate::xml::{local_name, reference};
use quick_xml::events::Event;

/// One `<url>` or `<sitemap>` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub loc: String,
    /// `<lastmod>` as written (W3C datetime), to tell a changed page from a known one.
    pub lastmod: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sitemap {
    Pages(Vec<Entry>),
    Index(Vec<Entry>),
}

/// True when the bytes open as a sitemap (a `<urlset>` or `<sitemapindex>` root).
pub fn is_sitemap(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    head.contains("<urlset") || head.contains("<sitemapindex")
}

/// Reads a sitemap; an error says what was wrong with it.
pub fn parse(bytes: &[u8]) -> Result<Sitemap, String> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let (mut index, mut root_seen) = (false, false);
    let mut entries = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut current: Option<Entry> = None;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("malformed sitemap: {e}"))?;
        match event {
            Event::Start(e) => {
                let name = local_name(e.local_name());
                if !root_seen {
                    root_seen = true;
                    index = name == "sitemapindex";
                    if name != "urlset" && !index {
                        return Err(format!("not a sitemap: the root is <{name}>"));
                    }
                }
                if path.len() == 1 && (name == "url" || name == "sitemap") {
                    current = Some(Entry {
                        loc: String::new(),
                        lastmod: None,
                    });
                }
                path.push(name);
            }
            Event::End(_) => {
                if path.len() == 2 {
                    entries.extend(current.take().filter(|e| !e.loc.is_empty()));
                }
                path.pop();
            }
            Event::Text(t) => push_text(&path, &mut current, &t.xml10_content()),
            Event::CData(t) => push_text(&path, &mut current, &t.xml10_content()),
            Event::GeneralRef(r) => push_text(&path, &mut current, &reference(&r)),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !root_seen {
        return Err("not a sitemap: no root element".into());
    }
    Ok(if index {
        Sitemap::Index(entries)
    } else {
        Sitemap::Pages(entries)
    })
}

/// Text inside `<loc>` or `<lastmod>` directly under an entry belongs to it.
fn push_text(path: &[String], current: &mut Option<Entry>, text: &str) {
    let (Some(entry), 3) = (current.as_mut(), path.len()) else {
        return;
    };
    match path[2].as_str() {
        "loc" => entry.loc.push_str(text.trim()),
        "lastmod" => {
            let v = entry.lastmod.get_or_insert_with(String::new);
            v.push_str(text.trim());
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_with_their_last_change() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://wire.example/a?x=1&amp;y=2</loc><lastmod>2026-11-30T10:00:00Z</lastmod>
    <news:news><news:title>Ignored</news:title></news:news></url>
  <url><loc> https://wire.example/b </loc></url>
  <url><lastmod>2026-11-30</lastmod></url>
</urlset>"#;
        assert!(is_sitemap(xml));
        let Sitemap::Pages(pages) = parse(xml).unwrap() else {
            panic!("a urlset lists pages")
        };
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].loc, "https://wire.example/a?x=1&y=2");
        assert_eq!(pages[0].lastmod.as_deref(), Some("2026-11-30T10:00:00Z"));
        assert_eq!(pages[1].loc, "https://wire.example/b");
        assert_eq!(pages[1].lastmod, None);
    }

    #[test]
    fn an_index_lists_sitemaps_and_other_xml_is_refused() {
        let xml = b"<sitemapindex><sitemap><loc>https://wire.example/s1.xml</loc></sitemap></sitemapindex>";
        assert_eq!(
            parse(xml).unwrap(),
            Sitemap::Index(vec![Entry {
                loc: "https://wire.example/s1.xml".into(),
                lastmod: None
            }])
        );
        assert!(parse(b"<rss><channel/></rss>")
            .unwrap_err()
            .contains("<rss>"));
        assert!(parse(b"<urlset><url><loc>x</urlset>").is_err());
    }
}
