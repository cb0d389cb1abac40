//! Evaluation of the rules' predicates (`Predicate` in the profile): `Ctx::eval` sends each
//! predicate to the function of its group, which says whether it matches and records what
//! it points at.

use rustc_hash::FxHashSet;
use smallvec::SmallVec;

use super::diff::{AccessChange, LevelChange};
use super::rules::{Ctx, Matches};
use crate::keys::{Firsts, Key};
use crate::model::{Asset, EntityRef, Token};
use crate::order;
use crate::profile::{CapId, CapabilityMatch, OwnsActive, Predicate, RoleId};

impl Ctx<'_> {
    /// Evaluates `p`; on a match, records what it points at in `m`.
    pub(super) fn eval(&self, p: &Predicate, m: &mut Matches) -> bool {
        match p {
            Predicate::All(_) | Predicate::Any(_) | Predicate::Not(_) => self.combinator(p, m),
            Predicate::Gains(_) | Predicate::Loses(_) | Predicate::LastHolder(_) => {
                self.capability_predicate(p, m)
            }
            Predicate::RoleFrom(_)
            | Predicate::RoleTo(_)
            | Predicate::RoleChanged
            | Predicate::RoleElevated
            | Predicate::FamilyChanged => self.role_predicate(p, m),
            Predicate::EntityAdded
            | Predicate::EntityRemoved
            | Predicate::AllGranted
            | Predicate::ToggleOn(_)
            | Predicate::ToggleOff(_)
            | Predicate::ToggleKept(_) => self.scope_predicate(p, m),
            Predicate::HasActiveTokens
            | Predicate::ElevationTokens
            | Predicate::OwnsAssetsInRemoved
            | Predicate::OwnsActive(_) => self.holding_predicate(p, m),
            Predicate::Temporary
            | Predicate::Missing(_)
            | Predicate::Deleted
            | Predicate::Created
            | Predicate::ElevationExpired
            | Predicate::EmailDomainOutside(_) => self.state_predicate(p, m),
            Predicate::ApprovalUnreferenced
            | Predicate::ApprovalMissing
            | Predicate::ActivityDenied => self.approval_predicate(p, m),
        }
    }

    /// `all`, `any` and `not`. `all` records what its parts matched only when every part
    /// matches; `any` records what each matching part matched; `not` records nothing.
    fn combinator(&self, p: &Predicate, m: &mut Matches) -> bool {
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
            // Not a combinator: `eval` sends none here.
            _ => false,
        }
    }

    /// `gains`, `loses` and `last_holder`: levels of a capability that change.
    fn capability_predicate(&self, p: &Predicate, m: &mut Matches) -> bool {
        match p {
            Predicate::Gains(cm) => {
                let hits = self.matching(cm, &self.computed.gained);
                if let Some(first) = hits.first() {
                    m.gain_path.get_or_insert_with(|| self.gain_path(first));
                }
                self.record_changes(&hits, &self.computed.diff.gained, m)
            }
            Predicate::Loses(cm) => self.loses(cm, m),
            Predicate::LastHolder(cm) => self.last_holder(cm, m),
            // Not a capability predicate: `eval` sends none here.
            _ => false,
        }
    }

    /// The level changes (gained or lost) a capability match asks about: the capability and
    /// levels it names, and only on entities kept by the change when it says so.
    fn matching<'c>(
        &self,
        cm: &CapabilityMatch,
        changes: &'c [LevelChange],
    ) -> Vec<&'c LevelChange> {
        changes
            .iter()
            .filter(|c| self.moves(cm, c))
            .filter(|c| !cm.on_kept_entities || self.kept(c))
            .collect()
    }

    /// `loses`: on some entity, or with `everywhere`, on every entity at once.
    fn loses(&self, cm: &CapabilityMatch, m: &mut Matches) -> bool {
        if cm.everywhere {
            return self.loses_everywhere(cm, m);
        }
        let hits = self.matching(cm, &self.computed.lost);
        self.record_changes(&hits, &self.computed.diff.lost, m)
    }

    /// `loses` with `everywhere`: the user's highest level of the capability falls below
    /// the threshold.
    fn loses_everywhere(&self, cm: &CapabilityMatch, m: &mut Matches) -> bool {
        let profile = self.engine.profile();
        let Some(cap) = cm.capability.as_deref().and_then(|c| profile.capability(c)) else {
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
        hit
    }

    /// `role_from`, `role_to`, `role_changed`, `role_elevated` and `family_changed`: the
    /// roles and role families the user holds.
    fn role_predicate(&self, p: &Predicate, m: &mut Matches) -> bool {
        match p {
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
            Predicate::RoleChanged => self.role_changed(m),
            Predicate::RoleElevated => self.role_elevated(m),
            Predicate::FamilyChanged => {
                let profile = self.engine.profile();
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
            // Not a role predicate: `eval` sends none here.
            _ => false,
        }
    }

    /// `role_changed`: a role changes on a kept entity; where a user has one role for all
    /// scopes, the set of roles changes.
    fn role_changed(&self, m: &mut Matches) -> bool {
        let d = &self.computed.diff;
        if !d.role_changed.is_empty() {
            m.entities
                .extend(d.role_changed.iter().map(|r| r.entity.clone()));
            return true;
        }
        // Where a user has one role for all scopes, moving to another scope with
        // another role is a role change too.
        if !self.engine.profile().constraints().uniform_role {
            return false;
        }
        let (b, a) = (self.before.distinct_roles(), self.after.distinct_roles());
        !b.is_empty() && !a.is_empty() && a != b
    }

    /// `entity_added`, `entity_removed`, `all_granted`, `toggle_on`, `toggle_off` and
    /// `toggle_kept`: the entities the user covers, and the toggles.
    fn scope_predicate(&self, p: &Predicate, m: &mut Matches) -> bool {
        match p {
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
            Predicate::AllGranted => self.all_granted(m),
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
            // Not a scope predicate: `eval` sends none here.
            _ => false,
        }
    }

    /// `all_granted`: the change adds an entity of the top level.
    fn all_granted(&self, m: &mut Matches) -> bool {
        let Some(top) = self.engine.profile().levels().first() else {
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

    /// `has_active_tokens`, `elevation_tokens`, `owns_assets_in_removed` and `owns_active`:
    /// the API tokens and the assets of the user.
    fn holding_predicate(&self, p: &Predicate, m: &mut Matches) -> bool {
        match p {
            Predicate::HasActiveTokens => self.record_tokens(self.tokens.iter().copied(), m),
            Predicate::ElevationTokens => self.elevation_tokens(m),
            Predicate::OwnsAssetsInRemoved => {
                let hits = self.assets_in_removed();
                m.assets.extend(hits.iter().map(|a| a.id.clone()));
                m.entities.extend(hits.iter().map(|a| a.entity.clone()));
                !hits.is_empty()
            }
            Predicate::OwnsActive(o) => self.owns_active(o, m),
            // Not a token or asset predicate: `eval` sends none here.
            _ => false,
        }
    }

    /// `elevation_tokens`: the change ends the user's elevation, and active tokens were
    /// made during it.
    fn elevation_tokens(&self, m: &mut Matches) -> bool {
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

    /// `owns_active`: active assets of the kind, under entities where the user loses the
    /// capability when `losing` says one.
    fn owns_active(&self, o: &OwnsActive, m: &mut Matches) -> bool {
        let profile = self.engine.profile();
        let hits: Vec<&&Asset> = self
            .assets
            .iter()
            .filter(|a| a.active)
            .filter(|a| o.kind.as_ref().is_none_or(|k| &a.kind == k))
            .filter(|a| match &o.losing {
                None => true,
                Some(cm) => {
                    let Some(cap) = cm.capability.as_deref().and_then(|c| profile.capability(c))
                    else {
                        return false;
                    };
                    let Some(l) = self.threshold(cm, cap) else {
                        return false;
                    };
                    let key = self.key(&a.entity);
                    self.grid_before.level(key, cap) >= l && self.grid_after.level(key, cap) < l
                }
            })
            .collect();
        m.assets.extend(hits.iter().map(|a| a.id.clone()));
        m.entities.extend(hits.iter().map(|a| a.entity.clone()));
        !hits.is_empty()
    }

    /// `temporary`, `missing`, `deleted`, `created`, `elevation_expired` and
    /// `email_domain_outside`: the change's own fields and the user's.
    fn state_predicate(&self, p: &Predicate, m: &mut Matches) -> bool {
        match p {
            Predicate::Temporary => self.change.temporary.is_some(),
            Predicate::Missing(field) => self.missing(field, m),
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
            // Not a predicate on the change's fields: `eval` sends none here.
            _ => false,
        }
    }

    /// `missing`: a field of the change is empty or absent.
    fn missing(&self, field: &str, m: &mut Matches) -> bool {
        let missing = match field {
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
            m.path.get_or_insert(match field {
                "elevation.until" => "after.elevation.until".to_string(),
                other => other.to_string(),
            });
        }
        missing
    }

    /// `approval_unreferenced`, `approval_missing` and `activity_denied`: the approvals the
    /// change carries, and what the user did before.
    fn approval_predicate(&self, p: &Predicate, m: &mut Matches) -> bool {
        match p {
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
            Predicate::ApprovalMissing => {
                let hit = self.requirement.is_some_and(|r| !r.satisfied);
                if hit {
                    m.path.get_or_insert("approvals".into());
                }
                hit
            }
            Predicate::ActivityDenied => self.activity_denied(m),
            // Not an approval or activity predicate: `eval` sends none here.
            _ => false,
        }
    }

    /// `activity_denied`: an action of the user in `activity` that the after-state denies.
    fn activity_denied(&self, m: &mut Matches) -> bool {
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
    fn threshold(&self, cm: &CapabilityMatch, cap: CapId) -> Option<u8> {
        let profile = self.engine.profile();
        if let Some(want) = &cm.capability {
            if profile.capability(want) != Some(cap) {
                return None;
            }
        }
        profile.threshold(cap, cm.level.as_deref())
    }

    /// Records the entities and the `capability: from → to` labels of the level changes a
    /// predicate matched (`list` is the diff's `gained` or `lost`).
    fn record_changes(
        &self,
        hits: &[&LevelChange],
        list: &[AccessChange],
        m: &mut Matches,
    ) -> bool {
        // Each entity and each `capability: from → to` once, in order of appearance (repeats
        // of what other predicates matched go when the finding is made); a wide user has
        // thousands of hits, so the checks are hashed, not linear.
        let mut entities: FxHashSet<Key> = FxHashSet::default();
        let mut labels: FxHashSet<(CapId, u8, u8)> = FxHashSet::default();
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
        let ids: SmallVec<[RoleId; 8]> = profile
            .role_ids()
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
                .and_then(|g| g.get(c.cap.index()))
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
    fn assets_in_removed(&self) -> Vec<&Asset> {
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

    /// `last_holder`: the user loses the capability on an entity where nobody else in the
    /// change's population holds it.
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
}
