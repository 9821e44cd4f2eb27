//! Statements: who said what, when, in what form.
//!
//! Forms: a direct quote (speaker before, after or around it), indirect speech after a cue
//! ("said that ..."), "according to X", "X received information that ..." (a source inside a
//! claim: it extends the attribution chain of the statement it sits in), and the outlet's own
//! assertion for every sentence nobody else is credited with. A statement's date is the time
//! expression of its speech act ("said on 24 January"); its kind comes from the cue, refined by
//! prediction markers and accusation tags in its content.

use crate::entities::Draft;
use crate::resources::{Cue, Resources};
use regex::Regex;
use sitrep_core::{PartialDate, Span};
use sitrep_syntax::{Parse, Tok, Upos};
use sitrep_tokens::TokenKind;
use std::sync::LazyLock;

#[derive(Debug, Clone)]
pub(crate) struct DraftStatement {
    pub content: Span,
    pub speaker: Option<usize>,
    pub speaker_text: Option<String>,
    pub cue: String,
    pub form: &'static str,
    pub date: Option<PartialDate>,
    pub kind: String,
    pub tags: Vec<String>,
    /// Sources cited inside the content ("the Reconciliation Center", "intelligence").
    pub cited: Vec<String>,
    /// Where the cue is, to date the statement from the nearest time expression.
    pub cue_span: Span,
    /// What made it: the syntactic path, or the word pattern.
    pub rule: String,
}

impl DraftStatement {
    /// "According to X, …": a source's assertion in the outlet's words.
    pub(crate) fn according_to(
        content: Span,
        speaker: Option<usize>,
        speaker_text: String,
        cue_span: Span,
        rule: String,
    ) -> Self {
        DraftStatement {
            content,
            speaker,
            speaker_text: Some(speaker_text),
            cue: "according to".into(),
            form: "according_to",
            date: None,
            kind: "assertion".into(),
            tags: Vec::new(),
            cited: Vec::new(),
            cue_span,
            rule,
        }
    }
}

/// Who the article's own voice is: the outlet, if known.
pub(crate) struct Outlet {
    pub entity: Option<usize>,
    pub published: Option<PartialDate>,
}

/// Forms of "be" that make a participle cue passive ("is accused", "were told").
const PASSIVE_AUXILIARIES: &[&str] = &["is", "are", "was", "were"];

/// Words that may stand between a speaker and the cue.
const SPEECH_AUXILIARIES: &[&str] = &[
    "has",
    "have",
    "had",
    "was",
    "were",
    "is",
    "are",
    "also",
    "later",
    "again",
    "previously",
    "reportedly",
    "repeatedly",
    "publicly",
    "officially",
    "flatly",
    "strongly",
    "recently",
    "earlier",
    "then",
    "immediately",
];

static ACCORDING_FIRST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:according to) ([^,]+), (.+?)[.!?]?$").expect("valid regex"));
static ACCORDING_LAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.+?),? (?i:according to) ([^,.]+)[.!?]?$").expect("valid regex")
});
static RECEIVED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:has |had )?(?:received|obtained|has information|had information)(?: (?:exclusive|new|credible|reliable))? ?(intelligence|information|reports?)? (?:that|indicating that|suggesting that) ")
        .expect("valid regex")
});

pub(crate) fn find(
    draft: &Draft<'_>,
    parse: Option<&Parse>,
    resources: &Resources,
    outlet: &Outlet,
) -> Vec<DraftStatement> {
    let mut statements: Vec<DraftStatement> = Vec::new();
    for (index, &sentence) in draft.layout.sentences.iter().enumerate() {
        let before = statements.len();
        if let Some(parse) = parse {
            crate::attribution::from_parse(draft, parse, resources, sentence, &mut statements);
            crate::attribution::according_to(draft, parse, resources, sentence, &mut statements);
        }
        if !statements[before..]
            .iter()
            .any(|s| s.form == "according_to")
        {
            according_to(draft, parse, sentence, resources, &mut statements);
        }
        headline(draft, sentence, &resources.headline_labels, &mut statements);
        cued(draft, parse, resources, sentence, index, &mut statements);
        received_information(draft, sentence, &mut statements);
        // Statements nested in a quotation ("“I think …”") leave it to be continued.
        let quoted =
            |s: &DraftStatement| crate::attribution::quotation_holding(draft, s.cue_span).is_some();
        if statements[before..].iter().all(quoted) {
            continued_quote(draft, sentence, &mut statements);
        }
    }
    drop_continuations_with_their_own_cue(&mut statements);
    first_person_in_quotations(&mut statements);
    pronouns_continue_the_speaker(draft, &mut statements);
    it_is_the_last_body_speaking(draft, &mut statements);
    // Whatever nobody else is credited with is the outlet's own: sentences that no statement's
    // content or cue touches (a quotation can run over several sentences before its cue), but
    // a dateline, which says where the story was filed.
    let credited: Vec<Span> = statements
        .iter()
        .flat_map(|s| [s.content, s.cue_span])
        .chain(draft.layout.datelines.iter().copied())
        .collect();
    for &sentence in &draft.layout.sentences {
        let touched = credited
            .iter()
            .any(|c| c.start < sentence.end && sentence.start < c.end);
        if !touched {
            statements.push(DraftStatement {
                content: trim_stop(draft.text, sentence),
                speaker: outlet.entity,
                speaker_text: None,
                cue: String::new(),
                form: "outlet_assertion",
                date: None,
                kind: "assertion".into(),
                tags: Vec::new(),
                cited: Vec::new(),
                cue_span: Span {
                    start: sentence.start,
                    end: sentence.start,
                },
                rule: "outlet: a sentence no one else is credited with".into(),
            });
        }
    }
    statements.sort_by_key(|s| s.content.start.min(s.cue_span.start));
    for s in &mut statements {
        finish(draft, resources, outlet, s);
    }
    carry_dates(&mut statements);
    statements
}

/// Words of a single-quoted stretch that make it speech, not scare quotes ('Takfiri
/// terrorists'): British outlets quote speech in single quotes.
const SPOKEN_WORDS: usize = 5;

/// Whether a quotation is someone's words: any double-quoted one, and a single-quoted one
/// long enough to be said ('We are ready to take on missions,' said Thomas).
pub(crate) fn is_speech(text: &str, q: &sitrep_tokens::Quote) -> bool {
    q.double
        || text
            .get(q.inner.start..q.inner.end)
            .is_some_and(|inner| inner.split_whitespace().count() >= SPOKEN_WORDS)
}

/// "I" and "we" inside a quotation are its speaker: "“I think it will fail,” she said".
fn first_person_in_quotations(statements: &mut [DraftStatement]) {
    for i in 0..statements.len() {
        let first_person = statements[i].speaker.is_none()
            && statements[i]
                .speaker_text
                .as_deref()
                .is_some_and(|t| matches!(t.to_lowercase().as_str(), "i" | "we"));
        if !first_person {
            continue;
        }
        let cue = statements[i].cue_span;
        let quoting = statements.iter().find(|q| {
            q.form == "direct_quote" && q.content.start <= cue.start && cue.end <= q.content.end
        });
        if let Some(speaker) = quoting.and_then(|q| q.speaker) {
            statements[i].speaker = Some(speaker);
        }
    }
}

/// "The minister said the money approved by President Buhari would buy arms. According to
/// him, …": a "he" or "she" that speaks is the last person who spoke, not one that person
/// only spoke of. The pronoun's referent (the last person named, see the attribution rules)
/// gives way to the last speaker when every mention of it since lies in what was said.
fn pronouns_continue_the_speaker(draft: &Draft<'_>, statements: &mut [DraftStatement]) {
    let person = |e: usize| draft.entities[draft.resolve(e)].kind == "person";
    for i in 0..statements.len() {
        let Some(pronoun) = statements[i]
            .speaker_text
            .as_deref()
            .filter(|t| is_personal_pronoun(t))
            .map(str::to_string)
        else {
            continue;
        };
        let Some(named) = statements[i].speaker.filter(|&e| person(e)) else {
            continue;
        };
        let cue = statements[i].cue_span;
        let sentence = |at: usize| draft.layout.sentence_at(at).unwrap_or(0);
        let last = last_speaker_within_reach(draft, statements, i, person);
        let Some((last, speaker)) = last.and_then(|s| Some((s, s.speaker?))) else {
            continue;
        };
        if draft.resolve(speaker) == draft.resolve(named) {
            continue;
        }
        let name = &draft.entities[draft.resolve(speaker)].name;
        if draft.gendered_titles.rules_out(&pronoun, name) {
            continue;
        }
        // Since the last speaker's cue, the pronoun's referent was only spoken of: named in
        // what was said, or after a cue in the cue's sentence ("has said under President
        // Buhari, 20,000 …").
        let spoken_in = |m: Span, s: &DraftStatement| {
            (s.content.start <= m.start && m.end <= s.content.end)
                || (s.cue_span.end <= m.start && sentence(m.start) == sentence(s.cue_span.start))
        };
        let spoken_of = draft
            .mentions
            .iter()
            .filter(|m| {
                m.entity
                    .is_some_and(|e| draft.resolve(e) == draft.resolve(named))
            })
            .filter(|m| last.cue_span.start <= m.span.start && m.span.end <= cue.start)
            .all(|m| statements[..i].iter().any(|s| spoken_in(m.span, s)));
        if spoken_of {
            statements[i].speaker = Some(speaker);
            statements[i]
                .rule
                .push_str(" (the pronoun: the last speaker)");
        }
    }
}

/// "State news agency SANA said troops destroyed the car bomb. It added that …", "Russia has
/// said it believes …": an "it" that speaks and names no one is the last body that spoke (an
/// agency, a ministry, a country), within the reach a pronoun has. People and places do not
/// speak as "it", and after a person's words it stands for nobody we can tell.
fn it_is_the_last_body_speaking(draft: &Draft<'_>, statements: &mut [DraftStatement]) {
    let body = |e: usize| {
        !matches!(
            draft.entities[draft.resolve(e)].kind.as_str(),
            "person" | "place" | "civilians"
        )
    };
    for i in 0..statements.len() {
        let it = statements[i]
            .speaker_text
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("it"));
        if !it || statements[i].speaker.is_some() {
            continue;
        }
        // The last who spoke, whoever it was: past a person's words, "it" is nobody's.
        let last = last_speaker_within_reach(draft, statements, i, |_| true);
        if let Some(speaker) = last.and_then(|s| s.speaker).filter(|&e| body(e)) {
            statements[i].speaker = Some(speaker);
            statements[i]
                .rule
                .push_str(" (it: the last body that spoke)");
        }
    }
}

/// The last statement before statement `i` (by where the cues are) whose speaker `speaks`,
/// provided what it said ends at most [`SPEAKER_REACH`] sentences before statement `i` begins.
fn last_speaker_within_reach<'s>(
    draft: &Draft<'_>,
    statements: &'s [DraftStatement],
    i: usize,
    speaks: impl Fn(usize) -> bool,
) -> Option<&'s DraftStatement> {
    let cue = statements[i].cue_span;
    let said_from = statements[i].content.start.min(cue.start);
    let sentence = |at: usize| draft.layout.sentence_at(at).unwrap_or(0);
    statements[..i]
        .iter()
        .filter(|s| s.cue_span.end <= cue.start && s.speaker.is_some_and(&speaks))
        .max_by_key(|s| s.cue_span.start)
        .filter(|s| {
            let said_until = s.cue_span.end.max(s.content.end).min(said_from);
            sentence(said_from).saturating_sub(sentence(said_until)) <= SPEAKER_REACH
        })
}

/// How many sentences after the end of what the last speaker said a pronoun's statement may
/// begin and its pronoun still be that speaker.
const SPEAKER_REACH: usize = 3;

/// "he", "him", "she" or "her", in any case.
fn is_personal_pronoun(text: &str) -> bool {
    matches!(text.to_lowercase().as_str(), "he" | "him" | "she" | "her")
}

/// A report that goes on paraphrasing one speaker ("Yegorov said on 24 January that ...
/// Yegorov said that ... According to the Russian general, ...") reports one speech act: an
/// undated statement takes the date of the same speaker's statement just before it.
fn carry_dates(statements: &mut [DraftStatement]) {
    let mut previous: Option<(Option<usize>, Option<PartialDate>, Span)> = None;
    for s in statements.iter_mut() {
        if s.form == "outlet_assertion" {
            continue;
        }
        if let Some((speaker, date, content)) = &previous {
            // A statement nested in the last one's words is no step of the report.
            if content.start <= s.cue_span.start && s.cue_span.end <= content.end {
                continue;
            }
            if s.date.is_none() && *speaker == s.speaker {
                s.date.clone_from(date);
            }
        }
        previous = Some((s.speaker, s.date.clone(), s.content));
    }
}

pub(crate) fn trim_stop(text: &str, span: Span) -> Span {
    let s = &text[span.start..span.end];
    let trimmed = s.trim_end_matches(['.', ' ']);
    Span {
        start: span.start,
        end: span.start + trimmed.len(),
    }
}

/// The entity mentions inside a span, in order.
fn mentions_in<'d>(
    draft: &'d Draft<'_>,
    span: Span,
) -> impl Iterator<Item = &'d crate::entities::DraftMention> {
    draft.mentions.iter().filter(move |m| {
        m.kind != "time"
            && m.entity.is_some()
            && m.span.start >= span.start
            && m.span.end <= span.end
    })
}

/// The speaker named in a phrase: its person if it names one, else its last actor; never a
/// name inside another ("Syrian" in "the Syrian Observatory") nor the place it is based in
/// ("a Britain-based monitor" is not Britain).
pub(crate) fn speaker_in(draft: &Draft<'_>, phrase: Span) -> Option<(usize, Span)> {
    let named: Vec<_> = mentions_in(draft, phrase)
        .filter(|m| !draft.text[m.span.end..].starts_with("-based"))
        .collect();
    let inside_another = |m: &crate::entities::DraftMention| {
        named
            .iter()
            .any(|o| o.span != m.span && crate::attribution::within(m.span, o.span))
    };
    let found: Vec<_> = named.iter().filter(|m| !inside_another(m)).collect();
    let pick = found
        .iter()
        .rev()
        .find(|m| m.kind == "person")
        .or(found.last())?;
    Some((draft.resolve(pick.entity?), pick.span))
}

/// A headline's colon after its speaker ("Abdah: Assad's bombing of Idlib aims at …"): a line
/// that opens with a person's or an organisation's name, a colon, and what they said. A place
/// before the colon is a dateline ("DAMASCUS: …"), and a label ("Update:") no speaker.
fn headline(draft: &Draft<'_>, sentence: Span, labels: &[String], out: &mut Vec<DraftStatement>) {
    let before = &draft.text[..sentence.start];
    let line_start =
        before.trim_end_matches([' ', '\t']).ends_with('\n') || before.trim().is_empty();
    let text = &draft.text[sentence.start..sentence.end];
    let Some(colon) = text.find(": ").filter(|&c| line_start && c > 0) else {
        return;
    };
    let name = Span {
        start: sentence.start,
        end: sentence.start + colon,
    };
    let words = &draft.text[name.start..name.end];
    if !words.chars().any(char::is_lowercase) {
        return; // "DAMASCUS: …", a dateline
    }
    let mention = mentions_in(draft, name).find(|m| m.span == name);
    // A name no dictionary knows, in title case (a dateline is in capitals), not a label.
    let unknown_name = mention.is_none()
        && words.split_whitespace().count() <= 4
        && words
            .split_whitespace()
            .all(|w| w.starts_with(char::is_uppercase) && w.chars().any(char::is_lowercase))
        && !labels.iter().any(|l| l.eq_ignore_ascii_case(words));
    let speaks = mention.is_some_and(|m| matches!(m.kind, "person" | "organization" | "group"));
    if !(speaks || unknown_name) {
        return;
    }
    out.push(DraftStatement {
        content: trim_stop(
            draft.text,
            Span {
                start: name.end + 2,
                end: sentence.end,
            },
        ),
        speaker: mention.and_then(|m| m.entity).map(|e| draft.resolve(e)),
        speaker_text: Some(words.to_string()),
        cue: ":".into(),
        form: "headline",
        date: None,
        kind: "assertion".into(),
        tags: Vec::new(),
        cited: Vec::new(),
        cue_span: Span {
            start: name.end,
            end: name.end + 1,
        },
        rule: "pattern: a headline's speaker before a colon".into(),
    });
}

fn according_to(
    draft: &Draft<'_>,
    parse: Option<&Parse>,
    sentence: Span,
    resources: &Resources,
    out: &mut Vec<DraftStatement>,
) {
    let norms = &resources.according_to_norms;
    let text = &draft.text[sentence.start..sentence.end];
    let at = |start: usize, end: usize| Span {
        start: sentence.start + start,
        end: sentence.start + end,
    };
    let (source, content) = if let Some(c) = ACCORDING_FIRST.captures(text) {
        let (s, b) = (c.get(1).expect("group"), c.get(2).expect("group"));
        (at(s.start(), s.end()), at(b.start(), b.end()))
    } else if let Some(c) = ACCORDING_LAST.captures(text) {
        let (b, s) = (c.get(1).expect("group"), c.get(2).expect("group"));
        (at(s.start(), s.end()), at(b.start(), b.end()))
    } else {
        return;
    };
    // "according to plan", "according to the agreements": a norm followed, not a source (a
    // name is no norm: "according to Standard Chartered analysts").
    let norm = draft.text[source.start..source.end]
        .split_whitespace()
        .take(3)
        .filter(|w| !w.starts_with(char::is_uppercase))
        .any(|w| {
            norms
                .iter()
                .any(|n| w == n || w.strip_suffix('s') == Some(n))
        });
    // "He said according to the file that …": a speaker and a cue are no content.
    let content_words: Vec<&str> = draft.text[content.start..content.end]
        .split_whitespace()
        .collect();
    // ("He said", "officials told AFP"; not "Russia rejected the plan"): a cue verb among its
    // last two words, as the parse tags them.
    let cue_verb =
        |word: &Tok<'_>| word.upos() == Upos::Verb && resources.cue(word.form()).is_some();
    let speaker_and_cue = content_words.len() <= 4
        && parse.is_some_and(|p| {
            let words: Vec<Tok<'_>> = crate::attribution::words_in(p, content).collect();
            words
                .iter()
                .rev()
                .filter(|w| w.upos() != Upos::Punct)
                .take(2)
                .any(cue_verb)
        });
    if norm || speaker_and_cue {
        return;
    }
    out.push(DraftStatement::according_to(
        content,
        speaker_in(draft, source).map(|s| s.0),
        draft.text[source.start..source.end].to_string(),
        source,
        "pattern: according to".into(),
    ));
}

/// Statements introduced by a speech cue in this sentence.
fn cued(
    draft: &Draft<'_>,
    parse: Option<&Parse>,
    resources: &Resources,
    sentence: Span,
    index: usize,
    out: &mut Vec<DraftStatement>,
) {
    let tokens = draft.layout.tokens_in(sentence);
    let quotes: Vec<_> = draft
        .layout
        .quotes
        .iter()
        .filter(|q| {
            is_speech(draft.text, q) && q.span.start < sentence.end && sentence.start < q.span.end
        })
        .collect();
    let inside_quote = |offset: usize| {
        quotes
            .iter()
            .any(|q| q.inner.start <= offset && offset < q.inner.end)
    };
    let mut last_speaker: Option<(usize, String)> = None;
    for (k, t) in tokens.iter().enumerate() {
        let word = &draft.text[t.span.start..t.span.end];
        let Some(cue) = resources.cue(word) else {
            continue;
        };
        let placed_by_parse = out.iter().any(|s| s.cue_span == t.span);
        if t.kind != TokenKind::Word
            || inside_quote(t.span.start)
            || placed_by_parse
            || parse.is_some_and(|p| parsed_as_no_statement(p, t.span, word, cue, resources))
        {
            continue;
        }
        // A cue inside an earlier statement's content opens a statement of its own only at a
        // clause of its own ("Russia said ..., while Turkey said ..."); the earlier content
        // then ends where that clause begins.
        let enclosing = out
            .iter()
            .position(|s| s.content.start <= t.span.start && t.span.end <= s.content.end);
        if let Some(outer) = enclosing {
            match clause_start_before(draft, out[outer].content.start, t.span.start) {
                Some(boundary) => out[outer].content.end = boundary,
                None => continue,
            }
        }
        let prev_text = |j: usize| {
            tokens
                .get(k.wrapping_sub(j))
                .map(|p| &draft.text[p.span.start..p.span.end])
        };
        // "adding that ...": the speaker of the statement just made in this sentence.
        let participle = word.ends_with("ing") && prev_text(1) == Some(",");
        let speaker = if participle {
            last_speaker.clone().map(|(e, text)| (Some(e), text))
        } else {
            speaker_before(draft, sentence, t.span.start, index).or_else(|| {
                let object = mention_after(draft, t.span, sentence);
                object
                    .and_then(|m| speaker_after(draft, m, t.span, sentence))
                    .or_else(|| unnamed_speaker(draft, sentence, t.span))
                    // A cue with an object and no subject found still attributes what
                    // follows, to someone the sentence leaves unnamed.
                    .or(object.map(|_| (None, String::new())))
            })
        };
        let Some((speaker, speaker_text)) = speaker else {
            continue;
        };
        let after = &draft.text[t.span.end..sentence.end];
        // The quotation this cue attributes: just before it ("“...,” he said") or just after it.
        let quote_before = quotes.iter().rev().find(|q| {
            q.span.end <= t.span.start
                && draft.text[q.span.end..t.span.start].len() <= speaker_text.len() + 6
        });
        let quote_after = quotes.iter().find(|q| {
            q.span.start >= t.span.end
                && draft.text[t.span.end..q.span.start]
                    .trim()
                    .trim_matches(':')
                    .trim()
                    .is_empty()
        });
        let (content, form) = if let Some(q) = quote_before.filter(|_| !participle) {
            (q.inner, "direct_quote")
        } else if let Some(q) = quote_after {
            (q.inner, "direct_quote")
        } else if let Some(that) = find_that(after) {
            let start = t.span.end + that;
            (
                trim_stop(
                    draft.text,
                    Span {
                        start,
                        end: sentence.end,
                    },
                ),
                "indirect",
            )
        } else if after.trim_start().starts_with(['.', ',']) || after.trim().is_empty() {
            // "..., the ministry said." — the content comes first.
            let end = draft.text[sentence.start..t.span.start]
                .rfind(',')
                .map_or(t.span.start, |i| sentence.start + i);
            if end <= sentence.start {
                continue;
            }
            (
                Span {
                    start: sentence.start,
                    end,
                },
                "indirect",
            )
        } else {
            (
                trim_stop(
                    draft.text,
                    Span {
                        start: t.span.end + (after.len() - after.trim_start().len()),
                        end: sentence.end,
                    },
                ),
                "indirect",
            )
        };
        // A quotation holds what it holds, other speakers' words among them.
        let content = match form {
            "direct_quote" => content,
            _ => match stop_before_other_cues(draft, content, out) {
                Some(content) => content,
                None => continue,
            },
        };
        if let Some(e) = speaker {
            last_speaker = Some((e, speaker_text.clone()));
        }
        out.push(DraftStatement {
            content,
            speaker,
            speaker_text: Some(speaker_text).filter(|t| !t.is_empty()),
            cue: word.to_lowercase(),
            form,
            date: None,
            kind: cue.kind.clone(),
            tags: Vec::new(),
            cited: Vec::new(),
            cue_span: t.span,
            rule: format!("pattern: {form} speech cue{}", cue.credit()),
        });
    }
}

/// Content read off the words after a cue that runs into a statement already found, cue and
/// all ("accusing police of misconduct, the young man alleges the incident began …"): it
/// ends at the last comma or semicolon before that cue, or there is none.
fn stop_before_other_cues(
    draft: &Draft<'_>,
    content: Span,
    found: &[DraftStatement],
) -> Option<Span> {
    let Some(other_cue) = found
        .iter()
        .map(|s| s.cue_span)
        .filter(|c| content.start < c.start && c.end <= content.end)
        .min_by_key(|c| c.start)
    else {
        return Some(content);
    };
    let end = content.start + draft.text[content.start..other_cue.start].rfind([',', ';'])?;
    Some(trim_stop(draft.text, Span { end, ..content })).filter(|c| c.start < c.end)
}

/// Whether the parse says a cue word states nothing, though its form is a cue: a verb negated
/// or in an unrealised infinitive (see `attribution::says_nothing`), or a form that is also the
/// cue's noun where the parser made it a noun with no subject ("…, American reports claimed").
/// (A form that is no noun stays a cue though the tagger erred: "…, police allege.")
fn parsed_as_no_statement(
    parse: &Parse,
    span: Span,
    word: &str,
    cue: &Cue,
    resources: &Resources,
) -> bool {
    let is_noun_form = cue.nouns.iter().any(|n| n.eq_ignore_ascii_case(word));
    crate::attribution::words_in(parse, span).any(|t| match t.upos() {
        sitrep_syntax::Upos::Verb => crate::attribution::says_nothing(t, cue, resources),
        sitrep_syntax::Upos::Noun => is_noun_form && t.children_with("nsubj").next().is_none(),
        _ => false,
    })
}

/// Where a new clause with its own speaker begins before a cue: the comma or semicolon before
/// "while", "whereas", "but" or "and" that precedes a named speaker right before the cue.
fn clause_start_before(draft: &Draft<'_>, from: usize, cue_start: usize) -> Option<usize> {
    let speaker = mentions_in(
        draft,
        Span {
            start: from,
            end: cue_start,
        },
    )
    .filter(|m| draft.text[m.span.end..cue_start].trim().is_empty())
    .last()?;
    let before = draft.text[from..speaker.span.start].trim_end();
    let connective = [
        ", while",
        ", whereas",
        ", but",
        ", and",
        "; while",
        ";",
        " while",
    ]
    .iter()
    .find(|c| before.ends_with(*c))?;
    Some(from + before.len() - connective.len())
}

/// Offset just past "that" in the clause after a cue: "said that", "said on 24 January that",
/// "told reporters that".
fn find_that(after: &str) -> Option<usize> {
    let mut end = after.len().min(80);
    while !after.is_char_boundary(end) {
        end -= 1;
    }
    let window = &after[..end];
    let at = window.find(" that ")?;
    let between = &window[..at];
    (!between.contains([',', '“', '"'])).then_some(at + " that ".len())
}

/// The speaker of a cue, named before it in the sentence.
fn speaker_before(
    draft: &Draft<'_>,
    sentence: Span,
    cue_start: usize,
    sentence_index: usize,
) -> Option<(Option<usize>, String)> {
    let head = Span {
        start: sentence.start,
        end: cue_start,
    };
    let before: Vec<_> = mentions_in(draft, head).collect();
    // "Yegorov said", "HTS has denied", "Russia had also warned": only auxiliaries and a few
    // adverbs may stand between a speaker and the cue — and no "is" before a participle: who
    // "is accused" or "was told" is spoken of, not speaking ("is warning" still speaks).
    let cue_word = draft.text[cue_start..]
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let gap_ok = |end: usize| {
        let gap: Vec<String> = draft.text[end..cue_start]
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        !passive(&gap, cue_word) && gap.iter().all(|w| SPEECH_AUXILIARIES.contains(&w.as_str()))
    };
    if let Some(m) = before
        .iter()
        .filter(|m| gap_ok(m.span.end))
        .max_by_key(|m| m.span.end - m.span.start)
    {
        return Some((Some(draft.resolve(m.entity?)), speaker_text(draft, m)));
    }
    // "Great Britain, which has accused …", "the envoy, who said …": the noun the relative
    // clause describes.
    if let Some(m) = before.iter().rev().find(|m| {
        let gap = draft.text[m.span.end..cue_start].trim_start();
        gap.strip_prefix(',')
            .map(str::trim_start)
            .and_then(|g| g.strip_prefix("who ").or(g.strip_prefix("which ")))
            .is_some_and(|rest| gap_ok(cue_start - rest.len()))
    }) {
        return Some((Some(draft.resolve(m.entity?)), speaker_text(draft, m)));
    }
    // "Major General Oleg Yegorov, the deputy head of ..., said": the clause's subject, then an
    // apposition closed by a comma just before the cue.
    if draft.text[..cue_start].trim_end().ends_with(',') {
        let clause_start = draft.text[sentence.start..cue_start]
            .find(", ")
            .map(|i| sentence.start + i)
            .filter(|&i| {
                draft.text[sentence.start..i].split_whitespace().count() <= 4
                    && !mentions_in(
                        draft,
                        Span {
                            start: sentence.start,
                            end: i,
                        },
                    )
                    .any(|m| m.kind == "person")
            })
            .map_or(sentence.start, |i| i + 2);
        // A dateline ("JISR AL-SHUGHUR, Syria, Feb 14 (Meridian) – ...") ends at its dash.
        let head = &draft.text[sentence.start..cue_start];
        let dateline_end = [" – ", " — "]
            .iter()
            .filter_map(|dash| head.find(dash).map(|i| sentence.start + i + dash.len()))
            .filter(|&end| end - sentence.start <= 100)
            .min();
        let clause_start = dateline_end.map_or(clause_start, |end| end.max(clause_start));
        if let Some(m) = before
            .iter()
            .filter(|m| m.span.start >= clause_start)
            .min_by_key(|m| m.span.start)
        {
            if m.span.start - clause_start <= 30 {
                return Some((Some(draft.resolve(m.entity?)), speaker_text(draft, m)));
            }
        }
    }
    // "he said": the one person named in the sentences just before; "it said": the one
    // organisation or group.
    let pronoun = draft.text[sentence.start..cue_start]
        .trim_end()
        .rsplit([' ', '“', '”', ','])
        .next()?;
    let kinds: &[&str] = match pronoun {
        "he" | "she" | "He" | "She" => &["person"],
        "it" | "It" => &["organization", "group"],
        _ => return None,
    };
    let window_start = draft.layout.sentences[sentence_index.saturating_sub(2)].start;
    let mut named: Vec<usize> = draft
        .mentions
        .iter()
        .filter(|m| {
            kinds.contains(&m.kind) && m.span.start >= window_start && m.span.end <= cue_start
        })
        .filter_map(|m| m.entity.map(|e| draft.resolve(e)))
        .collect();
    named.sort_unstable();
    named.dedup();
    match named.as_slice() {
        [only] => Some((Some(*only), pronoun.to_string())),
        _ => None,
    }
}

/// A speaker the sentence does not name: the bare pronoun subject of the cue ("It says …",
/// "he blamed …" when the article names no one person just before; its words kept, no
/// entity), or no one at all for a passive cue ("Moscow is accused of …", "it was reported").
fn unnamed_speaker(
    draft: &Draft<'_>,
    sentence: Span,
    cue: Span,
) -> Option<(Option<usize>, String)> {
    let cue_word = &draft.text[cue.start..cue.end];
    let words: Vec<&str> = draft.text[sentence.start..cue.start]
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '“' | '”' | '"'))
        .filter(|w| !w.is_empty())
        .collect();
    let auxiliaries: Vec<String> = words
        .iter()
        .rev()
        .map(|w| w.to_lowercase())
        .take_while(|w| SPEECH_AUXILIARIES.contains(&w.as_str()))
        .collect();
    // A passive cue says something only with a complement ("is accused of …", "was said to
    // …", "it was reported that …"); "the plan was announced" names what was announced.
    if passive(&auxiliaries, cue_word) {
        let next = draft.text[cue.end..sentence.end]
            .split_whitespace()
            .next()
            .unwrap_or("");
        return matches!(next, "of" | "to" | "that").then(|| (None, String::new()));
    }
    let subject = words.iter().rev().nth(auxiliaries.len())?;
    SUBJECT_PRONOUNS
        .contains(&subject.to_lowercase().as_str())
        .then(|| (None, subject.to_string()))
}

/// Whether the auxiliaries before a cue make it passive: a form of "be" before a participle
/// ("is accused", "was also told"; "is warning" still speaks).
fn passive(auxiliaries: &[String], cue_word: &str) -> bool {
    !cue_word.ends_with("ing")
        && auxiliaries
            .iter()
            .any(|w| PASSIVE_AUXILIARIES.contains(&w.as_str()))
}

/// Pronouns that can be a cue's subject.
const SUBJECT_PRONOUNS: &[&str] = &["he", "she", "it", "they", "we", "i"];

/// The name right after a cue ("said Yegorov", "said Captain Maria Okafor", "blamed the
/// army"): the speaker when it follows what was said (see [`speaker_after`]), else the cue's
/// object.
fn mention_after<'d>(
    draft: &'d Draft<'_>,
    cue: Span,
    sentence: Span,
) -> Option<&'d crate::entities::DraftMention> {
    let m = mentions_in(
        draft,
        Span {
            start: cue.end,
            end: sentence.end,
        },
    )
    .next()?;
    let gap = draft.text[cue.end..m.span.start].trim();
    // A title the name's mention leaves out: "said Captain Maria Okafor", "said Gen. Ali Musa".
    let title = gap.split_whitespace().count() <= 3
        && gap
            .split_whitespace()
            .all(|w| w.starts_with(char::is_uppercase));
    (matches!(gap, "" | "the" | "The") || title).then_some(m)
}

/// "“...,” said Yegorov", "…, said the governor.": the name after a cue that follows what was
/// said (a quotation or a comma) and ends its clause. A name after any other cue, or one the
/// sentence goes on from ("blamed the government for …", "told police Bassett …"), is the
/// cue's object, not its speaker.
fn speaker_after(
    draft: &Draft<'_>,
    m: &crate::entities::DraftMention,
    cue: Span,
    sentence: Span,
) -> Option<(Option<usize>, String)> {
    let said_before = draft.text[sentence.start..cue.start]
        .trim_end()
        .ends_with([',', '”', '"', '’', '\'']);
    // "…, demanding the release of Ali Karimi": a participle is the clause's subject going
    // on, never inverted before its own.
    let participle = draft.text[cue.start..cue.end].ends_with("ing");
    let rest = draft.text[m.span.end..sentence.end].trim_start();
    let ends_clause =
        rest.is_empty() || rest.starts_with([',', '.', ';', ':', '(', '–', '—', '!', '?']);
    (said_before && ends_clause && !participle).then(|| {
        (
            Some(draft.resolve(m.entity.expect("filtered"))),
            speaker_text(draft, m),
        )
    })
}

/// The words naming a speaker, with a title just before the name ("Major General Oleg Yegorov").
fn speaker_text(draft: &Draft<'_>, m: &crate::entities::DraftMention) -> String {
    let start = m.rule.strip_prefix("name after title ").and_then(|t| {
        let title = t.trim_matches('"');
        let before = &draft.text[..m.span.start];
        before
            .trim_end()
            .strip_suffix(title)
            .or_else(|| before.trim_end().strip_suffix(&format!("{title}.")))
            .map(|b| b.len())
    });
    draft.text[start.unwrap_or(m.span.start)..m.span.end].to_string()
}

/// "X received intelligence that ...": inside another statement it extends that statement's
/// chain of sources; on its own it is a statement of X's.
fn received_information(draft: &Draft<'_>, sentence: Span, out: &mut Vec<DraftStatement>) {
    let text = &draft.text[sentence.start..sentence.end];
    for m in RECEIVED.captures_iter(text) {
        let whole = m.get(0).expect("group 0");
        let cue_span = Span {
            start: sentence.start + whole.start(),
            end: sentence.start + whole.end(),
        };
        let noun = m.get(1).map_or("information", |n| n.as_str()).to_string();
        let subject = mentions_in(
            draft,
            Span {
                start: sentence.start,
                end: cue_span.start,
            },
        )
        .last();
        let Some(subject) = subject else { continue };
        let subject_entity = draft.resolve(subject.entity.expect("filtered"));
        if let Some(outer) = out
            .iter_mut()
            .find(|s| s.content.start <= cue_span.start && cue_span.end <= s.content.end)
        {
            outer
                .cited
                .push(draft.entities[subject_entity].name.clone());
            outer.cited.push(noun);
            continue;
        }
        let cue = draft.text[cue_span.start..cue_span.end]
            .trim()
            .trim_end_matches(" that")
            .to_string();
        out.push(DraftStatement {
            content: trim_stop(
                draft.text,
                Span {
                    start: cue_span.end,
                    end: sentence.end,
                },
            ),
            speaker: Some(subject_entity),
            speaker_text: Some(draft.text[subject.span.start..subject.span.end].to_string()),
            cue,
            form: "indirect",
            date: None,
            kind: "assertion".into(),
            tags: Vec::new(),
            cited: vec![noun],
            cue_span,
            rule: "pattern: received information that".into(),
        });
    }
}

const CONTINUING: &str = "pattern: quotation continuing the last speaker's";
const AFTER_REPORTED: &str = "pattern: quotation after the speaker's reported speech";

/// A quotation taken to continue the last speaker's that turns out to have a cue of its own
/// after it ("“We want to see the judge. …,” she said"): its cue says who spoke.
fn drop_continuations_with_their_own_cue(statements: &mut Vec<DraftStatement>) {
    let continuing = |s: &DraftStatement| s.rule == CONTINUING || s.rule == AFTER_REPORTED;
    let cued: Vec<Span> = statements
        .iter()
        .filter(|s| !continuing(s) && s.form == "direct_quote")
        .map(|s| s.content)
        .collect();
    statements.retain(|s| {
        !continuing(s)
            || !cued
                .iter()
                .any(|c| c.start < s.content.end && s.content.start < c.end)
    });
}

/// A quotation with no cue of its own after a speaker's statement: the same speaker goes on.
/// After a quotation, in its paragraph or the next; after reported speech ("Wilson said he was
/// shocked. “The officers know him.”"), straight after it, the news' way of quoting the one
/// just paraphrased.
fn continued_quote(draft: &Draft<'_>, sentence: Span, out: &mut Vec<DraftStatement>) {
    // The last speaker's statement: not one nested in a quotation.
    let Some(previous) = out
        .iter()
        .rev()
        .find(|s| crate::attribution::quotation_holding(draft, s.cue_span).is_none())
        .filter(|s| s.form == "direct_quote" || s.form == "indirect" && s.speaker_text.is_some())
        .cloned()
    else {
        return;
    };
    let Some(q) = draft.layout.quotes.iter().find(|q| {
        is_speech(draft.text, q) && q.span.start >= sentence.start && q.span.start < sentence.end
    }) else {
        return;
    };
    // A quotation the last statement already holds (one broken by its cue) is not a new one.
    let Some(between) = draft.text.get(previous.content.end..q.span.start) else {
        return;
    };
    let follows = if previous.form == "direct_quote" {
        !between.contains("\n\n\n")
    } else {
        between
            .trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':'))
            .is_empty()
            && !between.contains("\n\n")
    };
    if !follows {
        return;
    }
    let rule = if previous.form == "direct_quote" {
        CONTINUING
    } else {
        AFTER_REPORTED
    };
    out.push(DraftStatement {
        content: q.inner,
        cue_span: q.span,
        form: "direct_quote",
        rule: rule.into(),
        date: None,
        ..previous
    });
}

/// Date, kind, tags and the chain of attribution.
fn finish(draft: &Draft<'_>, resources: &Resources, outlet: &Outlet, s: &mut DraftStatement) {
    let content = &draft.text[s.content.start..s.content.end];
    s.tags = resources.tags_of(content);
    let lower = content.to_lowercase();
    if s.kind == "assertion" {
        if resources
            .prediction_markers
            .iter()
            .any(|m| lower.contains(m.as_str()))
        {
            s.kind = "prediction".into();
        } else if s.tags.iter().any(|t| resources.accusation_tags.contains(t))
            && s.form != "outlet_assertion"
        {
            s.kind = "accusation".into();
        }
    }
    // The speech act's time: the time expression of its sentence outside the content, nearest
    // the cue; the outlet speaks on its publication date.
    let sentence = draft
        .layout
        .sentence_at(s.content.start)
        .map(|i| draft.layout.sentences[i]);
    s.date = sentence
        .and_then(|sentence| {
            draft
                .mentions
                .iter()
                .filter(|m| m.kind == "time" && m.time.is_some())
                .filter(|m| m.span.start >= sentence.start && m.span.end <= sentence.end)
                .filter(|m| m.span.end <= s.content.start || m.span.start >= s.content.end)
                .min_by_key(|m| m.span.start.abs_diff(s.cue_span.start))
                .and_then(|m| m.time.clone())
        })
        .or_else(|| {
            (s.form == "outlet_assertion")
                .then(|| outlet.published.clone())
                .flatten()
        });
}
