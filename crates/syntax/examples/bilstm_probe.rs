//! A probe of the model class issue 11 points at: can a small neural tagger-parser, trained
//! here from the treebanks alone, reach the bars the perceptron cannot (EWT test UAS 0.870,
//! LAS 0.840, UPOS 0.950), and how fast does it run? It is a measurement, not part of sitrep's
//! pipeline: nothing else calls it, and its model is not saved in sitrep's model format.
//!
//! The network: each word's input is the concatenation of embeddings of its lowercased form
//! (digits as 0; words seen at least twice in training, the rest one unknown row), four hashed
//! affixes (suffixes of 3, 2 and 4 characters, the 2-character prefix) and its capitalisation
//! class, optionally with the perceptron tagger's UPOS and XPOS; two BiLSTM layers; a softmax
//! over UPOS and one over XPOS on the first layer's states (`--joint`); on the second layer's,
//! a biaffine head scorer (Dozat and Manning 2017: every word scores every candidate head,
//! cross-entropy over the heads) and a label classifier on the (dependent, head) pair. Trained
//! with Adam on minibatches of 32 sentences split over two threads, dropout on the inputs and
//! between layers, rare words dropped to the unknown row. Heads are read by argmax, or as the
//! best tree (Chu-Liu-Edmonds, one root).
//!
//! ```text
//! cargo run --release -p sitrep-syntax --example bilstm_probe -- --layers 2 --joint --du 0 --dx 0 --epochs 16
//! ```
//!
//! Each epoch prints UPOS and XPOS (EWT dev, EWT test, GUM test), then UAS/LAS on EWT dev,
//! EWT test and GUM test, read by argmax and as trees. `--gradcheck` compares the backward
//! pass with finite differences; `--save PREFIX` writes the weights each epoch, `--load FILE`
//! scores saved weights; `--fast` times an allocation-free inference path on EWT dev in
//! batches of `--sentences` (16) and checks it agrees with the training path (random weights
//! unless loaded: the speed does not depend on them), `--precompute` first making the word
//! slot's first-layer products. Options: `--h` (LSTM width per direction, 64), `--layers` (1),
//! `--dw` (word embedding, 64), `--ds` (each affix embedding, 32), `--du`/`--dx` (tag
//! embeddings, 16 each; 0 leaves the tagger out), `--a`/`--b` (arc and label widths, 64),
//! `--epochs`, `--batch`, `--lr` (thousandths), `--limit` (training sentences).
//!
//! What it measured on 2026-12-08 (2 cores; EWT test at the epoch best on EWT dev; a rerun
//! gives the same figures to the last digit; the first four rows were trained with libm's
//! exp and tanh and no AVX2 copy, the last with today's code: 16 epochs in 6 minutes):
//!
//! | model | EWT test UAS / LAS | UPOS | GUM test | s/epoch |
//! |---|---|---|---|---|
//! | 1 layer, width 64, perceptron tags in (argmax) | 86.4 / 83.4 | — | 85.9 / 82.8 | 21 |
//! | 2 layers, width 64, perceptron tags in (argmax) | 87.1 / 84.0 | — | 86.9 / 83.7 | 33 |
//! | 2 layers, width 64, its own tags, none in (trees) | 87.5 / 84.3 | 95.7 | 86.9 / 83.8 | 40 |
//! | the same, trained with the rational tanh and the AVX2 copy, 16 epochs (trees) | 87.5 / 84.5 | 95.6 (XPOS 94.9) | 87.2 / 84.0 | 22 |
//! | the same, widths 48 and affixes 16 | 1.4 UAS behind the row above at every epoch to the 8th | | | 24 |
//!
//! The shipped perceptron: 85.7 / 82.8, UPOS 95.4 (XPOS 94.7), GUM 84.9 / 82.0, about 95,000
//! words/s for tagging, parsing and lemmas together. `--fast` runs the joint model in batches
//! of 16 sentences at 70,000–72,000 words/s (46,000 one sentence at a time and without the
//! AVX2 copy; 59,000–62,000 batched without it), 77,000–86,000 with `--precompute` (the first
//! layer's products of each word row made once: a 23 MB table in 32 bits); about 75% of the
//! AVX2 copy's own time is the recurrence `gates += h · wh`. Stepping all sentences of a batch
//! together, so each row of `wh` serves all of them, and keeping 32 gates in registers across
//! `h` both measured no faster (77,000–80,000). The perceptron tags given to the first two rows
//! come from the shipped tagger, which saw the training sentences: on them its tags are nearly
//! gold, on test they are not, which costs those rows a little.
use matrixmultiply::sgemm;
use sitrep_syntax::{conllu, Syntax};
use std::collections::HashMap;
use std::time::Instant;

// ---------------- linear algebra ----------------
/// C (m×n) = op(A)(m×k) · op(B)(k×n) + beta·C, row-major contiguous storage.
#[allow(clippy::too_many_arguments)]
fn mm(
    m: usize,
    k: usize,
    n: usize,
    a: &[f32],
    ta: bool,
    b: &[f32],
    tb: bool,
    c: &mut [f32],
    beta: f32,
) {
    if m == 0 || n == 0 || k == 0 {
        if beta == 0.0 {
            c[..m * n].iter_mut().for_each(|x| *x = 0.0);
        }
        return;
    }
    let (rsa, csa) = if ta { (1, m as isize) } else { (k as isize, 1) };
    let (rsb, csb) = if tb { (1, k as isize) } else { (n as isize, 1) };
    assert!(a.len() >= m * k && b.len() >= k * n && c.len() >= m * n);
    unsafe {
        sgemm(
            m,
            k,
            n,
            1.0,
            a.as_ptr(),
            rsa,
            csa,
            b.as_ptr(),
            rsb,
            csb,
            beta,
            c.as_mut_ptr(),
            n as isize,
            1,
        )
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

// ---------------- parameters ----------------
#[derive(Clone, Copy)]
struct T {
    off: usize,
    rows: usize,
    cols: usize,
}
impl T {
    fn len(&self) -> usize {
        self.rows * self.cols
    }
    fn of<'a>(&self, v: &'a [f32]) -> &'a [f32] {
        &v[self.off..self.off + self.len()]
    }
    fn of_mut<'a>(&self, v: &'a mut [f32]) -> &'a mut [f32] {
        &mut v[self.off..self.off + self.len()]
    }
}

#[derive(Clone, Copy)]
struct Dims {
    words: usize,
    sufs: usize,
    tags: usize,
    xtags: usize,
    labels: usize,
    dw: usize,
    ds: usize,
    du: usize,
    dx: usize,
    dc: usize,
    h: usize,
    layers: usize,
    joint: bool,
    a: usize,
    b: usize,
}
impl Dims {
    fn e(&self) -> usize {
        self.dw + AFFIXES * self.ds + self.du + self.dx + self.dc
    }
}

struct Lstm {
    wx: T,
    wh: T,
    b: T,
}
struct Net {
    d: Dims,
    ew: T,
    es: T,
    eu: T,
    ex: T,
    ec: T,
    layers: Vec<(Lstm, Lstm)>,
    arc_dw: T,
    arc_db: T,
    arc_hw: T,
    arc_hb: T,
    arc_u: T,
    arc_hu: T,
    lab_dw: T,
    lab_hw: T,
    lab_b: T,
    lab_ow: T,
    lab_ob: T,
    tag_w: T,
    tag_b: T,
    xtag_w: T,
    xtag_b: T,
    size: usize,
}

const AFFIXES: usize = 4;

impl Net {
    /// The embedding rows that make up token `t`'s input, in order.
    fn slots(&self, s: &Sent, t: usize, words: &[usize]) -> [(T, usize, usize); AFFIXES + 4] {
        let d = self.d;
        let a = s.suf[t];
        [
            (self.ew, words[t], d.dw),
            (self.es, a[0], d.ds),
            (self.es, a[1], d.ds),
            (self.es, a[2], d.ds),
            (self.es, a[3], d.ds),
            (self.eu, s.upos[t], d.du),
            (self.ex, s.xpos[t], d.dx),
            (self.ec, s.cap[t], d.dc),
        ]
    }
    fn new(d: Dims) -> (Net, Vec<f32>) {
        let mut size = 0;
        let mut inits: Vec<(T, f32)> = Vec::new();
        let mut t = |rows: usize, cols: usize, scale: f32| {
            let x = T {
                off: size,
                rows,
                cols,
            };
            size += rows * cols;
            inits.push((x, scale));
            x
        };
        let glorot = |i: usize, o: usize| (6.0 / (i + o) as f32).sqrt();
        let e = d.e();
        let h2 = 2 * d.h;
        let ew = t(d.words, d.dw, 0.1);
        let es = t(d.sufs, d.ds, 0.1);
        let eu = t(d.tags, d.du, 0.1);
        let ex = t(d.xtags, d.dx, 0.1);
        let ec = t(8, d.dc, 0.1);
        let lstm = |t: &mut dyn FnMut(usize, usize, f32) -> T, e: usize| Lstm {
            wx: t(e, 4 * d.h, glorot(e, 4 * d.h)),
            wh: t(d.h, 4 * d.h, glorot(d.h, 4 * d.h)),
            b: t(1, 4 * d.h, 0.0),
        };
        let layers: Vec<(Lstm, Lstm)> = (0..d.layers)
            .map(|k| {
                let inp = if k == 0 { e } else { h2 };
                (lstm(&mut t, inp), lstm(&mut t, inp))
            })
            .collect();
        let arc_dw = t(h2, d.a, glorot(h2, d.a));
        let arc_db = t(1, d.a, 0.0);
        let arc_hw = t(h2, d.a, glorot(h2, d.a));
        let arc_hb = t(1, d.a, 0.0);
        let arc_u = t(d.a, d.a, 0.0);
        let arc_hu = t(1, d.a, 0.0);
        let lab_dw = t(h2, d.b, glorot(h2, d.b));
        let lab_hw = t(h2, d.b, glorot(h2, d.b));
        let lab_b = t(1, d.b, 0.0);
        let lab_ow = t(d.b, d.labels, glorot(d.b, d.labels));
        let lab_ob = t(1, d.labels, 0.0);
        let tag_w = t(h2, d.tags, glorot(h2, d.tags));
        let tag_b = t(1, d.tags, 0.0);
        let xtag_w = t(h2, d.xtags, glorot(h2, d.xtags));
        let xtag_b = t(1, d.xtags, 0.0);
        let mut p = vec![0f32; size];
        let mut rng = Rng(7);
        for (x, s) in inits {
            for v in x.of_mut(&mut p) {
                *v = (rng.unit() * 2.0 - 1.0) * s;
            }
        }
        // forget gate bias 1
        for l in layers.iter().flat_map(|(f, r)| [f, r]) {
            let b = l.b.of_mut(&mut p);
            for v in &mut b[d.h..2 * d.h] {
                *v = 1.0;
            }
        }
        let net = Net {
            d,
            ew,
            es,
            eu,
            ex,
            ec,
            layers,
            arc_dw,
            arc_db,
            arc_hw,
            arc_hb,
            arc_u,
            arc_hu,
            lab_dw,
            lab_hw,
            lab_b,
            lab_ow,
            lab_ob,
            tag_w,
            tag_b,
            xtag_w,
            xtag_b,
            size,
        };
        (net, p)
    }
}

// ---------------- data ----------------
#[derive(Clone)]
struct Sent {
    word: Vec<usize>,
    freq: Vec<u32>,
    suf: Vec<[usize; AFFIXES]>,
    upos: Vec<usize>,
    xpos: Vec<usize>,
    cap: Vec<usize>,
    head: Vec<usize>,
    label: Vec<usize>,
    gold_upos: Vec<usize>,
    gold_xpos: Vec<usize>,
}

struct Vocab {
    words: HashMap<String, (usize, u32)>,
    tags: HashMap<String, usize>,
    xtags: HashMap<String, usize>,
    labels: HashMap<String, usize>,
    label_names: Vec<String>,
    sufs: usize,
}

fn cap_class(w: &str) -> usize {
    let first_upper = w.chars().next().is_some_and(|c| c.is_uppercase());
    let all_upper = w.chars().all(|c| !c.is_lowercase()) && w.chars().any(|c| c.is_uppercase());
    let digit = w.chars().any(|c| c.is_ascii_digit());
    let alpha = w.chars().any(|c| c.is_alphabetic());
    (if all_upper {
        2
    } else if first_upper {
        1
    } else {
        0
    }) + if digit {
        4
    } else if !alpha {
        3
    } else {
        0
    }
}

fn hash(s: &str) -> u64 {
    let mut h: u64 = 1469598103934665603;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(1099511628211);
    }
    h
}

fn universal(rel: &str) -> &str {
    rel.split(':').next().unwrap()
}

fn norm(w: &str) -> String {
    let l = w.to_lowercase();
    l.chars()
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect()
}

fn build_vocab(train: &[conllu::Sentence]) -> Vocab {
    let mut counts: HashMap<String, u32> = HashMap::new();
    let mut labels = HashMap::new();
    let mut label_names = Vec::new();
    for s in train {
        for w in &s.words {
            *counts.entry(norm(&w.form)).or_default() += 1;
            let l = universal(&w.deprel).to_string();
            if !labels.contains_key(&l) {
                labels.insert(l.clone(), label_names.len());
                label_names.push(l);
            }
        }
    }
    let mut words = HashMap::new();
    let mut sorted: Vec<_> = counts.into_iter().filter(|(_, c)| *c >= 2).collect();
    sorted.sort();
    for (w, c) in sorted {
        let id = words.len() + 2;
        words.insert(w, (id, c));
    }
    Vocab {
        words,
        tags: HashMap::new(),
        xtags: HashMap::new(),
        labels,
        label_names,
        sufs: 1 << 16,
    }
}

fn encode(v: &mut Vocab, syntax: &Syntax, s: &conllu::Sentence) -> Sent {
    let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
    let parse = syntax.parse_words(&forms);
    let mut out = Sent {
        word: vec![1],
        freq: vec![1000],
        suf: vec![[0; AFFIXES]],
        upos: vec![0],
        xpos: vec![0],
        cap: vec![7],
        head: vec![0],
        label: vec![0],
        gold_upos: vec![0],
        gold_xpos: vec![0],
    };
    for (i, w) in s.words.iter().enumerate() {
        let n = norm(&w.form);
        let (id, f) = v.words.get(&n).copied().unwrap_or((0, 0));
        out.word.push(id);
        out.freq.push(f);
        let chars: Vec<char> = n.chars().collect();
        let affix = |k: usize, from_end: bool| -> usize {
            let a: String = if from_end {
                chars[chars.len().saturating_sub(k)..].iter().collect()
            } else {
                chars[..k.min(chars.len())].iter().collect()
            };
            1 + (hash(&format!("{k}{from_end}{a}")) as usize) % (v.sufs - 1)
        };
        out.suf.push([
            affix(3, true),
            affix(2, true),
            affix(4, true),
            affix(2, false),
        ]);
        let t = parse.tok(i);
        let nt = v.tags.len() + 1;
        out.upos
            .push(*v.tags.entry(t.upos().as_str().to_string()).or_insert(nt));
        let nx = v.xtags.len() + 1;
        out.xpos
            .push(*v.xtags.entry(t.xpos().to_string()).or_insert(nx));
        out.cap.push(cap_class(&w.form));
        out.head.push(w.head);
        let nt = v.tags.len() + 1;
        out.gold_upos
            .push(*v.tags.entry(w.upos.clone()).or_insert(nt));
        let nx = v.xtags.len() + 1;
        out.gold_xpos
            .push(*v.xtags.entry(w.xpos.clone()).or_insert(nx));
        out.label
            .push(v.labels.get(universal(&w.deprel)).copied().unwrap_or(0));
    }
    out
}

// ---------------- forward / backward ----------------
struct LstmCache {
    xg: Vec<f32>, // T×4H pre-activation then activated gates
    c: Vec<f32>,  // T×H
    h: Vec<f32>,  // T×H
}

#[inline(always)]
fn lstm_forward(
    n: usize,
    hd: usize,
    x: &[f32],
    e: usize,
    l: &Lstm,
    p: &[f32],
    order: &[usize],
) -> LstmCache {
    let g4 = 4 * hd;
    let mut xg = vec![0f32; n * g4];
    mm(n, e, g4, x, false, l.wx.of(p), false, &mut xg, 0.0);
    let b = l.b.of(p);
    let wh = l.wh.of(p);
    let mut c = vec![0f32; n * hd];
    let mut h = vec![0f32; n * hd];
    for s in 0..n {
        let t = order[s];
        let (gate_rows, _) = xg.split_at_mut((t + 1) * g4);
        let g = &mut gate_rows[t * g4..];
        for j in 0..g4 {
            g[j] += b[j];
        }
        if s > 0 {
            let hp = &h[order[s - 1] * hd..order[s - 1] * hd + hd];
            for i in 0..hd {
                let x = hp[i];
                let row = &wh[i * g4..i * g4 + g4];
                for j in 0..g4 {
                    g[j] += x * row[j];
                }
            }
        }
        for j in 0..hd {
            g[j] = fast_sigmoid(g[j]);
            g[hd + j] = fast_sigmoid(g[hd + j]);
            g[2 * hd + j] = fast_tanh(g[2 * hd + j]);
            g[3 * hd + j] = fast_sigmoid(g[3 * hd + j]);
        }
        for j in 0..hd {
            let cp = if s > 0 { c[order[s - 1] * hd + j] } else { 0.0 };
            let cv = g[hd + j] * cp + g[j] * g[2 * hd + j];
            c[t * hd + j] = cv;
            h[t * hd + j] = g[3 * hd + j] * fast_tanh(cv);
        }
    }
    LstmCache { xg, c, h }
}

/// Returns dX contributions added into dx; grads into g.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn lstm_backward(
    n: usize,
    hd: usize,
    x: &[f32],
    e: usize,
    l: &Lstm,
    p: &[f32],
    order: &[usize],
    cache: &LstmCache,
    dh_out: &[f32],
    dx: &mut [f32],
    g: &mut [f32],
) {
    let g4 = 4 * hd;
    let wh = l.wh.of(p);
    let mut dpre = vec![0f32; n * g4];
    let mut dh_next = vec![0f32; hd];
    let mut dc_next = vec![0f32; hd];
    let mut hprev = vec![0f32; n * hd];
    for s in (0..n).rev() {
        let t = order[s];
        let gt = &cache.xg[t * g4..t * g4 + g4];
        let dp = &mut dpre[t * g4..t * g4 + g4];
        for j in 0..hd {
            let dh = dh_out[t * hd + j] + dh_next[j];
            let cv = cache.c[t * hd + j];
            let tc = fast_tanh(cv);
            let (i, f, gg, o) = (gt[j], gt[hd + j], gt[2 * hd + j], gt[3 * hd + j]);
            let dout = dh * tc;
            let dc = dh * o * (1.0 - tc * tc) + dc_next[j];
            let cp = if s > 0 {
                cache.c[order[s - 1] * hd + j]
            } else {
                0.0
            };
            dp[j] = dc * gg * i * (1.0 - i);
            dp[hd + j] = dc * cp * f * (1.0 - f);
            dp[2 * hd + j] = dc * i * (1.0 - gg * gg);
            dp[3 * hd + j] = dout * o * (1.0 - o);
            dc_next[j] = dc * f;
        }
        if s > 0 {
            let tp = order[s - 1];
            hprev[t * hd..t * hd + hd].copy_from_slice(&cache.h[tp * hd..tp * hd + hd]);
            for i in 0..hd {
                let row = &wh[i * g4..i * g4 + g4];
                // eight running sums, so the products vectorise
                let mut lanes = [0f32; 8];
                for (d8, w8) in dp.chunks_exact(8).zip(row.chunks_exact(8)) {
                    for k in 0..8 {
                        lanes[k] += d8[k] * w8[k];
                    }
                }
                dh_next[i] = lanes.iter().sum();
            }
        }
    }
    mm(hd, n, g4, &hprev, true, &dpre, false, l.wh.of_mut(g), 1.0);
    mm(e, n, g4, x, true, &dpre, false, l.wx.of_mut(g), 1.0);
    let gb = l.b.of_mut(g);
    for t in 0..n {
        for j in 0..g4 {
            gb[j] += dpre[t * g4 + j];
        }
    }
    mm(n, g4, e, &dpre, false, l.wx.of(p), true, dx, 1.0);
}

#[inline(always)]
fn relu_inplace(v: &mut [f32]) {
    for x in v {
        if *x < 0.0 {
            *x = 0.0;
        }
    }
}

#[inline(always)]
fn add_bias(v: &mut [f32], b: &[f32]) {
    for row in v.chunks_mut(b.len()) {
        for (x, y) in row.iter_mut().zip(b) {
            *x += y;
        }
    }
}

struct Output {
    upos: Vec<usize>,
    xpos: Vec<usize>,
    heads: Vec<usize>,
    labels: Vec<usize>,
    loss: f64,
}

struct Ctx<'a> {
    net: &'a Net,
    p: &'a [f32],
    tree: bool,
}

impl Ctx<'_> {
    /// Forward (and backward when `grad` is given, with gold heads/labels and dropout).
    fn run(&self, s: &Sent, grad: Option<&mut [f32]>, rng: Option<&mut Rng>) -> Output {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            return unsafe { self.run_avx2(s, grad, rng) };
        }
        self.run_body(s, grad, rng)
    }

    /// `run` compiled for AVX2 (the same arithmetic in the same order, eight lanes wide).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn run_avx2(&self, s: &Sent, grad: Option<&mut [f32]>, rng: Option<&mut Rng>) -> Output {
        self.run_body(s, grad, rng)
    }

    #[inline(always)]
    fn run_body(
        &self,
        s: &Sent,
        mut grad: Option<&mut [f32]>,
        mut rng: Option<&mut Rng>,
    ) -> Output {
        let d = self.net.d;
        let net = self.net;
        let p = self.p;
        let n = s.word.len();
        let e = d.e();
        let training = grad.is_some();
        let tree = self.tree;
        // embeddings
        let mut words = s.word.clone();
        if let Some(r) = rng.as_deref_mut() {
            for (word, &freq) in words.iter_mut().zip(&s.freq).skip(1) {
                if *word >= 2 && r.unit() < 0.25 / (0.25 + freq as f32) {
                    *word = 0;
                }
            }
        }
        let mut x = vec![0f32; n * e];
        let mut xmask = vec![1f32; n * e];
        for t in 0..n {
            let row = &mut x[t * e..t * e + e];
            let mut o = 0;
            for (tab, id, dim) in net.slots(s, t, &words) {
                let id = id.min(tab.rows - 1);
                row[o..o + dim].copy_from_slice(&tab.of(p)[id * dim..id * dim + dim]);
                o += dim;
            }
        }
        if let Some(r) = rng.as_deref_mut() {
            for (v, m) in x.iter_mut().zip(xmask.iter_mut()) {
                if r.unit() < 0.2 {
                    *m = 0.0;
                    *v = 0.0;
                } else {
                    *m = 1.25;
                    *v *= 1.25;
                }
            }
        }
        let fwd: Vec<usize> = (0..n).collect();
        let bwd: Vec<usize> = (0..n).rev().collect();
        let hd = d.h;
        let h2 = 2 * hd;
        let mut loss = 0.0f64;
        let mut caches = Vec::new();
        let mut inp = x.clone();
        let mut inp_dim = e;
        for (lf, lr) in &net.layers {
            let cf = lstm_forward(n, hd, &inp, inp_dim, lf, p, &fwd);
            let cr = lstm_forward(n, hd, &inp, inp_dim, lr, p, &bwd);
            let mut hc = vec![0f32; n * h2];
            for t in 0..n {
                hc[t * h2..t * h2 + hd].copy_from_slice(&cf.h[t * hd..t * hd + hd]);
                hc[t * h2 + hd..t * h2 + h2].copy_from_slice(&cr.h[t * hd..t * hd + hd]);
            }
            let mut hmask = vec![1f32; n * h2];
            if let Some(r) = rng.as_deref_mut() {
                for (v, m) in hc.iter_mut().zip(hmask.iter_mut()) {
                    if r.unit() < 0.33 {
                        *m = 0.0;
                        *v = 0.0;
                    } else {
                        *m = 1.0 / 0.67;
                        *v *= 1.0 / 0.67;
                    }
                }
            }
            caches.push((inp, inp_dim, cf, cr, hmask));
            inp = hc;
            inp_dim = h2;
        }
        let hc = inp;
        let tag_in: &[f32] = if net.layers.len() > 1 {
            &caches[1].0
        } else {
            &hc
        };
        let mut upos = vec![0usize; n];
        let mut xpos = vec![0usize; n];
        let mut dtag_in = vec![0f32; n * h2];
        for (w, bt, gold, nl, pred) in [
            (net.tag_w, net.tag_b, &s.gold_upos, d.tags, true),
            (net.xtag_w, net.xtag_b, &s.gold_xpos, d.xtags, false),
        ] {
            if !d.joint {
                break;
            }
            let mut out = vec![0f32; n * nl];
            mm(n, h2, nl, tag_in, false, w.of(p), false, &mut out, 0.0);
            add_bias(&mut out, bt.of(p));
            let mut dout = vec![0f32; n * nl];
            for i in 1..n {
                let row = &out[i * nl..i * nl + nl];
                let (mut bi, mut bv) = (0, f32::NEG_INFINITY);
                for (k, &v) in row.iter().enumerate() {
                    if v > bv {
                        bv = v;
                        bi = k;
                    }
                }
                if pred {
                    upos[i] = bi;
                } else {
                    xpos[i] = bi;
                }
                if let Some(g) = grad.as_deref_mut() {
                    let z: f32 = row.iter().map(|v| (v - bv).exp()).sum();
                    let gl = gold[i].min(nl - 1);
                    loss += -(row[gl] - bv - z.ln()) as f64;
                    for k in 0..nl {
                        dout[i * nl + k] =
                            (row[k] - bv).exp() / z - if k == gl { 1.0 } else { 0.0 };
                    }
                    let gb = bt.of_mut(g);
                    for k in 0..nl {
                        gb[k] += dout[i * nl + k];
                    }
                }
            }
            if let Some(g) = grad.as_deref_mut() {
                mm(h2, n, nl, tag_in, true, &dout, false, w.of_mut(g), 1.0);
                mm(n, nl, h2, &dout, false, w.of(p), true, &mut dtag_in, 1.0);
            }
        }
        // arcs
        let a = d.a;
        let mut dep = vec![0f32; n * a];
        mm(n, h2, a, &hc, false, net.arc_dw.of(p), false, &mut dep, 0.0);
        add_bias(&mut dep, net.arc_db.of(p));
        relu_inplace(&mut dep);
        let mut hed = vec![0f32; n * a];
        mm(n, h2, a, &hc, false, net.arc_hw.of(p), false, &mut hed, 0.0);
        add_bias(&mut hed, net.arc_hb.of(p));
        relu_inplace(&mut hed);
        let mut tu = vec![0f32; n * a];
        mm(n, a, a, &dep, false, net.arc_u.of(p), false, &mut tu, 0.0);
        let mut sc = vec![0f32; n * n];
        mm(n, a, n, &tu, false, &hed, true, &mut sc, 0.0);
        let hu = net.arc_hu.of(p);
        let hbias: Vec<f32> = (0..n)
            .map(|j| {
                hed[j * a..j * a + a]
                    .iter()
                    .zip(hu)
                    .map(|(x, y)| x * y)
                    .sum()
            })
            .collect();
        let mut heads = vec![0usize; n];
        let mut dsc = vec![0f32; n * n];
        for i in 1..n {
            let row = &mut sc[i * n..i * n + n];
            let mut best = (f32::NEG_INFINITY, 0);
            for j in 0..n {
                row[j] += hbias[j];
                if j == i {
                    row[j] = f32::NEG_INFINITY;
                }
                if row[j] > best.0 {
                    best = (row[j], j);
                }
            }
            heads[i] = best.1;
            if !training && tree {
                for v in row.iter_mut() {
                    if v.is_finite() {
                        *v -= best.0;
                    }
                }
            }
            if training {
                let mx = best.0;
                let z: f32 = row.iter().map(|v| (v - mx).exp()).sum();
                let g = s.head[i];
                loss += -(row[g] - mx - z.ln()) as f64;
                let dr = &mut dsc[i * n..i * n + n];
                for j in 0..n {
                    dr[j] = (row[j] - mx).exp() / z - if j == g { 1.0 } else { 0.0 };
                }
            }
        }
        if !training && tree {
            let rows: Vec<Vec<f32>> = (0..n).map(|i| sc[i * n..i * n + n].to_vec()).collect();
            heads = best_tree(&rows);
        }
        // labels
        let b = d.b;
        let l = d.labels;
        let mut lp = vec![0f32; n * b];
        mm(n, h2, b, &hc, false, net.lab_dw.of(p), false, &mut lp, 0.0);
        let mut lq = vec![0f32; n * b];
        mm(n, h2, b, &hc, false, net.lab_hw.of(p), false, &mut lq, 0.0);
        let lb = net.lab_b.of(p);
        let ow = net.lab_ow.of(p);
        let ob = net.lab_ob.of(p);
        let mut labels = vec![0usize; n];
        let mut hid = vec![0f32; n * b];
        let mut dout = vec![0f32; n * l];
        for i in 1..n {
            let hh = if training { s.head[i] } else { heads[i] };
            let hr = &mut hid[i * b..i * b + b];
            for k in 0..b {
                hr[k] = (lp[i * b + k] + lq[hh * b + k] + lb[k]).max(0.0);
            }
            let mut out = ob.to_vec();
            for k in 0..b {
                let v = hr[k];
                if v != 0.0 {
                    for (o, w) in out.iter_mut().zip(&ow[k * l..k * l + l]) {
                        *o += v * w;
                    }
                }
            }
            let (mut bi, mut bv) = (0, f32::NEG_INFINITY);
            for (k, &v) in out.iter().enumerate() {
                if v > bv {
                    bv = v;
                    bi = k;
                }
            }
            labels[i] = bi;
            if training {
                let z: f32 = out.iter().map(|v| (v - bv).exp()).sum();
                let gl = s.label[i];
                loss += -(out[gl] - bv - z.ln()) as f64;
                for k in 0..l {
                    dout[i * l + k] = (out[k] - bv).exp() / z - if k == gl { 1.0 } else { 0.0 };
                }
            }
        }
        let Some(g) = grad else {
            return Output {
                upos,
                xpos,
                heads,
                labels,
                loss,
            };
        };
        // ---- backward: labels
        mm(b, n, l, &hid, true, &dout, false, net.lab_ow.of_mut(g), 1.0);
        {
            let gob = net.lab_ob.of_mut(g);
            for i in 1..n {
                for k in 0..l {
                    gob[k] += dout[i * l + k];
                }
            }
        }
        let mut dhid = vec![0f32; n * b];
        mm(n, l, b, &dout, false, ow, true, &mut dhid, 0.0);
        let mut dlp = vec![0f32; n * b];
        let mut dlq = vec![0f32; n * b];
        {
            let glb = net.lab_b.of_mut(g);
            for i in 1..n {
                let hh = s.head[i];
                for k in 0..b {
                    if hid[i * b + k] > 0.0 {
                        let v = dhid[i * b + k];
                        dlp[i * b + k] += v;
                        dlq[hh * b + k] += v;
                        glb[k] += v;
                    }
                }
            }
        }
        let mut dhc = vec![0f32; n * h2];
        mm(h2, n, b, &hc, true, &dlp, false, net.lab_dw.of_mut(g), 1.0);
        mm(h2, n, b, &hc, true, &dlq, false, net.lab_hw.of_mut(g), 1.0);
        mm(n, b, h2, &dlp, false, net.lab_dw.of(p), true, &mut dhc, 1.0);
        mm(n, b, h2, &dlq, false, net.lab_hw.of(p), true, &mut dhc, 1.0);
        // ---- backward: arcs. sc = tu·hed^T + 1·hbias^T
        let mut dtu = vec![0f32; n * a];
        mm(n, n, a, &dsc, false, &hed, false, &mut dtu, 0.0);
        let mut dhed = vec![0f32; n * a];
        mm(n, n, a, &dsc, true, &tu, false, &mut dhed, 0.0);
        {
            let ghu = net.arc_hu.of_mut(g);
            for j in 0..n {
                let col: f32 = (0..n).map(|i| dsc[i * n + j]).sum();
                if col != 0.0 {
                    for k in 0..a {
                        dhed[j * a + k] += col * hu[k];
                        ghu[k] += col * hed[j * a + k];
                    }
                }
            }
        }
        mm(a, n, a, &dep, true, &dtu, false, net.arc_u.of_mut(g), 1.0);
        let mut ddep = vec![0f32; n * a];
        mm(n, a, a, &dtu, false, net.arc_u.of(p), true, &mut ddep, 0.0);
        for (dv, v) in ddep.iter_mut().zip(&dep) {
            if *v <= 0.0 {
                *dv = 0.0;
            }
        }
        for (dv, v) in dhed.iter_mut().zip(&hed) {
            if *v <= 0.0 {
                *dv = 0.0;
            }
        }
        for (bt, dm) in [(net.arc_db, &ddep), (net.arc_hb, &dhed)] {
            let gb = bt.of_mut(g);
            for row in dm.chunks(a) {
                for k in 0..a {
                    gb[k] += row[k];
                }
            }
        }
        mm(h2, n, a, &hc, true, &ddep, false, net.arc_dw.of_mut(g), 1.0);
        mm(h2, n, a, &hc, true, &dhed, false, net.arc_hw.of_mut(g), 1.0);
        mm(
            n,
            a,
            h2,
            &ddep,
            false,
            net.arc_dw.of(p),
            true,
            &mut dhc,
            1.0,
        );
        mm(
            n,
            a,
            h2,
            &dhed,
            false,
            net.arc_hw.of(p),
            true,
            &mut dhc,
            1.0,
        );
        // ---- backward: dropout, lstm
        for (k, (lf, lr)) in net.layers.iter().enumerate().rev() {
            let (inp, inp_dim, cf, cr, hmask) = &caches[k];
            if k == 0 {
                for (dv, t) in dhc.iter_mut().zip(&dtag_in) {
                    *dv += t;
                }
            }
            for (dv, m) in dhc.iter_mut().zip(hmask) {
                *dv *= m;
            }
            let mut dhf = vec![0f32; n * hd];
            let mut dhr = vec![0f32; n * hd];
            for t in 0..n {
                dhf[t * hd..t * hd + hd].copy_from_slice(&dhc[t * h2..t * h2 + hd]);
                dhr[t * hd..t * hd + hd].copy_from_slice(&dhc[t * h2 + hd..t * h2 + h2]);
            }
            let mut dinp = vec![0f32; n * inp_dim];
            lstm_backward(n, hd, inp, *inp_dim, lf, p, &fwd, cf, &dhf, &mut dinp, g);
            lstm_backward(n, hd, inp, *inp_dim, lr, p, &bwd, cr, &dhr, &mut dinp, g);
            dhc = dinp;
        }
        let mut dx = dhc;
        for (dv, m) in dx.iter_mut().zip(&xmask) {
            *dv *= m;
        }
        for t in 0..n {
            let row = &dx[t * e..t * e + e];
            let mut o = 0;
            for (tab, id, dim) in net.slots(s, t, &words) {
                let id = id.min(tab.rows - 1);
                let gt = &mut tab.of_mut(g)[id * dim..id * dim + dim];
                for k in 0..dim {
                    gt[k] += row[o + k];
                }
                o += dim;
            }
        }
        Output {
            upos,
            xpos,
            heads,
            labels,
            loss,
        }
    }
}

/// UPOS, XPOS, UAS and LAS (percent, universal relations) over every word of `data`.
fn evaluate(ctx: &Ctx, data: &[Sent]) -> [f64; 4] {
    let (mut words, mut upos, mut xpos, mut uas, mut las) = (0, 0, 0, 0, 0);
    for s in data {
        let o = ctx.run(s, None, None);
        for i in 1..s.word.len() {
            words += 1;
            upos += usize::from(o.upos[i] == s.gold_upos[i]);
            xpos += usize::from(o.xpos[i] == s.gold_xpos[i]);
            uas += usize::from(o.heads[i] == s.head[i]);
            las += usize::from(o.heads[i] == s.head[i] && o.labels[i] == s.label[i]);
        }
    }
    [upos, xpos, uas, las].map(|c: usize| c as f64 / words as f64 * 100.0)
}

/// One line of figures: UPOS and XPOS on each set, then UAS/LAS by argmax and as trees.
fn report(net: &Net, p: &[f32], sets: &[(&str, &[Sent])]) -> String {
    let mut line = String::from("UPOS/XPOS");
    for (name, data) in sets {
        let [upos, xpos, ..] = evaluate(
            &Ctx {
                net,
                p,
                tree: false,
            },
            data,
        );
        line += &format!(" {name} {upos:.2}/{xpos:.2}");
    }
    for tree in [false, true] {
        line += if tree { " | trees" } else { " | argmax" };
        for (name, data) in sets {
            let [_, _, uas, las] = evaluate(&Ctx { net, p, tree }, data);
            line += &format!(" {name} {uas:.2}/{las:.2}");
        }
    }
    line
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let get = |k: &str, dflt: usize| -> usize {
        args.iter()
            .position(|a| a == k)
            .map(|i| args[i + 1].parse().unwrap())
            .unwrap_or(dflt)
    };
    let epochs = get("--epochs", 10);
    let shared = std::env::var_os("SITREP_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
        });
    let tb = shared.join("treebanks");
    let read = |p: &str| conllu::read_path(&tb.join(p)).unwrap();
    let mut train_raw = read("ud-english-ewt/en_ewt-ud-train.conllu");
    train_raw.extend(read("ud-english-gum-ccby/en_gum-ccby-ud-train.conllu"));
    let limit = get("--limit", usize::MAX);
    train_raw.truncate(limit);
    let dev_raw = read("ud-english-ewt/en_ewt-ud-dev.conllu");
    let test_raw = read("ud-english-ewt/en_ewt-ud-test.conllu");
    let gum_raw = read("ud-english-gum-ccby/en_gum-ccby-ud-test.conllu");
    let syntax = Syntax::builtin().unwrap();
    let mut vocab = build_vocab(&train_raw);
    let enc = |v: &mut Vocab, r: &[conllu::Sentence]| {
        r.iter().map(|s| encode(v, syntax, s)).collect::<Vec<_>>()
    };
    let train = enc(&mut vocab, &train_raw);
    let dev = enc(&mut vocab, &dev_raw);
    let test = enc(&mut vocab, &test_raw);
    let gum = enc(&mut vocab, &gum_raw);
    let d = Dims {
        words: vocab.words.len() + 2,
        sufs: vocab.sufs,
        tags: 40,
        xtags: 80,
        labels: vocab.label_names.len(),
        dw: get("--dw", 64),
        ds: get("--ds", 32),
        du: get("--du", 16),
        dx: get("--dx", 16),
        dc: 8,
        h: get("--h", 64),
        layers: get("--layers", 1),
        joint: args.iter().any(|a| a == "--joint"),
        a: get("--a", 64),
        b: get("--b", 64),
    };
    let (net, mut p) = Net::new(d);
    let sets = [("dev", &dev[..]), ("test", &test[..]), ("gum", &gum[..])];
    eprintln!(
        "train {} sents, vocab {}, labels {}, params {}",
        train.len(),
        d.words,
        d.labels,
        net.size
    );
    if args.iter().any(|a| a == "--gradcheck") {
        let mut p = p.clone();
        let mut r = Rng(3);
        for v in p.iter_mut() {
            *v += (r.unit() - 0.5) * 0.2;
        }
        let s = &train[3];
        let mut g = vec![0f32; net.size];
        // the analytic gradient, into g
        Ctx {
            net: &net,
            p: &p,
            tree: false,
        }
        .run(s, Some(&mut g), None);
        let mut probes: Vec<(&str, T)> = vec![
            ("ew", net.ew),
            ("es", net.es),
            ("fwx", net.layers[0].0.wx),
            ("fwh", net.layers[0].0.wh),
            ("fb", net.layers[0].0.b),
            ("rwh", net.layers[0].1.wh),
            ("l2", net.layers[net.layers.len() - 1].1.wx),
            ("adw", net.arc_dw),
            ("ahw", net.arc_hw),
            ("au", net.arc_u),
            ("ahu", net.arc_hu),
            ("adb", net.arc_db),
            ("ldw", net.lab_dw),
            ("lhw", net.lab_hw),
            ("lb", net.lab_b),
            ("low", net.lab_ow),
            ("lob", net.lab_ob),
            ("tagw", net.tag_w),
            ("xtagb", net.xtag_b),
        ];
        for (name, t) in probes.drain(..) {
            for _ in 0..3 {
                let mut k = t.off + (r.next() as usize) % t.len();
                if name == "ew" {
                    k = t.off + s.word[2] * d.dw + 1;
                }
                if name == "es" {
                    k = t.off + s.suf[2][0] * d.ds + 1;
                }
                let h = 3e-3f32;
                let mut pp = p.clone();
                pp[k] += h;
                let lp = Ctx {
                    net: &net,
                    p: &pp,
                    tree: false,
                }
                .run(s, Some(&mut vec![0f32; net.size]), None)
                .loss;
                pp[k] -= 2.0 * h;
                let lm = Ctx {
                    net: &net,
                    p: &pp,
                    tree: false,
                }
                .run(s, Some(&mut vec![0f32; net.size]), None)
                .loss;
                eprintln!(
                    "{name} numeric {:.5} analytic {:.5}",
                    (lp - lm) / (2.0 * h as f64),
                    g[k]
                );
            }
        }
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--load") {
        let bytes = std::fs::read(&args[i + 1]).unwrap();
        p = bytes
            .chunks(4)
            .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
            .collect();
        eprintln!("{}", report(&net, &p, &sets));
        if !args.iter().any(|a| a == "--fast") {
            return;
        }
    }
    if args.iter().any(|a| a == "--fast") {
        let mut scratch = Scratch::default();
        if args.iter().any(|a| a == "--precompute") {
            scratch.word_proj = Some(word_products(&net, &p));
        }
        let mut out = Vec::new();
        let words: usize = dev.iter().map(|s| s.word.len() - 1).sum();
        for _ in 0..5 {
            let t0 = Instant::now();
            for batch in dev.chunks(get("--sentences", 16)) {
                infer(&net, &p, batch, &mut scratch, &mut out);
            }
            eprintln!(
                "fast path: {:.0} w/s",
                words as f64 / t0.elapsed().as_secs_f64()
            );
        }
        // The fast path must say what the training path says (its activations are approximate).
        let (mut same, mut words) = (0, 0);
        let ctx = Ctx {
            net: &net,
            p: &p,
            tree: false,
        };
        for batch in dev.chunks(16) {
            infer(&net, &p, batch, &mut scratch, &mut out);
            let mut fast = out.iter();
            for s in batch {
                let slow = ctx.run(s, None, None);
                for i in 1..s.word.len() {
                    let &(tag, head, label) = fast.next().unwrap();
                    words += 1;
                    same += usize::from(
                        (tag, head, label) == (slow.upos[i], slow.heads[i], slow.labels[i]),
                    );
                }
            }
        }
        eprintln!("fast path agrees with the training path on {same} of {words} words");
        return;
    }
    let mut m = vec![0f32; net.size];
    let mut v = vec![0f32; net.size];
    let (b1, b2, lr0, eps) = (0.9f32, 0.9f32, get("--lr", 2) as f32 * 1e-3, 1e-8f32);
    let batch = get("--batch", 32);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = Rng(42);
    let mut step = 0i32;
    let mut g0 = vec![0f32; net.size];
    let mut g1 = vec![0f32; net.size];
    for epoch in 0..epochs {
        let t0 = Instant::now();
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut total_loss = 0.0;
        for chunk in order.chunks(batch) {
            g0.iter_mut().for_each(|x| *x = 0.0);
            g1.iter_mut().for_each(|x| *x = 0.0);
            let (h0, h1) = chunk.split_at(chunk.len() / 2);
            let ctx = Ctx {
                net: &net,
                p: &p,
                tree: false,
            };
            let seed = rng.next();
            let (l0, l1) = std::thread::scope(|sc| {
                let a = sc.spawn(|| {
                    let mut r = Rng(seed);
                    h0.iter()
                        .map(|&i| ctx.run(&train[i], Some(&mut g0), Some(&mut r)).loss)
                        .sum::<f64>()
                });
                let mut r = Rng(seed ^ 0xABCDEF);
                let l1: f64 = h1
                    .iter()
                    .map(|&i| ctx.run(&train[i], Some(&mut g1), Some(&mut r)).loss)
                    .sum();
                (a.join().unwrap(), l1)
            });
            total_loss += l0 + l1;
            step += 1;
            let bc1 = 1.0 - b1.powi(step);
            let bc2 = 1.0 - b2.powi(step);
            let scale = 1.0 / chunk.len() as f32;
            let norm: f32 = g0
                .iter()
                .zip(&g1)
                .map(|(a, b)| (a + b) * (a + b))
                .sum::<f32>()
                .sqrt()
                * scale;
            let clip = if norm > 5.0 { 5.0 / norm } else { 1.0 };
            let lr = lr0 * 0.75f32.powf(step as f32 / 5000.0);
            for k in 0..net.size {
                let gk = (g0[k] + g1[k]) * scale * clip;
                if gk == 0.0 && m[k] == 0.0 {
                    continue;
                }
                m[k] = b1 * m[k] + (1.0 - b1) * gk;
                v[k] = b2 * v[k] + (1.0 - b2) * gk * gk;
                p[k] -= lr * (m[k] / bc1) / ((v[k] / bc2).sqrt() + eps);
            }
        }
        if let Some(i) = args.iter().position(|a| a == "--save") {
            let bytes: Vec<u8> = p.iter().flat_map(|v| v.to_le_bytes()).collect();
            std::fs::write(format!("{}-{epoch}.bin", args[i + 1]), bytes).unwrap();
        }
        eprintln!(
            "epoch {epoch} loss {:.3} {:.0}s | {}",
            total_loss / train.iter().map(|s| s.word.len() - 1).sum::<usize>() as f64,
            t0.elapsed().as_secs_f64(),
            report(&net, &p, &sets)
        );
    }
}

/// The best tree over `scores[dep][head]` (node 0 the root, which heads exactly one word):
/// Chu-Liu-Edmonds by recursive contraction; root arcs are lowered by a constant larger than any
/// score difference, so the best tree has the fewest root arcs (one).
fn best_tree(scores: &[Vec<f32>]) -> Vec<usize> {
    let n = scores.len();
    let spread = scores
        .iter()
        .flatten()
        .filter(|v| v.is_finite())
        .fold(0f32, |m, v| m.max(v.abs()));
    let big = 4.0 * spread * n as f32 + 1.0;
    let s: Vec<Vec<f32>> = scores
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(h, &v)| if h == 0 { v - big } else { v })
                .collect()
        })
        .collect();
    chu_liu_edmonds(&s)
}

fn chu_liu_edmonds(s: &[Vec<f32>]) -> Vec<usize> {
    let n = s.len();
    let mut heads = vec![0usize; n];
    for (d, row) in s.iter().enumerate().skip(1) {
        let mut best = (f32::NEG_INFINITY, 0);
        for (h, &score) in row.iter().enumerate() {
            if h != d && score > best.0 {
                best = (score, h);
            }
        }
        heads[d] = best.1;
    }
    let Some(cycle) = find_cycle(&heads) else {
        return heads;
    };
    let in_cycle: Vec<bool> = (0..n).map(|v| cycle.contains(&v)).collect();
    // contracted graph: outside nodes keep their order, the cycle becomes the last node
    let outside: Vec<usize> = (0..n).filter(|&v| !in_cycle[v]).collect();
    let m = outside.len() + 1;
    let c = m - 1;
    let mut t = vec![vec![f32::NEG_INFINITY; m]; m];
    let mut enter = vec![0usize; m]; // for head u (contracted id): which cycle node it enters
    let mut leave = vec![0usize; m]; // for dep v (contracted id): which cycle node heads it
    for (i, &v) in outside.iter().enumerate() {
        for (j, &u) in outside.iter().enumerate() {
            if i != j {
                t[i][j] = s[v][u];
            }
        }
        let (best, from) = cycle
            .iter()
            .map(|&u| (s[v][u], u))
            .fold((f32::NEG_INFINITY, 0), |a, b| if b.0 > a.0 { b } else { a });
        t[i][c] = best;
        leave[i] = from;
        let (gain, into) = cycle
            .iter()
            .map(|&w| (s[w][v] - s[w][heads[w]], w))
            .fold((f32::NEG_INFINITY, 0), |a, b| if b.0 > a.0 { b } else { a });
        t[c][i] = gain;
        enter[i] = into;
    }
    let sub = chu_liu_edmonds(&t);
    let mut out = heads.clone();
    for (i, &v) in outside.iter().enumerate() {
        if v == 0 {
            continue;
        }
        out[v] = if sub[i] == c {
            leave[i]
        } else {
            outside[sub[i]]
        };
    }
    let u = sub[c];
    out[enter[u]] = outside[u];
    out
}

fn find_cycle(heads: &[usize]) -> Option<Vec<usize>> {
    let n = heads.len();
    let mut state = vec![0u8; n]; // 0 unseen, 1 on path, 2 done
    state[0] = 2;
    for start in 1..n {
        let mut path = Vec::new();
        let mut v = start;
        while state[v] == 0 {
            state[v] = 1;
            path.push(v);
            v = heads[v];
        }
        if state[v] == 1 {
            let at = path.iter().position(|&x| x == v).unwrap();
            return Some(path[at..].to_vec());
        }
        for x in path {
            state[x] = 2;
        }
    }
    None
}

/// Fast activations (the speed probe's): a rational tanh, and sigmoid through it.
#[inline(always)]
fn fast_tanh(x: f32) -> f32 {
    let x = x.clamp(-9.0, 9.0);
    let x2 = x * x;
    let p = x * (135135.0 + x2 * (17325.0 + x2 * (378.0 + x2)));
    let q = 135135.0 + x2 * (62370.0 + x2 * (3150.0 + x2 * 28.0));
    (p / q).clamp(-1.0, 1.0)
}
#[inline(always)]
fn fast_sigmoid(x: f32) -> f32 {
    0.5 + 0.5 * fast_tanh(0.5 * x)
}

/// Buffers reused across sentences by the speed path.
#[derive(Default)]
struct Scratch {
    x: Vec<f32>,
    g: Vec<f32>,
    c: Vec<f32>,
    hc: Vec<f32>,
    /// The first layer's input products of every word row, both directions (`--precompute`).
    word_proj: Option<Vec<f32>>,
    first: Vec<f32>,
    next: Vec<f32>,
    dep: Vec<f32>,
    hed: Vec<f32>,
    tu: Vec<f32>,
    sc: Vec<f32>,
    lp: Vec<f32>,
    lq: Vec<f32>,
    tags: Vec<f32>,
}

fn sized(v: &mut Vec<f32>, n: usize) -> &mut [f32] {
    if v.len() < n {
        v.resize(n, 0.0);
    }
    &mut v[..n]
}

/// The first BiLSTM layer's input products of the word slot, for every row of the word table
/// (both directions, one after the other): at run time a word's are then added, not multiplied.
fn word_products(net: &Net, p: &[f32]) -> Vec<f32> {
    let d = net.d;
    let g4 = 4 * d.h;
    let (forward, backward) = &net.layers[0];
    let mut products = vec![0f32; 2 * d.words * g4];
    for (l, out) in [forward, backward]
        .into_iter()
        .zip(products.chunks_mut(d.words * g4))
    {
        let block = &l.wx.of(p)[..d.dw * g4];
        mm(
            d.words,
            d.dw,
            g4,
            net.ew.of(p),
            false,
            block,
            false,
            out,
            0.0,
        );
    }
    products
}

/// Inference only, allocation-free after warm-up, over a batch of sentences at once (so the
/// matrix products that do not run along the sentence see many rows): tags, heads (argmax)
/// and labels of every word, sentence after sentence, into `out`.
fn infer(
    net: &Net,
    p: &[f32],
    batch: &[Sent],
    b: &mut Scratch,
    out: &mut Vec<(usize, usize, usize)>,
) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { infer_avx2(net, p, batch, b, out) };
    }
    infer_body(net, p, batch, b, out)
}

/// The same code compiled for AVX2, whose loops the compiler then widens to eight lanes (FMA
/// as well measured slower here).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn infer_avx2(
    net: &Net,
    p: &[f32],
    batch: &[Sent],
    b: &mut Scratch,
    out: &mut Vec<(usize, usize, usize)>,
) {
    infer_body(net, p, batch, b, out)
}

#[inline(always)]
fn infer_body(
    net: &Net,
    p: &[f32],
    batch: &[Sent],
    b: &mut Scratch,
    out: &mut Vec<(usize, usize, usize)>,
) {
    let d = net.d;
    let e = d.e();
    let hd = d.h;
    let h2 = 2 * hd;
    let g4 = 4 * hd;
    let total: usize = batch.iter().map(|s| s.word.len()).sum();
    let starts: Vec<usize> = batch
        .iter()
        .scan(0, |at, s| {
            let start = *at;
            *at += s.word.len();
            Some(start)
        })
        .collect();
    // With the word slot's products precomputed, X leaves that slot out.
    let skip = if b.word_proj.is_some() { d.dw } else { 0 };
    let e = e - skip;
    {
        let x = sized(&mut b.x, total * e);
        for (s, &start) in batch.iter().zip(&starts) {
            for t in 0..s.word.len() {
                let row = &mut x[(start + t) * e..(start + t + 1) * e];
                let mut o = 0;
                let slots = net.slots(s, t, &s.word);
                for (tab, id, dim) in slots.into_iter().skip(usize::from(skip > 0)) {
                    let id = id.min(tab.rows - 1);
                    row[o..o + dim].copy_from_slice(&tab.of(p)[id * dim..id * dim + dim]);
                    o += dim;
                }
            }
        }
    }
    let mut inp_dim = e;
    for (k, (lf, lr)) in net.layers.iter().enumerate() {
        let hc = sized(&mut b.next, total * h2);
        let inp: &[f32] = if k == 0 {
            &b.x[..total * e]
        } else {
            &b.hc[..total * h2]
        };
        for (dir, l) in [(0, lf), (1, lr)] {
            let g = sized(&mut b.g, total * g4);
            let wx = if k == 0 {
                &l.wx.of(p)[skip * g4..]
            } else {
                l.wx.of(p)
            };
            mm(total, inp_dim, g4, inp, false, wx, false, g, 0.0);
            if let (0, Some(proj)) = (k, &b.word_proj) {
                let table = &proj[dir * d.words * g4..(dir + 1) * d.words * g4];
                for (s, &start) in batch.iter().zip(&starts) {
                    for (t, &w) in s.word.iter().enumerate() {
                        let rows = &mut g[(start + t) * g4..(start + t + 1) * g4];
                        for (gv, pv) in rows.iter_mut().zip(&table[w * g4..w * g4 + g4]) {
                            *gv += pv;
                        }
                    }
                }
            }
            let bias = l.b.of(p);
            let wh = l.wh.of(p);
            let c = sized(&mut b.c, hd);
            for (s, &start) in batch.iter().zip(&starts) {
                let n = s.word.len();
                c.iter_mut().for_each(|v| *v = 0.0);
                for step in 0..n {
                    let t = start + if dir == 0 { step } else { n - 1 - step };
                    let prev = if dir == 0 { t.wrapping_sub(1) } else { t + 1 };
                    let gt = &mut g[t * g4..t * g4 + g4];
                    for (gv, bv) in gt.iter_mut().zip(bias) {
                        *gv += bv;
                    }
                    if step > 0 {
                        let hp = &hc[prev * h2 + dir * hd..prev * h2 + dir * hd + hd];
                        for (i, &xv) in hp.iter().enumerate() {
                            for (gv, w) in gt.iter_mut().zip(&wh[i * g4..i * g4 + g4]) {
                                *gv += xv * w;
                            }
                        }
                    }
                    let (gi, rest) = gt.split_at(hd);
                    let (gf, rest) = rest.split_at(hd);
                    let (gg, go) = rest.split_at(hd);
                    let hrow = &mut hc[t * h2 + dir * hd..t * h2 + dir * hd + hd];
                    for j in 0..hd {
                        let cv =
                            fast_sigmoid(gf[j]) * c[j] + fast_sigmoid(gi[j]) * fast_tanh(gg[j]);
                        c[j] = cv;
                        hrow[j] = fast_sigmoid(go[j]) * fast_tanh(cv);
                    }
                }
            }
        }
        std::mem::swap(&mut b.hc, &mut b.next);
        if k == 0 {
            // the tag softmaxes read the first layer's states
            sized(&mut b.first, total * h2).copy_from_slice(&b.hc[..total * h2]);
        }
        inp_dim = h2;
    }
    let hc = &b.hc[..total * h2];
    let first = &b.first[..total * h2];
    let a = d.a;
    let dep = sized(&mut b.dep, total * a);
    mm(total, h2, a, hc, false, net.arc_dw.of(p), false, dep, 0.0);
    add_bias(dep, net.arc_db.of(p));
    relu_inplace(dep);
    let hed = sized(&mut b.hed, total * a);
    mm(total, h2, a, hc, false, net.arc_hw.of(p), false, hed, 0.0);
    add_bias(hed, net.arc_hb.of(p));
    relu_inplace(hed);
    let tu = sized(&mut b.tu, total * a);
    mm(total, a, a, dep, false, net.arc_u.of(p), false, tu, 0.0);
    let lbd = d.b;
    let l = d.labels;
    let lp = sized(&mut b.lp, total * lbd);
    mm(total, h2, lbd, hc, false, net.lab_dw.of(p), false, lp, 0.0);
    let lq = sized(&mut b.lq, total * lbd);
    mm(total, h2, lbd, hc, false, net.lab_hw.of(p), false, lq, 0.0);
    let nt = d.tags + d.xtags;
    let tags = sized(&mut b.tags, total * nt);
    let (upos_scores, xpos_scores) = tags.split_at_mut(total * d.tags);
    for (w, bias, scores, width) in [
        (net.tag_w, net.tag_b, upos_scores, d.tags),
        (net.xtag_w, net.xtag_b, xpos_scores, d.xtags),
    ] {
        mm(total, h2, width, first, false, w.of(p), false, scores, 0.0);
        add_bias(scores, bias.of(p));
    }
    let hu = net.arc_hu.of(p);
    let lb = net.lab_b.of(p);
    let ow = net.lab_ow.of(p);
    let ob = net.lab_ob.of(p);
    out.clear();
    for (s, &start) in batch.iter().zip(&starts) {
        let n = s.word.len();
        let sc = sized(&mut b.sc, n * n);
        let hed_s = &hed[start * a..(start + n) * a];
        mm(
            n,
            a,
            n,
            &tu[start * a..(start + n) * a],
            false,
            hed_s,
            true,
            sc,
            0.0,
        );
        let hbias = sized(&mut b.c, n);
        for (j, hb) in hbias.iter_mut().enumerate() {
            *hb = hed_s[j * a..j * a + a]
                .iter()
                .zip(hu)
                .map(|(x, y)| x * y)
                .sum();
        }
        for i in 1..n {
            let row = &sc[i * n..i * n + n];
            let mut best = (f32::NEG_INFINITY, 0);
            for (j, (&v, &hb)) in row.iter().zip(hbias.iter()).enumerate() {
                if j != i && v + hb > best.0 {
                    best = (v + hb, j);
                }
            }
            let (w, h) = (start + i, start + best.1);
            let mut scores = [0f32; 64];
            let scores = &mut scores[..l];
            scores.copy_from_slice(ob);
            for k in 0..lbd {
                let v = (lp[w * lbd + k] + lq[h * lbd + k] + lb[k]).max(0.0);
                if v != 0.0 {
                    for (o, wt) in scores.iter_mut().zip(&ow[k * l..k * l + l]) {
                        *o += v * wt;
                    }
                }
            }
            let label = (0..l)
                .max_by(|&x, &y| scores[x].total_cmp(&scores[y]))
                .unwrap();
            let upos = &tags[w * d.tags..(w + 1) * d.tags];
            let tag = (0..d.tags)
                .max_by(|&x, &y| upos[x].total_cmp(&upos[y]))
                .unwrap();
            out.push((tag, best.1, label));
        }
    }
}
