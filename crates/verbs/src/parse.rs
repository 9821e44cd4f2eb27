//! Reading a TABARI/PETRARCH verb dictionary into blocks, forms, patterns and synsets.

use crate::{Block, Code, Element, Pattern, Slot, VerbDictionary, VerbForm};
use sitrep_core::dictionary_file::content_lines;
use sitrep_core::ImportIssue;

enum Section {
    None,
    Synset(String),
    Block,
}

pub(crate) fn import(source_name: &str, text: &str) -> (VerbDictionary, Vec<ImportIssue>) {
    let mut dictionary = VerbDictionary::default();
    let mut issues = Vec::new();
    let mut section = Section::None;
    for (line_no, raw, line) in content_lines(text) {
        let issue = |reason: &str| ImportIssue {
            line: line_no,
            text: raw.trim().to_string(),
            reason: reason.into(),
        };
        if let Some(header) = line.strip_prefix("---") {
            let header = header.trim_end_matches('-').trim();
            let (name, code) = split_code(header);
            let Some(code) = code.map(parse_code) else {
                issues.push(issue("a verb block without a [code]"));
                section = Section::None;
                continue;
            };
            dictionary.blocks.push(Block {
                name: name.trim().trim_end_matches('_').to_string(),
                code,
                patterns: Vec::new(),
                line: line_no,
            });
            dictionary.sources.push(source_name.to_string());
            section = Section::Block;
        } else if let Some(name) = line.strip_prefix('&') {
            let name = name.split_whitespace().next().unwrap_or_default();
            section = Section::Synset(name.to_uppercase());
            dictionary.synsets.entry(name.to_uppercase()).or_default();
        } else if let Some(member) = line.strip_prefix('+') {
            match &section {
                Section::Synset(name) => {
                    let phrase: Vec<Slot> = member
                        .split(['_', ' '])
                        .filter(|w| !w.is_empty())
                        .map(slot_of)
                        .collect();
                    if let Some(set) = dictionary.synsets.get_mut(name) {
                        set.push(phrase);
                    }
                }
                Section::Block => add_verb(&mut dictionary, member, line_no, &mut issues, raw),
                Section::None => issues.push(issue("a synonym (+) outside any block or synset")),
            }
        } else if let Some(body) = line.strip_prefix('-') {
            if !matches!(section, Section::Block) {
                issues.push(issue("a pattern outside any verb block"));
                continue;
            }
            match pattern(body, line_no) {
                Ok(p) => {
                    if let Some(block) = dictionary.blocks.last_mut() {
                        block.patterns.push(p);
                    }
                }
                Err(reason) => issues.push(issue(&reason)),
            }
        } else if matches!(section, Section::Block) {
            add_verb(&mut dictionary, &line, line_no, &mut issues, raw);
        } else {
            issues.push(issue("a line outside any verb block or synset"));
        }
    }
    // Longer patterns are tried first, as in TABARI; the file's order breaks ties.
    for block in &mut dictionary.blocks {
        block
            .patterns
            .sort_by_key(|p| std::cmp::Reverse(p.elements.len()));
    }
    (dictionary, issues)
}

/// "RESTORE  [064]" → ("RESTORE", Some("064")).
fn split_code(text: &str) -> (&str, Option<&str>) {
    match (text.find('['), text.rfind(']')) {
        (Some(open), Some(close)) if open < close => (&text[..open], Some(&text[open + 1..close])),
        _ => (text, None),
    }
}

fn parse_code(code: &str) -> Code {
    let code = code.trim().trim_end_matches('?');
    if code.is_empty() || code == "---" {
        return Code::Nothing;
    }
    match code.split_once(':') {
        Some((code, reverse)) => Code::Event {
            code: code.trim().to_string(),
            reverse: Some(reverse.trim().to_string()).filter(|r| !r.is_empty() && r != "---"),
        },
        None => Code::Event {
            code: code.to_string(),
            reverse: None,
        },
    }
}

/// A verb line of the current block: `BAN {BANS BANNED} [191]`, `ABC_DEF_GHI`.
fn add_verb(
    dictionary: &mut VerbDictionary,
    line: &str,
    line_no: usize,
    issues: &mut Vec<ImportIssue>,
    raw: &str,
) {
    let (verb_part, code) = split_code(line);
    let (verb, irregular) = match (verb_part.find('{'), verb_part.find('}')) {
        (Some(open), Some(close)) if open < close => (
            &verb_part[..open],
            verb_part[open + 1..close]
                .split_whitespace()
                .map(str::to_lowercase)
                .collect::<Vec<_>>(),
        ),
        _ => (verb_part, Vec::new()),
    };
    let words: Vec<String> = verb
        .split(['_', ' '])
        .map(|w| w.trim_matches('+').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        issues.push(ImportIssue {
            line: line_no,
            text: raw.trim().to_string(),
            reason: "no verb on the line".into(),
        });
        return;
    }
    let block = dictionary.blocks.len() - 1;
    let code = code.map(parse_code);
    for head in inflections(&words[0], &irregular) {
        let mut form = words.clone();
        form[0] = head;
        dictionary.forms.push(VerbForm {
            words: form,
            block,
            code: code.clone(),
            line: line_no,
        });
    }
}

/// A verb's forms: itself, its -s, -ing and -ed forms, with the listed irregular forms in place
/// of the regular past.
fn inflections(verb: &str, irregular: &[String]) -> Vec<String> {
    let mut forms = vec![verb.to_string()];
    let consonant_y =
        verb.ends_with('y') && !verb[..verb.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    let stem_e = verb.strip_suffix('e').filter(|s| !s.ends_with(['e', 'o']));
    let third = if consonant_y {
        format!("{}ies", &verb[..verb.len() - 1])
    } else if verb.ends_with(['s', 'x', 'z']) || verb.ends_with("sh") || verb.ends_with("ch") {
        format!("{verb}es")
    } else {
        format!("{verb}s")
    };
    let ing = match stem_e {
        Some(stem) => format!("{stem}ing"),
        None => format!("{verb}ing"),
    };
    forms.push(third);
    forms.push(ing);
    if irregular.is_empty() {
        forms.push(if verb.ends_with('e') {
            format!("{verb}d")
        } else if consonant_y {
            format!("{}ied", &verb[..verb.len() - 1])
        } else {
            format!("{verb}ed")
        });
    } else {
        forms.extend(irregular.iter().cloned());
    }
    forms.dedup();
    forms
}

fn slot_of(word: &str) -> Slot {
    match word {
        "*" => Slot::Verb,
        "$" => Slot::Source,
        "+" => Slot::Target,
        "%" => Slot::Compound,
        "^" => Slot::AnyWord,
        w => match w.strip_prefix('&') {
            Some(set) => Slot::Synset(set.to_uppercase()),
            None => Slot::Word(w.to_lowercase()),
        },
    }
}

/// `- + WAS_ * TO_ ^ FROM $  [174]` → its elements and code.
fn pattern(body: &str, line: usize) -> Result<Pattern, String> {
    let (words, code) = split_code(body);
    let code = code.map(parse_code).ok_or("a pattern without a [code]")?;
    let mut elements: Vec<Element> = Vec::new();
    let mut join_next = false;
    for token in words.split_whitespace() {
        let parts: Vec<&str> = token.split('_').collect();
        for (k, part) in parts.iter().enumerate() {
            if part.is_empty() {
                // A leading or trailing `_` joins this token to its neighbour.
                join_next = true;
                continue;
            }
            elements.push(Element {
                slot: slot_of(part),
                adjacent_to_previous: join_next || k > 0 && !parts[k - 1].is_empty(),
            });
            join_next = false;
        }
    }
    let verbs = elements.iter().filter(|e| e.slot == Slot::Verb).count();
    if verbs != 1 {
        return Err(format!("a pattern needs one * for its verb, not {verbs}"));
    }
    Ok(Pattern {
        elements,
        code,
        line,
        text: format!("- {}", body.trim()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
stray line
&TIETYPES
+MILITARY
+ECONOMIC

--- RESTORE  [064]  ---
RESTORE    # a comment
- NOT * RELATIONS  [112]
- * &TIETYPES_TIES [902]
- + WAS_ * TO_ ^ FROM $  [174]

--- BAN [191]  ---
BAN {BANS BANNED}
--- LEFT  [032:033]  ---
LEFT
--- SCORN [---] ---
SCORN
- * PROPOSAL  [111]
";

    #[test]
    fn imports_blocks_forms_patterns_and_synsets() {
        let (d, issues) = VerbDictionary::from_tabari("v.txt", SAMPLE);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].line, 1);
        assert_eq!(d.blocks.len(), 4);
        let forms: Vec<String> = d.forms.iter().map(|f| f.words.join(" ")).collect();
        for form in [
            "restore",
            "restores",
            "restored",
            "restoring",
            "bans",
            "banned",
            "left",
        ] {
            assert!(forms.contains(&form.to_string()), "{form} in {forms:?}");
        }
        assert!(!forms.contains(&"baned".to_string()));
        assert_eq!(
            d.blocks[2].code,
            Code::Event {
                code: "032".into(),
                reverse: Some("033".into())
            }
        );
        assert_eq!(d.blocks[3].code, Code::Nothing);
        assert_eq!(d.synsets["TIETYPES"].len(), 2);
        // Longest first: the passive pattern; then the file's order.
        let restore = &d.blocks[0];
        assert_eq!(restore.patterns[0].line, 10);
        let passive = &restore.patterns[0].elements;
        assert_eq!(passive[0].slot, Slot::Target);
        assert!(
            passive[2].adjacent_to_previous,
            "WAS_ * : the verb follows WAS directly"
        );
        assert!(
            !passive[3].adjacent_to_previous,
            "* TO: words may come between"
        );
        assert!(passive[4].adjacent_to_previous, "TO_ ^");
        let synset = &restore.patterns[2].elements;
        assert_eq!(synset[1].slot, Slot::Synset("TIETYPES".into()));
        assert!(synset[2].adjacent_to_previous, "&TIETYPES_TIES");
    }

    #[test]
    fn inflects_regular_verbs() {
        assert_eq!(
            inflections("carry", &[]),
            ["carry", "carries", "carrying", "carried"]
        );
        assert_eq!(
            inflections("accuse", &[]),
            ["accuse", "accuses", "accusing", "accused"]
        );
        assert_eq!(
            inflections("attack", &[]),
            ["attack", "attacks", "attacking", "attacked"]
        );
    }
}
