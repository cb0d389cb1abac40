//! JSON Schemas of the documents, generated from the Rust types.

use serde_json::{json, Value};

use crate::access::{Decision, MatrixRow, WhoCan};
use crate::assess::Assessment;
use crate::audit::{AuditOptions, Report};
use crate::error::ErrorInfo;
use crate::finding::{CodeEntry, Finding};
use crate::model::{Activity, Change, Directory, EntityRef, User};
use crate::profile::ProfileDoc;

/// One JSON Schema per input document kind: `profile`, `directory`, `user`, `change`.
pub fn schemas() -> Value {
    json!({
        "profile": schemars::schema_for!(ProfileDoc),
        "directory": schemars::schema_for!(Directory),
        "user": schemars::schema_for!(User),
        "change": schemars::schema_for!(Change),
    })
}

/// Schemas of every input and output type, keyed by type name; the npm package's
/// TypeScript declarations are generated from these.
pub fn all_schemas() -> Value {
    json!({
        "Profile": schemars::schema_for!(ProfileDoc),
        "Directory": schemars::schema_for!(Directory),
        "User": schemars::schema_for!(User),
        "Change": schemars::schema_for!(Change),
        "EntityRef": schemars::schema_for!(EntityRef),
        "Activity": schemars::schema_for!(Activity),
        "AuditOptions": schemars::schema_for!(AuditOptions),
        "AuditCall": schemars::schema_for!(crate::audit::AuditCall),
        "Assessment": schemars::schema_for!(Assessment),
        "Check": schemars::schema_for!(crate::assess::Check),
        "AssessOptions": schemars::schema_for!(crate::assess::AssessOptions),
        "Report": schemars::schema_for!(Report),
        "Decision": schemars::schema_for!(Decision),
        "CanRequest": schemars::schema_for!(crate::access::CanRequest),
        "MatrixRow": schemars::schema_for!(MatrixRow),
        "WhoCan": schemars::schema_for!(WhoCan),
        "Finding": schemars::schema_for!(Finding),
        "Validation": schemars::schema_for!(crate::validate::Validation),
        "CodeEntry": schemars::schema_for!(CodeEntry),
        "ErrorInfo": schemars::schema_for!(ErrorInfo),
        "Export": schemars::schema_for!(crate::ingest::Export),
        "LogEntry": schemars::schema_for!(crate::assess::LogEntry),
        "LogVerification": schemars::schema_for!(crate::log::Verification),
        "Drift": schemars::schema_for!(crate::reconcile::Drift),
        "Reconciliation": schemars::schema_for!(crate::reconcile::Reconciliation),
        "ReconcileOptions": schemars::schema_for!(crate::reconcile::ReconcileOptions),
    })
}
