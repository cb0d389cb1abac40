// Latency of the npm package in Node: `scripts/bench-npm` (builds the package first).
// Reports medians over many calls: can, validateUser, assess of a 20-assignment change and
// of a 1,000-assignment user (an agency admin's reality), and the module's load time.
import { performance } from "node:perf_hooks";
import { readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";

const pkg = process.argv[2];
const t0 = performance.now();
const { Engine } = await import(`${pkg}/node.js`);
const loadMs = performance.now() - t0;

// A seat of 200 partners × 50 advertisers, as in the Rust benchmarks.
const entities = [];
for (let p = 1; p <= 200; p++) {
  entities.push({ level: "partner", id: String(p), name: `Partner ${p}` });
  for (let a = 1; a <= 50; a++) entities.push({ level: "advertiser", id: String(p * 1000 + a), parent: String(p) });
}
const engine = Engine.builtin("dv360", { entities });
const roles = ["standard", "read_only", "reporting_only", "planner"];
const userWith = (n) => ({
  id: "u-1",
  email: "ana@agency.example",
  name: "Ana Ruiz",
  assignments: Array.from({ length: n }, (_, k) => ({
    entity: { level: "advertiser", id: String((1 + Math.floor(k / 50)) * 1000 + (k % 50) + 1) },
    role: roles[k % roles.length],
  })),
});
const actor = { id: "admin", email: "admin@agency.example", assignments: Array.from({ length: 20 }, (_, p) => ({ entity: { level: "partner", id: String(p + 1) }, role: "admin" })) };
const change = (n) => {
  const before = userWith(n);
  const after = structuredClone(before);
  after.assignments.splice(n - 2, 2);
  for (const a of after.assignments.slice(0, 3)) a.role = a.role === "read_only" ? "standard" : "read_only";
  return { actor, before, after, reason: "reshuffle", approvals: [], now: "2026-11-22" };
};

function median(fn, iterations) {
  const times = [];
  for (let i = 0; i < Math.min(50, iterations); i++) fn(); // warm-up
  for (let i = 0; i < iterations; i++) {
    const s = performance.now();
    fn();
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const user20 = userWith(20);
const change20 = change(20);
const change1000 = change(1000);
const target = { level: "advertiser", id: "1011" };
const rows = [
  ["module load (import + compile)", loadMs],
  ["can, 20-assignment user", median(() => engine.can(user20, "campaigns", "write", target), 20000)],
  ["validateUser, 20 assignments", median(() => engine.validateUser(user20), 5000)],
  ["assess, 20-assignment change", median(() => engine.assess(change20), 2000)],
  ["  the same, effective: \"changed\"", median(() => engine.assess(change20, { effective: "changed" }), 2000)],
  ["assess, 1,000-assignment user", median(() => engine.assess(change1000), 100)],
  ["  the same, effective: \"changed\"", median(() => engine.assess(change1000, { effective: "changed" }), 200)],
  ...draftRows(),
];

// A form editing a draft: one edit per keystroke, then the check the form shows. The roles
// alternate so that every edit changes something.
function draftRows() {
  const out = [];
  for (const n of [20, 1000]) {
    const draft = engine.draft(change(n));
    let k = 0;
    const edit = () => {
      draft.setRole(10, k++ % 2 ? "standard" : "planner");
      return draft.check();
    };
    out.push([`draft edit + check, ${n === 20 ? "20-assignment change" : "1,000-assignment user"}`, median(edit, n === 20 ? 5000 : 2000)]);
    // A keystroke in the reason field: the after-side's grid stays as it is.
    const typed = () => {
      draft.setReason(`reshuffle ${k++}`);
      return draft.check();
    };
    out.push([`  the same, editing the reason`, median(typed, n === 20 ? 5000 : 2000)]);
    draft.free();
  }
  return out;
}
console.log(`adaccess npm package, Node ${process.version}`);
for (const [entry, file] of [["adaccess", "adaccess_bg.wasm"], ["adaccess/full", "adaccess_full_bg.wasm"]]) {
  const wasm = readFileSync(`${pkg}/${file}`);
  console.log(`${entry.padEnd(14)} ${file}: ${statSync(`${pkg}/${file}`).size} bytes raw, ${gzipSync(wasm, { level: 9 }).length} bytes gzipped`);
}
for (const [what, ms] of rows) {
  const text = ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`;
  console.log(`${what.padEnd(34)} ${text} (median)`);
}
