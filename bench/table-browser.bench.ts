// <contact-table> in a real browser at 100,000 contacts, next to AG Grid Community given the same rows.
// Run: node --import tsx bench/table-browser.bench.ts   (needs `npm run build` first; seeds .tmp/bench/table-100000.sqlite once)
// BENCH_CONTACTS=1000000 for a million (copy a seeded .tmp/bench/table-1000000.sqlite; seeding takes ~20 min);
// BENCH_ONLY=table or BENCH_ONLY=ag runs one side; BENCH_DIST=<dir> loads another build of dossier.js (before/after).
// Prints: time from connected to first rows painted, DOM row count while scrolling, and scrollbar jumps.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { chromium } from '@playwright/test';
import { createApp } from '../server/src/app.js';
import { LocalBlobStore } from '../server/src/storage/local-blob-store.js';
import { migrate, openDb } from '../server/src/db/connection.js';
import { loadContacts } from '../server/src/domain/contacts.js';
import { signSessionToken } from '../server/src/http/auth.js';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';
import { seededTable } from './seeded-table.js';

const COUNT = Number(process.env.BENCH_CONTACTS ?? 100_000);
const root = process.cwd();
const dist = process.env.BENCH_DIST ?? join(root, 'dist');
const only = process.env.BENCH_ONLY;

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.map': 'application/json', '.html': 'text/html' };

const tablePage = `<!doctype html><meta charset="utf-8"><script type="module" src="/dist/dossier.js"></script>
<body style="margin:0"><dossier-provider id="p" token-url="/bench/token"></dossier-provider>
<script type="module">
  await customElements.whenDefined('contact-table');
  performance.setResourceTimingBufferSize(100000); // count every query request, not the first 250
  window.run = () => new Promise((resolve) => {
    const el = document.createElement('contact-table');
    el.style.setProperty('--contact-table-height', '800px');
    const t0 = performance.now();
    document.getElementById('p').append(el);
    const check = () => {
      const rows = el.shadowRoot?.querySelectorAll('.body [role=row]:not(.placeholder)').length ?? 0;
      if (rows > 0) requestAnimationFrame(() => resolve(performance.now() - t0));
      else requestAnimationFrame(check);
    };
    check();
  });
</script>`;

const agPage = `<!doctype html><meta charset="utf-8"><script src="/bench/ag-grid.js"></script>
<body style="margin:0"><div id="grid" style="height:880px;width:1400px"></div>
<script>
  window.run = async () => {
    const f0 = performance.now();
    const rowData = await (await fetch('/bench/rows.json')).json();
    const fetchMs = performance.now() - f0;
    if (agGrid.ModuleRegistry && agGrid.AllCommunityModule) agGrid.ModuleRegistry.registerModules([agGrid.AllCommunityModule]);
    const columnDefs = ['name', 'email', 'phone', 'tags', 'owner', 'createdAt', 'lastInteractionAt', 'lastChannel'].map((field) => ({ field, sortable: true, resizable: true }));
    const t0 = performance.now();
    agGrid.createGrid(document.getElementById('grid'), { columnDefs, rowData, rowSelection: { mode: 'multiRow' }, rowHeight: 44 });
    return new Promise((resolve) => {
      const check = () => {
        if (performance.now() - t0 > 60000) resolve({ fetchMs, paintMs: NaN });
        else if (document.querySelector('.ag-row')) requestAnimationFrame(() => resolve({ fetchMs, paintMs: performance.now() - t0 }));
        else requestAnimationFrame(check);
      };
      check();
    });
  };
</script>`;

async function main() {
  if (!existsSync(join(dist, 'dossier.js'))) throw new Error('Run `npm run build` first (the bench loads dist/dossier.js).');
  console.log(`browser table bench, ${COUNT.toLocaleString()} contacts`);
  const file = await seededTable(COUNT);
  const opened = openDb(file);
  await migrate(opened.db);
  const { db } = opened;
  const ws = await db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow();
  const owner = await db.selectFrom('members').select('id').where('workspace_id', '=', ws.id).where('role', '=', 'owner').executeTakeFirstOrThrow();
  const secret = 'bench-browser-secret-0123456789';
  const blobs = await new LocalBlobStore(join(dirname(file), 'blobs')).init();
  const app = createApp({ db, clock: { now: () => Date.now() }, secrets: { tokenSecret: secret }, blobs });

  // The same rows for AG Grid, flattened the way the table shows them.
  const t0 = performance.now();
  const rows: Record<string, unknown>[] = [];
  if (only !== 'table') {
  const ids = (await db.selectFrom('contacts').select('id').where('workspace_id', '=', ws.id).where('deleted_at', 'is', null).orderBy('created_at', 'desc').execute()).map((r) => r.id);
  const members = new Map((await db.selectFrom('members').select(['id', 'name']).execute()).map((m) => [m.id, m.name]));
  for (let i = 0; i < ids.length; i += 2000) {
    for (const c of await loadContacts(db, ws.id, ids.slice(i, i + 2000))) {
      rows.push({
        name: c.name,
        email: c.emails.find((e) => e.primary)?.value ?? '',
        phone: c.phones.find((p) => p.primary)?.value ?? '',
        tags: c.tags.join(', '),
        owner: c.ownerId ? members.get(c.ownerId) : '',
        createdAt: new Date(c.createdAt).toISOString().slice(0, 10),
        lastInteractionAt: c.lastInteractionAt ? new Date(c.lastInteractionAt).toISOString().slice(0, 10) : '',
        lastChannel: c.lastChannel ?? '',
      });
    }
  }
  }
  const rowsJson = JSON.stringify(rows);
  if (rows.length) console.log(`prepared ${rows.length.toLocaleString()} rows for AG Grid in ${((performance.now() - t0) / 1000).toFixed(1)} s (${(rowsJson.length / 1e6).toFixed(1)} MB JSON)`);

  const host = new Hono();
  host.post('/bench/token', async (c) => c.json({ token: await signSessionToken(secret, ws.id, owner.id, Date.now() + 3_600_000), expiresAt: Date.now() + 3_600_000 }));
  host.get('/bench/table.html', (c) => c.html(tablePage));
  host.get('/bench/ag.html', (c) => c.html(agPage));
  host.get('/bench/rows.json', (c) => c.body(rowsJson, 200, { 'content-type': 'application/json' }));
  host.get('/bench/ag-grid.js', (c) => c.body(readFileSync(join(root, 'node_modules/ag-grid-community/dist/ag-grid-community.min.js'), 'utf8'), 200, { 'content-type': 'text/javascript' }));
  host.get('/dist/:file', (c) => {
    const f = join(dist, c.req.param('file').replace(/[^\w.-]/g, ''));
    if (!existsSync(f)) return c.notFound();
    return c.body(readFileSync(f, 'utf8'), 200, { 'content-type': TYPES[extname(f)] ?? 'application/octet-stream' });
  });
  host.route('/', app);
  const server = serve({ fetch: host.fetch, port: 0 });
  await new Promise((r) => server.once('listening', r));
  const base = `http://localhost:${(server.address() as AddressInfo).port}`;

  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? findChromium() ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const f = (n: number) => `${n.toFixed(0)} ms`;
    // ——— <contact-table> ———
    if (only !== 'ag') {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${base}/bench/table.html`);
    const firstPaint = await page.evaluate(() => (window as unknown as { run: () => Promise<number> }).run());
    await page.waitForFunction(() => document.querySelector('contact-table')?.shadowRoot?.querySelector('.status')?.textContent?.includes('contacts'));
    const status = await page.evaluate(() => document.querySelector('contact-table')!.shadowRoot!.querySelector('.status')!.textContent);
    // Scroll through the first 10,000 rows, 100 rows per frame, loading rows as we go.
    const scroll = await page.evaluate(async () => {
      const el = document.querySelector('contact-table')!;
      const grid = el.shadowRoot!.querySelector<HTMLElement>('.grid')!;
      let max = 0;
      let frames = 0;
      // Rows per scroll px: above the body-height cap (maxBodyHeight, only in builds that have it) scrollTop is scaled.
      const capped = (el.constructor as unknown as { maxBodyHeight?: number }).maxBodyHeight;
      const room = grid.clientHeight - 40;
      const k = capped ? Math.max(1, ((el as unknown as { source: { length: number } }).source.length * 44 - room) / (grid.scrollHeight - grid.clientHeight)) : 1;
      performance.clearResourceTimings();
      const t0 = performance.now();
      for (let row = 0; row <= 10_000; row += 100) {
        grid.scrollTop = Math.round((row * 44) / k);
        await new Promise((r) => requestAnimationFrame(r));
        while (el.shadowRoot!.querySelector('.placeholder')) await new Promise((r) => requestAnimationFrame(r));
        max = Math.max(max, el.shadowRoot!.querySelectorAll('[role=row]').length);
        frames++;
      }
      const ms = performance.now() - t0;
      const requests = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/contacts/query')).map((e) => e.duration).sort((a, b) => a - b);
      return { max, frames, ms, loaded: (el as unknown as { source: { rows: unknown[] } }).source.rows.length, requests: requests.length, p50: requests[requests.length >> 1] ?? 0 };
    });
    // Scrollbar jumps (the thumb dragged and let go): time until the rows there are painted, capped at 60 s.
    const jumps: { at: string; ms: number; row: number; rows: number; requests: number }[] = [];
    for (const at of [0.05, 0.5, 0.9, 1]) {
      jumps.push(
        await page.evaluate(async (at) => {
          const el = document.querySelector('contact-table')!;
          const grid = el.shadowRoot!.querySelector<HTMLElement>('.grid')!;
          performance.clearResourceTimings();
          const t0 = performance.now();
          grid.scrollTop = at * (grid.scrollHeight - grid.clientHeight);
          await new Promise((r) => requestAnimationFrame(r));
          while (el.shadowRoot!.querySelector('.placeholder') && performance.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 10));
          const ms = performance.now() - t0;
          await new Promise((r) => requestAnimationFrame(r));
          const top = grid.getBoundingClientRect().top + 40;
          const first = [...el.shadowRoot!.querySelectorAll('.body [role=row]')].find((r) => r.getBoundingClientRect().top >= top - 1);
          return { at: `${at * 100}%`, ms, row: Number(first?.getAttribute('aria-rowindex') ?? 0) - 2, rows: el.shadowRoot!.querySelectorAll('[role=row]').length, requests: performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/contacts/query')).length };
        }, at),
      );
    }
    const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
    await page.close();

    console.log(`\n<contact-table> (server-backed, ${dist}/dossier.js)`);
    console.log(`  connected → first rows painted: ${f(firstPaint)}   (${status?.trim()})`);
    console.log(`  scroll 10,000 rows in ${scroll.frames} steps: ${f(scroll.ms)}, max DOM rows ${scroll.max}, rows in memory ${scroll.loaded.toLocaleString()}, ${scroll.requests} query requests (p50 ${f(scroll.p50)})`);
    for (const j of jumps) {
      const late = j.ms >= 60_000 ? ' — not painted within 60 s' : '';
      console.log(`  scrollbar to ${j.at}: ${f(j.ms)} until painted${late} (first row in view ${j.row.toLocaleString()}, DOM rows ${j.rows}, ${j.requests} query requests)`);
    }
    console.log(`  JS heap after: ${(heap / 1e6).toFixed(1)} MB`);
    }

    // ——— AG Grid Community ———
    if (only === 'table') return;
    const ag = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    ag.on('pageerror', (e) => console.log(`  [ag page error] ${e.message}`));
    ag.on('console', (m) => ['error', 'warning'].includes(m.type()) && console.log(`  [ag console] ${m.text().slice(0, 300)}`));
    await ag.goto(`${base}/bench/ag.html`);
    const agFirst = await ag.evaluate(() => (window as unknown as { run: () => Promise<{ fetchMs: number; paintMs: number }> }).run());
    if (Number.isNaN(agFirst.paintMs)) console.log(await ag.evaluate(() => document.body.innerHTML.slice(0, 800)));
    const agScroll = await ag.evaluate(async () => {
      // The element that scrolls vertically (AG Grid's class names change between majors).
      const vp = [...document.querySelectorAll<HTMLElement>('#grid *')].find((e) => e.scrollHeight > e.clientHeight + 10_000 && getComputedStyle(e).overflowY !== 'visible')!;
      let max = 0;
      let frames = 0;
      const t0 = performance.now();
      for (let top = 0; top <= 10_000 * 44; top += 100 * 44) {
        vp.scrollTop = top;
        await new Promise((r) => requestAnimationFrame(r));
        await new Promise((r) => requestAnimationFrame(r));
        max = Math.max(max, document.querySelectorAll('.ag-row').length);
        frames++;
      }
      return { max, frames, ms: performance.now() - t0 };
    });
    const agHeap = await ag.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
    await ag.close();

    console.log(`AG Grid Community (all ${rows.length.toLocaleString()} rows in memory)`);
    console.log(`  fetch rows.json: ${f(agFirst.fetchMs)}; createGrid → first rows painted: ${f(agFirst.paintMs)}; total ${f(agFirst.fetchMs + agFirst.paintMs)}`);
    console.log(`  scroll 10,000 rows in ${agScroll.frames} steps: ${f(agScroll.ms)}, max DOM rows ${agScroll.max}`);
    console.log(`  JS heap after: ${(agHeap / 1e6).toFixed(1)} MB`);
  } finally {
    await browser.close();
    server.close();
    await opened.db.destroy();
  }
}

await main();
