//! Events: who did what to whom, where and when — and whether it happened at all.
//!
//! A trigger word from `data/events.toml` ("attacks", "stockpiling", "joint patrols") makes an
//! event of its PLOVER type. Its actors are the actors named before it in its clause, its
//! targets those named just after it; its place and time those named in its sentence, else
//! its paragraph, each with the level it came from. Its mode comes from the nearest marker
//! before it in its clause (`data/modes.toml`: "plan to" → planned, "may soon" → predicted)
//! and from the statement it sits in: the outlet's own words state facts, a speaker's claim
//! only alleges them. An event whose doer is no recognised actor keeps the words naming the
//! doer ("They", "gunmen") as uncoded actor text.

use crate::attribution::noun_phrase;
use crate::event_syntax;
use crate::resources::{EventPattern, EventPatterns, GenderedTitles, Resources};
use regex::Regex;
use sitrep_core::{Document, Event, Mention, Span, Statement};
use sitrep_syntax::Parse;
use sitrep_tokens::Layout;
use sitrep_verbs::{words_of, Clause, Coding};
use std::sync::LazyLock;

/// How far before a trigger its mode markers and actors are looked for, in bytes.
const CLAUSE_REACH: usize = 220;
/// A passive's "by", after a participle: "carried out by", "launched by".
static PASSIVE_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[^,;.]*?\b(?:\w+ed|out|made|done|run|shot|hit) by (?:the )?")
        .expect("valid regex")
});

/// Words and marks that open a new clause, whose subject is the event's.
const CLAUSE_OPENERS: &[&str] = &[
    " that ",
    " which ",
    " who ",
    " because ",
    " after ",
    " while ",
    " when ",
    "; ",
    ": ",
];
/// How far after a trigger its targets are looked for, in bytes.
const TARGET_REACH: usize = 45;
/// How far after a noun trigger a mode marker may follow it ("attacks are expected to").
const MARKER_AFTER_REACH: usize = 30;

/// The events of an annotated document.
/// `outlet` is the outlet's entity id: its own statements state facts.
pub(crate) fn find(
    doc: &Document,
    layout: &Layout,
    parse: Option<&Parse>,
    resources: &Resources,
    outlet: Option<&str>,
    described: &mut Described,
) -> Vec<Event> {
    let text = doc.article.text.as_str();
    let mut events = Vec::new();
    let triggers = triggers(text, parse, &resources.event_patterns);
    let mut current: Option<SentenceFacts> = None;
    for &(trigger, pattern) in &triggers {
        // Not a word of a name: "the Reconciliation Center" is no reconciliation.
        let in_a_name = mentions_covering(doc, trigger).any(|m| m.kind != "time");
        if in_a_name {
            continue;
        }
        let Some(&sentence) = layout
            .sentences
            .iter()
            .find(|s| s.start <= trigger.start && trigger.end <= s.end)
        else {
            continue;
        };
        let statement = statement_holding(doc, trigger);
        // The clause: from the sentence's start (or the claim's, if later) up to the trigger,
        // at most CLAUSE_REACH bytes back.
        let mut clause_start = word_start_from(
            text,
            sentence
                .start
                .max(statement.map_or(0, |s| s.span.start))
                .max(trigger.start.saturating_sub(CLAUSE_REACH)),
        );
        // A subordinate clause starts afresh: "received intelligence that militants plan to".
        if let Some(at) = CLAUSE_OPENERS
            .iter()
            .filter_map(|w| {
                text[clause_start..trigger.start]
                    .rfind(w)
                    .map(|at| at + w.len())
            })
            .max()
        {
            clause_start += at;
        }
        let before = &text[clause_start..trigger.start];
        // Up to the clause's end, and not across "and" (another verb's clause) nor mid-word.
        let after_end = word_end_before(
            text,
            (trigger.end + MARKER_AFTER_REACH).min(clause_end(text, trigger.end, sentence.end)),
        );
        let after_end = text[trigger.end..after_end]
            .find(" and ")
            .map_or(after_end, |at| trigger.end + at);
        let word = parse.and_then(|p| event_syntax::head_word(p, trigger));
        let marker = match word {
            Some(word) => event_syntax::chain_mode(word, &resources.event_patterns, text),
            None => resources
                .event_patterns
                .nearest_marker(before)
                .or_else(|| {
                    resources
                        .event_patterns
                        .first_marker_after(&text[trigger.end..after_end])
                })
                .map(|(mode, marker)| {
                    let credit = resources.event_patterns.mode_credit(marker);
                    (mode, format!("{marker:?}{credit}"))
                }),
        };
        let marked = marker.is_some();
        let (mode, mode_rule) = mode_of(marker, statement, outlet);
        // What all the sentence's triggers share, made once.
        if current.as_ref().is_none_or(|c| c.start != sentence.start) {
            current = Some(SentenceFacts {
                start: sentence.start,
                words: words_of(text, sentence),
                paragraph: paragraph_of(text, sentence),
                contexts: resources
                    .contexts
                    .of(sentence.slice(text).unwrap_or_default()),
            });
        }
        let facts = current.as_ref().expect("made above");
        let words = facts.words.as_slice();
        // The words before a trigger name its doer only inside its own clause, where the parse
        // knows it ("… killed since the truce collapsed": not the killed).
        let subject_from = word
            .and_then(event_syntax::subordinate_clause_start)
            .map_or(clause_start, |start| clause_start.max(start));
        let mut actors = subject_of(doc, words, sentence, subject_from, trigger);
        let target_end = clause_end(text, trigger.end, sentence.end);
        let mut targets: Vec<String> = actors_in(
            doc,
            Span {
                start: trigger.end,
                end: target_end,
            },
        );
        // The passive names its doers after "by": "joint patrols being carried out by the SAA
        // and the Russian military".
        let triggers_after: Vec<usize> = triggers
            .iter()
            .map(|(t, _)| t.start)
            .filter(|&at| at >= trigger.end)
            .collect();
        let by_agent = PASSIVE_BY
            .find(&text[trigger.end..sentence.end])
            .filter(|m| m.end() <= TARGET_REACH)
            .filter(|m| !triggers_after.iter().any(|&at| at < trigger.end + m.end()));
        if let Some(by) = by_agent {
            let agents_from = trigger.end + by.end();
            let agents = actors_in(
                doc,
                Span {
                    start: agents_from,
                    end: clause_end(text, agents_from, sentence.end),
                },
            );
            if !agents.is_empty() {
                actors = agents;
            }
        }
        let mut actor_text = None;
        let mut actor_word = None;
        let mut role_rule = String::new();
        // Whether the parse named the target but no doer: then the target is not also the doer
        // the word patterns guessed ("150,000 people have been displaced": no doer named).
        let mut target_parsed = false;
        let mut actor_parsed = false;
        // Whether the parse found the target before the trigger ("few of the firearms were
        // submitted"): then the words before it are no doer.
        let mut target_before = false;
        if let Some(word) = word {
            let mut roles =
                event_syntax::roles(word, &pattern.event_type, &resources.event_patterns);
            // "fighting near the airport on Sunday", "Friday's air strikes": a time is no
            // target and no doer.
            let timed = |role: sitrep_syntax::Tok<'_>| {
                mentions_covering(doc, noun_phrase(role)).any(|m| m.kind == "time")
            };
            if reported_not_done(word, resources) || roles.actor.is_some_and(|(a, _)| timed(a)) {
                roles.actor = None;
            }
            if let Some((actor, rel)) = roles.actor {
                actor_word = Some(actor);
                let phrase = after_leading_time(doc, noun_phrase(actor));
                // "the police chief, Anna Berg, wanted to …": the name set beside a title says
                // who, more nearly than any name inside the title.
                let named_beside = event_syntax::name_beside(actor)
                    .map(|name| actors_in(doc, noun_phrase(name)))
                    .filter(|named| !named.is_empty());
                let referent = pronoun_referent(doc, &resources.gendered_titles, actor);
                let speaking = referent
                    .is_none()
                    .then(|| speaking_body(doc, actor))
                    .flatten();
                let named = named_beside.is_some();
                actors = named_beside.unwrap_or_else(|| actors_in(doc, phrase));
                actors.extend(referent.or(speaking.clone()));
                if actors.is_empty() {
                    actor_text = Some(text[phrase.start..phrase.end].to_string());
                } else if !(named || head_is_named(doc, actor)) {
                    // "the Russian-backed offensive in Ghouta", "several EU countries", "she":
                    // an entity found through a name that only modifies the doer's noun, or a
                    // pronoun's referent, is kept with the words up to that noun or pronoun,
                    // which are what the text names the doer by.
                    let end = actor.span().end.max(phrase.start);
                    actor_text = Some(text[phrase.start..end].to_string());
                }
                // "the money will help the schools", "that doesn't help": a verb some types
                // have only when someone does it names no event when a thing does.
                let needs_someone = word.upos() == sitrep_syntax::Upos::Verb
                    && resources.event_patterns.is_done_by_someone(word.lemma());
                if needs_someone
                    && actors.is_empty()
                    && !event_syntax::is_someone(actor, &resources.event_patterns)
                {
                    continue;
                }
                actor_parsed = true;
                role_rule.push_str(&format!("; actor: {rel}"));
                if speaking.is_some() {
                    role_rule.push_str(" (the pronoun: the body saying it)");
                }
            } else {
                let named_before = modifier_actors(doc, word);
                if resources.event_patterns.is_suffered(word.lemma()) {
                    // "civilian casualties": who suffered it, not who caused it.
                    actors.retain(|a| !named_before.contains(a));
                    for sufferer in named_before {
                        if !targets.contains(&sufferer) {
                            targets.push(sufferer);
                        }
                    }
                } else if !named_before.is_empty() {
                    actors = named_before;
                    actor_parsed = true;
                    role_rule.push_str("; actor: the actor naming its noun's kind");
                }
            }
            if let Some((target, rel)) = roles.target.filter(|(t, _)| !timed(*t)) {
                // "the Russian-backed offensive": the noun a trigger describes, less the
                // trigger and what comes before it.
                let mut phrase = noun_phrase(target);
                if phrase.start <= trigger.start && trigger.end <= phrase.end {
                    phrase.start = trigger.end;
                }
                targets = targets_in(doc, phrase);
                if targets.is_empty() {
                    targets.push(described.id_for(text, phrase));
                }
                target_parsed = true;
                target_before = phrase.end <= trigger.start;
                role_rule.push_str(&format!("; target: {rel}"));
            }
        }
        // "Russian-mediated": the actor joined to the trigger by a hyphen did it; its words go
        // with it where they are no name of its ("Russian").
        let mut hyphened = None;
        let just_before = Span {
            start: word_start_from(text, trigger.start.saturating_sub(CLAUSE_REACH)),
            end: trigger.start,
        };
        if let Some(m) = mentions_in(doc, just_before).find(|m| {
            m.span.end + 1 == trigger.start
                && text[m.span.end..trigger.start] == *"-"
                && is_actor(doc, m)
        }) {
            actors = m.entity.iter().cloned().collect();
            if !own_name(doc, m) {
                hyphened = Some(m.text.clone());
            }
        }
        // "a reconciliation between Syria and Turkiye", "clashes between HTS and the SAA": the
        // sides named after "between" take part in it together.
        if let Some(sides) = between_sides(doc, text, trigger.end, target_end) {
            actors = sides;
            hyphened = None;
            targets.clear();
        }
        if target_parsed && !actor_parsed {
            actors.retain(|a| !targets.contains(a));
        }
        // "Six people were killed in an attack", "ten were wounded": the words before the
        // trigger name who suffered it, so no doer is guessed from them; and the attack's
        // target, where nothing else is, is whom it killed.
        let suffering = word
            .filter(|_| !actor_parsed && by_agent.is_none() && !before.contains(" by "))
            .and_then(|w| event_syntax::suffering_verb(w, &resources.event_patterns));
        // "The town is targeted by air strikes", "the town has been under siege": the subject
        // of a passive the trigger is the agent of, or of a clause that has it "under",
        // underwent it.
        let undergone = word.is_some_and(|w| {
            w.rel() == "obl:agent"
                || w.children()
                    .any(|c| c.base_rel() == "case" && c.lemma() == "under")
        });
        let patient_subject = suffering.is_some() || undergone;
        if let Some(verb) = suffering {
            actors.clear();
            // "39 people who died in the attack": the people, not "who".
            let sufferer = verb
                .children()
                .find(|c| c.base_rel() == "nsubj" && c.index() < verb.index())
                .map(|s| crate::attribution::antecedent(s).unwrap_or(s));
            if let Some(sufferer) = sufferer.filter(|_| targets.is_empty() && Some(verb) != word) {
                let phrase = noun_phrase(sufferer);
                targets = targets_in(doc, phrase);
                if targets.is_empty() {
                    targets.push(described.id_for(text, phrase));
                }
                role_rule.push_str(&format!(
                    "; target: {} of {:?}, who suffered it",
                    sufferer.rel(),
                    verb.form()
                ));
            }
        }
        targets.retain(|t| !actors.contains(t));
        let (location, location_from) = location_of(doc, trigger, sentence, facts.paragraph);
        let (time, time_from) = time_of(doc, trigger, sentence, facts.paragraph, statement);
        let actor_text = if actors.is_empty() {
            // Only where the parse leaves the clause as the words found it: inside a
            // narrower one, the words before the trigger are no subject's.
            actor_text.or_else(|| {
                (!target_before && !patient_subject && subject_from == clause_start)
                    .then(|| {
                        let clause = Span {
                            start: clause_start,
                            end: trigger.start,
                        };
                        subject_words(&text[after_leading_time(doc, clause).start..trigger.start])
                    })
                    .flatten()
            })
        } else {
            hyphened.or(actor_text.filter(|_| actor_parsed))
        };
        // An imported verb is coded by its dictionary's patterns, which may also name its
        // source and target; `[---]` codes nothing.
        let coding = match pattern.verb_form {
            Some(form) => {
                match verb_coding(doc, resources, words, form, trigger, sentence, clause_start) {
                    Some(coding) => Some(coding),
                    None => continue,
                }
            }
            None => None,
        };
        if let Some((coding, groups)) = &coding {
            if let Some(source) = coding.source {
                actors = groups[source].clone();
            }
            if let Some(target) = coding.target {
                targets = groups[target].clone();
            }
            targets.retain(|t| !actors.contains(t));
        }
        if let Some(speaker) = statement.and_then(|s| speaker_outside(doc, s)) {
            targets.retain(|t| t != speaker);
        }
        let (mode, mode_rule) = if mode == "predicted"
            && statement.is_some_and(|s| speaks_of_itself(doc, s, &actors, actor_word))
        {
            own_future(&pattern.event_type, mode_rule, resources)
        } else {
            (mode, mode_rule)
        };
        let confidence = 0.4
            + if actors.is_empty() { 0.0 } else { 0.3 }
            + if location.is_some() { 0.1 } else { 0.0 }
            + if marked { 0.1 } else { 0.0 };
        let subtype = resources
            .event_patterns
            .subtype_near(
                &pattern.event_type,
                text,
                Span {
                    start: clause_start,
                    end: target_end.max(trigger.end),
                },
                trigger,
            )
            .map(str::to_string);
        let event = Event {
            id: String::new(),
            event_type: pattern.event_type.clone(),
            cameo: Some(pattern.cameo.clone()),
            mode: mode.to_string(),
            subtype,
            contexts: facts.contexts.clone(),
            actors,
            actor_text,
            targets,
            location,
            location_from,
            time,
            time_from,
            statement: statement.map(|s| s.id.clone()),
            span: trigger,
            rule: format!(
                "event pattern {}#{} ({:?}){role_rule}; mode: {mode_rule}",
                pattern.source, pattern.event_type, pattern.trigger
            ),
            confidence: (confidence * 100.0_f64).round() / 100.0,
        };
        match coding {
            None => events.push(event),
            Some((coding, groups)) => {
                events.extend(coded_events(event, &coding, &groups, resources))
            }
        }
    }
    for (n, event) in events.iter_mut().enumerate() {
        event.id = format!("v{}", n + 1);
    }
    events
}

/// Participants an event's text describes without naming ("the suspects", "a city in
/// northern Syria", "him"): entities of kind `nominal`, so that a target is kept though no
/// dictionary knows it. Numbered after the document's entities.
pub(crate) struct Described {
    first_number: usize,
    /// Each participant's phrase and words, in order of its number.
    pub(crate) phrases: Vec<(Span, String)>,
}

impl Described {
    /// For a document with `entities` entities already.
    pub(crate) fn after(entities: usize) -> Self {
        Described {
            first_number: entities + 1,
            phrases: Vec::new(),
        }
    }

    /// The id of the participant a phrase describes: one per phrase.
    fn id_for(&mut self, text: &str, phrase: Span) -> String {
        let k = match self.phrases.iter().position(|(s, _)| *s == phrase) {
            Some(k) => k,
            None => {
                let words = text[phrase.start..phrase.end].to_string();
                self.phrases.push((phrase, words));
                self.phrases.len() - 1
            }
        };
        Described::id(self.first_number + k)
    }

    pub(crate) fn id(number: usize) -> String {
        format!("e{number}")
    }

    pub(crate) fn first_number(&self) -> usize {
        self.first_number
    }
}

/// The triggers of a text in order: the phrases of the patterns, less those the parse says
/// name no event ("March", "the Special Investigations Unit", "asked how"), and the verbs and
/// nouns the parse adds by their lemmas.
fn triggers<'p>(
    text: &str,
    parse: Option<&Parse>,
    patterns: &'p EventPatterns,
) -> Vec<(Span, &'p EventPattern)> {
    let mut found = patterns.find(text);
    let Some(parse) = parse else {
        return found;
    };
    found.retain(|&(span, pattern)| {
        pattern.verb_form.is_some()
            || !event_syntax::head_word(parse, span)
                .is_some_and(|w| event_syntax::names_no_event(w, pattern, patterns))
    });
    let taken: Vec<Span> = found.iter().map(|&(span, _)| span).collect();
    found.extend(event_syntax::lemma_triggers(parse, patterns, &taken));
    found.sort_by_key(|&(span, _)| span.start);
    found
}

/// "the police shooting", "a regime airstrike", "Russian air raids": the actors among the
/// words before an event noun that say whose it is (for harm suffered, who suffered it).
fn modifier_actors(doc: &Document, noun: sitrep_syntax::Tok<'_>) -> Vec<String> {
    if noun.upos() != sitrep_syntax::Upos::Noun {
        return Vec::new();
    }
    noun.children()
        .filter(|m| m.index() < noun.index() && matches!(m.base_rel(), "compound" | "amod"))
        .flat_map(|m| actors_in(doc, m.subtree_span()))
        .collect()
}

/// A personal pronoun's referent: the last person named before it. ("They" is left
/// unresolved: the last group named is as often not the one meant, and a wrong doer is worse
/// than the pronoun.)
fn pronoun_referent(
    doc: &Document,
    titles: &GenderedTitles,
    word: sitrep_syntax::Tok<'_>,
) -> Option<String> {
    let personal = word.upos() == sitrep_syntax::Upos::Pron
        && matches!(word.lemma().to_lowercase().as_str(), "he" | "she");
    if !personal {
        return None;
    }
    let before = doc
        .mentions
        .partition_point(|m| m.span.start < word.span().start);
    doc.mentions[..before]
        .iter()
        .filter(|m| m.kind == "person" && !titles.rules_out(word.lemma(), &m.text))
        .filter_map(|m| m.entity.as_deref().and_then(|id| doc.entity(id)))
        // "Blampied" after "Ms Blampied": the entity's name may carry the title the mention
        // lacks.
        .filter(|e| !titles.rules_out(word.lemma(), &e.name))
        .map(|e| e.id.clone())
        .next_back()
}

/// "The coalition said it struck a depot", "the rebels said they shelled the airport", "“We
/// destroyed three tanks,” the army said": a subject "it", "they" or "we" that opens what a
/// body said (an army, a ministry, a country; not a person, whose "we" is a group the text may
/// not name) is that body, when the number agrees ("they" for "the rebels", "it" for "the
/// ministry"). Deeper in what was said a pronoun is as often someone the body spoke of ("said
/// that villagers found the bodies when they returned").
fn speaking_body(doc: &Document, word: sitrep_syntax::Tok<'_>) -> Option<String> {
    let pronoun = word.form().to_lowercase();
    if word.upos() != sitrep_syntax::Upos::Pron || !matches!(pronoun.as_str(), "it" | "they" | "we")
    {
        return None;
    }
    let at = word.span();
    let statement = doc
        .statements
        .iter()
        .filter(|s| {
            s.form != "outlet_assertion" && s.span.start <= at.start && at.end <= s.span.end
        })
        .min_by_key(|s| s.span.end - s.span.start)?;
    let opening = doc.article.text[statement.span.start..at.start]
        .trim_matches(|c: char| !c.is_alphanumeric())
        .trim_start_matches("that")
        .trim()
        .is_empty();
    let agrees = match pronoun.as_str() {
        "it" => !speaker_is_plural(statement),
        "they" => speaker_is_plural(statement),
        _ => true,
    };
    (opening && agrees)
        .then(|| doc.entity(statement.speaker.as_deref()?))
        .flatten()
        .filter(|e| !matches!(e.kind.as_str(), "person" | "place" | "civilians"))
        .map(|e| e.id.clone())
}

/// The entities a target's phrase names: its actors, else the place it names ("shelled
/// Afrin").
fn targets_in(doc: &Document, phrase: Span) -> Vec<String> {
    let actors = actors_in(doc, phrase);
    if !actors.is_empty() {
        return actors;
    }
    mentions_in(doc, phrase)
        .filter(|m| m.kind == "place")
        .filter_map(|m| m.entity.clone())
        .take(1)
        .collect()
}

/// Codes an imported verb in its sentence: the dictionary's coding, and the actor phrases
/// (each the entity ids of one actor or of a compound: "Gondor and Osgiliath") it refers to.
/// Where the pattern names no source, the subject is the last actor phrase before the verb in
/// its clause; where it names no target, the first actor phrase after the verb, before another
/// clause opens. None when the dictionary codes nothing here, or the verb form stands as a
/// noun ("an attack", "a brief visit"): TABARI and PETRARCH code verbs.
fn verb_coding(
    doc: &Document,
    resources: &Resources,
    words: &[sitrep_verbs::Word],
    form: usize,
    trigger: Span,
    sentence: Span,
    clause_start: usize,
) -> Option<(Coding, Vec<Vec<String>>)> {
    let word_at = |at: usize| words.partition_point(|w| w.span.end <= at);
    let verb = (word_at(trigger.start), word_at(trigger.end - 1) + 1);
    let (phrases, groups) = actor_phrases(doc, words, sentence);
    if stands_as_noun(words, verb.0, &phrases) {
        return None;
    }
    let clause = Clause {
        words,
        verb,
        actors: &phrases,
    };
    let mut coding = resources.verbs.code(form, &clause)?;
    let from = word_at(clause_start);
    let before_verb = |k: usize| verb.0.checked_sub(k).map(|i| words[i].text.as_str());
    // A passive names its doer after "by": "Eriador was opposed (earlier) by Osgiliath".
    let passive = [1, 2]
        .iter()
        .any(|&k| before_verb(k).is_some_and(|w| BE_FORMS.contains(&w)));
    let by_agent = passive
        .then(|| {
            words[verb.1..]
                .iter()
                .take(3)
                .position(|w| w.text == "by")
                .and_then(|at| phrases.iter().position(|p| p.0 == verb.1 + at + 1))
        })
        .flatten();
    if coding.source.is_none() && coding.compound.is_none() {
        let subject = phrases
            .iter()
            .rposition(|&(start, end)| start >= from && end <= verb.0);
        coding.source = match by_agent {
            Some(agent) => {
                if coding.target.is_none() {
                    coding.target = subject;
                }
                Some(agent)
            }
            // A second verb of the same subject: "condemned the attack and promised aid".
            None if before_verb(1) == Some("and") => phrases
                .iter()
                .position(|&(start, _)| start >= from)
                .filter(|&first| phrases[first].1 <= verb.0),
            None => subject,
        };
    }
    if coding.target.is_none() {
        let limit = words[verb.1..]
            .iter()
            .position(|w| CLAUSE_OPENER_WORDS.contains(&w.text.as_str()))
            .map_or(words.len(), |at| verb.1 + at);
        coding.target = phrases
            .iter()
            .position(|&(start, _)| start >= verb.1 && start < limit)
            .filter(|&t| Some(t) != coding.source);
    }
    Some((coding, groups))
}

/// Forms of "be" that make a participle after them passive.
const BE_FORMS: &[&str] = &["was", "were", "is", "are", "been", "being", "be"];

/// Words after which a verb's object has ended: another clause begins. A comma too: "burned down its embassy, a senior official said" has no actor for object.
const CLAUSE_OPENER_WORDS: &[&str] = &["that", "which", "who", "because", "while", ";", ","];

/// The actor phrases of a sentence as word ranges, each with its entities. An actor inside a
/// longer one ("Bree" in "Bree Prime Minister") is not one of its own; two actors with no word
/// between them are one noun phrase, coded by the more specific ("Bree Prime Minister
/// Romendacil": BREGOV, not the BRE of Romendacil); the members of a list ("Mordor, Rohan and
/// the Shire") are one compound phrase.
fn actor_phrases(
    doc: &Document,
    words: &[sitrep_verbs::Word],
    sentence: Span,
) -> (Vec<(usize, usize)>, Vec<Vec<String>>) {
    let word_at = |at: usize| words.partition_point(|w| w.span.end <= at);
    let code_len = |id: &String| {
        doc.entity(id)
            .and_then(|e| e.code.as_ref())
            .map_or(0, String::len)
    };
    let mut phrases: Vec<(usize, usize)> = Vec::new();
    let mut groups: Vec<Vec<String>> = Vec::new();
    // Where the last phrase's last member is in its group, so that a name right after it can
    // stand in for it.
    let mut last_member = 0;
    for m in actor_mentions(doc, sentence) {
        let Some(id) = m.entity.clone() else { continue };
        let (start, end) = (word_at(m.span.start), word_at(m.span.end - 1) + 1);
        let gap = phrases
            .last()
            .filter(|&&(_, last_end)| last_end <= start)
            .map(|&(_, last_end)| &words[last_end..start]);
        match (gap, phrases.last_mut(), groups.last_mut()) {
            (Some([]), Some(phrase), Some(group)) => {
                phrase.1 = end;
                if code_len(&id) > code_len(&group[last_member]) {
                    group[last_member] = id;
                }
            }
            (Some(between), Some(phrase), Some(group)) if lists_the_next(between) => {
                phrase.1 = end;
                last_member = group.iter().position(|g| g == &id).unwrap_or_else(|| {
                    group.push(id);
                    group.len() - 1
                });
            }
            _ => {
                phrases.push((start, end));
                groups.push(vec![id]);
                last_member = 0;
            }
        }
    }
    (phrases, groups)
}
/// Words that join the members of a list of actors.
const LIST_JOINERS: &[&str] = &[",", "and", "or", "nor", "&"];

/// Whether the words between two actors list them: joiners right after the first, then at
/// most a few plain lower-case words before the next ("Fornost and the evil awful Gondor").
fn lists_the_next(between: &[sitrep_verbs::Word]) -> bool {
    let joiners = between
        .iter()
        .take_while(|w| LIST_JOINERS.contains(&w.text.as_str()))
        .count();
    let rest = &between[joiners..];
    joiners > 0
        && rest.len() <= 3
        && rest.iter().all(|w| {
            w.text.chars().all(|c| c.is_alphabetic()) && !AFTER_SUBJECT.contains(&w.text.as_str())
        })
}

/// Determiners: a verb form right after one, or after one and up to two more plain words,
/// is a noun ("an attack", "a brief private visit").
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "its", "their", "his", "her", "our", "this", "these", "those",
];

/// Whether the verb form at word `at` stands as a noun: a determiner before it, with at most
/// two plain lower-case words between and no actor ("the government condemned" is a verb).
fn stands_as_noun(words: &[sitrep_verbs::Word], at: usize, phrases: &[(usize, usize)]) -> bool {
    let in_actor = |k: usize| phrases.iter().any(|&(s, e)| s <= k && k < e);
    (1..=3).take_while(|&back| back <= at).any(|back| {
        let k = at - back;
        DETERMINERS.contains(&words[k].text.as_str())
            && (k + 1..at).all(|j| {
                !in_actor(j)
                    && !AFTER_SUBJECT.contains(&words[j].text.as_str())
                    && words[j].text.chars().all(char::is_alphabetic)
            })
    })
}

/// The actor mentions in a span, leaving out those inside a longer one.
fn actor_mentions(doc: &Document, span: Span) -> Vec<&Mention> {
    let actors: Vec<&Mention> = mentions_in(doc, span)
        .filter(|m| is_actor(doc, m))
        .collect();
    actors
        .iter()
        .filter(|m| {
            !actors.iter().any(|o| {
                o.span.start <= m.span.start
                    && m.span.end <= o.span.end
                    && o.span.end - o.span.start > m.span.end - m.span.start
            })
        })
        .copied()
        .collect()
}

/// The events a verb's coding makes of the event it found: itself, recoded; with a compound
/// (`%`), one for each member acting on each other; with a reverse code (`[032:033]`), the
/// same the other way round.
fn coded_events(
    mut event: Event,
    coding: &Coding,
    groups: &[Vec<String>],
    resources: &Resources,
) -> Vec<Event> {
    let recode = |event: &mut Event, code: &str| {
        let event_type = resources.event_patterns.plover_type(code);
        if event_type != event.event_type {
            event.subtype = None;
        }
        event.event_type = event_type;
        event.cameo = Some(code.to_string());
    };
    recode(&mut event, &coding.code);
    event.rule = format!(
        "{}; mode: {}",
        coding.rule,
        event.rule.rsplit("; mode: ").next().unwrap_or_default()
    );
    // A mutual verb ([031:031]) with a compound subject and no object: the members meet
    // one another ("Gondor and Arnor will meet").
    let mutual = coding.reverse.is_some() && event.targets.is_empty() && event.actors.len() > 1;
    let compound = coding
        .compound
        .map(|c| groups[c].clone())
        .or_else(|| mutual.then(|| event.actors.clone()));
    let mut events = match compound.as_ref() {
        Some(members) if members.len() > 1 => members
            .iter()
            .flat_map(|a| members.iter().filter(move |b| *b != a).map(move |b| (a, b)))
            .map(|(a, b)| Event {
                actors: vec![a.clone()],
                targets: vec![b.clone()],
                ..event.clone()
            })
            .collect(),
        Some(members) => {
            event.actors = members.clone();
            vec![event]
        }
        None => vec![event],
    };
    // Pairs of a compound already go both ways; otherwise a reverse code adds the other way.
    let paired = compound.is_some_and(|members| members.len() > 1);
    if let Some(reverse) = coding.reverse.as_ref().filter(|_| !paired) {
        let reversed: Vec<Event> = events
            .iter()
            .filter(|e| !e.targets.is_empty())
            .map(|e| {
                let mut r = Event {
                    actors: e.targets.clone(),
                    targets: e.actors.clone(),
                    actor_text: None,
                    ..e.clone()
                };
                recode(&mut r, reverse);
                r
            })
            .collect();
        events.extend(reversed);
    }
    events
}

/// Words that end a subject: auxiliaries, modals, and verbs of intention.
const AFTER_SUBJECT: &[&str] = &[
    "would",
    "will",
    "may",
    "might",
    "could",
    "can",
    "should",
    "must",
    "have",
    "has",
    "had",
    "are",
    "is",
    "was",
    "were",
    "be",
    "been",
    "then",
    "also",
    "plan",
    "plans",
    "planned",
    "planning",
    "to",
    "intend",
    "intends",
    "threatened",
    "vowed",
    "reportedly",
    "allegedly",
];
/// Words that may open a clause before its subject.
const BEFORE_SUBJECT: &[&str] = &["and", "but", "then", "so", "while", "as", "when", "after"];

/// Words that open a clause set before the main one ("Because the siege tightened, aid
/// convoys stopped"): the main clause's subject comes after the comma that closes it.
const SUBORDINATORS: &[&str] = &[
    "since", "because", "although", "though", "if", "once", "until", "before", "after", "whereas",
    "whilst", "while", "unless", "when", "as",
];

/// The words a clause names its doer by, when no actor was recognised: from the clause's start
/// (after a conjunction) to its first auxiliary or verb of intention — "They" in "They would
/// then accuse", "unidentified gunmen" in "unidentified gunmen opened fire". None when the
/// clause does not start with its subject ("the shelling of ...").
fn subject_words(clause: &str) -> Option<String> {
    let words: Vec<&str> = main_clause(clause)?
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let start = words
        .iter()
        .take_while(|w| BEFORE_SUBJECT.contains(&w.to_lowercase().as_str()))
        .count();
    let subject: Vec<&str> = words[start..]
        .iter()
        .take_while(|w| !AFTER_SUBJECT.contains(&w.to_lowercase().as_str()))
        .copied()
        .collect();
    // A clause that is nothing but one lower-case word before a noun trigger is its modifier
    // ("heavy shelling"), not its doer.
    let modifier = start + subject.len() == words.len()
        && subject.len() == 1
        && !subject[0].starts_with(char::is_uppercase);
    let first = subject.first()?.to_lowercase();
    let determiner_only = matches!(
        first.as_str(),
        "the" | "a" | "an" | "this" | "these" | "its" | "their"
    ) && subject.len() == 1;
    // "There was no claim for the bombing": an expletive is no doer.
    let expletive = first == "there";
    (subject.len() <= 4 && !modifier && !determiner_only && !expletive).then(|| subject.join(" "))
}

/// The words of a clause where its main clause's subject may stand: after a clause or phrase
/// set before it and closed by a comma ("Because the siege tightened, aid convoys ...", "In
/// Idlib, rebels ..."); within a set-before clause with no comma yet, after its opener ("When
/// the army shelled"); none inside an opening phrase ("In the attack": no subject's words).
fn main_clause(clause: &str) -> Option<&str> {
    let opener = clause.split_whitespace().next()?.to_lowercase();
    let subordinate = SUBORDINATORS.contains(&opener.as_str());
    if !subordinate && !PREPOSITIONS.contains(&opener.as_str()) {
        return Some(clause);
    }
    match clause.split_once(',') {
        Some((_, main)) => Some(main),
        None if subordinate => Some(&clause[clause.find(char::is_whitespace)?..]),
        None => None,
    }
}

/// A doer's phrase without the time run into its front: "Friday's air strikes", "3 June 2016
/// Syrian regime air raids" (a feed that lost the line break after its date).
fn after_leading_time(doc: &Document, phrase: Span) -> Span {
    let first_byte = Span {
        start: phrase.start,
        end: phrase.start + 1,
    };
    let time_end = mentions_covering(doc, first_byte)
        .filter(|m| m.kind == "time")
        .map(|m| m.span.end)
        .max();
    let Some(end) = time_end.filter(|&end| end < phrase.end) else {
        return phrase;
    };
    let rest = &doc.article.text[end..phrase.end];
    let rest = rest
        .strip_prefix("'s")
        .or_else(|| rest.strip_prefix("’s"))
        .unwrap_or(rest);
    let start = phrase.end - rest.trim_start().len();
    Span {
        start,
        end: phrase.end,
    }
}

/// The first word start at or after `at` (a window cut mid-word would read "Casino" as "no").
fn word_start_from(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    let in_a_word = |at: usize| {
        text[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            && text[at..].chars().next().is_some_and(char::is_alphanumeric)
    };
    if in_a_word(at) {
        at += text[at..]
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(text.len() - at);
    }
    at
}

/// The last word end at or before `at`.
fn word_end_before(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let in_a_word = text[..at]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
        && text[at..].chars().next().is_some_and(char::is_alphanumeric);
    if in_a_word {
        at = text[..at]
            .rfind(|c: char| !c.is_alphanumeric())
            .map_or(0, |i| {
                i + text[i..].chars().next().map_or(1, char::len_utf8)
            });
    }
    at
}

/// The innermost statement whose content holds a span: a nested one ("“I think …”") before
/// the quotation it sits in.
fn statement_holding(doc: &Document, span: Span) -> Option<&Statement> {
    doc.statements
        .iter()
        .filter(|s| s.span.start <= span.start && span.end <= s.span.end)
        .min_by_key(|s| s.span.end - s.span.start)
}

/// Whether the predicate at `span` happened, as sitrep judges an event there: its mode and
/// what decided it, read from the verb chain and the statement holding it. None where the
/// parse has no word at `span`.
pub(crate) fn mode_at(
    doc: &Document,
    parse: &Parse,
    resources: &Resources,
    span: Span,
) -> Option<(String, String)> {
    let word = event_syntax::head_word(parse, span)?;
    let text = doc.article.text.as_str();
    let marker = event_syntax::chain_mode(word, &resources.event_patterns, text);
    let (mode, rule) = mode_of(marker, statement_holding(doc, span), None);
    Some((mode.to_string(), rule))
}

/// The event's mode: the marker on its trigger (mode, what marked it), weighed with the
/// statement it sits in.
fn mode_of<'a>(
    marker: Option<(&'a str, String)>,
    statement: Option<&Statement>,
    outlet: Option<&str>,
) -> (&'a str, String) {
    let speaker_claim = statement.filter(|s| {
        s.form != "outlet_assertion" && (outlet.is_none() || s.speaker.as_deref() != outlet)
    });
    match (marker, speaker_claim) {
        // What a speaker says is planned, threatened, predicted or did not happen keeps that
        // mode; a fact in a speaker's mouth is only alleged; a denial denies it.
        // Denying what was only ever wished for or negotiated denies nothing of it ("deny
        // they are negotiating an evacuation deal": the deal is as hypothetical as before).
        (Some((mode, m)), Some(s)) if s.kind == "denial" && mode == "hypothetical" => {
            (mode, format!("{m} inside denial {}", s.id))
        }
        (_, Some(s)) if s.kind == "denial" => ("denied", format!("inside denial {}", s.id)),
        (Some((mode, m)), Some(s)) if !matches!(mode, "ongoing" | "alleged") => {
            (mode, format!("{m} inside {}'s claim {}", speaker(s), s.id))
        }
        (_, Some(s)) => ("alleged", format!("claimed by {} in {}", speaker(s), s.id)),
        (Some((mode, m)), None) => (mode, m),
        (None, _) => ("occurred", "the outlet's own statement of fact".into()),
    }
}

/// Whether the doer of an event in a statement is its speaker: named as the speaker's entity,
/// or a pronoun standing for it ("Beijing said it would fight", "“We will strike back”").
fn speaks_of_itself(
    doc: &Document,
    statement: &Statement,
    actors: &[String],
    actor_word: Option<sitrep_syntax::Tok<'_>>,
) -> bool {
    if statement.form == "outlet_assertion" {
        return false;
    }
    if statement
        .speaker
        .as_ref()
        .is_some_and(|e| actors.contains(e))
    {
        return true;
    }
    let Some(word) = actor_word.filter(|w| w.upos() == sitrep_syntax::Upos::Pron) else {
        return false;
    };
    // "it" stands for a speaker that is one body ("Beijing said it would fight", "the council
    // said it would …"), not for several ("analysts said it would attack"); "they" for a body
    // or several ("the rebels said they would …"). A person is "he" or "she".
    let person = statement.speaker.as_ref().is_some_and(|id| {
        doc.entities
            .iter()
            .any(|e| &e.id == id && e.kind == "person")
    });
    let named_body = statement.speaker.is_some() && !person;
    let plural = speaker_is_plural(statement);
    match word.lemma().to_lowercase().as_str() {
        "we" | "i" => true,
        "it" => !person && (named_body || !plural),
        "they" => !person && (named_body || plural),
        _ => false,
    }
}

/// Whether a statement's speaker is named in the plural, by the last word of its words
/// ("the rebels", "analysts"; not "the press", "Damascus").
fn speaker_is_plural(statement: &Statement) -> bool {
    statement
        .speaker_text
        .as_deref()
        .and_then(|t| t.split_whitespace().last())
        .is_some_and(|w| w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us"))
}

/// What a speaker says it will do itself is its own plan, or its threat for the event types
/// `threat_types` of modes.toml names — not a prediction (the guidelines' "predicted" is
/// "not the actor's own plan or threat").
fn own_future(event_type: &str, rule: String, resources: &Resources) -> (&'static str, String) {
    let mode = if resources.event_patterns.is_threat_type(event_type) {
        "threatened"
    } else {
        "planned"
    };
    (mode, format!("{rule}, of the speaker's own doing"))
}

/// The speaker of a statement when what was said does not name it: then it is no target of an
/// event in it, however the clause was cut ("… shelled the villages, said the monitor"). (It
/// may be the doer, named by a pronoun: "the army said it withdrew".)
fn speaker_outside<'d>(doc: &Document, statement: &'d Statement) -> Option<&'d str> {
    let speaker = statement.speaker.as_deref()?;
    let named_inside =
        mentions_in(doc, statement.span).any(|m| m.entity.as_deref() == Some(speaker));
    (statement.form != "outlet_assertion" && !named_inside).then_some(speaker)
}

fn speaker(s: &Statement) -> &str {
    s.speaker_text.as_deref().unwrap_or("a speaker")
}

/// The mentions inside a span (mentions are in text order).
fn mentions_in(doc: &Document, span: Span) -> impl Iterator<Item = &Mention> {
    let first = doc.mentions.partition_point(|m| m.span.start < span.start);
    doc.mentions[first..]
        .iter()
        .take_while(move |m| m.span.start < span.end)
        .filter(move |m| m.span.end <= span.end)
}

/// How far before a word a mention that covers it may start: longer than any name.
const NAME_REACH: usize = 200;

/// The mentions a span lies inside (mentions are in text order).
fn mentions_covering(doc: &Document, span: Span) -> impl Iterator<Item = &Mention> {
    let first = doc
        .mentions
        .partition_point(|m| m.span.start < span.start.saturating_sub(NAME_REACH));
    doc.mentions[first..]
        .iter()
        .take_while(move |m| m.span.start <= span.start)
        .filter(move |m| span.end <= m.span.end)
}

/// Whether the head word of a doer's phrase, or of one of its conjuncts ("Syria and
/// Russia"), is inside an actor mention that is its entity's own name or alias; not only a
/// word modifying it ("the Russian-backed offensive", "several EU countries"), nor a demonym
/// ("Nigerians" are not Nigeria).
fn head_is_named(doc: &Document, head: sitrep_syntax::Tok<'_>) -> bool {
    let named = |word: sitrep_syntax::Tok<'_>| {
        mentions_covering(doc, word.span()).any(|m| own_name(doc, m))
    };
    std::iter::once(head)
        .chain(head.children().filter(|c| c.base_rel() == "conj"))
        .any(named)
}

/// Whether an actor mention's words are its entity's name or one of its aliases, as opposed
/// to a demonym or a pronoun standing for it.
fn own_name(doc: &Document, m: &Mention) -> bool {
    let Some(entity) = m.entity.as_deref().and_then(|id| doc.entity(id)) else {
        return false;
    };
    is_actor(doc, m)
        && std::iter::once(&entity.name)
            .chain(&entity.aliases)
            .any(|name| name.eq_ignore_ascii_case(&m.text))
}

/// The entities of the actors named in a span, in order, each once: people, organisations,
/// groups and countries, not places or times.
fn actors_in(doc: &Document, span: Span) -> Vec<String> {
    let mut actors: Vec<String> = Vec::new();
    // A mention inside an actor's already taken ("Turkish" in "Turkish militaries") adds none.
    let mut covered_until = 0;
    for m in mentions_in(doc, span) {
        let Some(id) = &m.entity else { continue };
        if m.span.end <= covered_until {
            continue;
        }
        if is_actor(doc, m) {
            covered_until = covered_until.max(m.span.end);
            if !actors.contains(id) {
                actors.push(id.clone());
            }
        }
    }
    actors
}

/// The doers of a trigger: the first actor phrase of its clause (a list is one: "the Syrian,
/// Russian, and Turkish militaries"), leaving out actors that are objects of a preposition ("on
/// the opposition", "according to the Russian general") or inside an apposition ("– formerly
/// known as the Al-Qaeda affiliated Nusra Front –"). None when the clause names no such actor.
fn subject_of(
    doc: &Document,
    words: &[sitrep_verbs::Word],
    sentence: Span,
    clause_start: usize,
    trigger: Span,
) -> Vec<String> {
    let word_at = |at: usize| words.partition_point(|w| w.span.end <= at);
    let (from, to) = (word_at(clause_start), word_at(trigger.start));
    let clause = Span {
        start: clause_start,
        end: sentence.end,
    };
    let (phrases, groups) = actor_phrases(doc, words, clause);
    let before = |start: usize| &words[from..start];
    let Some(first) = phrases.iter().position(|&(start, end)| {
        start >= from
            && end <= to
            && !after_preposition(before(start))
            && !in_apposition(before(start))
    }) else {
        return Vec::new();
    };
    // An agent named by "by" between them does it: "plots by armed groups to commit attacks".
    let mut subject = first;
    if let Some(agent) = (first + 1..phrases.len())
        .filter(|&k| phrases[k].1 <= to)
        .find(|&k| ends_with_marker(before(phrases[k].0), &[&["by"]]))
    {
        subject = agent;
    }
    // Co-actors and the members a subject names: "the militaries – in coordination with the
    // SNA – may launch", "militant groups, mainly Hayat Tahrir al-Sham, have stepped up".
    let mut actors = groups[subject].clone();
    for k in subject + 1..phrases.len() {
        if phrases[k].1 <= to && ends_with_marker(before(phrases[k].0), JOINING_MARKERS) {
            for actor in &groups[k] {
                if !actors.contains(actor) {
                    actors.push(actor.clone());
                }
            }
        }
    }
    actors
}

/// "Residents reported fighting near the airport", "witnesses described shelling": a bare
/// gerund that a cue reports names what was seen or heard, not the speaker's own act, unless
/// the cue says a gerund of its speaker's ("denied shelling the village", `says_gerund`).
fn reported_not_done(word: sitrep_syntax::Tok<'_>, resources: &Resources) -> bool {
    word.xpos() == "VBG"
        && word.base_rel() == "xcomp"
        && word
            .children()
            .all(|c| !matches!(c.base_rel(), "obj" | "nsubj"))
        && word
            .head()
            .and_then(|cue| resources.cue_lemma(cue.lemma()))
            .is_some_and(|cue| !cue.says_gerund)
}

/// Words that join the actor after them to a clause's subject.
const JOINING_MARKERS: &[&[&str]] = &[
    &["in", "coordination", "with"],
    &["in", "cooperation", "with"],
    &["in", "conjunction", "with"],
    &["together", "with"],
    &["along", "with"],
    &["jointly", "with"],
    &["alongside"],
    &["mainly"],
    &["particularly"],
    &["notably"],
    &["especially"],
    &["chiefly"],
    &["primarily"],
    &["led", "by"],
];

/// Whether the words before a phrase end in one of the markers, past its determiners and up
/// to two modifiers ("in coordination with the Turkish-backed").
fn ends_with_marker(before: &[sitrep_verbs::Word], markers: &[&[&str]]) -> bool {
    let mut words: Vec<&str> = before.iter().map(|w| w.text.as_str()).collect();
    while words.last().is_some_and(|w| DETERMINERS.contains(w)) {
        words.pop();
    }
    (0..=2).any(|modifiers| {
        let Some(head) = words.len().checked_sub(modifiers).map(|end| &words[..end]) else {
            return false;
        };
        let plain = words[head.len()..]
            .iter()
            .all(|w| w.chars().all(|c| c.is_alphabetic() || c == '-'));
        plain && markers.iter().any(|m| head.ends_with(m))
    })
}

/// The actors listed right after "between" (past "of ties" and the like) in `text[from..to]`:
/// at least two, or None.
fn between_sides(doc: &Document, text: &str, from: usize, to: usize) -> Option<Vec<String>> {
    let window = text.get(from..to)?;
    let at = window.find(" between ").filter(|&at| at <= 20)?;
    let start = from + at + " between ".len();
    let sides = actors_in(
        doc,
        Span {
            start,
            end: clause_end(text, start, to.max(start)),
        },
    );
    (sides.len() >= 2).then_some(sides)
}

/// Prepositions whose object is not the clause's subject, nor the subject of the clause a
/// phrase they open is set before ("In the attack, ...", "At least 16 airstrikes").
const PREPOSITIONS: &[&str] = &[
    "during",
    "following",
    "amid",
    "despite",
    "without",
    "under",
    "across",
    "throughout",
    "within",
    "through",
    "upon",
    "outside",
    "inside",
    "according",
    "of",
    "on",
    "in",
    "at",
    "from",
    "by",
    "with",
    "against",
    "for",
    "to",
    "into",
    "between",
    "toward",
    "towards",
    "over",
    "near",
    "about",
    "regarding",
    "including",
    "among",
];

/// Whether the words before a phrase end in a preposition, past its determiner and up to two
/// modifiers ("of recent Russian-mediated", "on the").
fn after_preposition(before: &[sitrep_verbs::Word]) -> bool {
    let mut modifiers = 0;
    for w in before.iter().rev() {
        let word = w.text.as_str();
        if PREPOSITIONS.contains(&word) {
            return true;
        }
        if DETERMINERS.contains(&word) {
            continue;
        }
        let modifier = word.chars().all(|c| c.is_alphabetic() || c == '-')
            && !AFTER_SUBJECT.contains(&word)
            && !LIST_JOINERS.contains(&word);
        if !modifier || modifiers == 2 {
            return false;
        }
        modifiers += 1;
    }
    false
}

/// Whether a phrase stands inside an apposition: after an unclosed dash or parenthesis, or
/// right after "known as".
fn in_apposition(before: &[sitrep_verbs::Word]) -> bool {
    let open = |marks: &[&str]| {
        before
            .iter()
            .filter(|w| marks.contains(&w.text.as_str()))
            .count()
    };
    let dashes = open(&["–", "—"]);
    let parentheses = open(&["("]) > open(&[")"]);
    let known_as = before
        .iter()
        .rev()
        .skip_while(|w| DETERMINERS.contains(&w.text.as_str()))
        .take(2)
        .map(|w| w.text.as_str())
        .eq(["as", "known"]);
    dashes % 2 == 1 || parentheses || known_as
}

/// Whether a mention names an actor: a person, organisation, group or country, not a place
/// or a time.
fn is_actor(doc: &Document, m: &Mention) -> bool {
    match m.kind.as_str() {
        "person" | "organization" | "group" => true,
        "place" => m
            .entity
            .as_ref()
            .and_then(|id| doc.entity(id))
            .is_some_and(|e| e.kind == "country"),
        _ => false,
    }
}

/// Where a trigger's targets may be named: a little way after it, up to a clause break.
fn clause_end(text: &str, from: usize, sentence_end: usize) -> usize {
    let mut reach = (from + TARGET_REACH).min(sentence_end);
    while !text.is_char_boundary(reach) {
        reach -= 1;
    }
    let window = &text[from..reach];
    let stop = [
        ",",
        ";",
        ":",
        " – ",
        " — ",
        " in order to ",
        " which ",
        " that ",
    ]
    .iter()
    .filter_map(|b| window.find(b))
    .min()
    .unwrap_or(window.len());
    from + stop
}

/// What every trigger of a sentence shares: its words, its paragraph, its contexts.
struct SentenceFacts {
    start: usize,
    words: Vec<sitrep_verbs::Word>,
    paragraph: Span,
    contexts: Vec<String>,
}

/// The paragraph a sentence stands in.
fn paragraph_of(text: &str, sentence: Span) -> Span {
    Span {
        start: text[..sentence.start].rfind("\n\n").map_or(0, |at| at + 2),
        end: text[sentence.end..]
            .find("\n\n")
            .map_or(text.len(), |at| sentence.end + at),
    }
}

/// The time nearest a trigger in its sentence, else in its paragraph, with the level it came
/// from; within the speaker's claim the event sits in, if any ("said on 24 January" dates the
/// saying, not the event).
fn time_of(
    doc: &Document,
    trigger: Span,
    sentence: Span,
    paragraph: Span,
    statement: Option<&Statement>,
) -> (Option<sitrep_core::PartialDate>, Option<String>) {
    let claim = statement.filter(|s| s.form != "outlet_assertion");
    let within_claim = |span: Span| {
        claim.map_or(span, |s| Span {
            start: span.start.max(s.span.start),
            end: span.end.min(s.span.end),
        })
    };
    [(sentence, "sentence"), (paragraph, "paragraph")]
        .into_iter()
        .find_map(|(span, level)| {
            mentions_in(doc, within_claim(span))
                .filter(|m| m.kind == "time" && m.time.is_some())
                .min_by_key(|m| m.span.start.abs_diff(trigger.start))
                .and_then(|m| m.time.clone())
                .map(|time| (Some(time), Some(level.to_string())))
        })
        .unwrap_or((None, None))
}

/// The place named in the trigger's sentence (the nearest after it, else before it), else in
/// its paragraph; with the level it came from.
fn location_of(
    doc: &Document,
    trigger: Span,
    sentence: Span,
    paragraph: Span,
) -> (Option<String>, Option<String>) {
    // A place of the given entity kind: "place" for towns and regions, "country" for a
    // country named by name ("in Syria"; not a people's adjective).
    let of_kind = |m: &Mention, kind: &str| {
        m.kind == "place"
            && m.entity
                .as_ref()
                .and_then(|id| doc.entity(id))
                .is_some_and(|e| e.kind == kind)
    };
    let nearest = |span: Span, kind: &str| {
        mentions_in(doc, span)
            .filter(|m| of_kind(m, kind))
            .min_by_key(|m| {
                if m.span.start >= trigger.end {
                    m.span.start - trigger.end
                } else {
                    // Places before the trigger come after those following it.
                    usize::MAX / 2 + trigger.start.saturating_sub(m.span.end)
                }
            })
            .and_then(|m| m.entity.clone())
    };
    // A town in the sentence, else the country it names, else a town in the paragraph.
    [
        (sentence, "place", "sentence"),
        (sentence, "country", "sentence"),
        (paragraph, "place", "paragraph"),
    ]
    .into_iter()
    .find_map(|(span, kind, level)| nearest(span, kind).map(|place| (place, level)))
    .map_or((None, None), |(place, level)| {
        (Some(place), Some(level.to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::subject_words;

    #[test]
    fn the_subject_is_the_clause_up_to_its_first_auxiliary() {
        assert_eq!(subject_words("They would then ").as_deref(), Some("They"));
        assert_eq!(
            subject_words("and unidentified gunmen ").as_deref(),
            Some("unidentified gunmen")
        );
        assert_eq!(
            subject_words("heavy ").as_deref(),
            None,
            "a modifier, not a doer"
        );
        assert_eq!(
            subject_words("unidentified gunmen have ").as_deref(),
            Some("unidentified gunmen")
        );
        assert_eq!(subject_words("the ").as_deref(), None);
        assert_eq!(subject_words("").as_deref(), None);
    }
}
