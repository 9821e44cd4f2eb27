//! `sitrep serve`: the store over HTTP, with the built-in resources and the installed
//! gazetteer; the layers are brought up to date before the first request is answered.

use super::{open_existing, Status};
use crate::cli::ServeArgs;
use std::path::Path;

pub fn run(args: ServeArgs, db: &Path) -> anyhow::Result<Status> {
    drop(open_existing(db)?);
    let resources = super::with_gazetteer(sitrep_annotate::Resources::builtin())?;
    let config = sitrep_server::Config {
        bind: std::net::SocketAddr::new(args.bind, args.port),
        token: args.token.filter(|t| !t.is_empty()),
        max_body_bytes: args.max_body,
        open_reads: args.open_reads,
        track: super::track_settings(),
    };
    let writes = if config.token.is_some() {
        "writes need the token"
    } else {
        "reads only (no --token)"
    };
    eprintln!("sitrep: bringing the store's layers up to date …");
    sitrep_server::serve(db.to_path_buf(), resources, config, |addr| {
        eprintln!(
            "sitrep: serving {} on http://{addr}/ ({writes}); Ctrl-C stops",
            db.display()
        );
    })?;
    Ok(Status::Ok)
}
