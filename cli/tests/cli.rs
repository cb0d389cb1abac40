#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Runs the `adaccess` binary on the fixtures in `tests/data/cli/`.

use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn data(name: &str) -> String {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "tests",
        "data",
        "cli",
        name,
    ]
    .iter()
    .collect();
    path.to_string_lossy().into_owned()
}

fn read(name: &str) -> String {
    std::fs::read_to_string(data(name)).unwrap()
}

fn adaccess() -> Command {
    let mut cmd = Command::cargo_bin("adaccess").unwrap();
    cmd.env_remove("COLUMNS");
    cmd
}

/// Runs the command, checks its exit status and returns stdout parsed as JSON.
fn json_of(cmd: &mut Command, status: i32) -> Value {
    let out = cmd.assert().code(status).get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}",
            String::from_utf8_lossy(&out)
        )
    })
}

fn stdout_of(cmd: &mut Command, status: i32) -> String {
    let out = cmd.assert().code(status).get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

const DV360_ROLES: [(&str, &str); 11] = [
    ("admin", "ADMIN"),
    ("standard", "STANDARD"),
    ("read_only", "READ_ONLY"),
    ("reporting_only", "REPORTING_ONLY"),
    ("planner", "STANDARD_PLANNER"),
    ("reporting_only_limited", "LIMITED_REPORTING_ONLY"),
    ("creative", "CREATIVE"),
    ("creative_admin", "CREATIVE_ADMIN"),
    ("planner_limited", "STANDARD_PLANNER_LIMITED"),
    ("partner_client_admin", "ADMIN_PARTNER_CLIENT"),
    ("partner_client", "STANDARD_PARTNER_CLIENT"),
];

// ---- profiles, profile show, check-profile, schema, codes ---------------------------------

#[test]
fn profiles_lists_the_builtins() {
    let text = stdout_of(adaccess().arg("profiles"), 0);
    assert!(
        text.contains("dv360") && text.contains("mediamath"),
        "{text}"
    );
    assert!(text.contains("Display & Video 360"), "{text}");
    let json = json_of(adaccess().args(["profiles", "--format", "json"]), 0);
    let list = json.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["id"], "dv360");
    assert_eq!(list[0]["roles"], 11);
}

#[test]
fn profile_show_dv360_has_every_role_and_api_name() {
    let text = stdout_of(adaccess().args(["profile", "show", "dv360"]), 0);
    for (role, api) in DV360_ROLES {
        assert!(text.contains(role), "missing role {role}:\n{text}");
        assert!(text.contains(api), "missing API name {api}:\n{text}");
    }
    for cap in [
        "users",
        "billing",
        "cost_data",
        "reseller_data",
        "client_safe_reports",
    ] {
        assert!(text.contains(cap), "missing capability {cap}");
    }
    assert!(text.contains("assignable at"));
    // Reads in a 120-column terminal.
    for line in text.lines() {
        assert!(line.chars().count() <= 120, "line too wide: {line:?}");
    }
}

#[test]
fn profile_show_fits_a_narrow_terminal() {
    let text = stdout_of(
        adaccess().args(["profile", "show", "dv360", "--width", "80"]),
        0,
    );
    let matrix_lines = text.lines().filter(|l| l.starts_with("cost_data"));
    assert!(
        matrix_lines.count() >= 2,
        "the matrix should be split:\n{text}"
    );
    // The roles list keeps full names; the matrix lines fit.
    for line in text.lines().filter(|l| l.starts_with("users ")) {
        assert!(line.chars().count() <= 80, "{line:?}");
    }
}

#[test]
fn profile_show_json_is_the_profile_document() {
    let doc = json_of(
        adaccess().args(["profile", "show", "mediamath", "--format", "json"]),
        0,
    );
    assert_eq!(doc["id"], "mediamath");
    assert_eq!(
        doc["levels"],
        serde_json::json!(["organization", "agency", "advertiser"])
    );
    let text = stdout_of(adaccess().args(["profile", "show", "mediamath"]), 0);
    assert!(
        text.contains("MANAGER") && text.contains("toggles"),
        "{text}"
    );
}

#[test]
fn profile_show_of_a_file_and_of_an_unknown_id() {
    let text = stdout_of(
        adaccess().args(["profile", "show", &data("profile_custom.json")]),
        0,
    );
    assert!(text.contains("acme-dv360"));
    adaccess()
        .args(["profile", "show", "nope"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("[profile.unknown]").and(predicate::str::contains("`nope`")),
        );
}

#[test]
fn check_profile_clean_and_broken() {
    adaccess()
        .args(["check-profile", &data("profile_custom.json")])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("ok: acme-dv360"));
    adaccess()
        .args(["check-profile", "dv360"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("ok: dv360"));
    let out = adaccess()
        .args(["check-profile", &data("profile_bad.json")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("profile_bad.json"))
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for expected in [
        "roles[1]: role `boss` is defined twice [profile.duplicate_id]",
        "roles[0].family:",
        "roles[0].levels[0]:",
        "roles[0].grants.ghost:",
        "[profile.unknown_access_level]",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let json = json_of(
        adaccess().args([
            "check-profile",
            &data("profile_bad.json"),
            "--format",
            "json",
        ]),
        2,
    );
    assert_eq!(json["ok"], false);
    assert_eq!(json["problems"].as_array().unwrap().len(), 5);
}

#[test]
fn check_profile_of_something_that_is_not_a_profile() {
    adaccess()
        .args(["check-profile", &data("user_standard.json")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown field `email`"))
        .stderr(predicate::str::contains("[profile.shape]"));
    adaccess()
        .args(["check-profile", &data("missing.json")])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no such file").and(predicate::str::contains("[input.io]")),
        );
}

#[test]
fn schema_prints_every_document_schema() {
    let json = json_of(adaccess().arg("schema"), 0);
    for key in ["profile", "directory", "user", "change"] {
        assert!(json[key].is_object(), "no schema for {key}");
    }
}

#[test]
fn codes_lists_every_code() {
    let text = stdout_of(adaccess().arg("codes"), 0);
    let json = json_of(adaccess().args(["codes", "--format", "json"]), 0);
    let listed: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    for c in adaccess_core::CODES {
        assert!(
            text.lines()
                .any(|l| l.split_whitespace().next() == Some(c.code)),
            "`{}` missing from `adaccess codes`",
            c.code
        );
        assert!(listed.contains(&c.code), "`{}` missing from json", c.code);
    }
    assert_eq!(listed.len(), adaccess_core::CODES.len());
    // A profile's own severities show through.
    let json = json_of(
        adaccess().args([
            "codes",
            "--format",
            "json",
            "--profile",
            &data("profile_custom.json"),
        ]),
        0,
    );
    let reason = json
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "log.reason_missing")
        .unwrap();
    assert_eq!(reason["severity"], "error");
}

// ---- validate ------------------------------------------------------------------------------

#[test]
fn validate_ok_and_invalid() {
    adaccess()
        .args(["validate", &data("user_standard.json")])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("ok:"));
    let text = stdout_of(adaccess().args(["validate", &data("user_mixed.json")]), 1);
    assert!(text.starts_with("invalid: 1 error"), "{text}");
    assert!(
        text.contains("error family.mixed assignments[1]: "),
        "{text}"
    );
    let json = json_of(
        adaccess().args(["validate", &data("user_mixed.json"), "--format", "json"]),
        1,
    );
    assert_eq!(json["ok"], false);
    assert_eq!(json["findings"][0]["code"], "family.mixed");
    assert_eq!(json["findings"][0]["path"], "assignments[1]");
}

#[test]
fn validate_reads_stdin() {
    adaccess()
        .args(["validate", "-", "--format", "json"])
        .write_stdin(read("user_mixed.json"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("family.mixed"));
}

#[test]
fn validate_with_a_directory_and_a_profile_file() {
    adaccess()
        .args([
            "validate",
            "--directory",
            &data("directory.json"),
            "--profile",
            &data("profile_custom.json"),
            &data("user_standard.json"),
        ])
        .assert()
        .code(0);
    adaccess()
        .args([
            "validate",
            "--directory",
            &data("directory_bad.json"),
            &data("user_standard.json"),
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("directory_bad.json: entities[1].level:")
                .and(predicate::str::contains("[directory.unknown_level]")),
        );
}

#[test]
fn malformed_input_names_file_path_and_code() {
    adaccess()
        .args(["assess", &data("change_malformed.json")])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(
            predicate::str::contains("error: ")
                .and(predicate::str::contains(
                    "change_malformed.json: after.assignments[2].role: invalid type",
                ))
                .and(predicate::str::contains("[input.invalid]")),
        );
    adaccess()
        .args(["validate", &data("user_truncated.json")])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("user_truncated.json")
                .and(predicate::str::contains("line 3"))
                .and(predicate::str::contains("[input.syntax]")),
        );
    adaccess()
        .args(["validate", "-"])
        .write_stdin("{\"id\": \"u-1\", \"elevaton\": {}}")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("<stdin>: unknown field `elevaton`")
                .and(predicate::str::contains("[input.invalid]")),
        );
}

#[test]
fn missing_files_and_bad_arguments_exit_2() {
    adaccess()
        .args(["validate", "no/such/user.json"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no/such/user.json")
                .and(predicate::str::contains("no such file")),
        );
    adaccess()
        .args(["validate", "--profile", "nope", &data("user_standard.json")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("[profile.unknown]"));
    adaccess()
        .args([
            "validate",
            "--profile",
            "nope.json",
            &data("user_standard.json"),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.json").and(predicate::str::contains("[input.io]")));
    adaccess()
        .args([
            "validate",
            "--profile",
            &data("profile_bad.json"),
            &data("user_standard.json"),
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("[profile.invalid]")
                .and(predicate::str::contains("roles[0].grants.ghost")),
        );
    adaccess().args(["frobnicate"]).assert().code(2);
    adaccess()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Exit status"));
}

// ---- assess --------------------------------------------------------------------------------

#[test]
fn assess_text_reads_as_a_report() {
    let text = stdout_of(
        adaccess().args([
            "assess",
            &data("change_promote.json"),
            "--directory",
            &data("directory.json"),
        ]),
        0,
    );
    assert!(text.starts_with("verdict: ✓"), "{text}");
    for section in [
        "\nplan\n",
        "  1. ",
        "\nlog entry\n",
        "\nplatform requests\n",
    ] {
        assert!(text.contains(section), "missing {section:?}:\n{text}");
    }
    assert!(text.contains("bulkEditAssignedUserRoles"), "{text}");
    assert!(text.contains("\"userRole\":\"STANDARD\""), "{text}");
}

#[test]
fn assess_json_is_the_assessment() {
    let json = json_of(
        adaccess().args([
            "assess",
            &data("change_promote.json"),
            "-d",
            &data("directory.json"),
            "--format",
            "json",
        ]),
        0,
    );
    assert_eq!(json["ok"], true);
    for key in [
        "findings",
        "diff",
        "approvals_required",
        "plan",
        "log_entry",
        "effective",
        "requests",
    ] {
        assert!(!json[key].is_null(), "no `{key}`");
    }
    assert_eq!(json["log_entry"]["reason"], "Promoted to trader");
}

#[test]
fn assess_an_invalid_change_exits_1() {
    let text = stdout_of(
        adaccess().args([
            "assess",
            &data("change_mixed.json"),
            "-d",
            &data("directory.json"),
        ]),
        1,
    );
    assert!(text.starts_with("verdict: ✗"), "{text}");
    assert!(
        text.contains("error family.mixed after.assignments[1]:"),
        "{text}"
    );
}

#[test]
fn assess_with_a_custom_profile_from_stdin_change() {
    // The custom profile makes a missing reason an error.
    let mut change: Value = serde_json::from_str(&read("change_promote.json")).unwrap();
    change.as_object_mut().unwrap().remove("reason");
    let json = json_of(
        adaccess()
            .args([
                "assess",
                "-",
                "-d",
                &data("directory.json"),
                "--profile",
                &data("profile_custom.json"),
                "--format",
                "json",
            ])
            .write_stdin(change.to_string()),
        1,
    );
    assert_eq!(json["ok"], false);
    assert!(json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "log.reason_missing" && f["severity"] == "error"));
}

#[test]
fn approvals_show_check_marks() {
    // A promotion to admin needs approvals; only the manager's is given.
    let mut change: Value = serde_json::from_str(&read("change_promote.json")).unwrap();
    change["after"]["assignments"] = serde_json::json!([
        {"entity": {"level": "partner", "id": "1"}, "role": "admin"}
    ]);
    let text = stdout_of(
        adaccess()
            .args(["assess", "-", "-d", &data("directory.json")])
            .write_stdin(change.to_string()),
        0,
    );
    assert!(text.contains("\napprovals required\n"), "{text}");
    assert!(text.contains("  ✓ "), "{text}");
    assert!(text.contains("  ✗ "), "{text}");
}

// ---- can, redact ---------------------------------------------------------------------------

#[test]
fn can_exits_0_when_allowed_and_1_when_denied() {
    adaccess()
        .args([
            "can",
            &data("user_standard.json"),
            "campaigns",
            "write",
            "advertiser:11",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("allowed: "));
    adaccess()
        .args([
            "can",
            &data("user_standard.json"),
            "billing",
            "read",
            "advertiser:11",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("denied: "));
    let json = json_of(
        adaccess().args([
            "can",
            &data("user_standard.json"),
            "campaigns",
            "write",
            "advertiser:11",
            "--format",
            "json",
        ]),
        0,
    );
    assert_eq!(json["allowed"], true);
    assert!(json["because"].as_str().unwrap().contains("standard"));
}

#[test]
fn can_with_inheritance_through_the_directory() {
    let admin = r#"{"id": "u-1", "email": "lee@agency.example",
        "assignments": [{"entity": {"level": "partner", "id": "1"}, "role": "admin"}]}"#;
    adaccess()
        .args([
            "can",
            "-",
            "users",
            "manage",
            "advertiser:12",
            "-d",
            &data("directory.json"),
        ])
        .write_stdin(admin)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("inherited from partner:1"));
    adaccess()
        .args([
            "can",
            "-",
            "users",
            "manage",
            "advertiser:21",
            "-d",
            &data("directory.json"),
        ])
        .write_stdin(admin)
        .assert()
        .code(1);
}

#[test]
fn can_rejects_a_malformed_entity() {
    adaccess()
        .args([
            "can",
            &data("user_standard.json"),
            "campaigns",
            "write",
            "advertiser11",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("LEVEL:ID").and(predicate::str::contains("[input.argument]")),
        );
}

#[test]
fn redact_hides_cost_fields() {
    let json = json_of(
        adaccess().args([
            "redact",
            &data("user_reporting_limited.json"),
            "advertiser:11",
            &data("record.json"),
        ]),
        0,
    );
    assert_eq!(json["budget"], "No access");
    assert_eq!(json["media_cost"], "No access");
    assert_eq!(json["name"], "Spring sale");
    let json = json_of(
        adaccess()
            .args(["redact", &data("user_standard.json"), "advertiser:11", "-"])
            .write_stdin(read("record.json")),
        0,
    );
    assert_eq!(json["budget"], 10000);
}

#[test]
fn stdin_can_be_read_once() {
    adaccess()
        .args(["redact", "-", "advertiser:11", "-"])
        .write_stdin(read("user_standard.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("only one argument can be `-`"));
}

// ---- audit, who-can ------------------------------------------------------------------------

#[test]
fn audit_text_summarises_then_lists_findings() {
    let text = stdout_of(
        adaccess().args([
            "audit",
            &data("users.json"),
            "--now",
            "2026-11-22",
            "-d",
            &data("directory.json"),
        ]),
        1,
    );
    assert!(text.starts_with("access review: 4 user(s)"), "{text}");
    assert!(text.contains("\nby code\n"), "{text}");
    assert!(text.contains("error admin.none"), "{text}");
    assert!(text.contains("warning user.dormant [u-19]"), "{text}");
    assert!(text.contains("security tokens.orphaned [u-19]"), "{text}");
}

#[test]
fn audit_json_and_csv_agree() {
    let args = [
        "audit",
        &data("users.json"),
        "--now",
        "2026-11-22",
        "-d",
        &data("directory.json"),
    ];
    let json = json_of(adaccess().args(args).args(["--format", "json"]), 1);
    assert_eq!(json["users"], 4);
    let findings = json["findings"].as_array().unwrap();
    assert!(findings
        .iter()
        .any(|f| f["code"] == "user.dormant" && f["user"] == "u-19"));
    assert!(json["summary"]["by_severity"].is_object());

    let csv = stdout_of(adaccess().args(args).args(["--format", "csv"]), 1);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("severity,code,user,path,message"));
    assert_eq!(lines.count(), findings.len());
    assert!(
        csv.contains("warning,user.dormant,u-19,[3].last_login,"),
        "{csv}"
    );
}

#[test]
fn audit_options() {
    // With a long dormancy window nobody is dormant.
    let json = json_of(
        adaccess().args([
            "audit",
            &data("users.json"),
            "--now",
            "2026-11-22",
            "--dormant-days",
            "1000",
            "--activity",
            &data("activity.json"),
            "--format",
            "json",
        ]),
        1,
    );
    assert!(!json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "user.dormant"));
    adaccess()
        .args(["audit", &data("users.json"), "--now", "yesterday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--now"));
    adaccess()
        .args(["audit", "-", "--now", "2026-11-22"])
        .write_stdin("[{\"id\": 3}]")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("<stdin>: [0].id:")
                .and(predicate::str::contains("[ingest.invalid]")),
        );
}

#[test]
fn audit_of_a_clean_seat_exits_0() {
    let users = r#"[{"id": "u-1", "email": "lee@agency.example", "last_login": "2026-11-20",
        "assignments": [{"entity": {"level": "partner", "id": "1"}, "role": "admin"}]}]"#;
    adaccess()
        .args(["audit", "-", "--now", "2026-11-22", "--format", "json"])
        .write_stdin(users)
        .assert()
        .code(0);
}

#[test]
fn who_can_lists_users_with_reasons() {
    let text = stdout_of(
        adaccess().args([
            "who-can",
            "campaigns",
            "write",
            "advertiser:11",
            &data("users.json"),
            "-d",
            &data("directory.json"),
        ]),
        0,
    );
    assert!(
        text.starts_with("3 user(s) can `campaigns: write` on advertiser:11"),
        "{text}"
    );
    assert!(text.contains("u-1 <lee@agency.example>: "), "{text}");
    let json = json_of(
        adaccess().args([
            "who-can",
            "billing",
            "write",
            "advertiser:11",
            &data("users.json"),
            "-d",
            &data("directory.json"),
            "--format",
            "json",
        ]),
        0,
    );
    let list = json.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["user"], "u-1");
    assert_eq!(list[0]["because"]["allowed"], true);
}
