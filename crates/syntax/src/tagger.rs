//! The tagger: greedy left-to-right averaged perceptrons over hashed features, choosing one
//! (UPOS, XPOS) pair per word, so the two columns never disagree.
//!
//! Each pass reads a word's spelling (form, case, affixes, shape), two words either side, and
//! the two tags it chose before. A second pass also reads the first pass's tags for the two
//! words after: a greedy tagger cannot see what follows, and "that", "'s" or "-ing" forms often
//! depend on it.
//!
//! Closed word classes are closed: at run time a word the model keeps no weights for is never
//! tagged an adposition, auxiliary, conjunction, determiner, particle or pronoun, whatever its
//! first letters suggest ("besiege" is spelt like "beside"), unless `data/closed_words.txt`
//! lists it ("amid", seen once in training, keeps its class); nor is a word in capitals among
//! words that are not ("IS has killed …", "the US said"): in news such a word is an acronym, a
//! name, far more often than a function word shouted. Training tags without these rules.

use crate::features::{key, normalise, num, prefix, shape, suffix, text, NONE};
use crate::weights::Scorer;
use std::sync::LazyLock;

/// The words of the closed classes, hashed as [`TagWord::word`] is.
static CLOSED_WORDS: LazyLock<rustc_hash::FxHashSet<u64>> = LazyLock::new(|| {
    include_str!("../../../data/closed_words.txt")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .flat_map(str::split_whitespace)
        .map(|w| text(&normalise(w)))
        .collect()
});

/// What the tagger reads of one word, computed once per word.
#[derive(Debug, Clone)]
pub(crate) struct TagWord {
    /// The normalised form's hash: the parser reads it too.
    pub(crate) word: u64,
    raw: u64,
    suffixes: [u64; 4],
    prefixes: [u64; 3],
    shape: u64,
    /// Two letters or more, all capitals: "IS", "US", "NATO".
    capitals: bool,
}

impl TagWord {
    /// The hash of the normalised form's last three characters.
    pub(crate) fn suffix3(&self) -> u64 {
        self.suffixes[2]
    }

    pub(crate) fn new(form: &str) -> Self {
        let norm = normalise(form);
        TagWord {
            word: text(&norm),
            raw: text(form),
            suffixes: [1, 2, 3, 4].map(|n| text(suffix(&norm, n))),
            prefixes: [1, 2, 3].map(|n| text(prefix(&norm, n))),
            shape: text(&shape(form)),
            capitals: form.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !form.chars().any(char::is_lowercase),
        }
    }
}

/// Feature templates, numbered for the hash; the numbers are part of the model file's meaning.
mod t {
    pub const BIAS: u8 = 0;
    pub const WORD: u8 = 1;
    pub const RAW: u8 = 2;
    pub const SUFFIX: u8 = 3; // 3..=6
    pub const PREFIX: u8 = 7; // 7..=9
    pub const SHAPE: u8 = 10;
    pub const FIRST_SHAPE: u8 = 11;
    pub const PREV_WORD: u8 = 12;
    pub const NEXT_WORD: u8 = 13;
    pub const PREV2_WORD: u8 = 14;
    pub const NEXT2_WORD: u8 = 15;
    pub const PREV_TAG: u8 = 16;
    pub const PREV_TAGS: u8 = 17;
    pub const PREV_TAG_WORD: u8 = 18;
    pub const PREV_SUFFIX: u8 = 19;
    pub const NEXT_SUFFIX: u8 = 20;
    pub const PREV_WORD_WORD: u8 = 21;
    pub const WORD_NEXT_WORD: u8 = 22;
    pub const NEXT_SHAPE: u8 = 23;
    pub const PREV_SHAPE: u8 = 24;
    pub const PREV_TAG_SUFFIX: u8 = 25;
    pub const NEXT_TAG: u8 = 26;
    pub const NEXT_TAGS: u8 = 27;
    pub const AROUND_TAGS: u8 = 28;
    pub const WORD_NEXT_TAG: u8 = 29;
    pub const NEXT_TAG_NEXT_WORD: u8 = 30;
}

/// The tagger's two passes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tagger<S> {
    pub(crate) first: S,
    pub(crate) second: S,
}

impl<S: Scorer> Tagger<S> {
    /// Tags a sentence; `closed` marks the classes of closed word classes (adpositions,
    /// determiners, pronouns …), which a word the model never saw cannot be: "besiege" is no
    /// preposition for looking like "beside".
    pub(crate) fn tag(&self, words: &[TagWord], closed: &[bool]) -> Vec<u16> {
        let first = tag(&self.first, words, closed.len(), None, Some(closed));
        tag(
            &self.second,
            words,
            closed.len(),
            Some(&first),
            Some(closed),
        )
    }
}

/// Writes the features of word `i` into `out`, given the tags already chosen before it and, in
/// the second pass, the first pass's tags (`ahead`).
pub(crate) fn features(
    words: &[TagWord],
    i: usize,
    tags: &[u16],
    ahead: Option<&[u16]>,
    out: &mut Vec<u64>,
) {
    out.clear();
    let at = |j: isize| -> Option<&TagWord> { usize::try_from(j).ok().and_then(|j| words.get(j)) };
    let w = &words[i];
    let i = i as isize;
    let word_at = |j| at(j).map_or(NONE, |x| x.word);
    let tag_at = |j: isize| {
        usize::try_from(j)
            .ok()
            .map_or(NONE, |j| num(tags[j] as usize))
    };
    let (p1, p2, n1, n2) = (
        word_at(i - 1),
        word_at(i - 2),
        word_at(i + 1),
        word_at(i + 2),
    );
    let (t1, t2) = (tag_at(i - 1), tag_at(i - 2));
    out.push(key(t::BIAS, 0, 0, 0));
    out.push(key(t::WORD, w.word, 0, 0));
    out.push(key(t::RAW, w.raw, 0, 0));
    for (n, s) in w.suffixes.iter().enumerate() {
        out.push(key(t::SUFFIX + n as u8, *s, 0, 0));
    }
    for (n, p) in w.prefixes.iter().enumerate() {
        out.push(key(t::PREFIX + n as u8, *p, 0, 0));
    }
    out.push(key(t::SHAPE, w.shape, 0, 0));
    out.push(key(t::FIRST_SHAPE, w.shape, (i == 0) as u64, 0));
    out.push(key(t::PREV_WORD, p1, 0, 0));
    out.push(key(t::NEXT_WORD, n1, 0, 0));
    out.push(key(t::PREV2_WORD, p2, 0, 0));
    out.push(key(t::NEXT2_WORD, n2, 0, 0));
    out.push(key(t::PREV_TAG, t1, 0, 0));
    out.push(key(t::PREV_TAGS, t1, t2, 0));
    out.push(key(t::PREV_TAG_WORD, t1, w.word, 0));
    out.push(key(
        t::PREV_SUFFIX,
        at(i - 1).map_or(NONE, |x| x.suffixes[2]),
        0,
        0,
    ));
    out.push(key(
        t::NEXT_SUFFIX,
        at(i + 1).map_or(NONE, |x| x.suffixes[2]),
        0,
        0,
    ));
    out.push(key(t::PREV_WORD_WORD, p1, w.word, 0));
    out.push(key(t::WORD_NEXT_WORD, w.word, n1, 0));
    out.push(key(
        t::NEXT_SHAPE,
        at(i + 1).map_or(NONE, |x| x.shape),
        0,
        0,
    ));
    out.push(key(
        t::PREV_SHAPE,
        at(i - 1).map_or(NONE, |x| x.shape),
        0,
        0,
    ));
    out.push(key(t::PREV_TAG_SUFFIX, t1, w.suffixes[2], 0));
    if let Some(ahead) = ahead {
        let ahead_at = |j: usize| ahead.get(j).map_or(NONE, |&t| num(t as usize));
        let (a1, a2) = (ahead_at(i as usize + 1), ahead_at(i as usize + 2));
        out.push(key(t::NEXT_TAG, a1, 0, 0));
        out.push(key(t::NEXT_TAGS, a1, a2, 0));
        out.push(key(t::AROUND_TAGS, t1, a1, 0));
        out.push(key(t::WORD_NEXT_TAG, w.word, a1, 0));
        out.push(key(t::NEXT_TAG_NEXT_WORD, a1, n1, 0));
    }
}

/// Tags a sentence greedily, left to right, in one pass.
pub(crate) fn tag(
    scorer: &impl Scorer,
    words: &[TagWord],
    classes: usize,
    ahead: Option<&[u16]>,
    closed: Option<&[bool]>,
) -> Vec<u16> {
    let mut tags = Vec::with_capacity(words.len());
    let mut feats = Vec::with_capacity(32);
    let mut scores = vec![0i32; classes];
    // A headline in capitals keeps its function words.
    let shouted = words.iter().filter(|w| w.capitals).count() * 2 > words.len();
    for (i, word) in words.iter().enumerate() {
        features(words, i, &tags, ahead, &mut feats);
        scores.iter_mut().for_each(|s| *s = 0);
        scorer.score(&feats, &mut scores);
        let mut best = argmax(&scores);
        // Asked only of a closed-class answer: most words get an open class anyway.
        let open_only =
            |c: &&[bool]| c[best] && ((word.capitals && !shouted) || !may_be_closed(scorer, word));
        if let Some(closed) = closed.filter(open_only) {
            scores
                .iter_mut()
                .zip(closed)
                .filter(|(_, &c)| c)
                .for_each(|(s, _)| *s = i32::MIN);
            best = argmax(&scores);
        }
        tags.push(best as u16);
    }
    tags
}

/// Whether the model has weights for a word (lower case): one it saw in training.
pub(crate) fn knows_word(scorer: &impl Scorer, word: &str) -> bool {
    scorer.knows(key(t::WORD, text(&normalise(word)), 0, 0))
}

/// Whether a word may take a closed-class tag: the model has weights for it, or the list of
/// closed words names it.
fn may_be_closed(scorer: &impl Scorer, word: &TagWord) -> bool {
    scorer.knows(key(t::WORD, word.word, 0, 0)) || CLOSED_WORDS.contains(&word.word)
}

/// The best class, the lowest id on ties, so every run agrees.
pub(crate) fn argmax(scores: &[i32]) -> usize {
    let mut best = 0;
    for (i, &s) in scores.iter().enumerate() {
        if s > scores[best] {
            best = i;
        }
    }
    best
}
