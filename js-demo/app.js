// The "Edit user" screen of an advertising seat, validated live by adaccess.
//
// When a user is loaded (or the seat, the acting admin or anything else the Draft API cannot
// edit changes), the form is turned into a change document ({actor, before, after, reason,
// approvals, temporary, now, population}) and the engine keeps it as a draft
// (`engine.draft(change)`). Each later edit is one small call on that draft (`setRole`,
// `insertAssignment`, `removeAssignment`, `setToggle`, `setReason`, `setApprovals`) followed by
// `draft.check()`: the panel redraws the verdict, the findings, the approvals and the diff
// from it. The full assessment (`draft.assess()`: the plan, the access-log entry, the
// platform requests and the before → after matrix) is computed only when the user presses
// "Full assessment"; the next edit makes it out of date.
//
// The page holds no access rule of its own: roles, levels, families, toggles and approval
// kinds all come from the profile document (`engine.profile()`), and every verdict
// (`verdict.save`, `verdict.missing_approvals`) comes from the engine.
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
  user: null, // the loaded user's other fields: {id, name, email, toggles, tokens, assets, elevation, last_login}
  roles: new Map(), // entity key -> role id ("" = no role)
  toggled: new Set(), // toggle ids edited with draft.setToggle (kept in `after.toggles` even when off)
  selected: new Set(), // entity keys ticked for the bulk change
  assignmentKeys: [], // after.assignments[i] -> entity key: the draft's indexes, and findings -> rows
  approvalKinds: [], // approvals[i] -> approval kind, to point findings at the approval's fields
  draft: null, // the engine's Draft of the change being edited (engine.draft), or null after a failure
  check: null, // the last draft.check()
  assessment: null, // the last draft.assess() (the "Full assessment" button)
  assessmentStale: false, // an edit came after that assessment
  timing: { edit: null, full: null }, // the footer: the last edit + check, the last full assessment
  newUserCount: 0,
  wasmMs: 0, // how long loading the WebAssembly module took
};

// What the page asked of the engine, for the browser tests (js-demo/e2e/run.mjs) and the curious:
// drafts started (engine.draft) and freed, draft edits, checks and full assessments, and the
// verdict shown.
const stats = { drafts: 0, freed: 0, edits: 0, checks: 0, assessments: 0, verdict: null };
window.__adaccessStats = stats;

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
  // A new acting admin or a new user replaces the change's actor or before-state: a new draft.
  byId("actor").addEventListener("change", () => startDraft());
  byId("user").addEventListener("change", (e) => {
    loadUser(e.target.value);
    startDraft();
  });

  // Every edit of the form is a draft edit, checked at once.
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
  byId("full-assessment").addEventListener("click", fullAssessment);
  byId("copy-log").addEventListener("click", copyLogEntry);
  byId("revert-elevation").addEventListener("click", revertElevation);
  byId("only-changed").addEventListener("change", () => renderMatrix(currentAssessment()));
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

  dropDraft(); // bound to the old engine
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
  startDraft();
}

function findPerson(id) {
  return [...state.data.users, ...state.data.actors].find((u) => u.id === id) ?? null;
}

/** Loads a user (or a blank new user) into the form and resets the change details. */
function loadUser(userId) {
  const user = userId === NEW_USER ? null : findPerson(userId);
  state.before = user ? clone(user) : null;
  if (!user) state.newUserCount += 1;
  state.user = {
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
  state.toggled.clear();
  state.selected.clear();
  resetFullAssessment();

  byId("user-id").value = state.user.id;
  byId("user-name").value = state.user.name;
  byId("user-email").value = state.user.email;
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
    box.checked = Boolean(state.user.toggles[box.dataset.toggle]);
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
  const { tokens, assets, elevation } = state.user;
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
  const revertTo = state.user.elevation?.revert_to ?? [];
  state.roles = new Map(revertTo.map((a) => [keyOf(a.entity), a.role]));
  for (const select of document.querySelectorAll("#entities select[data-role=row]")) {
    setRoleValue(select, state.roles.get(select.dataset.key) ?? "");
  }
  byId("end-elevation").checked = true;
  // Ending the elevation edits `after.elevation`, which the Draft API has no method for: a new
  // draft from the whole change (it carries the reverted roles too).
  startDraft();
}

// ---------------------------------------------------------------------------------------
// Form events: each edit of the form is an edit of the draft

function onEditorInput(event) {
  const target = event.target;
  if (target.dataset.role === "select") {
    if (target.checked) state.selected.add(target.dataset.key);
    else state.selected.delete(target.dataset.key);
    syncSelection();
    return; // selecting rows changes nothing in the user
  }
  if (target.id === "bulk-role" || target.id === "select-all") return; // their own listeners

  if (target.dataset.role === "row") {
    const { key } = target.dataset;
    const role = target.value;
    editDraft((d) => setRowRole(d, key, role));
  } else if (target.dataset.toggle) {
    const { toggle } = target.dataset;
    const on = target.checked;
    state.toggled.add(toggle);
    editDraft((d) => d.setToggle(toggle, on));
  } else if (target.id === "reason") {
    const reason = target.value;
    editDraft((d) => d.setReason(reason === "" ? null : reason));
  } else if (target.closest("#approval-list")) {
    // A tick, who gave it or its reference: the approvals given so far, replaced.
    const approvals = collectApprovals();
    editDraft((d) => d.setApprovals(approvals));
  } else {
    // The Draft API has no edit for the rest of the form: the name and the email, deleting
    // the user, ending the elevation, "temporary" and its date (and, outside this form, the
    // acting admin). Such an edit starts a new draft from the whole change, with a new `now`.
    if (target.id === "temporary") byId("temporary-until").disabled = !target.checked;
    if (target.id === "delete-user") byId("access-fieldset").disabled = target.checked;
    startDraft();
  }
}

/** The bulk "set role": one draft edit per selected row, then one check. */
function applyBulkRole() {
  const role = byId("bulk-role").value;
  const keys = [...state.selected];
  for (const key of keys) {
    const select = rowSelect(key);
    if (select) setRoleValue(select, role);
  }
  editDraft((d) => {
    for (const key of keys) setRowRole(d, key, role);
  });
}

/**
 * Gives the row `key` the role `role` ("" = none) with the draft's assignment edits, and keeps
 * `state.roles` and `state.assignmentKeys` in step.
 *
 * The page builds `after.assignments` from the rows in table order, skipping the rows without
 * a role (see `afterUser`), and the draft is kept in that order: a row's index is the number of
 * rows above it that hold a role. A role for a row that had none goes in at that index
 * (`insertAssignment`: the later ones move down).
 */
function setRowRole(d, key, role) {
  const old = state.roles.get(key) ?? "";
  if (old === role) return;
  let index = 0;
  for (const row of state.rows) {
    if (row.key === key) break;
    if (state.roles.get(row.key)) index += 1;
  }
  // The form's state first: if the engine refuses the edit, the draft is dropped and the next
  // edit starts a new one from the form.
  state.roles.set(key, role);
  state.assignmentKeys = heldKeys();
  if (old && role) {
    d.setRole(index, role);
  } else if (old) {
    d.removeAssignment(index);
  } else {
    d.insertAssignment(index, assignmentOf(key));
  }
}

/** The keys of the rows that hold a role, in table order: after.assignments[i] is on heldKeys()[i]. */
function heldKeys() {
  return state.rows.filter((row) => state.roles.get(row.key)).map((row) => row.key);
}

function assignmentOf(key) {
  const row = state.rowByKey.get(key);
  return { entity: { level: row.level, id: row.id }, role: state.roles.get(key) };
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
// The change document (the start of each draft)

/** The user as the form now describes it. */
function afterUser() {
  const d = state.user;
  const assignments = [];
  state.assignmentKeys = heldKeys();
  for (const key of state.assignmentKeys) assignments.push(assignmentOf(key));
  const toggles = {};
  for (const box of document.querySelectorAll("#toggle-list input[type=checkbox]")) {
    const id = box.dataset.toggle;
    // As draft.setToggle leaves it: a toggle once switched stays in `after.toggles`.
    if (box.checked || id in d.toggles || state.toggled.has(id)) toggles[id] = box.checked;
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

/** The approvals ticked in the form, each with who gave it and its reference. */
function collectApprovals() {
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
  return approvals;
}

function buildChange() {
  const actor = findPerson(byId("actor").value);
  const deleted = byId("delete-user").checked;
  const after = deleted ? null : afterUser();
  if (deleted) state.assignmentKeys = [];
  const approvals = collectApprovals();
  const reason = byId("reason").value;
  const until = byId("temporary-until").value;
  const editedId = state.before?.id ?? state.user.id;
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
// The draft: started from the whole change, then edited and checked

/**
 * Starts a new draft from the whole form (`engine.draft(change)`) and checks it; the previous
 * draft is freed. Used when a user is loaded, when the seat or the acting admin changes, and
 * for the edits the Draft API has no method for (see onEditorInput).
 */
function startDraft() {
  dropDraft();
  markStale();
  const change = buildChange();
  const t0 = performance.now();
  let check = null;
  let failure = null;
  try {
    state.draft = state.engine.draft(change);
    stats.drafts += 1;
    check = checkDraft();
  } catch (error) {
    failure = error;
    dropDraft();
  }
  showCheck(check, failure, "engine.draft", performance.now() - t0);
}

/**
 * One edit of the form: `apply(d)` makes it with the draft's edit methods (`d.setRole(…)`…),
 * then `draft.check()` answers and the panel redraws. Without a draft (the engine refused the
 * last one), `apply` only updates the form's state and a new draft is started from the form.
 */
function editDraft(apply) {
  if (!state.draft) {
    apply(draftEditor(null, []));
    startDraft();
    return;
  }
  markStale();
  const used = [];
  const t0 = performance.now();
  let check = null;
  let failure = null;
  try {
    apply(draftEditor(state.draft, used));
    check = checkDraft();
  } catch (error) {
    failure = error;
    // The draft may have taken part of the edit: the next edit starts a new one from the form.
    dropDraft();
  }
  showCheck(check, failure, describeEdits(used), performance.now() - t0);
}

/** The draft's edit methods, counted (window.__adaccessStats.edits) and named for the footer. */
function draftEditor(draft, used) {
  const method =
    (name) =>
    (...args) => {
      if (!draft) return;
      stats.edits += 1;
      used.push(name);
      draft[name](...args);
    };
  return Object.fromEntries(
    ["setRole", "insertAssignment", "removeAssignment", "setToggle", "setReason", "setApprovals"].map((name) => [
      name,
      method(name),
    ]),
  );
}

/** "draft.setRole", "draft.insertAssignment ×2, draft.setRole". */
function describeEdits(used) {
  if (!used.length) return "no edit";
  const counts = new Map();
  for (const name of used) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, n]) => `draft.${name}${n > 1 ? ` ×${n}` : ""}`).join(", ");
}

function checkDraft() {
  const check = state.draft.check();
  stats.checks += 1;
  return check;
}

function dropDraft() {
  if (!state.draft) return;
  state.draft.free();
  stats.freed += 1;
  state.draft = null;
}

/** The full assessment, if one was run since the last edit. */
function currentAssessment() {
  return state.assessment && !state.assessmentStale ? state.assessment : null;
}

/** An edit: the full assessment shown (if any) no longer describes the change. */
function markStale() {
  if (state.assessment) state.assessmentStale = true;
}

/** A new user: no full assessment yet. */
function resetFullAssessment() {
  state.assessment = null;
  state.assessmentStale = false;
  state.timing.full = null;
}

/** The "Full assessment" button: `draft.assess()`, and the sections that come with it. */
function fullAssessment() {
  if (!state.draft) return;
  const t0 = performance.now();
  let assessment = null;
  let failure = null;
  try {
    assessment = state.draft.assess();
    stats.assessments += 1;
  } catch (error) {
    failure = error;
    dropDraft();
  }
  const engineMs = performance.now() - t0;
  const r0 = performance.now();
  if (failure) renderFailure(failure);
  else renderAssessment(assessment);
  state.timing.full = { engineMs, drawMs: performance.now() - r0 };
  renderTiming();
}

// ---------------------------------------------------------------------------------------
// Render

function showCheck(check, failure, label, engineMs) {
  const r0 = performance.now();
  if (failure) renderFailure(failure);
  else renderCheck(check);
  state.timing.edit = { label, engineMs, drawMs: performance.now() - r0 };
  renderTiming();
}

function renderTiming() {
  const parts = [];
  const edit = state.timing.edit;
  if (edit) {
    parts.push(
      `Last edit + check (${edit.label}): ${formatMs(edit.engineMs)} in the engine, ` +
        `${formatMs(edit.drawMs)} to draw`,
    );
  }
  const full = state.timing.full;
  if (full) {
    parts.push(
      `full assessment (draft.assess): ${formatMs(full.engineMs)} in the engine, ` +
        `${formatMs(full.drawMs)} to draw${currentAssessment() ? "" : " (out of date)"}`,
    );
  }
  parts.push(
    `WebAssembly loaded in ${formatMs(state.wasmMs)}`,
    `profile ${state.profile.id} ${state.profile.version ?? ""}`.trim(),
  );
  byId("timing").textContent = parts.join(" · ");
}

const formatMs = (ms) => (ms < 10 ? `${ms.toFixed(2)} ms` : `${Math.round(ms)} ms`);

function renderFailure(error) {
  state.check = null;
  state.assessment = null;
  state.assessmentStale = false;
  stats.verdict = null;
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
  for (const id of ["findings", "approvals-required", "diff", "plan", "matrix"]) byId(id).replaceChildren();
  byId("log-json").textContent = "";
  byId("log-summary").replaceChildren();
  byId("requests-json").textContent = "";
  for (const tr of byId("entities").tBodies[0].rows) {
    delete tr.dataset.severity;
    tr.cells[3].replaceChildren();
  }
  renderFullState();
}

/** After each edit: the verdict, the findings, the approvals and the diff (`draft.check()`). */
function renderCheck(c) {
  state.check = c;
  renderStatus(c);
  renderFindings(c.findings);
  renderApprovals(c.approvals_required);
  renderDiff(c.diff);
  renderRowMarks(c, findingsByRow(c.findings));
  renderFullState();
}

/** On "Full assessment": the check's parts again, then the plan, log entry, requests, matrix. */
function renderAssessment(a) {
  state.assessment = a;
  state.assessmentStale = false;
  renderCheck(a);
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
}

/** The "Full assessment" bar, and the sections that come with a full assessment. */
function renderFullState() {
  const current = currentAssessment();
  const status = !state.draft ? "unavailable" : current ? "current" : state.assessment ? "stale" : "none";
  const notes = {
    none:
      "The plan, the access-log entry, the platform requests and the before → after matrix " +
      "come with the full assessment.",
    current: "Plan, access-log entry, platform requests and matrix: up to date with the change.",
    stale:
      "Out of date: the change was edited since. Run it again for the plan, the access-log entry, " +
      "the requests and the matrix.",
    unavailable: "The engine could not read this change: correct it first.",
  };
  byId("full-bar").dataset.state = status;
  byId("full-note").textContent = notes[status];
  byId("full-assessment").disabled = !state.draft;
  byId("full-sections").hidden = !current;
  byId("matrix-section").hidden = !current;
}

/** The verdict is the engine's (`verdict.save`, `verdict.missing_approvals`); only the words are the page's. */
function renderStatus(result) {
  const counts = SEVERITIES.map((s) => ({
    ...s,
    n: result.findings.filter((f) => f.severity === s.id).length,
  })).filter((s) => s.n > 0);
  const { save, missing_approvals: missing } = result.verdict;
  stats.verdict = result.verdict;
  const verdicts = {
    ready: { text: "✓ Can be saved", tone: "ok" },
    awaiting_approvals: {
      text: `✓ Allowed: collect ${missing} missing approval${missing === 1 ? "" : "s"} before saving`,
      tone: "pending",
    },
    blocked: { text: "✗ Cannot be saved: fix the errors first", tone: "blocked" },
  };
  const verdict = verdicts[save] ?? { text: `? ${save}`, tone: "blocked" };
  const status = byId("status");
  status.className = `status ${verdict.tone}`;
  status.replaceChildren(
    h(
      "p",
      {
        class: "verdict",
        id: "verdict",
        dataset: { ok: String(result.ok), save, missing: String(missing) },
      },
      verdict.text,
    ),
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

/**
 * What the change does, from the check's diff: roles changed, assignments added and removed,
 * toggles switched, and the capability levels gained and lost on each entity.
 */
function renderDiff(diff) {
  const item = (kind, ...content) => h("li", { dataset: { kind } }, ...content);
  const onOff = (on) => (on ? "on" : "off");
  const items = [
    ...diff.role_changed.map((c) =>
      item("role_changed", `${entityLabel(c.entity)}: ${roleLabel(c.from)} → ${roleLabel(c.to)}`),
    ),
    ...diff.added.map((a) => item("added", `Added: ${roleLabel(a.role)} on ${entityLabel(a.entity)}`)),
    ...diff.removed.map((a) => item("removed", `Removed: ${roleLabel(a.role)} on ${entityLabel(a.entity)}`)),
    ...diff.toggles.map((t) =>
      item("toggle", `${toggleLabel(t.toggle)}: ${onOff(t.from)} → ${onOff(t.to)}`),
    ),
  ];
  const byEntity = new Map();
  for (const [kind, list] of [
    ["gained", diff.gained],
    ["lost", diff.lost],
  ]) {
    for (const c of list) {
      const key = keyOf(c.entity);
      if (!byEntity.has(key)) byEntity.set(key, { entity: c.entity, changes: [] });
      byEntity.get(key).changes.push({ kind, ...c });
    }
  }
  if (byEntity.size) {
    const order = (k) => (state.rowByKey.has(k) ? state.rows.indexOf(state.rowByKey.get(k)) : Infinity);
    const entities = [...byEntity].sort(([x], [y]) => order(x) - order(y)).map(([, e]) => e);
    const where = `${entities.length} ${entities.length === 1 ? "entity" : "entities"}`;
    items.push(
      item(
        "access",
        h(
          "details",
          { class: "access-changes" },
          h(
            "summary",
            {},
            `Capability levels: ${diff.gained.length} gained, ${diff.lost.length} lost on ${where}`,
          ),
          h(
            "ul",
            { class: "plain" },
            entities.map((e) =>
              h(
                "li",
                { dataset: { key: keyOf(e.entity) } },
                h("span", { class: "entity-name" }, entityLabel(e.entity)),
                e.changes.map((c) =>
                  h(
                    "span",
                    {
                      class: `cap ${c.kind}`,
                      "aria-label": `${c.kind}: ${humanize(c.capability)} ${c.from} to ${c.to}`,
                    },
                    `${humanize(c.capability)} ${humanize(c.from)} → ${humanize(c.to)}`,
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }
  byId("diff").replaceChildren(...(items.length ? items : [h("li", { class: "hint" }, "Nothing changes.")]));
}

function toggleLabel(id) {
  return (state.profile.toggles ?? []).find((t) => t.id === id)?.label ?? humanize(id);
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

/**
 * Each row of the entity table: what changes on the entity (the check's diff) and its findings,
 * after every edit; what the entity gets after the change (the matrix rows) once a full
 * assessment is run, until the next edit.
 */
function renderRowMarks(result, byRow) {
  const assessment = currentAssessment();
  const after = assessment ? new Map(assessment.effective.after.map((r) => [keyOf(r.entity), r])) : null;
  const changes = changesByRow(result.diff);
  const deleted = byId("delete-user").checked;
  for (const tr of byId("entities").tBodies[0].rows) {
    const key = tr.dataset.key;
    const row = after?.get(key);
    const findings = byRow.get(key) ?? [];
    if (findings.length) tr.dataset.severity = findings[0].severity;
    else delete tr.dataset.severity;

    let access = null;
    if (deleted) access = h("span", { class: "hint" }, "deleted");
    else if (!after) access = null; // the effective access comes with the full assessment
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
    const change = changes.get(key);
    tr.cells[3].replaceChildren(
      ...[access, change && !deleted ? renderRowChange(change) : null].filter(Boolean),
      ...badges,
    );
  }
}

/** The check's diff by entity key: the role change and how many capability levels move. */
function changesByRow(diff) {
  const byRow = new Map();
  const entry = (entity) => {
    const key = keyOf(entity);
    if (!byRow.has(key)) byRow.set(key, { role: null, gained: 0, lost: 0 });
    return byRow.get(key);
  };
  for (const c of diff.role_changed) entry(c.entity).role = `${roleLabel(c.from)} → ${roleLabel(c.to)}`;
  for (const a of diff.added) entry(a.entity).role = `added: ${roleLabel(a.role)}`;
  for (const a of diff.removed) entry(a.entity).role = `removed: ${roleLabel(a.role)}`;
  for (const c of diff.gained) entry(c.entity).gained += 1;
  for (const c of diff.lost) entry(c.entity).lost += 1;
  return byRow;
}

function renderRowChange(change) {
  return h(
    "span",
    { class: "row-change" },
    change.role ? h("span", { class: "role-change" }, change.role) : null,
    change.gained ? h("span", { class: "cap gained" }, `${change.gained} gained`) : null,
    change.lost ? h("span", { class: "cap lost" }, `${change.lost} lost`) : null,
  );
}

// ---------------------------------------------------------------------------------------
// Copy, select helpers

async function copyLogEntry() {
  const status = byId("copy-status");
  const assessment = currentAssessment();
  if (!assessment) return;
  const text = JSON.stringify(assessment.log_entry, null, 2);
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
