//! The store end to end on small articles written for these tests, each test run on both
//! engines: a new SQLite file, and a new schema of the PostgreSQL server (the local one, or
//! `SITREP_TEST_POSTGRES`; a test fails, saying so, when no server answers).

use sitrep_core::geo::Extent;
use sitrep_core::{text::normalise, Article, DateBasis, PartialDate, Published};
use sitrep_store::scratch::ScratchDatabase;
use sitrep_store::{
    ClaimQuery, ClaimRecord, EntityQuery, EntityRecord, EventQuery, EventRecord, FetchRecord,
    FetchedArticle, Harvest, Incoming, LayerRecord, ListFilter, Outcome, SourceRecord, Store,
    TrackBatch, TrackedClaim, TrackedEvent,
};

/// Runs each test function (taking a new store) on both engines.
macro_rules! on_both_engines {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $test() {
                let dir = tempfile::tempdir().unwrap();
                let store = sitrep_store::Store::open(&dir.path().join("nested/dir/sitrep.db"));
                super::$test(store.unwrap());
            })*
        }
        mod postgres {
            $(#[test]
            fn $test() {
                let scratch = super::ScratchDatabase::create().unwrap_or_else(|e| panic!("{e}"));
                let store = sitrep_store::Store::open(scratch.location());
                super::$test(store.unwrap());
            })*
        }
    };
}

on_both_engines!(
    exact_copies_are_stored_once_with_every_sighting,
    a_trimmed_copy_is_linked_as_a_near_duplicate,
    reingesting_is_idempotent,
    documents_round_trip_with_metadata_and_are_found_by_prefix_or_source_id,
    search_ranks_and_highlights_and_survives_odd_queries,
    integrity_check_passes_on_a_healthy_store,
    an_event_placed_to_an_area_is_inside_a_box_only_when_the_box_holds_the_area,
    boxes_and_dates_keep_what_a_plain_filter_keeps,
    events_and_claims_filter_sort_and_page_alike,
    entities_are_grouped_across_articles,
    layers_are_replaced_not_added_to,
    tracked_claims_and_events_round_trip,
    a_harvest_keeps_its_articles_records_and_source_state,
    listings_filter_by_outlet_in_any_case,
    jobs_are_taken_once_finished_failed_and_parked,
    a_job_whose_worker_died_is_taken_again_when_its_lease_runs_out,
);

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

fn exact_copies_are_stored_once_with_every_sighting(mut store: Store) {
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

fn a_trimmed_copy_is_linked_as_a_near_duplicate(mut store: Store) {
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

fn reingesting_is_idempotent(mut store: Store) {
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

fn documents_round_trip_with_metadata_and_are_found_by_prefix_or_source_id(mut store: Store) {
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

fn search_ranks_and_highlights_and_survives_odd_queries(mut store: Store) {
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

fn integrity_check_passes_on_a_healthy_store(mut store: Store) {
    store
        .ingest_batch(&[incoming("a", WIRE, "Meridian")])
        .unwrap();
    assert!(store.check_integrity().unwrap().is_empty());
}

fn an_event_placed_to_an_area_is_inside_a_box_only_when_the_box_holds_the_area(mut store: Store) {
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
        date: Some("2023-02-14".into()),
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
    let ids_in = |query: EventQuery| {
        let mut ids: Vec<String> = store
            .events(&query)
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
    // Each box asked alone and with dates (PostgreSQL reads them through different indexes).
    let inside = |bbox| {
        let alone = ids_in(EventQuery {
            bbox: Some(bbox),
            ..Default::default()
        });
        let dated = ids_in(EventQuery {
            bbox: Some(bbox),
            since: Some("2023-02".into()),
            until: Some("2023".into()),
            ..Default::default()
        });
        assert_eq!(alone, dated, "{bbox:?}");
        alone
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

/// A small deterministic generator for the events and queries below.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }

    /// A coordinate in [from, from + span]: half the time on the quarter-degree grid (the
    /// edge of a cell), else anywhere.
    fn degrees(&mut self, from: f64, span: f64) -> f64 {
        let quarters = (span * 4.0) as u64;
        if self.below(2) == 0 {
            from + self.below(quarters + 1) as f64 / 4.0
        } else {
            from + self.below(1_000_001) as f64 / 1_000_000.0 * span
        }
    }

    /// A day, month or year in 2022 or 2023.
    fn date(&mut self) -> String {
        let (year, month, day) = (2022 + self.below(2), 1 + self.below(12), 1 + self.below(28));
        match self.below(4) {
            0 => format!("{year}"),
            1 => format!("{year}-{month:02}"),
            _ => format!("{year}-{month:02}-{day:02}"),
        }
    }
}

/// Two dates compared at the coarser of their precisions.
fn coarsely(a: &str, b: &str) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    a[..n].cmp(&b[..n])
}

fn boxes_and_dates_keep_what_a_plain_filter_keeps(mut store: Store) {
    store
        .ingest_batch(&[incoming("wire.txt", WIRE, "Wire")])
        .unwrap();
    let article_id = store.list(&ListFilter::default()).unwrap()[0].id.clone();
    let mut random = Lcg(11);
    // Points and small areas over two degrees each way, on and off the cells' edges.
    let events: Vec<EventRecord> = (0..300)
        .map(|k| {
            let (lat, lon) = (random.degrees(35.0, 2.0), random.degrees(35.0, 2.0));
            let extent = (random.below(4) == 0).then(|| Extent {
                south: lat,
                west: lon,
                north: lat + random.degrees(0.0, 0.5),
                east: lon + random.degrees(0.0, 0.5),
            });
            EventRecord {
                event_id: format!("v{k}"),
                event_type: "ASSAULT".into(),
                mode: "occurred".into(),
                lat: Some(lat),
                lon: Some(lon),
                extent,
                date: Some(random.date()),
                row: format!("{{\"event_id\": \"v{k}\"}}"),
                ..Default::default()
            }
        })
        .collect();
    let layers = LayerRecord {
        article_id,
        document: "{}".into(),
        events: events.clone(),
        ..Default::default()
    };
    store.save_layers("test", &[layers]).unwrap();
    for _ in 0..60 {
        let (south, west) = (random.degrees(34.5, 2.5), random.degrees(34.5, 2.5));
        let bbox = (
            south,
            west,
            south + random.degrees(0.0, 1.5),
            west + random.degrees(0.0, 1.5),
        );
        let (since, until) = (
            (random.below(3) > 0).then(|| random.date()),
            (random.below(3) > 0).then(|| random.date()),
        );
        let kept = |e: &EventRecord| {
            let (s, w, n, east) = match e.extent {
                Some(x) => (x.south, x.west, x.north, x.east),
                None => (
                    e.lat.unwrap(),
                    e.lon.unwrap(),
                    e.lat.unwrap(),
                    e.lon.unwrap(),
                ),
            };
            let date = e.date.as_deref().unwrap();
            s >= bbox.0
                && w >= bbox.1
                && n <= bbox.2
                && east <= bbox.3
                && since.as_deref().is_none_or(|d| coarsely(date, d).is_ge())
                && until.as_deref().is_none_or(|d| coarsely(date, d).is_le())
        };
        let mut expected: Vec<String> = events
            .iter()
            .filter(|e| kept(e))
            .map(|e| e.event_id.clone())
            .collect();
        let query = EventQuery {
            bbox: Some(bbox),
            since: since.clone(),
            until: until.clone(),
            limit: 1_000,
            ..Default::default()
        };
        let page = store.events(&query).unwrap();
        let mut found = ids(&page.items, "event_id");
        assert_eq!(page.total, expected.len(), "{bbox:?} {since:?} {until:?}");
        expected.sort();
        found.sort();
        assert_eq!(found, expected, "{bbox:?} {since:?} {until:?}");
    }
}

/// Stores `texts` (one outlet each, dated) and returns their ids in order.
fn stored(store: &mut Store, texts: &[(&str, &str, &str)]) -> Vec<String> {
    let batch: Vec<Incoming> = texts
        .iter()
        .map(|(text, outlet, day)| {
            let mut item = incoming(outlet, text, outlet);
            item.article.published = Some(Published::new(
                PartialDate::parse(day).unwrap(),
                DateBasis::Metadata,
            ));
            item
        })
        .collect();
    store.ingest_batch(&batch).unwrap();
    batch.into_iter().map(|i| i.article.id).collect()
}

fn event_row(id: &str, event_type: &str, mode: &str, date: &str, names: &[&str]) -> EventRecord {
    EventRecord {
        event_id: id.into(),
        event_type: event_type.into(),
        mode: mode.into(),
        outlet: Some("Levant Monitor".into()),
        date: Some(date.into()),
        names: names.iter().map(|n| n.to_string()).collect(),
        row: format!("{{\"event_id\": \"{id}\"}}"),
        ..Default::default()
    }
}

fn claim_row(id: &str, speaker: &str, kind: &str, date: &str, tags: &[&str]) -> ClaimRecord {
    ClaimRecord {
        statement_id: id.into(),
        speaker: speaker.into(),
        kind: kind.into(),
        outlet: Some("Levant Monitor".into()),
        date: Some(date.into()),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        row: format!("{{\"statement_id\": \"{id}\"}}"),
    }
}

fn ids(rows: &[String], field: &str) -> Vec<String> {
    rows.iter()
        .map(|r| {
            serde_json::from_str::<serde_json::Value>(r).unwrap()[field]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

fn events_and_claims_filter_sort_and_page_alike(mut store: Store) {
    events_and_claims_filter_sort_and_page_alike_in(&mut store);
}

fn events_and_claims_filter_sort_and_page_alike_in(store: &mut Store) {
    let [a, b] = <[String; 2]>::try_from(stored(
        store,
        &[
            (
                "Shelling hit Ariha on Monday.",
                "Levant Monitor",
                "2023-03-01",
            ),
            ("Clashes broke out near Saraqib.", "Orontes", "2023-04-10"),
        ],
    ))
    .unwrap();
    let layers = [
        LayerRecord {
            article_id: a.clone(),
            document: "{}".into(),
            events: vec![
                event_row(
                    "a1",
                    "ASSAULT",
                    "occurred",
                    "2023-02-27",
                    &["Syrian Army", "civilians"],
                ),
                event_row(
                    "a2",
                    "THREATEN",
                    "planned",
                    "2023-03",
                    &["Hayat Tahrir al-Sham"],
                ),
            ],
            claims: vec![claim_row(
                "s1",
                "Rami Abdulrahman",
                "report",
                "2023-03-01",
                &["shelling", "civilians"],
            )],
            ..Default::default()
        },
        LayerRecord {
            article_id: b.clone(),
            document: "{}".into(),
            events: vec![
                EventRecord {
                    date: None,
                    ..event_row("b0", "FIGHT", "occurred", "", &["Turkish Army"])
                },
                event_row("b1", "FIGHT", "occurred", "2023-04-09", &["Turkish Army"]),
            ],
            claims: vec![claim_row(
                "s2",
                "the Russian defence ministry",
                "accusation",
                "2023-04-10",
                &["false flag"],
            )],
            ..Default::default()
        },
    ];
    store.save_layers("test", &layers).unwrap();
    let events = |q: EventQuery| {
        let page = store.events(&q).unwrap();
        (ids(&page.items, "event_id").join(" "), page.total)
    };
    assert_eq!(
        events(EventQuery::default()),
        ("b1 a2 a1 b0".into(), 4),
        "newest first, undated last"
    );
    let first = EventQuery {
        limit: 2,
        ..Default::default()
    };
    assert_eq!(events(first), ("b1 a2".into(), 4), "a page keeps the total");
    let past = EventQuery {
        limit: 2,
        offset: 5,
        ..Default::default()
    };
    assert_eq!(events(past), (String::new(), 4), "past the last page");
    let by_actor = EventQuery {
        actor: Some("SYRIAN".into()),
        ..Default::default()
    };
    assert_eq!(events(by_actor).0, "a1");
    let by_type = EventQuery {
        event_type: Some("assault".into()),
        ..Default::default()
    };
    assert_eq!(events(by_type).0, "a1");
    let by_mode = EventQuery {
        mode: Some("Planned".into()),
        ..Default::default()
    };
    assert_eq!(events(by_mode).0, "a2");
    // "2023-03" lies within March, and within a range that starts on 1 March.
    let march = EventQuery {
        since: Some("2023-03-01".into()),
        until: Some("2023-03-31".into()),
        ..Default::default()
    };
    assert_eq!(events(march).0, "a2");
    let spring = EventQuery {
        since: Some("2023-03".into()),
        until: Some("2023".into()),
        ..Default::default()
    };
    assert_eq!(events(spring).0, "b1 a2");
    let of_article = EventQuery {
        article: Some(b.clone()),
        ..Default::default()
    };
    assert_eq!(events(of_article).0, "b1 b0");

    let claims = |q: ClaimQuery| ids(&store.claims(&q).unwrap().items, "statement_id").join(" ");
    assert_eq!(claims(ClaimQuery::default()), "s2 s1");
    assert_eq!(
        claims(ClaimQuery {
            by: Some("russian".into()),
            ..Default::default()
        }),
        "s2"
    );
    assert_eq!(
        claims(ClaimQuery {
            kind: Some("REPORT".into()),
            ..Default::default()
        }),
        "s1"
    );
    assert_eq!(
        claims(ClaimQuery {
            tag: Some("civilians".into()),
            ..Default::default()
        }),
        "s1"
    );
    assert_eq!(
        claims(ClaimQuery {
            tag: Some("civil".into()),
            ..Default::default()
        }),
        "",
        "whole tags only"
    );
    assert_eq!(
        claims(ClaimQuery {
            outlet: Some("levant monitor".into()),
            until: Some("2023-03-31".into()),
            ..Default::default()
        }),
        "s1"
    );
}

fn entities_are_grouped_across_articles(mut store: Store) {
    let articles = stored(
        &mut store,
        &[
            (
                "Shelling hit Ariha on Monday.",
                "Levant Monitor",
                "2023-03-01",
            ),
            (
                "Clashes broke out near Ariha and Saraqib.",
                "Orontes",
                "2023-04-10",
            ),
        ],
    );
    let place = |id: &str, name: &str, lat: f64| EntityRecord {
        entity_id: id.into(),
        kind: "place".into(),
        name: name.into(),
        code: Some("SYR".into()),
        lat: Some(lat),
        lon: Some(36.6),
        line: None,
        resolved: true,
    };
    let layers: Vec<LayerRecord> = articles
        .iter()
        .enumerate()
        .map(|(i, id)| LayerRecord {
            article_id: id.clone(),
            document: "{}".into(),
            entities: if i == 0 {
                vec![place("e1", "Ariha", 35.8)]
            } else {
                vec![place("e1", "Ariha", 35.8), place("e2", "Saraqib", 35.9)]
            },
            ..Default::default()
        })
        .collect();
    store.save_layers("test", &layers).unwrap();
    let page = store.entities(&EntityQuery::default()).unwrap();
    let names: Vec<(&str, usize)> = page
        .items
        .iter()
        .map(|e| (e.name.as_str(), e.articles))
        .collect();
    assert_eq!((names, page.total), (vec![("Ariha", 2), ("Saraqib", 1)], 2));
    let found = store
        .entities(&EntityQuery {
            name: Some("SARA".into()),
            kind: Some("Place".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.items[0].lat, Some(35.9));
    assert!(found.items[0].resolved);
    assert_eq!(found.total, 1);
}

fn layers_are_replaced_not_added_to(mut store: Store) {
    let id = stored(
        &mut store,
        &[(
            "Shelling hit Ariha on Monday.",
            "Levant Monitor",
            "2023-03-01",
        )],
    )
    .remove(0);
    let with = |event: &str| LayerRecord {
        article_id: id.clone(),
        document: format!("{{\"made\": \"{event}\"}}"),
        events: vec![event_row(event, "ASSAULT", "occurred", "2023-03-01", &[])],
        ..Default::default()
    };
    store.save_layers("old", &[with("first")]).unwrap();
    assert_eq!(store.stale_layers("new", 10).unwrap(), vec![id.clone()]);
    store.save_layers("new", &[with("second")]).unwrap();
    assert!(store.stale_layers("new", 10).unwrap().is_empty());
    assert_eq!(
        store.layers(&id).unwrap().unwrap(),
        "{\"made\": \"second\"}"
    );
    let page = store.events(&EventQuery::default()).unwrap();
    assert_eq!(
        (ids(&page.items, "event_id"), page.total),
        (vec!["second".to_string()], 1)
    );
}

fn tracked_claims_and_events_round_trip(mut store: Store) {
    let ids = stored(
        &mut store,
        &[
            (
                "Russia said militants plan an attack near Saraqib.",
                "Levant Monitor",
                "2023-03-01",
            ),
            (
                "Militants attacked Saraqib on Friday.",
                "Orontes",
                "2023-03-12",
            ),
        ],
    );
    for id in &ids {
        store
            .save_layers(
                "layers",
                &[LayerRecord {
                    article_id: id.clone(),
                    document: "{}".into(),
                    ..Default::default()
                }],
            )
            .unwrap();
    }
    assert_eq!(store.untracked("track", 10).unwrap(), ids);
    let claim = TrackedClaim {
        article_id: ids[0].clone(),
        statement_id: "s1".into(),
        thread: "t1".into(),
        relation: "origin".into(),
        rule: "first".into(),
        speaker: Some("Russia".into()),
        kind: "claim".into(),
        date: Some("2023-03-01".into()),
        facts: "{}".into(),
        keys: vec![7, 9],
    };
    let prediction = TrackedEvent {
        article_id: ids[0].clone(),
        event_id: "e1".into(),
        event_type: "ASSAULT".into(),
        mode: "planned".into(),
        date: Some("2023-03-01".into()),
        due: Some("2023-03-31".into()),
        status: Some("pending".into()),
        facts: "{}".into(),
        ..Default::default()
    };
    store
        .save_track(&TrackBatch {
            articles: ids
                .iter()
                .map(|id| (id.clone(), "track".to_string()))
                .collect(),
            claims: vec![claim.clone()],
            events: vec![prediction.clone()],
            ..Default::default()
        })
        .unwrap();
    assert!(store.untracked("track", 10).unwrap().is_empty());
    let near = store
        .claims_with_keys(&[9, 11], Some(("2023-02-20".into(), "2023-03-05".into())))
        .unwrap();
    assert_eq!(
        near.iter()
            .map(|c| c.statement_id.as_str())
            .collect::<Vec<_>>(),
        ["s1"]
    );
    assert!(store
        .claims_with_keys(&[9], Some(("2023-04-01".into(), "2023-04-30".into())))
        .unwrap()
        .is_empty());
    assert_eq!(
        store.tracked_claims(Some("t1")).unwrap()[0]
            .speaker
            .as_deref(),
        Some("Russia")
    );
    assert_eq!(store.tracked_claims(None).unwrap().len(), 1);
    assert_eq!(
        store.thread_origin("t1").unwrap(),
        Some((ids[0].clone(), "s1".into()))
    );
    assert_eq!(
        store
            .open_forward_events("ASSAULT", "2023-03-12", "2023-03-12")
            .unwrap(),
        vec![prediction.clone()]
    );
    assert_eq!(store.pending_past_due("2023-04-02").unwrap().len(), 1);
    let settled = TrackedEvent {
        status: Some("fulfilled".into()),
        verdict: Some("{\"by\": \"e2\"}".into()),
        ..prediction
    };
    store
        .save_track(&TrackBatch {
            verdicts: vec![settled.clone()],
            ..Default::default()
        })
        .unwrap();
    let verdict = store
        .tracked_events_of(&ids[..1])
        .unwrap()
        .into_iter()
        .find(|e| e.event_id == "e1");
    assert_eq!(verdict, Some(settled));
    assert_eq!(
        store
            .tracked_events(Some("fulfilled"), false)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(store.clock().unwrap().as_deref(), Some("2023-03-12"));
}

fn a_harvest_keeps_its_articles_records_and_source_state(mut store: Store) {
    let feed = "https://news.example/feed.xml";
    store
        .list_sources(&[SourceRecord::new(feed, "feed", 600)])
        .unwrap();
    let item = |key: &str, text: &str| FetchedArticle {
        incoming: incoming(key, text, "Example News"),
        record: FetchRecord {
            source: feed.into(),
            key: key.into(),
            article_id: None,
            stamp: Some("Mon, 06 Mar 2023 10:00:00 GMT".into()),
            status: "stored".into(),
        },
        previous: None,
    };
    let mut state = SourceRecord::new(feed, "feed", 600);
    state.etag = Some("\"v1\"".into());
    state.next_due = Some("2023-03-06T10:10:00Z".into());
    let harvest = Harvest {
        source: state,
        articles: vec![
            item("guid-1", WIRE),
            item("guid-2", "Shelling hit Ariha on Monday."),
        ],
        records: vec![FetchRecord {
            source: feed.into(),
            key: "guid-3".into(),
            article_id: None,
            stamp: None,
            status: "gone".into(),
        }],
    };
    let out = store.save_harvest(&harvest).unwrap();
    assert_eq!(out, [Outcome::Added, Outcome::Added]);
    let source = &store.sources().unwrap()[0];
    assert_eq!(
        (source.articles, source.etag.as_deref()),
        (2, Some("\"v1\""))
    );
    assert_eq!(
        store.next_due().unwrap().as_deref(),
        Some("2023-03-06T10:10:00Z")
    );
    assert!(store
        .due_sources("2023-03-06T10:00:00Z")
        .unwrap()
        .is_empty());
    assert_eq!(store.due_sources("2023-03-06T11:00:00Z").unwrap().len(), 1);
    let mut fetched = store.fetched_of(feed).unwrap();
    fetched.sort_by(|a, b| a.key.cmp(&b.key));
    let statuses: Vec<_> = fetched
        .iter()
        .map(|f| (f.key.as_str(), f.status.as_str(), f.article_id.is_some()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("guid-1", "stored", true),
            ("guid-2", "stored", true),
            ("guid-3", "gone", false)
        ]
    );
    // Unlisted sources keep their history but are not polled.
    store.list_sources(&[]).unwrap();
    assert!(!store.sources().unwrap()[0].listed);
    assert!(store
        .due_sources("2024-01-01T00:00:00Z")
        .unwrap()
        .is_empty());
}

fn listings_filter_by_outlet_in_any_case(mut store: Store) {
    stored(
        &mut store,
        &[
            (
                "Shelling hit Ariha on Monday.",
                "Levant Monitor",
                "2023-03-01",
            ),
            ("Clashes broke out near Saraqib.", "Orontes", "2023-04-10"),
            ("A convoy reached Idlib.", "Orontes", "2023-02-10"),
        ],
    );
    let orontes = ListFilter {
        outlet: Some("ORONTES".into()),
        ..Default::default()
    };
    let listed: Vec<_> = store
        .list(&orontes)
        .unwrap()
        .into_iter()
        .map(|a| a.published.unwrap())
        .collect();
    assert_eq!(listed, ["2023-04-10", "2023-02-10"]);
    assert_eq!(store.count(&orontes).unwrap(), 2);
    assert_eq!(store.count(&ListFilter::default()).unwrap(), 3);
    let page = ListFilter {
        limit: 1,
        offset: 1,
        ..Default::default()
    };
    assert_eq!(
        store.list(&page).unwrap()[0].published.as_deref(),
        Some("2023-03-01")
    );
}

/// What a store answers, for comparing two: documents, listings, search, events in a box,
/// claims, entities, tracked statements and sources.
fn answers(store: &Store) -> String {
    let list = store.list(&ListFilter::default()).unwrap();
    let docs: Vec<_> = list
        .iter()
        .map(|a| serde_json::to_string(&store.document(&a.id).unwrap().unwrap()).unwrap())
        .collect();
    let hits: Vec<_> = store
        .search("Saraqib", 10, ("[", "]"))
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .collect();
    let boxed = store
        .events(&EventQuery {
            bbox: Some((30.0, 30.0, 40.0, 45.0)),
            ..Default::default()
        })
        .unwrap();
    format!(
        "{}\n{docs:?}\n{hits:?}\n{:?} {}\n{:?}\n{:?}\n{:?}\n{:?}",
        serde_json::to_string(&list).unwrap(),
        boxed.items,
        boxed.total,
        store.claims(&ClaimQuery::default()).unwrap().items,
        store.entities(&EntityQuery::default()).unwrap().items,
        store.tracked_claims(None).unwrap(),
        store.sources().unwrap(),
    )
}

#[test]
fn a_store_copied_to_postgres_and_back_answers_alike() {
    let dir = tempfile::tempdir().unwrap();
    let mut original = Store::open(&dir.path().join("original.db")).unwrap();
    events_and_claims_filter_sort_and_page_alike_in(&mut original);
    let feed = "https://news.example/feed.xml";
    original
        .save_harvest(&Harvest {
            source: SourceRecord::new(feed, "feed", 600),
            articles: vec![],
            records: vec![FetchRecord {
                source: feed.into(),
                key: "guid-1".into(),
                article_id: None,
                stamp: None,
                status: "gone".into(),
            }],
        })
        .unwrap();
    let scratch = ScratchDatabase::create().unwrap_or_else(|e| panic!("{e}"));
    let mut server = Store::open(scratch.location()).unwrap();
    let copied = original.copy_into(&mut server, |_, _| {}).unwrap();
    assert!(
        copied
            .iter()
            .any(|(table, rows)| table == "events" && *rows == 4),
        "{copied:?}"
    );
    assert_eq!(answers(&server), answers(&original));
    let mut back = Store::open(&dir.path().join("back.db")).unwrap();
    server.copy_into(&mut back, |_, _| {}).unwrap();
    assert_eq!(answers(&back), answers(&original));
    // A store that holds articles is not copied into.
    let err = original.copy_into(&mut back, |_, _| {}).unwrap_err();
    assert!(err.to_string().contains("empty store"), "{err}");
    // New rows after a copy take new ids.
    stored(
        &mut server,
        &[("A convoy reached Idlib.", "Orontes", "2023-05-01")],
    );
    assert_eq!(
        server.stats().unwrap().articles,
        original.stats().unwrap().articles + 1
    );
}

fn jobs_are_taken_once_finished_failed_and_parked(mut store: Store) {
    let hour = std::time::Duration::from_secs(3600);
    let first = store.enqueue("ingest", "{\"n\": 1}").unwrap();
    let second = store.enqueue("ingest", "{\"n\": 2}").unwrap();
    let a = store.claim_job("worker-a", hour, 3).unwrap().unwrap();
    let b = store.claim_job("worker-b", hour, 3).unwrap().unwrap();
    assert_eq!(
        (a.id, a.payload.as_str(), a.attempts),
        (first, "{\"n\": 1}", 1)
    );
    assert_eq!(b.id, second, "a taken job is not taken again");
    assert!(store.claim_job("worker-c", hour, 3).unwrap().is_none());
    assert!(store
        .finish_job(a.id, "worker-a", "{\"added\": 1}")
        .unwrap());
    assert!(
        !store.finish_job(b.id, "worker-a", "{}").unwrap(),
        "only its worker finishes it"
    );
    let done = store.job(first).unwrap().unwrap();
    assert_eq!(
        (done.state.as_str(), done.result),
        ("done", Some(serde_json::json!({"added": 1})))
    );
    // Failing puts it back until it has had its attempts; then it is parked with its error.
    for attempt in 1..=3 {
        let job = match attempt {
            1 => b.clone(),
            _ => store.claim_job("worker-b", hour, 3).unwrap().unwrap(),
        };
        assert_eq!((job.id, job.attempts), (second, attempt));
        store
            .fail_job(job.id, "worker-b", "bad payload", 3)
            .unwrap();
    }
    let parked = store.job(second).unwrap().unwrap();
    assert_eq!(
        (parked.state.as_str(), parked.error.as_deref()),
        ("parked", Some("bad payload"))
    );
    assert!(store.claim_job("worker-b", hour, 3).unwrap().is_none());
    let counts = store.job_counts().unwrap();
    assert_eq!(counts, [("done".to_string(), 1), ("parked".to_string(), 1)]);
    assert_eq!(store.jobs(Some("parked"), 10, 0).unwrap()[0].id, second);
    assert!(store.job(999).unwrap().is_none());
}

fn a_job_whose_worker_died_is_taken_again_when_its_lease_runs_out(mut store: Store) {
    let id = store.enqueue("ingest", "{}").unwrap();
    let no_lease = std::time::Duration::ZERO;
    assert_eq!(
        store.claim_job("dies", no_lease, 2).unwrap().unwrap().id,
        id
    );
    // Leases are kept to the second: past it, the job is another worker's.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let again = store.claim_job("lives", no_lease, 2).unwrap().unwrap();
    assert_eq!((again.id, again.attempts), (id, 2));
    assert!(
        !store.finish_job(id, "dies", "{}").unwrap(),
        "the dead worker's claim is gone"
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    // Its second worker died too: it has had its attempts and is parked, not taken.
    assert!(store.claim_job("third", no_lease, 2).unwrap().is_none());
    let parked = store.job(id).unwrap().unwrap();
    assert_eq!(parked.state, "parked");
    assert!(parked.error.unwrap().contains("worker stopped"));
}
