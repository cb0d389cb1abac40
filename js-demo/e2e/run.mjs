// Browser tests of the js-demo page, in headless Debian Chromium through playwright-core.
// Run by scripts/test-e2e, which serves the page and sets DEMO_URL.
//
//   DEMO_URL=http://127.0.0.1:8000/ E2E_OUT=target/e2e node js-demo/e2e/run.mjs
//
// Every test starts from a fresh page load and fails on any console error, page error, failed
// request or dialog. A screenshot of each state is saved to E2E_OUT.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const url = process.env.DEMO_URL;
const outDir = process.env.E2E_OUT ?? "target/e2e";
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (!url) {
  console.error("DEMO_URL is not set (scripts/test-e2e sets it)");
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

const HOSTILE_NAME = "<img src=x onerror=alert(1)>";

// ---------------------------------------------------------------------------------------
// Helpers

class Failure extends Error {}

function check(condition, message) {
  if (!condition) throw new Failure(message);
}

/** A fresh page on the demo, with every kind of browser-side error recorded. */
async function openPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on("dialog", async (d) => {
    problems.push(`a dialog opened (${d.type()}: ${d.message()}): a script ran`);
    await d.dismiss();
  });
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 15000 });
  return { page, problems };
}

async function selectUser(page, profile, userId) {
  if ((await page.inputValue("#profile")) !== profile) {
    await page.selectOption("#profile", profile);
  }
  await page.waitForSelector(`#user option[value="${userId}"]`, { state: "attached" });
  await page.selectOption("#user", userId);
  await page.waitForFunction((id) => document.getElementById("user-id").value === id, userId);
}

async function setRole(page, entityKey, role) {
  await page.selectOption(`#entities tr[data-key="${entityKey}"] select`, role);
}

/** The finding codes shown in the panel, by severity. */
async function findings(page) {
  return page.$$eval("#findings .finding", (items) =>
    items.map((li) => ({
      code: li.dataset.code,
      severity: li.dataset.severity,
      group: li.closest("section").className,
      message: li.querySelector(".message").textContent,
    })),
  );
}

async function codes(page) {
  return (await findings(page)).map((f) => f.code);
}

async function planActions(page) {
  return page.$$eval("#plan > li", (items) =>
    items.map((li) => ({ action: li.dataset.action, n: li.value })),
  );
}

/** The access-log entry as the "Copy as JSON" button puts it on the clipboard. */
async function copiedLogEntry(page, context) {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(url).origin });
  await page.evaluate(() => {
    document.getElementById("copy-status").textContent = "";
  });
  await page.click("#copy-log");
  await page.waitForFunction(() => document.getElementById("copy-status").textContent !== "");
  return JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
}

/** The text of one line of the access-log summary above the JSON (role, billing, approvals). */
async function logSummary(page, field) {
  return page.textContent(`#log-summary [data-field="${field}"] dd`);
}

async function verdictOk(page) {
  return (await page.getAttribute("#verdict", "data-ok")) === "true";
}

/** What the page asked of the engine so far (app.js keeps window.__adaccessStats). */
async function stats(page) {
  return page.evaluate(() => structuredClone(window.__adaccessStats));
}

/**
 * Presses "Full assessment" (draft.assess) and waits for the plan, the log entry, the
 * requests and the matrix to be shown.
 */
async function fullAssessment(page) {
  const before = await stats(page);
  await page.click("#full-assessment");
  await page.waitForFunction(
    (n) => window.__adaccessStats.assessments === n + 1,
    before.assessments,
  );
  check(
    (await page.getAttribute("#full-bar", "data-state")) === "current",
    "after the full assessment the bar says it is up to date",
  );
  check(await page.isVisible("#full-sections"), "the plan and the log entry are shown");
  check(await page.isVisible("#matrix-section"), "the matrix is shown");
}

/** The full assessment is out of date: its sections are hidden, the bar says so. */
async function checkStale(page, when) {
  check(
    (await page.getAttribute("#full-bar", "data-state")) === "stale",
    `${when}: the bar says the full assessment is out of date`,
  );
  check(!(await page.isVisible("#full-sections")), `${when}: the plan and the log entry are hidden`);
  check(!(await page.isVisible("#matrix-section")), `${when}: the matrix is hidden`);
}

/**
 * A full-page screenshot from the top. On screen the assessment panel scrolls beside the form
 * (it is as tall as the window); here it is drawn at full length so the picture shows it all.
 * With `until` (a selector), the picture stops just below that element.
 */
async function screenshot(page, name, { until } = {}) {
  const path = join(outDir, `${name}.png`);
  await page.evaluate(() => {
    window.scrollTo(0, 0);
    const panel = document.getElementById("panel");
    panel.style.maxHeight = "none";
    panel.style.position = "static";
  });
  if (until) {
    const box = await page.locator(until).boundingBox();
    const width = page.viewportSize().width;
    await page.screenshot({
      path,
      fullPage: true,
      clip: { x: 0, y: 0, width, height: Math.ceil(box.y + box.height + 16) },
    });
  } else {
    await page.screenshot({ path, fullPage: true });
  }
  await page.evaluate(() => {
    const panel = document.getElementById("panel");
    panel.style.maxHeight = "";
    panel.style.position = "";
  });
  return path;
}

// ---------------------------------------------------------------------------------------
// Tests

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test("dv360: a creative role next to a standard one is family.mixed", async ({ page }) => {
  check((await page.inputValue("#profile")) === "dv360", "the page starts on dv360");
  check(!(await page.isVisible("#toggles")), "dv360 has no toggles to show");

  // Every control has a label a screen reader can announce.
  const unlabelled = await page.$$eval("input, select, button", (controls) =>
    controls
      .filter(
        (c) =>
          !(
            c.labels?.length ||
            c.getAttribute("aria-label") ||
            c.getAttribute("aria-labelledby") ||
            (c.tagName === "BUTTON" && c.textContent.trim())
          ),
      )
      .map((c) => c.outerHTML.slice(0, 80)),
  );
  check(unlabelled.length === 0, `controls without a label: ${unlabelled.join(", ")}`);

  await selectUser(page, "dv360", "90000011"); // Omar Haddad: standard on two advertisers
  check(await verdictOk(page), "an untouched user can be saved");
  check((await codes(page)).length === 0, "an untouched user has no findings");

  await setRole(page, "advertiser:2200013", "creative");
  check(
    /Last edit \+ check \(draft\.insertAssignment\): \d+(\.\d\d)? ms in the engine/.test(
      await page.textContent("#timing"),
    ),
    `the footer shows the time of the draft edit + check (got ${await page.textContent("#timing")})`,
  );
  const found = await findings(page);
  const mixed = found.find((f) => f.code === "family.mixed");
  check(mixed, `family.mixed is shown (got ${found.map((f) => f.code)})`);
  check(
    mixed.severity === "error" && mixed.group.includes("sev-error"),
    "family.mixed is in the error group",
  );
  check(!(await verdictOk(page)), "the verdict says the change cannot be saved");
  check(
    (await page.getAttribute('#entities tr[data-key="advertiser:2200013"]', "data-severity")) === "error",
    "the row of the creative role is marked as an error",
  );
  const badge = await page.textContent('#entities tr[data-key="advertiser:2200013"] .badge.sev-error');
  check(badge === "family.mixed", `the row shows its finding code (got ${badge})`);
  // From the finding to the field, with the keyboard.
  await page.focus('#findings .finding[data-code="family.mixed"] button[data-goto]');
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.dataset.key === "advertiser:2200013");

  await fullAssessment(page);
  const gained = await page.$$eval("#matrix-table td.gained", (cells) => cells.length);
  check(gained > 0, "the matrix highlights gained cells");
  check(
    /full assessment \(draft\.assess\): \d+(\.\d\d)? ms in the engine/.test(await page.textContent("#timing")),
    `the footer shows the full assessment's time (got ${await page.textContent("#timing")})`,
  );
  const shot = await screenshot(page, "1-dv360-family-mixed");

  // The bulk change: make all three advertisers creative; the family is no longer mixed.
  for (const key of ["advertiser:2200011", "advertiser:2200012", "advertiser:2200013"]) {
    await page.check(`#entities tr[data-key="${key}"] input[type=checkbox]`);
  }
  check((await page.textContent("#selected-count")) === "3 selected", "three rows are selected");
  await page.selectOption("#bulk-role", "creative");
  const beforeBulk = await stats(page);
  await page.click("#bulk-apply");
  const afterBulk = await stats(page);
  // 2200011 and 2200012 change role in place; 2200013 is creative already.
  check(
    afterBulk.edits === beforeBulk.edits + 2 &&
      afterBulk.checks === beforeBulk.checks + 1 &&
      afterBulk.drafts === beforeBulk.drafts,
    "the bulk change is two draft edits and one check on the same draft " +
      `(got ${JSON.stringify(beforeBulk)} → ${JSON.stringify(afterBulk)})`,
  );
  check(
    (await page.textContent("#timing")).includes("(draft.setRole ×2)"),
    `the footer names the bulk change's edits (got ${await page.textContent("#timing")})`,
  );
  const after = await codes(page);
  check(!after.includes("family.mixed"), `after the bulk change family.mixed is gone (got ${after})`);
  check(after.includes("family.switch"), `the bulk change is a family.switch (got ${after})`);
  check(await verdictOk(page), "an all-creative user can be saved");
  await checkStale(page, "after the bulk change");
  return [shot];
});

test("mediamath: promoting a trader to admin needs approvals with references and has a plan", async ({
  page,
  context,
}) => {
  await selectUser(page, "mediamath", "4821"); // Ana Ruiz: trader on an agency
  check(await page.isVisible("#toggle-billing"), "the billing toggle is offered on mediamath");
  check(!(await page.isVisible("#elevation")), "no elevation box for a user without an elevation");
  check(
    (await page.textContent("#tokens")).includes("No API tokens"),
    "a trader holds no API token (a trader cannot create one)",
  );
  await setRole(page, "agency:3", "admin");
  const found = await findings(page);
  const shown = found.map((f) => f.code);
  const elevation = found.find((f) => f.code === "approval.elevation");
  check(elevation, `approval.elevation is shown (got ${shown})`);
  check(elevation.group.includes("sev-security"), "approval.elevation is in the security group");
  check(elevation.message.includes("Ana Ruiz"), "the message names the user");
  const admin = found.find((f) => f.code === "approval.admin");
  check(admin, `approval.admin is shown (got ${shown})`);
  check(admin.group.includes("sev-security"), "approval.admin is in the security group");
  check(shown.includes("approval.billing"), `admin brings billing write: approval.billing (got ${shown})`);
  check(shown.includes("approval.missing"), "approval.missing is shown");
  const missing = await page.$$eval("#approvals-required li[data-satisfied=false]", (l) => l.length);
  check(missing >= 2, `both approval groups are marked ✗ (got ${missing})`);

  await fullAssessment(page);
  const plan = await planActions(page);
  const actions = plan.map((s) => s.action);
  check(actions[0] === "collect_approvals", `the plan starts by collecting approvals (got ${actions})`);
  check(
    ["change_role", "record_log", "update_rosters"].every((a) => actions.includes(a)),
    `the plan changes the role, records the log and updates the rosters (got ${actions})`,
  );
  check(actions.at(-1) === "schedule_review", `the plan ends with the review (got ${actions})`);
  check(
    plan.every((s, i) => s.n === i + 1),
    "the plan is numbered 1..n",
  );
  check((await logSummary(page, "billing")) === "none → write", "the log entry shows billing none → write");
  const shot1 = await screenshot(page, "2a-mediamath-promote-admin");

  // Collect the approvals and give a reason: every group is satisfied, but without the
  // approval emails or ticket ids the approvals carry no reference.
  await page.fill("#reason", "Team lead for Northwind Performance (ticket OPS-2231)");
  await page.check("#approval-manager");
  await page.check("#approval-security");
  let after = await codes(page);
  check(!after.includes("approval.missing"), `with both approvals nothing is missing (got ${after})`);
  check(!after.includes("log.reason_missing"), "with a reason there is no log.reason_missing");
  const unreferenced = (await findings(page)).find((f) => f.code === "approval.reference_missing");
  check(unreferenced, `approvals without a reference: approval.reference_missing (got ${after})`);
  check(unreferenced.group.includes("sev-warning"), "approval.reference_missing is a warning");
  await checkStale(page, "after the reason and the approvals");
  await fullAssessment(page);
  check(
    (await page.textContent('#log-summary [data-field="approvals"] li[data-kind="manager"]')).includes(
      "no reference",
    ),
    "the log summary says the manager's approval has no reference",
  );
  // "show" moves the focus to the reference field of the approval it is about.
  await page.focus('#findings .finding[data-code="approval.reference_missing"] button[data-goto]');
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.id === "approval-manager-reference");

  await page.fill("#approval-manager-reference", "OPS-2231");
  await page.fill("#approval-security-reference", "SEC-118");
  after = await codes(page);
  check(
    !after.includes("approval.reference_missing"),
    `with both references approval.reference_missing is gone (got ${after})`,
  );
  const satisfied = await page.$$eval("#approvals-required li", (l) => l.map((li) => li.dataset.satisfied));
  check(
    satisfied.length >= 2 && satisfied.every((s) => s === "true"),
    `every approval group is ✓ (got ${satisfied})`,
  );
  await fullAssessment(page);
  const collect = await page.textContent('#plan > li[data-action="collect_approvals"]');
  check(
    /collected/.test(collect) && !/missing/.test(collect),
    `the plan's first step says the approvals are collected (got ${collect})`,
  );
  const summary = await logSummary(page, "approvals");
  check(
    summary.includes("OPS-2231") && summary.includes("SEC-118"),
    `the log summary shows both references (got ${summary})`,
  );

  // The access-log entry, copied as JSON.
  const copied = await copiedLogEntry(page, context);
  check(copied.user_email === "ana.ruiz@northwind.example", "the copied log entry is the user's");
  check(
    copied.role?.old === "trader" && copied.role?.new === "admin",
    "the log entry records trader → admin",
  );
  check(
    copied.billing?.old === "none" && copied.billing?.new === "write",
    `the log entry records billing none → write (got ${JSON.stringify(copied.billing)})`,
  );
  check(
    copied.approvers?.length === 2,
    `the log entry lists both approvers (got ${JSON.stringify(copied.approvers)})`,
  );
  const references = Object.fromEntries((copied.approvals ?? []).map((a) => [a.kind, a]));
  check(
    references.manager?.reference === "OPS-2231" &&
      references.manager?.by === "lee.park@northwind.example" &&
      references.security?.reference === "SEC-118",
    `the log entry keeps each approval's reference (got ${JSON.stringify(copied.approvals)})`,
  );
  const shot2 = await screenshot(page, "2b-mediamath-promote-admin-approved");
  return [shot1, shot2];
});

test("mediamath: downgrading an admin with an API token to trader revokes the token (tokens.orphaned)", async ({
  page,
  context,
}) => {
  await selectUser(page, "mediamath", "4830"); // Sam Ortiz: admin on an agency, billing on, tok-31
  check((await page.textContent("#tokens")).includes("tok-31"), "the admin's API token tok-31 is listed");
  check(await page.isChecked("#toggle-billing"), "the billing toggle is on");
  check(await verdictOk(page), "an untouched admin can be saved");

  // The checklist's use case: Admin → Trader, and billing access switched off.
  await setRole(page, "agency:3", "trader");
  await page.uncheck("#toggle-billing");
  await page.fill("#reason", "Steps down from seat administration to trading (ticket OPS-2290)");
  const found = await findings(page);
  const shown = found.map((f) => f.code);
  const orphaned = found.find((f) => f.code === "tokens.orphaned");
  check(orphaned, `tokens.orphaned is shown (got ${shown})`);
  check(
    orphaned.severity === "security" && orphaned.group.includes("sev-security"),
    "tokens.orphaned is in the security group",
  );
  check(orphaned.message.includes("tok-31"), `the message names the token (got ${orphaned.message})`);
  const lost = found.find((f) => f.code === "api.access_lost");
  check(lost?.group.includes("sev-warning"), `api.access_lost is a warning (got ${shown})`);
  check(await verdictOk(page), "a downgrade can be saved");
  check(
    (await page.textContent("#approvals-required")).includes("No approval needed"),
    "a downgrade needs no approval",
  );
  check(
    (await page.textContent('#diff li[data-kind="toggle"]')) === "Billing access: on → off",
    `the diff shows billing switched off (got ${await page.textContent("#diff")})`,
  );

  await fullAssessment(page);
  const actions = (await planActions(page)).map((s) => s.action);
  const revoke = actions.indexOf("revoke_tokens");
  check(revoke >= 0, `the plan has a revoke_tokens step (got ${actions})`);
  check(
    actions.indexOf("change_role") < revoke && revoke < actions.indexOf("save_and_verify"),
    `the token is revoked with the change, before it is saved and verified (got ${actions})`,
  );
  check(actions.includes("set_toggles"), `the plan switches billing off (got ${actions})`);
  check(actions.at(-1) === "schedule_review", `the plan ends with the review (got ${actions})`);
  const revokeText = await page.textContent('#plan > li[data-action="revoke_tokens"]');
  check(revokeText.includes("tok-31"), `the revoke_tokens step names tok-31 (got ${revokeText})`);

  check(
    (await logSummary(page, "billing")) === "write → none",
    `the log entry shows billing write → none (got ${await logSummary(page, "billing")})`,
  );
  const lostCells = await page.$$eval('#matrix-table tr[data-key="agency:3"] td.lost', (c) => c.length);
  check(lostCells > 0, "the matrix shows what is lost on agency 3");
  // The picture of js-demo/README.md (js-demo/screenshot.png): the form, the findings, the plan
  // (after the full assessment) and the log entry's billing, down to the log summary.
  await page.locator("#reason").blur();
  const top = await screenshot(page, "2c-mediamath-downgrade-admin-revoke-token-top", {
    until: "#log-summary",
  });

  const copied = await copiedLogEntry(page, context);
  check(copied.user_email === "sam.ortiz@northwind.example", "the copied log entry is Sam Ortiz's");
  check(
    copied.role?.old === "admin" && copied.role?.new === "trader",
    "the log entry records admin → trader",
  );
  check(
    copied.billing?.old === "write" && copied.billing?.new === "none",
    `the log entry records billing write → none (got ${JSON.stringify(copied.billing)})`,
  );
  check(
    copied.toggles?.old?.billing === true && copied.toggles?.new?.billing === false,
    `the log entry records the billing toggle on → off (got ${JSON.stringify(copied.toggles)})`,
  );
  check(
    copied.assignments?.old?.[0] === "agency:3=admin" && copied.assignments?.new?.[0] === "agency:3=trader",
    `the log entry records the assignments (got ${JSON.stringify(copied.assignments)})`,
  );
  return [top, await screenshot(page, "2c-mediamath-downgrade-admin-revoke-token")];
});

test("mediamath: removing an advertiser where the user owns a campaign is assets.orphaned", async ({
  page,
}) => {
  await selectUser(page, "mediamath", "4822"); // Priya Shah: trader on 301 and 302, campaign on 302
  await setRole(page, "advertiser:302", "");
  const found = await findings(page);
  const orphaned = found.find((f) => f.code === "assets.orphaned");
  check(orphaned, `assets.orphaned is shown (got ${found.map((f) => f.code)})`);
  check(orphaned.group.includes("sev-warning"), "assets.orphaned is in the warning group");
  check(orphaned.message.includes("c-7302"), "the message names the campaign");
  check(
    (await page.textContent('#entities tr[data-key="advertiser:302"] .row-change')).includes("removed"),
    "the row says its assignment is removed (the check's diff)",
  );
  await fullAssessment(page);
  const actions = (await planActions(page)).map((s) => s.action);
  const transfer = actions.indexOf("transfer_assets");
  check(
    transfer >= 0 && transfer < actions.indexOf("edit_entities"),
    `the plan transfers the campaign before editing the scope (got ${actions})`,
  );
  const lost = await page.$$eval(
    '#matrix-table tr[data-key="advertiser:302"] td.lost',
    (cells) => cells.length,
  );
  check(lost > 0, "the matrix shows what is lost on advertiser 302");
  return [await screenshot(page, "3-mediamath-assets-orphaned")];
});

test("a user named <img src=x onerror=alert(1)> is shown as text and no script runs", async ({ page }) => {
  await selectUser(page, "dv360", "90000016");
  check((await page.inputValue("#user-name")) === HOSTILE_NAME, "the name field holds the name");
  const option = await page.textContent('#user option[value="90000016"]');
  check(option.startsWith(HOSTILE_NAME), `the user list shows the name literally (got ${option})`);

  // A change, so the engine's messages, the plan and the log entry carry the name and the
  // token id: read only → reporting only loses API access while the user holds a token.
  await setRole(page, "advertiser:2200013", "reporting_only");
  const found = await findings(page);
  const messages = found.map((f) => f.message);
  check(
    messages.some((m) => m.includes(HOSTILE_NAME)),
    "a finding message shows the name as those characters",
  );
  check(
    found.some(
      (f) => f.code === "tokens.orphaned" && f.message.includes("<script>window.__pwned = 'token'</script>"),
    ),
    `tokens.orphaned shows the token id with a script tag as text (got ${found.map((f) => f.code)})`,
  );
  await fullAssessment(page);
  check(
    (await page.textContent('#plan > li[data-action="revoke_tokens"]')).includes("<script>"),
    "the revoke_tokens step shows the token id as text",
  );
  check(
    (await page.textContent("#log-json")).includes(HOSTILE_NAME),
    "the log entry shows the name as those characters",
  );
  const tokens = await page.textContent("#tokens");
  check(
    tokens.includes("<script>window.__pwned = 'token'</script>"),
    "a token id with a script tag is shown as text",
  );
  check(
    (await page.textContent("#assets")).includes('"><img src=x onerror='),
    "an asset id with markup is shown as text",
  );

  const dom = await page.evaluate(() => ({
    images: document.querySelectorAll("img").length,
    scripts: [...document.scripts].map((s) => s.getAttribute("src")),
    pwned: window.__pwned ?? null,
  }));
  check(dom.images === 0, `no <img> element was created (found ${dom.images})`);
  check(
    dom.scripts.length === 1 && dom.scripts[0] === "app.js",
    `no script element was added (${dom.scripts})`,
  );
  check(dom.pwned === null, `no injected handler ran (window.__pwned = ${dom.pwned})`);
  return [await screenshot(page, "4-dv360-hostile-name")];
});

test("an edit is a draft edit + check: the findings and the verdict change, no full assessment runs", async ({
  page,
}) => {
  await selectUser(page, "dv360", "90000011"); // Omar Haddad: standard on 2200011 and 2200012
  const loaded = await stats(page);
  check(
    loaded.drafts >= 1 && loaded.assessments === 0,
    `the page starts a draft and assesses nothing (got ${JSON.stringify(loaded)})`,
  );
  check(
    loaded.drafts - loaded.freed === 1,
    `one draft is alive, the earlier ones were freed (got ${JSON.stringify(loaded)})`,
  );
  check((await page.getAttribute("#verdict", "data-save")) === "ready", "an untouched user: verdict.save is ready");
  check(
    (await page.getAttribute("#full-bar", "data-state")) === "none",
    "before the button is pressed there is no full assessment",
  );
  check(!(await page.isVisible("#full-sections")), "no plan or log entry before the full assessment");
  check(!(await page.isVisible("#matrix-section")), "no matrix before the full assessment");
  check((await page.textContent("#diff")) === "Nothing changes.", "an untouched user: nothing changes");

  await fullAssessment(page);
  check(
    (await page.textContent("#plan-note")) === "Nothing to do.",
    `an untouched user's plan: nothing to do (got ${await page.textContent("#plan-note")})`,
  );
  const assessed = await stats(page);
  check(assessed.assessments === 1, `one full assessment (got ${assessed.assessments})`);

  // One role edit: a creative role beside the standard ones.
  await setRole(page, "advertiser:2200013", "creative");
  const edited = await stats(page);
  check(
    edited.checks === assessed.checks + 1 &&
      edited.edits === assessed.edits + 1 &&
      edited.drafts === assessed.drafts &&
      edited.assessments === 1,
    "the edit is one draft edit and one check, with no new draft and no assessment " +
      `(got ${JSON.stringify(assessed)} → ${JSON.stringify(edited)})`,
  );
  check((await codes(page)).includes("family.mixed"), "the findings are redrawn: family.mixed");
  check(
    (await page.getAttribute("#verdict", "data-save")) === "blocked" &&
      (await page.textContent("#verdict")) === "✗ Cannot be saved: fix the errors first",
    `the verdict changes to blocked (got ${await page.textContent("#verdict")})`,
  );
  check(edited.verdict?.save === "blocked", "the verdict shown is the check's");
  await checkStale(page, "after a role edit");
  check(
    (await page.textContent("#timing")).includes("(out of date)"),
    "the footer says the full assessment's time is of an older change",
  );
  const added = await page.textContent('#diff li[data-kind="added"]');
  check(added.includes("Creative") && added.includes("2200013"), `the diff lists the added role (got ${added})`);
  check(
    (await page.textContent('#entities tr[data-key="advertiser:2200013"] .row-change')).includes("added"),
    "the row shows what the check's diff says about it",
  );
  const shot = await screenshot(page, "5-dv360-edit-checked-assessment-stale");

  // An assignment in the middle of after.assignments: the partner row is above the advertisers,
  // so its role goes in at index 0 (insertAssignment: the later ones move down); then one is
  // removed.
  await setRole(page, "partner:1100001", "standard");
  await setRole(page, "advertiser:2200012", "");
  const moved = await stats(page);
  check(
    moved.drafts === edited.drafts && moved.edits === edited.edits + 2,
    `insert = 1 insertAssignment, remove = 1 removeAssignment, on the same draft (got ${JSON.stringify(moved)})`,
  );
  const heldInTableOrder = await page.$$eval("#entities tbody tr", (rows) =>
    rows
      .map((tr) => [tr.dataset.key, tr.querySelector("select").value])
      .filter(([, role]) => role)
      .map(([key, role]) => `${key}=${role}`),
  );
  await fullAssessment(page);
  const viaEdits = { codes: await codes(page), log: JSON.parse(await page.textContent("#log-json")) };
  check(
    JSON.stringify(viaEdits.log.assignments.new) === JSON.stringify(heldInTableOrder),
    "the draft's after.assignments are the rows' roles in table order " +
      `(got ${JSON.stringify(viaEdits.log.assignments.new)}, want ${JSON.stringify(heldInTableOrder)})`,
  );

  // The same change as a new draft from the whole form ("temporary" has no Draft method: on
  // and off again starts two drafts): the same findings and the same log entry.
  await page.check("#temporary");
  await page.uncheck("#temporary");
  const restarted = await stats(page);
  check(
    restarted.drafts === moved.drafts + 2 && restarted.drafts - restarted.freed === 1,
    `an edit without a Draft method starts a new draft and frees the old one (got ${JSON.stringify(restarted)})`,
  );
  check(
    (await page.textContent("#timing")).includes("Last edit + check (engine.draft)"),
    "the footer says the last edit started a new draft",
  );
  await fullAssessment(page);
  const viaDraft = { codes: await codes(page), log: JSON.parse(await page.textContent("#log-json")) };
  check(
    JSON.stringify(viaDraft.codes) === JSON.stringify(viaEdits.codes),
    `edits and a whole new draft give the same findings (${viaEdits.codes} vs ${viaDraft.codes})`,
  );
  for (const field of ["role", "entities", "assignments", "toggles"]) {
    check(
      JSON.stringify(viaDraft.log[field]) === JSON.stringify(viaEdits.log[field]),
      `edits and a whole new draft give the same log entry ${field}`,
    );
  }
  return [shot];
});

test("awaiting approvals: the verdict's count is the engine's verdict.missing_approvals", async ({ page }) => {
  // The page must not count the approvals itself.
  const source = await (await fetch(new URL("app.js", url))).text();
  const start = source.indexOf("function renderStatus(");
  const body = source.slice(start, source.indexOf("\nfunction ", start + 1));
  check(start >= 0, "app.js has renderStatus");
  check(
    body.includes("missing_approvals") && !body.includes("approvals_required") && !body.includes("satisfied"),
    "renderStatus reads verdict.missing_approvals and does not count approvals_required",
  );

  await selectUser(page, "mediamath", "4821"); // Ana Ruiz: trader on agency 3
  await setRole(page, "agency:3", "admin");
  const verdictText = () => page.textContent("#verdict");
  const crosses = () => page.$$eval("#approvals-required li[data-satisfied=false]", (l) => l.length);
  const first = (await stats(page)).verdict;
  check(
    first.save === "awaiting_approvals" && first.missing_approvals >= 2,
    `the check's verdict awaits approvals (got ${JSON.stringify(first)})`,
  );
  check(
    (await verdictText()) === `✓ Allowed: collect ${first.missing_approvals} missing approvals before saving`,
    `the verdict's words carry verdict.missing_approvals (got ${await verdictText()})`,
  );
  check(
    (await page.getAttribute("#verdict", "data-save")) === "awaiting_approvals" &&
      (await page.getAttribute("#verdict", "data-missing")) === String(first.missing_approvals),
    "the verdict element carries verdict.save and verdict.missing_approvals",
  );
  check((await page.getAttribute("#status", "class")).includes("pending"), "awaiting approvals is drawn as pending");
  check((await crosses()) === first.missing_approvals, "as many ✗ as missing approvals");

  await page.check("#approval-manager");
  const second = (await stats(page)).verdict;
  check(
    second.save === "awaiting_approvals" && second.missing_approvals === first.missing_approvals - 1,
    `one approval less is missing (got ${JSON.stringify(second)})`,
  );
  const plural = second.missing_approvals === 1 ? "" : "s";
  check(
    (await verdictText()) === `✓ Allowed: collect ${second.missing_approvals} missing approval${plural} before saving`,
    `the verdict follows verdict.missing_approvals (got ${await verdictText()})`,
  );
  check((await crosses()) === second.missing_approvals, "as many ✗ as missing approvals");

  await page.check("#approval-security");
  const third = (await stats(page)).verdict;
  check(third.save === "ready" && third.missing_approvals === 0, `ready (got ${JSON.stringify(third)})`);
  check((await verdictText()) === "✓ Can be saved", `ready: "Can be saved" (got ${await verdictText()})`);

  // The full assessment's verdict is the same.
  await fullAssessment(page);
  check((await verdictText()) === "✓ Can be saved", "the full assessment's verdict is the same");
  check((await stats(page)).verdict.save === "ready", "the full assessment's verdict.save is ready");
  return [await screenshot(page, "6-mediamath-approvals-collected", { until: "#plan" })];
});

// ---------------------------------------------------------------------------------------
// Run

const userDataDir = mkdtempSync(join(tmpdir(), "adaccess-e2e-"));
const started = performance.now();
let context;
let passed = 0;
let failed = 0;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  for (const t of tests) {
    const t0 = performance.now();
    let page;
    try {
      const opened = await openPage(context);
      page = opened.page;
      const shots = await t.fn({ page, context });
      check(
        opened.problems.length === 0,
        `errors in the browser:\n      ${opened.problems.join("\n      ")}`,
      );
      passed += 1;
      console.log(`ok    ${t.name} (${Math.round(performance.now() - t0)} ms)`);
      for (const s of shots ?? []) console.log(`      screenshot: ${s}`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL  ${t.name} (${Math.round(performance.now() - t0)} ms)`);
      console.log(`      ${error instanceof Failure ? error.message : error.stack}`);
      if (page) {
        const safe = t.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
        const path = join(outDir, `failed-${safe}.png`);
        await page.screenshot({ path, fullPage: true }).catch(() => {});
        console.log(`      screenshot: ${path}`);
      }
    } finally {
      await page?.close().catch(() => {});
    }
  }
} catch (error) {
  failed += 1;
  console.log(`FAIL  could not start Chromium: ${error.message}`);
} finally {
  await context?.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`e2e: ${passed} passed, ${failed} failed (${seconds} s)`);
process.exit(failed === 0 && passed === tests.length ? 0 : 1);
