//! The parser: greedy arc-eager decoding with an averaged perceptron over the feature templates
//! of Zhang and Nivre (2011): words and tags of the stack's top three and the buffer's first
//! three, the top's head and grandhead, the outermost children of the top and the front, their
//! relations, distance, valency and the sets of relations already attached; and, so that fewer
//! of the tagger's errors reach the parse, the top's and the front's UPOS alone and their last
//! three letters.

use crate::features::{key, num, NONE};
use crate::parse::Upos;
use crate::tagger::TagWord;
use crate::transition::{Move, State, NO_CHILD, NO_HEAD};
use crate::weights::Scorer;

/// What the parser reads of one sentence: each word's spelling and tag.
pub(crate) struct ParseInput<'a> {
    pub(crate) words: &'a [TagWord],
    pub(crate) tags: &'a [u16],
    /// Each tag class's UPOS alone (see [`coarse_classes`]).
    pub(crate) coarse: &'a [u16],
}

/// For each tagger class, the number of its UPOS alone. The tagger's errors are more often
/// within a UPOS (VBD for VBN) than across, so templates on the coarse tag survive more of them.
pub(crate) fn coarse_classes(tags: &[(String, String)]) -> Vec<u16> {
    tags.iter()
        .map(|(upos, _)| Upos::from_ud(upos) as u16)
        .collect()
}

/// For each tagger class, whether its UPOS is a closed word class, one a word unseen in
/// training cannot belong to.
pub(crate) fn closed_classes(tags: &[(String, String)]) -> Vec<bool> {
    tags.iter()
        .map(|(upos, _)| {
            matches!(
                upos.as_str(),
                "ADP" | "AUX" | "CCONJ" | "DET" | "PART" | "PRON" | "SCONJ"
            )
        })
        .collect()
}

/// The values the templates read of one context slot: word, tag, coarse tag, suffix, relation.
#[derive(Clone, Copy)]
struct Slot {
    w: u64,
    p: u64,
    u: u64,
    x: u64,
    l: u64,
}

const EMPTY: Slot = Slot {
    w: NONE,
    p: NONE,
    u: NONE,
    x: NONE,
    l: NONE,
};

impl ParseInput<'_> {
    fn slot(&self, state: &State, i: u32) -> Slot {
        let i = i as usize;
        if i == NO_CHILD as usize || i > state.n {
            return EMPTY;
        }
        if i == state.n {
            return Slot {
                w: 1,
                p: 1,
                u: 1,
                x: 1,
                l: NONE,
            };
        }
        let tag = self.tags[i] as usize;
        Slot {
            w: self.words[i].word,
            p: num(tag),
            u: num(self.coarse.get(tag).copied().unwrap_or(0) as usize),
            x: self.words[i].suffix3(),
            l: if state.heads[i] == NO_HEAD {
                NONE
            } else {
                num(state.relations[i] as usize)
            },
        }
    }
}

/// Distance as the templates read it: exact up to 4, then two bands.
fn distance(a: usize, b: usize) -> u64 {
    let d = a.abs_diff(b);
    num(match d {
        0..=4 => d,
        5..=9 => 5,
        _ => 6,
    })
}

/// Writes the features of a state into `out`.
pub(crate) fn features(input: &ParseInput<'_>, state: &State, out: &mut Vec<u64>) {
    out.clear();
    let nth = |k: usize| -> u32 {
        state
            .stack
            .len()
            .checked_sub(k + 1)
            .map_or(NO_CHILD, |i| state.stack[i])
    };
    let (s0i, s1i, s2i) = (nth(0), nth(1), nth(2));
    let b0i = state.front as u32;
    let buf = |k: usize| -> u32 {
        let i = state.front + k;
        if i <= state.n {
            i as u32
        } else {
            NO_CHILD
        }
    };
    let head_of = |i: u32| -> u32 {
        if i == NO_CHILD || i as usize >= state.n {
            NO_CHILD
        } else {
            state.heads[i as usize]
        }
    };
    let child = |i: u32, side: &Vec<[u32; 2]>, k: usize| -> u32 {
        if i == NO_CHILD {
            NO_CHILD
        } else {
            side[i as usize][k]
        }
    };
    let s = |i| input.slot(state, i);
    let (s0, s1, s2) = (s(s0i), s(s1i), s(s2i));
    let (n0, n1, n2) = (s(b0i), s(buf(1)), s(buf(2)));
    let s0hi = head_of(s0i);
    let (s0h, s0h2) = (s(s0hi), s(head_of(s0hi)));
    let (s0l, s0l2) = (
        s(child(s0i, &state.lefts, 0)),
        s(child(s0i, &state.lefts, 1)),
    );
    let (s0r, s0r2) = (
        s(child(s0i, &state.rights, 0)),
        s(child(s0i, &state.rights, 1)),
    );
    let (n0l, n0l2) = (
        s(child(b0i, &state.lefts, 0)),
        s(child(b0i, &state.lefts, 1)),
    );
    let d = if s0i == NO_CHILD {
        NONE
    } else {
        distance(s0i as usize, b0i as usize)
    };
    let count = |c: &Vec<u8>, i: u32| {
        if i == NO_CHILD {
            NONE
        } else {
            num(c[i as usize] as usize)
        }
    };
    let set = |c: &Vec<u64>, i: u32| if i == NO_CHILD { NONE } else { c[i as usize] };
    let (s0vl, s0vr, n0vl) = (
        count(&state.left_count, s0i),
        count(&state.right_count, s0i),
        count(&state.left_count, b0i),
    );
    let (s0sl, s0sr, n0sl) = (
        set(&state.left_set, s0i),
        set(&state.right_set, s0i),
        set(&state.left_set, b0i),
    );
    let mut t = 0u8;
    let mut f = |a: u64, b: u64, c: u64| {
        out.push(key(t, a, b, c));
        t += 1;
    };
    // Single words.
    f(s0.w, s0.p, 0);
    f(s0.w, 0, 0);
    f(s0.p, 0, 0);
    f(n0.w, n0.p, 0);
    f(n0.w, 0, 0);
    f(n0.p, 0, 0);
    f(n1.w, n1.p, 0);
    f(n1.w, 0, 0);
    f(n1.p, 0, 0);
    f(n2.w, n2.p, 0);
    f(n2.w, 0, 0);
    f(n2.p, 0, 0);
    // Pairs of the top and the front.
    f(s0.w, s0.p, n0.w ^ n0.p.rotate_left(7));
    f(s0.w, s0.p, n0.w);
    f(s0.w, n0.w, n0.p);
    f(s0.w, s0.p, n0.p);
    f(s0.p, n0.w, n0.p);
    f(s0.w, n0.w, 0);
    f(s0.p, n0.p, 0);
    f(n0.p, n1.p, 0);
    // Tag trigrams.
    f(n0.p, n1.p, n2.p);
    f(s0.p, n0.p, n1.p);
    f(s0h.p, s0.p, n0.p);
    f(s0.p, s0l.p, n0.p);
    f(s0.p, s0r.p, n0.p);
    f(s0.p, n0.p, n0l.p);
    // Distance.
    f(s0.w, d, 0);
    f(s0.p, d, 0);
    f(n0.w, d, 0);
    f(n0.p, d, 0);
    f(s0.w, n0.w, d);
    f(s0.p, n0.p, d);
    // Valency.
    f(s0.w, s0vr, 0);
    f(s0.p, s0vr, 0);
    f(s0.w, s0vl, 0);
    f(s0.p, s0vl, 0);
    f(n0.w, n0vl, 0);
    f(n0.p, n0vl, 0);
    // Heads and outermost children.
    f(s0h.w, 0, 0);
    f(s0h.p, 0, 0);
    f(s0.l, 0, 0);
    f(s0l.w, 0, 0);
    f(s0l.p, 0, 0);
    f(s0l.l, 0, 0);
    f(s0r.w, 0, 0);
    f(s0r.p, 0, 0);
    f(s0r.l, 0, 0);
    f(n0l.w, 0, 0);
    f(n0l.p, 0, 0);
    f(n0l.l, 0, 0);
    // Grandhead and second children.
    f(s0h2.w, 0, 0);
    f(s0h2.p, 0, 0);
    f(s0h.l, 0, 0);
    f(s0l2.w, 0, 0);
    f(s0l2.p, 0, 0);
    f(s0l2.l, 0, 0);
    f(s0r2.w, 0, 0);
    f(s0r2.p, 0, 0);
    f(s0r2.l, 0, 0);
    f(n0l2.w, 0, 0);
    f(n0l2.p, 0, 0);
    f(n0l2.l, 0, 0);
    f(s0.p, s0l.p, s0l2.p);
    f(s0.p, s0r.p, s0r2.p);
    f(s0.p, s0h.p, s0h2.p);
    f(n0.p, n0l.p, n0l2.p);
    // Relation sets.
    f(s0.w, s0sr, 0);
    f(s0.p, s0sr, 0);
    f(s0.w, s0sl, 0);
    f(s0.p, s0sl, 0);
    f(n0.w, n0sl, 0);
    f(n0.p, n0sl, 0);
    // Deeper in the stack.
    f(s1.w, s1.p, 0);
    f(s1.p, s0.p, n0.p);
    f(s1.w, s0.w, n0.w);
    f(s2.p, s1.p, s0.p);
    f(s1.p, s1.l, s0.p);
    f(s0.w, n0.w, n1.w);
    // Coarse tags and suffixes: what survives the tagger's errors.
    f(s0.u, 0, 0);
    f(n0.u, 0, 0);
    f(n1.u, 0, 0);
    f(s0.u, n0.u, 0);
    f(s0.u, n0.u, n1.u);
    f(s0.w, n0.u, 0);
    f(s0.u, n0.w, 0);
    f(s0.x, 0, 0);
    f(n0.x, 0, 0);
    f(s0.x, n0.p, 0);
    f(s0.p, n0.x, 0);
    f(s0.x, n0.x, 0);
}

/// The best valid move for `scores`, the lowest class on ties; some move is always valid until
/// the state is final. The best class overall is nearly always valid, so it is tried first.
pub(crate) fn best_valid(state: &State, scores: &[i32]) -> Move {
    if let Some(top) = scores.iter().max() {
        let first = scores.iter().position(|s| s == top).unwrap_or(0);
        let m = Move::from_class(first);
        if state.is_valid(m) {
            return m;
        }
    }
    let mut best: Option<(Move, i32)> = None;
    for (class, &score) in scores.iter().enumerate() {
        let m = Move::from_class(class);
        if best.is_none_or(|(_, b)| score > b) && state.is_valid(m) {
            best = Some((m, score));
        }
    }
    best.map_or(Move::Shift, |(m, _)| m)
}
/// Parses one tagged sentence greedily (what a beam of one does, without keeping a beam).
/// Returns heads (`n` for the root, i.e. one past the last
/// word) and relation ids.
pub(crate) fn parse_greedy(
    scorer: &impl Scorer,
    input: &ParseInput<'_>,
    relations: usize,
    root_relation: u16,
) -> (Vec<u32>, Vec<u16>) {
    let n = input.words.len();
    let mut state = State::new(n, root_relation);
    let mut feats = Vec::with_capacity(96);
    let mut scores = vec![0i32; Move::classes(relations)];
    while !state.is_final() {
        let m = state.forced().unwrap_or_else(|| {
            features(input, &state, &mut feats);
            scores.iter_mut().for_each(|s| *s = 0);
            scorer.score(&feats, &mut scores);
            best_valid(&state, &scores)
        });
        state.apply(m);
    }
    (state.heads, state.relations)
}
