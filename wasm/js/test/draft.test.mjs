// A form's draft, through the installed package: after any edit, `draft.check()` gives the answers
// of a full `assess` of the same change (findings, diff, approvals), and a wrong edit
// throws an AdaccessError naming the bad argument and changes nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import init, { Engine, Draft } from "adaccess";
import { thrown } from "./support.mjs";

await init();
const dir = process.env.ADACCESS_VECTORS;
assert.ok(dir, "ADACCESS_VECTORS names the tests/vectors folder");

const checkOf = (a) => ({
  ok: a.ok,
  verdict: a.verdict,
  findings: a.findings,
  diff: a.diff,
  approvals_required: a.approvals_required,
});
const expected = (engine, change) => checkOf(engine.assess(change, { effective: "none" }));


// The edits a form makes, each with what it does to a plain change (the reference).
function edits(change) {
  const n = change.after.assignments.length;
  const first = change.after.assignments[0];
  const roles = first ? [first.role, "read_only", "standard", "admin", "reporting_only"] : [];
  const other = roles.find((r) => r !== first?.role);
  const out = [];
  if (first) {
    out.push(["setRole(0)", (d) => d.setRole(0, other), (c) => { c.after.assignments[0].role = other; }]);
    const added = { entity: { level: first.entity.level, id: `${first.entity.id}-new` }, role: first.role };
    out.push(["setAssignment(append)", (d) => d.setAssignment(n, added), (c) => { c.after.assignments.push(added); }]);
    out.push(["setAssignment(replace)", (d) => d.setAssignment(0, { ...first }), (c) => { c.after.assignments[0] = { ...first }; }]);
    out.push(["removeAssignment(last)", (d) => d.removeAssignment(n), (c) => { c.after.assignments.splice(n, 1); }]);
    out.push(["insertAssignment(0)", (d) => d.insertAssignment(0, added), (c) => { c.after.assignments.splice(0, 0, added); }]);
  }
  out.push(["setToggle", (d) => d.setToggle("billing", true), (c) => { c.after.toggles = { ...(c.after.toggles ?? {}), billing: true }; }]);
  out.push(["setReason(null)", (d) => d.setReason(null), (c) => { delete c.reason; }]);
  out.push(["setReason", (d) => d.setReason("promoted"), (c) => { c.reason = "promoted"; }]);
  const approvals = [{ kind: "manager", by: "lee@agency.example" }, { kind: "finance", by: "kim@agency.example" }];
  out.push(["setApprovals", (d) => d.setApprovals(approvals), (c) => { c.approvals = approvals; }]);
  if (first) out.push(["removeAssignment(0)", (d) => d.removeAssignment(0), (c) => { c.after.assignments.splice(0, 1); }]);
  return out;
}

const vectors = JSON.parse(readFileSync(join(dir, "assess.json"), "utf8"));
let drafted = 0;
for (const v of vectors) {
  if (v.op !== "assess" || v.expected?.error) continue;
  drafted++;
  test(`draft of ${v.name}: every edit checks as a full assessment`, () => {
    const engine = typeof v.profile === "string" ? Engine.builtin(v.profile, v.directory) : new Engine(v.profile, v.directory);
    const reference = structuredClone(v.input);
    const draft = engine.draft(v.input);
    assert.ok(draft instanceof Draft);
    assert.deepEqual(draft.check(), expected(engine, reference));
    if (reference.after) {
      for (const [what, edit, apply] of edits(reference)) {
        edit(draft);
        apply(reference);
        assert.deepEqual(draft.check(), expected(engine, reference), what);
      }
    }
    assert.deepEqual(draft.assess(), engine.assess(reference));
    draft.free();
  });
}
test("assess vectors were drafted", () => assert.ok(drafted > 5, `${drafted}`));

const user = (assignments) => ({ id: "u-1", email: "ana@agency.example", name: "Ana", assignments });
const admin = { id: "admin", email: "admin@agency.example", assignments: [{ entity: { level: "partner", id: "1" }, role: "admin" }] };
const one = [{ entity: { level: "partner", id: "1" }, role: "standard" }];

test("a wrong edit names its argument and changes nothing", () => {
  const engine = Engine.builtin("dv360");
  const draft = engine.draft({ actor: admin, before: user(one), after: user(one) });
  const before = draft.check();
  for (const [edit, path] of [
    [() => draft.setRole(1, "admin"), "index"],
    [() => draft.setRole(-1, "admin"), "index"],
    [() => draft.setRole(0.5, "admin"), "index"],
    [() => draft.removeAssignment(1), "index"],
    [() => draft.setAssignment(2, one[0]), "index"],
    [() => draft.insertAssignment(2, one[0]), "index"],
    [() => draft.setAssignment(0, { entity: { level: "partner" }, role: "admin" }), "assignment.entity"],
    [() => draft.setApprovals([{ kind: "manager" }]), "approvals[0]"],
  ]) {
    const e = thrown(edit);
    assert.equal(e.code, "input.invalid", e.message);
    assert.equal(e.path, path, e.message);
  }
  assert.deepEqual(draft.check(), before);
});

test("a deletion has no assignments to edit; a wrong change is refused up front", () => {
  const engine = Engine.builtin("dv360");
  const draft = engine.draft({ actor: admin, before: user(one), after: null });
  const e = thrown(() => draft.setToggle("billing", true));
  assert.equal(e.path, "after");
  assert.equal(thrown(() => engine.draft({ before: user(one) })).code, "input.invalid");
});
