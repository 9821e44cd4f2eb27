//! The `sitrep` command: a thin layer that parses arguments and hands each command to the
//! library crates (ingest → store → query). Exit codes: 0 ok, 1 some inputs or the command
//! failed, 2 usage error.

mod cli;
mod commands;
mod demo_corpus;
mod output;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match commands::run(args) {
        Ok(status) => status.into(),
        Err(e) if output::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sitrep: error: {e:#}");
            ExitCode::from(1)
        }
    }
}
