//! The units that co-occurrence is counted in (`--window`) and the periods
//! that slice the tables (`--by`).

use std::fmt;

use crate::document::Date;

/// A kind of co-occurrence window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Window {
    /// The whole document.
    Document,
    /// A paragraph (text between blank lines).
    Paragraph,
    /// A sentence.
    Sentence,
    /// Mentions whose first tokens are at most N tokens apart.
    Tokens(u32),
}

impl Window {
    /// Parses one `--window` item.
    pub fn parse(s: &str) -> Result<Window, String> {
        match s.trim() {
            "document" => Ok(Window::Document),
            "paragraph" => Ok(Window::Paragraph),
            "sentence" => Ok(Window::Sentence),
            other => {
                let n = other.strip_prefix("tokens:").ok_or_else(|| {
                    format!("unknown window '{other}' (expected document, paragraph, sentence or tokens:N)")
                })?;
                match n.parse::<u32>() {
                    Ok(n) if n >= 1 => Ok(Window::Tokens(n)),
                    _ => Err(format!("bad window '{other}': N in tokens:N must be a whole number from 1")),
                }
            }
        }
    }

    /// Parses a comma list such as `document,sentence,tokens:10`, refusing
    /// repeats and an empty list.
    pub fn parse_list(s: &str) -> Result<Vec<Window>, String> {
        let mut windows = Vec::new();
        for item in s.split(',') {
            let w = Window::parse(item)?;
            if windows.contains(&w) {
                return Err(format!("window '{w}' named twice"));
            }
            windows.push(w);
        }
        Ok(windows)
    }

    /// Whether the window's counts are booleans per window (not mention pairs).
    pub fn is_unit(self) -> bool {
        !matches!(self, Window::Tokens(_))
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Window::Document => f.write_str("document"),
            Window::Paragraph => f.write_str("paragraph"),
            Window::Sentence => f.write_str("sentence"),
            Window::Tokens(n) => write!(f, "tokens:{n}"),
        }
    }
}

/// How tables are sliced in time (`--by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum By {
    /// One period, `all`.
    #[default]
    None,
    /// `2022`.
    Year,
    /// `2022-12`.
    Month,
    /// `2022-12-04`.
    Day,
}

/// A period as a number whose order is the order of its label: `yyyymmdd`
/// with zeros for the parts `--by` leaves out; `all` is 0, `undated` the largest.
pub type PeriodKey = u32;

/// The key of period `undated`.
pub const UNDATED: PeriodKey = u32::MAX;

impl By {
    /// Parses a `--by` value.
    pub fn parse(s: &str) -> Result<By, String> {
        match s {
            "none" => Ok(By::None),
            "year" => Ok(By::Year),
            "month" => Ok(By::Month),
            "day" => Ok(By::Day),
            other => Err(format!("unknown period '{other}' (expected none, year, month or day)")),
        }
    }

    /// The word for this setting, as `--by` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            By::None => "none",
            By::Year => "year",
            By::Month => "month",
            By::Day => "day",
        }
    }

    /// The period a document of this date falls in.
    pub fn key(self, date: Option<Date>) -> PeriodKey {
        let Some(d) = date else {
            return if self == By::None { 0 } else { UNDATED };
        };
        let (y, m, day) = (d.year as u32, d.month as u32, d.day as u32);
        match self {
            By::None => 0,
            By::Year => y * 10000,
            By::Month => y * 10000 + m * 100,
            By::Day => y * 10000 + m * 100 + day,
        }
    }

    /// The label of a period key, as written in the tables.
    pub fn label(self, key: PeriodKey) -> String {
        if key == UNDATED {
            return "undated".to_string();
        }
        let (y, m, d) = (key / 10000, key / 100 % 100, key % 100);
        match self {
            By::None => "all".to_string(),
            By::Year => format!("{y:04}"),
            By::Month => format!("{y:04}-{m:02}"),
            By::Day => format!("{y:04}-{m:02}-{d:02}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_parse_and_print_back() {
        let list = Window::parse_list("document,sentence,tokens:10,paragraph").unwrap();
        assert_eq!(list, [Window::Document, Window::Sentence, Window::Tokens(10), Window::Paragraph]);
        let printed: Vec<String> = list.iter().map(|w| w.to_string()).collect();
        assert_eq!(printed.join(","), "document,sentence,tokens:10,paragraph");
        assert!(Window::parse_list("document,document").is_err());
        assert!(Window::parse("tokens:0").is_err());
        assert!(Window::parse("tokens:x").is_err());
        assert!(Window::parse("page").is_err());
    }

    #[test]
    fn period_keys_sort_like_their_labels() {
        let d = |y, m, day| Date::new(y, m, day);
        for by in [By::Year, By::Month, By::Day] {
            let dates = [d(1999, 12, 31), d(2022, 1, 5), d(2022, 12, 4), None];
            let keys: Vec<PeriodKey> = dates.iter().map(|&x| by.key(x)).collect();
            let labels: Vec<String> = keys.iter().map(|&k| by.label(k)).collect();
            let mut sorted = labels.clone();
            sorted.sort();
            assert_eq!(labels, sorted, "{by:?}");
        }
        assert_eq!(By::Month.label(By::Month.key(d(2022, 12, 4))), "2022-12");
        assert_eq!(By::Day.label(By::Day.key(d(2022, 12, 4))), "2022-12-04");
        assert_eq!(By::Year.label(By::Year.key(d(2022, 12, 4))), "2022");
        assert_eq!(By::None.label(By::None.key(d(2022, 12, 4))), "all");
        assert_eq!(By::None.label(By::None.key(None)), "all");
        assert_eq!(By::Day.label(By::Day.key(None)), "undated");
    }
}
