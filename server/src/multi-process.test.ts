// Two `dossier serve` processes on one PostgreSQL behave as one server: live events published by one reach the
// streams of the other (LISTEN/NOTIFY), stream tickets issued by one open streams on the other, and a role change
// made through one applies at once on the other (cached callers dropped). PostgreSQL only (npm test -- server:pg).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createWorkspace } from './domain/workspaces.js';
import { REPO_ROOT } from './paths.js';
import { openTestDatabase, testDatabaseUrl, type TestDatabase } from './test-db.js';
import { samplePdf } from './seed/sample-pdf.js';

const PORTS = [7341, 7342];

describe('several server processes on one PostgreSQL', { skip: !testDatabaseUrl() && 'PostgreSQL only' }, () => {
  let database: TestDatabase;
  let dataDir: string;
  const children: ChildProcess[] = [];
  let secretKey: string;
  const [a, b] = PORTS.map((port) => `http://127.0.0.1:${port}`) as [string, string];

  before(async () => {
    database = await openTestDatabase('dossier-multi-');
    ({ secretKey } = await createWorkspace(database.opened.db, { name: 'Two processes' }, Date.now()));
    dataDir = mkdtempSync(join(tmpdir(), 'dossier-multi-data-'));
    for (const port of PORTS) {
      const env = { ...process.env, DATABASE_URL: database.url, PORT: String(port), DOSSIER_DATA_DIR: dataDir, DOSSIER_TOKEN_SECRET: 'two-processes-secret-0123456789', DOSSIER_LOG_FORMAT: 'json' };
      const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/dossier.mjs'), 'serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
      children.push(child);
    }
    for (const base of [a, b]) {
      const deadline = Date.now() + 60_000;
      while (!(await fetch(`${base}/readyz`).then((r) => r.ok, () => false))) {
        if (Date.now() > deadline) throw new Error(`${base} did not get ready`);
        await sleep(100);
      }
    }
  });
  after(async () => {
    for (const child of children) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    }
    await database?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async (base: string, method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const session = async (base: string, role: 'owner' | 'manager' | 'agent', externalId: string) => {
    const res = await call(base, 'POST', '/api/v1/sessions', secretKey, { member: { externalId, name: externalId, email: `${externalId}@example.com`, role } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.token as string;
  };

  /** Reads an SSE stream in the background; `next(event)` waits for the next event of that name. */
  async function sse(url: string) {
    const controller = new AbortController();
    const res = await fetch(url, { signal: controller.signal });
    assert.equal(res.status, 200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        text += value;
      }
    })();
    return {
      async next(event: string, ms = 10_000) {
        const deadline = Date.now() + ms;
        for (;;) {
          const at = text.indexOf(`event: ${event}\n`);
          if (at >= 0) {
            const end = text.indexOf('\n\n', at);
            if (end > 0) {
              const block = text.slice(at, end);
              text = text.slice(end + 2);
              return JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as any;
            }
          }
          if (Date.now() > deadline) assert.fail(`no "${event}" event within ${ms} ms (got: ${text.slice(0, 300)})`);
          await sleep(20);
        }
      },
      async close() {
        controller.abort();
        await pump;
      },
    };
  }

  it('a document uploaded through one process appears live on a stream of the other, opened with a ticket from the first', async () => {
    const owner = await session(a, 'owner', 'multi-owner');
    const contact = await call(a, 'POST', '/api/v1/contacts', owner, { firstName: 'Across' });
    assert.equal(contact.status, 201);
    const ticket = await call(a, 'POST', `/api/v1/contacts/${contact.body.id}/documents/events/ticket`, owner, {});
    assert.equal(ticket.status, 201, JSON.stringify(ticket.body));
    const documents = await sse(`${b}/api/v1/contacts/${contact.body.id}/documents/events?ticket=${encodeURIComponent(ticket.body.ticket)}`);
    const contactsTicket = await call(b, 'POST', '/api/v1/contacts/events/ticket', owner, {});
    const contacts = await sse(`${b}/api/v1/contacts/events?ticket=${encodeURIComponent(contactsTicket.body.ticket)}`);
    await documents.next('ready');
    await contacts.next('ready');

    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(samplePdf(1, 'Across'))]), 'across.pdf');
    const up = await fetch(`${a}/api/v1/contacts/${contact.body.id}/documents`, { method: 'POST', headers: { authorization: `Bearer ${owner}` }, body: form });
    assert.equal(up.status, 201);
    const uploaded = (await up.json()) as { items: { id: string }[] };
    const event = await documents.next('document');
    assert.equal(event.type, 'created');
    assert.equal(event.document.id, uploaded.items[0]!.id);

    const patched = await call(a, 'PATCH', `/api/v1/contacts/${contact.body.id}`, owner, { companyName: 'Elsewhere Inc' });
    assert.equal(patched.status, 200);
    const change = await contacts.next('contact');
    assert.deepEqual(change.contacts, [{ id: contact.body.id, version: patched.body.version }]);
    await documents.close();
    await contacts.close();
  });

  it('a member demoted through one process loses delete at once on the other', async () => {
    const manager = await session(a, 'manager', 'multi-manager');
    const first = await call(b, 'POST', '/api/v1/contacts', manager, { firstName: 'One' });
    assert.equal((await call(b, 'DELETE', `/api/v1/contacts/${first.body.id}`, manager)).status, 200); // cached on b as a manager
    await session(a, 'agent', 'multi-manager');
    const second = await call(b, 'POST', '/api/v1/contacts', manager, { firstName: 'Two' });
    // NOTIFY is asynchronous: allow it the moment it takes to arrive, far below the cache's 10 s.
    let status = 0;
    for (let i = 0; i < 50 && status !== 403; i++) {
      status = (await call(b, 'DELETE', `/api/v1/contacts/${second.body.id}`, manager)).status;
      if (status !== 403) await sleep(20);
    }
    assert.equal(status, 403);
  });

  it('the widgets work in Chromium behind a round-robin proxy in front of both processes, live updates included', async () => {
    if (!existsSync(join(REPO_ROOT, 'dist/dossier.js'))) assert.equal(spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'ignore' }).status, 0, 'npm run build');
    const owner = await session(a, 'owner', 'proxy-owner');
    const tag = `proxy${Date.now()}`;
    const contact = await call(a, 'POST', '/api/v1/contacts', owner, { firstName: 'Round', lastName: 'Robin', tags: [tag] });
    assert.equal(contact.status, 201);

    // The load balancer: every request to the next process in turn (streams piped as they come); the host page and
    // its token endpoint are the proxy's own, so the page, the bundle and the API share one origin.
    const served: { path: string; upstream: string }[] = [];
    let turn = 0;
    const host = `<!doctype html><html lang="en"><head><script type="module" src="/dist/dossier.js"></script></head><body>
      <dossier-provider token-url="/token"><contact-table q="${tag}"></contact-table><contact-record></contact-record></dossier-provider>
      <script type="module">document.querySelector('contact-table').addEventListener('contact-open', (e) => (document.querySelector('contact-record').contactId = e.detail.id));</script></body></html>`;
    const proxy: Server = createServer((req, res) => {
      if (req.url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(host);
      if (req.url === '/token') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: owner }));
      const upstream = [a, b][turn++ % 2]!;
      served.push({ path: req.url!, upstream });
      const { port } = new URL(upstream);
      const out = httpRequest({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode!, up.headers);
        up.pipe(res);
      });
      out.on('error', () => res.destroy());
      req.pipe(out);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? findChromium() ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(origin);
      const row = page.locator('contact-table').getByRole('row').filter({ hasText: 'Round Robin' });
      await row.waitFor({ timeout: 30_000 });
      await row.locator('.col-name').click();
      await page.locator('contact-record').getByRole('heading', { level: 2, name: 'Round Robin' }).waitFor({ timeout: 30_000 });

      // The contact stream went to one process; a change made through the other reaches the page live.
      const deadline = Date.now() + 15_000;
      while (!served.some((s) => s.path.startsWith('/api/v1/contacts/events?'))) {
        if (Date.now() > deadline) assert.fail(`no contact stream opened (requests: ${served.map((s) => s.path).join(', ')})`);
        await sleep(50);
      }
      const stream = served.find((s) => s.path.startsWith('/api/v1/contacts/events?'))!;
      const other = stream.upstream === a ? b : a;
      const ticket = served.find((s) => s.path === '/api/v1/contacts/events/ticket');
      const patched = await call(other, 'PATCH', `/api/v1/contacts/${contact.body.id}`, owner, { firstName: 'Live' });
      assert.equal(patched.status, 200);
      await page.locator('contact-table').getByRole('row').filter({ hasText: 'Live Robin' }).waitFor({ timeout: 15_000 });
      await page.locator('contact-record').getByRole('heading', { level: 2, name: 'Live Robin' }).waitFor({ timeout: 15_000 });
      assert.deepEqual(errors, []);
      assert.ok(served.some((s) => s.upstream === a) && served.some((s) => s.upstream === b), 'both processes served the page');
      assert.ok(ticket, 'the stream ticket was asked through the proxy');
    } finally {
      await browser.close();
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });
});
