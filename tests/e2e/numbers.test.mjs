// The headline's numbers mean what they say. "errors" is what clients saw fail: of the
// requests whose outcome their clients learned in the last window, the share refused or
// given up on (a core measure, WindowStats::error_share), so never above 100 %, even
// after an overload, when late answers keep coming back while few requests arrive (the
// old figure, refused + late over arrivals, passed 100 % there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, readout, waitForSimTime } from './browser.mjs';

test('errors stay a share of outcomes under overload and after it, with their parts beside them', () =>
  withPage(async (page) => {
    await waitForSimTime(page, 1);
    // Unbounded queues: the overload becomes a backlog that is answered late for long.
    await page.locator('#queue-bounded').uncheck();
    await page.locator('#arrival-rate').fill('3000');
    const start = await readout(page, 'sim-time');
    await waitForSimTime(page, start + 6);
    const overloaded = await readout(page, 'errors');
    assert.ok(overloaded > 40 && overloaded <= 100, `errors ${overloaded} % while overloaded`);
    const title = await page.locator('.figure', { has: page.locator('[data-readout="errors"]') }).getAttribute('title');
    assert.match(title, /refused \d+, gave up \d+; answered late \(wasted work\) \d+/);
    // The load drops: the backlog drains, answering late, while few arrive.
    await page.locator('#arrival-rate').fill('10');
    const seen = [];
    for (let i = 0; i < 16; i++) {
      await page.waitForTimeout(300);
      seen.push(await readout(page, 'errors'));
    }
    assert.ok(seen.every((e) => e >= 0 && e <= 100), `errors after the overload: ${seen}`);
  }, { width: 1600, height: 1000 }));
