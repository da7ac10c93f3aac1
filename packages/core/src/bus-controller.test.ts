import { expect, fixture, html } from '@open-wc/testing';
import { BusController } from './bus-controller.js';
import type { DossierClient } from './client.js';
import { DossierElement, define } from './dossier-element.js';
import './dossier-provider.js';
import type { DossierProvider } from './dossier-provider.js';
import { tokenFor, until } from './testing/fixtures.js';

class FollowingProbe extends DossierElement {
  seen: string[] = [];
  bus = new BusController(this, () => this.dossier, (e) => this.seen.push(e.type));
  get client(): DossierClient | undefined {
    return this.dossier;
  }
}
define('following-probe', FollowingProbe);

const followers = (client: DossierClient) => (client as unknown as { followers: number }).followers;

describe('BusController', () => {
  it('follows the live stream while its host is connected, and stops when it is removed', async () => {
    const provider = await fixture<DossierProvider>(html`<dossier-provider .getToken=${() => tokenFor('owner')}><following-probe></following-probe></dossier-provider>`);
    const probe = provider.querySelector<FollowingProbe>('following-probe')!;
    await until(() => probe.client, 'client');
    const client = probe.client!;
    await until(() => client.live, 'the live stream');
    expect(followers(client)).to.equal(1);
    probe.remove();
    expect(followers(client)).to.equal(0);
    expect(client.live).to.equal(false);
  });

  it('does not follow again when an update pending at removal runs afterwards (a stream left open holds a connection)', async () => {
    const provider = await fixture<DossierProvider>(html`<dossier-provider .getToken=${() => tokenFor('owner')}><following-probe></following-probe></dossier-provider>`);
    const probe = provider.querySelector<FollowingProbe>('following-probe')!;
    await until(() => probe.client, 'client');
    const client = probe.client!;
    probe.requestUpdate();
    probe.remove();
    await probe.updateComplete;
    await new Promise((r) => setTimeout(r, 50));
    expect(followers(client)).to.equal(0);
  });

  it('tells a host put back into the page that it missed what changed meanwhile (a tab shown again reads afresh)', async () => {
    const provider = await fixture<DossierProvider>(html`<dossier-provider .getToken=${() => tokenFor('owner')}><following-probe></following-probe></dossier-provider>`);
    const probe = provider.querySelector<FollowingProbe>('following-probe')!;
    await until(() => probe.client, 'client');
    expect(probe.seen).to.deep.equal([]);
    probe.remove();
    provider.append(probe);
    expect(probe.seen).to.deep.equal(['live-resumed']);
  });
});
