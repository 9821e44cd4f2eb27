//! Name keys that survive the ways news romanises Arabic, Turkish and Kurdish place names.
//!
//! [`exact_key`] folds case, diacritics, ʿayn and hamza marks, apostrophes, hyphens and
//! spacing, and drops the Arabic article ("Al-Ziyarah" = "Az Ziyārah" = "ziyarah").
//! [`skeleton`] goes further for lookup: common word variants become one form
//! (Kafr/Kfar/Kafer/Kefr, Ma'arrat/Maarat, Tell/Tal, Jabal/Jebel), q becomes k, ou becomes u, gh and dh lose their h,
//! a final -ah/-eh loses its h, doubled letters fold and vowels after the first letter go, so "Kafrinjah" and "Kafr Injah"
//! meet. The skeleton finds candidates; the exact key and the rest of the evidence rank them.

use unicode_normalization::UnicodeNormalization;

/// Arabic articles as romanised, written before a word with a hyphen or a space.
const ARTICLES: &[&str] = &[
    "al", "el", "ad", "as", "az", "ash", "ar", "at", "an", "adh", "ath", "aš", "ul",
];

/// Word variants that name the same thing.
const WORD_VARIANTS: &[(&[&str], &str)] = &[
    (
        &["kafr", "kfar", "kafer", "kefr", "kfr", "kufr", "kafar"],
        "kfr",
    ),
    (
        &[
            "maarat", "maarrat", "marat", "maaret", "maarret", "maarrah", "maarra", "maara",
        ],
        "mrt",
    ),
    (&["tell", "tal", "tel", "tall"], "tl"),
    (&["jabal", "jebel", "jabel", "djebel", "jbel"], "jbl"),
    (&["khirbet", "khirbat", "kherbet", "khirbeh"], "khrbt"),
    (&["deir", "dayr", "dair", "der"], "dyr"),
    (&["abu", "abou", "abo"], "ab"),
    (&["jisr", "djisr", "jesr"], "jsr"),
    (&["ain", "ayn", "ein", "ayin"], "ayn"),
    (&["turkey", "turkiye", "turkiya"], "turkiye"),
];

/// Lower case, no diacritics, no apostrophes or ʿayn/hamza marks; letters, digits and single
/// spaces only. Letters no decomposition reaches (ı, ł, ø ...) are mapped by hand.
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let mapped: &str = match c {
            'ı' | 'İ' => "i",
            'ł' | 'Ł' => "l",
            'ø' | 'Ø' => "o",
            'æ' | 'Æ' => "ae",
            'ß' => "ss",
            'đ' | 'Đ' => "d",
            'ʿ' | 'ʾ' | '\'' | '’' | '‘' | '`' | 'ʼ' | '´' => "",
            c if c.is_alphanumeric() => {
                out.extend(c.to_lowercase());
                continue;
            }
            _ => " ",
        };
        out.push_str(mapped);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a name is in the Latin script (the only script sitrep's keys are made for).
pub fn is_latin(name: &str) -> bool {
    name.chars()
        .filter(|c| c.is_alphabetic())
        .all(|c| (c as u32) < 0x0250 || ('\u{1E00}'..='\u{1EFF}').contains(&c))
}

/// Abbreviations before a name, written out: "St. Petersburg" is "Saint Petersburg".
const TITLE_ABBREVIATIONS: &[(&str, &str)] = &[
    ("st", "saint"),
    ("ste", "sainte"),
    ("mt", "mount"),
    ("ft", "fort"),
];

/// Folded words without Arabic articles, abbreviations before a name written out:
/// "Al-Ziyarah" → ["ziyarah"], "St. Louis" → ["saint", "louis"].
fn words(name: &str) -> Vec<String> {
    let folded = fold(name);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let kept: Vec<String> = words
        .iter()
        .enumerate()
        .filter(|(i, w)| !(ARTICLES.contains(w) && *i + 1 < words.len()))
        .map(|(i, w)| {
            let before_a_name = i + 1 < words.len();
            TITLE_ABBREVIATIONS
                .iter()
                .find(|(short, _)| before_a_name && short == w)
                .map_or_else(|| w.to_string(), |(_, long)| long.to_string())
        })
        .collect();
    kept
}

/// A code rather than a name: two to five capital letters ("CAR", "UAE", "LAX", "APC").
pub fn is_code(name: &str) -> bool {
    (2..=5).contains(&name.len()) && name.chars().all(|c| c.is_ascii_uppercase())
}

/// The key two spellings of one name share once case, marks, articles and spacing are gone.
pub fn exact_key(name: &str) -> String {
    let key = words(name).concat();
    // An abbreviation keeps its point: "La." is Louisiana, "La" is not.
    let last_word = name.trim_end().rsplit([' ', '.']).find(|w| !w.is_empty());
    if name.trim_end().ends_with('.') && last_word.is_some_and(|w| w.chars().count() <= 5) {
        key + "."
    } else {
        key
    }
}

/// The lookup key: word variants unified, q→k, ou→u, doubled letters folded, vowels after the
/// first letter dropped.
pub fn skeleton(name: &str) -> String {
    let joined: String = words(name)
        .iter()
        .map(|w| {
            // The feminine ending is written -a, -ah or -eh: "Zawiya", "Zawiyah", "Zawiyeh".
            let w = match w.strip_suffix('h') {
                Some(stem) if stem.ends_with(['a', 'e', 'i']) && stem.len() > 2 => stem.to_string(),
                _ => w.clone(),
            };
            WORD_VARIANTS
                .iter()
                .find(|(forms, _)| forms.contains(&w.as_str()))
                .map_or_else(|| w.to_string(), |(_, canonical)| canonical.to_string())
        })
        .collect();
    let joined = joined
        .replace("ou", "u")
        .replace('q', "k")
        .replace("dj", "j")
        .replace("ph", "f")
        .replace("gh", "g")
        .replace("dh", "d");
    let mut out = String::with_capacity(joined.len());
    for (i, c) in joined.chars().enumerate() {
        let vowel = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
        if (i > 0 && vowel) || out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    out
}

/// How alike two names are, 0..=1, on their exact keys: 1 when equal, else one minus the
/// edit distance over the longer length.
pub fn similarity(a: &str, b: &str) -> f64 {
    key_similarity(&exact_key(a), &exact_key(b))
}

/// [`similarity`] of two names already reduced to their [`exact_key`]s.
pub fn key_similarity(a: &str, b: &str) -> f64 {
    KeyMatcher::new(a).similarity(b, 0.0).unwrap_or(0.0)
}

/// One key's [`key_similarity`] to many others: a lookup weighs thousands of spellings, so the
/// key's letters and the edit-distance rows are kept between them.
pub struct KeyMatcher {
    key: Vec<char>,
    other: Vec<char>,
    previous: Vec<usize>,
    current: Vec<usize>,
}

impl KeyMatcher {
    pub fn new(key: &str) -> Self {
        KeyMatcher {
            key: key.chars().collect(),
            other: Vec::new(),
            previous: Vec::new(),
            current: Vec::new(),
        }
    }

    /// One less the edit distance over the longer length, if that is at least `floor`; the
    /// distance stops being computed once no path can stay above the floor.
    pub fn similarity(&mut self, other: &str, floor: f64) -> Option<f64> {
        self.other.clear();
        self.other.extend(other.chars());
        let (a, b) = (&self.key, &self.other);
        let longest = a.len().max(b.len()).max(1);
        let most_edits = ((1.0 - floor) * longest as f64 + 1e-9).floor() as usize;
        self.previous.clear();
        self.previous.extend(0..=b.len());
        for (i, ca) in a.iter().enumerate() {
            self.current.clear();
            self.current.push(i + 1);
            for (j, cb) in b.iter().enumerate() {
                let substitution = self.previous[j] + usize::from(ca != cb);
                let edits = substitution
                    .min(self.previous[j + 1] + 1)
                    .min(self.current[j] + 1);
                self.current.push(edits);
            }
            // A row's least value never falls in the rows after it.
            if self.current.iter().min().is_some_and(|&m| m > most_edits) {
                return None;
            }
            std::mem::swap(&mut self.previous, &mut self.current);
        }
        let similarity = 1.0 - self.previous[b.len()] as f64 / longest as f64;
        (similarity >= floor).then_some(similarity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_abbreviation_keeps_its_point() {
        assert_eq!(exact_key("Tenn."), "tenn.");
        assert_ne!(exact_key("La"), exact_key("La."));
        assert_eq!(exact_key("S.C."), "sc.");
        assert_eq!(skeleton("La"), skeleton("La."), "found by the same key");
        assert_eq!(exact_key("St. Louis"), exact_key("Saint Louis"));
        assert_eq!(skeleton("St. Petersburg"), skeleton("Saint Petersburg"));
    }

    #[test]
    fn articles_marks_and_spacing_fold_away() {
        assert_eq!(exact_key("Al-Ziyarah"), exact_key("Az Ziyārah"));
        assert_eq!(exact_key("Maʿarrat al-Nuʿman"), "maarratnuman");
        assert_eq!(exact_key("Jisr ash-Shughur"), exact_key("Jisr al-Shughur"));
        assert_eq!(exact_key("Türkiye"), "turkiye");
        assert_eq!(exact_key("İdlib"), "idlib");
        assert_eq!(exact_key("Al"), "al", "a lone article is a name");
    }

    #[test]
    fn skeletons_meet_across_romanisations() {
        let same = [
            ("Kafrinjah", "Kafr Injah"),
            ("Kafr Nabl", "Kfar Nabel"),
            ("Maarat al-Numan", "Ma'arrat an-Nu'man"),
            ("Saraqib", "Saraqeb"),
            ("Qamishli", "Kamishli"),
            ("Jisr al-Shughur", "Jisr ash-Shugur"),
            ("Tell Rifaat", "Tal Rifaat"),
            ("Turkey", "Türkiye"),
            ("Jabal al-Zawiya", "Jebel Zawiyeh"),
            ("Karkur", "Karkour"),
        ];
        for (a, b) in same {
            assert_eq!(skeleton(a), skeleton(b), "{a} / {b}");
        }
        assert_ne!(skeleton("Idlib"), skeleton("Aleppo"));
        assert_ne!(skeleton("Ariha"), skeleton("Harem"));
    }

    #[test]
    fn similarity_ranks_closer_spellings_higher() {
        assert_eq!(similarity("Al-Ziyarah", "Az Ziyārah"), 1.0);
        assert!(similarity("Saraqib", "Saraqeb") > similarity("Saraqib", "Sarmada"));
    }

    #[test]
    fn a_floor_cuts_the_distance_short_but_never_changes_a_kept_answer() {
        let mut saraqib = KeyMatcher::new("saraqib");
        for other in ["saraqeb", "sarmada", "saraqibal", "s", "qibsara", "saraqib"] {
            let full = key_similarity("saraqib", other);
            for floor in [0.0, 0.5, 0.6, 0.75, 1.0] {
                let kept = saraqib.similarity(other, floor);
                assert_eq!(kept, (full >= floor).then_some(full), "{other} at {floor}");
            }
        }
        // Exactly at the floor: 5 letters, 2 edits, 0.6.
        assert_eq!(KeyMatcher::new("abcde").similarity("abcxy", 0.6), Some(0.6));
    }

    #[test]
    fn only_latin_names_are_keyed() {
        assert!(is_latin("Az Ziyārah") && is_latin("İdlib") && is_latin("Ḩalab"));
        assert!(!is_latin("إدلب") && !is_latin("Идлиб"));
    }
}
