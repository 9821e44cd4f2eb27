//! The arc-eager transition system, with the root at the end of the buffer.
//!
//! Words are `0..n`; position `n` is the artificial root, always last in the buffer (Ballesteros
//! and Nivre 2013: a root at the end leaves the choice of the sentence's head to the last
//! moment, when the parser has seen everything). Four moves, each with its validity and its
//! effect side by side:
//!
//! - `Shift`: push the buffer's front. Valid while the front is a word (not the root).
//! - `Reduce`: pop the stack's top. Valid when the top already has a head.
//! - `Left(l)`: the front becomes the head of the stack's top, with relation `l`; pop the top.
//!   Valid when the top has no head; `l` is the root relation exactly when the front is the root.
//! - `Right(l)`: the stack's top becomes the head of the front, with relation `l`; push the
//!   front. Valid when the front is a word and `l` is not the root relation.
//!
//! When the front is the root, the stack's words either have heads (`Reduce`) or take the root
//! (`Left`), so some move is always valid until the stack is empty: parsing always ends, and
//! every word gets exactly one head without a cycle.

/// No head yet.
pub(crate) const NO_HEAD: u32 = u32::MAX;
/// No child on that side.
pub(crate) const NO_CHILD: u32 = u32::MAX;

/// A move, numbered as the classifier's classes: 0 shift, 1 reduce, then left and right
/// alternating per relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Move {
    Shift,
    Reduce,
    Left(u16),
    Right(u16),
}

impl Move {
    pub(crate) fn class(self) -> usize {
        match self {
            Move::Shift => 0,
            Move::Reduce => 1,
            Move::Left(l) => 2 + 2 * l as usize,
            Move::Right(l) => 3 + 2 * l as usize,
        }
    }

    pub(crate) fn from_class(class: usize) -> Move {
        match class {
            0 => Move::Shift,
            1 => Move::Reduce,
            c if c % 2 == 0 => Move::Left(((c - 2) / 2) as u16),
            c => Move::Right(((c - 3) / 2) as u16),
        }
    }

    /// How many classes a set of relations makes.
    pub(crate) fn classes(relations: usize) -> usize {
        2 + 2 * relations
    }
}

/// A parser configuration: stack, buffer front, and the arcs made so far with the children
/// the features read (the two outermost on each side, the counts, the relation sets).
#[derive(Debug, Clone)]
pub(crate) struct State {
    pub(crate) n: usize,
    pub(crate) stack: Vec<u32>,
    pub(crate) front: usize,
    pub(crate) heads: Vec<u32>,
    pub(crate) relations: Vec<u16>,
    /// Leftmost and second-leftmost children.
    pub(crate) lefts: Vec<[u32; 2]>,
    /// Rightmost and second-rightmost children.
    pub(crate) rights: Vec<[u32; 2]>,
    pub(crate) left_count: Vec<u8>,
    pub(crate) right_count: Vec<u8>,
    /// Bit `r % 64` set for each relation `r` of a child on that side.
    pub(crate) left_set: Vec<u64>,
    pub(crate) right_set: Vec<u64>,
    pub(crate) root_relation: u16,
}

impl State {
    pub(crate) fn new(n: usize, root_relation: u16) -> Self {
        State {
            n,
            stack: Vec::with_capacity(n),
            front: 0,
            heads: vec![NO_HEAD; n],
            relations: vec![0; n],
            lefts: vec![[NO_CHILD; 2]; n + 1],
            rights: vec![[NO_CHILD; 2]; n + 1],
            left_count: vec![0; n + 1],
            right_count: vec![0; n + 1],
            left_set: vec![0; n + 1],
            right_set: vec![0; n + 1],
            root_relation,
        }
    }

    pub(crate) fn is_final(&self) -> bool {
        self.front == self.n && self.stack.is_empty()
    }

    pub(crate) fn top(&self) -> Option<usize> {
        self.stack.last().map(|&s| s as usize)
    }

    pub(crate) fn has_head(&self, word: usize) -> bool {
        self.heads[word] != NO_HEAD
    }

    pub(crate) fn is_valid(&self, m: Move) -> bool {
        let front_is_word = self.front < self.n;
        let top = self.top();
        match m {
            Move::Shift => front_is_word,
            Move::Reduce => top.is_some_and(|s| self.has_head(s)),
            Move::Left(l) => {
                top.is_some_and(|s| !self.has_head(s)) && (l == self.root_relation) != front_is_word
            }
            Move::Right(l) => top.is_some() && front_is_word && l != self.root_relation,
        }
    }

    /// The one valid move, when the state leaves no choice: an empty stack must shift, and at
    /// the root each word on the stack is reduced or takes the root. Scoring these is waste.
    pub(crate) fn forced(&self) -> Option<Move> {
        match self.top() {
            None => Some(Move::Shift),
            Some(s) if self.front == self.n => Some(if self.has_head(s) {
                Move::Reduce
            } else {
                Move::Left(self.root_relation)
            }),
            Some(_) => None,
        }
    }

    /// Applies a move; the caller has checked it is valid.
    pub(crate) fn apply(&mut self, m: Move) {
        match m {
            Move::Shift => {
                self.stack.push(self.front as u32);
                self.front += 1;
            }
            Move::Reduce => {
                self.stack.pop();
            }
            Move::Left(l) => {
                let s = self.stack.pop().expect("valid move") as usize;
                self.attach(self.front, s, l);
            }
            Move::Right(l) => {
                let s = self.top().expect("valid move");
                self.attach(s, self.front, l);
                self.stack.push(self.front as u32);
                self.front += 1;
            }
        }
    }

    fn attach(&mut self, head: usize, child: usize, relation: u16) {
        self.heads[child] = head as u32;
        self.relations[child] = relation;
        let bit = 1u64 << (relation % 64);
        if child < head {
            self.left_count[head] = self.left_count[head].saturating_add(1);
            self.left_set[head] |= bit;
            insert_outer(&mut self.lefts[head], child as u32, |a, b| a < b);
        } else {
            self.right_count[head] = self.right_count[head].saturating_add(1);
            self.right_set[head] |= bit;
            insert_outer(&mut self.rights[head], child as u32, |a, b| a > b);
        }
    }
}

/// Keeps the two outermost children of one side, `outer(a, b)` saying a is further out.
fn insert_outer(slots: &mut [u32; 2], child: u32, outer: impl Fn(u32, u32) -> bool) {
    if slots[0] == NO_CHILD || outer(child, slots[0]) {
        slots[1] = slots[0];
        slots[0] = child;
    } else if slots[1] == NO_CHILD || outer(child, slots[1]) {
        slots[1] = child;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_round_trip() {
        for m in [
            Move::Shift,
            Move::Reduce,
            Move::Left(0),
            Move::Right(0),
            Move::Left(7),
            Move::Right(9),
        ] {
            assert_eq!(Move::from_class(m.class()), m);
        }
    }

    #[test]
    fn a_two_word_sentence_parses_to_one_root() {
        // "Troops advanced": Troops <-nsubj- advanced <-root- ROOT
        let (nsubj, root) = (1, 0);
        let mut s = State::new(2, root);
        for m in [
            Move::Shift,
            Move::Left(nsubj),
            Move::Shift,
            Move::Left(root),
        ] {
            assert!(s.is_valid(m), "{m:?}");
            s.apply(m);
        }
        assert!(s.is_final());
        assert_eq!(s.heads, vec![1, 2]);
        assert_eq!(s.lefts[1], [0, NO_CHILD]);
    }

    #[test]
    fn forced_moves_are_the_only_valid_ones() {
        let mut s = State::new(2, 0);
        assert_eq!(s.forced(), Some(Move::Shift));
        s.apply(Move::Shift);
        assert_eq!(s.forced(), None);
        s.apply(Move::Right(2));
        assert_eq!(s.forced(), Some(Move::Reduce));
        s.apply(Move::Reduce);
        assert_eq!(s.forced(), Some(Move::Left(0)));
        for class in 0..Move::classes(3) {
            let m = Move::from_class(class);
            assert_eq!(s.is_valid(m), m == Move::Left(0), "{m:?}");
        }
    }

    #[test]
    fn the_root_relation_only_joins_the_root() {
        let mut s = State::new(2, 0);
        s.apply(Move::Shift);
        assert!(!s.is_valid(Move::Left(0)));
        assert!(!s.is_valid(Move::Right(0)));
        assert!(s.is_valid(Move::Left(3)));
    }
}
