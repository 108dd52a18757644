// Shared set-up for end-to-end tests: the built page served on a free port, Debian's
// Chromium driven by playwright-core, and a record of everything that went wrong.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
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

/**
 * Serves dist/, opens the page at `path` (`/?scene` publishes what the stage draws), and
 * collects console errors and bad requests. With `unfold` (the default) every settings
 * group is opened as it appears, so a test reaches any control as a reader who opened
 * its group would; `unfold: false` keeps the page's own folding.
 */
export async function openPlayground({ width = 1280, height = 720, reducedMotion = 'no-preference', hasTouch = false, locale = 'en-US', path = '/', unfold = true } = {}) {
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
  // A load the page's own navigation cancelled (a test moving on to the next link while
  // the icon or a glyph file is on its way) is no failure; anything else is.
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()}`);
  });
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) {
      problems.push(`request to another origin: ${url}`);
    }
  });
  if (unfold) {
    await page.addInitScript(() => {
      const open = () => document.querySelectorAll('details.group:not([data-unfolded])').forEach((d) => {
        d.open = true;
        d.dataset.unfolded = '';
      });
      new MutationObserver(open).observe(document, { childList: true, subtree: true });
    });
  }
  await page.goto(`${origin}${path}`);
  const close = async () => {
    await browser.close();
    await new Promise((ok) => server.close(ok));
  };
  return { page, problems, close };
}

/**
 * Runs `body(page, problems)` on a fresh playground, and closes the browser whatever
 * happens. Options: those of openPlayground; `warmUp`, simulated seconds to wait for
 * before the body; `screenshot`, a name to save the page under after it; and
 * `bodyChecksProblems`, for a body that judges what went wrong itself (otherwise nothing
 * may have: no console error, failed request or request to another origin).
 */
export async function withPage(body, { warmUp = 0, screenshot, bodyChecksProblems = false, ...options } = {}) {
  const { page, problems, close } = await openPlayground(options);
  try {
    if (warmUp > 0) await waitForSimTime(page, warmUp);
    await body(page, problems);
    if (screenshot) await page.screenshot({ path: `${SCREENSHOTS}/${screenshot}.png` });
    if (!bodyChecksProblems) assert.deepEqual(problems, []);
  } finally {
    await close();
  }
}

/** Picks lesson `id` in the list and starts it (picking alone changes nothing). */
export async function openLesson(page, id) {
  await page.locator('#lesson').selectOption(id);
  await page.locator('#lesson-start').click();
}

/** The number a headline readout shows (its exact value where it is written as a clock). */
export async function readout(page, key) {
  const figure = page.locator(`[data-readout="${key}"]`);
  const text = (await figure.getAttribute('data-value')) ?? (await figure.textContent());
  return Number.parseFloat(text);
}

/** A fingerprint of a canvas's pixels, to tell whether it was redrawn. */
export async function canvasPixels(page, id) {
  return page.locator(`#${id}`).evaluate((c) => c.toDataURL());
}

/** Waits until the simulated-time readout reaches `seconds`. */
export async function waitForSimTime(page, seconds, timeout = 20_000) {
  await page.waitForFunction(
    (t) => Number.parseFloat(document.querySelector('[data-readout="sim-time"]')?.dataset.value) >= t,
    seconds,
    { timeout },
  );
}

/**
 * Where a part of the topology is on the page: the centre of its box as the page
 * publishes it (`data-parts` on the canvas, CSS pixels from the canvas's content box),
 * read after the next frame has drawn the current state. `part` is a key of data-parts
 * ('balancer', 'limiter', 'write-queue', ...), or 'server' with `index`; 'database' is
 * its frame's title line, above its nodes, where the database as a whole is named.
 */
export async function partPoint(page, part, { index = 0 } = {}) {
  await page.evaluate(() => new Promise((drawn) => requestAnimationFrame(() => drawn())));
  const canvas = page.locator('#topology[data-parts]');
  return canvas.evaluate((el, [part, index]) => {
    const parts = JSON.parse(el.dataset.parts);
    const [x, y, w, h] = parts[part === 'server' ? `server-${index}` : part];
    const page = el.getBoundingClientRect();
    const left = page.left + el.clientLeft;
    const top = page.top + el.clientTop;
    if (part !== 'database') return { x: left + x + w / 2, y: top + y + h / 2 };
    const nodes = Object.keys(parts).filter((k) => k.startsWith('db-node-'));
    const nodesTop = Math.min(y + h, ...nodes.map((k) => parts[k][1]));
    return { x: left + x + w / 2, y: top + (y + nodesTop) / 2 };
  }, [part, index]);
}

/** Points at a part of the topology (see partPoint) and returns the tooltip's text. */
export async function pointAt(page, part, options) {
  const { x, y } = await partPoint(page, part, options);
  await page.mouse.move(x, y);
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

/**
 * Decodes an 8-bit RGBA PNG (what a canvas exports) into { width, height, pixel(x, y) },
 * with Node's zlib: enough to look at what an export drew.
 */
export function decodePng(bytes) {
  let at = 8;
  let width = 0;
  let height = 0;
  const data = [];
  while (at < bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      [width, height] = [body.readUInt32BE(0), body.readUInt32BE(4)];
      if (body[8] !== 8 || body[9] !== 6 || body[12] !== 0) throw new Error('not an 8-bit RGBA PNG');
    }
    if (type === 'IDAT') data.push(body);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * 4;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= 4 ? out[y * stride + x - 4] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= 4 && y > 0 ? out[(y - 1) * stride + x - 4] : 0;
      const [pa, pb, pc] = [a, b, c].map((q) => Math.abs(a + b - c - q));
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      const predicted = [0, a, b, (a + b) >> 1, paeth][filter];
      out[y * stride + x] = (v + predicted) & 0xff;
    }
  }
  return { width, height, pixel: (x, y) => [...out.subarray((y * width + x) * 4, (y * width + x) * 4 + 4)] };
}
