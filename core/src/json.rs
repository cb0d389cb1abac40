//! Reading JSON documents with the path of the bad value in the error
//! (`after.assignments[2].role`).
//!
//! A document is read once, without tracking where the reader is. Only when that fails is
//! the path recovered: serde_json puts the position where it stopped in every error, and a
//! scan of the text up to that position says which value it was reading. Tracking the path
//! during the reading instead (serde_path_to_error) wraps every deserializer of every type:
//! leaving it out took the WebAssembly module from 298 to 265 KB gzipped. The test
//! `paths_agree_with_serde_path_to_error` below checks both give the same paths.

use serde::Deserialize;

/// A document that could not be read: serde_json's error and the path of the value it was
/// reading, in serde_path_to_error's syntax (`a.b[2].c`; `.` for the document itself).
#[derive(Debug)]
pub(crate) struct JsonError {
    pub path: String,
    pub inner: serde_json::Error,
}

/// Whether serde_json stopped on malformed text (or its end) rather than on a value of the
/// wrong shape: such an error has a line and column but no value to name.
pub(crate) fn is_syntax(err: &serde_json::Error) -> bool {
    err.is_syntax() || err.is_eof() || err.is_io()
}

/// Reads one JSON document (and nothing after it) as a `T`.
pub(crate) fn read<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, JsonError> {
    serde_json::from_str(text).map_err(|inner| JsonError {
        path: path_of_error(text, &inner),
        inner,
    })
}

/// The path of the value serde_json was reading when it stopped with `err`.
fn path_of_error(text: &str, err: &serde_json::Error) -> String {
    let line_start = match err.line() {
        0 => return ".".into(),
        1 => 0,
        line => text
            .bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .nth(line - 2)
            .map_or(0, |(i, _)| i + 1),
    };
    // serde_json's column counts bytes from the start of the line to the next unread byte.
    let end = line_start + err.column();
    path_at(text, end.min(text.len()))
}

/// One segment of a path.
enum Segment {
    Key(String),
    Index(usize),
}

/// Where the reader is inside one object or array.
struct Frame {
    /// The key being read (objects) or the index of the element (arrays).
    slot: Option<Segment>,
    is_object: bool,
    /// Objects: a key was read and the colon after it was not.
    after_key: bool,
    /// The value of `slot` is complete.
    done: bool,
}

/// The path of the value being read when the reader stopped at byte `end`: the value that
/// ends there, or else the value about to start, or else the object or array it is in (a
/// key just read is the object's: an unknown variant; callers add an unknown field's name).
fn path_at(text: &str, end: usize) -> String {
    let (stack, completed_at) = scan(text, end);
    path_of_frames(&stack, completed_at, end)
}

/// Reads `text` up to byte `end`: the objects and arrays open there, innermost last, and
/// where the last complete value ended (`usize::MAX` when none did).
fn scan(text: &str, end: usize) -> (Vec<Frame>, usize) {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    // Where the last complete value ended.
    let mut completed_at = usize::MAX;
    let mut i = 0;
    while i < end {
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b':' => {
                if let Some(top) = stack.last_mut() {
                    top.after_key = false;
                }
                i += 1;
            }
            b'{' | b'[' => {
                stack.push(Frame {
                    slot: (b == b'[').then_some(Segment::Index(0)),
                    is_object: b == b'{',
                    after_key: false,
                    done: false,
                });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
                complete(&mut stack, &mut completed_at, i);
            }
            b',' => {
                if let Some(top) = stack.last_mut() {
                    top.slot = match top.slot.take() {
                        Some(Segment::Index(n)) => Some(Segment::Index(n + 1)),
                        _ => None,
                    };
                    top.done = false;
                }
                i += 1;
            }
            b'"' => {
                let close = string_end(bytes, i);
                let is_key = stack
                    .last()
                    .is_some_and(|f| f.is_object && f.slot.is_none());
                if is_key {
                    read_key(text.get(i..close).unwrap_or_default(), &mut stack);
                } else {
                    complete(&mut stack, &mut completed_at, close);
                }
                i = close;
            }
            _ => {
                // A number, true, false or null: up to the next delimiter.
                while bytes.get(i).is_some_and(|c| {
                    !matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                }) {
                    i += 1;
                }
                complete(&mut stack, &mut completed_at, i);
            }
        }
    }
    (stack, completed_at)
}

/// A key just read (`raw`, with its quotes): the slot of the innermost object.
fn read_key(raw: &str, stack: &mut [Frame]) {
    let key =
        serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.trim_matches('"').to_string());
    if let Some(top) = stack.last_mut() {
        top.slot = Some(Segment::Key(key));
        top.after_key = true;
    }
}

/// The path of the frames open when the reader stopped at `end`: every frame's slot, the
/// innermost one's only when its value is the one being read.
fn path_of_frames(stack: &[Frame], completed_at: usize, end: usize) -> String {
    let mut path = String::new();
    let depth = stack.len();
    for (n, frame) in stack.iter().enumerate() {
        let innermost = n + 1 == depth;
        let include = if !innermost {
            true
        } else if frame.done {
            // The value of this slot ended: it is the one being read only if it ended here.
            completed_at == end
        } else {
            // A value about to start (after a colon, `[` or a comma in an array), not a key
            // just read; after `{` or a comma in an object there is no slot.
            !frame.after_key
        };
        match (&frame.slot, include) {
            (Some(Segment::Key(k)), true) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            (Some(Segment::Index(n)), true) => {
                path.push('[');
                path.push_str(&n.to_string());
                path.push(']');
            }
            _ => {}
        }
    }
    if path.is_empty() {
        ".".into()
    } else {
        path
    }
}

/// A value ended at `at`: its slot is done.
fn complete(stack: &mut [Frame], completed_at: &mut usize, at: usize) {
    *completed_at = at;
    if let Some(top) = stack.last_mut() {
        top.done = true;
    }
}

/// The index after the closing quote of the string that starts at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// What went wrong reading a document, in the terms every error type of the crate uses: the
/// one conversion of serde_json's error, which `InputError`, `ProfileError` and `IngestError`
/// map variant for variant.
#[derive(Debug)]
pub(crate) enum Fault {
    /// Malformed text: where serde_json stopped, and the value it was in when it knows one.
    Syntax {
        line: usize,
        column: usize,
        message: String,
        path: Option<String>,
    },
    /// A value of the wrong shape: its path under the prefix (naming an unknown field itself).
    Shape { path: String, message: String },
}

impl JsonError {
    /// The fault, its path under `prefix` (`after`, `[1]`, or empty).
    pub fn fault(&self, prefix: &str) -> Fault {
        fault(&self.inner, &self.path, prefix)
    }
}

/// The fault of serde_json's error `inner`, met at `path`, under `prefix`.
pub(crate) fn fault(inner: &serde_json::Error, path: &str, prefix: &str) -> Fault {
    let message = strip_position(&inner.to_string());
    if is_syntax(inner) {
        let path = join_path(prefix, path);
        return Fault::Syntax {
            line: inner.line(),
            column: inner.column(),
            message,
            path: (path != ".").then_some(path),
        };
    }
    Fault::Shape {
        path: with_unknown_field(join_path(prefix, path), &message),
        message,
    }
}

/// Joins a prefix (`after`, `[1]`, or empty) and a path inside it (`assignments[2].role`,
/// or `.` for the whole value): the crate's one path joiner.
pub(crate) fn join_path(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty() || path == ".") {
        (true, true) => ".".to_string(),
        (true, false) => path.to_string(),
        (false, true) => prefix.to_string(),
        (false, false) if path.starts_with('[') => format!("{prefix}{path}"),
        (false, false) => format!("{prefix}.{path}"),
    }
}

/// serde reports an unknown field at its parent object; the path should name the field.
pub(crate) fn with_unknown_field(path: String, message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return path;
    };
    match rest.split_once('`') {
        Some((field, _)) if path == field || path.ends_with(&format!(".{field}")) => path,
        Some((field, _)) if path == "." => field.to_string(),
        Some((field, _)) => format!("{path}.{field}"),
        None => path,
    }
}

/// serde_json appends " at line L column C" to its messages; the path says more.
pub(crate) fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        name: String,
        items: Vec<Item>,
    }
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        role: String,
        n: Option<u32>,
    }

    fn path(text: &str) -> String {
        read::<Doc>(text).unwrap_err().path
    }

    #[test]
    fn paths_name_the_bad_value() {
        assert_eq!(path(r#"{"name": 5, "items": []}"#), "name");
        assert_eq!(
            path(r#"{"name": "a", "items": [{"role": "x"}, {"role": 5}]}"#),
            "items[1].role"
        );
        assert_eq!(
            path(r#"{"name": "a", "items": [{"role": "x"}, {"role": {"a": 1}}]}"#),
            "items[1].role"
        );
        assert_eq!(
            path(r#"{"name":"a","items":[{"role":"x"},{"n":1}]}"#),
            "items[1]"
        );
        assert_eq!(
            path(r#"{"name":"a","items":[{"role":"x","zz":1}]}"#),
            "items[0]"
        );
        assert_eq!(path(r#"{"name":"a"}"#), ".");
        assert_eq!(path("{\"name\":\"a\"}\n"), ".");
        assert_eq!(
            path(r#"{"name":"a","items":[{"role":"x","n":-1}]}"#),
            "items[0].n"
        );
        assert_eq!(path(r#"{"name":"a","items":5}"#), "items");
        assert_eq!(path(r#"{"na\"me":"a"}"#), ".");
        assert_eq!(path("[]"), ".");
    }

    /// A document of some type `T`, and the same check run on it by serde_path_to_error.
    type Check = fn(&str) -> Option<(Result<(), String>, Result<(), String>)>;

    fn compare<T: serde::de::DeserializeOwned>(
        text: &str,
    ) -> Option<(Result<(), String>, Result<(), String>)> {
        let ours = read::<T>(text).map(|_| ()).map_err(|e| {
            let m = e.inner.to_string();
            if is_syntax(&e.inner) {
                format!("syntax {m}")
            } else {
                format!("{} | {m}", with_unknown_field(e.path, &m))
            }
        });
        let mut de = serde_json::Deserializer::from_str(text);
        let theirs = serde_path_to_error::deserialize::<_, T>(&mut de)
            .map_err(|e| {
                let path = e.path().to_string();
                let inner = e.into_inner();
                let m = inner.to_string();
                if inner.is_syntax() || inner.is_eof() {
                    format!("syntax {m}")
                } else {
                    format!("{} | {m}", with_unknown_field(path, &m))
                }
            })
            .and_then(|_| de.end().map_err(|e| format!("syntax {e}")));
        Some((ours, theirs.map(|_| ())))
    }

    /// Every value of the document, replaced by one of another type; every object, with an
    /// unknown field added, and with each of its fields misspelt and removed.
    fn mutants(doc: &serde_json::Value) -> Vec<serde_json::Value> {
        use serde_json::{json, Value};
        fn walk(v: &Value, at: &mut Vec<PathStep>, out: &mut Vec<(Vec<PathStep>, Value)>) {
            let wrong = match v {
                Value::String(_) => json!(7),
                Value::Number(_) => json!("seven"),
                Value::Bool(_) => json!([]),
                Value::Null => json!({"x": 1}),
                Value::Array(_) => json!({"not": "a list"}),
                Value::Object(_) => json!(["not", "an object"]),
            };
            out.push((at.clone(), wrong));
            match v {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        at.push(PathStep::Index(i));
                        walk(item, at, out);
                        at.pop();
                    }
                }
                Value::Object(map) => {
                    let mut added = map.clone();
                    added.insert("zz_unknown".into(), json!(1));
                    out.push((at.clone(), Value::Object(added)));
                    for key in map.keys() {
                        // Misspelt: an unknown field, or an unknown variant of an enum.
                        let renamed: serde_json::Map<String, Value> = map
                            .iter()
                            .map(|(k, v)| {
                                (
                                    if k == key { format!("{k}z") } else { k.clone() },
                                    v.clone(),
                                )
                            })
                            .collect();
                        out.push((at.clone(), Value::Object(renamed)));
                        let mut removed = map.clone();
                        removed.shift_remove(key);
                        out.push((at.clone(), Value::Object(removed)));
                        at.push(PathStep::Key(key.clone()));
                        walk(&map[key], at, out);
                        at.pop();
                    }
                }
                _ => {}
            }
        }
        let mut edits = Vec::new();
        walk(doc, &mut Vec::new(), &mut edits);
        edits
            .into_iter()
            .map(|(at, replacement)| {
                let mut d = doc.clone();
                let mut slot = &mut d;
                for step in &at {
                    slot = match step {
                        PathStep::Index(i) => &mut slot[*i],
                        PathStep::Key(k) => &mut slot[k.as_str()],
                    };
                }
                *slot = replacement;
                d
            })
            .collect()
    }

    #[derive(Clone)]
    enum PathStep {
        Index(usize),
        Key(String),
    }

    /// The paths recovered from the error position are serde_path_to_error's, on every
    /// mutant of every vector's documents and of the built-in profiles, written compact, pretty
    /// and with a trailing newline.
    #[test]
    fn paths_agree_with_serde_path_to_error() {
        use crate::model::{Change, Directory, User};
        use crate::profile::ProfileDoc;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut docs: Vec<serde_json::Value> = Vec::new();
        for entry in std::fs::read_dir(root.join("../tests/vectors")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).unwrap();
                let vectors: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
                for v in vectors {
                    docs.push(v["input"].clone());
                    docs.push(v["directory"].clone());
                }
            }
        }
        for id in ["dv360", "mediamath"] {
            let text = std::fs::read_to_string(root.join(format!("profiles/{id}.json"))).unwrap();
            docs.push(serde_json::from_str(&text).unwrap());
        }
        let checks: [(&str, Check); 4] = [
            ("change", compare::<Change>),
            ("user", compare::<User>),
            ("directory", compare::<Directory>),
            ("profile", compare::<ProfileDoc>),
        ];
        let (mut compared, mut failed) = (0, Vec::new());
        // Many vectors share a directory: each document once.
        let mut seen = std::collections::HashSet::new();
        docs.retain(|d| d.is_object() && seen.insert(d.to_string()));
        for doc in &docs {
            let original = doc.to_string();
            // Only the types the document is (without errors) are mutated as that type.
            for (name, check) in checks
                .iter()
                .filter(|(_, c)| matches!(c(&original), Some((Ok(()), _))))
            {
                // A large document (a whole profile): a sample of its mutants.
                let step = 1 + original.len() / 4000;
                for mutant in mutants(doc).into_iter().step_by(step) {
                    let texts = [
                        mutant.to_string(),
                        serde_json::to_string_pretty(&mutant).unwrap(),
                        format!("{mutant}\n"),
                    ];
                    for text in texts {
                        let Some((ours, theirs)) = check(&text) else {
                            continue;
                        };
                        compared += 1;
                        if ours != theirs && failed.len() < 20 {
                            failed.push(format!(
                                "{name}: {text}\n  ours:   {ours:?}\n  theirs: {theirs:?}"
                            ));
                        }
                    }
                }
            }
        }
        eprintln!("{compared} documents compared");
        assert!(compared > 10_000, "only {compared} documents compared");
        assert!(
            failed.is_empty(),
            "{} of {compared} differ:\n{}",
            failed.len(),
            failed.join("\n")
        );
    }
}

#[cfg(test)]
mod join_tests {
    use super::join_path;

    #[test]
    fn one_joiner_for_every_path() {
        assert_eq!(
            join_path("after", "assignments[2].role"),
            "after.assignments[2].role"
        );
        assert_eq!(join_path("[1]", "users[3].email"), "[1].users[3].email");
        assert_eq!(join_path("new", "[0].assignments"), "new[0].assignments");
        assert_eq!(join_path("", "row[4].role"), "row[4].role");
        // An empty or whole-document rest names the prefix itself, never `prefix.`.
        assert_eq!(join_path("line[3]", "."), "line[3]");
        assert_eq!(join_path("old", ""), "old");
        assert_eq!(join_path("", ""), ".");
    }
}
