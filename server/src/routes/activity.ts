import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { ACTIVITY_GROUP_NAMES, isActivityCursor, listActivity } from '../domain/activity.js';
import { listTouches, resetAttribution } from '../domain/attribution.js';
import { writeAudit } from '../domain/audit.js';
import { getVisibleContact, publishContacts, visibleTo, type ContactJson } from '../domain/contacts.js';
import { HOST_EVENT_KINDS, recordHostEvent } from '../domain/host-events.js';
import { assertCan } from '../http/auth.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import type { Env } from '../http/env.js';
import { ApiError, notFound } from '../http/errors.js';
import { validate } from '../http/validate.js';
import { fails, responds } from '../http/route-meta.js';
import { activityPage, attributionReport, recordedEventJson } from '../openapi/schemas/activity.js';

const idParam = z.object({ id: z.string().min(1).max(64) });

const activityQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional(),
    /** Comma-separated groups: message, visit, form, call, purchase, share_view, document, field_change, merge, note, task, appointment, opportunity, association, workflow, portal, custom. */
    kind: z
      .string()
      .max(500)
      .transform((v) => [...new Set(v.split(',').map((s) => s.trim()).filter(Boolean))])
      .pipe(z.array(z.enum(ACTIVITY_GROUP_NAMES)).min(1))
      .optional(),
  })
  .strict();

const text = (max: number) => z.string().trim().min(1).max(max);
const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'Must be an http(s) URL.');

export const hostEventSchema = z
  .object({
    /** The host's id of the event: the same id records it once (a repeat answers 200 with the stored event). */
    id: text(200).optional(),
    kind: z.enum(HOST_EVENT_KINDS),
    /** When it happened (ms since the epoch); default now. */
    at: z.number().int().positive().max(8_640_000_000_000).optional(),
    title: text(500).optional(),
    details: z.string().max(5000).optional(),
    url: httpUrl.optional(),
    direction: z.enum(['inbound', 'outbound']).optional(),
    /** Where it came from, when the host knows better than the derivation (`paid_search`, `social`, `call`…). */
    channel: z.string().trim().regex(/^[a-z][a-z0-9_]{0,39}$/, 'Lower-case letters, digits and _.').optional(),
    referrer: httpUrl.optional(),
    utm: z
      .object({ source: text(200).optional(), medium: text(200).optional(), campaign: text(200).optional(), term: text(200).optional(), content: text(200).optional() })
      .strict()
      .optional(),
    gclid: text(200).optional(),
    fbclid: text(200).optional(),
    amount: z.number().finite().min(0).max(1e12).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'An ISO 4217 code such as USD.').optional(),
    form: text(200).optional(),
    durationSeconds: z.number().int().min(0).max(86_400 * 7).optional(),
    /** More fields the host wants to keep with the event (shown as they are). */
    data: z.record(z.string().max(100), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).refine((d) => Object.keys(d).length <= 30, 'At most 30 fields.').optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.kind === 'visit' && !e.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'A visit needs the page URL.' });
    if ((e.kind === 'purchase' || e.kind === 'payment') && e.amount === undefined) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'A purchase or payment needs an amount.' });
    if (e.amount !== undefined && !e.currency) ctx.addIssue({ code: 'custom', path: ['currency'], message: 'An amount needs its currency.' });
    if (e.currency && e.amount === undefined) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'A currency needs an amount.' });
    if ((e.kind === 'form_submission' || e.kind === 'survey_submission') && !e.form) ctx.addIssue({ code: 'custom', path: ['form'], message: 'A submission needs the form or survey name.' });
    if (e.kind === 'custom' && !e.title) ctx.addIssue({ code: 'custom', path: ['title'], message: 'A custom event needs a title.' });
  });

const touchQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) }).strict();
const resetBody = z.object({ mode: z.enum(['clear', 'recompute']).default('clear') }).strict();

/** A contact that is in the restore bin takes no new events. */
function assertLive(contact: ContactJson) {
  if (contact.deletedAt !== null) throw new ApiError(409, 'contact_deleted', 'This contact is in the restore bin; restore it before recording events.');
}

/**
 * /api/v1/contacts/:id/activity (the timeline), /:id/events (the host records an event), /:id/attribution (first,
 * latest and every touch) and /:id/attribution/reset.
 */
export function activityRoutes(deps: AppDeps) {
  const { db, clock, events } = deps;
  return new Hono<Env>()
    .get('/:id/activity', responds(200, activityPage), validate('param', idParam), validate('query', activityQuery), async (c) => {
      const { id } = c.req.valid('param');
      const { limit, cursor, kind } = c.req.valid('query');
      // Only whether the member may see it: the timeline needs none of the contact's fields.
      const visible = await db.selectFrom('contacts').select('id').where('id', '=', id).where(visibleTo(c.var.caller)).executeTakeFirst();
      if (!visible) throw notFound('Contact');
      const page = await listActivity(db, c.var.caller.workspace.id, id, { limit, cursor: decodeCursor(cursor, isActivityCursor), groups: kind });
      return c.json({ items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null });
    })
    .post('/:id/events', responds(201, recordedEventJson, 'The event recorded.'), responds(200, recordedEventJson, 'An event with this `id` was recorded before: the stored one, `duplicate: true`.'), fails(409, 'contact_deleted', 'idempotency_conflict'), validate('param', idParam), validate('json', hostEventSchema), async (c) => {
      const caller = c.var.caller;
      assertCan(caller, 'contacts.edit');
      const contact = await getVisibleContact(db, caller, c.req.valid('param').id);
      assertLive(contact);
      const result = await recordHostEvent(db, caller, contact.id, c.req.valid('json'), clock.now());
      if (!result.duplicate) {
        await publishContacts(db, events, caller.workspace.id, 'contact.updated', [contact.id], { fields: ['activity', 'attribution', 'lastInteractionAt', 'lastChannel'] });
      }
      return c.json(result, result.duplicate ? 200 : 201);
    })
    .get('/:id/attribution', responds(200, attributionReport), validate('param', idParam), validate('query', touchQuery), async (c) => {
      const contact = await getVisibleContact(db, c.var.caller, c.req.valid('param').id);
      const touches = await listTouches(db, c.var.caller.workspace.id, contact.id, c.req.valid('query').limit);
      return c.json({ first: contact.attribution.first, latest: contact.attribution.latest, touches: touches.items, truncated: touches.truncated });
    })
    .post('/:id/attribution/reset', responds(200, attributionReport, 'The attribution after the reset.'), validate('param', idParam), validate('json', resetBody), async (c) => {
      const caller = c.var.caller;
      assertCan(caller, 'attribution.reset');
      const contact = await getVisibleContact(db, caller, c.req.valid('param').id);
      assertLive(contact);
      const now = clock.now();
      const after = await db.transaction().execute(async (trx) => {
        const next = await resetAttribution(trx, caller.workspace.id, contact.id, c.req.valid('json').mode);
        await writeAudit(trx, {
          workspaceId: caller.workspace.id,
          contactId: contact.id,
          actor: caller.kind === 'member' ? { id: caller.member.id, type: 'member' } : { id: null, type: 'api' },
          action: 'contact.updated',
          changes: { attribution: { before: contact.attribution, after: next } },
          at: now,
        });
        return next;
      });
      await publishContacts(db, events, caller.workspace.id, 'contact.updated', [contact.id], { fields: ['attribution'] });
      const touches = await listTouches(db, caller.workspace.id, contact.id, 200);
      return c.json({ ...after, touches: touches.items, truncated: touches.truncated });
    });
}
