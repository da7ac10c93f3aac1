import { expect, test } from '@playwright/test';
import { uploadPicture } from './picture.js';
import { expectNoErrors, watchErrors } from './support.js';

test('a new user uploads and crops a picture in the record and sees it in the table', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const grid = page.getByRole('grid', { name: 'Contacts' });
  const row = grid.getByRole('row').nth(2);
  await expect(row).toContainText(/\S/);
  const name = (await row.locator('.col-name .name').textContent())!.trim();
  await row.locator('.col-name').click();
  const record = page.locator('contact-record');
  await expect(record.getByRole('heading', { level: 2 })).toHaveText(name);

  const src = await uploadPicture(page, record, name);
  // The table's Name column shows it at once (the record tells the page's other widgets; the live stream the rest).
  await expect(row.locator('.col-name img')).toHaveAttribute('src', src);
  // The Audit log says so.
  await record.getByRole('tab', { name: 'Audit log' }).click();
  await expect(record.getByRole('tabpanel', { name: 'Audit log' })).toContainText('changed the profile picture');

  // Remove it: initials again, in both places.
  await record.getByRole('button', { name: `Change the profile picture of ${name}` }).click();
  await record.getByRole('dialog', { name: 'Profile picture' }).getByRole('button', { name: 'Remove picture' }).click();
  await expect(record.locator('header img')).toHaveCount(0);
  await expect(row.locator('.col-name img')).toHaveCount(0);
  await expectNoErrors(errors);
});
