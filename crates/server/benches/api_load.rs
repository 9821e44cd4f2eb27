//! Load on `sitrep serve`: requests/s and p99 latency of `/api/events?bbox=…` over a store of
//! 100,000 generated events, against `/api/health` on the same server in the same run as the
//! baseline. Uses `wrk` against loopback, each endpoint for a bounded time.
//!
//! `cargo bench -p sitrep-server` (needs `wrk`: `apt-get install wrk`).

use sitrep_core::Article;
use sitrep_store::{EventRecord, Incoming, LayerRecord, Store};
use std::process::Command;
use std::time::{Duration, Instant};

const ARTICLES: usize = 5_000;
const EVENTS_PER_ARTICLE: usize = 20;
const SECONDS: &str = "5";

/// A small deterministic generator, so every run loads the same store.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A store of ARTICLES articles with EVENTS_PER_ARTICLE events each, placed across north-west
/// Syria and beyond, its layers stamped with `fingerprint` so the server makes none anew.
fn generate(db: &std::path::Path, fingerprint: &str) -> usize {
    let mut store = Store::open(db).expect("store");
    let mut random = Lcg(7);
    let modes = ["occurred", "alleged", "planned", "predicted", "ongoing"];
    let types = ["ASSAULT", "COERCE", "MOBILIZE", "ACCUSE", "CONSULT"];
    let mut events = 0;
    for chunk in 0..ARTICLES / 500 {
        let batch: Vec<Incoming> = (0..500)
            .map(|i| {
                let n = chunk * 500 + i;
                let mut article = Article::from_normalised_text(format!(
                    "Report {n}: shelling and clashes were reported near village {n} on day {}.",
                    n % 365
                ));
                article.outlet = Some(format!("Outlet {}", n % 12));
                Incoming {
                    origin: format!("generated:{n}"),
                    article,
                    warnings: Vec::new(),
                }
            })
            .collect();
        store.ingest_batch(&batch).expect("ingest");
        let layers: Vec<LayerRecord> = batch
            .iter()
            .map(|incoming| LayerRecord {
                article_id: incoming.article.id.clone(),
                document: "{}".into(),
                events: (0..EVENTS_PER_ARTICLE)
                    .map(|k| {
                        let (lat, lon) = (32.0 + random.next() * 6.0, 35.0 + random.next() * 7.0);
                        let row = serde_json::json!({
                            "article_id": incoming.article.id, "event_id": format!("v{k}"),
                            "type": types[k % 5], "mode": modes[(k / 5) % 5],
                            "actors": ["Syrian Arab Army"], "targets": ["Hayat Tahrir al-Sham"],
                            "actor_codes": ["SYRMIL"], "target_codes": ["SYRREBMUS"], "contexts": [],
                            "latitude": lat, "longitude": lon, "text": "shelling",
                            "rule": "generated", "confidence": 0.5,
                        });
                        EventRecord {
                            event_id: format!("v{k}"),
                            event_type: types[k % 5].into(),
                            mode: modes[(k / 5) % 5].into(),
                            outlet: incoming.article.outlet.clone(),
                            date: Some(format!("2023-{:02}-{:02}", 1 + k % 12, 1 + k % 28)),
                            lat: Some(lat),
                            lon: Some(lon),
                            extent: None,
                            names: vec!["Syrian Arab Army".into(), "Hayat Tahrir al-Sham".into()],
                            row: row.to_string(),
                        }
                    })
                    .collect(),
                ..Default::default()
            })
            .collect();
        events += layers.iter().map(|l| l.events.len()).sum::<usize>();
        store.save_layers(fingerprint, &layers).expect("layers");
    }
    events
}

/// wrk's requests/s and p99 latency for one URL.
fn wrk(url: &str) -> (f64, String) {
    let out = Command::new("wrk")
        .args(["-t2", "-c16", "-d", SECONDS, "--latency", url])
        .output()
        .unwrap_or_else(|e| panic!("wrk cannot run ({e}): install it with `apt-get install wrk`"));
    let text = String::from_utf8_lossy(&out.stdout);
    let rate = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no Requests/sec in wrk's report:\n{text}"));
    let p99 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .map(|v| v.trim().to_string())
        .unwrap_or_else(|| panic!("no 99% latency in wrk's report:\n{text}"));
    let errors = text
        .lines()
        .find(|l| l.contains("Non-2xx") || l.contains("Socket errors"));
    if let Some(e) = errors {
        panic!("{url}: {e}\n{text}");
    }
    (rate, p99)
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("load.db");
    let resources = sitrep_annotate::Resources::builtin();
    let started = Instant::now();
    let events = generate(&db, &resources.fingerprint);
    let generated_in = started.elapsed();
    let config = sitrep_server::Config::local(0);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        sitrep_server::serve(db, resources, config, |addr| tx.send(addr).unwrap()).expect("serve");
    });
    let addr = rx.recv_timeout(Duration::from_secs(60)).expect("listening");
    let base = format!("http://{addr}");
    let bbox = "35.5,36.0,36.5,37.0";
    let count: serde_json::Value = serde_json::from_slice(
        &Command::new("curl")
            .arg("-s")
            .arg(format!("{base}/api/events?bbox={bbox}&limit=1"))
            .output()
            .map(|o| o.stdout)
            .unwrap_or_default(),
    )
    .unwrap_or_default();
    let rows = [
        ("/api/health (baseline)", format!("{base}/api/health")),
        (
            "/api/events?bbox=… (first page of 100)",
            format!("{base}/api/events?bbox={bbox}&limit=100"),
        ),
        (
            "/api/events?bbox=…&mode=alleged",
            format!("{base}/api/events?bbox={bbox}&mode=alleged&limit=100"),
        ),
    ];
    println!(
        "sitrep serve under load: {events} events in {ARTICLES} articles (generated in {:.1} s); \
         wrk -t2 -c16 -d{SECONDS}s against loopback, one endpoint after another\n",
        generated_in.as_secs_f64()
    );
    println!(
        "bbox {bbox} holds {} events\n",
        count["total"]
            .as_u64()
            .map_or("?".into(), |n| n.to_string())
    );
    println!("| endpoint | requests/s | p99 latency | time per request vs baseline |");
    println!("|---|---|---|---|");
    let mut baseline = None;
    for (name, url) in rows {
        let (rate, p99) = wrk(&url);
        let base_rate = *baseline.get_or_insert(rate);
        println!("| {name} | {rate:.0} | {p99} | {:.1}× |", base_rate / rate);
    }
}
