//! HTML main-text extraction, scored as the article-extraction benchmark scores it
//! (`../shared/extraction/SOURCES.md`): `\w+` tokens, 4-gram shingle multisets, per-page
//! true/false positives and negatives normalised to sum to one, precision and recall averaged
//! over pages, F1 their harmonic mean, and ± from 1000 bootstrap resamples of pages.

use crate::EvalError;
use regex::Regex;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

const SHINGLE_TOKENS: usize = 4;
const BOOTSTRAP_SAMPLES: usize = 1000;

/// One page's share of true positives, false positives and false negatives (summing to 1, or
/// all zero when both texts are empty).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageScore {
    pub tp: f64,
    pub fp: f64,
    pub fn_: f64,
}

impl PageScore {
    fn precision(&self) -> Option<f64> {
        (self.tp + self.fp > 0.0).then(|| ratio(self.tp, self.fp, self.fn_))
    }
    fn recall(&self) -> Option<f64> {
        (self.tp + self.fn_ > 0.0).then(|| ratio(self.tp, self.fn_, self.fp))
    }
    /// F1 of this page alone, to rank the pages a system loses most on.
    pub fn f1(&self) -> f64 {
        let (p, r) = (
            self.precision().unwrap_or(0.0),
            self.recall().unwrap_or(0.0),
        );
        crate::f1(p, r)
    }
}

/// tp / (tp + miss), with the benchmark's conventions for perfect and empty pages.
fn ratio(tp: f64, miss: f64, other_miss: f64) -> f64 {
    if miss == 0.0 && other_miss == 0.0 {
        1.0
    } else if tp == 0.0 && miss == 0.0 {
        0.0
    } else {
        tp / (tp + miss)
    }
}

static TOKEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\w+").expect("valid regex"));

fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let tokens: Vec<&str> = TOKEN.find_iter(text).map(|m| m.as_str()).collect();
    let mut counts = HashMap::new();
    if tokens.is_empty() {
        return counts;
    }
    let windows = tokens.len().saturating_sub(SHINGLE_TOKENS) + 1;
    for i in 0..windows {
        let shingle = tokens[i..(i + SHINGLE_TOKENS).min(tokens.len())].to_vec();
        *counts.entry(shingle).or_insert(0) += 1;
    }
    counts
}

/// Scores one predicted text against the true one.
pub fn score_page(truth: &str, prediction: &str) -> PageScore {
    let (t, p) = (shingles(truth), shingles(prediction));
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    for (shingle, &tc) in &t {
        let pc = p.get(shingle).copied().unwrap_or(0);
        tp += tc.min(pc) as f64;
        fn_ += tc.saturating_sub(pc) as f64;
    }
    for (shingle, &pc) in &p {
        fp += pc.saturating_sub(t.get(shingle).copied().unwrap_or(0)) as f64;
    }
    let sum = tp + fp + fn_;
    if sum > 0.0 {
        PageScore {
            tp: tp / sum,
            fp: fp / sum,
            fn_: fn_ / sum,
        }
    } else {
        PageScore { tp, fp, fn_ }
    }
}

/// Precision, recall and F1 over a set of pages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

pub fn metrics(pages: &[PageScore]) -> Metrics {
    let mean = |xs: Vec<f64>| {
        if xs.is_empty() {
            0.0
        } else {
            xs.iter().sum::<f64>() / xs.len() as f64
        }
    };
    let precision = mean(pages.iter().filter_map(PageScore::precision).collect());
    let recall = mean(pages.iter().filter_map(PageScore::recall).collect());
    let f1 = crate::f1(precision, recall);
    Metrics {
        precision,
        recall,
        f1,
    }
}

/// 1.96 standard deviations of F1 over bootstrap resamples of the pages (deterministic seed).
pub fn f1_interval(pages: &[PageScore]) -> f64 {
    if pages.len() < 2 {
        return 0.0;
    }
    let mut state: u64 = 0x0123_4567_89AB_CDEF;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let samples: Vec<f64> = (0..BOOTSTRAP_SAMPLES)
        .map(|_| {
            let resample: Vec<PageScore> = (0..pages.len())
                .map(|_| pages[(next() % pages.len() as u64) as usize])
                .collect();
            metrics(&resample).f1
        })
        .collect();
    let mean = samples.iter().sum::<f64>() / samples.len() as f64;
    let var = samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (samples.len() - 1) as f64;
    1.96 * var.sqrt()
}

/// The benchmark: gold article bodies and the HTML pages they come from.
pub struct Benchmark {
    dir: PathBuf,
    /// Page id → (gold body, URL), in id order.
    pub gold: BTreeMap<String, (String, String)>,
}

impl Benchmark {
    /// Loads `ground-truth.json` and checks every page's HTML is present.
    pub fn load(dir: &Path) -> Result<Self, EvalError> {
        let path = dir.join("ground-truth.json");
        let json: Value = read_json(&path)?;
        let Value::Object(entries) = json else {
            return Err(EvalError::data(&path, "expected an object of pages"));
        };
        let gold: BTreeMap<String, (String, String)> = entries
            .into_iter()
            .map(|(id, v)| {
                let body = v["articleBody"].as_str().unwrap_or_default().to_string();
                let url = v["url"].as_str().unwrap_or_default().to_string();
                (id, (body, url))
            })
            .collect();
        let bench = Benchmark {
            dir: dir.to_path_buf(),
            gold,
        };
        if let Some(missing) = bench.gold.keys().find(|id| !bench.page_path(id).is_file()) {
            return Err(EvalError::data(
                &bench.page_path(missing),
                "page listed in ground-truth.json is missing",
            ));
        }
        Ok(bench)
    }

    fn page_path(&self, id: &str) -> PathBuf {
        self.dir.join("html").join(format!("{id}.html.gz"))
    }

    /// The raw HTML of every page, decompressed, in id order.
    pub fn pages(&self) -> Result<Vec<(String, Vec<u8>)>, EvalError> {
        self.gold
            .keys()
            .map(|id| {
                let path = self.page_path(id);
                let gz = std::fs::read(&path).map_err(|e| EvalError::data(&path, e))?;
                let mut html = Vec::new();
                flate2::read::GzDecoder::new(&gz[..])
                    .read_to_end(&mut html)
                    .map_err(|e| EvalError::data(&path, e))?;
                Ok((id.clone(), html))
            })
            .collect()
    }

    /// Scores a map of page id → predicted body; a missing page counts as an empty prediction.
    pub fn score(&self, predictions: &HashMap<String, String>) -> Vec<PageScore> {
        self.gold
            .iter()
            .map(|(id, (truth, _))| {
                score_page(truth, predictions.get(id).map(String::as_str).unwrap_or(""))
            })
            .collect()
    }

    /// The peers' outputs shipped with the benchmark, by system name.
    pub fn peer_outputs(&self) -> Result<BTreeMap<String, HashMap<String, String>>, EvalError> {
        let dir = self.dir.join("baseline-output");
        let mut peers = BTreeMap::new();
        let entries = std::fs::read_dir(&dir).map_err(|e| EvalError::data(&dir, e))?;
        for entry in entries {
            let path = entry.map_err(|e| EvalError::data(&dir, e))?.path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let json = read_json(&path)?;
            let output = json.get("output").cloned().unwrap_or(json);
            let Value::Object(pages) = output else {
                return Err(EvalError::data(&path, "expected an object of pages"));
            };
            let bodies = pages
                .into_iter()
                .map(|(id, v)| {
                    (
                        id,
                        v["articleBody"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect();
            let name = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            peers.insert(name, bodies);
        }
        Ok(peers)
    }
}

impl Benchmark {
    /// Each peer's shipped output, scored on these pages.
    pub fn peer_results(&self) -> Result<Vec<SystemResult>, EvalError> {
        Ok(self
            .peer_outputs()?
            .into_iter()
            .map(|(name, out)| SystemResult {
                pages: self.score(&out),
                name,
                elapsed: None,
                failures: 0,
            })
            .collect())
    }
}

fn read_json(path: &Path) -> Result<Value, EvalError> {
    let bytes = std::fs::read(path).map_err(|e| EvalError::data(path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| EvalError::data(path, e))
}

/// One system's result on the benchmark.
pub struct SystemResult {
    pub name: String,
    pub pages: Vec<PageScore>,
    /// Time spent extracting, for systems run here.
    pub elapsed: Option<Duration>,
    pub failures: usize,
}

/// Runs an extractor over every page, timing the extraction alone.
pub fn run_system(
    bench: &Benchmark,
    name: &str,
    extract: impl Fn(&[u8]) -> Result<String, String>,
) -> Result<SystemResult, EvalError> {
    let pages = bench.pages()?;
    let started = Instant::now();
    let mut failures = 0;
    let predictions: HashMap<String, String> = pages
        .iter()
        .map(|(id, html)| {
            let text = extract(html).unwrap_or_else(|_| {
                failures += 1;
                String::new()
            });
            (id.clone(), text)
        })
        .collect();
    let elapsed = started.elapsed();
    Ok(SystemResult {
        name: name.into(),
        pages: bench.score(&predictions),
        elapsed: Some(elapsed),
        failures,
    })
}

/// The comparison table, best F1 first, then the pages `ours` loses most on.
pub fn render(
    bench: &Benchmark,
    ours: &SystemResult,
    peers: &[SystemResult],
    worst: usize,
) -> String {
    let mut rows: Vec<&SystemResult> = std::iter::once(ours).chain(peers).collect();
    rows.sort_by(|a, b| metrics(&b.pages).f1.total_cmp(&metrics(&a.pages).f1));
    let mut out = format!(
        "HTML main-text extraction, {} pages (4-gram shingles; ± is 1.96 σ over 1000 bootstrap resamples)\n\n",
        bench.gold.len()
    );
    out += "| system | precision | recall | F1 | pages/s |\n|---|---|---|---|---|\n";
    for r in rows {
        let m = metrics(&r.pages);
        let speed = r
            .elapsed
            .map(|t| format!("{:.0}", r.pages.len() as f64 / t.as_secs_f64().max(1e-9)))
            .unwrap_or_else(|| "—".into());
        let mark = if std::ptr::eq(r, ours) {
            " **(sitrep)**"
        } else {
            ""
        };
        out += &format!(
            "| {}{mark} | {:.3} | {:.3} | {:.3} ± {:.3} | {speed} |\n",
            r.name,
            m.precision,
            m.recall,
            m.f1,
            f1_interval(&r.pages)
        );
    }
    if ours.failures > 0 {
        out += &format!(
            "\nsitrep failed on {} pages (scored as empty).\n",
            ours.failures
        );
    }
    let mut by_f1: Vec<(f64, &String)> = ours
        .pages
        .iter()
        .zip(bench.gold.iter())
        .map(|(s, (_, (_, url)))| (s.f1(), url))
        .collect();
    by_f1.sort_by(|a, b| a.0.total_cmp(&b.0));
    out += &format!("\nPages where {} loses most (page F1):\n", ours.name);
    for (f1, url) in by_f1.iter().take(worst) {
        out += &format!("  {f1:.3}  {url}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_partial_and_empty_predictions() {
        let truth = "one two three four five six";
        assert_eq!(
            score_page(truth, truth),
            PageScore {
                tp: 1.0,
                fp: 0.0,
                fn_: 0.0
            }
        );
        // 3 true shingles; prediction has the first 2 plus 1 foreign one.
        let s = score_page(truth, "one two three four five xx");
        assert!(
            (s.tp - 0.5).abs() < 1e-9 && (s.fp - 0.25).abs() < 1e-9 && (s.fn_ - 0.25).abs() < 1e-9
        );
        let empty = score_page(truth, "");
        assert_eq!((empty.precision(), empty.recall()), (None, Some(0.0)));
    }

    #[test]
    fn short_texts_form_one_shingle() {
        assert_eq!(score_page("a b", "a b").tp, 1.0);
        assert_eq!(score_page("a b", "a c").tp, 0.0);
    }

    #[test]
    fn metrics_average_over_pages_that_have_a_prediction() {
        let pages = [score_page("a b c d", "a b c d"), score_page("a b c d", "")];
        let m = metrics(&pages);
        assert_eq!((m.precision, m.recall), (1.0, 0.5));
        assert!((m.f1 - 2.0 / 3.0).abs() < 1e-9);
    }
}
