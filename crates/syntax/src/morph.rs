//! Lemmas and morphological features (the CoNLL-U LEMMA and FEATS columns) for words whose
//! UPOS and XPOS the tagger has already predicted.
//!
//! Both come from tables learned on a treebank, in the well-known suffix-rule manner of
//! UDPipe 1: the tags settle most of the question, and the rest is either a word seen in
//! training or a pattern in the word's last few letters. That is cheap at annotation time
//! (a lowercasing and a few hash look-ups per word) and small in the model file.
//!
//! - A verb's irregular past form takes its lemma from sitrep's list
//!   (`data/irregular_verbs.txt`: "shot" → shoot, "fled" → flee), which no suffix rule can
//!   undo and the treebanks do not always show with the tag the tagger chose.
//! - Any other word's **lemma** is looked up in an exact table of seen (lowercased form, tag)
//!   pairs; failing that, an edit rule "remove k final letters, append s" is chosen by the longest
//!   suffix of the form seen often enough with that tag, and a second suffix table decides
//!   whether a capitalised form keeps its case (UD English keeps "Americans" → "American" but
//!   lowercases a sentence-initial "Running" → "run").
//! - A word's **features** come from an exact table of seen (lowercased form, tags) where the
//!   word's own features beat its tags' usual ones, else from the same longest-suffix scheme
//!   (which tells "12th" from "twelfth" and "1,000" from "thousand"), else `_`. Features that
//!   depend on the sentence (a past-tense verb's Number and Person agree with its subject) are
//!   out of reach here; the most frequent value is given.
//!
//! Exact-table entries are kept only where they answer better than the rules on the training
//! words, and suffix-table entries only where they differ from a shorter suffix's answer, which
//! keeps the section small (about 0.25 MB when learned from EWT and GUM).

use std::collections::BTreeSet;

// Lookups hash short strings many times per word (each suffix, for each table): Fx hashing
// costs a fraction of the default's, and the model file never depends on map order.
use rustc_hash::FxHashMap as HashMap;

use crate::bytes::{ByteReader, ByteWriter};
use crate::conllu::Word;
use crate::model::ModelError;

/// The longest suffix, in characters, that rules are keyed on: English inflection lives in
/// the last few letters, and longer suffixes mostly memorise whole words.
const MAX_SUFFIX: usize = 5;

/// How many training word types must end in a suffix before it gets a rule of its own; rarer
/// suffixes fall back to a shorter one, whose evidence is broader.
const MIN_EVIDENCE: u32 = 2;

/// The case-table class meaning "the lemma keeps the form's capitals".
const KEEP_CASE: u32 = 1;

/// Lemma and feature tables learned from a treebank; see the module docs.
#[derive(Debug, Default)]
pub struct Morphology {
    /// Tag → lowercased form → lemma, for seen words the rules get wrong.
    lemma_exact: HashMap<String, HashMap<String, String>>,
    /// The edit rules that `edit_rules` classes index.
    edits: Vec<Edit>,
    /// Tag and suffix of the lowercased form → index into `edits`.
    edit_rules: SuffixTable,
    /// Tag and suffix → `KEEP_CASE` or 0 (lowercase), for forms with capitals.
    case_rules: SuffixTable,
    /// The distinct FEATS strings, `_` among them; the feature tables index it.
    feats: Vec<String>,
    /// Tag → lowercased form → index into `feats`, for seen words the rules get wrong.
    feats_exact: HashMap<String, HashMap<String, u32>>,
    /// Tag and suffix → index into `feats`.
    feats_rules: SuffixTable,
}

impl Morphology {
    /// Learns lemma and feature tables from training words.
    pub fn learn<'w>(words: impl IntoIterator<Item = &'w Word>) -> Morphology {
        let seen = Seen::collect(words);
        let mut morph = Morphology {
            edits: distinct(seen.iter().map(|s| s.edit())),
            feats: distinct(seen.iter().map(|s| s.feats.clone())),
            ..Morphology::default()
        };
        morph.edit_rules = morph.learn_edit_rules(&seen);
        morph.case_rules = morph.learn_case_rules(&seen);
        morph.feats_rules = morph.learn_feats_rules(&seen);
        morph.lemma_exact = morph.learn_lemma_exceptions(&seen);
        morph.feats_exact = morph.learn_feats_exceptions(&seen);
        morph
    }

    /// The lemma of a word form given its predicted tags: an irregular verb's past form
    /// ("shot" as a past tense, which training saw only as a participle; "fled", which it saw
    /// with a misspelt lemma), else the form as seen in training with these tags, else the
    /// suffix rules (not for a past form with no "-ed": see below).
    ///
    /// A verb's "-ed" or "-ing" form can be read more ways than its suffix rule does
    /// ("shelled": shell or shel; "looted": loot or loote): where the model never saw the rule's
    /// word, a reading `known` says it saw wins.
    pub fn lemma(
        &self,
        form: &str,
        upos: &str,
        xpos: &str,
        known: impl Fn(&str) -> bool,
    ) -> String {
        let lower = form.to_lowercase();
        if matches!(upos, "VERB" | "AUX") {
            if let Some(lemma) = IRREGULAR.past_lemma(&lower, xpos) {
                return lemma.to_string();
            }
        }
        let tag = tag_key(upos, xpos);
        match self.lemma_exact.get(&tag).and_then(|m| m.get(&lower)) {
            Some(lemma) => lemma.clone(),
            // A past form never seen, with no "-ed" and not a listed irregular verb, is a
            // present the tagger took for a past ("Farmers in the valley blame …"): the rules
            // learned from irregular pasts would make it another verb ("blame" → "blome", as
            // "came" → "come").
            None if upos == "VERB" && matches!(xpos, "VBD" | "VBN") && !lower.ends_with("ed") => {
                lower
            }
            None => self.rule_lemma(form, &lower, &tag, upos == "VERB", known),
        }
    }

    /// The FEATS column for a word given its predicted tags, `_` when none.
    pub fn feats(&self, form: &str, upos: &str, xpos: &str) -> &str {
        let tag = tag_key(upos, xpos);
        let lower = form.to_lowercase();
        let exact = self.feats_exact.get(&tag).and_then(|m| m.get(&lower));
        exact
            .copied()
            .or_else(|| self.feats_rules.lookup(&tag, &lower))
            .map_or("_", |id| &self.feats[id as usize])
    }

    /// Section bytes for the model file: vocabularies, then tables, every map in sorted
    /// order so that the same model always gives the same bytes.
    pub(crate) fn write(&self, out: &mut ByteWriter) {
        out.len(self.edits.len());
        for edit in &self.edits {
            out.len(edit.strip);
            out.str(&edit.append);
        }
        out.strs(self.feats.iter().map(String::as_str));
        for table in [&self.edit_rules, &self.case_rules, &self.feats_rules] {
            table.write(out);
        }
        write_nested(out, &self.lemma_exact, |out, lemma| out.str(lemma));
        write_nested(out, &self.feats_exact, |out, &id| out.u32(id));
    }

    /// Reads what `write` wrote, refusing (never panicking on) truncated, unsorted or
    /// out-of-range data. Stops at the section's end; checking that nothing follows is the
    /// caller's, who knows where the section ends.
    pub(crate) fn read(bytes: &mut ByteReader<'_>) -> Result<Morphology, ModelError> {
        let edits = read_edits(bytes)?;
        let feats = bytes.strs()?;
        let edit_rules = SuffixTable::read(bytes, edits.len())?;
        let case_rules = SuffixTable::read(bytes, 2)?;
        let feats_rules = SuffixTable::read(bytes, feats.len())?;
        let lemma_exact = read_nested(bytes, 4, |r| r.str().map(str::to_string))?;
        let feats_exact = read_nested(bytes, 4, |r| read_class(r, feats.len()))?;
        Ok(Morphology {
            lemma_exact,
            edits,
            edit_rules,
            case_rules,
            feats,
            feats_exact,
            feats_rules,
        })
    }

    /// The lemma the suffix rules give, ignoring the exact table. A verb's rule that undoes a
    /// doubled consonant ("robbed" → rob) is kept to forms that double it: "bombed" is "bomb".
    fn rule_lemma(
        &self,
        form: &str,
        lower: &str,
        tag: &str,
        verb: bool,
        known: impl Fn(&str) -> bool,
    ) -> String {
        let edited = self
            .edit_rules
            .lookup(tag, lower)
            .and_then(|id| {
                let edit = &self.edits[id as usize];
                if !verb {
                    return edit.apply(form);
                }
                if let Some(plain) = undoubled(lower, edit) {
                    return plain.apply(form);
                }
                let lemma = edit.apply(form)?;
                if known(&lemma.to_lowercase()) {
                    return Some(lemma);
                }
                let other = other_readings(lower)
                    .iter()
                    .filter_map(|reading| reading.apply(form))
                    .find(|other| known(&other.to_lowercase()));
                Some(other.unwrap_or(lemma))
            })
            .unwrap_or_else(|| form.to_string());
        let keeps_case = form != lower && self.case_rules.lookup(tag, lower) == Some(KEEP_CASE);
        if keeps_case {
            edited
        } else {
            edited.to_lowercase()
        }
    }

    /// Edit rules by suffix, each word type counted once: unseen words resemble rare
    /// words, and counting tokens would let "was" → "be" speak for every past tense in "-as".
    fn learn_edit_rules(&self, seen: &[Seen]) -> SuffixTable {
        let types: BTreeSet<_> = seen.iter().map(|s| (&s.tag, &s.lower, s.edit())).collect();
        let mut counts = SuffixCounts::default();
        for (tag, lower, edit) in types {
            counts.add(tag, lower, index_of(&self.edits, &edit));
        }
        counts.into_table()
    }

    /// Case rules by suffix, from the capitalised word types whose lemma either keeps the
    /// form's capitals or lowercases them (others, like "GOD" → "God", are left to the
    /// exact table).
    fn learn_case_rules(&self, seen: &[Seen]) -> SuffixTable {
        let mut counts = SuffixCounts::default();
        let types: BTreeSet<_> = seen
            .iter()
            .map(|s| (&s.tag, &s.lower, &s.form, &s.lemma))
            .collect();
        for (tag, lower, form, lemma) in types {
            if form == lower {
                continue;
            }
            let Some(edited) = Edit::between(lower, &lemma.to_lowercase()).apply(form) else {
                continue;
            };
            if *lemma == edited {
                counts.add(tag, lower, KEEP_CASE);
            } else if *lemma == edited.to_lowercase() {
                counts.add(tag, lower, 0);
            }
        }
        counts.into_table()
    }

    /// Feature rules by suffix, each word type counted once with its most frequent FEATS.
    fn learn_feats_rules(&self, seen: &[Seen]) -> SuffixTable {
        let mut by_type: HashMap<(&str, &str), HashMap<&str, u32>> = HashMap::default();
        for s in seen {
            let tally = by_type.entry((&s.tag, &s.lower)).or_default();
            *tally.entry(&s.feats).or_default() += s.count;
        }
        let mut counts = SuffixCounts::default();
        for ((tag, lower), tally) in &by_type {
            if let Some((feats, _)) = majority(tally) {
                counts.add(tag, lower, index_of(&self.feats, *feats));
            }
        }
        counts.into_table()
    }

    /// Seen words whose most frequent lemma beats the rules' answer, judged on each training
    /// word as written and in the casings it might take elsewhere (all lowercase, capitalised,
    /// all capitals), so that "asia" and "TEHRAN" still find "Asia" and "Tehran".
    fn learn_lemma_exceptions(&self, seen: &[Seen]) -> HashMap<String, HashMap<String, String>> {
        exceptions(
            seen,
            4,
            |s| s.lemma.clone(),
            |s, gold| {
                let casings = [
                    s.form.clone(),
                    s.lower.clone(),
                    capitalised(&s.lower),
                    s.form.to_uppercase(),
                ];
                let hits = casings.iter().filter(|form| {
                    self.rule_lemma(form, &s.lower, &s.tag, s.is_verb(), |_| false) == *gold
                });
                hits.count() as u64
            },
        )
    }

    /// Seen words whose most frequent FEATS beats the rules' answer (features ignore case).
    fn learn_feats_exceptions(&self, seen: &[Seen]) -> HashMap<String, HashMap<String, u32>> {
        exceptions(
            seen,
            1,
            |s| index_of(&self.feats, &s.feats),
            |s, &gold| u64::from(self.feats_rules.lookup(&s.tag, &s.lower) == Some(gold)),
        )
    }
}

/// English irregular verbs (`data/irregular_verbs.txt`: a lemma, then its past forms).
struct IrregularVerbs {
    /// Each listed form → its lemma.
    lemma_of: HashMap<&'static str, &'static str>,
    /// The lemmas, whose forms may be present tenses too ("lay", "cut").
    lemmas: std::collections::HashSet<&'static str>,
}

impl IrregularVerbs {
    fn read(text: &'static str) -> Self {
        let mut verbs = IrregularVerbs {
            lemma_of: HashMap::default(),
            lemmas: Default::default(),
        };
        for line in text.lines().filter(|line| !line.starts_with('#')) {
            let mut forms = line.split_whitespace();
            let Some(lemma) = forms.next() else { continue };
            verbs.lemmas.insert(lemma);
            verbs.lemma_of.insert(lemma, lemma);
            for form in forms {
                verbs.lemma_of.insert(form, lemma);
            }
        }
        verbs
    }

    /// The lemma of a listed past form tagged `xpos`: "shot" tagged a present tense is still a
    /// past form, "lay" tagged one is "lay".
    fn past_lemma(&self, lower: &str, xpos: &str) -> Option<&'static str> {
        let lemma = *self.lemma_of.get(lower)?;
        (matches!(xpos, "VBD" | "VBN") || !self.lemmas.contains(lower)).then_some(lemma)
    }
}

/// Whether a form is listed only as an irregular verb's past or participle, never as a
/// present ("retook", "overran"; not "cut" or "lay").
pub(crate) fn is_past_only(lower: &str) -> bool {
    IRREGULAR.lemma_of.contains_key(lower) && !IRREGULAR.lemmas.contains(lower)
}

static IRREGULAR: std::sync::LazyLock<IrregularVerbs> = std::sync::LazyLock::new(|| {
    IrregularVerbs::read(include_str!("../../../data/irregular_verbs.txt"))
});

/// The plain edit in place of one that undoes a doubled consonant where the form doubles
/// none: "-ed"/"-ing" and one letter more stripped with nothing appended, when that letter is
/// not the one before it ("bombed", "bombing"). None when the edit is not of that kind or the
/// consonant is doubled ("robbed").
fn undoubled(lower: &str, edit: &Edit) -> Option<Edit> {
    let ending = ["ed", "ing"]
        .into_iter()
        .find(|e| lower.ends_with(e))?
        .len();
    if edit.strip != ending + 1 || !edit.append.is_empty() {
        return None;
    }
    let mut before = lower.chars().rev().skip(ending);
    let (last, previous) = (before.next()?, before.next()?);
    (last != previous).then(|| Edit {
        strip: ending,
        append: String::new(),
    })
}

/// The readings of a verb's "-ed"/"-ing" form other than the suffix rules' own: the ending
/// stripped ("looted" → loot), an "e" restored ("voted" → vote), a doubled consonant undone
/// ("controlled" → control).
fn other_readings(lower: &str) -> Vec<Edit> {
    let Some(ending) = ["ed", "ing"].into_iter().find(|e| lower.ends_with(e)) else {
        return Vec::new();
    };
    let n = ending.len();
    let edit = |strip: usize, append: &str| Edit {
        strip,
        append: append.to_string(),
    };
    let mut readings = vec![edit(n, ""), edit(n, "e")];
    if ending == "ed" {
        readings.push(edit(1, ""));
    }
    let mut before = lower.chars().rev().skip(n);
    if before
        .next()
        .is_some_and(|last| before.next() == Some(last))
    {
        readings.push(edit(n + 1, ""));
    }
    readings
}

/// The word with its first letter in capitals, as at the start of a sentence.
fn capitalised(lower: &str) -> String {
    let mut chars = lower.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The key the tables are learned under: both tags, since they split what neither does alone
/// ("that" as PRON/DT or DET/DT; "American" as ADJ/NNP or PROPN/NNP).
fn tag_key(upos: &str, xpos: &str) -> String {
    format!("{upos} {xpos}")
}

/// One distinct (tags, form, lemma, FEATS) in the training words, with how often it occurred.
struct Seen {
    tag: String,
    form: String,
    lower: String,
    lemma: String,
    feats: String,
    count: u32,
}

impl Seen {
    /// Tallies the training words. (Nothing learned from them depends on their order.)
    fn collect<'w>(words: impl IntoIterator<Item = &'w Word>) -> Vec<Seen> {
        let mut counts: HashMap<(String, &str, &str, &str), u32> = HashMap::default();
        for w in words {
            let key = (tag_key(&w.upos, &w.xpos), &*w.form, &*w.lemma, &*w.feats);
            *counts.entry(key).or_default() += 1;
        }
        counts
            .into_iter()
            .map(|((tag, form, lemma, feats), count)| Seen {
                tag,
                lower: form.to_lowercase(),
                form: form.to_string(),
                lemma: lemma.to_string(),
                feats: feats.to_string(),
                count,
            })
            .collect()
    }

    fn is_verb(&self) -> bool {
        self.tag.starts_with("VERB ")
    }

    /// The edit from the lowercased form to the lowercased lemma.
    fn edit(&self) -> Edit {
        Edit::between(&self.lower, &self.lemma.to_lowercase())
    }
}

/// A lemmatisation rule: remove `strip` final characters, then append `append`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Edit {
    strip: usize,
    append: String,
}

impl Edit {
    /// The shortest edit turning `form` into `lemma`: strip what follows their common prefix.
    fn between(form: &str, lemma: &str) -> Edit {
        let common: usize = form
            .chars()
            .zip(lemma.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum();
        Edit {
            strip: form[common..].chars().count(),
            append: lemma[common..].to_string(),
        }
    }

    /// The edited form, or None when the form is too short for the rule or nothing would
    /// be left.
    fn apply(&self, form: &str) -> Option<String> {
        let keep = form.chars().count().checked_sub(self.strip)?;
        let end = form.char_indices().nth(keep).map_or(form.len(), |(i, _)| i);
        let out = format!("{}{}", &form[..end], self.append);
        (!out.is_empty()).then_some(out)
    }
}

/// For each tag, the class most training word types ending in each suffix have, stored only
/// where it differs from the answer of the longest shorter suffix stored.
#[derive(Debug, Default)]
struct SuffixTable {
    by_tag: HashMap<String, HashMap<String, u32>>,
}

impl SuffixTable {
    /// The class of the longest stored suffix of `lower` under `tag`.
    fn lookup(&self, tag: &str, lower: &str) -> Option<u32> {
        let suffixes = self.by_tag.get(tag)?;
        suffixes_longest_first(lower).find_map(|s| suffixes.get(s).copied())
    }

    fn write(&self, out: &mut ByteWriter) {
        write_nested(out, &self.by_tag, |out, &class| out.u32(class));
    }

    /// Reads a table whose classes index a vocabulary of `classes` entries.
    fn read(bytes: &mut ByteReader<'_>, classes: usize) -> Result<SuffixTable, ModelError> {
        let by_tag = read_nested(bytes, 4, |r| read_class(r, classes))?;
        Ok(SuffixTable { by_tag })
    }
}

/// Class tallies for every (tag, suffix) while a `SuffixTable` is learned.
#[derive(Default)]
struct SuffixCounts {
    by_tag: HashMap<String, HashMap<String, HashMap<u32, u32>>>,
}

impl SuffixCounts {
    /// Counts one word type of class `class` under every suffix of its lowercased form.
    fn add(&mut self, tag: &str, lower: &str, class: u32) {
        let suffixes = self.by_tag.entry(tag.to_string()).or_default();
        for suffix in suffixes_longest_first(lower) {
            *suffixes
                .entry(suffix.to_string())
                .or_default()
                .entry(class)
                .or_default() += 1;
        }
    }

    /// Keeps the suffixes with enough evidence whose majority class says something a
    /// shorter suffix does not, shortest first so each is compared with what is kept.
    fn into_table(self) -> SuffixTable {
        let mut table = SuffixTable::default();
        for (tag, suffixes) in self.by_tag {
            let mut ordered: Vec<_> = suffixes
                .iter()
                .filter(|(_, tally)| tally.values().sum::<u32>() >= MIN_EVIDENCE)
                .filter_map(|(suffix, tally)| Some((suffix, *majority(tally)?.0)))
                .collect();
            ordered.sort_by_key(|(suffix, _)| (suffix.chars().count(), suffix.as_str()));
            let kept = table.by_tag.entry(tag.clone()).or_default();
            for (suffix, class) in ordered {
                let shorter = suffixes_longest_first(suffix).find_map(|s| kept.get(s));
                if shorter != Some(&class) {
                    kept.insert(suffix.clone(), class);
                }
            }
        }
        table
    }
}

/// The suffixes of `word` from `MAX_SUFFIX` characters (or the whole word) down to "".
fn suffixes_longest_first(word: &str) -> impl Iterator<Item = &str> {
    let start = word
        .char_indices()
        .rev()
        .take(MAX_SUFFIX)
        .last()
        .map_or(word.len(), |(i, _)| i);
    let tail = &word[start..];
    tail.char_indices()
        .map(move |(i, _)| &tail[i..])
        .chain(std::iter::once(""))
}

/// The seen words, by tag and lowercased form, whose most frequent answer (`gold`) would be
/// right more often than the rules, with that answer. Each occurrence is tried in `variants`
/// forms, of which `rule_hits` says how many the rules get right.
fn exceptions<T: Ord + Clone + std::hash::Hash>(
    seen: &[Seen],
    variants: u64,
    gold: impl Fn(&Seen) -> T,
    rule_hits: impl Fn(&Seen, &T) -> u64,
) -> HashMap<String, HashMap<String, T>> {
    let mut by_word: HashMap<(&str, &str), Vec<&Seen>> = HashMap::default();
    for s in seen {
        by_word.entry((&s.tag, &s.lower)).or_default().push(s);
    }
    let mut table: HashMap<String, HashMap<String, T>> = HashMap::default();
    for ((tag, lower), group) in by_word {
        let mut tally: HashMap<T, u32> = HashMap::default();
        for s in &group {
            *tally.entry(gold(s)).or_default() += s.count;
        }
        let Some((best, best_count)) = majority(&tally) else {
            continue;
        };
        let rule_count: u64 = group
            .iter()
            .map(|s| u64::from(s.count) * rule_hits(s, &gold(s)))
            .sum();
        if u64::from(best_count) * variants > rule_count {
            let entry = table.entry(tag.to_string()).or_default();
            entry.insert(lower.to_string(), best.clone());
        }
    }
    table
}

/// The most frequent key and its count; ties go to the smallest key, so learning does not
/// depend on a hash map's order.
fn majority<K: Ord>(tally: &HashMap<K, u32>) -> Option<(&K, u32)> {
    tally
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(k, &n)| (k, n))
}

/// The distinct values, sorted: a vocabulary whose indices do not depend on input order.
fn distinct<T: Ord>(values: impl Iterator<Item = T>) -> Vec<T> {
    values.collect::<BTreeSet<_>>().into_iter().collect()
}

/// The index of a value known to be in a vocabulary built by `distinct`.
fn index_of<T: Ord + ?Sized, U: std::borrow::Borrow<T> + Ord>(vocab: &[U], value: &T) -> u32 {
    let i = vocab
        .binary_search_by(|v| v.borrow().cmp(value))
        .expect("vocabularies hold every training value");
    u32::try_from(i).expect("vocabularies fit in u32")
}

/// Writes tag → key → value maps with tags and keys in sorted order.
fn write_nested<V>(
    out: &mut ByteWriter,
    map: &HashMap<String, HashMap<String, V>>,
    value: impl Fn(&mut ByteWriter, &V),
) {
    let mut tags: Vec<_> = map.iter().collect();
    tags.sort_by_key(|(tag, _)| *tag);
    out.len(tags.len());
    for (tag, entries) in tags {
        out.str(tag);
        let mut entries: Vec<_> = entries.iter().collect();
        entries.sort_by_key(|(key, _)| *key);
        out.len(entries.len());
        for (key, v) in entries {
            out.str(key);
            value(out, v);
        }
    }
}

/// Reads what `write_nested` wrote, each value at least `min_value_bytes` long; keys out of
/// order are refused, so that reading and writing again gives the same bytes.
fn read_nested<V>(
    bytes: &mut ByteReader<'_>,
    min_value_bytes: usize,
    value: impl Fn(&mut ByteReader<'_>) -> Result<V, ModelError>,
) -> Result<HashMap<String, HashMap<String, V>>, ModelError> {
    let tags = bytes.len(8)?;
    let mut map = HashMap::with_capacity_and_hasher(tags, Default::default());
    let mut previous_tag: Option<&str> = None;
    for _ in 0..tags {
        let tag = bytes.str()?;
        check_order(bytes, &mut previous_tag, tag)?;
        let n = bytes.len(4 + min_value_bytes)?;
        let mut entries = HashMap::with_capacity_and_hasher(n, Default::default());
        let mut previous_key: Option<&str> = None;
        for _ in 0..n {
            let key = bytes.str()?;
            check_order(bytes, &mut previous_key, key)?;
            entries.insert(key.to_string(), value(bytes)?);
        }
        map.insert(tag.to_string(), entries);
    }
    Ok(map)
}

/// Refuses a key not strictly after the previous one.
fn check_order<'a>(
    bytes: &ByteReader<'_>,
    previous: &mut Option<&'a str>,
    key: &'a str,
) -> Result<(), ModelError> {
    if previous.is_some_and(|p| p >= key) {
        return Err(bytes.invalid("table keys out of order"));
    }
    *previous = Some(key);
    Ok(())
}

/// Reads a class index, refusing one outside a vocabulary of `classes` entries.
fn read_class(bytes: &mut ByteReader<'_>, classes: usize) -> Result<u32, ModelError> {
    let class = bytes.u32()?;
    if class as usize >= classes {
        return Err(bytes.invalid("a class index is out of range"));
    }
    Ok(class)
}

/// Reads the edit-rule vocabulary.
fn read_edits(bytes: &mut ByteReader<'_>) -> Result<Vec<Edit>, ModelError> {
    let n = bytes.len(8)?;
    (0..n)
        .map(|_| {
            let strip = bytes.u32()? as usize;
            let append = bytes.str()?.to_string();
            Ok(Edit { strip, append })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::OnceLock;

    /// The shared treebanks folder, or None (with a note) when this checkout lacks it.
    fn treebanks() -> Option<PathBuf> {
        let dir = crate::conllu::testdata::shared_dir().map(|d| d.join("treebanks"));
        if dir.is_none() {
            eprintln!("skipped: no treebanks (set SITREP_SHARED)");
        }
        dir
    }

    /// The syntactic words of a CoNLL-U file.
    fn read_words(path: &std::path::Path) -> Vec<Word> {
        let sentences = crate::conllu::read_path(path).expect("a readable treebank");
        sentences.into_iter().flat_map(|s| s.words).collect()
    }

    /// Tables learned from training words, those words, and EWT dev's words.
    type Learned = (Morphology, Vec<Word>, Vec<Word>);

    /// Tables learned once from EWT train and GUM (CC BY) train, with EWT dev words; None
    /// when the treebanks are missing.
    fn learned() -> Option<&'static Learned> {
        static LEARNED: OnceLock<Option<Learned>> = OnceLock::new();
        LEARNED
            .get_or_init(|| {
                let dir = treebanks()?;
                let mut train = read_words(&dir.join("ud-english-ewt/en_ewt-ud-train.conllu"));
                train.extend(read_words(
                    &dir.join("ud-english-gum-ccby/en_gum-ccby-ud-train.conllu"),
                ));
                let dev = read_words(&dir.join("ud-english-ewt/en_ewt-ud-dev.conllu"));
                Some((Morphology::learn(&train), train, dev))
            })
            .as_ref()
    }

    fn section(morph: &Morphology) -> Vec<u8> {
        let mut out = ByteWriter::default();
        morph.write(&mut out);
        out.buf
    }

    fn read_back(bytes: &[u8]) -> Result<Morphology, ModelError> {
        let mut reader = ByteReader::new(bytes, "morphology");
        let morph = Morphology::read(&mut reader)?;
        reader.finish()?;
        Ok(morph)
    }

    /// The share of `words` for which `right` holds.
    fn share(words: &[&Word], right: impl Fn(&Word) -> bool) -> f64 {
        words.iter().filter(|w| right(w)).count() as f64 / words.len() as f64
    }

    /// Accuracy on EWT dev with gold tags, overall, on words unseen in training, and with every
    /// form in capitals (as in a headline). Floors are what this module reached, less a margin.
    #[test]
    fn ewt_dev_with_gold_tags() {
        let Some((morph, train, dev)) = learned() else {
            return;
        };
        let known: rustc_hash::FxHashSet<_> = train.iter().map(|w| w.form.to_lowercase()).collect();
        let all: Vec<&Word> = dev.iter().collect();
        let unseen: Vec<&Word> = dev
            .iter()
            .filter(|w| !known.contains(&w.form.to_lowercase()))
            .collect();
        let lemma_right = |w: &Word| morph.lemma(&w.form, &w.upos, &w.xpos, |_| false) == w.lemma;
        let lemma = share(&all, lemma_right);
        let feats = share(&all, |w| morph.feats(&w.form, &w.upos, &w.xpos) == w.feats);
        let unseen_lemma = share(&unseen, lemma_right);
        let shouted = share(&all, |w| {
            morph.lemma(&w.form.to_uppercase(), &w.upos, &w.xpos, |_| false) == w.lemma
        });
        println!(
            "EWT dev ({} words), gold tags: lemma {lemma:.4}, feats {feats:.4}; lemma {unseen_lemma:.4} \
             on {} unseen words, {shouted:.4} on forms in capitals; section {} bytes",
            all.len(),
            unseen.len(),
            section(morph).len()
        );
        assert!(lemma >= 0.985, "lemma accuracy {lemma}");
        assert!(feats >= 0.945, "feats accuracy {feats}");
        assert!(
            unseen_lemma >= 0.87,
            "lemma accuracy on unseen words {unseen_lemma}"
        );
        assert!(
            shouted >= 0.955,
            "lemma accuracy on forms in capitals {shouted}"
        );
    }

    #[test]
    fn words_of_our_own() {
        let Some((morph, _, _)) = learned() else {
            return;
        };
        let cases = [
            ("running", "VERB", "VBG", "run"),
            ("Running", "VERB", "VBG", "run"),
            ("wolves", "NOUN", "NNS", "wolf"),
            ("was", "AUX", "VBD", "be"),
            ("was", "VERB", "VBD", "be"),
            ("Assad", "PROPN", "NNP", "Assad"),
            ("ASSAD", "PROPN", "NNP", "Assad"),
            ("n't", "PART", "RB", "not"),
            ("I", "PRON", "PRP", "I"),
            ("The", "DET", "DT", "the"),
            ("blorfed", "VERB", "VBD", "blorf"),
            ("Blorfing", "VERB", "VBG", "blorf"),
            ("Zanzibaris", "PROPN", "NNPS", "Zanzibari"),
        ];
        for (form, upos, xpos, lemma) in cases {
            assert_eq!(
                morph.lemma(form, upos, xpos, |_| false),
                lemma,
                "{form} {upos} {xpos}"
            );
        }
        let cases = [
            ("wolves", "NOUN", "NNS", "Number=Plur"),
            (
                "was",
                "AUX",
                "VBD",
                "Mood=Ind|Number=Sing|Person=3|Tense=Past|VerbForm=Fin",
            ),
            (
                "blorfed",
                "VERB",
                "VBD",
                "Mood=Ind|Number=Sing|Person=3|Tense=Past|VerbForm=Fin",
            ),
            ("The", "DET", "DT", "Definite=Def|PronType=Art"),
            ("1,234", "NUM", "CD", "NumForm=Digit|NumType=Card"),
            ("seventeen", "NUM", "CD", "NumForm=Word|NumType=Card"),
            (
                "I",
                "PRON",
                "PRP",
                "Case=Nom|Number=Sing|Person=1|PronType=Prs",
            ),
            (",", "PUNCT", ",", "_"),
            ("blorf", "NOUN", "NO-SUCH-TAG", "_"),
        ];
        for (form, upos, xpos, feats) in cases {
            assert_eq!(morph.feats(form, upos, xpos), feats, "{form} {upos} {xpos}");
        }
    }

    #[test]
    fn round_trip_gives_the_same_answers_and_bytes() {
        let Some((morph, _, dev)) = learned() else {
            return;
        };
        let bytes = section(morph);
        let back = read_back(&bytes).expect("own section reads");
        assert_eq!(section(&back), bytes);
        for w in dev {
            assert_eq!(
                back.lemma(&w.form, &w.upos, &w.xpos, |_| false),
                morph.lemma(&w.form, &w.upos, &w.xpos, |_| false)
            );
            assert_eq!(
                back.feats(&w.form, &w.upos, &w.xpos),
                morph.feats(&w.form, &w.upos, &w.xpos)
            );
        }
    }

    #[test]
    fn learning_is_deterministic() {
        let Some((morph, train, _)) = learned() else {
            return;
        };
        let mut reversed: Vec<&Word> = train.iter().collect();
        reversed.reverse();
        assert_eq!(section(&Morphology::learn(reversed)), section(morph));
    }

    #[test]
    fn truncated_sections_are_refused() {
        let Some((morph, _, _)) = learned() else {
            return;
        };
        let bytes = section(morph);
        for cut in [
            0,
            1,
            3,
            4,
            7,
            100,
            bytes.len() / 3,
            bytes.len() / 2,
            bytes.len() - 1,
        ] {
            assert!(
                read_back(&bytes[..cut]).is_err(),
                "cut at {cut} of {}",
                bytes.len()
            );
        }
    }

    /// A training word written by hand.
    fn word(form: &str, lemma: &str, upos: &str, xpos: &str, feats: &str) -> Word {
        Word {
            form: form.into(),
            lemma: lemma.into(),
            upos: upos.into(),
            xpos: xpos.into(),
            feats: feats.into(),
            ..Word::default()
        }
    }

    /// A few training words by hand: enough for every table to hold something, without the
    /// treebanks.
    fn small_model() -> Morphology {
        let words = [
            word("walked", "walk", "VERB", "VBD", "Tense=Past"),
            word("talked", "talk", "VERB", "VBD", "Tense=Past"),
            word("jumped", "jump", "VERB", "VBD", "Tense=Past"),
            word("went", "go", "VERB", "VBD", "Tense=Past"),
            word("Americans", "American", "PROPN", "NNPS", "Number=Plur"),
            word("Canadians", "Canadian", "PROPN", "NNPS", "Number=Plur"),
            word("cats", "cat", "NOUN", "NNS", "Number=Plur"),
            word("dogs", "dog", "NOUN", "NNS", "Number=Plur"),
            word("Dogs", "dog", "NOUN", "NNS", "Number=Plur"),
        ];
        Morphology::learn(&words)
    }

    #[test]
    fn a_small_model_generalises_from_suffixes() {
        let morph = small_model();
        assert_eq!(morph.lemma("Kicked", "VERB", "VBD", |_| false), "kick");
        assert_eq!(morph.lemma("went", "VERB", "VBD", |_| false), "go");
        assert_eq!(
            morph.lemma("Mexicans", "PROPN", "NNPS", |_| false),
            "Mexican"
        );
        assert_eq!(morph.lemma("Birds", "NOUN", "NNS", |_| false), "bird");
        assert_eq!(morph.feats("birds", "NOUN", "NNS"), "Number=Plur");
        assert_eq!(morph.feats("birds", "NOUN", "NN"), "_");
        let bytes = section(&morph);
        assert_eq!(section(&read_back(&bytes).expect("reads")), bytes);
    }

    #[test]
    fn a_verb_form_read_more_ways_than_one_takes_the_stem_the_vocabulary_knows() {
        // Learned from "robbed" and "rolled", the rules read every "-lled" one way or the other;
        // the words the model has seen decide.
        let morph = Morphology::learn(&[
            word("robbed", "rob", "VERB", "VBD", "Tense=Past"),
            word("grabbed", "grab", "VERB", "VBD", "Tense=Past"),
            word("rolled", "roll", "VERB", "VBD", "Tense=Past"),
            word("polled", "poll", "VERB", "VBD", "Tense=Past"),
        ]);
        let known = |w: &str| matches!(w, "shell" | "control" | "roll" | "loot");
        for (form, lemma) in [
            ("shelled", "shell"),
            ("controlled", "control"),
            ("rolled", "roll"),
            ("looted", "loot"),
        ] {
            assert_eq!(morph.lemma(form, "VERB", "VBD", known), lemma, "{form}");
        }
        // With no word known, the rules stand.
        assert_eq!(
            morph.lemma("controlled", "VERB", "VBD", |_| false),
            "controll"
        );
    }

    #[test]
    fn only_forms_that_are_never_a_present_are_past_only() {
        assert!(is_past_only("retook") && is_past_only("overran"));
        // A present too: "they cut", "lay it down", "the lie they lay".
        assert!(!is_past_only("cut") && !is_past_only("lay") && !is_past_only("walked"));
    }

    #[test]
    fn an_empty_model_answers_plainly() {
        let morph = Morphology::learn([]);
        assert_eq!(morph.lemma("Walked", "VERB", "VBD", |_| false), "walked");
        assert_eq!(morph.feats("walked", "VERB", "VBD"), "_");
        let bytes = section(&morph);
        assert_eq!(section(&read_back(&bytes).expect("reads")), bytes);
    }

    #[test]
    fn every_truncation_and_random_bytes_are_refused_without_panic() {
        let bytes = section(&small_model());
        for cut in 0..bytes.len() {
            assert!(read_back(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for len in [0, 1, 8, 64, 1000] {
            for _ in 0..200 {
                let noise: Vec<u8> = (0..len)
                    .map(|_| {
                        state = state
                            .wrapping_mul(6_364_136_223_846_793_005)
                            .wrapping_add(1);
                        (state >> 56) as u8
                    })
                    .collect();
                let _ = read_back(&noise);
            }
        }
        let mut corrupt = bytes.clone();
        for i in 0..corrupt.len() {
            corrupt[i] ^= 0xff;
            let _ = read_back(&corrupt);
            corrupt[i] ^= 0xff;
        }
    }
}
