// Embed mode end to end (docs/embed.md): a lesson's link with ?embed in another page's
// iframe shows the stage, the lesson's groups, time and the lesson's charts, no header
// chrome; it plays, its lesson's change works, and it links to the full page. It keeps
// nothing: the learner's saved scenario, progress and language in local storage and the
// frame's address are as they were. The frame fits 960×540 and 640×400, in English and
// Chinese (screenshots of the host page in tests/e2e/screenshots/embed-*.png).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, openLesson, waitForSimTime, SCREENSHOTS } from './browser.mjs';

/** Where the test's host page is: same origin as Loadlab, the strictest case (it shares
 * the learner's local storage; another site's frame would have storage of its own). */
const HOST = '/embed-host.html';

/** A lesson's link, made as a trainer makes it: the lesson started, Share's Copy link. */
async function lessonLink(page, id) {
  await openLesson(page, id);
  await page.locator('#lesson-try').waitFor();
  await page.locator('#copy-link').click();
  const link = await page.locator('#share-link').inputValue();
  assert.match(link, new RegExp(`&lesson=${id}$`));
  return new URL(link);
}

/**
 * Serves a host page holding `src` in an iframe of `width`×`height` (docs/embed.md's
 * snippet), opens it at that size plus a margin, and returns the frame once `ready`
 * shows (the lesson has started).
 */
async function openHost(page, src, width, height, ready = '#lesson-try') {
  const html = `<!doctype html><meta charset="utf-8"><title>host</title>
    <body style="margin:8px;background:#ddd">
    <iframe id="embed" src="${src}" width="${width}" height="${height}" style="border:0"
      loading="lazy" title="Loadlab"></iframe>`;
  await page.route(`**${HOST}`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.setViewportSize({ width: width + 16, height: height + 16 });
  await page.goto(new URL(HOST, src).href);
  const frame = await (await page.locator('#embed').elementHandle()).contentFrame();
  await frame.locator(ready).waitFor();
  return frame;
}

/** The learner's storage, every key. */
const storage = (page) => page.evaluate(() => ({ ...localStorage }));

/** The simulated time the frame's run is at. */
const simTime = (frame) =>
  frame.evaluate(() => Number.parseFloat(document.querySelector('[data-readout="sim-time"]').dataset.value));

/** How many of the topology's pixels are drawn (not the background). */
const inked = (frame) =>
  frame.locator('#topology').evaluate((c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 200 || data[i + 2] < 200) n++;
    return n;
  });

test('a lesson embedded in an iframe: minimal chrome, it plays, and it keeps nothing', () =>
  withPage(async (page) => {
    const origin = new URL(page.url()).origin;
    const link = await lessonLink(page, 'cache-eviction');
    // The learner's own scenario, saved: the rate they typed.
    await page.locator('#lesson-mine').click();
    await page.locator('#arrival-rate-typed').fill('770');
    await page.locator('#arrival-rate-typed').press('Enter');
    await page.waitForFunction(() => localStorage.getItem('loadlab.scenario')?.includes('770'));
    await page.locator('#lang-en').click();
    const before = await storage(page);

    const src = `${origin}/?embed${link.hash}`;
    const frame = await openHost(page, src, 960, 540);
    await waitForSimTime(frame, 0.5);
    // No header chrome, headline, Share or what-if/Challenges; the link to the full page.
    for (const hidden of ['header h1', '.tagline', '#lang-en', '#curves-toggle', '#challenges-toggle', '#presenter', '.headline', '#share']) {
      assert.ok(!(await frame.locator(hidden).isVisible()), `${hidden} shows`);
    }
    const full = frame.locator('#full-page');
    assert.ok(await full.isVisible());
    assert.equal(await full.textContent(), 'Open in Loadlab ↗');
    assert.equal(await full.getAttribute('href'), `${origin}/${link.hash}`, 'the full page is this one, unembedded');
    assert.equal(await full.getAttribute('target'), '_blank');
    // The lesson's groups and charts (presenter mode's rules), time; not the others.
    for (const shown of ['#lessons', '#time', '#cache', '#play', '#speed', '#chart-latency', '#chart-throughput', '#chart-hit-rate']) {
      assert.ok(await frame.locator(shown).isVisible(), `${shown} is hidden`);
    }
    for (const hidden of ['#traffic', '#balancer-group', '#servers', '#chart-spread', '#lesson', '#lesson-done']) {
      assert.ok(!(await frame.locator(hidden).isVisible()), `${hidden} shows`);
    }
    // The stage is drawn, with the lesson's cache.
    const parts = JSON.parse(await frame.locator('#topology').getAttribute('data-parts'));
    for (const part of ['clients', 'balancer', 'server-0', 'cache']) assert.ok(parts[part], `no ${part} drawn`);
    assert.ok((await inked(frame)) > 2000, 'the stage is blank');

    // Pause holds the clock, play moves it on.
    await frame.locator('#play').click();
    assert.equal(await frame.locator('#play').getAttribute('aria-pressed'), 'false');
    // The readout follows the run a few times a second.
    await page.waitForTimeout(400);
    const paused = await simTime(frame);
    await page.waitForTimeout(400);
    assert.equal(await simTime(frame), paused);
    await frame.locator('#play').click();
    await waitForSimTime(frame, paused + 0.5);
    // The lesson's change applies (a change mark), and a setting of its group too.
    await frame.locator('#lesson-try').click();
    await frame.locator('.marks-list li').first().waitFor();
    assert.equal(await frame.locator('.group .error').count(), 0);
    await frame.locator('#cache-capacity-typed').fill('300');
    await frame.locator('#cache-capacity-typed').press('Enter');
    await frame.waitForFunction(() => document.querySelectorAll('.marks-list li').length >= 2);
    await page.waitForTimeout(500);

    // Nothing kept: the frame's address, and the learner's storage, as they were.
    assert.equal(await frame.evaluate(() => location.href), src);
    assert.deepEqual(await storage(page), before);
    // And the learner's own page still opens on their scenario.
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => document.querySelector('#arrival-rate')?.value === '770');
  }, { width: 1100, height: 800 }));

/** The page's box of `selector` in the frame, or null if it is not shown. */
async function box(frame, selector) {
  const el = frame.locator(selector).first();
  return (await el.isVisible()) ? el.boundingBox() : null;
}

const overlap = (a, b) =>
  a.x < b.x + b.width - 1 && b.x < a.x + a.width - 1 && a.y < b.y + b.height - 1 && b.y < a.y + a.height - 1;

/**
 * The embedded page fits its `width`×`height` frame: nothing runs out of it, its regions
 * are apart, the stage is the largest of them, and every chart shown is readable.
 */
async function assertFits(frame, width, height) {
  const [scrollW, scrollH] = await frame.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
  assert.ok(scrollW <= width && scrollH <= height, `the page is ${scrollW}×${scrollH} in a ${width}×${height} frame`);
  const found = {};
  for (const s of ['#full-page', '.controls', '#topology', '.notes', '.charts']) found[s] = await box(frame, s);
  // The host page's margin is 8 px.
  for (const [name, b] of Object.entries(found)) {
    assert.ok(b, `${name} is not shown`);
    assert.ok(b.x >= 8 && b.y >= 8 && b.x + b.width <= width + 9 && b.y + b.height <= height + 9, `${name} is outside the frame`);
  }
  const names = Object.keys(found);
  for (let i = 0; i < names.length; i++) {
    for (const other of names.slice(i + 1)) assert.ok(!overlap(found[names[i]], found[other]), `${names[i]} overlaps ${other}`);
  }
  const area = (b) => b.width * b.height;
  const stage = found['#topology'];
  assert.ok(area(stage) >= 0.3 * width * height, `the stage is ${stage.width}×${stage.height}`);
  assert.ok(area(stage) > area(found['.controls']) && area(stage) > area(found['.charts']), 'the stage is not the largest region');
  for (const chart of await frame.locator('.chart:visible').all()) {
    const b = await chart.boundingBox();
    assert.ok(b.height >= 80 && b.width >= 100, `a chart is ${b.width}×${b.height}`);
  }
}

for (const [width, height] of [[960, 540], [640, 400]]) {
  for (const lang of ['en', 'zh-CN']) {
    test(`an embedded lesson fits a ${width}×${height} frame (${lang})`, () =>
      withPage(async (page) => {
        const origin = new URL(page.url()).origin;
        const link = await lessonLink(page, 'round-robin-vs-least-connections');
        const frame = await openHost(page, `${origin}/?embed&lang=${lang}${link.hash}`, width, height);
        await frame.waitForSelector(`html[lang="${lang}"]`);
        await waitForSimTime(frame, 3);
        await page.screenshot({ path: `${SCREENSHOTS}/embed-${width}x${height}-${lang}.png` });
        if (lang === 'zh-CN') assert.equal(await frame.locator('#full-page').textContent(), '在 Loadlab 中打开 ↗');
        await assertFits(frame, width, height);
      }, { width: 1100, height: 800 }));
  }
}

test('a scenario embedded without a lesson: every group and chart but Share and the lessons', () =>
  withPage(async (page) => {
    const origin = new URL(page.url()).origin;
    await page.locator('#arrival-rate-typed').fill('900');
    await page.locator('#arrival-rate-typed').press('Enter');
    await page.locator('#copy-link').click();
    const link = new URL(await page.locator('#share-link').inputValue());
    const frame = await openHost(page, `${origin}/?embed${link.hash}`, 960, 540, '#traffic');
    await waitForSimTime(frame, 3);
    await page.screenshot({ path: `${SCREENSHOTS}/embed-scenario-960x540-en.png` });
    assert.equal(await frame.locator('#arrival-rate').inputValue(), '900');
    for (const hidden of ['#share', '#lessons', '.headline']) {
      assert.ok(!(await frame.locator(hidden).isVisible()), `${hidden} shows`);
    }
    for (const shown of ['#time', '#traffic', '#servers', '#chart-latency', '#chart-spread']) {
      assert.ok(await frame.locator(shown).isVisible(), `${shown} is hidden`);
    }
    await assertFits(frame, 960, 540);
  }, { width: 1100, height: 800 }));
