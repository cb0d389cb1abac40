#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Properties of the engine over generated users, on both built-in profiles with a small
//! directory and on generated profiles with generated directories: deny by default, `can` agrees with `effective`, access never exceeds the
//! grants, redaction hides every guarded value, a no-op change is quiet, answers are sorted,
//! deterministic and survive a JSON round trip.

mod common;

use std::collections::BTreeMap;

use adaccess_core::parse_json;
use adaccess_core::{
    Assignment, CanRequest, Change, Directory, Engine, EntityRef, Profile, Severity, User,
};
use common::entities;
use proptest::prelude::*;
use serde_json::json;

/// The engine of a built-in profile over its small directory.
fn engine(profile: &str) -> Engine {
    common::engine(profile, true)
}

fn roles(profile: &str) -> Vec<String> {
    let mut r: Vec<String> = Profile::builtin(profile)
        .unwrap()
        .roles()
        .iter()
        .map(|r| r.id.clone())
        .collect();
    r.push("ghost".into());
    r
}

prop_compose! {
    fn user_in(profile: &'static str)(
        picks in prop::collection::vec((0usize..6, 0usize..12), 0..5),
        billing in any::<bool>(),
    ) -> User {
        let entities = entities(profile);
        let roles = roles(profile);
        let assignments = picks
            .into_iter()
            .map(|(e, r)| Assignment {
                entity: entities[e % entities.len()].clone(),
                role: roles[r % roles.len()].clone(),
            })
            .collect();
        let mut toggles = BTreeMap::new();
        if profile == "mediamath" {
            toggles.insert("billing".to_string(), billing);
        }
        User { id: "u-1".into(), email: "ana@agency.example".into(), name: "Ana".into(), assignments, toggles, ..User::default() }
    }
}

fn check_user(profile: &str, user: &User) -> Result<(), TestCaseError> {
    check_user_with(&engine(profile), &entities(profile), user)
}

fn check_user_with(
    engine: &Engine,
    entities: &[EntityRef],
    user: &User,
) -> Result<(), TestCaseError> {
    let p = engine.profile();
    let rows = engine.effective(user);
    let first = p.capabilities()[0].id.clone();
    for entity in entities.iter().cloned() {
        let row = rows.iter().find(|r| r.entity == entity);
        for cap in p.capabilities() {
            for (li, level) in cap.levels.iter().enumerate().skip(1) {
                let decision = engine.can(user, &cap.id, level, &entity);
                // can agrees with effective
                let in_matrix = row
                    .and_then(|r| r.access.get(&cap.id))
                    .and_then(|l| cap.levels.iter().position(|x| x == l))
                    .is_some_and(|have| have >= li);
                prop_assert_eq!(
                    decision.allowed,
                    in_matrix,
                    "{} {} on {}",
                    cap.id,
                    level,
                    entity
                );
                prop_assert_eq!(
                    decision.allowed,
                    engine.allows(user, &cap.id, level, &entity)
                );
                // never more than the union of the grants of the user's roles and toggles
                if decision.allowed {
                    let granted_somewhere = user.assignments.iter().any(|a| {
                        p.role(&a.role).is_some_and(|r| {
                            usize::from(p.grant(r, p.capability(&cap.id).unwrap())) >= li
                        })
                    }) || user.toggles.iter().any(|(t, on)| {
                        *on && p.toggle_grants(t).is_some_and(|g| {
                            usize::from(g[p.capability(&cap.id).unwrap().index()]) >= li
                        })
                    });
                    prop_assert!(granted_somewhere);
                }
            }
        }
        // deny by default
        prop_assert!(
            !engine
                .can(user, "no_such_capability", "write", &entity)
                .allowed
        );
        prop_assert!(!engine.can(user, &first, "no_such_level", &entity).allowed);
        prop_assert!(
            !engine
                .can(
                    user,
                    &first,
                    p.capabilities()[0].levels.last().unwrap(),
                    &EntityRef::new("galaxy", "1")
                )
                .allowed
        );
        // redaction hides every guarded value from a user without the guard
        let record = json!({"name": "Spring sale", "budget": 1234.5, "media_cost": 99, "revenue_model": "CPM",
                            "nested": {"markup": 0.2, "items": [{"fees": 3}]}});
        let out = engine.redact(user, &entity, &record);
        for r in p.redactions() {
            let cap = p.capability(&r.unless).unwrap();
            let needed = r
                .unless_level
                .as_deref()
                .map_or(p.access_name(cap, 1).to_string(), str::to_string);
            if !engine.can(user, &r.unless, &needed, &entity).allowed {
                let text = out.to_string();
                for f in &r.fields {
                    if record.to_string().contains(&format!("\"{f}\"")) {
                        prop_assert!(
                            text.contains(&format!("\"{f}\":\"{}\"", r.placeholder)),
                            "{f} in {text}"
                        );
                    }
                }
                prop_assert!(!text.contains("1234.5") || !r.fields.contains(&"budget".to_string()));
            }
        }
    }
    // the batches answer as the single calls do, in order
    let requests: Vec<CanRequest> = entities
        .iter()
        .flat_map(|e| {
            p.capabilities().iter().flat_map(move |c| {
                c.levels.iter().map(move |l| CanRequest {
                    capability: c.id.clone(),
                    level: l.clone(),
                    entity: e.clone(),
                })
            })
        })
        .collect();
    let single: Vec<_> = requests
        .iter()
        .map(|r| engine.can(user, &r.capability, &r.level, &r.entity))
        .collect();
    let allowed: Vec<bool> = single.iter().map(|d| d.allowed).collect();
    prop_assert_eq!(engine.allows_many(user, &requests), allowed.clone());
    prop_assert_eq!(engine.can_many(user, &requests), single.clone());
    // a prepared user answers every question as the document does
    let prepared = engine.user(user.clone());
    prop_assert_eq!(prepared.can_many(&requests), single.clone());
    // ... and denies what the document denies for want of a place
    let first_cap = &p.capabilities()[0];
    for stranger in [
        EntityRef::new("galaxy", "1"),
        EntityRef::new(p.levels()[0].clone(), "no-such-id"),
    ] {
        for level in &first_cap.levels {
            prop_assert_eq!(
                prepared.allows(&first_cap.id, level, &stranger),
                engine.allows(user, &first_cap.id, level, &stranger)
            );
        }
    }
    prop_assert_eq!(prepared.allows_many(&requests), allowed);
    let mut asked = requests.iter().zip(&single);
    prop_assert!(
        asked.all(|(r, d)| prepared.allows(&r.capability, &r.level, &r.entity) == d.allowed)
    );
    prop_assert_eq!(prepared.effective(), rows);
    prop_assert_eq!(prepared.validate(), engine.validate_user(user));
    let record = json!({"budget": 1, "media_cost": 2, "nested": {"markup": 0.2}});
    for (e, r) in entities.iter().zip(requests.iter().step_by(7)) {
        prop_assert_eq!(prepared.redact(e, &record), engine.redact(user, e, &record));
        let twice = [
            engine.user(user.clone()),
            engine.user(User {
                id: "u-2".into(),
                ..user.clone()
            }),
        ];
        let plain = [
            user.clone(),
            User {
                id: "u-2".into(),
                ..user.clone()
            },
        ];
        prop_assert_eq!(
            adaccess_core::PreparedUser::who_can(&twice, &r.capability, &r.level, &r.entity),
            engine.who_can(&plain, &r.capability, &r.level, &r.entity)
        );
    }
    // findings are sorted, deterministic, and survive a JSON round trip
    let findings = engine.validate_user(user).findings;
    let again = engine.validate_user(user).findings;
    prop_assert_eq!(&findings, &again);
    let keys: Vec<_> = findings
        .iter()
        .map(|f| (f.severity, f.code.clone(), f.path.clone()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    prop_assert_eq!(keys, sorted);
    let round: Vec<adaccess_core::Finding> =
        serde_json::from_str(&serde_json::to_string(&findings).unwrap()).unwrap();
    prop_assert_eq!(round, findings);
    let doc: User = serde_json::from_str(&serde_json::to_string(user).unwrap()).unwrap();
    prop_assert_eq!(&doc, user);
    Ok(())
}

fn check_noop(profile: &str, user: &User) -> Result<(), TestCaseError> {
    let top = &entities(profile)[0];
    let admin = User {
        id: "admin".into(),
        email: "admin@agency.example".into(),
        assignments: vec![Assignment {
            entity: top.clone(),
            role: "admin".into(),
        }],
        ..User::default()
    };
    check_noop_with(&engine(profile), admin, user)
}

fn check_noop_with(engine: &Engine, admin: User, user: &User) -> Result<(), TestCaseError> {
    if !engine.validate_user(user).ok {
        return Ok(());
    }
    let change = Change {
        actor: admin,
        before: Some(user.clone()),
        after: Some(user.clone()),
        reason: None,
        approvals: Vec::new(),
        temporary: None,
        now: None,
        population: None,
        activity: None,
    };
    let a = engine.assess(&change);
    prop_assert!(
        a.findings.iter().all(|f| f.severity == Severity::Info),
        "{:?}",
        a.findings
    );
    prop_assert!(a.plan.is_empty());
    prop_assert_eq!(&a, &engine.assess(&change));
    let back: adaccess_core::Assessment =
        serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
    prop_assert_eq!(back, a);
    Ok(())
}

/// A generated seat: a valid profile (1–3 levels, 1–4 capabilities of 2–4 levels, 1–5 roles
/// in two families with random grants and allowed levels, a `boss` role that manages every
/// role at the top level, up to 2 toggles), a directory over its levels, and a user of
/// known and unknown roles on known and unknown entities.
#[derive(Debug, Clone)]
struct Seat {
    engine: Engine,
    entities: Vec<EntityRef>,
    user: User,
    boss: User,
}

type RoleSpec = (bool, u8, Vec<Option<u8>>);

prop_compose! {
    fn seat()(
        levels in 1usize..=3,
        caps in prop::collection::vec(2usize..=4, 1..=4),
        roles in prop::collection::vec((any::<bool>(), 1u8..8, prop::collection::vec(prop::option::of(0u8..4), 4)), 1..=5),
        toggles in prop::collection::vec(prop::collection::vec(prop::option::of(0u8..4), 4), 0..=2),
        fanout in prop::collection::vec(0usize..=3, 1..=12),
        picks in prop::collection::vec((0usize..40, 0usize..8), 0..6),
        switches in prop::collection::vec(any::<bool>(), 2),
    ) -> Seat {
        let level_names: Vec<String> = (0..levels).map(|i| format!("l{i}")).collect();
        let cap_docs: Vec<serde_json::Value> = caps.iter().enumerate().map(|(i, n)| {
            let mut names = vec!["none".to_string()];
            names.extend((1..*n).map(|k| format!("v{k}")));
            json!({"id": format!("c{i}"), "label": format!("C{i}"), "levels": names})
        }).collect();
        let grants = |spec: &[Option<u8>]| {
            let mut g = serde_json::Map::new();
            for (cap, level) in caps.iter().zip(spec).enumerate().filter_map(|(i, (n, l))| l.map(|l| (i, usize::from(l) % n))) {
                g.insert(format!("c{cap}"), json!(if level == 0 { "none".to_string() } else { format!("v{level}") }));
            }
            serde_json::Value::Object(g)
        };
        let role_ids: Vec<String> = (0..roles.len()).map(|i| format!("r{i}")).collect();
        let mut role_docs: Vec<serde_json::Value> = roles.iter().enumerate().map(|(i, (family, mask, spec)): (usize, &RoleSpec)| {
            let mut allowed: Vec<&String> = level_names.iter().enumerate().filter(|(l, _)| mask & (1 << l) != 0).map(|(_, n)| n).collect();
            if allowed.is_empty() { allowed.push(&level_names[0]); }
            json!({"id": format!("r{i}"), "label": format!("R{i}"), "family": if *family { "fa" } else { "fb" },
                   "levels": allowed, "grants": grants(spec)})
        }).collect();
        let mut manages = role_ids.clone();
        manages.push("boss".into());
        role_docs.push(json!({"id": "boss", "label": "Boss", "family": "fb", "levels": [level_names[0]],
                              "grants": {}, "manages": manages}));
        let toggle_docs: Vec<serde_json::Value> = toggles.iter().enumerate()
            .map(|(i, spec)| json!({"id": format!("t{i}"), "label": format!("T{i}"), "grants": grants(spec)}))
            .collect();
        let doc = json!({"id": "gen", "name": "Generated", "version": "1", "levels": level_names,
                         "capabilities": cap_docs, "families": [{"id": "fa", "label": "A"}, {"id": "fb", "label": "B"}],
                         "roles": role_docs, "toggles": toggle_docs});
        let profile = Profile::from_json(&doc.to_string()).unwrap_or_else(|e| panic!("{e}\n{doc:#}"));
        // The directory: one top entity, then `fanout` children per entity, level by level.
        let mut dir = Vec::new();
        let mut frontier: Vec<String> = vec!["1".into()];
        dir.push(json!({"level": "l0", "id": "1"}));
        let mut next = 2;
        let mut f = fanout.iter().cycle();
        for level in level_names.iter().skip(1) {
            let mut below = Vec::new();
            for parent in &frontier {
                for _ in 0..*f.next().unwrap() {
                    dir.push(json!({"level": level, "id": next.to_string(), "parent": parent}));
                    below.push(next.to_string());
                    next += 1;
                }
            }
            frontier = below;
        }
        let directory: Directory = parse_json(&json!({"entities": dir}).to_string(), "").unwrap();
        let mut entities: Vec<EntityRef> = directory.entities.iter().map(|e| EntityRef::new(e.level.clone(), e.id.clone())).collect();
        entities.push(EntityRef::new(level_names.last().unwrap().clone(), "999999"));
        let mut all_roles = role_ids.clone();
        all_roles.push("ghost".into());
        let assignments = picks.iter().map(|(e, r)| Assignment {
            entity: entities[e % entities.len()].clone(),
            role: all_roles[r % all_roles.len()].clone(),
        }).collect();
        let mut toggles_on = BTreeMap::new();
        for (i, on) in (0..toggles.len()).zip(switches) {
            toggles_on.insert(format!("t{i}"), on);
        }
        let user = User { id: "u-1".into(), email: "ana@agency.example".into(), assignments, toggles: toggles_on, ..User::default() };
        let boss = User { id: "boss".into(), email: "boss@agency.example".into(),
                          assignments: vec![Assignment { entity: EntityRef::new("l0", "1"), role: "boss".into() }], ..User::default() };
        let engine = Engine::new(profile, Some(&directory)).unwrap();
        Seat { engine, entities, user, boss }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn generated_profiles(seat in seat()) {
        check_user_with(&seat.engine, &seat.entities, &seat.user)?;
        check_noop_with(&seat.engine, seat.boss.clone(), &seat.user)?;
    }

    #[test]
    fn dv360_users(user in user_in("dv360")) {
        check_user("dv360", &user)?;
        check_noop("dv360", &user)?;
        // without a directory, entities are compared as the documents name them
        check_user_with(&common::engine("dv360", false), &entities("dv360"), &user)?;
    }

    #[test]
    fn mediamath_users(user in user_in("mediamath")) {
        check_user("mediamath", &user)?;
        check_noop("mediamath", &user)?;
        check_user_with(&common::engine("mediamath", false), &entities("mediamath"), &user)?;
    }
}
