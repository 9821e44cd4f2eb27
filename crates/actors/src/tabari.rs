//! Import of TABARI/PETRARCH actor dictionaries (the Phoenix `*.actors.txt` files):
//!
//! ```text
//! JABHAT_AL_NUSRA_  [SYRREBMUS]     # a root name and its code
//! +NUSRA_FRONT_                     # a synonym of the root above
//! [SYRGOV >000717]                  # a code valid from 2000-07-17
//! [SYRELI 830101-000101]            # a code valid in a date range
//! ```
//!
//! and agent dictionaries (`Phoenix.agents.txt`), whose codes start with `~`:
//!
//! ```text
//! !PERSON! = MAN, MEN, WOMAN        # a substitution set
//! POLICE!PERSON! [~COP]             # POLICEMAN, POLICEMEN, POLICEWOMAN ...
//! MEDIA {} [~MED]                   # {} : no plural; {FORMS} : these plurals
//! ```

use crate::model::{Actor, Agent, DatedCode, Dictionary};
use sitrep_core::dictionary_file::content_lines;
use sitrep_core::ImportIssue;
use std::collections::HashMap;

pub(crate) fn import(source_name: &str, text: &str) -> (Dictionary, Vec<ImportIssue>) {
    let mut actors: Vec<Actor> = Vec::new();
    let mut agents: Vec<Agent> = Vec::new();
    let mut substitutions: HashMap<String, Vec<String>> = HashMap::new();
    let mut issues = Vec::new();
    for (line_no, raw, line) in content_lines(text) {
        let line = line.as_str();
        let issue = |reason: &str| ImportIssue {
            line: line_no,
            text: raw.trim().to_string(),
            reason: reason.into(),
        };
        if let Some((set, values)) = substitution_set(line) {
            substitutions.insert(set, values);
            continue;
        }
        let (names_part, codes_part) = match line.find('[') {
            Some(at) => (line[..at].trim(), Some(&line[at..])),
            None => (line, None),
        };
        let codes = match codes_part.map(parse_codes).transpose() {
            Ok(codes) => codes.unwrap_or_default(),
            Err(reason) => {
                issues.push(issue(&reason));
                continue;
            }
        };
        if codes.first().is_some_and(|c| c.code.contains('~')) && !names_part.starts_with('+') {
            match agent(names_part, &codes[0].code, &substitutions) {
                Ok(forms) => agents.push(Agent {
                    name: forms[0].clone(),
                    forms,
                    code: codes[0].code.replace('~', ""),
                    before_country: codes[0].code.ends_with('~'),
                    source: format!("{source_name}:{line_no}"),
                }),
                Err(reason) => issues.push(issue(&reason)),
            }
            continue;
        }
        if let Some(synonyms) = names_part.strip_prefix('+') {
            let Some(actor) = actors.last_mut() else {
                issues.push(issue("a synonym (+) before any root name"));
                continue;
            };
            actor
                .aliases
                .extend(synonyms.split('+').filter_map(tabari_name));
            add_codes(actor, codes);
        } else if names_part.is_empty() {
            let Some(actor) = actors.last_mut() else {
                issues.push(issue("a code line before any root name"));
                continue;
            };
            add_codes(actor, codes);
        } else {
            let mut names = names_part.split('+').filter_map(tabari_name);
            let Some(name) = names.next() else {
                issues.push(issue("no name on the line"));
                continue;
            };
            if name
                .chars()
                .any(|c| matches!(c, '{' | '}' | '<' | '>' | '='))
            {
                issues.push(issue("pattern syntax sitrep does not read in actor names"));
                continue;
            }
            let mut actor = Actor {
                name,
                aliases: names.collect(),
                source: format!("{source_name}:{line_no}"),
                ..Default::default()
            };
            add_codes(&mut actor, codes);
            actors.push(actor);
        }
    }
    // An entry with no code at all cannot be coded: report it rather than guess.
    actors.retain(|actor| {
        let coded = actor.code.is_some() || !actor.dated_codes.is_empty();
        if !coded {
            let line = actor
                .source
                .rsplit(':')
                .next()
                .and_then(|l| l.parse().ok())
                .unwrap_or(0);
            issues.push(ImportIssue {
                line,
                text: actor.name.clone(),
                reason: "an entry without a code".into(),
            });
        }
        coded
    });
    issues.sort_by_key(|i| i.line);
    for actor in &mut actors {
        actor.kind = kind_of(actor.code_on(None).unwrap_or_default()).to_string();
        actor.country = actor
            .code_on(None)
            .map(|c| c.chars().take(3).collect())
            .filter(|c: &String| c.len() == 3);
    }
    (Dictionary { actors, agents }, issues)
}

/// `!PERSON! = MAN, MEN, WOMAN` → ("PERSON", [MAN, MEN, WOMAN]).
fn substitution_set(line: &str) -> Option<(String, Vec<String>)> {
    let (name, values) = line.split_once('=')?;
    let name = name.trim().strip_prefix('!')?.strip_suffix('!')?;
    let values = values
        .split(',')
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect();
    Some((name.to_string(), values))
}

/// Every form of an agent entry: substitution sets expanded, plurals as `{}` says or regular.
fn agent(
    names_part: &str,
    code: &str,
    substitutions: &HashMap<String, Vec<String>>,
) -> Result<Vec<String>, String> {
    if code.len() < 2 {
        return Err(format!("agent code {code:?} is empty"));
    }
    let (noun, plurals) = match names_part.find('{') {
        Some(open) => {
            let close = names_part.find('}').ok_or("an unclosed { plural list")?;
            let listed: Vec<String> = names_part[open + 1..close]
                .split(',')
                .filter_map(tabari_name)
                .collect();
            (names_part[..open].trim(), Some(listed))
        }
        None => (names_part.trim(), None),
    };
    let mut singulars = vec![noun.to_string()];
    while let Some(at) = singulars.iter().position(|s| s.matches('!').count() >= 2) {
        let template = singulars.remove(at);
        let start = template.find('!').expect("counted");
        let end = start + 1 + template[start + 1..].find('!').expect("counted");
        let set = &template[start + 1..end];
        let values = substitutions
            .get(set)
            .ok_or_else(|| format!("substitution set !{set}! is not defined above"))?;
        for value in values {
            singulars.push(format!(
                "{}{value}{}",
                &template[..start],
                &template[end + 1..]
            ));
        }
    }
    let mut forms: Vec<String> = singulars.iter().filter_map(|s| tabari_name(s)).collect();
    let regular_plurals: Vec<String> = match plurals {
        Some(listed) => listed,
        None => forms.iter().map(|f| plural(f)).collect(),
    };
    for p in regular_plurals {
        if !forms.contains(&p) {
            forms.push(p);
        }
    }
    if forms.is_empty() {
        return Err("no name on the line".into());
    }
    Ok(forms)
}

/// The regular English plural of a noun phrase's last word.
fn plural(noun: &str) -> String {
    let lower = noun.to_ascii_lowercase();
    if lower.ends_with("man") {
        format!("{}EN", &noun[..noun.len() - 2])
    } else if lower.ends_with('s')
        || lower.ends_with('x')
        || lower.ends_with("ch")
        || lower.ends_with("sh")
    {
        format!("{noun}ES")
    } else if lower.ends_with('y')
        && !lower.ends_with("ay")
        && !lower.ends_with("ey")
        && !lower.ends_with("oy")
    {
        format!("{}IES", &noun[..noun.len() - 1])
    } else {
        format!("{noun}S")
    }
}

/// `NUSRA_FRONT_` → `NUSRA FRONT`.
fn tabari_name(raw: &str) -> Option<String> {
    let name = raw.trim().trim_end_matches('_').replace('_', " ");
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    (!name.is_empty()).then_some(name)
}

fn add_codes(actor: &mut Actor, codes: Vec<DatedCode>) {
    for c in codes {
        if c.from.is_none() && c.until.is_none() && actor.code.is_none() {
            actor.code = Some(c.code);
        } else {
            actor.dated_codes.push(c);
        }
    }
}

/// `[SYR] [SYRGOV >000717]` → codes with their date bounds.
fn parse_codes(part: &str) -> Result<Vec<DatedCode>, String> {
    let mut codes = Vec::new();
    let mut rest = part.trim();
    while !rest.is_empty() {
        let inner_end = rest.find(']').ok_or("an unclosed [ code")?;
        // "[HOB < 950601]" and "[HOBGOV 19950601 - 19990815]" are written with spaces too.
        let inner = rest[1..inner_end]
            .trim()
            .replace("< ", "<")
            .replace("> ", ">")
            .replace(" - ", "-");
        let mut words = inner.split_whitespace();
        let code = words.next().ok_or("an empty [] code")?.to_string();
        // Letters and digits; `~` marks an agent suffix, `---` a null actor, `/` joint codes.
        if !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '~' | '-' | '+' | '/'))
        {
            return Err(format!("code {code:?} is not letters and digits"));
        }
        let (from, until) = match words.next() {
            None => (None, None),
            Some(spec) => date_bounds(spec)?,
        };
        if let Some(extra) = words.next() {
            return Err(format!("unexpected {extra:?} in a code"));
        }
        codes.push(DatedCode { code, from, until });
        rest = rest[inner_end + 1..].trim_start();
        if !rest.starts_with('[') {
            // Text after the codes is a note (the International file lists sectors and
            // revenues there), as after a `#`.
            break;
        }
    }
    Ok(codes)
}

/// `>000717` (from), `<000717` (until), `830101-000101` (range).
fn date_bounds(spec: &str) -> Result<(Option<String>, Option<String>), String> {
    if let Some(d) = spec.strip_prefix('>') {
        Ok((Some(yymmdd(d)?), None))
    } else if let Some(d) = spec.strip_prefix('<') {
        Ok((None, Some(yymmdd(d)?)))
    } else if let Some((a, b)) = spec.split_once('-') {
        Ok((Some(yymmdd(a)?), Some(yymmdd(b)?)))
    } else {
        Err(format!(
            "date restriction {spec:?} is not >YYMMDD, <YYMMDD or YYMMDD-YYMMDD"
        ))
    }
}

/// TABARI's dates: YYMMDD (years up to 40 are 20xx, the rest 19xx) or YYYYMMDD.
fn yymmdd(d: &str) -> Result<String, String> {
    let bad = || format!("date {d:?} is not YYMMDD or YYYYMMDD");
    if !matches!(d.len(), 6 | 8) || !d.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let (year, rest) = if d.len() == 8 {
        (d[0..4].parse().map_err(|_| bad())?, &d[4..])
    } else {
        let yy: i32 = d[0..2].parse().map_err(|_| bad())?;
        (if yy <= 40 { 2000 + yy } else { 1900 + yy }, &d[2..])
    };
    let date = chrono::NaiveDate::from_ymd_opt(
        year,
        rest[0..2].parse().map_err(|_| bad())?,
        rest[2..4].parse().map_err(|_| bad())?,
    )
    .ok_or_else(bad)?;
    Ok(date.to_string())
}

/// The kind an actor's CAMEO code implies: its role after the three-letter country.
fn kind_of(code: &str) -> &'static str {
    let role = code.get(3..6).unwrap_or_default();
    match (code.len(), role) {
        (3, _) if code.starts_with("IGO") => "igo",
        (3, _) => "country",
        (_, "GOV") | (_, "LEG") | (_, "JUD") => "government",
        (_, "MIL") => "military",
        (_, "SPY") | (_, "COP") => "security_service",
        (_, "REB") | (_, "INS") | (_, "UAF") => "armed_group",
        (_, "OPP") | (_, "PTY") => "party",
        (_, "MED") => "media",
        _ if code.starts_with("IGO") => "igo",
        _ if code.starts_with("NGO") => "ngo",
        _ => "organization",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# comment\n\
        JABHAT_AL_NUSRA_  [SYRREBMUS] # 2013\n\
        +NUSRA_FRONT_\n\
        +AL-NUSRA_FRONT_+JABHAT_AL-NUSRA_\n\
        SYRIA_  [SYR]\n\
        BASHAR_AL-ASSAD_\n\
        [SYRELI 830101-000717]\n\
        [SYRGOV >000717]\n\
        +ASSAD_\n\
        +ORPHAN [XXX\n\
        BROKEN_ [SYRGOV >07]\n";

    #[test]
    fn imports_agents_with_substitutions_and_plurals() {
        let text = "!PERSON! = MAN, WOMAN\nPOLICE!PERSON! [~COP]\nMEDIA {} [~MED]\nSOLDIER [~MIL]\nATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~JUD]\nBAD!NOPE! [~XXX]\n";
        let (d, issues) = import("agents.txt", text);
        let forms: Vec<&Vec<String>> = d.agents.iter().map(|a| &a.forms).collect();
        assert_eq!(
            forms[0],
            &["POLICEMAN", "POLICEWOMAN", "POLICEMEN", "POLICEWOMEN"]
        );
        assert_eq!(forms[1], &["MEDIA"]);
        assert_eq!(forms[2], &["SOLDIER", "SOLDIERS"]);
        assert_eq!(forms[3], &["ATTORNEY GENERAL", "ATTORNEYS GENERAL"]);
        assert_eq!(d.agents[0].code, "COP");
        assert!(d.actors.is_empty());
        assert_eq!(issues.len(), 1);
        assert!(issues[0].reason.contains("!NOPE!"));
    }

    #[test]
    fn imports_roots_synonyms_and_dated_codes() {
        let (d, issues) = import("test.txt", SAMPLE);
        let nusra = &d.actors[0];
        assert_eq!(nusra.name, "JABHAT AL NUSRA");
        assert_eq!(
            nusra.aliases,
            ["NUSRA FRONT", "AL-NUSRA FRONT", "JABHAT AL-NUSRA"]
        );
        assert_eq!(
            (
                nusra.code.as_deref(),
                nusra.kind.as_str(),
                nusra.country.as_deref()
            ),
            (Some("SYRREBMUS"), "armed_group", Some("SYR"))
        );
        assert_eq!(nusra.source, "test.txt:2");
        assert_eq!(d.actors[1].kind, "country");
        let assad = &d.actors[2];
        assert_eq!(assad.code_on(Some("1990-05-01")), Some("SYRELI"));
        assert_eq!(assad.code_on(Some("2023-01-26")), Some("SYRGOV"));
        assert_eq!(assad.kind, "government", "the kind follows the latest code");
        let lines: Vec<usize> = issues.iter().map(|i| i.line).collect();
        assert_eq!(lines, [10, 11], "{issues:?}");
        assert!(issues[0].reason.contains("unclosed"));
        assert!(issues[1].reason.contains("YYMMDD"), "{issues:?}");
    }
}
