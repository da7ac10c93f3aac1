import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../packages/widgets/src/index.js';
import type { DossierAvatarDialog, AvatarDialogState } from '../packages/widgets/src/contact-record/avatar-dialog.js';
import '../packages/widgets/src/contact-record/avatar-dialog.js';
import { initialCrop, zoomTo, move } from '../packages/widgets/src/contact-record/avatar-crop.js';
import type { ContactJson } from '../packages/core/src/types.js';
import { contact } from './support/sample-data.js';
import { fail, NEVER, storyFetch, type Reply } from './support/story-server.js';

/** A portrait drawn on a canvas (no image file needed): sky, a face, shoulders. */
async function portrait(): Promise<ImageBitmap> {
  const canvas = new OffscreenCanvas(480, 360);
  const g = canvas.getContext('2d')!;
  const sky = g.createLinearGradient(0, 0, 0, 360);
  sky.addColorStop(0, '#8ec5fc');
  sky.addColorStop(1, '#e0c3fc');
  g.fillStyle = sky;
  g.fillRect(0, 0, 480, 360);
  g.fillStyle = '#2f3e66';
  g.beginPath();
  g.ellipse(240, 380, 150, 110, 0, 0, Math.PI * 2);
  g.fill();
  g.fillStyle = '#f1c7a5';
  g.beginPath();
  g.arc(240, 170, 80, 0, Math.PI * 2);
  g.fill();
  g.fillStyle = '#4a3426';
  g.beginPath();
  g.arc(240, 140, 82, Math.PI, 0);
  g.fill();
  return createImageBitmap(canvas);
}

/** A small picture as a data: URL, for a contact that already has one. */
const PICTURE = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#8ec5fc"/><circle cx="5" cy="5" r="3" fill="#f1c7a5"/></svg>')}`;

interface Setup {
  state?: AvatarDialogState;
  picture?: boolean;
  /** Contact already has a picture (Remove picture shows). */
  hasPicture?: boolean;
  error?: string;
  zoomed?: boolean;
  reply?: Reply;
}

/** The dialog of Ada's record, opened at once in the given state; the API answers from memory. */
function render(setup: Setup = {}) {
  const c: ContactJson = { ...contact, avatarUrl: setup.hasPicture ? PICTURE : null };
  const provider = document.createElement('dossier-provider');
  provider.getToken = async () => 'story-token';
  provider.fetch = storyFetch({
    'GET /api/v1/me': { workspace: { id: 'ws_1' }, member: { id: 'mb_olivia' }, permissions: ['contacts.edit'] },
    'POST /api/v1/contacts/events/ticket': NEVER,
    'PUT /api/v1/contacts/:id/avatar': () => setup.reply ?? { ...c, avatarUrl: PICTURE, version: c.version + 1 },
    'DELETE /api/v1/contacts/:id/avatar': () => setup.reply ?? { ...c, avatarUrl: null, version: c.version + 1 },
  });
  const dialog = document.createElement('dossier-avatar-dialog') as DossierAvatarDialog;
  dialog.contact = c;
  provider.append(dialog);
  void (async () => {
    // Opens once Storybook has put the provider in the page (the dialog takes its client from it).
    while (!dialog.isConnected) await new Promise((r) => requestAnimationFrame(r));
    await dialog.open();
    if (setup.picture) {
      const bitmap = await portrait();
      dialog.picture = bitmap;
      let crop = initialCrop(bitmap.width, bitmap.height);
      if (setup.zoomed) crop = move(zoomTo(crop, 2.2), 0.1, 0.15);
      dialog.crop = crop;
    }
    dialog.state = setup.state ?? (setup.picture ? 'crop' : 'choose');
    dialog.error = setup.error ?? '';
  })();
  return provider;
}

const meta: Meta = {
  title: 'Widgets/contact-record/Profile picture dialog',
  component: 'dossier-avatar-dialog',
  parameters: {
    docs: { description: { component: 'The record header\'s picture dialog (a lazy chunk): choose or drop a picture, crop it to the circle with pointer, wheel or keyboard, Save uploads it at once; Remove picture.' } },
  },
};
export default meta;
type Story = StoryObj;

export const ChoosePicture: Story = { render: () => render() };
export const ChooseWithCurrentPicture: Story = { render: () => render({ hasPicture: true }) };
export const NotAPicture: Story = { render: () => render({ error: '“notes.txt” is not a PNG, JPEG, WebP or GIF picture.' }) };
export const Crop: Story = { render: () => render({ picture: true }) };
export const CropZoomedAndMoved: Story = { render: () => render({ picture: true, zoomed: true, hasPicture: true }) };
export const Saving: Story = { render: () => render({ picture: true, state: 'saving', reply: NEVER }) };
export const SaveFailed: Story = {
  render: () => render({ picture: true, error: 'The picture was not saved: This contact is in the restore bin; restore it before editing.', reply: fail(409, 'conflict', 'This contact is in the restore bin; restore it before editing.') }),
};
export const Removing: Story = { render: () => render({ hasPicture: true, state: 'removing', reply: NEVER }) };
