#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `assess --append-log`, `log verify`, `drift` and `reconcile` on the worked example of
//! `examples/reconcile/`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn adaccess() -> Command {
    let mut cmd = Command::cargo_bin("adaccess").unwrap();
    cmd.current_dir(root());
    cmd
}

const OLD: &str = "examples/reconcile/dv360_users_2026-08-22.json";
const NEW: &str = "tests/data/dv360_users_list.json";
const DIRECTORY: &str = "tests/data/dv360_directory.json";
const LOG: &str = "examples/reconcile/access-log.jsonl";

fn changes() -> Vec<PathBuf> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(root().join("examples/reconcile/changes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    names
}

#[test]
fn append_log_writes_the_example_log_and_verify_accepts_it() {
    let dir = tempfile_dir("append");
    let log = dir.join("access-log.jsonl");
    for change in changes() {
        adaccess()
            .args(["assess", "--directory", DIRECTORY, "--append-log"])
            .arg(&log)
            .arg(&change)
            .assert()
            .code(0);
    }
    let written = std::fs::read_to_string(&log).unwrap();
    let example = std::fs::read_to_string(root().join(LOG)).unwrap();
    assert_eq!(written, example);

    adaccess()
        .args(["log", "verify"])
        .arg(&log)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("5 entries chained"))
        .stdout(predicate::str::contains("head: sha256:"));
}

#[test]
fn a_change_with_an_error_is_not_logged() {
    let dir = tempfile_dir("refused");
    let log = dir.join("access-log.jsonl");
    std::fs::write(&log, "").unwrap();
    // Chiara's change with a creative role next to her standard ones: family.mixed.
    let mut change: Value =
        serde_json::from_str(&std::fs::read_to_string(&changes()[0]).unwrap()).unwrap();
    change["after"]["assignments"][1]["role"] = "creative".into();
    let file = dir.join("change.json");
    std::fs::write(&file, change.to_string()).unwrap();
    adaccess()
        .args(["assess", "--directory", DIRECTORY, "--append-log"])
        .arg(&log)
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("cannot be saved"))
        .stderr(
            predicate::str::contains("not logged").and(predicate::str::contains("log.refused")),
        );
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "");
}

#[test]
fn log_verify_finds_a_tampered_entry_and_a_lost_head() {
    let dir = tempfile_dir("verify");
    let example = std::fs::read_to_string(root().join(LOG)).unwrap();
    let tampered = dir.join("tampered.jsonl");
    std::fs::write(&tampered, example.replacen("OPS-2231", "OPS-2232", 1)).unwrap();
    adaccess()
        .args(["log", "verify"])
        .arg(&tampered)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("line 2").and(predicate::str::contains("log.chain_broken")),
        );

    let out = adaccess()
        .args(["log", "verify", LOG, "--format", "json"])
        .assert()
        .code(0);
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let head = v["head"].as_str().unwrap().to_string();
    let cut = dir.join("cut.jsonl");
    let lines: Vec<&str> = example.lines().collect();
    std::fs::write(&cut, format!("{}\n", lines[..4].join("\n"))).unwrap();
    adaccess()
        .args(["log", "verify", "--head", &head])
        .arg(&cut)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("log.head_missing"));
}

#[test]
fn reconcile_the_example_in_text_json_and_csv() {
    let args = [
        "reconcile",
        OLD,
        NEW,
        "--log",
        LOG,
        "--directory",
        DIRECTORY,
        "--old-date",
        "2026-08-22",
        "--new-date",
        "2026-11-22",
    ];
    let text = adaccess()
        .args(args)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains("5 change(s) between the snapshots, 3 explained by the log"),
        "{text}"
    );

    let out = adaccess()
        .args(args)
        .args(["--format", "json"])
        .assert()
        .code(0);
    let r: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let codes: Vec<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "reconcile.unapproved",
            "reconcile.unlogged",
            "reconcile.not_applied"
        ]
    );

    let out = adaccess()
        .args(args)
        .args(["--format", "csv"])
        .assert()
        .code(0);
    let csv = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(csv.starts_with("severity,code,user,path,message"));
}

#[test]
fn drift_of_the_example() {
    let out = adaccess()
        .args([
            "drift",
            OLD,
            NEW,
            "--directory",
            DIRECTORY,
            "--format",
            "json",
        ])
        .assert()
        .code(0);
    let d: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(d["summary"]["changed"], 3);
    assert_eq!(d["summary"]["added"], 1);
    assert_eq!(d["summary"]["removed"], 1);
    assert_eq!(d["unchanged"].as_array().unwrap().len(), 26);
}

#[test]
fn unusable_inputs_name_the_file_and_the_path() {
    let dir = tempfile_dir("errors");
    let bad_log = dir.join("bad.jsonl");
    let example = std::fs::read_to_string(root().join(LOG)).unwrap();
    std::fs::write(&bad_log, format!("{example}{{\"user_id\": 3}}\n")).unwrap();
    adaccess()
        .args(["reconcile", OLD, NEW, "--log"])
        .arg(&bad_log)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("bad.jsonl")
                .and(predicate::str::contains("line[6]"))
                .and(predicate::str::contains("log.line")),
        );
    let bad_export = dir.join("new.json");
    std::fs::write(&bad_export, "[{\"id\": \"u\", \"assignments\": 3}]").unwrap();
    adaccess()
        .args(["drift", OLD])
        .arg(&bad_export)
        .assert()
        .code(2)
        .stderr(
            // The file is named, and the path is inside it.
            predicate::str::contains("new.json").and(predicate::str::contains("`[0].assignments`")),
        );
}

/// A fresh directory under the target directory for one test.
fn tempfile_dir(name: &str) -> PathBuf {
    let dir = root()
        .join("target")
        .join("cli-tests")
        .join(format!("reconcile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
