import { expect, fixture, html } from '@open-wc/testing';
import type { DossierApiError } from '../../core/src/api.js';
import type { DossierErrorEvent } from '../../core/src/events.js';
import { createContact, tokenFor, until } from '../../core/src/testing/fixtures.js';
import '../../core/src/dossier-provider.js';
import './contact-table/contact-table.js';
import './contact-record/contact-record.js';
import './contact-documents/contact-documents.js';

// Every failure a widget shows reaches a host listener as `dossier-error`, with a code that says what went wrong
// (not "Could not reach the Dossier server" for all of them), and the widget shows that real cause.
type Seen = { tag: string; code: string; action: string; message: string };

async function mountAll(provider: ReturnType<typeof html>) {
  const seen: Seen[] = [];
  const host = await fixture<HTMLDivElement>(html`<div
    @dossier-error=${(e: DossierErrorEvent) => seen.push({ tag: (e.target as Element).localName, code: (e.detail.error as DossierApiError).code, action: e.detail.action, message: e.detail.error.message })}
  >${provider}</div>`);
  return { host, seen };
}

const shown = (el: Element) => el.shadowRoot!.querySelector('dossier-state')?.getAttribute('message') ?? '';

let contactId = '';
before(async () => {
  contactId = (await createContact({ firstName: 'Err', lastName: 'Codes' })).id;
});

describe('dossier-error reaches the host, with its code', () => {
  const widgets = (id: string) => html`<contact-table></contact-table><contact-record contact-id=${id}></contact-record><contact-documents contact-id=${id}></contact-documents>`;

  it('token_failed: a token-url that answers 500 — each widget says the token could not be had, and reports it', async function () {
    this.timeout(20_000);
    const { host, seen } = await mountAll(html`<dossier-provider token-url="/test/no-such-token-endpoint">${widgets(contactId)}</dossier-provider>`);
    await until(() => new Set(seen.map((s) => s.tag)).size === 3, 'three reports', 10_000);
    expect(seen.every((s) => s.code === 'token_failed'), JSON.stringify(seen)).to.equal(true);
    for (const el of host.querySelectorAll('contact-table, contact-record, contact-documents')) {
      await until(() => shown(el), 'the error shown');
      expect(shown(el)).to.contain('token');
      expect(shown(el)).not.to.contain('Could not reach');
    }
  });

  it('unauthorized: a token the server does not accept', async function () {
    this.timeout(20_000);
    const { seen } = await mountAll(html`<dossier-provider .getToken=${async () => 'not-a-token'}>${widgets(contactId)}</dossier-provider>`);
    await until(() => new Set(seen.map((s) => s.tag)).size === 3, 'three reports', 10_000);
    expect(seen.every((s) => s.code === 'unauthorized'), JSON.stringify(seen)).to.equal(true);
  });

  it('origin_not_allowed: the server is up but refuses this page’s origin', async function () {
    this.timeout(20_000);
    // The same server under another origin: its workspaces do not list this page's origin.
    const other = location.origin.replace('localhost', '127.0.0.1');
    const { host, seen } = await mountAll(html`<dossier-provider base-url=${other} .getToken=${() => tokenFor('owner')}><contact-record contact-id=${contactId}></contact-record></dossier-provider>`);
    await until(() => seen.length, 'a report', 10_000);
    expect(seen[0]!.code, JSON.stringify(seen)).to.equal('origin_not_allowed');
    const record = host.querySelector('contact-record')!;
    await until(() => shown(record), 'the error shown');
    expect(shown(record)).to.contain(location.origin);
  });

  it('network: no server answers at base-url', async function () {
    this.timeout(20_000);
    const { seen } = await mountAll(html`<dossier-provider base-url="http://127.0.0.1:9" .getToken=${() => tokenFor('owner')}><contact-record contact-id=${contactId}></contact-record></dossier-provider>`);
    await until(() => seen.length, 'a report', 10_000);
    expect(seen[0]!.code).to.equal('network');
  });

  it('not_found on the first load is reported too', async function () {
    this.timeout(20_000);
    const { seen } = await mountAll(html`<dossier-provider .getToken=${() => tokenFor('owner')}><contact-record contact-id="ct_doesnotexist000000000"></contact-record></dossier-provider>`);
    await until(() => seen.length, 'a report', 10_000);
    expect(seen[0]!.code).to.equal('not_found');
    expect(seen[0]!.action).to.equal('load-contact');
  });
});
