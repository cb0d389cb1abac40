//! What a user can do, where: the permission matrix, `can`, `who_can`, redaction.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use smallvec::{smallvec, SmallVec};

use crate::engine::{Chain, CoverKind, Engine, Located};
use crate::keys::{Key, Keys, Slot};
use crate::model::{EntityRef, User};
use crate::order;
use crate::profile::{CapId, Level, RoleId};

/// One row of the permission matrix: what the user can do on one entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MatrixRow {
    pub entity: EntityRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The roles that apply on this entity.
    pub roles: Vec<String>,
    /// Set when the entity is covered only through an assignment on an ancestor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inherited_from: Option<EntityRef>,
    /// Capability id -> the highest access level granted, in the profile's order.
    pub access: AccessMap,
}

/// Capability id -> access level, in the profile's capability order. Serialized as a JSON
/// object; the names are shared with the profile, so building a matrix allocates little.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessMap(pub Arc<[(Arc<str>, Arc<str>)]>);

impl AccessMap {
    /// The level of a capability, when the map has it.
    pub fn get(&self, capability: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(c, _)| &**c == capability)
            .map(|(_, l)| &**l)
    }
}

impl Serialize for AccessMap {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (c, l) in self.0.iter() {
            map.serialize_entry(&**c, &**l)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for AccessMap {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// Keeps the document's order, so a matrix survives a JSON round trip unchanged.
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = AccessMap;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map of capability id to access level")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<AccessMap, A::Error> {
                let mut entries = Vec::new();
                while let Some((c, l)) = map.next_entry::<String, String>()? {
                    entries.push((Arc::from(c), Arc::from(l)));
                }
                Ok(AccessMap(entries.into()))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

impl JsonSchema for AccessMap {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AccessMap".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "description": "Capability id -> access level",
            "additionalProperties": {"type": "string"}
        })
    }
}

/// The answer to `can`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Decision {
    pub allowed: bool,
    /// Why, in words: the assignment, role and grant that allowed it, or why nothing did.
    pub because: String,
    /// The grant that allowed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant: Option<GrantSource>,
    /// Why it was denied: `capability.unknown`, `access_level.unknown`, `level.unknown`,
    /// `entity.unknown`, `not_covered` or `insufficient`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denied: Option<String>,
}

/// Where an allowed access comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GrantSource {
    /// Index of the assignment in the user's `assignments`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toggle: Option<String>,
    /// The entity of the assignment.
    pub entity: EntityRef,
    /// Set when the assignment sits on an ancestor of the entity asked about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inherited_from: Option<EntityRef>,
    /// The access level granted.
    pub level: String,
}

/// One user who can, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct WhoCan {
    pub user: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    pub because: Decision,
}

/// One question of a batch (`can_many`, `allows_many` in the bindings): may the user do
/// `capability` at `level` (or above) on `entity`?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CanRequest {
    pub capability: String,
    pub level: String,
    pub entity: EntityRef,
}

/// Compact matrix: entity -> capability levels, in row order. Shared by `effective`, the
/// assessment's diff and the audit. Entities are keys (`keys.rs`): the grid borrows nothing.
#[derive(Debug, Clone, Default)]
pub(crate) struct Grid {
    pub rows: Vec<GridRow>,
    index: HashMap<Key, usize>,
    /// The highest level of each capability anywhere.
    max: SmallVec<[Level; 32]>,
}

#[derive(Debug, Clone)]
pub(crate) struct GridRow {
    pub key: Key,
    /// Inline for up to 32 capabilities and 2 roles: a large user's grid is thousands of
    /// rows, and two allocations per row were much of its cost (most of all in WebAssembly).
    pub levels: SmallVec<[Level; 32]>,
    pub roles: SmallVec<[RoleId; 2]>,
    pub direct: bool,
    /// The assignment's entity, when the row is covered only through an ancestor.
    pub inherited_from: Option<Key>,
}

impl Grid {
    pub fn get(&self, key: Key) -> Option<&GridRow> {
        self.index.get(&key).and_then(|i| self.rows.get(*i))
    }

    /// The highest level of `cap` anywhere.
    pub fn max(&self, cap: CapId) -> Level {
        self.max.get(cap).copied().unwrap_or(0)
    }

    pub fn level(&self, key: Option<Key>, cap: CapId) -> Level {
        key.and_then(|k| self.get(k))
            .and_then(|r| r.levels.get(cap))
            .copied()
            .unwrap_or(0)
    }
}

impl Engine {
    /// The role of an assignment on `holder` when it covers the chain's entity and is usable
    /// (a known role at a level it may be assigned at): nothing otherwise.
    fn grants_through(
        &self,
        chain: &Chain<'_>,
        role: &str,
        holder: &EntityRef,
    ) -> Option<(RoleId, CoverKind)> {
        let level = self.profile.level_index(&holder.level)?;
        let kind = chain.covered_by(level, &holder.id)?;
        let role = self.profile.role(role)?;
        self.profile
            .role_allowed_at(role, level)
            .then_some((role, kind))
    }

    /// The user's grid: one row per covered entity, expanded through the directory.
    /// `slots` are the user's assignments resolved (`Keys::slots`).
    pub(crate) fn grid(&self, user: &User, slots: &[Slot]) -> Grid {
        let profile = &self.profile;
        let caps = profile.capabilities().len();
        // What the toggles grant: where every row starts.
        let toggles = user
            .toggles
            .iter()
            .filter(|(_, on)| **on)
            .filter_map(|(id, _)| profile.toggle_grants(id));
        let mut base: SmallVec<[Level; 32]> = smallvec![0; caps];
        for t in toggles {
            for (l, g) in base.iter_mut().zip(t.iter()) {
                *l = (*l).max(*g);
            }
        }
        let n = slots.len();
        let mut grid = Grid {
            rows: Vec::with_capacity(n),
            index: HashMap::with_capacity_and_hasher(n, Default::default()),
            max: smallvec![0; caps],
        };
        // The highest grant of any usable assignment: every one grants on at least its own row.
        let mut granted: SmallVec<[Level; 32]> = smallvec![0; caps];
        for slot in slots {
            // Usable: a known role, at a level it may be assigned, on an entity that exists.
            // Anything else grants nothing (deny by default).
            let (Some(role), Located::Known { level, node }) = (slot.role, slot.located) else {
                continue;
            };
            if !profile.role_allowed_at(role, level) {
                continue;
            }
            let grants = profile.role_grants(role);
            for (m, g) in granted.iter_mut().zip(grants.iter()) {
                *m = (*m).max(*g);
            }
            let covered: Vec<usize>;
            let keys: &[Key] = match (node, &self.tree) {
                (Some(node), Some(tree))
                    if tree.node(node).is_some_and(|n| !n.children.is_empty()) =>
                {
                    covered = tree.subtree(node);
                    &covered
                }
                _ => std::slice::from_ref(&slot.key),
            };
            for &key in keys {
                let direct = key == slot.key;
                // One lookup: the row's index, or a new row.
                let i = match grid.index.entry(key) {
                    std::collections::hash_map::Entry::Occupied(o) => *o.get(),
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(grid.rows.len());
                        grid.rows.push(GridRow {
                            key,
                            levels: SmallVec::from_slice(&base),
                            roles: SmallVec::new(),
                            direct: false,
                            inherited_from: None,
                        });
                        grid.rows.len() - 1
                    }
                };
                let Some(row) = grid.rows.get_mut(i) else {
                    continue;
                };
                for (l, g) in row.levels.iter_mut().zip(grants.iter()) {
                    *l = (*l).max(*g);
                }
                if !row.roles.contains(&role) {
                    row.roles.push(role);
                }
                if direct {
                    row.direct = true;
                    row.inherited_from = None;
                } else if !row.direct && row.inherited_from.is_none() {
                    row.inherited_from = Some(slot.key);
                }
            }
        }
        if !grid.rows.is_empty() {
            for ((m, b), g) in grid.max.iter_mut().zip(&base).zip(&granted) {
                *m = (*b).max(*g);
            }
        }
        grid
    }

    pub(crate) fn matrix_rows(&self, grid: &Grid, keys: &Keys<'_>) -> Vec<MatrixRow> {
        self.matrix_rows_where(grid, keys, |_| true)
    }

    /// The rows of `grid` that pass `keep`.
    pub(crate) fn matrix_rows_where(
        &self,
        grid: &Grid,
        keys: &Keys<'_>,
        keep: impl Fn(&GridRow) -> bool,
    ) -> Vec<MatrixRow> {
        let profile = &self.profile;
        // Rows with the same levels share one map: a user's many entities mostly repeat a
        // handful of roles.
        let mut shared: HashMap<&[Level], AccessMap> = HashMap::default();
        grid.rows
            .iter()
            .filter(|r| keep(r))
            .filter_map(|r| {
                let entity = keys.entity(self, r.key)?;
                let access = shared
                    .entry(r.levels.as_slice())
                    .or_insert_with(|| {
                        AccessMap(
                            r.levels
                                .iter()
                                .enumerate()
                                .filter_map(|(c, level)| profile.shared_names(c, *level))
                                .collect(),
                        )
                    })
                    .clone();
                Some(MatrixRow {
                    entity: entity.clone(),
                    name: keys.name(self, r.key).map(str::to_string),
                    roles: r
                        .roles
                        .iter()
                        .filter_map(|id| profile.role_doc(*id).map(|d| d.id.clone()))
                        .collect(),
                    inherited_from: r.inherited_from.and_then(|k| keys.entity(self, k)).cloned(),
                    access,
                })
            })
            .collect()
    }

    /// The permission matrix of a user: one row per covered entity.
    pub fn effective(&self, user: &User) -> Vec<MatrixRow> {
        let mut keys = Keys::new(self);
        let slots = keys.slots(self, &user.assignments);
        self.matrix_rows(&self.grid(user, &slots), &keys)
    }

    /// Can `user` do `capability` at `level` (or above) on `entity`? Deny by default.
    pub fn can(&self, user: &User, capability: &str, level: &str, entity: &EntityRef) -> Decision {
        let profile = &self.profile;
        let deny = |code: &str, because: String| Decision {
            allowed: false,
            because,
            grant: None,
            denied: Some(code.to_string()),
        };
        let Some(cap) = profile.capability(capability) else {
            return deny(
                "capability.unknown",
                format!(
                    "`{capability}` is not a capability of {}",
                    profile.doc().name
                ),
            );
        };
        let Some(needed) = profile.access_level(cap, level) else {
            let levels = profile
                .capabilities()
                .get(cap)
                .map(|c| c.levels.join(", "))
                .unwrap_or_default();
            return deny(
                "access_level.unknown",
                format!("`{level}` is not a level of `{capability}` ({levels})"),
            );
        };
        let chain = match self.chain(entity) {
            Ok(chain) => chain,
            Err(Located::UnknownEntity { .. }) => {
                return deny(
                    "entity.unknown",
                    format!("{entity} is not in the directory"),
                )
            }
            Err(_) => {
                return deny(
                    "level.unknown",
                    format!(
                        "`{}` is not a scope level of {}",
                        entity.level,
                        profile.doc().name
                    ),
                )
            }
        };
        let mut best: Option<(usize, RoleId, CoverKind, Level)> = None;
        let mut covered = false;
        let mut highest: Level = 0;
        for (i, a) in user.assignments.iter().enumerate() {
            let Some((role, kind)) = self.grants_through(&chain, &a.role, &a.entity) else {
                continue;
            };
            covered = true;
            let granted = profile.grant(role, cap);
            highest = highest.max(granted);
            if granted >= needed {
                let better = match best {
                    None => true,
                    Some((_, _, k, _)) => k == CoverKind::Inherited && kind == CoverKind::Direct,
                };
                if better {
                    best = Some((i, role, kind, granted));
                }
            }
        }
        if let Some((i, role, kind, granted)) = best {
            let a = user.assignments.get(i);
            let assigned_on = a
                .map(|a| a.entity.clone())
                .unwrap_or_else(|| entity.clone());
            let role_id = profile
                .role_doc(role)
                .map(|r| r.id.clone())
                .unwrap_or_default();
            let grant_name = profile.access_name(cap, granted).to_string();
            let via = if kind == CoverKind::Inherited {
                format!(" (inherited from {assigned_on})")
            } else {
                String::new()
            };
            return Decision {
                allowed: true,
                because: format!(
                    "assignment {i}: role `{role_id}` on {assigned_on}{via} grants `{capability}: {grant_name}`"
                ),
                grant: Some(GrantSource {
                    assignment: Some(i),
                    role: Some(role_id),
                    toggle: None,
                    entity: assigned_on.clone(),
                    inherited_from: (kind == CoverKind::Inherited).then_some(assigned_on),
                    level: grant_name,
                }),
                denied: None,
            };
        }
        if covered {
            for (id, on) in &user.toggles {
                if !*on {
                    continue;
                }
                let Some(grants) = profile.toggle_grants(id) else {
                    continue;
                };
                let granted = grants.get(cap).copied().unwrap_or(0);
                if granted >= needed {
                    let grant_name = profile.access_name(cap, granted).to_string();
                    return Decision {
                        allowed: true,
                        because: format!("toggle `{id}` grants `{capability}: {grant_name}`"),
                        grant: Some(GrantSource {
                            assignment: None,
                            role: None,
                            toggle: Some(id.clone()),
                            entity: entity.clone(),
                            inherited_from: None,
                            level: grant_name,
                        }),
                        denied: None,
                    };
                }
                highest = highest.max(granted);
            }
            let has = profile.access_name(cap, highest).to_string();
            return deny(
                "insufficient",
                format!(
                    "on {entity} the user's roles grant `{capability}: {has}`, below `{level}`"
                ),
            );
        }
        if needed == 0 {
            return Decision {
                allowed: true,
                because: format!("`{level}` is the lowest level of `{capability}`"),
                grant: None,
                denied: None,
            };
        }
        deny(
            "not_covered",
            format!("no assignment of the user covers {entity}"),
        )
    }

    /// `can` for many questions about one user, in order (the bindings' batch).
    pub fn can_many(&self, user: &User, requests: &[CanRequest]) -> Vec<Decision> {
        requests
            .iter()
            .map(|r| self.can(user, &r.capability, &r.level, &r.entity))
            .collect()
    }

    /// `allows` for many questions about one user, in order (the bindings' fast batch).
    pub fn allows_many(&self, user: &User, requests: &[CanRequest]) -> Vec<bool> {
        requests
            .iter()
            .map(|r| self.allows(user, &r.capability, &r.level, &r.entity))
            .collect()
    }

    /// The fast form of `can`: only the answer.
    pub fn allows(&self, user: &User, capability: &str, level: &str, entity: &EntityRef) -> bool {
        let profile = &self.profile;
        let Some(cap) = profile.capability(capability) else {
            return false;
        };
        let Some(needed) = profile.access_level(cap, level) else {
            return false;
        };
        self.allows_ids(user, cap, needed, entity)
    }

    pub(crate) fn allows_ids(
        &self,
        user: &User,
        cap: CapId,
        needed: Level,
        entity: &EntityRef,
    ) -> bool {
        let Ok(chain) = self.chain(entity) else {
            return false;
        };
        let mut covered = false;
        for a in &user.assignments {
            let Some((role, _)) = self.grants_through(&chain, &a.role, &a.entity) else {
                continue;
            };
            if self.profile.grant(role, cap) >= needed {
                return true;
            }
            covered = true;
        }
        if !covered {
            return needed == 0;
        }
        user.toggles.iter().filter(|(_, on)| **on).any(|(id, _)| {
            self.profile
                .toggle_grants(id)
                .and_then(|g| g.get(cap))
                .is_some_and(|g| *g >= needed)
        })
    }

    /// Every user who can, with the reason.
    pub fn who_can(
        &self,
        users: &[User],
        capability: &str,
        level: &str,
        entity: &EntityRef,
    ) -> Vec<WhoCan> {
        users
            .iter()
            .filter(|u| self.allows(u, capability, level, entity))
            .map(|u| WhoCan {
                user: u.id.clone(),
                email: u.email.clone(),
                because: self.can(u, capability, level, entity),
            })
            .collect()
    }

    /// The record as `user` may see it on `entity`: guarded fields become the placeholder
    /// and the record gains the label. Nested objects and arrays are redacted too.
    pub fn redact(&self, user: &User, entity: &EntityRef, record: &Value) -> Value {
        let profile = &self.profile;
        let mut hidden: Vec<(&str, &str, &str)> = Vec::new();
        for r in profile.redactions() {
            let allowed = match profile.capability(&r.unless) {
                Some(cap) => {
                    let needed = match &r.unless_level {
                        Some(l) => profile.access_level(cap, l),
                        None => Some(1),
                    };
                    needed.is_some_and(|n| self.allows_ids(user, cap, n, entity))
                }
                None => false,
            };
            if !allowed {
                for f in &r.fields {
                    hidden.push((f.as_str(), r.placeholder.as_str(), r.label.as_str()));
                }
            }
        }
        let mut out = record.clone();
        let mut labels: Vec<&str> = Vec::new();
        redact_value(&mut out, &hidden, &mut labels, 0);
        if let Value::Object(map) = &mut out {
            order::sort_dedup(&mut labels);
            if !labels.is_empty() {
                map.insert("access_label".to_string(), Value::String(labels.join(", ")));
            }
        }
        out
    }
}

/// Replaces guarded fields wherever they occur. Depth is bounded by the JSON parser's own
/// recursion limit; the explicit bound guards values built in code.
fn redact_value<'a>(
    value: &mut Value,
    hidden: &[(&str, &str, &'a str)],
    labels: &mut Vec<&'a str>,
    depth: usize,
) {
    if depth > 256 {
        *value = Value::Null;
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if let Some((_, placeholder, label)) = hidden.iter().find(|(f, _, _)| f == key) {
                    *v = Value::String((*placeholder).to_string());
                    labels.push(label);
                } else {
                    redact_value(v, hidden, labels, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                redact_value(v, hidden, labels, depth + 1);
            }
        }
        _ => {}
    }
}
