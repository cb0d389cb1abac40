// Browser tests of the HTML access review (`adaccess audit --format html`), in headless Debian
// Chromium through playwright-core. Run by scripts/test-report, which writes the pages and the
// JSON reports of the same exports into REPORT_DIR:
//
//   REPORT_DIR=target/e2e node cli/tests/report/run.mjs
//
//   report-dv360.html / .json     the DV360 sample seat (tests/data/dv360_users_list.json)
//   report-hostile.html / .json   hostile.json: user ids and names that are HTML and script
//   report-large.html / .json     large.json: thousands of findings, more than one page of rows
//   report-seats.html / .json     two seats from a manifest, one named with markup
//
// Each page is opened from file://. Checked: no console error, page error or dialog; no
// request but the file itself; the seat summary equals the JSON report; the charts are drawn;
// the filters show exactly the findings they select; hostile names stay text. The DV360
// page's screenshot goes to REPORT_DIR/report.png. One line per check; exit 1 on any failure.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const dir = process.env.REPORT_DIR ?? "target/e2e";
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const SEVERITIES = ["error", "security", "warning", "info"];
// The page shows at most this many rows at once; "Show more" adds as many again.
const PAGE = 1000;

class Failure extends Error {}

function check(condition, message) {
  if (!condition) throw new Failure(message);
}

let passed = 0;
let failed = 0;

/** Runs one check and prints one line for it. */
async function step(label, fn) {
  const t0 = performance.now();
  try {
    const detail = await fn();
    passed += 1;
    const ms = Math.round(performance.now() - t0);
    console.log(`ok    ${label}${detail ? `: ${detail}` : ""} (${ms} ms)`);
    return true;
  } catch (error) {
    failed += 1;
    console.log(`FAIL  ${label}`);
    console.log(`      ${error instanceof Failure ? error.message : error.stack}`);
    return false;
  }
}

/** A page on the file, with every error and every request recorded. */
async function open(context, file) {
  const url = pathToFileURL(resolve(file)).href;
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on("request", (r) => requests.push(r.url()));
  page.on("dialog", async (d) => {
    problems.push(`a dialog opened (${d.type()}: ${d.message()}): a script ran`);
    await d.dismiss();
  });
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 15000 });
  return { page, url, problems, requests };
}

/** The findings rows that are displayed, as {severity, code, text}. */
async function visibleRows(page) {
  return page.$$eval("#findings", ([table]) => {
    const heads = Array.from(table.tHead.rows[0].cells).map((th) => th.dataset.col);
    return Array.from(table.tBodies[0].rows)
      .filter((r) => r.getClientRects().length > 0)
      .map((r) => ({
        severity: r.cells[heads.indexOf("severity")].textContent,
        code: r.cells[heads.indexOf("code")].textContent,
      }));
  });
}

const applied = (page) => page.evaluate(() => Number(document.body.dataset.applied));

/**
 * Sets the filters (text typed into the search box, the two selects) and waits until the
 * script has applied them: its `data-applied` counter moved and then stayed (typing is
 * debounced on large tables).
 */
async function filter(page, { text = "", severity = "", code = "" }) {
  const before = await applied(page);
  await page.fill("#q", text);
  await page.selectOption("#severity", severity);
  await page.selectOption("#code", code);
  await page.waitForFunction((n) => Number(document.body.dataset.applied) > n, before);
  const pause = (await page.$$eval("#findings tbody tr", (rows) => rows.length)) > 5000 ? 400 : 40;
  for (let last = -1, now = await applied(page); now !== last; now = await applied(page)) {
    last = now;
    await page.waitForTimeout(pause);
  }
  return visibleRows(page);
}

const countOf = (findings, key, value) => findings.filter((f) => f[key] === value).length;

/** What the count above the table reads when `n` of `total` findings match. */
function countText(n, total) {
  const f = (x) => x.toLocaleString("en-US");
  return n === total ? `${f(n)} findings` : `${f(n)} of ${f(total)} findings`;
}

/** The checks every page passes. */
async function commonChecks(name, opened, report) {
  const { page } = opened;
  const { findings } = report;

  await step(`${name}: the seat summary equals the JSON report`, async () => {
    const shown = await page.$$eval("section.seat dl.stats dd[data-stat]", (dds) =>
      Object.fromEntries(dds.map((dd) => [dd.dataset.stat, Number(dd.textContent.replace(/,/g, ""))])),
    );
    check(shown.users === report.users, `users: page ${shown.users}, report ${report.users}`);
    for (const s of SEVERITIES) {
      const n = countOf(findings, "severity", s);
      check(shown[s] === n, `${s}: page ${shown[s]}, report ${n}`);
    }
    return `${report.users} users, ${SEVERITIES.map((s) => `${shown[s]} ${s}`).join(", ")}`;
  });

  await step(`${name}: the charts are drawn`, async () => {
    const charts = await page.$$eval("figure[data-chart] svg", (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        return {
          chart: svg.closest("figure").dataset.chart,
          w: box.width,
          h: box.height,
          bars: svg.querySelectorAll("rect").length,
        };
      }),
    );
    check(charts.length >= 4, `${charts.length} charts (want at least 4)`);
    for (const c of charts)
      check(c.w > 100 && c.h > 10 && c.bars > 0, `chart ${c.chart} is empty or not laid out`);
    return `${charts.length} svg charts: ${charts.map((c) => c.chart).join(", ")}`;
  });

  await step(`${name}: the table shows every finding`, async () => {
    const rows = await visibleRows(page);
    const want = Math.min(findings.length, PAGE);
    check(rows.length === want, `${rows.length} rows shown, want ${want} (${findings.length} findings)`);
    const shown = await page.textContent("#shown");
    check(shown === countText(findings.length, findings.length), `the count reads "${shown}"`);
    const more = await page.isVisible("#more");
    check(more === findings.length > PAGE, `"Show more" is ${more ? "" : "not "}shown`);
    if (!more) return `${rows.length} rows`;
    const before = await applied(page);
    await page.click("#more");
    await page.waitForFunction((n) => Number(document.body.dataset.applied) > n, before);
    const after = (await visibleRows(page)).length;
    const next = Math.min(findings.length, 2 * PAGE);
    check(after === next, `after "Show more": ${after} rows, want ${next}`);
    await filter(page, {});
    return `${rows.length} of ${findings.length} rows, then ${after} after "Show more"`;
  });

  await step(`${name}: typing a code in the search box shows that code's findings`, async () => {
    const codes = [...new Set(findings.map((f) => f.code))];
    check(codes.length > 0, "the report has no finding");
    for (const code of codes) {
      const rows = await filter(page, { text: code });
      const want = countOf(findings, "code", code);
      check(
        rows.length === Math.min(want, PAGE),
        `"${code}": ${rows.length} rows shown, ${want} findings in the report`,
      );
      check(
        rows.every((r) => r.code === code),
        `"${code}": rows of other codes are shown`,
      );
      const shown = await page.textContent("#shown");
      check(shown === countText(want, findings.length), `"${code}": the count reads "${shown}"`);
    }
    return `${codes.length} codes`;
  });

  await step(`${name}: the severity select shows only that severity`, async () => {
    const tried = [];
    for (const s of SEVERITIES) {
      const want = countOf(findings, "severity", s);
      if (want === 0) continue;
      const rows = await filter(page, { severity: s });
      check(rows.length === Math.min(want, PAGE), `${s}: ${rows.length} rows shown, ${want} in the report`);
      const shown = await page.textContent("#shown");
      check(shown === countText(want, findings.length), `${s}: the count reads "${shown}"`);
      check(
        rows.every((r) => r.severity === s),
        `${s}: rows of other severities are shown`,
      );
      tried.push(`${s} ${want}`);
    }
    return tried.join(", ");
  });

  await step(`${name}: the code select, and both selects together`, async () => {
    for (const code of new Set(findings.map((f) => f.code))) {
      const rows = await filter(page, { code });
      const want = countOf(findings, "code", code);
      check(rows.length === Math.min(want, PAGE), `code ${code}: ${rows.length} rows, ${want} findings`);
      const f = findings.find((x) => x.code === code);
      // Another severity of the select: none of this code's findings has it.
      const other = SEVERITIES.find((s) => s !== f.severity && countOf(findings, "severity", s) > 0);
      if (!other) continue;
      const none = await filter(page, { code, severity: other });
      check(none.length === 0, `code ${code} with severity ${other}: ${none.length} rows`);
      check(
        await page.isVisible("#none"),
        `code ${code} with severity ${other}: "No finding matches" is not shown`,
      );
    }
    const all = await filter(page, {});
    check(all.length === Math.min(findings.length, PAGE), `cleared filters show ${all.length} rows`);
  });

  await step(`${name}: no console error, page error or dialog`, async () => {
    check(opened.problems.length === 0, `errors in the browser:\n      ${opened.problems.join("\n      ")}`);
  });

  await step(`${name}: no request but the page itself`, async () => {
    const others = opened.requests.filter((u) => u !== opened.url);
    check(others.length === 0, `requests: ${others.join(", ")}`);
    check(opened.requests.length === 1, `${opened.requests.length} requests of the page`);
    return opened.url.replace(/^.*\//, "");
  });
}

const userDataDir = mkdtempSync(join(tmpdir(), "adaccess-report-"));
const started = performance.now();
let context;
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

  // The DV360 sample seat.
  {
    const report = JSON.parse(readFileSync(join(dir, "report-dv360.json"), "utf8"));
    const opened = await open(context, join(dir, "report-dv360.html"));
    await step("dv360: the page names the seat and the review date", async () => {
      const h2 = await opened.page.textContent("section.seat h2");
      check(h2.startsWith("dv360_users_list"), `the seat heading reads "${h2}"`);
      const header = await opened.page.textContent("header");
      check(header.includes("2026-11-22"), `the header reads "${header}"`);
      return h2;
    });
    await commonChecks("dv360", opened, report);
    await step("dv360: screenshot", async () => {
      const p = opened.page;
      await p.evaluate(() => {
        document.activeElement?.blur();
        window.scrollTo(0, 0);
      });
      const height = await p.evaluate(() => document.documentElement.scrollHeight);
      const path = join(dir, "report.png");
      await p.screenshot({
        path,
        fullPage: true,
        clip: { x: 0, y: 0, width: 1280, height: Math.min(height, 1600) },
      });
      return path;
    });
    await opened.page.close();
  }

  // The hostile export: its ids and names are markup and script.
  {
    const report = JSON.parse(readFileSync(join(dir, "report-hostile.json"), "utf8"));
    const users = JSON.parse(readFileSync(join(dir, "hostile.json"), "utf8"));
    const hostile = [...new Set(users.flatMap((u) => [u.id, u.name]))];
    const opened = await open(context, join(dir, "report-hostile.html"));
    await commonChecks("hostile", opened, report);
    await step("hostile: names and ids that are HTML show as text", async () => {
      check(
        hostile.every((s) => s.includes("<")),
        "the hostile export has no markup in it",
      );
      const table = await opened.page.textContent("#findings");
      for (const s of hostile) check(table.includes(s), `the table does not show ${s} as text`);
      return `${hostile.length} strings`;
    });
    await step("hostile: no element, script or handler from the export", async () => {
      const dom = await opened.page.evaluate(() => ({
        img: document.querySelectorAll("img").length,
        scripts: document.scripts.length,
        handlers: Array.from(document.querySelectorAll("*")).filter((e) =>
          Array.from(e.attributes).some((a) => a.name.startsWith("on")),
        ).length,
        pwned: typeof window.__pwned,
      }));
      check(dom.img === 0, `${dom.img} img element(s) in the page`);
      check(dom.scripts === 1, `${dom.scripts} script elements (want the page's own)`);
      check(dom.handlers === 0, `${dom.handlers} element(s) with an on* attribute`);
      check(dom.pwned === "undefined", `window.__pwned is ${dom.pwned}: an injected script ran`);
      return "0 img, 1 script, window.__pwned undefined";
    });
    await opened.page.close();
  }

  // Several seats in one page, one of them named with markup.
  {
    const report = JSON.parse(readFileSync(join(dir, "report-seats.json"), "utf8"));
    const opened = await open(context, join(dir, "report-seats.html"));
    const findings = report.seats.flatMap((s) => s.report.findings.map((f) => ({ ...f, seat: s.seat })));
    await step("seats: no console error, no request but the page", async () => {
      check(opened.problems.length === 0, opened.problems.join("; "));
      check(opened.requests.length === 1, `requests: ${opened.requests.join(", ")}`);
      return `${report.seats.length} seats`;
    });
    await step("seats: one summary per seat, every finding in the table with its seat", async () => {
      const sections = await opened.page.$$eval("section.seat", (s) => s.length);
      check(sections === report.seats.length, `${sections} seat sections, ${report.seats.length} seats`);
      const table = await opened.page.textContent("#findings");
      for (const s of report.seats) check(table.includes(s.seat), `the table does not show seat ${s.seat}`);
      const rows = await opened.page.$$eval("#findings tbody tr", (r) => r.length);
      check(rows >= findings.length, `${rows} rows for ${findings.length} findings`);
      return `${findings.length} findings`;
    });
    await step("seats: a seat name that is markup stays text", async () => {
      const dom = await opened.page.evaluate(() => ({
        img: document.querySelectorAll("img").length,
        scripts: document.scripts.length,
        pwned: typeof window.__pwned,
      }));
      check(dom.img === 0, `${dom.img} img element(s) in the page`);
      check(dom.scripts === 1, `${dom.scripts} script elements`);
      check(dom.pwned === "undefined", `window.__pwned is ${dom.pwned}`);
      return "0 img, 1 script";
    });
    await opened.page.close();
  }

  // A large seat: the page opens, shows its first rows and filters all of them.
  {
    const report = JSON.parse(readFileSync(join(dir, "report-large.json"), "utf8"));
    const t0 = performance.now();
    const opened = await open(context, join(dir, "report-large.html"));
    await step("large: the page opens", async () => {
      check(report.findings.length > 2 * PAGE, `only ${report.findings.length} findings`);
      return `${report.findings.length} findings, ready in ${Math.round(performance.now() - t0)} ms`;
    });
    await commonChecks("large", opened, report);
    await opened.page.close();
  }
} catch (error) {
  failed += 1;
  console.log(`FAIL  ${error instanceof Failure ? error.message : error.stack}`);
} finally {
  await context?.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`report: ${passed} passed, ${failed} failed (${seconds} s)`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
