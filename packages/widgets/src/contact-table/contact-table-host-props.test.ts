import { expect, fixture, html } from '@open-wc/testing';
import { createContact, inProvider, until } from '../../../core/src/testing/fixtures.js';
import type { DossierProvider } from '../../../core/src/dossier-provider.js';
import './contact-table.js';
import type { ContactTable } from './contact-table.js';

const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
const names = (el: ContactTable) => $$(el, '.body [role=row] .col-name .name').map((n) => n.textContent);
const uid = () => `u${Math.random().toString(36).slice(2, 9)}`;

describe('<contact-table> properties the host sets', () => {
  it('keeps the user’s sort when a framework re-sets an equal inline sort on each render', async () => {
    const tag = uid();
    for (const n of ['Bea', 'Abe', 'Cy']) await createContact({ firstName: n, lastName: tag, tags: [tag] });
    const el = await inProvider<ContactTable>(html`<contact-table q=${tag}></contact-table>`, 'owner');
    // What React does for <contact-table sort={{ field: 'createdAt', dir: 'desc' }}>: a new object per render.
    el.sort = { field: 'createdAt', dir: 'desc' };
    await until(() => el.source?.complete && names(el).length === 3, 'rows');
    const header = () => $$(el, '[role=columnheader]').find((h) => h.textContent!.includes('Name'))!;
    header().querySelector('button')!.click();
    await until(() => el.source?.complete && names(el)[0]!.startsWith('Abe'), 'sorted by name');
    el.sort = { field: 'createdAt', dir: 'desc' }; // the host renders again
    await el.updateComplete;
    expect(el.sort).to.deep.equal({ field: 'name', dir: 'asc' });
    expect(header().getAttribute('aria-sort')).to.equal('ascending');
    // A different value from the host still applies.
    el.sort = { field: 'name', dir: 'desc' };
    await until(() => el.source?.complete && names(el)[0]!.startsWith('Cy'), 'host sort applies');
  });

  it('keeps columns set before the element was defined, as a property or as an attribute', async () => {
    const provider = await fixture<DossierProvider>(html`<div></div>`);
    const asProperty = document.createElement('contact-table-late') as HTMLElement & { columns?: string[] };
    asProperty.columns = ['name', 'email'];
    provider.append(asProperty);
    // A framework that sets an array as an attribute on a not-yet-defined element (Vue without .prop) writes "a,b".
    const asAttribute = document.createElement('contact-table-late');
    asAttribute.setAttribute('columns', 'name,phone');
    provider.append(asAttribute);
    const { ContactTable } = await import('./contact-table.js');
    customElements.define('contact-table-late', class extends ContactTable {});
    await (asProperty as unknown as ContactTable).updateComplete;
    await (asAttribute as unknown as ContactTable).updateComplete;
    expect((asProperty as unknown as ContactTable).columns).to.deep.equal(['name', 'email']);
    expect((asAttribute as unknown as ContactTable).columns).to.deep.equal(['name', 'phone']);
  });
});
