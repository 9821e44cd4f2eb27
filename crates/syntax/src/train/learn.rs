//! The learning loops: the tagger over gold tags, the parser over the dynamic oracle. Updates
//! run on one thread in a seeded order, so the same data and seed give the same weights.

use super::oracle::{Costs, Gold};
use super::perceptron::Perceptron;
use super::rng::SplitMix64;
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
    /// Probability of following the model's own move rather than the oracle's.
    pub(crate) explore: f64,
}

impl ParserEpoch<'_> {
    pub(crate) fn run(&self, model: &mut Perceptron, order: &[usize], rng: &mut SplitMix64) {
        let classes = Move::classes(self.relations);
        let mut feats = Vec::with_capacity(96);
        let mut scores = vec![0i32; classes];
        for &e in order {
            let ex = &self.examples[e];
            let input = ParseInput {
                words: &ex.words,
                tags: &self.tags[e],
                coarse: self.coarse,
            };
            let gold = Gold::new(ex.heads.clone(), ex.relations.clone());
            let n = ex.words.len();
            let mut state = State::new(n, self.root_relation);
            let mut on_stack = vec![false; n + 1];
            while !state.is_final() {
                parser::features(&input, &state, &mut feats);
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

fn apply(state: &mut State, on_stack: &mut [bool], m: Move) {
    match m {
        Move::Shift | Move::Right(_) => on_stack[state.front] = true,
        Move::Reduce | Move::Left(_) => on_stack[state.top().expect("valid")] = false,
    }
    state.apply(m);
}
