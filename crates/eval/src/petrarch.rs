//! PETRARCH2's unit tests (`../shared/eventdata/petrarch2_unittest`): 284 sentences, each with
//! the (source, target, event code) triples PETRARCH2 is meant to code with the four
//! `PETR.Validate.*` dictionaries. Scored as that folder's SOURCES.md says: a sentence passes
//! when the set of triples coded equals the expected set (a `noevents` sentence, when nothing
//! is coded); triples are scored by micro precision and recall.
//!
//! Settings the file changes between sentences (`<Config option="require_dyad" ...>`) hold
//! for the sentences after them, as in PETRARCH's own validation run. Records that expect a
//! PETRARCH error (`<EventCoding error=...>`: discarded stories, malformed input) pass when
//! nothing is coded.

use crate::EvalError;
use quick_xml::events::Event as XmlEvent;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// (source, target, event code), as PETRARCH writes them: "---" for a missing actor.
pub type Triple = (String, String, String);

/// One unit test.
#[derive(Debug, Clone)]
pub struct UnitTest {
    pub id: String,
    pub category: String,
    pub date: String,
    pub text: String,
    pub expected: BTreeSet<Triple>,
    /// The record expects PETRARCH to raise an error or discard it.
    pub expects_error: bool,
    /// Whether an event needs both a source and a target (`require_dyad`, default true).
    pub require_dyad: bool,
}

/// The unit-test folder and its four dictionaries.
pub struct Suite {
    pub tests: Vec<UnitTest>,
    /// The verb, actor and agent dictionaries, in that order.
    pub dictionaries: Vec<PathBuf>,
}

pub fn load(shared: &Path) -> Result<Suite, EvalError> {
    let dir = shared.join("eventdata/petrarch2_unittest");
    let path = dir.join("PETR.UnitTest.records.xml");
    let xml = std::fs::read_to_string(&path).map_err(|e| EvalError::data(&path, e))?;
    let tests = parse(&xml).map_err(|e| EvalError::data(&path, e))?;
    Ok(Suite {
        tests,
        dictionaries: ["verbs", "actors", "agents"]
            .iter()
            .map(|d| dir.join(format!("PETR.Validate.{d}.txt")))
            .collect(),
    })
}

fn parse(xml: &str) -> Result<Vec<UnitTest>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut tests = Vec::new();
    let mut require_dyad = true;
    let mut current: Option<UnitTest> = None;
    let mut in_text = false;
    loop {
        let event = reader.read_event().map_err(|e| e.to_string())?;
        match event {
            XmlEvent::Start(e) | XmlEvent::Empty(e) => {
                let attr = |name: &str| -> Option<String> {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == name)
                        .map(|a| a.value.trim().to_string())
                };
                match e.name().as_ref() {
                    "Sentence" => {
                        current = Some(UnitTest {
                            id: attr("id").unwrap_or_default(),
                            category: attr("category").unwrap_or_default(),
                            date: attr("date").unwrap_or_default(),
                            text: String::new(),
                            expected: BTreeSet::new(),
                            expects_error: false,
                            require_dyad,
                        })
                    }
                    "EventCoding" => {
                        if let Some(test) = current.as_mut() {
                            if attr("error").is_some() {
                                test.expects_error = true;
                            } else if let (Some(s), Some(t), Some(c)) =
                                (attr("sourcecode"), attr("targetcode"), attr("eventcode"))
                            {
                                test.expected.insert((s, t, c));
                            }
                        }
                    }
                    "Config" if attr("option").as_deref() == Some("require_dyad") => {
                        require_dyad =
                            attr("value").is_none_or(|v| !v.eq_ignore_ascii_case("false"));
                    }
                    "Text" => in_text = true,
                    _ => {}
                }
            }
            XmlEvent::Text(t) if in_text => {
                if let Some(test) = current.as_mut() {
                    test.text.push_str(&t.xml10_content());
                }
            }
            XmlEvent::GeneralRef(r) if in_text => {
                if let Some(test) = current.as_mut() {
                    let value = crate::reference_text(&r).map_err(|e| e.to_string())?;
                    test.text.push_str(&value);
                }
            }
            XmlEvent::End(e) => match e.name().as_ref() {
                "Text" => in_text = false,
                "Sentence" => {
                    if let Some(mut test) = current.take() {
                        test.text = test.text.split_whitespace().collect::<Vec<_>>().join(" ");
                        tests.push(test);
                    }
                }
                _ => {}
            },
            XmlEvent::Eof => break,
            _ => {}
        }
    }
    Ok(tests)
}

/// What the system coded for one sentence.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub coded: BTreeSet<Triple>,
    /// Why each triple was coded (the dictionary lines behind it), for the failure listing.
    pub rules: Vec<String>,
}

/// Scores per sentence and over triples.
#[derive(Debug, Default)]
pub struct Report {
    /// Each test with what was coded.
    pub results: Vec<(UnitTest, Outcome)>,
}

impl Report {
    pub fn passed(test: &UnitTest, outcome: &Outcome) -> bool {
        if test.expects_error {
            outcome.coded.is_empty()
        } else {
            outcome.coded == test.expected
        }
    }

    pub fn pass_count(&self) -> usize {
        self.results
            .iter()
            .filter(|(t, o)| Self::passed(t, o))
            .count()
    }

    /// Micro precision, recall and F1 of triples, over records that expect triples or none
    /// (not the error records).
    pub fn triple_prf(&self) -> (f64, f64, f64) {
        let (mut tp, mut coded, mut expected) = (0usize, 0usize, 0usize);
        for (test, outcome) in self.results.iter().filter(|(t, _)| !t.expects_error) {
            tp += outcome.coded.intersection(&test.expected).count();
            coded += outcome.coded.len();
            expected += test.expected.len();
        }
        let p = tp as f64 / coded.max(1) as f64;
        let r = tp as f64 / expected.max(1) as f64;
        (p, r, crate::f1(p, r))
    }
}

/// PETRARCH2 1.2.0 on the same file, measured by running it with the same dictionaries and the
/// file's own parses (docs/petrarch2-baseline.md): passed and scored non-error sentences,
/// and triple precision and recall.
pub const PETRARCH2_BASELINE: (usize, usize, f64, f64) = (78, 277, 0.546, 0.312);

/// Runs the system (text, date, require_dyad → outcome) over every test.
pub fn evaluate(suite: &Suite, system: &dyn Fn(&UnitTest) -> Outcome) -> Report {
    Report {
        results: suite.tests.iter().map(|t| (t.clone(), system(t))).collect(),
    }
}

/// The table: pass rate overall and by category, triple P/R/F1, then each failure.
pub fn render(report: &Report, show_failures: bool) -> String {
    let mut out = String::new();
    let total = report.results.len();
    let passed = report.pass_count();
    let (p, r, f) = report.triple_prf();
    out.push_str(
        "PETRARCH2 unit tests (PETR.UnitTest.records.xml, PETR.Validate dictionaries)\n\n",
    );
    out.push_str(&format!(
        "sentences passed   {passed} / {total} = {:.1}%\n",
        100.0 * passed as f64 / total.max(1) as f64
    ));
    let scored: Vec<_> = report
        .results
        .iter()
        .filter(|(t, _)| !t.expects_error)
        .collect();
    let scored_passed = scored.iter().filter(|(t, o)| Report::passed(t, o)).count();
    let (peer_passed, peer_scored, peer_p, peer_r) = PETRARCH2_BASELINE;
    out.push_str(&format!(
        "                   without the {} error records: {scored_passed} / {} = {:.1}%\n",
        total - scored.len(),
        scored.len(),
        100.0 * scored_passed as f64 / scored.len().max(1) as f64
    ));
    out.push_str(&format!(
        "triples            precision {:.3}  recall {:.3}  F1 {:.3}\n\n",
        p, r, f
    ));
    out.push_str(&format!(
        "PETRARCH2 1.2.0, run on the same file (docs/petrarch2-baseline.md): {peer_passed} / \
         {peer_scored} = {:.1}% of non-error sentences; triples precision {peer_p:.3} recall \
         {peer_r:.3}\n\n",
        100.0 * peer_passed as f64 / peer_scored as f64
    ));
    let mut by_category: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (test, outcome) in &report.results {
        let entry = by_category.entry(test.category.as_str()).or_default();
        entry.1 += 1;
        if Report::passed(test, outcome) {
            entry.0 += 1;
        }
    }
    out.push_str("category     passed  total   rate\n");
    for (category, (passed, total)) in &by_category {
        out.push_str(&format!(
            "{category:<12} {passed:>6} {total:>6} {:>6.1}%\n",
            100.0 * *passed as f64 / (*total).max(1) as f64
        ));
    }
    if show_failures {
        out.push_str("\nFailures (expected → coded):\n");
        for (test, outcome) in report.results.iter().filter(|(t, o)| !Report::passed(t, o)) {
            let list = |set: &BTreeSet<Triple>| {
                set.iter()
                    .map(|(s, t, c)| format!("{s}|{t}|{c}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let expected = if test.expects_error {
                "(error: nothing)".to_string()
            } else if test.expected.is_empty() {
                "(none)".to_string()
            } else {
                list(&test.expected)
            };
            out.push_str(&format!(
                "{} [{}] {}\n  expected {}\n  coded    {}\n",
                test.id,
                test.category,
                test.text,
                expected,
                list(&outcome.coded)
            ));
            for rule in &outcome.rules {
                out.push_str(&format!("    by {rule}\n"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sentences_codings_and_settings_that_carry_over() {
        let xml = r#"<Validation><Sentences>
<!-- a comment -->
<Sentence date="19950101" id="A-1" category="DEMO" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="064"></EventCoding>
<Text>
Arnor will restore
ties with Gondor &amp; more.
</Text>
<Parse>(ROOT (S))</Parse>
</Sentence>
<Config option="require_dyad" value="false"></Config>
<Sentence date = "19950101" id ="A-2" category="ERROR" sentence="true">
<EventCoding error="bad"></EventCoding>
<Text>Nothing.</Text>
</Sentence>
<Sentence date="19950101" id="A-3" category="DEMO"><EventCoding noevents = "True"></EventCoding><Text>x</Text></Sentence>
</Sentences></Validation>"#;
        let tests = parse(xml).expect("parses");
        assert_eq!(tests.len(), 3);
        assert_eq!(tests[0].text, "Arnor will restore ties with Gondor & more.");
        assert!(tests[0]
            .expected
            .contains(&("ARN".into(), "GON".into(), "064".into())));
        assert!(tests[0].require_dyad);
        assert!(!tests[1].require_dyad && tests[1].expects_error && tests[1].id == "A-2");
        assert!(tests[2].expected.is_empty() && !tests[2].expects_error);
    }
}
