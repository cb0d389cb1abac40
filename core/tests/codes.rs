#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The code catalogue and the engine agree: every code the engine or a built-in profile can
//! emit is listed, and every listed code is emitted somewhere.

use std::collections::BTreeSet;

use adaccess_core::{codes_for, Code, CodeSource, Profile, Severity, CODES};

mod common;

/// The core's sources outside the catalogue, as one text.
fn core_sources() -> String {
    common::core_sources()
        .into_iter()
        .filter(|(path, _)| !path.ends_with("finding.rs"))
        .map(|(_, text)| text)
        .collect()
}

/// The engine emits findings through `Code`, so every code it emits is listed; this checks
/// the other way: every listed code is emitted, by the engine or by a built-in rule, and every
/// built-in rule's id is listed.
#[test]
fn catalogue_matches_what_the_engine_emits() {
    let sources = core_sources();
    let mut rule_ids = BTreeSet::new();
    for id in Profile::builtin_ids() {
        let profile = Profile::builtin(id).unwrap();
        rule_ids.extend(profile.rules().iter().map(|r| r.id.clone()));
    }
    assert_eq!(Code::ALL.len(), CODES.len());
    for (code, row) in Code::ALL.iter().zip(CODES) {
        assert_eq!(code.info(), row, "{code:?} is not its own row");
    }
    let mut never = Vec::new();
    for code in Code::ALL {
        let info = code.info();
        // A rule code may also be emitted by the engine (`approval.same_approver`).
        let by_rule = info.source == CodeSource::Rule && rule_ids.contains(info.code);
        let emitted = by_rule || sources.contains(&format!("Code::{code:?}"));
        if !emitted {
            never.push(info.code);
        }
    }
    assert!(never.is_empty(), "in CODES but never emitted: {never:?}");
    let listed: BTreeSet<String> = CODES.iter().map(|c| c.code.to_string()).collect();
    let unlisted: Vec<_> = rule_ids.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "built-in rules not in CODES: {unlisted:?}"
    );
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
        let prefix = ty
            .trim_end_matches("Error")
            .trim_end_matches("Problem")
            .to_lowercase();
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
