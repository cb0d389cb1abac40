// adaccess vs @cedar-policy/cedar-wasm vs casbin (node-casbin) on the same decisions, in Node.
// scripts/bench writes the workload and installs the three packages into a scratch folder.
// Usage: node peers/js/bench.mjs WORKLOAD_DIR   (run from the folder holding node_modules)
// Every engine's answers are checked against the recorded ones before any time is reported.
// Prints one JSON line per measurement.
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import { join, dirname } from "node:path";
import { performance } from "node:perf_hooks";

const work = process.argv[2];
const read = (name) => JSON.parse(readFileSync(join(work, name), "utf8"));
const decisions = read("decisions.json");
const users = read("users.json");
const directory = read("directory.json");
const entities = read("cedar_entities.json");
const policies = readFileSync(join(work, "cedar.policies"), "utf8");
const n = decisions.length;
const require = createRequire(join(process.cwd(), "package.json"));

function report(what, ms, answers, count = answers.length, extra = {}) {
  let mismatches = 0;
  for (let i = 0; i < count; i++) if (answers[i] !== decisions[i].allowed) mismatches++;
  if (mismatches) throw new Error(`${what}: ${mismatches} of ${count} answers differ from adaccess's recorded ones`);
  console.log(JSON.stringify({ lang: "js", what, decisions: count, ms: +ms.toFixed(2), per_decision_us: +((ms * 1000) / count).toFixed(3), ...extra }));
}

// Module load (import + compile) of each package, and the size of its .wasm.
const wasmSize = (path) => {
  const bytes = readFileSync(path);
  return { raw: statSync(path).size, gzip: gzipSync(bytes, { level: 9 }).length };
};
let t = performance.now();
const { Engine } = await import("adaccess");
const adaccessLoad = performance.now() - t;
t = performance.now();
const cedar = await import("@cedar-policy/cedar-wasm/nodejs");
const cedarLoad = performance.now() - t;
t = performance.now();
const casbin = await import("casbin");
const casbinLoad = performance.now() - t;
const adaccessWasm = wasmSize(join(dirname(require.resolve("adaccess")), "adaccess_bg.wasm"));
const cedarWasm = wasmSize(join(dirname(require.resolve("@cedar-policy/cedar-wasm/nodejs")), "cedar_wasm_bg.wasm"));
console.log(JSON.stringify({ lang: "js", what: "module load", adaccess_ms: +adaccessLoad.toFixed(1), cedar_wasm_ms: +cedarLoad.toFixed(1), casbin_ms: +casbinLoad.toFixed(1) }));
console.log(JSON.stringify({ lang: "js", what: ".wasm size", adaccess: adaccessWasm, cedar_wasm: cedarWasm, gzip_ratio: +(cedarWasm.gzip / adaccessWasm.gzip).toFixed(2) }));

// adaccess: one call per decision.
const engine = Engine.builtin("dv360", directory);
const sample = 20000;
for (let i = 0; i < 1000; i++) engine.can(users[decisions[i].user], decisions[i].capability, decisions[i].level, decisions[i].entity);
t = performance.now();
let answers = [];
for (let i = 0; i < sample; i++) {
  const d = decisions[i];
  answers.push(engine.can(users[d.user], d.capability, d.level, d.entity).allowed);
}
report("adaccess can", performance.now() - t, answers);

// adaccess: prepared users (engine.user once per user; preparing timed on its own).
t = performance.now();
const prepared = users.map((u) => engine.user(u));
console.log(JSON.stringify({ lang: "js", what: "adaccess engine.user (preparing one user)", users: users.length, per_user_us: +(((performance.now() - t) * 1000) / users.length).toFixed(3) }));
for (const [what, ask] of [
  ["adaccess PreparedUser.can", (u, d) => u.can(d.capability, d.level, d.entity).allowed],
  ["adaccess PreparedUser.allows", (u, d) => u.allows(d.capability, d.level, d.entity)],
]) {
  for (let i = 0; i < 1000; i++) ask(prepared[decisions[i].user], decisions[i]);
  t = performance.now();
  answers = new Array(n);
  for (let i = 0; i < n; i++) answers[i] = ask(prepared[decisions[i].user], decisions[i]);
  report(what, performance.now() - t, answers);
}
for (const u of prepared) u.free();

// adaccess batch: allowsMany per user (the requests are built before timing).
const byUser = new Map();
decisions.forEach((d, i) => {
  if (!byUser.has(d.user)) byUser.set(d.user, { idx: [], reqs: [] });
  const b = byUser.get(d.user);
  b.idx.push(i);
  b.reqs.push({ capability: d.capability, level: d.level, entity: d.entity });
});
t = performance.now();
answers = new Array(n);
for (const [u, b] of byUser) {
  const out = engine.allowsMany(users[u], b.reqs);
  b.idx.forEach((i, k) => (answers[i] = out[k]));
}
report("adaccess allowsMany (answers only, batched per user)", performance.now() - t, answers);

// Cedar: each request carries the entities it needs (the user, the advertiser, its partner),
// as Cedar asks of its callers; the whole seat on every call would cost far more.
const byUid = new Map(entities.map((e) => [`${e.uid.type}::${e.uid.id}`, e]));
const requestEntities = (d) => [byUid.get(`User::${d.user}`), byUid.get(`Node::${d.node}`), byUid.get(`Node::${d.parent}`)].filter(Boolean);
const cedarCall = (d) => ({
  principal: { type: "User", id: String(d.user) },
  action: { type: "Action", id: `${d.capability}:${d.level}` },
  resource: { type: "Node", id: d.node },
  context: {},
  entities: requestEntities(d),
});
const allow = (answer) => {
  if (answer.type !== "success") throw new Error(JSON.stringify(answer.errors));
  return answer.response.decision === "allow";
};
const cedarSample = 5000;
t = performance.now();
answers = [];
for (let i = 0; i < cedarSample; i++) answers.push(allow(cedar.isAuthorized({ ...cedarCall(decisions[i]), policies: { staticPolicies: policies } })));
report("cedar-wasm isAuthorized", performance.now() - t, answers);
const pre = cedar.preparsePolicySet("adaccess", { staticPolicies: policies });
if (pre.type !== "success") throw new Error(JSON.stringify(pre));
t = performance.now();
answers = [];
for (let i = 0; i < sample; i++) answers.push(allow(cedar.statefulIsAuthorized({ ...cedarCall(decisions[i]), preparsedPolicySetId: "adaccess" })));
report("cedar-wasm statefulIsAuthorized (preparsed policies)", performance.now() - t, answers);

// node-casbin: RBAC with domains, enforceSync.
const e = await casbin.newEnforcer(join(work, "casbin_model.conf"), join(work, "casbin_policy.csv"));
const casbinSample = 5000;
t = performance.now();
answers = [];
for (let i = 0; i < casbinSample; i++) {
  const d = decisions[i];
  answers.push(e.enforceSync(String(d.user), d.node, d.parent, `${d.capability}:${d.level}`));
}
report("casbin enforceSync", performance.now() - t, answers);
