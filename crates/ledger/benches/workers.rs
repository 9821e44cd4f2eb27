//! Ingest throughput with 1, 2 and 4 workers on one PostgreSQL store (a scratch schema of the
//! local server, or SITREP_TEST_POSTGRES): FA-KES's 804 articles queued as jobs of 20, then
//! worked off by that many worker threads, each with its own connection and resources, as
//! `sitrep worker` processes would be. Articles/s, and the ratio to one worker in the same run
//! (on this machine's cores: the ratio, not a promise about bigger machines).
//!
//! `cargo bench -p sitrep-ledger --bench workers`

use sitrep_ledger::jobs::{enqueue_ingest, WorkerSettings};
use sitrep_ledger::Ledger;
use sitrep_store::scratch::ScratchDatabase;
use sitrep_store::{Incoming, Store};
use std::time::{Duration, Instant};

/// Articles per job, as `sitrep ingest --enqueue --batch-size 20` queues them.
const PER_JOB: usize = 20;

fn fakes() -> Vec<Incoming> {
    let path = sitrep_eval::shared_dir().join("newsdata/fakes/FA-KES-Dataset.csv");
    let rows = sitrep_eval::fakes::read(&path).expect("FA-KES in ../shared");
    let jsonl = sitrep_eval::fakes::to_jsonl(&rows);
    sitrep_ingest::read_bytes(
        "fakes.jsonl",
        jsonl.as_bytes(),
        &sitrep_ingest::Limits::default(),
    )
    .into_iter()
    .filter_map(|item| {
        let reading = item.result.ok()?;
        Some(Incoming {
            origin: item.origin,
            article: reading.article,
            warnings: reading.warnings,
        })
    })
    .collect()
}

/// Seconds `workers` worker threads take to work off the queued articles.
fn work_off(articles: &[Incoming], workers: usize) -> Duration {
    let scratch = ScratchDatabase::create().unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open(scratch.location()).expect("store");
    for batch in articles.chunks(PER_JOB) {
        enqueue_ingest(&store, batch).expect("queued");
    }
    // Each worker's resources are loaded before the clock starts, as a running worker's are.
    let ledgers: Vec<Ledger> = (0..workers)
        .map(|_| {
            let store = Store::open(scratch.location()).expect("store");
            Ledger::new(store, sitrep_annotate::Resources::builtin())
        })
        .collect();
    let started = Instant::now();
    let threads: Vec<_> = ledgers
        .into_iter()
        .enumerate()
        .map(|(n, mut ledger)| {
            let settings = WorkerSettings {
                name: format!("bench-{n}"),
                ..WorkerSettings::for_this_process()
            };
            std::thread::spawn(move || while ledger.work_one(&settings).expect("work").is_some() {})
        })
        .collect();
    for t in threads {
        t.join().expect("a worker");
    }
    let took = started.elapsed();
    let counts = store.job_counts().expect("counts");
    assert_eq!(
        counts,
        [("done".to_string(), articles.len().div_ceil(PER_JOB) as i64)]
    );
    took
}

fn main() {
    let articles = fakes();
    println!(
        "ingest through the queue on PostgreSQL: {} FA-KES articles in jobs of {PER_JOB}, stored, \
         annotated and tracked\n",
        articles.len()
    );
    println!("| workers | seconds | articles/s | vs 1 worker |");
    println!("|---|---|---|---|");
    let mut one = None;
    for workers in [1, 2, 4] {
        let took = work_off(&articles, workers).as_secs_f64();
        let rate = articles.len() as f64 / took;
        let base = *one.get_or_insert(rate);
        println!(
            "| {workers} | {took:.1} | {rate:.0} | {:.2}× |",
            rate / base
        );
    }
}
