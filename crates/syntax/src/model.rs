//! The model file: what the tagger, parser, lemmatiser and tokeniser learned, in one file.
//!
//! Layout, all little-endian:
//!
//! | bytes | what |
//! |---|---|
//! | 8 | magic `SITREPSX` |
//! | 4 | format version ([`FORMAT_VERSION`], or 2 for a greedy parser) |
//! | 8 | body length |
//! | 16 | xxh3-128 of the body |
//! | … | body: six sections in this order, each a u32 length then its bytes: labels, tagger (first pass), tagger (second pass), parser, morphology, tokens |
//!
//! The loader distrusts every byte: magic, version, length and checksum first, then each
//! section read through checked reads that fail with the section's name.

use crate::bytes::{ByteReader, ByteWriter};
use crate::morph::Morphology;
use crate::tagger::Tagger;
use crate::tokenize::TokenRules;
use crate::weights::Weights;
use xxhash_rust::xxh3::xxh3_128;

const MAGIC: &[u8; 8] = b"SITREPSX";
/// Bumped whenever the layout or the meaning of a feature template changes. Version 3 added
/// the parser's beam width to the labels section; a greedy model (width 1) is still written as
/// version 2, without it, so the models made before the beam load and stay byte for byte.
pub const FORMAT_VERSION: u32 = 3;
const GREEDY_VERSION: u32 = 2;
const HEADER: usize = 8 + 4 + 8 + 16;

/// Why a model file could not be read.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ModelError {
    /// Not a sitrep syntax model at all.
    #[error("not a sitrep syntax model (the file does not start with SITREPSX)")]
    NotAModel,
    /// Written by another version of the format.
    #[error("the model file has format version {found}; this sitrep reads versions {GREEDY_VERSION} and {FORMAT_VERSION}: retrain or use a matching sitrep")]
    Version { found: u32 },
    /// The file is shorter or longer than its header says.
    #[error("the model file's length does not match its header (truncated or padded)")]
    Length,
    /// The body does not match its checksum.
    #[error("the model file is corrupt (its checksum does not match)")]
    Checksum,
    /// A section ends before the values it announces.
    #[error("the model file's {section} section is truncated")]
    Truncated { section: &'static str },
    /// A section's bytes do not decode.
    #[error("the model file's {section} section is invalid: {reason}")]
    Invalid {
        section: &'static str,
        reason: &'static str,
    },
}

/// Everything one trained model holds.
#[derive(Debug)]
pub(crate) struct Model {
    /// (UPOS, XPOS) of each tagger class.
    pub(crate) tags: Vec<(String, String)>,
    pub(crate) relations: Vec<String>,
    pub(crate) root_relation: u16,
    pub(crate) tagger: Tagger<Weights>,
    pub(crate) parser: Weights,
    /// The parser's beam width, the one it was trained with.
    pub(crate) beam: u16,
    pub(crate) morphology: Morphology,
    pub(crate) tokens: TokenRules,
    /// Each tag class's coarse number, derived from `tags`.
    pub(crate) coarse: Vec<u16>,
    /// Which tag classes are closed word classes, derived from `tags`.
    pub(crate) closed: Vec<bool>,
    /// The body's checksum: it names this model (stored layers remember which made them).
    pub(crate) checksum: u128,
}

impl Model {
    /// The file's bytes. The same model always gives the same bytes.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut body = ByteWriter::default();
        let mut section = |write: &dyn Fn(&mut ByteWriter)| {
            let mut s = ByteWriter::default();
            write(&mut s);
            body.len(s.buf.len());
            body.buf.extend_from_slice(&s.buf);
        };
        section(&|s| self.write_labels(s));
        section(&|s| self.tagger.first.write(s));
        section(&|s| self.tagger.second.write(s));
        section(&|s| self.parser.write(s));
        section(&|s| self.morphology.write(s));
        section(&|s| self.tokens.write(s));
        let mut out = ByteWriter::default();
        out.buf.extend_from_slice(MAGIC);
        out.u32(self.format_version());
        out.u64(body.buf.len() as u64);
        out.buf
            .extend_from_slice(&xxh3_128(&body.buf).to_le_bytes());
        out.buf.extend_from_slice(&body.buf);
        out.buf
    }

    fn write_labels(&self, s: &mut ByteWriter) {
        s.len(self.tags.len());
        for (upos, xpos) in &self.tags {
            s.str(upos);
            s.str(xpos);
        }
        s.strs(self.relations.iter().map(String::as_str));
        s.u16(self.root_relation);
        if self.format_version() == FORMAT_VERSION {
            s.u16(self.beam);
        }
    }

    /// The version this model is written as: a greedy one as before the beam.
    pub(crate) fn format_version(&self) -> u32 {
        if self.beam == 1 {
            GREEDY_VERSION
        } else {
            FORMAT_VERSION
        }
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        let (body, checksum, version) = checked_body(bytes)?;
        let mut sections = ByteReader::new(body, "body");
        let mut next = |name: &'static str| -> Result<ByteReader<'_>, ModelError> {
            let len = sections.len(1)?;
            Ok(ByteReader::new(sections.bytes(len)?, name))
        };
        let (tags, relations, root_relation, beam) = read_labels(next("labels")?, version)?;
        let tagger = Tagger {
            first: read_whole(next("tagger")?, Weights::read)?,
            second: read_whole(next("second tagger")?, Weights::read)?,
        };
        let parser = read_whole(next("parser")?, Weights::read)?;
        let morphology = read_whole(next("morphology")?, Morphology::read)?;
        let tokens = read_whole(next("tokens")?, TokenRules::read)?;
        sections.finish()?;
        let model = Model {
            coarse: crate::parser::coarse_classes(&tags),
            closed: crate::parser::closed_classes(&tags),
            tags,
            relations,
            root_relation,
            beam,
            tagger,
            parser,
            morphology,
            tokens,
            checksum,
        };
        model.check_sizes()?;
        Ok(model)
    }

    /// The classifiers must have a class for each tag and each move.
    fn check_sizes(&self) -> Result<(), ModelError> {
        let moves = crate::transition::Move::classes(self.relations.len());
        let tags = self.tags.len();
        if self.tagger.first.classes() != tags
            || self.tagger.second.classes() != tags
            || self.parser.classes() != moves
        {
            return Err(ModelError::Invalid {
                section: "labels",
                reason: "the classifiers' sizes do not match the label tables",
            });
        }
        Ok(())
    }
}

/// The body after checking magic, version, length and checksum; the checksum and the version.
fn checked_body(bytes: &[u8]) -> Result<(&[u8], u128, u32), ModelError> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return Err(ModelError::NotAModel);
    }
    let mut header = ByteReader::new(&bytes[8..HEADER], "header");
    let version = header.u32()?;
    if version != FORMAT_VERSION && version != GREEDY_VERSION {
        return Err(ModelError::Version { found: version });
    }
    let length = header.u64()?;
    let checksum = u128::from_le_bytes(header.bytes(16)?.try_into().expect("16 bytes"));
    let body = &bytes[HEADER..];
    if body.len() as u64 != length {
        return Err(ModelError::Length);
    }
    if xxh3_128(body) != checksum {
        return Err(ModelError::Checksum);
    }
    Ok((body, checksum, version))
}

fn read_whole<'a, T>(
    mut section: ByteReader<'a>,
    read: impl FnOnce(&mut ByteReader<'a>) -> Result<T, ModelError>,
) -> Result<T, ModelError> {
    let value = read(&mut section)?;
    section.finish()?;
    Ok(value)
}

/// Tags, relations, the root relation and the beam width.
type Labels = (Vec<(String, String)>, Vec<String>, u16, u16);

fn read_labels(mut s: ByteReader<'_>, version: u32) -> Result<Labels, ModelError> {
    let n = s.len(8)?;
    let tags = (0..n)
        .map(|_| Ok((s.str()?.to_string(), s.str()?.to_string())))
        .collect::<Result<Vec<_>, ModelError>>()?;
    let relations = s.strs()?;
    let root = s.u16()?;
    let beam = if version == GREEDY_VERSION {
        1
    } else {
        s.u16()?
    };
    s.finish()?;
    if beam == 0 || beam > 64 {
        return Err(ModelError::Invalid {
            section: "labels",
            reason: "the beam width is not between 1 and 64",
        });
    }
    if tags.is_empty() || tags.len() > 256 || root as usize >= relations.len() {
        return Err(ModelError::Invalid {
            section: "labels",
            reason: "tag or relation tables are empty, too large, or lack the root",
        });
    }
    if relations.len() > 127 {
        return Err(ModelError::Invalid {
            section: "labels",
            reason: "more relations than the parser's 256 classes allow",
        });
    }
    Ok((tags, relations, root, beam))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::BUILTIN_MODEL;

    /// The body with a fresh checksum, so damage inside reaches the section readers.
    fn with_body(body: &[u8]) -> Vec<u8> {
        let mut out = ByteWriter::default();
        out.buf.extend_from_slice(MAGIC);
        out.buf.extend_from_slice(&BUILTIN_MODEL[8..12]);
        out.u64(body.len() as u64);
        out.buf.extend_from_slice(&xxh3_128(body).to_le_bytes());
        out.buf.extend_from_slice(body);
        out.buf
    }

    #[test]
    fn the_builtin_model_round_trips_byte_for_byte() {
        let model = Model::from_bytes(BUILTIN_MODEL).unwrap();
        assert!(model.to_bytes() == BUILTIN_MODEL);
    }

    /// A beam's width is kept in the file (version 3); a greedy model is written as before.
    #[test]
    fn a_beam_model_keeps_its_width() {
        let mut model = Model::from_bytes(BUILTIN_MODEL).unwrap();
        assert_eq!(model.beam, 1);
        model.beam = 8;
        let bytes = model.to_bytes();
        assert_eq!(bytes[8..12], FORMAT_VERSION.to_le_bytes());
        let back = Model::from_bytes(&bytes).unwrap();
        assert_eq!(back.beam, 8);
        assert!(back.to_bytes() == bytes);
        model.beam = 1;
        assert!(model.to_bytes() == BUILTIN_MODEL);
    }

    #[test]
    fn damaged_headers_are_named() {
        assert_eq!(Model::from_bytes(b"").unwrap_err(), ModelError::NotAModel);
        assert_eq!(
            Model::from_bytes(&BUILTIN_MODEL[..100]).unwrap_err(),
            ModelError::Length
        );
        let mut v = BUILTIN_MODEL.to_vec();
        v[8] = 99;
        assert_eq!(
            Model::from_bytes(&v).unwrap_err(),
            ModelError::Version { found: 99 }
        );
        let mut v = BUILTIN_MODEL.to_vec();
        let last = v.len() - 1;
        v[last] ^= 1;
        assert_eq!(Model::from_bytes(&v).unwrap_err(), ModelError::Checksum);
    }

    /// Damage behind a valid checksum: every outcome is an error or a model, never a panic.
    #[test]
    fn damaged_sections_are_refused_without_panicking() {
        let body = &BUILTIN_MODEL[HEADER..];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for round in 0..200 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut damaged = body.to_vec();
            match round % 3 {
                0 => damaged.truncate((state as usize) % body.len()),
                1 => {
                    let at = (state as usize) % 4096.min(body.len());
                    damaged[at] ^= (state >> 32) as u8 | 1;
                }
                _ => {
                    let at = (state as usize) % body.len();
                    damaged[at] = damaged[at].wrapping_add(1);
                }
            }
            let _ = Model::from_bytes(&with_body(&damaged));
        }
        assert!(Model::from_bytes(&with_body(&body[..body.len() / 2])).is_err());
    }
}
