//! Little-endian primitives for the model file's sections, with checked reads: every byte of a
//! model file is distrusted until it has been read through here.

use crate::model::ModelError;

/// Appends values to a section in a fixed byte order.
#[derive(Default)]
pub(crate) struct ByteWriter {
    pub(crate) buf: Vec<u8>,
}

impl ByteWriter {
    pub(crate) fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    /// A length (u32) then the UTF-8 bytes.
    pub(crate) fn str(&mut self, s: &str) {
        self.len(s.len());
        self.buf.extend_from_slice(s.as_bytes());
    }
    /// A count written as u32; counts beyond u32 are a bug in the writer, not bad input.
    pub(crate) fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("section counts fit in u32"));
    }
    pub(crate) fn strs<'s>(&mut self, items: impl ExactSizeIterator<Item = &'s str>) {
        self.len(items.len());
        for s in items {
            self.str(s);
        }
    }
}

/// Reads values back from a section, failing with the section's name when bytes run out or
/// do not decode.
pub(crate) struct ByteReader<'a> {
    data: &'a [u8],
    pos: usize,
    section: &'static str,
}

impl<'a> ByteReader<'a> {
    pub(crate) fn new(data: &'a [u8], section: &'static str) -> Self {
        ByteReader {
            data,
            pos: 0,
            section,
        }
    }
    pub(crate) fn bytes(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or(ModelError::Truncated {
                section: self.section,
            })?;
        let out = &self.data[self.pos..end];
        self.pos = end;
        Ok(out)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        Ok(self.bytes(N)?.try_into().expect("length checked"))
    }
    pub(crate) fn u16(&mut self) -> Result<u16, ModelError> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    pub(crate) fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    pub(crate) fn u64(&mut self) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    /// A count, refused when it claims more items than bytes remain (each item at least
    /// `min_item_bytes` long), so a corrupt count cannot make a huge allocation.
    pub(crate) fn len(&mut self, min_item_bytes: usize) -> Result<usize, ModelError> {
        let n = self.u32()? as usize;
        let remaining = self.data.len() - self.pos;
        if n.saturating_mul(min_item_bytes.max(1)) > remaining {
            return Err(ModelError::Truncated {
                section: self.section,
            });
        }
        Ok(n)
    }
    pub(crate) fn str(&mut self) -> Result<&'a str, ModelError> {
        let n = self.len(1)?;
        std::str::from_utf8(self.bytes(n)?).map_err(|_| self.invalid("a string is not UTF-8"))
    }
    pub(crate) fn strs(&mut self) -> Result<Vec<String>, ModelError> {
        let n = self.len(4)?;
        (0..n).map(|_| self.str().map(str::to_string)).collect()
    }
    /// Fails unless every byte of the section was read.
    pub(crate) fn finish(self) -> Result<(), ModelError> {
        if self.pos == self.data.len() {
            Ok(())
        } else {
            Err(self.invalid("bytes left over at the end"))
        }
    }
    pub(crate) fn invalid(&self, reason: &'static str) -> ModelError {
        ModelError::Invalid {
            section: self.section,
            reason,
        }
    }
}
