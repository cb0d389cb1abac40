//! One error enum per fallible operation. Every variant has a stable `code` and, where the
//! problem sits inside a document, the `path` of the offending value.

use schemars::JsonSchema;
use serde::Serialize;

use crate::json::{join_path, Fault};

/// The same `{code, message, path, problems}` shape reaches Rust, JS and Python callers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ErrorInfo {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Every problem, when there are several (profile checks).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

impl ErrorInfo {
    /// An error with a code and a message, and no path.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ErrorInfo {
            code: code.into(),
            message: message.into(),
            path: None,
            problems: Vec::new(),
        }
    }

    /// The same error, naming the bad value.
    pub fn at(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
}

/// One problem found while checking a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Problem {
    pub code: String,
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} [{}]", self.path, self.message, self.code)
    }
}

/// Implemented by every error enum of the crate.
pub trait AdaccessError: std::error::Error {
    /// A stable dot-case code (`input.syntax`).
    fn code(&self) -> &'static str;
    /// Path of the offending value inside its document, when there is one.
    fn path(&self) -> Option<&str>;
    fn problems(&self) -> &[Problem] {
        &[]
    }
    fn info(&self) -> ErrorInfo {
        ErrorInfo {
            code: self.code().to_string(),
            message: self.to_string(),
            path: self.path().map(str::to_string),
            problems: self.problems().to_vec(),
        }
    }
}

/// Declares the stable code of each variant of an error enum once: `CODES` (every code the
/// type can carry) and the `code()` of [`AdaccessError`] both come from this table, and the
/// `match` it expands to is exhaustive, so a variant added without a code does not compile
/// and a code cannot be left out of the list.
macro_rules! coded_variants {
    ($ty:ident { $($variant:ident => $code:literal,)+ }) => {
        impl $ty {
            /// Every error code this type can carry.
            pub const CODES: &'static [&'static str] = &[$($code),+];

            fn variant_code(&self) -> &'static str {
                match self {
                    $($ty::$variant { .. } => $code,)+
                }
            }
        }
    };
}
pub(crate) use coded_variants;

/// Loading a profile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("no built-in profile `{id}` (built-in: {known})")]
    Unknown { id: String, known: String },
    #[error("profile is not valid JSON at line {line} column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("`{path}`: {message}")]
    Shape { path: String, message: String },
    #[error("profile has {} problem(s), first: {}", problems.len(), problems.first().map(|p| p.to_string()).unwrap_or_default())]
    Invalid { problems: Vec<Problem> },
}

crate::error::coded_variants!(ProfileError {
    Unknown => "profile.unknown",
    Syntax => "profile.syntax",
    Shape => "profile.shape",
    Invalid => "profile.invalid",
});

impl AdaccessError for ProfileError {
    fn code(&self) -> &'static str {
        self.variant_code()
    }
    fn path(&self) -> Option<&str> {
        match self {
            ProfileError::Unknown { .. } => None,
            ProfileError::Syntax { .. } => None,
            ProfileError::Shape { path, .. } => Some(path),
            ProfileError::Invalid { problems } => problems.first().map(|p| p.path.as_str()),
        }
    }
    fn problems(&self) -> &[Problem] {
        match self {
            ProfileError::Invalid { problems } => problems,
            _ => &[],
        }
    }
}

/// What a profile check can find wrong (the problems of `ProfileError::Invalid`, and the
/// citation problems `adaccess check-profile` reports), one stable code each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileProblem {
    /// A rule's `when` is not a predicate the engine knows, or misuses one.
    BadPredicate,
    /// A citation or a listed document is malformed.
    BadSource,
    /// A capability's access levels are missing or repeated.
    CapabilityLevels,
    /// Two items of one list share an id.
    DuplicateId,
    /// An approval group names no approver kind.
    EmptyApprovalGroup,
    /// An item has an empty id.
    EmptyId,
    /// The profile has no scope level.
    NoLevels,
    /// A role may be assigned at no level, or at one the profile does not have.
    RoleLevels,
    /// The profile has more scope levels than the engine supports.
    TooManyLevels,
    /// A grant or match names an access level its capability does not have.
    UnknownAccessLevel,
    /// A rule asks for an approval kind the profile does not list.
    UnknownApproval,
    /// `extends` names a profile that is not built in.
    UnknownBase,
    /// A capability id the profile does not define.
    UnknownCapability,
    /// A citation names a document the profile does not list.
    UnknownDocument,
    /// A source is given for a fact the profile does not state.
    UnknownFact,
    /// A role names a family the profile does not define.
    UnknownFamily,
    /// A scope level the profile does not define.
    UnknownLevel,
    /// A role id the profile does not define.
    UnknownRole,
    /// An override names a rule the profile does not have.
    UnknownRule,
    /// A citation names a section its document does not have.
    UnknownSection,
    /// A toggle id the profile does not define.
    UnknownToggle,
}

crate::error::coded_variants!(ProfileProblem {
    BadPredicate => "profile.bad_predicate",
    BadSource => "profile.bad_source",
    CapabilityLevels => "profile.capability_levels",
    DuplicateId => "profile.duplicate_id",
    EmptyApprovalGroup => "profile.empty_approval_group",
    EmptyId => "profile.empty_id",
    NoLevels => "profile.no_levels",
    RoleLevels => "profile.role_levels",
    TooManyLevels => "profile.too_many_levels",
    UnknownAccessLevel => "profile.unknown_access_level",
    UnknownApproval => "profile.unknown_approval",
    UnknownBase => "profile.unknown_base",
    UnknownCapability => "profile.unknown_capability",
    UnknownDocument => "profile.unknown_document",
    UnknownFact => "profile.unknown_fact",
    UnknownFamily => "profile.unknown_family",
    UnknownLevel => "profile.unknown_level",
    UnknownRole => "profile.unknown_role",
    UnknownRule => "profile.unknown_rule",
    UnknownSection => "profile.unknown_section",
    UnknownToggle => "profile.unknown_toggle",
});

impl ProfileProblem {
    /// The problem's stable code (`profile.unknown_role`).
    pub fn code(self) -> &'static str {
        self.variant_code()
    }
}

impl Problem {
    /// A problem of a profile at `path`.
    pub fn new(kind: ProfileProblem, path: String, message: String) -> Self {
        Problem {
            code: kind.code().to_string(),
            path,
            message,
        }
    }
}

/// Reading a user, change, directory or other input document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("malformed JSON at line {line} column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("`{path}`: {message}")]
    Invalid { path: String, message: String },
}

impl InputError {
    /// A document that could not be read, its path under `prefix`.
    pub(crate) fn from_json(err: crate::json::JsonError, prefix: &str) -> Self {
        match err.fault(prefix) {
            Fault::Syntax {
                line,
                column,
                message,
                ..
            } => InputError::Syntax {
                line,
                column,
                message,
            },
            Fault::Shape { path, message } => InputError::Invalid { path, message },
        }
    }

    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        InputError::Invalid {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The same error, with `prefix` put in front of its path.
    pub fn within(self, prefix: &str) -> Self {
        match self {
            InputError::Invalid { path, message } => InputError::Invalid {
                path: join_path(prefix, &path),
                message,
            },
            other => other,
        }
    }
}

crate::error::coded_variants!(InputError {
    Syntax => "input.syntax",
    Invalid => "input.invalid",
});

impl AdaccessError for InputError {
    fn code(&self) -> &'static str {
        self.variant_code()
    }
    fn path(&self) -> Option<&str> {
        match self {
            InputError::Syntax { .. } => None,
            InputError::Invalid { path, .. } => Some(path),
        }
    }
}

/// Building an engine from a profile and a directory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DirectoryError {
    #[error("`{path}`: unknown level `{level}` (levels: {known})")]
    UnknownLevel {
        path: String,
        level: String,
        known: String,
    },
    #[error("`{path}`: entity `{entity}` is listed twice")]
    Duplicate { path: String, entity: String },
    #[error("`{path}`: {message}")]
    BadParent { path: String, message: String },
}

crate::error::coded_variants!(DirectoryError {
    UnknownLevel => "directory.unknown_level",
    Duplicate => "directory.duplicate",
    BadParent => "directory.bad_parent",
});

impl AdaccessError for DirectoryError {
    fn code(&self) -> &'static str {
        self.variant_code()
    }
    fn path(&self) -> Option<&str> {
        match self {
            DirectoryError::UnknownLevel { path, .. }
            | DirectoryError::Duplicate { path, .. }
            | DirectoryError::BadParent { path, .. } => Some(path),
        }
    }
}

/// Parses a JSON document; an error names the path of the bad value under `prefix`.
pub fn parse_json<T: serde::de::DeserializeOwned>(
    text: &str,
    prefix: &str,
) -> Result<T, InputError> {
    crate::json::read(text).map_err(|e| InputError::from_json(e, prefix))
}
