//! Weights of a linear model over hashed features, as the model file keeps them: a table that
//! maps a feature to the few classes it has weights for.
//!
//! A perceptron gives each feature weights for only the classes it was ever updated for, so
//! rows are sparse. Features are hashed into buckets of about [`PER_BUCKET`]; a bucket is a run
//! of records, each a 32-bit fingerprint, a count and that many (class, code) byte pairs. At
//! load the records are rewritten for scoring (see [`Lookup`]): a feature's bucket names one
//! cache line of slots that says where its row is, so rows are asked for before they are read.
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

    /// Whether a feature has weights; a learner still learning knows every feature.
    fn knows(&self, _feature: u64) -> bool {
        true
    }
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
/// weights is kept as a full row of values. Dense rows are added [`LANES`] classes at a time
/// with the running sums held in registers (see [`add_dense`]).
///
/// Features are found by open addressing over groups of eight slots, one cache line each: a
/// key's home group is its bucket in the model file, and its slot is the first one from there
/// on that holds its fingerprint, before an empty slot. A lookup asks for one line that its
/// key alone names, with no index to read first, and finds the place of its row there.
#[derive(Debug, Clone, PartialEq, Default)]
struct Lookup {
    /// Per slot: the key's fingerprint in the low 32 bits (never 0: 0 is an empty slot), then
    /// its row's length less one (8 bits; [`DENSE_LEN`] for a dense row), then where the row
    /// is (24 bits): the index of a dense row, or of a sparse row's first pair in `sparse`. With
    /// the length in the slot, the row can be asked for before any of it is read.
    groups: Vec<Group>,
    /// Home groups: the model file's buckets (the groups past them take what overflows).
    homes: usize,
    /// Sparse rows' (class, code) byte pairs.
    sparse: Vec<u8>,
    /// Dense rows, `stride` values each (the classes, then zeros up to a multiple of
    /// [`LANES`]), shifted right by [`DENSE_SHIFT`] to fit 16 bits: half the memory of full
    /// values, and still finer than the codes' 3% steps.
    dense: Vec<i16>,
    stride: usize,
    /// Whether this processor adds dense rows with AVX2 (checked once, at load).
    wide: bool,
}

/// Rows with at least this many weights are kept dense at run time.
const DENSE_MIN: usize = 12;
/// Dense values keep all but this many low bits.
const DENSE_SHIFT: u32 = 5;
/// Classes a dense row is added in at a time: one AVX2 register pair of sums.
const LANES: usize = 16;
/// The length byte that marks a dense row: a sparse row this long would be dense.
const DENSE_LEN: u8 = 0xff;
/// Rows a lookup can place: 24 bits.
const PLACES: usize = 1 << 24;
/// Eight slots, one cache line.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[repr(C, align(64))]
struct Group([u64; 8]);

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
        weights.lookup = Lookup::new(&weights).expect("a trained table fits a lookup");
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
        let lookup = Lookup::new(&weights).map_err(|reason| bytes.invalid(reason))?;
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
    /// Rewrites a checked table's records, making long rows dense; refuses a table too large
    /// to place every row.
    fn new(weights: &Weights) -> Result<Self, &'static str> {
        let homes = weights.buckets.len() - 1;
        let mut lookup = Lookup {
            groups: vec![Group::default(); homes],
            homes,
            stride: weights.classes.next_multiple_of(LANES),
            wide: wide_lanes(),
            ..Lookup::default()
        };
        for (home, w) in weights.buckets.windows(2).enumerate() {
            let mut at = w[0] as usize;
            while at < w[1] as usize {
                let record = &weights.records[at..];
                let fingerprint = u32::from_le_bytes([record[0], record[1], record[2], record[3]]);
                let count = record[4] as usize + 1;
                let pairs = &record[HEAD..HEAD + 2 * count];
                let (len, place) = if count >= DENSE_MIN {
                    (DENSE_LEN, lookup.add_dense_row(pairs, &weights.values))
                } else {
                    (record[4], lookup.add_sparse_row(pairs))
                };
                if place >= PLACES {
                    return Err("a weight table has more rows than a lookup can place");
                }
                lookup.insert(home, fingerprint, len, place);
                at += HEAD + 2 * count;
            }
        }
        Ok(lookup)
    }

    /// Appends a dense row made of (class, code) pairs; returns its index.
    fn add_dense_row(&mut self, pairs: &[u8], values: &[i32]) -> usize {
        let row = self.dense.len();
        self.dense.resize(row + self.stride, 0);
        for e in pairs.chunks_exact(2) {
            let value = values[e[1] as usize] >> DENSE_SHIFT;
            self.dense[row + e[0] as usize] = value.clamp(i16::MIN as i32, i16::MAX as i32) as i16;
        }
        row / self.stride
    }

    /// Appends a sparse row's pairs; returns the index of its first pair.
    fn add_sparse_row(&mut self, pairs: &[u8]) -> usize {
        let place = self.sparse.len() / 2;
        self.sparse.extend_from_slice(pairs);
        place
    }

    /// Puts a fingerprint in the first empty slot from its home group on, adding overflow
    /// groups at the end when the last one is full.
    fn insert(&mut self, home: usize, fingerprint: u32, len: u8, place: usize) {
        let slot = fingerprint.max(1) as u64 | (len as u64) << 32 | (place as u64) << 40;
        for group in home.. {
            if group == self.groups.len() {
                self.groups.push(Group::default());
            }
            if let Some(free) = self.groups[group].0.iter_mut().find(|s| **s == 0) {
                *free = slot;
                return;
            }
        }
    }

    /// A key's home group.
    #[inline]
    fn home(&self, key: u64) -> usize {
        bucket_of(key, self.homes)
    }

    /// A feature's row, or an empty one when the table has none for it.
    #[inline]
    fn row(&self, key: u64, home: usize) -> Row<'_> {
        let wanted = (key as u32).max(1) as u64;
        for group in self.groups.get(home..).unwrap_or(&[]) {
            for &slot in &group.0 {
                if slot == 0 {
                    return Row::Sparse(&[]);
                }
                if slot & 0xffff_ffff == wanted {
                    return self.row_at(slot);
                }
            }
        }
        Row::Sparse(&[])
    }

    /// The row a found slot points to, without reading any of it.
    #[inline]
    fn row_at(&self, slot: u64) -> Row<'_> {
        let (len, place) = ((slot >> 32) as u8, (slot >> 40) as usize);
        if len == DENSE_LEN {
            let start = place * self.stride;
            Row::Dense(self.dense.get(start..start + self.stride).unwrap_or(&[]))
        } else {
            let (start, end) = (place * 2, (place + len as usize + 1) * 2);
            Row::Sparse(self.sparse.get(start..end).unwrap_or(&[]))
        }
    }
}

impl Scorer for Weights {
    fn knows(&self, feature: u64) -> bool {
        let row = self.lookup.row(feature, self.lookup.home(feature));
        !matches!(row, Row::Sparse(pairs) if pairs.is_empty())
    }

    /// Looks features up in batches, in three sweeps so that the cache misses of a batch
    /// overlap instead of queueing one after another: ask for every feature's home group, then
    /// find each row and ask for it, then add them all.
    #[inline]
    fn score(&self, features: &[u64], scores: &mut [i32]) {
        const BATCH: usize = 64;
        let lookup = &self.lookup;
        let values: &[i32; 256] = self.values[..].try_into().expect("256 codes");
        // Indexed by a byte, so the sparse loop needs no bounds checks.
        let mut sums = [0i32; 256];
        // The dense rows' sums, before their shift is undone.
        let mut dense_sums = [0i32; 256];
        let mut found = [0usize; BATCH];
        let mut rows = [Row::Sparse(&[]); BATCH];
        let mut dense: [&[i16]; BATCH] = [&[]; BATCH];
        for batch in features.chunks(BATCH) {
            for (i, &key) in batch.iter().enumerate() {
                found[i] = lookup.home(key);
                prefetch(&lookup.groups, found[i]);
            }
            for (i, &key) in batch.iter().enumerate() {
                rows[i] = lookup.row(key, found[i]);
                match rows[i] {
                    Row::Dense(row) => (0..row.len()).step_by(32).for_each(|at| prefetch(row, at)),
                    Row::Sparse(pairs) => prefetch(pairs, 0),
                }
            }
            let mut dense_rows = 0;
            for row in &rows[..batch.len()] {
                match *row {
                    Row::Sparse(pairs) => {
                        for e in pairs.chunks_exact(2) {
                            sums[e[0] as usize] += values[e[1] as usize];
                        }
                    }
                    Row::Dense(row) => {
                        dense[dense_rows] = row;
                        dense_rows += 1;
                    }
                }
            }
            add_dense(lookup.wide, &dense[..dense_rows], &mut dense_sums);
        }
        for ((score, sum), dense_sum) in scores.iter_mut().zip(sums).zip(dense_sums) {
            *score += sum + (dense_sum << DENSE_SHIFT);
        }
    }
}

/// Whether dense rows can be added with AVX2 here.
fn wide_lanes() -> bool {
    #[cfg(target_arch = "x86_64")]
    return std::arch::is_x86_feature_detected!("avx2");
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// Adds dense rows (each a whole number of [`LANES`]) into `sums`, with AVX2 when `wide`.
#[inline]
fn add_dense(wide: bool, rows: &[&[i16]], sums: &mut [i32; 256]) {
    #[cfg(target_arch = "x86_64")]
    if wide {
        // SAFETY: `wide` is true only when the processor has AVX2 (see `wide_lanes`).
        return unsafe { add_dense_avx2(rows, sums) };
    }
    add_dense_lanes(rows, sums);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn add_dense_avx2(rows: &[&[i16]], sums: &mut [i32; 256]) {
    add_dense_lanes(rows, sums);
}

/// Column by column: [`LANES`] sums stay in registers while every row's lanes are added, so
/// each row costs a load and an add per lane group instead of a load and a store of the sums.
#[inline(always)]
fn add_dense_lanes(rows: &[&[i16]], sums: &mut [i32; 256]) {
    let Some(width) = rows.first().map(|r| r.len().min(sums.len())) else {
        return;
    };
    for (lane, out) in sums[..width].chunks_exact_mut(LANES).enumerate() {
        let mut acc = [0i32; LANES];
        for row in rows {
            let (groups, _) = row.as_chunks::<LANES>();
            if let Some(group) = groups.get(lane) {
                for (a, &v) in acc.iter_mut().zip(group) {
                    *a += v as i32;
                }
            }
        }
        for (o, a) in out.iter_mut().zip(acc) {
            *o += a;
        }
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
