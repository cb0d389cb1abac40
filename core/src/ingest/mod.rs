//! Reading a seat's export for the access review: the Display & Video 360 `users.list`
//! response, a CSV with one row per assignment, the MediaMath T1 permissions document, or a
//! JSON array of users in this crate's own shape.
//!
//! [`read_export`] tells the formats apart by their content, never by a file name:
//!
//! | the bytes (after an optional UTF-8 byte order mark) | format |
//! |---|---|
//! | not UTF-8 | `ingest.encoding` error, with the byte offset |
//! | nothing but white space | `ingest.empty` error |
//! | a JSON object with `users` or `nextPageToken`, or an array of such pages | [`ExportFormat::Dv360UsersList`] |
//! | a JSON array of bare DV360 users (`userId`, `assignedUserRoles`, `displayName`, `lastLoginTime`) | [`ExportFormat::Dv360UsersList`] |
//! | a JSON object whose `data` has `permissions`, or an array of such documents | [`ExportFormat::T1Permissions`] |
//! | a JSON array of objects with `assignments` or `id`, or `[]` | [`ExportFormat::Users`] |
//! | text whose first line is a CSV header with a `user_id` column | [`ExportFormat::Csv`] |
//! | malformed JSON (starts with `{` or `[`) that says nothing of its format | `ingest.syntax` |
//! | anything else | `ingest.unknown_format` |
//!
//! Detection only reads as far as the first telling key, so it costs nothing on a large
//! export; the reader then parses the whole document.
//!
//! Every error names where the problem is: JSON paths (recovered by `crate::json`)
//! (`[1].users[3].assignedUserRoles[0].userRole`), and for CSV `row[N].column`, where rows are
//! numbered from 1 with the header as row 1, as a spreadsheet shows them.

mod csv;
mod dv360;
#[cfg(not(target_arch = "wasm32"))]
mod stream;
mod t1;

use std::borrow::Cow;
use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::AdaccessError;
use crate::json::{strip_position, Fault};
use crate::model::{Directory, User};
use crate::profile::Profile;

pub use self::csv::read_csv;
pub use self::dv360::read_dv360_users;
#[cfg(not(target_arch = "wasm32"))]
pub use self::stream::{peek_file, peek_format, stream_export, Source, Stop, UserSink};
pub use self::t1::read_t1;

/// The formats [`read_export`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// The Display & Video 360 API `users.list` response: one page or a JSON array of pages.
    Dv360UsersList,
    /// CSV, one row per assignment: `user_id,email,name,level,entity_id,role[,toggles...]`.
    Csv,
    /// The MediaMath T1 user permissions document, or a JSON array of them.
    T1Permissions,
    /// A JSON array of users in this crate's own shape.
    Users,
}

impl ExportFormat {
    /// The `snake_case` name (`dv360_users_list`).
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Dv360UsersList => "dv360_users_list",
            ExportFormat::Csv => "csv",
            ExportFormat::T1Permissions => "t1_permissions",
            ExportFormat::Users => "users",
        }
    }

    /// A name for people (`DV360 users.list`).
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Dv360UsersList => "DV360 users.list",
            ExportFormat::Csv => "CSV",
            ExportFormat::T1Permissions => "MediaMath T1 permissions",
            ExportFormat::Users => "users array",
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The users of a seat read from an export, and its entity tree when the export carries one
/// (T1 permissions list the organizations, agencies and advertisers with their parents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Export {
    pub format: ExportFormat,
    pub users: Vec<User>,
    pub directory: Option<Directory>,
}

/// Reading an export.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    #[error("the export is not UTF-8 text: invalid byte at offset {offset} (line {line}){hint}")]
    Encoding {
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// 1-based line of that byte.
        line: usize,
        hint: String,
    },
    #[error("the export is empty")]
    Empty,
    #[error("{message}")]
    UnknownFormat { message: String },
    #[error("malformed JSON at line {line} column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
        /// Where the parser was when it stopped, when inside the document.
        path: Option<String>,
    },
    #[error("`{path}`: {message}")]
    Invalid { path: String, message: String },
    #[error("`{path}`: {message}")]
    UnknownRole {
        path: String,
        /// The role as the export wrote it.
        value: String,
        message: String,
    },
    #[error("row {row} (the header is row 1){}: {message}", column.as_ref().map(|c| format!(", column `{c}`")).unwrap_or_default())]
    Csv {
        /// 1-based, the header being row 1.
        row: usize,
        column: Option<String>,
        message: String,
        path: String,
    },
    #[error("unknown column `{column}` in the CSV header: {message}")]
    UnknownColumn {
        column: String,
        message: String,
        path: String,
    },
    #[error("the CSV header has no `{column}` column: {message}")]
    MissingColumn {
        column: String,
        message: String,
        path: String,
    },
}

crate::error::coded_variants!(IngestError {
    Encoding => "ingest.encoding",
    Empty => "ingest.empty",
    UnknownFormat => "ingest.unknown_format",
    Syntax => "ingest.syntax",
    Invalid => "ingest.invalid",
    UnknownRole => "ingest.unknown_role",
    Csv => "ingest.csv",
    UnknownColumn => "ingest.unknown_column",
    MissingColumn => "ingest.missing_column",
});

impl AdaccessError for IngestError {
    fn code(&self) -> &'static str {
        self.variant_code()
    }

    fn path(&self) -> Option<&str> {
        match self {
            IngestError::Encoding { .. }
            | IngestError::Empty
            | IngestError::UnknownFormat { .. } => None,
            IngestError::Syntax { path, .. } => path.as_deref(),
            IngestError::Invalid { path, .. }
            | IngestError::UnknownRole { path, .. }
            | IngestError::Csv { path, .. }
            | IngestError::UnknownColumn { path, .. }
            | IngestError::MissingColumn { path, .. } => Some(path),
        }
    }
}

impl IngestError {
    pub(crate) fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        IngestError::Invalid {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Reads an export, detecting its format from the content (see the [module](self) docs).
pub fn read_export(profile: &Profile, bytes: &[u8]) -> Result<Export, IngestError> {
    let text = decode(bytes)?;
    let body = text.trim_start();
    if body.is_empty() {
        return Err(IngestError::Empty);
    }
    if !(body.starts_with('{') || body.starts_with('[')) {
        if csv::looks_like_header(body) {
            return Ok(Export {
                format: ExportFormat::Csv,
                users: csv::read_csv_text(profile, text)?,
                directory: None,
            });
        }
        return Err(IngestError::UnknownFormat {
            message: "the export is neither JSON (a DV360 users.list, a T1 permissions document \
                      or an array of users) nor a CSV whose header has a `user_id` column"
                .into(),
        });
    }
    let sniff = sniff(body);
    match sniff.shape {
        Some(Shape::Dv360 { bare }) => Ok(Export {
            format: ExportFormat::Dv360UsersList,
            users: dv360::read(profile, body, bare)?,
            directory: None,
        }),
        Some(Shape::T1) => read_t1(profile, body),
        Some(Shape::Users) => Ok(Export {
            format: ExportFormat::Users,
            users: read_users(body)?,
            directory: None,
        }),
        None => Err(unknown_json(body, &sniff)),
    }
}

/// Reads a JSON array of users in this crate's own shape (§2.3 of the spec).
pub fn read_users(text: &str) -> Result<Vec<User>, IngestError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(IngestError::Empty);
    }
    parse_json(text)
}

/// Checks the bytes are UTF-8 and drops a byte order mark.
pub(crate) fn decode(bytes: &[u8]) -> Result<&str, IngestError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let line = 1 + bytes
            .get(..offset)
            .map_or(0, |b| b.iter().filter(|c| **c == b'\n').count());
        let hint = if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
            ": it looks like UTF-16; save it as UTF-8"
        } else if e.error_len().is_none() {
            ": the text ends in the middle of a character"
        } else {
            ""
        };
        IngestError::Encoding {
            offset,
            line,
            hint: hint.to_string(),
        }
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// Parses JSON; an error names the path of the bad value.
pub(crate) fn parse_json<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, IngestError> {
    crate::json::read(text).map_err(|e| from_json_error(&e.inner, &e.path))
}

pub(crate) fn from_json_error(inner: &serde_json::Error, path: &str) -> IngestError {
    match crate::json::fault(inner, path, "") {
        Fault::Syntax {
            line,
            column,
            message,
            path,
        } => IngestError::Syntax {
            line,
            column,
            message,
            path,
        },
        Fault::Shape { path, message } => IngestError::Invalid { path, message },
    }
}

fn syntax_error(err: &serde_json::Error, path: Option<String>) -> IngestError {
    IngestError::Syntax {
        line: err.line(),
        column: err.column(),
        message: strip_position(&err.to_string()),
        path,
    }
}

/// Builds a path from a prefix (`[1]` or empty) and the rest (`users[3].email`): the crate's
/// one path joiner.
pub(crate) use crate::json::join_path as join;

/// A JSON string, borrowed from the input when it has no escapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Text<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor { numbers: false })
    }
}

/// An id: a JSON string, or an integer (T1 writes ids as numbers, DV360 as strings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Id<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Id<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(TextVisitor { numbers: true })
            .map(|t| Id(t.0))
    }
}

struct TextVisitor {
    numbers: bool,
}

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.numbers {
            "a string or an integer id"
        } else {
            "a string"
        })
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(v.to_string())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        if self.numbers {
            Ok(Text(Cow::Owned(v.to_string())))
        } else {
            Err(E::invalid_type(de::Unexpected::Unsigned(v), &self))
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        if self.numbers {
            Ok(Text(Cow::Owned(v.to_string())))
        } else {
            Err(E::invalid_type(de::Unexpected::Signed(v), &self))
        }
    }
}

/// Any JSON scalar, kept as text when it is a string (T1 flag values mix strings and 0/1).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar<'a> {
    Str(Cow<'a, str>),
    Other(String),
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, a number or a boolean")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Owned(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Scalar::Other(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Scalar::Other(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Scalar::Other(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Scalar::Other(v.to_string()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// What the first telling key of a JSON export says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `bare`: a JSON array of users rather than of pages.
    Dv360 {
        bare: bool,
    },
    T1,
    Users,
}

#[derive(Debug, Default)]
pub(crate) struct Sniff {
    pub shape: Option<Shape>,
    /// The keys seen before giving up, for the error message.
    keys: Vec<String>,
    /// The top-level value is an array.
    array: bool,
    /// The first element of the array is not an object.
    not_objects: bool,
}

/// The error a sniffing visitor returns to stop reading once it knows the format.
const STOP: &str = "adaccess: format detected";

/// Reads as little of a JSON document as it takes to tell its format.
pub(crate) fn sniff(text: &str) -> Sniff {
    let mut out = Sniff::default();
    let mut de = serde_json::Deserializer::from_str(text);
    // The result is only an early stop or a syntax error; `out` holds what was learnt.
    let _ = de.deserialize_any(TopVisitor { out: &mut out });
    out
}

fn unknown_json(text: &str, sniff: &Sniff) -> IngestError {
    if let Err(e) = serde_json::from_str::<IgnoredAny>(text) {
        if e.is_syntax() || e.is_eof() {
            return syntax_error(&e, None);
        }
    }
    let keys = if sniff.keys.is_empty() {
        "no keys".to_string()
    } else {
        sniff
            .keys
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let what = match (sniff.array, sniff.not_objects) {
        (true, true) => "a JSON array whose elements are not objects".to_string(),
        (true, false) => format!("a JSON array of objects with {keys}"),
        (false, _) => format!("a JSON object with {keys}"),
    };
    IngestError::UnknownFormat {
        message: format!(
            "{what} is not an export: expected a DV360 users.list (`users`, or an array of \
             pages), a T1 permissions document (`data.permissions`) or an array of users \
             (`id`, `assignments`)"
        ),
    }
}

struct TopVisitor<'s> {
    out: &'s mut Sniff,
}

impl<'de> Visitor<'de> for TopVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object or array")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        scan_object(map, self.out, false)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.out.array = true;
        if seq
            .next_element_seed(FirstElement { out: self.out })?
            .is_none()
        {
            // `[]`: no users, whatever the format was meant to be.
            self.out.shape = Some(Shape::Users);
        }
        Err(de::Error::custom(STOP))
    }
}

fn scan_object<'de, A: MapAccess<'de>>(
    mut map: A,
    out: &mut Sniff,
    in_array: bool,
) -> Result<(), A::Error> {
    while let Some(key) = map.next_key::<Text>()? {
        let shape = match key.0.as_ref() {
            "users" | "nextPageToken" => Some(Shape::Dv360 { bare: false }),
            "userId" | "assignedUserRoles" | "displayName" | "lastLoginTime" if in_array => {
                Some(Shape::Dv360 { bare: true })
            }
            "assignments" | "id" if in_array => Some(Shape::Users),
            "data" => {
                map.next_value_seed(HasPermissions { out: &mut *out })?;
                if out.shape.is_some() {
                    return Err(de::Error::custom(STOP));
                }
                None
            }
            _ => {
                map.next_value::<IgnoredAny>()?;
                None
            }
        };
        if let Some(shape) = shape {
            out.shape = Some(shape);
            return Err(de::Error::custom(STOP));
        }
        if out.keys.len() < 8 {
            out.keys.push(key.0.into_owned());
        }
    }
    Ok(())
}

/// The first element of a top-level array.
struct FirstElement<'s> {
    out: &'s mut Sniff,
}

impl<'de> DeserializeSeed<'de> for FirstElement<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FirstElement<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        scan_object(map, self.out, true)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        self.out.not_objects = true;
        Err(de::Error::custom(STOP))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.out.not_objects = true;
        Err(E::custom(STOP))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.out.not_objects = true;
        Err(E::custom(STOP))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.out.not_objects = true;
        Err(E::custom(STOP))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.out.not_objects = true;
        Err(E::custom(STOP))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.out.not_objects = true;
        Err(E::custom(STOP))
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.out.not_objects = true;
        Err(E::custom(STOP))
    }
}

/// Is the value of `data` an object with `permissions` (a T1 document)?
struct HasPermissions<'s> {
    out: &'s mut Sniff,
}

impl<'de> DeserializeSeed<'de> for HasPermissions<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for HasPermissions<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Text>()? {
            if key.0 == "permissions" {
                self.out.shape = Some(Shape::T1);
                return Err(de::Error::custom(STOP));
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(text: &str) -> Option<Shape> {
        sniff(text).shape
    }

    #[test]
    fn sniffs_each_shape_from_its_first_telling_key() {
        assert_eq!(
            shape(r#"{"users": [], "nextPageToken": "x"}"#),
            Some(Shape::Dv360 { bare: false })
        );
        assert_eq!(
            shape(r#"[{"nextPageToken": "x", "users": []}, {}]"#),
            Some(Shape::Dv360 { bare: false })
        );
        assert_eq!(
            shape(r#"[{"name": "users/1", "userId": "1"}]"#),
            Some(Shape::Dv360 { bare: true })
        );
        assert_eq!(
            shape(r#"{"meta": {"status": "ok"}, "data": {"user": {}, "permissions": {}}}"#),
            Some(Shape::T1)
        );
        assert_eq!(shape(r#"[{"data": {"permissions": 1}}]"#), Some(Shape::T1));
        assert_eq!(shape(r#"{"data": [1, 2], "meta": 1}"#), None);
        assert_eq!(
            shape(r#"{"data": "x", "users": []}"#),
            Some(Shape::Dv360 { bare: false })
        );
        assert_eq!(shape(r#"[{"id": "u-1"}]"#), Some(Shape::Users));
        assert_eq!(shape("[]"), Some(Shape::Users));
        assert_eq!(shape("[1]"), None);
        // Truncated after the telling key: the reader reports the syntax error.
        assert_eq!(shape(r#"{"users": [{"#), Some(Shape::Dv360 { bare: false }));
    }

    #[test]
    fn ids_accept_numbers_and_strings_and_text_borrows() {
        let id: Vec<Id> = serde_json::from_str(r#"["7", 8, -9]"#).unwrap_or_default();
        assert_eq!(
            id.iter().map(|i| i.0.as_ref()).collect::<Vec<_>>(),
            ["7", "8", "-9"]
        );
        let t: Result<Text, _> = serde_json::from_str(r#""plain""#);
        assert!(matches!(t, Ok(Text(Cow::Borrowed("plain")))));
        let t: Result<Text, _> = serde_json::from_str("3");
        assert!(t.is_err());
    }

    #[test]
    fn join_paths() {
        assert_eq!(join("", "users[3]"), "users[3]");
        assert_eq!(join("[1]", "users[3]"), "[1].users[3]");
        assert_eq!(join("[1]", "[2]"), "[1][2]");
    }
}
