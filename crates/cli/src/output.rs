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
            || c.downcast_ref::<serde_json::Error>().and_then(|j| j.io_error_kind()) == broken
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
        let paragraph = span.slice(&a.text).unwrap_or_default();
        writeln!(
            out,
            "{} {}\n",
            style.dim(&format!("{:>3}", i + 1)),
            paragraph
        )?;
    }
    Ok(())
}
