import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { documentLimits, type AppDeps } from '../deps.js';
import { getVisibleContact } from '../domain/contacts.js';
import { spendOnce } from '../domain/spent-tokens.js';
import type { DocumentEvent } from '../domain/events.js';
import { sign, verify } from 'hono/jwt';
import { bearer, loadWorkspace, memberFromToken } from '../http/auth.js';
import type { Caller, Env } from '../http/env.js';
import { ApiError, unauthorized } from '../http/errors.js';
import { validate } from '../http/validate.js';
import { newId } from '../ids.js';

const idParam = z.object({ id: z.string().min(1).max(64) });
const eventsQuery = z.object({ ticket: z.string().min(1).max(4000).optional() }).strict();

const TICKET_MS = 60_000;
interface Ticket {
  kind: 'document-events';
  ws: string;
  sub: string;
  cid: string;
  /** The session's own expiry: the stream ends then, as it would with the token itself. */
  sexp: number;
  jti: string;
  exp: number;
  [key: string]: unknown;
}
// A key of its own: a ticket can never pass as a session token, nor the other way round.
const ticketKey = (deps: AppDeps) => `${deps.secrets.tokenSecret}:document-events`;

/**
 * POST /api/v1/contacts/:id/documents/events/ticket (session token in the header) hands out a one-time ticket,
 * valid 60 s, for one contact's stream. GET /api/v1/contacts/:id/documents/events — Server-Sent Events for one
 * contact's documents. EventSource cannot send headers, so it opens the stream with `?ticket=`: the URL (and so
 * any log line) never carries the session token, and a logged ticket is already used or expired.
 */
export function documentEventRoutes(deps: AppDeps) {
  const { heartbeatMs } = documentLimits(deps.config);
  const events = deps.events;
  if (!events) throw new Error('documentEventRoutes needs deps.events');
  const checkOrigin = (origin: string | undefined, url: string, caller: Caller) => {
    if (origin && origin !== new URL(url).origin && !caller.workspace.allowedOrigins.includes(origin) && !deps.config?.extraOrigins?.includes(origin)) {
      throw new ApiError(403, 'origin_not_allowed', `Origin ${origin} is not allowed for this workspace.`);
    }
  };
  /** The caller and session expiry behind a ticket, which is then spent. */
  const redeem = async (raw: string, contactId: string) => {
    let claims: Ticket;
    try {
      claims = (await verify(raw, ticketKey(deps), { alg: 'HS256', exp: false })) as Ticket;
    } catch {
      throw unauthorized('Invalid ticket; ask for a new one.');
    }
    const now = deps.clock.now();
    const spent = () => unauthorized('This ticket is expired, used or for another contact; ask for a new one.');
    if (claims.kind !== 'document-events' || claims.cid !== contactId || claims.exp * 1000 <= now) throw spent();
    if (!(await spendOnce(deps.db, claims.jti, claims.exp * 1000, now))) throw spent();
    const [workspace, member] = await Promise.all([
      loadWorkspace(deps.db, claims.ws),
      deps.db.selectFrom('members').selectAll().where('id', '=', claims.sub).where('workspace_id', '=', claims.ws).executeTakeFirst(),
    ]);
    if (!workspace || !member) throw unauthorized('The ticket refers to an unknown member.');
    return { caller: { kind: 'member', workspace, member } satisfies Caller as Caller, expiresAt: claims.sexp };
  };

  return new Hono<Env>()
    .post('/:id/documents/events/ticket', validate('param', idParam), async (c) => {
      const token = bearer(c.req.header('authorization'));
      if (!token) throw unauthorized('Send the session token as "Authorization: Bearer <token>".');
      const { caller, expiresAt } = await memberFromToken(deps, token);
      checkOrigin(c.req.header('origin'), c.req.url, caller);
      const { id } = c.req.valid('param');
      await getVisibleContact(deps.db, caller, id);
      const exp = Math.min(deps.clock.now() + TICKET_MS, expiresAt);
      const claims: Ticket = { kind: 'document-events', ws: caller.workspace.id, sub: caller.member!.id, cid: id, sexp: expiresAt, jti: newId('tk_'), exp: Math.floor(exp / 1000) };
      return c.json({ ticket: await sign(claims, ticketKey(deps), 'HS256'), expiresAt: exp }, 201);
    })
    .get('/:id/documents/events', validate('param', idParam), validate('query', eventsQuery), async (c) => {
    const { ticket } = c.req.valid('query');
    const token = bearer(c.req.header('authorization'));
    if (!ticket && !token) throw unauthorized('Open the stream with ?ticket= (POST …/documents/events/ticket) or an Authorization header.');
    const { caller, expiresAt } = ticket ? await redeem(ticket, c.req.valid('param').id) : await memberFromToken(deps, token!);
    checkOrigin(c.req.header('origin'), c.req.url, caller);
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
      const stopping = deps.lifecycle?.signal;
      const done = new Promise<void>((resolve) => {
        stream.onAbort(resolve);
        // The process is shutting down (a deploy): end the stream; the client reconnects, to another process.
        stopping?.addEventListener('abort', () => resolve(), { once: true });
        // Session over: end the stream; the widget reconnects with a fresh token and ticket.
        const ttl = expiresAt - deps.clock.now();
        const timer = setTimeout(resolve, Math.min(Math.max(ttl, 0), 2 ** 31 - 1));
        timer.unref?.();
      });
      try {
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ contactId: id }), retry: 3000 });
        await done;
        if (stopping?.aborted) await stream.writeSSE({ event: 'shutdown', data: '{}', retry: 1000 }).catch(() => undefined);
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
      }
    });
  });
}
