// Vite plugin (build only): shrinks the static text of Lit `html`, `css` and `svg` tagged templates, which
// minifiers leave untouched. Templates are found with a real parser (acorn), so code and untagged template
// strings are never changed:
// - css: comments dropped, whitespace collapsed, spaces around { } ; , and after a declaration's : removed, and
//   the last ; of a block;
// - html/svg: every whitespace run that contains a line break becomes one space (how the browser renders it
//   anyway); templates with <pre>, <textarea> or white-space rules are left alone.
import { parse } from 'acorn';
import type { Plugin } from 'vite';

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

const TAGS = new Set(['html', 'css', 'svg']);

function walk(node: unknown, visit: (n: Node) => void): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
    return;
  }
  const n = node as Node;
  if (typeof n.type === 'string') visit(n);
  for (const key in n) if (key !== 'type' && key !== 'start' && key !== 'end') walk(n[key], visit);
}

export function minifyCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,])\s*/g, '$1')
    // "display: block" → "display:block": only a declaration (a name right after { or ;), never a selector's ":".
    .replace(/([{;][-\w]+):\s+/g, '$1:')
    .replace(/;}/g, '}');
}

export function minifyHtml(text: string): string {
  return text.replace(/[ \t]*\n\s*/g, ' ');
}

export function minifyTemplates(code: string): string {
  let ast: unknown;
  try {
    ast = parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
  } catch {
    return code; // not plain JS (should not happen after the TS transform): leave it alone
  }
  const edits: { start: number; end: number; text: string }[] = [];
  walk(ast, (n) => {
    if (n.type !== 'TaggedTemplateExpression') return;
    const tag = n.tag as Node & { name?: string };
    if (tag.type !== 'Identifier' || !TAGS.has(tag.name ?? '')) return;
    const quasis = (n.quasi as { quasis: Node[] }).quasis;
    const raw = quasis.map((q) => code.slice(q.start, q.end));
    const isCss = tag.name === 'css';
    if (!isCss && raw.some((r) => /<pre|<textarea|white-space/i.test(r))) return;
    quasis.forEach((q, i) => {
      const text = isCss ? minifyCss(raw[i]!) : minifyHtml(raw[i]!);
      if (text !== raw[i]) edits.push({ start: q.start, end: q.end, text });
    });
  });
  edits.sort((a, b) => b.start - a.start);
  let out = code;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

export function minifyLitTemplates(): Plugin {
  return {
    name: 'dossier-minify-lit-templates',
    apply: 'build',
    enforce: 'post',
    transform(code, id) {
      if (!/\/packages\/.*\.ts$/.test(id) || !/\b(html|css|svg)`/.test(code)) return null;
      return { code: minifyTemplates(code), map: null };
    },
  };
}
