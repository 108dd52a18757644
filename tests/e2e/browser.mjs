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
export async function openPlayground({ width = 1280, height = 720 } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const server = await startServer('dist', 0);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const page = await browser.newPage({ viewport: { width, height } });
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
