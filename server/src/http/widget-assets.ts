// Serves the built widgets (dist/) to host pages on any origin. A `<script type="module">` from another origin is
// fetched in CORS mode, so without `Access-Control-Allow-Origin` the browser refuses to run it; the files are
// public and carry no credentials, so `*` is right. Hashed chunk names never change content: cache them forever.
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { compress } from 'hono/compress';

const HASHED = /-[A-Za-z0-9_-]{8,}\.(js|mjs|css|map)$/;

export function widgetAssets(root: string) {
  return new Hono()
    .use(async (c, next) => {
      await next();
      if (!c.res.ok) return;
      c.header('Access-Control-Allow-Origin', '*');
      c.header('Cross-Origin-Resource-Policy', 'cross-origin');
      c.header('Cache-Control', HASHED.test(c.req.path) ? 'public, max-age=31536000, immutable' : 'public, max-age=300, must-revalidate');
    })
    .use(compress())
    .get('/*', serveStatic({ root }));
}
