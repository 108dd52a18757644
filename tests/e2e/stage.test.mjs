// The stage tells the truth, read from what the page drew in a frame (`?scene` makes the
// stage publish it on the canvas as `data-scene`, beside the core's figures of that same
// frame): the requests drawn waiting at each server plus those counted beyond its cells
// are its queue length, busy slots are busy workers; a followed request's waterfall adds
// up to its latency; a refusal is marked at the part that refused it; and no drawn
// request covers a label, on a laptop, a projector and a phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, waitForSimTime, openLesson } from './browser.mjs';

/** The page opened with `?scene`, so the stage publishes what it draws. */
const SCENE = { path: '/?scene' };

/** Starts `lesson` (if given) and lets it run a little. */
async function start(page, lesson, { seconds = 2 } = {}) {
  if (lesson) {
    await openLesson(page, lesson);
    await page.locator('#lesson-try').waitFor();
  }
  await waitForSimTime(page, seconds);
}

/** The frame drawn last, as the stage published it. */
async function scene(page) {
  await page.evaluate(() => new Promise((drawn) => requestAnimationFrame(() => drawn())));
  return page.locator('#topology').evaluate((c) => JSON.parse(c.dataset.scene));
}

/** `count` frames, `gapMs` apart. */
async function frames(page, count, gapMs = 100) {
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push(await scene(page));
    await page.waitForTimeout(gapMs);
  }
  return out;
}

/** The parts' boxes ([x, y, w, h], canvas pixels) by key. */
async function parts(page) {
  return page.locator('#topology').evaluate((c) => JSON.parse(c.dataset.parts));
}

const overlap = ([ax, ay, aw, ah], [bx, by, bw, bh]) =>
  ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;

/**
 * Each server's queue: as many requests drawn as it holds, up to its cells, and the rest
 * counted; as many busy slots as busy workers.
 */
function assertQueuesTrue(frame) {
  for (const s of frame.servers) {
    const where = `server ${s.index} at t=${frame.t}`;
    assert.equal(s.queueDrawn, Math.min(s.queueCore, s.queueCells), `${where}: requests drawn in the queue`);
    assert.equal(s.queueDrawn + s.queueCounted, s.queueCore, `${where}: drawn and counted`);
    assert.equal(s.busyDrawn, s.busyCore, `${where}: busy slots`);
  }
}

test('the queue drawn at each server is its queue length, and busy slots are busy workers, frame by frame', () =>
  withPage(async (page) => {
    // Round robin sends a quarter of the load to a server of a quarter the speed: its
    // queue fills and stays full, the others' come and go.
    await start(page, 'round-robin-vs-least-connections');
    const running = await frames(page, 20);
    running.forEach(assertQueuesTrue);
    assert.ok(running.some((f) => f.servers.some((s) => s.queueCore > 5)), 'no queue built: the test saw nothing');
    // Paused, the picture stands still and stays true.
    await page.locator('#play').click();
    const [a, b] = await frames(page, 2, 300);
    assert.equal(a.t, b.t, 'time moved while paused');
    assert.deepEqual(a.servers, b.servers);
    assertQueuesTrue(a);
  }, SCENE));

test('a followed request\'s waterfall adds up to its latency', () =>
  withPage(async (page) => {
    await start(page, '', { seconds: 1 });
    // Paused, so the request clicked is where the frame drew it: the centre of one.
    await page.locator('#play').click();
    await page.waitForTimeout(200);
    const frame = await scene(page);
    assert.ok(frame.items.length > 0, 'nothing drawn to follow');
    const [x, y, w, h] = frame.items[Math.floor(frame.items.length / 2)];
    const canvas = await page.locator('#topology').boundingBox();
    await page.mouse.click(canvas.x + x + w / 2, canvas.y + y + h / 2);
    await page.locator('#follow[data-latency-ms]').waitFor();
    await page.locator('#play').click();
    const follow = page.locator('#follow[data-ended="true"]');
    await follow.waitFor({ timeout: 20_000 });
    const latency = Number(await follow.getAttribute('data-latency-ms'));
    const sum = Number(await follow.getAttribute('data-sum-ms'));
    const phases = (await follow.locator('li[data-ms]').evaluateAll((els) => els.map((e) => Number(e.dataset.ms))));
    assert.ok(latency > 0 && phases.length >= 2, `latency ${latency}, phases ${phases}`);
    // Each figure is printed to 0.1 ms (0.01 below 10 µs): they agree within that.
    assert.ok(Math.abs(sum - latency) <= 0.051, `the phases add up to ${sum}, the latency is ${latency}`);
    const added = phases.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(added - sum) <= 0.051 * phases.length, `the bars add up to ${added}, not ${sum}`);
  }, SCENE));

/** Every mark lies at its part's door: within `reach` pixels of its box. */
function assertMarksAtTheirParts(frame, boxes, reach = 8) {
  for (const m of frame.marks) {
    const box = boxes[m.part];
    assert.ok(box, `a mark at ${m.part}, which the stage does not show`);
    const [x, y, w, h] = box;
    const dx = Math.max(x - m.x, 0, m.x - (x + w));
    const dy = Math.max(y - m.y, 0, m.y - (y + h));
    assert.ok(Math.hypot(dx, dy) <= reach, `${m.reason} at ${m.part} drawn ${Math.hypot(dx, dy).toFixed(1)} px away`);
  }
}

test('a refusal is marked at the part that refused it, with its reason', () =>
  withPage(async (page) => {
    // A full queue refuses at its server (the slow server 3).
    await start(page, 'round-robin-vs-least-connections', { seconds: 3 });
    let frame = await scene(page);
    const boxes = await parts(page);
    assert.ok(frame.marks.some((m) => m.part === 'server-3' && m.reason === 'QueueFull'), JSON.stringify(frame.marks.slice(0, 5)));
    assertMarksAtTheirParts(frame, boxes);
    // A rate limiter refuses at itself.
    // The first burst (4.75–5.25 s) overruns the fixed window.
    await start(page, 'rate-limiting', { seconds: 5.5 });
    frame = await scene(page);
    assert.ok(frame.marks.some((m) => m.part === 'limiter' && m.reason === 'RateLimited'), JSON.stringify(frame.marks.slice(0, 5)));
    assertMarksAtTheirParts(frame, await parts(page));
  }, SCENE));

for (const [name, width, height] of [['laptop', 1600, 1000], ['projector', 1280, 720], ['phone', 390, 844]]) {
  test(`no drawn request covers a label (${name}, ${width}×${height})`, () =>
    withPage(async (page) => {
      // Busy everywhere: full queues, the cache, the database's nodes.
      await start(page, '', { seconds: 0.5 });
      if (name === 'phone') await page.locator('#drawer-toggle').click();
      await page.locator('#arrival-rate').fill('1400');
      if (name === 'phone') await page.locator('#drawer-toggle').click();
      await waitForSimTime(page, 3);
      let drawn = 0;
      for (const frame of await frames(page, 10)) {
        drawn += frame.items.length;
        for (const item of frame.items) {
          for (const label of frame.labels) {
            assert.ok(!overlap(item, label), `a request at ${item} covers the label at ${label}`);
          }
        }
      }
      assert.ok(drawn > 100, `only ${drawn} requests drawn in 10 frames`);
    }, { width, height, ...SCENE }));
}
