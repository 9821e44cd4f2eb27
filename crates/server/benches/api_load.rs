//! Load on `sitrep serve`, on each engine: requests/s, median and p99 latency of
//! `/api/events` with a bounding box (and a date range), first page of 100 with its total, at
//! 16 concurrent clients, against `/api/health` on the same server in the same run as the
//! baseline. SQLite holds 100,000 generated events, PostgreSQL 1,000,000 (a scratch schema of
//! the local server, or SITREP_TEST_POSTGRES). The clients are threads of this bench, each
//! on a kept-alive connection.
//!
//! `cargo bench -p sitrep-server --bench api_load`

use sitrep_core::Article;
use sitrep_store::scratch::ScratchDatabase;
use sitrep_store::{EventRecord, Incoming, LayerRecord, Store};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

/// Concurrent clients, and how long each endpoint is loaded.
const CLIENTS: usize = 16;
const SECONDS: u64 = 5;

/// A PostgreSQL store location to load instead of a scratch schema: generated into on the
/// first run and kept, then loaded as it is, so that a change can be measured again in
/// minutes rather than after generating a million events anew.
const KEPT_STORE_VARIABLE: &str = "SITREP_BENCH_POSTGRES_STORE";

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

/// A store of `articles` articles with `per_article` events each, placed across north-west
/// Syria and beyond and dated across 2022 and 2023, its layers stamped with `fingerprint` so
/// the server makes none anew.
fn generate(db: &Path, fingerprint: &str, articles: usize, per_article: usize) -> usize {
    let mut store = Store::open(db).expect("store");
    let mut random = Lcg(7);
    let modes = ["occurred", "alleged", "planned", "predicted", "ongoing"];
    let types = ["ASSAULT", "COERCE", "MOBILIZE", "ACCUSE", "CONSULT"];
    let mut events = 0;
    for chunk in 0..articles / 500 {
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
                events: (0..per_article)
                    .map(|k| {
                        let (lat, lon) = (32.0 + random.next() * 6.0, 35.0 + random.next() * 7.0);
                        let day = (random.next() * 730.0) as u64;
                        let date = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap()
                            + chrono::Days::new(day);
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
                            date: Some(date.to_string()),
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
    store.analyze().expect("analyze");
    events
}

/// Requests/s, median and p99 latency of `path` under CLIENTS clients for SECONDS.
fn load(addr: SocketAddr, path: &str) -> (f64, Duration, Duration) {
    let deadline = Instant::now() + Duration::from_secs(SECONDS);
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let path = path.to_string();
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let stream = TcpStream::connect(addr).expect("connect");
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut writer = stream;
                while Instant::now() < deadline {
                    let started = Instant::now();
                    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
                    writer.write_all(request.as_bytes()).expect("send");
                    read_response(&mut reader, &path);
                    latencies.push(started.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut all: Vec<Duration> = clients
        .into_iter()
        .flat_map(|c| c.join().expect("a client"))
        .collect();
    all.sort();
    let at = |q: f64| all[((all.len() - 1) as f64 * q) as usize];
    (all.len() as f64 / SECONDS as f64, at(0.5), at(0.99))
}

/// Reads one response off a kept-alive connection; anything but a 200 stops the bench.
fn read_response(reader: &mut BufReader<TcpStream>, path: &str) -> Vec<u8> {
    let mut status = String::new();
    reader.read_line(&mut status).expect("a status line");
    assert!(status.contains(" 200 "), "{path}: {status}");
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("a header");
        if line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().expect("a length");
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("the body");
    body
}

/// One GET's JSON body.
fn get_json(addr: SocketAddr, path: &str) -> serde_json::Value {
    let mut stream = TcpStream::connect(addr).expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    let body = read_response(&mut BufReader::new(stream), path);
    serde_json::from_slice(&body).expect("JSON")
}

/// Serves the store at `db` (layers made with `resources`) on a free port.
fn serve(db: &Path, resources: sitrep_annotate::Resources) -> SocketAddr {
    let config = sitrep_server::Config {
        worker: false,
        ..sitrep_server::Config::local(0)
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let db = db.to_path_buf();
    std::thread::spawn(move || {
        sitrep_server::serve(db, resources, config, |addr| tx.send(addr).unwrap()).expect("serve");
    });
    rx.recv_timeout(Duration::from_secs(120))
        .expect("listening")
}

/// Loads the server on one engine's store and prints its rows of the table.
fn bench(engine: &str, db: &Path, articles: usize, per_article: usize) {
    let resources = sitrep_annotate::Resources::builtin();
    let started = Instant::now();
    let first = sitrep_store::EventQuery {
        limit: 1,
        ..Default::default()
    };
    let stored = Store::open(db)
        .expect("store")
        .events(&first)
        .expect("events")
        .total;
    let events = if stored == articles * per_article {
        stored
    } else {
        generate(db, &resources.fingerprint, articles, per_article)
    };
    let generated_in = started.elapsed();
    let addr = serve(db, resources);
    let bbox = "35.5,36.0,36.5,37.0";
    let dates = "since=2023-03-01&until=2023-05-31";
    let paths = [
        (
            "/api/health (baseline)".to_string(),
            "/api/health".to_string(),
        ),
        (
            "/api/events?bbox=… (first page of 100)".into(),
            format!("/api/events?bbox={bbox}&limit=100"),
        ),
        (
            "/api/events?bbox=…&since=…&until=… (first page of 100)".into(),
            format!("/api/events?bbox={bbox}&{dates}&limit=100"),
        ),
    ];
    let mut baseline = None;
    for (name, path) in paths {
        let total = get_json(addr, &path)["total"].as_u64();
        let (rate, median, p99) = load(addr, &path);
        let base_rate = *baseline.get_or_insert(rate);
        println!(
            "| {engine} | {events} | {name} | {} | {rate:.0} | {:.1} ms | {:.1} ms | {:.1}× |",
            total.map_or("".into(), |t| t.to_string()),
            median.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3,
            base_rate / rate
        );
    }
    eprintln!(
        "{engine}: {events} events generated (or found kept) in {:.1} s",
        generated_in.as_secs_f64()
    );
}

fn main() {
    println!(
        "sitrep serve under load: {CLIENTS} clients on kept-alive connections, {SECONDS} s per \
         endpoint, one endpoint after another\n"
    );
    println!("| engine | events | endpoint | total | requests/s | median | p99 | time per request vs baseline |");
    println!("|---|---|---|---|---|---|---|---|");
    let dir = tempfile::tempdir().expect("temp dir");
    bench("SQLite", &dir.path().join("load.db"), 5_000, 20);
    match std::env::var(KEPT_STORE_VARIABLE) {
        Ok(location) => bench("PostgreSQL", Path::new(&location), 10_000, 100),
        Err(_) => {
            let scratch = ScratchDatabase::create().unwrap_or_else(|e| panic!("{e}"));
            bench("PostgreSQL", scratch.location(), 10_000, 100);
        }
    }
}
