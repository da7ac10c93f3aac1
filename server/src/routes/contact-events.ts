import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { visibleTo } from '../domain/contacts.js';
import type { ContactEvent, ContactItemEvent } from '../domain/events.js';
import type { Caller, Env } from '../http/env.js';
import { sseStream, streamAuth, streamTickets, ticketAuth } from '../http/stream-tickets.js';
import { validate } from '../http/validate.js';
import { responds, respondsRaw, sameShape, type SameShape } from '../http/route-meta.js';
import { streamTicketJson } from '../openapi/schemas/common.js';

const eventsQuery = z.object({ ticket: z.string().min(1).max(4000).optional() }).strict();

sameShape<SameShape<z.output<typeof streamTicketJson>, Awaited<ReturnType<ReturnType<typeof streamTickets>['issue']>>>>();

/** What a contact event says on the wire (the workspace is the stream's). */
export type ContactStreamEvent = Omit<ContactEvent, 'workspaceId'>;
/** A note or task event on the wire. */
export type ContactItemStreamEvent = Omit<ContactItemEvent, 'workspaceId'>;

/**
 * POST /api/v1/contacts/events/ticket (session token in the header) hands out a one-time ticket, valid 60 s.
 * GET /api/v1/contacts/events?ticket= — Server-Sent Events: every change to the workspace's contacts the member may
 * see (`event: contact`, data `{ type, contacts: [{ id, version }], fields?, survivorId?, mergeId? }`), whoever made
 * it (another member, a bulk job, an import, a merge, a message, a share-link viewer); and `event: item`, data
 * `{ type: 'note.created' | … | 'task.deleted', contactId, id }`, when a note or task of a visible contact changed, and
 * `{ type: 'message.created', contactId, id, conversationId }` when a message of one was filed in a conversation.
 */
export function contactEventRoutes(deps: AppDeps) {
  const events = deps.events;
  if (!events) throw new Error('contactEventRoutes needs deps.events');
  const tickets = streamTickets(deps);
  return new Hono<Env>()
    .post('/events/ticket', responds(201, streamTicketJson, 'A one-time ticket for the contact stream, valid 60 s.'), ticketAuth, async (c) => c.json(await tickets.issue(c, 'contacts'), 201))
    .get('/events', respondsRaw(200, 'text/event-stream', 'Server-sent events: contact changes in the workspace.'), streamAuth, validate('query', eventsQuery), async (c) => {
      const { caller, expiresAt } = await tickets.open(c, c.req.valid('query').ticket, 'contacts');
      const visible = visibility(deps, caller);
      let seq = 0;
      // One event at a time, in the order published, whatever the visibility lookups take.
      let queue = Promise.resolve();
      return sseStream(c, deps, expiresAt, {}, (stream) =>
        events.subscribe(caller.workspace.id, (e) => {
          if ('contactId' in e && 'id' in e) {
            // A note or task of a contact the member may see: `event: item`, data { type, contactId, id }.
            const { workspaceId: _w, ...item } = e;
            queue = queue.then(async () => {
              if ((await visible([{ id: e.contactId }])).length) await stream.writeSSE({ event: 'item', id: String(++seq), data: JSON.stringify(item) });
            }).catch(() => undefined);
            return;
          }
          if (!('contacts' in e)) return;
          queue = queue.then(async () => {
            const contacts = await visible(e.contacts);
            if (!contacts.length) return;
            const { workspaceId: _ws, ...wire } = e;
            const data: ContactStreamEvent = { ...wire, contacts };
            await stream.writeSSE({ event: 'contact', id: String(++seq), data: JSON.stringify(data) });
          }).catch(() => undefined);
        }),
      );
    });
}

/** Members restricted to their assigned contacts hear only of those (as they are after the change). */
function visibility(deps: AppDeps, caller: Caller) {
  if (caller.kind !== 'member' || !caller.member.restrict_to_assigned) return async <T extends { id: string }>(list: T[]) => list;
  return async <T extends { id: string }>(list: T[]) => {
    const rows = await deps.db.selectFrom('contacts').select('contacts.id').where('contacts.id', 'in', list.map((r) => r.id)).where(visibleTo(caller)).execute();
    const ids = new Set(rows.map((r) => r.id));
    return list.filter((r) => ids.has(r.id));
  };
}
