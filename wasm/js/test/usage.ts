// Type-checked by `tsc --noEmit` in scripts/test-npm: the declarations cover inputs and outputs.
import init, { Engine, AdaccessError } from "adaccess";
import type { Assessment, Change, Decision, Finding, Report, User, Validation } from "adaccess";
import initFull, { Engine as FullEngine } from "adaccess/full";
import type { Export } from "adaccess/full";

await init();
const engine: Engine = Engine.builtin("dv360");
const user: User = { id: "u-1", email: "ana@agency.example", name: "Ana", assignments: [{ entity: { level: "partner", id: "1" }, role: "standard" }] };
const validation: Validation = engine.validateUser(user);
const findings: Finding[] = validation.findings;
const decision: Decision = engine.can(user, "campaigns", "write", { level: "partner", id: "1" });
const answers: boolean[] = engine.allowsMany(user, [{ capability: "campaigns", level: "write", entity: { level: "partner", id: "1" } }]);
void answers;
const change: Change = { actor: user, before: user, after: { ...user, assignments: [] }, approvals: [] };
const assessment: Assessment = engine.assess(change);
const quick: Assessment = engine.assess(change, { effective: "changed" });
const steps: string[] = assessment.plan.map((s) => s.action);
const report: Report = engine.audit([user], { now: "2026-11-22" });
const n: number = report.users;
await initFull();
const full: FullEngine = FullEngine.builtin("dv360");
const seat: Export = full.readExport("user_id,email,entity,role\n");
const seatReport: Report = full.auditExport(new Uint8Array(), { now: "2026-11-22" });
console.log(seat.users.length, seatReport.users);
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
