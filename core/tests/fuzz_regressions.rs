#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Replays, on stable Rust, every input kept in `tests/fuzz-regressions/<target>/` through the
//! code the fuzz target runs (`adaccess_core::fuzzing`), plus hostile inputs of each family.
//! A kept input is one the fuzzer once crashed on; each must now return normally.

use std::path::Path;
use std::time::{Duration, Instant};

use adaccess_core::fuzzing::TARGETS;

fn run(name: &str, f: fn(&[u8]), input: &[u8], what: &str) {
    let start = Instant::now();
    f(input);
    let took = start.elapsed();
    // Generous: a hang or a quadratic blow-up is what this catches, not a slow machine.
    assert!(
        took < Duration::from_secs(20),
        "{name}: {what} took {took:?}"
    );
}

#[test]
fn kept_inputs_return_normally() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fuzz-regressions");
    let mut replayed = 0;
    for (name, f) in TARGETS {
        let dir = root.join(name);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == "README.md") {
                continue;
            }
            let data = std::fs::read(&path).unwrap();
            run(name, *f, &data, &path.display().to_string());
            replayed += 1;
        }
    }
    // Any folder must belong to a target, so a typo cannot hide a kept input.
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            assert!(
                TARGETS.iter().any(|(t, _)| *t == name),
                "tests/fuzz-regressions/{name} is not a fuzz target"
            );
        }
    }
    eprintln!("replayed {replayed} kept fuzz inputs");
}

/// Inputs no fuzzer is likely to build in minutes: deep nesting, huge strings, invalid UTF-8,
/// wrong types, in every family.
#[test]
fn hostile_inputs_return_normally() {
    let deep_array = "[".repeat(200_000);
    let deep_object = "{\"a\":".repeat(200_000);
    let huge_string = format!("{{\"id\": \"{}\"}}", "x".repeat(20 << 20));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("truncated", br#"{"id": "u-1", "assignments": [{"entity": {"level": "#.to_vec()),
        ("array", b"[]".to_vec()),
        ("number", b"42".to_vec()),
        ("null", b"null".to_vec()),
        ("deep array", deep_array.into_bytes()),
        ("deep object", deep_object.into_bytes()),
        ("invalid utf-8", vec![b'{', b'"', 0xff, 0xfe, b'"', b':', b'1', b'}']),
        ("20 MB string", huge_string.into_bytes()),
        ("numbers for strings", br#"{"id": 1, "email": 2, "assignments": [{"entity": {"level": 3, "id": 4}, "role": 5}]}"#.to_vec()),
        ("csv without columns", b"a,b,c\n1,2,3\n".to_vec()),
        ("csv header only", b"user_id,email,role,level,entity_id\n".to_vec()),
        ("bom only", vec![0xef, 0xbb, 0xbf]),
    ];
    for (name, f) in TARGETS {
        for (what, input) in &cases {
            run(name, *f, input, what);
        }
    }
}
