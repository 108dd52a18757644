// A/B comparison: two runs of the same seed advance in step; with nothing changed
// their figures agree exactly, and a change to B starts both again and shows up as a
// named difference and a judged gap in the figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, SCREENSHOTS, waitForSimTime } from './browser.mjs';

/** The A, B and difference cells of a figure's row. */
async function row(page, figure) {
  const cells = page.locator(`#compare-figures tr[data-figure="${figure}"] td`);
  const [a, b, diff] = await cells.allTextContents();
  const cls = await cells.nth(2).getAttribute('class');
  return { a: Number.parseFloat(a), b: Number.parseFloat(b), diff, cls };
}

test('the same settings give the same figures, to the last digit', () =>
  withPage(async (page) => {
    await page.locator('#compare-start').click();
    await page.locator('#compare-badge').waitFor();
    assert.match(await page.locator('#compare-differences').textContent(), /Nothing yet/);
    await waitForSimTime(page, 5);
    for (const figure of ['throughput', 'goodput', 'p50', 'p99', 'errors', 'hit-rate', 'utilisation']) {
      const r = await row(page, figure);
      assert.equal(r.a, r.b, `${figure}: A ${r.a}, B ${r.b}`);
      assert.match(r.diff, /^\+0(\.0)?( \(\+0 %\))?$/, figure);
      assert.ok(!r.cls, `${figure} judged ${r.cls}`);
    }
    // A spike is an action on B alone: what B changes now says so.
    await page.locator('#spike').click();
    await page.waitForFunction(() => /traffic\.arrivals\.schedule/.test(document.querySelector('#compare-differences').textContent));
  }));

test('a lesson change made in B restarts both and B shows the gain', () =>
  withPage(async (page) => {
    await page.locator('#lesson').selectOption('thread-pool-sizing');
    await page.locator('#compare-start').click();
    await waitForSimTime(page, 3);
    await page.locator('#lesson-try').click();
    // Both started again from zero, and the difference is named as the file names it.
    assert.ok(Number.parseFloat(await page.locator('[data-readout="sim-time"]').getAttribute('data-value')) < 2);
    assert.match(await page.locator('#compare-differences').textContent(), /servers\.workers: 2 → 10/);
    await speedUp(page);
    await waitForSimTime(page, 15, 30_000);
    const throughput = await row(page, 'throughput');
    assert.ok(throughput.b > 1.5 * throughput.a, `A ${throughput.a}, B ${throughput.b}`);
    assert.equal(throughput.cls, 'better');
    assert.match(throughput.diff, /better/);
    await page.screenshot({ path: `${SCREENSHOTS}/compare.png` });

    // Stopping keeps B, running on.
    await page.locator('#compare-stop').click();
    await page.locator('#compare-start').waitFor();
    assert.equal(await page.locator('#compare-badge').count(), 0);
    assert.equal(await page.locator('#workers').inputValue(), '10');
  }, { width: 1600, height: 1000 }));

/** Ten times real time, so the runs gather figures quickly. */
async function speedUp(page) {
  await page.locator('#speed').fill('1');
  await page.locator('#speed').dispatchEvent('input');
}
