#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The code catalogue and the engine agree: every code the engine or a built-in profile can
//! emit is listed, and every listed code is emitted somewhere.

use std::collections::BTreeSet;
use std::path::Path;

use adaccess_core::{codes_for, Profile, Severity, CODES};

/// Codes passed as literals to `Finding::new(..)` or `coded(..)` in the core's sources.
fn emitted_in_source() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.file_name().is_some_and(|n| n == "finding.rs") {
                continue; // the catalogue itself
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for marker in ["Finding::new(", "coded("] {
                for (i, _) in text.match_indices(marker) {
                    let rest = text[i + marker.len()..].trim_start();
                    if let Some(rest) = rest.strip_prefix('"') {
                        if let Some(end) = rest.find('"') {
                            out.insert(rest[..end].to_string());
                        }
                    }
                }
            }
        }
    }
    out
}

#[test]
fn catalogue_matches_what_the_engine_emits() {
    let mut emitted = emitted_in_source();
    for id in Profile::builtin_ids() {
        let profile = Profile::builtin(id).unwrap();
        emitted.extend(profile.rules().iter().map(|r| r.id.clone()));
    }
    let listed: BTreeSet<String> = CODES.iter().map(|c| c.code.to_string()).collect();
    let unlisted: Vec<_> = emitted.difference(&listed).collect();
    let never: Vec<_> = listed.difference(&emitted).collect();
    assert!(
        unlisted.is_empty(),
        "emitted but not in CODES: {unlisted:?}"
    );
    assert!(never.is_empty(), "in CODES but never emitted: {never:?}");
}

#[test]
fn builtin_rules_keep_the_default_severities() {
    for id in Profile::builtin_ids() {
        let profile = Profile::builtin(id).unwrap();
        for rule in profile.rules() {
            let listed = CODES.iter().find(|c| c.code == rule.id).unwrap();
            assert_eq!(rule.severity, listed.severity, "{id}: {}", rule.id);
        }
    }
}

#[test]
fn codes_for_a_profile_reflect_its_overrides() {
    let custom = r#"{"id": "strict", "name": "Strict", "version": "1", "extends": "dv360",
        "rule_overrides": {"log.reason_missing": {"severity": "error"}}}"#;
    let profile = Profile::from_json(custom).unwrap();
    let codes = codes_for(Some(&profile));
    let reason = codes
        .iter()
        .find(|c| c.code == "log.reason_missing")
        .unwrap();
    assert_eq!(reason.severity, Severity::Error);
    let plain = codes_for(None);
    assert_eq!(plain.len(), CODES.len());
}

#[test]
fn error_codes_are_unique_and_named_after_their_type() {
    let mut seen = BTreeSet::new();
    for (ty, codes) in adaccess_core::error_codes() {
        let prefix = ty.trim_end_matches("Error").to_lowercase();
        assert!(!codes.is_empty(), "{ty} lists no code");
        for code in codes {
            assert!(
                code.starts_with(&format!("{prefix}.")),
                "{ty} carries `{code}`"
            );
            assert!(seen.insert(*code), "`{code}` is listed twice");
        }
    }
    // And no error code is also a finding code.
    for c in CODES {
        assert!(!seen.contains(c.code), "`{}` is both", c.code);
    }
}
