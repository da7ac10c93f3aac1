// `npm run pack`: the publishable packages, staged in .tmp/pack/<name>/ and packed (`npm pack`) into .tmp/pack/*.tgz:
//   @dossier-crm/elements  dist/ (the script-tag bundle, the per-element entries), rolled-up .d.ts per entry (element
//                          classes, HTMLElementTagNameMap, the event map — nothing of the server), Vue typings,
//                          custom-elements.json, web-types.json, VS Code custom data;
//   @dossier-crm/react     @lit/react wrappers, generated from the manifest;
//   @dossier-crm/server    the server and CLI (`npx @dossier-crm/server serve`), with the built widgets it serves.
// Run after `npm run build` (it runs `npm run analyze` and the declaration emit itself). Prints each tarball.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';
import { publicElements, reactWrappers, vscodeData, vueTypes, webTypes } from './packages/from-manifest.mjs';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, '.tmp/pack');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const { version } = pkg;
const SCOPE = '@dossier-crm';
const started = Date.now();
const run = (cmd, args, cwd = root) => {
  const t = Date.now();
  const res = execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (process.env.PACK_TIMES) console.log(`[pack] ${cmd} ${args.join(' ')}: ${Date.now() - t} ms`);
  return res;
};
const json = (file) => JSON.parse(readFileSync(file, 'utf8'));
const write = (file, body) => {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, typeof body === 'string' ? body : `${JSON.stringify(body, null, 2)}\n`);
};
const pinned = (name) => {
  const v = pkg.dependencies[name] ?? pkg.devDependencies[name];
  if (!v) throw new Error(`${name} is not a dependency of the repository: add it (pinned) first`);
  return v;
};

if (!existsSync(join(root, 'dist/elements/.vite/manifest.json'))) throw new Error('run `npm run build` first');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// ——— the public elements, from the manifest and the per-element build ———
if (!process.env.PACK_SKIP_ANALYZE) run('npm', ['run', '--silent', 'analyze']);
const manifest = json(join(root, 'custom-elements.json'));
const entries = Object.fromEntries(Object.entries(json(join(root, 'dist/elements/.vite/manifest.json'))).filter(([, c]) => c.isEntry).map(([src, c]) => [src, c.file.replace(/\.js$/, '')]));
const elements = publicElements(manifest).filter((el) => entries[el.path]);
const missing = publicElements(manifest).filter((el) => !entries[el.path]).map((el) => el.tag);
if (missing.length) console.warn(`[pack] no per-element entry for ${missing.join(', ')} (vite.config.ts ELEMENTS): left out of the wrappers`);
const subpath = (el) => `${SCOPE}/elements/${entries[el.path]}`;

// ——— @dossier-crm/elements ———
const elementsDir = join(out, 'elements');
const dist = join(elementsDir, 'dist');
// The built files of both builds, without the versioned copies, manifests and source maps' sources.
cpSync(join(root, 'dist'), dist, {
  recursive: true,
  filter: (src) => {
    const rel = relative(join(root, 'dist'), src);
    return !/^\d+\.\d+\.\d+/.test(rel) && !rel.includes('.vite') && rel !== 'version.json';
  },
});
// Declarations: tsc emits every file the entries reach (server included) into .tmp/types; rollup-plugin-dts keeps what
// the entries export. The typed RPC client (hono's client over the server's AppType) is internal: `unknown` here.
rmSync(join(root, '.tmp/types'), { recursive: true, force: true });
// (noCheck: the stubbed app type would not check; `npm run typecheck` checks the real one.)
run('npx', ['tsc', '-p', 'scripts/packages/tsconfig.types.json']);
const apiDts = join(root, '.tmp/types/packages/core/src/api.d.ts');
writeFileSync(apiDts, readFileSync(apiDts, 'utf8').replace(/^import type \{ AppType \} from .*$/m, '').replace(/ReturnType<typeof hc<AppType>>/, 'unknown'));
const leakedIntoEmit = readdirSync(join(root, '.tmp/types/server/src'), { recursive: true }).filter((f) => /^(app|routes\/(contacts|documents))\.d\.ts$/.test(f));
if (leakedIntoEmit.length) console.warn(`[pack] the declaration emit reached the server's routes (${leakedIntoEmit.join(', ')}): slow`);
const dtsInputs = { index: join(root, '.tmp/types/packages/widgets/src/index.d.ts') };
for (const [src, name] of Object.entries(entries)) dtsInputs[name] = join(root, '.tmp/types', src.replace(/\.ts$/, '.d.ts'));
const bundle = await rollup({ input: dtsInputs, plugins: [dts()], onwarn: () => {}, external: (id) => !id.startsWith('.') && !id.startsWith('/') });
await bundle.write({ dir: join(dist, 'types'), format: 'es', chunkFileNames: 'shared-[hash].d.ts', entryFileNames: '[name].d.ts' });
// Lit's template types come through `lit` (which re-exports lit-html's), the one package hosts install for them.
for (const f of readdirSync(join(dist, 'types'))) writeFileSync(join(dist, 'types', f), readFileSync(join(dist, 'types', f), 'utf8').replaceAll("from 'lit-html'", "from 'lit'"));
const leaked = readdirSync(join(dist, 'types')).filter((f) => /from ['"](kysely|hono|better-sqlite3|pg|zod)/.test(readFileSync(join(dist, 'types', f), 'utf8')));
if (leaked.length) throw new Error(`server types leaked into the declarations: ${leaked.join(', ')}`);
write(join(dist, 'vue.d.ts'), vueTypes(elements, subpath));
write(join(dist, 'custom-elements.json'), manifest);
write(join(dist, 'web-types.json'), webTypes(elements, `${SCOPE}/elements`, version));
write(join(dist, 'vscode.html-custom-data.json'), vscodeData(elements));
const exportsMap = {
  '.': { types: './dist/types/index.d.ts', default: './dist/dossier.js' },
  ...Object.fromEntries(Object.values(entries).sort().map((name) => [`./${name}`, { types: `./dist/types/${name}.d.ts`, default: `./dist/elements/${name}.js` }])),
  './vue': { types: './dist/vue.d.ts' },
  './custom-elements.json': './dist/custom-elements.json',
  './web-types.json': './dist/web-types.json',
  './vscode.html-custom-data.json': './dist/vscode.html-custom-data.json',
  './package.json': './package.json',
};
// The declarations extend Lit's classes: hosts need lit's types (the runtime is bundled in dist/).
const typeDeps = ['lit', '@lit/context', '@lit/task'].filter((d) => readdirSync(join(dist, 'types')).some((f) => readFileSync(join(dist, 'types', f), 'utf8').includes(`'${d}`)));
write(join(elementsDir, 'package.json'), { ...json(join(root, 'packages/elements/package.json')), version, exports: exportsMap, dependencies: Object.fromEntries(typeDeps.map((d) => [d, pinned(d)])) });

// ——— @dossier-crm/react ———
const reactDir = join(out, 'react');
const react = reactWrappers(elements, subpath);
write(join(reactDir, 'dist/index.js'), react.js);
write(join(reactDir, 'dist/index.d.ts'), react.dts);
write(join(reactDir, 'package.json'), { ...json(join(root, 'packages/react/package.json')), version, dependencies: { [`${SCOPE}/elements`]: version, '@lit/react': pinned('@lit/react') } });

// ——— @dossier-crm/server ———
const serverDir = join(out, 'server');
for (const dir of ['bin', 'server/src', 'dist', 'demo']) cpSync(join(root, dir), join(serverDir, dir), { recursive: true });
// Modules the server shares with the widgets: the money arithmetic and the hosted invoice page's messages.
for (const f of ['packages/core/src/money.ts', 'packages/core/src/i18n.ts', 'packages/core/src/locales', 'packages/widgets/src/contact-billing/messages.ts']) {
  cpSync(join(root, f), join(serverDir, f), { recursive: true });
}
// Its dependencies: every package the server's own (non-test) modules import, at the repository's pinned version.
const isTest = (f) => /\.test\.ts$|(^|\/)test-[^/]+\.ts$|(^|\/)testing\.ts$/.test(f);
const sources = readdirSync(join(root, 'server/src'), { recursive: true }).filter((f) => f.endsWith('.ts') && !isTest(f));
const imported = new Set(['tsx']);
for (const f of sources) {
  const text = readFileSync(join(root, 'server/src', f), 'utf8');
  for (const [, spec] of [...text.matchAll(/^\s*(?:import|export)[^';]*?from\s*'([^'.][^']*)'/gm), ...text.matchAll(/\bimport\(\s*'([^'.][^']*)'\s*\)/g)]) {
    if (spec.startsWith('node:')) continue;
    imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
  }
}
write(join(serverDir, 'package.json'), { ...json(join(root, 'packages/server/package.json')), version, dependencies: Object.fromEntries([...imported].sort().map((d) => [d, pinned(d)])) });

// ——— pack ———
for (const dir of [elementsDir, reactDir, serverDir]) {
  write(join(dir, 'README.md'), readFileSync(join(root, 'README.md'), 'utf8'));
  const [{ filename, files }] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', out], dir));
  const tests = files.map((f) => f.path).filter((p) => /\.test\.|(^|\/)test-[^/]+\.ts$|testing\.ts$|\.e2e\./.test(p));
  if (tests.length) throw new Error(`${filename} contains tests: ${tests.slice(0, 5).join(', ')}`);
  console.log(`${join(out, filename)}  (${files.length} files)`);
}
