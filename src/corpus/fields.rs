//! The fields cotag reads from one JSON Lines line (the text, id, date and
//! title fields), parsed in one pass without building the whole object.
//!
//! Each of those fields is taken as its JSON text ([`RawValue`]) and only
//! then read, so that a number stays exactly as written: a
//! `serde_json::Value` holds a number beyond 64 bits, or with a fraction or
//! an exponent, as an `f64`, and writing it back made two distinct ids one
//! (`12345678901234567890123` and `…124` were both `1.2345678901234568e+22`)
//! and rewrote others (`1E2` became `100.0`).
//!
//! The other fields of the line are skipped, never built: their JSON syntax
//! is checked, but not what only building a value checks. A lone surrogate
//! escape (`"\ud800"`), a number beyond an `f64` or nesting deeper than
//! serde_json's 128 levels there no longer fails the line, as it did when the
//! whole line became a `Value`; cotag never reads those fields.

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

use super::{ReadOptions, TITLE_FIELD};

/// The value of one field, as much of it as cotag uses.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Field<'a> {
    /// A string, unescaped.
    Str(String),
    /// A number, exactly as written in the line (`1E2`, `-0`, `1.50`).
    Number(&'a str),
    /// `null`.
    Null,
    /// A value of which only the kind is used: a boolean, an array, an
    /// object, or a number in the text field (see [`Text`]).
    Other(&'static str),
}

impl<'a> Field<'a> {
    /// Reads a field from its JSON text, which serde_json has already checked
    /// is one valid JSON value. Fails only on a string holding a lone
    /// surrogate escape (`"\ud800"`), which that check lets through.
    fn from_raw(raw: &'a RawValue) -> serde_json::Result<Self> {
        let text = raw.get();
        // The first byte tells the type: the raw text starts at the value,
        // after any whitespace.
        Ok(match text.as_bytes().first() {
            Some(b'"') => Field::Str(serde_json::from_str(text)?),
            Some(b'n') => Field::Null,
            Some(b't' | b'f') => Field::Other("boolean"),
            Some(b'[') => Field::Other("array"),
            Some(b'{') => Field::Other("object"),
            _ => Field::Number(text),
        })
    }

    /// The JSON type in words, for details like `'text' is not a string
    /// (found number)`.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Field::Str(_) => "string",
            Field::Number(_) => "number",
            Field::Null => "null",
            Field::Other(kind) => kind,
        }
    }
}

/// The fields of a line that cotag reads, `None` when absent. A field given
/// twice is its last value, as in a `serde_json::Value` object.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Fields<'a> {
    /// The text field (`--text-field`).
    pub(crate) text: Option<Field<'a>>,
    /// The id field (`--id-field`).
    pub(crate) id: Option<Field<'a>>,
    /// The date field (`--date-field`).
    pub(crate) date: Option<Field<'a>>,
    /// The `title` field.
    pub(crate) title: Option<Field<'a>>,
}

impl<'a> Fields<'a> {
    /// Puts `field` in the place of each role its key has besides the text.
    /// The value is copied only when a key has several (`--id-field title`).
    fn set(&mut self, roles: Roles, field: Field<'a>) {
        let places = [(roles.id, &mut self.id), (roles.date, &mut self.date), (roles.title, &mut self.title)];
        let mut last = None;
        for place in places.into_iter().filter_map(|(wanted, place)| wanted.then_some(place)) {
            if let Some(earlier) = last.replace(place) {
                *earlier = Some(field.clone());
            }
        }
        if let Some(place) = last {
            *place = Some(field);
        }
    }
}

/// What a line holds: an object, or a JSON value of another kind
/// (`"array"`, `"string"`, …), which is no document.
#[derive(Debug, PartialEq)]
pub(crate) enum Parsed<'a> {
    /// An object, with the fields cotag reads.
    Object(Fields<'a>),
    /// Another kind of value.
    NotObject(&'static str),
}

/// Parses one line, which must be one JSON value and nothing else, as for
/// `serde_json::from_str`; the error is serde_json's.
pub(crate) fn parse<'a>(line: &'a str, opts: &ReadOptions) -> serde_json::Result<Parsed<'a>> {
    let names = Names { text: &opts.text_field, id: &opts.id_field, date: &opts.date_field };
    let mut de = serde_json::Deserializer::from_str(line);
    let parsed = LineSeed(&names).deserialize(&mut de)?;
    de.end()?;
    Ok(parsed)
}

/// serde_json's message without its position (`at line 1 column 7`).
pub(crate) fn message(e: &serde_json::Error) -> String {
    let mut msg = e.to_string();
    if let Some(i) = msg.rfind(" at line ") {
        msg.truncate(i);
    }
    msg
}

/// The names of the fields cotag reads, as the options give them.
struct Names<'n> {
    text: &'n str,
    id: &'n str,
    date: &'n str,
}

/// The roles of an object key: which of the fields cotag reads it names.
#[derive(Debug, Clone, Copy, Default)]
struct Roles {
    text: bool,
    id: bool,
    date: bool,
    title: bool,
}

impl Roles {
    /// Whether cotag reads the key's value at all.
    fn any(self) -> bool {
        self.text || self.id || self.date || self.title
    }
}

/// Reads an object key as its [`Roles`], without allocating it.
#[derive(Clone, Copy)]
struct KeySeed<'n>(&'n Names<'n>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Roles;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Roles, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = Roles;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Roles, E> {
        let names = self.0;
        // The text field is only the text: with `--text-field title` the
        // title is the body and not also a title, and a text field that is
        // also the id or date field gives neither.
        if key == names.text {
            return Ok(Roles { text: true, ..Roles::default() });
        }
        Ok(Roles { text: false, id: key == names.id, date: key == names.date, title: key == TITLE_FIELD })
    }
}

/// Reads a whole line into [`Parsed`].
struct LineSeed<'n>(&'n Names<'n>);

impl<'de> DeserializeSeed<'de> for LineSeed<'_> {
    type Value = Parsed<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Parsed<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for LineSeed<'_> {
    type Value = Parsed<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parsed<'de>, A::Error> {
        let mut fields = Fields::default();
        while let Some(roles) = map.next_key_seed(KeySeed(self.0))? {
            if roles.text {
                fields.text = Some(map.next_value::<Text>()?.0);
                continue;
            }
            if !roles.any() {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let raw: &'de RawValue = map.next_value()?;
            // A lone surrogate fails the line as it did when the whole line
            // was parsed into a `Value` (`"\ud800"`: "invalid JSON:
            // unexpected end of hex escape"); the column is the value's end.
            let field = Field::from_raw(raw).map_err(|e| de::Error::custom(message(&e)))?;
            fields.set(roles, field);
        }
        Ok(Parsed::Object(fields))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Parsed<'de>, A::Error> {
        // serde_json wants the whole array read, to check its syntax.
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Parsed::NotObject("array"))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Parsed<'de>, E> {
        Ok(Parsed::NotObject("string"))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Parsed<'de>, E> {
        Ok(Parsed::NotObject("boolean"))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Parsed<'de>, E> {
        Ok(Parsed::NotObject("number"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Parsed<'de>, E> {
        Ok(Parsed::NotObject("number"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Parsed<'de>, E> {
        Ok(Parsed::NotObject("number"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Parsed<'de>, E> {
        Ok(Parsed::NotObject("null"))
    }
}

/// The text field's value, read in one pass. It is most of a line's bytes,
/// and reading it as a [`RawValue`] first would scan it twice: on lines of
/// 3 KB, reading took 18 % more CPU time that way. A number there is never shown, only
/// named in `'text' is not a string (found number)`, so it is
/// [`Field::Other`].
struct Text(Field<'static>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

/// Reads [`Text`].
struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Text, E> {
        Ok(Text(Field::Str(text.to_string())))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Text, E> {
        Ok(Text(Field::Str(text)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
        Ok(Text(Field::Null))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Text, E> {
        Ok(Text(Field::Other("boolean")))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Text, E> {
        Ok(Text(Field::Other("number")))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Text, E> {
        Ok(Text(Field::Other("number")))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Text, E> {
        Ok(Text(Field::Other("number")))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Text, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Text(Field::Other("array")))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Text(Field::Other("object")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields of a line that must be an object.
    fn object<'a>(line: &'a str, opts: &ReadOptions) -> Fields<'a> {
        match parse(line, opts).unwrap() {
            Parsed::Object(fields) => fields,
            other => panic!("not an object: {other:?}"),
        }
    }

    #[test]
    fn each_field_by_its_type() {
        let line = r#"{"text": "a\nb", "id": 1.0e+2, "date": null, "title": [1, {"x": 2}], "other": {"id": 3}}"#;
        let want = Fields {
            text: Some(Field::Str("a\nb".into())),
            id: Some(Field::Number("1.0e+2")),
            date: Some(Field::Null),
            title: Some(Field::Other("array")),
        };
        assert_eq!(object(line, &ReadOptions::default()), want);
    }

    #[test]
    fn a_line_that_is_no_object_says_what_it_is() {
        for (line, kind) in
            [("[1, [2]]", "array"), ("\"s\"", "string"), ("-1.5", "number"), ("true", "boolean"), ("null", "null")]
        {
            assert_eq!(parse(line, &ReadOptions::default()).unwrap(), Parsed::NotObject(kind), "{line}");
        }
    }

    #[test]
    fn a_key_may_have_several_roles_but_the_text_field_only_one() {
        let opts = ReadOptions { text_field: "body".into(), id_field: "title".into(), date_field: "title".into() };
        let fields = object(r#"{"body": "b", "title": "t", "title": "last"}"#, &opts);
        let last = Some(Field::Str("last".into()));
        assert_eq!((fields.id, fields.date, fields.title), (last.clone(), last.clone(), last));
        let opts = ReadOptions { text_field: "id".into(), ..ReadOptions::default() };
        let fields = object(r#"{"id": "body"}"#, &opts);
        assert_eq!((fields.text, fields.id), (Some(Field::Str("body".into())), None));
    }

    #[test]
    fn the_text_field_is_a_string_or_a_kind() {
        let opts = ReadOptions::default();
        for (value, want) in [
            (r#""a \"quoted\" \u00e9""#, Field::Str("a \"quoted\" \u{e9}".into())),
            ("12345678901234567890123", Field::Other("number")),
            ("null", Field::Null),
            ("{\"text\": \"inner\"}", Field::Other("object")),
        ] {
            let line = format!("{{\"text\": {value}}}");
            assert_eq!(object(&line, &opts).text, Some(want), "{line}");
        }
    }

    #[test]
    fn keys_are_unescaped_and_whitespace_is_not_kept() {
        let fields = object("{ \"\\u0069d\" :\t 7 , \"text\":\"x\" }", &ReadOptions::default());
        assert_eq!(fields.id, Some(Field::Number("7")));
    }

    #[test]
    fn errors_are_serde_json_errors() {
        let e = parse("{\"text\": \"x\"} y", &ReadOptions::default()).unwrap_err();
        assert_eq!((message(&e).as_str(), e.column()), ("trailing characters", 15));
    }
}
