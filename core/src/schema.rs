//! JSON Schemas of the input documents, generated from the Rust types.

use serde_json::{json, Value};

use crate::model::{Change, Directory, User};
use crate::profile::ProfileDoc;

/// One JSON Schema per document kind: `profile`, `directory`, `user`, `change`.
pub fn schemas() -> Value {
    json!({
        "profile": schemars::schema_for!(ProfileDoc),
        "directory": schemars::schema_for!(Directory),
        "user": schemars::schema_for!(User),
        "change": schemars::schema_for!(Change),
    })
}
