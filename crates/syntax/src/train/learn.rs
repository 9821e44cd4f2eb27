//! The learning loops: the tagger over gold tags; the parser over the dynamic oracle move by
//! move (greedy) or over whole paths (beam). Updates run on one thread in a seeded order, so
//! the same data and seed give the same weights.

use super::oracle::{apply, Costs, Gold};
use super::perceptron::Perceptron;
use super::rng::SplitMix64;
use crate::beam::Beam;
use crate::parser::{self, ParseInput};
use crate::tagger::{self, argmax, TagWord};
use crate::transition::{Move, State};
use crate::weights::Scorer;

/// A training sentence with what the tagger and parser read and learn, as ids.
pub(crate) struct Example {
    pub(crate) words: Vec<TagWord>,
    pub(crate) tags: Vec<u16>,
    /// Projectivised heads, `n` for the root.
    pub(crate) heads: Vec<u32>,
    pub(crate) relations: Vec<u16>,
}

/// One epoch of a tagger pass over `order` (indices into `examples`); the second pass reads
/// `ahead`, the first pass's tags of each example.
pub(crate) fn tagger_epoch(
    model: &mut Perceptron,
    examples: &[Example],
    order: &[usize],
    classes: usize,
    ahead: Option<&[Vec<u16>]>,
) {
    let mut feats = Vec::with_capacity(32);
    let mut scores = vec![0i32; classes];
    for &e in order {
        let ex = &examples[e];
        let mut tags = Vec::with_capacity(ex.words.len());
        for i in 0..ex.words.len() {
            tagger::features(&ex.words, i, &tags, ahead.map(|a| &a[e][..]), &mut feats);
            model.observe(&feats);
            scores.iter_mut().for_each(|s| *s = 0);
            model.score(&feats, &mut scores);
            let guess = argmax(&scores);
            model.update(&feats, ex.tags[i] as usize, guess);
            model.tick();
            // Condition on its own guesses, as at run time.
            tags.push(guess as u16);
        }
    }
}

/// How the parser trains: which tags it reads and when it starts following its own moves.
pub(crate) struct ParserEpoch<'a> {
    pub(crate) examples: &'a [Example],
    /// Tags the parser reads for each example (predicted by a jackknifed tagger).
    pub(crate) tags: &'a [Vec<u16>],
    pub(crate) relations: usize,
    pub(crate) root_relation: u16,
    /// Each tag class's coarse number.
    pub(crate) coarse: &'a [u16],
    /// Probability of following the model's own move rather than the oracle's (greedy).
    pub(crate) explore: f64,
    /// The beam's width; 1 learns greedily, move by move.
    pub(crate) width: usize,
}

impl ParserEpoch<'_> {
    pub(crate) fn run(&self, model: &mut Perceptron, order: &[usize], rng: &mut SplitMix64) {
        for &e in order {
            let (input, gold) = self.sentence(e);
            if self.width > 1 {
                self.find_lesson(model, &input, &gold).teach(model);
            } else {
                self.learn_moves(model, &input, &gold, rng);
            }
        }
    }

    fn sentence(&self, e: usize) -> (ParseInput<'_>, Gold) {
        let ex = &self.examples[e];
        let input = ParseInput {
            words: &ex.words,
            tags: &self.tags[e],
            coarse: self.coarse,
        };
        (input, Gold::new(ex.heads.clone(), ex.relations.clone()))
    }

    /// Greedy: at each state the model's move, corrected towards the best move that loses
    /// nothing more; training goes on from the model's own move with probability `explore`.
    fn learn_moves(
        &self,
        model: &mut Perceptron,
        input: &ParseInput<'_>,
        gold: &Gold,
        rng: &mut SplitMix64,
    ) {
        let mut feats = Vec::with_capacity(96);
        let mut scores = vec![0i32; Move::classes(self.relations)];
        let n = input.words.len();
        let mut state = State::new(n, self.root_relation);
        let mut on_stack = vec![false; n + 1];
        while !state.is_final() {
            parser::features(input, &state, &mut feats);
            model.observe(&feats);
            scores.iter_mut().for_each(|s| *s = 0);
            model.score(&feats, &mut scores);
            let costs = gold.costs(&state, &on_stack);
            let (guess, best) = self.choose(&state, &costs, &scores);
            if costs.of(guess) > costs.of(best) {
                model.update(&feats, best.class(), guess.class());
            }
            model.tick();
            let next = if rng.next_f64() < self.explore {
                guess
            } else {
                best
            };
            apply(&mut state, &mut on_stack, next);
        }
    }

    /// Beam: the whole sentence at once, by the max-violation update of Huang, Fayong and Guo
    /// (2012). The beam parses while the gold path is scored beside it; the lesson is the
    /// step where the beam's best item, not being the gold, beats the gold's prefix by most.
    fn find_lesson(&self, model: &Perceptron, input: &ParseInput<'_>, gold: &Gold) -> Lesson {
        let gold_path = GoldPath::follow(gold, input, model, self.relations, self.root_relation);
        let mut beam =
            Beam::new(model, input, self.relations, self.root_relation, self.width).with_history();
        // The gold item's last step while it is in the beam (`Some(None)` before any move).
        let mut gold_last: Option<Option<u32>> = Some(None);
        // (violation, step, the best item's last step) at the worst step so far.
        let mut worst: Option<(i64, usize, Option<u32>)> = None;
        let mut t = 0;
        while !beam.is_final() {
            beam.advance();
            let history = beam.history.as_ref().expect("kept");
            let gold_class = gold_path.classes[t];
            gold_last = gold_last.and_then(|before| {
                beam.items.iter().map(|it| it.last).find(|&last| {
                    last.is_some_and(|i| {
                        let step = &history.steps[i as usize];
                        step.before == before && step.class == gold_class
                    })
                })
            });
            let best = &beam.items[0];
            if gold_last != Some(best.last) {
                let violation = best.score - gold_path.scores[t];
                if worst.is_none_or(|(v, _, _)| violation > v) {
                    worst = Some((violation, t, best.last));
                }
            }
            t += 1;
        }
        let history = beam.history.take().expect("kept");
        let mut lesson = Lesson {
            gold: gold_path,
            predicted: Vec::new(),
            from: 0,
        };
        if let Some((_, t, last)) = worst.filter(|&(v, _, _)| v >= 0) {
            let path = history.path(last);
            lesson.from = path
                .iter()
                .zip(&lesson.gold.classes)
                .take_while(|(p, &g)| p.class == g)
                .count();
            lesson.predicted = path[lesson.from..=t]
                .iter()
                .map(|p| (history.features_of(p).to_vec(), p.class))
                .collect();
        }
        lesson
    }

    /// The model's best valid move, and its best move among those of least cost.
    fn choose(&self, state: &State, costs: &Costs, scores: &[i32]) -> (Move, Move) {
        let guess = parser::best_valid(state, scores);
        let mut best: Option<(Move, u32, i32)> = None;
        for (class, &score) in scores.iter().enumerate() {
            let m = Move::from_class(class);
            if !state.is_valid(m) {
                continue;
            }
            let cost = costs.of(m);
            if best.is_none_or(|(_, c, s)| cost < c || (cost == c && score > s)) {
                best = Some((m, cost, score));
            }
        }
        (guess, best.map_or(guess, |(m, _, _)| m))
    }
}

/// The gold moves of one sentence with the features each was chosen on (none when forced)
/// and the model's summed score after each.
struct GoldPath {
    classes: Vec<u16>,
    features: Vec<Vec<u64>>,
    scores: Vec<i64>,
}

impl GoldPath {
    fn follow(
        gold: &Gold,
        input: &ParseInput<'_>,
        scorer: &impl Scorer,
        relations: usize,
        root_relation: u16,
    ) -> Self {
        let n = input.words.len();
        let mut state = State::new(n, root_relation);
        let mut on_stack = vec![false; n + 1];
        let mut scores = vec![0i32; Move::classes(relations)];
        let mut path = GoldPath {
            classes: Vec::with_capacity(2 * n),
            features: Vec::with_capacity(2 * n),
            scores: Vec::with_capacity(2 * n),
        };
        let mut total = 0i64;
        while !state.is_final() {
            let m = gold.next_move(&state, &on_stack);
            let mut features = Vec::new();
            if state.forced().is_none() {
                parser::features(input, &state, &mut features);
                scores.iter_mut().for_each(|s| *s = 0);
                scorer.score(&features, &mut scores);
                total += scores[m.class()] as i64;
            }
            path.classes.push(m.class() as u16);
            path.features.push(features);
            path.scores.push(total);
            apply(&mut state, &mut on_stack, m);
        }
        path
    }
}

/// What one sentence teaches: the gold path (its features are counted while the perceptron
/// counts), and from step `from` on the moves of the best wrong path up to its worst
/// violation, which lose; the gold's moves over the same steps gain. No predicted moves: the
/// gold path won.
struct Lesson {
    gold: GoldPath,
    predicted: Vec<(Vec<u64>, u16)>,
    from: usize,
}

impl Lesson {
    fn teach(self, model: &mut Perceptron) {
        for features in &self.gold.features {
            model.observe(features);
        }
        for (s, (features, class)) in self.predicted.iter().enumerate() {
            let g = self.from + s;
            model.add(&self.gold.features[g], self.gold.classes[g] as usize, 1);
            model.add(features, *class as usize, -1);
        }
        // The clock counts moves, as greedy training's does, so that epochs of both weigh
        // alike in the average.
        model.tick_by(self.gold.classes.len() as u32);
    }
}
