//! Where outlets report from. A local paper names its own town without saying which ("Paris
//! police said ..." in a Paris, Tennessee paper), so an outlet's home country and division
//! make its places likelier there. Homes come from sitrep's outlet registry
//! (`data/outlets.toml`) or are learned from a batch of the outlet's own articles: the
//! division that could hold most of the places they name.

use crate::resources::ResourceError;
use serde::Deserialize;
use sitrep_core::{Article, Document};
use std::collections::{HashMap, HashSet};

/// An outlet's home: its country (ISO alpha-2, as the gazetteer writes it) and, for local
/// outlets, its first-level division by the gazetteer's name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Home {
    pub country: String,
    pub admin1: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryOutlet {
    name: String,
    #[serde(default)]
    domains: Vec<String>,
    home: Home,
    /// For the people who keep the file; not used.
    #[serde(rename = "note")]
    _note: Option<String>,
}

#[derive(Deserialize)]
struct RegistryFile {
    outlet: Vec<RegistryOutlet>,
}

/// Outlets' homes, by outlet name or web domain (lower case, without `www.`).
#[derive(Debug, Clone, Default)]
pub struct OutletHomes {
    by_key: HashMap<String, Home>,
}

impl OutletHomes {
    /// The homes in a stable order, as text, for the resources' fingerprint.
    pub(crate) fn stable_text(&self) -> String {
        let mut lines: Vec<String> = self
            .by_key
            .iter()
            .map(|(key, home)| format!("{key}={home:?}"))
            .collect();
        lines.sort();
        lines.join("\n")
    }
}

/// Least evidence for a learned home: places' votes for the division, the articles they come
/// from, and the division's share of all the outlet's votes.
const LEARN_MIN_PLACES: usize = 2;
const LEARN_MIN_ARTICLES: usize = 2;
const LEARN_MIN_SHARE: f64 = 0.15;

impl OutletHomes {
    /// An outlet registry: `[[outlet]]` tables with `name`, `domains` and `home`.
    pub fn from_toml(source_name: &str, text: &str) -> Result<Self, ResourceError> {
        let file: RegistryFile = toml::from_str(text).map_err(|e| ResourceError {
            source_name: source_name.into(),
            reason: e.to_string(),
        })?;
        let mut homes = OutletHomes::default();
        for outlet in file.outlet {
            for key in std::iter::once(&outlet.name).chain(&outlet.domains) {
                homes.by_key.insert(normal_key(key), outlet.home.clone());
            }
        }
        Ok(homes)
    }

    /// Homes learned from documents the layer has annotated, with the gazetteer they were
    /// resolved against: for each outlet, the division that could hold the most of the
    /// distinct places it names (each place's vote shared among the divisions that have a
    /// place of that name, so "Tennessee" or "Henry County" say more than "Paris"), when the
    /// evidence is clear enough: votes from two articles or more, worth two places or more,
    /// and 15% of all votes or more (the rest spread thin over many divisions).
    pub fn learn(documents: &[Document], gazetteer: &sitrep_gazetteer::Gazetteer) -> Self {
        let mut names: HashMap<String, HashMap<String, HashSet<String>>> = HashMap::new();
        for doc in documents {
            let Some(key) = article_keys(&doc.article).into_iter().next() else {
                continue;
            };
            let named = names.entry(key).or_default();
            for m in doc.mentions.iter().filter(|m| m.kind == "place") {
                named
                    .entry(m.text.clone())
                    .or_default()
                    .insert(doc.article.id.clone());
            }
        }
        let mut divisions_of: HashMap<String, Vec<Home>> = HashMap::new();
        let mut homes = OutletHomes::default();
        for (key, named) in names {
            let mut votes: HashMap<Home, (f64, HashSet<&String>)> = HashMap::new();
            for (name, articles) in &named {
                let divisions = divisions_of
                    .entry(name.clone())
                    .or_insert_with(|| divisions_named(gazetteer, name));
                for home in divisions.iter() {
                    let entry = votes.entry(home.clone()).or_default();
                    entry.0 += 1.0 / divisions.len() as f64;
                    entry.1.extend(articles);
                }
            }
            let total: f64 = votes.values().map(|(v, _)| v).sum();
            let best = votes.into_iter().max_by(|a, b| {
                a.1 .0
                    .total_cmp(&b.1 .0)
                    .then_with(|| (&b.0.country, &b.0.admin1).cmp(&(&a.0.country, &a.0.admin1)))
            });
            if let Some((home, (vote, articles))) = best {
                if vote >= LEARN_MIN_PLACES as f64
                    && articles.len() >= LEARN_MIN_ARTICLES
                    && vote >= LEARN_MIN_SHARE * total
                {
                    homes.by_key.insert(key, home);
                }
            }
        }
        homes
    }

    /// Adds `other`'s homes; where both know an outlet, `other`'s wins.
    pub fn extend(&mut self, other: OutletHomes) {
        self.by_key.extend(other.by_key);
    }

    /// The home of the outlet an article comes from: by its outlet's name, else its URL's
    /// domain.
    pub fn home_of(&self, article: &Article) -> Option<&Home> {
        article_keys(article)
            .iter()
            .find_map(|key| self.by_key.get(key))
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

/// The divisions (country, first-level division) that hold a place spelt so, or that are so
/// named; none for a country's name.
fn divisions_named(gazetteer: &sitrep_gazetteer::Gazetteer, name: &str) -> Vec<Home> {
    let mut divisions: Vec<Home> = gazetteer
        .lookup_exact(name)
        .iter()
        .filter(|c| c.kind != sitrep_gazetteer::PlaceKind::Country)
        .filter_map(|c| {
            Some(Home {
                country: c.country.clone(),
                admin1: Some(c.admin1.clone()?),
            })
        })
        .collect();
    divisions.sort_by(|a, b| (&a.country, &a.admin1).cmp(&(&b.country, &b.admin1)));
    divisions.dedup();
    divisions
}

fn normal_key(key: &str) -> String {
    let key = key.trim().to_lowercase();
    key.strip_prefix("www.").map(str::to_string).unwrap_or(key)
}

/// The keys an article's outlet may be known by: its outlet's name, its URL's domain.
fn article_keys(article: &Article) -> Vec<String> {
    let domain = article.url.as_deref().and_then(|url| {
        let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
        rest.split(['/', '?', '#', ':'])
            .next()
            .filter(|d| d.contains('.'))
    });
    article
        .outlet
        .as_deref()
        .into_iter()
        .chain(domain)
        .map(normal_key)
        .filter(|k| !k.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(outlet: Option<&str>, url: Option<&str>) -> Article {
        let mut a = Article::from_normalised_text("x".into());
        a.outlet = outlet.map(str::to_string);
        a.url = url.map(str::to_string);
        a
    }

    #[test]
    fn the_registry_finds_an_outlet_by_name_or_domain() {
        let homes = OutletHomes::from_toml(
            "outlets.toml",
            "[[outlet]]\nname = \"SANA\"\ndomains = [\"sana.sy\"]\nhome = { country = \"SY\" }\n",
        )
        .unwrap();
        let syria = Some(&Home {
            country: "SY".into(),
            admin1: None,
        });
        assert_eq!(homes.home_of(&article(Some("sana"), None)), syria);
        assert_eq!(
            homes.home_of(&article(None, Some("https://www.sana.sy/en/?p=1"))),
            syria
        );
        assert_eq!(homes.home_of(&article(Some("Reuters"), None)), None);
        assert!(OutletHomes::from_toml("bad.toml", "[[outlet]]\nname = 1\n")
            .unwrap_err()
            .to_string()
            .contains("bad.toml"));
    }
}
