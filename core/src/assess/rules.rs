//! The profile's change-impact rules over a computed diff: what a rule may look at (`Ctx`),
//! and a matching rule made into a finding with its message filled in. The predicates
//! themselves are evaluated in `predicates.rs`.

use serde_json::json;

use super::diff::{Computed, Side};
use super::results::ApprovalRequirement;
use crate::access::Grid;
use crate::engine::Engine;
use crate::finding::Finding;
use crate::keys::{Firsts, Keys};
use crate::model::display_user;
use crate::model::{Asset, Change, EntityRef, Token, User};
use crate::order;
use crate::profile::RuleDoc;

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
    pub(super) fn merge(&mut self, other: Matches) {
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

/// Adds the items of `from` that `into` does not hold yet.
fn extend_unique(into: &mut Vec<String>, from: Vec<String>) {
    for x in from {
        if !into.contains(&x) {
            into.push(x);
        }
    }
}

impl<'a> Ctx<'a> {
    /// What the rules of a change look at: the change, both its sides resolved, and its
    /// diff. The user's active tokens and assets are gathered once here.
    pub fn new(
        engine: &'a Engine,
        change: &'a Change,
        keys: &'a Keys<'a>,
        before: Side<'a>,
        after: Side<'a>,
        computed: &'a Computed<'a>,
    ) -> Self {
        let (b, a) = (before.user, after.user);
        Ctx {
            engine,
            change,
            before: b,
            after: a,
            keys,
            before_first: before.first,
            after_first: after.first,
            grid_before: before.grid,
            grid_after: after.grid,
            computed,
            created: change.before.is_none(),
            deleted: change.after.is_none(),
            tokens: union_by_id(&b.tokens, &a.tokens, |t: &Token| t.active, |t| &t.id),
            assets: union_by_id(&b.assets, &a.assets, |_| true, |a: &Asset| &a.id),
            requirement: None,
        }
    }
}

impl Ctx<'_> {
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

/// Each role of a side once, in order of first appearance: the names of the roles of the
/// profile, and of those it does not know (each name once); `no role` when there is none.
fn roles(u: &User, first: &Firsts) -> String {
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
}

/// An asset as a message names it: `campaign 42 (advertiser:7)`.
pub(crate) fn describe_asset(a: &Asset) -> String {
    format!("{} {} ({})", a.kind, a.id, a.entity)
}

/// Items of `before` and `after` that pass `keep`, each id once (the after-state wins).
fn union_by_id<'a, T>(
    before: &'a [T],
    after: &'a [T],
    keep: impl Fn(&T) -> bool,
    id: impl Fn(&T) -> &String,
) -> Vec<&'a T> {
    // A set, not a sorted vector: inserting into one is quadratic on a document with many
    // tokens.
    let mut seen: rustc_hash::FxHashSet<&String> = rustc_hash::FxHashSet::default();
    after
        .iter()
        .chain(before.iter())
        .filter(|item| seen.insert(id(item)) && keep(item))
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::union_by_id;

    /// Each id once, the after-state's item first, in document order; `keep` applies to the
    /// item that wins, so an inactive token in `after` hides the same token in `before`.
    #[test]
    fn union_by_id_keeps_the_after_state_first() {
        let items = |list: &[(&str, bool)]| -> Vec<(String, bool)> {
            list.iter().map(|(id, on)| (id.to_string(), *on)).collect()
        };
        let before = items(&[("b", true), ("a", true), ("c", true), ("b", true)]);
        let after = items(&[("c", false), ("a", true), ("d", true), ("a", false)]);
        let ids: Vec<&str> = union_by_id(&before, &after, |t| t.1, |t| &t.0)
            .iter()
            .map(|t| t.0.as_str())
            .collect();
        assert_eq!(ids, ["a", "d", "b"]);
        // Many items with repeated ids, against a plain scan.
        let before: Vec<(String, bool)> = (0..300)
            .map(|i| (format!("t{}", i % 97), i % 3 != 0))
            .collect();
        let after: Vec<(String, bool)> = (0..200)
            .map(|i| (format!("t{}", i % 61), i % 5 != 0))
            .collect();
        let mut expected: Vec<&(String, bool)> = Vec::new();
        let mut seen: Vec<&String> = Vec::new();
        for t in after.iter().chain(before.iter()) {
            if !seen.contains(&&t.0) {
                seen.push(&t.0);
                if t.1 {
                    expected.push(t);
                }
            }
        }
        let ours = union_by_id(&before, &after, |t| t.1, |t| &t.0);
        assert_eq!(ours, expected);
        assert!(ours.len() > 50, "{}", ours.len());
    }
}
