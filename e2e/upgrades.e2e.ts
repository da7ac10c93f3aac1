import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { watchErrors } from './support.js';

/**
 * Safe upgrades: a page keeps running the version it loaded (versioned paths), a chunk a deploy removed fails as
 * `chunk_load` in place instead of hanging, and two builds of different versions on one page share one provider.
 */

test('the entry path is answered in place (no redirect): the page runs one copy of the bundle, and its lazy chunks load beside it', async ({ page, request }) => {
  const alias = await request.get('/dist/dossier.js', { maxRedirects: 0 });
  expect(alias.status()).toBe(200);
  expect(alias.headers()['cache-control']).toBe('no-cache');
  const loaded: string[] = [];
  page.on('request', (r) => r.url().includes('/dist/') && loaded.push(new URL(r.url()).pathname));
  await page.goto('/');
  await page.locator('contact-table').getByRole('button', { name: 'Filters' }).click();
  await expect(page.locator('contact-table').getByRole('dialog')).toBeVisible();
  expect(loaded.filter((p) => /filter-drawer/.test(p))).toEqual([expect.stringMatching(/^\/dist\/filter-drawer-[\w-]+\.js$/)]);
  // One entry, one evaluation: a chunk importing the entry finds the module the page loaded.
  expect(loaded.filter((p) => p.endsWith('/dossier.js'))).toEqual(['/dist/dossier.js']);
});

test('a lazy chunk a redeploy removed: tried again, then "Could not load" in place and dossier-error chunk_load', async ({ page }) => {
  const errors = watchErrors(page);
  const tries: string[] = [];
  // The page was opened before the deploy; the deploy (no retention) deleted its filter drawer chunk.
  await page.route(/\/dist\/.*filter-drawer-[\w-]+\.js$/, (route) => (tries.push(route.request().url()), route.fulfill({ status: 404, body: 'gone' })));
  await page.addInitScript(() => {
    (window as unknown as { codes: string[] }).codes = [];
    document.addEventListener('dossier-error', (e) => (window as unknown as { codes: string[] }).codes.push((e as CustomEvent<{ error: { code: string } }>).detail.error.code));
  });
  await page.goto('/');
  const table = page.locator('contact-table');
  await expect(table.getByRole('row').nth(2)).toBeVisible();
  await table.getByRole('button', { name: 'Filters' }).click();
  await expect(table.getByRole('status')).toContainText('Could not load. Reload the page.');
  expect(await page.evaluate(() => (window as unknown as { codes: string[] }).codes)).toContain('chunk_load');
  expect(tries.length, 'the load is tried twice').toBeGreaterThanOrEqual(1);
  // The rest of the table still works: a row opens.
  await table.getByRole('row').nth(2).locator('.name').click();
  await expect(page.locator('contact-record').getByRole('heading', { level: 2 })).toBeVisible();
  expect(errors.filter((e) => !/404|Failed to fetch dynamically imported module/.test(e))).toEqual([]);
});

test('two builds of different versions on one page: one provider serves both, the console warns once', async ({ page }) => {
  const warnings: string[] = [];
  page.on('console', (m) => m.type() === 'warning' && m.text().includes('two versions') && warnings.push(m.text()));
  // "Another build": the current entry under another version (a cached older one would look the same to the page).
  const current = await (await page.request.get('/dist/dossier.js')).text();
  const ver = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  await page.route('**/other-build/**', async (route) => {
    const name = new URL(route.request().url()).pathname.split('/other-build/')[1]!;
    // The build's version literal, however the minifier quoted it.
    const body = name === 'dossier.js' ? current.replace(new RegExp(`(["'\`])${ver.replace(/\./g, '\\.')}\\1`), '"9.9.9-other"') : await (await page.request.get(`/dist/${name}`)).text();
    return route.fulfill({ contentType: 'text/javascript', body });
  });
  await page.route('**/two-builds.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><title>Two builds</title><link rel="icon" href="data:,">
        <script type="module" src="/dist/elements/dossier-provider.js"></script>
        <script type="module" src="/other-build/dossier.js"></script></head>
        <body><dossier-provider token-url="/demo/token?role=owner"><contact-table></contact-table></dossier-provider></body></html>`,
    }),
  );
  await page.goto('/two-builds.html');
  await expect(page.locator('contact-table').getByRole('row').nth(2)).toBeVisible();
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain('9.9.9-other');
});
