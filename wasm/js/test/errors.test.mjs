// Errors reach JavaScript as AdaccessError with a stable code and the path of the bad value.
import { test } from "node:test";
import assert from "node:assert/strict";
import init, { Engine, AdaccessError } from "adaccess";
import initFull, { Engine as FullEngine, AdaccessError as FullAdaccessError } from "adaccess/full";

await init();
await initFull();
const engine = Engine.builtin("dv360");
const user = { id: "u-1", email: "ana@agency.example", assignments: [{ entity: { level: "partner", id: "1" }, role: "standard" }] };

function thrown(fn) {
  try { fn(); } catch (e) { return e; }
  assert.fail("expected an AdaccessError");
}

test("an unknown built-in profile", () => {
  const e = thrown(() => Engine.builtin("nope"));
  assert.ok(e instanceof AdaccessError);
  assert.ok(e instanceof Error);
  assert.equal(e.code, "profile.unknown");
});

test("a wrong type names its path", () => {
  const bad = { actor: user, before: user, after: { ...user, assignments: [user.assignments[0], user.assignments[0], { entity: { level: "partner", id: "2" }, role: 7 }] } };
  const e = thrown(() => engine.assess(bad));
  assert.ok(e instanceof AdaccessError);
  assert.equal(e.code, "input.invalid");
  assert.equal(e.path, "after.assignments[2].role");
});

test("an unknown field is rejected, not ignored", () => {
  const e = thrown(() => engine.validateUser({ ...user, elevaton: {} }));
  assert.equal(e.code, "input.invalid");
  assert.match(e.message, /elevaton/);
});

test("a bad profile lists every problem", () => {
  const profile = engine.profile();
  profile.roles[0].grants.xyz = "write";
  const e = thrown(() => new Engine(profile));
  assert.equal(e.code, "profile.invalid");
  assert.ok(e.problems.some((p) => p.path === "roles[0].grants.xyz"));
});

test("a bad directory names the entity", () => {
  const e = thrown(() => Engine.builtin("dv360", { entities: [{ level: "advertiser", id: "11", parent: "9" }] }));
  assert.equal(e.code, "directory.bad_parent");
  assert.equal(e.path, "entities[0].parent");
});

test("non-object inputs are errors, never crashes", () => {
  for (const bad of [null, undefined, 42, "text", [], () => 1]) {
    const e = thrown(() => engine.validateUser(bad));
    assert.ok(e instanceof AdaccessError, String(bad));
  }
});

test("deny by default through the package", () => {
  const d = engine.can(user, "no_such_capability", "write", { level: "partner", id: "1" });
  assert.equal(d.allowed, false);
  assert.equal(d.denied, "capability.unknown");
  assert.equal(engine.can(user, "campaigns", "write", { level: "partner", id: "1" }).allowed, true);
});

test("profiles and codes", () => {
  assert.deepEqual(Engine.profiles(), ["dv360", "mediamath"]);
  const codes = Engine.codes();
  assert.ok(codes.some((c) => c.code === "family.mixed" && c.severity === "error"));
});

test("the seat-wide questions are in adaccess/full only; both entries throw the same AdaccessError", () => {
  for (const name of ["readExport", "auditExport", "audit", "whoCan"]) {
    assert.equal(typeof engine[name], "undefined", name);
  }
  const full = FullEngine.builtin("dv360");
  for (const name of ["readExport", "auditExport", "audit", "whoCan"]) {
    assert.equal(typeof full[name], "function", name);
  }
  assert.equal(FullAdaccessError, AdaccessError);
  const e = thrown(() => FullEngine.builtin("nope"));
  assert.ok(e instanceof AdaccessError);
  assert.equal(e.code, "profile.unknown");
  // Apart from the readers, the two builds answer alike.
  assert.deepEqual(full.validateUser(user), engine.validateUser(user));
  assert.deepEqual(full.profile(), engine.profile());
});

test("exports: detected from the content, read from text or bytes, fast path agrees", async () => {
  const engine = FullEngine.builtin("dv360");
  const { readFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const bytes = readFileSync(join(process.env.ADACCESS_VECTORS, "..", "data", "dv360_users_list.json"));
  const fromBytes = engine.readExport(new Uint8Array(bytes));
  const fromText = engine.readExport(bytes.toString("utf8"));
  assert.equal(fromBytes.format, "dv360_users_list");
  assert.deepEqual(fromBytes, fromText);
  const slow = engine.audit(fromBytes.users, { now: "2026-11-22" });
  const fast = engine.auditExport(bytes.toString("utf8"), { now: "2026-11-22" });
  assert.deepEqual(fast, slow);
  const e = thrown(() => engine.readExport("user_id,email\n"));
  assert.ok(e instanceof AdaccessError);
  assert.match(e.code, /^ingest\./);
  assert.equal(thrown(() => engine.readExport(42)).code, "input.invalid");
});

test("auditExport of a T1 export without a directory uses the tree the export carries, as the CLI and Python do", async () => {
  const { readFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const bytes = readFileSync(join(process.env.ADACCESS_VECTORS, "..", "data", "t1_permissions.json"));
  const bare = FullEngine.builtin("mediamath");
  const read = bare.readExport(new Uint8Array(bytes));
  assert.ok(read.directory, "the T1 export carries its entity tree");
  const withTree = FullEngine.builtin("mediamath", read.directory);
  const expected = withTree.audit(read.users, { now: "2026-11-22" });
  assert.deepEqual(bare.auditExport(new Uint8Array(bytes), { now: "2026-11-22" }), expected);
  // Without the tree the review cannot place the entities: the answer would differ.
  assert.notDeepEqual(bare.audit(read.users, { now: "2026-11-22" }), expected);
  // The engine's own directory wins over the export's.
  const own = { entities: [{ level: "organization", id: "100", name: "Own name" }] };
  const mine = FullEngine.builtin("mediamath", own);
  assert.deepEqual(mine.auditExport(new Uint8Array(bytes), { now: "2026-11-22" }), mine.audit(read.users, { now: "2026-11-22" }));
});

test("allowsMany is the answers of can, in order; a bad request names its path", () => {
  const requests = [];
  for (const [capability, level] of [["campaigns", "write"], ["billing", "read"], ["users", "view"], ["nope", "x"]]) {
    for (const entity of [{ level: "partner", id: "1" }, { level: "advertiser", id: "404" }, { level: "galaxy", id: "1" }]) {
      requests.push({ capability, level, entity });
    }
  }
  const answers = engine.allowsMany(user, requests);
  assert.deepEqual(answers, requests.map((r) => engine.can(user, r.capability, r.level, r.entity).allowed));
  assert.ok(answers.includes(true) && answers.includes(false));
  const e = thrown(() => engine.allowsMany(user, [requests[0], { capability: "campaigns", level: "write" }]));
  assert.ok(e instanceof AdaccessError);
  assert.equal(e.code, "input.invalid");
  assert.match(e.path, /^requests\[1\]/);
});
