import { expect, test } from '@playwright/test';
import { expectNoErrors, watchErrors } from './support.js';

/** `YYYY-MM-DD` of the next Wednesday at least a week away (the demo's Sales calendar works Monday to Friday). */
function nextWednesday() {
  const d = new Date(Date.now() + 7 * 86_400_000);
  while (d.getUTCDay() !== 3) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

test('a new user books an appointment in a free slot from the record, sees it in Upcoming and in Activity, and cancels it', async ({ page }) => {
  // Several lazy chunks (record tabs, the dialog, Activity) load on two shared cores.
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto('/');
  const grid = page.getByRole('grid', { name: 'Contacts' });
  await expect(grid.getByRole('row').nth(6)).toBeVisible();
  const row = grid.getByRole('row').nth(6).locator('.col-name');
  const name = (await row.locator('.name').textContent())!.trim();
  await row.click();
  const record = page.locator('contact-record');
  await expect(record.getByRole('heading', { level: 2 })).toHaveText(name);

  const stamp = Date.now();
  await record.getByRole('tab', { name: 'Appointments' }).click();
  const appointments = record.locator('contact-appointments');
  await appointments.getByRole('button', { name: '+ Book appointment' }).click();
  const dialog = appointments.getByRole('dialog', { name: 'New appointment' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('combobox', { name: 'Calendar' }).selectOption({ label: 'Sales consultations' });
  await dialog.getByRole('textbox', { name: 'Title' }).fill(`Product demo ${stamp}`);
  await dialog.getByLabel('Date').fill(nextWednesday());
  const slots = dialog.getByRole('radiogroup', { name: 'Time' });
  await expect(slots.getByRole('radio').first()).toBeAttached();
  await slots.locator('label').first().click();
  await expect(slots.getByRole('radio').first()).toBeChecked();
  await dialog.getByRole('combobox', { name: 'Type' }).selectOption('service');
  await dialog.getByRole('button', { name: 'Book' }).click();
  await expect(dialog).toBeHidden();

  const card = appointments.getByRole('listitem').filter({ hasText: `Product demo ${stamp}` });
  await expect(card).toBeVisible();
  await expect(card).toContainText('Confirmed');
  await expect(card).toContainText('Service');
  await expect(card).toContainText('Video call (link in the invitation)');

  await record.getByRole('tab', { name: 'Activity' }).click();
  const activity = record.locator('contact-activity');
  await expect(activity.getByText(`booked the appointment “Product demo ${stamp}”`, { exact: false })).toBeVisible();

  await record.getByRole('tab', { name: 'Appointments' }).click();
  await card.getByRole('button', { name: `Cancel appointment: Product demo ${stamp}` }).click();
  await appointments.getByRole('dialog', { name: 'Cancel this appointment?' }).getByRole('button', { name: 'Cancel appointment' }).click();
  await expect(card).toContainText('Cancelled');
  await record.getByRole('tab', { name: 'Activity' }).click();
  await expect(activity.getByText(`cancelled the appointment “Product demo ${stamp}”`, { exact: false })).toBeVisible();
  expectNoErrors(errors);
});
