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
