//! HTML pages: main text by rs-trafilatura (the best-measured extractor on our benchmark, see
//! `sitrep eval extraction`), metadata from its meta-tag, JSON-LD and `<time>` readers, and a
//! date from the URL path when the page declares none.

use crate::{dates, decode, ReadError, Reading};
use regex::Regex;
use sitrep_core::{
    text::normalise_lines_as_paragraphs, Article, DateBasis, PartialDate, Published,
};
use std::sync::LazyLock;

/// Stack for the extractor thread: hostile pages nest elements deeply and the parser and
/// extractor recurse over the tree.
const EXTRACTOR_STACK_BYTES: usize = 512 * 1024 * 1024;

/// Element nesting beyond which a page's body is flattened before extraction. Real news pages
/// nest a few dozen levels; the extractor's time grows with the square of the depth.
const MAX_NESTING: usize = 400;

pub(crate) fn read(bytes: &[u8]) -> Result<Reading, ReadError> {
    let (html, mut warnings) = decode::to_text_declared(bytes, decode::declared_charset(bytes))?;
    let depth = nesting_depth(&html);
    let html = if depth > MAX_NESTING {
        warnings.push(format!(
            "elements nest {depth} deep (over {MAX_NESTING}); the body was flattened to its text before extraction"
        ));
        flatten_body(&html)
    } else {
        html
    };
    let extracted = extract_guarded(separate_blocks(&html))?;
    let text = normalise_lines_as_paragraphs(&extracted.content_text);
    if text.is_empty() {
        return Err(ReadError::NoText(" in the page".into()));
    }
    let meta = extracted.metadata;
    let mut article = Article::from_normalised_text(text);
    article.title = clean(meta.title);
    article.outlet = clean(meta.sitename);
    article.byline = clean(meta.author);
    article.url = clean(meta.url);
    article.image = clean(meta.image);
    article.language = clean(meta.language).map(|l| primary_language_subtag(&l));
    article.published = meta
        .date
        .map(|d| Published::new(PartialDate::day(d.date_naive()), DateBasis::Metadata))
        .or_else(|| {
            let url = article.url.as_deref()?;
            dates::date_in_url(url).map(|d| Published::new(d, DateBasis::Url))
        });
    Ok(Reading { article, warnings })
}

/// `<link>` elements announcing an RSS or Atom feed: their `href`s, entities decoded.
pub(crate) fn announced_feeds(html: &str) -> Vec<String> {
    static LINK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?is)<link\b[^>]*>").expect("valid"));
    static ATTR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?is)\b(rel|type|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"#)
            .expect("valid")
    });
    LINK.find_iter(html)
        .filter_map(|link| {
            let mut attrs = std::collections::HashMap::new();
            for c in ATTR.captures_iter(link.as_str()) {
                let value = c
                    .get(2)
                    .or(c.get(3))
                    .or(c.get(4))
                    .map_or("", |m| m.as_str());
                attrs.insert(c[1].to_ascii_lowercase(), value.trim().to_string());
            }
            let rel = attrs.get("rel")?.to_ascii_lowercase();
            let kind = attrs.get("type")?.to_ascii_lowercase();
            let is_feed = kind == "application/rss+xml" || kind == "application/atom+xml";
            let href = attrs.get("href").filter(|h| !h.is_empty())?;
            (rel.split_whitespace().any(|r| r == "alternate") && is_feed)
                .then(|| href.replace("&amp;", "&"))
        })
        .collect()
}

/// Text of an HTML fragment, such as a feed item's content: paragraphs kept, markup gone.
pub(crate) fn fragment_text(fragment: &str) -> Result<String, ReadError> {
    if !fragment.contains(['<', '&']) {
        return Ok(sitrep_core::text::normalise(fragment));
    }
    let page = separate_blocks(&format!(
        "<html><body><article>{fragment}</article></body></html>"
    ));
    let text = normalise_lines_as_paragraphs(&extract_guarded(page)?.content_text);
    if text.is_empty() {
        return Err(ReadError::NoText(" in the item's content".into()));
    }
    Ok(text)
}

static BLOCK_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)</(?:p|div|h[1-6]|li|blockquote|section|article|header|footer|aside|figure|figcaption|tr|td|th|dd|dt|pre|table|ul|ol)\s*>|<br\s*/?>")
        .expect("valid regex")
});

/// Puts a line break after every block end: the extractor joins adjacent blocks' text as the
/// source's white space has it, and `...said.</p><p>It was...` would fuse two paragraphs.
fn separate_blocks(html: &str) -> String {
    BLOCK_END.replace_all(html, "$0\n").into_owned()
}

static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*?(/?)>").expect("valid regex"));

/// Elements that never hold children, or whose end tag is implied: they add no depth.
const NO_DEPTH: [&str; 22] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "td", "th", "tr", "dt", "dd", "option", "param",
];

/// The deepest element nesting in a page, from its tags alone (no tree is built).
fn nesting_depth(html: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for tag in TAG.captures_iter(html) {
        let name = tag[2].to_ascii_lowercase();
        if NO_DEPTH.contains(&name.as_str()) || !tag[3].is_empty() {
            continue;
        }
        if tag[1].is_empty() {
            depth += 1;
            deepest = deepest.max(depth);
        } else {
            depth = depth.saturating_sub(1);
        }
    }
    deepest
}

static SCRIPT_OR_STYLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<(script|style)\b.*?</(script|style)\s*>").expect("valid regex")
});
static ANY_TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").expect("valid regex"));

/// Keeps the head (for metadata) and rebuilds the body as one paragraph per line of its text.
fn flatten_body(html: &str) -> String {
    let body_at = html.to_ascii_lowercase().find("<body").unwrap_or(0);
    let (head, body) = html.split_at(body_at);
    let body = SCRIPT_OR_STYLE.replace_all(body, "");
    let body = separate_blocks(&body);
    let text = ANY_TAG.replace_all(&body, " ");
    let paragraphs: String = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| format!("<p>{l}</p>\n"))
        .collect();
    format!("{head}<body><article>{paragraphs}</article></body></html>")
}

/// Runs the extractor on its own thread with a deep stack, turning a panic inside it into an
/// error for this one input instead of the end of the whole run.
fn extract_guarded(html: String) -> Result<rs_trafilatura::ExtractResult, ReadError> {
    let worker = std::thread::Builder::new()
        .name("html-extract".into())
        .stack_size(EXTRACTOR_STACK_BYTES)
        .spawn(move || rs_trafilatura::extract(&html))
        .map_err(|e| ReadError::Html(format!("cannot start extractor thread: {e}")))?;
    match worker.join() {
        Ok(Ok(result)) => Ok(result),
        Ok(Err(e)) => Err(ReadError::Html(e.to_string())),
        Err(_) => Err(ReadError::Html("the extractor crashed on this page".into())),
    }
}

fn clean(value: Option<String>) -> Option<String> {
    value
        .map(|v| sitrep_core::text::normalise(&v).replace('\n', " "))
        .filter(|v| !v.is_empty())
}

/// `en-US` → `en`: the contract's language is the primary subtag.
pub(crate) fn primary_language_subtag(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html lang="en-GB"><head>
        <title>Drone strike hits Atarib market | Levant Monitor</title>
        <meta property="og:title" content="Drone strike hits Atarib market">
        <meta property="og:site_name" content="Levant Monitor">
        <meta property="og:image" content="https://levant.example/img/atarib.jpg">
        <meta name="author" content="Rami Khalil">
        <link rel="canonical" href="https://levant.example/2023/02/14/atarib-strike/">
        <script>var tracking = "do not extract me";</script><style>p{color:red}</style>
        </head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
        <article><h1>Drone strike hits Atarib market</h1>
        <p>A drone strike hit the crowded market in Atarib in western Aleppo countryside on Tuesday, killing three people and wounding eleven, according to local rescuers.</p>
        <p>The White Helmets said their teams pulled two children from the rubble of a shop. No group claimed the strike, which came a day after shelling on nearby villages.</p>
        <p>Residents said the drone circled for several minutes before firing. &ldquo;We heard it for a long time,&rdquo; said one shop owner, who asked not to be named.</p>
        </article><footer>&copy; 2023 Levant Monitor. All rights reserved.</footer></body></html>"#;

    #[test]
    fn extracts_text_and_metadata() {
        let a = read(PAGE.as_bytes()).unwrap().article;
        assert!(
            a.text.starts_with("A drone strike hit the crowded market"),
            "{}",
            a.text
        );
        assert!(a
            .text
            .contains("\u{201C}We heard it for a long time,\u{201D}"));
        assert!(!a.text.contains("do not extract"));
        assert!(!a.text.contains("All rights reserved"));
        assert_eq!(
            a.text.matches("\n\n").count(),
            2,
            "paragraphs kept: {}",
            a.text
        );
        assert_eq!(a.title.as_deref(), Some("Drone strike hits Atarib market"));
        assert_eq!(a.outlet.as_deref(), Some("Levant Monitor"));
        assert_eq!(a.byline.as_deref(), Some("Rami Khalil"));
        assert_eq!(
            a.image.as_deref(),
            Some("https://levant.example/img/atarib.jpg")
        );
        assert_eq!(
            a.url.as_deref(),
            Some("https://levant.example/2023/02/14/atarib-strike/")
        );
        assert_eq!(a.language.as_deref(), Some("en"));
        let p = a.published.unwrap();
        assert_eq!(
            (p.date.to_string().as_str(), p.basis),
            ("2023-02-14", DateBasis::Url)
        );
    }

    #[test]
    fn a_meta_date_beats_the_url() {
        let page = PAGE.replace(
            "<meta name=\"author\"",
            "<meta property=\"article:published_time\" content=\"2023-02-15T08:00:00Z\"><meta name=\"author\"",
        );
        let p = read(page.as_bytes()).unwrap().article.published.unwrap();
        assert_eq!(
            (p.date.to_string().as_str(), p.basis),
            ("2023-02-15", DateBasis::Metadata)
        );
    }

    #[test]
    fn deeply_nested_pages_are_flattened_with_a_warning() {
        let n = 50_000;
        let page = format!(
            "<html><head><title>Deep</title></head><body>{}{}{}</body></html>",
            "<div>".repeat(n),
            "<p>Shelling hit the village of Kafr Tuwaym near Ariha on Monday, rescuers said, and two people were hurt.</p>".repeat(5),
            "</div>".repeat(n)
        );
        assert_eq!(nesting_depth(&page), n + 2);
        let reading = read(page.as_bytes()).unwrap();
        assert!(reading.article.text.contains("Kafr Tuwaym"));
        assert!(
            reading.warnings[0].contains("flattened"),
            "{:?}",
            reading.warnings
        );
    }

    #[test]
    fn ordinary_pages_are_shallow() {
        assert!(nesting_depth(PAGE) < 10, "{}", nesting_depth(PAGE));
    }

    #[test]
    fn announced_feeds_are_found_in_link_elements() {
        let page = r#"<html><head><link rel="stylesheet" href="/s.css">
<LINK REL="alternate" TYPE="application/rss+xml" title="News" HREF="/feed.xml?a=1&amp;b=2">
<link type='application/atom+xml' rel='alternate' href='https://wire.example/atom'>
<link rel="alternate" hreflang="fr" href="/fr/"></head><body></body></html>"#;
        assert_eq!(
            announced_feeds(page),
            ["/feed.xml?a=1&b=2", "https://wire.example/atom"]
        );
    }

    #[test]
    fn a_page_without_text_is_an_error() {
        let err = read(b"<html><body><nav>Home</nav></body></html>").unwrap_err();
        assert!(
            matches!(err, ReadError::NoText(_) | ReadError::Html(_)),
            "{err:?}"
        );
    }
}
