//! The access review: every problem across a whole seat (SPEC §5).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use rustc_hash::FxHashMap as HashMap;

use serde_json::json;

use crate::engine::{Engine, Located};
use crate::error::{AdaccessError, DirectoryError, ErrorInfo};
use crate::finding::Code;
use crate::finding::{sort_findings, Finding, Severity};
use crate::ingest::{read_export, ExportFormat, IngestError};
use crate::model::display_user;
use crate::model::{Activity, EntityRef, Timestamp, User};
use crate::profile::{CapId, CapabilityMatch, Level, RoleId};

/// Why the review of an export stopped (`Engine::audit_export`, and the streamed review).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReviewError<E> {
    /// The export cannot be read.
    #[error(transparent)]
    Ingest(IngestError),
    /// The entity tree the export carries cannot be used.
    #[error(transparent)]
    Directory(DirectoryError),
    /// The sink failed (writing the findings).
    #[error("{0}")]
    Sink(E),
}

impl<E: std::fmt::Display> ReviewError<E> {
    /// The error for a face; a sink's error is `output`.
    pub fn info(&self) -> ErrorInfo {
        match self {
            ReviewError::Ingest(e) => e.info(),
            ReviewError::Directory(e) => e.info(),
            ReviewError::Sink(e) => ErrorInfo::new("output", e.to_string()),
        }
    }
}

/// Options of an audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditOptions {
    /// Days without a login after which a user is dormant.
    #[serde(default = "default_dormant_days")]
    pub dormant_days: u32,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            dormant_days: default_dormant_days(),
        }
    }
}

fn default_dormant_days() -> u32 {
    90
}

/// An audit's arguments as one document, the way the npm and pip packages take them:
/// `{now?, activity?, dormant_days?}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditCall {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<Vec<Activity>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dormant_days: Option<u32>,
}

impl AuditCall {
    /// The options part, with defaults for what is not given.
    pub fn options(&self) -> AuditOptions {
        AuditOptions {
            dormant_days: self.dormant_days.unwrap_or_else(default_dormant_days),
        }
    }
}

/// The result of an access review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// How many users were reviewed.
    pub users: usize,
    /// Sorted: severity, code, path; each about one user (`user`) or the seat (`data`).
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

/// Counts over the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    pub by_code: BTreeMap<String, usize>,
    pub by_severity: BTreeMap<String, usize>,
    /// Users holding each role (a user with two roles counts under both).
    pub by_role: BTreeMap<String, usize>,
    pub by_family: BTreeMap<String, usize>,
}

impl Engine {
    /// `audit` with the options of one call from a binding (`{now?, activity?,
    /// dormant_days?}`).
    pub fn audit_with(&self, users: &[User], call: &AuditCall) -> Report {
        self.audit(
            users,
            call.now.as_ref(),
            call.activity.as_deref(),
            &call.options(),
        )
    }

    /// Reviews every user of a seat. Large seats are reviewed on every core.
    pub fn audit(
        &self,
        users: &[User],
        now: Option<&Timestamp>,
        activity: Option<&[Activity]>,
        options: &AuditOptions,
    ) -> Report {
        let reviewer = self.reviewer(now, activity, options);
        let parts = review_in_parallel(users, |chunk, offset| {
            let mut tally = Tally::default();
            let mut findings = Vec::new();
            for (i, user) in chunk.iter().enumerate() {
                reviewer.user(offset + i, user, &mut tally, &mut findings);
            }
            (tally, findings)
        });
        let mut tally = Tally::default();
        let mut findings = Vec::new();
        for (part, found) in parts {
            tally.merge(part);
            findings.extend(found);
        }
        let end = reviewer.finish(tally);
        findings.extend(end.findings);
        sort_findings(&mut findings);
        Report {
            users: end.users,
            findings,
            summary: end.summary,
        }
    }

    /// Reads an export held in memory (any format `read_export` reads) and reviews it: the
    /// directory is this engine's, else the one the export carries (T1), the choice every
    /// face makes through this call or the streamed `audit_source`.
    pub fn audit_export(
        &self,
        bytes: &[u8],
        call: &AuditCall,
    ) -> Result<(ExportFormat, Report), ReviewError<std::convert::Infallible>> {
        let export = read_export(self.profile(), bytes).map_err(ReviewError::Ingest)?;
        let engine = self
            .with_export_directory(export.directory.as_ref())
            .map_err(ReviewError::Directory)?;
        Ok((export.format, engine.audit_with(&export.users, call)))
    }

    /// The access review prepared for one seat, to feed users one at a time (an export read
    /// as a stream): [`Reviewer::user`] for each, then [`Reviewer::finish`].
    pub fn reviewer<'a>(
        &'a self,
        now: Option<&'a Timestamp>,
        activity: Option<&'a [Activity]>,
        options: &AuditOptions,
    ) -> Reviewer<'a> {
        let mut by_user: HashMap<&str, Vec<&Activity>> = HashMap::default();
        for a in activity.unwrap_or_default() {
            by_user.entry(a.user.as_str()).or_default().push(a);
        }
        Reviewer {
            engine: self,
            now,
            by_user,
            options: options.clone(),
            keys: self.key_capabilities(),
        }
    }

    /// The key capabilities of the profile, as dense ids.
    fn key_capabilities(&self) -> KeyCapabilities {
        let profile = self.profile();
        let resolve = |m: &Option<CapabilityMatch>| -> Option<(CapId, Level)> {
            let m = m.as_ref()?;
            let cap = profile.capability(m.capability.as_deref()?)?;
            let level = profile.threshold(cap, m.level.as_deref())?;
            Some((cap, level))
        };
        let keys = &profile.doc().key_capabilities;
        KeyCapabilities {
            admin: resolve(&keys.admin),
            billing: resolve(&keys.billing),
            tokens: resolve(&keys.tokens),
        }
    }

    /// The user's usable assignments: a known role at a level it may be assigned at, on an
    /// entity that exists; resolved once for the key capabilities.
    fn usable_assignments<'u>(&self, user: &'u User) -> Vec<(RoleId, &'u EntityRef)> {
        let profile = self.profile();
        user.assignments
            .iter()
            .filter_map(|a| {
                let r = profile.role(&a.role)?;
                match self.locate(&a.entity) {
                    Located::Known { level, .. } if profile.role_allowed_at(r, level) => {
                        Some((r, &a.entity))
                    }
                    _ => None,
                }
            })
            .collect()
    }

    /// `temporary.expired` (an elevation past its revert date at `now`) or
    /// `temporary.no_revert_date`, at `PREFIX.elevation`.
    fn elevation_finding(
        &self,
        user: &User,
        now: Option<&Timestamp>,
        prefix: &str,
    ) -> Option<Finding> {
        let elevation = user.elevation.as_ref()?;
        let who = crate::model::Who(user);
        match (&elevation.until, now) {
            (Some(until), Some(now)) if until < now => Some(
                self.coded(
                    Code::TemporaryExpired,
                    format!("{who} still holds a temporary elevation that ended on {until}"),
                )
                .at(format!("{prefix}.elevation.until"))
                .with_data(json!({"until": until, "revert_to": elevation.revert_to})),
            ),
            (None, _) => Some(
                self.coded(
                    Code::TemporaryNoRevertDate,
                    format!("{who} holds an elevation with no revert date"),
                )
                .at(format!("{prefix}.elevation")),
            ),
            _ => None,
        }
    }

    /// `tokens.orphaned`: active API tokens held by a user no role of whom may create them.
    fn orphaned_tokens(
        &self,
        user: &User,
        keys: &KeyCapabilities,
        can_create_tokens: bool,
        prefix: &str,
    ) -> Option<Finding> {
        if keys.tokens.is_none() || can_create_tokens {
            return None;
        }
        let tokens: Vec<&str> = user.active_tokens().map(|t| t.id.as_str()).collect();
        if tokens.is_empty() {
            return None;
        }
        let who = crate::model::Who(user);
        Some(
            self.coded(
                Code::TokensOrphaned,
                format!(
                    "{who} holds active API token(s) {} but no role that may create them: revoke them",
                    tokens.join(", ")
                ),
            )
            .at(format!("{prefix}.tokens"))
            .with_data(json!({"tokens": tokens})),
        )
    }

    /// What a snapshot shows that should have been undone: elevations past their revert date
    /// (or without one) and API tokens nobody may hold, each about its user at
    /// `SIDE[i]` (`new[3]`). The same checks as the access review's.
    pub(crate) fn leftovers(
        &self,
        users: &[User],
        now: Option<&Timestamp>,
        side: &str,
    ) -> Vec<Finding> {
        let keys = self.key_capabilities();
        let profile = self.profile();
        let mut out = Vec::new();
        for (i, user) in users.iter().enumerate() {
            if user.elevation.is_none() && user.active_tokens().next().is_none() {
                continue;
            }
            let prefix = format!("{side}[{i}]");
            let can_create_tokens = keys.tokens.is_some_and(|(cap, level)| {
                self.usable_assignments(user)
                    .iter()
                    .any(|(r, _)| profile.grant(*r, cap) >= level)
            });
            let start = out.len();
            out.extend(self.elevation_finding(user, now, &prefix));
            out.extend(self.orphaned_tokens(user, &keys, can_create_tokens, &prefix));
            for f in out.iter_mut().skip(start) {
                f.user = Some(user.id.clone());
            }
        }
        out
    }

    /// A finding with the profile's severity for `code`.
    pub(crate) fn coded(&self, code: Code, message: String) -> Finding {
        let f = Finding::new(code, message);
        match self.profile().severity_of(code.as_str()) {
            Some(s) => f.severity(s),
            None => f,
        }
    }

    /// The lowest role of the user's family that still covers every action taken.
    fn least_privilege(
        &self,
        user: &User,
        held: &[RoleId],
        actions: &[&Activity],
    ) -> Option<Finding> {
        let profile = self.profile();
        let current = *held
            .iter()
            .max_by_key(|r| weight(profile.role_grants(**r)))?;
        let family = profile.role_family(current)?.id.clone();
        if held
            .iter()
            .any(|r| profile.role_family(*r).map(|f| &f.id) != Some(&family))
        {
            return None;
        }
        let caps = profile.capabilities().len();
        let mut needed = vec![0u8; caps];
        for a in actions {
            let cap = profile.capability(&a.capability)?;
            let level = profile.access_level(cap, &a.level)?;
            if let Some(n) = needed.get_mut(cap.index()) {
                *n = (*n).max(level);
            }
        }
        let levels: Vec<usize> = user
            .assignments
            .iter()
            .filter_map(|a| profile.level_index(&a.entity.level))
            .collect();
        let best = profile
            .role_ids()
            .filter(|r| profile.role_family(*r).map(|f| &f.id) == Some(&family))
            .filter(|r| levels.iter().all(|l| profile.role_allowed_at(*r, *l)))
            .filter(|r| {
                profile
                    .role_grants(*r)
                    .iter()
                    .zip(&needed)
                    .all(|(g, n)| g >= n)
            })
            .min_by_key(|r| weight(profile.role_grants(*r)))?;
        if best == current
            || weight(profile.role_grants(best)) >= weight(profile.role_grants(current))
        {
            return None;
        }
        let (from, to) = (
            profile.role_doc(current)?.id.clone(),
            profile.role_doc(best)?.id.clone(),
        );
        Some(
            self.coded(
                Code::RoleLeastPrivilege,
                format!(
                    "{} holds `{from}`, but `{to}` covers all {} recorded action(s)",
                    display_user(user),
                    actions.len()
                ),
            )
            .with_data(json!({"current": from, "suggested": to, "actions": actions.len()})),
        )
    }

    /// `admin.count` / `admin.none` per top-level entity and `billing.none` for the seat.
    fn seat_findings(&self, keys: &KeyCapabilities, tally: &Tally, findings: &mut Vec<Finding>) {
        let profile = self.profile();
        if profile.levels().is_empty() {
            return;
        }
        if keys.admin.is_some() {
            let mut tops: Vec<EntityRef> = match self.tree() {
                Some(tree) => tree.tops().cloned().collect(),
                None => tally.tops.iter().cloned().collect(),
            };
            crate::order::sort_dedup(&mut tops);
            for entity in tops {
                let n = tally.admins.get(&entity).copied().unwrap_or(0);
                let name = self.describe_entity(&entity);
                let f = if n == 0 {
                    self.coded(Code::AdminNone, format!("nobody manages users on {name}"))
                } else {
                    self.coded(
                        Code::AdminCount,
                        format!("{n} user(s) manage users on {name}"),
                    )
                };
                findings.push(f.with_data(json!({"entity": entity, "admins": n})));
            }
        }
        if keys.billing.is_some() && tally.billing_holders == 0 && tally.users > 0 {
            findings.push(
                self.coded(
                    Code::BillingNone,
                    format!(
                        "nobody in the {} seat has billing access",
                        profile.doc().name
                    ),
                )
                .with_data(json!({"seat": profile.id()})),
            );
        }
    }
}

/// An access review prepared for one seat (`Engine::reviewer`): shared by the threads that
/// review users, each with its own [`Tally`].
pub struct Reviewer<'a> {
    engine: &'a Engine,
    now: Option<&'a Timestamp>,
    by_user: HashMap<&'a str, Vec<&'a Activity>>,
    options: AuditOptions,
    keys: KeyCapabilities,
}

/// The seat-wide part of a review: its findings (not sorted), the counts over every finding,
/// and how many users were reviewed.
#[derive(Debug, Clone, PartialEq)]
pub struct SeatEnd {
    pub users: usize,
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

impl Reviewer<'_> {
    /// Reviews one user (`index` in the export, for the paths of its findings): appends its
    /// findings to `out` and counts what the seat-wide checks need in `tally`.
    pub fn user(&self, index: usize, user: &User, tally: &mut Tally, out: &mut Vec<Finding>) {
        let engine = self.engine;
        let prefix = format!("[{index}]");
        let start = out.len();
        out.extend(engine.validate_user_at(user, &prefix));
        let roles = self.count_roles(user, tally);
        let can_create_tokens = self.count_key_holders(user, tally);
        out.extend(engine.elevation_finding(user, self.now, &prefix));
        out.extend(engine.orphaned_tokens(user, &self.keys, can_create_tokens, &prefix));
        out.extend(self.dormancy(user, &prefix));
        self.all_granted(user, &prefix, out);
        if let Some(actions) = self.by_user.get(user.id.as_str()) {
            if let Some(f) = engine.least_privilege(user, &roles, actions) {
                out.push(f.at(format!("{prefix}.assignments")));
            }
        }
        for f in out.iter_mut().skip(start) {
            f.user = Some(user.id.clone());
            tally.count(f);
        }
        tally.users += 1;
        let top = engine.profile().levels().first();
        if !engine.has_directory() && self.keys.admin.is_some() {
            for a in &user.assignments {
                if Some(&a.entity.level) == top {
                    tally.tops.insert(a.entity.clone());
                }
            }
        }
    }

    /// The roles the user holds, each once; counts them and their families for the summary.
    fn count_roles(&self, user: &User, tally: &mut Tally) -> Vec<RoleId> {
        let profile = self.engine.profile();
        let mut roles: Vec<RoleId> = Vec::new();
        for a in &user.assignments {
            if let Some(r) = profile.role(&a.role) {
                if !roles.contains(&r) {
                    roles.push(r);
                }
            }
        }
        let mut families: Vec<&str> = Vec::new();
        for r in &roles {
            if let Some(doc) = profile.role_doc(*r) {
                *tally.by_role.entry(doc.id.clone()).or_default() += 1;
            }
            if let Some(f) = profile.role_family(*r) {
                if !families.contains(&f.id.as_str()) {
                    families.push(&f.id);
                    *tally.by_family.entry(f.id.clone()).or_default() += 1;
                }
            }
        }
        roles
    }

    /// Counts the user as an admin of each top-level entity it manages users on, and as a
    /// billing holder; says whether it may create API tokens.
    fn count_key_holders(&self, user: &User, tally: &mut Tally) -> bool {
        let profile = self.engine.profile();
        let keys = &self.keys;
        let top = profile.levels().first();
        let usable = self.engine.usable_assignments(user);
        let holds_key =
            |key: Option<(CapId, Level)>, counts: Option<&mut HashMap<EntityRef, usize>>| -> bool {
                let Some((cap, level)) = key else {
                    return false;
                };
                let mut any = false;
                let mut counted: Vec<&EntityRef> = Vec::new();
                for (r, entity) in &usable {
                    if profile.grant(*r, cap) >= level {
                        any = true;
                        if Some(&entity.level) == top && !counted.contains(entity) {
                            counted.push(entity);
                        }
                    }
                }
                if let Some(counts) = counts {
                    for e in counted {
                        *counts.entry(e.clone()).or_default() += 1;
                    }
                }
                any
            };
        holds_key(keys.admin, Some(&mut tally.admins));
        let billing = holds_key(keys.billing, None)
            || keys.billing.is_some_and(|(cap, level)| {
                !user.assignments.is_empty()
                    && user.toggles.iter().any(|(t, on)| {
                        *on && profile
                            .toggle_grants(t)
                            .and_then(|g| g.get(cap.index()))
                            .is_some_and(|g| *g >= level)
                    })
            });
        if billing {
            tally.billing_holders += 1;
        }
        holds_key(keys.tokens, None)
    }

    /// `user.dormant` when the user has not signed in for the options' number of days.
    fn dormancy(&self, user: &User, prefix: &str) -> Option<Finding> {
        let (now, last) = (self.now?, user.last_login.as_ref()?);
        let days = (now.unix() - last.unix()) / 86_400;
        if days < i64::from(self.options.dormant_days) {
            return None;
        }
        let who = crate::model::Who(user);
        Some(
            self.engine
                .coded(
                    Code::UserDormant,
                    format!(
                        "{who} has not signed in for {days} days (since {})",
                        last.date()
                    ),
                )
                .at(format!("{prefix}.last_login"))
                .with_data(json!({"days": days, "last_login": last})),
        )
    }

    /// `entity.all_granted` for each assignment on a top-level entity.
    fn all_granted(&self, user: &User, prefix: &str, out: &mut Vec<Finding>) {
        let engine = self.engine;
        let profile = engine.profile();
        let Some(top) = profile.levels().first() else {
            return;
        };
        let who = crate::model::Who(user);
        for (i, a) in user.assignments.iter().enumerate() {
            if &a.entity.level == top {
                out.push(
                    engine
                        .coded(
                            Code::EntityAllGranted,
                            format!(
                                "{who} holds `{}` on {}: {}",
                                a.role,
                                engine.describe_entity(&a.entity),
                                profile.top_level_label()
                            ),
                        )
                        .at(format!("{prefix}.assignments[{i}]"))
                        .with_data(json!({"entity": a.entity})),
                );
            }
        }
    }

    /// The seat-wide findings (admins per top-level entity, billing) once every user has been
    /// reviewed, and the summary over all findings.
    pub fn finish(&self, tally: Tally) -> SeatEnd {
        let mut findings = Vec::new();
        let mut tally = tally;
        self.engine.seat_findings(&self.keys, &tally, &mut findings);
        for f in &findings {
            tally.count(f);
        }
        let mut summary = Summary {
            by_role: tally.by_role,
            by_family: tally.by_family,
            ..Summary::default()
        };
        for s in Severity::ALL {
            summary.by_severity.insert(s.as_str().to_string(), 0);
        }
        for (code, n) in tally.by_code {
            summary.by_code.insert(code, n);
        }
        for (s, n) in Severity::ALL.iter().zip(tally.by_severity) {
            summary.by_severity.insert(s.as_str().to_string(), n);
        }
        SeatEnd {
            users: tally.users,
            findings,
            summary,
        }
    }
}

/// How much a role grants, to order roles from least to most privileged.
fn weight(grants: &[Level]) -> u32 {
    grants.iter().map(|g| u32::from(*g)).sum()
}

/// The profile's key capabilities (`key_capabilities`), resolved to ids and the level each
/// needs: what makes an admin, a billing holder, a token holder.
#[derive(Debug, Clone, Copy)]
struct KeyCapabilities {
    admin: Option<(CapId, Level)>,
    billing: Option<(CapId, Level)>,
    tokens: Option<(CapId, Level)>,
}

/// What the seat-wide checks need from the users reviewed so far: one per worker, merged.
#[derive(Debug, Default)]
pub struct Tally {
    users: usize,
    admins: HashMap<EntityRef, usize>,
    /// The top-level entities users are assigned on, when there is no directory to list them.
    tops: rustc_hash::FxHashSet<EntityRef>,
    billing_holders: usize,
    by_role: BTreeMap<String, usize>,
    by_family: BTreeMap<String, usize>,
    by_code: BTreeMap<String, usize>,
    by_severity: [usize; 4],
}

impl Tally {
    /// Adds what another worker counted.
    pub fn merge(&mut self, other: Tally) {
        self.users += other.users;
        for (entity, n) in other.admins {
            *self.admins.entry(entity).or_default() += n;
        }
        self.tops.extend(other.tops);
        self.billing_holders += other.billing_holders;
        for (k, n) in other.by_role {
            *self.by_role.entry(k).or_default() += n;
        }
        for (k, n) in other.by_family {
            *self.by_family.entry(k).or_default() += n;
        }
        for (k, n) in other.by_code {
            *self.by_code.entry(k).or_default() += n;
        }
        for (mine, theirs) in self.by_severity.iter_mut().zip(other.by_severity) {
            *mine += theirs;
        }
    }

    fn count(&mut self, f: &Finding) {
        match self.by_code.get_mut(&f.code) {
            Some(n) => *n += 1,
            None => {
                self.by_code.insert(f.code.clone(), 1);
            }
        }
        if let Some(n) = Severity::ALL
            .iter()
            .position(|s| *s == f.severity)
            .and_then(|i| self.by_severity.get_mut(i))
        {
            *n += 1;
        }
    }
}

/// Users per worker below which one thread does it all.
const CHUNK_MIN: usize = 4_096;

/// Splits `users` over the available cores (one thread in WebAssembly).
fn review_in_parallel<F, P>(users: &[User], work: F) -> Vec<P>
where
    F: Fn(&[User], usize) -> P + Sync,
    P: Send,
{
    let threads = if cfg!(target_arch = "wasm32") {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    };
    if threads <= 1 || users.len() < 2 * CHUNK_MIN {
        return vec![work(users, 0)];
    }
    let size = users.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = users
            .chunks(size)
            .enumerate()
            .map(|(i, chunk)| {
                let work = &work;
                scope.spawn(move || work(chunk, i * size))
            })
            .collect();
        handles
            .into_iter()
            // A worker that panicked (a bug) must not drop its findings silently.
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}
