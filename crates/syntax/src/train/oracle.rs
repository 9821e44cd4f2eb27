//! The dynamic oracle of Goldberg and Nivre (2012) for arc-eager: the cost of a move is the
//! number of gold arcs it makes unreachable (plus one for a wrong relation on a right arc).
//! Training follows the model's own moves and learns, at each state, the best move that loses
//! nothing more, so the parser learns to recover from its mistakes.
//!
//! The costs are exact for projective trees; training trees are made projective first
//! (`projectivise`).

use crate::transition::{Move, State};

/// The gold tree of one sentence, with each word's children listed for cheap counting.
pub(crate) struct Gold {
    /// Head of each word, `n` for the root.
    pub(crate) heads: Vec<u32>,
    pub(crate) relations: Vec<u16>,
    children: Vec<Vec<u32>>,
}

impl Gold {
    pub(crate) fn new(heads: Vec<u32>, relations: Vec<u16>) -> Self {
        let n = heads.len();
        let mut children = vec![Vec::new(); n + 1];
        for (child, &head) in heads.iter().enumerate() {
            children[head as usize].push(child as u32);
        }
        Gold {
            heads,
            relations,
            children,
        }
    }

    /// What each kind of move loses from this state, computed once for all its relations.
    pub(crate) fn costs(&self, state: &State, on_stack: &[bool]) -> Costs {
        let b = state.front;
        let top = state.top();
        let arc = |head: usize, dependent: usize| {
            (self.heads[dependent] as usize == head).then(|| self.relations[dependent])
        };
        Costs {
            shift: (b < state.n).then(|| self.shift_cost(state, on_stack, b)),
            reduce: top.map(|s| self.children_from(s, b)),
            left: top.map(|s| {
                let head = self.heads[s] as usize;
                let lost = (head != b && head > b) as u32 + self.children_from(s, b);
                (lost, arc(b, s))
            }),
            right: top.filter(|_| b < state.n).map(|s| {
                let head = self.heads[b] as usize;
                let lost_head = (head != s && (head > b || on_stack[head])) as u32;
                (
                    lost_head + self.headless_children_on_stack(state, on_stack, b),
                    arc(s, b),
                )
            }),
        }
    }

    /// The gold path's next move, as a static oracle makes it: the first of a left arc, a
    /// right arc (each with its gold relation), a shift and a reduce that loses nothing, so a
    /// word is reduced only when nothing else can be done without loss.
    pub(crate) fn next_move(&self, state: &State, on_stack: &[bool]) -> Move {
        if let Some(m) = state.forced() {
            return m;
        }
        let costs = self.costs(state, on_stack);
        let relation = |word: usize| self.relations.get(word).copied().unwrap_or(0);
        let top = state.top().unwrap_or(0);
        [
            Move::Left(relation(top)),
            Move::Right(relation(state.front)),
            Move::Shift,
            Move::Reduce,
        ]
        .into_iter()
        .filter(|&m| state.is_valid(m))
        .min_by_key(|&m| costs.of(m))
        .unwrap_or(Move::Shift)
    }

    /// Shifting `b` loses its arcs to words on the stack, either way.
    fn shift_cost(&self, state: &State, on_stack: &[bool], b: usize) -> u32 {
        let head = self.heads[b] as usize;
        let lost_head = (head < state.n && on_stack[head]) as u32;
        lost_head + self.headless_children_on_stack(state, on_stack, b)
    }

    /// Gold children of `word` at or after the buffer's front.
    fn children_from(&self, word: usize, front: usize) -> u32 {
        self.children[word]
            .iter()
            .filter(|&&c| c as usize >= front)
            .count() as u32
    }

    /// Gold children of `word` waiting on the stack for a head.
    fn headless_children_on_stack(&self, state: &State, on_stack: &[bool], word: usize) -> u32 {
        self.children[word]
            .iter()
            .filter(|&&c| on_stack[c as usize] && !state.has_head(c as usize))
            .count() as u32
    }
}

/// The costs of the four kinds of move: what each loses, and for arcs the gold relation when
/// the arc itself is right (any other relation costs one more).
pub(crate) struct Costs {
    shift: Option<u32>,
    reduce: Option<u32>,
    left: Option<(u32, Option<u16>)>,
    right: Option<(u32, Option<u16>)>,
}

impl Costs {
    /// The cost of a move the state allows.
    pub(crate) fn of(&self, m: Move) -> u32 {
        let arc = |c: Option<(u32, Option<u16>)>, l: u16| {
            c.map_or(u32::MAX, |(lost, gold)| {
                lost + gold.is_some_and(|g| g != l) as u32
            })
        };
        match m {
            Move::Shift => self.shift.unwrap_or(u32::MAX),
            Move::Reduce => self.reduce.unwrap_or(u32::MAX),
            Move::Left(l) => arc(self.left, l),
            Move::Right(l) => arc(self.right, l),
        }
    }
}

/// Makes a move, keeping `on_stack` (which words the stack holds) up to date for the costs.
pub(crate) fn apply(state: &mut State, on_stack: &mut [bool], m: Move) {
    match m {
        Move::Shift | Move::Right(_) => on_stack[state.front] = true,
        Move::Reduce | Move::Left(_) => on_stack[state.top().expect("valid")] = false,
    }
    state.apply(m);
}

/// Makes a tree projective by lifting each crossing arc's dependent to its head's head, the
/// shortest crossing arc first, until none crosses. Relations stay as they were.
pub(crate) fn projectivise(heads: &mut [u32]) {
    while let Some(child) = shortest_crossing_arc(heads) {
        let head = heads[child] as usize;
        heads[child] = heads[head];
    }
}

/// The dependent of the shortest liftable arc that crosses another, if any. `heads[i] == n` is the root.
fn shortest_crossing_arc(heads: &[u32]) -> Option<usize> {
    let n = heads.len();
    let span = |c: usize| {
        let h = heads[c] as usize;
        (c.min(h), c.max(h))
    };
    let mut best: Option<(usize, usize)> = None;
    // The root's own arc cannot be lifted; what crosses it can.
    for c in (0..n).filter(|&c| (heads[c] as usize) < n) {
        let (lo, hi) = span(c);
        let crosses = (0..n).any(|d| {
            let (l2, h2) = span(d);
            (l2 < lo && lo < h2 && h2 < hi) || (lo < l2 && l2 < hi && hi < h2)
        });
        if crosses && best.is_none_or(|(len, _)| hi - lo < len) {
            best = Some((hi - lo, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossing_arcs_are_lifted_until_none_cross() {
        // 0 <- 2, 1 <- 3 crosses 0..2 when 2's head is 3 and root at 4.
        let mut heads = vec![2, 3, 4, 2];
        assert!(shortest_crossing_arc(&heads).is_some());
        projectivise(&mut heads);
        assert!(shortest_crossing_arc(&heads).is_none());
    }

    /// Following the oracle's moves from the empty parse rebuilds a projective gold tree.
    #[test]
    fn the_gold_path_rebuilds_the_gold_tree() {
        // "Rebels shelled the town that troops held": heads with the root at 7.
        let heads = vec![1, 7, 3, 1, 6, 6, 3];
        let relations = vec![2, 0, 3, 4, 5, 2, 6];
        let gold = Gold::new(heads.clone(), relations.clone());
        let mut state = State::new(7, 0);
        let mut on_stack = vec![false; 8];
        while !state.is_final() {
            let m = gold.next_move(&state, &on_stack);
            assert_eq!(gold.costs(&state, &on_stack).of(m), 0, "{m:?}");
            apply(&mut state, &mut on_stack, m);
        }
        assert_eq!(state.heads, heads);
        assert_eq!(state.relations, relations);
    }
}
