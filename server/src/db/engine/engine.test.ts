// The engine pieces that no route test reaches on their own, on whichever engine the suite runs (SQLite by default,
// PostgreSQL under `npm run test:pg`): counters under many writes, bulk loads, the start log's description.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { countersOf } from '../../domain/contact-count.js';
import { newId } from '../../ids.js';
import { harness, type Harness } from '../../testing.js';
import { describeUrl } from './postgres/open.js';

describe('database engine', () => {
  let h: Harness;
  let ws: string;
  before(async () => {
    h = await harness();
    ws = (await h.workspace()).id;
  });
  after(() => h.close());

  const contact = (i: number) => ({ id: newId('ct_'), workspace_id: ws, first_name: `Many${i}`, display_name: `Many${i}`, created_at: i, updated_at: i });

  it('counts every change and the live total through hundreds of separate writes (PostgreSQL folds its deltas)', async () => {
    const { db, engine } = h.opened;
    const before = await countersOf(db, ws);
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) {
      const row = contact(i);
      ids.push(row.id);
      await db.insertInto('contacts').values(row).execute();
    }
    for (const id of ids.slice(0, 50)) await db.updateTable('contacts').set({ deleted_at: 1 }).where('id', '=', id).execute();
    const after = await countersOf(db, ws);
    assert.equal(after.total, before.total + 250);
    assert.ok(after.version >= before.version + 350, `${before.version} → ${after.version}`);
    // The read above folded the deltas into the workspace's row; reading again answers the same.
    assert.deepEqual(await countersOf(db, ws), after);
    if (engine.kind === 'postgres') {
      const left = await sql<{ n: number }>`SELECT count(*) AS n FROM contact_changes WHERE workspace_id = ${ws}`.execute(db);
      assert.equal(Number(left.rows[0]!.n), 0);
    }
    await db.deleteFrom('contacts').where('id', 'in', ids).execute();
    assert.equal((await countersOf(db, ws)).total, before.total);
  });

  it('bulk-loads contacts with their parts, then finds and exports them like any other', async () => {
    const { db, engine } = h.opened;
    const second = await h.workspace();
    const { token } = await second.token('owner');
    const other = second.id;
    const rows = Array.from({ length: 1200 }, (_, i) => ({ ...contact(i), workspace_id: other, last_name: i === 7 ? 'Needle' : 'Hay' }));
    await db.transaction().execute((trx) =>
      engine.bulk.paused(trx, async (load) => {
        await engine.bulk.insert(load, 'contacts', rows);
        await engine.bulk.insert(load, 'contact_emails', rows.map((r, i) => ({ id: newId('em_'), workspace_id: other, contact_id: r.id, value: `bulk${i}@example.com`, label: null, is_primary: 1, position: 0 })));
      }),
    );
    const found = await h.call('POST', '/api/v1/contacts/query', { token, body: { q: 'needle' } });
    assert.deepEqual(found.body.items.map((c: { emails: { value: string }[] }) => c.emails[0]!.value), ['bulk7@example.com']);
    assert.equal((await h.call('POST', '/api/v1/contacts/query', { token, body: { q: 'bulk1199' } })).body.items.length, 1);
    const link = await h.call('POST', '/api/v1/contacts/export', { token, body: { columns: ['lastName', 'email'], q: 'needle' } });
    const csv = await (await h.app.request(link.body.url)).text();
    assert.equal(csv, 'Last name,Email\r\nNeedle,bulk7@example.com\r\n');
    assert.equal((await countersOf(db, other)).total, 1200);
  });

  it('describes a PostgreSQL URL for logs without its password', () => {
    assert.equal(describeUrl('postgres://dossier:s3cret@db.internal:5432/crm'), 'dossier@db.internal:5432/crm');
    assert.equal(describeUrl('postgresql://localhost/crm'), 'localhost/crm');
  });
});
