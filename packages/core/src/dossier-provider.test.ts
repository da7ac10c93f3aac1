import { expect, fixture, html } from '@open-wc/testing';
import { unwrap } from './api.js';
import type { DossierClient } from './client.js';
import { DossierElement, define } from './dossier-element.js';
import './dossier-provider.js';
import type { DossierProvider } from './dossier-provider.js';
import { tokenFor, until } from './testing/fixtures.js';
import { TokenSource } from './token-source.js';

class ProbeElement extends DossierElement {
  get client(): DossierClient | undefined {
    return this.dossier;
  }
}
define('probe-element', ProbeElement);

describe('<dossier-provider>', () => {
  it('provides a client to elements inside it and renders nothing itself', async () => {
    const provider = await fixture<DossierProvider>(html`<dossier-provider .getToken=${() => tokenFor('manager')}><probe-element></probe-element></dossier-provider>`);
    const probe = provider.querySelector<ProbeElement>('probe-element')!;
    await until(() => probe.client, 'client');
    const me = await probe.client!.session();
    expect(me.member!.role).to.equal('manager');
    expect(getComputedStyle(provider).display).to.equal('contents');
  });

  it('gets a token from token-url', async () => {
    const provider = await fixture<DossierProvider>(html`<dossier-provider token-url="/test/token?role=agent"><probe-element></probe-element></dossier-provider>`);
    const probe = provider.querySelector<ProbeElement>('probe-element')!;
    await until(() => probe.client, 'client');
    expect((await probe.client!.session()).member!.role).to.equal('agent');
  });

  it('asks the host for a fresh token and retries once when the server answers 401', async () => {
    let calls = 0;
    const getToken = async () => (++calls === 1 ? { token: 'expired-or-garbage', expiresAt: Date.now() + 3_600_000 } : tokenFor('owner'));
    const provider = await fixture<DossierProvider>(html`<dossier-provider .getToken=${getToken}><probe-element></probe-element></dossier-provider>`);
    const probe = provider.querySelector<ProbeElement>('probe-element')!;
    await until(() => probe.client, 'client');
    const list = await unwrap(probe.client!.api.api.v1.contacts.$get({ query: {} }));
    expect(list.items).to.be.an('array');
    expect(calls).to.equal(2);
  });

  it('theme flows from the provider to the elements', async () => {
    const provider = await fixture<DossierProvider>(html`<dossier-provider theme="dark" .getToken=${() => tokenFor()}><probe-element></probe-element></dossier-provider>`);
    const probe = provider.querySelector<ProbeElement>('probe-element')!;
    await probe.updateComplete;
    expect(probe.dataset.theme).to.equal('dark');
    probe.theme = 'light';
    await probe.updateComplete;
    expect(probe.dataset.theme).to.equal('light');
  });
});

describe('TokenSource', () => {
  it('shares one fetch between concurrent callers and refreshes before expiry', async () => {
    let calls = 0;
    const source = new TokenSource(async () => ({ token: `t${++calls}`, expiresAt: Date.now() + 61_000 }));
    const [a, b] = await Promise.all([source.get(), source.get()]);
    expect([a, b, calls]).to.deep.equal(['t1', 't1', 1]);
    expect(await source.get(true)).to.equal('t2');
    source.dispose();
  });
});
