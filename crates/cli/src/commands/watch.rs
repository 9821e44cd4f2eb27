//! `sitrep watch`: a sources file kept current in the store, round after round; `sitrep
//! sources`, what it knows of them; and the web half of `sitrep ingest` (addresses fetched now).

use super::Status;
use crate::cli::{SourcesArgs, WatchArgs, WebArgs};
use anyhow::Context;
use sitrep_fetch::sources::SourceList;
use sitrep_fetch::{Fetcher, Politeness};
use sitrep_ledger::Ledger;
use sitrep_store::Store;
use sitrep_watch::{RoundReport, Settings, SourceReport};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

pub fn run(args: WatchArgs, db: &Path) -> anyhow::Result<Status> {
    let stop = stop_on_signals()?;
    let output = Output {
        json: args.json,
        quiet: args.quiet,
    };
    let mut watcher = Watcher::open(
        db,
        &args.sources,
        args.every,
        &args.web,
        !args.no_annotate,
        &stop,
        output,
    )?;
    if !args.json {
        eprintln!(
            "sitrep: watching {} sources from {} into {}{}",
            watcher.sources.list.sources.len(),
            args.sources.display(),
            db.display(),
            if args.once {
                " (once)"
            } else {
                "; Ctrl-C stops"
            }
        );
    }
    let failed_sources = watcher.run(args.once, &stop)?;
    Ok(if failed_sources > 0 {
        Status::SomeInputsFailed
    } else {
        Status::Ok
    })
}

/// Keeps `sources` current in the store at `db` on a thread of its own until `stop` is
/// raised (`sitrep serve --watch`); what it does goes to stderr, a line per round.
pub(crate) fn in_background(
    db: &Path,
    sources: &Path,
    every: Duration,
    web: &WebArgs,
    stop: Arc<AtomicBool>,
) -> anyhow::Result<std::thread::JoinHandle<()>> {
    let output = Output {
        json: false,
        quiet: true,
    };
    let mut watcher = Watcher::open(db, sources, every, web, true, &stop, output)?;
    Ok(std::thread::spawn(move || {
        if let Err(e) = watcher.run(false, &stop) {
            eprintln!("sitrep: the watcher stopped: {e:#}");
        }
    }))
}

/// How a watcher reports.
#[derive(Clone, Copy)]
struct Output {
    json: bool,
    quiet: bool,
}

/// A sources file kept current in one store.
struct Watcher {
    sources: SourcesFile,
    ledger: Ledger,
    fetcher: Fetcher,
    settings: Settings,
    annotate: bool,
    output: Output,
}

impl Watcher {
    fn open(
        db: &Path,
        sources: &Path,
        every: Duration,
        web: &WebArgs,
        annotate: bool,
        stop: &Arc<AtomicBool>,
        output: Output,
    ) -> anyhow::Result<Watcher> {
        let sources = SourcesFile::read(sources, every)?;
        let resources = if annotate {
            super::with_gazetteer(sitrep_annotate::Resources::builtin())?
        } else {
            sitrep_annotate::Resources::builtin()
        };
        let mut ledger = Ledger::with_track(Store::open(db)?, resources, super::track_settings());
        sitrep_watch::list_sources(&mut ledger.store, &sources.list)?;
        Ok(Watcher {
            sources,
            ledger,
            fetcher: Fetcher::new(politeness(web), stop.clone()),
            settings: settings(web),
            annotate,
            output,
        })
    }

    /// Rounds until `stop` (or one, `once`); how many sources failed in all.
    fn run(&mut self, once: bool, stop: &AtomicBool) -> anyhow::Result<usize> {
        let Watcher {
            sources,
            ledger,
            fetcher,
            settings,
            annotate,
            output,
        } = self;
        let mut failed_sources = 0;
        let on_source = |r: &SourceReport| report_source(r, *output);
        let after_round = |ledger: &mut Ledger, round: &RoundReport| {
            failed_sources += round.failed;
            if round.stored() > 0 && *annotate {
                ledger.refresh()?;
            }
            report_round(round, output.json);
            if let Some(list) = sources.changed() {
                sitrep_watch::list_sources(&mut ledger.store, &list)?;
            }
            Ok(())
        };
        sitrep_watch::watch(
            ledger,
            fetcher,
            settings,
            once,
            stop,
            on_source,
            after_round,
        )?;
        Ok(failed_sources)
    }
}

/// `sitrep sources`: the watched sources, listed ones first.
pub fn sources(args: SourcesArgs, db: &Path) -> anyhow::Result<Status> {
    let rows = super::open_existing(db)?.sources()?;
    let mut out = std::io::stdout().lock();
    if !super::track::write_machine(&mut out, args.format, &rows)? {
        for s in &rows {
            let state = match (s.dead, s.listed, s.failures) {
                (true, _, _) => "dead",
                (_, false, _) => "not listed",
                (_, _, 0) => "ok",
                _ => "failing",
            };
            writeln!(
                out,
                "{state:<10} {}  {} articles, {} copies; last fetch {} ({}); next {}",
                s.url,
                s.articles,
                s.sightings,
                s.last_fetch.as_deref().unwrap_or("never"),
                s.last_status.as_deref().unwrap_or("-"),
                s.next_due.as_deref().unwrap_or("now"),
            )?;
        }
        if rows.is_empty() {
            eprintln!("no sources: list some with `sitrep watch FILE`");
        }
    }
    out.flush()?;
    Ok(Status::Ok)
}

/// The sources file, read again when it changes.
struct SourcesFile {
    path: std::path::PathBuf,
    every: Duration,
    modified: Option<SystemTime>,
    list: SourceList,
}

impl SourcesFile {
    fn read(path: &Path, every: Duration) -> anyhow::Result<Self> {
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read the sources file {}", path.display()))?;
        let list = sitrep_fetch::sources::parse(&path.display().to_string(), &bytes, every);
        for problem in &list.problems {
            eprintln!("sitrep: {problem}");
        }
        if list.sources.is_empty() {
            anyhow::bail!(
                "{}: no sources to watch (one http(s) URL a line, or OPML)",
                path.display()
            );
        }
        Ok(SourcesFile {
            path: path.to_path_buf(),
            every,
            modified: std::fs::metadata(path).and_then(|m| m.modified()).ok(),
            list,
        })
    }

    /// The new list, when the file changed and still lists sources.
    fn changed(&mut self) -> Option<SourceList> {
        let modified = std::fs::metadata(&self.path)
            .and_then(|m| m.modified())
            .ok();
        if modified == self.modified {
            return None;
        }
        self.modified = modified;
        match SourcesFile::read(&self.path, self.every) {
            Ok(file) => Some(file.list),
            Err(e) => {
                eprintln!("sitrep: {e:#}; watching the sources listed before");
                None
            }
        }
    }
}

/// A flag raised by the first Ctrl-C or SIGTERM; a second one ends the process at once.
pub(crate) fn stop_on_signals() -> anyhow::Result<Arc<AtomicBool>> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(signal, 130, stop.clone())?;
        signal_hook::flag::register(signal, stop.clone())?;
    }
    Ok(stop)
}

pub(crate) fn politeness(web: &WebArgs) -> Politeness {
    Politeness {
        timeout: web.timeout,
        max_bytes: web.max_page_bytes,
        retries: web.retries,
        host_delay: web.host_delay,
        ..Politeness::default()
    }
}

pub(crate) fn settings(web: &WebArgs) -> Settings {
    Settings {
        concurrency: web.concurrency as usize,
        max_items: web.max_items,
        limits: sitrep_ingest::Limits {
            max_document_bytes: web.max_page_bytes,
        },
        ..Settings::default()
    }
}

fn report_source(r: &SourceReport, Output { json, quiet }: Output) {
    if json {
        print_json("source", r);
        return;
    }
    if let Some(error) = &r.error {
        eprintln!(
            "sitrep: {}: {error}{}",
            r.source,
            if r.status == "dead" {
                " (dead: tried once a day)"
            } else {
                ""
            }
        );
    }
    for line in &r.item_errors {
        eprintln!("sitrep: {line}");
    }
    if !quiet && r.error.is_none() {
        eprintln!(
            "  {:<12} {}  {} new, {} copies, {} updated, {} unchanged{}",
            r.status.replace('_', " "),
            r.source,
            r.added + r.near_duplicates,
            r.duplicates + r.already_stored,
            r.updated,
            r.unchanged,
            if r.failed_items > 0 {
                format!(", {} failed", r.failed_items)
            } else {
                String::new()
            }
        );
    }
}

fn report_round(r: &RoundReport, json: bool) {
    if json {
        print_json("round", r);
        return;
    }
    eprintln!(
        "round {}: {} sources in {:.1} s — {} ok, {} not modified, {} failed; {} articles stored, \
         {} copies seen, {} updated, {} unchanged, {} items failed{}",
        r.round,
        r.sources,
        r.seconds,
        r.ok,
        r.not_modified,
        r.failed,
        r.stored(),
        r.duplicates,
        r.updated,
        r.unchanged,
        r.failed_items,
        if r.stopped { " (stopped)" } else { "" }
    );
}

/// One status line on stdout: `{"type": KIND, ...fields}`.
fn print_json(kind: &str, value: &impl serde::Serialize) {
    let mut v = serde_json::to_value(value).unwrap_or_default();
    if let Some(map) = v.as_object_mut() {
        map.insert("type".into(), kind.into());
    }
    println!("{v}");
}

/// The items of web addresses, fetched now (`sitrep ingest URL`).
pub(crate) fn fetch_urls(
    urls: &[String],
    web: &WebArgs,
) -> anyhow::Result<Vec<sitrep_ingest::Item>> {
    let stop = stop_on_signals()?;
    let fetcher = Fetcher::new(politeness(web), stop);
    let settings = settings(web);
    Ok(urls
        .iter()
        .flat_map(|url| sitrep_watch::fetch_now(&fetcher, &settings, url))
        .collect())
}
