//! Query parameters, read and checked: a value that cannot be what it names is a 400 saying
//! which parameter and why, never a silent default.

use crate::ApiError;
use std::collections::HashMap;

/// The query parameters of one request.
pub(crate) struct Params(pub HashMap<String, String>);

/// Page size when none is asked for, and the largest allowed.
pub(crate) const DEFAULT_LIMIT: usize = 100;
pub(crate) const MAX_LIMIT: usize = 1000;
/// The furthest a page may start.
pub(crate) const MAX_OFFSET: usize = 1_000_000_000;

impl Params {
    /// A non-empty text parameter.
    pub fn text(&self, name: &str) -> Option<String> {
        self.0
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    }

    /// A typed parameter's raw value: absent is None; present but empty is an error (it names
    /// a value that is not there).
    fn typed(&self, name: &str, expected: &str) -> Result<Option<&str>, ApiError> {
        match self.0.get(name).map(|v| v.trim()) {
            None => Ok(None),
            Some("") => Err(ApiError::bad_request(format!(
                "{name}: empty; expected {expected}"
            ))),
            Some(v) => Ok(Some(v)),
        }
    }

    /// A date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` by its shape (a date no calendar has, such
    /// as 2023-13, is compared as written and matches nothing).
    pub fn date(&self, name: &str) -> Result<Option<String>, ApiError> {
        let expected = "a date YYYY, YYYY-MM or YYYY-MM-DD";
        let Some(v) = self.typed(name, expected)? else {
            return Ok(None);
        };
        let shaped = v.split('-').enumerate().all(|(i, part)| {
            part.len() == if i == 0 { 4 } else { 2 } && part.bytes().all(|b| b.is_ascii_digit())
        }) && v.split('-').count() <= 3;
        if shaped {
            Ok(Some(v.to_string()))
        } else {
            Err(ApiError::bad_request(format!(
                "{name}={v}: expected {expected}"
            )))
        }
    }

    /// `limit` (1..=MAX_LIMIT, default DEFAULT_LIMIT) and `offset` (0..=MAX_OFFSET, default 0).
    pub fn page(&self) -> Result<(usize, usize), ApiError> {
        let limit = self.number("limit", DEFAULT_LIMIT, 1..=MAX_LIMIT)?;
        let offset = self.number("offset", 0, 0..=MAX_OFFSET)?;
        Ok((limit, offset))
    }

    /// A whole number in `range`; absent is `default`.
    pub fn number(
        &self,
        name: &str,
        default: usize,
        range: std::ops::RangeInclusive<usize>,
    ) -> Result<usize, ApiError> {
        let expected = format!("a whole number from {} to {}", range.start(), range.end());
        match self.typed(name, &expected)? {
            None => Ok(default),
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| ApiError::bad_request(format!("{name}={v}: expected {expected}"))),
        }
    }

    /// One of `allowed`, or absent.
    pub fn one_of(&self, name: &str, allowed: &[&str]) -> Result<Option<String>, ApiError> {
        let expected = format!("one of {}", allowed.join(", "));
        match self.typed(name, &expected)? {
            None => Ok(None),
            Some(v) if allowed.contains(&v) => Ok(Some(v.to_string())),
            Some(v) => Err(ApiError::bad_request(format!(
                "{name}={v}: expected {expected}"
            ))),
        }
    }

    /// `true`/`false` (also `1`/`0`); absent is false.
    pub fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.typed(name, "true or false")? {
            None | Some("false" | "0") => Ok(false),
            Some("true" | "1") => Ok(true),
            Some(other) => Err(ApiError::bad_request(format!(
                "{name}={other}: expected true or false"
            ))),
        }
    }

    /// `bbox=SOUTH,WEST,NORTH,EAST`.
    pub fn bbox(&self) -> Result<Option<(f64, f64, f64, f64)>, ApiError> {
        self.typed("bbox", "SOUTH,WEST,NORTH,EAST")?
            .map(|v| {
                sitrep_ledger::parse_bbox(v).map_err(|e| ApiError::bad_request(format!("bbox={e}")))
            })
            .transpose()
    }

    /// `near=LAT,LON,KM`.
    pub fn near(&self) -> Result<Option<(f64, f64, f64)>, ApiError> {
        self.typed("near", "LAT,LON,KM")?
            .map(|v| {
                sitrep_ledger::parse_near(v).map_err(|e| ApiError::bad_request(format!("near={e}")))
            })
            .transpose()
    }
}
