// Share bench: (1) time from "code accepted" to the first page of a 50-page PDF painted in <share-viewer>, in
// Chromium with the built bundle (Playwright); (2) gate endpoint latency (info, send-code, verify, first content
// range) with 200 concurrent viewers on loopback, p50/p95 per endpoint. Prints figures; CI does not run it.
// Run: npm run build && node --import tsx bench/share.bench.ts
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
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

// ——— 1. Time to first page after the code is accepted ———
{
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
{
  const { slug } = await linkFor(5);
  const root = `${base}/api/v1/public/share/${slug}`;
  const lat: Record<string, number[]> = { info: [], 'send-code': [], verify: [], content: [] };
  const timed = async (name: string, run: () => Promise<Response>) => {
    const t0 = performance.now();
    const res = await run();
    const body = await res.clone().arrayBuffer();
    lat[name]!.push(performance.now() - t0);
    void body;
    if (!res.ok) throw new Error(`${name}: ${res.status} ${await res.clone().text().catch(() => '')}`);
    return res;
  };
  console.log = () => {}; // keep the outbox-free run quiet
  let failures = 0;
  let firstError = '';
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all(
      Array.from({ length: VIEWERS }, async (_, i) => {
        const ip = `10.${round}.${Math.floor(i / 250)}.${i % 250}`;
        const email = `viewer.${round}.${i}@bench.example`;
        const headers = { 'content-type': 'application/json', 'x-forwarded-for': ip };
        try {
          await timed('info', () => fetch(root));
          await timed('send-code', () => fetch(`${root}/send-code`, { method: 'POST', headers, body: JSON.stringify({ channel: 'email', identifier: email }) }));
          const code = capture.last(email)!.code;
          await timed('verify', () => fetch(`${root}/verify`, { method: 'POST', headers, body: JSON.stringify({ channel: 'email', identifier: email, code }) }));
        } catch (err) {
          if (failures++ === 0) firstError = String(err);
        }
      }),
    );
  }
  // Content: the first range request of each viewer, with fresh tokens (verify bodies were consumed above).
  const tokens: string[] = [];
  for (let i = 0; i < VIEWERS; i++) {
    const email = `content.${i}@bench.example`;
    const headers = { 'content-type': 'application/json', 'x-forwarded-for': `10.200.${Math.floor(i / 250)}.${i % 250}` };
    await fetch(`${root}/send-code`, { method: 'POST', headers, body: JSON.stringify({ channel: 'email', identifier: email }) }).then((r) => r.arrayBuffer());
    const res = await fetch(`${root}/verify`, { method: 'POST', headers, body: JSON.stringify({ channel: 'email', identifier: email, code: capture.last(email)!.code }) });
    tokens.push(((await res.json()) as { token: string }).token);
  }
  await Promise.all(tokens.map((token) => timed('content', () => fetch(`${root}/content`, { headers: { authorization: `Bearer ${token}`, range: 'bytes=0-65535' } })).catch(() => failures++)));
  const seconds = (performance.now() - started) / 1000;
  console.log = quiet;
  console.log(`\nGate endpoints, ${VIEWERS} concurrent viewers × ${ROUNDS} rounds on loopback (info → send-code → verify; then one range read each), ${failures} failures${firstError ? ` (first: ${firstError.slice(0, 200)})` : ''}, ${seconds.toFixed(1)} s:`);
  for (const [name, xs] of Object.entries(lat)) console.log(`  ${name.padEnd(10)} n=${String(xs.length).padStart(4)}  p50 ${fmt(pct(xs, 50)).padStart(10)}  p95 ${fmt(pct(xs, 95)).padStart(10)}  max ${fmt(Math.max(...xs)).padStart(10)}`);
}

console.log(`\n(load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on a machine shared with other work; latencies scale with it)`);
await server.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
