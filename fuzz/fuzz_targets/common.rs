//! Checks shared by the reader targets.

use cotag::corpus::{read_bytes, ReadOptions};
use cotag::document::{Document, Status};

/// Reads `bytes` as a file named `name` and checks every record.
pub fn check_file(name: &str, bytes: &[u8], opts: &ReadOptions) {
    let mut docs = Vec::new();
    read_bytes(name, bytes, opts, &mut |d| {
        docs.push(d);
        true
    });
    assert!(!docs.is_empty(), "{name}: no record at all");
    for d in &docs {
        assert_eq!(d.source, name);
        check_document(d);
    }
}

/// A record is well formed: an id, text only when the status has text, the
/// byte count of the text, a reason whenever it is not `ok`.
pub fn check_document(d: &Document) {
    assert!(!d.doc_id.is_empty(), "empty doc_id: {d:?}");
    if !d.status.has_text() {
        assert!(d.text.is_empty(), "text on a {} record: {d:?}", d.status);
    }
    if d.status != Status::Ok {
        assert!(!d.detail.is_empty(), "{} record without a detail: {d:?}", d.status);
    }
    assert!(!d.detail.contains('\n'), "detail on two lines: {d:?}");
}
