//! Throughput of sitrep's HTML reader on the 111 benchmark pages, as a ratio to the bare
//! extractor it wraps, run in the same process: what sitrep's decoding, nesting guard, block
//! separation, normalisation and metadata add. `cargo bench -p sitrep-ingest`.

use sitrep_eval::extraction::Benchmark;
use std::time::{Duration, Instant};

fn time(pages: &[(String, Vec<u8>)], rounds: usize, f: impl Fn(&[u8])) -> Duration {
    let started = Instant::now();
    for _ in 0..rounds {
        for (_, html) in pages {
            f(html);
        }
    }
    started.elapsed() / rounds as u32
}

fn main() {
    let dir = sitrep_eval::shared_dir().join("extraction");
    let bench = Benchmark::load(&dir).unwrap_or_else(|e| panic!("{e}"));
    let pages = bench.pages().unwrap_or_else(|e| panic!("{e}"));
    let megabytes = pages.iter().map(|(_, h)| h.len()).sum::<usize>() as f64 / 1e6;
    let rounds = 3;
    let baseline = time(&pages, rounds, |html| {
        let _ = rs_trafilatura::extract(&String::from_utf8_lossy(html));
    });
    let ours = time(&pages, rounds, |html| {
        let _ = sitrep_ingest::extract_html_text(html);
    });
    let rate = |d: Duration| pages.len() as f64 / d.as_secs_f64();
    println!(
        "HTML reader, {} pages ({megabytes:.1} MB), mean of {rounds} rounds, one thread\n",
        pages.len()
    );
    println!("| reader | pages/s | MB/s | time vs baseline |\n|---|---|---|---|");
    for (name, d) in [
        ("rs-trafilatura alone (baseline)", baseline),
        ("sitrep HTML reader", ours),
    ] {
        println!(
            "| {name} | {:.0} | {:.1} | {:.2}× |",
            rate(d),
            megabytes / d.as_secs_f64(),
            d.as_secs_f64() / baseline.as_secs_f64()
        );
    }
}
