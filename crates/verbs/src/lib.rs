//! TABARI/PETRARCH verb dictionaries (`CAMEO.2.0.txt`, `PETR.Validate.verbs.txt`), imported
//! whole and matched against a sentence's words: which verb codes an event, with which code,
//! and which actor phrase the pattern names as source and target.
//!
//! ```text
//! &TIETYPES                          # a synset: any of these phrases
//! +MILITARY
//! +ECONOMIC
//!
//! --- RESTORE  [064] ---             # a verb block and its default code
//! RESTORE                            # the verb; regular forms are made, irregular ones listed
//! BREAK { BROKE BROKEN }             #   in braces
//! - NOT * RELATIONS  [112]           # a pattern: words before and after the verb (*)
//! - * &TIETYPES TIES [902]           # a synset in a pattern
//! - + WAS_ * TO_ ^ FROM $  [174]     # $ source, + target, % both (a compound), ^ any word,
//! - * WITH % [031]                   #   _ joins words that must be adjacent
//! --- LEFT  [032:033] ---            # a:b — also the reverse event, target to source, coded b
//! --- SCORN [---] ---                # --- : no event unless a pattern codes one
//! ```
//!
//! Every coding names the file and line of the pattern (or verb) that produced it.

mod matching;
mod parse;

pub use matching::{words_of, Clause, Coding, Word};
use sitrep_core::ImportIssue;

/// What a verb, pattern or block codes.
#[derive(Debug, Clone, PartialEq)]
pub enum Code {
    /// `[---]`: no event.
    Nothing,
    /// `[064]`, or `[032:033]`: the event, and the reverse event from target to source.
    Event {
        code: String,
        reverse: Option<String>,
    },
}

/// One slot of a pattern.
#[derive(Debug, Clone, PartialEq)]
enum Slot {
    Verb,
    Word(String),
    Synset(String),
    Source,
    Target,
    /// `%`: a compound actor whose members act on one another.
    Compound,
    /// `^`: any one word.
    AnyWord,
}

/// A slot and whether it must follow the one before it directly (`_`).
#[derive(Debug, Clone, PartialEq)]
struct Element {
    slot: Slot,
    adjacent_to_previous: bool,
}

/// One `- ... [code]` line of a verb block.
#[derive(Debug, Clone)]
struct Pattern {
    elements: Vec<Element>,
    code: Code,
    line: usize,
    text: String,
}

/// A verb form sitrep looks for, and the block it belongs to.
#[derive(Debug, Clone)]
pub struct VerbForm {
    /// Lower-case words: "restored", "wire tapped".
    pub words: Vec<String>,
    pub block: usize,
    /// The verb line's own code, where it overrides the block's.
    code: Option<Code>,
    line: usize,
}

/// A `--- VERB [code] ---` block: its code and its patterns, shared by all its verbs.
#[derive(Debug, Clone)]
struct Block {
    name: String,
    code: Code,
    patterns: Vec<Pattern>,
    line: usize,
}

/// A verb dictionary, possibly merged from several files.
#[derive(Debug, Clone, Default)]
pub struct VerbDictionary {
    blocks: Vec<Block>,
    forms: Vec<VerbForm>,
    /// Synset name (upper case, without `&`) → its phrases, each a list of slots.
    synsets: std::collections::HashMap<String, Vec<Vec<Slot>>>,
    /// The file each block came from, by block index.
    sources: Vec<String>,
}

impl VerbDictionary {
    /// Whether a dictionary file is a verb dictionary: it has `--- VERB [code] ---` blocks.
    pub fn is_verb_dictionary(text: &str) -> bool {
        text.lines().any(|l| {
            let l = l.trim();
            l.starts_with("---") && l.ends_with("---") && l.contains('[')
        })
    }

    /// Imports a verb dictionary; lines it cannot read are returned, with why.
    pub fn from_tabari(source_name: &str, text: &str) -> (Self, Vec<ImportIssue>) {
        parse::import(source_name, text)
    }

    /// Adds another dictionary's blocks; its synsets override same-named ones.
    pub fn extend(&mut self, other: VerbDictionary) {
        let offset = self.blocks.len();
        self.blocks.extend(other.blocks);
        self.sources.extend(other.sources);
        self.forms.extend(other.forms.into_iter().map(|mut f| {
            f.block += offset;
            f
        }));
        self.synsets.extend(other.synsets);
    }

    /// Every verb form, for building a trigger automaton.
    pub fn forms(&self) -> &[VerbForm] {
        &self.forms
    }

    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// The code a form's verb has before any pattern is tried.
    pub fn default_code(&self, form: usize) -> &Code {
        let f = &self.forms[form];
        f.code.as_ref().unwrap_or(&self.blocks[f.block].code)
    }
}
