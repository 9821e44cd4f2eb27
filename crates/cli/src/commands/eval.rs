//! `sitrep eval`: sitrep measured against the reference data, beside its peers.

use super::Status;
use sitrep_eval::extraction::{run_system, Benchmark};
use std::path::PathBuf;

pub fn extraction(data: Option<PathBuf>, worst: usize) -> anyhow::Result<Status> {
    let dir = data.unwrap_or_else(|| sitrep_eval::shared_dir().join("extraction"));
    let bench = Benchmark::load(&dir)?;
    let ours = run_system(&bench, "sitrep", |html| {
        sitrep_ingest::extract_html_text(html).map_err(|e| e.to_string())
    })?;
    let peers = bench.peer_results()?;
    print!(
        "{}",
        sitrep_eval::extraction::render(&bench, &ours, &peers, worst)
    );
    Ok(Status::Ok)
}
