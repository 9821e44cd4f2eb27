//! Storylines of our own, as the facts the tracker reads: each relation of a thread, each
//! status of a forward-looking event and each corroboration of an alleged one.

use chrono::NaiveDate;
use sitrep_track::facts::content_words;
use sitrep_track::{
    claimants, corroborate, group, settle, ClaimFacts, ClaimLine, Denial, EventFacts, EventLine,
    Rules,
};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn claim(
    article: &str,
    speaker: &str,
    outlet: &str,
    date: &str,
    kind: &str,
    text: &str,
) -> ClaimFacts {
    ClaimFacts {
        article: article.into(),
        statement: "s1".into(),
        outlet: Some(outlet.into()),
        speaker: Some(speaker.into()),
        side: None,
        date: Some(day(date)),
        kind: kind.into(),
        form: "indirect".into(),
        text: text.into(),
        words: content_words(text),
        names: Vec::new(),
        events: Vec::new(),
        tags: Vec::new(),
        near_duplicate: false,
    }
}

fn event(
    article: &str,
    mode: &str,
    text: &str,
    date: &str,
    actors: &[&str],
    place: Option<(&str, f64, f64)>,
) -> EventFacts {
    EventFacts {
        article: article.into(),
        event: "v1".into(),
        outlet: Some(format!("outlet of {article}")),
        statement: None,
        speaker: None,
        event_type: "ASSAULT".into(),
        subtype: None,
        mode: mode.into(),
        text: text.into(),
        date: Some(day(date)),
        said: Some(day(date)),
        due: None,
        due_basis: None,
        actors: actors.iter().map(|a| a.to_string()).collect(),
        targets: Vec::new(),
        place: place.map(|p| p.0.to_string()),
        point: place.map(|p| (p.1, p.2)),
        near_duplicate: false,
    }
}

const PORT: (&str, f64, f64) = ("Port Halden", 40.10, 20.10);
/// About 5 km from the port.
const QUAY: (&str, f64, f64) = ("Halden Quay", 40.14, 20.12);
/// About 150 km away.
const INLAND: (&str, f64, f64) = ("Vesk", 41.40, 20.60);

fn forward(mode: &str, said: &str, due: &str) -> EventFacts {
    let mut e = event("a1", mode, "raid", said, &["river brigade"], Some(PORT));
    e.due = Some(day(due));
    e
}

#[test]
fn a_claim_has_its_origin_repeats_relays_and_replies() {
    let rules = Rules::builtin();
    let said = "the river brigade is preparing a raid on the grain depot at Port Halden";
    let claims = vec![
        claim(
            "a1",
            "Harbour Command",
            "Coast Post",
            "2024-05-01",
            "allegation",
            said,
        ),
        // Another outlet carries the same words the next day: a relay.
        claim(
            "a2",
            "Harbour Command",
            "Valley Herald",
            "2024-05-02",
            "allegation",
            said,
        ),
        // The same speaker says it again a week later: a repeat.
        claim(
            "a3",
            "Harbour Command",
            "Coast Post",
            "2024-05-08",
            "allegation",
            "the river brigade is still preparing its raid on the grain depot at Port Halden",
        ),
        // The accused answer it, and the port confirms it.
        claim(
            "a4",
            "river brigade",
            "Valley Herald",
            "2024-05-03",
            "denial",
            "it was preparing any raid on the grain depot at Port Halden",
        ),
        claim(
            "a5",
            "Port Authority",
            "Coast Post",
            "2024-05-04",
            "confirmation",
            "the river brigade was preparing a raid on the grain depot",
        ),
        // Unrelated: prices in the capital.
        claim(
            "a6",
            "Harbour Command",
            "Coast Post",
            "2024-05-05",
            "assertion",
            "bread prices rose again in the capital markets",
        ),
    ];
    let threads = group(&claims, &rules.threads);
    let depot = threads
        .iter()
        .find(|t| t.claims.len() > 1)
        .expect("a thread of the raid claim");
    let relation = |article: &str| {
        depot
            .claims
            .iter()
            .find(|c| c.article == article)
            .map(|c| c.relation.as_str())
    };
    assert_eq!(relation("a1"), Some("origin"));
    assert_eq!(relation("a2"), Some("relay"));
    assert_eq!(relation("a3"), Some("repeat"));
    assert_eq!(relation("a4"), Some("denial"));
    assert_eq!(relation("a5"), Some("confirmation"));
    assert_eq!(relation("a6"), None, "{depot:#?}");
    assert_eq!(depot.first_seen, Some(day("2024-05-01")));
    // The same claims in another order make the same threads.
    let mut reversed = claims.clone();
    reversed.reverse();
    assert_eq!(group(&reversed, &rules.threads), threads);
}

#[test]
fn a_copied_article_relays_even_days_later() {
    let rules = Rules::builtin();
    let said = "the river brigade is preparing a raid on the grain depot at Port Halden";
    let mut copy = claim(
        "a2",
        "Harbour Command",
        "Valley Herald",
        "2024-05-09",
        "allegation",
        said,
    );
    copy.near_duplicate = true;
    let claims = vec![
        claim(
            "a1",
            "Harbour Command",
            "Coast Post",
            "2024-05-01",
            "allegation",
            said,
        ),
        copy,
    ];
    let threads = group(&claims, &rules.threads);
    assert_eq!(threads.len(), 1);
    assert_eq!(threads[0].claims[1].relation, "relay");
}

#[test]
fn each_status_of_a_forward_looking_event() {
    let rules = Rules::builtin();
    let clock = day("2024-06-01");
    let planned = forward("planned", "2024-05-01", "2024-05-20");
    let verdict = |others: &[EventFacts], denials: &[Denial], clock: NaiveDate| {
        settle(&planned, others, denials, clock, &rules.settle).unwrap()
    };
    // Done near the place by the same brigade inside the window.
    let done = event(
        "b1",
        "occurred",
        "raided",
        "2024-05-10",
        &["river brigade"],
        Some(QUAY),
    );
    let v = verdict(std::slice::from_ref(&done), &[], clock);
    assert_eq!(v.status, "fulfilled");
    assert_eq!(v.evidence[0].article, "b1");
    // Too far, too late, or by someone else: nothing matches, and the window has passed.
    let far = event(
        "b2",
        "occurred",
        "raided",
        "2024-05-10",
        &["river brigade"],
        Some(INLAND),
    );
    let late = event(
        "b3",
        "occurred",
        "raided",
        "2024-05-25",
        &["river brigade"],
        Some(QUAY),
    );
    let other = event(
        "b4",
        "occurred",
        "raided",
        "2024-05-10",
        &["hill militia"],
        Some(QUAY),
    );
    let v = verdict(&[far, late, other], &[], clock);
    assert_eq!(v.status, "unfulfilled");
    assert!(v.rule.contains("window passed"), "{v:?}");
    // Before the window ends it is pending.
    assert_eq!(verdict(&[], &[], day("2024-05-15")).status, "pending");
    // A later report that it did not happen.
    let not = event(
        "b5",
        "negated",
        "raid",
        "2024-05-12",
        &["river brigade"],
        Some(PORT),
    );
    let v = verdict(&[not], &[], day("2024-05-15"));
    assert_eq!(
        (v.status.as_str(), v.evidence[0].relation.as_str()),
        ("unfulfilled", "says it did not happen")
    );
    // Its supposed actor denies it, and nothing bears it out.
    let denial = Denial {
        article: "b6".into(),
        statement: "s2".into(),
        speaker: Some("River Brigade".into()),
    };
    let v = verdict(&[], std::slice::from_ref(&denial), day("2024-05-15"));
    assert_eq!(v.status, "contradicted");
    // A denial by someone else contradicts nothing.
    let bystander = Denial {
        speaker: Some("Port Authority".into()),
        ..denial.clone()
    };
    assert_eq!(
        verdict(&[], &[bystander], day("2024-05-15")).status,
        "pending"
    );
    // What happened outweighs a denial.
    assert_eq!(verdict(&[done], &[denial], clock).status, "fulfilled");
}

#[test]
fn each_corroboration_of_an_alleged_event() {
    let rules = Rules::builtin();
    let mut alleged = event(
        "c1",
        "alleged",
        "shelled",
        "2024-05-10",
        &["hill militia"],
        Some(PORT),
    );
    alleged.speaker = Some("Harbour Command".into());
    let judge = |others: &[EventFacts]| corroborate(&alleged, others, &[], &rules.settle).unwrap();
    assert_eq!(judge(&[]).corroboration, "single-source");
    // Another outlet and another witness, two days later, a few km away.
    let mut witness = event(
        "c2",
        "alleged",
        "shelling",
        "2024-05-12",
        &["hill militia"],
        Some(QUAY),
    );
    witness.speaker = Some("Quay residents".into());
    let c = judge(std::slice::from_ref(&witness));
    assert_eq!(c.corroboration, "corroborated");
    assert_eq!(c.corroborated_by, vec!["c2".to_string()]);
    // A copy of the same report is no second source, nor is the same claimant elsewhere.
    let mut copy = witness.clone();
    copy.near_duplicate = true;
    let mut same = witness.clone();
    same.speaker = Some("Harbour Command".into());
    assert_eq!(judge(&[copy, same]).corroboration, "single-source");
    // The militia denies it.
    let mut denies = event(
        "c3",
        "denied",
        "shelled",
        "2024-05-11",
        &["hill militia"],
        Some(PORT),
    );
    denies.speaker = Some("Hill Militia".into());
    let c = judge(&[denies]);
    assert_eq!(
        (c.corroboration.as_str(), c.disputed_by.len()),
        ("disputed", 1)
    );
}

#[test]
fn a_claimants_record_counts_claims_verdicts_and_denials() {
    let line = |speaker: &str, kind: &str, date: &str, relation: &str| ClaimLine {
        speaker: Some(speaker.into()),
        kind: kind.into(),
        date: Some(day(date)),
        thread: "t1".into(),
        relation: relation.into(),
    };
    let claims = vec![
        line("Harbour Command", "allegation", "2024-05-01", "origin"),
        line("harbour command", "allegation", "2024-05-08", "repeat"),
        line("River Brigade", "denial", "2024-05-03", "denial"),
    ];
    let events = vec![
        EventLine {
            speaker: Some("Harbour Command".into()),
            status: Some("contradicted".into()),
            corroboration: None,
        },
        EventLine {
            speaker: Some("Harbour Command".into()),
            status: None,
            corroboration: Some("single-source".into()),
        },
    ];
    let records = claimants(&claims, &events);
    let command = records
        .iter()
        .find(|r| r.speaker == "Harbour Command")
        .unwrap();
    assert_eq!(command.claims.get("allegation"), Some(&2));
    assert_eq!(command.predictions.get("contradicted"), Some(&1));
    assert_eq!(command.allegations.get("single-source"), Some(&1));
    assert_eq!((command.denials_made, command.denials_received), (0, 1));
    assert_eq!(
        (command.first_seen, command.last_seen),
        (Some(day("2024-05-01")), Some(day("2024-05-08")))
    );
    let brigade = records
        .iter()
        .find(|r| r.speaker == "River Brigade")
        .unwrap();
    assert_eq!(brigade.denials_made, 1);
}

#[test]
fn a_batch_changes_only_the_stored_threads_it_links_to() {
    let rules = Rules::builtin();
    let said = "the river brigade is preparing a raid on the grain depot at Port Halden";
    let stored = vec![
        claim(
            "a1",
            "Harbour Command",
            "Coast Post",
            "2024-05-01",
            "allegation",
            said,
        ),
        // The same words from another speaker, months later: another incident, not this claim.
        claim(
            "a2",
            "Quay Watch",
            "Coast Post",
            "2024-09-20",
            "allegation",
            said,
        ),
        claim(
            "a3",
            "Harbour Command",
            "Coast Post",
            "2024-05-02",
            "assertion",
            "bread prices rose again in the capital markets",
        ),
    ];
    // Another outlet carries the first claim; months later its speaker says it once more.
    let new = vec![
        claim(
            "b1",
            "Harbour Command",
            "Valley Herald",
            "2024-05-03",
            "allegation",
            said,
        ),
        claim(
            "b2",
            "Harbour Command",
            "Valley Herald",
            "2024-08-30",
            "allegation",
            said,
        ),
    ];
    assert_eq!(
        sitrep_track::linked(&new, &stored, &rules.threads),
        vec![true, false, false]
    );
    // What the store would then group is what grouping everything at once gives.
    let all: Vec<ClaimFacts> = stored.iter().chain(&new).cloned().collect();
    let threads = group(&all, &rules.threads);
    let thread_of = |article: &str| {
        threads
            .iter()
            .position(|t| t.claims.iter().any(|c| c.article == article))
    };
    assert_eq!(thread_of("a1"), thread_of("b1"));
    assert_eq!(thread_of("a1"), thread_of("b2"));
    assert_ne!(thread_of("a1"), thread_of("a2"));
}

#[test]
fn judging_again_from_the_cited_evidence_gives_the_whole_verdict() {
    let rules = Rules::builtin();
    let planned = forward("planned", "2024-05-01", "2024-05-20");
    let mut alleged = event(
        "c1",
        "alleged",
        "raided",
        "2024-05-10",
        &["river brigade"],
        Some(PORT),
    );
    alleged.speaker = Some("Harbour Command".into());
    let mut denied = event(
        "d1",
        "denied",
        "raid",
        "2024-05-09",
        &["river brigade"],
        Some(PORT),
    );
    denied.speaker = Some("River Brigade".into());
    let reports = vec![
        event(
            "d2",
            "occurred",
            "raided",
            "2024-05-10",
            &["river brigade"],
            Some(QUAY),
        ),
        event(
            "d3",
            "negated",
            "raid",
            "2024-05-12",
            &["river brigade"],
            Some(PORT),
        ),
        denied,
        event(
            "d4",
            "alleged",
            "raid",
            "2024-05-11",
            &["river brigade"],
            Some(QUAY),
        ),
        event(
            "d5",
            "occurred",
            "raided",
            "2024-05-11",
            &["hill militia"],
            Some(QUAY),
        ),
    ];
    let clock = day("2024-05-15");
    let judge = |e: &EventFacts, others: &[EventFacts]| -> String {
        match settle(e, others, &[], clock, &rules.settle) {
            Some(v) => serde_json::to_string(&v).unwrap(),
            None => serde_json::to_string(&corroborate(e, others, &[], &rules.settle)).unwrap(),
        }
    };
    // Every split of the reports into those judged before and those that came after.
    for e in [&planned, &alleged] {
        let whole = judge(e, &reports);
        for mask in 0..1u32 << reports.len() {
            let (before, after): (Vec<_>, Vec<_>) = reports
                .iter()
                .cloned()
                .enumerate()
                .partition(|(i, _)| mask & (1 << i) != 0);
            let before: Vec<EventFacts> = before.into_iter().map(|(_, r)| r).collect();
            let cited = sitrep_track::settle::cited_events(&judge(e, &before));
            let mut again: Vec<EventFacts> = before
                .into_iter()
                .filter(|r| cited.contains(&(r.article.clone(), r.event.clone())))
                .collect();
            again.extend(after.into_iter().map(|(_, r)| r));
            assert_eq!(
                judge(e, &again),
                whole,
                "{} judged before: {mask:05b}",
                e.mode
            );
        }
    }
}

#[test]
fn an_event_with_no_place_meets_those_named_by_its_word_from_either_side() {
    let rules = Rules::builtin();
    let placed = event(
        "e1",
        "occurred",
        "raided",
        "2024-05-10",
        &["river brigade"],
        Some(PORT),
    );
    let placeless = event(
        "e2",
        "alleged",
        "raided",
        "2024-05-10",
        &["river brigade"],
        None,
    );
    let other_word = event(
        "e3",
        "alleged",
        "shelled",
        "2024-05-10",
        &["river brigade"],
        None,
    );
    let index = sitrep_track::settle::Index::new(
        vec![placed.clone(), placeless.clone(), other_word.clone()],
        &rules.settle,
    );
    let near = |e: &EventFacts| -> Vec<String> {
        index
            .near(e)
            .into_iter()
            .map(|o| o.article.clone())
            .collect()
    };
    assert_eq!(near(&placed), vec!["e2"]);
    assert_eq!(near(&placeless), vec!["e1"]);
    assert!(near(&other_word).is_empty());
}

#[test]
fn a_deed_within_reach_east_or_west_is_near_far_from_the_equator() {
    let rules = Rules::builtin();
    // At 60° N a degree of longitude is about 56 km: 0.52° east is about 29 km, two cells of
    // the grid away.
    let north = |article: &str, lon: f64| {
        event(
            article,
            "occurred",
            "raided",
            "2024-05-10",
            &["river brigade"],
            Some((article, 60.0, lon)),
        )
    };
    let index = sitrep_track::settle::Index::new(
        vec![north("n1", 20.26), north("n2", 20.78)],
        &rules.settle,
    );
    let found: Vec<&str> = index
        .near(&north("n1", 20.26))
        .iter()
        .map(|o| o.article.as_str())
        .collect();
    assert_eq!(found, vec!["n2"]);
    let found: Vec<&str> = index
        .near(&north("n2", 20.78))
        .iter()
        .map(|o| o.article.as_str())
        .collect();
    assert_eq!(found, vec!["n1"]);
}
