// Prepared users (`engine.user(doc)`), through the installed package: every answer equals the
// plain call's on the same user, bad input throws an AdaccessError naming the argument's path,
// and a freed user cannot be asked again.
import { test } from "node:test";
import assert from "node:assert/strict";
import init, { Engine, PreparedUser, AdaccessError } from "adaccess";

await init();

const directory = {
  entities: [
    { level: "partner", id: "1" },
    { level: "advertiser", id: "11", parent: "1" },
    { level: "advertiser", id: "12", parent: "1" },
    { level: "partner", id: "2" },
  ],
};
const doc = {
  id: "u-9",
  email: "ana@agency.example",
  assignments: [
    { entity: { level: "partner", id: "1" }, role: "read_only" },
    { entity: { level: "advertiser", id: "12" }, role: "standard" },
  ],
};

for (const withDirectory of [true, false]) {
  test(`a prepared user answers as the document does (${withDirectory ? "with" : "without"} a directory)`, () => {
    const engine = Engine.builtin("dv360", withDirectory ? directory : null);
    const user = engine.user(doc);
    assert.ok(user instanceof PreparedUser);
    const entities = [...directory.entities.map(({ level, id }) => ({ level, id })), { level: "advertiser", id: "99" }, { level: "galaxy", id: "1" }];
    const cells = engine.profile().capabilities.flatMap((c) =>
      c.levels.flatMap((level) => entities.map((entity) => ({ capability: c.id, level, entity }))),
    );
    const plain = cells.map((r) => engine.can(doc, r.capability, r.level, r.entity));
    assert.ok(plain.some((d) => d.allowed) && plain.some((d) => !d.allowed));
    assert.deepEqual(cells.map((r) => user.can(r.capability, r.level, r.entity)), plain);
    assert.deepEqual(cells.map((r) => user.allows(r.capability, r.level, r.entity)), plain.map((d) => d.allowed));
    assert.deepEqual(user.allowsMany(cells), plain.map((d) => d.allowed));
    assert.deepEqual(user.effective(), engine.effective(doc));
    const record = { name: "x", budget: 10, nested: { media_cost: 2 } };
    for (const entity of entities) assert.deepEqual(user.redact(entity, record), engine.redact(doc, entity, record));
    user.free();
  });
}

test("bad input to a prepared user names the path", () => {
  const engine = Engine.builtin("dv360");
  const bad = { ...doc, assignments: [{ entity: { level: "partner", id: "1" }, role: 3 }] };
  assert.throws(() => engine.user(bad), (e) => e instanceof AdaccessError && e.path === "user.assignments[0].role");
  const user = engine.user(doc);
  assert.throws(() => user.can("campaigns", "read", { level: "partner" }), (e) => e instanceof AdaccessError && e.path === "entity");
  assert.throws(() => user.allowsMany([{ capability: "campaigns" }]), (e) => e instanceof AdaccessError && e.path?.startsWith("requests[0]"));
  user.free();
  assert.throws(() => user.can("campaigns", "read", { level: "partner", id: "1" }));
});
