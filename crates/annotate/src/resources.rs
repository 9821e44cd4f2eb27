//! Everything the language layer reads, loaded once and shared read-only across threads:
//! abbreviations, actor dictionaries, speech cues, topic tags, titles, role nouns, place
//! words, the outlet registry, event patterns and mode markers. Each comes from a data file
//! under `data/`, compiled in as the default.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use serde::Deserialize;
use sitrep_actors::{Dictionary, ImportIssue, Matcher};
use sitrep_core::Span;
use sitrep_tokens::Abbreviations;
use sitrep_verbs::VerbDictionary;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

/// A speech cue ("said", "warned") and the statement kind it signals.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cue {
    pub lemma: String,
    pub forms: Vec<String>,
    /// Other verbs' lemmas whose forms the list holds ("blame" beside "accuse"): with `lemma`,
    /// what a parsed verb is matched by, whatever its inflection ("they deny", "is hoping").
    #[serde(default)]
    pub lemmas: Vec<String>,
    pub kind: String,
    /// Whether a noun phrase object of the verb is what was said ("announced an
    /// investigation"), not the one addressed or a thing ("told reporters", "added 400 stores").
    #[serde(default)]
    pub says_object: bool,
    /// Whether a gerund after the verb is what was said ("denied allowing …", "admitted
    /// taking …"); for other cues a gerund is the speaker's own act ("reported, citing …").
    #[serde(default)]
    pub says_gerund: bool,
    /// Words marking what the object is charged with ("accused Russia of poisoning", "blamed
    /// the army for the siege", "blames the violence on the camp"): the object and that
    /// phrase are what was said.
    #[serde(default)]
    pub charges: Vec<String>,
    /// Whether a negated cue still holds a belief ("I don't think it is over"): see cues.toml.
    #[serde(default)]
    pub negation_held: bool,
    /// Nouns that cue the same kind of statement with a "that" clause: "the ministry's claim
    /// that …". Read from the parse only.
    #[serde(default)]
    pub nouns: Vec<String>,
    /// Whether those nouns also say an "of" phrase that holds a verb: "reports of a man
    /// threatening people", "allegations of police beating protesters" (not "the report of
    /// the commission", its author).
    #[serde(default)]
    pub nouns_say_of: bool,
    /// The user's cue file this cue came from; empty for sitrep's own list.
    #[serde(skip)]
    pub source: String,
}

impl Cue {
    /// How a rule names the cue's file: nothing for sitrep's own, " (cue of FILE)" for a user's.
    pub fn credit(&self) -> String {
        if self.source.is_empty() {
            String::new()
        } else {
            format!(" (cue of {})", self.source)
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CueFile {
    #[serde(default)]
    prediction_markers: Vec<String>,
    #[serde(default)]
    accusation_tags: Vec<String>,
    #[serde(default)]
    headline_labels: Vec<String>,
    #[serde(default)]
    according_to_norms: Vec<String>,
    #[serde(default)]
    authoring_verbs: Vec<String>,
    #[serde(default)]
    receiving_verbs: Vec<String>,
    #[serde(default)]
    speaking_things: Vec<String>,
    cue: Vec<Cue>,
}

/// Labels put on a text by the words it uses (whole words, any case): topic tags on
/// statements (`data/tags.toml`), PLOVER contexts on events (`data/contexts.toml`).
pub struct WordLabels {
    automaton: AhoCorasick,
    label_of_pattern: Vec<String>,
}

impl WordLabels {
    /// From a TOML file with one table (`[tags]`, `[contexts]`) of label → words.
    fn parse(name: &str, text: &str, table: &str) -> Result<Self, ResourceError> {
        let failed = |reason: String| ResourceError {
            source_name: name.into(),
            reason,
        };
        let mut file: BTreeMap<String, BTreeMap<String, Vec<String>>> =
            toml::from_str(text).map_err(|e| failed(e.to_string()))?;
        let labels = file
            .remove(table)
            .ok_or_else(|| failed(format!("no [{table}] table")))?;
        let (patterns, owners): (Vec<&String>, Vec<String>) = labels
            .iter()
            .flat_map(|(label, words)| words.iter().map(move |w| (w, label.clone())))
            .unzip();
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(patterns)
            .map_err(|e| failed(e.to_string()))?;
        Ok(WordLabels {
            automaton,
            label_of_pattern: owners,
        })
    }

    /// The labels whose words occur in a text, sorted, each once.
    pub fn of(&self, text: &str) -> Vec<String> {
        let mut labels: Vec<String> = self
            .automaton
            .find_overlapping_iter(text)
            .filter(|m| sitrep_core::text::on_word_boundaries(text, m.start(), m.end()))
            .map(|m| self.label_of_pattern[m.pattern().as_usize()].clone())
            .collect();
        labels.sort();
        labels.dedup();
        labels
    }
}

/// Read-only resources for [`crate::annotate`].
pub struct Resources {
    pub abbreviations: Abbreviations,
    pub dictionary: Dictionary,
    pub matcher: Matcher,
    /// Lower-cased cue form → cue.
    pub cues: HashMap<String, Cue>,
    /// Cue verbs by lemma, for parsed text.
    pub cue_lemmas: HashMap<String, Cue>,
    /// Cue nouns ("claim", "statement") by lower-case form.
    pub cue_nouns: HashMap<String, Cue>,
    /// Phrases that make an assertion a prediction ("may soon").
    pub prediction_markers: Vec<String>,
    /// Tags that make an assertion an accusation.
    pub accusation_tags: Vec<String>,
    /// Words before a line's colon that label it rather than name its speaker ("Update:").
    pub headline_labels: Vec<String>,
    /// Nouns that "according to" follows as a norm, not a source ("according to plan").
    pub according_to_norms: Vec<String>,
    /// Verbs whose subject speaks through the document they take ("issued a statement
    /// saying …"), as opposed to one who received it.
    pub authoring_verbs: Vec<String>,
    /// Verbs whose object, a thing that carries words, speaks for itself when a participle
    /// follows ("received a letter last week warning that …").
    pub receiving_verbs: Vec<String>,
    /// Things that carry words of their own ("a letter warning that …"), besides the cues'
    /// nouns.
    pub speaking_things: Vec<String>,
    /// Topic tags of statements (`data/tags.toml`).
    pub tags: WordLabels,
    /// PLOVER contexts of events (`data/contexts.toml`).
    pub contexts: WordLabels,
    /// Titles before names, longest first ("Major General" before "General").
    pub titles: Vec<String>,
    /// Titles that say a person is a woman or a man (`data/gendered_titles.toml`).
    pub gendered_titles: GenderedTitles,
    /// Role nouns after a name and a comma ("a spokesperson for ...").
    pub roles: Vec<String>,
    /// Nouns that stand for an organisation named before ("the ministry").
    pub organisation_nouns: OrganisationNouns,
    /// "the general", "the Britain-based monitor": a role or organisation noun after "the".
    pub role_reference: Regex,
    /// Words that make a capitalised name a place ("Lamar County", "Lake Chad").
    pub place_words: PlaceWords,
    /// Where outlets report from (`data/outlets.toml`, plus homes learned from batches).
    pub outlet_homes: crate::OutletHomes,
    /// Event triggers and mode markers (`data/events.toml`, `data/modes.toml`), and the
    /// forms of the imported verb dictionaries' verbs.
    pub event_patterns: EventPatterns,
    /// Imported TABARI/PETRARCH verb dictionaries, which code their verbs by pattern.
    pub verbs: VerbDictionary,
    /// Where places are resolved; without one, places are found but left unresolved.
    pub gazetteer: Option<sitrep_gazetteer::Gazetteer>,
    /// A digest of everything that shapes an annotation: sitrep's version and data, the
    /// user's dictionaries, the gazetteer. Stored layers made under another are stale.
    pub fingerprint: String,
}

/// Nouns that, after "the", stand for an organisation named before (`data/references.toml`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationNouns {
    /// Nouns the organisation's name, alias or role must hold ("the ministry").
    pub named: Vec<String>,
    /// Nouns that stand for the latest organisation, whatever its name ("the group").
    pub generic: Vec<String>,
    /// Last words that make a capitalised name an organisation ("Kafr Nabl Local Council",
    /// "the Washington Post").
    pub heads: Vec<String>,
}

/// Titles that say a person is a woman or a man (`data/gendered_titles.toml`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenderedTitles {
    pub women: Vec<String>,
    pub men: Vec<String>,
}

impl GenderedTitles {
    /// Whether a name's title rules out a personal pronoun standing for it: "he" for "Ms
    /// Blampied", "she" for "Mr Boken". A name with no such title rules out neither.
    pub fn rules_out(&self, pronoun: &str, name: &str) -> bool {
        let first = name
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_end_matches('.');
        let titled = |titles: &[String]| titles.iter().any(|t| t.eq_ignore_ascii_case(first));
        match pronoun.to_lowercase().as_str() {
            "he" | "him" | "his" => titled(&self.women),
            "she" | "her" | "hers" => titled(&self.men),
            _ => false,
        }
    }
}

/// Words that make a capitalised name a place (`data/place_words.toml`).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceWords {
    /// Last words: "Lamar County", "Royal Street".
    pub heads: Vec<String>,
    /// First words: "Lake Chad"; before "of", the whole phrase: "Gulf of Guinea".
    pub prefixes: Vec<String>,
    /// Words before a place's name that say which part of it is meant: "Northern Syria".
    #[serde(default)]
    pub directions: Vec<String>,
    /// Last words that make a place's name its first-level division's: "Raqqa Province".
    #[serde(default)]
    pub division_words: Vec<String>,
    /// Last words that make a place's name its town's: "Aleppo City".
    #[serde(default)]
    pub town_words: Vec<String>,
    /// Verbs whose object is often a place ("shelled Saraqib"): a name the gazetteer has
    /// right after one is a place, as after a weak cue.
    #[serde(default)]
    pub object_verbs: Vec<String>,
    /// Names of parts that many towns have ("Old City"): believed only in the country the
    /// text is about.
    #[serde(default)]
    pub generic_names: Vec<String>,
}

impl PlaceWords {
    /// Whether many towns have a part of this name ("Old City").
    pub fn is_generic(&self, name: &str) -> bool {
        self.generic_names.iter().any(|g| g == name)
    }
}

/// A failure to read a resource file.
#[derive(Debug, thiserror::Error)]
#[error("{source_name}: {reason}")]
pub struct ResourceError {
    pub source_name: String,
    pub reason: String,
}

/// sitrep's own data files the language layer reads, compiled in: (name, text).
const BUILTIN_DATA_FILES: &[(&str, &str)] = &[
    ("cues.toml", include_str!("../../../data/cues.toml")),
    ("tags.toml", include_str!("../../../data/tags.toml")),
    ("contexts.toml", include_str!("../../../data/contexts.toml")),
    ("titles.txt", include_str!("../../../data/titles.txt")),
    (
        "gendered_titles.toml",
        include_str!("../../../data/gendered_titles.toml"),
    ),
    ("roles.txt", include_str!("../../../data/roles.txt")),
    (
        "place_words.toml",
        include_str!("../../../data/place_words.toml"),
    ),
    ("outlets.toml", include_str!("../../../data/outlets.toml")),
    ("events.toml", include_str!("../../../data/events.toml")),
    ("modes.toml", include_str!("../../../data/modes.toml")),
    (
        "references.toml",
        include_str!("../../../data/references.toml"),
    ),
];

/// A compiled-in data file's text, by name.
fn data_file(name: &str) -> &'static str {
    BUILTIN_DATA_FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .expect("every data file the language layer reads is listed")
}

/// Where the actor dictionaries and event patterns come from.
#[derive(Debug, Clone, Default)]
pub struct DictionaryChoice {
    /// Extra dictionaries: actors in sitrep's TOML or TABARI format, or TABARI/PETRARCH verb
    /// dictionaries (each detected).
    pub extra: Vec<PathBuf>,
    /// Leave sitrep's built-in actor dictionary out, and its event triggers too when a verb
    /// dictionary is given.
    pub no_defaults: bool,
}

impl Resources {
    /// The built-in resources alone.
    pub fn builtin() -> Self {
        Self::load(&DictionaryChoice::default())
            .expect("built-in resources are checked by tests")
            .0
    }

    /// The built-in resources with the user's dictionaries; returns the lines of imported
    /// dictionaries that could not be read, by file.
    pub fn load(
        choice: &DictionaryChoice,
    ) -> Result<(Self, Vec<(String, ImportIssue)>), ResourceError> {
        let mut dictionary = if choice.no_defaults {
            Dictionary::default()
        } else {
            Dictionary::builtin()
        };
        let mut verbs = VerbDictionary::default();
        let mut user_events: Vec<(String, String)> = Vec::new();
        let mut user_cues: Vec<CueFile> = Vec::new();
        let mut user_modes: Vec<(String, String)> = Vec::new();
        let mut issues = Vec::new();
        let mut shaping: Vec<String> = vec![
            env!("CARGO_PKG_VERSION").to_string(),
            format!("no defaults: {}", choice.no_defaults),
        ];
        for path in &choice.extra {
            let source_name = path.display().to_string();
            let failed = |reason: String| ResourceError {
                source_name: source_name.clone(),
                reason,
            };
            let bytes = std::fs::read(path).map_err(|e| failed(e.to_string()))?;
            let text = sitrep_core::dictionary_file::decode(bytes);
            shaping.push(text.clone());
            let name = path
                .file_name()
                .map_or(source_name.clone(), |n| n.to_string_lossy().into_owned());
            let has_table = |table: &str| text.lines().any(|l| l.trim() == table);
            let file_issues = if has_table("[[event]]") {
                user_events.push((name, text));
                Vec::new()
            } else if has_table("[[cue]]") {
                let mut file = parse_cues(&source_name, &text)?;
                file.cue.iter_mut().for_each(|c| c.source = name.clone());
                user_cues.push(file);
                Vec::new()
            } else if has_table("[[mode]]") || text.trim_start().starts_with("implicatives") {
                user_modes.push((name, text));
                Vec::new()
            } else if VerbDictionary::is_verb_dictionary(&text) {
                let (extra, file_issues) = VerbDictionary::from_tabari(&name, &text);
                verbs.extend(extra);
                file_issues
            } else {
                let (extra, file_issues) =
                    Dictionary::from_text(&name, &text).map_err(|e| failed(e.to_string()))?;
                dictionary.extend(extra);
                file_issues
            };
            issues.extend(file_issues.into_iter().map(|i| (source_name.clone(), i)));
        }
        // The user's cues after sitrep's: a form both give is the user's.
        let mut cue_file = parse_cues("sitrep:cues.toml", data_file("cues.toml"))?;
        for file in user_cues {
            cue_file.prediction_markers.extend(file.prediction_markers);
            cue_file.accusation_tags.extend(file.accusation_tags);
            cue_file.headline_labels.extend(file.headline_labels);
            cue_file.according_to_norms.extend(file.according_to_norms);
            cue_file.authoring_verbs.extend(file.authoring_verbs);
            cue_file.receiving_verbs.extend(file.receiving_verbs);
            cue_file.speaking_things.extend(file.speaking_things);
            cue_file.cue.extend(file.cue);
        }
        let cues = cue_file
            .cue
            .iter()
            .flat_map(|c| c.forms.iter().map(move |f| (f.to_lowercase(), c.clone())))
            .collect();
        let cue_lemmas = cue_file
            .cue
            .iter()
            .flat_map(|c| {
                std::iter::once(&c.lemma)
                    .chain(&c.lemmas)
                    .map(move |l| (l.to_lowercase(), c.clone()))
            })
            .collect();
        let cue_nouns = cue_file
            .cue
            .iter()
            .flat_map(|c| c.nouns.iter().map(move |n| (n.to_lowercase(), c.clone())))
            .collect();
        let tags = WordLabels::parse("sitrep:tags.toml", data_file("tags.toml"), "tags")?;
        let contexts = WordLabels::parse(
            "sitrep:contexts.toml",
            data_file("contexts.toml"),
            "contexts",
        )?;
        let mut titles = word_list(data_file("titles.txt"));
        titles.sort_by_key(|t| std::cmp::Reverse(t.len()));
        let roles = word_list(data_file("roles.txt"));
        let gendered_titles: GenderedTitles = toml::from_str(data_file("gendered_titles.toml"))
            .map_err(|e| ResourceError {
                source_name: "sitrep:gendered_titles.toml".into(),
                reason: e.to_string(),
            })?;
        let organisation_nouns: OrganisationNouns = toml::from_str(data_file("references.toml"))
            .map_err(|e| ResourceError {
                source_name: "sitrep:references.toml".into(),
                reason: e.to_string(),
            })?;
        let role_reference = role_reference(&roles, &titles, &organisation_nouns);
        let place_words: PlaceWords =
            toml::from_str(data_file("place_words.toml")).map_err(|e| ResourceError {
                source_name: "sitrep:place_words.toml".into(),
                reason: e.to_string(),
            })?;
        let matcher = Matcher::new(&dictionary);
        let mut resources = Resources {
            abbreviations: Abbreviations::builtin(),
            dictionary,
            matcher,
            cues,
            cue_lemmas,
            cue_nouns,
            prediction_markers: cue_file.prediction_markers,
            accusation_tags: cue_file.accusation_tags,
            headline_labels: cue_file.headline_labels,
            according_to_norms: cue_file.according_to_norms,
            authoring_verbs: cue_file.authoring_verbs,
            receiving_verbs: cue_file.receiving_verbs,
            speaking_things: cue_file.speaking_things,
            tags,
            contexts,
            titles,
            gendered_titles,
            roles,
            organisation_nouns,
            role_reference,
            place_words,
            outlet_homes: crate::OutletHomes::from_toml(
                "sitrep:outlets.toml",
                data_file("outlets.toml"),
            )?,
            event_patterns: EventPatterns::parse(
                data_file("events.toml"),
                &user_events,
                data_file("modes.toml"),
                &user_modes,
                &verbs,
                !choice.no_defaults || (verbs.is_empty() && user_events.is_empty()),
            )?,
            verbs,
            gazetteer: None,
            fingerprint: String::new(),
        };
        shaping.extend(
            BUILTIN_DATA_FILES
                .iter()
                .map(|(_, text)| *text)
                .chain(Dictionary::builtin_texts())
                .chain([Abbreviations::BUILTIN_TEXT])
                .map(str::to_string),
        );
        // The parse shapes statements: a new syntax model makes stored layers stale.
        if let Ok(syntax) = sitrep_syntax::Syntax::builtin() {
            shaping.push(format!("syntax model {:032x}", syntax.model_id()));
        }
        resources.fingerprint = sitrep_core::text::digest(&shaping.join("\u{1e}"));
        Ok((resources, issues))
    }

    /// Resolve places against this gazetteer.
    pub fn with_gazetteer(mut self, gazetteer: sitrep_gazetteer::Gazetteer) -> Self {
        let identity = gazetteer.info().to_string();
        self.fingerprint = sitrep_core::text::digest(&format!("{}{identity}", self.fingerprint));
        self.gazetteer = Some(gazetteer);
        self
    }

    /// Adds outlets' homes (learned from a batch, or a user's registry) to the built-in ones.
    pub fn with_outlet_homes(mut self, homes: crate::OutletHomes) -> Self {
        let homes_text = homes.stable_text();
        self.fingerprint = sitrep_core::text::digest(&format!("{}{homes_text}", self.fingerprint));
        self.outlet_homes.extend(homes);
        self
    }

    /// Topic tags whose words occur in a text, sorted.
    pub fn tags_of(&self, text: &str) -> Vec<String> {
        self.tags.of(text)
    }

    pub fn cue(&self, word: &str) -> Option<&Cue> {
        self.cues.get(&word.to_lowercase())
    }

    /// The cue a verb is by its lemma ("deny" for "they deny"), if any.
    pub fn cue_lemma(&self, lemma: &str) -> Option<&Cue> {
        self.cue_lemmas.get(&lemma.to_lowercase())
    }

    /// The cue a noun is ("claim", "warnings"), if any.
    pub fn cue_noun(&self, word: &str) -> Option<&Cue> {
        self.cue_nouns.get(&word.to_lowercase())
    }
}

/// "the general", "the senior official", "the Britain-based monitoring group": one of the
/// one-word role, title and organisation nouns after "the", at most one modifier, and a
/// participle or "war" ("the war monitor") before the noun. An organisation's noun may be
/// capitalised, as reports write a body's short name ("the Observatory").
fn role_reference(roles: &[String], titles: &[String], organisations: &OrganisationNouns) -> Regex {
    let alphabetic = |w: &&String| w.chars().all(char::is_alphabetic);
    let people = roles
        .iter()
        .chain(titles)
        .filter(alphabetic)
        .map(|w| w.to_lowercase());
    let bodies = (organisations.named.iter())
        .chain(&organisations.generic)
        .filter(alphabetic)
        .map(|w| {
            let w = w.to_lowercase();
            let first = w.chars().next().map_or(0, char::len_utf8);
            format!(
                "[{}{}]{}",
                w[..first].to_uppercase(),
                &w[..first],
                &w[first..]
            )
        });
    let mut nouns: Vec<String> = people.chain(bodies).collect();
    nouns.sort();
    nouns.dedup();
    Regex::new(&format!(
        r"\b[Tt]he (?:(?:[A-Z][a-z]+|senior|top|former|deputy|[A-Za-z]+-based) )?(?:(?:[a-z]+ing|war) )?({})\b",
        nouns.join("|")
    ))
    .expect("escaped words make a valid pattern")
}

fn parse_cues(name: &str, text: &str) -> Result<CueFile, ResourceError> {
    toml::from_str(text).map_err(|e| ResourceError {
        source_name: name.into(),
        reason: e.to_string(),
    })
}

fn word_list(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or_default().trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// One trigger of an event type.
#[derive(Debug, Clone)]
pub struct EventPattern {
    pub event_type: String,
    pub cameo: String,
    pub trigger: String,
    /// For an imported verb's form: its index in [`Resources::verbs`], whose patterns code it.
    pub verb_form: Option<usize>,
    /// The file it came from: `sitrep:events.toml`, a user's file, or a verb dictionary.
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventTypeEntry {
    #[serde(rename = "type")]
    event_type: String,
    cameo: String,
    /// Further CAMEO roots of the type, for imported codes.
    #[serde(default)]
    also_cameo: Vec<String>,
    triggers: Vec<String>,
    /// Lemmas that are triggers when the parser tags them a verb.
    #[serde(default)]
    verbs: Vec<String>,
    /// Lemmas that are triggers when the parser tags them a noun.
    #[serde(default)]
    nouns: Vec<String>,
    /// PLOVER's modes of the type (sub-types) and the words that signal each.
    #[serde(default)]
    subtypes: BTreeMap<String, Vec<String>>,
    /// Prepositions whose object is the other party of an event of the type ("met with the
    /// envoy", "agreed to the plan").
    #[serde(default)]
    partners: Vec<String>,
    /// Prepositions whose object is the one that gives or grants an event of the type, named
    /// by a noun ("approval from Congress", "aid from the agency").
    #[serde(default)]
    givers: Vec<String>,
    /// Verb lemmas that name an event of the type only when one of `instruments` does it or is
    /// wielded ("shells hit the market", "was hit by eight bullets", "dropped barrel bombs";
    /// not "hit by sanctions").
    #[serde(default)]
    instrument_verbs: Vec<String>,
    /// Noun lemmas of what does an event of the type for its doer: weapons and what they fire.
    #[serde(default)]
    instruments: Vec<String>,
    /// Verb lemmas that name an event of the type only when they hold someone captive: a
    /// person held when passive ("he was being held"), or one of `confinements` named ("kept
    /// in jail", "held them hostage"); not "held talks", "the meeting was held".
    #[serde(default)]
    confining_verbs: Vec<String>,
    /// Noun lemmas of the places and states a captive is held in.
    #[serde(default)]
    confinements: Vec<String>,
    /// Verb and noun lemmas that name an event of the type only when what they move is one of
    /// `cargo` ("sold artillery", "weapons recovered from the criminals", "the purchase of
    /// arms"; not "sold the house", "recovered from the injury").
    #[serde(default)]
    cargo_words: Vec<String>,
    /// Noun lemmas (or "modifier noun" pairs: "military equipment") of what `cargo_words` move.
    #[serde(default)]
    cargo: Vec<String>,
    /// Noun lemmas of harm suffered, whose modifiers name who suffered it ("civilian
    /// casualties"), not who did it.
    #[serde(default)]
    suffered: Vec<String>,
    /// Verb lemmas whose subject suffered the event named in their phrases ("were killed in an
    /// attack", "died in the shelling"): no doer of it.
    #[serde(default)]
    suffering_verbs: Vec<String>,
    /// Verb lemmas whose subject undergoes them, active or not ("died"): their target.
    #[serde(default)]
    undergone: Vec<String>,
    /// Modifier lemmas that make a trigger of the type a figure of speech ("trade war").
    #[serde(default)]
    figurative_with: Vec<String>,
    /// Verb lemmas that name an event of the type only when done to someone ("pinned him to
    /// the ground", "twisted the man's arm"; not "pushed the button").
    #[serde(default)]
    to_someone: Vec<String>,
    /// Verb lemmas that name an event of the type only when someone does them, not a thing
    /// ("volunteers helped the family"; not "the money will help the schools").
    #[serde(default)]
    by_someone: Vec<String>,
    /// Verb lemmas that name an event of the type only when they ask for an act ("asked
    /// residents to leave"), not when they ask a question ("asked how", "was asked about").
    #[serde(default)]
    questions: Vec<String>,
    /// Whether a trigger set before the noun it describes names an event of the type ("the
    /// Russian-backed offensive": yes; "the alleged gunmen": no, for ACCUSE).
    #[serde(default = "named_before_nouns")]
    prenominal: bool,
}

fn named_before_nouns() -> bool {
    true
}

/// A verb's trigger from a table of verbs that are triggers only beside certain nouns, with
/// the test of those nouns' lemmas.
fn lemma_guarded<'t>(
    table: &'t HashMap<String, (EventPattern, HashSet<String>)>,
    verb: &str,
) -> Option<(&'t EventPattern, impl Fn(&str) -> bool + 't)> {
    let (pattern, nouns) = table.get(lower(verb).as_ref())?;
    Some((pattern, move |lemma: &str| {
        nouns.contains(lower(lemma).as_ref())
    }))
}

#[derive(Deserialize)]
struct EventFile {
    event: Vec<EventTypeEntry>,
    /// Named lists of cargo, which `cargo` entries call on as "@name" ("@arms").
    #[serde(default)]
    cargo_lists: BTreeMap<String, Vec<String>>,
    /// Noun and pronoun lemmas for people ("boy", "volunteer", "we"), who can do what
    /// `by_someone` verbs need.
    #[serde(default)]
    people: Vec<String>,
    /// Noun lemmas that an event noun before them names the event of ("a mediation mission",
    /// "an aid programme").
    #[serde(default)]
    carriers: Vec<String>,
}

impl EventFile {
    /// Replaces each "@name" among the entries' cargo by the list of that name, from this file
    /// or else from `shared` (the built-in file's lists).
    fn resolve_cargo(&mut self, shared: &BTreeMap<String, Vec<String>>) -> Result<(), String> {
        let lists = &self.cargo_lists;
        for entry in &mut self.event {
            let mut resolved = Vec::new();
            for item in &entry.cargo {
                let Some(name) = item.strip_prefix('@') else {
                    resolved.push(item.clone());
                    continue;
                };
                let list = lists
                    .get(name)
                    .or_else(|| shared.get(name))
                    .ok_or_else(|| {
                        format!("{}: no cargo list is named {name:?}", entry.event_type)
                    })?;
                resolved.extend(list.iter().cloned());
            }
            entry.cargo = resolved;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModeEntry {
    mode: String,
    #[serde(default)]
    markers: Vec<String>,
    /// Lemmas of the words that govern an event in this mode ("plan" to attack: planned).
    #[serde(default)]
    governors: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModeFile {
    #[serde(default)]
    mode: Vec<ModeEntry>,
    /// Verbs whose complement happened when they did ("began to notice").
    #[serde(default)]
    implicatives: Vec<String>,
    /// Verbs that make their object do what their infinitive names ("forced them to leave").
    #[serde(default)]
    causatives: Vec<String>,
    /// Nouns of kind and number, through which their verb's mode reaches the event they hold.
    #[serde(default)]
    transparent: Vec<String>,
    /// Verbs whose object does what their complement names ("urged residents to leave").
    #[serde(default)]
    object_control: Vec<String>,
    /// Verbs whose prepositional object names their event ("did not lead to a ceasefire").
    #[serde(default)]
    prepositional_events: Vec<String>,
    /// Event types that a speaker's word of doing them itself makes a threat.
    #[serde(default)]
    threat_types: Vec<String>,
    /// Verbs whose object is an event that is there whatever becomes of the verb.
    #[serde(default)]
    presupposing: Vec<String>,
    /// Verbs of wanting whose open complement, with no object between, is their subject's plan.
    #[serde(default)]
    intentions: Vec<String>,
    /// Verbs of hoping and asking whose finite clause has not happened, whatever its tense.
    #[serde(default)]
    wishes: Vec<String>,
    /// Governors that govern their open complement only ("set to attack", not "set off on a
    /// march").
    #[serde(default)]
    complement_only: Vec<String>,
    /// Speech acts whose present simple reports an act done ("Moscow accuses Ankara").
    #[serde(default)]
    performatives: Vec<String>,
    /// Times ahead of the report, or their modifiers ("tomorrow", "next week"), that make the
    /// present and the progressive they time foretell ("the minister travels to Moscow
    /// tomorrow").
    #[serde(default)]
    future_times: Vec<String>,
}

impl ModeFile {
    /// Adds the users' mode files (named, in the format of modes.toml, of its modes) to these
    /// lists; returns each word they added with its file.
    fn extend(
        &mut self,
        files: &[(String, String)],
    ) -> Result<HashMap<String, String>, ResourceError> {
        let mut sources = HashMap::new();
        for (name, text) in files {
            let failed = |reason: String| ResourceError {
                source_name: name.clone(),
                reason,
            };
            let file: ModeFile = toml::from_str(text).map_err(|e| failed(e.to_string()))?;
            let mut words = file.implicatives.clone();
            words.extend(file.causatives.iter().cloned());
            words.extend(file.transparent.iter().cloned());
            words.extend(file.object_control.iter().cloned());
            words.extend(file.prepositional_events.iter().cloned());
            self.object_control.extend(file.object_control);
            self.prepositional_events.extend(file.prepositional_events);
            self.implicatives.extend(file.implicatives);
            self.causatives.extend(file.causatives);
            self.transparent.extend(file.transparent);
            self.threat_types.extend(file.threat_types);
            self.presupposing.extend(file.presupposing.iter().cloned());
            words.extend(file.presupposing);
            self.intentions.extend(file.intentions.iter().cloned());
            words.extend(file.intentions);
            self.wishes.extend(file.wishes.iter().cloned());
            words.extend(file.wishes);
            self.complement_only
                .extend(file.complement_only.iter().cloned());
            words.extend(file.complement_only);
            self.performatives
                .extend(file.performatives.iter().cloned());
            words.extend(file.performatives);
            self.future_times.extend(file.future_times.iter().cloned());
            words.extend(file.future_times);
            for entry in file.mode {
                // A word the user puts in a mode leaves the mode sitrep had it in.
                let moved = |w: &String| {
                    !entry
                        .markers
                        .iter()
                        .chain(&entry.governors)
                        .any(|u| u.eq_ignore_ascii_case(w))
                };
                for m in &mut self.mode {
                    m.markers.retain(moved);
                    m.governors.retain(moved);
                }
                let Some(known) = self.mode.iter_mut().find(|m| m.mode == entry.mode) else {
                    let modes: Vec<&str> = self.mode.iter().map(|m| m.mode.as_str()).collect();
                    return Err(failed(format!(
                        "{:?} is not a mode sitrep knows ({})",
                        entry.mode,
                        modes.join(", ")
                    )));
                };
                words.extend(entry.markers.iter().chain(&entry.governors).cloned());
                known.markers.extend(entry.markers);
                known.governors.extend(entry.governors);
            }
            sources.extend(words.into_iter().map(|w| (w.to_lowercase(), name.clone())));
        }
        Ok(sources)
    }
}

/// A word in lower case, copied only when it has capitals: the lookups of the parse's words
/// run for every word of every article.
fn lower(word: &str) -> std::borrow::Cow<'_, str> {
    if word.chars().any(char::is_uppercase) {
        std::borrow::Cow::Owned(word.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(word)
    }
}

/// The PLOVER type of a CAMEO code, by its two-digit root; "OTHER" for codes outside CAMEO.
fn plover_type(type_of_root: &HashMap<String, String>, code: &str) -> String {
    code.get(..2)
        .and_then(|root| type_of_root.get(root))
        .cloned()
        .unwrap_or_else(|| "OTHER".to_string())
}

/// Event triggers (`data/events.toml`) in one automaton, and the mode markers
/// (`data/modes.toml`).
pub struct EventPatterns {
    /// CAMEO root → PLOVER type, for codes from verb dictionaries.
    type_of_root: HashMap<String, String>,
    /// The words of every type's subtypes, and (type, subtype) by pattern.
    subtype_automaton: AhoCorasick,
    subtype_of_pattern: Vec<(String, String)>,
    automaton: AhoCorasick,
    patterns: Vec<EventPattern>,
    /// (mode, marker), in the file's order, and an automaton finding them all.
    markers: Vec<(String, String)>,
    marker_automaton: AhoCorasick,
    /// Triggers read from the parse: a verb's (a noun's) lower-case lemma → its pattern.
    verb_lemmas: HashMap<String, EventPattern>,
    noun_lemmas: HashMap<String, EventPattern>,
    /// Verbs that are triggers only with an instrument for doer or object: lemma → the pattern
    /// and the instruments' lemmas.
    instrument_verbs: HashMap<String, (EventPattern, HashSet<String>)>,
    /// Verbs that are triggers only when they hold someone captive: lemma → the pattern and
    /// the confinements' lemmas.
    confining_verbs: HashMap<String, (EventPattern, HashSet<String>)>,
    /// Verbs and nouns that are triggers only when what they move is named: lemma → the
    /// pattern and the cargo's lemmas.
    cargo_words: HashMap<String, (EventPattern, HashSet<String>)>,
    /// Verbs of asking, which name no event when what they ask is a question.
    questioning: HashSet<String>,
    /// Verbs that name an event only when someone does them.
    by_someone: HashSet<String>,
    /// Verbs that are triggers only when done to someone: lemma → the pattern.
    to_someone: HashMap<String, EventPattern>,
    /// Nouns of harm suffered, whose modifiers name the sufferer.
    suffered: HashSet<String>,
    /// Verbs whose subject suffered the events of their phrases.
    suffering_verbs: HashSet<String>,
    /// Verbs whose subject undergoes them.
    undergone: HashSet<String>,
    /// Nouns and pronouns for people, beside the names that say someone.
    people: HashSet<String>,
    /// Nouns an event noun before them names the event of.
    carriers: HashSet<String>,
    /// Types whose triggers name no event when set before the noun they describe.
    not_prenominal: HashSet<String>,
    /// Governor lemma → the mode it puts an event in.
    governors: HashMap<String, String>,
    implicatives: HashSet<String>,
    causatives: HashSet<String>,
    transparent: HashSet<String>,
    object_control: HashSet<String>,
    prepositional_events: HashSet<String>,
    threat_types: HashSet<String>,
    presupposing: HashSet<String>,
    intentions: HashSet<String>,
    wishes: HashSet<String>,
    complement_only: HashSet<String>,
    performatives: HashSet<String>,
    future_times: HashSet<String>,
    /// Type → the prepositions that name its other party.
    partners: HashMap<String, Vec<String>>,
    /// Type → the prepositions that name the giver of its noun.
    givers: HashMap<String, Vec<String>>,
    /// Type → the modifiers that make its triggers figures of speech.
    figurative_with: HashMap<String, Vec<String>>,
    /// Marker → its place in `markers`, for the words the parse hangs on a predicate.
    word_markers: HashMap<String, usize>,
    /// The user's file of each marker, governor and implicative it added, for the rules.
    mode_sources: HashMap<String, String>,
}

impl EventPatterns {
    /// The triggers of `events.toml` (unless left out), of the user's event files (named, in
    /// the same format, of PLOVER's types), and the forms of the verb dictionary.
    fn parse(
        events_toml: &str,
        user_events: &[(String, String)],
        modes_toml: &str,
        user_modes: &[(String, String)],
        verbs: &VerbDictionary,
        with_builtin_triggers: bool,
    ) -> Result<Self, ResourceError> {
        let builtin_failed = |reason: String| ResourceError {
            source_name: "sitrep:events.toml".into(),
            reason,
        };
        let mut events: EventFile =
            toml::from_str(events_toml).map_err(|e| builtin_failed(e.to_string()))?;
        events
            .resolve_cargo(&BTreeMap::new())
            .map_err(builtin_failed)?;
        let mut people: HashSet<String> = events.people.iter().map(|p| p.to_lowercase()).collect();
        let mut carriers: HashSet<String> =
            events.carriers.iter().map(|c| c.to_lowercase()).collect();
        let mut files: Vec<(String, Vec<EventTypeEntry>)> = Vec::new();
        for (name, text) in user_events {
            let failed = |reason: String| ResourceError {
                source_name: name.clone(),
                reason,
            };
            let mut file: EventFile = toml::from_str(text).map_err(|e| failed(e.to_string()))?;
            file.resolve_cargo(&events.cargo_lists).map_err(failed)?;
            if let Some(unknown) = file
                .event
                .iter()
                .find(|e| !events.event.iter().any(|b| b.event_type == e.event_type))
            {
                return Err(failed(format!(
                    "{:?} is not a PLOVER event type sitrep codes",
                    unknown.event_type
                )));
            }
            people.extend(file.people.iter().map(|p| p.to_lowercase()));
            carriers.extend(file.carriers.iter().map(|c| c.to_lowercase()));
            files.push((name.clone(), file.event));
        }
        let mut modes: ModeFile = toml::from_str(modes_toml).map_err(|e| ResourceError {
            source_name: "sitrep:modes.toml".into(),
            reason: e.to_string(),
        })?;
        let mode_sources = modes.extend(user_modes)?;
        // An imported code's PLOVER type is its CAMEO root's (the file's first type for a root).
        let mut type_of_root: HashMap<String, String> = HashMap::new();
        for e in &events.event {
            for root in std::iter::once(&e.cameo).chain(&e.also_cameo) {
                type_of_root
                    .entry(root.clone())
                    .or_insert_with(|| e.event_type.clone());
            }
        }
        let by_type = |pick: fn(&EventTypeEntry) -> &Vec<String>| -> HashMap<String, Vec<String>> {
            std::iter::once(&events.event)
                .chain(files.iter().map(|(_, entries)| entries))
                .flatten()
                .filter(|e| !pick(e).is_empty())
                .map(|e| (e.event_type.clone(), pick(e).clone()))
                .collect()
        };
        let partners = by_type(|e| &e.partners);
        let givers = by_type(|e| &e.givers);
        let figurative_with = by_type(|e| &e.figurative_with);
        let builtin = ("sitrep:events.toml".to_string(), events.event);
        let all_entries = || {
            std::iter::once(&builtin)
                .chain(&files)
                .flat_map(|(_, entries)| entries)
        };
        let (subtype_words, subtype_of_pattern): (Vec<String>, Vec<(String, String)>) =
            all_entries()
                .flat_map(|e| {
                    e.subtypes.iter().flat_map(move |(subtype, words)| {
                        words
                            .iter()
                            .map(move |w| (w.clone(), (e.event_type.clone(), subtype.clone())))
                    })
                })
                .unzip();
        let subtype_automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&subtype_words)
            .map_err(|e| ResourceError {
                source_name: "sitrep:events.toml".into(),
                reason: e.to_string(),
            })?;
        let mut patterns: Vec<EventPattern> = Vec::new();
        let mut verb_lemmas: HashMap<String, EventPattern> = HashMap::new();
        let mut noun_lemmas: HashMap<String, EventPattern> = HashMap::new();
        let mut instrument_verbs: HashMap<String, (EventPattern, HashSet<String>)> = HashMap::new();
        let mut confining_verbs: HashMap<String, (EventPattern, HashSet<String>)> = HashMap::new();
        let mut cargo_words: HashMap<String, (EventPattern, HashSet<String>)> = HashMap::new();
        let mut questioning: HashSet<String> = HashSet::new();
        let mut by_someone: HashSet<String> = HashSet::new();
        let mut to_someone: HashMap<String, EventPattern> = HashMap::new();
        let mut suffered: HashSet<String> = HashSet::new();
        let mut suffering_verbs: HashSet<String> = HashSet::new();
        let mut undergone: HashSet<String> = HashSet::new();
        let mut not_prenominal: HashSet<String> = HashSet::new();
        let sources = std::iter::once(&builtin)
            .filter(|_| with_builtin_triggers)
            .chain(&files);
        for (source, entries) in sources {
            for e in entries {
                let pattern = |trigger: String| EventPattern {
                    event_type: e.event_type.clone(),
                    cameo: e.cameo.clone(),
                    trigger,
                    verb_form: None,
                    source: source.clone(),
                };
                patterns.extend(e.triggers.iter().map(|t| pattern(t.clone())));
                for (lemmas, words, part) in [
                    (&mut verb_lemmas, &e.verbs, "verb"),
                    (&mut noun_lemmas, &e.nouns, "noun"),
                ] {
                    for lemma in words {
                        let trigger = format!("{lemma}: any form of the {part}");
                        lemmas.insert(lemma.to_lowercase(), pattern(trigger));
                    }
                }
                questioning.extend(e.questions.iter().map(|q| q.to_lowercase()));
                by_someone.extend(e.by_someone.iter().map(|v| v.to_lowercase()));
                for lemma in &e.to_someone {
                    let trigger = format!("{lemma}: any form of the verb, done to someone");
                    to_someone.insert(lemma.to_lowercase(), pattern(trigger));
                }
                suffered.extend(e.suffered.iter().map(|n| n.to_lowercase()));
                suffering_verbs.extend(e.suffering_verbs.iter().map(|v| v.to_lowercase()));
                undergone.extend(e.undergone.iter().map(|v| v.to_lowercase()));
                if !e.prenominal {
                    not_prenominal.insert(e.event_type.clone());
                }
                for (verbs, nouns, into, part, how) in [
                    (
                        &e.instrument_verbs,
                        &e.instruments,
                        &mut instrument_verbs,
                        "verb",
                        "done by a weapon",
                    ),
                    (
                        &e.confining_verbs,
                        &e.confinements,
                        &mut confining_verbs,
                        "verb",
                        "holding a captive",
                    ),
                    (
                        &e.cargo_words,
                        &e.cargo,
                        &mut cargo_words,
                        "word",
                        "moving the cargo named",
                    ),
                ] {
                    let nouns: HashSet<String> = nouns.iter().map(|n| n.to_lowercase()).collect();
                    for lemma in verbs {
                        let trigger = format!("{lemma}: any form of the {part}, {how}");
                        into.insert(lemma.to_lowercase(), (pattern(trigger), nouns.clone()));
                    }
                }
            }
        }
        for (index, form) in verbs.forms().iter().enumerate() {
            let cameo = match verbs.default_code(index) {
                sitrep_verbs::Code::Event { code, .. } => code.clone(),
                sitrep_verbs::Code::Nothing => String::new(),
            };
            patterns.push(EventPattern {
                event_type: plover_type(&type_of_root, &cameo),
                cameo,
                trigger: form.words.join(" "),
                verb_form: Some(index),
                source: "verb dictionary".into(),
            });
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(patterns.iter().map(|p| p.trigger.as_str()))
            .map_err(|e| ResourceError {
                source_name: "sitrep:events.toml".into(),
                reason: e.to_string(),
            })?;
        let governors: HashMap<String, String> = modes
            .mode
            .iter()
            .flat_map(|m| {
                m.governors
                    .iter()
                    .map(|g| (g.to_lowercase(), m.mode.clone()))
            })
            .collect();
        let lowered = |words: &[String]| words.iter().map(|v| v.to_lowercase()).collect();
        let implicatives = lowered(&modes.implicatives);
        let causatives = lowered(&modes.causatives);
        let transparent = lowered(&modes.transparent);
        let object_control = lowered(&modes.object_control);
        let prepositional_events = lowered(&modes.prepositional_events);
        let threat_types = modes.threat_types.iter().cloned().collect();
        let presupposing = lowered(&modes.presupposing);
        let intentions = lowered(&modes.intentions);
        let wishes = lowered(&modes.wishes);
        let complement_only = lowered(&modes.complement_only);
        let performatives = lowered(&modes.performatives);
        let future_times = lowered(&modes.future_times);
        let markers: Vec<(String, String)> = modes
            .mode
            .into_iter()
            .flat_map(|m| {
                m.markers
                    .into_iter()
                    .map(move |marker| (m.mode.clone(), marker.to_lowercase()))
            })
            .collect();
        let word_markers = markers
            .iter()
            .enumerate()
            .map(|(k, (_, marker))| (marker.clone(), k))
            .rev()
            .collect();
        // Case matters: "May" the month, "Will" the name and "No." are no markers.
        let marker_automaton = AhoCorasick::builder()
            .build(markers.iter().map(|(_, marker)| marker.as_str()))
            .map_err(|e| ResourceError {
                source_name: "sitrep:modes.toml".into(),
                reason: e.to_string(),
            })?;
        Ok(EventPatterns {
            type_of_root,
            subtype_automaton,
            subtype_of_pattern,
            automaton,
            patterns,
            markers,
            marker_automaton,
            verb_lemmas,
            noun_lemmas,
            instrument_verbs,
            confining_verbs,
            cargo_words,
            questioning,
            by_someone,
            to_someone,
            suffered,
            suffering_verbs,
            undergone,
            people,
            carriers,
            not_prenominal,
            governors,
            implicatives,
            causatives,
            transparent,
            object_control,
            prepositional_events,
            threat_types,
            presupposing,
            intentions,
            wishes,
            complement_only,
            performatives,
            future_times,
            partners,
            givers,
            figurative_with,
            word_markers,
            mode_sources,
        })
    }

    /// How a rule names the file of a user's mode word: " (FILE)", or nothing for sitrep's own.
    pub fn mode_credit(&self, word: &str) -> String {
        self.mode_sources
            .get(lower(word).as_ref())
            .map_or(String::new(), |file| format!(" ({file})"))
    }

    /// The prepositions whose object is the other party of an event of this type ("with").
    pub fn partners(&self, event_type: &str) -> &[String] {
        self.partners.get(event_type).map_or(&[], Vec::as_slice)
    }

    /// Whether a modifier makes a trigger of this type a figure of speech ("trade" in "trade
    /// war").
    pub fn is_figurative_with(&self, event_type: &str, modifier: &str) -> bool {
        self.figurative_with
            .get(event_type)
            .is_some_and(|words| words.iter().any(|w| w.eq_ignore_ascii_case(modifier)))
    }

    /// The prepositions whose object gives or grants an event of this type ("from").
    pub fn givers(&self, event_type: &str) -> &[String] {
        self.givers.get(event_type).map_or(&[], Vec::as_slice)
    }

    /// Whether a verb's object or prepositional object is an event that is there whatever
    /// becomes of the verb ("would stop the attacks", "could not comment on the lawsuit").
    pub fn is_presupposing(&self, lemma: &str) -> bool {
        self.presupposing.contains(lower(lemma).as_ref())
    }

    /// Whether a speaker's word that it will do an event of this type is a threat ("we will
    /// strike back"), not a plan.
    pub fn is_threat_type(&self, event_type: &str) -> bool {
        self.threat_types.contains(event_type)
    }

    /// Whether a verb's complement happened when the verb did ("managed to leave").
    pub fn is_implicative(&self, lemma: &str) -> bool {
        self.implicatives.contains(lower(lemma).as_ref()) || self.is_causative(lemma)
    }

    /// Whether a noun of kind or number lets its verb's mode through to the event it holds
    /// ("this type of recruitment was not done").
    pub fn is_transparent(&self, lemma: &str) -> bool {
        self.transparent.contains(lower(lemma).as_ref())
    }

    /// Whether a verb's prepositional object names the event it takes part in or brings
    /// about ("did not lead to a ceasefire").
    pub fn has_prepositional_event(&self, lemma: &str) -> bool {
        self.prepositional_events.contains(lower(lemma).as_ref())
    }

    /// Whether a verb's object does what its complement names ("urged residents to leave",
    /// "accused Russia of poisoning"): the object-control verbs and the causatives.
    pub fn is_object_control(&self, lemma: &str) -> bool {
        self.object_control.contains(lower(lemma).as_ref()) || self.is_causative(lemma)
    }

    /// Whether a time word, or a time's modifier, lies ahead of the report ("tomorrow", "next").
    pub fn is_future_time(&self, lemma: &str) -> bool {
        self.future_times.contains(lower(lemma).as_ref())
    }

    /// Whether a verb of hoping or asking leaves its finite clause unrealised ("hope the talks
    /// resume", "demanded that he resign", "wished the army had stayed").
    pub fn is_wish(&self, lemma: &str) -> bool {
        self.wishes.contains(lower(lemma).as_ref())
    }

    /// Whether a verb of wanting makes its subject's own act, named by its open complement, a
    /// plan ("wanted to demolish the buildings").
    pub fn is_intention(&self, lemma: &str) -> bool {
        self.intentions.contains(lower(lemma).as_ref())
    }

    /// Whether a governor governs its open complement only ("set to attack"; "set off on a
    /// march" is no prediction).
    pub fn governs_complement_only(&self, lemma: &str) -> bool {
        self.complement_only.contains(lower(lemma).as_ref())
    }

    /// Whether a verb names a speech act, whose present simple reports the act as done, not
    /// going on ("Moscow accuses Ankara of …", "the minister urges calm").
    pub fn is_performative(&self, lemma: &str) -> bool {
        self.performatives.contains(lower(lemma).as_ref())
    }

    /// Whether a verb makes its object do what its infinitive names ("forced them to leave").
    pub fn is_causative(&self, lemma: &str) -> bool {
        self.causatives.contains(lower(lemma).as_ref())
    }

    /// The trigger a parsed word's lemma makes, as a verb or as a noun.
    pub fn by_lemma(&self, lemma: &str, is_verb: bool) -> Option<&EventPattern> {
        let lemmas = if is_verb {
            &self.verb_lemmas
        } else {
            &self.noun_lemmas
        };
        lemmas.get(lower(lemma).as_ref())
    }

    /// For a verb that is a trigger only when an instrument does it ("shells hit the market"),
    /// its trigger and whether a lemma names such an instrument.
    pub fn instrument_verb(
        &self,
        verb: &str,
    ) -> Option<(&EventPattern, impl Fn(&str) -> bool + '_)> {
        lemma_guarded(&self.instrument_verbs, verb)
    }

    /// For a verb that is a trigger only when it holds someone captive ("he was being held"),
    /// its trigger and whether a lemma names a confinement ("jail", "hostage").
    pub fn confining_verb(
        &self,
        verb: &str,
    ) -> Option<(&EventPattern, impl Fn(&str) -> bool + '_)> {
        lemma_guarded(&self.confining_verbs, verb)
    }

    /// For a verb or noun that is a trigger only when what it moves is named ("sold
    /// artillery", "the purchase of arms"), its trigger and whether a lemma (or "modifier
    /// lemma" pair) names such cargo.
    pub fn cargo_word(&self, word: &str) -> Option<(&EventPattern, impl Fn(&str) -> bool + '_)> {
        lemma_guarded(&self.cargo_words, word)
    }

    /// For a verb that is a trigger only when done to someone ("pinned him"), its trigger.
    pub fn done_to_someone(&self, lemma: &str) -> Option<&EventPattern> {
        self.to_someone.get(lower(lemma).as_ref())
    }

    /// Whether a verb names an event only when someone does it, not a thing.
    pub fn is_done_by_someone(&self, lemma: &str) -> bool {
        self.by_someone.contains(lower(lemma).as_ref())
    }

    /// Whether a noun names harm suffered, so that its modifiers name who suffered it
    /// ("civilian casualties").
    pub fn is_suffered(&self, lemma: &str) -> bool {
        self.suffered.contains(lower(lemma).as_ref())
    }

    /// Whether a verb's subject suffered the events named in its phrases ("were killed in an
    /// attack"), so is no doer of them.
    pub fn is_suffering_verb(&self, lemma: &str) -> bool {
        self.suffering_verbs.contains(lower(lemma).as_ref())
    }

    /// Whether a verb's subject undergoes it, active or not ("four died"): its target.
    pub fn is_undergone(&self, lemma: &str) -> bool {
        self.undergone.contains(lower(lemma).as_ref())
    }

    /// Whether an event noun before this noun names the event it is ("mission" in "a
    /// mediation mission").
    pub fn is_carrier(&self, lemma: &str) -> bool {
        self.carriers.contains(lower(lemma).as_ref())
    }

    /// Whether a noun or pronoun names people ("boy", "volunteers", "we").
    pub fn is_people(&self, lemma: &str) -> bool {
        self.people.contains(lower(lemma).as_ref())
    }

    /// Whether a verb is one of asking, which names no event when it asks a question.
    pub fn is_questioning(&self, lemma: &str) -> bool {
        self.questioning.contains(lower(lemma).as_ref())
    }

    /// Whether a trigger set before the noun it describes names an event of this type.
    pub fn names_before_nouns(&self, event_type: &str) -> bool {
        !self.not_prenominal.contains(event_type)
    }

    /// The mode a governing word's lemma puts an event in ("plan" → planned).
    pub fn governed_mode(&self, lemma: &str) -> Option<&str> {
        self.governors
            .get(lower(lemma).as_ref())
            .map(String::as_str)
    }

    /// The mode a marker puts an event in, with the marker ("will" → predicted): for the words
    /// the parse hangs on a predicate (auxiliaries, "if", "not", "still"), one word or one with
    /// the words fixed to it ("in case").
    pub fn word_marker(&self, word: &str) -> Option<(&str, &str)> {
        let &k = self.word_markers.get(lower(word).as_ref())?;
        let (mode, marker) = &self.markers[k];
        Some((mode.as_str(), marker.as_str()))
    }

    /// The PLOVER type of a CAMEO code, by its two-digit root.
    pub fn plover_type(&self, code: &str) -> String {
        plover_type(&self.type_of_root, code)
    }

    /// The subtype of an event of `event_type` triggered at `trigger`: the subtype whose words
    /// stand nearest the trigger within `window` (the trigger's own words first, the longest
    /// of them).
    pub fn subtype_near(
        &self,
        event_type: &str,
        text: &str,
        window: Span,
        trigger: Span,
    ) -> Option<&str> {
        let stretch = text.get(window.start..window.end)?;
        self.subtype_automaton
            .find_overlapping_iter(stretch)
            .filter(|m| sitrep_core::text::on_word_boundaries(stretch, m.start(), m.end()))
            .filter_map(|m| {
                let (t, subtype) = &self.subtype_of_pattern[m.pattern().as_usize()];
                let (start, end) = (window.start + m.start(), window.start + m.end());
                let distance = if end <= trigger.start {
                    trigger.start - end
                } else {
                    start.saturating_sub(trigger.end)
                };
                (t == event_type).then_some((distance, m.len(), subtype.as_str()))
            })
            // The nearest; of two as near, the longer ("suicide bombing" over "bombing").
            .min_by_key(|&(distance, len, _)| (distance, std::cmp::Reverse(len)))
            .map(|(_, _, subtype)| subtype)
    }

    /// Every trigger in a text, on word boundaries, leftmost-longest.
    pub fn find<'p>(&'p self, text: &str) -> Vec<(Span, &'p EventPattern)> {
        self.automaton
            .find_iter(text)
            .filter(|m| sitrep_core::text::on_word_boundaries(text, m.start(), m.end()))
            .map(|m| {
                (
                    Span {
                        start: m.start(),
                        end: m.end(),
                    },
                    &self.patterns[m.pattern().as_usize()],
                )
            })
            .collect()
    }

    /// The mode marker that ends nearest the end of `before` (a clause up to a trigger), with
    /// its mode: (mode, marker).
    pub fn nearest_marker(&self, before: &str) -> Option<(&str, &str)> {
        self.occurrences(before)
            .max_by_key(|&(at, len, _, _)| (at + len, len))
            .map(|(_, _, mode, marker)| (mode, marker))
    }

    /// The first planned, threatened or predicted marker in `after` (just after a noun
    /// trigger: "attacks are expected to").
    pub fn first_marker_after(&self, after: &str) -> Option<(&str, &str)> {
        self.occurrences(after)
            .filter(|(_, _, mode, _)| matches!(*mode, "planned" | "threatened" | "predicted"))
            .min_by_key(|&(at, len, _, _)| (at, std::cmp::Reverse(len)))
            .map(|(_, _, mode, marker)| (mode, marker))
    }

    /// Every marker in a stretch of text, on word boundaries: (at, length, mode, marker).
    fn occurrences<'s, 't>(
        &'s self,
        stretch: &'t str,
    ) -> impl Iterator<Item = (usize, usize, &'s str, &'s str)> + 't
    where
        's: 't,
    {
        self.marker_automaton
            .find_overlapping_iter(stretch)
            .filter(move |m| sitrep_core::text::on_word_boundaries(stretch, m.start(), m.end()))
            .map(move |m| {
                let (mode, marker) = &self.markers[m.pattern().as_usize()];
                (m.start(), m.len(), mode.as_str(), marker.as_str())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::{EventPatterns, Resources};
    use sitrep_verbs::VerbDictionary;

    fn patterns_with(user_events: &str) -> Result<EventPatterns, super::ResourceError> {
        EventPatterns::parse(
            super::data_file("events.toml"),
            &[("mine.toml".to_string(), user_events.to_string())],
            super::data_file("modes.toml"),
            &[],
            &VerbDictionary::default(),
            true,
        )
    }

    #[test]
    fn a_users_cargo_calls_on_the_builtin_lists_or_its_own_and_an_unknown_name_is_refused() {
        let file = r#"
[cargo_lists]
livestock = ["goat", "cattle"]

[[event]]
type = "COERCE"
cameo = "17"
triggers = []
cargo_words = ["rustle", "confiscation"]
cargo = ["@livestock", "@arms"]
"#;
        let patterns = patterns_with(file).unwrap();
        let (pattern, is_cargo) = patterns.cargo_word("rustle").unwrap();
        assert_eq!(pattern.source, "mine.toml");
        assert!(is_cargo("goat") && is_cargo("rifle") && !is_cargo("house"));
        let unknown = file.replace("@livestock", "@poultry");
        let error = patterns_with(&unknown)
            .err()
            .expect("an unknown list is refused");
        assert_eq!(error.source_name, "mine.toml");
        assert!(error.reason.contains("poultry"), "{}", error.reason);
    }

    #[test]
    fn the_fingerprint_is_stable_and_follows_what_shapes_an_annotation() {
        let builtin = Resources::builtin();
        assert_eq!(builtin.fingerprint, Resources::builtin().fingerprint);
        // The same homes added twice, each time in a new process-local hash order.
        let homes = builtin.outlet_homes.clone();
        let a = Resources::builtin().with_outlet_homes(homes.clone());
        let b = Resources::builtin().with_outlet_homes(homes);
        assert_eq!(a.fingerprint, b.fingerprint);
        assert_ne!(a.fingerprint, builtin.fingerprint);
    }
}
