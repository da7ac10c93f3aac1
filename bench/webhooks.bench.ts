// Webhooks bench: (1) delivery throughput from a full outbox to a local receiver; (2) time from a change (the API
// call that commits it) to its webhook arriving, median and p95, with the worker running as in `dossier serve`.
// Run: npm run bench -- webhooks (or node --import tsx bench/webhooks.bench.ts). Prints figures; CI does not run it.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../server/src/deps.js';
import { WebhookWorker } from '../server/src/domain/webhook-worker.js';
import { createWorkspace } from '../server/src/domain/workspaces.js';
import { startServer } from '../server/src/main.js';

const BULK = Number(process.env.BENCH_WEBHOOKS ?? 2_000);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 200);

const arrivals = new Map<string, number>();
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString()) as { data: { contactId: string } };
    arrivals.set(body.data.contactId, performance.now());
    res.statusCode = 204;
    res.end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const dataDir = mkdtempSync(join(tmpdir(), 'dossier-webhooks-bench-'));
process.env.DOSSIER_WEBHOOKS_ALLOW_PRIVATE = '1';
const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, logFormat: 'json', config: { webhooks: { allowPrivate: true } } });
const base = server.url.replace('localhost', '127.0.0.1');
const { secretKey } = await createWorkspace(server.opened.db, { name: 'Webhooks bench' }, systemClock.now());
const headers = { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' };
const post = async (path: string, body: unknown) => (await (await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as any;
await post('/api/v1/webhook-endpoints', { url: hookUrl, eventTypes: ['contact.created'] });

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

// ——— 2. Change → webhook latency (the server's own worker, woken by the write) ———
{
  const latencies: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const started = performance.now();
    const contact = await post('/api/v1/contacts', { firstName: `Latency ${i}` });
    while (!arrivals.has(contact.id)) await new Promise((r) => setTimeout(r, 1));
    latencies.push(arrivals.get(contact.id)! - started);
  }
  console.log(`change → webhook (${CHANGES} sequential creates, request start to arrival): median ${pct(latencies, 50).toFixed(1)} ms, p95 ${pct(latencies, 95).toFixed(1)} ms`);
}

await server.close();

// ——— 1. Throughput: a backlog of BULK deliveries drained by one worker ———
{
  const { openDataDir } = await import('../server/src/main.js');
  const opened = await openDataDir(dataDir);
  const ws = await opened.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow();
  const endpoint = await opened.db.selectFrom('webhook_endpoints').select('id').executeTakeFirstOrThrow();
  const now = Date.now();
  const rows = Array.from({ length: BULK }, (_, i) => ({
    id: `whd_bench_${i}`, workspace_id: ws.id, endpoint_id: endpoint.id, event_id: `evt_bench_${i}`, event_type: 'contact.created', contact_id: `ct_bench_${i}`,
    seq: 1_000_000 + i, payload: JSON.stringify({ id: `evt_bench_${i}`, type: 'contact.created', data: { contactId: `ct_bench_${i}` } }),
    status: 'pending' as const, attempts: 0, next_attempt_at: now, created_at: now, updated_at: now,
  }));
  for (let i = 0; i < rows.length; i += 40) await opened.db.insertInto('webhook_deliveries').values(rows.slice(i, i + 40)).execute();
  const worker = new WebhookWorker({ db: opened.db, clock: systemClock, config: { webhooks: { allowPrivate: true } } });
  const started = performance.now();
  const sent = await worker.drain();
  const seconds = (performance.now() - started) / 1000;
  console.log(`throughput: ${sent} deliveries in ${seconds.toFixed(2)} s = ${(sent / seconds).toFixed(0)} /s (one worker, batches of 50, loopback receiver)`);
  await opened.db.destroy();
}

receiver.close();
rmSync(dataDir, { recursive: true, force: true });
