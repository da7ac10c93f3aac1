import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { createContact, inProvider, until } from '../../../core/src/testing/fixtures.js';
import type { ContactJson, EnrolmentJson, WorkflowJson } from '../../../core/src/types.js';
import '../contact-record/contact-record.js';
import type { ContactRecord } from '../contact-record/contact-record.js';
import './contact-workflows.js';
import { host } from './host-for-tests.js';
import type { ContactWorkflows, WorkflowEnrollEvent, WorkflowRemoveEvent } from './contact-workflows.js';

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
const names = (el: ContactWorkflows, part: 'active' | 'past') => $$(el, `[part=${part}] .name`).map((n) => n.textContent);

const run = Math.random().toString(36).slice(2, 8);
const workflow = (key: string, name: string, status = 'active') => host<WorkflowJson>('PUT', `/workflows/${key}-${run}`, { name: `${name} ${run}`, status });

async function mount(contact: ContactJson, role: 'owner' | 'agent' = 'owner', theme = 'light', style = '') {
  const el = await inProvider<ContactWorkflows>(html`<contact-workflows style=${style} contact-id=${contact.id} theme=${theme}></contact-workflows>`, role);
  await until(() => $(el, '#wf-active'), 'workflows to load');
  return el;
}

describe('<contact-workflows>', () => {
  it('lists Active and Past with step and times, adds to an active workflow from a search, by keyboard; accessible', async () => {
    const nurture = await workflow('nurture', 'Lead nurture');
    await workflow('draft', 'Draft flow', 'draft');
    const onboarding = await workflow('onboard', 'Onboarding');
    const c = await createContact({ firstName: 'Walter' });
    await host('PUT', `/workflows/${nurture.hostId}/enrolments/e1-${run}`, { contactId: c.id, status: 'completed', step: 'Last call', enrolledAt: Date.now() - 86_400_000, endedAt: Date.now() - 3_600_000 });
    const el = await mount(c, 'agent');
    expect(names(el, 'active')).to.deep.equal([]);
    expect(names(el, 'past')).to.deep.equal([nurture.name]);
    expect($(el, '[part=past] .meta')!.textContent).to.contain('Completed').and.contain('Step: Last call').and.contain('completed');
    await expect(el).to.be.accessible();

    const enrolled: WorkflowEnrollEvent[] = [];
    el.addEventListener('workflow-enroll', (e) => enrolled.push(e));
    $(el, '.add')!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement!.id, 'focus in the search').to.equal('wf-search');
    await until(() => $$(el, '.choice').length, 'the active workflows');
    const choices = $$(el, '.choice').map((b) => b.textContent);
    expect(choices).to.include(nurture.name).and.include(onboarding.name);
    expect(choices.some((n) => n!.startsWith('Draft flow')), 'drafts are not offered').to.equal(false);
    await sendKeys({ type: `Onboarding ${run}` });
    await until(() => $$(el, '.choice').length === 1, 'the search to narrow the list');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement!.textContent).to.equal(onboarding.name);
    await sendKeys({ press: 'Enter' });
    await until(() => names(el, 'active').length === 1, 'the enrolment');
    expect(names(el, 'active')).to.deep.equal([onboarding.name]);
    expect($(el, '.picker')).to.equal(null);
    expect(enrolled.map((e) => [e.detail.contactId, e.detail.workflow.id, e.detail.enrolment.status])).to.deep.equal([[c.id, onboarding.id, 'enrolled']]);
    expect(el.shadowRoot!.activeElement!.classList.contains('add'), 'focus back on Add').to.equal(true);

    // Escape closes the chooser without adding.
    $(el, '.add')!.click();
    await el.updateComplete;
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect($(el, '.picker')).to.equal(null);
  });

  it('removes after confirming (moved to Past), and shows a refusal in place', async () => {
    const flow = await workflow('rm', 'Removal flow');
    const other = await workflow('rm2', 'Second flow');
    const c = await createContact({ firstName: 'Rémy' });
    const own = await host<EnrolmentJson>('PUT', `/workflows/${flow.hostId}/enrolments/rm-${run}`, { contactId: c.id, status: 'enrolled', step: 'Welcome email' });
    await host('PUT', `/workflows/${other.hostId}/enrolments/rm2-${run}`, { contactId: c.id, status: 'enrolled' });
    const el = await mount(c);
    expect(names(el, 'active')).to.have.members([flow.name, other.name]);
    expect($(el, `[data-enrolment="${own.id}"] .meta`)!.textContent).to.contain('Step: Welcome email').and.contain('since');
    const removed: WorkflowRemoveEvent[] = [];
    el.addEventListener('workflow-remove', (e) => removed.push(e));
    $(el, `[data-enrolment="${own.id}"] .remove`)!.click();
    const confirm = $(el, 'dossier-confirm')!;
    await until(() => confirm.shadowRoot?.querySelector('dialog[open]'), 'the confirmation');
    expect(confirm.shadowRoot!.textContent).to.contain(flow.name);
    const ok = confirm.shadowRoot!.querySelector<HTMLButtonElement>('button.primary')!;
    expect(ok.textContent).to.equal('Remove');
    ok.click();
    await until(() => names(el, 'past').includes(flow.name), 'moved to Past');
    expect(names(el, 'active')).to.deep.equal([other.name]);
    expect(removed.map((e) => e.detail.enrolment.status)).to.deep.equal(['stopped']);


    // The host made a workflow inactive while the chooser was open: the refusal shows in place, the search kept.
    $(el, '.add')!.click();
    await until(() => $$(el, '.choice').length, 'the active workflows');
    await sendKeys({ type: `Second ${run}` });
    await until(() => $$(el, '.choice').length === 0, 'the one already in is not offered');
    await sendKeys({ press: 'Escape' });
    const third = await workflow('rm3', 'Third flow');
    $(el, '.add')!.click();
    await until(() => $$(el, '.choice').some((b) => b.textContent === third.name), 'the third workflow offered');
    await workflow('rm3', 'Third flow', 'inactive');
    $$(el, '.choice').find((b) => b.textContent === third.name)!.click();
    await until(() => $(el, '.picker .field-error'), 'the refusal');
    expect($(el, '.picker .field-error')!.textContent).to.contain('not active');
    expect($(el, '.picker')).not.to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows enrolments the host records live, in the dark theme at 390 px; read-only in the restore bin', async () => {
    const flow = await workflow('live', 'Live flow');
    const c = await createContact({ firstName: 'Lively' });
    const el = await mount(c, 'agent', 'dark', 'width:390px');
    await new Promise((r) => setTimeout(r, 300));
    await host('PUT', `/workflows/${flow.hostId}/enrolments/live-${run}`, { contactId: c.id, status: 'enrolled', step: 'A very long step name that must wrap inside a narrow panel without overflowing' });
    await until(() => names(el, 'active').includes(flow.name), 'the live enrolment', 8000);
    expect(el.scrollWidth).to.be.at.most(390);
    await expect(el).to.be.accessible();

    const binned = await createContact({ firstName: 'Binned' });
    await host('PUT', `/workflows/${flow.hostId}/enrolments/bin-${run}`, { contactId: binned.id, status: 'enrolled' });
    await host('DELETE', `/contacts/${binned.id}`);
    const ro = await mount(binned);
    await until(() => $(ro, '.readonly'), 'the read-only note');
    expect($(ro, '.add')).to.equal(null);
    expect($(ro, '.remove')).to.equal(null);
  });

  it('is the Actions panel’s Workflows section in the record, and the Contact tab lists the active ones', async () => {
    const flow = await workflow('rec', 'Record flow');
    const c = await createContact({ firstName: 'Recorded' });
    await host('PUT', `/workflows/${flow.hostId}/enrolments/rec-${run}`, { contactId: c.id, status: 'enrolled', step: 'Day 2' });
    const record = await inProvider<ContactRecord>(html`<contact-record style="width:1200px" contact-id=${c.id}></contact-record>`);
    const section = await until(() => record.shadowRoot!.querySelector('[data-action=workflows] contact-workflows'), 'the Workflows section').then(() => record.shadowRoot!.querySelector<ContactWorkflows>('[data-action=workflows] contact-workflows')!);
    await until(() => names(section, 'active').includes(flow.name), 'the enrolment in the section');
    expect(record.shadowRoot!.querySelector('[data-action=workflows] summary')!.textContent).to.equal('Workflows');
    expect(record.shadowRoot!.querySelector('[data-action=portal] summary')!.textContent).to.equal('Client portal');
    const summary = await until(() => record.shadowRoot!.querySelector('dossier-enrolled-workflows')?.shadowRoot?.querySelector('li'), 'the Contact tab list').then(() => record.shadowRoot!.querySelector('dossier-enrolled-workflows')!);
    expect(summary.shadowRoot!.querySelector('li')!.textContent).to.contain(flow.name).and.contain('Step: Day 2');
  });
});
