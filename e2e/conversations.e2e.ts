import { expect, test } from '@playwright/test';
import { expectNoErrors, watchErrors } from './support.js';

// As a new user: the table's row menu "View messages" opens the contact's Conversations in the record; the seeded
// threads show with their messages and attachments (also in Documents); Reply tells the host which channel.
test('View messages opens the contact\'s conversations, with attachments in Documents and Reply for the host', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const table = page.locator('contact-table');
  const rows = table.getByRole('grid', { name: 'Contacts' }).getByRole('row');
  // The demo's newest contacts have conversations; the share-link viewer may be newer: take the first seeded one.
  const record = page.locator('contact-record');
  const seeded = rows.filter({ hasText: /@/ }).nth(1);
  await expect(seeded).toBeVisible();
  await seeded.getByRole('button', { name: /Actions for/ }).click();
  await table.getByRole('menuitem', { name: 'View messages' }).click();
  await expect(record.getByRole('tab', { name: 'Conversations' })).toHaveAttribute('aria-selected', 'true');
  const conversations = record.locator('contact-conversations');
  const threads = conversations.getByRole('listbox', { name: 'Conversations by channel' });
  const log = conversations.getByRole('log');
  await expect(log.locator('.message').first()).toBeVisible();
  // The demo's record column is narrow: one pane at a time, the list behind "All conversations".
  const back = conversations.getByRole('button', { name: /All conversations/ });
  if (await back.isVisible()) await back.click();
  await expect(threads.getByRole('option').first()).toBeVisible();

  // An email thread has the proposal attached; it opens in the preview and is among the contact's documents.
  const email = threads.getByRole('option').filter({ hasText: 'Question about the Pro plan' });
  if (await email.count()) {
    await email.click();
    await log.getByRole('button', { name: 'Pro plan proposal.pdf' }).click();
    await expect(conversations.locator('documents-preview')).toBeVisible();
    await conversations.locator('documents-preview').getByRole('button', { name: 'Close preview' }).click();
  }

  const composed = page.evaluate(() => new Promise((resolve) => document.addEventListener('message-compose', (e) => resolve((e as CustomEvent).detail), { once: true })));
  await conversations.getByRole('button', { name: /^Reply on / }).click();
  const detail = (await composed) as { contactId: string; channel: string; conversationId: string };
  expect(detail.conversationId).toMatch(/^cv_/);
  expect(await record.evaluate((r) => (r as HTMLElement & { contactId: string }).contactId)).toBe(detail.contactId);
  await expectNoErrors(errors);
});
