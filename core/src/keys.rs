//! Entities as small integers, and each assignment resolved once.
//!
//! An entity reference is two strings: comparing or hashing it is most of what a large
//! user's assessment used to do. Here each assignment's role, place and entity are looked
//! up once (`Slot`); the grid, the checks and the diff then work on `Key`s. A draft keeps
//! its slots between edits, so an edit resolves one assignment, not a thousand.

use std::borrow::Cow;

use rustc_hash::FxHashMap as HashMap;
use smallvec::SmallVec;

use crate::engine::{Engine, Located, NodeId};
use crate::ids::id_type;
use crate::model::{Assignment, EntityRef};
use crate::profile::RoleId;

id_type! {
    /// An entity: its directory node, or past the nodes, one the directory does not hold
    /// (or any entity, without a directory).
    pub(crate) struct Key;
}

impl Key {
    /// The key of a directory node: the node's own index.
    #[inline]
    pub fn from_node(node: NodeId) -> Key {
        Key::new(node.index())
    }

    /// The directory node of the key, when it is one (below `base`, the number of nodes).
    #[inline]
    pub fn node(self, base: usize) -> Option<NodeId> {
        (self.index() < base).then(|| NodeId::new(self.index()))
    }

    /// The position of the key among the entities outside the directory, when it is one.
    #[inline]
    fn interned(self, base: usize) -> Option<usize> {
        self.index().checked_sub(base)
    }
}

/// The entities outside the directory met so far, each with its key. Borrowed from the
/// documents for one call; owned (`Keys<'static>`) by a draft.
#[derive(Debug, Clone, Default)]
pub(crate) struct Keys<'a> {
    /// Keys below `base` are directory nodes.
    base: usize,
    map: HashMap<Cow<'a, EntityRef>, Key>,
    entities: Vec<Cow<'a, EntityRef>>,
}

/// One assignment resolved: its role, where its entity sits and the entity's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Slot {
    pub role: Option<RoleId>,
    pub located: Located,
    pub key: Key,
}

impl Slot {
    /// The directory node of the entity, when the directory holds it.
    pub fn node(&self) -> Option<NodeId> {
        match self.located {
            Located::Known { node, .. } => node,
            _ => None,
        }
    }
}

impl<'a> Keys<'a> {
    /// Keys for entities under this engine.
    pub fn new(engine: &Engine) -> Keys<'a> {
        Keys {
            base: engine.directory_len(),
            map: HashMap::default(),
            entities: Vec::new(),
        }
    }

    fn intern(&mut self, entity: &EntityRef, own: impl FnOnce() -> Cow<'a, EntityRef>) -> Key {
        if let Some(k) = self.map.get(entity) {
            return *k;
        }
        let key = Key::new(self.base + self.entities.len());
        let entity = own();
        self.entities.push(entity.clone());
        self.map.insert(entity, key);
        key
    }

    /// The key of an entity already met, without adding it.
    pub fn find(&self, engine: &Engine, entity: &EntityRef) -> Option<Key> {
        if let Located::Known { node: Some(n), .. } = engine.locate(entity) {
            return Some(Key::from_node(n));
        }
        self.map.get(entity).copied()
    }

    /// The entity of a key.
    pub fn entity<'k>(&'k self, engine: &'k Engine, key: Key) -> Option<&'k EntityRef> {
        match key.interned(self.base) {
            Some(k) => self.entities.get(k).map(|e| e.as_ref()),
            None => engine.node(key.node(self.base)?).map(|n| &n.entity),
        }
    }

    /// The directory's name for the entity of a key (only the directory names entities).
    pub fn name<'k>(&self, engine: &'k Engine, key: Key) -> Option<&'k str> {
        engine.node(key.node(self.base)?)?.name.as_deref()
    }

    /// Resolves one assignment; `own` gives its entity for the keys, borrowed or owned.
    fn slot(
        &mut self,
        engine: &Engine,
        role: &str,
        entity: &EntityRef,
        own: impl FnOnce() -> Cow<'a, EntityRef>,
    ) -> Slot {
        let located = engine.locate(entity);
        let key = match located {
            Located::Known { node: Some(n), .. } => Key::from_node(n),
            _ => self.intern(entity, own),
        };
        Slot {
            role: engine.profile().role(role),
            located,
            key,
        }
    }

    /// Resolves assignments borrowed for one call.
    pub fn slots(&mut self, engine: &Engine, assignments: &'a [Assignment]) -> Vec<Slot> {
        assignments
            .iter()
            .map(|a| self.slot(engine, &a.role, &a.entity, || Cow::Borrowed(&a.entity)))
            .collect()
    }
}

impl Keys<'static> {
    /// Resolves assignments for keys that outlive them (a draft's).
    pub fn owned_slots(&mut self, engine: &Engine, assignments: &[Assignment]) -> Vec<Slot> {
        assignments
            .iter()
            .map(|a| self.owned_slot(engine, a))
            .collect()
    }

    pub fn owned_slot(&mut self, engine: &Engine, a: &Assignment) -> Slot {
        self.slot(engine, &a.role, &a.entity, || Cow::Owned(a.entity.clone()))
    }
}

/// Entity -> index of its first assignment (duplicates are a structural finding).
pub(crate) type FirstAssignments = HashMap<Key, usize>;

/// What the order of a user's assignments decides, found in one pass: each entity's first
/// assignment and each role's. The checks and rules read them instead of scanning again.
#[derive(Debug, Clone, Default)]
pub(crate) struct Firsts {
    /// Entity -> index of its first assignment.
    pub by_key: FirstAssignments,
    /// The indexes of those first assignments, in order (each entity once).
    pub once: Vec<usize>,
    /// Each role of the profile the user holds, with its first assignment, in order.
    pub roles: Vec<(RoleId, usize)>,
    /// The assignments whose role the profile does not know.
    pub unknown_roles: Vec<usize>,
}

/// Each entity of a user with its first assignment, and each role.
pub(crate) fn first_assignments(slots: &[Slot]) -> Firsts {
    let n = slots.len();
    let mut firsts = Firsts {
        by_key: HashMap::with_capacity_and_hasher(n, Default::default()),
        once: Vec::with_capacity(n),
        ..Firsts::default()
    };
    for (i, slot) in slots.iter().enumerate() {
        if let std::collections::hash_map::Entry::Vacant(v) = firsts.by_key.entry(slot.key) {
            v.insert(i);
            firsts.once.push(i);
        }
    }
    firsts.set_roles(slots);
    firsts
}

impl Firsts {
    /// Finds the roles again, after an edit of roles that left every entity in place.
    pub fn set_roles(&mut self, slots: &[Slot]) {
        self.roles.clear();
        self.unknown_roles.clear();
        // Role ids are indexes into the profile's roles: met or not, by id.
        let mut met: SmallVec<[bool; 32]> = SmallVec::new();
        for (i, slot) in slots.iter().enumerate() {
            let Some(r) = slot.role else {
                self.unknown_roles.push(i);
                continue;
            };
            if met.len() <= r.index() {
                met.resize(r.index() + 1, false);
            }
            if let Some(seen) = met.get_mut(r.index()).filter(|seen| !**seen) {
                *seen = true;
                self.roles.push((r, i));
            }
        }
    }

    /// The first assignment whose role is one of `roles`.
    pub fn first_of(&self, roles: &[RoleId]) -> Option<usize> {
        self.roles
            .iter()
            .filter(|(r, _)| roles.contains(r))
            .map(|(_, i)| *i)
            .min()
    }
}
