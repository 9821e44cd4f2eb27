//! Weights of a linear model over hashed features, as the model file keeps them: a table that
//! maps a feature to the few classes it has weights for.
//!
//! A perceptron gives each feature weights for only the classes it was ever updated for, so
//! rows are sparse. Features are hashed into buckets of about [`PER_BUCKET`]; a bucket is a run
//! of records, each a 32-bit fingerprint, a count and that many (class, code) byte pairs. The
//! bucket index is small enough to stay in the processor's cache, so finding a feature costs
//! one trip to memory, for its bucket's records, which lie together.
//!
//! Each weight is one byte, a code into a table of 256 values spaced evenly in log scale
//! (a sign bit and 128 magnitudes from the smallest kept weight to the largest): a weight keeps
//! its size within about 3% wherever it lies, which a linear 8-bit scale could not do for
//! weights spread over three orders of magnitude. Weights under the smallest magnitude are
//! dropped.

use crate::bytes::{ByteReader, ByteWriter};
use crate::model::ModelError;

/// Anything that scores classes for a set of features: the compact table at run time, the
/// perceptron while it learns.
pub(crate) trait Scorer {
    /// Adds each feature's weights to `scores` (one slot per class).
    fn score(&self, features: &[u64], scores: &mut [i32]);
}

/// The compact, read-only weights of one classifier.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Weights {
    classes: usize,
    /// Where each bucket's records start in `records`; one more entry marks the end.
    buckets: Vec<u32>,
    /// Per feature: fingerprint (4 bytes, little-endian), count less one (1 byte), then per
    /// weight its class and its code (a byte each).
    records: Vec<u8>,
    /// What each code is worth.
    values: Vec<i32>,
    features: usize,
    /// The same rows in the form scoring reads; derived from the fields above.
    lookup: Lookup,
}

/// The run-time form of a table. Frequent features have weights for most classes, and adding
/// such a row pair by pair costs more than all the rest; so a row of at least [`DENSE_MIN`]
/// weights is kept as a full row of values, added in one pass the compiler vectorises.
#[derive(Debug, Clone, PartialEq, Default)]
struct Lookup {
    /// Where each bucket's records start in `records`; one more entry marks the end.
    buckets: Vec<u32>,
    /// Per feature: fingerprint (4 bytes), then either [`DENSE_MARK`] and the index of its dense
    /// row (4 bytes), or its count less one and that many (class, code) pairs.
    records: Vec<u8>,
    /// Dense rows, `classes` values each, shifted right by [`DENSE_SHIFT`] to fit 16 bits: half
    /// the memory of full values, and still finer than the codes' 3% steps.
    dense: Vec<i16>,
}

/// Rows with at least this many weights are kept dense at run time.
const DENSE_MIN: usize = 48;
/// Dense values keep all but this many low bits.
const DENSE_SHIFT: u32 = 5;
/// The count byte that marks a dense row: a sparse row this long would be dense.
const DENSE_MARK: u8 = 0xff;

/// Features per bucket, on average.
const PER_BUCKET: usize = 4;
const HEAD: usize = 5;
/// Magnitudes per sign in the code table.
const LEVELS: i32 = 128;
/// The largest code value: room for hundreds of features per score without overflow.
const UNIT: f64 = (1 << 20) as f64;

/// A key's bucket: monotonic in the key, so keys in order fill buckets in order.
#[inline]
fn bucket_of(key: u64, buckets: usize) -> usize {
    ((key as u128 * buckets as u128) >> 64) as usize
}

#[inline]
fn fingerprint_of(key: u64) -> [u8; 4] {
    (key as u32).to_le_bytes()
}

impl Weights {
    /// Builds the table from averaged weights, `rows` sorted by feature key so the bytes are the
    /// same on every run. Weights smaller than `min_magnitude` times the largest are dropped.
    pub(crate) fn build(
        classes: usize,
        rows: &[(u64, Vec<(u16, f32)>)],
        min_magnitude: f32,
    ) -> Self {
        assert!(classes <= 256, "a classifier has at most 256 classes");
        let largest = rows
            .iter()
            .flat_map(|(_, r)| r.iter().map(|(_, w)| w.abs()))
            .fold(0.0f32, f32::max)
            .max(f32::MIN_POSITIVE) as f64;
        let codes = Codes::new(largest, (min_magnitude as f64).max(1e-4) * largest);
        let kept: Vec<(u64, Vec<[u8; 2]>)> = rows
            .iter()
            .map(|(key, row)| {
                let q = row
                    .iter()
                    .filter_map(|&(c, w)| codes.encode(w as f64).map(|code| [c as u8, code]))
                    .collect::<Vec<_>>();
                (*key, q)
            })
            .filter(|(_, q)| !q.is_empty())
            .collect();
        let buckets = (kept.len() / PER_BUCKET).max(1);
        let mut weights = Weights {
            classes,
            buckets: Vec::with_capacity(buckets + 1),
            records: Vec::new(),
            values: codes.values(),
            features: kept.len(),
            lookup: Lookup::default(),
        };
        let mut next = kept.iter().peekable();
        for bucket in 0..buckets {
            weights.buckets.push(weights.records.len() as u32);
            while let Some((key, row)) = next.next_if(|(key, _)| bucket_of(*key, buckets) == bucket)
            {
                weights.records.extend_from_slice(&fingerprint_of(*key));
                weights.records.push((row.len() - 1) as u8);
                weights.records.extend(row.iter().flatten());
            }
        }
        weights.buckets.push(weights.records.len() as u32);
        assert!(
            weights.records.len() <= u32::MAX as usize,
            "records fit in u32 offsets"
        );
        weights.lookup = Lookup::new(&weights);
        weights
    }

    pub(crate) fn classes(&self) -> usize {
        self.classes
    }

    /// Features with weights and weights kept: what the table costs.
    pub(crate) fn size(&self) -> (usize, usize) {
        let weights = (self.records.len() - HEAD * self.features) / 2;
        (self.features, weights)
    }

    pub(crate) fn write(&self, out: &mut ByteWriter) {
        out.len(self.classes);
        out.len(self.features);
        out.len(self.buckets.len());
        out.len(self.records.len());
        self.values.iter().for_each(|&v| out.u32(v as u32));
        self.buckets.iter().for_each(|&b| out.u32(b));
        out.buf.extend_from_slice(&self.records);
    }

    /// Reads a table and walks every record once, so lookups can trust what they read: buckets
    /// in order and inside the records, each bucket exactly a run of whole records, classes in
    /// range, values in range.
    pub(crate) fn read(bytes: &mut ByteReader<'_>) -> Result<Self, ModelError> {
        let classes = bytes.len(0)?;
        let features = bytes.len(0)?;
        let buckets = bytes.len(4)?;
        let records = bytes.len(1)?;
        let values = (0..256)
            .map(|_| bytes.u32().map(|v| v as i32))
            .collect::<Result<Vec<_>, _>>()?;
        let buckets = (0..buckets)
            .map(|_| bytes.u32())
            .collect::<Result<Vec<_>, _>>()?;
        let weights = Weights {
            classes,
            buckets,
            records: bytes.bytes(records)?.to_vec(),
            values,
            features,
            lookup: Lookup::default(),
        };
        if classes == 0
            || classes > 256
            || weights
                .values
                .iter()
                .any(|v| v.unsigned_abs() > UNIT as u32)
        {
            return Err(bytes.invalid("a weight table's classes or values are out of range"));
        }
        weights
            .check_records()
            .map_err(|reason| bytes.invalid(reason))?;
        let lookup = Lookup::new(&weights);
        Ok(Weights { lookup, ..weights })
    }

    fn check_records(&self) -> Result<(), &'static str> {
        let (Some(&first), Some(&last)) = (self.buckets.first(), self.buckets.last()) else {
            return Err("a weight table has no buckets");
        };
        if self.buckets.len() < 2 || first != 0 || last as usize != self.records.len() {
            return Err("a weight table's buckets do not cover its records");
        }
        let mut features = 0;
        for w in self.buckets.windows(2) {
            let (mut at, end) = (w[0] as usize, w[1] as usize);
            while at < end {
                let len = self.records.get(at + 4).ok_or("a record is cut short")?;
                let next = at + HEAD + (*len as usize + 1) * 2;
                let row = self
                    .records
                    .get(at + HEAD..next)
                    .filter(|_| next <= end)
                    .ok_or("a record runs past its bucket")?;
                if row.chunks_exact(2).any(|e| e[0] as usize >= self.classes) {
                    return Err("a weight names a class the table does not have");
                }
                features += 1;
                at = next;
            }
            if at != end {
                return Err("a weight table's buckets are out of order");
            }
        }
        if features != self.features {
            return Err("a weight table's feature count does not match its records");
        }
        Ok(())
    }
}

/// One feature's weights as the lookup keeps them.
#[derive(Clone, Copy)]
enum Row<'a> {
    /// (class, code) byte pairs.
    Sparse(&'a [u8]),
    /// A value for every class.
    Dense(&'a [i16]),
}

impl Lookup {
    /// Rewrites a checked table's records, making long rows dense.
    fn new(weights: &Weights) -> Self {
        let classes = weights.classes;
        let mut lookup = Lookup::default();
        for w in weights.buckets.windows(2) {
            lookup.buckets.push(lookup.records.len() as u32);
            let mut at = w[0] as usize;
            while at < w[1] as usize {
                let count = weights.records[at + 4] as usize + 1;
                let pairs = &weights.records[at + HEAD..at + HEAD + 2 * count];
                lookup
                    .records
                    .extend_from_slice(&weights.records[at..at + 4]);
                if count >= DENSE_MIN {
                    let index = (lookup.dense.len() / classes) as u32;
                    lookup.records.push(DENSE_MARK);
                    lookup.records.extend_from_slice(&index.to_le_bytes());
                    let row = lookup.dense.len();
                    lookup.dense.resize(row + classes, 0);
                    for e in pairs.chunks_exact(2) {
                        let value = weights.values[e[1] as usize] >> DENSE_SHIFT;
                        lookup.dense[row + e[0] as usize] =
                            value.clamp(i16::MIN as i32, i16::MAX as i32) as i16;
                    }
                } else {
                    lookup.records.push(weights.records[at + 4]);
                    lookup.records.extend_from_slice(pairs);
                }
                at += HEAD + 2 * count;
            }
        }
        lookup.buckets.push(lookup.records.len() as u32);
        lookup
    }

    /// A feature's row, or an empty one when the table has none for it.
    #[inline]
    fn row(&self, key: u64, bucket: usize, classes: usize) -> Row<'_> {
        let wanted = key as u32;
        let (mut at, end) = (
            self.buckets[bucket] as usize,
            self.buckets[bucket + 1] as usize,
        );
        while let Some(record) = self.records.get(at..end).filter(|r| r.len() > HEAD) {
            let found = u32::from_le_bytes([record[0], record[1], record[2], record[3]]) == wanted;
            if record[4] == DENSE_MARK {
                if found {
                    let index = u32::from_le_bytes([record[5], record[6], record[7], record[8]]);
                    let start = index as usize * classes;
                    return Row::Dense(self.dense.get(start..start + classes).unwrap_or(&[]));
                }
                at += HEAD + 4;
            } else {
                let len = (record[4] as usize + 1) * 2;
                if found {
                    return Row::Sparse(record.get(HEAD..HEAD + len).unwrap_or(&[]));
                }
                at += HEAD + len;
            }
        }
        Row::Sparse(&[])
    }
}

impl Scorer for Weights {
    /// Looks features up in batches, in three sweeps so that the cache misses of a batch
    /// overlap instead of queueing one after another: ask for every feature's bucket, then find
    /// each row and ask for the dense ones, then add them all.
    #[inline]
    fn score(&self, features: &[u64], scores: &mut [i32]) {
        const BATCH: usize = 64;
        let lookup = &self.lookup;
        let buckets = lookup.buckets.len() - 1;
        let values: &[i32; 256] = self.values[..].try_into().expect("256 codes");
        // Indexed by a byte, so the sparse loop needs no bounds checks.
        let mut sums = [0i32; 256];
        let mut found = [0usize; BATCH];
        let mut rows = [Row::Sparse(&[]); BATCH];
        for batch in features.chunks(BATCH) {
            for (i, &key) in batch.iter().enumerate() {
                found[i] = bucket_of(key, buckets);
                let at = lookup.buckets[found[i]] as usize;
                prefetch(&lookup.records, at);
                prefetch(&lookup.records, at + 64);
            }
            for (i, &key) in batch.iter().enumerate() {
                rows[i] = lookup.row(key, found[i], self.classes);
                if let Row::Dense(row) = rows[i] {
                    (0..row.len()).step_by(32).for_each(|at| prefetch(row, at));
                }
            }
            for row in &rows[..batch.len()] {
                match *row {
                    Row::Sparse(pairs) => {
                        for e in pairs.chunks_exact(2) {
                            sums[e[0] as usize] += values[e[1] as usize];
                        }
                    }
                    Row::Dense(row) => {
                        for (sum, &v) in sums.iter_mut().zip(row) {
                            *sum += (v as i32) << DENSE_SHIFT;
                        }
                    }
                }
            }
        }
        scores
            .iter_mut()
            .zip(sums)
            .for_each(|(score, sum)| *score += sum);
    }
}

/// Asks for the cache line holding `bytes[at]` ahead of its use.
#[inline(always)]
fn prefetch<T>(bytes: &[T], at: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(b) = bytes.get(at) {
        // SAFETY: a prefetch is a hint that never faults, and the pointer is in bounds anyway.
        unsafe {
            std::arch::x86_64::_mm_prefetch(
                b as *const T as *const i8,
                std::arch::x86_64::_MM_HINT_T0,
            )
        };
    }
}

/// The log-scale code table of one classifier.
struct Codes {
    smallest: f64,
    ratio: f64,
    largest: f64,
}

impl Codes {
    fn new(largest: f64, smallest: f64) -> Self {
        let smallest = smallest.min(largest);
        Codes {
            smallest,
            ratio: (largest / smallest)
                .powf(1.0 / (LEVELS - 1) as f64)
                .max(1.0 + 1e-9),
            largest,
        }
    }

    /// The code of a weight: bit 7 its sign, bits 0–6 the nearest magnitude; `None` below the
    /// smallest magnitude.
    fn encode(&self, w: f64) -> Option<u8> {
        if w.abs() < self.smallest * self.ratio.sqrt().recip() || w == 0.0 {
            return None;
        }
        let level = ((w.abs() / self.smallest).ln() / self.ratio.ln())
            .round()
            .clamp(0.0, (LEVELS - 1) as f64) as u8;
        Some(level | if w < 0.0 { 0x80 } else { 0 })
    }

    /// What each code is worth, scaled so the largest weight is [`UNIT`].
    fn values(&self) -> Vec<i32> {
        (0..=255u8)
            .map(|code| {
                let magnitude = self.smallest * self.ratio.powi((code & 0x7f) as i32);
                let v = (magnitude / self.largest * UNIT).round().min(UNIT) as i32;
                if code & 0x80 != 0 {
                    -v
                } else {
                    v
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Weights {
        let rows = vec![
            (1u64, vec![(0u16, 1.0f32), (2, -0.5)]),
            (7, vec![(1, 0.25)]),
            (u64::MAX, vec![(2, 0.0001)]),
        ];
        Weights::build(3, &rows, 0.01)
    }

    #[test]
    fn features_find_their_rows_and_unknown_ones_nothing() {
        let w = table();
        let mut scores = [0i32; 3];
        w.score(&[1, 7, 12345], &mut scores);
        let near = |got: i32, want: f64| (got as f64 - want).abs() <= want.abs() * 0.02;
        assert!(near(scores[0], UNIT), "{scores:?}");
        assert!(near(scores[1], UNIT / 4.0), "{scores:?}");
        assert!(near(scores[2], -UNIT / 2.0), "{scores:?}");
    }

    #[test]
    fn tiny_weights_are_pruned() {
        assert_eq!(table().size(), (2, 3));
    }

    #[test]
    fn tables_round_trip_and_corrupt_ones_are_refused() {
        let w = table();
        let mut out = ByteWriter::default();
        w.write(&mut out);
        let mut r = ByteReader::new(&out.buf, "test");
        assert_eq!(Weights::read(&mut r).unwrap(), w);
        r.finish().unwrap();
        for cut in 0..out.buf.len() {
            assert!(Weights::read(&mut ByteReader::new(&out.buf[..cut], "test")).is_err());
        }
        let mut bad = out.buf.clone();
        let first_class = 16 + 256 * 4 + w.buckets.len() * 4 + HEAD;
        bad[first_class] = 9;
        assert!(Weights::read(&mut ByteReader::new(&bad, "test")).is_err());
    }
}
