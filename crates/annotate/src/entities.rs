//! Mentions of actors and people, and the entities they refer to within one article.
//!
//! In order: dictionary names (one automaton pass); people named with a title ("Major General
//! Oleg Yegorov") or described by an apposition ("Omer Celik, a spokesperson for ..."); a
//! capitalisation fallback for names a speech cue, a role noun or an organisation head word
//! vouches for; acronyms defined in the text ("Hayat Tahrir al-Sham (HTS)"); "formerly known
//! as" links; and later short forms — a surname, "the general" — resolved to their entity.

use crate::resources::Resources;
use crate::times;
use regex::Regex;
use sitrep_actors::{ActorMatch, NameKind, Named};
use sitrep_core::text::CALENDAR_WORDS;
use sitrep_core::{PartialDate, Span};
use sitrep_tokens::{Layout, TokenKind};
use std::collections::HashSet;
use std::sync::LazyLock;

#[derive(Debug, Clone)]
pub(crate) struct DraftMention {
    pub span: Span,
    pub kind: &'static str,
    pub entity: Option<usize>,
    pub rule: String,
    pub time: Option<PartialDate>,
    pub time_until: Option<PartialDate>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct DraftEntity {
    pub kind: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub former_names: Vec<String>,
    pub titles: Vec<String>,
    pub roles: Vec<String>,
    pub country: Option<String>,
    pub code: Option<String>,
    /// The dictionary actor behind it, if any.
    pub actor: Option<usize>,
    /// Merged into another entity ("formerly known as"): its mentions were moved there.
    pub merged_into: Option<usize>,
    /// A place's gazetteer id, when resolved.
    pub gazetteer_id: Option<String>,
    /// The gazetteer entry a place resolved to.
    pub place: Option<sitrep_gazetteer::Candidate>,
    /// For an unresolved place: the region entity it lies in.
    pub within: Option<usize>,
}

impl DraftEntity {
    pub fn is_person(&self) -> bool {
        self.kind == "person"
    }

    /// What "the group" or "the organisation" can stand for: a body with a name of its own (a
    /// dictionary's armed group, party, NGO or other organisation, or a capitalised name), not
    /// a state's government or forces, a country, or a class of people ("militants").
    fn is_named_group(&self) -> bool {
        let agent = self.actor.is_none() && self.code.is_some();
        !agent
            && matches!(
                self.kind.as_str(),
                "armed_group" | "party" | "opposition" | "ngo" | "igo" | "media" | "organization"
            )
    }

    fn add_alias(&mut self, alias: &str) {
        if alias != self.name && !self.aliases.iter().any(|a| a == alias) {
            self.aliases.push(alias.to_string());
        }
    }

    fn add(list: &mut Vec<String>, value: String) {
        if !value.is_empty() && !list.contains(&value) {
            list.push(value);
        }
    }
}

/// The mentions and entities of one text.
pub(crate) struct Draft<'a> {
    pub text: &'a str,
    pub layout: &'a Layout,
    /// What rules out a pronoun standing for a name ("he" for "Ms Blampied").
    pub gendered_titles: &'a crate::resources::GenderedTitles,
    pub mentions: Vec<DraftMention>,
    pub entities: Vec<DraftEntity>,
    /// Agents found with no country before them: (mention index, agent index).
    lone_agents: Vec<(usize, usize)>,
}

impl<'a> Draft<'a> {
    /// A draft with no mentions or entities yet.
    pub(crate) fn new(text: &'a str, layout: &'a Layout, resources: &'a Resources) -> Self {
        Draft {
            text,
            layout,
            gendered_titles: &resources.gendered_titles,
            mentions: Vec::new(),
            entities: Vec::new(),
            lone_agents: Vec::new(),
        }
    }

    fn overlaps(&self, span: Span) -> bool {
        self.mentions
            .iter()
            .any(|m| m.span.start < span.end && span.start < m.span.end && m.kind != "time")
    }

    pub(crate) fn mention(
        &mut self,
        span: Span,
        kind: &'static str,
        entity: Option<usize>,
        rule: String,
    ) {
        self.mentions.push(DraftMention {
            span,
            kind,
            entity,
            rule,
            time: None,
            time_until: None,
        });
    }

    pub(crate) fn new_entity(&mut self, entity: DraftEntity) -> usize {
        self.entities.push(entity);
        self.entities.len() - 1
    }

    fn tok(&self, i: usize) -> &'a str {
        let t = self.layout.tokens[i];
        &self.text[t.span.start..t.span.end]
    }

    /// The mention whose span is exactly this, or ends at `end`.
    fn mention_ending_at(&self, end: usize) -> Option<usize> {
        self.mentions
            .iter()
            .position(|m| m.kind != "time" && m.span.end == end)
    }

    /// The live entity a (possibly merged) entity index stands for.
    pub fn resolve(&self, mut e: usize) -> usize {
        while let Some(into) = self.entities[e].merged_into {
            e = into;
        }
        e
    }
}

/// Finds mentions and entities; `published` anchors relative times and picks dated codes, and
/// the outlet's home makes places there likelier.
pub(crate) fn find<'a>(
    text: &'a str,
    layout: &'a Layout,
    resources: &'a Resources,
    published: Option<&PartialDate>,
    outlet_home: Option<&crate::Home>,
) -> Draft<'a> {
    let anchor = published.and_then(times::Anchor::of);
    let published_day = published
        .and_then(PartialDate::first_day)
        .map(|d| d.to_string());
    let mut draft = Draft::new(text, layout, resources);
    let home_town = outlet_home.and_then(|h| h.town.as_deref());
    dictionary_mentions(&mut draft, resources, published_day, home_town);
    agents_of_countries_after(&mut draft, resources);
    titled_people(&mut draft, resources);
    apposition_people(&mut draft, resources);
    capitalised_fallback(&mut draft, resources);
    acronyms(&mut draft);
    formerly_known_as(&mut draft);
    surnames(&mut draft);
    roles_after_names(&mut draft, resources);
    nominal_references(&mut draft, resources);
    crate::places::resolve(&mut draft, resources, outlet_home);
    for t in times::find(text, anchor) {
        draft.mentions.push(DraftMention {
            span: t.span,
            kind: "time",
            entity: None,
            rule: t.rule.into(),
            time: t.value,
            time_until: t.until,
        });
    }
    draft
        .mentions
        .sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
    draft
}

fn mention_kind(actor_kind: &str, name_kind: NameKind) -> &'static str {
    match (actor_kind, name_kind) {
        ("person", _) => "person",
        ("armed_group", _) => "group",
        ("country" | "region", NameKind::Name | NameKind::Alias | NameKind::Former) => "place",
        _ => "organization",
    }
}

/// The dictionary's actors named in the text. A local paper's own town is no country of its
/// name ("Lebanon police" in a Lebanon, Pennsylvania paper): the place layer reads it.
fn dictionary_mentions(
    draft: &mut Draft<'_>,
    resources: &Resources,
    date: Option<String>,
    home_town: Option<&str>,
) {
    let found = resources.matcher.find(draft.text);
    for (i, m) in found.iter().enumerate() {
        let m = *m;
        if let (Named::Actor(actor), Some(town)) = (m.named, home_town) {
            let country = resources.dictionary.actors[actor].kind == "country";
            if country && &draft.text[m.span.start..m.span.end] == town {
                continue;
            }
        }
        // A capital stands for its government only on its own: "Paris police" and "Paris
        // Regional Medical Center" are the city (the place layer takes them).
        if m.kind == NameKind::Metonym {
            let rest = &draft.text[m.span.end..];
            let modifies_next = rest.starts_with(' ')
                && (rest[1..].starts_with(|c: char| c.is_uppercase())
                    || found.get(i + 1).is_some_and(|next| {
                        next.span.start == m.span.end + 1 && matches!(next.named, Named::Agent(_))
                    }));
            if modifies_next {
                continue;
            }
        }
        match m.named {
            Named::Actor(actor) => {
                actor_mention(draft, resources, m, actor, date.as_deref());
                if let Some((people, index)) = people_leading(resources, draft.text, m, actor) {
                    actor_mention(draft, resources, people, index, date.as_deref());
                }
            }
            Named::Agent(agent) => agent_mention(draft, resources, m, agent),
        }
    }
}

/// The country or region whose name or people's adjective opens another actor's name:
/// "Syrian" in "Syrian army", "Russian" in "Russian Defence Ministry" — a mention of its own,
/// which puts the country on the map.
pub(crate) fn people_leading(
    resources: &Resources,
    text: &str,
    m: ActorMatch,
    actor: usize,
) -> Option<(ActorMatch, usize)> {
    // Not for a country or region itself, nor for a union of states named after its region
    // ("European Union").
    let kind = resources.dictionary.actors[actor].kind.as_str();
    if matches!(kind, "country" | "region" | "igo") {
        return None;
    }
    let surface = &text[m.span.start..m.span.end];
    let first = surface
        .split(' ')
        .next()
        .filter(|w| w.len() < surface.len())?;
    resources.matcher.find(first).into_iter().find_map(|inner| {
        let Named::Actor(a) = inner.named else {
            return None;
        };
        let whole_word = inner.span.start == 0 && inner.span.end == first.len();
        let people = matches!(
            resources.dictionary.actors[a].kind.as_str(),
            "country" | "region"
        );
        (whole_word && people).then_some((
            ActorMatch {
                span: Span {
                    start: m.span.start,
                    end: m.span.start + first.len(),
                },
                ..inner
            },
            a,
        ))
    })
}

fn actor_mention(
    draft: &mut Draft<'_>,
    resources: &Resources,
    m: ActorMatch,
    index: usize,
    date: Option<&str>,
) {
    let actor = &resources.dictionary.actors[index];
    let entity = match draft.entities.iter().position(|e| e.actor == Some(index)) {
        Some(e) => e,
        None => draft.new_entity(DraftEntity {
            kind: actor.kind.clone(),
            name: actor.name.clone(),
            former_names: actor.former_names.iter().map(|f| f.name.clone()).collect(),
            titles: actor.titles.clone(),
            roles: actor.roles.clone(),
            country: actor.country.clone(),
            code: actor.code_on(date).map(str::to_string),
            actor: Some(index),
            ..Default::default()
        }),
    };
    let surface = &draft.text[m.span.start..m.span.end];
    if m.kind == NameKind::Alias || m.kind == NameKind::Metonym {
        draft.entities[entity].add_alias(surface);
    }
    let rule = format!(
        "dictionary {} ({}: {:?})",
        actor.source,
        m.kind.as_str(),
        resources.matcher.pattern(m.pattern)
    );
    draft.mention(
        m.span,
        mention_kind(&actor.kind, m.kind),
        Some(entity),
        rule,
    );
}

/// The entity kind an agent code stands for.
fn agent_kind(code: &str) -> (&'static str, &'static str) {
    match code.get(..3).unwrap_or(code) {
        "MIL" => ("military", "organization"),
        "COP" | "SPY" => ("security_service", "organization"),
        "GOV" | "JUD" | "LEG" => ("government", "organization"),
        "REB" | "UAF" | "CRM" | "INS" => ("armed_group", "group"),
        "OPP" => ("opposition", "group"),
        "CVL" | "REF" => ("civilians", "group"),
        "HLH" => ("medical", "group"),
        "MED" => ("media", "organization"),
        "BUS" => ("business", "organization"),
        _ => ("organization", "organization"),
    }
}

/// The entity of an agent of a country ("Syrian police": SYR + COP = SYRCOP; MSF's `[NGO~]`
/// goes before the country's code): one entity per code in an article, named by `name` where
/// it is first made.
fn agent_of_country(
    draft: &mut Draft<'_>,
    agent: &sitrep_actors::Agent,
    country: usize,
    name: String,
) -> usize {
    let country_code = draft.entities[country].code.clone().unwrap_or_default();
    let code = if agent.before_country {
        format!("{}{country_code}", agent.code)
    } else {
        format!("{country_code}{}", agent.code)
    };
    if let Some(e) = draft
        .entities
        .iter()
        .position(|e| e.actor.is_none() && e.code.as_deref() == Some(code.as_str()))
    {
        return e;
    }
    let (entity_kind, _) = agent_kind(&agent.code);
    draft.new_entity(DraftEntity {
        kind: entity_kind.into(),
        name,
        country: Some(country_code),
        code: Some(code),
        ..Default::default()
    })
}

/// Whether the words between a country and an agent make it the country's: "Syrian police",
/// "Syria's government", "Gondor's main opposition group", "Dagolath's first Deputy Prime
/// Minister" (a possessive may take one lower-case word before the agent).
fn country_owns_agent(gap: &str) -> bool {
    if gap == " " {
        return true;
    }
    let Some(rest) = gap.strip_prefix("'s").or_else(|| gap.strip_prefix("’s")) else {
        return false;
    };
    let words: Vec<&str> = rest.split_whitespace().collect();
    rest.starts_with(' ')
        && rest.ends_with(' ')
        && words.len() <= 1
        && words.iter().all(|w| w.chars().all(|c| c.is_lowercase()))
}

/// A role noun ("police", "troops"), made a compound actor with the country named just
/// before it ("Syrian police": SYR + COP). Without one, the agent waits for a country named
/// after it ([`agents_of_countries_after`]).
fn agent_mention(draft: &mut Draft<'_>, resources: &Resources, m: ActorMatch, index: usize) {
    let agent = &resources.dictionary.agents[index];
    let country = draft
        .mentions
        .last()
        .filter(|prev| {
            prev.span.end < m.span.start
                && country_owns_agent(&draft.text[prev.span.end..m.span.start])
        })
        .and_then(|prev| Some((prev.span, prev.entity?)))
        .filter(|(_, e)| draft.entities[*e].kind == "country");
    let (span, entity) = match country {
        Some((country_span, e)) => {
            let name = draft.text[country_span.start..m.span.end].to_string();
            (
                Span {
                    start: country_span.start,
                    end: m.span.end,
                },
                agent_of_country(draft, agent, e, name),
            )
        }
        None => {
            // No country: CAMEO's "---" stands in for it ("---GOV": a government, whose
            // unknown).
            let code = if agent.before_country {
                agent.code.clone()
            } else {
                format!("---{}", agent.code)
            };
            let existing = draft
                .entities
                .iter()
                .position(|e| e.actor.is_none() && e.code.as_deref() == Some(code.as_str()));
            let entity = existing.unwrap_or_else(|| {
                draft.new_entity(DraftEntity {
                    kind: agent_kind(&agent.code).0.into(),
                    name: agent.name.clone(),
                    code: Some(code),
                    ..Default::default()
                })
            });
            draft.lone_agents.push((draft.mentions.len(), index));
            (m.span, entity)
        }
    };
    let (_, mention_kind) = agent_kind(&agent.code);
    let surface = draft.text[span.start..span.end].to_string();
    draft.entities[entity].add_alias(&surface);
    let rule = format!(
        "agent {} ({:?}){}",
        agent.source,
        resources.matcher.pattern(m.pattern),
        if country.is_some() {
            " after a country"
        } else {
            ""
        }
    );
    draft.mention(span, mention_kind, Some(entity), rule.clone());
    if country.is_some() {
        listed_countries_share_the_agent(draft, span, agent, mention_kind, &rule);
    }
}

/// "the Syrian, Russian, and Turkish militaries": the countries listed before a compound
/// actor each make their own (SYRMIL, RUSMIL, TURMIL), on their own words.
fn listed_countries_share_the_agent(
    draft: &mut Draft<'_>,
    compound: Span,
    agent: &sitrep_actors::Agent,
    mention_kind: &'static str,
    rule: &str,
) {
    let mut list_end = compound.start;
    // The mentions before the compound, nearest first (the compound itself is the last one).
    let before: Vec<usize> = (0..draft.mentions.len().saturating_sub(1)).rev().collect();
    for i in before {
        let (prev_span, prev_entity) = (draft.mentions[i].span, draft.mentions[i].entity);
        if prev_span.start >= compound.start {
            continue; // the country inside the compound itself
        }
        let gap = &draft.text[prev_span.end.min(list_end)..list_end];
        let Some(country) = prev_entity.filter(|&e| draft.entities[e].kind == "country") else {
            break;
        };
        if !is_list_gap(gap) || prev_span.end > list_end {
            break;
        }
        let name = format!(
            "{} {}",
            &draft.text[prev_span.start..prev_span.end],
            agent.name
        );
        let entity = agent_of_country(draft, agent, country, name);
        list_end = prev_span.start;
        let m = &mut draft.mentions[i];
        m.entity = Some(entity);
        m.kind = mention_kind;
        m.rule = format!("{rule}, listed before it");
    }
}

/// Whether the text between two names lists them.
fn is_list_gap(gap: &str) -> bool {
    matches!(gap, ", " | ", and " | " and " | ", or " | " or ")
}

/// "Soldiers from Gondor", "lawmakers in Fornost and Gondor", "the ambassadors of Arnor,
/// Osgiliath and Gondor", "MSF Arnor": an agent with no country before it takes the countries
/// named right after it, each its own compound actor on the country's words.
fn agents_of_countries_after(draft: &mut Draft<'_>, resources: &Resources) {
    // The mentions in text order, found by where they start (this pass moves no start and
    // adds no mention): a scan of every mention per agent would grow with the square of a
    // long report's length.
    let mut in_order: Vec<(usize, usize)> = (draft.mentions.iter().enumerate())
        .filter(|(_, m)| m.kind != "time")
        .map(|(i, m)| (m.span.start, i))
        .collect();
    in_order.sort_unstable();
    for (at, index) in std::mem::take(&mut draft.lone_agents) {
        let agent = &resources.dictionary.agents[index];
        let agent_span = draft.mentions[at].span;
        let next = |draft: &Draft<'_>, after: usize| {
            let first = in_order.partition_point(|&(start, _)| start < after);
            in_order.get(first).map(|&(_, i)| {
                let m = &draft.mentions[i];
                (i, m.span, m.entity)
            })
        };
        let Some((_, span, Some(country))) = next(draft, agent_span.end) else {
            continue;
        };
        let gap = &draft.text[agent_span.end..span.start];
        let joined = matches!(
            gap,
            " of " | " from " | " in " | " of the " | " from the " | " in the "
        ) || agent.before_country && gap == " ";
        if !joined || draft.entities[country].kind != "country" {
            continue;
        }
        let (_, mention_kind) = agent_kind(&agent.code);
        let rule = format!("agent {} before a country", agent.source);
        let name = draft.text[agent_span.start..span.end].to_string();
        let entity = agent_of_country(draft, agent, country, name);
        let m = &mut draft.mentions[at];
        m.span.end = span.end;
        m.entity = Some(entity);
        m.rule = rule.clone();
        // The countries listed after it each take the agent too.
        let mut list_end = span.end;
        while let Some((i, span, Some(country))) = next(draft, list_end) {
            if !is_list_gap(&draft.text[list_end..span.start])
                || draft.entities[country].kind != "country"
            {
                break;
            }
            let name = format!("{} {}", agent.name, &draft.text[span.start..span.end]);
            let entity = agent_of_country(draft, agent, country, name);
            let m = &mut draft.mentions[i];
            m.entity = Some(entity);
            m.kind = mention_kind;
            m.rule = format!("{rule}, listed after it");
            list_end = span.end;
        }
    }
}

/// Lower-case particles inside Arabic and European names: "Abu Mohammad al-Jolani".
fn is_name_token(word: &str) -> bool {
    let starts_upper = word.chars().next().is_some_and(char::is_uppercase);
    let particle = [
        "al-", "el-", "ad-", "as-", "ash-", "az-", "ar-", "bin", "ibn", "bint", "de", "van", "von",
        "di",
    ]
    .iter()
    .any(|p| word.starts_with(p) && (word.len() == p.len() || p.ends_with('-')));
    (starts_upper || particle)
        && word.chars().any(char::is_alphabetic)
        && !word.chars().all(|c| !c.is_lowercase())
}

/// Whether the token at `i` is a name's initial: one capital letter, its stop straight after
/// it, and a name in the same sentence after that ("Michael R. Pompeo"; not "Plan B. The").
fn is_initial(draft: &Draft<'_>, i: usize) -> bool {
    let tokens = &draft.layout.tokens;
    let (Some(stop), Some(next)) = (tokens.get(i + 1), tokens.get(i + 2)) else {
        return false;
    };
    let mut letters = draft.tok(i).chars();
    let capital = letters.next().is_some_and(char::is_uppercase) && letters.next().is_none();
    let same_sentence = |t: &sitrep_tokens::Token| {
        draft.layout.sentence_at(t.span.start) == draft.layout.sentence_at(tokens[i].span.start)
    };
    capital
        && draft.tok(i + 1) == "."
        && stop.span.start == tokens[i].span.end
        && next.kind == TokenKind::Word
        && is_name_token(draft.tok(i + 2))
        && !opens_no_name(draft.tok(i + 2))
        && same_sentence(next)
}

/// Possessive endings kept out of a name's span: "Erdogan’s" names "Erdogan".
fn without_possessive(word: &str) -> &str {
    word.strip_suffix("’s")
        .or_else(|| word.strip_suffix("'s"))
        .unwrap_or(word)
}

/// Name tokens from `start`: up to five, ending at a possessive. An initial and its stop
/// count as one ("George W. Bush", "J. Smith").
fn name_run(draft: &Draft<'_>, start: usize) -> Option<(Span, usize)> {
    let tokens = &draft.layout.tokens;
    let mut end = start;
    while end < tokens.len() && end - start < 5 && tokens[end].kind == TokenKind::Word {
        let initial = is_initial(draft, end);
        if !initial && !is_name_token(draft.tok(end)) {
            break;
        }
        let adjacent_gap = end > start
            && !draft.text[tokens[end - 1].span.end..tokens[end].span.start]
                .chars()
                .all(|c| c == ' ');
        if adjacent_gap {
            break;
        }
        end += if initial { 2 } else { 1 };
        if without_possessive(draft.tok(end - 1)).len() != draft.tok(end - 1).len() {
            break;
        }
    }
    // A bare particle ("bin", "de") cannot end a name; "al-Zein" can.
    while end > start && draft.tok(end - 1).chars().all(char::is_lowercase) {
        end -= 1;
    }
    (end > start).then(|| {
        let last = tokens[end - 1].span;
        let last_text = draft.tok(end - 1);
        let trimmed = last.end - (last_text.len() - without_possessive(last_text).len());
        (
            Span {
                start: tokens[start].span.start,
                end: trimmed,
            },
            end - start,
        )
    })
}

fn followed_by_cue(draft: &Draft<'_>, resources: &Resources, after_token: usize) -> bool {
    (after_token..(after_token + 3).min(draft.layout.tokens.len()))
        .map(|i| draft.tok(i))
        .take_while(|w| *w != ".")
        .any(|w| resources.cue(w).is_some())
}

fn token_index_at(draft: &Draft<'_>, offset: usize) -> Option<usize> {
    let i = draft
        .layout
        .tokens
        .partition_point(|t| t.span.start < offset);
    (i < draft.layout.tokens.len() && draft.layout.tokens[i].span.start == offset).then_some(i)
}

/// "Major General Oleg Yegorov", "President Recep Tayyip Erdogan".
fn titled_people(draft: &mut Draft<'_>, resources: &Resources) {
    // Where the dictionaries' names end: a title after one is the name's office ("French
    // President", "UN envoy"), not part of a longer name.
    let known_name_ends: HashSet<usize> = draft.mentions.iter().map(|m| m.span.end).collect();
    let mut i = 0;
    while i < draft.layout.tokens.len() {
        let start = draft.layout.tokens[i].span.start;
        let rest = &draft.text[start..];
        let title = resources
            .titles
            .iter()
            .find(|t| rest.starts_with(t.as_str()) && rest[t.len()..].starts_with(' '));
        // A title inside a name ("Jamil Sheikh Ali") is not a title.
        let inside_name = i > 0
            && is_name_token(draft.tok(i - 1))
            && draft.text[..start].ends_with(' ')
            && !known_name_ends.contains(&draft.layout.tokens[i - 1].span.end);
        let Some(title) = title.filter(|_| !inside_name) else {
            i += 1;
            continue;
        };
        let Some(name_start) = token_index_at(draft, start + title.len() + 1) else {
            i += 1;
            continue;
        };
        let Some((span, len)) = name_run(draft, name_start) else {
            i += 1;
            continue;
        };
        if len < 2
            && !followed_by_cue(draft, resources, name_start + len)
            && draft.tok(name_start + len) != ","
        {
            i += 1;
            continue;
        }
        let title = title.trim_end_matches('.').to_string();
        // A dictionary person named with a title: keep the title on it.
        if let Some(existing) = draft
            .mentions
            .iter()
            .find(|m| m.span.start < span.end && span.start < m.span.end && m.kind == "person")
        {
            if let Some(e) = existing.entity {
                DraftEntity::add(&mut draft.entities[e].titles, title);
            }
        } else if !draft.overlaps(span) {
            let name = draft.text[span.start..span.end].to_string();
            let e = find_or_create_person(draft, &name);
            DraftEntity::add(&mut draft.entities[e].titles, title.clone());
            draft.mention(
                span,
                "person",
                Some(e),
                format!("name after title {title:?}"),
            );
        }
        i = name_start + len;
    }
}

fn find_or_create_person(draft: &mut Draft<'_>, name: &str) -> usize {
    match draft
        .entities
        .iter()
        .position(|e| e.is_person() && e.name == name)
    {
        Some(e) => e,
        None => draft.new_entity(DraftEntity {
            kind: "person".into(),
            name: name.into(),
            ..Default::default()
        }),
    }
}

/// After a person's name: ", a spokesperson for X," or ", the deputy head of Y," — the role.
fn role_after(draft: &Draft<'_>, role_nouns: &[String], name_end: usize) -> Option<String> {
    let rest = &draft.text[name_end..];
    let rest = rest.strip_prefix(", ")?;
    let (article, body) = ["a ", "an ", "the ", "its ", "their "]
        .iter()
        .find_map(|a| rest.strip_prefix(a).map(|b| (*a, b)))
        .unwrap_or(("", rest));
    let phrase_end = body
        .find([',', '.', ';', '“', '"', '('])
        .unwrap_or(body.len());
    let mut phrase = body[..phrase_end].trim_end();
    if let Some(paren) = body[phrase_end..].strip_prefix('(') {
        // Keep a parenthesised acronym: "... Development Party (AKP)".
        if let Some(close) = paren.find(')') {
            phrase = body[..phrase_end + 1 + close + 1].trim_end();
        }
    }
    let lower = phrase.to_lowercase();
    let head_ok = role_nouns.iter().any(|r| {
        lower.starts_with(r.as_str()) || lower.split_whitespace().take(3).any(|w| w == r.as_str())
    });
    let _ = article;
    (head_ok && phrase.split_whitespace().count() <= 16).then(|| phrase.to_string())
}

/// Roles after the names found, people's ("Omer Celik, a spokesperson for ...") and
/// organisations' ("the Observatory, a Britain-based monitor"): "the monitor" is read by them.
fn roles_after_names(draft: &mut Draft<'_>, resources: &Resources) {
    let named: Vec<(Span, &str, usize)> = draft
        .mentions
        .iter()
        .filter(|m| matches!(m.kind, "person" | "organization" | "group"))
        .filter_map(|m| Some((m.span, m.kind, m.entity?)))
        .collect();
    for (span, kind, e) in named {
        let nouns = match kind {
            "person" => &resources.roles,
            _ => &resources.organisation_nouns.named,
        };
        if let Some(role) = role_after(draft, nouns, span.end) {
            DraftEntity::add(&mut draft.entities[e].roles, role);
        }
    }
}

/// People known only by a name and a role ("Omer Celik, a spokesperson for ..."); not a
/// clause's opening words ("On Wednesday, a medical examiner said").
fn apposition_people(draft: &mut Draft<'_>, resources: &Resources) {
    let mut i = 0;
    while i < draft.layout.tokens.len() {
        if opens_no_name(draft.tok(i)) {
            i += 1;
            continue;
        }
        if let Some((span, len)) = name_run(draft, i) {
            // "In Kafr Dumra, residents …": a name after a locative cue is a place.
            let place = crate::places::after_locative_cue(draft.text, span.start);
            if len >= 2 && !place && !draft.overlaps(span) {
                if let Some(role) = role_after(draft, &resources.roles, span.end) {
                    let name = draft.text[span.start..span.end].to_string();
                    let e = find_or_create_person(draft, &name);
                    DraftEntity::add(&mut draft.entities[e].roles, role);
                    draft.mention(
                        span,
                        "person",
                        Some(e),
                        "name before a role apposition".into(),
                    );
                }
            }
            i += len.max(1);
        } else {
            i += 1;
        }
    }
}

/// Whether a capitalised word starts sentences and clauses without being a name, or is a day
/// or month.
fn opens_no_name(word: &str) -> bool {
    NOT_NAMES.contains(&word) || CALENDAR_WORDS.contains(&word)
}

/// Capitalised words that start sentences and clauses without being names.
const NOT_NAMES: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "As",
    "According",
    "After",
    "Before",
    "But",
    "And",
    "Over",
    "Earlier",
    "Later",
    "Subsequently",
    "Meanwhile",
    "However",
    "While",
    "When",
    "If",
    "This",
    "That",
    "These",
    "Those",
    "It",
    "He",
    "She",
    "They",
    "We",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "Since",
    "During",
    "Last",
    "Next",
    "Some",
    "Many",
    "Several",
    "Both",
    "Local",
    "Residents",
    "Sources",
    "Syria’s",
    "Exclusive",
    "Update",
    "Breaking",
    "Read",
    "More",
    "Related",
    "Watch",
];

/// Prepositions after which a capitalised name is a place, not a speaker.
const LOCATIVE_PREPOSITIONS: &[&str] = &[
    "in", "near", "at", "from", "outside", "around", "towards", "toward", "into", "across",
];

/// Names the dictionary lacks, when context vouches for them: a speech cue right after
/// ("Hussam al-Zein said"), a role noun right before ("spokesman Hussam al-Zein"), or an
/// organisation head word at the end ("Kafr Nabl Local Council").
fn capitalised_fallback(draft: &mut Draft<'_>, resources: &Resources) {
    let mut i = 0;
    while i < draft.layout.tokens.len() {
        let mut start = i;
        let is_role = |w: &str| {
            resources
                .roles
                .iter()
                .chain(resources.titles.iter())
                .any(|r| r.eq_ignore_ascii_case(w))
        };
        let mut role_before = i > 0 && is_role(draft.tok(i - 1));
        while start < draft.layout.tokens.len()
            && (opens_no_name(draft.tok(start)) || is_role(draft.tok(start)))
        {
            role_before = is_role(draft.tok(start));
            start += 1;
        }
        let Some((span, len)) = name_run(draft, start) else {
            i = start.max(i) + 1;
            continue;
        };
        // "a hospital in Jisr al-Shughur, said": a name after a locative preposition is a
        // place, whatever follows it.
        let after_locative = start > 0 && LOCATIVE_PREPOSITIONS.contains(&draft.tok(start - 1));
        if draft.overlaps(span) || after_locative {
            i = start + len;
            continue;
        }
        let name = draft.text[span.start..span.end].to_string();
        let last = without_possessive(draft.tok(start + len - 1));
        if resources.place_words.heads.iter().any(|h| h == last) {
            // "the Lamar County sheriff said": a place, for the place layer.
        } else if resources.organisation_nouns.heads.iter().any(|h| h == last) && len >= 2 {
            let e = draft.new_entity(DraftEntity {
                kind: "organization".into(),
                name,
                ..Default::default()
            });
            draft.mention(
                span,
                "organization",
                Some(e),
                format!("capitalised name ending in {last:?}"),
            );
        } else if len >= 2
            && (followed_by_cue(draft, resources, start + len) || role_before)
            && !is_known_division(resources, &name)
        {
            let e = find_or_create_person(draft, &name);
            let why = if role_before {
                "after a role noun"
            } else {
                "before a speech cue"
            };
            draft.mention(span, "person", Some(e), format!("capitalised name {why}"));
        }
        i = start + len;
    }
}

/// "Tamil Nadu said": a country or a first-level division speaking is its government, not a
/// person (the place layer takes the name).
fn is_known_division(resources: &Resources, name: &str) -> bool {
    resources.gazetteer.as_ref().is_some_and(|g| {
        g.lookup_exact(name).iter().any(|c| {
            c.name_match > 0.99
                && matches!(
                    c.kind,
                    sitrep_gazetteer::PlaceKind::Country | sitrep_gazetteer::PlaceKind::Admin1
                )
        })
    })
}

/// "Hayat Tahrir al-Sham (HTS)": the acronym becomes an alias of the entity before it, and its
/// other occurrences mentions of that entity.
fn acronyms(draft: &mut Draft<'_>) {
    let tokens = draft.layout.tokens.clone();
    for w in tokens.windows(3) {
        let (open, word, close) = (w[0], w[1], w[2]);
        let acronym = &draft.text[word.span.start..word.span.end];
        let is_acronym =
            (2..=6).contains(&acronym.len()) && acronym.chars().all(|c| c.is_ascii_uppercase());
        if &draft.text[open.span.start..open.span.end] != "("
            || &draft.text[close.span.start..close.span.end] != ")"
            || !is_acronym
        {
            continue;
        }
        let before = draft.text[..open.span.start].trim_end().len();
        let Some(owner) = draft
            .mention_ending_at(before)
            .and_then(|m| draft.mentions[m].entity)
        else {
            continue;
        };
        // "DAMASCUS (AFP)": a body the dictionary knows by these letters is itself, no other
        // name of the one before it.
        let named_otherwise = draft
            .mentions
            .iter()
            .any(|m| m.span == word.span && m.entity.is_some_and(|e| e != owner));
        if named_otherwise {
            continue;
        }
        draft.entities[owner].add_alias(acronym);
        let rule = format!("acronym defined in the text: {acronym:?}");
        let occurrences: Vec<Span> = draft
            .text
            .match_indices(acronym)
            .map(|(at, _)| Span {
                start: at,
                end: at + acronym.len(),
            })
            .filter(|s| sitrep_core::text::on_word_boundaries(draft.text, s.start, s.end))
            .collect();
        for span in occurrences {
            if !draft.overlaps(span) {
                draft.mention(span, "organization", Some(owner), rule.clone());
            }
        }
    }
}

/// "formerly", "formerly known as", "previously called", "once named": not a bare "once" or
/// "previously" ("recapturing the city once more", "the coalition previously denied").
static FORMERLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:formerly (?:known as |called |named )?|(?:previously|once) (?:known as|called|named) )(?:the )?",
    )
    .expect("valid regex")
});

/// "X – formerly known as the Al-Qaeda affiliated Nusra Front": the later name becomes a former
/// name of X, and its entity (if separate) merges into X's.
fn formerly_known_as(draft: &mut Draft<'_>) {
    let links: Vec<(usize, usize)> = FORMERLY
        .find_iter(draft.text)
        .filter_map(|m| {
            let sentence = draft.layout.sentences[draft.layout.sentence_at(m.start())?];
            let phrase_end = draft.text[m.end()..sentence.end]
                .find([',', ';', '.', ')', '–', '—'])
                .map_or(sentence.end, |i| m.end() + i);
            let entity_mentions = || {
                draft
                    .mentions
                    .iter()
                    .filter(|x| x.kind != "time" && x.entity.is_some())
            };
            // The name the phrase follows, with nothing but a comma, dash or bracket between
            // ("Fatah al-Sham Front, formerly known as …"; not "al-Qaida-linked Jaish Fatah
            // al-Sham formerly …", where the name next to it is none the text knows).
            let subject = entity_mentions()
                .rfind(|x| x.span.end <= m.start() && x.span.start >= sentence.start)
                .filter(|x| {
                    draft.text[x.span.end..m.start()].chars().all(|c| {
                        c.is_whitespace() || matches!(c, ',' | '(' | ')' | '–' | '—' | '-')
                    })
                })?;
            let former =
                entity_mentions().rfind(|x| x.span.start >= m.end() && x.span.end <= phrase_end)?;
            Some((subject.entity?, former.entity?))
        })
        .collect();
    for (subject, former) in links {
        let (subject, former) = (draft.resolve(subject), draft.resolve(former));
        if subject == former {
            continue;
        }
        let former_name = draft.entities[former].name.clone();
        DraftEntity::add(&mut draft.entities[subject].former_names, former_name);
        draft.entities[former].merged_into = Some(subject);
    }
}

/// A person's surname alone, later in the text: "Yegorov said".
fn surnames(draft: &mut Draft<'_>) {
    let people: Vec<(usize, String)> = draft
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.is_person() && e.name.split_whitespace().count() >= 2)
        .filter_map(|(i, e)| Some((i, e.name.split_whitespace().last()?.to_string())))
        .collect();
    for i in 0..draft.layout.tokens.len() {
        let word = without_possessive(draft.tok(i));
        let Some((entity, _)) = people.iter().find(|(_, surname)| surname == word) else {
            continue;
        };
        let start = draft.layout.tokens[i].span.start;
        let span = Span {
            start,
            end: start + word.len(),
        };
        if !draft.overlaps(span) {
            draft.mention(
                span,
                "person",
                Some(*entity),
                "coreference: surname of an earlier name".into(),
            );
        }
    }
}

/// The mentions that lie inside a longer one: the "Syrian" of "the Syrian Observatory for
/// Human Rights" is part of a name, not a body named on its own.
fn nested_mentions(mentions: &[DraftMention]) -> HashSet<usize> {
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    order.sort_unstable_by_key(|&i| {
        (
            mentions[i].span.start,
            std::cmp::Reverse(mentions[i].span.end),
        )
    });
    let mut nested = HashSet::new();
    let mut widest: Option<Span> = None;
    for i in order {
        let span = mentions[i].span;
        match widest {
            Some(w) if w.end >= span.end && w != span => {
                nested.insert(i);
            }
            Some(w) if w.end >= span.end => {}
            _ => widest = Some(span),
        }
    }
    nested
}

/// "the general", "the monitor", "the ministry": the latest person before it whose title or
/// role has that word, or for an organisation's noun the latest organisation whose name, alias
/// or role has it (any named group, for "the group").
fn nominal_references(draft: &mut Draft<'_>, resources: &Resources) {
    let found: Vec<(Span, String)> = resources
        .role_reference
        .captures_iter(draft.text)
        .map(|c| {
            let m = c.get(0).expect("group 0");
            let span = Span {
                start: m.start(),
                end: m.end(),
            };
            (span, c.get(1).expect("group 1"))
        })
        // A capitalised noun that opens a longer name is that name's ("the Council of Europe",
        // "the Observatory Group"), not a reference.
        .filter(|(_, noun)| {
            let after = &draft.text[noun.end()..];
            !noun.as_str().starts_with(char::is_uppercase)
                || !(after.starts_with(" of ")
                    || after
                        .strip_prefix(' ')
                        .is_some_and(|a| a.starts_with(char::is_uppercase)))
        })
        .map(|(span, noun)| (span, noun.as_str().to_lowercase()))
        .collect();
    let nouns = &resources.organisation_nouns;
    // The mentions by where they start, kept so as references are added: the nearest one
    // before a reference is found by walking back from it, not by scanning every mention (in
    // a long report, time would grow with the square of its length).
    let mut by_start: Vec<(usize, usize)> = (draft.mentions.iter().enumerate())
        .map(|(i, m)| (m.span.start, i))
        .collect();
    by_start.sort_unstable();
    let nested = nested_mentions(&draft.mentions);
    for (span, noun) in found {
        let generic = nouns.generic.contains(&noun);
        let organisation = generic || nouns.named.contains(&noun);
        // A dictionary's own "the army" or "the ministry" stands as it is; the place a body
        // is based in ("the Britain-based monitor") is no name of its own.
        let own_words =
            (draft.text[span.start..span.end].rfind("-based ")).map_or(span, |at| Span {
                start: span.start + at + "-based ".len(),
                end: span.end,
            });
        if organisation && draft.overlaps(own_words) {
            continue;
        }
        let has_noun = |words: &[String]| {
            words
                .iter()
                .any(|t| t.to_lowercase().split_whitespace().any(|w| w == noun))
        };
        let before = by_start.partition_point(|&(start, _)| start <= span.start);
        // The nearest (the last added of those starting together).
        let candidate = by_start[..before]
            .iter()
            .rev()
            .filter(|&&(_, i)| !nested.contains(&i))
            .map(|&(_, i)| &draft.mentions[i])
            .filter(|m| m.span.end <= span.start)
            .filter(|m| match organisation {
                true => matches!(m.kind, "organization" | "group"),
                false => m.kind == "person",
            })
            .filter_map(|m| Some((m.kind, m.entity?)))
            .find(|&(_, e)| {
                let e = &draft.entities[e];
                let named = organisation
                    && (has_noun(std::slice::from_ref(&e.name)) || has_noun(&e.aliases));
                (generic && e.is_named_group())
                    || has_noun(&e.titles)
                    || has_noun(&e.roles)
                    || named
            });
        if let Some((kind, e)) = candidate {
            draft.mention(span, kind, Some(e), format!("coreference: \"the {noun}\""));
            let added = (span.start, draft.mentions.len() - 1);
            by_start.insert(by_start.partition_point(|&p| p < added), added);
        }
    }
}
