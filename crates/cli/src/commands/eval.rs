//! `sitrep eval`: sitrep measured against the reference data, beside its peers.

use super::Status;
use sitrep_eval::extraction::{run_system, Benchmark};
use sitrep_eval::geo::{Found, GeoArticle, Point, Resolved, Span as GoldSpan};
use std::path::PathBuf;

pub fn extraction(data: Option<PathBuf>, worst: usize) -> anyhow::Result<Status> {
    let dir = data.unwrap_or_else(|| sitrep_eval::shared_dir().join("extraction"));
    let bench = Benchmark::load(&dir)?;
    let ours = run_system(&bench, "sitrep", |html| {
        sitrep_ingest::extract_html_text(html).map_err(|e| e.to_string())
    })?;
    let peers = bench.peer_results()?;
    print!(
        "{}",
        sitrep_eval::extraction::render(&bench, &ours, &peers, worst)
    );
    Ok(Status::Ok)
}

/// Event types: sitrep's events layer on PLOVER's gold-standard records.
pub fn plover() -> anyhow::Result<Status> {
    use sitrep_eval::plover::{evaluate, load, render, FoundEvent};
    let resources = sitrep_annotate::Resources::builtin();
    let records = load(&sitrep_eval::shared_dir())?;
    let system = |text: &str| -> Vec<FoundEvent> {
        let doc = sitrep_annotate::annotate(
            sitrep_core::Article::from_normalised_text(text.to_string()),
            &resources,
        );
        doc.events
            .iter()
            .map(|e| FoundEvent {
                span: (e.span.start, e.span.end),
                event_type: e.event_type.clone(),
                subtype: e.subtype.clone(),
                contexts: e.contexts.clone(),
            })
            .collect()
    };
    print!("{}", render(&evaluate(&records, &system)));
    Ok(Status::Ok)
}

/// Attributions, events and modes on the claims gold, through the document JSON users read.
pub fn claims(
    gold: Option<PathBuf>,
    errors: bool,
    confusion: bool,
    dictionaries: &crate::cli::DictionaryArgs,
) -> anyhow::Result<Status> {
    use sitrep_eval::claims::{evaluate, load, render};
    let path = gold.unwrap_or_else(|| sitrep_eval::shared_dir().join("claims/gwn-dev.jsonl"));
    let articles = load(&path)?;
    let resources = super::load_resources(dictionaries)?;
    let system = |text: &str| -> serde_json::Value {
        let article =
            sitrep_core::Article::from_normalised_text(sitrep_core::text::normalise(text));
        let doc = sitrep_annotate::annotate(article, &resources);
        serde_json::to_value(&doc).unwrap_or_default()
    };
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    print!(
        "{}",
        render(&evaluate(&articles, &system), &name, confusion, errors)
    );
    Ok(Status::Ok)
}

/// Did it happen: each UDS-IH2 sentence annotated as an article, each judged predicate's mode
/// mapped to happened or not.
pub fn factuality(
    data: Option<PathBuf>,
    errors: bool,
    dictionaries: &crate::cli::DictionaryArgs,
) -> anyhow::Result<Status> {
    use sitrep_eval::factuality::{evaluate, load, render};
    let folder = data.unwrap_or_else(|| sitrep_eval::shared_dir().join("modality/uds-ih2"));
    let resources = super::load_resources(dictionaries)?;
    let system = |text: &str, predicates: &[sitrep_core::Span]| {
        let article = sitrep_core::Article::from_normalised_text(text.to_string());
        sitrep_annotate::factuality(article, &resources, predicates)
            .into_iter()
            .map(|judged| judged.map(|(mode, rule)| (happened(&mode), format!("{mode}: {rule}"))))
            .collect()
    };
    let mut reports = Vec::new();
    for split in ["dev", "test"] {
        let sentences = load(&folder, split)?;
        reports.push(evaluate(split, &sentences, &system));
    }
    print!("{}", render(&reports, errors));
    Ok(Status::Ok)
}

/// Whether a mode says the event happened (or is happening), in the writer's view.
fn happened(mode: &str) -> bool {
    sitrep_eval::claims::status(Some(mode)) == Some("happened")
}

/// Event coding: sitrep's events layer, with PETRARCH2's unit-test dictionaries in place of
/// its own, on PETRARCH2's unit tests.
pub fn petrarch(show_failures: bool) -> anyhow::Result<Status> {
    use sitrep_eval::petrarch::{evaluate, load, render};
    let suite = load(&sitrep_eval::shared_dir())?;
    let (resources, _issues) =
        sitrep_annotate::Resources::load(&sitrep_annotate::DictionaryChoice {
            extra: suite.dictionaries.clone(),
            no_defaults: true,
        })?;
    let report = evaluate(&suite, &|test| code_unit_test(test, &resources));
    print!("{}", render(&report, show_failures));
    Ok(Status::Ok)
}

/// A unit test's sentence as an article of its date, annotated, and its events as triples.
fn code_unit_test(
    test: &sitrep_eval::petrarch::UnitTest,
    resources: &sitrep_annotate::Resources,
) -> sitrep_eval::petrarch::Outcome {
    let mut article = sitrep_core::Article::from_normalised_text(test.text.clone());
    let iso = |d: &str| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8]);
    article.published = (test.date.len() == 8)
        .then(|| sitrep_core::PartialDate::parse(&iso(&test.date)).ok())
        .flatten()
        .map(|date| sitrep_core::Published::new(date, sitrep_core::DateBasis::User));
    let doc = sitrep_annotate::annotate(article, resources);
    let mut coded = std::collections::BTreeSet::new();
    let mut rules = Vec::new();
    for row in sitrep_export::EventRow::all(&doc) {
        let triples: Vec<_> = row
            .cameo_triples()
            .into_iter()
            .filter(|(s, t, _)| !test.require_dyad || (s != "---" && t != "---"))
            .collect();
        if !triples.is_empty() {
            rules.push(format!("{:?} {}", row.text, row.rule));
        }
        coded.extend(triples);
    }
    sitrep_eval::petrarch::Outcome { coded, rules }
}

/// Geoparsing: sitrep's place layer on LGL and GeoWebNews, with the installed gazetteer.
/// Each data set runs twice: with sitrep's built-in outlet homes only, then with homes learned
/// from the data set's own articles (unsupervised: from the places a first pass resolved, no
/// gold), as sitrep learns them from a batch of an outlet's reports.
pub fn geo(
    dataset: &str,
    misses: Option<&str>,
    span_errors: bool,
    worst: usize,
) -> anyhow::Result<Status> {
    use sitrep_eval::geo::{
        evaluate, load, render, render_misses, render_span_errors, render_worst,
    };
    let builtin = super::with_gazetteer(sitrep_annotate::Resources::builtin())?;
    if builtin.gazetteer.is_none() {
        anyhow::bail!(
            "the geoparsing evaluation needs the gazetteer: run `sitrep gazetteer install`"
        );
    }
    let shared = sitrep_eval::shared_dir();
    let names: Vec<&str> = if dataset == "all" {
        vec!["lgl", "gwn"]
    } else {
        vec![dataset]
    };
    for name in names {
        let articles = load(&shared, name)?;
        let before = evaluate(
            &articles,
            &GeoRun {
                resources: &builtin,
            },
        );
        let documents: Vec<sitrep_core::Document> = articles
            .iter()
            .map(|a| sitrep_annotate::annotate(article_of(a), &builtin))
            .collect();
        let gazetteer = builtin.gazetteer.as_ref().expect("checked above");
        let learned = builtin.outlet_homes.learn(&documents, gazetteer);
        let outlets = learned.len();
        let with_homes = super::with_gazetteer(sitrep_annotate::Resources::builtin())?
            .with_outlet_homes(learned);
        let report = evaluate(
            &articles,
            &GeoRun {
                resources: &with_homes,
            },
        );
        println!("{}", render(name, &report));
        println!(
            "Outlet homes learned from the data set's own articles (no gold): {outlets}. \
             Without them: gold spans {:.1}%, end to end {:.1}%, recognition F1 {:.3}.\n",
            before.given_spans.accuracy_161() * 100.0,
            before.end_to_end.accuracy_161() * 100.0,
            before.recognition.exact_prf().2
        );
        if let Some(missed) = misses {
            println!("{}", render_misses(missed, &articles, &report));
        }
        if worst > 0 {
            println!("The {worst} resolutions farthest off (gold spans given):");
            println!("{}", render_worst(worst, &articles, &report));
        }
        if span_errors {
            println!("{}", render_span_errors(&articles, &report));
        }
    }
    Ok(Status::Ok)
}

/// An evaluation article as sitrep reads it: its text, and its URL for the outlet.
fn article_of(a: &GeoArticle) -> sitrep_core::Article {
    let mut article = sitrep_core::Article::from_normalised_text(a.text.clone());
    article.url = a.url.clone();
    article
}

/// sitrep's place layer, as the geoparsing evaluation calls it.
struct GeoRun<'r> {
    resources: &'r sitrep_annotate::Resources,
}

/// A place as the evaluation compares it with the gold.
fn resolved(place: &sitrep_gazetteer::Place) -> Resolved {
    Resolved {
        point: (place.lat, place.lon),
        geonames_id: geonames_id(&place.id),
        small_settlement: sitrep_annotate::is_small_settlement(place),
    }
}

/// The number of a `geonames:N` place id.
fn geonames_id(id: &str) -> Option<u64> {
    id.strip_prefix("geonames:")?.parse().ok()
}

impl sitrep_eval::geo::GeoSystem for GeoRun<'_> {
    fn resolve_given(&self, a: &GeoArticle, spans: &[GoldSpan]) -> Vec<Option<Resolved>> {
        let spans: Vec<sitrep_core::Span> = spans
            .iter()
            .map(|&(start, end)| sitrep_core::Span { start, end })
            .collect();
        let home = self.resources.outlet_homes.home_of(&article_of(a));
        sitrep_annotate::resolve_spans(&a.text, &spans, home.as_deref(), self.resources)
            .iter()
            .map(|p| p.as_ref().map(resolved))
            .collect()
    }

    fn names_large_area(&self, text: &str, (start, end): GoldSpan) -> bool {
        sitrep_annotate::names_large_area(text, sitrep_core::Span { start, end }, self.resources)
    }

    fn end_to_end(&self, a: &GeoArticle) -> Found {
        let doc = sitrep_annotate::annotate(article_of(a), self.resources);
        let mut found: Found = doc
            .mentions
            .iter()
            .filter_map(|m| {
                let e = doc
                    .entities
                    .iter()
                    .find(|e| Some(&e.id) == m.entity.as_ref())?;
                let span = (m.span.start, m.span.end);
                if m.kind == "place" || e.gazetteer_id.is_some() {
                    let place = e.lat.zip(e.lon).map(|point| Resolved {
                        point,
                        geonames_id: e.gazetteer_id.as_deref().and_then(geonames_id),
                        small_settlement: false,
                    });
                    Some((span, place))
                } else if m.rule.contains("(metonym:") {
                    Some((span, self.capital(&m.text)))
                } else {
                    None
                }
            })
            .collect();
        // A capital named in locative position is both a place and its government: one toponym.
        found.sort_by_key(|(span, point)| (*span, point.is_none()));
        found.dedup_by_key(|(span, _)| *span);
        found
    }

    fn candidates(&self, text: &str, (start, end): GoldSpan) -> Vec<Point> {
        sitrep_annotate::candidate_points(text, sitrep_core::Span { start, end }, self.resources)
    }
}

impl GeoRun<'_> {
    /// GeoWebNews counts a capital standing for its government ("Moscow said") as a toponym;
    /// sitrep makes it an actor mention, scored here as a toponym at the capital.
    fn capital(&self, name: &str) -> Option<Resolved> {
        self.resources
            .gazetteer
            .as_ref()?
            .lookup(name)
            .into_iter()
            .find(|c| c.capital && c.name_match > 0.99)
            .map(|c| resolved(&c.place))
    }
}

/// Claim threads against the hand-made groups: the demo corpus and FA-KES, each ingested and
/// tracked in a fresh store.
pub fn threads() -> anyhow::Result<Status> {
    use sitrep_eval::threads::{evaluate, load, render};
    let gold = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../eval/data");
    let demo: Vec<sitrep_ingest::Item> = crate::demo_corpus::FILES
        .iter()
        .flat_map(|(name, bytes)| sitrep_ingest::read_bytes(name, bytes, &Default::default()))
        .collect();
    let fakes_path = sitrep_eval::shared_dir().join("newsdata/fakes/FA-KES-Dataset.csv");
    let fakes = sitrep_eval::fakes::to_jsonl(&sitrep_eval::fakes::read(&fakes_path)?);
    let fakes = sitrep_ingest::read_bytes("FA-KES", fakes.as_bytes(), &Default::default());
    let mut rows = Vec::new();
    for (name, items) in [("threads-demo", demo), ("threads-fakes", fakes)] {
        let groups = load(&gold.join(format!("{name}.jsonl")))?;
        let dir = tempfile::tempdir()?;
        let mut store = sitrep_store::Store::open(&dir.path().join("eval.db"))?;
        let incoming: Vec<sitrep_store::Incoming> = items
            .into_iter()
            .filter_map(|item| {
                let reading = item.result.ok()?;
                Some(sitrep_store::Incoming {
                    origin: item.origin,
                    article: reading.article,
                    warnings: reading.warnings,
                })
            })
            .collect();
        store.ingest_batch(&incoming)?;
        // The built-in resources without a gazetteer: the same figures on every machine.
        let mut ledger = sitrep_ledger::Ledger::with_track(
            store,
            sitrep_annotate::Resources::builtin(),
            super::track_settings(),
        );
        ledger.refresh()?;
        let store = &ledger.store;
        let system = |key: &str| -> Option<sitrep_eval::threads::Tracked> {
            let id = store
                .article_id_by_title(key)
                .ok()
                .flatten()
                .unwrap_or_else(|| key.to_string());
            let doc = sitrep_ledger::document(store, &id).ok()??;
            let statements = doc
                .statements
                .iter()
                .filter_map(|s| {
                    let (thread, _) = store.claim_thread(&doc.article.id, &s.id).ok()??;
                    Some((s.span.start, s.span.end, thread))
                })
                .collect();
            Some(sitrep_eval::threads::Tracked {
                text: doc.article.text.clone(),
                statements,
            })
        };
        rows.push((name.to_string(), evaluate(&groups, system)));
    }
    print!("{}", render(&rows));
    Ok(Status::Ok)
}
