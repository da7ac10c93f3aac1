import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { unwrap } from '../../../core/src/api.js';
import { clientFor, createContact, inProvider, until } from '../../../core/src/testing/fixtures.js';
import type { ContactJson, NoteJson } from '../../../core/src/types.js';
import './contact-notes.js';
import type { ContactNotes, NoteChangeEvent } from './contact-notes.js';
import { noteParts } from './note-text.js';

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
const bodies = (el: ContactNotes) => $$(el, '.note .body').map((b) => b.textContent);

async function mount(contact: ContactJson, role: 'owner' | 'manager' | 'agent' = 'owner', theme = '') {
  const el = await inProvider<ContactNotes>(html`<contact-notes contact-id=${contact.id} theme=${theme || 'light'}></contact-notes>`, role);
  await until(() => $(el, '.toolbar'), 'notes to load');
  return el;
}

const addNote = (contactId: string, body: string, role: 'owner' | 'agent' = 'owner', pinned = false) =>
  unwrap(clientFor(role).api.api.v1.contacts[':id'].notes.$post({ param: { id: contactId }, json: { body, pinned } })) as Promise<NoteJson>;

function type(field: HTMLTextAreaElement | HTMLInputElement, value: string) {
  field.focus();
  field.value = value;
  field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

describe('noteParts', () => {
  it('links http(s) addresses only, without the punctuation after them', () => {
    expect(noteParts('See https://example.com/a?b=1. And javascript:alert(1) or <b>x</b>')).to.deep.equal([
      'See ',
      { href: 'https://example.com/a?b=1' },
      '. And javascript:alert(1) or <b>x</b>',
    ]);
  });
});

describe('<contact-notes>', () => {
  it('writes a note with Ctrl+Enter, shows it with its author, line breaks and safe links, and is accessible', async () => {
    const c = await createContact({ firstName: 'Nina' });
    const el = await mount(c);
    expect($(el, '.empty')!.textContent).to.contain('No notes yet');
    const changes: NoteChangeEvent[] = [];
    el.addEventListener('note-change', (e) => changes.push(e));
    type($<HTMLTextAreaElement>(el, 'textarea.new')!, 'Called today.\nDocs: https://example.com/x <img src=x onerror=alert(1)>');
    await el.updateComplete;
    await sendKeys({ press: 'Control+Enter' });
    await until(() => $$(el, '.note').length === 1, 'the new note');
    const body = $(el, '.note .body')!;
    expect(body.textContent).to.equal('Called today.\nDocs: https://example.com/x <img src=x onerror=alert(1)>');
    expect(body.querySelector('img'), 'text is never HTML').to.equal(null);
    const link = body.querySelector('a')!;
    expect([link.getAttribute('href'), link.rel]).to.deep.equal(['https://example.com/x', 'noopener noreferrer']);
    expect(getComputedStyle(body).whiteSpace).to.equal('pre-wrap');
    expect($(el, '.note .author')!.textContent).to.equal('Owner Tester');
    expect($<HTMLTextAreaElement>(el, 'textarea.new')!.value, 'the box is cleared').to.equal('');
    expect(changes.map((e) => e.detail.action)).to.deep.equal(['created']);
    await expect(el).to.be.accessible();
  });

  it('edits with an "edited" marker, pins to the top, and deletes after confirming', async () => {
    const c = await createContact({ firstName: 'Edda' });
    await addNote(c.id, 'First');
    await addNote(c.id, 'Second');
    const el = await mount(c);
    expect(bodies(el)).to.deep.equal(['Second', 'First']);
    const first = () => $$(el, '.note').find((n) => n.querySelector('.body')?.textContent === 'First' || n.querySelector('textarea'))!;
    first().querySelector<HTMLButtonElement>('.edit')!.click();
    await el.updateComplete;
    const editor = first().querySelector<HTMLTextAreaElement>('textarea')!;
    expect(el.shadowRoot!.activeElement, 'focus moves into the editor').to.equal(editor);
    type(editor, 'First, corrected');
    await el.updateComplete;
    await sendKeys({ press: 'Control+Enter' });
    await until(() => bodies(el).includes('First, corrected'), 'the edit');
    expect($$(el, '.note .edited').length).to.equal(1);

    $$(el, '.note').find((n) => n.textContent!.includes('First, corrected'))!.querySelector<HTMLButtonElement>('.pin')!.click();
    await until(() => bodies(el)[0] === 'First, corrected', 'pinned first');
    expect($(el, '.note .badge')!.textContent).to.equal('Pinned');

    $$(el, '.note')[1]!.querySelector<HTMLButtonElement>('.delete')!.click();
    const confirm = $(el, 'dossier-confirm')!;
    await until(() => confirm.shadowRoot?.querySelector('dialog[open]'), 'the confirmation');
    [...confirm.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Delete')!.click();
    await until(() => bodies(el).length === 1, 'the note deleted');
    expect(bodies(el)).to.deep.equal(['First, corrected']);
  });

  it('cancels an edit with Escape, keeping the note as it was', async () => {
    const c = await createContact({ firstName: 'Esc' });
    await addNote(c.id, 'Keep me');
    const el = await mount(c);
    $(el, '.note .edit')!.click();
    await el.updateComplete;
    type($<HTMLTextAreaElement>(el, '.note textarea')!, 'Changed my mind');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(bodies(el)).to.deep.equal(['Keep me']);
    expect(el.shadowRoot!.activeElement, 'focus back on Edit').to.equal($(el, '.note .edit'));
  });

  it('searches and sorts', async () => {
    const c = await createContact({ firstName: 'Sorty' });
    await addNote(c.id, 'Alpha call');
    await addNote(c.id, 'Beta email');
    await addNote(c.id, 'Gamma call');
    const el = await mount(c);
    expect(bodies(el)).to.deep.equal(['Gamma call', 'Beta email', 'Alpha call']);
    const sort = $<HTMLSelectElement>(el, '.toolbar select')!;
    sort.value = 'oldest';
    sort.dispatchEvent(new Event('change'));
    await until(() => bodies(el)[0] === 'Alpha call', 'oldest first');
    type($<HTMLInputElement>(el, 'input[type=search]')!, 'CALL');
    await until(() => bodies(el).length === 2, 'the search');
    expect(bodies(el)).to.deep.equal(['Alpha call', 'Gamma call']);
    type($<HTMLInputElement>(el, 'input[type=search]')!, 'nothing like it');
    await until(() => $(el, '.empty'), 'no match');
    expect($(el, '.empty')!.textContent).to.equal('No notes match “nothing like it”.');
  });

  it('lets an agent edit only their own notes', async () => {
    const c = await createContact({ firstName: 'Agentic' });
    await addNote(c.id, 'By the owner');
    await addNote(c.id, 'By the agent', 'agent');
    const el = await mount(c, 'agent');
    const note = (text: string) => $$(el, '.note').find((n) => n.textContent!.includes(text))!;
    expect(note('By the owner').querySelector('.edit')).to.equal(null);
    expect(note('By the owner').querySelector('.delete')).to.equal(null);
    expect(note('By the agent').querySelector('.edit')).not.to.equal(null);
  });

  it('shows a refused save in place and keeps what was typed', async () => {
    const c = await createContact({ firstName: 'Gone' });
    const el = await mount(c);
    await unwrap(clientFor('owner').api.api.v1.contacts[':id'].$delete({ param: { id: c.id } }));
    type($<HTMLTextAreaElement>(el, 'textarea.new')!, 'Typed with care');
    await el.updateComplete;
    $<HTMLButtonElement>(el, '.composer button[type=submit]')!.click();
    await until(() => $(el, '#create-error'), 'the error');
    expect($(el, '#create-error')!.textContent).to.contain('restore bin');
    expect($<HTMLTextAreaElement>(el, 'textarea.new')!.value).to.equal('Typed with care');
    expect($(el, 'textarea.new')!.getAttribute('aria-invalid')).to.equal('true');
  });

  it('shows notes written elsewhere live, and works in the dark theme', async () => {
    const c = await createContact({ firstName: 'Livia' });
    const el = await mount(c, 'owner', 'dark');
    await until(() => el.dataset.theme === 'dark', 'dark theme');
    await new Promise((r) => setTimeout(r, 300)); // the stream opens
    await addNote(c.id, 'Written by someone else');
    await until(() => bodies(el).includes('Written by someone else'), 'the live note', 8000);
    expect(getComputedStyle(el).backgroundColor).not.to.equal('rgb(255, 255, 255)');
    await expect(el).to.be.accessible();
  });
});
