//! The side-by-side workload (issue: benchmarks with Cedar and Casbin): the dv360 profile, a
//! seat of 200 partners × 50 advertisers, users of 1–20 assignments, and decisions
//! `can(user, capability, level, advertiser)` drawn with a fixed seed.

use adaccess_core::model::{Directory, EntityRef, User};
use adaccess_core::{Engine, Profile};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One decision of the workload; `user` indexes the workload's users.
#[derive(Debug, Clone)]
pub struct Decision {
    pub user: usize,
    pub capability: String,
    pub level: String,
    pub entity: EntityRef,
}

pub struct Workload {
    pub engine: Engine,
    pub directory: Directory,
    pub users: Vec<User>,
    pub decisions: Vec<Decision>,
}

/// `users` users and `decisions` decisions over the seat, from `seed`.
pub fn workload(seed: u64, users: usize, decisions: usize) -> Result<Workload, String> {
    let directory = adaccess_bench::directory();
    let profile = Profile::builtin("dv360").map_err(|e| e.to_string())?;
    let engine = Engine::new(profile, Some(&directory)).map_err(|e| e.to_string())?;
    let users = adaccess_bench::users(seed, users);
    let advertisers: Vec<EntityRef> = directory
        .entities
        .iter()
        .filter(|e| e.level == "advertiser")
        .map(|e| EntityRef::new(e.level.clone(), e.id.clone()))
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let caps = engine.profile().capabilities();
    let mut out = Vec::with_capacity(decisions);
    for _ in 0..decisions {
        let (Some(cap), Some(entity)) = (caps.choose(&mut rng), advertisers.choose(&mut rng))
        else {
            break;
        };
        // The levels above `none`: `none` is allowed everywhere, a trivial decision.
        let level = cap
            .levels
            .get(rng.gen_range(1..cap.levels.len().max(2)))
            .cloned()
            .unwrap_or_default();
        let user = rng.gen_range(0..users.len().max(1));
        // Half the decisions ask about an advertiser the user works on (an assignment's, or
        // one under an assigned partner), so that allowed and denied answers both occur.
        let mut entity = entity.clone();
        if rng.gen_bool(0.5) {
            if let Some(a) = users.get(user).and_then(|u| u.assignments.choose(&mut rng)) {
                entity = if a.entity.level == "partner" {
                    let partner: usize = a.entity.id.parse().unwrap_or(1);
                    EntityRef::new(
                        "advertiser",
                        (partner * 1000 + rng.gen_range(1..=50)).to_string(),
                    )
                } else {
                    a.entity.clone()
                };
            }
        }
        out.push(Decision {
            user,
            capability: cap.id.clone(),
            level,
            entity,
        });
    }
    Ok(Workload {
        engine,
        directory,
        users,
        decisions: out,
    })
}
