import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Hono } from 'hono';
import { widgetAssets } from './widget-assets.js';

/** A dist/ as `npm run build` leaves it: entries with plain names, chunks with hashes, each build's manifest. */
function builtRoot() {
  const root = mkdtempSync(join(tmpdir(), 'dossier-assets-'));
  const write = (path: string, body: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), body);
  };
  for (const f of ['dist/dossier.js', 'dist/filter-drawer-DXL862Zb.js', 'dist/filter-drawer-DXL862Zb.js.map', 'dist/elements/dossier-provider.js', 'dist/elements/contact-documents.js', 'dist/elements/contact-documents.js.map', 'dist/elements/theme-BJZtAWya.js']) write(f, 'export {};');
  write('dist/.vite/manifest.json', JSON.stringify({ 'packages/widgets/src/index.ts': { file: 'dossier.js', isEntry: true }, 'filter-drawer.ts': { file: 'filter-drawer-DXL862Zb.js', isDynamicEntry: true } }));
  write('dist/elements/.vite/manifest.json', JSON.stringify({ 'dossier-provider.ts': { file: 'dossier-provider.js', isEntry: true }, 'contact-documents.ts': { file: 'contact-documents.js', isEntry: true }, '_theme.js': { file: 'theme-BJZtAWya.js' } }));
  return root;
}

test('dist/: entries are revalidated, hashed chunks are immutable — decided by the build manifest, not by the name', async () => {
  const app = new Hono().route('/dist', widgetAssets(builtRoot()));
  const cache = async (path: string) => (await app.request(path)).headers.get('cache-control');
  const immutable = 'public, max-age=31536000, immutable';
  for (const entry of ['/dist/dossier.js', '/dist/elements/dossier-provider.js', '/dist/elements/contact-documents.js', '/dist/elements/contact-documents.js.map']) {
    assert.notEqual(await cache(entry), immutable, entry);
  }
  for (const chunk of ['/dist/filter-drawer-DXL862Zb.js', '/dist/filter-drawer-DXL862Zb.js.map', '/dist/elements/theme-BJZtAWya.js']) {
    assert.equal(await cache(chunk), immutable, chunk);
  }
});
