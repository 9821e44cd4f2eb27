//! `sitrep export --format parquet`: the whole ledger as Parquet tables in a folder — articles,
//! events, statements, entities and claim threads — for DuckDB, Spark or pandas to read
//! directly. Each table is written as `NAME.parquet.partial` and renamed when whole, so the
//! folder never holds a half-written table under its real name.

use super::{events::ledger, Status};
use crate::cli::{EventFilterArgs, ExportArgs, ExportFormat};
use anyhow::{bail, Context};
use sitrep_export::parquet::{Table, TableWriter};
use sitrep_export::tables;
use sitrep_ledger::{Ledger, ThreadQuery};
use sitrep_store::ListFilter;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub fn export(args: &ExportArgs, db: &Path) -> anyhow::Result<Status> {
    if args.format != ExportFormat::Parquet {
        bail!("--out and --schema go with --format parquet; the other formats write to standard output");
    }
    if args.schema {
        print!("{}", schema());
        return Ok(Status::Ok);
    }
    if is_filtered(&args.filter) {
        bail!(
            "--format parquet writes the whole ledger, to be filtered by the engine that reads it: \
             leave out --actor, --type, --mode, --outlet, --since, --until, --near, --bbox and --within"
        );
    }
    let Some(dir) = &args.out else {
        bail!("--format parquet writes a folder of tables: give it with --out DIR");
    };
    let written = write(&ledger(db)?, dir)?;
    for (name, rows) in written {
        eprintln!(
            "{:>10} rows  {}",
            rows,
            dir.join(format!("{name}.parquet")).display()
        );
    }
    Ok(Status::Ok)
}

/// Every table's columns and their meaning, as Markdown (`docs/parquet.md` holds the same).
pub fn schema() -> String {
    let sections = [
        tables::articles().schema_markdown(),
        tables::events().schema_markdown(),
        tables::statements().schema_markdown(),
        tables::entities().schema_markdown(),
        sitrep_ledger::claims_table().schema_markdown(),
    ];
    format!(
        "## The ledger as Parquet tables\n\n`sitrep export --format parquet --out DIR` writes one file per table. \
         Ids are the article's (`article_id`) and, inside an article, the event's, statement's and \
         entity's own; spans (`start`, `end`) are byte offsets into `articles.text`. Near-duplicates \
         are in every table (a copy relays its claims): `articles.duplicate_of` names the article \
         each repeats, for leaving them out as `sitrep events` and `sitrep claims` do.\n\n{}",
        sections.join("\n")
    )
}

fn is_filtered(f: &EventFilterArgs) -> bool {
    [
        &f.actor,
        &f.event_type,
        &f.mode,
        &f.scope.outlet,
        &f.scope.since,
        &f.scope.until,
        &f.near,
        &f.bbox,
        &f.within,
    ]
    .iter()
    .any(|v| v.is_some())
}

/// A table being written under a provisional name.
struct Staged<'t, R> {
    writer: TableWriter<'t, R, BufWriter<File>>,
    partial: PathBuf,
    done: PathBuf,
    name: &'static str,
}

impl<'t, R> Staged<'t, R> {
    fn new(table: &'t Table<R>, dir: &Path) -> anyhow::Result<Self> {
        let done = dir.join(format!("{}.parquet", table.name));
        let partial = dir.join(format!("{}.parquet.partial", table.name));
        let file = File::create(&partial)
            .with_context(|| format!("{}: cannot create", partial.display()))?;
        Ok(Staged {
            writer: TableWriter::new(table, BufWriter::new(file))?,
            partial,
            done,
            name: table.name,
        })
    }

    fn push(&mut self, row: &R) -> anyhow::Result<()> {
        self.writer
            .push(row)
            .with_context(|| format!("{}: writing a row", self.partial.display()))
    }

    /// Writes the footer, syncs the file and gives it its real name.
    fn finish(self) -> anyhow::Result<(&'static str, usize)> {
        let context = || format!("{}: finishing the table", self.partial.display());
        let (rows, mut out) = self.writer.finish().with_context(context)?;
        out.flush().with_context(context)?;
        out.get_ref().sync_all().with_context(context)?;
        std::fs::rename(&self.partial, &self.done).with_context(context)?;
        Ok((self.name, rows))
    }
}

/// Writes the ledger's tables into `dir`: every stored article with its layers, then the
/// claim threads. Returns each table's name and row count.
fn write(ledger: &Ledger, dir: &Path) -> anyhow::Result<Vec<(&'static str, usize)>> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let (articles, events, statements, entities, claims) = (
        tables::articles(),
        tables::events(),
        tables::statements(),
        tables::entities(),
        sitrep_ledger::claims_table(),
    );
    let mut article_rows = Staged::new(&articles, dir)?;
    let mut event_rows = Staged::new(&events, dir)?;
    let mut statement_rows = Staged::new(&statements, dir)?;
    let mut entity_rows = Staged::new(&entities, dir)?;
    let mut claim_rows = Staged::new(&claims, dir)?;
    for summary in ledger.store.list(&ListFilter::default())? {
        let Some(doc) = ledger.document(&summary.id)? else {
            continue;
        };
        article_rows.push(&doc)?;
        let (stored_events, stored_claims) = sitrep_ledger::rows_of(&ledger.store, &doc)?;
        for row in tables::paired(stored_events, &doc.events, |r, e| r.event_id == e.id) {
            event_rows.push(&row)?;
        }
        for row in tables::paired(stored_claims, &doc.statements, |r, s| {
            r.statement_id == s.id
        }) {
            statement_rows.push(&row)?;
        }
        for entity in &doc.entities {
            entity_rows.push(&(doc.article.id.clone(), entity.clone()))?;
        }
    }
    for thread in sitrep_ledger::threads(&ledger.store, &ThreadQuery::default())? {
        for member in thread.members() {
            claim_rows.push(&member)?;
        }
    }
    Ok(vec![
        article_rows.finish()?,
        event_rows.finish()?,
        statement_rows.finish()?,
        entity_rows.finish()?,
        claim_rows.finish()?,
    ])
}
