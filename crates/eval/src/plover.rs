//! Event types on PLOVER's gold-standard records (`../shared/eventdata/plover_gsr`, 322
//! sentences from the CAMEO manual coded in PLOVER 0.5b1): accuracy and macro-F1 of the event
//! type, and coverage (the share of records the system codes at all); and accuracy of PLOVER's
//! own `mode` on the records that give one.
//!
//! The records use four 0.5b1 types that PLOVER 2021 (which sitrep codes) folds into others,
//! by the CAMEO roots of `CAMEO2PLOVER-2021.txt`: INVESTIGATE (09) and DISAPPROVE (11) into
//! ACCUSE, DEMAND (10) into REQUEST, FIGHT (19) into ASSAULT. PLOVER's `mode` is how an event
//! was done ("heavy-weapons", "curfew", "hunger strike"): sitrep's `subtype`, not its modality
//! (occurred, planned, alleged ...), which these records do not code.

use crate::EvalError;
use std::collections::BTreeMap;
use std::path::Path;

/// A half-open byte range.
pub type Span = (usize, usize);

/// One gold record.
#[derive(Debug, Clone)]
pub struct PloverRecord {
    pub id: String,
    pub text: String,
    /// The gold type, as PLOVER 2021 names it.
    pub event: String,
    /// PLOVER's mode (sub-type), where the record gives one.
    pub mode: Option<String>,
    /// PLOVER's contexts (military, diplomatic ...), singular.
    pub contexts: Vec<String>,
    /// Where the gold markup puts the event's words in the text.
    pub event_spans: Vec<Span>,
}

/// PLOVER 0.5b1 types folded into their PLOVER 2021 type.
fn plover_2021(event: &str) -> &str {
    match event {
        "INVESTIGATE" | "DISAPPROVE" => "ACCUSE",
        "DEMAND" => "REQUEST",
        "FIGHT" => "ASSAULT",
        other => other,
    }
}

pub fn load(shared: &Path) -> Result<Vec<PloverRecord>, EvalError> {
    let path = shared.join("eventdata/plover_gsr/PLOVER_GSR_CAMEO.txt");
    let bytes = std::fs::read(&path).map_err(|e| EvalError::data(&path, e))?;
    let records: Vec<serde_json::Value> =
        serde_json::from_slice(&bytes).map_err(|e| EvalError::data(&path, e))?;
    Ok(records
        .iter()
        .filter(|r| r["event"] != "DOCUMENT")
        .filter_map(|r| {
            let text = r["text"].as_str()?.to_string();
            let markup = r["textInfo"]["markup"].as_str().unwrap_or_default();
            let event_spans = event_words(markup)
                .iter()
                .filter_map(|w| text.find(w.as_str()).map(|at| (at, at + w.len())))
                .collect();
            Some(PloverRecord {
                id: r["id"].as_str()?.to_string(),
                event: plover_2021(r["event"].as_str()?).to_string(),
                mode: r["mode"]
                    .as_str()
                    .filter(|m| !m.is_empty())
                    .map(str::to_string),
                contexts: contexts_of(&r["context"]),
                text,
                event_spans,
            })
        })
        .collect())
}

/// A record's contexts: a string ("diplomatic, military") or a list of them, with the few
/// plural spellings made singular ("refugees" → "refugee").
fn contexts_of(value: &serde_json::Value) -> Vec<String> {
    let joined = match value {
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join(","),
        other => other.as_str().unwrap_or_default().to_string(),
    };
    let mut contexts: Vec<String> = joined
        .split(',')
        .map(|c| c.trim().to_lowercase())
        .filter(|c| !c.is_empty())
        .map(|c| match c.as_str() {
            "refugees" => "refugee".to_string(),
            "resources" => "resource".to_string(),
            _ => c,
        })
        .collect();
    contexts.sort();
    contexts.dedup();
    contexts
}

/// The words the markup tags as the event: "(EVT: agreed)".
fn event_words(markup: &str) -> Vec<String> {
    markup
        .match_indices("(EVT: ")
        .filter_map(|(at, open)| {
            let rest = &markup[at + open.len()..];
            rest.find(')').map(|end| rest[..end].to_string())
        })
        .collect()
}

/// Scores: per record, the gold type and the type predicted (`None`: no event coded).
#[derive(Debug, Default, Clone)]
pub struct PloverReport {
    pub outcomes: Vec<(String, Option<String>)>,
    /// For records with a gold mode: (gold mode, the predicted event's subtype).
    pub modes: Vec<(String, Option<String>)>,
    /// For records with gold contexts: (gold contexts, the predicted event's contexts).
    pub contexts: Vec<(Vec<String>, Vec<String>)>,
}

/// An event a system finds in a text.
#[derive(Debug, Clone, Default)]
pub struct FoundEvent {
    pub span: Span,
    pub event_type: String,
    pub subtype: Option<String>,
    pub contexts: Vec<String>,
}

/// Codes each record with `system` (the events it finds in a text, as spans and types) and
/// takes the event on the gold event's words, else the first one.
pub fn evaluate(
    records: &[PloverRecord],
    system: &dyn Fn(&str) -> Vec<FoundEvent>,
) -> PloverReport {
    let mut report = PloverReport::default();
    for r in records {
        let found = system(&r.text);
        let on_gold = found.iter().find(|e| {
            r.event_spans
                .iter()
                .any(|g| e.span.0 < g.1 && g.0 < e.span.1)
        });
        let predicted = on_gold.or(found.first());
        report
            .outcomes
            .push((r.event.clone(), predicted.map(|e| e.event_type.clone())));
        if let Some(mode) = &r.mode {
            report
                .modes
                .push((mode.clone(), predicted.and_then(|e| e.subtype.clone())));
        }
        if !r.contexts.is_empty() {
            report.contexts.push((
                r.contexts.clone(),
                predicted.map(|e| e.contexts.clone()).unwrap_or_default(),
            ));
        }
    }
    report
}

impl PloverReport {
    pub fn accuracy(&self) -> f64 {
        let right = self
            .outcomes
            .iter()
            .filter(|(gold, p)| p.as_ref() == Some(gold))
            .count();
        right as f64 / self.outcomes.len().max(1) as f64
    }

    pub fn coverage(&self) -> f64 {
        let coded = self.outcomes.iter().filter(|(_, p)| p.is_some()).count();
        coded as f64 / self.outcomes.len().max(1) as f64
    }

    /// Per gold type: (support, precision, recall, F1).
    pub fn per_type(&self) -> BTreeMap<String, (usize, f64, f64, f64)> {
        let mut types: BTreeMap<String, (usize, f64, f64, f64)> = BTreeMap::new();
        for (gold, _) in &self.outcomes {
            types.entry(gold.clone()).or_default().0 += 1;
        }
        for (t, row) in types.iter_mut() {
            let right = self
                .outcomes
                .iter()
                .filter(|(g, p)| g == t && p.as_ref() == Some(g))
                .count() as f64;
            let predicted = self
                .outcomes
                .iter()
                .filter(|(_, p)| p.as_ref() == Some(t))
                .count() as f64;
            let precision = if predicted > 0.0 {
                right / predicted
            } else {
                0.0
            };
            let recall = right / row.0 as f64;
            *row = (row.0, precision, recall, crate::f1(precision, recall));
        }
        types
    }

    /// The share of records with a gold mode whose predicted event has that subtype.
    pub fn mode_accuracy(&self) -> f64 {
        let right = self
            .modes
            .iter()
            .filter(|(gold, p)| p.as_ref() == Some(gold))
            .count();
        right as f64 / self.modes.len().max(1) as f64
    }

    /// Micro precision, recall and F1 of contexts over the records that give some.
    pub fn context_prf(&self) -> (f64, f64, f64) {
        let (mut right, mut predicted, mut gold) = (0usize, 0usize, 0usize);
        for (g, p) in &self.contexts {
            right += p.iter().filter(|c| g.contains(c)).count();
            predicted += p.len();
            gold += g.len();
        }
        let precision = right as f64 / predicted.max(1) as f64;
        let recall = right as f64 / gold.max(1) as f64;
        (precision, recall, crate::f1(precision, recall))
    }

    /// Mean F1 over the gold types.
    pub fn macro_f1(&self) -> f64 {
        let types = self.per_type();
        types.values().map(|r| r.3).sum::<f64>() / types.len().max(1) as f64
    }
}

pub fn render(r: &PloverReport) -> String {
    let mut out = format!(
        "PLOVER gold-standard records — {} sentences, event type (PLOVER 2021)\n\n\
         | accuracy | macro-F1 | coded at all |\n|---|---|---|\n| {:.1}% | {:.3} | {:.1}% |\n\n\
         | type | gold | precision | recall | F1 |\n|---|---|---|---|---|\n",
        r.outcomes.len(),
        r.accuracy() * 100.0,
        r.macro_f1(),
        r.coverage() * 100.0
    );
    for (t, (n, p, rc, f)) in r.per_type() {
        out += &format!("| {t} | {n} | {p:.2} | {rc:.2} | {f:.2} |\n");
    }
    let given = r.modes.len();
    let coded = r.modes.iter().filter(|(_, p)| p.is_some()).count();
    out += &format!(
        "\nPLOVER mode (how: heavy-weapons, curfew, visit ...), {given} records that give one: \
         accuracy {:.1}%, a subtype coded on {coded}.\n",
        r.mode_accuracy() * 100.0
    );
    let (cp, cr, cf) = r.context_prf();
    out += &format!(
        "PLOVER contexts (military, diplomatic, legal ...), {} records that give some: \
         precision {cp:.3}, recall {cr:.3}, F1 {cf:.3}.\n",
        r.contexts.len()
    );
    out += "\nA record counts as right when the event on its gold event words (else the first \
            event found) has the gold type (mode); uncoded records count as wrong. PLOVER's \
            mode is sitrep's subtype; sitrep's modality (occurred, planned, alleged ...) has no \
            gold here.\n";
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_gives_the_event_words_and_old_types_fold() {
        assert_eq!(
            event_words(
                "Senior (SRC: X) officials (EVT: agreed) that they should (EVT: cooperate)."
            ),
            ["agreed", "cooperate"]
        );
        assert_eq!(plover_2021("FIGHT"), "ASSAULT");
        assert_eq!(plover_2021("AGREE"), "AGREE");
    }

    #[test]
    fn scores_count_the_event_on_the_gold_words() {
        let records = vec![
            PloverRecord {
                id: "a".into(),
                text: "They met and then fought.".into(),
                event: "ASSAULT".into(),
                mode: Some("firearms".into()),
                contexts: vec!["military".into()],
                event_spans: vec![(18, 24)],
            },
            PloverRecord {
                id: "b".into(),
                text: "Nothing.".into(),
                event: "AGREE".into(),
                mode: None,
                contexts: vec![],
                event_spans: vec![],
            },
        ];
        let system = |text: &str| -> Vec<FoundEvent> {
            if text.starts_with("They") {
                vec![
                    FoundEvent {
                        span: (5, 8),
                        event_type: "CONSULT".into(),
                        ..Default::default()
                    },
                    FoundEvent {
                        span: (18, 24),
                        event_type: "ASSAULT".into(),
                        subtype: Some("firearms".into()),
                        contexts: vec!["military".into(), "legal".into()],
                    },
                ]
            } else {
                vec![]
            }
        };
        let report = evaluate(&records, &system);
        assert_eq!(report.accuracy(), 0.5);
        assert_eq!(report.coverage(), 0.5);
        let types = report.per_type();
        assert_eq!(types["ASSAULT"], (1, 1.0, 1.0, 1.0));
        assert_eq!(types["AGREE"].3, 0.0);
        assert_eq!(report.macro_f1(), 0.5);
        assert_eq!(report.mode_accuracy(), 1.0);
        assert_eq!(report.context_prf(), (0.5, 1.0, 2.0 / 3.0));
    }
}
