//! The input adapter: files, directories (recursively, every file sniffed by content) and
//! stdin, yielding [`Item`]s lazily and in order. JSON-lines inputs are streamed a line at a
//! time, so a multi-gigabyte JSONL file never sits in memory; any other single document over
//! the size limit is refused before it is read. Parsing runs on all cores.

use crate::{decode, jsonl, read_bytes, Format, Item, Limits, ReadError};
use rayon::iter::{IntoParallelIterator, ParallelIterator};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Where articles are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    Stdin,
}

impl Input {
    /// `-` is stdin; anything else a path.
    pub fn parse(arg: &str) -> Self {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(arg))
        }
    }
}

/// Inputs read but not yet parsed: fetching bytes is sequential, parsing them is not.
struct Unit {
    origin: String,
    payload: Payload,
}

enum Payload {
    /// A whole file or stdin: one document, a feed, or a JSON array.
    Document(Vec<u8>),
    /// One line of a streamed JSON-lines input; `true` if invalid UTF-8 was replaced.
    JsonLine(String, bool),
    Failed(ReadError),
}

impl Unit {
    fn failed(origin: String, e: ReadError) -> Self {
        Unit {
            origin,
            payload: Payload::Failed(e),
        }
    }

    fn parse(self, limits: &Limits) -> Vec<Item> {
        match self.payload {
            Payload::Document(bytes) => read_bytes(&self.origin, &bytes, limits),
            Payload::JsonLine(line, lossy) => {
                let mut item = jsonl::read_line(&self.origin, &line, limits);
                if let (true, Ok(reading)) = (lossy, &mut item.result) {
                    reading
                        .warnings
                        .push("line is not valid UTF-8; invalid bytes replaced".into());
                }
                vec![item]
            }
            Payload::Failed(e) => vec![Item::new(self.origin, Err(e))],
        }
    }
}

/// Units parsed together; bounded so memory stays bounded whatever the input.
const CHUNK_UNITS: usize = 64;
const CHUNK_BYTES: usize = 128 * 1024 * 1024;

/// Every item of every input, in input order (files of a directory in name order). Inputs are
/// fetched one after another and parsed on all cores, a bounded chunk at a time.
pub fn read_inputs(inputs: Vec<Input>, limits: Limits) -> impl Iterator<Item = Item> {
    let parse_limits = limits.clone();
    let mut units = units(inputs, limits);
    std::iter::from_fn(move || {
        let mut chunk = Vec::with_capacity(CHUNK_UNITS);
        let mut bytes = 0;
        while chunk.len() < CHUNK_UNITS && bytes < CHUNK_BYTES {
            let Some(unit) = units.next() else { break };
            bytes += match &unit.payload {
                Payload::Document(b) => b.len(),
                Payload::JsonLine(l, _) => l.len(),
                Payload::Failed(_) => 0,
            };
            chunk.push(unit);
        }
        (!chunk.is_empty()).then(|| {
            chunk
                .into_par_iter()
                .map(|unit| unit.parse(&parse_limits))
                .collect::<Vec<_>>()
        })
    })
    .flatten()
    .flatten()
}

fn units(inputs: Vec<Input>, limits: Limits) -> impl Iterator<Item = Unit> {
    inputs
        .into_iter()
        .flat_map(move |input| -> Box<dyn Iterator<Item = Unit>> {
            let limits = limits.clone();
            match input {
                Input::Stdin => {
                    read_stream("-".into(), Box::new(std::io::stdin().lock()), None, limits)
                }
                Input::Path(path) if path.is_dir() => {
                    Box::new(walk(&path).flat_map(move |entry| match entry {
                        Ok(file) => read_file(&file, limits.clone()),
                        Err(unit) => Box::new(std::iter::once(unit)),
                    }))
                }
                Input::Path(path) => read_file(&path, limits),
            }
        })
}

/// The files under a directory, skipping hidden ones, in a stable order.
fn walk(dir: &Path) -> impl Iterator<Item = Result<PathBuf, Unit>> {
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|entry| match entry {
            Ok(e) if e.file_type().is_file() => Some(Ok(e.into_path())),
            Ok(_) => None,
            Err(e) => {
                let origin = e.path().unwrap_or(Path::new("?")).display().to_string();
                Some(Err(Unit::failed(origin, ReadError::Io(e.to_string()))))
            }
        })
}

fn read_file(path: &Path, limits: Limits) -> Box<dyn Iterator<Item = Unit>> {
    let origin = path.display().to_string();
    let opened = File::open(path).and_then(|f| Ok((f.metadata()?.len(), f)));
    match opened {
        Ok((size, file)) => read_stream(origin, Box::new(file), Some(size), limits),
        Err(e) => Box::new(std::iter::once(Unit::failed(
            origin,
            ReadError::Io(e.to_string()),
        ))),
    }
}

/// Sniffs a stream from its first bytes, then streams it as JSON lines or reads it whole.
fn read_stream(
    origin: String,
    reader: Box<dyn Read>,
    size: Option<u64>,
    limits: Limits,
) -> Box<dyn Iterator<Item = Unit>> {
    let fail = |origin: String, e: ReadError| -> Box<dyn Iterator<Item = Unit>> {
        Box::new(std::iter::once(Unit::failed(origin, e)))
    };
    let mut reader = BufReader::with_capacity(64 * 1024, reader);
    let head = match reader.fill_buf() {
        Ok(head) => head.to_vec(),
        Err(e) => return fail(origin, ReadError::Io(e.to_string())),
    };
    let is_gzip = head.starts_with(&[0x1f, 0x8b]);
    if !is_gzip
        && decode::sniff(&head) == Ok(Format::Jsonl)
        && !head.trim_ascii_start().starts_with(b"[")
    {
        return Box::new(JsonlLines {
            origin,
            reader,
            line_number: 0,
            limits,
        });
    }
    if let Some(size) = size.filter(|&s| s > limits.max_document_bytes) {
        return fail(
            origin,
            limits.too_large(
                size,
                " (only JSON-lines input is streamed past this limit, a line at a time)",
            ),
        );
    }
    let mut bytes = Vec::new();
    if let Err(e) = reader
        .by_ref()
        .take(limits.max_document_bytes + 1)
        .read_to_end(&mut bytes)
    {
        return fail(origin, ReadError::Io(e.to_string()));
    }
    if bytes.len() as u64 > limits.max_document_bytes {
        return fail(
            origin,
            limits.too_large(bytes.len() as u64, " (read so far)"),
        );
    }
    Box::new(std::iter::once(Unit {
        origin,
        payload: Payload::Document(bytes),
    }))
}

/// A JSON-lines stream read one capped line at a time.
struct JsonlLines {
    origin: String,
    reader: BufReader<Box<dyn Read>>,
    line_number: usize,
    limits: Limits,
}

impl Iterator for JsonlLines {
    type Item = Unit;

    fn next(&mut self) -> Option<Unit> {
        loop {
            self.line_number += 1;
            let origin = format!("{}:{}", self.origin, self.line_number);
            let line = match read_capped_line(&mut self.reader, self.limits.max_document_bytes) {
                Ok(None) => return None,
                Ok(Some(CappedLine::Complete(bytes))) => bytes,
                Ok(Some(CappedLine::TooLong(len))) => {
                    return Some(Unit::failed(origin, self.limits.too_large(len, "")))
                }
                Err(e) => return Some(Unit::failed(origin, ReadError::Io(e.to_string()))),
            };
            if line.trim_ascii().is_empty() {
                continue;
            }
            let payload = match String::from_utf8(line) {
                Ok(text) => Payload::JsonLine(text, false),
                Err(e) => {
                    Payload::JsonLine(String::from_utf8_lossy(e.as_bytes()).into_owned(), true)
                }
            };
            return Some(Unit { origin, payload });
        }
    }
}

enum CappedLine {
    Complete(Vec<u8>),
    /// The line's full length; its bytes past the cap were skipped, not stored.
    TooLong(u64),
}

/// Reads up to the next `\n`, keeping at most `cap` bytes in memory.
fn read_capped_line(reader: &mut impl BufRead, cap: u64) -> std::io::Result<Option<CappedLine>> {
    let mut line = Vec::new();
    let mut length: u64 = 0;
    let mut saw_any = false;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        saw_any = true;
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        length += chunk.len() as u64;
        if length <= cap {
            line.extend_from_slice(chunk);
        } else {
            line = Vec::new();
        }
        let consumed = done.unwrap_or(chunk.len());
        reader.consume(consumed);
        if done.is_some() {
            break;
        }
    }
    Ok(match (saw_any, length > cap) {
        (false, _) => None,
        (true, true) => Some(CappedLine::TooLong(length)),
        (true, false) => Some(CappedLine::Complete(line)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_lines_skip_what_they_cannot_keep() {
        let data = b"short\n0123456789abcdef\nlast";
        let mut r = BufReader::with_capacity(4, &data[..]);
        let mut lines = Vec::new();
        while let Some(line) = read_capped_line(&mut r, 8).unwrap() {
            lines.push(match line {
                CappedLine::Complete(b) => String::from_utf8(b).unwrap(),
                CappedLine::TooLong(n) => format!("<{n} bytes>"),
            });
        }
        assert_eq!(lines, ["short", "<16 bytes>", "last"]);
    }
}
