//! Did it happen? sitrep's modes scored on UDS "It Happened" v2 (`../shared/modality/uds-ih2`).
//!
//! Each row of the file is one annotator's judgement of one predicate of an EWT sentence:
//! did the eventuality happen (or is it happening), in the writer's view. The sentences come
//! from the UD 1.2 files beside it, which carry no raw text: sitrep reads each sentence as
//! its words joined the way English is written ("do n't" → "don't", no space before a
//! comma), and the predicate is the word the row points at. sitrep's mode for it maps to
//! happened (occurred, ongoing, alleged) or not (every other mode). Scored per annotation, as
//! the data set's baseline ("always happened") is; a predicate sitrep cannot place counts as
//! a miss.

use crate::EvalError;
use sitrep_core::Span;
use sitrep_syntax::conllu;
use std::collections::HashMap;
use std::path::Path;

/// The judgements file, beside the two CoNLL-U files it points into.
const JUDGEMENTS: &str = "it-happened_eng_ud1.2_07092017.dev-test.tsv";

/// One sentence and its judged predicates.
#[derive(Debug, Clone)]
pub struct Sentence {
    pub text: String,
    pub predicates: Vec<Predicate>,
}

/// A predicate: its word's span in the sentence's text, its lemma, and each annotator's
/// verdict.
#[derive(Debug, Clone)]
pub struct Predicate {
    pub span: Span,
    pub lemma: String,
    pub happened: Vec<bool>,
}

/// The sentences of one split (`dev` or `test`) with their judged predicates, in file order.
pub fn load(folder: &Path, split: &str) -> Result<Vec<Sentence>, EvalError> {
    let path = folder.join(JUDGEMENTS);
    let rows = std::fs::read_to_string(&path).map_err(|e| EvalError::data(&path, e))?;
    let conllu_path = folder.join(format!("en-ud-{split}.conllu"));
    let treebank = conllu::read_path(&conllu_path).map_err(|e| EvalError::data(&conllu_path, e))?;
    let mut sentences: Vec<Sentence> = Vec::new();
    // Sentence number → its place in `sentences` and its words' spans.
    let mut index_of: HashMap<usize, (usize, Vec<Span>)> = HashMap::new();
    for (n, row) in rows.lines().enumerate().skip(1) {
        let bad = |reason: &str| EvalError::data(&path, format!("line {}: {reason}", n + 1));
        let cells: Vec<&str> = row.split('\t').collect();
        if cells.len() < 11 {
            return Err(bad("fewer than 11 columns"));
        }
        let happened = match cells[8] {
            "true" => true,
            "false" => false,
            _ => continue,
        };
        if cells[0] != split {
            continue;
        }
        let (Some(number), Ok(token)) = (
            cells[3]
                .rsplit(' ')
                .next()
                .and_then(|s| s.parse::<usize>().ok()),
            cells[4].parse::<usize>(),
        ) else {
            return Err(bad("no sentence number or token number"));
        };
        let sentence = number
            .checked_sub(1)
            .and_then(|i| treebank.get(i))
            .ok_or_else(|| bad("sentence number beyond the treebank"))?;
        let (k, spans) = index_of.entry(number).or_insert_with(|| {
            let (text, spans) = written(sentence);
            sentences.push(Sentence {
                text,
                predicates: Vec::new(),
            });
            (sentences.len() - 1, spans)
        });
        let k = *k;
        let span = *token
            .checked_sub(1)
            .and_then(|i| spans.get(i))
            .ok_or_else(|| bad("token number beyond the sentence"))?;
        let predicates = &mut sentences[k].predicates;
        match predicates.iter_mut().find(|p| p.span == span) {
            Some(p) => p.happened.push(happened),
            None => predicates.push(Predicate {
                span,
                lemma: cells[5].to_string(),
                happened: vec![happened],
            }),
        }
    }
    if sentences.is_empty() {
        return Err(EvalError::data(&path, format!("no {split} judgements")));
    }
    Ok(sentences)
}

/// Words that attach to the word before them in writing.
const CLITICS: &[&str] = &["n't", "'s", "'re", "'ll", "'ve", "'m", "'d", "’s", "n’t"];

/// A sentence's words as written, and each word's span in that text.
fn written(sentence: &conllu::Sentence) -> (String, Vec<Span>) {
    let mut text = String::new();
    let mut spans = Vec::with_capacity(sentence.words.len());
    let mut glue_next = false;
    for word in &sentence.words {
        let form = word.form.as_str();
        let attaches = CLITICS.contains(&form.to_lowercase().as_str())
            || matches!(form, "," | "." | ":" | ";" | "!" | "?" | ")" | "%" | "''");
        if !text.is_empty() && !attaches && !glue_next {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(form);
        spans.push(Span {
            start,
            end: text.len(),
        });
        glue_next = matches!(form, "(" | "$" | "``");
    }
    (text, spans)
}

/// The tally of one split.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Report {
    pub split: String,
    pub predicates: usize,
    pub annotations: usize,
    /// Annotations whose predicate sitrep placed and judged.
    pub judged: usize,
    pub right: usize,
    /// "Always happened", over the same annotations.
    pub baseline_right: usize,
    /// (gold happened, sitrep happened) → annotations.
    pub confusion: [[usize; 2]; 2],
    /// Per reason sitrep gave (its quoted words left out): annotations judged right, wrong.
    pub by_reason: std::collections::BTreeMap<String, (usize, usize)>,
    /// Predicates sitrep judged against the annotators' majority: the sentence with the
    /// predicate in brackets, and what sitrep said and why.
    pub misses: Vec<String>,
}

/// What a system says of one predicate: whether it happened, and why.
pub type Verdict = Option<(bool, String)>;

/// Scores a system that, given a sentence and its predicates' spans, says of each whether it
/// happened and why (None where it cannot place the predicate).
pub fn evaluate(
    split: &str,
    sentences: &[Sentence],
    system: &dyn Fn(&str, &[Span]) -> Vec<Verdict>,
) -> Report {
    let mut report = Report {
        split: split.to_string(),
        ..Default::default()
    };
    for sentence in sentences {
        let spans: Vec<Span> = sentence.predicates.iter().map(|p| p.span).collect();
        let verdicts = system(&sentence.text, &spans);
        for (p, verdict) in sentence.predicates.iter().zip(verdicts) {
            report.predicates += 1;
            for &gold in &p.happened {
                report.annotations += 1;
                report.baseline_right += gold as usize;
                let Some((said, why)) = &verdict else {
                    continue;
                };
                let said = *said;
                let tally = report.by_reason.entry(reason_kind(why)).or_default();
                if said == gold {
                    tally.0 += 1;
                } else {
                    tally.1 += 1;
                }
                report.judged += 1;
                report.right += (said == gold) as usize;
                report.confusion[gold as usize][said as usize] += 1;
            }
            let majority = 2 * p.happened.iter().filter(|&&h| h).count() > p.happened.len();
            if let Some((said, why)) = verdict.filter(|(said, _)| *said != majority) {
                let t = &sentence.text;
                report.misses.push(format!(
                    "gold {}, sitrep {} ({why}): {}[{}]{}",
                    if majority { "happened" } else { "not" },
                    if said { "happened" } else { "not" },
                    &t[..p.span.start],
                    &t[p.span.start..p.span.end],
                    &t[p.span.end..]
                ));
            }
        }
    }
    report
}

/// A reason without its particulars: quoted words and statement ids left out.
fn reason_kind(why: &str) -> String {
    let unquoted: String = why
        .split('"')
        .enumerate()
        .map(|(i, part)| if i % 2 == 1 { "…" } else { part })
        .collect();
    let cut = unquoted
        .find(" inside ")
        .or_else(|| unquoted.find(" in s"))
        .unwrap_or(unquoted.len());
    unquoted[..cut].to_string()
}

/// The table: accuracy over every annotation (an unplaced predicate is wrong) beside
/// "always happened", and the confusion of happened and not; with `errors`, each split's
/// misjudged predicates.
pub fn render(reports: &[Report], errors: bool) -> String {
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let mut out = String::from(
        "| UDS-IH2 | predicates | annotations | placed | sitrep happened/not | always happened | gold happened: sitrep not | gold not: sitrep happened |\n|---|---|---|---|---|---|---|---|\n",
    );
    for r in reports {
        out.push_str(&format!(
            "| {} | {} | {} | {:.3} | {:.3} | {:.3} | {} | {} |\n",
            r.split,
            r.predicates,
            r.annotations,
            ratio(r.judged, r.annotations),
            ratio(r.right, r.annotations),
            ratio(r.baseline_right, r.annotations),
            r.confusion[1][0],
            r.confusion[0][1],
        ));
    }
    for r in reports.iter().filter(|_| errors) {
        for (reason, (right, wrong)) in &r.by_reason {
            out.push_str(&format!(
                "{} reason {reason}: {right} right, {wrong} wrong\n",
                r.split
            ));
        }
        for miss in &r.misses {
            out.push_str(&format!("{} {miss}\n", r.split));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(forms: &[&str]) -> conllu::Sentence {
        conllu::Sentence {
            words: forms
                .iter()
                .map(|f| conllu::Word {
                    form: f.to_string(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn words_are_written_as_english_is_and_keep_their_spans() {
        let (text, spans) = written(&sentence(&["I", "do", "n't", "know", "(", "yet", ")", "."]));
        assert_eq!(text, "I don't know (yet).");
        assert_eq!(&text[spans[2].start..spans[2].end], "n't");
        assert_eq!(&text[spans[5].start..spans[5].end], "yet");
    }

    #[test]
    fn every_annotation_counts_and_an_unplaced_predicate_is_wrong() {
        let sentences = vec![Sentence {
            text: "They left and may return.".into(),
            predicates: vec![
                Predicate {
                    span: Span { start: 5, end: 9 },
                    lemma: "leave".into(),
                    happened: vec![true, true],
                },
                Predicate {
                    span: Span { start: 18, end: 24 },
                    lemma: "return".into(),
                    happened: vec![false, true],
                },
            ],
        }];
        let r = evaluate("dev", &sentences, &|_, spans| {
            assert_eq!(spans.len(), 2);
            vec![Some((true, "rule".into())), None]
        });
        assert_eq!(
            (r.predicates, r.annotations, r.judged, r.right),
            (2, 4, 2, 2)
        );
        assert_eq!(r.baseline_right, 3);
    }

    #[test]
    fn a_folder_without_the_judgements_is_an_error_naming_the_file() {
        let err = load(Path::new("/nonexistent/uds"), "dev").unwrap_err();
        assert!(err.to_string().contains(JUDGEMENTS), "{err}");
    }
}
