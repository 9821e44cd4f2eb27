//! `sitrep threads`, `sitrep predictions`, `sitrep claimants`: claims over time.

use super::events::ledger;
use super::Status;
use crate::cli::{ClaimantsArgs, PredictionsArgs, ThreadsArgs, TrackFormat};
use crate::output::{self, Style};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

pub fn threads(args: ThreadsArgs, db: &Path) -> anyhow::Result<Status> {
    let ledger = ledger(db)?;
    let query = sitrep_ledger::ThreadQuery {
        thread: args.thread.clone(),
        speaker: args.by.clone(),
        min_claims: if args.thread.is_some() {
            1
        } else {
            args.min_claims
        },
    };
    let rows = sitrep_ledger::threads(&ledger.store, &query)?;
    let mut out = output::stdout();
    if args.format == TrackFormat::Csv {
        // One line per statement, its thread's columns repeated.
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record([
            "thread",
            "first_seen",
            "article",
            "statement",
            "speaker",
            "outlet",
            "date",
            "relation",
            "kind",
            "rule",
            "text",
        ])?;
        for t in &rows {
            for c in &t.claims {
                let o = |v: &Option<String>| v.clone().unwrap_or_default();
                w.write_record([
                    &t.thread,
                    &o(&t.first_seen),
                    &c.article,
                    &c.statement,
                    &o(&c.speaker),
                    &o(&c.outlet),
                    &o(&c.date),
                    &c.relation,
                    &c.kind,
                    &c.rule,
                    &c.text,
                ])?;
            }
        }
        w.flush()?;
        return Ok(Status::Ok);
    }
    if !write_machine(&mut out, args.format, &rows)? {
        let style = Style::for_stdout();
        for t in &rows {
            writeln!(
                out,
                "{} {}  first seen {} · {} statements · outlets: {}",
                style.bold(&t.thread),
                t.speaker.as_deref().unwrap_or("?"),
                t.first_seen.as_deref().unwrap_or("—"),
                t.claims.len(),
                t.outlets.join(", ")
            )?;
            for c in &t.claims {
                writeln!(
                    out,
                    "  {}  {:<12} {} {}  {}",
                    style.dim(c.date.as_deref().unwrap_or("—")),
                    style.accent(&c.relation),
                    c.speaker.as_deref().unwrap_or("?"),
                    style.dim(&format!("({})", c.outlet.as_deref().unwrap_or("?"))),
                    output::truncate(&c.text, 110)
                )?;
            }
        }
        if rows.is_empty() {
            eprintln!("no threads match");
        }
    }
    out.flush()?;
    Ok(Status::Ok)
}

pub fn predictions(args: PredictionsArgs, db: &Path) -> anyhow::Result<Status> {
    if let Some(s) = args
        .status
        .as_deref()
        .filter(|s| !sitrep_track::settle::STATUSES.contains(s))
    {
        anyhow::bail!(
            "--status {s}: expected one of {}",
            sitrep_track::settle::STATUSES.join(", ")
        );
    }
    let ledger = ledger(db)?;
    let query = sitrep_ledger::PredictionQuery {
        status: args.status.clone(),
        thread: args.thread.clone(),
    };
    let rows = sitrep_ledger::predictions(&ledger.store, &query)?;
    let mut out = output::stdout();
    if args.format == TrackFormat::Csv {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record([
            "event",
            "article",
            "outlet",
            "speaker",
            "mode",
            "type",
            "text",
            "place",
            "said",
            "status",
            "due",
            "due_basis",
            "evidence",
            "rule",
        ])?;
        for p in &rows {
            let o = |v: &Option<String>| v.clone().unwrap_or_default();
            w.write_record([
                &p.event,
                &p.article,
                &o(&p.outlet),
                &o(&p.speaker),
                &p.mode,
                &p.event_type,
                &p.text,
                &o(&p.place),
                &o(&p.said),
                &p.status,
                &o(&p.due),
                &o(&p.due_basis),
                &serde_json::to_string(&p.evidence)?,
                &p.rule,
            ])?;
        }
        w.flush()?;
        return Ok(Status::Ok);
    }
    if !write_machine(&mut out, args.format, &rows)? {
        let style = Style::for_stdout();
        for p in &rows {
            writeln!(
                out,
                "{}  {:<12} {:<10} {} “{}” @ {} — claimed by {} ({}) · due {} ({})",
                style.dim(p.said.as_deref().unwrap_or("—")),
                style.accent(&p.status),
                p.mode,
                p.event_type,
                p.text,
                p.place.as_deref().unwrap_or("?"),
                p.speaker.as_deref().or(p.outlet.as_deref()).unwrap_or("?"),
                p.outlet.as_deref().unwrap_or("?"),
                p.due.as_deref().unwrap_or("—"),
                p.due_basis.as_deref().unwrap_or("")
            )?;
            writeln!(out, "      {}", style.dim(&p.rule))?;
            for e in &p.evidence {
                writeln!(
                    out,
                    "      {} {} in {}",
                    e.relation,
                    e.event,
                    &e.article[..e.article.len().min(12)]
                )?;
            }
        }
        if rows.is_empty() {
            eprintln!("no predictions match");
        }
    }
    out.flush()?;
    Ok(Status::Ok)
}

pub fn claimants(args: ClaimantsArgs, db: &Path) -> anyhow::Result<Status> {
    let ledger = ledger(db)?;
    let rows = sitrep_ledger::claimants(&ledger.store, args.by.as_deref())?;
    let mut out = output::stdout();
    let counts = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if args.format == TrackFormat::Csv {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record([
            "speaker",
            "claims",
            "predictions",
            "allegations",
            "denials_made",
            "denials_received",
            "first_seen",
            "last_seen",
        ])?;
        for c in &rows {
            let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            w.write_record([
                &c.speaker,
                &serde_json::to_string(&c.claims)?,
                &serde_json::to_string(&c.predictions)?,
                &serde_json::to_string(&c.allegations)?,
                &c.denials_made.to_string(),
                &c.denials_received.to_string(),
                &day(c.first_seen),
                &day(c.last_seen),
            ])?;
        }
        w.flush()?;
        return Ok(Status::Ok);
    }
    if !write_machine(&mut out, args.format, &rows)? {
        let style = Style::for_stdout();
        for c in &rows {
            writeln!(
                out,
                "{}  {} – {}",
                style.bold(&c.speaker),
                c.first_seen.map(|d| d.to_string()).unwrap_or_default(),
                c.last_seen.map(|d| d.to_string()).unwrap_or_default()
            )?;
            writeln!(out, "  claims: {}", counts(&c.claims))?;
            if !c.predictions.is_empty() {
                writeln!(out, "  predictions: {}", counts(&c.predictions))?;
            }
            if !c.allegations.is_empty() {
                writeln!(out, "  allegations: {}", counts(&c.allegations))?;
            }
            writeln!(
                out,
                "  denials made {}, received {}",
                c.denials_made, c.denials_received
            )?;
        }
        if rows.is_empty() {
            eprintln!("no claimants match");
        }
    }
    out.flush()?;
    Ok(Status::Ok)
}

/// Writes rows as JSON or JSON lines; false when the format is for people.
pub(super) fn write_machine<R: Serialize>(
    out: &mut impl Write,
    format: TrackFormat,
    rows: &[R],
) -> anyhow::Result<bool> {
    match format {
        TrackFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, rows)?;
            writeln!(out)?;
        }
        TrackFormat::Jsonl => sitrep_export::write_jsonl(out, rows)?,
        _ => return Ok(false),
    }
    Ok(true)
}
