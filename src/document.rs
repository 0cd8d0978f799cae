//! The small types that flow between the pipeline's pieces: a document as read
//! from the corpus, and its status for `documents.csv`.

use std::fmt;

/// How a document fared when it was read (the `status` column of `documents.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Read and decoded cleanly.
    Ok,
    /// Read, but invalid UTF-8 was replaced with U+FFFD.
    Lossy,
    /// Not a document cotag reads (unsupported type, binary, hidden by policy...).
    Skipped,
    /// Should have been a document but could not be read (I/O error, bad JSON...).
    Error,
}

impl Status {
    /// The word written in `documents.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Lossy => "lossy",
            Status::Skipped => "skipped",
            Status::Error => "error",
        }
    }

    /// Whether the document has text that the pipeline tags and counts.
    pub fn has_text(self) -> bool {
        matches!(self, Status::Ok | Status::Lossy)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A calendar date (proleptic Gregorian), as found in a date field or a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, 0000 to 9999.
    pub year: u16,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31 (checked against the month and leap years).
    pub day: u8,
}

impl Date {
    /// A date if `year`, `month` and `day` name a real day, else `None`.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if year > 9999 || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        (day <= days).then_some(Date { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One document of the corpus, or the record of an input that could not be one.
///
/// Every input the walk finds becomes at least one `Document`, so that
/// `documents.csv` accounts for everything: a skipped or failed input is a
/// `Document` with an empty `text` and a `detail` saying why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The id written in every table (see SPEC §2 for how it is formed).
    pub doc_id: String,
    /// The file the document came from, as the walk found it (`-` for stdin).
    pub source: String,
    /// The document date, if one was found.
    pub date: Option<Date>,
    /// The text to tag: the title (if any), a blank line, then the body.
    pub text: String,
    /// Size of the document's text in bytes as read (before any replacement).
    pub bytes: u64,
    /// How reading went.
    pub status: Status,
    /// Why the status is not `ok`, or a note (e.g. an unparsed date); empty otherwise.
    pub detail: String,
}

impl Document {
    /// A record for an input that yields no text, with the reason.
    pub fn without_text(doc_id: String, source: String, status: Status, detail: impl Into<String>) -> Document {
        Document { doc_id, source, date: None, text: String::new(), bytes: 0, status, detail: detail.into() }
    }
}
