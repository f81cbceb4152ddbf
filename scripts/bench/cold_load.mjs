// Cold-load benchmark (issue 8, "Benchmarks" 2). Run by scripts/bench/cold-load.sh, which
// builds, copies dist/ with a baseline page added and starts the server; this file only
// drives headless Chromium (playwright-core) against BASE_URL.
//
// Each load is cold: a new browser context (own cache, cookies, storage -- nothing shared
// with the load before), signed in as paul through the API (cookie added to the context), then
// navigation start -> the first partner row of the Partnerships page in the DOM, seen by a
// MutationObserver installed with addInitScript (before any page script runs). Milestones from
// the Performance API: wasm received (Resource Timing responseEnd of the .wasm), the first
// /api/ request (startTime), the /api/partnerships request, and the row. The baseline is a
// hand-written static page (baseline.html + baseline.js) that fetches the same JSON with plain
// JS and renders the same rows. App and baseline loads alternate. No sleeps: every wait is on
// an event or a condition.
//
//   node cold_load.mjs            env: BASE_URL (required), LOADS (default 15),
//                                 NO_EARLY_URL (the same app without index.html's early
//                                 requests, on another server: a third variant, alternated),
//                                 TRACE (a file: one more app load, traced, saved there and
//                                 summed up as main-thread time per phase, see traceSummary)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// playwright-core lives in <repo>/.tools (installed by cold-load.sh), not beside this file.
const tools = fileURLToPath(new URL('../../.tools/', import.meta.url));
const { chromium } = createRequire(tools)('playwright-core');

const BASE = process.env.BASE_URL;
const NO_EARLY = process.env.NO_EARLY_URL;
const LOADS = Number(process.env.LOADS || 15);
const TRACE = process.env.TRACE;
const APP_PATH = '/settings/team/partnerships/external-partners';
if (!BASE) throw new Error('BASE_URL is required');

async function signIn() {
  const res = await fetch(`${BASE}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'partner-workspaces' },
    body: JSON.stringify({ email: 'paul@acme.test', password: 'partner-demo' }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((line) => {
    const [pair] = line.split(';');
    const i = pair.indexOf('=');
    return { name: pair.slice(0, i), value: pair.slice(i + 1), url: BASE };
  });
  if (!cookies.length) throw new Error('sign-in set no cookie');
  return cookies;
}

// Runs in the page before its own scripts: the time the first partner row is in the DOM.
const OBSERVER = () => {
  window.__bench = { mounted: null, row: null, frame: null };
  const found = () => document.querySelector('tbody tr.row th a, tbody tr.row th');
  const mark = () => {
    // The app's first render: the shell's <header> (the wasm has started and rendered).
    if (window.__bench.mounted === null && document.querySelector('body > header, body header')) {
      window.__bench.mounted = performance.now();
      performance.mark('bench:mounted');
    }
    if (window.__bench.row !== null || !found()) return false;
    window.__bench.row = performance.now();
    performance.mark('bench:row');
    requestAnimationFrame(() => { window.__bench.frame = performance.now(); });
    return true;
  };
  new MutationObserver((_, obs) => { if (mark()) obs.disconnect(); })
    .observe(document, { childList: true, subtree: true });
};

async function load(browser, cookies, path, tracePath, base = BASE) {
  const context = await browser.newContext();
  await context.addCookies(cookies);
  await context.addInitScript(OBSERVER);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  if (tracePath) await browser.startTracing(page, { path: tracePath, categories: TRACE_CATEGORIES });
  await page.goto(`${base}${path}`, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__bench && window.__bench.frame !== null, null, {
    timeout: 15000,
  });
  if (tracePath) await browser.stopTracing();
  const m = await page.evaluate(() => {
    const res = performance.getEntriesByType('resource');
    const wasm = res.find((r) => r.name.endsWith('.wasm'));
    const api = res.filter((r) => new URL(r.name).pathname.startsWith('/api/'));
    const list = api.find((r) => new URL(r.name).pathname === '/api/partnerships');
    const me = api.find((r) => new URL(r.name).pathname === '/api/me');
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      html: nav ? nav.responseEnd : null,
      wasm: wasm ? wasm.responseEnd : null,
      wasmType: wasm ? wasm.initiatorType : null,
      firstApi: api.length ? Math.min(...api.map((r) => r.startTime)) : null,
      listStart: list ? list.startTime : null,
      listEnd: list ? list.responseEnd : null,
      meEnd: me ? me.responseEnd : null,
      mounted: window.__bench.mounted,
      row: window.__bench.row,
      frame: window.__bench.frame,
      rows: document.querySelectorAll('tbody tr.row').length,
      // How often the list and the session were asked for: 1 each when the app adopted
      // index.html's early requests (or made its own), 2 if it asked again.
      asked: `${api.filter((r) => new URL(r.name).pathname === '/api/partnerships').length}/` +
        `${api.filter((r) => new URL(r.name).pathname === '/api/me').length}`,
    };
  });
  await context.close();
  if (errors.length) throw new Error(`page errors on ${path}: ${errors.join('; ')}`);
  return m;
}

// What a traced load records: the main thread's tasks, network events, user-timing marks and
// V8's WebAssembly work (each function compiled lazily, on its first call, is one event).
const TRACE_CATEGORIES = ['devtools.timeline', 'blink.user_timing', 'loading', 'v8', 'v8.wasm',
  'disabled-by-default-v8.compile'];

// Which kind of work a main-thread trace event is (its self time, children excluded).
function kind(name) {
  if (name === 'wasm.CompileLazy' || name === 'FlushInstructionCache') return 'wasm compiled on first call';
  if (name.startsWith('wasm.')) return 'wasm decoded and instantiated';
  if (name.startsWith('V8.Compile') || name.startsWith('V8.Parse') || name === 'V8.PreParse') return 'JS compiled';
  if (name.startsWith('V8.GC') || name.endsWith('GC')) return 'garbage collection';
  if (['Layout', 'UpdateLayoutTree', 'ParseAuthorStyleSheet', 'PrePaint', 'Paint', 'Layerize', 'Commit']
    .includes(name)) return 'style, layout and paint';
  if (['FunctionCall', 'v8.callFunction', 'v8.evaluateModule', 'EvaluateScript', 'EventDispatch',
    'FireAnimationFrame', 'TimerFire', 'RunMicrotasks'].includes(name)) return 'script (wasm and JS) running';
  return 'other';
}

// The main thread of a traced load between navigation, wasm received, the shell mounted and
// the first row: how long each phase took and what the thread did in it (busy time per kind,
// the rest idle: waiting for the network or for another process).
function traceSummary(file) {
  const events = JSON.parse(readFileSync(file, 'utf8')).traceEvents;
  const mark = (name) => events.find((e) => e.name === name);
  const row = mark('bench:row');
  const mounted = mark('bench:mounted');
  if (!row || !mounted) return 'trace: no bench marks found';
  const origin = row.ts - row.args.data.startTime * 1000;
  const url = new Map(events.filter((e) => e.name === 'ResourceSendRequest')
    .map((e) => [e.args.data.requestId, e.args.data.url]));
  const wasm = events.find((e) => e.name === 'ResourceFinish' && e.pid === row.pid
    && (url.get(e.args.data.requestId) || '').endsWith('.wasm'));
  const main = events.filter((e) => e.pid === row.pid && e.tid === row.tid && e.ph === 'X')
    .sort((a, b) => a.ts - b.ts || (b.dur || 0) - (a.dur || 0));
  const phases = [['navigation -> wasm received', origin, wasm ? wasm.ts : origin],
    ['wasm received -> shell mounted', wasm ? wasm.ts : origin, mounted.ts],
    ['shell mounted -> first row', mounted.ts, row.ts]];
  const lines = [];
  for (const [label, from, to] of phases) {
    const self = new Map();
    const stack = [];
    let compiled = 0;
    for (const e of main) {
      if (e.ts < from || e.ts >= to) continue;
      const dur = Math.min(e.dur || 0, to - e.ts);
      while (stack.length && stack.at(-1).end <= e.ts) stack.pop();
      if (stack.length) self.set(stack.at(-1).kind, self.get(stack.at(-1).kind) - dur);
      const k = kind(e.name);
      self.set(k, (self.get(k) || 0) + dur);
      stack.push({ end: e.ts + dur, kind: k });
      if (e.name === 'wasm.CompileLazy') compiled += 1;
    }
    const busy = [...self.values()].reduce((a, b) => a + b, 0);
    self.set('idle', to - from - busy);
    lines.push(`${label}: ${((to - from) / 1000).toFixed(1)} ms (${compiled} wasm functions compiled)`);
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1])) {
      if (v >= 50) lines.push(`  ${(v / 1000).toFixed(1).padStart(6)} ${k}`);
    }
  }
  return lines.join('\n');
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const fmt = (x) => (x === null || x === undefined ? '   -  ' : x.toFixed(1).padStart(6));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const cookies = await signIn();
const runs = NO_EARLY ? { app: [], 'no-early': [], baseline: [] } : { app: [], baseline: [] };
// One warm-up of each (not counted): the first start of the browser process and the server's
// first queries are not what "cold load" means here.
await load(browser, cookies, APP_PATH);
await load(browser, cookies, '/baseline.html');
if (NO_EARLY) await load(browser, cookies, APP_PATH, null, NO_EARLY);
for (let i = 0; i < LOADS; i++) {
  runs.app.push(await load(browser, cookies, APP_PATH));
  if (NO_EARLY) runs['no-early'].push(await load(browser, cookies, APP_PATH, null, NO_EARLY));
  runs.baseline.push(await load(browser, cookies, '/baseline.html'));
}
// Not among the measured loads: tracing slows the page down.
const traced = TRACE ? await load(browser, cookies, APP_PATH, TRACE) : null;
await browser.close();

console.log(`\n${LOADS} cold loads each, ms since navigation start (fresh context per load)`);
console.log('load       html   wasm  1st api list.start list.end  me.end  mounted   row in DOM  next frame  rows  asked (list/me)');
for (const [name, list] of Object.entries(runs)) {
  list.forEach((m, i) => {
    console.log(`${name.padEnd(8)} ${String(i + 1).padStart(2)} ${fmt(m.html)} ${fmt(m.wasm)} ` +
      `${fmt(m.firstApi)} ${fmt(m.listStart).padStart(10)} ${fmt(m.listEnd).padStart(8)} ` +
      `${fmt(m.meEnd).padStart(7)} ${fmt(m.mounted).padStart(8)} ` +
      `${fmt(m.row).padStart(12)} ${fmt(m.frame).padStart(11)} ${String(m.rows).padStart(5)}  ${m.asked}`);
  });
}
const summary = {};
console.log('\n             median  worst   (row in DOM)   milestones (medians): wasm  1st api  list end  me end  mounted');
for (const [name, list] of Object.entries(runs)) {
  const rows = list.map((m) => m.row);
  const med = (k) => { const v = list.map((m) => m[k]).filter((x) => x !== null); return v.length ? median(v) : null; };
  summary[name] = { median: median(rows), worst: Math.max(...rows) };
  console.log(`${name.padEnd(10)} ${fmt(summary[name].median)} ${fmt(summary[name].worst)}` +
    `                  ${fmt(med('wasm'))} ${fmt(med('firstApi'))} ${fmt(med('listEnd'))} ${fmt(med('meEnd'))} ${fmt(med('mounted'))}`);
}
const ratio = summary.app.median / summary.baseline.median;
if (NO_EARLY) {
  // Paired: load i of each variant ran back to back.
  const diffs = runs.app.map((m, i) => m.row - runs['no-early'][i].row);
  console.log(`\napp / no-early median: ${(summary.app.median / summary['no-early'].median).toFixed(2)}x; ` +
    `paired difference (app - no-early, row in DOM): median ${median(diffs).toFixed(1)} ms, ` +
    `app faster in ${diffs.filter((d) => d < 0).length} of ${diffs.length} pairs`);
}
console.log(`\napp / baseline median: ${ratio.toFixed(2)}x   ` +
  `goals: median <= 150 ms (${summary.app.median <= 150 ? 'met' : 'missed'}), ` +
  `worst <= 250 ms (${summary.app.worst <= 250 ? 'met' : 'missed'}), ` +
  `<= 1.5x baseline (${ratio <= 1.5 ? 'met' : 'missed'})`);
if (traced) {
  console.log(`\nOne more app load, traced (${TRACE}; open it in Chromium DevTools > Performance),` +
    ` first row at ${traced.row.toFixed(1)} ms:`);
  console.log(traceSummary(TRACE));
}
