// The walking skeleton end to end: the page loads without error, the simulation runs,
// and moving the arrival-rate slider changes the numbers and the chart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPlayground, readout, canvasPixels, SCREENSHOTS } from './browser.mjs';

test('the arrival-rate slider changes throughput and the chart', async () => {
  const { page, problems, close } = await openPlayground();
  try {
    // The first window closes after one simulated second at 1x speed.
    await page.waitForFunction(
      () => Number.parseFloat(document.querySelector('[data-readout="throughput"]')?.textContent) > 0,
      null,
      { timeout: 15_000 },
    );
    // Let a few windows close so the default rate (600 req/s) has settled.
    await page.waitForFunction(
      () => Number.parseFloat(document.querySelector('[data-readout="sim-time"]')?.textContent) >= 3,
      null,
      { timeout: 15_000 },
    );
    const before = await readout(page, 'throughput');
    assert.ok(before > 450 && before < 750, `throughput at 600 req/s offered: ${before}`);
    const chartBefore = await canvasPixels(page, 'chart');
    await page.screenshot({ path: `${SCREENSHOTS}/01-running.png` });

    await page.locator('#arrival-rate').fill('150');
    assert.match(await page.locator('#arrival-rate-value').textContent(), /^150 req\/s$/);
    const changedAt = await readout(page, 'sim-time');
    // Two full windows after the change, throughput reflects the new rate.
    await page.waitForFunction(
      (t) => Number.parseFloat(document.querySelector('[data-readout="sim-time"]')?.textContent) >= t + 2.5,
      changedAt,
      { timeout: 15_000 },
    );
    const after = await readout(page, 'throughput');
    assert.ok(after > 60 && after < 260, `throughput at 150 req/s offered: ${after}`);
    assert.notEqual(await canvasPixels(page, 'chart'), chartBefore, 'the chart was not redrawn');
    await page.screenshot({ path: `${SCREENSHOTS}/02-after-rate-change.png` });

    // The slider is usable by keyboard: one arrow step is 10 req/s.
    await page.locator('#arrival-rate').focus();
    await page.keyboard.press('ArrowRight');
    assert.match(await page.locator('#arrival-rate-value').textContent(), /^160 req\/s$/);

    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
