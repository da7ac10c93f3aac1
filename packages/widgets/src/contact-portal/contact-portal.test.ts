import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { choose, createContact, inProvider, until } from '../../../core/src/testing/fixtures.js';
import type { ContactJson, PortalItemJson } from '../../../core/src/types.js';
import { host } from '../contact-workflows/host-for-tests.js';
import './contact-portal.js';
import type { ContactPortal, PortalChangeEvent } from './contact-portal.js';

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
const chips = (el: ContactPortal, part: 'offers' | 'groups') => $$(el, `[part=${part}] .chip > span`).map((n) => n.textContent!.trim());

const run = Math.random().toString(36).slice(2, 8);
const item = (kind: 'offers' | 'groups', key: string, name: string, status = 'active') => host<PortalItemJson>('PUT', `/portal/${kind}/${key}-${run}`, { name: `${name} ${run}`, status });

async function mount(contact: ContactJson, theme = 'light', style = '') {
  const el = await inProvider<ContactPortal>(html`<contact-portal style=${style} contact-id=${contact.id} theme=${theme}></contact-portal>`, 'agent');
  await until(() => $(el, '#h-offer'), 'the portal to load');
  return el;
}

describe('<contact-portal>', () => {
  it('grants an offer from the dropdown and revokes it with ×; joins and leaves a group; events; accessible', async () => {
    const course = await item('offers', 'c1', 'Course 101');
    await item('offers', 'c0', 'Retired course', 'inactive');
    const lounge = await item('groups', 'g1', 'Members lounge');
    const c = await createContact({ firstName: 'Portia' });
    const el = await mount(c);
    expect($(el, '[part=offers] .empty')!.textContent).to.equal('No course offers granted.');
    const options = $$<HTMLOptionElement>(el, '#pick-offer option').map((o) => o.textContent);
    expect(options).to.include(course.name);
    expect(options.some((o) => o!.startsWith('Retired course')), 'inactive offers are not offered').to.equal(false);
    await expect(el).to.be.accessible();

    const changes: PortalChangeEvent[] = [];
    el.addEventListener('portal-change', (e) => changes.push(e));
    choose($<HTMLSelectElement>(el, '#pick-offer')!, course.id);
    await el.updateComplete;
    $<HTMLButtonElement>(el, '[part=offers] button[type=submit]')!.click();
    await until(() => chips(el, 'offers').length === 1, 'the granted offer');
    expect(chips(el, 'offers')).to.deep.equal([course.name]);
    expect($$<HTMLOptionElement>(el, '#pick-offer option').map((o) => o.value)).not.to.include(course.id);

    // Keyboard: choose the group in the dropdown and submit with Enter.
    const pick = $<HTMLSelectElement>(el, '#pick-group')!;
    pick.focus();
    choose(pick, lounge.id);
    await el.updateComplete;
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    await until(() => chips(el, 'groups').length === 1, 'the joined group');
    await expect(el).to.be.accessible();

    const revoke = $<HTMLButtonElement>(el, '[part=offers] .chip button')!;
    expect(revoke.getAttribute('aria-label')).to.equal(`Revoke ${course.name}`);
    revoke.click();
    await until(() => chips(el, 'offers').length === 0, 'the offer revoked');
    $<HTMLButtonElement>(el, '[part=groups] .chip button')!.click();
    await until(() => chips(el, 'groups').length === 0, 'the group left');
    expect(changes.map((e) => [e.detail.change, e.detail.item.hostId])).to.deep.equal([
      ['offer_granted', course.hostId], ['group_joined', lounge.hostId], ['offer_revoked', course.hostId], ['group_left', lounge.hostId],
    ]);
    const activity = await host<{ items: { kind: string }[] }>('GET', `/contacts/${c.id}/activity?kind=portal`);
    expect(activity.items.map((i) => i.kind)).to.deep.equal(['portal.group_left', 'portal.offer_revoked', 'portal.group_joined', 'portal.offer_granted']);
  });

  it('tells a refusal in place keeping the choice, shows changes made elsewhere live, dark at 390 px', async () => {
    const soon = await item('offers', 'soon', 'Offer soon inactive with a rather long name to wrap in a narrow panel');
    const group = await item('groups', 'live', 'Live group');
    const c = await createContact({ firstName: 'Refused' });
    const el = await mount(c, 'dark', 'width:390px');
    choose($<HTMLSelectElement>(el, '#pick-offer')!, soon.id);
    await el.updateComplete;
    await item('offers', 'soon', 'Offer soon inactive with a rather long name to wrap in a narrow panel', 'inactive');
    $<HTMLButtonElement>(el, '[part=offers] button[type=submit]')!.click();
    await until(() => $(el, '[part=offers] .field-error'), 'the refusal');
    expect($(el, '[part=offers] .field-error')!.textContent).to.contain('inactive');
    expect($<HTMLSelectElement>(el, '#pick-offer')!.value, 'the choice is kept').to.equal(soon.id);

    await new Promise((r) => setTimeout(r, 300));
    await host('PUT', `/contacts/${c.id}/portal/groups/${group.id}`);
    await until(() => chips(el, 'groups').includes(group.name), 'the live membership', 8000);
    expect(el.scrollWidth).to.be.at.most(390);
    await expect(el).to.be.accessible();
  });
});
