import { expect, test } from '@playwright/test';
import { darkPixels, expectNoErrors, watchErrors } from './support.js';

test('a new viewer opens the demo share link, gets a code from the dev inbox, reads page 2; staff then find them by the link', async ({ page, context, request }) => {
  const errors = watchErrors(page);
  const link = (await (await request.get('/demo/share-link')).json()) as { path: string; linkId: string; slug: string };
  const email = `e2e.viewer.${Date.now()}@example.com`;

  // The viewer: the public page asks for an email and sends a code.
  await page.goto(link.path);
  const viewer = page.locator('share-viewer');
  await expect(viewer.getByRole('heading', { name: 'Verify it’s you to view this document' })).toBeVisible();
  await viewer.getByRole('textbox', { name: 'Email address' }).fill(email);
  await viewer.getByRole('button', { name: 'Send code' }).click();
  await expect(viewer.getByText(`We sent a code to ${email}.`)).toBeVisible();

  // The dev inbox (in another tab) shows the code.
  const inbox = await context.newPage();
  await inbox.goto('/');
  await inbox.getByRole('link', { name: 'Dev inbox' }).click();
  await expect(inbox).toHaveURL(/\/demo\/inbox$/);
  const message = inbox.getByRole('listitem').filter({ hasText: `Email to ${email}` });
  await expect(message).toBeVisible();
  const subject = await message.locator('.subject').textContent();
  const code = /(\d{6}) is your code/.exec(subject ?? '')![1]!;
  await inbox.close();

  // Type it, read page 2 of the PDF.
  const codeBox = viewer.getByRole('textbox', { name: 'Code' });
  await expect(codeBox).toHaveAttribute('autocomplete', 'one-time-code');
  await codeBox.fill(code);
  await viewer.getByRole('button', { name: 'Verify' }).click();
  await expect(viewer.getByRole('heading', { name: 'Acme proposal.pdf' })).toBeVisible();
  await expect(viewer.getByRole('img', { name: 'Page 1 of 5' })).toBeVisible({ timeout: 20_000 });
  await viewer.getByRole('button', { name: 'Next page' }).click();
  await expect(viewer.getByRole('img', { name: 'Page 2 of 5' })).toBeVisible();
  await expect(viewer.locator('[data-page-text]')).toContainText('Page 2 of 5');
  expect(await darkPixels(viewer.locator('canvas')), 'the page has ink on it').toBeGreaterThan(50);
  await expectNoErrors(errors);

  // Staff: the viewer is a contact, found by the share-link filter and in the demo's contact list.
  const token = ((await (await request.post('/demo/token?role=owner')).json()) as { token: string }).token;
  const query = await request.post('/api/v1/contacts/query', {
    headers: { authorization: `Bearer ${token}` },
    data: { filter: { field: 'shareLink', op: 'is_any', value: [link.linkId] }, sort: { field: 'lastAccessedAt', dir: 'desc' } },
  });
  expect(query.ok()).toBe(true);
  const found = ((await query.json()) as { items: { name: string; source: string; accessCount: number; emails: { value: string; verified: boolean }[] }[] }).items;
  const viewerContact = found.find((c) => c.emails.some((e) => e.value === email))!;
  expect(viewerContact).toBeTruthy();
  expect(viewerContact.source).toBe('share-link');
  expect(viewerContact.accessCount).toBe(1);
  expect(viewerContact.emails[0]!.verified).toBe(true);

  // …and in <contact-table> through the "Viewers" view every workspace ships with (newest access first).
  await page.goto('/');
  const table = page.locator('contact-table');
  await table.getByRole('combobox', { name: 'View' }).selectOption({ label: 'Viewers' });
  const firstRow = table.getByRole('grid', { name: 'Contacts' }).getByRole('row').nth(1);
  await expect(firstRow).toContainText(email);
  await expect(table.getByRole('columnheader', { name: /Last accessed/ })).toBeVisible();
  await expectNoErrors(errors);
});
