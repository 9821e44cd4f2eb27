//! Ingestion: from bytes in the forms news really arrives in, to [`sitrep_core::Article`]s.
//!
//! The readers ([`read_bytes`] and the format modules) are pure functions of their input;
//! [`source`] is the adapter that walks files, directories and stdin, sniffs each input's
//! format from its content, and streams large JSON-lines files without loading them whole.
//! Every outcome is an [`Item`] naming where it came from, so one bad input never hides the
//! others and every error can say which input failed and why.

mod dates;
mod decode;
pub mod feed;
mod html;
mod jsonl;
pub mod source;
mod text;

use sitrep_core::Article;

pub use decode::Limits;
pub use feed::{entries as feed_entries, FeedEntry};
pub use jsonl::JsonlLine;

/// The formats sitrep reads, told apart by content, not by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    /// RSS 0.9x/1.0/2.0 or Atom.
    Feed,
    /// One JSON object per line (DESIGN.md §8).
    Jsonl,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Feed => "feed",
            Format::Jsonl => "jsonl",
        }
    }
}

/// One article read from an input, with anything that went less than perfectly.
#[derive(Debug, Clone)]
pub struct Reading {
    pub article: Article,
    pub warnings: Vec<String>,
}

/// Why an input (or one record of it) yielded no article. The message names the reason; the
/// [`Item`] carrying it names the input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read: {0}")]
    Io(String),
    #[error("looks like binary data, not text ({0})")]
    Binary(String),
    #[error("too large: {size} bytes, over the limit of {limit} bytes for one document{hint}")]
    TooLarge {
        size: u64,
        limit: u64,
        hint: &'static str,
    },
    #[error("empty input")]
    Empty,
    #[error("no article text found{0}")]
    NoText(String),
    #[error("malformed feed: {0}")]
    Feed(String),
    #[error("bad JSON line: {0}")]
    Json(String),
    #[error("HTML extraction failed: {0}")]
    Html(String),
    #[error("fetch failed: {0}")]
    Fetch(String),
}

/// The outcome of reading one article-sized piece of input.
#[derive(Debug, Clone)]
pub struct Item {
    /// Where it came from: a path, `path:LINE` for a JSONL line, `path#N` for a feed item, `-`
    /// for stdin.
    pub origin: String,
    /// The caller's id for it, from a JSONL line's `id` field.
    pub source_id: Option<String>,
    pub result: Result<Reading, ReadError>,
}

impl Item {
    fn new(origin: String, result: Result<Reading, ReadError>) -> Self {
        Item {
            origin,
            source_id: None,
            result,
        }
    }
}

/// Reads every article in one in-memory input, its format sniffed from the content.
/// JSON lines are handled line by line; one bad line yields one failed item.
pub fn read_bytes(origin: &str, bytes: &[u8], limits: &Limits) -> Vec<Item> {
    let bytes = match decode::unwrap_gzip(bytes, limits) {
        Ok(b) => b,
        Err(e) => return vec![Item::new(origin.to_string(), Err(e))],
    };
    match decode::sniff(&bytes) {
        Err(e) => vec![Item::new(origin.to_string(), Err(e))],
        Ok(Format::Jsonl) => jsonl::read_all(origin, &bytes, limits),
        Ok(Format::Feed) => feed::read(origin, &bytes),
        Ok(format) => vec![Item::new(origin.to_string(), read_document(format, &bytes))],
    }
}

/// Reads a single-article input (text or HTML).
fn read_document(format: Format, bytes: &[u8]) -> Result<Reading, ReadError> {
    match format {
        Format::Html => html::read(bytes),
        _ => {
            let (raw, warnings) = decode::to_text(bytes)?;
            let mut reading = text::read(&raw)?;
            reading.warnings.extend(warnings);
            Ok(reading)
        }
    }
}

/// The format of an input, told from its content (after any gzip wrapper is opened).
pub fn sniff(bytes: &[u8], limits: &Limits) -> Result<Format, ReadError> {
    decode::sniff(&decode::unwrap_gzip(bytes, limits)?)
}

/// The feeds an HTML page announces (`<link rel="alternate" type="application/rss+xml">` and
/// Atom's), their addresses as written, first first.
pub fn announced_feeds(html: &[u8]) -> Vec<String> {
    html::announced_feeds(&String::from_utf8_lossy(html))
}

/// Main-text extraction alone, for benchmarks: the article text sitrep would store for a page.
pub fn extract_html_text(bytes: &[u8]) -> Result<String, ReadError> {
    html::read(bytes).map(|r| r.article.text)
}
