// Browser benchmark (not a test: it prints figures): frame times of the playground in
// headless Chromium with about 3,000 requests in flight and every chart live, and the
// time from navigation to the first painted frame. Run by scripts/bench after a build:
//   node tests/e2e/bench-frames.mjs
// Frame times are the intervals between requestAnimationFrame callbacks, recorded by a
// script in the page: a frame whose work overruns 16.7 ms shows as a longer interval.
import { frameIntervals, openPlayground, readout } from './browser.mjs';

const SECONDS = 10;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function frameTimes(page) {
  const intervals = await frameIntervals(page, SECONDS);
  const sorted = [...intervals].sort((a, b) => a - b);
  const over = intervals.filter((d) => d > 16.7 * 1.5).length;
  return {
    frames: intervals.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1],
    dropped: over,
    work: await page.locator('main').getAttribute('data-frame-p95'),
  };
}

const fmt = (r) =>
  `${r.frames} frames in ${SECONDS} s, intervals p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, ` +
  `p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms, ${r.dropped} over 25 ms; ` +
  `work per frame p95 ${r.work} ms`;

const { page, problems, close } = await openPlayground({ width: 1280, height: 720 });
try {
  // The first rendered frame: the moment the headline strip exists, on the page's clock
  // (milliseconds since navigation started), and when the wasm finished downloading.
  const firstFrame = await page.evaluate(() => new Promise((done) => {
    const look = () => (document.querySelector('[data-readout="sim-time"]') ? done(performance.now()) : requestAnimationFrame(look));
    look();
  }));
  const wasm = await page.evaluate(() => performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'))?.responseEnd);
  console.log(`first frame: ${firstFrame.toFixed(0)} ms after navigation start (wasm downloaded at ${wasm.toFixed(0)} ms)`);

  // About 3,000 requests in flight: 3,000 closed-loop users, a slow database holding the
  // workers (sync I/O), and an unbounded queue so nobody is turned away.
  // Timeouts off first: users who give up would leave abandoned requests behind.
  await page.locator('#timeout-on').uncheck();
  await page.locator('#arrival-mode').selectOption('closed_loop');
  await page.locator('#users').fill('3000');
  await page.locator('#think-time').fill('0.01');
  await page.locator('#queue-bounded').uncheck();
  await page.locator('#db-disk').fill('0.1');
  await page.waitForFunction(() => Number(document.querySelector('[data-readout="in-flight"]')?.textContent) >= 2900, null, { timeout: 30_000 });
  console.log(`in flight: ${await readout(page, 'in-flight')} requests, every chart live`);
  for (const [speed, exponent] of [['0.1x', '-1'], ['1x', '0'], ['100x', '2']]) {
    await page.locator('#speed').fill(exponent);
    await page.waitForTimeout(1000);
    console.log(`frames at ${speed.padEnd(5)}: ${fmt(await frameTimes(page))}`);
  }
  console.log(`in flight at the end: ${await readout(page, 'in-flight')}`);

  // What the stage draws of them (a reload with ?scene, which publishes it; the scenario
  // is kept): requests drawn one by one, the rest counted in their queues.
  await page.goto(`${new URL(page.url()).origin}/?scene`);
  await page.locator('#speed').fill('0');
  await page.waitForFunction(() => Number(document.querySelector('[data-readout="in-flight"]')?.textContent) >= 2900, null, { timeout: 30_000 });
  const scene = await page.locator('#topology').evaluate((c) => JSON.parse(c.dataset.scene));
  const counted = scene.servers.reduce((n, s) => n + s.queueCounted, 0);
  const queued = scene.servers.reduce((n, s) => n + s.queueCore, 0);
  console.log(`stage: ${scene.inFlight} in flight, ${scene.items.length} drawn one by one (a busy slot or a request each), ` +
    `${counted} of ${queued} queued counted beyond the queues' cells`);
  if (problems.length) console.log(`problems: ${problems.join('; ')}`);
} finally {
  await close();
}
