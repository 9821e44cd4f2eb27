//! Forward-looking events settled against what followed, and alleged events weighed by who
//! else reports them. Each verdict is a pure function of the event, the events that could
//! bear on it and the store's clock, so it comes out the same however the articles arrived.

use crate::facts::{EventFacts, FORWARD_MODES, HAPPENED_MODES, NOT_MODES};
use crate::rules::SettleRules;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Statuses of forward-looking events.
pub const STATUSES: [&str; 4] = ["pending", "fulfilled", "unfulfilled", "contradicted"];

/// An article and event that bear on a verdict, and how.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Evidence {
    pub article: String,
    pub event: String,
    /// fulfils, says it did not happen, denies, corroborates.
    pub relation: String,
}

/// A forward-looking event's status, its evidence and the rule that set it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub status: String,
    pub evidence: Vec<Evidence>,
    pub rule: String,
}

/// A denial that answers a claim: who made it, where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Denial {
    pub article: String,
    pub statement: String,
    pub speaker: Option<String>,
}

/// The window an event can be checked against, for the store to fetch candidates with:
/// from when it was said to when it is due.
pub fn window(e: &EventFacts) -> Option<(NaiveDate, NaiveDate)> {
    Some((e.said.or(e.date)?, e.due?))
}

/// Whether `other` is about the same deed as `e`: same type (and how it was done, when both
/// say); near the same place when `e` has one and done by one of `e`'s actors when `e` names
/// any, else named by the same word ("offensive", not any shelling nearby); with no place,
/// named by the same word with an actor or target in common.
fn same_deed(e: &EventFacts, other: &EventFacts, rules: &SettleRules) -> bool {
    if e.event_type != other.event_type || e.article == other.article {
        return false;
    }
    if e.subtype.is_some() && other.subtype.is_some() && e.subtype != other.subtype {
        return false;
    }
    let overlap = |a: &[String], b: &[String]| a.iter().any(|n| b.contains(n));
    // The cheap tests first: settling asks this of many pairs.
    let same_word = || trigger_stem(&e.text) == trigger_stem(&other.text);
    if e.point.is_some() || e.place.is_some() {
        let near = || match (e.point, other.point) {
            (Some(p), Some(q)) => sitrep_core::geo::distance_km(p, q) <= rules.km,
            _ => e.place.is_some() && e.place == other.place,
        };
        if e.actors.is_empty() {
            near() && same_word()
        } else {
            overlap(&e.actors, &other.actors) && near()
        }
    } else {
        // With no place, "militants" and "attack" alone would match half the war.
        (overlap(&e.actors, &other.actors) || overlap(&e.targets, &other.targets)) && same_word()
    }
}

/// Events indexed for the question settling asks of each: which others could be the same
/// deed. Within a type: by grid cell (a cell is `km` across, so a deed within `km` is in one
/// of the nine cells around), by place name, and by trigger word for events with no place.
/// The question is symmetric (`a` is near `b` when `b` is near `a`), so a tracker can ask it
/// from either side: of a stored event, which new ones bear on it, and the other way round.
pub struct Index {
    events: Vec<EventFacts>,
    cell_degrees: f64,
    by_cell: HashMap<(String, i64, i64), Vec<usize>>,
    by_place: HashMap<(String, String), Vec<usize>>,
    /// Every event, by type and trigger word.
    by_word: HashMap<(String, String), Vec<usize>>,
    /// Events with no place, by type and trigger word.
    placeless: HashMap<(String, String), Vec<usize>>,
}

impl Index {
    pub fn new(events: Vec<EventFacts>, rules: &SettleRules) -> Index {
        let mut index = Index {
            cell_degrees: (rules.km / 111.0).max(0.01),
            events: Vec::new(),
            by_cell: HashMap::new(),
            by_place: HashMap::new(),
            by_word: HashMap::new(),
            placeless: HashMap::new(),
        };
        for (i, e) in events.iter().enumerate() {
            if let Some(p) = e.point {
                let (y, x) = index.cell(p);
                index
                    .by_cell
                    .entry((e.event_type.clone(), y, x))
                    .or_default()
                    .push(i);
            }
            if let Some(place) = &e.place {
                index
                    .by_place
                    .entry((e.event_type.clone(), place.clone()))
                    .or_default()
                    .push(i);
            }
            let word = (e.event_type.clone(), trigger_stem(&e.text));
            if e.point.is_none() && e.place.is_none() {
                index.placeless.entry(word.clone()).or_default().push(i);
            }
            index.by_word.entry(word).or_default().push(i);
        }
        index.events = events;
        index
    }

    fn cell(&self, (lat, lon): (f64, f64)) -> (i64, i64) {
        (
            (lat / self.cell_degrees).floor() as i64,
            (lon / self.cell_degrees).floor() as i64,
        )
    }

    /// The indexed events that could be the same deed as `e` (same type; near it, at its
    /// place, or named by its word where either has no place), itself excepted; each once.
    pub fn near(&self, e: &EventFacts) -> Vec<&EventFacts> {
        let t = &e.event_type;
        let mut found: Vec<usize> = Vec::new();
        if let Some(p) = e.point {
            let (y, x) = self.cell(p);
            // A cell is `km` tall but narrower on the ground away from the equator: reach as
            // many cells east and west as `km` spans at the row nearest a pole it can meet.
            let lat = (p.0.abs() + self.cell_degrees).min(89.0);
            let wide = (1.0 / lat.to_radians().cos()).ceil().min(64.0) as i64;
            for dy in -1..=1 {
                for dx in -wide..=wide {
                    found.extend(
                        self.by_cell
                            .get(&(t.clone(), y + dy, x + dx))
                            .into_iter()
                            .flatten(),
                    );
                }
            }
        }
        if let Some(place) = &e.place {
            found.extend(
                self.by_place
                    .get(&(t.clone(), place.clone()))
                    .into_iter()
                    .flatten(),
            );
        }
        // An event with no place meets every event named by its word; one with a place, the
        // events with no place named by its word.
        let words = if e.point.is_none() && e.place.is_none() {
            &self.by_word
        } else {
            &self.placeless
        };
        found.extend(
            words
                .get(&(t.clone(), trigger_stem(&e.text)))
                .into_iter()
                .flatten(),
        );
        found.sort_unstable();
        found.dedup();
        found
            .into_iter()
            .map(|i| &self.events[i])
            .filter(|o| !(o.article == e.article && o.event == e.event))
            .collect()
    }
}

/// The trigger's last word cut to five letters: "offensive" and "offensives" alike.
fn trigger_stem(text: &str) -> String {
    let word = text.split_whitespace().last().unwrap_or("").to_lowercase();
    word.chars().take(5).collect()
}

fn evidence(e: &EventFacts, relation: &str) -> Evidence {
    Evidence {
        article: e.article.clone(),
        event: e.event.clone(),
        relation: relation.to_string(),
    }
}

/// The denials in its thread that one of the event's supposed doers made.
fn denials_by_actor<'a>(
    e: &'a EventFacts,
    denials: &'a [Denial],
) -> impl Iterator<Item = Evidence> + 'a {
    denials
        .iter()
        .filter(|d| is_actor(e, d.speaker.as_deref()))
        .map(|d| Evidence {
            article: d.article.clone(),
            event: d.statement.clone(),
            relation: "denies".into(),
        })
}

/// Whether `speaker` is one of the event's supposed doers.
fn is_actor(e: &EventFacts, speaker: Option<&str>) -> bool {
    speaker.is_some_and(|s| e.actors.contains(&s.to_lowercase()))
}

/// How another event bears on a forward-looking one: it happened inside the window and is the
/// same deed; its supposed actor denies it (their own denial of a deed of its type, or a
/// report of theirs denying this deed) inside the window; or a report inside the window says
/// it did not happen.
fn bears_on_forward(e: &EventFacts, o: &EventFacts, rules: &SettleRules) -> Option<&'static str> {
    let (from, due) = window(e)?;
    let inside = o.date.is_some_and(|d| d >= from && d <= due);
    if !inside || o.article == e.article {
        return None;
    }
    let mode = o.mode.as_str();
    if HAPPENED_MODES.contains(&mode) && same_deed(e, o, rules) {
        Some("fulfils")
    } else if NOT_MODES.contains(&mode)
        && o.event_type == e.event_type
        && (is_actor(e, o.speaker.as_deref()) || mode == "denied" && same_deed(e, o, rules))
    {
        Some("denies")
    } else if mode == "negated" && same_deed(e, o, rules) {
        Some("says it did not happen")
    } else {
        None
    }
}

/// How another event bears on an alleged one: an independent report of the same deed within
/// days (another article that is no copy, another outlet, another claimant) corroborates it;
/// a denial of a deed of its type by its supposed actor, within days or in the same article,
/// disputes it.
fn bears_on_alleged(e: &EventFacts, o: &EventFacts, rules: &SettleRules) -> Option<&'static str> {
    let close = match (e.date, o.date) {
        (Some(a), Some(b)) => (a - b).num_days().abs() <= rules.corroboration_days,
        _ => false,
    };
    let claimant = |x: &EventFacts| {
        x.speaker
            .clone()
            .or(x.outlet.clone())
            .map(|s| s.to_lowercase())
    };
    let independent = || {
        !o.near_duplicate
            && !e.near_duplicate
            && o.outlet.is_some()
            && o.outlet != e.outlet
            && claimant(o) != claimant(e)
    };
    if HAPPENED_MODES.contains(&o.mode.as_str()) && close && same_deed(e, o, rules) && independent()
    {
        Some("corroborates")
    } else if NOT_MODES.contains(&o.mode.as_str())
        && o.event_type == e.event_type
        && is_actor(e, o.speaker.as_deref())
        && (close || o.article == e.article)
    {
        Some("denies")
    } else {
        None
    }
}

/// How a test of bearing sees another event: the relation, or None.
type Bearing = fn(&EventFacts, &EventFacts, &SettleRules) -> Option<&'static str>;

/// The others that bear on `e` in this relation, as evidence, sorted.
fn bearing(
    e: &EventFacts,
    others: &[EventFacts],
    relation: &str,
    test: Bearing,
    rules: &SettleRules,
) -> Vec<Evidence> {
    let mut found: Vec<Evidence> = others
        .iter()
        .filter(|o| test(e, o, rules) == Some(relation))
        .map(|o| evidence(o, relation))
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Whether `other` can change the verdict on `e`: what a tracker must judge `e` again for.
pub fn bears_on(e: &EventFacts, other: &EventFacts, rules: &SettleRules) -> bool {
    if other.article == e.article && other.event == e.event {
        return false;
    }
    if FORWARD_MODES.contains(&e.mode.as_str()) {
        bears_on_forward(e, other, rules).is_some()
    } else if e.mode == "alleged" {
        bears_on_alleged(e, other, rules).is_some()
    } else {
        false
    }
}

/// The status of a forward-looking event given the events that could bear on it (any
/// articles; those outside its window or about other deeds are ignored), the denials in its
/// claim's thread, and the store's clock (the newest publication day).
pub fn settle(
    e: &EventFacts,
    others: &[EventFacts],
    denials: &[Denial],
    clock: NaiveDate,
    rules: &SettleRules,
) -> Option<Verdict> {
    if !FORWARD_MODES.contains(&e.mode.as_str()) {
        return None;
    }
    let (_, due) = window(e)?;
    let bearing_as = |relation| bearing(e, others, relation, bears_on_forward, rules);
    let verdict = |status: &str, mut evidence: Vec<Evidence>, rule: String| {
        evidence.sort();
        evidence.dedup();
        Some(Verdict {
            status: status.into(),
            evidence,
            rule,
        })
    };
    let fulfilling = bearing_as("fulfils");
    if !fulfilling.is_empty() {
        return verdict(
            "fulfilled",
            fulfilling,
            format!(
                "a later {} event of the same deed inside the window (until {due})",
                e.event_type
            ),
        );
    }
    let mut denied = bearing_as("denies");
    denied.extend(denials_by_actor(e, denials));
    if !denied.is_empty() {
        return verdict(
            "contradicted",
            denied,
            "denied by its supposed actor, and nothing that happened bears it out".into(),
        );
    }
    let not_happened = bearing_as("says it did not happen");
    if !not_happened.is_empty() {
        return verdict(
            "unfulfilled",
            not_happened,
            "a later report says it did not happen".into(),
        );
    }
    if clock > due {
        return verdict(
            "unfulfilled",
            Vec::new(),
            format!("its window passed ({due}) with nothing matching"),
        );
    }
    verdict(
        "pending",
        Vec::new(),
        format!("nothing matching yet; due {due}"),
    )
}

/// How an alleged event stands: corroborated (by whom), single-source or disputed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Corroboration {
    pub corroboration: String,
    /// The articles of the independent reports.
    pub corroborated_by: Vec<String>,
    pub disputed_by: Vec<Evidence>,
    /// The independent reports themselves.
    #[serde(default)]
    pub corroborating: Vec<Evidence>,
}

/// Independent reports of the same deed (another article that is no copy, another outlet,
/// another claimant, within days) corroborate an alleged event; a denial by its supposed
/// actor disputes it.
pub fn corroborate(
    e: &EventFacts,
    others: &[EventFacts],
    denials: &[Denial],
    rules: &SettleRules,
) -> Option<Corroboration> {
    if e.mode != "alleged" {
        return None;
    }
    let bearing_as = |relation| bearing(e, others, relation, bears_on_alleged, rules);
    let corroborating = bearing_as("corroborates");
    let mut by: Vec<String> = corroborating.iter().map(|o| o.article.clone()).collect();
    by.dedup();
    let mut disputed = bearing_as("denies");
    disputed.extend(denials_by_actor(e, denials));
    disputed.sort();
    disputed.dedup();
    let status = if !by.is_empty() {
        "corroborated"
    } else if !disputed.is_empty() {
        "disputed"
    } else {
        "single-source"
    };
    Some(Corroboration {
        corroboration: status.into(),
        corroborated_by: by,
        disputed_by: disputed,
        corroborating,
    })
}

/// The events a stored verdict (a [`Verdict`] or a [`Corroboration`], as JSON) cites as
/// evidence, as (article, event): with the events that bear on it since, all that judging
/// it again needs, since a verdict keeps every event of the kind that decided it.
pub fn cited_events(verdict: &str) -> Vec<(String, String)> {
    let cited: Vec<Evidence> = if let Ok(v) = serde_json::from_str::<Verdict>(verdict) {
        v.evidence
    } else if let Ok(c) = serde_json::from_str::<Corroboration>(verdict) {
        [c.corroborating, c.disputed_by].concat()
    } else {
        Vec::new()
    };
    cited.into_iter().map(|e| (e.article, e.event)).collect()
}
