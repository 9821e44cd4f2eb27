//! Importing the Phoenix actor dictionaries (`../shared/eventdata/dictionaries`): every entry
//! is loaded, or its line is reported with the reason.

use sitrep_actors::{Dictionary, ImportIssue, Matcher};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

fn dictionaries() -> PathBuf {
    let shared = std::env::var_os("SITREP_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    shared.join("eventdata/dictionaries")
}

/// Checks, line by line, that what the file says is in the imported dictionary.
fn check_every_line_is_loaded_or_reported(file: &str) -> (Dictionary, Vec<ImportIssue>) {
    let path = dictionaries().join(file);
    let (dictionary, issues) = Dictionary::load(&path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let text = String::from_utf8(bytes.clone())
        .unwrap_or_else(|_| bytes.iter().map(|&b| b as char).collect());
    let reported: HashSet<usize> = issues.iter().map(|i| i.line).collect();
    let by_line: HashMap<usize, &sitrep_actors::Actor> = dictionary
        .actors
        .iter()
        .map(|a| (a.source.rsplit(':').next().unwrap().parse().unwrap(), a))
        .collect();
    let mut current: Option<&sitrep_actors::Actor> = None;
    let normal = |s: &str| {
        s.trim()
            .trim_end_matches('_')
            .replace('_', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.split('#').next().unwrap().trim();
        if line.is_empty() || line.starts_with("<!") {
            continue;
        }
        let continues_entry = line.starts_with('+') || line.starts_with('[');
        if reported.contains(&line_no) {
            if !continues_entry {
                current = None; // the whole entry was reported
            }
            continue;
        }
        if continues_entry && current.is_none() {
            continue; // part of an entry reported at its root line
        }
        if let Some(synonyms) = line.strip_prefix('+') {
            let actor = current
                .unwrap_or_else(|| panic!("{file}:{line_no}: synonym loaded without a root"));
            let names = synonyms.split('[').next().unwrap();
            for name in names.split('+').map(normal).filter(|n| !n.is_empty()) {
                assert!(
                    actor.aliases.contains(&name),
                    "{file}:{line_no}: {name:?} not among {:?}",
                    actor.aliases
                );
            }
        } else if let Some(codes) = line.strip_prefix('[') {
            let actor =
                current.unwrap_or_else(|| panic!("{file}:{line_no}: code loaded without a root"));
            let code = codes.split([' ', ']']).next().unwrap();
            let has = actor.code.as_deref() == Some(code)
                || actor.dated_codes.iter().any(|c| c.code == code);
            assert!(has, "{file}:{line_no}: code {code} not on {}", actor.name);
        } else {
            let actor = by_line.get(&line_no).unwrap_or_else(|| {
                panic!("{file}:{line_no}: root line neither loaded nor reported: {raw:?}")
            });
            assert_eq!(
                actor.name,
                normal(line.split(['[', '+']).next().unwrap()),
                "{file}:{line_no}"
            );
            current = Some(actor);
        }
    }
    for issue in &issues {
        assert!(!issue.reason.is_empty() && issue.line > 0);
        println!("{file}: {issue}");
    }
    (dictionary, issues)
}

#[test]
fn the_countries_dictionary_imports_completely() {
    let (d, issues) = check_every_line_is_loaded_or_reported("Phoenix.Countries.actors.txt");
    assert!(d.actors.len() > 15_000, "{} roots", d.actors.len());
    assert!(
        issues.len() < d.actors.len() / 100,
        "{} unreadable lines",
        issues.len()
    );
    let nusra = d
        .actors
        .iter()
        .find(|a| a.name == "JABHAT AL NUSRA")
        .unwrap();
    assert!(nusra.aliases.contains(&"NUSRA FRONT".to_string()));
    let syria = d.actors.iter().find(|a| a.name == "SYRIA").unwrap();
    assert_eq!(
        (syria.code.as_deref(), syria.kind.as_str()),
        (Some("SYR"), "country")
    );
    // The imported names match news text in any case.
    let m = Matcher::new(&d);
    let text = "Fighters of the Nusra Front attacked near Idlib, Syria said.";
    let found: Vec<&str> = m
        .find(text)
        .iter()
        .map(|x| &text[x.span.start..x.span.end])
        .collect();
    assert!(
        found.contains(&"Nusra Front") && found.contains(&"Syria"),
        "{found:?}"
    );
}

#[test]
fn the_international_and_non_state_dictionaries_import_completely() {
    for file in [
        "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt",
    ] {
        let (d, issues) = check_every_line_is_loaded_or_reported(file);
        assert!(d.actors.len() > 500, "{file}: {} roots", d.actors.len());
        assert!(
            issues.len() < d.actors.len() / 50,
            "{file}: {} unreadable lines",
            issues.len()
        );
    }
}

#[test]
fn petrarchs_validation_dictionary_imports() {
    let shared = dictionaries().join("../petrarch2_unittest/PETR.Validate.actors.txt");
    let (d, issues) = Dictionary::load(&shared).unwrap();
    assert!(
        d.actors
            .iter()
            .any(|a| a.name == "GONDOR" || a.aliases.iter().any(|x| x == "GONDOR")),
        "{:?}",
        &d.actors[..3]
    );
    for i in &issues {
        println!("PETR.Validate.actors.txt: {i}");
    }
}

#[test]
fn every_builtin_file_is_compiled_in_and_valid() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/actors");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let mut built_in: Vec<&str> = Dictionary::builtin_files().collect();
    built_in.sort();
    assert_eq!(on_disk, built_in);
    let d = Dictionary::builtin();
    assert!(d.actors.len() > 300);
    // No name claimed by two actors: a clash would silently drop one of them.
    let mut seen: HashMap<String, &str> = HashMap::new();
    for a in &d.actors {
        for name in std::iter::once(&a.name)
            .chain(&a.aliases)
            .chain(a.former_names.iter().map(|f| &f.name))
            .chain(&a.metonyms)
            .chain(&a.demonyms)
        {
            if let Some(other) = seen.insert(name.to_lowercase(), &a.name) {
                assert_eq!(
                    other, a.name,
                    "{name:?} is claimed by {other} and {}",
                    a.name
                );
            }
        }
        if let Some(parent) = &a.part_of {
            assert!(
                d.find(parent).is_some(),
                "{}: part_of {parent:?} is not an actor",
                a.name
            );
        }
    }
}

#[test]
fn agent_dictionaries_import_with_their_substitution_sets() {
    for file in [
        "Phoenix.agents.txt",
        "../petrarch2_unittest/PETR.Validate.agents.txt",
    ] {
        let (d, issues) = Dictionary::load(&dictionaries().join(file)).unwrap();
        assert!(
            d.actors.is_empty(),
            "{file}: agents are not actors: {:?}",
            d.actors.iter().map(|a| &a.source).collect::<Vec<_>>()
        );
        assert!(d.agents.len() > 50, "{file}: {} agents", d.agents.len());
        for i in &issues {
            println!("{file}: {i}");
        }
        assert!(
            issues.len() < d.agents.len() / 20,
            "{file}: {} unreadable lines",
            issues.len()
        );
    }
    let (d, _) = Dictionary::load(&dictionaries().join("Phoenix.agents.txt")).unwrap();
    let farmer = d.agents.iter().find(|a| a.name == "FARMER").unwrap();
    assert_eq!(
        (farmer.code.as_str(), farmer.forms.as_slice()),
        ("AGR", &["FARMER".to_string(), "FARMERS".to_string()][..])
    );
    let dairy = d
        .agents
        .iter()
        .find(|a| a.forms.contains(&"DAIRYMAN".to_string()))
        .unwrap();
    assert!(
        dairy.forms.contains(&"DAIRYWOMEN".to_string()),
        "{:?}",
        dairy.forms
    );
    // A Phoenix agent after a country makes a compound actor in the matcher's output.
    let m = Matcher::new(&d);
    assert!(m
        .find("the farmers protested")
        .iter()
        .any(|x| matches!(x.named, sitrep_actors::Named::Agent(_))));
}
