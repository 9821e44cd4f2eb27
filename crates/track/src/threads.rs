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

/// How far apart in time two statements sharing a key may be and still be compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Within `event_days`: one incident's reports.
    Near,
    /// Within `max_days`: a claim repeated or answered months later.
    Far,
}

/// A statement's keys: those it is stored under and those it looks others up by. Two
/// statements are compared when one looks up a key the other is stored under, within the
/// key's reach. The same keys find candidates in the store ([`Keys::lookup`]) and inside a
/// batch ([`group`]), so a store that tracks articles in batches compares the same pairs as
/// one that takes them all at once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keys {
    pub stored: Vec<(u64, Reach)>,
    pub lookup: Vec<(u64, Reach)>,
}

/// The keys of a statement.
///
/// - Word bands (MinHash over content words), near: most same-incident reports share one.
/// - The speaker's word bands, far: the same speaker's (or a relay of the same speaker's)
///   near-verbatim claim months later. Unqualified word bands reaching months would pair
///   every formula sentence with every other ("forces", "killed", "civilians").
/// - Events (type with place, or with actor), near: "an attack by militants" is in the news
///   every day, one incident within days.
/// - Specific topics ("chemical"), far: claims and replies on one rare topic.
/// - Names, near: a reply is stored under its speaker and looks up the claims that name it
///   as an actor, and the other way round; two claims naming the same actor do not meet by
///   that name ("militants" is in half the news).
pub fn keys(c: &ClaimFacts, rules: &ThreadRules) -> Keys {
    let mut both: Vec<(u64, Reach)> = Vec::new();
    let mins = min_hashes(&c.words);
    if !mins.is_empty() {
        for (band, pair) in mins[..NEAR_HASHES].chunks(2).enumerate() {
            both.push((
                key(&format!("w{band}:{}:{}", pair[0], pair[1])),
                Reach::Near,
            ));
        }
        if let Some(speaker) = &c.speaker {
            let speaker = speaker.to_lowercase();
            for (band, rows) in mins.chunks(FAR_ROWS).enumerate() {
                both.push((key(&format!("sw{band}:{speaker}:{rows:?}")), Reach::Far));
            }
        }
    }
    for e in &c.events {
        if let Some(place) = &e.place {
            both.push((key(&format!("ep:{}:{place}", e.event_type)), Reach::Near));
        }
        for actor in &e.actors {
            both.push((key(&format!("ea:{}:{actor}", e.event_type)), Reach::Near));
        }
    }
    for tag in c.tags.iter().filter(|t| rules.specific_tags.contains(t)) {
        both.push((key(&format!("t:{tag}")), Reach::Far));
    }
    let names = |role: &str| -> Vec<(u64, Reach)> {
        let names: Vec<String> = if reply(c).is_some() {
            c.speaker.iter().map(|s| s.to_lowercase()).collect()
        } else {
            c.events.iter().flat_map(|e| e.actors.clone()).collect()
        };
        names
            .iter()
            .map(|n| (key(&format!("{role}:{n}")), Reach::Near))
            .collect()
    };
    // A reply is stored as the one who replies ("who") and looks for claims that name it
    // ("named"); a claim the other way round.
    let (stored_as, looks_for) = if reply(c).is_some() {
        ("who", "named")
    } else {
        ("named", "who")
    };
    let mut keys = Keys {
        stored: [both.clone(), names(stored_as)].concat(),
        lookup: [both, names(looks_for)].concat(),
    };
    for list in [&mut keys.stored, &mut keys.lookup] {
        list.sort_unstable_by_key(|&(k, r)| (k, r == Reach::Far));
        list.dedup();
    }
    keys
}

/// MinHashes of the near bands (two rows each) and, all of them, of the far bands.
const NEAR_HASHES: usize = 16;
const FAR_HASHES: usize = 32;
/// Rows of a far band: four, so that only near-verbatim words share one.
const FAR_ROWS: usize = 4;

fn min_hashes(words: &[u32]) -> Vec<u64> {
    if words.is_empty() {
        return Vec::new();
    }
    (0..FAR_HASHES as u64)
        .map(|seed| {
            words
                .iter()
                .map(|w| xxh3_64_with_seed(&w.to_le_bytes(), seed))
                .min()
                .unwrap_or(0)
        })
        .collect()
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

/// Pairs of statements (indices, smaller first) that share a key within its reach: the only
/// pairs ever compared.
fn candidate_pairs(claims: &[&ClaimFacts], rules: &ThreadRules) -> Vec<(usize, usize)> {
    let keys: Vec<Keys> = claims.iter().map(|c| keys(c, rules)).collect();
    let mut stored: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        for &(key, _) in &k.stored {
            stored.entry(key).or_default().push(i);
        }
    }
    let within = |i: usize, j: usize, reach: Reach| match (claims[i].date, claims[j].date) {
        (Some(a), Some(b)) => {
            let days = match reach {
                Reach::Near => rules.event_days,
                Reach::Far => rules.max_days,
            };
            (a - b).num_days().abs() <= days
        }
        _ => true,
    };
    let mut pairs = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        for &(key, reach) in &k.lookup {
            let others = stored.get(&key).into_iter().flatten();
            pairs.extend(
                others
                    .filter(|&&j| j != i && within(i, j, reach))
                    .map(|&j| (i.min(j), i.max(j))),
            );
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Which of the `stored` statements link to any of the `new` ones: the threads a batch can
/// change are theirs (and the new statements' own).
pub fn linked(new: &[ClaimFacts], stored: &[ClaimFacts], rules: &ThreadRules) -> Vec<bool> {
    let all: Vec<&ClaimFacts> = new.iter().chain(stored).collect();
    let mut out = vec![false; stored.len()];
    for (i, j) in candidate_pairs(&all, rules) {
        // Pairs are ordered, new statements first: `i` new and `j` stored, or both new.
        if i < new.len() && j >= new.len() && link(all[i], all[j], rules).is_some() {
            out[j - new.len()] = true;
        }
    }
    out
}

/// The threads of a set of statements: connected groups of links, candidates found by keys.
/// Statements that link to nothing are threads of one.
pub fn group(claims: &[ClaimFacts], rules: &ThreadRules) -> Vec<Thread> {
    let mut parent: Vec<usize> = (0..claims.len()).collect();
    let mut rule_of: HashMap<(usize, usize), &'static str> = HashMap::new();
    let refs: Vec<&ClaimFacts> = claims.iter().collect();
    let candidates = candidate_pairs(&refs, rules);
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
    for (i, j) in candidates {
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
