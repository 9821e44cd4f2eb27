//! What the tracker reads of an annotated article: its claims and events, reduced to what
//! comparing them across articles needs, and small enough to store beside the layers.

use crate::rules::Rules;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sitrep_core::{Document, Entity, Span};
use xxhash_rust::xxh3::xxh3_64;

/// The modes of events that have not happened yet.
pub const FORWARD_MODES: [&str; 3] = ["planned", "threatened", "predicted"];
/// The modes of events reported as having happened (by the outlet or a source).
pub const HAPPENED_MODES: [&str; 3] = ["occurred", "ongoing", "alleged"];
/// The modes that say an event did not happen.
pub const NOT_MODES: [&str; 2] = ["negated", "denied"];

/// A statement as the tracker compares it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimFacts {
    pub article: String,
    pub statement: String,
    pub outlet: Option<String>,
    /// The speaker's entity name, else the words naming them; the outlet for its own voice.
    pub speaker: Option<String>,
    /// The speaker's country (ISO code), where the dictionary knows it: the claimant's side.
    #[serde(default)]
    pub side: Option<String>,
    /// When it was said: the statement's date, else the article's publication day.
    pub date: Option<NaiveDate>,
    pub kind: String,
    pub form: String,
    pub text: String,
    /// Content words (lower case, cut to a stem), hashed, sorted, distinct.
    pub words: Vec<u32>,
    /// Names (lower case) of the entities the content mentions.
    pub names: Vec<String>,
    /// The events inside, as `TYPE` with place and actors.
    pub events: Vec<EventSignature>,
    pub tags: Vec<String>,
    /// The article repeats an earlier one: its statements are copies.
    #[serde(default)]
    pub near_duplicate: bool,
}

/// What two claims must share to be about the same event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventSignature {
    pub event_type: String,
    pub place: Option<String>,
    pub actors: Vec<String>,
}

/// An event as the tracker settles and corroborates it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventFacts {
    pub article: String,
    pub event: String,
    pub outlet: Option<String>,
    pub statement: Option<String>,
    /// Who claims it: the statement's speaker; None for the outlet's own voice.
    pub speaker: Option<String>,
    pub event_type: String,
    /// How it was done (PLOVER's own mode: heavy-weapons, explosives ...).
    #[serde(default)]
    pub subtype: Option<String>,
    pub mode: String,
    /// The trigger's words.
    pub text: String,
    /// The event's date, else the publication day.
    pub date: Option<NaiveDate>,
    /// When its claim was made (the statement's date, else the publication day): a
    /// forward-looking event's window opens then.
    pub said: Option<NaiveDate>,
    /// When it is due (forward-looking events only), and what said so.
    pub due: Option<NaiveDate>,
    pub due_basis: Option<String>,
    /// Actor and target names, lower case.
    pub actors: Vec<String>,
    pub targets: Vec<String>,
    pub place: Option<String>,
    pub point: Option<(f64, f64)>,
    /// The article repeats an earlier one: its reports are copies, not independent.
    pub near_duplicate: bool,
}

/// Words too common to say what a claim is about.
const STOPWORDS: &[&str] = &[
    "the", "and", "that", "this", "with", "from", "for", "was", "were", "are", "has", "have",
    "had", "been", "will", "would", "its", "their", "his", "her", "they", "them", "there", "which",
    "who", "what", "when", "where", "not", "but", "said", "says", "say", "also", "into", "about",
    "after", "before", "than", "then", "all", "any", "some", "our", "out", "over", "could",
    "should", "may", "might", "can", "did", "does", "being", "such", "these", "those", "one",
];

/// A word's stem for comparison: its first six letters ("preparing", "prepared" → "prepar").
fn stem(word: &str) -> &str {
    word.char_indices().nth(6).map_or(word, |(i, _)| &word[..i])
}

/// The hashed content words of a text.
pub fn content_words(text: &str) -> Vec<u32> {
    let mut words: Vec<u32> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
        .map(|w| xxh3_64(stem(&w).as_bytes()) as u32)
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Jaccard similarity of two sorted, distinct word lists.
pub fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    both as f64 / (a.len() + b.len() - both) as f64
}

/// The facts of one annotated article. `near_duplicate`: the store found it repeats an
/// earlier article.
pub fn of_document(
    doc: &Document,
    near_duplicate: bool,
    rules: &Rules,
) -> (Vec<ClaimFacts>, Vec<EventFacts>) {
    let published = doc
        .article
        .published
        .as_ref()
        .and_then(|p| p.date.first_day());
    // Only a day orders statements: "January" would put a report before everything that month.
    let published_day = doc.article.published.as_ref().and_then(|p| day(&p.date));
    let events: Vec<EventFacts> = doc
        .events
        .iter()
        .map(|e| event_facts(doc, e, published, near_duplicate, rules))
        .collect();
    let claims = doc
        .statements
        .iter()
        .filter_map(|s| {
            let inside: Vec<&sitrep_core::Event> = doc
                .events
                .iter()
                .filter(|e| e.statement.as_ref() == Some(&s.id))
                .collect();
            let outlets_own = s.form == "outlet_assertion";
            let forward = inside
                .iter()
                .any(|e| FORWARD_MODES.contains(&e.mode.as_str()));
            // The outlet's own reporting is a claim to track when it looks ahead.
            if outlets_own && !forward {
                return None;
            }
            let text = s.span.slice(&doc.article.text)?.to_string();
            let mut names: Vec<String> = doc
                .mentions
                .iter()
                .filter(|m| within(m.span, s.span))
                .filter_map(|m| doc.entity(m.entity.as_ref()?))
                .map(|e| e.name.to_lowercase())
                .collect();
            names.sort();
            names.dedup();
            Some(ClaimFacts {
                article: doc.article.id.clone(),
                statement: s.id.clone(),
                outlet: doc.article.outlet.clone(),
                speaker: if outlets_own {
                    doc.article.outlet.clone()
                } else {
                    speaker_name(doc, s.speaker.as_deref(), s.speaker_text.as_deref())
                },
                side: s
                    .speaker
                    .as_ref()
                    .and_then(|id| doc.entity(id))
                    .and_then(|e| e.country.clone()),
                date: s.date.as_ref().and_then(day).or(published_day),
                kind: s.kind.clone(),
                form: s.form.clone(),
                words: content_words(&text),
                text,
                names,
                events: inside
                    .iter()
                    .map(|e| EventSignature {
                        event_type: e.event_type.clone(),
                        place: e
                            .location
                            .as_ref()
                            .and_then(|id| doc.entity(id))
                            .map(|p| p.name.to_lowercase()),
                        actors: names_of(doc, &e.actors),
                    })
                    .collect(),
                tags: s.tags.clone(),
                near_duplicate,
            })
        })
        .collect();
    (claims, events)
}

fn event_facts(
    doc: &Document,
    e: &sitrep_core::Event,
    published: Option<NaiveDate>,
    near_duplicate: bool,
    rules: &Rules,
) -> EventFacts {
    let statement = e
        .statement
        .as_ref()
        .and_then(|id| doc.statements.iter().find(|s| &s.id == id));
    let said = statement
        .and_then(|s| s.date.as_ref()?.first_day())
        .or(published);
    let dated = e.time.as_ref().and_then(|t| t.first_day());
    // The words that may give a window: the claim's, else the event's sentence.
    let words = statement
        .and_then(|s| s.span.slice(&doc.article.text))
        .unwrap_or_else(|| sentence_around(&doc.article.text, e.span));
    let due = said.and_then(|said| rules.due(&e.mode, said, dated, words));
    let place = e.location.as_ref().and_then(|id| doc.entity(id));
    EventFacts {
        article: doc.article.id.clone(),
        event: e.id.clone(),
        outlet: doc.article.outlet.clone(),
        statement: statement.map(|s| s.id.clone()),
        speaker: statement
            .filter(|s| s.form != "outlet_assertion")
            .and_then(|s| speaker_name(doc, s.speaker.as_deref(), s.speaker_text.as_deref())),
        event_type: e.event_type.clone(),
        subtype: e.subtype.clone(),
        mode: e.mode.clone(),
        text: e
            .span
            .slice(&doc.article.text)
            .unwrap_or_default()
            .to_string(),
        date: dated.or(published),
        said,
        due: due.as_ref().map(|d| d.date),
        due_basis: due.map(|d| d.basis),
        actors: names_of(doc, &e.actors),
        targets: names_of(doc, &e.targets),
        place: place.map(|p| p.name.clone()),
        point: place.and_then(|p| point_of(doc, p)),
        near_duplicate,
    }
}

/// A date's day, when it is given to the day.
fn day(d: &sitrep_core::PartialDate) -> Option<NaiveDate> {
    (d.precision() == sitrep_core::DatePrecision::Day)
        .then(|| d.first_day())
        .flatten()
}

fn speaker_name(doc: &Document, entity: Option<&str>, text: Option<&str>) -> Option<String> {
    entity
        .and_then(|id| doc.entity(id))
        .map(|e| e.name.clone())
        .or_else(|| text.map(str::to_string))
}

fn names_of(doc: &Document, ids: &[String]) -> Vec<String> {
    ids.iter()
        .filter_map(|id| doc.entity(id))
        .map(|e| e.name.to_lowercase())
        .collect()
}

/// A place's point, or the point of the region an unresolved place lies in.
fn point_of(doc: &Document, place: &Entity) -> Option<(f64, f64)> {
    place.lat.zip(place.lon).or_else(|| {
        let container = doc.entity(place.within.as_ref()?)?;
        container.lat.zip(container.lon)
    })
}

fn within(inner: Span, outer: Span) -> bool {
    inner.start >= outer.start && inner.end <= outer.end
}

/// The sentence holding `span`, as far as full stops tell.
fn sentence_around(text: &str, span: Span) -> &str {
    let (Some(before), Some(after)) = (text.get(..span.start), text.get(span.end..)) else {
        return "";
    };
    let start = before.rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    let end = after
        .find(['.', '!', '?', '\n'])
        .map_or(text.len(), |i| span.end + i);
    &text[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paraphrases_share_stems_and_not_function_words() {
        let a = content_words("Militants are preparing a staged chemical attack near Saraqib.");
        let b =
            content_words("the militants prepared to stage a chemical provocation near Saraqib");
        let c = content_words("Prices of bread rose again in Damascus markets.");
        assert!(jaccard(&a, &b) > 0.4, "{}", jaccard(&a, &b));
        assert_eq!(jaccard(&a, &c), 0.0);
        assert_eq!(jaccard(&a, &a), 1.0);
    }
}
