//! `sitrep serve`: the store over HTTP, with the built-in resources and the installed
//! gazetteer; the layers are brought up to date before the first request is answered. With
//! `--watch FILE`, a watcher keeps the sources in FILE current on a thread of its own.

use super::{open_existing, Status};
use crate::cli::ServeArgs;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub fn run(args: ServeArgs, db: &Path) -> anyhow::Result<Status> {
    // A store that does not exist yet is an error, unless the watcher is to fill it.
    if args.watch.is_none() {
        drop(open_existing(db)?);
    }
    let resources = super::with_gazetteer(sitrep_annotate::Resources::builtin())?;
    let config = sitrep_server::Config {
        bind: std::net::SocketAddr::new(args.bind, args.port),
        token: args.token.filter(|t| !t.is_empty()),
        max_body_bytes: args.max_body,
        open_reads: args.open_reads,
        track: super::track_settings(),
        worker: !args.no_worker,
    };
    let writes = if config.token.is_some() {
        "writes need the token"
    } else {
        "reads only (no --token)"
    };
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = match &args.watch {
        Some(sources) => Some(super::watch::in_background(
            db,
            sources,
            args.every,
            &args.web,
            stop.clone(),
        )?),
        None => None,
    };
    eprintln!("sitrep: bringing the store's layers up to date …");
    let served = sitrep_server::serve(db.to_path_buf(), resources, config, |addr| {
        eprintln!(
            "sitrep: serving {} on http://{addr}/ ({writes}); Ctrl-C stops",
            db.display()
        );
    });
    // The sources being polled finish and are saved before the process ends.
    stop.store(true, Ordering::Relaxed);
    if let Some(watcher) = watcher {
        let _ = watcher.join();
    }
    served?;
    Ok(Status::Ok)
}
