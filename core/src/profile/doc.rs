//! The profile document: one platform's levels, capabilities, roles and rules, as data.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::finding::Severity;

pub use super::sources::{Citation, CitationKind, DocumentDoc, Sources};

/// Citations as the profile writes them. The engine never reads them, so they are kept as
/// JSON when a profile loads: a wrong citation never stops an access check, and the npm package's
/// WebAssembly carries no code for them. `Profile::facts` reads them and
/// `Profile::source_problems` checks them.
pub type Cited = serde_json::Value;

/// A platform profile as written in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileDoc {
    pub id: String,
    pub name: String,
    pub version: String,
    /// Id of a built-in profile this one extends: its lists are appended to the base's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The documents the citations of `sources` name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Vec<DocumentDoc>>")]
    pub documents: Option<Cited>,

    /// Which platform API the requests of an assessment are written for (`dv360`, `t1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<String>,
    /// Scope levels, top-down.
    #[serde(default)]
    pub levels: Vec<String>,
    /// What an assignment at the top level is called (`All advertisers`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_level_label: Option<String>,
    #[serde(default)]
    pub capabilities: Vec<CapabilityDoc>,
    #[serde(default)]
    pub families: Vec<FamilyDoc>,
    #[serde(default)]
    pub roles: Vec<RoleDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub toggles: Vec<ToggleDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraints: Option<Constraints>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redactions: Vec<Redaction>,
    /// Approval kinds the rules may ask for, on top of the four standard ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approval_kinds: Vec<String>,
    /// Which capabilities make an administrator, a billing holder and a token creator, for
    /// the seat-wide checks of the access review.
    #[serde(default, skip_serializing_if = "KeyCapabilities::is_empty")]
    pub key_capabilities: KeyCapabilities,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleDoc>,
    /// Changes to rules by id (a built-in rule's severity, say).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rule_overrides: BTreeMap<String, RuleOverride>,
    /// Changes to the grants of roles by id, a seat's own setting (an admin without billing).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub role_overrides: BTreeMap<String, RoleOverride>,
    /// Where each fact comes from, by the fact's path as `Profile::facts` names it
    /// (`roles.trader.grants.api_tokens`, `constraints.uniform_role`, `rules.tokens.orphaned`):
    /// a document's section, an assumption or the seat's policy. A profile that extends
    /// another replaces the base's entries it names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<BTreeMap<String, Sources>>")]
    pub sources: Option<Cited>,
}

/// A seat's change to a role it inherits (`extends`): grants replaced by capability, the
/// lowest level (`none`) taking the grant away. Its citation goes in `sources` under the
/// grant's fact (`roles.admin.grants.billing`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleOverride {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub grants: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Capabilities with a meaning of their own in the access review.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyCapabilities {
    /// Manages users: counted by `admin.count` / `admin.none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin: Option<CapabilityMatch>,
    /// Billing access: `billing.none` when nobody has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing: Option<CapabilityMatch>,
    /// Creates API tokens: active tokens without it are `tokens.orphaned`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<CapabilityMatch>,
}

impl KeyCapabilities {
    pub fn is_empty(&self) -> bool {
        self.admin.is_none() && self.billing.is_none() && self.tokens.is_none()
    }
}

/// Something a role can do, with its ordered access levels (lowest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapabilityDoc {
    pub id: String,
    pub label: String,
    /// Access levels, lowest first; the first means no access (`none`).
    pub levels: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FamilyDoc {
    pub id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleDoc {
    pub id: String,
    pub label: String,
    pub family: String,
    /// Scope levels where the role may be assigned.
    pub levels: Vec<String>,
    /// Capability id -> access level; capabilities not named are at their lowest level.
    #[serde(default)]
    pub grants: BTreeMap<String, String>,
    /// Role ids or family ids a holder may assign, edit or remove, within its own scopes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub manages: Vec<String>,
    /// The platform's own names for the role (`{"dv360_api": "ADMIN"}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub external_ids: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A per-user switch that adds grants independent of role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ToggleDoc {
    pub id: String,
    pub label: String,
    pub grants: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Structural constraints on one user's assignments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    /// All of a user's roles belong to one family.
    #[serde(default)]
    pub single_family: bool,
    /// At most one role per entity.
    #[serde(default)]
    pub one_role_per_entity: bool,
    /// No roles on both an entity and one of its ancestors.
    #[serde(default)]
    pub no_parent_and_child: bool,
    /// One role for all of a user's scopes.
    #[serde(default)]
    pub uniform_role: bool,
    /// The fewest assignments a user may have.
    #[serde(default)]
    pub min_assignments: u32,
}

/// Fields hidden from users without a capability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Redaction {
    /// The guarding capability.
    pub unless: String,
    /// The level of `unless` needed; defaults to the capability's first level above none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless_level: Option<String>,
    pub fields: Vec<String>,
    pub placeholder: String,
    pub label: String,
}

/// A change-impact rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    /// The finding code the rule emits.
    pub id: String,
    pub severity: Severity,
    pub when: Predicate,
    /// Message template: `{user}`, `{roles_before}`, `{roles_after}`, `{roles}` (`a to b`, or
    /// `a` when the roles stay), `{entities}`,
    /// `{capabilities}`, `{tokens}`, `{assets}`, `{until}`, `{approval}` are filled in.
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Approval groups this rule requires; each is satisfied by any one of its kinds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<Vec<String>>,
}

/// Changes to an existing rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleOverride {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approvals: Option<Vec<Vec<String>>>,
    /// Turns the rule off.
    #[serde(default)]
    pub disabled: bool,
}

/// A capability threshold: "has at least `level` of `capability`". Without a capability it
/// matches any capability. In `gains` / `loses`, a level matches a change that crosses it and
/// no level matches any change of the capability (`users: manage → view` loses users); in
/// `owns_active.losing` and `last_holder`, no level means "any access above none".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapabilityMatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// For `loses`: only when the user keeps it on no entity at all.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub everywhere: bool,
    /// Only on entities the user covers both before and after the change (a downgrade in
    /// place, not an entity taken away).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub on_kept_entities: bool,
}

/// Argument of `owns_active`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnsActive {
    /// Asset kind (`campaign`); any kind when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Only assets under entities where the user loses this capability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub losing: Option<CapabilityMatch>,
}

/// The condition language of rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Predicate {
    All(Vec<Predicate>),
    Any(Vec<Predicate>),
    Not(Box<Predicate>),
    /// The user gains the capability on some entity.
    Gains(CapabilityMatch),
    /// The user loses the capability on some entity (or everywhere).
    Loses(CapabilityMatch),
    /// A role (or family) the user held and no longer holds.
    RoleFrom(String),
    /// A role (or family) the user did not hold and now holds.
    RoleTo(String),
    /// The set of roles changes.
    RoleChanged,
    /// The role on an entity the user keeps changes to one that grants at least as much of
    /// every capability and more of one (where one role covers all scopes: the new role
    /// against the old).
    RoleElevated,
    EntityAdded,
    EntityRemoved,
    /// The change grants a top-level entity.
    AllGranted,
    ToggleOn(String),
    ToggleOff(String),
    /// The toggle is on both before and after the change.
    ToggleKept(String),
    HasActiveTokens,
    OwnsAssetsInRemoved,
    OwnsActive(OwnsActive),
    /// The change is marked temporary.
    Temporary,
    /// A field is missing: `reason`, `temporary.until`, `elevation.until`.
    Missing(String),
    /// The user loses the capability and nobody else in the population holds it there.
    LastHolder(CapabilityMatch),
    FamilyChanged,
    Deleted,
    Created,
    /// The user's elevation is past its `until`.
    ElevationExpired,
    /// The change ends the user's elevation, and active API tokens were created during it
    /// (since `elevation.since`; every active token when it does not say).
    ElevationTokens,
    /// An approval carries no `reference` (email or ticket id).
    ApprovalUnreferenced,
    /// A past action in `activity` would now be denied.
    ActivityDenied,
    /// The user's email domain is none of these.
    EmailDomainOutside(Vec<String>),
    /// A required approval group is unsatisfied (one finding per group).
    ApprovalMissing,
}

/// Known `missing` fields.
pub const MISSING_FIELDS: &[&str] = &["reason", "temporary.until", "elevation.until"];
