//! sitrep's document model, with no I/O.
//!
//! An [`Article`] holds the immutable, normalised text of one report; everything sitrep
//! learns about it lives in layers of byte spans over that text ([`Mention`], [`Statement`],
//! [`Event`]) bundled in a [`Document`]. The serde forms of these types *are* the JSON
//! contract of DESIGN.md §3: fields may be added, never renamed or dropped.

mod date;
pub mod dictionary_file;
pub mod geo;
mod model;
pub mod text;

pub use date::{DateBasis, DateError, DatePrecision, PartialDate, Published};
pub use dictionary_file::ImportIssue;
pub use model::{
    Article, Document, DuplicateLink, Entity, Event, Mention, Sighting, Span, Statement,
};
