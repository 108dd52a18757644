// Share and keep, end to end: a link round-trips the scenario exactly; a reload restores
// the saved scenario; bad links, bad files and corrupted storage each say what is wrong
// where the user looks, and keep what the user had.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { decodePng, importFile, waitForSimTime, withPage } from './browser.mjs';

/** The scenario the page runs, as exported (the JSON of `loadlab example`'s format). */
async function exported(page) {
  const download = page.waitForEvent('download');
  await page.locator('#export-json').click();
  const file = await download;
  const chunks = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** `body` on a playground 0.5 simulated seconds in; the page saved as `name` after. */
const sharing = (name, body) =>
  withPage(body, { warmUp: 0.5, screenshot: name, bodyChecksProblems: true });

test('a copied link reproduces the scenario exactly, and a reload restores it', () =>
  sharing('share-link', async (page, problems) => {
    await page.locator('#arrival-rate').fill('780');
    await page.locator('#db-replicas').fill('3');
    await page.locator('#copy-link').click();
    const link = await page.locator('#share-link').inputValue();
    assert.match(link, /#s=1\./);
    // Copying says so, then the words fade away by themselves.
    assert.match(await page.locator('#toast').textContent(), /Link copied/);
    await page.locator('#toast').waitFor({ state: 'detached', timeout: 5_000 });
    const before = await exported(page);
    assert.equal(before.traffic.arrivals.rate, 780);
    // The browser deflated the link: it is the core's format (raw DEFLATE of the
    // scenario's JSON, base64url), which the CLI reads too.
    const payload = Buffer.from(link.split('#s=1.')[1], 'base64url');
    assert.deepEqual(JSON.parse(inflateRawSync(payload).toString('utf8')), before);
    // The same link in a fresh page runs the same scenario.
    await page.goto('about:blank');
    await page.goto(link);
    await waitForSimTime(page, 0.3);
    assert.deepEqual(await exported(page), before);
    // A plain reload (no link) restores it from local storage.
    const origin = new URL(link).origin;
    await page.goto(`${origin}/`);
    await waitForSimTime(page, 0.3);
    assert.deepEqual(await exported(page), before);
    assert.deepEqual(problems, []);
  }));

test('a broken link says so at the top and keeps the saved scenario', () =>
  sharing('share-broken-link', async (page) => {
    await page.locator('#arrival-rate').fill('444');
    const saved = await exported(page);
    const origin = new URL(page.url()).origin;
    for (const [fragment, words] of [
      ['#s=1.AAAA', /cut short or changed/],
      ['#s=9.abc', /link format/],
      ['#s=1.' + 'A'.repeat(70000), /longer than any scenario link/],
    ]) {
      await page.goto('about:blank');
      await page.goto(`${origin}/${fragment}`);
      await page.locator('#notice').waitFor();
      assert.match(await page.locator('#notice').textContent(), words);
      assert.deepEqual(await exported(page), saved, `${fragment.slice(0, 12)} kept the scenario`);
    }
  }));

test('a bad file is refused beside the import, and the run goes on', () =>
  sharing('share-bad-file', async (page) => {
    await page.locator('#arrival-rate').fill('555');
    const saved = await exported(page);
    for (const [name, body, words] of [
      ['truncated.json', '{"version": 1, "seed": ', /ends in the middle \(line 1\): is it complete\?/],
      ['cut-mid-string.json', JSON.stringify(saved).slice(0, 200), /ends in the middle \(line 1\): is it complete\?/],
      ['cut-pretty.json', JSON.stringify(saved, null, 2).slice(0, 900), /ends in the middle \(line \d+\): is it complete\?/],
      ['wrong-version.json', JSON.stringify({ ...saved, version: 99 }), /version/],
      ['wrong-type.json', JSON.stringify({ ...saved, seed: 'x' }), /seed/],
      ['html.json', '<script>alert(1)</script>', /not a scenario/],
    ]) {
      await importFile(page, name, body);
      await page.locator('#share .error').waitFor();
      assert.match(await page.locator('#share .error').textContent(), words, name);
      if (name.startsWith('cut-')) {
        // The real problem comes first, with no field path where the text stopped.
        assert.doesNotMatch(await page.locator('#share .error').textContent(), /EOF|cache\.|traffic\./, name);
      }
      assert.deepEqual(await exported(page), saved, `${name} kept the scenario`);
    }
    // A good file replaces the run.
    const next = { ...saved, seed: 99 };
    await importFile(page, 'good.json', JSON.stringify(next));
    await page.waitForFunction(() => !document.querySelector('#share .error'));
    assert.match(await page.locator('#toast').textContent(), /Scenario imported/);
    assert.equal((await exported(page)).seed, 99);
  }));

test('corrupted storage is reported, moved aside, and the default runs', () =>
  sharing('share-bad-storage', async (page) => {
    await page.evaluate(() => localStorage.setItem('loadlab.scenario', '{"version": 1, "oops'));
    await page.goto(new URL(page.url()).origin + '/');
    await page.locator('#notice').waitFor();
    assert.match(await page.locator('#notice').textContent(), /could not be read/);
    assert.equal(await page.evaluate(() => localStorage.getItem('loadlab.scenario.unreadable')), '{"version": 1, "oops');
    assert.equal((await exported(page)).traffic.arrivals.rate, 600);
    await page.locator('#notice button').click();
    assert.equal(await page.locator('#notice').count(), 0);
  }));

test('the time series and the charts download', () =>
  sharing('share-exports', async (page) => {
    await waitForSimTime(page, 2.5);
    const csvDownload = page.waitForEvent('download');
    await page.locator('#export-csv').click();
    const csv = await csvDownload;
    const chunks = [];
    for await (const chunk of await csv.createReadStream()) chunks.push(chunk);
    const lines = Buffer.concat(chunks).toString('utf8').trim().split('\n');
    assert.ok(lines.length >= 3, `${lines.length} lines`);
    assert.match(lines[0], /^start_s,end_s,arrivals_req,/);
    for (const name of lines[0].split(',')) assert.match(name, /_(s|ms|req|req_per_s|fraction|queries|writes)$/, `${name} names its unit`);
    assert.ok(lines[0].includes('latency_p99_ms'));
    assert.equal(lines[1].split(',').length, lines[0].split(',').length);
    const pngDownload = page.waitForEvent('download');
    await page.locator('#export-png').click();
    const png = await pngDownload;
    assert.equal(png.suggestedFilename(), 'loadlab-charts.png');
    // The picture carries a header (title, key settings, times) above the charts.
    const pngChunks = [];
    for await (const chunk of await png.createReadStream()) pngChunks.push(chunk);
    const image = decodePng(Buffer.concat(pngChunks));
    const chart = await page.locator('#chart-latency').evaluate((c) => [c.width, c.height]);
    assert.equal(image.width, chart[0] * 4);
    const header = image.height - 2 * chart[1];
    assert.ok(header >= 40 && header < 200, `a header band of ${header} px`);
    let ink = 0;
    for (let y = 0; y < header; y++) {
      for (let x = 0; x < image.width; x += 2) if (image.pixel(x, y)[0] < 100) ink++;
    }
    assert.ok(ink > 200, `the header has words: ${ink} dark pixels`);
  }));
