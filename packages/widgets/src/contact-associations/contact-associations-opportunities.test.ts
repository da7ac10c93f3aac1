import { expect, html } from '@open-wc/testing';
import { unwrap } from '../../../core/src/api.js';
import { choose, clientFor, createContact, inProvider, type, until } from '../../../core/src/testing/fixtures.js';
import type { ContactJson, OpportunityJson, PipelineJson } from '../../../core/src/types.js';
import '../contact-opportunities/contact-opportunities.js';
import type { ContactOpportunities } from '../contact-opportunities/contact-opportunities.js';
import type { OpportunityDialog } from '../contact-opportunities/opportunity-dialog.js';
import type { AssociationDialog } from './association-dialog.js';
import './contact-associations.js';
import type { AssociationChangeEvent, ContactAssociations } from './contact-associations.js';

// Opportunities in the Associations tab: cards from the Opportunities feature's links, Add existing and Create new
// (the New opportunity dialog), Remove unlinking — and the Opportunities section following along live.
const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
const cards = (el: ContactAssociations) =>
  $$(el, '.group').flatMap((g) => [...g.querySelectorAll('.card')].map((c) => `${g.querySelector('h3 .heading')!.textContent}: ${c.querySelector('.open')!.textContent} · ${c.querySelector('.badge')!.textContent}`));
const oppNames = (el: ContactOpportunities) => $$(el, '.card .name').map((b) => b.textContent);
const d$ = <T extends Element = HTMLElement>(d: Element, sel: string) => d.shadowRoot!.querySelector<T>(sel);

let pipeline: PipelineJson | undefined;
async function opportunity(name: string, contactId: string | undefined, extra: Record<string, unknown> = {}) {
  pipeline ??= await unwrap(clientFor('owner').api.api.v1.pipelines.$post({ json: { name: `Assoc sales ${Date.now()}`, stages: ['Lead', 'Proposal'] } }));
  return unwrap(clientFor('owner').api.api.v1.opportunities.$post({ json: { name, pipelineId: pipeline.id, currency: 'USD', value: 1_250_000, ...(contactId && { contactId }), ...extra } })) as Promise<OpportunityJson>;
}
async function mount(contact: ContactJson) {
  const el = await inProvider<ContactAssociations>(html`<contact-associations contact-id=${contact.id}></contact-associations>`);
  await until(() => $(el, '.toolbar'), 'associations to load');
  return el;
}
async function mountOpportunities(contact: ContactJson) {
  const el = await inProvider<ContactOpportunities>(html`<contact-opportunities contact-id=${contact.id}></contact-opportunities>`);
  await until(() => $(el, '.toolbar'), 'opportunities to load');
  return el;
}
async function openDialog(el: ContactAssociations, item: 'Create new' | 'Add existing') {
  $(el, '.add')!.click();
  await until(() => $$(el, '[role=menuitem]').length, 'the + Add menu');
  $$(el, '[role=menuitem]').find((b) => b.textContent === item)!.click();
  await until(() => $<AssociationDialog>(el, 'dossier-association-dialog')?.shadowRoot?.querySelector('dialog[open]'), 'the dialog');
  const d = $<AssociationDialog>(el, 'dossier-association-dialog')!;
  choose(d$<HTMLSelectElement>(d, 'select')!, 'opportunity');
  await d.updateComplete;
  return d;
}

describe('<contact-associations> with opportunities', () => {
  it('shows a contact’s opportunities as cards (stage · value, the role); Open fires association-open and opportunity-open', async () => {
    const c = await createContact({ firstName: 'Oona', lastName: 'Deals' });
    const o = await opportunity('Harbour refit', c.id);
    const el = await mount(c);
    await until(() => cards(el).length === 1, 'the opportunity card');
    expect(cards(el)).to.deep.equal(['Opportunities: Harbour refit · Primary contact']);
    expect($(el, '.card .detail')!.textContent).to.equal('Lead · $12,500.00');
    const opened: unknown[] = [];
    el.addEventListener('association-open', (e) => opened.push(e.detail));
    el.addEventListener('opportunity-open', (e) => opened.push(e.detail));
    $(el, '.open')!.click();
    expect(opened).to.deep.equal([{ contactId: c.id, kind: 'opportunity', id: o.id }, { id: o.id, contactId: c.id }]);
    await expect(el).to.be.accessible();
  });

  it('adds an existing opportunity and removes it; the Opportunities section follows live and the opportunity stays', async () => {
    const c = await createContact({ firstName: 'Ike', lastName: 'Linker' });
    const other = await createContact({ firstName: 'Otto' });
    const unique = `Wind farm ${Date.now()}`;
    const o = await opportunity(unique, other.id);
    const el = await mount(c);
    const section = await mountOpportunities(c);
    const changes: AssociationChangeEvent['detail'][] = [];
    el.addEventListener('association-change', (e) => changes.push(e.detail));
    await new Promise((r) => setTimeout(r, 300)); // both live streams open

    const d = await openDialog(el, 'Add existing');
    // The built-in types, translated; "Associated contact" first (the opportunity keeps its primary).
    expect([...d$<HTMLSelectElement>(d, 'select.type')!.options].map((x) => x.textContent)).to.deep.equal(['Associated contact', 'Primary contact']);
    type(d$<HTMLInputElement>(d, 'input[type=search]')!, unique);
    await until(() => d.shadowRoot!.querySelectorAll('.results button').length === 1, 'the result');
    expect(d$(d, '.results small')!.textContent).to.equal('Lead · $12,500.00');
    d$<HTMLButtonElement>(d, '.results button')!.click();
    d$<HTMLButtonElement>(d, 'button[type=submit]')!.click();
    await until(() => cards(el).length === 1, 'the card');
    expect(cards(el)).to.deep.equal([`Opportunities: ${unique} · Associated contact`]);
    expect(changes.map((x) => [x.action, x.association.target.kind])).to.deep.equal([['created', 'opportunity']]);
    await until(() => oppNames(section).includes(unique), 'the Opportunities section shows it live', 8000);
    const linked = await unwrap(clientFor('owner').api.api.v1.opportunities[':id'].$get({ param: { id: o.id } }));
    expect(linked.contacts.map((x) => [x.id, x.role])).to.deep.equal([[other.id, 'primary'], [c.id, 'associated']]);

    $(el, '.remove')!.click();
    const confirm = await until(() => $(el, 'dossier-confirm')!.shadowRoot!.querySelector('dialog[open]'), 'the confirmation').then(() => $(el, 'dossier-confirm')!);
    expect(confirm.shadowRoot!.querySelector('p')!.textContent).to.contain(`${unique} stays`);
    confirm.shadowRoot!.querySelectorAll<HTMLButtonElement>('.actions button')[1]!.click();
    await until(() => cards(el).length === 0, 'the link removed');
    await until(() => !oppNames(section).includes(unique), 'the Opportunities section drops it live', 8000);
    const after = await unwrap(clientFor('owner').api.api.v1.opportunities[':id'].$get({ param: { id: o.id } }));
    expect(after.contacts.map((x) => x.id)).to.deep.equal([other.id], 'unlinked; the opportunity stays');

    // Linked in the Opportunities section: a card here, live.
    await unwrap(clientFor('owner').api.api.v1.opportunities[':id'].contacts.$post({ param: { id: o.id }, json: { contactId: c.id } }));
    await until(() => cards(el).length === 1, 'the card from the other tab', 8000);
  });

  it('Create new → Opportunity hands over to the New opportunity dialog; cancelling returns focus to + Add', async () => {
    const c = await createContact({ firstName: 'Cleo', lastName: 'Creator' });
    await opportunity(`Pipeline warm-up ${Date.now()}`, undefined);
    const el = await mount(c);
    const changes: AssociationChangeEvent['detail'][] = [];
    el.addEventListener('association-change', (e) => changes.push(e.detail));
    let d = await openDialog(el, 'Create new');
    expect(d$(d, 'select.type')).to.equal(null, 'the role is primary: no type to choose');
    expect(d$(d, '.next')!.textContent).to.contain('New opportunity');
    expect(d$(d, 'button[type=submit]')!.textContent).to.equal('Continue');
    d$<HTMLButtonElement>(d, 'button[type=submit]')!.click();
    const opp = () => $<OpportunityDialog>(el, 'dossier-opportunity-dialog');
    await until(() => opp()?.shadowRoot?.querySelector('dialog[open]'), 'the New opportunity dialog');
    expect($(el, 'dossier-association-dialog')).to.equal(null);
    type(d$<HTMLInputElement>(opp()!, '#opp-name')!, 'Solar roof');
    type(d$<HTMLInputElement>(opp()!, '#opp-value')!, '990');
    d$<HTMLButtonElement>(opp()!, 'button[type=submit]')!.click();
    await until(() => cards(el).length === 1, 'the new opportunity’s card');
    expect(cards(el)).to.deep.equal(['Opportunities: Solar roof · Primary contact']);
    expect($(el, '.card .detail')!.textContent).to.match(/ · \$990\.00$/);
    expect(changes.map((x) => x.action)).to.deep.equal(['created']);
    await until(() => el.shadowRoot!.activeElement === $(el, '.open'), 'focus on the new card');

    d = await openDialog(el, 'Create new');
    d$<HTMLButtonElement>(d, 'button[type=submit]')!.click();
    await until(() => opp()?.shadowRoot?.querySelector('dialog[open]'), 'the dialog again');
    d$<HTMLButtonElement>(opp()!, '.actions button')!.click(); // Cancel
    await until(() => !opp(), 'closed');
    await until(() => el.shadowRoot!.activeElement === $(el, '.add'), 'focus back on + Add');
    expect(cards(el).length).to.equal(1);
  });
});
