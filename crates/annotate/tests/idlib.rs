//! The canonical example (`../shared/examples/idlib-false-flag.txt`, published 2023-01-26):
//! who is named, and who said what, when.

mod common;

use sitrep_annotate::{annotate, Resources};
use sitrep_core::{Document, Entity, Statement};
use std::sync::LazyLock;

static DOC: LazyLock<Document> =
    LazyLock::new(|| annotate(common::idlib_article(), &Resources::builtin()));

fn entity(name: &str) -> &'static Entity {
    DOC.entities
        .iter()
        .find(|e| e.name == name || e.aliases.iter().any(|a| a == name))
        .unwrap_or_else(|| {
            panic!(
                "no entity {name:?} in {:#?}",
                DOC.entities.iter().map(|e| &e.name).collect::<Vec<_>>()
            )
        })
}

fn mentions_of(e: &Entity) -> Vec<&'static str> {
    DOC.mentions
        .iter()
        .filter(|m| m.entity.as_deref() == Some(e.id.as_str()))
        .map(|m| m.text.as_str())
        .collect()
}

fn content(s: &Statement) -> &'static str {
    &DOC.article.text[s.span.start..s.span.end]
}

fn statement_by(speaker: &str, containing: &str) -> &'static Statement {
    let e = entity(speaker);
    DOC.statements
        .iter()
        .find(|s| s.speaker.as_deref() == Some(e.id.as_str()) && content(s).contains(containing))
        .unwrap_or_else(|| {
            panic!(
                "no statement by {speaker} containing {containing:?}: {:#?}",
                DOC.statements
                    .iter()
                    .map(|s| (&s.speaker, content(s)))
                    .collect::<Vec<_>>()
            )
        })
}

#[test]
fn people_with_titles_and_roles() {
    let yegorov = entity("Oleg Yegorov");
    assert_eq!(yegorov.kind, "person");
    assert_eq!(yegorov.titles, ["Major General"]);
    assert!(
        yegorov.roles[0]
            .starts_with("deputy head of the Russian Defense Ministry’s Reconciliation Center"),
        "{:?}",
        yegorov.roles
    );
    let celik = entity("Omer Celik");
    assert_eq!(celik.kind, "person");
    assert!(
        celik
            .roles
            .iter()
            .any(|r| r.starts_with("spokesperson for") && r.contains("(AKP)")),
        "{:?}",
        celik.roles
    );
    assert_eq!(entity("Recep Tayyip Erdogan").kind, "person");
    // Later short forms resolve to the full entity.
    let refs = mentions_of(yegorov);
    assert!(
        refs.contains(&"Yegorov") && refs.contains(&"the Russian general"),
        "{refs:?}"
    );
}

#[test]
fn hts_is_one_entity_with_its_alias_and_former_name() {
    let hts = entity("HTS");
    assert_eq!(hts.name, "Hayat Tahrir al-Sham");
    assert!(hts.aliases.contains(&"HTS".to_string()));
    assert!(
        hts.former_names.contains(&"Nusra Front".to_string()),
        "{:?}",
        hts.former_names
    );
    let refs = mentions_of(hts);
    assert!(refs.len() >= 4 && refs.contains(&"Nusra Front"), "{refs:?}");
    assert_eq!(hts.kind, "armed_group");
}

#[test]
fn organisations_and_capitals_as_governments() {
    for name in ["SAA", "SNA", "AKP"] {
        let e = entity(name);
        assert!(e.aliases.contains(&name.to_string()), "{name}: {e:?}");
    }
    assert_eq!(entity("Russian Defense Ministry").kind, "ministry");
    assert!(entity("Reconciliation Center")
        .name
        .contains("Reconciliation"));
    for capital in ["Moscow", "Damascus", "Ankara"] {
        let e = entity(capital);
        assert_eq!(e.kind, "government", "{capital} is the government: {e:?}");
        let m = DOC.mentions.iter().find(|m| m.text == capital).unwrap();
        assert!(m.rule.contains("metonym"), "{}", m.rule);
    }
}

#[test]
fn yegorovs_statements() {
    let first = statement_by("Oleg Yegorov", "false-flag attacks");
    assert_eq!(first.form, "indirect");
    assert_eq!(first.cue, "said");
    assert_eq!(first.date.as_ref().unwrap().to_string(), "2023-01-24");
    assert!(first.tags.contains(&"false_flag".to_string()));
    assert_eq!(first.kind, "accusation");
    assert_eq!(
        first.speaker_text.as_deref(),
        Some("Major General Oleg Yegorov")
    );
    assert_eq!(first.chain, ["The Cradle", "Oleg Yegorov"]);

    let intelligence = statement_by("Oleg Yegorov", "received intelligence");
    assert!(
        intelligence
            .chain
            .iter()
            .any(|c| c.contains("Reconciliation")),
        "{:?}",
        intelligence.chain
    );
    assert!(intelligence.chain.contains(&"intelligence".to_string()));

    let according = statement_by("Oleg Yegorov", "stockpiling");
    assert_eq!(according.form, "according_to");
    assert_eq!(
        according.date.as_ref().unwrap().to_string(),
        "2023-01-24",
        "the same speech act goes on"
    );

    let quote = statement_by("Oleg Yegorov", "publish videos");
    assert_eq!(quote.form, "direct_quote");
    assert!(content(quote).ends_with("controlled by them,"));
}

#[test]
fn celik_and_the_outlet() {
    let celik = statement_by("Omer Celik", "Afghanistan");
    assert_eq!(celik.cue, "said");
    assert_eq!(
        celik.date.as_ref().unwrap().to_string(),
        "2023-01",
        "earlier this month"
    );

    let exclusive = statement_by("The Cradle", "joint-operation");
    assert_eq!(exclusive.date.as_ref().unwrap().to_string(), "2023-01-25");
    assert_eq!(exclusive.kind, "prediction");

    let own = statement_by("The Cradle", "stepping up attacks");
    assert_eq!(own.form, "outlet_assertion");
}

#[test]
fn every_span_fits_the_text_and_every_fact_names_its_rule() {
    assert!(DOC.invalid_spans().is_empty(), "{:?}", DOC.invalid_spans());
    assert!(DOC
        .mentions
        .iter()
        .all(|m| !m.rule.is_empty() && DOC.article.text[m.span.start..m.span.end] == m.text));
    let ids: Vec<&str> = DOC.entities.iter().map(|e| e.id.as_str()).collect();
    assert!(DOC
        .mentions
        .iter()
        .filter_map(|m| m.entity.as_deref())
        .all(|e| ids.contains(&e)));
}
