//! Statements read from the parse: a speech cue (a verb of `data/cues.toml`) with its source,
//! the cue's subject, and its content, the clause it governs ("The minister said the plan
//! makes no sense": nsubj and ccomp of "said") or the clause it is set into ("“It makes no
//! sense,” Clinton said": "said" hangs from the quotation's verb as parataxis). A participle
//! cue without a subject ("…, adding that …") speaks for the subject of the verb it hangs from.
//! Each statement names the syntactic path that made it.

use crate::entities::Draft;
use crate::event_syntax::{is_negative, to_infinitive};
use crate::resources::{Cue, Resources};
use crate::statements::{is_speech, speaker_in, trim_stop, DraftStatement};
use sitrep_core::Span;
use sitrep_syntax::{Parse, Tok, Upos};

/// The statements of one sentence whose cues the parse can place; the rest is left to the
/// word patterns.
pub(crate) fn from_parse(
    draft: &Draft<'_>,
    parse: &Parse,
    resources: &Resources,
    sentence: Span,
    out: &mut Vec<DraftStatement>,
) {
    for cue in words_in(parse, sentence) {
        // A cue the tagger took for a noun is still the predicate when it has a subject
        // ("The authority plans to close …").
        let mut predicate = cue.upos() == Upos::Verb || cue.children_with("nsubj").next().is_some();
        if cue.upos() == Upos::Noun && !predicate {
            let found = out.len();
            if let Some(entry) = resources.cue_noun(cue.form()) {
                out.extend(nominal(draft, cue, entry));
            }
            // "…, police allege.", "…, local media report.": a verb's form the tagger took for
            // a noun after its subject still closes the sentence as a cue.
            predicate = out.len() == found
                && resources.cue(cue.form()).is_some()
                && closing_the_sentence(draft, parse, resources, cue, sentence).is_some();
        }
        let Some(entry) = cue_entry(resources, cue) else {
            continue;
        };
        // "Police did not disclose the type of gun", "didn't say why", "not knowing it was
        // stolen": nothing was said or held. (Some beliefs denied are still held: "I don't
        // think it is over".)
        if !predicate || says_nothing(cue, entry, resources) {
            continue;
        }
        // A cue inside a quotation is the speaker's own report or thought ("“I think the plan
        // will fail,” she said"): a statement nested in hers, its content the clause alone.
        let nested = quotation_holding(draft, cue.span()).is_some();
        let inverted = inverted_after_clause(draft, parse, resources, cue, sentence)
            .or_else(|| closing_the_sentence(draft, parse, resources, cue, sentence));
        let Some((source, source_path)) = inverted
            .map(|found| (Some(found.head), found.path))
            .or_else(|| described_by_participle(draft, resources, cue))
            .or_else(|| {
                speaker_before_its_comma(resources, cue)
                    .map(|s| (Some(s), "nsubj of the cue before its comma"))
            })
            .or_else(|| source_of(cue, &entry.kind))
            .or_else(|| buried_source(parse, cue))
        else {
            continue;
        };
        // "That" or "which" is no speaker: it stands for its noun, or the parser took a "that" of
        // the clause for one ("… and know that we can open"). ("Who" after a participle is
        // left to `subject_of_head`.)
        let pointing = |s: Tok<'_>| {
            s.form().eq_ignore_ascii_case("that") || s.form().eq_ignore_ascii_case("which")
        };
        let source = match source.map(|s| (s, pointing(s))) {
            Some((s, true)) => match antecedent(s) {
                Some(noun) => Some(noun),
                None => continue,
            },
            _ => source,
        };
        let Some((content, content_path)) = inverted
            .map(|found| (found.content, "the clause beside them"))
            .or_else(|| content_of(draft, cue, source, entry))
            .or_else(|| clause_after(draft, cue))
            .or_else(|| quotation_beside(draft, cue, source))
        else {
            continue;
        };
        // A long name the parser split ("…, the Syrian Observatory for Human Rights said"), or a
        // source it hung inside what was said, must not leave its words in the content.
        let source_start = source.map(|s| {
            let name = named_by_head(draft, s).map_or(usize::MAX, |(_, name)| name.start);
            name.min(noun_phrase(s).start)
        });
        let content = match source_start.filter(|_| inverted.is_none()) {
            Some(start) if content.start < start && start < content.end => trim_punctuation(
                draft,
                Span {
                    start: content.start,
                    end: start,
                },
            ),
            _ => content,
        };
        // The inverted subject's words are the whole phrase after the cue ("said Senate
        // Majority Leader Chuck Schumer"), however the parser split it.
        let speaker = source
            .and_then(|s| speaker_of(draft, s))
            .or_else(|| inverted.and_then(|found| speaker_in(draft, found.phrase).map(|(e, _)| e)));
        let speaker_text = source.map(|s| {
            let span = inverted.map_or_else(|| speaker_phrase(draft, s), |found| found.phrase);
            draft.text[span.start..span.end].to_string()
        });
        let content = trim_punctuation(draft, after_according_phrase(parse, content));
        // A quotation is said whole, though it runs over sentences the cue is not in.
        let quotation = quotation_holding(draft, content).filter(|_| !nested);
        let content = match quotation {
            Some(q) if q.span.end <= cue.span().start => Span {
                start: q.inner.start,
                end: resumed_quotation(draft, cue).unwrap_or(q.inner.end),
            },
            Some(q) => q.inner,
            None => content,
        };
        out.push(DraftStatement {
            content,
            speaker,
            speaker_text,
            cue: cue.form().to_lowercase(),
            form: if quotation.is_some() {
                "direct_quote"
            } else {
                "indirect"
            },
            date: None,
            kind: entry.kind.clone(),
            tags: Vec::new(),
            cited: Vec::new(),
            cue_span: cue.span(),
            rule: format!(
                "syntax: {source_path} of {} → {content_path}{}",
                cue.form(),
                entry.credit()
            ),
        });
    }
}

/// "According to the army, the town fell", "The rate hit a record, according to the Centre
/// for Monitoring Indian Economy, a think tank": the noun "according to" marks is the source,
/// and the sentence's clause, less the phrase, is what it says (wherever the parser hung the
/// phrase, it covers the clause it opens or closes). Under a speech cue it covers the
/// complement it sits in, a statement nested in the cue's (see [`clause_below_a_cue`]).
pub(crate) fn according_to(
    draft: &Draft<'_>,
    parse: &Parse,
    resources: &Resources,
    sentence: Span,
    out: &mut Vec<DraftStatement>,
) {
    for according in words_in(parse, sentence) {
        let marks_source = according.form().eq_ignore_ascii_case("according")
            && according.base_rel() == "case"
            && according.children_with("fixed").any(|t| t.lemma() == "to");
        let Some(source) = according.head().filter(|_| marks_source) else {
            continue;
        };
        // "…, according to an agreement with Washington": followed, not said (a name that
        // holds such a word, "the Order of Malta", is a source).
        if source.upos() == Upos::Noun
            && resources
                .according_to_norms
                .iter()
                .any(|n| source.lemma().eq_ignore_ascii_case(n))
        {
            continue;
        }
        let phrase = source.subtree_span();
        let Some(clause) = source
            .head()
            .and_then(|h| clause_below_a_cue(resources, h, phrase))
        else {
            continue;
        };
        let whole = clause.subtree_span();
        let words_after = clause
            .subtree_words()
            .any(|w| w.span().start >= phrase.end && w.upos() != Upos::Punct);
        // Opening the clause, after no more than its mark ("that, according to …, …").
        let opens = clause
            .subtree_words()
            .take_while(|w| w.span().start < phrase.start)
            .all(|w| w.upos() == Upos::Punct || w.base_rel() == "mark");
        let content = if opens {
            Span {
                start: phrase.end,
                end: whole.end,
            }
        } else if !words_after {
            Span {
                start: whole.start,
                end: phrase.start,
            }
        } else {
            whole
        };
        let content = trim_punctuation(draft, content);
        if content.end <= content.start {
            continue;
        }
        let source_span = noun_phrase(source);
        out.push(DraftStatement::according_to(
            content,
            speaker_of(draft, source),
            draft.text[source_span.start..source_span.end].to_string(),
            according.span(),
            format!(
                "syntax: obl \"according to\" of {:?} → its clause",
                clause.form()
            ),
        ));
    }
}

/// The clause an "according to" phrase (`phrase`, hung on `verb`) covers: the sentence's,
/// unless a speech cue governs the sentence; or, where the phrase opens a complement of a cue
/// ("The spokesman said that, according to the army, the town had fallen": the army says the
/// town fell, and the spokesman says so too), that complement. One that closes a sentence
/// ("…, after callers said a man was armed, according to the police chief") covers it all.
fn clause_below_a_cue<'p>(resources: &Resources, verb: Tok<'p>, phrase: Span) -> Option<Tok<'p>> {
    let is_cue = |w: Tok<'_>| cue_entry(resources, w).is_some();
    let mut clause = verb;
    while let Some(head) = clause.head().filter(|h| !is_cue(*h)) {
        clause = head;
    }
    // Hung on the cue itself: its complement, when the phrase comes before it.
    if is_cue(clause) {
        clause = clause
            .children()
            .find(|c| c.base_rel() == "ccomp" && c.subtree_span().end > phrase.end)?;
    }
    let opens_a_complement = clause.base_rel() == "ccomp"
        && clause.head().is_some_and(is_cue)
        && clause
            .subtree_words()
            .any(|w| w.span().start >= phrase.end && w.upos() != Upos::Punct);
    if opens_a_complement {
        return Some(clause);
    }
    let root = sentence_root(verb);
    (!is_cue(root)).then_some(root)
}

/// "He said that, according to the army, the town fell": what the cue reports starts after
/// the phrase that names its own source, which is a statement of its own.
fn after_according_phrase(parse: &Parse, content: Span) -> Span {
    let phrase_end = words_in(parse, content)
        .take_while(|w| w.upos() == Upos::Punct || w.form().eq_ignore_ascii_case("according"))
        .find(|w| w.form().eq_ignore_ascii_case("according"))
        .and_then(|according| according.head())
        .map(|source| source.subtree_span().end);
    match phrase_end {
        Some(end) if end < content.end => Span {
            start: end,
            end: content.end,
        },
        _ => content,
    }
}

/// A statement cued by a noun: "the ministry's claim that the convoy was attacked", "a warning
/// by the army that …": the possessor (or "by"/"from") is the source, the "that" clause the
/// content. With no source named ("reeling from allegations that …") the source is implicit:
/// the statement is still someone's, never the outlet's. A noun of intention or promise takes
/// its "to" clause ("Modi's pledge to create jobs"), and then only with its source named.
fn nominal(
    draft: &Draft<'_>,
    cue: Tok<'_>,
    entry: &crate::resources::Cue,
) -> Option<DraftStatement> {
    // The noun's own clause; or, where the parser hung "allegations that the firm …" from the
    // verb (as whatever relation), the clause whose mark follows the noun at once — also when
    // it made the noun that clause's subject ("Facebook's acknowledgement that most … had …").
    let clause_after = |mark: &str| {
        let marked = |c: &Tok<'_>, adjacent: bool| {
            c.children().any(|m| {
                m.rel() == "mark"
                    && m.lemma().eq_ignore_ascii_case(mark)
                    && (!adjacent || m.index() == cue.index() + 1)
            })
        };
        let own = cue
            .children()
            .filter(|c| matches!(c.base_rel(), "acl" | "ccomp") && c.index() > cue.index())
            .find(|c| marked(c, false));
        own.or_else(|| {
            let head = cue.head()?;
            let hung_beside = head
                .children()
                .filter(|c| c.index() > cue.index())
                .find(|c| marked(c, true));
            hung_beside
                .or_else(|| (head.index() > cue.index() && marked(&head, true)).then_some(head))
        })
    };
    let source = cue
        .children()
        .find(|c| c.rel() == "nmod:poss")
        .map(|s| (s, "nmod:poss"))
        .or_else(|| {
            cue.children()
                .filter(|c| c.base_rel() == "nmod")
                .find(|c| {
                    c.children_with("case")
                        .any(|p| matches!(p.lemma(), "by" | "from"))
                })
                .map(|s| (s, "nmod by"))
        });
    let (content, how) = match clause_after("that") {
        Some(clause) => (clause_words(draft, clause), "acl that"),
        None if source.is_some() && WILLED.contains(&entry.kind.as_str()) => {
            (clause_words(draft, clause_after("to")?), "acl to")
        }
        None if entry.nouns_say_of => (what_of_says(cue)?, "nmod of"),
        None => return None,
    };
    let content = trim_punctuation(draft, content);
    let source_span = source.map(|(s, _)| noun_phrase(s));
    Some(DraftStatement {
        content,
        speaker: source.and_then(|(s, _)| speaker_of(draft, s)),
        speaker_text: source_span.map(|span| draft.text[span.start..span.end].to_string()),
        cue: cue.form().to_lowercase(),
        form: "indirect",
        date: None,
        kind: entry.kind.clone(),
        tags: Vec::new(),
        cited: Vec::new(),
        cue_span: cue.span(),
        rule: format!(
            "syntax: {} of {} → {how}{}",
            source.map_or("no source", |(_, path)| path),
            cue.form(),
            entry.credit()
        ),
    })
}

/// A clause's words after its mark.
fn clause_words(draft: &Draft<'_>, clause: Tok<'_>) -> Span {
    Span {
        start: after_its_mark(draft, clause),
        end: clause.subtree_span().end,
    }
}

/// "reports of a man threatening people with a gun": the "of" phrase after a noun cue, when a
/// verb in it makes it an act reported ("the report of the commission" names its author).
fn what_of_says(cue: Tok<'_>) -> Option<Span> {
    let phrase = cue.children().find(|c| {
        c.base_rel() == "nmod"
            && c.index() > cue.index()
            && c.children_with("case").any(|p| p.lemma() == "of")
    })?;
    let words = phrase.subtree_span();
    let of_end = phrase
        .children_with("case")
        .map(|p| p.span().end)
        .max()
        .unwrap_or(words.start);
    phrase
        .subtree_words()
        .any(|w| w.upos() == Upos::Verb)
        .then_some(Span {
            start: of_end,
            end: words.end,
        })
}

/// A subject's words less what is set beside it: "Major General Oleg Yegorov, the deputy head
/// of …, said" names "Major General Oleg Yegorov" (appositions, relative clauses and the commas
/// around them are left out; "a spokesman for the coalition" is kept whole).
pub(crate) fn noun_phrase(subject: Tok<'_>) -> Span {
    // What follows the phrase: an aside, the day it spoke ("The ministry on Thursday"), or a
    // lone adverb of when the parser hung on it ("officials last said").
    let aside = |c: &Tok<'_>| {
        c.index() > subject.index()
            && (matches!(
                c.base_rel(),
                "appos" | "list" | "acl" | "punct" | "parataxis" | "dep" | "case"
            ) || crate::times::is_time_word(c.form())
                || (matches!(c.base_rel(), "amod" | "advmod")
                    && matches!(c.upos(), Upos::Adj | Upos::Adv)
                    && c.children().next().is_none()))
    };
    let end = subject
        .children()
        .filter(|c| c.index() > subject.index())
        .take_while(|c| !aside(c))
        .map(|c| c.subtree_span().end)
        .fold(subject.span().end, usize::max);
    // Its first word: not a comma, quotation mark or preposition hung before it ("by a
    // surveyor who said").
    let start = subject
        .children()
        .filter(|c| c.index() < subject.index() && !matches!(c.base_rel(), "punct" | "case"))
        .map(|c| c.subtree_span().start)
        .fold(subject.span().start, usize::min);
    // Nor a quotation's closing mark the parser gave a word before it ("…,” spokesman Nabil
    // Abdallah said").
    let start = subject
        .subtree_words()
        .find(|w| w.span().start >= start && w.upos() != Upos::Punct)
        .map_or(start, |w| w.span().start);
    Span { start, end }
}

/// The words naming a source: its noun phrase, and where that names no person but a title
/// or an office, the name set beside it ("MINISTER of Defense, Brigadier General Mansur
/// Dan-Ali, has said": the minister is Dan-Ali).
fn speaker_phrase(draft: &Draft<'_>, source: Tok<'_>) -> Span {
    // A phrase the parser cut inside a name ("Human Rights" of "the Syrian Observatory for
    // Human Rights") is the whole name.
    let phrase = draft
        .mentions
        .iter()
        .filter(|m| m.entity.is_some() && m.kind != "time" && within(source.span(), m.span))
        .fold(noun_phrase(source), |p, m| Span {
            start: p.start.min(m.span.start),
            end: p.end.max(m.span.end),
        });
    // Its head a person's name; a person it only belongs to ("Trump's top economic adviser,
    // Larry Kudlow") leaves the name beside it wanted.
    let names_a_person = draft
        .mentions
        .iter()
        .any(|m| m.kind == "person" && within(source.span(), m.span));
    // The names set beside it, as one span ("Brigadier General" and "Mansur Dan-Ali" the
    // parser may make two).
    let name_beside = source
        .children()
        .filter(|c| c.base_rel() == "appos" && c.index() > source.index())
        .filter(|c| c.upos() == Upos::Propn)
        .map(noun_phrase)
        .reduce(|a, b| Span {
            start: a.start.min(b.start),
            end: a.end.max(b.end),
        });
    // A short name straight after the phrase and its comma, not a long aside, nor a place
    // ("The mayor of the city, Kharkiv, said").
    let place = |name: &Span| {
        draft
            .mentions
            .iter()
            .any(|m| m.kind == "place" && within(m.span, *name))
    };
    let name = name_beside.filter(|name| !place(name)).filter(|name| {
        let gap = &draft.text[phrase.end.min(name.start)..name.start];
        gap.trim_matches([' ', ',']).is_empty()
            && draft.text[name.start..name.end].split_whitespace().count() <= 6
    });
    match name {
        Some(name) if !names_a_person && source.upos() != Upos::Pron => Span {
            start: phrase.start,
            end: name.end,
        },
        _ => phrase,
    }
}

/// The entity a source names: the name holding its head word, else a name in its phrase or
/// its whole subtree, else a pronoun's referent.
fn speaker_of(draft: &Draft<'_>, source: Tok<'_>) -> Option<usize> {
    named_by_head(draft, source)
        .map(|(e, _)| e)
        .or_else(|| speaker_in(draft, speaker_phrase(draft, source)).map(|(e, _)| e))
        .or_else(|| speaker_in(draft, described_part(source)).map(|(e, _)| e))
        .or_else(|| pronoun_referent(draft, source))
}

/// A source's subtree up to the first clause that describes it ("leaflets claiming that the
/// rebels fled": "leaflets"), which may name others.
fn described_part(source: Tok<'_>) -> Span {
    let whole = source.subtree_span();
    let clause = source
        .children()
        .filter(|c| c.index() > source.index() && c.base_rel() == "acl")
        .map(|c| c.subtree_span().start)
        .min();
    Span {
        start: whole.start,
        end: clause.map_or(whole.end, |start| start.max(source.span().end)),
    }
}

/// The entity of the longest mention that holds the subject's head word: "the Syrian Ministry
/// of Defence", not the "Syrian" inside it.
fn named_by_head(draft: &Draft<'_>, subject: Tok<'_>) -> Option<(usize, Span)> {
    let head = subject.span();
    let phrase_end = subject.subtree_span().end;
    // "Dutch Foreign Minister Pieter Smit said", parsed with "Dutch" at the head: a country's
    // adjective before more of the name is no speaker; "the Dutch said" is.
    let adjective =
        |m: &crate::entities::DraftMention| m.rule.contains("(demonym:") && phrase_end > m.span.end;
    draft
        .mentions
        .iter()
        .filter(|m| m.kind != "time" && m.span.start <= head.start && head.end <= m.span.end)
        .filter(|m| !adjective(m))
        .filter_map(|m| Some((m.span, m.entity?)))
        .max_by_key(|(span, _)| span.end - span.start)
        .map(|(span, e)| (draft.resolve(e), span))
}

/// Whether `span` lies inside `outer`.
pub(crate) fn within(span: Span, outer: Span) -> bool {
    outer.start <= span.start && span.end <= outer.end
}

/// The parse's words inside `span`, found by halving: the words are in text order.
pub(crate) fn words_in(parse: &Parse, span: Span) -> impl Iterator<Item = Tok<'_>> {
    let (mut low, mut high) = (0, parse.len());
    while low < high {
        let middle = (low + high) / 2;
        if parse.tok(middle).span().start < span.start {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    (low..parse.len())
        .map(|i| parse.tok(i))
        .take_while(move |t| t.span().end <= span.end)
}

/// The cue a parsed word is: by its form ("said"), or, for a verb, by its lemma in any
/// inflection ("they deny", "is hoping") but a participle without "have" ("formerly known
/// as", "is expected"), which describes rather than reports.
fn cue_entry<'r>(resources: &'r Resources, word: Tok<'_>) -> Option<&'r Cue> {
    resources.cue(word.form()).or_else(|| {
        let participle = word.xpos() == "VBN"
            && !word
                .children()
                .any(|c| c.rel() == "aux" && c.lemma() == "have");
        (word.upos() == Upos::Verb && !participle)
            .then(|| resources.cue_lemma(word.lemma()))
            .flatten()
    })
}

/// The double quotation whose words hold `span`.
pub(crate) fn quotation_holding<'d>(
    draft: &'d Draft<'_>,
    span: Span,
) -> Option<&'d sitrep_tokens::Quote> {
    draft
        .layout
        .quotes
        .iter()
        .find(|q| is_speech(draft.text, q) && within(span, q.inner))
}

/// "“I am hurt …,” says Noma" with the quotation misparsed (no clause of it under the cue):
/// the quotation that ends right before the cue's clause or opens right after it, with only
/// punctuation and the source between, is what was said.
fn quotation_beside(
    draft: &Draft<'_>,
    cue: Tok<'_>,
    source: Option<Tok<'_>>,
) -> Option<(Span, &'static str)> {
    let phrase = source.map(noun_phrase);
    let clause = Span {
        start: phrase.map_or(cue.span().start, |s| s.start.min(cue.span().start)),
        end: phrase.map_or(cue.span().end, |s| s.end.max(cue.span().end)),
    };
    let only_punctuation = |from, to| only_punctuation_between(draft.text, from, to);
    // A quotation that ended the sentence before is the cue's when its clause is a bare name
    // and cue ("…anything.” Lindenwald said."), not a clause of its own ("…2018.” Soldier
    // killed in Syria confirmed as …").
    let sentence = draft
        .layout
        .sentences
        .iter()
        .find(|s| s.start <= cue.span().start && cue.span().start < s.end)?;
    let bare = source.is_none_or(|s| !s.subtree_words().any(|w| w.upos() == Upos::Verb));
    // One that opens after the cue must be in its sentence: a quotation of the next has a cue
    // of its own ("…as it had promised. “I voted for him,” said Kumar").
    let quotes = |before_the_cue: bool| {
        draft.layout.quotes.iter().filter(move |q| {
            let in_sentence = q.span.start < sentence.end && sentence.start < q.span.end;
            is_speech(draft.text, q) && (in_sentence || (bare && before_the_cue))
        })
    };
    let quote = quotes(true)
        .rfind(|q| q.span.end <= clause.start && only_punctuation(q.span.end, clause.start))
        .or_else(|| {
            quotes(false)
                .find(|q| q.span.start >= clause.end && only_punctuation(clause.end, q.span.start))
        })?;
    Some((quote.inner, "the quotation beside it"))
}

/// Where a quotation broken by its cue ends: "“A,” she said, “B.”" and "“A,” she said. “B.”"
/// are one statement (the guidelines' two pieces): the quotation that follows the cue's clause
/// with nothing but punctuation between. One in a later paragraph is a statement of its own
/// that continues hers.
fn resumed_quotation(draft: &Draft<'_>, cue: Tok<'_>) -> Option<usize> {
    // The cue and a subject after it ("said the governor"); not the quotations it governs.
    let clause_end = cue
        .children_with("nsubj")
        .filter(|s| s.index() > cue.index())
        .map(|s| s.subtree_span().end)
        .fold(cue.span().end, usize::max);
    let next = draft
        .layout
        .quotes
        .iter()
        .find(|q| is_speech(draft.text, q) && q.span.start >= clause_end)?;
    only_punctuation_between(draft.text, clause_end, next.span.start).then_some(next.inner.end)
}

/// Whether only spaces and the punctuation between a quotation and its cue's clause stand in
/// `text[from..to]`: no word, and no paragraph break (a quotation in another paragraph is a
/// statement of its own).
fn only_punctuation_between(text: &str, from: usize, to: usize) -> bool {
    text.get(from..to).is_some_and(|gap| {
        gap.trim_matches(|c: char| matches!(c, ' ' | ',' | '.' | ':' | '‚'))
            .is_empty()
    })
}

/// For a relative pronoun ("the doctor who confirmed", "the unit, which probes"), the noun
/// its clause describes.
pub(crate) fn antecedent(word: Tok<'_>) -> Option<Tok<'_>> {
    let relative = word.feats().contains("PronType=Rel")
        || (word.upos() == Upos::Pron && matches!(word.lemma(), "which" | "who" | "that"));
    let clause = word.head().filter(|h| h.rel() == "acl:relcl")?;
    relative.then(|| clause.head()).flatten()
}

/// "Hundreds gathered near the bridge, said local resident Mary Jones, who added …": a finite
/// cue right after the comma that closes a clause, followed by a phrase that names someone (its
/// head a name, or a role of `data/roles.txt`) with no verb of its own up to the next comma or
/// the end, has that phrase for its subject and the clause for what was said, whatever the
/// parser made of the two. A clause that goes on after the phrase ("If talks fail, said the
/// minister, the army will attack") is said whole.
fn inverted_after_clause<'p>(
    draft: &Draft<'_>,
    parse: &'p Parse,
    resources: &Resources,
    cue: Tok<'p>,
    sentence: Span,
) -> Option<Inverted<'p>> {
    let comma = cue.previous_in_sentence().filter(|w| w.form() == ",")?;
    if !is_finite(cue) {
        return None;
    }
    let stop = |w: &Tok<'_>| matches!(w.form(), "," | "." | ";" | ":" | "!" | "?" | "(" | "—");
    let phrase: Vec<Tok<'p>> =
        std::iter::successors(cue.next_in_sentence(), |w| w.next_in_sentence())
            .take_while(|w| !stop(w))
            .collect();
    if phrase.is_empty() || phrase.iter().any(|w| is_finite(*w)) {
        return None;
    }
    let span = Span {
        start: phrase.first()?.span().start,
        end: phrase.last()?.span().end,
    };
    // Its head: the word whose head lies outside it.
    let head = *phrase
        .iter()
        .find(|w| w.head().is_none_or(|h| !within(h.span(), span)))?;
    // The head names someone, or a name set beside it does ("shopkeeper Omar Haddad").
    let names = |w: Tok<'_>| {
        w.upos() == Upos::Propn
            || resources
                .roles
                .iter()
                .any(|r| w.lemma().eq_ignore_ascii_case(r))
            || draft
                .mentions
                .iter()
                .any(|m| matches!(m.kind, "person" | "organization") && within(w.span(), m.span))
    };
    let named = names(head)
        || head.children().any(|c| {
            matches!(c.base_rel(), "appos" | "flat" | "compound")
                && within(c.span(), span)
                && names(c)
        });
    let before = Span {
        start: sentence.start,
        end: comma.span().start,
    };
    if !named || !has_a_clause(parse, before) {
        return None;
    }
    // After the phrase: its own aside (", who added …", ", adding that …"), or the rest of
    // what was said, which takes the cue and the phrase into the content with it.
    let next = phrase.last()?.next_in_sentence();
    let after = Span {
        start: next.map_or(span.end, |w| w.span().end),
        end: sentence.end,
    };
    let aside = next
        .and_then(|w| w.next_in_sentence())
        .is_some_and(|w| w.xpos() == "VBG");
    let end = if !aside && has_a_clause(parse, after) {
        sentence.end
    } else {
        before.end
    };
    let content = Span {
        start: sentence.start,
        end,
    };
    Some(Inverted {
        head,
        phrase: span,
        content: trim_punctuation(draft, content),
        path: "inverted subject after the clause",
    })
}

/// "…, died and five others were wounded in the blast, American reports claimed.": a finite
/// cue that ends its sentence (or is followed only by its speaker's next saying: "…, the claim
/// alleged, adding that …"), hung by the parser on the noun before it as if it described
/// it (or tagged a noun with that noun for its modifier: "…, police allege."), has that noun's
/// phrase (after the clause's comma) for its subject and the clause before the comma for what
/// was said.
fn closing_the_sentence<'p>(
    draft: &Draft<'_>,
    parse: &'p Parse,
    resources: &Resources,
    cue: Tok<'p>,
    sentence: Span,
) -> Option<Inverted<'p>> {
    let nominal = |n: &Tok<'_>| matches!(n.upos(), Upos::Noun | Upos::Propn);
    let described = cue.head().filter(|n| {
        cue.base_rel() == "acl" && is_finite(cue) && n.index() + 1 == cue.index() && nominal(n)
    });
    // "…, police allege.": the cue tagged a noun, its subject the noun the parser made its
    // modifier; not a noun a preposition governs ("…, according to news reports.").
    let modifier = || {
        let in_a_phrase = cue.children().any(|c| c.base_rel() == "case");
        cue.children().find(|c| {
            cue.upos() == Upos::Noun && !in_a_phrase && c.index() + 1 == cue.index() && nominal(c)
        })
    };
    let noun = described
        .or_else(modifier)
        .or_else(|| subject_after_comma(cue))?;
    // The sentence ends there, or the speaker's next saying follows ("…, the claim alleged,
    // adding that …"; not "…, the agency reported, killing 12": that is still what was said).
    let ends = cue.next_in_sentence().is_none_or(|w| {
        matches!(w.form(), "." | "!" | "?")
            || (w.form() == ","
                && w.next_in_sentence().is_some_and(|next| {
                    next.xpos() == "VBG" && cue_entry(resources, next).is_some()
                }))
    });
    // The phrase: the words back from the noun to the clause's comma, a few at most; the
    // comma may close a quotation ("“…,” the document alleges.").
    let comma = std::iter::successors(noun.previous_in_sentence(), |w| w.previous_in_sentence())
        .take(6)
        .find(|w| matches!(w.form(), "," | "”" | "\""))
        .and_then(|w| match w.form() {
            "," => Some(w),
            _ => w.previous_in_sentence().filter(|p| p.form() == ","),
        })?;
    let first = std::iter::successors(comma.next_in_sentence(), |w| w.next_in_sentence())
        .find(|w| !matches!(w.form(), "”" | "\""))?;
    let before = Span {
        start: sentence.start,
        end: comma.span().start,
    };
    (ends && has_a_clause(parse, before)).then(|| Inverted {
        head: noun,
        phrase: Span {
            start: first.span().start,
            end: noun.span().end,
        },
        content: trim_punctuation(draft, before),
        path: "noun before a cue that closes the sentence",
    })
}

/// "…, the claim alleged, adding that …", "…, officials said, noting that …": a participle of
/// saying right after the comma that follows a finite verb is the next act of the speaker of
/// the cue that verb is, or says ("Police said the suspect fled, adding that …" is the
/// police's: "fled" is what they said), wherever the parser hung the participle.
fn speaker_before_its_comma<'p>(resources: &Resources, cue: Tok<'p>) -> Option<Tok<'p>> {
    let comma = cue.previous_in_sentence().filter(|w| w.form() == ",")?;
    let verb = comma.previous_in_sentence().filter(|v| {
        cue.xpos() == "VBG" && cue.children_with("nsubj").next().is_none() && is_finite(*v)
    })?;
    let said_by = std::iter::successors(Some(verb), |v| {
        (v.base_rel() == "ccomp").then(|| v.head()).flatten()
    })
    .last()
    .filter(|top| cue_entry(resources, *top).is_some())?;
    said_by
        .children_with("nsubj")
        .find(|s| matches!(s.upos(), Upos::Noun | Upos::Propn | Upos::Pron))
}

/// "…and "piled on" to the young man, the claim alleged.": a cue with a nominal subject of its
/// own right after a comma, that the parser hung on a word before the comma as if it described
/// it ("the young man [whom] the claim alleged"), and that takes nothing of its own to say.
fn subject_after_comma(cue: Tok<'_>) -> Option<Tok<'_>> {
    let head = cue.head()?;
    let subject = cue.children_with("nsubj").next()?;
    let said_nothing = !cue
        .children()
        .any(|c| matches!(c.base_rel(), "obj" | "ccomp" | "xcomp" | "mark"));
    let comma = subject.subtree_span().start;
    // The comma may be the subject's own first word, as the parser hung it.
    let right_after_comma = subject
        .subtree_words()
        .find(|w| w.upos() != Upos::Punct)
        .and_then(|first| first.previous_in_sentence())
        .is_some_and(|w| w.form() == ",");
    (matches!(subject.upos(), Upos::Noun | Upos::Propn)
        && cue.base_rel() == "acl"
        && head.span().end <= comma
        && said_nothing
        && right_after_comma)
        .then_some(subject)
}

/// A subject the parser did not make the cue's: the phrase, its head word, what it said, and
/// the path that found it.
#[derive(Clone, Copy)]
struct Inverted<'p> {
    head: Tok<'p>,
    phrase: Span,
    content: Span,
    path: &'static str,
}

/// Whether some stretch of a span between its commas is a clause of its own: a verb (finite,
/// or a past form the tagger may have taken for a participle, "Rebels fired on the village"),
/// not opened by a relative word ("Russia, which invaded in 2022, denied …" has none).
fn has_a_clause(parse: &Parse, span: Span) -> bool {
    let words: Vec<Tok<'_>> = words_in(parse, span).collect();
    words
        .split(|w| w.form() == ",")
        .filter(|stretch| {
            stretch.first().is_some_and(|w| {
                !w.feats().contains("PronType=Rel")
                    && !matches!(w.lemma(), "who" | "which" | "whose" | "where" | "when")
            })
        })
        .any(|stretch| {
            stretch
                .iter()
                .any(|w| is_finite(*w) || (w.upos() == Upos::Verb && w.xpos() == "VBN"))
        })
}

/// A day the parser took for a subject: "the U.S. on Tuesday said", "Officials last week said".
fn is_time_phrase(word: Tok<'_>) -> bool {
    let span_of_time = matches!(
        word.lemma().to_lowercase().as_str(),
        "week" | "month" | "year" | "weekend" | "night" | "morning" | "afternoon" | "evening"
    ) && word.children().any(|c| {
        matches!(
            c.lemma().to_lowercase().as_str(),
            "last" | "next" | "this" | "that" | "previous" | "same"
        )
    });
    crate::times::is_time_word(word.form()) || span_of_time
}

/// A word between quotation marks of its own ("called the move \"unjustified\" and said …"):
/// a word quoted, never a speaker.
fn quoted_word(word: Tok<'_>) -> bool {
    let opens = word
        .previous_in_sentence()
        .is_some_and(|w| matches!(w.form(), "\"" | "“" | "'" | "‘"));
    let closes = word
        .next_in_sentence()
        .is_some_and(|w| matches!(w.form(), "\"" | "”" | "'" | "’"));
    opens && closes
}

/// A word that can name a speaker: a noun, a name, a pronoun or a number ("the two said"),
/// not an adjective or adverb the parser took for a subject ("officials last said", "called
/// the move \"unjustified\" and said").
fn names_something(word: Tok<'_>) -> bool {
    matches!(
        word.upos(),
        Upos::Noun | Upos::Propn | Upos::Pron | Upos::Num | Upos::Det | Upos::X
    )
}

/// For a relative pronoun whose clause the parser did not hang on its noun, the noun that
/// ends right before the comma in front of it ("Shaya Tenenbaum, who …": "Shaya").
fn relative_without_clause(word: Tok<'_>) -> Option<Tok<'_>> {
    if !word.feats().contains("PronType=Rel") || word.upos() != Upos::Pron {
        return None;
    }
    let comma = word.previous_in_sentence().filter(|c| c.form() == ",")?;
    let mut noun = comma.previous_in_sentence()?;
    // Up from the last word of a name ("Tenenbaum") to its head ("Shaya").
    while let Some(up) = noun
        .head()
        .filter(|h| matches!(noun.base_rel(), "flat" | "compound") && h.index() < noun.index())
    {
        noun = up;
    }
    matches!(noun.upos(), Upos::Noun | Upos::Propn).then_some(noun)
}

/// The cue's subject; for a subjectless participle or conjunct ("…, adding that"), the
/// subject of the verb it hangs from. `Some((None, _))`: a source the sentence leaves unsaid.
fn source_of<'p>(cue: Tok<'p>, kind: &str) -> Option<(Option<Tok<'p>>, &'static str)> {
    // A passive cue's subject is the one told or spoken of ("He was told that …", "It was
    // reported that …"); its source is the agent, when the sentence names one.
    if cue.is_passive() {
        return Some(match cue.children_with("obl:agent").next() {
            Some(agent) => (Some(agent), "obl:agent"),
            None => (None, "passive, no agent"),
        });
    }
    // Of two subjects the parser gave it ("None were hurt, sources said"), the nearer naming
    // word ("officials last said": not "last"); never a day it took for one ("the U.S. on
    // Tuesday said").
    // "Engineers last month said", parsed as "Engineers'" month: the noun before the day.
    let before_the_day = |s: Tok<'p>| {
        s.children()
            .filter(|c| c.index() < s.index() && matches!(c.upos(), Upos::Noun | Upos::Propn))
            .find(|c| matches!(c.base_rel(), "nmod" | "compound"))
            .filter(|_| is_time_phrase(s))
            .unwrap_or(s)
    };
    // Nor, of two, the one after a preposition ("Two officials familiar with the talks said",
    // "the talks" taken for a second subject; not "after the U.S. said").
    let prepositional = |s: &Tok<'p>| {
        let after_another = cue
            .children_with("nsubj")
            .any(|other| other.index() < s.index());
        after_another
            && s.subtree_words()
                .next()
                .and_then(|first| first.previous_in_sentence())
                .is_some_and(|before| before.upos() == Upos::Adp)
    };
    if let Some(subject) = cue
        .children_with("nsubj")
        .map(before_the_day)
        .filter(|s| !is_time_phrase(*s) && !quoted_word(*s) && !prepositional(s))
        .min_by_key(|s| (!names_something(*s), s.index().abs_diff(cue.index())))
    {
        if let Some(noun) = antecedent(subject) {
            return Some((Some(noun), "antecedent of nsubj"));
        }
        // "…, said resident Shaya Tenenbaum, who added that …", the relative clause parsed as
        // a clause of its own: "who" stands for the name before its comma.
        if let Some(noun) = relative_without_clause(subject) {
            return Some((Some(noun), "noun before the relative pronoun nsubj"));
        }
        return Some((Some(subject), "nsubj"));
    }
    if let Some(subject) = stranded_subject(cue) {
        return Some((Some(subject), "nominal left beside the cue"));
    }
    // "…, reports the Suffolk Times": an inverted subject the parser took for an object,
    // after a verb of saying (not "…, blames the spurts of violence on …").
    let set_after = set_after_clause(cue);
    let after_the_clause = set_after
        || cue.children().any(|c| {
            c.upos() == Upos::Punct
                && c.index() < cue.index()
                && matches!(c.form(), "," | "”" | "\"")
        });
    let inverted = cue.children_with("obj").find(|o| {
        kind == "assertion"
            && is_finite(cue)
            && after_the_clause
            && o.index() > cue.index()
            && !cue.children().any(|c| c.base_rel() == "ccomp")
            && !followed_by_finite_verb(*o)
    });
    if let Some(subject) = inverted {
        return Some((Some(subject), "inverted subject"));
    }
    // A cue set after a clause is not that clause's subject speaking.
    if set_after {
        return None;
    }
    if matches!(cue.base_rel(), "advcl" | "conj" | "xcomp") {
        let head = cue.head()?;
        // "He said the departure meant a loss, but insisted that …": a cue set against what
        // was said (", but"), which the parser conjoined to a verb of it however deep, is the
        // first speaker's next act. (With "and" it may be the inner subject's: "said the
        // general had visited the town and warned residents to leave".)
        let contrasted = cue.base_rel() == "conj"
            && cue.children().any(|c| {
                c.base_rel() == "cc" && matches!(c.lemma().to_lowercase().as_str(), "but" | "yet")
            })
            && cue
                .children()
                .any(|c| c.form() == "," && c.index() < cue.index());
        let outer = std::iter::successors(Some(head), |h| {
            (h.base_rel() == "ccomp").then(|| h.head()).flatten()
        })
        .last()
        .filter(|o| contrasted && *o != head);
        if let Some((subject, _)) = outer.and_then(|o| subject_of_head(o, false)) {
            return Some((subject, "nsubj of the cue whose complement it was hung on"));
        }
        return subject_of_head(head, cue.base_rel() == "conj");
    }
    None
}

/// "The women, 21 and 26, told police …": a noun phrase opening the sentence that the parser,
/// thrown by what was set beside it, hung on a subjectless cue as a loose dependent rather
/// than as its subject. Only when no verb stands between them.
fn stranded_subject(cue: Tok<'_>) -> Option<Tok<'_>> {
    let noun = cue.children().find(|c| {
        matches!(c.base_rel(), "parataxis" | "dep")
            && matches!(c.upos(), Upos::Noun | Upos::Propn)
            && c.index() < cue.index()
    })?;
    let opens_sentence = noun
        .subtree_words()
        .next()
        .is_some_and(|first| first.previous_in_sentence().is_none());
    (opens_sentence && !verb_between(noun, cue)).then_some(noun)
}

/// "The ministry issued a statement saying …", "She received a letter warning that …", "his
/// complaint accusing police of …": a participle cue right after a noun that can carry words
/// (see [`carries_words`]) speaks for the noun's possessor, for the subject of a verb that
/// issued it (`authoring_verbs` of `data/cues.toml`), or else for the noun itself. After a
/// comma ("…, adding that") it is the clause subject's, however the parser hung it.
fn described_by_participle<'p>(
    draft: &Draft<'_>,
    resources: &Resources,
    cue: Tok<'p>,
) -> Option<(Option<Tok<'p>>, &'static str)> {
    let noun = participle_noun(draft, resources, cue).filter(|n| carries_words(resources, *n))?;
    if let Some(possessor) = noun.children().find(|c| c.rel() == "nmod:poss") {
        return Some((
            Some(possessor),
            "possessor of the noun the participle describes",
        ));
    }
    let issuer = noun
        .head()
        .filter(|_| noun.base_rel() == "obj")
        .filter(|v| resources.authoring_verbs.iter().any(|a| v.lemma() == a))
        .and_then(|v| v.children_with("nsubj").next());
    Some(match issuer {
        Some(subject) => (
            Some(subject),
            "nsubj of the verb that issued what the participle describes",
        ),
        None => (Some(noun), "noun the participle describes"),
    })
}

/// Whether a verb or an auxiliary stands between two words of a sentence.
fn verb_between(first: Tok<'_>, last: Tok<'_>) -> bool {
    std::iter::successors(first.next_in_sentence(), |w| w.next_in_sentence())
        .take_while(|w| w.index() < last.index())
        .any(|w| matches!(w.upos(), Upos::Verb | Upos::Aux))
}

/// The noun a speech participle describes: the one it is hung on, right after it ("a statement
/// saying"), or the object of the verb it is hung on, with only that verb's own phrases
/// between ("issued a statement on Monday saying", "received an SMS in August saying"). Never
/// across a comma: "condemned the reports of the bombing, adding …" is the subject's.
fn participle_noun<'p>(draft: &Draft<'_>, resources: &Resources, cue: Tok<'p>) -> Option<Tok<'p>> {
    if cue.xpos() != "VBG" {
        return None;
    }
    let head = cue.head().filter(|h| h.index() < cue.index())?;
    let noun = match cue.base_rel() {
        "acl" => head,
        // After a verb that issues or receives such a thing ("denied the report on Tuesday
        // saying" is the subject's), and not with a conjunction of its own ("concluded his
        // letter by saying").
        "advcl"
            if handles_documents(resources, head)
                && !cue
                    .previous_in_sentence()
                    .is_some_and(|w| w.base_rel() == "mark" && w.head() == Some(cue)) =>
        {
            head.children()
                .find(|c| c.base_rel() == "obj" && c.index() < cue.index())?
        }
        _ => return None,
    };
    if !matches!(noun.upos(), Upos::Noun | Upos::Propn) {
        return None;
    }
    // From the noun's own word when the participle is hung on it (nothing it governs may
    // come between), from the end of its phrase when hung on the verb.
    let from = if noun == head {
        noun.span().end
    } else {
        noun.subtree_span().end
    };
    let between = draft.text.get(from..cue.span().start)?;
    let modified_between = noun == head
        && noun
            .children()
            .any(|c| c.index() > noun.index() && c.index() < cue.index());
    let broken = between.contains([',', ';', ':', '(', ')', '—', '–', '"', '”']);
    (!broken && !modified_between && !verb_between(noun, cue)).then_some(noun)
}

/// Whether a verb issues or receives the things that carry words (`authoring_verbs` and
/// `receiving_verbs` of cues.toml).
fn handles_documents(resources: &Resources, verb: Tok<'_>) -> bool {
    let lemma = verb.lemma();
    resources
        .authoring_verbs
        .iter()
        .chain(&resources.receiving_verbs)
        .any(|v| v == lemma)
}

/// Whether a noun carries words a participle may describe: a cue's noun ("a statement") or
/// a thing of `speaking_things` in cues.toml ("a letter").
fn carries_words(resources: &Resources, noun: Tok<'_>) -> bool {
    resources.cue_noun(noun.form()).is_some()
        || resources
            .speaking_things
            .contains(&noun.lemma().to_lowercase())
}

/// The subject of the verb a subjectless cue hangs from. An open complement's subject is its
/// controller's ("Officials sought to downplay the threat, saying …": the officials); for a cue
/// conjoined to the complement, the object of a verb that has one ("made us feel … and know
/// that"). A participle beside the complement keeps the controller's subject ("urged drivers
/// to avoid the area, saying …": the police, not the drivers).
fn subject_of_head(mut head: Tok<'_>, conjoined: bool) -> Option<(Option<Tok<'_>>, &'static str)> {
    loop {
        if let Some(subject) = head.children_with("nsubj").next() {
            // "the governor, who toured the valley and warned that …": "who" stands for its
            // noun. (Not for a participle the parser hung on the clause: "chasing the fighters
            // who fled the area, adding that …" is the outer speaker's.)
            if let Some(noun) = antecedent(subject).filter(|_| conjoined) {
                return Some((Some(noun), "antecedent of the nsubj of its head"));
            }
            return Some((Some(subject), "nsubj of its head"));
        }
        if head.base_rel() != "xcomp" {
            // "stopped selling arms while demanding that …", "selling" taken for a modifier:
            // a participle or infinitive modifying a clause has that clause's subject.
            if !is_bare_adverbial(head) {
                return None;
            }
            head = head.head()?;
            continue;
        }
        let controller = head.head()?;
        let object = controller
            .children()
            .find(|c| matches!(c.base_rel(), "obj" | "iobj") && c.index() < head.index());
        if let Some(object) = object.filter(|_| conjoined) {
            return Some((Some(object), "object of the verb its head completes"));
        }
        head = controller;
    }
}

/// A participle or "to" infinitive set beside a clause, with no subject or auxiliary of its
/// own (a bare verb may be a command: "let's say").
fn is_bare_adverbial(verb: Tok<'_>) -> bool {
    let infinitive = verb.xpos() == "VB" && to_infinitive(verb);
    verb.base_rel() == "advcl"
        && (matches!(verb.xpos(), "VBG" | "VBN") || infinitive)
        && !verb
            .children()
            .any(|c| matches!(c.base_rel(), "nsubj" | "aux" | "expl"))
}

/// "There are 1,000 people waiting, the Ministry of Health said", with the source hung inside
/// what was said: the noun phrase that ends right before a subjectless cue, after the clause's
/// comma, is the one saying it.
fn buried_source<'p>(parse: &'p Parse, cue: Tok<'p>) -> Option<(Option<Tok<'p>>, &'static str)> {
    let before = parse.tok(cue.index().checked_sub(1)?);
    if !matches!(before.upos(), Upos::Noun | Upos::Propn) {
        return None;
    }
    // Up from "Health" to "Ministry" while the phrase stays after the comma.
    let mut head = before;
    while let Some(up) = head.head().filter(|h| {
        matches!(head.base_rel(), "compound" | "flat" | "nmod")
            && h.index() < head.index()
            && matches!(h.upos(), Upos::Noun | Upos::Propn)
    }) {
        head = up;
    }
    let phrase_start = head
        .subtree_words()
        .find(|w| w.upos() != Upos::Punct)?
        .index();
    let after_comma = phrase_start > 0 && parse.tok(phrase_start - 1).form() == ",";
    let clause_before = cue
        .children()
        .any(|c| c.base_rel() == "ccomp" && c.index() < phrase_start);
    (after_comma && clause_before).then_some((Some(head), "noun phrase before the cue"))
}

/// "Jobs could be created, the department said": a cue set after the clause it reports, which
/// the parser took for a conjunct of that clause (no "and" or "but" joins them) or hung on it
/// beside it.
fn set_after_clause(cue: Tok<'_>) -> bool {
    matches!(cue.base_rel(), "conj" | "parataxis")
        && cue.head().is_some_and(|h| h.index() < cue.index())
        && !cue
            .children()
            .any(|c| matches!(c.base_rel(), "cc" | "ccomp"))
}

/// Cue kinds that tell of something said, which a negated cue leaves unsaid.
const SAYING: &[&str] = &["assertion", "announcement", "confirmation"];

/// Cue kinds whose content is what the source means to do: "plans to approve the sale".
const WILLED: &[&str] = &["intention", "promise", "threat"];

/// What the cue introduces: its clausal complement, or the clause it is set into; for a cue
/// of intention or promise, the open complement ("wants to leave").
fn content_of(
    draft: &Draft<'_>,
    cue: Tok<'_>,
    source: Option<Tok<'_>>,
    entry: &Cue,
) -> Option<(Span, &'static str)> {
    let willed = WILLED
        .contains(&entry.kind.as_str())
        .then(|| cue.children().find(|c| c.base_rel() == "xcomp"))
        .flatten();
    if let Some(clause) = willed {
        let span = Span {
            start: after_its_mark(draft, clause),
            end: content_end(draft, cue, clause),
        };
        return Some((trim_punctuation(draft, span), "xcomp"));
    }
    // "was not thought to be a target", "is alleged to have done so, using Facebook, in the
    // elections": what a passive cue says of its subject is its infinitive, with all the cue
    // governs after it. ("is expected to" only marks a prediction: the event's mode.)
    let raised = (cue.is_passive() && entry.kind != "prediction")
        .then(|| {
            cue.children()
                .find(|c| c.base_rel() == "xcomp" && to_infinitive(*c))
        })
        .flatten();
    if let Some(clause) = raised {
        let span = Span {
            start: clause.subtree_span().start,
            end: cue.subtree_span().end.max(clause.subtree_span().end),
        };
        return Some((trim_punctuation(draft, span), "xcomp of the passive"));
    }
    // Of two complements the parser gave it ("called the move \"unjustified\" and said the
    // plan was …"), the one after it; but a quotation before it is what it says, which its
    // other half resumes ("“The road is open,” he said, “and …”").
    let complements = || cue.children().filter(|c| c.base_rel() == "ccomp");
    // (Not one word quoted: "called the move \"unjustified\" and said …".)
    let quoted_before = complements().find(|c| {
        c.index() < cue.index() && quotation_holding(draft, c.span()).is_some() && !quoted_word(*c)
    });
    let complement = quoted_before
        .or_else(|| complements().find(|c| c.index() > cue.index()))
        .or_else(|| complements().next());
    if let Some(clause) = complement {
        // Complements before the cue are one stretch of what was said, however the parser
        // split it ("Legislators have funded SEEK, “at the highest level it has ever
        // been,” Johnson said").
        let first = complements()
            .find(|c| c.index() < clause.index() && clause.index() < cue.index())
            .unwrap_or(clause);
        let start = subject_taken_for_object(cue, first)
            .map_or(after_its_mark(draft, first), |o| o.subtree_span().start);
        let span = Span {
            start,
            end: content_end(draft, cue, clause),
        };
        return Some((trim_punctuation(draft, span), "ccomp"));
    }
    // "denied allowing the US to operate drones", "admitted taking the money": the gerund of
    // a cue that says one (`says_gerund`), right after it.
    let gerund = cue.children().find(|c| {
        c.base_rel() == "xcomp"
            && c.xpos() == "VBG"
            && c.index() > cue.index()
            && !draft.text[cue.span().end..c.span().start].contains([',', ';', ':'])
    });
    if let Some(gerund) = gerund.filter(|_| entry.says_gerund) {
        return Some((trim_punctuation(draft, gerund.subtree_span()), "xcomp -ing"));
    }
    // "Jobs could be created, the department said": a clause before the cue that the parser
    // hung on it as a modifier is what was said, unless a conjunction subordinates it ("When
    // the jobs come, …"), or the cue opens a relative clause ("…, said Ann Lee, who added
    // that …": what she added follows).
    let relative = cue
        .children_with("nsubj")
        .any(|s| s.feats().contains("PronType=Rel"));
    let said_before = cue.children().filter(|_| !relative).find(|c| {
        let clause = matches!(c.base_rel(), "advcl" | "parataxis")
            && matches!(c.upos(), Upos::Verb | Upos::Aux)
            && is_own_clause(*c);
        // "None of the injured were British, sources said", with "None" a second subject.
        let subject_clause = c.rel() == "nsubj"
            && Some(*c) != source
            && c.subtree_words()
                .any(|w| matches!(w.base_rel(), "cop" | "aux") || w.upos() == Upos::Verb);
        c.index() < cue.index()
            && (clause || subject_clause)
            && !c.children().any(|m| m.rel() == "mark")
    });
    if let Some(clause) = said_before {
        return Some((
            trim_punctuation(draft, clause.subtree_span()),
            "clause before the cue",
        ));
    }
    let set_after = cue.base_rel() == "conj" && set_after_clause(cue);
    // "The news embarrassed Tunis: officials denied …": what a colon leads up to is no
    // quotation of the clause after it.
    let after_colon = cue
        .children()
        .any(|c| c.form() == ":" && c.index() < cue.index());
    // "…were hurt in the ambush, local reports claimed", the cue hung on the clause as a
    // modifier, or on its last noun as a relative clause that ends the sentence: no "as",
    // "when" or relative word of its own, a subject, and a comma before it.
    let closing_relative = cue.base_rel() == "acl" && ends_its_sentence(cue);
    let modifier_after = (cue.base_rel() == "advcl" || closing_relative)
        && cue.head().is_some_and(|h| h.index() < cue.index())
        && !cue.children().any(|c| {
            c.base_rel() == "mark" || (c.index() < cue.index() && is_relative_word(c.form()))
        })
        && cue.children().any(|c| c.base_rel() == "nsubj")
        && {
            // The comma opens the cue's phrase, or (a relative cue that took a phrase of the
            // clause before) its subject's.
            let comma_before = |w: Tok<'_>| {
                w.form() == "," || w.previous_in_sentence().is_some_and(|p| p.form() == ",")
            };
            let subject_start = cue
                .children_with("nsubj")
                .next()
                .and_then(|s| s.subtree_words().next());
            cue.subtree_words().next().is_some_and(comma_before)
                || (closing_relative && subject_start.is_some_and(comma_before))
        };
    let reports_its_head =
        (cue.base_rel() == "parataxis" && !after_colon) || set_after || modifier_after;
    // A clause before the cue it reports has a subject of its own; one after it is the
    // cue's lost complement, however the parser took it.
    let reportable = |head: Tok<'_>| head.index() > cue.index() || is_own_clause(head);
    // A relative cue's noun lies inside the clause it reports: the clause is the noun's verb,
    // and the first of that verb's conjuncts.
    let mut reported = cue.head().filter(|_| reports_its_head);
    while let Some(up) = reported
        .filter(|h| closing_relative && (h.upos() != Upos::Verb || h.base_rel() == "conj"))
        .and_then(|h| h.head())
    {
        reported = Some(up);
    }
    if let Some(mut head) = reported.filter(|h| reportable(*h)) {
        // "A is not named because B, the lawyers noted", the cue hung on the "because" clause,
        // or "… and led to him finding a donor, the Post reported", on a noun of a clause
        // within: what was said is the whole clause the cue follows.
        let closes = set_after || closing_relative;
        while let Some(up) = head.head().filter(|h| closes && h.index() < cue.index()) {
            head = up;
        }
        let whole = head.subtree_span();
        let own = cue.subtree_span();
        // The quotation is the head's clause on the side of the cue it lies on.
        let span = if own.start > whole.start {
            Span {
                start: whole.start,
                end: own.start,
            }
        } else {
            Span {
                start: own.end,
                end: whole.end,
            }
        };
        let path = if set_after {
            "conj head"
        } else if closing_relative {
            "acl:relcl head"
        } else if modifier_after {
            "advcl head"
        } else {
            "parataxis head"
        };
        return Some((trim_punctuation(draft, span), path));
    }
    charged_object(draft, cue, entry).or_else(|| said_object(draft, cue, entry))
}

/// "accused Russia of poisoning a former officer", "blamed the government for not creating
/// jobs", "blames the violence on conditions in the camp": an accusation says its object with
/// the phrase that names the charge (a word of the cue's `charges` marks it), wherever the
/// parser hung that phrase, on the cue or on the object.
fn charged_object(draft: &Draft<'_>, cue: Tok<'_>, entry: &Cue) -> Option<(Span, &'static str)> {
    if entry.charges.is_empty() || cue.is_passive() {
        return None;
    }
    let marks_charge = |phrase: Tok<'_>| {
        phrase.children().any(|m| {
            matches!(m.base_rel(), "mark" | "case")
                && entry
                    .charges
                    .iter()
                    .any(|c| c.eq_ignore_ascii_case(m.form()))
        })
    };
    let after_cue = |c: &Tok<'_>| c.index() > cue.index();
    let object = cue
        .children()
        .filter(after_cue)
        .find(|c| c.base_rel() == "obj");
    let charge = cue
        .children()
        .filter(after_cue)
        .find(|c| matches!(c.base_rel(), "advcl" | "obl") && marks_charge(*c))
        .or_else(|| {
            object?
                .subtree_words()
                .find(|w| w.base_rel() == "nmod" && marks_charge(*w))
        })?;
    let charged = object.filter(|o| o.index() < charge.index());
    // With no object, one the relative clause took ("the attack that Washington blamed on
    // …", "whom many blame for …"); none at all is a headline's passive ("Assad accused of
    // releasing prisoners"), the subject the one accused.
    let relative = cue.base_rel() == "acl" && cue.children().any(|c| c.base_rel() == "nsubj");
    if charged.is_none() && !relative {
        return None;
    }
    let span = Span {
        start: charged.unwrap_or(charge).subtree_span().start,
        end: charge
            .subtree_span()
            .end
            .max(charged.map_or(0, |o| o.subtree_span().end)),
    };
    let path = if charged.is_some() {
        "obj + charge"
    } else {
        "charge"
    };
    Some((trim_punctuation(draft, span), path))
}

/// Whether nothing but punctuation follows a word's subtree in its sentence.
fn ends_its_sentence(word: Tok<'_>) -> bool {
    let last = word.subtree_words().last().unwrap_or(word);
    std::iter::successors(last.next_in_sentence(), |w| w.next_in_sentence())
        .all(|w| w.upos() == Upos::Punct)
}

/// A word that opens a relative clause.
fn is_relative_word(form: &str) -> bool {
    ["that", "which", "who", "whom", "whose", "where", "when"]
        .iter()
        .any(|w| form.eq_ignore_ascii_case(w))
}

/// Whether a clause is one of its own, as what a cue reports is: a subject or an auxiliary
/// ("Jobs could be created, the department said"), or a command ("Release the hostages, the
/// president demanded"); a participle's circumstance has neither ("Asked how the country
/// could compete, Mamo stressed …", "Speaking to reporters, she said").
fn is_own_clause(clause: Tok<'_>) -> bool {
    clause.xpos() == "VB"
        || clause
            .children()
            .any(|s| matches!(s.base_rel(), "nsubj" | "csubj" | "expl" | "aux" | "cop"))
}

/// "Mamo stressed the need for …", "announced an investigation", "urged them to act": a noun
/// phrase after a cue that says its object (a data flag), or an object a clause completes, is
/// what was said, with what the parser hung on the cue after it before a comma ("announced
/// duties on $3 billion of goods"). Not a passive's ("was denied asylum"). A cue with a
/// clausal complement never comes here (see `subject_taken_for_object`).
fn said_object(draft: &Draft<'_>, cue: Tok<'_>, entry: &Cue) -> Option<(Span, &'static str)> {
    if cue.is_passive() {
        return None;
    }
    let object = cue
        .children()
        .find(|c| c.base_rel() == "obj" && c.index() > cue.index())?;
    // "The bill adds more than $10 million next year to help …": an amount is a thing added,
    // never words, whatever completes it.
    if !entry.says_object && matches!(object.upos(), Upos::Num | Upos::Sym) {
        return None;
    }
    let after: Vec<Tok<'_>> = cue
        .children()
        .filter(|c| c.index() > object.index())
        .take_while(|c| {
            let coordinated =
                c.base_rel() == "cc" || (c.base_rel() == "conj" && !unmarked_clause(*c));
            c.upos() != Upos::Punct && !coordinated
        })
        .filter(|c| OBJECT_REST.contains(&c.base_rel()) || unmarked_clause(*c))
        .collect();
    // "urged them to act", "acknowledged the party could suffer": a clause completes it.
    let completed = after
        .iter()
        .any(|c| c.base_rel() == "xcomp" || unmarked_clause(*c));
    if !entry.says_object && !completed {
        return None;
    }
    // "confirmed his death and paid tribute": a verb the parser conjoined to the object noun
    // is the cue's own next act, not said.
    let object_end = object
        .children()
        .find(|c| c.base_rel() == "conj" && c.upos() == Upos::Verb)
        .map_or(object.subtree_span().end, |verb| verb.subtree_span().start);
    let end = after
        .iter()
        .map(|c| c.subtree_span().end)
        .fold(object_end, usize::max);
    let span = Span {
        start: object.subtree_span().start,
        end,
    };
    let path = if completed { "obj + clause" } else { "obj" };
    Some((trim_punctuation(draft, span), path))
}

/// What a cue says when the parser lost the clause it governs (its verb mistagged and hung
/// elsewhere), read off the words after the cue to the end of its sentence, up to a semicolon:
/// after a "that" straight after the cue or its object ("Economists warn that the moves bear
/// the hallmarks …", "told reporters that …"), or from an object a finite verb follows, the
/// subject of the lost clause ("…, saying a negotiated outcome is still possible").
fn clause_after(draft: &Draft<'_>, cue: Tok<'_>) -> Option<(Span, &'static str)> {
    let object = cue
        .children()
        .find(|c| c.base_rel() == "obj" && c.index() > cue.index());
    let next = object
        .map_or(Some(cue), |o| o.subtree_words().last())?
        .next_in_sentence()?;
    let root = sentence_root(cue);
    // "The man who threatened the guards was arrested": the verb after a relative clause's
    // object is the clause's head's, not a lost complement's.
    let relative = cue.rel() == "acl:relcl";
    let (start, path) = if let Some(that) = that_after_its_phrases(cue) {
        (
            after_word(draft, that),
            "\"that\" after the cue (its clause unparsed)",
        )
    } else if object.is_some() && is_finite(next) && !relative {
        (
            object?.subtree_span().start,
            "object and a finite verb after the cue (its clause unparsed)",
        )
    } else {
        return None;
    };
    let end = root.subtree_span().end.max(start);
    let end = draft.text[start..end].find(';').map_or(end, |i| start + i);
    let content = trim_punctuation(draft, Span { start, end });
    (content.end > content.start).then_some((content, path))
}

/// The "that" opening a cue's lost complement: straight after the cue, or after the phrases
/// the cue governs there ("told reporters in Geneva that …", "said in an interview with the
/// BBC that …"), wherever the parser hung the clause. Not a relative pronoun that is its
/// clause's subject ("spoke in the town that for years was shelled"), nor a pronoun object
/// ("have realized that and …").
fn that_after_its_phrases(cue: Tok<'_>) -> Option<Tok<'_>> {
    let phrases: Vec<Span> = cue
        .children()
        .filter(|c| c.index() > cue.index())
        .filter(|c| matches!(c.base_rel(), "obj" | "iobj" | "obl" | "advmod"))
        .map(|c| c.subtree_span())
        .collect();
    let in_a_phrase = |w: Tok<'_>| {
        !matches!(w.upos(), Upos::Verb | Upos::Aux | Upos::Punct)
            && phrases.iter().any(|p| within(w.span(), *p))
    };
    let that = std::iter::successors(cue.next_in_sentence(), |w| w.next_in_sentence())
        .find(|w| w.form().eq_ignore_ascii_case("that") || !in_a_phrase(*w))
        .filter(|w| w.form().eq_ignore_ascii_case("that"))?;
    // "told parliament about the attacks that militants carried out": the clause describes
    // what the talk was about; "said on that day": a determiner.
    let topic = that.previous_in_sentence().is_some_and(|w| {
        std::iter::successors(Some(w), |x| x.head().filter(|h| h.index() > cue.index()))
            .filter_map(|x| x.children_with("case").next())
            .any(|p| {
                matches!(
                    p.lemma().to_lowercase().as_str(),
                    "about" | "of" | "on" | "over" | "regarding"
                )
            })
    });
    let pronoun = that.base_rel() == "nsubj"
        || that.base_rel() == "det"
        || topic
        || that.next_in_sentence().is_some_and(|w| {
            matches!(w.upos(), Upos::Verb | Upos::Aux | Upos::Cconj | Upos::Punct)
        });
    (!pronoun).then_some(that)
}

/// "…, saying a negotiated outcome is still possible": a noun phrase with a verb after it is
/// a clause's subject, not an inverted speaker.
fn followed_by_finite_verb(phrase: Tok<'_>) -> bool {
    phrase
        .subtree_words()
        .last()
        .and_then(|w| w.next_in_sentence())
        .is_some_and(is_finite)
}

/// A finite verb or auxiliary: a clause's own predicate.
fn is_finite(word: Tok<'_>) -> bool {
    matches!(word.upos(), Upos::Aux | Upos::Verb) && word.feats().contains("VerbForm=Fin")
}

/// Whether a parsed cue verb states nothing. Negated, or said by no one: "Police did not
/// disclose the type of gun", "not knowing it was stolen", "Neither side confirmed the plan"
/// (some beliefs denied are still held: "I don't think it is over", `negation_held`). In a
/// "to" infinitive completing a verb that does not make it happen: "declined to confirm that
/// …" (but "went on to say", "began to explain").
pub(crate) fn says_nothing(cue: Tok<'_>, entry: &Cue, resources: &Resources) -> bool {
    let kind = entry.kind.as_str();
    let holds_nothing = SAYING.contains(&kind) || (kind == "belief" && !entry.negation_held);
    let to = cue
        .children_with("mark")
        .any(|m| m.lemma().eq_ignore_ascii_case("to"));
    let realised = cue
        .head()
        .is_some_and(|h| resources.event_patterns.is_implicative(h.lemma()));
    let unrealised = to && cue.xpos() == "VB" && cue.base_rel() == "xcomp" && !realised;
    // "Nobody has said …", "Neither government has confirmed …": no one said it (but "None
    // of the injured were British, sources said", "None" taken for a second subject).
    let mut subjects = cue.children_with("nsubj").peekable();
    let no_one =
        subjects.peek().is_some() && subjects.all(|s| is_negative(s, &resources.event_patterns));
    ((cue.verb_chain().negated || no_one) && holds_nothing) || unrealised
}

/// The root of the sentence a word is in.
fn sentence_root(mut word: Tok<'_>) -> Tok<'_> {
    while let Some(head) = word.head() {
        word = head;
    }
    word
}

/// "Analysts say a major goal of the campaign was to complete …": a clause with no subject of
/// its own whose subject the parser made the cue's object, between the cue and the clause.
fn subject_taken_for_object<'p>(cue: Tok<'p>, clause: Tok<'p>) -> Option<Tok<'p>> {
    if clause
        .children()
        .any(|c| c.base_rel() == "nsubj" || c.rel() == "mark" && c.lemma() == "that")
    {
        return None;
    }
    cue.children()
        .find(|c| c.base_rel() == "obj" && cue.index() < c.index() && c.index() < clause.index())
}

/// What the parser may hang on a cue after its object that still belongs to what was said.
const OBJECT_REST: &[&str] = &["xcomp", "obl", "nmod", "dep", "advmod", "acl"];

/// "acknowledged the party could suffer": with no "that", the parser takes the clause's
/// subject for the cue's object and hangs its verb on the cue as a modifier or a conjunct;
/// one with no conjunction, marker or comma of its own is the rest of what was said.
fn unmarked_clause(word: Tok<'_>) -> bool {
    matches!(word.base_rel(), "advcl" | "conj" | "parataxis")
        && !word.children().any(|c| {
            matches!(c.rel(), "mark" | "cc")
                || (c.upos() == Upos::Punct && c.index() < word.index())
        })
}

/// Where what was said ends: the complement's own end, or further where the parser hung the
/// complement's last words on the cue instead. A modifier straight after it, with no comma
/// between ("alleging he was a victim of profiling when officers pinned him"), belongs to what
/// was said; so does a second complement coordinated with the first ("said that A, but that
/// B"), and a noun the cue cannot take (`rest_of_what_was_said`). What follows a comma
/// otherwise ("…, while Turkey said …") is the cue's own.
fn content_end(draft: &Draft<'_>, cue: Tok<'_>, clause: Tok<'_>) -> usize {
    let mut end = clause.subtree_span().end;
    for next in cue.children().filter(|c| c.index() > clause.index()) {
        // The text up to the modifier's first character, which may be its own comma.
        let first = next.subtree_span().start;
        let gap = draft.text.get(end..=first).unwrap_or(",");
        let adjoining = !gap.contains([',', ';', '—', '–']) && !gap.contains('\n');
        // A clause hung beside the complement with nothing between ("said that worrying
        // about this data scraping won't help", "scraping" taken for a new clause's subject)
        // is the complement's rest.
        // So is a "conjunct" with no conjunction ("want to see the murals have a lifespan
        // …"): words cannot be coordinated with nothing between them.
        let conjunction_between = gap
            .split_whitespace()
            .any(|w| matches!(w, "and" | "but" | "or" | "nor" | "yet"));
        let modifier = matches!(
            next.base_rel(),
            "advcl" | "obl" | "advmod" | "nmod" | "ccomp" | "parataxis" | "dep"
        ) || (next.base_rel() == "conj"
            && !conjunction_between
            && !next.children().any(|c| c.base_rel() == "cc"));
        // "said that in some cases, “retreat was the best defence”": a second complement
        // the parser gave the cue, or one conjoined with its own "that".
        let second_complement = next.base_rel() == "ccomp"
            || (next.base_rel() == "conj"
                && next
                    .children()
                    .any(|c| c.rel() == "mark" && c.lemma().eq_ignore_ascii_case("that")));
        if (adjoining && modifier)
            || second_complement
            || continues(cue, clause, next)
            || rest_of_what_was_said(next)
        {
            end = next.subtree_span().end;
        } else if next.base_rel() != "punct" {
            break;
        }
    }
    // "The command said it recovered 86 assorted firearms …", parsed with the cue hung on a
    // word of what was said: the rest of that word's clause, with no break before it, is said.
    if let Some(head) = cue
        .head()
        .filter(|h| cue.base_rel() == "parataxis" && h.index() > cue.index())
    {
        let gap = draft.text.get(end..head.span().start).unwrap_or(",");
        if !gap.contains([',', ';', '—', '–', '"', '“', '”', '\n']) {
            end = end.max(head.subtree_span().end);
        }
    }
    end
}

/// "said the man suffered a concussion, scrapes on his face and a bruised shoulder", "said
/// fighting went on in Douma, the last pocket still in rebel hands": a noun or adjective the
/// parser hung on the cue after a comma. A verb of saying takes no such word of its own (its
/// time, place and hearers are obliques), so it goes on with what was said; not a clause of
/// its own ("…, but witnesses were unsure": a copula, conjunction or marker) nor a comment on
/// what was said ("…, a move aid groups condemned": a relative clause), nor an apposition.
fn rest_of_what_was_said(next: Tok<'_>) -> bool {
    let nominal = matches!(
        next.upos(),
        Upos::Noun | Upos::Propn | Upos::Num | Upos::Adj
    ) && matches!(
        next.base_rel(),
        "conj" | "dep" | "nmod" | "list" | "parataxis"
    );
    nominal
        && !next.children().any(|c| {
            matches!(c.base_rel(), "cop" | "cc" | "mark" | "expl") || c.rel() == "acl:relcl"
        })
}

/// "The ministry said China doesn't want a trade war — but isn't afraid to fight one": a
/// conjunct the parser gave a past cue, with no subject of its own and in the present tense of
/// the complement, goes on with what was said (a past one is the speaker's next act: "said
/// the road was open and left").
fn continues(cue: Tok<'_>, clause: Tok<'_>, next: Tok<'_>) -> bool {
    let present = |verb: Tok<'_>| {
        matches!(verb.xpos(), "VBZ" | "VBP")
            || verb
                .children()
                .any(|c| matches!(c.base_rel(), "aux" | "cop") && matches!(c.xpos(), "VBZ" | "VBP"))
    };
    next.base_rel() == "conj"
        && cue.xpos() == "VBD"
        && !next
            .children()
            .any(|c| matches!(c.base_rel(), "nsubj" | "expl"))
        && present(next)
        && present(clause)
}

/// Where a clause's words begin: after its "that" or "to"; words the parser hung before it
/// ("said on Monday that …") belong to the speech act, not to what was said.
fn after_its_mark(draft: &Draft<'_>, clause: Tok<'_>) -> usize {
    clause
        .children()
        .find(|c| c.rel() == "mark" && c.index() < clause.index())
        .map_or(clause.subtree_span().start, |mark| after_word(draft, mark))
}

fn after_word(draft: &Draft<'_>, word: Tok<'_>) -> usize {
    let rest = &draft.text[word.span().end..];
    word.span().end + (rest.len() - rest.trim_start().len())
}

/// Strips the quotation marks, commas and stops a clause's edges carry.
fn trim_punctuation(draft: &Draft<'_>, span: Span) -> Span {
    const EDGE: &[char] = &[
        ' ', ',', ';', ':', '"', '\'', '“', '”', '‘', '’', '‚', '\n', '—', '–',
    ];
    let text = &draft.text[span.start..span.end];
    let start = span.start + (text.len() - text.trim_start_matches(EDGE).len());
    let mut trimmed = text.trim_start_matches(EDGE).trim_end_matches(EDGE);
    // A determiner never ends what was said: it begins a name cut off after it.
    while let Some(rest) = ["the", "The", "a", "an"]
        .iter()
        .find_map(|d| trimmed.strip_suffix(d).filter(|r| r.ends_with(' ')))
    {
        trimmed = rest.trim_end_matches(EDGE);
    }
    trim_stop(
        draft.text,
        Span {
            start,
            end: start + trimmed.len(),
        },
    )
}

/// A personal pronoun subject's referent: the last person named before it in the article
/// whose title does not rule the pronoun out.
fn pronoun_referent(draft: &Draft<'_>, subject: Tok<'_>) -> Option<usize> {
    if subject.upos() != Upos::Pron || !matches!(subject.lemma(), "he" | "she") {
        return None;
    }
    // "Blampied" after "Ms Blampied": the entity's name may carry the title the mention lacks.
    let ruled_out = |name: &str| draft.gendered_titles.rules_out(subject.lemma(), name);
    draft
        .mentions
        .iter()
        .filter(|m| m.kind == "person" && m.span.end <= subject.span().start)
        .filter(|m| !ruled_out(&draft.text[m.span.start..m.span.end]))
        .filter_map(|m| m.entity)
        .map(|e| draft.resolve(e))
        .rfind(|&e| !ruled_out(&draft.entities[e].name))
}

#[cfg(test)]
mod tests {
    //! Statements over trees written by hand, in shapes another parser gives as often as the
    //! shipped one gives others: the rules must read what was said from each of them.
    use super::*;
    use std::sync::LazyLock;

    static RESOURCES: LazyLock<Resources> = LazyLock::new(Resources::builtin);

    /// Each row "form lemma UPOS XPOS feats head relation", one word a line.
    fn statements_over(rows: &str) -> (String, Vec<DraftStatement>) {
        let conllu: String = rows
            .lines()
            .map(str::split_whitespace)
            .filter_map(|mut cols| {
                let row: Vec<&str> = cols.by_ref().collect();
                (row.len() == 7).then(|| row.join("\t"))
            })
            .enumerate()
            .map(|(i, row)| format!("{}\t{row}\t_\t_\n", i + 1))
            .collect();
        let sentences = sitrep_syntax::conllu::parse_str(&(conllu + "\n"), "test").unwrap();
        let (text, parse) = Parse::from_conllu(&sentences);
        let layout = sitrep_tokens::analyse(&text, &sitrep_tokens::Abbreviations::builtin());
        let draft = Draft::new(&text, &layout, &RESOURCES);
        let mut out = Vec::new();
        let sentence = Span {
            start: 0,
            end: text.len(),
        };
        from_parse(&draft, &parse, &RESOURCES, sentence, &mut out);
        (text, out)
    }

    /// The content of the statement the cue makes.
    fn said_with(text: &str, statements: &[DraftStatement], cue: &str) -> String {
        let s = statements
            .iter()
            .find(|s| s.cue == cue)
            .unwrap_or_else(|| panic!("no statement cued {cue:?} in {text:?}: {statements:?}"));
        text[s.content.start..s.content.end].to_string()
    }

    #[test]
    fn a_closing_cue_hung_as_a_relative_with_its_own_subject_reports_the_clause_before() {
        let (text, found) = statements_over(
            "Guards guard PROPN NNS Number=Plur 2 nsubj
             arrived arrive VERB VBD VerbForm=Fin 0 root
             and and CCONJ CC _ 4 cc
             beat beat VERB VBD VerbForm=Fin 2 conj
             the the DET DT _ 6 det
             driver driver NOUN NN Number=Sing 4 obj
             , , PUNCT , _ 9 punct
             the the DET DT _ 9 det
             lawsuit lawsuit NOUN NN Number=Sing 10 nsubj
             alleged allege VERB VBD VerbForm=Fin 6 acl:relcl
             , , PUNCT , _ 12 punct
             adding add VERB VBG VerbForm=Ger 4 advcl
             that that SCONJ IN _ 15 mark
             they they PRON PRP _ 15 nsubj
             fled flee VERB VBD VerbForm=Fin 12 ccomp
             . . PUNCT . _ 2 punct",
        );
        assert_eq!(
            said_with(&text, &found, "alleged"),
            "Guards arrived and beat the driver"
        );
    }

    #[test]
    fn a_closing_relative_cue_reports_the_whole_clause_not_the_verb_of_its_noun() {
        let (text, found) = statements_over(
            "Photos photo NOUN NNS Number=Plur 2 nsubj
             spread spread VERB VBD VerbForm=Fin 0 root
             and and CCONJ CC _ 4 cc
             led lead VERB VBD VerbForm=Fin 2 conj
             to to SCONJ IN _ 7 mark
             him him PRON PRP _ 7 nsubj
             finding find VERB VBG VerbForm=Ger 4 advcl
             a a DET DT _ 9 det
             donor donor NOUN NN Number=Sing 7 obj
             , , PUNCT , _ 12 punct
             the the DET DT _ 12 det
             Post Post PROPN NNP Number=Sing 13 nsubj
             reported report VERB VBD VerbForm=Fin 9 acl:relcl
             . . PUNCT . _ 2 punct",
        );
        assert_eq!(
            said_with(&text, &found, "reported"),
            "Photos spread and led to him finding a donor"
        );
    }

    #[test]
    fn a_conjunct_with_no_conjunction_goes_on_with_what_was_said() {
        let (text, found) = statements_over(
            "The the DET DT _ 2 det
             council council NOUN NN Number=Sing 3 nsubj
             wants want VERB VBZ VerbForm=Fin 0 root
             to to PART TO _ 5 mark
             see see VERB VB VerbForm=Inf 3 xcomp
             the the DET DT _ 7 det
             murals mural NOUN NNS Number=Plur 5 obj
             last last VERB VB VerbForm=Inf 3 conj
             for for ADP IN _ 10 case
             years year NOUN NNS Number=Plur 8 obl
             . . PUNCT . _ 3 punct",
        );
        assert_eq!(
            said_with(&text, &found, "wants"),
            "see the murals last for years"
        );
    }

    #[test]
    fn nouns_hung_on_the_cue_after_a_comma_are_what_was_said() {
        let (text, found) = statements_over(
            "Doctors doctor NOUN NNS Number=Plur 2 nsubj
             said say VERB VBD VerbForm=Fin 0 root
             he he PRON PRP _ 4 nsubj
             suffered suffer VERB VBD VerbForm=Fin 2 ccomp
             a a DET DT _ 6 det
             concussion concussion NOUN NN Number=Sing 4 obj
             , , PUNCT , _ 8 punct
             bruises bruise NOUN NNS Number=Plur 2 conj
             and and CCONJ CC _ 10 cc
             burns burn NOUN NNS Number=Plur 8 conj
             . . PUNCT . _ 2 punct",
        );
        assert_eq!(
            said_with(&text, &found, "said"),
            "he suffered a concussion , bruises and burns"
        );
        let (text, found) = statements_over(
            "Officers officer NOUN NNS Number=Plur 2 nsubj
             said say VERB VBD VerbForm=Fin 0 root
             fighting fighting NOUN NN Number=Sing 4 nsubj
             continued continue VERB VBD VerbForm=Fin 2 ccomp
             near near ADP IN _ 6 case
             Harim Harim PROPN NNP Number=Sing 4 obl
             , , PUNCT , _ 11 punct
             the the DET DT _ 9 det
             last last ADJ JJ _ 9 amod
             pocket pocket NOUN NN Number=Sing 11 nsubj
             hands hand NOUN NNS Number=Plur 2 parataxis
             . . PUNCT . _ 2 punct",
        );
        assert_eq!(
            said_with(&text, &found, "said"),
            "fighting continued near Harim , the last pocket hands"
        );
    }

    #[test]
    fn a_clause_of_its_own_after_the_comma_is_not_what_was_said() {
        let (text, found) = statements_over(
            "Police police NOUN NNS Number=Plur 2 nsubj
             said say VERB VBD VerbForm=Fin 0 root
             the the DET DT _ 4 det
             man man NOUN NN Number=Sing 6 nsubj
             was be AUX VBD VerbForm=Fin 6 cop
             armed armed ADJ JJ _ 2 ccomp
             , , PUNCT , _ 11 punct
             but but CCONJ CC _ 11 cc
             witnesses witness NOUN NNS Number=Plur 11 nsubj
             were be AUX VBD VerbForm=Fin 11 cop
             unsure unsure ADJ JJ _ 2 conj
             . . PUNCT . _ 2 punct",
        );
        assert_eq!(said_with(&text, &found, "said"), "the man was armed");
        // "adding" is the police's: "fled" is what they said.
        let (text, found) = statements_over(
            "Police police NOUN NNS Number=Plur 2 nsubj
             said say VERB VBD VerbForm=Fin 0 root
             the the DET DT _ 4 det
             suspect suspect NOUN NN Number=Sing 5 nsubj
             fled flee VERB VBD VerbForm=Fin 2 ccomp
             , , PUNCT , _ 7 punct
             adding add VERB VBG VerbForm=Ger 5 advcl
             that that SCONJ IN _ 11 mark
             he he PRON PRP _ 11 nsubj
             was be AUX VBD VerbForm=Fin 11 cop
             armed armed ADJ JJ _ 7 ccomp
             . . PUNCT . _ 2 punct",
        );
        let adding = found.iter().find(|s| s.cue == "adding");
        assert_eq!(
            adding.and_then(|s| s.speaker_text.as_deref()),
            Some("Police"),
            "{text}"
        );
    }

    #[test]
    fn a_relative_or_complementing_word_is_no_speaker() {
        // "that" taken for the object of "able", whose complement "know" is conjoined to.
        let (text, found) = statements_over(
            "It it PRON PRP _ 2 nsubj
             means mean VERB VBZ VerbForm=Fin 0 root
             a a DET DT _ 4 det
             lot lot NOUN NN Number=Sing 2 obj
             that that PRON WDT PronType=Rel 8 obj
             they they PRON PRP _ 8 nsubj
             were be AUX VBD VerbForm=Fin 8 cop
             able able ADJ JJ _ 4 acl:relcl
             to to PART TO _ 10 mark
             track track VERB VB VerbForm=Inf 8 xcomp
             this this PRON DT _ 10 obj
             and and CCONJ CC _ 13 cc
             know know VERB VBP VerbForm=Fin 10 conj
             that that SCONJ IN _ 17 mark
             we we PRON PRP _ 17 nsubj
             can can AUX MD VerbForm=Fin 17 aux
             open open VERB VB VerbForm=Inf 13 ccomp
             . . PUNCT . _ 2 punct",
        );
        assert!(
            found.iter().all(|s| s
                .speaker_text
                .as_deref()
                .is_none_or(|t| !t.eq_ignore_ascii_case("that"))),
            "{text}: {found:?}"
        );
    }
}
