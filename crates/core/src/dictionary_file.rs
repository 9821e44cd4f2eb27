//! Reading TABARI/PETRARCH dictionary files, shared by the actor and verb importers: their
//! bytes kept whole (they are often Latin-1), their comments (`# ...` and `<!-- ... -->`, which
//! may span lines) stripped, and every line that cannot be read reported with its number.

/// A line of an imported dictionary that could not be read, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportIssue {
    pub line: usize,
    pub text: String,
    pub reason: String,
}

impl std::fmt::Display for ImportIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {} ({:?})", self.line, self.reason, self.text)
    }
}

/// A dictionary file's bytes as text: UTF-8 when valid, else every byte as its Latin-1
/// character, so that no entry is lost to an encoding error.
pub fn decode(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| e.as_bytes().iter().map(|&b| b as char).collect())
}

/// The lines of a dictionary with their comments removed, trimmed, skipping empty ones:
/// (1-based line number, raw line, content).
pub fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str, String)> {
    let mut in_comment = false;
    text.lines().enumerate().filter_map(move |(i, raw)| {
        let uncommented = strip_markup_comments(raw, &mut in_comment);
        let content = uncommented.split('#').next().unwrap_or_default().trim();
        (!content.is_empty()).then(|| (i + 1, raw, content.to_string()))
    })
}

/// Removes `<!-- ... -->` comments, which PETRARCH's files use and which may span lines.
fn strip_markup_comments(line: &str, in_comment: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = line;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(end) => {
                    rest = &rest[end + 3..];
                    *in_comment = false;
                }
                None => return out,
            }
        }
        let opener = rest.find("<!--").or_else(|| rest.find("<! --"));
        match opener {
            Some(start) => {
                out.push_str(&rest[..start]);
                rest = &rest[start + 4..];
                *in_comment = true;
            }
            None => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_go_even_across_lines_and_latin1_survives() {
        let text = "A [X] # note\n<!-- one\ntwo -->B [Y]\n\n<!-- c -->\nC";
        let lines: Vec<(usize, String)> = content_lines(text).map(|(n, _, c)| (n, c)).collect();
        assert_eq!(
            lines,
            vec![
                (1, "A [X]".to_string()),
                (3, "B [Y]".into()),
                (6, "C".into())
            ]
        );
        assert_eq!(decode(vec![b'S', 0xE9, b'n']), "S\u{e9}n");
    }
}
