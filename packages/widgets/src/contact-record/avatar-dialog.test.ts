import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { unwrap } from '../../../core/src/api.js';
import { clientFor, createContact, inProvider, until } from '../../../core/src/testing/fixtures.js';
import type { ContactChangeEvent, DossierErrorEvent } from '../../../core/src/events.js';
import type { ContactJson } from '../../../core/src/types.js';
import type { DossierAvatar } from '../../../core/src/ui/dossier-avatar.js';
import '../contact-table/contact-table.js';
import type { ContactTable } from '../contact-table/contact-table.js';
import './contact-record.js';
import type { ContactRecord } from './contact-record.js';
import type { DossierAvatarDialog } from './avatar-dialog.js';
import type { DossierAvatarButton } from './avatar-button.js';

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];

/** A real picture file: a blue square with a red corner (so a crop shows), as a browser's file picker gives it. */
async function pictureFile(name = 'me.png', width = 400, height = 300) {
  const canvas = new OffscreenCanvas(width, height);
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#2255cc';
  g.fillRect(0, 0, width, height);
  g.fillStyle = '#dd2222';
  g.fillRect(0, 0, width / 4, height / 4);
  return new File([await canvas.convertToBlob({ type: 'image/png' })], name, { type: 'image/png' });
}

/** Drops files on an element as a user dragging them from the desktop does. */
function drop(target: Element, file: File) {
  const data = new DataTransfer();
  data.items.add(file);
  target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, composed: true, cancelable: true }));
  target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, composed: true, cancelable: true }));
}

async function mount(contact: ContactJson) {
  const el = await inProvider<ContactRecord>(html`<contact-record contact-id=${contact.id}></contact-record>`);
  await until(() => $(el, 'h2'), 'record to load');
  await el.updateComplete;
  await until(() => $(el, 'dossier-avatar-button'), 'the avatar button (with the panels)');
  return el;
}

const button = (el: ContactRecord) => $(el, 'dossier-avatar-button') as DossierAvatarButton;
const headerAvatar = (el: ContactRecord) => button(el).shadowRoot!.querySelector<DossierAvatar>('dossier-avatar')!;
const dialogOf = async (el: ContactRecord) => {
  await until(() => $(el, 'dossier-avatar-dialog')?.shadowRoot?.querySelector('dialog[open]'), 'the picture dialog');
  const dialog = $(el, 'dossier-avatar-dialog') as DossierAvatarDialog;
  await dialog.updateComplete;
  return dialog;
};
const inDialog = <T extends Element = HTMLElement>(d: DossierAvatarDialog, sel: string) => d.shadowRoot!.querySelector<T>(sel);
const buttonNamed = (d: DossierAvatarDialog, text: string) => [...d.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === text)!;

describe('profile picture in <contact-record>', () => {
  it('chooses a picture, crops it with the keyboard, saves it at once and shows it in the header and the table', async function () {
    // Two axe runs, a table and a record, an upload: longer than the default on a loaded machine.
    this.timeout(30000);
    const c = await createContact({ firstName: 'Pia', lastName: 'Picture' });
    const provider = await inProvider<ContactTable>(html`<contact-table q="Pia Picture"></contact-table><contact-record contact-id=${c.id}></contact-record>`);
    const table = provider;
    const el = table.nextElementSibling as ContactRecord;
    await until(() => $(el, 'h2') && $(el, 'dossier-avatar-button'), 'record and its avatar button');
    await until(() => $$(table, '.body [role=row] .col-name dossier-avatar').length === 1, 'the row in the table');
    let changed: ContactChangeEvent | null = null;
    el.addEventListener('contact-change', (e) => (changed = e));

    const avatarButton = button(el).shadowRoot!.querySelector('button')!;
    expect(avatarButton.textContent!.trim()).to.equal('Change the profile picture of Pia Picture');
    await expect(el).to.be.accessible();
    avatarButton.click();
    const dialog = await dialogOf(el);
    expect(inDialog(dialog, '.choose'), 'asks for a picture first').to.exist;
    await expect(dialog).to.be.accessible();
    // The file picker's answer.
    const input = inDialog<HTMLInputElement>(dialog, 'input[type=file]')!;
    const data = new DataTransfer();
    data.items.add(await pictureFile());
    input.files = data.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await until(() => dialog.state === 'crop' && inDialog(dialog, 'canvas.stage'), 'the crop area');
    await dialog.updateComplete;
    const stage = inDialog<HTMLCanvasElement>(dialog, 'canvas.stage')!;
    expect(dialog.shadowRoot!.activeElement, 'the crop area has focus').to.equal(stage);
    expect(getComputedStyle(stage).outlineStyle, 'visible focus').to.not.equal('none');
    const start = { ...dialog.crop! };
    await sendKeys({ press: '+' });
    await sendKeys({ press: '+' });
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowDown' });
    const after = dialog.crop!;
    expect(after.scale, '+ zooms in').to.be.greaterThan(start.scale);
    expect(after.x, 'ArrowRight moves the view right').to.be.lessThan(start.x);
    await sendKeys({ press: '-' });
    expect(dialog.crop!.scale, '- zooms out').to.be.lessThan(after.scale);
    expect(inDialog<HTMLInputElement>(dialog, 'input[type=range]')!.valueAsNumber, 'the zoom slider follows').to.be.greaterThan(1);
    // The live preview shows the crop: the picture's blue (its red corner is cropped out by the zoom).
    const preview = inDialog<HTMLCanvasElement>(dialog, 'canvas.p48')!;
    const [r, , b] = preview.getContext('2d')!.getImageData(preview.width / 2, preview.height / 2, 1, 1).data;
    expect(b!).to.be.greaterThan(r!);
    await expect(dialog).to.be.accessible();

    buttonNamed(dialog, 'Save').click();
    await until(() => changed, 'contact-change', 8000);
    expect(changed!.detail.changed).to.deep.equal(['avatarUrl']);
    expect($(el, 'dossier-avatar-dialog'), 'the dialog closes').to.equal(null);
    const url = changed!.detail.contact.avatarUrl!;
    expect(url).to.match(/\/api\/v1\/signed\/avatars\/.+\.webp\?sig=/);
    await until(() => headerAvatar(el).src === url, 'the header shows it');
    await until(() => headerAvatar(el).shadowRoot!.querySelector('img')?.complete && headerAvatar(el).shadowRoot!.querySelector('img')!.naturalWidth > 0, 'the picture loads');
    expect(headerAvatar(el).shadowRoot!.querySelector('img')!.naturalWidth).to.equal(256);
    await until(() => $$<DossierAvatar>(table, '.body [role=row] .col-name dossier-avatar')[0]?.src === url, 'the table shows it');
    const stored = (await unwrap(clientFor('owner').api.api.v1.contacts[':id'].$get({ param: { id: c.id } }))) as ContactJson;
    expect(stored.avatarUrl).to.equal(url);
  });

  it('takes a picture dropped on the avatar, and removes the picture', async () => {
    const c = await createContact({ firstName: 'Drop', lastName: 'Target' });
    const el = await mount(c);
    drop(button(el).shadowRoot!.querySelector('button')!, await pictureFile('dropped.png', 300, 500));
    const dialog = await dialogOf(el);
    await until(() => dialog.state === 'crop', 'the crop area');
    buttonNamed(dialog, 'Save').click();
    await until(() => headerAvatar(el).src, 'the picture saved');

    button(el).shadowRoot!.querySelector('button')!.click();
    const again = await dialogOf(el);
    buttonNamed(again, 'Remove picture').click();
    await until(() => headerAvatar(el).src === null, 'initials again');
    expect(headerAvatar(el).shadowRoot!.textContent!.trim()).to.equal('DT');
    const stored = (await unwrap(clientFor('owner').api.api.v1.contacts[':id'].$get({ param: { id: c.id } }))) as ContactJson;
    expect(stored.avatarUrl).to.equal(null);
  });

  it('shows errors in place: a file that is not a picture, and a save the server refuses (the crop stays)', async () => {
    const c = await createContact({ firstName: 'Err', lastName: 'Place' });
    const el = await mount(c);
    const errors: DossierErrorEvent[] = [];
    el.addEventListener('dossier-error', (e) => errors.push(e));
    button(el).shadowRoot!.querySelector('button')!.click();
    const dialog = await dialogOf(el);
    await dialog.take(new File(['just text'], 'notes.txt', { type: 'text/plain' }));
    await dialog.updateComplete;
    expect(inDialog(dialog, '[role=alert]')!.textContent).to.equal('“notes.txt” is not a PNG, JPEG, WebP or GIF picture.');
    await dialog.take(new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])], 'broken.png', { type: 'image/png' }));
    await dialog.updateComplete;
    expect(inDialog(dialog, '[role=alert]')!.textContent).to.equal('“broken.png” could not be read as a picture.');
    await dialog.take(await pictureFile());
    await dialog.updateComplete;
    expect(inDialog(dialog, '[role=alert]'), 'a good picture clears the error').to.equal(null);
    // Someone moves the contact to the restore bin meanwhile.
    await unwrap(clientFor('owner').api.api.v1.contacts[':id'].$delete({ param: { id: c.id } }));
    buttonNamed(dialog, 'Save').click();
    await until(() => inDialog(dialog, '[role=alert]'), 'the refusal');
    expect(inDialog(dialog, '[role=alert]')!.textContent).to.match(/^The picture was not saved: This contact is in the restore bin/);
    expect(dialog.state, 'the crop stays, to try again').to.equal('crop');
    expect(errors.map((e) => e.detail.action)).to.deep.equal(['save-avatar']);
    buttonNamed(dialog, 'Cancel').click();
    await until(() => !$(el, 'dossier-avatar-dialog'), 'closed');
  });

  it('is a plain picture, not a button, when the contact cannot be edited', async () => {
    const c = await createContact({ firstName: 'Binned' });
    await unwrap(clientFor('owner').api.api.v1.contacts[':id'].$delete({ param: { id: c.id } }));
    const el = await inProvider<ContactRecord>(html`<contact-record contact-id=${c.id}></contact-record>`);
    await until(() => $(el, 'h2'), 'record');
    await el.updateComplete;
    expect($(el, 'dossier-avatar-button')).to.equal(null);
    expect($(el, 'header > dossier-avatar[part=avatar]')).to.exist;
  });
});
