// Chinese is drawn as characters, not boxes, on a machine without a Chinese font (this
// one's Chromium draws every Chinese character as the same box): the page ships the
// glyphs it uses (static/fonts). Reading text cannot tell a box from a character, so these
// tests look at pixels: two different characters drawn in the page's fonts must differ.
// An English page must not fetch the Chinese text's font file, and canvases drawn before
// the glyphs came must be drawn again when they come.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, waitForSimTime, canvasPixels, SCREENSHOTS } from './browser.mjs';

const TEXT_FONT = '/fonts/loadlab-sc.woff2';
const SWITCH_FONT = '/fonts/loadlab-sc-switch.woff2';

/** The files the page has fetched so far. */
async function fetched(page) {
  return page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
}

/**
 * The status of the page's two Chinese faces ('unloaded', 'loading', 'loaded', 'error'):
 * `switch` holds 中文 (the language switch's name), `text` everything else.
 */
async function faces(page) {
  return page.evaluate(() => {
    const ours = [...document.fonts].filter((f) => f.family.replaceAll('"', '') === 'Loadlab SC');
    const isSwitch = (f) => f.unicodeRange.replaceAll(' ', '').toUpperCase() === 'U+4E2D,U+6587';
    return {
      switch: ours.filter(isSwitch).map((f) => f.status).join(),
      text: ours.filter((f) => !isSwitch(f)).map((f) => f.status).join(),
    };
  });
}

/** Waits until the text's face has loaded or failed to. */
async function textFaceSettled(page) {
  await page.waitForFunction(() => [...document.fonts]
    .filter((f) => f.family.replaceAll('"', '') === 'Loadlab SC' && f.unicodeRange.includes('-'))
    .every((f) => f.status === 'loaded' || f.status === 'error'), null, { timeout: 10_000 });
}

/**
 * Draws "吞" and "率" (two characters of the page's Chinese) at 32 px in each font family
 * list given, on an offscreen canvas, and returns per list how many pixels each inked and
 * how many differ between the two. Boxes are the same for every character: 0 differ.
 */
async function twoCharacters(page, families) {
  return page.evaluate((families) => families.map((family) => {
    const image = (ch) => {
      const canvas = document.createElement('canvas');
      canvas.width = 48;
      canvas.height = 48;
      const ctx = canvas.getContext('2d');
      ctx.font = `32px ${family}`;
      ctx.textBaseline = 'top';
      ctx.fillText(ch, 8, 8);
      const alpha = ctx.getImageData(0, 0, 48, 48).data.filter((_, i) => i % 4 === 3);
      return alpha;
    };
    const [a, b] = [image('吞'), image('率')];
    return {
      family,
      inked: [a.filter((v) => v > 0).length, b.filter((v) => v > 0).length],
      differing: a.filter((v, i) => Math.abs(v - b[i]) > 64).length,
    };
  }), families);
}

/** The font family list a canvas last drew its words in (its context's font, less the size). */
async function canvasFamily(page, id) {
  return page.locator(`#${id}`).evaluate((c) => c.getContext('2d').font.replace(/^.*?[\d.]+px\s+/, ''));
}

/** Resolves after `n` animation frames of the page. */
async function frames(page, n) {
  await page.evaluate((n) => new Promise((done) => {
    const tick = (left) => (left === 0 ? done() : requestAnimationFrame(() => tick(left - 1)));
    tick(n);
  }), n);
}

test('an English page fetches no Chinese text font; in Chinese two characters draw differently', (t) =>
  withPage(async (page) => {
    await waitForSimTime(page, 1);
    await page.evaluate(() => document.fonts.ready);
    const english = await fetched(page);
    assert.ok(!english.includes(TEXT_FONT), `an English page fetched ${TEXT_FONT}`);
    const before = await faces(page);
    assert.equal(before.text, 'unloaded', 'an English page loaded the Chinese text face');
    // The switch's 中文 is drawn in its own face (the small file, or a system font).
    assert.equal(before.switch, 'loaded');
    const local = !english.includes(SWITCH_FONT);
    if (local) t.diagnostic('a system font has the Chinese glyphs: no file of the page was needed');

    await page.locator('#lang-zh-CN').click();
    await textFaceSettled(page);
    await frames(page, 3);
    const families = [
      await page.locator('main').evaluate((m) => getComputedStyle(m).fontFamily),
      await canvasFamily(page, 'topology'),
      await canvasFamily(page, 'chart-latency'),
    ];
    for (const { family, inked, differing } of await twoCharacters(page, families)) {
      t.diagnostic(`${family}: 吞 inked ${inked[0]} pixels, 率 ${inked[1]}, ${differing} differ`);
      assert.ok(inked[0] > 20 && inked[1] > 20, `"吞" and "率" drew nothing in ${family}`);
      assert.ok(differing > inked[0] / 5, `"吞" and "率" look the same (boxes) in ${family}: ${differing} pixels differ`);
    }
    assert.equal((await faces(page)).text, 'loaded');
    if (!local) assert.ok((await fetched(page)).includes(TEXT_FONT), 'Chinese drew without the page fetching its glyphs');
    await page.screenshot({ path: `${SCREENSHOTS}/chinese-glyphs.png` });
  }));

test('canvases drawn while the Chinese glyphs were on their way are drawn again when they come', (t) =>
  withPage(async (page) => {
    await waitForSimTime(page, 2);
    await page.evaluate(() => document.fonts.ready);
    if (!(await fetched(page)).includes(SWITCH_FONT)) {
      t.skip('a system font has the Chinese glyphs: they are never on their way');
      return;
    }
    // The text font's file is held back until the canvases have been drawn in Chinese.
    let release;
    const held = new Promise((go) => { release = go; });
    let asked = false;
    await page.route(`**${TEXT_FONT}`, async (route) => {
      asked = true;
      await held;
      await route.continue();
    });
    // Paused and without dots, nothing but the glyphs can change what the canvases show.
    await page.locator('#play').click();
    await page.locator('#lang-zh-CN').click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await frames(page, 3);
    assert.ok(asked, 'Chinese did not ask for its glyphs');
    const boxes = { topology: await canvasPixels(page, 'topology'), chart: await canvasPixels(page, 'chart-latency') };

    release();
    await textFaceSettled(page);
    await frames(page, 3);
    assert.equal((await faces(page)).text, 'loaded');
    assert.notEqual(await canvasPixels(page, 'chart-latency'), boxes.chart, 'a chart still shows boxes');
    assert.notEqual(await canvasPixels(page, 'topology'), boxes.topology, 'the topology still shows boxes');
  }, { reducedMotion: 'reduce' }));
