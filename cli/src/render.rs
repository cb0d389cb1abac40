//! Text for people: findings, assessments, decisions, reports and code lists.
//! Formatting only; every fact comes from the core's answer.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use adaccess_core::log::Verification;
use adaccess_core::seats::{SeatFailure, SeatsSummary};
use adaccess_core::{
    Assessment, CodeEntry, Decision, Drift, DriftChange, DriftKind, Finding, Profile,
    Reconciliation, Report, Save, Severity, WhoCan,
};
use serde::Serialize;

/// Pretty JSON, with a final newline.
pub fn json<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_string_pretty(value) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        // Serialising the core's plain data types cannot fail; say so rather than panic.
        Err(e) => format!("{{\"error\": \"cannot serialise the answer: {e}\"}}\n"),
    }
}

/// One line of JSON.
pub fn compact<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("<cannot serialise: {e}>"))
}

/// `3 errors, 1 warning` style counts, most serious first; `no findings` when empty.
pub fn counts(findings: &[Finding]) -> String {
    let parts: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|s| {
            let n = findings.iter().filter(|f| f.severity == *s).count();
            (n > 0).then(|| format!("{n} {s}"))
        })
        .collect();
    if parts.is_empty() {
        "no findings".into()
    } else {
        parts.join(", ")
    }
}

/// `severity code [user] path: message`.
pub fn finding_line(f: &Finding) -> String {
    let mut line = format!("{} {}", f.severity, f.code);
    if let Some(user) = &f.user {
        let _ = write!(line, " [{user}]");
    }
    if let Some(path) = &f.path {
        let _ = write!(line, " {path}");
    }
    let _ = write!(line, ": {}", f.message);
    line
}

/// Findings grouped by severity, most serious first, one line each.
pub fn findings_by_severity(out: &mut String, findings: &[Finding]) {
    for severity in Severity::ALL {
        let group: Vec<&Finding> = findings.iter().filter(|f| f.severity == severity).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{severity} ({})", group.len());
        for f in group {
            let _ = writeln!(out, "  {}", finding_line(f));
        }
    }
}

pub fn validation(ok: bool, findings: &[Finding]) -> String {
    let mut out = String::new();
    let verdict = if ok { "ok" } else { "invalid" };
    let _ = writeln!(out, "{verdict}: {}", counts(findings));
    findings_by_severity(&mut out, findings);
    out
}

pub fn decision(d: &Decision) -> String {
    let verdict = if d.allowed { "allowed" } else { "denied" };
    format!("{verdict}: {}\n", d.because)
}

pub fn who_can(list: &[WhoCan], capability: &str, level: &str, entity: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} user(s) can `{capability}: {level}` on {entity}",
        list.len()
    );
    for w in list {
        let who = if w.email.is_empty() {
            w.user.clone()
        } else {
            format!("{} <{}>", w.user, w.email)
        };
        let _ = writeln!(out, "  {who}: {}", w.because.because);
    }
    out
}

pub fn assessment(a: &Assessment) -> String {
    let mut out = String::new();
    let verdict = match a.verdict.save {
        Save::Blocked => "✗ cannot be saved as it is".to_string(),
        Save::AwaitingApprovals => format!(
            "✓ can be saved once {} missing approval(s) are collected",
            a.verdict.missing_approvals
        ),
        Save::Ready => "✓ can be saved".to_string(),
    };
    let _ = writeln!(out, "verdict: {verdict} ({})", counts(&a.findings));

    findings_section(&mut out, &a.findings);
    changes_section(&mut out, &a.diff);
    approvals_section(&mut out, &a.approvals_required);
    plan_section(&mut out, &a.plan);
    log_entry_section(&mut out, &a.log_entry);
    requests_section(&mut out, &a.requests);
    out
}

/// The `changes` of an assessment: assignments, toggles, then capabilities gained and lost
/// by entity; nothing when the change changes nothing.
fn changes_section(out: &mut String, d: &adaccess_core::Diff) {
    let mut changes = Vec::new();
    for x in &d.added {
        changes.push(format!("+ {} on {}", x.role, x.entity));
    }
    for x in &d.removed {
        changes.push(format!("- {} on {}", x.role, x.entity));
    }
    for x in &d.role_changed {
        changes.push(format!("~ {} -> {} on {}", x.from, x.to, x.entity));
    }
    for x in &d.toggles {
        changes.push(format!("~ toggle {}: {} -> {}", x.toggle, x.from, x.to));
    }
    let gained = access_changes(
        d.gained
            .iter()
            .map(|g| (&g.entity, &*g.capability, &*g.from, &*g.to)),
    );
    let lost = access_changes(
        d.lost
            .iter()
            .map(|g| (&g.entity, &*g.capability, &*g.from, &*g.to)),
    );
    if !changes.is_empty() || !gained.is_empty() || !lost.is_empty() {
        let _ = writeln!(out, "\nchanges");
        for c in changes {
            let _ = writeln!(out, "  {c}");
        }
        for (entity, caps) in gained {
            let _ = writeln!(out, "  gains on {entity}: {caps}");
        }
        for (entity, caps) in lost {
            let _ = writeln!(out, "  loses on {entity}: {caps}");
        }
    }
}

/// The `approvals required` of an assessment, each marked given or missing.
fn approvals_section(out: &mut String, required: &[adaccess_core::ApprovalRequirement]) {
    if required.is_empty() {
        return;
    }
    let _ = writeln!(out, "\napprovals required");
    for r in required {
        let mark = if r.satisfied { "✓" } else { "✗" };
        let mut reasons = vec![r.reason.clone()];
        reasons.extend(r.also_for.iter().cloned());
        let by =
            r.by.as_ref()
                .map(|b| format!(", given by {b}"))
                .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {mark} {} (for {}{by})",
            r.any_of.join(" or "),
            reasons.join(", ")
        );
    }
}

/// The `plan` of an assessment, one numbered step a line.
fn plan_section(out: &mut String, plan: &[adaccess_core::PlanStep]) {
    if plan.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nplan");
    for s in plan {
        let _ = writeln!(out, "  {}. {}: {}", s.step, s.action, s.detail);
        if !s.items.is_empty() {
            let _ = writeln!(out, "     items: {}", s.items.join(", "));
        }
    }
}

/// The `log entry` of an assessment, one field a line.
fn log_entry_section(out: &mut String, l: &adaccess_core::LogEntry) {
    let _ = writeln!(out, "\nlog entry");
    let user = match (l.user_name.is_empty(), l.user_email.is_empty()) {
        (false, false) => format!("{} <{}>", l.user_name, l.user_email),
        (true, false) => l.user_email.clone(),
        (false, true) => l.user_name.clone(),
        (true, true) => String::new(),
    };
    let _ = writeln!(out, "  user:       {} {user}", l.user_id);
    let _ = writeln!(out, "  action:     {}", l.action);
    let _ = writeln!(out, "  date:       {}", l.date.as_deref().unwrap_or("-"));
    let _ = writeln!(out, "  changed by: {}", l.changed_by);
    let _ = writeln!(
        out,
        "  role:       {} -> {}",
        l.role.old.as_deref().unwrap_or("-"),
        l.role.new.as_deref().unwrap_or("-")
    );
    let _ = writeln!(
        out,
        "  entities:   {} -> {}",
        list_or_dash(&l.entities.old),
        list_or_dash(&l.entities.new)
    );
    if let Some(b) = &l.billing {
        let _ = writeln!(out, "  billing:    {} -> {}", b.old, b.new);
    }
    if !l.toggles.old.is_empty() || !l.toggles.new.is_empty() {
        let _ = writeln!(
            out,
            "  toggles:    {} -> {}",
            compact(&l.toggles.old),
            compact(&l.toggles.new)
        );
    }
    let _ = writeln!(out, "  reason:     {}", l.reason.as_deref().unwrap_or("-"));
    let approvals: Vec<String> = l
        .approvals
        .iter()
        .map(|a| match &a.reference {
            Some(r) => format!("{}: {} ({r})", a.kind, a.by),
            None => format!("{}: {} (no reference)", a.kind, a.by),
        })
        .collect();
    let _ = writeln!(out, "  approvals:  {}", list_or_dash(&approvals));
    if let Some(until) = &l.temporary_until {
        let _ = writeln!(out, "  until:      {until}");
    }
}

/// The `platform requests` of an assessment, numbered, each with its body when it has one.
fn requests_section(out: &mut String, requests: &[adaccess_core::PlatformRequest]) {
    if requests.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nplatform requests");
    for (i, r) in requests.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}. {} {} {} ({})",
            i + 1,
            r.http_method,
            r.path,
            r.method,
            r.platform
        );
        if !r.body.is_null() {
            let _ = writeln!(out, "     {}", compact(&r.body));
        }
    }
}

/// Capability changes grouped by entity: `campaigns write -> read, billing read -> none`.
fn access_changes<'a>(
    changes: impl Iterator<Item = (&'a adaccess_core::EntityRef, &'a str, &'a str, &'a str)>,
) -> Vec<(String, String)> {
    let mut by_entity: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (entity, cap, from, to) in changes {
        by_entity
            .entry(entity.to_string())
            .or_default()
            .push(format!("{cap} {from} -> {to}"));
    }
    by_entity
        .into_iter()
        .map(|(e, caps)| (e, caps.join(", ")))
        .collect()
}

fn list_or_dash(items: &[String]) -> String {
    if items.is_empty() {
        "-".into()
    } else {
        items.join(", ")
    }
}

fn indent(out: &mut String, body: &str) {
    for line in body.lines() {
        let _ = writeln!(out, "  {line}");
    }
}

pub fn report(r: &Report, format: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "access review: {} user(s) (export read as {format}), {}",
        r.users,
        counts(&r.findings)
    );
    let s = &r.summary;
    if !s.by_code.is_empty() {
        let _ = writeln!(out, "\nby code");
        counts_table(&mut out, &s.by_code);
    }
    if !s.by_family.is_empty() {
        let _ = writeln!(out, "\nusers by family");
        counts_table(&mut out, &s.by_family);
    }
    if !s.by_role.is_empty() {
        let _ = writeln!(out, "\nusers by role");
        counts_table(&mut out, &s.by_role);
    }
    findings_section(&mut out, &r.findings);
    out
}

/// The combined summary of a run over many seats: one row per seat, the codes over all of
/// them, and the seats that could not be reviewed.
pub fn seats(s: &SeatsSummary, failed: &[&SeatFailure]) -> String {
    let mut out = String::new();
    let severities: Vec<String> = Severity::ALL
        .iter()
        .map(|sev| format!("{} {sev}", s.by_severity.get(sev.as_str()).unwrap_or(&0)))
        .collect();
    let _ = writeln!(
        out,
        "access review: {} seat(s), {} user(s), {}",
        s.seats,
        s.users,
        severities.join(", ")
    );
    if s.failed > 0 {
        let _ = writeln!(out, "{} seat(s) could not be reviewed (below)", s.failed);
    }
    if !s.rows.is_empty() {
        let width = s
            .rows
            .iter()
            .map(|r| r.seat.chars().count())
            .max()
            .unwrap_or(4)
            .max(4);
        let _ = writeln!(
            out,
            "\n{:<width$}  {:<16}  {:>8}  {:>6}  {:>8}  {:>7}  {:>6}",
            "seat", "format", "users", "error", "security", "warning", "info"
        );
        for r in &s.rows {
            let n = |sev: Severity| r.by_severity.get(sev.as_str()).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "{:<width$}  {:<16}  {:>8}  {:>6}  {:>8}  {:>7}  {:>6}",
                r.seat,
                r.format.as_str(),
                r.users,
                n(Severity::Error),
                n(Severity::Security),
                n(Severity::Warning),
                n(Severity::Info)
            );
        }
    }
    if !s.by_code.is_empty() {
        let _ = writeln!(out, "\nby code, over every seat");
        counts_table(&mut out, &s.by_code);
    }
    if !failed.is_empty() {
        let _ = writeln!(out, "\nnot reviewed");
        for f in failed {
            let at = f
                .error
                .path
                .as_ref()
                .map(|p| format!(" `{p}`:"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}: {}:{at} {} [{}]",
                f.seat, f.file, f.error.message, f.error.code
            );
        }
    }
    let _ = writeln!(
        out,
        "\nfindings: --format json, csv, jsonl or html (each finding with its seat)"
    );
    out
}

/// `findings` and the findings grouped by severity, indented; nothing when there are none.
fn findings_section(out: &mut String, findings: &[Finding]) {
    if findings.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nfindings");
    let mut body = String::new();
    findings_by_severity(&mut body, findings);
    indent(out, &body);
}

fn counts_table(out: &mut String, map: &BTreeMap<String, usize>) {
    let width = map.keys().map(|k| k.chars().count()).max().unwrap_or(0);
    for (k, n) in map {
        let _ = writeln!(out, "  {k:<width$}  {n:>6}");
    }
}

/// One finding per row: severity, code, user, path, message.
pub fn findings_csv(findings: &[Finding], seat: Option<&str>) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = ["seat", "severity", "code", "user", "path", "message"];
    let skip = usize::from(seat.is_none());
    w.write_record(header.iter().skip(skip))
        .map_err(|e| e.to_string())?;
    for f in findings {
        w.write_record(
            [
                seat.unwrap_or(""),
                f.severity.as_str(),
                f.code.as_str(),
                f.user.as_deref().unwrap_or(""),
                f.path.as_deref().unwrap_or(""),
                f.message.as_str(),
            ]
            .iter()
            .skip(skip),
        )
        .map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

pub fn codes(list: &[CodeEntry]) -> String {
    let mut out = String::new();
    let cw = list
        .iter()
        .map(|c| c.code.chars().count())
        .max()
        .unwrap_or(4);
    let _ = writeln!(
        out,
        "{:<cw$}  {:<8}  {:<10}  description",
        "code", "severity", "source"
    );
    for c in list {
        let source = c.source.as_str();
        let _ = writeln!(
            out,
            "{:<cw$}  {:<8}  {:<10}  {}",
            c.code,
            c.severity.as_str(),
            source,
            c.description
        );
    }
    out
}

/// One built-in profile, as listed by `adaccess profiles`.
#[derive(Debug, Serialize)]
pub struct ProfileSummary {
    pub id: String,
    pub name: String,
    pub version: String,
    pub levels: Vec<String>,
    pub roles: usize,
    pub capabilities: usize,
    pub rules: usize,
}

impl ProfileSummary {
    pub fn of(p: &Profile) -> Self {
        let doc = p.doc();
        ProfileSummary {
            id: doc.id.clone(),
            name: doc.name.clone(),
            version: doc.version.clone(),
            levels: doc.levels.clone(),
            roles: doc.roles.len(),
            capabilities: doc.capabilities.len(),
            rules: p.rules().len(),
        }
    }
}

/// `profile show ID --sources`: each fact of the profile with its citations, the documents
/// first, so a reviewer can check every fact against its passage.
pub fn sources(p: &Profile) -> String {
    use adaccess_core::profile::CitationKind;
    let facts = p.facts();
    let count = |kind: CitationKind| {
        facts
            .iter()
            .filter(|f| f.kinds().first() == Some(&kind))
            .count()
    };
    let doc = p.doc();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}), version {}: {} facts: {} from documents, {} assumptions, {} seat policy, {} without a source",
        doc.name,
        doc.id,
        doc.version,
        facts.len(),
        count(CitationKind::Document),
        count(CitationKind::Assumption),
        count(CitationKind::Policy),
        facts.iter().filter(|f| f.sources.is_empty()).count()
    );
    out.push_str("\ndocuments\n");
    for d in &p.documents() {
        let _ = writeln!(out, "  {}: {}", d.id, d.title);
        if let Some(note) = &d.note {
            let _ = writeln!(out, "    {note}");
        }
    }
    out.push_str("\nfacts (fact = value, then its sources)\n");
    for f in &facts {
        let _ = writeln!(out, "  {} = {}", f.fact, f.value);
        if f.sources.is_empty() {
            out.push_str("      (no source)\n");
        }
        for c in &f.sources {
            let line = match (&c.doc, &c.section, &c.assumption, &c.policy) {
                (Some(d), Some(s), _, _) => format!("{d} § {s}"),
                (_, _, Some(a), _) => format!("assumption: {a}"),
                (_, _, _, Some(p)) => format!("policy: {p}"),
                _ => "?".to_string(),
            };
            match &c.note {
                Some(note) => {
                    let _ = writeln!(out, "      {line}: {note}");
                }
                None => {
                    let _ = writeln!(out, "      {line}");
                }
            }
        }
    }
    out
}

pub fn profiles(list: &[ProfileSummary]) -> String {
    let mut out = String::new();
    let iw = list
        .iter()
        .map(|p| p.id.chars().count())
        .max()
        .unwrap_or(2)
        .max(2);
    let nw = list
        .iter()
        .map(|p| p.name.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let vw = list
        .iter()
        .map(|p| p.version.chars().count())
        .max()
        .unwrap_or(7)
        .max(7);
    let _ = writeln!(
        out,
        "{:<iw$}  {:<nw$}  {:<vw$}  {:>5}  levels",
        "id", "name", "version", "roles"
    );
    for p in list {
        let _ = writeln!(
            out,
            "{:<iw$}  {:<nw$}  {:<vw$}  {:>5}  {}",
            p.id,
            p.name,
            p.version,
            p.roles,
            p.levels.join(" > ")
        );
    }
    out
}

/// `log verify`: the verdict, and where the chain breaks.
pub fn verification(v: &Verification, file: &str) -> String {
    match (&v.broken, &v.head) {
        (Some(b), _) => format!(
            "broken: {file}, line {}: {} [{}]\nintact before it: {} entr{}\n",
            b.line,
            b.message,
            b.code,
            v.entries,
            if v.entries == 1 { "y" } else { "ies" }
        ),
        (None, Some(head)) => format!(
            "ok: {file}: {} entr{} chained\nhead: {head}\n",
            v.entries,
            if v.entries == 1 { "y" } else { "ies" }
        ),
        (None, None) => format!("ok: {file}: no entries\n"),
    }
}

/// `drift`: the counts, then each change with its diff, approvals and findings.
pub fn drift(d: &Drift) -> String {
    let mut out = String::new();
    let s = &d.summary;
    let _ = writeln!(
        out,
        "drift: {} user(s) then, {} now: {} added, {} removed, {} changed, {} unchanged",
        s.old, s.new, s.added, s.removed, s.changed, s.unchanged
    );
    for c in &d.changes {
        drift_change(&mut out, c);
    }
    out
}

fn drift_change(out: &mut String, c: &DriftChange) {
    let kind = match c.kind {
        DriftKind::Added => "added",
        DriftKind::Removed => "removed",
        DriftKind::Changed => "changed",
    };
    let subject = c.change.after.as_ref().or(c.change.before.as_ref());
    let who = subject.map_or_else(
        || c.user.clone(),
        |u| {
            let name = if u.name.is_empty() { &u.id } else { &u.name };
            if u.email.is_empty() {
                name.clone()
            } else {
                format!("{name} <{}>", u.email)
            }
        },
    );
    let _ = writeln!(out, "\n{kind} {who}");
    let pairs = |u: Option<&adaccess_core::User>| -> String {
        let list: Vec<String> = u
            .map(|u| {
                u.assignments
                    .iter()
                    .map(|a| format!("{}:{}={}", a.entity.level, a.entity.id, a.role))
                    .collect()
            })
            .unwrap_or_default();
        list_or_dash(&list)
    };
    let _ = writeln!(out, "  before: {}", pairs(c.change.before.as_ref()));
    let _ = writeln!(out, "  after:  {}", pairs(c.change.after.as_ref()));
    for t in &c.diff.toggles {
        let _ = writeln!(out, "  toggle: {} {} -> {}", t.toggle, t.from, t.to);
    }
    let needed: Vec<String> = c
        .approvals_required
        .iter()
        .map(|r| r.any_of.join(" or "))
        .collect();
    if !needed.is_empty() {
        let _ = writeln!(out, "  would need approval: {}", needed.join("; "));
    }
    for f in &c.findings {
        let _ = writeln!(out, "  {}", finding_line(f));
    }
}

/// `reconcile`: the verdict, the counts, and the findings by severity.
pub fn reconciliation(r: &Reconciliation) -> String {
    let mut out = String::new();
    let s = &r.summary;
    let d = &r.drift;
    let _ = writeln!(
        out,
        "reconciliation: {} change(s) between the snapshots, {} explained by the log ({} of {} log entries dated between them): {}",
        s.changes,
        s.explained,
        s.entries_in_window,
        s.entries,
        counts(&r.findings)
    );
    let _ = writeln!(
        out,
        "users: {} then, {} now: {} added, {} removed, {} changed, {} unchanged",
        d.old, d.new, d.added, d.removed, d.changed, d.unchanged
    );
    if !s.by_code.is_empty() {
        let _ = writeln!(out, "\nby code");
        counts_table(&mut out, &s.by_code);
    }
    findings_section(&mut out, &r.findings);
    out
}
