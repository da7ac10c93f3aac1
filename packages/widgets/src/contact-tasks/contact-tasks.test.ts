import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { unwrap } from '../../../core/src/api.js';
import { clientFor, createContact, inProvider, tokenFor, type, until } from '../../../core/src/testing/fixtures.js';
import type { ContactJson, TaskJson } from '../../../core/src/types.js';
import '../contact-record/contact-record.js';
import type { ContactRecord } from '../contact-record/contact-record.js';
import './contact-tasks.js';
import type { ContactTasks, TaskChangeEvent } from './contact-tasks.js';
import { dueState, fromLocalInput, toLocalInput } from './due.js';

const HOUR = 3_600_000;
const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
const titles = (el: ContactTasks) => $$(el, '.task .title').map((b) => b.textContent);

async function mount(contact: ContactJson, role: 'owner' | 'agent' = 'owner', theme = 'light') {
  const el = await inProvider<ContactTasks>(html`<contact-tasks contact-id=${contact.id} theme=${theme}></contact-tasks>`, role);
  await until(() => $(el, '.toolbar'), 'tasks to load');
  return el;
}

async function addTask(contactId: string, body: { title: string; dueAt: number; assigneeId?: string }, role: 'owner' | 'agent' = 'owner') {
  const assigneeId = body.assigneeId ?? (await tokenFor(role)).memberId;
  return unwrap(clientFor(role).api.api.v1.contacts[':id'].tasks.$post({ param: { id: contactId }, json: { ...body, assigneeId } })) as Promise<TaskJson>;
}

describe('due dates', () => {
  it('round-trips local input values and tells overdue from due today', () => {
    const ms = new Date(2026, 11, 7, 9, 30).getTime();
    expect(toLocalInput(ms)).to.equal('2026-12-07T09:30');
    expect(fromLocalInput('2026-12-07T09:30')).to.equal(ms);
    expect(fromLocalInput('')).to.equal(null);
    expect(dueState({ status: 'open', dueAt: ms - 1 }, ms)).to.equal('overdue');
    expect(dueState({ status: 'open', dueAt: ms + HOUR }, ms)).to.equal('today');
    expect(dueState({ status: 'open', dueAt: ms + 24 * HOUR }, ms)).to.equal('');
    expect(dueState({ status: 'completed', dueAt: ms - 1 }, ms)).to.equal('');
  });
});

describe('<contact-tasks>', () => {
  it('creates a task with the form, refusing it without a title and keeping what was typed; accessible', async () => {
    const c = await createContact({ firstName: 'Tasha' });
    const el = await mount(c);
    expect($(el, '.empty')!.textContent).to.equal('No tasks here.');
    const changes: TaskChangeEvent[] = [];
    el.addEventListener('task-change', (e) => changes.push(e));
    $(el, '.add')!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement!.id, 'focus in the title').to.equal('task-title');
    type($<HTMLTextAreaElement>(el, '#task-description')!, 'Bring the contract');
    await el.updateComplete;
    $<HTMLButtonElement>(el, '.form button[type=submit]')!.click();
    await el.updateComplete;
    expect($(el, '.form .field-error')!.textContent).to.contain('Fill in the title');
    expect($(el, '#task-title')!.getAttribute('aria-invalid')).to.equal('true');
    expect($<HTMLTextAreaElement>(el, '#task-description')!.value).to.equal('Bring the contract');
    await expect(el).to.be.accessible();

    type($<HTMLInputElement>(el, '#task-title')!, 'Meet at the office');
    await el.updateComplete;
    $<HTMLButtonElement>(el, '.form button[type=submit]')!.click();
    await until(() => titles(el).length === 1, 'the new task');
    expect(titles(el)).to.deep.equal(['Meet at the office']);
    expect($(el, '.task .description')!.textContent).to.equal('Bring the contract');
    expect($(el, '.task .meta')!.textContent).to.contain('Owner Tester');
    expect(changes.map((e) => e.detail.action)).to.deep.equal(['created']);
    await expect(el).to.be.accessible();
  });

  it('completes and reopens with the check box, edits, and deletes after confirming', async () => {
    const c = await createContact({ firstName: 'Cora' });
    await addTask(c.id, { title: 'Call back', dueAt: Date.now() + 2 * HOUR });
    const el = await mount(c);
    el.view = 'all';
    await until(() => titles(el).length === 1, 'the task');
    const box = $<HTMLInputElement>(el, '.task .done')!;
    expect(box.getAttribute('aria-label')).to.equal('Mark “Call back” complete');
    box.focus();
    await sendKeys({ press: 'Space' });
    await until(() => $(el, '.task.completed'), 'completed');
    expect($(el, '.task .meta')!.textContent).to.contain('by Owner Tester');
    $<HTMLInputElement>(el, '.task .done')!.click();
    await until(() => $(el, '.task.open'), 'reopened');

    $(el, '.task .edit')!.click();
    await el.updateComplete;
    type($<HTMLInputElement>(el, '#task-title')!, 'Call back about pricing');
    await el.updateComplete;
    $<HTMLButtonElement>(el, '.form button[type=submit]')!.click();
    await until(() => titles(el)[0] === 'Call back about pricing', 'the edit');
    expect(el.shadowRoot!.activeElement, 'focus back on Edit').to.equal($(el, '.task .edit'));

    $(el, '.task .delete')!.click();
    const confirm = $(el, 'dossier-confirm')!;
    await until(() => confirm.shadowRoot?.querySelector('dialog[open]'), 'the confirmation');
    [...confirm.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Delete')!.click();
    await until(() => titles(el).length === 0, 'deleted');
  });

  it('filters open / overdue / mine / completed, searches and sorts by due date', async () => {
    const c = await createContact({ firstName: 'Filtra' });
    const now = Date.now();
    await addTask(c.id, { title: 'Overdue call', dueAt: now - HOUR });
    await addTask(c.id, { title: 'Agent email', dueAt: now + 30 * HOUR }, 'agent');
    const done = await addTask(c.id, { title: 'Done visit', dueAt: now + 10 * HOUR });
    await unwrap(clientFor('owner').api.api.v1.contacts[':id'].tasks[':taskId'].$patch({ param: { id: c.id, taskId: done.id }, json: { status: 'completed' } }));
    const el = await mount(c);
    expect(titles(el)).to.deep.equal(['Overdue call', 'Agent email']);
    expect($(el, '.task .badge.overdue')!.textContent).to.equal('Overdue');
    const pick = async (view: string) => {
      const select = $<HTMLSelectElement>(el, 'select.view')!;
      select.value = view;
      select.dispatchEvent(new Event('change'));
      await el.updateComplete;
      await new Promise((r) => setTimeout(r, 150));
    };
    await pick('overdue');
    await until(() => titles(el).join() === 'Overdue call', 'overdue');
    await pick('mine');
    await until(() => titles(el).join() === 'Overdue call', 'mine (the owner’s open tasks)');
    await pick('completed');
    await until(() => titles(el).join() === 'Done visit', 'completed');
    await pick('all');
    await until(() => titles(el).length === 3, 'all');
    const dir = $<HTMLSelectElement>(el, 'select.dir')!;
    dir.value = 'desc';
    dir.dispatchEvent(new Event('change'));
    await until(() => titles(el)[0] === 'Agent email', 'latest due first');
    type($<HTMLInputElement>(el, 'input[type=search]')!, 'visit');
    await until(() => titles(el).join() === 'Done visit', 'the search');
  });

  it('shows tasks made elsewhere live, in the dark theme, and hides Delete of others’ tasks from agents', async () => {
    const c = await createContact({ firstName: 'Lively' });
    await addTask(c.id, { title: 'Owner’s task', dueAt: Date.now() + 50 * HOUR });
    const el = await mount(c, 'agent', 'dark');
    await until(() => titles(el).length === 1, 'the task');
    expect($(el, '.task .delete')).to.equal(null);
    expect($(el, '.task .edit')).not.to.equal(null);
    await new Promise((r) => setTimeout(r, 300));
    await addTask(c.id, { title: 'Made elsewhere', dueAt: Date.now() + 60 * HOUR });
    await until(() => titles(el).includes('Made elsewhere'), 'the live task', 8000);
    await expect(el).to.be.accessible();
  });

  it('puts a badge in the record header for a task overdue or due today, which opens Tasks', async () => {
    const c = await createContact({ firstName: 'Badger' });
    await addTask(c.id, { title: 'Late', dueAt: Date.now() - HOUR });
    const record = await inProvider<ContactRecord>(html`<contact-record style="width:1200px" contact-id=${c.id}></contact-record>`);
    await until(() => record.shadowRoot!.querySelector('header .due'), 'the badge');
    const badge = record.shadowRoot!.querySelector<HTMLButtonElement>('header .due')!;
    expect(badge.textContent).to.equal('1 task overdue');
    badge.click();
    await record.updateComplete;
    expect(record.shadowRoot!.querySelector('[data-strip=b] [aria-selected=true]')!.textContent).to.equal('Tasks');
    const tasks = await until(() => record.shadowRoot!.querySelector('contact-tasks')?.shadowRoot?.querySelector('.task .done'), 'the tasks tab').then(() => record.shadowRoot!.querySelector('contact-tasks')!);
    tasks.shadowRoot!.querySelector<HTMLInputElement>('.task .done')!.click();
    await until(() => !record.shadowRoot!.querySelector('header .due'), 'the badge gone once the task is done');
  });
});
