//! The ledger's tables for analytics engines: articles, events, statements and entities,
//! each row keyed by its article (and its own id inside the article) so that tables join,
//! and each fact with its provenance — byte span into the article's text and the rule that
//! made it. Claim threads, which only the store knows, are the ledger crate's table.

use crate::parquet::{Column, Kind, Table, Value};
use crate::{ClaimRow, EventRow};
use sitrep_core::{Document, Entity, Event, Statement};

fn text(v: &str) -> Value {
    Value::Text(Some(v.to_string()))
}

fn maybe(v: &Option<String>) -> Value {
    Value::Text(v.clone())
}

fn texts(v: &[String]) -> Value {
    Value::Texts(v.to_vec())
}

fn offset(v: usize) -> Value {
    Value::Integer(Some(v as i64))
}

/// A column; `T` names the row type once for all the closures of a table.
fn col<T>(name: &'static str, kind: Kind, doc: &'static str, value: fn(&T) -> Value) -> Column<T> {
    Column {
        name,
        kind,
        doc,
        value,
    }
}

/// One row per stored article (near-duplicates included, linked to what they repeat).
pub fn articles() -> Table<Document> {
    use Kind::*;
    Table {
        name: "articles",
        doc: "One row per stored article. `text` is the text every byte span of the other tables points into.",
        columns: vec![
            col("article_id", Text, "the article's id: a hash of its normalised text", |d| text(&d.article.id)),
            col("title", Text, "headline", |d| maybe(&d.article.title)),
            col("outlet", Text, "the outlet that published it", |d| maybe(&d.article.outlet)),
            col("url", Text, "where it was read", |d| maybe(&d.article.url)),
            col("published", Text, "publication date, as precise as known (YYYY, YYYY-MM or YYYY-MM-DD)", |d| {
                Value::Text(d.article.published.as_ref().map(|p| p.date.to_string()))
            }),
            col("byline", Text, "author", |d| maybe(&d.article.byline)),
            col("language", Text, "language code", |d| maybe(&d.article.language)),
            col("duplicate_of", Text, "the article this one nearly repeats", |d| {
                Value::Text(d.article.duplicate_of.as_ref().map(|l| l.id.clone()))
            }),
            col("duplicate_similarity", Number, "estimated similarity to that article", |d| {
                Value::Number(d.article.duplicate_of.as_ref().map(|l| l.similarity))
            }),
            col("sightings", Integer, "how many times this text was seen", |d| offset(d.sightings.len())),
            col("text", Text, "the normalised text (UTF-8; spans are byte offsets into it)", |d| text(&d.article.text)),
        ],
    }
}

/// One row per event, with the words that name it.
pub fn events() -> Table<(EventRow, Event)> {
    use Kind::*;
    Table {
        name: "events",
        doc: "One row per event: who did what to whom, where and when, and its mode (did it happen). Joins `articles` on `article_id` and `statements` on (`article_id`, `statement_id`).",
        columns: vec![
            col("article_id", Text, "the article", |(r, _)| text(&r.article_id)),
            col("event_id", Text, "the event's id in the article", |(r, _)| text(&r.event_id)),
            col("type", Text, "PLOVER event type", |(r, _)| text(&r.event_type)),
            col("cameo", Text, "CAMEO code", |(r, _)| maybe(&r.cameo)),
            col("mode", Text, "occurred, ongoing, planned, threatened, predicted, alleged, denied, negated or hypothetical", |(r, _)| text(&r.mode)),
            col("subtype", Text, "PLOVER's mode of the type: how it was done", |(r, _)| maybe(&r.subtype)),
            col("contexts", Texts, "PLOVER contexts", |(r, _)| texts(&r.contexts)),
            col("actors", Texts, "the doers' names", |(r, _)| texts(&r.actors)),
            col("actor_codes", Texts, "their CAMEO-style codes, in the same order", |(r, _)| texts(&r.actor_codes)),
            col("actor_text", Text, "the words naming the doer where they are no actor entity's own name (no entity found; a resolved pronoun; a demonym; a name only modifying its noun: \"the Russian-backed offensive\")", |(r, _)| maybe(&r.actor_text)),
            col("targets", Texts, "the targets' names", |(r, _)| texts(&r.targets)),
            col("target_codes", Texts, "their codes", |(r, _)| texts(&r.target_codes)),
            col("event_date", Text, "the event's own date, as precise as the text gives it", |(r, _)| maybe(&r.event_date)),
            col("event_date_from", Text, "sentence or paragraph", |(r, _)| maybe(&r.event_date_from)),
            col("published", Text, "the article's publication date", |(r, _)| maybe(&r.published)),
            col("outlet", Text, "the outlet", |(r, _)| maybe(&r.outlet)),
            col("location", Text, "the place's name", |(r, _)| maybe(&r.location)),
            col("latitude", Number, "the place's latitude", |(r, _)| Value::Number(r.latitude)),
            col("longitude", Number, "its longitude", |(r, _)| Value::Number(r.longitude)),
            col("geo_precision", Text, "point, town, region or country", |(r, _)| maybe(&r.geo_precision)),
            col("extent_south", Number, "an area's box: south edge (null for points)", |(r, _)| Value::Number(r.extent.map(|x| x.south))),
            col("extent_west", Number, "west edge (east of the east edge across the antimeridian)", |(r, _)| Value::Number(r.extent.map(|x| x.west))),
            col("extent_north", Number, "north edge", |(r, _)| Value::Number(r.extent.map(|x| x.north))),
            col("extent_east", Number, "east edge", |(r, _)| Value::Number(r.extent.map(|x| x.east))),
            col("location_from", Text, "sentence or paragraph", |(r, _)| maybe(&r.location_from)),
            col("statement_id", Text, "the statement that claims it (null: the outlet's own report)", |(_, e)| maybe(&e.statement)),
            col("claimed_by", Text, "who claims it", |(r, _)| maybe(&r.claimed_by)),
            col("claim_form", Text, "the claim's form and kind", |(r, _)| maybe(&r.claim_form)),
            col("status", Text, "a forward-looking event's status: pending, fulfilled, unfulfilled or contradicted", |(r, _)| maybe(&r.status)),
            col("due", Text, "when it is due", |(r, _)| maybe(&r.due)),
            col("corroboration", Text, "an alleged event's standing: corroborated, single-source or disputed", |(r, _)| maybe(&r.corroboration)),
            col("corroborated_by", Texts, "articles whose independent reports corroborate it", |(r, _)| texts(&r.corroborated_by)),
            col("text", Text, "the event's words", |(r, _)| text(&r.text)),
            col("start", Integer, "byte offset of those words in the article's text", |(_, e)| offset(e.span.start)),
            col("end", Integer, "byte offset of their end", |(_, e)| offset(e.span.end)),
            col("rule", Text, "the pattern and mode rule that made it", |(r, _)| text(&r.rule)),
            col("confidence", Number, "the rule's confidence", |(r, _)| Value::Number(Some(r.confidence))),
        ],
    }
}

/// One row per statement: the outlet's own assertions and what it attributes to others.
pub fn statements() -> Table<(ClaimRow, Statement)> {
    use Kind::*;
    Table {
        name: "statements",
        doc: "One row per statement: who said what, when, in what form, through whom. Joins `articles` on `article_id`, `entities` on (`article_id`, `speaker_entity` = `entity_id`), `claims` on (`article_id`, `statement_id`).",
        columns: vec![
            col("article_id", Text, "the article", |(r, _)| text(&r.article_id)),
            col("statement_id", Text, "the statement's id in the article", |(r, _)| text(&r.statement_id)),
            col("speaker", Text, "the speaker's name, else the words naming them, else the outlet", |(r, _)| text(&r.speaker)),
            col("speaker_entity", Text, "the speaker's entity id in the article", |(_, s)| maybe(&s.speaker)),
            col("speaker_text", Text, "the words naming the speaker", |(r, _)| maybe(&r.speaker_text)),
            col("cue", Text, "the word that attributes it (said, according to ...)", |(r, _)| text(&r.cue)),
            col("form", Text, "direct_quote, indirect, according_to or outlet_assertion", |(r, _)| text(&r.form)),
            col("kind", Text, "assertion, prediction, accusation, denial, threat or allegation", |(r, _)| text(&r.kind)),
            col("date", Text, "when it was said, where the text says", |(r, _)| maybe(&r.date)),
            col("published", Text, "the article's publication date", |(r, _)| maybe(&r.published)),
            col("outlet", Text, "the outlet", |(r, _)| maybe(&r.outlet)),
            col("tags", Texts, "topic tags", |(r, _)| texts(&r.tags)),
            col("chain", Texts, "attribution from the outlet inwards: outlet, speaker, cited source", |(r, _)| texts(&r.chain)),
            col("events", Texts, "the events inside it, as TYPE mode", |(r, _)| texts(&r.events)),
            col("thread", Text, "the claim thread across articles (see claims)", |(r, _)| maybe(&r.thread)),
            col("relation", Text, "its place in the thread: origin, repeat, relay, denial or confirmation", |(r, _)| maybe(&r.relation)),
            col("text", Text, "what was said", |(r, _)| text(&r.text)),
            col("start", Integer, "byte offset of the content in the article's text", |(_, s)| offset(s.span.start)),
            col("end", Integer, "byte offset of its end", |(_, s)| offset(s.span.end)),
            col("rule", Text, "the syntactic path or pattern that made it", |(_, s)| text(&s.rule)),
        ],
    }
}

/// One row per entity of each article: actors, people, organisations and places.
pub fn entities() -> Table<(String, Entity)> {
    use Kind::*;
    Table {
        name: "entities",
        doc: "One row per entity of each article (an entity's id is its article's own). Places carry the gazetteer's facts.",
        columns: vec![
            col("article_id", Text, "the article", |(a, _)| text(a)),
            col("entity_id", Text, "the entity's id in the article", |(_, e)| text(&e.id)),
            col("kind", Text, "person, organisation, actor, place ...", |(_, e)| text(&e.kind)),
            col("name", Text, "its name", |(_, e)| text(&e.name)),
            col("aliases", Texts, "other names it goes by", |(_, e)| texts(&e.aliases)),
            col("titles", Texts, "a person's titles", |(_, e)| texts(&e.titles)),
            col("roles", Texts, "a person's roles", |(_, e)| texts(&e.roles)),
            col("country", Text, "ISO 3166-1 alpha-2 country", |(_, e)| maybe(&e.country)),
            col("code", Text, "CAMEO-style actor code", |(_, e)| maybe(&e.code)),
            col("gazetteer_id", Text, "a place's gazetteer id (geonames:ID, sitrep:NAME)", |(_, e)| maybe(&e.gazetteer_id)),
            col("latitude", Number, "a place's latitude", |(_, e)| Value::Number(e.lat)),
            col("longitude", Number, "its longitude", |(_, e)| Value::Number(e.lon)),
            col("precision", Text, "point, town, region or country", |(_, e)| maybe(&e.precision)),
            col("feature", Text, "country, admin1, city, town, village, region, road or site", |(_, e)| maybe(&e.feature)),
            col("admin1", Text, "a place's first-level division", |(_, e)| maybe(&e.admin1)),
            col("extent_south", Number, "an area's box: south edge", |(_, e)| Value::Number(e.extent.map(|x| x.south))),
            col("extent_west", Number, "west edge", |(_, e)| Value::Number(e.extent.map(|x| x.west))),
            col("extent_north", Number, "north edge", |(_, e)| Value::Number(e.extent.map(|x| x.north))),
            col("extent_east", Number, "east edge", |(_, e)| Value::Number(e.extent.map(|x| x.east))),
            col("resolved", Flag, "false for a place no gazetteer has", |(_, e)| Value::Flag(e.resolved)),
            col("within", Text, "for such a place, the entity of the region that contains it", |(_, e)| maybe(&e.within)),
        ],
    }
}

/// Pairs each row with the layer item it was drawn from (an event, a statement) — the row
/// carries what the store adds (verdicts, threads), the item its span; a row whose item is
/// gone is left out.
pub fn paired<R, L: Clone>(
    rows: Vec<R>,
    items: &[L],
    same: impl Fn(&R, &L) -> bool,
) -> Vec<(R, L)> {
    rows.into_iter()
        .filter_map(|r| {
            let item = items.iter().find(|i| same(&r, i))?.clone();
            Some((r, item))
        })
        .collect()
}
