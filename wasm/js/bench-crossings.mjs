// The crossings of issue #18, in Node: `node wasm/js/bench-crossings.mjs target/npm/package`.
// JSON text against serde-wasm-bindgen for a small call (can) and a large one (assess of a
// 1,000-assignment user), prepared users, and a draft's edit + check. The serde-wasm-bindgen
// variants (`__canJson`, `__canObjects`, `__assessObjects`) exist only in the package built at
// commit a47cd49, where they were measured; on later builds their rows are skipped.
import { performance } from "node:perf_hooks";
const pkg = process.argv[2];
const { Engine } = await import(`${pkg}/node.js`);
const entities = [];
for (let p = 1; p <= 200; p++) {
  entities.push({ level: "partner", id: String(p) });
  for (let a = 1; a <= 50; a++) entities.push({ level: "advertiser", id: String(p * 1000 + a), parent: String(p) });
}
const engine = Engine.builtin("dv360", { entities });
const roles = ["standard", "read_only", "reporting_only", "planner"];
const userWith = (n) => ({ id: "u-1", email: "ana@agency.example", name: "Ana Ruiz",
  assignments: Array.from({ length: n }, (_, k) => ({ entity: { level: "advertiser", id: String((1 + Math.floor(k / 50)) * 1000 + (k % 50) + 1) }, role: roles[k % roles.length] })) });
const actor = { id: "admin", email: "admin@agency.example", assignments: Array.from({ length: 20 }, (_, p) => ({ entity: { level: "partner", id: String(p + 1) }, role: "admin" })) };
const change = (n) => { const before = userWith(n); const after = structuredClone(before); after.assignments.splice(n - 2, 2);
  for (const a of after.assignments.slice(0, 3)) a.role = a.role === "read_only" ? "standard" : "read_only";
  return { actor, before, after, reason: "reshuffle", approvals: [], now: "2026-11-22" }; };
function median(fn, iterations) { const t = []; for (let i = 0; i < Math.min(50, iterations); i++) fn();
  for (let i = 0; i < iterations; i++) { const s = performance.now(); fn(); t.push(performance.now() - s); } t.sort((a, b) => a - b); return t[Math.floor(t.length / 2)]; }
function mean(fn, iterations) { for (let i = 0; i < 1000; i++) fn(); const s = performance.now(); for (let i = 0; i < iterations; i++) fn(); return (performance.now() - s) / iterations; }
const u10 = userWith(10), target = { level: "advertiser", id: "1005" };
const fmt = (ms) => ms < 1 ? `${(ms * 1000).toFixed(2)} µs` : `${ms.toFixed(3)} ms`;
const prepared = engine.user(u10);
const has = (name) => typeof engine[name] === "function";
const rows = [
  ...(has("__canJson") ? [["can(object), 10 assignments: JSON text in, JSON text out", mean(() => engine.__canJson(u10, "campaigns", "write", target), 50000)]] : []),
  ["engine.can(object), 10 assignments", mean(() => engine.can(u10, "campaigns", "write", target), 50000)],
  ...(has("__canObjects") ? [["can(object), 10 assignments: objects in, objects out (swb)", mean(() => engine.__canObjects(u10, "campaigns", "write", target), 50000)]] : []),
  ["PreparedUser.can", mean(() => prepared.can("campaigns", "write", target), 100000)],
  ["PreparedUser.allows", mean(() => prepared.allows("campaigns", "write", target), 100000)],
  ["PreparedUser.allows, an unknown capability (the crossing alone)", mean(() => prepared.allows("nope", "write", target), 100000)],
  ["Engine.profiles() (no argument, a small JSON answer)", mean(() => Engine.profiles(), 100000)],
  ["engine.user(10 assignments)", mean(() => engine.user(u10).free(), 20000)],
];
const c1000 = change(1000);
rows.push(["assess 1,000: JSON text in and out", median(() => engine.assess(c1000), 100)]);
if (has("__assessObjects")) rows.push(["assess 1,000: objects in and out (swb)", median(() => engine.__assessObjects(c1000), 100)]);
rows.push(["assess 1,000, effective: changed (JSON)", median(() => engine.assess(c1000, { effective: "changed" }), 100)]);
const draft = engine.draft(c1000); let k = 0;
rows.push(["draft edit + check, 1,000-assignment user", median(() => { draft.setRole(10, k++ % 2 ? "standard" : "planner"); return draft.check(); }, 2000)]);
for (const [w, ms] of rows) console.log(`${w.padEnd(70)} ${fmt(ms)}`);
