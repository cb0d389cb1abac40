//! adaccess profiles encoded for a peer engine, Cedar: the differential test checks that
//! adaccess's `can` and Cedar's `is_authorized` agree on random decisions over the built-in
//! and generated profiles, and the side-by-side benchmarks measure the same decisions.
//!
//! The encoding is Cedar's usual one for roles held on a scope:
//! - every directory entity is a `Node::"<level>:<id>"` whose parent is its parent entity, so
//!   `resource in Node::"partner:1"` holds for partner 1 and all its advertisers;
//! - every capability level is an action `Action::"<capability>:<level>"`;
//! - every role is a template `permit(principal == ?principal, action in [...],
//!   resource in ?resource)` whose actions are the levels the role grants and every level
//!   below them (holding `write` allows `read`);
//! - every assignment the profile allows (a known role, at a level the role may be assigned,
//!   on an entity of the directory) is a link of its role's template to the user and the
//!   entity; a toggle that is on links its own template at each of those scopes (a toggle
//!   adds to the access the user has where they have access);
//! - the lowest level of every capability (`none`) is allowed on every entity of the
//!   directory, as in adaccess; anything else is denied by default.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use adaccess_core::model::{Directory, EntityRef, User};
use adaccess_core::Profile;
use cedar_policy::{
    Authorizer, Context, Decision, Entities, Entity, EntityId, EntityTypeName, EntityUid, PolicyId,
    PolicySet, Request, RestrictedExpression, SlotId, Template,
};

/// A profile, a directory and users, as Cedar policies, templates, links and entities.
pub struct Cedar {
    policies: PolicySet,
    entities: Entities,
    authorizer: Authorizer,
    /// The source of every template and static policy, for reproductions.
    sources: Vec<(String, String)>,
    /// The links: (policy id, template id, user index, entity), for reproductions.
    links: Vec<(String, String, usize, EntityRef)>,
}

fn uid(type_name: &str, id: &str) -> Result<EntityUid, String> {
    let t = EntityTypeName::from_str(type_name).map_err(|e| e.to_string())?;
    Ok(EntityUid::from_type_name_and_id(t, EntityId::new(id)))
}

fn node(level: &str, id: &str) -> Result<EntityUid, String> {
    uid("Node", &format!("{level}:{id}"))
}

fn action(capability: &str, level: &str) -> Result<EntityUid, String> {
    uid("Action", &format!("{capability}:{level}"))
}

/// A Cedar string literal (JSON's escapes for `"` and `\` are Cedar's too).
fn literal(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// `[Action::"c:l1", Action::"c:l2", ...]`: each granted level and every level below it,
/// except the lowest (`none`), which the static policy allows everywhere.
fn actions(profile: &Profile, grants: &std::collections::BTreeMap<String, String>) -> Vec<String> {
    let mut out = Vec::new();
    for (capability, level) in grants {
        let Some(cap) = profile.capabilities().iter().find(|c| &c.id == capability) else {
            continue;
        };
        let Some(top) = cap.levels.iter().position(|l| l == level) else {
            continue;
        };
        for l in cap.levels.iter().take(top + 1).skip(1) {
            out.push(format!("Action::{}", literal(&format!("{capability}:{l}"))));
        }
    }
    out
}

impl Cedar {
    /// Encodes `profile` with `directory` for `users` (principal `User::"<index>"`).
    pub fn new(profile: &Profile, directory: &Directory, users: &[User]) -> Result<Cedar, String> {
        let mut policies = PolicySet::new();
        let mut sources = Vec::new();
        let mut add_template = |id: String, src: String| -> Result<bool, String> {
            let template = Template::parse(Some(PolicyId::new(&id)), &src)
                .map_err(|e| format!("{id}: {e}\n{src}"))?;
            policies.add_template(template).map_err(|e| e.to_string())?;
            sources.push((id, src));
            Ok(true)
        };
        let mut roles: HashSet<String> = HashSet::new();
        for role in profile.roles() {
            let acts = actions(profile, &role.grants);
            if acts.is_empty() {
                continue;
            }
            let src = format!(
                "permit(principal == ?principal, action in [{}], resource in ?resource);",
                acts.join(", ")
            );
            add_template(format!("role:{}", role.id), src)?;
            roles.insert(role.id.clone());
        }
        let mut toggles: HashSet<String> = HashSet::new();
        for toggle in &profile.doc().toggles {
            let acts = actions(profile, &toggle.grants);
            if acts.is_empty() {
                continue;
            }
            let src = format!(
                "permit(principal == ?principal, action in [{}], resource in ?resource);",
                acts.join(", ")
            );
            add_template(format!("toggle:{}", toggle.id), src)?;
            toggles.insert(toggle.id.clone());
        }
        let lowest: Vec<String> = profile
            .capabilities()
            .iter()
            .filter_map(|c| {
                c.levels
                    .first()
                    .map(|l| format!("Action::{}", literal(&format!("{}:{l}", c.id))))
            })
            .collect();
        if !lowest.is_empty() {
            let src = format!(
                "permit(principal, action in [{}], resource) when {{ resource has known }};",
                lowest.join(", ")
            );
            let policy = cedar_policy::Policy::parse(Some(PolicyId::new("lowest")), &src)
                .map_err(|e| e.to_string())?;
            policies.add(policy).map_err(|e| e.to_string())?;
            sources.push(("lowest".into(), src));
        }

        // The directory: each entity with its parent; `known` marks it as present.
        let levels = profile.levels();
        let mut known: HashSet<(String, String)> = HashSet::new();
        let mut level_of: HashMap<String, usize> = HashMap::new();
        for (i, l) in levels.iter().enumerate() {
            level_of.insert(l.clone(), i);
        }
        let mut entities = Vec::new();
        for e in &directory.entities {
            let Some(i) = level_of.get(&e.level) else {
                continue;
            };
            let mut parents = HashSet::new();
            if let (Some(p), Some(up)) = (&e.parent, i.checked_sub(1).and_then(|j| levels.get(j))) {
                parents.insert(node(up, p)?);
            }
            let attrs =
                HashMap::from([("known".to_string(), RestrictedExpression::new_bool(true))]);
            entities.push(
                Entity::new(node(&e.level, &e.id)?, attrs, parents).map_err(|e| e.to_string())?,
            );
            known.insert((e.level.clone(), e.id.clone()));
        }
        let entities = Entities::from_entities(entities, None).map_err(|e| e.to_string())?;

        // The links: usable assignments, and the toggles that are on at their scopes.
        let mut links = Vec::new();
        for (u, user) in users.iter().enumerate() {
            let principal = uid("User", &u.to_string())?;
            for (j, a) in user.assignments.iter().enumerate() {
                let allowed_here = profile
                    .roles()
                    .iter()
                    .find(|r| r.id == a.role)
                    .is_some_and(|r| r.levels.contains(&a.entity.level));
                if !allowed_here || !known.contains(&(a.entity.level.clone(), a.entity.id.clone()))
                {
                    continue;
                }
                let scope = node(&a.entity.level, &a.entity.id)?;
                let mut link = |template: String, id: String| -> Result<(), String> {
                    let vals = HashMap::from([
                        (SlotId::principal(), principal.clone()),
                        (SlotId::resource(), scope.clone()),
                    ]);
                    policies
                        .link(PolicyId::new(&template), PolicyId::new(&id), vals)
                        .map_err(|e| e.to_string())?;
                    links.push((id, template, u, a.entity.clone()));
                    Ok(())
                };
                if roles.contains(&a.role) {
                    link(format!("role:{}", a.role), format!("u{u}-a{j}"))?;
                }
                for (t, on) in &user.toggles {
                    if *on && toggles.contains(t) {
                        link(format!("toggle:{t}"), format!("u{u}-a{j}-t:{t}"))?;
                    }
                }
            }
        }
        Ok(Cedar {
            policies,
            entities,
            authorizer: Authorizer::new(),
            sources,
            links,
        })
    }

    /// Cedar's answer for user number `user`: may they do `capability` at `level` on `entity`?
    pub fn is_authorized(
        &self,
        user: usize,
        capability: &str,
        level: &str,
        entity: &EntityRef,
    ) -> Result<bool, String> {
        let request = Request::new(
            uid("User", &user.to_string())?,
            action(capability, level)?,
            node(&entity.level, &entity.id)?,
            Context::empty(),
            None,
        )
        .map_err(|e| e.to_string())?;
        let response = self
            .authorizer
            .is_authorized(&request, &self.policies, &self.entities);
        Ok(response.decision() == Decision::Allow)
    }

    /// The templates and static policies, and the links of user number `user`: what a
    /// reproduction of a disagreement needs.
    pub fn explain(&self, user: usize) -> String {
        let mut out = String::new();
        for (id, src) in &self.sources {
            out.push_str(&format!("@id({}) {src}\n", literal(id)));
        }
        for (id, template, u, entity) in &self.links {
            if *u == user {
                out.push_str(&format!("link {id}: {template} with ?principal = User::\"{u}\", ?resource = Node::\"{}:{}\"\n", entity.level, entity.id));
            }
        }
        out
    }

    /// How many policies (static and linked) the set holds.
    pub fn policy_count(&self) -> usize {
        self.policies.policies().count()
    }
}
