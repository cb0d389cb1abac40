// A bug in the engine (a Rust panic) never escapes as a bare WebAssembly trap: it is an
// AdaccessError with code "internal" and the panic's message. The module is built with
// panic = "abort", so after it every call reports the same error until the module is loaded
// again. This file runs in its own process (node --test), so the other suites are unaffected.
import { test } from "node:test";
import assert from "node:assert/strict";
import init, { Engine, AdaccessError, _panicForTests } from "adaccess";

await init();

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail("expected an error");
}

test("before any panic, the engine answers, and Engine.builtin results are Engines", () => {
  const engine = Engine.builtin("dv360");
  assert.ok(engine instanceof Engine);
  assert.ok(new Engine(engine.profile()) instanceof Engine);
  assert.equal(engine.validateUser({ id: "u", email: "a@b.example", assignments: [{ entity: { level: "partner", id: "1" }, role: "standard" }] }).ok, true);
});

test("a panic is AdaccessError('internal') with the panic's message", () => {
  const e = thrown(() => _panicForTests());
  assert.ok(e instanceof AdaccessError, `got ${e?.constructor?.name}: ${e?.message}`);
  assert.ok(!(e instanceof WebAssembly.RuntimeError));
  assert.equal(e.code, "internal");
  assert.match(e.message, /internal error in adaccess: .*index out of bounds/);
});

test("after a panic, every call says the engine must be loaded again", () => {
  for (const call of [() => Engine.builtin("dv360"), () => Engine.codes(), () => new Engine({})]) {
    const e = thrown(call);
    assert.ok(e instanceof AdaccessError);
    assert.equal(e.code, "internal");
    assert.match(e.message, /load the module again/);
  }
});
