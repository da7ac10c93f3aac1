import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';
import { darkPixels, expectNoErrors, watchErrors } from './support.js';

// Both origins are on this machine's loopback address, which Chromium's local-network-access prompt guards; in
// production the host page and the Dossier server are ordinary public origins, so the test turns the prompt off.
test.use({
  launchOptions: {
    executablePath: process.env.CHROME_PATH ?? findChromium() ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests'],
  },
});

// A host page on another origin, as a host developer would embed Dossier: one module script tag from the Dossier
// server and an element pointed at it. Module scripts, lazy chunks and pdf.js load in CORS mode.
test('a host page on another origin embeds <share-viewer> with the script tag and reads a PDF', async ({ page, request, baseURL }) => {
  const errors = watchErrors(page);
  const token = ((await (await request.post('/demo/token?role=owner')).json()) as { token: string }).token;
  const demo = (await (await request.get('/demo/share-link')).json()) as { documentId: string };
  const created = await request.post('/api/v1/share-links', {
    headers: { authorization: `Bearer ${token}` },
    data: { documentId: demo.documentId, name: 'Embedded on a partner site', require: 'none' },
  });
  expect(created.status()).toBe(201);
  const { slug } = (await created.json()) as { slug: string };

  // Another origin on the loopback address (Chromium's private-network rules keep public pages off localhost).
  const host = baseURL!.replace('localhost', '127.0.0.1');
  const assets = await request.get('/dist/dossier.js', { headers: { origin: host } });
  expect(assets.headers()['access-control-allow-origin']).toBe('*');

  await page.route(`${host}/partner/**`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><title>Partner</title><body>
        <script type="module" src="${baseURL}/dist/dossier.js"></script>
        <h1>Our partner page</h1>
        <share-viewer slug="${slug}" base-url="${baseURL}"></share-viewer>
      </body></html>`,
    }),
  );
  await page.goto(`${host}/partner/proposal`);
  const viewer = page.locator('share-viewer');
  await expect(viewer.getByRole('heading', { name: 'Acme proposal.pdf' })).toBeVisible();
  await expect(viewer.getByRole('img', { name: 'Page 1 of 5' })).toBeVisible({ timeout: 20_000 });
  expect(await darkPixels(viewer.locator('canvas')), 'the page has ink on it').toBeGreaterThan(50);
  await expectNoErrors(errors);
});
