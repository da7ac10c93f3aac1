// Helpers for <contact-table> component tests (real server): query the shadow DOM, mount inside a provider.
import { html } from '@open-wc/testing';
import { inProvider, until, type Role } from '../../../core/src/testing/fixtures.js';
import './contact-table.js';
import type { ContactTable } from './contact-table.js';

export const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
export const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
/** A word unique to one test, so its contacts are found by search in the run's shared database. */
export const uid = () => `u${Math.random().toString(36).slice(2, 9)}`;
/** The names in the rows drawn. */
export const names = (el: ContactTable) => $$(el, '.body [role=row] .col-name .name').map((n) => n.textContent);

/** The button of `root`'s shadow DOM with this text. */
export function button(root: Element, text: string) {
  const found = [...root.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === text);
  if (!found) throw new Error(`no button "${text}"`);
  return found;
}

/** A table searching `q` as `role`, once its first page (or its failure) arrived. */
export async function mount(q: string, role: Role = 'owner') {
  const el = await inProvider<ContactTable>(html`<contact-table q=${q}></contact-table>`, role);
  await until(() => el.source?.complete || el.source?.error, 'first page');
  return el;
}
