import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '../ids.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

const DAY = 86_400_000;

// What a contact is reachable on (migration 012: contacts.channels) through the channel filter, the last channel
// filter and search; number custom values in search; the catalogue the widget builds its filter menus from.
describe('channels, search document and the filter catalogue', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: string;
  const ids: Record<string, string> = {};

  const query = (body: unknown) => h.call('POST', '/api/v1/contacts/query', { token: owner, body });
  const names = async (body: Record<string, unknown>) => {
    const res = await query({ limit: 200, ...body });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body.items as { firstName: string | null; name: string }[]).map((c) => c.firstName ?? c.name).sort();
  };
  const where = (field: string, op: string, value?: unknown) => names({ filter: { field, op, value } });
  const search = (q: string) => names({ q });
  const message = async (body: Record<string, unknown>) => {
    const res = await h.call('POST', '/api/v1/messages', { token: ws.secretKey, body: { direction: 'inbound', text: 'Hi', ...body } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.contactId as string;
  };

  before(async () => {
    h = await harness();
    ws = await h.workspace({ region: 'US' });
    ({ token: owner } = await ws.token('owner'));
    await h.call('POST', '/api/v1/custom-fields', { token: owner, body: { key: 'postcode', label: 'Postcode', type: 'number' } });
    await h.call('POST', '/api/v1/custom-fields', { token: owner, body: { key: 'ratio', label: 'Ratio', type: 'number' } });
    const make = async (firstName: string, body: Record<string, unknown>) => {
      const res = await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName, ...body } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      ids[firstName] = res.body.id;
    };
    await make('Mailer', { emails: [{ value: 'mailer@example.com' }], customFields: { postcode: 30154, ratio: 2.5 } });
    await make('Caller', { phones: [{ value: '+1 415 555 0100' }] });
    await make('Nobody', {});
    ids.Wanda = await message({ channel: 'whatsapp', contact: { phone: '+1 415 555 0111', firstName: 'Wanda' } });
    ids.Insta = await message({ channel: 'instagram', contact: { handle: '@insta.gram', firstName: 'Insta' } });
  });
  after(() => h.close());

  it('the channel filter knows every channel: addresses, phones, messages and handles', async () => {
    assert.deepEqual(await where('channel', 'has', 'email'), ['Mailer']);
    assert.deepEqual(await where('channel', 'has', 'sms'), ['Caller', 'Wanda']);
    assert.deepEqual(await where('channel', 'has', 'call'), ['Caller', 'Wanda']);
    assert.deepEqual(await where('channel', 'has', 'whatsapp'), ['Wanda']);
    assert.deepEqual(await where('channel', 'has', 'instagram'), ['Insta']);
    assert.deepEqual(await where('channel', 'has', 'WhatsApp'), ['Wanda']);
    assert.deepEqual(await where('channel', 'lacks', 'whatsapp'), ['Caller', 'Insta', 'Mailer', 'Nobody']);
    assert.deepEqual(await where('channel', 'has', 'facebook'), []);
    // Saved filters from before keep working: "phone" is "has a phone number".
    assert.deepEqual(await where('channel', 'has', 'phone'), ['Caller', 'Wanda']);
    const bad = await query({ filter: { field: 'channel', op: 'has', value: 'pigeon' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_filter');
    assert.equal(bad.body.error.details.path, 'filter.value');
  });

  it('channels follow writes: a new email, a removed phone, a last channel set by the host, a merge', async () => {
    await h.call('PATCH', `/api/v1/contacts/${ids.Nobody}`, { token: owner, body: { emails: [{ value: 'nobody@example.com' }] } });
    assert.deepEqual(await where('channel', 'has', 'email'), ['Mailer', 'Nobody']);
    assert.deepEqual(await search('email Nobody'), ['Nobody']);
    await h.call('PATCH', `/api/v1/contacts/${ids.Nobody}`, { token: owner, body: { emails: [] } });
    assert.deepEqual(await where('channel', 'has', 'email'), ['Mailer']);
    assert.deepEqual(await search('email Nobody'), []);
    await h.opened.db.updateTable('contacts').set({ last_channel: 'webchat' }).where('id', '=', ids.Nobody!).execute();
    assert.deepEqual(await where('channel', 'has', 'webchat'), ['Nobody']);
    assert.deepEqual(await search('web chat'), ['Nobody']);
    await h.opened.db.updateTable('contacts').set({ last_channel: null }).where('id', '=', ids.Nobody!).execute();
    assert.deepEqual(await where('channel', 'has', 'webchat'), []);
  });

  it('search finds contacts by channel, as people type them', async () => {
    assert.deepEqual(await search('whatsapp'), ['Wanda']);
    assert.deepEqual(await search('WhatsApp'), ['Wanda']);
    assert.deepEqual(await search('instagram'), ['Insta']);
    assert.deepEqual(await search('email'), ['Mailer']);
    assert.deepEqual(await search('calls'), ['Caller', 'Wanda']);
    assert.deepEqual(await search('sms'), ['Caller', 'Wanda']);
  });

  it('search finds number custom values as typed (30154, not 30154.0)', async () => {
    assert.deepEqual(await search('30154'), ['Mailer']);
    assert.deepEqual(await search('2.5'), ['Mailer']);
    await h.call('PATCH', `/api/v1/contacts/${ids.Caller}`, { token: owner, body: { customFields: { postcode: 10115 } } });
    assert.deepEqual(await search('10115'), ['Caller']);
    await h.call('PATCH', `/api/v1/contacts/${ids.Caller}`, { token: owner, body: { customFields: { postcode: null } } });
    assert.deepEqual(await search('10115'), []);
  });

  it('a bulk load (search paused) computes channels and indexes them in its one pass', async () => {
    const { db, engine } = h.opened;
    const id = newId('ct_');
    const now = h.clock.now();
    await engine.bulk.paused(db, async (conn) => {
      await engine.bulk.insert(conn, 'contacts', [{ id, workspace_id: ws.id, first_name: 'Bulky', display_name: 'Bulky', last_channel: 'facebook', created_at: now, updated_at: now }]);
      await engine.bulk.insert(conn, 'contact_emails', [{ id: newId('em_'), workspace_id: ws.id, contact_id: id, value: 'bulky@example.com', label: null, is_primary: 1, position: 0 }]);
    });
    assert.deepEqual(await where('channel', 'has', 'facebook'), ['Bulky']);
    assert.deepEqual(await where('channel', 'has', 'email'), ['Bulky', 'Mailer']);
    assert.deepEqual(await search('facebook'), ['Bulky']);
  });

  it('"Last interacted channel" is one of the channels (any case); anything else is 400', async () => {
    await h.opened.db.updateTable('contacts').set({ last_channel: 'sms' }).where('id', '=', ids.Caller!).execute();
    assert.deepEqual(await where('lastChannel', 'is', 'SMS'), ['Caller']);
    assert.deepEqual(await where('lastChannel', 'is_any', ['instagram', 'sms']), ['Caller', 'Insta']);
    assert.deepEqual((await where('lastChannel', 'is_none', ['instagram', 'sms', 'facebook'])).includes('Caller'), false);
    assert.deepEqual(await where('lastChannel', 'is_not_empty'), ['Bulky', 'Caller', 'Insta', 'Wanda']);
    const bad = await query({ filter: { field: 'lastChannel', op: 'contains', value: 'wh' } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /no operator "contains"/);
    assert.equal((await query({ filter: { field: 'lastChannel', op: 'is', value: 'telegram' } })).status, 400);
  });

  it('a date without a time is a whole day: "is on" and "between" include all of it', async () => {
    const day = Date.UTC(2030, 0, 15);
    await h.opened.db.updateTable('contacts').set({ last_interaction_at: day + 15 * 3_600_000 }).where('id', '=', ids.Mailer!).execute();
    assert.deepEqual(await where('lastInteractionAt', 'eq', '2030-01-15'), ['Mailer']);
    assert.deepEqual(await where('lastInteractionAt', 'eq', '2030-01-16'), []);
    assert.deepEqual(await where('lastInteractionAt', 'between', ['2030-01-10', '2030-01-15']), ['Mailer']);
    assert.deepEqual(await where('lastInteractionAt', 'between', ['2030-01-15', '2030-01-10']), ['Mailer']);
    assert.deepEqual(await where('lastInteractionAt', 'between', [day - DAY, day + 14 * 3_600_000]), []);
    assert.deepEqual(await where('lastInteractionAt', 'eq', day + 15 * 3_600_000), ['Mailer']);
  });

  it('the catalogue lists each field with exactly the operators the compiler takes, and the channel values', async () => {
    const res = await h.call('GET', '/api/v1/contacts/table-schema', { token: owner });
    assert.equal(res.status, 200);
    const fields = res.body.filterFields as { field: string; ops: string[]; values?: string[] }[];
    const byName = new Map(fields.map((f) => [f.field, f]));
    assert.deepEqual(byName.get('channel')!.values, ['email', 'sms', 'whatsapp', 'instagram', 'facebook', 'call', 'webchat']);
    assert.deepEqual(byName.get('lastChannel')!.values, ['email', 'sms', 'whatsapp', 'instagram', 'facebook', 'call', 'webchat', 'form', 'survey']);
    assert.deepEqual(byName.get('document')!.ops.sort(), ['is_any', 'is_empty', 'is_none', 'is_not_empty']);
    // Every listed operator compiles (with a value of the right shape), and the server refuses the others.
    const sample: Record<string, unknown> = {};
    for (const f of fields) {
      for (const op of f.ops) {
        const res = await query({ limit: 1, filter: { field: f.field, op, value: sampleValue(f, op) } });
        assert.notEqual(res.status, 500, `${f.field} ${op}`);
        if (res.status !== 200) sample[`${f.field} ${op}`] = res.body.error;
      }
    }
    assert.deepEqual(sample, {});
  });
});

/** A value of the shape each operator takes (see docs/api-table.md). */
function sampleValue(f: { field: string; values?: string[] }, op: string): unknown {
  if (op === 'is_empty' || op === 'is_not_empty') return undefined;
  if (op === 'in_last_days') return 7;
  if (op === 'older_than' || op === 'newer_than') return { amount: 2, unit: 'hours' };
  if (['owner', 'follower'].includes(f.field)) return ['unassigned'];
  if (['shareLink', 'document'].includes(f.field)) return ['sl_none'];
  if (f.field === 'viewerType') return 'email';
  if (f.field === 'dnd') return 'any';
  if (f.values) return op === 'is_any' || op === 'is_none' ? [f.values[0]] : f.values[0];
  if (f.field === 'phone' && op === 'is') return '+1 415 555 0100';
  if (op === 'between') return [1, 2];
  if (['eq', 'lt', 'gt'].includes(op)) return 5;
  if (['has_any', 'has_all', 'has_none', 'is_any', 'is_none'].includes(op)) return ['x'];
  return 'x';
}
