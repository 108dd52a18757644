// Browser soak (not a test: it prints figures, so CI's *.test.mjs glob leaves it out):
// the playground in headless Chromium at 1000x real time until an hour of simulated
// traffic has passed, sampling the live JS heap and the wasm linear memory every five
// simulated minutes. Run after a build, from the repository root:
//   node tests/e2e/soak.mjs
// SOAK_SIM_SECONDS changes the simulated span (default 3600).
//
// Before each sample a full garbage collection runs (CDP HeapProfiler.collectGarbage),
// so the heap figure is what is still reachable, not garbage waiting for the collector.
// The wasm memory only ever grows (linear memory cannot shrink), so any growth after
// the warm-up, however brief, stays visible in it. The warm-up is half an hour of
// simulated time: the page keeps the last 1,800 one-second windows for its charts
// (MAX_WINDOWS in crates/sim/src/metrics.rs), and until that ring is full the wasm
// memory rightly grows. The first sample at or after it is the reference for the end.
// Over many simulated hours the heap also gains Chromium's own performance-timeline
// entries (layout shifts, long frames) up to their fixed caps: see docs/reliability.md.
import { openPlayground, readout } from './browser.mjs';

const SIM_SECONDS = Number(process.env.SOAK_SIM_SECONDS ?? 3600);
const SAMPLE_EVERY = 300;
const WARM_UP_SECONDS = 1800;
// log10 of the speed: the slider's top, 1000x.
const SPEED_LOG10 = '3';
// The same bound as the native soak (crates/sim/benches/soak.rs).
const FLAT_TOLERANCE = 0.1;
// However slowly the page goes, a sample that takes this long means it has stalled.
const SAMPLE_TIMEOUT_MS = 15 * 60_000;

const mib = (bytes) => (bytes / 2 ** 20).toFixed(2);

async function sample(page, cdp, started) {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  // Trunk's loader keeps the glue module on `window.wasmBindings`; its init function,
  // called again, returns the exports of the instance already running, memory among them.
  const wasm = await page.evaluate(async () => (await window.wasmBindings.default()).memory.buffer.byteLength);
  return {
    simSeconds: await readout(page, 'sim-time'),
    wallSeconds: (Date.now() - started) / 1000,
    heapUsed: heap.usedSize,
    heapTotal: heap.totalSize,
    wasm,
    nodes: dom.nodes,
    listeners: dom.jsEventListeners,
  };
}

function verdict(first, last) {
  const ratio = last / first;
  return `x${ratio.toFixed(3)}, ${ratio <= 1 + FLAT_TOLERANCE ? 'flat' : 'GROWING'}`;
}

const { page, problems, close } = await openPlayground({ width: 1280, height: 720 });
try {
  const cdp = await page.context().newCDPSession(page);
  await page.locator('[data-readout="sim-time"]').waitFor();
  await page.locator('#speed').fill(SPEED_LOG10);
  await page.locator('#speed').dispatchEvent('input');
  const started = Date.now();
  console.log(`soak: ${SIM_SECONDS} simulated seconds at ${10 ** Number(SPEED_LOG10)}x, a sample every ${SAMPLE_EVERY} s`);
  console.log('  sim s    wall s   JS heap MiB (of)   wasm MiB   DOM nodes  listeners');
  const rows = [];
  // A sample can take longer than five simulated minutes; the next one then waits for
  // the next multiple of five minutes rather than repeating at once.
  for (let at = 0; at <= SIM_SECONDS; at = (Math.floor(rows[rows.length - 1].simSeconds / SAMPLE_EVERY) + 1) * SAMPLE_EVERY) {
    await page.waitForFunction(
      (t) => Number.parseFloat(document.querySelector('[data-readout="sim-time"]')?.dataset.value) >= t,
      at,
      { timeout: SAMPLE_TIMEOUT_MS, polling: 250 },
    );
    const s = await sample(page, cdp, started);
    rows.push(s);
    console.log(
      `  ${s.simSeconds.toFixed(0).padStart(6)} ${s.wallSeconds.toFixed(1).padStart(8)} ` +
        `${mib(s.heapUsed).padStart(10)} (${mib(s.heapTotal).padStart(6)}) ${mib(s.wasm).padStart(10)} ` +
        `${String(s.nodes).padStart(11)} ${String(s.listeners).padStart(10)}`,
    );
  }
  const warm = rows.find((r) => r.simSeconds >= WARM_UP_SECONDS);
  const last = rows[rows.length - 1];
  console.log(
    `JS heap: ${mib(warm.heapUsed)} MiB after warm-up (${warm.simSeconds.toFixed(0)} s), ` +
      `${mib(last.heapUsed)} MiB at the end (${last.simSeconds.toFixed(0)} s): ${verdict(warm.heapUsed, last.heapUsed)}`,
  );
  console.log(
    `wasm memory: ${mib(warm.wasm)} MiB after warm-up, ${mib(last.wasm)} MiB at the end: ${verdict(warm.wasm, last.wasm)}`,
  );
  console.log(`DOM nodes: ${warm.nodes} after warm-up, ${last.nodes} at the end`);
  console.log(`in flight at the end: ${await readout(page, 'in-flight')}; wall time ${last.wallSeconds.toFixed(0)} s`);
  if (problems.length) console.log(`problems: ${problems.join('; ')}`);
} finally {
  await close();
}
