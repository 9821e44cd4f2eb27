//! `sitrep extract` on the canonical example and on JSON lines (DESIGN.md §3 and §8), and
//! `sitrep parse` on the same example: the syntax layer as CoNLL-U.

mod common;
use common::*;
use serde_json::Value;

#[test]
fn the_idlib_report_has_its_title_outlet_and_image() {
    let example = shared().join("examples/idlib-false-flag.txt");
    let out = sitrep()
        .arg("extract")
        .arg(&example)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let a = &doc["article"];
    assert_eq!(
        a["title"],
        "Armed Groups Planning False-Flag Attacks in Syria’s Idlib"
    );
    assert_eq!(a["outlet"], "The Cradle");
    assert_eq!(
        a["image"],
        "https://media.thecradle.co/wp-content/uploads/2023/01/hts345-scaled.jpeg"
    );
    let text = a["text"].as_str().unwrap();
    assert!(
        text.starts_with("As Turkiye turns its back"),
        "standfirst opens the text"
    );
    assert!(text.ends_with("from the M4 international highway."));
    assert_eq!(text.matches("\n\n").count(), 9, "ten paragraphs kept");
    assert_eq!(a["id"].as_str().unwrap().len(), 32);
    // Without a date given, the image's upload path is the best evidence: month precision.
    assert_eq!(
        a["published"],
        serde_json::json!({"value": "2023-01", "precision": "month", "basis": "url"})
    );
    for layer in ["mentions", "entities", "statements", "events"] {
        assert!(doc[layer].is_array(), "{layer}");
    }
}

/// The Idlib report's document, published on 26 January 2023 by the user's word.
fn idlib_published() -> Value {
    let example = shared().join("examples/idlib-false-flag.txt");
    let out = sitrep()
        .arg("extract")
        .arg(&example)
        .args(["--published", "2023-01-26"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn published_given_by_the_user_has_basis_user() {
    let example = shared().join("examples/idlib-false-flag.txt");
    let doc = idlib_published();
    assert_eq!(
        doc["article"]["published"],
        serde_json::json!({"value": "2023-01-26", "precision": "day", "basis": "user"})
    );
    let bad = sitrep()
        .arg("extract")
        .arg(&example)
        .args(["--published", "26/01/2023"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr_of(&bad).contains("--published") && stderr_of(&bad).contains("26/01/2023"),
        "{}",
        stderr_of(&bad)
    );
}

#[test]
fn jsonl_in_jsonl_out_in_order_with_errors_in_place() {
    let input = std::fs::read(hostile("bad-line.jsonl")).unwrap();
    let out = sitrep()
        .args(["extract", "--format", "jsonl"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1), "some lines failed");
    let lines: Vec<Value> = stdout_of(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = lines
        .iter()
        .map(|l| {
            l["source_id"]
                .as_str()
                .or(l["article"]["source_id"].as_str())
                .unwrap_or("?")
        })
        .collect();
    assert_eq!(
        ids,
        ["ok-1", "?", "no-body-3", "bad-date-4", "ok-5"],
        "one output line per input line, in order"
    );
    assert_eq!(lines[0]["article"]["outlet"], "Northern Front Wire");
    assert_eq!(lines[0]["article"]["published"]["basis"], "metadata");
    assert!(lines[1]["error"].as_str().unwrap().contains("not JSON"));
    assert!(lines[2]["error"]
        .as_str()
        .unwrap()
        .contains("\"text\" or \"html\""));
    assert!(lines[3]["error"].as_str().unwrap().contains("21/02/2023"));
    assert!(lines[4]["article"]["text"]
        .as_str()
        .unwrap()
        .starts_with("HTS said"));
    let stderr = stderr_of(&out);
    assert_eq!(
        stderr
            .lines()
            .filter(|l| !l.starts_with("sitrep: note:"))
            .count(),
        3,
        "one line per bad input line: {stderr}"
    );
    assert!(stderr.contains("-:2: bad JSON line"), "{stderr}");
}

#[test]
fn html_and_feeds_are_read_by_content_whatever_their_name() {
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
    let page = demo.join("2023-02-02_orontes-daily_m4-offensive-prediction.html");
    let renamed = tempfile::NamedTempFile::with_suffix(".dat").unwrap();
    std::fs::copy(&page, renamed.path()).unwrap();
    let out = sitrep()
        .arg("extract")
        .arg(renamed.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["article"]["outlet"], "Orontes Daily");
    assert_eq!(doc["article"]["published"]["value"], "2023-02-02");
    assert_eq!(doc["article"]["language"], "en");
    let text = doc["article"]["text"].as_str().unwrap();
    assert!(
        !text.contains("cookie") && !text.contains("Newsletter"),
        "boilerplate removed: {text}"
    );

    let feed = demo.join("northern-front-wire_feed.rss.xml");
    let out = sitrep()
        .arg("extract")
        .arg(&feed)
        .args(["--format", "jsonl"])
        .output()
        .unwrap();
    let docs: Vec<Value> = stdout_of(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 3);
    assert!(docs
        .iter()
        .all(|d| d["article"]["outlet"] == "Northern Front Wire"));
}

#[test]
fn usage_errors_exit_2_and_help_has_examples() {
    let out = sitrep()
        .args(["extract", "--format", "yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    for cmd in [
        "extract", "ingest", "list", "show", "search", "demo", "eval",
    ] {
        let help = sitrep().args([cmd, "--help"]).output().unwrap();
        assert!(help.status.success());
        assert!(
            stdout_of(&help).contains("Examples:"),
            "{cmd} --help has examples"
        );
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // `sitrep extract ... | head -c 10`: the reader goes away early.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("sitrep"))
        .arg("extract")
        .arg(shared().join("examples/idlib-false-flag.txt"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
}

#[test]
fn extract_fills_the_language_layers_and_takes_tabari_dictionaries() {
    let example = shared().join("examples/idlib-false-flag.txt");
    let doc = idlib_published();
    let names: Vec<&str> = doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Oleg Yegorov") && names.contains(&"Hayat Tahrir al-Sham"),
        "{names:?}"
    );
    assert!(doc["statements"].as_array().unwrap().len() >= 8);

    // Only the Phoenix countries dictionary: its entry names the Nusra Front, and the lines it
    // cannot read are reported one by one.
    let phoenix = shared().join("eventdata/dictionaries/Phoenix.Countries.actors.txt");
    let out = sitrep()
        .arg("extract")
        .arg(&example)
        .arg("--dictionary")
        .arg(&phoenix)
        .arg("--no-default-dictionaries")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("Phoenix.Countries.actors.txt: line 2039: date \"9008223\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("dictionary lines could not be read"),
        "{stderr}"
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let nusra = doc["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["text"] == "Nusra Front")
        .unwrap();
    assert!(
        nusra["rule"]
            .as_str()
            .unwrap()
            .contains("Phoenix.Countries.actors.txt:"),
        "{nusra}"
    );
    assert!(
        !doc["entities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "Hayat Tahrir al-Sham"),
        "built-in dictionary left out"
    );
}

#[test]
fn pretty_output_lays_out_entities_and_statements_without_colour_when_piped() {
    let example = shared().join("examples/idlib-false-flag.txt");
    let out = sitrep()
        .arg("extract")
        .arg(&example)
        .args(["--published", "2023-01-26", "--format", "pretty"])
        .output()
        .unwrap();
    let text = stdout_of(&out);
    assert!(
        !text.contains('\x1b'),
        "no escape codes when not a terminal"
    );
    assert!(text.contains("Entities") && text.contains("Statements"));
    assert!(
        text.contains("2023-01-24 Major General Oleg Yegorov said (indirect, accusation)"),
        "{text}"
    );
}

#[test]
fn a_batch_teaches_each_outlet_its_home() {
    let dir = tempfile::tempdir().unwrap();
    let (gazetteer, _) = fixture_gazetteer(dir.path());
    let line = |id: &str, text: &str| {
        serde_json::json!({"id": id, "url": format!("https://www.parispi.net/{id}"), "text": text})
            .to_string()
    };
    let batch = [
        line(
            "1",
            "Storms hit homes in Henry County on Friday, the sheriff said.",
        ),
        line(
            "2",
            "The fair opened in Paris, Tenn., on Saturday. Tennessee officials came.",
        ),
        line("3", "Schools in Henry County closed early."),
        line("4", "Officers in Paris answered the call on Friday."),
    ]
    .join("\n");
    let input = dir.path().join("batch.jsonl");
    std::fs::write(&input, batch).unwrap();
    let paris = |learn: bool| {
        let mut cmd = sitrep();
        cmd.env("SITREP_GAZETTEER", &gazetteer)
            .arg("extract")
            .arg(&input)
            .args(["--format", "jsonl"]);
        if learn {
            cmd.arg("--learn-outlet-homes");
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
        let last: Value =
            serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().last().unwrap())
                .unwrap();
        let entity = last["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == "Paris")
            .cloned()
            .unwrap();
        (entity["admin1"].clone(), stderr_of(&out))
    };
    let (alone, _) = paris(false);
    assert_eq!(
        alone, "Ile-de-France",
        "alone, the capital (the fixture names its division so)"
    );
    let (learned, stderr) = paris(true);
    assert_eq!(
        learned, "Tennessee",
        "in the Paris, Tennessee paper: {stderr}"
    );
    assert!(stderr.contains("learned the home of 1 outlets"), "{stderr}");
}

/// `sitrep parse` writes CoNLL-U that UD's tools accept: ten columns, ids in order, heads in
/// range, one tree per sentence, and TokenRange offsets that point at each word in the input.
#[test]
fn parse_writes_well_formed_conllu_with_token_ranges() {
    let example = shared().join("examples/idlib-false-flag.txt");
    let input = std::fs::read_to_string(&example).unwrap();
    let out = sitrep().arg("parse").arg(&example).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let sentences = sitrep_syntax::conllu::parse_str(&stdout_of(&out), "sitrep parse").unwrap();
    assert!(
        sentences.len() >= 10,
        "the report has many sentences: {}",
        sentences.len()
    );
    let chars: Vec<char> = input.chars().collect();
    for s in &sentences {
        assert!(s.text().is_some(), "every sentence has # text");
        sitrep_syntax::conllu::check_tree(s).unwrap();
        for w in &s.words {
            let range = w
                .misc
                .split('|')
                .find_map(|f| f.strip_prefix("TokenRange="))
                .expect("TokenRange");
            let (a, b) = range.split_once(':').unwrap();
            let slice: String = chars[a.parse::<usize>().unwrap()..b.parse::<usize>().unwrap()]
                .iter()
                .collect();
            assert_eq!(
                slice.replace('’', "'"),
                w.form.replace('’', "'"),
                "TokenRange {range} is the word"
            );
        }
    }
    let said = sentences
        .iter()
        .flat_map(|s| &s.words)
        .filter(|w| w.lemma == "say")
        .count();
    assert!(
        said >= 3,
        "the report's speech verbs are lemmatised: {said}"
    );
}

#[test]
fn parse_pretty_prints_the_tree_from_stdin() {
    let out = sitrep()
        .args(["parse", "--format", "pretty"])
        .write_stdin("The monitor said that two villages were shelled.")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    assert!(
        text.starts_with("The monitor said that two villages were shelled."),
        "{text}"
    );
    assert!(
        text.contains("root") && text.contains("nsubj") && text.contains("said"),
        "{text}"
    );
}

#[test]
fn parse_names_a_bad_input_or_model_and_does_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("bytes.txt");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    let out = sitrep().arg("parse").arg(&binary).output().unwrap();
    assert_no_panic(&out);
    assert!(!out.status.success());
    assert!(
        stderr_of(&out).contains("bytes.txt") && stderr_of(&out).contains("UTF-8"),
        "{}",
        stderr_of(&out)
    );
    let model = dir.path().join("model.bin");
    std::fs::write(&model, b"SITREPSX and then nonsense").unwrap();
    let out = sitrep()
        .args(["parse", "--model"])
        .arg(&model)
        .write_stdin("Hello.")
        .output()
        .unwrap();
    assert_no_panic(&out);
    assert!(!out.status.success());
    assert!(stderr_of(&out).contains("model.bin"), "{}", stderr_of(&out));
}

/// Writes `text` to `name` in `dir` and returns its path.
fn write_file(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_users_cue_and_mode_files_extend_sitreps_lists_and_name_themselves_in_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let cues = write_file(
        dir.path(),
        "my-cues.toml",
        "[[cue]]\nlemma = \"intimate\"\nforms = [\"intimated\"]\nkind = \"assertion\"\n",
    );
    let modes = write_file(
        dir.path(),
        "my-modes.toml",
        "[[mode]]\nmode = \"planned\"\ngovernors = [\"mull\"]\n",
    );
    let report = write_file(
        dir.path(),
        "report.txt",
        "Report\n\nThe governor intimated that militants had shelled the market. \
         The army mulled an offensive on the town.\n",
    );
    let extract = |extra: &[&std::path::Path]| -> Value {
        let mut command = sitrep();
        command
            .arg("extract")
            .arg(&report)
            .args(["--format", "jsonl"]);
        for file in extra {
            command.arg("--dictionary").arg(file);
        }
        let out = command.output().unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
        serde_json::from_str(stdout_of(&out).lines().next().unwrap()).unwrap()
    };
    let speakers = |doc: &Value| -> Vec<String> {
        doc["statements"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["speaker_text"].as_str().map(str::to_string))
            .collect()
    };
    let mode_of = |doc: &Value, trigger: &str| -> (String, String) {
        let e = doc["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["rule"].as_str().unwrap().contains(trigger))
            .unwrap_or_else(|| panic!("no {trigger} event in {doc:#}"));
        (
            e["mode"].as_str().unwrap().into(),
            e["rule"].as_str().unwrap().into(),
        )
    };
    let plain = extract(&[]);
    assert!(speakers(&plain).is_empty(), "{plain:#}");
    assert_ne!(mode_of(&plain, "offensive").0, "planned");

    let extended = extract(&[&cues, &modes]);
    let said = extended["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["speaker_text"] == "The governor")
        .unwrap_or_else(|| panic!("the governor's statement in {extended:#}"));
    assert!(said["rule"]
        .as_str()
        .unwrap()
        .ends_with("(cue of my-cues.toml)"));
    let (mode, rule) = mode_of(&extended, "offensive");
    assert_eq!(mode, "planned", "{rule}");
    assert!(rule.contains("(my-modes.toml)"), "{rule}");
}

#[test]
fn a_mode_file_naming_a_mode_sitrep_does_not_know_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let modes = write_file(
        dir.path(),
        "my-modes.toml",
        "[[mode]]\nmode = \"rumoured\"\nmarkers = [\"reportedly\"]\n",
    );
    let report = write_file(dir.path(), "report.txt", "Report\n\nTroops left.\n");
    let out = sitrep()
        .arg("extract")
        .arg(&report)
        .arg("--dictionary")
        .arg(&modes)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr_of(&out);
    assert!(
        err.contains("my-modes.toml") && err.contains("\"rumoured\" is not a mode"),
        "{err}"
    );
}
