//! The two sides of a change made ready for evaluation: resolved for one call, or kept by a
//! draft between edits (`Prepared`) and refreshed as the after-state is edited.

use std::borrow::Cow;

use super::diff::Side;
use crate::access::Grid;
use crate::engine::Engine;
use crate::finding::Finding;
use crate::keys::{first_assignments, Firsts, Keys, Slot};
use crate::model::{Change, User};

/// Both sides of a change resolved: borrowed from a draft, or made for one call.
pub(super) struct Resolved<'a> {
    pub keys: Cow<'a, Keys<'a>>,
    before_slots: Cow<'a, [Slot]>,
    after_slots: Cow<'a, [Slot]>,
    before_grid: Cow<'a, Grid>,
    after_grid: Cow<'a, Grid>,
    before_first: Cow<'a, Firsts>,
    after_first: Cow<'a, Firsts>,
    /// The structural findings on the after-state, when a draft keeps them.
    pub after_findings: Option<&'a [Finding]>,
}

impl Resolved<'_> {
    /// The before-side of the change, for the user `before`.
    pub fn before<'s>(&'s self, before: &'s User) -> Side<'s> {
        Side {
            user: before,
            slots: &self.before_slots,
            grid: &self.before_grid,
            first: &self.before_first,
        }
    }

    /// The after-side of the change, for the user `after`.
    pub fn after<'s>(&'s self, after: &'s User) -> Side<'s> {
        Side {
            user: after,
            slots: &self.after_slots,
            grid: &self.after_grid,
            first: &self.after_first,
        }
    }
}

/// What a draft keeps of its change between edits: the entities' keys, the before-side
/// resolved with its grid, and the after-side's assignments resolved.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub keys: Keys<'static>,
    before_slots: Vec<Slot>,
    before_grid: Grid,
    before_first: Firsts,
    pub after_slots: Vec<Slot>,
    /// The after-side's grid and first assignments, as of the last edit that changed its
    /// assignments or toggles (`refresh_after`): an edit of the reason or the approvals,
    /// a form's text fields, leaves them as they are.
    after_grid: Grid,
    after_first: Firsts,
    /// The structural findings on the after-state (none for a deletion).
    after_findings: Vec<Finding>,
}

impl Prepared {
    /// Recomputes what the after-state decides on its own: its grid, its first assignments
    /// and its structural findings.
    pub(crate) fn refresh_after(&mut self, engine: &Engine, after: Option<&User>) {
        self.rebuild_grid(engine, after);
        self.after_first = first_assignments(&self.after_slots);
        self.validate_after(engine, after);
    }

    /// The same after one assignment, at `index`, was replaced (it was `old`). On the same
    /// entity, the first assignments stay, and the grid is updated in place when it can be.
    pub(crate) fn refresh_slot(
        &mut self,
        engine: &Engine,
        after: Option<&User>,
        index: usize,
        old: &Slot,
    ) {
        let same_entity = self
            .after_slots
            .get(index)
            .is_some_and(|s| s.key == old.key);
        let regranted = match self.after_slots.get(index) {
            Some(new) if same_entity => {
                engine.regrant(&mut self.after_grid, &self.after_slots, old, new)
            }
            _ => false,
        };
        if !regranted {
            self.rebuild_grid(engine, after);
        }
        if same_entity {
            self.after_first.set_roles(&self.after_slots);
        } else {
            self.after_first = first_assignments(&self.after_slots);
        }
        self.validate_after(engine, after);
    }

    /// Recomputes the after-side's grid from its resolved assignments.
    fn rebuild_grid(&mut self, engine: &Engine, after: Option<&User>) {
        let empty = User::default();
        self.after_grid = engine.grid(after.unwrap_or(&empty), &self.after_slots);
    }

    /// Recomputes the structural findings on the after-state (none for a deletion).
    fn validate_after(&mut self, engine: &Engine, after: Option<&User>) {
        self.after_findings = match after {
            Some(user) => {
                engine.validate_resolved(user, &self.after_slots, &self.after_first, "after")
            }
            None => Vec::new(),
        };
    }
}

impl Engine {
    /// Resolves a change for a draft: what stays the same from one edit to the next.
    pub(crate) fn prepare(&self, change: &Change) -> Prepared {
        let mut keys = Keys::new(self);
        let (before_slots, before_grid) = match &change.before {
            Some(user) => {
                let slots = keys.owned_slots(self, &user.assignments);
                let grid = self.grid(user, &slots);
                (slots, grid)
            }
            None => (Vec::new(), self.grid(&User::default(), &[])),
        };
        let after_slots = match &change.after {
            Some(user) => keys.owned_slots(self, &user.assignments),
            None => Vec::new(),
        };
        let mut prepared = Prepared {
            before_first: first_assignments(&before_slots),
            keys,
            before_slots,
            before_grid,
            after_slots,
            after_grid: Grid::default(),
            after_first: Default::default(),
            after_findings: Vec::new(),
        };
        prepared.refresh_after(self, change.after.as_ref());
        prepared
    }

    /// Both sides of a change resolved: a draft's, or made for this call.
    pub(super) fn resolve<'a>(
        &self,
        before: &'a User,
        after: &'a User,
        prepared: Option<&'a Prepared>,
    ) -> Resolved<'a> {
        match prepared {
            Some(p) => Resolved {
                keys: Cow::Borrowed(&p.keys),
                before_slots: Cow::Borrowed(&p.before_slots),
                after_grid: Cow::Borrowed(&p.after_grid),
                after_first: Cow::Borrowed(&p.after_first),
                after_findings: Some(&p.after_findings),
                after_slots: Cow::Borrowed(&p.after_slots),
                before_grid: Cow::Borrowed(&p.before_grid),
                before_first: Cow::Borrowed(&p.before_first),
            },
            None => {
                let mut keys = Keys::new(self);
                let before_slots = keys.slots(self, &before.assignments);
                let after_slots = keys.slots(self, &after.assignments);
                Resolved {
                    before_grid: Cow::Owned(self.grid(before, &before_slots)),
                    after_grid: Cow::Owned(self.grid(after, &after_slots)),
                    before_first: Cow::Owned(first_assignments(&before_slots)),
                    after_first: Cow::Owned(first_assignments(&after_slots)),
                    after_findings: None,
                    keys: Cow::Owned(keys),
                    before_slots: Cow::Owned(before_slots),
                    after_slots: Cow::Owned(after_slots),
                }
            }
        }
    }
}
