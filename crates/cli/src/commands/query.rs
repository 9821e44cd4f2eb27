//! `sitrep list`, `show` and `search`: reading the store.

use super::{open_existing, Status};
use crate::cli::{DocFormat, ListArgs, SearchArgs, ShowArgs, TableFormat};
use crate::output::{self, Style};
use anyhow::bail;
use sitrep_store::ListFilter;
use std::io::Write;
use std::path::Path;

pub fn list(args: ListArgs, db: &Path) -> anyhow::Result<Status> {
    let store = open_existing(db)?;
    let filter = ListFilter {
        outlet: args.outlet,
        hide_duplicates: args.unique,
        limit: args.limit,
        offset: args.offset,
    };
    let rows = store.list(&filter)?;
    let mut out = output::stdout();
    if args.format == TableFormat::Json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
        return Ok(Status::Ok);
    }
    let style = Style::for_stdout();
    for r in &rows {
        let copy = match (&r.duplicate_of, r.sightings) {
            (Some(of), _) => format!("  copy of {}", &of[..12.min(of.len())]),
            (None, n) if n > 1 => format!("  ×{n}"),
            _ => String::new(),
        };
        writeln!(
            out,
            "{}  {:<10}  {:<22}  {}{}",
            style.accent(&r.id[..12.min(r.id.len())]),
            r.published.as_deref().unwrap_or("—"),
            output::truncate(r.outlet.as_deref().unwrap_or("—"), 22),
            r.title.as_deref().unwrap_or("(untitled)"),
            style.dim(&copy)
        )?;
    }
    if rows.is_empty() {
        eprintln!("no articles match");
    }
    out.flush()?;
    Ok(Status::Ok)
}

pub fn show(args: ShowArgs, db: &Path) -> anyhow::Result<Status> {
    let store = open_existing(db)?;
    let Some(stored) = store.document(&args.id)? else {
        bail!("no article '{}' in {}", args.id, db.display());
    };
    let resources = super::with_gazetteer(sitrep_annotate::Resources::builtin())?;
    let mut doc = sitrep_annotate::annotate(stored.article.clone(), &resources);
    doc.sightings = stored.sightings;
    doc.near_duplicates = stored.near_duplicates;
    doc.warnings = stored.warnings;
    let mut out = output::stdout();
    match args.format {
        DocFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        DocFormat::Jsonl => writeln!(out, "{}", serde_json::to_string(&doc)?)?,
        DocFormat::Pretty => output::write_pretty(&mut out, &doc, Style::for_stdout())?,
    }
    out.flush()?;
    Ok(Status::Ok)
}

pub fn search(args: SearchArgs, db: &Path) -> anyhow::Result<Status> {
    let store = open_existing(db)?;
    let style = Style::for_stdout();
    let marks = if args.format == TableFormat::Json {
        ("«", "»")
    } else {
        style.match_marks()
    };
    let hits = store.search(&args.query, args.limit, marks)?;
    let mut out = output::stdout();
    if args.format == TableFormat::Json {
        serde_json::to_writer_pretty(&mut out, &hits)?;
        writeln!(out)?;
        return Ok(Status::Ok);
    }
    for (i, h) in hits.iter().enumerate() {
        let copies = if h.copies > 0 {
            format!("  (+{} copies)", h.copies)
        } else {
            String::new()
        };
        writeln!(
            out,
            "{:>2}. {}  {}\n    {} · {} · {}{}\n    {}\n",
            i + 1,
            style.bold(h.title.as_deref().unwrap_or("(untitled)")),
            style.dim(&format!("score {:.2}", -h.rank)),
            style.accent(&h.id[..12.min(h.id.len())]),
            h.outlet.as_deref().unwrap_or("—"),
            h.published.as_deref().unwrap_or("undated"),
            style.dim(&copies),
            h.snippet.replace('\n', " "),
        )?;
    }
    if hits.is_empty() {
        eprintln!("no matches for {:?}", args.query);
    }
    out.flush()?;
    Ok(Status::Ok)
}
