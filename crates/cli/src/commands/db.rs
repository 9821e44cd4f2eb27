//! `sitrep db`: a store's schema, and copies between stores (SQLite and PostgreSQL).

use super::Status;
use anyhow::Context;
use sitrep_store::Store;
use std::path::Path;

pub fn migrate(db: &Path) -> anyhow::Result<Status> {
    let store = Store::open(db)?;
    eprintln!(
        "{}: schema version {} ({:?}), up to date",
        store.path().display(),
        store.schema_version()?,
        store.dialect()
    );
    Ok(Status::Ok)
}

pub fn copy(from: &Path, to: &Path) -> anyhow::Result<Status> {
    if !sitrep_store::is_server(from) && !from.exists() {
        anyhow::bail!("{}: no such store to copy", from.display());
    }
    let source = Store::open(from)?;
    let mut target = Store::open(to)?;
    let progress = indicatif::ProgressBar::new_spinner();
    let copied = source
        .copy_into(&mut target, |table, rows| {
            progress.set_message(format!("{table}: {rows} rows"));
            progress.tick();
        })
        .with_context(|| {
            format!(
                "copying {} into {}",
                source.path().display(),
                target.path().display()
            )
        })?;
    progress.finish_and_clear();
    eprintln!(
        "copied {} into {}:",
        source.path().display(),
        target.path().display()
    );
    for (table, rows) in copied {
        eprintln!("  {table:<15} {rows:>9}");
    }
    Ok(Status::Ok)
}
