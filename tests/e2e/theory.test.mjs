// Theory beside simulation, end to end: on lesson 3's preset (eight M/M/1 queues) the
// panel names the model and the simulated wait comes close to the formula; Little's law
// holds with both sides measured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, waitForSimTime, SCREENSHOTS, openLesson } from './browser.mjs';

const seconds = (text) => Number.parseFloat(text) / 1e3;

test('the theory panel compares M/M/1 with the simulation, and Little\'s law holds', () =>
  withPage(async (page) => {
    await openLesson(page, 'power-of-two-choices');
    await page.locator('#theory-model').waitFor();
    assert.match(await page.locator('#theory-model').textContent(), /^M\/M\/1 per server: λ = 90\.0\/s, μ = 100\.0\/s/);
    await page.locator('#speed').fill('1');
    await waitForSimTime(page, 40, 30_000);
    const theory = seconds(await page.locator('#theory-wait').textContent());
    const measured = seconds(await page.locator('#measured-wait').textContent());
    assert.ok(Math.abs(theory - 0.09) < 1e-6, `Wq = ρ/(μ − λ) = 90 ms, shown ${theory}`);
    assert.ok(Math.abs(measured / theory - 1) < 0.4, `simulated ${measured} vs ${theory}`);
    const l = Number(await page.locator('#little-l').textContent());
    const lw = Number(await page.locator('#little-lw').textContent());
    assert.ok(Math.abs(l / lw - 1) < 0.1, `L ${l} vs λW ${lw}`);
    await page.locator('#theory').screenshot({ path: `${SCREENSHOTS}/theory.png` });
  }));

test('one click loads the shape theory solves; after a backlog the panel waits for the system to settle', () =>
  withPage(async (page) => {
    await waitForSimTime(page, 1);
    // The default has a cache and a database: no model, and a button to get one.
    await page.locator('#theory-load-model').click();
    await page.locator('#theory-model').waitFor();
    assert.match(await page.locator('#theory-model').textContent(), /^M\/M\/4\/36 per server: λ = 150\.0\/s, μ = 100\.0\/s/);
    // Overload an unbounded queue for a while, then drop the load: a backlog drains.
    await page.locator('#queue-bounded').uncheck();
    await page.locator('#arrival-rate-typed').fill('600');
    await page.locator('#arrival-rate-typed').press('Enter');
    const start = Number(await page.locator('[data-readout="sim-time"]').getAttribute('data-value'));
    await waitForSimTime(page, start + 4);
    await page.locator('#arrival-rate-typed').fill('100');
    await page.locator('#arrival-rate-typed').press('Enter');
    await page.waitForFunction(() => /^Settling/.test(document.querySelector('#theory-windows').textContent));
    assert.equal(await page.locator('#little-l').count(), 0, 'no Little\'s law while it drains');
    await page.locator('#theory').screenshot({ path: `${SCREENSHOTS}/theory-settling.png` });
    // Once drained, the figures come back, measured since it settled, and agree.
    await page.waitForFunction(() => /since the system settled/.test(document.querySelector('#theory-windows').textContent), null, { timeout: 30_000 });
    await page.locator('#speed').fill('1');
    const now = Number(await page.locator('[data-readout="sim-time"]').getAttribute('data-value'));
    await waitForSimTime(page, now + 20, 30_000);
    const l = Number(await page.locator('#little-l').textContent());
    const lw = Number(await page.locator('#little-lw').textContent());
    assert.ok(Math.abs(l / lw - 1) < 0.15, `L ${l} vs λW ${lw}`);
  }));

test('lesson 6: an overloaded unbounded queue has no steady state; bounded, it is M/M/4/24', () =>
  withPage(async (page) => {
    await openLesson(page, 'bounded-queues-and-shedding');
    await waitForSimTime(page, 1);
    // 480/s against 4 workers of 100/s: the queue grows by 80 a second, and the panel says so.
    await page.waitForFunction(() => /grows by 80 requests a second/.test(document.querySelector('#theory-why')?.textContent ?? ''));
    assert.equal(await page.locator('#theory-load-model').count(), 0, 'no shape to load: the load itself is saturated');
    await page.locator('#lesson-try').click();
    await page.locator('#theory-model').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('#theory-model').textContent(), /^M\/M\/4\/24 per server: λ = 480\.0\/s, μ = 100\.0\/s/);
    assert.equal(await page.locator('#theory-why').count(), 0);
  }));
