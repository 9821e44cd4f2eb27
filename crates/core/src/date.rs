//! Dates that are only as precise as their evidence: a day, a month or a year.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    Year,
    Month,
    Day,
}

/// Where a publication date came from, so an analyst can weigh it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateBasis {
    /// The page's or feed's own metadata (meta tags, JSON-LD, `<time>`, `pubDate`, a JSONL field).
    Metadata,
    /// A date in the article's URL path, such as `/2023/01/26/`.
    Url,
    /// A dateline in the article text itself.
    Text,
    /// Given by the user on the command line.
    User,
}

impl DateBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            DateBasis::Metadata => "metadata",
            DateBasis::Url => "url",
            DateBasis::Text => "text",
            DateBasis::User => "user",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Metadata, Self::Url, Self::Text, Self::User]
            .into_iter()
            .find(|b| b.as_str() == s)
    }
}

/// A calendar date known to day, month or year precision; serialises as
/// `{"value": "2023-01-26", "precision": "day"}` (or `"2023-01"`, `"2023"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawDate", into = "RawDate")]
pub struct PartialDate {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
}

/// Why a date string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("'{0}' is not a date: expected YYYY-MM-DD, YYYY-MM or YYYY")]
    Format(String),
    #[error("'{0}' is not a real calendar date")]
    Calendar(String),
    #[error("date '{value}' has precision '{claimed}' but its value has {actual} precision")]
    PrecisionMismatch {
        value: String,
        claimed: String,
        actual: String,
    },
}

impl PartialDate {
    pub fn day(date: NaiveDate) -> Self {
        PartialDate {
            year: date.year(),
            month: Some(date.month()),
            day: Some(date.day()),
        }
    }

    pub fn month(year: i32, month: u32) -> Result<Self, DateError> {
        NaiveDate::from_ymd_opt(year, month, 1)
            .map(|_| PartialDate {
                year,
                month: Some(month),
                day: None,
            })
            .ok_or_else(|| DateError::Calendar(format!("{year:04}-{month:02}")))
    }

    pub fn year(year: i32) -> Self {
        PartialDate {
            year,
            month: None,
            day: None,
        }
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (a four-digit year; no other forms).
    pub fn parse(s: &str) -> Result<Self, DateError> {
        let s = s.trim();
        let bad = || DateError::Format(s.to_string());
        let parts: Vec<&str> = s.split('-').collect();
        let widths_ok = match parts.as_slice() {
            [y] => y.len() == 4,
            [y, m] => y.len() == 4 && m.len() == 2,
            [y, m, d] => y.len() == 4 && m.len() == 2 && d.len() == 2,
            _ => false,
        };
        if !widths_ok || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
            return Err(bad());
        }
        let num = |p: &str| p.parse::<u32>().map_err(|_| bad());
        let year = num(parts[0])? as i32;
        match parts.len() {
            1 => Ok(Self::year(year)),
            2 => Self::month(year, num(parts[1])?),
            _ => NaiveDate::from_ymd_opt(year, num(parts[1])?, num(parts[2])?)
                .map(Self::day)
                .ok_or_else(|| DateError::Calendar(s.to_string())),
        }
    }

    pub fn precision(&self) -> DatePrecision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => DatePrecision::Day,
            (Some(_), None) => DatePrecision::Month,
            _ => DatePrecision::Year,
        }
    }

    /// The first calendar day the date covers, for sorting and range filters.
    pub fn first_day(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

#[derive(Serialize, Deserialize)]
struct RawDate {
    value: String,
    precision: DatePrecision,
}

impl TryFrom<RawDate> for PartialDate {
    type Error = DateError;
    fn try_from(raw: RawDate) -> Result<Self, DateError> {
        let date = PartialDate::parse(&raw.value)?;
        if date.precision() != raw.precision {
            return Err(DateError::PrecisionMismatch {
                value: raw.value,
                claimed: format!("{:?}", raw.precision).to_lowercase(),
                actual: format!("{:?}", date.precision()).to_lowercase(),
            });
        }
        Ok(date)
    }
}

impl From<PartialDate> for RawDate {
    fn from(d: PartialDate) -> Self {
        RawDate {
            value: d.to_string(),
            precision: d.precision(),
        }
    }
}

/// An article's publication date and the evidence it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    #[serde(flatten)]
    pub date: PartialDate,
    pub basis: DateBasis,
}

impl Published {
    pub fn new(date: PartialDate, basis: DateBasis) -> Self {
        Published { date, basis }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_precision_and_prints_it_back() {
        for (s, p) in [
            ("2023-01-26", DatePrecision::Day),
            ("2023-01", DatePrecision::Month),
            ("2023", DatePrecision::Year),
        ] {
            let d = PartialDate::parse(s).unwrap();
            assert_eq!(d.precision(), p);
            assert_eq!(d.to_string(), s);
        }
    }

    #[test]
    fn refuses_impossible_and_malformed_dates() {
        assert!(matches!(
            PartialDate::parse("2023-02-30"),
            Err(DateError::Calendar(_))
        ));
        assert!(matches!(
            PartialDate::parse("2023-13"),
            Err(DateError::Calendar(_))
        ));
        for bad in [
            "26/01/2023",
            "23-01-26",
            "2023-1-26",
            "",
            "yesterday",
            "2023-01-26T10:00",
        ] {
            assert!(
                matches!(PartialDate::parse(bad), Err(DateError::Format(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn published_serialises_flat_with_its_basis() {
        let p = Published::new(PartialDate::parse("2023-01-26").unwrap(), DateBasis::User);
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"value": "2023-01-26", "precision": "day", "basis": "user"})
        );
        let back: Published = serde_json::from_value(json).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn a_precision_that_contradicts_the_value_is_refused() {
        let r: Result<PartialDate, _> =
            serde_json::from_value(serde_json::json!({"value": "2023-01", "precision": "day"}));
        assert!(r.is_err());
    }
}
