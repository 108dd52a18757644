// The curves target as a figure: a 20-point × 3-replication sweep of the default
// scenario over the arrival rate, 100,000 measured requests per run (6 M requests, plus
// their warm-up), timed in headless Chromium from "Run the sweep" to "Done", with the
// stage's frame intervals meanwhile; and the same sweep by the native CLI (every core),
// timed in the same run. Run after a release build: `node tests/e2e/bench-curves.mjs`.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { frameIntervals, openPlayground } from './browser.mjs';

const { page, close } = await openPlayground({ width: 1280, height: 720 });
let browserSeconds;
let p95;
try {
  await page.locator('#curves-toggle').click();
  await page.locator('#curve-run').waitFor({ timeout: 20_000 });
  // Exactly 100,000 requests per run: no band wanted (0 %), so no point runs longer.
  for (const [id, value] of [['#curve-points', 20], ['#curve-requests', 100000], ['#curve-band', 0]]) {
    await page.locator(id).fill(String(value));
    await page.locator(id).press('Tab');
  }
  const started = Date.now();
  await page.locator('#curve-run').click();
  const intervals = await frameIntervals(page, 5);
  await page.locator('#curve-outcome').waitFor({ timeout: 600_000 });
  browserSeconds = (Date.now() - started) / 1000;
  const sorted = [...intervals].sort((a, b) => a - b);
  p95 = sorted[Math.floor(0.95 * sorted.length)];
} finally {
  await close();
}
const scenario = JSON.parse(execFileSync('target/release/loadlab', ['example']).toString());
scenario.curve = { setting: 'traffic.arrivals.rate', from: 150, to: 900, points: 20, replications: 3, requests: 100000, measure: 'mean_latency' };
writeFileSync('/tmp/loadlab-bench-curve.json', JSON.stringify(scenario));
const started = Date.now();
execFileSync('target/release/loadlab', ['sweep', '/tmp/loadlab-bench-curve.json']);
const nativeSeconds = (Date.now() - started) / 1000;
console.log(`curve 20 × 3 × 100,000 requests: Chromium (one worker) ${browserSeconds.toFixed(1)} s, native CLI (all cores) ${nativeSeconds.toFixed(1)} s, ratio ${(browserSeconds / nativeSeconds).toFixed(2)}; stage frame intervals p95 ${p95.toFixed(1)} ms during the sweep`);
