//! Tagging and parsing scores as the CoNLL 2018 shared task defines them (`conll18_ud_eval.py`),
//! so sitrep's numbers can be set beside published ones.
//!
//! Scores are counted per sentence into [`Counts`], which add up over a corpus; precision,
//! recall and F1 are computed from the totals. Two ways to pair system words with gold words:
//! [`gold_tokens`] when the system was given the gold words (then F1 is plain accuracy), and
//! [`end_to_end`] when the system tokenised the raw text itself, where words are aligned by
//! their character spans in the sentence's `# text`.
//!
//! As in the shared task: UFeats compares only the universal features (the 2018 list), sorted;
//! a gold lemma `_` matches any system lemma; LAS compares the universal part of the relation
//! (before `:`); a word's head is right when the system head is aligned to the gold head, or
//! both are the root.

use std::collections::BTreeMap;
use std::iter::Sum;
use std::ops::AddAssign;

use crate::conllu::{Sentence, Word};

/// Word counts behind every score: totals, aligned words, and aligned words right per metric.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub gold_words: usize,
    pub system_words: usize,
    /// System words paired with a gold word; the "Words" metric's correct count.
    pub aligned_words: usize,
    pub upos: usize,
    pub xpos: usize,
    /// Universal features only, order-insensitive.
    pub ufeats: usize,
    pub lemma: usize,
    pub uas: usize,
    /// Head and universal relation (the part before `:`).
    pub las: usize,
    /// Head and full relation including its subtype.
    pub las_full: usize,
}

impl Counts {
    /// Adds another sentence's or corpus's counts.
    pub fn merge(&mut self, other: &Counts) {
        self.gold_words += other.gold_words;
        self.system_words += other.system_words;
        self.aligned_words += other.aligned_words;
        self.upos += other.upos;
        self.xpos += other.xpos;
        self.ufeats += other.ufeats;
        self.lemma += other.lemma;
        self.uas += other.uas;
        self.las += other.las;
        self.las_full += other.las_full;
    }

    /// `correct` over the system's words (0 when it has none, as conll18_ud_eval.py).
    pub fn precision(&self, correct: usize) -> f64 {
        ratio(correct, self.system_words)
    }

    /// `correct` over the gold words.
    pub fn recall(&self, correct: usize) -> f64 {
        ratio(correct, self.gold_words)
    }

    /// Harmonic mean of precision and recall; equals accuracy when system and gold words are
    /// the same words.
    pub fn f1(&self, correct: usize) -> f64 {
        ratio(2 * correct, self.gold_words + self.system_words)
    }

    /// `correct` over the aligned words: the tagger's or parser's own accuracy, tokenisation
    /// errors left out (the shared task's "AligndAcc").
    pub fn aligned_accuracy(&self, correct: usize) -> f64 {
        ratio(correct, self.aligned_words)
    }
}

impl AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.merge(&other);
    }
}

impl Sum for Counts {
    fn sum<I: Iterator<Item = Counts>>(iter: I) -> Counts {
        iter.fold(Counts::default(), |mut total, c| {
            total += c;
            total
        })
    }
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

/// Scores a system that was given the gold words: they must be the same words in the same
/// order (same forms), else the error names the sentence and the first difference.
pub fn gold_tokens(gold: &Sentence, system: &Sentence) -> Result<Counts, String> {
    let mismatch = gold
        .words
        .iter()
        .zip(&system.words)
        .position(|(g, s)| g.form != s.form);
    if let Some(i) = mismatch {
        return Err(format!(
            "sentence {}: word {} is '{}' in gold but '{}' in the system output",
            sentence_name(gold),
            i + 1,
            gold.words[i].form,
            system.words[i].form
        ));
    }
    if gold.words.len() != system.words.len() {
        return Err(format!(
            "sentence {}: gold has {} words, the system output {}",
            sentence_name(gold),
            gold.words.len(),
            system.words.len()
        ));
    }
    let pairs: Vec<(usize, usize)> = (0..gold.words.len()).map(|i| (i, i)).collect();
    Ok(count(gold, system, &pairs))
}

/// Scores a system that tokenised the raw text itself. `system_spans[i]` is the character (not
/// byte) span `[start, end)` of system word `i` in the gold sentence's `# text`; give the words
/// of a system multiword token spans the way [`gold_char_spans`] gives gold ones (it can be
/// called on the system sentence when that carries the same `# text`).
///
/// Words are aligned when their spans are identical. Where several words share one span (the
/// parts of a multiword token whose forms do not spell its surface form), the gold and system
/// words of that span are aligned by the longest common subsequence of their lowercased forms,
/// as conll18_ud_eval.py does inside multiword spans. Unlike that script, a multiword token whose
/// parts do spell it is scored word by word through the parts' own spans, which gives the same
/// alignment when the system's parts carry their own spans.
pub fn end_to_end(
    gold: &Sentence,
    system: &Sentence,
    system_spans: &[(usize, usize)],
) -> Result<Counts, String> {
    if system_spans.len() != system.words.len() {
        return Err(format!(
            "sentence {}: {} spans for {} system words",
            sentence_name(gold),
            system_spans.len(),
            system.words.len()
        ));
    }
    let gold_spans = gold_char_spans(gold)?;
    let pairs = align_by_span(gold, &gold_spans, system, system_spans);
    Ok(count(gold, system, &pairs))
}

/// Character spans `[start, end)` of the gold words in the sentence's `# text`.
///
/// Surface tokens (a multiword token, else a word) are found in order: each is searched from
/// where the previous one ended, so whitespace — or any text the tokens leave out — is skipped.
/// The parts of a multiword token each get their own sub-span when their forms spell the
/// surface form (case-insensitively, as `do` + `n't` spell `don't`); otherwise all parts get the
/// surface token's span.
pub fn gold_char_spans(s: &Sentence) -> Result<Vec<(usize, usize)>, String> {
    let text: Vec<char> = s
        .text()
        .ok_or_else(|| format!("sentence {}: no '# text' comment", sentence_name(s)))?
        .chars()
        .collect();
    let mut spans = Vec::with_capacity(s.words.len());
    let mut cursor = 0;
    while spans.len() < s.words.len() {
        let id = spans.len() + 1;
        let (form, parts) = match s.multiword_tokens.iter().find(|m| m.first == id) {
            Some(m) => (m.form.as_str(), multiword_parts(s, id, m.last)?),
            None => (s.words[id - 1].form.as_str(), &s.words[id - 1..id]),
        };
        let span = find_from(&text, cursor, form).ok_or_else(|| {
            format!(
                "sentence {}: '{form}' (word {id}) not found in '# text' after character {cursor}",
                sentence_name(s)
            )
        })?;
        cursor = span.1;
        spans.extend(part_spans(parts, form, span));
    }
    Ok(spans)
}

/// The words `first..=last` of a multiword token, or an error for a range not in the sentence.
fn multiword_parts(s: &Sentence, first: usize, last: usize) -> Result<&[Word], String> {
    s.words
        .get(first - 1..last)
        .filter(|parts| !parts.is_empty())
        .ok_or_else(|| {
            format!(
                "sentence {}: multiword token {first}-{last} is not within its words",
                sentence_name(s)
            )
        })
}

/// The first occurrence of `form` in `text` at or after character `from`.
fn find_from(text: &[char], from: usize, form: &str) -> Option<(usize, usize)> {
    let form: Vec<char> = form.chars().collect();
    if form.is_empty() {
        return None;
    }
    let offset = text
        .get(from..)?
        .windows(form.len())
        .position(|w| w == form.as_slice())?;
    let start = from + offset;
    Some((start, start + form.len()))
}

fn part_spans(parts: &[Word], surface: &str, span: (usize, usize)) -> Vec<(usize, usize)> {
    if !spells(parts, surface) {
        return vec![span; parts.len()];
    }
    let mut start = span.0;
    parts
        .iter()
        .map(|w| {
            let end = start + w.form.chars().count();
            let part = (start, end);
            start = end;
            part
        })
        .collect()
}

/// Whether the parts' forms, concatenated, are the surface form up to case, char for char
/// (so the parts' character counts add up to the surface's).
fn spells(parts: &[Word], surface: &str) -> bool {
    let mut joined = parts.iter().flat_map(|w| w.form.chars());
    let mut surface = surface.chars();
    loop {
        match (joined.next(), surface.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a.to_lowercase().eq(b.to_lowercase()) => {}
            _ => return false,
        }
    }
}

/// Pairs `(gold index, system index)`, sorted by gold index: words with identical spans, and
/// within a span shared by several words, the longest common subsequence of lowercased forms.
fn align_by_span(
    gold: &Sentence,
    gold_spans: &[(usize, usize)],
    system: &Sentence,
    system_spans: &[(usize, usize)],
) -> Vec<(usize, usize)> {
    let mut by_span: BTreeMap<(usize, usize), (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (g, span) in gold_spans.iter().enumerate() {
        by_span.entry(*span).or_default().0.push(g);
    }
    for (s, span) in system_spans.iter().enumerate() {
        if let Some((_, system_words)) = by_span.get_mut(span) {
            system_words.push(s);
        }
    }
    let mut pairs = Vec::new();
    for (gold_words, system_words) in by_span.values() {
        match (gold_words.as_slice(), system_words.as_slice()) {
            ([g], [s]) => pairs.push((*g, *s)),
            (gs, ss) => pairs.extend(
                lcs_pairs(&forms(gold, gs), &forms(system, ss)).map(|(g, s)| (gs[g], ss[s])),
            ),
        }
    }
    pairs.sort_unstable();
    pairs
}

fn forms(s: &Sentence, indices: &[usize]) -> Vec<String> {
    indices
        .iter()
        .map(|&i| s.words[i].form.to_lowercase())
        .collect()
}

/// Index pairs of a longest common subsequence of `a` and `b`.
fn lcs_pairs<'a>(a: &'a [String], b: &'a [String]) -> impl Iterator<Item = (usize, usize)> + 'a {
    // longest[i][j]: LCS length of a[i..] and b[j..].
    let mut longest = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            longest[i][j] = if a[i] == b[j] {
                longest[i + 1][j + 1] + 1
            } else {
                longest[i + 1][j].max(longest[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        while i < a.len() && j < b.len() {
            if a[i] == b[j] {
                (i, j) = (i + 1, j + 1);
                return Some((i - 1, j - 1));
            }
            if longest[i + 1][j] >= longest[i][j + 1] {
                i += 1;
            } else {
                j += 1;
            }
        }
        None
    })
}

/// Counts the aligned pairs' matches; heads are compared through the alignment.
fn count(gold: &Sentence, system: &Sentence, pairs: &[(usize, usize)]) -> Counts {
    let mut system_to_gold = vec![None; system.words.len()];
    for &(g, s) in pairs {
        system_to_gold[s] = Some(g);
    }
    let mut counts = Counts {
        gold_words: gold.words.len(),
        system_words: system.words.len(),
        aligned_words: pairs.len(),
        ..Counts::default()
    };
    for &(g, s) in pairs {
        let (g, s) = (&gold.words[g], &system.words[s]);
        let head = head_matches(g.head, s.head, &system_to_gold);
        let relation = universal_relation(&g.deprel) == universal_relation(&s.deprel);
        counts.upos += usize::from(g.upos == s.upos);
        counts.xpos += usize::from(g.xpos == s.xpos);
        counts.ufeats += usize::from(universal_features(&g.feats) == universal_features(&s.feats));
        counts.lemma += usize::from(g.lemma == "_" || g.lemma == s.lemma);
        counts.uas += usize::from(head);
        counts.las += usize::from(head && relation);
        counts.las_full += usize::from(head && g.deprel == s.deprel);
    }
    counts
}

/// A system head is right when it is the root and so is the gold head, or when it is aligned
/// to the gold head. A system head outside the sentence is simply wrong.
fn head_matches(gold_head: usize, system_head: usize, system_to_gold: &[Option<usize>]) -> bool {
    match (gold_head, system_head) {
        (0, 0) => true,
        (0, _) | (_, 0) => false,
        (g, s) => system_to_gold.get(s - 1).copied().flatten() == Some(g - 1),
    }
}

fn universal_relation(deprel: &str) -> &str {
    deprel.split(':').next().unwrap_or(deprel)
}

/// The universal features of the CoNLL 2018 evaluation, the only ones UFeats compares.
const UNIVERSAL_FEATURES: [&str; 21] = [
    "PronType", "NumType", "Poss", "Reflex", "Foreign", "Abbr", "Gender", "Animacy", "Number",
    "Case", "Definite", "Degree", "VerbForm", "Mood", "Tense", "Aspect", "Voice", "Evident",
    "Polarity", "Person", "Polite",
];

fn universal_features(feats: &str) -> Vec<&str> {
    let mut kept: Vec<&str> = feats
        .split('|')
        .filter(|f| UNIVERSAL_FEATURES.contains(&f.split('=').next().unwrap_or(f)))
        .collect();
    kept.sort_unstable();
    kept
}

fn sentence_name(s: &Sentence) -> &str {
    s.sent_id().unwrap_or("(without sent_id)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu::{self, MultiwordToken};

    /// A word from `form lemma UPOS XPOS feats head deprel`, space-separated.
    fn word(spec: &str) -> Word {
        let f: Vec<&str> = spec.split(' ').collect();
        Word {
            form: f[0].into(),
            lemma: f[1].into(),
            upos: f[2].into(),
            xpos: f[3].into(),
            feats: f[4].into(),
            head: f[5].parse().expect("head"),
            deprel: f[6].into(),
            deps: "_".into(),
            misc: "_".into(),
        }
    }

    fn sentence(text: &str, words: &[&str], multiword_tokens: &[(usize, usize, &str)]) -> Sentence {
        Sentence {
            comments: vec!["sent_id = t1".into(), format!("text = {text}")],
            words: words.iter().map(|w| word(w)).collect(),
            multiword_tokens: multiword_tokens
                .iter()
                .map(|&(first, last, form)| MultiwordToken {
                    first,
                    last,
                    form: form.into(),
                    misc: "_".into(),
                })
                .collect(),
        }
    }

    /// "The ferry crossed the bay." with a subtyped relation on "bay".
    fn ferry() -> Sentence {
        sentence(
            "The ferry crossed the bay.",
            &[
                "The the DET DT Definite=Def|PronType=Art 2 det",
                "ferry ferry NOUN NN Number=Sing 3 nsubj",
                "crossed cross VERB VBD Mood=Ind|Tense=Past|VerbForm=Fin 0 root",
                "the the DET DT Definite=Def|PronType=Art 5 det",
                "bay bay NOUN NN Number=Sing 3 obl:npmod",
                ". . PUNCT . _ 3 punct",
            ],
            &[],
        )
    }

    /// "We don't sail." with don't = do + n't.
    fn sail_gold() -> Sentence {
        sentence(
            "We don't sail.",
            &[
                "We we PRON PRP Case=Nom 4 nsubj",
                "do do AUX VBP Mood=Ind 4 aux",
                "n't not PART RB Polarity=Neg 4 advmod",
                "sail sail VERB VB VerbForm=Inf 0 root",
                ". . PUNCT . _ 4 punct",
            ],
            &[(2, 3, "don't")],
        )
    }

    fn assert_all(c: &Counts, expected: f64) {
        for correct in [
            c.aligned_words,
            c.upos,
            c.xpos,
            c.ufeats,
            c.lemma,
            c.uas,
            c.las,
            c.las_full,
        ] {
            assert_eq!(c.f1(correct), expected, "{c:?}");
        }
    }

    #[test]
    fn a_perfect_system_scores_one_everywhere() {
        let gold = ferry();
        let c = gold_tokens(&gold, &gold).expect("same words");
        assert_all(&c, 1.0);
        assert_eq!(
            (
                c.precision(c.las),
                c.recall(c.las),
                c.aligned_accuracy(c.las)
            ),
            (1.0, 1.0, 1.0)
        );
        let spans = gold_char_spans(&gold).expect("spans");
        assert_eq!(end_to_end(&gold, &gold, &spans), Ok(c));
    }

    #[test]
    fn a_wrong_head_lowers_uas_and_las() {
        let gold = ferry();
        let mut system = gold.clone();
        system.words[4].head = 2;
        let c = gold_tokens(&gold, &system).expect("same words");
        assert_eq!((c.uas, c.las, c.las_full, c.upos), (5, 5, 5, 6));
        assert_eq!(c.f1(c.uas), 5.0 / 6.0);
    }

    #[test]
    fn a_wrong_subtype_lowers_only_las_full() {
        let gold = ferry();
        let mut system = gold.clone();
        system.words[4].deprel = "obl:tmod".into();
        let c = gold_tokens(&gold, &system).expect("same words");
        assert_eq!((c.uas, c.las, c.las_full), (6, 6, 5));
        system.words[4].deprel = "obj".into();
        let c = gold_tokens(&gold, &system).expect("same words");
        assert_eq!((c.uas, c.las, c.las_full), (6, 5, 5));
    }

    #[test]
    fn tags_features_and_lemmas_are_compared_as_in_conll18() {
        let gold = ferry();
        let mut system = gold.clone();
        system.words[0].feats = "PronType=Art|Definite=Def|ExtPos=DET".into(); // reordered, non-universal added
        system.words[1].upos = "PROPN".into();
        system.words[2].xpos = "VBN".into();
        system.words[3].lemma = "The".into();
        let c = gold_tokens(&gold, &system).expect("same words");
        assert_eq!((c.ufeats, c.upos, c.xpos, c.lemma), (6, 5, 5, 5));

        let mut gold = gold;
        gold.words[3].lemma = "_".into();
        assert_eq!(
            gold_tokens(&gold, &system).map(|c| c.lemma),
            Ok(6),
            "a gold lemma _ matches anything"
        );
    }

    #[test]
    fn gold_tokens_requires_the_same_words() {
        let gold = ferry();
        let mut system = gold.clone();
        system.words[2].form = "cross".into();
        let e = gold_tokens(&gold, &system).expect_err("different form");
        assert!(
            e.contains("t1") && e.contains("word 3") && e.contains("'cross'"),
            "{e}"
        );
        system.words.truncate(2);
        let e = gold_tokens(&gold, &system).expect_err("fewer words");
        assert!(e.contains("t1") && e.contains("6 words"), "{e}");
    }

    #[test]
    fn spans_are_in_characters_and_split_spelled_multiword_tokens() {
        assert_eq!(
            gold_char_spans(&sail_gold()),
            Ok(vec![(0, 2), (3, 5), (5, 8), (9, 13), (13, 14)])
        );
        let cafe = sentence(
            "Café au lait",
            &[
                "Café x X X _ 0 root",
                "au x X X _ 1 dep",
                "lait x X X _ 1 dep",
            ],
            &[],
        );
        assert_eq!(gold_char_spans(&cafe), Ok(vec![(0, 4), (5, 7), (8, 12)]));

        let du = sentence(
            "Du pain",
            &[
                "de x X X _ 3 case",
                "le x X X _ 3 det",
                "pain x X X _ 0 root",
            ],
            &[(1, 2, "Du")],
        );
        assert_eq!(
            gold_char_spans(&du),
            Ok(vec![(0, 2), (0, 2), (3, 7)]),
            "unspelled parts share the span"
        );

        let mut missing = ferry();
        missing.words[1].form = "boat".into();
        let e = gold_char_spans(&missing).expect_err("boat is not in the text");
        assert!(e.contains("'boat'") && e.contains("word 2"), "{e}");
        let skipped = sentence("a * b", &["a x X X _ 0 root", "b x X X _ 1 dep"], &[]);
        assert_eq!(
            gold_char_spans(&skipped),
            Ok(vec![(0, 1), (4, 5)]),
            "text the words leave out is skipped"
        );
        let mut no_text = ferry();
        no_text.comments.retain(|c| !c.starts_with("text"));
        assert!(gold_char_spans(&no_text).is_err());
        let mut bad_range = sail_gold();
        bad_range.multiword_tokens[0].last = 9;
        assert!(gold_char_spans(&bad_range).is_err());
    }

    #[test]
    fn an_unsplit_contraction_costs_precision_and_recall() {
        let gold = sail_gold();
        let system = sentence(
            "We don't sail.",
            &[
                "We we PRON PRP Case=Nom 3 nsubj",
                "don't do AUX VBP _ 3 aux",
                "sail sail VERB VB VerbForm=Inf 0 root",
                ". . PUNCT . _ 3 punct",
            ],
            &[],
        );
        let c = end_to_end(&gold, &system, &[(0, 2), (3, 8), (9, 13), (13, 14)]).expect("scores");
        assert_eq!((c.gold_words, c.system_words, c.aligned_words), (5, 4, 3));
        assert_eq!(
            (c.precision(c.aligned_words), c.recall(c.aligned_words)),
            (0.75, 0.6)
        );
        assert_eq!(c.f1(c.aligned_words), 6.0 / 9.0);
        assert_eq!((c.uas, c.las, c.upos), (3, 3, 3));
    }

    #[test]
    fn a_split_contraction_aligns_through_sub_spans() {
        let gold = sail_gold();
        let mut system = gold.clone();
        system.words[2].head = 2; // n't attached to do
        let spans = gold_char_spans(&system).expect("spans");
        let c = end_to_end(&gold, &system, &spans).expect("scores");
        assert_eq!((c.aligned_words, c.uas, c.las), (5, 4, 4));
    }

    #[test]
    fn unspelled_multiword_parts_align_by_form() {
        let gold = sentence(
            "Du pain",
            &[
                "de x X X _ 3 case",
                "le x X X _ 3 det",
                "pain x X X _ 0 root",
            ],
            &[(1, 2, "Du")],
        );
        let split = gold.clone();
        let c = end_to_end(&gold, &split, &[(0, 2), (0, 2), (3, 7)]).expect("scores");
        assert_eq!((c.aligned_words, c.las), (3, 3));
        let unsplit = sentence("Du pain", &["du x X X _ 2 det", "pain x X X _ 0 root"], &[]);
        let c = end_to_end(&gold, &unsplit, &[(0, 2), (3, 7)]).expect("scores");
        assert_eq!(c.aligned_words, 1, "'du' is neither 'de' nor 'le'");
    }

    #[test]
    fn merging_two_gold_words_loses_both_and_the_heads_they_carry() {
        let gold = sentence(
            "Ships reach New York today",
            &[
                "Ships ship NOUN NNS _ 2 nsubj",
                "reach reach VERB VBP _ 0 root",
                "New New PROPN NNP _ 4 compound",
                "York York PROPN NNP _ 2 obj",
                "today today NOUN NN _ 2 obl:tmod",
            ],
            &[],
        );
        let system = sentence(
            "Ships reach New York today",
            &[
                "Ships ship NOUN NNS _ 2 nsubj",
                "reach reach VERB VBP _ 0 root",
                "New_York New_York PROPN NNP _ 2 obj",
                "today today NOUN NN _ 3 nmod",
            ],
            &[],
        );
        let c = end_to_end(&gold, &system, &[(0, 5), (6, 11), (12, 20), (21, 26)]).expect("scores");
        assert_eq!((c.gold_words, c.system_words, c.aligned_words), (5, 4, 3));
        // "today" hangs on the merged word, which is aligned to nothing: its head is wrong.
        assert_eq!((c.uas, c.las), (2, 2));
        assert_eq!(c.precision(c.uas), 0.5);
        assert_eq!(c.recall(c.uas), 0.4);
    }

    #[test]
    fn bad_system_input_is_an_error_or_simply_wrong_never_a_panic() {
        let gold = ferry();
        assert!(end_to_end(&gold, &gold, &[(0, 3)]).is_err());
        let mut system = gold.clone();
        system.words[0].head = 99;
        let spans = gold_char_spans(&gold).expect("spans");
        let c = end_to_end(
            &gold,
            &system,
            &[(7, 0), (999, 1000), spans[2], spans[3], spans[4], spans[5]],
        )
        .expect("scores");
        assert_eq!((c.aligned_words, c.uas), (4, 4));
    }

    #[test]
    fn counts_add_up() {
        let one = Counts {
            gold_words: 2,
            system_words: 3,
            aligned_words: 2,
            las: 1,
            ..Counts::default()
        };
        let mut total = Counts::default();
        total += one;
        total.merge(&one);
        assert_eq!(total, [one, one].into_iter().sum());
        assert_eq!((total.gold_words, total.system_words, total.las), (4, 6, 2));
        assert_eq!(total.f1(total.las), 0.4);
        assert_eq!(Counts::default().f1(0), 0.0);
        assert_eq!(Counts::default().precision(0), 0.0);
    }

    #[test]
    fn every_shared_treebank_sentence_has_spans_and_scores_perfectly_against_itself() {
        let Some(files) = conllu::testdata::treebank_files() else {
            return;
        };
        let mut total = Counts::default();
        for path in &files {
            for s in conllu::read_path(path).unwrap_or_else(|e| panic!("{e}")) {
                let spans =
                    gold_char_spans(&s).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let text: Vec<char> = s.text().unwrap_or_default().chars().collect();
                for (w, &(start, end)) in s.words.iter().zip(&spans) {
                    let covered: String = text[start..end].iter().collect();
                    assert_eq!(
                        covered.to_lowercase(),
                        w.form.to_lowercase(),
                        "{}",
                        path.display()
                    );
                }
                total += end_to_end(&s, &s, &spans).unwrap_or_else(|e| panic!("{e}"));
            }
        }
        assert_eq!(
            total.f1(total.las_full),
            if total.gold_words > 0 { 1.0 } else { 0.0 }
        );
        assert_eq!(total.aligned_words, total.gold_words);
    }
}
