#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `assess_with` returns all, only the changed, or none of the matrix rows; the rest of the
//! assessment is the same.

use adaccess_core::parse_json;
use adaccess_core::{AssessOptions, Change, Directory, EffectiveRows, Engine, Profile};

fn engine() -> Engine {
    let directory: Directory = parse_json(
        r#"{"entities": [{"level": "partner", "id": "1"},
            {"level": "advertiser", "id": "11", "parent": "1"}, {"level": "advertiser", "id": "12", "parent": "1"},
            {"level": "advertiser", "id": "13", "parent": "1"}]}"#,
        "",
    )
    .unwrap();
    Engine::new(Profile::builtin("dv360").unwrap(), Some(&directory)).unwrap()
}

fn change() -> Change {
    let user = |roles: &[(&str, &str)]| {
        let list: Vec<String> = roles
            .iter()
            .map(|(id, role)| {
                format!(
                    r#"{{"entity": {{"level": "advertiser", "id": "{id}"}}, "role": "{role}"}}"#
                )
            })
            .collect();
        format!(
            r#"{{"id": "u-2", "email": "bo@agency.example", "assignments": [{}]}}"#,
            list.join(",")
        )
    };
    let before = user(&[("11", "standard"), ("12", "standard"), ("13", "read_only")]);
    let after = user(&[("11", "standard"), ("12", "read_only"), ("13", "read_only")]);
    let text = format!(
        r#"{{"actor": {{"id": "a", "email": "admin@agency.example", "assignments": [{{"entity": {{"level": "partner", "id": "1"}}, "role": "admin"}}]}},
            "before": {before}, "after": {after}, "reason": "downgrade"}}"#
    );
    parse_json(&text, "").unwrap()
}

#[test]
fn changed_rows_are_exactly_the_rows_that_change() {
    let engine = engine();
    let change = change();
    let all = engine.assess(&change);
    let changed = engine.assess_with(
        &change,
        &AssessOptions {
            effective: EffectiveRows::Changed,
        },
    );
    let none = engine.assess_with(
        &change,
        &AssessOptions {
            effective: EffectiveRows::None,
        },
    );
    assert_eq!(all.effective.after.len(), 3);
    let ids = |rows: &[adaccess_core::MatrixRow]| {
        rows.iter().map(|r| r.entity.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&changed.effective.before), vec!["12"]);
    assert_eq!(ids(&changed.effective.after), vec!["12"]);
    assert!(none.effective.before.is_empty() && none.effective.after.is_empty());
    for other in [&changed, &none] {
        assert_eq!(other.findings, all.findings);
        assert_eq!(other.plan, all.plan);
        assert_eq!(other.diff, all.diff);
    }
}
