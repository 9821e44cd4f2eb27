//! Publication dates from the evidence readers meet: datelines, URL paths, feed timestamps.

use chrono::NaiveDate;
use regex::Regex;
use sitrep_core::PartialDate;
use std::sync::LazyLock;

/// A dateline on a line of its own: "26 January 2023", "Thursday, January 26, 2023",
/// "Jan. 26, 2023", "2023-01-26". Only a whole-line match counts.
pub(crate) fn parse_dateline(line: &str) -> Option<PartialDate> {
    const WEEKDAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let mut s = line.trim().trim_end_matches('.').replace('.', "");
    let lower = s.to_ascii_lowercase();
    if let Some(day) = WEEKDAYS.iter().find(|d| lower.starts_with(*d)) {
        s = s[day.len()..].trim_start_matches([',', ' ']).to_string();
    }
    if s.len() > 40 {
        return None;
    }
    ["%d %B %Y", "%B %d, %Y", "%B %d %Y", "%d %B, %Y", "%Y-%m-%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(&s, f).ok())
        .map(PartialDate::day)
}

static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])(?:[/-](0[1-9]|[12]\d|3[01]))?(?:[/-]|\.html?$|$)",
    )
    .expect("valid regex")
});

/// A date in a URL path, as news sites put it: `/2023/01/26/`, `/2023/01/`, `/2023-01-26-`.
pub(crate) fn date_in_url(url: &str) -> Option<PartialDate> {
    let path_start = url.find("://").map(|i| i + 3).unwrap_or(0);
    let path = &url[path_start..];
    let path = &path[path.find('/')?..];
    let caps = URL_DATE.captures(path)?;
    let year: i32 = caps[1].parse().ok()?;
    let month: u32 = caps[2].parse().ok()?;
    match caps.get(3) {
        Some(day) => {
            NaiveDate::from_ymd_opt(year, month, day.as_str().parse().ok()?).map(PartialDate::day)
        }
        None => PartialDate::month(year, month).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines_in_the_usual_styles() {
        for line in [
            "26 January 2023",
            "Thursday, January 26, 2023",
            "Jan. 26, 2023",
            "2023-01-26",
            "Thursday 26 January 2023",
        ] {
            assert_eq!(
                parse_dateline(line).map(|d| d.to_string()).as_deref(),
                Some("2023-01-26"),
                "{line}"
            );
        }
        for not_a_date in [
            "The Cradle",
            "26 January",
            "On 26 January 2023 the army said",
            "2023",
        ] {
            assert_eq!(parse_dateline(not_a_date), None, "{not_a_date}");
        }
    }

    #[test]
    fn dates_in_url_paths() {
        let d = |u: &str| date_in_url(u).map(|d| d.to_string());
        assert_eq!(
            d("https://x.org/news/2023/01/26/idlib-attack/").as_deref(),
            Some("2023-01-26")
        );
        assert_eq!(
            d("https://x.org/2023/01/idlib-attack").as_deref(),
            Some("2023-01")
        );
        assert_eq!(
            d("https://x.org/world/2023-03-02-shelling.html").as_deref(),
            Some("2023-03-02")
        );
        assert_eq!(d("https://x.org/story/20230126"), None);
        assert_eq!(d("https://2023.org/13/01/"), None);
        assert_eq!(d("https://x.org/2023/02/30/"), None);
    }
}
