//! Actor dictionaries: who the actors are, by every name the news uses for them.
//!
//! sitrep's own dictionary is data (`data/actors/*.toml`, compiled in); users add their own
//! files, in the same format or in the TABARI/PETRARCH format of the Phoenix dictionaries
//! (detected), and may leave the built-in one out. All names of all actors are matched in one
//! leftmost-longest Aho-Corasick pass over the text, whatever the dictionary's size.

mod matcher;
mod model;
mod tabari;

pub use matcher::{ActorMatch, Matcher, NameKind, Named};
pub use model::{Actor, Agent, DatedCode, DatedName, Dictionary, DictionaryError};
pub use sitrep_core::ImportIssue;
