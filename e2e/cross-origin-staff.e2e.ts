import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';
import { expectNoErrors, watchErrors } from './support.js';

// Both origins are on this machine's loopback address, which Chromium's local-network-access prompt guards; in
// production the host page and the Dossier server are ordinary public origins, so the test turns the prompt off.
test.use({
  launchOptions: {
    executablePath: process.env.CHROME_PATH ?? findChromium() ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests'],
  },
});

/** A valid 1×1 PNG. */
const ONE_PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const root = new URL('..', import.meta.url).pathname;

/** `npx dossier …` against the e2e server's data folder, as the README's "Embedding in your product" says. */
function dossierCli(...args: string[]): string {
  return execFileSync('node', ['bin/dossier.mjs', ...args], { cwd: root, env: { ...process.env, DOSSIER_DATA_DIR: '.tmp/e2e-data' }, encoding: 'utf8' });
}

// The staff widgets on a host product's own origin, set up exactly as the README tells a host developer: a
// workspace created with the CLI and `--origin` for the host page, the secret key kept on the "host backend",
// which mints widget tokens with POST /api/v1/sessions and hands them to the page from its own /dossier-token.
test('a host page on another origin embeds the staff widgets: rows load, a record opens and saves, documents list, preview and arrive live', async ({ page, request, baseURL }) => {
  const errors = watchErrors(page);
  const host = baseURL!.replace('localhost', '127.0.0.1');
  const stamp = Date.now();

  // 1. Create the workspace (once), allowing the host page's origin.
  const { workspaceId, secretKey } = JSON.parse(dossierCli('workspace', 'create', '--name', `Partner CRM ${stamp}`, '--origin', host)) as { workspaceId: string; secretKey: string };
  expect(workspaceId).toMatch(/^ws_/);
  const asBackend = { authorization: `Bearer ${secretKey}` };

  // The host backend fills the workspace through the API with its secret key.
  const people = [
    { firstName: 'Grace', lastName: 'Hopper', companyName: 'Navy', emails: [{ value: `grace.${stamp}@example.com` }] },
    { firstName: 'Alan', lastName: 'Turing', companyName: 'NPL', emails: [{ value: `alan.${stamp}@example.com` }] },
    { firstName: 'Ada', lastName: 'Lovelace', companyName: 'Analytical', emails: [{ value: `ada.${stamp}@example.com` }] },
  ];
  const ids: string[] = [];
  for (const p of people) {
    const res = await request.post('/api/v1/contacts', { headers: asBackend, data: p });
    expect(res.status(), await res.text()).toBe(201);
    ids.push(((await res.json()) as { id: string }).id);
  }
  const adaId = ids[2]!;
  const notes = `Kickoff notes ${stamp}.txt`;
  const upload = await request.post(`/api/v1/contacts/${adaId}/documents`, {
    headers: asBackend,
    multipart: { section: 'internal', file: { name: notes, mimeType: 'text/plain', buffer: Buffer.from('Engine design review on Monday.') } },
  });
  expect(upload.status(), await upload.text()).toBe(201);
  const photo = `Portrait ${stamp}.png`;
  const image = await request.post(`/api/v1/contacts/${adaId}/documents`, {
    headers: asBackend,
    multipart: { section: 'received', file: { name: photo, mimeType: 'image/png', buffer: Buffer.from(ONE_PIXEL_PNG, 'base64') } },
  });
  expect(image.status(), await image.text()).toBe(201);

  // 2. The host backend's token endpoint: calls POST /api/v1/sessions with the secret key, answers { token, expiresAt }.
  let tokensMinted = 0;
  await page.route(`${host}/dossier-token`, async (route) => {
    expect(route.request().method()).toBe('POST');
    const res = await request.post('/api/v1/sessions', {
      headers: asBackend,
      data: { member: { externalId: 'u_42', name: 'Ada Admin', email: `admin.${stamp}@partner.example`, role: 'manager' }, ttlSeconds: 3600 },
    });
    expect(res.status()).toBe(201);
    const { token, expiresAt } = (await res.json()) as { token: string; expiresAt: number };
    tokensMinted++;
    await route.fulfill({ contentType: 'application/json', body: JSON.stringify({ token, expiresAt }) });
  });

  // 3. The host page: one script tag from the Dossier server, the provider pointed at it, the host's own wiring.
  await page.route(`${host}/crm/**`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><title>Partner CRM</title><body>
        <script type="module" src="${baseURL}/dist/dossier.js"></script>
        <h1>Partner CRM</h1>
        <dossier-provider base-url="${baseURL}" token-url="/dossier-token">
          <contact-table style="--contact-table-height: 360px"></contact-table>
          <contact-record></contact-record>
          <contact-documents></contact-documents>
        </dossier-provider>
        <script type="module">
          const [table, record, documents] = ['contact-table', 'contact-record', 'contact-documents'].map((n) => document.querySelector(n));
          window.opened = [];
          window.changes = [];
          table.addEventListener('contact-open', (e) => {
            window.opened.push(e.detail.id);
            record.contactId = e.detail.id;
            documents.contactId = e.detail.id;
          });
          record.addEventListener('contact-change', (e) => window.changes.push(e.detail.changed));
        </script>
      </body></html>`,
    }),
  );
  // Every API call the widgets make goes to the Dossier server's origin, and each answer names the host origin.
  const apiOrigins = new Set<string>();
  page.on('response', (res) => {
    if (!res.url().startsWith(`${baseURL}/api/`)) return;
    const allow = res.headers()['access-control-allow-origin'];
    if (allow) apiOrigins.add(allow);
  });

  await page.goto(`${host}/crm/contacts`);
  const table = page.locator('contact-table');
  const grid = table.getByRole('grid', { name: 'Contacts' });
  await expect(table.locator('.status')).toHaveText('3 contacts');
  // Newest first: Ada, Alan, Grace — the rows of this workspace only.
  await expect(grid.getByRole('row').nth(1)).toContainText('Ada Lovelace');
  await expect(grid.getByRole('row').nth(3)).toContainText('Grace Hopper');
  expect(tokensMinted, 'the provider got its token from the host page’s own endpoint').toBeGreaterThan(0);

  // A row opens the record through the host's contact-open listener.
  await grid.getByRole('row').nth(1).locator('.col-name').click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { opened: string[] }).opened)).toEqual([adaId]);
  const record = page.locator('contact-record');
  await expect(record.getByRole('heading', { level: 2 })).toHaveText('Ada Lovelace');

  // An edit saves across origins (PATCH with a preflight) and the server has it.
  const email = record.getByRole('textbox', { name: 'Email 1', exact: true });
  await expect(email).toHaveValue(`ada.${stamp}@example.com`);
  const newEmail = `countess.${stamp}@example.com`;
  await email.fill(newEmail);
  await email.press('Enter');
  await expect(record.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect.poll(() => page.evaluate(() => (window as unknown as { changes: string[][] }).changes.flat())).toContain('emails');
  const saved = (await (await request.get(`/api/v1/contacts/${adaId}`, { headers: asBackend })).json()) as { emails: { value: string }[] };
  expect(saved.emails.map((e) => e.value)).toEqual([newEmail]);
  // The table follows the change (the widgets share one client).
  await expect(grid.getByRole('row').nth(1)).toContainText(newEmail);

  // Documents: listed, previewed (bytes fetched with the bearer token across origins), and a pushed one arrives
  // over Server-Sent Events opened from the host page.
  const docs = page.locator('contact-documents');
  await expect(docs.getByRole('tab', { name: /^All 2/ })).toBeVisible();
  // The image's thumbnail comes from a short-lived signed link on the Dossier server (a plain <img>).
  const thumb = docs.getByRole('listitem').filter({ has: page.getByRole('button', { name: photo, exact: true }) }).locator('img');
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
  await docs.getByRole('button', { name: notes, exact: true }).click();
  await expect(docs.getByRole('region', { name: `Preview of ${notes}` }).getByText('Engine design review on Monday.')).toBeVisible();
  await docs.getByRole('button', { name: 'Close preview' }).click();

  const attachment = `Signed order ${stamp}.txt`;
  const pushed = await request.post('/api/v1/messages', {
    headers: asBackend,
    multipart: {
      message: JSON.stringify({ channel: 'email', direction: 'inbound', contact: { email: newEmail }, subject: 'Signed order', text: 'Here it is.' }),
      file: { name: attachment, mimeType: 'text/plain', buffer: Buffer.from('Signed, sealed, delivered.') },
    },
  });
  expect(pushed.status(), await pushed.text()).toBe(201);
  await expect(docs.getByRole('button', { name: attachment, exact: true })).toBeVisible();
  await expect(docs.getByRole('tab', { name: /^All 3/ })).toBeVisible();

  expect([...apiOrigins]).toEqual([host]);
  await expectNoErrors(errors);
});

test('a host origin the workspace does not list is refused, with a reason the host developer can read', async ({ request, baseURL }) => {
  const host = baseURL!.replace('localhost', '127.0.0.1');
  const { secretKey } = JSON.parse(dossierCli('workspace', 'create', '--name', `Elsewhere ${Date.now()}`, '--origin', 'https://app.elsewhere.example')) as { secretKey: string };
  const minted = await request.post('/api/v1/sessions', {
    headers: { authorization: `Bearer ${secretKey}` },
    data: { member: { externalId: 'u_1', name: 'Eve', email: 'eve@elsewhere.example', role: 'agent' } },
  });
  const { token } = (await minted.json()) as { token: string };
  const res = await request.post('/api/v1/contacts/query', { headers: { authorization: `Bearer ${token}`, origin: host }, data: { limit: 1 } });
  expect(res.status()).toBe(403);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('origin_not_allowed');
});
