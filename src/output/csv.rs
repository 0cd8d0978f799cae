//! Encoding CSV rows (RFC 4180: comma, `"` quoting only where needed, `\n`
//! line ends), fast enough for one row per mention.

use std::io::Write;

use crate::stats::push_g6;

/// Builds one CSV line field by field into a byte buffer.
#[derive(Debug, Default)]
pub struct Row {
    buf: Vec<u8>,
    fields: usize,
}

impl Row {
    /// An empty row.
    pub fn new() -> Row {
        Row::default()
    }

    fn separate(&mut self) {
        if self.fields > 0 {
            self.buf.push(b',');
        }
        self.fields += 1;
    }

    /// Appends a text field, quoted if it holds a comma, quote or line break.
    pub fn text(&mut self, s: &str) -> &mut Row {
        self.separate();
        push_quoted(&mut self.buf, s);
        self
    }

    /// Appends a field already encoded by [`push_quoted`] (a value repeated
    /// on many rows is encoded once).
    pub fn encoded(&mut self, field: &[u8]) -> &mut Row {
        self.separate();
        self.buf.extend_from_slice(field);
        self
    }

    /// Appends an integer (the common case, without the formatting machinery).
    pub fn int(&mut self, v: impl itoa::Integer) -> &mut Row {
        self.separate();
        self.buf.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
        self
    }

    /// Appends a measure with six significant digits ([`push_g6`]).
    pub fn g6(&mut self, x: f64) -> &mut Row {
        self.separate();
        push_g6(&mut self.buf, x);
        self
    }

    /// Appends an empty field.
    pub fn empty(&mut self) -> &mut Row {
        self.separate();
        self
    }

    /// Ends the row and returns its bytes, `\n` included.
    pub fn finish(&mut self) -> Vec<u8> {
        self.buf.push(b'\n');
        self.fields = 0;
        std::mem::take(&mut self.buf)
    }

    /// Ends the row and writes it to `w`; the row's buffer is kept for the
    /// next row, so writing a table allocates nothing per row.
    pub fn write_to(&mut self, w: &mut dyn Write) -> std::io::Result<()> {
        self.buf.push(b'\n');
        let written = w.write_all(&self.buf);
        self.buf.clear();
        self.fields = 0;
        written
    }

    /// A row written after the bytes `buf` already holds: the lines ended
    /// by [`Row::end_line`] gather there, each written once (a document's
    /// mention rows make one block this way).
    pub fn appending_to(buf: Vec<u8>) -> Row {
        Row { buf, fields: 0 }
    }

    /// Ends the current line; the next field begins a new one.
    pub fn end_line(&mut self) {
        self.buf.push(b'\n');
        self.fields = 0;
    }

    /// Every byte written, lines and what the buffer held before.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }
}

/// Appends `s` to `out` as one CSV field.
pub fn push_quoted(out: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

/// A header line from column names.
pub fn header(columns: &[&str]) -> Vec<u8> {
    let mut row = Row::new();
    for c in columns {
        row.text(c);
    }
    row.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_where_needed_and_reads_back() {
        let line = Row::new().text("plain").text("a,b").text("say \"hi\"").text("two\nlines").text("").int(42).finish();
        assert_eq!(line, b"plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,42\n");
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(line.as_slice());
        let record = reader.records().next().unwrap().unwrap();
        let fields: Vec<&str> = record.iter().collect();
        assert_eq!(fields, ["plain", "a,b", "say \"hi\"", "two\nlines", "", "42"]);
    }

    #[test]
    fn lines_gather_after_what_the_buffer_held() {
        let mut row = Row::appending_to(b"head\n".to_vec());
        row.text("a").int(1);
        row.end_line();
        row.text("b,c").empty();
        row.end_line();
        assert_eq!(row.into_bytes(), b"head\na,1\n\"b,c\",\n");
    }
}
