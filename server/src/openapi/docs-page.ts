import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';

/**
 * GET /docs — the interactive API reference (Swagger UI) over /api/v1/openapi.json. Its files come from the
 * swagger-ui-dist package on this server (no CDN: hosts without internet get the page too), and the page runs
 * under a CSP that allows only this origin's scripts; the start-up script is a file, not inline.
 */
const UI_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

// Swagger UI styles elements through style attributes, hence 'unsafe-inline' for styles (never for scripts).
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dossier API reference</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true, layout: 'BaseLayout', tryItOutEnabled: false });\n`;

export function docsPageRoutes() {
  const cache = new Map<string, string>();
  const read = (name: string) => cache.get(name) ?? cache.set(name, readFileSync(join(UI_DIR, name), 'utf8')).get(name)!;
  const headers = (type: string) => ({ 'Content-Type': type, 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'public, max-age=3600' });
  return new Hono()
    .get('/', (c) => c.body(PAGE, 200, { ...headers('text/html; charset=utf-8'), 'Cache-Control': 'no-cache' }))
    .get('/init.js', (c) => c.body(INIT, 200, headers('text/javascript; charset=utf-8')))
    .get('/:file{[a-z-]+\\.(?:css|js)}', (c) => {
      const name = c.req.param('file');
      const type = FILES[name];
      return type ? c.body(read(name), 200, headers(type)) : c.notFound();
    });
}
