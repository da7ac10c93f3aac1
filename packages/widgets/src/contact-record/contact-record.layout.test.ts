// The record's layout at the widths hosts give it: the smallest phone (296 px inside a 320 px page), a phone
// (366 px inside a 390 px page), the demo's side panel (432 px) and a wide pane (640 px). Boxes are measured in real
// Chromium; nothing is compared pixel by pixel.
import { expect, html } from '@open-wc/testing';
import { createContact, inProvider, until } from '../../../core/src/testing/fixtures.js';
import type { ContactJson } from '../../../core/src/types.js';
import './contact-record.js';
import type { ContactRecord } from './contact-record.js';

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
const box = (el: Element) => el.getBoundingClientRect();
/** Two boxes share a line when each one's vertical middle lies inside the other. */
/** Wholly in view inside `list`: within its box and not under anything laid over it (the scroll buttons). */
const inView = (tab: Element, list: Element) => {
  const [r, l] = [box(tab), box(list)];
  if (r.left < l.left - 1 || r.right > l.right + 1) return false;
  const root = tab.getRootNode() as ShadowRoot;
  return [r.left + 2, r.right - 2].every((x) => {
    const hit = root.elementFromPoint(x, (r.top + r.bottom) / 2);
    return hit === tab || (hit !== null && tab.contains(hit));
  });
};
const sameLine = (a: Element, b: Element) => {
  const [x, y] = [box(a), box(b)];
  const mx = (x.top + x.bottom) / 2;
  const my = (y.top + y.bottom) / 2;
  return mx > y.top && mx < y.bottom && my > x.top && my < x.bottom;
};

let contact: ContactJson;
before(async () => {
  contact = await createContact({
    firstName: 'Bartholomew',
    lastName: 'Featherstonehaugh-Worthington',
    companyName: 'Globex',
    emails: [
      { value: 'bartholomew.featherstonehaugh@very-long-company-domain.example.com', label: 'work', primary: true },
      { value: 'bart@example.com', label: 'home' },
    ],
    phones: [
      { value: '+14155552671', label: 'mobile', primary: true },
      { value: '+14155552672', label: 'work' },
    ],
  });
});

async function mount(width: number, id = contact.id) {
  const el = await inProvider<ContactRecord>(html`<contact-record style="width:${width}px" contact-id=${id}></contact-record>`);
  await until(() => $(el, 'h2'), 'record to load');
  await el.updateComplete;
  return el;
}

for (const width of [296, 366, 432, 640]) {
  describe(`<contact-record> at ${width} px`, () => {
    it('keeps each email and phone row whole: the value readable, the × beside it, the Primary badge beside the label', async () => {
      const el = await mount(width);
      for (const kind of ['emails', 'phones']) {
        const rows = $$(el, `fieldset.rows li.row`).filter((li) => li.querySelector(`[id^=${kind}-]`));
        expect(rows.length, kind).to.equal(2);
        const values = rows.map((li) => li.querySelector<HTMLInputElement>('input.value')!);
        for (const [i, li] of rows.entries()) {
          const value = values[i]!;
          const remove = li.querySelector('button.icon-btn')!;
          const label = li.querySelector('.label-input, select')!;
          expect(sameLine(value, remove), `${kind}[${i}]: × on the value's line`).to.equal(true);
          const badge = li.querySelector('.badge');
          if (badge) expect(sameLine(badge, label), `${kind}[${i}]: Primary beside the label`).to.equal(true);
          expect(box(value).width, `${kind}[${i}]: the value gets most of the row`).to.be.greaterThan(box(li).width * (width < 500 ? 0.7 : 0.35));
          expect(getComputedStyle(value).textOverflow, 'a cut value ends in an ellipsis').to.equal('ellipsis');
        }
        // The primary row's value is as wide as the others, and they line up.
        expect(Math.round(box(values[0]!).width)).to.equal(Math.round(box(values[1]!).width));
        expect(Math.round(box(values[0]!).left)).to.equal(Math.round(box(values[1]!).left));
      }
    });

    it('lines up the Owner and Followers selects, with or without followers', async () => {
      const el = await mount(width, (await createContact({ firstName: 'Followed' })).id);
      const owner = $<HTMLSelectElement>(el, '#owner')!;
      const follower = $<HTMLSelectElement>(el, 'select[aria-label="Add follower…"]')!;
      expect(Math.round(box(owner).left)).to.equal(Math.round(box(follower).left));
      expect(Math.round(box(owner).width)).to.equal(Math.round(box(follower).width));
      follower.value = follower.options[1]!.value;
      follower.dispatchEvent(new Event('change'));
      await until(() => el.contact!.followerIds.length === 1 && $(el, '.followers li'), 'follower added');
      await el.updateComplete;
      const after = $<HTMLSelectElement>(el, 'select[aria-label="Add follower…"]')!;
      expect(Math.round(box(owner).left)).to.equal(Math.round(box(after).left));
    });

    it('keeps "Delete contact" in place whatever the position text says', async () => {
      const el = await mount(width);
      el.contactIds = ['ct_a', contact.id, 'ct_b'];
      await el.updateComplete;
      expect($(el, '.position')!.textContent).to.equal('2 of 3');
      const before = box($(el, 'header .btn.danger')!);
      el.contactIds = Array.from({ length: 1000 }, (_, i) => `ct_${i}`);
      await el.updateComplete;
      expect($(el, '.position')!.textContent).to.equal('Not in the current list of 1,000');
      const after = box($(el, 'header .btn.danger')!);
      expect([after.left, after.top]).to.deep.equal([before.left, before.top]);
      expect(box($(el, 'h2')!).width, 'the name keeps room').to.be.greaterThan(120);
    });

    it('keeps the selected tab wholly in view, with scroll buttons when the tabs do not fit', async () => {
      const el = await mount(width);
      const list = $(el, '[role=tablist]')!;
      const fits = list.scrollWidth <= list.clientWidth;
      const scroller = (dir: string) => $<HTMLButtonElement>(el, `.tab-scroll[data-dir="${dir}"]`);
      await until(() => fits || scroller('end')?.checkVisibility(), 'the "more tabs" button');
      if (!fits) expect(scroller('start')?.checkVisibility() ?? false, 'nothing before the first tab').to.equal(false);
      for (const tab of ['audit', 'documents', 'general', 'dnd', 'contact'] as const) {
        el.tab = tab;
        await el.updateComplete;
        const selected = $(el, `#tab-${tab}`)!;
        list.scrollIntoView({ block: 'nearest' });
        await until(() => inView(selected, list), `${tab} tab in view`);
      }
      if (fits) return;
      el.tab = 'documents';
      await el.updateComplete;
      await until(() => scroller('start')?.checkVisibility(), 'the "earlier tabs" button');
      const left = list.scrollLeft;
      scroller('start')!.click();
      await until(() => list.scrollLeft < left, 'scrolled back');
    });
  });
}

describe('<contact-record> panels', () => {
  const names = (strip: Element | null) => [...(strip?.querySelectorAll('[role=tab]') ?? [])].map((t) => t.textContent);

  it('shows the contact’s tabs beside Activity, Conversations, Tasks, Notes and Documents on a wide host, one strip of every tab on a narrow one', async () => {
    const el = await mount(1200);
    const left = $(el, '[data-strip=a]');
    const right = $(el, '[data-strip=b]');
    expect(names(left)).to.deep.equal(['Contact', 'General', 'Additional', 'Do not disturb', 'Audit log']);
    expect(names(right)).to.deep.equal(['Activity', 'Conversations', 'Tasks', 'Notes', 'Appointments', 'Documents', 'Payments']);
    expect(box(right!).left, 'side by side').to.be.greaterThan(box(left!).right - 1);
    await until(() => right!.querySelector('contact-activity')?.shadowRoot?.querySelector('[part~=timeline]'), 'the activity tab');
    expect(right!.querySelector('contact-activity')!.getAttribute('contact-id')).to.equal(contact.id);
    right!.querySelector<HTMLElement>('#tab-conversations')!.click();
    await el.updateComplete;
    await until(() => right!.querySelector('contact-conversations')?.shadowRoot?.querySelector('.empty'), 'the conversations tab');
    expect(right!.querySelector('contact-conversations')!.getAttribute('contact-id')).to.equal(contact.id);
    right!.querySelector<HTMLElement>('#tab-tasks')!.click();
    await el.updateComplete;
    await until(() => right!.querySelector('contact-tasks')?.shadowRoot?.querySelector('.toolbar'), 'the tasks tab');
    right!.querySelector<HTMLElement>('#tab-notes')!.click();
    await el.updateComplete;
    await until(() => right!.querySelector('contact-notes')?.shadowRoot?.querySelector('textarea'), 'the notes tab');
    expect(right!.querySelector('contact-notes')!.getAttribute('contact-id')).to.equal(contact.id);
    await expect(el).to.be.accessible();

    // The attribute opens a right tab; the left keeps its own.
    el.setAttribute('tab', 'documents');
    await el.updateComplete;
    await until(() => right!.querySelector('contact-documents'), 'the documents tab');
    expect($(el, '[data-strip=a] [aria-selected=true]')!.textContent).to.equal('Contact');

    el.style.width = '600px';
    await until(() => !$(el, '[data-strip=b]'), 'one column');
    expect(names($(el, '[data-strip=a]'))).to.deep.equal(['Contact', 'General', 'Additional', 'Do not disturb', 'Audit log', 'Activity', 'Conversations', 'Tasks', 'Notes', 'Appointments', 'Documents', 'Payments']);
    expect($(el, '[data-strip=a] [aria-selected=true]')!.textContent).to.equal('Documents');
  });

  it('shows only the panels and tabs the host chose', async () => {
    const el = await mount(1200);
    el.panels = ['right'];
    await el.updateComplete;
    expect(names($(el, '[data-strip=a]'))).to.deep.equal(['Activity', 'Conversations', 'Tasks', 'Notes', 'Appointments', 'Documents', 'Payments']);
    expect($(el, '[data-strip=b]')).to.equal(null);
    el.panels = ['left', 'right'];
    el.tabs = ['contact', 'audit', 'notes'];
    await el.updateComplete;
    expect(names($(el, '[data-strip=a]'))).to.deep.equal(['Contact', 'Audit log']);
    expect(names($(el, '[data-strip=b]'))).to.deep.equal(['Notes']);
  });
});
