//! Events read from the parse: which words are triggers, who did it and to whom, and the
//! words of the verb chain that say whether it happened.
//!
//! A verb or noun whose lemma `data/events.toml` lists is a trigger ("attacked", "the
//! killing"); a name or a month never is. The doer of a verb is its subject, or the "by" of a
//! passive; its target the object, or the passive's subject. A noun's doer is its possessor,
//! its "by", or the subject of the verb it is the object of ("Turkey launched an offensive");
//! its target the "on", "against" or "of" after it. A verb with no subject of its own takes
//! its head's ("plans to attack", "attacked and killed", "…, killing five"). The mode is the
//! innermost marker on the chain from the trigger up through its governors: an auxiliary
//! ("will"), a "not", an "if", or a governing verb of `data/modes.toml` ("plan to", "called
//! for").

use crate::resources::{EventPattern, EventPatterns};
use sitrep_core::Span;
use sitrep_syntax::{Parse, Tok, Upos};

/// How far up the tree a trigger's governors are looked for.
const CHAIN_REACH: usize = 6;

/// A word of the parse playing a role, and the relation that gave it.
pub(crate) type Role<'p> = (Tok<'p>, &'static str);

/// Who did it and to whom, as words heading their phrases.
pub(crate) struct Roles<'p> {
    pub actor: Option<Role<'p>>,
    pub target: Option<Role<'p>>,
}

/// The word heading a trigger's span: the one whose head lies outside it.
pub(crate) fn head_word(parse: &Parse, span: Span) -> Option<Tok<'_>> {
    let inside = |t: &Tok<'_>| span.start <= t.span().start && t.span().end <= span.end;
    crate::attribution::words_in(parse, span).find(|w| w.head().is_none_or(|h| !inside(&h)))
}

/// The triggers the parse adds: verbs and nouns of the lemma lists, where no trigger of
/// `taken` (the phrases found in the text) already stands.
pub(crate) fn lemma_triggers<'p>(
    parse: &Parse,
    patterns: &'p EventPatterns,
    taken: &[Span],
) -> Vec<(Span, &'p EventPattern)> {
    parse
        .toks()
        .filter_map(|w| {
            let is_verb = match w.upos() {
                Upos::Verb => true,
                Upos::Noun => false,
                _ => return None,
            };
            let pattern = patterns
                .by_lemma(w.lemma(), is_verb)
                .or_else(|| {
                    is_verb
                        .then(|| {
                            by_instrument(w, patterns)
                                .or_else(|| by_confinement(w, patterns))
                                .or_else(|| by_force(w, patterns))
                        })
                        .flatten()
                })
                .or_else(|| by_cargo(w, patterns))
                .filter(|p| !names_no_event(w, p, patterns))?;
            let span = w.span();
            let overlaps = |s: Span| taken.iter().any(|t| t.start < s.end && s.start < t.end);
            // "bombing campaign", "rescue operation": one event, which the modifier names
            // more nearly than the noun it modifies.
            let named_by_modifier = !is_verb
                && w.children().any(|c| {
                    c.rel() == "compound"
                        && (overlaps(c.span()) || patterns.by_lemma(c.lemma(), false).is_some())
                });
            (!overlaps(span) && !named_by_modifier).then_some((span, pattern))
        })
        .collect()
}

/// The trigger a verb makes through the weapon it names: its subject (a conjunct's shared one:
/// "a bullet ricocheted and hit her"), its by-agent when passive ("was hit by eight bullets"),
/// or what it wields ("dropped barrel bombs on the market", "pointed a rifle at the guard").
fn by_instrument<'p>(verb: Tok<'_>, patterns: &'p EventPatterns) -> Option<&'p EventPattern> {
    // Most verbs are no such verb: ask that before looking for their doer.
    let (pattern, is_instrument) = patterns.instrument_verb(verb.lemma())?;
    let shared_subject = || {
        verb.head()
            .filter(|_| verb.base_rel() == "conj")
            .and_then(|h| child(h, "nsubj"))
    };
    let doer = if verb.is_passive() {
        by_phrase(verb)
    } else {
        child(verb, "nsubj").or_else(shared_subject)
    };
    let by_weapon = doer.is_some_and(|d| is_instrument(d.lemma()));
    (by_weapon || wielded(verb, is_instrument).is_some()).then_some(pattern)
}

/// The trigger a verb of holding makes when it holds someone captive: a person it holds when
/// passive ("he was being held"), or a confinement it names ("kept in jail", "held them
/// hostage"); not "held talks" or "the meeting was held".
fn by_confinement<'p>(verb: Tok<'_>, patterns: &'p EventPatterns) -> Option<&'p EventPattern> {
    let (pattern, is_confinement) = patterns.confining_verb(verb.lemma())?;
    let person = |w: Tok<'_>| {
        w.upos() == Upos::Pron
            && !["it", "this", "that", "which", "what"]
                .iter()
                .any(|thing| w.lemma().eq_ignore_ascii_case(thing))
    };
    let person_held = verb.is_passive() && child(verb, "nsubj:pass").is_some_and(person);
    let confined = verb
        .children()
        .any(|c| matches!(c.base_rel(), "obl" | "obj" | "xcomp") && is_confinement(c.lemma()));
    (person_held || confined).then_some(pattern)
}

/// The trigger a verb of bodily force makes when done to someone: its object (its subject
/// when passive) is someone, or someone's body ("pinned him to the ground", "twisted the
/// man's arm", "he was grabbed"); not "pushed the button", "pinned the blame on".
fn by_force<'p>(verb: Tok<'_>, patterns: &'p EventPatterns) -> Option<&'p EventPattern> {
    let pattern = patterns.done_to_someone(verb.lemma())?;
    let victim = undergoer(verb)?;
    let someones = |w: Tok<'_>| {
        w.children()
            .any(|c| c.rel() == "nmod:poss" && is_someone(c, patterns))
    };
    (is_someone(victim, patterns) || someones(victim)).then_some(pattern)
}

/// The trigger a word of moving goods makes when what it moves is cargo of its type: "sold
/// artillery", "the firearms were submitted", "the weapons recovered", "the purchase of arms",
/// "arms sales"; through a quantity ("$1bn in artillery", "few of the firearms"). A cargo
/// entry of two words names a noun and one of its modifiers ("military equipment").
fn by_cargo<'p>(word: Tok<'_>, patterns: &'p EventPatterns) -> Option<&'p EventPattern> {
    let (pattern, is_cargo) = patterns.cargo_word(word.lemma())?;
    let names_cargo = |thing: Tok<'_>| {
        is_cargo(thing.lemma())
            || thing
                .children()
                .filter(|m| matches!(m.base_rel(), "amod" | "compound"))
                .any(|m| is_cargo(&format!("{} {}", m.lemma(), thing.lemma())))
    };
    let moved = moved(word)?;
    let counted = || {
        let quantity = moved.upos() == Upos::Num
            || moved.xpos() == "$"
            || patterns.is_transparent(moved.lemma());
        // "$1bn in artillery" is often hung on the verb, not on the sum.
        quantity.then(|| {
            preposition_object(moved, &["of", "in"]).or_else(|| preposition_object(word, &["in"]))
        })?
    };
    (names_cargo(moved) || counted().is_some_and(names_cargo)).then_some(pattern)
}

/// What a word of moving goods moves: a verb's object, its subject when passive, the noun a
/// past participle describes; a noun's "of" or the noun before it ("arms sales").
fn moved(word: Tok<'_>) -> Option<Tok<'_>> {
    if word.upos() == Upos::Noun {
        return preposition_object(word, &["of"]).or_else(|| child(word, "compound"));
    }
    if word.rel() == "acl" && word.xpos() == "VBN" {
        return word.head();
    }
    undergoer(word)
}

/// What a verb acts on: its object, or its subject when passive.
fn undergoer(verb: Tok<'_>) -> Option<Tok<'_>> {
    child(
        verb,
        if verb.is_passive() {
            "nsubj:pass"
        } else {
            "obj"
        },
    )
}

/// Whether a word names someone rather than something: a name, or a noun or pronoun for
/// people (`people` in events.toml: "boy", "volunteers", "we", "someone").
pub(crate) fn is_someone(word: Tok<'_>, patterns: &EventPatterns) -> bool {
    word.upos() == Upos::Propn
        || (matches!(word.upos(), Upos::Noun | Upos::Pron) && patterns.is_people(word.lemma()))
}

/// The weapon an active verb of wielding names as its object: "dropped barrel bombs",
/// "pointed a rifle" (`is_instrument`: the verb's instruments, from
/// [`EventPatterns::instrument_verb`]).
fn wielded<'p>(verb: Tok<'p>, is_instrument: impl Fn(&str) -> bool) -> Option<Tok<'p>> {
    child(verb, "obj").filter(|o| !verb.is_passive() && is_instrument(o.lemma()))
}

/// Whether the parse says a word names no event of its pattern's type: a proper noun or a word
/// of a name; a verb of asking that asks a question ("Asked how Malta could compete, Mamo
/// stressed", "was asked about the threat"), which requests nothing; a word set before the noun
/// it describes, for the types whose such words describe who or what the noun is ("the alleged
/// gunmen", "the investigating officer"), and any adjective so set ("the offensive posters");
/// a noun describing another that names no event ("a shooting stance"); a figure of speech
/// ("a trade war").
pub(crate) fn names_no_event(
    word: Tok<'_>,
    pattern: &EventPattern,
    patterns: &EventPatterns,
) -> bool {
    let describes = describes_noun_after(word) && !patterns.names_before_nouns(&pattern.event_type);
    // "the offensive message": an adjective describing a noun; not a participle, whose act
    // stands ("detained lawyers": someone detained them).
    let adjective = word.upos() == Upos::Adj && word.base_rel() == "amod" && !is_participle(word);
    // "a shooting stance", "the trial date", "aid workers": a noun describing another noun
    // that names no event (not one that carries it: "a mediation mission").
    let kind_of_thing = word.upos() == Upos::Noun
        && word.rel() == "compound"
        && word.head().is_some_and(|h| {
            h.upos() == Upos::Noun
                && patterns.by_lemma(h.lemma(), false).is_none()
                && !patterns.is_carrier(h.lemma())
        });
    // "a trade war", "the cold war": a figure of speech, no event of the type.
    let figurative = word
        .children()
        .filter(|m| matches!(m.base_rel(), "amod" | "compound"))
        .any(|m| patterns.is_figurative_with(&pattern.event_type, m.lemma()));
    is_no_event(word)
        || describes
        || adjective
        || figurative
        || kind_of_thing
        || (patterns.is_questioning(word.lemma()) && asks_a_question(word))
}

/// Whether a word is a modifier set before the noun it describes ("the alleged gunmen",
/// "detained lawyers").
fn describes_noun_after(word: Tok<'_>) -> bool {
    word.base_rel() == "amod" && word.head().is_some_and(|noun| word.index() < noun.index())
}

/// Whether a word has a past participle's form, whatever its tag ("detained", "beaten").
fn is_participle(word: Tok<'_>) -> bool {
    word.form().ends_with("ed") || word.form().ends_with("en")
}

/// Whether a verb's complement is a question: "how", "whether" or "if" opens it, or "about"
/// what is asked ("asked how", "asked whether", "asked about the threat"); not a purpose or a
/// time ("asked them to leave when the shelling stopped").
fn asks_a_question(verb: Tok<'_>) -> bool {
    let about = preposition_object(verb, &["about"]).is_some();
    let question = |clause: Tok<'_>| {
        let rel = clause.base_rel();
        clause.children().any(|w| {
            let opener = w.index() < clause.index();
            let word = w.lemma().to_lowercase();
            let asking = match word.as_str() {
                "whether" | "how" | "what" | "why" | "who" | "which" => true,
                "if" | "when" | "where" => rel == "ccomp",
                _ => false,
            };
            opener && asking
        })
    };
    let asks = verb
        .children()
        .any(|c| matches!(c.base_rel(), "ccomp" | "advcl") && question(c));
    about || asks
}

/// Whether the parse says a word names no event: a proper noun (a month, a name), a capitalised
/// word of a name ("the Special Investigations Unit").
fn is_no_event(word: Tok<'_>) -> bool {
    let capitalised = word.form().starts_with(char::is_uppercase);
    let in_a_name = capitalised
        && matches!(word.base_rel(), "compound" | "flat" | "amod")
        && word.head().is_some_and(|h| h.upos() == Upos::Propn);
    word.upos() == Upos::Propn || in_a_name
}

/// The doer and the target of a trigger word.
pub(crate) fn roles<'p>(word: Tok<'p>, event_type: &str, patterns: &EventPatterns) -> Roles<'p> {
    let word = named_noun(word);
    let mut roles = if word.upos() == Upos::Noun {
        noun_roles(word, event_type, patterns)
    } else {
        verb_roles(word)
    };
    // "pointed a rifle at the guard": the weapon is no target; what it is aimed at is.
    let weapon = patterns
        .instrument_verb(word.lemma())
        .and_then(|(_, is_instrument)| wielded(word, is_instrument));
    if weapon.is_some() {
        roles.target = preposition_object(word, &["at", "on", "into", "toward", "towards"])
            .map(|t| (t, "obl: what the weapon was aimed at"));
    }
    // "met with the envoy", "agreements with property owners", "agreed to the plan": the other
    // party of a meeting, an agreement or a joint act (`partners` in events.toml).
    if roles.target.is_none() {
        roles.target =
            preposition_object(word, patterns.partners(event_type)).map(|t| (t, "partner"));
    }
    if roles.actor.is_none() {
        roles.actor = for_subject(word)
            .or_else(|| inherited_subject(word, patterns))
            .or_else(|| charged_with(word, patterns));
    }
    // "four porters died": the subject of a verb one undergoes is what it befell.
    if word.upos() == Upos::Verb && patterns.is_undergone(word.lemma()) {
        if let Some((subject, _)) = roles.actor.take() {
            roles.target = roles
                .target
                .or(Some((subject, "the subject, who underwent it")));
        }
    }
    roles.actor = roles.actor.map(antecedent);
    roles.target = roles.target.map(antecedent);
    roles
}

/// The verb whose subject suffered the event, when the trigger's clause has one: the trigger
/// itself when passive ("ten were wounded") or one its subject always undergoes ("four
/// died"; `undergone` in events.toml), or the verb whose phrases hold a noun trigger and
/// whose subject suffers them ("were killed in an attack", "died in the shelling";
/// `suffering_verbs` in events.toml). A verb with an object is active, whatever auxiliary the
/// parse gave it ("IS has killed hundreds").
pub(crate) fn suffering_verb<'p>(word: Tok<'p>, patterns: &EventPatterns) -> Option<Tok<'p>> {
    let undergoes = |verb: Tok<'_>| verb.children_with("obj").next().is_none();
    if word.is_passive() || patterns.is_undergone(word.lemma()) {
        return undergoes(word).then_some(word);
    }
    let mut at = Some(word);
    while let Some(w) = at {
        if matches!(w.upos(), Upos::Verb | Upos::Aux) {
            let suffers = w != word && patterns.is_suffering_verb(w.lemma()) && undergoes(w);
            return suffers.then_some(w);
        }
        at = w.head();
    }
    None
}

/// Where the clause a word stands in starts, when it is an adverbial or relative clause
/// ("… killed since the truce collapsed", "the town, which troops besieged"): the subtree of
/// the nearest verb above the word (or the word) that has a subject of its own, passing the
/// verbs that share their head's subject ("preparing to launch"). None in a main clause,
/// whose start the words find better than a parse that may have split its subject off.
pub(crate) fn subordinate_clause_start(word: Tok<'_>) -> Option<usize> {
    let mut at = word;
    while let Some(head) = at.head() {
        let subject = || {
            at.children()
                .any(|c| matches!(c.base_rel(), "nsubj" | "csubj" | "expl"))
        };
        if matches!(at.upos(), Upos::Verb | Upos::Aux) && subject() {
            return matches!(at.base_rel(), "advcl" | "acl").then(|| at.subtree_span().start);
        }
        at = head;
    }
    None
}

/// "the Saudis' bombing campaign", "negotiating an evacuation deal": a noun that names the
/// event before the noun it modifies stands for that noun, with its possessor, verb and mode.
fn named_noun(word: Tok<'_>) -> Tok<'_> {
    word.head()
        .filter(|h| word.rel() == "compound" && word.upos() == Upos::Noun && h.upos() == Upos::Noun)
        .unwrap_or(word)
}

/// For a relative pronoun ("the unit, which probes cases"), the noun its clause describes.
fn antecedent(role: Role<'_>) -> Role<'_> {
    match crate::attribution::antecedent(role.0) {
        Some(noun) => (noun, "the noun its relative clause describes"),
        None => role,
    }
}

fn verb_roles(word: Tok<'_>) -> Roles<'_> {
    // "the town shelled by the army", "detained lawyers"; not a relative clause ("Britain,
    // which has accused").
    let before_its_noun =
        describes_noun_after(word) && (word.xpos() == "VBN" || is_participle(word));
    // "Israeli jets struck positions near Damascus", parsed as "jets" described by "struck":
    // a participle with an object of its own is no passive; the noun is its subject.
    let has_object = child(word, "obj").is_some();
    let modifies_noun =
        (word.rel() == "acl" && word.xpos() == "VBN" && !has_object) || before_its_noun;
    if word.is_passive() || modifies_noun {
        let target = child(word, "nsubj:pass")
            .map(|t| (t, "nsubj:pass"))
            .or_else(|| modifies_noun.then(|| word.head().map(|h| (h, "noun it modifies")))?);
        return Roles {
            actor: by_phrase(word).map(|a| (a, "by-agent")),
            target,
        };
    }
    if let Some(object) = undergone_by_object(word) {
        return Roles {
            actor: by_phrase(word).map(|a| (a, "by-agent")),
            target: Some((
                object,
                "object of the verb it completes, which undergoes it",
            )),
        };
    }
    let target = child(word, "obj")
        .map(|t| (t, "obj"))
        .or_else(|| preposition_object(word, &["against", "on", "at"]).map(|t| (t, "obl")));
    // "a man pointing a firearm", "gunmen firing on the crowd": the noun a present participle
    // describes is its doer.
    let described = word
        .head()
        .filter(|_| {
            word.rel() == "acl" && (word.xpos() == "VBG" || (word.xpos() == "VBN" && has_object))
        })
        .map(|h| (h, "noun its participle describes"));
    // Of two subjects the parser gave one verb ("a crowd gathered as police investigated"),
    // the nearer before it is its own.
    let subjects = || word.children().filter(|c| c.rel() == "nsubj");
    let subject = subjects()
        .filter(|c| c.index() < word.index())
        .max_by_key(|c| c.index())
        .or_else(|| subjects().next());
    Roles {
        actor: subject.map(|a| (a, "nsubj")).or(described),
        target,
    }
}

fn noun_roles<'p>(word: Tok<'p>, event_type: &str, patterns: &EventPatterns) -> Roles<'p> {
    let target =
        preposition_object(word, &["against", "on", "of", "targeting"]).map(|t| (t, "nmod"));
    let own = child(word, "nmod:poss")
        .map(|a| (a, "nmod:poss"))
        .or_else(|| by_phrase(word).map(|a| (a, "nmod by")))
        .or_else(|| given_by(word, patterns.givers(event_type)));
    // "Turkey launched an offensive", "attacks carried out by the militants": the verb the
    // noun is the object of names its doer — not a verb about an event already there ("the
    // UN condemned the bombing").
    let through_verb = || {
        // "made dozens of requests", "launched a wave of attacks": through a noun of kind or
        // number.
        let carrier = word
            .head()
            .filter(|h| word.base_rel() == "nmod" && patterns.is_transparent(h.lemma()))
            .unwrap_or(word);
        // Nor one that keeps it from happening ("evaded capture", "prevented an attack").
        let verb = carrier.head().filter(|h| {
            h.upos() == Upos::Verb
                && !patterns.is_presupposing(h.lemma())
                && patterns.governed_mode(h.lemma()) != Some("negated")
        })?;
        match carrier.rel() {
            "obj" => child(verb, "nsubj")
                .map(|a| (a, "nsubj of the verb it is object of"))
                // "planning to carry out attacks", "confirmed his death and paid tribute": the
                // controller of an open complement, the subject a conjunct shares.
                .or_else(|| {
                    matches!(verb.base_rel(), "xcomp" | "conj")
                        .then(|| inherited_subject(verb, patterns))?
                }),
            "nsubj:pass" => by_phrase(verb).map(|a| (a, "by-agent of the verb it is subject of")),
            _ => None,
        }
    };
    // "years of violence between two rival gangs", "collaboration among cities": the sides,
    // also where the parser hung them on the verb the noun is the object of, right after it
    // ("fear violence between the militias").
    let sides = || {
        let hung_on_verb = || {
            word.head()
                .filter(|_| word.base_rel() == "obj")
                .and_then(|verb| preposition_object(verb, &["between", "among"]))
                .filter(|s| s.subtree().start == word.subtree().end)
        };
        preposition_object(word, &["between", "among"])
            .or_else(hung_on_verb)
            .map(|s| (s, "the sides"))
    };
    Roles {
        actor: own
            .or_else(|| intended_by(word, patterns))
            .or_else(sides)
            .or_else(|| involving(word))
            .or_else(through_verb)
            .or_else(|| done_in_relative_clause(word, patterns)),
        target,
    }
}

/// "clashes involving government troops", "a shooting involving officers": who took part.
fn involving(noun: Tok<'_>) -> Option<Role<'_>> {
    noun.children()
        .find(|c| c.base_rel() == "acl" && c.lemma() == "involve" && c.xpos() == "VBG")
        .and_then(|verb| child(verb, "obj"))
        .map(|who| (who, "obj of the \"involving\" that describes it"))
}

/// "China's threat of new tariffs", "the army's plan for an assault": the owner of a noun of
/// intent or expectation (a mode's governor) does the event it is of or for.
fn intended_by<'p>(noun: Tok<'p>, patterns: &EventPatterns) -> Option<Role<'p>> {
    let intent = noun.head().filter(|h| {
        noun.base_rel() == "nmod"
            && h.upos() == Upos::Noun
            && patterns.governed_mode(h.lemma()).is_some()
    })?;
    child(intent, "nmod:poss")
        .or_else(|| by_phrase(intent))
        .map(|owner| (owner, "owner of the intent it completes"))
}

/// "the consultations that MSF has been providing", "the raids the army carried out": the
/// subject of a relative clause whose object is the event noun did it — not of a verb about an
/// event already there ("the attack the ministry condemned"), nor one whose preposition the
/// noun is the object of ("the attack the army warned of").
fn done_in_relative_clause<'p>(noun: Tok<'p>, patterns: &EventPatterns) -> Option<Role<'p>> {
    let clause = relative_clause_on(noun, patterns)?;
    let subject = child(clause, "nsubj")?;
    Some((subject, "nsubj of the relative clause it is object of"))
}

/// The verb of an active relative clause whose object is `noun` ("the raids the army carried
/// out", "the consultations that MSF has been providing"; not "the trial, who is accused"),
/// unless that verb is about an event already there or keeps it from happening.
fn relative_clause_on<'p>(noun: Tok<'p>, patterns: &EventPatterns) -> Option<Tok<'p>> {
    let clause = noun
        .children()
        .find(|c| c.rel() == "acl:relcl" && c.upos() == Upos::Verb)
        .filter(|v| {
            !patterns.is_presupposing(v.lemma())
                && patterns.governed_mode(v.lemma()) != Some("negated")
        })?;
    let subject_gap = clause
        .children()
        .any(|c| c.base_rel() == "nsubj" && (c.rel() == "nsubj:pass" || is_relative_pronoun(c)));
    if subject_gap {
        return None;
    }
    let stranded = clause
        .children()
        .any(|c| c.base_rel() == "obl" && c.upos() == Upos::Adp);
    let object_gap = match child(clause, "obj") {
        Some(object) => is_relative_pronoun(object),
        None => !stranded,
    };
    object_gap.then_some(clause)
}

fn is_relative_pronoun(word: Tok<'_>) -> bool {
    matches!(
        word.lemma().to_lowercase().as_str(),
        "that" | "which" | "who" | "whom"
    )
}

/// "the raids the militia are planning", "the consultations that MSF has been providing": an
/// event noun that a relative clause plans, threatens or carries out is in that clause's mode.
fn relative_clause_mode<'r>(
    noun: Tok<'_>,
    patterns: &'r EventPatterns,
    text: &str,
) -> Option<(&'r str, String)> {
    let clause = relative_clause_on(noun, patterns)?;
    let why = |why: String| format!("{why}, the relative clause whose object it is");
    match patterns.governed_mode(clause.lemma()) {
        Some(mode) => Some((mode, why(format!("{:?}", clause.form())))),
        None if patterns.is_implicative(clause.lemma()) => {
            chain_mode(clause, patterns, text).map(|(mode, found)| (mode, why(found)))
        }
        None => None,
    }
}

/// "approval from Congress", "required approval from lawmakers", "aid from the Red
/// Crescent": the giver a preposition of the type's `givers` marks, on the noun or on the verb
/// it is the object or subject of; ahead of that verb's subject, who receives it. ("Aid from
/// a warehouse" names a place the same way; nothing here tells the two apart.)
fn given_by<'p>(noun: Tok<'p>, givers: &[String]) -> Option<Role<'p>> {
    if givers.is_empty() {
        return None;
    }
    let on_the_verb = || {
        let verb = noun
            .head()
            .filter(|v| v.upos() == Upos::Verb && matches!(noun.base_rel(), "obj" | "nsubj"))?;
        preposition_object(verb, givers)
    };
    preposition_object(noun, givers)
        .or_else(on_the_verb)
        .map(|giver| (giver, "the one it is from"))
}

/// For a verb without a subject of its own: the subject of the verb it hangs from ("plans to
/// attack", "attacked and killed", "…, killing five", "was killed while battling"), or the one
/// that verb acts on ("forced them to capitulate", "blocked lawyers from visiting him"), the
/// noun a participle describes ("gunmen attacking the town"), or whose will or means an
/// infinitive completes ("the alliance's eagerness to support").
fn inherited_subject<'p>(word: Tok<'p>, patterns: &EventPatterns) -> Option<Role<'p>> {
    if word.upos() != Upos::Verb || word.is_passive() {
        return None;
    }
    let mut at = word;
    for _ in 0..CHAIN_REACH {
        let head = at.head()?;
        let participle = at.xpos() == "VBG" || at.xpos() == "VBN";
        match at.base_rel() {
            "conj" => {
                if let Some(subject) = object_taken_for_subject(at, head) {
                    return Some((subject, "the object before it, which is its subject"));
                }
            }
            "xcomp" => {}
            "advcl" if participle || subjects_purpose(at, head) => {}
            "acl" if at.xpos() == "VBG" => return Some((head, "noun the participle describes")),
            "acl" => return owner_of_noun(at, head),
            _ => return None,
        }
        if let Some(object) = controlling_object(at, head, patterns) {
            return Some((object, "object of the verb it completes"));
        }
        if let Some(object) = object_doing(at, head, patterns) {
            return Some((object, "object its participle describes"));
        }
        // The subject of a passive head is the doer of what completes it ("are supposed to
        // help", "was shot while fighting"); not of a passive participle beside it ("Rebuked
        // by its neighbour, the state is drawn into talks": the state was rebuked).
        let passive_subject = || child(head, "nsubj:pass").filter(|_| at.xpos() != "VBN");
        if let Some(subject) = child(head, "nsubj").or_else(passive_subject) {
            return Some((subject, "nsubj of its head"));
        }
        at = head;
    }
    None
}

/// "went out of their way to keep us fed": a to-infinitive of purpose after its verb is what
/// that verb's subject aims to do. Not one with the verb's object between ("exposed plots …
/// to commit attacks": the parser often hangs on the verb what describes the object), nor one
/// before its verb ("the alliance's eagerness to support …, the revelation came").
fn subjects_purpose(infinitive: Tok<'_>, verb: Tok<'_>) -> bool {
    let to = to_infinitive(infinitive);
    let object_between = verb
        .children()
        .any(|c| matches!(c.base_rel(), "obj" | "iobj") && c.index() < infinitive.index());
    to && infinitive.xpos() == "VB" && infinitive.index() > verb.index() && !object_between
}

/// "kept us well fed", "left two soldiers wounded", "had the journalist arrested": a past
/// participle completing a verb, with no object or subject of its own, is done to that verb's
/// object (the tagger may call it a past tense, which cannot complete a verb).
fn undergone_by_object(word: Tok<'_>) -> Option<Tok<'_>> {
    let own_arguments = word
        .children()
        .any(|c| matches!(c.base_rel(), "obj" | "nsubj"));
    if word.rel() != "xcomp" || !matches!(word.xpos(), "VBN" | "VBD") || own_arguments {
        return None;
    }
    let verb = word.head()?;
    child(verb, "obj").filter(|o| o.index() < word.index())
}

/// "a deadline for residents to hand in their rifles", "called for Israel to halt": the one a
/// "for" names right before a to-infinitive, with nothing but its noun phrase between ("for
/// people with firearms to surrender them"), is the infinitive's subject, wherever the parser
/// hung the two; not a time ("waited for hours to attack").
fn for_subject(infinitive: Tok<'_>) -> Option<Role<'_>> {
    if infinitive.upos() != Upos::Verb {
        return None;
    }
    let to = infinitive
        .children_with("mark")
        .find(|m| m.lemma().eq_ignore_ascii_case("to"))?;
    let nominal = |w: &Tok<'_>| {
        matches!(
            w.upos(),
            Upos::Noun
                | Upos::Propn
                | Upos::Adj
                | Upos::Det
                | Upos::Num
                | Upos::Cconj
                | Upos::Punct
                | Upos::Adp
                | Upos::Pron
        )
    };
    let mut at = to.previous_in_sentence()?;
    for _ in 0..CHAIN_REACH * 2 {
        if at.upos() == Upos::Adp && at.lemma().eq_ignore_ascii_case("for") {
            return at
                .head()
                .filter(|noun| {
                    noun.upos() != Upos::Verb && !crate::times::is_time_word(noun.form())
                })
                .map(|noun| (noun, "the one \"for\" names before its \"to\""));
        }
        if !nominal(&at) {
            return None;
        }
        at = at.previous_in_sentence()?;
    }
    None
}

/// "police announced its burglary squad arrested two people": a verb the parser joined to
/// another with no "and", "or" or comma, right after that verb's object, is a clause of its own
/// whose subject the parser took for the object.
fn object_taken_for_subject<'p>(conjunct: Tok<'p>, verb: Tok<'p>) -> Option<Tok<'p>> {
    let joined = conjunct
        .children()
        .any(|c| matches!(c.base_rel(), "cc" | "punct") && c.index() < conjunct.index());
    if joined || conjunct.xpos() == "VBG" {
        return None;
    }
    verb.children()
        .find(|c| c.base_rel() == "obj" && c.subtree().end == conjunct.index())
}

/// "callers reported a man “pointing a firearm”", "saw soldiers firing on the crowd": a
/// participle right after its verb's object, no comma between, says what the object was
/// doing, when the object is someone; not a thing ("posted flyers asking for help": the one
/// who posted them asks), nor after a marker ("stopped selling munitions while demanding"), nor
/// set off by a comma ("hit the town, killing five": the subject did that).
fn object_doing<'p>(
    participle: Tok<'p>,
    verb: Tok<'p>,
    patterns: &EventPatterns,
) -> Option<Tok<'p>> {
    let marked = participle.children().any(|c| c.base_rel() == "mark");
    if participle.xpos() != "VBG" || marked || !matches!(participle.base_rel(), "advcl" | "xcomp") {
        return None;
    }
    let object = verb.children().find(|c| {
        c.base_rel() == "obj" && c.index() < participle.index() && is_someone(*c, patterns)
    })?;
    let mut at = participle.previous_in_sentence()?;
    while at.index() >= object.subtree().end {
        if matches!(at.form(), "," | ";" | "–" | "—") {
            return None;
        }
        at = at.previous_in_sentence()?;
    }
    Some(object)
}

/// The object of a verb that makes, lets or keeps it from doing the act its complement names,
/// or holds it to account for it: "forced them to capitulate", "urged residents to leave",
/// "barred lawyers from visiting", "accused Russia of poisoning".
fn controlling_object<'p>(
    complement: Tok<'p>,
    verb: Tok<'p>,
    patterns: &EventPatterns,
) -> Option<Tok<'p>> {
    // "kept us well fed": the object undergoes a past participle that completes the verb.
    if !patterns.is_object_control(verb.lemma()) || undergone_by_object(complement).is_some() {
        return None;
    }
    // "barred lawyers from visiting", "accused Russia of poisoning", "blamed the rebels for
    // shelling": a gerund after the object and its preposition.
    let gerund_of_object = complement.base_rel() == "advcl"
        && complement.xpos() == "VBG"
        && complement
            .children_with("mark")
            .any(|m| matches!(m.lemma().to_lowercase().as_str(), "from" | "of" | "for"));
    if complement.base_rel() != "xcomp" && !gerund_of_object {
        return None;
    }
    verb.children().find(|c| {
        matches!(c.base_rel(), "obj" | "iobj")
            && c.index() > verb.index()
            && c.index() < complement.index()
    })
}

/// "the alliance's eagerness to support", "a plan by the council to rebuild", "a U.S. move to
/// slap tariffs": the owner of the noun a to-infinitive completes.
fn owner_of_noun<'p>(infinitive: Tok<'p>, noun: Tok<'p>) -> Option<Role<'p>> {
    let to = infinitive
        .children_with("mark")
        .any(|m| m.lemma().eq_ignore_ascii_case("to"));
    if !to || !matches!(noun.upos(), Upos::Noun) {
        return None;
    }
    // "a U.S. move to slap tariffs": a name set before the noun owns it too.
    let named_before = || {
        noun.children().find(|c| {
            c.rel() == "compound"
                && c.upos() == Upos::Propn
                && c.index() < noun.index()
                && !crate::times::is_time_word(c.form())
        })
    };
    child(noun, "nmod:poss")
        .or_else(|| by_phrase(noun))
        .or_else(named_before)
        .map(|owner| (owner, "owner of the noun it completes"))
}

/// "Bassett is accused of stabbing a man", "who is charged with murder": the one a passive
/// verb of accusation (a governor of the alleged mode in modes.toml) speaks of did the act
/// it names.
fn charged_with<'p>(word: Tok<'p>, patterns: &EventPatterns) -> Option<Role<'p>> {
    // "charged with murder and two counts of assault": through the conjuncts and the nouns of
    // number before it.
    let mut charge = word;
    for _ in 0..CHAIN_REACH {
        match charge.head() {
            Some(head)
                if charge.base_rel() == "conj"
                    || (charge.base_rel() == "nmod" && patterns.is_transparent(head.lemma())) =>
            {
                charge = head
            }
            _ => break,
        }
    }
    let verb = charge
        .head()
        .filter(|v| matches!(charge.base_rel(), "obl" | "advcl") && v.is_passive())
        .filter(|v| patterns.governed_mode(v.lemma()) == Some("alleged"))?;
    child(verb, "nsubj:pass").map(|s| (s, "the one the passive accusation is of"))
}

/// A name set beside a common noun after its comma ("the owner, Gerald Wolkoff,"): the
/// appositive proper noun that follows it.
pub(crate) fn name_beside(noun: Tok<'_>) -> Option<Tok<'_>> {
    if noun.upos() != Upos::Noun {
        return None;
    }
    noun.children()
        .find(|c| c.base_rel() == "appos" && c.upos() == Upos::Propn && c.index() > noun.index())
}

/// The word with exactly this relation (subtype included) under `word`.
fn child<'p>(word: Tok<'p>, rel: &str) -> Option<Tok<'p>> {
    word.children().find(|c| c.rel() == rel)
}

/// A passive's agent, or a noun's "by" ("the attack by the militants").
fn by_phrase(word: Tok<'_>) -> Option<Tok<'_>> {
    child(word, "obl:agent").or_else(|| preposition_object(word, &["by"]))
}

/// The oblique or nominal modifier after `word` introduced by one of `prepositions`.
fn preposition_object<'p>(word: Tok<'p>, prepositions: &[impl AsRef<str>]) -> Option<Tok<'p>> {
    word.children()
        .filter(|c| c.index() > word.index() && matches!(c.base_rel(), "obl" | "nmod"))
        .find(|c| {
            c.children_with("case").any(|p| {
                prepositions
                    .iter()
                    .any(|w| p.lemma().eq_ignore_ascii_case(w.as_ref()))
            })
        })
}

/// The mode the verb chain puts a trigger in, with what said so: the innermost marker on the
/// way up from the trigger through the words that govern it. A question or a command has not
/// happened; a verb in the present simple, or an event a present copula predicates, is going on
/// now; an infinitive completing a verb has not happened, unless that verb says it did ("began
/// to notice", "managed to leave"); one of purpose is planned, one that is a clause's subject
/// hypothetical; a clause of time waits on the event it times. None when nothing on the chain
/// marks it.
pub(crate) fn chain_mode<'r>(
    word: Tok<'_>,
    patterns: &'r EventPatterns,
    text: &str,
) -> Option<(&'r str, String)> {
    let word = named_noun(word);
    // The "going" of "is going to attack" is as future as what it foretells.
    let foretold = word.children_with("xcomp").find_map(|c| going_to(c, word));
    if let Some(found) = foretold {
        return Some(found);
    }
    if let Some(found) = governed_mode(word, patterns) {
        return Some(found);
    }
    if asks(word, text) {
        return Some(("hypothetical", "a question".to_string()));
    }
    if word.upos() != Upos::Verb {
        if let Some(found) = relative_clause_mode(word, patterns, text) {
            return Some(found);
        }
        // "The defendants are on trial", "the town is under siege": an event a present
        // copula predicates is going on.
        if present_copula(word) {
            return Some(("ongoing", format!("present copula on {:?}", word.form())));
        }
        // "concludes a marathon tour", "bases are used for operations": an event noun the
        // present tense governs is going on; not one it follows ("comes after the killing").
        let earlier = word
            .children_with("case")
            .any(|c| matches!(c.lemma(), "after" | "since" | "following"));
        let head = word.head().filter(|h| {
            matches!(word.base_rel(), "obj" | "obl")
                && h.upos() == Upos::Verb
                && !earlier
                && !patterns.is_presupposing(h.lemma())
        })?;
        // "a move to slap tariffs", "it is vital to show solidarity", "the coalition waging war":
        // a verb whose object names the event stands for it, in the mode its own place gives it.
        if word.base_rel() == "obj" && patterns.is_implicative(head.lemma()) {
            return chain_mode(head, patterns, text)
                .map(|(mode, why)| (mode, format!("{why}, whose object is {:?}", word.form())));
        }
        return present_tense(head).then(|| {
            (
                "ongoing",
                format!("{} of present {:?}", word.rel(), head.form()),
            )
        });
    }
    if let Some(found) = timed_by_unreal(word, patterns, text) {
        return Some(found);
    }
    if let Some(found) = follows_unreal(word, patterns, text) {
        return Some(found);
    }
    if let Some(found) = said_under_a_command(word, patterns, text) {
        return Some(found);
    }
    let auxiliaries = word.verb_chain().auxiliaries;
    let has_subject = word.children().any(|c| c.base_rel() == "nsubj");
    // The present simple, active or passive ("people are detained there for months"), and a
    // participle describing what a noun is doing ("the coalition fighting in Yemen"). A
    // passive accusation ("he is accused of stabbing") states an act done, not going on.
    let accused = word.xpos() == "VBN" && patterns.governed_mode(word.lemma()) == Some("alleged");
    // News reports a speech act in the present ("Moscow accuses Ankara"): done, not going on.
    // An open complement has no tense of its own: a present tag on one ("let them know") is the
    // tagger's reading of a bare form.
    let own_tense = word.rel() != "xcomp";
    if own_tense && present_tense(word) && !accused && !patterns.is_performative(word.lemma()) {
        return Some(("ongoing", format!("present tense {:?}", word.form())));
    }
    if word.rel() == "acl" && word.xpos() == "VBG" {
        return Some(("ongoing", format!("participle {:?}", word.form())));
    }
    let to = to_infinitive(word);
    // "Please do visit us": a command may stress itself with "do".
    let at_most_stressed = auxiliaries
        .iter()
        .all(|a| a.lemma() == "do" && matches!(a.xpos(), "VB" | "VBP"));
    if word.xpos() == "VB" && !to && !has_subject && at_most_stressed && commands(word) {
        return Some(("hypothetical", format!("imperative {:?}", word.form())));
    }
    // "forced the rebels to capitulate": an infinitive the parser hung on the object of a verb
    // that makes it happen is that verb's complement, no purpose.
    let made_to = word
        .head()
        .filter(|n| word.base_rel() == "acl" && n.base_rel() == "obj")
        .and_then(|n| n.head())
        .filter(|v| v.upos() == Upos::Verb && patterns.is_causative(v.lemma()));
    if let Some(verb) = made_to.filter(|_| to) {
        return chain_mode(verb, patterns, text);
    }
    if let Some(found) = completes_object_noun(word, patterns) {
        return Some(found);
    }
    // Not an outcome the parser left unattached ("…, only to fall again").
    let stands_alone = word.head().is_none() && purpose(word);
    if to && (stands_alone || word.children().any(|c| c.base_rel() == "cop")) {
        return Some(predicated_infinitive(word, patterns));
    }
    // A "to" infinitive of purpose ("a campaign to invade", "moved in to retake the town") is
    // what someone aims at; one that is a clause's subject ("it is important to show
    // solidarity") is only spoken of.
    // "happy to hear", "supple enough to compromise": what completes an adjective is its
    // complement, no purpose.
    let completes_adjective =
        to && word.base_rel() == "advcl" && word.head().is_some_and(|h| h.upos() == Upos::Adj);
    if to && word.xpos() == "VB" && !completes_adjective {
        match word.base_rel() {
            "advcl" | "acl" if purpose(word) => {
                return Some(("planned", format!("purpose {:?}", word.form())))
            }
            "csubj" => return Some(("hypothetical", format!("infinitive {:?}", word.form()))),
            _ => {}
        }
    }
    // An open complement is as the verb it completes when that verb says it happened or
    // leaves the "to" out ("began to notice", "let me know", "made them leave"); else it has
    // not (yet) happened ("tried to leave").
    let Some(head) = word
        .head()
        .filter(|_| word.base_rel() == "xcomp" || completes_adjective)
    else {
        return conjunct_mode(word, patterns, text);
    };
    if patterns.is_implicative(head.lemma()) || !to || past_obligation(head) {
        return chain_mode(head, patterns, text);
    }
    (word.xpos() == "VB").then(|| ("hypothetical", format!("infinitive {:?}", word.form())))
}

/// "gave a deadline for owners to submit their guns", "limiting their capacity to launch
/// attacks": a "to" infinitive the parser hung on a verb, after an object of that verb (or one
/// of its conjuncts) that governs a mode, completes that noun and is in its mode.
fn completes_object_noun<'r>(
    infinitive: Tok<'_>,
    patterns: &'r EventPatterns,
) -> Option<(&'r str, String)> {
    let verb = infinitive
        .head()
        .filter(|_| infinitive.base_rel() == "advcl" && to_infinitive(infinitive))?;
    let object = verb
        .children()
        .find(|o| o.base_rel() == "obj" && o.index() < infinitive.index())?;
    std::iter::once(object)
        .chain(object.conjuncts())
        .filter(|n| n.index() < infinitive.index())
        .find_map(|noun| {
            let mode = patterns.governed_mode(noun.lemma())?;
            Some((mode, format!("acl of {:?}", noun.form())))
        })
}

/// Whether a verb is a "to" infinitive.
pub(crate) fn to_infinitive(verb: Tok<'_>) -> bool {
    verb.children_with("mark")
        .any(|m| m.lemma().eq_ignore_ascii_case("to"))
}

/// "the aim is to capture the town", "the minister is to visit Moscow", and a headline's "Russia
/// to send troops" or "How to apply": an infinitive a copula predicates, or one standing alone,
/// is what its subject is for, not what was done. A subject that governs a mode says which
/// ("the request is to …": asked for; "the plan is to …"); what a person is to do is arranged
/// for them; anything else ("the only way is to …", "where to buy") is only spoken of.
fn predicated_infinitive<'r>(
    infinitive: Tok<'_>,
    patterns: &'r EventPatterns,
) -> (&'r str, String) {
    let why = format!("infinitive {:?} predicated", infinitive.form());
    let Some(subject) = infinitive.children().find(|c| c.base_rel() == "nsubj") else {
        return ("hypothetical", why);
    };
    let mode = match patterns.governed_mode(subject.lemma()) {
        Some(mode) => mode,
        None if is_someone(subject, patterns) => "planned",
        None => "hypothetical",
    };
    (mode, why)
}

/// "would strike the town, killing dozens", "if the bus drove off the road, injuring five": a
/// participle after the event it hangs on, with no marker or subject of its own, tells what
/// came of that event; a gerund that is a clause's subject ("shelling the town would be a
/// mistake") is what the clause judges. When that event or judgement is not real, neither is
/// the participle's or the gerund's.
fn follows_unreal<'r>(
    word: Tok<'_>,
    patterns: &'r EventPatterns,
    text: &str,
) -> Option<(&'r str, String)> {
    let head = word.head().filter(|_| word.xpos() == "VBG")?;
    let follows =
        word.base_rel() == "advcl" && head.index() < word.index() && head.upos() == Upos::Verb;
    let judged = word.base_rel() == "csubj";
    let own_clause = word
        .children()
        .any(|c| matches!(c.base_rel(), "mark" | "nsubj" | "aux"));
    if !(follows || judged) || own_clause {
        return None;
    }
    waits_on(word, head, &UNREAL, "follows", patterns, text)
}

/// The modes of what has not happened yet and may not: an event in one of them holds back the
/// clauses that wait on it.
const UNREAL: [&str; 4] = ["predicted", "hypothetical", "planned", "threatened"];

/// "residents had to flee", "he has had to pay": what one had to do in the past one did (an
/// obligation told in the past tense reports its fulfilment; "have to leave by Friday" does
/// not). Only "have" says it so: "needed to" and "was supposed to" do not.
fn past_obligation(verb: Tok<'_>) -> bool {
    let chain = verb.verb_chain().auxiliaries;
    let perfect = verb.xpos() == "VBN" && chain.iter().any(|a| a.lemma() == "have");
    let modal = chain.iter().any(|a| a.xpos() == "MD");
    verb.lemma() == "have" && (verb.xpos() == "VBD" || perfect) && !modal
}

/// "will review the papers before sending them", "talks will start once the troops
/// withdraw": a clause of time not in the past tense has not happened when the event it times
/// has not; it takes that event's mode. In the past tense it is told as done ("said he would
/// resign after the party lost").
fn timed_by_unreal<'r>(
    word: Tok<'_>,
    patterns: &'r EventPatterns,
    text: &str,
) -> Option<(&'r str, String)> {
    let head = word.head().filter(|_| word.base_rel() == "advcl")?;
    // "when" is the clause's adverb, the others its markers. "after being duped", "after
    // calling": a gerund after "after" tells of what came first.
    let temporal = word
        .children()
        .filter(|c| c.base_rel() == "mark" || (c.base_rel() == "advmod" && c.xpos() == "WRB"))
        .any(|m| match m.lemma().to_lowercase().as_str() {
            "before" | "when" | "until" | "till" | "once" => true,
            "after" => word.xpos() != "VBG",
            _ => false,
        });
    let past = std::iter::once(word)
        .chain(word.verb_chain().auxiliaries)
        .any(|w| w.xpos() == "VBD");
    if !temporal || past {
        return None;
    }
    waits_on(word, head, &UNREAL, "times", patterns, text)
}

/// "Make sure you have the money", "tell them the convoy leaves at dawn": a clause in the
/// present completing a command (or a question) is only asked for; it takes the hypothetical
/// mode of what it completes. Not a clause in the past, which reports.
fn said_under_a_command<'r>(
    word: Tok<'_>,
    patterns: &'r EventPatterns,
    text: &str,
) -> Option<(&'r str, String)> {
    let head = word.head().filter(|_| word.rel() == "ccomp")?;
    // "make sure …": the command is the verb the adjective completes.
    let head = match head.head() {
        Some(verb) if head.upos() == Upos::Adj && head.rel() == "xcomp" => verb,
        _ => head,
    };
    if !unmarked_present(word) {
        return None;
    }
    waits_on(word, head, &["hypothetical"], "completes", patterns, text)
}

/// The mode of the event a clause hangs on, when it is one of `modes`: the clause waits on that
/// event, and says so after what decided its mode (`how` the clause bears on it).
fn waits_on<'r>(
    clause: Tok<'_>,
    event: Tok<'_>,
    modes: &[&str],
    how: &str,
    patterns: &'r EventPatterns,
    text: &str,
) -> Option<(&'r str, String)> {
    let (mode, why) = chain_mode(event, patterns, text)?;
    modes
        .contains(&mode)
        .then(|| (mode, format!("{why}, which {:?} {how}", clause.form())))
}

/// Whether a clause is in the bare form with no auxiliary of its own, or in the present tense
/// (simple or passive): not told as done, and with nothing of its own to say when.
fn unmarked_present(clause: Tok<'_>) -> bool {
    let bare = clause.xpos() == "VB" && !clause.children().any(|c| c.base_rel() == "aux");
    bare || present_tense(clause)
}

/// "to eat and drink", "go to the site and type in the address": a verb joined to another of
/// its own form, with no subject, auxiliary or marker of its own, is in the mode its first
/// conjunct's clause puts it in, which the parser hangs on the first conjunct alone.
fn conjunct_mode<'r>(
    word: Tok<'_>,
    patterns: &'r EventPatterns,
    text: &str,
) -> Option<(&'r str, String)> {
    let first = word
        .head()
        .filter(|h| word.base_rel() == "conj" && h.xpos() == word.xpos())?;
    let own_clause = word
        .children()
        .any(|c| matches!(c.base_rel(), "nsubj" | "aux" | "mark" | "cop"));
    if own_clause {
        return None;
    }
    chain_mode(first, patterns, text)
        .map(|(mode, why)| (mode, format!("{why}, shared by {:?}", word.form())))
}

/// Whether a clause opens with "as if" or "as though".
fn as_if(clause: Tok<'_>) -> bool {
    clause
        .children_with("mark")
        .any(|m| m.lemma().eq_ignore_ascii_case("as"))
}

/// Whether a verb is in the present simple, active or passive, or the present progressive
/// passive ("concludes", "are used", "is being held"; "'s" may be "has": "He's instructed his
/// secretary").
fn present_tense(verb: Tok<'_>) -> bool {
    let auxiliaries = verb.verb_chain().auxiliaries;
    let being = |a: &Tok<'_>| a.lemma() == "be" && a.xpos() == "VBG";
    let present_passive = auxiliaries.iter().any(|a| present_be(*a))
        && verb.xpos() == "VBN"
        && auxiliaries
            .iter()
            .all(|a| (present_be(*a) || being(a)) && !a.form().starts_with('\''));
    (matches!(verb.xpos(), "VBZ" | "VBP") && auxiliaries.is_empty()) || present_passive
}

/// Whether a "to" infinitive beside a verb or a noun reads as a purpose: not after a rank ("the
/// first woman to win", "the last to see her"), not an outcome ("returned home only to find"),
/// not what a failure or refusal names ("his refusal to resign").
fn purpose(infinitive: Tok<'_>) -> bool {
    let rank = |w: Tok<'_>| {
        w.xpos() == "JJS"
            || matches!(
                w.lemma().to_lowercase().as_str(),
                "first" | "last" | "only" | "next" | "second" | "third"
            )
    };
    let head = infinitive.head();
    let after_rank = head.is_some_and(|h| rank(h) || h.children().any(rank));
    let outcome = infinitive
        .children()
        .any(|c| c.lemma().eq_ignore_ascii_case("only"));
    let declined = head.is_some_and(|h| {
        matches!(
            h.lemma().to_lowercase().as_str(),
            "failure" | "refusal" | "reluctance"
        )
    });
    !(after_rank || outcome || declined)
}

/// Whether a noun or adjective is predicated by "is" or "are" alone.
fn present_copula(word: Tok<'_>) -> bool {
    let auxiliaries = word.verb_chain().auxiliaries;
    word.children().any(|c| c.base_rel() == "cop") && auxiliaries.iter().all(|a| present_be(*a))
}

/// "is", "are", "am".
fn present_be(word: Tok<'_>) -> bool {
    word.lemma() == "be" && matches!(word.xpos(), "VBZ" | "VBP")
}

/// Whether a bare verb heads a command: the sentence's root, a clause set beside another
/// ("(See the attached file)"), or joined to a command ("Start cleaning and start looking").
fn commands(word: Tok<'_>) -> bool {
    match word.head() {
        None => true,
        Some(_) if word.base_rel() == "parataxis" => true,
        Some(head) => {
            word.base_rel() == "conj"
                && head.xpos() == "VB"
                && !head
                    .children()
                    .any(|c| matches!(c.base_rel(), "nsubj" | "aux" | "mark"))
                && head.head().is_none()
        }
    }
}

/// Whether a word's own clause asks whether it happened: the question mark hangs on it and
/// an auxiliary comes before its subject ("Did the army shell the town?"); a question asking
/// who, where or what of it, its wh-word first ("Where did the army strike?"), takes it as
/// given.
fn asks(word: Tok<'_>, text: &str) -> bool {
    let question_mark = word
        .children()
        .any(|c| c.base_rel() == "punct" && text.get(c.span().start..c.span().end) == Some("?"));
    let subject = word.children().find(|c| c.base_rel() == "nsubj");
    let inverted = word.children().find(|c| {
        matches!(c.base_rel(), "aux" | "cop") && subject.is_some_and(|s| c.index() < s.index())
    });
    // A wh-word after the verb asks nothing of it ("Do you see what went wrong?").
    let asks_what = |auxiliary: Tok<'_>| {
        word.children()
            .any(|c| c.xpos().starts_with('W') && c.index() < auxiliary.index())
    };
    question_mark && inverted.is_some_and(|a| !asks_what(a))
}

/// Whether an oblique names the event its verb takes part in or brings about, which a "not"
/// on the verb denies ("did not lead to a ceasefire", "did not engage in violence"), unlike
/// a time, a place or a topic the negation leaves standing ("were not named in the lawsuit",
/// "did not leave after the shelling"); nor one another names as its own ("is not engaged in
/// the Saudis' bombing campaign": the campaign goes on without them).
fn argument_of_verb(oblique: Tok<'_>, verb: Tok<'_>, patterns: &EventPatterns) -> bool {
    let owned_by_another = oblique
        .children()
        .any(|c| c.rel() == "nmod:poss" && c.upos() != Upos::Pron);
    oblique.rel() == "obl"
        && verb.upos() == Upos::Verb
        && patterns.has_prepositional_event(verb.lemma())
        && !owned_by_another
}

/// The innermost marker or governor on the chain up from the trigger.
fn governed_mode<'r>(word: Tok<'_>, patterns: &'r EventPatterns) -> Option<(&'r str, String)> {
    let mut at = word;
    // A "not" reaches the trigger through the verbs it completes or is the object of ("did
    // not launch an attack"), not through a modifier ("killed in an attack that did not …").
    let mut negation_reaches = true;
    // A progressive reaches it only from a verb it completes or whose object names the event
    // itself ("are stepping up attacks"), not from any verb ("is investigating the death").
    let mut progressive_reaches = true;
    // Whether the chain has come up from a clause describing a noun.
    let mut describes = false;
    for _ in 0..CHAIN_REACH {
        if let Some(found) = own_marker(at, patterns, negation_reaches, progressive_reaches) {
            return Some(found);
        }
        let head = at.head()?;
        if let Some(found) = going_to(at, head) {
            return Some(found);
        }
        if let Some(found) = wished_clause(at, head, patterns) {
            return Some(found);
        }
        // A conjunct shares its head's "will" or "not" only when it has no subject or
        // auxiliary of its own ("will attack and kill"; not "is not engaged, but has backed").
        let own_clause = at
            .children()
            .any(|c| matches!(c.base_rel(), "nsubj" | "aux"));
        // "accused of stabbing", "prevented from attacking": a gerund the verb governs.
        let gerund_complement = at.base_rel() == "advcl"
            && at.xpos() == "VBG"
            && at.children().any(|c| {
                c.rel() == "mark" && matches!(c.lemma(), "of" | "with" | "from" | "for" | "on")
            });
        // "a deal is possible", "an offensive is imminent": the subject of an adjective that
        // governs a mode; not of any adjective ("the attack was not brutal"). And "more
        // tariffs would be appropriate", "an attack could be a disaster": an event that is the
        // subject of what a modal copula predicates (not someone the event describes: "people
        // dying of malaria will otherwise be dead").
        let modal_copula = || {
            !describes
                && head.children().any(|c| c.base_rel() == "cop")
                && head
                    .children()
                    .any(|c| c.base_rel() == "aux" && c.xpos() == "MD")
        };
        // "Talks are due to resume", "the offensive is set to begin": the subject of a
        // governor of open complements is what the complement says will become of it.
        let raised_subject = at.base_rel() == "nsubj"
            && patterns.governs_complement_only(head.lemma())
            && head.children().any(|c| c.rel() == "xcomp");
        let judged = at.base_rel() == "nsubj"
            && ((head.upos() == Upos::Adj && patterns.governed_mode(head.lemma()).is_some())
                || modal_copula()
                || raised_subject);
        // "the plot, thwarted by Britain": a past participle describing a noun tells what
        // befell it, whatever the noun's own governor makes of the noun.
        let participle = at.rel() == "acl" && at.xpos() == "VBN" && !to_infinitive(at);
        let climbs = (matches!(
            at.rel(),
            "xcomp" | "obj" | "obl" | "acl" | "nsubj:pass" | "nmod"
        ) && !participle)
            || (at.base_rel() == "conj" && !own_clause)
            || gerund_complement
            || judged;
        if !climbs {
            return None;
        }
        // "would stop the rocket attacks", "declined to investigate the shooting", "called for
        // an investigation into the attack": the event a verb or noun like these is about is
        // there whatever becomes of the verb or noun.
        if matches!(at.base_rel(), "obj" | "obl" | "nmod") && patterns.is_presupposing(head.lemma())
        {
            return None;
        }
        describes |= at.base_rel() == "acl";
        let transparent = at.rel() == "nmod" && patterns.is_transparent(head.lemma());
        let adjunct = matches!(at.base_rel(), "obl" | "nmod");
        let argument = argument_of_verb(at, head, patterns);
        negation_reaches &= transparent || argument || !(adjunct || at.rel() == "acl");
        // Nor through a "to" infinitive of a verb that does not carry it out ("is refusing to
        // enter": the entering is not going on).
        let carried_out = patterns.is_implicative(head.lemma());
        progressive_reaches &= (at.rel() == "xcomp" && (carried_out || !to_infinitive(at)))
            || (at.rel() == "obj" && carried_out);
        // "helped the gunmen evade capture in the weeks after the shooting", "were unable to
        // reach the town after the shelling": what keeps an act from happening reaches its
        // arguments, not its adjuncts, however far up it is.
        let blocked = |mode: &str| mode == "negated" && !negation_reaches;
        // "wanted to demolish the buildings": what one wants to do oneself is one's plan;
        // what one wants of others ("wants the army to leave") stays wished for.
        let own_intention = at.rel() == "xcomp"
            && patterns.is_intention(head.lemma())
            && !head.children().any(|c| c.base_rel() == "obj");
        // An adverb governs nothing, whatever its lemma ("right up to tough sanctions").
        let governed = if own_intention {
            Some("planned")
        } else if at.base_rel() != "conj"
            && head.upos() != Upos::Adv
            && (at.rel() == "xcomp"
                || raised_subject
                || !patterns.governs_complement_only(head.lemma()))
        {
            patterns.governed_mode(head.lemma()).filter(|m| !blocked(m))
        } else {
            None
        };
        if let Some(mode) = governed {
            // "if someone wants to donate", "if they plan to attack": a governor that is
            // itself a condition makes what it governs as hypothetical as it is; and "will
            // continue to strengthen", "did not resume talks": what goes on is as its going
            // on is marked.
            let conditional = own_marker(head, patterns, negation_reaches, progressive_reaches)
                .filter(|(found, _)| *found == "hypothetical" || mode == "ongoing");
            let credit = patterns.mode_credit(head.lemma());
            let why = if own_intention {
                ", its subject's own intention"
            } else {
                ""
            };
            return conditional.or_else(|| {
                Some((
                    mode,
                    format!("{} of {:?}{why}{credit}", at.rel(), head.form()),
                ))
            });
        }
        at = head;
    }
    None
}

/// "hope the talks resume", "demanded that he resign", "wished the army had stayed": a clause
/// completing a verb of hoping or asking (`wishes` in modes.toml) has not happened, whatever
/// its tense: a wish or a hope does not vouch for the past either ("hope the convoy got
/// through"). A marker of the clause's own ("will", "not") is met first on the way up and
/// decides; a verb that may also assert ("insists that its forces strike only militants") is
/// left out of modes.toml.
fn wished_clause<'r>(
    clause: Tok<'_>,
    verb: Tok<'_>,
    patterns: &'r EventPatterns,
) -> Option<(&'r str, String)> {
    (clause.rel() == "ccomp" && patterns.is_wish(verb.lemma()))
        .then(|| ("hypothetical", format!("ccomp of {:?}", verb.form())))
}

/// "the minister travels to Moscow tomorrow", "talks are resuming next week": the present or
/// the progressive of an event timed ahead of the report (modes.toml `future_times`) foretells
/// it; what someone arranges to do is their plan.
fn timed_ahead<'r>(
    at: Tok<'_>,
    auxiliaries: &[Tok<'_>],
    patterns: &EventPatterns,
) -> Option<(&'r str, String)> {
    let ahead = |w: Tok<'_>| patterns.is_future_time(w.lemma());
    // "next to the airport" is a place.
    let heads_a_place = |w: Tok<'_>| w.children().any(|c| c.base_rel() == "obl");
    let time = at
        .children()
        .filter(|c| matches!(c.base_rel(), "obl" | "advmod" | "nmod"))
        .find(|c| {
            (ahead(*c) && !heads_a_place(*c))
                || c.children()
                    .any(|m| matches!(m.base_rel(), "amod" | "det") && ahead(m))
        })?;
    let progressive =
        at.xpos() == "VBG" && !auxiliaries.is_empty() && auxiliaries.iter().all(|a| present_be(*a));
    if !(progressive || present_tense(at)) {
        return None;
    }
    let arranged = at
        .children()
        .any(|c| c.base_rel() == "nsubj" && is_someone(c, patterns));
    let mode = if arranged { "planned" } else { "predicted" };
    Some((mode, format!("{:?} ahead of {:?}", time.form(), at.form())))
}

/// Whether a noun phrase names no one and nothing: a negative pronoun ("nobody", "none") or a
/// noun that "no" determines ("no civilians").
pub(crate) fn is_negative(word: Tok<'_>, patterns: &EventPatterns) -> bool {
    let negated = |w: Tok<'_>| {
        patterns
            .word_marker(w.form())
            .is_some_and(|(mode, _)| mode == "negated")
    };
    (word.upos() == Upos::Pron && negated(word))
        || word.children().any(|c| c.base_rel() == "det" && negated(c))
}

/// A marker word with the words fixed to it ("in case", "even if"), as modes.toml spells it.
fn marker_phrase(word: Tok<'_>) -> std::borrow::Cow<'_, str> {
    let mut fixed = word.children_with("fixed").peekable();
    if fixed.peek().is_none() {
        return word.form().into();
    }
    std::iter::once(word.form())
        .chain(fixed.map(|f| f.form()))
        .collect::<Vec<_>>()
        .join(" ")
        .into()
}

/// "Russia is going to respond", "they're gonna attack": the future of "be going to" is a
/// prediction, however progressive its "going" looks; in the past ("was going to sleep") it
/// was only ever meant. A "not" on it is left to the chain, as on "will".
fn going_to<'r>(complement: Tok<'_>, going: Tok<'_>) -> Option<(&'r str, String)> {
    // Asked at every step up every chain: the word tests come before the verb chain is built.
    if going.lemma() != "go"
        || going.xpos() != "VBG"
        || complement.rel() != "xcomp"
        || !to_infinitive(complement)
    {
        return None;
    }
    let chain = going.verb_chain();
    let be = chain.auxiliaries.iter().find(|a| a.lemma() == "be")?;
    if chain.negated {
        return None;
    }
    let why = format!("\"going to\" on {:?}", complement.form());
    Some(if be.xpos() == "VBD" {
        ("hypothetical", why)
    } else {
        ("predicted", why)
    })
}

/// A marker the parser hung on one word of the chain: a negation, an auxiliary, "if", an
/// adverb or a modifier ("the planned attack"), or the present progressive ("are stepping up
/// attacks").
fn own_marker<'r>(
    at: Tok<'_>,
    patterns: &'r EventPatterns,
    negation_reaches: bool,
    progressive_reaches: bool,
) -> Option<(&'r str, String)> {
    let chain = at.verb_chain();
    // "No one was hurt", "nobody fired": what no one did or underwent did not happen. Not an
    // object that is no one ("had no idea", "gave no details": the having and the giving are
    // told as they are).
    let no_one_took_part = at
        .children()
        .any(|c| c.base_rel() == "nsubj" && is_negative(c, patterns));
    // "no casualties were reported": the event itself is none.
    let says_no = is_negative(at, patterns);
    if negation_reaches && (chain.negated || says_no || no_one_took_part) {
        return patterns
            .word_marker("not")
            .map(|(mode, _)| (mode, format!("negation on {:?}", at.form())));
    }
    // "If you put saints in this camp, they will end up fighting": the consequent of a
    // condition is as hypothetical as the condition; not after "as if" or "even if", which
    // hold their main clause as it is.
    let concessive = |clause: Tok<'_>| {
        clause
            .children()
            .any(|c| matches!(c.lemma().to_lowercase().as_str(), "as" | "even" | "though"))
    };
    // Read one word at a time: "in case" is a precaution that leaves its main clause standing.
    let condition = at
        .children()
        .filter(|c| c.base_rel() == "advcl" && !concessive(*c))
        .flat_map(|c| c.children_with("mark"))
        .find_map(|m| patterns.word_marker(m.form()))
        .filter(|(mode, _)| *mode == "hypothetical");
    if let Some((mode, marker)) = condition {
        return Some((mode, format!("condition {marker:?} of {:?}", at.form())));
    }
    // "would have served to plan", "should have stopped": what did not happen ("could have"
    // and "might have" guess at what may have).
    let counterfactual = at.xpos() == "VBN"
        && chain.auxiliaries.iter().any(|a| a.lemma() == "have")
        && chain
            .auxiliaries
            .iter()
            .any(|a| matches!(a.form().to_lowercase().as_str(), "would" | "should" | "'d"));
    if counterfactual {
        return Some(("hypothetical", format!("modal perfect {:?}", at.form())));
    }
    let marked = at
        .children()
        .filter(|c| matches!(c.base_rel(), "aux" | "mark" | "advmod" | "amod"))
        // Not a word a "how" asks about ("how often the army shelled the camp").
        .filter(|c| !c.children().any(|h| h.lemma().eq_ignore_ascii_case("how")))
        // "it looks as if the army has withdrawn": how things look, no condition ("even if"
        // stays one).
        .filter(|c| !(c.lemma().eq_ignore_ascii_case("if") && as_if(at)))
        // An auxiliary is also the word its lemma names: "'ll" and "wo(n't)" are "will", "ca(n't)"
        // "can".
        .find_map(|c| {
            patterns.word_marker(&marker_phrase(c)).or_else(|| {
                (c.base_rel() == "aux")
                    .then(|| patterns.word_marker(c.lemma()))
                    .flatten()
            })
        })
        // "They were not in the car at the time of the attack": a "not" hung on the word as an
        // adverb reaches no further than one the verb chain carries; nor does "still" or
        // "continuing" ("continuing concerns about civilian casualties": the concerns go on).
        .filter(|(mode, _)| negation_reaches || !matches!(*mode, "negated" | "ongoing"));
    if let Some((mode, marker)) = marked {
        let credit = patterns.mode_credit(marker);
        return Some((mode, format!("{marker:?} on {:?}{credit}", at.form())));
    }
    if let Some(found) = timed_ahead(at, &chain.auxiliaries, patterns) {
        return Some(found);
    }
    let progressive = progressive_reaches
        && at.xpos() == "VBG"
        && chain
            .auxiliaries
            .iter()
            .any(|a| a.lemma() == "be" && matches!(a.xpos(), "VBZ" | "VBP" | "VBN"));
    progressive.then(|| ("ongoing", format!("progressive {:?}", at.form())))
}
