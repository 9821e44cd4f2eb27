//! Training: from CoNLL-U treebanks to a model file and the record of how it was made.
//!
//! 1. Read the training and dev files; learn the label tables, the lemmatiser and the
//!    tokeniser's rules.
//! 2. Train the tagger, keeping the epoch that tags dev best.
//! 3. Tag the training set by jackknifing (each fold tagged by both passes of taggers that
//!    never saw it; the second keeps closed classes closed, as at run time, the first does not),
//!    so the parser learns on tags as wrong as the ones it will meet.
//! 4. Train the parser with the dynamic oracle, keeping the epoch that parses dev best; several
//!    parsers (two by default) learn side by side on different orders, one thread each, and
//!    their weights are averaged into one table, which scores as they would together at the
//!    cost of one.
//!
//! Deterministic: one seed orders everything, each learner's updates run on its own thread in
//! its own seeded order, nothing written iterates a hash map. The same files and options give
//! the same bytes.

mod learn;
mod oracle;
mod perceptron;
mod record;
mod rng;

pub use record::{FileRecord, Record};

use crate::conllu::{self, ConlluError, Sentence};
use crate::model::Model;
use crate::morph::Morphology;
use crate::parser::{self, ParseInput};
use crate::tagger::{self, TagWord, Tagger};
use crate::tokenize::TokenRules;
use crate::transition::Move;
use crate::weights::Weights;
use indicatif::{ProgressBar, ProgressStyle};
use learn::{Example, ParserEpoch};
use perceptron::Perceptron;
use rng::SplitMix64;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What to train on and how long.
#[derive(Debug, Clone)]
pub struct Options {
    pub train: Vec<PathBuf>,
    pub dev: Vec<PathBuf>,
    pub seed: u64,
    pub tagger_epochs: usize,
    pub parser_epochs: usize,
    /// The parser's beam width in training and in use; 1 trains and parses greedily.
    pub beam: usize,

    /// Folds for the jackknifed tags the parser trains on.
    pub folds: usize,
    /// Weights below this fraction of the largest are pruned from the file.
    pub prune: f32,
    /// Tagger features seen fewer times than this in the first epoch get no weights.
    pub tagger_min_count: u32,
    /// Parser features seen fewer times than this in the first epoch get no weights: half the
    /// parser's features occur under four times, and dropping them costs nothing on dev.
    pub parser_min_count: u32,
    /// Parsers trained side by side on different orders, their weights averaged into one.
    pub parsers: usize,
    /// Train on the first this-many training sentences only (tests).
    pub limit: Option<usize>,
    pub progress: bool,
}

impl Options {
    /// sitrep's recipe: EWT train and GUM's CC BY train, tuned on both dev files, below a
    /// `treebanks` folder laid out as sitrep's shared data has it.
    pub fn standard(treebanks: &std::path::Path) -> Self {
        let ewt = treebanks.join("ud-english-ewt");
        let gum = treebanks.join("ud-english-gum-ccby");
        Options {
            train: vec![
                ewt.join("en_ewt-ud-train.conllu"),
                gum.join("en_gum-ccby-ud-train.conllu"),
            ],
            dev: vec![
                ewt.join("en_ewt-ud-dev.conllu"),
                gum.join("en_gum-ccby-ud-dev.conllu"),
            ],
            seed: 1,
            tagger_epochs: 10,
            parser_epochs: 15,
            // Greedy, as shipped: a beam of 8 parses more accurately at a fifth of the speed.
            beam: 1,
            folds: 4,
            prune: 0.002,
            tagger_min_count: 2,
            parser_min_count: 4,
            parsers: 2,
            limit: None,
            progress: true,
        }
    }
}

/// Why training failed.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error(transparent)]
    Conllu(#[from] ConlluError),
    #[error("{0}: no training sentences")]
    Empty(String),
    #[error("the treebanks have {0} relations; the parser's classes allow at most 127")]
    TooManyRelations(usize),
    #[error("the treebanks have {0} (UPOS, XPOS) pairs; the tagger allows at most 256")]
    TooManyTags(usize),
    #[error("the new model does not load: {0}")]
    Model(#[from] crate::model::ModelError),
    #[error("scoring the new model on dev: {0}")]
    Evaluation(String),
}

/// A trained model: the file's bytes and the record to keep beside it.
pub struct Trained {
    pub bytes: Vec<u8>,
    pub record: Record,
}

/// Keys by count, most frequent first, ties by key: the same data gives the same ids.
fn by_count<K: Ord>(counts: BTreeMap<K, usize>) -> Vec<K> {
    let mut v: Vec<(K, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.into_iter().map(|(k, _)| k).collect()
}

/// Label tables made from training data, most frequent first (ties by name).
struct Tables {
    tags: Vec<(String, String)>,
    relations: Vec<String>,
}

impl Tables {
    fn learn(sentences: &[Sentence]) -> Result<Self, TrainError> {
        let mut tags: BTreeMap<(String, String), usize> = BTreeMap::new();
        let mut relations: BTreeMap<String, usize> = BTreeMap::new();
        relations.insert("root".into(), 0);
        for w in sentences.iter().flat_map(|s| &s.words) {
            *tags.entry((w.upos.clone(), w.xpos.clone())).or_default() += 1;
            *relations.entry(w.deprel.clone()).or_default() += 1;
        }
        let tables = Tables {
            tags: by_count(tags),
            relations: by_count(relations),
        };
        if tables.tags.len() > 256 {
            return Err(TrainError::TooManyTags(tables.tags.len()));
        }
        if tables.relations.len() > 127 {
            return Err(TrainError::TooManyRelations(tables.relations.len()));
        }
        Ok(tables)
    }

    fn root(&self) -> u16 {
        self.relations.iter().position(|r| r == "root").unwrap_or(0) as u16
    }

    fn example(&self, s: &Sentence) -> Example {
        let n = s.words.len();
        let tag_of = |w: &conllu::Word| {
            self.tags
                .iter()
                .position(|(u, x)| *u == w.upos && *x == w.xpos)
                .unwrap_or(0) as u16
        };
        let rel_of = |w: &conllu::Word| {
            self.relations
                .iter()
                .position(|r| *r == w.deprel)
                .unwrap_or(0) as u16
        };
        let mut heads: Vec<u32> = s
            .words
            .iter()
            .map(|w| {
                if w.head == 0 {
                    n as u32
                } else {
                    (w.head - 1) as u32
                }
            })
            .collect();
        oracle::projectivise(&mut heads);
        Example {
            words: s.words.iter().map(|w| TagWord::new(&w.form)).collect(),
            tags: s.words.iter().map(tag_of).collect(),
            heads,
            relations: s.words.iter().map(rel_of).collect(),
        }
    }
}

fn read_all(paths: &[PathBuf]) -> Result<Vec<Vec<Sentence>>, TrainError> {
    paths.iter().map(|p| Ok(conllu::read_path(p)?)).collect()
}

/// Trains a model as `options` say.
pub fn train(options: &Options) -> Result<Trained, TrainError> {
    let train_files = read_all(&options.train)?;
    let dev_files = read_all(&options.dev)?;
    let mut sentences: Vec<Sentence> = train_files.iter().flatten().cloned().collect();
    if let Some(limit) = options.limit {
        sentences.truncate(limit);
    }
    if sentences.is_empty() {
        return Err(TrainError::Empty(format!("{:?}", options.train)));
    }
    let tables = Tables::learn(&sentences)?;
    let examples: Vec<Example> = sentences.iter().map(|s| tables.example(s)).collect();
    let dev: Vec<Vec<Example>> = dev_files
        .iter()
        .map(|f| f.iter().map(|s| tables.example(s)).collect())
        .collect();
    let bar = Bar::new(options, examples.len());
    let mut rng = SplitMix64::new(options.seed);
    let first = TaggerPass {
        examples: &examples,
        dev: &dev,
        tables: &tables,
        options,
        ahead: None,
    };
    let (first_pass, first_epoch, first_scores) = first.train(&mut rng, &bar);
    let first_tags = jackknife(&examples, &tables, options, first_epoch, None, &bar);
    let dev_first = tag_dev(&dev, |e| {
        tagger::tag(&first_pass, &e.words, tables.tags.len(), None, None)
    });
    let second = TaggerPass {
        ahead: Some((&first_tags, &dev_first)),
        ..first
    };
    let (second_pass, tagger_epoch, tag_scores) = second.train(&mut rng, &bar);
    let closed = parser::closed_classes(&tables.tags);
    let jackknifed = Jackknifed {
        first: &first_tags,
        closed: &closed,
    };
    let train_tags = jackknife(
        &examples,
        &tables,
        options,
        tagger_epoch,
        Some(jackknifed),
        &bar,
    );
    let tagger = Tagger {
        first: first_pass,
        second: second_pass,
    };
    let dev_tags = tag_dev(&dev, |e| tagger.tag(&e.words, &closed));
    let (parser, parser_epoch, parse_scores) = train_parser(
        &examples,
        &train_tags,
        &dev,
        &dev_tags,
        &tables,
        options,
        &mut rng,
        &bar,
    );
    bar.finish();
    let model = Model {
        coarse: parser::coarse_classes(&tables.tags),
        closed,
        root_relation: tables.root(),
        beam: options.beam.clamp(1, 64) as u16,
        tags: tables.tags,
        relations: tables.relations,
        tagger,
        parser,
        morphology: Morphology::learn(sentences.iter().flat_map(|s| &s.words)),
        tokens: TokenRules::learn(&sentences),
        checksum: 0,
    };
    let bytes = model.to_bytes();
    let mut record = Record::new(
        options,
        &train_files,
        &bytes,
        (tagger_epoch, parser_epoch),
        &tag_scores,
        &parse_scores,
        &model,
    );
    record.first_tagger_epoch_kept = first_epoch;
    record.first_tagger_dev_by_epoch = record::by_epoch(options, &first_scores);
    record.dev_scores = dev_scores(&bytes, options, &dev_files)?;
    Ok(Trained { bytes, record })
}

/// The written model's scores on each dev file, through the same code as `sitrep eval syntax`.
fn dev_scores(
    bytes: &[u8],
    options: &Options,
    dev_files: &[Vec<Sentence>],
) -> Result<BTreeMap<String, BTreeMap<String, f64>>, TrainError> {
    let syntax = crate::Syntax::from_bytes(bytes)?;
    let mut out = BTreeMap::new();
    for (path, gold) in options.dev.iter().zip(dev_files) {
        let e = crate::evaluate::evaluate(&syntax, gold).map_err(TrainError::Evaluation)?;
        let (g, r) = (&e.gold_tokens, &e.end_to_end);
        let scores = [
            ("upos", g.f1(g.upos)),
            ("xpos", g.f1(g.xpos)),
            ("ufeats", g.f1(g.ufeats)),
            ("lemma", g.f1(g.lemma)),
            ("uas", g.f1(g.uas)),
            ("las", g.f1(g.las)),
            ("las_full", g.f1(g.las_full)),
            ("raw_words", r.f1(r.aligned_words)),
            ("raw_upos", r.f1(r.upos)),
            ("raw_uas", r.f1(r.uas)),
            ("raw_las", r.f1(r.las)),
        ];
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        // Four decimals: what the record promises, without float noise.
        out.insert(
            name,
            scores
                .iter()
                .map(|(k, v)| (k.to_string(), (v * 1e4).round() / 1e4))
                .collect(),
        );
    }
    Ok(out)
}

/// The progress bar, or nothing.
struct Bar(Option<ProgressBar>);

impl Bar {
    fn new(options: &Options, sentences: usize) -> Self {
        if !options.progress {
            return Bar(None);
        }
        let folds = options.folds.max(1) as u64;
        let total = sentences as u64
            * (options.tagger_epochs as u64 * (2 + 2 * folds.saturating_sub(1))
                + options.parser_epochs as u64);
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template("{msg:24} [{bar:40}] {percent:>3}% {elapsed} (eta {eta})")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        Bar(Some(bar))
    }
    fn step(&self, msg: &str, n: usize) {
        if let Some(b) = &self.0 {
            b.set_message(msg.to_string());
            b.inc(n as u64);
        }
    }
    fn println(&self, line: String) {
        match &self.0 {
            Some(b) => b.println(line),
            None => eprintln!("{line}"),
        }
    }
    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

/// Tags for every dev file.
fn tag_dev(dev: &[Vec<Example>], tag: impl Fn(&Example) -> Vec<u16>) -> Vec<Vec<Vec<u16>>> {
    dev.iter().map(|f| f.iter().map(&tag).collect()).collect()
}

/// (UPOS, XPOS) accuracy of tags against every dev file's gold.
fn tag_accuracy(tags: &[Vec<Vec<u16>>], dev: &[Vec<Example>], tables: &Tables) -> Vec<(f64, f64)> {
    dev.iter()
        .zip(tags)
        .map(|(file, file_tags)| {
            let (mut upos, mut xpos, mut n) = (0usize, 0usize, 0usize);
            for (e, guess) in file.iter().zip(file_tags) {
                for (g, t) in guess.iter().zip(&e.tags) {
                    let (gu, gx) = &tables.tags[*g as usize];
                    let (tu, tx) = &tables.tags[*t as usize];
                    upos += (gu == tu) as usize;
                    xpos += (gx == tx) as usize;
                    n += 1;
                }
            }
            (upos as f64 / n.max(1) as f64, xpos as f64 / n.max(1) as f64)
        })
        .collect()
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = xs.collect();
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

/// The first pass's tags: of each training example (jackknifed), and of each dev file's.
type Ahead<'a> = (&'a [Vec<u16>], &'a [Vec<Vec<u16>>]);

/// One pass of the tagger to train; the second reads the first's tags of training examples
/// (jackknifed) and of dev.
#[derive(Clone, Copy)]
struct TaggerPass<'a> {
    examples: &'a [Example],
    dev: &'a [Vec<Example>],
    tables: &'a Tables,
    options: &'a Options,
    ahead: Option<Ahead<'a>>,
}

impl TaggerPass<'_> {
    /// Trains on everything; returns the best epoch's weights, that epoch (1-based) and the dev
    /// scores per epoch.
    fn train(&self, rng: &mut SplitMix64, bar: &Bar) -> (Weights, usize, Vec<Vec<(f64, f64)>>) {
        let classes = self.tables.tags.len();
        let mut model = Perceptron::new(classes);
        model.count_features();
        let mut order: Vec<usize> = (0..self.examples.len()).collect();
        let mut best: Option<(f64, Weights, usize)> = None;
        let mut history = Vec::new();
        let pass = if self.ahead.is_some() {
            "second"
        } else {
            "first"
        };
        for epoch in 1..=self.options.tagger_epochs {
            rng.shuffle(&mut order);
            learn::tagger_epoch(
                &mut model,
                self.examples,
                &order,
                classes,
                self.ahead.map(|a| a.0),
            );
            if epoch == 1 {
                model.cut_off(self.options.tagger_min_count);
            }
            bar.step("tagger", self.examples.len());
            let weights = model.averaged(self.options.prune);
            let tags: Vec<Vec<Vec<u16>>> = match self.ahead {
                None => tag_dev(self.dev, |e| {
                    tagger::tag(&weights, &e.words, classes, None, None)
                }),
                Some((_, dev_first)) => self
                    .dev
                    .iter()
                    .zip(dev_first)
                    .map(|(f, firsts)| {
                        f.iter()
                            .zip(firsts)
                            .map(|(e, a)| tagger::tag(&weights, &e.words, classes, Some(a), None))
                            .collect()
                    })
                    .collect(),
            };
            let scores = tag_accuracy(&tags, self.dev, self.tables);
            bar.println(format!(
                "tagger ({pass} pass) epoch {epoch}: dev (UPOS, XPOS) {scores:?}"
            ));
            let upos = mean(scores.iter().map(|s| s.0));
            history.push(scores);
            if best.as_ref().is_none_or(|(b, _, _)| upos > *b) {
                best = Some((upos, weights, epoch));
            }
        }
        let (_, weights, epoch) = best.expect("at least one epoch");
        (weights, epoch, history)
    }
}

/// What a second pass's jackknife reads: the first pass's jackknifed tags, and the closed
/// classes the run-time tagger keeps closed.
#[derive(Clone, Copy)]
struct Jackknifed<'a> {
    first: &'a [Vec<u16>],
    closed: &'a [bool],
}

/// Tags of every training example from taggers that never saw it: the first pass's alone, or,
/// given the first pass's jackknifed tags, the second pass's as the run-time tagger's second
/// pass gives them, so the parser learns on tags as wrong as the ones it will meet.
fn jackknife(
    examples: &[Example],
    tables: &Tables,
    options: &Options,
    epochs: usize,
    second: Option<Jackknifed<'_>>,
    bar: &Bar,
) -> Vec<Vec<u16>> {
    let folds = options.folds.max(2);
    let classes = tables.tags.len();
    let ahead = second.map(|s| s.first);
    let tag_fold = |fold: usize| -> Vec<(usize, Vec<u16>)> {
        let mut rng = SplitMix64::new(options.seed ^ (fold as u64 + 1).wrapping_mul(0x9e37_79b9));
        let mut order: Vec<usize> = (0..examples.len()).filter(|i| i % folds != fold).collect();
        let mut model = Perceptron::new(classes);
        for _ in 0..epochs {
            rng.shuffle(&mut order);
            learn::tagger_epoch(&mut model, examples, &order, classes, ahead);
            bar.step("jackknifed tags", order.len());
        }
        let weights = model.averaged(options.prune);
        (0..examples.len())
            .filter(|i| i % folds == fold)
            .map(|i| {
                let words = &examples[i].words;
                let tags = match second {
                    None => tagger::tag(&weights, words, classes, None, None),
                    Some(s) => {
                        tagger::tag(&weights, words, classes, Some(&s.first[i]), Some(s.closed))
                    }
                };
                (i, tags)
            })
            .collect()
    };
    let mut tags = vec![Vec::new(); examples.len()];
    let results: Vec<Vec<(usize, Vec<u16>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..folds)
            .map(|f| scope.spawn(move || tag_fold(f)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a fold's thread"))
            .collect()
    });
    for (i, t) in results.into_iter().flatten() {
        tags[i] = t;
    }
    tags
}

/// (UAS, LAS) with gold tokens and the given tags, per dev file.
fn attachment(
    weights: &Weights,
    dev: &[Vec<Example>],
    dev_tags: &[Vec<Vec<u16>>],
    tables: &Tables,
    beam: usize,
) -> Vec<(f64, f64)> {
    let coarse = parser::coarse_classes(&tables.tags);
    dev.iter()
        .zip(dev_tags)
        .map(|(file, tags)| {
            let (mut uas, mut las, mut n) = (0usize, 0usize, 0usize);
            for (e, t) in file.iter().zip(tags) {
                let input = ParseInput {
                    words: &e.words,
                    tags: t,
                    coarse: &coarse,
                };
                let (heads, rels) = crate::beam::parse(
                    weights,
                    &input,
                    tables.relations.len(),
                    tables.root(),
                    beam,
                );
                let (heads, rels) =
                    crate::tree::single_root(heads, rels, &tables.relations, tables.root());
                let m = e.words.len();
                for i in 0..m {
                    let gold_head = e.heads[i] as usize;
                    let ok = heads[i].map_or(gold_head == m, |h| h == gold_head);
                    uas += ok as usize;
                    las += (ok && rels[i] == e.relations[i]) as usize;
                    n += 1;
                }
            }
            (uas as f64 / n.max(1) as f64, las as f64 / n.max(1) as f64)
        })
        .collect()
}

/// One of the parsers that learn side by side: its weights, and its own order of the
/// training sentences and stream of exploration choices.
struct Learner {
    model: Perceptron,
    rng: SplitMix64,
    order: Vec<usize>,
}

impl Learner {
    fn new(tables: &Tables, sentences: usize, seed: u64) -> Self {
        let mut model = Perceptron::new(Move::classes(tables.relations.len()));
        model.count_features();
        Learner {
            model,
            rng: SplitMix64::new(seed),
            order: (0..sentences).collect(),
        }
    }

    /// One pass over the training sentences in a fresh order; after the first, rare features
    /// lose their weights.
    fn epoch(&mut self, run: &ParserEpoch<'_>, epoch: usize, min_count: u32) {
        self.rng.shuffle(&mut self.order);
        run.run(&mut self.model, &self.order, &mut self.rng);
        if epoch == 1 {
            self.model.cut_off(min_count);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn train_parser(
    examples: &[Example],
    train_tags: &[Vec<u16>],
    dev: &[Vec<Example>],
    dev_tags: &[Vec<Vec<u16>>],
    tables: &Tables,
    options: &Options,
    rng: &mut SplitMix64,
    bar: &Bar,
) -> (Weights, usize, Vec<Vec<(f64, f64)>>) {
    let coarse = parser::coarse_classes(&tables.tags);
    let mut learners: Vec<Learner> = (0..options.parsers.max(1))
        .map(|_| Learner::new(tables, examples.len(), rng.next_u64()))
        .collect();
    let mut best: Option<(f64, Weights, usize)> = None;
    let mut history = Vec::new();
    for epoch in 1..=options.parser_epochs {
        let run = ParserEpoch {
            examples,
            tags: train_tags,
            relations: tables.relations.len(),
            root_relation: tables.root(),
            coarse: &coarse,
            explore: if epoch <= 1 { 0.0 } else { 0.9 },
            width: options.beam,
        };
        std::thread::scope(|scope| {
            for learner in &mut learners {
                let run = &run;
                scope.spawn(move || learner.epoch(run, epoch, options.parser_min_count));
            }
        });
        bar.step("parser", examples.len());
        let models: Vec<&Perceptron> = learners.iter().map(|l| &l.model).collect();
        let weights = Perceptron::mixed(&models, options.prune);
        let scores = attachment(&weights, dev, dev_tags, tables, options.beam);
        let las = mean(scores.iter().map(|s| s.1));
        let (features, entries) = weights.size();
        bar.println(format!("parser epoch {epoch}: dev (UAS, LAS) {scores:?}; {features} features, {entries} weights"));
        history.push(scores);
        if best.as_ref().is_none_or(|(b, _, _)| las > *b) {
            best = Some((las, weights, epoch));
        }
    }
    let (_, weights, epoch) = best.expect("at least one epoch");
    (weights, epoch, history)
}
