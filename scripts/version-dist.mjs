// After `vite build` (both modes): keeps this build's entries under dist/<version>/ and names the current version in
// dist/version.json, so the server can serve versioned paths (server/src/http/widget-assets.ts). The builds no
// longer empty dist/: earlier versions' hashed chunks stay beside the new ones, so a page opened before a deploy
// still loads its lazy chunks. Retention: the newest KEEP versions (DOSSIER_DIST_KEEP, default 5) are kept; older
// version folders and the hashed files no kept version lists are deleted.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const keep = Number(process.env.DOSSIER_DIST_KEEP ?? 5);
const BUILDS = ['', 'elements/'];
const isVersion = (name) => /^\d+\.\d+\.\d+[\w.+-]*$/.test(name);
const manifestOf = (dir) => {
  try {
    return JSON.parse(readFileSync(join(dir, '.vite/manifest.json'), 'utf8'));
  } catch {
    return {};
  }
};
const copy = (from, to) => {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
};

const target = join(dist, version);
rmSync(target, { recursive: true, force: true });
for (const build of BUILDS) {
  const manifest = manifestOf(join(dist, build));
  for (const chunk of Object.values(manifest)) {
    if (!chunk.isEntry) continue;
    for (const f of [chunk.file, `${chunk.file}.map`]) if (existsSync(join(dist, build, f))) copy(join(dist, build, f), join(target, build, f));
  }
  copy(join(dist, build, '.vite/manifest.json'), join(target, build, '.vite/manifest.json'));
}
writeFileSync(join(dist, 'version.json'), `${JSON.stringify({ version })}\n`);

// Retention: newest first by the time each version was built.
const versions = readdirSync(dist).filter(isVersion).sort((a, b) => statSync(join(dist, b)).mtimeMs - statSync(join(dist, a)).mtimeMs);
for (const old of versions.slice(keep)) rmSync(join(dist, old), { recursive: true, force: true });
const listed = new Set();
for (const v of versions.slice(0, keep)) {
  for (const build of BUILDS) {
    for (const chunk of Object.values(manifestOf(join(dist, v, build)))) for (const f of [chunk.file, ...(chunk.assets ?? [])]) listed.add(`${build}${f}`);
  }
}
let removed = 0;
for (const build of BUILDS) {
  const dir = join(dist, build);
  for (const dirent of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!dirent.isFile()) continue;
    const rel = relative(dir, join(dirent.parentPath ?? dirent.path, dirent.name));
    const file = rel.replace(/\.map$/, '');
    // Only hashed build outputs are pruned (name-HASH.ext), never entries, manifests or version folders.
    if (rel.startsWith('.vite/') || isVersion(rel.split('/')[0]) || (build === '' && rel.startsWith('elements/')) || !/-[\w-]{8}\.\w+$/.test(file) || listed.has(`${build}${file}`)) continue;
    rmSync(join(dir, rel));
    removed++;
  }
}
console.log(`dist/${version}/: this build's entries; ${Math.min(versions.length, keep)} version(s) kept${removed ? `, ${removed} old chunk file(s) removed` : ''}.`);
