//! What a user can do, where: the permission matrix, `can`, `who_can`, redaction.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use smallvec::{smallvec, SmallVec};

use crate::engine::{Chain, CoverKind, Engine, Located, NodeId};
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
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Grid {
    pub rows: Vec<GridRow>,
    index: HashMap<Key, usize>,
    /// The highest level of each capability anywhere.
    max: SmallVec<[Level; 32]>,
    /// What the toggles grant: where every row starts.
    base: SmallVec<[Level; 32]>,
    /// How many usable assignments hold each role (by role id).
    held: SmallVec<[u32; 16]>,
}

#[derive(Debug, Clone, PartialEq)]
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

impl GridRow {
    fn new(key: Key, base: &[Level]) -> GridRow {
        GridRow {
            key,
            levels: SmallVec::from_slice(base),
            roles: SmallVec::new(),
            direct: false,
            inherited_from: None,
        }
    }

    /// Adds what an assignment on `holder` grants here: on the row's own entity, or on an
    /// ancestor of it.
    fn grant(&mut self, grants: &[Level], role: RoleId, holder: Key) {
        for (l, g) in self.levels.iter_mut().zip(grants.iter()) {
            *l = (*l).max(*g);
        }
        if !self.roles.contains(&role) {
            self.roles.push(role);
        }
        if holder == self.key {
            self.direct = true;
            self.inherited_from = None;
        } else if !self.direct && self.inherited_from.is_none() {
            self.inherited_from = Some(holder);
        }
    }
}

impl Grid {
    pub fn get(&self, key: Key) -> Option<&GridRow> {
        self.position(key).and_then(|i| self.rows.get(i))
    }

    /// Where the row of `key` is in `rows`.
    pub fn position(&self, key: Key) -> Option<usize> {
        self.index.get(&key).copied()
    }

    /// The highest level of `cap` anywhere.
    pub fn max(&self, cap: CapId) -> Level {
        self.max.get(cap.index()).copied().unwrap_or(0)
    }

    /// What the user's toggles grant of `cap`: where every row starts.
    pub fn toggle_level(&self, cap: CapId) -> Level {
        self.base.get(cap.index()).copied().unwrap_or(0)
    }

    pub fn level(&self, key: Option<Key>, cap: CapId) -> Level {
        key.and_then(|k| self.get(k))
            .and_then(|r| r.levels.get(cap.index()))
            .copied()
            .unwrap_or(0)
    }
}

impl Engine {
    /// How a holding covers the chain's entity, with its role, when it covers it and is
    /// usable (a known role at a level it may be assigned at): nothing otherwise.
    fn grants_through(&self, chain: &Chain<'_>, h: &Holding<'_>) -> Option<(RoleId, CoverKind)> {
        let kind = chain.covered_by(h.level, h.id)?;
        let role = match h.role {
            HeldRole::Usable(role) => role,
            HeldRole::Named(name) => {
                let role = self.profile().role(name)?;
                self.profile()
                    .role_allowed_at(role, h.level)
                    .then_some(role)?
            }
        };
        Some((role, kind))
    }

    /// The role of a slot when it grants anything: a known role, at a level it may be
    /// assigned, on an entity that exists. Anything else grants nothing (deny by default).
    fn usable(&self, slot: &Slot) -> Option<RoleId> {
        let (Some(role), Located::Known { level, .. }) = (slot.role, slot.located) else {
            return None;
        };
        self.profile().role_allowed_at(role, level).then_some(role)
    }

    /// Does the slot's entity have entities below it in the directory?
    pub(crate) fn has_children(&self, slot: &Slot) -> bool {
        slot.node()
            .and_then(|node| self.node(node))
            .is_some_and(|n| !n.children.is_empty())
    }

    /// The user's grid: one row per covered entity, expanded through the directory.
    /// `slots` are the user's assignments resolved (`Keys::slots`).
    pub(crate) fn grid(&self, user: &User, slots: &[Slot]) -> Grid {
        let profile = self.profile();
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
            max: SmallVec::new(),
            base,
            held: smallvec![0; profile.roles().len()],
        };
        for slot in slots {
            let Some(role) = self.usable(slot) else {
                continue;
            };
            if let Some(count) = grid.held.get_mut(role.index()) {
                *count += 1;
            }
            let grants = profile.role_grants(role);
            // Every usable assignment grants on its own row, and on its subtree's.
            let covered: Vec<Key>;
            let keys: &[Key] = match (slot.node(), self.tree()) {
                (Some(node), Some(tree)) if self.has_children(slot) => {
                    // Collected in place: a key has the layout of a node.
                    covered = tree.subtree(node).into_iter().map(Key::from_node).collect();
                    &covered
                }
                _ => std::slice::from_ref(&slot.key),
            };
            for &key in keys {
                // One lookup: the row's index, or a new row.
                let i = match grid.index.entry(key) {
                    std::collections::hash_map::Entry::Occupied(o) => *o.get(),
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(grid.rows.len());
                        grid.rows.push(GridRow::new(key, &grid.base));
                        grid.rows.len() - 1
                    }
                };
                if let Some(row) = grid.rows.get_mut(i) {
                    row.grant(grants, role, slot.key);
                }
            }
        }
        self.set_max(&mut grid);
        grid
    }

    /// The highest level of each capability anywhere: what the toggles grant and the roles
    /// of the usable assignments (each grants on at least its own row). Nothing without rows.
    fn set_max(&self, grid: &mut Grid) {
        grid.max = SmallVec::from_slice(&grid.base);
        if grid.rows.is_empty() {
            grid.max.iter_mut().for_each(|m| *m = 0);
            return;
        }
        let roles = self.profile().role_ids().zip(grid.held.iter());
        for (role, _) in roles.filter(|(_, n)| **n > 0) {
            for (m, g) in grid.max.iter_mut().zip(self.profile().role_grants(role)) {
                *m = (*m).max(*g);
            }
        }
    }

    /// Updates `grid`, built from the slots with `old` where `slots` now has `new`, in place
    /// when it can: the two assignments are on the same entity, without entities below it,
    /// and both grant or neither does. The rows and their order then stay; only the entity's
    /// row and the highest levels are recomputed. False (the grid untouched) otherwise: the
    /// caller builds the grid again.
    pub(crate) fn regrant(&self, grid: &mut Grid, slots: &[Slot], old: &Slot, new: &Slot) -> bool {
        if old.key != new.key || old.located != new.located || self.has_children(new) {
            return false;
        }
        let (was, is) = match (self.usable(old), self.usable(new)) {
            (None, None) => return true,
            (Some(was), Some(is)) => (was, is),
            _ => return false,
        };
        let key = new.key;
        let Some(&at) = grid.index.get(&key) else {
            return false;
        };
        if let Some(count) = grid.held.get_mut(was.index()) {
            *count = count.saturating_sub(1);
        }
        if let Some(count) = grid.held.get_mut(is.index()) {
            *count += 1;
        }
        // The assignments that cover the entity: on it, or on one of its ancestors.
        let above: SmallVec<[NodeId; 8]> = new
            .node()
            .map(|node| self.ancestor_nodes(node).collect())
            .unwrap_or_default();
        let mut row = GridRow::new(key, &grid.base);
        for slot in slots {
            if slot.key != key && !slot.node().is_some_and(|a| above.contains(&a)) {
                continue;
            }
            if let Some(role) = self.usable(slot) {
                row.grant(self.profile().role_grants(role), role, slot.key);
            }
        }
        if let Some(r) = grid.rows.get_mut(at) {
            *r = row;
        }
        self.set_max(grid);
        true
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
        let profile = self.profile();
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
                            profile
                                .cap_ids()
                                .zip(r.levels.iter())
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
        self.can_held(user, capability, level, entity)
    }

    /// `can` for a user document or a prepared user: the one implementation of both.
    pub(crate) fn can_held(
        &self,
        held: &dyn Holder,
        capability: &str,
        level: &str,
        entity: &EntityRef,
    ) -> Decision {
        let user = held.user();
        let q = match self.question(capability, level, entity) {
            Ok(q) => q,
            Err((code, because)) => return deny(code, because),
        };
        let scan = self.scan_assignments(held, &q);
        if let Some(best) = scan.best {
            return self.granted_by_assignment(user, &q, best);
        }
        if scan.covered {
            return self.granted_by_toggle(user, &q, scan.highest);
        }
        if q.needed == 0 {
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

    /// The question of `can` resolved against the profile and directory, or the code and
    /// reason of the denial that names what it does not know.
    fn question<'q>(
        &'q self,
        capability: &'q str,
        level: &'q str,
        entity: &'q EntityRef,
    ) -> Result<Question<'q>, (&'static str, String)> {
        let profile = self.profile();
        let Some(cap) = profile.capability(capability) else {
            return Err((
                "capability.unknown",
                format!(
                    "`{capability}` is not a capability of {}",
                    profile.doc().name
                ),
            ));
        };
        let Some(needed) = profile.access_level(cap, level) else {
            let levels = profile
                .capabilities()
                .get(cap.index())
                .map(|c| c.levels.join(", "))
                .unwrap_or_default();
            return Err((
                "access_level.unknown",
                format!("`{level}` is not a level of `{capability}` ({levels})"),
            ));
        };
        let chain = match self.chain(entity) {
            Ok(chain) => chain,
            Err(Located::UnknownEntity { .. }) => {
                return Err((
                    "entity.unknown",
                    format!("{entity} is not in the directory"),
                ))
            }
            Err(_) => {
                return Err((
                    "level.unknown",
                    format!(
                        "`{}` is not a scope level of {}",
                        entity.level,
                        profile.doc().name
                    ),
                ))
            }
        };
        Ok(Question {
            capability,
            level,
            entity,
            cap,
            needed,
            chain,
        })
    }

    /// The assignments that reach the entity: the best one granting enough (a direct one
    /// before an inherited one, else the first), and the highest level any of them grants.
    fn scan_assignments(&self, held: &dyn Holder, q: &Question<'_>) -> Scan {
        let profile = self.profile();
        let mut scan = Scan {
            best: None,
            covered: false,
            highest: 0,
        };
        held.each_holding(self, &mut |h| {
            let Some((role, kind)) = self.grants_through(&q.chain, &h) else {
                return true;
            };
            scan.covered = true;
            let granted = profile.grant(role, q.cap);
            scan.highest = scan.highest.max(granted);
            if granted >= q.needed {
                let better = match scan.best {
                    None => true,
                    Some((_, _, k, _)) => k == CoverKind::Inherited && kind == CoverKind::Direct,
                };
                if better {
                    scan.best = Some((h.at, role, kind, granted));
                }
            }
            true
        });
        scan
    }

    /// The decision when assignment `i` grants enough.
    fn granted_by_assignment(
        &self,
        user: &User,
        q: &Question<'_>,
        (i, role, kind, granted): (usize, RoleId, CoverKind, Level),
    ) -> Decision {
        let profile = self.profile();
        let assigned_on = user
            .assignments
            .get(i)
            .map(|a| a.entity.clone())
            .unwrap_or_else(|| q.entity.clone());
        let role_id = profile
            .role_doc(role)
            .map(|r| r.id.clone())
            .unwrap_or_default();
        let grant_name = profile.access_name(q.cap, granted).to_string();
        let via = if kind == CoverKind::Inherited {
            format!(" (inherited from {assigned_on})")
        } else {
            String::new()
        };
        Decision {
            allowed: true,
            because: format!(
                "assignment {i}: role `{role_id}` on {assigned_on}{via} grants `{}: {grant_name}`",
                q.capability
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
        }
    }

    /// The decision when assignments reach the entity but none grants enough: a toggle that
    /// does, else `insufficient` with the highest level held.
    fn granted_by_toggle(&self, user: &User, q: &Question<'_>, mut highest: Level) -> Decision {
        let profile = self.profile();
        for (id, on) in &user.toggles {
            if !*on {
                continue;
            }
            let Some(grants) = profile.toggle_grants(id) else {
                continue;
            };
            let granted = grants.get(q.cap.index()).copied().unwrap_or(0);
            if granted >= q.needed {
                let grant_name = profile.access_name(q.cap, granted).to_string();
                return Decision {
                    allowed: true,
                    because: format!("toggle `{id}` grants `{}: {grant_name}`", q.capability),
                    grant: Some(GrantSource {
                        assignment: None,
                        role: None,
                        toggle: Some(id.clone()),
                        entity: q.entity.clone(),
                        inherited_from: None,
                        level: grant_name,
                    }),
                    denied: None,
                };
            }
            highest = highest.max(granted);
        }
        let has = profile.access_name(q.cap, highest).to_string();
        deny(
            "insufficient",
            format!(
                "on {} the user's roles grant `{}: {has}`, below `{}`",
                q.entity, q.capability, q.level
            ),
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
        self.allows_held(user, capability, level, entity)
    }

    /// `allows` for a user document or a prepared user. Generic, unlike `can`: the compiler
    /// then inlines the user's walk into the loop, which is most of the call's time.
    pub(crate) fn allows_held<H: Holder + ?Sized>(
        &self,
        held: &H,
        capability: &str,
        level: &str,
        entity: &EntityRef,
    ) -> bool {
        match self.profile().capability_level(capability, level) {
            Some((cap, needed)) => self.allows_ids(held, cap, needed, entity),
            None => false,
        }
    }

    pub(crate) fn allows_ids<H: Holder + ?Sized>(
        &self,
        held: &H,
        cap: CapId,
        needed: Level,
        entity: &EntityRef,
    ) -> bool {
        let Ok(chain) = self.chain(entity) else {
            return false;
        };
        let (mut covered, mut granted) = (false, false);
        held.each_holding(self, &mut |h| {
            let Some((role, _)) = self.grants_through(&chain, &h) else {
                return true;
            };
            covered = true;
            granted = self.profile().grant(role, cap) >= needed;
            !granted
        });
        if granted {
            return true;
        }
        if !covered {
            return needed == 0;
        }
        held.toggle_level(self, cap) >= needed
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
            .filter_map(|u| self.who(u, capability, level, entity))
            .collect()
    }

    /// One user of `who_can`'s answer, when the user can.
    pub(crate) fn who(
        &self,
        held: &dyn Holder,
        capability: &str,
        level: &str,
        entity: &EntityRef,
    ) -> Option<WhoCan> {
        let user = held.user();
        self.allows_held(held, capability, level, entity)
            .then(|| WhoCan {
                user: user.id.clone(),
                email: user.email.clone(),
                because: self.can_held(held, capability, level, entity),
            })
    }

    /// The record as `user` may see it on `entity`: guarded fields become the placeholder
    /// and the record gains the label. Nested objects and arrays are redacted too.
    pub fn redact(&self, user: &User, entity: &EntityRef, record: &Value) -> Value {
        self.redact_held(user, entity, record)
    }

    /// `redact` for a user document or a prepared user.
    pub(crate) fn redact_held(
        &self,
        user: &dyn Holder,
        entity: &EntityRef,
        record: &Value,
    ) -> Value {
        let profile = self.profile();
        let mut hidden: Vec<(&str, &str, &str)> = Vec::new();
        for r in profile.redactions() {
            let allowed = match profile.capability(&r.unless) {
                Some(cap) => {
                    let needed = profile.threshold(cap, r.unless_level.as_deref());
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

/// One assignment as `can` reads it: its position in the user's list, its entity's level
/// index and id, and its role.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Holding<'u> {
    pub at: usize,
    pub level: usize,
    pub id: &'u str,
    pub role: HeldRole<'u>,
}

/// A holding's role: already known to be usable at its level (a prepared user), or a name
/// still to look up (a user document, looked up only when the assignment covers the entity).
#[derive(Debug, Clone, Copy)]
pub(crate) enum HeldRole<'u> {
    Usable(RoleId),
    Named(&'u str),
}

/// What `can`, `allows` and `redact` read of a user: a user document, resolved as they go,
/// or a prepared user, resolved once (`prepared.rs`). One implementation serves both, so
/// the two give the same answers.
pub(crate) trait Holder {
    /// The user document (for the explanations).
    fn user(&self) -> &User;
    /// Shows `visit` the assignments that may grant, in the user's order, until it returns
    /// false. An assignment on a level the profile does not have is left out. (A visitor
    /// rather than an iterator: the callers take `&dyn Holder`, so `can` is compiled once,
    /// which keeps the WebAssembly module small.)
    fn each_holding(&self, engine: &Engine, visit: &mut dyn FnMut(Holding<'_>) -> bool);
    /// The highest level of `cap` that the user's toggles grant.
    fn toggle_level(&self, engine: &Engine, cap: CapId) -> Level;
}

impl Holder for User {
    fn user(&self) -> &User {
        self
    }

    fn each_holding(&self, engine: &Engine, visit: &mut dyn FnMut(Holding<'_>) -> bool) {
        for (at, a) in self.assignments.iter().enumerate() {
            let Some(level) = engine.profile().level_index(&a.entity.level) else {
                continue;
            };
            let role = HeldRole::Named(&a.role);
            if !visit(Holding {
                at,
                level,
                id: &a.entity.id,
                role,
            }) {
                return;
            }
        }
    }

    fn toggle_level(&self, engine: &Engine, cap: CapId) -> Level {
        self.toggles
            .iter()
            .filter(|(_, on)| **on)
            .filter_map(|(id, _)| {
                engine
                    .profile()
                    .toggle_grants(id)?
                    .get(cap.index())
                    .copied()
            })
            .max()
            .unwrap_or(0)
    }
}

/// A `can` question resolved: the names asked, and the capability, level and chain of
/// entities they lead to.
struct Question<'q> {
    capability: &'q str,
    level: &'q str,
    entity: &'q EntityRef,
    cap: CapId,
    needed: Level,
    chain: Chain<'q>,
}

/// What `can` learns from a user's assignments about one question.
struct Scan {
    /// The assignment that grants enough: (index, role, how it covers, level granted).
    best: Option<(usize, RoleId, CoverKind, Level)>,
    /// Whether any usable assignment reaches the entity.
    covered: bool,
    /// The highest level of the capability those assignments grant.
    highest: Level,
}

/// A denial with its code.
fn deny(code: &str, because: String) -> Decision {
    Decision {
        allowed: false,
        because,
        grant: None,
        denied: Some(code.to_string()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::error::parse_json;
    use crate::model::{Assignment, Directory};
    use crate::profile::Profile;
    use proptest::prelude::*;

    const ENTITIES: [(&str, &str); 7] = [
        ("partner", "1"),
        ("partner", "2"),
        ("advertiser", "11"),
        ("advertiser", "12"),
        ("advertiser", "21"),
        ("advertiser", "999"),
        ("advertiser", "998"),
    ];
    const ROLES: [&str; 6] = [
        "admin",
        "standard",
        "read_only",
        "reporting_only",
        "planner",
        "ghost",
    ];

    fn engine(with_directory: bool) -> Engine {
        // The small directory the integration tests use too (`tests/common`).
        let directory: Directory = parse_json(
            include_str!("../tests/fixtures/dv360_small_directory.json"),
            "",
        )
        .unwrap();
        Engine::new(
            Profile::builtin("dv360").unwrap(),
            with_directory.then_some(&directory),
        )
        .unwrap()
    }

    fn assignment((e, r): (usize, usize)) -> Assignment {
        let (level, id) = ENTITIES[e % ENTITIES.len()];
        Assignment {
            entity: EntityRef::new(level, id),
            role: ROLES[r % ROLES.len()].into(),
        }
    }

    proptest! {
        /// A grid updated in place after one assignment is replaced equals the grid built
        /// afresh: the same rows in the same order, the same highest levels. And the update
        /// is made for the edit a form makes most, another role on a leaf entity.
        #[test]
        fn regrant_agrees_with_a_fresh_grid(
            with_directory: bool,
            billing: bool,
            picks in proptest::collection::vec((0usize..7, 0usize..6), 1..12),
            at in 0usize..12,
            to in (0usize..7, 0usize..6),
            same_entity: bool,
        ) {
            let engine = engine(with_directory);
            let mut user = User::default();
            user.toggles.insert("billing".into(), billing);
            user.assignments = picks.into_iter().map(assignment).collect();
            let at = at % user.assignments.len();
            let mut keys = Keys::new(&engine);
            let mut slots = keys.owned_slots(&engine, &user.assignments);
            let mut grid = engine.grid(&user, &slots);
            let old = slots[at];
            let mut new = assignment(to);
            if same_entity {
                new.entity = user.assignments[at].entity.clone();
            }
            slots[at] = keys.owned_slot(&engine, &new);
            user.assignments[at] = new;
            let fresh = engine.grid(&user, &slots);
            let before = grid.clone();
            if engine.regrant(&mut grid, &slots, &old, &slots[at]) {
                prop_assert_eq!(&grid, &fresh);
            } else {
                prop_assert_eq!(&grid, &before, "a refused update leaves the grid as it was");
            }
            let leaf_role_edit = old.key == slots[at].key
                && !engine.has_children(&old)
                && engine.usable(&old).is_some() == engine.usable(&slots[at]).is_some();
            prop_assert_eq!(engine.regrant(&mut before.clone(), &slots, &old, &slots[at]), leaf_role_edit);
        }
    }
}
