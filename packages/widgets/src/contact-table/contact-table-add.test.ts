// <contact-table>'s Add contact dialog, against the real server.
import { expect, html } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { ContactCreateEvent, ContactOpenEvent } from '../../../core/src/events.js';
import { createContact, ensureField, inProvider, type, until } from '../../../core/src/testing/fixtures.js';
import type { ContactJson } from '../../../core/src/types.js';
import type { ContactTable } from './contact-table.js';
import type { TableAddContact } from './add-contact-dialog.js';
import { $, $$, button, mount, names, uid } from './table-testing.js';

/** Clicks Add contact and waits for the dialog (a lazy chunk) to be open. */
async function openAdd(el: ContactTable) {
  button(el, 'Add contact').click();
  await until(() => $<TableAddContact>(el, 'table-add-contact')?.shadowRoot?.querySelector('dialog[open]'), 'add dialog');
  const dialog = $<TableAddContact>(el, 'table-add-contact')!;
  await dialog.updateComplete;
  return dialog;
}

const inside = <T extends Element = HTMLInputElement>(d: TableAddContact, sel: string) => d.shadowRoot!.querySelector<T>(sel)!;
const all = <T extends Element = HTMLInputElement>(d: TableAddContact, sel: string) => [...d.shadowRoot!.querySelectorAll<T>(sel)];

async function fill(d: TableAddContact, label: string, value: string) {
  const input = all(d, 'input').find((i) => i.getAttribute('aria-label') === label || i.labels?.[0]?.textContent?.trim() === label);
  if (!input) throw new Error(`no input "${label}"`);
  type(input, value);
  await d.updateComplete;
}

describe('<contact-table> Add contact', () => {
  it('creates a contact with emails, phones, tags and a custom field; it appears and opens', async () => {
    const tag = uid();
    await ensureField({ key: 'membership', label: 'Membership', type: 'select', options: ['free', 'pro'] });
    const el = await mount(tag);
    expect($$(el, '.toolbar button').filter((b) => b.textContent!.trim() === 'Add contact')).to.have.length(1);
    const created: ContactCreateEvent[] = [];
    const opened: ContactOpenEvent[] = [];
    el.addEventListener('contact-create', (e) => created.push(e));
    el.addEventListener('contact-open', (e) => opened.push(e));
    const d = await openAdd(el);
    // The first field has focus, so typing starts at once.
    expect(d.shadowRoot!.activeElement?.id).to.equal('firstName');
    await sendKeys({ type: 'Ada' });
    await fill(d, 'Last name', `Lovelace ${tag}`);
    await fill(d, 'Email 1', `${tag}@example.com`);
    await fill(d, 'Label of Email 1', 'work');
    button(d, 'Add another email').click();
    await d.updateComplete;
    await fill(d, 'Email 2', `${tag}.home@example.com`);
    await fill(d, 'Phone 1', '+1 415 555 0100');
    await fill(d, 'Label of Phone 1', 'mobile');
    const tagInput = inside(d, 'dossier-tag-input').shadowRoot!.querySelector('input')!;
    tagInput.focus();
    await sendKeys({ type: tag });
    await sendKeys({ press: 'Enter' });
    // This test's own field (the record's tests define a `plan` field of their own in the shared workspace).
    const plan = all<HTMLSelectElement>(d, 'select').find((s) => s.closest('label')?.textContent?.trim().startsWith('Membership'))!;
    plan.value = 'pro';
    plan.dispatchEvent(new Event('change'));
    await d.updateComplete;
    // Enter in a field submits the form.
    inside(d, '#firstName').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => created.length === 1, 'contact-create');
    const { id, contact } = created[0]!.detail;
    expect(contact.id).to.equal(id);
    expect(contact.emails.map((e) => [e.value, e.label])).to.deep.equal([[`${tag}@example.com`, 'work'], [`${tag}.home@example.com`, null]]);
    expect(contact.phones.map((p) => [p.value, p.label])).to.deep.equal([['+14155550100', 'mobile']]);
    expect(contact.tags).to.deep.equal([tag]);
    expect((contact.customFields as Record<string, unknown>).membership).to.equal('pro');
    expect(opened.map((e) => e.detail.id)).to.deep.equal([id]);
    expect(el.activeId).to.equal(id);
    await until(() => names(el).includes(`Ada Lovelace ${tag}`), 'new row');
    await until(() => $(el, '.row.active'), 'row marked open');
    expect($(el, 'table-add-contact')).to.equal(null);
  });

  it('shows the server’s field errors beside the field and keeps what was typed', async () => {
    const tag = uid();
    const el = await mount(tag);
    const d = await openAdd(el);
    await fill(d, 'First name', `Typo ${tag}`);
    await fill(d, 'Email 1', 'not-an-email');
    await fill(d, 'Phone 1', '12');
    button(d, 'Create contact').click();
    await until(() => all(d, '.field-error').length, 'field error');
    const email = all(d, 'input').find((i) => i.getAttribute('aria-label') === 'Email 1')!;
    expect(email.getAttribute('aria-invalid')).to.equal('true');
    expect(d.shadowRoot!.getElementById(email.getAttribute('aria-describedby')!)!.textContent).to.contain('not a valid email');
    expect(d.shadowRoot!.activeElement).to.equal(email);
    expect(email.value).to.equal('not-an-email');
    expect(inside(d, '#firstName').value).to.equal(`Typo ${tag}`);
    expect(d.shadowRoot!.querySelector('dialog[open]')).to.not.equal(null);
    await expect(d).to.be.accessible();
    // Fixed, it goes through.
    type(email, `${tag}@example.com`);
    type(all(d, 'input').find((i) => i.getAttribute('aria-label') === 'Phone 1')!, '');
    await d.updateComplete;
    button(d, 'Create contact').click();
    await until(() => !$(el, 'table-add-contact'), 'dialog closed');
  });

  it('warns of a contact with the same email or phone: open it, or create anyway', async () => {
    const tag = uid();
    const existing = await createContact({ firstName: 'Grace', lastName: `Hopper ${tag}`, emails: [{ value: `${tag}@example.com` }], phones: [{ value: '+1 415 555 0199' }] });
    const el = await mount(tag);
    const opened: string[] = [];
    const created: ContactJson[] = [];
    el.addEventListener('contact-open', (e) => opened.push(e.detail.id));
    el.addEventListener('contact-create', (e) => created.push(e.detail.contact));

    let d = await openAdd(el);
    await fill(d, 'First name', 'Grace');
    await fill(d, 'Phone 1', '(415) 555-0199');
    button(d, 'Create contact').click();
    await until(() => d.shadowRoot!.querySelector('.dupes li'), 'duplicate warning');
    expect(inside(d, '.dupes').textContent).to.contain(`Grace Hopper ${tag}`);
    expect(inside(d, '.dupes').textContent).to.contain(`${tag}@example.com`);
    await expect(d).to.be.accessible();
    button(d, 'Open').click();
    await until(() => !$(el, 'table-add-contact'), 'dialog closed');
    expect(opened).to.deep.equal([existing.id]);
    expect(created).to.deep.equal([]);

    d = await openAdd(el);
    await fill(d, 'First name', 'Grace');
    await fill(d, 'Last name', `Again ${tag}`);
    await fill(d, 'Email 1', `${tag.toUpperCase()}@example.com`);
    button(d, 'Create contact').click();
    await until(() => d.shadowRoot!.querySelector('.dupes li'), 'duplicate warning by email');
    button(d, 'Create anyway').click();
    await until(() => created.length === 1, 'created anyway');
    expect(created[0]!.name).to.equal(`Grace Again ${tag}`);
    expect(opened.at(-1)).to.equal(created[0]!.id);
  });

  it('does not warn of contacts a restricted member cannot see', async () => {
    const tag = uid();
    await createContact({ firstName: 'Hidden', lastName: tag, emails: [{ value: `${tag}@example.com` }] });
    const el = await inProvider<ContactTable>(html`<contact-table q=${tag}></contact-table>`, 'agent', { restricted: true, externalId: `r-${tag}` });
    await until(() => el.source?.complete || el.source?.error, 'first page');
    const created: ContactJson[] = [];
    el.addEventListener('contact-create', (e) => created.push(e.detail.contact));
    const d = await openAdd(el);
    await fill(d, 'First name', `Mine ${tag}`);
    await fill(d, 'Email 1', `${tag}@example.com`);
    button(d, 'Create contact').click();
    await until(() => created.length === 1, 'created without a warning');
  });

  it('offers Add several (the import wizard) to those who may import, not to agents; hides Add contact in the bin', async () => {
    const tag = uid();
    const el = await mount(tag);
    const d = await openAdd(el);
    button(d, 'Add several…').click();
    await until(() => $(el, 'table-import-wizard'), 'import wizard');
    expect($(el, 'table-add-contact')).to.equal(null);

    const agent = await mount(tag, 'agent');
    const ad = await openAdd(agent);
    expect(all(ad, 'button').map((b) => b.textContent!.trim())).to.not.include('Add several…');
    await sendKeys({ press: 'Escape' });
    await until(() => !$(agent, 'table-add-contact'), 'Escape closes');

    el.bin = true;
    await el.updateComplete;
    expect($$(el, '.toolbar button').map((b) => b.textContent!.trim())).to.not.include('Add contact');
  });

  it('fits 390 px in the dark theme and is accessible', async () => {
    await setViewport({ width: 390, height: 800 });
    try {
      const tag = uid();
      const el = await mount(tag);
      el.setAttribute('theme', 'dark');
      const d = await openAdd(el);
      const box = inside<HTMLDialogElement>(d, 'dialog').getBoundingClientRect();
      expect(box.left).to.be.at.least(0);
      expect(box.right).to.be.at.most(390);
      const form = inside<HTMLFormElement>(d, 'form');
      expect(form.scrollWidth).to.be.at.most(form.clientWidth + 1);
      await expect(d).to.be.accessible();
    } finally {
      await setViewport({ width: 1280, height: 800 });
    }
  });
});
