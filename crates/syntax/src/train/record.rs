//! The record kept beside a model file: what it was trained on (files and their sha256), how
//! (seed, epochs, folds, pruning), what it holds and how it scored on dev. Everything in it is
//! reproducible, so retraining the same way rewrites it byte for byte.

use super::Options;
use crate::conllu::Sentence;
use crate::model::Model;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// One training file.
#[derive(Debug, Clone, Serialize)]
pub struct FileRecord {
    /// The file's name (its folder is the caller's business).
    pub file: String,
    pub sha256: String,
    pub sentences: usize,
    pub words: usize,
}

/// How a model was made and how it scored.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub format_version: u32,
    pub licence: &'static str,
    pub credits: Vec<&'static str>,
    pub train: Vec<FileRecord>,
    pub dev: Vec<String>,
    pub seed: u64,
    pub folds: usize,
    pub prune: f32,
    pub tagger_min_count: u32,
    pub parser_min_count: u32,
    pub tagger_epochs: usize,
    /// The first pass's kept epoch; `tagger_epoch_kept` is the second pass's.
    pub first_tagger_epoch_kept: usize,
    pub tagger_epoch_kept: usize,
    pub parser_epochs: usize,
    pub parser_beam: usize,
    /// Parsers trained side by side whose weights were averaged into the model's.
    pub parsers: usize,
    pub parser_epoch_kept: usize,
    pub model_bytes: usize,
    pub model_sha256: String,
    pub tags: usize,
    pub relations: usize,
    pub tagger_features: usize,
    pub tagger_weights: usize,
    pub parser_features: usize,
    pub parser_weights: usize,
    /// Per dev file and epoch of the first pass (gold tokens): UPOS and XPOS accuracy.
    pub first_tagger_dev_by_epoch: BTreeMap<String, Vec<[f64; 2]>>,
    /// Per dev file and epoch of the second pass (gold tokens): UPOS and XPOS accuracy.
    pub tagger_dev_by_epoch: BTreeMap<String, Vec<[f64; 2]>>,
    /// Per dev file and epoch (gold tokens, predicted tags): UAS and LAS with full relations.
    pub parser_dev_by_epoch: BTreeMap<String, Vec<[f64; 2]>>,
    /// Scores of the file itself per dev file, measured by `sitrep eval syntax`'s code once the
    /// model was written; filled by the caller.
    pub dev_scores: BTreeMap<String, BTreeMap<String, f64>>,
}

fn name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(crate) fn by_epoch(
    options: &Options,
    history: &[Vec<(f64, f64)>],
) -> BTreeMap<String, Vec<[f64; 2]>> {
    options
        .dev
        .iter()
        .enumerate()
        .map(|(f, path)| {
            (
                name(path),
                history.iter().map(|e| [e[f].0, e[f].1]).collect(),
            )
        })
        .collect()
}

impl Record {
    pub(crate) fn new(
        options: &Options,
        train_files: &[Vec<Sentence>],
        bytes: &[u8],
        (tagger_epoch_kept, parser_epoch_kept): (usize, usize),
        tag_history: &[Vec<(f64, f64)>],
        parse_history: &[Vec<(f64, f64)>],
        model: &Model,
    ) -> Self {
        let train = options
            .train
            .iter()
            .zip(train_files)
            .map(|(path, sentences)| FileRecord {
                file: name(path),
                sha256: std::fs::read(path)
                    .map(|b| sha256_hex(&b))
                    .unwrap_or_default(),
                sentences: sentences.len(),
                words: sentences.iter().map(|s| s.words.len()).sum(),
            })
            .collect();
        let (first_features, first_weights) = model.tagger.first.size();
        let (second_features, second_weights) = model.tagger.second.size();
        let (tagger_features, tagger_weights) = (
            first_features + second_features,
            first_weights + second_weights,
        );
        let (parser_features, parser_weights) = model.parser.size();
        Record {
            format_version: model.format_version(),
            licence: "CC BY-SA 4.0",
            credits: vec![
                "UD English EWT (Universal Dependencies; texts of the English Web Treebank, LDC2012T13, released under CC BY-SA by Google), CC BY-SA 4.0",
                "UD English GUM, Georgetown University (Amir Zeldes and the GUM annotators, https://gucorpling.org/gum/): its CC BY documents only",
            ],
            train,
            dev: options.dev.iter().map(|p| name(p)).collect(),
            seed: options.seed,
            folds: options.folds,
            prune: options.prune,
            tagger_min_count: options.tagger_min_count,
            parser_min_count: options.parser_min_count,
            tagger_epochs: options.tagger_epochs,
            first_tagger_epoch_kept: 0,
            tagger_epoch_kept,
            parser_epochs: options.parser_epochs,
            parser_beam: options.beam,
            parsers: options.parsers.max(1),
            parser_epoch_kept,
            model_bytes: bytes.len(),
            model_sha256: sha256_hex(bytes),
            tags: model.tags.len(),
            relations: model.relations.len(),
            tagger_features,
            tagger_weights,
            parser_features,
            parser_weights,
            first_tagger_dev_by_epoch: BTreeMap::new(),
            tagger_dev_by_epoch: by_epoch(options, tag_history),
            parser_dev_by_epoch: by_epoch(options, parse_history),
            dev_scores: BTreeMap::new(),
        }
    }
}
