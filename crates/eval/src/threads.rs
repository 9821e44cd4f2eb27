//! Claim threads against hand-made groups: statements that make the same claim (a wire story
//! and its copies in other outlets, the demo's storylines) should share a thread, and
//! statements of different groups should not.
//!
//! The gold (`crates/eval/data/threads-*.jsonl`, ours) holds no text: each item names an
//! article (its source id or title) and a run of words in it by their count and an FNV-1a hash
//! of the lower-cased words joined by spaces, so the scorer finds the sentence again in the
//! article as sitrep stores it, however it was split or normalised.

use std::collections::HashMap;

/// One sentence of a gold group: where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub article: String,
    pub words: usize,
    pub hash: u64,
}

/// Why a gold file was refused.
#[derive(Debug, thiserror::Error)]
#[error("{path}: line {line}: {reason}")]
pub struct GoldError {
    pub path: String,
    pub line: usize,
    pub reason: String,
}

/// Reads a gold file: one group per line, `{"items": [{"article", "words", "hash"}, ...]}`.
pub fn load(path: &std::path::Path) -> Result<Vec<Vec<Item>>, GoldError> {
    let err = |line: usize, reason: String| GoldError {
        path: path.display().to_string(),
        line,
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(0, e.to_string()))?;
    let mut groups = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| err(n + 1, e.to_string()))?;
        let items = v["items"]
            .as_array()
            .ok_or_else(|| err(n + 1, "no items list".into()))?;
        let group = items
            .iter()
            .map(|i| {
                Some(Item {
                    article: i["article"].as_str()?.to_string(),
                    words: i["words"].as_u64()? as usize,
                    hash: u64::from_str_radix(i["hash"].as_str()?, 16).ok()?,
                })
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| err(n + 1, "an item needs article, words and a hex hash".into()))?;
        groups.push(group);
    }
    Ok(groups)
}

/// Lower-cased runs of letters and digits, with their byte spans.
fn words(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (start, c.is_alphanumeric()) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push((s, i, text[s..i].to_lowercase()));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// FNV-1a, 64 bits.
pub fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The byte span of the item's words in `text`, if they are there.
pub fn locate(text: &str, item: &Item) -> Option<(usize, usize)> {
    let ws = words(text);
    (0..ws.len().checked_sub(item.words)? + 1).find_map(|i| {
        let run = &ws[i..i + item.words];
        let joined = run
            .iter()
            .map(|w| w.2.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        (fnv(&joined) == item.hash).then(|| (run[0].0, run[item.words - 1].1))
    })
}

/// What the system gives for one article: its text and its statements (byte spans of their
/// content) with the thread each is in.
pub struct Tracked {
    pub text: String,
    pub statements: Vec<(usize, usize, String)>,
}

/// Pairwise scores over the gold statements sitrep found.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Report {
    pub groups: usize,
    pub items: usize,
    /// Items whose sentence holds a statement of sitrep's.
    pub found: usize,
    /// Pairs of found items in one gold group, and how many share a thread.
    pub gold_pairs: usize,
    pub gold_pairs_threaded: usize,
    /// Pairs of found items that share a thread, and how many are in one gold group.
    pub threaded_pairs: usize,
    pub threaded_pairs_gold: usize,
}

impl Report {
    pub fn recall(&self) -> f64 {
        ratio(self.gold_pairs_threaded, self.gold_pairs)
    }
    pub fn precision(&self) -> f64 {
        ratio(self.threaded_pairs_gold, self.threaded_pairs)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores threads against the gold groups; `system` gives an article's text and statements
/// by its key (source id or title).
pub fn evaluate(groups: &[Vec<Item>], system: impl Fn(&str) -> Option<Tracked>) -> Report {
    let mut cache: HashMap<String, Option<Tracked>> = HashMap::new();
    let mut found: Vec<(usize, String)> = Vec::new(); // (group, thread)
    let mut report = Report {
        groups: groups.len(),
        ..Report::default()
    };
    for (g, group) in groups.iter().enumerate() {
        for item in group {
            report.items += 1;
            let tracked = cache
                .entry(item.article.clone())
                .or_insert_with(|| system(&item.article));
            let Some(t) = tracked else { continue };
            let Some((start, end)) = locate(&t.text, item) else {
                continue;
            };
            // The statement whose content overlaps the sentence most.
            let best = t
                .statements
                .iter()
                .map(|(s, e, thread)| ((*e).min(end).saturating_sub((*s).max(start)), thread))
                .filter(|(overlap, _)| *overlap > 0)
                .max_by_key(|(overlap, _)| *overlap);
            if let Some((_, thread)) = best {
                report.found += 1;
                found.push((g, thread.clone()));
            }
        }
    }
    for (i, (g1, t1)) in found.iter().enumerate() {
        for (g2, t2) in &found[i + 1..] {
            let (same_group, same_thread) = (g1 == g2, t1 == t2);
            report.gold_pairs += usize::from(same_group);
            report.gold_pairs_threaded += usize::from(same_group && same_thread);
            report.threaded_pairs += usize::from(same_thread);
            report.threaded_pairs_gold += usize::from(same_thread && same_group);
        }
    }
    report
}

/// A table of reports, one row per gold set.
pub fn render(rows: &[(String, Report)]) -> String {
    let mut out = String::from(
        "| gold | groups | statements found | thread precision | thread recall | F1 |\n|---|---|---|---|---|---|\n",
    );
    for (name, r) in rows {
        out.push_str(&format!(
            "| {name} | {} | {}/{} | {:.3} ({}/{}) | {:.3} ({}/{}) | {:.3} |\n",
            r.groups,
            r.found,
            r.items,
            r.precision(),
            r.threaded_pairs_gold,
            r.threaded_pairs,
            r.recall(),
            r.gold_pairs_threaded,
            r.gold_pairs,
            crate::f1(r.precision(), r.recall())
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_found_by_their_words_whatever_the_punctuation() {
        let text = "Intro. The mayor said: “the bridge will reopen in May”, officials added.";
        let item = Item {
            article: "a".into(),
            words: 7,
            hash: fnv("the bridge will reopen in may officials"),
        };
        let (s, e) = locate(text, &item).unwrap();
        assert!(text[s..e].starts_with("the bridge") && text[s..e].ends_with("officials"));
        assert_eq!(
            locate(
                text,
                &Item {
                    words: 3,
                    hash: 1,
                    ..item
                }
            ),
            None
        );
    }

    #[test]
    fn pairs_count_threads_shared_within_and_across_groups() {
        let item = |a: &str, w: &str| Item {
            article: a.into(),
            words: w.split(' ').count(),
            hash: fnv(w),
        };
        let groups = vec![
            vec![item("a", "alpha beta gamma"), item("b", "alpha beta gamma")],
            vec![item("a", "delta epsilon"), item("b", "delta epsilon")],
        ];
        let text = "alpha beta gamma. delta epsilon.".to_string();
        // Group 1 threaded right; group 2 split; and the two a-statements wrongly one thread.
        let report = evaluate(&groups, |a| {
            Some(Tracked {
                text: text.clone(),
                statements: vec![
                    (0, 16, "t1".into()),
                    (18, 31, if a == "a" { "t1" } else { "t2" }.into()),
                ],
            })
        });
        assert_eq!(report.found, 4);
        assert_eq!((report.gold_pairs_threaded, report.gold_pairs), (1, 2));
        assert_eq!((report.threaded_pairs_gold, report.threaded_pairs), (1, 3));
    }
}
