// npm run i18n:check: every English message (the `addMessages('en', {...})` blocks beside the code) against each
// shipped language's catalogue (packages/core/src/locales/<lang>.ts). Prints, per language, the missing keys as
// lines to paste into that file (English text as a start), the keys a catalogue has that English no longer has,
// and English keys no source file uses. Exits 1 when a shipped language lacks a key.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const LOCALES = join(root, 'packages/core/src/locales');

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The object literal after `marker` in `text`, read as JavaScript (catalogues hold only string literals). */
function objectAfter(text, marker, from = 0) {
  const at = text.indexOf(marker, from);
  if (at < 0) return null;
  let depth = 0;
  let i = text.indexOf('{', at);
  const start = i;
  let quote = null;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '/' && text[i + 1] === '/') i = text.indexOf('\n', i);
    else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) break;
  }
  return { value: new Function(`return (${text.slice(start, i + 1)})`)(), end: i };
}

const sources = walk(join(root, 'packages')).filter((f) => !f.startsWith(LOCALES));
/** English key → the file that declares it. */
export const english = new Map();
for (const file of sources.filter((f) => !f.endsWith('.test.ts'))) {
  const text = readFileSync(file, 'utf8');
  let from = 0;
  for (;;) {
    const found = objectAfter(text, "addMessages('en', {", from);
    if (!found) break;
    for (const [key, value] of Object.entries(found.value)) english.set(key, { value, file: relative(root, file) });
    from = found.end;
  }
}

export function catalogue(lang) {
  return objectAfter(readFileSync(join(LOCALES, `${lang}.ts`), 'utf8'), 'export default {').value;
}
export const languages = readdirSync(LOCALES).filter((f) => /^[a-z]{2,3}(-[A-Za-z]+)?\.ts$/.test(f)).map((f) => f.slice(0, -3));

const PLURAL = /\.(zero|one|two|few|many|other)$/;
const base = (key) => key.replace(PLURAL, '');
/**
 * Plural forms a language needs (Intl.PluralRules): those counts up to 1,000 pick. Spanish and French `many` (only
 * for millions: "1 000 000 de contacts") may fall back to `other`, as plural() does.
 */
const formsOf = (lang) => {
  const rules = new Intl.PluralRules(lang);
  return [...new Set(Array.from({ length: 1001 }, (_, n) => rules.select(n)))];
};

/** Bases of plural messages: English has a `.one` form for each (a key like `act.what.other` is no plural). */
const pluralBases = () => new Set([...english.keys()].filter((k) => k.endsWith('.one')).map(base));
const isPlural = (key, bases) => PLURAL.test(key) && bases.has(base(key));

export function missingKeys(lang) {
  const have = catalogue(lang);
  const bases = pluralBases();
  const missing = [...english.keys()].filter((key) => !isPlural(key, bases) && have[key] === undefined);
  // A plural message needs every form the language's rules pick (Arabic: zero, one, two, few, many, other).
  for (const b of bases) for (const form of formsOf(lang)) if (have[`${b}.${form}`] === undefined) missing.push(`${b}.${form}`);
  return missing;
}

export function staleKeys(lang) {
  const bases = pluralBases();
  return Object.keys(catalogue(lang)).filter((k) => !english.has(k) && !isPlural(k, bases));
}

const placeholders = (text) => new Set(text.match(/\{\w+\}/g) ?? []);

/** Translations whose `{placeholders}` differ from the English ones (a plural form may leave out `{count}`: "يوم واحد"). */
export function placeholderMismatches(lang) {
  const have = catalogue(lang);
  const bases = pluralBases();
  const out = [];
  for (const [key, text] of Object.entries(have)) {
    const en = english.get(key)?.value ?? english.get(`${base(key)}.other`)?.value;
    if (en === undefined) continue;
    const want = placeholders(en);
    const got = placeholders(text);
    if (isPlural(key, bases)) want.delete('{count}'), got.delete('{count}');
    if ([...want].some((p) => !got.has(p)) || [...got].some((p) => !want.has(p))) out.push(`${key}: ${text}`);
  }
  return out;
}

/** English keys no source mentions, neither whole nor as the prefix of a key built at run time (`record.label.${x}`). */
export function unusedKeys() {
  const code = sources.map((f) => readFileSync(f, 'utf8').replace(/addMessages\('en', \{[\s\S]*?\n\}\);/g, '')).join('\n');
  const quoted = new Set(code.match(/['"`][\w.-]+['"`]/g)?.map((s) => s.slice(1, -1)) ?? []);
  // Keys built at run time: `act.what.${channel}`, 'record.label.' + label.
  const prefixes = [...code.matchAll(/`([\w.-]+\.)\$\{|['"]([\w.-]+\.)['"]\s*\+/g)].map((m) => m[1] ?? m[2]);
  return [...english.keys()].filter((key) => {
    const b = base(key);
    if (quoted.has(key) || quoted.has(b)) return false;
    return !prefixes.some((p) => p && (key.startsWith(p) || b.startsWith(p)));
  });
}

const quote = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;

if (import.meta.url === `file://${process.argv[1]}`) {
  let failed = false;
  for (const lang of languages) {
    const missing = missingKeys(lang);
    const stale = staleKeys(lang);
    console.log(`\n${lang}: ${missing.length ? `${missing.length} missing` : 'complete'}${stale.length ? `, ${stale.length} not in English` : ''}`);
    if (missing.length) {
      failed = true;
      console.log(`  // paste into packages/core/src/locales/${lang}.ts and translate:`);
      for (const key of missing) console.log(`  ${quote(key)}: ${quote(english.get(key)?.value ?? english.get(`${base(key)}.other`)?.value ?? '')},`);
    }
    for (const key of stale) console.log(`  not in English (remove?): ${key}`);
    const wrong = placeholderMismatches(lang);
    if (wrong.length) failed = true;
    for (const line of wrong) console.log(`  placeholders differ from English: ${line}`);
  }
  const unused = unusedKeys();
  console.log(`\nEnglish keys no code uses: ${unused.length ? '' : 'none'}`);
  for (const key of unused) console.log(`  ${key} (${english.get(key).file})`);
  process.exit(failed ? 1 : 0);
}
