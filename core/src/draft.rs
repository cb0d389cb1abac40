//! A change being edited in a form: the documents stay in memory, each edit is a small
//! message, and `check` answers from there. A form that edits a user with a thousand
//! assignments then sends one assignment per keystroke, not the whole change.

use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::assess::{AssessOptions, Assessment, Check, EffectiveRows, LogEntry, Prepared};
use crate::engine::Engine;
use crate::error::InputError;
use crate::keys::Slot;
use crate::log::LogError;
use crate::model::{Approval, Assignment, Change, Temporary, Timestamp, User};

/// One edit of a draft change, named by its one key: `{"set_role": {"index": 3, "role":
/// "read_only"}}`. Indexes are those of `after.assignments`.
///
/// (Not `{"op": "set_role", ...}`: serde reads such a tagged document whole before it knows
/// the variant, and an error could then not name the bad value's path.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Edit {
    /// Puts `assignment` at `index`, replacing the one there; `index` equal to the number of
    /// assignments appends it.
    SetAssignment {
        index: usize,
        assignment: Assignment,
    },
    /// Gives the assignment at `index` another role.
    SetRole { index: usize, role: String },
    /// Inserts `assignment` before `index` (the number of assignments appends it).
    InsertAssignment {
        index: usize,
        assignment: Assignment,
    },
    /// Removes the assignment at `index`; the later ones move up.
    RemoveAssignment { index: usize },
    /// Turns a toggle on or off.
    SetToggle { toggle: String, on: bool },
    /// Sets or clears the reason of the change.
    SetReason {
        #[serde(default)]
        reason: Option<String>,
    },
    /// Replaces the approvals given so far.
    SetApprovals { approvals: Vec<Approval> },
    /// Makes the change temporary (or not, with `null`).
    SetTemporary {
        #[serde(default)]
        temporary: Option<Temporary>,
    },
    /// Replaces the whole after-state (`null`: the change deletes the user). Boxed: a user
    /// is larger than every other edit.
    SetAfter {
        #[serde(default)]
        after: Option<Box<User>>,
    },
}

/// A change under edit, bound to the engine that evaluates it. It keeps what stays the same
/// between edits: the before-side resolved, with its permission grid, and each assignment of
/// the after-side resolved (an edit resolves the one assignment it touches).
#[derive(Debug, Clone)]
pub struct Draft {
    engine: Arc<Engine>,
    change: Change,
    prepared: Prepared,
}

impl Draft {
    pub fn new(engine: Arc<Engine>, change: Change) -> Draft {
        let prepared = engine.prepare(&change);
        Draft {
            engine,
            change,
            prepared,
        }
    }

    /// The change as it stands.
    pub fn change(&self) -> &Change {
        &self.change
    }

    pub fn into_change(self) -> Change {
        self.change
    }

    /// Applies one edit. A wrong edit (an index past the assignments, an assignment edit on
    /// a deletion) changes nothing and says why, with a path inside the edit (`index`), or
    /// `after` when there is no after-state to edit.
    pub fn edit(&mut self, edit: Edit) -> Result<(), InputError> {
        let touched = self.apply(edit)?;
        let after = self.change.after.as_ref();
        match touched {
            // The reason, the approvals and `temporary` leave the after-state, and so its
            // grid and its structural findings, as they are.
            Touched::Text => {}
            Touched::Slot { index, old } => {
                self.prepared.refresh_slot(&self.engine, after, index, &old)
            }
            Touched::After => self.prepared.refresh_after(&self.engine, after),
        }
        Ok(())
    }

    fn apply(&mut self, edit: Edit) -> Result<Touched, InputError> {
        let engine = &*self.engine;
        let after = &mut self.change.after;
        let Prepared {
            keys, after_slots, ..
        } = &mut self.prepared;
        match edit {
            Edit::SetReason { reason } => {
                self.change.reason = reason;
                return Ok(Touched::Text);
            }
            Edit::SetApprovals { approvals } => {
                self.change.approvals = approvals;
                return Ok(Touched::Text);
            }
            Edit::SetTemporary { temporary } => {
                self.change.temporary = temporary;
                return Ok(Touched::Text);
            }
            Edit::SetAfter { after: user } => {
                *after_slots = match &user {
                    Some(u) => keys.owned_slots(engine, &u.assignments),
                    None => Vec::new(),
                };
                *after = user.map(|u| *u);
            }
            Edit::SetToggle { toggle, on } => {
                user_mut(after)?.toggles.insert(toggle, on);
            }
            Edit::SetAssignment { index, assignment } => {
                let list = &mut user_mut(after)?.assignments;
                let len = list.len();
                if index == len {
                    after_slots.push(keys.owned_slot(engine, &assignment));
                    list.push(assignment);
                } else {
                    let (Some(a), Some(s)) = (list.get_mut(index), after_slots.get_mut(index))
                    else {
                        return Err(past_the_end(index, len, true));
                    };
                    let old = std::mem::replace(s, keys.owned_slot(engine, &assignment));
                    *a = assignment;
                    return Ok(Touched::Slot { index, old });
                }
            }
            Edit::SetRole { index, role } => {
                let list = &mut user_mut(after)?.assignments;
                let len = list.len();
                let (Some(a), Some(s)) = (list.get_mut(index), after_slots.get_mut(index)) else {
                    return Err(past_the_end(index, len, false));
                };
                a.role = role;
                let old = std::mem::replace(s, keys.owned_slot(engine, a));
                return Ok(Touched::Slot { index, old });
            }
            Edit::InsertAssignment { index, assignment } => {
                let list = &mut user_mut(after)?.assignments;
                if index > list.len() || index > after_slots.len() {
                    return Err(past_the_end(index, list.len(), true));
                }
                after_slots.insert(index, keys.owned_slot(engine, &assignment));
                list.insert(index, assignment);
            }
            Edit::RemoveAssignment { index } => {
                let list = &mut user_mut(after)?.assignments;
                if index >= list.len() || index >= after_slots.len() {
                    return Err(past_the_end(index, list.len(), false));
                }
                after_slots.remove(index);
                list.remove(index);
            }
        }
        Ok(Touched::After)
    }

    /// What a form shows after each edit: findings, diff and approvals.
    pub fn check(&self) -> Check {
        self.engine
            .check_prepared(&self.change, Some(&self.prepared))
    }

    /// The full assessment of the change as it stands (on save).
    pub fn assess(&self, options: &AssessOptions) -> Assessment {
        self.engine
            .assess_prepared(&self.change, Some(&self.prepared), options)
    }

    /// The assessment of the change as it is saved, dated `clock` when the change has no
    /// `now` (without matrix rows), or [`LogError::Refused`] when it has an `error` finding:
    /// such a change is not saved, so not logged. Its `log_entry` is the access-log entry.
    pub fn saved(&mut self, clock: &Timestamp) -> Result<Assessment, LogError> {
        let options = AssessOptions {
            effective: EffectiveRows::None,
        };
        // Dated in place rather than on a copy of the change: a form's draft may hold a
        // thousand assignments.
        let undated = self.change.now.is_none();
        if undated {
            self.change.now = Some(clock.clone());
        }
        let assessment = self.assess(&options);
        if undated {
            self.change.now = None;
        }
        crate::log::refuse_errors(assessment)
    }

    /// The access-log entry of the change as it stands, on save (see [`Draft::saved`]).
    pub fn log_entry(&mut self, clock: &Timestamp) -> Result<LogEntry, LogError> {
        self.saved(clock).map(|a| a.log_entry)
    }
}

/// What an edit changed, and so what the draft recomputes.
enum Touched {
    /// The reason, the approvals or `temporary`: nothing of the after-state.
    Text,
    /// One assignment replaced in place; `old` is its slot before.
    Slot { index: usize, old: Slot },
    /// Anything else of the after-state.
    After,
}

fn user_mut(after: &mut Option<User>) -> Result<&mut User, InputError> {
    after.as_mut().ok_or_else(|| {
        InputError::invalid(
            "after",
            "the change deletes the user (`after` is null): there are no assignments or toggles to edit; set `after` first",
        )
    })
}

fn past_the_end(index: usize, len: usize, may_append: bool) -> InputError {
    let allowed = match (len, may_append) {
        (0, false) => "there are none".to_string(),
        (n, false) => format!("0 to {}", n - 1),
        (n, true) => format!("0 to {n}"),
    };
    InputError::invalid(
        "index",
        format!("no assignment {index}: the after-state has {len} ({allowed})"),
    )
}
