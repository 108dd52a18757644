// Shared set-up for end-to-end tests: the built page served on a free port, Debian's
// Chromium driven by playwright-core, and a record of everything that went wrong.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { startServer } from '../../scripts/static-server.mjs';

export const SCREENSHOTS = 'tests/e2e/screenshots';

// As root, headless Chromium needs --no-sandbox; the networking flags keep it from
// calling out to a network this machine does not have.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Serves dist/, opens the page, and collects console errors and bad requests. */
export async function openPlayground({ width = 1280, height = 720, reducedMotion = 'no-preference', hasTouch = false, locale = 'en-US' } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const server = await startServer('dist', 0);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const page = await browser.newPage({ viewport: { width, height }, reducedMotion, hasTouch, locale });
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) {
      problems.push(`request to another origin: ${url}`);
    }
  });
  await page.goto(`${origin}/`);
  const close = async () => {
    await browser.close();
    await new Promise((ok) => server.close(ok));
  };
  return { page, problems, close };
}

/** The number a headline readout shows. */
export async function readout(page, key) {
  const text = await page.locator(`[data-readout="${key}"]`).textContent();
  return Number.parseFloat(text);
}

/** A fingerprint of a canvas's pixels, to tell whether it was redrawn. */
export async function canvasPixels(page, id) {
  return page.locator(`#${id}`).evaluate((c) => c.toDataURL());
}

/** Waits until the simulated-time readout reaches `seconds`. */
export async function waitForSimTime(page, seconds, timeout = 20_000) {
  await page.waitForFunction(
    (t) => Number.parseFloat(document.querySelector('[data-readout="sim-time"]')?.textContent) >= t,
    seconds,
    { timeout },
  );
}

/**
 * Points at a component of the topology and returns the tooltip's text. Positions
 * follow src/view/layout.rs: the balancer's centre, or the centre of the i-th shown server.
 */
export async function pointAt(page, part, { index = 0, servers = 4 } = {}) {
  const box = await page.locator('#topology').boundingBox();
  const h = box.height - 22;
  let x;
  let y;
  if (part === 'balancer') {
    x = 0.22 * box.width;
    y = h / 2;
  } else if (part === 'limiter') {
    x = 0.095 * box.width + 10;
    y = h / 2;
  } else if (part === 'write-queue') {
    x = 0.89 * box.width + 10;
    y = h / 2 - 35;
  } else if (part === 'database') {
    // The database frame's title line, above its nodes.
    x = 0.76 * box.width + 10;
    y = h / 2 + 12;
  } else {
    const row = (h - 16) / servers;
    const boxH = Math.min(70, Math.max(18, row - 6));
    x = 0.53 * box.width;
    y = 8 + row * index + (row - boxH) / 2 + boxH / 2;
  }
  await page.mouse.move(box.x + x, box.y + y);
  const tip = page.locator('.tooltip');
  await tip.waitFor({ timeout: 5_000 });
  return tip.textContent();
}

/** Opens `text` as a scenario file named `name`, as a user's file picker would. */
export async function importFile(page, name, text) {
  await page.locator('#import-file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

/**
 * The intervals between requestAnimationFrame callbacks over `seconds`, recorded in the
 * page: a frame whose work overruns shows as a long interval.
 */
export async function frameIntervals(page, seconds) {
  return page.evaluate((seconds) => new Promise((done) => {
    const stamps = [];
    const tick = (t) => {
      stamps.push(t);
      if (t - stamps[0] < seconds * 1000) requestAnimationFrame(tick);
      else done(stamps.slice(1).map((s, i) => s - stamps[i]));
    };
    requestAnimationFrame(tick);
  }), seconds);
}
