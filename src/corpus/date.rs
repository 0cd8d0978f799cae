//! Document dates: from a date field (ISO 8601) and from a file path.
//!
//! Both parsers are deliberately narrow. A date that is guessed wrong puts a
//! document in the wrong period without anyone noticing, while a date that is
//! not parsed shows up as `undated` and, for a field, as a note in
//! `documents.csv`. So only unambiguous ISO forms are taken: no `04/12/2022`,
//! no `Dec 4, 2022`, no compact `20221204`.

use crate::document::Date;

/// A date from a date field: ISO 8601 `2022-12-04`, `2022-12-04T10:00:00Z`,
/// `2022-12-04 10:00`, with fractional seconds and offsets (`+02:00`, `+0200`,
/// `+02`, `Z`, or a trailing ` UTC`/` GMT`); `None` if unparseable.
///
/// The date is taken as written: `2022-12-04T23:30:00-05:00` is 2022-12-04,
/// with no time-zone conversion, because a news article's own dateline is what
/// a researcher slicing by day means. Surrounding whitespace is ignored. When
/// a time follows the date it must be a valid `HH:MM[:SS[.fff]]` (with an
/// optional zone), so that `2022-12-04 and more` is not taken for a date.
pub fn parse_date_field(s: &str) -> Option<Date> {
    let b = s.trim().as_bytes();
    let date = ymd_at(b, 0, b'-')?;
    match b.get(10) {
        None => Some(date),
        Some(b'T' | b't' | b' ') if valid_time(&b[11..]) => Some(date),
        _ => None,
    }
}

/// A date found in a path: the first `YYYY-MM-DD`, `YYYY/MM/DD` or
/// `YYYY_MM_DD` (the same separator twice) that is a real date, is not part of
/// a longer digit run, and has a year from 1000 on; `None` if there is none.
///
/// `_` is accepted because scrapers often name files `reuters_2022_12_04.txt`;
/// the digit-run rule keeps ids like `120221204` or `2022-12-045` out, and
/// the year rule keeps zero-padded counters like `0012-03-04` out.
pub fn date_from_path(rel: &str) -> Option<Date> {
    let b = rel.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let sep = b[i + 4];
        if !matches!(sep, b'-' | b'/' | b'_') || b[i] == b'0' {
            return None;
        }
        let before_ok = i == 0 || !b[i - 1].is_ascii_digit();
        let after_ok = b.get(i + 10).is_none_or(|c| !c.is_ascii_digit());
        if before_ok && after_ok {
            ymd_at(b, i, sep)
        } else {
            None
        }
    })
}

/// `YYYY<sep>MM<sep>DD` at `b[i..i + 10]`, if it is a real date.
fn ymd_at(b: &[u8], i: usize, sep: u8) -> Option<Date> {
    let s = b.get(i..i + 10)?;
    if s[4] != sep || s[7] != sep {
        return None;
    }
    let year = digits(&s[0..4])?;
    let month = digits(&s[5..7])?;
    let day = digits(&s[8..10])?;
    Date::new(year as u16, month as u8, day as u8)
}

/// The value of a run of ASCII digits, `None` if any byte is not a digit.
fn digits(s: &[u8]) -> Option<u32> {
    s.iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
}

/// A two-digit number at `s[0..2]` no larger than `max`.
fn two_digits(s: &[u8], max: u32) -> bool {
    s.get(0..2).and_then(digits).is_some_and(|n| n <= max)
}

/// `HH:MM[:SS[(.|,)fff]]` then an optional zone, and nothing else.
fn valid_time(t: &[u8]) -> bool {
    // 24:00 is ISO's end of day; 60 seconds is a leap second.
    if t.len() < 5 || !two_digits(t, 24) || t[2] != b':' || !two_digits(&t[3..], 59) {
        return false;
    }
    let mut rest = &t[5..];
    if rest.first() == Some(&b':') {
        if !two_digits(&rest[1..], 60) {
            return false;
        }
        rest = &rest[3..];
        if matches!(rest.first(), Some(b'.' | b',')) {
            let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return false;
            }
            rest = &rest[1 + n..];
        }
    }
    valid_zone(rest)
}

/// Empty, `Z`, `UTC`/`GMT` after optional spaces, or `±HH`, `±HHMM`, `±HH:MM`.
fn valid_zone(z: &[u8]) -> bool {
    let z = z.trim_ascii_start();
    match z {
        [] | [b'Z' | b'z'] => true,
        _ if z.eq_ignore_ascii_case(b"UTC") || z.eq_ignore_ascii_case(b"GMT") => true,
        [b'+' | b'-', h @ ..] => match h.len() {
            2 => two_digits(h, 23),
            4 => two_digits(h, 23) && two_digits(&h[2..], 59),
            5 => two_digits(h, 23) && h[2] == b':' && two_digits(&h[3..], 59),
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: u16, m: u8, day: u8) -> Option<Date> {
        Some(Date::new(y, m, day).unwrap())
    }

    #[test]
    fn field_forms() {
        assert_eq!(parse_date_field("2022-12-04"), d(2022, 12, 4));
        assert_eq!(parse_date_field("  2022-12-04\n"), d(2022, 12, 4));
        assert_eq!(parse_date_field("2022-12-04T10:00:00Z"), d(2022, 12, 4));
        assert_eq!(parse_date_field("2022-12-04 10:00"), d(2022, 12, 4));
        assert_eq!(parse_date_field("2022-12-04T10:00:00.123456Z"), d(2022, 12, 4));
        assert_eq!(parse_date_field("2022-12-04t10:00:00,5"), d(2022, 12, 4));
        assert_eq!(parse_date_field("2022-12-04 10:00:00+00"), d(2022, 12, 4));
        assert_eq!(parse_date_field("2022-12-04 10:00:00 UTC"), d(2022, 12, 4));
        assert_eq!(parse_date_field("2022-12-04T10:00:00+0200"), d(2022, 12, 4));
        assert_eq!(parse_date_field("2020-02-29"), d(2020, 2, 29));
    }

    #[test]
    fn field_date_is_taken_as_written_without_time_zone_conversion() {
        assert_eq!(parse_date_field("2022-12-04T23:30:00-05:00"), d(2022, 12, 4));
        assert_eq!(parse_date_field("2022-12-05T00:30:00+09:00"), d(2022, 12, 5));
    }

    #[test]
    fn field_rejects() {
        for s in [
            "",
            "   ",
            "2022-13-01",
            "2022-02-30",
            "2021-02-29",
            "2022-12-4",
            "20221204",
            "2022/12/04",
            "04/12/2022",
            "Dec 4, 2022",
            "2022-12-04x",
            "2022-12-04T",
            "2022-12-04T25:00",
            "2022-12-04T10:60",
            "2022-12-04T10:00:00.",
            "2022-12-04T10:00:00+2",
            "2022-12-04T10:00:00 PST",
            "2022-12-04 and more",
            "2022-12-04Z",
            "２０２２-12-04",
        ] {
            assert_eq!(parse_date_field(s), None, "{s:?}");
        }
    }

    #[test]
    fn path_forms() {
        assert_eq!(date_from_path("2022/12/04/a.txt"), d(2022, 12, 4));
        assert_eq!(date_from_path("news/2022-12-04.txt"), d(2022, 12, 4));
        assert_eq!(date_from_path("reuters_2022_12_04_17.txt"), d(2022, 12, 4));
        assert_eq!(date_from_path("x-2022-12-04-1.md"), d(2022, 12, 4));
        // The first real date wins; an invalid one earlier is passed over.
        assert_eq!(date_from_path("2022-13-01/2021-01-02.txt"), d(2021, 1, 2));
        assert_eq!(date_from_path("2022-12-04/2021-01-02.txt"), d(2022, 12, 4));
    }

    #[test]
    fn path_rejects() {
        for s in [
            "2022-13-01.txt",
            "20221204.txt",
            "12022-12-04.txt",
            "2022-12-045.txt",
            "2022-12/04.txt",
            "2022/12-04.txt",
            "2022/1/4.txt",
            "0012-03-04.txt",
            "2022.12.04.txt",
            "a.txt",
            "",
        ] {
            assert_eq!(date_from_path(s), None, "{s:?}");
        }
    }

    proptest! {
        #[test]
        fn parsers_never_panic(s in "\\PC{0,40}") {
            let _ = parse_date_field(&s);
            let _ = date_from_path(&s);
        }

        #[test]
        fn every_real_date_round_trips(y in 1000u16..=9999, m in 1u8..=12, day in 1u8..=31) {
            if let Some(date) = Date::new(y, m, day) {
                let s = date.to_string();
                prop_assert_eq!(parse_date_field(&s), Some(date));
                prop_assert_eq!(date_from_path(&format!("x/{s}.txt")), Some(date));
                prop_assert_eq!(date_from_path(&s.replace('-', "/")), Some(date));
            }
        }
    }
}
