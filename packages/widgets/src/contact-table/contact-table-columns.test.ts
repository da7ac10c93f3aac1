import { expect, html } from '@open-wc/testing';
import { createContact, inProvider, until } from '../../../core/src/testing/fixtures.js';
import './contact-table.js';
import type { ContactTable } from './contact-table.js';

// Columns of <contact-table> against the real server: the picker, what cells show, and what the table marks.
const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
const uid = () => `u${Math.random().toString(36).slice(2, 9)}`;
const names = (el: ContactTable) => $$(el, '.body [role=row] .col-name .name').map((n) => n.textContent);
const button = (root: Element, text: string) => {
  const found = [...root.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === text);
  if (!found) throw new Error(`no button "${text}"`);
  return found;
};

async function mount(q: string, role: 'owner' | 'manager' | 'agent' = 'owner') {
  const el = await inProvider<ContactTable>(html`<contact-table q=${q}></contact-table>`, role);
  await until(() => el.source?.complete || el.source?.error, 'first page');
  return el;
}

describe('<contact-table> columns', () => {
  it('the column picker ticks exactly the column clicked, whatever moves in the list', async () => {
    const tag = uid();
    await createContact({ firstName: 'Pick', lastName: tag, tags: [tag], companyName: 'Picked Co' });
    const el = await mount(tag);
    button(el, 'Columns').click();
    await until(() => $(el, 'table-column-picker')?.shadowRoot?.querySelector('li'), 'picker');
    const picker = $(el, 'table-column-picker')!;
    const box = (key: string) => picker.shadowRoot!.querySelector<HTMLInputElement>(`li[data-key="${key}"] input`)!;
    const ticked = () => [...picker.shadowRoot!.querySelectorAll<HTMLInputElement>('li input')].filter((b) => b.checked).map((b) => b.closest('li')!.dataset.key);
    // Company sits below Last channel; ticking it moves it up into the shown columns.
    box('companyName').click();
    await until(() => el.columns.includes('companyName'), 'company shown');
    await (picker as HTMLElement & { updateComplete: Promise<boolean> }).updateComplete;
    expect(ticked()).to.deep.equal(el.columns);
    expect(box('lastChannel').checked, 'Last channel is not ticked').to.equal(false);
    expect(box('companyName').checked).to.equal(true);
    box('lastChannel').click();
    await until(() => el.columns.includes('lastChannel'), 'last channel shown');
    await (picker as HTMLElement & { updateComplete: Promise<boolean> }).updateComplete;
    expect(ticked()).to.deep.equal(el.columns);
    expect(el.columns.slice(-2)).to.deep.equal(['companyName', 'lastChannel']);
    box('companyName').click();
    await until(() => !el.columns.includes('companyName'), 'company hidden');
    await (picker as HTMLElement & { updateComplete: Promise<boolean> }).updateComplete;
    expect(ticked()).to.deep.equal(el.columns);
    await until(() => names(el).length === 1, 'the row');
  });
});
