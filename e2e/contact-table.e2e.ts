import { expect, test } from '@playwright/test';
import { expectNoErrors, watchErrors } from './support.js';

test('a new user searches, filters, saves a view, merges two contacts and unmerges them', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const table = page.locator('contact-table');
  const grid = table.getByRole('grid', { name: 'Contacts' });
  const status = table.locator('.status');
  await expect(status).toHaveText(/\d+ contacts/);
  const total = Number((await status.textContent())!.replace(/\D/g, ''));

  // Search by the first row's name; the record opens from the row.
  const firstName = (await grid.getByRole('row').nth(1).locator('.col-name .name').textContent())!.trim();
  await table.getByRole('searchbox', { name: 'Search contacts' }).fill(firstName);
  await expect(status).not.toHaveText(`${total} contacts`);
  await expect(grid.getByRole('row').nth(1)).toContainText(firstName.split(' ')[0]!);
  await table.getByRole('searchbox', { name: 'Search contacts' }).fill('');
  await expect(status).toHaveText(`${total} contacts`);

  // Filter: tags has any "vip"; a chip appears and the count drops.
  await table.getByRole('button', { name: 'Filters' }).click();
  const drawer = table.getByRole('dialog', { name: 'Filters' });
  await drawer.getByRole('button', { name: '+ Add filter' }).click();
  await drawer.getByRole('combobox', { name: 'Field' }).selectOption('tags');
  await drawer.getByRole('textbox', { name: 'Tags Value' }).fill('vip');
  await expect(table.getByRole('list', { name: 'Active filters' })).toContainText('Tags has any of vip');
  await expect(status).not.toHaveText(`${total} contacts`);
  await expect(status).toHaveText(/^\d+ contacts?$/);
  const vipCount = (await status.textContent())!;
  expect(vipCount).not.toBe(`${total} contacts`);

  // Save it as a view, go back to all contacts, then switch to the view again.
  await drawer.getByRole('button', { name: 'Save as view' }).click();
  const save = table.getByRole('dialog', { name: 'Save view' });
  await save.getByRole('textbox', { name: 'View name' }).fill('VIPs');
  await save.getByRole('button', { name: 'Save' }).click();
  await drawer.getByRole('button', { name: 'Close' }).click();
  const selector = table.getByRole('combobox', { name: 'View' });
  await expect(selector.locator('option', { hasText: 'VIPs' })).toHaveCount(1);
  await selector.selectOption({ label: 'All contacts' });
  await expect(status).toHaveText(`${total} contacts`);
  await selector.selectOption({ label: 'VIPs' });
  await expect(status).toHaveText(vipCount);

  // Merge the first two VIPs.
  const rows = grid.getByRole('row');
  // Their names as shown before the merge (a phone-only contact shows its number).
  const picked = await Promise.all([1, 2].map(async (n) => (await rows.nth(n).locator('.col-name .name').textContent())!.trim()));
  await rows.nth(1).locator('.check').click();
  await rows.nth(2).locator('.check').click();
  await table.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Merge' }).click();
  const merge = table.getByRole('dialog', { name: /Merge 2 contacts/ });
  await expect(merge.locator('.result-name')).toBeVisible();
  await merge.getByRole('button', { name: 'Merge contacts' }).click();
  await expect(status).toContainText('merged');
  const before = Number(vipCount.replace(/\D/g, ''));
  await expect(status).toContainText(`${before - 1} contacts`);

  // Unmerge from the survivor's row menu (it keeps the older creation date, so find it by name).
  const survivorName = /merged into (.+)\./.exec((await status.textContent())!)![1]!;
  const survivor = rows.filter({ hasText: survivorName }).first();
  await survivor.getByRole('button', { name: /Actions for/ }).click();
  await table.getByRole('menuitem', { name: 'Unmerge' }).click();
  // One contact was merged in: the dialog reviews both profiles first, and only Unmerge changes anything.
  const unmerge = table.getByRole('dialog', { name: `Unmerge ${survivorName}` });
  await expect(unmerge.getByRole('region', { name: 'Restored' })).toBeVisible();
  // What stays is the survivor as it was before the merge: one of the two picked, under its own name.
  const stays = unmerge.getByRole('region', { name: 'Stays' });
  await expect(stays).toContainText(new RegExp(picked.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')));
  const restored = (await unmerge.getByRole('region', { name: 'Restored' }).locator('strong').textContent())!.trim();
  await expect(status).toContainText(`${before - 1} contacts`);
  await unmerge.getByRole('button', { name: 'Unmerge' }).click();
  await expect(status).toContainText(`Unmerged: ${restored} restored.`);
  await expect(status).toContainText(`${before} contacts`);
  await expectNoErrors(errors);
});

test('a new user adds a contact, is warned of a duplicate, and the new contact opens in the record', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const table = page.locator('contact-table');
  const grid = table.getByRole('grid', { name: 'Contacts' });
  await expect(table.locator('.status')).toHaveText(/\d+ contacts/);
  const word = `e2e${Date.now().toString(36)}`;

  await table.getByRole('button', { name: 'Add contact' }).click();
  let dialog = table.getByRole('dialog', { name: 'Add contact' });
  await expect(dialog.getByRole('textbox', { name: 'First name' })).toBeFocused();
  await page.keyboard.type('Rosalind');
  await dialog.getByRole('textbox', { name: 'Last name' }).fill(`Franklin ${word}`);
  await dialog.getByRole('textbox', { name: 'Email 1', exact: true }).fill(`${word}@example.com`);
  await dialog.getByRole('textbox', { name: 'Phone 1', exact: true }).fill('+44 20 7946 0123');
  await page.keyboard.press('Enter');
  const record = page.locator('contact-record');
  await expect(record.getByRole('heading', { level: 2 })).toHaveText(`Rosalind Franklin ${word}`);
  await table.getByRole('searchbox', { name: 'Search contacts' }).fill(word);
  await expect(grid.getByRole('row').nth(1)).toContainText(`Rosalind Franklin ${word}`);

  // The same email again: the dialog lists her; Open goes to her record instead of creating a second one.
  await table.getByRole('button', { name: 'Add contact' }).click();
  dialog = table.getByRole('dialog', { name: 'Add contact' });
  await dialog.getByRole('textbox', { name: 'Email 1', exact: true }).fill(`${word.toUpperCase()}@example.com`);
  await dialog.getByRole('button', { name: 'Create contact' }).click();
  await expect(dialog.getByRole('alert')).toContainText(`Rosalind Franklin ${word}`);
  await dialog.getByRole('button', { name: `Open Rosalind Franklin ${word}` }).click();
  await expect(dialog).toHaveCount(0);
  await expect(table.locator('.status')).toHaveText('1 contact');
  expectNoErrors(errors);
});
