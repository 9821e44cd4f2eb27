//! The statement rules on reports of other shapes, written for these tests: quote first and
//! speaker after, speaker before a colon, nested attribution, denials, threats, several speakers
//! in one paragraph, pronouns, quotations over paragraphs, names no dictionary has.

use sitrep_annotate::{annotate, DictionaryChoice, Resources};
use sitrep_core::{
    text::normalise, Article, DateBasis, Document, PartialDate, Published, Statement,
};
use std::sync::LazyLock;

static RESOURCES: LazyLock<Resources> = LazyLock::new(Resources::builtin);

fn doc(outlet: &str, text: &str) -> Document {
    let mut a = Article::from_normalised_text(normalise(text));
    a.outlet = Some(outlet.into());
    a.published = Some(Published::new(
        PartialDate::parse("2023-02-16").unwrap(),
        DateBasis::User,
    ));
    annotate(a, &RESOURCES)
}

/// (speaker name, form, kind, cue, content) of each statement that is not the outlet's own.
fn claims(d: &Document) -> Vec<(String, String, String, String, String)> {
    d.statements
        .iter()
        .filter(|s| s.form != "outlet_assertion")
        .map(|s| {
            let speaker = s
                .speaker
                .as_ref()
                .and_then(|id| d.entities.iter().find(|e| &e.id == id))
                .map_or("?".to_string(), |e| e.name.clone());
            (
                speaker,
                s.form.clone(),
                s.kind.clone(),
                s.cue.clone(),
                d.article.text[s.span.start..s.span.end].to_string(),
            )
        })
        .collect()
}

/// The entity a statement's speaker was resolved to, if any.
fn speaker_entity<'d>(d: &'d Document, s: &Statement) -> Option<&'d sitrep_core::Entity> {
    d.entities
        .iter()
        .find(|e| Some(&e.id) == s.speaker.as_ref())
}

fn statement<'d>(d: &'d Document, content_has: &str) -> &'d Statement {
    d.statements
        .iter()
        .find(|s| d.article.text[s.span.start..s.span.end].contains(content_has))
        .unwrap_or_else(|| panic!("no statement with {content_has:?}: {:#?}", claims(d)))
}

#[test]
fn quote_first_speaker_after() {
    let d = doc("Levant Monitor", "“We will not allow the terrorists to use the villages as shields,” Colonel Andrei Volkov said on Wednesday.");
    let c = claims(&d);
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(
        (c[0].0.as_str(), c[0].1.as_str(), c[0].3.as_str()),
        ("Andrei Volkov", "direct_quote", "said")
    );
    assert!(c[0].4.starts_with("We will not allow") && c[0].4.ends_with("shields,"));
    assert_eq!(
        statement(&d, "We will not")
            .date
            .as_ref()
            .unwrap()
            .to_string(),
        "2023-02-15",
        "Wednesday before a Thursday"
    );
}

#[test]
fn quote_first_cue_before_speaker() {
    let d = doc("Orontes Daily", "“The shelling targeted only militant positions,” said the Syrian Ministry of Defence, adding that no civilians were hurt.");
    let c = claims(&d);
    assert_eq!(c[0].0, "Syrian Ministry of Defence");
    assert_eq!(c[0].1, "direct_quote");
    assert_eq!(
        (c[1].0.as_str(), c[1].3.as_str(), c[1].4.as_str()),
        (
            "Syrian Ministry of Defence",
            "adding",
            "no civilians were hurt"
        )
    );
}

#[test]
fn speaker_before_a_colon_and_a_quote() {
    let d = doc("Aleppo Desk", "The Turkish Defence Ministry said: “Our units returned fire in line with the rules of engagement.”");
    let c = claims(&d);
    assert_eq!(c.len(), 1, "{c:#?}");
    assert!(
        c[0].0.contains("Turkish Ministry of National Defence") || c[0].0.contains("Turk"),
        "{c:#?}"
    );
    assert_eq!(c[0].1, "direct_quote");
    assert!(c[0].4.starts_with("Our units returned fire"));
}

#[test]
fn denials_and_threats_take_their_kind_from_the_cue() {
    let d = doc(
        "Northern Front Wire",
        "Hayat Tahrir al-Sham denied that its fighters had any chemical weapons. Ankara warned that it would respond to any attack on its observation posts.",
    );
    let denial = statement(&d, "chemical weapons");
    assert_eq!(
        (denial.kind.as_str(), denial.cue.as_str()),
        ("denial", "denied")
    );
    assert!(denial.tags.contains(&"chemical".to_string()));
    let threat = statement(&d, "respond to any attack");
    assert_eq!(threat.kind, "threat");
    let speaker = d
        .entities
        .iter()
        .find(|e| Some(&e.id) == threat.speaker.as_ref())
        .unwrap();
    assert_eq!(speaker.name, "Government of Turkey");
}

#[test]
fn several_speakers_in_one_paragraph() {
    let d = doc(
        "Bab al-Hawa Bulletin",
        "Russia said the strike hit a weapons depot, while Turkey said it had killed civilians. The UN warned that aid convoys could not reach the area.",
    );
    let c = claims(&d);
    let speakers: Vec<&str> = c.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(speakers, ["Russia", "Turkey", "United Nations"], "{c:#?}");
    assert!(c[0].4.starts_with("the strike hit a weapons depot"));
    assert_eq!(c[2].2, "threat");
}

#[test]
fn nested_attribution_extends_the_chain() {
    let d = doc(
        "Levant Monitor",
        "The Syrian Observatory for Human Rights said that it had received information that government forces were massing near Saraqib.",
    );
    let s = statement(&d, "massing near Saraqib");
    assert_eq!(s.chain[0], "Levant Monitor");
    assert!(s.chain[1].contains("Syrian Observatory"), "{:?}", s.chain);
    assert!(
        s.chain.contains(&"information".to_string()),
        "{:?}",
        s.chain
    );
}

#[test]
fn according_to_at_the_end() {
    let d = doc(
        "Orontes Daily",
        "Four civilians were killed in the village of Kafr Tuwaym, according to the White Helmets.",
    );
    let s = statement(&d, "Four civilians");
    assert_eq!(s.form, "according_to");
    let speaker = speaker_entity(&d, s).unwrap();
    assert!(
        speaker.name.contains("White Helmets")
            || speaker.aliases.iter().any(|a| a == "White Helmets"),
        "{speaker:?}"
    );
    assert!(s.tags.contains(&"casualties".to_string()));
}

#[test]
fn a_pronoun_speaks_for_the_one_person_just_named() {
    let d = doc(
        "Northern Front Wire",
        "HTS spokesman Hussam al-Zein rejected the Russian claim on Friday.\n\nHe said that the group had never possessed chemical weapons.",
    );
    let s = statement(&d, "never possessed");
    let speaker = speaker_entity(&d, s).unwrap();
    assert_eq!(
        (speaker.name.as_str(), speaker.kind.as_str()),
        ("Hussam al-Zein", "person")
    );
    assert_eq!(s.speaker_text.as_deref(), Some("He"));
}

#[test]
fn a_quotation_over_two_paragraphs_and_the_quote_right_after_its_cue_are_one_statement() {
    let d = doc(
        "Aleppo Desk",
        "“The army has moved tanks to the edge of the town.\n\n“We expect an assault within days,” said Abu Khaled, a commander of the National Liberation Front. “Nobody is leaving.”",
    );
    let c = claims(&d);
    assert_eq!(c.len(), 1, "{c:#?}");
    assert!(c[0].4.starts_with("The army has moved tanks") && c[0].4.contains("within days"));
    assert!(c[0].4.ends_with("Nobody is leaving."), "{c:#?}");
    assert_eq!(c[0].0, "Abu Khaled");
    assert_eq!(c[0].2, "prediction");
    let person = d.entities.iter().find(|e| e.name == "Abu Khaled").unwrap();
    assert!(person.roles[0].starts_with("commander of the National Liberation Front"));
}

#[test]
fn content_first_then_the_speaker() {
    let d = doc("Hama Courier", "Government forces shelled the village of al-Ankawi overnight, the Syrian Observatory for Human Rights said.");
    let c = claims(&d);
    assert_eq!(c.len(), 1, "{c:#?}");
    assert!(c[0].0.contains("Syrian Observatory"));
    assert_eq!(
        c[0].4,
        "Government forces shelled the village of al-Ankawi overnight"
    );
}

#[test]
fn names_no_dictionary_has_are_found_from_context() {
    let (bare, _) = Resources::load(&DictionaryChoice {
        extra: vec![],
        no_defaults: true,
    })
    .unwrap();
    let mut a = Article::from_normalised_text(normalise(
        "Earlier this month, Omer Celik, a spokesperson for the ruling party, said that the talks would go on. Medic Jamil Sheikh Ali said both men were civilians.",
    ));
    a.outlet = Some("Levant Monitor".into());
    let d = annotate(a, &bare);
    let celik = d
        .entities
        .iter()
        .find(|e| e.name == "Omer Celik")
        .expect("from the role apposition");
    assert_eq!(celik.roles, ["spokesperson for the ruling party"]);
    let medic = d
        .entities
        .iter()
        .find(|e| e.name == "Jamil Sheikh Ali")
        .expect("from the title or the cue");
    assert_eq!(medic.kind, "person");
    assert_eq!(claims(&d).len(), 2, "{:#?}", claims(&d));
    // No publication date: "earlier this month" stays unresolved rather than guessed.
    let t = d.mentions.iter().find(|m| m.kind == "time").unwrap();
    assert_eq!(
        (t.text.as_str(), t.time.clone()),
        ("Earlier this month", None)
    );
}

#[test]
fn outlet_sentences_are_the_outlets_own_assertions() {
    let d = doc(
        "Levant Monitor",
        "Shelling hit Ariha on Monday. Two people were wounded.",
    );
    assert_eq!(d.statements.len(), 2);
    assert!(d
        .statements
        .iter()
        .all(|s| s.form == "outlet_assertion" && s.chain == ["Levant Monitor"]));
    assert_eq!(
        d.statements[0].date.as_ref().unwrap().to_string(),
        "2023-02-16"
    );
}

#[test]
fn role_nouns_make_compound_actors_that_can_speak() {
    let d = doc(
        "Aleppo Desk",
        "Turkish troops shelled positions near Tal Rifaat, and Syrian police said two officers were hurt. Residents said the shelling lasted all night.",
    );
    let by_code = |code: &str| {
        d.entities
            .iter()
            .find(|e| e.code.as_deref() == Some(code))
            .unwrap_or_else(|| panic!("{code}: {:#?}", d.entities))
    };
    // "Turkish troops" is a name of the Turkish Armed Forces in the dictionary.
    let troops = by_code("TURMIL");
    assert_eq!(troops.kind, "military");
    let police = by_code("SYRCOP");
    assert_eq!(police.name, "Syrian police");
    let residents = by_code("---CVL");
    assert_eq!(residents.kind, "civilians");
    let c = claims(&d);
    let speakers: Vec<&str> = c.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(speakers, ["Syrian police", "civilians"], "{c:#?}");
    let mention = d
        .mentions
        .iter()
        .find(|m| m.text == "Syrian police")
        .unwrap();
    assert!(
        mention.rule.starts_with("agent sitrep:agents.toml#police")
            && mention.rule.ends_with("after a country"),
        "{}",
        mention.rule
    );
}

#[test]
fn a_town_after_a_locative_preposition_is_never_a_speaker() {
    let d = doc(
        "Meridian News Agency",
        "JISR AL-SHUGHUR, Syria, Feb 14 (Meridian) – Jamil Sheikh Ali, a medic at a hospital in Jisr al-Shughur, said both men were civilians.",
    );
    assert!(
        !d.entities
            .iter()
            .any(|e| e.kind == "person" && e.name == "Jisr al-Shughur"),
        "{:#?}",
        d.entities
    );
    let c = claims(&d);
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].0, "Jamil Sheikh Ali");
}

#[test]
fn auxiliaries_and_adverbs_may_stand_between_speaker_and_cue() {
    let d = doc(
        "Levant Monitor",
        "Hayat Tahrir al-Sham has flatly denied the accusation. Russia had previously warned that it would respond.",
    );
    let c = claims(&d);
    let speakers: Vec<(&str, &str)> = c.iter().map(|x| (x.0.as_str(), x.2.as_str())).collect();
    assert_eq!(
        speakers,
        [("Hayat Tahrir al-Sham", "denial"), ("Russia", "threat")],
        "{c:#?}"
    );
}

/// Who a cue's words are about is not who said them: a name after the cue that the sentence
/// goes on from is the cue's object; the subject of a passive cue is spoken of.
#[test]
fn the_object_or_passive_subject_of_a_cue_is_never_its_speaker() {
    let d = doc(
        "Levant Monitor",
        "Power failed across the city overnight. He blamed the army for the blackout in the old quarter.\n\n\
         The two guards told police the van had been stolen before dawn.\n\n\
         The commander is accused of ordering the shelling of the market. He was also accused of \
         hiding the bodies.\n\n\
         The new ceasefire plan was announced on Monday.",
    );
    let c = claims(&d);
    for (speaker, _, _, cue, content) in &c {
        assert!(
            !["Syrian Arab Army", "police", "the commander"]
                .iter()
                .any(|wrong| speaker.eq_ignore_ascii_case(wrong)),
            "{cue}: {speaker} said {content:?}: {c:#?}"
        );
    }
    let blamed = statement(&d, "for the blackout");
    assert_eq!(
        (blamed.speaker.as_deref(), blamed.speaker_text.as_deref()),
        (None, Some("He")),
        "{c:#?}"
    );
    let accused = statement(&d, "ordering the shelling");
    assert_eq!(
        (
            accused.speaker.as_deref(),
            accused.speaker_text.as_deref(),
            accused.cue.as_str()
        ),
        (None, None, "accused"),
        "{c:#?}"
    );
    let also = statement(&d, "hiding the bodies");
    assert_eq!(
        (also.speaker.as_deref(), also.speaker_text.as_deref()),
        (None, None),
        "{c:#?}"
    );
    assert!(
        c.iter().all(|x| x.3 != "announced"),
        "what was announced is named, not said: {c:#?}"
    );
}

/// Statements the parse places, with the syntactic path each one names.
mod from_the_parse {
    use super::*;

    #[test]
    fn a_thought_inside_a_quotation_is_nested_and_i_is_the_quotations_speaker() {
        let d = doc(
            "Harbour Gazette",
            "“I think the ferries will sail again by Friday,” said Captain Maria Okafor.",
        );
        let c = claims(&d);
        assert_eq!(c.len(), 2, "{c:#?}");
        let outer = statement(&d, "I think");
        let nested = d.statements.iter().find(|s| s.cue == "think").unwrap();
        assert_eq!(
            &d.article.text[nested.span.start..nested.span.end],
            "the ferries will sail again by Friday"
        );
        assert_eq!(nested.kind, "belief");
        assert_eq!(nested.form, "indirect");
        assert_eq!(nested.speaker, outer.speaker, "I is the one quoted");
        assert!(outer.speaker.is_some());
    }

    #[test]
    fn single_quoted_speech_is_a_quotation_and_scare_quotes_are_not() {
        let d = doc(
            "Harbour Gazette",
            "'The ferries will not sail until the storm has passed,' the harbour master said. The 'storm of the decade' arrived at noon.",
        );
        let c = claims(&d);
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(c[0].1, "direct_quote");
        assert_eq!(
            c[0].4,
            "The ferries will not sail until the storm has passed,"
        );
    }

    #[test]
    fn a_clause_the_parser_hung_before_the_cue_is_what_was_said() {
        let d = doc(
            "Harbour Gazette",
            "Hundreds of new berths could be built, the port authority said at the time.",
        );
        let s = statement(&d, "berths");
        assert_eq!(
            &d.article.text[s.span.start..s.span.end],
            "Hundreds of new berths could be built"
        );
    }

    #[test]
    fn a_passive_cue_is_said_by_its_agent_or_by_no_one_named() {
        let d = doc(
            "Harbour Gazette",
            "The skipper was told by the harbour master that the pier was unsafe. \
             The crew was told that the storm would pass by noon.",
        );
        let by_agent = statement(&d, "the pier was unsafe");
        assert_eq!(by_agent.speaker_text.as_deref(), Some("the harbour master"));
        let unnamed = statement(&d, "the storm would pass");
        assert_eq!(unnamed.speaker_text, None, "{unnamed:?}");
        assert_eq!(unnamed.speaker, None, "{unnamed:?}");
        assert!(
            unnamed.rule.contains("passive, no agent"),
            "{}",
            unnamed.rule
        );
    }

    #[test]
    fn a_cue_after_the_clause_it_reports_takes_the_whole_clause() {
        let d = doc(
            "Harbour Gazette",
            "The two guards were not charged because they had not been identified, the \
             family's lawyers said.",
        );
        let s = statement(&d, "not been identified");
        assert_eq!(
            &d.article.text[s.span.start..s.span.end],
            "The two guards were not charged because they had not been identified"
        );
        assert_eq!(s.speaker_text.as_deref(), Some("the family's lawyers"));
    }

    #[test]
    fn an_inverted_source_after_a_verb_of_saying_is_the_speaker() {
        let d = doc(
            "Harbour Gazette",
            "The ferry captain resigned the next morning, reports the Valley Herald.",
        );
        let s = statement(&d, "resigned the next morning");
        assert_eq!(
            s.speaker_text.as_deref(),
            Some("the Valley Herald"),
            "{s:?}"
        );
    }

    #[test]
    fn a_complement_runs_on_where_the_parser_broke_it_without_a_comma() {
        let d = doc(
            "Harbour Gazette",
            "The analyst said that for ordinary sailors, worrying about this data scraping \
             won't change much.",
        );
        let s = statement(&d, "for ordinary sailors");
        assert!(
            d.article.text[s.span.start..s.span.end].ends_with("won't change much"),
            "{:?}",
            &d.article.text[s.span.start..s.span.end]
        );
    }

    #[test]
    fn an_organisation_noun_speaker_is_the_organisation_named_before_it() {
        let d = doc(
            "Harbour Gazette",
            "The Tagus Observatory, a Lisbon-based shipping monitor, counted six ferries in the \
             bay. The Sea Wolves Brigade seized a trawler on Sunday. The group said the crew \
             was unharmed. The monitor said two ferries had sunk.",
        );
        let speaker_of = |content: &str| {
            let s = statement(&d, content);
            let entity = speaker_entity(&d, s);
            (s.speaker_text.clone(), entity.map(|e| e.name.clone()))
        };
        // By the role its apposition gave it, across nearer organisations.
        assert_eq!(
            speaker_of("two ferries had sunk"),
            (Some("The monitor".into()), Some("Tagus Observatory".into()))
        );
        // "the group": the nearest organisation, whatever its name.
        assert_eq!(
            speaker_of("the crew was unharmed"),
            (Some("The group".into()), Some("Sea Wolves Brigade".into()))
        );
    }

    #[test]
    fn according_to_covers_the_clause_it_opens_or_closes_wherever_the_parser_hung_it() {
        let d = doc(
            "Harbour Gazette",
            "According to the coastguard, the ferry sank on Monday and four sailors swam ashore. \
             Fuel prices at the port hit their highest level in a decade in March, according to \
             the Lisbon Shipping Institute, a private research group.",
        );
        let first = statement(&d, "the ferry sank");
        assert_eq!(first.form, "according_to");
        assert_eq!(
            &d.article.text[first.span.start..first.span.end],
            "the ferry sank on Monday and four sailors swam ashore"
        );
        assert_eq!(first.speaker_text.as_deref(), Some("the coastguard"));
        let last = statement(&d, "Fuel prices");
        assert_eq!(
            &d.article.text[last.span.start..last.span.end],
            "Fuel prices at the port hit their highest level in a decade in March"
        );
        assert_eq!(
            last.speaker_text.as_deref(),
            Some("the Lisbon Shipping Institute")
        );
        assert!(
            last.rule.starts_with("syntax: obl \"according to\""),
            "{}",
            last.rule
        );
    }

    #[test]
    fn a_line_opening_with_a_name_and_a_colon_is_that_speakers_headline() {
        let d = doc(
            "Harbour Gazette",
            "LISBON: The port reopened on Monday.\n\nVarga: The levee will hold through the \
             winter\n\nUpdate: The ferries are running again.",
        );
        let s = statement(&d, "The levee will hold");
        assert_eq!(s.form, "headline");
        assert_eq!(s.speaker_text.as_deref(), Some("Varga"));
        assert_eq!(
            &d.article.text[s.span.start..s.span.end],
            "The levee will hold through the winter"
        );
        // A dateline and a label name no speaker.
        for line in ["The port reopened", "The ferries are running"] {
            assert_eq!(statement(&d, line).form, "outlet_assertion", "{line}");
        }
    }

    #[test]
    fn a_source_the_parser_hung_inside_what_was_said_is_still_the_speaker() {
        let d = doc(
            "Harbour Gazette",
            "There are currently over 300 boats in Setubal waiting for a berth, the Directorate \
             of Ports said.",
        );
        let s = statement(&d, "waiting for a berth");
        assert_eq!(
            &d.article.text[s.span.start..s.span.end],
            "There are currently over 300 boats in Setubal waiting for a berth"
        );
        assert_eq!(s.speaker_text.as_deref(), Some("the Directorate of Ports"));
    }

    #[test]
    fn a_relative_pronoun_speaker_is_the_noun_it_stands_for() {
        let d = doc(
            "Harbour Gazette",
            "The ferry was inspected by a surveyor who said the hull had been damaged.",
        );
        let s = statement(&d, "the hull had been damaged");
        assert_eq!(s.speaker_text.as_deref(), Some("a surveyor"), "{s:?}");
        assert!(s.rule.contains("antecedent of nsubj"), "{}", s.rule);
    }

    #[test]
    fn a_noun_cues_a_statement_whose_source_is_its_possessor() {
        let d = doc(
            "Harbour Gazette",
            "The ministry's claim that the ferry had been sabotaged surprised the crew.",
        );
        let s = statement(&d, "the ferry had been sabotaged");
        assert_eq!(
            &d.article.text[s.span.start..s.span.end],
            "the ferry had been sabotaged"
        );
        assert_eq!(s.speaker_text.as_deref(), Some("The ministry"));
        assert_eq!((s.kind.as_str(), s.cue.as_str()), ("allegation", "claim"));
        assert_eq!(s.rule, "syntax: nmod:poss of claim → acl that");
    }

    #[test]
    fn a_cue_of_intention_says_what_the_source_means_to_do() {
        let d = doc(
            "Harbour Gazette",
            "The port authority plans to close the northern quay for repairs.",
        );
        let s = statement(&d, "close the northern quay");
        assert_eq!(
            &d.article.text[s.span.start..s.span.end],
            "close the northern quay for repairs"
        );
        assert_eq!((s.kind.as_str(), s.cue.as_str()), ("intention", "plans"));
    }

    #[test]
    fn a_clause_after_the_cue_is_what_was_said_without_its_that_or_the_time_of_saying() {
        let d = doc(
            "Harbour Gazette",
            "The port authority said on Monday that the ferries would resume their crossings.",
        );
        let s = statement(&d, "ferries would resume");
        assert_eq!(
            &d.article.text[s.span.start..s.span.end],
            "the ferries would resume their crossings"
        );
        assert_eq!(s.form, "indirect");
        assert_eq!(s.rule, "syntax: nsubj of said → ccomp");
    }

    #[test]
    fn a_quotation_before_its_cue_is_said_by_the_cues_subject() {
        let d = doc(
            "Harbour Gazette",
            "“We cannot guarantee anyone's safety at sea,” the coastguard commander said.",
        );
        let s = statement(&d, "guarantee");
        assert_eq!(s.form, "direct_quote");
        assert_eq!(s.speaker_text.as_deref(), Some("the coastguard commander"));
        // The quotation as written, up to its closing mark.
        assert_eq!(
            &d.article.text[s.span.start..s.span.end],
            "We cannot guarantee anyone's safety at sea,"
        );
        assert!(s.rule.starts_with("syntax: nsubj of said"), "{}", s.rule);
    }

    #[test]
    fn a_pronoun_speaker_is_kept_as_said_and_resolved_to_the_person_before_it() {
        let d = doc(
            "Harbour Gazette",
            "Fishermen met Captain Ilse Brandt on the quay. She said the nets had been cut overnight.",
        );
        let s = statement(&d, "nets had been cut");
        assert_eq!(s.speaker_text.as_deref(), Some("She"));
        let speaker = speaker_entity(&d, s);
        assert!(
            speaker.is_some_and(|e| e.name.contains("Brandt")),
            "{speaker:?} in {:#?}",
            d.entities
        );
    }

    #[test]
    fn a_clauses_opening_words_before_a_role_are_no_person() {
        let d = doc(
            "Harbour Gazette",
            "On Tuesday, a coroner identified the remains. In March, the spokesman for the \
             port said the quay would reopen.",
        );
        let people: Vec<&str> = d
            .entities
            .iter()
            .filter(|e| e.kind == "person")
            .map(|e| e.name.as_str())
            .collect();
        assert!(
            !people
                .iter()
                .any(|p| p.contains("Tuesday") || p.contains("March")),
            "{people:?}"
        );
    }

    #[test]
    fn a_pronoun_is_not_resolved_to_a_name_whose_title_rules_it_out() {
        let d = doc(
            "Harbour Gazette",
            "Mrs Halloran said the quay was closed. He said the nets had been cut.",
        );
        let s = statement(&d, "nets had been cut");
        let speaker = speaker_entity(&d, s);
        assert!(
            !speaker.is_some_and(|e| e.name.contains("Halloran")),
            "{speaker:?}"
        );
    }

    #[test]
    fn an_apposition_is_not_part_of_the_speakers_name() {
        let d = doc(
            "Harbour Gazette",
            "Tomas Varga, the mayor of the river town, said the levee had held.",
        );
        let s = statement(&d, "the levee had held");
        assert_eq!(s.speaker_text.as_deref(), Some("Tomas Varga"));
        assert_eq!(s.rule, "syntax: nsubj of said → ccomp");
    }

    #[test]
    fn a_quotation_broken_by_its_cue_is_one_statement() {
        for text in [
            "“The road is open,” the governor said, “and trucks can pass from tomorrow.”",
            "“The road is open,” said the governor, “and trucks can pass from tomorrow.”",
        ] {
            let d = doc("Harbour Gazette", text);
            let c = claims(&d);
            assert_eq!(c.len(), 1, "{text}: {c:#?}");
            assert!(
                c[0].4.starts_with("The road is open") && c[0].4.ends_with("from tomorrow."),
                "{text}: {c:#?}"
            );
            assert_eq!(c[0].1, "direct_quote");
        }
        // Across the cue's full stop too, as the guidelines' annotators read it.
        let d = doc(
            "Harbour Gazette",
            "“The road is open,” the governor said. “Trucks can pass from tomorrow.”",
        );
        let c = claims(&d);
        assert_eq!(c.len(), 1, "{c:#?}");
        assert!(c[0].4.ends_with("Trucks can pass from tomorrow."), "{c:#?}");
    }

    #[test]
    fn what_was_said_keeps_a_modifier_the_parser_hung_on_the_cue_and_a_second_that_clause() {
        let d = doc(
            "Harbour Gazette",
            "The fishermen's union filed a complaint, alleging the catch was seized when inspectors boarded the boats at dawn.",
        );
        let s = statement(&d, "the catch was seized");
        let content = &d.article.text[s.span.start..s.span.end];
        assert!(
            content.ends_with("boarded the boats at dawn"),
            "{content:?}"
        );
        let d = doc(
            "Harbour Gazette",
            "The inspector said that the nets were legal, but that the permits had expired.",
        );
        let s = statement(&d, "the nets were legal");
        let content = &d.article.text[s.span.start..s.span.end];
        assert!(content.ends_with("the permits had expired"), "{content:?}");
        let d = doc(
            "Harbour Gazette",
            "The mayor said the harbour would reopen, while the union said it would strike.",
        );
        let s = statement(&d, "the harbour would reopen");
        let content = &d.article.text[s.span.start..s.span.end];
        assert!(
            !content.contains("union"),
            "another speaker's clause is not said: {content:?}"
        );
    }

    #[test]
    fn a_dateline_is_not_the_subject_of_the_first_sentence() {
        let d = doc(
            "Harbour Gazette",
            "PORT HALIFAX (HG) — The coastguard said the search had ended at dawn.",
        );
        let s = statement(&d, "the search had ended");
        let speaker = s.speaker_text.as_deref().unwrap_or_default();
        assert_eq!(speaker, "The coastguard", "{s:?}");
        assert!(!speaker.contains("HALIFAX"), "{s:?}");
        // The same when the dash was lost to a wrong decoding.
        let d = doc(
            "Harbour Gazette",
            "OSLO (HG) \u{FFFD} A Norwegian navy spokesman says Russia has sent a submarine \
             into the fjord.",
        );
        let s = statement(&d, "sent a submarine");
        let speaker = s.speaker_text.as_deref().unwrap_or_default();
        assert_eq!(speaker, "A Norwegian navy spokesman", "{s:?}");
    }

    #[test]
    fn what_a_court_heard_is_attributed() {
        let d = doc(
            "Harbour Gazette",
            "The skipper was paid twice for the same catch, the county court heard on Monday.",
        );
        let s = statement(&d, "paid twice");
        assert_eq!(s.form, "indirect", "{s:?}");
        assert_eq!(s.cue, "heard", "{s:?}");
        let content = &d.article.text[s.span.start..s.span.end];
        assert!(!content.contains("court"), "{content:?}");
    }

    #[test]
    fn a_cue_verb_is_a_cue_in_any_inflection() {
        let d = doc(
            "Harbour Gazette",
            "The fishermen deny they are selling the catch abroad. The harbour master is \
             hoping the new pier will be finished by spring.",
        );
        let denial = statement(&d, "selling the catch");
        assert_eq!(denial.kind, "denial", "{denial:?}");
        assert_eq!(denial.speaker_text.as_deref(), Some("The fishermen"));
        let hope = statement(&d, "the new pier will be finished");
        assert_eq!(hope.speaker_text.as_deref(), Some("The harbour master"));
        // A participle that describes is no report.
        let d = doc(
            "Harbour Gazette",
            "The dockers, formerly known as the Quay Union, have been stepping up strikes.",
        );
        let own = statement(&d, "stepping up strikes");
        assert_eq!(own.form, "outlet_assertion", "{own:?}");
    }

    #[test]
    fn a_noun_phrase_a_cue_says_is_what_was_said_and_a_thing_added_is_not() {
        let d = doc(
            "Harbour Gazette",
            "The coastguard announced an inquiry into the collision. The ferry company added \
             two boats to its fleet. The skipper told reporters he would sail at dawn.",
        );
        let s = statement(&d, "inquiry");
        assert_eq!(
            &d.article.text[s.span.start..s.span.end],
            "an inquiry into the collision"
        );
        assert_eq!(s.speaker_text.as_deref(), Some("The coastguard"));
        let added = statement(&d, "two boats");
        assert_eq!(added.form, "outlet_assertion", "{added:?}");
        let told = statement(&d, "sail at dawn");
        assert_eq!(
            &d.article.text[told.span.start..told.span.end],
            "he would sail at dawn"
        );
        // The cue's next act, coordinated, is done, not said.
        let d = doc(
            "Harbour Gazette",
            "The ministry has confirmed the sailor's death and paid tribute to his bravery.",
        );
        let s = statement(&d, "death");
        assert_eq!(
            &d.article.text[s.span.start..s.span.end],
            "the sailor's death"
        );
    }

    #[test]
    fn a_complement_whose_subject_the_parser_took_for_an_object_is_said_with_it() {
        let d = doc(
            "Harbour Gazette",
            "Port analysts say a major goal of the dredging was to deepen the channel for \
             larger ferries.",
        );
        let s = statement(&d, "deepen the channel");
        assert_eq!(
            &d.article.text[s.span.start..s.span.end],
            "a major goal of the dredging was to deepen the channel for larger ferries"
        );
    }

    #[test]
    fn a_clause_with_no_that_is_said_whole_though_the_parser_takes_its_subject_for_an_object() {
        let d = doc(
            "Harbour Gazette",
            "The port director acknowledged the harbour could lose its licence.",
        );
        let s = statement(&d, "licence");
        assert_eq!(
            &d.article.text[s.span.start..s.span.end],
            "the harbour could lose its licence"
        );
        assert_eq!(s.speaker_text.as_deref(), Some("The port director"));
    }

    #[test]
    fn the_day_a_source_spoke_is_neither_the_source_nor_part_of_its_name() {
        let d = doc(
            "Harbour Gazette",
            "The escalation comes after the U.S. on Tuesday said it would impose duties on \
             imports of steel. The coastguard on Monday said the search had ended.",
        );
        let duties = statement(&d, "impose duties");
        assert_eq!(
            duties.speaker_text.as_deref(),
            Some("the U.S."),
            "{duties:?}"
        );
        let coastguard = statement(&d, "the search had ended");
        assert_eq!(coastguard.speaker_text.as_deref(), Some("The coastguard"));
    }
}

#[test]
fn a_quotation_right_after_reported_speech_is_the_same_speakers() {
    let d = doc(
        "Harbour Post",
        "Mayor Ingrid Solberg said she was shocked by the closure. “The ferry is our only road. Nobody asked us.”\n\nThe port authority did not comment.",
    );
    let said = statement(&d, "she was shocked");
    let quoted = statement(&d, "The ferry is our only road");
    assert_eq!(quoted.speaker, said.speaker, "{:#?}", claims(&d));
    assert!(said.speaker.is_some());
    assert_eq!(quoted.form, "direct_quote");
    assert!(d.article.text[quoted.span.start..quoted.span.end].contains("Nobody asked us"));
}

#[test]
fn a_quotation_with_a_cue_of_its_own_is_not_the_last_speakers() {
    let d = doc(
        "Harbour Post",
        "Mayor Ingrid Solberg said she was shocked by the closure. “We have waited three weeks for an answer. Nobody came,” said Per Aune, a fisherman.",
    );
    let c = claims(&d);
    let quoted: Vec<_> = c.iter().filter(|s| s.4.contains("Nobody came")).collect();
    assert_eq!(quoted.len(), 1, "{c:#?}");
    let speaker = statement(&d, "Nobody came").speaker_text.as_deref();
    assert!(
        speaker.is_some_and(|s| s.contains("Per Aune")),
        "{speaker:?}"
    );
}

#[test]
fn a_quotation_after_the_outlets_own_words_has_no_speaker() {
    let d = doc(
        "Harbour Post",
        "Mayor Ingrid Solberg said she was shocked by the closure.\n\nThe ferry stopped in March. “Nobody asked us.”",
    );
    let c = claims(&d);
    assert!(c.iter().all(|s| !s.4.contains("Nobody asked us")), "{c:#?}");
}

#[test]
fn disclosing_recalling_and_realising_are_cues() {
    let d = doc(
        "Harbour Post",
        "Police chief Marta Lindgren disclosed that 40 rifles had been handed in. She recalled that the amnesty ended in May. The council realised that the budget would not cover the repairs.",
    );
    let c = claims(&d);
    let cue_of = |content: &str| {
        c.iter()
            .find(|s| s.4.contains(content))
            .map(|s| (s.3.clone(), s.2.clone()))
            .unwrap_or_else(|| panic!("no statement with {content:?}: {c:#?}"))
    };
    assert_eq!(
        cue_of("40 rifles had been handed in"),
        ("disclosed".into(), "assertion".into())
    );
    assert_eq!(
        cue_of("the amnesty ended in May"),
        ("recalled".into(), "assertion".into())
    );
    assert_eq!(
        cue_of("the budget would not cover the repairs"),
        ("realised".into(), "belief".into())
    );
}

#[test]
fn a_quotation_glued_to_its_cues_sentence_continues_it() {
    // Scraped text that lost the space after the stop, in single quotes.
    let d = doc(
        "Valley Courier",
        "'Our crews cleared the pass by noon,' said Ines Carvalho.'The next storm is due on Friday and we will be ready.'",
    );
    let c = claims(&d);
    assert_eq!(c.len(), 1, "{c:#?}");
    let s = statement(&d, "Our crews cleared the pass");
    assert_eq!(
        (s.speaker_text.as_deref(), s.form.as_str()),
        (Some("Ines Carvalho"), "direct_quote")
    );
    assert!(c[0].4.contains("we will be ready"), "{c:#?}");
}

#[test]
fn a_cue_noun_with_a_that_clause_is_someones_statement_even_unnamed() {
    let d = doc(
        "Harbour Post",
        "The mill is struggling with allegations that its owners hid the spill for a week. The union's acknowledgement that wages were cut came late. Mayor Ruth Okafor's plan to reopen the ferry drew praise.",
    );
    let hid = statement(&d, "its owners hid the spill");
    assert_ne!(hid.form, "outlet_assertion");
    assert_eq!(
        (hid.speaker.as_ref(), hid.kind.as_str()),
        (None, "allegation")
    );
    assert!(
        hid.rule.contains("no source of allegations"),
        "{}",
        hid.rule
    );
    let cut = statement(&d, "wages were cut");
    assert_eq!(
        (cut.speaker_text.as_deref(), cut.kind.as_str()),
        (Some("The union"), "confirmation")
    );
    let ferry = statement(&d, "reopen the ferry");
    assert_eq!(ferry.kind, "intention");
    assert!(ferry
        .speaker_text
        .as_deref()
        .is_some_and(|s| s.contains("Ruth Okafor")));
}

#[test]
fn being_sure_or_confident_is_a_belief() {
    let d = doc(
        "Valley Courier",
        "Engineers are confident that the bridge will hold. I was sure the road would flood, said one farmer. Make sure the gates are shut.",
    );
    let bridge = statement(&d, "the bridge will hold");
    assert_eq!(
        (bridge.kind.as_str(), bridge.cue.as_str()),
        ("belief", "confident")
    );
    let c = claims(&d);
    assert!(
        c.iter().all(|s| !s.4.contains("the gates are shut")),
        "{c:#?}"
    );
}

#[test]
fn a_negated_speech_cue_attributes_nothing_but_a_negated_belief_is_held() {
    let d = doc(
        "Valley Courier",
        "The sheriff did not disclose where the rifle was found. Deputies never said why the road was closed. “I don't think the dam will fail,” engineer Tomas Reyes said.",
    );
    let c = claims(&d);
    assert!(
        c.iter()
            .all(|s| !s.4.contains("the rifle was found") && !s.4.contains("the road was closed")),
        "{c:#?}"
    );
    assert!(
        c.iter()
            .any(|s| s.2 == "belief" && s.3 == "think" && s.4.contains("the dam will fail")),
        "{c:#?}"
    );
}

#[test]
fn a_belief_denied_of_a_fact_holds_nothing() {
    let d = doc(
        "Valley Courier",
        "Neighbours bought the copper wire not knowing it had been stolen from the depot. The \
         farmers were not sure that the levee would hold.",
    );
    let c = claims(&d);
    assert!(
        c.iter()
            .all(|s| !s.4.contains("had been stolen") && !s.4.contains("the levee would hold")),
        "{c:#?}"
    );
}

#[test]
fn a_cue_in_an_infinitive_has_said_nothing_yet_unless_it_went_on_to() {
    let d = doc(
        "Valley Courier",
        "The county declined to confirm that the bridge had been closed. The mayor went on to \
         say that the repairs would take a month. The sheriff would not confirm that the van \
         had been found. The governor took to the radio to say the dam was safe.",
    );
    let c = claims(&d);
    for unsaid in ["the bridge had been closed", "the van had been found"] {
        assert!(c.iter().all(|s| !s.4.contains(unsaid)), "{c:#?}");
    }
    for said in ["the repairs would take a month", "the dam was safe"] {
        assert!(
            c.iter().any(|s| s.3 == "say" && s.4.contains(said)),
            "{c:#?}"
        );
    }
}

#[test]
fn a_participle_cue_speaks_for_whoever_controls_the_verb_it_hangs_from() {
    let d = doc(
        "Valley Courier",
        "Regional officials sought to play down the quarrel over water rights, saying a \
         negotiated settlement is still within reach.",
    );
    let said = statement(&d, "settlement is still within reach");
    assert_eq!(said.speaker_text.as_deref(), Some("Regional officials"));
}

#[test]
fn a_quotation_beside_its_cue_is_what_was_said_whatever_its_parse() {
    // Some publishing systems write a low single quote for the comma that closes a quotation;
    // and the clause "I am hurt because …" is one the parser hangs off the cue wrongly.
    let d = doc(
        "Cape Herald",
        "Thandi Mokoena (not her real name) opened a case at the station in May.\n\n\
         “I am angry because nobody from the school has called me once‚” says Mokoena.\n\n\
         “I am hurt because I don’t know how she feels because unlike me she cannot tell anyone \
         what happened‚” says Mokoena.\n\n\
         Sipho Dlamini (not his real name) said the same.\n\n\
         “I am hurt because I don’t know how he feels because unlike me he cannot tell anyone \
         what happened,” says Dlamini.",
    );
    let c = claims(&d);
    for (content, speaker) in [
        ("nobody from the school has called me", "Mokoena"),
        ("unlike me she cannot tell anyone", "Mokoena"),
        ("unlike me he cannot tell anyone", "Dlamini"),
    ] {
        let said = statement(&d, content);
        assert_eq!(
            (
                said.form.as_str(),
                said.cue.as_str(),
                said.speaker_text.as_deref()
            ),
            ("direct_quote", "says", Some(speaker)),
            "{c:#?}"
        );
    }
}

#[test]
fn a_cue_and_its_that_say_the_rest_of_the_sentence_however_it_parses() {
    let d = doc(
        "Valley Courier",
        "Shares fell again on Friday. But traders warn that the tit-for-tat moves bear the \
         hallmarks of a feud that could spread.",
    );
    let warned = statement(&d, "the tit-for-tat moves bear the hallmarks");
    assert_eq!(
        (warned.cue.as_str(), warned.speaker_text.as_deref()),
        ("warn", Some("traders")),
        "{:#?}",
        claims(&d)
    );
}

#[test]
fn a_cue_verb_in_its_plain_form_after_what_was_said_is_still_a_cue() {
    let d = doc(
        "Valley Courier",
        "The driver waved a knife at two cyclists before he fled on foot, police allege.",
    );
    let alleged = statement(&d, "waved a knife at two cyclists");
    assert_eq!(
        (alleged.form.as_str(), alleged.cue.as_str()),
        ("indirect", "allege"),
        "{:#?}",
        claims(&d)
    );
}

#[test]
fn a_cue_form_that_is_its_noun_is_no_cue_where_the_parser_made_it_a_noun() {
    let d = doc(
        "Valley Courier",
        "Three soldiers died and two others were wounded in the explosion, British reports \
         claimed. The county reports that the water is falling.",
    );
    let c = claims(&d);
    assert!(
        c.iter().all(|s| !(s.3 == "reports" && s.4 == "claimed")),
        "{c:#?}"
    );
    assert!(
        c.iter()
            .any(|s| s.3 == "reports" && s.4.contains("the water is falling")),
        "{c:#?}"
    );
}

#[test]
fn a_cue_conjoined_inside_what_was_said_is_the_first_speakers_next_act() {
    let d = doc(
        "Valley Courier",
        "Mayor Ruth Okafor spoke on Monday. She said the closure of the mill meant the town had \
         lost its biggest employer, but insisted that the council would find new work.\n\n\
         Councillor Dan Weir spoke after her. He said the council understood the dispute with \
         the mill was still a developing one, but stressed that it believed the town would win.",
    );
    let c = claims(&d);
    for (cue, speaker) in [("insisted", "She"), ("stressed", "He")] {
        let said = d.statements.iter().find(|s| s.cue == cue);
        assert_eq!(
            said.and_then(|s| s.speaker_text.as_deref()),
            Some(speaker),
            "{c:#?}"
        );
    }
}

#[test]
fn a_cue_right_after_the_comma_of_a_clause_has_the_phrase_after_it_for_its_speaker() {
    let d = doc(
        "Valley Courier",
        "Fire engines blocked the road, and a crowd of about 300 people gathered outside the \
         burning warehouse, said 41-year-old shopkeeper Omar Haddad, who added that the roof \
         fell in soon after.\n\n\
         Rebels fired on the village, said a spokesman for the army, who asked not to be \
         named.\n\n\
         The minister, who arrived on Monday, said the talks had failed.",
    );
    let c = claims(&d);
    for (content, speaker) in [
        ("a crowd of about 300 people gathered", "Omar Haddad"),
        ("the roof fell in soon after", "Omar Haddad"),
        ("Rebels fired on the village", "a spokesman for the army"),
        ("the talks had failed", "The minister"),
    ] {
        let said = statement(&d, content);
        assert!(
            said.speaker_text
                .as_deref()
                .is_some_and(|t| t.contains(speaker)),
            "{content}: {c:#?}"
        );
    }
    // What "who added" reports follows it, never the clause before the name.
    let added = d.statements.iter().find(|s| s.cue == "added").unwrap();
    assert!(
        !d.article.text[added.span.start..added.span.end].contains("Fire engines"),
        "{c:#?}"
    );
}

#[test]
fn a_subject_before_its_cue_stays_the_speaker_and_a_clause_goes_on_past_an_inverted_one() {
    let d = doc(
        "Valley Courier",
        "Russia, which invaded in 2022, denied the Ukrainian allegations.\n\n\
         Farmers blocked the road, demanding the release of union leader Ali Karimi.\n\n\
         If talks fail, said the minister, the army will attack.",
    );
    let c = claims(&d);
    let denied = d.statements.iter().find(|s| s.cue == "denied").unwrap();
    assert_eq!(denied.speaker_text.as_deref(), Some("Russia"), "{c:#?}");
    assert!(
        d.statements
            .iter()
            .all(|s| !s.speaker_text.as_deref().unwrap_or("").contains("Karimi")),
        "{c:#?}"
    );
    let said = d.statements.iter().find(|s| s.cue == "said").unwrap();
    let content = &d.article.text[said.span.start..said.span.end];
    assert!(
        content.starts_with("If talks fail") && content.ends_with("the army will attack"),
        "{c:#?}"
    );
}

#[test]
fn a_word_that_names_no_one_is_no_speaker_though_parsed_as_a_subject() {
    let d = doc(
        "Valley Courier",
        "Her family drove to the port city of Dalian, where officials last said he was being \
         held. Engineers last month said the dam was safe. The mayor called the plan \
         \"reckless\" and said the council had not been asked.",
    );
    for (content, speaker) in [
        ("he was being held", "officials"),
        ("the dam was safe", "Engineers"),
        ("the council had not been asked", "The mayor"),
    ] {
        let said = statement(&d, content);
        assert_eq!(
            said.speaker_text.as_deref(),
            Some(speaker),
            "{:#?}",
            claims(&d)
        );
    }
}

#[test]
fn an_office_that_speaks_is_named_by_the_person_set_beside_it() {
    let d = doc(
        "Valley Courier",
        "MINISTER of Agriculture, Dr. Halima Sani Musa, has said farmers in the north planted \
         more rice this year.",
    );
    let said = statement(&d, "farmers in the north planted more rice");
    assert!(
        said.speaker_text
            .as_deref()
            .is_some_and(|t| t.contains("Halima Sani Musa")),
        "{:#?}",
        claims(&d)
    );
}

#[test]
fn a_denial_denies_its_gerund_and_not_the_clause_before_its_colon() {
    let d = doc(
        "Valley Courier",
        "Still, the report badly embarrassed ministers in the capital: defence officials \
         initially denied allowing foreign troops to fly drones from the base.",
    );
    let c = claims(&d);
    let denied = d.statements.iter().find(|s| s.cue == "denied").unwrap();
    assert_eq!(
        &d.article.text[denied.span.start..denied.span.end],
        "allowing foreign troops to fly drones from the base",
        "{c:#?}"
    );
}

#[test]
fn according_to_a_rule_followed_is_no_source() {
    let d = doc(
        "Valley Courier",
        "The troops left the border post on Sunday, according to an agreement signed in March. \
         The convoy reached the city at noon, according to the ministry.",
    );
    let c = claims(&d);
    let according: Vec<_> = c.iter().filter(|s| s.3 == "according to").collect();
    assert_eq!(according.len(), 1, "{c:#?}");
    assert!(
        according[0].4.contains("The convoy reached the city"),
        "{c:#?}"
    );
}

#[test]
fn a_speech_participle_on_a_noun_speaks_for_the_noun_or_for_whoever_issued_it() {
    let d = doc(
        "Valley Courier",
        "The ministry issued a statement saying the convoy had been attacked. She received a \
         letter warning that the school would close. Residents found leaflets claiming that \
         the rebels had fled.",
    );
    let c = claims(&d);
    for (content, speaker) in [
        ("the convoy had been attacked", "The ministry"),
        ("the school would close", "a letter"),
        ("the rebels had fled", "leaflets"),
    ] {
        let said = statement(&d, content);
        assert_eq!(said.speaker_text.as_deref(), Some(speaker), "{c:#?}");
    }
    // The leaflets speak; the rebels they name do not.
    assert_eq!(statement(&d, "the rebels had fled").speaker, None, "{c:#?}");
}

#[test]
fn of_two_complements_a_cue_says_the_one_after_it() {
    let d = doc(
        "Valley Courier",
        "Local officials have been reluctant to discuss the matter: during his hearing, Marwan \
         said the alliance had demanded access to the new base.",
    );
    let said = d.statements.iter().find(|s| s.cue == "said").unwrap();
    assert_eq!(
        &d.article.text[said.span.start..said.span.end],
        "the alliance had demanded access to the new base",
        "{:#?}",
        claims(&d)
    );
}

#[test]
fn a_body_called_it_speaks_and_a_doubt_is_a_belief() {
    let d = doc(
        "Valley Courier",
        "The water board told the council that it plans to raise prices in spring. One \
         economist said she doubted that the new prices would last.",
    );
    let c = claims(&d);
    let plans = d.statements.iter().find(|s| s.cue == "plans");
    assert_eq!(
        plans.map(|s| (s.kind.as_str(), s.speaker_text.as_deref())),
        Some(("intention", Some("it"))),
        "{c:#?}"
    );
    let doubted = d.statements.iter().find(|s| s.cue == "doubted");
    assert_eq!(
        doubted.map(|s| (s.kind.as_str(), &d.article.text[s.span.start..s.span.end])),
        Some(("belief", "the new prices would last")),
        "{c:#?}"
    );
}

#[test]
fn a_cue_that_closes_its_sentence_after_a_comma_reports_the_clause_before() {
    let d = doc(
        "Valley Courier",
        "A local guard, 40-year-old Sami Haddad of Jenin, died beside him and four others were \
         wounded in the blast, Israeli reports claimed.\n\n\
         Two soldiers died and three others were hurt in the ambush near the river, local \
         reports claimed.",
    );
    let c = claims(&d);
    for (content, speaker) in [
        ("four others were wounded in the blast", "Israeli reports"),
        ("three others were hurt in the ambush", "local reports"),
    ] {
        let said = statement(&d, content);
        assert_eq!(
            (said.cue.as_str(), said.speaker_text.as_deref()),
            ("claimed", Some(speaker)),
            "{c:#?}"
        );
    }
    let ambush = d
        .events
        .iter()
        .find(|e| &d.article.text[e.span.start..e.span.end] == "ambush");
    assert_eq!(ambush.map(|e| e.mode.as_str()), Some("alleged"));
}

#[test]
fn a_quotation_in_the_next_sentence_is_not_a_cue_s_that_lacks_a_clause() {
    let d = doc(
        "Valley Courier",
        "She blamed the council for not keeping the night buses running as it had promised. \
         “I took that bus for ten years,” said Amal Reyes, a nurse.",
    );
    let c = claims(&d);
    let quoted: Vec<_> = c
        .iter()
        .filter(|s| s.4.contains("I took that bus"))
        .collect();
    assert!(
        !quoted.is_empty() && quoted.iter().all(|s| s.3 == "said"),
        "{c:#?}"
    );
}

#[test]
fn a_name_ending_in_a_paper_s_word_is_an_organisation_not_a_person() {
    let d = doc(
        "Valley Courier",
        "The ferry sank near the pier, the Lakeside Post reported. Three crew members swam \
         ashore, the Harbour Times said.",
    );
    for name in ["Lakeside Post", "Harbour Times"] {
        let entity = d.entities.iter().find(|e| e.name == name);
        assert_eq!(
            entity.map(|e| e.kind.as_str()),
            Some("organization"),
            "{:#?}",
            d.entities
        );
    }
}

#[test]
fn a_subject_set_apart_by_its_ages_still_speaks() {
    let d = doc(
        "Valley Courier",
        "The brothers, 19 and 23, told reporters the guards had beaten them at the checkpoint.",
    );
    let said = statement(&d, "the guards had beaten them");
    assert_eq!(
        said.speaker_text.as_deref(),
        Some("The brothers"),
        "{:#?}",
        claims(&d)
    );
}

#[test]
fn a_participle_after_a_verb_s_object_speaks_for_the_object_or_its_issuer() {
    let d = doc(
        "Valley Courier",
        "The farmer received a letter last week warning that the dam would be opened. \
         Villagers received leaflets on Friday telling them that the army would enter. \
         The governor released a statement on Sunday saying the curfew would be lifted. \
         Colonel Ruiz ended his letter by saying that the bridge would hold.",
    );
    let c = claims(&d);
    for (content, speaker) in [
        ("the dam would be opened", "a letter"),
        ("the army would enter", "leaflets"),
        ("the curfew would be lifted", "The governor"),
        ("the bridge would hold", "Colonel Ruiz"),
    ] {
        let said = d.statements.iter().find(|s| {
            s.form != "outlet_assertion"
                && d.article.text[s.span.start..s.span.end].contains(content)
        });
        assert_eq!(
            said.and_then(|s| s.speaker_text.as_deref()),
            Some(speaker),
            "{c:#?}"
        );
    }
}

#[test]
fn a_that_clause_after_the_cue_s_own_phrases_is_what_was_said() {
    let d = doc(
        "Valley Courier",
        "The mayor said in a radio interview with a local station that the bridge would reopen \
         in May. The envoy told journalists in Vienna on Tuesday that the talks had stalled. \
         The convoy stopped in the village that for years had sheltered the displaced.",
    );
    let c = claims(&d);
    for (content, speaker) in [
        ("the bridge would reopen in May", "The mayor"),
        ("the talks had stalled", "The envoy"),
    ] {
        let said = statement(&d, content);
        assert_eq!(said.speaker_text.as_deref(), Some(speaker), "{c:#?}");
        assert!(said.rule.starts_with("syntax"), "{c:#?}");
    }
    assert!(!c.iter().any(|s| s.4.contains("sheltered")), "{c:#?}");
}

#[test]
fn an_adviser_s_name_beside_a_possessed_title_is_the_speaker() {
    let d = doc(
        "Valley Courier",
        "Governor Tomas Adeyemi's chief of staff, Miriam Okafor, said the budget would be cut.",
    );
    let said = statement(&d, "the budget would be cut");
    let speaker = said
        .speaker
        .as_ref()
        .and_then(|id| d.entities.iter().find(|e| &e.id == id));
    assert_eq!(
        speaker.map(|e| e.name.as_str()),
        Some("Miriam Okafor"),
        "{:#?}",
        claims(&d)
    );
}

#[test]
fn according_to_inside_what_a_speaker_said_is_a_second_statement() {
    let d = doc(
        "Valley Courier",
        "The spokesman said that, according to the army, the bridge had been destroyed.",
    );
    let c = claims(&d);
    let said: Vec<_> = c
        .iter()
        .filter(|s| s.4 == "the bridge had been destroyed")
        .map(|s| s.3.as_str())
        .collect();
    assert_eq!(said, ["said", "according to"], "{c:#?}");
}

#[test]
fn a_circumstance_before_the_cue_is_not_what_was_said() {
    let d = doc(
        "Valley Courier",
        "Asked how the city could recover, the mayor stressed the need for new housing. \
         Speaking to reporters in the square, she said the plan was ready.",
    );
    let c = claims(&d);
    assert!(!c.iter().any(|s| s.4.contains("Asked how")), "{c:#?}");
    assert!(!c.iter().any(|s| s.4.contains("Speaking to")), "{c:#?}");
}

#[test]
fn a_speaker_and_cue_before_according_to_are_no_content_of_it() {
    let d = doc(
        "Valley Courier",
        "He said according to the file she had left the city in May. The convoy was stopped at \
         the river, according to the monitor, a spokesman said.",
    );
    let c = claims(&d);
    assert!(
        !c.iter().any(|s| s.3 == "according to" && s.4 == "He said"),
        "{c:#?}"
    );
    assert!(
        c.iter().any(|s| s.4.contains("The convoy was stopped")),
        "{c:#?}"
    );
}

#[test]
fn complaints_and_recommendations_are_statements() {
    let d = doc(
        "Valley Courier",
        "Farmers complained that the checkpoints had ruined the harvest. The inspectors \
         recommended a full audit of the camp.",
    );
    let c = claims(&d);
    for (cue, content) in [
        ("complained", "the checkpoints had ruined the harvest"),
        ("recommended", "a full audit of the camp"),
    ] {
        assert!(c.iter().any(|s| s.3 == cue && s.4 == content), "{c:#?}");
    }
}

#[test]
fn a_participle_after_a_rejected_thing_and_a_command_before_its_cue() {
    let d = doc(
        "Valley Courier",
        "The ministry denied the report on Tuesday saying it was fabricated. Release the \
         hostages, the president demanded. Russia rejected the plan, according to diplomats.",
    );
    let c = claims(&d);
    let fabricated = d
        .statements
        .iter()
        .find(|s| s.cue == "saying")
        .and_then(|s| s.speaker_text.as_deref());
    assert_eq!(fabricated, Some("The ministry"), "{c:#?}");
    assert!(
        c.iter()
            .any(|s| s.3 == "demanded" && s.4.contains("Release the hostages")),
        "{c:#?}"
    );
    assert!(
        c.iter()
            .any(|s| s.3 == "according to" && s.4 == "Russia rejected the plan"),
        "{c:#?}"
    );
}

#[test]
fn a_cue_the_tagger_took_for_a_noun_after_a_closing_quotation_still_reports_it() {
    let d = doc(
        "Valley Courier",
        "\"The guards kept him in the cell for nine hours without water,\" the complaint \
         alleges.",
    );
    let alleged = statement(&d, "kept him in the cell for nine hours");
    assert_eq!(
        (alleged.cue.as_str(), alleged.speaker_text.as_deref()),
        ("alleges", Some("the complaint")),
        "{:#?}",
        claims(&d)
    );
}

#[test]
fn words_after_a_cue_stop_before_the_next_speaker_and_cue() {
    let d = doc(
        "Valley Courier",
        "In a letter accusing police of negligence, the tenants allege that the roof \
         collapsed after years of neglect.",
    );
    let c = claims(&d);
    // The accusation does not swallow the tenants' allegation.
    let accusation = c.iter().find(|s| s.3 == "accusing").map(|s| s.4.as_str());
    assert_eq!(accusation, Some("police of negligence"), "{c:#?}");
    let alleged = statement(&d, "the roof collapsed");
    assert_eq!(alleged.cue, "allege", "{c:#?}");
}

#[test]
fn a_participle_beside_a_participle_speaks_for_the_clause_subject() {
    // "claiming" hangs on "retreating", which hangs on "abandoned": the militia claims.
    let d = doc(
        "Valley Courier",
        "The militia abandoned the checkpoint last week, retreating to the hills while \
         claiming that it had won.",
    );
    let claim = statement(&d, "it had won");
    assert_eq!(
        (claim.cue.as_str(), claim.speaker_text.as_deref()),
        ("claiming", Some("The militia")),
        "{:#?}",
        claims(&d)
    );
}

#[test]
fn a_report_the_parser_split_before_its_cue_is_said_whole() {
    let d = doc(
        "Valley Courier",
        "Aid workers have rebuilt the school in Kafr Nabl, known locally as the Blue School, \
         \"faster than anyone expected,\" Haddad said.",
    );
    let said = statement(&d, "faster than anyone expected");
    let content = &d.article.text[said.span.start..said.span.end];
    assert!(
        content.starts_with("Aid workers have rebuilt the school"),
        "{content:?}"
    );
}

#[test]
fn a_second_complement_after_a_comma_is_still_said() {
    let d = doc(
        "Valley Courier",
        "The governor said the province also needed to accept that in some years, \
         “drought is simply the price of farming here”, especially for small growers.",
    );
    let said = statement(&d, "the province also needed");
    let content = &d.article.text[said.span.start..said.span.end];
    assert!(
        content.contains("drought is simply the price of farming here"),
        "{content:?}"
    );
}

#[test]
fn a_passive_cue_says_its_infinitive_with_all_it_governs() {
    let d = doc(
        "Valley Courier",
        "The commander was not thought to be the target of the raid. The militia is alleged \
         to have shelled the market, using mortars, in the spring offensive.",
    );
    let thought = statement(&d, "the target of the raid");
    let content = &d.article.text[thought.span.start..thought.span.end];
    assert_eq!(
        (thought.cue.as_str(), content),
        ("thought", "to be the target of the raid")
    );
    let alleged = statement(&d, "shelled the market");
    let content = &d.article.text[alleged.span.start..alleged.span.end];
    assert!(content.ends_with("in the spring offensive"), "{content:?}");
}

#[test]
fn the_subject_of_a_passive_cue_is_never_what_it_says() {
    // The tagger reads "United" as a verb; the envoy is still no clause.
    let d = doc(
        "Valley Courier",
        "The United Nations envoy, Hans Grundberg, is expected to travel to Muscat next week.",
    );
    let c = claims(&d);
    assert!(
        c.iter()
            .all(|s| !s.4.starts_with("The United Nations envoy")),
        "{c:#?}"
    );
}

#[test]
fn a_speakers_words_start_after_the_quotation_they_follow() {
    let d = doc(
        "Valley Courier",
        "\"These claims are lies invented by the militia,\" spokesman Karim Haddad said.",
    );
    let said = statement(&d, "lies invented by the militia");
    assert_eq!(said.speaker_text.as_deref(), Some("spokesman Karim Haddad"));
}

#[test]
fn a_threat_to_act_says_what_its_source_threatens() {
    let d = doc(
        "Valley Courier",
        "The militia has threatened to storm the prison if the guards do not free its men.",
    );
    let threat = statement(&d, "storm the prison");
    assert_eq!(
        (threat.kind.as_str(), threat.speaker_text.as_deref()),
        ("threat", Some("The militia")),
        "{:#?}",
        claims(&d)
    );
}

#[test]
fn of_two_subjects_the_one_after_a_preposition_is_not_the_speaker() {
    // The parser takes "the talks" for a second subject of "said".
    let d = doc(
        "Valley Courier",
        "Two diplomats familiar with the talks said Qatar had offered to host the next round.",
    );
    let said = statement(&d, "Qatar had offered");
    assert_eq!(said.speaker_text.as_deref(), Some("Two diplomats"));
}

#[test]
fn what_no_one_said_is_no_ones_statement() {
    let d = doc(
        "Valley Courier",
        "Neither government has confirmed the plan. Nobody has said that the talks failed.",
    );
    let c = claims(&d);
    assert!(c.is_empty(), "{c:#?}");
}

#[test]
fn an_accusation_says_whom_it_charges_and_with_what() {
    let d = doc(
        "Valley Courier",
        "The harbour authority accused the smugglers of sinking two fishing boats off the cape. \
         Kovac, a retired judge who spent years in exile, blames the shortages on the blockade. \
         Herders in the north blame the drought on the new dam.",
    );
    for (content, speaker) in [
        (
            "the smugglers of sinking two fishing boats off the cape",
            "The harbour authority",
        ),
        ("the shortages on the blockade", "Kovac"),
        ("the drought on the new dam", "Herders in the north"),
    ] {
        let s = statement(&d, content);
        assert_eq!(
            (
                d.article.text[s.span.start..s.span.end].trim_end_matches('.'),
                s.kind.as_str()
            ),
            (content, "accusation")
        );
        assert_eq!(s.speaker_text.as_deref(), Some(speaker), "{content}");
    }
}

#[test]
fn an_accusation_whose_object_a_relative_clause_took_says_the_charge() {
    let d = doc(
        "Valley Courier",
        "The blackout that the grid operator blamed on a storm lasted two days.",
    );
    let s = statement(&d, "on a storm");
    assert_eq!(s.speaker_text.as_deref(), Some("the grid operator"));
}

#[test]
fn a_headline_accused_of_something_is_not_accusing() {
    let d = doc(
        "Valley Courier",
        "Mayor accused of taking bribes from builders",
    );
    let c = claims(&d);
    assert!(c.iter().all(|s| s.3 != "accused"), "{c:#?}");
}

#[test]
fn a_present_conjunct_of_a_past_cue_goes_on_with_what_was_said() {
    let d = doc(
        "Valley Courier",
        "The council said the town doesn't want a curfew — but is ready to impose one. \
         The army said the road was open and reopened the checkpoint.",
    );
    let s = statement(&d, "doesn't want a curfew");
    assert!(
        d.article.text[s.span.start..s.span.end].contains("ready to impose one"),
        "{:#?}",
        claims(&d)
    );
    let s = statement(&d, "the road was open");
    assert!(
        !d.article.text[s.span.start..s.span.end].contains("reopened"),
        "{:#?}",
        claims(&d)
    );
}

#[test]
fn one_quoted_word_before_a_cue_is_not_what_it_says() {
    let d = doc(
        "Valley Courier",
        "EU trade chief Anna Berg called Moscow's move \"unjustified\" and said Brussels' \
         proposal was an \"appropriate response to Moscow's recent threat of new duties.\"",
    );
    // The parser hangs the quoted word on "said" as a complement.
    let s = statement(&d, "proposal was an");
    assert_eq!(s.cue, "said", "{:#?}", claims(&d));
    assert!(
        claims(&d).iter().all(|c| c.4 != "unjustified"),
        "{:#?}",
        claims(&d)
    );
}

#[test]
fn reports_of_an_act_say_the_act_and_a_report_of_its_author_says_nothing() {
    let d = doc(
        "Valley Courier",
        "Deputies were sent to the harbour after reports of a man firing shots at boats. \
         The report of the commission was published on Monday.",
    );
    let s = statement(&d, "a man firing shots at boats");
    assert_eq!(
        (s.cue.as_str(), s.speaker_text.as_deref()),
        ("reports", None)
    );
    let c = claims(&d);
    assert!(c.iter().all(|s| !s.4.contains("commission")), "{c:#?}");
}

#[test]
fn a_name_with_an_initial_is_one_person() {
    let d = doc(
        "Valley Courier",
        "Secretary of State Dana K. Whitlow met the envoy. Colonel Ruth T. Okafor said the \
         bridge was closed. They chose plan B. The army withdrew.",
    );
    let people: Vec<&str> = d
        .entities
        .iter()
        .filter(|e| e.kind == "person")
        .map(|e| e.name.as_str())
        .collect();
    assert!(people.contains(&"Dana K. Whitlow"), "{people:?}");
    assert!(people.iter().all(|p| !p.contains("B.")), "{people:?}");
    let said = statement(&d, "the bridge was closed");
    assert_eq!(
        speaker_entity(&d, said).map(|e| e.name.as_str()),
        Some("Ruth T. Okafor")
    );
}

#[test]
fn a_pronoun_that_speaks_is_the_last_speaker_not_whom_he_spoke_of() {
    let d = doc(
        "Valley Courier",
        "Defence Minister Tomas Kellerman said the army had recruited 400 cadets under \
         President Adebayo Okafor. He said the money approved by President Okafor would buy \
         radios. According to him, the cadets will guard the border.\n\n\
         Kellerman left the hall at noon. President Okafor arrived an hour later. He said the \
         parade would go ahead.",
    );
    let speaker =
        |content: &str| speaker_entity(&d, statement(&d, content)).map(|e| e.name.clone());
    assert_eq!(
        speaker("would buy radios").as_deref(),
        Some("Tomas Kellerman")
    );
    assert_eq!(
        speaker("will guard the border").as_deref(),
        Some("Tomas Kellerman")
    );
    assert_eq!(
        speaker("parade would go ahead").as_deref(),
        Some("Adebayo Okafor")
    );
}

#[test]
fn an_amount_added_is_no_statement() {
    let d = doc(
        "Valley Courier",
        "The measure adds more than $6 million next fiscal year to help 12 rural hospitals \
         that are struggling due to lost revenues from the closure of the mine.",
    );
    let c = claims(&d);
    assert!(c.iter().all(|s| s.3 != "adds"), "{c:#?}");
}

/// A cue joined to a relative clause's verb speaks for the noun the clause describes, not for
/// "who".
#[test]
fn a_cue_joined_in_a_relative_clause_speaks_for_its_noun() {
    let d = doc(
        "example.org",
        "The governor, who toured the flooded valley on Monday and warned that more rain was \
         coming, ordered the dams opened.\n\nResidents met the mayor, who visited the camp and \
         promised that the water supply would be restored within a week.",
    );
    let warned = statement(&d, "more rain was coming");
    assert_eq!(warned.speaker_text.as_deref(), Some("The governor"));
    let promised = statement(&d, "water supply would be restored");
    assert_eq!(promised.speaker_text.as_deref(), Some("the mayor"));
}

/// An "it" that speaks is the body that spoke last ("The Health Ministry said … It added …");
/// after a person's words it stays nobody's.
#[test]
fn it_speaks_for_the_last_body_that_spoke() {
    let d = doc(
        "example.org",
        "The Health Ministry said three clinics in the valley were damaged by the storm. It \
         added that a fourth clinic had lost power.\n\nDr. Sara Lindqvist said the roads to the \
         clinics were flooded. It added that the bridges were closed.",
    );
    let added = statement(&d, "a fourth clinic had lost power");
    let ministry = speaker_entity(&d, added).map(|e| e.name.as_str());
    assert_eq!(ministry, Some("Health Ministry"), "{:#?}", claims(&d));
    assert!(
        added.rule.contains("the last body that spoke"),
        "{}",
        added.rule
    );
    let closed = statement(&d, "the bridges were closed");
    assert_eq!(speaker_entity(&d, closed), None, "{:#?}", claims(&d));
    assert_eq!(closed.speaker_text.as_deref(), Some("It"));
}

/// "once more" and "previously denied" make no one a former name of anyone: only "formerly"
/// or "known as", "called", "named" after "once" or "previously" do, and only of the name
/// right before them (the Idlib report's "HTS – formerly known as the … Nusra Front" holds).
#[test]
fn only_a_former_name_makes_two_names_one() {
    let d = doc(
        "example.org",
        "Turkey shelled the border town once more on Friday, with help from Russian jets. \
         Germany previously denied that Russia had sent the jets.",
    );
    let merged: Vec<_> = d
        .entities
        .iter()
        .filter(|e| !e.former_names.is_empty())
        .map(|e| (&e.name, &e.former_names))
        .collect();
    assert!(merged.is_empty(), "{merged:?}");
    let names: Vec<&str> = d.entities.iter().map(|e| e.name.as_str()).collect();
    for country in ["Turkey", "Germany"] {
        assert!(
            names.iter().any(|n| n.contains(country)),
            "{country}: {names:?}"
        );
    }
}

/// A body named by what it is ("the London-based monitor", "the Observatory", "the group")
/// is the body of that kind the report named before, never the place it is based in nor a
/// country whose adjective opens its name.
#[test]
fn a_body_called_by_what_it_is_is_the_one_named_before() {
    let d = doc(
        "example.org",
        "The Syrian Observatory for Human Rights counted eleven dead in the two villages. The \
         London-based monitor said most of them were farmers. Shelling went on into the night, \
         the Observatory said. The group added that the road to the villages was cut.",
    );
    for words in [
        "most of them were farmers",
        "Shelling went on into the night",
        "the road to the villages was cut",
    ] {
        let s = statement(&d, words);
        let speaker = speaker_entity(&d, s).map(|e| e.name.as_str());
        assert_eq!(
            speaker,
            Some("Syrian Observatory for Human Rights"),
            "{words}: {:#?}",
            claims(&d)
        );
    }
}

/// A title after a country's adjective is still a title: "French President Anne Morel" is
/// Anne Morel speaking, not France.
#[test]
fn a_title_after_a_countrys_adjective_names_the_person() {
    let d = doc(
        "example.org",
        "French President Anne Morel said the talks would resume in March. German Foreign \
         Minister Klaus Weber said he would attend.",
    );
    let talks = statement(&d, "the talks would resume in March");
    let morel = speaker_entity(&d, talks).map(|e| (e.name.as_str(), e.kind.as_str()));
    assert_eq!(morel, Some(("Anne Morel", "person")), "{:#?}", claims(&d));
    let attend = statement(&d, "he would attend");
    let weber = speaker_entity(&d, attend).map(|e| e.name.as_str());
    assert_eq!(weber, Some("Klaus Weber"), "{:#?}", claims(&d));
    // Parsed with the adjective at the head of the subject, the person still speaks.
    let d = doc(
        "example.org",
        "Dutch Defence Minister Anna Vos said the convoy had left.",
    );
    let left = statement(&d, "the convoy had left");
    let vos = speaker_entity(&d, left).map(|e| e.name.as_str());
    assert_eq!(vos, Some("Anna Vos"), "{:#?}", claims(&d));
}

#[test]
fn a_speaker_the_parser_cut_inside_its_name_is_named_whole() {
    let d = doc(
        "Meridian",
        "Two children died when shells hit a school in Zubdiya, the Syrian Observatory for \
         Human Rights said.",
    );
    let s = statement(&d, "Two children died");
    assert_eq!(
        s.speaker_text.as_deref(),
        Some("Syrian Observatory for Human Rights"),
        "the parser's subject is \"Human Rights\""
    );
    assert_eq!(
        speaker_entity(&d, s).map(|e| e.name.as_str()),
        Some("Syrian Observatory for Human Rights")
    );
}
