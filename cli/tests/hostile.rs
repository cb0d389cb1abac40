#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The hostile-input matrix (tests/hostile/make.py) through the `adaccess` binary: each case
//! ends in exit 2 with its error code (and path) on stderr, or in a result (exit 0 or 1 with
//! JSON on stdout), within a time bound. Never a panic, an abort or a hang.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn matrix() -> (PathBuf, Vec<Value>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile");
    let status = Command::new("python3")
        .arg(root.join("tests/hostile/make.py"))
        .arg(&out)
        .stdout(Stdio::null())
        .status()
        .expect("python3 runs tests/hostile/make.py");
    assert!(status.success());
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    let cases: Vec<Value> = serde_json::from_str(&manifest).unwrap();
    (out, cases)
}

/// Runs the binary, killing it when it outlives `limit`.
fn run(args: &[&str], limit: Duration) -> (i32, String, String, Duration) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_adaccess"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain both pipes on threads, so a large output cannot block the child.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).ok();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).ok();
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            child.kill().ok();
            panic!("adaccess {args:?} still ran after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let code = status
        .code()
        .unwrap_or_else(|| panic!("adaccess {args:?} was killed by a signal: {status:?}"));
    (
        code,
        out.join().unwrap(),
        err.join().unwrap(),
        start.elapsed(),
    )
}

#[test]
fn every_hostile_input_ends_in_a_coded_error_or_a_result() {
    let (dir, cases) = matrix();
    assert!(cases.len() >= 30, "the matrix has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let file = dir.join(case["file"].as_str().unwrap());
        let file = file.to_str().unwrap();
        let args: Vec<&str> = match case["op"].as_str().unwrap() {
            "validate" => vec!["validate", file, "-f", "json"],
            "assess" => vec!["assess", file, "-f", "json"],
            "profile" => vec!["check-profile", file],
            "export" => vec!["audit", file, "--now", "2026-11-22", "-f", "json"],
            other => panic!("unknown op {other}"),
        };
        // Debug builds are slow; the bound is for hangs and blow-ups, not speed.
        let (code, stdout, stderr, took) = run(&args, Duration::from_secs(60));
        let expect = &case["expect"];
        let problem = if let Some(want) = expect["error"].as_str() {
            let tail = format!("[{want}]");
            if code != 2 {
                Some(format!("exit {code}, expected 2"))
            } else if !stderr.trim_end().ends_with(&tail) {
                Some(format!("stderr does not end with {tail}: {stderr}"))
            } else if stderr.contains("panicked") {
                Some(format!("a panic: {stderr}"))
            } else if let Some(path) = expect["path"].as_str() {
                (!stderr.contains(path)).then(|| format!("stderr does not name {path}: {stderr}"))
            } else {
                None
            }
        } else if code != 0 && code != 1 {
            Some(format!("exit {code}, expected a result: {stderr}"))
        } else if serde_json::from_str::<Value>(&stdout).is_err() {
            Some("stdout is not JSON".to_string())
        } else {
            None
        };
        eprintln!("{name}: exit {code} in {took:?}");
        if let Some(p) = problem {
            failures.push(format!("{name}: {p}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
