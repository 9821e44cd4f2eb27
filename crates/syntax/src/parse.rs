//! The public face of the layer: [`Syntax`] runs the model over sitrep's tokens and gives a
//! [`Parse`], flat arrays per word with the tree's navigation precomputed, read through [`Tok`].

use crate::conllu::{Sentence, Word};
use crate::model::{Model, ModelError};
use crate::parser::ParseInput;
use crate::tagger::TagWord;
use crate::tokenize::ParserToken;
use sitrep_core::Span;
use sitrep_tokens::Layout;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// A loaded model, ready to tag and parse.
pub struct Syntax {
    model: Model,
    labels: Arc<Labels>,
    active_voice: Option<crate::tree::ActiveVoice>,
}

/// The label tables a [`Parse`] reads its strings from.
#[derive(Debug)]
struct Labels {
    tags: Vec<(String, String)>,
    upos: Vec<Upos>,
    relations: Vec<String>,
}

/// The seventeen universal part-of-speech tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Upos {
    Adj,
    Adp,
    Adv,
    Aux,
    Cconj,
    Det,
    Intj,
    Noun,
    Num,
    Part,
    Pron,
    Propn,
    Punct,
    Sconj,
    Sym,
    Verb,
    X,
}

impl Upos {
    const ALL: [(Upos, &'static str); 17] = [
        (Upos::Adj, "ADJ"),
        (Upos::Adp, "ADP"),
        (Upos::Adv, "ADV"),
        (Upos::Aux, "AUX"),
        (Upos::Cconj, "CCONJ"),
        (Upos::Det, "DET"),
        (Upos::Intj, "INTJ"),
        (Upos::Noun, "NOUN"),
        (Upos::Num, "NUM"),
        (Upos::Part, "PART"),
        (Upos::Pron, "PRON"),
        (Upos::Propn, "PROPN"),
        (Upos::Punct, "PUNCT"),
        (Upos::Sconj, "SCONJ"),
        (Upos::Sym, "SYM"),
        (Upos::Verb, "VERB"),
        (Upos::X, "X"),
    ];

    /// The tag as UD writes it ("NOUN").
    pub fn as_str(self) -> &'static str {
        Upos::ALL
            .iter()
            .find(|(u, _)| *u == self)
            .map_or("X", |(_, s)| s)
    }

    /// Reads a tag as UD writes it; anything else is `X`.
    pub fn from_ud(s: &str) -> Upos {
        Upos::ALL
            .iter()
            .find(|(_, name)| *name == s)
            .map_or(Upos::X, |(u, _)| *u)
    }
}

/// The model sitrep ships (`data/models/syntax-en.bin`), compiled in.
pub const BUILTIN_MODEL: &[u8] = include_bytes!("../../../data/models/syntax-en.bin");

impl Syntax {
    /// The model sitrep ships, loaded once per process.
    pub fn builtin() -> Result<&'static Syntax, ModelError> {
        static BUILTIN: OnceLock<Result<Syntax, ModelError>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| Syntax::from_bytes(BUILTIN_MODEL))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Loads a model from its file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        Ok(Self::new(Model::from_bytes(bytes)?))
    }

    pub(crate) fn new(model: Model) -> Self {
        let labels = Arc::new(Labels {
            upos: model.tags.iter().map(|(u, _)| Upos::from_ud(u)).collect(),
            tags: model.tags.clone(),
            relations: model.relations.clone(),
        });
        let active_voice = crate::tree::ActiveVoice::new(&model.tags, &model.relations);
        Syntax {
            model,
            labels,
            active_voice,
        }
    }

    /// The same model parsing with a beam of `width` (1 to 64): narrower is faster, wider
    /// weighs more alternatives. A model parses best with the width it was trained with.
    pub fn with_beam(mut self, width: u16) -> Self {
        self.model.beam = width.clamp(1, 64);
        self
    }

    /// The parser's beam width.
    pub fn beam(&self) -> u16 {
        self.model.beam
    }

    /// The model's checksum: it names the model, so layers made with another can be remade.
    pub fn model_id(&self) -> u128 {
        self.model.checksum
    }

    /// Tags and parses every sentence of a tokenised text.
    pub fn parse(&self, text: &str, layout: &Layout) -> Parse {
        let mut out = Parse::empty(self.labels.clone());
        for sentence in &layout.sentences {
            let tokens = self.model.tokens.split(text, layout.tokens_in(*sentence));
            self.push_sentence(&mut out, &tokens);
        }
        out.finish();
        out
    }

    /// Tags and parses one sentence given as words (the treebanks' own tokens); spans are
    /// positions in the concatenation of the words, one space apart.
    pub fn parse_words(&self, forms: &[&str]) -> Parse {
        let mut tokens = Vec::with_capacity(forms.len());
        let mut at = 0;
        for form in forms {
            tokens.push(ParserToken {
                span: Span {
                    start: at,
                    end: at + form.len(),
                },
                form: form.to_string(),
            });
            at += form.len() + 1;
        }
        let mut out = Parse::empty(self.labels.clone());
        self.push_sentence(&mut out, &tokens);
        out.finish();
        out
    }

    fn push_sentence(&self, out: &mut Parse, tokens: &[ParserToken]) {
        if tokens.is_empty() {
            return;
        }
        let m = &self.model;
        let words: Vec<TagWord> = tokens.iter().map(|t| TagWord::new(&t.form)).collect();
        let mut tags = m.tagger.tag(&words, &m.closed);
        if let Some(voice) = &self.active_voice {
            voice.past_forms(tokens.iter().map(|t| t.form.as_str()), &m.tags, &mut tags);
        }
        let input = ParseInput {
            words: &words,
            tags: &tags,
            coarse: &m.coarse,
        };
        let (heads, relations) = crate::beam::parse(
            &m.parser,
            &input,
            m.relations.len(),
            m.root_relation,
            m.beam as usize,
        );
        let (mut heads, mut relations) =
            crate::tree::single_root(heads, relations, &m.relations, m.root_relation);
        crate::tree::lift_from_function_words(&mut heads, &relations, &m.relations);
        crate::tree::lift_from_punctuation(&mut heads, &mut relations, &m.relations);
        if let Some(voice) = &self.active_voice {
            voice.repair(&heads, &m.relations, &mut relations, &mut tags);
        }
        let base = out.words.len() as u32;
        for (i, token) in tokens.iter().enumerate() {
            let (upos, xpos) = &m.tags[tags[i] as usize];
            out.words.push(WordData {
                span: token.span,
                form: token.form.clone(),
                lemma: m.morphology.lemma(&token.form, upos, xpos, |word| {
                    crate::tagger::knows_word(&m.tagger.first, word)
                }),
                feats: m.morphology.feats(&token.form, upos, xpos).to_string(),
                tag: tags[i],
                head: heads[i].map_or(NO_HEAD, |h| base + h as u32),
                relation: relations[i],
                left_edge: 0,
                right_edge: 0,
                children: 0..0,
            });
        }
        out.sentences.push(base..out.words.len() as u32);
    }
}

const NO_HEAD: u32 = u32::MAX;

#[derive(Debug, Clone)]
struct WordData {
    span: Span,
    form: String,
    lemma: String,
    feats: String,
    tag: u16,
    head: u32,
    relation: u16,
    left_edge: u32,
    right_edge: u32,
    children: Range<u32>,
}

/// The tagged and parsed words of a text, sentence by sentence.
#[derive(Debug, Clone)]
pub struct Parse {
    words: Vec<WordData>,
    sentences: Vec<Range<u32>>,
    /// Each word's children, in order, grouped by head (`WordData::children` indexes here).
    children: Vec<u32>,
    labels: Arc<Labels>,
}

impl Parse {
    fn empty(labels: Arc<Labels>) -> Self {
        Parse {
            words: Vec::new(),
            sentences: Vec::new(),
            children: Vec::new(),
            labels,
        }
    }

    /// Fills children lists and subtree edges once the heads are known.
    fn finish(&mut self) {
        let n = self.words.len();
        let mut order: Vec<u32> = (0..n as u32)
            .filter(|&i| self.words[i as usize].head != NO_HEAD)
            .collect();
        order.sort_by_key(|&i| (self.words[i as usize].head, i));
        let mut start = 0;
        while start < order.len() {
            let head = self.words[order[start] as usize].head;
            let end = start
                + order[start..]
                    .iter()
                    .take_while(|&&c| self.words[c as usize].head == head)
                    .count();
            self.words[head as usize].children = start as u32..end as u32;
            start = end;
        }
        self.children = order;
        self.fill_edges();
    }

    /// Each word's subtree edges, children before their heads, in one pass over the words:
    /// a preorder from the roots, read backwards. (A projective parser's subtrees are
    /// contiguous, but this does not rely on it; a word on no root's path keeps itself.)
    fn fill_edges(&mut self) {
        for (i, w) in self.words.iter_mut().enumerate() {
            (w.left_edge, w.right_edge) = (i as u32, i as u32);
        }
        let mut order = Vec::with_capacity(self.words.len());
        let mut todo: Vec<u32> = (0..self.words.len() as u32)
            .filter(|&i| self.words[i as usize].head == NO_HEAD)
            .collect();
        while let Some(w) = todo.pop() {
            order.push(w);
            todo.extend_from_slice(self.child_indices(w));
        }
        for &w in order.iter().rev() {
            let (mut lo, mut hi) = (w, w);
            for &c in self.child_indices(w) {
                lo = lo.min(self.words[c as usize].left_edge);
                hi = hi.max(self.words[c as usize].right_edge);
            }
            let word = &mut self.words[w as usize];
            (word.left_edge, word.right_edge) = (lo, hi);
        }
    }

    fn child_indices(&self, word: u32) -> &[u32] {
        let r = &self.words[word as usize].children;
        &self.children[r.start as usize..r.end as usize]
    }

    /// How many words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether there are no words.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Word `i` (0-based over the whole text).
    pub fn tok(&self, i: usize) -> Tok<'_> {
        assert!(i < self.words.len(), "word {i} of {}", self.words.len());
        Tok { parse: self, i }
    }

    /// Every word, in text order.
    pub fn toks(&self) -> impl Iterator<Item = Tok<'_>> {
        (0..self.words.len()).map(move |i| Tok { parse: self, i })
    }

    /// The words of each sentence, as ranges of word indices.
    pub fn sentences(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.sentences
            .iter()
            .map(|r| r.start as usize..r.end as usize)
    }
}

/// One word of a [`Parse`], and the tree around it.
#[derive(Clone, Copy)]
pub struct Tok<'p> {
    parse: &'p Parse,
    i: usize,
}

impl std::fmt::Debug for Tok<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}/{}", self.i, self.form(), self.rel())
    }
}

impl PartialEq for Tok<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.parse, other.parse) && self.i == other.i
    }
}

impl<'p> Tok<'p> {
    fn data(&self) -> &'p WordData {
        &self.parse.words[self.i]
    }
    /// Position in the parse, over the whole text.
    pub fn index(&self) -> usize {
        self.i
    }
    /// The word after this one in its sentence, if any.
    pub fn next_in_sentence(&self) -> Option<Tok<'p>> {
        let sentence = self.sentence()?;
        let next = self.i + 1;
        (next < sentence.end as usize).then_some(Tok {
            parse: self.parse,
            i: next,
        })
    }
    /// The word before this one in its sentence, if any.
    pub fn previous_in_sentence(&self) -> Option<Tok<'p>> {
        let sentence = self.sentence()?;
        let previous = self.i.checked_sub(1)?;
        (previous >= sentence.start as usize).then_some(Tok {
            parse: self.parse,
            i: previous,
        })
    }
    /// The word range of this word's sentence.
    fn sentence(&self) -> Option<&'p Range<u32>> {
        // Sentences are in text order: the first that ends after this word holds it.
        let sentences = &self.parse.sentences;
        let at = sentences.partition_point(|r| r.end as usize <= self.i);
        sentences.get(at).filter(|r| r.start as usize <= self.i)
    }
    /// Byte span in the text.
    pub fn span(&self) -> Span {
        self.data().span
    }
    /// The form the model read (curly apostrophes straightened in clitics, a lone U+201A read
    /// as a comma).
    pub fn form(&self) -> &'p str {
        &self.data().form
    }
    pub fn lemma(&self) -> &'p str {
        &self.data().lemma
    }
    pub fn upos(&self) -> Upos {
        self.parse.labels.upos[self.data().tag as usize]
    }
    /// The Penn Treebank tag ("VBD").
    pub fn xpos(&self) -> &'p str {
        &self.parse.labels.tags[self.data().tag as usize].1
    }
    /// UD features ("Number=Plur"), `_` when none.
    pub fn feats(&self) -> &'p str {
        &self.data().feats
    }
    /// The UD relation to the head, with its subtype ("nsubj:pass"); `root` for the root.
    pub fn rel(&self) -> &'p str {
        &self.parse.labels.relations[self.data().relation as usize]
    }
    /// The relation without its subtype ("nsubj").
    pub fn base_rel(&self) -> &'p str {
        let rel = self.rel();
        rel.split(':').next().unwrap_or(rel)
    }
    /// The head, `None` for the sentence's root.
    pub fn head(&self) -> Option<Tok<'p>> {
        let h = self.data().head;
        (h != NO_HEAD).then_some(Tok {
            parse: self.parse,
            i: h as usize,
        })
    }
    /// Dependents, in text order.
    pub fn children(&self) -> impl Iterator<Item = Tok<'p>> + 'p {
        let parse = self.parse;
        parse
            .child_indices(self.i as u32)
            .iter()
            .map(move |&c| Tok {
                parse,
                i: c as usize,
            })
    }
    /// Dependents with this relation (subtype included when given: "nsubj:pass"; a bare
    /// "nsubj" matches any subtype).
    pub fn children_with(&self, rel: &'p str) -> impl Iterator<Item = Tok<'p>> + 'p {
        self.children()
            .filter(move |c| c.rel() == rel || (!rel.contains(':') && c.base_rel() == rel))
    }
    /// The first and last word of the subtree, as word indices.
    pub fn subtree(&self) -> Range<usize> {
        self.data().left_edge as usize..self.data().right_edge as usize + 1
    }
    /// The words from the subtree's first to its last, in text order.
    pub fn subtree_words(&self) -> impl Iterator<Item = Tok<'p>> + 'p {
        let parse = self.parse;
        self.subtree().map(move |i| Tok { parse, i })
    }
    /// The byte span of the whole subtree.
    pub fn subtree_span(&self) -> Span {
        let r = self.subtree();
        Span {
            start: self.parse.words[r.start].span.start,
            end: self.parse.words[r.end - 1].span.end,
        }
    }
    /// The words coordinated with this one ("killed and wounded", "Syria and Russia"), not
    /// including itself, in text order: the first conjunct's `conj` dependents, from any of them.
    pub fn conjuncts(&self) -> Vec<Tok<'p>> {
        let mut first = *self;
        while first.base_rel() == "conj" {
            match first.head() {
                Some(h) => first = h,
                None => break,
            }
        }
        let mut out: Vec<Tok<'p>> = std::iter::once(first)
            .chain(first.children_with("conj"))
            .filter(|t| t != self)
            .collect();
        out.sort_by_key(|t| t.i);
        out
    }
    /// Whether the word is a passive predicate: it has a passive subject or auxiliary.
    pub fn is_passive(&self) -> bool {
        self.children()
            .any(|c| matches!(c.rel(), "nsubj:pass" | "aux:pass" | "csubj:pass"))
    }
    /// The predicate's verb chain: auxiliaries and copula, negation, passive voice, and the open
    /// complements it governs ("plan to attack" → attack).
    pub fn verb_chain(&self) -> VerbChain<'p> {
        let auxiliaries = self
            .children()
            .filter(|c| matches!(c.base_rel(), "aux" | "cop"))
            .collect();
        let negated = self.children().any(|c| {
            c.feats().contains("Polarity=Neg")
                || (c.base_rel() == "advmod" && matches!(c.lemma(), "not" | "never" | "n't"))
        });
        VerbChain {
            auxiliaries,
            negated,
            passive: self.is_passive(),
            complements: self.children_with("xcomp").collect(),
        }
    }
}

/// What [`Tok::verb_chain`] finds around a predicate.
#[derive(Debug, Clone)]
pub struct VerbChain<'p> {
    /// `aux`, `aux:pass` and `cop` dependents in text order ("will", "have", "been").
    pub auxiliaries: Vec<Tok<'p>>,
    /// A `not`, `never` or `n't` on the predicate.
    pub negated: bool,
    pub passive: bool,
    /// Open clausal complements (`xcomp`): "plans to strike" → strike.
    pub complements: Vec<Tok<'p>>,
}

impl Parse {
    /// The parse as CoNLL-U sentences over `text` (the text it was made from): `# text` per
    /// sentence (line breaks as spaces), the ten columns, and in MISC `TokenRange=START:END` in
    /// characters of `text`, as UDPipe writes it, with `SpaceAfter=No` where no space follows.
    pub fn to_conllu(&self, text: &str) -> Vec<Sentence> {
        let chars = CharOffsets::new(text);
        self.sentences()
            .map(|range| {
                let first = self.words[range.start].span.start;
                let last = self.words[range.end - 1].span.end;
                let sentence_text = text.get(first..last).unwrap_or_default();
                let words = range
                    .clone()
                    .map(|i| self.conllu_word(&chars, i, range.start, range.end))
                    .collect();
                Sentence {
                    comments: vec![format!("text = {}", one_line(sentence_text))],
                    words,
                    multiword_tokens: Vec::new(),
                }
            })
            .collect()
    }

    fn conllu_word(&self, chars: &CharOffsets, i: usize, first: usize, end: usize) -> Word {
        let t = self.tok(i);
        let span = t.span();
        let glued = i + 1 < end && self.words[i + 1].span.start == span.end;
        let mut misc = format!("TokenRange={}:{}", chars.of(span.start), chars.of(span.end));
        if glued {
            misc.push_str("|SpaceAfter=No");
        }
        Word {
            form: t.form().to_string(),
            lemma: t.lemma().to_string(),
            upos: t.upos().as_str().to_string(),
            xpos: t.xpos().to_string(),
            feats: t.feats().to_string(),
            head: t.head().map_or(0, |h| h.index() - first + 1),
            deprel: t.rel().to_string(),
            deps: "_".to_string(),
            misc,
        }
    }
}

/// Byte offsets to character offsets, for one text.
struct CharOffsets(Vec<usize>);

impl CharOffsets {
    fn new(text: &str) -> Self {
        let mut table = vec![0; text.len() + 1];
        let mut n = 0;
        for (b, _) in text.char_indices() {
            table[b] = n;
            n += 1;
        }
        table[text.len()] = n;
        CharOffsets(table)
    }
    fn of(&self, byte: usize) -> usize {
        self.0.get(byte).copied().unwrap_or_default()
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Parse {
    /// A parse read from CoNLL-U, for tests of rules over trees that must not move when the
    /// model is retrained. The text it indexes is the sentences' forms joined by single spaces,
    /// sentences joined by blank lines; it is returned with the parse.
    pub fn from_conllu(sentences: &[Sentence]) -> (String, Parse) {
        let mut labels = Labels {
            tags: Vec::new(),
            upos: Vec::new(),
            relations: Vec::new(),
        };
        let mut text = String::new();
        let mut words = Vec::new();
        let mut ranges = Vec::new();
        for sentence in sentences.iter().filter(|s| !s.words.is_empty()) {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            let base = words.len() as u32;
            for (i, w) in sentence.words.iter().enumerate() {
                if i > 0 {
                    text.push(' ');
                }
                let span = Span {
                    start: text.len(),
                    end: text.len() + w.form.len(),
                };
                text.push_str(&w.form);
                let in_range = w.head >= 1 && w.head <= sentence.words.len();
                words.push(WordData {
                    span,
                    form: w.form.clone(),
                    lemma: w.lemma.clone(),
                    feats: w.feats.clone(),
                    tag: labels.tag(&w.upos, &w.xpos),
                    head: if in_range {
                        base + w.head as u32 - 1
                    } else {
                        NO_HEAD
                    },
                    relation: labels.relation(&w.deprel),
                    left_edge: 0,
                    right_edge: 0,
                    children: 0..0,
                });
            }
            ranges.push(base..words.len() as u32);
        }
        let mut parse = Parse {
            words,
            sentences: ranges,
            children: Vec::new(),
            labels: Arc::new(labels),
        };
        parse.finish();
        (text, parse)
    }
}

impl Labels {
    fn tag(&mut self, upos: &str, xpos: &str) -> u16 {
        let found = self.tags.iter().position(|(u, x)| u == upos && x == xpos);
        found.unwrap_or_else(|| {
            self.tags.push((upos.to_string(), xpos.to_string()));
            self.upos.push(Upos::from_ud(upos));
            self.tags.len() - 1
        }) as u16
    }

    fn relation(&mut self, relation: &str) -> u16 {
        let found = self.relations.iter().position(|r| r == relation);
        found.unwrap_or_else(|| {
            self.relations.push(relation.to_string());
            self.relations.len() - 1
        }) as u16
    }
}
