//! A small, pure date parser for publication dates found in corpora.
//!
//! Supported forms (case-insensitive month and weekday names, full or abbreviated):
//! - ISO 8601: `1987-02-26`, `1987-02-26T15:01:01Z`, `1987-02-26 15:01:01.79+02:00`
//! - Reuters-21578: `26-FEB-1987 15:01:01.79`
//! - `Feb 26, 1987`, `February 26, 1987 3:01 PM`
//! - `26 February 1987`
//! - RFC 2822: `Thu, 26 Feb 1987 15:01:01 +0000` (also `GMT`, `UTC`, US zone names)
//!
//! A missing time means midnight; a missing zone means UTC.

/// Parses a date or date-time; returns seconds since the Unix epoch (UTC), or `None` when the
/// string is not one of the supported forms or is not a valid calendar date.
pub fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    parse_iso(s).or_else(|| parse_words(s))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Formats seconds since the Unix epoch as an ISO 8601 UTC time, `1987-02-26T15:01:01Z`.
pub fn format_date(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn build(y: i64, m: i64, d: i64, t: (i64, i64, i64), offset_secs: i64) -> Option<i64> {
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    let (h, mi, se) = t;
    if !(0..24).contains(&h) || !(0..60).contains(&mi) || !(0..=60).contains(&se) {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400 + h * 3600 + mi * 60 + se - offset_secs)
}

fn num(s: &str) -> Option<i64> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `HH:MM[:SS[.frac]]` → (h, m, s).
fn parse_time(s: &str) -> Option<(i64, i64, i64)> {
    let mut parts = s.split(':');
    let h = num(parts.next()?)?;
    let m = num(parts.next()?)?;
    let sec = match parts.next() {
        Some(x) => num(x.split(['.', ',']).next()?)?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    Some((h, m, sec))
}

/// `Z`, `+HH:MM`, `+HHMM`, `+HH` → offset in seconds.
fn parse_offset(s: &str) -> Option<i64> {
    if s.eq_ignore_ascii_case("z") {
        return Some(0);
    }
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest: String = s[1..].chars().filter(|c| *c != ':').collect();
    let (h, m) = match rest.len() {
        2 => (num(&rest)?, 0),
        4 => (num(&rest[..2])?, num(&rest[2..])?),
        _ => return None,
    };
    if h > 23 || m > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

fn parse_iso(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = num(&s[..4])?;
    let m = num(&s[5..7])?;
    let d = num(&s[8..10])?;
    let rest = &s[10..];
    if rest.is_empty() {
        return build(y, m, d, (0, 0, 0), 0);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    // Split the zone off the time.
    let zpos = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (time, zone) = rest.split_at(zpos);
    let t = parse_time(time.trim())?;
    let off = if zone.is_empty() {
        0
    } else {
        parse_offset(zone.trim())?
    };
    build(y, m, d, t, off)
}

/// English month names, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
/// English weekday names, Monday first.
pub(crate) const DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn month_of(w: &str) -> Option<i64> {
    let w = w.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    if w == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() == 3 && m.starts_with(&w)))
        .map(|i| i as i64 + 1)
}

fn is_weekday(w: &str) -> bool {
    let w = w.trim_end_matches('.').to_ascii_lowercase();
    w.len() >= 3
        && DAYS
            .iter()
            .any(|d| *d == w || (w.len() == 3 && d.starts_with(&w)))
}

fn zone_name(w: &str) -> Option<i64> {
    let h = match w.to_ascii_uppercase().as_str() {
        "GMT" | "UT" | "UTC" | "Z" => 0,
        "EST" => -5,
        "EDT" => -4,
        "CST" => -6,
        "CDT" => -5,
        "MST" => -7,
        "MDT" => -6,
        "PST" => -8,
        "PDT" => -7,
        _ => return None,
    };
    Some(h * 3600)
}

/// Forms with a month name: Reuters, `Feb 26, 1987`, `26 February 1987`, RFC 2822.
fn parse_words(s: &str) -> Option<i64> {
    let mut month = None;
    let mut numbers: Vec<(i64, usize)> = Vec::new();
    let mut time = None;
    let mut offset = 0i64;
    let mut pm: Option<bool> = None;
    for piece in s.split([' ', ',', '\t']).filter(|p| !p.is_empty()) {
        if piece.contains(':') && piece.as_bytes()[0].is_ascii_digit() {
            if time.is_some() {
                return None;
            }
            time = Some(parse_time(piece)?);
            continue;
        }
        if (piece.starts_with('+') || piece.starts_with('-')) && piece.len() > 1 {
            offset = parse_offset(piece)?;
            continue;
        }
        for sub in piece.split('-').filter(|p| !p.is_empty()) {
            if let Some(n) = num(sub) {
                numbers.push((n, sub.len()));
            } else if let Some(m) = month_of(sub) {
                if month.is_some() {
                    return None;
                }
                month = Some(m);
            } else if is_weekday(sub) {
            } else if let Some(z) = zone_name(sub) {
                offset = z;
            } else if sub.eq_ignore_ascii_case("am") || sub.eq_ignore_ascii_case("a.m.") {
                pm = Some(false);
            } else if sub.eq_ignore_ascii_case("pm") || sub.eq_ignore_ascii_case("p.m.") {
                pm = Some(true);
            } else {
                let stripped = sub.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']);
                match num(stripped) {
                    Some(n) if stripped.len() <= 2 => numbers.push((n, stripped.len())),
                    _ => return None,
                }
            }
        }
    }
    let m = month?;
    if numbers.len() != 2 {
        return None;
    }
    let (year, day) = match (numbers[0], numbers[1]) {
        ((y, 4), (d, l)) if l <= 2 => (y, d),
        ((d, l), (y, 4)) if l <= 2 => (y, d),
        ((d, 1 | 2), (y, 2)) => (if y >= 50 { 1900 + y } else { 2000 + y }, d),
        _ => return None,
    };
    let mut t = time.unwrap_or((0, 0, 0));
    match pm {
        Some(true) if t.0 < 12 => t.0 += 12,
        Some(false) if t.0 == 12 => t.0 = 0,
        _ => {}
    }
    build(year, m, day, t, offset)
}

#[cfg(test)]
mod tests {
    use super::{format_date, parse_date};

    #[test]
    fn format_round_trips_through_parse() {
        assert_eq!(format_date(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_date(FEB26_1987 + 54_061), "1987-02-26T15:01:01Z");
        assert_eq!(format_date(-1), "1969-12-31T23:59:59Z");
        for secs in [951_782_400, 1_709_164_800, 4_107_542_399, -2_208_988_800] {
            assert_eq!(parse_date(&format_date(secs)), Some(secs), "{secs}");
        }
    }

    const FEB26_1987: i64 = 541_296_000;

    #[test]
    fn iso_forms() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("1987-02-26"), Some(FEB26_1987));
        assert_eq!(
            parse_date("1987-02-26T15:01:01Z"),
            Some(FEB26_1987 + 54_061)
        );
        assert_eq!(
            parse_date("1987-02-26 15:01:01.79"),
            Some(FEB26_1987 + 54_061)
        );
        assert_eq!(
            parse_date("1987-02-26T17:01:01+02:00"),
            Some(FEB26_1987 + 54_061)
        );
        assert_eq!(parse_date("2000-02-29"), Some(951_782_400));
        assert_eq!(parse_date("1969-12-31"), Some(-86_400));
    }

    #[test]
    fn word_forms() {
        assert_eq!(
            parse_date("26-FEB-1987 15:01:01.79"),
            Some(FEB26_1987 + 54_061)
        );
        assert_eq!(parse_date("Feb 26, 1987"), Some(FEB26_1987));
        assert_eq!(parse_date("February 26, 1987"), Some(FEB26_1987));
        assert_eq!(parse_date("26 February 1987"), Some(FEB26_1987));
        assert_eq!(
            parse_date("Thu, 26 Feb 1987 15:01:01 +0000"),
            Some(FEB26_1987 + 54_061)
        );
        assert_eq!(
            parse_date("Thu, 26 Feb 1987 10:01:01 EST"),
            Some(FEB26_1987 + 54_061)
        );
        assert_eq!(
            parse_date("Feb 26, 1987 3:01 PM"),
            Some(FEB26_1987 + 54_060)
        );
        assert_eq!(parse_date("May 4, 2020"), Some(1_588_550_400));
    }

    #[test]
    fn rejects_garbage() {
        for s in [
            "",
            "hello",
            "2019-02-30",
            "1987-13-01",
            "Feb 30, 1987",
            "26 Foo 1987",
            "12:00",
            "1987-02-26T25:00",
            "Feb Mar 1987",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }
}
