// The trainer's kit, end to end: a workshop (docs/workshops.md's own example) opened
// from a file lists its items; its own lesson puts its preset on the stage and makes its
// change live; its own challenge plays, scores and gives a result link that carries the
// workshop; the workshop's link opens it afresh; malformed files and links each say
// what is wrong and lose nothing; the Room tab's QR code, read back from its pixels,
// is the link, and fills the screen in presenter mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import jsQR from 'jsqr';
import { decodePng, waitForSimTime, withPage } from './browser.mjs';

/** docs/workshops.md's complete example: the file a trainer would write. */
const EXAMPLE = readFileSync('docs/workshops.md', 'utf8').split('```json\n')[1].split('\n```')[0];

async function openTab(page, tab) {
  if (!(await page.locator('#training').isVisible())) await page.locator('#challenges-toggle').click();
  await page.locator(`#training-tab-${tab}`).click({ timeout: 20_000 });
}

async function openWorkshopFile(page, text, name = 'workshop.json') {
  await page.locator('#workshop-file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

/** The scenario the page keeps in this browser (it saves each change as it goes). */
async function saved(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem('loadlab.scenario')));
}

/** What the Room tab's QR code says, read from the canvas's pixels. */
async function decodeQr(page) {
  const url = await page.locator('#room-qr').evaluate((c) => c.toDataURL('image/png'));
  const png = decodePng(Buffer.from(url.split(',')[1], 'base64'));
  const rgba = new Uint8ClampedArray(png.width * png.height * 4);
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) rgba.set(png.pixel(x, y), (y * png.width + x) * 4);
  }
  return jsQR(rgba, png.width, png.height)?.data;
}

test('a workshop from a file: its lesson runs on the stage, its QR code is its link, and the link opens it', async () => {
  let link;
  await withPage(async (page) => {
    await openTab(page, 'workshop');
    await openWorkshopFile(page, EXAMPLE);
    const items = page.locator('#workshop-items li');
    await items.first().waitFor();
    assert.equal(await items.count(), 4);
    assert.equal(await page.locator('#workshop-title').textContent(), 'Caching afternoon');
    assert.match(await items.nth(1).textContent(), /What the cache was doing/);
    assert.match(await items.nth(0).textContent(), /Cache eviction under skewed popularity/);

    // The trainer's lesson: its preset on the stage, its words, its change made live.
    await page.locator('#workshop-item-1').click();
    await page.locator('#workshop-try').getByText('Apply the change').waitFor();
    await page.waitForFunction(() => JSON.parse(localStorage.getItem('loadlab.scenario')).seed === 11);
    assert.notEqual((await saved(page)).cache, null);
    await waitForSimTime(page, 1);
    await page.locator('#workshop-change').click();
    await page.locator('#workshop-changed').waitFor();
    await page.waitForFunction(() => JSON.parse(localStorage.getItem('loadlab.scenario')).cache === null);
    await page.locator('#workshop-reveal').click();
    assert.match(await page.locator('#workshop-explanation').textContent(), /half a millisecond/);
    await page.locator('#workshop-back').click();

    // The Room tab codes the workshop's link; the code read back is that link.
    await openTab(page, 'room');
    const qr = page.locator('#room-qr');
    link = await qr.getAttribute('data-link');
    assert.match(link, /#workshop=1\./);
    assert.equal(await decodeQr(page), link);
    // This page's own address, coded on asking.
    await page.locator('#room-page').check();
    await page.waitForFunction(() => document.querySelector('#room-qr').dataset.link === location.href);
    assert.equal(await decodeQr(page), page.url());
    // Served from this computer: the room is told its phones cannot reach it.
    assert.match(await page.locator('#room-local').textContent(), /127\.0\.0\.1/);
  }, { warmUp: 0.5, screenshot: 'workshop-room' });

  // The link, opened afresh, opens the same workshop.
  await withPage(async (page) => {
    await page.locator('#workshop-items li').first().waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('#workshop-items li').count(), 4);
    assert.equal(await page.locator('#training-tab-workshop').getAttribute('aria-selected'), 'true');
  }, { path: link.slice(link.indexOf('/#')) });
});

test('a workshop\'s own challenge plays and its result link carries the workshop', async () => {
  let result;
  let debrief;
  await withPage(async (page) => {
    await openTab(page, 'workshop');
    await openWorkshopFile(page, EXAMPLE);
    await page.locator('#workshop-item-3').click();
    await page.locator('#challenge-title').getByText('The lunch rush').waitFor();
    const count = page.locator('#server-count-typed');
    await count.fill('3');
    await count.press('Enter');
    await page.locator('#challenge-changes').getByText('Servers: 2 → 3').waitFor();
    await page.locator('#challenge-play').click();
    await page.locator('#challenge-finish').click();
    await page.locator('#challenge-verdict').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('#challenge-verdict').getAttribute('data-passed'), 'true');
    debrief = await page.locator('#challenge-debrief').textContent();
    result = page.url();
    assert.match(result, /#workshop=1\.[\w-]+&challenge=lunch-rush&settings=/);
    // The built-in list shows it after the twelve that ship.
    await page.locator('#challenge-back').click();
    assert.match(await page.locator('#challenge-lunch-rush').textContent(), /from the workshop/);
  }, { warmUp: 0.5 });

  await withPage(async (page) => {
    await page.locator('#challenge-progress').waitFor({ timeout: 20_000 });
    await page.locator('#challenge-finish').click();
    await page.locator('#challenge-verdict').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('#challenge-debrief').textContent(), debrief);
  }, { path: result.slice(result.indexOf('/#')) });
});

test('malformed workshop files and links each say what is wrong, and nothing is lost', async () => {
  await withPage(async (page) => {
    await openTab(page, 'workshop');
    await openWorkshopFile(page, `\ufeff${EXAMPLE}`, 'with-bom.json');
    await page.locator('#workshop-items li').first().waitFor();
    const before = await saved(page);
    const broken = (edit) => {
      const doc = JSON.parse(EXAMPLE);
      edit(doc);
      return JSON.stringify(doc);
    };
    const cases = [
      ['{"items": [', /This file was not opened: .*line 1/],
      [broken((d) => { d.items[1].lesson.preset.servers = { workers: 0 }; }), /items\[1\]\.lesson\.preset\.servers\.workers/],
      [broken((d) => { d.items[0] = { quiz: 'x' }; }), /items\[0\]\.quiz/],
      [broken((d) => { d.items[3].challenge.id = 'first-spike'; }), /items\[3\]\.challenge\.id/],
      [broken((d) => { d.items[1].lesson.text = { fr: { title: 't', try: 't' } }; }), /items\[1\]\.lesson\.text\.fr/],
      [' '.repeat(300 * 1024), /256 KB/],
    ];
    for (const [text, said] of cases) {
      await openWorkshopFile(page, text);
      const error = page.locator('#workshop-error');
      await page.waitForFunction(
        ([source]) => new RegExp(source).test(document.querySelector('#workshop-error')?.textContent),
        [said.source],
      );
      assert.match(await error.textContent(), /Nothing you had has changed/);
      // The workshop open before is still open; the stage's scenario is as it was.
      assert.equal(await page.locator('#workshop-items li').count(), 4);
      assert.deepEqual(await saved(page), before);
    }
  }, { warmUp: 0.5 });

  await withPage(async (page) => {
    await page.locator('#workshop-error').waitFor({ timeout: 20_000 });
    assert.match(await page.locator('#workshop-error').textContent(), /This workshop link cannot be opened/);
    await waitForSimTime(page, 1);
  }, { path: '/#workshop=1.not-a-deflated-workshop' });

  // A kept workshop this browser cannot read is set aside, with a message where Training opens.
  await withPage(async (page) => {
    await page.evaluate(() => localStorage.setItem('loadlab.workshop', '{"items": ['));
    await page.locator('#challenges-toggle').click();
    await page.locator('#workshop-error').getByText('could not be read').waitFor({ timeout: 20_000 });
    assert.equal(await page.evaluate(() => localStorage.getItem('loadlab.workshop')), null);
    assert.equal(await page.evaluate(() => localStorage.getItem('loadlab.workshop.unreadable')), '{"items": [');
  }, { warmUp: 0.5 });
});

/** A workshop link made as the page makes one: compact JSON, raw DEFLATE, base64url. */
function workshopLink(doc) {
  return `/#workshop=1.${deflateRawSync(Buffer.from(JSON.stringify(doc))).toString('base64url')}`;
}

test('a lone lesson opens at once, from a file and from a link', async () => {
  const lesson = { lesson: JSON.parse(EXAMPLE).items[1].lesson };
  const opensTheLesson = async (page, title) => {
    await page.locator('#workshop-lesson').getByText(title).waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => JSON.parse(localStorage.getItem('loadlab.scenario')).seed === 11);
  };
  await withPage(async (page) => {
    await openTab(page, 'workshop');
    await openWorkshopFile(page, JSON.stringify(lesson), 'lesson.json');
    await opensTheLesson(page, 'What the cache was doing');
  }, { warmUp: 0.5 });
  await withPage(async (page) => {
    // In the reader's language, Chinese here.
    await opensTheLesson(page, '缓存原来在做什么');
    await page.locator('#workshop-change').click();
    await page.waitForFunction(() => JSON.parse(localStorage.getItem('loadlab.scenario')).cache === null);
  }, { path: workshopLink(lesson), locale: 'zh-CN', screenshot: 'workshop-lesson-zh' });
});

test('in presenter mode the Room tab shows the code large', async () => {
  await withPage(async (page) => {
    await page.locator('#presenter').click();
    await openTab(page, 'room');
    const box = await page.locator('#room-qr').boundingBox();
    assert.ok(box.height >= 0.75 * 720, `the code is ${box.width}×${box.height}`);
    assert.equal(await decodeQr(page), page.url());
    // Escape (or Close) brings the page back.
    await page.keyboard.press('Escape');
    assert.ok((await page.locator('#room-qr').boundingBox()).width < 400);
    await page.locator('#room-large').click();
    assert.ok((await page.locator('#room-qr').boundingBox()).height >= 0.75 * 720);
    await page.locator('#room-large').click();
  }, { warmUp: 0.5, screenshot: 'room-presenter' });
});
