//! sitrep's events and claims as analysts load them: one flat row per event, with its actors'
//! and place's names, coordinates, the claim it sits in and the rule behind it, and one per
//! claim, with its speaker, form, kind, tags and the events inside it; written
//! as JSON lines, ACLED-style CSV (ACLED's column names), PLOVER-style records, GeoJSON
//! (opens in QGIS and geojson.io as is) or STIX 2.1 bundles; and the ledger's tables
//! (articles, events, statements, entities) as Parquet for analytics engines. Pure functions
//! of documents and a writer: no store, no files.

pub mod parquet;
mod stix;
pub mod tables;

pub use stix::{write_stix, ClaimThread, Tracked};

use serde::{Deserialize, Serialize};
use sitrep_core::geo::Extent;
use sitrep_core::{Document, Entity, Event};
use std::io::Write;

/// One event, flattened with what it refers to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    pub article_id: String,
    pub event_id: String,
    pub outlet: Option<String>,
    pub url: Option<String>,
    /// The article's publication date, as precise as known.
    pub published: Option<String>,
    /// The event's own date, where its sentence (else its paragraph) gives one.
    pub event_date: Option<String>,
    /// Where the event's date came from: `sentence` or `paragraph`.
    pub event_date_from: Option<String>,
    #[serde(rename = "type")]
    pub event_type: String,
    pub cameo: Option<String>,
    pub mode: String,
    /// How it was done (PLOVER's own "mode": heavy-weapons, curfew, visit ...).
    pub subtype: Option<String>,
    /// PLOVER contexts (military, diplomatic, refugee ...).
    pub contexts: Vec<String>,
    pub actors: Vec<String>,
    pub targets: Vec<String>,
    /// The words naming the doer where they are no actor entity's own name: with no entity
    /// ("They", "gunmen"), or beside the entity of a pronoun, a demonym or a name only
    /// modifying the doer's noun ("the Russian-backed offensive").
    pub actor_text: Option<String>,
    /// The actors' and targets' CAMEO-style codes, in the same order ("" where none).
    pub actor_codes: Vec<String>,
    pub target_codes: Vec<String>,
    pub location: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// point, town, region or country.
    pub geo_precision: Option<String>,
    /// When the place is an area, its box: the event happened somewhere inside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extent: Option<Extent>,
    pub location_from: Option<String>,
    /// Who makes the claim the event sits in, and how ("Yegorov, indirect, accusation").
    pub claimed_by: Option<String>,
    pub claim_form: Option<String>,
    /// The event's words in the text.
    pub text: String,
    pub rule: String,
    pub confidence: f64,
    /// A planned, threatened or predicted event's status as later articles settle it:
    /// pending, fulfilled, unfulfilled or contradicted (`sitrep predictions` has the evidence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// When that event is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// An alleged event's standing: corroborated, single-source or disputed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corroboration: Option<String>,
    /// The articles whose independent reports corroborate it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corroborated_by: Vec<String>,
}

impl EventRow {
    /// The event as CAMEO dyads, the way TABARI and PETRARCH write them: one (source, target,
    /// code) for each actor and each target ("---" where a side has no code; an actor coded
    /// for several, `ELR/GAL`, once for each). None without a CAMEO code.
    pub fn cameo_triples(&self) -> Vec<(String, String, String)> {
        let Some(code) = self.cameo.as_ref().filter(|c| !c.is_empty()) else {
            return Vec::new();
        };
        let side = |codes: &[String]| -> Vec<String> {
            let mut coded: Vec<String> = codes
                .iter()
                .flat_map(|c| c.split('/'))
                .map(|c| if c.is_empty() { "---" } else { c }.to_string())
                .collect();
            if coded.is_empty() {
                coded.push("---".to_string());
            }
            coded
        };
        let targets = side(&self.target_codes);
        side(&self.actor_codes)
            .into_iter()
            .flat_map(|s| {
                targets
                    .iter()
                    .map(move |t| (s.clone(), t.clone(), code.clone()))
            })
            .collect()
    }

    /// Every event of a document as a row.
    pub fn all(doc: &Document) -> Vec<EventRow> {
        doc.events.iter().map(|e| EventRow::of(doc, e)).collect()
    }

    fn of(doc: &Document, e: &Event) -> EventRow {
        let entity = |id: &String| doc.entity(id);
        let names = |ids: &[String]| -> Vec<String> {
            ids.iter()
                .filter_map(|id| entity(id).map(|x| x.name.clone()))
                .collect()
        };
        let codes = |ids: &[String]| -> Vec<String> {
            ids.iter()
                .filter_map(|id| entity(id).map(|x| x.code.clone().unwrap_or_default()))
                .collect()
        };
        let place: Option<&Entity> = e.location.as_ref().and_then(entity);
        let claim = e
            .statement
            .as_ref()
            .and_then(|id| doc.statements.iter().find(|s| &s.id == id));
        EventRow {
            article_id: doc.article.id.clone(),
            event_id: e.id.clone(),
            outlet: doc.article.outlet.clone(),
            url: doc.article.url.clone(),
            published: doc.article.published.as_ref().map(|p| p.date.to_string()),
            event_date: e.time.as_ref().map(|t| t.to_string()),
            event_date_from: e.time_from.clone(),
            event_type: e.event_type.clone(),
            cameo: e.cameo.clone(),
            mode: e.mode.clone(),
            subtype: e.subtype.clone(),
            contexts: e.contexts.clone(),
            actors: names(&e.actors),
            targets: names(&e.targets),
            actor_text: e.actor_text.clone(),
            actor_codes: codes(&e.actors),
            target_codes: codes(&e.targets),
            location: place.map(|p| p.name.clone()),
            latitude: place.and_then(|p| p.lat),
            longitude: place.and_then(|p| p.lon),
            geo_precision: place.and_then(|p| p.precision.clone()),
            extent: place.and_then(|p| p.extent),
            location_from: e.location_from.clone(),
            // The speaker's entity ("Oleg Yegorov" for "he"), else the words naming them.
            claimed_by: claim.map(|s| {
                s.speaker
                    .as_ref()
                    .and_then(entity)
                    .map(|e| e.name.clone())
                    .or_else(|| s.speaker_text.clone())
                    .or_else(|| s.chain.first().cloned())
                    .unwrap_or_else(|| "the outlet".into())
            }),
            claim_form: claim.map(|s| format!("{}, {}", s.form, s.kind)),
            text: e
                .span
                .slice(&doc.article.text)
                .unwrap_or_default()
                .to_string(),
            rule: e.rule.clone(),
            confidence: e.confidence,
            // Claims over time fill these from the store.
            status: None,
            due: None,
            corroboration: None,
            corroborated_by: Vec::new(),
        }
    }
}

/// One claim (a statement), flattened with its speaker and the events inside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimRow {
    pub article_id: String,
    pub statement_id: String,
    pub outlet: Option<String>,
    pub published: Option<String>,
    /// When the claim was made, where the text says.
    pub date: Option<String>,
    /// The speaker's entity name, else the words naming them, else the outlet.
    pub speaker: String,
    pub speaker_text: Option<String>,
    pub cue: String,
    pub form: String,
    pub kind: String,
    pub tags: Vec<String>,
    /// outlet → speaker → cited source.
    pub chain: Vec<String>,
    /// The events inside the claim, as "TYPE mode".
    pub events: Vec<String>,
    pub text: String,
    /// The claim thread it belongs to across articles (`sitrep threads`), and how it stands
    /// there: origin, repeat, relay, denial or confirmation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
}

impl ClaimRow {
    /// Every statement of a document as a row.
    pub fn all(doc: &Document) -> Vec<ClaimRow> {
        doc.statements
            .iter()
            .map(|s| {
                let speaker_name = s
                    .speaker
                    .as_ref()
                    .and_then(|id| doc.entity(id))
                    .map(|e| e.name.clone());
                ClaimRow {
                    article_id: doc.article.id.clone(),
                    statement_id: s.id.clone(),
                    outlet: doc.article.outlet.clone(),
                    published: doc.article.published.as_ref().map(|p| p.date.to_string()),
                    date: s.date.as_ref().map(|d| d.to_string()),
                    speaker: speaker_name
                        .or_else(|| s.speaker_text.clone())
                        .or_else(|| doc.article.outlet.clone())
                        .unwrap_or_else(|| "the outlet".into()),
                    speaker_text: s.speaker_text.clone(),
                    cue: s.cue.clone(),
                    form: s.form.clone(),
                    kind: s.kind.clone(),
                    tags: s.tags.clone(),
                    chain: s.chain.clone(),
                    events: doc
                        .events
                        .iter()
                        .filter(|e| e.statement.as_ref() == Some(&s.id))
                        .map(|e| format!("{} {}", e.event_type, e.mode))
                        .collect(),
                    text: s
                        .span
                        .slice(&doc.article.text)
                        .unwrap_or_default()
                        .to_string(),
                    thread: None,
                    relation: None,
                }
            })
            .collect()
    }
}

/// One JSON object per line.
pub fn write_jsonl<R: Serialize>(out: &mut impl Write, rows: &[R]) -> std::io::Result<()> {
    for row in rows {
        serde_json::to_writer(&mut *out, row)?;
        writeln!(out)?;
    }
    Ok(())
}

/// ACLED's columns, as its CSV exports name them, then sitrep's own (mode, the claim, the
/// rule) — so ACLED-reading scripts load the file and nothing sitrep knows is lost. ACLED's
/// event types are not PLOVER's: `event_type` holds the PLOVER type and `sub_event_type` its
/// subtype (PLOVER's mode), else the CAMEO code.
pub fn write_acled_csv(out: impl Write, rows: &[EventRow]) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "event_id_cnty",
        "event_date",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "source",
        "source_scale",
        "notes",
        "mode",
        "claimed_by",
        "claim_form",
        "article_id",
        "url",
        "rule",
        "confidence",
    ])?;
    for r in rows {
        let number = |v: Option<f64>| v.map_or_else(String::new, |v| format!("{v:.5}"));
        w.write_record([
            format!(
                "{}-{}",
                &r.article_id[..12.min(r.article_id.len())],
                r.event_id
            ),
            r.event_date
                .clone()
                .or_else(|| r.published.clone())
                .unwrap_or_default(),
            r.event_type.clone(),
            r.subtype
                .clone()
                .or_else(|| r.cameo.clone())
                .unwrap_or_default(),
            if r.actors.is_empty() {
                r.actor_text.clone().unwrap_or_default()
            } else {
                r.actors.join("; ")
            },
            r.targets.join("; "),
            r.location.clone().unwrap_or_default(),
            number(r.latitude),
            number(r.longitude),
            acled_precision(r.geo_precision.as_deref()).to_string(),
            r.outlet.clone().unwrap_or_default(),
            String::new(),
            r.text.clone(),
            r.mode.clone(),
            r.claimed_by.clone().unwrap_or_default(),
            r.claim_form.clone().unwrap_or_default(),
            r.article_id.clone(),
            r.url.clone().unwrap_or_default(),
            r.rule.clone(),
            format!("{:.2}", r.confidence),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// ACLED's geo_precision: 1 the place itself, 2 near it or part of a region, 3 a larger region.
fn acled_precision(precision: Option<&str>) -> &'static str {
    match precision {
        Some("point" | "town") => "1",
        Some("region") => "2",
        Some("country") => "3",
        _ => "",
    }
}

/// A GeoJSON FeatureCollection: each placed event a Point with its row as properties
/// (events with no place are left out: GeoJSON has no feature without a geometry to show).
pub fn write_geojson(out: &mut impl Write, rows: &[EventRow]) -> std::io::Result<()> {
    let features: Vec<serde_json::Value> = rows
        .iter()
        .filter_map(|r| {
            let (lat, lon) = r.latitude.zip(r.longitude)?;
            Some(serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": r,
            }))
        })
        .collect();
    let collection = serde_json::json!({"type": "FeatureCollection", "features": features});
    serde_json::to_writer_pretty(&mut *out, &collection)?;
    writeln!(out)
}

/// PLOVER-style records (one JSON array), as PLOVER's gold-standard records lay them out:
/// `source` and `target` as `{actorText, code}`, `event`, `mode` (PLOVER's: sitrep's subtype),
/// `context`, `eventText`, `eventLoc`; sitrep's modality, claim and provenance are added under
/// their own names.
pub fn write_plover(out: &mut impl Write, rows: &[EventRow]) -> std::io::Result<()> {
    let actors = |names: &[String], codes: &[String]| -> Vec<serde_json::Value> {
        names
            .iter()
            .zip(codes)
            .map(|(name, code)| serde_json::json!({"actorText": name, "code": code}))
            .collect()
    };
    let records: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": format!("{}-{}", r.article_id, r.event_id),
                "date": r.event_date.clone().or_else(|| r.published.clone()),
                "source": actors(&r.actors, &r.actor_codes),
                "target": actors(&r.targets, &r.target_codes),
                "event": r.event_type,
                "eventText": r.text,
                "mode": r.subtype.clone().unwrap_or_default(),
                "context": r.contexts.join(", "),
                "eventLoc": r.location.as_ref().map(|name| serde_json::json!({
                    "name": name, "lat": r.latitude, "lon": r.longitude,
                    "precision": r.geo_precision,
                })),
                "cameo": r.cameo,
                "modality": r.mode,
                "claim": r.claimed_by.as_ref().map(|by| serde_json::json!({
                    "by": by, "form": r.claim_form,
                })),
                "publication": r.outlet,
                "url": r.url,
                "rule": r.rule,
                "confidence": r.confidence,
                "version": "PLOVER 2021 types, coded by sitrep",
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &records)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> EventRow {
        EventRow {
            article_id: "0123456789abcdef".into(),
            event_id: "v1".into(),
            outlet: Some("The Cradle".into()),
            url: None,
            published: Some("2023-01-26".into()),
            event_date: None,
            event_date_from: None,
            event_type: "ASSAULT".into(),
            cameo: Some("18".into()),
            mode: "predicted".into(),
            subtype: Some("heavy-weapons".into()),
            contexts: vec!["military".into()],
            actors: vec!["Syria".into(), "Turkey".into()],
            targets: vec!["Hayat Tahrir al-Sham".into()],
            actor_text: None,
            actor_codes: vec!["SYR".into(), "TUR".into()],
            target_codes: vec!["SYRREBMUS".into()],
            location: Some("M4 highway".into()),
            latitude: Some(35.8),
            longitude: Some(36.5),
            geo_precision: Some("region".into()),
            extent: None,
            location_from: Some("sentence".into()),
            claimed_by: Some("The Cradle".into()),
            claim_form: Some("indirect, prediction".into()),
            text: "joint-operation".into(),
            rule: "event pattern".into(),
            confidence: 0.9,
            status: Some("pending".into()),
            due: Some("2023-03-01".into()),
            corroboration: None,
            corroborated_by: Vec::new(),
        }
    }

    #[test]
    fn acled_csv_has_acleds_columns_then_sitreps() {
        let mut out = Vec::new();
        write_acled_csv(&mut out, &[row()]).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        assert!(header.starts_with("event_id_cnty,event_date,event_type,sub_event_type,actor1,actor2,location,latitude,longitude,geo_precision,source"));
        let line = lines.next().unwrap();
        assert!(line.contains("ASSAULT,heavy-weapons,Syria; Turkey,Hayat Tahrir al-Sham,M4 highway,35.80000,36.50000,2,The Cradle"), "{line}");
        assert!(line.contains("predicted"));
    }

    #[test]
    fn plover_records_name_actors_with_their_codes_and_keep_the_modality_apart() {
        let mut out = Vec::new();
        write_plover(&mut out, &[row()]).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let r = &v[0];
        assert_eq!(r["event"], "ASSAULT");
        assert_eq!(
            r["source"][1],
            serde_json::json!({"actorText": "Turkey", "code": "TUR"})
        );
        assert_eq!(r["target"][0]["code"], "SYRREBMUS");
        assert_eq!(
            (r["mode"].as_str(), r["modality"].as_str()),
            (Some("heavy-weapons"), Some("predicted"))
        );
        assert_eq!(r["eventLoc"]["name"], "M4 highway");
    }

    #[test]
    fn geojson_is_a_feature_collection_of_points_lon_first() {
        let mut unplaced = row();
        unplaced.latitude = None;
        let mut out = Vec::new();
        write_geojson(&mut out, &[row(), unplaced]).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        assert_eq!(v["features"].as_array().unwrap().len(), 1);
        assert_eq!(
            v["features"][0]["geometry"]["coordinates"],
            serde_json::json!([36.5, 35.8])
        );
        assert_eq!(v["features"][0]["properties"]["mode"], "predicted");
    }
}
