//! `sitrep ingest`: inputs into the store in transactional batches, with progress and a
//! summary of what was added, what was a copy, and what failed and why.

use super::Status;
use crate::cli::IngestArgs;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sitrep_ingest::Item;
use sitrep_store::{Incoming, Outcome, Store};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

pub fn run(args: IngestArgs, db: &Path) -> anyhow::Result<Status> {
    let mut store = Store::open(db)?;
    let (urls, paths): (Vec<String>, Vec<String>) =
        args.inputs.iter().cloned().partition(|a| is_web_address(a));
    let fetched = if urls.is_empty() {
        Vec::new()
    } else {
        super::watch::fetch_urls(&urls, &args.web)?
    };
    let items = super::read_args(&paths, &args.limits).chain(fetched);
    let into = if args.enqueue {
        Destination::Queue
    } else {
        Destination::Store
    };
    let tally = ingest_items(
        &mut store,
        items,
        args.batch_size as usize,
        !args.quiet,
        into,
    )?;
    eprint!("{}", tally.summary(store.path()));
    Ok(tally.status())
}

/// Where read articles go: into the store now, or onto its queue as jobs for workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    Store,
    Queue,
}

/// `http://` and `https://` arguments are fetched; anything else is a path.
fn is_web_address(arg: &str) -> bool {
    let lower = arg.get(..8).unwrap_or(arg).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// What an ingest did, counted.
#[derive(Default, Debug)]
pub struct Tally {
    pub added: usize,
    pub near_duplicates: usize,
    pub duplicates: usize,
    pub already_stored: usize,
    pub failed: usize,
    /// Articles queued for workers, and the jobs that hold them.
    pub queued: usize,
    pub jobs: Vec<i64>,
    /// Failure reasons by kind ("looks like binary data", "bad JSON line" ...), counted.
    failure_kinds: BTreeMap<String, usize>,
    elapsed: Duration,
}

impl Tally {
    fn count(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Added => self.added += 1,
            Outcome::NearDuplicate { .. } => self.near_duplicates += 1,
            Outcome::Duplicate { .. } => self.duplicates += 1,
            Outcome::AlreadyStored | Outcome::Updated { .. } => self.already_stored += 1,
        }
    }

    fn total(&self) -> usize {
        self.added
            + self.near_duplicates
            + self.duplicates
            + self.already_stored
            + self.failed
            + self.queued
    }

    pub fn status(&self) -> Status {
        if self.failed > 0 {
            Status::SomeInputsFailed
        } else {
            Status::Ok
        }
    }

    pub fn summary(&self, db: &Path) -> String {
        if !self.jobs.is_empty() || self.queued > 0 {
            return self.queue_summary(db);
        }
        let rate = self.total() as f64 / self.elapsed.as_secs_f64().max(1e-3);
        let mut s = format!(
            "ingested {} inputs into {} in {:.1} s ({rate:.0}/s)\n\
             \x20 added            {:>7}\n\
             \x20 near-duplicates  {:>7}  (stored, linked to the article they repeat)\n\
             \x20 duplicates       {:>7}  (same text already stored; this copy recorded as a sighting)\n\
             \x20 already stored   {:>7}  (seen before from the same input)\n\
             \x20 failed           {:>7}\n",
            self.total(),
            db.display(),
            self.elapsed.as_secs_f64(),
            self.added,
            self.near_duplicates,
            self.duplicates,
            self.already_stored,
            self.failed,
        );
        s += &self.failure_lines();
        s
    }

    fn queue_summary(&self, db: &Path) -> String {
        let jobs = match (self.jobs.first(), self.jobs.last()) {
            (Some(first), Some(last)) if first != last => format!("jobs {first}–{last}"),
            (Some(first), _) => format!("job {first}"),
            _ => "no jobs".into(),
        };
        format!(
            "queued {} articles on {} as {jobs}: `sitrep worker` stores and annotates them\n\
             \x20 failed           {:>7}\n{}",
            self.queued,
            db.display(),
            self.failed,
            self.failure_lines()
        )
    }

    fn failure_lines(&self) -> String {
        self.failure_kinds
            .iter()
            .map(|(kind, n)| format!("    {n:>5} × {kind}\n"))
            .collect()
    }
}

/// Stores items in batches of `batch_size`, one transaction each; failed items are reported
/// on stderr as they come, one line each, naming the input and the reason.
pub fn ingest_items(
    store: &mut Store,
    items: impl Iterator<Item = Item>,
    batch_size: usize,
    show_progress: bool,
    into: Destination,
) -> anyhow::Result<Tally> {
    let started = Instant::now();
    let progress = progress_bar(show_progress);
    let mut tally = Tally::default();
    let mut batch: Vec<Incoming> = Vec::with_capacity(batch_size);
    let mut flush = |batch: &mut Vec<Incoming>, tally: &mut Tally| -> anyhow::Result<()> {
        match into {
            _ if batch.is_empty() => {}
            Destination::Store => {
                for outcome in store.ingest_batch(batch)? {
                    tally.count(&outcome);
                }
            }
            Destination::Queue => {
                tally
                    .jobs
                    .push(sitrep_ledger::jobs::enqueue_ingest(store, batch)?);
                tally.queued += batch.len();
            }
        }
        batch.clear();
        progress.set_message(format!(
            "{} stored, {} queued, {} copies, {} failed",
            tally.added + tally.near_duplicates,
            tally.queued,
            tally.duplicates + tally.already_stored,
            tally.failed
        ));
        Ok(())
    };
    for item in items {
        progress.inc(1);
        match item.result {
            Ok(reading) => {
                for w in &reading.warnings {
                    progress.suspend(|| eprintln!("sitrep: {}: warning: {w}", item.origin));
                }
                batch.push(Incoming {
                    origin: item.origin,
                    article: reading.article,
                    warnings: reading.warnings,
                });
            }
            Err(e) => {
                tally.failed += 1;
                let kind = e
                    .to_string()
                    .split(':')
                    .next()
                    .unwrap_or_default()
                    .to_string();
                *tally.failure_kinds.entry(kind).or_default() += 1;
                progress.suspend(|| eprintln!("sitrep: {}: {e}", item.origin));
            }
        }
        if batch.len() >= batch_size {
            flush(&mut batch, &mut tally)?;
        }
    }
    flush(&mut batch, &mut tally)?;
    progress.finish_and_clear();
    tally.elapsed = started.elapsed();
    Ok(tally)
}

fn progress_bar(visible: bool) -> ProgressBar {
    let target = if visible {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(None, target);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} inputs read ({per_sec}) — {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}
