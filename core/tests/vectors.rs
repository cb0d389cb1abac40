#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Replays every shared vector in `tests/vectors/` against the Rust API.

use std::path::{Path, PathBuf};

use adaccess_core::error::AdaccessError;
use adaccess_core::parse_json;
use adaccess_core::{
    log, Activity, AssessOptions, AuditCall, AuditOptions, Change, Directory, Engine, EntityRef,
    ErrorInfo, PreparedUser, Profile, ReconcileOptions, Snapshots, Timestamp, User,
};
use serde::Deserialize;
use serde_json::{json, Value};

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

fn err(e: &dyn AdaccessError) -> Value {
    let info: ErrorInfo = e.info();
    json!({ "error": info })
}

fn with_codes(mut v: Value) -> Value {
    let codes: Vec<Value> = v["findings"]
        .as_array()
        .map(|f| f.iter().map(|x| x["code"].clone()).collect())
        .unwrap_or_default();
    v["codes"] = Value::Array(codes);
    v
}

#[derive(Deserialize)]
struct CanInput {
    user: User,
    capability: String,
    level: String,
    entity: EntityRef,
}

#[derive(Deserialize)]
struct WhoCanInput {
    users: Vec<User>,
    capability: String,
    level: String,
    entity: EntityRef,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditInput {
    users: Vec<User>,
    #[serde(default)]
    now: Option<Timestamp>,
    #[serde(default)]
    activity: Option<Vec<Activity>>,
    #[serde(default)]
    options: AuditOptions,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditExportInput {
    /// Relative to the repository root.
    file: String,
    #[serde(default)]
    now: Option<Timestamp>,
    #[serde(default)]
    activity: Option<Vec<Activity>>,
    #[serde(default)]
    options: AuditOptions,
}

/// Two exports of a seat, each any document `read_export` reads.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DriftInput {
    old: Value,
    new: Value,
    #[serde(default)]
    now: Option<Timestamp>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReconcileInput {
    old: Value,
    new: Value,
    /// The access log's text (JSON Lines).
    log: String,
    #[serde(default)]
    old_date: Option<Timestamp>,
    #[serde(default)]
    new_date: Option<Timestamp>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyInput {
    log: String,
    #[serde(default)]
    head: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LogEntryInput {
    change: Change,
    clock: Timestamp,
}

#[derive(Deserialize)]
struct RedactInput {
    user: User,
    entity: EntityRef,
    record: Value,
}

/// Documents are read from JSON text, as the CLI and the bindings read them.
macro_rules! parse {
    ($v:expr, $t:ty, $prefix:expr) => {
        match parse_json::<$t>(&$v.to_string(), $prefix) {
            Ok(x) => x,
            Err(e) => return err(&e),
        }
    };
}

/// Runs one vector's operation and returns the actual output.
fn run(vector: &Value) -> Value {
    let profile = match &vector["profile"] {
        Value::String(id) => Profile::builtin(id),
        other => Profile::from_json(&other.to_string()),
    };
    let op = vector["op"].as_str().unwrap_or_default();
    let input = vector["input"].clone();
    if op == "load_profile" {
        return match Profile::from_json(&input.to_string()) {
            Ok(p) => json!({"ok": true, "id": p.id()}),
            Err(e) => err(&e),
        };
    }
    let profile = match profile {
        Ok(p) => p,
        Err(e) => return err(&e),
    };
    let directory = match &vector["directory"] {
        Value::Null => None,
        d => Some(parse!(d.clone(), Directory, "directory")),
    };
    let engine = match Engine::new(profile, directory.as_ref()) {
        Ok(e) => e,
        Err(e) => return err(&e),
    };
    match op {
        "validate_user" => {
            let user = parse!(input, User, "");
            with_codes(json!(engine.validate_user(&user)))
        }
        "effective" => {
            let user = parse!(input, User, "");
            same_prepared(
                json!({"rows": engine.effective(&user)}),
                json!({"rows": engine.user(user).effective()}),
            )
        }
        "can" => {
            let i = parse!(input, CanInput, "");
            let prepared = engine.user(i.user.clone());
            let answer = engine.can(&i.user, &i.capability, &i.level, &i.entity);
            same_prepared(
                json!(answer),
                json!(prepared.can(&i.capability, &i.level, &i.entity)),
            )
        }
        "who_can" => {
            let i = parse!(input, WhoCanInput, "");
            let prepared: Vec<_> = i.users.iter().map(|u| engine.user(u.clone())).collect();
            same_prepared(
                json!({"users": engine.who_can(&i.users, &i.capability, &i.level, &i.entity)}),
                json!({"users": PreparedUser::who_can(&prepared, &i.capability, &i.level, &i.entity)}),
            )
        }
        "redact" => {
            let i = parse!(input, RedactInput, "");
            let prepared = engine.user(i.user.clone());
            same_prepared(
                json!({"record": engine.redact(&i.user, &i.entity, &i.record)}),
                json!({"record": prepared.redact(&i.entity, &i.record)}),
            )
        }
        "assess" => {
            let change = parse!(input, Change, "");
            let options = parse!(vector["options"].clone(), Option<AssessOptions>, "options");
            with_codes(json!(
                engine.assess_with(&change, &options.unwrap_or_default())
            ))
        }
        "audit" => {
            let i = parse!(input, AuditInput, "");
            with_codes(json!(engine.audit(
                &i.users,
                i.now.as_ref(),
                i.activity.as_deref(),
                &i.options
            )))
        }
        "audit_export" => {
            let i = parse!(input, AuditExportInput, "");
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
            let bytes = std::fs::read(root.join(&i.file)).expect("the vector's export file");
            // The one call every face makes: the export's own directory is used when the
            // engine has none.
            let call = AuditCall {
                now: i.now,
                activity: i.activity,
                dormant_days: Some(i.options.dormant_days),
            };
            match engine.audit_export(&bytes, &call) {
                Ok((_, report)) => with_codes(json!(report)),
                Err(e) => json!({ "error": e.info() }),
            }
        }
        "drift" => {
            let i = parse!(input, DriftInput, "");
            let (old, new) = (i.old.to_string(), i.new.to_string());
            let snapshots = Snapshots {
                old: old.as_bytes(),
                new: new.as_bytes(),
            };
            match engine.drift_exports(&snapshots, i.now.as_ref()) {
                Ok(d) => json!(d),
                Err(e) => err(&e),
            }
        }
        "reconcile" => {
            let i = parse!(input, ReconcileInput, "");
            let (old, new) = (i.old.to_string(), i.new.to_string());
            let snapshots = Snapshots {
                old: old.as_bytes(),
                new: new.as_bytes(),
            };
            let options = ReconcileOptions {
                old_date: i.old_date,
                new_date: i.new_date,
            };
            match engine.reconcile_exports(&snapshots, &i.log, &options) {
                Ok(r) => with_codes(json!(r)),
                Err(e) => err(&e),
            }
        }
        "verify_log" => {
            let i = parse!(input, VerifyInput, "");
            json!(log::verify(&i.log, i.head.as_deref()))
        }
        "log_entry" => {
            let i = parse!(input, LogEntryInput, "");
            match engine.log_entry(&i.change, &i.clock) {
                Ok(entry) => json!(entry),
                Err(e) => err(&e),
            }
        }
        other => json!({"error": {"code": "vector.unknown_op", "message": other}}),
    }
}

/// The answer of a plain call, when the prepared user's answer is the same; an error that
/// fails the vector otherwise.
fn same_prepared(plain: Value, prepared: Value) -> Value {
    if plain == prepared {
        plain
    } else {
        json!({"error": {"code": "vector.prepared_differs", "message": format!("plain {plain}, prepared {prepared}")}})
    }
}

/// Subset match; returns the path of the first mismatch.
fn matches(expected: &Value, actual: &Value, path: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let av = a.get(k).unwrap_or(&Value::Null);
                matches(ev, av, &format!("{path}.{k}"))?;
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!(
                    "{path}: expected {} items, got {}: {}",
                    e.len(),
                    a.len(),
                    actual
                ));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                matches(ev, av, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        (e, a) if e == a => Ok(()),
        (e, a) => Err(format!("{path}: expected {e}, got {a}")),
    }
}

#[test]
fn shared_vectors() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(vectors_dir())
        .expect("tests/vectors exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut count = 0;
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable vector file");
        let doc: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let vectors = match doc {
            Value::Array(v) => v,
            v => vec![v],
        };
        for v in &vectors {
            count += 1;
            let actual = run(v);
            if let Err(msg) = matches(&v["expected"], &actual, "") {
                failures.push(format!(
                    "{} / {}: {msg}\n  actual: {}",
                    file.file_name().unwrap_or_default().to_string_lossy(),
                    v["name"].as_str().unwrap_or("?"),
                    serde_json::to_string(&actual).unwrap_or_default()
                ));
            }
        }
    }
    assert!(count > 0, "no vectors found");
    assert!(
        failures.is_empty(),
        "{} of {count} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{count} vectors passed");
}
