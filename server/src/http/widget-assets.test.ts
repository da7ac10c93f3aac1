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

/** Builds version `version` into `root` as `npm run build` does: entries, its hashed chunk, and its dist/<version>/. */
function deploy(root: string, version: string, chunk: string) {
  const write = (path: string, body: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), body);
  };
  const manifest = JSON.stringify({ 'packages/widgets/src/index.ts': { file: 'dossier.js', isEntry: true }, 'x.ts': { file: chunk, isDynamicEntry: true } });
  for (const dir of ['dist', `dist/${version}`]) {
    write(`${dir}/dossier.js`, `export const v = '${version}'; // imports ./${chunk}`);
    write(`${dir}/.vite/manifest.json`, manifest);
  }
  write(`dist/${chunk}`, `import { v } from './dossier.js'; // of ${version}`);
  write('dist/version.json', JSON.stringify({ version }));
}

test('versioned paths: the entry path is the current build\'s (answered in place, revalidated), every version\'s entry stays at its versioned path, and chunks of the previous version still load after a deploy', async () => {
  const root = mkdtempSync(join(tmpdir(), 'dossier-versions-'));
  const app = new Hono().route('/dist', widgetAssets(root));
  deploy(root, '1.0.0', 'x-AAAAAAAA.js');
  let alias = await app.request('/dist/dossier.js');
  // Never a redirect: a module fetched through one would run twice (its chunks import it by another URL).
  assert.equal(alias.status, 200);
  assert.match(await alias.text(), /'1\.0\.0'/);
  assert.equal(alias.headers.get('access-control-allow-origin'), '*');
  assert.equal(alias.headers.get('cache-control'), 'no-cache');
  const old = await app.request('/dist/1.0.0/dossier.js');
  assert.match(await old.text(), /1\.0\.0/);
  assert.equal(old.headers.get('access-control-allow-origin'), '*');

  deploy(root, '1.1.0', 'x-BBBBBBBB.js');
  alias = await app.request('/dist/dossier.js');
  assert.match(await alias.text(), /'1\.1\.0'/, 'the entry moves at once');
  // The page opened before the deploy keeps its entry (the browser's module map); its lazy chunk still loads, from
  // dist/ as the page asks for it, and under the versioned path of a host that pinned the version.
  for (const path of ['/dist/x-AAAAAAAA.js', '/dist/1.0.0/x-AAAAAAAA.js']) {
    const oldChunk = await app.request(path);
    assert.equal(oldChunk.status, 200, path);
    assert.equal(oldChunk.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  }
  assert.match(await (await app.request('/dist/1.0.0/dossier.js')).text(), /'1\.0\.0'/);
  assert.match(await (await app.request('/dist/1.1.0/x-BBBBBBBB.js')).text(), /1\.1\.0/);
  // A version that was never kept has no entry (never the current build's under an old name).
  assert.equal((await app.request('/dist/0.9.0/dossier.js')).status, 404);
});
