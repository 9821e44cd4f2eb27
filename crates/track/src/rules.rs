//! The settings that decide what is one claim and how long a prediction has to come true,
//! read from `data/track.toml` (compiled in) or a user's file of the same form.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::BTreeMap;

/// sitrep's own settings file, compiled in.
pub const BUILTIN: &str = include_str!("../../../data/track.toml");

/// The tracker's own revision, raised when what it decides changes within a version.
const REVISION: u32 = 2;

/// Names settings by their origin, their content and this tracker's version and revision:
/// tracked facts made under another name are tracked again.
pub fn fingerprint(origin: &str, text: &str) -> String {
    let hash = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
    format!(
        "track {} r{REVISION} {origin}@{hash:016x}",
        env!("CARGO_PKG_VERSION")
    )
}

/// Why a settings file was refused.
#[derive(Debug, thiserror::Error)]
#[error("track settings {origin}: {reason}")]
pub struct RulesError {
    pub origin: String,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ThreadRules {
    pub max_days: i64,
    pub same_words: f64,
    /// Word overlap of a near-verbatim repeat: enough across time and places.
    pub verbatim_words: f64,
    pub shared_words: f64,
    pub reply_words: f64,
    /// Statements sharing an event are one claim only this many days apart at most.
    pub event_days: i64,
    /// Statements with fewer content words than this join a thread only as replies.
    pub min_words: usize,
    pub specific_tags: Vec<String>,
    /// A speaker's statement this many days after their earlier one is a repeat; sooner, or
    /// in a copied article, it is the same speech relayed.
    pub repeat_days: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SettleRules {
    pub km: f64,
    pub corroboration_days: i64,
}

/// Words that set a window of so many days.
#[derive(Debug, Clone, Deserialize)]
pub struct WindowWords {
    pub words: Vec<String>,
    pub days: i64,
}

/// "before X": X's first days (listed) or a day of every year ("06-21").
#[derive(Debug, Clone, Deserialize)]
pub struct Before {
    pub name: String,
    #[serde(default)]
    pub starts: Vec<NaiveDate>,
    #[serde(default)]
    pub yearly: Option<String>,
}

/// All of the tracker's settings.
#[derive(Debug, Clone, Deserialize)]
pub struct Rules {
    pub threads: ThreadRules,
    pub settle: SettleRules,
    pub default_days: BTreeMap<String, i64>,
    #[serde(default)]
    pub window: Vec<WindowWords>,
    #[serde(default)]
    pub before: Vec<Before>,
}

/// When a forward-looking event is due, and what said so.
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    pub date: NaiveDate,
    /// `date in the text`, `"within weeks"`, `before Ramadan`, or `default for predicted`.
    pub basis: String,
}

impl Rules {
    /// sitrep's own settings.
    pub fn builtin() -> Rules {
        Rules::parse(BUILTIN, "sitrep:track.toml").expect("the built-in track settings parse")
    }

    pub fn parse(text: &str, origin: &str) -> Result<Rules, RulesError> {
        let rules: Rules = toml::from_str(text).map_err(|e| RulesError {
            origin: origin.to_string(),
            reason: e.to_string(),
        })?;
        for b in &rules.before {
            if b.starts.is_empty() && b.yearly.as_deref().and_then(yearly).is_none() {
                return Err(RulesError {
                    origin: origin.to_string(),
                    reason: format!(
                        "before {:?}: give `starts` dates or `yearly` as MM-DD",
                        b.name
                    ),
                });
            }
        }
        Ok(rules)
    }

    /// The window of a forward-looking event said on `said`: the event's own later date, else
    /// the first window words of `words` (its claim's or sentence's words), else the mode's
    /// default. None for a mode with no default (not forward-looking).
    pub fn due(
        &self,
        mode: &str,
        said: NaiveDate,
        dated: Option<NaiveDate>,
        words: &str,
    ) -> Option<Due> {
        let default = *self.default_days.get(mode)?;
        if let Some(date) = dated.filter(|d| *d > said) {
            return Some(Due {
                date,
                basis: "date in the text".into(),
            });
        }
        let lower = words.to_lowercase();
        let found = |w: &str| contains_phrase(&lower, w);
        if let Some((name, date)) = self.before.iter().find_map(|b| {
            found(&format!("before {}", b.name.to_lowercase()))
                .then(|| b.next_start(said).map(|d| (b.name.clone(), d)))
                .flatten()
        }) {
            return Some(Due {
                date,
                basis: format!("before {name}"),
            });
        }
        if let Some((w, days)) = self.window.iter().find_map(|w| {
            w.words
                .iter()
                .find(|x| found(x))
                .map(|x| (x.clone(), w.days))
        }) {
            return Some(Due {
                date: said + chrono::Days::new(days as u64),
                basis: format!("\"{w}\""),
            });
        }
        Some(Due {
            date: said + chrono::Days::new(default as u64),
            basis: format!("default for {mode} ({default} days)"),
        })
    }
}

impl Before {
    /// The first start on or after `day`.
    fn next_start(&self, day: NaiveDate) -> Option<NaiveDate> {
        if let Some((m, d)) = self.yearly.as_deref().and_then(yearly) {
            let this = NaiveDate::from_ymd_opt(day.year(), m, d)?;
            return if this >= day {
                Some(this)
            } else {
                NaiveDate::from_ymd_opt(day.year() + 1, m, d)
            };
        }
        self.starts.iter().copied().filter(|s| *s >= day).min()
    }
}

fn yearly(text: &str) -> Option<(u32, u32)> {
    let (m, d) = text.split_once('-')?;
    let (m, d) = (m.parse().ok()?, d.parse().ok()?);
    NaiveDate::from_ymd_opt(2000, m, d).map(|_| (m, d))
}

/// Whether `phrase` occurs in `text` as whole words (both lower case).
pub(crate) fn contains_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn windows_come_from_dates_words_and_defaults() {
        let rules = Rules::builtin();
        let said = day("2023-02-02");
        let due = rules
            .due("predicted", said, Some(day("2023-02-20")), "")
            .unwrap();
        assert_eq!(
            (due.date, due.basis.as_str()),
            (day("2023-02-20"), "date in the text")
        );
        let due = rules
            .due("predicted", said, None, "would begin within weeks")
            .unwrap();
        assert_eq!(due.date, day("2023-04-03"));
        let due = rules
            .due("planned", said, None, "an offensive before Ramadan")
            .unwrap();
        assert_eq!(
            (due.date, due.basis.as_str()),
            (day("2023-03-23"), "before Ramadan")
        );
        let due = rules
            .due("threatened", said, None, "it would respond")
            .unwrap();
        assert_eq!(due.date, day("2023-05-03"));
        assert!(due.basis.starts_with("default for threatened"));
        assert_eq!(rules.due("occurred", said, None, ""), None);
        // Whole words only: "soonest" is no "soon".
        let due = rules
            .due("predicted", said, None, "at the soonest")
            .unwrap();
        assert!(due.basis.starts_with("default"), "{due:?}");
    }

    #[test]
    fn a_bad_before_entry_is_refused_with_its_name() {
        let text = include_str!("../../../data/track.toml").to_string()
            + "\n[[before]]\nname = \"harvest\"\n";
        let err = Rules::parse(&text, "mine.toml").unwrap_err().to_string();
        assert!(
            err.contains("mine.toml") && err.contains("harvest"),
            "{err}"
        );
    }
}
