//! Change-impact assessment: what a change breaks, needs, and the steps to carry it out.
//!
//! This file runs an assessment from end to end: both sides of the change resolved
//! (`prepare.rs`), the diff (`diff.rs`), the checks of the change (`authority.rs`), the
//! profile's rules and the approvals they ask for (`approvals.rs`, `rules.rs`,
//! `predicates.rs`), then the plan, the log entry (`plan.rs`), the platform requests
//! (`requests.rs`) and the matrix rows. The answers are in `results.rs`.

mod approvals;
mod authority;
mod diff;
#[cfg(test)]
mod diff_tests;
mod plan;
mod predicates;
mod prepare;
mod requests;
mod results;
mod rules;

pub use diff::{AccessChange, Diff, RoleChange, ToggleChange};
pub use plan::{LogEntry, MissingApproval, OldNew, PlanStep};
pub(crate) use prepare::Prepared;
pub use requests::PlatformRequest;
pub use results::{
    ApprovalRequirement, AssessOptions, Assessment, Check, Effective, EffectiveRows, Save, Verdict,
};

use crate::access::{Grid, GridRow};
use crate::engine::Engine;
use crate::finding::Code;
use crate::finding::{sort_findings, Finding, Severity};
use crate::keys::Keys;
use crate::model::{Change, User};
use approvals::RuleMatches;
use authority::Authority;
use diff::Side;
use prepare::Resolved;

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
    rule_matches: RuleMatches,
    ok: bool,
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

    /// `assess_with` on a change a draft has prepared, or on one resolved for this call.
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
            verdict: Verdict::of(ok, &approvals_required),
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

    /// `check` on a change a draft has prepared, or on one resolved for this call.
    pub(crate) fn check_prepared(&self, change: &Change, prepared: Option<&Prepared>) -> Check {
        let empty = User::default();
        let before = change.before.as_ref().unwrap_or(&empty);
        let after = change.after.as_ref().unwrap_or(&empty);
        let resolved = self.resolve(before, after, prepared);
        let ev = self.evaluate(change, &resolved, before, after);
        Check {
            ok: ev.ok,
            verdict: Verdict::of(ev.ok, &ev.approvals_required),
            findings: ev.findings,
            diff: ev.computed.diff,
            approvals_required: ev.approvals_required,
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
        let before_side = resolved.before(before);
        let after_side = resolved.after(after);
        let computed = diff::compute(self, keys, &before_side, &after_side);

        let mut findings = self.structural_findings(change, resolved, &after_side);
        let authority = Authority {
            engine: self,
            change,
            before,
            after,
            created,
            deleted,
            computed: &computed,
        };
        authority.check_change(&mut findings);

        let noop = !created && !deleted && computed.diff.is_empty() && same_details(before, after);
        let (approvals_required, rule_matches) = if noop {
            (Vec::new(), Vec::new())
        } else {
            let ctx = rules::Ctx::new(self, change, keys, before_side, after_side, &computed);
            approvals::apply_rules(&ctx, &mut findings)
        };

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

    /// The structural findings on the after-state (kept by a draft, or found now), and
    /// `user.no_assignments` for a change with neither a before nor an after state.
    fn structural_findings(
        &self,
        change: &Change,
        resolved: &Resolved<'_>,
        after: &Side<'_>,
    ) -> Vec<Finding> {
        let mut findings = Vec::new();
        if let Some(a) = &change.after {
            match &resolved.after_findings {
                Some(cached) => findings.extend(cached.iter().cloned()),
                None => {
                    findings.extend(self.validate_resolved(a, after.slots, after.first, "after"))
                }
            }
        }
        if change.before.is_none() && change.after.is_none() {
            findings.push(
                Finding::new(
                    Code::UserNoAssignments,
                    "the change has neither a before nor an after state",
                )
                .at("after"),
            );
        }
        findings
    }

    /// The user's billing access before and after (the highest level of the profile's billing
    /// capability any assignment or toggle gives), when the profile names one.
    fn billing_levels(&self, before: &Grid, after: &Grid) -> Option<OldNew<String>> {
        let profile = self.profile();
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
}

/// Whether a user's own details (email, name, elevation) are the same on both sides.
fn same_details(before: &User, after: &User) -> bool {
    before.email == after.email && before.name == after.name && before.elevation == after.elevation
}
