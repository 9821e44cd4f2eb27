//! Claims over time kept current: after new articles are annotated, their claims join threads
//! and the forward-looking and alleged events they touch are judged again — only those, found
//! through the store's indexes, never by going over the whole store.

use sitrep_core::Document;
use sitrep_store::{Store, StoreError, TrackBatch, TrackedClaim, TrackedEvent};
use sitrep_track::facts::{self, FORWARD_MODES, HAPPENED_MODES};
use sitrep_track::settle::Index;
use sitrep_track::{ClaimFacts, Denial, EventFacts, Rules};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A claim's thread as verdicts need it: its denials, and its statements (article, id); one
/// per thread, shared by its statements.
type ThreadView = std::rc::Rc<(Vec<Denial>, HashSet<(String, String)>)>;

/// One tracking step over `docs`, the writes it makes.
pub(crate) fn step(
    store: &Store,
    docs: &[Document],
    rules: &Rules,
    fingerprint: &str,
) -> Result<TrackBatch, StoreError> {
    let mut batch = TrackBatch {
        articles: docs
            .iter()
            .map(|d| (d.article.id.clone(), fingerprint.to_string()))
            .collect(),
        ..TrackBatch::default()
    };
    let renewed: HashSet<&str> = docs.iter().map(|d| d.article.id.as_str()).collect();
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
fn thread_step(
    store: &Store,
    new: &[ClaimFacts],
    renewed: &HashSet<&str>,
    rules: &Rules,
    batch: &mut TrackBatch,
) -> Result<HashMap<(String, String), ThreadView>, StoreError> {
    // Candidates said close enough in time to be the same claim: months for words and names,
    // days for events.
    let (mut far, mut near) = (BTreeSet::new(), BTreeSet::new());
    for c in new {
        let (f, n) = sitrep_track::lookup_keys(c);
        far.extend(f.into_iter().map(|k| k as i64));
        near.extend(n.into_iter().map(|k| k as i64));
    }
    let dates = new.iter().filter_map(|c| c.date);
    let (first, last) = (dates.clone().min(), dates.max());
    let span = |days: i64| {
        let reach = chrono::Days::new(days.max(0) as u64);
        first
            .zip(last)
            .map(|(a, b)| ((a - reach).to_string(), (b + reach).to_string()))
    };
    let far: Vec<i64> = far.into_iter().collect();
    let near: Vec<i64> = near.into_iter().collect();
    let mut touched = store.threads_with_keys(&far, span(rules.threads.max_days))?;
    touched.extend(store.threads_with_keys(&near, span(rules.threads.event_days))?);
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
    let mut denials = HashMap::new();
    for thread in sitrep_track::group(&all, &rules.threads) {
        let members: HashSet<(String, String)> = thread
            .claims
            .iter()
            .map(|m| (m.article.clone(), m.statement.clone()))
            .collect();
        let replies: Vec<Denial> = thread
            .claims
            .iter()
            .filter(|m| m.relation == "denial")
            .map(|m| Denial {
                article: m.article.clone(),
                statement: m.statement.clone(),
                speaker: m.speaker.clone(),
            })
            .collect();
        let view: ThreadView = std::rc::Rc::new((replies, members));
        for m in &thread.claims {
            let id = (m.article.clone(), m.statement.clone());
            denials.insert(id.clone(), view.clone());
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
                    batch.claims.push(TrackedClaim {
                        article_id: id.0,
                        statement_id: id.1,
                        thread: now.0,
                        relation: now.1,
                        rule: now.2,
                        speaker: c.speaker.clone(),
                        kind: c.kind.clone(),
                        date: c.date.map(|d| d.to_string()),
                        facts: serde_json::to_string(c).unwrap_or_default(),
                        keys: sitrep_track::keys(c)
                            .into_iter()
                            .map(|k| k as i64)
                            .collect(),
                    });
                }
            }
        }
    }
    Ok(denials)
}

/// How far back a step looks for stored forward-looking events a new report could settle:
/// longer windows than this ("within months" of a year ago) are settled by the clock alone.
const LOOKBACK_DAYS: u64 = 366;

/// Verdicts for the new events and for the stored ones they (or the clock) bear on. The
/// stored events of the new events' types and dates are read once and indexed by place, so
/// each verdict reads only the events that could be its deed.
fn verdict_step(
    store: &Store,
    new: &[EventFacts],
    renewed: &HashSet<&str>,
    threads: &HashMap<(String, String), ThreadView>,
    rules: &Rules,
    batch: &mut TrackBatch,
) -> Result<(), StoreError> {
    let clock = store.clock()?;
    let stored_of = |rows: Vec<TrackedEvent>| -> Vec<EventFacts> {
        rows.into_iter()
            .filter(|r| !renewed.contains(r.article_id.as_str()))
            .filter_map(|r| serde_json::from_str(&r.facts).ok())
            .collect()
    };
    // Pending ones past due, and forward-looking ones whose threads now hold a denial: judged
    // again whatever the new events are.
    let mut again: Vec<EventFacts> = match &clock {
        Some(clock) => stored_of(store.pending_past_due(clock)?),
        None => Vec::new(),
    };
    again.extend(denied_in_threads(store, threads, renewed, &stored_of)?);
    let index = Index::new(
        nearby(store, new, &again, rules, &stored_of)?,
        &rules.settle,
    );
    let is_new: HashSet<(&str, &str)> = new
        .iter()
        .map(|e| (e.article.as_str(), e.event.as_str()))
        .collect();
    // Stored events the new ones may settle or corroborate.
    let days = rules.settle.corroboration_days;
    let mut affected: Vec<EventFacts> = Vec::new();
    for e in new
        .iter()
        .filter(|e| !FORWARD_MODES.contains(&e.mode.as_str()))
    {
        let Some(day) = e.date else { continue };
        affected.extend(
            index
                .near(e)
                .into_iter()
                .filter(|o| !is_new.contains(&(o.article.as_str(), o.event.as_str())))
                .filter(|o| match sitrep_track::settle::window(o) {
                    Some((from, due)) if FORWARD_MODES.contains(&o.mode.as_str()) => {
                        from <= day && day <= due
                    }
                    _ => {
                        o.mode == "alleged"
                            && o.date.is_some_and(|d| (d - day).num_days().abs() <= days)
                    }
                })
                .cloned(),
        );
    }
    affected.extend(again);
    let mut seen = HashSet::new();
    affected.retain(|e| seen.insert((e.article.clone(), e.event.clone())));
    let clock = clock.as_deref().and_then(|c| c.parse().ok());
    let alone: ThreadView = Default::default();
    for (e, fresh) in new
        .iter()
        .map(|e| (e, true))
        .chain(affected.iter().map(|e| (e, false)))
    {
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
        let candidates: Vec<EventFacts> = index
            .near(e)
            .into_iter()
            .filter(|o| !(HAPPENED_MODES.contains(&o.mode.as_str()) && own(o)))
            .cloned()
            .collect();
        let (status, corroboration, verdict) = if FORWARD_MODES.contains(&e.mode.as_str()) {
            let v =
                clock.and_then(|c| sitrep_track::settle(e, &candidates, denials, c, &rules.settle));
            (
                v.as_ref().map(|v| v.status.clone()),
                None,
                v.map(|v| serde_json::to_string(&v).unwrap_or_default()),
            )
        } else if let Some(c) = sitrep_track::corroborate(e, &candidates, denials, &rules.settle) {
            (
                None,
                Some(c.corroboration.clone()),
                Some(serde_json::to_string(&c).unwrap_or_default()),
            )
        } else {
            (None, None, None)
        };
        let row = TrackedEvent {
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
        };
        if fresh {
            batch.events.push(row);
        } else {
            batch.verdicts.push(row);
        }
    }
    Ok(())
}

/// The new events and the stored events that could bear on them or on the stored events
/// judged `again`: of their types, dated from a year before the earliest new one (the stored
/// forward-looking events it could settle) or from the earliest judged again, to a few days
/// after the latest date or due date. All a verdict of this step reads.
fn nearby(
    store: &Store,
    new: &[EventFacts],
    again: &[EventFacts],
    rules: &Rules,
    stored_of: &dyn Fn(Vec<TrackedEvent>) -> Vec<EventFacts>,
) -> Result<Vec<EventFacts>, StoreError> {
    let days = chrono::Days::new(rules.settle.corroboration_days as u64);
    let mut spans: BTreeMap<&str, (chrono::NaiveDate, chrono::NaiveDate)> = BTreeMap::new();
    let lookback = chrono::Days::new(LOOKBACK_DAYS);
    for (e, back) in new
        .iter()
        .map(|e| (e, lookback))
        .chain(again.iter().map(|e| (e, days)))
    {
        let Some(date) = e.said.or(e.date) else {
            continue;
        };
        let (from, until) = (
            date - back,
            e.due.unwrap_or(date).max(e.date.unwrap_or(date)),
        );
        let span = spans.entry(e.event_type.as_str()).or_insert((from, until));
        span.0 = span.0.min(from);
        span.1 = span.1.max(until);
    }
    let mut out: Vec<EventFacts> = new.to_vec();
    for (event_type, (from, until)) in spans {
        let from = from.to_string();
        let rows = store.tracked_events_between(event_type, &from, &(until + days).to_string())?;
        out.extend(stored_of(rows));
    }
    Ok(out)
}

/// Stored forward-looking events whose claims' threads hold a denial.
fn denied_in_threads(
    store: &Store,
    threads: &HashMap<(String, String), ThreadView>,
    renewed: &HashSet<&str>,
    stored_of: &dyn Fn(Vec<TrackedEvent>) -> Vec<EventFacts>,
) -> Result<Vec<EventFacts>, StoreError> {
    let denied: BTreeSet<(&String, &String)> = threads
        .iter()
        .filter(|(id, t)| !t.0.is_empty() && !renewed.contains(id.0.as_str()))
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
        .filter(|e| {
            FORWARD_MODES.contains(&e.mode.as_str())
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

/// Forward-looking events with their status, optionally one status only; oldest first.
pub fn predictions(store: &Store, status: Option<&str>) -> Result<Vec<PredictionRow>, StoreError> {
    Ok(store
        .tracked_events(status, false)?
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
