//! Speed and memory of the syntax layer on news: tag + parse over FA-KES's 804 articles on one
//! core (with the model's own beam, and with a beam of 8), beside sitrep's own tokeniser over
//! the same text in the same run (the ratio says how much the syntax costs above the floor
//! every layer already pays), the built-in model's load time, and the growth of peak memory.
//! `cargo bench -p sitrep-syntax`.

use sitrep_syntax::{Syntax, BUILTIN_MODEL};
use sitrep_tokens::{analyse, Abbreviations};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// FA-KES's article bodies; without ../shared, the demo corpus's text files.
fn texts() -> (Vec<String>, &'static str) {
    let shared = std::env::var_os("SITREP_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    if let Ok(bytes) = std::fs::read(shared.join("newsdata/fakes/FA-KES-Dataset.csv")) {
        let latin1: String = bytes.iter().map(|&b| b as char).collect();
        let rows = latin1
            .split("\n")
            .skip(1)
            .filter(|l| l.len() > 200)
            .map(str::to_string)
            .collect();
        return (rows, "FA-KES rows");
    }
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
    let texts = std::fs::read_dir(demo)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    (texts, "demo articles")
}

fn best_of(rounds: usize, mut run: impl FnMut()) -> Duration {
    (0..rounds)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .min()
        .expect("at least one round")
}

/// Peak resident memory of this process, from the kernel.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let (texts, source) = texts();
    let abbreviations = Abbreviations::builtin();
    let layouts: Vec<_> = texts.iter().map(|t| analyse(t, &abbreviations)).collect();
    let before = peak_rss_mb();
    let load = best_of(5, || {
        Syntax::from_bytes(BUILTIN_MODEL).expect("the built-in model loads");
    });
    let syntax = Syntax::from_bytes(BUILTIN_MODEL).expect("the built-in model loads");
    let rounds = 5;
    let mut tokens = 0usize;
    let tokeniser = best_of(rounds, || {
        tokens = texts
            .iter()
            .map(|t| analyse(t, &abbreviations).tokens.len())
            .sum();
    });
    let mut words = 0usize;
    let parsing = best_of(rounds, || {
        words = texts
            .iter()
            .zip(&layouts)
            .map(|(t, l)| syntax.parse(t, l).len())
            .sum();
    });
    let after = peak_rss_mb();
    // The beam's cost, whatever the model was trained for: the same text at width 8 (after
    // the memory reading: it loads a second copy of the model).
    let wide = Syntax::from_bytes(BUILTIN_MODEL)
        .expect("the built-in model loads")
        .with_beam(8);
    let beam = best_of(2, || {
        texts.iter().zip(&layouts).for_each(|(t, l)| {
            wide.parse(t, l);
        });
    });
    let rate = |n: usize, d: Duration| n as f64 / d.as_secs_f64();
    println!(
        "syntax layer, one core, {} {source}, best of {rounds}:",
        texts.len()
    );
    println!("| stage | words/s | time | ratio to the tokeniser |");
    println!("|---|---|---|---|");
    println!(
        "| sitrep-tokens (floor) | {:.0} | {:.1} ms | 1.0× |",
        rate(tokens, tokeniser),
        tokeniser.as_secs_f64() * 1e3
    );
    println!(
        "| tag + parse + lemmas | {:.0} | {:.1} ms | {:.1}× |",
        rate(words, parsing),
        parsing.as_secs_f64() * 1e3,
        parsing.as_secs_f64() / tokeniser.as_secs_f64()
    );
    println!(
        "| tag + parse + lemmas, beam of 8 | {:.0} | {:.1} ms | {:.1}× |",
        rate(words, beam),
        beam.as_secs_f64() * 1e3,
        beam.as_secs_f64() / tokeniser.as_secs_f64()
    );
    println!(
        "model load: {:.1} ms ({} bytes)",
        load.as_secs_f64() * 1e3,
        BUILTIN_MODEL.len()
    );
    if let (Some(b), Some(a)) = (before, after) {
        println!(
            "peak memory: {b:.0} MB before loading, {a:.0} MB after parsing: growth {:.0} MB",
            a - b
        );
    }
}
