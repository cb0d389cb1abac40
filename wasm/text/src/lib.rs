//! The JSON text of the answers a form asks for on every edit: a draft's check, an
//! assessment and the access-log entry of a save.
//!
//! The npm module is compiled for size (`opt-level = "z"`), and serde_json's writer then
//! spends more time than the engine on a check's few kilobytes of text. Serialization code
//! is instantiated in the crate that names the types, so these functions, in their own
//! crate, are compiled for speed (`[profile.wasm-release.package.adaccess-wasm-text]`) and
//! the rest of the module stays small.

use adaccess_core::{Assessment, Check, LogEntry};

/// A draft's check as JSON text.
pub fn check(value: &Check) -> serde_json::Result<String> {
    serde_json::to_string(value)
}

/// An assessment as JSON text.
pub fn assessment(value: &Assessment) -> serde_json::Result<String> {
    serde_json::to_string(value)
}

/// A log entry as JSON text (`draft.logEntry()`): an assessment carries one, so the entry's
/// serializer is shared with the assessment's.
pub fn log_entry(value: &LogEntry) -> serde_json::Result<String> {
    serde_json::to_string(value)
}
