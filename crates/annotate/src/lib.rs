//! The language layer: from an article's text to its mentions, entities, statements and events.
//!
//! A pure function of the article and read-only [`Resources`]: tokens and sentences
//! (sitrep-tokens) → mentions of actors, people and times → entities across the article →
//! statements → events with their mode. Every mention, statement and event records the rule
//! or dictionary entry behind it.

mod attribution;
mod entities;
mod event_syntax;
mod events;
mod outlets;
mod places;
mod resources;
mod statements;
pub mod times;

pub use outlets::{Home, OutletHomes};
pub use places::{
    area_named, candidate_points, is_small_settlement, names_large_area, resolve_spans,
};
pub use resources::{Cue, DictionaryChoice, EventPattern, EventPatterns, ResourceError, Resources};

use sitrep_core::geo::Extent;
use sitrep_core::{Article, Document, Entity, Mention, Statement};
use std::collections::HashMap;

/// A dateline in capitals before a dash ("TORONTO — ", "ST. LOUIS, Mo. (AP) – ", "(NEW YORK)
/// — ") at a sentence's start: it is no part of the sentence's grammar, and parsed with it, the
/// city becomes the subject. A dash lost to a wrong decoding ("BEIRUT (AP) \u{FFFD} ") still
/// ends one.
static DATELINE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"^(?:\(\p{Lu}[\p{Lu}.’' \-]*[\p{Lu}.]\)|\p{Lu}[\p{Lu}.’' \-]*[\p{Lu}.](?:, [\p{L}. ]{1,30})?(?: ?\([^)]{1,30}\))?) [–—\-\x{FFFD}] ",
    )
    .expect("valid regex")
});

/// The layout the parser reads: sentences start after their datelines.
fn without_datelines(text: &str, layout: &sitrep_tokens::Layout) -> sitrep_tokens::Layout {
    let mut layout = layout.clone();
    for sentence in &mut layout.sentences {
        if let Some(m) = DATELINE.find(&text[sentence.start..sentence.end]) {
            sentence.start += m.end();
        }
    }
    layout
}

/// Fills the mention, entity and statement layers of a document from its article.
pub fn annotate(article: Article, resources: &Resources) -> Document {
    annotate_parsed(article, resources).0
}

/// Whether each predicate happened, as sitrep would judge an event there (UDS "It Happened"
/// asks this of every predicate): its mode and what decided it, or None where the parse has
/// no word at the span (or no model was built in).
pub fn factuality(
    article: Article,
    resources: &Resources,
    predicates: &[sitrep_core::Span],
) -> Vec<Option<(String, String)>> {
    let (doc, parse) = annotate_parsed(article, resources);
    predicates
        .iter()
        .map(|&span| {
            parse
                .as_ref()
                .and_then(|parse| events::mode_at(&doc, parse, resources, span))
        })
        .collect()
}

/// The document, and the parse its layers were read from.
fn annotate_parsed(
    article: Article,
    resources: &Resources,
) -> (Document, Option<sitrep_syntax::Parse>) {
    let text = article.text.as_str();
    let layout = sitrep_tokens::analyse(text, &resources.abbreviations);
    let published = article.published.as_ref().map(|p| &p.date);
    let home = resources.outlet_homes.home_of(&article);
    let mut draft = entities::find(text, &layout, resources, published, home.as_deref());
    let outlet_entity = article
        .outlet
        .as_deref()
        .map(|name| outlet(&mut draft, resources, name));
    let outlet = statements::Outlet {
        entity: outlet_entity,
        published: article.published.as_ref().map(|p| p.date.clone()),
    };
    // Without a model (a corrupt build) the word patterns still find statements.
    let parse = sitrep_syntax::Syntax::builtin()
        .ok()
        .map(|syntax| syntax.parse(text, &without_datelines(text, &layout)));
    let found = statements::find(&draft, parse.as_ref(), resources, &outlet);

    // Number the entities that anything refers to, in order of first reference.
    let mut entity_ids: HashMap<usize, String> = HashMap::new();
    let mut entity_order: Vec<usize> = Vec::new();
    let mut id_of = |e: usize, draft: &entities::Draft<'_>| -> String {
        let e = draft.resolve(e);
        entity_ids
            .entry(e)
            .or_insert_with(|| {
                entity_order.push(e);
                format!("e{}", entity_order.len())
            })
            .clone()
    };
    let mentions: Vec<Mention> = draft
        .mentions
        .iter()
        .enumerate()
        .map(|(i, m)| Mention {
            id: format!("m{}", i + 1),
            kind: m.kind.to_string(),
            span: m.span,
            text: text[m.span.start..m.span.end].to_string(),
            entity: m.entity.map(|e| id_of(e, &draft)),
            rule: m.rule.clone(),
            time: m.time.clone(),
            time_until: m.time_until.clone(),
        })
        .collect();
    let outlet_name = article.outlet.clone();
    let speaker_name = |s: &statements::DraftStatement| {
        s.speaker
            .map(|e| draft.entities[draft.resolve(e)].name.clone())
            .or_else(|| s.speaker_text.clone())
    };
    let nesting: Vec<Vec<String>> = found
        .iter()
        .map(|s| enclosing(&found, s).filter_map(speaker_name).collect())
        .collect();
    let statements: Vec<Statement> = found
        .into_iter()
        .zip(nesting)
        .enumerate()
        .map(|(i, (s, outer))| {
            let own = s
                .speaker
                .map(|e| draft.entities[draft.resolve(e)].name.clone());
            let chain: Vec<String> = outlet_name
                .iter()
                .cloned()
                .chain(outer)
                .chain(own.filter(|n| Some(n) != outlet_name.as_ref()))
                .chain(s.cited.iter().cloned())
                .collect();
            Statement {
                id: format!("s{}", i + 1),
                speaker: s.speaker.map(|e| id_of(e, &draft)),
                speaker_text: s.speaker_text,
                cue: s.cue,
                form: s.form.to_string(),
                date: s.date,
                kind: s.kind,
                tags: s.tags,
                chain,
                rule: s.rule,
                span: s.content,
            }
        })
        .collect();
    // Regions unresolved places lie in need ids too, even when nothing names them.
    let containers: Vec<usize> = draft
        .entities
        .iter()
        .enumerate()
        .filter(|(e, _)| draft.mentions.iter().any(|m| m.entity == Some(*e)))
        .filter_map(|(_, d)| d.within)
        .collect();
    for c in containers {
        id_of(c, &draft);
    }
    let entities: Vec<Entity> = entity_order
        .iter()
        .map(|&e| {
            let d = &draft.entities[e];
            if d.kind == "place" {
                let within = d
                    .within
                    .and_then(|w| entity_ids.get(&draft.resolve(w)).cloned());
                return place_entity(&entity_ids[&e], d, within);
            }
            let mut entity = Entity {
                id: entity_ids[&e].clone(),
                kind: d.kind.clone(),
                name: d.name.clone(),
                aliases: d.aliases.clone(),
                former_names: d.former_names.clone(),
                titles: d.titles.clone(),
                roles: d.roles.clone(),
                country: d.country.clone(),
                code: d.code.clone(),
                ..Default::default()
            };
            if let Some(c) = &d.place {
                add_geography(&mut entity, c);
            }
            entity
        })
        .collect();
    let outlet_id = outlet_entity.and_then(|e| entity_ids.get(&draft.resolve(e)).cloned());
    let mut doc = Document::new(article);
    doc.mentions = mentions;
    doc.entities = entities;
    doc.statements = statements;
    let mut described = events::Described::after(doc.entities.len());
    doc.events = events::find(
        &doc,
        &layout,
        parse.as_ref(),
        resources,
        outlet_id.as_deref(),
        &mut described,
    );
    add_described(&mut doc, described);
    (doc, parse)
}

/// The participants events describe without naming, as entities with a mention each; the
/// mentions stay in text order, numbered anew.
fn add_described(doc: &mut Document, described: events::Described) {
    if described.phrases.is_empty() {
        return;
    }
    let first = described.first_number();
    for (k, (span, words)) in described.phrases.into_iter().enumerate() {
        let id = events::Described::id(first + k);
        doc.entities.push(Entity {
            id: id.clone(),
            kind: "nominal".into(),
            name: words.clone(),
            ..Default::default()
        });
        doc.mentions.push(Mention {
            id: String::new(),
            kind: "nominal".into(),
            span,
            text: words,
            entity: Some(id),
            rule: "syntax: the phrase an event's target is named by".into(),
            time: None,
            time_until: None,
        });
    }
    doc.mentions.sort_by_key(|m| m.span.start);
    for (i, m) in doc.mentions.iter_mut().enumerate() {
        m.id = format!("m{}", i + 1);
    }
}

/// The speakers' statements a statement is nested in ("X said Y told him that …": X's holds
/// Y's), outermost first.
fn enclosing<'s>(
    all: &'s [statements::DraftStatement],
    s: &'s statements::DraftStatement,
) -> impl Iterator<Item = &'s statements::DraftStatement> {
    let mut outer: Vec<&statements::DraftStatement> = all
        .iter()
        .filter(|o| o.form != "outlet_assertion" && !std::ptr::eq(*o, s))
        .filter(|o| o.content.start <= s.cue_span.start && s.cue_span.end <= o.content.end)
        .collect();
    outer.sort_by_key(|o| std::cmp::Reverse(o.content.end - o.content.start));
    outer.into_iter()
}

/// A place entity: resolved with its gazetteer facts, or unresolved inside a region.
fn place_entity(id: &str, d: &entities::DraftEntity, within: Option<String>) -> Entity {
    let mut e = Entity {
        id: id.to_string(),
        kind: "place".into(),
        name: d.name.clone(),
        ..Default::default()
    };
    match &d.place {
        Some(c) => add_geography(&mut e, c),
        None => {
            e.resolved = Some(false);
            e.within = within;
        }
    }
    e
}

/// The gazetteer's facts about a place, on the entity it resolved (a place or a country actor).
fn add_geography(e: &mut Entity, c: &sitrep_gazetteer::Candidate) {
    e.gazetteer_id = Some(c.id.clone());
    e.lat = Some((c.lat * 1e5).round() / 1e5);
    e.lon = Some((c.lon * 1e5).round() / 1e5);
    e.precision = Some(c.kind.precision().to_string());
    e.feature = Some(c.kind.as_str().to_string());
    if e.kind == "place" {
        e.country = Some(c.country.clone());
    }
    e.admin1 = c.admin1.clone();
    e.line = c.line.iter().map(|&(lat, lon)| [lat, lon]).collect();
    let round = |v: f64| (v * 1e4).round() / 1e4;
    e.extent = c.extent.map(|x| Extent {
        south: round(x.south),
        west: round(x.west),
        north: round(x.north),
        east: round(x.east),
    });
}

/// The outlet as an entity: the dictionary's, when it knows the outlet's name.
fn outlet(draft: &mut entities::Draft<'_>, resources: &Resources, name: &str) -> usize {
    let known = resources
        .matcher
        .find(name)
        .into_iter()
        .find(|m| m.span.start == 0 && m.span.end == name.len())
        .and_then(|m| match m.named {
            sitrep_actors::Named::Actor(a) => Some(a),
            sitrep_actors::Named::Agent(_) => None,
        });
    if let Some(actor) = known {
        if let Some(e) = draft.entities.iter().position(|e| e.actor == Some(actor)) {
            return e;
        }
    }
    draft.entities.push(entities::DraftEntity {
        kind: "media".into(),
        name: known.map_or_else(
            || name.to_string(),
            |a| resources.dictionary.actors[a].name.clone(),
        ),
        actor: known,
        ..Default::default()
    });
    draft.entities.len() - 1
}
