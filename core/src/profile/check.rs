//! Every reference in a profile is checked when it loads; each problem carries its path.

use std::collections::{BTreeMap, HashSet};

use super::doc::*;
use super::STANDARD_APPROVALS;
use crate::error::{Problem, ProfileProblem};

struct Checker<'a> {
    doc: &'a ProfileDoc,
    problems: Vec<Problem>,
}

pub(super) fn check(doc: &ProfileDoc) -> Vec<Problem> {
    let mut c = Checker {
        doc,
        problems: Vec::new(),
    };
    c.run();
    c.problems
}

impl Checker<'_> {
    fn problem(&mut self, kind: ProfileProblem, path: String, message: String) {
        self.problems.push(Problem::new(kind, path, message));
    }

    fn unique<'b>(&mut self, what: &str, path: &str, ids: impl Iterator<Item = &'b String>) {
        let mut seen = HashSet::new();
        for (i, id) in ids.enumerate() {
            if id.is_empty() {
                self.problem(
                    ProfileProblem::EmptyId,
                    format!("{path}[{i}]"),
                    format!("{what} id is empty"),
                );
            } else if !seen.insert(id.clone()) {
                self.problem(
                    ProfileProblem::DuplicateId,
                    format!("{path}[{i}]"),
                    format!("{what} `{id}` is defined twice"),
                );
            }
        }
    }

    fn run(&mut self) {
        let doc = self.doc;
        self.top_level();
        self.unique_ids();
        self.capabilities();
        let family_ids: HashSet<&str> = doc.families.iter().map(|f| f.id.as_str()).collect();
        let role_ids: HashSet<&str> = doc.roles.iter().map(|r| r.id.as_str()).collect();
        for (i, role) in doc.roles.iter().enumerate() {
            self.role(i, role, &family_ids, &role_ids);
        }
        for (i, toggle) in doc.toggles.iter().enumerate() {
            self.grants(&format!("toggles[{i}].grants"), &toggle.grants);
        }
        self.redactions();
        let approval_kinds: HashSet<&str> = STANDARD_APPROVALS
            .iter()
            .copied()
            .chain(doc.approval_kinds.iter().map(String::as_str))
            .collect();
        for (i, rule) in doc.rules.iter().enumerate() {
            let path = format!("rules[{i}]");
            self.predicate(&format!("{path}.when"), &rule.when, 0);
            self.approvals(
                &format!("{path}.approvals"),
                &rule.approvals,
                &approval_kinds,
            );
        }
        self.key_capabilities();
        self.rule_overrides(&approval_kinds);
        self.role_overrides(&role_ids);
    }

    /// The profile's id and its scope levels.
    fn top_level(&mut self) {
        let doc = self.doc;
        if doc.id.is_empty() {
            self.problem(
                ProfileProblem::EmptyId,
                "id".into(),
                "profile id is empty".into(),
            );
        }
        if doc.levels.is_empty() {
            self.problem(
                ProfileProblem::NoLevels,
                "levels".into(),
                "a profile needs at least one scope level".into(),
            );
        }
        self.unique("level", "levels", doc.levels.iter());
        if doc.levels.len() > super::MAX_LEVELS {
            self.problem(
                ProfileProblem::TooManyLevels,
                "levels".into(),
                format!("a profile has at most {} scope levels", super::MAX_LEVELS),
            );
        }
    }

    /// The ids of capabilities, families, roles, toggles and rules: none empty, none twice.
    fn unique_ids(&mut self) {
        let doc = self.doc;
        self.unique(
            "capability",
            "capabilities",
            doc.capabilities.iter().map(|c| &c.id),
        );
        self.unique("family", "families", doc.families.iter().map(|f| &f.id));
        self.unique("role", "roles", doc.roles.iter().map(|r| &r.id));
        self.unique("toggle", "toggles", doc.toggles.iter().map(|t| &t.id));
        self.unique("rule", "rules", doc.rules.iter().map(|r| &r.id));
    }

    /// Each capability's access levels: between two and 255, none twice.
    fn capabilities(&mut self) {
        for (i, cap) in self.doc.capabilities.iter().enumerate() {
            if cap.levels.len() < 2 {
                self.problem(
                    ProfileProblem::CapabilityLevels,
                    format!("capabilities[{i}].levels"),
                    format!(
                        "capability `{}` needs at least two access levels (none and one more)",
                        cap.id
                    ),
                );
            }
            if cap.levels.len() > usize::from(u8::MAX) {
                self.problem(
                    ProfileProblem::CapabilityLevels,
                    format!("capabilities[{i}].levels"),
                    format!("capability `{}` has more than 255 access levels", cap.id),
                );
            }
            self.unique(
                "access level",
                &format!("capabilities[{i}].levels"),
                cap.levels.iter(),
            );
        }
    }

    /// The `i`-th role: its family, its levels, its grants and the roles it manages.
    fn role(
        &mut self,
        i: usize,
        role: &RoleDoc,
        family_ids: &HashSet<&str>,
        role_ids: &HashSet<&str>,
    ) {
        let path = format!("roles[{i}]");
        if !family_ids.contains(role.family.as_str()) {
            self.problem(
                ProfileProblem::UnknownFamily,
                format!("{path}.family"),
                format!("role `{}` names unknown family `{}`", role.id, role.family),
            );
        }
        if role.levels.is_empty() {
            self.problem(
                ProfileProblem::RoleLevels,
                format!("{path}.levels"),
                format!("role `{}` may not be assigned anywhere", role.id),
            );
        }
        for (j, level) in role.levels.iter().enumerate() {
            if !self.doc.levels.contains(level) {
                self.problem(
                    ProfileProblem::UnknownLevel,
                    format!("{path}.levels[{j}]"),
                    format!("role `{}` names unknown level `{level}`", role.id),
                );
            }
        }
        self.grants(&format!("{path}.grants"), &role.grants);
        for (j, m) in role.manages.iter().enumerate() {
            if !role_ids.contains(m.as_str()) && !family_ids.contains(m.as_str()) {
                self.problem(
                    ProfileProblem::UnknownRole,
                    format!("{path}.manages[{j}]"),
                    format!(
                        "role `{}` manages `{m}`, which is neither a role nor a family",
                        role.id
                    ),
                );
            }
        }
    }

    /// Each redaction's guard: a known capability, and a level of it.
    fn redactions(&mut self) {
        let doc = self.doc;
        for (i, r) in doc.redactions.iter().enumerate() {
            let path = format!("redactions[{i}]");
            match doc.capabilities.iter().find(|c| c.id == r.unless) {
                None => self.problem(
                    ProfileProblem::UnknownCapability,
                    format!("{path}.unless"),
                    format!("redaction is guarded by unknown capability `{}`", r.unless),
                ),
                Some(cap) => {
                    if let Some(level) = &r.unless_level {
                        if !cap.levels.contains(level) {
                            self.problem(
                                ProfileProblem::UnknownAccessLevel,
                                format!("{path}.unless_level"),
                                format!(
                                    "`{level}` is not a level of `{}` ({})",
                                    cap.id,
                                    cap.levels.join(", ")
                                ),
                            );
                        }
                    }
                }
            }
        }
    }

    /// The admin, billing and tokens capabilities: each names a capability and a level of it.
    fn key_capabilities(&mut self) {
        let doc = self.doc;
        for (key, m) in [
            ("admin", &doc.key_capabilities.admin),
            ("billing", &doc.key_capabilities.billing),
            ("tokens", &doc.key_capabilities.tokens),
        ] {
            if let Some(m) = m {
                if m.capability.is_none() {
                    self.problem(
                        ProfileProblem::BadPredicate,
                        format!("key_capabilities.{key}"),
                        "name a capability".into(),
                    );
                }
                self.capability_match(&format!("key_capabilities.{key}"), m);
            }
        }
    }

    /// Each rule override: of a known rule, with known approval kinds.
    fn rule_overrides(&mut self, approval_kinds: &HashSet<&str>) {
        let doc = self.doc;
        let rule_ids: HashSet<&str> = doc.rules.iter().map(|r| r.id.as_str()).collect();
        for (id, o) in &doc.rule_overrides {
            let path = format!("rule_overrides.{id}");
            if !rule_ids.contains(id.as_str()) {
                self.problem(
                    ProfileProblem::UnknownRule,
                    path.clone(),
                    format!("override of unknown rule `{id}`"),
                );
            }
            if let Some(a) = &o.approvals {
                self.approvals(&format!("{path}.approvals"), a, approval_kinds);
            }
        }
    }

    /// Each role override: of a known role, with known grants.
    fn role_overrides(&mut self, role_ids: &HashSet<&str>) {
        for (id, o) in &self.doc.role_overrides {
            let path = format!("role_overrides.{id}");
            if !role_ids.contains(id.as_str()) {
                self.problem(
                    ProfileProblem::UnknownRole,
                    path.clone(),
                    format!("override of unknown role `{id}`"),
                );
            }
            self.grants(&format!("{path}.grants"), &o.grants);
        }
    }

    fn approvals(&mut self, path: &str, groups: &[Vec<String>], kinds: &HashSet<&str>) {
        for (j, group) in groups.iter().enumerate() {
            if group.is_empty() {
                self.problem(
                    ProfileProblem::EmptyApprovalGroup,
                    format!("{path}[{j}]"),
                    "an approval group needs at least one kind".into(),
                );
            }
            for (k, kind) in group.iter().enumerate() {
                if !kinds.contains(kind.as_str()) {
                    self.problem(
                        ProfileProblem::UnknownApproval,
                        format!("{path}[{j}][{k}]"),
                        format!("unknown approval kind `{kind}` (add it to `approval_kinds`)"),
                    );
                }
            }
        }
    }

    fn grants(&mut self, path: &str, grants: &BTreeMap<String, String>) {
        for (cap_id, level) in grants {
            match self.doc.capabilities.iter().find(|c| &c.id == cap_id) {
                None => self.problem(
                    ProfileProblem::UnknownCapability,
                    format!("{path}.{cap_id}"),
                    format!("unknown capability `{cap_id}`"),
                ),
                Some(cap) if !cap.levels.contains(level) => self.problem(
                    ProfileProblem::UnknownAccessLevel,
                    format!("{path}.{cap_id}"),
                    format!(
                        "`{level}` is not a level of `{cap_id}`, whose top level is `{}` ({})",
                        cap.levels.last().map_or("", String::as_str),
                        cap.levels.join(", ")
                    ),
                ),
                Some(_) => {}
            }
        }
    }

    fn capability_match(&mut self, path: &str, m: &CapabilityMatch) {
        let Some(cap_id) = &m.capability else {
            if m.level.is_some() {
                self.problem(
                    ProfileProblem::BadPredicate,
                    format!("{path}.level"),
                    "a level needs a capability".into(),
                );
            }
            return;
        };
        match self.doc.capabilities.iter().find(|c| &c.id == cap_id) {
            None => self.problem(
                ProfileProblem::UnknownCapability,
                format!("{path}.capability"),
                format!("unknown capability `{cap_id}`"),
            ),
            Some(cap) => {
                if let Some(level) = &m.level {
                    if !cap.levels.contains(level) || cap.levels.first() == Some(level) {
                        self.problem(
                            ProfileProblem::UnknownAccessLevel,
                            format!("{path}.level"),
                            format!(
                                "`{level}` is not a level above none of `{cap_id}` ({})",
                                cap.levels.join(", ")
                            ),
                        );
                    }
                }
            }
        }
    }

    fn role_or_family(&mut self, path: &str, name: &str) {
        let known = self.doc.roles.iter().any(|r| r.id == name)
            || self.doc.families.iter().any(|f| f.id == name);
        if !known {
            self.problem(
                ProfileProblem::UnknownRole,
                path.to_string(),
                format!("`{name}` is neither a role nor a family"),
            );
        }
    }

    fn predicate(&mut self, path: &str, p: &Predicate, depth: usize) {
        if depth > 32 {
            self.problem(
                ProfileProblem::BadPredicate,
                path.to_string(),
                "predicate nests too deeply".into(),
            );
            return;
        }
        match p {
            Predicate::All(list) | Predicate::Any(list) => {
                let key = if matches!(p, Predicate::All(_)) {
                    "all"
                } else {
                    "any"
                };
                if list.is_empty() {
                    self.problem(
                        ProfileProblem::BadPredicate,
                        format!("{path}.{key}"),
                        format!("`{key}` needs at least one predicate"),
                    );
                }
                for (i, q) in list.iter().enumerate() {
                    self.predicate(&format!("{path}.{key}[{i}]"), q, depth + 1);
                }
            }
            Predicate::Not(q) => self.predicate(&format!("{path}.not"), q, depth + 1),
            Predicate::Gains(m) => self.capability_match(&format!("{path}.gains"), m),
            Predicate::Loses(m) => self.capability_match(&format!("{path}.loses"), m),
            Predicate::LastHolder(m) => self.capability_match(&format!("{path}.last_holder"), m),
            Predicate::RoleFrom(r) => self.role_or_family(&format!("{path}.role_from"), r),
            Predicate::RoleTo(r) => self.role_or_family(&format!("{path}.role_to"), r),
            Predicate::ToggleOn(t) | Predicate::ToggleOff(t) | Predicate::ToggleKept(t) => {
                if !self.doc.toggles.iter().any(|x| &x.id == t) {
                    let key = match p {
                        Predicate::ToggleOn(_) => "toggle_on",
                        Predicate::ToggleOff(_) => "toggle_off",
                        _ => "toggle_kept",
                    };
                    self.problem(
                        ProfileProblem::UnknownToggle,
                        format!("{path}.{key}"),
                        format!("unknown toggle `{t}`"),
                    );
                }
            }
            Predicate::OwnsActive(o) => {
                if let Some(m) = &o.losing {
                    self.capability_match(&format!("{path}.owns_active.losing"), m);
                }
            }
            Predicate::Missing(field) => {
                if !MISSING_FIELDS.contains(&field.as_str()) {
                    self.problem(
                        ProfileProblem::BadPredicate,
                        format!("{path}.missing"),
                        format!(
                            "`missing` knows {}, not `{field}`",
                            MISSING_FIELDS.join(", ")
                        ),
                    );
                }
            }
            Predicate::EmailDomainOutside(domains) => {
                if domains.is_empty() {
                    self.problem(
                        ProfileProblem::BadPredicate,
                        format!("{path}.email_domain_outside"),
                        "give at least one domain".into(),
                    );
                }
            }
            Predicate::RoleChanged
            | Predicate::EntityAdded
            | Predicate::EntityRemoved
            | Predicate::AllGranted
            | Predicate::HasActiveTokens
            | Predicate::OwnsAssetsInRemoved
            | Predicate::Temporary
            | Predicate::FamilyChanged
            | Predicate::Deleted
            | Predicate::Created
            | Predicate::ElevationExpired
            | Predicate::ActivityDenied
            | Predicate::ApprovalMissing
            | Predicate::RoleElevated
            | Predicate::ElevationTokens
            | Predicate::ApprovalUnreferenced => {}
        }
    }
}
