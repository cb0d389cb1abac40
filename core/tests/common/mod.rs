//! Test data shared by the integration tests: the small directories in `fixtures/` (the unit
//! tests of `src/access.rs` read the dv360 one too) and engines over them.

use adaccess_core::parse_json;
use adaccess_core::{Directory, Engine, EntityRef, Profile};

/// The small directory of a built-in profile: for `dv360`, partners 1 and 2 with advertisers
/// 11, 12 and 21; for any other (`mediamath`), organization 1 with agencies 3 and 4 and
/// advertisers 31 and 41.
pub fn directory(profile: &str) -> Directory {
    let text = match profile {
        "dv360" => include_str!("../fixtures/dv360_small_directory.json"),
        _ => include_str!("../fixtures/mediamath_small_directory.json"),
    };
    parse_json(text, "").unwrap()
}

/// An engine for a built-in profile, with its small directory or without a directory.
pub fn engine(profile: &str, with_directory: bool) -> Engine {
    let directory = directory(profile);
    Engine::new(
        Profile::builtin(profile).unwrap(),
        with_directory.then_some(&directory),
    )
    .unwrap()
}

/// The entities of the small directory, in its order, then `advertiser:999`, which it does
/// not hold.
pub fn entities(profile: &str) -> Vec<EntityRef> {
    let mut out: Vec<EntityRef> = directory(profile)
        .entities
        .iter()
        .map(|e| EntityRef::new(e.level.clone(), e.id.clone()))
        .collect();
    out.push(EntityRef::new("advertiser", "999"));
    out
}
