//! STIX 2.1 bundles, for threat-intelligence platforms (OpenCTI, MISP, TAXII servers).
//!
//! Each article is a `report` by its outlet's `identity`; each event an `incident` with sitrep's
//! event fields in a declared property extension, tied by `relationship`s to its actors
//! (`attributed-to`: a `threat-actor` for armed forces and groups, an `identity` for people,
//! governments and organisations), its targets (`targets`) and its `location` (`located-at`);
//! each claim a `note` on its report, speaker and events, with the claim's fields (speaker,
//! cue, form, kind, date, chain, span) in a second declared extension.
//!
//! What claims over time found ([`Tracked`]) goes along: an event's status or corroboration in
//! its extension and as an `opinion` by sitrep on the incident (fulfilled or corroborated:
//! agree; unfulfilled or disputed: disagree; contradicted: strongly-disagree; pending or
//! single-source: neutral), and a claim's thread and relation in its extension, with a
//! `relationship` from the note to its thread's origin (`repeats`, `relays`, `denies`,
//! `confirms`).
//!
//! A report is created by its outlet (by sitrep where the outlet is unknown).
//!
//! Ids are UUID v5 of what the object stands for (an article's id, an actor's kind and name), so
//! exporting the same store twice gives the same ids and platforms merge rather than duplicate;
//! the OASIS validator warns that STIX suggests v4 (random) ids, and that `incident` is not among
//! the suggested sources of these relationship types — both permitted, both deliberate.

use crate::EventRow;
use serde_json::{json, Map, Value};
use sitrep_core::{Document, Entity, Event, Statement};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use uuid::Uuid;

/// The namespace of sitrep's STIX ids (a fixed, random UUID).
const NAMESPACE: Uuid = Uuid::from_u128(0x5f1c_2b7e_9d04_4c1a_8e63_a7d2_40b9_1f3c);

fn stix_id(kind: &str, key: &str) -> String {
    format!(
        "{kind}--{}",
        Uuid::new_v5(&NAMESPACE, format!("{kind}:{key}").as_bytes())
    )
}

/// The bundle's objects, each once, in the order first made.
struct Objects {
    tracked: Tracked,
    /// The articles in the bundle: relationships only point at notes it holds.
    exported: HashSet<String>,
    by_id: BTreeMap<String, usize>,
    list: Vec<Value>,
    created: String,
    sitrep: String,
    event_extension: String,
    claim_extension: String,
}

impl Objects {
    fn new(created: &str) -> Self {
        let sitrep = stix_id("identity", "sitrep");
        let event_extension = stix_id("extension-definition", "sitrep-event");
        let claim_extension = stix_id("extension-definition", "sitrep-claim");
        let mut objects = Objects {
            tracked: Tracked::default(),
            exported: HashSet::new(),
            by_id: BTreeMap::new(),
            list: Vec::new(),
            created: created.to_string(),
            sitrep: sitrep.clone(),
            event_extension: event_extension.clone(),
            claim_extension: claim_extension.clone(),
        };
        objects.add(json!({
            "type": "identity",
            "id": sitrep,
            "name": "sitrep",
            "identity_class": "system",
            "description": "Turns conflict news into a sourced, geolocated ledger of events and claims.",
        }));
        for (id, name, fields) in [
            (
                event_extension,
                "sitrep event",
                "type (PLOVER), cameo, mode (occurred, ongoing, planned, threatened, predicted, \
                 alleged, denied, negated, hypothetical), actors, targets, actor_text, location, \
                 location_from, event_date, claimed_by, claim_form, article_id, event_id, start, \
                 end, text, rule, confidence",
            ),
            (
                claim_extension,
                "sitrep claim",
                "speaker, speaker_text, cue, form (direct_quote, indirect, outlet_assertion, ...), \
                 kind (assertion, accusation, denial, prediction, threat, ...), date, tags, chain \
                 (outlet → speaker → cited source), article_id, statement_id, start, end",
            ),
        ] {
            let sitrep = objects.sitrep.clone();
            objects.add(json!({
                "type": "extension-definition",
                "id": id,
                "created_by_ref": sitrep,
                "name": name,
                "description": format!("{name}: the fields of sitrep's JSON contract (DESIGN.md §3)."),
                "schema": format!("sitrep JSON contract, {name}: {fields}"),
                "version": "1.0.0",
                "extension_types": ["property-extension"],
            }));
        }
        objects
    }

    /// Adds an object (with the common properties) unless one with its id is there; its id.
    fn add(&mut self, mut object: Value) -> String {
        let id = object["id"].as_str().unwrap_or_default().to_string();
        if self.by_id.contains_key(&id) {
            return id;
        }
        prune(&mut object);
        let map = object
            .as_object_mut()
            .expect("STIX objects are JSON objects");
        map.insert("spec_version".into(), json!("2.1"));
        map.insert("created".into(), json!(self.created));
        map.insert("modified".into(), json!(self.created));
        self.by_id.insert(id.clone(), self.list.len());
        self.list.push(object);
        id
    }

    /// The object standing for an actor entity: a threat-actor for armed forces and groups, an
    /// identity for the rest.
    fn actor(&mut self, e: &Entity) -> String {
        let key = format!("{}:{}", e.kind, e.name.to_lowercase());
        let armed = matches!(
            e.kind.as_str(),
            "military" | "armed_group" | "security_service"
        );
        let mut object = if armed {
            let kind = if e.kind == "armed_group" {
                "unknown"
            } else {
                "nation-state"
            };
            json!({
                "type": "threat-actor",
                "id": stix_id("threat-actor", &key),
                "name": e.name,
                "threat_actor_types": [kind],
            })
        } else {
            let class = if e.kind == "person" {
                "individual"
            } else {
                "organization"
            };
            json!({
                "type": "identity",
                "id": stix_id("identity", &key),
                "name": e.name,
                "identity_class": class,
            })
        };
        if !e.aliases.is_empty() && armed {
            object["aliases"] = json!(e.aliases);
        }
        if let Some(code) = &e.code {
            object["description"] = json!(format!("CAMEO actor code {code}"));
        }
        self.add(object)
    }

    /// The location of a place entity, when it has coordinates or a country to stand on.
    fn location(&mut self, e: &Entity) -> Option<String> {
        let key = e
            .gazetteer_id
            .clone()
            .unwrap_or_else(|| e.name.to_lowercase());
        let mut object = json!({
            "type": "location",
            "id": stix_id("location", &key),
            "name": e.name,
        });
        let country = e.country.as_ref().filter(|c| c.len() == 2);
        match (e.lat, e.lon) {
            (Some(lat), Some(lon)) => {
                object["latitude"] = json!(lat);
                object["longitude"] = json!(lon);
            }
            _ if country.is_none() => return None,
            _ => {}
        }
        if let Some(country) = country {
            object["country"] = json!(country);
        }
        if let Some(admin1) = &e.admin1 {
            object["administrative_area"] = json!(admin1);
        }
        Some(self.add(object))
    }

    /// sitrep's opinion of an incident that later articles settled (a prediction) or weighed
    /// (an allegation); None for one they did not.
    fn opinion(&mut self, row: &EventRow, incident: &str, key: &str) -> Option<String> {
        let (verdict, opinion) = match (row.status.as_deref(), row.corroboration.as_deref()) {
            (Some(status), _) => (
                status,
                match status {
                    "fulfilled" => "agree",
                    "unfulfilled" => "disagree",
                    "contradicted" => "strongly-disagree",
                    _ => "neutral",
                },
            ),
            (None, Some(c)) => (
                c,
                match c {
                    "corroborated" => "agree",
                    "disputed" => "disagree",
                    _ => "neutral",
                },
            ),
            _ => return None,
        };
        let mut explanation = format!("{} {}: {verdict}", row.event_type, row.mode);
        if let Some(due) = &row.due {
            explanation.push_str(&format!(" (due {due})"));
        }
        if !row.corroborated_by.is_empty() {
            explanation.push_str(&format!(
                "; corroborated by articles {}",
                row.corroborated_by.join(", ")
            ));
        }
        let sitrep = self.sitrep.clone();
        Some(self.add(json!({
            "type": "opinion",
            "id": stix_id("opinion", key),
            "opinion": opinion,
            "explanation": explanation,
            "authors": ["sitrep"],
            "object_refs": [incident],
            "created_by_ref": sitrep,
        })))
    }

    fn relationship(&mut self, kind: &str, from: &str, to: &str, key: &str) -> String {
        self.add(json!({
            "type": "relationship",
            "id": stix_id("relationship", &format!("{kind}:{key}:{from}:{to}")),
            "relationship_type": kind,
            "source_ref": from,
            "target_ref": to,
        }))
    }
}

/// A STIX timestamp for a date as precise as known (its first day, at midnight UTC).
fn timestamp(date: &str) -> String {
    let mut parts = date.splitn(3, '-');
    let year = parts.next().unwrap_or("1970");
    let month = parts.next().unwrap_or("01");
    let day = parts.next().unwrap_or("01");
    format!("{year}-{month}-{day}T00:00:00.000Z")
}

/// What claims over time found about the bundle's events and claims.
#[derive(Debug, Default, Clone)]
pub struct Tracked {
    /// Event rows with their status or corroboration, by (article, event).
    pub events: HashMap<(String, String), EventRow>,
    /// Each tracked statement's thread, relation and its thread's origin (article, statement),
    /// by (article, statement).
    pub claims: HashMap<(String, String), ClaimThread>,
}

/// A statement's place in its thread.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimThread {
    pub thread: String,
    pub relation: String,
    pub origin: (String, String),
}

/// Writes one bundle of the documents' events that `keep` keeps, with their articles, actors,
/// places and claims, and what `tracked` says of them. `created` (a STIX timestamp) stamps
/// every object.
pub fn write_stix(
    out: &mut impl Write,
    docs: &[Document],
    keep: &dyn Fn(&EventRow) -> bool,
    tracked: &Tracked,
    created: &str,
) -> std::io::Result<()> {
    let mut objects = Objects::new(created);
    objects.tracked = tracked.clone();
    objects.exported = docs.iter().map(|d| d.article.id.clone()).collect();
    for doc in docs {
        let rows: Vec<(EventRow, &Event)> = EventRow::all(doc)
            .into_iter()
            .zip(&doc.events)
            .filter(|(row, _)| keep(row))
            .collect();
        if rows.is_empty() {
            continue;
        }
        article(&mut objects, doc, &rows);
    }
    let bundle = json!({
        "type": "bundle",
        "id": stix_id("bundle", &objects.list.iter().map(|o| o["id"].as_str().unwrap_or_default()).collect::<Vec<_>>().join(",")),
        "objects": objects.list,
    });
    serde_json::to_writer_pretty(&mut *out, &bundle)?;
    writeln!(out)
}

/// One article's report, with its events, claims and what they refer to.
fn article(objects: &mut Objects, doc: &Document, rows: &[(EventRow, &Event)]) {
    let entity = |id: &String| doc.entity(id);
    let mut refs: Vec<String> = Vec::new();
    let outlet = doc.article.outlet.as_ref().map(|name| {
        objects.add(json!({
            "type": "identity",
            "id": stix_id("identity", &format!("outlet:{}", name.to_lowercase())),
            "name": name,
            "identity_class": "organization",
            "sectors": ["communications"],
        }))
    });
    let mut incidents: BTreeMap<&str, String> = BTreeMap::new();
    for (row, event) in rows {
        let key = format!("{}:{}", doc.article.id, event.id);
        let row = objects
            .tracked
            .events
            .get(&(doc.article.id.clone(), event.id.clone()))
            .unwrap_or(row)
            .clone();
        let description = format!(
            "{} ({}){}",
            row.event_type,
            row.mode,
            row.claimed_by
                .as_ref()
                .map(|by| format!(", claimed by {by}"))
                .unwrap_or_default()
        );
        let mut fields = serde_json::to_value(&row).unwrap_or(Value::Null);
        if let Some(map) = fields.as_object_mut() {
            map.insert("start".into(), json!(event.span.start));
            map.insert("end".into(), json!(event.span.end));
        }
        let extensions = extension(&objects.event_extension, fields);
        let incident = objects.add(json!({
            "type": "incident",
            "id": stix_id("incident", &key),
            "name": format!("{}: {}", description, row.text),
            "description": description,
            "confidence": (event.confidence * 100.0).round() as i64,
            "extensions": extensions,
        }));
        refs.push(incident.clone());
        incidents.insert(event.id.as_str(), incident.clone());
        if let Some(opinion) = objects.opinion(&row, &incident, &key) {
            refs.push(opinion);
        }
        for (ids, kind) in [
            (&event.actors, "attributed-to"),
            (&event.targets, "targets"),
        ] {
            for e in ids.iter().filter_map(&entity) {
                let actor = objects.actor(e);
                refs.push(actor.clone());
                refs.push(objects.relationship(kind, &incident, &actor, &key));
            }
        }
        if let Some(place) = event.location.as_ref().and_then(&entity) {
            if let Some(location) = objects.location(place) {
                refs.push(location.clone());
                refs.push(objects.relationship("located-at", &incident, &location, &key));
            }
        }
    }
    for s in &doc.statements {
        refs.push(claim(objects, doc, s, &incidents));
    }
    let published = doc
        .article
        .published
        .as_ref()
        .map(|p| timestamp(&p.date.to_string()))
        .unwrap_or_else(|| objects.created.clone());
    let name = doc
        .article
        .title
        .clone()
        .unwrap_or_else(|| doc.article.text.chars().take(80).collect());
    let mut report = json!({
        "type": "report",
        "id": stix_id("report", &doc.article.id),
        "name": name,
        "report_types": ["threat-report"],
        "published": published,
        "object_refs": dedup(refs),
        "external_references": [{
            "source_name": doc.article.outlet.clone().unwrap_or_else(|| "sitrep".into()),
            "external_id": doc.article.id,
        }],
    });
    if let Some(url) = &doc.article.url {
        report["external_references"][0]["url"] = json!(url);
    }
    // By its outlet; by sitrep where the outlet is unknown.
    report["created_by_ref"] = json!(outlet.unwrap_or_else(|| objects.sitrep.clone()));
    objects.add(report);
}

/// A claim's note: its words, its speaker, and the incidents inside it.
fn claim(
    objects: &mut Objects,
    doc: &Document,
    s: &Statement,
    incidents: &BTreeMap<&str, String>,
) -> String {
    let speaker_entity = s.speaker.as_ref().and_then(|id| doc.entity(id));
    let speaker_name = speaker_entity
        .map(|e| e.name.clone())
        .or_else(|| s.speaker_text.clone())
        .or_else(|| doc.article.outlet.clone())
        .unwrap_or_else(|| "the outlet".into());
    let mut refs = vec![stix_id("report", &doc.article.id)];
    if let Some(e) = speaker_entity {
        refs.push(objects.actor(e));
    }
    refs.extend(
        doc.events
            .iter()
            .filter(|e| e.statement.as_ref() == Some(&s.id))
            .filter_map(|e| incidents.get(e.id.as_str()).cloned()),
    );
    let mut fields = Map::new();
    fields.insert("speaker".into(), json!(speaker_name));
    fields.insert("speaker_text".into(), json!(s.speaker_text));
    fields.insert("cue".into(), json!(s.cue));
    fields.insert("form".into(), json!(s.form));
    fields.insert("kind".into(), json!(s.kind));
    fields.insert("date".into(), json!(s.date.as_ref().map(|d| d.to_string())));
    fields.insert("tags".into(), json!(s.tags));
    fields.insert("chain".into(), json!(s.chain));
    fields.insert("article_id".into(), json!(doc.article.id));
    fields.insert("statement_id".into(), json!(s.id));
    fields.insert("start".into(), json!(s.span.start));
    fields.insert("end".into(), json!(s.span.end));
    let thread = objects
        .tracked
        .claims
        .get(&(doc.article.id.clone(), s.id.clone()))
        .cloned();
    if let Some(t) = &thread {
        fields.insert("thread".into(), json!(t.thread));
        fields.insert("relation".into(), json!(t.relation));
    }
    let content = s.span.slice(&doc.article.text).unwrap_or_default();
    let extensions = extension(&objects.claim_extension, Value::Object(fields));
    let note_key = format!("{}:{}", doc.article.id, s.id);
    if let Some(t) =
        thread.filter(|t| t.relation != "origin" && objects.exported.contains(&t.origin.0))
    {
        let kind = match t.relation.as_str() {
            "repeat" => "repeats",
            "relay" => "relays",
            "denial" => "denies",
            _ => "confirms",
        };
        let origin = stix_id("note", &format!("{}:{}", t.origin.0, t.origin.1));
        objects.relationship(kind, &stix_id("note", &note_key), &origin, &note_key);
    }
    objects.add(json!({
        "type": "note",
        "id": stix_id("note", &note_key),
        "abstract": format!("{speaker_name}: {} ({})", s.kind, s.form),
        "content": content,
        "authors": [speaker_name],
        "object_refs": dedup(refs),
        "extensions": extensions,
    }))
}

/// The `extensions` property carrying sitrep's fields under its extension definition's id.
fn extension(definition: &str, mut fields: Value) -> Value {
    if let Some(map) = fields.as_object_mut() {
        map.insert("extension_type".into(), json!("property-extension"));
    }
    json!({ definition: fields })
}

/// STIX allows no null property and no empty list: such fields are left out, at any depth.
fn prune(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.values_mut().for_each(prune);
            map.retain(|_, v| !v.is_null() && !v.as_array().is_some_and(Vec::is_empty));
        }
        Value::Array(items) => items.iter_mut().for_each(prune),
        _ => {}
    }
}

fn dedup(mut refs: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    refs.retain(|r| seen.insert(r.clone()));
    refs
}
