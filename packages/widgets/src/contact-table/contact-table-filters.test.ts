import { expect } from '@open-wc/testing';
import { unwrap } from '../../../core/src/api.js';
import { choose, clientFor, createContact, ensureField, until } from '../../../core/src/testing/fixtures.js';
import './contact-table.js';
import type { ContactTable } from './contact-table.js';
import { $, $$, uid, names, button, mount } from './table-testing.js';
import type { Condition } from './model.js';

// The filter drawer against the real server: it offers only what the query takes, a refused query keeps the
// drawer and chips usable, and chips and choices show labels, never keys.
type Drawer = HTMLElement & { updateComplete: Promise<boolean> };

async function openDrawer(el: ContactTable, label = 'Filters') {
  button(el, label).click();
  await until(() => $(el, 'table-filter-drawer')?.shadowRoot?.querySelector('[role=dialog]'), 'drawer');
  return $<Drawer>(el, 'table-filter-drawer')!;
}

/** Puts a value into the condition's value control the way a person would: a choice, a date, a number, a word. */
async function fillValue(drawer: Drawer, field: string, op: string) {
  const line = [...drawer.shadowRoot!.querySelectorAll('fieldset .line')].at(-1)!;
  const many = line.querySelector<HTMLSelectElement>('select[multiple]');
  const one = line.querySelector<HTMLSelectElement>('select:not([multiple])');
  const inputs = [...line.querySelectorAll<HTMLInputElement>('input')];
  if (many) {
    many.options[0]!.selected = true;
    many.dispatchEvent(new Event('change'));
  } else if (one && !one.value) {
    choose(one, [...one.options].find((o) => o.value && !o.disabled)!.value);
  }
  for (const input of inputs) {
    if (input.value) continue;
    input.value = input.type === 'date' ? '2026-01-05' : input.type === 'number' ? '5' : field === 'phone' && op === 'is' ? '+1 415 555 0100' : 'x';
    input.dispatchEvent(new InputEvent('input'));
  }
  await drawer.updateComplete;
}

describe('<contact-table> filters against the server', () => {
  it('the filter drawer and the column picker pass axe (a dialog role on an element that allows it)', async () => {
    const tag = uid();
    await createContact({ firstName: 'Axe', lastName: tag, tags: [tag] });
    const el = await mount(tag);
    const drawer = await openDrawer(el);
    button(drawer, '+ Add filter').click();
    await drawer.updateComplete;
    await expect(drawer).to.be.accessible();
    button(drawer, 'Close').click();
    button(el, 'Columns').click();
    await until(() => $(el, 'table-column-picker')?.shadowRoot?.querySelector('[role=dialog]'), 'column picker');
    await expect($(el, 'table-column-picker')).to.be.accessible();
  });

  it('offers only the operators the server takes: every field × operator of the drawer, with the value it builds, answers 200', async function () {
    this.timeout(120_000);
    await ensureField({ key: 'walk_plan', label: 'Plan', type: 'select', options: ['Pro', 'Free'] });
    await ensureField({ key: 'walk_topics', label: 'Topics', type: 'multi_select', options: ['A', 'B'] });
    await ensureField({ key: 'walk_seats', label: 'Seats', type: 'number' });
    await ensureField({ key: 'walk_renewal', label: 'Renewal', type: 'date' });
    await ensureField({ key: 'walk_vip', label: 'VIP', type: 'checkbox' });
    await ensureField({ key: 'walk_site', label: 'Site', type: 'url' });
    const tag = uid();
    await createContact({ firstName: 'Walk', lastName: tag, tags: [tag] });
    const el = await mount(tag);
    const drawer = await openDrawer(el);
    button(drawer, '+ Add filter').click();
    // The server's catalogue arrived: the drawer offers what it lists.
    await until(() => (drawer as unknown as { server?: unknown }).server, 'catalogue');
    await drawer.updateComplete;
    const fieldSelect = () => drawer.shadowRoot!.querySelector<HTMLSelectElement>('select[aria-label=Field]')!;
    const opSelect = () => drawer.shadowRoot!.querySelector<HTMLSelectElement>('select[aria-label=Condition]')!;
    const condition = () => (drawer as unknown as { rows: Condition[] }).rows[0]!;
    const client = clientFor();
    const fields = [...fieldSelect().options].map((o) => o.value);
    expect(fields).to.include.members(['document', 'shareLink', 'channel', 'lastChannel', 'team', 'custom.walk_plan', 'custom.walk_vip']);
    const refused: string[] = [];
    let walked = 0;
    for (const field of fields) {
      choose(fieldSelect(), field);
      await drawer.updateComplete;
      for (const op of [...opSelect().options].map((o) => o.value)) {
        choose(opSelect(), op);
        await drawer.updateComplete;
        await fillValue(drawer, field, op);
        const c = condition();
        expect([c.field, c.op], 'the drawer shows what it holds').to.deep.equal([field, op]);
        try {
          await unwrap<unknown>(client.api.api.v1.contacts.query.$post({ json: { filter: { and: [c] }, limit: 1, count: false } as never }) as never);
        } catch (err) {
          refused.push(`${field} ${op} ${JSON.stringify(c.value)}: ${(err as Error).message}`);
        }
        walked++;
      }
    }
    expect(refused).to.deep.equal([]);
    expect(walked).to.be.greaterThan(150);
  });

  it('a refused query keeps the chips and the drawer: the condition is marked and can be undone', async () => {
    const tag = uid();
    await createContact({ firstName: 'Kept', lastName: tag, tags: [tag] });
    const el = await mount(tag);
    await until(() => names(el).length === 1, 'row');
    // A saved filter the server refuses (an operator "document" does not have).
    el.filter = [{ field: 'tags', op: 'has_any', value: [tag] }, { field: 'document', op: 'is_between', value: 1 }];
    await until(() => el.source?.error && $(el, '.chip.invalid'), 'error with chips');
    expect($(el, 'dossier-state[kind=error]')!.getAttribute('message')).to.contain('no operator "is_between"');
    expect($$(el, '.chip').map((c) => c.getAttribute('aria-invalid'))).to.deep.equal([null, 'true']);
    expect($(el, '.chip.invalid')!.textContent).to.contain('Document viewed');
    // The drawer opens on the conditions as they are, so the bad one can be changed…
    const drawer = await openDrawer(el, 'Filters (2)');
    const ops = [...drawer.shadowRoot!.querySelectorAll<HTMLSelectElement>('select[aria-label=Condition]')].map((s) => s.value);
    expect(ops).to.deep.equal(['has_any', 'is_between']);
    button(drawer, 'Close').click();
    // …or its chip removed: the rows come back.
    $(el, '.chip.invalid button')!.click();
    await until(() => !el.source?.error && el.source?.complete && names(el).length === 1, 'rows again');
    // "Clear filters" in the error clears them all.
    el.filter = [{ field: 'lastChannel', op: 'is', value: 'pigeon' }];
    await until(() => el.source?.error && $(el, 'dossier-state[kind=error] button'), 'error');
    [...$(el, 'dossier-state[kind=error]')!.querySelectorAll('button')].find((b) => b.textContent === 'Clear filters')!.click();
    await until(() => el.filter.length === 0 && !el.source?.error, 'cleared');
  });
});
