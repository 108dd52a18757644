// The playground end to end in headless Chromium: every control group changes the
// running simulation, time controls behave, the layout holds, and nothing errs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, readout, canvasPixels, partPoint, waitForSimTime, pointAt, SCREENSHOTS } from './browser.mjs';

/** `body` on a playground 1.2 simulated seconds in; the page saved as `name` after. */
const playground = (name, body, options) => withPage(body, { warmUp: 1.2, screenshot: name, ...options });

test('the arrival-rate slider changes throughput and the charts', () =>
  playground('traffic-rate', async (page) => {
    await waitForSimTime(page, 3);
    const before = await readout(page, 'throughput');
    assert.ok(before > 450 && before < 750, `throughput at 600 req/s offered: ${before}`);
    const chartBefore = await canvasPixels(page, 'chart-throughput');
    await page.locator('#arrival-rate').fill('150');
    assert.equal(await page.locator('#arrival-rate-typed').inputValue(), '150');
    const changedAt = await readout(page, 'sim-time');
    await waitForSimTime(page, changedAt + 2.5);
    const after = await readout(page, 'throughput');
    assert.ok(after > 60 && after < 260, `throughput at 150 req/s offered: ${after}`);
    assert.notEqual(await canvasPixels(page, 'chart-throughput'), chartBefore, 'the chart was not redrawn');
    // One arrow key on the focused slider is one step of 10 req/s.
    await page.locator('#arrival-rate').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('#arrival-rate-typed').inputValue(), '160');
  }));

test('traffic: closed-loop users replace the rate, and load follows the users', () =>
  playground('traffic-closed-loop', async (page) => {
    await page.locator('#arrival-mode').selectOption('closed_loop');
    await page.locator('#users').waitFor();
    assert.equal(await page.locator('#arrival-rate').count(), 0);
    await page.locator('#users').fill('50');
    const t = await readout(page, 'sim-time');
    await waitForSimTime(page, t + 3);
    // 50 users thinking 0.3 s and waiting ~0.03 s: about 150 req/s.
    const x = await readout(page, 'throughput');
    assert.ok(x > 100 && x < 200, `closed-loop throughput ${x}`);
  }));

test('load balancer: a new algorithm applies at once', () =>
  playground('balancer', async (page) => {
    const spread = await canvasPixels(page, 'chart-spread');
    await page.locator('#balancer').selectOption('least_connections');
    assert.match(await pointAt(page, 'balancer'), /Balancer: least connections/);
    // The change is marked on the charts at once.
    await page.waitForFunction((before) => document.querySelector('#chart-spread').toDataURL() !== before, spread);
    await page.locator('#balancer').selectOption('consistent_hash');
    await page.locator('#hash-on').waitFor();
    assert.match(await pointAt(page, 'balancer'), /Balancer: consistent hashing/);
  }));

test('servers: a killed server is greyed, fails requests, and is routed around', () =>
  playground('servers-kill', async (page) => {
    // At 300 req/s three servers cope, so once the dead one is routed around, nothing fails.
    await page.locator('#arrival-rate').fill('300');
    await page.locator('#kill-1').click();
    assert.equal(await page.locator('#kill-1').textContent(), 'Revive 1');
    assert.match(await pointAt(page, 'server', { index: 1 }), /statedead/);
    const killedAt = await readout(page, 'sim-time');
    // Until the balancer notices (2 failed checks, 2 s apart), a quarter of requests fail.
    await waitForSimTime(page, killedAt + 1.6);
    assert.ok((await readout(page, 'errors')) > 5, 'requests to the dead server fail');
    await waitForSimTime(page, killedAt + 6.5);
    assert.match(await pointAt(page, 'balancer'), /servers in pool3/);
    assert.equal(await readout(page, 'errors'), 0, 'routed around once noticed');
    await page.screenshot({ path: 'tests/e2e/screenshots/servers-routed-around.png' });
    // Weights: a bad list is refused beside the field; a good one that does not match
    // the server count is refused by the engine, with the field named.
    await page.locator('#weights').fill('5, x');
    await page.locator('#weights').press('Enter');
    await page.locator('#weights').blur();
    await page.locator('.field-error').waitFor();
    await page.locator('#weights').fill('5, 1');
    await page.locator('#weights').blur();
    assert.match(await page.locator('#servers .error').last().textContent(), /servers\.weights/);
    await page.locator('#add-server').click();
    assert.match(await pointAt(page, 'balancer'), /servers in pool4/);
    await page.locator('#workers').fill('8');
    assert.match(await pointAt(page, 'server', { index: 0 }), /busy workers\d+\/8/);
  }));

test('cache: eviction policy, placement, and switching it off', () =>
  playground('cache', async (page) => {
    const hits = await canvasPixels(page, 'chart-hit-rate');
    await page.locator('#cache-policy').selectOption('lfu');
    await page.waitForFunction((before) => document.querySelector('#chart-hit-rate').toDataURL() !== before, hits);
    await page.locator('#cache-placement').selectOption('local');
    const t = await readout(page, 'sim-time');
    await waitForSimTime(page, t + 2);
    assert.ok((await readout(page, 'hit-rate')) > 0, 'local caches hit');
    await page.locator('#cache-on').uncheck();
    assert.equal(await page.locator('[data-readout="hit-rate"]').textContent(), '–');
    assert.equal(await page.locator('#cache-policy').count(), 0);
  }));

test('protection: a token bucket holds the load to its rate', () =>
  playground('protection', async (page) => {
    await page.locator('#rate-limit').selectOption('token_bucket');
    await page.locator('#rate-limit-rate').fill('300');
    const t = await readout(page, 'sim-time');
    await waitForSimTime(page, t + 3);
    const x = await readout(page, 'throughput');
    assert.ok(x > 250 && x < 350, `throughput behind a 300 req/s bucket: ${x}`);
    const errors = await readout(page, 'errors');
    assert.ok(errors > 40 && errors < 60, `half of 600 req/s turned away: ${errors} %`);
    // Requests turned away per simulated second over the next 3 s, from the limiter's details.
    const turnedAwayRate = async () => {
      const count = async () => Number((await pointAt(page, 'limiter')).match(/turned away \(total\)(\d+)/)[1]);
      const [n0, t0] = [await count(), await readout(page, 'sim-time')];
      await waitForSimTime(page, t0 + 3);
      const [n1, t1] = [await count(), await readout(page, 'sim-time')];
      return (n1 - n0) / (t1 - t0);
    };
    const calm = await turnedAwayRate();
    // Clients that retry every refusal (no budget) send more than they need to: the
    // rate limiter now sees well over 600 req/s and turns more away, though the share
    // of requests that finally fail, which the headline shows, barely moves.
    await page.locator('#retries-on').check();
    await page.locator('#retry-attempts').waitFor();
    const r = await readout(page, 'sim-time');
    await waitForSimTime(page, r + 2);
    const stormy = await turnedAwayRate();
    assert.ok(stormy > calm * 1.3, `retries amplify the refusals: ${stormy} /s vs ${calm} /s`);
  }));

test('protection: a circuit breaker opens when the database goes down', () =>
  playground('circuit-breaker', async (page) => {
    await page.locator('#breaker-on').check();
    await page.locator('#db-down').click();
    const t = await readout(page, 'sim-time');
    await waitForSimTime(page, t + 2.5);
    // Reads that miss the cache and every write fail while the database is down.
    assert.ok((await readout(page, 'errors')) > 20, 'misses and writes fail');
    await page.locator('#db-up').click();
    const up = await readout(page, 'sim-time');
    // The breaker stays open 2 s, then probes, then closes.
    await waitForSimTime(page, up + 5);
    assert.equal(await readout(page, 'errors'), 0, 'recovered');
  }));

test('database: lagging replicas serve stale reads, and the node chart follows the layout', () =>
  playground('database', async (page) => {
    await page.locator('#db-lag').fill('1');
    const t = await readout(page, 'sim-time');
    await waitForSimTime(page, t + 3);
    const tip = await pointAt(page, 'database');
    const stale = Number(/stale reads(\d+)/.exec(tip)?.[1]);
    assert.ok(stale > 0, `stale reads with 1 s of lag: ${tip}`);
    const nodes = await canvasPixels(page, 'chart-db-nodes');
    await page.locator('#db-shards').fill('3');
    await page.locator('#db-sharding').waitFor();
    await page.waitForFunction((before) => document.querySelector('#chart-db-nodes').toDataURL() !== before, nodes);
    await page.locator('#db-index').uncheck();
    await page.locator('#db-rows').waitFor();
    await page.locator('#db-queue').check();
    await page.locator('#db-consumers').waitFor();
    assert.match(await pointAt(page, 'write-queue'), /Write queuewaiting\d+/);
    await page.locator('#cache-coalesce').check();
    await page.locator('#db-locking').selectOption('optimistic');
    await page.locator('#db-conflict-retries').waitFor();
    await page.locator('#db-pool-timeout-on').uncheck();
    assert.equal(await page.locator('#db-pool-timeout').count(), 0);
    const u = await readout(page, 'sim-time');
    await waitForSimTime(page, u + 2);
    assert.match(await pointAt(page, 'database'), /reads \/ writes\d+ \/ \d+/);
  }));

test('a tap on a component shows its numbers, as hovering does', () =>
  playground('touch', async (page) => {
    const { x, y } = await partPoint(page, 'database');
    await page.touchscreen.tap(x, y);
    const tip = page.locator('.tooltip');
    await tip.waitFor({ timeout: 5_000 });
    assert.match(await tip.textContent(), /reads \/ writes/);
  }, { hasTouch: true }));

test('time: pause, step, keyboard, speed and fast-forward', () =>
  playground('time', async (page) => {
    await page.locator('#play').click();
    assert.equal(await page.locator('#play').getAttribute('aria-pressed'), 'false');
    // The headline refreshes every 250 ms: let it catch up with the pause first.
    await page.waitForTimeout(400);
    const paused = await readout(page, 'sim-time');
    await page.waitForTimeout(600);
    assert.equal(await readout(page, 'sim-time'), paused, 'paused time stands still');
    // Each step is 0.1 simulated seconds; the readout rounds to 0.1, hence the margin.
    const advanced = async () => (await readout(page, 'sim-time')) - paused;
    await page.locator('#step').click();
    assert.ok(Math.abs((await advanced()) - 0.1) < 0.11, `one step: ${await advanced()}`);
    // Keyboard: → steps, space plays (focus on the page, not a control).
    await page.locator('h1').click();
    await page.keyboard.press('ArrowRight');
    assert.ok(Math.abs((await advanced()) - 0.2) < 0.11, `two steps: ${await advanced()}`);
    await page.keyboard.press('Space');
    assert.equal(await page.locator('#play').getAttribute('aria-pressed'), 'true');
    // 100× real time: about 100 simulated seconds per wall-clock second.
    await page.locator('#speed').fill('2');
    const fast = await readout(page, 'sim-time');
    await waitForSimTime(page, fast + 60, 5_000);
    // Fast-forward 1 M requests (about 1,700 simulated seconds at 600 req/s), with progress.
    const before = await readout(page, 'sim-time');
    await page.locator('#ff-requests').selectOption('1000000');
    await page.locator('#fast-forward').click();
    await page.locator('#ff-progress').waitFor();
    await page.locator('#fast-forward').waitFor({ timeout: 60_000 });
    assert.ok((await readout(page, 'sim-time')) > before + 1_500, 'a million requests went by');
    // Time reads as a clock, and the whole fast-forward's figures are there.
    assert.match(await page.locator('[data-readout="sim-time"]').textContent(), /^\d+:\d\d\.\d$/);
    const result = page.locator('#ff-result');
    assert.match(await result.locator('p').textContent(), /^1,000,000 requests in (\d+):\d\d\.\d of simulated time/);
    const figures = Object.fromEntries(await result.locator('dl').evaluate((dl) =>
      [...dl.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent])));
    // The default offers 600 req/s to servers about 75 % busy: about 600 answers a second.
    assert.ok(Math.abs(Number(figures['throughput (req/s)']) - 600) < 15, JSON.stringify(figures));
    const [p50, p90, p99, max] = figures['latency p50 / p90 / p99 / max (ms)'].split(' / ').map(Number);
    assert.ok(p50 > 0 && p50 <= p90 && p90 <= p99 && p99 <= max, JSON.stringify(figures));
    await page.screenshot({ path: `${SCREENSHOTS}/fast-forward-result.png` });
    await page.locator('#ff-result-close').click();
    assert.equal(await result.count(), 0);
    // And a fast-forward can be cancelled; its result says so.
    await page.locator('#fast-forward').click();
    await page.locator('#ff-cancel').click();
    assert.equal(await page.locator('#ff-progress').count(), 0);
    assert.match(await result.locator('h3').textContent(), /stopped early/);
  }));

for (const [width, height] of [[1280, 720], [3840, 2160]]) {
  test(`the layout fits ${width}×${height} without overflow`, () =>
    playground(`layout-${width}x${height}`, async (page) => {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
      const chart = await page.locator('#chart-latency').boundingBox();
      assert.ok(chart.width > 200 && chart.height > 100, `chart ${chart.width}×${chart.height}`);
    }, { width, height }));
}

test('reduced motion turns the request dots off', () =>
  playground('reduced-motion', async (page) => {
    await page.locator('.motion-note').waitFor();
  }, { reducedMotion: 'reduce' }));
