// Type-checked by `tsc --noEmit` in scripts/test-npm: the declarations cover inputs and outputs.
import init, { Engine, Draft, PreparedUser, AdaccessError } from "adaccess";
import type { Assessment, Check, Change, Decision, Finding, LogEntry, Report, User, Validation } from "adaccess";
import initFull, { Engine as FullEngine, logLine, verifyLog } from "adaccess/full";
import type { Drift, Export, LogVerification, ReconcileOptions, Reconciliation } from "adaccess/full";

await init();
const engine: Engine = Engine.builtin("dv360");
const user: User = { id: "u-1", email: "ana@agency.example", name: "Ana", assignments: [{ entity: { level: "partner", id: "1" }, role: "standard" }] };
const validation: Validation = engine.validateUser(user);
const findings: Finding[] = validation.findings;
const decision: Decision = engine.can(user, "campaigns", "write", { level: "partner", id: "1" });
const answers: boolean[] = engine.allowsMany(user, [{ capability: "campaigns", level: "write", entity: { level: "partner", id: "1" } }]);
void answers;
// A user resolved once: many questions, one conversion of the user.
const prepared: PreparedUser = engine.user(user);
const cell: Decision = prepared.can("campaigns", "write", { level: "partner", id: "1" });
const fast: boolean = prepared.allows("campaigns", "read", { level: "partner", id: "1" });
const cells: boolean[] = prepared.allowsMany([{ capability: "campaigns", level: "write", entity: { level: "partner", id: "1" } }]);
const save: "ready" | "awaiting_approvals" | "blocked" = engine.assess({ actor: user, before: user, after: user }).verdict.save;
void [cell, fast, cells, prepared.effective().length, prepared.redact({ level: "partner", id: "1" }, { budget: 1 }), save];
prepared.free();
const change: Change = { actor: user, before: user, after: { ...user, assignments: [] }, approvals: [] };
const assessment: Assessment = engine.assess(change);
const quick: Assessment = engine.assess(change, { effective: "changed" });
const steps: string[] = assessment.plan.map((s) => s.action);
// A form's draft: edits in, checks out.
const draft: Draft = engine.draft(change);
draft.setAssignment(0, { entity: { level: "partner", id: "1" }, role: "read_only" });
draft.setRole(0, "standard");
draft.setToggle("billing", true);
draft.setReason("promoted");
draft.setApprovals([{ kind: "manager", by: "lee@agency.example" }]);
draft.removeAssignment(0);
const check: Check = draft.check();
const ok: boolean = check.ok && check.findings.length >= 0;
const onSave: Assessment = draft.assess({ effective: "none" });
void ok;
void onSave;
// On save: the access-log entry, dated now or by the clock given.
const entry: LogEntry = draft.logEntry();
const dated: LogEntry = draft.logEntry("2026-11-22T10:00:00Z");
const missing: string[][] = (dated.approvals_missing ?? []).map((m) => m.any_of);
void missing;
draft.free();
await initFull();
const full: FullEngine = FullEngine.builtin("dv360");
const report: Report = full.audit([user], { now: "2026-11-22" });
const n: number = report.users;
const seat: Export = full.readExport("user_id,email,entity,role\n");
const seatReport: Report = full.auditExport(new Uint8Array(), { now: "2026-11-22" });
console.log(seat.users.length, seatReport.users);
// Two snapshots of the seat, and the access log that should explain what changed between them.
const drift: Drift = full.drift("[]", new Uint8Array(), { now: "2026-11-22" });
const driftNoOptions: Drift = full.drift(new Uint8Array(), "[]");
const window: ReconcileOptions = { old_date: "2026-08-22", new_date: "2026-11-22" };
const log: string = logLine("", entry) + logLine(logLine("", entry), dated);
const reconciliation: Reconciliation = full.reconcile("[]", new Uint8Array(), log, window);
const unexplained: Finding[] = reconciliation.findings;
const verification: LogVerification = verifyLog(log);
const again: LogVerification = verifyLog(log, verification.head);
const brokenAt: number | undefined = again.broken?.line;
console.log(drift.changes.length, driftNoOptions.summary, unexplained.length, verification.ok, brokenAt);
try {
  Engine.builtin("nope", null);
} catch (e) {
  if (e instanceof AdaccessError) {
    const code: string = e.code;
    const path: string | null = e.path;
    console.log(code, path);
  }
}
console.log(findings.length, decision.allowed, steps, n, quick.ok);
