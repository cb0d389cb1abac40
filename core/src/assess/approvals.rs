//! The approvals of a change: the profile's rules applied with the approval groups they ask
//! for, who satisfies each group, and the findings about approvals (`approval.self`,
//! `approval.same_approver`, the `approval_missing` rules).

use super::results::ApprovalRequirement;
use super::rules::{Ctx, Matches};
use crate::finding::Code;
use crate::finding::Finding;
use crate::model::{Approval, Change, User};
use crate::profile::{Predicate, RuleDoc};

/// What each matched rule matched, by rule id, in the order of the rules.
pub(super) type RuleMatches = Vec<(String, Matches)>;

/// Applies the profile's rules to a change. Each rule that matches adds its finding and the
/// approval groups it asks for; then `approval.same_approver` is checked, and the rules that
/// look for a missing approval are applied once per group.
pub(super) fn apply_rules(
    ctx: &Ctx<'_>,
    findings: &mut Vec<Finding>,
) -> (Vec<ApprovalRequirement>, RuleMatches) {
    let change = ctx.change;
    let rules = ctx.engine.profile().rules();
    let mut groups = Groups {
        change,
        required: Vec::new(),
        people: Vec::new(),
    };
    let mut rule_matches = Vec::new();
    for rule in rules.iter().filter(|r| !contains_approval_missing(&r.when)) {
        if let Some((finding, m)) = ctx.apply(rule) {
            groups.add(rule);
            rule_matches.push((rule.id.clone(), m));
            findings.push(finding);
        }
    }
    let required = groups.required;
    same_approver_findings(change, &required, findings);
    for rule in rules.iter().filter(|r| contains_approval_missing(&r.when)) {
        for req in &required {
            let mut one = ctx.clone();
            one.requirement = Some(req);
            if let Some((finding, _)) = one.apply(rule) {
                findings.push(finding);
            }
        }
    }
    (required, rule_matches)
}

/// The approval groups asked for so far, with who satisfies each.
struct Groups<'c> {
    change: &'c Change,
    required: Vec<ApprovalRequirement>,
    /// Who satisfied each entry of `required`.
    people: Vec<Option<&'c str>>,
}

impl<'c> Groups<'c> {
    /// Adds the approval groups of a rule that matched. The groups of one rule need different
    /// people: one person cannot be both the manager and security (`approval.same_approver`).
    fn add(&mut self, rule: &RuleDoc) {
        let change = self.change;
        let mut used: Vec<&'c str> = Vec::new();
        for group in &rule.approvals {
            // Two rules asking for the same group share one entry.
            let same = |r: &ApprovalRequirement| {
                r.any_of.len() == group.len() && group.iter().all(|k| r.any_of.contains(k))
            };
            if let Some(i) = self.required.iter().position(same) {
                if let Some(existing) = self.required.get_mut(i) {
                    existing.also_for.push(rule.id.clone());
                }
                used.extend(self.people.get(i).copied().flatten());
                continue;
            }
            // An approval by the user being changed counts for nothing (approval.self).
            let approval = change
                .approvals
                .iter()
                .filter(|a| group.contains(&a.kind) && !is_self_approval(change, a))
                .find(|a| !used.iter().any(|p| same_by(p, &a.by)));
            used.extend(approval.map(|a| a.by.as_str()));
            self.people.push(approval.map(|a| a.by.as_str()));
            let by = approval.map(Approval::label);
            self.required.push(ApprovalRequirement {
                any_of: group.clone(),
                reason: rule.id.clone(),
                also_for: Vec::new(),
                satisfied: by.is_some(),
                by,
            });
        }
    }
}

/// `approval.self`: each approval given by the user whose access changes.
pub(super) fn self_approval_findings(change: &Change, findings: &mut Vec<Finding>) {
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
fn is_self_approval(change: &Change, approval: &Approval) -> bool {
    change
        .before
        .as_ref()
        .is_some_and(|u| same_person(u, &approval.by))
        || change
            .after
            .as_ref()
            .is_some_and(|u| same_person(u, &approval.by))
}

/// Whether two approvals' `by` name the same person (trimmed, case aside).
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

/// Whether a rule's condition looks for a missing approval: such a rule is applied once per
/// approval group, after the others.
fn contains_approval_missing(p: &Predicate) -> bool {
    match p {
        Predicate::ApprovalMissing => true,
        Predicate::All(list) | Predicate::Any(list) => list.iter().any(contains_approval_missing),
        Predicate::Not(q) => contains_approval_missing(q),
        _ => false,
    }
}
