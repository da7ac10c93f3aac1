import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { STRICT_CSP, watchErrors } from '../support.js';

/**
 * React 19 and Vue 3 host apps (Vite) that installed the packed packages and typechecked against their types
 * (prepare.mjs): each renders the table, receives `contact-open` through its framework's event binding, opens the
 * record, and keeps the user's sort when it renders again with the same inline `sort`. A plain HTML page loads the
 * installed package's bundle under the strict CSP with Trusted Types.
 */
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

async function openHost(page: Page, host: 'react' | 'vue') {
  const dist = new URL(`./${host}/dist/`, import.meta.url).pathname;
  await page.route(`**/${host}-host/**`, (route) => {
    const path = new URL(route.request().url()).pathname.replace(`/${host}-host/`, '') || 'index.html';
    return route.fulfill({ contentType: TYPES[extname(path)] ?? 'application/octet-stream', body: readFileSync(join(dist, path)) });
  });
  await page.goto(`/${host}-host/index.html`);
}

for (const host of ['react', 'vue'] as const) {
  test(`${host} host: renders the packed elements, hears contact-open, keeps the user's sort across host renders`, async ({ page }) => {
    const errors = watchErrors(page);
    await openHost(page, host);
    const table = page.locator('contact-table').first();
    const firstRow = table.getByRole('row').nth(1);
    await expect(firstRow).toBeVisible();
    // The host's columns (an array property) are the table's.
    const headers = (await table.getByRole('columnheader').allInnerTexts()).join(' | ');
    expect(headers).toContain('Email');
    expect(headers).not.toContain('Phone');
    // The user sorts by name; the host renders again with its inline sort (an equal, new object): the sort stays.
    const nameHeader = table.getByRole('columnheader').filter({ hasText: 'Name' });
    await nameHeader.getByRole('button').click();
    await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
    await page.locator('#render-again').click();
    await expect(page.locator('#render-again')).toContainText('(1)');
    await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
    // contact-open reaches the framework's listener; the record opens with it.
    await table.getByRole('row').nth(1).locator('.name').click();
    await expect(page.locator('#opened')).toHaveText(/^ct_/);
    await expect(page.locator('contact-record').getByRole('heading', { level: 2 })).toBeVisible();
    expect(errors).toEqual([]);
  });
}

test('plain HTML host under a strict CSP with Trusted Types: the packed bundle loads its lazy chunks, the table and record work, no violation', async ({ page }) => {
  const errors = watchErrors(page);
  // The elements package as npm installed it for the React host (prepare.mjs): its dist/, served from the host's origin.
  const pkg = new URL('./react/node_modules/@dossier-crm/elements/dist/', import.meta.url).pathname;
  await page.addInitScript(() => {
    const w = window as unknown as { violations: string[] };
    w.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sample}`));
  });
  await page.route('**/plain-host/**', (route) => {
    const path = new URL(route.request().url()).pathname.replace('/plain-host/', '');
    if (path === 'index.html') {
      return route.fulfill({
        contentType: 'text/html',
        headers: { 'content-security-policy': STRICT_CSP },
        body: `<!doctype html><html lang="en"><head><title>Plain host</title><link rel="icon" href="data:,">
          <script type="module" src="/plain-host/pkg/dossier.js"></script><script type="module" src="/plain-host/host.js"></script></head>
          <body><dossier-provider token-url="/demo/token?role=owner"><contact-table></contact-table><contact-record></contact-record></dossier-provider></body></html>`,
      });
    }
    if (path === 'host.js') {
      return route.fulfill({
        contentType: 'text/javascript',
        body: `document.querySelector('contact-table').addEventListener('contact-open', (e) => { document.querySelector('contact-record').contactId = e.detail.id; });`,
      });
    }
    return route.fulfill({ contentType: TYPES[extname(path)] ?? 'application/octet-stream', body: readFileSync(join(pkg, path.replace(/^pkg\//, ''))) });
  });
  await page.goto('/plain-host/index.html');
  const table = page.locator('contact-table');
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  await table.getByRole('row').nth(1).locator('.name').click();
  const record = page.locator('contact-record');
  await expect(record.getByRole('heading', { level: 2 })).toBeVisible();
  // A lazy chunk of the package (the Filters drawer) loads under the policy.
  await table.getByRole('button', { name: 'Filters' }).click();
  await expect(table.getByRole('dialog', { name: 'Filters' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
  expect(errors).toEqual([]);
});

test('the packed server runs outside the clone: `dossier serve` answers and serves its widgets at versioned paths', async ({ request }) => {
  const dir = new URL('../../.tmp/server-pack/package/', import.meta.url).pathname;
  const port = Number(process.env.E2E_PORT ?? 3199) + 1;
  const server = spawn(process.execPath, ['bin/dossier.mjs', 'serve'], { cwd: dir, env: { ...process.env, PORT: String(port), DOSSIER_DATA_DIR: mkdtempSync(join(tmpdir(), 'dossier-pack-')) }, stdio: 'ignore' });
  try {
    const base = `http://localhost:${port}`;
    await expect.poll(async () => (await request.get(`${base}/healthz`).catch(() => null))?.status(), { timeout: 60_000 }).toBe(200);
    const alias = await request.get(`${base}/dist/dossier.js`, { maxRedirects: 0 });
    expect(alias.status()).toBe(200);
    const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    const entry = await request.get(`${base}/dist/${version}/dossier.js`);
    expect(entry.status()).toBe(200);
    expect(entry.headers()['content-type']).toContain('javascript');
  } finally {
    server.kill('SIGTERM');
  }
});
