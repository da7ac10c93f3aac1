// Prints the gzip size of the script-tag bundle and of each per-element entry (npm run build, npm run bench).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 45;
const kb = (bytes) => (bytes / 1024).toFixed(1);
export function bundleSizes(dist = new URL('../dist/', import.meta.url).pathname) {
  const rows = [];
  const add = (label, file) => {
    const raw = readFileSync(file);
    rows.push({ label, raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length });
  };
  add('dist/dossier.js', `${dist}dossier.js`);
  if (existsSync(`${dist}elements`)) {
    for (const f of readdirSync(`${dist}elements`).filter((f) => f.endsWith('.js')).sort()) add(`dist/elements/${f}`, `${dist}elements/${f}`);
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = bundleSizes();
  for (const r of rows) console.log(`${r.label.padEnd(40)} ${kb(r.raw).padStart(7)} KB  ${kb(r.gzip).padStart(6)} KB gzip`);
  const main = rows[0];
  console.log(`\nScript-tag bundle: ${kb(main.gzip)} KB gzip (budget for all four widgets: ${BUDGET_KB} KB).`);
  // The figure is only honest if dossier.js is one file: static imports of split chunks would load eagerly too.
  const eagerImports = readFileSync(new URL('../dist/dossier.js', import.meta.url), 'utf8').match(/(?:^|[;}])import\s*\{[^}]*\}\s*from\s*["'`][^"'`]+["'`]/g);
  if (eagerImports) {
    console.error(`dist/dossier.js statically imports ${eagerImports.length} chunk(s); add lazy modules to LAZY in vite.config.ts.`);
    process.exit(1);
  }
}
