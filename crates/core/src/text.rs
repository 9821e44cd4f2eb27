//! Text normalisation and the article id derived from it.
//!
//! Every reader funnels its text through [`normalise`], so the same report read from HTML, a
//! feed or a paste yields the same text and therefore the same [`article_id`].

use unicode_normalization::UnicodeNormalization;

/// NFC-normalises `raw` and tidies its white space while keeping its paragraphs:
/// line endings become `\n`, control and zero-width characters go, runs of spaces and exotic
/// spaces become one space, lines are trimmed, and blank lines between paragraphs become exactly
/// one empty line. A single line break inside a paragraph is kept.
pub fn normalise(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut blank_lines_pending = 0usize;
    let composed: String = raw.nfc().collect::<String>().replace("\r\n", "\n");
    for line in composed.split(['\n', '\r', '\u{2028}', '\u{2029}']) {
        let line = clean_line(line);
        if line.is_empty() {
            blank_lines_pending += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_lines_pending > 0 {
                "\n\n"
            } else {
                "\n"
            });
        }
        out.push_str(&line);
        blank_lines_pending = 0;
    }
    out
}

/// Like [`normalise`], but every line break ends a paragraph: for sources whose lines are
/// blocks (extracted HTML, where each line is one `<p>` or heading).
pub fn normalise_lines_as_paragraphs(raw: &str) -> String {
    normalise(raw).replace("\n\n", "\n").replace('\n', "\n\n")
}

fn clean_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut pending_space = false;
    for c in line.chars() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() || c.is_control() {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

/// Characters that carry no text and only break matching: zero-width spaces and joiners, the
/// byte-order mark, soft hyphens.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// The stable id of a normalised text: its [`digest`].
pub fn article_id(normalised_text: &str) -> String {
    digest(normalised_text)
}

/// A text's 128-bit XXH3, as 32 lower-case hex digits. XXH3 is a fixed, specified algorithm,
/// so digests never change between versions or machines.
pub fn digest(text: &str) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(text.as_bytes()))
}

/// Whether `text[start..end]` stands as whole words: no letter or digit touches either end.
pub fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    !text[..start]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
        && !text[end..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
}

/// Month and weekday names: capitalised words that are neither names nor places.
pub const CALENDAR_WORDS: [&str; 19] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Byte spans of the paragraphs of a normalised text.
pub fn paragraphs(text: &str) -> impl Iterator<Item = crate::Span> + '_ {
    let mut start = 0;
    text.split("\n\n").map(move |p| {
        let span = crate::Span {
            start,
            end: start + p.len(),
        };
        start = span.end + 2;
        span
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_paragraphs_and_tidies_white_space() {
        let raw =
            "  First\u{00A0}para  line.\r\nsame para\r\n\r\n\r\n\tSecond\u{200B} para. \n\n\n";
        assert_eq!(
            normalise(raw),
            "First para line.\nsame para\n\nSecond para."
        );
    }

    #[test]
    fn composes_to_nfc() {
        // "e" + combining acute accent becomes the single code point é.
        assert_eq!(normalise("Caf\u{0065}\u{0301}"), "Caf\u{00E9}");
    }

    #[test]
    fn lines_become_paragraphs_when_asked() {
        assert_eq!(normalise_lines_as_paragraphs("a\nb\n\nc"), "a\n\nb\n\nc");
    }

    #[test]
    fn id_depends_on_text_alone_and_is_stable() {
        let a = article_id(&normalise("Shelling hit Ariha.\n\nTwo were killed."));
        let b = article_id(&normalise(
            "Shelling  hit Ariha.\r\n\r\n\r\nTwo were killed.  ",
        ));
        assert_eq!(a, b);
        assert_eq!(a.len(), 32);
        assert_ne!(a, article_id("Shelling hit Ariha."));
        // Pinned: the id must never change across versions, or stored ids would orphan.
        assert_eq!(article_id("sitrep"), "79bd1b89a273af174512a9e6f6e834b7");
    }

    #[test]
    fn word_boundaries() {
        let text = "HTS and HTSX, (HTS)";
        assert!(on_word_boundaries(text, 0, 3));
        assert!(!on_word_boundaries(text, 8, 11));
        assert!(on_word_boundaries(text, 15, 18));
    }

    #[test]
    fn paragraph_spans_cover_the_text() {
        let text = "one\n\ntwo three\n\nfour";
        let spans: Vec<_> = paragraphs(text).map(|s| s.slice(text).unwrap()).collect();
        assert_eq!(spans, ["one", "two three", "four"]);
    }
}
