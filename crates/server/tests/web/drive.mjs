// Drives Debian's Chromium through verifyd's web client for the Rust end-to-end tests
// (crates/server/tests/api/web): reads one order as JSON on stdin, acts like a user on every
// screen the client shows, and prints a report as JSON on stdout. The Rust tests assert on the
// report and on the server's API; this script only acts and observes.
//
// The Document Verification client (documents.js) is driven the same way: on its `select`
// screen the driver chooses `documents`, removes the one named `remove`, and submits.
//
// Order: { href, video?, files?: {front, back, selfie}, choose?: {country, idType}, keyboard?,
//          documents?: [path], remove?: file name,
//          stopAt?: step, offlineAt?: step, iframe?: bool, webview?: bool, locale?,
//          viewport?: {width, height},
//          shots: dir, prefix, timeoutMs?, routes?: [url prefix answered with 200] }
// Report: { screens: [{step, part, title, lang, dir, code, url, colors}], violations: [...],
//           events: [...], finalUrl, csp: [...], errors: [...] }

import { readFileSync } from 'node:fs';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { launch } from './browser.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const order = JSON.parse(readFileSync(0, 'utf8'));
const report = { screens: [], violations: [], events: [], finalUrl: null, csp: [], errors: [] };
mkdirSync(order.shots, { recursive: true });
for (const old of readdirSync(order.shots)) if (old.startsWith(`${order.prefix}-`)) rmSync(join(order.shots, old));

// The iframe's parent is on localhost, the client on 127.0.0.1: both loopback.
const args = ['--disable-features=LocalNetworkAccessChecks'];
if (order.video) {
  args.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${order.video}`);
}
const browser = await launch(args);
const context = await browser.newContext({
  viewport: order.viewport || { width: 1000, height: 800 },
  locale: order.locale || 'en-US',
});
const page = await context.newPage();
page.on('console', (message) => {
  const text = message.text();
  if (process.env.DRIVE_DEBUG) process.stderr.write(`console: ${text}\n`);
  if (/Content.Security.Policy/i.test(text)) report.csp.push(text);
  else if (message.type() === 'error' && !text.startsWith('Failed to load resource')) report.errors.push(text);
});
page.on('pageerror', (error) => report.errors.push(String(error)));
// The customer's page, with a language: the journey may have gone there while axe looks.
for (const prefix of order.routes || []) {
  // A page of its own language: the journey may have left for it while axe looks.
  await page.route(`${prefix}**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html lang="en"><title>customer</title><p>customer page</p></html>' }));
}

/** The frame the client runs in. */
let app = page;
if (order.iframe) {
  // A parent on another origin (localhost vs 127.0.0.1), as a customer's page would be.
  const parent = new URL(order.href);
  parent.hostname = 'localhost';
  parent.pathname = '/health';
  parent.search = '';
  await page.goto(parent.toString());
  // The listener is in place before the frame loads, as on a customer's page.
  await page.setContent(`<!doctype html><title>customer</title>
    <script>window.__events = []; window.addEventListener('message', (event) => window.__events.push(JSON.parse(event.data)));</script>
    <iframe id="verify" src="${order.href}" width="930" height="750" allow="camera;fullscreen;accelerometer;gyroscope;magnetometer" allowfullscreen></iframe>`);
  const handle = await page.waitForSelector('#verify');
  app = await handle.contentFrame();
} else if (order.webview) {
  await page.addInitScript(() => {
    window.__NVW_WEBVIEW__ = true;
    window.__events = [];
    window.__NVW_WEBVIEW_HANDLER__ = { postMessage: (json) => window.__events.push(JSON.parse(json)) };
  });
  await page.goto(order.href);
} else {
  await page.goto(order.href);
}

const deadline = Date.now() + (order.timeoutMs || 120000);
const checked = new Set();
let lastScreen = null;

async function state() {
  try {
    return await app.evaluate(() => ({
      step: document.body.dataset.step || '',
      part: document.body.dataset.part || '',
      screen: document.body.dataset.screen || '',
      title: document.getElementById('title')?.textContent || '',
      lang: document.documentElement.lang,
      dir: document.documentElement.dir,
      code: document.querySelector('[data-code]')?.dataset.code || null,
      notices: [...document.querySelectorAll('#view .notice:not([hidden])')].map((n) => n.textContent),
      url: location.href,
      colors: {
        page: getComputedStyle(document.documentElement).backgroundColor,
        button: (() => {
          const primary = document.querySelector('#view .button.primary');
          return primary ? getComputedStyle(primary).backgroundColor : null;
        })(),
      },
    }));
  } catch (_) {
    return null; // navigating
  }
}

async function accessibility(step) {
  if (checked.has(step)) return;
  checked.add(step);
  await app.evaluate(AXE);
  const result = await app.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  for (const violation of result.violations) {
    if (violation.impact === 'serious' || violation.impact === 'critical') {
      report.violations.push({ step, id: violation.id, impact: violation.impact, nodes: violation.nodes.map((n) => n.target.join(' ')) });
    }
  }
}

/** Presses `target` as a user would: a click, or with `keyboard`, Tab until it has focus, then Enter. */
async function press(target) {
  if (!order.keyboard) {
    await target.click();
    return;
  }
  for (let tabs = 0; tabs < 30; tabs += 1) {
    if (await target.evaluate((node) => node === document.activeElement)) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('Tab');
  }
  throw new Error(`not reachable by keyboard: ${await target.evaluate((node) => node.outerHTML)}`);
}

async function act(current) {
  const primary = app.locator('#view .button.primary').first();
  switch (current.step) {
    case 'consent':
    case 'review':
    case 'liveness-intro':
      await press(primary);
      break;
    case 'choose':
      if (order.choose?.country) await app.selectOption('#country', order.choose.country);
      if (order.choose?.idType) await app.check(`input[name=idType][value=${order.choose.idType}]`);
      await press(app.locator('form.choose button[type=submit]'));
      break;
    case 'select': {
      if (!order.documents) throw new Error('no documents left to choose');
      await app.setInputFiles('#files', order.documents);
      order.documents = null;
      if (order.remove) await press(app.locator(`#chosen button[data-name="${order.remove}"]`));
      await press(app.locator('#submit'));
      break;
    }
    case 'file': {
      const file = order.files?.[current.part];
      if (!file) throw new Error(`no file for part ${current.part}`);
      await app.setInputFiles('#file', Array.isArray(file) ? file.shift() : file);
      break;
    }
    default:
      break; // camera, liveness, uploading, finishing: the client works on its own.
  }
}

const inApp = (url) => url && url.startsWith(new URL(order.href).origin)
  && (url.includes('/web/v4/app') || url.includes('/api/netverify/v2/acquisitions'));

for (;;) {
  if (Date.now() > deadline) {
    report.errors.push('timeout');
    break;
  }
  if (!order.iframe && !inApp(page.url())) {
    report.finalUrl = page.url();
    break;
  }
  const current = await state();
  if (!current || !current.step || current.screen === lastScreen) {
    await page.waitForTimeout(100);
    continue;
  }
  lastScreen = current.screen;
  report.screens.push({ step: current.step, part: current.part, title: current.title, lang: current.lang, dir: current.dir, code: current.code, notices: current.notices, url: current.url, colors: current.colors });
  // Let the screen settle for the picture; the camera's first frames take a moment.
  await page.waitForTimeout(current.step === 'camera' || current.step === 'liveness' ? 600 : 150);
  try {
    await page.screenshot({ path: join(order.shots, `${order.prefix}-${String(report.screens.length).padStart(2, '0')}-${current.step}.png`) });
    await accessibility(current.step);
  } catch (error) {
    // A brief screen (uploading) may be left for the customer's page while it is looked at:
    // the loop then reports where the journey went. Anything else is the driver's failure.
    await page.waitForTimeout(500);
    if (order.iframe || inApp(page.url())) throw error;
    continue;
  }
  if (current.step === order.stopAt || current.step === 'success' || current.step === 'error') break;
  if (current.step === order.offlineAt) {
    await context.setOffline(true); // the network goes away under the user
    continue;
  }
  await act(current);
}

if (order.iframe || order.webview) {
  await page.waitForTimeout(300);
  report.events = await page.evaluate(() => window.__events);
}
report.finalUrl ??= order.iframe ? app.url() : page.url();
await browser.close();
process.stdout.write(JSON.stringify(report));
