//! Evaluates the profile's change-impact rules over a computed diff.

use rustc_hash::FxHashSet;
use serde_json::json;
use smallvec::SmallVec;

use super::diff::{Computed, LevelChange};
use super::ApprovalRequirement;
use crate::access::Grid;
use crate::engine::Engine;
use crate::finding::Finding;
use crate::keys::{Firsts, Key, Keys};
use crate::model::display_user;
use crate::model::{Asset, Change, EntityRef, Token, User};
use crate::order;
use crate::profile::{CapabilityMatch, Predicate, RoleId, RuleDoc};

/// Everything a rule may look at.
#[derive(Clone)]
pub(crate) struct Ctx<'a> {
    pub engine: &'a Engine,
    pub change: &'a Change,
    pub before: &'a User,
    pub after: &'a User,
    pub keys: &'a Keys<'a>,
    /// The first assignment on each entity and of each role, before and after.
    pub before_first: &'a Firsts,
    pub after_first: &'a Firsts,
    pub grid_before: &'a Grid,
    pub grid_after: &'a Grid,
    pub computed: &'a Computed<'a>,
    pub created: bool,
    pub deleted: bool,
    /// Active tokens of the user (before and after, by id).
    pub tokens: Vec<&'a Token>,
    /// Assets of the user (before and after, by id).
    pub assets: Vec<&'a Asset>,
    /// The approval group being reported by an `approval_missing` rule.
    pub requirement: Option<&'a ApprovalRequirement>,
}

/// What a matching predicate points at, for the message and the finding's data.
#[derive(Debug, Default)]
pub(crate) struct Matches {
    pub entities: Vec<EntityRef>,
    pub capabilities: Vec<String>,
    pub tokens: Vec<String>,
    pub assets: Vec<String>,
    pub actions: Vec<String>,
    /// Approvals, as `kind: by`.
    pub approvals: Vec<String>,
    pub path: Option<String>,
    /// Where a gained level comes from, for a finding no other predicate gave a path.
    pub gain_path: Option<String>,
}

impl Matches {
    /// Adds what another part of the predicate matched. Entities and capabilities may
    /// repeat until `apply` keeps the first of each.
    fn merge(&mut self, other: Matches) {
        self.entities.extend(other.entities);
        self.capabilities.extend(other.capabilities);
        extend_unique(&mut self.tokens, other.tokens);
        extend_unique(&mut self.assets, other.assets);
        extend_unique(&mut self.actions, other.actions);
        extend_unique(&mut self.approvals, other.approvals);
        if self.path.is_none() {
            self.path = other.path;
        }
        if self.gain_path.is_none() {
            self.gain_path = other.gain_path;
        }
    }
}

fn extend_unique(into: &mut Vec<String>, from: Vec<String>) {
    for x in from {
        if !into.contains(&x) {
            into.push(x);
        }
    }
}

impl Ctx<'_> {
    /// Evaluates `p`; on a match, records what it points at in `m`.
    fn eval(&self, p: &Predicate, m: &mut Matches) -> bool {
        let profile = self.engine.profile();
        match p {
            Predicate::All(list) => {
                let mut local = Matches::default();
                for q in list {
                    if !self.eval(q, &mut local) {
                        return false;
                    }
                }
                m.merge(local);
                true
            }
            Predicate::Any(list) => {
                let mut any = false;
                for q in list {
                    let mut local = Matches::default();
                    if self.eval(q, &mut local) {
                        any = true;
                        m.merge(local);
                    }
                }
                any
            }
            Predicate::Not(q) => !self.eval(q, &mut Matches::default()),
            Predicate::Gains(cm) => {
                let hits: Vec<&LevelChange> = self
                    .computed
                    .gained
                    .iter()
                    .filter(|c| self.moves(cm, c))
                    .filter(|c| !cm.on_kept_entities || self.kept(c))
                    .collect();
                if let Some(first) = hits.first() {
                    m.gain_path.get_or_insert_with(|| self.gain_path(first));
                }
                self.record_changes(&hits, &self.computed.diff.gained, m)
            }
            Predicate::Loses(cm) => {
                if cm.everywhere {
                    let Some(cap) = cm.capability.as_deref().and_then(|c| profile.capability(c))
                    else {
                        return false;
                    };
                    let Some(l) = self.threshold(cm, cap) else {
                        return false;
                    };
                    let hit = self.grid_before.max(cap) >= l && self.grid_after.max(cap) < l;
                    if hit {
                        m.capabilities.push(format!(
                            "{}: {} → {}",
                            cm.capability.as_deref().unwrap_or(""),
                            profile.access_name(cap, self.grid_before.max(cap)),
                            profile.access_name(cap, self.grid_after.max(cap))
                        ));
                    }
                    return hit;
                }
                let hits: Vec<&LevelChange> = self
                    .computed
                    .lost
                    .iter()
                    .filter(|c| self.moves(cm, c))
                    .filter(|c| !cm.on_kept_entities || self.kept(c))
                    .collect();
                self.record_changes(&hits, &self.computed.diff.lost, m)
            }
            Predicate::RoleFrom(name) => {
                let had = self.holds(self.before_first, name);
                let hit = had.is_some() && self.holds(self.after_first, name).is_none();
                if let (true, Some(i)) = (hit, had) {
                    m.path
                        .get_or_insert(format!("before.assignments[{i}].role"));
                }
                hit
            }
            Predicate::RoleTo(name) => {
                let has = self.holds(self.after_first, name);
                let hit = has.is_some() && self.holds(self.before_first, name).is_none();
                if let (true, Some(i)) = (hit, has) {
                    m.path.get_or_insert(format!("after.assignments[{i}].role"));
                }
                hit
            }
            Predicate::RoleChanged => {
                let d = &self.computed.diff;
                if !d.role_changed.is_empty() {
                    m.entities
                        .extend(d.role_changed.iter().map(|r| r.entity.clone()));
                    return true;
                }
                // Where a user has one role for all scopes, moving to another scope with
                // another role is a role change too.
                if !profile.constraints().uniform_role {
                    return false;
                }
                let (b, a) = (self.before.distinct_roles(), self.after.distinct_roles());
                !b.is_empty() && !a.is_empty() && a != b
            }
            Predicate::RoleElevated => self.role_elevated(m),
            Predicate::EntityAdded => {
                let added = &self.computed.diff.added;
                m.entities.extend(added.iter().map(|a| a.entity.clone()));
                if let Some(first) = self.computed.added.first() {
                    m.path.get_or_insert(self.computed.after_path(*first));
                }
                !added.is_empty()
            }
            Predicate::EntityRemoved => {
                let removed = &self.computed.diff.removed;
                m.entities.extend(removed.iter().map(|a| a.entity.clone()));
                !removed.is_empty()
            }
            Predicate::AllGranted => {
                let Some(top) = profile.levels().first() else {
                    return false;
                };
                let granted: Vec<(&EntityRef, &Key)> = self
                    .computed
                    .diff
                    .added
                    .iter()
                    .map(|a| &a.entity)
                    .zip(&self.computed.added)
                    .filter(|(e, _)| &e.level == top)
                    .collect();
                if let Some((_, first)) = granted.first() {
                    m.path.get_or_insert(self.computed.after_path(**first));
                }
                m.entities.extend(granted.iter().map(|(e, _)| (*e).clone()));
                !granted.is_empty()
            }
            Predicate::ToggleOn(t) | Predicate::ToggleOff(t) => {
                let on = matches!(p, Predicate::ToggleOn(_));
                let hit = self
                    .computed
                    .diff
                    .toggles
                    .iter()
                    .any(|c| &c.toggle == t && c.to == on);
                if hit {
                    m.path.get_or_insert(format!("after.toggles.{t}"));
                }
                hit
            }
            Predicate::ToggleKept(t) => {
                let hit = self.before.toggle(t) && self.after.toggle(t) && !self.deleted;
                if hit {
                    m.path.get_or_insert(format!("after.toggles.{t}"));
                }
                hit
            }
            Predicate::HasActiveTokens => self.record_tokens(self.tokens.iter().copied(), m),
            Predicate::OwnsAssetsInRemoved => {
                let hits = self.assets_in_removed();
                m.assets.extend(hits.iter().map(|a| a.id.clone()));
                m.entities.extend(hits.iter().map(|a| a.entity.clone()));
                !hits.is_empty()
            }
            Predicate::OwnsActive(o) => {
                let hits: Vec<&&Asset> = self
                    .assets
                    .iter()
                    .filter(|a| a.active)
                    .filter(|a| o.kind.as_ref().is_none_or(|k| &a.kind == k))
                    .filter(|a| match &o.losing {
                        None => true,
                        Some(cm) => {
                            let Some(cap) =
                                cm.capability.as_deref().and_then(|c| profile.capability(c))
                            else {
                                return false;
                            };
                            let Some(l) = self.threshold(cm, cap) else {
                                return false;
                            };
                            let key = self.key(&a.entity);
                            self.grid_before.level(key, cap) >= l
                                && self.grid_after.level(key, cap) < l
                        }
                    })
                    .collect();
                m.assets.extend(hits.iter().map(|a| a.id.clone()));
                m.entities.extend(hits.iter().map(|a| a.entity.clone()));
                !hits.is_empty()
            }
            Predicate::Temporary => self.change.temporary.is_some(),
            Predicate::Missing(field) => {
                let missing = match field.as_str() {
                    "reason" => self
                        .change
                        .reason
                        .as_deref()
                        .is_none_or(|r| r.trim().is_empty()),
                    "temporary.until" => self
                        .change
                        .temporary
                        .as_ref()
                        .is_some_and(|t| t.until.is_none()),
                    "elevation.until" => self
                        .after
                        .elevation
                        .as_ref()
                        .is_some_and(|e| e.until.is_none()),
                    _ => false,
                };
                if missing {
                    m.path.get_or_insert(match field.as_str() {
                        "elevation.until" => "after.elevation.until".to_string(),
                        other => other.to_string(),
                    });
                }
                missing
            }
            Predicate::LastHolder(cm) => self.last_holder(cm, m),
            Predicate::FamilyChanged => {
                let fam = |first: &Firsts| {
                    order::distinct(
                        first
                            .roles
                            .iter()
                            .filter_map(|(r, _)| profile.family_of(*r)),
                    )
                };
                let (b, a) = (fam(self.before_first), fam(self.after_first));
                !b.is_empty() && !a.is_empty() && !b.iter().any(|f| a.contains(f))
            }
            Predicate::Deleted => self.deleted,
            Predicate::Created => self.created,
            Predicate::ElevationExpired => {
                let (Some(now), Some(until)) = (
                    self.change.now.as_ref(),
                    self.after.elevation.as_ref().and_then(|e| e.until.as_ref()),
                ) else {
                    return false;
                };
                let hit = until < now;
                if hit {
                    m.path.get_or_insert("after.elevation.until".into());
                }
                hit
            }
            Predicate::ElevationTokens => {
                let Some(elevation) = &self.before.elevation else {
                    return false;
                };
                // The elevation ends: the user is reverted (or removed) with this change.
                if self.after.elevation.is_some() && !self.deleted {
                    return false;
                }
                let during = self.tokens.iter().copied().filter(|t| {
                    match (&elevation.since, &t.created_at) {
                        (Some(since), Some(created)) => created >= since,
                        // Without both dates, a token may have been made during it.
                        _ => true,
                    }
                });
                self.record_tokens(during, m)
            }
            Predicate::ApprovalUnreferenced => {
                let mut hit = false;
                for (i, a) in self.change.approvals.iter().enumerate() {
                    if a.reference.as_deref().is_none_or(|r| r.trim().is_empty()) {
                        hit = true;
                        m.approvals.push(a.label());
                        m.path.get_or_insert(format!("approvals[{i}].reference"));
                    }
                }
                hit
            }
            Predicate::ActivityDenied => {
                let Some(activity) = &self.change.activity else {
                    return false;
                };
                let mut hit = false;
                for (i, act) in activity.iter().enumerate() {
                    if act.user != self.after.id && act.user != self.before.id {
                        continue;
                    }
                    if !self
                        .engine
                        .allows(self.after, &act.capability, &act.level, &act.entity)
                    {
                        hit = true;
                        m.actions.push(format!(
                            "{} {} on {}",
                            act.capability, act.level, act.entity
                        ));
                        m.path.get_or_insert(format!("activity[{i}]"));
                    }
                }
                hit
            }
            Predicate::EmailDomainOutside(domains) => {
                let email = if self.deleted {
                    &self.before.email
                } else {
                    &self.after.email
                };
                let domain = email.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase());
                let hit =
                    domain.is_some_and(|d| !domains.iter().any(|x| x.eq_ignore_ascii_case(&d)));
                if hit {
                    m.path.get_or_insert("after.email".into());
                }
                hit
            }
            Predicate::ApprovalMissing => {
                let hit = self.requirement.is_some_and(|r| !r.satisfied);
                if hit {
                    m.path.get_or_insert("approvals".into());
                }
                hit
            }
        }
    }

    /// Whether a gained or lost cell matches `gains` / `loses`: with a level, the change
    /// crosses it (`read → write` crosses `write`); without one, any change of the capability
    /// (`manage → view` is a loss of users even though some access remains).
    fn moves(&self, cm: &CapabilityMatch, c: &LevelChange) -> bool {
        if cm.level.is_none() {
            return self.threshold(cm, c.cap).is_some() && c.from != c.to;
        }
        self.threshold(cm, c.cap).is_some_and(|l| {
            if c.to > c.from {
                c.from < l && c.to >= l
            } else {
                c.from >= l && c.to < l
            }
        })
    }

    /// The level a capability match asks for: its level, or the first level above none.
    fn threshold(&self, cm: &CapabilityMatch, cap: usize) -> Option<u8> {
        let profile = self.engine.profile();
        if let Some(want) = &cm.capability {
            if profile.capability(want) != Some(cap) {
                return None;
            }
        }
        match &cm.level {
            Some(level) => profile.access_level(cap, level),
            None => Some(1),
        }
    }

    fn record_changes(
        &self,
        hits: &[&LevelChange],
        list: &[super::diff::AccessChange],
        m: &mut Matches,
    ) -> bool {
        // Each entity and each `capability: from → to` once, in order of appearance (repeats
        // of what other predicates matched go when the finding is made); a wide user has
        // thousands of hits, so the checks are hashed, not linear.
        let mut entities: FxHashSet<Key> = FxHashSet::default();
        let mut labels: FxHashSet<(usize, u8, u8)> = FxHashSet::default();
        for c in hits {
            let Some(change) = list.get(c.index) else {
                continue;
            };
            if entities.insert(c.key) {
                m.entities.push(change.entity.clone());
            }
            if labels.insert((c.cap, c.from, c.to)) {
                let mut label = String::with_capacity(48);
                for part in [&*change.capability, ": ", &change.from, " → ", &change.to] {
                    label.push_str(part);
                }
                m.capabilities.push(label);
            }
        }
        !hits.is_empty()
    }

    /// Is the entity of a level change covered both before and after?
    fn kept(&self, c: &LevelChange) -> bool {
        self.grid_before.get(c.key).is_some() && self.grid_after.get(c.key).is_some()
    }

    /// The key of an entity named in a document (an asset's, an activity's).
    fn key(&self, entity: &EntityRef) -> Option<Key> {
        self.keys.find(self.engine, entity)
    }

    /// Index of the first assignment (of one side's resolved assignments) whose role or
    /// family is `name`.
    fn holds(&self, first: &Firsts, name: &str) -> Option<usize> {
        let profile = self.engine.profile();
        // The roles `name` stands for: the role, or every role of the family.
        let ids: SmallVec<[RoleId; 8]> = (0..profile.roles().len())
            .filter(|r| profile.role_matches(*r, name))
            .collect();
        first.first_of(&ids)
    }

    /// What in the after-state gives a gained level: a toggle switched on that grants it, or
    /// the assignment on the entity (or the one it inherits from).
    fn gain_path(&self, c: &LevelChange) -> String {
        let profile = self.engine.profile();
        let toggle = self.computed.diff.toggles.iter().find(|t| {
            t.to && profile
                .toggle_grants(&t.toggle)
                .and_then(|g| g.get(c.cap))
                .is_some_and(|l| *l >= c.to)
        });
        if let Some(t) = toggle {
            return format!("after.toggles.{}", t.toggle);
        }
        let holder = self
            .grid_after
            .get(c.key)
            .and_then(|r| r.inherited_from)
            .unwrap_or(c.key);
        self.computed.after_path(holder)
    }

    /// Assets under entities the user covered before and no longer covers.
    pub(crate) fn assets_in_removed(&self) -> Vec<&Asset> {
        self.assets
            .iter()
            .filter(|a| {
                let key = self.key(&a.entity);
                key.is_some_and(|k| {
                    self.grid_before.get(k).is_some() && self.grid_after.get(k).is_none()
                })
            })
            .copied()
            .collect()
    }

    /// Records active tokens a predicate matched, at the tokens of the side that keeps them.
    fn record_tokens<'t>(&self, tokens: impl Iterator<Item = &'t Token>, m: &mut Matches) -> bool {
        let before = m.tokens.len();
        m.tokens.extend(tokens.map(|t| t.id.clone()));
        let hit = m.tokens.len() > before;
        if hit {
            let side = if self.deleted { "before" } else { "after" };
            m.path.get_or_insert(format!("{side}.tokens"));
        }
        hit
    }

    /// `role_elevated`: on an entity the user keeps, the new role grants at least what the
    /// old one did on every capability and more on one (a step up, not a move sideways that
    /// gains one thing and loses another); where one role covers every scope (a move to
    /// other entities with another role), the new role against the old ones together.
    fn role_elevated(&self, m: &mut Matches) -> bool {
        let profile = self.engine.profile();
        let raises = |from: &[u8], to: RoleId| {
            let to = profile.role_grants(to);
            to.iter().zip(from).all(|(t, f)| t >= f) && to.iter().zip(from).any(|(t, f)| t > f)
        };
        let d = &self.computed.diff;
        let mut hit = false;
        for (r, k) in d.role_changed.iter().zip(&self.computed.role_changed) {
            let (Some(from), Some(to)) = (profile.role(&r.from), profile.role(&r.to)) else {
                continue;
            };
            if raises(profile.role_grants(from), to) {
                if !hit {
                    m.path
                        .get_or_insert(format!("{}.role", self.computed.after_path(*k)));
                }
                hit = true;
                m.entities.push(r.entity.clone());
            }
        }
        if hit || !profile.constraints().uniform_role {
            return hit;
        }
        let (old, new) = (&self.before_first.roles, &self.after_first.roles);
        if old.is_empty() || self.deleted {
            return false;
        }
        let mut most = vec![0u8; profile.capabilities().len()];
        for (r, _) in old {
            for (m, g) in most.iter_mut().zip(profile.role_grants(*r)) {
                *m = (*m).max(*g);
            }
        }
        let raised = new
            .iter()
            .find(|(r, _)| !old.iter().any(|(o, _)| o == r) && raises(&most, *r));
        if let Some((_, i)) = raised {
            m.path.get_or_insert(format!("after.assignments[{i}].role"));
        }
        raised.is_some()
    }

    fn last_holder(&self, cm: &CapabilityMatch, m: &mut Matches) -> bool {
        let Some(population) = &self.change.population else {
            return false;
        };
        let profile = self.engine.profile();
        let mut hit = false;
        for c in &self.computed.lost {
            let Some(l) = self.threshold(cm, c.cap) else {
                continue;
            };
            if !(c.from >= l && c.to < l) {
                continue;
            }
            let Some(change) = self.computed.diff.lost.get(c.index) else {
                continue;
            };
            let someone_else = population
                .iter()
                .filter(|u| u.id != self.after.id && u.id != self.before.id)
                .any(|u| self.engine.allows_ids(u, c.cap, l, &change.entity));
            if !someone_else {
                hit = true;
                m.entities.push(change.entity.clone());
                m.capabilities.push(format!(
                    "{}: {}",
                    change.capability,
                    profile.access_name(c.cap, l)
                ));
            }
        }
        hit
    }

    /// Evaluates one rule; a match becomes a finding with its message filled in.
    pub fn apply(&self, rule: &RuleDoc) -> Option<(Finding, Matches)> {
        let mut m = Matches::default();
        if !self.eval(&rule.when, &mut m) {
            return None;
        }
        order::keep_first(&mut m.entities);
        order::keep_first(&mut m.capabilities);
        let message = self.fill(&rule.message, &m, &rule.approvals);
        let mut finding = Finding::of_rule(&rule.id, rule.severity, message);
        finding.help = rule
            .help
            .as_ref()
            .map(|h| self.fill(h, &m, &rule.approvals));
        if let Some(path) = m.path.as_ref().or(m.gain_path.as_ref()) {
            finding.path = Some(path.clone());
        }
        let mut data = serde_json::Map::new();
        if !m.entities.is_empty() {
            data.insert("entities".into(), json!(m.entities));
        }
        for (key, list) in [
            ("capabilities", &m.capabilities),
            ("tokens", &m.tokens),
            ("assets", &m.assets),
            ("actions", &m.actions),
            ("approvals", &m.approvals),
        ] {
            if !list.is_empty() {
                data.insert(key.into(), json!(list));
            }
        }
        if let Some(r) = self.requirement {
            data.insert("any_of".into(), json!(r.any_of));
            data.insert("required_by".into(), json!(r.reason));
        }
        if !data.is_empty() {
            finding.data = serde_json::Value::Object(data);
        }
        Some((finding, m))
    }

    /// Fills a message template.
    fn fill(&self, template: &str, m: &Matches, groups: &[Vec<String>]) -> String {
        let mut out = String::with_capacity(template.len() + 64);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let (before, tail) = rest.split_at(open);
            out.push_str(before);
            let value = tail
                .find('}')
                .and_then(|close| Some((close, self.placeholder(tail.get(1..close)?, m, groups)?)));
            match value {
                Some((close, value)) => {
                    out.push_str(&value);
                    rest = tail.get(close + 1..).unwrap_or("");
                }
                None => {
                    out.push('{');
                    rest = tail.get(1..).unwrap_or("");
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The value of one message placeholder, computed only when a template uses it.
    fn placeholder(&self, name: &str, m: &Matches, groups: &[Vec<String>]) -> Option<String> {
        let list = |items: &[String], empty: &str| {
            if items.is_empty() {
                empty.to_string()
            } else {
                items.join(", ")
            }
        };
        // Each role of a side once, in order of first appearance: the names of the roles
        // of the profile, and of those it does not know (each name once).
        let roles = |u: &User, first: &Firsts| {
            // Both lists are in the order of the assignments: merged, not sorted.
            let mut known = first.roles.iter().map(|(_, i)| *i).peekable();
            let mut unknown = first.unknown_roles.iter().copied().peekable();
            let at = std::iter::from_fn(|| match (known.peek(), unknown.peek()) {
                (Some(k), Some(u)) if u < k => unknown.next(),
                (Some(_), _) => known.next(),
                (None, _) => unknown.next(),
            });
            let mut names: Vec<&str> = at
                .filter_map(|i| u.assignments.get(i))
                .map(|a| a.role.as_str())
                .collect();
            order::keep_first(&mut names);
            if names.is_empty() {
                "no role".to_string()
            } else {
                names.join(", ")
            }
        };
        Some(match name {
            "user" => display_user(if self.deleted {
                self.before
            } else {
                self.after
            }),
            "actor" => display_user(&self.change.actor),
            "roles_before" => roles(self.before, self.before_first),
            // "trader to admin", or "trader" when the roles stay and only entities change.
            "roles" => {
                let (b, a) = (
                    roles(self.before, self.before_first),
                    roles(self.after, self.after_first),
                );
                if b == a {
                    a
                } else {
                    format!("{b} to {a}")
                }
            }
            "roles_after" => roles(self.after, self.after_first),
            "entities" => {
                let names: Vec<String> = m
                    .entities
                    .iter()
                    .map(|e| self.engine.describe_entity(e))
                    .collect();
                list(&names, "no entity")
            }
            "capabilities" => list(&m.capabilities, "no capability"),
            "tokens" => list(&m.tokens, "no token"),
            "assets" => {
                let names: Vec<String> = m
                    .assets
                    .iter()
                    .map(|id| match self.assets.iter().find(|a| &a.id == id) {
                        Some(a) => describe_asset(a),
                        None => id.clone(),
                    })
                    .collect();
                list(&names, "no asset")
            }
            "actions" => list(&m.actions, "no action"),
            "approvals" => list(&m.approvals, "no approval"),
            "until" => self
                .change
                .temporary
                .as_ref()
                .and_then(|t| t.until.as_ref())
                .or_else(|| self.after.elevation.as_ref().and_then(|e| e.until.as_ref()))
                .map_or_else(|| "no date".to_string(), |t| t.to_string()),
            "approval" => match self.requirement {
                Some(r) => r.any_of.join(" or "),
                None => groups
                    .iter()
                    .map(|g| g.join(" or "))
                    .collect::<Vec<_>>()
                    .join(", and "),
            },
            "top_level" => self.engine.profile().top_level_label(),
            _ => return None,
        })
    }
}

pub(crate) fn describe_asset(a: &Asset) -> String {
    format!("{} {} ({})", a.kind, a.id, a.entity)
}
