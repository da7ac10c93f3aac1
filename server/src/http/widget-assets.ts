// Serves the built widgets (dist/) to host pages on any origin. A `<script type="module">` from another origin is
// fetched in CORS mode, so without `Access-Control-Allow-Origin` the browser refuses to run it; the files are
// public and carry no credentials, so `*` is right. Hashed chunk names never change content: cache them forever.
//
// Versioned paths: each build also keeps its entries under dist/<version>/ (scripts/version-dist.mjs) for hosts that
// pin one; the plain entry paths (`/dist/dossier.js`, `/dist/elements/<name>.js`) are the current build's, answered
// in place (never redirected: a module fetched through a redirect is keyed by the URL asked for, while its chunks
// import the entry by the URL it came from, so the browser would run the whole bundle twice — under Trusted Types
// the second lit-html policy is refused). An open page keeps the entry it loaded for its lifetime (the browser's
// module map), and its lazy chunks, named by content hash, stay in dist/ across deploys: a redeploy never mixes
// versions in a page that is already open.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { compress } from 'hono/compress';

/** The two builds (`vite build`, `vite build --mode elements`) and where each writes its manifest. */
const BUILDS = ['', 'elements/'];
/** `/dist/<version>/rest`: a version is what package.json says (0.1.0, 1.2.0-beta.1). */
const VERSIONED = /^\/dist\/(\d+\.\d+\.\d+[\w.+-]*)\/(.+)$/;

type Manifest = Record<string, { file: string; isEntry?: boolean; assets?: string[] }>;
const readJson = <T>(path: string): T | null => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null; // not built
  }
};

/**
 * What the builds say, read again when a build writes (the demo's watch mode rebuilds): the files named with a
 * content hash — every chunk and asset a manifest (`build.manifest`) lists that is not an entry, in this build and
 * the earlier versions kept beside it — the current entries, and the current version.
 */
function builds(root: string) {
  let seen = '';
  let state = { hashed: new Set<string>(), entries: new Set<string>(), version: '' };
  return () => {
    const dist = join(root, 'dist');
    const stamp = ['version.json', ...BUILDS.map((b) => `${b}.vite/manifest.json`)].map((p) => statSync(join(dist, p), { throwIfNoEntry: false })?.mtimeMs ?? 0).join();
    if (stamp === seen) return state;
    seen = stamp;
    state = { hashed: new Set(), entries: new Set(), version: readJson<{ version: string }>(join(dist, 'version.json'))?.version ?? '' };
    const versions = existsSync(dist) ? readdirSync(dist).filter((d) => VERSIONED.test(`/dist/${d}/x`)) : [];
    for (const dir of ['', ...versions.map((v) => `${v}/`)]) {
      for (const build of BUILDS) {
        for (const chunk of Object.values(readJson<Manifest>(join(dist, dir, build, '.vite/manifest.json')) ?? {})) {
          if (!chunk.isEntry) state.hashed.add(`/dist/${build}${chunk.file}`);
          else if (!dir) state.entries.add(`/dist/${build}${chunk.file}`);
          for (const asset of chunk.assets ?? []) state.hashed.add(`/dist/${build}${asset}`);
        }
      }
    }
    return state;
  };
}

export function widgetAssets(root: string) {
  const current = builds(root);
  const unversioned = (path: string) => path.replace(VERSIONED, '/dist/$2');
  // A source map follows its file; workers Vite emits under assets/ are always content-hashed.
  const immutable = (path: string) => current().hashed.has(unversioned(path).replace(/\.map$/, '')) || /^\/dist\/(elements\/)?assets\/[^/]+-[\w-]{8}\.js(\.map)?$/.test(unversioned(path));
  const cors = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' };
  return new Hono()
    .use(async (c, next) => {
      await next();
      if (!c.res.ok) return;
      for (const [name, value] of Object.entries(cors)) c.header(name, value);
      // The moving entries are revalidated on every load, so a deploy shows at once.
      const entry = current().entries.has(c.req.path.replace(/\.map$/, ''));
      c.header('Cache-Control', immutable(c.req.path) ? 'public, max-age=31536000, immutable' : entry ? 'no-cache' : 'public, max-age=300, must-revalidate');
    })
    .use(compress())
    .get(
      '/*',
      serveStatic({
        root,
        // A version's own entries are in dist/<version>/; its hashed chunks are shared by all versions in dist/
        // (an entry of a version not kept is a 404, never the current build's entry under the old name).
        rewriteRequestPath: (path) => {
          const m = VERSIONED.exec(path);
          return m && !existsSync(join(root, path)) && !current().entries.has(`/dist/${m[2]}`.replace(/\.map$/, '')) ? `/dist/${m[2]}` : path;
        },
      }),
    );
}
