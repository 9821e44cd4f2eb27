//! sitrep's syntax layer: for every word of English news, a UPOS and Penn tag, UD features, a
//! lemma, a head and a Universal Dependencies relation, from a model sitrep trains itself on
//! the open UD treebanks (English EWT and GUM's CC BY documents).
//!
//! The pipeline, a stage a module:
//!
//! 1. **Tokens** (`tokenize`): sitrep's tokens ([`sitrep_tokens`]) keep words whole, UD splits
//!    them. The parser sees UD's words: "don't" → do + n't, "Assad's" → Assad + 's, "can't" →
//!    ca + n't, "cannot" → can + not, "gonna" → gon + na, hyphenated words split at the hyphen
//!    ("Britain-based" → Britain - based) unless the treebanks keep such words whole (e-mail,
//!    prefixes like re-, co-, non-), and "Mr" + "." joined back into "Mr.". Every parser word is
//!    a byte span of the article (a clitic's curly apostrophe read as a straight one), so
//!    everything the parse says points back into the text.
//! 2. **Tags** (`tagger`): two greedy averaged-perceptron passes, the second reading the first
//!    pass's tags of the words ahead; one (UPOS, XPOS) class per word.
//! 3. **Tree** (`transition`, `parser`, `beam`): an arc-eager parser with the root at the end of
//!    the buffer, over the feature templates of Zhang and Nivre (2011). Greedy (width 1,
//!    trained move by move with the dynamic oracle of Goldberg and Nivre 2012) or with a beam
//!    (trained on whole sentences by max-violation updates); the model file records its width.
//!    Every sentence comes back one tree by construction: some move is always valid until the
//!    stack empties, and extra roots join the largest.
//! 4. **Lemmas and features** (`morph`): tables and suffix rules learned from the treebanks,
//!    and a list of irregular verbs (`data/irregular_verbs.txt`).
//!
//! Features are hashed (`features`); weights live in a compact table (`weights`) inside one
//! model file (`model`): `data/models/syntax-en.bin`, compiled in, CC BY-SA 4.0 as a work
//! derived from the treebanks (see `data/models/LICENSE-syntax-en.md`), with its training record
//! in `syntax-en.json`. The trainer (`train`, cargo feature `train`) makes the same data and
//! seed into the same bytes; the shipped file was made by an earlier trainer (its record lists
//! what it was made from), before dense rows were scored in 16 bits and before the parser's
//! training tags came from both tagging passes, so today's trainer makes a model of its kind,
//! not its bytes.
//!
//! ```no_run
//! use sitrep_syntax::Syntax;
//! use sitrep_tokens::{analyse, Abbreviations};
//!
//! let text = "The minister said the plan makes no sense.";
//! let parse = Syntax::builtin()?.parse(text, &analyse(text, &Abbreviations::builtin()));
//! let said = parse.toks().find(|t| t.lemma() == "say").unwrap();
//! let speaker = said.children_with("nsubj").next().unwrap();
//! assert_eq!(speaker.form(), "minister");
//! # Ok::<(), sitrep_syntax::model::ModelError>(())
//! ```

// The writing half of the model file (and the learning half of its tables) is used only by the
// trainer; without the `train` feature it is dead here, and still checked in every build that
// trains (the workspace's).
#![cfg_attr(not(feature = "train"), allow(dead_code))]

pub mod conllu;
pub mod evaluate;
pub mod model;
pub mod score;
#[cfg(feature = "train")]
pub mod train;

mod beam;
mod bytes;
mod features;
mod morph;
mod parse;
mod parser;
mod tagger;
mod tokenize;
mod transition;
mod tree;
mod weights;

pub use parse::{Parse, Syntax, Tok, Upos, VerbChain, BUILTIN_MODEL};
