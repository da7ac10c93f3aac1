import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { unwrap } from '../../../core/src/api.js';
import { choose, clientFor, createContact, inProvider, type, until } from '../../../core/src/testing/fixtures.js';
import type { AssociationTypeJson, ContactJson, ObjectTypeJson } from '../../../core/src/types.js';
import '../contact-record/contact-record.js';
import type { ContactRecord } from '../contact-record/contact-record.js';
import type { AssociationDialog } from './association-dialog.js';
import './contact-associations.js';
import type { AssociationChangeEvent, AssociationOpenEvent, ContactAssociations } from './contact-associations.js';

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
/** Each card as "<group>: <name> · <label>". */
const cards = (el: ContactAssociations) =>
  $$(el, '.group').flatMap((g) => [...g.querySelectorAll('.card')].map((c) => `${g.querySelector('h3 .heading')!.textContent}: ${c.querySelector('.open')!.textContent} · ${c.querySelector('.badge')!.textContent}`));


/** The types and the Property object type, made once per run (the database is shared by the run). */
let setup: { types: AssociationTypeJson[]; property: ObjectTypeJson } | null = null;
async function types() {
  if (setup) return setup;
  const v1 = clientFor('owner').api.api.v1;
  const objectTypes = (await unwrap(v1['object-types'].$get())).items;
  const property =
    objectTypes.find((o) => o.name === 'Property') ??
    (await unwrap(v1['object-types'].$post({ json: { name: 'Property', pluralName: 'Properties', fields: [{ key: 'bedrooms', label: 'Bedrooms', type: 'number' }, { key: 'furnished', label: 'Furnished', type: 'boolean' }] } })));
  const have = (await unwrap(v1['association-types'].$get())).items;
  const want = [
    { targetKind: 'company', label: 'Employee of', reverseLabel: 'Employs' },
    { targetKind: 'contact', label: 'Manager of', reverseLabel: 'Reports to' },
    { targetKind: 'contact', label: 'Spouse', reverseLabel: null },
    { targetKind: 'object', objectTypeId: property.id, label: 'Owner of', reverseLabel: 'Owned by' },
  ] as const;
  for (const w of want) if (!have.some((h) => h.label === w.label && h.targetKind === w.targetKind)) have.push(await unwrap(v1['association-types'].$post({ json: w })));
  setup = { types: have, property };
  return setup;
}
const typeId = async (label: string) => (await types()).types.find((x) => x.label === label)!.id;

async function mount(contact: ContactJson, role: 'owner' | 'agent' = 'owner', theme = 'light') {
  await types();
  const el = await inProvider<ContactAssociations>(html`<contact-associations contact-id=${contact.id} theme=${theme}></contact-associations>`, role);
  await until(() => $(el, '.toolbar'), 'associations to load');
  return el;
}

async function openDialog(el: ContactAssociations, item: 'Create new' | 'Add existing') {
  $(el, '.add')!.click();
  await until(() => $$(el, '[role=menuitem]').length, 'the + Add menu');
  $$(el, '[role=menuitem]').find((b) => b.textContent === item)!.click();
  await until(() => $<AssociationDialog>(el, 'dossier-association-dialog')?.shadowRoot?.querySelector('dialog[open]'), 'the dialog');
  return $<AssociationDialog>(el, 'dossier-association-dialog')!;
}
const d$ = <T extends Element = HTMLElement>(d: AssociationDialog, sel: string) => d.shadowRoot!.querySelector<T>(sel);

describe('<contact-associations>', () => {
  it('shows links as cards grouped by kind, each labelled from this contact’s side; Open fires association-open (and contact-open)', async () => {
    const { property } = await types();
    const v1 = clientFor('owner').api.api.v1;
    const ada = await createContact({ firstName: 'Ada', lastName: 'Cards' });
    const boss = await createContact({ firstName: 'Bea', lastName: 'Boss' });
    const company = await unwrap(v1.companies.$post({ json: { name: `Acme ${Date.now()}`, domain: null } }));
    const home = await unwrap(v1['object-types'][':typeId'].records.$post({ param: { typeId: property.id }, json: { name: 'Seaside cottage', fields: { bedrooms: 3 } } }));
    const link = async (id: string, label: string, targetId: string, reverse = false) =>
      unwrap(v1.contacts[':id'].associations.$post({ param: { id }, json: { typeId: await typeId(label), targetId, ...(reverse && { reverse }) } }));
    await link(ada.id, 'Employee of', company.id);
    await link(ada.id, 'Manager of', boss.id, true); // Ada reports to Bea
    await link(ada.id, 'Owner of', home.id);
    const el = await mount(ada);
    await until(() => cards(el).length === 3, 'three cards');
    expect(cards(el)).to.deep.equal(['Contacts: Bea Boss · Reports to', `Companies: ${company.name} · Employee of`, 'Properties: Seaside cottage · Owner of']);
    expect($(el, 'h2')!.textContent).to.equal('3 associations');
    const opened: unknown[] = [];
    el.addEventListener('association-open', (e: AssociationOpenEvent) => opened.push(e.detail));
    el.addEventListener('contact-open', (e) => opened.push(e.detail));
    $$(el, '.open')[0]!.click();
    $$(el, '.open')[1]!.click();
    expect(opened).to.deep.equal([{ contactId: ada.id, kind: 'contact', id: boss.id }, { id: boss.id }, { contactId: ada.id, kind: 'company', id: company.id }]);
    // Bea's side reads the other way.
    const bea = await mount(boss);
    await until(() => cards(bea).length === 1, 'Bea’s card');
    expect(cards(bea)).to.deep.equal(['Contacts: Ada Cards · Manager of']);
    await expect(el).to.be.accessible();
  });

  it('adds an existing record by keyboard: menu, search, ↓ into results, choose, type, save; Escape returns focus to + Add', async () => {
    await types();
    const v1 = clientFor('owner').api.api.v1;
    const unique = `Zed${Date.now()}`;
    await createContact({ firstName: unique, lastName: 'Spouse' });
    const c = await createContact({ firstName: 'Keyboard', lastName: 'User' });
    const el = await mount(c);
    const changes: AssociationChangeEvent['detail'][] = [];
    el.addEventListener('association-change', (e) => changes.push(e.detail));
    $(el, '.add')!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await until(() => el.shadowRoot!.activeElement?.textContent === 'Create new', 'the menu with focus on its first item');
    await sendKeys({ press: 'ArrowDown' });
    expect(el.shadowRoot!.activeElement?.textContent).to.equal('Add existing');
    await sendKeys({ press: 'Enter' });
    const d = await until(() => $<AssociationDialog>(el, 'dossier-association-dialog')?.shadowRoot?.querySelector('dialog[open]'), 'the dialog').then(() => $<AssociationDialog>(el, 'dossier-association-dialog')!);
    // Saving with nothing chosen says so by the search.
    d$<HTMLButtonElement>(d, 'button[type=submit]')!.click();
    await until(() => d$(d, '#err-target'), 'the missing choice');
    expect(d$(d, 'input[type=search]')!.getAttribute('aria-invalid')).to.equal('true');
    choose(d$<HTMLSelectElement>(d, 'select')!, 'contact');
    const search = d$<HTMLInputElement>(d, 'input[type=search]')!;
    search.focus();
    await sendKeys({ type: unique });
    await until(() => d$$(d, '.results button').length === 1, 'one result');
    await sendKeys({ press: 'ArrowDown' });
    expect(d.shadowRoot!.activeElement?.textContent).to.contain(unique);
    await sendKeys({ press: 'Enter' });
    await until(() => d$(d, '.chosen'), 'the chosen contact');
    choose(d$<HTMLSelectElement>(d, 'select.type')!, await typeId('Spouse'));
    d$<HTMLButtonElement>(d, 'button[type=submit]')!.click();
    await until(() => cards(el).length === 1, 'the new card');
    expect(cards(el)).to.deep.equal([`Contacts: ${unique} Spouse · Spouse`]);
    expect(changes.map((x) => x.action)).to.deep.equal(['created']);
    // The card can arrive by the live stream before the list has moved focus to it.
    await until(() => el.shadowRoot!.activeElement === $$(el, '.open')[0], 'focus on the new card');

    // The same link again: the server's refusal shows in the dialog, the choice stays.
    const again = await openDialog(el, 'Add existing');
    choose(d$<HTMLSelectElement>(again, 'select')!, 'contact');
    type(d$<HTMLInputElement>(again, 'input[type=search]')!, unique);
    await until(() => d$$(again, '.results button').length === 1, 'the result again');
    d$$(again, '.results button')[0]!.click();
    choose(d$<HTMLSelectElement>(again, 'select.type')!, await typeId('Spouse'));
    d$<HTMLButtonElement>(again, 'button[type=submit]')!.click();
    await until(() => d$(again, '.form-error'), 'the duplicate refused');
    expect(d$(again, '.form-error')!.textContent).to.contain('already associated');
    expect(d$(again, '.chosen')!.textContent).to.contain(unique);
    await sendKeys({ press: 'Escape' });
    await until(() => !$(el, 'dossier-association-dialog'), 'closed by Escape');
    expect(el.shadowRoot!.activeElement).to.equal($(el, '.add'));
    void v1;
  });

  it('creates a company through Create new: a refused domain shows by its field with what was typed kept; then links it', async () => {
    const c = await createContact({ firstName: 'Creator' });
    const el = await mount(c);
    const d = await openDialog(el, 'Create new');
    choose(d$<HTMLSelectElement>(d, 'select')!, 'company');
    await d.updateComplete;
    d$<HTMLButtonElement>(d, 'button[type=submit]')!.click();
    await until(() => d$(d, '#err-name'), 'the name is required');
    const name = `Globex ${Date.now()}`;
    type(d$<HTMLInputElement>(d, '[data-field=name]')!, name);
    type(d$<HTMLInputElement>(d, '[data-field=domain]')!, 'not a domain');
    d$<HTMLButtonElement>(d, 'button[type=submit]')!.click();
    await until(() => d$(d, '#err-domain'), 'the refused domain');
    expect(d$(d, '#err-domain')!.textContent).to.contain('example.com');
    expect(d$<HTMLInputElement>(d, '[data-field=name]')!.value).to.equal(name);
    expect(d$<HTMLInputElement>(d, '[data-field=domain]')!.getAttribute('aria-invalid')).to.equal('true');
    type(d$<HTMLInputElement>(d, '[data-field=domain]')!, `globex${Date.now()}.example`);
    d$<HTMLButtonElement>(d, 'button[type=submit]')!.click();
    await until(() => cards(el).length === 1, 'the company linked');
    expect(cards(el)).to.deep.equal([`Companies: ${name} · Employee of`]);
  });

  it('creates a custom object record with typed fields, and removes a link after confirming (the record stays)', async () => {
    const { property } = await types();
    const c = await createContact({ firstName: 'Owner' });
    const el = await mount(c);
    const d = await openDialog(el, 'Create new');
    choose(d$<HTMLSelectElement>(d, 'select')!, `object:${property.id}`);
    await d.updateComplete;
    type(d$<HTMLInputElement>(d, '[data-field=name]')!, 'Mountain cabin');
    type(d$<HTMLInputElement>(d, '[data-field="fields.bedrooms"]')!, '2');
    d$<HTMLInputElement>(d, '[data-field="fields.furnished"]')!.click();
    d$<HTMLButtonElement>(d, 'button[type=submit]')!.click();
    await until(() => cards(el).length === 1, 'the record linked');
    expect(cards(el)).to.deep.equal(['Properties: Mountain cabin · Owner of']);
    const records = (await unwrap(clientFor('owner').api.api.v1['object-types'][':typeId'].records.$get({ param: { typeId: property.id }, query: { q: 'Mountain cabin' } }))).items;
    expect(records.at(-1)!.fields).to.deep.equal({ bedrooms: 2, furnished: true });

    $(el, '.remove')!.click();
    const confirm = await until(() => $(el, 'dossier-confirm')!.shadowRoot!.querySelector('dialog[open]'), 'the confirmation').then(() => $(el, 'dossier-confirm')!);
    expect(confirm.shadowRoot!.querySelector('p')!.textContent).to.contain('Mountain cabin stays');
    (confirm.shadowRoot!.querySelectorAll<HTMLButtonElement>('.actions button')[0]!).click(); // Cancel
    await new Promise((r) => setTimeout(r, 50));
    expect(cards(el).length).to.equal(1);
    $(el, '.remove')!.click();
    await until(() => confirm.shadowRoot!.querySelector('dialog[open]'), 'asked again');
    (confirm.shadowRoot!.querySelectorAll<HTMLButtonElement>('.actions button')[1]!).click();
    await until(() => cards(el).length === 0, 'the link removed');
    expect($(el, '.empty')!.textContent).to.equal('No associations yet.');
    expect(el.shadowRoot!.activeElement).to.equal($(el, '.add'));
    const still = (await unwrap(clientFor('owner').api.api.v1['object-types'][':typeId'].records.$get({ param: { typeId: property.id }, query: { q: 'Mountain cabin' } }))).items;
    expect(still.length).to.equal(records.length, 'the record stays');
  });

  it('follows links made elsewhere live; dark theme and 390 px without overflow; read-only in the restore bin', async () => {
    const v1 = clientFor('owner').api.api.v1;
    const c = await createContact({ firstName: 'Live', lastName: 'Links' });
    const el = await mount(c, 'agent', 'dark');
    el.style.width = '390px';
    await until(() => $(el, '.empty'), 'empty');
    await new Promise((r) => setTimeout(r, 300));
    const company = await unwrap(v1.companies.$post({ json: { name: `A company with a really quite long name that must end in an ellipsis ${Date.now()}` } }));
    await unwrap(v1.contacts[':id'].associations.$post({ param: { id: c.id }, json: { typeId: await typeId('Employee of'), targetId: company.id } }));
    await until(() => cards(el).length === 1, 'the live card', 8000);
    expect(el.scrollWidth).to.be.at.most(el.clientWidth + 1);
    await expect(el).to.be.accessible();
    await unwrap(v1.contacts[':id'].$delete({ param: { id: c.id } }));
    const binned = await mount(c);
    await until(() => $(binned, '.note'), 'the read-only note');
    expect($(binned, '.add')).to.equal(null);
    expect($(binned, '.remove')).to.equal(null);
  });

  it('is the record’s Associations tab, after Activity', async () => {
    const c = await createContact({ firstName: 'Rec' });
    await types();
    const record = await inProvider<ContactRecord>(html`<contact-record style="width:1200px" contact-id=${c.id} tab="associations"></contact-record>`);
    await until(() => record.shadowRoot!.querySelector('contact-associations')?.shadowRoot?.querySelector('.toolbar'), 'the tab');
    const tabs = [...record.shadowRoot!.querySelectorAll('[data-strip=b] [role=tab]')].map((t) => t.textContent);
    expect(tabs.indexOf('Associations')).to.equal(tabs.indexOf('Activity') + 1);
  });
});

const d$$ = (d: AssociationDialog, sel: string) => [...d.shadowRoot!.querySelectorAll<HTMLElement>(sel)];
