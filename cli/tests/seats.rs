#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `adaccess audit` over many seats, and its streamed outputs (JSON lines, HTML).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(name)
}

fn adaccess() -> Command {
    let mut cmd = Command::cargo_bin("adaccess").unwrap();
    cmd.env_remove("COLUMNS");
    cmd
}

/// A folder with two DV360 seats (one with its directory beside it) and a T1 seat.
fn seats(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("adaccess-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(data("dv360_users_list.json"), dir.join("north.json")).unwrap();
    std::fs::copy(
        data("dv360_directory.json"),
        dir.join("north.directory.json"),
    )
    .unwrap();
    std::fs::copy(data("dv360_users_list.json"), dir.join("south.json")).unwrap();
    std::fs::copy(data("t1_permissions.json"), dir.join("mm.json")).unwrap();
    dir
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = adaccess().args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The single-seat JSON report of one export, for comparison.
fn alone(args: &[&str]) -> Value {
    let (_, out, _) = run(&[&["audit", "--now", "2026-11-22", "-f", "json"], args].concat());
    serde_json::from_str(&out).unwrap()
}

#[test]
fn a_folder_is_many_seats_each_answered_as_alone() {
    let dir = seats("folder");
    let d = dir.display().to_string();
    let (status, out, err) = run(&["audit", &d, "--now", "2026-11-22", "-f", "json"]);
    assert_eq!(status, 1, "error findings");
    assert_eq!(err, "", "no progress bar when stderr is not a terminal");
    let v: Value = serde_json::from_str(&out).unwrap();
    let names: Vec<&str> = v["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["seat"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["mm", "north", "south"]);
    let seat = |n: usize| &v["seats"][n];
    let north = dir.join("north.json").display().to_string();
    let north_dir = dir.join("north.directory.json").display().to_string();
    assert_eq!(
        seat(1)["report"],
        alone(&[&north, "--directory", &north_dir])
    );
    let south = dir.join("south.json").display().to_string();
    assert_eq!(seat(2)["report"], alone(&[&south]));
    assert_ne!(
        seat(1)["report"],
        seat(2)["report"],
        "the directory beside north is used"
    );
    let mm = dir.join("mm.json").display().to_string();
    assert_eq!(seat(0)["profile"], "mediamath");
    assert_eq!(seat(0)["report"], alone(&[&mm, "--profile", "mediamath"]));
    assert_eq!(v["summary"]["seats"], 3);
    let users: u64 = (0..3)
        .map(|n| seat(n)["report"]["users"].as_u64().unwrap())
        .sum();
    assert_eq!(v["summary"]["users"], users);
}

#[test]
fn text_csv_jsonl_and_html_carry_the_seat() {
    let dir = seats("formats");
    let d = dir.display().to_string();
    let json: Value =
        serde_json::from_str(&run(&["audit", &d, "--now", "2026-11-22", "-f", "json"]).1).unwrap();
    let total: usize = json["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["report"]["findings"].as_array().unwrap().len())
        .sum();

    let (status, text, _) = run(&["audit", &d, "--now", "2026-11-22"]);
    assert_eq!(status, 1);
    assert!(text.starts_with("access review: 3 seat(s), "), "{text}");
    for name in ["mm", "north", "south"] {
        assert!(text.lines().any(|l| l.starts_with(name)), "{name}: {text}");
    }

    let (_, csv, _) = run(&["audit", &d, "--now", "2026-11-22", "-f", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("seat,severity,code,user,path,message"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), total);
    assert!(rows.iter().any(|r| r.starts_with("mm,")));

    let (_, jsonl, _) = run(&["audit", &d, "--now", "2026-11-22", "-f", "jsonl"]);
    let lines: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let findings = lines.iter().filter(|l| l.get("code").is_some()).count();
    assert_eq!(findings, total);
    assert!(lines
        .iter()
        .filter(|l| l.get("code").is_some())
        .all(|l| l["seat"].is_string()));
    let last = lines.last().unwrap();
    assert_eq!(
        last["summary"], json["summary"],
        "the combined summary comes last"
    );

    let (_, html, _) = run(&["audit", &d, "--now", "2026-11-22", "-f", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"));
    for name in ["mm", "north", "south"] {
        assert!(html.contains(name));
    }
}

#[test]
fn one_export_as_json_lines_holds_the_report_findings() {
    let export = data("dv360_users_list.json").display().to_string();
    let directory = data("dv360_directory.json").display().to_string();
    let report = alone(&[&export, "--directory", &directory]);
    let (status, out, _) = run(&[
        "audit",
        &export,
        "--directory",
        &directory,
        "--now",
        "2026-11-22",
        "-f",
        "jsonl",
    ]);
    assert_eq!(status, 1);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (end, findings) = lines.split_last().unwrap();
    assert_eq!(end["summary"], report["summary"]);
    assert_eq!(end["users"], report["users"]);
    let mut got: Vec<String> = findings.iter().map(|f| f.to_string()).collect();
    let mut want: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.to_string())
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn many_seats_refuse_what_only_one_export_takes_and_report_broken_seats() {
    let dir = seats("errors");
    let d = dir.display().to_string();
    let (status, _, err) = run(&["audit", &d, "--directory", "x.json"]);
    assert_eq!(status, 2);
    assert!(err.contains("--directory applies to one export"), "{err}");
    let (status, _, err) = run(&["audit", &d, "-"]);
    assert_eq!(status, 2);
    assert!(err.contains("standard input"), "{err}");
    let (status, _, err) = run(&["audit", &format!("{d}/none-*.json")]);
    assert_eq!(status, 2);
    assert!(err.contains("seats.not_found"), "{err}");

    std::fs::write(dir.join("broken.json"), "[{\"users\": [").unwrap();
    let (status, out, err) = run(&["audit", &d, "--now", "2026-11-22", "-f", "json"]);
    assert_eq!(status, 2, "a seat could not be reviewed");
    assert!(err.contains("seat broken:"), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["seats"].as_array().unwrap().len(),
        3,
        "the others are reviewed"
    );
    assert_eq!(v["failed"][0]["seat"], "broken");
    assert_eq!(v["failed"][0]["error"]["code"], "ingest.syntax");
}
