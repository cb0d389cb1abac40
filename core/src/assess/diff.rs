//! What a change changes, computed once: assignments, toggles, and capabilities per entity.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::access::Grid;
use crate::engine::Engine;
use crate::model::{Assignment, EntityRef, User};
use crate::order;

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
    pub cap: usize,
    pub from: u8,
    pub to: u8,
    /// Index into the public `gained` or `lost` list.
    pub index: usize,
}

pub(crate) struct Computed<'a> {
    pub diff: Diff,
    pub gained: Vec<LevelChange>,
    pub lost: Vec<LevelChange>,
    /// Each entity's first assignment (index and role), before and after.
    before_first: FirstAssignments<'a>,
    after_first: FirstAssignments<'a>,
}

impl Computed<'_> {
    /// The path of the first assignment on `entity` before the change,
    /// `before.assignments[3]`, or of the list when there is none.
    pub fn before_path(&self, entity: &EntityRef) -> String {
        path("before", &self.before_first, entity)
    }

    /// The same, after the change: `after.assignments[3]`.
    pub fn after_path(&self, entity: &EntityRef) -> String {
        path("after", &self.after_first, entity)
    }
}

fn path(side: &str, first: &FirstAssignments<'_>, entity: &EntityRef) -> String {
    match first.get(entity) {
        Some((i, _)) => format!("{side}.assignments[{i}]"),
        None => format!("{side}.assignments"),
    }
}

/// Entity -> index and role of its first assignment (duplicates are a structural finding).
type FirstAssignments<'a> = HashMap<&'a EntityRef, (usize, &'a str)>;

/// Each entity of `user` with its first assignment: as a map, and in the order of the
/// assignments (each entity once).
fn by_entity(user: &User) -> (FirstAssignments<'_>, Vec<(&EntityRef, &str)>) {
    let n = user.assignments.len();
    let mut map = HashMap::with_capacity_and_hasher(n, Default::default());
    let mut once = Vec::with_capacity(n);
    for (i, a) in user.assignments.iter().enumerate() {
        if let std::collections::hash_map::Entry::Vacant(v) = map.entry(&a.entity) {
            v.insert((i, a.role.as_str()));
            once.push((&a.entity, a.role.as_str()));
        }
    }
    (map, once)
}

pub(crate) fn compute<'a>(
    engine: &Engine,
    before: &'a User,
    after: &'a User,
    grid_before: &Grid<'_>,
    grid_after: &Grid<'_>,
) -> Computed<'a> {
    let profile = engine.profile();
    let (b, before_once) = by_entity(before);
    let (a, after_once) = by_entity(after);
    let mut diff = Diff::default();
    for (entity, role) in after_once {
        match b.get(entity) {
            None => diff.added.push(Assignment {
                entity: entity.clone(),
                role: role.to_string(),
            }),
            Some((_, old)) if *old != role => diff.role_changed.push(RoleChange {
                entity: entity.clone(),
                from: (*old).to_string(),
                to: role.to_string(),
            }),
            Some(_) => {}
        }
    }
    for (entity, role) in before_once {
        if !a.contains_key(entity) {
            diff.removed.push(Assignment {
                entity: entity.clone(),
                role: role.to_string(),
            });
        }
    }
    // Sorted by entity, whatever the order of the assignments.
    order::sort_by(&mut diff.added, |x, y| x.entity.cmp(&y.entity));
    order::sort_by(&mut diff.removed, |x, y| x.entity.cmp(&y.entity));
    order::sort_by(&mut diff.role_changed, |x, y| x.entity.cmp(&y.entity));
    let mut toggle_ids: Vec<&String> = before.toggles.keys().chain(after.toggles.keys()).collect();
    order::sort_dedup(&mut toggle_ids);
    for id in toggle_ids {
        let (from, to) = (before.toggle(id), after.toggle(id));
        if from != to {
            diff.toggles.push(ToggleChange {
                toggle: id.clone(),
                from,
                to,
            });
        }
    }

    let mut gained = Vec::new();
    let mut lost = Vec::new();
    let caps = profile.capabilities().len();
    let zeros = vec![0u8; caps];
    // Each row of the after grid with its row before (one lookup), then the rows only the
    // before grid has.
    let after_rows = grid_after.rows.iter().map(|r| {
        let from = grid_before
            .get(r.entity)
            .map_or(zeros.as_slice(), |b| b.levels.as_slice());
        (r.entity, from, r.levels.as_slice())
    });
    let gone_rows = grid_before
        .rows
        .iter()
        .filter(|r| grid_after.get(r.entity).is_none())
        .map(|r| (r.entity, r.levels.as_slice(), zeros.as_slice()));
    for (entity, from, to) in after_rows.chain(gone_rows) {
        for (cap, (f, t)) in from.iter().zip(to.iter()).enumerate() {
            if f == t {
                continue;
            }
            let (Some((capability, from)), Some((_, to))) =
                (profile.shared_names(cap, *f), profile.shared_names(cap, *t))
            else {
                continue;
            };
            let change = AccessChange {
                capability,
                from,
                to,
                entity: entity.clone(),
            };
            if t > f {
                gained.push(LevelChange {
                    cap,
                    from: *f,
                    to: *t,
                    index: diff.gained.len(),
                });
                diff.gained.push(change);
            } else {
                lost.push(LevelChange {
                    cap,
                    from: *f,
                    to: *t,
                    index: diff.lost.len(),
                });
                diff.lost.push(change);
            }
        }
    }
    Computed {
        diff,
        gained,
        lost,
        before_first: b,
        after_first: a,
    }
}
