import { expect, test } from '@playwright/test';
import { expectNoErrors, watchErrors } from './support.js';

test('a new user associates an existing company, creates and links a new one, sees it in Activity, and removes a link', async ({ page }) => {
  // Several lazy chunks (record tabs, the dialog, Activity) load on two shared cores.
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto('/');
  const grid = page.getByRole('grid', { name: 'Contacts' });
  // Well past the newest contacts, which the demo already links to companies.
  await expect(grid.getByRole('row').nth(20)).toBeVisible();
  const row = grid.getByRole('row').nth(20).locator('.col-name');
  const name = (await row.locator('.name').textContent())!.trim();
  await row.click();
  const record = page.locator('contact-record');
  await expect(record.getByRole('heading', { level: 2 })).toHaveText(name);

  await record.getByRole('tab', { name: 'Associations' }).click();
  const tab = record.locator('contact-associations');
  await expect(tab.getByText('No associations yet.')).toBeVisible();

  // Add existing: search the demo's companies, choose one and how the contact relates to it.
  await tab.getByRole('button', { name: '+ Add' }).click();
  await tab.getByRole('menuitem', { name: 'Add existing' }).click();
  const existing = tab.getByRole('dialog', { name: 'Associate an existing record' });
  await existing.getByRole('combobox', { name: 'Record type' }).selectOption({ label: 'Company' });
  await existing.getByRole('searchbox', { name: 'Search' }).fill('north');
  await existing.getByRole('button', { name: /Northwind Traders/ }).click();
  await expect(existing.getByText('Chosen: Northwind Traders')).toBeVisible();
  await existing.getByRole('combobox', { name: 'Association' }).selectOption({ label: 'Employee of' });
  await existing.getByRole('button', { name: 'Associate' }).click();
  await expect(existing).toBeHidden();
  const northwind = tab.getByRole('listitem').filter({ hasText: 'Northwind Traders' });
  await expect(northwind).toContainText('Employee of');
  await expect(northwind).toContainText('northwind.example');

  // Create new: a company that does not exist yet, linked in the same step.
  const stamp = Date.now();
  await tab.getByRole('button', { name: '+ Add' }).click();
  await tab.getByRole('menuitem', { name: 'Create new' }).click();
  const create = tab.getByRole('dialog', { name: 'Create and associate' });
  await create.getByRole('combobox', { name: 'Record type' }).selectOption({ label: 'Company' });
  await create.getByRole('textbox', { name: 'Name' }).fill(`Initech ${stamp}`);
  await create.getByRole('textbox', { name: 'Domain' }).fill(`initech-${stamp}.example`);
  await create.getByRole('button', { name: 'Associate' }).click();
  await expect(create).toBeHidden();
  await expect(tab.getByRole('listitem').filter({ hasText: `Initech ${stamp}` })).toContainText('Employee of');
  await expect(tab.getByRole('heading', { name: 'Companies' })).toBeVisible();

  await record.getByRole('tab', { name: 'Activity' }).click();
  const activity = record.locator('contact-activity');
  await expect(activity.getByText('associated “Northwind Traders” (Employee of)', { exact: false })).toBeVisible();

  // Remove a link (after confirming): the company stays, only the link goes.
  await record.getByRole('tab', { name: 'Associations' }).click();
  await northwind.getByRole('button', { name: 'Remove the link to Northwind Traders' }).click();
  await tab.getByRole('dialog', { name: 'Remove this association?' }).getByRole('button', { name: 'Remove' }).click();
  await expect(northwind).toHaveCount(0);
  await expect(tab.getByRole('listitem')).toHaveCount(1);
  await record.getByRole('tab', { name: 'Activity' }).click();
  await expect(activity.getByText('removed the association with “Northwind Traders” (Employee of)', { exact: false })).toBeVisible();
  expectNoErrors(errors);
});
