//! Claimants' records: for each speaker, what they claimed, how their predictions and
//! allegations fared, and the denials they made and drew.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A tracked statement, as a record counts it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimLine {
    pub speaker: Option<String>,
    pub kind: String,
    pub date: Option<NaiveDate>,
    pub thread: String,
    pub relation: String,
}

/// A tracked event with a verdict, as a record counts it: a prediction's status or an
/// allegation's corroboration, and who claims it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventLine {
    pub speaker: Option<String>,
    pub status: Option<String>,
    pub corroboration: Option<String>,
}

/// One speaker's record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Claimant {
    pub speaker: String,
    /// Statements by kind.
    pub claims: BTreeMap<String, usize>,
    /// Forward-looking events they claimed, by status.
    pub predictions: BTreeMap<String, usize>,
    /// Alleged events they claimed, by corroboration.
    pub allegations: BTreeMap<String, usize>,
    pub denials_made: usize,
    /// Denials in the threads they started, by others.
    pub denials_received: usize,
    pub first_seen: Option<NaiveDate>,
    pub last_seen: Option<NaiveDate>,
}

/// Every speaker's record, most claims first (then by name).
pub fn claimants(claims: &[ClaimLine], events: &[EventLine]) -> Vec<Claimant> {
    let mut by: HashMap<String, Claimant> = HashMap::new();
    let origins: HashMap<&str, &str> = claims
        .iter()
        .filter(|c| c.relation == "origin")
        .filter_map(|c| Some((c.thread.as_str(), c.speaker.as_deref()?)))
        .collect();
    for c in claims {
        let Some(speaker) = &c.speaker else { continue };
        let r = record(&mut by, speaker);
        *r.claims.entry(c.kind.clone()).or_default() += 1;
        r.denials_made += usize::from(c.kind == "denial");
        if let Some(d) = c.date {
            r.first_seen = Some(r.first_seen.map_or(d, |f| f.min(d)));
            r.last_seen = Some(r.last_seen.map_or(d, |l| l.max(d)));
        }
        let answered = origins
            .get(c.thread.as_str())
            .filter(|o| !o.eq_ignore_ascii_case(speaker));
        if let (Some(origin), "denial") = (answered, c.relation.as_str()) {
            record(&mut by, origin).denials_received += 1;
        }
    }
    for e in events {
        let Some(speaker) = &e.speaker else { continue };
        let r = record(&mut by, speaker);
        if let Some(s) = &e.status {
            *r.predictions.entry(s.clone()).or_default() += 1;
        }
        if let Some(c) = &e.corroboration {
            *r.allegations.entry(c.clone()).or_default() += 1;
        }
    }
    let mut out: Vec<Claimant> = by.into_values().collect();
    let total = |c: &Claimant| c.claims.values().sum::<usize>();
    out.sort_by(|a, b| {
        total(b)
            .cmp(&total(a))
            .then_with(|| a.speaker.cmp(&b.speaker))
    });
    out
}

/// The record of a speaker, named as first seen, whatever the case of later mentions.
fn record<'a>(by: &'a mut HashMap<String, Claimant>, speaker: &str) -> &'a mut Claimant {
    by.entry(speaker.to_lowercase())
        .or_insert_with(|| Claimant {
            speaker: speaker.to_string(),
            ..Claimant::default()
        })
}
