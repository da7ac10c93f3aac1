// The demo walk of issue 9: every main screen at 1440 × 900 and 390 × 844, light and dark, audited (no sideways
// scroll, no cut text, readable contrast, dark surfaces in dark theme, the selected record tab in view) and
// screenshotted into the test's output folder (test-results/…) for a person to look at. No pixel baselines: fonts
// differ from machine to machine; the audit reads boxes and computed colours instead.
import { expect, test, type APIRequestContext, type Locator, type Page, type TestInfo } from '@playwright/test';
import { auditLayout, selectedTabInView, type LayoutFaults } from './layout-audit.js';
import { expectNoErrors, watchErrors } from './support.js';

const SIZES = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
] as const;
const THEMES = ['light', 'dark'] as const;
/** The record's tabs, left panel then right; the walk ends on Documents, whose list it goes through next. */
const RECORD_TABS = ['Contact', 'General', 'Additional', 'Do not disturb', 'Audit log', 'Activity', 'Tasks', 'Notes', 'Documents'];

/** Audits the screen and saves a screenshot of it (of `shot` when given, else of the viewport). */
async function look(page: Page, info: TestInfo, name: string, dark: boolean, shot?: Locator) {
  const file = info.outputPath(`${name}.png`);
  if (shot) await shot.screenshot({ path: file, animations: 'disabled' });
  else await page.screenshot({ path: file, animations: 'disabled' });
  const faults: LayoutFaults = await auditLayout(page, { dark });
  expect.soft(faults, `layout faults on "${name}"`).toEqual({ overflow: [], cut: [], light: [], contrast: [] });
}

/** The contact the demo's share link's document belongs to, read through the API as the host backend would. */
async function demoContact(request: APIRequestContext) {
  const link = (await (await request.get('/demo/share-link')).json()) as { documentId: string };
  const { token } = (await (await request.post('/demo/token?role=owner')).json()) as { token: string };
  const headers = { authorization: `Bearer ${token}` };
  const doc = (await (await request.get(`/api/v1/documents/${link.documentId}`, { headers })).json()) as { contactId: string };
  const contact = (await (await request.get(`/api/v1/contacts/${doc.contactId}`, { headers })).json()) as { name: string; emails: { value: string }[] };
  return { name: contact.name, email: contact.emails[0]!.value };
}

for (const size of SIZES) {
  for (const theme of THEMES) {
    test(`demo walk at ${size.width} px, ${theme}`, async ({ page, request }, info) => {
      // About 20 s on an idle machine; room for a busy one.
      test.setTimeout(150_000);
      const dark = theme === 'dark';
      const errors = watchErrors(page);
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: theme });
      await page.goto('/');
      await page.locator('#theme').selectOption(theme);
      const table = page.locator('contact-table');
      const record = page.locator('contact-record');
      const docs = page.locator('contact-documents');
      const grid = table.getByRole('grid', { name: 'Contacts' });
      await expect(grid.getByRole('row').nth(3)).toBeVisible();
      await expect(record.getByRole('heading', { level: 2 })).toBeVisible();
      await look(page, info, 'table', dark);

      // The table's drawers and menus.
      await table.getByRole('button', { name: 'Filters' }).click();
      const drawer = table.getByRole('dialog', { name: 'Filters' });
      await drawer.getByRole('button', { name: '+ Add filter' }).click();
      await expect(drawer.getByRole('combobox', { name: 'Field' })).toBeVisible();
      await look(page, info, 'filters', dark);
      await drawer.getByRole('button', { name: 'Close' }).click();

      await table.getByRole('button', { name: 'Columns' }).click();
      const picker = table.getByRole('dialog', { name: 'Columns' });
      await expect(picker).toBeVisible();
      await look(page, info, 'columns', dark);
      await picker.getByRole('button', { name: 'Close' }).click();

      await grid.getByRole('row').nth(1).getByRole('button', { name: /^Actions for/ }).click();
      await expect(table.getByRole('menu')).toBeVisible();
      await look(page, info, 'row-menu', dark);
      await page.keyboard.press('Escape');
      await expect(table.getByRole('menu')).toHaveCount(0);

      for (const [button, dialog] of [['Save view', 'Save view'], ['Import', 'Import contacts from CSV']] as const) {
        await table.getByRole('button', { name: button, exact: true }).click();
        const opened = table.getByRole('dialog', { name: dialog });
        await expect(opened).toBeVisible();
        await look(page, info, dialog.toLowerCase().replace(/ /g, '-'), dark);
        await opened.getByRole('button', { name: 'Cancel' }).click();
        await expect(opened).toBeHidden();
      }

      const views = table.getByRole('combobox', { name: 'View' });
      await views.selectOption({ label: 'Restore bin' });
      await expect(table.getByRole('status').filter({ hasText: /contact/ })).toBeVisible();
      await look(page, info, 'restore-bin', dark);
      await views.selectOption({ label: 'All contacts' });
      await expect(table).not.toHaveAttribute('bin');
      await expect(grid.getByRole('row').nth(3)).toBeVisible();

      // Two rows ticked: the bulk bar, then the merge dialog's side-by-side comparison. The bin's rows may still be
      // shown until All contacts answers (and the new list clears the selection): tick until both stay ticked.
      const bulk = table.getByRole('toolbar', { name: 'Bulk actions' });
      await expect(async () => {
        for (const n of [1, 2]) await grid.getByRole('row').nth(n).locator('.check input').check();
        await expect(bulk).toContainText('2 selected', { timeout: 1000 });
      }).toPass();
      await bulk.getByRole('button', { name: 'Merge' }).click();
      const merge = table.getByRole('dialog', { name: /Merge 2 contacts/ });
      await expect(merge.locator('.result-name')).toBeVisible();
      await look(page, info, 'merge', dark);
      await merge.getByRole('button', { name: 'Cancel' }).click();
      await expect(merge).toBeHidden();
      await grid.getByRole('row').nth(1).locator('.check').click();
      await grid.getByRole('row').nth(2).locator('.check').click();
      await expect(bulk).toBeHidden();

      // Open the contact holding the demo's shared PDF (other tests add newer contacts above it): search, click.
      const demo = await demoContact(request);
      await table.getByRole('searchbox', { name: 'Search contacts' }).fill(demo.email);
      await expect(table.getByRole('status').filter({ hasText: /^1 contact$/ })).toBeVisible();
      await grid.getByRole('row').nth(1).locator('.col-name').click();
      await expect(record.getByRole('heading', { level: 2 })).toHaveText(demo.name);

      // Every tab of the record; the selected one is always wholly in view.
      for (const name of RECORD_TABS) {
        const tab = record.getByRole('tab', { name });
        await tab.click();
        await expect(tab).toHaveAttribute('aria-selected', 'true');
        await expect.poll(() => selectedTabInView(page, 'contact-record >> [role=tablist][part=tabs]'), `the "${name}" tab is in view`).toBe(true);
        if (name === 'Audit log') await expect(record.getByRole('list', { name: 'Audit log' })).toBeVisible();
        await look(page, info, `record-${name.replace(/ /g, '-').toLowerCase()}`, dark, record);
      }

      await record.getByRole('button', { name: 'Delete contact' }).click();
      const confirm = record.getByRole('dialog');
      await expect(confirm).toContainText('restore bin');
      await look(page, info, 'record-delete-confirm', dark);
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await expect(confirm).toBeHidden();

      // Documents: the list, a PDF preview, the upload dialog and the share dialog.
      await expect(docs.getByRole('button', { name: 'Acme proposal.pdf', exact: true })).toBeVisible();
      await look(page, info, 'documents', dark, docs);
      await docs.getByRole('button', { name: 'Acme proposal.pdf', exact: true }).click();
      const preview = docs.getByRole('region', { name: 'Preview of Acme proposal.pdf' });
      await expect(preview.locator('canvas').first()).toBeVisible({ timeout: 20_000 });
      await look(page, info, 'preview', dark, docs);
      await preview.getByRole('button', { name: 'Close preview' }).click();

      await docs.getByRole('button', { name: 'Add', exact: true }).click();
      const upload = docs.getByRole('dialog', { name: 'Add documents' });
      await expect(upload).toBeVisible();
      await look(page, info, 'upload', dark);
      await upload.getByRole('button', { name: 'Cancel' }).click();
      await expect(upload).toBeHidden();

      await docs.getByRole('button', { name: 'Recently deleted' }).click();
      const bin = docs.getByRole('dialog', { name: 'Recently deleted' });
      await expect(bin).toBeVisible();
      await look(page, info, 'documents-bin', dark);
      await bin.getByRole('button', { name: 'Close' }).click();
      await expect(bin).toBeHidden();

      const actions = docs.getByRole('button', { name: 'Actions for Acme proposal.pdf' });
      await actions.focus();
      await actions.press('Enter');
      await docs.getByRole('menuitem', { name: 'Share…', exact: true }).focus();
      await page.keyboard.press('Enter');
      const share = docs.getByRole('dialog', { name: /Share/ });
      await expect(share.getByRole('button', { name: 'Create link' })).toBeVisible();
      await look(page, info, 'share-dialog', dark);
      await share.getByRole('button', { name: 'Close' }).click();
      await expectNoErrors(errors);

      // The public viewer: the gate, then the document (the code comes from the demo's dev outbox).
      const link = (await (await request.get('/demo/share-link')).json()) as { path: string };
      await page.goto(link.path);
      const viewer = page.locator('share-viewer');
      await expect(viewer.getByRole('heading', { name: 'Verify it’s you to view this document' })).toBeVisible();
      await look(page, info, 'viewer-gate', dark);
      const email = `walk.${size.width}.${theme}.${Date.now()}@example.com`;
      await viewer.getByRole('textbox', { name: 'Email address' }).fill(email);
      await viewer.getByRole('button', { name: 'Send code' }).click();
      await expect(viewer.getByRole('textbox', { name: 'Code' })).toBeVisible();
      await look(page, info, 'viewer-code', dark);
      const outbox = (await (await request.get('/demo/outbox')).json()) as { items: { to: string; subject: string }[] };
      const code = /(\d{6})/.exec(outbox.items.find((m) => m.to === email)!.subject)![1]!;
      await viewer.getByRole('textbox', { name: 'Code' }).fill(code);
      await viewer.getByRole('button', { name: 'Verify' }).click();
      await expect(viewer.getByRole('img', { name: 'Page 1 of 5' })).toBeVisible({ timeout: 20_000 });
      await look(page, info, 'viewer-document', dark);
      await expectNoErrors(errors);
    });
  }
}
