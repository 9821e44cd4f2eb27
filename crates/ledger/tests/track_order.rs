//! A storyline tracked in two batches gives the verdicts of tracking it at once, where the
//! second batch touches none of the first one's threads: a planned attack whose supposed
//! actor denied it in the claim's thread stays contradicted when a later report says the
//! attack did not happen (a denial outweighs such a report), though that report's step never
//! regrouped the thread.

use serde_json::json;
use sitrep_core::{Article, DateBasis, Document, PartialDate, Published};
use sitrep_ledger::{Ledger, PredictionQuery};
use sitrep_store::Store;

struct Said<'a> {
    speaker: &'a str,
    kind: &'a str,
    content: &'a str,
    /// (mode, trigger) of an ASSAULT by the Green Brigade at Vesk inside the content, if any.
    event: Option<(&'a str, &'a str)>,
}

/// An annotated article of our own: an outlet, a day, and statements (or, with no speaker,
/// the outlet's own report of an event).
fn article(n: usize, outlet: &str, day: &str, said: &[Said<'_>]) -> Document {
    let mut text = format!("Report {n}. ");
    let (mut entities, mut statements, mut events) = (Vec::new(), Vec::new(), Vec::new());
    let mut entity = |name: &str, kind: &str, point: Option<(f64, f64)>| {
        let id = format!("e{}", entities.len() + 1);
        let mut e = json!({"id": id, "kind": kind, "name": name});
        if let Some((lat, lon)) = point {
            e["lat"] = json!(lat);
            e["lon"] = json!(lon);
        }
        entities.push(e);
        id
    };
    for (k, s) in said.iter().enumerate() {
        let sentence = format!("{} said {}. ", s.speaker, s.content);
        let start = text.len() + sentence.find(s.content).unwrap();
        text.push_str(&sentence);
        let statement = format!("s{}", k + 1);
        if !s.speaker.is_empty() {
            let speaker = entity(s.speaker, "armed_group", None);
            statements.push(json!({"id": statement, "speaker": speaker, "cue": "said",
                "form": "indirect", "kind": s.kind, "tags": ["chemical"], "chain": [],
                "rule": "test", "start": start, "end": start + s.content.len()}));
        }
        if let Some((mode, trigger)) = s.event {
            let actor = entity("Green Brigade", "armed_group", None);
            let place = entity("Vesk", "place", Some((41.4, 20.6)));
            let at = start + s.content.find(trigger).unwrap();
            let mut e = json!({"id": format!("v{}", k + 1), "type": "ASSAULT", "mode": mode,
                "actors": [actor], "targets": [], "location": place, "start": at,
                "end": at + trigger.len(), "rule": "test", "confidence": 0.9});
            if !s.speaker.is_empty() {
                e["statement"] = json!(statement);
            }
            events.push(e);
        }
    }
    let mut a = Article::from_normalised_text(text);
    a.source_id = Some(format!("story-{n}"));
    a.outlet = Some(outlet.into());
    a.published = Some(Published::new(
        PartialDate::parse(day).unwrap(),
        DateBasis::Metadata,
    ));
    let mut doc: Document = serde_json::from_value(json!({
        "article": serde_json::to_value(&a).unwrap(),
        "entities": entities, "statements": statements, "events": events,
    }))
    .unwrap();
    doc.article = a;
    doc
}

fn storyline() -> Vec<Document> {
    vec![
        article(1, "Coast Post", "2024-05-01", &[Said {
            speaker: "Harbour Command",
            kind: "allegation",
            content: "the Green Brigade plans a chemical attack on the depot at Vesk with chlorine shells",
            event: Some(("planned", "attack")),
        }]),
        article(2, "Valley Herald", "2024-05-02", &[Said {
            speaker: "Green Brigade",
            kind: "denial",
            content: "it has no chlorine shells and plans no chemical attack on the depot",
            event: None,
        }]),
        article(3, "Inland Courier", "2024-05-20", &[Said {
            speaker: "",
            kind: "",
            content: "no attack took place at Vesk",
            event: Some(("negated", "attack")),
        }]),
    ]
}

fn tracked(batches: &[&[Document]]) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::new(
        Store::open(&dir.path().join("story.db")).unwrap(),
        sitrep_annotate::Resources::builtin(),
    );
    for batch in batches {
        ledger.store_annotated(batch).unwrap();
        ledger.track().unwrap();
    }
    sitrep_ledger::predictions(&ledger.store, &PredictionQuery::default())
        .unwrap()
        .into_iter()
        .map(|p| (p.status, p.rule))
        .collect()
}

#[test]
fn a_denial_in_the_claims_thread_outweighs_a_later_report_in_any_batching() {
    let story = storyline();
    let whole = tracked(&[&story]);
    assert_eq!(whole.len(), 1, "{whole:?}");
    assert_eq!(whole[0].0, "contradicted", "{whole:?}");
    assert_eq!(tracked(&[&story[..2], &story[2..]]), whole);
    assert_eq!(tracked(&[&story[..1], &story[1..2], &story[2..]]), whole);
}
