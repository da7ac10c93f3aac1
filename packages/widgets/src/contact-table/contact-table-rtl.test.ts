// <contact-table> in Arabic: right-to-left layout (columns from the right edge, the filter drawer from the left),
// Arabic messages and plural forms, and arrow keys that follow the reading direction.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { DossierProvider } from '../../../core/src/dossier-provider.js';
import { setLocale } from '../../../core/src/i18n.js';
import { createContact, tokenFor, until } from '../../../core/src/testing/fixtures.js';
import './contact-table.js';
import type { ContactTable } from './contact-table.js';
import { $, uid } from './table-testing.js';

describe('<contact-table> with lang="ar"', () => {
  afterEach(() => setLocale('en'));

  it('lays out right-to-left with Arabic text, and its arrows and drawer follow', async () => {
    const tag = uid();
    await createContact({ firstName: 'Ada', lastName: tag, emails: [{ value: `${tag}@example.com` }] });
    const provider = await fixture<DossierProvider>(
      html`<div style="width: 760px"><dossier-provider lang="ar" .getToken=${() => tokenFor('owner')}><contact-table q=${tag}></contact-table></dossier-provider></div>`,
    );
    const el = provider.querySelector<ContactTable>('contact-table')!;
    await until(() => el.source?.complete, 'first page');
    await until(() => $(el, '[role=columnheader][data-key=name]')?.textContent?.includes('الاسم'), 'Arabic column names');
    await until(() => el.shadowRoot!.textContent!.includes('جهة اتصال واحدة'), 'the Arabic "one" form of the count');

    const grid = $(el, '[role=grid]')!;
    expect(getComputedStyle(grid).direction).to.equal('rtl');
    const box = el.getBoundingClientRect();
    const name = $(el, '[role=columnheader][data-key=name]')!.getBoundingClientRect();
    const email = $(el, '[role=columnheader][data-key=email]')!.getBoundingClientRect();
    expect(name.left, 'Name right of Email').to.be.greaterThan(email.left);
    expect(box.right - name.right, 'Name near the right edge').to.be.lessThan(60);
    const row = $(el, '.body [role=row]')!.getBoundingClientRect();
    expect(Math.abs(row.right - grid.getBoundingClientRect().right), 'rows anchored at the right').to.be.lessThan(2);

    // ArrowLeft moves to the next column (reading order, leftwards), ArrowRight back.
    const focused = () => el.shadowRoot!.activeElement as HTMLElement;
    $(el, '.body [role=row] [data-c="1"]')!.click();
    $(el, '.body [role=row] [data-c="1"]')!.focus();
    await until(() => focused()?.dataset.c === '1', 'first cell focused');
    const start = focused().getBoundingClientRect();
    await sendKeys({ press: 'ArrowLeft' });
    await until(() => focused()?.dataset.c === '2', 'ArrowLeft: the next cell');
    expect(focused().getBoundingClientRect().right).to.be.at.most(start.left + 1);
    await sendKeys({ press: 'ArrowRight' });
    await until(() => focused()?.dataset.c === '1', 'ArrowRight: back');

    // The filter drawer slides in from the left edge (the inline end).
    [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.includes('عوامل التصفية'))!.click();
    await until(() => $(el, 'table-filter-drawer')?.shadowRoot?.querySelector('.panel'), 'drawer');
    const panelEl = $(el, 'table-filter-drawer')!.shadowRoot!.querySelector<HTMLElement>('.panel')!;
    const panel = panelEl.getBoundingClientRect();
    expect(Math.abs(panel.left - box.left), 'drawer at the left edge').to.be.lessThan(2);
    expect(panel.right).to.be.lessThan(box.right - 100);
  });
});
