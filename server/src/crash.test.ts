// kill -9 of a server process in the middle of writes on PostgreSQL: every write it acknowledged is in the database
// afterwards (an answer is sent only after the transaction committed). PostgreSQL only (npm test -- server:pg).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createWorkspace } from './domain/workspaces.js';
import { REPO_ROOT } from './paths.js';
import { openTestDatabase, testDatabaseUrl, type TestDatabase } from './test-db.js';

const PORT = 7343;

describe('a server process killed during writes', { skip: !testDatabaseUrl() && 'PostgreSQL only' }, () => {
  let database: TestDatabase;
  let dataDir: string;
  before(async () => {
    database = await openTestDatabase('dossier-crash-');
    dataDir = mkdtempSync(join(tmpdir(), 'dossier-crash-data-'));
  });
  after(async () => {
    await database?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged write', async () => {
    const { secretKey } = await createWorkspace(database.opened.db, { name: 'Crash' }, Date.now());
    const env = { ...process.env, DATABASE_URL: database.url, PORT: String(PORT), DOSSIER_DATA_DIR: dataDir, DOSSIER_TOKEN_SECRET: 'crash-test-secret-0123456789' };
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/dossier.mjs'), 'serve'], { env, stdio: ['ignore', 'ignore', 'ignore'] });
    const exited = new Promise((r) => child.once('exit', r));
    const base = `http://127.0.0.1:${PORT}`;
    try {
      const deadline = Date.now() + 60_000;
      while (!(await fetch(`${base}/readyz`).then((r) => r.ok, () => false))) {
        assert.ok(Date.now() < deadline, 'the server got ready');
        await sleep(100);
      }
      const headers = { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' };
      /** Contacts whose creation was answered 201, and the highest version each PATCH answered. */
      const created: string[] = [];
      const patched = new Map<string, number>();
      let stop = false;
      const writer = async (n: number) => {
        for (let i = 0; !stop; i++) {
          try {
            const res = await fetch(`${base}/api/v1/contacts`, { method: 'POST', headers, body: JSON.stringify({ firstName: `W${n}-${i}`, emails: [{ value: `w${n}.${i}@example.com` }], tags: ['crash'] }) });
            if (res.status !== 201) continue;
            const { id } = (await res.json()) as { id: string };
            created.push(id);
            const p = await fetch(`${base}/api/v1/contacts/${id}`, { method: 'PATCH', headers, body: JSON.stringify({ companyName: `Acked ${i}` }) });
            if (p.status === 200) patched.set(id, ((await p.json()) as { version: number }).version);
          } catch {
            return; // the process is gone
          }
        }
      };
      const writers = Array.from({ length: 8 }, (_, n) => writer(n));
      while (created.length < 40) await sleep(10);
      child.kill('SIGKILL');
      stop = true;
      await Promise.all(writers);
      await exited;

      const rows = await database.opened.db.selectFrom('contacts').select(['id', 'version', 'company_name']).where('id', 'in', created).execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      const lost = created.filter((id) => !byId.has(id));
      assert.deepEqual(lost, [], 'every acknowledged create is stored');
      for (const [id, version] of patched) {
        const row = byId.get(id)!;
        assert.ok(row.version >= version && row.company_name?.startsWith('Acked'), `the acknowledged patch of ${id} is stored`);
      }
      const emails = await database.opened.db.selectFrom('contact_emails').select('contact_id').where('contact_id', 'in', created).execute();
      assert.equal(new Set(emails.map((e) => e.contact_id)).size, created.length, 'with their emails (one transaction)');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
