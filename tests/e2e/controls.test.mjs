// Controls near their effects: the settings groups fold to their titles (traffic and
// servers open, and the lesson's groups), so the column stays short; while comparing,
// the A/B table stays in view as B's settings change further down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, waitForSimTime, SCREENSHOTS, openLesson, pointAt } from './browser.mjs';

const isOpen = (page, id) => page.locator(`#${id}`).evaluate((d) => d.open);

test('groups fold, the lesson\'s open, and the A/B table stays in view while B changes', () =>
  withPage(async (page) => {
    await waitForSimTime(page, 0.5);
    const open = {};
    for (const id of ['traffic', 'servers', 'balancer-group', 'cache', 'database', 'protection']) {
      open[id] = await isOpen(page, id);
    }
    assert.deepEqual(open, {
      traffic: true, servers: true, 'balancer-group': false, cache: false, database: false, protection: false,
    });
    const column = await page.locator('#controls').evaluate((c) => c.scrollHeight);
    console.log(`controls column at 1600×1000, groups folded: ${column} px`);
    assert.ok(column < 2000, `the column is ${column} px tall`);
    // A reader opens a folded group by its title.
    await page.locator('#database > summary').click();
    assert.equal(await isOpen(page, 'database'), true);
    // The lesson's groups open.
    await openLesson(page, 'cache-eviction');
    await page.waitForFunction(() => document.querySelector('#cache').open);
    // Comparing: change B far down the column; the table is still on screen.
    await page.locator('#compare-start').click();
    await page.locator('#compare-figures').waitFor();
    await page.locator('#db-replicas-typed').scrollIntoViewIfNeeded();
    await page.locator('#db-replicas-typed').fill('1');
    await page.locator('#db-replicas-typed').press('Enter');
    await page.waitForFunction(() => /Read replicas/.test(document.querySelector('#compare-differences')?.textContent));
    // What is on screen at the throughput row is that row: nothing covers or cuts it.
    const row = page.locator('#compare-figures tr[data-figure="throughput"]');
    const seen = await row.evaluate((tr) => {
      const r = tr.getBoundingClientRect();
      const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return tr.contains(hit);
    });
    assert.ok(seen, 'the A/B table is in view');
    const field = await page.locator('#db-replicas-typed').boundingBox();
    const table = await row.boundingBox();
    assert.ok(field.y > table.y + table.height, 'the field changed is below the table, both on screen');
    await page.screenshot({ path: `${SCREENSHOTS}/controls-compare-sticky.png` });
  }, { width: 1600, height: 1000, unfold: false }));

test('the stage\'s parts are reached by keyboard, with the details hovering shows', () =>
  withPage(async (page) => {
    await waitForSimTime(page, 1);
    // Tab to the stage (from the last control before it), then arrows visit the parts.
    await page.locator('#topology').focus();
    const before = Number(await page.locator('[data-readout="sim-time"]').getAttribute('data-value'));
    await page.locator('#play').click();
    await page.locator('#topology').focus();
    await page.keyboard.press('ArrowRight');
    const tip = page.locator('.tooltip');
    await tip.waitFor();
    assert.match(await tip.textContent(), /clients/i);
    await page.keyboard.press('ArrowRight');
    assert.match(await tip.textContent(), /balancer/i);
    await page.keyboard.press('ArrowRight');
    assert.match(await tip.textContent(), /server 0/i);
    await page.keyboard.press('ArrowLeft');
    assert.match(await tip.textContent(), /balancer/i);
    // The arrows moved between parts; they did not step the paused run. (The headline
    // is refreshed a few times a second, so it may show the moment of the pause only
    // after a refresh: read it once it holds still.)
    const shownTime = async () => Number(await page.locator('[data-readout="sim-time"]').getAttribute('data-value'));
    let paused = await shownTime();
    for (;;) {
      await page.waitForTimeout(300);
      const again = await shownTime();
      if (again === paused) break;
      paused = again;
    }
    assert.ok(paused >= before);
    await page.keyboard.press('ArrowRight');
    assert.equal(Number(await page.locator('[data-readout="sim-time"]').getAttribute('data-value')), paused);
    await page.screenshot({ path: `${SCREENSHOTS}/stage-keyboard.png` });
    await page.keyboard.press('Escape');
    await tip.waitFor({ state: 'hidden' });
  }, { width: 1280, height: 720 }));

test('autoscaling: switched on in the Servers group, it asks for servers that boot before they serve', () =>
  withPage(async (page) => {
    await page.locator('#autoscale').check();
    await page.locator('#autoscale-metric').selectOption('workers');
    const set = async (id, v) => {
      const field = page.locator(`#${id}-typed`);
      await field.fill(String(v));
      await field.press('Enter');
    };
    await set('autoscale-boot', 20);
    await set('arrival-rate', 2500);
    await page.locator('#speed').fill('1');
    // Read every 5 s: the first step is marked, and the server it asked for boots.
    await page.locator('#marks-list li', { hasText: 'Autoscaling: 4 → 5 servers' }).waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('#server-count-typed').inputValue(), '5', 'the control follows the count');
    assert.match(await pointAt(page, 'server', { index: 4 }), /booting/);
    // Booting, it holds nothing: the stage draws no request in it.
    const drawn = await page.locator('#topology').evaluate((c) => JSON.parse(c.dataset.scene));
    const booting = drawn.servers.find((s) => s.index === 4);
    assert.deepEqual([booting.busyDrawn, booting.queueDrawn, booting.busyCore], [0, 0, 0]);
  }, { path: '/?scene' }));
