import { expect, fixture, html } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import { unwrap } from '../../../core/src/api.js';
import type { ContactOpenEvent, ContactSelectionChangeEvent } from '../../../core/src/events.js';
import { clientFor, createContact, ensureField, inProvider, tokenFor, until } from '../../../core/src/testing/fixtures.js';
import type { DossierProvider } from '../../../core/src/dossier-provider.js';
import type { ContactJson } from '../../../core/src/types.js';
import { samplePdf, uploadDocuments } from '../../../core/src/testing/documents.js';
import './contact-table.js';
import type { ContactTable } from './contact-table.js';

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
const uid = () => `u${Math.random().toString(36).slice(2, 9)}`;
const names = (el: ContactTable) => $$(el, '.body [role=row] .col-name .name').map((n) => n.textContent);
const button = (root: Element | ShadowRoot, text: string) => {
  const scope = root instanceof Element && root.shadowRoot ? root.shadowRoot : root;
  const found = [...scope.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === text);
  if (!found) throw new Error(`no button "${text}"`);
  return found;
};

async function mount(q: string, role: 'owner' | 'manager' | 'agent' = 'owner') {
  const el = await inProvider<ContactTable>(html`<contact-table q=${q}></contact-table>`, role);
  await until(() => el.source?.complete || (el.source?.rows.length ?? 0) > 0 || el.source?.error, 'first page');
  await el.updateComplete;
  return el;
}

async function people(tag: string, list: string[]): Promise<ContactJson[]> {
  const out: ContactJson[] = [];
  for (const [i, n] of list.entries()) {
    const [firstName, lastName] = n.split(' ');
    out.push(await createContact({ firstName, lastName: `${lastName ?? ''} ${tag}`.trim(), tags: [tag], emails: [{ value: `${tag}${i}@example.com` }] }));
  }
  return out;
}

function typeInto(input: HTMLInputElement, value: string) {
  input.focus();
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Opens the filter drawer and adds an empty condition; returns the drawer and its field select. */
async function openDrawerWithNewCondition(el: ContactTable) {
  button(el, 'Filters').click();
  await until(() => $(el, 'table-filter-drawer')?.shadowRoot?.querySelector('[role=dialog]'), 'drawer');
  const drawer = $<HTMLElement & { updateComplete: Promise<boolean> }>(el, 'table-filter-drawer')!;
  button(drawer, '+ Add filter').click();
  await drawer.updateComplete;
  const field = drawer.shadowRoot!.querySelector<HTMLSelectElement>('select[aria-label=Field]')!;
  return { drawer, field };
}

describe('<contact-table>', () => {
  it('lists contacts, announces the count and is accessible', async () => {
    const tag = uid();
    await people(tag, ['Ada Lovelace', 'Grace Hopper']);
    const el = await mount(tag);
    await until(() => names(el).length === 2, 'two rows');
    expect($(el, '[role=grid]')!.getAttribute('aria-rowcount')).to.equal('3');
    expect($(el, '.status')!.getAttribute('aria-live')).to.equal('polite');
    expect($(el, '.status')!.textContent).to.contain('2 contacts');
    await expect(el).to.be.accessible();
  });

  it('searches with a debounce and shows "no matches" with a clear action', async () => {
    const tag = uid();
    await people(tag, ['Search Target', 'Other Person']);
    const el = await mount(tag);
    await until(() => names(el).length === 2, 'rows');
    typeInto($<HTMLInputElement>(el, 'input[type=search]')!, `${tag} target`);
    expect(el.q, 'not applied before the debounce').to.equal(tag);
    await until(() => el.q === `${tag} target` && el.source?.complete && names(el).length === 1, 'search applied');
    expect(names(el)[0]).to.contain('Search');
    typeInto($<HTMLInputElement>(el, 'input[type=search]')!, `${tag} nobodyatall`);
    await until(() => $(el, 'dossier-state[kind=empty]'), 'no matches');
    button(el, 'Clear filters').click();
    await until(() => el.q === '' && el.source?.rows.length, 'cleared');
  });

  it('sorts server-side from the header and shows aria-sort', async () => {
    const tag = uid();
    await people(tag, ['Bea B', 'Abe A', 'Cy C']);
    const el = await mount(tag);
    await until(() => names(el).length === 3, 'rows');
    const header = () => $$(el, '[role=columnheader]').find((h) => h.textContent!.includes('Name'))!;
    expect(header().getAttribute('aria-sort')).to.equal('none');
    header().querySelector('button')!.click();
    await until(() => el.source?.complete && names(el)[0]!.startsWith('Abe'), 'ascending');
    expect(header().getAttribute('aria-sort')).to.equal('ascending');
    header().querySelector('button')!.click();
    await until(() => el.source?.complete && names(el)[0]!.startsWith('Cy'), 'descending');
    expect(header().getAttribute('aria-sort')).to.equal('descending');
  });

  it('filters from the drawer, shows removable chips and clears', async () => {
    const tag = uid();
    const vip = `${tag}vip`;
    const [a] = await people(tag, ['Vip One', 'Plain Two']);
    await unwrap(clientFor().api.api.v1.contacts[':id'].$patch({ param: { id: a!.id }, json: { tags: [tag, vip] } as never }));
    const el = await mount(tag);
    await until(() => names(el).length === 2, 'rows');
    const { drawer, field } = await openDrawerWithNewCondition(el);
    field.value = 'tags';
    field.dispatchEvent(new Event('change'));
    await drawer.updateComplete;
    typeInto(drawer.shadowRoot!.querySelector<HTMLInputElement>('fieldset input')!, vip);
    await until(() => el.filter.length === 1 && el.source?.complete && names(el).length === 1, 'filtered');
    expect(el.filter[0]).to.deep.equal({ field: 'tags', op: 'has_any', value: [vip] });
    const chip = $(el, '.chip')!;
    expect(chip.textContent).to.contain('has any of');
    expect(chip.textContent).to.contain(vip);
    chip.querySelector('button')!.click();
    await until(() => el.filter.length === 0 && names(el).length === 2, 'chip removed');
    // Clear in the drawer empties everything too.
    button(drawer, '+ Add filter').click();
    await drawer.updateComplete;
    button(drawer, 'Clear').click();
    await until(() => !$(el, '.chip') && el.filter.length === 0, 'cleared');
  });

  it('offers the share-link viewer filters, and the server accepts what the drawer builds', async () => {
    const tag = uid();
    await people(tag, ['Not A Viewer']);
    const el = await mount(tag);
    await until(() => names(el).length === 1, 'rows');
    const { drawer, field } = await openDrawerWithNewCondition(el);
    const offered = [...field.options].map((o) => o.value);
    expect(offered).to.include.members(['viewerType', 'lastAccessedAt', 'accessCount', 'shareLink', 'document']);
    field.value = 'viewerType';
    field.dispatchEvent(new Event('change'));
    await until(() => el.filter.length === 1 && el.source?.complete && $(el, 'dossier-state[kind=empty]'), 'no viewers match');
    expect(el.filter[0]).to.deep.equal({ field: 'viewerType', op: 'is', value: 'any' });
    expect($(el, 'dossier-state[kind=error]')).to.equal(null);
  });

  it('picks a share link by name for the "share link viewed" filter', async () => {
    const tag = uid();
    const [owner] = await people(tag, ['Link Owner']);
    const [doc] = await uploadDocuments(owner!.id, [samplePdf(`${tag}.pdf`)]);
    const link = await unwrap(clientFor().api.api.v1['share-links'].$post({ json: { documentId: doc!.id, name: `Deck ${tag}` } as never }));
    const el = await mount(tag);
    await until(() => names(el).length === 1, 'rows');
    const { drawer, field } = await openDrawerWithNewCondition(el);
    field.value = 'shareLink';
    field.dispatchEvent(new Event('change'));
    await drawer.updateComplete;
    const op = drawer.shadowRoot!.querySelector<HTMLSelectElement>('select[aria-label=Condition]')!;
    op.value = 'is_any';
    op.dispatchEvent(new Event('change'));
    await until(() => drawer.shadowRoot!.querySelector('select[multiple]'), 'link picker');
    const picker = drawer.shadowRoot!.querySelector<HTMLSelectElement>('select[multiple]')!;
    const option = [...picker.options].find((o) => o.textContent === `Deck ${tag}`)!;
    expect(option.value).to.equal((link as { id: string }).id);
    option.selected = true;
    picker.dispatchEvent(new Event('change'));
    await until(() => el.filter.length === 1 && el.source?.complete && $(el, 'dossier-state[kind=empty]'), 'nobody viewed it yet');
    expect(el.filter[0]).to.deep.equal({ field: 'shareLink', op: 'is_any', value: [(link as { id: string }).id] });
  });

  it('picks, hides and reorders columns; Name cannot be hidden', async () => {
    const tag = uid();
    await people(tag, ['Col Umn']);
    const el = await mount(tag);
    button(el, 'Columns').click();
    await until(() => $(el, 'table-column-picker')?.shadowRoot?.querySelector('li'), 'picker');
    const picker = $(el, 'table-column-picker')!;
    const box = (key: string) => picker.shadowRoot!.querySelector<HTMLInputElement>(`li[data-key="${key}"] input`)!;
    expect(box('name').disabled).to.equal(true);
    box('email').click();
    await until(() => !el.columns.includes('email'), 'email hidden');
    expect($$(el, '[role=columnheader]').some((h) => h.textContent!.trim().startsWith('Email'))).to.equal(false);
    box('companyName').click();
    await until(() => el.columns.at(-1) === 'companyName', 'company shown');
    picker.shadowRoot!.querySelector<HTMLButtonElement>('li[data-key="companyName"] [data-dir="-1"]')!.click();
    await until(() => el.columns.at(-2) === 'companyName', 'moved up');
  });

  it('resizes a column with the keyboard, from the width it is drawn at', async () => {
    const tag = uid();
    await people(tag, ['Wide Name']);
    const el = await mount(tag);
    const head = () => $(el, '[role=columnheader][aria-colindex="2"]')!;
    const drawn = Math.round(head().getBoundingClientRect().width);
    $(el, '[role=separator]')!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(el.widths).to.deep.equal({ name: drawn + 10 });
    expect(Number($(el, '[role=separator]')!.getAttribute('aria-valuenow'))).to.equal(drawn + 10);
    expect(Math.round(head().getBoundingClientRect().width)).to.equal(drawn + 10);
  });

  it('fits its default columns in 940 px, ellipsizes long values and fills a wider table', async () => {
    const tag = uid();
    await createContact({ firstName: 'Bartholomew-Maximilian', lastName: `Featherstonehaugh ${tag}`, tags: [tag], emails: [{ value: `a.very.long.address.${tag}@subdomain.example-company.com` }] });
    const el = await mount(tag);
    await until(() => names(el).length === 1, 'row');
    const grid = $(el, '.grid')!;
    const heads = () => $$(el, '.row.header [role=columnheader]').map((h) => h.textContent!.trim());
    expect(heads()).to.deep.equal(['', 'Name↕', 'Email', 'Phone', 'Tags', 'Owner', 'Created▼', 'Last interaction↕', 'Row actions']);

    el.style.width = '940px';
    await until(() => grid.clientWidth < 940, 'narrowed');
    expect(grid.scrollWidth, 'no sideways scroll').to.equal(grid.clientWidth);
    const email = $(el, '.body .col-email .text')!;
    expect(email.scrollWidth, 'the address is cut…').to.be.greaterThan(email.clientWidth);
    expect(getComputedStyle(email).textOverflow, '…with an ellipsis').to.equal('ellipsis');
    expect(email.title).to.contain('a.very.long.address');

    // Wider than the preferred widths: the columns stop growing and the row menu sits at the right edge.
    el.style.width = '1800px';
    await until(() => grid.clientWidth > 1700, 'widened');
    expect(grid.scrollWidth).to.equal(grid.clientWidth);
    const menu = $(el, '.row.header .actions')!.getBoundingClientRect();
    expect(Math.round(grid.getBoundingClientRect().right - menu.right)).to.be.lessThan(4);
    expect(Math.round($(el, '[role=columnheader][aria-colindex="2"]')!.getBoundingClientRect().width)).to.equal(240);
  });

  it('saves, switches, renames and deletes a view', async () => {
    const tag = uid();
    await people(tag, ['View Person']);
    const el = await mount(tag);
    el.sort = { field: 'name', dir: 'asc' };
    el.widths = { name: 300 };
    await el.updateComplete;
    button(el, 'Save view').click();
    await until(() => $(el, 'table-form-dialog')?.shadowRoot?.querySelector('dialog[open]'), 'dialog');
    const dialog = $(el, 'table-form-dialog')!;
    typeInto(dialog.shadowRoot!.querySelector<HTMLInputElement>('input[name=name]')!, `Leads ${tag}`);
    dialog.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await until(() => el.viewId && el.views.some((v) => v.name === `Leads ${tag}`), 'view saved');
    const saved = el.views.find((v) => v.name === `Leads ${tag}`)!;
    expect(saved.definition.q).to.equal(tag);
    expect(saved.definition.sort).to.deep.equal({ field: 'name', dir: 'asc' });
    expect(saved.definition.widths, 'column widths are part of the view').to.deep.equal({ name: 300 });
    const select = $<HTMLSelectElement>(el, '#view')!;
    select.value = '';
    select.dispatchEvent(new Event('change'));
    await until(() => el.q === '' && !el.viewId, 'all contacts');
    expect(el.widths).to.deep.equal({});
    select.value = saved.id;
    select.dispatchEvent(new Event('change'));
    await until(() => el.q === tag && el.sort.field === 'name', 'view applied');
    expect(el.widths).to.deep.equal({ name: 300 });
    button(el, 'Rename view').click();
    await until(() => $(el, 'table-form-dialog')?.shadowRoot?.querySelector('dialog[open]'), 'rename dialog');
    const rename = $(el, 'table-form-dialog')!;
    typeInto(rename.shadowRoot!.querySelector<HTMLInputElement>('input[name=name]')!, `Hot ${tag}`);
    rename.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await until(() => el.views.some((v) => v.name === `Hot ${tag}`), 'renamed');
    button(el, 'Delete view').click();
    const confirm = $(el, 'dossier-confirm')!;
    await until(() => confirm.shadowRoot!.querySelector('dialog[open]'), 'confirm');
    expect(confirm.shadowRoot!.textContent).to.contain(`Hot ${tag}`);
    button(confirm, 'Delete').click();
    await until(() => !el.views.some((v) => v.id === saved.id) && !el.viewId, 'deleted');
  });

  it('applies a view whose filter is one condition (the shipped Viewers view)', async () => {
    const el = await mount('');
    await until(() => el.views.some((v) => v.name === 'Viewers'), 'views');
    const viewers = el.views.find((v) => v.name === 'Viewers')!;
    expect('and' in viewers.definition.filter!, 'stored as a single condition').to.equal(false);
    el.applyView(viewers.id);
    await el.updateComplete;
    expect(el.filter).to.deep.equal([viewers.definition.filter]);
    // The chip names the condition as the drawer does, not by its keys ("shareLink is not empty").
    await until(() => $$(el, '.chip').length === 1, 'chip');
    expect($(el, '.chip span')!.textContent).to.equal('Share link viewed: any');
  });

  it('hides workspace views, bulk delete, merge and import from agents', async () => {
    const tag = uid();
    await people(tag, ['Agent View', 'Agent Two']);
    const el = await mount(tag, 'agent');
    await until(() => names(el).length === 2, 'rows');
    expect($$(el, '.toolbar button').map((b) => b.textContent!.trim())).to.not.include('Import');
    // No bulk action is an agent's, so rows have no boxes to select them with.
    expect($(el, '.body .check')).to.equal(null);
    expect($(el, '.bulk')).to.equal(null);
  });

  it('unticking rows under "all matching" leaves them out of it, and the bulk job skips them', async () => {
    const tag = uid();
    const list = await people(tag, ['Out A', 'Out B', 'Out C', 'Out D']);
    const el = await mount(tag);
    await until(() => names(el).length === 4, 'rows');
    const events: ContactSelectionChangeEvent[] = [];
    el.addEventListener('contact-selection-change', (e) => events.push(e));
    el.selectAllMatching();
    await el.updateComplete;
    const row = $$<HTMLElement>(el, '.body .row').find((r) => r.textContent!.includes('Out B'))!;
    row.querySelector<HTMLElement>('.check')!.click();
    await el.updateComplete;
    const outB = list[1]!.id; // Out B
    expect(el.allMatching).to.equal(true);
    expect(events.at(-1)!.detail).to.deep.include({ allMatching: true, except: [outB], count: 3 });
    expect($(el, '.bulk')!.textContent).to.contain('3 of 4 matching contacts selected');
    expect(row.getAttribute('aria-selected')).to.equal('false');
    expect($<HTMLInputElement>(el, '.head .check input')!.checked).to.equal(false);
    await el.run('runBulk', 'add_tags', { tags: [`${tag}y`] }, 'Add tags');
    expect(el.job!.total).to.equal(3);
    expect(el.job!.done).to.equal(3);
    const res = await fetch('/api/v1/contacts/query', { method: 'POST', headers: { authorization: `Bearer ${(await tokenFor()).token}`, 'content-type': 'application/json' }, body: JSON.stringify({ filter: { field: 'tags', op: 'has_any', value: [`${tag}y`] }, ids: true }) });
    const tagged = ((await res.json()) as { ids: string[] }).ids;
    expect(tagged).to.have.length(3);
    expect(tagged).to.not.include(outB);
  });

  it('selects with shift-click, selects all matching and runs a bulk job with progress and partial failure', async () => {
    const tag = uid();
    const list = await people(tag, ['Bulk A', 'Bulk B', 'Bulk C', 'Bulk D']);
    const el = await mount(tag);
    await until(() => names(el).length === 4, 'rows');
    const events: ContactSelectionChangeEvent[] = [];
    el.addEventListener('contact-selection-change', (e) => events.push(e));
    const rows = () => $$<HTMLElement>(el, '.body .row');
    rows()[0]!.querySelector<HTMLElement>('.check')!.click();
    rows()[2]!.querySelector<HTMLElement>('.check')!.dispatchEvent(new MouseEvent('click', { bubbles: true, shiftKey: true }));
    await el.updateComplete;
    expect(el.selectedIds).to.have.length(3);
    expect(events.at(-1)!.detail.count).to.equal(3);
    // Select all loaded, then the bulk bar offers "all matching" only when more match than are loaded: here all are loaded.
    $<HTMLInputElement>(el, '.head .check input')!.click();
    await el.updateComplete;
    expect(el.selectedIds).to.have.length(4);
    el.selectAllMatching();
    await el.updateComplete;
    expect(events.at(-1)!.detail.allMatching).to.equal(true);
    expect($(el, '.bulk')!.textContent).to.contain('All 4 matching contacts selected');
    // Back to listed ids; one of them is deleted behind the table's back → partial failure.
    $<HTMLInputElement>(el, '.head .check input')!.click();
    $<HTMLInputElement>(el, '.head .check input')!.click();
    await el.updateComplete;
    await unwrap(clientFor().api.api.v1.contacts[':id'].$delete({ param: { id: list[3]!.id } }));
    await el.run('runBulk', 'add_tags', { tags: [`${tag}x`] }, 'Add tags');
    expect(el.job!.status).to.equal('done');
    expect(el.job!.done).to.equal(3);
    expect(el.job!.failed).to.equal(1);
    await el.updateComplete;
    expect($(el, '.job')!.getAttribute('role')).to.equal('alert');
    expect($(el, '.job-errors')!.textContent).to.contain(list[3]!.id);
    expect($(el, '.job progress')).to.exist;
  });

  describe('with a real mouse', () => {
    const centre = (node: Element): [number, number] => {
      const r = node.getBoundingClientRect();
      return [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)];
    };
    const click = async (el: ContactTable, at: [number, number], shift = false) => {
      if (shift) await sendKeys({ down: 'Shift' });
      await sendMouse({ type: 'click', position: at });
      if (shift) await sendKeys({ up: 'Shift' });
      await el.updateComplete;
      await new Promise((r) => requestAnimationFrame(r));
    };
    const boxes = (el: ContactTable) => $$<HTMLInputElement>(el, '.body .row .check input');
    const head = (el: ContactTable) => $<HTMLInputElement>(el, '.head .check input')!;
    let viewport = { width: 0, height: 0 };
    before(() => {
      viewport = { width: innerWidth, height: innerHeight };
      return setViewport({ width: 1200, height: 900 });
    });
    afterEach(() => resetMouse());
    after(() => setViewport(viewport));

    it('leaves each box showing the selection: one row, a shift-click range, the header box, unticking', async () => {
      const tag = uid();
      const list = await people(tag, ['Box A', 'Box B', 'Box C', 'Box D']);
      const el = await mount(tag);
      await until(() => names(el).length === 4, 'rows');
      const idOf = (i: number) => el.source!.row(i)!.id;
      const checked = () => boxes(el).map((b) => b.checked);

      await click(el, centre(boxes(el)[0]!));
      expect(el.selectedIds).to.deep.equal([idOf(0)]);
      expect(checked()).to.deep.equal([true, false, false, false]);
      expect($(el, '.bulk')!.textContent).to.contain('1 selected');

      await click(el, centre(boxes(el)[2]!), true);
      expect(el.selectedIds).to.have.members([idOf(0), idOf(1), idOf(2)]);
      expect(checked()).to.deep.equal([true, true, true, false]);

      // Unticking a ticked row.
      await click(el, centre(boxes(el)[0]!));
      expect(el.selectedIds).to.have.members([idOf(1), idOf(2)]);
      expect(checked()).to.deep.equal([false, true, true, false]);

      await click(el, centre(head(el)));
      expect(el.selectedIds).to.have.length(4);
      expect(head(el).checked, 'header box ticked').to.equal(true);
      expect(checked()).to.deep.equal([true, true, true, true]);
      expect($(el, '.bulk')!.textContent).to.contain('All 4 loaded rows selected');

      await click(el, centre(head(el)));
      expect(el.selectedIds).to.have.length(0);
      expect(head(el).checked).to.equal(false);
      expect(checked()).to.deep.equal([false, false, false, false]);

      // Unticking one row while "all matching" is selected leaves the others ticked and that one empty.
      el.selectAllMatching();
      await el.updateComplete;
      expect(checked()).to.deep.equal([true, true, true, true]);
      await click(el, centre(boxes(el)[1]!));
      // Still "all matching", now but that one.
      expect(el.allMatching).to.equal(true);
      expect([...el.excluded]).to.deep.equal([idOf(1)]);
      expect(el.selectionCount).to.equal(3);
      expect(checked()).to.deep.equal([true, false, true, true]);
      expect(head(el).checked).to.equal(false);
      expect(list).to.have.length(4);
    });

    it('shows the bulk bar without moving the rows, on one line at 950 px, so a shift-click lands where aimed', async function () {
      this.timeout(20000);
      const tag = uid();
      expect((await fetch(`/test/seed-rows?n=500&tag=${tag}`, { method: 'POST' })).ok).to.equal(true);
      const el = await mount(tag);
      el.style.width = '950px';
      await until(() => (el.source?.rows.length ?? 0) >= 100 && el.source?.count === 500 && !$(el, '.placeholder'), 'rows');
      const rowTop = () => $$(el, '.body .row')[0]!.getBoundingClientRect().top;
      const top = rowTop();
      // Where the fourth row's box is before anything is selected: the user aims there.
      const fourth = centre(boxes(el)[3]!);
      await click(el, centre(boxes(el)[0]!));
      expect($(el, '.bulk')).to.exist;
      expect(rowTop(), 'rows stay put').to.equal(top);
      await click(el, fourth, true);
      expect(el.selectedIds).to.have.members([0, 1, 2, 3].map((i) => el.source!.row(i)!.id));

      await click(el, centre(head(el)));
      const bulk = $(el, '.bulk')!;
      const n = el.source!.rows.length;
      expect(bulk.textContent).to.contain(`All ${n} loaded rows selected`);
      expect(bulk.textContent).to.contain('Select all 500 matching');
      expect(rowTop(), 'rows stay put').to.equal(top);
      const items = [...bulk.children].filter((c) => c.getBoundingClientRect().width > 0);
      const tops = new Set(items.map((c) => Math.round(c.getBoundingClientRect().top + c.getBoundingClientRect().height / 2)));
      expect(tops.size, 'one line').to.equal(1);
      expect(bulk.scrollWidth, 'nothing cut off').to.be.at.most(bulk.clientWidth);
      expect(bulk.scrollHeight).to.be.at.most(bulk.clientHeight);
    });

    it('sorts from anywhere in a sortable header cell; unsortable headers do not look clickable', async () => {
      const tag = uid();
      await people(tag, ['Bea B', 'Abe A', 'Cy C']);
      const el = await mount(tag);
      await until(() => names(el).length === 3, 'rows');
      const header = (label: string) => $$(el, '[role=columnheader]').find((h) => h.textContent!.trim().startsWith(label))!;
      const name = header('Name');
      const r = name.getBoundingClientRect();
      // Far right of the cell (past the words, short of the resize handle), and low in it.
      await click(el, [Math.round(r.right - 30), Math.round(r.bottom - 5)]);
      await until(() => el.source?.complete && names(el)[0]!.startsWith('Abe'), 'ascending');
      expect(header('Name').getAttribute('aria-sort')).to.equal('ascending');
      const email = header('Email');
      expect(email.hasAttribute('aria-sort')).to.equal(false);
      expect(getComputedStyle(email).cursor).to.not.equal('pointer');
      expect(getComputedStyle(email.querySelector('.label')!).cursor).to.not.equal('pointer');
      expect(email.querySelector('.label')!.getAttribute('title')).to.contain('not sortable');
      expect(getComputedStyle(name.querySelector('.sort')!).cursor).to.equal('pointer');
    });
  });

  it('bulk-deletes after a confirmation that names the count and the restore bin', async () => {
    const tag = uid();
    await people(tag, ['Del One', 'Del Two']);
    const el = await mount(tag);
    await until(() => names(el).length === 2, 'rows');
    $<HTMLInputElement>(el, '.head .check input')!.click();
    await el.updateComplete;
    button(el, 'Delete').click();
    const confirm = $(el, 'dossier-confirm')!;
    await until(() => confirm.shadowRoot!.querySelector('dialog[open]'), 'confirm');
    expect(confirm.shadowRoot!.textContent).to.contain('Delete 2 contacts?');
    expect(confirm.shadowRoot!.textContent).to.contain('They move to the restore bin and can be restored for 30 days.');
    button(confirm, 'Delete').click();
    await until(() => el.job?.status === 'done' && el.source?.complete && el.source.rows.length === 0, 'deleted');
  });

  it('speaks of one contact in the singular when the row menu deletes it', async () => {
    const tag = uid();
    await people(tag, ['Solo Delete']);
    const el = await mount(tag);
    await until(() => names(el).length === 1, 'row');
    $(el, '.body .row .actions')!.click();
    await until(() => $$(el, '[role=menuitem]').some((m) => m.textContent === 'Delete'), 'menu');
    $$(el, '[role=menuitem]').find((m) => m.textContent === 'Delete')!.click();
    const confirm = $(el, 'dossier-confirm')!;
    await until(() => confirm.shadowRoot!.querySelector('dialog[open]'), 'confirm');
    expect(confirm.shadowRoot!.textContent).to.contain('It moves to the restore bin and can be restored for 30 days. After that it is removed for good.');
    button(confirm, 'Cancel').click();
  });

  it('opens a contact\'s conversations from the row menu ("View messages")', async () => {
    const tag = uid();
    await people(tag, ['Menu Messages']);
    const el = await mount(tag);
    await until(() => names(el).length === 1, 'row');
    const opened: { id: string; tab?: string }[] = [];
    el.addEventListener('contact-open', (e) => opened.push(e.detail));
    $(el, '.body .row .actions')!.click();
    await until(() => $$(el, '[role=menuitem]').some((m) => m.textContent === 'View messages'), 'menu');
    expect($$(el, '[role=menuitem]').map((m) => m.textContent).slice(0, 2)).to.deep.equal(['View details', 'View messages']);
    $$(el, '[role=menuitem]').find((m) => m.textContent === 'View messages')!.click();
    expect(opened).to.deep.equal([{ id: el.source!.rows[0]!.id, tab: 'conversations' }]);
  });

  it('merges two contacts from the dialog and unmerges from the row menu', async () => {
    const tag = uid();
    const [a, b] = await people(tag, ['Merge Alpha', 'Merge Beta']);
    const el = await mount(tag);
    await until(() => names(el).length === 2, 'rows');
    $<HTMLInputElement>(el, '.head .check input')!.click();
    await el.updateComplete;
    button(el, 'Merge').click();
    await until(() => $(el, 'table-merge-dialog')?.shadowRoot?.querySelector('.result-name'), 'preview');
    const dialog = $(el, 'table-merge-dialog')!;
    const rows = dialog.shadowRoot!.querySelectorAll('tbody tr');
    expect(rows.length).to.be.greaterThan(2);
    // Keep the other contact’s last name.
    const other = [...dialog.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type=radio][name="pick-lastName"]')].find((r) => !r.checked)!;
    other.click();
    await until(() => dialog.shadowRoot!.querySelector('.result-name')!.textContent!.includes(other.parentElement!.textContent!.trim()), 'preview follows pick');
    button(dialog, 'Merge contacts').click();
    await until(() => el.source?.complete && names(el).length === 1, 'merged');
    expect($(el, '.status')!.textContent).to.contain('merged');
    const survivor = el.source!.rows[0]!;
    expect([a!.id, b!.id]).to.include(survivor.id);
    $(el, '.body .row .actions')!.click();
    await until(() => $$(el, '[role=menuitem]').some((m) => m.textContent === 'Unmerge'), 'unmerge offered');
    $$(el, '[role=menuitem]').find((m) => m.textContent === 'Unmerge')!.click();
    // One contact was merged in: nothing to pick, the review comes first and nothing happens before Unmerge.
    await until(() => $(el, 'dossier-unmerge-dialog')?.shadowRoot?.querySelectorAll('section.profile').length === 2, 'the review');
    const review = $(el, 'dossier-unmerge-dialog')!;
    expect(review.shadowRoot!.querySelectorAll('input[type=radio]').length).to.equal(0);
    expect(names(el)).to.have.length(1);
    button(review, 'Unmerge').click();
    await until(() => el.source?.complete && names(el).length === 2, 'unmerged');
    const restored = [a!, b!].find((x) => x.id !== survivor.id)!;
    expect($(el, '.status')!.textContent).to.contain(`Unmerged: ${restored.name} restored.`);
  });

  it('shows the restore bin with time left and restores a contact', async () => {
    const tag = uid();
    const [c] = await people(tag, ['Binned Person']);
    await unwrap(clientFor().api.api.v1.contacts[':id'].$delete({ param: { id: c!.id } }));
    const el = await mount(tag);
    await until(() => el.source?.complete, 'live list');
    expect(names(el)).to.have.length(0);
    const select = $<HTMLSelectElement>(el, '#view')!;
    select.value = '__bin';
    select.dispatchEvent(new Event('change'));
    await until(() => el.bin && el.source?.complete && names(el).length === 1, 'bin');
    expect($(el, '.col-purge')!.textContent).to.match(/Removed in \d+ (days|weeks)/);
    $(el, '.body .row .actions')!.click();
    await until(() => $$(el, '[role=menuitem]').some((m) => m.textContent === 'Restore'), 'menu');
    $$(el, '[role=menuitem]').find((m) => m.textContent === 'Restore')!.click();
    await until(() => names(el).length === 0 && el.notice === 'Restored.', 'restored');
  });

  it('follows the ARIA grid pattern with the keyboard', async () => {
    const tag = uid();
    await people(tag, ['Key One', 'Key Two', 'Key Three']);
    const el = await mount(tag);
    await until(() => names(el).length === 3, 'rows');
    let opened: ContactOpenEvent | null = null;
    el.addEventListener('contact-open', (e) => (opened = e));
    const cell = $<HTMLElement>(el, '[data-r="0"][data-c="1"]')!;
    expect(cell.tabIndex).to.equal(0);
    cell.focus();
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement!.getAttribute('data-r')).to.equal('1');
    await sendKeys({ press: 'ArrowRight' });
    expect(el.shadowRoot!.activeElement!.getAttribute('data-c')).to.equal('2');
    await sendKeys({ press: 'Home' });
    expect(el.shadowRoot!.activeElement!.getAttribute('data-c')).to.equal('0');
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(el.selectedIds).to.deep.equal([el.source!.rows[1]!.id]);
    expect($$(el, '.body .row')[1]!.getAttribute('aria-selected')).to.equal('true');
    await sendKeys({ press: 'End' });
    await sendKeys({ press: 'PageDown' });
    await sendKeys({ press: 'ArrowLeft' });
    expect(el.shadowRoot!.activeElement!.getAttribute('data-r')).to.equal('2');
    await sendKeys({ press: 'Enter' });
    expect(opened!.detail.id).to.equal(el.source!.rows[2]!.id);
    expect(opened!.bubbles && opened!.composed).to.equal(true);
    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ press: 'ArrowUp' });
    expect(el.shadowRoot!.activeElement!.getAttribute('role')).to.equal('columnheader');
  });

  it('virtualizes: the DOM keeps few rows while scrolling through thousands', async function () {
    this.timeout(60000);
    const tag = uid();
    const csv = ['first,last,tags', ...Array.from({ length: 3000 }, (_, i) => `Virt${i},${tag},${tag}`)].join('\n');
    const { token } = await tokenFor('owner');
    const res = await fetch(`/api/v1/contacts/import?mapping=${encodeURIComponent(JSON.stringify({ first: 'firstName', last: 'lastName', tags: 'tags' }))}&dedupe=create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: csv,
    });
    expect(res.ok).to.equal(true);
    const el = await mount(tag);
    await until(() => el.source?.count === 3000, 'count');
    expect($(el, '.body')!.style.height).to.equal(`${3000 * 44}px`);
    const grid = $(el, '.grid')!;
    for (const top of [5000, 20000, 60000, 2500 * 44]) {
      grid.scrollTop = top;
      grid.dispatchEvent(new Event('scroll'));
      await until(() => !$(el, '.placeholder'), `rows at ${top}`, 20000);
      expect($$(el, '[role=row]').length).to.be.lessThan(150);
    }
    // Only the blocks around the places visited were fetched, not everything above them.
    expect(el.source!.rows.length).to.be.lessThan(1000);
    expect($$(el, '[role=row]').length).to.be.lessThan(60);
  });

  describe('scrolling a big result', () => {
    let tag = '';
    const ROWS = 5000;
    before(async function () {
      this.timeout(30000);
      tag = uid();
      const res = await fetch(`/test/seed-rows?n=${ROWS}&tag=${tag}`, { method: 'POST' });
      expect(res.ok).to.equal(true);
    });
    afterEach(() => {
      (customElements.get('contact-table') as typeof ContactTable).maxBodyHeight = 10_000_000;
      (customElements.get('contact-table') as typeof ContactTable).maxRange = 10_000;
    });

    /**
     * A table on the seeded rows whose query requests are recorded; `count` replaces the /count answer, `fail` fails
     * queries, `delay` holds them back (ms).
     */
    async function mountBig({ count, fail, delay }: { count?: { count: number; estimated: boolean }; fail?: (body: Record<string, unknown>) => boolean; delay?: (body: Record<string, unknown>) => number } = {}) {
      const bodies: Record<string, unknown>[] = [];
      const spy: typeof fetch = async (input, init) => {
        const url = String(input);
        const body = url.endsWith('/contacts/query') ? (JSON.parse(String(init!.body)) as Record<string, unknown>) : null;
        if (body) bodies.push(body);
        if (body && delay) await new Promise((r) => setTimeout(r, delay(body)));
        if (body && fail?.(body)) return Response.json({ error: { code: 'boom', message: 'The server fell over.' } }, { status: 500 });
        if (count && url.endsWith('/contacts/count')) return Response.json(count);
        return fetch(input, init);
      };
      const provider = await fixture<DossierProvider>(html`<dossier-provider .getToken=${() => tokenFor('owner')} .fetch=${spy}><contact-table q=${tag}></contact-table></dossier-provider>`);
      const el = provider.firstElementChild as ContactTable;
      await until(() => el.source?.count && !$(el, '.placeholder'), 'first rows');
      return { el, bodies, grid: $(el, '.grid')! };
    }
    it('draws a full view again after a search with no matches is cleared', async () => {
      const { el } = await mountBig();
      const full = painted(el).length;
      expect(full).to.be.greaterThan(8);
      el.q = `${tag} nobodyatall`;
      await until(() => $(el, 'dossier-state[kind=empty]'), 'no matches');
      el.q = tag;
      await until(() => painted(el).length >= full, 'as many rows as before');
    });

    /** The rows painted (no placeholder), as [aria-rowindex, name]. */
    const painted = (el: ContactTable) => $$(el, '.body [role=row]:not(.placeholder)').map((r) => [Number(r.getAttribute('aria-rowindex')), r.querySelector('.col-name .name')!.textContent!.split(' ')[0]] as const);
    /** The first row fully below the sticky header. */
    const firstInView = (el: ContactTable, grid: HTMLElement) => {
      const top = grid.getBoundingClientRect().top + 40;
      return $$(el, '.body [role=row]').find((r) => r.getBoundingClientRect().top >= top - 1)!;
    };
    async function scrollTo(el: ContactTable, grid: HTMLElement, top: number) {
      const scrolled = new Promise((r) => grid.addEventListener('scroll', r, { once: true }));
      const from = grid.scrollTop;
      grid.scrollTop = top;
      if (grid.scrollTop !== from) await scrolled;
      await el.updateComplete;
      await until(() => !$(el, '.placeholder') && painted(el).length, `rows at ${top}`, 10000);
    }

    it('jumps far without loading the pages in between, and reads upwards with `before`', async function () {
      this.timeout(30000);
      const { el, bodies, grid } = await mountBig();
      expect(bodies[0]).to.include({ count: false, limit: 100 });
      expect(el.source!.count).to.equal(ROWS);
      await scrollTo(el, grid, 4000 * 44);
      const first = firstInView(el, grid);
      expect(first.getAttribute('aria-rowindex')).to.equal('4002');
      expect(first.textContent).to.contain('Row4000 ');
      for (const [index, name] of painted(el)) expect(name).to.equal(`Row${index - 2}`);
      const offsets = bodies.filter((b) => b.offset !== undefined).map((b) => b.offset as number);
      expect(offsets.length).to.be.greaterThan(0);
      expect(offsets.every((o) => o >= 3900 && o <= 4100), `offsets ${offsets}`).to.equal(true);
      expect(bodies.length, 'no pages in between').to.be.lessThan(8);
      // A little up: the block above comes by keyset from the loaded one.
      const sent = bodies.length;
      await scrollTo(el, grid, 3890 * 44);
      await scrollTo(el, grid, 3790 * 44);
      expect(bodies.slice(sent).some((b) => typeof b.before === 'string')).to.equal(true);
      for (const [index, name] of painted(el)) expect(name).to.equal(`Row${index - 2}`);
    });

    it('caps the body height and maps the scrollbar proportionally (the end stays reachable)', async function () {
      this.timeout(30000);
      (customElements.get('contact-table') as typeof ContactTable).maxBodyHeight = 20_000;
      const { el, grid } = await mountBig();
      expect($(el, '.body')!.style.height).to.equal('20000px');
      expect($(el, '[role=grid]')!.getAttribute('aria-rowcount')).to.equal(String(ROWS + 1));
      await scrollTo(el, grid, grid.scrollHeight);
      const rows = painted(el);
      expect(rows.at(-1)).to.deep.equal([ROWS + 1, `Row${ROWS - 1}`]);
      const last = $$(el, '.body [role=row]').at(-1)!.getBoundingClientRect();
      expect(Math.abs(last.bottom - grid.getBoundingClientRect().bottom)).to.be.lessThan(20);
      // Halfway down the scrollbar is halfway through the rows.
      await scrollTo(el, grid, (grid.scrollHeight - grid.clientHeight) / 2);
      const middle = Number(firstInView(el, grid).getAttribute('aria-rowindex')) - 2;
      expect(middle).to.be.within(ROWS / 2 - 10, ROWS / 2 + 10);
      for (const [index, name] of painted(el)) expect(name).to.equal(`Row${index - 2}`);
    });

    for (const cap of [10_000_000, 20_000]) {
      it(`moves with Ctrl+End / Ctrl+Home / PageUp and keeps the focused row in view (body cap ${cap} px)`, async function () {
        this.timeout(30000);
        (customElements.get('contact-table') as typeof ContactTable).maxBodyHeight = cap;
        const { el, grid } = await mountBig();
        const active = () => el.shadowRoot!.activeElement as HTMLElement;
        const inView = () => {
          const r = active().getBoundingClientRect();
          const g = grid.getBoundingClientRect();
          return r.top >= g.top + 40 - 1 && r.bottom <= g.bottom + 1;
        };
        $<HTMLElement>(el, '[data-r="0"][data-c="1"]')!.focus();
        await sendKeys({ down: 'Control' });
        await sendKeys({ press: 'End' });
        await sendKeys({ up: 'Control' });
        await until(() => active()?.dataset.r === String(ROWS - 1) && !$(el, '.placeholder'), 'last row');
        expect(active().dataset.c).to.equal('1');
        expect(active().textContent).to.contain(`Row${ROWS - 1} `);
        expect(inView()).to.equal(true);
        await sendKeys({ press: 'ArrowUp' });
        await sendKeys({ press: 'PageUp' });
        await el.updateComplete;
        const r = Number(active().dataset.r);
        expect(r).to.be.lessThan(ROWS - 3);
        expect(inView()).to.equal(true);
        await until(() => !$(el, '.placeholder'), 'rows');
        expect(active().textContent).to.contain(`Row${r} `);
        await sendKeys({ press: 'End' });
        expect(active().dataset.c).to.equal(String(el.columns.length + 1));
        await sendKeys({ down: 'Control' });
        await sendKeys({ press: 'Home' });
        await sendKeys({ up: 'Control' });
        await until(() => active()?.dataset.r === '0', 'first row');
        expect(grid.scrollTop).to.equal(0);
        expect(inView()).to.equal(true);
      });
    }

    /** The first row fully in view, as a row index. */
    const topRow = (el: ContactTable, grid: HTMLElement) => Number(firstInView(el, grid).getAttribute('aria-rowindex')) - 2;
    const wheel = (grid: HTMLElement, deltaY: number) => {
      const e = new WheelEvent('wheel', { deltaY, deltaMode: 0, bubbles: true, cancelable: true });
      grid.dispatchEvent(e);
      return e;
    };
    async function settle(el: ContactTable) {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      await el.updateComplete;
      await until(() => !$(el, '.placeholder'), 'rows', 10000);
    }

    it('wheels by rows above the height cap, as an uncapped body does (not ~ten times further)', async function () {
      this.timeout(30000);
      const Table = customElements.get('contact-table') as typeof ContactTable;
      Table.maxBodyHeight = 20_000;
      const { el, grid } = await mountBig();
      expect(wheel(grid, -100).defaultPrevented, 'at the top the page may scroll').to.equal(false);
      // Three notches of 132 px: 9 rows of 44 px.
      for (let i = 0; i < 3; i++) expect(wheel(grid, 132).defaultPrevented).to.equal(true);
      await settle(el);
      expect(topRow(el, grid)).to.be.within(9, 10);
      // A touchpad's small deltas add up (each is less than one scroll px here).
      for (let i = 0; i < 30; i++) wheel(grid, 4.4);
      await settle(el);
      expect(topRow(el, grid)).to.be.within(12, 13);
      wheel(grid, -264);
      await settle(el);
      expect(topRow(el, grid)).to.be.within(6, 7);
      for (const [index, name] of painted(el)) expect(name).to.equal(`Row${index - 2}`);
      // The keyboard moves by rows too: PageDown focuses the row a screenful down and keeps it in view.
      const from = topRow(el, grid);
      await el.focusCell(from, 1);
      await sendKeys({ press: 'PageDown' });
      const page = Math.floor((grid.clientHeight - 40) / 44) - 1;
      await until(() => (el.shadowRoot!.activeElement as HTMLElement)?.dataset.r === String(from + page), 'a page down');
      await settle(el);
      expect(topRow(el, grid)).to.be.within(from, from + page);
      // Under the cap the browser scrolls natively.
      Table.maxBodyHeight = 10_000_000;
      const plain = await mountBig();
      expect(wheel(plain.grid, 132).defaultPrevented).to.equal(false);
    });

    const fmt = (n: number) => new Intl.NumberFormat().format(n);
    const check = (el: ContactTable, index: number, shiftKey = false) =>
      $(el, `.body [aria-rowindex="${index + 2}"] .check`)!.dispatchEvent(new MouseEvent('click', { bubbles: true, shiftKey }));

    it('selects a shift-click range over rows that are not loaded by fetching their ids, with progress when slow', async function () {
      this.timeout(30000);
      const { el, grid, bodies } = await mountBig({ delay: (b) => (b.ids ? 300 : 0) });
      check(el, 2);
      await scrollTo(el, grid, 3000 * 44);
      const end = topRow(el, grid);
      check(el, end, true);
      await until(() => $(el, '.range progress'), 'progress while slow', 5000);
      expect($(el, '.range')!.getAttribute('role')).to.equal('status');
      expect($(el, '.range')!.textContent).to.contain(`Selecting ${fmt(end - 1)} rows`);
      await until(() => el.selectedIds.length === end - 1, 'the whole range selected', 20000);
      await el.updateComplete;
      expect($(el, '.range')).to.equal(null);
      expect($(el, '.bulk')!.textContent).to.contain(`${end - 1} selected`);
      const idPages = bodies.filter((b) => b.ids);
      expect(idPages[0]).to.include({ offset: 2, limit: 1000, ids: true });
      expect(idPages.slice(1).every((b) => typeof b.cursor === 'string')).to.equal(true);
      expect(idPages.length).to.equal(Math.ceil((end - 1) / 1000));
      // Rows in between, never loaded before, show selected when scrolled to; the rows outside stay unselected.
      await scrollTo(el, grid, 1500 * 44);
      expect($$(el, '.body [role=row]:not(.placeholder)').every((r) => r.getAttribute('aria-selected') === 'true')).to.equal(true);
      await scrollTo(el, grid, 0);
      expect($(el, '.body [aria-rowindex="3"]')!.getAttribute('aria-selected')).to.equal('false');
      expect($(el, '.body [aria-rowindex="4"]')!.getAttribute('aria-selected')).to.equal('true');
      // The header box says what it selects; the bar then offers everything matching.
      const all = $<HTMLInputElement>(el, '.head .check input')!;
      expect(all.getAttribute('aria-label')).to.equal('Select the loaded rows (not all matching)');
      all.click();
      await el.updateComplete;
      expect($(el, '.bulk')!.textContent).to.contain(`All ${el.selectedIds.length} loaded rows selected`);
      expect($(el, '.bulk')!.textContent).to.contain(`Select all ${fmt(ROWS)} matching`);
    });

    it('sends a range past maxRange to "Select all N matching"; a failed range shows in place with a retry', async function () {
      this.timeout(30000);
      const Table = customElements.get('contact-table') as typeof ContactTable;
      Table.maxRange = 1000;
      let failing = true;
      const { el, grid } = await mountBig({ fail: (b) => failing && Boolean(b.ids) });
      check(el, 0);
      await scrollTo(el, grid, 3000 * 44);
      const end = topRow(el, grid);
      check(el, end, true);
      await until(() => $(el, '.range'), 'too many', 5000);
      expect($(el, '.range')!.getAttribute('role')).to.equal('alert');
      expect($(el, '.range')!.textContent).to.contain(`That range has ${fmt(end + 1)} rows, more than the 1,000 a range can select one by one.`);
      $(el, '.range .link')!.click();
      await el.updateComplete;
      expect(el.allMatching).to.equal(true);
      expect($(el, '.range')).to.equal(null);
      // Within the limit, but the server fails: the reason in place, the selection untouched, then Try again.
      Table.maxRange = 10_000;
      el.clearSelection();
      await scrollTo(el, grid, 500 * 44);
      const start = topRow(el, grid);
      check(el, start, true);
      await until(() => $(el, '.range.has-errors'), 'failure in place', 5000);
      expect($(el, '.range')!.textContent).to.contain('Could not select those rows: The server fell over.');
      expect(el.selectedIds).to.have.length(0);
      failing = false;
      button($(el, '.range')!, 'Try again').click();
      await until(() => el.selectedIds.length === end - start + 1, 'selected after the retry', 10000);
      await el.updateComplete;
      expect($(el, '.range')).to.equal(null);
    });

    it('says "about N" for an estimate and corrects the length when the real end is reached', async function () {
      this.timeout(30000);
      const { el, grid } = await mountBig({ count: { count: 7000, estimated: true } });
      await until(() => $(el, '.status')!.textContent!.includes('about 7,000 contacts'), 'estimate shown');
      expect($(el, '[role=grid]')!.getAttribute('aria-rowcount')).to.equal('-1');
      grid.scrollTop = grid.scrollHeight;
      await until(() => el.source!.complete, 'end found', 10000);
      expect(el.source!.length).to.equal(ROWS);
      await until(() => $(el, '.status')!.textContent!.includes('5,000 contacts'), 'exact count shown');
      await scrollTo(el, grid, grid.scrollHeight);
      expect(painted(el).at(-1)).to.deep.equal([ROWS + 1, `Row${ROWS - 1}`]);
      expect($(el, '[role=grid]')!.getAttribute('aria-rowcount')).to.equal(String(ROWS + 1));
    });

    it('keeps the keyboard on a real row when Ctrl+End lands past the end of a too-high estimate', async function () {
      this.timeout(30000);
      const { el } = await mountBig({ count: { count: 7000, estimated: true } });
      $<HTMLElement>(el, '[data-r="0"][data-c="1"]')!.focus();
      await sendKeys({ down: 'Control' });
      await sendKeys({ press: 'End' });
      await sendKeys({ up: 'Control' });
      const active = () => el.shadowRoot!.activeElement as HTMLElement | null;
      await until(() => el.source!.complete && active()?.dataset.r === String(ROWS - 1) && !$(el, '.placeholder'), 'last real row focused', 10000);
      expect(active()!.textContent).to.contain(`Row${ROWS - 1} `);
    });

    it('grows past an estimate that was too low', async function () {
      this.timeout(30000);
      const { el, grid } = await mountBig({ count: { count: 4000, estimated: true } });
      await scrollTo(el, grid, grid.scrollHeight);
      expect(el.source!.length).to.be.greaterThan(4000);
      await scrollTo(el, grid, grid.scrollHeight);
      expect(painted(el).at(-1)![1]).to.match(/^Row4\d{3}$/);
      for (const [index, name] of painted(el)) expect(name).to.equal(`Row${index - 2}`);
    });

    it('shows a failed block in place with a retry', async function () {
      this.timeout(30000);
      let failing = true;
      const { el, grid } = await mountBig({ fail: (b) => failing && b.offset !== undefined });
      grid.scrollTop = 3000 * 44;
      await until(() => $(el, '.row-error'), 'error in place', 10000);
      expect($(el, '.row-error')!.textContent).to.equal('The server fell over.');
      expect($$(el, '.body .placeholder').length).to.be.greaterThan(5);
      failing = false;
      button(el, 'Try again').click();
      await until(() => !$(el, '.placeholder') && !$(el, '.row-error'), 'rows after retry', 10000);
      expect(firstInView(el, grid).textContent).to.contain('Row3000 ');
    });
  });

  it('exports the current view as CSV through the signed link, with a BOM when asked', async () => {
    const tag = uid();
    await people(tag, ['Export Me']);
    const el = await mount(tag);
    await until(() => names(el).length === 1, 'rows');
    let href = '';
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      href = this.href;
    };
    try {
      button(el, 'Export').click();
      await until(() => $(el, 'table-form-dialog')?.shadowRoot?.querySelector('dialog[open]'), 'export dialog');
      const dialog = $(el, 'table-form-dialog')!;
      dialog.shadowRoot!.querySelector<HTMLInputElement>('input[type=checkbox]')!.click();
      dialog.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
      await until(() => href, 'download link');
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
    expect(href).to.match(/\/api\/v1\/exports\//);
    const bytes = new Uint8Array(await (await fetch(href)).arrayBuffer());
    expect([...bytes.slice(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.split('\n')[0]).to.equal('Name,Email,Phone,Tags,Owner,Created,Last interaction\r');
    expect(text).to.contain(`Export Me ${tag}`);
  });

  it('imports a CSV through the wizard: mapping, dedupe mode and a per-row report', async () => {
    const tag = uid();
    const el = await mount(tag);
    button(el, 'Import').click();
    await until(() => $(el, 'table-import-wizard')?.shadowRoot?.querySelector('dialog[open]'), 'wizard');
    const wizard = $(el, 'table-import-wizard')! as HTMLElement & { pick(f: File): Promise<void>; updateComplete: Promise<boolean> };
    const csv = `First Name,Last Name,Email,Labels\nIm,Port ${tag},im.${tag}@example.com,${tag}\nBad,Row ${tag},not-an-email,${tag}\n`;
    await wizard.pick(new File([csv], 'people.csv', { type: 'text/csv' }));
    await wizard.updateComplete;
    const selects = [...wizard.shadowRoot!.querySelectorAll<HTMLSelectElement>('tbody select')];
    expect(selects.map((s) => s.value)).to.deep.equal(['firstName', 'lastName', 'email', 'tags']);
    button(wizard, 'Import').click();
    await until(() => wizard.shadowRoot!.querySelector('.summary'), 'report', 10000);
    expect(wizard.shadowRoot!.querySelector('.summary')!.textContent).to.contain('1 created');
    const report = wizard.shadowRoot!.querySelector('table.report')!.textContent!;
    expect(report).to.contain('2');
    // The field as the person knows it, not the API's path ("emails[0].value").
    expect([...wizard.shadowRoot!.querySelectorAll('table.report tbody td')].map((td) => td.textContent)).to.include('Email');
    expect(report).to.not.contain('emails[0]');
    await until(() => el.source?.complete && names(el).length === 1, 'table reloaded');
  });

  it('imports a Windows-1252 file from an older Excel: headers and values keep their accents', async () => {
    const tag = uid();
    const el = await mount(tag);
    button(el, 'Import').click();
    await until(() => $(el, 'table-import-wizard')?.shadowRoot?.querySelector('dialog[open]'), 'wizard');
    const wizard = $(el, 'table-import-wizard')! as HTMLElement & { pick(f: File): Promise<void>; updateComplete: Promise<boolean> };
    // "Vorname,Straße,Labels\nJürgen,Hauptstraße 1,<tag>" in Windows-1252 bytes (ü = 0xFC, ß = 0xDF).
    const latin = (text: string) => Uint8Array.from([...text].map((ch) => ch.charCodeAt(0)));
    await wizard.pick(new File([latin(`Vorname,Stra\u00dfe,Labels\nJ\u00fcrgen,Hauptstra\u00dfe 1,${tag}\n`)], 'alt.csv', { type: 'text/csv' }));
    await wizard.updateComplete;
    const headers = [...wizard.shadowRoot!.querySelectorAll('tbody tr td:first-child')].map((td) => td.textContent);
    expect(headers).to.deep.equal(['Vorname', 'Straße', 'Labels']);
    const selects = [...wizard.shadowRoot!.querySelectorAll<HTMLSelectElement>('tbody select')];
    for (const [i, value] of ['firstName', 'address.line1'].entries()) {
      selects[i]!.value = value;
      selects[i]!.dispatchEvent(new Event('change'));
    }
    button(wizard, 'Import').click();
    await until(() => wizard.shadowRoot!.querySelector('.summary'), 'report', 10000);
    expect(wizard.shadowRoot!.querySelector('.summary')!.textContent).to.contain('1 created');
    expect(wizard.shadowRoot!.querySelector('table.report')!.textContent).to.contain('Windows-1252');
    const { token } = await tokenFor('owner');
    const res = await fetch('/api/v1/contacts/query', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ q: tag }) });
    const found = (await res.json()) as { items: ContactJson[] };
    expect(found.items.map((c) => [c.firstName, c.address?.line1])).to.deep.equal([['Jürgen', 'Hauptstraße 1']]);
  });

  it('refreshes the rows it shows when contacts change elsewhere: another member, a bulk job, a merge', async () => {
    const tag = uid();
    const [a, b, c] = await people(tag, ['Live Ann', 'Live Bob', 'Live Cy']);
    const el = await mount(tag);
    await until(() => names(el).length === 3 && (el as unknown as { dossier: { live: boolean } }).dossier.live, 'rows and the live stream');
    const api = clientFor().api.api.v1;
    await unwrap(api.contacts[':id'].$patch({ param: { id: a!.id }, json: { companyName: 'Elsewhere Inc', phones: [{ value: '+442079460958' }] } as never }));
    el.columns = [...el.columns, 'companyName'];
    await until(() => $$(el, '.col-companyName .text').some((x) => x.textContent === 'Elsewhere Inc'), 'another member’s edit');
    expect($$(el, '.col-phone .text').map((x) => x.textContent), 'phones as people read them').to.include('+44 20 7946 0958');
    await unwrap(api.contacts.bulk.$post({ json: { action: 'add_tags', ids: [b!.id], params: { tags: ['from-bulk'] } } as never }));
    await until(() => el.source!.find(b!.id)!.tags.includes('from-bulk'), 'a bulk job’s change');
    await unwrap(api.contacts.merge.$post({ json: { survivorId: a!.id, mergedIds: [c!.id] } as never }));
    await until(() => names(el).length === 2 && el.source!.find(a!.id)!.emails.length === 2, 'the merged row gone, the survivor with both emails');
  });

  it('offers the contacts others add while the list is open (“Show 1 new contact”), and shows them on click', async () => {
    const tag = uid();
    await people(tag, ['Early Ann']);
    const el = await mount(tag);
    await until(() => names(el).length === 1 && (el as unknown as { dossier: { live: boolean } }).dossier.live, 'rows and the live stream');
    const offer = () => $$<HTMLButtonElement>(el, '[part=new-contacts]')[0];
    await createContact({ firstName: 'Later', lastName: `Bob ${tag}`, tags: [tag] });
    await until(() => offer()?.textContent!.trim() === 'Show 1 new contact', '“Show 1 new contact”');
    expect(names(el).length, 'the rows stay put until asked').to.equal(1);
    offer()!.click();
    await until(() => names(el).length === 2, 'the new contact shown');
    await el.updateComplete;
    expect(offer(), 'the offer is gone').to.equal(undefined);
  });

  it('names contacts known only by a handle after it, with the channel', async () => {
    const tag = uid();
    const { secretKey } = (await (await fetch('/test/secret')).json()) as { secretKey: string };
    await fetch('/api/v1/messages', {
      method: 'POST',
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'facebook', contact: { handle: `${tag}.doe` }, text: 'hi' }),
    });
    const el = await mount(tag);
    await until(() => names(el).length === 1, 'row');
    expect(names(el)).to.deep.equal([`@${tag}.doe · Facebook`]);
    expect($(el, '.col-name dossier-avatar')!.shadowRoot!.textContent!.trim()).to.not.equal('#');
  });

  it('updates a row in place when a record saves the contact', async () => {
    const tag = uid();
    const [c] = await people(tag, ['Bus Before']);
    const el = await mount(tag);
    await until(() => names(el).length === 1, 'rows');
    const client = clientFor();
    await unwrap(client.api.api.v1.contacts[':id'].$patch({ param: { id: c!.id }, json: { firstName: 'Renamed' } as never }));
    (el as unknown as { dossier: { publish(e: unknown): void } }).dossier.publish({ type: 'contact-saved', id: c!.id });
    await until(() => names(el)[0]!.startsWith('Renamed'), 'row updated');
  });

  it('shows the whole row menu of the lowest row in view, over the grid edge, and gives focus back on Escape', async () => {
    const tag = uid();
    await people(tag, ['Menu One', 'Menu Two', 'Menu Three', 'Menu Four', 'Menu Five']);
    const el = await mount(tag);
    el.style.setProperty('--contact-table-height', '260px');
    await until(() => names(el).length === 5, 'rows');
    const grid = $(el, '[role=grid]')!.getBoundingClientRect();
    const inView = $$(el, '.body .cell.actions').filter((c) => c.getBoundingClientRect().bottom <= grid.bottom);
    const lowest = inView.sort((a, b) => b.getBoundingClientRect().top - a.getBoundingClientRect().top)[0]!;
    lowest.click();
    await until(() => $$(el, '[role=menuitem]').length >= 2, 'menu');
    for (const item of $$(el, '[role=menuitem]')) {
      const r = item.getBoundingClientRect();
      const hit = el.shadowRoot!.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      expect(hit === item, `${item.textContent} not clipped by the grid (found ${hit?.outerHTML.slice(0, 60)})`).to.equal(true);
    }
    await sendKeys({ press: 'Escape' });
    await until(() => !$(el, '[role=menu]'), 'closed');
    expect(el.shadowRoot!.activeElement === lowest, 'focus back on the cell').to.equal(true);
  });

  it('shows a file custom field as the number of files it holds', async () => {
    await ensureField({ key: 'table_files', label: 'Table files', type: 'file' });
    const tag = uid();
    const [holder] = await people(tag, ['File Holder']);
    await uploadDocuments(holder!.id, [samplePdf('a.pdf'), samplePdf('b.pdf')], { fieldKey: 'table_files' });
    const el = await mount(tag);
    el.columns = ['name', 'custom.table_files'];
    await until(() => $(el, '[class~="col-custom.table_files"][role=gridcell]')?.textContent === '2 files', '"2 files"');
  });
});
