//! The JSON contract of DESIGN.md §3, read from the design document itself: the example
//! document must parse into the model and serialise back to the same JSON.

use serde_json::Value;
use sitrep_core::Document;
use std::path::PathBuf;

fn design_md() -> String {
    let shared = std::env::var_os("SITREP_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let path = shared.join("DESIGN.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (set SITREP_SHARED to the shared data folder)",
            path.display()
        )
    })
}

/// The first ```json block of §3.
fn contract_example() -> Value {
    let md = design_md();
    let section = &md[md.find("## 3.").expect("DESIGN.md has a §3")..];
    let start = section.find("```json").expect("§3 has a json block") + "```json".len();
    let end = start
        + section[start..]
            .find("```")
            .expect("the json block is closed");
    serde_json::from_str(&section[start..end]).expect("the §3 example is valid JSON")
}

/// Nulls carry no information: an absent optional field and a null one mean the same.
fn without_nulls(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

#[test]
fn the_design_example_round_trips_through_the_model() {
    let example = contract_example();
    let doc: Document = serde_json::from_value(example.clone()).expect("the model reads §3");
    let back = serde_json::to_value(&doc).unwrap();
    assert_eq!(without_nulls(back.clone()), without_nulls(example));
    // And the round trip is a fixed point.
    let again: Document = serde_json::from_value(back).unwrap();
    assert_eq!(again, doc);
}

#[test]
fn every_article_field_of_the_contract_is_always_present() {
    let doc: Document = serde_json::from_value(contract_example()).unwrap();
    let json = serde_json::to_value(&doc).unwrap();
    for field in [
        "id",
        "url",
        "title",
        "outlet",
        "byline",
        "published",
        "language",
        "image",
        "text",
    ] {
        assert!(
            json["article"].get(field).is_some(),
            "article.{field} missing"
        );
    }
    for layer in ["mentions", "entities", "statements", "events"] {
        assert!(json[layer].is_array(), "{layer} missing");
    }
}

#[test]
fn the_example_keeps_its_key_facts() {
    let doc: Document = serde_json::from_value(contract_example()).unwrap();
    assert_eq!(doc.article.outlet.as_deref(), Some("..."));
    let hts = doc
        .entities
        .iter()
        .find(|e| e.kind == "armed_group")
        .unwrap();
    assert_eq!(hts.former_names, ["Nusra Front"]);
    let karkur = doc.entities.iter().find(|e| e.name == "Karkur").unwrap();
    assert_eq!(
        (karkur.resolved, karkur.within.as_deref()),
        (Some(false), Some("e2"))
    );
    assert_eq!(doc.events[0].event_type, "ASSAULT");
    assert_eq!(doc.events[0].mode, "planned");
    assert_eq!(
        doc.statements[0].date.as_ref().unwrap().to_string(),
        "2023-01-24"
    );
}

#[test]
fn spans_outside_the_text_are_reported() {
    let mut doc: Document = serde_json::from_value(contract_example()).unwrap();
    doc.article.text = "Yegorov said".into();
    assert!(doc.invalid_spans().is_empty());
    doc.mentions[0].span.end = 99;
    assert_eq!(doc.invalid_spans(), ["mention m1: 0..99"]);
}
