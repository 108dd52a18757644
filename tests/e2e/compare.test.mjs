// A/B comparison: two runs of the same seed advance in step; with nothing changed
// their figures agree exactly, and a change to B starts both again and shows up as a
// named difference and a judged gap in the figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, SCREENSHOTS, waitForSimTime, openLesson } from './browser.mjs';

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
    // The headline says which run it shows.
    assert.equal(await page.locator('#headline-run .value').textContent(), 'B (A alongside)');
    await waitForSimTime(page, 5);
    // Before ten windows nothing is judged.
    assert.match((await row(page, 'p99')).diff, /measuring…$/);
    await speedUp(page);
    await waitForSimTime(page, 12, 20_000);
    for (const figure of ['throughput', 'goodput', 'p50', 'p99', 'errors', 'hit-rate', 'utilisation', 'cost-per-hour', 'cost-per-million-good']) {
      const r = await row(page, figure);
      assert.equal(r.a, r.b, `${figure}: A ${r.a}, B ${r.b}`);
      // Equal runs are "the same"; utilisation has no better direction, so no verdict.
      const verdict = figure === 'utilisation' ? '' : ' = same';
      assert.match(r.diff, new RegExp(`^\\+0(\\.00?)?( \\(\\+0 %\\))?${verdict}$`), `${figure}: ${r.diff}`);
      assert.equal(r.cls ?? '', figure === 'utilisation' ? '' : 'same', figure);
    }
    assert.match(await page.locator('#compare-rule').textContent(), /beyond chance/);
    // A spike is an action on B alone: what B changes now says so, by the control's label.
    await page.locator('#spike').click();
    await page.waitForFunction(() => /^Load: \[\] → \[/.test(document.querySelector('#compare-differences li')?.textContent));
    assert.equal(await page.locator('#compare-differences li').getAttribute('title'), 'traffic.arrivals.schedule');
  }));

test('a lesson change made in B restarts both and B shows the gain', () =>
  withPage(async (page) => {
    await openLesson(page, 'thread-pool-sizing');
    await page.locator('#compare-start').click();
    await waitForSimTime(page, 3);
    await page.locator('#lesson-try').click();
    // Both started again from zero, and the difference is named by its control.
    assert.ok(Number.parseFloat(await page.locator('[data-readout="sim-time"]').getAttribute('data-value')) < 2);
    assert.match(await page.locator('#compare-differences').textContent(), /Worker threads: 2 → 10/);
    await speedUp(page);
    await waitForSimTime(page, 15, 30_000);
    const throughput = await row(page, 'throughput');
    assert.ok(throughput.b > 1.5 * throughput.a, `A ${throughput.a}, B ${throughput.b}`);
    assert.equal(throughput.cls, 'better');
    assert.match(throughput.diff, /▲ better$/);
    const p99 = await row(page, 'p99');
    assert.equal(p99.cls, 'better', `p99 A ${p99.a}, B ${p99.b}: ${p99.diff}`);
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
