import { expect, test } from '@playwright/test';
import { expectNoErrors, watchErrors } from './support.js';

// Issue 9, item 1: the demo walk that lost a bulk edit. The contact open in the record is ticked in the table and
// tagged in bulk; the record learns of it without a reload, a tag added in the record keeps the bulk one, and
// Assign owner shows in the record too.
test('a bulk edit reaches the open record, and a save from the record keeps it', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const table = page.locator('contact-table');
  const grid = table.getByRole('grid', { name: 'Contacts' });
  const record = page.locator('contact-record');
  const name = (await record.getByRole('heading', { level: 2 }).textContent())!.trim();
  const row = grid.getByRole('row').filter({ hasText: name }).first();
  await expect(row).toBeVisible();

  // Tick the open contact's row, Add tags "bulk-added".
  await row.getByRole('checkbox', { name: `Select ${name}` }).check();
  const bulkBar = table.getByRole('toolbar', { name: 'Bulk actions' });
  await bulkBar.getByRole('button', { name: 'Add tags' }).click();
  const dialog = table.getByRole('dialog', { name: 'Add tags' });
  await dialog.getByPlaceholder('Add a tag…').fill('bulk-added');
  await dialog.getByPlaceholder('Add a tag…').press('Enter');
  await dialog.getByRole('button', { name: 'Add tags' }).click();
  await expect(row).toContainText('bulk-added');
  // The record header shows it, no reload.
  const meta = record.locator('[part=meta]');
  await expect(meta).toContainText('bulk-added');

  // Add "from-record" in the record.
  await meta.getByPlaceholder('Add a tag…').fill('from-record');
  await meta.getByPlaceholder('Add a tag…').press('Enter');
  await expect(record.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect(meta).toContainText('from-record');
  await expect(meta).toContainText('bulk-added');

  // Assign owner in bulk: the record's Owner follows.
  await row.getByRole('checkbox', { name: `Select ${name}` }).check();
  await bulkBar.getByRole('button', { name: 'Assign owner' }).click();
  const assign = table.getByRole('dialog', { name: 'Assign owner' });
  await assign.getByRole('combobox', { name: 'Owner' }).selectOption({ label: 'Sam Support' });
  await assign.getByRole('button', { name: 'Assign owner' }).click();
  await expect(row).toContainText('Sam Support');
  await expect.poll(() => record.locator('select#owner').evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe('Sam Support');

  // The server has both tags: a fresh page reads them back.
  await page.reload();
  await expect(record.getByRole('heading', { level: 2 })).toHaveText(name);
  await expect(record.locator('[part=meta]')).toContainText('bulk-added');
  await expect(record.locator('[part=meta]')).toContainText('from-record');
  await expectNoErrors(errors);
});
