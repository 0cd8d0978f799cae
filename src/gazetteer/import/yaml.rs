//! A small YAML tree with line numbers, for dictionaries.
//!
//! The YAML parser is saphyr-parser: the maintained, pure-Rust YAML 1.2
//! parser of the saphyr project (the successor of yaml-rust/yaml-rust2), chosen
//! over serde_yaml, which is archived and deprecated, and over its forks of
//! uncertain upkeep. Its event stream carries the line of every scalar, which
//! `file:line` messages need and a serde tree would lose. YAML 1.2 also keeps
//! `NO` (Norway) a string, where YAML 1.1 readers turn it into `false`.

use saphyr_parser::{Event, Parser, ScalarStyle};

/// Dictionaries nest a few levels (continent, region, country); deeper input
/// is refused rather than walked, so no input can exhaust the stack.
const MAX_DEPTH: usize = 64;

/// A YAML node with the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    /// A scalar; `None` for a null (`~`, `null` or nothing, unquoted).
    Scalar { value: Option<String>, line: usize },
    /// A sequence.
    Seq { items: Vec<Node>, line: usize },
    /// A mapping whose keys are scalars, in file order.
    Map { entries: Vec<(Key, Node)>, line: usize },
}

impl Node {
    /// The line the node starts on.
    pub(super) fn line(&self) -> usize {
        match self {
            Node::Scalar { line, .. } | Node::Seq { line, .. } | Node::Map { line, .. } => *line,
        }
    }
}

/// A mapping key.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Key {
    /// Its text.
    pub(super) text: String,
    /// Its line.
    pub(super) line: usize,
}

/// A collection being built.
enum Frame {
    Seq(Vec<Node>, usize),
    Map(Vec<(Key, Node)>, Option<Key>, usize),
}

/// A problem: `(line, message)`.
pub(super) type YamlError = (usize, String);

/// Parses one YAML document into a tree; `None` for an empty stream.
pub(super) fn parse(text: &str) -> Result<Option<Node>, YamlError> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| (e.marker().line(), format!("not valid YAML: {}", e.info())))?;
        let line = span.start.line();
        let node = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err((line, "holds several YAML documents; a dictionary is one".to_string()));
                }
                continue;
            }
            Event::Alias(_) => {
                return Err((line, "YAML aliases (*name) are not supported in dictionaries".to_string()));
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err((line, format!("nested deeper than {MAX_DEPTH} levels")));
                }
                stack.push(match event {
                    Event::SequenceStart(..) => Frame::Seq(Vec::new(), line),
                    _ => Frame::Map(Vec::new(), None, line),
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq(items, line)) => Node::Seq { items, line },
                Some(Frame::Map(entries, _, line)) => Node::Map { entries, line },
                None => return Err((line, "unbalanced YAML".to_string())),
            },
            Event::Scalar(value, style, _, _) => {
                let null = style == ScalarStyle::Plain && matches!(value.as_ref(), "" | "~" | "null" | "Null" | "NULL");
                Node::Scalar { value: (!null).then(|| value.into_owned()), line }
            }
            _ => continue,
        };
        attach(&mut stack, &mut root, node)?;
    }
    Ok(root)
}

/// Puts a finished node into the collection being built, or makes it the root.
fn attach(stack: &mut [Frame], root: &mut Option<Node>, node: Node) -> Result<(), YamlError> {
    match stack.last_mut() {
        None => *root = Some(node),
        Some(Frame::Seq(items, _)) => items.push(node),
        Some(Frame::Map(entries, pending, _)) => match pending.take() {
            Some(key) => {
                if let Some((first, _)) = entries.iter().find(|(k, _)| k.text == key.text) {
                    return Err((key.line, format!("key '{}' appears twice (first at line {})", key.text, first.line)));
                }
                entries.push((key, node));
            }
            None => match node {
                Node::Scalar { value, line } => *pending = Some(Key { text: value.unwrap_or_default(), line }),
                other => return Err((other.line(), "a key must be a plain string".to_string())),
            },
        },
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(value: &str, line: usize) -> Node {
        Node::Scalar { value: Some(value.to_string()), line }
    }

    #[test]
    fn a_nested_dictionary_keeps_its_lines() {
        let tree = parse("# c\nA:\n  'NO': [Norway, Oslo]\n  B:\n    - x y\n    - ~\n").unwrap().unwrap();
        let Node::Map { entries, .. } = tree else { panic!("{tree:?}") };
        assert_eq!(entries[0].0, Key { text: "A".into(), line: 2 });
        let Node::Map { entries: inner, .. } = &entries[0].1 else { panic!() };
        assert_eq!(inner[0].0.text, "NO");
        assert_eq!(inner[0].1, Node::Seq { items: vec![scalar("Norway", 3), scalar("Oslo", 3)], line: 3 });
        assert_eq!(
            inner[1].1,
            Node::Seq { items: vec![scalar("x y", 5), Node::Scalar { value: None, line: 6 }], line: 5 }
        );
    }

    #[test]
    fn problems_name_their_line() {
        assert_eq!(parse("a: [b\n").unwrap_err().0, 2);
        assert_eq!(
            parse("a: 1\nb: 2\na: 3\n").unwrap_err(),
            (3, "key 'a' appears twice (first at line 1)".to_string())
        );
        assert_eq!(parse("a: &x [b]\nc: *x\n").unwrap_err().0, 2);
        assert_eq!(parse("a: [b]\n---\nc: [d]\n").unwrap_err().0, 2);
        assert!(parse(&"[".repeat(100)).unwrap_err().1.contains("deeper"));
        assert_eq!(parse("").unwrap(), None);
    }
}
