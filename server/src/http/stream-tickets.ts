// Server-Sent Events streams for widgets, opened with one-time tickets. EventSource cannot send headers, so a
// widget first asks (session token in the header) for a ticket valid 60 s for one stream, then opens the stream with
// `?ticket=`: the URL (and so any log line) never carries the session token, and a logged ticket is spent or expired.
import type { Context } from 'hono';
import { sign, verify } from 'hono/jwt';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { documentLimits, type AppDeps } from '../deps.js';
import { spendOnce } from '../domain/spent-tokens.js';
import { newId } from '../ids.js';
import { bearer, loadWorkspace, memberFromToken } from './auth.js';
import type { Caller } from './env.js';
import { ApiError, unauthorized } from './errors.js';
import { documents } from './route-meta.js';

/** For the OpenAPI document: POST …/ticket takes a session token; GET …/events a one-time ticket or a session token. */
export const ticketAuth = documents({ security: ['sessionToken'], errors: { 401: ['unauthorized'], 403: ['origin_not_allowed'] } });
export const streamAuth = documents({ security: ['streamTicket', 'sessionToken'], errors: { 401: ['unauthorized'], 403: ['origin_not_allowed'] } });

const TICKET_MS = 60_000;

interface Ticket {
  kind: 'stream';
  /** The stream it opens: `documents:<contactId>`, `contacts`. */
  scope: string;
  ws: string;
  sub: string;
  /** The session's own expiry: the stream ends then, as it would with the token itself. */
  sexp: number;
  jti: string;
  exp: number;
  [key: string]: unknown;
}

export interface StreamCaller {
  caller: Caller;
  /** When the session behind it expires (ms): the stream ends then. */
  expiresAt: number;
}

/** Issues and redeems tickets for an app's streams (each is spent once, in the database: across restarts and processes). */
export function streamTickets(deps: AppDeps) {
  // A key of its own: a ticket can never pass as a session token, nor the other way round.
  const key = `${deps.secrets.tokenSecret}:stream-ticket`;

  const checkOrigin = (c: Context, caller: Caller) => {
    const origin = c.req.header('origin');
    if (origin && origin !== new URL(c.req.url).origin && !caller.workspace.allowedOrigins.includes(origin) && !deps.config?.extraOrigins?.includes(origin)) {
      throw new ApiError(403, 'origin_not_allowed', `Origin ${origin} is not allowed for this workspace.`);
    }
  };

  const redeem = async (raw: string, scope: string): Promise<StreamCaller> => {
    let claims: Ticket;
    try {
      claims = (await verify(raw, key, { alg: 'HS256', exp: false })) as Ticket;
    } catch {
      throw unauthorized('Invalid ticket; ask for a new one.');
    }
    const now = deps.clock.now();
    const spent = () => unauthorized('This ticket is expired, used or for another stream; ask for a new one.');
    if (claims.kind !== 'stream' || claims.scope !== scope || claims.exp * 1000 <= now) throw spent();
    if (!(await spendOnce(deps.db, claims.jti, claims.exp * 1000, now))) throw spent();
    const [workspace, member] = await Promise.all([
      loadWorkspace(deps.db, claims.ws),
      deps.db.selectFrom('members').selectAll().where('id', '=', claims.sub).where('workspace_id', '=', claims.ws).executeTakeFirst(),
    ]);
    if (!workspace || !member) throw unauthorized('The ticket refers to an unknown member.');
    return { caller: { kind: 'member', workspace, member }, expiresAt: claims.sexp };
  };

  return {
    /** POST …/ticket: a one-time ticket for `scope`, for the member whose session token is in the header. */
    async issue(c: Context, scope: string, allowed: (caller: Caller) => Promise<unknown> = async () => undefined) {
      const token = bearer(c.req.header('authorization'));
      if (!token) throw unauthorized('Send the session token as "Authorization: Bearer <token>".');
      const { caller, expiresAt } = await memberFromToken(deps, token);
      checkOrigin(c, caller);
      await allowed(caller);
      const exp = Math.min(deps.clock.now() + TICKET_MS, expiresAt);
      const claims: Ticket = { kind: 'stream', scope, ws: caller.workspace.id, sub: caller.member!.id, sexp: expiresAt, jti: newId('tk_'), exp: Math.floor(exp / 1000) };
      return { ticket: await sign(claims, key, 'HS256'), expiresAt: exp };
    },

    /** GET …/events: the member behind `?ticket=` (spent now), else behind an Authorization header (non-browser clients). */
    async open(c: Context, ticket: string | undefined, scope: string): Promise<StreamCaller> {
      const token = bearer(c.req.header('authorization'));
      if (!ticket && !token) throw unauthorized('Open the stream with ?ticket= (POST …/ticket first) or an Authorization header.');
      const opened = ticket ? await redeem(ticket, scope) : await memberFromToken(deps, token!);
      checkOrigin(c, opened.caller);
      return opened;
    },
  };
}

/**
 * Answers with an SSE stream: a `ready` event (with `ready`'s data), heartbeats, and whatever `subscribe` sends
 * until the client goes away, the session expires (the widget then reconnects with a fresh token and ticket), or the
 * process shuts down (a `shutdown` event: reconnect soon, to another process). `subscribe` returns the function that
 * stops its subscription.
 */
export function sseStream(c: Context, deps: AppDeps, expiresAt: number, ready: unknown, subscribe: (stream: SSEStreamingApi) => () => void) {
  const { heartbeatMs } = documentLimits(deps.config);
  c.header('Cache-Control', 'no-store');
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (stream) => {
    const unsubscribe = subscribe(stream);
    const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n').catch(() => undefined), heartbeatMs);
    const stopping = deps.lifecycle?.signal;
    const done = new Promise<void>((resolve) => {
      stream.onAbort(resolve);
      stopping?.addEventListener('abort', () => resolve(), { once: true });
      const ttl = expiresAt - deps.clock.now();
      const timer = setTimeout(resolve, Math.min(Math.max(ttl, 0), 2 ** 31 - 1));
      timer.unref?.();
    });
    try {
      await stream.writeSSE({ event: 'ready', data: JSON.stringify(ready), retry: 3000 });
      await done;
      if (stopping?.aborted) await stream.writeSSE({ event: 'shutdown', data: '{}', retry: 1000 }).catch(() => undefined);
    } finally {
      clearInterval(heartbeat);
      unsubscribe();
    }
  });
}
