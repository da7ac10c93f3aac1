import { expect, test } from '@playwright/test';
import { expectNoErrors, watchErrors } from './support.js';

// The demo's agency page: an organization session over the demo workspace and "Globex Clinic" (120 seeded contacts).
test("an agency lists every workspace's contacts, filters one workspace and opens a contact in its own workspace", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/demo/agency');
  const table = page.locator('contact-table');
  const grid = table.getByRole('grid', { name: 'Contacts' });
  const status = table.locator('.status');
  await expect(status).toHaveText(/^\d+ contacts$/);
  const total = Number((await status.textContent())!.replace(/\D/g, ''));
  expect(total).toBeGreaterThan(120);
  await expect(grid.getByRole('columnheader', { name: 'Workspace' })).toBeVisible();
  // Read-only across workspaces: no selection boxes, no Add contact.
  await expect(grid.getByRole('checkbox')).toHaveCount(0);
  await expect(table.getByRole('button', { name: 'Add contact' })).toHaveCount(0);

  // The Workspace filter.
  const workspace = table.getByRole('combobox', { name: 'Workspace' });
  await workspace.selectOption({ label: 'Globex Clinic' });
  await expect(status).toHaveText('120 contacts');
  const cells = grid.locator('.body [role=row] .col-workspace');
  await expect(cells.first()).toHaveText('Globex Clinic');
  for (const text of await cells.allTextContents()) expect(text.trim()).toBe('Globex Clinic');

  // A row opens in the record with that workspace's own token: the record loads it, and its edits are that workspace's.
  const first = grid.getByRole('row').nth(1);
  const name = (await first.locator('.col-name .name').textContent())!.trim();
  await first.click();
  const record = page.locator('contact-record');
  await expect(record.locator('[part=name]')).toHaveText(name);
  const tag = `agency-${Date.now().toString(36)}`;
  const meta = record.locator('[part=meta]');
  await meta.getByPlaceholder('Add a tag…').fill(tag);
  await meta.getByPlaceholder('Add a tag…').press('Enter');
  await expect(record.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect(meta).toContainText(tag);
  // The organization list finds it by the new tag, in Globex Clinic only.
  await workspace.selectOption({ label: 'All workspaces' });
  await expect(status).toHaveText(`${total} contacts`);
  await table.getByRole('searchbox', { name: 'Search contacts' }).fill(tag);
  await expect(status).toHaveText('1 contact');
  await expect(grid.getByRole('row').nth(1).locator('.col-workspace')).toHaveText('Globex Clinic');
  await expectNoErrors(errors);
});
