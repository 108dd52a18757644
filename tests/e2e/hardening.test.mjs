// Hardening, end to end: the Content-Security-Policy holds; a panic shows the crash
// overlay and both ways back work with the saved scenario intact; and two dozen
// malformed links and files each get their message while the scenario the user had
// stays exactly as it was, with nothing from them rendered as HTML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { frameIntervals, importFile, withPage, waitForSimTime, SCREENSHOTS } from './browser.mjs';

const SAVED = 'loadlab.scenario';

/** The scenario kept in the browser, parsed. */
const saved = (page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key)), SAVED);

/** A link fragment carrying `json` (any text) the way the page packs scenarios. */
/** Sets the worker count and waits for the scenario to be saved; returns what was saved. */
async function setWorkersAndSave(page, workers) {
  await page.locator('#workers').fill(String(workers));
  await page.waitForFunction(([key, text]) => localStorage.getItem(key)?.includes(text), [SAVED, `"workers": ${workers}`]);
  return saved(page);
}
const linkOf = (json) => `#s=1.${deflateRawSync(Buffer.from(json)).toString('base64url')}`;

test('the page runs under its Content-Security-Policy, which blocks inline script', () =>
  withPage(async (page, problems) => {
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
    assert.doesNotMatch(policy, /https?:|\*/, 'no other origin');
    await waitForSimTime(page, 1);
    // An injected inline script does not run (and its refusal is the only complaint).
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.injected = true';
      document.body.append(s);
    });
    assert.equal(await page.evaluate(() => window.injected), undefined);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /Content Security Policy/);
  }, { bodyChecksProblems: true }));

test('a panic shows the overlay; restart and fresh start both keep the saved scenario', () =>
  withPage(async (page, problems) => {
    const origin = new URL(page.url()).origin;
    await setWorkersAndSave(page, 7);

    await page.goto(`${origin}/?crash-test`);
    await page.locator('#crash').waitFor();
    assert.match(await page.locator('#crash h2').textContent(), /Something went wrong/);
    assert.match(await page.locator('#crash pre').textContent(), /crash test/);
    assert.ok(problems.some((p) => /crash test/.test(p)), 'the panic reached the console');
    assert.equal((await saved(page)).servers.workers, 7, 'the crash saved nothing');
    await page.screenshot({ path: `${SCREENSHOTS}/crash.png` });

    // Way back 1: the last saved scenario.
    await page.locator('#crash a').first().click();
    await waitForSimTime(page, 0.5);
    assert.equal(await page.locator('#workers').inputValue(), '7');
    assert.equal(new URL(page.url()).search, '');

    // Way back 2: the default, with the saved scenario set aside, not lost.
    await page.goto(`${origin}/?crash-test`);
    await page.locator('#crash a').nth(1).click();
    await waitForSimTime(page, 0.5);
    assert.equal(await page.locator('#workers').inputValue(), '4');
    assert.match(await page.locator('#notice').textContent(), /loadlab\.scenario\.set-aside/);
    const aside = await page.evaluate(() => JSON.parse(localStorage.getItem('loadlab.scenario.set-aside')));
    assert.equal(aside.servers.workers, 7);
    assert.equal(new URL(page.url()).search, '', 'a reload does not set aside again');
  }, { bodyChecksProblems: true }));

/** `scenario` with open-loop arrivals at `rate` under `schedule`. */
const withSchedule = (scenario, rate, schedule) => ({
  ...scenario,
  traffic: { ...scenario.traffic, arrivals: { kind: 'open_loop', rate, schedule } },
});
const spike = (at, duration) => ({ kind: 'spike', at, duration, multiplier: 1000 });

test('28 malformed links and files: each is explained, none changes the scenario', () =>
  withPage(async (page) => {
    const origin = new URL(page.url()).origin;
    const good = await setWorkersAndSave(page, 6);
    const text = JSON.stringify(good);
    const html = '<img src=x id=injected onerror="window.injected=1">';
    const bad = [
      ['truncated JSON', text.slice(0, text.length / 2), /ends in the middle \(line \d+\): is it complete\?|文件在中途结束/],
      ['wrong version', JSON.stringify({ ...good, version: 99 }), /version 1.*99/],
      ['seed as a string', JSON.stringify({ ...good, seed: 'seven' }), /seed/],
      ['workers as a string', JSON.stringify({ ...good, servers: { ...good.servers, workers: 'x' } }), /servers\.workers/],
      ['negative workers', JSON.stringify({ ...good, servers: { ...good.servers, workers: -1 } }), /servers\.workers/],
      ['zero servers', JSON.stringify({ ...good, servers: { ...good.servers, count: 0 } }), /servers\.count/],
      ['huge rate', text.replace(/"rate":\s*[0-9.]+/, '"rate": 1e308'), /rate|arrivals/],
      ['overflowing number', text.replace(/"seed":\s*\d+/, '"seed": 1e999'), /seed|number/],
      ['a gigantic string', JSON.stringify({ ...good, balancer: { kind: 'x'.repeat(200_000) } }), /balancer/],
      ['HTML as a balancer', JSON.stringify({ ...good, balancer: { kind: html } }), /balancer/],
      ['HTML as a key', JSON.stringify({ ...good, [html]: 1 }), /unknown field/],
      ['an array', '[1, 2, 3]', /sequence|invalid type|类型/],
      ['stacked spikes', JSON.stringify(withSchedule(good, 1e6, [spike(0, 1), spike(0, 1)])), /would take the rate to 1000000000000 \/s/],
      ['a sine of 1e-300 s', JSON.stringify(withSchedule(good, 600, [{ kind: 'sine', amplitude: 0.5, period: 1e-300 }])), /period/],
    ];
    // The same documents as links (packed as the page packs them), then as files.
    for (const [name, body, words] of bad) {
      await page.goto('about:blank');
      await page.goto(`${origin}/${linkOf(body)}`);
      await page.locator('#notice').waitFor();
      const notice = await page.locator('#notice').textContent();
      assert.match(notice, words, `link, ${name}: ${notice.slice(0, 200)}`);
      assert.match(notice, /Showing your last scenario/, `link, ${name}`);
      assert.equal(await page.locator('#workers').inputValue(), '6', `link, ${name}`);
      assert.deepEqual(await saved(page), good, `link, ${name} changed the saved scenario`);
    }
    for (const [name, body, words] of bad) {
      await importFile(page, `${name}.json`, body);
      await page.locator('#share .error').waitFor();
      const error = await page.locator('#share .error').textContent();
      assert.match(error, words, `file, ${name}: ${error.slice(0, 200)}`);
      assert.equal(await page.locator('#workers').inputValue(), '6', `file, ${name}`);
      assert.deepEqual(await saved(page), good, `file, ${name} changed the saved scenario`);
    }
    assert.equal(await page.locator('#injected').count(), 0, 'HTML from a file or link was rendered');
    assert.equal(await page.evaluate(() => window.injected), undefined);
  }));

test('silence until a rate far away: the scenario starts at once and fast-forward keeps frames short', () =>
  withPage(async (page) => {
    // Nothing for 116 days, then a million requests a second; health checks every
    // second and windows of 10 ms. It used to freeze the page when opened, and
    // fast-forward to the first arrival was half a billion events in one frame.
    const far = withSchedule(await setWorkersAndSave(page, 6), 0, [{ kind: 'step', at: 1e7, rate: 1e6 }]);
    far.health_check = { interval_seconds: 1, failure_threshold: 2 };
    far.metrics = { ...far.metrics, window_seconds: 0.01 };
    await importFile(page, 'far.json', JSON.stringify(far));
    await page.waitForFunction((key) => localStorage.getItem(key)?.includes('10000000'), SAVED);
    await page.locator('#fast-forward').click();
    await page.locator('#ff-progress').waitFor();
    const gaps = await frameIntervals(page, 2);
    const longest = Math.max(...gaps);
    assert.ok(gaps.length > 20 && longest < 250, `${gaps.length} frames, the longest ${longest.toFixed(0)} ms`);
    const time = Number.parseFloat(await page.locator('[data-readout="sim-time"]').getAttribute('data-value'));
    console.log(`fast-forward through silence: ${gaps.length} frames in 2 s, the longest ${longest.toFixed(1)} ms; clock at ${time} s`);
    assert.ok(time > 1000, `the clock moves on through the silence: ${time} s`);
    await page.locator('#ff-cancel').click();
    await page.locator('#fast-forward').waitFor();
  }));

test('spikes pressed on top of each other stop at the peak rate, with a message in Traffic', () =>
  withPage(async (page) => {
    // 3,000 /s tripled eight times is beyond the 10,000,000 /s a schedule may reach.
    await page.locator('#arrival-rate').fill('3000');
    for (let i = 0; i < 7; i += 1) await page.locator('#spike').click();
    assert.equal(await page.locator('#traffic .error').count(), 0, 'seven spikes are allowed');
    await page.locator('#spike').click();
    const error = await page.locator('#traffic .error').textContent();
    assert.match(error, /to 19683000 \/s; a schedule may reach at most 10000000 \/s/, error);
    // The run goes on, at the peak of the seven spikes.
    if ((await page.locator('#play').getAttribute('aria-pressed')) !== 'true') await page.locator('#play').click();
    const before = Number.parseFloat(await page.locator('[data-readout="sim-time"]').getAttribute('data-value'));
    await page.waitForFunction((t) => Number.parseFloat(document.querySelector('[data-readout="sim-time"]').dataset.value) > t, before);
  }));
