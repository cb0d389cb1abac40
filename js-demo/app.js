// The "Edit user" screen of an advertising seat, validated live by adaccess.
//
// On every input the form is turned into a change document ({actor, before, after, reason,
// approvals, temporary, now, population}) and handed to `engine.assess`; the panel shows
// the answer. The page holds no access rule of its own: roles, levels, families, toggles and
// approval kinds all come from the profile document (`engine.profile()`), and every verdict
// comes from the engine.
//
// Everything that comes from a document (names, emails, ids, messages) is put into the page
// as text (`textContent`, text nodes), never parsed as HTML.
//
// With a bundler, import from the package name instead: `import init, { Engine } from "adaccess"`.
import init, { Engine, AdaccessError } from "./pkg/index.js";

const SEVERITIES = [
  { id: "error", label: "Errors", help: "the change must not be saved as it is" },
  { id: "security", label: "Security", help: "allowed, but it widens access or leaves a credential behind" },
  { id: "warning", label: "Warnings", help: "allowed, needs attention" },
  { id: "info", label: "Info", help: "a follow-up or a fact worth showing" },
];
const SEVERITY_RANK = Object.fromEntries(SEVERITIES.map((s, i) => [s.id, i]));
const FALLBACK_APPROVAL_KINDS = ["manager", "seat_owner", "security", "finance"];
const NEW_USER = "__new__";

// ---------------------------------------------------------------------------------------
// DOM helpers: elements are built from parts; strings always become text nodes.

/** `h("li", {class: "x", "aria-label": "y"}, "text", child)`. Only attributes and text. */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

const byId = (id) => document.getElementById(id);
const clone = (value) => (value === undefined ? undefined : structuredClone(value));
const keyOf = (entity) => `${entity.level}:${entity.id}`;
const humanize = (id) => id.replaceAll("_", " ");
const capitalize = (text) => text.charAt(0).toUpperCase() + text.slice(1);
/** The current time as RFC 3339 without milliseconds, e.g. `2026-11-22T10:00:00Z`. */
const nowStamp = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

// ---------------------------------------------------------------------------------------
// State

const state = {
  seats: [], // data/seats.json
  seatCache: new Map(), // seat id -> seat document (directory, actors, users, approvers)
  seat: null, // the selected seat's index entry
  data: null, // the selected seat's document
  engine: null,
  profile: null, // engine.profile()
  rows: [], // the entity table: {key, level, id, name, depth, known}
  rowByKey: new Map(),
  names: new Map(), // entity key -> the directory's name
  before: null, // the user as loaded (null for a new user)
  draft: null, // {id, name, email, toggles, tokens, assets, elevation, last_login}
  roles: new Map(), // entity key -> role id ("" = no role)
  selected: new Set(), // entity keys ticked for the bulk change
  assignmentKeys: [], // after.assignments[i] -> entity key, to point findings at rows
  approvalKinds: [], // approvals[i] -> approval kind, to point findings at the approval's fields
  last: null, // the last assessment
  newUserCount: 0,
  wasmMs: 0, // how long loading the WebAssembly module took
};

// ---------------------------------------------------------------------------------------
// Start

async function main() {
  const started = performance.now();
  await init(); // fetches and compiles pkg/adaccess_bg.wasm
  state.wasmMs = performance.now() - started;

  state.seats = await fetchJson("data/seats.json");
  const profiles = Engine.profiles();
  fillSelect(
    byId("profile"),
    profiles.map((id) => ({ value: id, label: profileName(id) })),
  );

  wireEvents();
  await selectProfile(profiles[0]);
  document.body.dataset.ready = "true";
}

function profileName(id) {
  const engine = Engine.builtin(id);
  try {
    return engine.profile().name ?? id;
  } finally {
    engine.free();
  }
}

async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

function wireEvents() {
  byId("profile").addEventListener("change", (e) => run(() => selectProfile(e.target.value)));
  byId("seat").addEventListener("change", (e) => run(() => selectSeat(e.target.value)));
  byId("actor").addEventListener("change", () => assess());
  byId("user").addEventListener("change", (e) => {
    loadUser(e.target.value);
    assess();
  });

  // Every edit of the form is assessed at once.
  const editor = byId("editor");
  editor.addEventListener("input", onEditorInput);
  editor.addEventListener("submit", (e) => e.preventDefault());

  byId("select-all").addEventListener("change", (e) => {
    state.selected = e.target.checked ? new Set(state.rows.map((r) => r.key)) : new Set();
    syncSelection();
  });
  byId("bulk-apply").addEventListener("click", applyBulkRole);
  byId("bulk-clear").addEventListener("click", () => {
    state.selected.clear();
    syncSelection();
  });
  byId("copy-log").addEventListener("click", copyLogEntry);
  byId("revert-elevation").addEventListener("click", revertElevation);
  byId("only-changed").addEventListener("change", () => renderMatrix(state.last));
}

/** Runs an async step and shows its failure instead of leaving a half-drawn page. */
function run(step) {
  step().catch(showLoadError);
}

function showLoadError(error) {
  const box = byId("load-error");
  box.textContent = `Could not load the demo: ${error.message ?? error}`;
  box.hidden = false;
}

// ---------------------------------------------------------------------------------------
// Profile, seat, actor and user

async function selectProfile(profileId) {
  byId("profile").value = profileId;
  const seats = state.seats.filter((s) => s.profile === profileId);
  fillSelect(
    byId("seat"),
    seats.map((s) => ({ value: s.id, label: s.label })),
  );
  if (seats.length === 0) throw new Error(`no sample seat for ${profileId}`);
  await selectSeat(seats[0].id);
}

async function selectSeat(seatId) {
  const seat = state.seats.find((s) => s.id === seatId);
  if (!state.seatCache.has(seatId)) state.seatCache.set(seatId, await fetchJson(`data/${seat.file}`));
  state.seat = seat;
  state.data = state.seatCache.get(seatId);

  state.engine?.free();
  state.engine = Engine.builtin(seat.profile, state.data.directory);
  state.profile = state.engine.profile();
  state.names = new Map((state.data.directory?.entities ?? []).map((e) => [keyOf(e), e.name ?? ""]));

  const person = (u) => ({ value: u.id, label: `${u.name} — ${summarizeAssignments(u.assignments)}` });
  fillSelect(byId("actor"), state.data.actors.map(person));
  fillSelect(byId("user"), [
    { group: "Users", options: state.data.users.map(person) },
    { group: "Admins (edit themselves)", options: state.data.actors.map(person) },
    { group: "New", options: [{ value: NEW_USER, label: "New user…" }] },
  ]);

  buildRoleChoices();
  buildToggles();
  buildApprovals();
  byId("seat").value = seatId;
  byId("user").value = state.data.users[0].id;
  loadUser(state.data.users[0].id);
  assess();
}

function findPerson(id) {
  return [...state.data.users, ...state.data.actors].find((u) => u.id === id) ?? null;
}

/** Loads a user (or a blank new user) into the form and resets the change details. */
function loadUser(userId) {
  const user = userId === NEW_USER ? null : findPerson(userId);
  state.before = user ? clone(user) : null;
  if (!user) state.newUserCount += 1;
  state.draft = {
    id: user?.id ?? `new-${state.newUserCount}`,
    name: user?.name ?? "",
    email: user?.email ?? "",
    toggles: clone(user?.toggles) ?? {},
    tokens: clone(user?.tokens) ?? [],
    assets: clone(user?.assets) ?? [],
    elevation: clone(user?.elevation),
    last_login: user?.last_login,
  };
  state.roles = new Map((user?.assignments ?? []).map((a) => [keyOf(a.entity), a.role]));
  state.selected.clear();

  byId("user-id").value = state.draft.id;
  byId("user-name").value = state.draft.name;
  byId("user-email").value = state.draft.email;
  byId("delete-user").checked = false;
  byId("delete-user").disabled = !user;
  byId("access-fieldset").disabled = false;
  byId("reason").value = "";
  byId("temporary").checked = false;
  byId("temporary-until").value = "";
  byId("temporary-until").disabled = true;
  for (const box of document.querySelectorAll("#approval-list input[type=checkbox]")) box.checked = false;
  for (const ref of document.querySelectorAll("#approval-list input[data-kind-reference]")) ref.value = "";
  for (const box of document.querySelectorAll("#toggle-list input[type=checkbox]")) {
    box.checked = Boolean(state.draft.toggles[box.dataset.toggle]);
  }

  // Rows for every entity the user holds or would revert to, even outside the directory.
  buildRows([...(user?.assignments ?? []), ...(user?.elevation?.revert_to ?? [])]);
  renderEntityTable();
  renderHoldings();
  syncSelection();
}

// ---------------------------------------------------------------------------------------
// The form, built from the profile and the directory

/** The directory's entities in tree order, then any entity the user holds that it lacks. */
function buildRows(held) {
  const entities = state.data.directory?.entities ?? [];
  const children = new Map();
  for (const e of entities) {
    const parent = e.parent ?? "";
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(e);
  }
  const levels = state.profile.levels;
  const rows = [];
  const seen = new Set();
  const visit = (entity, depth) => {
    seen.add(keyOf(entity));
    rows.push({
      key: keyOf(entity),
      level: entity.level,
      id: entity.id,
      name: entity.name ?? "",
      depth,
      known: true,
    });
    const below = levels[levels.indexOf(entity.level) + 1];
    for (const child of children.get(entity.id) ?? []) {
      if (child.level === below) visit(child, depth + 1);
    }
  };
  for (const top of entities.filter((e) => !e.parent)) visit(top, 0);
  // Entities with a parent that is not in the directory still get a row.
  for (const e of entities) if (!seen.has(keyOf(e))) visit(e, 0);
  for (const a of held) {
    const key = keyOf(a.entity);
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ key, level: a.entity.level, id: a.entity.id, name: "", depth: 0, known: false });
  }
  state.rows = rows;
  state.rowByKey = new Map(rows.map((r) => [r.key, r]));
}

function roleLabel(roleId) {
  const role = state.profile.roles.find((r) => r.id === roleId);
  return role ? role.label : roleId;
}

function entityLabel(entity) {
  const name = state.names.get(keyOf(entity));
  return name ? `${name} (${entity.level} ${entity.id})` : `${entity.level} ${entity.id}`;
}

function describeAssignments(assignments) {
  if (!assignments?.length) return "no access";
  return assignments.map((a) => `${roleLabel(a.role)} on ${entityLabel(a.entity)}`).join(", ");
}

/** A short summary for a drop-down: "Admin on 2 partners", "Trader on Northwind Performance". */
function summarizeAssignments(assignments) {
  if (!assignments?.length) return "no access";
  const byRole = new Map();
  for (const a of assignments) byRole.set(a.role, [...(byRole.get(a.role) ?? []), a.entity]);
  const plural = (level) => (level.endsWith("y") ? `${level.slice(0, -1)}ies` : `${level}s`);
  return [...byRole]
    .map(([role, entities]) => {
      const levels = new Set(entities.map((e) => e.level));
      const where =
        entities.length === 1
          ? state.names.get(keyOf(entities[0])) || `${entities[0].level} ${entities[0].id}`
          : `${entities.length} ${levels.size === 1 ? plural(entities[0].level) : "entities"}`;
      return `${roleLabel(role)} on ${where}`;
    })
    .join(", ");
}

/** Role options grouped by family; only the roles the profile allows at `level` (if given). */
function roleOptions(level) {
  const groups = [];
  for (const family of state.profile.families) {
    const roles = state.profile.roles.filter(
      (r) => r.family === family.id && (!level || r.levels.includes(level)),
    );
    if (roles.length)
      groups.push({ group: family.label, options: roles.map((r) => ({ value: r.id, label: r.label })) });
  }
  return [{ value: "", label: "— no role —" }, ...groups];
}

function buildRoleChoices() {
  fillSelect(byId("bulk-role"), roleOptions(null));
  const p = state.profile;
  const constraints = [];
  if (p.constraints?.uniform_role) constraints.push("one role for all of the user's scopes");
  if (p.constraints?.one_role_per_entity)
    constraints.push(`one role per ${p.levels.slice(0, -1).join(", ")} or ${p.levels.at(-1)}`);
  if (p.constraints?.single_family) constraints.push("all roles in one family");
  byId("access-hint").textContent =
    `${p.name}: ${constraints.join("; ")}. A role at the ${p.levels[0]} level covers everything below it.`;
}

function renderEntityTable() {
  const tbody = byId("entities").tBodies[0];
  tbody.replaceChildren(
    ...state.rows.map((row) => {
      const label = row.name || `${row.level} ${row.id}`;
      const select = h("select", {
        "aria-label": `Role on ${label} (${row.level} ${row.id})`,
        dataset: { key: row.key, role: "row" },
      });
      fillSelect(select, roleOptions(row.level));
      setRoleValue(select, state.roles.get(row.key) ?? "");
      return h(
        "tr",
        { dataset: { key: row.key } },
        h(
          "td",
          { class: "col-check" },
          h("input", {
            type: "checkbox",
            "aria-label": `Select ${label}`,
            dataset: { key: row.key, role: "select" },
          }),
        ),
        h(
          "td",
          { class: `entity depth-${row.depth}` },
          h("span", { class: "entity-name" }, label),
          h(
            "span",
            { class: "entity-meta" },
            `${row.level} · ${row.id}${row.known ? "" : " · not in the directory"}`,
          ),
        ),
        h("td", { class: "col-role" }, select),
        h("td", { class: "coverage" }),
      );
    }),
  );
}

/** Selects `role` in a row's drop-down, adding it when the profile does not offer it there. */
function setRoleValue(select, role) {
  if (role && ![...select.options].some((o) => o.value === role)) {
    select.append(h("option", { value: role }, `${roleLabel(role)} (not offered at this level)`));
  }
  select.value = role;
}

function buildToggles() {
  const toggles = state.profile.toggles ?? [];
  byId("toggles").hidden = toggles.length === 0;
  byId("toggle-list").replaceChildren(
    ...toggles.map((t) =>
      h(
        "label",
        { class: "check" },
        h("input", { type: "checkbox", id: `toggle-${t.id}`, dataset: { toggle: t.id } }),
        h("span", {}, t.label, t.note ? h("span", { class: "hint" }, ` — ${t.note}`) : null),
      ),
    ),
  );
}

/**
 * One row per approval kind the profile's rules ask for: a checkbox, who gave it, and its
 * reference (the approval email or ticket id, kept in the access log).
 */
function buildApprovals() {
  const kinds = [];
  for (const rule of state.profile.rules ?? []) {
    for (const group of rule.approvals ?? [])
      for (const kind of group) if (!kinds.includes(kind)) kinds.push(kind);
  }
  if (kinds.length === 0) kinds.push(...FALLBACK_APPROVAL_KINDS);
  const approvers = state.data.approvers ?? {};
  byId("approval-list").replaceChildren(
    ...kinds.map((kind) =>
      h(
        "div",
        { class: "approval-row" },
        h(
          "label",
          { class: "check" },
          h("input", { type: "checkbox", id: `approval-${kind}`, dataset: { kind } }),
          capitalize(humanize(kind)),
        ),
        h(
          "label",
          { for: `approval-${kind}-by`, class: "visually-hidden" },
          `${humanize(kind)} approval given by`,
        ),
        h("input", {
          type: "email",
          id: `approval-${kind}-by`,
          dataset: { kindBy: kind },
          value: approvers[kind] ?? "",
          placeholder: "approved by (email)",
        }),
        h(
          "label",
          { for: `approval-${kind}-reference`, class: "visually-hidden" },
          `${humanize(kind)} approval reference (approval email or ticket id)`,
        ),
        h("input", {
          type: "text",
          id: `approval-${kind}-reference`,
          dataset: { kindReference: kind },
          placeholder: "reference: ticket / email",
        }),
      ),
    ),
  );
}

function renderHoldings() {
  const { tokens, assets, elevation } = state.draft;
  byId("tokens").replaceChildren(
    ...(tokens.length
      ? tokens.map((t) =>
          h(
            "li",
            { class: t.active ? "" : "inactive" },
            h("code", {}, t.id),
            ` — ${t.active ? "active" : "revoked"}`,
            t.created_at ? `, created ${t.created_at}` : "",
          ),
        )
      : [h("li", { class: "hint" }, "No API tokens.")]),
  );
  byId("assets").replaceChildren(
    ...(assets.length
      ? assets.map((a) =>
          h(
            "li",
            { class: a.active ? "" : "inactive" },
            `${capitalize(a.kind)} `,
            h("code", {}, a.id),
            ` on ${entityLabel(a.entity)} — ${a.active ? "active" : "paused"}`,
          ),
        )
      : [h("li", { class: "hint" }, "No owned assets.")]),
  );
  byId("elevation").hidden = !elevation;
  byId("end-elevation").checked = false;
  if (elevation) {
    byId("elevation-text").textContent =
      `Temporary elevation in force${elevation.until ? ` until ${elevation.until}` : " with no end date"}; ` +
      `reverts to: ${describeAssignments(elevation.revert_to)}.`;
  }
}

/** Puts back the access the elevation replaced, and ends the elevation. */
function revertElevation() {
  const revertTo = state.draft.elevation?.revert_to ?? [];
  state.roles = new Map(revertTo.map((a) => [keyOf(a.entity), a.role]));
  for (const select of document.querySelectorAll("#entities select[data-role=row]")) {
    setRoleValue(select, state.roles.get(select.dataset.key) ?? "");
  }
  byId("end-elevation").checked = true;
  assess();
}

// ---------------------------------------------------------------------------------------
// Form events

function onEditorInput(event) {
  const target = event.target;
  if (target.dataset.role === "row") {
    state.roles.set(target.dataset.key, target.value);
  } else if (target.dataset.role === "select") {
    if (target.checked) state.selected.add(target.dataset.key);
    else state.selected.delete(target.dataset.key);
    syncSelection();
    return; // selecting rows changes nothing in the user
  } else if (target.id === "temporary") {
    byId("temporary-until").disabled = !target.checked;
  } else if (target.id === "delete-user") {
    byId("access-fieldset").disabled = target.checked;
  } else if (target.id === "bulk-role" || target.id === "select-all") {
    return; // handled by their own listeners
  }
  assess();
}

function applyBulkRole() {
  const role = byId("bulk-role").value;
  for (const key of state.selected) {
    state.roles.set(key, role);
    const select = document.querySelector(`#entities select[data-key="${CSS.escape(key)}"]`);
    if (select) setRoleValue(select, role);
  }
  assess();
}

function syncSelection() {
  for (const box of document.querySelectorAll("#entities input[data-role=select]")) {
    box.checked = state.selected.has(box.dataset.key);
    box.closest("tr").classList.toggle("selected", box.checked);
  }
  const count = state.selected.size;
  const all = byId("select-all");
  all.checked = count > 0 && count === state.rows.length;
  all.indeterminate = count > 0 && count < state.rows.length;
  byId("selected-count").textContent = `${count} selected`;
  byId("bulk-apply").disabled = count === 0;
  byId("bulk-clear").disabled = count === 0;
}

// ---------------------------------------------------------------------------------------
// The change document

/** The user as the form now describes it. */
function afterUser() {
  const d = state.draft;
  const assignments = [];
  state.assignmentKeys = [];
  for (const row of state.rows) {
    const role = state.roles.get(row.key);
    if (!role) continue;
    assignments.push({ entity: { level: row.level, id: row.id }, role });
    state.assignmentKeys.push(row.key);
  }
  const toggles = {};
  for (const box of document.querySelectorAll("#toggle-list input[type=checkbox]")) {
    const id = box.dataset.toggle;
    if (box.checked || id in d.toggles) toggles[id] = box.checked;
  }
  const user = {
    id: d.id,
    email: byId("user-email").value.trim(),
    name: byId("user-name").value,
    assignments,
  };
  if (Object.keys(toggles).length) user.toggles = toggles;
  if (d.tokens.length) user.tokens = d.tokens;
  if (d.assets.length) user.assets = d.assets;
  if (d.elevation && !byId("end-elevation").checked) user.elevation = d.elevation;
  if (d.last_login) user.last_login = d.last_login;
  return user;
}

function buildChange() {
  const actor = findPerson(byId("actor").value);
  const deleted = byId("delete-user").checked;
  const after = deleted ? null : afterUser();
  if (deleted) state.assignmentKeys = [];
  const approvals = [];
  for (const box of document.querySelectorAll("#approval-list input[type=checkbox]")) {
    if (!box.checked) continue;
    const kind = box.dataset.kind;
    const approval = { kind, by: byId(`approval-${kind}-by`).value.trim() };
    const reference = byId(`approval-${kind}-reference`).value.trim();
    if (reference) approval.reference = reference;
    approvals.push(approval);
  }
  state.approvalKinds = approvals.map((a) => a.kind);
  const reason = byId("reason").value;
  const until = byId("temporary-until").value;
  const editedId = state.before?.id ?? state.draft.id;
  // The rest of the seat as this screen knows it, for the last-admin and last-billing checks.
  const population = [...state.data.users, ...state.data.actors].filter((u) => u.id !== editedId);
  return {
    actor,
    before: state.before,
    after,
    reason: reason === "" ? undefined : reason,
    approvals,
    temporary: byId("temporary").checked ? (until ? { until } : {}) : undefined,
    now: nowStamp(),
    population,
  };
}

// ---------------------------------------------------------------------------------------
// Assess and render

function assess() {
  const change = buildChange();
  const t0 = performance.now();
  let assessment;
  let failure = null;
  try {
    assessment = state.engine.assess(change);
  } catch (error) {
    failure = error;
  }
  const assessMs = performance.now() - t0;

  const r0 = performance.now();
  if (failure) renderFailure(failure);
  else renderAssessment(assessment);
  const renderMs = performance.now() - r0;

  byId("timing").textContent =
    `Last assessment: ${formatMs(assessMs)} in the engine, ${formatMs(renderMs)} to draw · ` +
    `WebAssembly loaded in ${formatMs(state.wasmMs)} · profile ${state.profile.id} ${state.profile.version ?? ""}`.trim();
}

const formatMs = (ms) => (ms < 10 ? `${ms.toFixed(2)} ms` : `${Math.round(ms)} ms`);

function renderFailure(error) {
  state.last = null;
  const isEngine = error instanceof AdaccessError;
  const status = byId("status");
  status.className = "status blocked";
  status.replaceChildren(
    h(
      "p",
      { class: "verdict", id: "verdict", dataset: { ok: "false" } },
      "✗ The engine could not read this change",
    ),
    h(
      "p",
      {},
      isEngine ? `${error.code}: ${error.message}` : String(error.message ?? error),
      isEngine && error.path ? ` (at ${error.path})` : "",
    ),
  );
  for (const id of ["findings", "approvals-required", "plan", "matrix"]) byId(id).replaceChildren();
  byId("log-json").textContent = "";
  byId("log-summary").replaceChildren();
  byId("requests-json").textContent = "";
  for (const tr of byId("entities").tBodies[0].rows) {
    delete tr.dataset.severity;
    tr.cells[3].replaceChildren();
  }
}

function renderAssessment(a) {
  state.last = a;
  renderStatus(a);
  renderFindings(a.findings);
  renderApprovals(a.approvals_required);
  renderPlan(a.plan, a.ok);
  renderLogSummary(a.log_entry);
  byId("log-json").textContent = JSON.stringify(a.log_entry, null, 2);
  byId("copy-status").textContent = "";
  const requests = a.requests ?? [];
  byId("requests").querySelector("summary").textContent = `Platform requests (${requests.length})`;
  byId("requests-json").textContent = requests.length
    ? JSON.stringify(requests, null, 2)
    : "None: the change has errors, or nothing to send.";
  renderMatrix(a);
  renderRowMarks(a, findingsByRow(a.findings));
}

function renderStatus(a) {
  const counts = SEVERITIES.map((s) => ({
    ...s,
    n: a.findings.filter((f) => f.severity === s.id).length,
  })).filter((s) => s.n > 0);
  const missing = a.approvals_required.filter((g) => !g.satisfied).length;
  let verdict = "✓ Can be saved";
  if (!a.ok) verdict = "✗ Cannot be saved: fix the errors first";
  else if (missing)
    verdict = `✓ Allowed: collect ${missing} missing approval${missing === 1 ? "" : "s"} before saving`;
  const status = byId("status");
  status.className = `status ${a.ok ? (missing ? "pending" : "ok") : "blocked"}`;
  status.replaceChildren(
    h("p", { class: "verdict", id: "verdict", dataset: { ok: String(a.ok) } }, verdict),
    h(
      "p",
      { class: "counts" },
      counts.length
        ? counts.map((s) =>
            h("span", { class: `count sev-${s.id}` }, `${s.n} ${s.n === 1 ? s.id : s.label.toLowerCase()}`),
          )
        : "No findings: nothing changes.",
    ),
  );
}

function renderFindings(findings) {
  const groups = SEVERITIES.map((s) => ({ ...s, items: findings.filter((f) => f.severity === s.id) })).filter(
    (g) => g.items.length,
  );
  byId("findings").replaceChildren(
    ...groups.map((g) =>
      h(
        "section",
        { class: `severity sev-${g.id}`, "aria-label": `${g.label}: ${g.items.length}` },
        h("h4", {}, `${g.label} (${g.items.length})`, h("span", { class: "hint" }, ` — ${g.help}`)),
        h("ul", { class: "plain" }, g.items.map(renderFinding)),
      ),
    ),
  );
}

function renderFinding(f) {
  const target = targetForPath(f.path);
  return h(
    "li",
    { class: "finding", dataset: { code: f.code, severity: f.severity } },
    h(
      "p",
      { class: "finding-head" },
      h("code", { class: "code" }, f.code),
      f.path ? h("span", { class: "path" }, " at ", h("code", {}, f.path)) : null,
      target
        ? h(
            "button",
            {
              type: "button",
              class: "link",
              dataset: { goto: f.path },
              "aria-label": `Show the field ${f.code} is about`,
            },
            "show",
          )
        : null,
    ),
    h("p", { class: "message" }, f.message),
    f.help ? h("p", { class: "help" }, f.help) : null,
  );
}

/** The form control a finding's path points at, if the form shows it. */
function targetForPath(path) {
  if (!path) return null;
  let m = path.match(/^after\.assignments\[(\d+)\]/);
  if (m) return rowSelect(state.assignmentKeys[Number(m[1])]);
  m = path.match(/^before\.assignments\[(\d+)\]/);
  if (m && state.before) {
    const a = state.before.assignments[Number(m[1])];
    return a ? rowSelect(keyOf(a.entity)) : null;
  }
  m = path.match(/^after\.toggles\.?(\w+)?/);
  if (m) return byId(`toggle-${m[1]}`) ?? document.querySelector("#toggle-list input");
  if (/^after\.email/.test(path)) return byId("user-email");
  if (/^after\.name/.test(path)) return byId("user-name");
  if (path === "reason") return byId("reason");
  m = path.match(/^approvals\[(\d+)\](\.reference)?/);
  const kind = m ? state.approvalKinds[Number(m[1])] : null;
  if (kind) return byId(m[2] ? `approval-${kind}-reference` : `approval-${kind}`);
  if (path.startsWith("approvals")) return document.querySelector("#approval-list input");
  if (path.startsWith("temporary")) return byId("temporary");
  if (path.startsWith("actor")) return byId("actor");
  if (path === "after" || path === "before") return byId("user");
  return null;
}

function rowSelect(key) {
  return key ? document.querySelector(`#entities select[data-key="${CSS.escape(key)}"]`) : null;
}

function renderApprovals(required) {
  const list = byId("approvals-required");
  if (!required.length) {
    list.replaceChildren(h("li", { class: "hint" }, "No approval needed."));
    return;
  }
  list.replaceChildren(
    ...required.map((group) => {
      const kinds = group.any_of.map(humanize).join(" or ");
      const reasons = [group.reason, ...(group.also_for ?? [])].join(", ");
      return h(
        "li",
        {
          class: `approval ${group.satisfied ? "satisfied" : "missing"}`,
          dataset: { satisfied: String(group.satisfied) },
        },
        h("span", { class: "mark", "aria-hidden": "true" }, group.satisfied ? "✓" : "✗"),
        h("span", { class: "visually-hidden" }, group.satisfied ? "Satisfied: " : "Missing: "),
        h("span", { class: "kinds" }, capitalize(kinds)),
        group.satisfied && group.by ? h("span", { class: "by" }, ` — ${group.by}`) : null,
        h("span", { class: "for" }, ` (for ${reasons})`),
      );
    }),
  );
}

function renderPlan(plan, ok) {
  const note = byId("plan-note");
  note.hidden = ok && plan.length > 0;
  note.textContent = plan.length === 0 ? "Nothing to do." : "The plan applies once the errors are fixed.";
  byId("plan").replaceChildren(
    ...plan.map((step) =>
      h(
        "li",
        { value: step.step, dataset: { action: step.action } },
        h("strong", {}, capitalize(humanize(step.action))),
        h("span", { class: "detail" }, `: ${step.detail}`),
      ),
    ),
  );
}

/**
 * The parts of the access-log entry an auditor reads first: role and billing before → after,
 * and each approval with its reference (the JSON below holds the whole entry).
 */
function renderLogSummary(entry) {
  const oldNew = (pair, label = (v) => v) =>
    `${pair.old == null ? "—" : label(pair.old)} → ${pair.new == null ? "—" : label(pair.new)}`;
  const item = (field, term, ...value) =>
    h("div", { dataset: { field } }, h("dt", {}, term), h("dd", {}, ...value));
  const approvals = entry.approvals ?? [];
  byId("log-summary").replaceChildren(
    item("role", "Role", oldNew(entry.role, roleLabel)),
    entry.billing ? item("billing", "Billing", oldNew(entry.billing, humanize)) : null,
    item(
      "approvals",
      "Approvals",
      approvals.length
        ? h(
            "ul",
            { class: "plain" },
            approvals.map((ap) =>
              h(
                "li",
                { dataset: { kind: ap.kind } },
                `${capitalize(humanize(ap.kind))}: ${ap.by || "(nobody named)"} — `,
                ap.reference
                  ? h("span", { class: "reference" }, "ref ", h("code", {}, ap.reference))
                  : h("span", { class: "reference missing" }, "no reference"),
              ),
            ),
          )
        : h("span", { class: "hint" }, "none"),
    ),
  );
}

/** One table of capabilities per entity: the after-level, with gained and lost cells marked. */
function renderMatrix(a) {
  const box = byId("matrix");
  if (!a) {
    box.replaceChildren();
    return;
  }
  const caps = state.profile.capabilities;
  const before = new Map(a.effective.before.map((r) => [keyOf(r.entity), r]));
  const after = new Map(a.effective.after.map((r) => [keyOf(r.entity), r]));
  const changes = new Map();
  for (const [kind, list] of [
    ["gained", a.diff.gained],
    ["lost", a.diff.lost],
  ]) {
    for (const c of list) changes.set(`${keyOf(c.entity)}|${c.capability}`, kind);
  }
  // Rows in the order of the entity table; entities the table lacks go last.
  const keys = [...new Set([...before.keys(), ...after.keys()])];
  const order = (k) => (state.rowByKey.has(k) ? state.rows.indexOf(state.rowByKey.get(k)) : Infinity);
  keys.sort((x, y) => order(x) - order(y));
  const onlyChanged = byId("only-changed").checked;
  const shown = onlyChanged ? keys.filter((k) => caps.some((c) => changes.has(`${k}|${c.id}`))) : keys;

  if (!shown.length) {
    box.replaceChildren(
      h(
        "p",
        { class: "hint" },
        keys.length ? "No entity changes." : "The user has no access before or after.",
      ),
    );
    return;
  }
  const roleText = (row) => (row ? row.roles.map(roleLabel).join(", ") : "no access");
  const table = h(
    "table",
    { class: "matrix", id: "matrix-table" },
    h(
      "caption",
      { class: "visually-hidden" },
      "Access level per entity and capability, before and after the change",
    ),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Entity"),
        caps.map((c) => h("th", { scope: "col", title: c.label ?? c.id }, humanize(c.id))),
      ),
    ),
    h(
      "tbody",
      {},
      shown.map((key) => {
        const b = before.get(key);
        const f = after.get(key);
        const any = f ?? b;
        const name = any.name || entityLabel(any.entity);
        const rolesChanged = roleText(b) !== roleText(f);
        const via = f?.inherited_from ? ` via ${entityLabel(f.inherited_from)}` : "";
        return h(
          "tr",
          { dataset: { key } },
          h(
            "th",
            { scope: "row" },
            h("span", { class: "entity-name" }, name),
            h(
              "span",
              { class: "entity-meta" },
              rolesChanged ? `${roleText(b)} → ${roleText(f)}` : `${roleText(f)}${via}`,
            ),
          ),
          caps.map((c) => {
            const from = b?.access?.[c.id] ?? "none";
            const to = f?.access?.[c.id] ?? "none";
            const change = changes.get(`${key}|${c.id}`);
            if (!change)
              return h("td", { class: to === "none" ? "none" : "" }, to === "none" ? "–" : humanize(to));
            return h(
              "td",
              {
                class: change,
                title: `${c.label ?? c.id}: ${from} → ${to}`,
                "aria-label": `${change}: ${from} to ${to}`,
              },
              h("s", {}, humanize(from)),
              h("span", { class: "to" }, humanize(to)),
            );
          }),
        );
      }),
    ),
  );
  box.replaceChildren(table);
}

/** The findings that point at a row of the entity table, by entity key, most serious first. */
function findingsByRow(findings) {
  const byRow = new Map();
  for (const f of findings) {
    const target = targetForPath(f.path);
    if (target?.dataset.role !== "row") continue;
    const key = target.dataset.key;
    if (!byRow.has(key)) byRow.set(key, []);
    byRow.get(key).push(f);
  }
  for (const list of byRow.values())
    list.sort((x, y) => SEVERITY_RANK[x.severity] - SEVERITY_RANK[y.severity]);
  return byRow;
}

/** Each row of the entity table: what the entity gets after the change, and its findings. */
function renderRowMarks(a, byRow) {
  const after = new Map(a.effective.after.map((r) => [keyOf(r.entity), r]));
  const deleted = byId("delete-user").checked;
  for (const tr of byId("entities").tBodies[0].rows) {
    const key = tr.dataset.key;
    const row = after.get(key);
    const findings = byRow.get(key) ?? [];
    if (findings.length) tr.dataset.severity = findings[0].severity;
    else delete tr.dataset.severity;

    let access;
    if (deleted) access = h("span", { class: "hint" }, "deleted");
    else if (!row) access = h("span", { class: "hint" }, "no access");
    else if (row.inherited_from && !state.roles.get(key)) {
      access = h(
        "span",
        { class: "inherited" },
        `${row.roles.map(roleLabel).join(", ")} via ${entityLabel(row.inherited_from)}`,
      );
    } else access = h("span", {}, row.roles.map(roleLabel).join(", "));
    const badges = [...new Map(findings.map((f) => [f.code, f])).values()].map((f) =>
      h("span", { class: `badge sev-${f.severity}`, title: f.message }, f.code),
    );
    tr.cells[3].replaceChildren(access, ...badges);
  }
}

// ---------------------------------------------------------------------------------------
// Copy, select helpers

async function copyLogEntry() {
  const status = byId("copy-status");
  if (!state.last) return;
  const text = JSON.stringify(state.last.log_entry, null, 2);
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = "Copied.";
  } catch {
    // No clipboard permission: select the text so Ctrl+C copies it.
    const range = document.createRange();
    range.selectNodeContents(byId("log-json"));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    status.textContent = "Selected: press Ctrl+C to copy.";
  }
}

/** Fills a <select> from `{value, label}` options and `{group, options}` groups. */
function fillSelect(select, items) {
  const option = (o) => h("option", { value: o.value }, o.label);
  select.replaceChildren(
    ...items.map((item) =>
      item.group ? h("optgroup", { label: item.group }, item.options.map(option)) : option(item),
    ),
  );
}

// Clicking "show" on a finding moves the focus to the control it is about.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-goto]");
  if (!button) return;
  const target = targetForPath(button.dataset.goto);
  if (target) {
    target.scrollIntoView({ block: "center", behavior: "smooth" });
    target.focus({ preventScroll: true });
  }
});

main().catch(showLoadError);
