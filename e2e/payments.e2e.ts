import { expect, test, type Locator } from '@playwright/test';
import { expectNoErrors, watchErrors } from './support.js';

/** Actions ▾ → an item of the Payments tab's menu; its dialog. */
async function action(payments: Locator, item: string, dialogName: string) {
  await payments.getByRole('button', { name: /Actions/ }).click();
  await payments.getByRole('menuitem', { name: item }).click();
  const dialog = payments.getByRole('dialog', { name: dialogName });
  await expect(dialog).toBeVisible();
  return dialog;
}

async function enterCard(dialog: Locator, number: string) {
  await dialog.locator('#card-number').fill(number);
  await dialog.locator('#card-expiry').fill('12/34');
  await dialog.locator('#card-cvc').fill('123');
}

test('a new user adds a test card, charges it, sees the charge and its Activity entry; a declined card shows why and keeps the amount', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto('/');
  const grid = page.getByRole('grid', { name: 'Contacts' });
  await expect(grid.getByRole('row').nth(12)).toBeVisible();
  await grid.getByRole('row').nth(12).locator('.col-name').click();
  const record = page.locator('contact-record');
  await record.getByRole('tab', { name: 'Payments' }).click();
  const payments = record.locator('contact-payments');

  // Add a card: the number goes to the test provider's tokenizer, never to the contact API.
  const withNumber: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && (r.postData() ?? '').replace(/\D/g, '').includes('4242424242424242')) withNumber.push(new URL(r.url()).pathname);
  });
  const add = await action(payments, 'Add card', 'Add a card');
  await enterCard(add, '4242 4242 4242 4242');
  await add.getByRole('button', { name: 'Save card' }).click();
  await expect(add).toBeHidden();
  const cards = payments.locator('dossier-payment-cards');
  await expect(cards.locator('[data-card]').filter({ hasText: '4242' })).toBeVisible();
  expect(withNumber).toEqual(['/test-provider/v1/tokens']);

  // Charge it.
  const charge = await action(payments, 'Charge now', 'Charge now');
  await charge.locator('#charge-amount').fill('25');
  await charge.locator('#charge-description').fill('Onboarding session');
  await expect(charge.locator('#charge-card option[value^="pm_"]')).toHaveCount(1);
  await charge.locator('#charge-card').selectOption({ index: 0 });
  await charge.getByRole('button', { name: 'Charge $25.00' }).click();
  await expect(charge).toBeHidden();
  const history = payments.locator('dossier-payment-history');
  await expect(history.locator('[data-kind="charge.succeeded"]').first()).toContainText('$25.00');

  // The decline path: a card ending 0002 is saved, but charging it is refused with the provider's reason, in place.
  const declined = await action(payments, 'Add card', 'Add a card');
  await enterCard(declined, '4000 0000 0000 0002');
  await declined.getByRole('button', { name: 'Save card' }).click();
  await expect(declined).toBeHidden();
  const again = await action(payments, 'Charge now', 'Charge now');
  await again.locator('#charge-amount').fill('40');
  const option = again.locator('#charge-card option', { hasText: '0002' });
  await again.locator('#charge-card').selectOption(await option.getAttribute('value'));
  await again.getByRole('button', { name: 'Charge $40.00' }).click();
  await expect(again.getByRole('alert')).toContainText('Your card was declined.');
  await expect(again.locator('#charge-amount')).toHaveValue('40');
  await again.getByRole('button', { name: 'Cancel' }).click();
  await expect(history.locator('[data-kind="charge.failed"]').first()).toContainText('$40.00');

  // The record's Activity tells of both.
  await record.getByRole('tab', { name: 'Activity' }).click();
  const activity = record.locator('contact-activity');
  await expect(activity.getByText(/charged \$25\.00 to Visa •••• 4242/)).toBeVisible();
  await expect(activity.getByText(/tried to charge \$40\.00/)).toBeVisible();
  // The browser logs the refused charge's 402 itself; nothing else may be logged.
  await expectNoErrors(errors.filter((e) => !/status of 402 \(Payment Required\)/.test(e)));
});
