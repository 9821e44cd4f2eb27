//! Time expressions, put on the calendar against the article's publication date.
//!
//! "on 24 January", "last Tuesday", "earlier this month", "over the past year", "in 2019".
//! A relative expression with no publication date to anchor it keeps its span and no value:
//! sitrep never takes the year from today's clock.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex::Regex;
use sitrep_core::{DatePrecision, PartialDate, Span};
use std::sync::LazyLock;

/// What a publication date fixes for relative expressions: "on 24 January" needs only its
/// year, "last Tuesday" its day. A date in a URL path (`/2023/01/`) anchors the former.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    first_day: NaiveDate,
    precision: DatePrecision,
}

impl Anchor {
    pub fn of(date: &PartialDate) -> Option<Self> {
        Some(Anchor {
            first_day: date.first_day()?,
            precision: date.precision(),
        })
    }

    /// The publication day, when known to the day.
    fn day(self) -> Option<NaiveDate> {
        (self.precision == DatePrecision::Day).then_some(self.first_day)
    }

    /// The latest day publication can have been: the date itself, or the end of its month or year.
    fn latest(self) -> NaiveDate {
        match self.precision {
            DatePrecision::Day => self.first_day,
            DatePrecision::Month => {
                let next = self
                    .first_day
                    .checked_add_months(chrono::Months::new(1))
                    .unwrap_or(self.first_day);
                next.pred_opt().unwrap_or(next)
            }
            DatePrecision::Year => {
                NaiveDate::from_ymd_opt(self.first_day.year(), 12, 31).unwrap_or(self.first_day)
            }
        }
    }
}

/// A time expression and the dates it names.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeExpr {
    pub span: Span,
    pub value: Option<PartialDate>,
    /// The end of a period ("over the past year" ends at publication).
    pub until: Option<PartialDate>,
    pub rule: &'static str,
}

const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec";
const WEEKDAYS: &str = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";

/// Whether a word names a day or a month ("Tuesday", "March", "yesterday"): a time, never
/// someone who speaks or acts, though a parser may make it a subject ("the U.S. on Tuesday
/// said").
pub(crate) fn is_time_word(word: &str) -> bool {
    let relative = ["today", "yesterday", "tomorrow", "tonight"];
    MONTHS
        .split('|')
        .chain(WEEKDAYS.split('|'))
        .any(|w| w == word)
        || relative.iter().any(|w| w.eq_ignore_ascii_case(word))
}

struct Rule {
    name: &'static str,
    regex: Regex,
    resolve: fn(&regex::Captures<'_>, Option<Anchor>) -> Resolved,
}

type Resolved = (Option<PartialDate>, Option<PartialDate>);

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let rule = |name, pattern: &str, resolve| Rule {
        name,
        regex: Regex::new(
            &pattern
                .replace("MONTHS", MONTHS)
                .replace("WEEKDAYS", WEEKDAYS),
        )
        .expect("valid time regex"),
        resolve,
    };
    vec![
        rule(
            "time:day-month-year",
            r"\b(\d{1,2}) (MONTHS)\.?,? (\d{4})\b",
            |c, _| (day(c[3].parse().ok(), &c[2], &c[1]), None),
        ),
        rule(
            "time:month-day-year",
            r"\b(MONTHS)\.? (\d{1,2})(?:st|nd|rd|th)?, (\d{4})\b",
            |c, _| (day(c[3].parse().ok(), &c[1], &c[2]), None),
        ),
        rule("time:day-month", r"\b(\d{1,2}) (MONTHS)\b", |c, p| {
            (day_near(p, &c[2], &c[1]), None)
        }),
        rule(
            "time:month-day",
            r"\b(MONTHS)\.? (\d{1,2})(?:st|nd|rd|th)?\b",
            |c, p| (day_near(p, &c[1], &c[2]), None),
        ),
        rule("time:month-year", r"\b(MONTHS) (\d{4})\b", |c, _| {
            (c[2].parse().ok().and_then(|y| month(y, &c[1])), None)
        }),
        rule(
            "time:in-month",
            r"\b(?i:in|since|during|by) (MONTHS)\b",
            |c, p| (p.and_then(|p| month_near(p.latest(), &c[1])), None),
        ),
        rule(
            "time:weekday",
            r"\b(?i:(last|this|on|early on|late on|on the night of)) (WEEKDAYS)\b",
            |c, p| {
                (
                    p.and_then(Anchor::day)
                        .and_then(|p| weekday_before(p, &c[2], c[1].eq_ignore_ascii_case("last"))),
                    None,
                )
            },
        ),
        rule("time:weekday's", r"\b(WEEKDAYS)['’]s\b", |c, p| {
            // "Friday's strikes": the latest such day, as "on Friday".
            (
                p.and_then(Anchor::day)
                    .and_then(|p| weekday_before(p, &c[1], false)),
                None,
            )
        }),
        rule("time:yesterday", r"\b(?i:yesterday)\b", |_, p| {
            (
                p.and_then(Anchor::day)
                    .map(|p| PartialDate::day(p - Duration::days(1))),
                None,
            )
        }),
        rule("time:today", r"\b(?i:today)\b", |_, p| {
            (p.and_then(Anchor::day).map(PartialDate::day), None)
        }),
        rule(
            "time:this-period",
            r"\b(?i:(earlier|later) this|this) (?i:(month|year))\b",
            |c, p| {
                let unit = c.get(2).map_or("", |m| m.as_str()).to_ascii_lowercase();
                (p.and_then(|p| period_of(p, &unit, 0)), None)
            },
        ),
        rule(
            "time:last-period",
            r"\b(?i:last) (?i:(month|year))\b",
            |c, p| {
                (
                    p.and_then(|p| period_of(p, &c[1].to_ascii_lowercase(), 1)),
                    None,
                )
            },
        ),
        rule(
            "time:past-period",
            r"\b(?i:(?:over|in|during) the (?:past|last)) (?i:(year|month|week|(\d+) (days|weeks|months|years)))\b",
            |c, p| {
                let Some(p) = p.and_then(Anchor::day) else {
                    return (None, None);
                };
                let n: i64 = c.get(2).and_then(|n| n.as_str().parse().ok()).unwrap_or(1);
                let unit = c
                    .get(3)
                    .or(c.get(1))
                    .map_or("", |m| m.as_str())
                    .trim_end_matches('s')
                    .to_ascii_lowercase();
                let start = back(p, n, &unit);
                (start.map(PartialDate::day), Some(PartialDate::day(p)))
            },
        ),
        rule(
            "time:ago",
            r"\b(\d+|a|one|two|three|four|five|six) (?i:(day|week|month|year))s? ago\b",
            |c, p| {
                let n = match &c[1] {
                    "a" | "one" => 1,
                    "two" => 2,
                    "three" => 3,
                    "four" => 4,
                    "five" => 5,
                    "six" => 6,
                    d => d.parse().unwrap_or(1),
                };
                let unit = c[2].to_ascii_lowercase();
                let precision = if unit == "year" {
                    DatePrecision::Year
                } else if unit == "month" {
                    DatePrecision::Month
                } else {
                    DatePrecision::Day
                };
                (
                    p.and_then(Anchor::day)
                        .and_then(|p| back(p, n, &unit))
                        .map(|d| truncate(d, precision)),
                    None,
                )
            },
        ),
        rule(
            "time:year",
            r"\b(?i:in|since|during|by|until|before|after) ((?:19|20)\d{2})\b",
            |c, _| (c[1].parse().ok().map(PartialDate::year), None),
        ),
    ]
});

/// Every time expression in a text, leftmost first, longer rules winning overlaps.
pub fn find(text: &str, published: Option<Anchor>) -> Vec<TimeExpr> {
    let mut found: Vec<TimeExpr> = Vec::new();
    for rule in RULES.iter() {
        for caps in rule.regex.captures_iter(text) {
            let whole = caps.get(0).expect("group 0");
            let span = Span {
                start: whole.start(),
                end: whole.end(),
            };
            if found
                .iter()
                .any(|f| f.span.start < span.end && span.start < f.span.end)
            {
                continue; // an earlier, more specific rule already covers it
            }
            let (value, until) = (rule.resolve)(&caps, published);
            found.push(TimeExpr {
                span,
                value,
                until,
                rule: rule.name,
            });
        }
    }
    found.sort_by_key(|t| t.span.start);
    found
}

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|m| lower.starts_with(m))
    .map(|i| i as u32 + 1)
}

fn day(year: Option<i32>, month_name: &str, day: &str) -> Option<PartialDate> {
    NaiveDate::from_ymd_opt(year?, month_number(month_name)?, day.parse().ok()?)
        .map(PartialDate::day)
}

fn month(year: i32, month_name: &str) -> Option<PartialDate> {
    PartialDate::month(year, month_number(month_name)?).ok()
}

/// A day and month with no year: the publication year, or the year before when that would
/// put the date more than a month after publication (news reports the past).
fn day_near(published: Option<Anchor>, month_name: &str, day_text: &str) -> Option<PartialDate> {
    let latest = published?.latest();
    let same_year = NaiveDate::from_ymd_opt(
        latest.year(),
        month_number(month_name)?,
        day_text.parse().ok()?,
    )?;
    let date = if same_year > latest + Duration::days(31) {
        NaiveDate::from_ymd_opt(latest.year() - 1, same_year.month(), same_year.day())?
    } else {
        same_year
    };
    Some(PartialDate::day(date))
}

fn month_near(published: NaiveDate, month_name: &str) -> Option<PartialDate> {
    let m = month_number(month_name)?;
    let year = if m > published.month() + 1 {
        published.year() - 1
    } else {
        published.year()
    };
    PartialDate::month(year, m).ok()
}

/// The most recent given weekday on or before publication ("on Tuesday"), or strictly before
/// it for "last Tuesday".
fn weekday_before(published: NaiveDate, name: &str, strictly: bool) -> Option<PartialDate> {
    let target: Weekday = name.parse().ok()?;
    let mut back_days = (7 + published.weekday().num_days_from_monday() as i64
        - target.num_days_from_monday() as i64)
        % 7;
    if strictly && back_days == 0 {
        back_days = 7;
    }
    Some(PartialDate::day(published - Duration::days(back_days)))
}

/// "this month" needs the publication month; "this year" only its year.
fn period_of(published: Anchor, unit: &str, back_by: i32) -> Option<PartialDate> {
    let d = published.first_day;
    match unit {
        "year" => Some(PartialDate::year(d.year() - back_by)),
        "month" if published.precision != DatePrecision::Year => {
            let total = d.year() * 12 + d.month0() as i32 - back_by;
            PartialDate::month(total.div_euclid(12), total.rem_euclid(12) as u32 + 1).ok()
        }
        _ => None,
    }
}

fn back(from: NaiveDate, n: i64, unit: &str) -> Option<NaiveDate> {
    match unit {
        "day" => Some(from - Duration::days(n)),
        "week" => Some(from - Duration::weeks(n)),
        "month" => from.checked_sub_months(chrono::Months::new(n as u32)),
        "year" => from.checked_sub_months(chrono::Months::new(12 * n as u32)),
        _ => None,
    }
}

fn truncate(d: NaiveDate, precision: DatePrecision) -> PartialDate {
    match precision {
        DatePrecision::Day => PartialDate::day(d),
        DatePrecision::Month => PartialDate::month(d.year(), d.month()).expect("a real month"),
        DatePrecision::Year => PartialDate::year(d.year()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(text: &str, published: &str) -> Vec<(String, String, String)> {
        let p = PartialDate::parse(published)
            .ok()
            .and_then(|d| Anchor::of(&d));
        find(text, p)
            .into_iter()
            .map(|t| {
                let show =
                    |d: Option<PartialDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
                (
                    text[t.span.start..t.span.end].to_string(),
                    show(t.value),
                    show(t.until),
                )
            })
            .collect()
    }

    fn one(text: &str, published: &str) -> String {
        resolve(text, published)
            .into_iter()
            .next()
            .map(|(_, v, _)| v)
            .unwrap_or_default()
    }

    #[test]
    fn the_idlib_report_times() {
        let p = "2023-01-26";
        assert_eq!(one("said on 24 January that", p), "2023-01-24");
        assert_eq!(one("On 25 January, The Cradle", p), "2023-01-25");
        assert_eq!(one("Earlier this month, Omer Celik", p), "2023-01");
        let past = resolve("Over the past year, the center", p);
        assert_eq!(
            past[0],
            (
                "Over the past year".to_string(),
                "2022-01-26".to_string(),
                "2023-01-26".to_string()
            )
        );
    }

    #[test]
    fn weekdays_are_the_most_recent_past_one() {
        // 2023-01-26 was a Thursday.
        assert_eq!(one("last Tuesday", "2023-01-26"), "2023-01-24");
        assert_eq!(one("on Thursday", "2023-01-26"), "2023-01-26");
        assert_eq!(one("last Thursday", "2023-01-26"), "2023-01-19");
        assert_eq!(one("yesterday", "2023-01-01"), "2022-12-31");
        assert_eq!(one("Tuesday's shelling", "2023-01-26"), "2023-01-24");
        assert_eq!(one("after Thursday’s talks", "2023-01-26"), "2023-01-26");
    }

    #[test]
    fn explicit_years_need_no_anchor() {
        assert_eq!(one("in 2019", "2023-01-26"), "2019");
        assert_eq!(one("in 2019", ""), "2019");
        assert_eq!(one("on 3 March 2021", ""), "2021-03-03");
        assert_eq!(one("March 3, 2021", ""), "2021-03-03");
        assert_eq!(one("in January 2020", ""), "2020-01");
    }

    #[test]
    fn without_a_publication_date_relative_times_stay_unresolved() {
        assert_eq!(
            resolve("on 24 January and last Tuesday", ""),
            [
                ("24 January".to_string(), "-".to_string(), "-".to_string()),
                ("last Tuesday".to_string(), "-".to_string(), "-".to_string()),
            ]
        );
    }

    #[test]
    fn a_month_from_a_url_path_anchors_what_needs_only_the_year_or_month() {
        assert_eq!(one("on 24 January", "2023-01"), "2023-01-24");
        assert_eq!(one("earlier this month", "2023-01"), "2023-01");
        assert_eq!(
            one("last Tuesday", "2023-01"),
            "-",
            "a weekday needs the day"
        );
        assert_eq!(one("on 24 January", "2023"), "2023-01-24");
        assert_eq!(one("this month", "2023"), "-");
    }

    #[test]
    fn a_day_month_after_publication_is_last_year() {
        assert_eq!(one("on 20 December", "2023-01-05"), "2022-12-20");
        assert_eq!(one("in December", "2023-01-05"), "2022-12");
        assert_eq!(one("last month", "2023-01-05"), "2022-12");
    }
}
