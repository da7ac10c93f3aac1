// The audit log as a person reads it: events made through the real API, one sentence each with only what changed.
import { expect, html } from '@open-wc/testing';
import { unwrap } from '../../../core/src/api.js';
import { clientFor, createContact, ensureField, inProvider, tokenFor, until } from '../../../core/src/testing/fixtures.js';
import type { ContactJson } from '../../../core/src/types.js';
import './contact-record.js';
import type { ContactRecord } from './contact-record.js';

const owner = clientFor('owner');
const patch = (id: string, json: Record<string, unknown>) => unwrap(owner.api.api.v1.contacts[':id'].$patch({ param: { id }, json: json as never }));
async function call(method: string, path: string, body?: unknown) {
  const { token } = await tokenFor('owner');
  const res = await fetch(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The record's Audit log tab (a lazy chunk), oldest sentence first. */
async function sentences(contact: ContactJson, count: number) {
  const el = await inProvider<ContactRecord>(html`<contact-record contact-id=${contact.id} tab="audit"></contact-record>`);
  await until(() => el.shadowRoot!.querySelector('record-audit-log')?.shadowRoot?.querySelectorAll('li').length === count, `${count} audit entries`, 8000);
  const log = el.shadowRoot!.querySelector('record-audit-log')!;
  return [...log.shadowRoot!.querySelectorAll('li .what')].map((li) => li.textContent!.trim()).reverse();
}

describe('<record-audit-log>', () => {
  it('says in one sentence per event who changed what, and only what changed', async () => {
    await ensureField({ key: 'industry', label: 'Industry', type: 'text' });
    await ensureField({ key: 'renewal', label: 'Renewal', type: 'date' });
    const c = await createContact({ firstName: 'Audited', emails: [{ value: 'one@example.com' }], customFields: { industry: 'Retail' } });
    await patch(c.id, { companyName: 'Acme', tags: ['vip'] });
    await patch(c.id, { customFields: { renewal: '2027-03-01' } });
    await patch(c.id, { emails: [{ value: 'one@example.com', label: 'work' }, { value: 'two@example.com', primary: true }] });
    await patch(c.id, { dnd: { sms: true }, tags: [] });
    const job = (await call('POST', '/api/v1/contacts/bulk', { action: 'add_tags', ids: [c.id], params: { tags: ['bulk-added', 'q3'] } })) as { id: string };
    while (((await call('GET', `/api/v1/bulk-jobs/${job.id}`)) as { status: string }).status === 'running') await new Promise((r) => setTimeout(r, 50));
    const absorbed = await createContact({ firstName: 'Absorbed', lastName: 'Jones', phones: [{ value: '+14155550123' }] });
    await call('POST', '/api/v1/contacts/merge', { survivorId: c.id, mergedIds: [absorbed.id], pick: {} });

    // The absorbed contact's history moves to the survivor with it (its own "created", before the merge).
    const lines = await sentences(c, 8);
    expect(lines).to.deep.equal([
      'Owner Tester created this contact.',
      'Owner Tester set the company to “Acme” and added the tag “vip”.',
      'Owner Tester set Renewal to “Mar 1, 2027”.',
      'Owner Tester added the email “two@example.com”, made “two@example.com” the primary email, and labelled “one@example.com” “work”.',
      'Owner Tester removed the tag “vip” and turned on Do not disturb for SMS.',
      'Owner Tester added the tags “bulk-added” and “q3”, in a bulk edit.',
      'Owner Tester created this contact.',
      'Owner Tester merged Absorbed Jones into this contact, which set the last name to “Jones” and added the phone number “(415) 555-0123”.',
    ]);
  });

  it('names the document and link a viewer opened, and the viewer', async () => {
    const link = (await (await fetch('/test/share-link?require=email&verify=0&name=Client%20link', { method: 'POST' })).json()) as { slug: string };
    const email = `reader.${Date.now()}@example.com`;
    const opened = await fetch(`/api/v1/public/share/${link.slug}/open`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'email', identifier: email }) });
    expect(opened.status).to.equal(201);
    const found = (await call('POST', '/api/v1/contacts/query', { q: email, limit: 1 })) as { items: ContactJson[] };
    const lines = await sentences(found.items[0]!, 2);
    expect(lines[1]).to.equal(`${email} viewed “Proposal.pdf” through the link “Client link”.`);
  });

  it('tells of notes and tasks in sentences naming them', async () => {
    const c = await createContact({ firstName: 'Noted' });
    const { memberId } = await tokenFor('owner');
    const base = `/api/v1/contacts/${c.id}`;
    const note = (await call('POST', `${base}/notes`, { body: 'Prefers calls after 5pm' })) as { id: string };
    await call('PATCH', `${base}/notes/${note.id}`, { pinned: true });
    await call('DELETE', `${base}/notes/${note.id}`);
    const due = new Date(2027, 0, 15, 10, 0).getTime();
    const task = (await call('POST', `${base}/tasks`, { title: 'Send the quote', dueAt: due, assigneeId: memberId })) as { id: string };
    await call('PATCH', `${base}/tasks/${task.id}`, { title: 'Send the new quote' });
    await call('PATCH', `${base}/tasks/${task.id}`, { status: 'completed' });
    await call('DELETE', `${base}/tasks/${task.id}`);
    const lines = await sentences(c, 8);
    expect(lines.slice(1)).to.deep.equal([
      'Owner Tester added the note “Prefers calls after 5pm”.',
      'Owner Tester pinned the note “Prefers calls after 5pm”.',
      'Owner Tester deleted the note “Prefers calls after 5pm”.',
      'Owner Tester created the task “Send the quote”, due Jan 15, 2027, 10:00 AM.',
      'Owner Tester changed the task “Send the new quote”: changed the title from “Send the quote” to “Send the new quote”.',
      'Owner Tester completed the task “Send the new quote”.',
      'Owner Tester deleted the task “Send the new quote”.',
    ]);
  });

  it('tells of appointments booked, changed and cancelled', async () => {
    const c = await createContact({ firstName: 'Booked' });
    const { memberId } = await tokenFor('owner');
    const day = [{ start: '00:00', end: '24:00' }];
    const cal = (await call('POST', '/api/v1/calendars', { name: 'Audit calendar', timeZone: 'UTC', slotMinutes: 30, memberIds: [memberId], workingHours: { sun: day, mon: day, tue: day, wed: day, thu: day, fri: day, sat: day } })) as { id: string };
    const at = new Date(2027, 0, 20, 10, 0).getTime();
    const base = `/api/v1/contacts/${c.id}/appointments`;
    const a = (await call('POST', base, { calendarId: cal.id, startAt: at, memberId, title: 'Demo' })) as { id: string };
    await call('PATCH', `${base}/${a.id}`, { startAt: at + 3_600_000, location: 'Online' });
    await call('PATCH', `${base}/${a.id}`, { status: 'cancelled' });
    const lines = await sentences(c, 4);
    expect(lines.slice(1)).to.deep.equal([
      'Owner Tester booked the appointment “Demo” for Jan 20, 2027, 10:00 AM.',
      'Owner Tester changed the appointment “Demo”: set the location to “Online” and moved it from Jan 20, 2027, 10:00 AM to Jan 20, 2027, 11:00 AM.',
      'Owner Tester cancelled the appointment “Demo” of Jan 20, 2027, 11:00 AM.',
    ]);
  });
});
