// The access log, drift and reconciliation through the installed package (issue #21): the worked
// example of examples/reconcile/ finds exactly its planted problems, `draft.logEntry()` and
// `logLine` write a chain that `verifyLog` checks, and the errors name their code and path.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import init, * as lean from "adaccess";
import initFull, { Engine as FullEngine, verifyLog, logLine } from "adaccess/full";
import { thrown } from "./support.mjs";

const vectors = process.env.ADACCESS_VECTORS;
assert.ok(vectors, "ADACCESS_VECTORS names the tests/vectors folder");
const root = join(vectors, "..", "..");
const read = (path) => readFileSync(join(root, path));
const text = (path) => read(path).toString("utf8");

await init();
await initFull();

const OLD = "examples/reconcile/dv360_users_2026-08-22.json";
const NEW = "tests/data/dv360_users_list.json";
const LOG = "examples/reconcile/access-log.jsonl";
const CHANGES = "examples/reconcile/changes";
const WINDOW = { old_date: "2026-08-22", new_date: "2026-11-22" };
const directory = JSON.parse(text("tests/data/dv360_directory.json"));


const change = (name) => JSON.parse(text(`${CHANGES}/${name}`));
const today = () => new Date().toISOString().slice(0, 10);

test("the worked example finds exactly its three planted problems", () => {
  const engine = FullEngine.builtin("dv360", directory);
  // Exports as bytes or as text, as auditExport takes them.
  const r = engine.reconcile(new Uint8Array(read(OLD)), text(NEW), text(LOG), WINDOW);
  assert.deepEqual(
    r.findings.map((f) => [f.code, f.user]),
    [
      ["reconcile.unapproved", "90000013"],
      ["reconcile.unlogged", "90000030"],
      ["reconcile.not_applied", "90000011"],
    ],
  );
  assert.equal(r.summary.changes, 5);
  assert.equal(r.summary.explained, 3);
  // Of the five drifted users, the log explains all but the unapproved and the unlogged one;
  // the not-applied change left its user unchanged, so it is not part of the drift.
  assert.deepEqual(
    r.changes.filter((c) => !c.explained).map((c) => c.user).sort(),
    ["90000013", "90000030"],
  );
  assert.ok(!r.changes.some((c) => c.user === "90000011"));
  // The drift on its own lists the same users, each change assessed.
  const drift = engine.drift(text(OLD), new Uint8Array(read(NEW)), { now: "2026-11-22" });
  assert.deepEqual(drift.changes.map((c) => c.user), r.changes.map((c) => c.user));
  assert.deepEqual(drift.summary, r.drift);
  assert.ok(drift.changes.every((c) => Array.isArray(c.findings) && typeof c.ok === "boolean"));
});

test("the example's log is what draft.logEntry() and logLine write for its five changes", () => {
  const engine = FullEngine.builtin("dv360", directory);
  const names = ["1-chiara-brightside.json", "2-ben-joins.json", "3-maya-standard.json", "4-eve-leaves.json", "5-kamala-dormant.json"];
  let log = "";
  for (const name of names) {
    // Each change carries its own `now`, which wins over the clock.
    log += logLine(log, engine.draft(change(name)).logEntry("2000-01-01"));
  }
  assert.equal(log, text(LOG));
});

test("logLine chains the entries of draft.logEntry(); one byte changed breaks the chain at the next line", () => {
  const engine = FullEngine.builtin("dv360", directory);
  const { now, ...undated } = change("1-chiara-brightside.json");
  void now;
  const draft = engine.draft(undated);
  const before = today();
  const first = draft.logEntry();
  const after = today();
  // Dated by the current time when the change has no `now`.
  assert.ok(first.date === before || first.date === after, first.date);
  assert.equal(first.prev ?? null, null);
  draft.setReason("Chiara covers Brightside Travel for a second quarter (ticket OPS-2290)");
  const second = draft.logEntry("2026-10-01T08:30:00Z");
  assert.equal(second.date, "2026-10-01");

  let log = logLine("", first);
  log += logLine(log, second);
  const lines = log.split("\n");
  assert.equal(lines.length, 3, "two lines, each with its line break");
  assert.equal(JSON.parse(lines[0]).prev, undefined);
  assert.match(JSON.parse(lines[1]).prev, /^sha256:[0-9a-f]{64}$/);

  const ok = verifyLog(log);
  assert.equal(ok.ok, true);
  assert.equal(ok.entries, 2);
  assert.match(ok.head, /^sha256:[0-9a-f]{64}$/);
  assert.equal(ok.broken ?? null, null);
  assert.equal(verifyLog(log, ok.head).ok, true);

  // One byte of line 1 changed (a letter of its reason): line 1 still reads, line 2's hash no
  // longer matches it.
  const at = log.indexOf("Chiara takes") + 1;
  assert.ok(at > 0 && at < lines[0].length);
  const tampered = log.slice(0, at) + "X" + log.slice(at + 1);
  const v = verifyLog(tampered);
  assert.equal(v.ok, false);
  assert.equal(v.entries, 1);
  assert.equal(v.broken.line, 2);
  assert.equal(v.broken.code, "log.chain_broken");
  // The last line removed: the chain is whole, but the head kept from before is missing.
  const cut = verifyLog(lines[0] + "\n", ok.head);
  assert.equal(cut.ok, false);
  assert.equal(cut.broken.code, "log.head_missing");
});

test("a change with an error finding is refused, in both builds; a bad clock names its path", () => {
  const bad = change("1-chiara-brightside.json");
  // creative next to standard: family.mixed, an error.
  bad.after.assignments.push({ entity: { level: "advertiser", id: "2200013" }, role: "creative" });
  for (const Engine of [lean.Engine, FullEngine]) {
    const engine = Engine.builtin("dv360", directory);
    assert.equal(engine.assess(bad).ok, false);
    const e = thrown(() => engine.draft(bad).logEntry());
    assert.equal(e.code, "log.refused");
    const c = thrown(() => engine.draft(change("1-chiara-brightside.json")).logEntry("next tuesday"));
    assert.equal(c.code, "input.invalid");
    assert.equal(c.path, "clock");
  }
});

test("a log line that is not JSON makes reconcile throw log.line with its line number", () => {
  const engine = FullEngine.builtin("dv360", directory);
  const lines = text(LOG).split("\n");
  lines.splice(2, 0, "{not json");
  const e = thrown(() => engine.reconcile(text(OLD), text(NEW), lines.join("\n"), WINDOW));
  assert.equal(e.code, "log.line");
  assert.equal(e.path, "line[3]");
  assert.match(e.message, /line 3/);
  // verifyLog reports the same line as where the chain breaks, without throwing.
  const v = verifyLog(lines.join("\n"));
  assert.equal(v.ok, false);
  assert.equal(v.broken.line, 3);
  assert.equal(v.broken.code, "log.unreadable");
});

test("bad arguments name their path", () => {
  const engine = FullEngine.builtin("dv360", directory);
  const [old, now, log] = [text(OLD), text(NEW), text(LOG)];
  assert.equal(thrown(() => engine.reconcile(old, now, log, { new_date: "soon" })).path, "options.new_date");
  assert.equal(thrown(() => engine.reconcile(old, now, log, { old_dat: "2026-08-22" })).code, "input.invalid");
  assert.equal(thrown(() => engine.drift(old, now, { now: 7 })).path, "options.now");
  assert.equal(thrown(() => engine.drift(42, now)).path, "old");
  assert.equal(thrown(() => engine.reconcile(old, null, log)).path, "new");
  assert.equal(thrown(() => engine.reconcile(old, now, 42)).path, "log");
  const side = thrown(() => engine.drift(old, "user_id,email\n"));
  assert.match(side.code, /^ingest\./);
  assert.equal(thrown(() => logLine("", { user_id: 7 })).code, "input.invalid");
  assert.equal(thrown(() => logLine("", { user_id: 7 })).path, "entry.user_id");
  assert.equal(thrown(() => verifyLog(42)).path, "text");
});

test("drift, reconcile, verifyLog and logLine are in adaccess/full only", () => {
  const engine = lean.Engine.builtin("dv360");
  assert.equal(typeof engine.drift, "undefined");
  assert.equal(typeof engine.reconcile, "undefined");
  assert.equal(lean.verifyLog, undefined);
  assert.equal(lean.logLine, undefined);
  assert.equal(typeof engine.draft(change("1-chiara-brightside.json")).logEntry, "function");
});
