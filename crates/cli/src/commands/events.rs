//! `sitrep events`, `sitrep claims` and `sitrep export`: the events and claims of stored
//! articles, filtered, for people or for other tools. Stored articles are annotated again with the current resources (the store
//! keeps articles, not layers), so events always reflect today's dictionaries and gazetteer.

use super::{open_existing, Status};
use crate::cli::{
    ClaimFormat, ClaimsArgs, EventFilterArgs, EventFormat, EventsArgs, ExportArgs, ExportFormat,
};
use crate::output::{self, Style};
use anyhow::{bail, Context};
use sitrep_export::{ClaimFilter, ClaimRow, EventFilter, EventRow};
use sitrep_store::ListFilter;
use std::io::Write;
use std::path::Path;

pub fn show(args: EventsArgs, db: &Path) -> anyhow::Result<Status> {
    let rows = rows(&args.filter, db)?;
    let mut out = output::stdout();
    match args.format {
        EventFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
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
                    "{}  {:<10} {:<9} {:<10} {} → {}{}  {}",
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
                    ))
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

pub fn export(args: ExportArgs, db: &Path) -> anyhow::Result<Status> {
    let filter = event_filter(&args.filter)?;
    let docs = annotated(db, args.filter.scope.outlet.clone())?;
    let rows: Vec<EventRow> = docs
        .iter()
        .flat_map(EventRow::all)
        .filter(|r| filter.keeps(r))
        .collect();
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
            let created = chrono::Utc::now()
                .format("%Y-%m-%dT%H:%M:%S%.3fZ")
                .to_string();
            sitrep_export::write_stix(&mut out, &docs, &|row| filter.keeps(row), &created)?
        }
    }
    out.flush()?;
    Ok(Status::Ok)
}

pub fn claims(args: ClaimsArgs, db: &Path) -> anyhow::Result<Status> {
    let filter = ClaimFilter {
        by: args.by.clone(),
        kind: args.kind.clone(),
        tag: args.tag.clone(),
        since: args.scope.since.clone(),
        until: args.scope.until.clone(),
    };
    let mut rows: Vec<ClaimRow> = Vec::new();
    for doc in annotated(db, args.scope.outlet.clone())? {
        rows.extend(ClaimRow::all(&doc).into_iter().filter(|r| filter.keeps(r)));
    }
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

/// The stored articles of an outlet (all when `None`), newest first, near-duplicates left out
/// (their facts would repeat), annotated with today's resources.
fn annotated(db: &Path, outlet: Option<String>) -> anyhow::Result<Vec<sitrep_core::Document>> {
    let store = open_existing(db)?;
    let resources = super::with_gazetteer(sitrep_annotate::Resources::builtin())?;
    let listed = store.list(&ListFilter {
        outlet,
        hide_duplicates: true,
        limit: 0,
        offset: 0,
    })?;
    let mut docs = Vec::with_capacity(listed.len());
    for summary in listed {
        if let Some(stored) = store.document(&summary.id)? {
            docs.push(sitrep_annotate::annotate(stored.article, &resources));
        }
    }
    Ok(docs)
}

/// The stored articles' events that pass the filter, newest articles first.
fn rows(args: &EventFilterArgs, db: &Path) -> anyhow::Result<Vec<EventRow>> {
    let filter = event_filter(args)?;
    let mut rows = Vec::new();
    for doc in annotated(db, args.scope.outlet.clone())? {
        rows.extend(EventRow::all(&doc).into_iter().filter(|r| filter.keeps(r)));
    }
    Ok(rows)
}

fn event_filter(args: &EventFilterArgs) -> anyhow::Result<EventFilter> {
    Ok(EventFilter {
        actor: args.actor.clone(),
        event_type: args.event_type.clone(),
        mode: args.mode.clone(),
        since: args.scope.since.clone(),
        until: args.scope.until.clone(),
        near: args.near.as_deref().map(parse_near).transpose()?,
    })
}

/// `LAT,LON,KM`.
fn parse_near(text: &str) -> anyhow::Result<(f64, f64, f64)> {
    let parts: Vec<f64> = text
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .with_context(|| format!("--near {text}: expected LAT,LON,KM"))?;
    match parts[..] {
        [lat, lon, km]
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) && km >= 0.0 =>
        {
            Ok((lat, lon, km))
        }
        _ => bail!(
            "--near {text}: expected LAT,LON,KM (latitude -90..90, longitude -180..180, km ≥ 0)"
        ),
    }
}
