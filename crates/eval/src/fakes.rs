//! FA-KES (`../shared/newsdata/fakes`): 804 news articles on the Syrian war from 15 outlets,
//! read as its SOURCES.md says (a Latin-1 CSV with m/d/yyyy dates) and written as the JSON
//! lines of DESIGN.md §8, which `sitrep ingest` reads.

use std::path::Path;

/// One article of FA-KES.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub unit_id: String,
    pub title: String,
    pub text: String,
    pub outlet: String,
    /// `YYYY-MM-DD`, when the row's date reads.
    pub published: Option<String>,
}

/// Why FA-KES could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct FakesError {
    pub path: String,
    pub reason: String,
}

/// Every row of the CSV at `path`.
pub fn read(path: &Path) -> Result<Vec<Row>, FakesError> {
    let err = |reason: String| FakesError {
        path: path.display().to_string(),
        reason,
    };
    let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
    // Not valid UTF-8: a few stray bytes; every byte is its Latin-1 character.
    let latin1: String = bytes.iter().map(|&b| b as char).collect();
    let mut rows = Vec::new();
    for record in csv::Reader::from_reader(latin1.as_bytes()).records() {
        let r = record.map_err(|e| err(e.to_string()))?;
        let field = |i: usize| r.get(i).unwrap_or_default().to_string();
        let mdy: Vec<u32> = field(4).split('/').filter_map(|p| p.parse().ok()).collect();
        rows.push(Row {
            unit_id: field(0),
            title: field(1),
            text: field(2),
            outlet: field(3),
            published: match mdy[..] {
                [m, d, y] => Some(format!("{y:04}-{m:02}-{d:02}")),
                _ => None,
            },
        });
    }
    Ok(rows)
}

/// The rows as JSON lines, source ids `fakes-UNIT_ID`.
pub fn to_jsonl(rows: &[Row]) -> String {
    rows.iter()
        .map(|r| {
            serde_json::json!({
                "id": format!("fakes-{}", r.unit_id),
                "title": r.title,
                "text": r.text,
                "outlet": r.outlet,
                "published": r.published,
            })
            .to_string()
                + "\n"
        })
        .collect()
}
