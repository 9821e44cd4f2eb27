//! `sitrep worker` and `sitrep jobs`: the store's queue of work, done by as many workers as
//! are started, on any machine that reaches the store.

use super::{open_existing, Status};
use crate::cli::{JobsArgs, TableFormat, WorkerArgs};
use serde_json::Value;
use sitrep_ledger::jobs::{JobDone, WorkerSettings};
use sitrep_ledger::Ledger;
use sitrep_store::JobStatus;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

pub fn worker(args: WorkerArgs, db: &Path) -> anyhow::Result<Status> {
    let store = open_existing(db)?;
    let resources = super::with_gazetteer(sitrep_annotate::Resources::builtin())?;
    let mut ledger = Ledger::with_track(store, resources, super::track_settings());
    let settings = WorkerSettings {
        lease: Duration::from_secs(args.lease),
        attempts: args.attempts,
        ..WorkerSettings::for_this_process()
    };
    if !args.quiet {
        eprintln!(
            "sitrep: worker {} taking jobs from {}",
            settings.name,
            ledger.store.path().display()
        );
    }
    let mut failed = false;
    loop {
        match ledger.work_one(&settings)? {
            Some(done) => {
                failed |= done.outcome.is_err();
                if !args.quiet || done.outcome.is_err() {
                    eprintln!("sitrep: {}", describe(&done));
                }
            }
            None if args.exit_when_idle => break,
            None => std::thread::sleep(args.poll),
        }
    }
    Ok(if failed {
        Status::SomeInputsFailed
    } else {
        Status::Ok
    })
}

/// One line on a job done: its articles' outcomes counted, or why it failed.
fn describe(done: &JobDone) -> String {
    let head = format!("job {} (attempt {})", done.id, done.attempt);
    match &done.outcome {
        Ok(result) => format!("{head}: {}", summary(result)),
        Err(error) => format!("{head} failed: {error}"),
    }
}

/// An ingest result in words: "3 added, 1 duplicate; 3 annotated".
fn summary(result: &Value) -> String {
    let mut outcomes: BTreeMap<&str, usize> = BTreeMap::new();
    for r in result["results"].as_array().into_iter().flatten() {
        *outcomes
            .entry(r["outcome"].as_str().unwrap_or("?"))
            .or_default() += 1;
    }
    let counted: Vec<String> = outcomes
        .iter()
        .map(|(outcome, n)| format!("{n} {}", outcome.replace('_', " ")))
        .collect();
    format!(
        "{}; {} annotated",
        counted.join(", "),
        result["annotated"].as_u64().unwrap_or(0)
    )
}

pub fn jobs(args: JobsArgs, db: &Path) -> anyhow::Result<Status> {
    let store = open_existing(db)?;
    let jobs = match args.id {
        Some(id) => match store.job(id)? {
            Some(job) => vec![job],
            None => anyhow::bail!("no job {id} in {}", store.path().display()),
        },
        None => store.jobs(args.state.as_deref(), args.limit, 0)?,
    };
    if args.format == TableFormat::Json {
        println!("{}", serde_json::to_string_pretty(&jobs)?);
        return Ok(Status::Ok);
    }
    if args.id.is_none() {
        let counts: Vec<String> = store
            .job_counts()?
            .iter()
            .map(|(state, n)| format!("{n} {state}"))
            .collect();
        println!(
            "jobs: {}",
            if counts.is_empty() {
                "none".into()
            } else {
                counts.join(", ")
            }
        );
    }
    for job in &jobs {
        println!("{}", line(job));
    }
    Ok(Status::Ok)
}

fn line(job: &JobStatus) -> String {
    let what = match (&job.result, &job.error) {
        (Some(result), _) => summary(result),
        (None, Some(error)) => error.clone(),
        (None, None) => String::new(),
    };
    format!(
        "{:>6}  {:<7} {:<6} tries {}  {}  {}",
        job.id,
        job.state,
        job.kind,
        job.attempts,
        job.finished_at.as_deref().unwrap_or(&job.created_at),
        what
    )
}
