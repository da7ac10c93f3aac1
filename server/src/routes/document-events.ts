import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { documentLimits, type AppDeps } from '../deps.js';
import { getVisibleContact } from '../domain/contacts.js';
import type { DocumentEvent } from '../domain/events.js';
import { bearer, memberFromToken } from '../http/auth.js';
import type { Env } from '../http/env.js';
import { ApiError, unauthorized } from '../http/errors.js';
import { validate } from '../http/validate.js';

const idParam = z.object({ id: z.string().min(1).max(64) });
const eventsQuery = z.object({ token: z.string().min(1).max(4000).optional() }).strict();

/**
 * GET /api/v1/contacts/:id/documents/events — Server-Sent Events for one contact's documents.
 * EventSource cannot send headers, so this route (and only this one) also accepts the session token as
 * `?token=`. The token is short-lived and the stream ends when it expires, so a leaked URL is worth little.
 */
export function documentEventRoutes(deps: AppDeps) {
  const { heartbeatMs } = documentLimits(deps.config);
  const events = deps.events;
  if (!events) throw new Error('documentEventRoutes needs deps.events');
  return new Hono<Env>().get('/:id/documents/events', validate('param', idParam), validate('query', eventsQuery), async (c) => {
    const token = c.req.valid('query').token ?? bearer(c.req.header('authorization'));
    if (!token) throw unauthorized('Send the session token as ?token= (EventSource) or an Authorization header.');
    const { caller, expiresAt } = await memberFromToken(deps, token);
    const origin = c.req.header('origin');
    if (origin && origin !== new URL(c.req.url).origin && !caller.workspace.allowedOrigins.includes(origin) && !deps.config?.extraOrigins?.includes(origin)) {
      throw new ApiError(403, 'origin_not_allowed', `Origin ${origin} is not allowed for this workspace.`);
    }
    const { id } = c.req.valid('param');
    await getVisibleContact(deps.db, caller, id);
    c.header('Cache-Control', 'no-store');
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      let seq = 0;
      const send = (e: DocumentEvent) =>
        stream.writeSSE({ event: 'document', id: String(++seq), data: JSON.stringify({ type: e.type, document: e.document }) }).catch(() => undefined);
      const unsubscribe = events.subscribe(caller.workspace.id, id, (e) => void send(e));
      const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n').catch(() => undefined), heartbeatMs);
      const done = new Promise<void>((resolve) => {
        stream.onAbort(resolve);
        // Session over: end the stream; the widget reconnects with a fresh token.
        const ttl = expiresAt - deps.clock.now();
        const timer = setTimeout(resolve, Math.min(Math.max(ttl, 0), 2 ** 31 - 1));
        timer.unref?.();
      });
      try {
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ contactId: id }), retry: 3000 });
        await done;
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
      }
    });
  });
}
