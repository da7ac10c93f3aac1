import { expect, test, type Page } from '@playwright/test';
import { bluePdfSource } from '../packages/core/src/testing/pdf-source.js';
import { darkPixels, expectNoErrors, STRICT_CSP, watchErrors } from './support.js';
import { uploadPicture } from './picture.js';


type Violation = { directive: string; blocked: string; sample: string; source: string };

/** Serves a host page (and its script: no inline script is allowed) under the strict CSP, on the server's origin. */
async function hostPage(page: Page, body: string, script: string) {
  await page.addInitScript(() => {
    const w = window as unknown as { violations: Violation[] };
    w.violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, source: `${e.sourceFile}:${e.lineNumber}` }),
    );
  });
  await page.route('**/csp-host/**', (route) => {
    const js = route.request().url().endsWith('.js');
    return route.fulfill({
      contentType: js ? 'text/javascript' : 'text/html',
      headers: js ? {} : { 'content-security-policy': STRICT_CSP },
      body: js
        ? script
        : `<!doctype html><html lang="en"><head><title>Strict CSP host</title><link rel="icon" href="data:,">
            <script type="module" src="/dist/dossier.js"></script><script type="module" src="/csp-host/host.js"></script></head>
            <body>${body}</body></html>`,
    });
  });
  await page.goto('/csp-host/index.html');
}

const violations = (page: Page) => page.evaluate(() => (window as unknown as { violations: Violation[] }).violations);

test('under a strict CSP with Trusted Types, the table lays out and scrolls, the record edits, documents upload and preview a PDF — no violation', async ({ page }) => {
  const errors = watchErrors(page);
  await hostPage(
    page,
    `<dossier-provider token-url="/demo/token?role=owner">
      <contact-table></contact-table><contact-record></contact-record><contact-documents></contact-documents>
    </dossier-provider>`,
    `const [table, record, documents] = ['contact-table', 'contact-record', 'contact-documents'].map((n) => document.querySelector(n));
     table.addEventListener('contact-open', (e) => { record.contactId = e.detail.id; documents.contactId = e.detail.id; table.activeId = e.detail.id; });`,
  );
  const table = page.locator('contact-table');
  const grid = table.getByRole('grid', { name: 'Contacts' });
  const rows = grid.locator('.body [role=row]');
  await expect(rows.nth(2)).toContainText(/\S/);

  // Rows at their own positions (44 px apart), and a body as tall as the whole result.
  const tops = await rows.evaluateAll((els) => els.slice(0, 3).map((el) => el.getBoundingClientRect().top));
  expect(tops[1]! - tops[0]!).toBeCloseTo(44, 0);
  expect(tops[2]! - tops[1]!).toBeCloseTo(44, 0);
  expect(await grid.locator('.body').evaluate((el) => el.getBoundingClientRect().height)).toBeGreaterThan(44 * 400);
  // Scrolling brings row 200 into view at its place.
  await grid.evaluate((el) => (el.scrollTop = 200 * 44));
  const row200 = grid.locator('[role=row][aria-rowindex="202"]');
  await expect(row200).toContainText(/\S/);
  const [gridBox, rowBox] = [await grid.boundingBox(), await row200.boundingBox()];
  expect(rowBox!.y).toBeGreaterThanOrEqual(gridBox!.y);
  expect(rowBox!.y).toBeLessThan(gridBox!.y + gridBox!.height);
  expect(await rows.count(), 'rows in the DOM stay few').toBeLessThan(60);
  await grid.evaluate((el) => (el.scrollTop = 0));

  // The record opens and saves an edit.
  const first = grid.getByRole('row').nth(1).locator('.col-name');
  const name = (await first.locator('.name').textContent())!.trim();
  await first.click();
  const record = page.locator('contact-record');
  await expect(record.getByRole('heading', { level: 2 })).toHaveText(name);
  const email = record.getByRole('textbox', { name: 'Email 1', exact: true });
  if (!(await email.count())) await record.getByRole('button', { name: 'Add email' }).click();
  await email.fill(`csp.${Date.now()}@example.com`);
  await email.press('Enter');
  await expect(record.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  // The profile picture: chosen, cropped on canvases (no blob: URL, no style attribute) and shown from the server.
  const shown = (await record.getByRole('heading', { level: 2 }).textContent())!.trim();
  await uploadPicture(page, record, shown);
  // Every lazy tab draws (their styles are constructed stylesheets, allowed by style-src 'self').
  await record.getByRole('tab', { name: 'Audit log' }).click();
  await expect(record.getByRole('tabpanel', { name: 'Audit log' })).toContainText(/\S/);

  // Documents: upload a PDF through the Add dialog, then preview it with pdf.js and its worker.
  const docs = page.locator('contact-documents');
  await expect(docs.getByRole('tab', { name: /^All \d+/ })).toBeVisible();
  await docs.getByRole('button', { name: 'Add' }).click();
  const dialog = docs.getByRole('dialog', { name: 'Add documents' });
  const file = `CSP contract ${Date.now()}.pdf`;
  const chooser = page.waitForEvent('filechooser');
  await dialog.getByRole('button', { name: 'Choose files' }).click();
  await (await chooser).setFiles({ name: file, mimeType: 'application/pdf', buffer: Buffer.from(bluePdfSource()) });
  await dialog.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Uploaded' })).toHaveCount(1);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await docs.getByRole('button', { name: file, exact: true }).click();
  // pdf.js and its worker start on first use: slow on a loaded machine.
  await expect(docs.locator('documents-pdf-view[data-rendered="1"]')).toHaveCount(1, { timeout: 30_000 });
  expect(await darkPixels(docs.locator('documents-pdf-view canvas')), 'the page has ink on it').toBeGreaterThan(50);
  await docs.getByRole('button', { name: 'Close preview' }).click();

  // The filter drawer (a lazy chunk with its own layout) opens.
  await table.getByRole('button', { name: /^Filters/ }).click();
  await expect(table.getByRole('dialog')).toBeVisible();

  expect(await violations(page)).toEqual([]);
  await expectNoErrors(errors);
});

test('under a strict CSP with Trusted Types, the share viewer passes its gate and renders the PDF — no violation', async ({ page, request }) => {
  const errors = watchErrors(page);
  const link = (await (await request.get('/demo/share-link')).json()) as { slug: string };
  await hostPage(page, `<share-viewer slug="${link.slug}"></share-viewer>`, '');
  const viewer = page.locator('share-viewer');
  const email = `csp.viewer.${Date.now()}@example.com`;
  await viewer.getByRole('textbox', { name: 'Email address' }).fill(email);
  await viewer.getByRole('button', { name: 'Send code' }).click();
  await expect(viewer.getByText(`We sent a code to ${email}.`)).toBeVisible();
  let code = '';
  await expect
    .poll(async () => {
      const { items } = (await (await request.get('/demo/outbox')).json()) as { items: { to: string; subject: string }[] };
      code = /(\d{6})/.exec(items.find((m) => m.to === email)?.subject ?? '')?.[1] ?? '';
      return code;
    })
    .not.toBe('');
  await viewer.getByRole('textbox', { name: 'Code' }).fill(code);
  await viewer.getByRole('button', { name: 'Verify' }).click();
  await expect(viewer.getByRole('img', { name: 'Page 1 of 5' })).toBeVisible({ timeout: 30_000 });
  expect(await darkPixels(viewer.locator('canvas')), 'the page has ink on it').toBeGreaterThan(50);
  expect(await violations(page)).toEqual([]);
  await expectNoErrors(errors);
});
