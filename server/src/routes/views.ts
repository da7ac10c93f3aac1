import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import type { SavedViewRow } from '../db/schema.js';
import { writeAudit } from '../domain/audit.js';
import { compileContactQuery, filterSchema, sortSchema } from '../domain/contact-query.js';
import { actorOf } from '../domain/contacts.js';
import { assertCan } from '../http/auth.js';
import type { Caller } from '../http/env.js';
import { badRequest, forbidden, notFound } from '../http/errors.js';
import type { Env } from '../http/env.js';
import { validate } from '../http/validate.js';
import { fails, responds, sameShape, type SameShape } from '../http/route-meta.js';
import { deletedJson } from '../openapi/schemas/common.js';
import { newId } from '../ids.js';

const definitionSchema = z
  .object({
    q: z.string().trim().max(200).optional(),
    filter: filterSchema.optional(),
    /** Column keys in display order, e.g. ["name", "email", "tags", "custom.industry"]. */
    columns: z.array(z.string().min(1).max(100)).max(100).default([]),
    /** Column widths in px by key, as the user resized them. */
    widths: z
      .record(z.string().min(1).max(100), z.number().int().min(60).max(800))
      .refine((w) => Object.keys(w).length <= 100, 'At most 100 column widths.')
      .optional(),
    sort: sortSchema.optional(),
  })
  .strict();

const createSchema = z
  .object({ name: z.string().trim().min(1).max(100), scope: z.enum(['personal', 'workspace']).default('personal'), definition: definitionSchema })
  .strict();
const patchSchema = z
  .object({ name: z.string().trim().min(1).max(100).optional(), scope: z.enum(['personal', 'workspace']).optional(), definition: definitionSchema.optional() })
  .strict();
const idParam = z.object({ id: z.string().min(1).max(64) });

export interface SavedViewJson {
  id: string;
  name: string;
  scope: 'personal' | 'workspace';
  ownerMemberId: string | null;
  definition: z.output<typeof definitionSchema>;
  createdAt: number;
  updatedAt: number;
}

// Built from the request's own definition schema, so it lives here rather than in openapi/schemas/.
const savedViewJson = z
  .object({
    id: z.string(),
    name: z.string(),
    scope: z.enum(['personal', 'workspace']),
    ownerMemberId: z.string().nullable(),
    definition: definitionSchema,
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .strict();
sameShape<SameShape<z.output<typeof savedViewJson>, SavedViewJson>>();
/** A filter the table cannot run (unknown field, wrong operator). */
const filterErrors = fails(400, 'bad_request', 'invalid_filter');

const toJson = (v: SavedViewRow): SavedViewJson => ({
  id: v.id,
  name: v.name,
  scope: v.scope,
  ownerMemberId: v.owner_member_id,
  definition: JSON.parse(v.definition) as SavedViewJson['definition'],
  createdAt: v.created_at,
  updatedAt: v.updated_at,
});

const memberId = (caller: Caller) => (caller.kind === 'member' ? caller.member.id : null);

/** Personal views belong to one member; workspace views are shared and need 'views.share' to create or change. */
function assertMayWrite(caller: Caller, scope: 'personal' | 'workspace', owner: string | null) {
  if (scope === 'workspace') return assertCan(caller, 'views.share');
  if (caller.kind !== 'member') throw badRequest('Personal views belong to a member; use a member session or scope "workspace".');
  if (owner !== null && owner !== caller.member.id) throw forbidden('This is another member’s personal view.');
}

/** /api/v1/views — saved table views (search, filter, columns, sort). */
export function viewRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const find = async (caller: Caller, id: string) => {
    const row = await db.selectFrom('saved_views').selectAll().where('id', '=', id).where('workspace_id', '=', caller.workspace.id).executeTakeFirst();
    // Someone else's personal view is invisible, not forbidden.
    if (!row || (row.scope === 'personal' && row.owner_member_id !== memberId(caller))) throw notFound('View');
    return row;
  };
  // The definition must compile now, so a saved view never fails later on an unknown field.
  const check = (caller: Caller, def: z.output<typeof definitionSchema>) => compileContactQuery(db, caller, { q: def.q, filter: def.filter, sort: def.sort }, clock.now());
  const audit = (caller: Caller, action: string, view: SavedViewRow | null, before: SavedViewRow | null) =>
    writeAudit(db, {
      workspaceId: caller.workspace.id,
      contactId: null,
      actor: actorOf(caller),
      action,
      changes: { view: { before: before ? toJson(before) : null, after: view ? toJson(view) : null } },
      at: clock.now(),
    });

  return new Hono<Env>()
    .get('/', responds(200, z.object({ items: z.array(savedViewJson) }).strict()), async (c) => {
      const caller = c.var.caller;
      const me = memberId(caller);
      const rows = await db
        .selectFrom('saved_views')
        .selectAll()
        .where('workspace_id', '=', caller.workspace.id)
        .where((eb) => eb.or([eb('scope', '=', 'workspace'), ...(me ? [eb.and([eb('scope', '=', 'personal'), eb('owner_member_id', '=', me)])] : [])]))
        .orderBy('scope')
        .orderBy('name')
        .orderBy('id')
        .limit(500)
        .execute();
      return c.json({ items: rows.map(toJson) });
    })
    .post('/', responds(201, savedViewJson, 'The view saved.'), filterErrors, validate('json', createSchema), async (c) => {
      const caller = c.var.caller;
      const input = c.req.valid('json');
      assertMayWrite(caller, input.scope, null);
      await check(caller, input.definition);
      const now = clock.now();
      const row: SavedViewRow = {
        id: newId('vw_'),
        workspace_id: caller.workspace.id,
        owner_member_id: memberId(caller),
        name: input.name,
        scope: input.scope,
        definition: JSON.stringify(input.definition),
        created_at: now,
        updated_at: now,
      };
      await db.insertInto('saved_views').values(row).execute();
      await audit(caller, 'view.created', row, null);
      return c.json(toJson(row), 201);
    })
    .get('/:id', responds(200, savedViewJson), validate('param', idParam), async (c) => c.json(toJson(await find(c.var.caller, c.req.valid('param').id))))
    .patch('/:id', responds(200, savedViewJson, 'The view as it is now.'), filterErrors, validate('param', idParam), validate('json', patchSchema), async (c) => {
      const caller = c.var.caller;
      const before = await find(caller, c.req.valid('param').id);
      const input = c.req.valid('json');
      assertMayWrite(caller, before.scope, before.owner_member_id);
      if (input.scope && input.scope !== before.scope) assertMayWrite(caller, input.scope, before.owner_member_id);
      if (input.definition) await check(caller, input.definition);
      const after: SavedViewRow = {
        ...before,
        name: input.name ?? before.name,
        scope: input.scope ?? before.scope,
        // A view made personal again belongs to whoever un-shares it.
        owner_member_id: input.scope === 'personal' ? memberId(caller) : before.owner_member_id,
        definition: input.definition ? JSON.stringify(input.definition) : before.definition,
        updated_at: clock.now(),
      };
      await db.updateTable('saved_views').set(after).where('id', '=', before.id).execute();
      await audit(caller, 'view.updated', after, before);
      return c.json(toJson(after));
    })
    .delete('/:id', responds(200, deletedJson), fails(400, 'bad_request'), validate('param', idParam), async (c) => {
      const caller = c.var.caller;
      const before = await find(caller, c.req.valid('param').id);
      assertMayWrite(caller, before.scope, before.owner_member_id);
      await db.deleteFrom('saved_views').where('id', '=', before.id).execute();
      await audit(caller, 'view.deleted', null, before);
      return c.json({ deleted: true, id: before.id });
    });
}
