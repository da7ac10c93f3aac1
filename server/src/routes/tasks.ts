import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { MAX_DESCRIPTION, MAX_TITLE, Tasks, type TaskCursor, type TaskFilter, type TaskJson } from '../domain/tasks.js';
import { assertCan } from '../http/auth.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import type { Caller, Env } from '../http/env.js';
import { badRequest } from '../http/errors.js';
import { documents, responds, sameShape, type SameShape } from '../http/route-meta.js';
import { validate } from '../http/validate.js';
import { cursorPage } from '../openapi/schemas/common.js';

const idParam = z.object({ id: z.string().min(1).max(64) });
const taskParam = z.object({ id: z.string().min(1).max(64), taskId: z.string().min(1).max(64) });
const title = z.string().trim().min(1, 'Give the task a title.').max(MAX_TITLE);
const description = z.string().trim().max(MAX_DESCRIPTION);
// Milliseconds since the epoch (UTC); between 2000 and 2200.
const dueAt = z.number().int().min(946_684_800_000).max(7_258_118_400_000);
const memberId = z.string().min(1).max(64);
const status = z.enum(['open', 'completed']);
const boolFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const listQuery = z
  .object({
    status: z.enum(['open', 'completed', 'all']).default('all'),
    overdue: boolFlag.optional(),
    /** `me`, or a member id. */
    assignee: z.string().min(1).max(64).optional(),
    q: z.string().trim().max(200).optional(),
    dir: z.enum(['asc', 'desc']).default('asc'),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().max(500).optional(),
  })
  .strict();
const createBody = z.object({ title, description: description.optional(), dueAt, assigneeId: memberId }).strict();
const patchBody = z
  .object({ title: title.optional(), description: description.optional(), dueAt: dueAt.optional(), assigneeId: memberId.optional(), status: status.optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one of title, description, dueAt, assigneeId, status.');
const dueQuery = z.object({ dayEnd: z.coerce.number().int().min(0).max(7_258_118_400_000) }).strict();

// What the routes answer (the OpenAPI document shows these; the server tests check every answer against them).
const who = z.object({ id: z.string(), name: z.string().nullable() }).strict();
const taskJson = z
  .object({
    id: z.string(),
    contactId: z.string(),
    contactName: z.string().nullable(),
    title: z.string(),
    description: z.string(),
    dueAt: z.number(),
    assignee: who,
    status,
    completedAt: z.number().nullable(),
    completedBy: who.nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.number(),
    updatedAt: z.number(),
    canDelete: z.boolean(),
  })
  .strict();
sameShape<SameShape<z.output<typeof taskJson>, TaskJson>>();
const taskPage = cursorPage(taskJson);
const dueCounts = z.object({ overdue: z.number().int(), dueToday: z.number().int() }).strict();
/** The contact is in the restore bin (409), or the assignee is no member of the workspace (422). */
const writeErrors = documents({ errors: { 409: ['contact_deleted'], 422: ['invalid_field'] } });

const isCursor = (v: unknown): v is TaskCursor => Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string';

function filterOf(caller: Caller, o: z.infer<typeof listQuery>): TaskFilter {
  let assigneeId = o.assignee;
  if (assigneeId === 'me') {
    if (caller.kind !== 'member') throw badRequest('assignee=me needs a member session; pass a member id with the secret key.', { field: 'assignee' });
    assigneeId = caller.member.id;
  }
  return { status: o.status === 'all' ? undefined : o.status, overdue: o.overdue, assigneeId, q: o.q || undefined };
}

/** /api/v1/contacts/:id/tasks — a contact's tasks: list (filters, search, by due date), create, edit, complete, delete. */
export function contactTaskRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const tasks = new Tasks(db, deps.events);
  return new Hono<Env>()
    .get('/:id/tasks/due', responds(200, dueCounts), validate('param', idParam), validate('query', dueQuery), async (c) => {
      const now = clock.now();
      return c.json(await tasks.due(c.var.caller, c.req.valid('param').id, now, c.req.valid('query').dayEnd));
    })
    .get('/:id/tasks', responds(200, taskPage), validate('param', idParam), validate('query', listQuery), async (c) => {
      const o = c.req.valid('query');
      const page = await tasks.listForContact(c.var.caller, c.req.valid('param').id, filterOf(c.var.caller, o), { dir: o.dir, limit: o.limit, after: decodeCursor(o.cursor, isCursor), now: clock.now() });
      return c.json({ items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null });
    })
    .post('/:id/tasks', responds(201, taskJson, 'The task created.'), writeErrors, validate('param', idParam), validate('json', createBody), async (c) => {
      const caller = c.var.caller;
      assertCan(caller, 'contacts.edit');
      return c.json(await tasks.create(caller, c.req.valid('param').id, c.req.valid('json'), clock.now()), 201);
    })
    .patch('/:id/tasks/:taskId', responds(200, taskJson, 'The task as it is now.'), writeErrors, validate('param', taskParam), validate('json', patchBody), async (c) => {
      const caller = c.var.caller;
      assertCan(caller, 'contacts.edit');
      const { id, taskId } = c.req.valid('param');
      return c.json(await tasks.update(caller, id, taskId, c.req.valid('json'), clock.now()));
    })
    .delete('/:id/tasks/:taskId', responds(200, taskJson, 'The task deleted.'), writeErrors, validate('param', taskParam), async (c) => {
      const caller = c.var.caller;
      assertCan(caller, 'contacts.edit');
      const { id, taskId } = c.req.valid('param');
      return c.json(await tasks.remove(caller, id, taskId, clock.now()));
    });
}

/** /api/v1/tasks — tasks across the contacts the caller sees, e.g. `?assignee=me&status=open` (soonest due first). */
export function taskRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const tasks = new Tasks(db, deps.events);
  return new Hono<Env>().get('/', responds(200, taskPage), validate('query', listQuery), async (c) => {
    const o = c.req.valid('query');
    const page = await tasks.listAcross(c.var.caller, filterOf(c.var.caller, o), { dir: o.dir, limit: o.limit, after: decodeCursor(o.cursor, isCursor), now: clock.now() });
    return c.json({ items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null });
  });
}
