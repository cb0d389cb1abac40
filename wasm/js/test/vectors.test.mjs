// Replays every shared vector in tests/vectors/ against the installed npm package, through both
// of its entries: `adaccess` (the form engine) and `adaccess/full` (with the questions about a
// whole seat: whoCan, audit, the export readers, drift, reconcile and the access log's
// functions). The form engine answers every vector about one user (a draft's log entry
// included); a seat-wide vector must find its method missing there, and is answered by the full
// build.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import init, * as lean from "adaccess";
import initFull, { Engine as FullEngine, verifyLog } from "adaccess/full";

const { Engine: LeanEngine, AdaccessError } = lean;

const dir = process.env.ADACCESS_VECTORS;
assert.ok(dir, "ADACCESS_VECTORS names the tests/vectors folder");
await init();
await initFull();

function errorOutput(e) {
  if (!(e instanceof AdaccessError)) throw e;
  const error = { code: e.code, message: e.message };
  if (e.path != null) error.path = e.path;
  if (e.problems?.length) error.problems = e.problems;
  return { error };
}

const withCodes = (v) => ({ ...v, codes: v.findings.map((f) => f.code) });

// The operations that take a whole seat: in adaccess/full only, as methods of Engine...
const seatWide = { who_can: "whoCan", audit: "audit", audit_export: "auditExport", drift: "drift", reconcile: "reconcile" };
// ...or as functions of the package.
const fullFunctions = { verify_log: "verifyLog" };

function run(v, Engine) {
  try {
    if (v.op === "load_profile") {
      const engine = new Engine(v.input);
      return { ok: true, id: engine.profile().id };
    }
    const engineOf = (E) => typeof v.profile === "string" ? E.builtin(v.profile, v.directory) : new E(v.profile, v.directory);
    const engine = engineOf(Engine);
    const i = v.input;
    switch (v.op) {
      case "validate_user": {
        return withCodes(engine.validateUser(i));
      }
      case "effective":
        return samePrepared({ rows: engine.effective(i) }, engine, i, (u) => ({ rows: u.effective() }));
      case "can":
        return samePrepared(engine.can(i.user, i.capability, i.level, i.entity), engine, i.user, (u) =>
          u.can(i.capability, i.level, i.entity),
        );
      case "who_can": return { users: engine.whoCan(i.users, i.capability, i.level, i.entity) };
      case "redact":
        return samePrepared({ record: engine.redact(i.user, i.entity, i.record) }, engine, i.user, (u) => ({
          record: u.redact(i.entity, i.record),
        }));
      case "assess": return withCodes(engine.assess(i, v.options));
      case "audit": {
        const { users, options, ...rest } = i;
        return withCodes(engine.audit(users, { ...rest, ...(options ?? {}) }));
      }
      case "audit_export": {
        // Read and audited by the core in one call, as the CLI and Python do: the export's own
        // directory is used when the engine has none.
        const { file, options, ...rest } = i;
        const data = readFileSync(join(dir, "..", "..", file));
        return withCodes(engine.auditExport(new Uint8Array(data), { ...rest, ...(options ?? {}) }));
      }
      // The snapshots are JSON documents, passed as their JSON text (an export is text or bytes).
      case "drift": {
        const options = i.now === undefined ? undefined : { now: i.now };
        return engine.drift(JSON.stringify(i.old), JSON.stringify(i.new), options);
      }
      case "reconcile": {
        const options = { old_date: i.old_date, new_date: i.new_date };
        return withCodes(engine.reconcile(JSON.stringify(i.old), JSON.stringify(i.new), i.log, options));
      }
      case "verify_log": return verifyLog(i.log, i.head);
      // A form saving its draft.
      case "log_entry": return engine.draft(i.change).logEntry(i.clock);
      default: return { error: { code: "vector.unknown_op", message: v.op } };
    }
  } catch (e) {
    return errorOutput(e);
  }
}

// The plain call's answer, when a prepared user (`engine.user(doc)`) answers the same; an
// error that fails the vector otherwise. The prepared user is freed after use.
function samePrepared(plain, engine, doc, ask) {
  let again;
  const user = engine.user(doc);
  try {
    again = ask(user);
  } catch (e) {
    again = errorOutput(e);
  } finally {
    user.free();
  }
  try {
    assert.deepStrictEqual(again, plain);
  } catch {
    return { error: { code: "vector.prepared_differs", message: `plain ${JSON.stringify(plain)}, prepared ${JSON.stringify(again)}` } };
  }
  return plain;
}

function matches(expected, actual, path = "") {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${path}: length, got ${JSON.stringify(actual)}`);
    expected.forEach((e, i) => matches(e, actual[i], `${path}[${i}]`));
  } else if (expected !== null && typeof expected === "object") {
    assert.ok(actual !== null && typeof actual === "object", `${path}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [k, e] of Object.entries(expected)) matches(e, actual[k] ?? null, `${path}.${k}`);
  } else {
    assert.deepEqual(actual ?? null, expected, `${path}`);
  }
}

const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
let count = 0;
for (const file of files) {
  const doc = JSON.parse(readFileSync(join(dir, file), "utf8"));
  for (const v of Array.isArray(doc) ? doc : [doc]) {
    count++;
    if (v.op in seatWide) {
      test(`${file} / ${v.name}: not in the form engine`, () => {
        assert.equal(typeof LeanEngine.builtin("dv360")[seatWide[v.op]], "undefined");
      });
    } else if (v.op in fullFunctions) {
      test(`${file} / ${v.name}: not in the form package`, () => {
        assert.equal(typeof lean[fullFunctions[v.op]], "undefined");
      });
    } else {
      test(`${file} / ${v.name}`, () => matches(v.expected, run(v, LeanEngine)));
    }
    test(`full: ${file} / ${v.name}`, () => matches(v.expected, run(v, FullEngine)));
  }
}
test("vectors were found", () => assert.ok(count > 0));
