import { expect, fixture, html } from '@open-wc/testing';
import type { PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { define, ThemedElement } from './dossier-element.js';
import './dossier-provider.js';

/** A part that overrides willUpdate and forgets super (the filter drawer, merge dialog and preview once did). */
class ForgetfulPart extends ThemedElement {
  @property({ attribute: false }) value = 0;
  seen = 0;
  protected override willUpdate(_changed: PropertyValues<this>) {
    this.seen = this.value;
  }
}
define('forgetful-part', ForgetfulPart);

describe('ThemedElement', () => {
  it('takes the theme from above even when a subclass overrides willUpdate without calling super', async () => {
    const provider = await fixture(html`<dossier-provider theme="dark"><forgetful-part></forgetful-part></dossier-provider>`);
    const part = provider.querySelector<ForgetfulPart>('forgetful-part')!;
    await part.updateComplete;
    expect(part.dataset.theme).to.equal('dark');
    provider.setAttribute('theme', 'light');
    await part.updateComplete;
    await part.updateComplete;
    expect(part.dataset.theme).to.equal('light');
  });

  it('follows its own theme attribute over the inherited one', async () => {
    const provider = await fixture(html`<dossier-provider theme="light"><forgetful-part theme="dark"></forgetful-part></dossier-provider>`);
    const part = provider.querySelector<ForgetfulPart>('forgetful-part')!;
    await part.updateComplete;
    expect(part.dataset.theme).to.equal('dark');
  });
});
