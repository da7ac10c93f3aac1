import { createMiddleware } from 'hono/factory';
import { newId } from '../ids.js';
import type { Lifecycle } from '../lifecycle.js';
import { log, withRequestId } from '../log.js';

/** A caller's own request id is kept when it looks like one (so a proxy's id follows the request through). */
const GOOD_ID = /^[\w.:-]{1,128}$/;
const QUIET = new Set(['/healthz', '/readyz']);

/**
 * Outermost middleware of a served process: gives each request an id (`X-Request-Id`, echoed in the response and
 * carried by every log line written while it runs), counts it in flight for graceful shutdown, and logs one line
 * when it is answered — method, path without the query (tickets and signed-link tokens stay out of logs), status,
 * time. Health checks are not logged.
 */
export function requestLog(lifecycle: Lifecycle) {
  return createMiddleware(async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && GOOD_ID.test(incoming) ? incoming : newId('req_');
    const started = performance.now();
    // Set before the handler runs, so the response is built with it: set on a finished response, Hono would copy
    // that response around its body stream, and the server would then pipe the stream instead of sending the bytes.
    c.header('X-Request-Id', requestId);
    await withRequestId(requestId, () => lifecycle.track(next));
    // A handler that returned a Response of its own (not through the context) did not take it.
    if (!c.res.headers.has('X-Request-Id')) c.header('X-Request-Id', requestId);
    if (QUIET.has(c.req.path)) return;
    const ms = Math.round((performance.now() - started) * 10) / 10;
    withRequestId(requestId, () => log.info(`${c.req.method} ${c.req.path} ${c.res.status}`, { method: c.req.method, path: c.req.path, status: c.res.status, ms }));
  });
}
