#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The built-in profiles and the platform requests agree with the platforms' own schemas
//! (copies in tests/data/platform/ of the DV360 discovery document and the MediaMath T1
//! OpenAPI extract).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use adaccess_core::parse_json;
use adaccess_core::{Change, Directory, Engine, Profile};
use serde_json::Value;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(name)
}

fn json(path: PathBuf) -> Value {
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn dv360_schemas() -> Value {
    json(data("platform/dv360_user_schemas.json"))["v3"]["schemas"].clone()
}

#[test]
fn dv360_roles_are_exactly_the_api_enum_minus_unspecified() {
    let enum_values: BTreeSet<String> = dv360_schemas()["AssignedUserRole"]["properties"]
        ["userRole"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .filter(|v| v != "USER_ROLE_UNSPECIFIED")
        .collect();
    assert_eq!(enum_values.len(), 11);
    let profile = Profile::builtin("dv360").unwrap();
    let mapped: Vec<String> = profile
        .roles()
        .iter()
        .map(|r| r.external_ids.get("dv360_api").cloned().unwrap_or_default())
        .collect();
    assert_eq!(mapped.len(), 11, "one role per API value");
    assert_eq!(mapped.iter().cloned().collect::<BTreeSet<_>>(), enum_values);
}

/// Every request of every assessment vector, by platform.
fn vector_requests() -> Vec<Value> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(data("../vectors")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let doc = json(path);
        for v in doc.as_array().cloned().unwrap_or_else(|| vec![doc.clone()]) {
            if v["op"] != "assess" || !v["profile"].is_string() {
                continue;
            }
            let Ok(profile) = Profile::builtin(v["profile"].as_str().unwrap()) else {
                continue;
            };
            let directory: Option<Directory> = match &v["directory"] {
                Value::Null => None,
                d => Some(parse_json(&d.to_string(), "directory").unwrap()),
            };
            let Ok(change) = parse_json::<Change>(&v["input"].to_string(), "") else {
                continue;
            };
            let engine = Engine::new(profile, directory.as_ref()).unwrap();
            for r in engine.assess(&change).requests {
                out.push(serde_json::to_value(r).unwrap());
            }
        }
    }
    out
}

fn property_names(schema: &Value) -> BTreeSet<String> {
    schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

#[test]
fn requests_match_the_platform_schemas() {
    let dv = dv360_schemas();
    let bulk_fields = property_names(&dv["BulkEditAssignedUserRolesRequest"]);
    let role_fields = property_names(&dv["AssignedUserRole"]);
    let user_fields = property_names(&dv["User"]);
    let roles: BTreeSet<String> = dv["AssignedUserRole"]["properties"]["userRole"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .filter(|v| v != "USER_ROLE_UNSPECIFIED")
        .collect();
    let t1 = json(data("platform/t1_user_schemas.json"));
    let t1_permissions =
        &t1["components"]["schemas"]["user_permission_update"]["properties"]["permissions"];
    let t1_permission_fields = property_names(t1_permissions);

    let check_role = |r: &Value| {
        let keys: BTreeSet<String> = r.as_object().unwrap().keys().cloned().collect();
        assert!(keys.is_subset(&role_fields), "{r}");
        assert!(roles.contains(r["userRole"].as_str().unwrap()), "{r}");
        assert!(
            r["partnerId"].is_string() ^ r["advertiserId"].is_string(),
            "one entity: {r}"
        );
    };
    let requests = vector_requests();
    let mut seen = BTreeSet::new();
    for r in &requests {
        let method = r["method"].as_str().unwrap();
        seen.insert(format!("{}:{method}", r["platform"].as_str().unwrap()));
        let body = &r["body"];
        match (r["platform"].as_str().unwrap(), method) {
            ("dv360", "users.bulkEditAssignedUserRoles") => {
                let keys: BTreeSet<String> = body.as_object().unwrap().keys().cloned().collect();
                assert!(keys.is_subset(&bulk_fields), "{body}");
                for id in body["deletedAssignedUserRoles"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    let id = id.as_str().unwrap();
                    assert!(
                        id.starts_with("partner-") || id.starts_with("advertiser-"),
                        "{id}"
                    );
                }
                body["createdAssignedUserRoles"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .for_each(check_role);
                assert!(r["path"]
                    .as_str()
                    .unwrap()
                    .ends_with(":bulkEditAssignedUserRoles"));
            }
            ("dv360", "users.create") => {
                let keys: BTreeSet<String> = body.as_object().unwrap().keys().cloned().collect();
                assert!(keys.is_subset(&user_fields), "{body}");
                body["assignedUserRoles"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .for_each(check_role);
            }
            ("dv360", "users.delete") => assert!(body.is_null()),
            ("t1", "users.permissions.update") => {
                let p = body["permissions"].as_object().unwrap();
                let keys: BTreeSet<String> = p.keys().cloned().collect();
                assert!(keys.is_subset(&t1_permission_fields), "{body}");
                for ids in p.values() {
                    assert!(
                        ids.as_array().unwrap().iter().all(Value::is_i64),
                        "integer ids: {body}"
                    );
                }
            }
            ("t1", "users.update" | "users.create") => {
                for (k, v) in body.as_object().unwrap() {
                    match k.as_str() {
                        "role" => {
                            assert!(["ADMIN", "MANAGER", "REPORTER"].contains(&v.as_str().unwrap()))
                        }
                        "scope" => assert!(["GLOBAL", "SELECT"].contains(&v.as_str().unwrap())),
                        "active" => assert!(v.is_boolean()),
                        "username" | "email" | "first_name" | "last_name" => assert!(v.is_string()),
                        other => panic!("unexpected T1 user field `{other}`"),
                    }
                }
            }
            other => panic!("unexpected request {other:?}"),
        }
    }
    for expected in [
        "dv360:users.bulkEditAssignedUserRoles",
        "dv360:users.create",
        "dv360:users.delete",
        "t1:users.permissions.update",
        "t1:users.update",
    ] {
        assert!(
            seen.contains(expected),
            "no vector produces {expected}: {seen:?}"
        );
    }
}
