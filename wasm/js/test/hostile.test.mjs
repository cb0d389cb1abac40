// The hostile-input matrix (tests/hostile/make.py, written by scripts/test-npm into
// $ADACCESS_HOSTILE) through the installed package: each case ends in an AdaccessError with
// the expected code (and path), or in a result, in bounded time. Never a bare RangeError,
// TypeError or WebAssembly trap. Document calls take parsed values, so text cases of those
// calls belong to the CLI's suite; export cases are passed as bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import init, { Engine, AdaccessError } from "adaccess";
import initFull, { Engine as FullEngine } from "adaccess/full";

await init();
await initFull();
const full = FullEngine.builtin("dv360");
const dir = process.env.ADACCESS_HOSTILE;
const cases = dir ? JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) : [];
const engine = Engine.builtin("dv360");

test("the hostile matrix was found", () => {
  assert.ok(cases.length >= 30, "set ADACCESS_HOSTILE (scripts/test-npm does)");
});

function deep(kind, n) {
  let value = 1;
  for (let i = 0; i < n; i++) value = kind === "array" ? [value] : { a: value };
  return value;
}

for (const c of cases) {
  if (c.op !== "export" && c.feed !== "document") continue;
  test(c.name, () => {
    const bytes = readFileSync(join(dir, c.file));
    const call = () => {
      if (c.op === "export") return full.auditExport(bytes, { now: "2026-11-22" });
      const value = c.deep ? deep(c.deep_kind, c.deep) : JSON.parse(bytes.toString("utf8"));
      if (c.op === "validate") return engine.validateUser(value);
      if (c.op === "assess") return engine.assess(value);
      if (c.op === "profile") return new Engine(value);
      throw new Error(`unknown op ${c.op}`);
    };
    const start = performance.now();
    let result, error;
    try {
      result = call();
    } catch (e) {
      error = e;
    }
    const ms = performance.now() - start;
    assert.ok(ms < 20000, `took ${ms} ms`);
    // A value nested 200,000 deep cannot even be turned into JSON text by the caller's
    // runtime: the package says so with input.invalid, whatever the call.
    const want = c.deep && c.op !== "export" ? "input.invalid" : c.expect.error;
    if (want) {
      assert.ok(error instanceof AdaccessError, `expected AdaccessError(${want}), got ${error?.name}: ${error?.message}`);
      assert.equal(error.code, want, error.message);
      if (c.expect.path) assert.equal(error.path, c.expect.path);
    } else {
      assert.equal(error, undefined, `expected a result, got ${error?.name}: ${error?.message}`);
      assert.equal(typeof result, "object");
    }
  });
}

test("values JSON cannot hold (a cycle, a BigInt, a throwing toJSON) are input.invalid", () => {
  const cyclic = { id: "u-1", email: "a@b.example", assignments: [] };
  cyclic.self = cyclic;
  const values = [cyclic, { id: 1n }, { toJSON() { throw 42; } }, { toJSON() { throw new Error("no"); } }];
  for (const value of values) {
    let error;
    try {
      engine.validateUser(value);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof AdaccessError, `got ${error?.name}: ${error?.message}`);
    assert.equal(error.code, "input.invalid");
    assert.equal(error.path, ".");
  }
  // The engine still answers afterwards.
  assert.equal(typeof engine.validateUser({ id: "u", email: "a@b.example", assignments: [] }).ok, "boolean");
});
