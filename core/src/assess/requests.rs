//! The platform's own API calls that carry out an assessed change (SPEC §4.4).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::diff::Diff;
use crate::engine::{CoverKind, Engine};
use crate::model::{Assignment, User};

/// One API call, ready to send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PlatformRequest {
    /// `dv360` or `t1`.
    pub platform: String,
    /// The API method (`users.bulkEditAssignedUserRoles`).
    pub method: String,
    pub http_method: String,
    /// Path relative to the API's versioned root.
    pub path: String,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub body: Value,
}

/// What the requests read of an assessed change.
struct Subject<'a> {
    engine: &'a Engine,
    before: &'a User,
    after: &'a User,
    created: bool,
    deleted: bool,
    diff: &'a Diff,
}

/// The platform's API calls that carry out an assessed change, when the profile names an API
/// (`dv360`, `t1`).
pub(crate) fn requests(
    engine: &Engine,
    before: &User,
    after: &User,
    created: bool,
    deleted: bool,
    diff: &Diff,
) -> Vec<PlatformRequest> {
    let subject = Subject {
        engine,
        before,
        after,
        created,
        deleted,
        diff,
    };
    match engine.profile().doc().api.as_deref() {
        Some("dv360") => subject.requests::<Dv360>(),
        Some("t1") => subject.requests::<T1>(),
        _ => Vec::new(),
    }
}

/// The parts of the requests that differ from one platform to another. Each gives `None`
/// when the platform cannot be asked (a role it has no name for): then there are no requests.
trait Platform {
    /// The `platform` of its requests.
    const NAME: &'static str;
    /// The requests that create the user (`after`).
    fn create(s: &Subject<'_>) -> Option<Vec<PlatformRequest>>;
    /// The requests that delete the user (`before`).
    fn delete(s: &Subject<'_>) -> Option<Vec<PlatformRequest>>;
    /// The requests that update a user who stays.
    fn update(s: &Subject<'_>) -> Option<Vec<PlatformRequest>>;
}

impl Subject<'_> {
    /// The requests of one platform: the user created, deleted, or updated. (A change with
    /// neither side is never `ok`, so never asks for requests.)
    fn requests<P: Platform>(&self) -> Vec<PlatformRequest> {
        let out = if self.created {
            P::create(self)
        } else if self.deleted {
            P::delete(self)
        } else {
            P::update(self)
        };
        out.unwrap_or_default()
    }
}

/// One request of a platform.
fn request(
    platform: &str,
    method: &str,
    http_method: &str,
    path: String,
    body: Value,
) -> PlatformRequest {
    PlatformRequest {
        platform: platform.into(),
        method: method.into(),
        http_method: http_method.into(),
        path,
        body,
    }
}

/// The platform name of a role, or `None` when the profile has no mapping for it.
fn external<'a>(engine: &'a Engine, role: &str, key: &str) -> Option<&'a str> {
    let profile = engine.profile();
    let r = profile.role_doc(profile.role(role)?)?;
    r.external_ids.get(key).map(String::as_str)
}

/// An assigned user role as DV360 writes it (`{"advertiserId": …, "userRole": …}`), or
/// `None` for a role or level it has no name for.
fn dv360_role(engine: &Engine, a: &Assignment) -> Option<Value> {
    let role = external(engine, &a.role, "dv360_api")?;
    let key = match a.entity.level.as_str() {
        "partner" => "partnerId",
        "advertiser" => "advertiserId",
        _ => return None,
    };
    Some(json!({ key: a.entity.id, "userRole": role }))
}

/// The id DV360 gives an assigned user role: `advertiser-42`.
fn dv360_id(a: &Assignment) -> String {
    format!("{}-{}", a.entity.level, a.entity.id)
}

/// Display & Video 360: a user is created with its roles, deleted, or has its roles edited
/// in bulk (`users.bulkEditAssignedUserRoles`).
struct Dv360;

impl Platform for Dv360 {
    const NAME: &'static str = "dv360";

    fn create(s: &Subject<'_>) -> Option<Vec<PlatformRequest>> {
        let after = s.after;
        let roles: Option<Vec<Value>> = after
            .assignments
            .iter()
            .map(|a| dv360_role(s.engine, a))
            .collect();
        Some(vec![request(
            Self::NAME,
            "users.create",
            "POST",
            "users".into(),
            json!({"email": after.email, "displayName": after.name, "assignedUserRoles": roles?}),
        )])
    }

    fn delete(s: &Subject<'_>) -> Option<Vec<PlatformRequest>> {
        Some(vec![request(
            Self::NAME,
            "users.delete",
            "DELETE",
            format!("users/{}", s.before.id),
            Value::Null,
        )])
    }

    /// The API deletes, then creates. A create that would sit beside a role it replaces (a
    /// partner and its advertiser, two families) goes in a second request, after the first
    /// has removed what it conflicts with — unless that would leave the user with no role.
    fn update(s: &Subject<'_>) -> Option<Vec<PlatformRequest>> {
        let (engine, diff) = (s.engine, s.diff);
        let deletes: Vec<Assignment> = diff
            .removed
            .iter()
            .cloned()
            .chain(diff.role_changed.iter().map(|r| Assignment {
                entity: r.entity.clone(),
                role: r.from.clone(),
            }))
            .collect();
        let creates: Vec<Assignment> = diff
            .added
            .iter()
            .cloned()
            .chain(diff.role_changed.iter().map(|r| Assignment {
                entity: r.entity.clone(),
                role: r.to.clone(),
            }))
            .collect();
        if deletes.is_empty() && creates.is_empty() {
            return Some(Vec::new());
        }
        let (late, early): (Vec<&Assignment>, Vec<&Assignment>) = creates
            .iter()
            .partition(|c| deletes.iter().any(|d| conflicts(engine, c, d)));
        let remaining = s.before.assignments.len() + early.len();
        let split = !late.is_empty() && remaining > deletes.len();
        let path = format!("users/{}:bulkEditAssignedUserRoles", s.after.id);
        let edit = |path: String, body: Value| {
            request(
                Self::NAME,
                "users.bulkEditAssignedUserRoles",
                "POST",
                path,
                body,
            )
        };
        let all_deletes: Vec<&Assignment> = deletes.iter().collect();
        if split {
            Some(vec![
                edit(path.clone(), dv360_edit(engine, &all_deletes, &early)?),
                edit(path, dv360_edit(engine, &[], &late)?),
            ])
        } else {
            let all_creates: Vec<&Assignment> = creates.iter().collect();
            Some(vec![edit(
                path,
                dv360_edit(engine, &all_deletes, &all_creates)?,
            )])
        }
    }
}

/// The body of one `users.bulkEditAssignedUserRoles`: the assigned roles it deletes and
/// those it creates; `None` when a created role has no DV360 name.
fn dv360_edit(engine: &Engine, deleted: &[&Assignment], created: &[&Assignment]) -> Option<Value> {
    let created: Option<Vec<Value>> = created.iter().map(|a| dv360_role(engine, a)).collect();
    let mut body = serde_json::Map::new();
    if !deleted.is_empty() {
        body.insert(
            "deletedAssignedUserRoles".into(),
            json!(deleted.iter().map(|a| dv360_id(a)).collect::<Vec<_>>()),
        );
    }
    let created = created?;
    if !created.is_empty() {
        body.insert("createdAssignedUserRoles".into(), Value::Array(created));
    }
    Some(Value::Object(body))
}

/// Would `create` and `existing` together be a forbidden state?
fn conflicts(engine: &Engine, create: &Assignment, existing: &Assignment) -> bool {
    if create.entity == existing.entity {
        return false;
    }
    let profile = engine.profile();
    let c = profile.constraints();
    if c.no_parent_and_child
        && (engine.covers(&create.entity, &existing.entity) == Some(CoverKind::Inherited)
            || engine.covers(&existing.entity, &create.entity) == Some(CoverKind::Inherited))
    {
        return true;
    }
    if c.single_family {
        let fam = |a: &Assignment| {
            profile
                .role(&a.role)
                .and_then(|r| profile.role_family(r))
                .map(|f| f.id.clone())
        };
        return fam(create) != fam(existing);
    }
    false
}

/// T1 wants numeric ids; keep the text when an id is not a number.
fn t1_id(id: &str) -> Value {
    id.parse::<i64>()
        .map_or_else(|_| Value::String(id.to_string()), Value::from)
}

/// The user's entities as T1's permissions: the ids of each level, top level first.
fn t1_permissions(engine: &Engine, user: &User) -> Value {
    let levels = engine.profile().levels();
    let ids = |level: Option<&String>| -> Vec<Value> {
        user.assignments
            .iter()
            .filter(|a| Some(&a.entity.level) == level)
            .map(|a| t1_id(&a.entity.id))
            .collect()
    };
    json!({"permissions": {
        "organization_ids": ids(levels.first()),
        "agency_ids": ids(levels.get(1)),
        "advertiser_ids": ids(levels.get(2)),
    }})
}

/// `GLOBAL` when the user covers a whole organization ("All advertisers"), else `SELECT`.
fn t1_scope(engine: &Engine, user: &User) -> &'static str {
    let top = engine.profile().levels().first();
    if user
        .assignments
        .iter()
        .any(|a| Some(&a.entity.level) == top)
    {
        "GLOBAL"
    } else {
        "SELECT"
    }
}

/// The T1 name of the user's role (that of the first assignment), when it has one.
fn t1_role<'a>(engine: &'a Engine, user: &User) -> Option<&'a str> {
    user.assignments
        .first()
        .and_then(|a| external(engine, &a.role, "t1_api"))
}

/// MediaMath T1: a user is created then given its permissions, deactivated (T1 has no user
/// deletion), or has its permissions, then its role and scope, updated.
struct T1;

impl Platform for T1 {
    const NAME: &'static str = "t1";

    fn create(s: &Subject<'_>) -> Option<Vec<PlatformRequest>> {
        let (engine, after) = (s.engine, s.after);
        let (first, last) = after
            .name
            .split_once(' ')
            .unwrap_or((after.name.as_str(), ""));
        let mut body = serde_json::Map::new();
        body.insert("username".into(), json!(after.email));
        body.insert("email".into(), json!(after.email));
        body.insert("first_name".into(), json!(first));
        body.insert("last_name".into(), json!(last));
        body.insert("active".into(), json!(true));
        body.insert("scope".into(), json!(t1_scope(engine, after)));
        if let Some(role) = t1_role(engine, after) {
            body.insert("role".into(), json!(role));
        }
        Some(vec![
            request(
                Self::NAME,
                "users.create",
                "POST",
                "users".into(),
                Value::Object(body),
            ),
            request(
                Self::NAME,
                "users.permissions.update",
                "POST",
                "users/{new_user_id}/permissions".into(),
                t1_permissions(engine, after),
            ),
        ])
    }

    /// T1 has no user deletion: a user is deactivated.
    fn delete(s: &Subject<'_>) -> Option<Vec<PlatformRequest>> {
        Some(vec![request(
            Self::NAME,
            "users.update",
            "POST",
            format!("users/{}", s.before.id),
            json!({"active": false}),
        )])
    }

    /// Scope first, then role (order.scope_before_role).
    fn update(s: &Subject<'_>) -> Option<Vec<PlatformRequest>> {
        let (engine, before, after, diff) = (s.engine, s.before, s.after, s.diff);
        let mut out = Vec::new();
        if !diff.added.is_empty() || !diff.removed.is_empty() {
            out.push(request(
                Self::NAME,
                "users.permissions.update",
                "POST",
                format!("users/{}/permissions", after.id),
                t1_permissions(engine, after),
            ));
        }
        let mut fields = serde_json::Map::new();
        let (rb, ra) = (t1_role(engine, before), t1_role(engine, after));
        if ra != rb {
            if let Some(role) = ra {
                fields.insert("role".into(), json!(role));
            }
        }
        let (sb, sa) = (t1_scope(engine, before), t1_scope(engine, after));
        if sa != sb {
            fields.insert("scope".into(), json!(sa));
        }
        if !fields.is_empty() {
            out.push(request(
                Self::NAME,
                "users.update",
                "POST",
                format!("users/{}", after.id),
                Value::Object(fields),
            ));
        }
        Some(out)
    }
}
