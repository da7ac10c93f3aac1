import { expect, fixture, html } from '@open-wc/testing';
import { createContact, tokenFor, until } from '../../core/src/testing/fixtures.js';
import '../../core/src/dossier-provider.js';
import './contact-table/contact-table.js';
import './contact-record/contact-record.js';
import './contact-documents/contact-documents.js';
import type { ContactTable } from './contact-table/contact-table.js';
import type { ContactRecord } from './contact-record/contact-record.js';
import type { ContactDocuments } from './contact-documents/contact-documents.js';

// Host pages style our elements and their ancestors in every way a product's CSS does. Whatever they say, the
// elements lay out and the table stays virtualized: a grid of bounded height, only the rows in view in the DOM.
const CASES: { name: string; css: string; dir?: string }[] = [
  { name: 'contact-table { display: block; height: 600px }', css: 'contact-table { display: block; height: 600px }' },
  { name: 'the elements display: inline', css: 'contact-table, contact-record, contact-documents { display: inline }' },
  { name: 'height: auto', css: 'contact-table { height: auto }' },
  { name: 'a grid parent', css: '.host, dossier-provider { display: grid }' },
  { name: 'a flex parent', css: '.host, dossier-provider { display: flex; flex-wrap: wrap }' },
  { name: 'a flex column parent', css: '.host, dossier-provider { display: flex; flex-direction: column }' },
  { name: 'box-sizing: content-box everywhere', css: '.host, .host * { box-sizing: content-box }' },
  { name: 'font-size 10px, line-height 1', css: '.host { font-size: 10px; line-height: 1 }' },
  { name: 'font-size 20px, line-height 2', css: '.host { font-size: 20px; line-height: 2 }' },
  { name: 'all: unset on the ancestors and the elements', css: '.host, .host * { all: unset }' },
  { name: 'dir=rtl', css: '', dir: 'rtl' },
];

let tag = '';
let contactId = '';
before(async function () {
  this.timeout(30_000);
  tag = `hostcss${Math.random().toString(36).slice(2, 8)}`;
  expect((await fetch(`/test/seed-rows?n=300&tag=${tag}`, { method: 'POST' })).ok).to.equal(true);
  contactId = (await createContact({ firstName: 'Host', lastName: `Css ${tag}` })).id;
});

describe('host CSS matrix', () => {
  for (const c of CASES) {
    it(`${c.name}: the table stays virtualized, the record and the documents lay out`, async function () {
      this.timeout(40_000);
      const style = document.head.appendChild(document.createElement('style'));
      style.textContent = c.css;
      try {
        const host = await fixture<HTMLDivElement>(html`<div class="host" dir=${c.dir ?? 'ltr'}>
          <dossier-provider .getToken=${() => tokenFor('owner')}>
            <contact-table q=${tag}></contact-table>
            <contact-record contact-id=${contactId}></contact-record>
            <contact-documents contact-id=${contactId}></contact-documents>
          </dossier-provider>
        </div>`);
        const table = host.querySelector<ContactTable>('contact-table')!;
        await until(() => (table.source?.count ?? 0) >= 300 && table.source!.row(2), 'the first rows', 10_000).catch((e) => { throw new Error(`${e.message}: ${JSON.stringify({ count: table.source?.count, length: table.source?.length, err: String(table.source?.error), html: table.shadowRoot?.innerHTML.slice(0, 300) })}`); });
        await table.updateComplete;
        const grid = table.shadowRoot!.querySelector<HTMLElement>('.grid')!;
        const rows = [...table.shadowRoot!.querySelectorAll<HTMLElement>('.body [role=row]')];
                expect(grid.clientHeight, 'the grid is no taller than the window').to.be.at.most(innerHeight);
        expect(grid.clientHeight, 'the grid has room for rows').to.be.greaterThan(100);
        expect(grid.scrollHeight, 'the grid scrolls').to.be.greaterThan(grid.clientHeight * 2);
        expect(rows.length, 'only the rows in view (and overscan) are drawn').to.be.lessThan(60);
        const [a, b] = rows.map((r) => r.getBoundingClientRect().top);
        expect(b! - a!).to.equal(44);

        const record = host.querySelector<ContactRecord>('contact-record')!;
        await until(() => record.shadowRoot!.querySelector('h2')?.textContent?.includes('Host'), 'the record', 10_000);
        const heading = record.shadowRoot!.querySelector('h2')!.getBoundingClientRect();
        expect(heading.width * heading.height, 'the record heading is drawn').to.be.greaterThan(0);

        const docs = host.querySelector<ContactDocuments>('contact-documents')!;
        await until(() => docs.shadowRoot!.querySelector('[role=tab]'), 'the documents', 10_000);
        const tab = docs.shadowRoot!.querySelector('[role=tab]')!.getBoundingClientRect();
        expect(tab.width * tab.height, 'the documents filter bar is drawn').to.be.greaterThan(0);
      } finally {
        style.remove();
      }
    });
  }
});
