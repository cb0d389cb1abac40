#![doc = include_str!("../README.md")]
//! adaccess-core: every rule and every check of adaccess lives here.

mod access;
mod assess;
mod audit;
mod catalogue;
mod draft;
mod engine;
pub mod error;
pub mod finding;
#[doc(hidden)]
pub mod fuzzing;
mod ids;
pub mod ingest;
mod json;
mod keys;
pub mod log;
pub mod model;
mod order;
mod prepared;
pub mod profile;
mod reconcile;
#[cfg(not(target_arch = "wasm32"))]
mod review;
mod schema;
#[cfg(not(target_arch = "wasm32"))]
pub mod seats;
mod validate;

pub use access::{AccessMap, CanRequest, Decision, GrantSource, MatrixRow, WhoCan};
pub use assess::{
    AccessChange, ApprovalRequirement, AssessOptions, Assessment, Check, Diff, Effective,
    EffectiveRows, LogEntry, MissingApproval, OldNew, PlanStep, PlatformRequest, RoleChange, Save,
    ToggleChange, Verdict,
};
pub use audit::{AuditCall, AuditOptions, Report, ReviewError, Reviewer, SeatEnd, Summary, Tally};
pub use catalogue::{codes_for, error_codes};
pub use draft::{Draft, Edit};
pub use engine::Engine;
pub use error::{
    parse_json, AdaccessError, DirectoryError, ErrorInfo, InputError, Problem, ProfileError,
    ProfileProblem,
};
pub use finding::{Code, CodeEntry, CodeInfo, CodeSource, Finding, Severity, CODES};
pub use model::{
    Activity, Approval, Asset, Assignment, Change, Directory, DirectoryEntity, Elevation,
    EntityRef, Temporary, Timestamp, Token, User,
};
pub use prepared::PreparedUser;
pub use profile::Profile;
pub use reconcile::{
    Drift, DriftChange, DriftKind, DriftSummary, ReconcileOptions, ReconcileSummary,
    Reconciliation, SnapshotError, Snapshots,
};
#[cfg(not(target_arch = "wasm32"))]
pub use review::Streamed;
pub use schema::{all_schemas, schemas};
pub use validate::{is_valid_email, Validation};
