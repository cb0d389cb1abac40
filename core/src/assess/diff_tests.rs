//! Tests of the diff (`diff::compute`): the paths it names and the changes it finds, against
//! a plain scan of the assignments.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]
use super::diff::{self, Side};
use crate::keys::{first_assignments, Keys};
use crate::model::{Assignment, EntityRef, User};
use crate::{Engine, Profile};

/// A path names the first assignment on the entity, whichever side, repeats included, as a
/// scan of the assignments would.
#[test]
fn paths_name_the_first_assignment_on_an_entity() {
    let user = |n: usize, modulo: usize| User {
        assignments: (0..n)
            .map(|i| Assignment {
                entity: EntityRef::new("advertiser", (i % modulo).to_string()),
                role: "standard".into(),
            })
            .collect(),
        ..User::default()
    };
    let (before, after) = (user(60, 40), user(30, 25));
    let engine = Engine::new(Profile::builtin("dv360").unwrap(), None).unwrap();
    let mut keys = Keys::new(&engine);
    let (before_slots, after_slots) = (
        keys.slots(&engine, &before.assignments),
        keys.slots(&engine, &after.assignments),
    );
    let (grid_before, grid_after) = (
        engine.grid(&before, &before_slots),
        engine.grid(&after, &after_slots),
    );
    let (before_first, after_first) = (
        first_assignments(&before_slots),
        first_assignments(&after_slots),
    );
    let before_side = Side {
        user: &before,
        slots: &before_slots,
        grid: &grid_before,
        first: &before_first,
    };
    let after_side = Side {
        user: &after,
        slots: &after_slots,
        grid: &grid_after,
        first: &after_first,
    };
    let computed = diff::compute(&engine, &keys, &before_side, &after_side);
    let path = |after: bool, e: &EntityRef| match keys.find(&engine, e) {
        Some(k) if after => computed.after_path(k),
        Some(k) => computed.before_path(k),
        None => "?".to_string(),
    };
    let scan = |side: &str, u: &User, e: &EntityRef| match u
        .assignments
        .iter()
        .position(|a| &a.entity == e)
    {
        Some(i) => format!("{side}.assignments[{i}]"),
        None => format!("{side}.assignments"),
    };
    for id in 0..45 {
        let entity = EntityRef::new("advertiser", id.to_string());
        if id < 40 {
            assert_eq!(path(false, &entity), scan("before", &before, &entity));
            assert_eq!(path(true, &entity), scan("after", &after, &entity));
        } else {
            // Never met: no key.
            assert_eq!(keys.find(&engine, &entity), None);
        }
    }
    let repeated = EntityRef::new("advertiser", "7");
    assert_eq!(path(false, &repeated), "before.assignments[7]");
    let absent = EntityRef::new("advertiser", "30");
    assert_eq!(path(true, &absent), "after.assignments");
}

proptest::proptest! {
    /// The diff walks both sides in step where they agree and looks entities up where
    /// they do not: it gives what lookups alone give, whatever the edit (roles changed,
    /// entities reordered, repeated, added, removed, roles the profile does not know).
    #[test]
    fn the_diff_agrees_with_lookups_alone(
        with_directory: bool,
        before in proptest::collection::vec((0usize..9, 0usize..6), 0..14),
        edits in proptest::collection::vec((0usize..4, 0usize..14, 0usize..9, 0usize..6), 0..6),
    ) {
        use crate::model::Directory;
        const ROLES: [&str; 6] = ["admin", "standard", "read_only", "planner", "reporting_only", "ghost"];
        let entity = |e: usize| match e {
            0 | 1 => EntityRef::new("partner", (e + 1).to_string()),
            e => EntityRef::new("advertiser", format!("{}{}", 1 + e % 2, e)),
        };
        let assignment = |(e, r): (usize, usize)| Assignment { entity: entity(e), role: ROLES[r].into() };
        let before = User { assignments: before.into_iter().map(assignment).collect(), ..User::default() };
        let mut after = before.clone();
        for (op, at, e, r) in edits {
            let list = &mut after.assignments;
            let n = list.len();
            let at = if n == 0 { 0 } else { at % n };
            match op {
                0 if !list.is_empty() => list[at].role = ROLES[r].into(),
                1 => list.insert(at.min(list.len()), assignment((e, r))),
                2 if !list.is_empty() => { list.remove(at); }
                _ if n > 1 => list.swap(at, (at + e) % n),
                _ => {}
            }
        }
        let directory: Directory = crate::error::parse_json(
            &serde_json::json!({"entities": (0..9).map(|e| {
                let x = entity(e);
                match e { 0 | 1 => serde_json::json!({"level": x.level, "id": x.id}),
                    _ => serde_json::json!({"level": x.level, "id": x.id, "parent": (1 + e % 2).to_string()}) }
            }).collect::<Vec<_>>()}).to_string(), "").unwrap();
        let engine = Engine::new(Profile::builtin("dv360").unwrap(), with_directory.then_some(&directory)).unwrap();
        let mut keys = Keys::new(&engine);
        let (bs, as_) = (keys.slots(&engine, &before.assignments), keys.slots(&engine, &after.assignments));
        let (bg, ag) = (engine.grid(&before, &bs), engine.grid(&after, &as_));
        let (bf, af) = (first_assignments(&bs), first_assignments(&as_));
        let side = |user, slots, grid, first| Side { user, slots, grid, first };
        let computed = diff::compute(&engine, &keys, &side(&before, &bs, &bg, &bf), &side(&after, &as_, &ag, &af));
        let d = &computed.diff;

        // Lookups alone: each entity's first assignment on each side.
        let first = |u: &User, e: &EntityRef| u.assignments.iter().find(|a| &a.entity == e).cloned();
        let mut entities: Vec<EntityRef> = Vec::new();
        for a in after.assignments.iter().chain(&before.assignments) {
            if !entities.contains(&a.entity) {
                entities.push(a.entity.clone());
            }
        }
        let mut added: Vec<Assignment> = entities.iter().filter(|e| first(&before, e).is_none()).filter_map(|e| first(&after, e)).collect();
        let mut removed: Vec<Assignment> = entities.iter().filter(|e| first(&after, e).is_none()).filter_map(|e| first(&before, e)).collect();
        let mut changed: Vec<(EntityRef, String, String)> = entities.iter().filter_map(|e| {
            let (b, a) = (first(&before, e)?, first(&after, e)?);
            (b.role != a.role).then(|| (e.clone(), b.role, a.role))
        }).collect();
        added.sort_by(|x, y| x.entity.cmp(&y.entity));
        removed.sort_by(|x, y| x.entity.cmp(&y.entity));
        changed.sort_by(|x, y| x.0.cmp(&y.0));
        proptest::prop_assert_eq!(&d.added, &added);
        proptest::prop_assert_eq!(&d.removed, &removed);
        let ours: Vec<(EntityRef, String, String)> = d.role_changed.iter().map(|r| (r.entity.clone(), r.from.clone(), r.to.clone())).collect();
        proptest::prop_assert_eq!(ours, changed);

        // Levels: the after grid's rows in order, each against its row before, then the
        // rows only the before grid has.
        let caps = engine.profile().capabilities().len();
        let zeros = vec![0u8; caps];
        let mut moves: Vec<(usize, usize, u8, u8)> = Vec::new();
        let rows = ag.rows.iter().map(|r| (r.key, bg.get(r.key).map_or(&zeros[..], |b| &b.levels[..]), &r.levels[..]));
        let gone = bg.rows.iter().filter(|r| ag.get(r.key).is_none()).map(|r| (r.key, &r.levels[..], &zeros[..]));
        for (key, from, to) in rows.chain(gone) {
            for (cap, (f, t)) in from.iter().zip(to).enumerate() {
                if f != t {
                    moves.push((key.index(), cap, *f, *t));
                }
            }
        }
        let ours: Vec<(usize, usize, u8, u8)> = computed.gained.iter().chain(&computed.lost)
            .map(|c| (c.key.index(), c.cap.index(), c.from, c.to)).collect();
        let (up, down): (Vec<_>, Vec<_>) = moves.into_iter().partition(|m| m.3 > m.2);
        let expected: Vec<_> = up.into_iter().chain(down).collect();
        proptest::prop_assert_eq!(ours, expected);
    }
}
