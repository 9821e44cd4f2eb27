//! Tables as Parquet files, for analytics engines (DuckDB, Spark, pandas) to read the ledger
//! directly. A [`Table`] names its columns, their types and what each means, and how a row
//! gives each value; [`TableWriter`] streams rows into row groups of a Parquet file, and
//! [`Table::schema_markdown`] documents the same columns for people.
//!
//! Every column is nullable (a missing value is null, never an empty string) except lists,
//! which are empty when there is nothing to list. Text is UTF-8 (`STRING`), numbers are
//! doubles, counts and offsets 64-bit integers; pages are Snappy-compressed.

use parquet::basic::Compression;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::io::Write;
use std::sync::Arc;

/// Rows kept in memory before they are written as one row group.
const ROW_GROUP: usize = 65_536;

/// One value of a row in a column.
pub enum Value {
    Text(Option<String>),
    Number(Option<f64>),
    Integer(Option<i64>),
    Flag(Option<bool>),
    Texts(Vec<String>),
}

/// The Parquet type of a column, as its values have it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Text,
    Number,
    Integer,
    Flag,
    Texts,
}

impl Kind {
    fn of(value: &Value) -> Kind {
        match value {
            Value::Text(_) => Kind::Text,
            Value::Number(_) => Kind::Number,
            Value::Integer(_) => Kind::Integer,
            Value::Flag(_) => Kind::Flag,
            Value::Texts(_) => Kind::Texts,
        }
    }

    /// The column's declaration in Parquet's message syntax.
    fn declaration(self, name: &str) -> String {
        match self {
            Kind::Text => format!("optional binary {name} (STRING);"),
            Kind::Number => format!("optional double {name};"),
            Kind::Integer => format!("optional int64 {name};"),
            Kind::Flag => format!("optional boolean {name};"),
            Kind::Texts => format!(
                "required group {name} (LIST) {{ repeated group list {{ required binary element (STRING); }} }}"
            ),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Number => "double",
            Kind::Integer => "int64",
            Kind::Flag => "boolean",
            Kind::Texts => "list of text",
        }
    }
}

/// A column: its name, its type, what it means, and how a row gives its value.
pub struct Column<R> {
    pub name: &'static str,
    pub kind: Kind,
    pub doc: &'static str,
    pub value: fn(&R) -> Value,
}

/// A table: a file name's stem, what one row is, and its columns in order.
pub struct Table<R> {
    pub name: &'static str,
    pub doc: &'static str,
    pub columns: Vec<Column<R>>,
}

impl<R> Table<R> {
    /// The table's Parquet schema.
    fn message(&self) -> String {
        let fields: Vec<String> = self
            .columns
            .iter()
            .map(|c| c.kind.declaration(c.name))
            .collect();
        format!("message {} {{ {} }}", self.name, fields.join(" "))
    }

    /// The table's columns as a Markdown section, for the documented schema.
    pub fn schema_markdown(&self) -> String {
        let mut out = format!(
            "### `{}.parquet`\n\n{}\n\n| column | type | meaning |\n|---|---|---|\n",
            self.name, self.doc
        );
        for c in &self.columns {
            out.push_str(&format!(
                "| `{}` | {} | {} |\n",
                c.name,
                c.kind.describe(),
                c.doc
            ));
        }
        out
    }
}

/// Writes rows of one table to a Parquet file, a row group at a time; [`TableWriter::finish`]
/// writes the footer, without which the file is not a Parquet file at all.
pub struct TableWriter<'t, R, W: Write + Send> {
    table: &'t Table<R>,
    writer: SerializedFileWriter<W>,
    pending: Vec<Vec<Value>>,
    rows: usize,
}

impl<'t, R, W: Write + Send> TableWriter<'t, R, W> {
    pub fn new(table: &'t Table<R>, out: W) -> parquet::errors::Result<Self> {
        let schema = Arc::new(parse_message_type(&table.message())?);
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("sitrep {}", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(TableWriter {
            table,
            writer: SerializedFileWriter::new(out, schema, Arc::new(props))?,
            pending: Vec::new(),
            rows: 0,
        })
    }

    pub fn push(&mut self, row: &R) -> parquet::errors::Result<()> {
        let values: Vec<Value> = self.table.columns.iter().map(|c| (c.value)(row)).collect();
        for (c, v) in self.table.columns.iter().zip(&values) {
            if Kind::of(v) != c.kind {
                return Err(parquet::errors::ParquetError::General(format!(
                    "{}.{}: a {:?} value in a {:?} column",
                    self.table.name,
                    c.name,
                    Kind::of(v),
                    c.kind
                )));
            }
        }
        self.pending.push(values);
        self.rows += 1;
        if self.pending.len() >= ROW_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes what is pending and the footer; returns the rows written and the writer, for
    /// the caller to flush and sync.
    pub fn finish(mut self) -> parquet::errors::Result<(usize, W)> {
        self.flush()?;
        let out = self.writer.into_inner()?;
        Ok((self.rows, out))
    }

    fn flush(&mut self) -> parquet::errors::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.pending);
        let mut group = self.writer.next_row_group()?;
        let mut index = 0;
        while let Some(mut column) = group.next_column()? {
            let cells = rows.iter().map(|r| &r[index]);
            match self.table.columns[index].kind {
                Kind::Text => {
                    let (values, levels) = optional(cells, |v| match v {
                        Value::Text(t) => t.as_deref().map(ByteArray::from),
                        _ => None,
                    });
                    column
                        .typed::<ByteArrayType>()
                        .write_batch(&values, Some(&levels), None)?;
                }
                Kind::Number => {
                    let (values, levels) = optional(cells, |v| match v {
                        Value::Number(n) => *n,
                        _ => None,
                    });
                    column
                        .typed::<DoubleType>()
                        .write_batch(&values, Some(&levels), None)?;
                }
                Kind::Integer => {
                    let (values, levels) = optional(cells, |v| match v {
                        Value::Integer(n) => *n,
                        _ => None,
                    });
                    column
                        .typed::<Int64Type>()
                        .write_batch(&values, Some(&levels), None)?;
                }
                Kind::Flag => {
                    let (values, levels) = optional(cells, |v| match v {
                        Value::Flag(b) => *b,
                        _ => None,
                    });
                    column
                        .typed::<BoolType>()
                        .write_batch(&values, Some(&levels), None)?;
                }
                Kind::Texts => {
                    let (mut values, mut defs, mut reps) = (Vec::new(), Vec::new(), Vec::new());
                    for cell in cells {
                        let Value::Texts(list) = cell else { continue };
                        if list.is_empty() {
                            // An empty list: defined up to the list, no element.
                            defs.push(0);
                            reps.push(0);
                        }
                        for (i, item) in list.iter().enumerate() {
                            values.push(ByteArray::from(item.as_str()));
                            defs.push(1);
                            reps.push(i16::from(i > 0));
                        }
                    }
                    column.typed::<ByteArrayType>().write_batch(
                        &values,
                        Some(&defs),
                        Some(&reps),
                    )?;
                }
            }
            column.close()?;
            index += 1;
        }
        group.close()?;
        Ok(())
    }
}

/// An optional column's present values and its definition levels (1 present, 0 null).
fn optional<'a, T>(
    cells: impl Iterator<Item = &'a Value>,
    get: impl Fn(&Value) -> Option<T>,
) -> (Vec<T>, Vec<i16>) {
    let mut values = Vec::new();
    let mut levels = Vec::new();
    for cell in cells {
        match get(cell) {
            Some(v) => {
                values.push(v);
                levels.push(1);
            }
            None => levels.push(0),
        }
    }
    (values, levels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    struct Shot {
        name: &'static str,
        km: Option<f64>,
        tags: Vec<&'static str>,
    }

    fn table() -> Table<Shot> {
        Table {
            name: "shots",
            doc: "Test rows.",
            columns: vec![
                Column {
                    name: "name",
                    kind: Kind::Text,
                    doc: "a name",
                    value: |r: &Shot| Value::Text(Some(r.name.to_string())),
                },
                Column {
                    name: "km",
                    kind: Kind::Number,
                    doc: "a distance",
                    value: |r: &Shot| Value::Number(r.km),
                },
                Column {
                    name: "tags",
                    kind: Kind::Texts,
                    doc: "labels",
                    value: |r: &Shot| Value::Texts(r.tags.iter().map(|t| t.to_string()).collect()),
                },
            ],
        }
    }

    #[test]
    fn rows_read_back_with_their_nulls_and_lists() {
        let table = table();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shots.parquet");
        let mut writer = TableWriter::new(&table, std::fs::File::create(&path).unwrap()).unwrap();
        for shot in [
            Shot {
                name: "a",
                km: Some(1.5),
                tags: vec!["x", "y"],
            },
            Shot {
                name: "b",
                km: None,
                tags: vec![],
            },
        ] {
            writer.push(&shot).unwrap();
        }
        assert_eq!(writer.finish().unwrap().0, 2);
        let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        let rows: Vec<Vec<(String, Field)>> = reader
            .get_row_iter(None)
            .unwrap()
            .map(|r| r.unwrap().into_columns())
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][0].1, Field::Str("a".into()));
        assert_eq!(rows[0][1].1, Field::Double(1.5));
        assert_eq!(rows[1][1].1, Field::Null);
        assert_eq!(rows[0][2].1.to_string(), r#"["x", "y"]"#);
        assert_eq!(rows[1][2].1.to_string(), "[]");
        assert!(table
            .schema_markdown()
            .contains("| `tags` | list of text | labels |"));
    }

    #[test]
    fn a_value_of_the_wrong_kind_is_refused_with_its_column() {
        let mut table = table();
        table.columns[1].value = |_| Value::Text(None);
        let mut writer = TableWriter::new(&table, Vec::new()).unwrap();
        let err = writer
            .push(&Shot {
                name: "a",
                km: None,
                tags: vec![],
            })
            .unwrap_err()
            .to_string();
        assert!(err.contains("shots.km"), "{err}");
    }
}
