#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Every fact of a built-in profile cites where it comes from, and a citation names a document
//! and section the profile lists (issue #17).

use adaccess_core::profile::CitationKind;
use adaccess_core::{Engine, EntityRef, Profile, User};
use serde_json::{json, Value};

fn builtin_doc(id: &str) -> Value {
    serde_json::to_value(Profile::builtin(id).unwrap().doc()).unwrap()
}

fn load(doc: &Value) -> Profile {
    Profile::from_json(&doc.to_string()).unwrap()
}

#[test]
fn every_fact_of_a_builtin_profile_cites_a_source() {
    for id in Profile::builtin_ids() {
        let p = Profile::builtin(id).unwrap();
        let unsourced: Vec<String> = p.unsourced_facts().into_iter().map(|f| f.fact).collect();
        assert!(
            unsourced.is_empty(),
            "{id}: facts without a source: {unsourced:?}"
        );
        let problems: Vec<String> = p.source_problems().iter().map(|x| x.to_string()).collect();
        assert!(problems.is_empty(), "{id}: wrong citations: {problems:#?}");
        // Each citation is of one kind, and a document citation names its section.
        for f in p.facts() {
            for c in &f.sources {
                match c.kind() {
                    Some(CitationKind::Document) => assert!(c.section.is_some(), "{}", f.fact),
                    Some(_) => {}
                    None => panic!("{id}: {}: a citation of no single kind", f.fact),
                }
            }
        }
    }
}

/// The facts are every grant, level, family, manages and platform id of every role, every
/// capability, family, toggle, redaction and rule, and the constraints in force: a fact added
/// to the profile is a fact the listing (and so the test above) sees.
#[test]
fn the_facts_cover_every_statement_of_the_profile() {
    for id in Profile::builtin_ids() {
        let p = Profile::builtin(id).unwrap();
        let facts: Vec<String> = p.facts().into_iter().map(|f| f.fact).collect();
        let has = |fact: String| assert!(facts.contains(&fact), "{id}: no fact {fact}");
        let doc = p.doc();
        for role in &doc.roles {
            has(format!("roles.{}.family", role.id));
            has(format!("roles.{}.levels", role.id));
            if !role.manages.is_empty() {
                has(format!("roles.{}.manages", role.id));
            }
            if !role.external_ids.is_empty() {
                has(format!("roles.{}.external_ids", role.id));
            }
            for cap in role.grants.keys() {
                has(format!("roles.{}.grants.{cap}", role.id));
            }
        }
        for c in &doc.capabilities {
            has(format!("capabilities.{}", c.id));
        }
        for f in &doc.families {
            has(format!("families.{}", f.id));
        }
        for t in &doc.toggles {
            has(format!("toggles.{}", t.id));
        }
        for r in &doc.rules {
            has(format!("rules.{}", r.id));
        }
        for (i, _) in doc.redactions.iter().enumerate() {
            has(format!("redactions[{i}]"));
        }
        has("levels".into());
        has("constraints.single_family".into());
        has("key_capabilities.admin".into());
    }
}

/// What the test above guards against: a grant or a rule added without a source.
#[test]
fn a_fact_added_without_a_source_is_caught() {
    let mut doc = builtin_doc("mediamath");
    // A trader given margins, whose denial the profile cites, and pixels write.
    doc["roles"][1]["grants"]["margins"] = json!("edit");
    doc["roles"][2]["grants"]["pixels"] = json!("read");
    doc["rules"].as_array_mut().unwrap().push(json!({
        "id": "custom.rule", "severity": "info", "when": "role_changed", "message": "m"
    }));
    let p = load(&doc);
    let unsourced: Vec<String> = p.unsourced_facts().into_iter().map(|f| f.fact).collect();
    assert_eq!(
        unsourced,
        [
            "roles.trader.grants.margins",
            "roles.reporting.grants.pixels",
            "rules.custom.rule"
        ]
    );
    // The denial's citation no longer names a fact.
    let stale: Vec<String> = p.source_problems().into_iter().map(|x| x.path).collect();
    assert_eq!(stale, ["sources.roles.trader.denies.margins"]);
}

#[test]
fn wrong_citations_are_reported_with_their_path_and_the_profile_still_works() {
    let mut doc = builtin_doc("mediamath");
    let sources = doc["sources"].as_object_mut().unwrap();
    sources.insert(
        "roles.trader.grants.campaigns".into(),
        json!({"doc": "nowhere", "section": "x"}),
    );
    sources.insert(
        "roles.trader.grants.pixels".into(),
        json!([{"doc": "mm_checklist", "section": "Step 9"}]),
    );
    sources.insert(
        "roles.trader.grants.audiences".into(),
        json!({"doc": "mm_checklist", "secton": "Step 3"}),
    );
    sources.insert(
        "roles.trader.grants.reports".into(),
        json!({"assumption": "  "}),
    );
    sources.insert(
        "roles.trader.grants.dashboards".into(),
        json!({"assumption": "a", "policy": "b"}),
    );
    sources.insert(
        "roles.trader.grants.segments".into(),
        json!({"doc": "mm_checklist"}),
    );
    sources.insert(
        "roles.traders.grants.campaigns".into(),
        json!({"assumption": "a typo in the role"}),
    );
    sources.insert(
        "roles.trader.denies.bogus".into(),
        json!({"assumption": "no such capability"}),
    );
    sources.insert(
        "roles.trader.denies.campaigns".into(),
        json!({"assumption": "a trader writes campaigns"}),
    );
    sources.insert("levels".into(), json!([]));
    let p = load(&doc);
    let mut problems: Vec<(String, String)> = p
        .source_problems()
        .into_iter()
        .map(|x| (x.path, x.code))
        .collect();
    problems.sort();
    let expected = [
        ("sources.levels", "profile.bad_source"),
        (
            "sources.roles.trader.grants.audiences",
            "profile.bad_source",
        ),
        ("sources.roles.trader.denies.bogus", "profile.unknown_fact"),
        (
            "sources.roles.trader.denies.campaigns",
            "profile.unknown_fact",
        ),
        (
            "sources.roles.trader.grants.campaigns.doc",
            "profile.unknown_document",
        ),
        (
            "sources.roles.trader.grants.dashboards",
            "profile.bad_source",
        ),
        (
            "sources.roles.trader.grants.pixels[0].section",
            "profile.unknown_section",
        ),
        ("sources.roles.trader.grants.reports", "profile.bad_source"),
        (
            "sources.roles.trader.grants.segments.section",
            "profile.bad_source",
        ),
        (
            "sources.roles.traders.grants.campaigns",
            "profile.unknown_fact",
        ),
    ];
    let mut expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    expected.sort();
    assert_eq!(problems, expected);
    // The typo is named.
    let typo = p
        .source_problems()
        .into_iter()
        .find(|x| x.path.ends_with("audiences"))
        .unwrap();
    assert!(typo.message.contains("secton"), "{}", typo.message);
    // A wrong citation is a mistake in the documentation: the engine answers as before.
    let engine = Engine::new(p, None).unwrap();
    let trader: User = serde_json::from_value(json!({
        "id": "u", "assignments": [{"entity": {"level": "agency", "id": "3"}, "role": "trader"}]
    }))
    .unwrap();
    assert!(engine.allows(
        &trader,
        "campaigns",
        "write",
        &EntityRef::new("agency", "3")
    ));
}

/// A cited denial is a fact: "a trader creates no API tokens" is listed with its value.
#[test]
fn a_cited_denial_is_listed_as_a_fact() {
    let p = Profile::builtin("mediamath").unwrap();
    let fact = p
        .facts()
        .into_iter()
        .find(|f| f.fact == "roles.trader.denies.api_tokens")
        .unwrap();
    assert_eq!(fact.value, "none");
    assert!(fact
        .sources
        .iter()
        .any(|c| c.doc.as_deref() == Some("mm_checklist")));
}

/// The seat setting of MediaMath seats that separate Admin from billing visibility: a team
/// profile takes billing from the Admin role, with its own citation, and the billing toggle
/// decides.
#[test]
fn a_seat_setting_overrides_a_grant_and_its_citation() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/mediamath_billing_separate.json"
    ))
    .unwrap();
    let p = Profile::from_json(&text).unwrap();
    assert!(p.unsourced_facts().is_empty());
    assert!(p.source_problems().is_empty());
    let fact = p
        .facts()
        .into_iter()
        .find(|f| f.fact == "roles.admin.denies.billing")
        .unwrap();
    assert_eq!(fact.value, "none");
    assert_eq!(
        fact.sources[0].section.as_deref(),
        Some("User was upgraded to Admin but can't see billing")
    );
    let engine = Engine::new(p, None).unwrap();
    let admin = |billing: bool| -> User {
        serde_json::from_value(json!({
            "id": "u", "toggles": {"billing": billing},
            "assignments": [{"entity": {"level": "organization", "id": "100"}, "role": "admin"}]
        }))
        .unwrap()
    };
    let org = EntityRef::new("organization", "100");
    assert!(!engine.allows(&admin(false), "billing", "read", &org));
    assert!(engine.allows(&admin(true), "billing", "read", &org));
    assert!(engine.allows(&admin(false), "users", "manage", &org));
    // The built-in profile is unchanged: its admin manages billing.
    let builtin = Engine::new(Profile::builtin("mediamath").unwrap(), None).unwrap();
    assert!(builtin.allows(&admin(false), "billing", "write", &org));
}

#[test]
fn a_role_override_of_an_unknown_role_or_level_is_a_profile_error() {
    let doc = json!({
        "id": "x", "name": "x", "version": "1", "extends": "mediamath",
        "role_overrides": {"admn": {"grants": {"billing": "none"}}, "trader": {"grants": {"billing": "all"}}}
    });
    let Err(adaccess_core::ProfileError::Invalid { problems }) =
        Profile::from_json(&doc.to_string())
    else {
        panic!("the overrides load");
    };
    let paths: Vec<String> = problems.iter().map(|p| p.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "role_overrides.admn",
            "role_overrides.trader.grants.billing"
        ]
    );
}
