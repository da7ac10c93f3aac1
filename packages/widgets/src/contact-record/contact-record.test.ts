import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { unwrap } from '../../../core/src/api.js';
import { clientFor, createContact, ensureField, inProvider, tokenFor, until } from '../../../core/src/testing/fixtures.js';
import type { DossierProvider } from '../../../core/src/dossier-provider.js';
import type { ContactJson, DocumentJson } from '../../../core/src/types.js';
import { textFile, uploadDocuments } from '../../../core/src/testing/documents.js';
import type { ContactChangeEvent, ContactNavigateEvent } from '../../../core/src/events.js';
import '../contact-table/contact-table.js';
import type { ContactTable } from '../contact-table/contact-table.js';
import './contact-record.js';
import type { ContactRecord } from './contact-record.js';

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];

async function mount(contact: ContactJson, role: 'owner' | 'manager' | 'agent' = 'owner', extra: { restricted?: boolean; externalId?: string } = {}) {
  const el = await inProvider<ContactRecord>(html`<contact-record contact-id=${contact.id}></contact-record>`, role, extra);
  await until(() => $(el, 'h2'), 'record to load');
  // The tabs are a lazy chunk (loaded while the contact loads); updateComplete waits for it.
  await el.updateComplete;
  return el;
}

async function fetchContact(id: string) {
  return (await unwrap(clientFor('owner').api.api.v1.contacts[':id'].$get({ param: { id } }))) as ContactJson;
}

/** Types into an input the way a user does and leaves the field (fires input + change). */
function typeInto(input: HTMLInputElement, value: string) {
  input.focus();
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

async function openTab(el: ContactRecord, name: string) {
  $(el, `#tab-${name}`)!.click();
  await el.updateComplete;
}

describe('<contact-record>', () => {
  it('renders the header, the contact tab and is accessible', async () => {
    const c = await createContact({ firstName: 'Ada', lastName: 'Lovelace', companyName: 'Engines Ltd', emails: [{ value: 'ada@example.com', label: 'work' }], phones: [{ value: '+14155552671', label: 'mobile' }], tags: ['vip'] });
    const el = await mount(c);
    expect($(el, 'h2')!.textContent).to.equal('Ada Lovelace');
    expect($(el, '.sub')!.textContent).to.equal('Engines Ltd');
    expect($<HTMLInputElement>(el, '#emails-0')!.value).to.equal('ada@example.com');
    expect($<HTMLInputElement>(el, '#phones-0')!.value, 'national format in a US workspace').to.equal('(415) 555-2671');
    expect($$(el, '[role=tab]').map((t) => t.textContent)).to.deep.equal(['Contact', 'General', 'Additional', 'Do not disturb', 'Audit log', 'Activity', 'Associations', 'Conversations', 'Tasks', 'Notes', 'Appointments', 'Documents', 'Payments']);
    await expect(el).to.be.accessible();
  });

  it('saves a name edit in place, emits contact-change and persists it', async () => {
    const c = await createContact({ firstName: 'Grace' });
    const el = await mount(c);
    let changed: ContactChangeEvent | null = null;
    el.addEventListener('contact-change', (e) => (changed = e));
    typeInto($<HTMLInputElement>(el, '#f-lastName')!, 'Hopper');
    await el.updateComplete;
    expect($(el, 'h2')!.textContent, 'optimistic header').to.equal('Grace Hopper');
    await until(() => changed, 'contact-change');
    expect(changed!.detail.changed).to.deep.equal(['lastName']);
    expect(changed!.bubbles && changed!.composed).to.equal(true);
    expect((await fetchContact(c.id)).lastName).to.equal('Hopper');
  });

  it('adds an email, makes it primary and removes a phone', async () => {
    const c = await createContact({ firstName: 'Multi', emails: [{ value: 'one@example.com' }], phones: [{ value: '+14155552671', label: 'work' }, { value: '+14155552672', label: 'mobile' }] });
    const el = await mount(c);
    const addEmail = $$<HTMLButtonElement>(el, 'fieldset.rows button.btn').find((b) => b.textContent!.includes('Add email'))!;
    addEmail.click();
    await el.updateComplete;
    const second = $<HTMLInputElement>(el, '#emails-1')!;
    expect(el.shadowRoot!.activeElement).to.equal(second);
    await sendKeys({ type: 'two@example.com' });
    second.dispatchEvent(new Event('change', { bubbles: true }));
    await until(() => el.contact!.emails.length === 2 && !el.rows.emails, 'email saved');
    $$<HTMLInputElement>(el, 'input[name=emails-primary]')[1]!.click();
    await until(() => el.contact!.emails[1]!.primary && !el.rows.emails, 'primary saved');
    $<HTMLButtonElement>(el, 'button[aria-label="Remove phone 1"]')!.click();
    await until(() => el.contact!.phones.length === 1 && !el.rows.phones, 'phone removed');
    const saved = await fetchContact(c.id);
    expect(saved.emails.map((e) => [e.value, e.primary])).to.deep.equal([['one@example.com', false], ['two@example.com', true]]);
    expect(saved.phones).to.have.length(1);
    expect(saved.phones[0]!.primary).to.equal(true);
  });

  it('rolls back a refused save, keeps what the user typed and shows why', async () => {
    const c = await createContact({ firstName: 'Roll', phones: [{ value: '+14155552671' }] });
    const el = await mount(c);
    const phone = $<HTMLInputElement>(el, '#phones-0')!;
    typeInto(phone, '12');
    await until(() => $(el, '.field-error'), 'error shown');
    expect($(el, '.field-error')!.textContent).to.contain('not a valid phone number');
    expect($<HTMLInputElement>(el, '#phones-0')!.value, 'typed value kept').to.equal('12');
    expect($<HTMLInputElement>(el, '#phones-0')!.getAttribute('aria-invalid')).to.equal('true');
    expect(el.contact!.phones[0]!.value, 'record rolled back').to.equal('+14155552671');
    expect((await fetchContact(c.id)).phones[0]!.value).to.equal('+14155552671');
    // The user can discard the failed change and get the saved value back.
    $<HTMLButtonElement>(el, '.field-error .link')!.click();
    await el.updateComplete;
    expect($<HTMLInputElement>(el, '#phones-0')!.value).to.equal('(415) 555-2671');

    await openTab(el, 'general');
    const website = $<HTMLInputElement>(el, '#f-website')!;
    typeInto(website, 'not a site');
    await until(() => $(el, '.field-error'), 'website error');
    expect($<HTMLInputElement>(el, '#f-website')!.value).to.equal('not a site');
  });

  it('edits the General tab and custom fields of each type', async () => {
    await ensureField({ key: 'plan', label: 'Plan', type: 'select', options: ['Free', 'Pro'] });
    await ensureField({ key: 'seats', label: 'Seats', type: 'number' });
    await ensureField({ key: 'vip_since', label: 'VIP since', type: 'date' });
    await ensureField({ key: 'opted_in', label: 'Opted in', type: 'checkbox' });
    await ensureField({ key: 'topics', label: 'Topics', type: 'multi_select', options: ['Billing', 'Product'] });
    const c = await createContact({ firstName: 'Fields' });
    const el = await mount(c);
    await openTab(el, 'general');
    typeInto($<HTMLInputElement>(el, '#f-companyName')!, 'Acme');
    typeInto($<HTMLInputElement>(el, '#f-address_city')!, 'Lisbon');
    // Saved means the server answered every queued save ("Saved"), not only that the record shows the change.
    const allSaved = () => Object.keys(el.drafts).length === 0 && $(el, '.save-state')!.textContent!.trim() === 'Saved';
    await el.updateComplete;
    await until(() => el.contact!.address?.city === 'Lisbon' && allSaved(), 'general saved');

    await openTab(el, 'additional');
    const plan = $<HTMLSelectElement>(el, '#f-customFields_plan')!;
    plan.value = 'Pro';
    plan.dispatchEvent(new Event('change'));
    typeInto($<HTMLInputElement>(el, '#f-customFields_seats')!, '12');
    typeInto($<HTMLInputElement>(el, '#f-customFields_vip_since')!, '2026-01-31');
    const checks = $$<HTMLInputElement>(el, 'input[type=checkbox]');
    checks.find((c) => c.parentElement!.textContent!.includes('Opted in'))!.click();
    checks.find((c) => c.parentElement!.textContent!.includes('Product'))!.click();
    await el.updateComplete;
    await until(() => Object.keys(el.contact!.customFields).length === 5 && allSaved(), 'fields saved');
    const saved = await fetchContact(c.id);
    expect(saved.companyName).to.equal('Acme');
    expect(saved.customFields).to.deep.equal({ plan: 'Pro', seats: 12, vip_since: '2026-01-31', opted_in: true, topics: ['Product'] });
    await expect(el).to.be.accessible();
  });

  it('uploads into a file custom field, previews and removes its files (they stay in the contact’s documents)', async () => {
    await ensureField({ key: 'contract_file', label: 'Contract file', type: 'file' });
    const c = await createContact({ firstName: 'Filed' });
    const el = await mount(c);
    await openTab(el, 'additional');
    // Other test files add file fields of their own to the shared workspace: take this test's field by its key.
    const fileField = (host: Element) => $$(host, 'record-file-field').find((x) => (x as HTMLElement & { key?: string }).key === 'contract_file');
    await until(() => fileField(el)?.shadowRoot?.querySelector('input[type=file]'), 'the file field (a lazy chunk)');
    const field = fileField(el)!;
    const ff = <T extends Element = HTMLElement>(sel: string) => field.shadowRoot!.querySelector<T>(sel);
    expect(field.shadowRoot!.textContent).to.contain('No files');
    const input = ff<HTMLInputElement>('input[type=file]')!;
    const dt = new DataTransfer();
    dt.items.add(textFile('Signed.txt', 'signed by both'));
    dt.items.add(textFile('setup.exe', 'MZ'));
    input.files = dt.files;
    input.dispatchEvent(new Event('change'));
    await until(() => (el.contact!.customFields.contract_file as string[] | undefined)?.length === 1, 'the value the server set, reloaded');
    await until(() => ff('[data-id] .name')?.textContent === 'Signed.txt', 'listed by name');
    expect(ff('[role=alert]')!.textContent, 'a refused type never leaves').to.contain('can’t be added');
    const [docId] = (await fetchContact(c.id)).customFields.contract_file as string[];
    const doc = (await unwrap(clientFor('owner').api.api.v1.documents[':id'].$get({ param: { id: docId! } }))) as DocumentJson;
    expect([doc.name, doc.section, doc.fieldKey]).to.deep.equal(['Signed.txt', 'internal', 'contract_file']);
    await expect(el).to.be.accessible();

    el.theme = 'dark';
    ff<HTMLButtonElement>('[data-id] .name')!.click();
    await until(() => ff('dialog[open] documents-preview')?.shadowRoot?.querySelector('pre'), 'text preview in a dialog');
    expect(ff('documents-preview')!.dataset.theme, 'the preview follows the record’s theme').to.equal('dark');
    ff('documents-preview')!.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Close preview"]')!.click();
    await until(() => !ff('dialog'), 'preview closed');

    ff<HTMLButtonElement>('button[aria-label="Remove Signed.txt from Contract file"]')!.click();
    await until(() => !el.contact!.customFields.contract_file && Object.keys(el.drafts).length === 0 && !ff('[data-id]'), 'removed');
    expect((await fetchContact(c.id)).customFields.contract_file).to.equal(undefined);
    const kept = (await unwrap(clientFor('owner').api.api.v1.documents[':id'].$get({ param: { id: docId! } }))) as DocumentJson;
    expect([kept.deletedAt, kept.fieldKey], 'still a document of the contact, out of the field').to.deep.equal([null, null]);

    // A contact in the restore bin shows its files but takes no upload and no removal.
    await uploadDocuments(c.id, [textFile('Annex.txt', 'annex')], { fieldKey: 'contract_file' });
    await unwrap(clientFor('owner').api.api.v1.contacts[':id'].$delete({ param: { id: c.id } }));
    const gone = await mount(c);
    await openTab(gone, 'additional');
    await until(() => fileField(gone)?.shadowRoot?.querySelector('[data-id]'), 'files listed');
    const goneField = fileField(gone)!.shadowRoot!;
    expect([Boolean(goneField.querySelector('input[type=file]')), Boolean(goneField.querySelector('.remove'))]).to.deep.equal([false, false]);
  });

  it('toggles Do not disturb per channel and for all channels', async () => {
    const c = await createContact({ firstName: 'Quiet' });
    const el = await mount(c);
    await openTab(el, 'dnd');
    const switches = $$<HTMLInputElement>(el, 'input[role=switch]');
    expect(switches).to.have.length(7);
    switches[1]!.click(); // SMS
    await until(() => el.contact!.dnd.sms && !$(el, '.save-state')!.textContent!.includes('Saving'), 'sms saved');
    $<HTMLInputElement>(el, '.switch.all input')!.click();
    await until(() => Object.values(el.contact!.dnd).every(Boolean), 'all on');
    await until(() => $(el, '.save-state')!.textContent!.includes('Saved'), 'saved');
    expect(Object.values((await fetchContact(c.id)).dnd).every(Boolean)).to.equal(true);
  });

  it('edits tags in the header and shows the audit log newest first', async () => {
    const c = await createContact({ firstName: 'Tagged', tags: ['lead'] });
    const el = await mount(c);
    const tagInput = $(el, 'dossier-tag-input')!;
    const input = tagInput.shadowRoot!.querySelector('input')!;
    input.focus();
    await sendKeys({ type: 'customer' });
    await sendKeys({ press: 'Enter' });
    await until(() => el.contact!.tags.includes('customer') && $(el, '.save-state')!.textContent!.includes('Saved'), 'tag saved');
    await openTab(el, 'audit');
    // The log is a lazy chunk: it appears once loaded.
    await until(() => $(el, 'record-audit-log')?.shadowRoot?.querySelectorAll('li').length === 2, 'audit entries');
    const log = $(el, 'record-audit-log')!;
    const items = [...log.shadowRoot!.querySelectorAll('li .what')];
    expect(items[0]!.textContent).to.equal('Owner Tester added the tag “customer”.');
    expect(items[1]!.textContent).to.equal('Owner Tester created this contact.');
  });

  it('follows the WAI-ARIA tabs pattern with the keyboard', async () => {
    const c = await createContact({ firstName: 'Keys' });
    const el = await mount(c);
    $(el, '#tab-contact')!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(el.tab).to.equal('general');
    expect(el.shadowRoot!.activeElement!.id).to.equal('tab-general');
    expect($(el, '#tab-general')!.getAttribute('tabindex')).to.equal('0');
    expect($(el, '#tab-contact')!.getAttribute('tabindex')).to.equal('-1');
    await sendKeys({ press: 'End' });
    await el.updateComplete;
    expect(el.tab, 'a narrow record: one strip, the right panel’s tabs last').to.equal('payments');
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(el.tab, 'wraps around').to.equal('contact');
    await sendKeys({ press: 'ArrowLeft' });
    await el.updateComplete;
    expect(el.tab).to.equal('payments');
    expect($(el, '[role=tabpanel]')!.getAttribute('aria-labelledby')).to.equal('tab-payments');
  });

  it('hides what an agent may not do and the server refuses it too', async () => {
    const c = await createContact({ firstName: 'Guarded' });
    const owner = await mount(c, 'owner');
    expect($$(owner, 'header button').some((b) => b.textContent!.includes('Delete contact'))).to.equal(true);
    const agent = await mount(c, 'agent');
    expect($$(agent, 'header button').some((b) => b.textContent!.includes('Delete contact'))).to.equal(false);
    const res = await clientFor('agent').api.api.v1.contacts[':id'].$delete({ param: { id: c.id } });
    expect(res.status).to.equal(403);
  });

  it('deletes with confirmation, shows the deleted state and restores', async () => {
    const c = await createContact({ firstName: 'Binned' });
    const el = await mount(c);
    const deleted: string[] = [];
    el.addEventListener('contact-delete', (e) => deleted.push(e.detail.id));
    $$<HTMLButtonElement>(el, 'header button').find((b) => b.textContent!.includes('Delete contact'))!.click();
    const confirm = $(el, 'dossier-confirm')!;
    await until(() => confirm.shadowRoot!.querySelector('dialog')?.open, 'dialog open');
    expect(confirm.shadowRoot!.querySelector('p')!.textContent).to.contain('30 days');
    confirm.shadowRoot!.querySelector<HTMLButtonElement>('.btn.primary')!.click();
    await until(() => deleted.length === 1, 'contact-delete');
    await until(() => $(el, '.banner button'), 'deleted banner');
    expect($(el, '.banner')!.textContent).to.contain('deleted on');
    expect($<HTMLInputElement>(el, '#f-firstName')!.readOnly).to.equal(true);
    $<HTMLButtonElement>(el, '.banner button')!.click();
    await until(() => !el.contact!.deletedAt, 'restored');
    expect((await fetchContact(c.id)).deletedAt).to.equal(null);
  });

  it('walks the list with previous/next and emits contact-navigate', async () => {
    const a = await createContact({ firstName: 'First' });
    const b = await createContact({ firstName: 'Second' });
    const el = await mount(a);
    el.contactIds = [a.id, b.id];
    await el.updateComplete;
    const events: ContactNavigateEvent[] = [];
    el.addEventListener('contact-navigate', (e) => events.push(e));
    expect($<HTMLButtonElement>(el, 'button[aria-label="Previous contact"]')!.disabled).to.equal(true);
    $<HTMLButtonElement>(el, 'button[aria-label="Next contact"]')!.click();
    await until(() => $(el, 'h2')?.textContent === 'Second', 'second contact');
    expect(events[0]!.detail).to.deep.equal({ id: b.id, from: a.id, direction: 'next' });
    expect($(el, '.position')!.textContent).to.equal('2 of 2');
  });

  it('places the contact in the table’s whole result, and follows the table’s list', async () => {
    const a = await createContact({ firstName: 'Listed' });
    const b = await createContact({ firstName: 'Neighbour' });
    const el = await mount(a);
    const client = (el.parentElement as unknown as { client: import('../../../core/src/client.js').DossierClient }).client;
    client.publish({ type: 'contact-list', ids: [b.id, a.id], offset: 150, total: 1_000_000, estimated: true });
    await until(() => $(el, '.position')?.textContent === '152 of about 1,000,000', 'position in the result');
    client.publish({ type: 'contact-list', ids: [b.id, a.id], offset: 0, total: 2, estimated: false });
    await until(() => $(el, '.position')?.textContent === '2 of 2', 'exact');
    client.publish({ type: 'contact-list', ids: [], offset: 0, total: 0 });
    await until(() => !$(el, '.position'), 'not in the list any more');
  });

  describe('previous / next through a <contact-table>’s whole result', () => {
    const ROWS = 1000;
    let tag = '';
    before(async function () {
      this.timeout(30000);
      tag = `nav${Math.random().toString(36).slice(2, 9)}`;
      expect((await fetch(`/test/seed-rows?n=${ROWS}&tag=${tag}`, { method: 'POST' })).ok).to.equal(true);
    });

    /** A table (rows "Row<i> <tag>", row i at position i) and a record in one provider; `fail` fails the table's queries. */
    async function mountPair(fail: (body: Record<string, unknown>) => boolean = () => false) {
      const bodies: Record<string, unknown>[] = [];
      const spy: typeof fetch = async (input, init) => {
        const body = String(input).endsWith('/contacts/query') ? (JSON.parse(String(init!.body)) as Record<string, unknown>) : null;
        if (body) bodies.push(body);
        if (body && fail(body)) return Response.json({ error: { code: 'boom', message: 'The server fell over.' } }, { status: 500 });
        return fetch(input, init);
      };
      const provider = await fixture<DossierProvider>(html`<dossier-provider .getToken=${() => tokenFor('owner')} .fetch=${spy}>
        <contact-table q=${tag} style="--contact-table-height:320px"></contact-table><contact-record></contact-record>
      </dossier-provider>`);
      const table = provider.querySelector('contact-table') as ContactTable;
      const record = provider.querySelector('contact-record') as ContactRecord;
      const client = (provider as unknown as { client: import('../../../core/src/client.js').DossierClient }).client;
      await until(() => table.source?.count === ROWS && client.listIds.length === 100, 'the first block listed');
      const show = async (id: string, name: string) => {
        record.contactId = id;
        await until(() => $(record, 'h2')?.textContent === `${name} ${tag}`, name);
      };
      const arrow = (label: 'Previous' | 'Next') => $<HTMLButtonElement>(record, `button[aria-label="${label} contact"]`)!;
      const go = async (label: 'Previous' | 'Next', name: string) => {
        arrow(label).click();
        await until(() => $(record, 'h2')?.textContent === `${name} ${tag}`, `${label} to ${name}`, 10000);
      };
      const position = () => $(record, '.position')?.textContent;
      return { table, record, client, show, arrow, go, position, bodies };
    }

    it('walks past the rows the table has loaded, both ways, and stops only at the true ends', async function () {
      this.timeout(30000);
      const { table, record, client, show, arrow, go, position, bodies } = await mountPair();
      const events: ContactNavigateEvent[] = [];
      record.addEventListener('contact-navigate', (e) => events.push(e));
      await show(client.listIds[0]!, 'Row0');
      expect(position()).to.equal('1 of 1,000');
      expect(arrow('Previous').disabled, 'the first row').to.equal(true);
      expect(arrow('Next').disabled).to.equal(false);
      // Row 100 is not loaded: the table loads its block (by keyset after the first) and the record moves on.
      await show(client.listIds[99]!, 'Row99');
      expect(client.listIds.length).to.equal(100);
      await go('Next', 'Row100');
      expect(position()).to.equal('101 of 1,000');
      expect(events.at(-1)!.detail.direction).to.equal('next');
      // The table scrolls to its end: Row100 is no longer among its ids, yet its place is still known.
      const grid = $(table, '.grid')!;
      grid.scrollTop = grid.scrollHeight;
      await until(() => client.listPlace.offset >= 800 && !client.listIds.includes(record.contactId), 'the table at its end', 10000);
      await record.updateComplete;
      expect(position()).to.equal('101 of 1,000');
      await go('Previous', 'Row99');
      expect(position()).to.equal('100 of 1,000');
      // From the first row the table has at its end, upwards: the block above comes by `before`.
      const first = client.listPlace.offset;
      await show(client.listIds[0]!, `Row${first}`);
      const sent = bodies.length;
      await go('Previous', `Row${first - 1}`);
      expect(bodies.slice(sent).map((b) => typeof b.before)).to.deep.equal(['string']);
      expect(position()).to.equal(`${first} of 1,000`);
      await go('Next', `Row${first}`);
      await show(client.listIds.at(-1)!, `Row${ROWS - 1}`);
      expect(position()).to.equal('1,000 of 1,000');
      expect(arrow('Next').disabled, 'the last row').to.equal(true);
      expect(arrow('Previous').disabled).to.equal(false);
    });

    it('keeps the arrows working when the table’s list changes and the open contact is not among its loaded rows', async function () {
      this.timeout(30000);
      const { table, record, client, show, arrow, go, position } = await mountPair();
      // Search narrows the list to one contact deep in the full result; open it.
      table.q = `Row500 ${tag}`;
      await until(() => client.listIds.length === 1 && client.listPlace.total === 1, 'the narrowed list', 10000);
      await show(client.listIds[0]!, 'Row500');
      expect(position()).to.equal('1 of 1');
      expect(arrow('Previous').disabled && arrow('Next').disabled, 'the only row').to.equal(true);
      // Clear the search: the first rows of the new list do not reach row 500, yet the arrows stay usable.
      table.q = tag;
      await until(() => client.listPlace.total === ROWS && client.listIds.length === 100, 'the whole list again', 10000);
      await record.updateComplete;
      expect(position()).to.equal('Position unknown · list of 1,000');
      expect(arrow('Next').disabled).to.equal(false);
      expect(arrow('Previous').disabled).to.equal(false);
      expect(arrow('Next').title).to.equal('First contact in the list');
      expect(arrow('Previous').title).to.equal('Last contact in the list');
      // Previous goes to the list's last row (not loaded: the table fetches it), Next from there is the true end.
      await go('Previous', `Row${ROWS - 1}`);
      expect(position()).to.equal('1,000 of 1,000');
      expect(arrow('Next').disabled, 'the last row').to.equal(true);
      // Back to row 500, then re-sort: again off the loaded rows; Next starts the new order at its first row.
      table.q = `Row500 ${tag}`;
      await until(() => client.listIds.length === 1 && client.listPlace.total === 1, 'narrowed again', 10000);
      await show(client.listIds[0]!, 'Row500');
      table.q = tag;
      table.sort = { field: 'createdAt', dir: 'asc' };
      await until(() => client.listPlace.total === ROWS && client.listIds.length === 100 && !client.listIds.includes(record.contactId), 're-sorted list', 10000);
      await record.updateComplete;
      expect(position()).to.equal('Position unknown · list of 1,000');
      const top = client.listIds[0]!;
      arrow('Next').click();
      await until(() => record.contactId === top, 'the first row of the new order', 10000);
      await until(() => position() === '1 of 1,000', 'placed in the new order');
      expect(arrow('Previous').disabled, 'the first row').to.equal(true);
      expect(arrow('Next').disabled).to.equal(false);
      // A search the contact does not match: the whole (short) list is known, so it is certainly not in it.
      table.q = `Row77 ${tag}`;
      await until(() => client.listPlace.total !== ROWS && client.listIds.length > 0 && !client.listIds.includes(record.contactId), 'a list without it', 10000);
      await record.updateComplete;
      expect(position()).to.match(/^Not in the current list of \d+$/);
      expect(arrow('Next').disabled).to.equal(false);
      const first = client.listIds[0]!;
      arrow('Next').click();
      await until(() => record.contactId === first && position() === `1 of ${client.listPlace.total}`, 'the first row of the searched list', 10000);
    });

    it('shows a failed neighbour in place, never stuck loading, and tries again from the arrow', async function () {
      this.timeout(30000);
      let failing = false;
      const { client, show, arrow, go, position, record } = await mountPair((b) => failing && (b.cursor !== undefined || b.offset !== undefined));
      await show(client.listIds[99]!, 'Row99');
      failing = true;
      arrow('Next').click();
      await until(() => $(record, '.nav-error'), 'error beside the arrows', 10000);
      expect($(record, '.nav-error')!.getAttribute('role')).to.equal('alert');
      expect($(record, '.nav-error')!.textContent).to.contain('The server fell over.');
      expect($(record, 'h2')!.textContent).to.equal(`Row99 ${tag}`);
      expect(position()).to.equal('100 of 1,000');
      expect(arrow('Next').disabled).to.equal(false);
      failing = false;
      await go('Next', 'Row100');
      expect($(record, '.nav-error')).to.equal(null);
      expect(position()).to.equal('101 of 1,000');
    });
  });

  it('shows not-found for contacts outside a restricted member’s assignments', async () => {
    const hidden = await createContact({ firstName: 'Hidden' });
    const el = await inProvider<ContactRecord>(html`<contact-record contact-id=${hidden.id}></contact-record>`, 'agent', { restricted: true, externalId: 'restricted-agent' });
    await until(() => $(el, 'dossier-state[kind=not-found]'), 'not found state');
  });

  it('explains what is missing without a provider', async () => {
    const holder = document.createElement('div');
    holder.innerHTML = '<contact-record contact-id="ct_x"></contact-record>';
    document.body.append(holder);
    const el = holder.firstElementChild as ContactRecord;
    await el.updateComplete;
    expect($(el, 'dossier-state')!.getAttribute('message')).to.contain('dossier-provider');
    holder.remove();
  });

  it('unmerges by picking the contact to split off, reviewing the profiles, then confirming', async () => {
    const stamp = Date.now();
    const a = await createContact({ firstName: 'Survivor', emails: [{ value: `surv.${stamp}@example.com` }] });
    const b = await createContact({ firstName: 'Merged', lastName: 'One', emails: [{ value: `one.${stamp}@example.com` }] });
    const c = await createContact({ firstName: 'Merged', lastName: 'Two', emails: [{ value: `two.${stamp}@example.com` }], tags: ['two'] });
    await unwrap(clientFor('owner').api.api.v1.contacts.merge.$post({ json: { survivorId: a.id, mergedIds: [b.id, c.id] } as never }));
    const el = await mount(a);
    await until(() => el.mergeId, 'merge found');
    await el.updateComplete;
    expect($(el, '[part=banner]')!.textContent).to.contain('merged into this one');
    $$<HTMLButtonElement>(el, '[part=banner] button').find((x) => x.textContent === 'Unmerge')!.click();
    const dialog = await (async () => {
      await until(() => $(el, 'dossier-unmerge-dialog')?.shadowRoot?.querySelector('input[type=radio]'), 'the pick step');
      return $(el, 'dossier-unmerge-dialog')!;
    })();
    const inDialog = <T extends Element = HTMLElement>(sel: string) => [...dialog.shadowRoot!.querySelectorAll<T>(sel)];
    const button = (text: string) => inDialog<HTMLButtonElement>('button').find((x) => x.textContent!.trim() === text)!;
    // Step 1: nothing happened yet; both merged contacts are offered with their own profiles.
    expect((await fetchContact(b.id)).mergedIntoId).to.equal(a.id);
    expect(inDialog('label.profile').map((l) => l.textContent!.replace(/\s+/g, ' ').trim())).to.deep.equal([
      `Merged One Emails: one.${stamp}@example.com`,
      `Merged Two Emails: two.${stamp}@example.com Tags: two`,
    ]);
    inDialog<HTMLInputElement>('input[type=radio]')[1]!.click();
    button('Next').click();
    // Step 2: the review shows Merged Two restored and what the survivor keeps.
    await until(() => inDialog('section.profile').length === 2, 'the review step');
    expect(inDialog('section.profile')[0]!.textContent).to.contain('Merged Two');
    expect(inDialog('section.profile')[1]!.textContent).to.contain(`one.${stamp}@example.com`).and.not.contain(`two.${stamp}@example.com`);
    expect(dialog.shadowRoot!.textContent).to.contain('Merged One stays merged into Survivor');
    await expect(dialog).to.be.accessible();
    expect((await fetchContact(c.id)).mergedIntoId, 'the review wrote nothing').to.equal(a.id);
    // Step 3: confirm.
    button('Unmerge').click();
    await until(() => !$(el, 'dossier-unmerge-dialog'), 'the dialog closed');
    await until(() => $(el, '.save-state')!.textContent!.includes('Unmerged: Merged Two restored.'), 'the message counts one contact');
    expect((await fetchContact(c.id)).mergedIntoId).to.equal(null);
    expect((await fetchContact(b.id)).mergedIntoId, 'the other stays merged').to.equal(a.id);
    await until(() => el.contact!.emails.length === 2 && el.mergeId, 'the record shows the survivor as it is now, still offering Unmerge');
  });
});
