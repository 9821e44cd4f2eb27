//! Bytes to text: size limits, gzip, binary detection, character encodings, format sniffing.

use crate::{Format, ReadError};
use std::borrow::Cow;
use std::io::Read;

/// Resource limits that keep hostile inputs from exhausting memory.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest single document (a page, a text, a feed, one JSON line), after decompression.
    pub max_document_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_document_bytes: 64 * 1024 * 1024,
        }
    }
}

impl Limits {
    pub(crate) fn too_large(&self, size: u64, hint: &'static str) -> ReadError {
        ReadError::TooLarge {
            size,
            limit: self.max_document_bytes,
            hint,
        }
    }
}

/// Inflates gzip input (recognised by its magic bytes), refusing to inflate past the limit.
pub(crate) fn unwrap_gzip<'a>(
    bytes: &'a [u8],
    limits: &Limits,
) -> Result<Cow<'a, [u8]>, ReadError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(Cow::Borrowed(bytes));
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(limits.max_document_bytes + 1)
        .read_to_end(&mut out)
        .map_err(|e| ReadError::Io(format!("corrupt gzip data: {e}")))?;
    if out.len() as u64 > limits.max_document_bytes {
        return Err(limits.too_large(out.len() as u64, " once decompressed"));
    }
    Ok(Cow::Owned(out))
}

/// Decides the format of an input from its first bytes.
pub(crate) fn sniff(bytes: &[u8]) -> Result<Format, ReadError> {
    let head = &bytes[..bytes.len().min(8192)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace());
    let Some(start) = start else {
        return Err(ReadError::Empty);
    };
    check_not_binary(head)?;
    let head = String::from_utf8_lossy(&head[start..]).to_ascii_lowercase();
    let has = |needle: &str| head.contains(needle);
    if head.starts_with('{') || head.starts_with('[') {
        return Ok(Format::Jsonl);
    }
    if !head.starts_with('<') {
        return Ok(Format::Text);
    }
    let is_feed = ["<rss", "<feed", "<rdf:rdf"].iter().any(|t| has(t));
    let is_html = ["<html", "<!doctype html", "<body"].iter().any(|t| has(t));
    Ok(if is_feed && !is_html {
        Format::Feed
    } else {
        Format::Html
    })
}

/// Refuses input that is not text: NUL bytes, or many control characters.
fn check_not_binary(head: &[u8]) -> Result<(), ReadError> {
    let utf16 = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    if head.contains(&0) && !utf16 {
        return Err(ReadError::Binary("contains NUL bytes".into()));
    }
    let controls = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f)
        .count();
    if !utf16 && controls * 20 > head.len() {
        return Err(ReadError::Binary(format!(
            "{controls} control bytes in the first {} bytes",
            head.len()
        )));
    }
    Ok(())
}

/// Decodes bytes to text: a BOM wins, then a declared charset (HTML and XML), then UTF-8 if
/// valid, else the encoding chardetng guesses — with a warning, since a guess can be wrong.
pub(crate) fn to_text(bytes: &[u8]) -> Result<(String, Vec<String>), ReadError> {
    to_text_declared(bytes, None)
}

pub(crate) fn to_text_declared(
    bytes: &[u8],
    declared: Option<&'static encoding_rs::Encoding>,
) -> Result<(String, Vec<String>), ReadError> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok((text.into_owned(), Vec::new()));
    }
    if let Some(encoding) = declared.filter(|e| *e != encoding_rs::UTF_8) {
        let (text, _, had_errors) = encoding.decode(bytes);
        let warnings = if had_errors {
            vec![format!(
                "some bytes are not valid {}; replaced",
                encoding.name()
            )]
        } else {
            Vec::new()
        };
        return Ok((text.into_owned(), warnings));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_string(), Vec::new())),
        Err(e) => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
            let (text, _, _) = guess.decode(bytes);
            Ok((
                text.into_owned(),
                vec![format!(
                    "not valid UTF-8 (at byte {}); decoded as {} (guessed)",
                    e.valid_up_to(),
                    guess.name()
                )],
            ))
        }
    }
}

/// The charset an HTML or XML document declares in its first bytes, if any.
pub(crate) fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    for marker in ["charset=", "encoding="] {
        if let Some(at) = head.find(marker) {
            let rest = head[at + marker.len()..].trim_start_matches(['"', '\'', ' ']);
            let label: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
                .collect();
            if let Some(e) = encoding_rs::Encoding::for_label(label.as_bytes()) {
                return Some(e);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_formats_by_content() {
        assert_eq!(sniff(b"  <!DOCTYPE html><html>").unwrap(), Format::Html);
        assert_eq!(sniff(b"<p>Fragment</p><p>more</p>").unwrap(), Format::Html);
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\">").unwrap(),
            Format::Feed
        );
        assert_eq!(
            sniff(b"<feed xmlns=\"http://www.w3.org/2005/Atom\">").unwrap(),
            Format::Feed
        );
        assert_eq!(sniff(b"{\"text\": \"x\"}\n").unwrap(), Format::Jsonl);
        assert_eq!(sniff(b"\xEF\xBB\xBFTitle\n\nBody.").unwrap(), Format::Text);
    }

    #[test]
    fn refuses_empty_and_binary_input() {
        assert_eq!(sniff(b"").unwrap_err(), ReadError::Empty);
        assert_eq!(sniff(b" \n\t ").unwrap_err(), ReadError::Empty);
        assert!(matches!(
            sniff(b"PK\x03\x04\x00\x00junk"),
            Err(ReadError::Binary(_))
        ));
        let noise: Vec<u8> = (0..4000u32).map(|i| (i * 7 % 32) as u8).collect();
        assert!(matches!(sniff(&noise), Err(ReadError::Binary(_))));
    }

    #[test]
    fn invalid_utf8_is_decoded_with_a_warning() {
        let (text, warnings) = to_text(b"Assad\x92s government").unwrap();
        assert_eq!(text, "Assad\u{2019}s government");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("not valid UTF-8"), "{warnings:?}");
    }

    #[test]
    fn a_declared_charset_is_honoured() {
        let page = b"<html><head><meta charset=\"iso-8859-1\"></head><body>Caf\xe9</body></html>";
        let declared = declared_charset(page);
        assert_eq!(declared.map(|e| e.name()), Some("windows-1252"));
        assert!(to_text_declared(page, declared).unwrap().0.contains("Café"));
    }

    #[test]
    fn gzip_is_inflated_within_the_limit() {
        use flate2::{write::GzEncoder, Compression};
        use std::io::Write;
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(&vec![b'a'; 10_000]).unwrap();
        let gz = gz.finish().unwrap();
        assert_eq!(unwrap_gzip(&gz, &Limits::default()).unwrap().len(), 10_000);
        let tight = Limits {
            max_document_bytes: 1000,
        };
        assert!(matches!(
            unwrap_gzip(&gz, &tight),
            Err(ReadError::TooLarge { .. })
        ));
        assert!(matches!(
            unwrap_gzip(&[0x1f, 0x8b, 1, 2], &tight),
            Err(ReadError::Io(_))
        ));
    }
}
