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
