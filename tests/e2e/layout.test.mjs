// The page fits the room it is shown in, in both languages: a projector at 1280×720 in
// presenter mode (the stage gets most of the screen, the lesson's charts beside it, the
// headline on one line), a laptop at 1600×1000, and a phone at 390×844 in portrait (the
// headline and stage first, the controls in a drawer, touch in place of hover). Nothing
// overflows sideways, the page's regions do not overlap, and charts of parts that are
// off take no room. Each case leaves a screenshot in tests/e2e/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, SCREENSHOTS, waitForSimTime, openLesson } from './browser.mjs';

const LANGUAGES = ['en', 'zh-CN'];

/** The page's box of each selector that is shown, by selector. */
async function boxes(page, selectors) {
  const out = {};
  for (const s of selectors) {
    const el = page.locator(s).first();
    if (await el.isVisible()) out[s] = await el.boundingBox();
  }
  return out;
}

const overlap = (a, b) =>
  a.x < b.x + b.width - 1 && b.x < a.x + a.width - 1 && a.y < b.y + b.height - 1 && b.y < a.y + a.height - 1;

/** No two of the shown regions overlap. */
function assertApart(found) {
  const names = Object.keys(found);
  for (let i = 0; i < names.length; i++) {
    for (const other of names.slice(i + 1)) {
      assert.ok(!overlap(found[names[i]], found[other]), `${names[i]} overlaps ${other}`);
    }
  }
}

async function assertNoSidewaysScroll(page) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= width, `the page is ${scroll} px wide in a ${width} px window`);
}

/**
 * Chooses `lang` (waiting for its words) and a lesson that has no cache; by `touch` on
 * a phone (a mouse click there would leave a mouse pointer behind, which no phone has).
 */
async function prepare(page, lang, touch = false) {
  if (lang !== 'en') {
    const button = page.locator(`#lang-${lang}`);
    await (touch ? button.tap() : button.click());
    await page.waitForSelector(`html[lang="${lang}"]`);
  }
  await openLesson(page, 'round-robin-vs-least-connections');
  await page.locator('#lesson-try').waitFor();
  await waitForSimTime(page, 2);
}

for (const lang of LANGUAGES) {
  test(`projector, 1280×720, presenter mode (${lang}): the stage gets most of the screen, the charts beside it`, () =>
    withPage(async (page) => {
      await prepare(page, lang);
      await page.locator('#presenter').click();
      await page.waitForTimeout(500);
      await assertNoSidewaysScroll(page);
      const figures = await page.locator('.headline .figure').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
      assert.equal(new Set(figures.map(Math.round)).size, 1, `the headline wraps: ${figures}`);
      const found = await boxes(page, ['header', '.headline', '.controls', '#topology', '.follow', '.charts']);
      assertApart(found);
      const stage = found['#topology'];
      const charts = found['.charts'];
      assert.ok(stage.width * stage.height >= 0.35 * 1280 * 720, `the stage is ${stage.width}×${stage.height}`);
      for (const other of ['.controls', '.charts']) {
        const r = found[other];
        assert.ok(stage.width * stage.height > 1.5 * r.width * r.height, `the stage is not the largest: ${other}`);
      }
      assert.ok(charts.x >= stage.x + stage.width, 'the charts are beside the stage');
      // The lesson's charts are there; those of parts that are off (no cache) are not.
      assert.ok(await page.locator('#chart-queues').isVisible());
      assert.ok(!(await page.locator('#chart-hit-rate').isVisible()), 'a chart of a part that is off shows');
      await page.screenshot({ path: `${SCREENSHOTS}/layout-projector-${lang}.png` });
    }, { width: 1280, height: 720 }));

  test(`laptop, 1600×1000 (${lang}): controls, stage and charts side by side, apart`, () =>
    withPage(async (page) => {
      await prepare(page, lang);
      await assertNoSidewaysScroll(page);
      const found = await boxes(page, ['header', '.headline', '.controls', '#topology', '.follow', '.charts']);
      assertApart(found);
      assert.ok(found['.controls'].x + found['.controls'].width <= found['#topology'].x, 'controls left of the stage');
      assert.ok(found['#topology'].y + found['#topology'].height <= found['.charts'].y, 'charts under the stage');
      assert.ok(!(await page.locator('#chart-hit-rate').isVisible()), 'a chart of a part that is off shows');
      // Every part lies on the canvas.
      const [parts, w, h] = await page.locator('#topology').evaluate((c) => [JSON.parse(c.dataset.parts), c.clientWidth, c.clientHeight]);
      for (const [key, [x, y, pw, ph]] of Object.entries(parts)) {
        assert.ok(x >= 0 && y >= 0 && x + pw <= w + 1 && y + ph <= h + 1, `${key} off the canvas`);
      }
      await page.screenshot({ path: `${SCREENSHOTS}/layout-laptop-${lang}.png` });
    }, { width: 1600, height: 1000 }));

  test(`phone, 390×844 portrait, touch (${lang}): headline and stage first, controls in a drawer`, () =>
    withPage(async (page) => {
      await page.locator('#drawer-toggle').tap();
      await prepare(page, lang, true);
      await page.locator('#drawer-toggle').tap();
      await page.waitForTimeout(400);
      await assertNoSidewaysScroll(page);
      assert.ok(!(await page.locator('.controls').isVisible()), 'the drawer stays open');
      const stage = await page.locator('#topology').boundingBox();
      const headline = await page.locator('.headline').boundingBox();
      assert.ok(headline.y + headline.height <= stage.y, 'the headline comes before the stage');
      assert.ok(stage.y < 300 && stage.height >= 400, `the stage is at ${stage.y}, ${stage.height} high`);
      await page.screenshot({ path: `${SCREENSHOTS}/layout-phone-${lang}.png` });

      // A tap on a server's name tells what hovering tells, inside the screen (a tap
      // among its requests follows one of them).
      const label = await page.locator('#topology').evaluate((c) => {
        const [x, y] = JSON.parse(c.dataset.parts)['server-3'];
        const r = c.getBoundingClientRect();
        return { x: r.left + c.clientLeft + x + 12, y: r.top + c.clientTop + y + 8 };
      });
      await page.touchscreen.tap(label.x, label.y);
      const tip = page.locator('.tooltip');
      await tip.waitFor();
      const box = await tip.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 390, `the details run off the screen: ${JSON.stringify(box)}`);
      await assertNoSidewaysScroll(page);
      await page.screenshot({ path: `${SCREENSHOTS}/layout-phone-tap-${lang}.png` });

      // The drawer opens over the stage, on screen, and closes again.
      await page.locator('#drawer-toggle').tap();
      await page.waitForTimeout(400);
      const drawer = await page.locator('.controls').boundingBox();
      assert.ok(drawer.y >= 0 && drawer.y + drawer.height <= 844 + 1, `the drawer is at ${JSON.stringify(drawer)}`);
      assert.equal(await page.locator('#drawer-toggle').getAttribute('aria-expanded'), 'true');
      await page.screenshot({ path: `${SCREENSHOTS}/layout-phone-drawer-${lang}.png` });
      await page.locator('#drawer-toggle').tap();
      await page.waitForTimeout(400);
      assert.ok(!(await page.locator('.controls').isVisible()));
    }, { width: 390, height: 844, hasTouch: true }));
}
