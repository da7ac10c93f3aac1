import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { unwrap } from '../../../core/src/api.js';
import type { DocumentDeleteEvent, DocumentOpenEvent, DocumentUploadEvent } from '../../../core/src/events.js';
import { pushMessage, samplePdf, samplePng, textFile, uploadDocuments } from '../../../core/src/testing/documents.js';
import { clientFor, createContact, ensureField, inProvider, until } from '../../../core/src/testing/fixtures.js';
import type { ContactJson, DocumentJson } from '../../../core/src/types.js';
import './contact-documents.js';
import type { ContactDocuments } from './contact-documents.js';
import type { DocumentsUpload } from './document-upload.js';

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
const names = (el: Element) => $$(el, '.doc .name').map((b) => b.textContent!.trim());
const tabs = (el: Element) => $$(el, '[role=tab]').map((b) => b.textContent!.replace(/\s+/g, ' ').trim());

let seq = 0;
async function contactWithEmail(): Promise<ContactJson> {
  return createContact({ firstName: 'Docs', lastName: `Tester ${++seq}`, emails: [{ value: `docs.${Date.now()}.${seq}@example.com` }] });
}

async function mount(contact: ContactJson, role: 'owner' | 'manager' | 'agent' = 'owner') {
  const el = await inProvider<ContactDocuments>(html`<contact-documents contact-id=${contact.id}></contact-documents>`, role);
  await until(() => el.counts && !$(el, 'dossier-state[kind=loading]'), 'documents to load');
  return el;
}

/** Four documents: two internal, one sent, one received by email. */
async function arrange() {
  const c = await contactWithEmail();
  await uploadDocuments(c.id, [textFile('Notes.txt', 'call notes'), samplePdf('Contract.pdf')]);
  await uploadDocuments(c.id, [textFile('Proposal.txt', 'a proposal with more text in it')], { section: 'sent' });
  await pushMessage({ channel: 'email', contact: { email: c.emails[0]!.value }, subject: 'Scan', text: 'Attached' }, [await samplePng('scan.png')]);
  return c;
}

function openMenu(el: ContactDocuments, name: string) {
  $(el, `button[aria-label="Actions for ${name}"]`)!.click();
}
async function menuItem(el: ContactDocuments, label: string) {
  await el.updateComplete;
  return $$(el, '[role=menuitem]').find((b) => b.textContent!.trim() === label);
}

async function openUpload(el: ContactDocuments) {
  $(el, '.add')!.click();
  await until(() => $(el, 'documents-upload'), 'upload dialog');
  const dialog = $<DocumentsUpload>(el, 'documents-upload')!;
  await dialog.updateComplete;
  return dialog;
}

function pick(dialog: DocumentsUpload, files: File[]) {
  const input = dialog.shadowRoot!.querySelector<HTMLInputElement>('input[type=file]')!;
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}
const rows = (dialog: DocumentsUpload) => [...dialog.shadowRoot!.querySelectorAll<HTMLLIElement>('li')];

describe('<contact-documents>', () => {
  it('groups documents by section, shows counts per filter and is accessible', async () => {
    const c = await arrange();
    const el = await mount(c);
    expect(tabs(el)).to.deep.equal(['All 4', 'Internal 2', 'Sent 1', 'Received 1']);
    expect($$(el, 'h3').map((h) => h.textContent!.replace(/\s+/g, ' ').trim())).to.deep.equal(['Internal documents 2', 'Sent to contact 1', 'Received from contact 1']);
    const received = $$(el, '.doc').find((d) => d.textContent!.includes('scan.png'))!;
    expect(received.querySelector('.origin')!.textContent).to.equal('Email');
    expect(received.textContent).to.contain('From the contact');
    const notes = $$(el, '.doc').find((d) => d.textContent!.includes('Notes.txt'))!;
    expect(notes.textContent).to.contain('Added by Owner Tester').and.contain('Text');
    await until(() => $(el, '.icon img'), 'image thumbnail from a signed link');
    expect($<HTMLImageElement>(el, '.icon img')!.src).to.contain('/signed/documents/');

    $(el, '#tab-sent')!.click();
    await until(() => names(el).length === 1, 'sent filter');
    expect(names(el)).to.deep.equal(['Proposal.txt']);
    expect($(el, '[role=tab][aria-selected=true]')!.id).to.equal('tab-sent');
    await expect(el).to.be.accessible();
  });

  it('shows a different empty state per section', async () => {
    const c = await contactWithEmail();
    const el = await mount(c);
    expect($(el, 'dossier-state')!.getAttribute('heading')).to.equal('No documents yet');
    $(el, '#tab-received')!.click();
    await until(() => $(el, 'dossier-state')?.getAttribute('heading') === 'Nothing received yet', 'received empty state');
    $(el, '#tab-internal')!.click();
    await until(() => $(el, 'dossier-state')?.getAttribute('heading') === 'No internal documents', 'internal empty state');
    await expect(el).to.be.accessible();
  });

  it('searches by name (debounced) with counts that follow the search', async () => {
    const c = await arrange();
    const el = await mount(c);
    const search = $<HTMLInputElement>(el, 'input[type=search]')!;
    search.focus();
    await sendKeys({ type: 'pro' });
    await until(() => names(el).length === 1, 'search results');
    expect(names(el)).to.deep.equal(['Proposal.txt']);
    expect(tabs(el)).to.deep.equal(['All 1', 'Internal 0', 'Sent 1', 'Received 0']);
    search.value = 'zzz-nothing';
    search.dispatchEvent(new InputEvent('input'));
    await until(() => $(el, 'dossier-state[kind=empty]'), 'no match');
    expect($(el, 'dossier-state')!.getAttribute('heading')).to.equal('No documents match “zzz-nothing”');
  });

  it('sorts by name and size, both ways', async () => {
    const c = await arrange();
    const el = await mount(c);
    el.section = 'internal';
    const select = $<HTMLSelectElement>(el, 'select')!;
    select.value = 'name';
    select.dispatchEvent(new Event('change'));
    await until(() => names(el).join() === 'Contract.pdf,Notes.txt', 'name asc');
    $(el, '.dir')!.click();
    await until(() => names(el).join() === 'Notes.txt,Contract.pdf', 'name desc');
    select.value = 'size';
    select.dispatchEvent(new Event('change'));
    await until(() => names(el).join() === 'Contract.pdf,Notes.txt', 'size desc (the PDF is larger)');
    expect($(el, '.dir')!.getAttribute('aria-label')).to.equal('Descending');
  });

  it('narrows received documents to forms or surveys and by form name', async () => {
    const c = await contactWithEmail();
    const email = c.emails[0]!.value;
    await pushMessage({ channel: 'form', form: 'Intake', contact: { email } }, [textFile('intake.txt', 'intake answers')]);
    await pushMessage({ channel: 'survey', form: 'NPS', contact: { email } }, [textFile('nps.txt', 'survey answers')]);
    await pushMessage({ channel: 'email', contact: { email } }, [textFile('mail.txt', 'an email attachment')]);
    const el = await mount(c);
    $(el, '#tab-received')!.click();
    await until(() => names(el).length === 3 && $(el, 'select.origin'), 'received list');
    const origin = $<HTMLSelectElement>(el, 'select.origin')!;
    origin.value = 'form';
    origin.dispatchEvent(new Event('change'));
    await until(() => names(el).join() === 'intake.txt', 'forms only');
    expect($$(el, 'select.form-name option').map((o) => o.textContent)).to.deep.equal(['All forms', 'Intake', 'NPS']);
    expect($(el, '.doc .origin')!.textContent).to.equal('Form · Intake');
    origin.value = 'survey';
    origin.dispatchEvent(new Event('change'));
    await until(() => names(el).join() === 'nps.txt', 'surveys only');
    const form = $<HTMLSelectElement>(el, 'select.form-name')!;
    form.value = 'NPS';
    form.dispatchEvent(new Event('change'));
    await until(() => names(el).join() === 'nps.txt' && el.shadowRoot!.querySelector<HTMLSelectElement>('select.form-name')!.value === 'NPS', 'by form name');
  });

  it('pages with Load more (keyset)', async () => {
    const c = await contactWithEmail();
    const files = Array.from({ length: 55 }, (_, i) => textFile(`file-${String(i).padStart(2, '0')}.txt`, `file ${i}`));
    await uploadDocuments(c.id, files.slice(0, 20));
    await uploadDocuments(c.id, files.slice(20, 40));
    await uploadDocuments(c.id, files.slice(40));
    const el = await mount(c);
    expect(names(el)).to.have.length(50);
    const more = $$(el, '.more-row .btn')[0]!;
    expect(more.textContent).to.equal('Load more');
    more.click();
    await until(() => names(el).length === 55, 'second page');
    expect($(el, '.more-row')).to.equal(null);
  });

  it('uploads picked files with progress, refuses a bad type before sending and shows the server refusal', async () => {
    const c = await contactWithEmail();
    const el = await mount(c);
    let uploaded: DocumentUploadEvent | null = null;
    el.addEventListener('document-upload', (e) => (uploaded = e));
    const dialog = await openUpload(el);
    expect(dialog.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
    expect(dialog.shadowRoot!.querySelector<HTMLInputElement>('input[name=section][value=internal]')!.checked, 'Internal by default').to.equal(true);
    pick(dialog, [textFile('good.txt', 'hello'), textFile('setup.exe', 'MZ'), textFile('fake.png', 'not really a png')]);
    await dialog.updateComplete;
    const [good, exe, fake] = rows(dialog);
    expect(exe!.dataset.status).to.equal('invalid');
    expect(exe!.querySelector('.err')!.textContent).to.contain('can’t be added');
    expect(good!.dataset.status).to.equal('ready');
    dialog.shadowRoot!.querySelector<HTMLButtonElement>('.start')!.click();
    await until(() => rows(dialog)[0]!.dataset.status === 'done' && rows(dialog)[2]!.dataset.status === 'failed', 'uploads to settle', 8000);
    expect(good!.querySelector('progress')!.value).to.equal(100);
    expect(fake!.querySelector('.err')!.textContent).to.match(/content|match/i);
    expect(exe!.dataset.status, 'never sent').to.equal('invalid');
    await until(() => uploaded, 'document-upload');
    expect(uploaded!.detail.contactId).to.equal(c.id);
    await until(() => names(el).includes('good.txt'), 'list updated');
    expect(names(el)).to.deep.equal(['good.txt']);
    await expect(dialog).to.be.accessible();
  });

  it('offers Done once every file is settled, and Retry only where trying again can succeed', async () => {
    const c = await contactWithEmail();
    const el = await mount(c);
    const dialog = await openUpload(el);
    const footer = () => [...dialog.shadowRoot!.querySelectorAll<HTMLButtonElement>('.actions button')].map((b) => b.textContent!.trim());
    expect(footer()).to.deep.equal(['Cancel', 'Upload']);
    pick(dialog, [textFile('fine.txt', 'hello'), textFile('fake.png', 'not really a png')]);
    await dialog.updateComplete;
    dialog.shadowRoot!.querySelector<HTMLButtonElement>('.start')!.click();
    await until(() => rows(dialog)[0]!.dataset.status === 'done' && rows(dialog)[1]!.dataset.status === 'failed', 'uploads to settle', 8000);
    expect(Boolean(rows(dialog)[1]!.querySelector('.retry')), 'a refused type fails again on retry: no Retry').to.equal(false);
    expect(footer()).to.deep.equal(['Done']);
    dialog.shadowRoot!.querySelector<HTMLButtonElement>('.actions .primary')!.click();
    await until(() => !$(el, 'documents-upload'), 'Done closes the dialog');
  });

  it('offers no Add and no drop for a contact in the restore bin, also when it goes there while open', async () => {
    const gone = await contactWithEmail();
    await unwrap(clientFor('owner').api.api.v1.contacts[':id'].$delete({ param: { id: gone.id } }));
    const el = await mount(gone);
    expect(Boolean($(el, '.add')), 'no Add').to.equal(false);
    const dt = new DataTransfer();
    dt.items.add(textFile('late.txt', 'late'));
    $(el, '.root')!.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, composed: true, cancelable: true }));
    await el.updateComplete;
    expect(Boolean($(el, '.drop-overlay')), 'no drop overlay').to.equal(false);

    const live = await contactWithEmail();
    const other = await mount(live);
    expect(Boolean($(other, '.add'))).to.equal(true);
    await unwrap(clientFor('owner').api.api.v1.contacts[':id'].$delete({ param: { id: live.id } }));
    (other as unknown as { dossier: { publish(e: unknown): void } }).dossier.publish({ type: 'contact-deleted', id: live.id });
    await until(() => !$(other, '.add'), 'Add hidden once the record deletes the contact');
    await unwrap(clientFor('owner').api.api.v1.contacts[':id'].restore.$post({ param: { id: live.id } }));
    (other as unknown as { dossier: { publish(e: unknown): void } }).dossier.publish({ type: 'contact-saved', id: live.id });
    await until(() => $(other, '.add'), 'Add back after a restore');
  });

  it('cancels an upload in flight, then retries it', async function () {
    // 60 MB goes up twice; the retried upload alone may take 20 s on a busy machine.
    this.timeout(45_000);
    const c = await contactWithEmail();
    const el = await mount(c);
    const dialog = await openUpload(el);
    const big = new File([new Uint8Array(60 * 1024 * 1024).fill(97)], 'big.txt', { type: 'text/plain' });
    pick(dialog, [big]);
    await dialog.updateComplete;
    dialog.shadowRoot!.querySelector<HTMLButtonElement>('.start')!.click();
    await until(() => dialog.shadowRoot!.querySelector('.cancel'), 'cancel button');
    dialog.shadowRoot!.querySelector<HTMLButtonElement>('.cancel')!.click();
    await until(() => rows(dialog)[0]!.dataset.status === 'cancelled', 'cancelled');
    dialog.shadowRoot!.querySelector<HTMLButtonElement>('.retry')!.click();
    await until(() => rows(dialog)[0]!.dataset.status === 'done', 'retried upload', 20000);
    await until(() => names(el).includes('big.txt'), 'in the list');
  });

  it('shows a drag-over state on the whole widget and queues dropped files in the dialog', async () => {
    const c = await contactWithEmail();
    const el = await mount(c);
    const dt = new DataTransfer();
    dt.items.add(textFile('dropped.txt', 'dropped'));
    const root = $(el, '.root')!;
    root.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, composed: true, cancelable: true }));
    await el.updateComplete;
    expect($(el, '.drop-overlay')!.textContent).to.contain('Drop files');
    root.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, composed: true, cancelable: true }));
    await until(() => $(el, 'documents-upload') && rows($<DocumentsUpload>(el, 'documents-upload')!).length === 1, 'queued');
    expect($(el, '.drop-overlay')).to.equal(null);
    expect(rows($<DocumentsUpload>(el, 'documents-upload')!)[0]!.textContent).to.contain('dropped.txt');
  });

  it('previews an image, a PDF (rendered on a canvas) and a text file', async () => {
    const c = await arrange();
    const el = await mount(c);
    let opened: DocumentOpenEvent | null = null;
    el.addEventListener('document-open', (e) => (opened = e));
    $$(el, '.doc .name').find((b) => b.textContent === 'scan.png')!.click();
    await until(() => $(el, 'documents-preview')?.shadowRoot?.querySelector('img'), 'image preview');
    const preview = () => $(el, 'documents-preview')!;
    expect(preview().shadowRoot!.querySelector('img')!.src).to.contain('inline=1');
    expect(opened!.detail.documentId).to.be.a('string');
    preview().shadowRoot!.querySelector<HTMLButtonElement>('[aria-label="Close preview"]')!.click();
    await until(() => !$(el, 'documents-preview'), 'closed');
    expect(el.shadowRoot!.activeElement?.textContent, 'focus back on the row').to.equal('scan.png');

    $$(el, '.doc .name').find((b) => b.textContent === 'Contract.pdf')!.click();
    await until(() => preview()?.shadowRoot?.querySelector('documents-pdf-view')?.dataset.rendered === '1', 'PDF rendered', 15000);
    const canvas = preview().shadowRoot!.querySelector('documents-pdf-view')!.shadowRoot!.querySelector('canvas')!;
    expect(canvas.width).to.be.greaterThan(0);
    const pixel = canvas.getContext('2d')!.getImageData(Math.floor(canvas.width / 2), Math.floor(canvas.height / 2), 1, 1).data;
    expect([pixel[0], pixel[1], pixel[2]], 'the blue square').to.deep.equal([0, 0, 255]);
    await sendKeys({ press: 'Escape' });
    await until(() => !$(el, 'documents-preview'), 'Escape closes');

    $$(el, '.doc .name').find((b) => b.textContent === 'Proposal.txt')!.click();
    await until(() => preview()?.shadowRoot?.querySelector('pre'), 'text preview');
    expect(preview().shadowRoot!.querySelector('pre')!.textContent).to.equal('a proposal with more text in it');
    await expect(preview()).to.be.accessible();
  });

  it('shows other types as a card with Download', async () => {
    await import('./document-preview.js');
    const other = { id: 'doc_x', contactId: 'ct_x', section: 'internal', origin: 'upload', form: null, name: 'Plan.docx', kind: 'docx', mediaType: 'application/octet-stream', size: 2048, sha256: '', uploadedBy: null, shareOnPortal: false, messageId: null, inline: false, contentUrl: '', createdAt: Date.now(), updatedAt: Date.now(), deletedAt: null } as DocumentJson;
    const preview = document.createElement('documents-preview');
    preview.document = other;
    document.body.append(preview);
    await preview.updateComplete;
    let asked = false;
    preview.addEventListener('download', () => (asked = true));
    const card = preview.shadowRoot!.querySelector('.card')!;
    expect(card.textContent).to.contain('Plan.docx').and.contain('Word').and.contain('can’t be previewed');
    card.querySelector<HTMLButtonElement>('button')!.click();
    expect(asked).to.equal(true);
    await expect(preview).to.be.accessible();
    preview.remove();
  });

  it('renames, moves and deletes with undo (owner)', async () => {
    const c = await arrange();
    const el = await mount(c);
    el.section = 'internal';
    await until(() => names(el).length === 2, 'internal');

    openMenu(el, 'Notes.txt');
    (await menuItem(el, 'Rename'))!.click();
    await until(() => $(el, '.rename'), 'rename input');
    const input = $<HTMLInputElement>(el, '.rename')!;
    input.value = 'Call notes';
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await until(() => names(el).includes('Call notes.txt'), 'renamed (extension kept by the server)');

    openMenu(el, 'Call notes.txt');
    (await menuItem(el, 'Move to Sent'))!.click();
    await until(() => names(el).join() === 'Contract.pdf', 'moved out of Internal');
    await until(() => tabs(el).join() === 'All 4,Internal 1,Sent 2,Received 1', 'counts follow');

    let deleted: DocumentDeleteEvent | null = null;
    el.addEventListener('document-delete', (e) => (deleted = e));
    openMenu(el, 'Contract.pdf');
    (await menuItem(el, 'Delete'))!.click();
    await until(() => $(el, '.undo'), 'undo bar');
    expect(names(el)).to.deep.equal([]);
    expect(deleted!.detail.contactId).to.equal(c.id);
    expect(el.shadowRoot!.activeElement?.textContent, 'focus on Undo').to.equal('Undo');
    $(el, '.undo .btn')!.click();
    await until(() => names(el).join() === 'Contract.pdf' && !$(el, '.undo'), 'restored');
    const doc = (await unwrap(clientFor('owner').api.api.v1.documents[':id'].$get({ param: { id: deleted!.detail.documentId } }))) as DocumentJson;
    expect(doc.deletedAt).to.equal(null);
  });

  it('marks documents shared on the client portal, filters by it, and lets owners turn sharing on and off', async () => {
    const c = await contactWithEmail();
    await uploadDocuments(c.id, [textFile('Welcome pack.txt', 'for the portal')], { shareOnPortal: true });
    await uploadDocuments(c.id, [textFile('Internal memo.txt', 'team only')]);
    const el = await mount(c);
    const row = (name: string) => $$(el, '.doc').find((d) => d.querySelector('.name')!.textContent === name)!;
    const badge = row('Welcome pack.txt').querySelector('.portal')!;
    expect(badge.textContent).to.equal('Client portal');
    expect(badge.getAttribute('title')).to.equal('Shared on the client portal');
    expect(Boolean(row('Internal memo.txt').querySelector('.portal')), 'no badge on an unshared document').to.equal(false);

    const filter = $<HTMLInputElement>(el, '.portal-filter')!;
    filter.click();
    await until(() => names(el).join() === 'Welcome pack.txt', 'only shared documents');
    await until(() => tabs(el)[0] === 'All 1', 'counts follow the filter');
    filter.click();
    await until(() => names(el).length === 2, 'all again');

    openMenu(el, 'Internal memo.txt');
    (await menuItem(el, 'Share on the client portal'))!.click();
    await until(() => row('Internal memo.txt').querySelector('.portal'), 'badge after sharing');
    openMenu(el, 'Welcome pack.txt');
    (await menuItem(el, 'Stop sharing on the client portal'))!.click();
    await until(() => !row('Welcome pack.txt').querySelector('.portal'), 'badge gone after unsharing');
    const saved = (await unwrap(clientFor('owner').api.api.v1.contacts[':id'].documents.$get({ param: { id: c.id }, query: { portal: 'true' } as never }))) as { items: DocumentJson[] };
    expect(saved.items.map((d) => d.name)).to.deep.equal(['Internal memo.txt']);
    await expect(el).to.be.accessible();

    const agent = await mount(c, 'agent');
    openMenu(agent, 'Internal memo.txt');
    await agent.updateComplete;
    expect($$(agent, '[role=menuitem]').some((b) => b.textContent!.includes('client portal')), 'agents may not change sharing').to.equal(false);
  });

  it('keeps the files of file custom fields in a "Custom fields" folder of Internal, filterable, and follows them live', async () => {
    await ensureField({ key: 'id_scan', label: 'ID scan', type: 'file' });
    const c = await contactWithEmail();
    await uploadDocuments(c.id, [textFile('Passport.txt', 'passport')], { fieldKey: 'id_scan' });
    await uploadDocuments(c.id, [textFile('Memo.txt', 'memo')]);
    await uploadDocuments(c.id, [textFile('Offer.txt', 'offer')], { section: 'sent' });
    const el = await mount(c);
    const headings = () => $$(el, 'h3').map((h) => h.textContent!.replace(/\s+/g, ' ').trim());
    expect(headings()).to.deep.equal(['Internal documents 1', 'Custom fields 1', 'Sent to contact 1']);
    const passport = $$(el, '.doc').find((d) => d.textContent!.includes('Passport.txt'))!;
    expect(passport.querySelector('.origin')!.textContent).to.equal('Custom field · ID scan');
    openMenu(el, 'Passport.txt');
    await el.updateComplete;
    expect($$(el, '[role=menuitem]').some((b) => b.textContent!.startsWith('Move to')), 'stays in Internal while in the field').to.equal(false);
    await sendKeys({ press: 'Escape' });

    $(el, '#tab-internal')!.click();
    await until(() => headings().join() === 'Internal documents 1,Custom fields 1', 'the folder inside Internal');
    const folder = $<HTMLSelectElement>(el, 'select.folder')!;
    // Then one option per file field of the workspace (other test files add theirs to the shared database).
    expect([...folder.options].map((o) => o.textContent).slice(0, 2)).to.deep.equal(['All folders', 'Custom fields']);
    expect([...folder.options].map((o) => o.textContent)).to.include('ID scan');
    folder.value = 'id_scan';
    folder.dispatchEvent(new Event('change'));
    await until(() => names(el).join() === 'Passport.txt', 'one field’s files');
    folder.value = '';
    folder.dispatchEvent(new Event('change'));
    await until(() => names(el).length === 2, 'all again');

    // Taken out of the field in the record (a contact edit): it leaves the folder here without a reload.
    await unwrap(clientFor('owner').api.api.v1.contacts[':id'].$patch({ param: { id: c.id }, json: { customFields: { id_scan: [] } } as never }));
    await until(() => headings().join() === '', 'no folder left: a plain Internal list');
    expect(names(el).sort()).to.deep.equal(['Memo.txt', 'Passport.txt']);
    await expect(el).to.be.accessible();
  });

  it('lists recently deleted documents with the time left, and restores one back into the list', async () => {
    const c = await arrange();
    const el = await mount(c);
    for (const name of ['Notes.txt', 'Contract.pdf']) {
      openMenu(el, name);
      (await menuItem(el, 'Delete'))!.click();
      await until(() => !names(el).includes(name), `${name} deleted`);
    }
    $(el, '.bin-open')!.click();
    await until(() => $(el, 'documents-bin')?.shadowRoot?.querySelectorAll('li').length === 2, 'two in the bin');
    const bin = $(el, 'documents-bin')!;
    const inBin = (sel: string) => [...bin.shadowRoot!.querySelectorAll<HTMLElement>(sel)];
    expect(inBin('li .name').map((n) => n.textContent)).to.deep.equal(['Contract.pdf', 'Notes.txt'], 'newest deletion first');
    expect(inBin('li .meta')[0]!.textContent!.replace(/\s+/g, ' ').trim()).to.match(/Deleted this minute · 30 days left$/);
    await expect(bin).to.be.accessible();
    inBin('li button').find((b) => b.getAttribute('aria-label') === 'Restore Notes.txt')!.click();
    await until(() => inBin('li').length === 1 && names(el).includes('Notes.txt'), 'restored into the list');
    await until(() => tabs(el).join() === 'All 3,Internal 1,Sent 1,Received 1', 'counts follow');
    inBin('footer .btn').find((b) => b.textContent === 'Close')!.click();
    await until(() => !$(el, 'documents-bin'), 'closed');
    expect(el.shadowRoot!.activeElement?.classList.contains('bin-open'), 'focus back on the button').to.equal(true);
  });

  it('passes a dark theme set on the widget down to its dialogs', async () => {
    const c = await arrange();
    const el = await mount(c);
    el.theme = 'dark';
    await el.updateComplete;
    $(el, '.bin-open')!.click();
    await until(() => $(el, 'documents-bin')?.shadowRoot?.querySelector('dialog[open]'), 'bin');
    const bin = $(el, 'documents-bin')!;
    await until(() => bin.dataset.theme === 'dark', 'dark bin');
    const bg = getComputedStyle(bin.shadowRoot!.querySelector('dialog')!).backgroundColor;
    expect(bg, 'the dark surface, not white').to.equal('rgb(23, 24, 29)');
    el.theme = 'light';
    await until(() => bin.dataset.theme === 'light', 'follows the widget back to light');
    bin.shadowRoot!.querySelector('dialog')!.close();
    await until(() => !$(el, 'documents-bin'), 'bin closed');

    // The preview (and its PDF view) too: they set up their own documents before the first render.
    el.theme = 'dark';
    $$(el, '.doc .name').find((b) => b.textContent === 'Contract.pdf')!.click();
    await until(() => $(el, 'documents-preview')?.shadowRoot?.querySelector('documents-pdf-view'), 'pdf preview');
    const preview = $(el, 'documents-preview')!;
    const pdf = preview.shadowRoot!.querySelector<HTMLElement>('documents-pdf-view')!;
    await until(() => preview.dataset.theme === 'dark' && pdf.dataset.theme === 'dark', `dark preview (got ${preview.dataset.theme}, ${pdf.dataset.theme})`);
    expect(getComputedStyle(preview.shadowRoot!.querySelector('h3')!).color, 'light text on the dark surface').to.equal('rgb(233, 234, 239)');
  });

  it('shows an empty bin, and hides it from agents', async () => {
    const c = await arrange();
    const agent = await mount(c, 'agent');
    expect($(agent, '.bin-open')).to.equal(null);
    const el = await mount(c);
    $(el, '.bin-open')!.click();
    await until(() => $(el, 'documents-bin')?.shadowRoot?.querySelector('dossier-state[kind=empty]'), 'empty bin');
  });

  it('hides rename, move and delete from agents (they may still upload, download and share)', async () => {
    const c = await arrange();
    const el = await mount(c, 'agent');
    expect($(el, '.add'), 'agents may upload').to.not.equal(null);
    openMenu(el, 'Notes.txt');
    await el.updateComplete;
    expect($$(el, '[role=menuitem]').map((b) => b.textContent!.trim())).to.deep.equal(['Preview', 'Download', 'Share…']);
    await expect(el).to.be.accessible();
  });

  it('downloads selected documents as one ZIP through a signed link', async () => {
    const c = await arrange();
    const el = await mount(c);
    const urls: string[] = [];
    (el as unknown as { followLink: (u: string) => void }).followLink = (u) => urls.push(u);
    for (const box of $$<HTMLInputElement>(el, '.doc input[type=checkbox]').slice(0, 2)) box.click();
    await until(() => $(el, '.selection'), 'selection bar');
    expect($(el, '.selection')!.textContent).to.contain('2 selected');
    $$(el, '.selection .btn').find((b) => b.textContent === 'Download ZIP')!.click();
    await until(() => urls.length === 1, 'zip link');
    const res = await fetch(urls[0]!);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.contain('application/zip');

    openMenu(el, 'Notes.txt');
    (await menuItem(el, 'Download'))!.click();
    await until(() => urls.length === 2, 'single link');
    expect(await (await fetch(urls[1]!)).text()).to.equal('call notes');
  });

  it('shows a document pushed through POST /messages without a reload', async () => {
    const c = await contactWithEmail();
    const el = await mount(c);
    $(el, '#tab-received')!.click();
    await until(() => $(el, 'dossier-state')?.getAttribute('heading') === 'Nothing received yet', 'empty received');
    await until(() => el.dataset.live === 'connected', 'event stream open');
    await pushMessage({ channel: 'email', contact: { email: c.emails[0]!.value }, subject: 'Live', text: 'here' }, [textFile('live.txt', 'pushed')]);
    await until(() => names(el).includes('live.txt'), 'live document', 8000);
    await until(() => tabs(el).join() === 'All 1,Internal 0,Sent 0,Received 1', 'counts updated');
    expect($(el, '[role=status][aria-live]')!.textContent).to.contain('live.txt');
  });

  it('keeps a document that arrives live while the list request is on its way (the older answer does not drop it)', async () => {
    const c = await contactWithEmail();
    // Hold the Received list's answer (already computed by the server, so older than the push) until released.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held = 0;
    const realFetch = window.fetch;
    window.fetch = async (input, init) => {
      const res = await realFetch(input, init);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (/\/documents\?/.test(url) && url.includes('section=received') && url.includes('limit=50')) {
        held++;
        await gate;
      }
      return res;
    };
    try {
      const el = await mount(c);
      await until(() => el.dataset.live === 'connected', 'event stream open');
      $(el, '#tab-received')!.click();
      await until(() => held === 1, 'received list answered by the server and held');
      await pushMessage({ channel: 'email', contact: { email: c.emails[0]!.value }, subject: 'Race', text: 'here' }, [textFile('race.txt', 'pushed')]);
      await until(() => tabs(el).includes('Received 1'), 'counts after the live event', 8000);
      expect($(el, '[role=status][aria-live]')!.textContent).to.contain('race.txt');
      release();
      await until(() => el.getAttribute('section') === 'received' && $(el, '[role=tabpanel]')?.getAttribute('aria-busy') === 'false', 'list answer applied');
      await el.updateComplete;
      expect(names(el)).to.deep.equal(['race.txt']);
      expect($(el, 'dossier-state')).to.equal(null);
      await until(() => tabs(el).join() === 'All 1,Internal 0,Sent 0,Received 1', 'counts agree with the list');
    } finally {
      release();
      window.fetch = realFetch;
    }
  });

  it('is operable by keyboard: filter tabs with arrows, menus with arrows and Escape', async () => {
    const c = await arrange();
    const el = await mount(c);
    $(el, '#tab-all')!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await until(() => el.section === 'internal', 'arrow moves the filter');
    expect(el.shadowRoot!.activeElement!.id).to.equal('tab-internal');
    await sendKeys({ press: 'End' });
    await until(() => el.section === 'received', 'End');
    await until(() => names(el).length === 1, 'received list');

    const more = $(el, '.more')!;
    more.focus();
    await sendKeys({ press: 'ArrowDown' });
    await until(() => el.shadowRoot!.activeElement?.getAttribute('role') === 'menuitem', 'menu open with focus inside');
    expect(el.shadowRoot!.activeElement!.textContent!.trim()).to.equal('Preview');
    await sendKeys({ press: 'ArrowDown' });
    expect(el.shadowRoot!.activeElement!.textContent!.trim()).to.equal('Download');
    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ press: 'ArrowUp' });
    expect(el.shadowRoot!.activeElement!.textContent!.trim(), 'wraps around').to.equal('Delete');
    await sendKeys({ press: 'Escape' });
    await until(() => !$(el, '[role=menu]'), 'closed');
    expect(el.shadowRoot!.activeElement).to.equal(more);
    await sendKeys({ press: 'Enter' });
    await until(() => $(el, '[role=menu]'), 'Enter opens');
    await sendKeys({ press: 'Enter' });
    await until(() => $(el, 'documents-preview'), 'Enter on Preview opens the preview');
  });

  it('shows the whole row menu over a short scrolling list, and flips it above the button at the viewport bottom', async () => {
    const c = await arrange();
    const el = await mount(c);
    el.style.setProperty('--contact-documents-max-height', '90px');
    await el.updateComplete;
    const visible = () => {
      const items = $$(el, '[role=menuitem]');
      expect(items.map((b) => b.textContent!.trim())).to.deep.equal(['Preview', 'Download', 'Share…', 'Rename', 'Move to Sent', 'Move to Received', 'Share on the client portal', 'Delete']);
      for (const item of items) {
        const r = item.getBoundingClientRect();
        expect(r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth, `${item.textContent} inside the viewport`).to.equal(true);
        const hit = el.shadowRoot!.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        expect(hit === item, `${item.textContent} not covered or clipped (found ${hit?.outerHTML.slice(0, 60)})`).to.equal(true);
      }
    };
    const button = $(el, '.doc .more')!;
    button.click();
    await until(() => $$(el, '[role=menuitem]').length, 'menu');
    visible();
    expect($(el, '[role=menu]')!.getBoundingClientRect().top, 'below the button').to.be.greaterThan(button.getBoundingClientRect().bottom - 1);

    // Near the bottom edge of the viewport there is no room below the button: the menu opens above it.
    await sendKeys({ press: 'Escape' });
    await until(() => !$(el, '[role=menu]'), 'closed');
    el.style.position = 'relative';
    el.style.top = `${innerHeight - button.getBoundingClientRect().bottom - 12}px`;
    await until(() => Math.abs(button.getBoundingClientRect().bottom - (innerHeight - 12)) < 2, 'button at the bottom edge');
    button.click();
    await until(() => $$(el, '[role=menuitem]').length, 'menu');
    visible();
    expect($(el, '[role=menu]')!.getBoundingClientRect().bottom, 'above the button').to.be.lessThan(button.getBoundingClientRect().top + 1);

    // A click outside closes it; so does scrolling the list it hangs from.
    document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    await until(() => !$(el, '[role=menu]'), 'a click outside closes it');
    el.style.top = '';
    button.click();
    await until(() => $(el, '[role=menu]'), 'open again');
    $(el, '[role=tabpanel]')!.scrollTop = 40;
    await until(() => !$(el, '[role=menu]'), 'scrolling the list closes it');
  });

  it('shows errors with a retry, and not-found for an unknown contact', async () => {
    const el = await inProvider<ContactDocuments>(html`<contact-documents contact-id="ct_missing"></contact-documents>`);
    await until(() => $(el, 'dossier-state[kind=not-found]'), 'not found');
    await expect(el).to.be.accessible();
  });
});
