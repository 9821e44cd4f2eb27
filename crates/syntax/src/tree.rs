//! Tree repairs on a heads array: the parser may leave several words on the root (a sentence
//! gets one), hang a clause's words on an auxiliary (UD's function words take none), or read
//! an active verb with an object as a passive participle.

/// Turns the parser's heads (`n` for the root) into `None` for the one root and word indices
/// otherwise. When several words took the root, the one with the largest subtree keeps it and
/// the others attach to it as `parataxis` (UD's relation for run-on clauses side by side).
pub(crate) fn single_root(
    heads: Vec<u32>,
    mut relations: Vec<u16>,
    names: &[String],
    root_relation: u16,
) -> (Vec<Option<usize>>, Vec<u16>) {
    let n = heads.len();
    let root_of = roots_of(&heads);
    let mut size = vec![0usize; n];
    root_of.iter().for_each(|&r| size[r] += 1);
    let keep = (0..n)
        .filter(|&i| heads[i] as usize >= n)
        .max_by_key(|&r| (size[r], std::cmp::Reverse(r)));
    let side = names
        .iter()
        .position(|r| r == "parataxis")
        .map_or(root_relation, |p| p as u16);
    let out = (0..n)
        .map(|i| {
            if heads[i] as usize >= n {
                if Some(i) == keep {
                    None
                } else {
                    relations[i] = side;
                    keep
                }
            } else {
                Some(heads[i] as usize)
            }
        })
        .collect();
    if let Some(k) = keep {
        relations[k] = root_relation;
    }
    (out, relations)
}

/// Relations of function words, which in UD take no subject.
const FUNCTION_RELATIONS: &[&str] = &["aux", "cop", "mark", "case", "det"];
const SUBJECTS: &[&str] = &["nsubj", "csubj", "expl"];

/// "The governments have practically announced …" with "governments" hung on "have": a
/// subject the parser hung on a function word moves to that word's head, keeping its
/// relation. (Other words hung there may mean the tagger took a verb for an auxiliary, and
/// stay.) A word's new head is its grandhead, so no cycle can form.
pub(crate) fn lift_from_function_words(
    heads: &mut [Option<usize>],
    relations: &[u16],
    names: &[String],
) {
    let base = |r: u16| {
        names
            .get(r as usize)
            .map_or("", |name| name.split(':').next().unwrap_or(""))
    };
    for i in 0..heads.len() {
        let Some(h) = heads[i] else { continue };
        if heads[h].is_some()
            && FUNCTION_RELATIONS.contains(&base(relations[h]))
            && SUBJECTS.contains(&base(relations[i]))
        {
            heads[i] = heads[h];
        }
    }
}

/// "…three categories, namely muscle loading, …" with "loading" hung on the sentence's full
/// stop: punctuation takes no dependents in UD, so a word the parser hung on a punctuation
/// mark moves up to the first head above it that is not one, as an unspecified `dep`: the
/// relation it had to the mark says nothing of its new head (a "subject" of a full stop is no
/// second subject of the verb). Heads only move up, so no cycle can form.
pub(crate) fn lift_from_punctuation(
    heads: &mut [Option<usize>],
    relations: &mut [u16],
    names: &[String],
) {
    let id = |name: &str| names.iter().position(|n| n == name).map(|r| r as u16);
    let (Some(punct), Some(dep)) = (id("punct"), id("dep")) else {
        return;
    };
    let marks: Vec<bool> = relations.iter().map(|&r| r == punct).collect();
    for i in 0..heads.len() {
        while let Some(h) = heads[i].filter(|&h| marks[h]) {
            let Some(up) = heads[h] else { break };
            heads[i] = Some(up);
            if !marks[i] {
                relations[i] = dep;
            }
        }
    }
}

/// The tag and relation ids the voice repair reads, looked up once per model.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ActiveVoice {
    passive_subject: u16,
    subject: u16,
    object: u16,
    passive_auxiliary: u16,
    participle: u16,
    past: u16,
}

impl ActiveVoice {
    /// `None` when the model's tables lack one of the labels (a model trained on other data).
    pub(crate) fn new(tags: &[(String, String)], relations: &[String]) -> Option<Self> {
        let relation = |name: &str| relations.iter().position(|r| r == name).map(|p| p as u16);
        let tag = |xpos: &str| {
            tags.iter()
                .position(|(u, x)| u == "VERB" && x == xpos)
                .map(|p| p as u16)
        };
        Some(ActiveVoice {
            passive_subject: relation("nsubj:pass")?,
            subject: relation("nsubj")?,
            object: relation("obj")?,
            passive_auxiliary: relation("aux:pass")?,
            participle: tag("VBN")?,
            past: tag("VBD")?,
        })
    }

    /// "Border guards retook the crossing" with "retook", a form the tagger never saw, tagged
    /// a present: a form the irregular verbs list only as a past is a past tense.
    pub(crate) fn past_forms<'a>(
        &self,
        forms: impl Iterator<Item = &'a str>,
        names: &[(String, String)],
        tags: &mut [u16],
    ) {
        for (form, tag) in forms.zip(tags.iter_mut()) {
            let (upos, xpos) = &names[*tag as usize];
            if upos == "VERB"
                && matches!(xpos.as_str(), "VB" | "VBP" | "VBZ")
                && crate::morph::is_past_only(&form.to_lowercase())
            {
                *tag = self.past;
            }
        }
    }

    /// "Police officers soon arrested Floyd" with "arrested" tagged a participle and
    /// "officers" its passive subject: a verb with an object and no passive auxiliary is active
    /// (the treebanks hold one such passive in 315,000 words), so its subject is `nsubj`, and
    /// the participle, when nothing stands in its verb chain, a past tense.
    pub(crate) fn repair(
        &self,
        heads: &[Option<usize>],
        names: &[String],
        relations: &mut [u16],
        tags: &mut [u16],
    ) {
        for i in 0..heads.len() {
            let Some(verb) = heads[i].filter(|_| relations[i] == self.passive_subject) else {
                continue;
            };
            let dependents = || (0..heads.len()).filter(move |&c| heads[c] == Some(verb));
            let has = |rel: u16| dependents().any(|c| relations[c] == rel);
            if !has(self.object) || has(self.passive_auxiliary) {
                continue;
            }
            relations[i] = self.subject;
            let auxiliary = dependents().any(|c| names[relations[c] as usize].starts_with("aux"));
            if tags[verb] == self.participle && !auxiliary {
                tags[verb] = self.past;
            }
        }
    }
}

/// The root each word hangs from, with paths remembered so the walk is linear.
fn roots_of(heads: &[u32]) -> Vec<usize> {
    let n = heads.len();
    let mut root = vec![usize::MAX; n];
    let mut path = Vec::new();
    for i in 0..n {
        let mut at = i;
        while root[at] == usize::MAX && heads[at] as usize != n && path.len() <= n {
            path.push(at);
            at = heads[at] as usize;
        }
        let r = if root[at] == usize::MAX { at } else { root[at] };
        root[at] = r;
        for p in path.drain(..) {
            root[p] = r;
        }
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_hung_on_an_auxiliary_moves_to_its_verb() {
        let names: Vec<String> = ["root", "aux", "nsubj", "punct"].map(String::from).to_vec();
        // "They have left ." with "They" hung on "have".
        let mut heads = vec![Some(1), Some(2), None, Some(1)];
        lift_from_function_words(&mut heads, &[2, 1, 0, 3], &names);
        assert_eq!(heads, vec![Some(2), Some(2), None, Some(1)]);
    }

    #[test]
    fn a_participle_with_an_object_and_no_passive_auxiliary_is_active() {
        let names: Vec<String> = ["root", "nsubj", "nsubj:pass", "obj", "aux:pass", "aux"]
            .map(String::from)
            .to_vec();
        let tags: Vec<(String, String)> = [("VERB", "VBN"), ("VERB", "VBD"), ("NOUN", "NNS")]
            .map(|(u, x)| (u.to_string(), x.to_string()))
            .to_vec();
        let voice = ActiveVoice::new(&tags, &names).unwrap();
        // "Officers arrested suspects" read as a passive with an object.
        let heads = [Some(1), None, Some(1)];
        let (mut rels, mut tagged) = (vec![2, 0, 3], vec![2, 0, 2]);
        voice.repair(&heads, &names, &mut rels, &mut tagged);
        assert_eq!((rels, tagged), (vec![1, 0, 3], vec![2, 1, 2]));
        // "Suspects were given warnings" keeps its passive.
        let heads = [Some(2), Some(2), None, Some(2)];
        let (mut rels, mut tagged) = (vec![2, 4, 0, 3], vec![2, 1, 0, 2]);
        voice.repair(&heads, &names, &mut rels, &mut tagged);
        assert_eq!((rels, tagged), (vec![2, 4, 0, 3], vec![2, 1, 0, 2]));
    }

    #[test]
    fn a_word_hung_on_punctuation_moves_up_as_an_unspecified_dependent() {
        let names: Vec<String> = ["root", "punct", "nsubj", "dep", "obj"]
            .map(String::from)
            .to_vec();
        // "He left , town ." with "town" hung on the comma as a subject, the comma on the
        // full stop, and the full stop on "left": the comma stays punctuation.
        let mut heads = vec![Some(1), None, Some(4), Some(2), Some(1)];
        let mut rels = vec![2, 0, 1, 2, 1];
        lift_from_punctuation(&mut heads, &mut rels, &names);
        assert_eq!(heads, vec![Some(1), None, Some(1), Some(1), Some(1)]);
        assert_eq!(rels, vec![2, 0, 1, 3, 1]);
    }

    #[test]
    fn extra_roots_join_the_largest_subtree() {
        let names: Vec<String> = ["root", "parataxis", "nsubj"].map(String::from).to_vec();
        // Word 0 is a root alone; word 2 is a root with word 1 below it.
        let (heads, rels) = single_root(vec![3, 2, 3], vec![0, 2, 0], &names, 0);
        assert_eq!(heads, vec![Some(2), Some(2), None]);
        assert_eq!(rels, vec![1, 2, 0]);
    }
}
