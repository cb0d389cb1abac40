//! The checks that belong to a change rather than a user (SPEC §4.1): an email that may not
//! change, a change of one's own access, approvals by the user, and whether the actor's roles
//! reach and manage every assignment the change touches.

use rustc_hash::FxHashSet as HashSet;
use serde_json::json;

use super::approvals;
use super::diff::Computed;
use crate::engine::{Engine, Place};
use crate::finding::Code;
use crate::finding::Finding;
use crate::model::display_user;
use crate::model::{Change, EntityRef, User};
use crate::profile::RoleId;

/// What the checks of a change read: the change, both its sides and its diff.
pub(super) struct Authority<'a> {
    pub engine: &'a Engine,
    pub change: &'a Change,
    /// The before- and after-state (an empty user for a side the change does not have).
    pub before: &'a User,
    pub after: &'a User,
    pub created: bool,
    pub deleted: bool,
    pub computed: &'a Computed<'a>,
}

/// An (entity, role) the change touches, with the path that names it.
struct Touched<'a> {
    entity: &'a EntityRef,
    role: &'a str,
    at: At,
}

/// One of the actor's roles, with where its entity sits.
type ActorRole<'a> = (&'a EntityRef, Place, RoleId);

/// An actor's role that reaches an entity: the entity it is held on, and the role.
type Reach<'a> = (&'a EntityRef, RoleId);

impl<'a> Authority<'a> {
    /// The structural checks that belong to a change rather than a user (SPEC §4.1).
    pub fn check_change(&self, findings: &mut Vec<Finding>) {
        self.email_immutable(findings);
        self.self_change(findings);
        approvals::self_approval_findings(self.change, findings);
        let touched = self.touched();
        let actor_roles = self.actor_roles();
        // Each finding once per path (and `directory.missing` once in all).
        let mut reported: HashSet<String> = HashSet::default();
        for t in &touched {
            self.check_touched(t, &actor_roles, &mut reported, findings);
        }
    }

    /// `email.immutable`: an existing user keeps their email.
    fn email_immutable(&self, findings: &mut Vec<Finding>) {
        let (before, after) = (self.before, self.after);
        if !self.created && !self.deleted && !before.email.eq_ignore_ascii_case(&after.email) {
            let who = display_user(after);
            findings.push(
                Finding::new(
                    Code::EmailImmutable,
                    format!(
                        "the email of {who} cannot change from `{}` to `{}`",
                        before.email, after.email
                    ),
                )
                .at("after.email"),
            );
        }
    }

    /// `authority.self_change`: the actor is the user whose access changes.
    fn self_change(&self, findings: &mut Vec<Finding>) {
        let actor = &self.change.actor;
        let target_ids = [self.before.id.as_str(), self.after.id.as_str()];
        if !actor.id.is_empty() && target_ids.contains(&actor.id.as_str()) {
            findings.push(
                Finding::new(
                    Code::AuthoritySelfChange,
                    format!("{} is changing their own access", display_user(actor)),
                )
                .at("actor"),
            );
        }
    }

    /// Every (entity, role) the change touches, with the path that names it: every
    /// assignment of a user created or deleted, or of a user whose toggles change; else the
    /// assignments added and removed, and both roles of each role changed.
    fn touched(&self) -> Vec<Touched<'a>> {
        let computed = self.computed;
        let diff = &computed.diff;
        let mut touched: Vec<Touched<'a>> = Vec::new();
        let every = |side: &'static str, u: &'a User| {
            let list = u.assignments.iter().enumerate();
            list.map(move |(i, a)| Touched {
                entity: &a.entity,
                role: a.role.as_str(),
                at: At::Assignment(side, i),
            })
        };
        let touch = |entity, role, at| Touched { entity, role, at };
        if self.created || self.deleted {
            touched.extend(if self.created {
                every("after", self.after)
            } else {
                every("before", self.before)
            });
            return touched;
        }
        for (a, k) in diff.added.iter().zip(&computed.added) {
            touched.push(touch(&a.entity, &a.role, At::Path(computed.after_path(*k))));
        }
        for (a, k) in diff.removed.iter().zip(&computed.removed) {
            touched.push(touch(
                &a.entity,
                &a.role,
                At::Path(computed.before_path(*k)),
            ));
        }
        for (r, k) in diff.role_changed.iter().zip(&computed.role_changed) {
            let path = computed.after_path(*k);
            touched.push(touch(&r.entity, &r.from, At::Path(path.clone())));
            touched.push(touch(&r.entity, &r.to, At::Path(path)));
        }
        if !diff.toggles.is_empty() {
            touched.extend(every("after", self.after));
        }
        touched
    }

    /// The actor's roles, each with where its entity sits (found once, not once per entity
    /// touched).
    fn actor_roles(&self) -> Vec<ActorRole<'a>> {
        let (engine, profile) = (self.engine, self.engine.profile());
        self.change
            .actor
            .assignments
            .iter()
            .filter_map(|a| {
                let role = profile.role(&a.role)?;
                let place = engine.place(&a.entity)?;
                // An assignment the profile does not allow grants nothing, authority included.
                profile
                    .role_allowed_at(role, place.0)
                    .then_some((&a.entity, place, role))
            })
            .collect()
    }

    /// `directory.missing`, `authority.entity_out_of_reach` and `authority.cannot_manage`
    /// for one touched (entity, role), each not yet reported.
    fn check_touched(
        &self,
        touched: &Touched<'_>,
        actor_roles: &[ActorRole<'a>],
        reported: &mut HashSet<String>,
        findings: &mut Vec<Finding>,
    ) {
        let (engine, profile) = (self.engine, self.engine.profile());
        let Touched { entity, role, at } = touched;
        let place = engine.place(entity);
        let mut reach: Vec<Reach<'a>> = actor_roles
            .iter()
            .filter(|(e, p, _)| {
                e == entity || place.is_some_and(|target| engine.covers_below(*p, target))
            })
            .map(|(e, _, r)| (*e, *r))
            .collect();
        if reach.is_empty() && !engine.has_directory() {
            // Without the entity tree, a role on a higher level may or may not cover
            // this entity: say so instead of blocking, and check authority with it.
            let level = place.map(|p| p.0);
            reach = actor_roles
                .iter()
                .filter(|(_, p, _)| level.is_some_and(|t| p.0 < t))
                .map(|(e, _, r)| (*e, *r))
                .collect();
            if !reach.is_empty() && reported.insert("directory".into()) {
                findings.push(self.directory_missing(entity, at));
            }
        }
        let key = |code: &str| format!("{code}|{at}");
        if reach.is_empty() {
            if reported.insert(key("reach")) {
                findings.push(self.out_of_reach(entity, at));
            }
            return;
        }
        let Some(target) = profile.role(role) else {
            return;
        };
        if !reach.iter().any(|(_, r)| profile.manages(*r, target))
            && reported.insert(key(&format!("manage:{role}")))
        {
            findings.push(self.cannot_manage(entity, role, at, &reach));
        }
    }

    /// `directory.missing`: without a directory, a role on a higher level may cover the
    /// entity or not.
    fn directory_missing(&self, entity: &EntityRef, at: &At) -> Finding {
        Finding::new(
            Code::DirectoryMissing,
            format!(
                "without a directory it cannot be checked that {} reaches {}: pass the seat's directory",
                display_user(&self.change.actor),
                self.engine.describe_entity(entity)
            ),
        )
        .at(at.to_string())
    }

    /// `authority.entity_out_of_reach`: no role of the actor covers the entity.
    fn out_of_reach(&self, entity: &EntityRef, at: &At) -> Finding {
        Finding::new(
            Code::AuthorityEntityOutOfReach,
            format!(
                "{} has no role covering {}, so cannot grant or edit access there",
                display_user(&self.change.actor),
                self.engine.describe_entity(entity)
            ),
        )
        .at(at.to_string())
        .with_data(json!({"entity": entity}))
    }

    /// `authority.cannot_manage`: the actor's roles that reach the entity do not manage
    /// users of `role`.
    fn cannot_manage(
        &self,
        entity: &EntityRef,
        role: &str,
        at: &At,
        reach: &[Reach<'_>],
    ) -> Finding {
        let profile = self.engine.profile();
        let held: Vec<&str> = reach
            .iter()
            .filter_map(|(_, r)| profile.role_doc(*r).map(|d| d.id.as_str()))
            .collect();
        // Where the actor holds each role that reaches the entity, which may be an ancestor
        // of it: "`trader` on agency 3".
        let holdings: Vec<String> = reach
            .iter()
            .filter_map(|(e, r)| {
                profile
                    .role_doc(*r)
                    .map(|d| format!("`{}` on {}", d.id, self.engine.describe_entity(e)))
            })
            .collect();
        Finding::new(
            Code::AuthorityCannotManage,
            format!(
                "{} holds {}, which does not manage `{role}` users, so cannot give that role on {}",
                display_user(&self.change.actor),
                holdings.join(" and "),
                self.engine.describe_entity(entity)
            ),
        )
        .at(at.to_string())
        .with_data(json!({"entity": entity, "role": role, "actor_roles": held}))
    }
}

/// Where a finding about a touched assignment points, written only when needed.
enum At {
    /// `after.assignments[3]`.
    Assignment(&'static str, usize),
    Path(String),
}

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            At::Assignment(side, i) => write!(f, "{side}.assignments[{i}]"),
            At::Path(path) => f.write_str(path),
        }
    }
}
