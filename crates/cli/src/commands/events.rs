//! `sitrep events`, `sitrep claims` and `sitrep export`: the events and claims of stored
//! articles, filtered, for people or for other tools. They read the ledger, whose layers are
//! brought up to date with today's dictionaries and gazetteer first (only articles annotated
//! with other resources, or never, are annotated again).

use super::{open_existing, Status};
use crate::cli::{
    ClaimFormat, ClaimsArgs, EventFilterArgs, EventFormat, EventsArgs, ExportArgs, ExportFormat,
};
use crate::output::{self, Style};
use anyhow::Context;
use sitrep_export::{ClaimRow, EventRow};
use sitrep_ledger::Ledger;
use sitrep_store::{ClaimQuery, EventQuery};
use std::io::Write;
use std::path::Path;

pub fn show(args: EventsArgs, db: &Path) -> anyhow::Result<Status> {
    let rows = rows(&ledger(db)?, &args.filter)?;
    let mut out = output::stdout();
    match args.format {
        EventFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        EventFormat::Jsonl => sitrep_export::write_jsonl(&mut out, &rows)?,
        EventFormat::Table => {
            let style = Style::for_stdout();
            for r in &rows {
                let list = |names: &[String]| {
                    if names.is_empty() {
                        "?".to_string()
                    } else {
                        names.join(" + ")
                    }
                };
                writeln!(
                    out,
                    "{}  {:<10} {:<9} {:<10} {} → {}{}  {}{}",
                    style.dim(
                        r.event_date
                            .as_deref()
                            .or(r.published.as_deref())
                            .unwrap_or("—")
                    ),
                    style.accent(&r.mode),
                    r.event_type,
                    output::truncate(r.outlet.as_deref().unwrap_or("—"), 10),
                    style.bold(&list(&r.actors)),
                    list(&r.targets),
                    r.location
                        .as_ref()
                        .map(|l| format!(" @ {l}"))
                        .unwrap_or_default(),
                    style.dim(&format!(
                        "“{}”{}",
                        r.text,
                        r.claimed_by
                            .as_ref()
                            .map(|c| format!(" — claimed by {c}"))
                            .unwrap_or_default()
                    )),
                    style.dim(&verdict(r))
                )?;
            }
            if rows.is_empty() {
                eprintln!("no events match");
            }
        }
    }
    out.flush()?;
    Ok(Status::Ok)
}

/// What later articles made of an event: a prediction's status, an allegation's standing.
fn verdict(r: &EventRow) -> String {
    match (&r.status, &r.corroboration) {
        (Some(status), _) => format!(" · {status}"),
        (None, Some(c)) => format!(" · {c}"),
        _ => String::new(),
    }
}

pub fn export(args: ExportArgs, db: &Path) -> anyhow::Result<Status> {
    if args.format == ExportFormat::Parquet || args.schema || args.out.is_some() {
        return super::tables::export(&args, db);
    }
    let ledger = ledger(db)?;
    let rows = rows(&ledger, &args.filter)?;
    let mut out = output::stdout();
    match args.format {
        ExportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        ExportFormat::Jsonl => sitrep_export::write_jsonl(&mut out, &rows)?,
        ExportFormat::Acled | ExportFormat::Csv => {
            sitrep_export::write_acled_csv(&mut out, &rows).context("writing CSV")?
        }
        ExportFormat::Geojson => sitrep_export::write_geojson(&mut out, &rows)?,
        ExportFormat::Plover => sitrep_export::write_plover(&mut out, &rows)?,
        ExportFormat::Stix => {
            let kept: std::collections::HashSet<(&str, &str)> = rows
                .iter()
                .map(|r| (r.article_id.as_str(), r.event_id.as_str()))
                .collect();
            let mut article_ids: Vec<&str> = kept.iter().map(|(a, _)| *a).collect();
            article_ids.sort();
            article_ids.dedup();
            let mut docs = Vec::with_capacity(article_ids.len());
            for id in article_ids {
                docs.extend(ledger.document(id)?);
            }
            let created = chrono::Utc::now()
                .format("%Y-%m-%dT%H:%M:%S%.3fZ")
                .to_string();
            let keep =
                |row: &EventRow| kept.contains(&(row.article_id.as_str(), row.event_id.as_str()));
            let tracked = sitrep_ledger::tracked_for(&ledger.store, &docs, &rows)?;
            sitrep_export::write_stix(&mut out, &docs, &keep, &tracked, &created)?
        }
        ExportFormat::Parquet => unreachable!("tables::export writes parquet"),
    }
    out.flush()?;
    Ok(Status::Ok)
}

pub fn claims(args: ClaimsArgs, db: &Path) -> anyhow::Result<Status> {
    let rows: Vec<ClaimRow> = ledger(db)?
        .claims(&ClaimQuery {
            by: args.by.clone(),
            kind: args.kind.clone(),
            tag: args.tag.clone(),
            outlet: args.scope.outlet.clone(),
            since: args.scope.since.clone(),
            until: args.scope.until.clone(),
            ..Default::default()
        })?
        .items;
    let mut out = output::stdout();
    match args.format {
        ClaimFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        ClaimFormat::Jsonl => sitrep_export::write_jsonl(&mut out, &rows)?,
        ClaimFormat::Table => {
            let style = Style::for_stdout();
            for r in &rows {
                let tags = if r.tags.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", r.tags.join(", "))
                };
                let events = if r.events.is_empty() {
                    String::new()
                } else {
                    format!(" · events: {}", r.events.join(", "))
                };
                writeln!(
                    out,
                    "{}  {} {} {}{}",
                    style.dim(r.date.as_deref().or(r.published.as_deref()).unwrap_or("—")),
                    style.bold(&r.speaker),
                    style.accent(&format!("{} ({}, {})", r.cue, r.form, r.kind)),
                    style.dim(&format!("via {}", r.chain.join(" → "))),
                    style.dim(&format!("{tags}{events}"))
                )?;
                if let (Some(thread), Some(relation)) = (&r.thread, &r.relation) {
                    writeln!(
                        out,
                        "      {}",
                        style.dim(&format!("thread {thread} ({relation})"))
                    )?;
                }
                writeln!(out, "      {}", output::truncate(&r.text, 200))?;
            }
            if rows.is_empty() {
                eprintln!("no claims match");
            }
        }
    }
    out.flush()?;
    Ok(Status::Ok)
}

/// The store's ledger with today's resources, its layers brought up to date.
pub(super) fn ledger(db: &Path) -> anyhow::Result<Ledger> {
    let store = open_existing(db)?;
    let resources = super::with_gazetteer(sitrep_annotate::Resources::builtin())?;
    let mut ledger = Ledger::with_track(store, resources, super::track_settings());
    let annotated = ledger.refresh()?;
    if annotated > 0 {
        eprintln!("sitrep: annotated {annotated} articles with the current resources");
    }
    Ok(ledger)
}

/// The box of the area `--within` names, said on stderr so the user sees which place it took.
/// West lies east of east for an area across the antimeridian (Russia, Fiji).
fn area_box(ledger: &Ledger, name: &str) -> anyhow::Result<(f64, f64, f64, f64)> {
    let area = sitrep_annotate::area_named(name, &ledger.resources).ok_or_else(|| {
        anyhow::anyhow!(
            "--within {name}: no country, division or continent of that name in the gazetteer \
             (is it installed? `sitrep gazetteer install`)"
        )
    })?;
    let x = area.extent.expect("areas have extents");
    eprintln!(
        "sitrep: inside {} ({}, {} {}): {:.2},{:.2},{:.2},{:.2}",
        area.name,
        area.id,
        area.kind.as_str(),
        area.country,
        x.south,
        x.west,
        x.north,
        x.east
    );
    Ok((x.south, x.west, x.north, x.east))
}

/// The stored events that pass the filter, newest first; near-duplicates' events are left out
/// (their facts would repeat).
fn rows(ledger: &Ledger, args: &EventFilterArgs) -> anyhow::Result<Vec<EventRow>> {
    let query = EventQuery {
        actor: args.actor.clone(),
        event_type: args.event_type.clone(),
        mode: args.mode.clone(),
        outlet: args.scope.outlet.clone(),
        since: args.scope.since.clone(),
        until: args.scope.until.clone(),
        bbox: match &args.within {
            Some(name) => Some(area_box(ledger, name)?),
            None => args
                .bbox
                .as_deref()
                .map(sitrep_ledger::parse_bbox)
                .transpose()
                .map_err(|e| anyhow::anyhow!("--bbox {e}"))?,
        },
        ..Default::default()
    };
    let near = args
        .near
        .as_deref()
        .map(sitrep_ledger::parse_near)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--near {e}"))?;
    Ok(ledger.events(&query, near)?.items)
}
