import { expect, test } from '@playwright/test';
import { expectNoErrors, watchErrors } from './support.js';

test('a new user adds a contact to a workflow (Active, Activity), then grants a course offer and revokes it', async ({ page }) => {
  // Several lazy chunks (record panels, the Actions sections, Activity) load on two shared cores.
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto('/');
  const grid = page.getByRole('grid', { name: 'Contacts' });
  await expect(grid.getByRole('row').nth(9)).toBeVisible();
  const row = grid.getByRole('row').nth(9).locator('.col-name');
  const name = (await row.locator('.name').textContent())!.trim();
  await row.click();
  const record = page.locator('contact-record');
  await expect(record.getByRole('heading', { level: 2 })).toHaveText(name);

  // Workflows: the Actions panel's section lists the host's active workflows to add the contact to.
  const workflows = record.locator('contact-workflows');
  await workflows.getByRole('button', { name: '+ Add to workflow' }).click();
  await expect(workflows.getByRole('searchbox', { name: 'Search workflows' })).toBeFocused();
  const first = workflows.locator('.choice').first();
  await expect(first).toBeVisible();
  const workflow = (await first.textContent())!.trim();
  // Found by the search too (by name), then chosen.
  await workflows.getByRole('searchbox', { name: 'Search workflows' }).fill(workflow.slice(0, 6));
  await expect(workflows.locator('.choice')).not.toHaveCount(0);
  await workflows.getByRole('button', { name: workflow, exact: true }).click();
  const active = workflows.getByRole('list', { name: /^Active/ });
  await expect(active.getByRole('listitem').filter({ hasText: workflow })).toBeVisible();

  await record.getByRole('tab', { name: 'Activity' }).click();
  const activity = record.locator('contact-activity');
  await expect(activity.getByText(`added the contact to the workflow “${workflow}”`, { exact: false }).first()).toBeVisible();

  // Client portal: grant an offer from the dropdown, then revoke it with ×. (In one column the Actions panel follows
  // the contact's own tabs.)
  await record.getByRole('tab', { name: 'Contact' }).click();
  const portal = record.locator('contact-portal');
  const pick = portal.getByRole('combobox', { name: 'Offer to grant' });
  const offer = (await pick.locator('option').nth(1).textContent())!.trim();
  await pick.selectOption({ label: offer });
  await portal.getByRole('button', { name: 'Grant' }).click();
  const chip = portal.getByRole('listitem').filter({ hasText: offer });
  await expect(chip).toBeVisible();
  await chip.getByRole('button', { name: `Revoke ${offer}` }).click();
  await expect(chip).toBeHidden();
  await record.getByRole('tab', { name: 'Activity' }).click();
  await expect(activity.getByText(`revoked the course offer “${offer}”`, { exact: false })).toBeVisible();
  await expect(activity.getByText(`granted the course offer “${offer}”`, { exact: false }).first()).toBeVisible();
  expectNoErrors(errors);
});
