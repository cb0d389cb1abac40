#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The MediaMath access checklist and the Display & Video 360 page on user roles, step by
//! step: one test per row of `docs/checklist.md`. Each builds its case from the text of the
//! documents (`../shared/seeds/`), not from today's output, and names the section it follows.
//! The last test holds the table and this file to each other.

use adaccess_core::{
    Assessment, AuditOptions, Change, Directory, Engine, EntityRef, Finding, PlanStep, Profile,
    Report, Timestamp, User,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

const NOW: &str = "2026-11-22T10:00:00Z";

fn doc<T: DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).unwrap()
}

// ---------------------------------------------------------------------------------------------
// A MediaMath seat: one organization, two agencies, three advertisers; Lee is its Admin.

fn mm_directory() -> Directory {
    doc(json!({"entities": [
        {"level": "organization", "id": "100", "name": "Northwind Media"},
        {"level": "agency", "id": "3", "parent": "100", "name": "Northwind Performance"},
        {"level": "agency", "id": "4", "parent": "100", "name": "Northwind Brand"},
        {"level": "advertiser", "id": "301", "parent": "3", "name": "Acme Shoes"},
        {"level": "advertiser", "id": "302", "parent": "3", "name": "Fjord Outdoor"},
        {"level": "advertiser", "id": "401", "parent": "4", "name": "Luma Cosmetics"}
    ]}))
}

fn mm() -> Engine {
    Engine::new(
        Profile::builtin("mediamath").unwrap(),
        Some(&mm_directory()),
    )
    .unwrap()
}

/// `("agency", "3")` and the like.
type At<'a> = (&'a str, &'a str);

fn assignments(role: &str, at: &[At<'_>]) -> Value {
    Value::Array(
        at.iter()
            .map(|(level, id)| json!({"entity": {"level": level, "id": id}, "role": role}))
            .collect(),
    )
}

/// A user of the seat with one role on the given entities.
fn person(id: &str, name: &str, role: &str, at: &[At<'_>]) -> Value {
    let first = name.split(' ').next().unwrap_or(name).to_lowercase();
    json!({"id": id, "email": format!("{first}@northwind.example"), "name": name,
           "assignments": assignments(role, at)})
}

fn lee() -> Value {
    person("9001", "Lee Park", "admin", &[("organization", "100")])
}

/// The seat's people on agency 3 (Rita on the whole organization), with the given role.
fn ana(role: &str) -> Value {
    person("4821", "Ana Ruiz", role, &[("agency", "3")])
}

fn sam(role: &str) -> Value {
    person("4830", "Sam Ortiz", role, &[("agency", "3")])
}

fn omar(role: &str) -> Value {
    person("4822", "Omar Haddad", role, &[("agency", "3")])
}

fn rita(role: &str) -> Value {
    person("4900", "Rita Gomez", role, &[("organization", "100")])
}

/// Ana, a trader on advertisers 301 and 302, loses 302 while owning `assets`.
fn trader_loses_302(assets: Value) -> Assessment {
    let both = [("advertiser", "301"), ("advertiser", "302")];
    let before = with(
        person("4821", "Ana Ruiz", "trader", &both),
        "assets",
        assets.clone(),
    );
    let after = with(
        person("4821", "Ana Ruiz", "trader", &both[..1]),
        "assets",
        assets,
    );
    assess(&mm(), change(before, after))
}

/// A change made by Lee, with a reason, at NOW.
fn change(before: Value, after: Value) -> Value {
    json!({"actor": lee(), "before": before, "after": after, "reason": "ticket OPS-1", "now": NOW})
}

fn assess(engine: &Engine, change: Value) -> Assessment {
    engine.assess(&doc::<Change>(change))
}

fn codes(a: &Assessment) -> Vec<&str> {
    a.findings.iter().map(|f| f.code.as_str()).collect()
}

fn finding<'a>(a: &'a Assessment, code: &str) -> Option<&'a Finding> {
    a.findings.iter().find(|f| f.code == code)
}

fn actions(a: &Assessment) -> Vec<&str> {
    a.plan.iter().map(|s| s.action.as_str()).collect()
}

fn step<'a>(a: &'a Assessment, action: &str) -> Option<&'a PlanStep> {
    a.plan.iter().find(|s| s.action == action)
}

fn before_in_plan(a: &Assessment, first: &str, then: &str) -> bool {
    let at = |x: &str| actions(a).iter().position(|y| *y == x);
    matches!((at(first), at(then)), (Some(f), Some(t)) if f < t)
}

/// The approval groups the assessment asks for, each sorted.
fn groups(a: &Assessment) -> Vec<Vec<String>> {
    a.approvals_required
        .iter()
        .map(|r| {
            let mut g = r.any_of.clone();
            g.sort();
            g
        })
        .collect()
}

fn can(engine: &Engine, user: &Value, capability: &str, level: &str, at: At<'_>) -> bool {
    engine.allows(
        &doc::<User>(user.clone()),
        capability,
        level,
        &EntityRef::new(at.0, at.1),
    )
}

/// Every `(capability, level)` of `cells` is allowed to `user` at `at`.
fn allows_all(engine: &Engine, user: &Value, at: At<'_>, cells: &[(&str, &str)]) {
    for (cap, level) in cells {
        assert!(can(engine, user, cap, level, at), "{cap} {level}");
    }
}

fn gained(a: &Assessment, capability: &str, from: &str, to: &str) -> bool {
    a.diff
        .gained
        .iter()
        .any(|c| &*c.capability == capability && &*c.from == from && &*c.to == to)
}

fn lost(a: &Assessment, capability: &str, from: &str, to: &str) -> bool {
    a.diff
        .lost
        .iter()
        .any(|c| &*c.capability == capability && &*c.from == from && &*c.to == to)
}

fn audit(engine: &Engine, users: Value, activity: Option<Value>) -> Report {
    let users: Vec<User> = doc(users);
    let activity: Option<Vec<adaccess_core::Activity>> = activity.map(doc);
    let now = Timestamp::parse(NOW).unwrap();
    engine.audit(
        &users,
        Some(&now),
        activity.as_deref(),
        &AuditOptions::default(),
    )
}

fn with(mut v: Value, key: &str, value: Value) -> Value {
    v[key] = value;
    v
}

// ---------------------------------------------------------------------------------------------
// MediaMath checklist: When to Update Access; Clarify the change.

/// MediaMath checklist, When to Update Access and Clarify the change: a promotion or a step down
/// is a role change (not a scope change), carried out as a change of role.
#[test]
fn mm_a_role_change_is_a_change_role_step() {
    let trader = ana("trader");
    let admin = ana("admin");
    for (from, to) in [(&trader, &admin), (&admin, &trader)] {
        let a = assess(&mm(), change(from.clone(), to.clone()));
        assert_eq!(a.diff.role_changed.len(), 1);
        assert!(a.diff.added.is_empty() && a.diff.removed.is_empty());
        assert!(step(&a, "change_role").is_some());
        assert!(step(&a, "edit_entities").is_none());
    }
}

/// MediaMath checklist, When to Update Access and Clarify the change: advertisers added to or
/// taken from a user are a scope change, carried out on the advertiser list, the role untouched.
#[test]
fn mm_a_scope_change_is_an_edit_entities_step() {
    let before = person("4821", "Ana Ruiz", "trader", &[("advertiser", "301")]);
    let wider = person(
        "4821",
        "Ana Ruiz",
        "trader",
        &[
            ("advertiser", "301"),
            ("advertiser", "302"),
            ("advertiser", "401"),
        ],
    );
    let a = assess(&mm(), change(before.clone(), wider.clone()));
    assert_eq!(a.diff.added.len(), 2);
    assert!(a.diff.role_changed.is_empty());
    assert!(step(&a, "edit_entities").is_some());
    assert!(step(&a, "change_role").is_none());
    let a = assess(&mm(), change(wider, before));
    assert_eq!(a.diff.removed.len(), 2);
    assert!(step(&a, "edit_entities").is_some());
}

/// MediaMath checklist, When to Update Access: invoice access switched on for finance, or off for
/// someone who no longer handles billing, is a billing toggle change.
#[test]
fn mm_a_billing_visibility_change_is_a_set_toggles_step() {
    let finance = rita("reporting");
    let on = with(finance.clone(), "toggles", json!({"billing": true}));
    let a = assess(&mm(), change(finance.clone(), on.clone()));
    assert_eq!(step(&a, "set_toggles").unwrap().items, ["billing: on"]);
    assert!(codes(&a).contains(&"approval.billing"));
    let a = assess(&mm(), change(on, finance));
    assert_eq!(step(&a, "set_toggles").unwrap().items, ["billing: off"]);
    let billing = a.log_entry.billing.as_ref().unwrap();
    assert_eq!(
        (billing.old.as_str(), billing.new.as_str()),
        ("read", "none")
    );
}

/// MediaMath checklist, When to Update Access and Clarify the change: a temporary elevation has
/// its revert date written down, and the plan schedules the revert.
#[test]
fn mm_a_temporary_elevation_schedules_the_revert() {
    let trader = ana("trader");
    let admin = ana("admin");
    let c = with(
        change(trader.clone(), admin.clone()),
        "temporary",
        json!({"until": "2026-11-23"}),
    );
    let a = assess(&mm(), c);
    assert_eq!(
        step(&a, "schedule_revert").unwrap().items,
        ["2026-11-23"],
        "{:?}",
        a.plan
    );
    assert_eq!(a.log_entry.temporary_until.as_deref(), Some("2026-11-23"));
    let undated = with(change(trader, admin), "temporary", json!({}));
    assert!(codes(&assess(&mm(), undated)).contains(&"temporary.no_revert_date"));
}

/// MediaMath checklist, When to Update Access (an audit finds more access than the job needs) and
/// Best Practices (the quarterly review catches roles that were never downgraded).
#[test]
fn mm_the_review_finds_more_access_than_the_job_uses() {
    let admin = person("4830", "Sam Ortiz", "admin", &[("organization", "100")]);
    let activity = json!([
        {"user": "4830", "capability": "reports", "level": "read", "entity": {"level": "agency", "id": "3"}, "at": "2026-11-01"},
        {"user": "4830", "capability": "dashboards", "level": "read", "entity": {"level": "agency", "id": "3"}, "at": "2026-11-02"}
    ]);
    let report = audit(&mm(), json!([lee(), admin]), Some(activity));
    let f = report
        .findings
        .iter()
        .find(|f| f.code == "role.least_privilege" && f.user.as_deref() == Some("4830"))
        .expect("role.least_privilege for Sam");
    assert_eq!(f.data["current"], "admin");
    assert_eq!(f.data["suggested"], "reporting");
}

/// MediaMath checklist, When to Update Access: a contract amendment adjusts the advertiser list;
/// the user is updated, not removed and added again.
#[test]
fn mm_a_contract_amendment_edits_the_list_without_offboarding() {
    let before = person(
        "4821",
        "Ana Ruiz",
        "trader",
        &[("advertiser", "301"), ("advertiser", "302")],
    );
    let after = person("4821", "Ana Ruiz", "trader", &[("advertiser", "301")]);
    let a = assess(&mm(), change(before, after));
    assert_eq!(a.log_entry.action, "update");
    let methods: Vec<&str> = a.requests.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["users.permissions.update"]);
    assert_eq!(
        a.requests[0].body["permissions"]["advertiser_ids"],
        json!([301])
    );
}

/// MediaMath checklist, Clarify the change: with a new role, ask whether the billing toggle
/// should stay on.
#[test]
fn mm_a_role_change_with_billing_on_asks_whether_billing_is_still_needed() {
    let on = json!({"billing": true});
    let admin = with(sam("admin"), "toggles", on.clone());
    let trader = with(sam("trader"), "toggles", on.clone());
    let a = assess(&mm(), change(admin.clone(), trader.clone()));
    assert_eq!(
        finding(&a, "billing.still_needed").unwrap().path.as_deref(),
        Some("after.toggles.billing")
    );
    // Switched off with the role: answered.
    let off = with(trader.clone(), "toggles", json!({"billing": false}));
    assert!(!codes(&assess(&mm(), change(admin, off))).contains(&"billing.still_needed"));
    // The role stays (only the advertisers change): nothing to ask.
    let wider = with(
        person(
            "4830",
            "Sam Ortiz",
            "trader",
            &[("agency", "3"), ("agency", "4")],
        ),
        "toggles",
        on,
    );
    assert!(!codes(&assess(&mm(), change(trader, wider))).contains(&"billing.still_needed"));
}

// Review current state; Step 6; Documentation.

/// MediaMath checklist, Review current state: the role, advertisers and billing status before the
/// change (the "before" screenshot) go in the access log.
#[test]
fn mm_the_log_entry_records_the_before_state() {
    let before = with(sam("admin"), "toggles", json!({"billing": true}));
    let after = sam("trader");
    let log = assess(&mm(), change(before, after)).log_entry;
    assert_eq!(log.role.old.as_deref(), Some("admin"));
    assert_eq!(log.entities.old, ["agency:3"]);
    assert_eq!(log.billing.unwrap().old, "write");
    assert_eq!(log.toggles.old.get("billing"), Some(&true));
    assert_eq!(log.assignments.old, ["agency:3=admin"]);
}

/// MediaMath checklist, Step 6: the state after saving (the "after" screenshot) goes in the
/// access log.
#[test]
fn mm_the_log_entry_records_the_after_state() {
    let before = ana("trader");
    let after = person(
        "4821",
        "Ana Ruiz",
        "admin",
        &[("agency", "3"), ("agency", "4")],
    );
    let log = assess(&mm(), change(before, after)).log_entry;
    assert_eq!(log.role.new.as_deref(), Some("admin"));
    assert_eq!(log.entities.new, ["agency:3", "agency:4"]);
    // A promotion to Admin is a billing change: Admin manages billing.
    let billing = log.billing.unwrap();
    assert_eq!(
        (billing.old.as_str(), billing.new.as_str()),
        ("none", "write")
    );
    assert_eq!(log.assignments.new, ["agency:3=admin", "agency:4=admin"]);
}

/// MediaMath checklist, Documentation: the fields of an access-log entry (who, when, role,
/// advertisers and billing before and after, the reason, the approver).
#[test]
fn mm_the_log_entry_has_every_documentation_field() {
    let before = person("4821", "Ana Ruiz", "trader", &[("advertiser", "301")]);
    let after = person(
        "4821",
        "Ana Ruiz",
        "trader",
        &[("advertiser", "301"), ("advertiser", "302")],
    );
    let mut c = change(before, after);
    c["reason"] = json!("Agency won Fjord Outdoor");
    c["approvals"] =
        json!([{"kind": "manager", "by": "lee@northwind.example", "reference": "OPS-17"}]);
    let log = assess(&mm(), c).log_entry;
    assert_eq!(log.user_email, "ana@northwind.example");
    assert_eq!(log.user_name, "Ana Ruiz");
    assert_eq!(log.date.as_deref(), Some("2026-11-22"));
    assert_eq!(
        (log.role.old.as_deref(), log.role.new.as_deref()),
        (Some("trader"), Some("trader"))
    );
    assert_eq!(log.entities.old, ["advertiser:301"]);
    assert_eq!(log.entities.new, ["advertiser:301", "advertiser:302"]);
    let billing = log.billing.unwrap();
    assert_eq!(
        (billing.old.as_str(), billing.new.as_str()),
        ("none", "none")
    );
    assert_eq!(log.reason.as_deref(), Some("Agency won Fjord Outdoor"));
    assert_eq!(log.approvers, ["manager: lee@northwind.example"]);
    assert_eq!(log.changed_by, "lee@northwind.example");
}

/// MediaMath checklist, Documentation and Best Practices: every change records its reason.
#[test]
fn mm_a_missing_reason_warns() {
    let before = person("4821", "Ana Ruiz", "trader", &[("advertiser", "301")]);
    let after = person("4821", "Ana Ruiz", "trader", &[("advertiser", "302")]);
    let mut c = change(before, after);
    c.as_object_mut().unwrap().remove("reason");
    assert!(codes(&assess(&mm(), c.clone())).contains(&"log.reason_missing"));
    c["reason"] = json!("Agency lost Acme, won Fjord");
    assert!(!codes(&assess(&mm(), c)).contains(&"log.reason_missing"));
}

/// MediaMath checklist, Documentation: rosters and SSO groups follow the new role.
#[test]
fn mm_a_role_change_updates_the_rosters() {
    let trader = ana("trader");
    let admin = ana("admin");
    let a = assess(&mm(), change(trader.clone(), admin));
    assert!(step(&a, "update_rosters")
        .unwrap()
        .detail
        .contains("trader → admin"));
    assert!(before_in_plan(&a, "record_log", "update_rosters"));
    let wider = person(
        "4821",
        "Ana Ruiz",
        "trader",
        &[("agency", "3"), ("agency", "4")],
    );
    assert!(step(&assess(&mm(), change(trader, wider)), "update_rosters").is_none());
}

/// MediaMath checklist, Documentation: each change leaves a note in the change log.
#[test]
fn mm_every_plan_records_the_log() {
    let trader = ana("trader");
    for after in [
        ana("admin"),
        person("4821", "Ana Ruiz", "trader", &[("agency", "4")]),
        with(trader.clone(), "toggles", json!({"billing": true})),
    ] {
        assert!(step(&assess(&mm(), change(trader.clone(), after)), "record_log").is_some());
    }
}

// Identify owned assets; Asset review.

/// MediaMath checklist, Identify owned assets and Asset review: campaigns, pixels and audiences
/// under advertisers the user loses are found before they become unreachable.
#[test]
fn mm_assets_under_removed_advertisers_are_orphaned() {
    let owned = json!([
        {"kind": "campaign", "id": "c-1", "entity": {"level": "advertiser", "id": "302"}},
        {"kind": "pixel", "id": "px-1", "entity": {"level": "advertiser", "id": "302"}},
        {"kind": "audience", "id": "au-1", "entity": {"level": "advertiser", "id": "301"}}
    ]);
    let a = trader_loses_302(owned);
    let f = finding(&a, "assets.orphaned").unwrap();
    assert_eq!(f.data["assets"], json!(["c-1", "px-1"]));
}

/// MediaMath checklist, Identify owned assets, and the troubleshooting entry on lost campaigns:
/// the transfer happens before the advertiser is removed.
#[test]
fn mm_the_transfer_comes_before_the_scope_edit() {
    let owned =
        json!([{"kind": "campaign", "id": "c-1", "entity": {"level": "advertiser", "id": "302"}}]);
    let a = trader_loses_302(owned);
    assert_eq!(step(&a, "transfer_assets").unwrap().items, ["c-1"]);
    assert!(before_in_plan(&a, "transfer_assets", "edit_entities"));
}

/// MediaMath checklist, Identify owned assets, Step 4, Asset review and Best Practices: an Admin's
/// active API tokens are revoked when the Admin is downgraded.
#[test]
fn mm_an_admin_downgrade_revokes_active_tokens() {
    let tokens =
        json!([{"id": "tok-31", "created_at": "2026-09-14"}, {"id": "tok-9", "active": false}]);
    let admin = with(sam("admin"), "tokens", tokens.clone());
    let trader = with(sam("trader"), "tokens", tokens);
    let a = assess(&mm(), change(admin, trader));
    let f = finding(&a, "tokens.orphaned").unwrap();
    assert_eq!(f.data["tokens"], json!(["tok-31"]));
    assert_eq!(step(&a, "revoke_tokens").unwrap().items, ["tok-31"]);
    assert!(lost(&a, "api_tokens", "create", "none"));
}

/// MediaMath checklist, troubleshooting entry on tokens that still work after a downgrade: tokens
/// live apart from roles, and the integrations using them are told.
#[test]
fn mm_integrations_are_warned_when_tokens_go() {
    let tokens = json!([{"id": "tok-31"}]);
    let admin = with(sam("admin"), "tokens", tokens.clone());
    let reporting = with(sam("reporting"), "tokens", tokens);
    let a = assess(&mm(), change(admin, reporting));
    assert!(codes(&a).contains(&"api.access_lost"));
    assert!(codes(&a).contains(&"tokens.orphaned"));
}

// Obtain approval.

/// MediaMath checklist, Obtain approval: raising a role needs the manager or the seat owner;
/// Reporting → Trader is a raise too, while a step down or sideways is not.
#[test]
fn mm_a_role_elevation_needs_the_manager_or_the_seat_owner() {
    let reporting = omar("reporting");
    let trader = omar("trader");
    let a = assess(&mm(), change(reporting.clone(), trader.clone()));
    assert!(codes(&a).contains(&"approval.elevation"));
    assert_eq!(
        groups(&a),
        [["manager", "seat_owner"]],
        "no finance or security for a trader"
    );
    let mut approved = change(reporting.clone(), trader.clone());
    approved["approvals"] =
        json!([{"kind": "seat_owner", "by": "owner@northwind.example", "reference": "OPS-2"}]);
    let a = assess(&mm(), approved);
    assert!(a.approvals_required.iter().all(|r| r.satisfied));
    assert!(!codes(&a).contains(&"approval.missing"));
    // Down, or sideways (billing → reporting loses billing, gains dashboards): no elevation.
    assert!(
        !codes(&assess(&mm(), change(trader, reporting.clone()))).contains(&"approval.elevation")
    );
    let billing = omar("billing");
    assert!(!codes(&assess(&mm(), change(billing, reporting))).contains(&"approval.elevation"));
}

/// MediaMath checklist, Obtain approval: Admin rights and billing access also need finance or
/// security.
#[test]
fn mm_admin_rights_and_billing_also_need_finance_or_security() {
    let trader = ana("trader");
    let admin = ana("admin");
    let a = assess(&mm(), change(trader.clone(), admin));
    assert!(codes(&a).contains(&"approval.admin"));
    assert_eq!(
        groups(&a),
        [vec!["manager", "seat_owner"], vec!["finance", "security"]]
    );
    let billing_on = with(trader.clone(), "toggles", json!({"billing": true}));
    let a = assess(&mm(), change(trader, billing_on));
    assert!(codes(&a).contains(&"approval.billing"));
    assert_eq!(
        groups(&a),
        [vec!["manager", "seat_owner"], vec!["finance", "security"]]
    );
}

/// MediaMath checklist, Obtain approval (keep the approval email or ticket id) and the use case on
/// billing for finance (the log names the finance approval).
#[test]
fn mm_an_approval_carries_its_reference_into_the_log() {
    let reporting = omar("reporting");
    let trader = omar("trader");
    let mut c = change(reporting, trader);
    c["approvals"] = json!([{"kind": "manager", "by": "lee@northwind.example"}]);
    let a = assess(&mm(), c.clone());
    assert_eq!(
        finding(&a, "approval.reference_missing")
            .unwrap()
            .path
            .as_deref(),
        Some("approvals[0].reference")
    );
    c["approvals"][0]["reference"] = json!("mail 2026-11-21 'OK for Omar'");
    let a = assess(&mm(), c);
    assert!(!codes(&a).contains(&"approval.reference_missing"));
    assert_eq!(
        a.log_entry.approvals[0].reference.as_deref(),
        Some("mail 2026-11-21 'OK for Omar'")
    );
}

// Change Execution.

/// MediaMath checklist, Step 1: user changes are made by an Admin.
#[test]
fn mm_only_an_admin_changes_users() {
    let before = person("4821", "Ana Ruiz", "trader", &[("advertiser", "301")]);
    let after = person("4821", "Ana Ruiz", "trader", &[("advertiser", "302")]);
    let mut c = change(before, after);
    c["actor"] = person("4700", "Kim Tran", "trader", &[("organization", "100")]);
    assert!(codes(&assess(&mm(), c.clone())).contains(&"authority.cannot_manage"));
    c["actor"] = lee();
    assert!(!codes(&assess(&mm(), c)).contains(&"authority.cannot_manage"));
}

/// MediaMath checklist, Step 3: seat-wide access ("All advertisers") only when truly needed.
#[test]
fn mm_all_advertisers_is_flagged() {
    let before = ana("trader");
    let after = person("4821", "Ana Ruiz", "trader", &[("organization", "100")]);
    let a = assess(&mm(), change(before, after));
    let f = finding(&a, "entity.all_granted").unwrap();
    assert!(f.message.contains("Northwind Media"), "{}", f.message);
}

/// MediaMath checklist, Step 3 and Best Practices: the advertiser list is edited first, then the
/// role.
#[test]
fn mm_the_advertiser_list_is_edited_before_the_role() {
    let before = ana("trader");
    let after = person(
        "4821",
        "Ana Ruiz",
        "admin",
        &[("agency", "3"), ("agency", "4")],
    );
    let a = assess(&mm(), change(before, after));
    assert!(codes(&a).contains(&"order.scope_before_role"));
    assert!(before_in_plan(&a, "edit_entities", "change_role"));
    let methods: Vec<&str> = a.requests.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["users.permissions.update", "users.update"]);
}

/// MediaMath checklist, Step 4: Admin controls the whole seat, users, billing and API tokens
/// included.
#[test]
fn mm_admin_has_full_control() {
    let admin = sam("admin");
    let e = mm();
    allows_all(
        &e,
        &admin,
        ("advertiser", "301"),
        &[
            ("users", "manage"),
            ("billing", "write"),
            ("api_tokens", "create"),
            ("campaigns", "write"),
            ("pixels", "write"),
            ("audiences", "write"),
            ("reports", "write"),
            ("dashboards", "write"),
        ],
    );
}

/// MediaMath checklist, Step 4 (the trader manages campaigns, not billing or users), Step 7 (no
/// API tokens) and Best Practices (deploying a pixel takes a day of Admin).
#[test]
fn mm_a_trader_manages_campaigns_without_billing_users_tokens_or_pixel_deployment() {
    let trader = ana("trader");
    let e = mm();
    let at = ("advertiser", "301");
    assert!(can(&e, &trader, "campaigns", "write", at));
    assert!(!can(&e, &trader, "billing", "read", at));
    assert!(!can(&e, &trader, "users", "view", at));
    assert!(!can(&e, &trader, "api_tokens", "create", at));
    assert!(!can(&e, &trader, "pixels", "write", at));
}

/// MediaMath checklist, Step 4: Reporting only reads reports and dashboards; a downgrade to it
/// leaves no editing at all.
#[test]
fn mm_reporting_is_read_only() {
    let reporting = omar("reporting");
    let e = mm();
    let at = ("agency", "3");
    assert!(can(&e, &reporting, "reports", "read", at));
    assert!(can(&e, &reporting, "dashboards", "read", at));
    assert!(!can(&e, &reporting, "reports", "write", at));
    assert!(!can(&e, &reporting, "dashboards", "write", at));
    assert!(!can(&e, &reporting, "campaigns", "write", at));
    // A trader downgraded to Reporting keeps no level above reading, anywhere.
    let trader = omar("trader");
    let a = assess(&e, change(trader, reporting));
    for row in &a.effective.after {
        for (cap, level) in row.access.0.iter() {
            assert!(
                ["none", "read", "view"].contains(&&**level),
                "{cap}: {level} on {}",
                row.entity
            );
        }
    }
    assert!(lost(&a, "campaigns", "write", "none"));
}

/// MediaMath checklist, Step 4 (Billing: invoices and payments, no campaign editing) and Step 5
/// (a Billing user reconciles payments).
#[test]
fn mm_the_billing_role_handles_invoices_not_campaigns() {
    let billing = rita("billing");
    let e = mm();
    assert!(can(
        &e,
        &billing,
        "billing",
        "write",
        ("organization", "100")
    ));
    assert!(!can(
        &e,
        &billing,
        "campaigns",
        "write",
        ("advertiser", "301")
    ));
}

/// MediaMath checklist, Step 4: a new Admin gains billing, user management and token creation at
/// once, so the change must be intended.
#[test]
fn mm_an_upgrade_to_admin_gains_billing_users_and_tokens() {
    let trader = ana("trader");
    let admin = ana("admin");
    let a = assess(&mm(), change(trader, admin));
    assert!(gained(&a, "billing", "none", "write"));
    assert!(gained(&a, "users", "none", "manage"));
    assert!(gained(&a, "api_tokens", "none", "create"));
    assert_eq!(
        finding(&a, "approval.admin").unwrap().severity.as_str(),
        "security"
    );
}

/// MediaMath checklist, Step 4: a former Admin can no longer invite users, manage billing or
/// create API tokens.
#[test]
fn mm_a_downgrade_from_admin_loses_users_billing_and_tokens() {
    let admin = sam("admin");
    let trader = sam("trader");
    let a = assess(&mm(), change(admin, trader));
    assert!(lost(&a, "users", "manage", "none"));
    assert!(lost(&a, "billing", "write", "none"));
    assert!(lost(&a, "api_tokens", "create", "none"));
}

/// MediaMath checklist, Step 4: before a downgrade to Reporting, check for running campaigns that
/// still need someone.
#[test]
fn mm_a_downgrade_to_reporting_with_active_campaigns_warns() {
    let campaigns = |active: bool| json!([{"kind": "campaign", "id": "c-5", "entity": {"level": "advertiser", "id": "301"}, "active": active}]);
    for active in [true, false] {
        let trader = with(ana("trader"), "assets", campaigns(active));
        let reporting = with(ana("reporting"), "assets", campaigns(active));
        let a = assess(&mm(), change(trader, reporting));
        assert_eq!(codes(&a).contains(&"campaigns.active_on_downgrade"), active);
    }
}

/// MediaMath checklist, Step 5: the billing toggle shows invoices, payment history and billing
/// contacts, whatever the role, and nothing when off.
#[test]
fn mm_the_billing_toggle_gives_billing_visibility() {
    let e = mm();
    let at = ("advertiser", "301");
    let trader = ana("trader");
    let on = with(trader.clone(), "toggles", json!({"billing": true}));
    let off = with(trader, "toggles", json!({"billing": false}));
    assert!(can(&e, &on, "billing", "read", at));
    assert!(!can(&e, &on, "billing", "write", at));
    assert!(!can(&e, &off, "billing", "read", at));
}

/// MediaMath checklist, Step 5: switching billing on records a second, finance approval.
#[test]
fn mm_adding_billing_records_a_finance_approval() {
    let reporting = rita("reporting");
    let on = with(reporting.clone(), "toggles", json!({"billing": true}));
    let mut c = change(reporting, on);
    c["approvals"] =
        json!([{"kind": "manager", "by": "lee@northwind.example", "reference": "OPS-3"}]);
    let a = assess(&mm(), c.clone());
    let missing = finding(&a, "approval.missing").unwrap();
    assert_eq!(missing.data["any_of"], json!(["finance", "security"]));
    c["approvals"]
        .as_array_mut()
        .unwrap()
        .push(json!({"kind": "finance", "by": "cfo@northwind.example", "reference": "FIN-88"}));
    let a = assess(&mm(), c);
    assert!(a.approvals_required.iter().all(|r| r.satisfied));
    assert_eq!(
        a.log_entry.approvals[1].reference.as_deref(),
        Some("FIN-88")
    );
}

/// MediaMath checklist, Step 5: before billing is removed, someone else (an Admin or a Billing
/// user) must keep handling invoices and payments.
#[test]
fn mm_removing_billing_needs_another_admin_or_billing_user() {
    let billing = rita("billing");
    let reporting = rita("reporting");
    // The rest of the seat: a trader who can see invoices (toggle), nobody who handles them.
    let viewer = with(
        person("4701", "Kim Tran", "trader", &[("organization", "100")]),
        "toggles",
        json!({"billing": true}),
    );
    let mut c = change(billing.clone(), reporting.clone());
    c["population"] = json!([viewer.clone()]);
    assert!(codes(&assess(&mm(), c.clone())).contains(&"billing.last_holder"));
    c["population"] = json!([viewer, lee()]);
    assert!(!codes(&assess(&mm(), c)).contains(&"billing.last_holder"));
}

/// MediaMath checklist, Step 6, and the troubleshooting entries on missing advertisers and old
/// permissions: save, then reload and check what the platform shows.
#[test]
fn mm_the_plan_saves_then_verifies() {
    let before = ana("trader");
    let after = person(
        "4821",
        "Ana Ruiz",
        "trader",
        &[("agency", "3"), ("agency", "4")],
    );
    let a = assess(&mm(), change(before, after));
    let s = step(&a, "save_and_verify").unwrap();
    assert!(s.detail.contains("reload the user"), "{}", s.detail);
    assert!(before_in_plan(&a, "edit_entities", "save_and_verify"));
    assert!(before_in_plan(&a, "save_and_verify", "notify_user"));
}

/// MediaMath checklist, Step 6 and the troubleshooting entry on old permissions after a
/// downgrade, checked after the fact: a logged downgrade that the next export does not show
/// did not take, and the reconciliation of the two exports against the log says so.
#[test]
fn mm_a_save_that_did_not_take_is_found_by_reconciliation() {
    let engine = mm();
    let before: User = doc(ana("admin"));
    let after: User = doc(ana("trader"));
    let saved = assess(&engine, change(ana("admin"), ana("trader")));
    let log = adaccess_core::log::next_line("", &saved.log_entry);
    let entries = adaccess_core::log::read(&log).unwrap();
    let window = adaccess_core::ReconcileOptions {
        old_date: Some(Timestamp::parse("2026-11-01").unwrap()),
        new_date: Some(Timestamp::parse("2026-12-01").unwrap()),
    };
    // The next export still shows the Admin role: not applied.
    let r = engine
        .reconcile(
            std::slice::from_ref(&before),
            std::slice::from_ref(&before),
            &entries,
            &window,
        )
        .unwrap();
    let found: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(found, ["reconcile.not_applied"]);
    // It shows the trader role: the log explains the change.
    let r = engine
        .reconcile(&[before], &[after], &entries, &window)
        .unwrap();
    assert_eq!(
        (r.summary.changes, r.summary.explained),
        (1, 1),
        "{:?}",
        r.findings
    );
}

/// MediaMath checklist, Documentation: a note in the change log for every change. The log is a
/// file of entries chained by hash; a change that cannot be saved is not logged.
#[test]
fn mm_every_saved_change_goes_in_the_chained_log() {
    let engine = mm();
    let clock = Timestamp::parse(NOW).unwrap();
    let first: Change = doc(change(ana("trader"), ana("admin")));
    let entry = engine.log_entry(&first, &clock).unwrap();
    let mut text = adaccess_core::log::next_line("", &entry);
    let second: Change = doc(change(sam("admin"), sam("trader")));
    text.push_str(&adaccess_core::log::next_line(
        &text,
        &engine.log_entry(&second, &clock).unwrap(),
    ));
    let v = adaccess_core::log::verify(&text, None);
    assert!(v.ok && v.entries == 2, "{v:?}");
    // A role the profile does not know cannot be saved, so it is not logged.
    let broken: Change = doc(change(ana("trader"), ana("owner")));
    let refused = engine.log_entry(&broken, &clock).unwrap_err();
    assert_eq!(adaccess_core::AdaccessError::code(&refused), "log.refused");
}

/// MediaMath checklist, Step 7: the message to the user gives the new role, and the advertiser
/// list and billing status where they change.
#[test]
fn mm_the_note_to_the_user_names_role_advertisers_and_billing() {
    let before = ana("trader");
    let after = person(
        "4821",
        "Ana Ruiz",
        "admin",
        &[("agency", "3"), ("agency", "4")],
    );
    let a = assess(&mm(), change(before, after));
    assert!(codes(&a).contains(&"notify.user"));
    let detail = &step(&a, "notify_user").unwrap().detail;
    for part in ["role trader → admin", "+agency:4", "billing none → write"] {
        assert!(detail.contains(part), "{part} in {detail}");
    }
}

/// MediaMath checklist, User confirmation: a downgraded user reaches none of the old role's
/// features, an upgraded one reaches the new ones.
#[test]
fn mm_a_former_admin_cannot_reach_user_management() {
    let e = mm();
    let at = ("agency", "3");
    let former = sam("trader");
    assert!(!can(&e, &former, "users", "view", at));
    assert!(!can(&e, &former, "api_tokens", "create", at));
    let new_admin = ana("admin");
    assert!(can(&e, &new_admin, "users", "manage", at));
    assert!(can(&e, &new_admin, "billing", "read", at));
}

// Monitoring.

/// MediaMath checklist, Monitoring: each change gets a check-in after one to two weeks and a place
/// in the next quarterly review, not only the risky ones.
#[test]
fn mm_every_change_gets_a_follow_up_and_the_next_quarterly_review() {
    let trader = ana("trader");
    let changes = [
        person(
            "4821",
            "Ana Ruiz",
            "trader",
            &[("agency", "3"), ("agency", "4")],
        ),
        ana("reporting"),
        with(trader.clone(), "toggles", json!({"billing": true})),
    ];
    for after in changes {
        let a = assess(&mm(), change(trader.clone(), after));
        let s = step(&a, "schedule_review").unwrap();
        assert_eq!(s.items, ["2026-12-06", "next quarterly access review"]);
    }
    // A temporary change is reverted and followed up.
    let admin = ana("admin");
    let c = with(
        change(trader.clone(), admin),
        "temporary",
        json!({"until": "2026-11-23"}),
    );
    let a = assess(&mm(), c);
    assert!(before_in_plan(&a, "schedule_revert", "schedule_review"));
    // A deleted user has no access left to follow up.
    let c = json!({"actor": lee(), "before": trader, "after": null, "reason": "left", "now": NOW});
    assert!(step(&assess(&mm(), c), "schedule_review").is_none());
}

/// MediaMath checklist, Monitoring and Best Practices: a temporary change is reverted on its date;
/// one still in place after it is flagged.
#[test]
fn mm_an_expired_elevation_is_flagged() {
    let elevated = with(
        ana("admin"),
        "elevation",
        json!({"since": "2026-11-20", "until": "2026-11-21", "revert_to": assignments("trader", &[("agency", "3")])}),
    );
    let report = audit(&mm(), json!([lee(), elevated.clone()]), None);
    assert!(report
        .findings
        .iter()
        .any(|f| f.code == "temporary.expired" && f.user.as_deref() == Some("4821")));
    // An unrelated edit of the user is flagged too.
    let wider = with(elevated.clone(), "toggles", json!({"billing": true}));
    assert!(codes(&assess(&mm(), change(elevated, wider))).contains(&"temporary.expired"));
}

// Troubleshooting.

/// MediaMath checklist, troubleshooting entry on a new Admin without billing: in some seats Admin
/// does not bring billing and the toggle decides. That seat setting is
/// examples/mediamath_billing_separate.json.
#[test]
fn mm_a_seat_setting_separates_admin_from_billing() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/mediamath_billing_separate.json"
    ))
    .unwrap();
    let e = Engine::new(Profile::from_json(&text).unwrap(), Some(&mm_directory())).unwrap();
    let trader = ana("trader");
    let admin = ana("admin");
    let a = assess(&e, change(trader, admin.clone()));
    assert!(codes(&a).contains(&"approval.admin"));
    assert!(!codes(&a).contains(&"approval.billing"), "{:?}", codes(&a));
    assert!(!can(&e, &admin, "billing", "read", ("agency", "3")));
    let on = with(admin, "toggles", json!({"billing": true}));
    assert!(can(&e, &on, "billing", "read", ("agency", "3")));
}

// Common Use Cases.

/// MediaMath checklist, use case Promoting a trader to Admin: approve, change the role, check User
/// Management and billing, log the approver, tell the user. The use case names the seat owner or
/// finance; Obtain approval asks the manager or seat owner and, for Admin rights, finance or
/// security as well: both are collected.
#[test]
fn mm_use_case_promoting_a_trader_to_admin() {
    let trader = ana("trader");
    let admin = ana("admin");
    let mut c = change(trader, admin.clone());
    c["reason"] = json!("Promoted to team lead");
    c["approvals"] = json!([
        {"kind": "seat_owner", "by": "owner@northwind.example", "reference": "OPS-2231"},
        {"kind": "finance", "by": "cfo@northwind.example", "reference": "FIN-12"}
    ]);
    let a = assess(&mm(), c.clone());
    assert!(a.ok);
    assert!(
        a.approvals_required.iter().all(|r| r.satisfied),
        "{:?}",
        a.approvals_required
    );
    assert_eq!(
        actions(&a),
        [
            "collect_approvals",
            "change_role",
            "save_and_verify",
            "notify_user",
            "record_log",
            "update_rosters",
            "schedule_review"
        ]
    );
    assert_eq!(
        a.log_entry.approvers,
        [
            "seat_owner: owner@northwind.example",
            "finance: cfo@northwind.example"
        ]
    );
    let e = mm();
    assert!(can(&e, &admin, "users", "manage", ("agency", "3")));
    assert!(can(&e, &admin, "billing", "write", ("agency", "3")));
    assert_eq!(a.requests.last().unwrap().body, json!({"role": "ADMIN"}));
    // The seat owner alone leaves finance or security to collect.
    c["approvals"].as_array_mut().unwrap().pop();
    let missing = finding(&assess(&mm(), c), "approval.missing").map(|f| f.data["any_of"].clone());
    assert_eq!(missing, Some(json!(["security", "finance"])));
}

/// MediaMath checklist, use case Downgrading an Admin to Trader: revoke the tokens, change the role,
/// switch billing off, check the Admin menu is gone, log and tell the user.
#[test]
fn mm_use_case_downgrading_an_admin_to_trader() {
    let tokens = json!([{"id": "tok-31", "created_at": "2026-09-14"}]);
    let admin = json!({"id": "4830", "email": "sam@northwind.example", "name": "Sam Ortiz",
        "assignments": assignments("admin", &[("organization", "100")]),
        "toggles": {"billing": true}, "tokens": tokens});
    let mut trader = admin.clone();
    trader["assignments"] = assignments("trader", &[("organization", "100")]);
    trader["toggles"] = json!({"billing": false});
    let mut c = change(admin, trader.clone());
    c["population"] = json!([lee()]);
    let a = assess(&mm(), c);
    assert!(a.ok);
    assert_eq!(
        finding(&a, "tokens.orphaned").unwrap().data["tokens"],
        json!(["tok-31"])
    );
    assert_eq!(
        actions(&a),
        [
            "change_role",
            "set_toggles",
            "revoke_tokens",
            "save_and_verify",
            "notify_user",
            "record_log",
            "update_rosters",
            "schedule_review"
        ]
    );
    let billing = a.log_entry.billing.as_ref().unwrap();
    assert_eq!(
        (billing.old.as_str(), billing.new.as_str()),
        ("write", "none")
    );
    assert!(!can(
        &mm(),
        &trader,
        "users",
        "view",
        ("organization", "100")
    ));
    assert_eq!(a.requests[0].body, json!({"role": "MANAGER"}));
}

/// MediaMath checklist, use case Temporarily elevating a trader to Admin: approval with a revert
/// date, a day of Admin, the revert scheduled, and after it the tokens made meanwhile revoked.
#[test]
fn mm_use_case_temporary_elevation_for_a_pixel() {
    let trader = ana("trader");
    let mut admin = ana("admin");
    admin["elevation"] = json!({"since": "2026-11-22T10:00:00Z", "until": "2026-11-23T10:00:00Z",
                                "revert_to": assignments("trader", &[("agency", "3")])});
    let mut c = change(trader.clone(), admin.clone());
    c["temporary"] = json!({"until": "2026-11-23T10:00:00Z"});
    c["reason"] = json!("Admin for 24 hours to deploy pixel");
    let a = assess(&mm(), c);
    assert!(codes(&a).contains(&"approval.elevation"));
    assert!(can(&mm(), &admin, "pixels", "write", ("advertiser", "301")));
    assert_eq!(
        step(&a, "schedule_revert").unwrap().items,
        ["2026-11-23T10:00:00Z"]
    );
    assert!(step(&a, "schedule_revert")
        .unwrap()
        .detail
        .contains("revoke the API tokens"));
    // The revert, a day later: the token made during the elevation goes, the older one too
    // (a trader cannot hold tokens).
    let tokens = json!([
        {"id": "tok-old", "created_at": "2026-10-01"},
        {"id": "tok-pixel", "created_at": "2026-11-22T15:00:00Z"}
    ]);
    admin["tokens"] = tokens.clone();
    let reverted = with(trader, "tokens", tokens);
    let mut c = change(admin, reverted);
    c["now"] = json!("2026-11-23T10:00:00Z");
    let a = assess(&mm(), c);
    assert_eq!(
        finding(&a, "tokens.elevation_ended").unwrap().data["tokens"],
        json!(["tok-pixel"])
    );
    let revoke = &step(&a, "revoke_tokens").unwrap().items;
    assert!(revoke.contains(&"tok-pixel".to_string()) && revoke.contains(&"tok-old".to_string()));
}

/// MediaMath checklist, use case Expanding advertiser scope: tick the new advertiser, keep the role,
/// tell and log. It raises no role, so it needs no approval.
#[test]
fn mm_use_case_an_agency_wins_a_client() {
    let before = person("4821", "Ana Ruiz", "trader", &[("advertiser", "301")]);
    let after = person(
        "4821",
        "Ana Ruiz",
        "trader",
        &[("advertiser", "301"), ("advertiser", "401")],
    );
    let a = assess(&mm(), change(before, after));
    assert!(a.approvals_required.is_empty());
    assert!(step(&a, "change_role").is_none());
    assert!(step(&a, "notify_user").is_some() && step(&a, "record_log").is_some());
    assert_eq!(
        a.requests[0].body["permissions"]["advertiser_ids"],
        json!([301, 401])
    );
}

/// MediaMath checklist, use case Reducing advertiser scope: move the campaigns first, then untick
/// the advertiser, tell and log.
#[test]
fn mm_use_case_an_agency_loses_a_client() {
    let campaign =
        json!([{"kind": "campaign", "id": "c-9", "entity": {"level": "advertiser", "id": "302"}}]);
    let a = trader_loses_302(campaign);
    assert!(codes(&a).contains(&"assets.orphaned"));
    assert!(before_in_plan(&a, "transfer_assets", "edit_entities"));
    assert!(before_in_plan(&a, "edit_entities", "notify_user"));
    assert_eq!(a.log_entry.entities.new, ["advertiser:301"]);
}

/// MediaMath checklist, use case Adding billing access to finance team member: billing on, the role
/// left as it is (no Admin), the finance approval's reference in the log.
#[test]
fn mm_use_case_billing_for_a_finance_team_member() {
    let reporting = rita("reporting");
    let on = with(reporting.clone(), "toggles", json!({"billing": true}));
    let mut c = change(reporting, on.clone());
    c["approvals"] = json!([
        {"kind": "manager", "by": "lee@northwind.example", "reference": "OPS-40"},
        {"kind": "finance", "by": "cfo@northwind.example", "reference": "FIN-7"}
    ]);
    let a = assess(&mm(), c);
    assert!(codes(&a).contains(&"approval.billing"));
    assert!(!codes(&a).contains(&"approval.admin") && !codes(&a).contains(&"approval.missing"));
    assert!(can(&mm(), &on, "billing", "read", ("advertiser", "301")));
    assert!(!can(&mm(), &on, "users", "manage", ("advertiser", "301")));
    assert_eq!(a.log_entry.approvals[1].reference.as_deref(), Some("FIN-7"));
    assert!(step(&a, "notify_user")
        .unwrap()
        .detail
        .contains("billing none → read"));
}

/// MediaMath checklist, use case Removing billing access after role change: billing off once
/// someone else handles invoices; tell and log.
#[test]
fn mm_use_case_removing_billing_after_a_role_change() {
    let on = json!({"billing": true});
    let before = with(ana("trader"), "toggles", on);
    let after = with(ana("trader"), "toggles", json!({"billing": false}));
    let mut c = change(before, after);
    c["population"] = json!([lee()]);
    let a = assess(&mm(), c);
    assert_eq!(step(&a, "set_toggles").unwrap().items, ["billing: off"]);
    assert!(
        !codes(&a).contains(&"billing.last_holder"),
        "Lee, an Admin, handles billing"
    );
    assert!(step(&a, "notify_user")
        .unwrap()
        .detail
        .contains("billing read → none"));
    assert!(step(&a, "record_log").is_some());
}

// ---------------------------------------------------------------------------------------------
// Display & Video 360 help page on user roles. Partner 1 with advertisers 11 and 12, partner 2
// with advertiser 21; Lee is partner 1's Admin.

fn dv_directory() -> Directory {
    doc(json!({"entities": [
        {"level": "partner", "id": "1", "name": "Northwind Media"},
        {"level": "advertiser", "id": "11", "parent": "1", "name": "Acme Shoes"},
        {"level": "advertiser", "id": "12", "parent": "1", "name": "Blue Bottle Coffee"},
        {"level": "partner", "id": "2", "name": "Bluefin Agency"},
        {"level": "advertiser", "id": "21", "parent": "2", "name": "Evergreen Foods"}
    ]}))
}

fn dv() -> Engine {
    Engine::new(Profile::builtin("dv360").unwrap(), Some(&dv_directory())).unwrap()
}

fn dv_lee() -> Value {
    person("u-1", "Lee Park", "admin", &[("partner", "1")])
}

fn dv_change(actor: Value, before: Value, after: Value) -> Value {
    json!({"actor": actor, "before": before, "after": after, "reason": "ticket", "now": NOW})
}

fn validate(engine: &Engine, user: &Value) -> Vec<String> {
    engine
        .validate_user(&doc::<User>(user.clone()))
        .findings
        .into_iter()
        .map(|f| f.code)
        .collect()
}

const RECORD: &str = r#"{"id": "li-1", "impressions": 1200, "budget": 25000, "budget_spent": 11820.55,
    "budget_remaining": 13179.45, "media_cost": 9800.1, "revenue": 11820.55, "cpm": 8.14, "cpc": 2.68,
    "cpa": 41.2, "markup": 0.2, "fees": 512.0, "deal_cost": 1500, "revenue_model": "CPM_MARKUP",
    "billable_cost": 11308.55, "platform_fees": 210.0, "linked_accounts": ["ga4-1"],
    "client_cost": 14200.0, "client_cost_ecpm": 11.79, "client_cost_viewable_ecpm": 16.4}"#;

fn redact(engine: &Engine, user: &Value) -> Value {
    let record: Value = serde_json::from_str(RECORD).unwrap();
    engine.redact(
        &doc::<User>(user.clone()),
        &EntityRef::new("advertiser", "11"),
        &record,
    )
}

fn hidden(record: &Value) -> Vec<&str> {
    let mut out: Vec<&str> = record
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| *v == "No access")
        .map(|(k, _)| k.as_str())
        .collect();
    out.sort_unstable();
    out
}

/// DV360 help, Key components: only admin users add users and change access on their partners;
/// everyone else asks an admin.
#[test]
fn dv_only_admins_manage_users() {
    let newcomer = person("u-9", "Ivy Chen", "standard", &[("advertiser", "11")]);
    let c = dv_change(
        person("u-2", "Mia Lopez", "standard", &[("partner", "1")]),
        Value::Null,
        newcomer.clone(),
    );
    assert!(codes(&assess(&dv(), c)).contains(&"authority.cannot_manage"));
    let c = dv_change(dv_lee(), Value::Null, newcomer);
    assert!(!codes(&assess(&dv(), c)).contains(&"authority.cannot_manage"));
}

/// DV360 help, Key components: one role per partner or advertiser.
#[test]
fn dv_one_role_per_partner_or_advertiser() {
    let mut u = person("u-9", "Ivy Chen", "standard", &[("advertiser", "11")]);
    u["assignments"]
        .as_array_mut()
        .unwrap()
        .push(json!({"entity": {"level": "advertiser", "id": "11"}, "role": "read_only"}));
    assert!(validate(&dv(), &u).contains(&"entity.duplicate".to_string()));
}

/// DV360 help, Role families, with the page's own example: standard on one advertiser goes with
/// read only or reporting only on another, not with creative admin.
#[test]
fn dv_roles_stay_in_one_family() {
    let e = Engine::new(Profile::builtin("dv360").unwrap(), None).unwrap();
    for (second, ok) in [
        ("read_only", true),
        ("reporting_only", true),
        ("creative_admin", false),
    ] {
        let u = json!({"id": "u-9", "assignments": [
            {"entity": {"level": "advertiser", "id": "123"}, "role": "standard"},
            {"entity": {"level": "advertiser", "id": "456"}, "role": second}]});
        assert_eq!(
            !validate(&e, &u).contains(&"family.mixed".to_string()),
            ok,
            "{second}"
        );
    }
}

/// DV360 help, Standard roles: Admin is a partner-level role.
#[test]
fn dv_admin_only_at_partner_level() {
    let u = person("u-9", "Ivy Chen", "admin", &[("advertiser", "11")]);
    assert!(validate(&dv(), &u).contains(&"role.level_not_allowed".to_string()));
    let u = person("u-9", "Ivy Chen", "admin", &[("partner", "1")]);
    assert!(validate(&dv(), &u).is_empty());
}

/// DV360 help, Standard roles and Compare admin and standard roles: what an Admin may do.
#[test]
fn dv_the_admin_matrix() {
    let admin = dv_lee();
    let e = dv();
    allows_all(
        &e,
        &admin,
        ("advertiser", "11"),
        &[
            ("campaigns", "write"),
            ("creatives", "write"),
            ("audiences", "write"),
            ("inventory", "write"),
            ("floodlight", "write"),
            ("reports", "write"),
            ("advertisers", "create"),
            ("users", "manage"),
            ("billing", "write"),
            ("linking", "initiate_approve"),
            ("api", "use"),
        ],
    );
}

/// DV360 help, Standard roles and Compare admin and standard roles: a standard user manages the
/// campaign objects and sees users, without editing them or reaching billing; the comparison
/// table adds advertiser creation and linking (its user-management row for standard users loses
/// to the prose and the API).
#[test]
fn dv_the_standard_matrix() {
    let standard = person("u-2", "Mia Lopez", "standard", &[("advertiser", "11")]);
    let e = dv();
    let at = ("advertiser", "11");
    allows_all(
        &e,
        &standard,
        at,
        &[
            ("campaigns", "write"),
            ("creatives", "write"),
            ("audiences", "write"),
            ("inventory", "write"),
            ("floodlight", "write"),
            ("reports", "write"),
            ("advertisers", "create"),
            ("linking", "initiate_approve"),
            ("users", "view"),
            ("api", "use"),
        ],
    );
    assert!(!can(&e, &standard, "users", "manage", at));
    assert!(!can(&e, &standard, "billing", "read", at));
}

/// DV360 help, Standard roles: read only builds reports and views data.
#[test]
fn dv_the_read_only_matrix() {
    let u = person("u-3", "Noor Aziz", "read_only", &[("advertiser", "11")]);
    let e = dv();
    let at = ("advertiser", "11");
    assert!(can(&e, &u, "reports", "write", at));
    assert!(can(&e, &u, "campaigns", "read", at));
    assert!(can(&e, &u, "floodlight", "read", at));
    assert!(!can(&e, &u, "campaigns", "write", at));
    assert!(!can(&e, &u, "users", "view", at));
}

/// DV360 help, Standard roles: reporting only manages reports and nothing else.
#[test]
fn dv_the_reporting_only_matrix() {
    let u = person("u-4", "Sam Ito", "reporting_only", &[("advertiser", "11")]);
    let e = dv();
    let at = ("advertiser", "11");
    assert!(can(&e, &u, "reports", "write", at));
    assert!(!can(&e, &u, "campaigns", "read", at));
    assert!(!can(&e, &u, "api", "use", at));
}

/// DV360 help, Standard roles: the planner views campaigns, creatives, Floodlight and reports with
/// every cost figure, and edits plans and inventory.
#[test]
fn dv_the_planner_matrix() {
    let u = person("u-5", "Ravi Shah", "planner", &[("advertiser", "11")]);
    let e = dv();
    let at = ("advertiser", "11");
    allows_all(
        &e,
        &u,
        at,
        &[
            ("campaigns", "read"),
            ("creatives", "read"),
            ("floodlight", "read"),
            ("reports", "read"),
            ("cost_data", "view"),
            ("reseller_data", "view"),
            ("plans", "write"),
            ("inventory", "write"),
        ],
    );
    assert!(!can(&e, &u, "campaigns", "write", at));
    assert!(!can(&e, &u, "floodlight", "write", at));
    assert!(
        !can(&e, &u, "audiences", "read", at),
        "the page does not list audiences"
    );
    assert_eq!(redact(&e, &u)["access_label"], Value::Null, "all cost data");
}

/// DV360 help, Standard roles: API access belongs to Admin, Standard and Read only; a move to any
/// other role takes it, and the tokens go.
#[test]
fn dv_only_admin_standard_and_read_only_use_the_api() {
    let e = dv();
    let profile = Profile::builtin("dv360").unwrap();
    for role in profile.roles() {
        let at = if role.levels.contains(&"advertiser".to_string()) {
            ("advertiser", "11")
        } else {
            ("partner", "1")
        };
        let u = person("u-9", "Ivy Chen", &role.id, &[at]);
        let api = can(&e, &u, "api", "use", at);
        assert_eq!(
            api,
            ["admin", "standard", "read_only"].contains(&role.id.as_str()),
            "{}",
            role.id
        );
    }
    let tokens = json!([{"id": "tok-1"}]);
    let before = with(
        person("u-2", "Mia Lopez", "standard", &[("advertiser", "11")]),
        "tokens",
        tokens.clone(),
    );
    let after = with(
        person("u-2", "Mia Lopez", "planner", &[("advertiser", "11")]),
        "tokens",
        tokens,
    );
    let a = assess(&e, dv_change(dv_lee(), before, after));
    assert!(codes(&a).contains(&"tokens.orphaned"));
}

/// DV360 help, Client-safe roles: the limited reporting role manages the client-safe reports and
/// sees the client cost metrics, which are not media cost, fees or deal cost.
#[test]
fn dv_the_client_safe_role_sees_client_cost_only() {
    let u = person(
        "u-6",
        "Eve Kim",
        "reporting_only_limited",
        &[("advertiser", "11")],
    );
    let e = dv();
    assert!(can(
        &e,
        &u,
        "client_safe_reports",
        "write",
        ("advertiser", "11")
    ));
    assert!(!can(&e, &u, "reports", "read", ("advertiser", "11")));
    let r = redact(&e, &u);
    assert_eq!(r["client_cost"], json!(14200.0));
    assert_eq!(r["client_cost_viewable_ecpm"], json!(16.4));
    for field in [
        "media_cost",
        "fees",
        "deal_cost",
        "budget",
        "cpm",
        "revenue_model",
    ] {
        assert_eq!(r[field], "No access", "{field}");
    }
    assert_eq!(r["access_label"], "Limited Access");
}

/// DV360 help, Creative roles: the can and can't lists of creative users.
#[test]
fn dv_the_creative_matrix() {
    let u = person("u-7", "Zoe Ward", "creative", &[("advertiser", "11")]);
    let e = dv();
    let at = ("advertiser", "11");
    assert!(can(&e, &u, "creatives", "write", at));
    for cap in ["plans", "campaigns", "audiences"] {
        assert!(can(&e, &u, cap, "read", at), "{cap}");
        assert!(!can(&e, &u, cap, "write", at), "{cap}");
    }
    assert!(can(&e, &u, "reports", "write", at));
    assert!(!can(&e, &u, "cost_data", "view", at));
    assert!(!can(&e, &u, "deals", "negotiate", at));
    assert!(!can(&e, &u, "users", "view", at));
}

/// DV360 help, Creative roles and What users with creative and planning limited roles see: cost
/// figures read "No access" and the record is labelled "Limited Access".
#[test]
fn dv_limited_roles_see_no_access() {
    let e = dv();
    for role in ["creative", "planner_limited"] {
        let u = person("u-7", "Zoe Ward", role, &[("advertiser", "11")]);
        let r = redact(&e, &u);
        for field in [
            "media_cost",
            "markup",
            "fees",
            "deal_cost",
            "cpm",
            "cpc",
            "cpa",
            "budget",
            "budget_spent",
            "budget_remaining",
            "revenue",
        ] {
            assert_eq!(r[field], "No access", "{role}: {field}");
        }
        assert_eq!(r["impressions"], json!(1200));
        assert_eq!(r["access_label"], "Limited Access");
    }
    // Moving a user there says so.
    let before = person("u-5", "Ravi Shah", "planner", &[("advertiser", "11")]);
    let after = person(
        "u-5",
        "Ravi Shah",
        "planner_limited",
        &[("advertiser", "11")],
    );
    assert!(codes(&assess(&e, dv_change(dv_lee(), before, after))).contains(&"cost_data.hidden"));
}

/// DV360 help, What users with creative and planning limited roles see: they cannot save
/// insertion orders.
#[test]
fn dv_limited_roles_cannot_edit_insertion_orders() {
    let e = dv();
    for role in ["creative", "creative_admin", "planner_limited"] {
        let u = person("u-7", "Zoe Ward", role, &[("advertiser", "11")]);
        assert!(
            can(&e, &u, "campaigns", "read", ("advertiser", "11")),
            "{role}"
        );
        assert!(
            !can(&e, &u, "campaigns", "write", ("advertiser", "11")),
            "{role}"
        );
    }
}

/// DV360 help, Creative roles (and the API's CREATIVE_ADMIN): a creative admin sees and manages the
/// creative users, no one else.
#[test]
fn dv_a_creative_admin_manages_creative_users_only() {
    let actor = person("u-8", "Ada Cole", "creative_admin", &[("partner", "1")]);
    let e = dv();
    assert!(can(&e, &actor, "users", "view", ("advertiser", "11")));
    assert!(!can(&e, &actor, "users", "manage", ("advertiser", "11")));
    let creative = person("u-9", "Ivy Chen", "creative", &[("advertiser", "11")]);
    let a = assess(&e, dv_change(actor.clone(), Value::Null, creative));
    assert!(!codes(&a).contains(&"authority.cannot_manage"));
    let standard = person("u-9", "Ivy Chen", "standard", &[("advertiser", "11")]);
    let a = assess(&e, dv_change(actor, Value::Null, standard));
    assert!(codes(&a).contains(&"authority.cannot_manage"));
}

/// DV360 help, Planning limited roles: a planner without cost data and without deals.
#[test]
fn dv_the_planner_limited_matrix() {
    let u = person(
        "u-5",
        "Ravi Shah",
        "planner_limited",
        &[("advertiser", "11")],
    );
    let e = dv();
    let at = ("advertiser", "11");
    allows_all(
        &e,
        &u,
        at,
        &[
            ("campaigns", "read"),
            ("creatives", "read"),
            ("floodlight", "read"),
            ("reports", "read"),
            ("plans", "write"),
            ("inventory", "write"),
        ],
    );
    assert!(!can(&e, &u, "cost_data", "view", at));
    assert!(!can(&e, &u, "deals", "negotiate", at));
}

/// DV360 help, Partner client roles: no linked accounts, billable cost or platform fees, media
/// cost shown. On the revenue model the page and the API disagree; the API wins, so it is hidden.
#[test]
fn dv_partner_clients_see_no_reseller_data() {
    let e = dv();
    let u = person(
        "u-10",
        "Tom Reed",
        "partner_client",
        &[("advertiser", "11")],
    );
    let r = redact(&e, &u);
    assert_eq!(
        hidden(&r),
        [
            "billable_cost",
            "client_cost",
            "client_cost_ecpm",
            "client_cost_viewable_ecpm",
            "linked_accounts",
            "markup",
            "platform_fees",
            "revenue_model"
        ]
    );
    assert_eq!(r["media_cost"], json!(9800.1));
    assert!(!can(
        &e,
        &u,
        "linking",
        "initiate_approve",
        ("advertiser", "11")
    ));
}

/// DV360 help, Partner client roles: partner clients create no advertisers.
#[test]
fn dv_partner_clients_create_no_advertisers() {
    let e = dv();
    for (role, at) in [
        ("partner_client_admin", ("partner", "1")),
        ("partner_client", ("advertiser", "11")),
    ] {
        let u = person("u-10", "Tom Reed", role, &[at]);
        assert!(!can(&e, &u, "advertisers", "create", at), "{role}");
    }
}

/// DV360 help, Partner client roles, and the API's partner client roles: the partner client admin
/// manages partner client users only; the standard partner client manages nobody (the API wins
/// over the page here).
#[test]
fn dv_a_partner_client_admin_manages_partner_client_users_only() {
    let e = dv();
    let admin = person(
        "u-11",
        "Jo Park",
        "partner_client_admin",
        &[("partner", "1")],
    );
    let client = person("u-12", "Ben Ode", "partner_client", &[("advertiser", "11")]);
    assert!(!codes(&assess(
        &e,
        dv_change(admin.clone(), Value::Null, client.clone())
    ))
    .contains(&"authority.cannot_manage"));
    let standard = person("u-12", "Ben Ode", "standard", &[("advertiser", "11")]);
    assert!(codes(&assess(&e, dv_change(admin, Value::Null, standard)))
        .contains(&"authority.cannot_manage"));
    let peer = person("u-13", "Al Roy", "partner_client", &[("advertiser", "11")]);
    assert!(codes(&assess(&e, dv_change(client, Value::Null, peer)))
        .contains(&"authority.cannot_manage"));
}

/// DV360 help, Key components and Partner client roles: only Admin manages every user of a
/// partner, so removing its last Admin is flagged even with a partner client admin left.
#[test]
fn dv_the_last_admin_is_flagged_despite_a_partner_client_admin() {
    let e = dv();
    let pca = person(
        "u-11",
        "Jo Park",
        "partner_client_admin",
        &[("partner", "1")],
    );
    let admin = person("u-3", "Noor Aziz", "admin", &[("partner", "1")]);
    let standard = person("u-3", "Noor Aziz", "standard", &[("partner", "1")]);
    let mut c = dv_change(dv_lee(), admin, standard);
    c["actor"] = person("u-99", "Seat Owner", "admin", &[("partner", "1")]);
    c["population"] = json!([pca]);
    assert!(codes(&assess(&e, c)).contains(&"admin.last_holder"));
}

/// DV360 help, Key components: the access review counts a partner's Admins; a partner client admin
/// is not one.
#[test]
fn dv_the_review_counts_admins_only() {
    let e = dv();
    let pca = person(
        "u-11",
        "Jo Park",
        "partner_client_admin",
        &[("partner", "2")],
    );
    let report = audit(&e, json!([dv_lee(), pca]), None);
    let about = |code: &str, partner: &str| {
        report
            .findings
            .iter()
            .find(|f| f.code == code && f.data["entity"]["id"] == partner)
            .map(|f| f.data["admins"].clone())
    };
    assert_eq!(about("admin.count", "1"), Some(json!(1)));
    assert_eq!(about("admin.none", "2"), Some(json!(0)));
}

/// DV360 help, Add a new user: access can only be given on partners and advertisers the editor
/// has itself.
#[test]
fn dv_an_actor_grants_only_what_it_reaches() {
    let u = person("u-9", "Ivy Chen", "standard", &[("advertiser", "21")]);
    let a = assess(&dv(), dv_change(dv_lee(), Value::Null, u));
    assert!(codes(&a).contains(&"authority.entity_out_of_reach"));
    assert!(!a.ok);
}

/// DV360 help, Add a new user: partners and advertisers picked, a role for each, saved.
#[test]
fn dv_a_new_user_is_a_users_create_request() {
    let mut u = person("u-9", "Ivy Chen", "standard", &[("advertiser", "11")]);
    u["assignments"]
        .as_array_mut()
        .unwrap()
        .push(json!({"entity": {"level": "advertiser", "id": "12"}, "role": "read_only"}));
    let a = assess(&dv(), dv_change(dv_lee(), Value::Null, u));
    assert_eq!(a.requests[0].method, "users.create");
    assert_eq!(
        a.requests[0].body["assignedUserRoles"],
        json!([{"advertiserId": "11", "userRole": "STANDARD"}, {"advertiserId": "12", "userRole": "READ_ONLY"}])
    );
}

/// DV360 help, Edit an existing user: the email is the one setting that never changes.
#[test]
fn dv_the_email_cannot_change() {
    let before = person("u-2", "Mia Lopez", "standard", &[("advertiser", "11")]);
    let after = with(
        before.clone(),
        "email",
        json!("mia.lopez@northwind.example"),
    );
    let a = assess(&dv(), dv_change(dv_lee(), before, after));
    assert!(codes(&a).contains(&"email.immutable"));
    assert!(!a.ok);
}

/// DV360 help, Delete a user.
#[test]
fn dv_a_deletion_is_a_users_delete_request() {
    let before = with(
        person("u-2", "Mia Lopez", "standard", &[("advertiser", "11")]),
        "tokens",
        json!([{"id": "tok-2"}]),
    );
    let a = assess(&dv(), dv_change(dv_lee(), before, Value::Null));
    assert_eq!(a.requests[0].method, "users.delete");
    assert_eq!(a.log_entry.action, "delete");
    assert!(codes(&a).contains(&"tokens.orphaned"));
}

/// Rules the DV360 page does not state (approvals, tokens, parent and child) are the seat's
/// policy, marked as such, and a team profile may change them.
#[test]
fn dv_the_seat_policy_is_marked_and_overridable() {
    let p = Profile::builtin("dv360").unwrap();
    let policy = |fact: &str| {
        p.facts().into_iter().find(|f| f.fact == fact).map(|f| {
            f.kinds()
                .contains(&adaccess_core::profile::CitationKind::Policy)
        })
    };
    for fact in [
        "rules.approval.elevation",
        "rules.approval.admin",
        "rules.approval.billing",
        "rules.tokens.orphaned",
        "constraints.no_parent_and_child",
    ] {
        assert_eq!(policy(fact), Some(true), "{fact}");
    }
    // A team that allows a partner and its advertiser together, and approves promotions its
    // own way.
    let team = json!({"id": "acme", "name": "Acme", "version": "1", "extends": "dv360",
        "constraints": {"single_family": true, "one_role_per_entity": true, "min_assignments": 1},
        "rule_overrides": {"approval.elevation": {"disabled": true}}});
    let e = Engine::new(
        Profile::from_json(&team.to_string()).unwrap(),
        Some(&dv_directory()),
    )
    .unwrap();
    let u = json!({"id": "u-9", "assignments": [
        {"entity": {"level": "partner", "id": "1"}, "role": "read_only"},
        {"entity": {"level": "advertiser", "id": "11"}, "role": "standard"}]});
    assert!(!validate(&e, &u).contains(&"entity.parent_and_child".to_string()));
    assert!(validate(&dv(), &u).contains(&"entity.parent_and_child".to_string()));
    let before = person("u-3", "Noor Aziz", "read_only", &[("advertiser", "11")]);
    let after = person("u-3", "Noor Aziz", "standard", &[("advertiser", "11")]);
    assert!(!codes(&assess(
        &e,
        dv_change(dv_lee(), before.clone(), after.clone())
    ))
    .contains(&"approval.elevation"));
    assert!(
        codes(&assess(&dv(), dv_change(dv_lee(), before, after))).contains(&"approval.elevation")
    );
}

/// Seat policy borrowed from the MediaMath use case on temporary elevation: a DV360 user raised to
/// admin and reverted to standard keeps API access, so nothing is orphaned, yet the tokens made
/// while admin are revoked.
#[test]
fn dv_tokens_made_during_an_elevation_are_revoked_on_revert() {
    let tokens = json!([
        {"id": "tok-before", "created_at": "2026-10-01"},
        {"id": "tok-during", "created_at": "2026-11-21"}
    ]);
    let mut admin = with(
        person("u-2", "Mia Lopez", "admin", &[("partner", "1")]),
        "tokens",
        tokens.clone(),
    );
    admin["elevation"] = json!({"since": "2026-11-20", "until": "2026-11-22",
                                "revert_to": assignments("standard", &[("partner", "1")])});
    let standard = with(
        person("u-2", "Mia Lopez", "standard", &[("partner", "1")]),
        "tokens",
        tokens,
    );
    let a = assess(&dv(), dv_change(dv_lee(), admin, standard));
    assert!(!codes(&a).contains(&"tokens.orphaned"));
    assert_eq!(
        finding(&a, "tokens.elevation_ended").unwrap().data["tokens"],
        json!(["tok-during"])
    );
    assert_eq!(step(&a, "revoke_tokens").unwrap().items, ["tok-during"]);
}

// ---------------------------------------------------------------------------------------------

/// docs/checklist.md names a test of this file in each row, and each test here has a row.
#[test]
fn the_checklist_table_and_its_tests_agree() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let table = std::fs::read_to_string(root.join("docs/checklist.md")).unwrap();
    let source = std::fs::read_to_string(root.join("core/tests/checklist.rs")).unwrap();
    let tests: Vec<&str> = source
        .lines()
        .filter_map(|l| l.strip_prefix("fn "))
        .filter_map(|l| l.split('(').next())
        .filter(|name| *name != "the_checklist_table_and_its_tests_agree")
        .filter(|name| source.contains(&format!("#[test]\nfn {name}(")))
        .collect();
    assert!(tests.len() > 50, "{} tests", tests.len());
    let mut rows = 0;
    for line in table
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains('`'))
    {
        let named: Vec<&str> = line
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|n| n.starts_with("mm_") || n.starts_with("dv_"))
            .collect();
        if named.is_empty() {
            continue;
        }
        rows += 1;
        for n in &named {
            assert!(
                tests.contains(n),
                "docs/checklist.md names `{n}`, not a test of checklist.rs"
            );
        }
    }
    for t in &tests {
        assert!(
            table.contains(&format!("`{t}`")),
            "{t} has no row in docs/checklist.md"
        );
    }
    assert!(rows >= tests.len(), "{rows} rows for {} tests", tests.len());
}
