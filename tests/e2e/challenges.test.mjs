// Challenges, end to end: the view loads only when Challenges is first opened; a
// challenge is set up with the page's own controls (a locked setting is named and Play
// refused), played on the stage to the script's end (which the stage stops at exactly),
// and scored: the verdict, the debrief and the score are the CLI's for the same
// settings, byte for byte; the result link replays the very same run; a broken result
// link says why and the page carries on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readout, waitForSimTime, withPage } from './browser.mjs';

/** The CLI, as the host tests built it (or built now). */
function cli() {
  const built = ['target/debug/loadlab', 'target/release/loadlab'].find((p) => existsSync(p));
  if (built) return built;
  execFileSync('cargo', ['build', '--quiet', '--bin', 'loadlab']);
  return 'target/debug/loadlab';
}

/** The CLI's score of `settings` on challenge `id`, as JSON. */
function cliScore(id, settings) {
  const dir = mkdtempSync(join(tmpdir(), 'loadlab-challenge-'));
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings));
  return JSON.parse(execFileSync(cli(), ['challenge', id, '--settings', join(dir, 'settings.json')]).toString());
}

/** Opens Challenges (fetching its code) and picks challenge `id`. */
async function pick(page, id) {
  await page.locator('#challenges-toggle').click();
  await page.locator(`#challenge-${id}`).click({ timeout: 20_000 });
  await page.locator('#challenge-play').waitFor();
}

async function setTyped(page, id, value) {
  const field = page.locator(`#${id}-typed`);
  await field.fill(String(value));
  await field.press('Enter');
}

/** Plays what is set up, skips to the end, and returns the score the page shows. */
async function playToTheEnd(page) {
  await page.locator('#challenge-play').click();
  await page.locator('#challenge-finish').click();
  const verdict = page.locator('#challenge-verdict');
  await verdict.waitFor({ timeout: 60_000 });
  return JSON.parse(await verdict.getAttribute('data-score'));
}

test('a challenge played on the page scores as the CLI does, and its link replays it', async () => {
  let link;
  let debrief;
  await withPage(async (page) => {
    await pick(page, 'first-spike');
    await setTyped(page, 'server-count', 3);
    await page.locator('#challenge-changes').getByText('Servers: 2 → 3').waitFor();
    const score = await playToTheEnd(page);
    // The stage stopped at the script's end, exactly.
    assert.equal(await readout(page, 'sim-time'), 60);
    assert.deepEqual(score, cliScore('first-spike', { servers: { count: 3 } }));
    assert.equal(score.passed, true);
    assert.equal(await page.locator('#challenge-verdict').getAttribute('data-stars'), String(score.stars));
    debrief = await page.locator('#challenge-debrief').textContent();
    assert.match(debrief, /No window missed the goal/);
    link = page.url();
    assert.match(link, /#challenge=first-spike&settings=/);
  }, { warmUp: 0.5, screenshot: 'challenge-passed' });

  // The result link, opened afresh, plays the same run and shows the same debrief.
  const path = link.slice(link.indexOf('/#'));
  await withPage(async (page) => {
    await page.locator('#challenge-progress').waitFor({ timeout: 20_000 });
    await page.locator('#challenge-finish').click();
    await page.locator('#challenge-verdict').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('#challenge-debrief').textContent(), debrief);
  }, { path });
});

test('the start fails, and the debrief says where and when', async () => {
  await withPage(async (page) => {
    await pick(page, 'first-spike');
    await page.locator('#challenge-changes').waitFor();
    const score = await playToTheEnd(page);
    assert.deepEqual(score, cliScore('first-spike', {}));
    assert.equal(score.passed, false);
    assert.equal(await page.locator('#challenge-verdict').getAttribute('data-passed'), 'false');
    // The spike from 20 s to 40 s: the stretches the goal was missed in are within it,
    // and the servers that refused are named.
    const stretches = await page.locator('#challenge-missed li').allTextContents();
    assert.ok(stretches.length > 0);
    for (const s of stretches.filter((s) => /–/.test(s))) {
      const [from, to] = s.match(/(\d+)–(\d+) s/).slice(1).map(Number);
      assert.ok(from >= 20 && to <= 41, s);
    }
    assert.match(await page.locator('#challenge-refused').textContent(), /server 0: [\d,]+ · queue full/i);
  }, { screenshot: 'challenge-failed' });
});

test('a locked setting is named and Play refused; settings stay as played', async () => {
  await withPage(async (page) => {
    await pick(page, 'slow-server');
    await setTyped(page, 'server-count', 8);
    await page.locator('#challenge-changes li.locked').first().waitFor();
    assert.equal(await page.locator('#challenge-play').isDisabled(), true);
    await page.locator('#challenge-reset').click();
    await page.locator('#challenge-changes li').waitFor({ state: 'detached' });
    await page.locator('#balancer').selectOption('least_connections');
    await page.locator('#challenge-play').click();
    await page.locator('#challenge-progress').waitFor();
    // While it plays, a control's change is refused where the reader is looking.
    await setTyped(page, 'server-count', 6);
    await page.getByText('A challenge is playing').first().waitFor();
    await page.locator('#challenge-finish').click();
    await page.locator('#challenge-verdict').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('#challenge-verdict').getAttribute('data-passed'), 'true');
    // Back to the list: the learner's own scenario again.
    await page.locator('#challenge-back').click();
    await page.locator('#challenge-slow-server').getByText('best ★').waitFor();
  });
});

test('a broken result link says why, and the page carries on', async () => {
  await withPage(async (page) => {
    const error = page.locator('#challenge-link-error');
    await error.waitFor({ timeout: 20_000 });
    assert.match(await error.textContent(), /cannot be played/);
    await waitForSimTime(page, 1);
  }, { path: '/#challenge=first-spike&settings=***' });
});
