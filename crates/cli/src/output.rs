//! Terminal output: colour only for terminals (and never with NO_COLOR), a writer that treats
//! a closed pipe as the reader being done, and the human layout of a document.

use sitrep_core::Document;
use std::io::{IsTerminal, Write};

/// ANSI styling, on only when writing to a terminal and NO_COLOR is unset.
#[derive(Clone, Copy)]
pub struct Style {
    on: bool,
}

impl Style {
    pub fn for_stdout() -> Self {
        Style {
            on: std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    pub fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    pub fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    pub fn accent(&self, s: &str) -> String {
        self.paint("36", s)
    }
    /// The colour of a mention kind in highlighted text.
    fn kind(&self, kind: &str, s: &str) -> String {
        let code = match kind {
            "person" => "1;36",
            "group" => "1;31",
            "organization" => "34",
            "place" => "32",
            "time" => "33",
            _ => "35",
        };
        self.paint(code, s)
    }
    /// Markers around search matches: bold on a terminal, «…» elsewhere.
    pub fn match_marks(&self) -> (&'static str, &'static str) {
        if self.on {
            ("\x1b[1;33m", "\x1b[0m")
        } else {
            ("«", "»")
        }
    }
}

/// True when the error is stdout's reader having gone away (`sitrep list | head`).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    let broken = Some(std::io::ErrorKind::BrokenPipe);
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().map(|io| io.kind()) == broken
            || c.downcast_ref::<serde_json::Error>()
                .and_then(|j| j.io_error_kind())
                == broken
    })
}

pub fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::new(std::io::stdout().lock())
}

/// A document laid out for reading in a terminal.
pub fn write_pretty(out: &mut impl Write, doc: &Document, style: Style) -> std::io::Result<()> {
    let a = &doc.article;
    writeln!(
        out,
        "{}",
        style.bold(a.title.as_deref().unwrap_or("(untitled)"))
    )?;
    let field = |name: &str, value: Option<String>| {
        value.map(|v| format!("  {} {v}", style.dim(&format!("{name:<10}"))))
    };
    let published = a
        .published
        .as_ref()
        .map(|p| format!("{} ({})", p.date, p.basis.as_str()));
    let duplicate = a
        .duplicate_of
        .as_ref()
        .map(|d| format!("{} (similarity {:.2})", d.id, d.similarity));
    let lines = [
        field("outlet", a.outlet.clone()),
        field("published", published),
        field("byline", a.byline.clone()),
        field("url", a.url.clone()),
        field("image", a.image.clone()),
        field("language", a.language.clone()),
        field("id", Some(a.id.clone())),
        field("source id", a.source_id.clone()),
        field("copy of", duplicate),
    ];
    for line in lines.into_iter().flatten() {
        writeln!(out, "{line}")?;
    }
    for s in &doc.sightings {
        let outlet = s.outlet.as_deref().unwrap_or("?");
        writeln!(
            out,
            "  {} {} via {outlet}",
            style.dim(&format!("{:<10}", "seen in")),
            s.origin
        )?;
    }
    for d in &doc.near_duplicates {
        writeln!(
            out,
            "  {} {} (similarity {:.2})",
            style.dim(&format!("{:<10}", "copied by")),
            d.id,
            d.similarity
        )?;
    }
    for w in &doc.warnings {
        writeln!(out, "  {} {w}", style.accent(&format!("{:<10}", "warning")))?;
    }
    writeln!(out)?;
    for (i, span) in sitrep_core::text::paragraphs(&a.text).enumerate() {
        let paragraph = highlighted(doc, span, style);
        writeln!(
            out,
            "{} {}\n",
            style.dim(&format!("{:>3}", i + 1)),
            paragraph
        )?;
    }
    write_entities(out, doc, style)?;
    write_statements(out, doc, style)?;
    write_events(out, doc, style)?;
    Ok(())
}

/// A paragraph with its outermost mentions coloured by kind (plain text without colour).
fn highlighted(doc: &Document, paragraph: sitrep_core::Span, style: Style) -> String {
    let text = &doc.article.text;
    let mut out = String::new();
    let mut at = paragraph.start;
    for m in doc
        .mentions
        .iter()
        .filter(|m| m.span.start >= paragraph.start && m.span.end <= paragraph.end)
    {
        if m.span.start < at {
            continue; // nested inside the one just painted
        }
        out.push_str(&text[at..m.span.start]);
        out.push_str(&style.kind(&m.kind, &text[m.span.start..m.span.end]));
        at = m.span.end;
    }
    out.push_str(&text[at..paragraph.end]);
    out
}

fn write_entities(out: &mut impl Write, doc: &Document, style: Style) -> std::io::Result<()> {
    if doc.entities.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}", style.bold("Entities"))?;
    for e in &doc.entities {
        let mentions = doc
            .mentions
            .iter()
            .filter(|m| m.entity.as_deref() == Some(e.id.as_str()))
            .count();
        let mut facts: Vec<String> = Vec::new();
        if !e.aliases.is_empty() {
            facts.push(format!("also {}", e.aliases.join(", ")));
        }
        if !e.former_names.is_empty() {
            let more = if e.former_names.len() > 3 {
                format!(" +{} more", e.former_names.len() - 3)
            } else {
                String::new()
            };
            facts.push(format!(
                "formerly {}{more}",
                e.former_names
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        facts.extend(e.titles.iter().cloned());
        facts.extend(e.roles.iter().cloned());
        if let Some(code) = &e.code {
            facts.push(code.clone());
        }
        writeln!(
            out,
            "  {:<4} {:<12} {}  {}",
            style.dim(&e.id),
            e.kind,
            style.kind(kind_of_entity(&e.kind), &e.name),
            style.dim(&format!(
                "{} · {mentions} mention{}",
                facts.join(" · "),
                if mentions == 1 { "" } else { "s" }
            ))
        )?;
    }
    writeln!(out)
}

fn kind_of_entity(kind: &str) -> &str {
    match kind {
        "person" => "person",
        "armed_group" => "group",
        "country" => "place",
        _ => "organization",
    }
}

fn write_statements(out: &mut impl Write, doc: &Document, style: Style) -> std::io::Result<()> {
    if doc.statements.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}", style.bold("Statements"))?;
    let name_of = |id: &Option<String>| {
        id.as_ref()
            .and_then(|id| doc.entities.iter().find(|e| &e.id == id))
            .map_or("?", |e| e.name.as_str())
    };
    for s in &doc.statements {
        let content = s.span.slice(&doc.article.text).unwrap_or_default();
        let shown: String = if content.chars().count() > 200 {
            content
                .chars()
                .take(199)
                .chain(std::iter::once('…'))
                .collect()
        } else {
            content.to_string()
        };
        let who = s
            .speaker_text
            .clone()
            .unwrap_or_else(|| name_of(&s.speaker).to_string());
        let date = s
            .date
            .as_ref()
            .map_or_else(|| "undated".to_string(), |d| d.to_string());
        let tags = if s.tags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", s.tags.join(", "))
        };
        writeln!(
            out,
            "  {:<4} {:<10} {} {} {}{}",
            style.dim(&s.id),
            date,
            style.bold(&who),
            style.accent(&format!(
                "{} ({}, {})",
                if s.cue.is_empty() { "asserts" } else { &s.cue },
                s.form,
                s.kind
            )),
            style.dim(&format!("via {}", s.chain.join(" → "))),
            tags
        )?;
        writeln!(out, "       {shown}")?;
    }
    writeln!(out)
}

/// Events, one line each: mode first, as it is the point — planned is not happened.
fn write_events(out: &mut impl Write, doc: &Document, style: Style) -> std::io::Result<()> {
    if doc.events.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}", style.bold("Events"))?;
    let names = |ids: &[String]| -> String {
        let names: Vec<&str> = ids
            .iter()
            .filter_map(|id| doc.entities.iter().find(|e| &e.id == id))
            .map(|e| e.name.as_str())
            .collect();
        if names.is_empty() {
            "?".into()
        } else {
            names.join(" + ")
        }
    };
    for e in &doc.events {
        let trigger = e.span.slice(&doc.article.text).unwrap_or_default();
        let place = e
            .location
            .as_ref()
            .map(|l| format!(" @ {}", names(std::slice::from_ref(l))))
            .unwrap_or_default();
        let within = e
            .statement
            .as_ref()
            .map(|s| format!(" in {s}"))
            .unwrap_or_default();
        writeln!(
            out,
            "  {:<4} {:<10} {:<9} {} → {} {}{}{}",
            style.dim(&e.id),
            style.accent(&e.mode),
            e.event_type,
            style.bold(&names(&e.actors)),
            names(&e.targets),
            style.dim(&format!("“{trigger}”")),
            place,
            style.dim(&within)
        )?;
    }
    writeln!(out)
}

/// A string cut to `width` characters, with an ellipsis when cut.
pub fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        s.chars()
            .take(width - 1)
            .chain(std::iter::once('…'))
            .collect()
    }
}
