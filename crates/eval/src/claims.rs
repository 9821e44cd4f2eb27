//! Attributions and events with their mode on the claims gold (`../shared/claims`, news
//! articles annotated for sitrep by `GUIDELINES.md`), scored as that folder's `SOURCES.md` and
//! its reference `score.py` say: the same matching, the same "right speaker" rule, the same
//! figures.
//!
//! The system is given as a function from an article's text to its document JSON (the
//! contract of DESIGN.md §3), so the score reads exactly the names users' scripts read:
//! `statements` (`start`, `end`, `form`, `speaker`, `speaker_text`), `events` (`start`, `end`,
//! `type`, `mode`, `actors`, `actor_text`, `targets`) and `entities` (`id`, `name`, `aliases`).

use crate::EvalError;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A half-open range of characters (not bytes) in a gold text.
pub type CharSpan = (usize, usize);

/// One annotated article.
#[derive(Debug, Clone)]
pub struct GoldArticle {
    pub doc: String,
    pub text: String,
    pub attributions: Vec<GoldAttribution>,
    pub events: Vec<GoldEvent>,
}

/// An attribution that has content in the text (implicit ones are not scored).
#[derive(Debug, Clone)]
pub struct GoldAttribution {
    /// From the start of its first content piece to the end of its last.
    pub content: CharSpan,
    /// The source's words and, where the annotator gave it, whom they refer to.
    pub source: String,
    pub cue: String,
}

#[derive(Debug, Clone)]
pub struct GoldEvent {
    pub trigger: CharSpan,
    pub trigger_text: String,
    pub event_type: Option<String>,
    pub mode: Option<String>,
    pub actor: Option<String>,
    pub target: Option<String>,
}

/// Reads a gold file, or every `.jsonl` file of a folder in name order.
pub fn load(path: &Path) -> Result<Vec<GoldArticle>, EvalError> {
    let files = if path.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| EvalError::data(path, e))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        files.sort();
        files
    } else {
        vec![path.to_path_buf()]
    };
    let mut articles = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).map_err(|e| EvalError::data(file, e))?;
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let value: Value = serde_json::from_str(line)
                .map_err(|e| EvalError::data(file, format!("line {}: {e}", n + 1)))?;
            let article = gold_article(&value)
                .ok_or_else(|| EvalError::data(file, format!("line {}: no doc or text", n + 1)))?;
            articles.push(article);
        }
    }
    if articles.is_empty() {
        return Err(EvalError::data(path, "no annotated articles"));
    }
    articles.sort_by(|a, b| a.doc.cmp(&b.doc));
    Ok(articles)
}

fn gold_article(v: &Value) -> Option<GoldArticle> {
    let text_of = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let span_of = |v: &Value| -> Option<CharSpan> {
        Some((v.get(0)?.as_u64()? as usize, v.get(1)?.as_u64()? as usize))
    };
    let attributions = list(&v["attributions"])
        .filter_map(|a| {
            let pieces: Vec<CharSpan> = list(&a["content_spans"]).filter_map(span_of).collect();
            let start = pieces.iter().map(|p| p.0).min()?;
            let end = pieces.iter().map(|p| p.1).max()?;
            Some(GoldAttribution {
                content: (start, end),
                source: format!(
                    "{} {}",
                    text_of(&a["source"]),
                    text_of(&a["source_refers_to"])
                ),
                cue: text_of(&a["cue"]),
            })
        })
        .collect();
    let events = list(&v["events"])
        .filter_map(|e| {
            let name = |k: &str| e[k].as_str().filter(|s| !s.is_empty()).map(str::to_string);
            Some(GoldEvent {
                trigger: span_of(&e["trigger_span"])?,
                trigger_text: text_of(&e["trigger"]),
                event_type: name("type"),
                mode: name("mode"),
                actor: name("actor"),
                target: name("target"),
            })
        })
        .collect();
    Some(GoldArticle {
        doc: v["doc"].as_str()?.to_string(),
        text: v["text"].as_str()?.to_string(),
        attributions,
        events,
    })
}

fn list(v: &Value) -> impl Iterator<Item = &Value> {
    v.as_array().into_iter().flatten()
}

/// Counts over the whole gold set, and what went wrong where.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub articles: usize,
    pub attributions: Counts,
    pub speakers_right: usize,
    pub events: Counts,
    pub types_right: usize,
    pub modes_right: usize,
    pub statuses_right: usize,
    pub actors: (usize, usize),
    pub targets: (usize, usize),
    /// (gold mode, sitrep's mode) of matched events, and how often.
    pub confusion: BTreeMap<(String, String), usize>,
    pub errors: Vec<Miss>,
}

/// Gold items, system items, and those matched.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub gold: usize,
    pub system: usize,
    pub found: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.found, self.system)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.gold)
    }
    pub fn f1(&self) -> f64 {
        ratio(2 * self.found, self.system + self.gold)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// One error, with the words around it.
#[derive(Debug, Clone)]
pub struct Miss {
    pub doc: String,
    pub kind: &'static str,
    pub detail: String,
    pub context: String,
}

/// The mode's answer to "did it happen" (GUIDELINES.md): happened, not yet, or not.
pub fn status(mode: Option<&str>) -> Option<&'static str> {
    Some(match mode? {
        "occurred" | "ongoing" | "alleged" => "happened",
        "planned" | "threatened" | "predicted" | "hypothetical" => "not yet",
        "negated" | "denied" => "not",
        _ => return None,
    })
}

/// Scores `system` (text → document JSON) on every article.
pub fn evaluate(gold: &[GoldArticle], system: &dyn Fn(&str) -> Value) -> Report {
    let mut report = Report {
        articles: gold.len(),
        ..Report::default()
    };
    for article in gold {
        let out = system(&article.text);
        let doc = SystemDoc::new(article, &out);
        score_attributions(article, &doc, &mut report);
        score_events(article, &doc, &mut report);
    }
    report
}

/// What the scorer reads of the system's document, offsets in the gold text's characters.
struct SystemDoc {
    statements: Vec<(CharSpan, String)>,
    events: Vec<SystemEvent>,
}

/// An event as the scorer reads it: its span, its JSON, and the names of its actors and
/// targets.
struct SystemEvent {
    span: CharSpan,
    json: Value,
    actors: String,
    targets: String,
}

impl SystemEvent {
    /// The rule that made the event, so that a miss shows where to look.
    fn rule(&self) -> &str {
        self.json["rule"].as_str().unwrap_or("no rule")
    }
}

impl SystemDoc {
    fn new(article: &GoldArticle, out: &Value) -> Self {
        let text = out["article"]["text"].as_str().unwrap_or(&article.text);
        let map = CharMap::new(&article.text, text);
        let entities: BTreeMap<&str, &Value> = list(&out["entities"])
            .filter_map(|e| Some((e["id"].as_str()?, e)))
            .collect();
        let names = |ids: Vec<&Value>, extra: &Value| {
            let mut s = extra.as_str().unwrap_or_default().to_string();
            for id in ids {
                let entity = id.as_str().and_then(|id| entities.get(id));
                let name = entity.and_then(|e| e["name"].as_str()).unwrap_or_default();
                let aliases = entity.map(|e| list(&e["aliases"]).filter_map(Value::as_str));
                s.push(' ');
                s.push_str(
                    &std::iter::once(name)
                        .chain(aliases.into_iter().flatten())
                        .collect::<Vec<_>>()
                        .join(" "),
                );
            }
            s
        };
        let span = |v: &Value| -> Option<CharSpan> {
            Some((
                map.char_at(v["start"].as_u64()? as usize),
                map.char_at(v["end"].as_u64()? as usize),
            ))
        };
        let statements = list(&out["statements"])
            .filter(|s| s["form"] != "outlet_assertion")
            .filter_map(|s| Some((span(s)?, names(vec![&s["speaker"]], &s["speaker_text"]))))
            .collect();
        let events = list(&out["events"])
            .filter_map(|v| {
                let actors = names(list(&v["actors"]).collect(), &v["actor_text"]);
                let targets = names(list(&v["targets"]).collect(), &Value::Null);
                Some(SystemEvent {
                    span: span(v)?,
                    json: v.clone(),
                    actors,
                    targets,
                })
            })
            .collect();
        SystemDoc { statements, events }
    }
}

/// The one-to-one rule of SOURCES.md: each gold item, in order, takes the first system item
/// not yet taken that `fits` it. Returns each gold item's match and the system items left over.
fn match_in_order(
    gold: usize,
    system: usize,
    fits: impl Fn(usize, usize) -> bool,
) -> (Vec<Option<usize>>, Vec<usize>) {
    let mut taken = vec![false; system];
    let matches = (0..gold)
        .map(|g| {
            let j = (0..system).find(|&j| !taken[j] && fits(g, j))?;
            taken[j] = true;
            Some(j)
        })
        .collect();
    let left = (0..system).filter(|&j| !taken[j]).collect();
    (matches, left)
}

fn score_attributions(article: &GoldArticle, doc: &SystemDoc, report: &mut Report) {
    report.attributions.gold += article.attributions.len();
    report.attributions.system += doc.statements.len();
    let (matches, left) =
        match_in_order(article.attributions.len(), doc.statements.len(), |g, j| {
            let (gs, ge) = article.attributions[g].content;
            let ((ps, pe), _) = doc.statements[j];
            (ge.min(pe) as i64 - gs.max(ps) as i64) * 2 >= (ge - gs) as i64
        });
    for (gold, found) in article.attributions.iter().zip(matches) {
        let Some(j) = found else {
            let what = format!("{} — {}", gold.source.trim(), gold.cue);
            report.miss(article, "attribution missed", what, gold.content);
            continue;
        };
        report.attributions.found += 1;
        let speaker = &doc.statements[j].1;
        if same_speaker(speaker, &gold.source) {
            report.speakers_right += 1;
        } else {
            let what = format!("gold {:?}, sitrep {:?}", gold.source.trim(), speaker.trim());
            report.miss(article, "wrong speaker", what, gold.content);
        }
    }
    for j in left {
        let (span, speaker) = &doc.statements[j];
        let what = format!("speaker {:?}", speaker.trim());
        report.miss(article, "statement not in gold", what, *span);
    }
}

fn score_events(article: &GoldArticle, doc: &SystemDoc, report: &mut Report) {
    report.events.gold += article.events.len();
    report.events.system += doc.events.len();
    let (matches, left) = match_in_order(article.events.len(), doc.events.len(), |g, j| {
        let ((gs, ge), (ps, pe)) = (article.events[g].trigger, doc.events[j].span);
        ps < ge && gs < pe
    });
    for (gold, found) in article.events.iter().zip(matches) {
        let Some(j) = found else {
            let kind = gold.event_type.as_deref().unwrap_or("?");
            let what = format!("{:?} {kind}", gold.trigger_text);
            report.miss(article, "event missed", what, gold.trigger);
            continue;
        };
        report.events.found += 1;
        let event = &doc.events[j];
        let mode = event.json["mode"].as_str();
        report.types_right += (event.json["type"].as_str() == gold.event_type.as_deref()) as usize;
        report.modes_right += (mode == gold.mode.as_deref()) as usize;
        report.statuses_right += (status(mode) == status(gold.mode.as_deref())) as usize;
        let key = (
            gold.mode.clone().unwrap_or_default(),
            mode.unwrap_or_default().to_string(),
        );
        *report.confusion.entry(key).or_default() += 1;
        if mode != gold.mode.as_deref() {
            let what = format!(
                "{:?}: gold {}, sitrep {} ({})",
                gold.trigger_text,
                gold.mode.as_deref().unwrap_or("-"),
                mode.unwrap_or("-"),
                event.rule()
            );
            report.miss(article, "wrong mode", what, gold.trigger);
        }
        for (role, gold_words, names) in [
            ("wrong actor", &gold.actor, &event.actors),
            ("wrong target", &gold.target, &event.targets),
        ] {
            let Some(gold_words) = gold_words else {
                continue;
            };
            let right = share_a_word(names, gold_words);
            let tally = if role == "wrong actor" {
                &mut report.actors
            } else {
                &mut report.targets
            };
            tally.1 += 1;
            tally.0 += right as usize;
            if !right {
                let what = format!(
                    "{:?}: gold {gold_words:?}, sitrep {names:?} ({})",
                    gold.trigger_text,
                    event.rule()
                );
                report.miss(article, role, what, gold.trigger);
            }
        }
    }
    for j in left {
        let event = &doc.events[j];
        let what = format!(
            "{} {}",
            event.json["type"].as_str().unwrap_or("?"),
            event.json["mode"].as_str().unwrap_or("?")
        );
        report.miss(article, "event not in gold", what, event.span);
    }
}

impl Report {
    fn miss(&mut self, article: &GoldArticle, kind: &'static str, detail: String, span: CharSpan) {
        self.errors.push(Miss {
            doc: article.doc.clone(),
            kind,
            detail,
            context: context(&article.text, span),
        });
    }
}

/// The span in its sentence's neighbourhood, the span itself in brackets, on one line.
fn context(text: &str, (start, end): CharSpan) -> String {
    let chars: Vec<char> = text.chars().collect();
    let (start, end) = (
        start.min(chars.len()),
        end.min(chars.len()).max(start.min(chars.len())),
    );
    let before: String = chars[start.saturating_sub(60)..start].iter().collect();
    let inside: String = chars[start..end].iter().take(160).collect();
    let after: String = chars[end..(end + 60).min(chars.len())].iter().collect();
    format!("…{before}[{inside}]{after}…").replace('\n', " ")
}

/// Words that do not tell speakers apart.
const STOP: [&str; 12] = [
    "the", "and", "its", "his", "her", "their", "that", "who", "which", "for", "from", "with",
];
const PRONOUNS: [&str; 7] = ["he", "she", "they", "it", "i", "we", "you"];

/// Runs of three or more ASCII letters, lower-cased, less the stop words.
fn words(s: &str) -> BTreeSet<String> {
    s.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3)
        .map(str::to_ascii_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}

fn share_a_word(a: &str, b: &str) -> bool {
    !words(a).is_disjoint(&words(b))
}

/// The speaker rule: a shared word, or the same pronoun on both sides.
fn same_speaker(system: &str, gold: &str) -> bool {
    let (system, gold) = (system.to_lowercase(), gold.to_lowercase());
    let has = |s: &str, p: &str| s.split_whitespace().any(|w| w == p);
    share_a_word(&system, &gold) || PRONOUNS.iter().any(|p| has(&gold, p) && has(&system, p))
}

/// What normalising may delete: white space, control and zero-width characters.
fn dropped_by_normalising(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
        )
}

/// Maps byte offsets in the text the system worked on (normalised: white space tidied, NFC) to
/// character offsets in the gold text, by walking both and skipping white space where only one
/// side has it.
struct CharMap {
    /// For each byte offset of the normalised text that starts a character (and its end), the
    /// gold character offset.
    at: BTreeMap<usize, usize>,
}

impl CharMap {
    fn new(gold: &str, normalised: &str) -> Self {
        let gold: Vec<char> = gold.chars().collect();
        let mut at = BTreeMap::new();
        let mut g = 0;
        let mut chars = normalised.char_indices().peekable();
        while let Some(&(byte, c)) = chars.peek() {
            if g < gold.len() && gold[g] != c && dropped_by_normalising(gold[g]) {
                g += 1;
                continue;
            }
            at.insert(byte, g.min(gold.len()));
            chars.next();
            if g < gold.len() && (gold[g] == c || !c.is_whitespace()) {
                g += 1;
            }
        }
        at.insert(normalised.len(), g.min(gold.len()));
        CharMap { at }
    }

    fn char_at(&self, byte: usize) -> usize {
        self.at.range(..=byte).next_back().map_or(0, |(_, &c)| c)
    }
}

/// The table of `SOURCES.md`, its summary line, and with `errors` every miss in context.
pub fn render(report: &Report, name: &str, confusion: bool, errors: bool) -> String {
    let mut out = String::new();
    let (a, e) = (report.attributions, report.events);
    let of_found = |n: usize| ratio(n, a.found.max(1));
    let of_events = |n: usize| ratio(n, e.found.max(1));
    let role = |(right, n): (usize, usize)| ratio(right, n.max(1));
    out += &format!(
        "| {name}: {} articles | P | R | F1 | of found: right |\n|---|---|---|---|---|\n",
        report.articles
    );
    out += &format!(
        "| attributions ({} gold, {} predicted) | {:.3} | {:.3} | {:.3} | speaker {:.3} |\n",
        a.gold,
        a.system,
        a.precision(),
        a.recall(),
        a.f1(),
        of_found(report.speakers_right)
    );
    out += &format!(
        "| events ({} gold, {} predicted) | {:.3} | {:.3} | {:.3} | type {:.3}, mode {:.3}, happened/not-yet/not {:.3}, actor {:.3}, target {:.3} |\n",
        e.gold, e.system, e.precision(), e.recall(), e.f1(),
        of_events(report.types_right), of_events(report.modes_right), of_events(report.statuses_right),
        role(report.actors), role(report.targets)
    );
    if confusion {
        let mut pairs: Vec<_> = report.confusion.iter().collect();
        pairs.sort_by(|x, y| y.1.cmp(x.1).then_with(|| x.0.cmp(y.0)));
        for ((gold, ours), n) in pairs {
            out += &format!("  gold {gold:12} sitrep {ours:12} {n}\n");
        }
    }
    if errors {
        for m in &report.errors {
            out += &format!("{} {}: {}\n    {}\n", m.doc, m.kind, m.detail, m.context);
        }
    }
    out += &format!(
        "claims gold {} docs: attribution F1 {:.3} speaker {:.3}; event F1 {:.3} mode {:.3} status {:.3} actor {:.3} target {:.3}\n",
        report.articles, a.f1(), of_found(report.speakers_right), e.f1(),
        of_events(report.modes_right), of_events(report.statuses_right), role(report.actors), role(report.targets)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn article(
        text: &str,
        attributions: Vec<GoldAttribution>,
        events: Vec<GoldEvent>,
    ) -> GoldArticle {
        GoldArticle {
            doc: "d".into(),
            text: text.into(),
            attributions,
            events,
        }
    }

    fn attribution(content: CharSpan, source: &str) -> GoldAttribution {
        GoldAttribution {
            content,
            source: source.into(),
            cue: "said".into(),
        }
    }

    fn event(trigger: CharSpan, mode: &str, actor: Option<&str>) -> GoldEvent {
        GoldEvent {
            trigger,
            trigger_text: String::new(),
            event_type: Some("ASSAULT".into()),
            mode: Some(mode.into()),
            actor: actor.map(str::to_string),
            target: None,
        }
    }

    #[test]
    fn a_statement_matches_when_it_covers_half_the_gold_content_and_only_once() {
        let text = "The mayor said the bridge will reopen in May after repairs.";
        let gold = article(
            text,
            vec![
                attribution((15, 58), "The mayor"),
                attribution((15, 58), "The mayor"),
            ],
            vec![],
        );
        let half = |start: usize| json!({"statements": [{"start": start, "end": 58, "form": "indirect", "speaker_text": "the Mayor's office"}]});
        // 22 of 43 characters: enough; 21: not.
        let r = evaluate(std::slice::from_ref(&gold), &|_| half(36));
        assert_eq!(
            (
                r.attributions.found,
                r.attributions.system,
                r.attributions.gold
            ),
            (1, 1, 2)
        );
        assert_eq!(r.speakers_right, 1);
        let r = evaluate(&[gold], &|_| half(37));
        assert_eq!(r.attributions.found, 0);
        assert_eq!(
            r.errors
                .iter()
                .filter(|m| m.kind == "attribution missed")
                .count(),
            2
        );
    }

    #[test]
    fn the_outlets_own_voice_is_not_an_attribution() {
        let gold = article("Fighting went on.", vec![], vec![]);
        let r = evaluate(
            &[gold],
            &|_| json!({"statements": [{"start": 0, "end": 17, "form": "outlet_assertion"}]}),
        );
        assert_eq!(r.attributions.system, 0);
    }

    #[test]
    fn speakers_are_right_by_a_shared_word_or_the_same_pronoun() {
        assert!(same_speaker("Ministry of Defence", "the defence ministry"));
        assert!(same_speaker(" he", "He "));
        assert!(
            !same_speaker("the spokesman", "The Kremlin"),
            "stop words are not evidence"
        );
        assert!(!same_speaker("she", "he"));
        assert!(
            !same_speaker("Al", "Al"),
            "words of under three letters do not count"
        );
    }

    #[test]
    fn events_score_type_mode_status_and_actor_through_entity_names() {
        let text = "Rebels shelled the town, the army said.";
        let gold = article(
            text,
            vec![],
            vec![event((7, 14), "alleged", Some("Rebels"))],
        );
        let r = evaluate(&[gold], &|_| {
            json!({
                "entities": [{"id": "e1", "name": "rebel fighters", "aliases": ["Rebels"]}],
                "events": [{"start": 7, "end": 14, "type": "ASSAULT", "mode": "occurred", "actors": ["e1"]}]
            })
        });
        assert_eq!((r.events.found, r.types_right, r.modes_right), (1, 1, 0));
        assert_eq!(
            r.statuses_right, 1,
            "occurred and alleged both say it happened"
        );
        assert_eq!(r.actors, (1, 1));
        assert_eq!(r.confusion[&("alleged".into(), "occurred".into())], 1);
        assert!(r
            .errors
            .iter()
            .any(|m| m.kind == "wrong mode" && m.context.contains("[shelled]")));
    }

    #[test]
    fn byte_offsets_in_the_normalised_text_map_to_characters_of_the_gold_text() {
        let gold = "Ça va.  \n\n\nThe  end";
        let normalised = "Ça va.\n\nThe end";
        let map = CharMap::new(gold, normalised);
        let byte_of_the = normalised.find("The").unwrap();
        assert_eq!(
            map.char_at(byte_of_the),
            gold.chars().position(|c| c == 'T').unwrap()
        );
        let byte_of_end = normalised.find("end").unwrap();
        assert_eq!(map.char_at(byte_of_end), gold.chars().count() - 3);
        assert_eq!(map.char_at(normalised.len()), gold.chars().count());
        assert_eq!(
            map.char_at(3),
            2,
            "after the two-byte Ç, byte 3 is the second character"
        );
    }

    #[test]
    fn a_folder_without_gold_is_an_error_naming_it() {
        let dir = std::env::temp_dir().join(format!("sitrep-claims-empty-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let err = load(&dir).unwrap_err().to_string();
        assert!(
            err.contains("no annotated articles") && err.contains("sitrep-claims-empty"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
