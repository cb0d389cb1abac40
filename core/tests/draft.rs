#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! A draft change under edit: after any sequence of edits, the draft holds the change the
//! edits describe, and its check gives the answers of a full assessment of that change.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use adaccess_core::error::AdaccessError;
use adaccess_core::parse_json;
use adaccess_core::{
    Approval, AssessOptions, Assignment, Change, Check, Draft, Edit, EffectiveRows, Engine,
    EntityRef, Temporary, User,
};
use proptest::prelude::*;

/// The dv360 engine, with the small directory or without a directory.
fn engine(with_directory: bool) -> Arc<Engine> {
    Arc::new(common::engine("dv360", with_directory))
}

/// The entities of the small directory (partners 1, 2; advertisers 11, 12, 21), then
/// advertiser 999, which it does not hold: six, as the strategies below pick them.
static ENTITIES: LazyLock<Vec<EntityRef>> = LazyLock::new(|| common::entities("dv360"));
const ROLES: [&str; 6] = [
    "admin",
    "standard",
    "read_only",
    "reporting_only",
    "planner",
    "ghost",
];

fn assignment(e: usize, r: usize) -> Assignment {
    Assignment {
        entity: ENTITIES[e % ENTITIES.len()].clone(),
        role: ROLES[r % ROLES.len()].into(),
    }
}

fn user(picks: &[(usize, usize)], billing: bool) -> User {
    User {
        id: "u-1".into(),
        email: "ana@agency.example".into(),
        name: "Ana".into(),
        assignments: picks.iter().map(|(e, r)| assignment(*e, *r)).collect(),
        toggles: BTreeMap::from([("billing".to_string(), billing)]),
        ..User::default()
    }
}

fn actor() -> User {
    User {
        id: "admin".into(),
        email: "admin@agency.example".into(),
        assignments: vec![assignment(0, 0)],
        ..User::default()
    }
}

prop_compose! {
    fn change()(
        before in prop::option::weighted(0.9, prop::collection::vec((0usize..6, 0usize..6), 0..6)),
        after in prop::option::weighted(0.9, prop::collection::vec((0usize..6, 0usize..6), 0..6)),
        billing in any::<(bool, bool)>(),
        reason in any::<bool>(),
    ) -> Change {
        Change {
            actor: actor(),
            before: before.map(|p| user(&p, billing.0)),
            after: after.map(|p| user(&p, billing.1)),
            reason: reason.then(|| "reshuffle".to_string()),
            approvals: Vec::new(),
            temporary: None,
            now: None,
            population: None,
            activity: None,
        }
    }
}

fn edit() -> impl Strategy<Value = Edit> {
    let index = 0usize..8;
    prop_oneof![
        (index.clone(), 0usize..6, 0usize..6).prop_map(|(index, e, r)| Edit::SetAssignment {
            index,
            assignment: assignment(e, r)
        }),
        (index.clone(), 0usize..6).prop_map(|(index, r)| Edit::SetRole {
            index,
            role: ROLES[r].into()
        }),
        (index.clone(), 0usize..6, 0usize..6).prop_map(|(index, e, r)| Edit::InsertAssignment {
            index,
            assignment: assignment(e, r)
        }),
        index.prop_map(|index| Edit::RemoveAssignment { index }),
        (
            prop::sample::select(vec!["billing", "cost_data"]),
            any::<bool>()
        )
            .prop_map(|(toggle, on)| Edit::SetToggle {
                toggle: toggle.into(),
                on
            }),
        any::<bool>().prop_map(|on| Edit::SetReason {
            reason: on.then(|| "promoted".to_string())
        }),
        any::<bool>().prop_map(|two| Edit::SetApprovals {
            approvals: [
                ("manager", "lee@agency.example"),
                ("finance", "kim@agency.example")
            ]
            .iter()
            .take(if two { 2 } else { 1 })
            .enumerate()
            .map(|(i, (kind, by))| Approval {
                kind: (*kind).into(),
                by: (*by).into(),
                // One approval with its reference, one without.
                reference: (i == 0).then(|| "OPS-2231".to_string()),
            })
            .collect()
        }),
        any::<bool>().prop_map(|on| Edit::SetTemporary {
            temporary: on.then(Temporary::default)
        }),
        prop::option::of(prop::collection::vec((0usize..6, 0usize..6), 0..4)).prop_map(|p| {
            Edit::SetAfter {
                after: p.map(|p| Box::new(user(&p, false))),
            }
        }),
    ]
}

/// The edit applied by hand to a plain change: the reference the draft is held to. `None`
/// when the edit is refused.
fn apply(change: &Change, edit: &Edit) -> Option<Change> {
    let mut c = change.clone();
    match edit.clone() {
        Edit::SetReason { reason } => c.reason = reason,
        Edit::SetApprovals { approvals } => c.approvals = approvals,
        Edit::SetTemporary { temporary } => c.temporary = temporary,
        Edit::SetAfter { after } => c.after = after.map(|u| *u),
        Edit::SetToggle { toggle, on } => {
            c.after.as_mut()?.toggles.insert(toggle, on);
        }
        Edit::SetAssignment { index, assignment } => {
            let mut list = c.after.as_ref()?.assignments.clone();
            if index > list.len() {
                return None;
            }
            list.splice(index..(index + 1).min(list.len()), [assignment]);
            c.after.as_mut()?.assignments = list;
        }
        Edit::SetRole { index, role } => {
            let a = c.after.as_mut()?.assignments.get_mut(index)?;
            a.role = role;
        }
        Edit::InsertAssignment { index, assignment } => {
            let list = &mut c.after.as_mut()?.assignments;
            if index > list.len() {
                return None;
            }
            list.splice(index..index, [assignment]);
        }
        Edit::RemoveAssignment { index } => {
            let list = &mut c.after.as_mut()?.assignments;
            if index >= list.len() {
                return None;
            }
            list.splice(index..=index, []);
        }
    }
    Some(c)
}

/// The parts of a full assessment a check shows.
fn expected_check(engine: &Engine, change: &Change) -> Check {
    let a = engine.assess_with(
        change,
        &AssessOptions {
            effective: EffectiveRows::None,
        },
    );
    Check {
        ok: a.ok,
        verdict: a.verdict,
        findings: a.findings,
        diff: a.diff,
        approvals_required: a.approvals_required,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_draft_answers_as_a_full_assessment(
        start in change(),
        edits in prop::collection::vec(edit(), 1..12),
        with_directory in any::<bool>(),
    ) {
        let engine = engine(with_directory);
        let mut draft = Draft::new(engine.clone(), start.clone());
        let mut reference = start;
        prop_assert_eq!(draft.check(), expected_check(&engine, &reference));
        for (k, edit) in edits.iter().enumerate() {
            let result = draft.edit(edit.clone());
            match apply(&reference, edit) {
                Some(next) => {
                    prop_assert!(result.is_ok(), "edit {k} {edit:?} refused: {result:?}");
                    reference = next;
                }
                None => {
                    let e = result.expect_err("an impossible edit is refused");
                    prop_assert_eq!(e.code(), "input.invalid");
                    prop_assert!(matches!(e.path(), Some("index" | "after")), "{:?}", e.path());
                }
            }
            prop_assert_eq!(draft.change(), &reference, "after edit {} {:?}", k, edit);
            prop_assert_eq!(draft.check(), expected_check(&engine, &reference), "after edit {} {:?}", k, edit);
        }
        let full = engine.assess_with(&reference, &AssessOptions::default());
        prop_assert_eq!(draft.assess(&AssessOptions::default()), full);
    }
}

#[test]
fn a_wrong_edit_names_what_is_wrong_and_changes_nothing() {
    let engine = engine(true);
    let start = Change {
        actor: actor(),
        before: Some(user(&[(0, 1)], false)),
        after: Some(user(&[(0, 1), (1, 2)], false)),
        reason: None,
        approvals: Vec::new(),
        temporary: None,
        now: None,
        population: None,
        activity: None,
    };
    let mut draft = Draft::new(engine.clone(), start.clone());
    let e = draft.edit(Edit::RemoveAssignment { index: 2 }).unwrap_err();
    assert_eq!((e.code(), e.path()), ("input.invalid", Some("index")));
    assert!(e.to_string().contains("0 to 1"), "{e}");
    let e = draft
        .edit(Edit::SetAssignment {
            index: 3,
            assignment: assignment(2, 1),
        })
        .unwrap_err();
    assert!(e.to_string().contains("0 to 2"), "{e}");
    assert_eq!(draft.change(), &start);

    draft.edit(Edit::SetAfter { after: None }).unwrap();
    let e = draft
        .edit(Edit::SetToggle {
            toggle: "billing".into(),
            on: true,
        })
        .unwrap_err();
    assert_eq!(e.path(), Some("after"));
}

/// An edit is a small JSON document; a wrong one is an input error with the path of the
/// bad value.
#[test]
fn edits_read_from_json() {
    let edit: Edit =
        parse_json(r#"{"set_role": {"index": 3, "role": "read_only"}}"#, "edit").unwrap();
    assert_eq!(
        edit,
        Edit::SetRole {
            index: 3,
            role: "read_only".into()
        }
    );
    for (text, path) in [
        (
            r#"{"set_role": {"index": -1, "role": "x"}}"#,
            "edit.set_role.index",
        ),
        (
            r#"{"set_role": {"index": 1, "role": "x", "extra": 1}}"#,
            "edit.set_role.extra",
        ),
        (r#"{"paint": {"index": 1}}"#, "edit"),
        (r#"{"set_role": {"index": 1}}"#, "edit.set_role"),
        (
            r#"{"set_assignment": {"index": 0, "assignment": {"entity": {"level": "partner"}, "role": "admin"}}}"#,
            "edit.set_assignment.assignment.entity",
        ),
    ] {
        let e = parse_json::<Edit>(text, "edit").unwrap_err();
        assert_eq!(e.code(), "input.invalid", "{text}");
        assert_eq!(e.path(), Some(path), "{text}: {e}");
    }
}
