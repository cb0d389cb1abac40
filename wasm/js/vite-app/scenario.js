// The calls the Vite app makes; check.mjs makes the same calls in Node against the same
// installed package and expects the page to show the same answers.
// FullEngine is the engine of `adaccess/full`, the build with the export readers.
export function scenario(Engine, AdaccessError, FullEngine, FullAdaccessError) {
  const engine = Engine.builtin("dv360");
  const admin = {
    id: "admin",
    email: "admin@agency.example",
    assignments: [{ entity: { level: "partner", id: "1" }, role: "admin" }],
  };
  const before = {
    id: "u-1",
    email: "ana@agency.example",
    name: "Ana Ruiz",
    assignments: [{ entity: { level: "advertiser", id: "11" }, role: "standard" }],
  };
  const after = {
    ...before,
    assignments: [
      { entity: { level: "advertiser", id: "11" }, role: "standard" },
      { entity: { level: "advertiser", id: "12" }, role: "creative" },
    ],
  };
  let error = null;
  try {
    engine.validateUser({ id: "u-2", assignments: [{ entity: { level: "advertiser", id: "1" }, role: 5 }] });
  } catch (e) {
    error = { isAdaccessError: e instanceof AdaccessError, code: e.code, path: e.path };
  }
  return {
    profiles: Engine.profiles(),
    validation: engine.validateUser(after),
    assessment: engine.assess({ actor: admin, before, after, reason: "new brand", now: "2026-12-02" }),
    can: engine.can(after, "campaigns", "write", { level: "advertiser", id: "11" }),
    error,
    leanReadsExports: typeof engine.readExport === "function",
    oneErrorClass: FullAdaccessError === AdaccessError,
    export: FullEngine.builtin("mediamath").auditExport(
      "user_id,email,name,level,entity_id,role\nm-1,ana@seat.example,Ana Ruiz,organization,100,admin\n",
      { now: "2026-12-02" },
    ),
  };
}
