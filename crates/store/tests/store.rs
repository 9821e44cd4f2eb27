//! The store end to end on small articles written for these tests.

use sitrep_core::geo::Extent;
use sitrep_core::{text::normalise, Article, DateBasis, PartialDate, Published};
use sitrep_store::{EventQuery, EventRecord, Incoming, LayerRecord, ListFilter, Outcome, Store};

const WIRE: &str = "A drone strike hit a car on the road outside Jisr al-Shughur on Tuesday, killing two men, \
    local rescuers said.\n\nThe White Helmets said the car was travelling towards the M4 highway when it was hit. \
    No group claimed the strike.\n\nResidents said drones had circled over the area for several hours before the \
    strike and that similar attacks had hit farm vehicles last week.\n\nHayat Tahrir al-Sham said it would \
    retaliate for what it called a crime against civilians, without giving details.";

fn incoming(origin: &str, text: &str, outlet: &str) -> Incoming {
    let mut article = Article::from_normalised_text(normalise(text));
    article.outlet = Some(outlet.into());
    article.title = Some(format!("{outlet} headline"));
    article.published = Some(Published::new(
        PartialDate::parse("2023-02-14").unwrap(),
        DateBasis::Metadata,
    ));
    Incoming {
        origin: origin.into(),
        article,
        warnings: vec![],
    }
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("nested/dir/sitrep.db")).unwrap();
    (dir, store)
}

#[test]
fn exact_copies_are_stored_once_with_every_sighting() {
    let (_dir, mut store) = open();
    let out = store
        .ingest_batch(&[
            incoming("wire.txt", WIRE, "Meridian"),
            incoming("levant.txt", WIRE, "Levant Monitor"),
        ])
        .unwrap();
    let id = sitrep_core::text::article_id(&normalise(WIRE));
    assert_eq!(out, [Outcome::Added, Outcome::Duplicate { of: id.clone() }]);
    let doc = store.document(&id).unwrap().unwrap();
    let outlets: Vec<_> = doc
        .sightings
        .iter()
        .map(|s| s.outlet.clone().unwrap())
        .collect();
    assert_eq!(outlets, ["Meridian", "Levant Monitor"]);
    assert_eq!(store.stats().unwrap().articles, 1);
}

#[test]
fn a_trimmed_copy_is_linked_as_a_near_duplicate() {
    let (_dir, mut store) = open();
    let trimmed = &WIRE[..WIRE.rfind("\n\n").unwrap()];
    let out = store
        .ingest_batch(&[
            incoming("wire.txt", WIRE, "Meridian"),
            incoming("orontes.txt", trimmed, "Orontes Daily"),
        ])
        .unwrap();
    let original = sitrep_core::text::article_id(&normalise(WIRE));
    let Outcome::NearDuplicate { of, similarity } = &out[1] else {
        panic!("{out:?}")
    };
    assert_eq!(of, &original);
    assert!((0.7..1.0).contains(similarity), "{similarity}");
    let copy = store
        .document(&sitrep_core::text::article_id(&normalise(trimmed)))
        .unwrap()
        .unwrap();
    assert_eq!(copy.article.duplicate_of.unwrap().id, original);
    let first = store.document(&original).unwrap().unwrap();
    assert_eq!(first.near_duplicates.len(), 1);
    assert_eq!(first.near_duplicates[0].id, copy.article.id);
    let all = store.list(&ListFilter::default()).unwrap();
    let deduped = store
        .list(&ListFilter {
            hide_duplicates: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!((all.len(), deduped.len()), (2, 1));
}

#[test]
fn reingesting_is_idempotent() {
    let (_dir, mut store) = open();
    let batch = [
        incoming("a.txt", WIRE, "Meridian"),
        incoming("b.txt", "Shelling hit Ariha on Monday.", "Orontes"),
    ];
    store.ingest_batch(&batch).unwrap();
    let before = store.stats().unwrap();
    assert_eq!(
        store.ingest_batch(&batch).unwrap(),
        [Outcome::AlreadyStored, Outcome::AlreadyStored]
    );
    assert_eq!(store.stats().unwrap(), before);
}

#[test]
fn documents_round_trip_with_metadata_and_are_found_by_prefix_or_source_id() {
    let (_dir, mut store) = open();
    let mut item = incoming("x.jsonl:1", WIRE, "Meridian");
    item.article.source_id = Some("meridian-0731".into());
    item.warnings = vec!["decoded as windows-1252 (guessed)".into()];
    let expected = item.article.clone();
    store.ingest_batch(&[item]).unwrap();
    let doc = store.document(&expected.id[..8]).unwrap().unwrap();
    assert_eq!(doc.article, expected);
    assert_eq!(doc.warnings, ["decoded as windows-1252 (guessed)"]);
    assert_eq!(
        store.document("meridian-0731").unwrap().unwrap().article.id,
        expected.id
    );
    assert!(store.document("ffffffffffff").unwrap().is_none());
}

#[test]
fn search_ranks_and_highlights_and_survives_odd_queries() {
    let (_dir, mut store) = open();
    store
        .ingest_batch(&[
            incoming("a", WIRE, "Meridian"),
            incoming("b", "Russia said militants planned a chemical attack near Saraqib. The chemical claim was denied.", "Levant"),
            incoming("c", "A joint patrol passed Saraqib. Officials did not mention any chemical weapons.", "Northern"),
        ])
        .unwrap();
    let hits = store.search("chemical", 10, ("[", "]")).unwrap();
    assert_eq!(hits.len(), 2);
    assert_eq!(
        hits[0].outlet.as_deref(),
        Some("Levant"),
        "two mentions outrank one"
    );
    assert!(
        hits[0].snippet.contains("[chemical]"),
        "{}",
        hits[0].snippet
    );
    assert!(hits[0].rank <= hits[1].rank);
    // Unbalanced quotes and FTS operators are searched as words.
    assert_eq!(
        store
            .search("\"chemical (attack", 10, ("", ""))
            .unwrap()
            .len(),
        1
    );
    assert!(store.search("Jisr al-Shughur", 10, ("", "")).unwrap().len() == 1);
    assert!(store.search("((", 10, ("", "")).is_err());
}

#[test]
fn integrity_check_passes_on_a_healthy_store() {
    let (_dir, mut store) = open();
    store
        .ingest_batch(&[incoming("a", WIRE, "Meridian")])
        .unwrap();
    assert!(store.check_integrity().unwrap().is_empty());
}

#[test]
fn an_event_placed_to_an_area_is_inside_a_box_only_when_the_box_holds_the_area() {
    let (_dir, mut store) = open();
    store
        .ingest_batch(&[incoming("wire.txt", WIRE, "Wire")])
        .unwrap();
    let article_id = store.list(&ListFilter::default()).unwrap()[0].id.clone();
    let event = |id: &str, point: (f64, f64), extent: Option<Extent>| EventRecord {
        event_id: id.into(),
        event_type: "ASSAULT".into(),
        mode: "occurred".into(),
        lat: Some(point.0),
        lon: Some(point.1),
        extent,
        row: format!("{{\"event_id\": \"{id}\"}}"),
        ..Default::default()
    };
    let country = Extent {
        south: 32.3,
        west: 35.7,
        north: 37.3,
        east: 42.4,
    };
    let pacific = Extent {
        south: -21.0,
        west: 177.0,
        north: -12.0,
        east: -178.0,
    };
    let layers = LayerRecord {
        article_id,
        document: "{}".into(),
        events: vec![
            event("town", (35.86, 36.81), None),
            event("country", (35.0, 38.5), Some(country)),
            event("islands", (-17.0, 179.0), Some(pacific)),
        ],
        ..Default::default()
    };
    store.save_layers("test", &[layers]).unwrap();
    let inside = |bbox| {
        let mut ids: Vec<String> = store
            .events(&EventQuery {
                bbox: Some(bbox),
                ..Default::default()
            })
            .unwrap()
            .items
            .iter()
            .map(|row| {
                serde_json::from_str::<serde_json::Value>(row).unwrap()["event_id"].to_string()
            })
            .collect();
        ids.sort();
        ids.join(" ")
    };
    // A box round the town and the country's middle holds the town, not the whole country.
    assert_eq!(inside((34.0, 36.0, 36.5, 39.0)), r#""town""#);
    assert_eq!(inside((32.0, 35.0, 38.0, 43.0)), r#""country" "town""#);
    // A box across the antimeridian (west > east) holds what lies on either side of it; an
    // area across it is kept as its wider half.
    assert_eq!(inside((-25.0, 170.0, -10.0, -170.0)), r#""islands""#);
    assert_eq!(inside((-25.0, 176.0, -10.0, 180.0)), r#""islands""#);
    assert_eq!(inside((-25.0, -180.0, -10.0, 176.0)), "");
    assert_eq!(
        inside((-90.0, -180.0, 90.0, 180.0)),
        r#""country" "islands" "town""#
    );
}
