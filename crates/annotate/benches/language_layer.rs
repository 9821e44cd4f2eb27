//! Throughput of the whole language layer (tokens, sentences, quotes, actor and person
//! mentions, times, entities, statements, events) over FA-KES's 804 articles on one core,
//! beside a bare pass of the same dictionary's automaton over the same bytes: the ratio says
//! how far above the floor the layer runs. `cargo bench -p sitrep-annotate`.

use sitrep_annotate::{annotate, Resources};
use sitrep_core::{text::normalise, Article, DateBasis, PartialDate, Published};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn fakes() -> Vec<Article> {
    let shared = std::env::var_os("SITREP_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let bytes = std::fs::read(shared.join("newsdata/fakes/FA-KES-Dataset.csv"))
        .expect("FA-KES in ../shared");
    let latin1: String = bytes.iter().map(|&b| b as char).collect();
    csv::Reader::from_reader(latin1.as_bytes())
        .records()
        .map(|row| {
            let row = row.expect("FA-KES parses");
            let mut a = Article::from_normalised_text(normalise(&row[2]));
            let mdy: Vec<u32> = row[4].split('/').map(|p| p.parse().unwrap_or(1)).collect();
            a.published = PartialDate::parse(&format!("{:04}-{:02}-{:02}", mdy[2], mdy[0], mdy[1]))
                .ok()
                .map(|d| Published::new(d, DateBasis::Metadata));
            a.outlet = Some(row[3].to_string());
            a
        })
        .collect()
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

/// A long report costs what its parts cost apart, not the square of its length: the same
/// articles annotated as one text and one by one, in the same run.
fn long_report(articles: &[Article], resources: &Resources) {
    let text = articles
        .iter()
        .map(|a| a.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let kilobytes = text.len() / 1000;
    let report = Article::from_normalised_text(text);
    let apart = best_of(2, || {
        for a in articles {
            annotate(a.clone(), resources);
        }
    });
    let whole = best_of(2, || {
        annotate(report.clone(), resources);
    });
    println!(
        "\nOne {kilobytes} KB report made of {} articles: {:.2} s, {:.1}× the time of the same articles one by one",
        articles.len(),
        whole.as_secs_f64(),
        whole.as_secs_f64() / apart.as_secs_f64()
    );
}

/// Peak resident memory of this process, from the kernel.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let loading = Instant::now();
    let resources = Resources::builtin();
    let load_time = loading.elapsed();
    let articles = fakes();
    let megabytes = articles.iter().map(|a| a.text.len()).sum::<usize>() as f64 / 1e6;
    let rounds = 5;
    let mut sink = 0usize;
    let floor = best_of(rounds, || {
        for a in &articles {
            sink += resources.matcher.count_raw_matches(&a.text);
        }
    });
    let mut facts = (0, 0, 0, 0);
    let full = best_of(rounds, || {
        facts = (0, 0, 0, 0);
        for a in &articles {
            let doc = annotate(a.clone(), &resources);
            facts.0 += doc.mentions.len();
            facts.1 += doc.entities.len();
            facts.2 += doc.statements.len();
            facts.3 += doc.events.len();
        }
    });
    let row = |name: &str, d: Duration| {
        println!(
            "| {name} | {:.0} | {:.1} | {:.1}× |",
            articles.len() as f64 / d.as_secs_f64(),
            megabytes / d.as_secs_f64(),
            d.as_secs_f64() / floor.as_secs_f64()
        )
    };
    println!(
        "Language layer on FA-KES: {} articles, {megabytes:.2} MB, one core, best of {rounds} rounds\n",
        articles.len()
    );
    println!("| pass | articles/s | MB/s | time vs floor |\n|---|---|---|---|");
    row("dictionary automaton alone (floor)", floor);
    row("whole language layer (places found, not resolved)", full);
    // With the installed gazetteer, if there is one, places are resolved too.
    let gazetteer_dir = std::env::var_os("SITREP_GAZETTEER")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share/sitrep/gazetteer"))
        });
    match gazetteer_dir.filter(|d| d.join("places.bin").exists()).map(|d| sitrep_gazetteer::Gazetteer::open(&d)) {
        Some(Ok(gazetteer)) => {
            let resources = Resources::builtin().with_gazetteer(gazetteer);
            let resolved = best_of(rounds, || {
                for a in &articles {
                    sink += annotate(a.clone(), &resources).entities.len();
                }
            });
            row("whole language layer, places resolved", resolved);
            long_report(&articles[..200.min(articles.len())], &resources);
        }
        _ => println!("| whole language layer, places resolved | (no gazetteer installed: run `sitrep gazetteer install`) | | |"),
    }
    println!(
        "\n{} mentions, {} entities, {} statements, {} events per pass ({} raw automaton hits); resources load in {:.0} ms; peak RSS {}",
        facts.0,
        facts.1,
        facts.2,
        facts.3,
        sink / rounds,
        load_time.as_secs_f64() * 1e3,
        peak_rss_mb().map_or("unknown".into(), |mb| format!("{mb:.0} MB"))
    );
}
