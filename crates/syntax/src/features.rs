//! Hashed features, shared by the tagger and the parser.
//!
//! A feature is a template (which slots of the context it reads) and the values it read, mixed
//! into one `u64`. Word values are hashes of a normalised form, so no vocabulary is stored: an
//! unseen word simply has no weights. The hash is fixed (xxh3 with seed 0 for strings, a
//! SplitMix64 finaliser for mixing), so a model file means the same thing on every machine.

use xxhash_rust::xxh3::xxh3_64;

/// The value of an empty slot (no token there, no child yet).
pub(crate) const NONE: u64 = 0x9e37_79b9_7f4a_7c15;

/// Mixes a template id and up to three values into a feature key.
#[inline]
pub(crate) fn key(template: u8, a: u64, b: u64, c: u64) -> u64 {
    let mut h = (template as u64).wrapping_mul(0xff51_afd7_ed55_8ccd);
    h = finalise(h ^ a);
    h = finalise(h ^ b.rotate_left(21));
    finalise(h ^ c.rotate_left(42))
}

/// SplitMix64's finaliser: every input bit reaches every output bit.
#[inline]
fn finalise(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A string's value in a feature.
#[inline]
pub(crate) fn text(s: &str) -> u64 {
    xxh3_64(s.as_bytes())
}

/// A small integer's value in a feature (tag and label ids, distances, counts).
#[inline]
pub(crate) fn num(n: usize) -> u64 {
    finalise(n as u64 ^ 0x5851_f42d_4c95_7f2d)
}

/// The form a model reads for a word: lower case, every digit `0`, curly apostrophes straight,
/// so "1,200" and "3,400" share their weights and "Don’t" is "don't".
pub(crate) fn normalise(form: &str) -> String {
    form.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '0'..='9' => '0',
            '’' | '‘' => '\'',
            c => c,
        })
        .collect()
}

/// The word's shape with runs collapsed: "Assad" → "Xx", "U.S." → "X.X.", "1,200" → "d,d",
/// "al-Sham" → "x-Xx". Capitalisation and digits carry what spelling alone cannot.
pub(crate) fn shape(form: &str) -> String {
    let mut out = String::new();
    for c in form.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else if c.is_alphabetic() {
            'a' // scripts without case
        } else {
            c
        };
        if !out.ends_with(s) || !matches!(s, 'X' | 'x' | 'd' | 'a') {
            out.push(s);
        }
    }
    out
}

/// The last `n` characters of a normalised form (the whole form when shorter).
pub(crate) fn suffix(form: &str, n: usize) -> &str {
    let start = form
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &form[start..]
}

/// The first `n` characters of a normalised form.
pub(crate) fn prefix(form: &str, n: usize) -> &str {
    let end = form.char_indices().nth(n).map_or(form.len(), |(i, _)| i);
    &form[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_collapse_runs_and_keep_punctuation() {
        assert_eq!(shape("Assad"), "Xx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("1,200"), "d,d");
        assert_eq!(shape("al-Sham"), "x-Xx");
        assert_eq!(shape("إدلب"), "a");
    }

    #[test]
    fn affixes_count_characters_not_bytes() {
        assert_eq!(suffix("مدينة", 2), "نة");
        assert_eq!(suffix("go", 4), "go");
        assert_eq!(prefix("über", 2), "üb");
        assert_eq!(prefix("", 3), "");
    }

    #[test]
    fn normalised_forms_share_numbers_and_apostrophes() {
        assert_eq!(normalise("1,200"), normalise("3,455"));
        assert_eq!(normalise("Don’t"), "don't");
    }

    #[test]
    fn keys_differ_by_template_and_by_slot() {
        let (a, b) = (text("a"), text("b"));
        assert_ne!(key(1, a, b, NONE), key(2, a, b, NONE));
        assert_ne!(key(1, a, b, NONE), key(1, b, a, NONE));
    }
}
