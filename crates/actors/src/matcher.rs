//! One leftmost-longest Aho-Corasick pass finds every name of every actor.

use crate::model::Dictionary;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use sitrep_core::Span;
use std::collections::HashMap;

/// How a matched name relates to its actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Name,
    Alias,
    /// A former name: the mention resolves to the actor under its current name.
    Former,
    /// "Syrian": the country, named by its adjective.
    Demonym,
    /// "Damascus" for the Syrian government.
    Metonym,
    /// A role noun: "police", "rebels".
    Agent,
}

impl NameKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Name => "name",
            NameKind::Alias => "alias",
            NameKind::Former => "former name",
            NameKind::Demonym => "demonym",
            NameKind::Metonym => "metonym",
            NameKind::Agent => "agent",
        }
    }
}

/// What a matched name names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// Index into the dictionary's actors.
    Actor(usize),
    /// Index into the dictionary's agents (role nouns: "police", "rebels").
    Agent(usize),
}

/// A name found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActorMatch {
    pub span: Span,
    pub named: Named,
    pub kind: NameKind,
    /// Index of the dictionary name that matched, for provenance ([`Matcher::pattern`]).
    pub pattern: usize,
}

struct Pattern {
    text: String,
    named: Named,
    kind: NameKind,
    /// Acronyms ("HTS", "IS") match only in their own case.
    exact_case: bool,
    /// A proper name written capitalised in sitrep's files ("Turkey") needs its capital in the
    /// text too: "a turkey" is not the country. Imported TABARI files are all capitals.
    capitalised: bool,
}

/// The compiled automaton over a dictionary's names.
pub struct Matcher {
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
}

impl Matcher {
    /// Compiles every name of every actor and every form of every agent. When two claim the
    /// same name (ignoring case), the later one wins: a user's dictionary overrides the built-in.
    pub fn new(dictionary: &Dictionary) -> Self {
        let is_imported =
            |source: &str| !source.starts_with("sitrep:") && !source.contains(".toml");
        let mut entries: Vec<(&str, Named, NameKind, bool)> = Vec::new();
        for (index, actor) in dictionary.actors.iter().enumerate() {
            let imported = is_imported(&actor.source);
            let named = Named::Actor(index);
            entries.push((&actor.name, named, NameKind::Name, imported));
            entries.extend(
                actor
                    .aliases
                    .iter()
                    .map(|a| (a.as_str(), named, NameKind::Alias, imported)),
            );
            entries.extend(
                actor
                    .former_names
                    .iter()
                    .map(|f| (f.name.as_str(), named, NameKind::Former, imported)),
            );
            entries.extend(
                actor
                    .demonyms
                    .iter()
                    .map(|d| (d.as_str(), named, NameKind::Demonym, imported)),
            );
            entries.extend(
                actor
                    .metonyms
                    .iter()
                    .map(|m| (m.as_str(), named, NameKind::Metonym, imported)),
            );
        }
        for (index, agent) in dictionary.agents.iter().enumerate() {
            let imported = is_imported(&agent.source);
            entries.extend(
                agent
                    .forms
                    .iter()
                    .map(|f| (f.as_str(), Named::Agent(index), NameKind::Agent, imported)),
            );
        }
        let mut by_text: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        for (name, named, kind, imported) in entries {
            for variant in spelling_variants(name) {
                let exact_case = is_acronym(&variant, imported);
                let capitalised =
                    !imported && kind != NameKind::Agent && variant.starts_with(char::is_uppercase);
                let key = if exact_case {
                    variant.clone()
                } else {
                    variant.to_lowercase()
                };
                let pattern = Pattern {
                    text: variant,
                    named,
                    kind,
                    exact_case,
                    capitalised,
                };
                match by_text.get(&key) {
                    Some(&at) => patterns[at] = pattern,
                    None => {
                        by_text.insert(key, patterns.len());
                        patterns.push(pattern);
                    }
                }
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(patterns.iter().map(|p| p.text.as_str()))
            .expect("names make a valid automaton");
        Matcher {
            automaton,
            patterns,
        }
    }

    /// Every actor name in the text, leftmost-longest, on word boundaries.
    pub fn find(&self, text: &str) -> Vec<ActorMatch> {
        self.automaton
            .find_iter(text)
            .filter_map(|m| {
                let pattern = &self.patterns[m.pattern().as_usize()];
                let found = &text[m.start()..m.end()];
                let bounded = sitrep_core::text::on_word_boundaries(text, m.start(), m.end());
                let case_fits = (!pattern.exact_case || found == pattern.text)
                    && (!pattern.capitalised || found.starts_with(char::is_uppercase));
                (bounded && case_fits).then_some(ActorMatch {
                    span: Span {
                        start: m.start(),
                        end: m.end(),
                    },
                    named: pattern.named,
                    kind: pattern.kind,
                    pattern: m.pattern().as_usize(),
                })
            })
            .collect()
    }

    /// The dictionary name behind a match, as written in the dictionary (or its variant).
    pub fn pattern(&self, index: usize) -> &str {
        &self.patterns[index].text
    }

    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// The bare automaton pass, for benchmarks: how fast the floor is.
    pub fn count_raw_matches(&self, text: &str) -> usize {
        self.automaton.find_iter(text).count()
    }
}

/// Acronyms match in their own case only: in sitrep's files an all-capital name of up to six
/// characters; in imported TABARI files (written all in capitals) names of up to three letters.
fn is_acronym(name: &str, imported: bool) -> bool {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    let all_caps = name.chars().all(|c| !c.is_lowercase());
    all_caps && !name.contains(' ') && letters <= if imported { 3 } else { 6 }
}

/// The spellings news uses for one name: straight or curly apostrophes, hyphens or spaces
/// after particles ("al-Nusra", "al Nusra").
fn spelling_variants(name: &str) -> Vec<String> {
    let mut variants = vec![name.to_string()];
    let widen = |variants: &mut Vec<String>, change: &dyn Fn(&str) -> String| {
        for v in variants.clone() {
            let changed = change(&v);
            if !variants.contains(&changed) {
                variants.push(changed);
            }
        }
    };
    if name.contains("al-") || name.contains("Al-") || name.contains('-') && name.contains(' ') {
        widen(&mut variants, &|v| v.replace('-', " "));
    }
    widen(&mut variants, &|v| v.replace('\'', "’"));
    widen(&mut variants, &|v| v.replace('’', "'"));
    variants
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dictionary() -> Dictionary {
        Dictionary::from_toml(
            "test.toml",
            r#"
            [[actor]]
            name = "Hayat Tahrir al-Sham"
            kind = "armed_group"
            aliases = ["HTS", "Hay'at Tahrir al-Sham"]
            former_names = [{ name = "Nusra Front", until = "2016-07-28" }]
            [[actor]]
            name = "Syria"
            kind = "country"
            demonyms = ["Syrian"]
            [[actor]]
            name = "Government of Syria"
            kind = "government"
            aliases = ["Syrian government"]
            metonyms = ["Damascus"]
            [[actor]]
            name = "Islamic State"
            kind = "armed_group"
            aliases = ["IS"]
            "#,
        )
        .unwrap()
    }

    fn name_of(d: &Dictionary, named: Named) -> String {
        match named {
            Named::Actor(i) => d.actors[i].name.clone(),
            Named::Agent(i) => d.agents[i].name.clone(),
        }
    }

    fn found(text: &str) -> Vec<(&str, &str, NameKind)> {
        let d = dictionary();
        let m = Matcher::new(&d);
        m.find(text)
            .into_iter()
            .map(|x| {
                (
                    &text[x.span.start..x.span.end],
                    Box::leak(name_of(&d, x.named).into_boxed_str()) as &str,
                    x.kind,
                )
            })
            .collect()
    }

    #[test]
    fn finds_names_aliases_former_names_demonyms_and_metonyms() {
        let text = "HTS, formerly the Nusra Front, told the Syrian government in Damascus that Syrian troops and Hay’at Tahrir al Sham fighters ...";
        assert_eq!(
            found(text),
            [
                ("HTS", "Hayat Tahrir al-Sham", NameKind::Alias),
                ("Nusra Front", "Hayat Tahrir al-Sham", NameKind::Former),
                ("Syrian government", "Government of Syria", NameKind::Alias),
                ("Damascus", "Government of Syria", NameKind::Metonym),
                ("Syrian", "Syria", NameKind::Demonym),
                (
                    "Hay’at Tahrir al Sham",
                    "Hayat Tahrir al-Sham",
                    NameKind::Alias
                ),
            ]
        );
    }

    #[test]
    fn acronyms_match_their_case_and_words_their_boundaries() {
        assert!(found("this is hts and Syriana").is_empty());
        assert_eq!(found("IS claimed it").len(), 1);
        assert_eq!(found("Syria’s army")[0].0, "Syria");
    }

    #[test]
    fn proper_names_need_their_capital_but_not_their_case() {
        assert!(
            found("the syrian desert").is_empty(),
            "lower case is a word"
        );
        assert_eq!(
            found("SYRIA TALKS")[0].1,
            "Syria",
            "headlines in capitals still match"
        );
    }

    #[test]
    fn a_later_dictionary_overrides_a_name() {
        let mut d = dictionary();
        d.extend(Dictionary::from_toml("mine.toml", "[[actor]]\nname = \"Damascus Governorate Council\"\nkind = \"government\"\nmetonyms = [\"Damascus\"]\n").unwrap());
        let m = Matcher::new(&d);
        let hit = m.find("Damascus said")[0];
        assert_eq!(name_of(&d, hit.named), "Damascus Governorate Council");
    }
}
