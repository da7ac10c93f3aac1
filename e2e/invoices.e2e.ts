import { expect, test } from '@playwright/test';
import { expectNoErrors, watchErrors } from './support.js';

test('a new user creates an invoice with a discount and a tax from the record, sees the total, sends it and opens its hosted page', async ({ page, context }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto('/');
  // The host hears of the send (it delivers the invoice itself).
  await page.evaluate(() => document.addEventListener('invoice-send', (e) => ((window as unknown as { sent: unknown[] }).sent ??= []).push((e as CustomEvent).detail)));
  const grid = page.getByRole('grid', { name: 'Contacts' });
  await expect(grid.getByRole('row').nth(8)).toBeVisible();
  await grid.getByRole('row').nth(8).locator('.col-name').click();
  const record = page.locator('contact-record');
  await record.getByRole('tab', { name: 'Payments' }).click();
  const payments = record.locator('contact-payments');
  await payments.getByRole('button', { name: /Actions/ }).click();
  await payments.getByRole('menuitem', { name: 'Create invoice' }).click();
  const dialog = payments.getByRole('dialog', { name: 'Create invoice' });
  await expect(dialog).toBeVisible();

  const item = dialog.getByRole('group', { name: 'Item 1' });
  await item.getByRole('textbox', { name: 'Description of item 1' }).fill('Website redesign');
  await item.getByRole('textbox', { name: 'Quantity' }).fill('2');
  await item.getByRole('textbox', { name: 'Unit price' }).fill('1250');
  await item.getByRole('combobox', { name: 'Discount type of item 1' }).selectOption('percent');
  await item.getByRole('textbox', { name: 'Discount of item 1' }).fill('10');
  await dialog.getByRole('button', { name: 'Add tax' }).click();
  await dialog.getByRole('textbox', { name: 'Name of tax 1' }).fill('VAT');
  await dialog.getByRole('textbox', { name: 'Rate of tax 1 (%)' }).fill('20');
  // 2 × 1,250.00 − 10 % = 2,250.00; + 20 % VAT = 2,700.00 — shown live, before anything is saved.
  await expect(dialog.locator('[data-total]')).toHaveText('$2,700.00');
  await dialog.getByRole('button', { name: 'Create draft' }).click();
  await expect(dialog).toBeHidden();

  const invoices = payments.locator('dossier-billing-invoices');
  const draft = invoices.getByRole('listitem').filter({ hasText: '$2,700.00' }).filter({ hasText: 'Draft' });
  await expect(draft).toBeVisible();
  const card = invoices.locator(`[data-invoice="${await draft.getAttribute('data-invoice')}"]`);
  const number = (await card.locator('.name').textContent())!.trim();
  await card.getByRole('button', { name: 'Send' }).click();
  const send = card.getByRole('form', { name: `Send invoice ${number}` });
  await send.getByRole('combobox', { name: 'Channel' }).selectOption('whatsapp');
  await send.getByRole('button', { name: 'Send' }).click();
  await expect(card).toContainText('Sent by WhatsApp');
  const sent = (await page.evaluate(() => (window as unknown as { sent: { channel: string; hostedUrl: string; invoice: { number: string; total: number } }[] }).sent))!;
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ channel: 'whatsapp', invoice: { number, total: 270_000 } });

  const link = card.getByRole('link', { name: `Open ${number}` });
  expect(await link.getAttribute('href')).toBe(sent[0]!.hostedUrl);
  const [hosted] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await expect(hosted.getByRole('heading', { level: 1 })).toHaveText(`Invoice ${number}`);
  await expect(hosted.getByRole('row', { name: /Total/ })).toContainText('$2,700.00');
  await expect(hosted.getByText('Website redesign')).toBeVisible();
  // The record's Activity tells of it.
  await record.getByRole('tab', { name: 'Activity' }).click();
  await expect(record.locator('contact-activity').getByText(`sent invoice ${number}`, { exact: false })).toBeVisible();
  expectNoErrors(errors);
});
