import { expect, test } from '@playwright/test';
import { expectNoErrors, watchErrors } from './support.js';

test('a new user opens a contact, adds a note, adds a task and completes it, and sees both after a reload and in Activity', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const grid = page.getByRole('grid', { name: 'Contacts' });
  await expect(grid.getByRole('row').nth(4)).toBeVisible();
  const row = grid.getByRole('row').nth(4).locator('.col-name');
  const name = (await row.locator('.name').textContent())!.trim();
  await row.click();
  const record = page.locator('contact-record');
  await expect(record.getByRole('heading', { level: 2 })).toHaveText(name);

  const stamp = Date.now();
  await record.getByRole('tab', { name: 'Notes' }).click();
  const notes = record.locator('contact-notes');
  await notes.getByRole('textbox', { name: 'New note' }).fill(`Met at the fair ${stamp}.\nDetails: https://example.com/fair`);
  await notes.getByRole('button', { name: 'Add note' }).click();
  await expect(notes.getByRole('listitem').filter({ hasText: `Met at the fair ${stamp}` })).toBeVisible();
  await expect(notes.getByRole('link', { name: 'https://example.com/fair' }).first()).toHaveAttribute('href', 'https://example.com/fair');

  await record.getByRole('tab', { name: 'Tasks' }).click();
  const tasks = record.locator('contact-tasks');
  await tasks.getByRole('button', { name: '+ Add task' }).click();
  await tasks.getByRole('textbox', { name: 'Title' }).fill(`Send the brochure ${stamp}`);
  await tasks.getByRole('button', { name: 'Create task' }).click();
  const box = tasks.getByRole('checkbox', { name: `Mark “Send the brochure ${stamp}” complete` });
  await expect(box).toBeVisible();
  await box.check();
  // Done, it leaves the Open list; the Completed one has it, ready to reopen.
  await expect(tasks.getByText('Task saved')).toBeVisible();
  await tasks.getByRole('combobox', { name: 'Show' }).selectOption('completed');
  await expect(tasks.getByRole('checkbox', { name: `Reopen “Send the brochure ${stamp}”` })).toBeChecked();

  await page.reload();
  await grid.getByRole('row').nth(4).locator('.col-name').click();
  await expect(record.getByRole('heading', { level: 2 })).toHaveText(name);
  await record.getByRole('tab', { name: 'Tasks' }).click();
  await tasks.getByRole('combobox', { name: 'Show' }).selectOption('completed');
  await expect(tasks.getByText(`Send the brochure ${stamp}`)).toBeVisible();
  await record.getByRole('tab', { name: 'Notes' }).click();
  await expect(notes.getByText(`Met at the fair ${stamp}.`, { exact: false })).toBeVisible();
  await record.getByRole('tab', { name: 'Audit log' }).click();
  await expect(record.getByText(`completed the task “Send the brochure ${stamp}”`, { exact: false })).toBeVisible();
  // The Activity tab tells the same story, newest first.
  await record.getByRole('tab', { name: 'Activity' }).click();
  const activity = record.locator('contact-activity');
  await expect(activity.getByText(`completed the task “Send the brochure ${stamp}”`, { exact: false })).toBeVisible();
  await expect(activity.getByText(`created the task “Send the brochure ${stamp}”`, { exact: false })).toBeVisible();
  await expect(activity.getByText(`added the note “Met at the fair ${stamp}`, { exact: false })).toBeVisible();
  expectNoErrors(errors);
});
