//! Actors and dictionaries of them, loaded from sitrep's TOML or imported from TABARI format.

use serde::Deserialize;
use sitrep_core::ImportIssue;
use std::path::Path;

/// One actor with every name it goes by.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub name: String,
    /// country, region, government, military, ministry, security_service, armed_group, party,
    /// igo, ngo, media, person, organization.
    pub kind: String,
    /// ISO 3166-1 alpha-3.
    pub country: Option<String>,
    /// CAMEO-style code.
    pub code: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub former_names: Vec<DatedName>,
    /// Countries: "Syrian", "Turkish".
    #[serde(default)]
    pub demonyms: Vec<String>,
    /// Places that stand for the actor: "Damascus" for the Syrian government.
    #[serde(default)]
    pub metonyms: Vec<String>,
    #[serde(default)]
    pub titles: Vec<String>,
    #[serde(default)]
    pub roles: Vec<String>,
    /// Canonical name of the actor this one belongs to.
    pub part_of: Option<String>,
    /// Codes valid only in a date range (TABARI's `[SYRGOV >000717]`).
    #[serde(default)]
    pub dated_codes: Vec<DatedCode>,
    /// Where the entry came from: `sitrep:armed_groups.toml` or `Phoenix.Countries.actors.txt:45768`.
    #[serde(skip)]
    pub source: String,
}

/// A name used between two dates (either may be open).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedName {
    pub name: String,
    pub from: Option<String>,
    pub until: Option<String>,
}

/// A code used between two dates, as `YYYY-MM-DD` (either may be open).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedCode {
    pub code: String,
    pub from: Option<String>,
    pub until: Option<String>,
}

impl Actor {
    /// The actor's code on a date: a dated code covering the date, else the plain code.
    /// ISO dates compare correctly as strings.
    pub fn code_on(&self, date: Option<&str>) -> Option<&str> {
        let covering = date.and_then(|d| {
            self.dated_codes.iter().find(|c| {
                c.from.as_deref().is_none_or(|f| f <= d) && c.until.as_deref().is_none_or(|u| d < u)
            })
        });
        covering
            .map(|c| c.code.as_str())
            .or(self.code.as_deref())
            .or_else(|| self.dated_codes.last().map(|c| c.code.as_str()))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DictionaryError {
    #[error("{source_name}: {reason}")]
    Invalid { source_name: String, reason: String },
    #[error("{path}: {reason}")]
    Io { path: String, reason: String },
}

/// A role noun that names a kind of actor rather than one actor: "police", "rebels",
/// "residents". With a country before it ("Syrian police") it makes a compound actor whose
/// code is the country's followed by the agent's (SYR + COP).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    pub name: String,
    /// Every form matched: singular, plurals, variants.
    pub forms: Vec<String>,
    /// CAMEO agent code, without TABARI's `~`: COP, MIL, REB, GOV, CVL ...
    pub code: String,
    /// The code goes before the country's rather than after (TABARI's `[IGO~]`).
    #[serde(default)]
    pub before_country: bool,
    #[serde(skip)]
    pub source: String,
}

/// A set of actors and agents; later entries win when two claim the same name.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    pub actors: Vec<Actor>,
    pub agents: Vec<Agent>,
}

/// sitrep's own dictionary files, compiled in.
const BUILTIN: &[(&str, &str)] = &[
    (
        "countries.toml",
        include_str!("../../../data/actors/countries.toml"),
    ),
    (
        "regions.toml",
        include_str!("../../../data/actors/regions.toml"),
    ),
    (
        "governments.toml",
        include_str!("../../../data/actors/governments.toml"),
    ),
    (
        "militaries.toml",
        include_str!("../../../data/actors/militaries.toml"),
    ),
    (
        "armed_groups.toml",
        include_str!("../../../data/actors/armed_groups.toml"),
    ),
    (
        "parties.toml",
        include_str!("../../../data/actors/parties.toml"),
    ),
    (
        "organizations.toml",
        include_str!("../../../data/actors/organizations.toml"),
    ),
    (
        "media.toml",
        include_str!("../../../data/actors/media.toml"),
    ),
    (
        "persons.toml",
        include_str!("../../../data/actors/persons.toml"),
    ),
    (
        "agents.toml",
        include_str!("../../../data/actors/agents.toml"),
    ),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    actor: Vec<Actor>,
    #[serde(default)]
    agent: Vec<Agent>,
}

impl Dictionary {
    /// sitrep's own curated dictionary (`data/actors`).
    pub fn builtin() -> Self {
        let mut dictionary = Dictionary::default();
        for (name, text) in BUILTIN {
            let file = Self::from_toml(&format!("sitrep:{name}"), text)
                .unwrap_or_else(|e| panic!("the built-in dictionary is checked by tests: {e}"));
            dictionary.extend(file);
        }
        dictionary
    }

    /// Names of the built-in files, for tests that check every data file is compiled in.
    pub fn builtin_files() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(name, _)| *name)
    }

    /// The built-in files' texts, for fingerprints of what made an annotation.
    pub fn builtin_texts() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(_, text)| *text)
    }

    /// Reads sitrep's TOML format: `[[actor]]` and `[[agent]]` tables.
    pub fn from_toml(source_name: &str, text: &str) -> Result<Self, DictionaryError> {
        let invalid = |reason: String| DictionaryError::Invalid {
            source_name: source_name.into(),
            reason,
        };
        let file: TomlFile = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let (mut actors, mut agents) = (file.actor, file.agent);
        for actor in &mut actors {
            if actor.name.trim().is_empty() || actor.kind.trim().is_empty() {
                return Err(invalid(format!(
                    "an actor needs a name and a kind: {:?}",
                    actor.name
                )));
            }
            actor.source = format!("{source_name}#{}", actor.name);
        }
        for agent in &mut agents {
            if agent.name.trim().is_empty()
                || agent.code.trim().is_empty()
                || agent.forms.is_empty()
            {
                return Err(invalid(format!(
                    "an agent needs a name, forms and a code: {:?}",
                    agent.name
                )));
            }
            agent.source = format!("{source_name}#{}", agent.name);
        }
        Ok(Dictionary { actors, agents })
    }

    /// Imports a TABARI/PETRARCH actor dictionary; lines it cannot read are returned, with why.
    pub fn from_tabari(source_name: &str, text: &str) -> (Self, Vec<ImportIssue>) {
        crate::tabari::import(source_name, text)
    }

    /// Loads a dictionary file in either format (see [`Dictionary::from_text`]).
    pub fn load(path: &Path) -> Result<(Self, Vec<ImportIssue>), DictionaryError> {
        let bytes = std::fs::read(path).map_err(|e| DictionaryError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        Self::from_text(&name, &sitrep_core::dictionary_file::decode(bytes))
    }

    /// Reads a dictionary in either format: TOML if it declares `[[actor]]` or `[[agent]]`
    /// tables, TABARI otherwise.
    pub fn from_text(name: &str, text: &str) -> Result<(Self, Vec<ImportIssue>), DictionaryError> {
        if text
            .lines()
            .any(|l| matches!(l.trim(), "[[actor]]" | "[[agent]]"))
        {
            Ok((Self::from_toml(name, text)?, Vec::new()))
        } else {
            Ok(Self::from_tabari(name, text))
        }
    }

    pub fn extend(&mut self, other: Dictionary) {
        self.actors.extend(other.actors);
        self.agents.extend(other.agents);
    }

    pub fn find(&self, canonical_name: &str) -> Option<&Actor> {
        self.actors.iter().find(|a| a.name == canonical_name)
    }
}
