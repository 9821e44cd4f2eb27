//! `sitrep parse`, `sitrep syntax train` and `sitrep eval syntax`: the syntax layer on its own.

use super::Status;
use crate::cli::{ModelArg, ParseArgs, ParseFormat, Split, TrainArgs};
use anyhow::Context;
use sitrep_syntax::conllu::{self, Sentence};
use sitrep_syntax::evaluate::{evaluate, Evaluation};
use sitrep_syntax::{Parse, Syntax, Tok};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The built-in model, or the one `--model` names, with `--beam`'s width (kept for the rest
/// of the command).
fn load(model: &ModelArg) -> anyhow::Result<&'static Syntax> {
    let syntax = match (&model.model, model.beam) {
        (None, None) => return Ok(Syntax::builtin()?),
        (None, Some(_)) => Syntax::from_bytes(sitrep_syntax::BUILTIN_MODEL)?,
        (Some(path), _) => {
            let bytes = std::fs::read(path)
                .with_context(|| format!("reading the model {}", path.display()))?;
            Syntax::from_bytes(&bytes)
                .with_context(|| format!("loading the model {}", path.display()))?
        }
    };
    let syntax = match model.beam {
        Some(width) => syntax.with_beam(width),
        None => syntax,
    };
    Ok(Box::leak(Box::new(syntax)))
}

/// The most text `sitrep parse` takes at once: the parse of a whole text is held in memory.
const MAX_INPUT_BYTES: u64 = 64 << 20;

/// The input's text, refused with its name when it is too large or not UTF-8.
fn read_input(input: &Path) -> anyhow::Result<String> {
    let (name, reader): (String, Box<dyn Read>) = if input == Path::new("-") {
        ("standard input".into(), Box::new(std::io::stdin()))
    } else {
        let file =
            std::fs::File::open(input).with_context(|| format!("reading {}", input.display()))?;
        (input.display().to_string(), Box::new(file))
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {name}"))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        anyhow::bail!(
            "{name} is over {} MiB: split it, or give its articles to sitrep ingest",
            MAX_INPUT_BYTES >> 20
        );
    }
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{name} is not UTF-8 text (invalid bytes at {})",
            e.utf8_error().valid_up_to()
        )
    })
}

pub fn parse(args: ParseArgs) -> anyhow::Result<Status> {
    let syntax = load(&args.model)?;
    let text = read_input(&args.input)?;
    let layout = sitrep_tokens::analyse(&text, &sitrep_tokens::Abbreviations::builtin());
    let parse = syntax.parse(&text, &layout);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ParseFormat::Conllu => {
            for sentence in parse.to_conllu(&text) {
                conllu::write_sentence(&mut out, &sentence)?;
            }
        }
        ParseFormat::Pretty => write_pretty(&mut out, &parse, &text)?,
    }
    out.flush()?;
    Ok(Status::Ok)
}

/// Each sentence's text, then its tree from the root down, one word a line.
fn write_pretty(out: &mut impl Write, parse: &Parse, text: &str) -> std::io::Result<()> {
    for range in parse.sentences() {
        let first = parse.tok(range.start).span().start;
        let last = parse.tok(range.end - 1).span().end;
        writeln!(
            out,
            "{}",
            text[first..last]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        )?;
        for root in range
            .clone()
            .map(|i| parse.tok(i))
            .filter(|t| t.head().is_none())
        {
            write_subtree(out, root, 1)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn write_subtree(out: &mut impl Write, tok: Tok<'_>, depth: usize) -> std::io::Result<()> {
    writeln!(
        out,
        "{:indent$}{:<12} {:<18} {}/{}  {}",
        "",
        tok.rel(),
        tok.form(),
        tok.upos().as_str(),
        tok.xpos(),
        tok.lemma(),
        indent = depth * 2
    )?;
    for child in tok.children() {
        write_subtree(out, child, depth + 1)?;
    }
    Ok(())
}

pub fn train(args: TrainArgs) -> anyhow::Result<Status> {
    let treebanks = args
        .treebanks
        .unwrap_or_else(|| sitrep_eval::shared_dir().join("treebanks"));
    let mut options = sitrep_syntax::train::Options::standard(&treebanks);
    options.seed = args.seed;
    options.limit = args.limit;
    options.tagger_epochs = args.tagger_epochs.unwrap_or(options.tagger_epochs);
    options.parser_epochs = args.parser_epochs.unwrap_or(options.parser_epochs);
    options.beam = args.beam.map_or(options.beam, usize::from);
    options.parsers = args.parsers.map_or(options.parsers, usize::from);
    let started = std::time::Instant::now();
    let trained = sitrep_syntax::train::train(&options)?;
    let record_path = args.out.with_extension("json");
    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    write_atomically(&args.out, &trained.bytes)?;
    let record = serde_json::to_string_pretty(&trained.record)? + "\n";
    write_atomically(&record_path, record.as_bytes())?;
    eprintln!(
        "trained in {:.0} s: {} ({} bytes) and {}",
        started.elapsed().as_secs_f64(),
        args.out.display(),
        trained.bytes.len(),
        record_path.display()
    );
    for (file, scores) in &trained.record.dev_scores {
        eprintln!("  {file}: {scores:?}");
    }
    Ok(Status::Ok)
}

/// Writes beside the target and renames, so an interrupted run never leaves half a model.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let partial = PathBuf::from(format!("{}.partial", path.display()));
    std::fs::write(&partial, bytes).with_context(|| format!("writing {}", partial.display()))?;
    std::fs::rename(&partial, path)
        .with_context(|| format!("renaming {} into place", partial.display()))?;
    Ok(())
}

pub fn eval(split: Split, model: ModelArg) -> anyhow::Result<Status> {
    let syntax = load(&model)?;
    let treebanks = sitrep_eval::shared_dir().join("treebanks");
    let name = match split {
        Split::Dev => "dev",
        Split::Test => "test",
    };
    let files = [
        (
            "EWT",
            treebanks.join(format!("ud-english-ewt/en_ewt-ud-{name}.conllu")),
        ),
        (
            "GUM CC BY",
            treebanks.join(format!("ud-english-gum-ccby/en_gum-ccby-ud-{name}.conllu")),
        ),
    ];
    println!(
        "sitrep eval syntax: UD English {name} files, model {:032x}",
        syntax.model_id()
    );
    println!(
        "{:<28} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "", "Words", "UPOS", "XPOS", "UFeats", "Lemma", "UAS", "LAS", "LAS+"
    );
    for (label, path) in files {
        let gold: Vec<Sentence> = conllu::read_path(&path)?;
        let scores =
            evaluate(syntax, &gold).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        print_rows(label, name, &scores);
    }
    println!("{:<28} {:>6} {:>6}", "spaCy en_core_web_sm 3.8", "", "92.8");
    println!("  (EWT test, gold tokens, measured on the same file; its whole pipeline ran at about 3,200 tokens/s on one core)");
    println!("F1 over words for raw text (words aligned by characters, CoNLL 2018); LAS compares the universal relation, LAS+ the full one.");
    Ok(Status::Ok)
}

fn print_rows(label: &str, split: &str, e: &Evaluation) {
    for (how, c) in [("gold tokens", &e.gold_tokens), ("raw text", &e.end_to_end)] {
        let pct = |n: usize| format!("{:.1}", 100.0 * c.f1(n));
        println!(
            "{:<28} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
            format!("{label} {split}, {how}"),
            pct(c.aligned_words),
            pct(c.upos),
            pct(c.xpos),
            pct(c.ufeats),
            pct(c.lemma),
            pct(c.uas),
            pct(c.las),
            pct(c.las_full)
        );
    }
}
