//! `sitrep eval`: sitrep measured against the reference data, beside its peers.

use super::Status;
use sitrep_eval::extraction::{run_system, Benchmark};
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

/// Geoparsing: sitrep's place layer on LGL and GeoWebNews, with the installed gazetteer.
pub fn geo(dataset: &str, misses: Option<&str>, span_errors: bool) -> anyhow::Result<Status> {
    use sitrep_eval::geo::{
        evaluate, load, render, render_misses, render_span_errors, GeoSystem, Point,
        Span as GoldSpan,
    };
    let resources = super::with_gazetteer(sitrep_annotate::Resources::builtin())?;
    let Some(gazetteer) = resources.gazetteer.as_ref() else {
        anyhow::bail!(
            "the geoparsing evaluation needs the gazetteer: run `sitrep gazetteer install`"
        );
    };
    let resolve_given = |text: &str, spans: &[GoldSpan]| -> Vec<Option<Point>> {
        let spans: Vec<sitrep_core::Span> = spans
            .iter()
            .map(|&(start, end)| sitrep_core::Span { start, end })
            .collect();
        sitrep_annotate::resolve_spans(text, &spans, &resources)
    };
    // GeoWebNews counts a capital standing for its government ("Moscow said") as a toponym;
    // sitrep makes it an actor mention, scored here as a toponym at the capital.
    let capital = |name: &str| -> Option<Point> {
        gazetteer
            .lookup(name)
            .into_iter()
            .find(|c| c.capital && c.name_match > 0.99)
            .map(|c| (c.lat, c.lon))
    };
    let end_to_end = |text: &str| -> Vec<(GoldSpan, Option<Point>)> {
        let doc = sitrep_annotate::annotate(
            sitrep_core::Article::from_normalised_text(text.to_string()),
            &resources,
        );
        let mut found: Vec<(GoldSpan, Option<Point>)> = doc
            .mentions
            .iter()
            .filter_map(|m| {
                let e = doc
                    .entities
                    .iter()
                    .find(|e| Some(&e.id) == m.entity.as_ref())?;
                let span = (m.span.start, m.span.end);
                if m.kind == "place" || e.gazetteer_id.is_some() {
                    Some((span, e.lat.zip(e.lon)))
                } else if m.rule.contains("(metonym:") {
                    Some((span, capital(&m.text)))
                } else {
                    None
                }
            })
            .collect();
        // A capital named in locative position is both a place and its government: one toponym.
        found.sort_by_key(|(span, point)| (*span, point.is_none()));
        found.dedup_by_key(|(span, _)| *span);
        found
    };
    let candidates = |name: &str| -> Vec<Point> {
        gazetteer
            .lookup(name)
            .iter()
            .map(|c| (c.lat, c.lon))
            .collect()
    };
    let system = GeoSystem {
        resolve_given: &resolve_given,
        end_to_end: &end_to_end,
        candidates: &candidates,
    };
    let shared = sitrep_eval::shared_dir();
    let names: Vec<&str> = if dataset == "all" {
        vec!["lgl", "gwn"]
    } else {
        vec![dataset]
    };
    for name in names {
        let articles = load(&shared, name)?;
        let report = evaluate(&articles, &system);
        println!("{}", render(name, &report));
        if let Some(missed) = misses {
            println!("{}", render_misses(missed, &articles, &report));
        }
        if span_errors {
            println!("{}", render_span_errors(&articles, &report));
        }
    }
    Ok(Status::Ok)
}
