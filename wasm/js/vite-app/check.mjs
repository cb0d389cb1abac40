// Opens the Vite app (APP_URL) in headless Debian Chromium and checks it shows what the same
// calls answer in Node against the same installed package. Fails on any console error,
// page error or failed request. Run by scripts/test-vite from the app's folder.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { Engine, AdaccessError } from "adaccess";
import { Engine as FullEngine, AdaccessError as FullAdaccessError } from "adaccess/full";
import { scenario } from "./scenario.js";

const url = process.env.APP_URL;
const expected = scenario(Engine, AdaccessError, FullEngine, FullAdaccessError);
// The answers are not trivial: a finding, a typed error with its path.
if (expected.validation.findings.length === 0 && expected.assessment.findings.length === 0) {
  throw new Error("the scenario produces no finding: it checks too little");
}
if (expected.export.users !== 1 || expected.leanReadsExports || !expected.oneErrorClass) {
  throw new Error(`unexpected export answers in Node: ${JSON.stringify(expected)}`);
}
if (!expected.error?.isAdaccessError || expected.error.path !== "assignments[0].role") {
  throw new Error(`unexpected error in Node: ${JSON.stringify(expected.error)}`);
}

const profile = mkdtempSync(join(tmpdir(), "adaccess-vite-chromium-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const problems = [];
try {
  const page = await browser.newPage();
  page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  page.on("response", (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  await page.goto(url);
  await page.waitForSelector("#out[data-done=true]", { timeout: 20000 }).catch((e) => {
    problems.push(`the page never showed its answers: ${e.message}`);
  });
  const shown = await page.textContent("#out");
  if (problems.length === 0 && shown !== JSON.stringify(expected)) {
    problems.push(`the page shows other answers than Node:\n  page: ${shown}\n  node: ${JSON.stringify(expected)}`);
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
if (problems.length > 0) {
  console.error(`vite app at ${url}:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`vite app at ${url}: the page answers as Node does (${expected.assessment.findings.length} findings)`);
