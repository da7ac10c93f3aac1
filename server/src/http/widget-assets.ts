// Serves the built widgets (dist/) to host pages on any origin. A `<script type="module">` from another origin is
// fetched in CORS mode, so without `Access-Control-Allow-Origin` the browser refuses to run it; the files are
// public and carry no credentials, so `*` is right. Hashed chunk names never change content: cache them forever.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { compress } from 'hono/compress';

/** The two builds (`vite build`, `vite build --mode elements`) and where each writes its manifest. */
const BUILDS = ['dist', 'dist/elements'];

/**
 * The files a build named with a content hash: every chunk and asset its manifest (`build.manifest`) lists that is
 * not an entry (`dossier.js`, `elements/<name>.js` keep their names across builds). Read again when a manifest
 * changes (the demo's watch mode rebuilds).
 */
function hashedFiles(root: string) {
  let seen = '';
  let hashed = new Set<string>();
  return () => {
    const paths = BUILDS.map((dir) => join(root, dir, '.vite/manifest.json'));
    const stamp = paths.map((p) => statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? 0).join();
    if (stamp === seen) return hashed;
    seen = stamp;
    hashed = new Set();
    BUILDS.forEach((dir, i) => {
      let manifest: Record<string, { file: string; isEntry?: boolean; assets?: string[] }> = {};
      try {
        manifest = JSON.parse(readFileSync(paths[i]!, 'utf8'));
      } catch {
        return; // not built: nothing is immutable
      }
      for (const chunk of Object.values(manifest)) {
        if (!chunk.isEntry) hashed.add(`/${dir}/${chunk.file}`);
        for (const asset of chunk.assets ?? []) hashed.add(`/${dir}/${asset}`);
      }
    });
    return hashed;
  };
}

export function widgetAssets(root: string) {
  const hashed = hashedFiles(root);
  // A source map follows its file; workers Vite emits under assets/ are always content-hashed.
  const immutable = (path: string) => hashed().has(path.replace(/\.map$/, '')) || /^\/dist\/(elements\/)?assets\/[^/]+-[\w-]{8}\.js(\.map)?$/.test(path);
  return new Hono()
    .use(async (c, next) => {
      await next();
      if (!c.res.ok) return;
      c.header('Access-Control-Allow-Origin', '*');
      c.header('Cross-Origin-Resource-Policy', 'cross-origin');
      c.header('Cache-Control', immutable(c.req.path) ? 'public, max-age=31536000, immutable' : 'public, max-age=300, must-revalidate');
    })
    .use(compress())
    .get('/*', serveStatic({ root }));
}
