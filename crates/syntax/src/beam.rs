//! Beam search over arc-eager moves (Zhang and Clark 2008; Zhang and Nivre 2011): the parser
//! keeps the `width` partial parses whose moves score highest in sum, so a move that looked
//! best on its own can lose to one that leads to a better parse of the whole sentence. Every
//! parse of `n` words takes exactly `2n` moves (each word is pushed once and popped once), so
//! the items advance in step and their scores compare. Width 1 is greedy decoding.
//!
//! Training learns from whole paths (see `train::learn`), so the beam can keep a history: each
//! item's moves and the features each was chosen on.

use crate::parser::{self, ParseInput};
use crate::transition::{Move, State};
use crate::weights::Scorer;
use std::ops::Range;

/// One partial parse.
pub(crate) struct Item {
    pub(crate) state: State,
    /// The sum of its moves' scores.
    pub(crate) score: i64,
    /// Its last move in the history (none before the first move, or with no history kept).
    pub(crate) last: Option<u32>,
}

/// One move in the history: the step before it, the move's class, and where the features it
/// was chosen on lie in [`History::features`] (empty for a forced move, which nothing scored).
pub(crate) struct Step {
    pub(crate) before: Option<u32>,
    pub(crate) class: u16,
    pub(crate) features: Range<u32>,
}

/// Every move any item made, as a tree of steps (items share their common beginnings).
#[derive(Default)]
pub(crate) struct History {
    pub(crate) steps: Vec<Step>,
    pub(crate) features: Vec<u64>,
}

impl History {
    /// The steps that end at `last`, first to last.
    pub(crate) fn path(&self, last: Option<u32>) -> Vec<&Step> {
        let mut path = Vec::new();
        let mut at = last;
        while let Some(i) = at {
            let step = &self.steps[i as usize];
            path.push(step);
            at = step.before;
        }
        path.reverse();
        path
    }

    pub(crate) fn features_of(&self, step: &Step) -> &[u64] {
        &self.features[step.features.start as usize..step.features.end as usize]
    }
}

/// A possible next item: which item moves, how, and the score it would have.
struct Candidate {
    parent: u32,
    class: u16,
    score: i64,
    features: Range<u32>,
}

/// The beam over one sentence.
pub(crate) struct Beam<'a, S> {
    scorer: &'a S,
    input: &'a ParseInput<'a>,
    width: usize,
    /// Best first.
    pub(crate) items: Vec<Item>,
    /// Kept only when asked for (training).
    pub(crate) history: Option<History>,
    features: Vec<u64>,
    scores: Vec<i32>,
    candidates: Vec<Candidate>,
}

impl<'a, S: Scorer> Beam<'a, S> {
    /// A beam holding the empty parse of `input`.
    pub(crate) fn new(
        scorer: &'a S,
        input: &'a ParseInput<'a>,
        relations: usize,
        root_relation: u16,
        width: usize,
    ) -> Self {
        Beam {
            scorer,
            input,
            width: width.max(1),
            items: vec![Item {
                state: State::new(input.words.len(), root_relation),
                score: 0,
                last: None,
            }],
            history: None,
            features: Vec::with_capacity(128),
            scores: vec![0; Move::classes(relations)],
            candidates: Vec::new(),
        }
    }

    /// Keeps the history of moves from now on.
    pub(crate) fn with_history(mut self) -> Self {
        self.history = Some(History::default());
        self
    }

    /// Whether the parses are complete (they all complete together).
    pub(crate) fn is_final(&self) -> bool {
        self.items[0].state.is_final()
    }

    /// Moves every item one step and keeps the best `width` of what they become: higher score
    /// first, then the earlier item, then the lower class, so equal scores always resolve the
    /// same way (and width 1 is exactly greedy decoding).
    pub(crate) fn advance(&mut self) {
        self.candidates.clear();
        for i in 0..self.items.len() {
            self.expand(i);
        }
        let order = |a: &Candidate, b: &Candidate| {
            b.score
                .cmp(&a.score)
                .then(a.parent.cmp(&b.parent))
                .then(a.class.cmp(&b.class))
        };
        if self.candidates.len() > self.width {
            self.candidates
                .select_nth_unstable_by(self.width - 1, order);
            self.candidates.truncate(self.width);
        }
        self.candidates.sort_unstable_by(order);
        self.items = self.successors();
    }

    /// Adds the valid moves of item `i` to the candidates.
    fn expand(&mut self, i: usize) {
        let item = &self.items[i];
        if let Some(m) = item.state.forced() {
            self.candidates.push(Candidate {
                parent: i as u32,
                class: m.class() as u16,
                score: item.score,
                features: 0..0,
            });
            return;
        }
        parser::features(self.input, &item.state, &mut self.features);
        self.scores.fill(0);
        self.scorer.score(&self.features, &mut self.scores);
        let features = match &mut self.history {
            Some(h) => {
                let start = h.features.len() as u32;
                h.features.extend_from_slice(&self.features);
                start..h.features.len() as u32
            }
            None => 0..0,
        };
        for (class, &score) in self.scores.iter().enumerate() {
            if item.state.is_valid(Move::from_class(class)) {
                self.candidates.push(Candidate {
                    parent: i as u32,
                    class: class as u16,
                    score: item.score + score as i64,
                    features: features.clone(),
                });
            }
        }
    }

    /// The kept candidates made items; a parent's state moves to its last successor and is
    /// copied for the others.
    fn successors(&mut self) -> Vec<Item> {
        let mut uses = vec![0u32; self.items.len()];
        for c in &self.candidates {
            uses[c.parent as usize] += 1;
        }
        let mut parents: Vec<Option<Item>> = std::mem::take(&mut self.items)
            .into_iter()
            .map(Some)
            .collect();
        let mut next = Vec::with_capacity(self.candidates.len());
        for c in self.candidates.drain(..) {
            let p = c.parent as usize;
            uses[p] -= 1;
            let (mut state, before) = if uses[p] == 0 {
                let parent = parents[p]
                    .take()
                    .expect("a parent lives until its last use");
                (parent.state, parent.last)
            } else {
                let parent = parents[p]
                    .as_ref()
                    .expect("a parent lives until its last use");
                (parent.state.clone(), parent.last)
            };
            state.apply(Move::from_class(c.class as usize));
            let last = self.history.as_mut().map(|h| {
                h.steps.push(Step {
                    before,
                    class: c.class,
                    features: c.features,
                });
                (h.steps.len() - 1) as u32
            });
            next.push(Item {
                state,
                score: c.score,
                last,
            });
        }
        next
    }
}

/// Parses one tagged sentence with a beam of `width`. Returns heads (`n` for the root, i.e.
/// one past the last word) and relation ids.
pub(crate) fn parse(
    scorer: &impl Scorer,
    input: &ParseInput<'_>,
    relations: usize,
    root_relation: u16,
    width: usize,
) -> (Vec<u32>, Vec<u16>) {
    if width <= 1 {
        return parser::parse_greedy(scorer, input, relations, root_relation);
    }
    let mut beam = Beam::new(scorer, input, relations, root_relation, width);
    while !beam.is_final() {
        beam.advance();
    }
    let best = beam.items.swap_remove(0);
    (best.state.heads, best.state.relations)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::parse::BUILTIN_MODEL;
    use crate::tagger::TagWord;

    const SENTENCE: &str =
        "The convoy that left Idlib on Monday was shelled near the M4 highway , officials said .";

    fn with_input<T>(text: &str, run: impl FnOnce(&Model, &ParseInput<'_>) -> T) -> T {
        let model = Model::from_bytes(BUILTIN_MODEL).unwrap();
        let words: Vec<TagWord> = text.split(' ').map(TagWord::new).collect();
        let tags = model.tagger.tag(&words, &model.closed);
        let input = ParseInput {
            words: &words,
            tags: &tags,
            coarse: &model.coarse,
        };
        run(&model, &input)
    }

    /// A beam of width 1 takes, at every state, the best valid move: greedy decoding.
    #[test]
    fn a_beam_of_one_is_greedy() {
        with_input(SENTENCE, |model, input| {
            let relations = model.relations.len();
            let mut beam = Beam::new(&model.parser, input, relations, model.root_relation, 1);
            while !beam.is_final() {
                beam.advance();
            }
            let best = beam.items.swap_remove(0);
            let greedy = parser::parse_greedy(&model.parser, input, relations, model.root_relation);
            assert_eq!((best.state.heads, best.state.relations), greedy);
        });
    }

    /// What training reads of the history is what the beam did: replaying an item's steps
    /// from the empty parse rebuilds its tree, and their features score to its score.
    #[test]
    fn each_items_history_replays_its_parse_and_score() {
        with_input(SENTENCE, |model, input| {
            let relations = model.relations.len();
            let mut beam =
                Beam::new(&model.parser, input, relations, model.root_relation, 4).with_history();
            while !beam.is_final() {
                beam.advance();
            }
            assert_eq!(beam.items.len(), 4);
            let history = beam.history.as_ref().unwrap();
            let mut scores = vec![0; Move::classes(relations)];
            for item in &beam.items {
                let mut state = State::new(input.words.len(), model.root_relation);
                let mut total = 0i64;
                for step in history.path(item.last) {
                    scores.fill(0);
                    model.parser.score(history.features_of(step), &mut scores);
                    if !step.features.is_empty() {
                        total += scores[step.class as usize] as i64;
                    }
                    state.apply(Move::from_class(step.class as usize));
                }
                assert!(state.is_final());
                assert_eq!(state.heads, item.state.heads);
                assert_eq!(total, item.score);
            }
            assert!(beam.items.windows(2).all(|w| w[0].score >= w[1].score));
        });
    }

    #[test]
    fn an_empty_sentence_needs_no_move() {
        let model = Model::from_bytes(BUILTIN_MODEL).unwrap();
        let input = ParseInput {
            words: &[],
            tags: &[],
            coarse: &model.coarse,
        };
        let parsed = parse(&model.parser, &input, model.relations.len(), 0, 8);
        assert_eq!(parsed, (vec![], vec![]));
    }
}
