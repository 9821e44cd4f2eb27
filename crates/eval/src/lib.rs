//! Evaluations of sitrep against the reference data in `../shared` (DESIGN.md §6).
//!
//! Each evaluation loads its gold data, runs a system given to it as a function (so this crate
//! knows nothing of how sitrep extracts), scores the output exactly as the data set's own
//! scorer does, and renders a table beside the peers' published outputs.

pub mod claims;
pub mod extraction;
pub mod factuality;
pub mod fakes;
pub mod geo;
pub mod petrarch;
pub mod plover;
pub mod threads;

use std::path::PathBuf;

/// Where the shared reference data lives: `$SITREP_SHARED`, else `../shared` beside the
/// checkout (as CI lays it out), else `shared` under the current directory.
pub fn shared_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SITREP_SHARED") {
        return PathBuf::from(dir);
    }
    let beside_checkout = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if beside_checkout.is_dir() {
        return beside_checkout;
    }
    PathBuf::from("../shared")
}

/// The harmonic mean of a precision and a recall (0 when both are 0).
pub(crate) fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    }
}

/// The text an XML entity or character reference stands for (`&amp;`, `&#233;`); an unknown
/// named entity stands for nothing.
pub(crate) fn reference_text(
    r: &quick_xml::events::BytesRef<'_>,
) -> Result<String, quick_xml::Error> {
    Ok(match r.resolve_char_ref()? {
        Some(c) => c.to_string(),
        None => match r.as_ref() {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            "quot" => "\"",
            "apos" => "'",
            _ => "",
        }
        .to_string(),
    })
}

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: {reason}")]
    Data { path: String, reason: String },
}

impl EvalError {
    fn data(path: &std::path::Path, reason: impl ToString) -> Self {
        EvalError::Data {
            path: path.display().to_string(),
            reason: reason.to_string(),
        }
    }
}
