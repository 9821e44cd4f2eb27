//! Near-duplicate detection: MinHash signatures over word shingles.
//!
//! Wire copy is republished with a new headline, a trimmed last paragraph or a changed
//! dateline. Two texts' [`MinHash::similarity`] estimates the Jaccard similarity of their sets of
//! [`SHINGLE_WORDS`]-word shingles; [`MinHash::band_keys`] gives locality-sensitive keys so a
//! store can find candidates by equality lookups instead of comparing against every article.

use xxhash_rust::xxh3::xxh3_64;

/// Words per shingle: long enough that shared phrasing, not shared vocabulary, makes texts alike.
pub const SHINGLE_WORDS: usize = 5;
/// LSH bands. With [`ROWS`] rows each, a pair of texts with Jaccard similarity 0.7 shares a
/// band key with probability 0.93, at 0.8 with 0.998; a pair at 0.2 (two reports from one
/// template) only with 0.001, which keeps candidate lists short on templated news.
pub const BANDS: usize = 21;
/// Signature rows per band.
pub const ROWS: usize = 6;
/// Hash functions per signature.
pub const HASHES: usize = BANDS * ROWS;
/// Estimated similarity at or above which two texts are the same report.
pub const DUPLICATE_THRESHOLD: f64 = 0.7;

/// A MinHash signature of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinHash([u32; HASHES]);

/// Fixed multiply-add hash family, derived by splitmix64 from a constant seed so signatures
/// stay comparable across versions and machines.
const fn hash_family() -> [(u64, u64); HASHES] {
    let mut state: u64 = 0x5173_7265_7000_0001;
    let mut family = [(0u64, 0u64); HASHES];
    let mut i = 0;
    while i < HASHES {
        let mut pair = [0u64; 2];
        let mut j = 0;
        while j < 2 {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            pair[j] = z ^ (z >> 31);
            j += 1;
        }
        family[i] = (pair[0] | 1, pair[1]);
        i += 1;
    }
    family
}

const FAMILY: [(u64, u64); HASHES] = hash_family();

impl MinHash {
    /// The signature of `text`'s word shingles (case-folded, punctuation ignored).
    pub fn of_text(text: &str) -> Self {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let mut signature = [u32::MAX; HASHES];
        let window = SHINGLE_WORDS.min(words.len().max(1));
        for shingle in words.windows(window) {
            let base = xxh3_64(shingle.join(" ").as_bytes());
            for (slot, (a, b)) in signature.iter_mut().zip(FAMILY.iter()) {
                let h = (base.wrapping_mul(*a).wrapping_add(*b) >> 32) as u32;
                *slot = (*slot).min(h);
            }
        }
        MinHash(signature)
    }

    /// Estimated Jaccard similarity of the two texts' shingle sets, 0..=1.
    pub fn similarity(&self, other: &MinHash) -> f64 {
        let same = self
            .0
            .iter()
            .zip(other.0.iter())
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / HASHES as f64
    }

    /// One key per band; texts sharing any key are candidates for a similarity check.
    pub fn band_keys(&self) -> [i64; BANDS] {
        let mut keys = [0i64; BANDS];
        for (band, key) in keys.iter_mut().enumerate() {
            let mut bytes = Vec::with_capacity(4 + ROWS * 4);
            bytes.extend_from_slice(&(band as u32).to_le_bytes());
            for value in &self.0[band * ROWS..(band + 1) * ROWS] {
                bytes.extend_from_slice(&value.to_le_bytes());
            }
            *key = xxh3_64(&bytes) as i64;
        }
        keys
    }

    /// Little-endian bytes, for storage.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Reads [`MinHash::to_bytes`] back; `None` if the length is wrong.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != HASHES * 4 {
            return None;
        }
        let mut signature = [0u32; HASHES];
        for (slot, chunk) in signature.iter_mut().zip(bytes.chunks_exact(4)) {
            *slot = u32::from_le_bytes(chunk.try_into().ok()?);
        }
        Some(MinHash(signature))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIRE: &str = "Shelling by government forces killed four civilians in the village of \
        Kafr Tuwaym near Ariha on Tuesday, local rescuers said. The White Helmets said two \
        children were among the dead and that several houses were destroyed. A military source \
        in Damascus denied that the army had targeted civilians and said its units had struck \
        militant positions in Jabal al-Zawiya. Residents said the bombardment lasted more than \
        two hours and forced dozens of families to flee north towards the Turkish border. The \
        monitor said it was the deadliest day in the area since the start of the year.";

    fn jaccard(a: &str, b: &str) -> f64 {
        use std::collections::HashSet;
        let shingles = |t: &str| -> HashSet<String> {
            let w: Vec<String> = t
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            w.windows(SHINGLE_WORDS).map(|s| s.join(" ")).collect()
        };
        let (a, b) = (shingles(a), shingles(b));
        a.intersection(&b).count() as f64 / a.union(&b).count() as f64
    }

    #[test]
    fn identical_texts_are_identical() {
        let a = MinHash::of_text(WIRE);
        assert_eq!(a.similarity(&MinHash::of_text(WIRE)), 1.0);
    }

    #[test]
    fn a_trimmed_last_sentence_stays_a_near_duplicate() {
        let trimmed = &WIRE[..WIRE.rfind(" The monitor").unwrap()];
        let estimate = MinHash::of_text(WIRE).similarity(&MinHash::of_text(trimmed));
        let truth = jaccard(WIRE, trimmed);
        assert!(
            (estimate - truth).abs() < 0.15,
            "estimate {estimate} vs true {truth}"
        );
        assert!(estimate >= DUPLICATE_THRESHOLD, "{estimate}");
        let shared = MinHash::of_text(WIRE)
            .band_keys()
            .iter()
            .zip(MinHash::of_text(trimmed).band_keys().iter())
            .filter(|(a, b)| a == b)
            .count();
        assert!(shared > 0, "a near duplicate must share a band key");
    }

    #[test]
    fn different_reports_on_the_same_topic_are_not_duplicates() {
        let other = "Turkish and Russian troops held a joint patrol on the M4 highway near \
            Saraqib on Wednesday, the defence ministry in Ankara said. The patrol passed \
            without incident, according to a statement, and was the third this month. Local \
            activists said drones flew over Ariha during the day.";
        let s = MinHash::of_text(WIRE).similarity(&MinHash::of_text(other));
        assert!(s < 0.2, "{s}");
    }

    #[test]
    fn case_and_punctuation_do_not_matter() {
        let shouty = WIRE.to_uppercase().replace(',', ";");
        assert_eq!(MinHash::of_text(WIRE), MinHash::of_text(&shouty));
    }

    #[test]
    fn bytes_round_trip_and_bad_lengths_are_refused() {
        let a = MinHash::of_text(WIRE);
        assert_eq!(MinHash::from_bytes(&a.to_bytes()), Some(a));
        assert_eq!(MinHash::from_bytes(&[1, 2, 3]), None);
    }
}
