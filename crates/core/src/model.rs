//! The article and the layers of spans over it (DESIGN.md §3).
//!
//! Optional facts serialise as `null` on the article (its fields are always present) and are
//! omitted elsewhere, so the example document of §3 round-trips unchanged.

use crate::date::{PartialDate, Published};
use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into `article.text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// The spanned text, or `None` if the span does not fall on character boundaries of `text`.
    pub fn slice<'t>(&self, text: &'t str) -> Option<&'t str> {
        text.get(self.start..self.end)
    }
}

/// One report: its immutable normalised text and what is known about where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable hash of the normalised text ([`crate::text::article_id`]): same text, same id.
    pub id: String,
    /// The `id` the caller gave this article in a JSONL line, echoed back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub outlet: Option<String>,
    #[serde(default)]
    pub byline: Option<String>,
    #[serde(default)]
    pub published: Option<Published>,
    /// Language tag as declared by the source (primary subtag, lower case: `en`).
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub image: Option<String>,
    pub text: String,
    /// Set by the store when this text nearly repeats an article stored earlier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<DuplicateLink>,
}

impl Article {
    /// An article over already-normalised text, with its id computed and no metadata.
    pub fn from_normalised_text(text: String) -> Self {
        Article {
            id: crate::text::article_id(&text),
            source_id: None,
            url: None,
            title: None,
            outlet: None,
            byline: None,
            published: None,
            language: None,
            image: None,
            text,
            duplicate_of: None,
        }
    }
}

/// A near-duplicate link: this article's text repeats `id`'s with the estimated similarity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateLink {
    pub id: String,
    /// Estimated Jaccard similarity of the two texts' word shingles, 0..=1.
    pub similarity: f64,
}

/// One place an article was seen: a file, a feed item, a JSONL line. An article republished by
/// several outlets is stored once with one sighting each, so no outlet's copy is lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sighting {
    pub origin: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub seen_at: String,
    /// When a revision of the text was last seen at this address (updated in place).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Revisions seen at this address since the stored text.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub revisions: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A span naming something: a person, an organisation, a place, a time...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub id: String,
    /// person, organization, group, place, time, quantity, weapon.
    pub kind: String,
    #[serde(flatten)]
    pub span: Span,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// The rule or dictionary entry that produced the mention.
    pub rule: String,
    /// For a time mention: the date it names, as precisely as the text allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<PartialDate>,
    /// For a time mention naming a period ("over the past year"): where the period ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_until: Option<PartialDate>,
}

/// Something with identity across articles: an actor or a place.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    /// person, government, military, armed_group, party, media, country, organization, place ...
    pub kind: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former_names: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub titles: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// ISO country code (alpha-3 for actors, alpha-2 for places, as their sources give them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// CAMEO-style actor code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gazetteer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// point, town, region, country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<String>,
    /// A place's feature type: country, admin1, city, town, village, region, road, site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    /// A place's first-level division.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    /// A road's course, as [lat, lon] points.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub line: Vec<[f64; 2]>,
    /// An area's box (country, division, continent): the place is somewhere inside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extent: Option<crate::geo::Extent>,
    /// `false` for a place no gazetteer has; it then points at its best container via `within`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<String>,
}

/// A claim: who said what, when, in what form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_text: Option<String>,
    pub cue: String,
    /// direct_quote, indirect, according_to, outlet_assertion.
    pub form: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// assertion, prediction, accusation, denial, threat, allegation.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Attribution from the outlet inwards: outlet → speaker → cited source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<String>,
    /// What made it: the syntactic path ("syntax: nsubj of said → ccomp") or the word pattern.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rule: String,
    #[serde(flatten)]
    pub span: Span,
}

/// Who did what to whom, where and when, and whether it happened at all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    /// PLOVER event type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// CAMEO code, for compatibility: the root for sitrep's own triggers, the full code from an
    /// imported verb dictionary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cameo: Option<String>,
    /// occurred, ongoing, planned, threatened, predicted, alleged, denied, negated, hypothetical.
    pub mode: String,
    /// How it was done: PLOVER's own "mode" of the type (heavy-weapons, curfew, visit ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype: Option<String>,
    /// PLOVER contexts: the domains the event belongs to (military, diplomatic, refugee ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contexts: Vec<String>,
    #[serde(default)]
    pub actors: Vec<String>,
    /// The words the text names the doer by, where they are no actor entity's own name: with
    /// no entity found ("They", "gunmen": kept uncoded rather than guessed), and beside the
    /// entity of a pronoun ("she"), of a demonym ("Nigerians") or of a name only modifying the
    /// doer's noun ("the Russian-backed offensive", "several EU countries").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_text: Option<String>,
    #[serde(default)]
    pub targets: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Where the location came from: `sentence` or `paragraph`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_from: Option<String>,
    /// When, as the event's sentence (else its paragraph) dates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<PartialDate>,
    /// Where the time came from: `sentence` or `paragraph`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    #[serde(flatten)]
    pub span: Span,
    pub rule: String,
    pub confidence: f64,
}

/// One processed article: the contract every output of sitrep derives from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub article: Article,
    #[serde(default)]
    pub mentions: Vec<Mention>,
    #[serde(default)]
    pub entities: Vec<Entity>,
    #[serde(default)]
    pub statements: Vec<Statement>,
    #[serde(default)]
    pub events: Vec<Event>,
    /// Every place this article was seen (from the store; empty for `extract`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sightings: Vec<Sighting>,
    /// Stored articles whose text nearly repeats this one's (from the store).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub near_duplicates: Vec<DuplicateLink>,
    /// What went less than perfectly while reading the input (e.g. a guessed encoding).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl Document {
    /// A document with the article alone; the language layers are filled by later stages.
    pub fn new(article: Article) -> Self {
        Document {
            article,
            mentions: Vec::new(),
            entities: Vec::new(),
            statements: Vec::new(),
            events: Vec::new(),
            sightings: Vec::new(),
            near_duplicates: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The entity with this id. sitrep numbers entities `e1`, `e2` ... in order, so that is
    /// looked at first; any other id is searched for.
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        let numbered = id
            .strip_prefix('e')
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| self.entities.get(n.checked_sub(1)?))
            .filter(|e| e.id == id);
        numbered.or_else(|| self.entities.iter().find(|e| e.id == id))
    }

    /// Spans that do not fit the text, named by layer and id: a document is only valid with none.
    pub fn invalid_spans(&self) -> Vec<String> {
        let text = &self.article.text;
        let spans = self
            .mentions
            .iter()
            .map(|m| ("mention", &m.id, m.span))
            .chain(self.statements.iter().map(|s| ("statement", &s.id, s.span)))
            .chain(self.events.iter().map(|e| ("event", &e.id, e.span)));
        spans
            .filter(|(_, _, span)| span.start > span.end || span.slice(text).is_none())
            .map(|(layer, id, span)| format!("{layer} {id}: {}..{}", span.start, span.end))
            .collect()
    }
}
