//! The ledger over a store of the demo corpus and the Idlib report: layers made once and
//! remade only when the resources change; events and claims filtered, sorted and paged by the
//! store.

use sitrep_annotate::{DictionaryChoice, Resources};
use sitrep_ledger::Ledger;
use sitrep_store::{ClaimQuery, EntityQuery, EventQuery, Incoming, Store};
use std::path::Path;

/// A store holding the demo corpus and the Idlib report.
fn store(dir: &Path) -> Store {
    let mut store = Store::open(&dir.join("ledger.db")).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut inputs: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("data/demo"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x != "md"))
        .collect();
    inputs.push(sitrep_core_shared().join("examples/idlib-false-flag.txt"));
    let mut batch = Vec::new();
    for path in inputs {
        let bytes = std::fs::read(&path).unwrap();
        let origin = path.display().to_string();
        for item in sitrep_ingest::read_bytes(&origin, &bytes, &Default::default()) {
            let reading = item.result.unwrap();
            batch.push(Incoming {
                origin: item.origin,
                article: reading.article,
                warnings: reading.warnings,
            });
        }
    }
    store.ingest_batch(&batch).unwrap();
    store
}

/// The built-in resources with a gazetteer of sitrep's curated north-west Syria only.
fn resources(dir: &Path) -> Resources {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/places");
    let name = "syria_northwest.toml";
    let text = std::fs::read_to_string(root.join(name)).unwrap();
    let mut builder = sitrep_gazetteer::Builder::new();
    builder.add(
        name,
        sitrep_gazetteer::sources::curated(name, &text).unwrap(),
    );
    let at = dir.join("gazetteer");
    builder.write(&at).unwrap();
    Resources::builtin().with_gazetteer(sitrep_gazetteer::Gazetteer::open(&at).unwrap())
}

fn sitrep_core_shared() -> std::path::PathBuf {
    std::env::var_os("SITREP_SHARED")
        .map(Into::into)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

#[test]
fn layers_are_made_once_and_remade_when_the_resources_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::new(store(dir.path()), Resources::builtin());
    let made = ledger.refresh().unwrap();
    assert!(made >= 15, "{made}");
    assert_eq!(
        ledger.refresh().unwrap(),
        0,
        "nothing stale the second time"
    );
    // Other dictionaries: every article is annotated again.
    let dictionary = dir.path().join("extra.toml");
    std::fs::write(
        &dictionary,
        "[[actor]]\nname = \"Orontes Brigade\"\nkind = \"armed_group\"\ncode = \"SYRREB\"\n",
    )
    .unwrap();
    let (other, _) = Resources::load(&DictionaryChoice {
        extra: vec![dictionary],
        no_defaults: false,
    })
    .unwrap();
    assert_ne!(other.fingerprint, ledger.resources.fingerprint);
    let store = ledger.store;
    let mut ledger = Ledger::new(store, other);
    assert_eq!(ledger.refresh().unwrap(), made);
}

#[test]
fn events_are_filtered_sorted_and_paged_by_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::new(store(dir.path()), resources(dir.path()));
    ledger.refresh().unwrap();
    let all = ledger.events(&EventQuery::default(), None).unwrap();
    assert_eq!(all.total, all.items.len());
    assert!(all.total > 30, "{}", all.total);
    // Newest first, undated last.
    let dates: Vec<Option<String>> = all
        .items
        .iter()
        .map(|r| r.event_date.clone().or_else(|| r.published.clone()))
        .collect();
    let dated: Vec<&String> = dates.iter().flatten().collect();
    assert!(dated.windows(2).all(|w| w[0] >= w[1]), "{dated:?}");
    // Pages tile the whole, in the same order.
    let page = |offset| {
        ledger
            .events(
                &EventQuery {
                    limit: 7,
                    offset,
                    ..Default::default()
                },
                None,
            )
            .unwrap()
    };
    let (first, second) = (page(0), page(7));
    assert_eq!(first.total, all.total);
    assert_eq!(first.items, all.items[..7]);
    assert_eq!(second.items, all.items[7..14]);

    let q = |query: EventQuery| ledger.events(&query, None).unwrap().items;
    let planned = q(EventQuery {
        mode: Some("PLANNED".into()),
        ..Default::default()
    });
    assert!(!planned.is_empty() && planned.iter().all(|r| r.mode == "planned"));
    let hts = q(EventQuery {
        actor: Some("tahrir".into()),
        ..Default::default()
    });
    assert!(!hts.is_empty());
    assert!(hts.iter().all(|r| r
        .actors
        .iter()
        .chain(&r.targets)
        .any(|n| n.to_lowercase().contains("tahrir"))));
    // Dates compare at the coarser precision: January 2023, and what is dated only "2023".
    let january = q(EventQuery {
        since: Some("2023-01".into()),
        until: Some("2023-01".into()),
        ..Default::default()
    });
    assert!(!january.is_empty());
    assert!(january.iter().all(|r| r
        .event_date
        .as_ref()
        .or(r.published.as_ref())
        .is_some_and(|d| d.starts_with("2023-01") || d == "2023")));
    // Only placed events inside the box.
    let idlib_box = (35.5, 36.0, 36.2, 37.0);
    let boxed = q(EventQuery {
        bbox: Some(idlib_box),
        ..Default::default()
    });
    assert!(!boxed.is_empty());
    assert!(boxed.iter().all(|r| {
        let (lat, lon) = (r.latitude.unwrap(), r.longitude.unwrap());
        (35.5..=36.2).contains(&lat) && (36.0..=37.0).contains(&lon)
    }));
    // Near a point: within the distance, and the page's total counts them all.
    let near = ledger
        .events(&EventQuery::default(), Some((35.93, 36.63, 40.0)))
        .unwrap();
    assert!(near.total > 0 && near.total == near.items.len());
    assert!(near.items.iter().all(|r| sitrep_core::geo::distance_km(
        (r.latitude.unwrap(), r.longitude.unwrap()),
        (35.93, 36.63)
    ) <= 40.0));
}

#[test]
fn claims_entities_and_documents_come_from_the_stored_layers() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::new(store(dir.path()), Resources::builtin());
    ledger.refresh().unwrap();
    let yegorov = ledger
        .claims(&ClaimQuery {
            by: Some("yegorov".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(yegorov.total >= 2, "{}", yegorov.total);
    assert!(yegorov.items.iter().all(|c| c.speaker.contains("Yegorov")));
    let false_flag = ledger
        .claims(&ClaimQuery {
            tag: Some("false_flag".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(false_flag
        .items
        .iter()
        .all(|c| c.tags.contains(&"false_flag".into())));
    assert!(false_flag.total > 0);

    let entities = ledger
        .entities(&EntityQuery {
            name: Some("tahrir".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(entities.items[0].name, "Hayat Tahrir al-Sham");
    assert!(entities.items[0].articles >= 2);

    let id = &yegorov.items[0].article_id;
    let doc = ledger
        .document(&id[..10])
        .unwrap()
        .expect("found by prefix");
    assert_eq!(&doc.article.id, id);
    assert!(!doc.events.is_empty() && !doc.statements.is_empty());
    assert!(doc.invalid_spans().is_empty());
}
