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

/** dist/dossier.js plus every chunk it imports statically: what a script-tag page downloads before any lazy chunk. */
export function eagerSize(dist = new URL('../dist/', import.meta.url).pathname) {
  const seen = new Set();
  const walk = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(`${dist}${file}`, 'utf8');
    for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[^'"()]*?from\s*)?["']\.\/([^"']+)["']/g)) walk(m[1]);
  };
  walk('dossier.js');
  const all = Buffer.concat([...seen].map((f) => readFileSync(`${dist}${f}`)));
  return { files: [...seen], raw: all.length, gzip: gzipSync(all, { level: 9 }).length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = bundleSizes();
  for (const r of rows) console.log(`${r.label.padEnd(40)} ${kb(r.raw).padStart(7)} KB  ${kb(r.gzip).padStart(6)} KB gzip`);
  const main = rows[0];
  const eager = eagerSize();
  console.log(`\nScript-tag bundle: ${kb(main.gzip)} KB gzip; eager total with its static chunks (${eager.files.join(', ')}): ${kb(eager.gzip)} KB gzip (budget for all four widgets: ${BUDGET_KB} KB).`);
}
