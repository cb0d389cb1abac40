#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The export readers: every sample parses, detection goes by content, and every broken file
//! is a specific error with a path, never a panic.

use std::path::{Path, PathBuf};

use adaccess_core::error::AdaccessError;
use adaccess_core::ingest::{
    read_csv, read_dv360_users, read_export, read_t1, read_users, Export, ExportFormat, IngestError,
};
use adaccess_core::{Directory, EntityRef, Profile, User};
use serde_json::{json, Value};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(name)
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(data(name)).unwrap()
}

fn text(name: &str) -> String {
    std::fs::read_to_string(data(name)).unwrap()
}

fn dv360() -> Profile {
    Profile::builtin("dv360").unwrap()
}

fn mediamath() -> Profile {
    Profile::builtin("mediamath").unwrap()
}

fn user<'a>(users: &'a [User], id: &str) -> &'a User {
    users.iter().find(|u| u.id == id).unwrap()
}

#[track_caller]
fn assert_error(result: Result<Export, IngestError>, code: &str, path: Option<&str>) -> String {
    match result {
        Ok(e) => panic!("expected {code}, read {} users", e.users.len()),
        Err(e) => {
            assert_eq!(e.code(), code, "{e}");
            assert_eq!(e.path(), path, "{e}");
            let info = e.info();
            assert_eq!(info.code, code);
            e.to_string()
        }
    }
}

// ---------------------------------------------------------------------------------------
// The samples

#[test]
fn dv360_users_list_sample() {
    let export = read_export(&dv360(), &bytes("dv360_users_list.json")).unwrap();
    assert_eq!(export.format, ExportFormat::Dv360UsersList);
    assert_eq!(export.users.len(), 30);
    assert!(export.directory.is_none());
    let admin = user(&export.users, "90000001");
    assert_eq!(admin.email, "alice.moreau@northwind.example");
    assert_eq!(admin.name, "Alice Moreau");
    assert_eq!(admin.assignments.len(), 1);
    assert_eq!(admin.assignments[0].role, "admin");
    assert_eq!(
        admin.assignments[0].entity,
        EntityRef::new("partner", "1100001")
    );
    let mixed = user(&export.users, "90000010");
    let roles: Vec<&str> = mixed.assignments.iter().map(|a| a.role.as_str()).collect();
    assert_eq!(roles, ["standard", "creative"]);
    assert_eq!(
        mixed.assignments[1].entity,
        EntityRef::new("advertiser", "2200012")
    );
    let dormant = user(&export.users, "90000011");
    assert_eq!(
        dormant.last_login.as_ref().map(|t| t.date()).as_deref(),
        Some("2026-03-02")
    );
    // The second page's users come after the first page's.
    assert_eq!(export.users[16].id, "90000017");

    let total: usize = export.users.iter().map(|u| u.assignments.len()).sum();
    assert_eq!(total, 42);
    // The same through the direct reader.
    let direct = read_dv360_users(&dv360(), &text("dv360_users_list.json")).unwrap();
    assert_eq!(direct, export.users);
}

#[test]
fn dv360_directory_sample_covers_the_export() {
    let dir: Directory = serde_json::from_str(&text("dv360_directory.json")).unwrap();
    assert_eq!(dir.entities.len(), 13);
    let engine = adaccess_core::Engine::new(dv360(), Some(&dir));
    assert!(engine.is_ok());
    let export = read_export(&dv360(), &bytes("dv360_users_list.json")).unwrap();
    for u in &export.users {
        for a in &u.assignments {
            assert!(
                dir.entities
                    .iter()
                    .any(|e| e.level == a.entity.level && e.id == a.entity.id),
                "{} not in the directory",
                a.entity
            );
        }
    }
}

#[test]
fn mediamath_csv_sample() {
    let export = read_export(&mediamath(), &bytes("mediamath_users.csv")).unwrap();
    assert_eq!(export.format, ExportFormat::Csv);
    assert_eq!(export.users.len(), 10);
    let ana = user(&export.users, "m-101");
    assert!(ana.toggle("billing"));
    assert_eq!(
        ana.assignments[0].entity,
        EntityRef::new("organization", "100")
    );
    // `MANAGER` (T1 name) and `trader` (role id) are the same role; later rows inherit email.
    let chloe = user(&export.users, "m-103");
    assert_eq!(chloe.email, "chloe.martin@seat.example");
    let roles: Vec<&str> = chloe.assignments.iter().map(|a| a.role.as_str()).collect();
    assert_eq!(roles, ["trader", "trader"]);
    assert_eq!(chloe.toggles.get("billing"), Some(&false));
    let eva = user(&export.users, "m-105");
    let roles: Vec<&str> = eva.assignments.iter().map(|a| a.role.as_str()).collect();
    assert_eq!(roles, ["trader", "reporting"]);
    let direct = read_csv(&mediamath(), &bytes("mediamath_users.csv")).unwrap();
    assert_eq!(direct, export.users);
    let dir: Directory = serde_json::from_str(&text("mediamath_directory.json")).unwrap();
    assert!(adaccess_core::Engine::new(mediamath(), Some(&dir)).is_ok());
}

#[test]
fn t1_permissions_sample() {
    let export = read_export(&mediamath(), &bytes("t1_permissions.json")).unwrap();
    assert_eq!(export.format, ExportFormat::T1Permissions);
    let summary: Vec<(String, String, Vec<String>)> = export
        .users
        .iter()
        .map(|u| {
            (
                u.id.clone(),
                u.assignments.first().map(|a| a.role.clone()).unwrap(),
                u.assignments.iter().map(|a| a.entity.to_string()).collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "501".into(),
                "admin".into(),
                vec!["organization:100".into()]
            ),
            ("502".into(), "trader".into(), vec!["agency:210".into()]),
            (
                "503".into(),
                "reporting".into(),
                vec!["advertiser:3202".into()]
            ),
        ]
    );
    let fatima = user(&export.users, "503");
    assert_eq!(fatima.email, "fatima.zahra@client.example");
    let dana = user(&export.users, "501");
    assert_eq!(dana.name, "Dana Whitfield");
    assert_eq!(
        dana.last_login.as_ref().map(|t| t.date()).as_deref(),
        Some("2026-11-20")
    );
    let dir = export.directory.clone().unwrap();
    assert_eq!(dir.entities.len(), 7);
    assert!(adaccess_core::Engine::new(mediamath(), Some(&dir)).is_ok());
    assert_eq!(
        read_t1(&mediamath(), &text("t1_permissions.json")).unwrap(),
        export
    );
}

#[test]
fn t1_fixture_shape_single_document() {
    let fixture = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/data/mediamath/t1_permissions_fixture.json"),
    );
    // shared/ sits beside the repository on developer machines and in CI; skip elsewhere.
    let Ok(fixture) = fixture else { return };
    let export = read_export(&mediamath(), fixture.as_bytes()).unwrap();
    assert_eq!(export.format, ExportFormat::T1Permissions);
    let u = &export.users[0];
    assert_eq!(u.id, "1");
    assert_eq!(u.email, "");
    let held: Vec<String> = u.assignments.iter().map(|a| a.entity.to_string()).collect();
    assert_eq!(held, ["organization:1", "organization:2"]);
    assert!(u.assignments.iter().all(|a| a.role == "admin"));
    let dir = export.directory.unwrap();
    assert_eq!(dir.entities.len(), 10);
    let agency4 = dir.entities.iter().find(|e| e.id == "4").unwrap();
    assert_eq!(agency4.parent.as_deref(), Some("2"));
}

#[test]
fn users_array() {
    let users = json!([
        {"id": "u-1", "email": "a@x.example", "name": "A",
         "assignments": [{"entity": {"level": "partner", "id": "1"}, "role": "admin"}]},
        {"id": "u-2", "email": "b@x.example"}
    ]);
    let export = read_export(&dv360(), users.to_string().as_bytes()).unwrap();
    assert_eq!(export.format, ExportFormat::Users);
    assert_eq!(export.users.len(), 2);
    assert_eq!(read_users(&users.to_string()).unwrap(), export.users);
    let empty = read_export(&dv360(), b"  []\n").unwrap();
    assert_eq!((empty.format, empty.users.len()), (ExportFormat::Users, 0));
}

// ---------------------------------------------------------------------------------------
// Detection

#[test]
fn detection_goes_by_content_not_by_file_name() {
    let dir = std::env::temp_dir().join(format!("adaccess-ingest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Every sample under a misleading name.
    let cases = [
        (
            "dv360_users_list.json",
            "users.csv",
            "dv360",
            ExportFormat::Dv360UsersList,
        ),
        (
            "mediamath_users.csv",
            "export.json",
            "mediamath",
            ExportFormat::Csv,
        ),
        (
            "t1_permissions.json",
            "dv360.csv",
            "mediamath",
            ExportFormat::T1Permissions,
        ),
    ];
    for (sample, disguise, profile, format) in cases {
        let path = dir.join(disguise);
        std::fs::write(&path, bytes(sample)).unwrap();
        let profile = Profile::builtin(profile).unwrap();
        let export = read_export(&profile, &std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(export.format, format, "{sample} as {disguise}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn detection_of_each_shape() {
    let p = dv360();
    let one_page = json!({"users": [{"userId": "1", "email": "a@x.example",
        "assignedUserRoles": [{"partnerId": "1", "userRole": "ADMIN"}]}]});
    let bare = json!([{"userId": "1", "email": "a@x.example",
        "assignedUserRoles": [{"partnerId": "1", "userRole": "ADMIN"}]}]);
    let last_page_empty = json!([{"users": [], "nextPageToken": "x"}, {}]);
    for (doc, format, n) in [
        (one_page, ExportFormat::Dv360UsersList, 1),
        (bare, ExportFormat::Dv360UsersList, 1),
        (last_page_empty, ExportFormat::Dv360UsersList, 0),
    ] {
        let export = read_export(&p, doc.to_string().as_bytes()).unwrap();
        assert_eq!((export.format, export.users.len()), (format, n), "{doc}");
    }
    // A byte order mark and leading white space do not matter.
    let mut csv = b"\xef\xbb\xbf\n".to_vec();
    csv.extend(bytes("mediamath_users.csv"));
    let export = read_export(&mediamath(), &csv).unwrap();
    assert_eq!(export.format, ExportFormat::Csv);
    // The format's name serialises in snake_case.
    assert_eq!(
        serde_json::to_value(ExportFormat::Dv360UsersList).unwrap(),
        json!("dv360_users_list")
    );
    assert_eq!(ExportFormat::T1Permissions.to_string(), "t1_permissions");
}

#[test]
fn unknown_formats() {
    let p = dv360();
    let msg = assert_error(
        read_export(&p, br#"{"kind": "report", "rows": []}"#),
        "ingest.unknown_format",
        None,
    );
    assert!(msg.contains("`kind`"), "{msg}");
    assert_error(read_export(&p, b"[1, 2, 3]"), "ingest.unknown_format", None);
    assert_error(read_export(&p, b"\"users\""), "ingest.unknown_format", None);
    assert_error(
        read_export(&p, b"id,mail\n1,a@x\n"),
        "ingest.unknown_format",
        None,
    );
    assert_error(
        read_export(&p, br#"{"data": {"rows": []}}"#),
        "ingest.unknown_format",
        None,
    );
}

// ---------------------------------------------------------------------------------------
// Broken files

fn dv360_sample() -> Value {
    serde_json::from_str(&text("dv360_users_list.json")).unwrap()
}

#[test]
fn truncated_json_is_a_syntax_error() {
    let full = bytes("dv360_users_list.json");
    let msg = assert_error(
        read_export(&dv360(), &full[..full.len() / 2]),
        "ingest.syntax",
        Some("[0].users[15].userId"),
    );
    assert!(msg.contains("line"), "{msg}");
    let t1 = bytes("t1_permissions.json");
    let e = read_export(&mediamath(), &t1[..t1.len() - 3]).unwrap_err();
    assert_eq!(e.code(), "ingest.syntax");
    let e = read_export(&dv360(), b"[{\"id\": ").unwrap_err();
    assert_eq!(e.code(), "ingest.syntax");
    // Malformed before any telling key.
    let e = read_export(&dv360(), b"{\"users\" 1}").unwrap_err();
    assert_eq!(e.code(), "ingest.syntax");
    let e = read_export(&dv360(), b"{,}").unwrap_err();
    assert_eq!(e.code(), "ingest.syntax");
}

#[test]
fn wrong_shape_is_invalid_with_a_path() {
    let p = dv360();
    assert_error(
        read_export(&p, br#"{"users": {"userId": "1"}}"#),
        "ingest.invalid",
        Some("users"),
    );
    let mut doc = dv360_sample();
    doc[1]["users"][2]["assignedUserRoles"] = json!("STANDARD");
    assert_error(
        read_export(&p, doc.to_string().as_bytes()),
        "ingest.invalid",
        Some("[1].users[2].assignedUserRoles"),
    );
    let mut doc = dv360_sample();
    doc[0]["users"][4].as_object_mut().unwrap().remove("email");
    assert_error(
        read_export(&p, doc.to_string().as_bytes()),
        "ingest.invalid",
        Some("[0].users[4].email"),
    );
    let mut doc = dv360_sample();
    doc[0]["users"][4]
        .as_object_mut()
        .unwrap()
        .remove("assignedUserRoles");
    assert_error(
        read_export(&p, doc.to_string().as_bytes()),
        "ingest.invalid",
        Some("[0].users[4].assignedUserRoles"),
    );
    let mut doc = dv360_sample();
    doc[0]["users"][2]["assignedUserRoles"][1]["partnerId"] = json!("1100001");
    assert_error(
        read_export(&p, doc.to_string().as_bytes()),
        "ingest.invalid",
        Some("[0].users[2].assignedUserRoles[1]"),
    );
    let mut doc = dv360_sample();
    doc[0]["users"][0]["lastLoginTime"] = json!("last Tuesday");
    assert_error(
        read_export(&p, doc.to_string().as_bytes()),
        "ingest.invalid",
        Some("[0].users[0].lastLoginTime"),
    );
    // Users in the crate's own shape reject unknown fields, naming them.
    assert_error(
        read_export(&p, br#"[{"id": "u-1", "elevaton": {}}]"#),
        "ingest.invalid",
        Some("[0].elevaton"),
    );
    // T1: no permissions, no role flag.
    assert_error(
        read_export(
            &mediamath(),
            br#"[{"data": {"permissions": {}, "user": {"id": 1}}}]"#,
        ),
        "ingest.invalid",
        Some("[0].data.permissions.flags"),
    );
}

#[test]
fn unspecified_user_role_is_rejected_by_path() {
    let mut doc = dv360_sample();
    doc[1]["users"][3]["assignedUserRoles"][0]["userRole"] = json!("USER_ROLE_UNSPECIFIED");
    let msg = assert_error(
        read_export(&dv360(), doc.to_string().as_bytes()),
        "ingest.unknown_role",
        Some("[1].users[3].assignedUserRoles[0].userRole"),
    );
    assert!(msg.contains("is not a role"), "{msg}");
    match read_export(&dv360(), doc.to_string().as_bytes()) {
        Err(IngestError::UnknownRole { value, .. }) => assert_eq!(value, "USER_ROLE_UNSPECIFIED"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_user_role_is_rejected_by_path() {
    let mut doc = dv360_sample();
    doc[0]["users"][5]["assignedUserRoles"][1]["userRole"] = json!("SUPER_ADMIN");
    let msg = assert_error(
        read_export(&dv360(), doc.to_string().as_bytes()),
        "ingest.unknown_role",
        Some("[0].users[5].assignedUserRoles[1].userRole"),
    );
    assert!(
        msg.contains("SUPER_ADMIN") && msg.contains("STANDARD"),
        "{msg}"
    );
    // A DV360 export read with the wrong profile says so.
    let msg = assert_error(
        read_export(&mediamath(), &bytes("dv360_users_list.json")),
        "ingest.unknown_role",
        Some("[0].users[0].assignedUserRoles[0].userRole"),
    );
    assert!(msg.contains("right profile"), "{msg}");
    // T1.
    let t1 = text("t1_permissions.json").replace("\"MANAGER\"", "\"OWNER\"");
    assert_error(
        read_export(&mediamath(), t1.as_bytes()),
        "ingest.unknown_role",
        Some("[1].data.permissions.flags[0].access[10].value"),
    );
}

#[test]
fn csv_missing_column() {
    let csv = text("mediamath_users.csv").replacen("entity_id,", "", 1);
    let msg = assert_error(
        read_export(&mediamath(), csv.as_bytes()),
        "ingest.missing_column",
        Some("row[1]"),
    );
    assert!(msg.contains("entity_id"), "{msg}");
}

#[test]
fn csv_unknown_column() {
    let csv = text("mediamath_users.csv").replacen("billing", "biling", 1);
    let msg = assert_error(
        read_export(&mediamath(), csv.as_bytes()),
        "ingest.unknown_column",
        Some("row[1].biling"),
    );
    assert!(msg.contains("`biling`") && msg.contains("billing"), "{msg}");
    // dv360 has no toggles: `billing` is not a column there.
    let csv = "user_id,email,name,level,entity_id,role,billing\n";
    assert_error(
        read_export(&dv360(), csv.as_bytes()),
        "ingest.unknown_column",
        Some("row[1].billing"),
    );
}

#[test]
fn csv_bad_toggle_value_names_the_row() {
    let csv = text("mediamath_users.csv").replacen(",yes,", ",sometimes,", 1);
    let msg = assert_error(
        read_export(&mediamath(), csv.as_bytes()),
        "ingest.csv",
        Some("row[12].billing"),
    );
    assert!(msg.contains("row 12 (the header is row 1)"), "{msg}");
    assert!(msg.contains("`sometimes`"), "{msg}");
    match read_csv(&mediamath(), csv.as_bytes()) {
        Err(IngestError::Csv { row, column, .. }) => {
            assert_eq!((row, column.as_deref()), (12, Some("billing")));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn csv_rows_of_one_user_must_agree() {
    let csv = text("mediamath_users.csv").replacen(
        "m-104,dev.patel@seat.example,Dev Patel,advertiser,3102",
        "m-104,dev@elsewhere.example,Dev Patel,advertiser,3102",
        1,
    );
    let msg = assert_error(
        read_export(&mediamath(), csv.as_bytes()),
        "ingest.csv",
        Some("row[7].email"),
    );
    assert!(msg.contains("row 6"), "{msg}");
    let csv = text("mediamath_users.csv").replacen(",3101,trader,,", ",3101,manager,,", 1);
    assert!(read_export(&mediamath(), csv.as_bytes()).is_ok());
    let csv = text("mediamath_users.csv").replacen(",3101,trader,,", ",3101,chief,,", 1);
    assert_error(
        read_export(&mediamath(), csv.as_bytes()),
        "ingest.unknown_role",
        Some("row[6].role"),
    );
    let csv = text("mediamath_users.csv").replacen(",3101,trader,,", ",3101,trader,,,extra", 1);
    assert_error(
        read_export(&mediamath(), csv.as_bytes()),
        "ingest.csv",
        Some("row[6]"),
    );
}

#[test]
fn invalid_utf8_names_the_byte() {
    let mut csv = bytes("mediamath_users.csv");
    let at = csv.iter().position(|b| *b == b'\n').unwrap() + 5;
    csv[at] = 0xff;
    let msg = assert_error(read_export(&mediamath(), &csv), "ingest.encoding", None);
    assert!(
        msg.contains(&format!("offset {at}")) && msg.contains("line 2"),
        "{msg}"
    );
    match read_export(&mediamath(), &csv) {
        Err(IngestError::Encoding { offset, line, .. }) => assert_eq!((offset, line), (at, 2)),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        read_csv(&mediamath(), &csv).unwrap_err().code(),
        "ingest.encoding"
    );
    let utf16 = b"\xff\xfeu\0s\0e\0r\0";
    let msg = assert_error(read_export(&dv360(), utf16), "ingest.encoding", None);
    assert!(msg.contains("UTF-16"), "{msg}");
}

#[test]
fn empty_files() {
    for empty in [&b""[..], b"   \n\t", b"\xef\xbb\xbf"] {
        assert_error(read_export(&dv360(), empty), "ingest.empty", None);
    }
    assert_eq!(read_csv(&dv360(), b"").unwrap_err().code(), "ingest.empty");
    assert_eq!(read_users(" ").unwrap_err().code(), "ingest.empty");
    assert_eq!(read_t1(&dv360(), "").unwrap_err().code(), "ingest.empty");
    assert_eq!(
        read_dv360_users(&dv360(), "\n").unwrap_err().code(),
        "ingest.empty"
    );
    // A CSV with its header only is a seat without users.
    let header = "user_id,email,name,level,entity_id,role\n";
    assert_eq!(
        read_export(&dv360(), header.as_bytes())
            .unwrap()
            .users
            .len(),
        0
    );
}

#[test]
fn every_error_code_is_produced_and_listed() {
    let dv360 = Profile::builtin("dv360").unwrap();
    let mediamath = Profile::builtin("mediamath").unwrap();
    let header = "user_id,email,name,level,entity_id,role";
    let cases: Vec<(&Profile, Vec<u8>)> = vec![
        (&dv360, b"{\"users\": [\xff]}".to_vec()),
        (&dv360, b"   \n".to_vec()),
        (&dv360, b"hello world\n".to_vec()),
        (&dv360, b"{\"users\": [".to_vec()),
        (&dv360, br#"{"users": [{"userId": "1", "assignedUserRoles": [{"userRole": "ADMIN"}]}]}"#.to_vec()),
        (&dv360, br#"{"users": [{"userId": "1", "email": "a@b.example", "assignedUserRoles": [{"partnerId": "1", "userRole": "NOPE"}]}]}"#.to_vec()),
        (&mediamath, format!("{header},billing\nu1,a@b.example,A,organization,1,admin,maybe\n").into_bytes()),
        (&dv360, format!("{header},color\nu1,a@b.example,A,partner,1,admin,red\n").into_bytes()),
        (&dv360, b"user_id,email\nu1,a@b.example\n".to_vec()),
    ];
    let produced: std::collections::BTreeSet<&str> = cases
        .iter()
        .map(|(profile, bytes)| {
            let err = read_export(profile, bytes).expect_err("a bad export");
            assert!(
                IngestError::CODES.contains(&err.code()),
                "{} is not listed",
                err.code()
            );
            err.code()
        })
        .collect();
    let listed: std::collections::BTreeSet<&str> = IngestError::CODES.iter().copied().collect();
    assert_eq!(
        produced, listed,
        "every listed code is produced by some bad export"
    );
}

/// Every prefix and a few corruptions of every sample: an answer, never a panic.
#[test]
fn no_panic_on_damaged_samples() {
    let samples = [
        ("dv360_users_list.json", dv360()),
        ("mediamath_users.csv", mediamath()),
        ("t1_permissions.json", mediamath()),
    ];
    for (name, profile) in &samples {
        let full = bytes(name);
        for cut in (0..full.len()).step_by(37) {
            let _ = read_export(profile, &full[..cut]);
        }
        for (i, at) in (0..full.len()).step_by(101).enumerate() {
            let mut damaged = full.clone();
            damaged[at] = [b'"', b',', b'{', b']', b'\n', 0xc3, b'0'][i % 7];
            let _ = read_export(profile, &damaged);
        }
    }
}
