//! Places: names in locative position ("in Idlib", "near the villages of Al-Ziyarah, Kafrinjah,
//! and Karkur", "from the M4") and country names, resolved against the gazetteer.
//!
//! Resolution weighs, for each candidate: how closely its spelling matches; its prominence;
//! the document's country focus; the feature type the text asks for ("the governorate of
//! Idlib" is the division, "the villages of" villages); and closeness to the places named
//! with it. A name no candidate fits is kept, unresolved, inside the region its neighbours
//! share — one unknown village never loses the rest.

use crate::entities::{Draft, DraftEntity};
use crate::resources::{PlaceWords, Resources};
use regex::Regex;
use sitrep_core::Span;
use sitrep_gazetteer::names::is_code;
use sitrep_gazetteer::{Candidate, PlaceKind};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;
use std::sync::LazyLock;

/// A capitalised place name: up to four words on one line, Arabic particles allowed between
/// them, and a saint's or fort's abbreviation before them ("St. Louis"). Patterns around it
/// use ASCII word boundaries (`(?-u:\b)`), which keep the regex engine on its fast path in
/// text with non-ASCII letters; names start with an ASCII capital anyway.
const NAME: &str = r"(?:(?:St|Ste|Ft|Mt)\. +)?(?:[A-Z][\w’'\-]*[\w])(?: +(?:(?:al|el|ash|as|az|an|ad|ar|at)-)?[A-Z][\w’'\-]*[\w]){0,3}";

/// A pattern built on [`NAME`]: its Unicode letter classes make many automaton states, so it
/// gets a larger cache than the default, which it would otherwise keep rebuilding.
fn name_pattern(pattern: &str) -> Regex {
    regex::RegexBuilder::new(pattern)
        .dfa_size_limit(16 << 20)
        .build()
        .expect("valid regex")
}

static LOCATIVE: LazyLock<Regex> = LazyLock::new(|| {
    name_pattern(&format!(
        r"(?-u:\b)(?P<cue>in|near|at|from|to|via|through|throughout|within|inside|along|beyond|outside|around|towards?|into|across|of|between|north of|south of|east of|west of|In|Near|At|From|Through|Throughout|Within|Inside|Along|Beyond|Outside|Around|Towards?|Into|Across|Between|North of|South of|East of|West of)\s+(?:(?P<the>the)\s+)?(?:(?P<feature>villages?|towns?|city|cities|governorate|province|district|area|region|countryside)\s+of\s+)?(?P<first>{NAME})(?P<rest>(?:,\s+(?:and\s+)?{NAME})*(?:,?\s+and\s+{NAME})?)"
    ))
});
static PROPER_NAME: LazyLock<Regex> = LazyLock::new(|| name_pattern(&format!(r"(?-u:\b){NAME}")));
static LIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| name_pattern(&format!(r"(?:,\s+(?:and\s+)?|,?\s+and\s+)(?P<name>{NAME})")));
/// A dateline at the start of a paragraph or sentence: a name in capitals before a comma, a
/// bracket or a dash ("SEVERN, Md. (ABC7) —", "ST. LOUIS –"), or any name before a colon
/// opening the text ("Muscat: ...").
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)(?:^|[.!?”]\s+)(?P<place>(?:[A-Z][A-Z.’'\-]*[A-Z]\.?)(?:\s+[A-Z][A-Z.’'\-]*[A-Z])*)(?:,\s|\s*\(|\s+[–—-]\s)|\A\s*(?P<colon>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?):\s",
    )
    .expect("valid regex")
});
/// A capitalised word, "of", and a name: "Gulf of Guinea" (kept when the word is a place
/// prefix of `data/place_words.toml`).
static OF_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    name_pattern(&format!(
        r"(?-u:\b)(?P<prefix>[A-Z][a-z]+) of (?:the )?{NAME}"
    ))
});
/// An abbreviated division right after a place: ", Tenn.", ", D.C.", ", W. Va.".
static ABBREVIATED_DIVISION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^,\s+((?:[A-Z]\.\s?){1,2}[A-Z][a-z]{0,4}\.|[A-Z][a-z]{1,4}\.)")
        .expect("valid regex")
});
/// The rest of a list of names that ends in a plural division word: ", Grayson and Love
/// counties".
static PLURAL_HEAD_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:,? (?:and )?[A-Z][\w’'\-]*(?: [A-Z][\w’'\-]*)?)*,? (?P<head>counties|parishes)\b",
    )
    .expect("valid regex")
});
/// A locative cue just before a name: "in Damascus" names the city as well as the government.
static CUE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:[Ii]n|[Nn]ear|[Aa]t|[Ff]rom|to|[Ii]nto|[Oo]utside|[Aa]round|[Aa]cross|[Tt]owards?|[Ii]nside|[Ww]ithin|[Tt]hroughout)\s+(?:the\s+)?$")
        .expect("valid regex")
});
static FEATURE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(governorate|province|state|city|town|village|villages|district)\s+of\s+(?:the\s+)?$",
    )
    .expect("valid regex")
});
/// A division word just after a name: "New York state", "Aleppo province"; and what only a
/// division has, possessed or not: "the New York border", "New York's attorney general",
/// "Texas' governor", "the New York legislature" ("Tehran's state media" asks for no
/// division).
static DIVISION_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\s+(?i:state|province|governorate|prefecture|region|border|governor|legislature|attorney[- ]general)|['’]s?\s+(?i:border|governor|legislature|attorney[- ]general))\b",
    )
    .expect("valid regex")
});

/// Words that start capitalised phrases after "in"/"of" without being places.
const NOT_PLACES: &[&str] = &[
    "The", "A", "An", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "Our",
    "Their", "His", "Her", "No", "Not", "As", "But", "And", "Or", "For", "If", "So", "Yes", "Mr",
    "Mrs", "Ms", "Dr", "Russian", "Syrian", "Turkish",
];

/// Words that name a region somewhere ("Centre", "South") but on their own in news mean a
/// direction or a government ("the Centre" in India); never a place by themselves.
const ONLY_IN_NAMES: &[&str] = &[
    "North", "South", "East", "West", "Central", "Centre", "Center", "Northern", "Southern",
    "Eastern", "Western", "Upper", "Lower", "Greater", "New",
];

/// A place name found in the text, before resolution.
struct Found {
    span: Span,
    /// The feature the text asks for ("governorate of", "villages of").
    feature: Option<PlaceKind>,
    /// Index of the list it was named in, to keep its members together.
    group: usize,
    /// A first-level division of the focus country bears this exact name.
    focus_division: bool,
    /// The text alone makes it a place ("in Karkur", "the villages of ..."), so it is kept
    /// even where no gazetteer entry fits; a name after a weak cue ("of the Mission", "from
    /// Reuters") is a place only if the gazetteer knows it.
    certain: bool,
    /// Named inside a longer name ("Toronto" in "Toronto Police Services Board").
    embedded: bool,
    /// A dateline's place ("MOSCOW (Meridian) —"): where the report was filed, never a
    /// capital standing for its government.
    dateline: bool,
}

/// Cues after which an unknown capitalised name is taken for a place.
const STRONG_CUES: &[&str] = &[
    "in",
    "near",
    "outside",
    "around",
    "toward",
    "towards",
    "into",
    "across",
    "throughout",
    "within",
    "inside",
    "north of",
    "south of",
    "east of",
    "west of",
];

/// Whether a locative cue stands right before `at` ("in Kafr Dumra", "Near Tell Sawan"): what
/// follows is a place, not a person.
pub(crate) fn after_locative_cue(text: &str, at: usize) -> bool {
    CUE_BEFORE.is_match(just_before(text, at))
}

/// Whether a sentence opens at `at`: nothing before it but a sentence's end, a quotation mark
/// or a line break.
fn opens_sentence(text: &str, at: usize) -> bool {
    let before = just_before(text, at).trim_end_matches([' ', '\t']);
    (before.is_empty() && at < 64) || before.ends_with(['.', '!', '?', '"', '“', '\n'])
}

/// The few words before a position, for patterns anchored at its end (`...$`): matching them
/// against all the text before would cost the length of the text each time.
fn just_before(text: &str, at: usize) -> &str {
    let mut from = at.saturating_sub(64);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    &text[from..at]
}

fn feature_of(word: &str) -> Option<PlaceKind> {
    Some(match word.to_ascii_lowercase().as_str() {
        "governorate" | "province" | "state" => PlaceKind::Admin1,
        "district" => PlaceKind::Admin2,
        "city" | "cities" => PlaceKind::City,
        "town" | "towns" => PlaceKind::Town,
        "village" | "villages" => PlaceKind::Village,
        _ => return None,
    })
}

/// The name before a possessive or a capitalised function word inside it: "Mexico's Senate"
/// and "Canada That Got it Right" (a headline) name Mexico and Canada.
fn strip_possessive(text: &str, span: Span) -> Span {
    let s = &text[span.start..span.end];
    let possessive = ["’s", "'s"].iter().filter_map(|mark| {
        s.match_indices(mark).map(|(at, _)| at).find(|&at| {
            s[at + mark.len()..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace)
        })
    });
    let function_word = s.match_indices(' ').map(|(at, _)| at).find(|&at| {
        let word = s[at + 1..].split(' ').next().unwrap_or_default();
        NOT_PLACES.contains(&word) || sitrep_core::text::CALENDAR_WORDS.contains(&word)
    });
    let cut = possessive.chain(function_word).min().unwrap_or(s.len());
    Span {
        start: span.start,
        end: span.start + cut,
    }
}

/// Place names in locative position and country names from the actor layer.
fn find_names(
    draft: &Draft<'_>,
    resources: &Resources,
    mut lookups: Option<&mut Lookups<'_>>,
) -> Vec<Found> {
    let text = draft.text;
    // "Lamar County", "Lake Chad": a name with a place's head or first word is a place.
    let words = &resources.place_words;
    let headed = |name: &str| {
        name.split_once(' ').is_some_and(|(first, rest)| {
            let last = rest.rsplit(' ').next().unwrap_or(rest);
            words.heads.iter().any(|h| h == last) || words.prefixes.iter().any(|p| p == first)
        })
    };
    let mut found: Vec<Found> = Vec::new();
    for (group, c) in LOCATIVE.captures_iter(text).enumerate() {
        let first = c.name("first").expect("group");
        let feature = c
            .name("feature")
            .and_then(|f| feature_of(f.as_str()))
            .or_else(|| {
                FEATURE_BEFORE
                    .captures(just_before(text, first.start()))
                    .and_then(|f| feature_of(&f[1]))
            });
        // "In Kafr Nabl, residents said": a capitalised cue only where a sentence opens,
        // not in a headline's capitals ("Shelling In Idlib").
        let cue = c.name("cue").expect("group");
        let cue_word = cue.as_str().to_lowercase();
        if cue.as_str() != cue_word && !opens_sentence(text, cue.start()) {
            continue;
        }
        // "the Ministry of Commerce", "University of California": part of a longer name.
        let word_before = text[..cue.start()]
            .trim_end()
            .rsplit(' ')
            .next()
            .unwrap_or_default();
        if cue_word == "of" && word_before.starts_with(|ch: char| ch.is_uppercase()) {
            continue;
        }
        let certain = feature.is_some()
            || (c.name("the").is_none() && STRONG_CUES.contains(&cue_word.as_str()));
        let mut spans = vec![Span {
            start: first.start(),
            end: first.end(),
        }];
        if let Some(rest) = c.name("rest") {
            spans.extend(LIST_ITEM.captures_iter(rest.as_str()).map(|item| {
                let m = item.name("name").expect("group");
                Span {
                    start: rest.start() + m.start(),
                    end: rest.start() + m.end(),
                }
            }));
        }
        for span in spans {
            let span = strip_possessive(text, span);
            let certain = certain || headed(&text[span.start..span.end]);
            let first_word = text[span.start..span.end]
                .split_whitespace()
                .next()
                .unwrap_or_default();
            if !NOT_PLACES.contains(&first_word)
                && !sitrep_core::text::CALENDAR_WORDS.contains(&first_word)
                && !is_code(&text[span.start..span.end])
            {
                found.push(Found {
                    span,
                    feature,
                    group,
                    focus_division: false,
                    certain,
                    embedded: false,
                    dateline: false,
                });
            }
        }
    }
    // Well-known places named anywhere: a capitalised name that is exactly the name of a
    // country, a division ("Texas officials", "the Lamar County sheriff") or a large town
    // ("the Chicago area"), or that sitrep curates ("Atlantic", "M4"), or that ends in a place's
    // head word ("Royal Street").
    // Not a name in brackets: datelines credit agencies that way ("(Meridian)").
    // Datelines: "SEVERN, Md. (ABC7) —", "MANILA, Philippines –", "Muscat: The festival ...".
    // A place if the gazetteer knows it.
    let groups = found.len() + 200;
    for (i, c) in DATELINE.captures_iter(text).enumerate() {
        let Some(m) = c.name("place").or_else(|| c.name("colon")) else {
            continue;
        };
        found.push(Found {
            span: Span {
                start: m.start(),
                end: m.end(),
            },
            feature: None,
            group: groups + i,
            focus_division: false,
            certain: false,
            embedded: false,
            dateline: true,
        });
    }
    // "Cooke, Grayson and Love counties": each name is a division (looked up as "Cooke
    // County", see `lookup_name`).
    let groups = found.len() + 100;
    for (i, m) in PROPER_NAME.find_iter(text).enumerate() {
        if PLURAL_HEAD_AFTER.is_match(&text[m.end()..]) {
            found.push(Found {
                span: Span {
                    start: m.start(),
                    end: m.end(),
                },
                feature: Some(PlaceKind::Admin2),
                group: groups + i,
                focus_division: false,
                certain: true,
                embedded: false,
                dateline: false,
            });
        }
    }
    // "Gulf of Guinea", "Sea of Azov": the whole phrase is the place.
    let groups = found.len() + 300;
    for (i, m) in OF_PHRASE.captures_iter(text).enumerate() {
        let whole = m.get(0).expect("match");
        if words.prefixes.iter().any(|p| p == &m["prefix"]) {
            found.push(Found {
                span: strip_possessive(
                    text,
                    Span {
                        start: whole.start(),
                        end: whole.end(),
                    },
                ),
                feature: None,
                group: groups + i,
                focus_division: false,
                certain: true,
                embedded: false,
                dateline: false,
            });
        }
    }
    // Words of the people's names the text gives ("Woody Allen"): alone, such a word is the
    // person before it is a town of that name.
    let person_words: HashSet<&str> = draft
        .mentions
        .iter()
        .filter(|m| m.kind == "person")
        .flat_map(|m| text[m.span.start..m.span.end].split(' '))
        .collect();
    // Last words of the text's two- and three-word names that are not places ("Woody Allen",
    // "Dewly Nelson"): news names a person in full, then by surname, so alone such a word is
    // the person before it is a town.
    let surnames: HashSet<&str> = match lookups.as_deref_mut() {
        Some(lookups) => PROPER_NAME
            .find_iter(text)
            .map(|m| m.as_str())
            .filter(|name| {
                let words = name.split(' ').count();
                let first = name.split(' ').next().unwrap_or_default();
                (2..=3).contains(&words)
                    && !headed(name)
                    && !ONLY_IN_NAMES.contains(&first)
                    && !NOT_PLACES.contains(&first)
                    && lookups.exact(name).is_empty()
            })
            .filter_map(|name| name.rsplit(' ').next())
            .collect(),
        None => HashSet::new(),
    };
    // Capitalised names that are not places themselves but may hold one.
    let mut longer_names: Vec<(Span, usize)> = Vec::new();
    {
        let groups = found.len() + 500;
        let mut verb_object_end: Option<usize> = None;
        for (i, m) in PROPER_NAME.find_iter(text).enumerate() {
            // "The Lamar County sheriff": the name starts after a capitalised function word.
            let mut start = m.start();
            while let Some((word, rest)) = text[start..m.end()].split_once(' ') {
                if !(NOT_PLACES.contains(&word)
                    || sitrep_core::text::CALENDAR_WORDS.contains(&word))
                {
                    break;
                }
                start = m.end() - rest.len();
            }
            let span = strip_possessive(
                text,
                Span {
                    start,
                    end: m.end(),
                },
            );
            let name = &text[span.start..span.end];
            let first_word = name.split_whitespace().next().unwrap_or_default();
            let sentence_start = opens_sentence(text, span.start);
            if NOT_PLACES.contains(&first_word)
                || sitrep_core::text::CALENDAR_WORDS.contains(&first_word)
                // "APC", "MW", "SOL": a short name in capitals is a party, a unit or a brand
                // far more often than a place (countries' acronyms are the actor layer's).
                || is_code(name)
                || found
                    .iter()
                    .any(|f| f.span.start < span.end && span.start < f.span.end)
                || (text[..span.start].ends_with('(') && text[span.end..].starts_with(')'))
            {
                continue;
            }
            // Any word starts a sentence capitalised: there, one word must be a country, a
            // capital or a place of a million by its own name ("Oklahoma teachers ...").
            let single_at_start = sentence_start && !name.contains(' ');
            let surname = !name.contains(' ') && surnames.contains(name);
            // "shelled Saraqib and Maarat al-Numan": the object of a verb of war, or a name
            // joined to it by "and" (not by a comma: "captured Saraqib, Hershey said"), is a
            // place where the gazetteer has one so named; read as after a weak cue.
            let listed = verb_object_end
                .is_some_and(|end| matches!(text[end..span.start].trim(), "and" | ", and"));
            let after_verb = listed
                || text[..span.start]
                    .strip_suffix(' ')
                    .and_then(|before| before.rsplit(' ').next())
                    .is_some_and(|verb| words.object_verbs.iter().any(|v| v == verb));
            let well_known = |name: &str, lookups: &mut Lookups<'_>| {
                !ONLY_IN_NAMES.contains(&name)
                    && lookups.exact(name).iter().any(|c| {
                        c.name_match > 0.99
                            && if single_at_start {
                                // "Man held after attack": no Isle of Man, whose other
                                // name it is.
                                c.own_name
                                    && (c.kind == PlaceKind::Country
                                        || c.capital
                                        || c.population >= 1_000_000)
                            } else {
                                c.kind == PlaceKind::Country
                                    || (c.kind == PlaceKind::Admin1
                                        && (c.own_name || name.contains(' ')))
                                    || c.capital
                                    || c.is_curated()
                                    || (c.kind == PlaceKind::Admin2 && name.contains(' '))
                                    || (c.population >= 50_000
                                        && c.own_name
                                        && !surname
                                        && !person_words.contains(name))
                            }
                    })
            };
            let certain = (headed(name) && !single_at_start)
                || lookups.as_deref_mut().is_some_and(|l| well_known(name, l));
            let verb_object = !certain
                && after_verb
                && !surname
                && !person_words.contains(name)
                && lookups
                    .as_deref_mut()
                    .is_some_and(|l| l.exact(name).iter().any(|c| c.name_match > 0.99));
            if !(certain || verb_object) {
                longer_names.push((span, groups + i));
                continue;
            }
            if after_verb {
                verb_object_end = Some(span.end);
            }
            found.push(Found {
                span,
                feature: None,
                group: groups + i,
                focus_division: false,
                certain,
                embedded: false,
                dateline: false,
            });
        }
    }
    // A place at the start or end of a longer name: "Toronto Police Services Board", "Air
    // Zimbabwe", "the Paris Police Department" — one the text names on its own too, or a
    // prominent one (a country, a division, a capital, a city of a million), so "David Hogg"
    // is not David, Panama.
    if let Some(lookups) = lookups.as_deref_mut() {
        let named: HashSet<&str> = found
            .iter()
            .filter(|f| f.certain)
            .map(|f| &text[f.span.start..f.span.end])
            .collect();
        let mut inside: Vec<Found> = Vec::new();
        for (span, group) in longer_names {
            let name = &text[span.start..span.end];
            // A place opening a two-word name is more often a person's name ("Paul
            // Brewbaker"; Paul is in Cape Verde; "Jordan Spieth") unless it is a large division
            // or capital ("Mississippi State", "Washington Post") or the text names it on its
            // own; and never a word of a person's name the text gives.
            let starts: Vec<usize> = name.match_indices(' ').map(|(at, _)| at).collect();
            let mut place_in = |part: &str, opens_two_words: bool| {
                !ONLY_IN_NAMES.contains(&part)
                    && !person_words.contains(part)
                    && (named.contains(part)
                        || lookups.exact(part).iter().any(|c| {
                            c.name_match > 0.99
                                && if opens_two_words {
                                    (c.kind == PlaceKind::Admin1 || c.capital)
                                        && c.population >= 1_000_000
                                        && c.own_name
                                } else {
                                    matches!(c.kind, PlaceKind::Country | PlaceKind::Admin1)
                                        || c.capital
                                        || c.is_curated()
                                        || (c.population >= 1_000_000 && c.own_name)
                                }
                        }))
            };
            let inner = (1..=starts.len()).rev().find_map(|n| {
                let head = &name[..starts[n - 1]];
                let tail = &name[starts[starts.len() - n] + 1..];
                [(0, head), (name.len() - tail.len(), tail)]
                    .into_iter()
                    .find(|&(offset, part)| place_in(part, starts.len() == 1 && offset == 0))
            });
            if let Some((offset, part)) = inner {
                inside.push(Found {
                    span: Span {
                        start: span.start + offset,
                        end: span.start + offset + part.len(),
                    },
                    feature: None,
                    group,
                    focus_division: false,
                    certain: true,
                    embedded: true,
                    dateline: false,
                });
            }
        }
        found.extend(inside);
    }
    if let Some(lookups) = lookups.as_deref_mut() {
        add_abbreviated_divisions(&mut found, text, lookups);
    }
    // Country and region names the actor layer found ("Syria", "Turkiye", "Europe") are
    // places too.
    let groups = found.len() + 1000;
    for (i, m) in draft.mentions.iter().enumerate() {
        if m.kind == "place"
            && !found
                .iter()
                .any(|f| f.span.start < m.span.end && m.span.start < f.span.end)
        {
            let region = m.entity.is_some_and(|e| draft.entities[e].kind == "region");
            found.push(Found {
                span: m.span,
                feature: Some(if region {
                    PlaceKind::Region
                } else {
                    PlaceKind::Country
                }),
                group: groups + i,
                focus_division: false,
                certain: true,
                embedded: false,
                dateline: false,
            });
        }
    }
    if let Some(lookups) = lookups {
        let qualified = names_qualified_by_places(&found, text, lookups);
        found.extend(qualified);
        take_in_directions(&mut found, text, &words.directions, lookups);
    }
    // Not where an actor, a person or a time already stands — except a capital named in
    // locative position ("in Damascus"), which is a place as well as a metonym, or in a
    // dateline, which is a place only.
    found.retain(|f| {
        !draft.mentions.iter().any(|m| {
            m.span.start < f.span.end
                && f.span.start < m.span.end
                && m.kind != "place"
                && !(m.rule.contains("metonym")
                    && m.span == f.span
                    && (f.dateline || after_locative_cue(text, f.span.start)))
                && !(f.embedded && matches!(m.kind, "organization" | "group"))
                && !(m.rule.contains("(demonym:") && headed(&text[f.span.start..f.span.end]))
        })
    });
    found.sort_by_key(|f| f.span.start);
    found.dedup_by_key(|f| f.span);
    found
}

/// "eastern Ghouta": a direction in lower case before a name is part of it where the
/// gazetteer knows the two together, as a region of their own.
fn take_in_directions(
    found: &mut [Found],
    text: &str,
    directions: &[String],
    lookups: &mut Lookups<'_>,
) {
    for f in found.iter_mut().filter(|f| !f.embedded) {
        let Some(before) = text[..f.span.start].strip_suffix(' ') else {
            continue;
        };
        let word = before.rsplit([' ', '\n']).next().unwrap_or_default();
        let lower_direction = word.starts_with(|c: char| c.is_lowercase())
            && directions.iter().any(|d| d.eq_ignore_ascii_case(word));
        let start = before.len() - word.len();
        if lower_direction && !lookups.exact(&text[start..f.span.end]).is_empty() {
            f.span.start = start;
        }
    }
}

/// "Paris, Tenn.", "Washington, D.C.": the abbreviated division after a place, as a place of
/// the same list.
fn add_abbreviated_divisions(found: &mut Vec<Found>, text: &str, lookups: &mut Lookups<'_>) {
    let after: Vec<(Span, usize)> = found
        .iter()
        .filter_map(|f| {
            let m = ABBREVIATED_DIVISION.captures(&text[f.span.end..])?.get(1)?;
            let span = Span {
                start: f.span.end + m.start(),
                end: f.span.end + m.end(),
            };
            let exact = lookups
                .exact(m.as_str())
                .iter()
                .any(|c| c.kind == PlaceKind::Admin1);
            exact.then_some((span, f.group))
        })
        .collect();
    for (span, group) in after {
        // A list item found without its period ("Kan" of "Kansas City, Kan.") is the
        // abbreviation.
        if let Some(item) = found
            .iter_mut()
            .find(|f| f.span.start == span.start && f.span.end < span.end)
        {
            item.span = span;
            item.feature = Some(PlaceKind::Admin1);
            item.certain = true;
        } else if !found
            .iter()
            .any(|f| f.span.start < span.end && span.start < f.span.end)
        {
            found.push(Found {
                span,
                feature: Some(PlaceKind::Admin1),
                group,
                focus_division: false,
                certain: true,
                embedded: false,
                dateline: false,
            });
        }
    }
}

/// "Fighters entered Hama, Syria", "a rally at Selma, Ala.": a capitalised name that a place
/// found already qualifies, as its country or first-level division, is a place where the
/// gazetteer has one of that name inside it.
fn names_qualified_by_places(found: &[Found], text: &str, lookups: &mut Lookups<'_>) -> Vec<Found> {
    let order = in_text_order(found);
    let first_from = |at: usize| order.partition_point(|&i| found[i].span.start < at);
    let mut qualified = Vec::new();
    for m in PROPER_NAME.find_iter(text) {
        let span = strip_possessive(
            text,
            Span {
                start: m.start(),
                end: m.end(),
            },
        );
        let first_word = m.as_str().split(' ').next().unwrap_or_default();
        if NOT_PLACES.contains(&first_word)
            || ONLY_IN_NAMES.contains(&m.as_str())
            || sitrep_core::text::CALENDAR_WORDS.contains(&first_word)
            || order[first_from(span.start.saturating_sub(NAME_REACH))..first_from(span.end)]
                .iter()
                .any(|&i| span.start < found[i].span.end)
        {
            continue;
        }
        let Some(qualifier) = order.get(first_from(span.end)).map(|&j| &found[j]) else {
            continue;
        };
        if !comma_only(&text[span.end..qualifier.span.start]) {
            continue;
        }
        // Only a country or a division holds anything (`holds`).
        let areas: Vec<Candidate> = lookups
            .exact(&text[qualifier.span.start..qualifier.span.end])
            .to_vec();
        let inside = lookups
            .exact(&text[span.start..span.end])
            .iter()
            .any(|c| c.name_match > 0.99 && areas.iter().any(|a| holds(a, c)));
        if inside {
            qualified.push(Found {
                span,
                feature: None,
                group: qualifier.group,
                focus_division: false,
                certain: true,
                embedded: false,
                dateline: false,
            });
        }
    }
    qualified
}

/// Finds and resolves the article's places, adding their mentions and entities to the draft.
pub(crate) fn resolve(
    draft: &mut Draft<'_>,
    resources: &Resources,
    outlet_home: Option<&crate::Home>,
) {
    let mut lookups = resources.gazetteer.as_ref().map(Lookups::new);
    let mut found = find_names(draft, resources, lookups.as_mut());
    let (Some(gazetteer), Some(lookups)) = (resources.gazetteer.as_ref(), lookups.as_mut()) else {
        let unnamed: Vec<&Found> = found
            .iter()
            .filter(|f| f.certain && !draft.mentions.iter().any(|m| m.span == f.span))
            .collect();
        for f in unnamed {
            let name = draft.text[f.span.start..f.span.end].to_string();
            let e = place_entity(draft, &name, None, None);
            draft.mention(
                f.span,
                "place",
                Some(e),
                "place name in locative position (no gazetteer installed)".into(),
            );
        }
        return;
    };
    let pairs = qualified_pairs(&found, draft.text);
    let (candidates, parts) = candidates_for(&found, draft.text, lookups, resources, &pairs);
    let named = draft
        .mentions
        .iter()
        .filter_map(|m| m.entity)
        .map(|e| &draft.entities[e])
        .filter(|e| e.kind == "country")
        .map(|e| e.name.as_str());
    let named_most = country_named_most(named, gazetteer);
    let (focus, chosen) = choose(&mut found, &candidates, outlet_home, &pairs);
    let about = About::new(focus.clone(), named_most);
    // Countries and regions named only by their adjective ("Syrian troops", "European
    // leaders") are on the map too.
    let unplaced: Vec<(usize, PlaceKind)> = (0..draft.entities.len())
        .filter(|&e| draft.entities[e].place.is_none())
        .filter_map(|e| match draft.entities[e].kind.as_str() {
            "country" => Some((e, PlaceKind::Country)),
            "region" => Some((e, PlaceKind::Region)),
            _ => None,
        })
        .collect();
    for (e, kind) in unplaced {
        let country = gazetteer
            .lookup(&draft.entities[e].name)
            .into_iter()
            .find(|c| {
                c.name_match > 0.99
                    && (c.kind == kind
                        || (kind == PlaceKind::Region && c.kind == PlaceKind::Admin1))
            });
        if let Some(c) = country {
            draft.entities[e].gazetteer_id = Some(c.id.clone());
            draft.entities[e].place = Some(c);
        }
    }
    // The region unresolved names are kept in: the division most resolved places share.
    let mut divisions: HashMap<String, usize> = HashMap::new();
    for c in chosen
        .iter()
        .flatten()
        .filter(|c| c.kind != PlaceKind::Country)
    {
        if let Some(a) = &c.admin1 {
            *divisions.entry(a.clone()).or_default() += 1;
        }
    }
    let home = divisions
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(a, _)| a);
    for ((f, c), part) in found.iter().zip(chosen).zip(parts) {
        let name = draft.text[f.span.start..f.span.end].to_string();
        // After a weak cue ("at the Opera", "of the Kremlin") only a place of that very name
        // counts, and a hamlet or a hill only in the country the text is about.
        let generic = resources.place_words.is_generic(&name);
        let c = c.filter(|c| believable(c, &about, generic)).filter(|c| {
            f.certain
                || (c.name_match > 0.99
                    && (matches!(
                        c.kind,
                        PlaceKind::Country
                            | PlaceKind::Admin1
                            | PlaceKind::Admin2
                            | PlaceKind::City
                            | PlaceKind::Town
                    ) || c.capital
                        || c.is_curated()
                        || about.is(&c.country)))
        });
        match c {
            Some(c) => {
                // A country the actor layer already named: the actor is the place too.
                let actor = draft
                    .mentions
                    .iter()
                    .find(|m| m.span == f.span && m.kind == "place")
                    .and_then(|m| m.entity);
                if let Some(e) = actor {
                    draft.entities[e].gazetteer_id = Some(c.id.clone());
                    draft.entities[e].place = Some(c);
                    continue;
                }
                drop_places_inside(draft, f.span);
                // "from Paris and Dallas": a town that is not the capital was not the government;
                // nor is the capital a dateline names.
                if !c.capital || f.dateline {
                    draft
                        .mentions
                        .retain(|m| !(m.span == f.span && m.rule.contains("metonym")));
                }
                let how = if f.embedded {
                    "place named inside a longer name; "
                } else {
                    part.map_or("", Part::described)
                };
                let rule = format!(
                    "{how}gazetteer {} ({:?}, {}; name match {:.2})",
                    c.id,
                    c.name,
                    c.kind.as_str(),
                    c.name_match
                );
                let e = place_entity(draft, &name, Some(&c), None);
                draft.mention(f.span, "place", Some(e), rule);
            }
            None if !f.certain
                || draft
                    .mentions
                    .iter()
                    .any(|m| m.span == f.span && m.kind == "place") => {}
            None => {
                let within = home.as_deref().or(focus.as_deref()).map(str::to_string);
                let within_entity = within
                    .as_deref()
                    .map(|region| region_entity(draft, gazetteer, region));
                drop_places_inside(draft, f.span);
                let e = place_entity(draft, &name, None, within_entity);
                draft.mention(
                    f.span,
                    "place",
                    Some(e),
                    "place name in locative position; no gazetteer entry fits".into(),
                );
            }
        }
    }
}

/// The code of the country a text names most often, by name or by its people's adjective
/// ("the Syrian army", as the actor dictionary finds them), the first in the alphabet on ties:
/// what a report is about when its places say nothing ("Homs" is also Libya's Khoms).
fn country_named_most<'n>(
    names: impl Iterator<Item = &'n str>,
    gazetteer: &sitrep_gazetteer::Gazetteer,
) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for name in names {
        *counts.entry(name).or_default() += 1;
    }
    let mut by_country: BTreeMap<String, usize> = BTreeMap::new();
    for (name, n) in counts {
        let country = gazetteer
            .lookup(name)
            .into_iter()
            .find(|c| c.kind == PlaceKind::Country && c.name_match > 0.99);
        if let Some(c) = country {
            *by_country.entry(c.country.clone()).or_default() += n;
        }
    }
    by_country
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(code, _)| code)
}

/// The document's country focus, and the best candidate for each name in its context.
///
/// Each name starts from how well each candidate fits on its own ([`fit`]); then, for a few
/// rounds, each candidate gains from the other names' likely candidates that lie near it or
/// contain it ([`relatedness`]) — "Paris" with "Dallas" and "Lamar County" is Paris, Texas —
/// and from the division most of the document's places lie in.
fn choose(
    found: &mut [Found],
    candidates: &[Rc<[Candidate]>],
    outlet_home: Option<&crate::Home>,
    qualified_pairs: &[(usize, usize)],
) -> (Option<String>, Vec<Option<Candidate>>) {
    // Only names that are unambiguous vote: every exact spelling of them lies in one country.
    let mut focus_votes: HashMap<String, f64> = HashMap::new();
    for list in candidates {
        let exact: Vec<&Candidate> = list.iter().filter(|c| c.name_match > 0.99).collect();
        if let Some(first) = exact.first() {
            if exact.iter().all(|c| c.country == first.country) {
                *focus_votes.entry(first.country.clone()).or_default() += 1.0;
            }
        }
    }
    let focus = focus_votes
        .into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(c, _)| c);
    for (f, list) in found.iter_mut().zip(candidates) {
        f.focus_division = list.iter().any(|c| {
            c.kind == PlaceKind::Admin1
                && c.name_match > 0.99
                && focus.as_deref() == Some(c.country.as_str())
        });
    }
    let found: &[Found] = found;
    let options: Vec<Vec<&Candidate>> = candidates
        .iter()
        .map(|list| list.iter().filter(|c| c.name_match >= 0.75).collect())
        .collect();
    let qualified: HashSet<usize> = qualified_pairs.iter().map(|&(i, _)| i).collect();
    let base: Vec<Vec<f64>> = found
        .iter()
        .zip(&options)
        .enumerate()
        .map(|(i, (f, list))| {
            let reading = Reading {
                focus: focus.as_deref(),
                // A local paper's own town is what it means by the town's name, country or
                // not ("the Jordan resident" in a Jordan, Minnesota paper).
                home_town_named: list.iter().any(|c| is_home_town(c, outlet_home)),
                standalone_dateline: f.dateline && !qualified.contains(&i),
            };
            list.iter().map(|c| fit(c, f, &reading)).collect()
        })
        .collect();
    // For each name, the countries where it names the country, a first-level division or the
    // capital (see `local_bonus`).
    let area_named: Vec<HashSet<&str>> = options
        .iter()
        .map(|list| {
            list.iter()
                .filter(|c| {
                    c.name_match > 0.99
                        && (matches!(c.kind, PlaceKind::Country | PlaceKind::Admin1)
                            || c.capital && is_settlement(c))
                })
                .map(|c| c.country.as_str())
                .collect()
        })
        .collect();
    // How likely each option of each name is, given everything else; first on its own fit.
    let mut belief: Vec<Vec<f64>> = base.iter().map(|scores| softmax(scores)).collect();
    // The other names (by lookup key: a name repeated is one piece of evidence) worth
    // consulting for each name, and how much: a list member or a name close by counts fully.
    let keys: Vec<String> = found
        .iter()
        .zip(&options)
        .map(|(f, list)| {
            list.first()
                .map_or_else(|| format!("{}", f.span.start), |c| c.id.clone())
        })
        .collect();
    // For each name, the countries where a town bears it as its own name.
    let own_in: Vec<HashSet<&str>> = options
        .iter()
        .map(|list| {
            list.iter()
                .filter(|c| c.own_name && c.name_match > 0.99 && is_settlement(c))
                .map(|c| c.country.as_str())
                .collect()
        })
        .collect();
    let mut chosen: Vec<Option<Candidate>> = vec![None; found.len()];
    let mut home: Option<(String, String)> = None;
    for _ in 0..3 {
        let likeliest: Vec<f64> = belief
            .iter()
            .map(|b| b.iter().copied().fold(0.0, f64::max))
            .collect();
        let mut scores: Vec<Vec<f64>> = Vec::with_capacity(found.len());
        for (i, f) in found.iter().enumerate() {
            // Ordered, so that the support is summed in the same order on every run.
            let mut support_by_name: BTreeMap<&str, f64> = BTreeMap::new();
            let around = i.saturating_sub(CONTEXT_NAMES)..(i + CONTEXT_NAMES + 1).min(found.len());
            let list: Vec<f64> = options[i]
                .iter()
                .enumerate()
                .map(|(k, c)| {
                    support_by_name.clear();
                    for (j, g) in found.iter().enumerate().take(around.end).skip(around.start) {
                        if keys[j] == keys[i] {
                            continue;
                        }
                        let weight =
                            if g.group == f.group || g.span.start.abs_diff(f.span.start) < 300 {
                                1.0
                            } else {
                                0.5
                            };
                        let best = options[j]
                            .iter()
                            .zip(&belief[j])
                            .map(|(d, p)| match relatedness(c, d, focus.as_ref()) {
                                Relation::Contains(r) => r * p / likeliest[j],
                                Relation::Near(r) => r * p,
                                Relation::None => 0.0,
                            })
                            .fold(0.0, f64::max)
                            * weight;
                        let entry = support_by_name.entry(keys[j].as_str()).or_default();
                        *entry = entry.max(best);
                    }
                    // A town the name reaches only as one of its other names, when the name
                    // is the own name of a town in the same country, takes half the text's
                    // word for it, however much the text says: "Maryville" is also an old
                    // name of Beeville, Texas, but a Texas city named beside it says little
                    // for that. Abroad the other name is often the one news uses (Palmyra for
                    // Tadmur, Syria), and a division is often named in English by another
                    // name than its own ("Aleppo").
                    let by_the_way =
                        !c.own_name && is_settlement(c) && own_in[i].contains(c.country.as_str());
                    let share = if by_the_way { 0.5 } else { 1.0 };
                    let support: f64 = support_by_name.values().sum();
                    base[i][k]
                        + share * 2.0 * support.min(2.0)
                        + local_bonus(
                            c,
                            area_named[i].contains(c.country.as_str()),
                            home.as_ref(),
                            outlet_home,
                        )
                })
                .collect();
            scores.push(list);
        }
        for (i, list) in scores.iter().enumerate() {
            chosen[i] = list
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1).then_with(|| b.0.cmp(&a.0)))
                .map(|(k, _)| options[i][k].clone());
            belief[i] = softmax(list);
        }
        // A division the text names counts twice; each place inside one counts once, however
        // often it is named (a name repeated must not make its own home).
        let mut divisions: HashMap<(String, String), usize> = HashMap::new();
        let mut counted: HashSet<&str> = HashSet::new();
        for c in chosen.iter().flatten() {
            if !counted.insert(c.id.as_str()) {
                continue;
            }
            let (division, weight) = match c.kind {
                PlaceKind::Country => continue,
                PlaceKind::Admin1 => (Some(&c.name), 2),
                _ => (c.admin1.as_ref(), 1),
            };
            if let Some(a) = division {
                *divisions.entry((c.country.clone(), a.clone())).or_default() += weight;
            }
        }
        home = divisions
            .into_iter()
            .filter(|(_, n)| *n >= 2)
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(d, _)| d);
    }
    (focus, chosen)
}

/// How many names either side of a name bear on its reading: in a news article all of them;
/// in a long report those around it. A place named on page one says little about a homonym on
/// page forty, and weighing every name against every other would make a report's time grow
/// with the square of its length (a 1.5 MB text took minutes).
const CONTEXT_NAMES: usize = 100;

/// Scores as probabilities: a clear favourite keeps most of the weight, a close call shares it.
fn softmax(scores: &[f64]) -> Vec<f64> {
    let top = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exp: Vec<f64> = scores.iter().map(|s| (s - top).exp()).collect();
    let total: f64 = exp.iter().sum();
    exp.iter().map(|e| e / total).collect()
}

/// How one place named in a text bears on another named with it.
#[derive(Clone, Copy, PartialEq)]
enum Relation {
    /// One lies inside the other (a town in its county, state or country): rarely by chance,
    /// so it counts even when the other name's reading is not yet the likeliest.
    Contains(f64),
    /// They lie close or share a division: common by chance among small places, so it counts
    /// only as far as the other reading is likely.
    Near(f64),
    None,
}

/// How one place vouches for another named in the same text: one contains the other, they lie
/// close, or they share a first-level division. The focus country contains without saying so:
/// the focus already counts for its places.
fn relatedness(c: &Candidate, d: &Candidate, focus: Option<&String>) -> Relation {
    if c.id == d.id || c.country != d.country {
        return Relation::None;
    }
    let contains = |outer: &Candidate, inner: &Candidate| match outer.kind {
        PlaceKind::Country => inner.kind != PlaceKind::Country && focus != Some(&outer.country),
        PlaceKind::Admin1 => inner.kind != PlaceKind::Admin1 && inner.admin1 == outer.admin1,
        PlaceKind::Admin2 => {
            inner.kind != PlaceKind::Admin2
                && inner.admin2.is_some()
                && inner.admin2 == outer.admin2
                && inner.admin1 == outer.admin1
        }
        _ => false,
    };
    if contains(c, d) || contains(d, c) {
        // A country holds too much to say much: half as strong as a division.
        let country = c.kind == PlaceKind::Country || d.kind == PlaceKind::Country;
        return Relation::Contains(if country { 0.5 } else { 1.0 });
    }
    if c.kind == PlaceKind::Country || d.kind == PlaceKind::Country {
        return Relation::None;
    }
    let km = c.distance_km(d.lat, d.lon);
    if km < 50.0 {
        Relation::Near(1.0)
    } else if km < 150.0 {
        Relation::Near(0.6)
    } else if c.admin1.is_some() && c.admin1 == d.admin1 {
        Relation::Near(0.3)
    } else {
        Relation::None
    }
}

/// What the text's home division and the outlet's home add to a candidate. None for a
/// village named like its own country's division or capital (`area_named`): a local paper
/// means the state or the capital by "Washington" or "California", not a village of its own
/// state (its own town aside). A foreign capital's or division's name leaves a village its
/// bonus: London, Kentucky, in a Kentucky paper; Portland, Connecticut (Jamaica has a parish
/// of that name).
fn local_bonus(
    c: &Candidate,
    area_named: bool,
    home: Option<&(String, String)>,
    outlet_home: Option<&crate::Home>,
) -> f64 {
    if area_named && is_small_settlement(c) && !is_home_town(c, outlet_home) {
        return 0.0;
    }
    home_bonus(c, home) + outlet_bonus(c, outlet_home)
}

/// An outlet's places lie at its home: its town and division (local outlets), else its
/// country.
fn outlet_bonus(c: &Candidate, home: Option<&crate::Home>) -> f64 {
    match home {
        Some(h) if h.country == c.country => match &h.admin1 {
            Some(_) if is_home_town(c, home) => 2.5,
            Some(admin1) if c.admin1.as_ref() == Some(admin1) => 1.5,
            Some(_) => 0.0,
            None => 0.5,
        },
        _ => 0.0,
    }
}

/// Whether a candidate is the town the outlet serves.
fn is_home_town(c: &Candidate, home: Option<&crate::Home>) -> bool {
    home.is_some_and(|h| {
        h.town.as_deref() == Some(c.name.as_str())
            && h.country == c.country
            && h.admin1 == c.admin1
            && c.name_match > 0.99
            && is_settlement(c)
    })
}

/// Local news names places in its own division: a candidate there gains.
fn home_bonus(c: &Candidate, home: Option<&(String, String)>) -> f64 {
    match home {
        Some((country, admin1)) if &c.country == country && c.admin1.as_ref() == Some(admin1) => {
            1.0
        }
        _ => 0.0,
    }
}

/// Gazetteer lookups, each distinct name once per document.
struct Lookups<'g> {
    gazetteer: &'g sitrep_gazetteer::Gazetteer,
    memo: HashMap<String, Rc<[Candidate]>>,
    exact_memo: HashMap<String, Vec<Candidate>>,
}

impl<'g> Lookups<'g> {
    fn new(gazetteer: &'g sitrep_gazetteer::Gazetteer) -> Self {
        Lookups {
            gazetteer,
            memo: HashMap::new(),
            exact_memo: HashMap::new(),
        }
    }

    /// The best 25 candidates for a name, shared by its every mention.
    fn get(&mut self, name: &str) -> Rc<[Candidate]> {
        if let Some(found) = self.memo.get(name) {
            return Rc::clone(found);
        }
        let found: Rc<[Candidate]> = self.gazetteer.lookup_top(name, 25).into_iter().collect();
        self.memo.insert(name.to_string(), Rc::clone(&found));
        found
    }

    /// The places spelt exactly so: enough to ask whether a capitalised name is a place.
    fn exact(&mut self, name: &str) -> &[Candidate] {
        if !self.exact_memo.contains_key(name) {
            let found = self.gazetteer.lookup_exact(name);
            self.exact_memo.insert(name.to_string(), found);
        }
        &self.exact_memo[name]
    }
}

/// Each name's candidates, those of names qualified by the next ([`qualified_pairs`]) narrowed
/// to the places the qualifier holds; and for each, how it names a place the gazetteer has
/// where the gazetteer lacks the name itself ([`Part`]).
fn candidates_for(
    found: &[Found],
    text: &str,
    lookups: &mut Lookups<'_>,
    resources: &Resources,
    qualified_pairs: &[(usize, usize)],
) -> (Vec<Candidates>, Vec<Option<Part>>) {
    let lost = apostrophes_lost(text);
    let mut parts = Vec::with_capacity(found.len());
    let mut candidates: Vec<Rc<[Candidate]>> = found
        .iter()
        .map(|f| {
            let name = lookup_name(text, f.span, resources);
            // "the Americas", "the two Koreas": plurals, not possessives.
            let plural = text[..f.span.start]
                .trim_end()
                .rsplit(' ')
                .take(2)
                .any(|w| w.eq_ignore_ascii_case("the"));
            let (all, part) =
                lookup_or_part(&name, &resources.place_words, lost && !plural, lookups);
            parts.push(part);
            let asked = match part {
                Some(Part::Feature(kind)) => Some(kind),
                _ => None,
            };
            let feature = f.feature.or(asked);
            let settlement_asked = feature.is_some_and(|k| {
                matches!(k, PlaceKind::City | PlaceKind::Town | PlaceKind::Village)
            });
            let division_asked =
                feature == Some(PlaceKind::Admin1) || DIVISION_AFTER.is_match(&text[f.span.end..]);
            if settlement_asked {
                settlements_only(all)
            } else if division_asked {
                without_small_homonyms(all)
            } else {
                namesake_city_over_division(without_small_homonyms(all))
            }
        })
        .collect();
    for &(i, j) in qualified_pairs {
        let abbreviated = text[found[j].span.start..found[j].span.end].ends_with('.');
        if let Some((place, qualifier)) = qualify(&candidates[i], &candidates[j], abbreviated) {
            candidates[i] = place;
            candidates[j] = qualifier;
        }
    }
    (candidates, parts)
}

/// How a name the gazetteer lacks names a place it has.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    /// With a direction before it: "Northern Syria".
    Direction,
    /// With a feature's word after it: "Raqqa Province".
    Feature(PlaceKind),
    /// With a possessive's "s" whose apostrophe the text lost: "Syrias" in copy that
    /// dropped its curly quotes.
    Possessive,
}

impl Part {
    /// What a mention's rule says of it.
    fn described(self) -> &'static str {
        match self {
            Part::Direction => "a part of a place, named with a direction; ",
            Part::Feature(_) => "a place named with its feature's word; ",
            Part::Possessive => "a place's possessive whose apostrophe the text lost; ",
        }
    }
}

/// The place a name the gazetteer lacks is a part or a form of, and how
/// (`data/place_words.toml` lists the directions and the features' words).
fn part_of<'n>(
    name: &'n str,
    words: &PlaceWords,
    apostrophes_lost: bool,
) -> Option<(&'n str, Part)> {
    let Some((first, rest)) = name.split_once(' ') else {
        return name
            .strip_suffix('s')
            .filter(|base| apostrophes_lost && base.chars().count() >= 3)
            .map(|base| (base, Part::Possessive));
    };
    let listed = |list: &[String], word: &str| list.iter().any(|w| w.eq_ignore_ascii_case(word));
    if listed(&words.directions, first) {
        let whole = part_of(rest, words, false).filter(|(_, how)| *how != Part::Possessive);
        return Some(whole.unwrap_or((rest, Part::Direction)));
    }
    let (base, last) = name.rsplit_once(' ')?;
    if listed(&words.division_words, last) {
        Some((base, Part::Feature(PlaceKind::Admin1)))
    } else if listed(&words.town_words, last) {
        Some((base, Part::Feature(PlaceKind::City)))
    } else {
        None
    }
}

/// People from which a city's name with an "s" is taken for its possessive.
const POSSESSIVE_CITY: u64 = 100_000;

/// Whether a place of the gazetteer can be what a [`Part`] names: a direction divides an
/// area or a town, not a hamlet or a building ("West Wing"); a lost apostrophe is believed
/// only of a country, a division or a large city ("Meles" is an Idlib town, not Melle's).
fn may_be(c: &Candidate, how: Part) -> bool {
    let area = matches!(
        c.kind,
        PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Admin2 | PlaceKind::Region
    );
    match how {
        Part::Feature(PlaceKind::Admin1) => c.kind == PlaceKind::Admin1,
        Part::Feature(_) => is_settlement(c),
        Part::Direction => area || c.is_curated() || (is_settlement(c) && !is_small_settlement(c)),
        Part::Possessive => {
            (area && c.kind != PlaceKind::Admin2)
                || c.capital
                || (is_settlement(c) && c.population >= POSSESSIVE_CITY)
        }
    }
}

/// The candidates for a name; where the gazetteer has none of that very name and the name is
/// a part or a form of a place it has ([`part_of`]), that place's, and how it names it.
fn lookup_or_part(
    name: &str,
    words: &PlaceWords,
    apostrophes_lost: bool,
    lookups: &mut Lookups<'_>,
) -> (Rc<[Candidate]>, Option<Part>) {
    let all = lookups.get(name);
    let exact = |c: &Candidate| c.name_match > 0.99;
    let Some((base, how)) =
        part_of(name, words, apostrophes_lost).filter(|_| !all.iter().any(exact))
    else {
        return (all, None);
    };
    let parts: Rc<[Candidate]> = lookups
        .get(base)
        .iter()
        .filter(|c| exact(c) && may_be(c, how))
        .cloned()
        .collect();
    if parts.is_empty() {
        (all, None)
    } else {
        (parts, Some(how))
    }
}

/// Whether a text has lost its apostrophes: none at all in a text of some length, where
/// English writes one every few hundred characters.
fn apostrophes_lost(text: &str) -> bool {
    text.len() >= 400 && !text.contains(['\'', '\u{2019}'])
}

/// Names the text qualifies by the next name ("Paris, Texas", "New Haven, Conn.", "Tripoli,
/// Lebanon"): the indices of each name and its qualifier, which follows it after a comma.
fn qualified_pairs(found: &[Found], text: &str) -> Vec<(usize, usize)> {
    in_text_order(found)
        .windows(2)
        .map(|pair| (pair[0], pair[1]))
        .filter(|&(i, j)| {
            let (f, g) = (found[i].span, found[j].span);
            f.end <= g.start && comma_only(&text[f.end..g.start])
        })
        .collect()
}

/// The indices of names in the order of their starts.
fn in_text_order(found: &[Found]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..found.len()).collect();
    order.sort_by_key(|&i| (found[i].span.start, found[i].span.end));
    order
}

/// How far before a name a name overlapping it may start: longer than any place's name.
const NAME_REACH: usize = 200;

/// Whether what lies between two names is a comma and spaces.
fn comma_only(between: &str) -> bool {
    between.starts_with(',') && between[1..].trim().is_empty()
}

/// A name qualified by a country or first-level division means a place inside it, and the
/// qualifier means the area that holds it: both narrowed to such readings. Not when the name
/// is itself a country or division ("Georgia, Alabama and Texas" is a list, whatever small
/// Georgia Alabama has) unless the qualifier is `abbreviated` as only qualifiers are
/// ("Washington, D.C."), nor when nothing of its name lies inside the qualifier.
fn qualify(
    place: &[Candidate],
    qualifier: &[Candidate],
    abbreviated: bool,
) -> Option<(Candidates, Candidates)> {
    let area = |c: &Candidate| {
        c.name_match > 0.99 && matches!(c.kind, PlaceKind::Country | PlaceKind::Admin1)
    };
    if place.iter().any(area) && !abbreviated {
        return None;
    }
    let areas: Vec<&Candidate> = qualifier.iter().filter(|c| area(c)).collect();
    let inside: Candidates = place
        .iter()
        .filter(|c| areas.iter().any(|a| holds(a, c)))
        .cloned()
        .collect();
    if inside.is_empty() {
        return None;
    }
    let holding: Candidates = areas
        .into_iter()
        .filter(|a| inside.iter().any(|c| holds(a, c)))
        .cloned()
        .collect();
    Some((inside, holding))
}

/// A name's readings, shared by its every mention.
type Candidates = Rc<[Candidate]>;

/// Whether a country or first-level division holds a place.
fn holds(area: &Candidate, place: &Candidate) -> bool {
    area.country == place.country
        && area.id != place.id
        && match area.kind {
            PlaceKind::Country => place.kind != PlaceKind::Country,
            PlaceKind::Admin1 => place.kind != PlaceKind::Admin1 && place.admin1 == area.admin1,
            _ => false,
        }
}

/// People below which a settlement never stands for a country of its name ("Us", France).
const SMALL_SETTLEMENT: u64 = 10_000;
/// ... and for a continent or world region ("Asia", a town of the Philippines).
const SMALL_FOR_A_REGION: u64 = 100_000;

/// A country, continent or world region (or an acronym or other name of one).
fn is_large_area(c: &Candidate) -> bool {
    c.name_match >= 0.99 && (c.kind == PlaceKind::Country || is_world_region(c))
}

fn is_world_region(c: &Candidate) -> bool {
    c.kind == PlaceKind::Region && (c.population >= 1_000_000 || c.is_curated())
}

fn is_settlement(p: &sitrep_gazetteer::Place) -> bool {
    matches!(
        p.kind,
        PlaceKind::City | PlaceKind::Town | PlaceKind::Village
    )
}

/// A settlement too small ever to stand for a country of its name (the evaluation counts
/// such resolutions of countries' names).
pub fn is_small_settlement(p: &sitrep_gazetteer::Place) -> bool {
    is_settlement(p) && p.population < SMALL_SETTLEMENT
}

/// A name that is a country's, a continent's or a world region's names no small place: "US"
/// is never the village of Us, "Turkey" never Turkey, Texas, "Asia" never the Philippine
/// town — unless the text asks for a settlement ("the village of Us"), which the caller
/// checks. Large cities keep their chance ("Lebanon", Pennsylvania, in a local paper).
fn without_small_homonyms(candidates: Rc<[Candidate]>) -> Rc<[Candidate]> {
    let bar = candidates
        .iter()
        .filter(|c| is_large_area(c))
        .map(|c| {
            if c.kind == PlaceKind::Country {
                SMALL_SETTLEMENT
            } else {
                SMALL_FOR_A_REGION
            }
        })
        .max();
    let Some(bar) = bar else { return candidates };
    let small = |c: &Candidate| is_settlement(c) && c.population < bar;
    if !candidates.iter().any(small) {
        return candidates;
    }
    candidates.iter().filter(|c| !small(c)).cloned().collect()
}

/// The area a name means, for "events inside Idlib": of the places spelt so, the likeliest
/// that has an extent (a country, a division, a continent). None without a gazetteer.
pub fn area_named(name: &str, resources: &Resources) -> Option<Candidate> {
    resources
        .gazetteer
        .as_ref()?
        .lookup(name)
        .into_iter()
        .filter(|c| c.name_match > 0.99 && c.extent.is_some())
        .max_by(|a, b| a.score().total_cmp(&b.score()))
}

/// People from which a city is what the name it shares with its division means.
const NAMESAKE_CITY: u64 = 1_000_000;

/// "New York", "Aleppo", "Baghdad": a city of a million in the first-level division of its
/// name is what the name means; news names the division by adding "state" or "province",
/// which the caller checks. Smaller namesakes ("Idlib", "Quebec") leave the division its
/// chance, for there the name means the region as often as the town.
fn namesake_city_over_division(candidates: Rc<[Candidate]>) -> Rc<[Candidate]> {
    let namesake_of = |d: &Candidate| {
        d.kind == PlaceKind::Admin1
            && d.name_match > 0.99
            && candidates.iter().any(|c| {
                is_settlement(c)
                    && c.name_match > 0.99
                    && c.population >= NAMESAKE_CITY
                    && c.country == d.country
                    && c.admin1 == d.admin1
            })
    };
    if !candidates.iter().any(namesake_of) {
        return candidates;
    }
    candidates
        .iter()
        .filter(|d| !namesake_of(d))
        .cloned()
        .collect()
}

/// "The village of Us", "the town of Turkey": the text asks for a settlement, so where the
/// name has one, no country or region of the name is meant.
fn settlements_only(candidates: Rc<[Candidate]>) -> Rc<[Candidate]> {
    if !candidates.iter().any(|c| is_settlement(c)) || candidates.iter().all(|c| is_settlement(c)) {
        return candidates;
    }
    candidates
        .iter()
        .filter(|c| is_settlement(c))
        .cloned()
        .collect()
}

/// Whether a span names a country, continent or world region (for the evaluation's count of
/// such names resolved to small places).
pub fn names_large_area(text: &str, span: Span, resources: &Resources) -> bool {
    resources.gazetteer.as_ref().is_some_and(|g| {
        g.lookup(&lookup_name(text, span, resources))
            .iter()
            .any(is_large_area)
    })
}

/// The name to look a place up by: a demonym ("Syrian") stands for its country's name.
fn lookup_name(text: &str, span: Span, resources: &Resources) -> String {
    let surface = &text[span.start..span.end];
    // "Cooke, Grayson and Love counties": each is a county.
    if let Some(c) = PLURAL_HEAD_AFTER.captures(&text[span.end..]) {
        let head = if &c["head"] == "counties" {
            "County"
        } else {
            "Parish"
        };
        return format!("{surface} {head}");
    }
    resources
        .matcher
        .find(surface)
        .into_iter()
        .find(|m| {
            m.span.start == 0
                && m.span.end == surface.len()
                && m.kind == sitrep_actors::NameKind::Demonym
        })
        .and_then(|m| match m.named {
            sitrep_actors::Named::Actor(a) => Some(resources.dictionary.actors[a].name.clone()),
            sitrep_actors::Named::Agent(_) => None,
        })
        .unwrap_or_else(|| surface.to_string())
}

/// Every point the place layer could choose for a span of a text: the gazetteer's candidates
/// for the name as the layer looks it up (a demonym as its country, "Cooke" before "counties"
/// as Cooke County). For the evaluation's gazetteer ceiling.
pub fn candidate_points(text: &str, span: Span, resources: &Resources) -> Vec<(f64, f64)> {
    resources.gazetteer.as_ref().map_or_else(Vec::new, |g| {
        g.lookup(&lookup_name(text, span, resources))
            .iter()
            .map(|c| (c.lat, c.lon))
            .collect()
    })
}

/// Resolves given spans of a text (for evaluation with gold spans): each span's place, or
/// `None` where no gazetteer entry fits. Uses the same ranking as [`resolve`].
pub fn resolve_spans(
    text: &str,
    spans: &[Span],
    outlet_home: Option<&crate::Home>,
    resources: &Resources,
) -> Vec<Option<sitrep_gazetteer::Place>> {
    let Some(gazetteer) = resources.gazetteer.as_ref() else {
        return vec![None; spans.len()];
    };
    let datelines: Vec<Span> = DATELINE
        .captures_iter(text)
        .filter_map(|c| c.name("place"))
        .map(|m| Span {
            start: m.start(),
            end: m.end(),
        })
        .collect();
    let mut found: Vec<Found> = spans
        .iter()
        .map(|&span| {
            let feature = FEATURE_BEFORE
                .captures(just_before(text, span.start))
                .and_then(|f| feature_of(&f[1]));
            Found {
                span,
                feature,
                group: span.start / 300,
                focus_division: false,
                certain: true,
                embedded: false,
                dateline: datelines.contains(&span),
            }
        })
        .collect();
    // The divisions that qualify the given names ("Washington, D.C.") are read with them,
    // as in a text whose places are found; only the given names are answered.
    let mut lookups = Lookups::new(gazetteer);
    add_abbreviated_divisions(&mut found, text, &mut lookups);
    let pairs = qualified_pairs(&found, text);
    let candidates = candidates_for(&found, text, &mut lookups, resources, &pairs).0;
    // The countries the actor layer names: by name, or as the people opening another actor's
    // name ("the Syrian army").
    let actors = &resources.dictionary.actors;
    let named = resources
        .matcher
        .find(text)
        .into_iter()
        .flat_map(|m| match m.named {
            sitrep_actors::Named::Actor(a) => {
                let people = crate::entities::people_leading(resources, text, m, a);
                [Some(a), people.map(|(_, p)| p)]
            }
            sitrep_actors::Named::Agent(_) => [None, None],
        })
        .flatten()
        .filter(|&a| actors[a].kind == "country")
        .map(|a| actors[a].name.as_str());
    let named_most = country_named_most(named, gazetteer);
    let (focus, mut chosen) = choose(&mut found, &candidates, outlet_home, &pairs);
    let about = About::new(focus, named_most);
    chosen.truncate(spans.len());
    chosen
        .into_iter()
        .zip(spans)
        .map(|(c, span)| {
            let generic = resources
                .place_words
                .is_generic(&text[span.start..span.end]);
            c.filter(|c| believable(c, &about, generic))
                .map(|c| c.place.clone())
        })
        .collect()
}

/// The country a text is about: its places' focus, else the country it names most ("the
/// Syrian army … in Deir Ezour").
struct About {
    focus: Option<String>,
    named_most: Option<String>,
}

impl About {
    fn new(focus: Option<String>, named_most: Option<String>) -> Self {
        About { focus, named_most }
    }

    fn is(&self, country: &str) -> bool {
        self.focus.as_deref().or(self.named_most.as_deref()) == Some(country)
    }

    /// For a name many towns have, whose own candidates would make the focus: the country
    /// named most, else the focus.
    fn is_for_generic(&self, country: &str) -> bool {
        self.named_most.as_deref().or(self.focus.as_deref()) == Some(country)
    }
}

/// A place spelt otherwise than the name is believed only in the country the text is about,
/// and not at all in a text about no country: a name the gazetteer lacks is far likelier a
/// village of that country, or a region it does not hold, than a namesake abroad that looks
/// like it ("Golan Heights" is no Glenn Heights, Texas; "Meles" in an Idlib story no Meleuz,
/// Russia; "Puntland" no Ponteland, England). A name many towns have a part of (`generic`:
/// "the Old City") is believed only there too, however it is spelt: in a Syrian report it is
/// Aleppo's, not Jerusalem's.
fn believable(c: &Candidate, about: &About, generic: bool) -> bool {
    if generic {
        return about.is_for_generic(&c.country);
    }
    c.name_match > 0.99 || c.is_curated() || about.is(&c.country)
}

/// People from which a city may stand in a dateline without its state.
const STANDALONE_CITY: u64 = 250_000;

/// A dateline without a state or country names a city well known enough to need none:
/// wire copy datelines capitals and large cities alone ("WASHINGTON —", "MOSCOW
/// (Meridian)"), a country's capital above all. A local paper datelines nearby towns alone
/// too ("HAMILTON —" in an Ohio paper), which its places and its home may still carry.
fn standalone_bonus(c: &Candidate) -> f64 {
    let large = is_settlement(c) && c.population >= STANDALONE_CITY;
    match (large, c.capital) {
        (true, true) => 4.0,
        (true, false) => 2.0,
        _ => 0.0,
    }
}

/// What the document says about a name's readings, beyond the name itself.
struct Reading<'a> {
    /// The country the document is about.
    focus: Option<&'a str>,
    /// The outlet's own town is one of the readings.
    home_town_named: bool,
    /// The name is a dateline's, with no state or country after it.
    standalone_dateline: bool,
}

/// How well a candidate fits what the text says about it, before its neighbours are weighed.
fn fit(c: &Candidate, f: &Found, reading: &Reading<'_>) -> f64 {
    let Reading {
        focus,
        home_town_named,
        standalone_dateline,
    } = *reading;
    let mut score = c.score();
    // Named by its own name rather than one of its others ("White House" is also an English
    // name of Casablanca).
    if c.own_name {
        score += 1.0;
    }
    // A country named exactly is meant as the country, whatever the document's focus —
    // "Mexico" in US news is not Mexico, Missouri — unless the focus country has a division
    // of that name ("Georgia" in US news is the state) or the outlet's home town has it.
    if c.kind == PlaceKind::Country && c.name_match > 0.99 && !f.focus_division && !home_town_named
    {
        score += 3.5;
    }
    if focus == Some(c.country.as_str()) {
        score += 1.0;
    }
    if standalone_dateline && !home_town_named {
        score += standalone_bonus(c);
    }
    // The actor layer's country reading is the dictionary's, not the text's: no country is
    // asked for where the outlet's town has the name.
    let wanted = f
        .feature
        .filter(|&k| !(k == PlaceKind::Country && home_town_named));
    if let Some(wanted) = wanted {
        if c.kind == wanted || (wanted == PlaceKind::Village && matches!(c.kind, PlaceKind::Town)) {
            score += 1.5;
        }
    }
    score
}

/// "New Mexico", "Lake Chad", "Indian Ocean": a place or people named inside a longer place's
/// name is not meant.
fn drop_places_inside(draft: &mut Draft<'_>, span: Span) {
    draft.mentions.retain(|m| {
        !(span.start <= m.span.start
            && m.span.end <= span.end
            && m.span != span
            && (m.kind == "place" || m.rule.contains("(demonym:")))
    });
}

fn place_entity(
    draft: &mut Draft<'_>,
    surface: &str,
    c: Option<&Candidate>,
    within: Option<usize>,
) -> usize {
    let key = c.map(|c| c.id.clone());
    // A country's or region's actor placed already ("Syria" named, then "Syrias") is the place.
    if let Some(e) = draft.entities.iter().position(|e| {
        matches!(e.kind.as_str(), "place" | "country" | "region")
            && key.is_some()
            && e.gazetteer_id == key
    }) {
        return e;
    }
    if c.is_none() {
        if let Some(e) = draft
            .entities
            .iter()
            .position(|e| e.kind == "place" && e.gazetteer_id.is_none() && e.name == surface)
        {
            return e;
        }
    }
    draft.new_entity(DraftEntity {
        kind: "place".into(),
        name: c.map_or_else(|| surface.to_string(), |c| c.name.clone()),
        gazetteer_id: key,
        place: c.cloned(),
        within,
        ..Default::default()
    })
}

/// The entity for a containing region, by name: the gazetteer's division of that name.
fn region_entity(
    draft: &mut Draft<'_>,
    gazetteer: &sitrep_gazetteer::Gazetteer,
    region: &str,
) -> usize {
    let c = gazetteer
        .lookup(region)
        .into_iter()
        .find(|c| matches!(c.kind, PlaceKind::Admin1 | PlaceKind::Country));
    place_entity(draft, region, c.as_ref(), None)
}
