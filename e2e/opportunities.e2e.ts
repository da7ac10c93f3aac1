import { expect, test } from '@playwright/test';
import { expectNoErrors, watchErrors } from './support.js';

test('a new user creates an opportunity from a contact, moves it to Won, sees it in Activity, and the host hears opportunity-open', async ({ page }) => {
  // Several lazy chunks (record panels, the Actions section, the dialog, Activity) load on two shared cores.
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  const opened: string[] = [];
  page.on('console', (m) => m.text().startsWith('[host] open opportunity:') && opened.push(m.text()));
  await page.goto('/');
  const grid = page.getByRole('grid', { name: 'Contacts' });
  await expect(grid.getByRole('row').nth(8)).toBeVisible();
  const row = grid.getByRole('row').nth(8).locator('.col-name');
  const name = (await row.locator('.name').textContent())!.trim();
  await row.click();
  const record = page.locator('contact-record');
  await expect(record.getByRole('heading', { level: 2 })).toHaveText(name);

  const stamp = Date.now();
  const section = record.locator('contact-opportunities');
  await section.getByRole('button', { name: '+ New opportunity' }).click();
  const dialog = section.getByRole('dialog', { name: 'New opportunity' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Name' }).fill(`Fleet deal ${stamp}`);
  await dialog.getByRole('combobox', { name: 'Pipeline' }).selectOption({ label: 'Sales' });
  await dialog.getByRole('combobox', { name: 'Stage' }).selectOption({ label: 'Qualified' });
  await dialog.getByRole('textbox', { name: 'Value' }).fill('12,500.00');
  await dialog.getByRole('combobox', { name: 'Currency' }).selectOption('USD');
  await dialog.getByRole('textbox', { name: 'Source' }).fill('Trade fair');
  await dialog.getByRole('button', { name: 'Create opportunity' }).click();
  await expect(dialog).toBeHidden();

  const card = section.getByRole('listitem').filter({ hasText: `Fleet deal ${stamp}` });
  await expect(card).toContainText('$12,500.00');
  await expect(card).toContainText('Sales › Qualified');
  await expect(card).toContainText('Open');
  // The Contact tab lists it among the contact's open opportunities.
  const active = record.locator('dossier-active-opportunities');
  await expect(active.getByRole('button', { name: `Open Fleet deal ${stamp}` })).toBeVisible();

  await card.getByRole('combobox', { name: `Stage of Fleet deal ${stamp}` }).selectOption({ label: 'Negotiation' });
  await expect(card).toContainText('Sales › Negotiation');
  await card.getByRole('combobox', { name: `Status of Fleet deal ${stamp}` }).selectOption('won');
  await expect(card.locator('.badge')).toHaveText('Won');
  // Won is no longer active: it leaves the Contact tab's list.
  await expect(active.getByRole('button', { name: `Open Fleet deal ${stamp}` })).toBeHidden();

  await card.getByRole('button', { name: `Open Fleet deal ${stamp}` }).click();
  await expect.poll(() => opened.length).toBe(1);

  await record.getByRole('tab', { name: 'Activity' }).click();
  const activity = record.locator('contact-activity');
  await expect(activity.getByText(`created the opportunity “Fleet deal ${stamp}”`, { exact: false })).toBeVisible();
  await expect(activity.getByText(`moved the opportunity “Fleet deal ${stamp}” from Qualified to Negotiation`, { exact: false })).toBeVisible();
  await expect(activity.getByText(`marked the opportunity “Fleet deal ${stamp}” won`, { exact: false })).toBeVisible();
  expectNoErrors(errors);
});
