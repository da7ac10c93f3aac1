import { expect } from '@open-wc/testing';
import { unwrap } from '../../../core/src/api.js';
import { clientFor, createContact, until } from '../../../core/src/testing/fixtures.js';
import './contact-table.js';
import type { ContactTable } from './contact-table.js';
import { $, $$, uid, names, button, mount } from './table-testing.js';

// Columns of <contact-table> against the real server: the picker, what cells show, and what the table marks.

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

describe('<contact-table> tags column', () => {
  /** The Tags cell's chips: their text, and whether each shows its whole text inside the cell. */
  const chips = (el: ContactTable) => {
    const cell = $(el, '.body .col-tags')!;
    const right = cell.getBoundingClientRect().right;
    return [...cell.querySelectorAll<HTMLElement>('.tag')].map((c) => ({
      text: c.textContent!,
      whole: c.scrollWidth <= c.clientWidth + 1,
      inside: c.getBoundingClientRect().right <= right + 0.5,
      clip: c.classList.contains('clip'),
      title: c.title,
    }));
  };

  it('shows whole chips that fit and "+N" for the rest, at the default width and narrower, never a chip cut to a letter', async () => {
    const tag = uid();
    const tags = ['new', 'west', 'enterprise', 'vip', tag].sort((a, b) => a.localeCompare(b));
    await createContact({ firstName: 'Tagged', lastName: tag, tags });
    const el = await mount(tag);
    el.style.width = '940px';
    await until(() => names(el).length === 1 && chips(el).length > 0, 'row');
    for (const width of [undefined, 180, 140, 90]) {
      if (width) el.widths = { tags: width };
      await el.updateComplete;
      await until(() => !width || Math.abs($(el, '.head [data-key="tags"]')!.getBoundingClientRect().width - width) < 1, 'resized');
      await new Promise((r) => requestAnimationFrame(r));
      await el.updateComplete;
      const shown = chips(el);
      const named = shown.filter((c) => !c.text.startsWith('+'));
      const more = shown.find((c) => c.text.startsWith('+'));
      const at = `at ${width ?? 'the default'} px: ${JSON.stringify(shown)}`;
      expect(named.map((c) => c.text), at).to.deep.equal(tags.slice(0, named.length));
      expect(named.every((c) => c.inside), at).to.equal(true);
      // Whole chips; only a lone first chip may end in "…", and then it keeps more than a letter or two.
      for (const c of named) expect(c.whole || (named.length === 1 && c.clip), at).to.equal(true);
      if (named[0]?.clip) expect($(el, '.body .col-tags .tag')!.getBoundingClientRect().width, at).to.be.at.least(48);
      expect(more?.text ?? '+0', at).to.equal(`+${tags.length - named.length}`);
      if (more) {
        expect(more.inside, at).to.equal(true);
        for (const t of tags) expect(more.title).to.contain(t);
      }
      if (width === 180) expect(named.filter((c) => c.whole).length, `several whole chips ${at}`).to.be.at.least(2);
      if (!width) expect(named.length, `a chip at the default width ${at}`).to.equal(1);
    }
  });

  it('a single tag longer than the column ends in "…" with some text, or gives way to "+N" alone', async () => {
    const tag = uid();
    const long = `${tag}-a-really-very-long-tag-name`;
    await createContact({ firstName: 'Long', lastName: tag, tags: [long] });
    const el = await mount(tag);
    el.style.width = '940px';
    el.widths = { tags: 120 };
    await until(() => names(el).length === 1 && chips(el).length > 0, 'row');
    await new Promise((r) => requestAnimationFrame(r));
    await el.updateComplete;
    const [chip] = chips(el);
    expect(chip!.clip).to.equal(true);
    expect(chip!.inside).to.equal(true);
    expect($(el, '.body .col-tags .tag')!.getBoundingClientRect().width, 'more than a letter shows').to.be.greaterThan(45);
    expect(chip!.title).to.equal(long);
  });
});

describe('<contact-table> restore bin, open contact and selection', () => {
  const visible = (el: ContactTable, node: Element) => {
    const grid = $(el, '.grid')!.getBoundingClientRect();
    const box = node.getBoundingClientRect();
    return box.left >= grid.left - 0.5 && box.right <= grid.right + 0.5 && box.top >= grid.top - 0.5 && box.bottom <= grid.bottom + 0.5;
  };

  /** Vertically in the grid's view (the grid may scroll sideways in the test page). */
  const inView = (el: ContactTable, node: Element) => {
    const grid = $(el, '.grid')!.getBoundingClientRect();
    const box = node.getBoundingClientRect();
    return box.top >= grid.top - 0.5 && box.bottom <= grid.bottom + 0.5;
  };

  it('shows the restore bin\'s Time left without scrolling sideways (940 px, as beside a record at 1440 px)', async () => {
    const tag = uid();
    const c = await createContact({ firstName: 'Binned', lastName: tag, tags: [tag] });
    await unwrap(clientFor().api.api.v1.contacts[':id'].$delete({ param: { id: c.id } }));
    const el = await mount(tag);
    el.style.width = '940px';
    el.applyView('__bin');
    await until(() => el.bin && el.source?.complete && names(el).length === 1, 'bin');
    await el.updateComplete;
    const header = $$(el, '[role=columnheader]').find((h) => h.textContent!.includes('Time left'))!;
    expect(visible(el, header), 'the Time left header is in view').to.equal(true);
    expect(visible(el, $(el, '.body .col-purge')!)).to.equal(true);
    expect($(el, '.body .col-purge')!.textContent).to.match(/Removed in \d+ (days|weeks)/);
    const text = $(el, '.body .col-purge .text')!;
    expect(text.scrollWidth, 'the time left is not cut').to.be.at.most(text.clientWidth);
  });

  it('marks the open contact\'s row (active-id, part row-active) and scrolls it into view when it changes', async () => {
    const tag = uid();
    expect((await fetch(`/test/seed-rows?n=90&tag=${tag}`, { method: 'POST' })).ok).to.equal(true);
    const el = await mount(tag);
    el.style.setProperty('--contact-table-height', '400px');
    await until(() => el.source?.complete && names(el).length > 0, 'rows');
    const ids = el.source!.rows.map((r) => r.id);
    const row = (id: string) => $$(el, '.body [role=row]').find((r) => r.querySelector('.col-name .name')?.textContent === el.source!.rows.find((x) => x.id === id)!.name);
    el.activeId = ids[2]!;
    await el.updateComplete;
    expect(el.getAttribute('active-id')).to.equal(ids[2]);
    const marked = $$(el, '.body [role=row][aria-current=true]');
    expect(marked).to.have.length(1);
    expect(marked[0]!.getAttribute('part')).to.equal('row row-active');
    expect(marked[0]).to.equal(row(ids[2]!));
    // The record's arrows moved far down the list: the table follows.
    el.activeId = ids[75]!;
    await until(() => row(ids[75]!) && inView(el, row(ids[75]!)!), 'row 75 in view');
    expect(row(ids[75]!)!.getAttribute('aria-current')).to.equal('true');
    expect($$(el, '.body [role=row][aria-current=true]')).to.have.length(1);
    // Opening a row marks it too.
    row(ids[70]!)!.querySelector<HTMLElement>('.col-name')!.click();
    await el.updateComplete;
    expect(el.activeId).to.equal(ids[70]);
    expect(row(ids[70]!)!.getAttribute('aria-current')).to.equal('true');
    expect($$(el, '.body [role=row][aria-current=true]')).to.have.length(1);
  });

  it('gives agents no row boxes and no bulk bar (no bulk action is theirs); managers keep them', async () => {
    const tag = uid();
    await createContact({ firstName: 'Agent', lastName: `One ${tag}`, tags: [tag] });
    await createContact({ firstName: 'Agent', lastName: `Two ${tag}`, tags: [tag] });
    const agent = await mount(tag, 'agent');
    await until(() => names(agent).length === 2, 'rows');
    expect($$(agent, 'input[type=checkbox]')).to.have.length(0);
    expect($(agent, '[role=grid]')!.getAttribute('aria-multiselectable')).to.equal('false');
    expect($(agent, '[role=columnheader]')!.textContent!.trim()).to.match(/^Name/);
    expect($(agent, '[role=columnheader]')!.getAttribute('aria-colindex')).to.equal('1');
    // Space on a row selects nothing; Home stays on the first real column.
    const cell = $<HTMLElement>(agent, '[data-r="0"][data-c="1"]')!;
    cell.focus();
    cell.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true, composed: true }));
    cell.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true, composed: true }));
    await agent.updateComplete;
    expect(agent.selectedIds).to.deep.equal([]);
    expect($(agent, '.bulk')).to.equal(null);
    expect(agent.shadowRoot!.activeElement!.getAttribute('data-c')).to.equal('1');
    const manager = await mount(tag, 'manager');
    await until(() => names(manager).length === 2, 'rows');
    expect($$(manager, '.body input[type=checkbox]')).to.have.length(2);
  });
});
