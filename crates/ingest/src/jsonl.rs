//! JSON lines (DESIGN.md §8): one object per line with `text` or `html`, and optionally `id`
//! (echoed as `article.source_id`), `title`, `url`, `outlet`, `byline`, `image`, `language`,
//! `published`. A bad line is one failed item; the rest go on.

use crate::{html, Item, Limits, ReadError, Reading};
use serde::Deserialize;
use serde_json::Value;
use sitrep_core::{text::normalise, Article, DateBasis, PartialDate, Published};

/// The fields sitrep reads from one input line.
#[derive(Debug, Default, Deserialize)]
pub struct JsonlLine {
    pub text: Option<String>,
    pub html: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub byline: Option<String>,
    pub image: Option<String>,
    pub language: Option<String>,
    pub published: Option<String>,
}

/// Reads a whole in-memory JSONL input. A single JSON array of objects, or one pretty-printed
/// object, is accepted too.
pub(crate) fn read_all(origin: &str, bytes: &[u8], limits: &Limits) -> Vec<Item> {
    let text = String::from_utf8_lossy(bytes);
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') || (trimmed.starts_with('{') && !first_line_is_json(trimmed)) {
        return match serde_json::from_str::<Value>(trimmed) {
            Ok(Value::Array(records)) => records
                .into_iter()
                .enumerate()
                .map(|(i, v)| read_value(format!("{origin}[{i}]"), v))
                .collect(),
            Ok(v @ Value::Object(_)) => vec![read_value(origin.to_string(), v)],
            Ok(_) => vec![Item::new(
                origin.into(),
                Err(ReadError::Json("expected objects".into())),
            )],
            Err(e) => vec![Item::new(
                origin.into(),
                Err(ReadError::Json(e.to_string())),
            )],
        };
    }
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| read_line(&format!("{origin}:{}", i + 1), line, limits))
        .collect()
}

fn first_line_is_json(text: &str) -> bool {
    serde_json::from_str::<Value>(text.lines().next().unwrap_or("")).is_ok()
}

/// Reads one line of a JSONL input.
pub(crate) fn read_line(origin: &str, line: &str, limits: &Limits) -> Item {
    if line.len() as u64 > limits.max_document_bytes {
        return Item::new(origin.into(), Err(limits.too_large(line.len() as u64, "")));
    }
    match serde_json::from_str::<Value>(line) {
        Ok(value) => read_value(origin.to_string(), value),
        Err(e) => Item::new(
            origin.into(),
            Err(ReadError::Json(format!("not JSON: {e}"))),
        ),
    }
}

fn read_value(origin: String, value: Value) -> Item {
    let source_id = match value.get("id") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let result = if value.is_object() {
        serde_json::from_value::<JsonlLine>(value)
            .map_err(|e| ReadError::Json(e.to_string()))
            .and_then(read_record)
    } else {
        Err(ReadError::Json("expected a JSON object".into()))
    };
    let mut item = Item::new(origin, result);
    if let Ok(reading) = &mut item.result {
        reading.article.source_id.clone_from(&source_id);
    }
    item.source_id = source_id;
    item
}

fn read_record(line: JsonlLine) -> Result<Reading, ReadError> {
    let published = line
        .published
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            PartialDate::parse(p)
                .map(|d| Published::new(d, DateBasis::Metadata))
                .map_err(|e| ReadError::Json(format!("field \"published\": {e}")))
        })
        .transpose()?;
    let mut reading = match (&line.text, &line.html) {
        (Some(text), _) if !text.trim().is_empty() => Reading {
            article: Article::from_normalised_text(normalise(text)),
            warnings: Vec::new(),
        },
        (_, Some(page)) if !page.trim().is_empty() => html::read(page.as_bytes())?,
        _ => {
            return Err(ReadError::Json(
                "needs a non-empty \"text\" or \"html\" field".into(),
            ))
        }
    };
    let a = &mut reading.article;
    let given = |v: Option<String>| {
        v.map(|s| normalise(&s).replace('\n', " "))
            .filter(|s| !s.is_empty())
    };
    a.title = given(line.title).or(a.title.take());
    a.url = given(line.url).or(a.url.take());
    a.outlet = given(line.outlet).or(a.outlet.take());
    a.byline = given(line.byline).or(a.byline.take());
    a.image = given(line.image).or(a.image.take());
    a.language = given(line.language)
        .map(|l| html::primary_language_subtag(&l))
        .or(a.language.take());
    a.published = published.or(a.published.take());
    Ok(reading)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lines_and_reports_bad_ones_in_place() {
        let input = concat!(
            r#"{"id": "a1", "text": "Shelling hit Ariha.", "outlet": "Orontes Daily", "published": "2023-01"}"#,
            "\n",
            "not json\n",
            "\n",
            r#"{"id": 7, "title": "no body"}"#,
            "\n",
            r#"{"id": "a4", "text": "x", "published": "26/01/2023"}"#,
            "\n",
            r#"[1, 2]"#,
            "\n",
        );
        let items = read_all("in.jsonl", input.as_bytes(), &Limits::default());
        assert_eq!(items.len(), 5);
        let a = &items[0].result.as_ref().unwrap().article;
        assert_eq!(a.source_id.as_deref(), Some("a1"));
        assert_eq!(a.outlet.as_deref(), Some("Orontes Daily"));
        assert_eq!(a.published.as_ref().unwrap().date.to_string(), "2023-01");
        assert_eq!(items[1].origin, "in.jsonl:2");
        assert!(matches!(&items[1].result, Err(ReadError::Json(m)) if m.starts_with("not JSON")));
        assert_eq!(items[2].origin, "in.jsonl:4");
        assert_eq!(items[2].source_id.as_deref(), Some("7"));
        assert!(
            matches!(&items[2].result, Err(ReadError::Json(m)) if m.contains("\"text\" or \"html\""))
        );
        assert!(matches!(&items[3].result, Err(ReadError::Json(m)) if m.contains("published")));
        assert!(matches!(&items[4].result, Err(ReadError::Json(m)) if m.contains("object")));
    }

    #[test]
    fn a_json_array_or_one_pretty_object_is_accepted() {
        let array = br#"[{"text": "one"}, {"text": "two"}]"#;
        assert_eq!(read_all("a.json", array, &Limits::default()).len(), 2);
        let pretty = b"{\n  \"text\": \"one\",\n  \"title\": \"T\"\n}\n";
        let items = read_all("p.json", pretty, &Limits::default());
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].result.as_ref().unwrap().article.title.as_deref(),
            Some("T")
        );
    }

    #[test]
    fn an_oversized_line_is_refused_alone() {
        let limits = Limits {
            max_document_bytes: 100,
        };
        let long = format!(r#"{{"text": "{}"}}"#, "a".repeat(200));
        assert!(matches!(
            read_line("x:1", &long, &limits).result,
            Err(ReadError::TooLarge { .. })
        ));
    }
}
