// Share bench: (1) time from "code accepted" to the first page of a 50-page PDF painted in <share-viewer>, in
// Chromium with the built bundle (Playwright); (2) gate endpoint latency (info, send-code, verify, first content
// range) with 200 concurrent viewers on loopback, p50/p95 per endpoint. Prints figures; CI does not run it.
// Run: npm run build && node --import tsx bench/share.bench.ts
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { chromium } from '@playwright/test';
import { findChromium, CHROMIUM_ARGS } from '../scripts/chromium.mjs';
import { systemClock } from '../server/src/deps.js';
import { createWorkspace } from '../server/src/domain/workspaces.js';
import { startServer } from '../server/src/main.js';
import { samplePdf } from '../server/src/seed/sample-pdf.js';
import { CapturingTransport } from '../server/src/test-share.js';

const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PAGE_RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 5);

if (!existsSync(new URL('../dist/elements/share-viewer.js', import.meta.url))) {
  console.error('Build first: npm run build');
  process.exit(1);
}

const dataDir = mkdtempSync(join(tmpdir(), 'dossier-share-bench-'));
const capture = new CapturingTransport();
const quiet = console.log;
const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  dataDir,
  transports: { email: capture, whatsapp: capture },
  // Many viewers share one loopback address here: per-IP limits read X-Forwarded-For, one address per viewer.
  config: { trustProxy: 1, share: { sendsPerIpPerHour: 1_000_000, checksPerIpPer10Min: 1_000_000, opensPerIpPer10Min: 1_000_000, failuresPerLinkPerHour: 1_000_000 } },
});
const base = server.url.replace('localhost', '127.0.0.1');
const { secretKey } = await createWorkspace(server.opened.db, { name: 'Share bench' }, systemClock.now());
const auth = { authorization: `Bearer ${secretKey}` };

async function linkFor(pages: number) {
  const contact = (await (await fetch(`${base}/api/v1/contacts`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ firstName: 'Bench' }) })).json()) as { id: string };
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(samplePdf(pages, 'Share bench'))]), `bench-${pages}.pdf`);
  const doc = ((await (await fetch(`${base}/api/v1/contacts/${contact.id}/documents`, { method: 'POST', headers: auth, body: form })).json()) as { items: { id: string; size: number }[] }).items[0]!;
  const link = (await (await fetch(`${base}/api/v1/share-links`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ documentId: doc.id, require: 'email', verifyOtp: true }) })).json()) as { slug: string };
  return { slug: link.slug, size: doc.size };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

// ——— 1. Time to first page after the code is accepted ——— (BENCH_PAGE_RUNS=0 skips it)
if (PAGE_RUNS > 0) {
  const { slug, size } = await linkFor(50);
  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? findChromium() ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const times: number[] = [];
  for (let run = 0; run < PAGE_RUNS; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const email = `bench.page.${run}.${Date.now()}@example.com`;
    await page.goto(`${base}/s/${slug}`);
    const viewer = page.locator('share-viewer');
    await viewer.getByRole('textbox', { name: 'Email address' }).fill(email);
    await viewer.getByRole('button', { name: 'Send code' }).click();
    await viewer.getByRole('textbox', { name: 'Code' }).waitFor();
    await viewer.getByRole('textbox', { name: 'Code' }).fill(capture.last(email)!.code);
    // Start the clock in the page when the verify answer arrives, stop it when page 1 has painted.
    await page.evaluate(() => {
      const w = window as unknown as { __accepted?: number; __painted?: number };
      const original = window.fetch;
      window.fetch = async (...args) => {
        const res = await original(...args);
        if (String(args[0]).endsWith('/verify') && res.ok) w.__accepted = performance.now();
        return res;
      };
      document.addEventListener('page-rendered', () => (w.__painted ??= performance.now()), { capture: true });
    });
    await viewer.getByRole('button', { name: 'Verify' }).click();
    await viewer.getByRole('img', { name: 'Page 1 of 50' }).waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => (window as unknown as { __painted?: number }).__painted !== undefined);
    const ms = await page.evaluate(() => {
      const w = window as unknown as { __accepted: number; __painted: number };
      return w.__painted - w.__accepted;
    });
    times.push(ms);
    await context.close();
  }
  await browser.close();
  if (times.length) console.log(`50-page PDF (${(size / 1024).toFixed(0)} KB), code accepted → page 1 painted, ${PAGE_RUNS} cold browser contexts:`);
  if (times.length) console.log(`  median ${fmt(pct(times, 50))}, min ${fmt(Math.min(...times))}, max ${fmt(Math.max(...times))}  (first run includes loading pdf.js from the server)`);
}

// ——— 2. Gate endpoints under 200 concurrent viewers ———
// The viewers run in a worker thread, as a separate load generator would: the server's event loop serves requests
// only, and the client's own work (fetch, parsing) is not counted against it. A warm-up round of 20 viewers first,
// as a running server is warm; then ROUNDS rounds of VIEWERS at once.
{
  const { slug } = await linkFor(5);
  const root = `${base}/api/v1/public/share/${slug}`;
  console.log = () => {}; // keep the outbox-free run quiet
  const started = performance.now();
  // The server's thread: how long it was busy (not waiting for I/O) — less sensitive to the machine's load than latency.
  const busyBefore = performance.eventLoopUtilization();
  const worker = new Worker(new URL('./share-viewers.worker.mjs', import.meta.url), { workerData: { root, viewers: VIEWERS, rounds: ROUNDS } });
  // The worker asks for the code each viewer was sent (the capturing transport lives here, with the server).
  // Delivery runs just after the 202 answer: wait for it (up to 5 s).
  worker.on('message', async (m: { code?: string; id: number }) => {
    if (m.code === undefined) return;
    const until = Date.now() + 5000;
    while (!capture.last(m.code) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
    worker.postMessage({ id: m.id, code: capture.last(m.code)?.code ?? null });
  });
  const result = await new Promise<{ lat: Record<string, number[]>; failures: number; firstError: string }>((resolve, reject) => {
    worker.on('message', (m: { done?: boolean }) => m.done && resolve(m as never));
    worker.on('error', reject);
  });
  await worker.terminate();
  const seconds = (performance.now() - started) / 1000;
  const busy = performance.eventLoopUtilization(busyBefore);
  console.log = quiet;
  const { lat, failures, firstError } = result;
  console.log(`\nGate endpoints, ${VIEWERS} concurrent viewers × ${ROUNDS} rounds on loopback, load from a worker thread (info → send-code → verify; then one range read each), ${failures} failures${firstError ? ` (first: ${firstError.slice(0, 200)})` : ''}, ${seconds.toFixed(1)} s:`);
  for (const [name, xs] of Object.entries(lat)) console.log(`  ${name.padEnd(10)} n=${String(xs.length).padStart(4)}  p50 ${fmt(pct(xs, 50)).padStart(10)}  p95 ${fmt(pct(xs, 95)).padStart(10)}  max ${fmt(Math.max(...xs)).padStart(10)}`);
  const viewers = 20 + (ROUNDS + 1) * VIEWERS; // warm-up, rounds, and the content round's viewers
  console.log(`  server thread busy ${(busy.active / 1000).toFixed(2)} s of ${seconds.toFixed(1)} s (${(busy.utilization * 100).toFixed(0)} %), ${(busy.active / viewers).toFixed(2)} ms per viewer (info, send-code, verify, and a range read for the last ${VIEWERS})`);
}

console.log(`\n(load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on a machine shared with other work; latencies scale with it)`);
await server.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
