#!/usr/bin/env node
// usage: reader.js MODULES_DIR ORIGIN SHOT_DIR PATH...
// Opens each PATH of a site served at ORIGIN (loopback) in headless Chromium through
// playwright-core, blocks every request that leaves 127.0.0.1, runs axe-core (WCAG 2.1 AA),
// records console errors and page errors, the order and position of an incident's
// chronology, screenshots at phone and desktop widths and in print emulation, and the
// number of A4 pages the page prints to. Prints one JSON object per page (issue 12).
'use strict';
const fs = require('fs');
const path = require('path');
const [modules, origin, shotDir, ...paths] = process.argv.slice(2);
const { chromium } = require(path.join(modules, 'playwright-core'));
const axeSource = fs.readFileSync(path.join(modules, 'axe-core', 'axe.min.js'), 'utf8');
const exe = process.env.BRIEFING_CHROMIUM || '/usr/bin/chromium';

(async () => {
  const browser = await chromium.launch({
    executablePath: exe,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
  try {
    for (const p of paths) {
      const slug = p.replace(/^\/|\/$/g, '').replace(/\//g, '_') || 'index';
      const result = { path: p, console: [], blocked: [], violations: [] };
      for (const [w, h, suffix] of [[1280, 900, 'desktop'], [360, 740, 'phone']]) {
        const context = await browser.newContext({ viewport: { width: w, height: h } });
        const page = await context.newPage();
        page.on('console', (m) => { if (m.type() === 'error') result.console.push(m.text()); });
        page.on('pageerror', (e) => result.console.push(String(e)));
        await page.route('**/*', (route) => {
          const u = new URL(route.request().url());
          if (u.hostname === '127.0.0.1') return route.continue();
          result.blocked.push(route.request().url());
          return route.abort();
        });
        await page.goto(origin + p, { waitUntil: 'load' });
        await page.screenshot({ path: path.join(shotDir, `${slug}-${suffix}.png`), fullPage: true });
        result[`${suffix}_scroll_width`] = await page.evaluate(() => document.documentElement.scrollWidth);
        if (suffix === 'desktop') {
          await page.addScriptTag({ content: axeSource });
          const axe = await page.evaluate(() => axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
          }));
          result.violations = axe.violations.map((v) => `${v.id} [${v.impact}] ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
          result.chronology = await page.evaluate(() => [...document.querySelectorAll('.chrono-entry')].map((e) => {
            const r = e.getBoundingClientRect();
            const style = getComputedStyle(e);
            return {
              offset: e.querySelector('.chrono-offset').textContent.trim(),
              date: e.querySelector('time').getAttribute('datetime'),
              top: r.top + window.scrollY,
              visible: r.height > 0 && style.visibility !== 'hidden' && style.display !== 'none',
            };
          }));
          const body = await page.$('.prose');
          result.body_top = body ? (await body.boundingBox()).y : null;
          await page.emulateMedia({ media: 'print' });
          await page.screenshot({ path: path.join(shotDir, `${slug}-print.png`), fullPage: true });
          result.print_hidden = await page.evaluate(() => ['.site-header', '.toc', '.prose .anchor', '.timeline-index']
            .filter((s) => [...document.querySelectorAll(s)].some((e) => e.getBoundingClientRect().height > 0)));
          const pdf = await page.pdf({ preferCSSPageSize: true });
          fs.writeFileSync(path.join(shotDir, `${slug}.pdf`), pdf);
          result.pdf_pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
        }
        await context.close();
      }
      process.stdout.write(JSON.stringify(result) + '\n');
    }
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e); process.exit(2); });
