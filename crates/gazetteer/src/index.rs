//! The on-disk index: fixed-width place records, a string table, road geometry, postings, and
//! an FST from name skeletons to postings — each a file in one folder, memory-mapped on open.
//! A build writes a fresh folder and renames it into place, so readers never see half an index.

use crate::names::{exact_key, is_code, is_latin, skeleton, KeyMatcher};
use crate::{distance_km, Extent, GazetteerError, Place, PlaceKind};
use memmap2::Mmap;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

const MAGIC: &[u8; 8] = b"SITREPGZ";
const VERSION: u32 = 6;
/// A posting: the record and the exact key (in the string table) of the spelling that put it
/// under its key, so lookups compare keys without folding names again. The length's top bit
/// says the spelling is the place's own name, the next that it is a code in capitals.
const POSTING: usize = 12;
const OWN_NAME: u32 = 1 << 31;
const CODE_NAME: u32 = 1 << 30;
const FLAGS: u32 = OWN_NAME | CODE_NAME;
const HEADER: usize = 16;
/// Most candidates one lookup returns.
const LOOKUP_CAP: usize = 200;
/// Spellings less alike than this are not candidates at all.
const MIN_MATCH: f64 = 0.6;
const RECORD: usize = 72;
/// Where a record's extent starts: south, west, north, east as f32, NaN for a point.
const EXTENT_AT: usize = 56;

/// Collects places and writes the index.
#[derive(Default)]
pub struct Builder {
    places: Vec<Place>,
    sources: Vec<String>,
}

impl Builder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds places, recording where they came from for `sitrep gazetteer info`.
    pub fn add(&mut self, source: &str, places: impl IntoIterator<Item = Place>) {
        let before = self.places.len();
        self.places.extend(places);
        self.sources
            .push(format!("{source}: {} places", self.places.len() - before));
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Writes the index to `dir` (replacing what was there, atomically).
    pub fn write(&self, dir: &Path) -> Result<(), GazetteerError> {
        let staging = dir.with_extension("building");
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir_all(&staging).map_err(|e| GazetteerError::io(&staging, e))?;
        let mut records = Vec::with_capacity(HEADER + self.places.len() * RECORD);
        records.extend_from_slice(MAGIC);
        records.extend_from_slice(&VERSION.to_le_bytes());
        records.extend_from_slice(&(self.places.len() as u32).to_le_bytes());
        let mut strings: Vec<u8> = Vec::new();
        let mut lines: Vec<u8> = Vec::new();
        let mut keys: BTreeMap<String, Vec<(u32, u32, u32)>> = BTreeMap::new();
        let push_str = |s: &str, strings: &mut Vec<u8>| -> (u32, u32) {
            let at = strings.len() as u32;
            strings.extend_from_slice(s.as_bytes());
            (at, s.len() as u32)
        };
        for (index, p) in self.places.iter().enumerate() {
            let (name_at, name_len) = push_str(&p.name, &mut strings);
            let (id_at, id_len) = push_str(&p.id, &mut strings);
            let (admin_at, admin_len) = push_str(p.admin1.as_deref().unwrap_or(""), &mut strings);
            let (admin2_at, admin2_len) = push_str(p.admin2.as_deref().unwrap_or(""), &mut strings);
            let line_at = (lines.len() / 8) as u32;
            for (lat, lon) in &p.line {
                lines.extend_from_slice(&(*lat as f32).to_le_bytes());
                lines.extend_from_slice(&(*lon as f32).to_le_bytes());
            }
            let mut r = [0u8; RECORD];
            r[0..4].copy_from_slice(&(p.lat as f32).to_le_bytes());
            r[4..8].copy_from_slice(&(p.lon as f32).to_le_bytes());
            r[8..16].copy_from_slice(&p.population.to_le_bytes());
            r[16..20].copy_from_slice(&name_at.to_le_bytes());
            r[20..24].copy_from_slice(&name_len.to_le_bytes());
            r[24..28].copy_from_slice(&id_at.to_le_bytes());
            r[28..30].copy_from_slice(&(id_len as u16).to_le_bytes());
            r[30..32].copy_from_slice(&(admin_len as u16).to_le_bytes());
            r[32..36].copy_from_slice(&admin_at.to_le_bytes());
            r[36..40].copy_from_slice(&line_at.to_le_bytes());
            r[40..42].copy_from_slice(&(p.line.len() as u16).to_le_bytes());
            r[42] = p.kind as u8;
            let country = p.country.as_bytes();
            r[43..43 + country.len().min(2)].copy_from_slice(&country[..country.len().min(2)]);
            r[45] = u8::from(p.capital);
            r[46..48].copy_from_slice(&(admin2_len as u16).to_le_bytes());
            r[48..52].copy_from_slice(&admin2_at.to_le_bytes());
            let edges = p.extent.map_or([f32::NAN; 4], |e| {
                [e.south, e.west, e.north, e.east].map(|v| v as f32)
            });
            for (k, edge) in edges.iter().enumerate() {
                let at = EXTENT_AT + 4 * k;
                r[at..at + 4].copy_from_slice(&edge.to_le_bytes());
            }
            records.extend_from_slice(&r);
            let mut seen_spellings = std::collections::HashSet::new();
            let own_key = exact_key(&p.name);
            let names = std::iter::once(&p.name)
                .chain(p.alternate_names.iter())
                .filter(|n| is_latin(n));
            for name in names {
                let key = skeleton(name);
                if key.is_empty() {
                    continue;
                }
                // Every spelling of the place under this key, so a lookup can score the one asked
                // for ("Türkiye" and "Turkey" share a key).
                let spelling = exact_key(name);
                if !seen_spellings.insert((key.clone(), spelling.clone())) {
                    continue;
                }
                let own = if spelling == own_key { OWN_NAME } else { 0 };
                let code = if is_code(name) { CODE_NAME } else { 0 };
                let (at, len) = push_str(&spelling, &mut strings);
                keys.entry(key)
                    .or_default()
                    .push((index as u32, at, len | own | code));
            }
        }
        let mut postings: Vec<u8> = Vec::new();
        let mut fst = fst::MapBuilder::memory();
        for (key, list) in &keys {
            let start = (postings.len() / POSTING) as u64;
            for (record, at, len) in list {
                postings.extend_from_slice(&record.to_le_bytes());
                postings.extend_from_slice(&at.to_le_bytes());
                postings.extend_from_slice(&len.to_le_bytes());
            }
            fst.insert(key, (start << 20) | list.len().min((1 << 20) - 1) as u64)
                .map_err(|e| GazetteerError::format("names.fst", e))?;
        }
        let fst = fst
            .into_inner()
            .map_err(|e| GazetteerError::format("names.fst", e))?;
        let info = serde_json::json!({
            "format": VERSION,
            "places": self.places.len(),
            "names": keys.len(),
            "sources": self.sources,
            "attribution": "Place data from GeoNames (https://www.geonames.org), CC BY 4.0, and sitrep's own curated supplement.",
        });
        let info = serde_json::to_string_pretty(&info).unwrap_or_default();
        let files: [(&str, &[u8]); 6] = [
            ("places.bin", &records),
            ("strings.bin", &strings),
            ("lines.bin", &lines),
            ("postings.bin", &postings),
            ("names.fst", &fst),
            ("info.json", info.as_bytes()),
        ];
        for (name, bytes) in files {
            let path = staging.join(name);
            std::fs::write(&path, bytes).map_err(|e| GazetteerError::io(&path, e))?;
        }
        let _ = std::fs::remove_dir_all(dir);
        std::fs::rename(&staging, dir).map_err(|e| GazetteerError::io(dir, e))
    }
}

/// An opened index.
pub struct Gazetteer {
    dir: PathBuf,
    records: Mmap,
    strings: Mmap,
    lines: Mmap,
    postings: Mmap,
    names: fst::Map<Mmap>,
    count: usize,
    /// Recent names' rankings (see [`Gazetteer::ranked`]).
    recent: Mutex<Rankings>,
    /// Settlements by division, counted on first use (see [`Gazetteer::settlements_by_division`]).
    division_sizes: std::sync::OnceLock<Arc<DivisionSizes>>,
}

/// How many settlements (cities, towns, villages) each first-level division holds, by country
/// and division name, and in all.
#[derive(Debug, Default)]
pub struct DivisionSizes {
    pub by_division: HashMap<(String, String), usize>,
    pub total: usize,
}

/// A place a lookup found, before it is decoded: its record, how well the name fits it, whether
/// the fitting spelling is its own name, and its [`Candidate::score`].
#[derive(Debug, Clone, Copy)]
struct Ranked {
    record: u32,
    fit: f64,
    own: bool,
    score: f64,
}

/// Rankings by name: of every spelling that fits, and of the exact spellings alone.
type Rankings = [HashMap<String, Arc<[Ranked]>>; 2];

/// Names whose rankings are kept, of each kind; past it that memory is cleared and refilled.
/// A ranking is at most [`LOOKUP_CAP`] places of 24 bytes, so the two stay under 20 MB.
const RECENT_NAMES: usize = 2048;

/// A place a name may mean, with how well it fits. It reads as the [`Place`] it is
/// (`candidate.lat`); the index keeps no alternate names, so those are empty.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub place: Place,
    /// How alike the query and the place's name are, 0..=1.
    pub name_match: f64,
    /// The query is the place's own name, not one of its other names ("White House" is an
    /// English name of Casablanca).
    pub own_name: bool,
    /// Prior importance: larger and higher-level places are meant more often.
    pub prominence: f64,
}

impl std::ops::Deref for Candidate {
    type Target = Place;
    fn deref(&self) -> &Place {
        &self.place
    }
}

impl Candidate {
    /// From sitrep's curated supplement: a place chosen because news names it often.
    pub fn is_curated(&self) -> bool {
        self.id.starts_with("sitrep:")
    }

    /// Distance from this place to a point, in kilometres.
    pub fn distance_km(&self, lat: f64, lon: f64) -> f64 {
        distance_km((self.lat, self.lon), (lat, lon))
    }
}

/// Prior importance: higher-level and larger places are meant more often, and a capital as
/// much as a country.
fn prominence(kind: PlaceKind, population: u64, capital: bool) -> f64 {
    let level = match kind {
        PlaceKind::Country => 1.0,
        _ if capital => 1.0,
        PlaceKind::Admin1 => 0.8,
        PlaceKind::City => 0.5,
        PlaceKind::Admin2 | PlaceKind::Region | PlaceKind::Road => 0.4,
        _ => 0.2,
    };
    level + ((population as f64) + 1.0).log10() / 8.0
}

fn map(path: &Path) -> Result<Mmap, GazetteerError> {
    let file = File::open(path).map_err(|e| GazetteerError::io(path, e))?;
    // SAFETY: the index files are written once into a staging folder and renamed into place;
    // they are never modified afterwards, so the mapping cannot change under us.
    unsafe { Mmap::map(&file) }.map_err(|e| GazetteerError::io(path, e))
}

impl Gazetteer {
    /// Memory-maps the index in `dir`.
    pub fn open(dir: &Path) -> Result<Self, GazetteerError> {
        let records = map(&dir.join("places.bin"))?;
        if records.len() < HEADER || &records[0..8] != MAGIC {
            return Err(GazetteerError::format(
                &dir.join("places.bin").display().to_string(),
                "not a sitrep gazetteer index",
            ));
        }
        let version = u32::from_le_bytes(records[8..12].try_into().expect("4 bytes"));
        if version != VERSION {
            return Err(GazetteerError::format(&dir.display().to_string(), format!("index format {version}, expected {VERSION}: run `sitrep gazetteer install` again")));
        }
        let count = u32::from_le_bytes(records[12..16].try_into().expect("4 bytes")) as usize;
        if records.len() != HEADER + count * RECORD {
            return Err(GazetteerError::format(
                &dir.join("places.bin").display().to_string(),
                "truncated index",
            ));
        }
        let names_path = dir.join("names.fst");
        let names = fst::Map::new(map(&names_path)?)
            .map_err(|e| GazetteerError::format(&names_path.display().to_string(), e))?;
        Ok(Gazetteer {
            dir: dir.to_path_buf(),
            strings: map(&dir.join("strings.bin"))?,
            lines: map(&dir.join("lines.bin"))?,
            postings: map(&dir.join("postings.bin"))?,
            records,
            names,
            count,
            recent: Mutex::default(),
            division_sizes: std::sync::OnceLock::new(),
        })
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The build's description (`info.json`).
    pub fn info(&self) -> serde_json::Value {
        std::fs::read(self.dir.join("info.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or(serde_json::Value::Null)
    }

    /// How many settlements each first-level division holds: what a place's being in a
    /// division says depends on how much of the world the division is (a town of that name in
    /// Connecticut says more than one in New York). Counted once, on first use, from the
    /// records alone.
    pub fn settlements_by_division(&self) -> Arc<DivisionSizes> {
        let sizes = self.division_sizes.get_or_init(|| {
            let mut by_key: HashMap<([u8; 2], u32, usize), usize> = HashMap::new();
            for index in 0..self.count {
                let r = &self.records[HEADER + index * RECORD..HEADER + (index + 1) * RECORD];
                let settlement = matches!(
                    PlaceKind::from_u8(r[42]),
                    PlaceKind::City | PlaceKind::Town | PlaceKind::Village
                );
                let admin1_len = u16::from_le_bytes([r[30], r[31]]) as usize;
                if settlement && admin1_len > 0 {
                    let at = u32::from_le_bytes(r[32..36].try_into().expect("4 bytes"));
                    *by_key.entry(([r[43], r[44]], at, admin1_len)).or_default() += 1;
                }
            }
            let mut sizes = DivisionSizes::default();
            for ((country, at, len), n) in by_key {
                let country = String::from_utf8_lossy(&country)
                    .trim_end_matches('\0')
                    .to_string();
                *sizes
                    .by_division
                    .entry((country, self.string(at, len)))
                    .or_default() += n;
                sizes.total += n;
            }
            Arc::new(sizes)
        });
        Arc::clone(sizes)
    }

    fn string(&self, at: u32, len: usize) -> String {
        let at = at as usize;
        String::from_utf8_lossy(self.strings.get(at..at + len).unwrap_or_default()).into_owned()
    }

    fn record(&self, index: u32, name_match: f64) -> Candidate {
        let at = HEADER + index as usize * RECORD;
        let r = &self.records[at..at + RECORD];
        let f32_at = |o: usize| f32::from_le_bytes(r[o..o + 4].try_into().expect("4 bytes")) as f64;
        let u32_at = |o: usize| u32::from_le_bytes(r[o..o + 4].try_into().expect("4 bytes"));
        let u16_at =
            |o: usize| u16::from_le_bytes(r[o..o + 2].try_into().expect("2 bytes")) as usize;
        let name = self.string(u32_at(16), u32_at(20) as usize);
        let admin1 = self.string(u32_at(32), u16_at(30));
        let admin2 = self.string(u32_at(48), u16_at(46));
        let line_at = u32_at(36) as usize * 8;
        let line = (0..u16_at(40))
            .filter_map(|i| {
                let p = self.lines.get(line_at + i * 8..line_at + i * 8 + 8)?;
                let lat = f32::from_le_bytes(p[0..4].try_into().ok()?) as f64;
                let lon = f32::from_le_bytes(p[4..8].try_into().ok()?) as f64;
                Some((lat, lon))
            })
            .collect();
        let kind = PlaceKind::from_u8(r[42]);
        let population = u64::from_le_bytes(r[8..16].try_into().expect("8 bytes"));
        Candidate {
            place: Place {
                id: self.string(u32_at(24), u16_at(28)),
                name,
                alternate_names: Vec::new(),
                kind,
                country: String::from_utf8_lossy(&r[43..45])
                    .trim_end_matches('\0')
                    .to_string(),
                admin1: (!admin1.is_empty()).then_some(admin1),
                admin2: (!admin2.is_empty()).then_some(admin2),
                lat: f32_at(0),
                lon: f32_at(4),
                population,
                line,
                capital: r[45] == 1,
                extent: (!f32_at(EXTENT_AT).is_nan()).then(|| Extent {
                    south: f32_at(EXTENT_AT),
                    west: f32_at(EXTENT_AT + 4),
                    north: f32_at(EXTENT_AT + 8),
                    east: f32_at(EXTENT_AT + 12),
                }),
            },
            name_match,
            own_name: false,
            prominence: prominence(kind, population, r[45] == 1),
        }
    }

    /// A record's prominence, read without decoding the rest of it.
    fn prominence(&self, index: u32) -> f64 {
        let at = HEADER + index as usize * RECORD;
        let r = &self.records[at..at + RECORD];
        prominence(
            PlaceKind::from_u8(r[42]),
            u64::from_le_bytes(r[8..16].try_into().expect("8 bytes")),
            r[45] == 1,
        )
    }

    /// Every place a name may mean, best first: the name's skeleton finds them; how closely the
    /// name that put each under the key is spelt like the query, then the place's prominence,
    /// rank them.
    pub fn lookup(&self, name: &str) -> Vec<Candidate> {
        self.candidates(name, false, LOOKUP_CAP)
    }

    /// The first `n` of [`Gazetteer::lookup`]'s answer, decoding only those: for callers that
    /// weigh a few candidates of every name in an article.
    pub fn lookup_top(&self, name: &str, n: usize) -> Vec<Candidate> {
        self.candidates(name, false, n.min(LOOKUP_CAP))
    }

    /// The places spelt exactly as asked (once folded), best first: cheaper than
    /// [`Gazetteer::lookup`], for asking whether a name is a place at all.
    pub fn lookup_exact(&self, name: &str) -> Vec<Candidate> {
        self.candidates(name, true, LOOKUP_CAP)
    }

    fn candidates(&self, name: &str, exact_only: bool, limit: usize) -> Vec<Candidate> {
        self.ranked(name, exact_only)
            .iter()
            .take(limit)
            .map(|r| {
                let mut c = self.record(r.record, r.fit);
                c.own_name = r.own;
                c
            })
            .collect()
    }

    /// The places a name may mean, best first, remembered: news names the same places in
    /// article after article, and weighing a common key's thousands of spellings costs more
    /// than the rest of a lookup. The answer is the same remembered or not.
    fn ranked(&self, name: &str, exact_only: bool) -> Arc<[Ranked]> {
        if let Some(found) = self.recent()[exact_only as usize].get(name) {
            return Arc::clone(found);
        }
        let found: Arc<[Ranked]> = self.rank(name, exact_only).into();
        let memory = &mut self.recent()[exact_only as usize];
        if memory.len() >= RECENT_NAMES {
            memory.clear();
        }
        memory.insert(name.to_string(), Arc::clone(&found));
        found
    }

    /// The memory of rankings; a lookup that panicked while holding it left it whole.
    fn recent(&self) -> std::sync::MutexGuard<'_, Rankings> {
        self.recent.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every place under the name's skeleton that its spellings fit well enough, ranked as
    /// [`Candidate::score`] ranks them, before any is decoded.
    fn rank(&self, name: &str, exact_only: bool) -> Vec<Ranked> {
        let Some(value) = self.names.get(skeleton(name)) else {
            return Vec::new();
        };
        let (start, count) = ((value >> 20) as usize, (value & ((1 << 20) - 1)) as usize);
        let word = |b: &[u8], i: usize| {
            u32::from_le_bytes(b[i * 4..i * 4 + 4].try_into().expect("4 bytes"))
        };
        // The best-matching spelling of each place; a place's spellings are adjacent.
        let query = exact_key(name);
        let asked_in_capitals = is_code(name);
        let mut fuzzy = KeyMatcher::new(&query);
        let mut best: Vec<Ranked> = Vec::new();
        for b in
            (start..start + count).filter_map(|i| self.postings.get(i * POSTING..(i + 1) * POSTING))
        {
            let (record, at, len) = (word(b, 0), word(b, 1), word(b, 2));
            // A code is a name only in capitals: "CAR" is the Central African Republic, "Car
            // bombs" no country.
            if len & CODE_NAME != 0 && !asked_in_capitals {
                continue;
            }
            let matched = self.spelling(at, (len & !FLAGS) as usize);
            let fit = if matched == query.as_bytes() {
                1.0
            } else if exact_only || !may_match(query.len(), matched.len()) {
                continue;
            } else {
                let spelt = std::str::from_utf8(matched).unwrap_or_default();
                match fuzzy.similarity(spelt, MIN_MATCH) {
                    Some(fit) => fit,
                    None => continue,
                }
            };
            let own = fit == 1.0 && len & OWN_NAME != 0;
            match best.last_mut() {
                Some(last) if last.record == record => {
                    last.fit = last.fit.max(fit);
                    last.own |= own;
                }
                _ if (record as usize) < self.count => best.push(Ranked {
                    record,
                    fit,
                    own,
                    score: 0.0,
                }),
                _ => {}
            }
        }
        for r in &mut best {
            r.score = score(r.fit, self.prominence(r.record));
        }
        // Common keys hold thousands: only the likeliest are kept.
        if best.len() > LOOKUP_CAP {
            best.select_nth_unstable_by(LOOKUP_CAP, |a, b| b.score.total_cmp(&a.score));
            best.truncate(LOOKUP_CAP);
        }
        best.sort_by(|a, b| b.score.total_cmp(&a.score));
        best
    }

    /// A spelling's exact key in the string table, as bytes: most are compared, not read.
    fn spelling(&self, at: u32, len: usize) -> &[u8] {
        let at = at as usize;
        self.strings.get(at..at + len).unwrap_or_default()
    }
}

/// Whether two keys' lengths leave room for a similarity of [`MIN_MATCH`]: an edit distance is
/// at least the difference in length.
fn may_match(a: usize, b: usize) -> bool {
    let (a, b) = (a as f64, b as f64);
    1.0 - (a - b).abs() / a.max(b).max(1.0) >= MIN_MATCH
}

impl Candidate {
    /// Spelling first, prominence second: a village spelt exactly as asked outranks a large
    /// city that merely shares the key.
    pub fn score(&self) -> f64 {
        score(self.name_match, self.prominence)
    }
}

/// How a candidate ranks: how well the name fits it, then how prominent it is.
fn score(name_match: f64, prominence: f64) -> f64 {
    3.0 * name_match + prominence
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(
        id: &str,
        name: &str,
        alt: &[&str],
        kind: PlaceKind,
        lat: f64,
        lon: f64,
        population: u64,
    ) -> Place {
        Place {
            id: id.into(),
            name: name.into(),
            alternate_names: alt.iter().map(|s| s.to_string()).collect(),
            kind,
            country: "SY".into(),
            admin1: Some("Idlib".into()),
            admin2: None,
            lat,
            lon,
            population,
            line: vec![],
            capital: false,
            extent: None,
        }
    }

    fn built() -> (tempfile::TempDir, Gazetteer) {
        let mut b = Builder::new();
        b.add(
            "test",
            [
                place(
                    "geonames:169389",
                    "Idlib",
                    &["Idleb", "إدلب"],
                    PlaceKind::City,
                    35.93062,
                    36.63393,
                    128840,
                ),
                Place {
                    extent: Some(Extent {
                        south: 35.2,
                        west: 35.9,
                        north: 36.4,
                        east: 37.3,
                    }),
                    ..place(
                        "geonames:169387",
                        "Idlib Governorate",
                        &["Idlib"],
                        PlaceKind::Admin1,
                        35.8,
                        36.6,
                        0,
                    )
                },
                place(
                    "geonames:172027",
                    "Az Ziyārah",
                    &["Az Ziyarah", "Ez Ziara"],
                    PlaceKind::Village,
                    35.68482,
                    36.33867,
                    0,
                ),
                Place {
                    line: vec![(35.5, 35.8), (35.8, 36.6), (36.2, 37.1)],
                    ..place(
                        "sitrep:m4",
                        "M4",
                        &["M4 highway"],
                        PlaceKind::Road,
                        35.8,
                        36.6,
                        0,
                    )
                },
            ],
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gazetteer");
        b.write(&path).unwrap();
        (dir, Gazetteer::open(&path).unwrap())
    }

    #[test]
    fn divisions_count_their_settlements_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let mut b = Builder::new();
        b.add(
            "test",
            [
                place("t:1", "Idlib", &[], PlaceKind::City, 35.9, 36.6, 128840),
                place("t:2", "Saraqib", &[], PlaceKind::Town, 35.8, 36.8, 30000),
                place(
                    "t:3",
                    "Idlib Governorate",
                    &[],
                    PlaceKind::Admin1,
                    35.8,
                    36.6,
                    0,
                ),
                place("t:4", "M4", &[], PlaceKind::Road, 35.8, 36.6, 0),
                Place {
                    admin1: Some("Hama".into()),
                    ..place("t:5", "Kafr Zita", &[], PlaceKind::Village, 35.4, 36.6, 0)
                },
            ],
        );
        b.write(&dir.path().join("g")).unwrap();
        let g = Gazetteer::open(&dir.path().join("g")).unwrap();
        let sizes = g.settlements_by_division();
        let of = |a: &str| {
            sizes
                .by_division
                .get(&("SY".to_string(), a.to_string()))
                .copied()
        };
        assert_eq!(
            (of("Idlib"), of("Hama"), sizes.total),
            (Some(2), Some(1), 3)
        );
    }

    #[test]
    fn lookups_find_every_spelling_and_rank_by_fit_and_prominence() {
        let (_dir, g) = built();
        assert_eq!(g.len(), 4);
        let idlib = g.lookup("Idlib");
        assert_eq!(
            idlib.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["geonames:169389", "geonames:169387"]
        );
        assert!((idlib[0].lat - 35.93062).abs() < 1e-4);
        // Areas keep their extent; points have none.
        let governorate = idlib[1].extent.expect("the governorate's box");
        assert!(governorate.contains((idlib[0].lat, idlib[0].lon)));
        assert!((governorate.east - 37.3).abs() < 1e-5);
        assert_eq!(idlib[0].extent, None);
        assert_eq!(g.lookup("Idleb")[0].name, "Idlib");
        assert_eq!(g.lookup("Al-Ziyarah")[0].id, "geonames:172027");
        assert!(g.lookup("Aleppo").is_empty());
        let m4 = &g.lookup("M4")[0];
        assert_eq!((m4.kind, m4.line.len()), (PlaceKind::Road, 3));
        assert_eq!(m4.admin1.as_deref(), Some("Idlib"));
        assert_eq!(m4.country, "SY");
    }

    /// "CAR" is the Central African Republic; "Car bombs" names no country.
    #[test]
    fn a_code_is_a_name_only_in_capitals() {
        let mut b = Builder::new();
        let republic = place(
            "geonames:239880",
            "Central African Republic",
            &["CAR", "Centrafrique"],
            PlaceKind::Country,
            6.6,
            20.9,
            4_000_000,
        );
        b.add("test", vec![republic]);
        let dir = tempfile::tempdir().unwrap();
        b.write(&dir.path().join("g")).unwrap();
        let g = Gazetteer::open(&dir.path().join("g")).unwrap();
        assert_eq!(g.lookup("CAR")[0].id, "geonames:239880");
        assert!(g.lookup("Car").is_empty(), "{:?}", g.lookup("Car"));
        assert!(g.lookup_exact("car").is_empty());
    }

    #[test]
    fn a_remembered_lookup_answers_as_a_fresh_one() {
        let (_dir, g) = built();
        let fresh = g.lookup("Idlibb");
        assert_eq!(fresh.len(), 2, "a misspelling finds both Idlibs");
        assert_eq!(g.lookup("Idlibb"), fresh, "asked again, from memory");
        assert_eq!(g.lookup_top("Idlibb", 1), fresh[..1]);
        assert!(
            g.lookup_exact("Idlibb").is_empty(),
            "exact asks are remembered apart"
        );
        assert_eq!(g.lookup_exact("Idlib").len(), 2);
    }

    #[test]
    fn the_spelling_asked_for_outranks_a_bigger_place_sharing_the_key() {
        let mut b = Builder::new();
        b.add(
            "test",
            [
                place(
                    "geonames:1",
                    "Zaria",
                    &[],
                    PlaceKind::City,
                    11.1,
                    7.7,
                    980_000,
                ),
                place(
                    "geonames:172027",
                    "Az Ziyārah",
                    &["Az Ziyarah"],
                    PlaceKind::Village,
                    35.68,
                    36.34,
                    0,
                ),
            ],
        );
        let dir = tempfile::tempdir().unwrap();
        b.write(&dir.path().join("g")).unwrap();
        let g = Gazetteer::open(&dir.path().join("g")).unwrap();
        let found = g.lookup("Al-Ziyarah");
        assert_eq!(found[0].id, "geonames:172027");
        assert_eq!(found[0].name_match, 1.0);
        assert!(found[0].own_name, "the index flags a place's own name");
        assert_eq!(
            found.len(),
            1,
            "Zaria shares the key but is spelt too unlike to be a candidate: {found:?}"
        );
        assert_eq!(g.lookup_exact("Az Ziyārah").len(), 1);
        assert!(g.lookup_exact("Zariya").is_empty());
    }

    #[test]
    fn a_damaged_index_is_refused_with_its_path() {
        let (dir, _) = built();
        let path = dir.path().join("gazetteer");
        std::fs::write(path.join("places.bin"), b"SITREPGZ\x06\0\0\0\x09\0\0\0").unwrap();
        let err = Gazetteer::open(&path).err().unwrap().to_string();
        assert!(
            err.contains("places.bin") && err.contains("truncated"),
            "{err}"
        );
        std::fs::write(path.join("places.bin"), b"garbage").unwrap();
        assert!(Gazetteer::open(&path)
            .err()
            .unwrap()
            .to_string()
            .contains("not a sitrep gazetteer"));
    }
}
