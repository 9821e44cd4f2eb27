//! Claims over time kept current: after new articles are annotated, their claims join threads
//! and the forward-looking and alleged events they touch are judged again — only those, found
//! through the store's indexes, never by going over the whole store.

use sitrep_core::Document;
use sitrep_store::{Store, StoreError, TrackBatch, TrackedClaim, TrackedEvent};
use sitrep_track::facts::{self, FORWARD_MODES, HAPPENED_MODES};
use sitrep_track::settle::Index;
use sitrep_track::{ClaimFacts, Denial, EventFacts, Reach, Rules};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A claim's thread as verdicts need it: its denials, and its statements (article, id); one
/// per thread, shared by its statements.
type ThreadView = std::rc::Rc<(Vec<Denial>, HashSet<(String, String)>)>;

/// One tracking step over the articles `ids`, of which `docs` are those whose layers read
/// (an article whose layers no longer read is tracked as holding nothing): the writes it makes.
pub(crate) fn step(
    store: &Store,
    ids: &[String],
    docs: &[Document],
    rules: &Rules,
    fingerprint: &str,
) -> Result<TrackBatch, StoreError> {
    let mut batch = TrackBatch {
        articles: ids
            .iter()
            .map(|id| (id.clone(), fingerprint.to_string()))
            .collect(),
        ..TrackBatch::default()
    };
    // Every article of the step is tracked anew: what the store holds of it is no candidate.
    let renewed: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let (mut claims, mut events) = (Vec::new(), Vec::new());
    for doc in docs {
        let (c, e) = facts::of_document(doc, doc.article.duplicate_of.is_some(), rules);
        claims.extend(c);
        events.extend(e);
    }
    let threads = thread_step(store, &claims, &renewed, rules, &mut batch)?;
    verdict_step(store, &events, &renewed, &threads, rules, &mut batch)?;
    Ok(batch)
}

/// Threads of the new claims with the stored claims they may join: new claims' rows, and new
/// threads or relations for stored ones. Returns each claim's thread: its denials and members.
///
/// Only the threads a new claim links to (and those a renewed article leaves) are read whole
/// and grouped again; the stored claims that merely share a key with a new one are compared
/// and left alone.
fn thread_step(
    store: &Store,
    new: &[ClaimFacts],
    renewed: &HashSet<&str>,
    rules: &Rules,
    batch: &mut TrackBatch,
) -> Result<HashMap<(String, String), ThreadView>, StoreError> {
    let candidates: Vec<(String, ClaimFacts)> = candidate_claims(store, new, rules)?
        .into_iter()
        .filter(|c| !renewed.contains(c.article_id.as_str()))
        .filter_map(|c| Some((c.thread, serde_json::from_str(&c.facts).ok()?)))
        .collect();
    let (threads, facts): (Vec<String>, Vec<ClaimFacts>) = candidates.into_iter().unzip();
    let linked = sitrep_track::linked(new, &facts, &rules.threads);
    let mut touched: Vec<String> = threads
        .into_iter()
        .zip(linked)
        .filter_map(|(thread, linked)| linked.then_some(thread))
        .collect();
    let renewed_ids: Vec<String> = renewed.iter().map(|a| a.to_string()).collect();
    touched.extend(store.threads_of_articles(&renewed_ids)?);
    touched.sort();
    touched.dedup();
    let stored: Vec<TrackedClaim> = store
        .thread_claims(&touched)?
        .into_iter()
        .filter(|c| !renewed.contains(c.article_id.as_str()))
        .collect();
    let before: HashMap<(String, String), (String, String, String)> = stored
        .iter()
        .map(|c| {
            (
                (c.article_id.clone(), c.statement_id.clone()),
                (c.thread.clone(), c.relation.clone(), c.rule.clone()),
            )
        })
        .collect();
    let mut all: Vec<ClaimFacts> = stored
        .iter()
        .filter_map(|c| serde_json::from_str(&c.facts).ok())
        .collect();
    all.extend(new.iter().cloned());
    let by_id: HashMap<(&str, &str), &ClaimFacts> = all
        .iter()
        .map(|c| ((c.article.as_str(), c.statement.as_str()), c))
        .collect();
    let mut views = HashMap::new();
    for thread in sitrep_track::group(&all, &rules.threads) {
        let view = thread_view(
            thread
                .claims
                .iter()
                .map(|m| (&m.article, &m.statement, &m.speaker, m.relation.as_str())),
        );
        for m in &thread.claims {
            let id = (m.article.clone(), m.statement.clone());
            views.insert(id.clone(), view.clone());
            let now = (thread.thread.clone(), m.relation.clone(), m.rule.clone());
            match before.get(&id) {
                Some(was) if *was == now => {}
                // A stored statement: only its thread, relation and rule are written.
                Some(_) => batch.threads.push(TrackedClaim {
                    article_id: id.0,
                    statement_id: id.1,
                    thread: now.0,
                    relation: now.1,
                    rule: now.2,
                    ..TrackedClaim::default()
                }),
                None => {
                    let c = by_id[&(m.article.as_str(), m.statement.as_str())];
                    batch.claims.push(claim_row(c, now, &rules.threads));
                }
            }
        }
    }
    Ok(views)
}

/// A new statement's row: its thread, relation and rule, and what comparing it needs.
fn claim_row(
    c: &ClaimFacts,
    (thread, relation, rule): (String, String, String),
    rules: &sitrep_track::rules::ThreadRules,
) -> TrackedClaim {
    let mut keys: Vec<i64> = sitrep_track::keys(c, rules)
        .stored
        .into_iter()
        .map(|(k, _)| k as i64)
        .collect();
    keys.dedup();
    TrackedClaim {
        article_id: c.article.clone(),
        statement_id: c.statement.clone(),
        thread,
        relation,
        rule,
        speaker: c.speaker.clone(),
        kind: c.kind.clone(),
        date: c.date.map(|d| d.to_string()),
        facts: serde_json::to_string(c).unwrap_or_default(),
        keys,
    }
}

/// The stored statements that share a lookup key with a new one, said within the key's
/// reach of the new statements' dates (an undated statement's keys reach every day, as an
/// undated pair is always compared).
fn candidate_claims(
    store: &Store,
    new: &[ClaimFacts],
    rules: &Rules,
) -> Result<Vec<TrackedClaim>, StoreError> {
    let (dated, undated): (Vec<&ClaimFacts>, Vec<&ClaimFacts>) =
        new.iter().partition(|c| c.date.is_some());
    let dates = dated.iter().filter_map(|c| c.date);
    let (first, last) = (dates.clone().min(), dates.max());
    let span = |days: i64| {
        let reach = chrono::Days::new(days.max(0) as u64);
        first
            .zip(last)
            .map(|(a, b)| ((a - reach).to_string(), (b + reach).to_string()))
    };
    let mut found = Vec::new();
    for (claims, bounded) in [(dated, true), (undated, false)] {
        let (mut far, mut near) = (BTreeSet::new(), BTreeSet::new());
        for c in claims {
            for (key, reach) in sitrep_track::keys(c, &rules.threads).lookup {
                match reach {
                    Reach::Near => near.insert(key as i64),
                    Reach::Far => far.insert(key as i64),
                };
            }
        }
        let within = |days| if bounded { span(days) } else { None };
        let far: Vec<i64> = far.into_iter().collect();
        let near: Vec<i64> = near.into_iter().collect();
        found.extend(store.claims_with_keys(&far, within(rules.threads.max_days))?);
        found.extend(store.claims_with_keys(&near, within(rules.threads.event_days))?);
    }
    found.sort_by(|a, b| (&a.article_id, &a.statement_id).cmp(&(&b.article_id, &b.statement_id)));
    found.dedup_by(|a, b| a.article_id == b.article_id && a.statement_id == b.statement_id);
    Ok(found)
}

/// Verdicts for the new events and for the stored ones that must be judged again: those a
/// new event bears on, forward-looking ones past due while pending, and those whose claims'
/// threads now hold a denial.
///
/// A new event is judged against the stored events of its window. A stored one is judged
/// against the events its verdict cites and the new events: a verdict cites every event of
/// the kind that decided it, and events of the kinds below that one cannot change it, so this
/// gives the verdict judging it against the whole store would.
fn verdict_step(
    store: &Store,
    new: &[EventFacts],
    renewed: &HashSet<&str>,
    threads: &HashMap<(String, String), ThreadView>,
    rules: &Rules,
    batch: &mut TrackBatch,
) -> Result<(), StoreError> {
    let clock: Option<chrono::NaiveDate> = store.clock()?.and_then(|c| c.parse().ok());
    let stored_of = |rows: Vec<TrackedEvent>| -> Vec<(EventFacts, Option<String>)> {
        rows.into_iter()
            .filter(|r| !renewed.contains(r.article_id.as_str()))
            .filter_map(|r| Some((serde_json::from_str(&r.facts).ok()?, r.verdict)))
            .collect()
    };
    let mut judged = affected(store, new, rules, &stored_of)?;
    if let Some(clock) = clock {
        judged.extend(stored_of(store.pending_past_due(&clock.to_string())?));
    }
    judged.extend(denied_in_threads(store, threads, &stored_of)?);
    let mut seen = HashSet::new();
    judged.retain(|(e, _)| seen.insert(id_of(e)));
    let threads = with_stored_views(store, threads, judged.iter().map(|(e, _)| e))?;

    let fresh = Index::new(new.to_vec(), &rules.settle);
    let windows = Index::new(
        stored_of(in_windows(store, new, rules)?)
            .into_iter()
            .map(|(e, _)| e)
            .collect(),
        &rules.settle,
    );
    let cited = cited_events(store, &judged, &stored_of)?;
    let alone: ThreadView = Default::default();
    let judge = |e: &EventFacts, others: Vec<&EventFacts>| -> TrackedEvent {
        let (denials, members) = &**e
            .statement
            .as_ref()
            .and_then(|s| threads.get(&(e.article.clone(), s.clone())))
            .unwrap_or(&alone);
        // The claim's own thread repeats it: it cannot bear itself out (its denials still count).
        let own = |o: &EventFacts| {
            o.statement
                .as_ref()
                .is_some_and(|s| members.contains(&(o.article.clone(), s.clone())))
        };
        let mut candidates: Vec<EventFacts> = others
            .into_iter()
            .filter(|o| sitrep_track::settle::bears_on(e, o, &rules.settle))
            .filter(|o| !(HAPPENED_MODES.contains(&o.mode.as_str()) && own(o)))
            .cloned()
            .collect();
        candidates.sort_by(|a, b| (&a.article, &a.event).cmp(&(&b.article, &b.event)));
        candidates.dedup_by(|a, b| a.article == b.article && a.event == b.event);
        verdict_row(e, &candidates, denials, clock, rules)
    };
    for e in new {
        let mut others = fresh.near(e);
        others.extend(windows.near(e));
        batch.events.push(judge(e, others));
    }
    for (e, _) in &judged {
        let mut others = fresh.near(e);
        others.extend(cited.get(&id_of(e)).into_iter().flatten());
        batch.verdicts.push(judge(e, others));
    }
    Ok(())
}

/// The thread views of this step and, for the claims of `events` in threads it did not
/// touch, their threads' as stored: a verdict judged again needs its thread's denials.
fn with_stored_views<'e>(
    store: &Store,
    views: &HashMap<(String, String), ThreadView>,
    events: impl Iterator<Item = &'e EventFacts>,
) -> Result<HashMap<(String, String), ThreadView>, StoreError> {
    let mut all = views.clone();
    let wanted: HashSet<(String, String)> = events
        .filter_map(|e| Some((e.article.clone(), e.statement.clone()?)))
        .filter(|id| !all.contains_key(id))
        .collect();
    let articles: Vec<String> = wanted
        .iter()
        .map(|(a, _)| a.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let threads: Vec<String> = store
        .claim_threads_of(&articles)?
        .into_iter()
        .filter(|(a, s, _)| wanted.contains(&(a.clone(), s.clone())))
        .map(|(_, _, t)| t)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut members: BTreeMap<String, Vec<TrackedClaim>> = BTreeMap::new();
    for c in store.thread_claims(&threads)? {
        members.entry(c.thread.clone()).or_default().push(c);
    }
    for claims in members.into_values() {
        let view = thread_view(claims.iter().map(|c| {
            (
                &c.article_id,
                &c.statement_id,
                &c.speaker,
                c.relation.as_str(),
            )
        }));
        for id in &view.1 {
            all.entry(id.clone()).or_insert_with(|| view.clone());
        }
    }
    Ok(all)
}

/// A thread's view from its statements: (article, statement, speaker, relation).
fn thread_view<'a>(
    claims: impl Iterator<Item = (&'a String, &'a String, &'a Option<String>, &'a str)>,
) -> ThreadView {
    let (mut denials, mut members) = (Vec::new(), HashSet::new());
    for (article, statement, speaker, relation) in claims {
        if relation == "denial" {
            denials.push(Denial {
                article: article.clone(),
                statement: statement.clone(),
                speaker: speaker.clone(),
            });
        }
        members.insert((article.clone(), statement.clone()));
    }
    std::rc::Rc::new((denials, members))
}

/// An event's row with its verdict: a forward-looking event's status, an alleged one's
/// corroboration.
fn verdict_row(
    e: &EventFacts,
    candidates: &[EventFacts],
    denials: &[Denial],
    clock: Option<chrono::NaiveDate>,
    rules: &Rules,
) -> TrackedEvent {
    let (status, corroboration, verdict) = if FORWARD_MODES.contains(&e.mode.as_str()) {
        let v = clock.and_then(|c| sitrep_track::settle(e, candidates, denials, c, &rules.settle));
        (
            v.as_ref().map(|v| v.status.clone()),
            None,
            v.map(|v| serde_json::to_string(&v).unwrap_or_default()),
        )
    } else if let Some(c) = sitrep_track::corroborate(e, candidates, denials, &rules.settle) {
        (
            None,
            Some(c.corroboration.clone()),
            Some(serde_json::to_string(&c).unwrap_or_default()),
        )
    } else {
        (None, None, None)
    };
    TrackedEvent {
        article_id: e.article.clone(),
        event_id: e.event.clone(),
        event_type: e.event_type.clone(),
        mode: e.mode.clone(),
        // A forward-looking event's window opens when it was said.
        date: if status.is_some() {
            e.said.or(e.date)
        } else {
            e.date
        }
        .map(|d| d.to_string()),
        due: e.due.map(|d| d.to_string()),
        speaker: e.speaker.clone(),
        status,
        corroboration,
        verdict,
        facts: serde_json::to_string(e).unwrap_or_default(),
    }
}

type StoredOf<'a> = dyn Fn(Vec<TrackedEvent>) -> Vec<(EventFacts, Option<String>)> + 'a;

/// Stored events the new ones bear on: forward-looking ones whose windows hold a new event's
/// date, alleged ones dated within days of one.
fn affected(
    store: &Store,
    new: &[EventFacts],
    rules: &Rules,
    stored_of: &StoredOf<'_>,
) -> Result<Vec<(EventFacts, Option<String>)>, StoreError> {
    let days = chrono::Days::new(rules.settle.corroboration_days as u64);
    let mut spans: BTreeMap<&str, (chrono::NaiveDate, chrono::NaiveDate)> = BTreeMap::new();
    for e in new {
        if let Some(date) = e.date {
            let span = spans.entry(e.event_type.as_str()).or_insert((date, date));
            span.0 = span.0.min(date);
            span.1 = span.1.max(date);
        }
    }
    let mut stored = Vec::new();
    for (event_type, (from, until)) in spans {
        let open = store.open_forward_events(event_type, &from.to_string(), &until.to_string())?;
        stored.extend(stored_of(open));
        let close = store.tracked_events_between(
            event_type,
            &(from - days).to_string(),
            &(until + days).to_string(),
        )?;
        stored.extend(
            stored_of(close)
                .into_iter()
                .filter(|(e, _)| e.mode == "alleged"),
        );
    }
    let verdicts: HashMap<EventId, Option<String>> =
        stored.iter().map(|(e, v)| (id_of(e), v.clone())).collect();
    let index = Index::new(stored.into_iter().map(|(e, _)| e).collect(), &rules.settle);
    let mut out: Vec<(EventFacts, Option<String>)> = Vec::new();
    for e in new {
        for o in index.near(e) {
            if sitrep_track::settle::bears_on(o, e, &rules.settle) {
                let verdict = verdicts[&id_of(o)].clone();
                out.push((o.clone(), verdict));
            }
        }
    }
    Ok(out)
}

/// The stored events inside the new events' windows: after a forward-looking one was said
/// until it is due, within days of an alleged one.
fn in_windows(
    store: &Store,
    new: &[EventFacts],
    rules: &Rules,
) -> Result<Vec<TrackedEvent>, StoreError> {
    let days = chrono::Days::new(rules.settle.corroboration_days as u64);
    let mut spans: BTreeMap<&str, (chrono::NaiveDate, chrono::NaiveDate)> = BTreeMap::new();
    for e in new {
        let window = match sitrep_track::settle::window(e) {
            Some(w) if FORWARD_MODES.contains(&e.mode.as_str()) => w,
            _ if e.mode == "alleged" => match e.date {
                Some(d) => (d - days, d + days),
                None => continue,
            },
            _ => continue,
        };
        let span = spans.entry(e.event_type.as_str()).or_insert(window);
        span.0 = span.0.min(window.0);
        span.1 = span.1.max(window.1);
    }
    let mut out = Vec::new();
    for (event_type, (from, until)) in spans {
        out.extend(store.tracked_events_between(
            event_type,
            &from.to_string(),
            &until.to_string(),
        )?);
    }
    Ok(out)
}

/// An event by its article and id.
type EventId = (String, String);

fn id_of(e: &EventFacts) -> EventId {
    (e.article.clone(), e.event.clone())
}

/// The events each judged event's stored verdict cites, by the judged event.
fn cited_events(
    store: &Store,
    judged: &[(EventFacts, Option<String>)],
    stored_of: &StoredOf<'_>,
) -> Result<HashMap<EventId, Vec<EventFacts>>, StoreError> {
    let cites: Vec<(EventId, Vec<EventId>)> = judged
        .iter()
        .map(|(e, verdict)| {
            let cited = verdict.as_deref().map(sitrep_track::settle::cited_events);
            (id_of(e), cited.unwrap_or_default())
        })
        .collect();
    let articles: BTreeSet<String> = cites
        .iter()
        .flat_map(|(_, c)| c.iter().map(|(a, _)| a.clone()))
        .collect();
    let articles: Vec<String> = articles.into_iter().collect();
    let events: HashMap<EventId, EventFacts> = stored_of(store.tracked_events_of(&articles)?)
        .into_iter()
        .map(|(e, _)| (id_of(&e), e))
        .collect();
    Ok(cites
        .into_iter()
        .map(|(id, cited)| {
            let found = cited
                .iter()
                .filter_map(|c| events.get(c).cloned())
                .collect();
            (id, found)
        })
        .collect())
}

/// Stored forward-looking and alleged events whose claims' threads hold a denial.
fn denied_in_threads(
    store: &Store,
    threads: &HashMap<(String, String), ThreadView>,
    stored_of: &StoredOf<'_>,
) -> Result<Vec<(EventFacts, Option<String>)>, StoreError> {
    let denied: BTreeSet<(&String, &String)> = threads
        .iter()
        .filter(|(_, t)| !t.0.is_empty())
        .map(|(id, _)| (&id.0, &id.1))
        .collect();
    let articles: Vec<String> = denied
        .iter()
        .map(|(a, _)| (*a).clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    Ok(stored_of(store.tracked_events_of(&articles)?)
        .into_iter()
        .filter(|(e, _)| {
            (FORWARD_MODES.contains(&e.mode.as_str()) || e.mode == "alleged")
                && e.statement
                    .as_ref()
                    .is_some_and(|s| denied.contains(&(&e.article, s)))
        })
        .collect())
}

/// A thread as users and scripts read it (`sitrep threads`, `/api/threads`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ThreadRow {
    pub thread: String,
    pub first_seen: Option<String>,
    /// The origin's speaker.
    pub speaker: Option<String>,
    /// Outlets that carried it, in order of first appearance.
    pub outlets: Vec<String>,
    pub claims: Vec<ThreadClaimRow>,
}

/// One statement of a thread.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ThreadClaimRow {
    pub article: String,
    pub statement: String,
    pub speaker: Option<String>,
    pub outlet: Option<String>,
    pub date: Option<String>,
    /// origin, repeat, relay, denial or confirmation.
    pub relation: String,
    pub kind: String,
    pub text: String,
    /// The link that joined it.
    pub rule: String,
}

/// One statement of a claim thread with its thread's facts: a row of the `claims` table.
pub struct ThreadMember {
    pub thread: String,
    pub first_seen: Option<String>,
    pub origin_speaker: Option<String>,
    pub claim: ThreadClaimRow,
}

impl ThreadRow {
    /// The thread's statements, each with the thread's facts.
    pub fn members(self) -> impl Iterator<Item = ThreadMember> {
        let (thread, first_seen, origin_speaker) = (self.thread, self.first_seen, self.speaker);
        self.claims.into_iter().map(move |claim| ThreadMember {
            thread: thread.clone(),
            first_seen: first_seen.clone(),
            origin_speaker: origin_speaker.clone(),
            claim,
        })
    }
}

/// The `claims` table: one row per statement of each claim thread, the same claim told across
/// articles and outlets.
pub fn claims_table() -> sitrep_export::parquet::Table<ThreadMember> {
    use sitrep_export::parquet::{Column, Kind, Value};
    let column = |name, kind, doc, value: fn(&ThreadMember) -> Value| Column {
        name,
        kind,
        doc,
        value,
    };
    sitrep_export::parquet::Table {
        name: "claims",
        doc: "One row per statement of each claim thread: the same claim across articles and outlets, with how each statement stands in it. Joins `statements` on (`article_id`, `statement_id`).",
        columns: vec![
            column("thread", Kind::Text, "the thread's id", |m| Value::Text(Some(m.thread.clone()))),
            column("first_seen", Kind::Text, "the thread's first date", |m| Value::Text(m.first_seen.clone())),
            column("origin_speaker", Kind::Text, "who first made the claim", |m| Value::Text(m.origin_speaker.clone())),
            column("article_id", Kind::Text, "the statement's article", |m| Value::Text(Some(m.claim.article.clone()))),
            column("statement_id", Kind::Text, "the statement's id in it", |m| Value::Text(Some(m.claim.statement.clone()))),
            column("relation", Kind::Text, "origin, repeat, relay, denial or confirmation", |m| Value::Text(Some(m.claim.relation.clone()))),
            column("speaker", Kind::Text, "who says it there", |m| Value::Text(m.claim.speaker.clone())),
            column("outlet", Kind::Text, "through which outlet", |m| Value::Text(m.claim.outlet.clone())),
            column("date", Kind::Text, "when", |m| Value::Text(m.claim.date.clone())),
            column("kind", Kind::Text, "assertion, prediction, accusation, denial, threat or allegation", |m| Value::Text(Some(m.claim.kind.clone()))),
            column("text", Kind::Text, "what was said", |m| Value::Text(Some(m.claim.text.clone()))),
            column("rule", Kind::Text, "the link that joined it to the thread", |m| Value::Text(Some(m.claim.rule.clone()))),
        ],
    }
}

/// A forward-looking event and what became of it (`sitrep predictions`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PredictionRow {
    pub event: String,
    pub article: String,
    /// The statement that claims it (its thread is the claim's), if any.
    pub statement: Option<String>,
    pub outlet: Option<String>,
    pub speaker: Option<String>,
    pub mode: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub text: String,
    pub place: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub said: Option<String>,
    pub status: String,
    pub due: Option<String>,
    /// What set the window: a date in the text, words like "within weeks", or the default.
    pub due_basis: Option<String>,
    pub evidence: Vec<sitrep_track::Evidence>,
    pub rule: String,
}

/// Which threads to list.
#[derive(Debug, Clone, Default)]
pub struct ThreadQuery {
    /// Only this thread.
    pub thread: Option<String>,
    /// Only threads this speaker (part of the name, any case) takes part in.
    pub speaker: Option<String>,
    /// Only threads of at least this many statements.
    pub min_claims: usize,
}

/// The threads the query asks for, oldest first.
pub fn threads(store: &Store, query: &ThreadQuery) -> Result<Vec<ThreadRow>, StoreError> {
    let (speaker, min_claims) = (query.speaker.as_deref(), query.min_claims);
    let mut by_thread: Vec<(String, Vec<ThreadClaimRow>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for c in store.tracked_claims(query.thread.as_deref())? {
        let facts: Option<ClaimFacts> = serde_json::from_str(&c.facts).ok();
        let i = *index.entry(c.thread.clone()).or_insert_with(|| {
            by_thread.push((c.thread.clone(), Vec::new()));
            by_thread.len() - 1
        });
        by_thread[i].1.push(ThreadClaimRow {
            article: c.article_id,
            statement: c.statement_id,
            speaker: c.speaker,
            outlet: facts.as_ref().and_then(|f| f.outlet.clone()),
            date: c.date,
            relation: c.relation,
            kind: c.kind,
            text: facts.map(|f| f.text).unwrap_or_default(),
            rule: c.rule,
        });
    }
    let wanted = |claims: &[ThreadClaimRow]| {
        claims.len() >= min_claims
            && speaker.is_none_or(|s| {
                let s = s.to_lowercase();
                claims.iter().any(|c| {
                    c.speaker
                        .as_ref()
                        .is_some_and(|x| x.to_lowercase().contains(&s))
                })
            })
    };
    let mut rows: Vec<ThreadRow> = by_thread
        .into_iter()
        .filter(|(_, claims)| wanted(claims))
        .map(|(thread, mut claims)| {
            // The origin first, then in order of date.
            claims.sort_by(|a, b| {
                (
                    a.relation != "origin",
                    a.date.is_none(),
                    &a.date,
                    &a.article,
                )
                    .cmp(&(
                        b.relation != "origin",
                        b.date.is_none(),
                        &b.date,
                        &b.article,
                    ))
            });
            let mut outlets: Vec<String> = Vec::new();
            for o in claims.iter().filter_map(|c| c.outlet.clone()) {
                if !outlets.contains(&o) {
                    outlets.push(o);
                }
            }
            ThreadRow {
                first_seen: claims.iter().filter_map(|c| c.date.clone()).min(),
                speaker: claims.first().and_then(|c| c.speaker.clone()),
                thread,
                outlets,
                claims,
            }
        })
        .collect();
    rows.sort_by(|a, b| (&a.first_seen, &a.thread).cmp(&(&b.first_seen, &b.thread)));
    Ok(rows)
}

/// Which forward-looking events to list.
#[derive(Debug, Clone, Default)]
pub struct PredictionQuery {
    /// Only those of this status.
    pub status: Option<String>,
    /// Only those claimed by a statement of this thread.
    pub thread: Option<String>,
}

/// The forward-looking events the query asks for, in order of when they were said.
pub fn predictions(
    store: &Store,
    query: &PredictionQuery,
) -> Result<Vec<PredictionRow>, StoreError> {
    let rows = match &query.thread {
        None => store.tracked_events(query.status.as_deref(), false)?,
        Some(thread) => {
            let claims = store.tracked_claims(Some(thread))?;
            let members: HashSet<(&str, &str)> = claims
                .iter()
                .map(|c| (c.article_id.as_str(), c.statement_id.as_str()))
                .collect();
            let articles: Vec<String> = claims
                .iter()
                .map(|c| c.article_id.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let mut rows = store.tracked_events_of(&articles)?;
            rows.retain(|r| {
                r.status.is_some()
                    && query
                        .status
                        .as_ref()
                        .is_none_or(|s| r.status.as_ref() == Some(s))
                    && statement_of(r)
                        .is_some_and(|s| members.contains(&(r.article_id.as_str(), s.as_str())))
            });
            rows.sort_by(|a, b| {
                (a.date.is_none(), &a.date, &a.article_id, &a.event_id).cmp(&(
                    b.date.is_none(),
                    &b.date,
                    &b.article_id,
                    &b.event_id,
                ))
            });
            rows
        }
    };
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let e: EventFacts = serde_json::from_str(&r.facts).ok()?;
            let v: sitrep_track::Verdict = serde_json::from_str(r.verdict.as_deref()?).ok()?;
            Some(PredictionRow {
                event: e.event,
                article: e.article,
                statement: e.statement,
                outlet: e.outlet,
                speaker: e.speaker,
                mode: e.mode,
                event_type: e.event_type,
                text: e.text,
                place: e.place,
                latitude: e.point.map(|p| p.0),
                longitude: e.point.map(|p| p.1),
                said: e.said.map(|d| d.to_string()),
                status: v.status,
                due: e.due.map(|d| d.to_string()),
                due_basis: e.due_basis,
                evidence: v.evidence,
                rule: v.rule,
            })
        })
        .collect())
}

/// The statement that claims a tracked event, from its facts.
fn statement_of(row: &TrackedEvent) -> Option<String> {
    serde_json::from_str::<EventFacts>(&row.facts)
        .ok()?
        .statement
}

/// Every claimant's record, optionally only speakers whose name holds `speaker` (any case).
pub fn claimants(
    store: &Store,
    speaker: Option<&str>,
) -> Result<Vec<sitrep_track::Claimant>, StoreError> {
    let claims: Vec<sitrep_track::ClaimLine> = store
        .tracked_claims(None)?
        .into_iter()
        .map(|c| sitrep_track::ClaimLine {
            speaker: c.speaker,
            kind: c.kind,
            date: c.date.and_then(|d| d.parse().ok()),
            thread: c.thread,
            relation: c.relation,
        })
        .collect();
    let events: Vec<sitrep_track::EventLine> = [
        store.tracked_events(None, false)?,
        store.tracked_events(None, true)?,
    ]
    .into_iter()
    .flatten()
    .map(|e| sitrep_track::EventLine {
        speaker: e.speaker,
        status: e.status,
        corroboration: e.corroboration,
    })
    .collect();
    let mut all = sitrep_track::claimants(&claims, &events);
    if let Some(s) = speaker {
        let s = s.to_lowercase();
        all.retain(|c| c.speaker.to_lowercase().contains(&s));
    }
    Ok(all)
}

/// What claims over time found about these documents' events (`rows`, as the ledger's event
/// queries give them) and statements, for exports that carry it (STIX).
pub fn tracked_for(
    store: &Store,
    docs: &[Document],
    rows: &[sitrep_export::EventRow],
) -> Result<sitrep_export::Tracked, StoreError> {
    let mut tracked = sitrep_export::Tracked::default();
    for r in rows
        .iter()
        .filter(|r| r.status.is_some() || r.corroboration.is_some())
    {
        tracked
            .events
            .insert((r.article_id.clone(), r.event_id.clone()), r.clone());
    }
    for doc in docs {
        for s in &doc.statements {
            let Some((thread, relation)) = store.claim_thread(&doc.article.id, &s.id)? else {
                continue;
            };
            let Some(origin) = store.thread_origin(&thread)? else {
                continue;
            };
            let id = (doc.article.id.clone(), s.id.clone());
            tracked.claims.insert(
                id,
                sitrep_export::ClaimThread {
                    thread,
                    relation,
                    origin,
                },
            );
        }
    }
    Ok(tracked)
}
