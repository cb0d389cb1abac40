//! The ordered steps that carry a change out, and the access-log entry it leaves.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::diff::Diff;
use super::rules::Matches;
use super::ApprovalRequirement;
use crate::engine::Engine;
use crate::model::{Approval, Change, User};

/// One step of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PlanStep {
    /// 1-based position.
    pub step: usize,
    /// `collect_approvals`, `transfer_assets`, `edit_entities`, `change_role`, `set_toggles`,
    /// `revoke_tokens`, `save_and_verify`, `notify_user`, `record_log`, `update_rosters`,
    /// `schedule_revert`, `schedule_review`, always in that order.
    pub action: String,
    pub detail: String,
    /// What the step acts on: token ids, asset ids, entities, approvals.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
}

/// An old and a new value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OldNew<T> {
    pub old: T,
    pub new: T,
}

/// The access-log record of a change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LogEntry {
    pub user_id: String,
    pub user_email: String,
    pub user_name: String,
    /// `create`, `update` or `delete`.
    pub action: String,
    /// The change's `now`, as a date.
    pub date: Option<String>,
    /// The actor's email (or id).
    pub changed_by: String,
    pub role: OldNew<Option<String>>,
    pub entities: OldNew<Vec<String>>,
    /// The user's billing access before and after, from role and toggle together (the
    /// level of the profile's billing capability, `none` without it); absent when the
    /// profile names no billing capability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing: Option<OldNew<String>>,
    pub toggles: OldNew<BTreeMap<String, bool>>,
    /// The user's access as the user-management page shows it, before and after (what the
    /// checklist's screenshots record): each assignment as `LEVEL:ID=ROLE`, in order.
    pub assignments: OldNew<Vec<String>>,
    pub reason: Option<String>,
    /// `kind: who` for each approval given.
    pub approvers: Vec<String>,
    /// The approvals given, with their references (approval email or ticket id).
    pub approvals: Vec<Approval>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporary_until: Option<String>,
    /// The approvals the assessment asked for that were still missing when the change was
    /// saved: a change may be saved before every approval is in (its `ok` allows it), and
    /// the log says so.
    #[serde(default)]
    pub approvals_missing: Vec<MissingApproval>,
    /// In an access-log file (`adaccess assess --append-log`): `sha256:` and the SHA-256 of
    /// the previous line, which chains the entries; absent on the first line, and in the
    /// entry an assessment returns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
}

/// An approval group the assessment asked for and the change did not have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MissingApproval {
    /// Any one of these kinds would satisfy it.
    pub any_of: Vec<String>,
    /// The rule that asks for it.
    pub reason: String,
}

/// Review date of a follow-up, in days after the change.
const REVIEW_AFTER_DAYS: i64 = 14;

/// The item of `schedule_review` that puts the user in the next access review.
const QUARTERLY_REVIEW: &str = "next quarterly access review";

/// What the plan reads of an evaluated change.
pub(crate) struct PlanInput<'a> {
    pub change: &'a Change,
    pub before: &'a User,
    pub after: &'a User,
    pub diff: &'a Diff,
    pub approvals: &'a [ApprovalRequirement],
    pub matches: &'a [(String, Matches)],
    /// The billing access before and after, when the profile names it.
    pub billing: Option<&'a OldNew<String>>,
}

pub(crate) fn plan(engine: &Engine, input: &PlanInput<'_>) -> Vec<PlanStep> {
    let PlanInput {
        change,
        before,
        after,
        diff,
        approvals,
        matches,
        billing,
    } = *input;
    let mut steps: Vec<(&str, String, Vec<String>)> = Vec::new();
    let created = change.before.is_none();
    let deleted = change.after.is_none();

    if !approvals.is_empty() {
        let missing: Vec<String> = approvals
            .iter()
            .filter(|a| !a.satisfied)
            .map(|a| format!("{} ({})", a.any_of.join(" or "), a.reason))
            .collect();
        let detail = if missing.is_empty() {
            format!(
                "all {} required approval(s) are collected: attach them to the change",
                approvals.len()
            )
        } else {
            format!(
                "collect {} missing approval(s) before saving: {}",
                missing.len(),
                missing.join("; ")
            )
        };
        let items = approvals.iter().map(|a| a.any_of.join(" or ")).collect();
        steps.push(("collect_approvals", detail, items));
    }

    let mut assets: Vec<String> = Vec::new();
    for (_, m) in matches {
        for a in &m.assets {
            if !assets.contains(a) {
                assets.push(a.clone());
            }
        }
    }
    if !assets.is_empty() {
        steps.push((
            "transfer_assets",
            format!(
                "transfer {} owned asset(s) to a user who keeps access, before access is removed: {}",
                assets.len(),
                assets.join(", ")
            ),
            assets,
        ));
    }

    if !diff.added.is_empty() || !diff.removed.is_empty() {
        let mut parts = Vec::new();
        if !diff.added.is_empty() {
            let names: Vec<String> = diff
                .added
                .iter()
                .map(|a| engine.describe_entity(&a.entity))
                .collect();
            parts.push(format!("add {}", names.join(", ")));
        }
        if !diff.removed.is_empty() {
            let names: Vec<String> = diff
                .removed
                .iter()
                .map(|a| engine.describe_entity(&a.entity))
                .collect();
            parts.push(format!("remove {}", names.join(", ")));
        }
        let verb = if created {
            "create the user with access to"
        } else if deleted {
            "delete the user, removing"
        } else {
            "edit the scope"
        };
        let items = diff
            .added
            .iter()
            .map(|a| format!("+{}", a.entity))
            .chain(diff.removed.iter().map(|a| format!("-{}", a.entity)))
            .collect();
        steps.push((
            "edit_entities",
            format!("{verb}: {}", parts.join("; ")),
            items,
        ));
    }

    let (rb, ra) = (before.distinct_roles(), after.distinct_roles());
    let uniform = engine.profile().constraints().uniform_role;
    let role_change = (!rb.is_empty() && !ra.is_empty() && rb != ra)
        .then(|| format!("{} → {}", rb.join(", "), ra.join(", ")));
    if !diff.role_changed.is_empty() || (uniform && role_change.is_some()) {
        let mut items: Vec<String> = diff
            .role_changed
            .iter()
            .map(|r| format!("{}: {} → {}", r.entity, r.from, r.to))
            .collect();
        if items.is_empty() {
            items.extend(role_change.clone());
        }
        steps.push((
            "change_role",
            format!("change the role: {}", items.join("; ")),
            items,
        ));
    }

    if !diff.toggles.is_empty() {
        let items: Vec<String> = diff
            .toggles
            .iter()
            .map(|t| format!("{}: {}", t.toggle, if t.to { "on" } else { "off" }))
            .collect();
        steps.push(("set_toggles", format!("set {}", items.join(", ")), items));
    }

    let mut tokens: Vec<String> = Vec::new();
    for (_, m) in matches {
        for t in &m.tokens {
            if !tokens.contains(t) {
                tokens.push(t.clone());
            }
        }
    }
    if !tokens.is_empty() {
        steps.push((
            "revoke_tokens",
            format!(
                "revoke the active API token(s) the user keeps: {}",
                tokens.join(", ")
            ),
            tokens,
        ));
    }

    steps.push((
        "save_and_verify",
        "save the change, then reload the user and check the platform shows the new access".into(),
        Vec::new(),
    ));

    let access_changed = !diff.gained.is_empty() || !diff.lost.is_empty();
    if access_changed || created || deleted {
        // What the checklist's note to the user says: the new role, the advertiser list
        // when it changes, the billing status when it changes.
        let mut told: Vec<String> = Vec::new();
        if let Some(roles) = &role_change {
            told.push(format!("role {roles}"));
        } else if created && !ra.is_empty() {
            told.push(format!("role {}", ra.join(", ")));
        }
        if !diff.added.is_empty() || !diff.removed.is_empty() {
            let entities: Vec<String> = diff
                .added
                .iter()
                .map(|a| format!("+{}", a.entity))
                .chain(diff.removed.iter().map(|a| format!("-{}", a.entity)))
                .collect();
            told.push(format!("access {}", entities.join(" ")));
        }
        if let Some(b) = billing.filter(|b| b.old != b.new) {
            told.push(format!("billing {} → {}", b.old, b.new));
        }
        told.push(format!(
            "{} capability level(s) gained, {} lost",
            diff.gained.len(),
            diff.lost.len()
        ));
        steps.push((
            "notify_user",
            format!("tell the user what changed: {}", told.join("; ")),
            Vec::new(),
        ));
    }

    steps.push((
        "record_log",
        "record the access-log entry of this change, with the before and after state, the reason and each approval's reference".into(),
        Vec::new(),
    ));

    if created || deleted || role_change.is_some() {
        let detail = match (&role_change, created, deleted) {
            (Some(roles), _, _) => {
                format!("update the internal rosters and SSO groups to the new role: {roles}")
            }
            (None, true, _) => {
                "add the user to the internal rosters and SSO groups of the role".to_string()
            }
            _ => "remove the user from the internal rosters and SSO groups".to_string(),
        };
        steps.push(("update_rosters", detail, Vec::new()));
    }

    if let Some(t) = &change.temporary {
        let until = t
            .until
            .as_ref()
            .map_or_else(|| "a date still to set".to_string(), |u| u.to_string());
        steps.push((
            "schedule_revert",
            format!("schedule the revert to the previous access on {until}, then revoke the API tokens created in the meantime"),
            vec![until],
        ));
    }
    // Every change gets its follow-up, and the user a place in the next quarterly review.
    if !deleted {
        let when = change.now.as_ref().map(|n| {
            crate::model::Timestamp::from_unix(n.unix() + REVIEW_AFTER_DAYS * 86_400).date()
        });
        let detail = match &when {
            Some(d) => format!("check with the user in two weeks, on {d}, that the new access works; include the user in the next quarterly access review"),
            None => "check with the user in one to two weeks that the new access works; include the user in the next quarterly access review".to_string(),
        };
        let items = when
            .into_iter()
            .chain(std::iter::once(QUARTERLY_REVIEW.to_string()))
            .collect();
        steps.push(("schedule_review", detail, items));
    }

    steps
        .into_iter()
        .enumerate()
        .map(|(i, (action, detail, items))| PlanStep {
            step: i + 1,
            action: action.to_string(),
            detail,
            items,
        })
        .collect()
}

pub(crate) fn log_entry(
    change: &Change,
    before: &User,
    after: &User,
    billing: Option<OldNew<String>>,
    approvals: &[ApprovalRequirement],
) -> LogEntry {
    let (created, deleted) = (change.before.is_none(), change.after.is_none());
    let subject = if deleted { before } else { after };
    let role = |u: &User| -> Option<String> {
        let mut roles: Vec<&str> = Vec::new();
        for a in &u.assignments {
            if !roles.contains(&a.role.as_str()) {
                roles.push(&a.role);
            }
        }
        (!roles.is_empty()).then(|| roles.join(", "))
    };
    // One string per assignment, as for the entities: a 1,000-assignment user's log entry
    // would otherwise cost three allocations an assignment, a side.
    let pairs = |u: &User| {
        u.assignments
            .iter()
            .map(|a| {
                let e = &a.entity;
                let mut s = String::with_capacity(e.level.len() + e.id.len() + a.role.len() + 2);
                for part in [&e.level, ":", &e.id, "=", &a.role] {
                    s.push_str(part);
                }
                s
            })
            .collect::<Vec<_>>()
    };
    let entities = |u: &User| {
        u.assignments
            .iter()
            .map(|a| a.entity.key())
            .collect::<Vec<_>>()
    };
    let actor = &change.actor;
    LogEntry {
        user_id: subject.id.clone(),
        user_email: subject.email.clone(),
        user_name: subject.name.clone(),
        action: if created {
            "create"
        } else if deleted {
            "delete"
        } else {
            "update"
        }
        .to_string(),
        date: change.now.as_ref().map(|n| n.date()),
        changed_by: if actor.email.is_empty() {
            actor.id.clone()
        } else {
            actor.email.clone()
        },
        role: OldNew {
            old: role(before),
            new: role(after),
        },
        entities: OldNew {
            old: entities(before),
            new: entities(after),
        },
        billing,
        toggles: OldNew {
            old: before.toggles.clone(),
            new: after.toggles.clone(),
        },
        assignments: OldNew {
            old: pairs(before),
            new: pairs(after),
        },
        reason: change.reason.clone().filter(|r| !r.trim().is_empty()),
        approvers: change.approvals.iter().map(Approval::label).collect(),
        approvals: change.approvals.clone(),
        temporary_until: change
            .temporary
            .as_ref()
            .and_then(|t| t.until.as_ref())
            .map(|t| t.to_string()),
        approvals_missing: approvals
            .iter()
            .filter(|r| !r.satisfied)
            .map(|r| MissingApproval {
                any_of: r.any_of.clone(),
                reason: r.reason.clone(),
            })
            .collect(),
        prev: None,
    }
}
