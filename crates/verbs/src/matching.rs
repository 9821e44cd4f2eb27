//! Matching a verb's patterns against the words around it.

use crate::{Code, Element, Pattern, Slot, VerbDictionary};
use sitrep_core::Span;

/// Synsets may name synsets; this deep and no deeper.
const SYNSET_DEPTH: usize = 4;

/// A word of a sentence, lower-cased, with where it is in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    pub span: Span,
}

/// The words of `text[span]` as TABARI patterns see them: runs of letters, digits and the
/// marks inside words (`-`, `'`, `&`, `.`), with the Treebank's `n't` split off ("did n't");
/// each other mark is a word of its own, so that a comma breaks adjacency.
pub fn words_of(text: &str, span: Span) -> Vec<Word> {
    let mut words = Vec::new();
    let mut push = |start: usize, end: usize| {
        let raw = &text[start..end];
        let lower = raw.to_lowercase();
        if lower.len() > 3 && lower.ends_with("n't") {
            let cut = end - 3;
            words.push(Word {
                text: text[start..cut].to_lowercase(),
                span: Span { start, end: cut },
            });
            words.push(Word {
                text: "n't".into(),
                span: Span { start: cut, end },
            });
        } else {
            words.push(Word {
                text: lower,
                span: Span { start, end },
            });
        }
    };
    let in_word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '\'' | '’' | '&');
    let mut start: Option<usize> = None;
    let slice = &text[span.start..span.end];
    for (i, c) in slice.char_indices() {
        let at = span.start + i;
        if in_word(c) || c == '.' && start.is_some() && next_is_alphanumeric(slice, i) {
            start.get_or_insert(at);
            continue;
        }
        if let Some(s) = start.take() {
            push(s, at);
        }
        if !c.is_whitespace() {
            push(at, at + c.len_utf8());
        }
    }
    if let Some(s) = start {
        push(s, span.end);
    }
    words
}

fn next_is_alphanumeric(slice: &str, i: usize) -> bool {
    slice[i + 1..]
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric)
}

/// A verb in its sentence: the words, where the verb is, and the actor phrases.
#[derive(Debug, Clone, Copy)]
pub struct Clause<'a> {
    pub words: &'a [Word],
    /// The verb's words, as a word range [start, end).
    pub verb: (usize, usize),
    /// Actor phrases as word ranges, in order; a compound ("Gondor and Osgiliath") is one.
    pub actors: &'a [(usize, usize)],
}

/// What the dictionary makes of a verb in its sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Coding {
    pub code: String,
    /// The code of the reverse event, from target to source (`[032:033]`).
    pub reverse: Option<String>,
    /// The actor phrases (indices into [`Clause::actors`]) the pattern names.
    pub source: Option<usize>,
    pub target: Option<usize>,
    pub compound: Option<usize>,
    /// The file and line of the pattern or verb that gave the code, and its text.
    pub rule: String,
}

/// Actor phrases a pattern bound, by slot.
#[derive(Debug, Clone, Copy, Default)]
struct Bindings {
    source: Option<usize>,
    target: Option<usize>,
    compound: Option<usize>,
}

impl VerbDictionary {
    /// Codes the verb form `form` found at `clause.verb`: the longest of its block's patterns
    /// that matches, else the verb's own code. None when the result is `[---]`.
    pub fn code(&self, form: usize, clause: &Clause<'_>) -> Option<Coding> {
        let verb_form = &self.forms[form];
        let block = &self.blocks[verb_form.block];
        let source = &self.sources[verb_form.block];
        let matched = block
            .patterns
            .iter()
            .find_map(|p| self.bind(p, clause).map(|b| (p, b)));
        let (code, bindings, rule) = match matched {
            Some((p, b)) => (&p.code, b, format!("{source}:{} `{}`", p.line, p.text)),
            None => (
                self.default_code(form),
                Bindings::default(),
                format!(
                    "{source}:{} `{}` (block {} at line {})",
                    verb_form.line,
                    verb_form.words.join(" "),
                    block.name,
                    block.line
                ),
            ),
        };
        match code {
            Code::Nothing => None,
            Code::Event { code, reverse } => Some(Coding {
                code: code.clone(),
                reverse: reverse.clone(),
                source: bindings.source,
                target: bindings.target,
                compound: bindings.compound,
                rule,
            }),
        }
    }

    /// Whether a pattern matches around the verb, and what its actor slots bound.
    fn bind(&self, pattern: &Pattern, clause: &Clause<'_>) -> Option<Bindings> {
        let at = pattern.elements.iter().position(|e| e.slot == Slot::Verb)?;
        let verb_joined = |k: usize| {
            pattern
                .elements
                .get(k)
                .is_some_and(|e| e.adjacent_to_previous)
        };
        // After the verb: forwards from its end.
        let after = &pattern.elements[at + 1..];
        let mut bindings = Bindings::default();
        if !self.forwards(
            after,
            clause,
            clause.verb.1,
            clause.words.len(),
            &mut bindings,
        ) {
            return None;
        }
        // Before the verb: backwards from its start, nearest element first. An element is
        // joined to the one after it when that one says so.
        let before: Vec<(&Element, bool)> = (0..at)
            .rev()
            .map(|k| (&pattern.elements[k], verb_joined(k + 1)))
            .collect();
        self.backwards(&before, clause, clause.verb.0, &mut bindings)
            .then_some(bindings)
    }

    /// Matches `elements` in order from word `from` (the first one exactly there if joined).
    fn forwards(
        &self,
        elements: &[Element],
        clause: &Clause<'_>,
        from: usize,
        limit: usize,
        bindings: &mut Bindings,
    ) -> bool {
        let Some((first, rest)) = elements.split_first() else {
            return true;
        };
        let starts = if first.adjacent_to_previous {
            from..(from + 1).min(limit + 1)
        } else {
            from..limit
        };
        for start in starts {
            for (end, bound) in self.spans(&first.slot, clause, start, true) {
                let mut trial = *bindings;
                bind(&mut trial, &first.slot, bound);
                if self.forwards(rest, clause, end, limit, &mut trial) {
                    *bindings = trial;
                    return true;
                }
            }
        }
        false
    }

    /// Matches `elements` (nearest the verb first) leftwards, ending at word `to`; each comes
    /// with whether it must end exactly where the one after it starts.
    fn backwards(
        &self,
        elements: &[(&Element, bool)],
        clause: &Clause<'_>,
        to: usize,
        bindings: &mut Bindings,
    ) -> bool {
        let Some(((first, joined), rest)) = elements.split_first() else {
            return true;
        };
        let ends: Vec<usize> = if *joined {
            vec![to]
        } else {
            (1..=to).rev().collect()
        };
        for end in ends {
            for (start, bound) in self.spans(&first.slot, clause, end, false) {
                let mut trial = *bindings;
                bind(&mut trial, &first.slot, bound);
                if self.backwards(rest, clause, start, &mut trial) {
                    *bindings = trial;
                    return true;
                }
            }
        }
        false
    }

    /// Where a slot standing against word boundary `at` may reach: forwards, the ends of the
    /// spans that start at `at`; backwards, the starts of those that end there. Each with the
    /// actor phrase it binds.
    fn spans(
        &self,
        slot: &Slot,
        clause: &Clause<'_>,
        at: usize,
        forwards: bool,
    ) -> Vec<(usize, Option<usize>)> {
        let words = clause.words;
        match slot {
            Slot::Source | Slot::Target | Slot::Compound => clause
                .actors
                .iter()
                .enumerate()
                .filter(|(_, a)| if forwards { a.0 == at } else { a.1 == at })
                .map(|(i, a)| (if forwards { a.1 } else { a.0 }, Some(i)))
                .collect(),
            _ => self
                .phrases(slot, 0)
                .into_iter()
                .filter_map(|phrase| {
                    let (from, to) = if forwards {
                        (at, at + phrase.len())
                    } else {
                        (at.checked_sub(phrase.len())?, at)
                    };
                    let fits = to <= words.len()
                        && phrase
                            .iter()
                            .zip(&words[from..to])
                            .all(|(p, w)| p.as_deref().is_none_or(|p| p == w.text));
                    fits.then_some((if forwards { to } else { from }, None))
                })
                .collect(),
        }
    }

    /// The word sequences a slot stands for (None: any word).
    fn phrases(&self, slot: &Slot, depth: usize) -> Vec<Vec<Option<String>>> {
        match slot {
            Slot::Word(w) => vec![vec![Some(w.clone())]],
            Slot::AnyWord => vec![vec![None]],
            Slot::Synset(name) if depth < SYNSET_DEPTH => self
                .synsets
                .get(name)
                .into_iter()
                .flatten()
                .flat_map(|members| {
                    // Each member is a phrase of slots, each of which may itself be a synset.
                    members.iter().fold(vec![Vec::new()], |acc, slot| {
                        let options = self.phrases(slot, depth + 1);
                        acc.iter()
                            .flat_map(|prefix| {
                                options.iter().map(move |o| {
                                    let mut p: Vec<Option<String>> = prefix.clone();
                                    p.extend(o.iter().cloned());
                                    p
                                })
                            })
                            .collect()
                    })
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

fn bind(bindings: &mut Bindings, slot: &Slot, actor: Option<usize>) {
    match slot {
        Slot::Source => bindings.source = actor,
        Slot::Target => bindings.target = actor,
        Slot::Compound => bindings.compound = actor,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DICTIONARY: &str = "\
&TIETYPES
+MILITARY
+ECONOMIC
&NEGATVAUXVRB
+DID N'T
+WILL NOT

--- ABANDON  [345]  ---
ABANDON
- * &TIETYPES TIES [902]
- * DIPLOMATIC TIES [901]
--- CLASH [121] ---
CLASH
- &NEGATVAUXVRB * [904]
--- CRITICIZE [121] ---
CRITICIZE
- + WAS_ * BY $ [122]
--- SCORN [---] ---
SCORN
- * PROPOSAL [111]
";

    /// Codes the first verb form found in `sentence`, with actors at the capitalised words.
    fn code(sentence: &str) -> Option<(String, Option<usize>, Option<usize>)> {
        let (d, issues) = VerbDictionary::from_tabari("v.txt", DICTIONARY);
        assert!(issues.is_empty(), "{issues:?}");
        let words = words_of(
            sentence,
            Span {
                start: 0,
                end: sentence.len(),
            },
        );
        let actors: Vec<(usize, usize)> = words
            .iter()
            .enumerate()
            .filter(|(i, w)| *i > 0 && sentence[w.span.start..].starts_with(char::is_uppercase))
            .map(|(i, _)| (i, i + 1))
            .collect();
        let (form, at) = d.forms().iter().enumerate().find_map(|(f, form)| {
            words
                .iter()
                .position(|w| w.text == form.words[0])
                .map(|at| (f, at))
        })?;
        let clause = Clause {
            words: &words,
            verb: (at, at + 1),
            actors: &actors,
        };
        d.code(form, &clause).map(|c| (c.code, c.source, c.target))
    }

    #[test]
    fn the_longest_matching_pattern_codes_the_verb() {
        let c = |s: &str| code(s).map(|c| c.0);
        assert_eq!(
            c("the Arnor will abandon full military ties with Gondor").as_deref(),
            Some("902")
        );
        assert_eq!(
            c("the Arnor will abandon diplomatic ties with Gondor").as_deref(),
            Some("901")
        );
        assert_eq!(
            c("the Arnor will abandon symbolic ties").as_deref(),
            Some("345")
        );
        assert_eq!(c("the Arnor did n't clash").as_deref(), Some("904"));
        assert_eq!(c("the Arnor didn't clash").as_deref(), Some("904"));
        assert_eq!(
            c("the Arnor clashed").as_deref(),
            Some("121"),
            "no pattern: the verb's code"
        );
        assert_eq!(c("they scorn peace"), None, "[---] codes nothing");
        assert_eq!(c("they scorn the proposal").as_deref(), Some("111"));
    }

    #[test]
    fn actor_slots_bind_the_phrases_where_they_stand() {
        let (code, source, target) =
            code("the Philippines was criticized by Eriador").expect("coded");
        assert_eq!(code, "122");
        assert_eq!((source, target), (Some(1), Some(0)));
        assert_eq!(
            super::tests::code("the Philippines was sharply criticized by Eriador")
                .map(|c| c.0)
                .as_deref(),
            Some("121"),
            "WAS_ * needs the verb right after 'was'"
        );
    }

    #[test]
    fn words_split_marks_and_contractions() {
        let text = "Arnor didn't, U.S. won't.";
        let words: Vec<String> = words_of(
            text,
            Span {
                start: 0,
                end: text.len(),
            },
        )
        .into_iter()
        .map(|w| w.text)
        .collect();
        assert_eq!(
            words,
            ["arnor", "did", "n't", ",", "u.s", ".", "wo", "n't", "."]
        );
    }
}
