// The record stays in step with changes made elsewhere (bulk jobs, merges, other members — over the live stream),
// saves only what the user changed, and resolves a save made against a stale contact without losing either edit.
// Also: phones and handles as people read them.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import type { DossierProvider } from '../../../core/src/dossier-provider.js';
import { clientFor, createContact, tokenFor, until } from '../../../core/src/testing/fixtures.js';
import type { ContactJson } from '../../../core/src/types.js';
import './contact-record.js';
import type { ContactRecord } from './contact-record.js';

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
const api = () => clientFor('owner').api.api.v1;
const fetchContact = async (id: string) => (await unwrap(api().contacts[':id'].$get({ param: { id } }))) as ContactJson;

/** A record in its own provider; `live: false` keeps the live stream from opening, so the record stays stale. */
async function mount(contact: ContactJson, { live = true } = {}) {
  const spy: typeof fetch = async (input, init) =>
    !live && String(input).includes('/contacts/events/ticket') ? Response.json({ error: { code: 'unavailable', message: 'No live stream here.' } }, { status: 503 }) : fetch(input, init);
  const provider = await fixture<DossierProvider>(html`<dossier-provider .getToken=${() => tokenFor('owner')} .fetch=${spy}>
    <contact-record contact-id=${contact.id}></contact-record>
  </dossier-provider>`);
  const el = provider.querySelector('contact-record') as ContactRecord;
  const client = (provider as unknown as { client: DossierClient }).client;
  await until(() => $(el, 'h2'), 'record to load');
  // The tabs are a lazy chunk (loaded while the contact loads); updateComplete waits for it.
  await el.updateComplete;
  if (live) await until(() => client.live, 'the live stream to open');
  return el;
}

/** Runs a bulk action through the API (as another member would) and waits for its job to finish. */
async function bulk(body: Record<string, unknown>) {
  let job = (await unwrap(api().contacts.bulk.$post({ json: body as never }))) as { id: string; status: string };
  while (job.status === 'running') {
    await new Promise((r) => setTimeout(r, 50));
    job = (await unwrap(api()['bulk-jobs'][':id'].$get({ param: { id: job.id } }))) as { id: string; status: string };
  }
}

/** Adds a tag through the header's tag input, as a user types it. */
async function addTag(el: ContactRecord, tag: string) {
  const input = $(el, 'dossier-tag-input')!.shadowRoot!.querySelector<HTMLInputElement>('input')!;
  input.focus();
  await sendKeys({ type: tag });
  await sendKeys({ press: 'Enter' });
}

const chips = (el: ContactRecord) => $(el, 'dossier-tag-input')!.shadowRoot!.textContent!;

describe('<contact-record> in step with changes made elsewhere', () => {
  it('learns of a bulk tag add, an owner assignment and a merge while open, keeping what the user is typing', async () => {
    const stamp = Date.now();
    const c = await createContact({ firstName: 'Live', tags: ['enterprise', 'lead'] });
    const dup = await createContact({ firstName: 'Dup', companyName: 'Merged Co', emails: [{ value: `dup.${stamp}@example.com` }] });
    const { memberId } = await tokenFor('manager', { externalId: 'sync-manager', name: 'Sync Manager' });
    const el = await mount(c);
    const first = $<HTMLInputElement>(el, '#f-firstName')!;
    first.value = 'Typing…';
    first.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));

    await bulk({ action: 'add_tags', ids: [c.id], params: { tags: ['bulk-added'] } });
    await until(() => chips(el).includes('bulk-added'), 'the header shows the bulk tag without a reload');
    expect(el.contact!.tags).to.deep.equal(['bulk-added', 'enterprise', 'lead']);

    await bulk({ action: 'assign_owner', ids: [c.id], params: { ownerId: memberId } });
    await until(() => $<HTMLSelectElement>(el, '#owner')?.value === memberId, 'the new owner');

    await unwrap(api().contacts.merge.$post({ json: { survivorId: c.id, mergedIds: [dup.id] } as never }));
    await until(() => $(el, '.sub')?.textContent === 'Merged Co', 'the company taken from the merged contact');
    expect(el.contact!.emails.map((e) => e.value)).to.deep.equal([`dup.${stamp}@example.com`]);
    await until(() => el.mergeId, 'Unmerge offered');
    expect($<HTMLInputElement>(el, '#f-firstName')!.value, 'the draft survived every refresh').to.equal('Typing…');
  });

  it('keeps both edits when the user adds a tag to a record that missed a bulk add (the demo scenario)', async () => {
    const c = await createContact({ firstName: 'Stale', tags: ['enterprise', 'lead'] });
    const el = await mount(c, { live: false });
    await bulk({ action: 'add_tags', ids: [c.id], params: { tags: ['bulk-added'] } });
    expect(chips(el), 'this record did not hear of it').not.to.contain('bulk-added');
    await addTag(el, 'from-record');
    await until(() => $(el, '.save-state')!.textContent!.trim() === 'Saved', 'saved');
    expect((await fetchContact(c.id)).tags).to.deep.equal(['bulk-added', 'enterprise', 'from-record', 'lead']);
    expect(el.contact!.tags, 'and the record shows both').to.deep.equal(['bulk-added', 'enterprise', 'from-record', 'lead']);
    expect(chips(el)).to.contain('bulk-added');
  });

  it('shows a conflict in place and keeps what the user typed when their change cannot be made again', async () => {
    const stamp = Date.now();
    const c = await createContact({ firstName: 'Clash', emails: [{ value: `keep.${stamp}@example.com` }, { value: `gone.${stamp}@example.com` }] });
    const el = await mount(c, { live: false });
    // Meanwhile someone removes the second email…
    await unwrap(api().contacts[':id'].$patch({ param: { id: c.id }, json: { emails: [{ value: `keep.${stamp}@example.com` }] } }));
    // …while this user labels it.
    const label = $$<HTMLInputElement>(el, '.label-input')[1]!;
    label.value = 'billing';
    label.dispatchEvent(new Event('change', { bubbles: true }));
    await until(() => $(el, '.field-error'), 'the conflict shown');
    expect($(el, '.field-error')!.textContent).to.contain('Someone else changed this');
    expect($<HTMLInputElement>(el, '#emails-1')!.value, 'what the user worked on is kept').to.equal(`gone.${stamp}@example.com`);
    expect($$<HTMLInputElement>(el, '.label-input')[1]!.value).to.equal('billing');
    expect((await fetchContact(c.id)).emails.map((e) => e.value), 'nothing overwritten').to.deep.equal([`keep.${stamp}@example.com`]);
    $<HTMLButtonElement>(el, '.field-error .link')!.click();
    await el.updateComplete;
    expect($$<HTMLInputElement>(el, 'input[type=email]').map((i) => i.value), 'discarding shows the list as it is now').to.deep.equal([`keep.${stamp}@example.com`]);
  });

  it('sends only the address part that changed', async () => {
    const c = await createContact({ firstName: 'Addr', address: { line1: '1 Main St', city: 'London' } });
    const el = await mount(c, { live: false });
    await unwrap(api().contacts[':id'].$patch({ param: { id: c.id }, json: { address: { line1: '2 High St' } } }));
    $(el, '#tab-general')!.click();
    await el.updateComplete;
    const city = $<HTMLInputElement>(el, '#f-address_city')!;
    city.value = 'Leeds';
    city.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    city.dispatchEvent(new Event('change', { bubbles: true }));
    await until(() => $(el, '.save-state')!.textContent!.trim() === 'Saved', 'saved');
    expect((await fetchContact(c.id)).address).to.deep.equal({ line1: '2 High St', city: 'Leeds' });
  });
});

describe('<contact-record> phones and handles as people read them', () => {
  it('formats every phone, in any region, while another is being edited and after saving', async () => {
    const c = await createContact({ firstName: 'Dial', phones: [{ value: '+14155552671' }, { value: '+442079460958' }] });
    const el = await mount(c, { live: false });
    const values = () => $$<HTMLInputElement>(el, 'input[type=tel]').map((i) => i.value);
    expect(values()).to.deep.equal(['(415) 555-2671', '+44 20 7946 0958']);
    const first = $<HTMLInputElement>(el, '#phones-0')!;
    first.value = '415 555 0142';
    first.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    await el.updateComplete;
    expect(values(), 'the one being typed shows what is typed, the others stay formatted').to.deep.equal(['415 555 0142', '+44 20 7946 0958']);
    first.dispatchEvent(new Event('change', { bubbles: true }));
    await until(() => $(el, '.save-state')!.textContent!.trim() === 'Saved' && !el.rows.phones, 'saved');
    expect(values()).to.deep.equal(['(415) 555-0142', '+44 20 7946 0958']);
  });

  it('names a contact known only by an Instagram handle after it, and lists its handles', async () => {
    const handle = `jane.doe${Date.now()}`;
    const { secretKey } = (await (await fetch('/test/secret')).json()) as { secretKey: string };
    const res = await fetch('/api/v1/messages', {
      method: 'POST',
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'instagram', contact: { handle: `@${handle}` }, text: 'hi' }),
    });
    const { contactId } = (await res.json()) as { contactId: string };
    const el = await mount(await fetchContact(contactId), { live: false });
    expect($(el, 'h2')!.textContent).to.equal(`@${handle} · Instagram`);
    // Who may edit gets the avatar as a button (its picture inside, exported as part `avatar`).
    const avatar = $(el, '[part=avatar]') ?? $(el, 'dossier-avatar-button')!.shadowRoot!.querySelector('[part=avatar]');
    expect(avatar!.shadowRoot!.textContent!.trim(), 'initials from the handle, not "#"').to.equal('JD');
    expect($(el, '.handles')!.textContent!.replace(/\s+/g, ' ')).to.contain(`@${handle} · instagram`);
    expect(($(el, '.handles .channel') as HTMLElement).innerText).to.equal('· Instagram');
    await expect(el).to.be.accessible();
  });
});
