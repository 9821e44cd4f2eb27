//! One module per command; each turns arguments into calls on the library crates.

mod db;
mod demo;
mod eval;
mod events;
mod extract;
mod gazetteer;
mod ingest;
mod query;
mod queue;
mod serve;
mod syntax;
mod tables;
mod track;
mod watch;

use crate::cli::{
    Cli, Command, DbCommand, EvalCommand, GazetteerCommand, LimitArgs, SyntaxCommand,
};
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

/// How a command that ran ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    SomeInputsFailed,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> Self {
        match s {
            Status::Ok => ExitCode::SUCCESS,
            Status::SomeInputsFailed => ExitCode::from(1),
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<Status> {
    let db = cli.db;
    let track = match &cli.track {
        Some(path) => sitrep_ledger::TrackSettings::read(path)?,
        None => sitrep_ledger::TrackSettings::builtin(),
    };
    TRACK
        .set(track)
        .expect("settings are set once, before any command");
    match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Ingest(args) => ingest::run(args, &store_path(db)?),
        Command::Watch(args) => watch::run(args, &store_path(db)?),
        Command::Sources(args) => watch::sources(args, &store_path(db)?),
        Command::List(args) => query::list(args, &store_path(db)?),
        Command::Show(args) => query::show(args, &store_path(db)?),
        Command::Search(args) => query::search(args, &store_path(db)?),
        Command::Events(args) => events::show(args, &store_path(db)?),
        Command::Export(args) => events::export(args, &store_path(db)?),
        Command::Claims(args) => events::claims(args, &store_path(db)?),
        Command::Threads(args) => track::threads(args, &store_path(db)?),
        Command::Predictions(args) => track::predictions(args, &store_path(db)?),
        Command::Claimants(args) => track::claimants(args, &store_path(db)?),
        Command::Serve(args) => serve::run(args, &store_path(db)?),
        Command::Demo => demo::run(db.map_or_else(|| data_dir().map(|d| d.join("demo.db")), Ok)?),
        Command::Worker(args) => queue::worker(args, &store_path(db)?),
        Command::Jobs(args) => queue::jobs(args, &store_path(db)?),
        Command::Db(DbCommand::Migrate) => db::migrate(&store_path(db)?),
        Command::Db(DbCommand::Copy { from, to }) => db::copy(&from, &to),
        Command::Gazetteer(GazetteerCommand::Install { from, dir }) => {
            gazetteer::install(&from, &gazetteer_dir(dir)?)
        }
        Command::Gazetteer(GazetteerCommand::Lookup {
            name,
            limit,
            format,
            dir,
        }) => gazetteer::lookup(&name, limit, format, &gazetteer_dir(dir)?),
        Command::Gazetteer(GazetteerCommand::Info { dir }) => gazetteer::info(&gazetteer_dir(dir)?),
        Command::Eval(EvalCommand::Extraction { data, worst }) => eval::extraction(data, worst),
        Command::Eval(EvalCommand::Geo {
            dataset,
            misses,
            span_errors,
            worst,
        }) => eval::geo(&dataset, misses.as_deref(), span_errors, worst),
        Command::Eval(EvalCommand::Plover) => eval::plover(),
        Command::Eval(EvalCommand::Claims {
            gold,
            errors,
            confusion,
            dictionaries,
        }) => eval::claims(gold, errors, confusion, &dictionaries),
        Command::Eval(EvalCommand::Factuality {
            data,
            errors,
            dictionaries,
        }) => eval::factuality(data, errors, &dictionaries),
        Command::Eval(EvalCommand::Petrarch { failures }) => eval::petrarch(failures),
        Command::Eval(EvalCommand::Threads) => eval::threads(),
        Command::Eval(EvalCommand::Syntax { split, model }) => syntax::eval(split, model),
        Command::Parse(args) => syntax::parse(args),
        Command::Syntax(SyntaxCommand::Train(args)) => syntax::train(args),
    }
}

fn data_dir() -> anyhow::Result<PathBuf> {
    dirs::data_dir()
        .map(|d| d.join("sitrep"))
        .context("no user data directory is known on this system; pass --db PATH")
}

/// The gazetteer folder: --dir, else SITREP_GAZETTEER, else the user's data directory.
fn gazetteer_dir(dir: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match dir.or_else(|| std::env::var_os("SITREP_GAZETTEER").map(PathBuf::from)) {
        Some(d) => Ok(d),
        None => data_dir().map(|d| d.join("gazetteer")),
    }
}

/// The claims-over-time settings of this run (`--track`, else sitrep's own).
static TRACK: std::sync::OnceLock<sitrep_ledger::TrackSettings> = std::sync::OnceLock::new();

pub(crate) fn track_settings() -> sitrep_ledger::TrackSettings {
    TRACK
        .get()
        .cloned()
        .unwrap_or_else(sitrep_ledger::TrackSettings::builtin)
}

/// The store: --db / SITREP_DB (a file or a postgres:// address), else the user's data
/// directory.
fn store_path(db: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    db.map_or_else(|| data_dir().map(|d| d.join("sitrep.db")), Ok)
}

/// The items of the inputs named on the command line (`-` is stdin), within the size limit.
fn read_args(inputs: &[String], limits: &LimitArgs) -> impl Iterator<Item = sitrep_ingest::Item> {
    let inputs = inputs
        .iter()
        .map(|a| sitrep_ingest::source::Input::parse(a))
        .collect();
    sitrep_ingest::source::read_inputs(
        inputs,
        sitrep_ingest::Limits {
            max_document_bytes: limits.max_bytes,
        },
    )
}

/// The language resources: built-in, plus the user's dictionaries. Lines of imported
/// dictionaries that could not be read are reported, one per line, with the reason.
pub(crate) fn load_resources(
    args: &crate::cli::DictionaryArgs,
) -> anyhow::Result<sitrep_annotate::Resources> {
    let choice = sitrep_annotate::DictionaryChoice {
        extra: args.dictionaries.clone(),
        no_defaults: args.no_default_dictionaries,
    };
    let (resources, issues) = sitrep_annotate::Resources::load(&choice)?;
    for (file, issue) in &issues {
        eprintln!("sitrep: {file}: {issue}");
    }
    if !issues.is_empty() {
        eprintln!(
            "sitrep: {} dictionary lines could not be read (listed above); the rest were loaded",
            issues.len()
        );
    }
    with_gazetteer(resources)
}

/// Adds the installed gazetteer, if there is one; without it places stay unresolved (said once).
fn with_gazetteer(
    resources: sitrep_annotate::Resources,
) -> anyhow::Result<sitrep_annotate::Resources> {
    let dir = gazetteer_dir(None)?;
    if !dir.join("places.bin").exists() {
        eprintln!(
            "sitrep: note: no gazetteer at {}; places are found but not resolved (run `sitrep gazetteer install`)",
            dir.display()
        );
        return Ok(resources);
    }
    match sitrep_gazetteer::Gazetteer::open(&dir) {
        Ok(gazetteer) => Ok(resources.with_gazetteer(gazetteer)),
        // An index from another version, or damaged: say so and go on without places resolved.
        Err(e) => {
            eprintln!("sitrep: note: the gazetteer cannot be used ({e}); places are found but not resolved");
            Ok(resources)
        }
    }
}

/// Opens the store for reading: a store file that does not exist yet is an error, not a new
/// file (a server's database is there or not, as the server says).
fn open_existing(path: &std::path::Path) -> anyhow::Result<sitrep_store::Store> {
    if !sitrep_store::is_server(path) && !path.exists() {
        anyhow::bail!(
            "no store at {}: run `sitrep ingest` (or `sitrep demo`) first, or pass --db",
            path.display()
        );
    }
    Ok(sitrep_store::Store::open(path)?)
}
