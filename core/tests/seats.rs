#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Many seats: which files are seats, the profile and directory each gets, and that a streamed
//! review (one seat, or many in parallel) answers what `Engine::audit` answers for the same
//! users.

use std::fs::File;
use std::path::{Path, PathBuf};

use adaccess_core::ingest::{read_export, Source};
use adaccess_core::seats::{audit_seats_report, find_seats, SeatOptions, SeatsError};
use adaccess_core::{AdaccessError, AuditCall, Directory, Engine, Profile, Timestamp};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(name)
}

/// A fresh folder under the system's temporary folder.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("adaccess-seats-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A fresh folder with two seats of the sample data: `north` (DV360, its directory beside it)
/// and `mm` (a T1 export, which carries its own).
fn sample_seats(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::copy(data("dv360_users_list.json"), dir.join("north.json")).unwrap();
    std::fs::copy(
        data("dv360_directory.json"),
        dir.join("north.directory.json"),
    )
    .unwrap();
    std::fs::copy(data("t1_permissions.json"), dir.join("mm.json")).unwrap();
    dir
}

fn call() -> AuditCall {
    AuditCall {
        now: Some(Timestamp::parse("2026-11-22").unwrap()),
        ..AuditCall::default()
    }
}

/// The report `Engine::audit` gives for an export read whole.
fn whole_report(profile: &str, export: &Path, directory: Option<&Path>) -> adaccess_core::Report {
    let profile = Profile::builtin(profile).unwrap();
    let read = read_export(&profile, &std::fs::read(export).unwrap()).unwrap();
    let directory: Option<Directory> = match directory {
        Some(d) => Some(serde_json::from_str(&std::fs::read_to_string(d).unwrap()).unwrap()),
        None => read.directory,
    };
    Engine::new(profile, directory.as_ref())
        .unwrap()
        .audit_with(&read.users, &call())
}

#[test]
fn a_streamed_review_answers_what_audit_answers() {
    for (profile, export, directory) in [
        (
            "dv360",
            "dv360_users_list.json",
            Some("dv360_directory.json"),
        ),
        ("dv360", "dv360_users_list.json", None),
        ("mediamath", "t1_permissions.json", None),
        (
            "mediamath",
            "mediamath_users.csv",
            Some("mediamath_directory.json"),
        ),
    ] {
        let export = data(export);
        let directory = directory.map(data);
        let expected = whole_report(profile, &export, directory.as_deref());
        let d: Option<Directory> = directory
            .as_ref()
            .map(|d| serde_json::from_str(&std::fs::read_to_string(d).unwrap()).unwrap());
        let engine = Engine::new(Profile::builtin(profile).unwrap(), d.as_ref()).unwrap();
        let file = File::open(&export).unwrap();
        let (_, report) = engine
            .audit_source(
                Source::File {
                    file,
                    path: &export,
                },
                &call(),
            )
            .unwrap();
        assert_eq!(report, expected, "{}", export.display());
        assert!(!report.findings.is_empty());
    }
}

#[test]
fn the_stream_hands_on_user_findings_in_export_order_and_the_seat_findings_last() {
    let export = data("dv360_users_list.json");
    let directory: Directory =
        serde_json::from_str(&std::fs::read_to_string(data("dv360_directory.json")).unwrap())
            .unwrap();
    let engine = Engine::new(Profile::builtin("dv360").unwrap(), Some(&directory)).unwrap();
    let mut seen = Vec::new();
    let streamed = engine
        .audit_stream(
            Source::File {
                file: File::open(&export).unwrap(),
                path: &export,
            },
            &call(),
            &mut |batch: &[adaccess_core::Finding]| -> Result<(), ()> {
                seen.extend_from_slice(batch);
                Ok(())
            },
        )
        .unwrap();
    let index = |path: &str| -> usize {
        path.trim_start_matches('[')
            .split(']')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let order: Vec<usize> = seen
        .iter()
        .map(|f| index(f.path.as_deref().unwrap()))
        .collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
    assert!(seen.iter().all(|f| f.user.is_some()));
    assert!(!streamed.seat.is_empty());
    assert!(streamed.seat.iter().all(|f| f.user.is_none()));
    let total: usize = streamed.summary.by_severity.values().sum();
    assert_eq!(total, seen.len() + streamed.seat.len());

    // A sink that fails stops the review with its own error.
    let failed = engine.audit_stream(
        Source::File {
            file: File::open(&export).unwrap(),
            path: &export,
        },
        &call(),
        &mut |_: &[adaccess_core::Finding]| Err("disk full"),
    );
    assert_eq!(failed.unwrap_err().info().message, "disk full");
}

#[test]
fn seats_are_found_by_file_folder_manifest_and_pattern() {
    let dir = sample_seats("find");
    std::fs::write(dir.join("notes.txt"), "not an export").unwrap();

    // A folder: every export but directories, in name order, each with the directory beside it.
    let seats = find_seats(&[dir.display().to_string()]).unwrap();
    let names: Vec<&str> = seats.iter().map(|s| s.seat.as_str()).collect();
    assert_eq!(names, ["mm", "north"]);
    assert_eq!(seats[1].directory, Some(dir.join("north.directory.json")));
    assert_eq!(seats[0].directory, None);

    // A pattern, and a single file.
    let pattern = format!("{}/n*.json", dir.display());
    let seats = find_seats(&[pattern]).unwrap();
    assert_eq!(seats.len(), 1);
    assert_eq!(seats[0].seat, "north");
    let one = find_seats(&[dir.join("mm.json").display().to_string()]).unwrap();
    assert_eq!(one[0].seat, "mm");

    // A manifest wins over the folder's files, with names and profiles of its own.
    std::fs::write(
        dir.join("seats.json"),
        r#"{"seats": [{"seat": "Northwind DV360", "export": "north.json"},
                      {"export": "mm.json", "profile": "mediamath"}]}"#,
    )
    .unwrap();
    let seats = find_seats(&[dir.display().to_string()]).unwrap();
    assert_eq!(seats[0].seat, "Northwind DV360");
    assert_eq!(seats[0].directory, Some(dir.join("north.directory.json")));
    assert_eq!(seats[1].profile.as_deref(), Some("mediamath"));

    // Errors say where.
    std::fs::write(
        dir.join("seats.json"),
        r#"{"seats": [{"export": "north.json"}, {"export": "gone.json"}]}"#,
    )
    .unwrap();
    let e = find_seats(&[dir.display().to_string()]).unwrap_err();
    assert_eq!(e.code(), "seats.manifest");
    assert_eq!(e.path(), Some("seats[1].export"));
    std::fs::write(dir.join("seats.json"), r#"{"seats": [{"exprt": "x"}]}"#).unwrap();
    let e = find_seats(&[dir.display().to_string()]).unwrap_err();
    assert_eq!(e.code(), "seats.manifest");
    assert_eq!(e.path(), Some("seats[0].exprt"));
    std::fs::remove_file(dir.join("seats.json")).unwrap();
    let twice = [
        dir.join("north.json").display().to_string(),
        dir.display().to_string(),
    ];
    assert!(matches!(
        find_seats(&twice).unwrap_err(),
        SeatsError::Duplicate { .. }
    ));
    let e = find_seats(&[dir.join("nothing-*.json").display().to_string()]).unwrap_err();
    assert_eq!(e.code(), "seats.not_found");
    let e = find_seats(&[dir.join("missing.json").display().to_string()]).unwrap_err();
    assert_eq!(e.code(), "seats.not_found");
}

#[test]
fn many_seats_answer_what_each_seat_answers_alone() {
    let dir = sample_seats("many");
    std::fs::write(dir.join("broken.json"), "[{\"users\": [").unwrap();
    let seats = find_seats(&[dir.display().to_string()]).unwrap();
    let options = SeatOptions {
        call: call(),
        ..SeatOptions::default()
    };
    let report = audit_seats_report(&seats, &options);

    // The T1 export gets the MediaMath profile and its own directory, from its format.
    let mm = report.seats.iter().find(|s| s.seat == "mm").unwrap();
    assert_eq!(mm.profile, "mediamath");
    assert_eq!(
        mm.report,
        whole_report("mediamath", &dir.join("mm.json"), None)
    );
    let north = report.seats.iter().find(|s| s.seat == "north").unwrap();
    assert_eq!(north.profile, "dv360");
    assert_eq!(
        north.report,
        whole_report(
            "dv360",
            &dir.join("north.json"),
            Some(&dir.join("north.directory.json"))
        )
    );

    // A broken seat is reported with its error; the others are still reviewed.
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].seat, "broken");
    assert_eq!(report.failed[0].error.code, "ingest.syntax");
    assert_eq!(report.summary.seats, 2);
    assert_eq!(report.summary.failed, 1);
    assert_eq!(report.summary.users, mm.report.users + north.report.users);
    let rows: Vec<&str> = report
        .summary
        .rows
        .iter()
        .map(|r| r.seat.as_str())
        .collect();
    assert_eq!(rows, ["mm", "north"]);
    for (code, n) in &report.summary.by_code {
        let each = mm.report.summary.by_code.get(code).unwrap_or(&0)
            + north.report.summary.by_code.get(code).unwrap_or(&0);
        assert_eq!(*n, each, "{code}");
    }

    // The caller's profile wins over the format's.
    let forced = audit_seats_report(
        &seats,
        &SeatOptions {
            profile: Some(Profile::builtin("dv360").unwrap()),
            call: call(),
            directory: None,
        },
    );
    assert!(forced.seats.iter().all(|s| s.profile == "dv360"));
}
