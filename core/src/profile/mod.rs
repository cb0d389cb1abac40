//! Profiles: parsing, checking every reference, and compiling into lookup tables.

mod check;
mod doc;
mod facts;
mod sources;

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

pub use doc::*;
pub use facts::Fact;

use crate::error::{Problem, ProfileError, ProfileProblem};
use crate::finding::Severity;
use crate::ids::id_type;

id_type! {
    /// Dense index of a capability in a profile.
    pub struct CapId;
}
id_type! {
    /// Dense index of a role in a profile.
    pub struct RoleId;
}
id_type! {
    /// Dense index of a role family in a profile.
    pub struct FamilyId;
}
/// Access level within a capability: 0 is the lowest (`none`).
pub type Level = u8;

/// Most scope levels a profile may have (checked when it loads): the length of the engine's
/// fixed ancestor chains.
pub const MAX_LEVELS: usize = 8;

/// The profiles of `profiles/`, written compact by `build.rs`.
const BUILTIN: &[(&str, &str)] = &[
    (
        "dv360",
        include_str!(concat!(env!("OUT_DIR"), "/dv360.json")),
    ),
    (
        "mediamath",
        include_str!(concat!(env!("OUT_DIR"), "/mediamath.json")),
    ),
];

/// The standard approval kinds every profile knows.
pub const STANDARD_APPROVALS: &[&str] = &["manager", "seat_owner", "security", "finance"];

/// A checked profile, compiled into dense tables so questions are array lookups.
#[derive(Debug, Clone)]
pub struct Profile {
    doc: ProfileDoc,
    // Positions by id, kept as `usize` and typed on the way out: one map type for the three
    // (and the directory's) keeps one copy of the hash table's code in the WebAssembly module.
    cap_index: HashMap<String, usize>,
    role_index: HashMap<String, usize>,
    family_index: HashMap<String, usize>,
    /// `grants[role][cap]`.
    grants: Vec<Vec<Level>>,
    /// `role_levels[role][level]`: may the role be assigned at that scope level.
    role_levels: Vec<Vec<bool>>,
    role_family: Vec<FamilyId>,
    /// `manages[actor_role][target_role]`.
    manages: Vec<Vec<bool>>,
    /// Toggle id -> per-capability grants.
    toggle_grants: Vec<(String, Vec<Level>)>,
    rules: Vec<RuleDoc>,
    /// Capability ids and their level names, shared by every matrix row.
    shared: Vec<(Arc<str>, Vec<Arc<str>>)>,
}

impl Profile {
    /// The ids of the built-in profiles.
    pub fn builtin_ids() -> Vec<&'static str> {
        BUILTIN.iter().map(|(id, _)| *id).collect()
    }

    /// A built-in profile (`dv360`, `mediamath`).
    pub fn builtin(id: &str) -> Result<Profile, ProfileError> {
        let text = builtin_text(id)?;
        Profile::from_json(text)
    }

    /// A profile from its JSON document; `extends` is resolved against the built-ins.
    pub fn from_json(text: &str) -> Result<Profile, ProfileError> {
        let doc = parse_doc(text)?;
        Profile::from_doc(doc)
    }

    /// A profile from its parsed document.
    pub fn from_doc(doc: ProfileDoc) -> Result<Profile, ProfileError> {
        let doc = match doc.extends.clone() {
            Some(base_id) => {
                let base_text = builtin_text(&base_id).map_err(|_| ProfileError::Invalid {
                    problems: vec![Problem::new(
                        ProfileProblem::UnknownBase,
                        "extends".into(),
                        format!(
                            "`{base_id}` is not a built-in profile (built-in: {})",
                            Profile::builtin_ids().join(", ")
                        ),
                    )],
                })?;
                let base = parse_doc(base_text)?;
                merge(base, doc)
            }
            None => doc,
        };
        let problems = check::check(&doc);
        if !problems.is_empty() {
            return Err(ProfileError::Invalid { problems });
        }
        let mut doc = doc;
        apply_role_overrides(&mut doc);
        Ok(compile(doc))
    }

    /// The document this profile was built from (with `extends` resolved).
    pub fn doc(&self) -> &ProfileDoc {
        &self.doc
    }

    pub fn id(&self) -> &str {
        &self.doc.id
    }

    pub fn levels(&self) -> &[String] {
        &self.doc.levels
    }

    pub fn level_index(&self, level: &str) -> Option<usize> {
        // A handful of levels: comparing beats hashing.
        self.doc.levels.iter().position(|l| l == level)
    }

    pub fn capabilities(&self) -> &[CapabilityDoc] {
        &self.doc.capabilities
    }

    pub fn capability(&self, id: &str) -> Option<CapId> {
        self.cap_index.get(id).copied().map(CapId::new)
    }

    /// The id of every capability, in the profile's order.
    pub fn cap_ids(&self) -> impl ExactSizeIterator<Item = CapId> {
        (0..self.doc.capabilities.len()).map(CapId::new)
    }

    /// The level index of `level` within capability `cap`.
    pub fn access_level(&self, cap: CapId, level: &str) -> Option<Level> {
        let cap = self.doc.capabilities.get(cap.index())?;
        cap.levels
            .iter()
            .position(|l| l == level)
            .and_then(|i| Level::try_from(i).ok())
    }

    /// A capability and one of its levels, both named (the question of `can` and `allows`).
    pub fn capability_level(&self, capability: &str, level: &str) -> Option<(CapId, Level)> {
        let cap = self.capability(capability)?;
        Some((cap, self.access_level(cap, level)?))
    }

    /// The level a capability match asks for: `level` when it names one, else the lowest
    /// level that grants anything (1). `None` when the capability has no such level.
    pub fn threshold(&self, cap: CapId, level: Option<&str>) -> Option<Level> {
        match level {
            Some(l) => self.access_level(cap, l),
            None => Some(1),
        }
    }

    /// The shared (capability id, level name) pair of a matrix cell.
    pub(crate) fn shared_names(&self, cap: CapId, level: Level) -> Option<(Arc<str>, Arc<str>)> {
        let (id, levels) = self.shared.get(cap.index())?;
        Some((id.clone(), levels.get(usize::from(level))?.clone()))
    }

    /// The name of level `level` of capability `cap`.
    pub fn access_name(&self, cap: CapId, level: Level) -> &str {
        self.doc
            .capabilities
            .get(cap.index())
            .and_then(|c| c.levels.get(usize::from(level)))
            .map_or("none", String::as_str)
    }

    pub fn roles(&self) -> &[RoleDoc] {
        &self.doc.roles
    }

    /// The id of every role, in the profile's order.
    pub fn role_ids(&self) -> impl ExactSizeIterator<Item = RoleId> {
        (0..self.doc.roles.len()).map(RoleId::new)
    }

    pub fn role(&self, id: &str) -> Option<RoleId> {
        if self.doc.roles.len() <= 16 {
            // Comparing a dozen short ids beats hashing one.
            return self
                .doc
                .roles
                .iter()
                .position(|r| r.id == id)
                .map(RoleId::new);
        }
        self.role_index.get(id).copied().map(RoleId::new)
    }

    pub fn role_doc(&self, role: RoleId) -> Option<&RoleDoc> {
        self.doc.roles.get(role.index())
    }

    /// What `role` grants of `cap` (0 when unknown).
    pub fn grant(&self, role: RoleId, cap: CapId) -> Level {
        self.grants
            .get(role.index())
            .and_then(|g| g.get(cap.index()))
            .copied()
            .unwrap_or(0)
    }

    /// Every capability level of `role`, indexed by capability.
    pub fn role_grants(&self, role: RoleId) -> &[Level] {
        self.grants.get(role.index()).map_or(&[], Vec::as_slice)
    }

    pub fn role_allowed_at(&self, role: RoleId, level: usize) -> bool {
        self.role_levels
            .get(role.index())
            .and_then(|l| l.get(level))
            .copied()
            .unwrap_or(false)
    }

    pub fn role_family(&self, role: RoleId) -> Option<&FamilyDoc> {
        self.family_of(role)
            .and_then(|f| self.doc.families.get(f.index()))
    }

    /// The index of a role's family (compared without its id's text).
    pub fn family_of(&self, role: RoleId) -> Option<FamilyId> {
        self.role_family
            .get(role.index())
            .copied()
            .filter(|f| f.index() < self.doc.families.len())
    }

    pub fn family(&self, id: &str) -> Option<FamilyId> {
        self.family_index.get(id).copied().map(FamilyId::new)
    }

    /// Does a holder of `actor` manage holders of `target`?
    pub fn manages(&self, actor: RoleId, target: RoleId) -> bool {
        self.manages
            .get(actor.index())
            .and_then(|m| m.get(target.index()))
            .copied()
            .unwrap_or(false)
    }

    /// The grants of toggle `id`, when the profile defines it.
    pub fn toggle_grants(&self, id: &str) -> Option<&[Level]> {
        self.toggle_grants
            .iter()
            .find(|(t, _)| t == id)
            .map(|(_, g)| g.as_slice())
    }

    pub fn constraints(&self) -> Constraints {
        self.doc.constraints.clone().unwrap_or_default()
    }

    pub fn redactions(&self) -> &[Redaction] {
        &self.doc.redactions
    }

    /// The rules in force, with overrides applied and disabled rules removed.
    pub fn rules(&self) -> &[RuleDoc] {
        &self.rules
    }

    /// Does `name` (a role id or a family id) name `role`?
    pub fn role_matches(&self, role: RoleId, name: &str) -> bool {
        if self
            .doc
            .roles
            .get(role.index())
            .is_some_and(|r| r.id == name)
        {
            return true;
        }
        self.role_family(role).is_some_and(|f| f.id == name)
    }

    /// The role whose `external_ids[key]` is `value`.
    pub fn role_by_external(&self, key: &str, value: &str) -> Option<RoleId> {
        self.doc
            .roles
            .iter()
            .position(|r| r.external_ids.get(key).is_some_and(|v| v == value))
            .map(RoleId::new)
    }

    /// The default severity of a code under this profile: a rule's when it is one.
    pub fn severity_of(&self, code: &str) -> Option<Severity> {
        self.rules
            .iter()
            .find(|r| r.id == code)
            .map(|r| r.severity)
            .or_else(|| crate::finding::code_info(code).map(|c| c.severity))
    }

    /// The top scope level's label ("All advertisers").
    pub fn top_level_label(&self) -> String {
        self.doc.top_level_label.clone().unwrap_or_else(|| {
            format!(
                "the whole {}",
                self.doc.levels.first().map_or("seat", String::as_str)
            )
        })
    }
}

/// Parses a profile document with the path of any bad value.
fn parse_doc(text: &str) -> Result<ProfileDoc, ProfileError> {
    use crate::json::Fault;
    if text.trim_start().starts_with('[') {
        return Err(ProfileError::Shape {
            path: ".".into(),
            message: "a profile is a JSON object, not an array".into(),
        });
    }
    crate::json::read(text).map_err(|e| match e.fault("") {
        Fault::Syntax {
            line,
            column,
            message,
            ..
        } => ProfileError::Syntax {
            line,
            column,
            message,
        },
        Fault::Shape { path, message } => ProfileError::Shape { path, message },
    })
}

fn builtin_text(id: &str) -> Result<&'static str, ProfileError> {
    BUILTIN
        .iter()
        .find(|(b, _)| *b == id)
        .map(|(_, text)| *text)
        .ok_or_else(|| ProfileError::Unknown {
            id: id.to_string(),
            known: Profile::builtin_ids().join(", "),
        })
}

/// A profile that extends a base: identity from the child, lists appended, the child's
/// constraints (when given) replacing the base's, overrides merged.
fn merge(base: ProfileDoc, child: ProfileDoc) -> ProfileDoc {
    let mut out = base;
    out.id = child.id;
    out.name = child.name;
    out.version = child.version;
    out.extends = child.extends;
    if child.description.is_some() {
        out.description = child.description;
    }
    out.documents = merge_cited(out.documents, child.documents);
    out.sources = merge_cited(out.sources, child.sources);
    if child.api.is_some() {
        out.api = child.api;
    }
    out.levels.extend(child.levels);
    if child.top_level_label.is_some() {
        out.top_level_label = child.top_level_label;
    }
    out.capabilities.extend(child.capabilities);
    out.families.extend(child.families);
    out.roles.extend(child.roles);
    out.toggles.extend(child.toggles);
    if child.constraints.is_some() {
        out.constraints = child.constraints;
    }
    out.redactions.extend(child.redactions);
    out.approval_kinds.extend(child.approval_kinds);
    if !child.key_capabilities.is_empty() {
        out.key_capabilities = child.key_capabilities;
    }
    out.rules.extend(child.rules);
    out.rule_overrides.extend(child.rule_overrides);
    out.role_overrides.extend(child.role_overrides);
    out
}

/// A child's citations over its base's: the documents appended, the sources of the facts it
/// names replacing the base's (anything else: the child's).
fn merge_cited(base: Option<Cited>, child: Option<Cited>) -> Option<Cited> {
    use serde_json::Value;
    match (base, child) {
        (Some(Value::Array(mut b)), Some(Value::Array(c))) => {
            b.extend(c);
            Some(Value::Array(b))
        }
        (Some(Value::Object(mut b)), Some(Value::Object(c))) => {
            b.extend(c);
            Some(Value::Object(b))
        }
        (b, None) => b,
        (_, c) => c,
    }
}

/// Applies `role_overrides` to the roles of a checked document: each grant replaced (a grant
/// at the lowest level takes it away), and the base's citation of the grant it replaces
/// dropped (the override's own citation, in `sources`, stays). The overrides stay in the
/// document: applying them again changes nothing.
fn apply_role_overrides(doc: &mut ProfileDoc) {
    let ProfileDoc {
        roles,
        role_overrides,
        capabilities,
        sources,
        ..
    } = doc;
    for (id, o) in role_overrides.iter() {
        let Some(role) = roles.iter_mut().find(|r| &r.id == id) else {
            continue;
        };
        for (cap, level) in &o.grants {
            let denied = capabilities
                .iter()
                .any(|c| &c.id == cap && c.levels.first() == Some(level));
            let stale = if denied { "grants" } else { "denies" };
            if let Some(serde_json::Value::Object(map)) = sources {
                map.remove(&format!("roles.{id}.{stale}.{cap}"));
            }
            role.grants.insert(cap.clone(), level.clone());
        }
    }
}

/// Each id's first position.
fn index<'a>(ids: impl Iterator<Item = &'a String>) -> HashMap<String, usize> {
    let mut map = HashMap::default();
    for (i, s) in ids.enumerate() {
        map.entry(s.clone()).or_insert(i);
    }
    map
}

/// Builds the lookup tables of a profile that passed its checks.
fn compile(doc: ProfileDoc) -> Profile {
    let cap_index = index(doc.capabilities.iter().map(|c| &c.id));
    let role_index = index(doc.roles.iter().map(|r| &r.id));
    let family_index = index(doc.families.iter().map(|f| &f.id));
    let grant_rows = GrantRows {
        doc: &doc,
        cap_index: &cap_index,
    };
    let grants: Vec<Vec<Level>> = doc
        .roles
        .iter()
        .map(|r| grant_rows.row(&r.grants))
        .collect();
    let role_levels = doc
        .roles
        .iter()
        .map(|r| {
            doc.levels
                .iter()
                .map(|l| r.levels.contains(l))
                .collect::<Vec<_>>()
        })
        .collect();
    let role_family: Vec<FamilyId> = doc
        .roles
        .iter()
        .map(|r| {
            family_index
                .get(&r.family)
                .copied()
                .map_or(FamilyId::new(0), FamilyId::new)
        })
        .collect();
    let manages = manages_table(&doc);
    let toggle_grants = doc
        .toggles
        .iter()
        .map(|t| (t.id.clone(), grant_rows.row(&t.grants)))
        .collect();
    let rules = doc
        .rules
        .iter()
        .filter_map(|rule| overridden_rule(&doc, rule))
        .collect();
    let shared = doc
        .capabilities
        .iter()
        .map(|c| {
            (
                Arc::from(c.id.as_str()),
                c.levels.iter().map(|l| Arc::from(l.as_str())).collect(),
            )
        })
        .collect();
    Profile {
        shared,
        cap_index,
        role_index,
        family_index,
        grants,
        role_levels,
        role_family,
        manages,
        toggle_grants,
        rules,
        doc,
    }
}

/// Grants by capability id (a role's or a toggle's) as one level per capability.
struct GrantRows<'a> {
    doc: &'a ProfileDoc,
    cap_index: &'a HashMap<String, usize>,
}

impl GrantRows<'_> {
    /// The index of `level` among the levels of capability `cap`; 0 when either is unknown.
    fn level_of(&self, cap: &str, level: &str) -> Level {
        self.cap_index
            .get(cap)
            .and_then(|c| self.doc.capabilities.get(*c))
            .and_then(|c| c.levels.iter().position(|l| l == level))
            .and_then(|i| Level::try_from(i).ok())
            .unwrap_or(0)
    }

    /// The level granted on each capability of the profile, in its order (0 when none).
    fn row(&self, grants: &std::collections::BTreeMap<String, String>) -> Vec<Level> {
        self.doc
            .capabilities
            .iter()
            .map(|c| grants.get(&c.id).map_or(0, |l| self.level_of(&c.id, l)))
            .collect()
    }
}

/// `manages[actor][target]`: whether the actor role names the target role or its family.
fn manages_table(doc: &ProfileDoc) -> Vec<Vec<bool>> {
    doc.roles
        .iter()
        .map(|actor| {
            doc.roles
                .iter()
                .map(|target| {
                    actor
                        .manages
                        .iter()
                        .any(|m| *m == target.id || *m == target.family)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A rule with its override applied: none when the override disables it.
fn overridden_rule(doc: &ProfileDoc, rule: &RuleDoc) -> Option<RuleDoc> {
    let mut rule = rule.clone();
    if let Some(o) = doc.rule_overrides.get(&rule.id) {
        if o.disabled {
            return None;
        }
        if let Some(s) = o.severity {
            rule.severity = s;
        }
        if let Some(m) = &o.message {
            rule.message = m.clone();
        }
        if let Some(h) = &o.help {
            rule.help = Some(h.clone());
        }
        if let Some(a) = &o.approvals {
            rule.approvals = a.clone();
        }
    }
    Some(rule)
}
