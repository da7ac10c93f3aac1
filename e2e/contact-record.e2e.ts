import { expect, test } from '@playwright/test';
import { expectNoErrors, watchErrors } from './support.js';

test('a new user opens the demo, picks a contact, edits an email, reloads and sees it persisted', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const grid = page.getByRole('grid', { name: 'Contacts' });
  await expect(grid.getByRole('row').nth(3)).toBeVisible();

  // Pick the third contact in the table.
  const third = grid.getByRole('row').nth(3).locator('.col-name');
  const name = (await third.locator('.name').textContent())!.trim();
  await third.click();
  const record = page.locator('contact-record');
  await expect(record.getByRole('heading', { level: 2 })).toHaveText(name);

  // Edit the first email (or add one when the contact has none).
  const email = record.getByRole('textbox', { name: 'Email 1', exact: true });
  if (!(await email.count())) await record.getByRole('button', { name: 'Add email' }).click();
  const newEmail = `e2e.${Date.now()}@example.com`;
  await email.fill(newEmail);
  await email.press('Enter');
  await expect(record.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  // A contact named by its email (no name, no phone) is now named by the new one.
  if (name.includes('@') && !/\s/.test(name)) await expect(record.getByRole('heading', { level: 2 })).toHaveText(newEmail);
  const shown = (await record.getByRole('heading', { level: 2 }).textContent())!.trim();

  await page.reload();
  await page.getByRole('searchbox', { name: 'Search contacts' }).fill(newEmail);
  await expect(page.locator('contact-table').getByRole('status').filter({ hasText: '1 contact' })).toBeVisible();
  // Wait for the searched row itself, not only the count, before clicking it.
  await expect(grid.getByRole('row').nth(1)).toContainText(shown);
  await grid.getByRole('row').nth(1).locator('.col-name').click();
  await expect(record.getByRole('heading', { level: 2 })).toHaveText(shown);
  await expect(record.getByRole('textbox', { name: 'Email 1', exact: true })).toHaveValue(newEmail);
  await expectNoErrors(errors);
});

test('an agent sees no delete action; an owner deletes and restores a contact', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?role=agent');
  const record = page.locator('contact-record');
  const firstRow = page.getByRole('grid', { name: 'Contacts' }).getByRole('row').nth(1).locator('.col-name');
  await firstRow.click();
  await expect(record.getByRole('heading', { level: 2 })).toBeVisible();
  await expect(record.getByRole('button', { name: 'Delete contact' })).toHaveCount(0);

  await page.goto('/?role=owner');
  await firstRow.click();
  await expect(record.getByRole('heading', { level: 2 })).toBeVisible();
  await record.getByRole('button', { name: 'Delete contact' }).click();
  const dialog = record.getByRole('dialog');
  await expect(dialog).toContainText('restore bin');
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(record.getByText(/This contact was deleted on/)).toBeVisible();
  await record.getByRole('button', { name: 'Restore' }).click();
  await expect(record.getByText(/This contact was deleted on/)).toHaveCount(0);
  await expect(record.getByRole('button', { name: 'Delete contact' })).toBeVisible();
  await expectNoErrors(errors);
});
