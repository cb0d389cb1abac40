#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Drift and reconciliation over generated snapshot pairs (nothing is lost; a log written
//! from the drift itself explains it; an empty log explains nothing), and the worked example
//! of `examples/reconcile/`, whose planted problems are found exactly.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use adaccess_core::parse_json;
use adaccess_core::{
    log, Assignment, Change, Directory, DriftKind, Engine, EntityRef, Profile, ReconcileOptions,
    Snapshots, Timestamp, User,
};
use proptest::prelude::*;
use serde_json::json;

fn engine() -> Engine {
    let directory: Directory = parse_json(
        &json!({"entities": [
            {"level": "partner", "id": "1"}, {"level": "partner", "id": "2"},
            {"level": "advertiser", "id": "11", "parent": "1"},
            {"level": "advertiser", "id": "12", "parent": "1"},
            {"level": "advertiser", "id": "21", "parent": "2"}]})
        .to_string(),
        "",
    )
    .unwrap();
    Engine::new(Profile::builtin("dv360").unwrap(), Some(&directory)).unwrap()
}

const ENTITIES: [(&str, &str); 5] = [
    ("partner", "1"),
    ("partner", "2"),
    ("advertiser", "11"),
    ("advertiser", "12"),
    ("advertiser", "21"),
];
const ROLES: [&str; 5] = [
    "read_only",
    "standard",
    "admin",
    "reporting_only",
    "creative",
];

fn user(id: usize, picks: &[(usize, usize)]) -> User {
    User {
        id: format!("u-{id}"),
        email: format!("u{id}@northwind.example"),
        assignments: picks
            .iter()
            .map(|(e, r)| {
                let (level, entity) = ENTITIES[e % ENTITIES.len()];
                Assignment {
                    entity: EntityRef::new(level, entity),
                    role: ROLES[r % ROLES.len()].to_string(),
                }
            })
            .collect(),
        ..User::default()
    }
}

/// What happens to one user between the snapshots.
#[derive(Debug, Clone)]
enum Fate {
    Kept,
    /// The same assignments, reversed.
    Reordered,
    Removed,
    Changed(Vec<(usize, usize)>),
}

prop_compose! {
    fn pair()(
        olds in prop::collection::vec(prop::collection::vec((0usize..5, 0usize..5), 0..3), 0..12),
        fates in prop::collection::vec(
            prop_oneof![
                Just(Fate::Kept),
                Just(Fate::Reordered),
                Just(Fate::Removed),
                prop::collection::vec((0usize..5, 0usize..5), 0..3).prop_map(Fate::Changed),
            ],
            12,
        ),
        added in prop::collection::vec(prop::collection::vec((0usize..5, 0usize..5), 0..3), 0..4),
        shuffle in any::<bool>(),
    ) -> (Vec<User>, Vec<User>) {
        let old: Vec<User> = olds.iter().enumerate().map(|(i, p)| user(i, p)).collect();
        let mut new = Vec::new();
        for (i, picks) in olds.iter().enumerate() {
            match &fates[i] {
                Fate::Kept => new.push(user(i, picks)),
                Fate::Reordered => {
                    let mut p = picks.clone();
                    p.reverse();
                    new.push(user(i, &p));
                }
                Fate::Removed => {}
                Fate::Changed(p) => new.push(user(i, p)),
            }
        }
        for (j, p) in added.iter().enumerate() {
            new.push(user(100 + j, p));
        }
        if shuffle {
            new.reverse();
        }
        (old, new)
    }
}

/// A user's access: its assignments as a sorted list.
fn access(u: &User) -> Vec<(String, String, String)> {
    let mut a: Vec<_> = u
        .assignments
        .iter()
        .map(|a| (a.entity.level.clone(), a.entity.id.clone(), a.role.clone()))
        .collect();
    a.sort();
    a
}

fn window() -> ReconcileOptions {
    ReconcileOptions {
        old_date: Some(Timestamp::parse("2026-08-22").unwrap()),
        new_date: Some(Timestamp::parse("2026-11-22").unwrap()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_user_of_either_snapshot_appears_in_the_drift_once((old, new) in pair()) {
        let engine = engine();
        let drift = engine.drift(&old, &new, None).unwrap();
        let mut seen: Vec<&str> = drift.changes.iter().map(|c| c.user.as_str()).collect();
        seen.extend(drift.unchanged.iter().map(String::as_str));
        let unique: BTreeSet<&str> = seen.iter().copied().collect();
        prop_assert_eq!(unique.len(), seen.len(), "a user appears twice");
        let all: BTreeSet<&str> = old.iter().chain(&new).map(|u| u.id.as_str()).collect();
        prop_assert_eq!(&unique, &all);

        let by_id = |users: &[User]| -> BTreeMap<String, User> {
            users.iter().map(|u| (u.id.clone(), u.clone())).collect()
        };
        let (o, n) = (by_id(&old), by_id(&new));
        for c in &drift.changes {
            let kind = match (o.get(&c.user), n.get(&c.user)) {
                (None, Some(_)) => DriftKind::Added,
                (Some(_), None) => DriftKind::Removed,
                (Some(a), Some(b)) => {
                    prop_assert_ne!(access(a), access(b), "{} is listed as changed", &c.user);
                    DriftKind::Changed
                }
                (None, None) => unreachable!(),
            };
            prop_assert_eq!(c.kind, kind);
            prop_assert_eq!(c.change.before.as_ref(), o.get(&c.user));
            prop_assert_eq!(c.change.after.as_ref(), n.get(&c.user));
            prop_assert!(c.findings.iter().all(|f| !f.code.starts_with("authority.")));
        }
        for id in &drift.unchanged {
            prop_assert_eq!(access(&o[id]), access(&n[id]));
        }
        let s = &drift.summary;
        prop_assert_eq!((s.old, s.new), (old.len(), new.len()));
        prop_assert_eq!(s.added + s.removed + s.changed, drift.changes.len());
        prop_assert_eq!(s.unchanged, drift.unchanged.len());
    }

    #[test]
    fn an_empty_log_explains_nothing_and_a_log_of_the_drift_explains_it_all((old, new) in pair()) {
        let engine = engine();
        let r = engine.reconcile(&old, &new, &[], &window()).unwrap();
        let unlogged = r.findings.iter().filter(|f| f.code == "reconcile.unlogged").count();
        prop_assert_eq!(unlogged, r.summary.changes);
        prop_assert_eq!(r.summary.explained, 0);
        let reconciled: Vec<&str> = r.changes.iter().map(|c| c.user.as_str()).collect();

        // Log every drifted user's change, as `assess --append-log` would on the day.
        let drift = engine.drift(&old, &new, None).unwrap();
        let drifted: Vec<&str> = drift.changes.iter().map(|c| c.user.as_str()).collect();
        prop_assert_eq!(&reconciled, &drifted);
        prop_assert_eq!(&r.drift, &drift.summary);
        let clock = Timestamp::parse("2026-10-01").unwrap();
        let mut text = String::new();
        for c in &drift.changes {
            let change = Change {
                actor: User::default(),
                reason: Some("ticket OPS-1".into()),
                ..c.change.clone()
            };
            let entry = engine.assess(&log::dated(&change, &clock)).log_entry;
            text.push_str(&log::next_line(&text, &entry));
        }
        prop_assert!(log::verify(&text, None).ok);
        let entries = log::read(&text).unwrap();
        let r = engine.reconcile(&old, &new, &entries, &window()).unwrap();
        let codes: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
        prop_assert!(
            codes.iter().all(|c| *c == "reconcile.unapproved"),
            "a log of the drift leaves {:?}", codes
        );
        prop_assert_eq!(r.summary.explained + codes.len(), r.summary.changes);
        prop_assert!(r.changes.iter().all(|c| c.lines.len() == 1));
    }
}

#[test]
fn a_log_entry_the_new_snapshot_does_not_show_is_not_applied_even_without_drift() {
    let engine = engine();
    let old = vec![user(1, &[(2, 0)])];
    let mut change = Change {
        actor: User::default(),
        before: Some(old[0].clone()),
        after: Some(user(1, &[(2, 1)])),
        reason: Some("ticket OPS-2".into()),
        approvals: Vec::new(),
        temporary: None,
        now: Some(Timestamp::parse("2026-10-01").unwrap()),
        population: None,
        activity: None,
    };
    let entry = engine.assess(&change).log_entry;
    let text = log::next_line("", &entry);
    let r = engine
        .reconcile(&old, &old, &log::read(&text).unwrap(), &window())
        .unwrap();
    let codes: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["reconcile.not_applied"]);
    assert_eq!(r.findings[0].path.as_deref(), Some("line[1]"));
    assert_eq!(r.summary.changes, 0);

    // Logged and then reverted, both logged: explained.
    change.before = change.after.take();
    change.after = Some(old[0].clone());
    let back = engine.assess(&change).log_entry;
    let text = format!("{text}{}", log::next_line(&text, &back));
    let r = engine
        .reconcile(&old, &old, &log::read(&text).unwrap(), &window())
        .unwrap();
    assert!(r.findings.is_empty(), "{:?}", r.findings);
}

#[test]
fn the_worked_example_finds_exactly_its_planted_problems() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let read = |p: &str| std::fs::read(root.join(p)).unwrap();
    let directory: Directory = parse_json(
        &String::from_utf8(read("tests/data/dv360_directory.json")).unwrap(),
        "",
    )
    .unwrap();
    let engine = Engine::new(Profile::builtin("dv360").unwrap(), Some(&directory)).unwrap();
    let (old, new) = (
        read("examples/reconcile/dv360_users_2026-08-22.json"),
        read("tests/data/dv360_users_list.json"),
    );
    let log = String::from_utf8(read("examples/reconcile/access-log.jsonl")).unwrap();
    let r = engine
        .reconcile_exports(
            &Snapshots {
                old: &old,
                new: &new,
            },
            &log,
            &window(),
        )
        .unwrap();
    let found: Vec<(&str, &str)> = r
        .findings
        .iter()
        .map(|f| (f.code.as_str(), f.user.as_deref().unwrap_or_default()))
        .collect();
    assert_eq!(
        found,
        [
            ("reconcile.unapproved", "90000013"),
            ("reconcile.unlogged", "90000030"),
            ("reconcile.not_applied", "90000011"),
        ]
    );
    assert_eq!((r.summary.changes, r.summary.explained), (5, 3));

    // The log is what `adaccess assess --append-log` writes for the five changes, in order.
    let mut rebuilt = String::new();
    let mut names: Vec<_> = std::fs::read_dir(root.join("examples/reconcile/changes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for path in names {
        let change: Change = parse_json(&std::fs::read_to_string(&path).unwrap(), "").unwrap();
        let entry = engine
            .log_entry(&change, &Timestamp::parse("2000-01-01").unwrap())
            .unwrap();
        rebuilt.push_str(&log::next_line(&rebuilt, &entry));
    }
    assert_eq!(rebuilt, log, "examples/reconcile/access-log.jsonl is stale");
}
