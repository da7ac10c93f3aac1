import { expect, test } from '@playwright/test';
import { expectNoErrors, watchErrors } from './support.js';

test('a new user associates an existing company, creates and links a new one, sees it in Activity, and removes a link', async ({ page }) => {
  // Several lazy chunks (record tabs, the dialog, Activity) load on two shared cores.
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto('/');
  const grid = page.getByRole('grid', { name: 'Contacts' });
  await expect(grid.getByRole('row').nth(7)).toBeVisible();
  const row = grid.getByRole('row').nth(7).locator('.col-name');
  const name = (await row.locator('.name').textContent())!.trim();
  await row.click();
  const record = page.locator('contact-record');
  await expect(record.getByRole('heading', { level: 2 })).toHaveText(name);

  await record.getByRole('tab', { name: 'Associations' }).click();
  const tab = record.locator('contact-associations');
  await expect(tab.getByRole('button', { name: '+ Add' })).toBeVisible();
  // The demo links some contacts to one of its two companies already: associate the other one.
  const before = await tab.getByRole('listitem').count();
  const company = (await tab.getByRole('listitem').filter({ hasText: 'Northwind Traders' }).count()) ? 'Contoso Ltd' : 'Northwind Traders';

  // Add existing: search the demo's companies, choose one and how the contact relates to it.
  await tab.getByRole('button', { name: '+ Add' }).click();
  await tab.getByRole('menuitem', { name: 'Add existing' }).click();
  const existing = tab.getByRole('dialog', { name: 'Associate an existing record' });
  await existing.getByRole('combobox', { name: 'Record type' }).selectOption({ label: 'Company' });
  await existing.getByRole('searchbox', { name: 'Search' }).fill(company.slice(0, 5).toLowerCase());
  await existing.getByRole('button', { name: new RegExp(company) }).click();
  await expect(existing.getByText(`Chosen: ${company}`)).toBeVisible();
  await existing.getByRole('combobox', { name: 'Association' }).selectOption({ label: 'Employee of' });
  await existing.getByRole('button', { name: 'Associate' }).click();
  await expect(existing).toBeHidden();
  const linked = tab.getByRole('listitem').filter({ hasText: company });
  await expect(linked).toContainText('Employee of');
  await expect(linked).toContainText(`${company.split(' ')[0]!.toLowerCase()}.example`);

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
  await expect(activity.getByText(`associated “${company}” (Employee of)`, { exact: false })).toBeVisible();

  // Remove a link (after confirming): the company stays, only the link goes.
  await record.getByRole('tab', { name: 'Associations' }).click();
  await linked.getByRole('button', { name: `Remove the link to ${company}` }).click();
  await tab.getByRole('dialog', { name: 'Remove this association?' }).getByRole('button', { name: 'Remove' }).click();
  await expect(linked).toHaveCount(0);
  await expect(tab.getByRole('listitem')).toHaveCount(before + 1);
  await record.getByRole('tab', { name: 'Activity' }).click();
  await expect(activity.getByText(`removed the association with “${company}” (Employee of)`, { exact: false })).toBeVisible();
  expectNoErrors(errors);
});
