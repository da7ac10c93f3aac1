// The audit events an import writes are built from the import's plan, not read back (contact-bulk-create.ts): they
// must still be exactly what a read of the contacts answers (stored tag spellings and order, normalized emails and
// phones, derived names, custom values) — on both engines.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { diff, type Changes } from '../domain/audit.js';
import { CREATE_UNTRACKED, loadContacts, UNTRACKED } from '../domain/contacts.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

describe('CSV import audit', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: string;
  before(async () => {
    h = await harness();
    ws = await h.workspace({ region: 'GB' });
    owner = (await ws.token('owner')).token;
    for (const body of [
      { key: 'seats', label: 'Seats', type: 'number' },
      { key: 'vip', label: 'VIP', type: 'checkbox' },
      { key: 'modules', label: 'Modules', type: 'multi_select', options: ['crm', 'docs', 'chat'] },
      { key: 'plan', label: 'Plan', type: 'select', options: ['Pro', 'Free'] },
      { key: 'renewal', label: 'Renewal', type: 'date' },
      { key: 'notes', label: 'Notes', type: 'text' },
    ]) assert.equal((await h.call('POST', '/api/v1/custom-fields', { token: owner, body })).status, 201);
    // Tags that exist already, in another case than the file writes them: they keep their stored spelling.
    const old = await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Old', emails: [{ value: 'old@example.com' }], tags: ['VIP', 'Beta', 'émigré'] } });
    assert.equal(old.status, 201);
  });
  after(() => h.close());

  const upload = async (csv: string, dedupe: string) => {
    const mapping = {
      First: 'firstName', Last: 'lastName', Company: 'companyName', Email: 'email', 'Other email': 'email', Mobile: 'phone', 'Work phone': 'phone',
      Tags: 'tags', More: 'tags', Web: 'website', City: 'address.city', Country: 'address.country', Seats: 'custom.seats', VIP: 'custom.vip',
      Modules: 'custom.modules', Plan: 'custom.plan', Renewal: 'custom.renewal', Notes: 'custom.notes', Source: 'source',
    };
    const params = new URLSearchParams({ mapping: JSON.stringify(mapping), dedupe });
    const res = await h.app.request(`/api/v1/contacts/import?${params}`, { method: 'POST', headers: { authorization: `Bearer ${owner}`, 'content-type': 'text/csv' }, body: csv });
    return (await res.json()) as any;
  };

  const audits = async (action: string) => {
    const rows = await h.opened.db.selectFrom('audit_events').select(['contact_id', 'changes']).where('workspace_id', '=', ws.id).where('action', '=', action).execute();
    return new Map(rows.map((r) => [r.contact_id!, JSON.parse(r.changes) as Changes]));
  };

  it('writes the audit of each created contact exactly as the contact reads back', async () => {
    const csv = [
      'First,Last,Company,Email,Other email,Mobile,Work phone,Tags,More,Web,City,Country,Seats,VIP,Modules,Plan,Renewal,Notes,Source',
      // Existing tags in other cases, new ones in mixed case, a tag repeated in another case, sorting traps.
      '  Ada ,Lovelace,Analytical Engines,ADA@Example.com; ada.l@example.com,Lady@Example.org,07400 123456; 020 7946 0958,+1 (415) 555-2671,vip; zeta; Alpha; beta,ZETA; _under; 10; 9; Émigré,example.com/ada,London,UK,"1,200",yes,crm; chat,Pro,2025-02-28,"Line one\nline two",',
      // No name: the display name comes from the primary phone (national format in GB), then the email.
      ',,,,,+44 7400 123457,,,,,,,,,,,,,fair',
      ',,,only@example.com,,,,,,,,,,no,,,,,',
      // Blanks everywhere else; a checkbox written as 0; only a last name.
      ',Hopper,,,,,,,,,,,0,,,,,,,',
      // Several numbers in one cell, the second column's label already taken by the first.
      'Grace,,,grace@example.com,,+44 7400 123458;+44 7400 123459,+44 20 7946 0959,docs; Docs,,,,, ,x,docs,Free,,,',
      // Bad rows: reported, not audited.
      'Bad,Email,,not-an-email,,,,,,,,,,,,,,,',
      'Bad,Plan,,,,,,,,,,,,,,Enterprise,,,',
    ].join('\n');
    const job = await upload(csv, 'create');
    assert.equal(job.status, 'done', JSON.stringify(job));
    assert.deepEqual(job.summary, { created: 5 });
    assert.deepEqual(job.errors.map((e: any) => [e.row, e.field]), [[6, 'emails[0].value'], [7, 'customFields.plan']]);

    const created = await audits('contact.created');
    const ids = [...created.keys()];
    const contacts = await loadContacts(h.opened.db, ws.id, ids);
    assert.equal(contacts.length, 6); // the one made through the API, and the five imported
    for (const contact of contacts) {
      assert.deepEqual(created.get(contact.id), diff(null, contact as unknown as Record<string, unknown>, CREATE_UNTRACKED), contact.name);
    }
    // The traps were there: stored spellings, the engine's order, normalized values, derived names.
    const ada = contacts.find((c) => c.lastName === 'Lovelace')!;
    // (Whether "Émigré" is the stored "émigré" depends on the engine: SQLite's NOCASE folds ASCII letters only.)
    assert.deepEqual(new Set(ada.tags.filter((t) => !/migr/i.test(t))), new Set(['VIP', 'zeta', 'Alpha', 'Beta', '_under', '10', '9']));
    assert.deepEqual(ada.emails.map((e) => e.value), ['ada@example.com', 'ada.l@example.com', 'lady@example.org']);
    assert.deepEqual(ada.phones.map((p) => [p.value, p.label, p.primary]), [['+447400123456', 'mobile', true], ['+442079460958', null, false], ['+14155552671', 'work', false]]);
    assert.deepEqual(ada.customFields, { seats: 1200, vip: true, modules: ['crm', 'chat'], plan: 'Pro', renewal: '2025-02-28', notes: 'Line one\nline two' });
    assert.deepEqual(contacts.map((c) => c.name).filter((n) => !/Old|Ada/.test(n)).sort(), ['07400 123457', 'Grace', 'Hopper', 'only@example.com'].sort());
    assert.equal(created.get(contacts.find((c) => c.name === 'Grace')!.id)!['customFields.vip']!.after, true);
  });

  it('writes the audit of each updated contact as its change from before to after', async () => {
    const before = await loadContacts(h.opened.db, ws.id, [...(await audits('contact.created')).keys()]);
    const csv = [
      'First,Last,Company,Email,Other email,Mobile,Work phone,Tags,More,Web,City,Country,Seats,VIP,Modules,Plan,Renewal,Notes,Source',
      'Augusta,,,ada@example.com,new@example.com,,,BETA; Omega,,,Paris,,3,,docs,,,,',
      ',,,,,07400 123457,07400 123460,vip,,,,,,,,,,,',
      'New,Person,,new.person@example.com,,,,Alpha; new,,,,,,,,,,,',
    ].join('\n');
    const job = await upload(csv, 'update');
    assert.deepEqual(job.summary, { updated: 2, created: 1 });
    const updated = await audits('contact.updated');
    assert.equal(updated.size, 2);
    const after = await loadContacts(h.opened.db, ws.id, [...updated.keys()]);
    for (const contact of after) {
      const was = before.find((c) => c.id === contact.id)!;
      assert.deepEqual(updated.get(contact.id), diff(was as unknown as Record<string, unknown>, contact as unknown as Record<string, unknown>, UNTRACKED));
    }
    const created = await audits('contact.created');
    const [person] = await loadContacts(h.opened.db, ws.id, [...created.keys()].filter((id) => !before.some((c) => c.id === id)));
    assert.equal(person!.name, 'New Person');
    assert.deepEqual(created.get(person!.id), diff(null, person as unknown as Record<string, unknown>, CREATE_UNTRACKED));
  });
});
