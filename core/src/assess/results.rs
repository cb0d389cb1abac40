//! The answers of an assessment and their options: `Assessment`, `Check`, the approval groups
//! they ask for, and the permission-matrix rows they return.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::diff::Diff;
use super::plan::{LogEntry, PlanStep};
use super::requests::PlatformRequest;
use crate::access::MatrixRow;
use crate::finding::Finding;

/// The answer to "what happens if we make this change?".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Assessment {
    /// True when no finding is an `error`.
    pub ok: bool,
    /// Whether the change can be saved as it stands.
    pub verdict: Verdict,
    /// Sorted by severity, then code, then path.
    pub findings: Vec<Finding>,
    pub diff: Diff,
    pub approvals_required: Vec<ApprovalRequirement>,
    pub plan: Vec<PlanStep>,
    pub log_entry: LogEntry,
    pub effective: Effective,
    /// The platform's own API calls that carry the change out (valid changes only).
    pub requests: Vec<PlatformRequest>,
}

/// What a form shows while a change is being edited (`Engine::check`, `Draft::check`): the
/// assessment's findings, diff and approvals. The diff says what each entity gains and loses;
/// the matrix rows, the plan, the log entry and the requests come with the assessment, on save.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Check {
    /// True when no finding is an `error`.
    pub ok: bool,
    /// Whether the change can be saved as it stands.
    pub verdict: Verdict,
    /// Sorted by severity, then code, then path.
    pub findings: Vec<Finding>,
    pub diff: Diff,
    pub approvals_required: Vec<ApprovalRequirement>,
}

/// Whether a change can be saved as it stands: the one verdict the CLI, the form and the
/// notebook show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Verdict {
    pub save: Save,
    /// The approval groups not yet satisfied.
    pub missing_approvals: usize,
}

/// The three answers of a save.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Save {
    /// No error finding, every approval given: save.
    Ready,
    /// No error finding; approvals still to collect before saving.
    AwaitingApprovals,
    /// An error finding: the change cannot be saved as it is.
    Blocked,
}

impl Verdict {
    /// The verdict of a change with (`ok`) or without an error finding, and its approvals.
    pub fn of(ok: bool, approvals: &[ApprovalRequirement]) -> Verdict {
        let missing_approvals = approvals.iter().filter(|a| !a.satisfied).count();
        let save = match (ok, missing_approvals) {
            (false, _) => Save::Blocked,
            (true, 0) => Save::Ready,
            (true, _) => Save::AwaitingApprovals,
        };
        Verdict {
            save,
            missing_approvals,
        }
    }
}

/// One approval group: any one of its kinds satisfies it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ApprovalRequirement {
    pub any_of: Vec<String>,
    /// The rule that asks for it.
    pub reason: String,
    /// Other rules that ask for the same group.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_for: Vec<String>,
    pub satisfied: bool,
    /// Who gave it, when it is satisfied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// Options of `assess_with`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessOptions {
    /// Which rows of the permission matrix `effective` holds (default: all).
    #[serde(default)]
    pub effective: EffectiveRows,
}

/// How much of the permission matrix an assessment returns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EffectiveRows {
    /// Every covered entity, before and after.
    #[default]
    All,
    /// Only the entities whose roles or access change.
    Changed,
    /// No rows.
    None,
}

/// The permission matrix before and after the change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Effective {
    pub before: Vec<MatrixRow>,
    pub after: Vec<MatrixRow>,
}
