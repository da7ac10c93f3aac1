import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { openDb } from '../db/connection.js';
import { migrationsFor } from '../db/migrations/index.js';
import * as f from '../test-fixtures.js';
import { upload } from '../test-documents.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

describe('file custom fields', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: string;
  let agent: string;
  const newContact = async (firstName = 'Filer') => (await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName } })).body.id as string;
  const contact = async (id: string) => (await h.call('GET', `/api/v1/contacts/${id}`, { token: owner })).body;
  const list = async (id: string, query = '') => (await h.call('GET', `/api/v1/contacts/${id}/documents${query}`, { token: owner })).body;

  before(async () => {
    h = await harness();
    ws = await h.workspace();
    owner = (await ws.token('owner')).token;
    agent = (await ws.token('agent')).token;
    const created = await h.call('POST', '/api/v1/custom-fields', { token: owner, body: { key: 'signed_contract', label: 'Signed contract', type: 'file' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.type, 'file');
    await h.call('POST', '/api/v1/custom-fields', { token: owner, body: { key: 'note', label: 'Note', type: 'text' } });
  });
  after(() => h.close());

  it('takes uploads through the field: internal documents in the "Custom fields" folder, the value their ids', async () => {
    const id = await newContact();
    assert.equal((await h.call('POST', '/api/v1/custom-fields', { token: owner, body: { key: 'x_file', label: 'X', type: 'file', options: ['a'] } })).status, 422, 'no options');
    const first = await upload(h, agent, id, [{ name: 'Contract.pdf', content: f.pdf('signed') }], { fieldKey: 'signed_contract' });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const [doc] = first.body.items;
    assert.deepEqual([doc.section, doc.origin, doc.fieldKey], ['internal', 'upload', 'signed_contract']);
    h.clock.advance(1000);
    const second = (await upload(h, owner, id, [{ name: 'Annex.pdf', content: f.pdf('annex') }], { fieldKey: 'signed_contract' })).body.items[0];
    await upload(h, owner, id, [{ name: 'Loose.txt', content: Buffer.from('not in a field') }]);
    const c = await contact(id);
    assert.deepEqual(c.customFields.signed_contract, [doc.id, second.id], 'oldest first');
    assert.equal(c.updatedAt, h.clock.now(), 'the contact changed with its field');

    const folder = await list(id, '?field=*');
    assert.deepEqual(folder.items.map((d: { name: string }) => d.name).sort(), ['Annex.pdf', 'Contract.pdf']);
    assert.equal(folder.counts.fields, 2);
    assert.deepEqual((await list(id)).counts, { all: 3, internal: 3, sent: 0, received: 0, fields: 2 });
    assert.equal((await list(id, '?field=signed_contract')).items.length, 2);
    assert.equal((await list(id, '?field=Bad-Key')).items, undefined, '400 for a malformed key');

    const audit = (await h.call('GET', `/api/v1/contacts/${id}/audit`, { token: owner })).body.items;
    assert.ok(audit.some((e: { action: string; context: { document?: { fieldKey?: string } } }) => e.action === 'document.uploaded' && e.context.document?.fieldKey === 'signed_contract'));

    // The folder lives in Internal: moving one out is refused; deleting and restoring follow the value.
    const moved = await h.call('PATCH', `/api/v1/documents/${doc.id}`, { token: owner, body: { section: 'sent' } });
    assert.deepEqual([moved.status, moved.body.error.code], [409, 'field_document']);
    await h.call('DELETE', `/api/v1/documents/${doc.id}`, { token: owner });
    assert.deepEqual((await contact(id)).customFields.signed_contract, [second.id]);
    await h.call('POST', `/api/v1/documents/${doc.id}/restore`, { token: owner });
    assert.deepEqual((await contact(id)).customFields.signed_contract, [doc.id, second.id]);
  });

  it('refuses uploads to an unknown or non-file field, to another section, and past 20 files', async () => {
    const id = await newContact();
    const file = [{ name: 'a.pdf', content: f.pdf() }];
    const unknown = await upload(h, owner, id, file, { fieldKey: 'nope' });
    assert.deepEqual([unknown.status, unknown.body.error.details.field], [422, 'fieldKey']);
    assert.equal((await upload(h, owner, id, file, { fieldKey: 'note' })).status, 422);
    const sent = await upload(h, owner, id, file, { section: 'sent', fieldKey: 'signed_contract' });
    assert.deepEqual([sent.status, sent.body.error.details.field], [422, 'section']);
    const many = Array.from({ length: 21 }, (_, i) => ({ name: `p${i}.txt`, content: Buffer.from(`page ${i}`) }));
    assert.equal((await upload(h, owner, id, many.slice(0, 20), { fieldKey: 'signed_contract' })).status, 201);
    assert.equal((await upload(h, owner, id, many.slice(20), { fieldKey: 'signed_contract' })).status, 422);
    assert.equal((await contact(id)).customFields.signed_contract.length, 20);
    assert.equal(await h.blobs.tempFileCount(), 0);
  });

  it('sets the value by id: takes files out (they stay as internal documents) and puts internal ones in', async () => {
    const id = await newContact();
    const [a, b] = (await upload(h, owner, id, [{ name: 'A.pdf', content: f.pdf('a') }, { name: 'B.pdf', content: f.pdf('b') }], { fieldKey: 'signed_contract' })).body.items;
    const [loose] = (await upload(h, owner, id, [{ name: 'Loose.pdf', content: f.pdf('loose') }])).body.items;
    const [sent] = (await upload(h, owner, id, [{ name: 'Sent.pdf', content: f.pdf('sent') }], { section: 'sent' })).body.items;
    const other = (await upload(h, owner, await newContact('Other'), [{ name: 'Theirs.pdf', content: f.pdf('theirs') }])).body.items[0];
    const events: { type: string; document: { id: string; fieldKey: string | null } }[] = [];
    const stop = h.events.subscribe(ws.id, (e) => {
      if ('document' in e && e.contactId === id) events.push({ type: e.type.slice('document.'.length), document: e.document });
    });

    const patch = (value: unknown) => h.call('PATCH', `/api/v1/contacts/${id}`, { token: agent, body: { customFields: { signed_contract: value } } });
    const out = await patch([a.id]);
    assert.equal(out.status, 200, JSON.stringify(out.body));
    assert.deepEqual(out.body.customFields.signed_contract, [a.id]);
    assert.equal((await h.call('GET', `/api/v1/documents/${b.id}`, { token: owner })).body.fieldKey, null, 'B left the field, not the contact');
    assert.deepEqual(events.map((e) => [e.type, e.document.id, e.document.fieldKey]), [['updated', b.id, null]], 'lists learn it left the folder');
    assert.deepEqual((await patch([a.id, loose.id])).body.customFields.signed_contract, [a.id, loose.id]);
    for (const bad of [[sent.id], [other.id], 'x', [1]]) {
      const refused = await patch(bad);
      assert.deepEqual([refused.status, refused.body.error.details.field], [422, 'customFields.signed_contract'], JSON.stringify(bad));
    }
    const emptied = await patch(null);
    assert.equal(emptied.body.customFields.signed_contract, undefined);
    assert.equal((await list(id, '?field=*')).items.length, 0);
    stop();
  });

  it('filters contacts by whether the field holds files, keeps files out of imports, and merges the files', async () => {
    const [withFile, without] = [await newContact('WithFile'), await newContact('WithoutFile')];
    await upload(h, owner, withFile, [{ name: 'W.pdf', content: f.pdf('w') }], { fieldKey: 'signed_contract' });
    const query = async (op: string) =>
      (await h.call('POST', '/api/v1/contacts/query', { token: owner, body: { filter: { and: [{ field: 'custom.signed_contract', op }, { field: 'firstName', op: 'is_any', value: ['WithFile', 'WithoutFile'] }] } } })).body.items.map(
        (c: { id: string }) => c.id,
      );
    assert.deepEqual(await query('is_not_empty'), [withFile]);
    assert.deepEqual(await query('is_empty'), [without]);
    const schema = await h.call('GET', '/api/v1/contacts/table-schema', { token: owner });
    assert.deepEqual(schema.body.filterFields.find((x: { field: string }) => x.field === 'custom.signed_contract').ops, ['is_empty', 'is_not_empty']);

    const created = await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Direct', customFields: { signed_contract: ['doc_x'] } } });
    assert.equal(created.status, 422, 'a new contact has no documents to put in the field');

    const [x, y] = [await newContact('MergeX'), await newContact('MergeY')];
    const [dx] = (await upload(h, owner, x, [{ name: 'X.pdf', content: f.pdf('x') }], { fieldKey: 'signed_contract' })).body.items;
    const [dy] = (await upload(h, owner, y, [{ name: 'Y.pdf', content: f.pdf('y') }], { fieldKey: 'signed_contract' })).body.items;
    const body = { survivorId: x, mergedIds: [y], pick: {} };
    const preview = await h.call('POST', '/api/v1/contacts/merge/preview', { token: owner, body });
    assert.ok(!preview.body.conflicts.some((c: { field: string }) => c.field === 'customFields.signed_contract'), 'nothing to pick: all files stay');
    const merged = await h.call('POST', '/api/v1/contacts/merge', { token: owner, body });
    assert.equal(merged.status, 201, JSON.stringify(merged.body));
    assert.deepEqual([...merged.body.survivor.customFields.signed_contract].sort(), [dx.id, dy.id].sort());
    const undone = await h.call('POST', `/api/v1/merges/${merged.body.mergeId}/unmerge`, { token: owner });
    assert.equal(undone.status, 200, JSON.stringify(undone.body));
    assert.deepEqual([(await contact(x)).customFields.signed_contract, (await contact(y)).customFields.signed_contract], [[dx.id], [dy.id]], 'unmerge gives each its own files');
  });

  it('leaves the files with their contacts when the field is deleted', async () => {
    const field = (await h.call('POST', '/api/v1/custom-fields', { token: owner, body: { key: 'passport', label: 'Passport', type: 'file' } })).body;
    const id = await newContact();
    const [doc] = (await upload(h, owner, id, [{ name: 'Passport.pdf', content: f.pdf('p') }], { fieldKey: 'passport' })).body.items;
    await h.call('DELETE', `/api/v1/custom-fields/${field.id}`, { token: owner });
    const after = (await h.call('GET', `/api/v1/documents/${doc.id}`, { token: owner })).body;
    assert.deepEqual([after.fieldKey, after.deletedAt], [null, null]);
    assert.equal((await contact(id)).customFields.passport, undefined);
  });
});

describe('migration 015_file_fields', () => {
  it('rebuilds custom_fields without losing values or their cascade', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-migrate-'));
    const { db } = openDb(join(dir, 'm.sqlite'));
    try {
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrationsFor('sqlite') } });
      assert.equal((await migrator.migrateTo('014_teams')).error, undefined);
      const statements = [
        `INSERT INTO workspaces (id, name, created_at) VALUES ('ws_m', 'M', 0)`,
        `INSERT INTO contacts (id, workspace_id, created_at, updated_at) VALUES ('ct_m', 'ws_m', 0, 0)`,
        `INSERT INTO custom_fields (id, workspace_id, key, label, type, created_at, updated_at) VALUES ('cf_m', 'ws_m', 'seats', 'Seats', 'number', 0, 0)`,
        `INSERT INTO contact_field_values (workspace_id, contact_id, field_id, value_json, value_num) VALUES ('ws_m', 'ct_m', 'cf_m', '3', 3)`,
      ];
      for (const s of statements) await sql.raw(s).execute(db).catch((err: Error) => assert.fail(`${s}: ${err.message}`));
      assert.equal((await migrator.migrateToLatest()).error, undefined);
      const values = await sql<{ value_json: string }>`SELECT value_json FROM contact_field_values WHERE contact_id = 'ct_m'`.execute(db);
      assert.deepEqual(values.rows, [{ value_json: '3' }], 'values kept');
      await sql`INSERT INTO custom_fields (id, workspace_id, key, label, type, created_at, updated_at) VALUES ('cf_f', 'ws_m', 'doc', 'Doc', 'file', 0, 0)`.execute(db);
      await sql`DELETE FROM custom_fields WHERE id = 'cf_m'`.execute(db);
      assert.equal((await sql`SELECT 1 FROM contact_field_values`.execute(db)).rows.length, 0, 'deleting a field still cascades');
      assert.deepEqual((await sql`PRAGMA foreign_keys`.execute(db)).rows, [{ foreign_keys: 1 }], 'foreign keys back on');
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
