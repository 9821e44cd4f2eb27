//! Where outlets report from. A local paper names its own town without saying which ("Paris
//! police said ..." in a Paris, Tennessee paper), so an outlet's home country and division
//! make its places likelier there. Homes come from sitrep's outlet registry
//! (`data/outlets.toml`) or are learned from a batch of the outlet's own articles: the
//! division whose being the home makes the places they name likeliest.

use crate::resources::ResourceError;
use serde::Deserialize;
use sitrep_core::{Article, Document};
use sitrep_gazetteer::PlaceKind;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// An outlet's home: its country (ISO alpha-2, as the gazetteer writes it) and, for local
/// outlets, its first-level division and its town by the gazetteer's names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Home {
    pub country: String,
    pub admin1: Option<String>,
    /// The town a local paper serves, which it names without saying where ("the Jordan
    /// resident", "508 Cumberland St., Lebanon"); only with `admin1`.
    #[serde(default)]
    pub town: Option<String>,
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
#[serde(deny_unknown_fields)]
struct RegistryFile {
    /// Country-code domains that say nothing of where an outlet is (".tv", ".io").
    #[serde(default)]
    generic_country_domains: Vec<String>,
    outlet: Vec<RegistryOutlet>,
}

/// Outlets' homes, by outlet name or web domain (lower case, without `www.`).
#[derive(Debug, Clone, Default)]
pub struct OutletHomes {
    by_key: HashMap<String, Home>,
    generic_country_domains: HashSet<String>,
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

/// Least evidence for a learned home: names that may be places in the division, the articles
/// naming them, and how far the division's score leads the next one's (a log of odds).
const LEARN_MIN_PLACES: usize = 2;
const LEARN_MIN_ARTICLES: usize = 2;
const LEARN_MIN_MARGIN: f64 = 3.0;
/// The odds that a place an outlet names lies at its home rather than anywhere in the world.
const HOME_ODDS: f64 = 0.1;
/// The least share of the world's settlements a division is taken to hold.
const LEAST_WORLD_SHARE: f64 = 0.001;

impl OutletHomes {
    /// An outlet registry: `[[outlet]]` tables with `name`, `domains` and `home`.
    pub fn from_toml(source_name: &str, text: &str) -> Result<Self, ResourceError> {
        let file: RegistryFile = toml::from_str(text).map_err(|e| ResourceError {
            source_name: source_name.into(),
            reason: e.to_string(),
        })?;
        let mut homes = OutletHomes {
            generic_country_domains: file
                .generic_country_domains
                .iter()
                .map(|d| d.trim_start_matches('.').to_lowercase())
                .collect(),
            ..OutletHomes::default()
        };
        for outlet in file.outlet {
            for key in std::iter::once(&outlet.name).chain(&outlet.domains) {
                homes.by_key.insert(normal_key(key), outlet.home.clone());
            }
        }
        Ok(homes)
    }

    /// Homes learned from documents the layer has annotated, with the gazetteer they were
    /// resolved against. Each distinct name (in any case: "WINDSOR" is "Windsor") weighs for
    /// the divisions holding a place so named: by the log of how much likelier the name is
    /// if the outlet's home is there, which grows with the division's share of what the name
    /// may mean (a name the layer read as a division, "Virginia" or "Ky.", is wholly that
    /// division's; a town's share goes by population, so "Moscow" says little for Idaho) and
    /// shrinks with the division's share of the world's settlements (a Portland in
    /// Connecticut says more than one in a state of thousands of towns). Of the divisions two
    /// names or more point at, the home is the one with the most weight, when the names come
    /// from two articles or more and its weight leads the next one's by
    /// [`LEARN_MIN_MARGIN`]. An outlet whose domain has a country's code (see
    /// [`OutletHomes::home_of`]) has its home in that country. The registry (`self`) says
    /// which country codes say nothing, and its outlets keep the homes it gives them.
    pub fn learn(&self, documents: &[Document], gazetteer: &sitrep_gazetteer::Gazetteer) -> Self {
        let mut names: HashMap<String, HashMap<String, HashSet<String>>> = HashMap::new();
        let mut read_as_division: HashMap<String, HashMap<String, Home>> = HashMap::new();
        let mut domain_countries: HashMap<String, Option<String>> = HashMap::new();
        for doc in documents {
            let keys = article_keys(&doc.article);
            // An outlet the registry knows keeps the registry's home.
            let Some(key) = keys
                .first()
                .filter(|k| !self.by_key.contains_key(*k))
                .cloned()
            else {
                continue;
            };
            domain_countries
                .entry(key.clone())
                .or_insert_with(|| keys.iter().find_map(|k| self.domain_country(k)));
            let named = names.entry(key.clone()).or_default();
            for m in doc.mentions.iter().filter(|m| m.kind == "place") {
                let name = folded(&m.text);
                if let Some(division) = division_read(doc, m) {
                    read_as_division
                        .entry(key.clone())
                        .or_default()
                        .insert(name.clone(), division);
                }
                named
                    .entry(name)
                    .or_default()
                    .insert(doc.article.id.clone());
            }
        }
        let mut shares_of: HashMap<String, Vec<(Home, f64)>> = HashMap::new();
        let no_divisions = HashMap::new();
        let mut homes = OutletHomes::default();
        for (key, named) in names {
            let read = read_as_division.get(&key).unwrap_or(&no_divisions);
            let outlet = Outlet {
                key: &key,
                country: domain_countries.get(&key).and_then(Option::as_deref),
                named: &named,
                read_as_division: read,
            };
            let learned = learn_home(gazetteer, &outlet, &mut shares_of);
            if let Some(home) = learned {
                homes.by_key.insert(key, home);
            }
        }
        homes
    }

    /// Adds `other`'s homes; where both know an outlet, `other`'s wins.
    pub fn extend(&mut self, other: OutletHomes) {
        self.by_key.extend(other.by_key);
        self.generic_country_domains
            .extend(other.generic_country_domains);
    }

    /// The home of the outlet an article comes from: by its outlet's name, else its URL's
    /// domain; else the country its domain's country code names ("lfpress.ca": Canada).
    pub fn home_of(&self, article: &Article) -> Option<Cow<'_, Home>> {
        let keys = article_keys(article);
        if let Some(home) = keys.iter().find_map(|key| self.by_key.get(key)) {
            return Some(Cow::Borrowed(home));
        }
        let country = keys.iter().find_map(|key| self.domain_country(key))?;
        Some(Cow::Owned(Home {
            country,
            admin1: None,
            town: None,
        }))
    }

    /// The country (ISO alpha-2) of a domain's country code: ".ca" Canada, ".co.uk" the
    /// United Kingdom; none for generic domains (".com") or codes sold for other uses.
    fn domain_country(&self, key: &str) -> Option<String> {
        let (_, code) = key.rsplit_once('.')?;
        if code.len() != 2
            || !code.chars().all(|c| c.is_ascii_lowercase())
            || self.generic_country_domains.contains(code)
        {
            return None;
        }
        Some(if code == "uk" {
            "GB".into()
        } else {
            code.to_uppercase()
        })
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

/// An outlet's home from the places its articles name (`named`: each name and the articles
/// naming it). A town the outlet is named after ("theparisnews.com", "Jordan News") that its
/// articles name is its home, in the division the other places weigh for most; otherwise
/// the division with the clearest lead, and the town it names most if it names one in most
/// reports.
fn learn_home(
    gazetteer: &sitrep_gazetteer::Gazetteer,
    outlet: &Outlet<'_>,
    shares_of: &mut HashMap<String, Vec<(Home, f64)>>,
) -> Option<Home> {
    let named = outlet.named;
    let sizes = gazetteer.settlements_by_division();
    let mut evidence: HashMap<Home, Evidence> = HashMap::new();
    // In the names' order, so that every run sums the same floats the same way.
    let mut in_order: Vec<(&String, &HashSet<String>)> = named.iter().collect();
    in_order.sort_by_key(|(name, _)| *name);
    for (name, articles) in in_order {
        let read;
        let shares: &[(Home, f64)] = match outlet.read_as_division.get(name) {
            Some(division) => {
                read = [(division.clone(), 1.0)];
                &read
            }
            None => shares_of
                .entry(name.clone())
                .or_insert_with(|| division_shares(gazetteer, name)),
        };
        for (home, share) in shares.iter().filter(|(h, _)| outlet.may_be_home(h)) {
            let e = evidence.entry(home.clone()).or_default();
            e.score += (1.0 + HOME_ODDS * share / world_share(&sizes, home)).ln();
            e.names += 1;
            e.articles.extend(articles);
        }
    }
    let weight_for = |home: &Home| evidence.get(home).map_or(0.0, |e| e.score);
    if let Some(home) = town_in_name(gazetteer, outlet, weight_for) {
        return Some(home);
    }
    // A division only one name points at is no home, however rare the name.
    let mut ranked: Vec<(&Home, &Evidence)> = evidence
        .iter()
        .filter(|(_, e)| e.names >= LEARN_MIN_PLACES)
        .collect();
    ranked.sort_by(|a, b| {
        b.1.score
            .total_cmp(&a.1.score)
            .then_with(|| (&a.0.country, &a.0.admin1).cmp(&(&b.0.country, &b.0.admin1)))
    });
    let (home, best) = ranked.first()?;
    let runner_up = ranked.get(1).map_or(0.0, |(_, e)| e.score);
    let clear =
        best.articles.len() >= LEARN_MIN_ARTICLES && best.score - runner_up >= LEARN_MIN_MARGIN;
    if !clear {
        return None;
    }
    let mut home = (*home).clone();
    home.town = home_town(gazetteer, &home, named);
    Some(home)
}

/// An outlet whose home is being learned: its key, its domain's country, and what its
/// articles name.
#[derive(Clone, Copy)]
struct Outlet<'a> {
    key: &'a str,
    country: Option<&'a str>,
    /// Each name (folded) and the articles naming it.
    named: &'a HashMap<String, HashSet<String>>,
    /// The names the layer read as a first-level division, with it.
    read_as_division: &'a HashMap<String, Home>,
}

impl Outlet<'_> {
    fn may_be_home(&self, home: &Home) -> bool {
        self.country.is_none_or(|c| home.country == c)
    }
}

/// What an outlet's places say for one division.
#[derive(Default)]
struct Evidence<'a> {
    /// The log of how much likelier the names are if the outlet's home is the division.
    score: f64,
    /// The names that may be places in it, and the articles naming them.
    names: usize,
    articles: HashSet<&'a String>,
}

/// A division's share of the world's settlements, as the gazetteer counts them (at least
/// [`LEAST_WORLD_SHARE`], so a division of a handful of places is not a certainty).
fn world_share(sizes: &sitrep_gazetteer::DivisionSizes, home: &Home) -> f64 {
    let size = home
        .admin1
        .as_ref()
        .and_then(|a| sizes.by_division.get(&(home.country.clone(), a.clone())))
        .copied()
        .unwrap_or(0);
    (size as f64 / sizes.total.max(1) as f64).max(LEAST_WORLD_SHARE)
}

/// Least letters of a town's name for it to be read in an outlet's name or domain.
const TOWN_IN_NAME_MIN_LETTERS: usize = 4;

/// The town an outlet is named after, if its articles name it (in two or more): the one of
/// that name in the division the outlet's places weigh for most.
fn town_in_name(
    gazetteer: &sitrep_gazetteer::Gazetteer,
    outlet: &Outlet<'_>,
    weight_for: impl Fn(&Home) -> f64,
) -> Option<Home> {
    let Outlet { key, named, .. } = *outlet;
    let label: String = key
        .split('.')
        .next()
        .unwrap_or(key)
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    let mut towns: Vec<(f64, Home)> = Vec::new();
    for (name, articles) in named {
        let letters: String = name
            .chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
            .collect();
        if articles.len() < LEARN_MIN_ARTICLES
            || letters.chars().count() < TOWN_IN_NAME_MIN_LETTERS
            || !label.contains(&letters)
        {
            continue;
        }
        for town in gazetteer.lookup_exact(name).into_iter().filter(|c| {
            c.name_match > 0.99
                && c.own_name
                && matches!(
                    c.kind,
                    PlaceKind::City | PlaceKind::Town | PlaceKind::Village
                )
        }) {
            let home = Home {
                country: town.country.clone(),
                admin1: town.admin1.clone(),
                town: Some(town.name.clone()),
            };
            let weight = weight_for(&Home {
                town: None,
                ..home.clone()
            });
            if home.admin1.is_some() && outlet.may_be_home(&home) {
                towns.push((weight, home));
            }
        }
    }
    towns
        .into_iter()
        .max_by(|a, b| {
            a.0.total_cmp(&b.0).then_with(|| {
                let place = |h: &Home| (h.country.clone(), h.admin1.clone(), h.town.clone());
                place(&b.1).cmp(&place(&a.1))
            })
        })
        .map(|(_, home)| home)
}

/// Least share of an outlet's articles that must name its town for the town to be learned.
const TOWN_MIN_SHARE: f64 = 0.3;

/// The town of its home division that an outlet names in the most articles, when that is a
/// good share of them (a local paper names its own town in most of its reports) and in more
/// than one: the gazetteer's name for it.
fn home_town(
    gazetteer: &sitrep_gazetteer::Gazetteer,
    home: &Home,
    named: &HashMap<String, HashSet<String>>,
) -> Option<String> {
    let all_articles: HashSet<&String> = named.values().flatten().collect();
    let least = (TOWN_MIN_SHARE * all_articles.len() as f64).max(LEARN_MIN_ARTICLES as f64);
    let mut towns: Vec<(usize, String)> = named
        .iter()
        .filter(|(_, articles)| articles.len() as f64 >= least)
        .filter_map(|(name, articles)| {
            let town = gazetteer.lookup_exact(name).into_iter().find(|c| {
                c.own_name
                    && matches!(
                        c.kind,
                        PlaceKind::City | PlaceKind::Town | PlaceKind::Village
                    )
                    && c.country == home.country
                    && c.admin1 == home.admin1
            })?;
            Some((articles.len(), town.name.clone()))
        })
        .collect();
    towns.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    towns.into_iter().next().map(|(_, town)| town)
}

/// A name as the learner counts it: "WINDSOR" is "Windsor", while a code in capitals ("NYC")
/// stays one, as the gazetteer matches codes only so.
fn folded(name: &str) -> String {
    if sitrep_gazetteer::names::is_code(name) {
        name.to_string()
    } else {
        name.to_lowercase()
    }
}

/// The division a place mention was read as, when the layer took it for a first-level
/// division ("Virginia", "Ky.", "Ontario"): such a name weighs for that division alone, where a
/// town's name is shared among every division with a town so named.
fn division_read(doc: &Document, mention: &sitrep_core::Mention) -> Option<Home> {
    let id = mention.entity.as_deref()?;
    let entity = doc.entities.iter().find(|e| e.id == id)?;
    // A country actor's code is ISO alpha-3; only a place's is the gazetteer's alpha-2.
    (entity.kind == "place" && entity.feature.as_deref() == Some("admin1")).then_some(())?;
    Some(Home {
        country: entity.country.clone()?,
        admin1: Some(entity.admin1.clone()?),
        town: None,
    })
}

/// The divisions (country, first-level division) that hold a place spelt so, each with its
/// share of what the name is likely to mean (a country of the name aside): places weigh by the
/// square root of their population, so "Moscow" says little for Idaho.
fn division_shares(gazetteer: &sitrep_gazetteer::Gazetteer, name: &str) -> Vec<(Home, f64)> {
    let weighed: Vec<(Home, f64)> = gazetteer
        .lookup_exact(name)
        .iter()
        .filter(|c| c.kind != sitrep_gazetteer::PlaceKind::Country)
        .filter_map(|c| {
            let home = Home {
                country: c.country.clone(),
                admin1: Some(c.admin1.clone()?),
                town: None,
            };
            Some((home, (c.population.max(LEAST_POPULATION) as f64).sqrt()))
        })
        .collect();
    let total: f64 = weighed.iter().map(|(_, w)| w).sum();
    let mut shares: Vec<(Home, f64)> = Vec::new();
    for (home, weight) in weighed {
        match shares.iter_mut().find(|(h, _)| *h == home) {
            Some((_, share)) => *share += weight / total,
            None => shares.push((home, weight / total)),
        }
    }
    shares
}

/// The population a place with none recorded (or fewer) is weighed as.
const LEAST_POPULATION: u64 = 500;

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
    fn a_domains_country_code_is_the_home_country_of_an_outlet_the_registry_lacks() {
        let homes = OutletHomes::from_toml(
            "outlets.toml",
            "generic_country_domains = [\"tv\"]\n[[outlet]]\nname = \"SANA\"\n\
             domains = [\"sana.sy\"]\nhome = { country = \"SY\", admin1 = \"Dimashq\" }\n",
        )
        .unwrap();
        let country = |url: &str| {
            homes
                .home_of(&article(None, Some(url)))
                .map(|h| (h.country.clone(), h.admin1.clone()))
        };
        assert_eq!(
            country("https://lfpress.ca/news/1"),
            Some(("CA".into(), None))
        );
        assert_eq!(
            country("https://www.thetimes.co.uk/a"),
            Some(("GB".into(), None))
        );
        assert_eq!(
            country("https://sana.sy/en/?p=1"),
            Some(("SY".into(), Some("Dimashq".into()))),
            "the registry's entry first"
        );
        assert_eq!(
            country("https://news.example.tv/1"),
            None,
            "a code sold for other uses"
        );
        assert_eq!(country("https://www.example.com/1"), None);
        assert_eq!(country("file:///tmp/a.txt"), None);
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
            town: None,
        });
        assert_eq!(
            homes.home_of(&article(Some("sana"), None)).as_deref(),
            syria
        );
        assert_eq!(
            homes
                .home_of(&article(None, Some("https://www.sana.sy/en/?p=1")))
                .as_deref(),
            syria
        );
        assert_eq!(homes.home_of(&article(Some("Reuters"), None)), None);
        assert!(OutletHomes::from_toml("bad.toml", "[[outlet]]\nname = 1\n")
            .unwrap_err()
            .to_string()
            .contains("bad.toml"));
    }
}
