//! The averaged perceptron while it learns: integer weights per (feature, class), with the
//! running totals that averaging needs kept lazily (a weight's total is brought up to date only
//! when it changes), so an update costs the features it touches and nothing more.

use crate::weights::{Scorer, Weights};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Feature keys are already mixed hashes: hashing them again would only cost time.
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// One feature's weights: what scoring reads (class and weight, side by side) apart from the
/// bookkeeping of averaging, so scoring walks the fewest bytes.
#[derive(Default)]
struct Row {
    weights: Vec<(u16, i32)>,
    /// Per weight: its sum over every instance up to its stamp, and the stamp.
    totals: Vec<(i64, u32)>,
}

impl Row {
    /// The weight of `class` and its averaging record, made when missing.
    fn slot(&mut self, class: usize, now: u32) -> (&mut i32, &mut (i64, u32)) {
        let i = match self.weights.iter().position(|&(c, _)| c as usize == class) {
            Some(i) => i,
            None => {
                self.weights.push((class as u16, 0));
                self.totals.push((0, now));
                self.weights.len() - 1
            }
        };
        (&mut self.weights[i].1, &mut self.totals[i])
    }
}

pub(crate) struct Perceptron {
    classes: usize,
    rows: KeyMap<Row>,
    /// Instances seen: the clock of averaging.
    instances: u32,
    /// While counting: how often each feature occurred. Once a cutoff is set, only features
    /// that occurred often enough keep or gain weights (see [`Perceptron::cut_off`]).
    counts: Option<KeyMap<u32>>,
    cutoff: Option<KeyMap<()>>,
}

impl Perceptron {
    pub(crate) fn new(classes: usize) -> Self {
        Perceptron {
            classes,
            rows: KeyMap::default(),
            instances: 0,
            counts: None,
            cutoff: None,
        }
    }

    /// Starts counting how often each feature occurs (in the states training visits).
    pub(crate) fn count_features(&mut self) {
        self.counts = Some(KeyMap::default());
    }

    /// Notes the features of one instance while counting.
    pub(crate) fn observe(&mut self, features: &[u64]) {
        if let Some(counts) = &mut self.counts {
            for &key in features {
                *counts.entry(key).or_default() += 1;
            }
        }
    }

    /// From now on, only features counted at least `min_count` times have weights: rare
    /// features mostly memorise single sentences, and dropping them keeps the model small.
    pub(crate) fn cut_off(&mut self, min_count: u32) {
        let Some(counts) = self.counts.take() else {
            return;
        };
        let kept: KeyMap<()> = counts
            .into_iter()
            .filter(|&(_, n)| n >= min_count)
            .map(|(key, _)| (key, ()))
            .collect();
        self.rows.retain(|key, _| kept.contains_key(key));
        self.rows.shrink_to_fit();
        self.cutoff = Some(kept);
    }

    /// Counts one training instance, whether or not it led to an update.
    pub(crate) fn tick(&mut self) {
        self.instances += 1;
    }

    /// Counts `n` training instances at once.
    pub(crate) fn tick_by(&mut self, n: u32) {
        self.instances += n;
    }

    /// Moves the weights towards `good` and away from `bad` for these features.
    pub(crate) fn update(&mut self, features: &[u64], good: usize, bad: usize) {
        if good != bad {
            self.add(features, good, 1);
            self.add(features, bad, -1);
        }
    }

    /// Adds `delta` to the weight of `class` for each of these features.
    pub(crate) fn add(&mut self, features: &[u64], class: usize, delta: i32) {
        let now = self.instances;
        for &key in features {
            if self
                .cutoff
                .as_ref()
                .is_some_and(|kept| !kept.contains_key(&key))
            {
                continue;
            }
            let (weight, (total, stamp)) = self.rows.entry(key).or_default().slot(class, now);
            *total += *weight as i64 * (now - *stamp) as i64;
            *stamp = now;
            *weight += delta;
        }
    }

    /// The averaged weights as a compact table (what a model file holds).
    pub(crate) fn averaged(&self, min_magnitude: f32) -> Weights {
        Weights::build(self.classes, &self.averaged_rows(), min_magnitude)
    }

    /// The mean of several perceptrons' averaged weights, as one table: their scores summed,
    /// so one pass over the features scores as the whole ensemble would.
    pub(crate) fn mixed(models: &[&Perceptron], min_magnitude: f32) -> Weights {
        let mut sums: std::collections::BTreeMap<u64, Vec<(u16, f32)>> = Default::default();
        let share = 1.0 / models.len().max(1) as f32;
        for model in models {
            for (key, row) in model.averaged_rows() {
                let sum = sums.entry(key).or_default();
                for (class, weight) in row {
                    match sum.iter_mut().find(|(c, _)| *c == class) {
                        Some((_, w)) => *w += weight * share,
                        None => sum.push((class, weight * share)),
                    }
                }
            }
        }
        let rows: Vec<(u64, Vec<(u16, f32)>)> = sums
            .into_iter()
            .map(|(key, mut row)| {
                row.sort_by_key(|(c, _)| *c);
                (key, row)
            })
            .collect();
        let classes = models.first().map_or(1, |m| m.classes);
        Weights::build(classes, &rows, min_magnitude)
    }

    /// Each feature's averaged weights, rows by key and classes in order.
    fn averaged_rows(&self) -> Vec<(u64, Vec<(u16, f32)>)> {
        let now = self.instances.max(1);
        let mut rows: Vec<(u64, Vec<(u16, f32)>)> = self
            .rows
            .iter()
            .map(|(&key, row)| {
                let mut row: Vec<(u16, f32)> = row
                    .weights
                    .iter()
                    .zip(&row.totals)
                    .map(|(&(class, weight), &(total, stamp))| {
                        let total = total + weight as i64 * (now - stamp) as i64;
                        (class, total as f32 / now as f32)
                    })
                    .filter(|(_, w)| *w != 0.0)
                    .collect();
                row.sort_by_key(|(c, _)| *c);
                (key, row)
            })
            .collect();
        rows.sort_by_key(|(key, _)| *key);
        rows
    }
}

impl Scorer for Perceptron {
    fn score(&self, features: &[u64], scores: &mut [i32]) {
        for key in features {
            if let Some(row) = self.rows.get(key) {
                for &(class, weight) in &row.weights {
                    scores[class as usize] += weight;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averaging_weighs_each_weight_by_how_long_it_held() {
        let mut p = Perceptron::new(2);
        p.update(&[5], 0, 1); // at instance 0: class 0 +1, class 1 -1
        p.tick();
        p.tick();
        p.update(&[5], 1, 0); // at instance 2: both back to 0
        p.tick();
        p.tick();
        p.update(&[6], 0, 1); // at instance 4, held for 4 of 8 instances
        for _ in 0..4 {
            p.tick();
        }
        // Feature 5: class 0 held +1 for 2 of 8 instances (0.25), class 1 held -1 (-0.25);
        // feature 6 held its weights for 4 of 8 (±0.5, the largest).
        let w = p.averaged(0.0);
        let mut five = [0; 2];
        w.score(&[5], &mut five);
        let mut six = [0; 2];
        w.score(&[6], &mut six);
        assert_eq!(six, [-six[1], six[1]]);
        let ratio = five[0] as f64 / six[0] as f64;
        assert!((ratio - 0.5).abs() < 0.02, "{five:?} {six:?}");
    }
}
