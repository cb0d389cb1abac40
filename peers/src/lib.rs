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

pub mod workload;

use std::collections::{BTreeMap, HashMap, HashSet};
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
    /// `User`, `Action`, `Node`, parsed once: a request only builds its ids.
    types: Option<[EntityTypeName; 3]>,
}

fn types() -> Option<[EntityTypeName; 3]> {
    Some([
        EntityTypeName::from_str("User").ok()?,
        EntityTypeName::from_str("Action").ok()?,
        EntityTypeName::from_str("Node").ok()?,
    ])
}

fn uid(type_name: &str, id: &str) -> Result<EntityUid, String> {
    let t = EntityTypeName::from_str(type_name).map_err(|e| e.to_string())?;
    Ok(EntityUid::from_type_name_and_id(t, EntityId::new(id)))
}

fn node(level: &str, id: &str) -> Result<EntityUid, String> {
    uid("Node", &format!("{level}:{id}"))
}

/// A Cedar string literal (JSON's escapes for `"` and `\` are Cedar's too).
fn literal(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The actions a grant map allows, as `capability:level`: each granted level and every level
/// below it, except the lowest (`none`), which adaccess allows on every known entity. The
/// Cedar policies and the Casbin policy of the benchmarks are both written from it.
pub fn granted(profile: &Profile, grants: &BTreeMap<String, String>) -> Vec<String> {
    let mut out = Vec::new();
    for (capability, level) in grants {
        let Some(cap) = profile.capabilities().iter().find(|c| &c.id == capability) else {
            continue;
        };
        let Some(top) = cap.levels.iter().position(|l| l == level) else {
            continue;
        };
        for l in cap.levels.iter().take(top + 1).skip(1) {
            out.push(format!("{capability}:{l}"));
        }
    }
    out
}

/// Action uids as Cedar text: `Action::"c:l1", Action::"c:l2"`.
fn action_list(names: impl IntoIterator<Item = String>) -> String {
    names
        .into_iter()
        .map(|a| format!("Action::{}", literal(&a)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every role's and toggle's grants: (attribute name `r<i>` / `t<i>`, policy id `role:<id>` /
/// `toggle:<id>`, actions), leaving out those that grant nothing.
fn grant_sets(profile: &Profile) -> Vec<(String, String, String)> {
    let roles = profile.roles().iter().enumerate().map(|(i, r)| {
        (
            format!("r{i}"),
            format!("role:{}", r.id),
            granted(profile, &r.grants),
        )
    });
    let toggles = profile.doc().toggles.iter().enumerate().map(|(i, t)| {
        (
            format!("t{i}"),
            format!("toggle:{}", t.id),
            granted(profile, &t.grants),
        )
    });
    roles
        .chain(toggles)
        .filter(|(_, _, acts)| !acts.is_empty())
        .map(|(attr, id, acts)| (attr, id, action_list(acts)))
        .collect()
}

/// The static policy allowing the lowest level of every capability on every known entity.
fn lowest_policy(profile: &Profile) -> Option<String> {
    let lowest: Vec<String> = profile
        .capabilities()
        .iter()
        .filter_map(|c| c.levels.first().map(|l| format!("{}:{l}", c.id)))
        .collect();
    (!lowest.is_empty()).then(|| {
        format!(
            "permit(principal, action in [{}], resource) when {{ resource has known }};",
            action_list(lowest)
        )
    })
}

/// Every directory entity as a `Node` whose parent is its parent entity, with `known: true`.
fn nodes(profile: &Profile, directory: &Directory) -> Result<Vec<Entity>, String> {
    let levels = profile.levels();
    let level_of: HashMap<&str, usize> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let mut entities = Vec::new();
    for e in &directory.entities {
        let Some(i) = level_of.get(e.level.as_str()) else {
            continue;
        };
        let mut parents = HashSet::new();
        if let (Some(p), Some(up)) = (&e.parent, i.checked_sub(1).and_then(|j| levels.get(j))) {
            parents.insert(node(up, p)?);
        }
        let attrs = HashMap::from([("known".to_string(), RestrictedExpression::new_bool(true))]);
        entities
            .push(Entity::new(node(&e.level, &e.id)?, attrs, parents).map_err(|e| e.to_string())?);
    }
    Ok(entities)
}

/// The (level, id) of every entity of the directory.
pub fn known(directory: &Directory) -> HashSet<(String, String)> {
    directory
        .entities
        .iter()
        .map(|e| (e.level.clone(), e.id.clone()))
        .collect()
}

/// An assignment the profile lets grant: a known role, at a level the role may be assigned,
/// on an entity of the directory (`known`). Anything else grants nothing in adaccess either.
pub fn usable(
    profile: &Profile,
    known: &HashSet<(String, String)>,
    a: &adaccess_core::Assignment,
) -> bool {
    profile
        .roles()
        .iter()
        .find(|r| r.id == a.role)
        .is_some_and(|r| r.levels.contains(&a.entity.level))
        && known.contains(&(a.entity.level.clone(), a.entity.id.clone()))
}

impl Cedar {
    /// Encodes `profile` with `directory` for `users` (principal `User::"<index>"`).
    pub fn new(profile: &Profile, directory: &Directory, users: &[User]) -> Result<Cedar, String> {
        let mut policies = PolicySet::new();
        let mut sources = Vec::new();
        let mut templates: HashSet<String> = HashSet::new();
        for (_, id, actions) in grant_sets(profile) {
            let src = format!(
                "permit(principal == ?principal, action in [{actions}], resource in ?resource);"
            );
            let template = Template::parse(Some(PolicyId::new(&id)), &src)
                .map_err(|e| format!("{id}: {e}\n{src}"))?;
            policies.add_template(template).map_err(|e| e.to_string())?;
            templates.insert(id.clone());
            sources.push((id, src));
        }
        if let Some(src) = lowest_policy(profile) {
            let policy = cedar_policy::Policy::parse(Some(PolicyId::new("lowest")), &src)
                .map_err(|e| e.to_string())?;
            policies.add(policy).map_err(|e| e.to_string())?;
            sources.push(("lowest".into(), src));
        }

        let entities =
            Entities::from_entities(nodes(profile, directory)?, None).map_err(|e| e.to_string())?;
        let known = known(directory);

        // The links: usable assignments, and the toggles that are on at their scopes.
        let mut links = Vec::new();
        for (u, user) in users.iter().enumerate() {
            let principal = uid("User", &u.to_string())?;
            for (j, a) in user.assignments.iter().enumerate() {
                if !usable(profile, &known, a) {
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
                let role = format!("role:{}", a.role);
                if templates.contains(&role) {
                    link(role, format!("u{u}-a{j}"))?;
                }
                for (t, on) in &user.toggles {
                    let toggle = format!("toggle:{t}");
                    if *on && templates.contains(&toggle) {
                        link(toggle, format!("u{u}-a{j}-t:{t}"))?;
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
            types: types(),
        })
    }

    /// The same decisions in Cedar's other usual shape, with one policy per role instead of
    /// one per assignment: each user is an entity whose attribute `r<i>` is the set of scopes
    /// where they hold role `i` (`t<i>` for toggle `i`: every scope, when it is on), and role
    /// `i`'s policy is `permit(principal, action in [...], resource) when { resource in
    /// principal.r<i> }`. Cedar evaluates every policy on every request, so this shape is the
    /// fast one for many users; the benchmarks use it.
    pub fn by_attributes(
        profile: &Profile,
        directory: &Directory,
        users: &[User],
    ) -> Result<Cedar, String> {
        let mut policies = PolicySet::new();
        let mut sources = Vec::new();
        let mut add = |id: String, src: String| -> Result<(), String> {
            let policy = cedar_policy::Policy::parse(Some(PolicyId::new(&id)), &src)
                .map_err(|e| format!("{id}: {e}\n{src}"))?;
            policies.add(policy).map_err(|e| e.to_string())?;
            sources.push((id, src));
            Ok(())
        };
        for (attr, id, actions) in grant_sets(profile) {
            add(
                id,
                format!(
                    "permit(principal, action in [{actions}], resource) when {{ principal has {attr} && resource in principal.{attr} }};"
                ),
            )?;
        }
        if let Some(src) = lowest_policy(profile) {
            add("lowest".into(), src)?;
        }
        let mut entities = nodes(profile, directory)?;
        let known = known(directory);
        let roles = profile.roles();
        let toggles = &profile.doc().toggles;
        let mut links = Vec::new();
        for (u, user) in users.iter().enumerate() {
            let mut attrs: HashMap<String, Vec<RestrictedExpression>> = HashMap::new();
            let mut scopes = Vec::new();
            for a in user
                .assignments
                .iter()
                .filter(|a| usable(profile, &known, a))
            {
                let Some(i) = roles.iter().position(|r| r.id == a.role) else {
                    continue;
                };
                let scope = node(&a.entity.level, &a.entity.id)?;
                attrs
                    .entry(format!("r{i}"))
                    .or_default()
                    .push(RestrictedExpression::new_entity_uid(scope.clone()));
                scopes.push(scope);
                links.push((
                    format!("u{u}.r{i}"),
                    format!("role:{}", a.role),
                    u,
                    a.entity.clone(),
                ));
            }
            for (i, t) in toggles.iter().enumerate() {
                if user.toggles.get(&t.id).copied().unwrap_or(false) {
                    let set = scopes
                        .iter()
                        .cloned()
                        .map(RestrictedExpression::new_entity_uid)
                        .collect();
                    attrs.insert(format!("t{i}"), set);
                }
            }
            let attrs = attrs
                .into_iter()
                .map(|(k, v)| (k, RestrictedExpression::new_set(v)))
                .collect();
            entities.push(
                Entity::new(uid("User", &u.to_string())?, attrs, HashSet::new())
                    .map_err(|e| e.to_string())?,
            );
        }
        let entities = Entities::from_entities(entities, None).map_err(|e| e.to_string())?;
        Ok(Cedar {
            policies,
            entities,
            authorizer: Authorizer::new(),
            sources,
            links,
            types: types(),
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
        let [user_t, action_t, node_t] = self.types.clone().ok_or("no entity types")?;
        let request = Request::new(
            EntityUid::from_type_name_and_id(user_t, EntityId::new(user.to_string())),
            EntityUid::from_type_name_and_id(
                action_t,
                EntityId::new(format!("{capability}:{level}")),
            ),
            EntityUid::from_type_name_and_id(
                node_t,
                EntityId::new(format!("{}:{}", entity.level, entity.id)),
            ),
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
        let mut out = self.policy_text();
        for (id, template, u, entity) in &self.links {
            if *u == user {
                out.push_str(&format!("link {id}: {template} with ?principal = User::\"{u}\", ?resource = Node::\"{}:{}\"\n", entity.level, entity.id));
            }
        }
        out
    }

    /// The static policies as Cedar text (the attribute shape has no templates): what the
    /// JavaScript and Python benchmarks load.
    pub fn policy_text(&self) -> String {
        self.sources
            .iter()
            .map(|(id, src)| format!("@id({}) {src}\n", literal(id)))
            .collect()
    }

    /// The entities in Cedar's JSON format.
    pub fn entities_json(&self) -> Result<serde_json::Value, String> {
        self.entities.to_json_value().map_err(|e| e.to_string())
    }

    /// How many policies (static and linked) the set holds.
    pub fn policy_count(&self) -> usize {
        self.policies.policies().count()
    }
}
