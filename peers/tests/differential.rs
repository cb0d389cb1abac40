#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Differential test against Cedar: the built-in profiles and generated ones are encoded as
//! Cedar policies in both of adaccess_peers::Cedar's shapes (templates and attributes), and adaccess's `can` and Cedar's `is_authorized`
//! must agree on every one of more than 10,000 random decisions per run, including unknown
//! roles, capabilities, levels and entities. A disagreement prints a reproduction: the
//! profile, the directory, the user, the decision, both answers and the Cedar policies.
//!
//! ADACCESS_DIFF_SEED=<n> replays another seed; ADACCESS_DIFF_SCALE=<k> runs k times more.

use std::path::Path;

use adaccess_core::model::{Assignment, Directory, DirectoryEntity, EntityRef, User};
use adaccess_core::parse_json;
use adaccess_core::{Engine, Profile};
use adaccess_peers::Cedar;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

struct Case {
    label: String,
    profile_doc: Value,
    engine: Engine,
    directory: Directory,
    users: Vec<User>,
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A random valid profile: 1–3 levels, 1–4 capabilities of 2–4 levels, 1–6 roles in 1–2
/// families allowed at random levels with random grants, and up to 2 toggles.
fn generated_profile(rng: &mut ChaCha8Rng, n: usize) -> Value {
    let levels: Vec<String> = (0..rng.gen_range(1..=3)).map(|i| format!("l{i}")).collect();
    let caps: Vec<Value> = (0..rng.gen_range(1..=4))
        .map(|i| {
            let mut names = vec!["none".to_string()];
            names.extend((1..rng.gen_range(2..=4)).map(|k| format!("v{k}")));
            json!({"id": format!("c{i}"), "label": format!("C{i}"), "levels": names})
        })
        .collect();
    let families = ["fa", "fb"];
    let grants = |rng: &mut ChaCha8Rng| {
        let mut g = serde_json::Map::new();
        for cap in &caps {
            if rng.gen_bool(0.6) {
                let names = cap["levels"].as_array().unwrap();
                let level = names.choose(rng).unwrap().clone();
                g.insert(cap["id"].as_str().unwrap().to_string(), level);
            }
        }
        Value::Object(g)
    };
    let roles: Vec<Value> = (0..rng.gen_range(1..=6))
        .map(|i| {
            let mut allowed: Vec<String> = levels
                .iter()
                .filter(|_| rng.gen_bool(0.6))
                .cloned()
                .collect();
            if allowed.is_empty() {
                allowed.push(levels.choose(rng).unwrap().clone());
            }
            json!({"id": format!("r{i}"), "label": format!("R{i}"),
                   "family": families[rng.gen_range(0..families.len())],
                   "levels": allowed, "grants": grants(rng)})
        })
        .collect();
    let toggles: Vec<Value> = (0..rng.gen_range(0..=2))
        .map(|i| json!({"id": format!("t{i}"), "label": format!("T{i}"), "grants": grants(rng)}))
        .collect();
    json!({"id": format!("gen-{n}"), "name": format!("Generated {n}"), "version": "1",
           "levels": levels, "capabilities": caps,
           "families": [{"id": "fa", "label": "A"}, {"id": "fb", "label": "B"}],
           "roles": roles, "toggles": toggles})
}

/// A random tree over the profile's levels: 1–3 top entities, 0–3 children each.
fn generated_directory(rng: &mut ChaCha8Rng, levels: &[String]) -> Directory {
    let mut entities = Vec::new();
    let mut frontier: Vec<Option<String>> = vec![None];
    let mut next = 1;
    for level in levels {
        let mut below = Vec::new();
        for parent in &frontier {
            let count = if parent.is_none() {
                rng.gen_range(1..=3)
            } else {
                rng.gen_range(0..=3)
            };
            for _ in 0..count {
                let id = next.to_string();
                next += 1;
                entities.push(DirectoryEntity {
                    level: level.clone(),
                    id: id.clone(),
                    parent: parent.clone(),
                    name: None,
                });
                below.push(Some(id));
            }
        }
        frontier = below;
    }
    Directory { entities }
}

/// Entities for assignments and decisions: the directory's, plus ones that are not in it.
fn entity_pool(directory: &Directory, levels: &[String]) -> Vec<EntityRef> {
    let mut pool: Vec<EntityRef> = directory
        .entities
        .iter()
        .map(|e| EntityRef::new(e.level.clone(), e.id.clone()))
        .collect();
    if let Some(last) = levels.last() {
        pool.push(EntityRef::new(last.clone(), "999999"));
    }
    pool.push(EntityRef::new("no-such-level", "1"));
    pool
}

/// Random users: 0–6 assignments of known and unknown roles on known and unknown entities,
/// toggles on or off.
fn random_users(
    rng: &mut ChaCha8Rng,
    profile: &Profile,
    pool: &[EntityRef],
    count: usize,
) -> Vec<User> {
    let mut roles: Vec<String> = profile.roles().iter().map(|r| r.id.clone()).collect();
    roles.push("no-such-role".into());
    let toggles: Vec<String> = profile.doc().toggles.iter().map(|t| t.id.clone()).collect();
    (0..count)
        .map(|u| {
            let assignments = (0..rng.gen_range(0..=6))
                .map(|_| Assignment {
                    entity: pool.choose(rng).unwrap().clone(),
                    role: roles.choose(rng).unwrap().clone(),
                })
                .collect();
            let mut user = User {
                id: format!("u{u}"),
                email: format!("u{u}@example.com"),
                assignments,
                ..User::default()
            };
            for t in &toggles {
                user.toggles.insert(t.clone(), rng.gen_bool(0.5));
            }
            user
        })
        .collect()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)).unwrap()
}

fn cases(rng: &mut ChaCha8Rng, generated: usize) -> Vec<Case> {
    let mut out = Vec::new();
    for (id, dir) in [
        ("dv360", "tests/data/dv360_directory.json"),
        ("mediamath", "tests/data/mediamath_directory.json"),
    ] {
        let profile = Profile::builtin(id).unwrap();
        let directory: Directory = parse_json(&read(dir), "directory").unwrap();
        let pool = entity_pool(&directory, profile.levels());
        let users = random_users(rng, &profile, &pool, 40);
        let profile_doc = serde_json::to_value(profile.doc()).unwrap();
        let engine = Engine::new(profile, Some(&directory)).unwrap();
        out.push(Case {
            label: id.into(),
            profile_doc,
            engine,
            directory,
            users,
        });
    }
    let mut n = 0;
    while out.len() < 2 + generated {
        n += 1;
        let doc = generated_profile(rng, n);
        let profile = match Profile::from_json(&doc.to_string()) {
            Ok(p) => p,
            Err(e) => panic!("a generated profile does not load: {e}\n{doc:#}"),
        };
        let directory = generated_directory(rng, profile.levels());
        let pool = entity_pool(&directory, profile.levels());
        let users = random_users(rng, &profile, &pool, 12);
        let engine = Engine::new(profile, Some(&directory)).unwrap();
        out.push(Case {
            label: format!("generated {n}"),
            profile_doc: doc,
            engine,
            directory,
            users,
        });
    }
    out
}

#[test]
fn can_agrees_with_cedar_on_random_decisions() {
    let seed = env_u64("ADACCESS_DIFF_SEED", 20261122);
    let scale = env_u64("ADACCESS_DIFF_SCALE", 1) as usize;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let cases = cases(&mut rng, 40 * scale);
    let mut decisions = 0;
    let mut allowed = 0;
    let mut failures = Vec::new();
    for case in &cases {
        let profile = case.engine.profile();
        let links = Cedar::new(profile, &case.directory, &case.users)
            .unwrap_or_else(|e| panic!("{}: the Cedar encoding failed: {e}", case.label));
        let attrs = Cedar::by_attributes(profile, &case.directory, &case.users)
            .unwrap_or_else(|e| panic!("{}: the Cedar encoding failed: {e}", case.label));
        let pool = entity_pool(&case.directory, profile.levels());
        let per_case = if case.label.starts_with("generated") {
            250
        } else {
            2_500
        } * scale;
        for _ in 0..per_case {
            let u = rng.gen_range(0..case.users.len());
            let user = &case.users[u];
            let (capability, level) = if rng.gen_bool(0.05) {
                ("no-such-capability".to_string(), "none".to_string())
            } else {
                let cap = profile.capabilities().choose(&mut rng).unwrap();
                let level = if rng.gen_bool(0.05) {
                    "no-such-level".to_string()
                } else {
                    cap.levels.choose(&mut rng).unwrap().clone()
                };
                (cap.id.clone(), level)
            };
            let entity = pool.choose(&mut rng).unwrap();
            let ours = case.engine.can(user, &capability, &level, entity);
            let by_link = links.is_authorized(u, &capability, &level, entity).unwrap();
            let by_attr = attrs.is_authorized(u, &capability, &level, entity).unwrap();
            decisions += 1;
            allowed += usize::from(ours.allowed);
            for (encoding, cedar, theirs) in [
                ("templates", &links, by_link),
                ("attributes", &attrs, by_attr),
            ] {
                if ours.allowed != theirs && failures.len() < 3 {
                    let roles: Vec<&Value> = case.profile_doc["roles"]
                        .as_array()
                        .map(|r| {
                            r.iter()
                                .filter(|r| {
                                    user.assignments.iter().any(|a| r["id"] == a.role.as_str())
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    failures.push(format!(
                    "{label} (seed {seed}, Cedar encoding by {encoding}): can(user {u}, {capability}, {level}, {entity}) adaccess={ours_allowed} ({because}) cedar={theirs}\n\
                     levels: {levels}\ncapability: {cap}\nroles held: {roles}\ntoggles: {toggles}\n\
                     directory: {directory}\nuser: {user}\ncedar policies:\n{policies}",
                    label = case.label,
                    ours_allowed = ours.allowed,
                    because = ours.because,
                    levels = case.profile_doc["levels"],
                    cap = serde_json::to_string(&case.profile_doc["capabilities"].as_array().and_then(|c| c.iter().find(|c| c["id"] == capability.as_str()))).unwrap(),
                    roles = serde_json::to_string(&roles).unwrap(),
                    toggles = case.profile_doc["toggles"],
                    directory = serde_json::to_string(&case.directory).unwrap(),
                    user = serde_json::to_string(user).unwrap(),
                    policies = cedar.explain(u),
                ));
                }
            }
        }
    }
    eprintln!(
        "{decisions} decisions over {} profiles, {allowed} allowed",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "adaccess and Cedar disagree:\n\n{}",
        failures.join("\n\n")
    );
    assert!(decisions >= 10_000, "only {decisions} decisions");
    // Both answers occur often enough for the agreement to mean something.
    assert!(
        allowed * 10 > decisions && allowed * 10 < decisions * 9,
        "{allowed} of {decisions} allowed"
    );
}
