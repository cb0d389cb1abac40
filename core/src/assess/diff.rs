//! What a change changes, computed once: assignments, toggles, and capabilities per entity.

use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::access::Grid;
use crate::engine::Engine;
use crate::keys::{FirstAssignments, Firsts, Key, Keys, Slot};
use crate::model::{Assignment, EntityRef, User};
use crate::order;
use crate::profile::CapId;

/// The difference between the before- and after-state of a user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Diff {
    /// Assignments on entities the user did not have before.
    pub added: Vec<Assignment>,
    /// Assignments on entities the user no longer has.
    pub removed: Vec<Assignment>,
    /// Entities kept with another role.
    pub role_changed: Vec<RoleChange>,
    pub toggles: Vec<ToggleChange>,
    /// Capabilities whose level rises on an entity.
    pub gained: Vec<AccessChange>,
    /// Capabilities whose level falls on an entity.
    pub lost: Vec<AccessChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RoleChange {
    pub entity: EntityRef,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ToggleChange {
    pub toggle: String,
    pub from: bool,
    pub to: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AccessChange {
    pub capability: Arc<str>,
    pub from: Arc<str>,
    pub to: Arc<str>,
    pub entity: EntityRef,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.role_changed.is_empty()
            && self.toggles.is_empty()
            && self.gained.is_empty()
            && self.lost.is_empty()
    }
}

/// Level changes with dense ids, kept beside the public diff for the rules.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LevelChange {
    pub cap: CapId,
    pub from: u8,
    pub to: u8,
    /// Index into the public `gained` or `lost` list.
    pub index: usize,
    /// The entity's key.
    pub key: Key,
}

pub(crate) struct Computed<'s> {
    pub diff: Diff,
    pub gained: Vec<LevelChange>,
    pub lost: Vec<LevelChange>,
    /// The keys of `diff.added`, `diff.removed` and `diff.role_changed`, in their order.
    pub added: Vec<Key>,
    pub removed: Vec<Key>,
    pub role_changed: Vec<Key>,
    /// Each entity's first assignment, before and after.
    before_first: &'s FirstAssignments,
    after_first: &'s FirstAssignments,
}

impl Computed<'_> {
    /// The path of the first assignment on an entity before the change,
    /// `before.assignments[3]`, or of the list when there is none.
    pub fn before_path(&self, key: Key) -> String {
        path("before", self.before_first, key)
    }

    /// The same, after the change: `after.assignments[3]`.
    pub fn after_path(&self, key: Key) -> String {
        path("after", self.after_first, key)
    }
}

fn path(side: &str, first: &FirstAssignments, key: Key) -> String {
    match first.get(&key) {
        Some(i) => format!("{side}.assignments[{i}]"),
        None => format!("{side}.assignments"),
    }
}

/// One side of a change: the user, its assignments resolved, its grid and its first
/// assignments (a draft keeps the before-side's between edits).
#[derive(Clone, Copy)]
pub(crate) struct Side<'a> {
    pub user: &'a User,
    pub slots: &'a [Slot],
    pub grid: &'a Grid,
    pub first: &'a Firsts,
}

/// Finds each item of one list in another, walking the other in step while the two agree
/// (an edit leaves most of a user in order) and looking an item up only where they do not;
/// then gives the positions never found.
struct Walk {
    met: Vec<bool>,
    next: usize,
}

impl Walk {
    fn new(len: usize) -> Walk {
        Walk {
            met: vec![false; len],
            next: 0,
        }
    }

    /// The position of the next item: `next` when `agrees` with it, `lookup` otherwise.
    fn find(
        &mut self,
        agrees: impl Fn(usize) -> bool,
        lookup: impl FnOnce() -> Option<usize>,
    ) -> Option<usize> {
        let at = Some(self.next).filter(|p| agrees(*p)).or_else(lookup)?;
        self.next = at + 1;
        if let Some(m) = self.met.get_mut(at) {
            *m = true;
        }
        Some(at)
    }

    /// The positions no `find` gave, in order.
    fn unmet(&self) -> impl Iterator<Item = usize> + '_ {
        self.met
            .iter()
            .enumerate()
            .filter(|(_, m)| !**m)
            .map(|(p, _)| p)
    }
}

/// Do two assignments on one entity hold different roles? Roles the profile knows are
/// compared by index, the others by name.
fn differ(old: &Assignment, old_slot: &Slot, now: &Assignment, now_slot: Option<&Slot>) -> bool {
    match (old_slot.role, now_slot.and_then(|s| s.role)) {
        (Some(a), Some(b)) => a != b,
        _ => old.role != now.role,
    }
}

pub(crate) fn compute<'a>(
    engine: &Engine,
    keys: &Keys<'_>,
    before: &Side<'a>,
    after: &Side<'a>,
) -> Computed<'a> {
    let entities = entity_changes(before, after);
    let mut diff = Diff::default();
    let (added_keys, removed_keys, role_changed_keys) = (
        entities.added.iter().map(|x| x.1).collect(),
        entities.removed.iter().map(|x| x.1).collect(),
        entities.role_changed.iter().map(|x| x.1).collect(),
    );
    diff.added = entities.added.into_iter().map(|x| x.0).collect();
    diff.removed = entities.removed.into_iter().map(|x| x.0).collect();
    diff.role_changed = entities.role_changed.into_iter().map(|x| x.0).collect();
    diff.toggles = toggle_changes(before.user, after.user);
    let (gained, lost) = level_changes(engine, keys, before.grid, after.grid, &mut diff);
    Computed {
        diff,
        gained,
        lost,
        added: added_keys,
        removed: removed_keys,
        role_changed: role_changed_keys,
        before_first: &before.first.by_key,
        after_first: &after.first.by_key,
    }
}

/// The assignments of a change by entity, each with its entity's key, sorted by entity.
struct EntityChanges {
    added: Vec<(Assignment, Key)>,
    removed: Vec<(Assignment, Key)>,
    role_changed: Vec<(RoleChange, Key)>,
}

/// The entities the after-side holds and the before-side does not, the reverse, and those
/// both hold with other roles (each entity's first assignment compared).
fn entity_changes(before: &Side<'_>, after: &Side<'_>) -> EntityChanges {
    let (b, before_once) = (&before.first.by_key, &before.first.once);
    let after_once = &after.first.once;
    fn assignment<'x>(side: &Side<'x>, i: usize) -> Option<&'x Assignment> {
        side.user.assignments.get(i)
    }
    fn key(side: &Side<'_>, i: usize) -> Option<Key> {
        side.slots.get(i).map(|s| s.key)
    }
    let mut changes = EntityChanges {
        added: Vec::new(),
        removed: Vec::new(),
        role_changed: Vec::new(),
    };
    // Each entity's first assignment after, with its first before: found by walking both
    // lists side by side while they agree (an edit leaves most of a user in order), by
    // lookup where they do not. The entities never met had no first assignment after.
    let mut walk = Walk::new(before_once.len());
    for &i in after_once {
        let (Some(now), Some(k)) = (assignment(after, i), key(after, i)) else {
            continue;
        };
        let at = walk.find(
            |p| before_once.get(p).and_then(|&j| key(before, j)) == Some(k),
            || b.get(&k).and_then(|j| before_once.binary_search(j).ok()),
        );
        let old = at.and_then(|p| before_once.get(p)).and_then(|&j| {
            let slot = before.slots.get(j)?;
            Some((assignment(before, j)?, slot))
        });
        match old {
            None => changes.added.push((now.clone(), k)),
            Some((old, slot)) if differ(old, slot, now, after.slots.get(i)) => {
                changes.role_changed.push((
                    RoleChange {
                        entity: now.entity.clone(),
                        from: old.role.clone(),
                        to: now.role.clone(),
                    },
                    k,
                ))
            }
            Some(_) => {}
        }
    }
    for j in walk.unmet().filter_map(|p| before_once.get(p).copied()) {
        let (Some(old), Some(k)) = (assignment(before, j), key(before, j)) else {
            continue;
        };
        changes.removed.push((old.clone(), k));
    }
    // Sorted by entity, whatever the order of the assignments.
    order::sort_by(&mut changes.added, |x, y| x.0.entity.cmp(&y.0.entity));
    order::sort_by(&mut changes.removed, |x, y| x.0.entity.cmp(&y.0.entity));
    order::sort_by(&mut changes.role_changed, |x, y| {
        x.0.entity.cmp(&y.0.entity)
    });
    changes
}

/// The toggles whose value differs between two users, by toggle id.
fn toggle_changes(before: &User, after: &User) -> Vec<ToggleChange> {
    let mut changes = Vec::new();
    let mut toggle_ids: Vec<&String> = before.toggles.keys().chain(after.toggles.keys()).collect();
    order::sort_dedup(&mut toggle_ids);
    for id in toggle_ids {
        let (from, to) = (before.toggle(id), after.toggle(id));
        if from != to {
            changes.push(ToggleChange {
                toggle: id.clone(),
                from,
                to,
            });
        }
    }
    changes
}

/// The capability levels that rise and fall on each entity between two grids: written to
/// `diff.gained` and `diff.lost`, and returned with dense ids (gained, lost).
fn level_changes(
    engine: &Engine,
    keys: &Keys<'_>,
    grid_before: &Grid,
    grid_after: &Grid,
    diff: &mut Diff,
) -> (Vec<LevelChange>, Vec<LevelChange>) {
    let mut levels = LevelChanges {
        profile: engine.profile(),
        gained: Vec::new(),
        lost: Vec::new(),
        diff,
    };
    let caps = levels.profile.capabilities().len();
    let zeros = vec![0u8; caps];
    // Each row of the after grid with its row before, walking both grids side by side
    // while their rows agree and looking the row up where they do not; then the rows only
    // the before grid has.
    let mut walk = Walk::new(grid_before.rows.len());
    let after_rows = grid_after.rows.iter().map(|r| {
        let at = walk.find(
            |p| grid_before.rows.get(p).is_some_and(|b| b.key == r.key),
            || grid_before.position(r.key),
        );
        let from = at
            .and_then(|p| grid_before.rows.get(p))
            .map_or(zeros.as_slice(), |row| row.levels.as_slice());
        (r.key, from, r.levels.as_slice())
    });
    let after_rows: Vec<_> = after_rows.collect();
    let gone_rows = walk
        .unmet()
        .filter_map(|p| grid_before.rows.get(p))
        .map(|r| (r.key, r.levels.as_slice(), zeros.as_slice()));
    for (key, from, to) in after_rows.into_iter().chain(gone_rows) {
        if from == to {
            continue;
        }
        let Some(entity) = keys.entity(engine, key) else {
            continue;
        };
        levels.row(key, entity, from, to);
    }
    (levels.gained, levels.lost)
}

/// The level changes found so far: the public ones in the diff, the dense ones beside them.
struct LevelChanges<'d> {
    profile: &'d crate::profile::Profile,
    gained: Vec<LevelChange>,
    lost: Vec<LevelChange>,
    diff: &'d mut Diff,
}

impl LevelChanges<'_> {
    /// Adds the changes of one entity's row of levels, one per capability.
    fn row(&mut self, key: Key, entity: &EntityRef, from: &[u8], to: &[u8]) {
        let levels = from.iter().zip(to.iter());
        for (cap, (f, t)) in self.profile.cap_ids().zip(levels) {
            if f == t {
                continue;
            }
            let (Some((capability, from)), Some((_, to))) = (
                self.profile.shared_names(cap, *f),
                self.profile.shared_names(cap, *t),
            ) else {
                continue;
            };
            let change = AccessChange {
                capability,
                from,
                to,
                entity: entity.clone(),
            };
            let (list, changes) = if t > f {
                (&mut self.gained, &mut self.diff.gained)
            } else {
                (&mut self.lost, &mut self.diff.lost)
            };
            list.push(LevelChange {
                cap,
                from: *f,
                to: *t,
                index: changes.len(),
                key,
            });
            changes.push(change);
        }
    }
}
