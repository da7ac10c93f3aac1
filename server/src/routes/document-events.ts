import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { getVisibleContact } from '../domain/contacts.js';
import { sseStream, streamTickets, streamAuth, ticketAuth } from '../http/stream-tickets.js';
import type { Env } from '../http/env.js';
import { validate } from '../http/validate.js';
import { responds, respondsRaw } from '../http/route-meta.js';
import { streamTicketJson } from '../openapi/schemas/common.js';

const idParam = z.object({ id: z.string().min(1).max(64) });
const eventsQuery = z.object({ ticket: z.string().min(1).max(4000).optional() }).strict();

/**
 * POST /api/v1/contacts/:id/documents/events/ticket (session token in the header) hands out a one-time ticket,
 * valid 60 s, for one contact's stream. GET /api/v1/contacts/:id/documents/events?ticket= — Server-Sent Events for
 * one contact's documents (see http/stream-tickets.ts).
 */
export function documentEventRoutes(deps: AppDeps) {
  const events = deps.events;
  if (!events) throw new Error('documentEventRoutes needs deps.events');
  const tickets = streamTickets(deps);
  return new Hono<Env>()
    .post('/:id/documents/events/ticket', responds(201, streamTicketJson, 'A one-time ticket for this contact\'s document stream, valid 60 s.'), ticketAuth, validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await tickets.issue(c, `documents:${id}`, (caller) => getVisibleContact(deps.db, caller, id)), 201);
    })
    .get('/:id/documents/events', respondsRaw(200, 'text/event-stream', 'Server-sent events: the contact\'s document changes.'), streamAuth, validate('param', idParam), validate('query', eventsQuery), async (c) => {
      const { id } = c.req.valid('param');
      const { caller, expiresAt } = await tickets.open(c, c.req.valid('query').ticket, `documents:${id}`);
      await getVisibleContact(deps.db, caller, id);
      let seq = 0;
      return sseStream(c, deps, expiresAt, { contactId: id }, (stream) =>
        events.subscribe(caller.workspace.id, (e) => {
          if (!e.type.startsWith('document.') || !('document' in e) || e.contactId !== id) return;
          const type = e.type.slice('document.'.length);
          void stream.writeSSE({ event: 'document', id: String(++seq), data: JSON.stringify({ type, document: e.document }) }).catch(() => undefined);
        }),
      );
    });
}
