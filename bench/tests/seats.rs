#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The multi-seat generator (`gen-seats`): its answer key `planted.json` is exactly what the
//! access review reports for the planted codes, seat by seat, and the same seed writes the
//! same bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use adaccess_bench::seats::{generate, Options, DV360_CODES, MEDIAMATH_CODES, NOW};
use adaccess_core::ingest::read_export;
use adaccess_core::{AuditOptions, Directory, Engine, Profile, Timestamp};
use serde_json::Value;

/// A fresh folder under the system's temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!(
            "adaccess-seats-{tag}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn small() -> Options {
    Options {
        seats: 6,
        users: 300,
        // Seats 2 and 5 are MediaMath.
        mediamath: 0.34,
        seed: 20_261_122,
        errors: 0.05,
    }
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file of a folder with its bytes, by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_answer_key_is_what_the_review_reports() {
    let tmp = TempDir::new("key");
    let dir = &tmp.0;
    let seats = generate(dir, &small()).unwrap();
    assert_eq!(seats.len(), 6);

    let manifest = read_json(&dir.join("seats.json"));
    let entries = manifest["seats"].as_array().unwrap();
    let names: Vec<&str> = entries
        .iter()
        .map(|e| e["seat"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "dv360-001",
            "mediamath-002",
            "dv360-003",
            "dv360-004",
            "mediamath-005",
            "dv360-006"
        ]
    );
    let key = read_json(&dir.join("planted.json"));
    let key = key.as_object().unwrap();
    assert_eq!(
        key.keys().map(String::as_str).collect::<Vec<_>>(),
        names,
        "planted.json lists the seats in the manifest's order"
    );

    let now = Timestamp::parse(NOW).unwrap();
    // Over all seats, how many of each code were planted.
    let mut planted_total: BTreeMap<String, usize> = BTreeMap::new();
    for entry in entries {
        let seat = entry["seat"].as_str().unwrap();
        let profile_id = entry["profile"].as_str().unwrap();
        let export_path = dir.join(entry["export"].as_str().unwrap());
        let directory_path = entry
            .get("directory")
            .map(|d| dir.join(d.as_str().unwrap()));
        let codes = match profile_id {
            "dv360" => {
                assert!(
                    directory_path.is_some(),
                    "{seat}: a DV360 seat comes with its directory"
                );
                DV360_CODES
            }
            "mediamath" => {
                assert!(
                    directory_path.is_none(),
                    "{seat}: a T1 export carries its own tree"
                );
                MEDIAMATH_CODES
            }
            other => panic!("{seat}: unexpected profile {other}"),
        };
        assert_eq!(entry["export"], format!("{seat}.json"));

        let profile = Profile::builtin(profile_id).unwrap();
        let export = read_export(&profile, &std::fs::read(&export_path).unwrap())
            .unwrap_or_else(|e| panic!("{seat}: {e}"));
        let directory: Option<Directory> = match &directory_path {
            Some(p) => Some(serde_json::from_value(read_json(p)).unwrap()),
            None => export.directory.clone(),
        };
        assert!(directory.is_some(), "{seat}: no entity tree");
        let engine = Engine::new(profile, directory.as_ref()).unwrap();
        let report = engine.audit(&export.users, Some(&now), None, &AuditOptions::default());
        let generated = seats.iter().find(|s| s.entry.seat == seat).unwrap();
        assert_eq!(report.users, generated.users, "{seat}: users");

        // What the review found, by code: the users, or the entity of a seat-wide finding.
        let mut found: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for f in &report.findings {
            let who = match (&f.user, f.data.get("entity")) {
                (Some(user), _) => user.clone(),
                (None, Some(e)) => format!(
                    "{}:{}",
                    e["level"].as_str().unwrap(),
                    e["id"].as_str().unwrap()
                ),
                (None, None) => continue,
            };
            found.entry(f.code.as_str()).or_default().insert(who);
        }

        let planted = key[seat].as_object().unwrap();
        assert_eq!(
            planted.keys().map(String::as_str).collect::<Vec<_>>(),
            codes,
            "{seat}: the key names every plantable code of its platform"
        );
        for (code, ids) in planted {
            let ids: BTreeSet<String> = ids
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            let reported = found.remove(code.as_str()).unwrap_or_default();
            let missed: Vec<_> = ids.difference(&reported).collect();
            let extra: Vec<_> = reported.difference(&ids).collect();
            assert!(
                missed.is_empty() && extra.is_empty(),
                "{seat} {code}: planted but not reported {missed:?}; reported but not planted \
                 {extra:?}"
            );
            *planted_total.entry(code.clone()).or_default() += ids.len();
        }
        // The rest is the background of a real seat: grants of a whole partner or
        // organization, and how many admins each has.
        let rest: Vec<&str> = found.keys().copied().collect();
        assert!(
            rest.iter()
                .all(|c| ["entity.all_granted", "admin.count"].contains(c)),
            "{seat}: unexpected codes {rest:?}"
        );
    }
    // The set is large enough that every code is planted somewhere.
    for code in DV360_CODES.iter().chain(MEDIAMATH_CODES) {
        assert!(
            planted_total.get(*code).is_some_and(|n| *n > 0),
            "{code} is planted nowhere: {planted_total:?}"
        );
    }
}

#[test]
fn one_seed_writes_the_same_bytes() {
    let (a, b, c) = (TempDir::new("a"), TempDir::new("b"), TempDir::new("c"));
    generate(&a.0, &small()).unwrap();
    generate(&b.0, &small()).unwrap();
    let first = files(&a.0);
    assert_eq!(
        first.len(),
        6 + 4 + 2,
        "exports, directories, manifest and key"
    );
    assert!(first == files(&b.0), "two runs with one seed differ");

    // Another seed, other data; and a seat does not depend on how many seats are written.
    let other = Options { seed: 7, ..small() };
    generate(&c.0, &other).unwrap();
    assert!(files(&c.0)["dv360-001.json"] != first["dv360-001.json"]);
    let fewer = TempDir::new("d");
    generate(
        &fewer.0,
        &Options {
            seats: 2,
            ..small()
        },
    )
    .unwrap();
    let fewer = files(&fewer.0);
    assert_eq!(fewer["dv360-001.json"], first["dv360-001.json"]);
    assert_eq!(fewer["mediamath-002.json"], first["mediamath-002.json"]);
}
