//! What changed in a seat between two snapshots (drift), and whether the access log explains
//! it (reconciliation).
//!
//! A user's *access*, for both, is what the access log records of it: the assignments
//! (`LEVEL:ID=ROLE`, in any order) and the toggles that are on. Logins, names, tokens and
//! assets are not access: a user who signed in or made a token has not drifted. Users are
//! matched by `id`.
//!
//! Each drifted user becomes a [`Change`] (before = old, after = new) assessed as if it had
//! been proposed. Who made an observed change is unknown, so the authority checks, which
//! judge the actor, are left out of its findings.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::assess::{ApprovalRequirement, Check, Diff};
use crate::engine::Engine;
use crate::error::{AdaccessError, DirectoryError, ErrorInfo, InputError};
use crate::finding::Code;
use crate::finding::{sort_findings, Finding, Severity};
use crate::ingest::{read_export, Export, IngestError};
use crate::json::join_path;
use crate::log::LogError;
use crate::log::Logged;
use crate::model::display_user;
use crate::model::{Approval, Change, Directory, Timestamp, User};
use crate::profile::Profile;

/// The users of a seat at two dates, compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Drift {
    pub summary: DriftSummary,
    /// Every user whose access differs, in the old snapshot's order, then the new users in
    /// the new snapshot's order.
    pub changes: Vec<DriftChange>,
    /// The ids of the users whose access is the same in both.
    pub unchanged: Vec<String>,
}

/// Counts of a drift.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DriftSummary {
    /// Users in the old snapshot.
    pub old: usize,
    /// Users in the new snapshot.
    pub new: usize,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// How a user's presence changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DriftKind {
    /// Only in the new snapshot.
    Added,
    /// Only in the old snapshot.
    Removed,
    /// In both, with other access.
    Changed,
}

/// One user whose access differs between the snapshots, as a change and its assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DriftChange {
    pub user: String,
    pub kind: DriftKind,
    /// Index of the user in the old snapshot's users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_index: Option<usize>,
    /// Index of the user in the new snapshot's users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_index: Option<usize>,
    /// Before = old, after = new; the actor is unknown (an empty user).
    pub change: Change,
    /// True when no finding is an `error`.
    pub ok: bool,
    /// What the change would have raised had it been proposed, the authority checks left
    /// out.
    pub findings: Vec<Finding>,
    pub diff: Diff,
    /// The approvals it would have needed (none given).
    pub approvals_required: Vec<ApprovalRequirement>,
}

/// The dates of the two snapshots of a reconciliation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReconcileOptions {
    /// When the old snapshot was taken: log entries dated before it are not matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_date: Option<Timestamp>,
    /// When the new snapshot was taken: log entries dated after it are not matched, and
    /// elevations that ended before it are reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_date: Option<Timestamp>,
}

/// Whether an access log explains the drift between two snapshots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Reconciliation {
    pub summary: ReconcileSummary,
    /// Sorted: severity, code, path. Paths: `old[i]` and `new[i]` are users of the
    /// snapshots, `line[n]` a line of the log.
    pub findings: Vec<Finding>,
    /// The users of the snapshots: added, removed, changed and unchanged.
    pub drift: DriftSummary,
    /// Every drifted user, in the drift's order, with the log lines that explain it.
    pub changes: Vec<Reconciled>,
}

/// One drifted user of a reconciliation. The change itself, assessed, is in
/// [`Engine::drift`]'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Reconciled {
    pub user: String,
    pub kind: DriftKind,
    /// The log lines dated between the snapshots about this user, in order.
    pub lines: Vec<usize>,
    /// True when the log explains the change step by step, with the approvals it needed.
    pub explained: bool,
}

/// Counts of a reconciliation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReconcileSummary {
    /// Drifted users.
    pub changes: usize,
    /// Drifted users whose change the log explains, approvals included.
    pub explained: usize,
    /// Log entries read.
    pub entries: usize,
    /// Log entries dated between the snapshots (the ones matched).
    pub entries_in_window: usize,
    pub by_code: BTreeMap<String, usize>,
    pub by_severity: BTreeMap<String, usize>,
}

/// A user's access as the log records it: assignments (sorted) and the toggles that are on.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Access {
    assignments: Vec<String>,
    toggles: Vec<String>,
}

impl Access {
    fn of(user: &User) -> Access {
        let mut assignments: Vec<String> = user
            .assignments
            .iter()
            .map(|a| format!("{}:{}={}", a.entity.level, a.entity.id, a.role))
            .collect();
        assignments.sort_unstable();
        Access {
            assignments,
            toggles: on(&user.toggles),
        }
    }

    fn logged(assignments: &[String], toggles: &BTreeMap<String, bool>) -> Access {
        let mut assignments = assignments.to_vec();
        assignments.sort_unstable();
        Access {
            assignments,
            toggles: on(toggles),
        }
    }

    fn describe(access: Option<&Access>) -> String {
        match access {
            None => "no user".into(),
            Some(a) if a.assignments.is_empty() => "no assignments".into(),
            Some(a) => {
                let mut s = a.assignments.join(", ");
                if !a.toggles.is_empty() {
                    s.push_str(&format!(" (on: {})", a.toggles.join(", ")));
                }
                s
            }
        }
    }
}

fn on(toggles: &BTreeMap<String, bool>) -> Vec<String> {
    toggles
        .iter()
        .filter(|(_, on)| **on)
        .map(|(t, _)| t.clone())
        .collect()
}

/// Whether two users hold the same access, without allocating for the common case of the
/// same assignments in the same order.
fn same_access(a: &User, b: &User) -> bool {
    let toggles_same = a
        .toggles
        .iter()
        .filter(|(_, on)| **on)
        .eq(b.toggles.iter().filter(|(_, on)| **on));
    if !toggles_same || a.assignments.len() != b.assignments.len() {
        return false;
    }
    if a.assignments == b.assignments {
        return true;
    }
    Access::of(a).assignments == Access::of(b).assignments
}

/// The users of one snapshot by id; a repeated id is an error naming both places.
fn index<'a>(users: &'a [User], side: &str) -> Result<HashMap<&'a str, usize>, InputError> {
    let mut map: HashMap<&str, usize> = HashMap::default();
    map.reserve(users.len());
    for (i, u) in users.iter().enumerate() {
        if let Some(first) = map.insert(u.id.as_str(), i) {
            return Err(InputError::invalid(
                format!("{side}[{i}].id"),
                format!(
                    "user `{}` is listed twice (first at {side}[{first}]): the snapshots are matched by id",
                    u.id
                ),
            ));
        }
    }
    Ok(map)
}

impl Drifted<'_> {
    fn kind(&self) -> DriftKind {
        match (self.old, self.new) {
            (None, _) => DriftKind::Added,
            (_, None) => DriftKind::Removed,
            _ => DriftKind::Changed,
        }
    }
}

/// Two snapshots compared: who drifted, who did not, and where each id is.
struct Compared<'a> {
    drifted: Vec<Drifted<'a>>,
    unchanged: Vec<&'a str>,
    old_ids: HashMap<&'a str, usize>,
    new_ids: HashMap<&'a str, usize>,
}

impl Compared<'_> {
    /// The counts of users added, removed, changed and unchanged.
    fn summary(&self, old: &[User], new: &[User]) -> DriftSummary {
        let mut summary = DriftSummary {
            old: old.len(),
            new: new.len(),
            unchanged: self.unchanged.len(),
            ..DriftSummary::default()
        };
        for d in &self.drifted {
            match d.kind() {
                DriftKind::Added => summary.added += 1,
                DriftKind::Removed => summary.removed += 1,
                DriftKind::Changed => summary.changed += 1,
            }
        }
        summary
    }
}

/// A drifted user, before it is assessed.
struct Drifted<'a> {
    id: &'a str,
    old: Option<(usize, &'a User)>,
    new: Option<(usize, &'a User)>,
}

impl Engine {
    /// What changed between two snapshots of a seat: users added and removed, and every user
    /// whose access differs, as a change assessed as if it had been proposed (dated `now`
    /// when given). Fails only on a user id listed twice in one snapshot.
    pub fn drift(
        &self,
        old: &[User],
        new: &[User],
        now: Option<&Timestamp>,
    ) -> Result<Drift, InputError> {
        let compared = self.compare(old, new)?;
        let summary = compared.summary(old, new);
        let changes: Vec<DriftChange> = compared
            .drifted
            .iter()
            .map(|d| self.observed(d, now, Vec::new(), None))
            .collect();
        Ok(Drift {
            summary,
            changes,
            unchanged: compared.unchanged.iter().map(|id| id.to_string()).collect(),
        })
    }

    /// The drifted users, and the ids of the others.
    fn compare<'a>(&self, old: &'a [User], new: &'a [User]) -> Result<Compared<'a>, InputError> {
        let old_ids = index(old, "old")?;
        let new_ids = index(new, "new")?;
        let mut drifted = Vec::new();
        let mut unchanged = Vec::new();
        for (i, o) in old.iter().enumerate() {
            let n = new_ids
                .get(o.id.as_str())
                .and_then(|j| new.get(*j).map(|u| (*j, u)));
            match n {
                Some((_, n)) if same_access(o, n) => unchanged.push(o.id.as_str()),
                _ => drifted.push(Drifted {
                    id: &o.id,
                    old: Some((i, o)),
                    new: n,
                }),
            }
        }
        for (j, n) in new.iter().enumerate() {
            if !old_ids.contains_key(n.id.as_str()) {
                drifted.push(Drifted {
                    id: &n.id,
                    old: None,
                    new: Some((j, n)),
                });
            }
        }
        Ok(Compared {
            drifted,
            unchanged,
            old_ids,
            new_ids,
        })
    }

    /// A drifted user as a change, assessed.
    fn observed(
        &self,
        d: &Drifted<'_>,
        now: Option<&Timestamp>,
        approvals: Vec<Approval>,
        reason: Option<String>,
    ) -> DriftChange {
        let change = Change {
            actor: User::default(),
            before: d.old.map(|(_, u)| u.clone()),
            after: d.new.map(|(_, u)| u.clone()),
            reason,
            approvals,
            temporary: None,
            now: now.cloned(),
            population: None,
            activity: None,
        };
        let Check {
            findings,
            diff,
            approvals_required,
            ..
        } = self.check(&change);
        // The actor of an observed change is unknown: what is said of the actor's reach and
        // roles says nothing.
        let findings: Vec<Finding> = findings
            .into_iter()
            .filter(|f| !f.code.starts_with("authority.") && f.code != "directory.missing")
            .collect();
        let ok = !findings.iter().any(|f| f.severity == Severity::Error);
        DriftChange {
            user: d.id.to_string(),
            kind: d.kind(),
            old_index: d.old.map(|(i, _)| i),
            new_index: d.new.map(|(j, _)| j),
            change,
            ok,
            findings,
            diff,
            approvals_required,
        }
    }

    /// Whether the access log explains every change between two snapshots: each drifted
    /// user's change must follow from logged changes dated between the snapshots, from the
    /// old access to the new, with the approvals its assessment requires; each logged change
    /// must show in the new snapshot. Also reports, in the new snapshot, elevations past
    /// their revert date and API tokens nobody may hold. Fails only on a user id listed twice
    /// in one snapshot.
    pub fn reconcile(
        &self,
        old: &[User],
        new: &[User],
        log: &[Logged],
        options: &ReconcileOptions,
    ) -> Result<Reconciliation, InputError> {
        let compared = self.compare(old, new)?;
        let summary = compared.summary(old, new);
        let Compared {
            drifted,
            old_ids,
            new_ids,
            ..
        } = compared;
        let (mut by_user, entries_in_window) = entries_by_user(log, options);

        let mut findings = Vec::new();
        let mut changes = Vec::with_capacity(drifted.len());
        let mut explained = 0;
        for d in &drifted {
            let entries = by_user.remove(d.id).unwrap_or_default();
            let change = self.reconcile_drifted(d, &entries, &mut findings);
            explained += usize::from(change.explained);
            changes.push(change);
        }
        // Logged changes of users whose access did not drift: none of them shows.
        let mut rest: Vec<(&str, Vec<&Logged>)> = by_user.into_iter().collect();
        rest.sort_by_key(|(_, e)| e.first().map_or(0, |l| l.line));
        for (id, entries) in rest {
            let old_user = old_ids.get(id).and_then(|i| old.get(*i).map(|u| (*i, u)));
            let new_user = new_ids.get(id).and_then(|j| new.get(*j).map(|u| (*j, u)));
            let d = Drifted {
                id,
                old: old_user,
                new: new_user,
            };
            self.explain(&d, &entries, &mut findings);
        }

        findings.extend(self.leftovers(new, options.new_date.as_ref(), "new"));

        sort_findings(&mut findings);
        let mut totals = ReconcileSummary {
            changes: changes.len(),
            explained,
            entries: log.len(),
            entries_in_window,
            ..ReconcileSummary::default()
        };
        count_findings(&mut totals, &findings);
        Ok(Reconciliation {
            summary: totals,
            findings,
            drift: summary,
            changes,
        })
    }

    /// One drifted user reconciled: its logged steps walked, then the approvals its change
    /// needed checked against them when the steps explain it.
    fn reconcile_drifted(
        &self,
        d: &Drifted<'_>,
        entries: &[&Logged],
        findings: &mut Vec<Finding>,
    ) -> Reconciled {
        let before = findings.len();
        let approvals = self.explain(d, entries, findings);
        if let (Some(last), true) = (entries.last(), findings.len() == before) {
            // Explained step by step: now the approvals the change needed, assessed as
            // of the last logged step.
            let now = last
                .entry
                .date
                .as_deref()
                .and_then(|d| Timestamp::parse(d).ok());
            let change = self.observed(d, now.as_ref(), approvals, last.entry.reason.clone());
            self.unapproved(d, &change, entries, findings);
        }
        let ok = findings.len() == before;
        Reconciled {
            user: d.id.to_string(),
            kind: d.kind(),
            lines: entries.iter().map(|e| e.line).collect(),
            explained: ok,
        }
    }

    /// Walks a user's logged changes from the old access to the new: a step the log does not
    /// hold is `reconcile.unlogged`, a logged change the new snapshot does not show is
    /// `reconcile.not_applied`. Returns the approvals of the changes that show.
    fn explain(
        &self,
        d: &Drifted<'_>,
        entries: &[&Logged],
        findings: &mut Vec<Finding>,
    ) -> Vec<Approval> {
        let user = d.new.or(d.old).map(|(_, u)| u);
        let x = Explaining {
            engine: self,
            id: d.id,
            old: d.old.map(|(_, u)| Access::of(u)),
            new: d.new.map(|(_, u)| Access::of(u)),
            who: user.map_or_else(|| format!("`{}`", d.id), display_user),
            at: match (d.new, d.old) {
                (Some((j, _)), _) => format!("new[{j}]"),
                (None, Some((i, _))) => format!("old[{i}]"),
                (None, None) => String::new(),
            },
        };
        let (old_ref, new_ref) = (x.old.as_ref(), x.new.as_ref());
        let states = logged_states(entries);
        // The entries up to the last one whose result the new snapshot shows are applied;
        // the ones after it are not. None shows when the new access is the old one.
        let applied = states
            .iter()
            .rposition(|(_, after)| after.as_ref() == new_ref)
            .map_or(0, |k| k + 1);
        if old_ref != new_ref && applied == 0 && entries.is_empty() {
            x.unlogged(
                findings,
                format!(
                    "the access of {} changed from {} to {} and no log entry dated between the snapshots records it",
                    x.who,
                    Access::describe(old_ref),
                    Access::describe(new_ref)
                ),
                json!({"old": Access::describe(old_ref), "new": Access::describe(new_ref)}),
            );
            return Vec::new();
        }
        let approvals = x.applied(entries, &states, applied, findings);
        x.not_applied(entries, &states, applied, findings);
        // What the applied steps end on is not what the new snapshot shows.
        let shown = if applied == 0 { old_ref } else { new_ref };
        if applied == 0 && shown != new_ref {
            x.unlogged(
                findings,
                format!(
                    "the access of {} changed from {} to {}, which no log entry dated between the snapshots gives",
                    x.who,
                    Access::describe(old_ref),
                    Access::describe(new_ref)
                ),
                json!({"old": Access::describe(old_ref), "new": Access::describe(new_ref)}),
            );
        }
        approvals
    }

    /// `reconcile.unapproved`: the approvals a logged change needed that its entries do not
    /// record.
    fn unapproved(
        &self,
        d: &Drifted<'_>,
        change: &DriftChange,
        entries: &[&Logged],
        findings: &mut Vec<Finding>,
    ) {
        let missing: Vec<&ApprovalRequirement> = change
            .approvals_required
            .iter()
            .filter(|r| !r.satisfied)
            .collect();
        let Some(last) = entries.last() else {
            return;
        };
        if missing.is_empty() {
            return;
        }
        let user = d.new.or(d.old).map(|(_, u)| u);
        let who = user.map_or_else(|| format!("`{}`", d.id), display_user);
        let groups: Vec<String> = missing.iter().map(|r| r.any_of.join(" or ")).collect();
        let lines: Vec<usize> = entries.iter().map(|e| e.line).collect();
        let mut f = self
            .coded(
                Code::ReconcileUnapproved,
                format!(
                    "the logged change of {who} (line {}) needed the approval of {}, which its log entries do not record",
                    last.line,
                    groups.join(" and ")
                ),
            )
            .at(format!("line[{}]", last.line))
            .with_data(json!({
                "lines": lines,
                "missing": missing.iter().map(|r| json!({"any_of": r.any_of, "reason": r.reason})).collect::<Vec<_>>(),
            }));
        f.user = Some(d.id.to_string());
        findings.push(f);
    }
}

/// The entries of the log dated between the snapshots (by day, a snapshot's day inside), by
/// user id, and how many there are.
fn entries_by_user<'l>(
    log: &'l [Logged],
    options: &ReconcileOptions,
) -> (HashMap<&'l str, Vec<&'l Logged>>, usize) {
    // Entries are dated by day: a snapshot's day counts as inside.
    let day = |t: &Option<Timestamp>| t.as_ref().and_then(|t| Timestamp::parse(&t.date()).ok());
    let (first, last) = (day(&options.old_date), day(&options.new_date));
    let in_window = |e: &&Logged| {
        e.entry
            .date
            .as_deref()
            .and_then(|d| Timestamp::parse(d).ok())
            .is_some_and(|date| {
                first.as_ref().is_none_or(|f| &date >= f)
                    && last.as_ref().is_none_or(|l| &date <= l)
            })
    };
    let mut by_user: HashMap<&str, Vec<&Logged>> = HashMap::default();
    let mut entries_in_window = 0;
    for e in log.iter().filter(in_window) {
        entries_in_window += 1;
        by_user.entry(e.entry.user_id.as_str()).or_default().push(e);
    }
    (by_user, entries_in_window)
}

/// Counts the findings of a reconciliation by code and by severity (every severity listed).
fn count_findings(totals: &mut ReconcileSummary, findings: &[Finding]) {
    for s in Severity::ALL {
        totals.by_severity.insert(s.as_str().to_string(), 0);
    }
    for f in findings {
        *totals.by_code.entry(f.code.clone()).or_default() += 1;
        *totals
            .by_severity
            .entry(f.severity.as_str().to_string())
            .or_default() += 1;
    }
}

/// The access before and after each log entry (none before a `create`, none after a
/// `delete`).
fn logged_states(entries: &[&Logged]) -> Vec<(Option<Access>, Option<Access>)> {
    entries
        .iter()
        .map(|e| {
            let e = &e.entry;
            let before =
                (e.action != "create").then(|| Access::logged(&e.assignments.old, &e.toggles.old));
            let after =
                (e.action != "delete").then(|| Access::logged(&e.assignments.new, &e.toggles.new));
            (before, after)
        })
        .collect()
}

/// One user's logged changes being explained: the user's access in each snapshot, how
/// messages name the user, and where its findings point.
struct Explaining<'a> {
    engine: &'a Engine,
    id: &'a str,
    old: Option<Access>,
    new: Option<Access>,
    who: String,
    /// `new[j]` or `old[i]`; empty for a user in neither snapshot.
    at: String,
}

impl Explaining<'_> {
    /// Adds a `reconcile.unlogged` finding on the user.
    fn unlogged(&self, findings: &mut Vec<Finding>, message: String, data: serde_json::Value) {
        let mut f = self
            .engine
            .coded(Code::ReconcileUnlogged, message)
            .with_data(data);
        if !self.at.is_empty() {
            f = f.at(self.at.clone());
        }
        f.user = Some(self.id.to_string());
        findings.push(f);
    }

    /// Checks that each of the first `applied` steps starts where the previous one (or the
    /// old snapshot) ended; returns their approvals.
    fn applied(
        &self,
        entries: &[&Logged],
        states: &[(Option<Access>, Option<Access>)],
        applied: usize,
        findings: &mut Vec<Finding>,
    ) -> Vec<Approval> {
        let who = &self.who;
        let mut state = self.old.clone();
        let mut approvals = Vec::new();
        for (e, (before, after)) in entries.iter().zip(states).take(applied) {
            if before != &state {
                self.unlogged(
                    findings,
                    format!(
                        "the log entry on line {} changes {who} from {}, but the access was {}: a change before it is not logged",
                        e.line,
                        Access::describe(before.as_ref()),
                        Access::describe(state.as_ref())
                    ),
                    json!({"line": e.line, "logged_from": Access::describe(before.as_ref()), "was": Access::describe(state.as_ref())}),
                );
            }
            state.clone_from(after);
            approvals.extend(e.entry.approvals.iter().cloned());
        }
        approvals
    }

    /// `reconcile.not_applied` for each step after the first `applied`: logged, but not what
    /// the new snapshot shows.
    fn not_applied(
        &self,
        entries: &[&Logged],
        states: &[(Option<Access>, Option<Access>)],
        applied: usize,
        findings: &mut Vec<Finding>,
    ) {
        let (who, new_ref) = (&self.who, self.new.as_ref());
        for (e, (_, after)) in entries.iter().zip(states).skip(applied) {
            let logged = match (e.entry.action.as_str(), after) {
                ("delete", _) | (_, None) => format!("removes {who} from the seat"),
                ("create", Some(a)) => {
                    format!("adds {who} with {}", Access::describe(Some(a)))
                }
                (_, Some(a)) => format!("gives {who} {}", Access::describe(Some(a))),
            };
            let shown = match new_ref {
                None => "does not list them".to_string(),
                Some(a) => format!("shows {}", Access::describe(Some(a))),
            };
            let mut f = self
                .engine
                .coded(
                    Code::ReconcileNotApplied,
                    format!(
                        "the log entry on line {} ({}) {logged}, but the new snapshot {shown}: the save did not take, or it was reverted",
                        e.line,
                        e.entry.date.as_deref().unwrap_or_default(),
                    ),
                )
                .at(format!("line[{}]", e.line))
                .with_data(json!({
                    "line": e.line,
                    "logged": Access::describe(after.as_ref()),
                    "shown": Access::describe(new_ref),
                }));
            f.user = Some(self.id.to_string());
            findings.push(f);
        }
    }
}

/// The exports and log of a drift or a reconciliation, as the faces take them.
pub struct Snapshots<'a> {
    /// The older export (any format [`read_export`](crate::ingest::read_export) reads).
    pub old: &'a [u8],
    /// The newer export of the same seat.
    pub new: &'a [u8],
}

/// Reading two exports of a seat, or their log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    #[error("the old export: {0}")]
    Old(IngestError),
    #[error("the new export: {0}")]
    New(IngestError),
    #[error("the access log: {0}")]
    Log(LogError),
    #[error(transparent)]
    Input(InputError),
    #[error(transparent)]
    Directory(DirectoryError),
}

impl AdaccessError for SnapshotError {
    fn code(&self) -> &'static str {
        match self {
            SnapshotError::Old(e) | SnapshotError::New(e) => e.code(),
            SnapshotError::Log(e) => e.code(),
            SnapshotError::Input(e) => e.code(),
            SnapshotError::Directory(e) => e.code(),
        }
    }

    fn path(&self) -> Option<&str> {
        match self {
            SnapshotError::Old(e) | SnapshotError::New(e) => e.path(),
            SnapshotError::Log(e) => e.path(),
            SnapshotError::Input(e) => e.path(),
            SnapshotError::Directory(e) => e.path(),
        }
    }

    /// The path of a bad value inside an export is prefixed with its side (`old`, `new`):
    /// `new[3].assignments[0].role`, `old.row[4].role`.
    fn info(&self) -> ErrorInfo {
        let mut info = ErrorInfo {
            code: self.code().to_string(),
            message: self.to_string(),
            path: self.path().map(str::to_string),
            problems: Vec::new(),
        };
        let side = match self {
            SnapshotError::Old(_) => Some("old"),
            SnapshotError::New(_) => Some("new"),
            _ => None,
        };
        if let Some(side) = side {
            info.path = Some(join_path(side, info.path.as_deref().unwrap_or_default()));
        }
        info
    }
}

/// Two exports read.
struct Read {
    old: Export,
    new: Export,
}

/// Reads both exports, at the same time where there are threads.
fn read_both(profile: &Profile, s: &Snapshots<'_>) -> Result<Read, SnapshotError> {
    let old = || read_export(profile, s.old).map_err(SnapshotError::Old);
    let new = || read_export(profile, s.new).map_err(SnapshotError::New);
    let parallel = !cfg!(target_arch = "wasm32")
        && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    let (old, new) = if parallel {
        std::thread::scope(|scope| {
            let handle = scope.spawn(old);
            let new = new();
            // A reader that panicked (a bug) must not be taken for an empty export.
            let old = handle
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            (old, new)
        })
    } else {
        (old(), new())
    };
    Ok(Read {
        old: old?,
        new: new?,
    })
}

impl Engine {
    /// This engine, or, when it has no directory and an export carries one (MediaMath T1),
    /// an engine with the export's: the directory an export's audit, drift or
    /// reconciliation uses.
    pub fn with_export_directory(
        &self,
        directory: Option<&Directory>,
    ) -> Result<Cow<'_, Engine>, DirectoryError> {
        match directory {
            Some(d) if !self.has_directory() => {
                Engine::new(self.profile().clone(), Some(d)).map(Cow::Owned)
            }
            _ => Ok(Cow::Borrowed(self)),
        }
    }

    /// [`drift`](Engine::drift) of two exports. The directory is this engine's, else the
    /// new export's, else the old one's.
    pub fn drift_exports(
        &self,
        snapshots: &Snapshots<'_>,
        now: Option<&Timestamp>,
    ) -> Result<Drift, SnapshotError> {
        let read = read_both(self.profile(), snapshots)?;
        let engine = self
            .with_export_directory(read.new.directory.as_ref().or(read.old.directory.as_ref()))
            .map_err(SnapshotError::Directory)?;
        engine
            .drift(&read.old.users, &read.new.users, now)
            .map_err(SnapshotError::Input)
    }

    /// [`reconcile`](Engine::reconcile) of two exports and a log's text (JSON Lines). The
    /// directory is chosen as for [`drift_exports`](Engine::drift_exports).
    pub fn reconcile_exports(
        &self,
        snapshots: &Snapshots<'_>,
        log: &str,
        options: &ReconcileOptions,
    ) -> Result<Reconciliation, SnapshotError> {
        let entries = crate::log::read(log).map_err(SnapshotError::Log)?;
        let read = read_both(self.profile(), snapshots)?;
        let engine = self
            .with_export_directory(read.new.directory.as_ref().or(read.old.directory.as_ref()))
            .map_err(SnapshotError::Directory)?;
        engine
            .reconcile(&read.old.users, &read.new.users, &entries, options)
            .map_err(SnapshotError::Input)
    }
}
