//! Prepared users: a user resolved against the engine once (`Engine::user`), for the many
//! questions a grid of permission cells or a notebook asks about the same user.
//!
//! Preparing looks up each assignment's level and role once and keeps only the assignments
//! that can grant; the toggles' levels are the grid's starting levels. `can` and `redact` then run
//! the same code as on a user document (`access.rs`'s `Holder`). The user's grid (what
//! `effective` shows: the levels of every covered entity) is built once too, so `allows` is
//! a few lookups: the entity's row, the capability's level in it. That `can` agrees with the
//! grid is a property the tests check on every generated user (`core/tests/properties.rs`),
//! and that a prepared user answers as its document does is another.

use std::ops::Deref;

use serde_json::Value;

use crate::access::{CanRequest, Decision, Grid, HeldRole, Holder, Holding, MatrixRow, WhoCan};
use crate::engine::{Engine, Located};
use crate::keys::{Key, Keys};
use crate::model::{EntityRef, User};
use crate::profile::{CapId, Level, RoleId};
use crate::validate::Validation;

/// A user resolved against an engine: `engine.user(doc)` in Rust, in the npm package (a
/// `PreparedUser` to `free()`) and in Python (`adaccess.User`).
///
/// `E` is how the user holds its engine: a borrow (`PreparedUser<&Engine>`, from
/// [`Engine::user`]) or shared ownership (`PreparedUser<Arc<Engine>>`, from
/// [`PreparedUser::new`], for the bindings' handles).
#[derive(Debug, Clone)]
pub struct PreparedUser<E: Deref<Target = Engine>> {
    engine: E,
    user: User,
    /// The assignments that can grant: (position, level index, role), in the user's order.
    held: Vec<(usize, usize, RoleId)>,
    /// The keys of the entities outside the directory the user's assignments name.
    keys: Keys<'static>,
    /// The levels of every entity the user's assignments cover.
    grid: Grid,
}

impl Engine {
    /// Resolves `user` once, for many questions about it.
    pub fn user(&self, user: User) -> PreparedUser<&Engine> {
        PreparedUser::new(self, user)
    }
}

impl<E: Deref<Target = Engine>> PreparedUser<E> {
    /// Resolves `user` against `engine`.
    pub fn new(engine: E, user: User) -> Self {
        let profile = engine.profile();
        let mut keys = Keys::new(&engine);
        let slots = keys.owned_slots(&engine, &user.assignments);
        // The slots hold each assignment's role and level, looked up once for the grid too.
        let held = slots
            .iter()
            .enumerate()
            .filter_map(|(at, slot)| {
                let (level, _) = slot.located.place()?;
                let role = slot.role?;
                profile
                    .role_allowed_at(role, level)
                    .then_some((at, level, role))
            })
            .collect();
        let grid = engine.grid(&user, &slots);
        PreparedUser {
            engine,
            user,
            held,
            keys,
            grid,
        }
    }

    /// The user document.
    pub fn doc(&self) -> &User {
        &self.user
    }

    /// The engine the user was prepared for.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// `Engine::can` for this user.
    pub fn can(&self, capability: &str, level: &str, entity: &EntityRef) -> Decision {
        self.engine.can_held(self, capability, level, entity)
    }

    /// `Engine::allows` for this user: only the answer, read from the grid.
    pub fn allows(&self, capability: &str, level: &str, entity: &EntityRef) -> bool {
        let Some((cap, needed)) = self.engine.profile().capability_level(capability, level) else {
            return false;
        };
        let key = match self.engine.locate(entity) {
            Located::Known {
                node: Some(node), ..
            } => Some(Key::from_node(node)),
            Located::Known { node: None, .. } => self.keys.find(&self.engine, entity),
            // Deny by default: a level the profile lacks, an entity the directory lacks.
            Located::UnknownLevel | Located::UnknownEntity { .. } => return false,
        };
        match key.and_then(|k| self.grid.get(k)) {
            Some(row) => row.levels.get(cap.index()).is_some_and(|l| *l >= needed),
            // Not covered: only the lowest level is allowed.
            None => needed == 0,
        }
    }

    /// `allows` for many questions, in order.
    pub fn allows_many(&self, requests: &[CanRequest]) -> Vec<bool> {
        requests
            .iter()
            .map(|r| self.allows(&r.capability, &r.level, &r.entity))
            .collect()
    }

    /// `can` for many questions, in order.
    pub fn can_many(&self, requests: &[CanRequest]) -> Vec<Decision> {
        requests
            .iter()
            .map(|r| self.can(&r.capability, &r.level, &r.entity))
            .collect()
    }

    /// The permission matrix (`Engine::effective`).
    pub fn effective(&self) -> Vec<MatrixRow> {
        self.engine.matrix_rows(&self.grid, &self.keys)
    }

    /// The record as this user may see it on `entity` (`Engine::redact`).
    pub fn redact(&self, entity: &EntityRef, record: &Value) -> Value {
        self.engine.redact_held(self, entity, record)
    }

    /// Is this user's access valid (`Engine::validate_user`)?
    pub fn validate(&self) -> Validation {
        self.engine.validate_user(&self.user)
    }
}

impl<E: Deref<Target = Engine>> Holder for PreparedUser<E> {
    fn user(&self) -> &User {
        &self.user
    }

    fn each_holding(&self, _: &Engine, visit: &mut dyn FnMut(Holding<'_>) -> bool) {
        for &(at, level, role) in &self.held {
            let Some(a) = self.user.assignments.get(at) else {
                continue;
            };
            let role = HeldRole::Usable(role);
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

    fn toggle_level(&self, _: &Engine, cap: CapId) -> Level {
        self.grid.toggle_level(cap)
    }
}

impl<E: Deref<Target = Engine>> PreparedUser<E> {
    /// `Engine::who_can` over prepared users: every one who can, with the reason. Each user
    /// answers with the engine it was prepared for.
    pub fn who_can<'a>(
        users: impl IntoIterator<Item = &'a Self>,
        capability: &str,
        level: &str,
        entity: &EntityRef,
    ) -> Vec<WhoCan>
    where
        E: 'a,
    {
        users
            .into_iter()
            .filter_map(|u| u.engine.who(u, capability, level, entity))
            .collect()
    }
}
