//! Change-impact assessment: what a change breaks, needs, and the steps to carry it out.

mod diff;
mod plan;
mod requests;
mod rules;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

pub use diff::{AccessChange, Diff, RoleChange, ToggleChange};
pub use plan::{LogEntry, MissingApproval, OldNew, PlanStep};
pub use requests::PlatformRequest;

use rustc_hash::FxHashSet as HashSet;
use std::borrow::Cow;

use crate::access::{Grid, GridRow, MatrixRow};
use crate::engine::{Engine, Place};
use crate::finding::Code;
use crate::finding::{sort_findings, Finding, Severity};
use crate::keys::{first_assignments, Firsts, Keys, Slot};
use crate::model::display_user;
use crate::model::{Asset, Change, EntityRef, Token, User};
use crate::profile::{Predicate, RoleId};
use diff::Side;

/// The answer to "what happens if we make this change?".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Assessment {
    /// True when no finding is an `error`.
    pub ok: bool,
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
    /// Sorted by severity, then code, then path.
    pub findings: Vec<Finding>,
    pub diff: Diff,
    pub approvals_required: Vec<ApprovalRequirement>,
}

/// A change evaluated: what `assess` and `check` share.
struct Evaluation<'a> {
    keys: &'a Keys<'a>,
    before: Side<'a>,
    after: Side<'a>,
    created: bool,
    deleted: bool,
    /// Nothing changes.
    noop: bool,
    computed: diff::Computed<'a>,
    findings: Vec<Finding>,
    approvals_required: Vec<ApprovalRequirement>,
    rule_matches: Vec<(String, rules::Matches)>,
    ok: bool,
}

/// Both sides of a change resolved: borrowed from a draft, or made for one call.
struct Resolved<'a> {
    keys: Cow<'a, Keys<'a>>,
    before_slots: Cow<'a, [Slot]>,
    after_slots: Cow<'a, [Slot]>,
    before_grid: Cow<'a, Grid>,
    after_grid: Cow<'a, Grid>,
    before_first: Cow<'a, Firsts>,
    after_first: Cow<'a, Firsts>,
    /// The structural findings on the after-state, when a draft keeps them.
    after_findings: Option<&'a [Finding]>,
}

/// What a draft keeps of its change between edits: the entities' keys, the before-side
/// resolved with its grid, and the after-side's assignments resolved.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub keys: Keys<'static>,
    before_slots: Vec<Slot>,
    before_grid: Grid,
    before_first: Firsts,
    pub after_slots: Vec<Slot>,
    /// The after-side's grid and first assignments, as of the last edit that changed its
    /// assignments or toggles (`refresh_after`): an edit of the reason or the approvals,
    /// a form's text fields, leaves them as they are.
    after_grid: Grid,
    after_first: Firsts,
    /// The structural findings on the after-state (none for a deletion).
    after_findings: Vec<Finding>,
}

impl Prepared {
    /// Recomputes what the after-state decides on its own: its grid, its first assignments
    /// and its structural findings.
    pub(crate) fn refresh_after(&mut self, engine: &Engine, after: Option<&User>) {
        self.rebuild_grid(engine, after);
        self.after_first = first_assignments(&self.after_slots);
        self.validate_after(engine, after);
    }

    /// The same after one assignment, at `index`, was replaced (it was `old`). On the same
    /// entity, the first assignments stay, and the grid is updated in place when it can be.
    pub(crate) fn refresh_slot(
        &mut self,
        engine: &Engine,
        after: Option<&User>,
        index: usize,
        old: &Slot,
    ) {
        let same_entity = self
            .after_slots
            .get(index)
            .is_some_and(|s| s.key == old.key);
        let regranted = match self.after_slots.get(index) {
            Some(new) if same_entity => {
                engine.regrant(&mut self.after_grid, &self.after_slots, old, new)
            }
            _ => false,
        };
        if !regranted {
            self.rebuild_grid(engine, after);
        }
        if same_entity {
            self.after_first.set_roles(&self.after_slots);
        } else {
            self.after_first = first_assignments(&self.after_slots);
        }
        self.validate_after(engine, after);
    }

    fn rebuild_grid(&mut self, engine: &Engine, after: Option<&User>) {
        let empty = User::default();
        self.after_grid = engine.grid(after.unwrap_or(&empty), &self.after_slots);
    }

    fn validate_after(&mut self, engine: &Engine, after: Option<&User>) {
        self.after_findings = match after {
            Some(user) => {
                engine.validate_resolved(user, &self.after_slots, &self.after_first, "after")
            }
            None => Vec::new(),
        };
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

impl Engine {
    /// Assesses a proposed change. Never fails: a wrong change is an assessment with findings.
    pub fn assess(&self, change: &Change) -> Assessment {
        self.assess_with(change, &AssessOptions::default())
    }

    /// `assess`, with a choice of how much of the permission matrix to return: a form that
    /// edits a user with a thousand assignments on every keystroke wants the changed rows only.
    pub fn assess_with(&self, change: &Change, options: &AssessOptions) -> Assessment {
        self.assess_prepared(change, None, options)
    }

    pub(crate) fn assess_prepared(
        &self,
        change: &Change,
        prepared: Option<&Prepared>,
        options: &AssessOptions,
    ) -> Assessment {
        let empty = User::default();
        let before = change.before.as_ref().unwrap_or(&empty);
        let after = change.after.as_ref().unwrap_or(&empty);
        let resolved = self.resolve(before, after, prepared);
        let ev = self.evaluate(change, &resolved, before, after);
        let effective = self.effective_rows(&ev, options.effective);
        let Evaluation {
            created,
            deleted,
            noop,
            computed,
            findings,
            approvals_required,
            rule_matches,
            ok,
            ..
        } = ev;
        let billing = self.billing_levels(ev.before.grid, ev.after.grid);
        let plan = if noop {
            Vec::new()
        } else {
            plan::plan(
                self,
                &plan::PlanInput {
                    change,
                    before,
                    after,
                    diff: &computed.diff,
                    approvals: &approvals_required,
                    matches: &rule_matches,
                    billing: billing.as_ref(),
                },
            )
        };
        let log_entry = plan::log_entry(change, before, after, billing, &approvals_required);
        let requests = if ok && !noop {
            requests::requests(self, before, after, created, deleted, &computed.diff)
        } else {
            Vec::new()
        };
        Assessment {
            ok,
            findings,
            diff: computed.diff,
            approvals_required,
            plan,
            log_entry,
            effective,
            requests,
        }
    }

    /// What a form shows while a change is being edited: the findings, the diff and the
    /// approvals. The same answers as `assess`, without the matrix rows, the plan, the log
    /// entry and the platform requests, which are written once, on save.
    pub fn check(&self, change: &Change) -> Check {
        self.check_prepared(change, None)
    }

    pub(crate) fn check_prepared(&self, change: &Change, prepared: Option<&Prepared>) -> Check {
        let empty = User::default();
        let before = change.before.as_ref().unwrap_or(&empty);
        let after = change.after.as_ref().unwrap_or(&empty);
        let resolved = self.resolve(before, after, prepared);
        let ev = self.evaluate(change, &resolved, before, after);
        Check {
            ok: ev.ok,
            findings: ev.findings,
            diff: ev.computed.diff,
            approvals_required: ev.approvals_required,
        }
    }

    /// Resolves a change for a draft: what stays the same from one edit to the next.
    pub(crate) fn prepare(&self, change: &Change) -> Prepared {
        let mut keys = Keys::new(self);
        let (before_slots, before_grid) = match &change.before {
            Some(user) => {
                let slots = keys.owned_slots(self, &user.assignments);
                let grid = self.grid(user, &slots);
                (slots, grid)
            }
            None => (Vec::new(), self.grid(&User::default(), &[])),
        };
        let after_slots = match &change.after {
            Some(user) => keys.owned_slots(self, &user.assignments),
            None => Vec::new(),
        };
        let mut prepared = Prepared {
            before_first: first_assignments(&before_slots),
            keys,
            before_slots,
            before_grid,
            after_slots,
            after_grid: Grid::default(),
            after_first: Default::default(),
            after_findings: Vec::new(),
        };
        prepared.refresh_after(self, change.after.as_ref());
        prepared
    }

    /// Both sides of a change resolved: a draft's, or made for this call.
    fn resolve<'a>(
        &self,
        before: &'a User,
        after: &'a User,
        prepared: Option<&'a Prepared>,
    ) -> Resolved<'a> {
        match prepared {
            Some(p) => Resolved {
                keys: Cow::Borrowed(&p.keys),
                before_slots: Cow::Borrowed(&p.before_slots),
                after_grid: Cow::Borrowed(&p.after_grid),
                after_first: Cow::Borrowed(&p.after_first),
                after_findings: Some(&p.after_findings),
                after_slots: Cow::Borrowed(&p.after_slots),
                before_grid: Cow::Borrowed(&p.before_grid),
                before_first: Cow::Borrowed(&p.before_first),
            },
            None => {
                let mut keys = Keys::new(self);
                let before_slots = keys.slots(self, &before.assignments);
                let after_slots = keys.slots(self, &after.assignments);
                Resolved {
                    before_grid: Cow::Owned(self.grid(before, &before_slots)),
                    after_grid: Cow::Owned(self.grid(after, &after_slots)),
                    before_first: Cow::Owned(first_assignments(&before_slots)),
                    after_first: Cow::Owned(first_assignments(&after_slots)),
                    after_findings: None,
                    keys: Cow::Owned(keys),
                    before_slots: Cow::Owned(before_slots),
                    after_slots: Cow::Owned(after_slots),
                }
            }
        }
    }

    /// The findings, the diff and the approvals of a change: everything but the plan, the log
    /// entry, the requests and the matrix rows.
    fn evaluate<'a>(
        &'a self,
        change: &'a Change,
        resolved: &'a Resolved<'a>,
        before: &'a User,
        after: &'a User,
    ) -> Evaluation<'a> {
        let created = change.before.is_none();
        let deleted = change.after.is_none();
        let keys: &Keys<'_> = &resolved.keys;
        let before_side = Side {
            user: before,
            slots: &resolved.before_slots,
            grid: &resolved.before_grid,
            first: &resolved.before_first,
        };
        let after_side = Side {
            user: after,
            slots: &resolved.after_slots,
            grid: &resolved.after_grid,
            first: &resolved.after_first,
        };
        let computed = diff::compute(self, keys, &before_side, &after_side);

        let mut findings = Vec::new();
        if let Some(a) = &change.after {
            match &resolved.after_findings {
                Some(cached) => findings.extend(cached.iter().cloned()),
                None => findings.extend(self.validate_resolved(
                    a,
                    after_side.slots,
                    after_side.first,
                    "after",
                )),
            }
        }
        if created && deleted {
            findings.push(
                Finding::new(
                    Code::UserNoAssignments,
                    "the change has neither a before nor an after state",
                )
                .at("after"),
            );
        }
        self.check_change(
            change,
            before,
            after,
            created,
            deleted,
            &computed,
            &mut findings,
        );

        let noop = !created
            && !deleted
            && computed.diff.is_empty()
            && before.email == after.email
            && before.name == after.name
            && before.elevation == after.elevation;

        let mut approvals_required: Vec<ApprovalRequirement> = Vec::new();
        let mut rule_matches = Vec::new();
        if !noop {
            let ctx = rules::Ctx {
                engine: self,
                change,
                before,
                after,
                keys,
                before_first: before_side.first,
                after_first: after_side.first,
                grid_before: before_side.grid,
                grid_after: after_side.grid,
                computed: &computed,
                created,
                deleted,
                tokens: union_by_id(
                    &before.tokens,
                    &after.tokens,
                    |t: &Token| t.active,
                    |t| &t.id,
                ),
                assets: union_by_id(&before.assets, &after.assets, |_| true, |a: &Asset| &a.id),
                requirement: None,
            };
            let rules = self.profile.rules();
            // Who satisfied each entry of approvals_required.
            let mut people: Vec<Option<&str>> = Vec::new();
            for rule in rules.iter().filter(|r| !contains_approval_missing(&r.when)) {
                if let Some((finding, m)) = ctx.apply(rule) {
                    // The groups of one rule need different people: one person cannot be
                    // both the manager and security (approval.same_approver).
                    let mut used: Vec<&str> = Vec::new();
                    for group in &rule.approvals {
                        // Two rules asking for the same group share one entry.
                        let same = |r: &ApprovalRequirement| {
                            r.any_of.len() == group.len()
                                && group.iter().all(|k| r.any_of.contains(k))
                        };
                        if let Some(i) = approvals_required.iter().position(same) {
                            if let Some(existing) = approvals_required.get_mut(i) {
                                existing.also_for.push(rule.id.clone());
                            }
                            used.extend(people.get(i).copied().flatten());
                            continue;
                        }
                        // An approval by the user being changed counts for nothing
                        // (approval.self).
                        let approval = change
                            .approvals
                            .iter()
                            .filter(|a| group.contains(&a.kind) && !is_self_approval(change, a))
                            .find(|a| !used.iter().any(|p| same_by(p, &a.by)));
                        used.extend(approval.map(|a| a.by.as_str()));
                        people.push(approval.map(|a| a.by.as_str()));
                        let by = approval.map(crate::model::Approval::label);
                        approvals_required.push(ApprovalRequirement {
                            any_of: group.clone(),
                            reason: rule.id.clone(),
                            also_for: Vec::new(),
                            satisfied: by.is_some(),
                            by,
                        });
                    }
                    rule_matches.push((rule.id.clone(), m));
                    findings.push(finding);
                }
            }
            same_approver_findings(change, &approvals_required, &mut findings);
            for rule in rules.iter().filter(|r| contains_approval_missing(&r.when)) {
                for req in &approvals_required {
                    let mut one = ctx.clone();
                    one.requirement = Some(req);
                    if let Some((finding, _)) = one.apply(rule) {
                        findings.push(finding);
                    }
                }
            }
        }

        sort_findings(&mut findings);
        let ok = !findings.iter().any(|f| f.severity == Severity::Error);
        Evaluation {
            keys,
            before: before_side,
            after: after_side,
            created,
            deleted,
            noop,
            computed,
            findings,
            approvals_required,
            rule_matches,
            ok,
        }
    }

    /// The user's billing access before and after (the highest level of the profile's billing
    /// capability any assignment or toggle gives), when the profile names one.
    fn billing_levels(&self, before: &Grid, after: &Grid) -> Option<OldNew<String>> {
        let profile = &self.profile;
        let cap = profile
            .doc()
            .key_capabilities
            .billing
            .as_ref()
            .and_then(|m| m.capability.as_deref())
            .and_then(|c| profile.capability(c))?;
        Some(OldNew {
            old: profile.access_name(cap, before.max(cap)).to_string(),
            new: profile.access_name(cap, after.max(cap)).to_string(),
        })
    }

    /// The matrix rows an assessment returns.
    fn effective_rows(&self, ev: &Evaluation<'_>, rows: EffectiveRows) -> Effective {
        let (grid_before, grid_after, keys) = (ev.before.grid, ev.after.grid, ev.keys);
        match rows {
            EffectiveRows::All => Effective {
                before: self.matrix_rows(grid_before, keys),
                after: self.matrix_rows(grid_after, keys),
            },
            EffectiveRows::Changed => {
                let differs = |r: &GridRow, other: &Grid| {
                    other
                        .get(r.key)
                        .is_none_or(|o| o.levels != r.levels || o.roles != r.roles)
                };
                Effective {
                    before: self.matrix_rows_where(grid_before, keys, |r| differs(r, grid_after)),
                    after: self.matrix_rows_where(grid_after, keys, |r| differs(r, grid_before)),
                }
            }
            EffectiveRows::None => Effective {
                before: Vec::new(),
                after: Vec::new(),
            },
        }
    }

    /// The structural checks that belong to a change rather than a user (SPEC §4.1).
    #[allow(clippy::too_many_arguments)]
    fn check_change<'a>(
        &self,
        change: &'a Change,
        before: &'a User,
        after: &'a User,
        created: bool,
        deleted: bool,
        computed: &diff::Computed<'_>,
        findings: &mut Vec<Finding>,
    ) {
        let diff = &computed.diff;
        let profile = &self.profile;
        let who = display_user(if deleted { before } else { after });
        let actor = &change.actor;
        if !created && !deleted && !before.email.eq_ignore_ascii_case(&after.email) {
            findings.push(
                Finding::new(
                    Code::EmailImmutable,
                    format!(
                        "the email of {who} cannot change from `{}` to `{}`",
                        before.email, after.email
                    ),
                )
                .at("after.email"),
            );
        }
        let target_ids = [before.id.as_str(), after.id.as_str()];
        if !actor.id.is_empty() && target_ids.contains(&actor.id.as_str()) {
            findings.push(
                Finding::new(
                    Code::AuthoritySelfChange,
                    format!("{} is changing their own access", display_user(actor)),
                )
                .at("actor"),
            );
        }

        for (i, approval) in change.approvals.iter().enumerate() {
            if is_self_approval(change, approval) {
                findings.push(
                    Finding::new(
                        Code::ApprovalSelf,
                        format!(
                            "the {} approval is given by `{}`, the user whose access changes: it does not count; it must come from someone else",
                            approval.kind, approval.by
                        ),
                    )
                    .at(format!("approvals[{i}].by")),
                );
            }
        }

        // Every (entity, role) the change touches, with the path that names it.
        let mut touched: Vec<(&EntityRef, &str, At)> = Vec::new();
        let every = |side: &'static str, u: &'a User| {
            let list = u.assignments.iter().enumerate();
            list.map(move |(i, a)| (&a.entity, a.role.as_str(), At::Assignment(side, i)))
        };
        if created || deleted {
            touched.extend(if created {
                every("after", after)
            } else {
                every("before", before)
            });
        } else {
            for (a, k) in diff.added.iter().zip(&computed.added) {
                touched.push((&a.entity, &a.role, At::Path(computed.after_path(*k))));
            }
            for (a, k) in diff.removed.iter().zip(&computed.removed) {
                touched.push((&a.entity, &a.role, At::Path(computed.before_path(*k))));
            }
            for (r, k) in diff.role_changed.iter().zip(&computed.role_changed) {
                let path = computed.after_path(*k);
                touched.push((&r.entity, &r.from, At::Path(path.clone())));
                touched.push((&r.entity, &r.to, At::Path(path)));
            }
            if !diff.toggles.is_empty() {
                touched.extend(every("after", after));
            }
        }
        // The actor's roles, each with where its entity sits (found once, not once per
        // entity touched).
        let actor_roles: Vec<(&EntityRef, Place, RoleId)> = actor
            .assignments
            .iter()
            .filter_map(|a| {
                let role = profile.role(&a.role)?;
                let place = self.place(&a.entity)?;
                // An assignment the profile does not allow grants nothing, authority included.
                profile
                    .role_allowed_at(role, place.0)
                    .then_some((&a.entity, place, role))
            })
            .collect();
        let mut reported: HashSet<String> = HashSet::default();
        for (entity, role, at) in touched {
            let place = self.place(entity);
            let mut reach: Vec<(&EntityRef, RoleId)> = actor_roles
                .iter()
                .filter(|(e, p, _)| {
                    *e == entity || place.is_some_and(|target| self.covers_below(*p, target))
                })
                .map(|(e, _, r)| (*e, *r))
                .collect();
            if reach.is_empty() && !self.has_directory() {
                // Without the entity tree, a role on a higher level may or may not cover
                // this entity: say so instead of blocking, and check authority with it.
                let level = place.map(|p| p.0);
                reach = actor_roles
                    .iter()
                    .filter(|(_, p, _)| level.is_some_and(|t| p.0 < t))
                    .map(|(e, _, r)| (*e, *r))
                    .collect();
                if !reach.is_empty() && reported.insert("directory".into()) {
                    findings.push(
                        Finding::new(
                            Code::DirectoryMissing,
                            format!(
                                "without a directory it cannot be checked that {} reaches {}: pass the seat's directory",
                                display_user(actor),
                                self.describe_entity(entity)
                            ),
                        )
                        .at(at.to_string()),
                    );
                }
            }
            let key = |code: &str| format!("{code}|{at}");
            if reach.is_empty() {
                if reported.insert(key("reach")) {
                    findings.push(
                        Finding::new(
                            Code::AuthorityEntityOutOfReach,
                            format!(
                                "{} has no role covering {}, so cannot grant or edit access there",
                                display_user(actor),
                                self.describe_entity(entity)
                            ),
                        )
                        .at(at.to_string())
                        .with_data(json!({"entity": entity})),
                    );
                }
                continue;
            }
            let Some(target) = profile.role(role) else {
                continue;
            };
            if !reach.iter().any(|(_, r)| profile.manages(*r, target))
                && reported.insert(key(&format!("manage:{role}")))
            {
                let held: Vec<&str> = reach
                    .iter()
                    .filter_map(|(_, r)| profile.role_doc(*r).map(|d| d.id.as_str()))
                    .collect();
                // Where the actor holds each role that reaches the entity, which may be
                // an ancestor of it: "`trader` on agency 3".
                let holdings: Vec<String> = reach
                    .iter()
                    .filter_map(|(e, r)| {
                        profile
                            .role_doc(*r)
                            .map(|d| format!("`{}` on {}", d.id, self.describe_entity(e)))
                    })
                    .collect();
                findings.push(
                    Finding::new(
                        Code::AuthorityCannotManage,
                        format!(
                            "{} holds {}, which does not manage `{role}` users, so cannot give that role on {}",
                            display_user(actor),
                            holdings.join(" and "),
                            self.describe_entity(entity)
                        ),
                    )
                    .at(at.to_string())
                    .with_data(json!({"entity": entity, "role": role, "actor_roles": held})),
                );
            }
        }
    }
}

/// Where a finding about a touched assignment points, written only when needed.
enum At {
    /// `after.assignments[3]`.
    Assignment(&'static str, usize),
    Path(String),
}

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            At::Assignment(side, i) => write!(f, "{side}.assignments[{i}]"),
            At::Path(path) => f.write_str(path),
        }
    }
}

/// Whether `by` (an email or a user id) names this user.
fn same_person(user: &User, by: &str) -> bool {
    let by = by.trim();
    !by.is_empty()
        && ((!user.email.is_empty() && user.email.eq_ignore_ascii_case(by))
            || (!user.id.is_empty() && user.id == by))
}

/// An approval by the user whose access changes is no approval. (The actor may give one:
/// a manager who makes the change approves it as the manager.)
fn is_self_approval(change: &Change, approval: &crate::model::Approval) -> bool {
    change
        .before
        .as_ref()
        .is_some_and(|u| same_person(u, &approval.by))
        || change
            .after
            .as_ref()
            .is_some_and(|u| same_person(u, &approval.by))
}

fn same_by(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// `approval.same_approver`: an approval group is unsatisfied although an approval of its
/// kind is there (and not by the user), so its giver already approved another group of the
/// same rule.
fn same_approver_findings(
    change: &Change,
    required: &[ApprovalRequirement],
    findings: &mut Vec<Finding>,
) {
    let mut reported: Vec<usize> = Vec::new();
    for req in required.iter().filter(|r| !r.satisfied) {
        let reused = change
            .approvals
            .iter()
            .enumerate()
            .find(|(_, a)| req.any_of.contains(&a.kind) && !is_self_approval(change, a));
        let Some((i, approval)) = reused else {
            continue;
        };
        if reported.contains(&i) {
            continue;
        }
        reported.push(i);
        findings.push(
            Finding::new(
                Code::ApprovalSameApprover,
                format!(
                    "`{}` already approved this change for another group, so their {} approval does not also count for {}: each approval must come from a different person",
                    approval.by,
                    approval.kind,
                    req.any_of.join(" or ")
                ),
            )
            .at(format!("approvals[{i}].by")),
        );
    }
}

fn contains_approval_missing(p: &Predicate) -> bool {
    match p {
        Predicate::ApprovalMissing => true,
        Predicate::All(list) | Predicate::Any(list) => list.iter().any(contains_approval_missing),
        Predicate::Not(q) => contains_approval_missing(q),
        _ => false,
    }
}

/// Items of `before` and `after` that pass `keep`, each id once (the after-state wins).
fn union_by_id<'a, T>(
    before: &'a [T],
    after: &'a [T],
    keep: impl Fn(&T) -> bool,
    id: impl Fn(&T) -> &String,
) -> Vec<&'a T> {
    // A set, not a sorted vector: inserting into one is quadratic on a document with many
    // tokens.
    let mut seen: rustc_hash::FxHashSet<&String> = rustc_hash::FxHashSet::default();
    after
        .iter()
        .chain(before.iter())
        .filter(|item| seen.insert(id(item)) && keep(item))
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::{diff, union_by_id, Side};
    use crate::keys::{first_assignments, Keys};
    use crate::model::{Assignment, EntityRef, User};
    use crate::{Engine, Profile};

    /// A path names the first assignment on the entity, whichever side, repeats included, as a
    /// scan of the assignments would.
    #[test]
    fn paths_name_the_first_assignment_on_an_entity() {
        let user = |n: usize, modulo: usize| User {
            assignments: (0..n)
                .map(|i| Assignment {
                    entity: EntityRef::new("advertiser", (i % modulo).to_string()),
                    role: "standard".into(),
                })
                .collect(),
            ..User::default()
        };
        let (before, after) = (user(60, 40), user(30, 25));
        let engine = Engine::new(Profile::builtin("dv360").unwrap(), None).unwrap();
        let mut keys = Keys::new(&engine);
        let (before_slots, after_slots) = (
            keys.slots(&engine, &before.assignments),
            keys.slots(&engine, &after.assignments),
        );
        let (grid_before, grid_after) = (
            engine.grid(&before, &before_slots),
            engine.grid(&after, &after_slots),
        );
        let (before_first, after_first) = (
            first_assignments(&before_slots),
            first_assignments(&after_slots),
        );
        let before_side = Side {
            user: &before,
            slots: &before_slots,
            grid: &grid_before,
            first: &before_first,
        };
        let after_side = Side {
            user: &after,
            slots: &after_slots,
            grid: &grid_after,
            first: &after_first,
        };
        let computed = diff::compute(&engine, &keys, &before_side, &after_side);
        let path = |after: bool, e: &EntityRef| match keys.find(&engine, e) {
            Some(k) if after => computed.after_path(k),
            Some(k) => computed.before_path(k),
            None => "?".to_string(),
        };
        let scan = |side: &str, u: &User, e: &EntityRef| match u
            .assignments
            .iter()
            .position(|a| &a.entity == e)
        {
            Some(i) => format!("{side}.assignments[{i}]"),
            None => format!("{side}.assignments"),
        };
        for id in 0..45 {
            let entity = EntityRef::new("advertiser", id.to_string());
            if id < 40 {
                assert_eq!(path(false, &entity), scan("before", &before, &entity));
                assert_eq!(path(true, &entity), scan("after", &after, &entity));
            } else {
                // Never met: no key.
                assert_eq!(keys.find(&engine, &entity), None);
            }
        }
        let repeated = EntityRef::new("advertiser", "7");
        assert_eq!(path(false, &repeated), "before.assignments[7]");
        let absent = EntityRef::new("advertiser", "30");
        assert_eq!(path(true, &absent), "after.assignments");
    }

    /// Each id once, the after-state's item first, in document order; `keep` applies to the
    /// item that wins, so an inactive token in `after` hides the same token in `before`.
    #[test]
    fn union_by_id_keeps_the_after_state_first() {
        let items = |list: &[(&str, bool)]| -> Vec<(String, bool)> {
            list.iter().map(|(id, on)| (id.to_string(), *on)).collect()
        };
        let before = items(&[("b", true), ("a", true), ("c", true), ("b", true)]);
        let after = items(&[("c", false), ("a", true), ("d", true), ("a", false)]);
        let ids: Vec<&str> = union_by_id(&before, &after, |t| t.1, |t| &t.0)
            .iter()
            .map(|t| t.0.as_str())
            .collect();
        assert_eq!(ids, ["a", "d", "b"]);
        // Many items with repeated ids, against a plain scan.
        let before: Vec<(String, bool)> = (0..300)
            .map(|i| (format!("t{}", i % 97), i % 3 != 0))
            .collect();
        let after: Vec<(String, bool)> = (0..200)
            .map(|i| (format!("t{}", i % 61), i % 5 != 0))
            .collect();
        let mut expected: Vec<&(String, bool)> = Vec::new();
        let mut seen: Vec<&String> = Vec::new();
        for t in after.iter().chain(before.iter()) {
            if !seen.contains(&&t.0) {
                seen.push(&t.0);
                if t.1 {
                    expected.push(t);
                }
            }
        }
        let ours = union_by_id(&before, &after, |t| t.1, |t| &t.0);
        assert_eq!(ours, expected);
        assert!(ours.len() > 50, "{}", ours.len());
    }

    proptest::proptest! {
        /// The diff walks both sides in step where they agree and looks entities up where
        /// they do not: it gives what lookups alone give, whatever the edit (roles changed,
        /// entities reordered, repeated, added, removed, roles the profile does not know).
        #[test]
        fn the_diff_agrees_with_lookups_alone(
            with_directory: bool,
            before in proptest::collection::vec((0usize..9, 0usize..6), 0..14),
            edits in proptest::collection::vec((0usize..4, 0usize..14, 0usize..9, 0usize..6), 0..6),
        ) {
            use crate::model::Directory;
            const ROLES: [&str; 6] = ["admin", "standard", "read_only", "planner", "reporting_only", "ghost"];
            let entity = |e: usize| match e {
                0 | 1 => EntityRef::new("partner", (e + 1).to_string()),
                e => EntityRef::new("advertiser", format!("{}{}", 1 + e % 2, e)),
            };
            let assignment = |(e, r): (usize, usize)| Assignment { entity: entity(e), role: ROLES[r].into() };
            let before = User { assignments: before.into_iter().map(assignment).collect(), ..User::default() };
            let mut after = before.clone();
            for (op, at, e, r) in edits {
                let list = &mut after.assignments;
                let n = list.len();
                let at = if n == 0 { 0 } else { at % n };
                match op {
                    0 if !list.is_empty() => list[at].role = ROLES[r].into(),
                    1 => list.insert(at.min(list.len()), assignment((e, r))),
                    2 if !list.is_empty() => { list.remove(at); }
                    _ if n > 1 => list.swap(at, (at + e) % n),
                    _ => {}
                }
            }
            let directory: Directory = crate::error::parse_json(
                &serde_json::json!({"entities": (0..9).map(|e| {
                    let x = entity(e);
                    match e { 0 | 1 => serde_json::json!({"level": x.level, "id": x.id}),
                        _ => serde_json::json!({"level": x.level, "id": x.id, "parent": (1 + e % 2).to_string()}) }
                }).collect::<Vec<_>>()}).to_string(), "").unwrap();
            let engine = Engine::new(Profile::builtin("dv360").unwrap(), with_directory.then_some(&directory)).unwrap();
            let mut keys = Keys::new(&engine);
            let (bs, as_) = (keys.slots(&engine, &before.assignments), keys.slots(&engine, &after.assignments));
            let (bg, ag) = (engine.grid(&before, &bs), engine.grid(&after, &as_));
            let (bf, af) = (first_assignments(&bs), first_assignments(&as_));
            let side = |user, slots, grid, first| Side { user, slots, grid, first };
            let computed = diff::compute(&engine, &keys, &side(&before, &bs, &bg, &bf), &side(&after, &as_, &ag, &af));
            let d = &computed.diff;

            // Lookups alone: each entity's first assignment on each side.
            let first = |u: &User, e: &EntityRef| u.assignments.iter().find(|a| &a.entity == e).cloned();
            let mut entities: Vec<EntityRef> = Vec::new();
            for a in after.assignments.iter().chain(&before.assignments) {
                if !entities.contains(&a.entity) {
                    entities.push(a.entity.clone());
                }
            }
            let mut added: Vec<Assignment> = entities.iter().filter(|e| first(&before, e).is_none()).filter_map(|e| first(&after, e)).collect();
            let mut removed: Vec<Assignment> = entities.iter().filter(|e| first(&after, e).is_none()).filter_map(|e| first(&before, e)).collect();
            let mut changed: Vec<(EntityRef, String, String)> = entities.iter().filter_map(|e| {
                let (b, a) = (first(&before, e)?, first(&after, e)?);
                (b.role != a.role).then(|| (e.clone(), b.role, a.role))
            }).collect();
            added.sort_by(|x, y| x.entity.cmp(&y.entity));
            removed.sort_by(|x, y| x.entity.cmp(&y.entity));
            changed.sort_by(|x, y| x.0.cmp(&y.0));
            proptest::prop_assert_eq!(&d.added, &added);
            proptest::prop_assert_eq!(&d.removed, &removed);
            let ours: Vec<(EntityRef, String, String)> = d.role_changed.iter().map(|r| (r.entity.clone(), r.from.clone(), r.to.clone())).collect();
            proptest::prop_assert_eq!(ours, changed);

            // Levels: the after grid's rows in order, each against its row before, then the
            // rows only the before grid has.
            let caps = engine.profile().capabilities().len();
            let zeros = vec![0u8; caps];
            let mut moves: Vec<(usize, usize, u8, u8)> = Vec::new();
            let rows = ag.rows.iter().map(|r| (r.key, bg.get(r.key).map_or(&zeros[..], |b| &b.levels[..]), &r.levels[..]));
            let gone = bg.rows.iter().filter(|r| ag.get(r.key).is_none()).map(|r| (r.key, &r.levels[..], &zeros[..]));
            for (key, from, to) in rows.chain(gone) {
                for (cap, (f, t)) in from.iter().zip(to).enumerate() {
                    if f != t {
                        moves.push((key, cap, *f, *t));
                    }
                }
            }
            let ours: Vec<(usize, usize, u8, u8)> = computed.gained.iter().chain(&computed.lost)
                .map(|c| (c.key, c.cap, c.from, c.to)).collect();
            let (up, down): (Vec<_>, Vec<_>) = moves.into_iter().partition(|m| m.3 > m.2);
            let expected: Vec<_> = up.into_iter().chain(down).collect();
            proptest::prop_assert_eq!(ours, expected);
        }
    }
}
