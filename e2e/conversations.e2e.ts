import { expect, test, type APIRequestContext } from '@playwright/test';
import { samplePdf } from '../server/src/seed/sample-pdf.js';
import { demoSecretKey, expectNoErrors, watchErrors } from './support.js';


/**
 * A contact of this test's own, with what a host backend records through POST /api/v1/messages: an SMS exchange and
 * an email thread whose reply carries a PDF. (The demo's seeded conversations belong to contacts that earlier tests
 * edit: which of them is newest, and what their email is, depends on the run.)
 */
async function contactWithConversations(request: APIRequestContext, stamp: number) {
  const auth = { authorization: `Bearer ${demoSecretKey()}` };
  const email = `conversation.${stamp}@example.com`;
  const phone = `+1 202 555 ${String(stamp % 10_000).padStart(4, '0')}`;
  const lastName = `Thread ${stamp}`;
  const created = await request.post('/api/v1/contacts', { headers: auth, data: { firstName: 'Cora', lastName, emails: [{ value: email }], phones: [{ value: phone }] } });
  expect(created.status(), await created.text()).toBe(201);
  const push = async (message: Record<string, unknown>, file?: { name: string; buffer: Buffer }) => {
    const res = file
      ? await request.post('/api/v1/messages', { headers: auth, multipart: { message: JSON.stringify(message), file: { ...file, mimeType: 'application/pdf' } } })
      : await request.post('/api/v1/messages', { headers: auth, data: message });
    expect(res.status(), await res.text()).toBe(201);
  };
  const agent = { name: 'Sam Rivera', address: 'sales@acme.example' };
  await push({ channel: 'sms', contact: { phone }, text: 'Is the onboarding call still on for Thursday?' });
  await push({ channel: 'sms', direction: 'outbound', contact: { phone }, sender: { name: agent.name }, text: 'Yes, Thursday 10:00.' });
  await push({ channel: 'email', contact: { email }, threadId: `e2e-${stamp}`, subject: 'Question about the Pro plan', sender: { name: 'Cora', address: email }, text: 'Could you tell me more about the Pro plan?' });
  await push({ channel: 'email', direction: 'outbound', contact: { email }, threadId: `e2e-${stamp}`, subject: 'Re: Question about the Pro plan', sender: agent, text: 'The proposal is attached.' }, { name: 'Pro plan proposal.pdf', buffer: samplePdf(2, 'Pro plan proposal') });
  return lastName;
}

// As a new user: the table's row menu "View messages" opens the contact's Conversations in the record; the threads
// the host recorded show with their messages and attachments (also in Documents); Reply tells the host which channel.
test('View messages opens the contact\'s conversations, with attachments in Documents and Reply for the host', async ({ page, request }) => {
  const errors = watchErrors(page);
  const name = await contactWithConversations(request, Date.now());
  // Reply's event is caught by a listener that exists before anything is clicked, so it cannot be missed.
  await page.addInitScript(() => document.addEventListener('message-compose', (e) => ((window as unknown as Composed).composed = (e as CustomEvent).detail)));
  await page.goto('/');
  const table = page.locator('contact-table');
  const rows = table.getByRole('grid', { name: 'Contacts' }).getByRole('row');
  const record = page.locator('contact-record');
  await table.getByRole('searchbox', { name: 'Search contacts' }).fill(name);
  const row = rows.filter({ hasText: name });
  await expect(row).toHaveCount(1);
  await row.getByRole('button', { name: /Actions for/ }).click();
  await table.getByRole('menuitem', { name: 'View messages' }).click();
  await expect(record.getByRole('tab', { name: 'Conversations' })).toHaveAttribute('aria-selected', 'true');
  const conversations = record.locator('contact-conversations');
  const threads = conversations.getByRole('listbox', { name: 'Conversations by channel' });
  const log = conversations.getByRole('log');
  await expect(log.locator('.message').first()).toBeVisible();

  // An email thread has the proposal attached; it opens in the preview and is among the contact's documents.
  // The demo's record column is narrow: one pane at a time, the list behind "All conversations" (a wide one shows both).
  const back = conversations.getByRole('button', { name: /All conversations/ });
  const email = threads.getByRole('option').filter({ hasText: 'Question about the Pro plan' });
  await expect(back.or(email).first()).toBeVisible();
  if (await back.isVisible()) await back.click();
  await expect(email).toBeVisible();
  await email.click();
  const attachment = log.getByRole('button', { name: 'Pro plan proposal.pdf' });
  await expect(attachment).toBeVisible();
  await attachment.click();
  const preview = conversations.locator('documents-preview');
  await expect(preview).toBeVisible();
  await preview.getByRole('button', { name: 'Close preview' }).click();
  await expect(preview).toBeHidden();

  const reply = conversations.getByRole('button', { name: /^Reply on / });
  await expect(reply).toBeVisible();
  await reply.click();
  await expect.poll(() => page.evaluate(() => (window as unknown as Composed).composed ?? null), { message: 'message-compose fired' }).not.toBeNull();
  const detail = (await page.evaluate(() => (window as unknown as Composed).composed))!;
  expect(detail.channel).toBe('email');
  expect(detail.conversationId).toMatch(/^cv_/);
  expect(await record.evaluate((r) => (r as HTMLElement & { contactId: string }).contactId)).toBe(detail.contactId);

  // The attachment is among the contact's documents, under Sent (the agent's reply carried it).
  await record.getByRole('tab', { name: 'Documents' }).click();
  const docs = record.locator('contact-documents');
  await docs.getByRole('tab', { name: /^Sent/ }).click();
  await expect(docs.getByRole('button', { name: 'Pro plan proposal.pdf', exact: true })).toBeVisible();
  await expectNoErrors(errors);
});

type Composed = { composed?: { contactId: string; channel: string; conversationId: string } };
