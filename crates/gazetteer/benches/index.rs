//! Gazetteer index: time to open, and lookups per second, against an in-memory hash map from
//! the same name keys to the same places built in the same process (the floor a lookup could
//! reach). 300,000 synthetic places with GeoNames-like names. `cargo bench -p sitrep-gazetteer`.

use sitrep_gazetteer::names::skeleton;
use sitrep_gazetteer::{Builder, Gazetteer, Place, PlaceKind};
use std::collections::HashMap;
use std::time::Instant;

const PLACES: usize = 300_000;
const SYLLABLES: [&str; 24] = [
    "ka", "fr", "na", "bl", "sa", "ra", "qib", "ar", "iha", "id", "lib", "jis", "shu", "ghur",
    "ma", "ar", "rat", "nu", "man", "tal", "rif", "at", "zi", "ya",
];

fn name(i: usize) -> String {
    let mut n = i * 2_654_435_761 % 1_000_003;
    let mut s = String::new();
    for _ in 0..3 + i % 3 {
        s.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
    }
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn main() {
    let places: Vec<Place> = (0..PLACES)
        .map(|i| Place {
            id: format!("geonames:{i}"),
            name: name(i),
            alternate_names: vec![format!("{} {}", name(i), "Village")],
            kind: if i % 100 == 0 {
                PlaceKind::City
            } else {
                PlaceKind::Village
            },
            country: "SY".into(),
            admin1: Some("Idlib".into()),
            admin2: None,
            lat: 35.0 + (i % 1000) as f64 / 1000.0,
            lon: 36.0 + (i % 777) as f64 / 777.0,
            population: (i % 5000) as u64,
            line: vec![],
            capital: false,
            extent: None,
        })
        .collect();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("gazetteer");
    let mut builder = Builder::new();
    builder.add("synthetic", places.clone());
    let started = Instant::now();
    builder.write(&path).expect("index written");
    let build = started.elapsed();
    let started = Instant::now();
    let gazetteer = Gazetteer::open(&path).expect("index opens");
    let open = started.elapsed();

    let mut floor: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in places.iter().enumerate() {
        floor.entry(skeleton(&p.name)).or_default().push(i);
    }
    let queries: Vec<String> = (0..100_000).map(|i| name(i * 7 % PLACES)).collect();
    let started = Instant::now();
    let mut hits = 0;
    for q in &queries {
        hits += floor.get(&skeleton(q)).map_or(0, |v| v.len().min(10));
    }
    let floor_time = started.elapsed();
    let started = Instant::now();
    let mut found = 0;
    for q in &queries {
        found += gazetteer.lookup(q).len().min(10);
    }
    let index_time = started.elapsed();
    let per_second = |d: std::time::Duration| queries.len() as f64 / d.as_secs_f64();
    println!(
        "Gazetteer index: {PLACES} places, {} queries, one thread\n",
        queries.len()
    );
    println!("| what | result |\n|---|---|");
    println!("| build and write | {:.0} ms |", build.as_secs_f64() * 1e3);
    println!("| open (memory-map) | {:.2} ms |", open.as_secs_f64() * 1e3);
    println!(
        "| lookups/s, in-memory hash map of the same keys (floor) | {:.0} |",
        per_second(floor_time)
    );
    println!(
        "| lookups/s, memory-mapped index with ranking | {:.0} ({:.1}× the floor's time) |",
        per_second(index_time),
        index_time.as_secs_f64() / floor_time.as_secs_f64()
    );
    assert_eq!(hits.min(1), found.min(1), "both find candidates");
}
