#![allow(clippy::indexing_slicing, clippy::expect_used)] // benchmark code
//! Deterministic workloads for the benchmarks: a DV360 seat of 200 partners × 50 advertisers
//! and users with a realistic mix of roles.

use adaccess_core::{
    Assignment, Change, Directory, DirectoryEntity, Engine, EntityRef, Profile, Timestamp, Token,
    User,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub mod seats;

pub const PARTNERS: usize = 200;
pub const ADVERTISERS_PER_PARTNER: usize = 50;

/// The seat's directory: partners `1..=200`, advertisers `p*1000 + 1..=50`.
pub fn directory() -> Directory {
    let mut entities = Vec::with_capacity(PARTNERS * (ADVERTISERS_PER_PARTNER + 1));
    for p in 1..=PARTNERS {
        entities.push(DirectoryEntity {
            level: "partner".into(),
            id: p.to_string(),
            parent: None,
            name: Some(format!("Partner {p}")),
        });
        for a in 1..=ADVERTISERS_PER_PARTNER {
            entities.push(DirectoryEntity {
                level: "advertiser".into(),
                id: (p * 1000 + a).to_string(),
                parent: Some(p.to_string()),
                name: None,
            });
        }
    }
    Directory { entities }
}

/// The dv360 engine over that directory.
pub fn engine() -> Engine {
    Engine::new(
        Profile::builtin("dv360").expect("built-in profile"),
        Some(&directory()),
    )
    .expect("directory")
}

const ADVERTISER_ROLES: &[&str] = &[
    "standard",
    "read_only",
    "reporting_only",
    "planner",
    "standard",
    "standard",
];

/// A user of the standard family with `n` advertiser assignments under one partner (or a
/// partner-level admin when `n == 0`).
pub fn user(rng: &mut ChaCha8Rng, id: usize, n: usize) -> User {
    let partner = rng.random_range(1..=PARTNERS);
    let assignments = if n == 0 {
        vec![Assignment {
            entity: EntityRef::new("partner", partner.to_string()),
            role: "admin".into(),
        }]
    } else {
        let start = rng.random_range(1..=ADVERTISERS_PER_PARTNER);
        (0..n)
            .map(|k| {
                let a = (start + k) % ADVERTISERS_PER_PARTNER + 1;
                let role = ADVERTISER_ROLES[rng.random_range(0..ADVERTISER_ROLES.len())];
                Assignment {
                    entity: EntityRef::new("advertiser", (partner * 1000 + a).to_string()),
                    role: role.into(),
                }
            })
            .collect()
    };
    User {
        id: id.to_string(),
        email: format!("user{id}@agency.example"),
        name: format!("User {id}"),
        assignments,
        tokens: if rng.random_bool(0.2) {
            vec![Token {
                id: format!("tok-{id}"),
                created_at: None,
                active: true,
            }]
        } else {
            Vec::new()
        },
        last_login: Timestamp::parse(&format!("2026-{:02}-15", rng.random_range(1..=11))).ok(),
        ..User::default()
    }
}

/// `count` users with 1–20 assignments (about 10 on average), one in fifty an admin.
pub fn users(seed: u64, count: usize) -> Vec<User> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..count)
        .map(|i| {
            let n = if rng.random_ratio(1, 50) {
                0
            } else {
                rng.random_range(1..=20)
            };
            user(&mut rng, i, n)
        })
        .collect()
}

/// A change of a 20-assignment user: two advertisers dropped, two added, three roles changed.
pub fn change_20(seed: u64) -> Change {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let before = user(&mut rng, 1, 20);
    let mut after = before.clone();
    after.assignments.truncate(18);
    for a in after.assignments.iter_mut().take(3) {
        a.role = if a.role == "read_only" {
            "standard".into()
        } else {
            "read_only".into()
        };
    }
    let partner = before
        .assignments
        .first()
        .and_then(|a| a.entity.id.parse::<usize>().ok())
        .map_or(1, |id| id / 1000);
    for k in [48, 49] {
        let entity = EntityRef::new("advertiser", (partner * 1000 + k).to_string());
        if !after.assignments.iter().any(|a| a.entity == entity) {
            after.assignments.push(Assignment {
                entity,
                role: "standard".into(),
            });
        }
    }
    let actor = User {
        id: "admin".into(),
        email: "admin@agency.example".into(),
        assignments: vec![Assignment {
            entity: EntityRef::new("partner", partner.to_string()),
            role: "admin".into(),
        }],
        ..User::default()
    };
    Change {
        actor,
        before: Some(before),
        after: Some(after),
        reason: Some("quarterly reshuffle".into()),
        approvals: Vec::new(),
        temporary: None,
        now: Timestamp::parse("2026-11-22").ok(),
        population: None,
        activity: None,
    }
}

/// A change of an agency admin's reality: a user with `n` advertiser assignments over
/// `n / 50` partners; two dropped, three roles changed. The actor is admin of those partners.
pub fn change_wide(n: usize) -> Change {
    let roles = ["standard", "read_only", "reporting_only", "planner"];
    let assignments: Vec<Assignment> = (0..n)
        .map(|k| Assignment {
            entity: EntityRef::new("advertiser", ((1 + k / 50) * 1000 + k % 50 + 1).to_string()),
            role: roles[k % roles.len()].into(),
        })
        .collect();
    let before = User {
        id: "u-1".into(),
        email: "ana@agency.example".into(),
        name: "Ana Ruiz".into(),
        assignments,
        ..User::default()
    };
    let mut after = before.clone();
    after.assignments.truncate(n.saturating_sub(2));
    for a in after.assignments.iter_mut().take(3) {
        a.role = if a.role == "read_only" {
            "standard".into()
        } else {
            "read_only".into()
        };
    }
    let actor = User {
        id: "admin".into(),
        email: "admin@agency.example".into(),
        assignments: (1..=n.div_ceil(50))
            .map(|p| Assignment {
                entity: EntityRef::new("partner", p.to_string()),
                role: "admin".into(),
            })
            .collect(),
        ..User::default()
    };
    Change {
        actor,
        before: Some(before),
        after: Some(after),
        reason: Some("reshuffle".into()),
        approvals: Vec::new(),
        temporary: None,
        now: Timestamp::parse("2026-11-22").ok(),
        population: None,
        activity: None,
    }
}
