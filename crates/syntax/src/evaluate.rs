//! Scoring a model on a treebank, two ways: given the gold words, and end to end from each
//! sentence's `# text` through sitrep's own tokeniser (words aligned by characters, as the
//! CoNLL 2018 shared task does).

use crate::conllu::Sentence;
use crate::score::{self, Counts};
use crate::Syntax;
use sitrep_core::Span;
use sitrep_tokens::{analyse, Abbreviations, Layout};

/// A model's counts on one treebank file.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evaluation {
    /// The parser given the gold words.
    pub gold_tokens: Counts,
    /// The parser given each sentence's raw text.
    pub end_to_end: Counts,
}

/// Scores `syntax` on gold sentences. Sentences without `# text` count only with gold tokens.
pub fn evaluate(syntax: &Syntax, gold: &[Sentence]) -> Result<Evaluation, String> {
    let abbreviations = Abbreviations::builtin();
    let mut out = Evaluation::default();
    for sentence in gold {
        let forms: Vec<&str> = sentence.words.iter().map(|w| w.form.as_str()).collect();
        let system = syntax.parse_words(&forms).to_conllu(&forms.join(" "));
        if let Some(system) = system.first() {
            out.gold_tokens += score::gold_tokens(sentence, system)?;
        }
        if let Some(text) = sentence.text() {
            out.end_to_end += end_to_end(syntax, sentence, text, &abbreviations)?;
        }
    }
    Ok(out)
}

/// Tokenises and parses the sentence's text as one sentence, whatever sitrep's splitter would
/// say, since the gold sentence boundary is given.
fn end_to_end(
    syntax: &Syntax,
    gold: &Sentence,
    text: &str,
    abbreviations: &Abbreviations,
) -> Result<Counts, String> {
    let mut layout: Layout = analyse(text, abbreviations);
    layout.sentences = vec![Span {
        start: 0,
        end: text.len(),
    }];
    let parse = syntax.parse(text, &layout);
    let Some(system) = parse.to_conllu(text).into_iter().next() else {
        return score::end_to_end(gold, &Sentence::default(), &[]);
    };
    let spans: Vec<(usize, usize)> = system
        .words
        .iter()
        .map(|w| token_range(&w.misc))
        .collect::<Option<_>>()
        .ok_or("a parsed word lacks its TokenRange")?;
    score::end_to_end(gold, &system, &spans)
}

/// `TokenRange=START:END` from a MISC column.
fn token_range(misc: &str) -> Option<(usize, usize)> {
    let range = misc
        .split('|')
        .find_map(|f| f.strip_prefix("TokenRange="))?;
    let (start, end) = range.split_once(':')?;
    Some((start.parse().ok()?, end.parse().ok()?))
}
