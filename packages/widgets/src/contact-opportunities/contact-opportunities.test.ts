import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { unwrap } from '../../../core/src/api.js';
import { choose, clientFor, createContact, inProvider, type, until } from '../../../core/src/testing/fixtures.js';
import type { ContactJson, OpportunityJson, PipelineJson } from '../../../core/src/types.js';
import '../contact-record/contact-record.js';
import type { ContactRecord } from '../contact-record/contact-record.js';
import './contact-opportunities.js';
import type { ContactOpportunities } from './contact-opportunities.js';
import type { OpportunityChangeEvent, OpportunityOpenEvent } from './events.js';
import { formatMoney, parseMoney } from './money.js';
import type { OpportunityDialog } from './opportunity-dialog.js';
import type { PipelineDialog } from './pipeline-dialog.js';

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
const names = (el: ContactOpportunities) => $$(el, '.card .name').map((b) => b.textContent);
const card = (el: ContactOpportunities, name: string) => $$(el, '.card').find((c) => c.querySelector('.name')!.textContent === name)!;

let pipeline: PipelineJson;
async function thePipeline() {
  pipeline ??= await unwrap(clientFor('owner').api.api.v1.pipelines.$post({ json: { name: `Sales ${Date.now()}`, stages: ['Lead', 'Qualified', 'Proposal'] } }));
  return pipeline;
}
async function createViaApi(contactId: string, name: string, extra: Record<string, unknown> = {}) {
  const p = await thePipeline();
  return unwrap(clientFor('owner').api.api.v1.opportunities.$post({ json: { name, pipelineId: p.id, currency: 'USD', value: 250000, contactId, ...extra } })) as Promise<OpportunityJson>;
}
async function mount(contact: ContactJson, role: 'owner' | 'manager' | 'agent' = 'owner', theme = 'light') {
  await thePipeline();
  const el = await inProvider<ContactOpportunities>(html`<contact-opportunities contact-id=${contact.id} theme=${theme}></contact-opportunities>`, role);
  await until(() => $(el, '.toolbar') && !$<HTMLButtonElement>(el, '.new')?.disabled, 'opportunities to load');
  return el;
}
async function openDialog(el: ContactOpportunities) {
  $(el, '.new')!.click();
  await until(() => $<OpportunityDialog>(el, 'dossier-opportunity-dialog')?.shadowRoot?.querySelector('dialog[open]'), 'the dialog');
  return $<OpportunityDialog>(el, 'dossier-opportunity-dialog')!;
}

describe('money', () => {
  it('parses what people type into exact minor units, and formats them in the currency', () => {
    const cases: [string, string, number | null][] = [
      ['1234.56', 'USD', 123456], ['1,234.56', 'USD', 123456], ['1.234,56', 'EUR', 123456], ['12,50', 'EUR', 1250], ['0.1', 'USD', 10],
      ['1,234', 'USD', 123400], ['1 234', 'JPY', 1234], ['1.5', 'JPY', null], ['1.234', 'KWD', 1234], ['12.345.678,9', 'EUR', 1234567890],
      ['', 'USD', 0], ['abc', 'USD', null], ['-5', 'USD', null], ['1.999', 'USD', 199900],
    ];
    for (const [text, currency, minor] of cases) expect(parseMoney(text, currency), `${text} ${currency}`).to.equal(minor);
    expect(formatMoney(123456, 'USD')).to.equal('$1,234.56');
    expect(formatMoney(1234, 'JPY')).to.equal('¥1,234');
    expect(formatMoney(5, 'EUR')).to.equal('€0.05');
    expect(formatMoney(900719925474099, 'USD')).to.equal('$9,007,199,254,740.99', 'no float rounding');
  });
});

describe('<contact-opportunities>', function () {
  this.timeout(30_000);

  it('creates one in the dialog with every field; refusals show by the field and keep what was typed; accessible', async () => {
    const c = await createContact({ firstName: 'Olga', lastName: 'Opps' });
    const el = await mount(c);
    expect($(el, '.empty')!.textContent).to.equal('No opportunities yet.');
    await expect(el).to.be.accessible();
    const changes: OpportunityChangeEvent[] = [];
    el.addEventListener('opportunity-change', (e) => changes.push(e));
    const d = await openDialog(el);
    const q = <T extends Element = HTMLElement>(sel: string) => d.shadowRoot!.querySelector<T>(sel)!;
    expect(d.shadowRoot!.activeElement).to.equal(q('#opp-name'));
    await expect(d).to.be.accessible();
    // Empty name and a value that is no amount: refused in place, the typed value kept.
    type(q('#opp-value'), '12 dollars');
    q<HTMLButtonElement>('button[type=submit]').click();
    await until(() => q('#opp-name').getAttribute('aria-invalid') === 'true', 'the name refused');
    expect(q('#opp-value').getAttribute('aria-invalid')).to.equal('true');
    expect(q<HTMLInputElement>('#opp-value').value).to.equal('12 dollars');
    type(q('#opp-name'), 'Fleet renewal');
    choose(q('#opp-pipeline'), pipeline.id);
    // The stage list follows the pipeline on the next render (another test file's pipeline may be the first).
    await d.updateComplete;
    choose(q('#opp-stage'), pipeline.stages[1]!.id);
    choose(q('#opp-currency'), 'EUR');
    type(q('#opp-value'), '12.500,50');
    type(q('#opp-source'), 'Trade fair');
    choose(q('#opp-close'), '2027-06-30');
    q<HTMLButtonElement>('button[type=submit]').click();
    await until(() => names(el).includes('Fleet renewal'), 'the card');
    const created = card(el, 'Fleet renewal');
    expect(created.querySelector('.value')!.textContent).to.equal('€12,500.50');
    expect(created.querySelector('.path')!.textContent).to.equal(`${pipeline.name} › Qualified`);
    expect(created.querySelector('.badge')!.textContent).to.equal('Open');
    expect(created.querySelector('.meta')!.textContent).to.contain('Closes Jun 30, 2027').and.contain('Owner: Owner Tester');
    expect(el.shadowRoot!.activeElement).to.equal(created.querySelector('.name'));
    expect(changes.map((e) => [e.detail.action, e.detail.opportunity.value, e.detail.opportunity.currency, e.detail.opportunity.source])).to.deep.equal([['created', 1250050, 'EUR', 'Trade fair']]);
    expect($(el, 'dossier-opportunity-dialog')).to.equal(null, 'the dialog is gone');

    // A server refusal (the pipeline was removed meanwhile: here, a stage of another pipeline) shows in the dialog.
    const d2 = await openDialog(el);
    const q2 = <T extends Element = HTMLElement>(sel: string) => d2.shadowRoot!.querySelector<T>(sel)!;
    type(q2('#opp-name'), 'Kept name');
    d2.draft = { ...d2.draft, stageId: 'ps_gone' };
    q2<HTMLButtonElement>('button[type=submit]').click();
    await until(() => q2('#opp-stage').getAttribute('aria-invalid') === 'true', 'the stage refused');
    expect(q2<HTMLInputElement>('#opp-name').value).to.equal('Kept name');
    q2<HTMLButtonElement>('button.btn:not([type=submit])').click();
    await until(() => !$(el, 'dossier-opportunity-dialog'), 'the dialog closed');
    expect(names(el)).to.deep.equal(['Fleet renewal']);
  });

  it('moves the stage, marks won, lost with a reason, reopens, shows a refusal on the card, and opens one', async () => {
    const c = await createContact({ firstName: 'Stan', lastName: 'Stages' });
    const o = await createViaApi(c.id, 'Stage mover');
    const el = await mount(c);
    const changes: string[] = [];
    el.addEventListener('opportunity-change', (e) => changes.push(`${e.detail.action}:${e.detail.opportunity.stage.name}:${e.detail.opportunity.status}`));
    choose(card(el, 'Stage mover').querySelector<HTMLSelectElement>('.stage')!, pipeline.stages[2]!.id);
    await until(() => card(el, 'Stage mover').querySelector('.path')!.textContent!.endsWith('Proposal'), 'the stage moved');
    choose(card(el, 'Stage mover').querySelector<HTMLSelectElement>('.status')!, 'won');
    await until(() => card(el, 'Stage mover').querySelector('.badge')!.textContent === 'Won', 'won');
    choose(card(el, 'Stage mover').querySelector<HTMLSelectElement>('.status')!, 'lost');
    await until(() => card(el, 'Stage mover').querySelector('.lost-form input'), 'the lost form');
    const reason = card(el, 'Stage mover').querySelector<HTMLInputElement>('.lost-form input')!;
    expect(el.shadowRoot!.activeElement).to.equal(reason);
    type(reason, 'Went with a competitor');
    card(el, 'Stage mover').querySelector<HTMLButtonElement>('.lost-form button[type=submit]')!.click();
    await until(() => card(el, 'Stage mover').querySelector('.badge')!.textContent === 'Lost', 'lost');
    expect(card(el, 'Stage mover').querySelector('.meta')!.textContent).to.contain('Went with a competitor');
    choose(card(el, 'Stage mover').querySelector<HTMLSelectElement>('.status')!, 'open');
    await until(() => card(el, 'Stage mover').querySelector('.badge')!.textContent === 'Open', 'reopened');
    expect(changes).to.deep.equal(['stage_changed:Proposal:open', 'status_changed:Proposal:won', 'status_changed:Proposal:lost', 'status_changed:Proposal:open']);
    const saved = await unwrap(clientFor('owner').api.api.v1.opportunities[':id'].$get({ param: { id: o.id } }));
    expect([saved.stage.name, saved.status, saved.lostReason]).to.deep.equal(['Proposal', 'open', null]);

    // Deleted elsewhere: the change is refused on the card, the select shows the saved stage again.
    await unwrap(clientFor('owner').api.api.v1.opportunities[':id'].$delete({ param: { id: o.id } }));
    choose(card(el, 'Stage mover').querySelector<HTMLSelectElement>('.stage')!, pipeline.stages[0]!.id);
    await until(() => card(el, 'Stage mover')?.querySelector('[role=alert]') || !card(el, 'Stage mover'), 'the refusal (or the live removal)');

    const other = await createViaApi(c.id, 'Openable');
    await until(() => names(el).includes('Openable'), 'the live card', 8000);
    const opened: OpportunityOpenEvent[] = [];
    el.addEventListener('opportunity-open', (e) => opened.push(e), { once: true });
    card(el, 'Openable').querySelector<HTMLButtonElement>('.name')!.click();
    expect(opened.map((e) => e.detail)).to.deep.equal([{ id: other.id, contactId: c.id }]);
    expect(opened[0]!.bubbles && opened[0]!.composed).to.equal(true);
  });

  it('links an existing one found by search with the keyboard, and unlinks it (the opportunity stays)', async () => {
    const c = await createContact({ firstName: 'Lena', lastName: 'Links' });
    const someoneElse = await createContact({ firstName: 'Other' });
    const o = await createViaApi(someoneElse.id, `Shared deal ${Date.now()}`);
    const el = await mount(c);
    $(el, '.existing')!.click();
    await until(() => $(el, '#opp-find'), 'the search');
    const input = $<HTMLInputElement>(el, '#opp-find')!;
    expect(el.shadowRoot!.activeElement).to.equal(input);
    input.focus();
    await sendKeys({ type: 'Shared deal' });
    const result = () => $$(el, '.found button').find((b) => b.getAttribute('aria-label') === `Link ${o.name}`);
    await until(result, 'the result');
    const button = result()!;
    await sendKeys({ press: 'ArrowDown' });
    expect(el.shadowRoot!.activeElement?.classList.contains('link')).to.equal(true);
    await expect(el).to.be.accessible();
    button.click();
    await until(() => names(el).includes(o.name), 'linked');
    const linked = await unwrap(clientFor('owner').api.api.v1.opportunities[':id'].$get({ param: { id: o.id } }));
    expect(linked.contacts.map((x) => [x.id, x.role])).to.deep.equal([[someoneElse.id, 'primary'], [c.id, 'associated']]);
    // Shown with the primary contact's picture.
    expect(card(el, o.name).querySelector('dossier-avatar')!.getAttribute('title')).to.equal('Primary contact: Other');

    card(el, o.name).querySelector<HTMLButtonElement>('.unlink')!.click();
    await until(() => !names(el).includes(o.name), 'unlinked');
    const after = await unwrap(clientFor('owner').api.api.v1.opportunities[':id'].$get({ param: { id: o.id } }));
    expect(after.contacts.map((x) => x.id)).to.deep.equal([someoneElse.id]);
    // Escape closes the search and gives focus back.
    $(el, '.existing')!.click();
    await until(() => $(el, '#opp-find'), 'the search again');
    $(el, '#opp-find')!.focus();
    await sendKeys({ press: 'Escape' });
    await until(() => !$(el, '#opp-find'), 'closed');
    expect(el.shadowRoot!.activeElement).to.equal($(el, '.existing'));
  });

  it('follows changes made elsewhere live; dark theme and narrow width; read-only in the restore bin', async () => {
    const c = await createContact({ firstName: 'Dora', lastName: 'Dark' });
    const o = await createViaApi(c.id, 'Long name '.repeat(8).trim(), { value: 99 });
    const el = await mount(c, 'agent', 'dark');
    el.style.width = '360px';
    // The live stream opens after the first load.
    await new Promise((r) => setTimeout(r, 500));
    await unwrap(clientFor('owner').api.api.v1.opportunities[':id'].$patch({ param: { id: o.id }, json: { status: 'won' } }));
    await until(() => $(el, '.card .badge')?.textContent === 'Won', 'the live change', 8000);
    expect(el.scrollWidth).to.be.at.most(el.clientWidth + 1, 'nothing overflows at 360 px');
    await expect(el).to.be.accessible();
    await unwrap(clientFor('owner').api.api.v1.contacts[':id'].$delete({ param: { id: c.id } }));
    const bin = await inProvider<ContactOpportunities>(html`<contact-opportunities contact-id=${c.id}></contact-opportunities>`);
    await until(() => $(bin, '.readonly') && $(bin, '.card'), 'the read-only list');
    expect($(bin, '.readonly')).to.not.equal(null);
    expect($(bin, '.controls')).to.equal(null);
  });

  it('is the record’s Actions section, and its Contact tab lists the open ones (a click opens one)', async () => {
    const c = await createContact({ firstName: 'Rita', lastName: 'Record' });
    const open = await createViaApi(c.id, 'Active in tab');
    await createViaApi(c.id, 'Won and gone', { status: 'won' });
    const record = await inProvider<ContactRecord>(html`<contact-record style="width:1200px" contact-id=${c.id}></contact-record>`);
    await until(() => record.shadowRoot!.querySelector('[data-action=opportunities]'), 'the Actions section');
    const section = record.shadowRoot!.querySelector('[data-action=opportunities]')!;
    expect(section.querySelector('summary')!.textContent).to.equal('Opportunities');
    const inner = await until(() => section.querySelector('contact-opportunities')?.shadowRoot?.querySelector('.card'), 'the cards').then(() => section.querySelector('contact-opportunities')!);
    expect(names(inner)).to.deep.equal(['Active in tab', 'Won and gone']);
    const list = await until(() => record.shadowRoot!.querySelector('dossier-active-opportunities')?.shadowRoot?.querySelector('button'), 'the Contact tab list').then(() => record.shadowRoot!.querySelector('dossier-active-opportunities')!);
    expect([...list.shadowRoot!.querySelectorAll('.name')].map((n) => n.textContent)).to.deep.equal(['Active in tab']);
    const opened: OpportunityOpenEvent[] = [];
    record.addEventListener('opportunity-open', (e) => opened.push(e));
    list.shadowRoot!.querySelector('button')!.click();
    expect(opened.map((e) => e.detail)).to.deep.equal([{ id: open.id, contactId: c.id }]);
  });
});

describe('Manage pipelines (<contact-opportunities> for pipelines.manage)', function () {
  this.timeout(30_000);

  async function openManage(el: ContactOpportunities, button = '.manage') {
    $(el, button)!.click();
    await until(() => $<PipelineDialog>(el, 'dossier-pipeline-dialog')?.shadowRoot?.querySelector('dialog[open]'), 'the pipelines dialog');
    const d = $<PipelineDialog>(el, 'dossier-pipeline-dialog')!;
    const q = <T extends Element = HTMLElement>(sel: string) => d.shadowRoot!.querySelector<T>(sel)!;
    const section = (name: string) => [...d.shadowRoot!.querySelectorAll<HTMLElement>('.pipeline')].find((s) => s.getAttribute('aria-label') === name)!;
    const stages = (name: string) => [...section(name).querySelectorAll<HTMLInputElement>('li input')].map((i) => i.value);
    return { d, q, section, stages };
  }

  it('is offered to managers only; creates, renames and deletes pipelines and edits their stages, refusals in place; the cards follow', async () => {
    const c = await createContact({ firstName: 'Pia', lastName: 'Pipes' });
    const agentView = await mount(c, 'agent');
    expect($(agentView, '.manage')).to.equal(null, 'agents have no pipelines.manage');

    const el = await mount(c, 'manager');
    const { d, q, section, stages } = await openManage(el);
    expect(d.shadowRoot!.activeElement).to.equal(q('.pipeline input'), 'focus starts in the dialog');
    await expect(d).to.be.accessible();

    // Create: both fields are required (refused in place); then the pipeline is listed with its stages.
    q<HTMLButtonElement>('.create-button').click();
    await until(() => q('#pipe-new').getAttribute('aria-invalid') === 'true', 'the name required');
    expect(q('#pipe-new-stages').getAttribute('aria-invalid')).to.equal('true');
    const name = `Renewals ${Date.now()}`;
    type(q('#pipe-new'), name);
    type(q<HTMLInputElement>('#pipe-new-stages'), 'Due\n\n Contacted \nRenewed');
    q<HTMLButtonElement>('.create-button').click();
    await until(() => section(name), 'the new pipeline');
    expect(stages(name)).to.deep.equal(['Due', 'Contacted', 'Renewed']);
    expect(q<HTMLInputElement>('#pipe-new').value).to.equal('', 'the form is emptied after creating');
    const created = (await unwrap(clientFor('owner').api.api.v1.pipelines.$get())).items.find((p) => p.name === name)!;

    // Rename the pipeline (Enter saves) and add a stage.
    const nameInput = section(name).querySelector<HTMLInputElement>('.row input')!;
    nameInput.focus();
    type(nameInput, `${name}!`);
    await sendKeys({ press: 'Enter' });
    await until(() => section(`${name}!`), 'renamed');
    const sec = () => section(`${name}!`);
    type(sec().querySelector<HTMLInputElement>(`[data-key="add:${created.id}"]`)!, 'Lost touch');
    sec().querySelector<HTMLButtonElement>('.add')!.click();
    await until(() => stages(`${name}!`).length === 4, 'the stage added');
    expect(d.shadowRoot!.activeElement).to.equal(sec().querySelector(`[data-key="add:${created.id}"]`), 'focus stays to add another');
    // A stage name already taken: the server's reason shows by the field, the text stays.
    type(sec().querySelector<HTMLInputElement>(`[data-key="add:${created.id}"]`)!, 'due');
    sec().querySelector<HTMLButtonElement>('.add')!.click();
    await until(() => sec().querySelector(`#err-add\\:${created.id}`), 'the duplicate refused');
    expect(sec().querySelector(`#err-add\\:${created.id}`)!.textContent).to.contain('already has a stage named');
    expect(sec().querySelector<HTMLInputElement>(`[data-key="add:${created.id}"]`)!.value).to.equal('due');

    // Reorder with the buttons (focus stays on the button) and with Alt+↓ in a stage's name.
    const row = (stage: string) => [...sec().querySelectorAll<HTMLElement>('li')].find((li) => li.querySelector('input')!.value === stage)!;
    row('Contacted').querySelector<HTMLButtonElement>('.up')!.click();
    await until(() => stages(`${name}!`)[0] === 'Contacted', 'moved up');
    expect(d.shadowRoot!.activeElement).to.equal(row('Contacted').querySelector('.down'), 'at the top, focus moves to its Move down button');
    row('Contacted').querySelector('input')!.focus();
    await sendKeys({ press: 'Alt+ArrowDown' });
    await until(() => stages(`${name}!`).join() === 'Due,Contacted,Renewed,Lost touch', 'moved down by keyboard');
    expect(d.shadowRoot!.activeElement).to.equal(row('Contacted').querySelector('input'));

    // A stage in use is refused with the server's reason; the rename typed into it stays.
    await unwrap(clientFor('owner').api.api.v1.opportunities.$post({ json: { name: 'In Due', pipelineId: created.id, currency: 'USD', contactId: c.id } }));
    const due = row('Due').querySelector('input')!;
    type(due, 'Due soon');
    row('Due soon').querySelector<HTMLButtonElement>('.remove')!.click();
    await until(() => row('Due soon').querySelector('[role=alert]'), 'the refusal');
    expect(row('Due soon').querySelector('[role=alert]')!.textContent).to.equal('1 opportunity is in the stage “Due”; move it to another stage first.');
    expect(row('Due soon').querySelector('input')!.value).to.equal('Due soon');
    row('Due soon').querySelector<HTMLButtonElement>('.rename')!.click();
    await until(() => !row('Due soon').querySelector('.rename'), 'the stage renamed');
    // An empty stage goes; focus moves to the next one.
    row('Renewed').querySelector<HTMLButtonElement>('.remove')!.click();
    await until(() => !stages(`${name}!`).includes('Renewed'), 'deleted');
    expect(d.shadowRoot!.activeElement).to.equal(row('Lost touch').querySelector('input'));

    // A pipeline in use is not deleted (the reason shows under its name).
    sec().querySelector<HTMLButtonElement>('.delete')!.click();
    await until(() => sec().querySelector(`#err-p\\:${created.id}`), 'the pipeline refusal');
    expect(sec().querySelector(`#err-p\\:${created.id}`)!.textContent).to.match(/^1 opportunity is in the pipeline/);

    // Escape in a changed name puts the saved one back (the dialog stays); a second Escape closes it, focus returns to
    // Manage pipelines, and the cards show the new names.
    const lost = row('Lost touch').querySelector('input')!;
    lost.focus();
    type(lost, 'Typo');
    await sendKeys({ press: 'Escape' });
    await until(() => row('Lost touch'), 'the saved name back');
    expect(d.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
    row('Lost touch').querySelector('input')!.focus();
    await sendKeys({ press: 'Escape' });
    await until(() => !$(el, 'dossier-pipeline-dialog'), 'the dialog closed');
    await until(() => el.shadowRoot!.activeElement === $(el, '.manage'), 'focus back on Manage pipelines');
    await until(() => card(el, 'In Due')?.querySelector('.path')!.textContent === `${name}! › Due soon`, 'the card shows the new names');
    expect([...card(el, 'In Due').querySelectorAll('.stage option')].map((o) => o.textContent)).to.deep.equal(['Due soon', 'Contacted', 'Lost touch']);
  });

  it('offers “Create one” when there is no pipeline; the last stage and an unused pipeline', async () => {
    const c = await createContact({ firstName: 'Nina', lastName: 'None' });
    const el = await mount(c, 'owner', 'dark');
    el.pipelines = []; // as the element shows a workspace without pipelines
    await until(() => $(el, '.create-pipeline'), 'the empty state');
    expect($(el, '.no-pipelines')!.textContent).to.contain('No pipelines yet.');
    expect($<HTMLButtonElement>(el, '.new')!.disabled).to.equal(true);
    const { d, q, section, stages } = await openManage(el, '.create-pipeline');
    await expect(d).to.be.accessible();
    const name = `Solo ${Date.now()}`;
    type(q('#pipe-new'), name);
    type(q<HTMLInputElement>('#pipe-new-stages'), 'Only');
    q<HTMLButtonElement>('.create-button').click();
    await until(() => section(name), 'created');
    section(name).querySelector<HTMLButtonElement>('li .remove')!.click();
    await until(() => section(name).querySelector('li [role=alert]'), 'the last stage refused');
    expect(section(name).querySelector('li [role=alert]')!.textContent).to.equal('A pipeline keeps at least one stage.');
    expect(stages(name)).to.deep.equal(['Only']);
    section(name).querySelector<HTMLButtonElement>('.delete')!.click();
    await until(() => !section(name), 'the unused pipeline deleted');
    q<HTMLButtonElement>('.actions .btn:not(.primary)').click();
    await until(() => !$(el, 'dossier-pipeline-dialog'), 'closed');
    await until(() => !$<HTMLButtonElement>(el, '.new')!.disabled, 'reloaded: the workspace has pipelines again');
  });
});
