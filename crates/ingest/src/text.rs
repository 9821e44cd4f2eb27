//! Plain text, including the layout of an article pasted from a web page: a headline, then a
//! header of short lines (outlet, URL or image URL, dateline, byline), then the standfirst and
//! body. The header lines become metadata; the standfirst and body become the text.

use crate::{dates, ReadError, Reading};
use sitrep_core::{text::normalise, Article, DateBasis, Published};

/// What a header line says about the article.
enum HeaderLine<'a> {
    Url(&'a str),
    Image(&'a str),
    Date(sitrep_core::PartialDate),
    Byline(&'a str),
    Outlet(&'a str),
}

const IMAGE_EXTENSIONS: [&str; 6] = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif"];

pub(crate) fn read(raw: &str) -> Result<Reading, ReadError> {
    let normalised = normalise(raw);
    if normalised.is_empty() {
        return Err(ReadError::NoText(": only white space".into()));
    }
    let lines = lines_with_offsets(&normalised);
    let mut meta = Metadata::default();
    let mut body_start = 0;
    let title_stands_alone =
        |l: &Line<'_>| l.after_blank || classify_header_line(l.text, &meta).is_some();
    if lines.len() >= 2 && is_headline(lines[0].text) && title_stands_alone(&lines[1]) {
        meta.title = Some(lines[0].text.to_string());
        let mut next = 1;
        while next < lines.len() - 1 {
            match classify_header_line(lines[next].text, &meta) {
                Some(line) => meta.apply(line),
                None => break,
            }
            next += 1;
        }
        body_start = lines[next].start;
    }
    let mut article = Article::from_normalised_text(normalised[body_start..].to_string());
    article.title = meta.title;
    article.outlet = meta.outlet;
    article.url = meta.url;
    article.image = meta.image;
    article.byline = meta.byline;
    article.published = meta.published.or(meta.image_date);
    Ok(Reading {
        article,
        warnings: Vec::new(),
    })
}

/// A non-empty line of normalised text, where it starts, and whether a blank line precedes it.
struct Line<'a> {
    text: &'a str,
    start: usize,
    after_blank: bool,
}

fn lines_with_offsets(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut after_blank = false;
    for line in text.split('\n') {
        if line.is_empty() {
            after_blank = true;
        } else {
            lines.push(Line {
                text: line,
                start,
                after_blank,
            });
            after_blank = false;
        }
        start += line.len() + 1;
    }
    lines
}

#[derive(Default)]
struct Metadata {
    title: Option<String>,
    outlet: Option<String>,
    url: Option<String>,
    image: Option<String>,
    byline: Option<String>,
    published: Option<Published>,
    /// A date in the image's URL (`/uploads/2023/01/`): weaker evidence, used only as a last resort.
    image_date: Option<Published>,
}

impl Metadata {
    fn apply(&mut self, line: HeaderLine<'_>) {
        match line {
            HeaderLine::Url(u) => {
                self.published = self
                    .published
                    .take()
                    .or_else(|| dates::date_in_url(u).map(|d| Published::new(d, DateBasis::Url)));
                self.url = Some(u.to_string());
            }
            HeaderLine::Image(u) => {
                self.image_date = dates::date_in_url(u).map(|d| Published::new(d, DateBasis::Url));
                self.image = Some(u.to_string());
            }
            HeaderLine::Date(d) => self.published = Some(Published::new(d, DateBasis::Text)),
            HeaderLine::Byline(b) => self.byline = Some(b.to_string()),
            HeaderLine::Outlet(o) => self.outlet = Some(o.to_string()),
        }
    }
}

/// A headline is one line of a few words that does not end like a sentence.
fn is_headline(line: &str) -> bool {
    line.chars().count() <= 200
        && line.split_whitespace().count() >= 2
        && !line.ends_with(['.', ',', ';', ':'])
}

/// A header line is a URL, a dateline, a byline, or (once) a short name: the outlet.
fn classify_header_line<'a>(line: &'a str, seen: &Metadata) -> Option<HeaderLine<'a>> {
    if (line.starts_with("https://") || line.starts_with("http://")) && !line.contains(' ') {
        let path = line
            .split(['?', '#'])
            .next()
            .unwrap_or(line)
            .to_ascii_lowercase();
        return Some(if IMAGE_EXTENSIONS.iter().any(|e| path.ends_with(e)) {
            HeaderLine::Image(line)
        } else {
            HeaderLine::Url(line)
        });
    }
    if let Some(date) = dates::parse_dateline(line) {
        return Some(HeaderLine::Date(date));
    }
    if let Some(name) = line
        .strip_prefix("By ")
        .filter(|n| n.split_whitespace().count() <= 8)
    {
        return Some(HeaderLine::Byline(name.trim()));
    }
    let words = line.split_whitespace().count();
    let looks_like_name = (1..=6).contains(&words)
        && line.chars().count() <= 60
        && !line.ends_with(['.', '!', '?', ',', ';', ':'])
        && line
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric());
    (seen.outlet.is_none() && looks_like_name).then_some(HeaderLine::Outlet(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_pasted_article_layout() {
        let raw = "Shelling Kills Four Near Ariha\n\nOrontes Daily\n\nhttps://example.org/img/ariha.jpg\n\n\
                   2 February 2023\n\nBy Lina Haddad\n\nA standfirst sentence.\n\nFirst body paragraph.";
        let a = read(raw).unwrap().article;
        assert_eq!(a.title.as_deref(), Some("Shelling Kills Four Near Ariha"));
        assert_eq!(a.outlet.as_deref(), Some("Orontes Daily"));
        assert_eq!(
            a.image.as_deref(),
            Some("https://example.org/img/ariha.jpg")
        );
        assert_eq!(a.byline.as_deref(), Some("Lina Haddad"));
        let p = a.published.unwrap();
        assert_eq!(
            (p.date.to_string().as_str(), p.basis),
            ("2023-02-02", DateBasis::Text)
        );
        assert_eq!(a.text, "A standfirst sentence.\n\nFirst body paragraph.");
    }

    #[test]
    fn an_article_url_gives_a_date_from_its_path() {
        let raw = "Title of the Report\n\nhttps://example.org/2023/03/02/story\n\nBody text here.";
        let a = read(raw).unwrap().article;
        assert_eq!(
            a.url.as_deref(),
            Some("https://example.org/2023/03/02/story")
        );
        assert_eq!(a.published.unwrap().basis, DateBasis::Url);
    }

    #[test]
    fn plain_paragraphs_have_no_header() {
        let raw = "Government forces shelled the town on Monday.\n\nTwo people were hurt.";
        let a = read(raw).unwrap().article;
        assert_eq!(a.title, None);
        assert_eq!(a.text, raw);
    }

    #[test]
    fn header_lines_may_share_a_block() {
        let raw =
            "A Headline Here\n\nThe Outlet\nhttps://example.org/a.jpeg\n\nStandfirst line\n\nBody.";
        let a = read(raw).unwrap().article;
        assert_eq!(a.outlet.as_deref(), Some("The Outlet"));
        assert_eq!(a.image.as_deref(), Some("https://example.org/a.jpeg"));
        assert_eq!(a.text, "Standfirst line\n\nBody.");
        assert_eq!(a.published, None);
        let with_upload_date =
            raw.replace("example.org/a.jpeg", "example.org/uploads/2023/01/a.jpeg");
        let p = read(&with_upload_date).unwrap().article.published.unwrap();
        assert_eq!(
            (p.date.to_string().as_str(), p.basis),
            ("2023-01", DateBasis::Url)
        );
    }

    #[test]
    fn a_hard_wrapped_first_line_is_not_a_headline() {
        let raw = "Government forces shelled the town on Monday\nand killed two people.\n\nMore.";
        assert_eq!(read(raw).unwrap().article.title, None);
    }

    #[test]
    fn the_last_block_is_always_body() {
        let a = read("A Headline Here\n\nOnly Line").unwrap().article;
        assert_eq!(a.title.as_deref(), Some("A Headline Here"));
        assert_eq!(a.text, "Only Line");
    }
}
