//! `sitrep eval claims`, end to end through the binary: the same figures as the claims gold's
//! reference scorer, misses listed in context, and bad gold files named with the reason; and
//! `sitrep eval factuality` on UDS "It Happened".

mod common;
use common::{assert_no_panic, shared, sitrep, stderr_of, stdout_of};

/// The report's last line: the summary both scorers print.
fn summary(report: &str) -> String {
    report
        .lines()
        .rfind(|l| l.starts_with("claims gold"))
        .unwrap_or_else(|| panic!("no summary line in {report}"))
        .to_string()
}

#[test]
fn eval_claims_prints_the_figures_of_the_reference_scorer() {
    let gold = shared().join("claims/gwn-dev.jsonl");
    let ours = sitrep()
        .env("SITREP_SHARED", shared())
        .args(["eval", "claims"])
        .output()
        .unwrap();
    assert!(ours.status.success(), "{}", stderr_of(&ours));
    let reference = std::process::Command::new("python3")
        .arg(shared().join("claims/score.py"))
        .arg(&gold)
        .env("SITREP", assert_cmd::cargo::cargo_bin("sitrep"))
        .env_remove("SITREP_DB")
        .env_remove("SITREP_GAZETTEER")
        .output()
        .expect("python3 runs the reference scorer");
    let reference_out = stdout_of(&reference);
    assert_eq!(
        summary(&stdout_of(&ours)),
        summary(&reference_out),
        "sitrep eval claims and score.py disagree; score.py said:\n{reference_out}{}",
        stderr_of(&reference)
    );
}

#[test]
fn eval_claims_lists_misses_in_context_for_a_gold_file_of_ones_own() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("mine.jsonl");
    let text = "The harbour master said the ferry would sail at noon. Storms flooded the valley.";
    let line = serde_json::json!({
        "doc": "harbour",
        "text": text,
        "attributions": [{
            "source": "The harbour master", "source_refers_to": null, "cue": "said",
            "content_spans": [[24, 52]], "form": "indirect", "kind": "assertion"
        }],
        "events": [{
            "trigger": "flooded", "trigger_span": [61, 68], "type": "OTHER", "mode": "occurred",
            "actor": "Storms", "target": "the valley"
        }]
    });
    std::fs::write(&gold, format!("{line}\n")).unwrap();
    let out = sitrep()
        .args(["eval", "claims", "--errors"])
        .arg(&gold)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let report = stdout_of(&out);
    assert!(report.contains("| mine.jsonl: 1 articles |"), "{report}");
    assert!(report.contains("(1 gold, "), "{report}");
    // Whatever sitrep finds, each gold item is either matched (recall) or listed as missed,
    // with its words in brackets.
    for (row, missed, words) in [
        (
            "| attributions (",
            "attribution missed",
            "[the ferry would sail at noon]",
        ),
        ("| events (", "event missed", "[flooded]"),
    ] {
        let recall: f64 = report
            .lines()
            .find(|l| l.starts_with(row))
            .and_then(|l| l.split('|').nth(3))
            .and_then(|r| r.trim().parse().ok())
            .unwrap_or_else(|| panic!("no recall for {row} in {report}"));
        let listed = report.matches(missed).count();
        assert_eq!(listed, 1 - recall as usize, "{report}");
        assert!(listed == 0 || report.contains(words), "{report}");
    }
}

#[test]
fn a_gold_file_that_is_not_json_lines_is_named_with_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("broken.jsonl");
    std::fs::write(&gold, "{\"doc\": \"a\", \"text\": \"fine\"}\nnot json\n").unwrap();
    let out = sitrep()
        .args(["eval", "claims"])
        .arg(&gold)
        .output()
        .unwrap();
    assert_no_panic(&out);
    assert!(!out.status.success());
    let err = stderr_of(&out);
    assert!(
        err.contains("broken.jsonl") && err.contains("line 2"),
        "{err}"
    );
}

/// The figures of one split's row of `sitrep eval factuality`: placed, sitrep, always happened.
fn factuality_row(report: &str, split: &str) -> (f64, f64, f64) {
    let row = report
        .lines()
        .find(|l| l.starts_with(&format!("| {split} |")))
        .unwrap_or_else(|| panic!("no {split} row in {report}"));
    let cells: Vec<f64> = row
        .split('|')
        .filter_map(|c| c.trim().parse::<f64>().ok())
        .collect();
    (cells[2], cells[3], cells[4])
}

#[test]
fn eval_factuality_judges_every_predicate_better_than_always_happened() {
    let out = sitrep()
        .env("SITREP_SHARED", shared())
        .args(["eval", "factuality", "--errors"])
        .output()
        .unwrap();
    assert_no_panic(&out);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let report = stdout_of(&out);
    for split in ["dev", "test"] {
        let (placed, ours, always) = factuality_row(&report, split);
        assert!(placed > 0.99, "{split}: placed {placed}");
        assert!(ours > always + 0.05, "{split}: {ours} against {always}");
    }
    assert!(
        report.contains("reason hypothetical: imperative"),
        "misses and reasons are listed"
    );
    let missing = sitrep()
        .args(["eval", "factuality", "--data", "/nonexistent/uds"])
        .output()
        .unwrap();
    assert_no_panic(&missing);
    assert!(!missing.status.success());
    assert!(
        stderr_of(&missing).contains("/nonexistent/uds"),
        "{}",
        stderr_of(&missing)
    );
}
