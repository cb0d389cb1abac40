//! What the fuzz targets run (`fuzz/`, `scripts/fuzz`), kept in the crate so the regression
//! test `core/tests/fuzz_regressions.rs` replays every kept input through the very same code
//! on stable Rust. Each function must return for any input: an error is a fine answer; a
//! panic, an abort, a hang or a runaway allocation is a bug. Not part of the public API.

use std::sync::{Arc, OnceLock};

use serde_json::json;

use crate::error::parse_json;
use crate::ingest::{read_csv, read_dv360_users, read_export, read_t1};
use crate::model::{Assignment, Change, Directory, DirectoryEntity, EntityRef, Timestamp, User};
use crate::{AssessOptions, AuditOptions, Draft, Edit, EffectiveRows, Engine, Profile};

/// A fuzz target: its name (as `scripts/fuzz` calls it) and what it runs on an input.
pub type Target = (&'static str, fn(&[u8]));

/// The four families (profile, validation, assessment, ingest in three formats).
pub const TARGETS: &[Target] = &[
    ("profile", profile),
    ("validate", validate),
    ("assess", assess),
    ("ingest_dv360", ingest_dv360),
    ("ingest_csv", ingest_csv),
    ("ingest_t1", ingest_t1),
];

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

fn entity(level: &str, id: &str, parent: Option<&str>) -> DirectoryEntity {
    DirectoryEntity {
        level: level.into(),
        id: id.into(),
        parent: parent.map(str::to_string),
        name: None,
    }
}

/// The built-in engines over a small seat each: two top-level entities with children.
fn engines() -> &'static [Engine] {
    static ENGINES: OnceLock<Vec<Engine>> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let seats = [
            (
                "dv360",
                vec![
                    entity("partner", "1", None),
                    entity("advertiser", "11", Some("1")),
                    entity("advertiser", "12", Some("1")),
                    entity("partner", "2", None),
                    entity("advertiser", "21", Some("2")),
                ],
            ),
            (
                "mediamath",
                vec![
                    entity("organization", "1", None),
                    entity("agency", "3", Some("1")),
                    entity("advertiser", "31", Some("3")),
                    entity("agency", "4", Some("1")),
                    entity("advertiser", "41", Some("4")),
                ],
            ),
        ];
        seats
            .into_iter()
            .filter_map(|(id, entities)| {
                let profile = Profile::builtin(id).ok()?;
                Engine::new(profile, Some(&Directory { entities })).ok()
            })
            .collect()
    })
}

fn now() -> Option<Timestamp> {
    Timestamp::parse("2026-11-22T10:00:00Z").ok()
}

/// Everything an engine answers about one user.
fn exercise_user(engine: &Engine, user: &User) {
    let _ = engine.validate_user(user);
    let _ = engine.effective(user);
    let record = json!({"name": "x", "cost": 1, "margin": "2", "nested": {"a": [1, 2]}});
    let mut entities: Vec<EntityRef> = user.assignments.iter().map(|a| a.entity.clone()).collect();
    entities.truncate(4);
    entities.push(EntityRef::new("advertiser", "11"));
    for target in &entities {
        for cap in engine.profile().capabilities().iter().take(3) {
            for level in &cap.levels {
                let _ = engine.can(user, &cap.id, level, target);
            }
        }
        let _ = engine.can(user, "no-such-capability", "write", target);
        let _ = engine.redact(user, target, &record);
    }
    let _ = engine.audit(
        std::slice::from_ref(user),
        now().as_ref(),
        None,
        &AuditOptions::default(),
    );
}

/// A profile document: loaded and checked; when valid, an engine over a seat built from its
/// levels answers for users holding each of its roles. Also read as a directory for the
/// built-in profiles.
pub fn profile(data: &[u8]) {
    let Some(text) = text(data) else {
        return;
    };
    for engine in engines() {
        if let Ok(directory) = parse_json::<Directory>(text, "directory") {
            let _ = Engine::new(engine.profile().clone(), Some(&directory));
        }
    }
    let Ok(profile) = Profile::from_json(text) else {
        return;
    };
    // One entity per level, each the child of the one above.
    let mut entities = Vec::new();
    let mut parent: Option<String> = None;
    for (i, level) in profile.levels().iter().enumerate() {
        let id = format!("e{i}");
        entities.push(entity(level, &id, parent.as_deref()));
        parent = Some(id);
    }
    let Ok(engine) = Engine::new(
        profile,
        Some(&Directory {
            entities: entities.clone(),
        }),
    ) else {
        return;
    };
    let roles: Vec<String> = engine
        .profile()
        .roles()
        .iter()
        .map(|r| r.id.clone())
        .collect();
    for (i, role) in roles.iter().enumerate().take(8) {
        let user = User {
            id: format!("u{i}"),
            email: format!("u{i}@example.com"),
            assignments: entities
                .iter()
                .map(|e| Assignment {
                    entity: EntityRef::new(e.level.clone(), e.id.clone()),
                    role: role.clone(),
                })
                .collect(),
            ..User::default()
        };
        exercise_user(&engine, &user);
        let change = Change {
            actor: user.clone(),
            before: None,
            after: Some(user),
            reason: Some("fuzz".into()),
            approvals: Vec::new(),
            temporary: None,
            now: now(),
            population: None,
            activity: None,
        };
        let _ = engine.assess(&change);
    }
}

/// A user document, validated and evaluated by both built-in profiles.
pub fn validate(data: &[u8]) {
    let Some(text) = text(data) else {
        return;
    };
    let Ok(user) = parse_json::<User>(text, "") else {
        return;
    };
    for engine in engines() {
        exercise_user(engine, &user);
    }
}

/// A change document, assessed by both built-in profiles, with every matrix option; then
/// drafted and edited, each check held to a check from scratch.
pub fn assess(data: &[u8]) {
    let Some(text) = text(data) else {
        return;
    };
    let Ok(change) = parse_json::<Change>(text, "") else {
        return;
    };
    for engine in engines() {
        for effective in [EffectiveRows::All, EffectiveRows::Changed] {
            let _ = engine.assess_with(&change, &AssessOptions { effective });
        }
        draft_agrees(engine, &change);
    }
}

/// A draft of the change, edited, checks as the engine checks the same change from scratch.
/// A difference is a bug, reported as a panic (how a fuzz target reports one).
#[allow(clippy::panic)]
fn draft_agrees(engine: &Engine, change: &Change) {
    let mut draft = Draft::new(Arc::new(engine.clone()), change.clone());
    let first = change
        .after
        .as_ref()
        .and_then(|u| u.assignments.first())
        .cloned();
    let count = change.after.as_ref().map_or(0, |u| u.assignments.len());
    let mut edits = vec![
        Edit::SetRole {
            index: 0,
            role: "admin".into(),
        },
        Edit::SetToggle {
            toggle: "billing".into(),
            on: true,
        },
        Edit::RemoveAssignment {
            index: count.saturating_sub(1),
        },
    ];
    if let Some(a) = first {
        edits.push(Edit::SetAssignment {
            index: count,
            assignment: a,
        });
    }
    edits.push(Edit::SetAfter {
        after: change.before.clone().map(Box::new),
    });
    for edit in edits {
        let _ = draft.edit(edit);
        if draft.check() != engine.check(draft.change()) {
            panic!("a draft's check differs from the engine's on the same change");
        }
    }
}

/// The access review of an export, over the export's own directory when it brings one.
fn audit_export(engine: &Engine, users: &[User], directory: Option<&Directory>) {
    let audit = |e: &Engine| e.audit(users, now().as_ref(), None, &AuditOptions::default());
    match directory {
        Some(d) => {
            if let Ok(e) = Engine::new(engine.profile().clone(), Some(d)) {
                let _ = audit(&e);
            }
        }
        // The engine as it is: no copy of its profile and tree for every input.
        None => {
            let _ = audit(engine);
        }
    }
}

/// Reads the bytes as an export of any format, as the CLI and the bindings do.
fn any_export(data: &[u8]) {
    for engine in engines() {
        if let Ok(export) = read_export(engine.profile(), data) {
            audit_export(engine, &export.users, export.directory.as_ref());
        }
    }
}

/// A DV360 users.list response (one page or many), then its access review.
pub fn ingest_dv360(data: &[u8]) {
    if let (Some(text), Some(engine)) = (text(data), engines().first()) {
        if let Ok(users) = read_dv360_users(engine.profile(), text) {
            audit_export(engine, &users, None);
        }
    }
    any_export(data);
}

/// A CSV export (bytes, any encoding the reader accepts), then its access review.
pub fn ingest_csv(data: &[u8]) {
    for engine in engines() {
        if let Ok(users) = read_csv(engine.profile(), data) {
            audit_export(engine, &users, None);
        }
    }
    any_export(data);
}

/// A MediaMath T1 permissions or users export, then its access review.
pub fn ingest_t1(data: &[u8]) {
    if let (Some(text), Some(engine)) = (text(data), engines().get(1)) {
        if let Ok(export) = read_t1(engine.profile(), text) {
            audit_export(engine, &export.users, export.directory.as_ref());
        }
    }
    any_export(data);
}
