//! Claim threads: statements in different articles that make the same claim, and the replies
//! (denials, confirmations) that answer it.
//!
//! Two statements are linked by [`link`], a pure test of the pair; a thread is a connected
//! group of links. Connected groups do not depend on the order statements arrive in, so a
//! store that adds articles in batches ends with the threads it would have had from all of
//! them at once. Candidates for a link are found by [`keys`], never by comparing everything.

use crate::facts::{jaccard, ClaimFacts};
use crate::rules::ThreadRules;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// One statement of a thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub article: String,
    pub statement: String,
    pub speaker: Option<String>,
    pub outlet: Option<String>,
    pub date: Option<NaiveDate>,
    /// origin, repeat, relay, denial or confirmation.
    pub relation: String,
    /// The link that joined it, as a rule ("origin" for the first).
    pub rule: String,
}

/// A claim across articles: its statements in order, the first one the origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thread {
    pub thread: String,
    pub first_seen: Option<NaiveDate>,
    pub claims: Vec<Member>,
}

/// Whether a statement answers a claim rather than makes one.
fn reply(c: &ClaimFacts) -> Option<&'static str> {
    match c.kind.as_str() {
        "denial" => Some("denial"),
        "confirmation" => Some("confirmation"),
        _ => None,
    }
}

/// The keys a statement is stored under: two statements that may be the same claim share a
/// word band (MinHash over content words) or an event (its type and place or actor); a claim is
/// stored under the names of its events' actors, a reply under its speaker's, so that each
/// finds the other through [`lookup_keys`].
pub fn keys(c: &ClaimFacts) -> Vec<u64> {
    let mut keys = word_keys(c);
    keys.extend(event_keys(c));
    keys.extend(name_keys(c, reply(c).is_some()));
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The keys a statement looks others up by, in two reaches: word bands and names for
/// statements said months apart (repeats, and replies: a claim looks for replies by the
/// actors it names, a reply for the claims that name its speaker; two claims naming the same
/// actor do not meet by that name, "militants" is in half the news); events for statements
/// said within days (one incident), since "an attack by militants" is in the news every day.
pub fn lookup_keys(c: &ClaimFacts) -> (Vec<u64>, Vec<u64>) {
    let mut far = word_keys(c);
    far.extend(name_keys(c, reply(c).is_none()));
    (far, event_keys(c))
}

fn word_keys(c: &ClaimFacts) -> Vec<u64> {
    const HASHES: usize = 16;
    let mut keys = Vec::new();
    if !c.words.is_empty() {
        let mins: Vec<u64> = (0..HASHES as u64)
            .map(|seed| {
                c.words
                    .iter()
                    .map(|w| xxh3_64_with_seed(&w.to_le_bytes(), seed))
                    .min()
                    .unwrap_or(0)
            })
            .collect();
        for (band, pair) in mins.chunks(2).enumerate() {
            keys.push(key(&format!("w{band}:{}:{}", pair[0], pair[1])));
        }
    }
    keys
}

fn event_keys(c: &ClaimFacts) -> Vec<u64> {
    let mut keys = Vec::new();
    for e in &c.events {
        if let Some(place) = &e.place {
            keys.push(key(&format!("ep:{}:{place}", e.event_type)));
        }
        for actor in &e.actors {
            keys.push(key(&format!("ea:{}:{actor}", e.event_type)));
        }
    }
    keys
}

/// Name keys in the replier's role (`who`: a reply's speaker, or the actors a claim looks
/// for replies from) or the claim's (`named`: the actors a claim names, or the speaker a reply
/// looks for claims about).
fn name_keys(c: &ClaimFacts, as_replier: bool) -> Vec<u64> {
    let role = if as_replier { "who" } else { "named" };
    let names: Vec<String> = if reply(c).is_some() {
        c.speaker.iter().map(|s| s.to_lowercase()).collect()
    } else {
        c.events
            .iter()
            .flat_map(|e| e.actors.iter().cloned())
            .collect()
    };
    names.iter().map(|n| key(&format!("{role}:{n}"))).collect()
}

fn key(text: &str) -> u64 {
    // Stored as SQLite integers: keep the top bit clear.
    xxh3_64(text.as_bytes()) >> 1
}

/// Why two statements are one claim, or None.
pub fn link(a: &ClaimFacts, b: &ClaimFacts, rules: &ThreadRules) -> Option<&'static str> {
    if a.article == b.article && a.statement == b.statement {
        return None;
    }
    if let (Some(x), Some(y)) = (a.date, b.date) {
        if (x - y).num_days().abs() > rules.max_days {
            return None;
        }
    }
    let replying = reply(a).is_some() != reply(b).is_some();
    // Within one article only a reply links: the rest is one speech told twice.
    if a.article == b.article && !replying {
        return None;
    }
    // A few words ("killed", "the attack") say too little to be anyone's claim in particular.
    if a.words.len().min(b.words.len()) < rules.min_words && !replying {
        return None;
    }
    let words = jaccard(&a.words, &b.words);
    // One incident is reported within days: the same kind of deed at the same place (or by
    // the same actor) months apart is another incident in the same words.
    let days_apart = match (a.date, b.date) {
        (Some(x), Some(y)) => (x - y).num_days().abs(),
        _ => 0,
    };
    let event = days_apart <= rules.event_days && shared_event(a, b);
    let topic = a
        .tags
        .iter()
        .any(|t| b.tags.contains(t) && rules.specific_tags.contains(t));
    // Formula sentences ("terrorists fired rocket shells on ...") share most words: far apart
    // in time, or at places none of which is the other's, only near-verbatim words are a repeat.
    let verbatim = words >= rules.verbatim_words;
    let apart = days_apart > rules.event_days || other_places(a, b);
    if words >= rules.same_words && (verbatim || !apart) {
        return Some("same words");
    }
    if words >= rules.shared_words && (event || topic) {
        return Some("shared words and event or topic");
    }
    // The same claimant (or its side: two Russian agencies) on the same specific topic.
    let same_side = !replying
        && (a.speaker.is_some() && a.speaker == b.speaker || a.side.is_some() && a.side == b.side);
    if same_side && topic && words >= rules.reply_words {
        return Some("the same side on the same specific topic");
    }
    if !replying {
        return None;
    }
    let (answer, claim) = if reply(a).is_some() { (a, b) } else { (b, a) };
    if words >= rules.reply_words && (event || topic) {
        return Some("reply sharing words and event or topic");
    }
    let names_replier = answer.speaker.as_ref().is_some_and(|s| {
        let s = s.to_lowercase();
        claim.names.contains(&s) || claim.events.iter().any(|e| e.actors.contains(&s))
    });
    (names_replier && (event || topic || a.article == b.article))
        .then_some("reply by the one the claim names")
}

/// Whether both statements place their events and no place is in both.
fn other_places(a: &ClaimFacts, b: &ClaimFacts) -> bool {
    let places = |c: &ClaimFacts| {
        c.events
            .iter()
            .filter_map(|e| e.place.clone())
            .collect::<Vec<_>>()
    };
    let (pa, pb) = (places(a), places(b));
    !pa.is_empty() && !pb.is_empty() && !pa.iter().any(|p| pb.contains(p))
}

fn shared_event(a: &ClaimFacts, b: &ClaimFacts) -> bool {
    a.events.iter().any(|x| {
        b.events.iter().any(|y| {
            x.event_type == y.event_type
                && (x.place.is_some() && x.place == y.place
                    || x.actors.iter().any(|n| y.actors.contains(n)))
        })
    })
}

/// The threads of a set of statements: connected groups of links, candidates found by keys.
/// Statements that link to nothing are threads of one.
pub fn group(claims: &[ClaimFacts], rules: &ThreadRules) -> Vec<Thread> {
    let mut parent: Vec<usize> = (0..claims.len()).collect();
    let mut rule_of: HashMap<(usize, usize), &'static str> = HashMap::new();
    // Shared keys pair statements within a bucket (an event's only within days, as
    // `lookup_keys` reaches); a statement's name lookups pair it with those stored under that
    // name in the other role.
    let mut by_word: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut by_event: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, c) in claims.iter().enumerate() {
        for k in word_keys(c) {
            by_word.entry(k).or_default().push(i);
        }
        for k in event_keys(c) {
            by_event.entry(k).or_default().push(i);
        }
        for k in name_keys(c, reply(c).is_some()) {
            by_name.entry(k).or_default().push(i);
        }
    }
    let within_days = |i: usize, j: usize| match (claims[i].date, claims[j].date) {
        (Some(a), Some(b)) => (a - b).num_days().abs() <= rules.event_days,
        _ => true,
    };
    let mut candidates: Vec<(usize, usize)> = Vec::new();
    for (buckets, near) in [(&by_word, false), (&by_event, true)] {
        for bucket in buckets.values() {
            for (x, &i) in bucket.iter().enumerate() {
                let pairs = bucket[x + 1..].iter().map(|&j| (i, j));
                candidates.extend(pairs.filter(|&(i, j)| !near || within_days(i, j)));
            }
        }
    }
    for (i, c) in claims.iter().enumerate() {
        for k in name_keys(c, reply(c).is_none()) {
            candidates.extend(
                by_name
                    .get(&k)
                    .into_iter()
                    .flatten()
                    .map(|&j| (i.min(j), i.max(j))),
            );
        }
    }
    // A reply joins the one claim it answers best, so that it never bridges two claims; and a
    // claim joins, of another article's statements, only the one it matches best when that
    // one matches it best too, so that a wire copy's statements pair off one to one instead of
    // chaining every statement of both articles into one thread.
    let mut answers: HashMap<usize, (f64, usize)> = HashMap::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut best: HashMap<(usize, &str), (f64, usize)> = HashMap::new();
    let mut offer = |from: usize, to: usize, score: f64| {
        let slot = best
            .entry((from, claims[to].article.as_str()))
            .or_insert((score, to));
        if score > slot.0
            || score == slot.0 && claim_order(&claims[to]) < claim_order(&claims[slot.1])
        {
            *slot = (score, to);
        }
    };
    candidates.sort_unstable();
    candidates.dedup();
    for (i, j) in candidates.into_iter().filter(|(i, j)| i != j) {
        let Some(rule) = link(&claims[i], &claims[j], rules) else {
            continue;
        };
        rule_of.insert((i, j), rule);
        rule_of.insert((j, i), rule);
        match (reply(&claims[i]).is_some(), reply(&claims[j]).is_some()) {
            (true, false) | (false, true) => {
                let (r, c) = if reply(&claims[i]).is_some() {
                    (i, j)
                } else {
                    (j, i)
                };
                let score = jaccard(&claims[r].words, &claims[c].words);
                let better = answers.get(&r).is_none_or(|&(s, old)| {
                    score > s || score == s && claim_order(&claims[c]) < claim_order(&claims[old])
                });
                if better {
                    answers.insert(r, (score, c));
                }
            }
            _ => {
                let score = jaccard(&claims[i].words, &claims[j].words);
                offer(i, j, score);
                offer(j, i, score);
                pairs.push((i, j));
            }
        }
    }
    let chosen = |from: usize, to: usize| {
        best.get(&(from, claims[to].article.as_str())).map(|b| b.1) == Some(to)
    };
    for (i, j) in pairs {
        if chosen(i, j) && chosen(j, i) {
            union(&mut parent, i, j);
        }
    }
    for (r, (_, c)) in answers {
        union(&mut parent, r, c);
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..claims.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut threads: Vec<Thread> = groups
        .into_values()
        .map(|members| thread(claims, members, &rule_of, rules))
        .collect();
    threads.sort_by(|a, b| (a.first_seen, &a.thread).cmp(&(b.first_seen, &b.thread)));
    threads
}

fn union(parent: &mut [usize], i: usize, j: usize) {
    let (ri, rj) = (root(parent, i), root(parent, j));
    parent[ri.max(rj)] = ri.min(rj);
}

/// Statements in order of date (undated last), then article and statement number.
fn claim_order(c: &ClaimFacts) -> (bool, Option<NaiveDate>, &str, u64) {
    (
        c.date.is_none(),
        c.date,
        c.article.as_str(),
        statement_number(&c.statement),
    )
}

fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// One thread from its members: in order of date (undated last), then article and statement;
/// the first claim (not a reply) is the origin.
fn thread(
    claims: &[ClaimFacts],
    mut members: Vec<usize>,
    rule_of: &HashMap<(usize, usize), &'static str>,
    rules: &ThreadRules,
) -> Thread {
    members.sort_by(|&a, &b| claim_order(&claims[a]).cmp(&claim_order(&claims[b])));
    let origin = *members
        .iter()
        .find(|&&i| reply(&claims[i]).is_none())
        .unwrap_or(&members[0]);
    let mut out: Vec<Member> = Vec::with_capacity(members.len());
    for (n, &i) in members.iter().enumerate() {
        let c = &claims[i];
        let earlier = &members[..n];
        let relation = if i == origin {
            "origin"
        } else if let Some(r) = reply(c) {
            r
        } else if !c.near_duplicate && earlier.iter().any(|&j| repeats(c, &claims[j], rules)) {
            "repeat"
        } else {
            "relay"
        };
        // The link to the nearest earlier member that joined it (any member, for the origin).
        let rule = if i == origin {
            "origin"
        } else {
            members
                .iter()
                .filter_map(|&j| rule_of.get(&(i, j)))
                .next()
                .copied()
                .unwrap_or("linked through another claim of the thread")
        };
        out.push(Member {
            article: c.article.clone(),
            statement: c.statement.clone(),
            speaker: c.speaker.clone(),
            outlet: c.outlet.clone(),
            date: c.date,
            relation: relation.to_string(),
            rule: rule.to_string(),
        });
    }
    let o = &claims[origin];
    Thread {
        thread: format!(
            "t{:012x}",
            xxh3_64(format!("{}/{}", o.article, o.statement).as_bytes()) >> 16
        ),
        first_seen: members.iter().filter_map(|&i| claims[i].date).min(),
        claims: out,
    }
}

/// Whether `later` is its speaker saying `earlier` again on another occasion (days later),
/// not another outlet carrying the same words.
fn repeats(later: &ClaimFacts, earlier: &ClaimFacts, rules: &ThreadRules) -> bool {
    let same_speaker = match (&later.speaker, &earlier.speaker) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        _ => false,
    };
    let days = match (later.date, earlier.date) {
        (Some(a), Some(b)) => (a - b).num_days().abs(),
        _ => 0,
    };
    same_speaker && days >= rules.repeat_days
}

/// "s12" → 12, so that s2 sorts before s10.
fn statement_number(id: &str) -> u64 {
    id.trim_start_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .unwrap_or(u64::MAX)
}
