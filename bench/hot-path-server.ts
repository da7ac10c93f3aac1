// The server side of bench/hot-path.bench.ts, in its own process so the load generator does not share its thread:
// `dossier serve` as in production (startServer: request log as JSON to stdout, a session token from the host), a
// workspace with custom fields and CONTACTS contacts (emails, phones, tags, custom values), and a bare Hono app on a
// second port in the same process. Sends { api, bare, token, contactIds } to the parent over IPC; stops on SIGTERM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { startServer } from '../server/src/main.js';
import { createWorkspace } from '../server/src/domain/workspaces.js';
import { systemClock } from '../server/src/deps.js';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 200);
const dataDir = mkdtempSync(join(tmpdir(), 'dossier-hot-path-'));
const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, logFormat: 'json' });
const api = `http://127.0.0.1:${server.port}`;
const { secretKey } = await createWorkspace(server.opened.db, { name: 'Hot path bench' }, systemClock.now());
const asHost = { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' };
const post = async (path: string, body: unknown) => {
  const res = await fetch(`${api}${path}`, { method: 'POST', headers: asHost, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, any>>;
};

const session = await post('/api/v1/sessions', { member: { externalId: 'bench', name: 'Bench Owner', email: 'bench@example.com', role: 'owner' }, ttlSeconds: 86_400 });
await post('/api/v1/custom-fields', { key: 'plan', label: 'Plan', type: 'text' });
await post('/api/v1/custom-fields', { key: 'seats', label: 'Seats', type: 'number' });
const contactIds: string[] = [];
for (let i = 0; i < CONTACTS; i++) {
  const contact = await post('/api/v1/contacts', {
    firstName: `Bench${i}`,
    lastName: 'Contact',
    companyName: 'Acme',
    emails: [{ value: `bench${i}@example.com`, label: 'work' }, { value: `bench${i}@home.example.com`, label: 'home' }],
    phones: [{ value: `+1415555${String(1000 + i).padStart(4, '0')}`, label: 'mobile' }],
    tags: ['customer', `cohort-${i % 7}`],
    customFields: { plan: 'pro', seats: i % 50 },
  });
  contactIds.push(contact.id as string);
}

// The bare route: what Hono and Node's HTTP server cost on this machine, with nothing of ours on top.
const bareApp = new Hono().get('/bare/:id', (c) => c.json({ id: c.req.param('id'), ok: true }));
const bare = await new Promise<Server>((resolve) => {
  const s = serve({ fetch: bareApp.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
});
const barePort = (bare.address() as { port: number }).port;

process.send!({ api, bare: `http://127.0.0.1:${barePort}`, token: session.token, contactIds, engine: server.opened.engine.label });
// The server's CPU time so far (µs), asked for around each load phase: under a busy machine, CPU per request says
// more than requests per second.
process.on('message', (m) => {
  if (m === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send!({ cpu: user + system });
  }
});
process.once('SIGTERM', () => {
  bare.close();
  void server.close(1000).finally(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
