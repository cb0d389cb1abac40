//! Writes the second snapshot and the access log of the reconciliation benchmark, from a
//! `users.list` export written by `gen_dv360_export`:
//!
//! ```text
//! cargo run --release -p adaccess-core --example gen_reconcile -- \
//!     --old target/bench/users_100k.json --directory target/bench/directory_100k.json \
//!     --new-out target/bench/users_100k_later.json --log-out target/bench/access-log_10k.jsonl
//! ```
//!
//! The later snapshot changes one role of every tenth user (READ_ONLY and STANDARD swap,
//! any other role becomes READ_ONLY), removes 300 users and adds 300; the log holds the
//! entries of all but 1 in 20 of those changes, dated between the snapshots, so the
//! reconciliation has about 10,000 entries to match, unlogged changes to report and
//! approvals to check. The same input always gives the same bytes.

use std::error::Error;
use std::path::PathBuf;

use adaccess_core::ingest::read_export;
use adaccess_core::{log, Change, Directory, Engine, Profile, Timestamp, User};
use serde_json::Value;

struct Args {
    old: PathBuf,
    directory: PathBuf,
    new_out: PathBuf,
    log_out: PathBuf,
}

fn parse_args() -> Result<Args, Box<dyn Error>> {
    let mut args = Args {
        old: "target/bench/users_100k.json".into(),
        directory: "target/bench/directory_100k.json".into(),
        new_out: "target/bench/users_100k_later.json".into(),
        log_out: "target/bench/access-log_10k.jsonl".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--old" => args.old = value.into(),
            "--directory" => args.directory = value.into(),
            "--new-out" => args.new_out = value.into(),
            "--log-out" => args.log_out = value.into(),
            other => return Err(format!("unknown argument `{other}`").into()),
        }
    }
    Ok(args)
}

fn main() -> Result<(), Box<dyn Error>> {
    let args = parse_args()?;
    let old_bytes = std::fs::read(&args.old)?;
    let mut pages: Vec<Value> = serde_json::from_slice(&old_bytes)?;

    // Every tenth user gets another role on its first assignment; 300 leave, 300 join.
    let mut index = 0usize;
    let mut removed = 0;
    let mut joiner = None;
    for page in &mut pages {
        let Some(users) = page.get_mut("users").and_then(Value::as_array_mut) else {
            continue;
        };
        users.retain_mut(|u| {
            index += 1;
            if index.is_multiple_of(331) && removed < 300 {
                removed += 1;
                joiner.get_or_insert_with(|| u.clone());
                return false;
            }
            if index.is_multiple_of(10) {
                if let Some(role) = u
                    .pointer_mut("/assignedUserRoles/0/userRole")
                    .filter(|r| r.is_string())
                {
                    let next = if role == "READ_ONLY" {
                        "STANDARD"
                    } else {
                        "READ_ONLY"
                    };
                    *role = Value::from(next);
                }
            }
            true
        });
    }
    if let (Some(template), Some(last)) = (joiner, pages.last_mut()) {
        if let Some(users) = last.get_mut("users").and_then(Value::as_array_mut) {
            for j in 0..300 {
                let mut u = template.clone();
                let id = format!("{}", 900_000_000 + j);
                if let Some(fields) = u.as_object_mut() {
                    fields.insert("userId".into(), Value::from(id.clone()));
                    fields.insert("name".into(), Value::from(format!("users/{id}")));
                    fields.insert(
                        "email".into(),
                        Value::from(format!("joiner{j}@example.com")),
                    );
                }
                users.push(u);
            }
        }
    }
    let new_bytes = serde_json::to_vec(&pages)?;
    std::fs::write(&args.new_out, &new_bytes)?;

    // The log of the changes, as the seat's admins would have written it.
    let profile = Profile::builtin("dv360")?;
    let directory: Directory = serde_json::from_slice(&std::fs::read(&args.directory)?)?;
    let engine = Engine::new(profile.clone(), Some(&directory))?;
    let old = read_export(&profile, &old_bytes)?.users;
    let new = read_export(&profile, &new_bytes)?.users;
    let drift = engine.drift(&old, &new, None)?;
    let clock = Timestamp::parse("2026-10-01")?;
    let mut text = String::new();
    let mut logged = 0;
    for (i, c) in drift.changes.iter().enumerate() {
        if i % 20 == 19 {
            continue;
        }
        let change = Change {
            actor: User::default(),
            reason: Some(format!("ticket OPS-{i}")),
            ..c.change.clone()
        };
        let entry = engine.assess(&log::dated(&change, &clock)).log_entry;
        text.push_str(&log::next_line(&text, &entry));
        logged += 1;
    }
    std::fs::write(&args.log_out, text)?;
    eprintln!(
        "{}: {} users ({} changed, {} added, {} removed); {}: {logged} entries",
        args.new_out.display(),
        new.len(),
        drift.summary.changed,
        drift.summary.added,
        drift.summary.removed,
        args.log_out.display()
    );
    Ok(())
}
