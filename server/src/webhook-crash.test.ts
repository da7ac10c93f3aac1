import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { testDatabaseUrl } from './test-db.js';

// A real `dossier serve` process killed with SIGKILL while a webhook is on the wire: the change was acknowledged,
// the send never finished, nothing was recorded. The next process must deliver it, with the same webhook-id.
// On SQLite in a temp data folder; under test:pg on a fresh PostgreSQL database the server process migrates.
const root = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN_KEY = 'operator-key-for-the-crash-test-0123456789';
const TIMEOUT_MS = 500;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A receiver that holds every request unanswered until `answering` is set, then answers 204. */
function holdingReceiver() {
  const seen: { id: string; type: string; answered: boolean }[] = [];
  const held = new Set<http.ServerResponse>();
  const state = { answering: false };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string };
      seen.push({ id: String(req.headers['webhook-id']), type: json.type, answered: state.answering });
      if (state.answering) res.writeHead(204).end();
      else held.add(res);
    });
  });
  return {
    seen,
    state,
    async listen() {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

describe('webhooks across a killed process', { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dossier-crash-'));
  const rx = holdingReceiver();
  let proc: ChildProcess | null = null;
  let port = 0;
  const base = () => `http://127.0.0.1:${port}`;

  async function serve() {
    port = await freePort();
    proc = spawn(process.execPath, ['bin/dossier.mjs', 'serve'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        DOSSIER_DATA_DIR: dataDir,
        DOSSIER_ADMIN_KEY: ADMIN_KEY,
        DOSSIER_WEBHOOKS_ALLOW_PRIVATE: '1',
        DOSSIER_WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
        DOSSIER_LOG_FORMAT: 'json',
        DATABASE_URL: databaseUrl,
      },
      stdio: 'ignore',
    });
    await until('the server to be ready', async () => ((await fetch(`${base()}/readyz`).catch(() => null))?.ok ? true : undefined));
  }

  const api = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${base()}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };

  let hookUrl = '';
  let databaseUrl = '';
  const pgUrl = testDatabaseUrl();
  const dbName = `dossier_crash_${process.pid}_${Date.now()}`;
  const admin = async (query: string) => {
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(query).finally(() => client.end());
  };
  before(async () => {
    hookUrl = await rx.listen();
    if (pgUrl) {
      await admin(`CREATE DATABASE ${dbName}`);
      const u = new URL(pgUrl);
      u.pathname = `/${dbName}`;
      databaseUrl = u.toString();
    }
  });
  after(async () => {
    proc?.kill('SIGKILL');
    if (proc && proc.exitCode === null) await new Promise((r) => proc!.once('exit', r));
    await rx.close();
    if (pgUrl) await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers a change acknowledged before SIGKILL, with the webhook-id of the attempt that was cut off', async () => {
    await serve();
    const ws = await api('POST', '/api/v1/admin/workspaces', ADMIN_KEY, { name: 'Crash test' });
    assert.equal(ws.status, 201, JSON.stringify(ws.body));
    const secret = ws.body.secretKey as string;
    const endpoint = await api('POST', '/api/v1/webhook-endpoints', secret, { url: hookUrl, eventTypes: ['contact.created'] });
    assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));

    const created = await api('POST', '/api/v1/contacts', secret, { firstName: 'Survivor' });
    assert.equal(created.status, 201);
    // The attempt reaches the receiver, which holds it: the process dies with the send unfinished.
    const cutOff = await until('the first attempt', () => rx.seen[0]);
    proc!.kill('SIGKILL');
    await new Promise((r) => proc!.once('exit', r));

    rx.state.answering = true;
    await serve();
    // The killed worker's claim lapses (attempt timeout + grace); the new process then sends the delivery again.
    const delivered = await until('the delivery after the restart', () => rx.seen.find((s) => s.answered), 60_000);
    assert.deepEqual({ id: delivered.id, type: delivered.type }, { id: cutOff.id, type: 'contact.created' });
    const contact = await api('GET', `/api/v1/contacts/${created.body.id}`, secret);
    assert.equal(contact.status, 200);
    const log = await api('GET', `/api/v1/webhook-endpoints/${endpoint.body.id}/deliveries`, secret);
    assert.equal(log.status, 200, JSON.stringify(log.body));
    const row = log.body.items.find((d: any) => d.eventId === cutOff.id);
    assert.equal(row?.status, 'delivered', JSON.stringify(log.body.items));
  });
});
