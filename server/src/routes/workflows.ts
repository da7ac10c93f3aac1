import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { Portal, type PortalCursor, type PortalGrantJson, type PortalItemJson } from '../domain/workflows/portal.js';
import { MAX_NAME, MAX_STEP, Workflows, type EnrolmentCursor, type EnrolmentJson, type WorkflowCursor, type WorkflowJson } from '../domain/workflows/workflows.js';
import { assertCan } from '../http/auth.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import type { Env } from '../http/env.js';
import { documents, responds, sameShape, type SameShape } from '../http/route-meta.js';
import { validate } from '../http/validate.js';
import { cursorPage } from '../openapi/schemas/common.js';

const id = z.string().min(1).max(64);
/** The host's own ids: letters, digits and . _ : @ - (they travel in paths). */
const hostId = z.string().min(1).max(200).regex(/^[A-Za-z0-9._:@-]+$/, 'Letters, digits and . _ : @ - only.');
// Milliseconds since the epoch (UTC); between 2000 and 2200.
const instant = z.number().int().min(946_684_800_000).max(7_258_118_400_000);
const name = z.string().trim().min(1, 'Give it a name.').max(MAX_NAME);
const listQuery = <S extends z.ZodTypeAny>(status: S) =>
  z
    .object({
      status: status.optional(),
      q: z.string().trim().max(200).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(100),
      cursor: z.string().max(500).optional(),
    })
    .strict();
const workflowStatus = z.enum(['active', 'draft', 'inactive']);
const portalStatus = z.enum(['active', 'inactive']);

const workflowJson = z.object({ id: z.string(), hostId: z.string(), name: z.string(), status: workflowStatus, createdAt: z.number(), updatedAt: z.number() }).strict();
sameShape<SameShape<z.output<typeof workflowJson>, WorkflowJson>>();
const person = z.object({ id: z.string(), name: z.string().nullable() }).strict().nullable();
const enrolmentJson = z
  .object({
    id: z.string(),
    hostId: z.string().nullable(),
    contactId: z.string(),
    workflow: z.object({ id: z.string(), hostId: z.string(), name: z.string(), status: workflowStatus }).strict(),
    status: z.enum(['enrolled', 'completed', 'stopped']),
    step: z.string().nullable(),
    enrolledAt: z.number(),
    endedAt: z.number().nullable(),
    enrolledBy: person,
    stoppedBy: person,
    updatedAt: z.number(),
  })
  .strict();
sameShape<SameShape<z.output<typeof enrolmentJson>, EnrolmentJson>>();
const portalItemJson = z.object({ id: z.string(), hostId: z.string(), kind: z.enum(['offer', 'group']), name: z.string(), status: portalStatus, createdAt: z.number(), updatedAt: z.number() }).strict();
sameShape<SameShape<z.output<typeof portalItemJson>, PortalItemJson>>();
const grantJson = z.object({ item: z.object({ id: z.string(), hostId: z.string(), name: z.string(), status: portalStatus }).strict(), grantedAt: z.number(), grantedBy: person }).strict();
sameShape<SameShape<z.output<typeof grantJson>, PortalGrantJson>>();

const registerBody = <S extends z.ZodTypeAny>(status: S) => z.object({ name, status }).strict();
const enrolmentRecord = z
  .object({
    contactId: id,
    status: z.enum(['enrolled', 'completed', 'stopped']),
    /** The step the contact is at now, as the host names it (null: none). */
    step: z.string().trim().min(1).max(MAX_STEP).nullable().optional(),
    enrolledAt: instant.optional(),
    endedAt: instant.nullable().optional(),
    /** Dossier's id of an enrolment staff asked for (the `workflow.enroll_requested` webhook's `enrolment.id`). */
    enrolmentId: id.optional(),
  })
  .strict()
  .refine((v) => v.endedAt == null || v.enrolledAt === undefined || v.endedAt >= v.enrolledAt, { message: 'It cannot end before it started.', path: ['endedAt'] });

const isNameCursor = (v: unknown): v is WorkflowCursor & PortalCursor => Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string';
const isAtCursor = (v: unknown): v is EnrolmentCursor => Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string';
const hostOnly = documents({ errors: { 403: ['forbidden'] } });

/** /api/v1/workflows — the host's workflows (registered with the secret key; read by everyone) and its enrolment records. */
export function workflowRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const workflows = new Workflows(db, deps.events);
  return new Hono<Env>()
    .get('/', responds(200, cursorPage(workflowJson)), validate('query', listQuery(workflowStatus)), async (c) => {
      const o = c.req.valid('query');
      const p = await workflows.list(c.var.caller, { status: o.status, q: o.q || undefined, limit: o.limit, after: decodeCursor(o.cursor, isNameCursor) });
      return c.json({ items: p.items, nextCursor: p.next ? encodeCursor(p.next) : null });
    })
    .put('/:hostId', responds(200, workflowJson, 'The workflow as it is now.'), responds(201, workflowJson, 'Recorded for the first time.'), hostOnly, validate('param', z.object({ hostId })), validate('json', registerBody(workflowStatus)), async (c) => {
      const r = await workflows.register(c.var.caller, c.req.valid('param').hostId, c.req.valid('json'), clock.now());
      return c.json(r.workflow, r.created ? 201 : 200);
    })
    .put(
      '/:hostId/enrolments/:enrolmentHostId',
      responds(200, enrolmentJson, 'The enrolment as it is now.'), responds(201, enrolmentJson, 'Recorded for the first time.'),
      hostOnly,
      documents({ errors: { 409: ['contact_deleted'], 422: ['invalid_field'] } }),
      validate('param', z.object({ hostId, enrolmentHostId: hostId })),
      validate('json', enrolmentRecord),
      async (c) => {
        const { hostId: wf, enrolmentHostId } = c.req.valid('param');
        const r = await workflows.record(c.var.caller, wf, enrolmentHostId, c.req.valid('json'), clock.now());
        return c.json(r.enrolment, r.created ? 201 : 200);
      },
    );
}

/** /api/v1/portal — the host's course offers and community groups (registered with the secret key; read by everyone). */
export function portalRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const portal = new Portal(db, deps.events);
  return new Hono<Env>()
    .get('/offers', responds(200, cursorPage(portalItemJson)), validate('query', listQuery(portalStatus)), async (c) => {
      const o = c.req.valid('query');
      const p = await portal.list(c.var.caller, 'offer', { status: o.status, q: o.q || undefined, limit: o.limit, after: decodeCursor(o.cursor, isNameCursor) });
      return c.json({ items: p.items, nextCursor: p.next ? encodeCursor(p.next) : null });
    })
    .put('/offers/:hostId', responds(200, portalItemJson, 'The offer as it is now.'), responds(201, portalItemJson, 'Recorded for the first time.'), hostOnly, validate('param', z.object({ hostId })), validate('json', registerBody(portalStatus)), async (c) => {
      const r = await portal.register(c.var.caller, 'offer', c.req.valid('param').hostId, c.req.valid('json'), clock.now());
      return c.json(r.item, r.created ? 201 : 200);
    })
    .get('/groups', responds(200, cursorPage(portalItemJson)), validate('query', listQuery(portalStatus)), async (c) => {
      const o = c.req.valid('query');
      const p = await portal.list(c.var.caller, 'group', { status: o.status, q: o.q || undefined, limit: o.limit, after: decodeCursor(o.cursor, isNameCursor) });
      return c.json({ items: p.items, nextCursor: p.next ? encodeCursor(p.next) : null });
    })
    .put('/groups/:hostId', responds(200, portalItemJson, 'The group as it is now.'), responds(201, portalItemJson, 'Recorded for the first time.'), hostOnly, validate('param', z.object({ hostId })), validate('json', registerBody(portalStatus)), async (c) => {
      const r = await portal.register(c.var.caller, 'group', c.req.valid('param').hostId, c.req.valid('json'), clock.now());
      return c.json(r.item, r.created ? 201 : 200);
    });
}

const idParam = z.object({ id });
const enrolmentParam = z.object({ id, enrolmentId: id });
const itemParam = z.object({ id, itemId: id });
const enrolmentsQuery = z
  .object({ status: z.enum(['active', 'past']).default('active'), limit: z.coerce.number().int().min(1).max(100).default(50), cursor: z.string().max(500).optional() })
  .strict();
const contactPortal = z.object({ offers: z.array(grantJson), groups: z.array(grantJson) }).strict();
const writeErrors = documents({ errors: { 409: ['contact_deleted'] } });

/**
 * /api/v1/contacts/:id/workflows (the contact's enrolments; add to a workflow, remove from one) and
 * /api/v1/contacts/:id/portal (granted offers and group memberships; grant, revoke, join, leave).
 */
export function contactWorkflowRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const workflows = new Workflows(db, deps.events);
  const portal = new Portal(db, deps.events);
  return new Hono<Env>()
    .get('/:id/workflows', responds(200, cursorPage(enrolmentJson)), validate('param', idParam), validate('query', enrolmentsQuery), async (c) => {
      const o = c.req.valid('query');
      const p = await workflows.contactEnrolments(c.var.caller, c.req.valid('param').id, { when: o.status, limit: o.limit, after: decodeCursor(o.cursor, isAtCursor) });
      return c.json({ items: p.items, nextCursor: p.next ? encodeCursor(p.next) : null });
    })
    .post('/:id/workflows', responds(201, enrolmentJson, 'The enrolment recorded (the host is asked to start it).'), documents({ errors: { 409: ['contact_deleted', 'already_enrolled'], 422: ['invalid_field'] } }), validate('param', idParam), validate('json', z.object({ workflowId: id }).strict()), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      return c.json(await workflows.enrol(c.var.caller, c.req.valid('param').id, c.req.valid('json').workflowId, clock.now()), 201);
    })
    .delete('/:id/workflows/:enrolmentId', responds(200, enrolmentJson, 'The enrolment, stopped (the host is asked to stop it).'), documents({ errors: { 409: ['contact_deleted', 'not_enrolled'] } }), validate('param', enrolmentParam), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      const { id: contactId, enrolmentId } = c.req.valid('param');
      return c.json(await workflows.remove(c.var.caller, contactId, enrolmentId, clock.now()));
    })
    .get('/:id/portal', responds(200, contactPortal), validate('param', idParam), async (c) => c.json(await portal.ofContact(c.var.caller, c.req.valid('param').id)))
    .put('/:id/portal/offers/:itemId', responds(200, grantJson, 'The grant (already there: nothing changed).'), responds(201, grantJson, 'Recorded for the first time.'), writeErrors, documents({ errors: { 409: ['item_inactive'] } }), validate('param', itemParam), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      const { id: contactId, itemId } = c.req.valid('param');
      const r = await portal.add(c.var.caller, contactId, 'offer', itemId, clock.now());
      return c.json(r.grant, r.created ? 201 : 200);
    })
    .delete('/:id/portal/offers/:itemId', responds(200, portalItemJson, 'The offer revoked.'), writeErrors, validate('param', itemParam), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      const { id: contactId, itemId } = c.req.valid('param');
      return c.json(await portal.remove(c.var.caller, contactId, 'offer', itemId, clock.now()));
    })
    .put('/:id/portal/groups/:itemId', responds(200, grantJson, 'The membership (already there: nothing changed).'), responds(201, grantJson, 'Recorded for the first time.'), writeErrors, documents({ errors: { 409: ['item_inactive'] } }), validate('param', itemParam), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      const { id: contactId, itemId } = c.req.valid('param');
      const r = await portal.add(c.var.caller, contactId, 'group', itemId, clock.now());
      return c.json(r.grant, r.created ? 201 : 200);
    })
    .delete('/:id/portal/groups/:itemId', responds(200, portalItemJson, 'The group left.'), writeErrors, validate('param', itemParam), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      const { id: contactId, itemId } = c.req.valid('param');
      return c.json(await portal.remove(c.var.caller, contactId, 'group', itemId, clock.now()));
    });
}
