//! Claims over time at scale: tracking a batch of 1,000 new articles into a store that already
//! tracks 100,000, against the same batch into an empty store, in the same process.
//!
//! The articles are generated (no annotation, so the tracker is what is measured): a pool of
//! speakers, outlets, places and actors; four statements an article, each with an event; one
//! article in five relays statements of a recent one in another outlet, one in ten denies one.
//!
//!     cargo bench -p sitrep-ledger --bench track [-- STORE_SIZE]

use serde_json::json;
use sitrep_core::{Article, DateBasis, Document, PartialDate, Published};
use sitrep_ledger::Ledger;
use sitrep_store::Store;
use std::time::Instant;

const BATCH: usize = 1000;
const PLACES: usize = 200;
const SPEAKERS: usize = 300;
const ACTORS: usize = 100;
const OUTLETS: usize = 30;

/// A small, seeded generator: the same store on every run.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

const DEEDS: [(&str, &str); 4] = [
    ("ASSAULT", "shelled"),
    ("ASSAULT", "struck"),
    ("COERCE", "arrested"),
    ("MOBILIZE", "deployed"),
];
const MODES: [&str; 6] = [
    "alleged",
    "alleged",
    "occurred",
    "planned",
    "predicted",
    "threatened",
];

/// One statement's words and event: who said what about whom, where, in which words.
#[derive(Clone)]
struct Said {
    speaker: usize,
    actor: usize,
    place: usize,
    deed: usize,
    mode: &'static str,
    number: usize,
    /// Indices into a vocabulary: news words vary, and unrelated reports share few.
    words: [usize; 8],
}

/// A made-up vocabulary of this many words ("w123"): reports share words by chance as real
/// ones do.
const VOCABULARY: usize = 3000;

fn document(n: usize, rng: &mut Rng, recent: &[Vec<Said>], out: &mut Vec<Vec<Said>>) -> Document {
    let day = n * 730 / 100_000 % 730;
    let date = chrono::NaiveDate::from_ymd_opt(2021, 1, 1).unwrap() + chrono::Days::new(day as u64);
    let relay = !recent.is_empty() && rng.below(5) == 0;
    let said: Vec<Said> = if relay {
        let from = &recent[rng.below(recent.len())];
        from.to_vec()
    } else {
        (0..4)
            .map(|_| Said {
                speaker: rng.below(SPEAKERS),
                actor: rng.below(ACTORS),
                place: rng.below(PLACES),
                deed: rng.below(DEEDS.len()),
                mode: MODES[rng.below(MODES.len())],
                number: rng.below(90) + 2,
                words: std::array::from_fn(|_| rng.below(VOCABULARY)),
            })
            .collect()
    };
    // A relay has its own opening line: another outlet's copy, not the same text.
    let mut text = format!("Report {n} from the desk. ");
    let (mut entities, mut statements, mut events) = (Vec::new(), Vec::new(), Vec::new());
    let mut entity = |name: String, place: Option<usize>| -> String {
        let id = format!("e{}", entities.len() + 1);
        let mut e = json!({"id": id, "kind": if place.is_some() { "place" } else { "armed_group" }, "name": name});
        if let Some(p) = place {
            e["lat"] = json!(35.0 + (p % 20) as f64 * 0.15);
            e["lon"] = json!(36.0 + (p / 20) as f64 * 0.15);
        }
        entities.push(e);
        id
    };
    for (k, s) in said.iter().enumerate() {
        let denial = !relay && k == 0 && rng.below(10) == 0;
        let (kind, verb) = if denial {
            ("denial", "denied that")
        } else {
            ("assertion", "said that")
        };
        let words: Vec<String> = s.words.iter().map(|w| format!("w{w}")).collect();
        let content = format!(
            "group {} {} {} {} in village {} {}",
            s.actor,
            DEEDS[s.deed].1,
            s.number,
            words[..4].join(" "),
            s.place,
            words[4..].join(" ")
        );
        let sentence = format!("Speaker {} {verb} {content}. ", s.speaker);
        let start = text.len() + sentence.find(&content).unwrap();
        text.push_str(&sentence);
        let speaker = entity(format!("Speaker {}", s.speaker), None);
        let actor = entity(format!("group {}", s.actor), None);
        let place = entity(format!("village {}", s.place), Some(s.place));
        let id = format!("s{}", k + 1);
        statements.push(json!({"id": id, "speaker": speaker, "cue": verb, "form": "indirect", "kind": kind,
            "tags": [], "chain": [], "rule": "bench", "start": start, "end": start + content.len()}));
        let trigger = start + content.find(DEEDS[s.deed].1).unwrap();
        events.push(json!({"id": format!("v{}", k + 1), "type": DEEDS[s.deed].0,
            "mode": if denial { "denied" } else { s.mode }, "actors": [actor], "targets": [], "location": place,
            "statement": id, "start": trigger, "end": trigger + DEEDS[s.deed].1.len(), "rule": "bench", "confidence": 0.8}));
    }
    out.push(said);
    let mut article = Article::from_normalised_text(text);
    article.source_id = Some(format!("bench-{n}"));
    article.outlet = Some(format!("Outlet {}", rng.below(OUTLETS)));
    article.published = Some(Published::new(PartialDate::day(date), DateBasis::Metadata));
    let mut doc: Document = serde_json::from_value(json!({
        "article": serde_json::to_value(&article).unwrap(),
        "entities": entities, "statements": statements, "events": events,
    }))
    .expect("a generated document reads back");
    doc.article = article;
    doc
}

fn main() {
    let size: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let mut rng = Rng(7);
    let (mut said, mut docs) = (Vec::new(), Vec::with_capacity(size + BATCH));
    for n in 0..size + BATCH {
        let recent = &said[said.len().saturating_sub(200)..];
        let mut out = Vec::new();
        docs.push(document(n, &mut rng, recent, &mut out));
        said.extend(out);
    }
    let (old, new) = docs.split_at(size);
    let dir = tempfile::tempdir().unwrap();

    // Baseline: the batch into an empty store.
    let mut empty = Ledger::new(
        Store::open(&dir.path().join("empty.db")).unwrap(),
        sitrep_annotate::Resources::builtin(),
    );
    empty.store_annotated(new).unwrap();
    let started = Instant::now();
    let tracked = empty.track().unwrap();
    assert_eq!(tracked, BATCH, "every generated article is its own");
    let baseline = started.elapsed();

    let mut full = Ledger::new(
        Store::open(&dir.path().join("full.db")).unwrap(),
        sitrep_annotate::Resources::builtin(),
    );
    full.store_annotated(old).unwrap();
    let started = Instant::now();
    full.track().unwrap();
    let filling = started.elapsed();
    full.store_annotated(new).unwrap();
    let started = Instant::now();
    assert_eq!(full.track().unwrap(), BATCH);
    let batch = started.elapsed();
    let threads = sitrep_ledger::threads(
        &full.store,
        &sitrep_ledger::ThreadQuery {
            min_claims: 2,
            ..Default::default()
        },
    )
    .unwrap()
    .len();

    println!(
        "| tracking | articles | seconds | articles/s | ratio to the batch into an empty store |"
    );
    println!("|---|---|---|---|---|");
    let row = |what: &str, n: usize, s: std::time::Duration| {
        println!(
            "| {what} | {n} | {:.2} | {:.0} | {:.2} |",
            s.as_secs_f64(),
            n as f64 / s.as_secs_f64(),
            s.as_secs_f64() / baseline.as_secs_f64() * BATCH as f64 / n as f64
        );
    };
    row("a batch into an empty store (baseline)", BATCH, baseline);
    row(&format!("the first {size}, in batches"), size, filling);
    row(&format!("a batch into a store of {size}"), BATCH, batch);
    println!(
        "\n{threads} threads of two or more statements; bar: a batch into 100,000 under 10 s."
    );
}
