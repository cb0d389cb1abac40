//! Test data shared by the integration tests: the small directories in `fixtures/` (the unit
//! tests of `src/access.rs` read the dv360 one too) and engines over them, and the core's
//! source files for the tests that read the code itself.

// Each test crate uses part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

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

/// Every file of `core/src`, its path relative to that folder and its text, sorted by path.
pub fn core_sources() -> Vec<(PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path.strip_prefix(&src).unwrap().to_path_buf(), text));
            }
        }
    }
    out.sort();
    out
}
