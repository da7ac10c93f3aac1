import { expect, test } from '@playwright/test';
import { expectNoErrors, watchErrors } from './support.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

test('entries keep their names and are revalidated; hashed chunks are immutable (from the build manifests)', async ({ request }) => {
  for (const entry of ['/dist/dossier.js', '/dist/elements/dossier-provider.js', '/dist/elements/contact-documents.js', '/dist/elements/share-link-dialog.js']) {
    const res = await request.get(entry);
    expect(res.status(), entry).toBe(200);
    expect(res.headers()['cache-control'], entry).not.toBe(IMMUTABLE);
  }
  const manifest = (await (await request.get('/dist/elements/.vite/manifest.json')).json()) as Record<string, { file: string; isEntry?: boolean }>;
  const chunk = Object.values(manifest).find((c) => !c.isEntry)!;
  expect((await request.get(`/dist/elements/${chunk.file}`)).headers()['cache-control']).toBe(IMMUTABLE);
});

test('<share-link-dialog> has an entry of its own that defines it inside a provider', async ({ page }) => {
  const errors = watchErrors(page);
  await page.route('**/entries-host/', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><title>Entries</title><link rel="icon" href="data:,">
        <script type="module" src="/dist/elements/dossier-provider.js"></script>
        <script type="module" src="/dist/elements/share-link-dialog.js"></script>
        <dossier-provider token-url="/demo/token?role=owner"><share-link-dialog document-id="doc_none" document-name="Nothing.pdf"></share-link-dialog></dossier-provider>`,
    }),
  );
  await page.goto('/entries-host/');
  await expect.poll(() => page.evaluate(() => Boolean(customElements.get('share-link-dialog')))).toBe(true);
  await expectNoErrors(errors);
});
