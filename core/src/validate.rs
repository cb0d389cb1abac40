//! Structural checks on one user (SPEC §4.1).

use serde_json::json;

use crate::engine::{Engine, Located};
use crate::finding::Code;
use crate::json::join_path;
use crate::keys::{first_assignments, Firsts, Key, Keys, Slot};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::finding::{sort_findings, Finding, Severity};
use crate::model::{Assignment, User, Who};

/// The answer to "is this user's access valid?".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Validation {
    /// True when no finding is an `error`.
    pub ok: bool,
    /// Sorted by severity, then code, then path.
    pub findings: Vec<Finding>,
}

impl Engine {
    /// Validates one user: `{ok, findings}`, the findings sorted. Every face's
    /// `validate_user` (and the CLI's `validate`) is this call.
    pub fn validate_user(&self, user: &User) -> Validation {
        let mut findings = self.validate_user_at(user, "");
        sort_findings(&mut findings);
        Validation {
            ok: !findings.iter().any(|f| f.severity == Severity::Error),
            findings,
        }
    }

    /// The structural findings on one user whose document sits at `prefix` (`after`).
    pub(crate) fn validate_user_at(&self, user: &User, prefix: &str) -> Vec<Finding> {
        let mut keys = Keys::new(self);
        let slots = keys.slots(self, &user.assignments);
        let first = first_assignments(&slots);
        self.validate_resolved(user, &slots, &first, prefix)
    }

    /// `validate_user_at`, with the user's assignments resolved (`Keys::slots`) and the
    /// first assignment on each entity (`first_assignments`).
    pub(crate) fn validate_resolved(
        &self,
        user: &User,
        slots: &[Slot],
        firsts: &Firsts,
        prefix: &str,
    ) -> Vec<Finding> {
        let constraints = self.profile().constraints();
        let check = UserCheck {
            user,
            who: Who(user),
            slots,
            firsts,
            prefix,
        };
        let mut out = Vec::new();
        self.check_user_fields(&check, constraints.min_assignments, &mut out);
        self.check_assignments(
            &check.who,
            &user.assignments,
            slots,
            prefix,
            "assignments",
            &mut out,
        );
        if let Some(elevation) = &user.elevation {
            let list = &elevation.revert_to;
            let slots = Keys::new(self).slots(self, list);
            self.check_assignments(
                &check.who,
                list,
                &slots,
                prefix,
                "elevation.revert_to",
                &mut out,
            );
        }
        if constraints.single_family {
            self.check_single_family(&check, &mut out);
        }
        if constraints.uniform_role {
            self.check_uniform_role(&check, &mut out);
        }
        if constraints.one_role_per_entity && firsts.once.len() < slots.len() {
            self.check_one_role_per_entity(&check, &mut out);
        }
        if constraints.no_parent_and_child {
            if !self.has_directory() {
                self.check_levels_without_directory(&check, &mut out);
            } else {
                self.check_parent_and_child(&check, &mut out);
            }
        }
        out
    }

    /// The user's own fields: its email, the number of its assignments, its toggles.
    fn check_user_fields(
        &self,
        check: &UserCheck<'_>,
        min_assignments: u32,
        out: &mut Vec<Finding>,
    ) {
        let (user, who) = (check.user, &check.who);
        let profile = self.profile();
        if !is_valid_email(&user.email) {
            let message = if user.email.is_empty() {
                format!("{who} has no email address")
            } else {
                format!("`{}` is not a valid email address", user.email)
            };
            out.push(Finding::new(Code::EmailInvalid, message).at(check.path("email")));
        }
        if user.assignments.len() < min_assignments as usize {
            out.push(
                Finding::new(
                    Code::UserNoAssignments,
                    format!(
                        "{who} has {} assignment(s); {} requires at least {}",
                        user.assignments.len(),
                        profile.doc().name,
                        min_assignments
                    ),
                )
                .at(check.path("assignments")),
            );
        }
        for id in user.toggles.keys() {
            if profile.toggle_grants(id).is_none() {
                out.push(
                    Finding::new(
                        Code::ToggleUnknown,
                        format!("{} has no toggle `{id}`", profile.doc().name),
                    )
                    .at(check.path(&format!("toggles.{id}"))),
                );
            }
        }
    }

    /// `family.mixed`: each role outside the family of the user's first known role.
    fn check_single_family(&self, check: &UserCheck<'_>, out: &mut Vec<Finding>) {
        let (user, who) = (check.user, &check.who);
        let profile = self.profile();
        let roles = check.slots.iter().map(|s| s.role);
        let Some(first) = roles.clone().flatten().next() else {
            return;
        };
        let family = profile.role_family(first).map(|f| f.id.as_str());
        let first_family = profile.family_of(first);
        for (i, r) in roles.enumerate() {
            let Some(r) = r else { continue };
            // Compared as indexes; the ids are read for a finding only.
            if profile.family_of(r) != first_family {
                let other = profile.role_family(r).map(|f| f.id.as_str());
                out.push(
                    Finding::new(
                        Code::FamilyMixed,
                        format!(
                            "{who} would hold `{}` ({} family) next to `{}` ({} family); roles must stay in one family",
                            user.assignments.get(i).map_or("", |a| a.role.as_str()),
                            other.unwrap_or("?"),
                            user.assignments.iter().find(|a| profile.role(&a.role) == Some(first)).map_or("", |a| a.role.as_str()),
                            family.unwrap_or("?"),
                        ),
                    )
                    .at(check.path(&format!("assignments[{i}]")))
                    .with_data(json!({"families": [family, other]})),
                );
            }
        }
    }

    /// `role.not_uniform`: each assignment whose role is not the first assignment's.
    fn check_uniform_role(&self, check: &UserCheck<'_>, out: &mut Vec<Finding>) {
        let (user, who) = (check.user, &check.who);
        let Some(first) = user.assignments.first() else {
            return;
        };
        for (i, a) in user.assignments.iter().enumerate().skip(1) {
            if a.role != first.role {
                out.push(
                    Finding::new(
                        Code::RoleNotUniform,
                        format!(
                            "{who} has `{}` on {} but `{}` on {}; {} gives a user one role for all scopes",
                            a.role, a.entity, first.role, first.entity, self.profile().doc().name
                        ),
                    )
                    .at(check.path(&format!("assignments[{i}].role"))),
                );
            }
        }
    }

    /// `entity.duplicate`: each assignment that is not the first on its entity.
    fn check_one_role_per_entity(&self, check: &UserCheck<'_>, out: &mut Vec<Finding>) {
        let (user, who) = (check.user, &check.who);
        // The assignments that are not the first on their entity: those `once` skips.
        let mut firsts = check.firsts.once.iter().copied().peekable();
        for ((i, a), slot) in user.assignments.iter().enumerate().zip(check.slots) {
            if firsts.next_if_eq(&i).is_some() {
                continue;
            }
            let Some(&j) = check.firsts.by_key.get(&slot.key) else {
                continue;
            };
            out.push(
                Finding::new(
                    Code::EntityDuplicate,
                    format!(
                        "{who} holds two roles on {}: assignments {j} and {i}",
                        self.describe_entity(&a.entity)
                    ),
                )
                .at(check.path(&format!("assignments[{i}]"))),
            );
        }
    }

    /// `directory.missing`: roles at several levels, which only a directory can order.
    fn check_levels_without_directory(&self, check: &UserCheck<'_>, out: &mut Vec<Finding>) {
        let who = &check.who;
        let mut levels = check.user.assignments.iter().map(|a| &a.entity.level);
        let first = levels.next();
        if levels.any(|l| Some(l) != first) {
            out.push(
                Finding::new(
                    Code::DirectoryMissing,
                    format!("{who} has roles at several levels, but without a directory parents and children cannot be checked"),
                )
                .at(check.path("assignments")),
            );
        }
    }

    /// `entity.parent_and_child`: each assignment below an entity the user also holds a
    /// role on.
    fn check_parent_and_child(&self, check: &UserCheck<'_>, out: &mut Vec<Finding>) {
        let (user, who) = (check.user, &check.who);
        // Climb from each assignment to its ancestors: linear in assignments × depth.
        // A directory node's key is the node, so the first assignment on an ancestor
        // is found in `first`. Only entities with entities below them can be
        // ancestors: most users have none, and then there is nothing to climb to.
        let any_parent = check.slots.iter().any(|s| self.has_children(s));
        let assignments = user.assignments.iter().enumerate().zip(check.slots);
        for ((i, child), slot) in assignments.filter(|_| any_parent) {
            let Some(node) = slot.node() else {
                continue;
            };
            for ancestor in self.ancestor_nodes(node) {
                let Some(&j) = check.firsts.by_key.get(&Key::from_node(ancestor)) else {
                    continue;
                };
                let Some(parent) = user.assignments.get(j) else {
                    continue;
                };
                out.push(
                    Finding::new(
                        Code::EntityParentAndChild,
                        format!(
                            "{who} holds `{}` on {} and `{}` on its ancestor {}",
                            child.role,
                            self.describe_entity(&child.entity),
                            parent.role,
                            self.describe_entity(&parent.entity)
                        ),
                    )
                    .at(check.path(&format!("assignments[{i}]")))
                    .with_data(json!({"parent": parent.entity, "child": child.entity})),
                );
            }
        }
    }

    /// Checks each assignment on its own, with its role and place resolved (`slots`).
    fn check_assignments(
        &self,
        who: &Who<'_>,
        assignments: &[Assignment],
        slots: &[Slot],
        prefix: &str,
        field: &str,
        out: &mut Vec<Finding>,
    ) {
        let profile = self.profile();
        for (i, (a, slot)) in assignments.iter().zip(slots).enumerate() {
            let (role, located) = (slot.role, slot.located);
            // Paths are written only for findings: most assignments have none.
            let at = || join_path(prefix, &format!("{field}[{i}]"));
            if role.is_none() {
                out.push(
                    Finding::new(
                        Code::RoleUnknown,
                        format!("`{}` is not a role of {}", a.role, profile.doc().name),
                    )
                    .at(format!("{}.role", at())),
                );
            }
            match located {
                Located::UnknownLevel => out.push(
                    Finding::new(
                        Code::LevelUnknown,
                        format!(
                            "`{}` is not a level of {} ({})",
                            a.entity.level,
                            profile.doc().name,
                            profile.levels().join(", ")
                        ),
                    )
                    .at(format!("{}.entity.level", at())),
                ),
                Located::UnknownEntity { .. } => out.push(
                    Finding::new(
                        Code::EntityUnknown,
                        format!("{} is not in the directory", a.entity),
                    )
                    .at(format!("{}.entity", at())),
                ),
                Located::Known { level, .. } => {
                    if let Some(role) = role {
                        if !profile.role_allowed_at(role, level) {
                            let allowed = profile
                                .role_doc(role)
                                .map(|r| r.levels.join(" or "))
                                .unwrap_or_default();
                            out.push(
                                Finding::new(
                                    Code::RoleLevelNotAllowed,
                                    format!(
                                        "{who} holds `{}` on {}, but it can only be assigned at the {allowed} level",
                                        a.role, a.entity
                                    ),
                                )
                                .at(format!("{}.role", at())),
                            );
                        }
                    }
                }
            }
        }
    }
}

/// One user under validation: its assignments resolved, the first assignment on each
/// entity, and the path its document sits at.
struct UserCheck<'a> {
    user: &'a User,
    who: Who<'a>,
    slots: &'a [Slot],
    firsts: &'a Firsts,
    prefix: &'a str,
}

impl UserCheck<'_> {
    /// The path of a field of the user's document: `rest` under the prefix.
    fn path(&self, rest: &str) -> String {
        join_path(self.prefix, rest)
    }
}

/// A pragmatic address check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && email.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::is_valid_email;

    #[test]
    fn emails() {
        assert!(is_valid_email("ana@agency.example"));
        assert!(!is_valid_email("ana@agency"));
        assert!(!is_valid_email("ana agency@x.example"));
        assert!(!is_valid_email("@x.example"));
        assert!(!is_valid_email("a@b@c.example"));
        assert!(!is_valid_email(""));
    }
}
