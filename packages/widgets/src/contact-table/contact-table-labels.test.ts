import { expect } from '@open-wc/testing';
import { pushMessage } from '../../../core/src/testing/documents.js';
import { createContact, ensureField, until } from '../../../core/src/testing/fixtures.js';
import './contact-table.js';
import type { ContactTable } from './contact-table.js';
import { $, $$, uid, button, mount } from './table-testing.js';

// What <contact-table> shows people: labels and formatted values in cells, chips, the drawer's choices and the
// merge comparison — never the API's keys ("whatsapp", "gmb", "false", "1959-07-14").
const cells = (el: ContactTable, key: string) => $$(el, `.body [role=row] .col-${CSS.escape(key)}`).map((c) => c.textContent!.trim());

describe('<contact-table> labels', () => {
  it('cells show channels, dates and checkboxes as people read them', async () => {
    await ensureField({ key: 'label_born', label: 'Born', type: 'date' });
    await ensureField({ key: 'label_vip', label: 'VIP', type: 'checkbox' });
    const tag = uid();
    // A number no other test uses: a message from a known number would go to that number's contact instead.
    const phone = `+1 213 658 ${String(1000 + Math.floor(Math.random() * 9000))}`;
    const { contactId } = await pushMessage({ channel: 'whatsapp', contact: { phone, firstName: 'Chan', lastName: tag }, text: 'Hi' }, []);
    const el = await mount(tag);
    el.columns = ['name', 'lastChannel', 'custom.label_born', 'custom.label_vip'];
    await until(() => cells(el, 'lastChannel').length === 1, 'row');
    expect(cells(el, 'lastChannel')).to.deep.equal(['WhatsApp']);
    const { clientFor } = await import('../../../core/src/testing/fixtures.js');
    const { unwrap } = await import('../../../core/src/api.js');
    await unwrap(clientFor().api.api.v1.contacts[':id'].$patch({ param: { id: contactId }, json: { customFields: { label_born: '1959-07-14', label_vip: false } } as never }));
    el.reload();
    await until(() => cells(el, 'custom.label_born')[0] !== '', 'reloaded');
    const day = new Intl.DateTimeFormat(navigator.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(1959, 6, 14));
    expect(cells(el, 'custom.label_born')).to.deep.equal([day]);
    expect($(el, '.body .col-custom\\.label_vip span')!.title).to.equal('No');
  });

  it('the drawer and chips name channels, do-not-disturb channels and dates', async () => {
    const tag = uid();
    await createContact({ firstName: 'Dnd', lastName: tag, tags: [tag] });
    const el = await mount(tag);
    button(el, 'Filters').click();
    await until(() => $(el, 'table-filter-drawer')?.shadowRoot?.querySelector('[role=dialog]'), 'drawer');
    const drawer = $<HTMLElement & { updateComplete: Promise<boolean> }>(el, 'table-filter-drawer')!;
    button(drawer, '+ Add filter').click();
    await drawer.updateComplete;
    const field = drawer.shadowRoot!.querySelector<HTMLSelectElement>('select[aria-label=Field]')!;
    const valueOptions = () => [...drawer.shadowRoot!.querySelectorAll<HTMLOptionElement>('fieldset .line:last-child select option')].map((o) => o.textContent!.trim());
    field.value = 'dnd';
    field.dispatchEvent(new Event('change'));
    await drawer.updateComplete;
    expect(valueOptions()).to.deep.equal(['Any channel', 'SMS', 'Calls', 'Email', 'Facebook', 'Google Business', 'WhatsApp']);
    field.value = 'channel';
    field.dispatchEvent(new Event('change'));
    await until(() => valueOptions().includes('Web chat'), 'server channels');
    expect(valueOptions()).to.deep.equal(['Email', 'SMS', 'WhatsApp', 'Instagram', 'Facebook', 'Calls', 'Web chat']);
    const value = drawer.shadowRoot!.querySelector<HTMLSelectElement>('fieldset .line:last-child select')!;
    value.value = 'whatsapp';
    value.dispatchEvent(new Event('change'));
    await until(() => $(el, '.chip'), 'chip');
    expect($(el, '.chip span')!.textContent).to.equal('Channel has WhatsApp');
    el.filter = [{ field: 'createdAt', op: 'eq', value: '2026-01-05' }, { field: 'lastChannel', op: 'is_any', value: ['sms', 'webchat'] }, { field: 'accessCount', op: 'gt', value: 2 }];
    await until(() => $$(el, '.chip').length === 3, 'chips');
    const day = new Intl.DateTimeFormat(navigator.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(2026, 0, 5));
    expect($$(el, '.chip span').map((c) => c.textContent)).to.deep.equal([`Created is on ${day}`, 'Last interacted channel is any of SMS, Web chat', 'Access count is more than 2']);
  });

  it('the merge comparison shows Yes / No and dates, not "false" and "1959-07-14"', async () => {
    await ensureField({ key: 'label_born', label: 'Born', type: 'date' });
    await ensureField({ key: 'label_vip', label: 'VIP', type: 'checkbox' });
    const tag = uid();
    await createContact({ firstName: 'Merge', lastName: `One ${tag}`, tags: [tag], customFields: { label_born: '1959-07-14', label_vip: false } });
    await createContact({ firstName: 'Merge', lastName: `Two ${tag}`, tags: [tag], customFields: { label_born: '1960-01-02', label_vip: true } });
    const el = await mount(tag);
    await until(() => el.source?.rows.length === 2, 'rows');
    $<HTMLInputElement>(el, '.head .check input')!.click();
    await el.updateComplete;
    button(el, 'Merge').click();
    await until(() => $(el, 'table-merge-dialog')?.shadowRoot?.querySelector('.result-name'), 'preview');
    const dialog = $(el, 'table-merge-dialog')!;
    const row = (label: string) => [...dialog.shadowRoot!.querySelectorAll('tbody tr')].find((r) => r.querySelector('th')!.textContent === label)!;
    const text = (label: string) => [...row(label).querySelectorAll('td')].map((td) => td.textContent!.trim()).sort();
    const day = (y: number, m: number, d: number) => new Intl.DateTimeFormat(navigator.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(y, m, d));
    expect(text('VIP')).to.deep.equal(['No', 'Yes']);
    expect(text('Born')).to.deep.equal([day(1959, 6, 14), day(1960, 0, 2)].sort());
    button(dialog, 'Cancel').click();
  });
});
