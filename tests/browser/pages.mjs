// Drives headless Chromium over pages of a built site for `reader.rs` (issue 12): axe-core
// at WCAG 2.1 AA, console errors, requests that would leave the machine, horizontal scroll
// at phone width, page heights, and screenshots at 360 px, 1280 px and in print emulation.
//
// Usage: node pages.mjs CONFIG.json; prints one JSON object with a result per page.
// CONFIG: { chromium, modules (a node_modules folder with playwright-core and axe-core),
//           origin (the test server, e.g. http://127.0.0.1:1234), pages: [{ name, path }],
//           shots (folder for screenshots, or null) }.
// Nothing is fetched from another host: Chromium maps every host name but 127.0.0.1 to
// nothing (`--host-resolver-rules`), and every request that is not to `origin` (or a
// `data:` URL) is recorded and aborted, so the test sees it and fails.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const require = createRequire(path.join(config.modules, "index.js"));
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const browser = await chromium.launch({
  executablePath: config.chromium,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
  ],
});

const widths = [
  { label: "360", width: 360, height: 780, mobile: true },
  { label: "1280", width: 1280, height: 900, mobile: false },
];

async function openPage(context, url, result) {
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") result.console_errors.push(m.text());
  });
  page.on("pageerror", (e) => result.console_errors.push(String(e)));
  await page.route("**/*", (route) => {
    const u = route.request().url();
    if (u.startsWith(config.origin + "/") || u.startsWith("data:")) {
      return route.continue();
    }
    result.off_host_requests.push(u);
    return route.abort();
  });
  const response = await page.goto(url, { waitUntil: "load" });
  result.status = response ? response.status() : 0;
  return page;
}

const results = [];
for (const { name, path: p } of config.pages) {
  const url = config.origin + p;
  const result = {
    name,
    url,
    status: 0,
    violations: [],
    console_errors: [],
    off_host_requests: [],
    heights: {},
    overflow_360: 0,
  };
  for (const w of widths) {
    const context = await browser.newContext({
      viewport: { width: w.width, height: w.height },
      isMobile: w.mobile,
      hasTouch: w.mobile,
      deviceScaleFactor: 1,
    });
    const page = await openPage(context, url, result);
    const dims = await page.evaluate(() => ({
      height: document.documentElement.scrollHeight,
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    }));
    result.heights[w.label] = dims.height;
    if (w.mobile) result.overflow_360 = dims.overflow;
    if (!w.mobile) {
      await page.addScriptTag({ content: axeSource });
      const axe = await page.evaluate(async () => {
        const r = await window.axe.run(document, {
          runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        return r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
        }));
      });
      result.violations.push(...axe);
    }
    if (config.shots) {
      await page.screenshot({ path: path.join(config.shots, `${name}-${w.label}.png`), fullPage: true });
      if (!w.mobile) {
        await page.emulateMedia({ media: "print" });
        await page.screenshot({ path: path.join(config.shots, `${name}-print.png`), fullPage: true });
      }
    }
    await context.close();
  }
  results.push(result);
}
await browser.close();
process.stdout.write(JSON.stringify(results));
