import { expect, test, type Locator, type Page } from '@playwright/test';
import { demoSecretKey, expectNoErrors, watchErrors } from './support.js';
import { bluePdfSource } from '../packages/core/src/testing/pdf-source.js';

/** Opens the record's Documents tab (the demo's documents live there) and gives its <contact-documents>. */
async function openDocuments(page: Page): Promise<Locator> {
  await page.locator('contact-record').getByRole('tab', { name: 'Documents' }).click();
  const docs = page.locator('contact-record contact-documents');
  await expect(docs.getByRole('tab', { name: /^All \d+/ })).toBeVisible();
  return docs;
}

/** Drags files from the desktop onto `target`, the way a browser fires the events. */
async function dropFiles(page: Page, target: Locator, files: { name: string; text: string }[]) {
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name, { type: 'text/plain' }));
    return dt;
  }, files);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

test('a new user uploads by drag and drop, finds, previews and deletes a document, and sees a pushed attachment arrive live', async ({ page, request }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const record = page.locator('contact-record');
  await expect(record.getByRole('heading', { level: 2 })).toBeVisible();
  const docs = await openDocuments(page);
  const contactId = (await docs.getAttribute('contact-id'))!;

  // Drop two files on the widget: the Add dialog opens with both queued; upload them.
  const stamp = Date.now();
  const first = `Meeting notes ${stamp}.txt`;
  const second = `Price list ${stamp}.txt`;
  await dropFiles(page, docs.locator('.root'), [
    { name: first, text: 'Agreed on the renewal in January.' },
    { name: second, text: 'Pro plan: 49 per seat.' },
  ]);
  const dialog = docs.getByRole('dialog', { name: 'Add documents' });
  await expect(dialog.getByRole('list', { name: 'Files to upload' }).getByRole('listitem')).toHaveCount(2);
  await dialog.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Uploaded' })).toHaveCount(2);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  await expect(docs.getByRole('button', { name: first, exact: true })).toBeVisible();
  await expect(docs.getByRole('button', { name: second, exact: true })).toBeVisible();

  // Find one by name and preview it.
  await docs.getByRole('searchbox', { name: 'Search documents by name' }).fill(`Meeting notes ${stamp}`);
  await expect(docs.getByRole('button', { name: second, exact: true })).toHaveCount(0);
  await docs.getByRole('button', { name: first, exact: true }).click();
  const preview = docs.getByRole('region', { name: `Preview of ${first}` });
  await expect(preview.getByText('Agreed on the renewal in January.')).toBeVisible();
  await preview.getByRole('button', { name: 'Close preview' }).click();

  // Delete it; the list offers Undo.
  await docs.getByRole('button', { name: `Actions for ${first}` }).click();
  await docs.getByRole('menuitem', { name: 'Delete' }).click();
  await expect(docs.getByText(`“${first}” was deleted.`)).toBeVisible();
  await expect(docs.getByRole('button', { name: first, exact: true })).toHaveCount(0);
  await docs.getByRole('searchbox', { name: 'Search documents by name' }).fill('');

  // The host backend records an inbound email with an attachment: it shows up under Received, no reload.
  await docs.getByRole('tab', { name: /^Received/ }).click();
  const auth = { authorization: `Bearer ${demoSecretKey()}` };
  const contact = (await (await request.get(`/api/v1/contacts/${contactId}`, { headers: auth })).json()) as { emails: { value: string }[] };
  let email = contact.emails[0]?.value;
  if (!email) {
    email = `e2e.docs.${stamp}@example.com`;
    expect((await request.patch(`/api/v1/contacts/${contactId}`, { headers: auth, data: { emails: [{ value: email }] } })).ok()).toBe(true);
  }
  // The push must reach an open event stream (the widget follows the contact over SSE): wait for it, not for a timer.
  await expect(docs).toHaveAttribute('data-live', 'connected');
  const attachment = `Signed order ${stamp}.txt`;
  const res = await request.post('/api/v1/messages', {
    headers: auth,
    multipart: {
      message: JSON.stringify({ channel: 'email', direction: 'inbound', contact: { email }, subject: 'Signed order', text: 'Here it is.' }),
      file: { name: attachment, mimeType: 'text/plain', buffer: Buffer.from('Signed, sealed, delivered.') },
    },
  });
  expect(res.status()).toBe(201);
  const row = docs.getByRole('listitem').filter({ has: page.getByRole('button', { name: attachment, exact: true }) });
  await expect(row).toBeVisible();
  await expect(row).toContainText('Email');
  // Once the Received list's own request has settled, the live arrival is still there (an older list answer must
  // not replace it), and the list agrees with the count on the tab.
  await expect(docs.getByRole('tabpanel')).toHaveAttribute('aria-busy', 'false');
  await expect(row).toBeVisible();
  await expect(docs.getByText('Nothing received yet')).toHaveCount(0);
  await expect
    .poll(async () => {
      const count = Number((await docs.getByRole('tab', { name: /^Received/ }).locator('.count').textContent())?.trim());
      return Math.min(count, 50) === (await docs.getByRole('tabpanel').getByRole('listitem').count());
    })
    .toBe(true);
  await expectNoErrors(errors);
});

/** A one-page PDF (a blue square). */
function pdf(): Buffer {
  return Buffer.from(bluePdfSource());
}

test('a PDF picked with the file chooser previews with pdf.js from the built bundle (lazy chunk and worker)', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const docs = await openDocuments(page);
  await docs.getByRole('button', { name: 'Add' }).click();
  const dialog = docs.getByRole('dialog', { name: 'Add documents' });
  const name = `Contract ${Date.now()}.pdf`;
  const chooser = page.waitForEvent('filechooser');
  await dialog.getByRole('button', { name: 'Choose files' }).click();
  await (await chooser).setFiles({ name, mimeType: 'application/pdf', buffer: pdf() });
  await dialog.getByRole('radio', { name: 'Sent' }).check();
  await dialog.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Uploaded' })).toHaveCount(1);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await docs.getByRole('tab', { name: /^Sent/ }).click();
  await docs.getByRole('button', { name, exact: true }).click();
  await expect(docs.getByRole('img', { name: `Page 1 of ${name}` })).toBeVisible();
  await expect(docs.locator('documents-pdf-view[data-rendered="1"]')).toHaveCount(1);
  await expectNoErrors(errors);
});

for (const [width, theme] of [[1440, 'light'], [390, 'dark']] as const) {
  test(`a file custom field's upload lands in the Custom fields folder, and every row menu item shows (${width} px, ${theme})`, async ({ page }, info) => {
    const errors = watchErrors(page);
    await page.setViewportSize({ width, height: 900 });
    await page.goto('/');
    await page.locator('#theme').selectOption(theme);
    const record = page.locator('contact-record');
    await expect(record.getByRole('heading', { level: 2 })).toBeVisible();

    // The demo's "Signed contract" field (type file) in the record's Additional tab.
    await record.getByRole('tab', { name: 'Additional' }).click();
    const field = record.getByRole('group', { name: 'Signed contract' });
    const name = `Signed ${width} ${Date.now()}.txt`;
    const chooser = page.waitForEvent('filechooser');
    await field.getByRole('button', { name: 'Add files' }).click();
    await (await chooser).setFiles({ name, mimeType: 'text/plain', buffer: Buffer.from('Signed by both parties.') });
    await expect(field.getByRole('button', { name, exact: true })).toBeVisible();

    // It is in the record's Documents, in the Custom fields folder of Internal, named by its field.
    const docs = await openDocuments(page);
    const folder = docs.getByRole('region', { name: /^Custom fields/ });
    await expect(folder.getByRole('button', { name, exact: true })).toBeVisible();
    await expect(folder.getByRole('listitem').filter({ hasText: name })).toContainText('Custom field · Signed contract');

    // Its row menu shows whole, whatever the list's height: every item is on screen and the one hit there.
    await docs.evaluate((el) => el.style.setProperty('--contact-documents-max-height', '220px'));
    await docs.getByRole('button', { name: `Actions for ${name}` }).click();
    const items = docs.getByRole('menuitem');
    await expect(items.first()).toBeFocused();
    expect(await items.allTextContents()).toEqual(['Preview', 'Download', 'Share…', 'Rename', 'Share on the client portal', 'Delete']);
    for (const item of await items.all()) {
      const box = (await item.boundingBox())!;
      expect(box.y >= 0 && box.y + box.height <= 900 && box.x >= 0 && box.x + box.width <= width, `${await item.textContent()} on screen`).toBe(true);
      await item.hover();
    }
    await page.screenshot({ path: info.outputPath(`menu-${width}-${theme}.png`) });
    await page.keyboard.press('Escape');
    await expect(docs.getByRole('button', { name: `Actions for ${name}` })).toBeFocused();

    // Taken out of the field in the record, it stays a document of the contact, out of the folder.
    await record.getByRole('tab', { name: 'Additional' }).click();
    await field.getByRole('button', { name: `Remove ${name} from Signed contract` }).click();
    await expect(field.getByRole('button', { name, exact: true })).toHaveCount(0);
    await record.getByRole('tab', { name: 'Documents' }).click();
    await expect(docs.getByRole('button', { name, exact: true })).toBeVisible();
    await expect(folder.getByRole('button', { name, exact: true })).toHaveCount(0);
    await expectNoErrors(errors);
  });
}
