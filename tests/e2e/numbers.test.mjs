// The headline's numbers mean what they say. "errors" is what clients saw fail: of the
// requests whose outcome their clients learned in the last window, the share refused or
// given up on (a core measure, WindowStats::error_share), so never above 100 %, even
// after an overload, when late answers keep coming back while few requests arrive (the
// old figure, refused + late over arrivals, passed 100 % there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, readout, waitForSimTime, SCREENSHOTS, openLesson } from './browser.mjs';

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
    // Where there is room, the failures by how beside the share.
    assert.match(await page.locator('#errors-parts').textContent(), /^\d+ refused · \d+ gave up$/);
    // The load drops: the backlog drains, answering late, while few arrive.
    await page.locator('#arrival-rate').fill('10');
    const seen = [];
    for (let i = 0; i < 16; i++) {
      await page.waitForTimeout(300);
      seen.push(await readout(page, 'errors'));
    }
    assert.ok(seen.every((e) => e >= 0 && e <= 100), `errors after the overload: ${seen}`);
  }, { width: 1600, height: 1000 }));

test('a spike says what it does while it runs: the rate offered now and a countdown', () =>
  withPage(async (page) => {
    await waitForSimTime(page, 1);
    const status = page.locator('#traffic .status');
    assert.equal(await status.count(), 0, 'no spike, no status');
    await page.locator('#spike').click();
    // The default offers 600 req/s; the spike triples it for 10 simulated seconds.
    await status.waitFor();
    const first = await status.textContent();
    assert.match(first, /^spike ×3: 1800 req\/s offered, (10|9) s left$/);
    await page.waitForTimeout(2_500);
    const later = Number((await status.textContent()).match(/(\d+) s left/)[1]);
    assert.ok(later <= 8 && later >= 5, `counting down: ${first} then ${later} s left`);
    await page.screenshot({ path: `${SCREENSHOTS}/spike-running.png` });
    // Ten times faster, the spike ends and its status goes.
    await page.locator('#speed').fill('1');
    await status.waitFor({ state: 'detached', timeout: 5_000 });
  }, { width: 1280, height: 720 }));

test('every slider has a number field: a typed value applies, a bad one is explained and changes nothing', () =>
  withPage(async (page) => {
    await waitForSimTime(page, 0.5);
    const rate = page.locator('#arrival-rate-typed');
    assert.equal(await rate.inputValue(), '600');
    // An exact value, put on the slider's grid of 10 req/s.
    await rate.fill('1234');
    await rate.press('Enter');
    await page.waitForFunction(() => document.querySelector('#arrival-rate').value === '1230');
    assert.equal(await rate.inputValue(), '1230');
    // Out of range: said under the field, and the run keeps its rate.
    await rate.fill('99999');
    await rate.press('Enter');
    const problem = page.locator('#arrival-rate-problem');
    assert.equal(await problem.textContent(), 'Type a number from 0 to 3000 req/s; nothing was changed.');
    assert.equal(await page.locator('#arrival-rate').inputValue(), '1230');
    await page.screenshot({ path: `${SCREENSHOTS}/slider-typed-refused.png` });
    // A good value clears the message, typed as slowly as a person types: the page's
    // four refreshes a second do not put the old value back meanwhile.
    await rate.fill('');
    await rate.pressSequentially('600', { delay: 400 });
    assert.equal(await rate.inputValue(), '600');
    await rate.press('Enter');
    await problem.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.querySelector('#arrival-rate').value === '600');
    // Seconds are typed in ms, as the page shows them.
    const service = page.locator('#service-time-typed');
    await service.fill('20');
    await service.press('Enter');
    await page.waitForFunction(() => document.querySelector('#service-time').value === '0.02');
    // Every slider but the speed's (a logarithmic scale) has one, with its unit.
    const ranges = await page.locator('input[type="range"]').evaluateAll((all) =>
      all.map((r) => [r.id, !!document.getElementById(`${r.id}-typed`)]));
    assert.deepEqual(ranges.filter(([id, typed]) => !typed).map(([id]) => id), ['speed']);
  }, { width: 1280, height: 720 }));

test('ten quick changes: numbered marks on the charts never overlap, and the list says each in the controls\' words', () =>
  withPage(async (page) => {
    await waitForSimTime(page, 2);
    const rate = page.locator('#arrival-rate-typed');
    for (let i = 1; i <= 10; i++) {
      // As fast as the page takes them: each typed value applied before the next.
      await rate.fill(String(600 + 10 * i));
      await rate.press('Enter');
      await page.waitForFunction((v) => document.querySelector('#arrival-rate').value === v, String(600 + 10 * i));
    }
    const list = page.locator('#marks-list li');
    await page.waitForFunction(() => document.querySelectorAll('#marks-list li').length === 10);
    // Newest first, worded with the slider's own label.
    assert.match(await list.first().textContent(), /^10\s*\d+:\d\d\.\d\s*Arrival rate: 690 → 700 req\/s$/);
    assert.match(await list.last().textContent(), /^1\s*\d+:\d\d\.\d\s*Arrival rate: 600 → 610 req\/s$/);
    // The charts redraw with the marks once a window closes (on a busy machine the ten
    // changes may span windows: wait for the window after the last).
    await page.waitForFunction(() => ['chart-latency', 'chart-throughput', 'chart-queues'].every((id) =>
      /("|–)10"\]\]$/.test(document.getElementById(id)?.dataset.marks ?? '')));
    for (const id of ['chart-latency', 'chart-throughput', 'chart-queues']) {
      const badges = JSON.parse(await page.locator(`#${id}`).getAttribute('data-marks'));
      const numbers = badges.flatMap(([, , , , text]) => {
        const [a, b = a] = text.split('–').map(Number);
        return Array.from({ length: b - a + 1 }, (_, k) => a + k);
      });
      assert.deepEqual(numbers, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], `${id}: ${JSON.stringify(badges)}`);
      for (const [i, [x, y, w, h]] of badges.entries()) {
        for (const [x2, y2, w2, h2] of badges.slice(i + 1)) {
          const apart = x + w <= x2 || x2 + w2 <= x || y + h <= y2 || y2 + h2 <= y;
          assert.ok(apart, `${id}: badges overlap ${JSON.stringify(badges)}`);
        }
      }
    }
    await page.screenshot({ path: `${SCREENSHOTS}/marks-ten-changes.png` });
    // Lesson 9's change marks too.
    await openLesson(page, 'stampede-and-coalescing');
    await page.locator('#lesson-try').click();
    await page.waitForFunction(() => /single flight: on/.test(document.querySelector('#marks-list')?.textContent));
  }, { width: 1280, height: 720, path: '/?scene' }));

test('controls that cannot act are disabled and say why', () =>
  withPage(async (page) => {
    await waitForSimTime(page, 0.5);
    assert.equal(await page.locator('#db-split').isDisabled(), false);
    await page.locator('#db-replicas-typed').fill('0');
    await page.locator('#db-replicas-typed').press('Enter');
    await page.locator('#db-split-why').waitFor();
    assert.equal(await page.locator('#db-split').isDisabled(), true);
    assert.equal(await page.locator('#db-lag').isDisabled(), true);
    assert.match(await page.locator('#db-split-why').textContent(), /No read replicas/);
    // Threads no more than cores: no switching to pay for.
    assert.equal(await page.locator('#switch-overhead').isDisabled(), true);
    assert.match(await page.locator('#switch-overhead-why').textContent(), /beyond the cores/);
    await page.locator('#workers-typed').fill('16');
    await page.locator('#workers-typed').press('Enter');
    await page.waitForFunction(() => !document.querySelector('#switch-overhead').disabled);
    await page.screenshot({ path: `${SCREENSHOTS}/disabled-with-reasons.png` });
  }, { width: 1280, height: 720 }));

test('the cost per hour is the default prices summed by hand, and follows a change', () =>
  withPage(async (page) => {
    await waitForSimTime(page, 3);
    // 4 servers × 4 cores at 0.04; a shared cache of 1,000 entries of 4 KB at 0.02 a
    // GB-hour; 3 database nodes at 0.5; ~600 arrivals a second at 0.4 a million.
    const byHand = (servers) => servers * 4 * 0.04 + 0.004096 * 0.02 + 3 * 0.5 + 600 * 3600 * 0.4e-6;
    const cost = await readout(page, 'cost');
    assert.ok(Math.abs(cost - byHand(4)) < 0.1, `cost ${cost} vs ${byHand(4)}`);
    assert.match(await page.locator('#cost-parts').textContent(), /per million good/);
    await page.locator('#add-server').click();
    await waitForSimTime(page, (await readout(page, 'sim-time')) + 1.5);
    const more = await readout(page, 'cost');
    assert.ok(Math.abs(more - byHand(5)) < 0.1, `cost ${more} vs ${byHand(5)} with a fifth server`);
  }));
