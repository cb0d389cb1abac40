//! The ordered steps that carry a change out, and the access-log entry it leaves.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::diff::Diff;
use super::results::ApprovalRequirement;
use super::rules::Matches;
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

/// One step of the plan before it is numbered: its action, detail and items.
type Step = (&'static str, String, Vec<String>);

/// The plan of a change: each kind of step that applies, in the order `PlanStep::action`
/// lists them, numbered from 1.
pub(crate) fn plan(engine: &Engine, input: &PlanInput<'_>) -> Vec<PlanStep> {
    let p = Planner::new(engine, input);
    let steps: [Option<Step>; 12] = [
        p.collect_approvals(),
        p.transfer_assets(),
        p.edit_entities(),
        p.change_role(),
        p.set_toggles(),
        p.revoke_tokens(),
        Some(save_and_verify()),
        p.notify_user(),
        Some(record_log()),
        p.update_rosters(),
        p.schedule_revert(),
        p.schedule_review(),
    ];
    steps
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, (action, detail, items))| PlanStep {
            step: i + 1,
            action: action.to_string(),
            detail,
            items,
        })
        .collect()
}

/// What the steps of a plan read: the evaluated change, and what several steps share.
struct Planner<'a> {
    engine: &'a Engine,
    input: &'a PlanInput<'a>,
    created: bool,
    deleted: bool,
    /// The roles after the change, each once.
    roles_after: Vec<&'a str>,
    /// `a → b`: the roles before and after, when the user has roles on both sides and they
    /// differ.
    role_change: Option<String>,
}

impl<'a> Planner<'a> {
    /// The planner of an evaluated change.
    fn new(engine: &'a Engine, input: &'a PlanInput<'a>) -> Self {
        let (rb, ra) = (input.before.distinct_roles(), input.after.distinct_roles());
        let role_change = (!rb.is_empty() && !ra.is_empty() && rb != ra)
            .then(|| format!("{} → {}", rb.join(", "), ra.join(", ")));
        Planner {
            engine,
            input,
            created: input.change.before.is_none(),
            deleted: input.change.after.is_none(),
            roles_after: ra,
            role_change,
        }
    }

    /// `collect_approvals`: the approval groups the rules ask for, and those still missing.
    fn collect_approvals(&self) -> Option<Step> {
        let approvals = self.input.approvals;
        if approvals.is_empty() {
            return None;
        }
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
        Some(("collect_approvals", detail, items))
    }

    /// `transfer_assets`: the assets the rules matched, each once.
    fn transfer_assets(&self) -> Option<Step> {
        let assets = matched(self.input.matches, |m| &m.assets);
        if assets.is_empty() {
            return None;
        }
        Some((
            "transfer_assets",
            format!(
                "transfer {} owned asset(s) to a user who keeps access, before access is removed: {}",
                assets.len(),
                assets.join(", ")
            ),
            assets,
        ))
    }

    /// `edit_entities`: the entities added and removed.
    fn edit_entities(&self) -> Option<Step> {
        let diff = self.input.diff;
        if diff.added.is_empty() && diff.removed.is_empty() {
            return None;
        }
        let mut parts = Vec::new();
        if !diff.added.is_empty() {
            let names: Vec<String> = diff
                .added
                .iter()
                .map(|a| self.engine.describe_entity(&a.entity))
                .collect();
            parts.push(format!("add {}", names.join(", ")));
        }
        if !diff.removed.is_empty() {
            let names: Vec<String> = diff
                .removed
                .iter()
                .map(|a| self.engine.describe_entity(&a.entity))
                .collect();
            parts.push(format!("remove {}", names.join(", ")));
        }
        let verb = if self.created {
            "create the user with access to"
        } else if self.deleted {
            "delete the user, removing"
        } else {
            "edit the scope"
        };
        Some((
            "edit_entities",
            format!("{verb}: {}", parts.join("; ")),
            entity_moves(diff),
        ))
    }

    /// `change_role`: the roles changed on kept entities; where one role covers every
    /// scope, the roles before and after.
    fn change_role(&self) -> Option<Step> {
        let diff = self.input.diff;
        let uniform = self.engine.profile().constraints().uniform_role;
        if diff.role_changed.is_empty() && !(uniform && self.role_change.is_some()) {
            return None;
        }
        let mut items: Vec<String> = diff
            .role_changed
            .iter()
            .map(|r| format!("{}: {} → {}", r.entity, r.from, r.to))
            .collect();
        if items.is_empty() {
            items.extend(self.role_change.clone());
        }
        Some((
            "change_role",
            format!("change the role: {}", items.join("; ")),
            items,
        ))
    }

    /// `set_toggles`: each toggle switched, and to what.
    fn set_toggles(&self) -> Option<Step> {
        let toggles = &self.input.diff.toggles;
        if toggles.is_empty() {
            return None;
        }
        let items: Vec<String> = toggles
            .iter()
            .map(|t| format!("{}: {}", t.toggle, if t.to { "on" } else { "off" }))
            .collect();
        Some(("set_toggles", format!("set {}", items.join(", ")), items))
    }

    /// `revoke_tokens`: the active API tokens the rules matched, each once.
    fn revoke_tokens(&self) -> Option<Step> {
        let tokens = matched(self.input.matches, |m| &m.tokens);
        if tokens.is_empty() {
            return None;
        }
        Some((
            "revoke_tokens",
            format!(
                "revoke the active API token(s) the user keeps: {}",
                tokens.join(", ")
            ),
            tokens,
        ))
    }

    /// `notify_user`, when access changes or the user is created or deleted: what the
    /// checklist's note to the user says (the new role, the advertiser list when it
    /// changes, the billing status when it changes).
    fn notify_user(&self) -> Option<Step> {
        let diff = self.input.diff;
        let access_changed = !diff.gained.is_empty() || !diff.lost.is_empty();
        if !(access_changed || self.created || self.deleted) {
            return None;
        }
        let mut told: Vec<String> = Vec::new();
        if let Some(roles) = &self.role_change {
            told.push(format!("role {roles}"));
        } else if self.created && !self.roles_after.is_empty() {
            told.push(format!("role {}", self.roles_after.join(", ")));
        }
        if !diff.added.is_empty() || !diff.removed.is_empty() {
            told.push(format!("access {}", entity_moves(diff).join(" ")));
        }
        if let Some(b) = self.input.billing.filter(|b| b.old != b.new) {
            told.push(format!("billing {} → {}", b.old, b.new));
        }
        told.push(format!(
            "{} capability level(s) gained, {} lost",
            diff.gained.len(),
            diff.lost.len()
        ));
        Some((
            "notify_user",
            format!("tell the user what changed: {}", told.join("; ")),
            Vec::new(),
        ))
    }

    /// `update_rosters`, when the user is created or deleted or the roles change.
    fn update_rosters(&self) -> Option<Step> {
        let detail = match (&self.role_change, self.created, self.deleted) {
            (Some(roles), _, _) => {
                format!("update the internal rosters and SSO groups to the new role: {roles}")
            }
            (None, true, _) => {
                "add the user to the internal rosters and SSO groups of the role".to_string()
            }
            (None, false, true) => {
                "remove the user from the internal rosters and SSO groups".to_string()
            }
            (None, false, false) => return None,
        };
        Some(("update_rosters", detail, Vec::new()))
    }

    /// `schedule_revert`, for a temporary change.
    fn schedule_revert(&self) -> Option<Step> {
        let t = self.input.change.temporary.as_ref()?;
        let until = t
            .until
            .as_ref()
            .map_or_else(|| "a date still to set".to_string(), |u| u.to_string());
        Some((
            "schedule_revert",
            format!("schedule the revert to the previous access on {until}, then revoke the API tokens created in the meantime"),
            vec![until],
        ))
    }

    /// `schedule_review`: every change but a deletion gets its follow-up, and the user a
    /// place in the next quarterly review.
    fn schedule_review(&self) -> Option<Step> {
        if self.deleted {
            return None;
        }
        let when = self.input.change.now.as_ref().map(|n| {
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
        Some(("schedule_review", detail, items))
    }
}

/// `save_and_verify`, in every plan.
fn save_and_verify() -> Step {
    (
        "save_and_verify",
        "save the change, then reload the user and check the platform shows the new access".into(),
        Vec::new(),
    )
}

/// `record_log`, in every plan.
fn record_log() -> Step {
    (
        "record_log",
        "record the access-log entry of this change, with the before and after state, the reason and each approval's reference".into(),
        Vec::new(),
    )
}

/// The items of one list of every rule's matches (`assets`, `tokens`), each once, in order.
fn matched(matches: &[(String, Matches)], list: impl Fn(&Matches) -> &Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, m) in matches {
        for item in list(m) {
            if !out.contains(item) {
                out.push(item.clone());
            }
        }
    }
    out
}

/// `+level:id` for each entity added, then `-level:id` for each removed.
fn entity_moves(diff: &Diff) -> Vec<String> {
    diff.added
        .iter()
        .map(|a| format!("+{}", a.entity))
        .chain(diff.removed.iter().map(|a| format!("-{}", a.entity)))
        .collect()
}

/// The access-log entry of a change.
pub(crate) fn log_entry(
    change: &Change,
    before: &User,
    after: &User,
    billing: Option<OldNew<String>>,
    approvals: &[ApprovalRequirement],
) -> LogEntry {
    let (created, deleted) = (change.before.is_none(), change.after.is_none());
    let subject = if deleted { before } else { after };
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
            old: log_roles(before),
            new: log_roles(after),
        },
        entities: OldNew {
            old: log_entities(before),
            new: log_entities(after),
        },
        billing,
        toggles: OldNew {
            old: before.toggles.clone(),
            new: after.toggles.clone(),
        },
        assignments: OldNew {
            old: log_assignments(before),
            new: log_assignments(after),
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

/// The roles of a side, each once, in order, as the log writes them: `trader, admin`.
fn log_roles(u: &User) -> Option<String> {
    let mut roles: Vec<&str> = Vec::new();
    for a in &u.assignments {
        if !roles.contains(&a.role.as_str()) {
            roles.push(&a.role);
        }
    }
    (!roles.is_empty()).then(|| roles.join(", "))
}

/// The entity of each assignment of a side, in order.
fn log_entities(u: &User) -> Vec<String> {
    u.assignments.iter().map(|a| a.entity.key()).collect()
}

/// Each assignment of a side as `LEVEL:ID=ROLE`, in order. One string per assignment, as for
/// the entities: a 1,000-assignment user's log entry would otherwise cost three allocations
/// an assignment, a side.
fn log_assignments(u: &User) -> Vec<String> {
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
        .collect()
}
