import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The languages the widgets ship catalogues for (packages/core/src/locales/); the page falls back to English. */
const LANGUAGES = ['en', 'de', 'es', 'fr', 'ar'];

/**
 * The viewer's language for the public page: the first language tag of `Accept-Language` (by q) whose language
 * Dossier ships, kept with its region ("de-DE": German text, German formats); else English.
 */
export function viewerLanguage(acceptLanguage: string | undefined): string {
  const tags = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(/q=([\d.]+)/.exec(params.join(';'))?.[1] ?? 1);
      return { tag: tag.trim(), q: Number.isNaN(q) ? 0 : q, i };
    })
    .filter((x) => /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(x.tag) && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return tags.find((x) => LANGUAGES.includes(x.tag.split('-')[0]!.toLowerCase()))?.tag ?? 'en';
}

/** The minimal public page behind a share link: loads the built <share-viewer> and nothing else. */
export function sharePage(slug: string, baseUrl: string, lang = 'en'): string {
  const s = escapeHtml(slug);
  const b = escapeHtml(baseUrl);
  // <share-viewer> takes the page's language (and Arabic its direction) like any host page.
  const l = escapeHtml(lang);
  return `<!doctype html>
<html lang="${l}"${/^ar\b/i.test(lang) ? ' dir="rtl"' : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<title>Shared document</title>
<style>
  html, body { margin: 0; min-height: 100%; background: #f3f4f7; }
  @media (prefers-color-scheme: dark) { html, body { background: #101116; } }
  main { max-width: 980px; margin: 0 auto; padding: 24px 12px; }
  share-viewer:not(:defined) { display: block; min-height: 200px; }
</style>
<script type="module" src="${b}/dist/elements/share-viewer.js"></script>
</head>
<body>
<main>
<share-viewer slug="${s}" base-url="${b}" theme="auto"></share-viewer>
</main>
</body>
</html>`;
}

/** GET /s/:slug — the same page for every slug (unknown ones included); the element asks the API what to show. */
export function sharePageRoutes(deps: AppDeps) {
  return new Hono().get('/:slug', (c) => {
    const slug = c.req.param('slug');
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(slug)) return c.text('Not found', 404);
    const base = (deps.config?.publicUrl ?? new URL(c.req.url).origin).replace(/\/$/, '');
    return c.html(sharePage(slug, base, viewerLanguage(c.req.header('accept-language'))), 200, {
      Vary: 'Accept-Language',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
    });
  });
}
