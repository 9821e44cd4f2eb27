//! `sitrep demo`: ingest the built-in corpus and walk through what sitrep shows, using the same
//! commands a user would type next.

use super::{events, ingest, query, Status};
use crate::cli::{
    ClaimantsArgs, DocFormat, EventFilterArgs, EventFormat, EventsArgs, ListArgs, PredictionsArgs,
    SearchArgs, ShowArgs, TableFormat, ThreadsArgs, TrackFormat,
};
use crate::demo_corpus;
use crate::output::Style;
use sitrep_ingest::{read_bytes, Limits};
use sitrep_store::{ListFilter, Store};
use std::path::PathBuf;

pub fn run(db: PathBuf) -> anyhow::Result<Status> {
    let style = Style::for_stdout();
    // Places need the gazetteer: build it on first use; without one the tour still runs.
    let gazetteer = super::gazetteer_dir(None)?;
    if sitrep_gazetteer::Gazetteer::open(&gazetteer).is_err() {
        eprintln!("sitrep: the gazetteer is not installed (or is from another version); installing it ...");
        if let Err(e) = super::gazetteer::install(&[], &gazetteer) {
            eprintln!("sitrep: note: could not install the gazetteer ({e:#}); places will not be resolved");
        }
    }
    let heading = |n: u32, title: &str, command: &str| {
        println!(
            "\n{} {}\n{}\n",
            style.bold(&format!("{n}.")),
            style.bold(title),
            style.dim(&format!("$ {command}"))
        );
    };
    let db_flag = format!("--db {}", db.display());

    heading(
        1,
        "Ingest the sample corpus (text, HTML, RSS, Atom and JSON lines, sniffed by content)",
        &format!("sitrep {db_flag} ingest data/demo"),
    );
    let mut store = Store::open(&db)?;
    let limits = Limits::default();
    let items = demo_corpus::FILES
        .iter()
        .flat_map(|(name, bytes)| read_bytes(&format!("demo/{name}"), bytes, &limits));
    let tally = ingest::ingest_items(&mut store, items, 500, false, ingest::Destination::Store)?;
    print!("{}", tally.summary(&db));

    heading(
        2,
        "Every stored article, newest first",
        &format!("sitrep {db_flag} list"),
    );
    query::list(
        ListArgs {
            outlet: None,
            limit: 50,
            offset: 0,
            unique: false,
            format: TableFormat::Table,
        },
        &db,
    )?;

    heading(
        3,
        "Full-text search, ranked, with snippets",
        &format!("sitrep {db_flag} search chemical"),
    );
    query::search(
        SearchArgs {
            query: "chemical".into(),
            limit: 3,
            format: TableFormat::Table,
        },
        &db,
    )?;

    if let Some(wire) = store
        .list(&ListFilter {
            limit: 0,
            ..Default::default()
        })?
        .into_iter()
        .find(|a| a.duplicate_of.is_some())
        .and_then(|copy| copy.duplicate_of)
    {
        heading(
            4,
            "A wire story republished: the exact copy is a sighting, the trimmed one a linked near-duplicate",
            &format!("sitrep {db_flag} show {} --format pretty", &wire[..12]),
        );
        query::show(
            ShowArgs {
                id: wire,
                format: DocFormat::Pretty,
            },
            &db,
        )?;
    }

    heading(
        5,
        "Events that did not (yet) happen: planned, threatened, predicted — and who claims so",
        &format!("sitrep {db_flag} events --mode planned    (then threatened, predicted)"),
    );
    for mode in ["planned", "threatened", "predicted"] {
        events::show(
            EventsArgs {
                filter: EventFilterArgs {
                    mode: Some(mode.into()),
                    ..EventFilterArgs::default()
                },
                format: EventFormat::Table,
            },
            &db,
        )?;
    }

    heading(
        6,
        "The same claim across outlets: who made it first, who relayed, repeated or denied it",
        &format!("sitrep {db_flag} threads --min-claims 3"),
    );
    super::track::threads(
        ThreadsArgs {
            thread: None,
            by: None,
            min_claims: 3,
            format: TrackFormat::Pretty,
        },
        &db,
    )?;

    heading(
        7,
        "Predictions settled against what followed: fulfilled, unfulfilled, contradicted, pending",
        &format!("sitrep {db_flag} predictions"),
    );
    super::track::predictions(
        PredictionsArgs {
            status: None,
            thread: None,
            format: TrackFormat::Pretty,
        },
        &db,
    )?;

    heading(
        8,
        "Claimants' records: claims, predictions by status, allegations, denials",
        &format!("sitrep {db_flag} claimants --by Russian"),
    );
    super::track::claimants(
        ClaimantsArgs {
            by: Some("Russian".into()),
            format: TrackFormat::Pretty,
        },
        &db,
    )?;

    println!(
        "\n{}\n  sitrep {db_flag} search '\"joint patrol\" OR denies'\n  sitrep {db_flag} show <id>            the document JSON\n  sitrep {db_flag} claims --kind accusation   who accuses whom\n  sitrep {db_flag} export --format geojson    events for a map\n  sitrep {db_flag} serve                      the map, timeline and claims ledger at http://127.0.0.1:8573\n  sitrep extract <file> --format json   any article of your own, no store\n",
        style.bold("Go on from here:")
    );
    Ok(tally.status())
}
