// English and Simplified Chinese: the switch changes every word on the page without
// touching the run, the choice survives a reload, and a Chinese browser starts in
// Chinese. "No missing string" is checked on what is rendered: after switching to
// Chinese, no English word may be left in the page's text except names that are the
// same in both languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, pointAt, readout, SCREENSHOTS, waitForSimTime, openLesson } from './browser.mjs';

// Latin words a Chinese reader sees as they are: product and algorithm names, units,
// acronyms, formula symbols, and the switch's own "English".
const SAME_IN_BOTH = new Set([
  'Loadlab', 'English', 'LRU', 'LFU', 'FIFO', 'SIEVE', 'S3-FIFO', 'TTL', 'Zipf', 'EWMA',
  'req/s', 'ms', 'CPU', 'I/O', 'JSON', 'CSV', 'PNG', 'IP', 'p50', 'p99', 'Erlang',
  'M/M/c', 'M/M/c/K', 'M/M/1', 'single', 'flight', 'write', 'through', 'Poisson', 'A/B', 'P2C',
]);

/** Latin words of three or more letters in `text` that are not in SAME_IN_BOTH. */
function englishLeft(text) {
  const words = text.match(/[A-Za-z][A-Za-z0-9/-]{2,}/g) ?? [];
  return [...new Set(words.filter((w) => !SAME_IN_BOTH.has(w)))];
}

/** The text of `selector` a reader sees, leaving out scenario-file keys (in <code>). */
async function prose(page, selector) {
  return page.locator(selector).evaluate((el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('code').forEach((c) => c.remove());
    document.body.append(copy);
    const text = copy.innerText;
    copy.remove();
    return text;
  });
}

/** Every control shown: the optional settings switched on so their own controls render. */
async function showEveryControl(page) {
  for (const id of ['ttl-on', 'db-pool-timeout-on', 'db-queue', 'timeout-on', 'concurrency-on', 'shed-on',
    'retries-on', 'breaker-on', 'health-on']) {
    const box = page.locator(`#${id}`);
    if (!(await box.isChecked())) await box.check();
  }
  await page.locator('#retry-budget-on').check();
  await page.locator('#db-index').uncheck();
  await page.locator('#db-locking').selectOption('optimistic');
  await page.locator('#rate-limit').selectOption('token_bucket');
  await page.locator('#queue-bounded').uncheck();
}

test('switching to Chinese translates every visible word and keeps the run', () =>
  withPage(async (page) => {
    await page.locator('#db-replicas').fill('3');
    await showEveryControl(page);
    await waitForSimTime(page, 3);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    const before = await readout(page, 'sim-time');

    // English pages never fetch the Chinese words: the switch fetches them, then speaks.
    assert.equal(await page.evaluate(() => performance.getEntriesByType('resource')
      .filter((r) => r.name.includes('/i18n/')).length), 0);
    await page.locator('#lang-zh-CN').click();
    await page.waitForSelector('html[lang="zh-CN"]');
    assert.match(await page.title(), /高并发/);
    assert.equal(await page.locator('#lang-zh-CN').getAttribute('aria-pressed'), 'true');
    const text = await page.locator('main').innerText();
    assert.deepEqual(englishLeft(text), [], 'English words left on the Chinese page');
    // Hover details speak Chinese too.
    const tip = await pointAt(page, 'server', { index: 0 });
    assert.deepEqual(englishLeft(tip), [], `English in the server's details: ${tip}`);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${SCREENSHOTS}/chinese.png` });

    // The run went on: simulated time did not restart, the settings are as they were.
    assert.ok((await readout(page, 'sim-time')) >= before, 'the run restarted');
    assert.equal(await page.locator('#db-replicas').inputValue(), '3');
    assert.equal(await page.locator('#ttl-on').isChecked(), true);

    // The comparison's words too, with a difference and its figures showing.
    await page.locator('#compare-start').click();
    await page.locator('#workers').fill('8');
    await page.locator('#compare-figures').waitFor();
    const compare = await prose(page, '#compare');
    assert.deepEqual(englishLeft(compare), [], `English in the comparison: ${compare}`);
    await page.locator('#compare-stop').click();

    // A lesson, explanation included, reads in Chinese.
    await openLesson(page, 'cache-eviction');
    await page.locator('#lesson-reveal').click();
    const lesson = await page.locator('#lessons').innerText();
    assert.deepEqual(englishLeft(lesson), [], `English in the lesson: ${lesson}`);

    // The choice is remembered.
    await page.reload();
    await page.locator('#lang-zh-CN[aria-pressed="true"]').waitFor();
    assert.match(await page.locator('#traffic h2').textContent(), /流量/);

    // And English comes back whole.
    await page.locator('#lang-en').click();
    assert.equal(await page.locator('#traffic h2').textContent(), 'Traffic');
    assert.doesNotMatch(await page.locator('.controls').innerText(), /[\u4e00-\u9fff]/);
  }, { width: 1600, height: 1000 }));

test('when the Chinese words cannot be fetched, the page says so and stays in English', () =>
  withPage(async (page, problems) => {
    await page.route('**/i18n/zh-CN.txt', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await waitForSimTime(page, 0.5);
    await page.locator('#lang-zh-CN').click();
    await page.locator('#notice').waitFor();
    assert.match(await page.locator('#notice').textContent(),
      /^The Chinese words could not be loaded \(i18n\/zh-CN.txt: HTTP 404\), so the page stays in English\./);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.locator('#lang-en').getAttribute('aria-pressed'), 'true');
    // The run goes on.
    const before = await readout(page, 'sim-time');
    await waitForSimTime(page, before + 0.5);
    // The refused file itself is the only thing that went wrong.
    const others = problems.filter((p) => !p.includes('zh-CN.txt') && !p.includes('status of 404'));
    assert.deepEqual(others, []);
  }, { bodyChecksProblems: true }));

test('a Chinese browser starts in Chinese, and errors read in Chinese', () =>
  withPage(async (page) => {
    // The Chinese words are fetched when Chinese is wanted: the page speaks it when they come.
    await page.waitForSelector('html[lang="zh-CN"]');
    assert.equal(await page.locator('#lang-zh-CN').getAttribute('aria-pressed'), 'true');
    await waitForSimTime(page, 0.5);
    await page.locator('#weights').fill('1, x');
    // The page re-renders a few times a second; what is being typed must survive it.
    await page.waitForTimeout(800);
    assert.equal(await page.locator('#weights').inputValue(), '1, x');
    await page.locator('#weights').dispatchEvent('change');
    assert.equal(await page.locator('#servers .field-error').textContent(), '“x”不是数字');
    // A broken link is explained in Chinese, where the reader looks.
    const origin = new URL(page.url()).origin;
    await page.goto('about:blank');
    await page.goto(`${origin}/#s=1.cut`);
    await page.waitForSelector('html[lang="zh-CN"]');
    assert.match(await page.locator('#notice').textContent(), /^链接已损坏：.*已改为显示你上次的场景/);
  }, { locale: 'zh-CN' }));
