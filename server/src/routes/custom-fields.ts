import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import type { CustomFieldRow } from '../db/schema.js';
import { writeAudit } from '../domain/audit.js';
import { actorOf, visibleTo } from '../domain/contacts.js';
import { assertCan } from '../http/auth.js';
import { conflict, invalidField, notFound } from '../http/errors.js';
import type { Env } from '../http/env.js';
import { validate } from '../http/validate.js';
import { fails, responds, sameShape, type SameShape } from '../http/route-meta.js';
import { deletedJson } from '../openapi/schemas/common.js';
import { newId } from '../ids.js';
import { startsWith } from '../db/like.js';

export const FIELD_TYPES = ['text', 'number', 'date', 'select', 'multi_select', 'checkbox', 'url', 'file'] as const;

const options = z.array(z.string().trim().min(1).max(100)).min(1).max(200);

const createSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'Use lower-case letters, digits and _ (start with a letter).'),
    label: z.string().trim().min(1).max(100),
    type: z.enum(FIELD_TYPES),
    options: options.optional(),
    position: z.number().int().min(0).optional(),
  })
  .strict();

const patchSchema = z
  .object({ label: z.string().trim().min(1).max(100).optional(), options: options.optional(), position: z.number().int().min(0).optional() })
  .strict();

export interface CustomFieldJson {
  id: string;
  key: string;
  label: string;
  type: (typeof FIELD_TYPES)[number];
  options: string[] | null;
  position: number;
}

const customFieldJson = z
  .object({ id: z.string(), key: z.string(), label: z.string(), type: z.enum(FIELD_TYPES), options: z.array(z.string()).nullable(), position: z.number().int() })
  .strict();
sameShape<SameShape<z.output<typeof customFieldJson>, CustomFieldJson>>();

const toJson = (f: CustomFieldRow): CustomFieldJson => ({
  id: f.id,
  key: f.key,
  label: f.label,
  type: f.type,
  options: f.options ? (JSON.parse(f.options) as string[]) : null,
  position: f.position,
});

function checkOptions(type: string, opts: string[] | undefined) {
  const needs = type === 'select' || type === 'multi_select';
  if (needs && !opts?.length) throw invalidField('options', `A ${type} field needs a list of options.`);
  if (!needs && opts) throw invalidField('options', `A ${type} field has no options.`);
  if (opts && new Set(opts).size !== opts.length) throw invalidField('options', 'Options must be unique.');
}

/** /api/v1/custom-fields — everyone reads the definitions; owners and managers manage them. */
export function customFieldRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  return new Hono<Env>()
    .get('/', responds(200, z.object({ items: z.array(customFieldJson) }).strict()), async (c) => {
      const rows = await db.selectFrom('custom_fields').selectAll().where('workspace_id', '=', c.var.caller.workspace.id).orderBy('position').orderBy('created_at').execute();
      return c.json({ items: rows.map(toJson) });
    })
    .post('/', responds(201, customFieldJson, 'The field created.'), fails(422, 'invalid_field'), validate('json', createSchema), async (c) => {
      const caller = c.var.caller;
      assertCan(caller, 'fields.manage');
      const input = c.req.valid('json');
      checkOptions(input.type, input.options);
      const now = clock.now();
      const taken = await db.selectFrom('custom_fields').select('id').where('workspace_id', '=', caller.workspace.id).where('key', '=', input.key).executeTakeFirst();
      if (taken) throw conflict(`A custom field with key "${input.key}" already exists.`, { field: 'key' });
      const count = await db.selectFrom('custom_fields').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', caller.workspace.id).executeTakeFirstOrThrow();
      const row: CustomFieldRow = {
        id: newId('cf_'),
        workspace_id: caller.workspace.id,
        key: input.key,
        label: input.label,
        type: input.type,
        options: input.options ? JSON.stringify(input.options) : null,
        position: input.position ?? Number(count.n),
        created_at: now,
        updated_at: now,
      };
      await db.insertInto('custom_fields').values(row).execute();
      await writeAudit(db, { workspaceId: caller.workspace.id, contactId: null, actor: actorOf(caller), action: 'custom_field.created', changes: { [input.key]: { before: null, after: toJson(row) } }, at: now });
      return c.json(toJson(row), 201);
    })
    .patch('/:id', responds(200, customFieldJson, 'The field as it is now.'), fails(404, 'not_found'), fails(422, 'invalid_field'), validate('json', patchSchema), async (c) => {
      const caller = c.var.caller;
      assertCan(caller, 'fields.manage');
      const field = await db.selectFrom('custom_fields').selectAll().where('workspace_id', '=', caller.workspace.id).where('id', '=', c.req.param('id')).executeTakeFirst();
      if (!field) throw notFound('Custom field');
      const input = c.req.valid('json');
      if (input.options) checkOptions(field.type, input.options);
      const now = clock.now();
      await db
        .updateTable('custom_fields')
        .set({
          ...(input.label !== undefined && { label: input.label }),
          ...(input.options !== undefined && { options: JSON.stringify(input.options) }),
          ...(input.position !== undefined && { position: input.position }),
          updated_at: now,
        })
        .where('id', '=', field.id)
        .execute();
      const after = await db.selectFrom('custom_fields').selectAll().where('id', '=', field.id).executeTakeFirstOrThrow();
      await writeAudit(db, { workspaceId: caller.workspace.id, contactId: null, actor: actorOf(caller), action: 'custom_field.updated', changes: { [field.key]: { before: toJson(field), after: toJson(after) } }, at: now });
      return c.json(toJson(after));
    })
    .delete('/:id', responds(200, deletedJson, 'The field is gone (its values with it; its files stay as internal documents).'), fails(404, 'not_found'), async (c) => {
      const caller = c.var.caller;
      assertCan(caller, 'fields.manage');
      const field = await db.selectFrom('custom_fields').selectAll().where('workspace_id', '=', caller.workspace.id).where('id', '=', c.req.param('id')).executeTakeFirst();
      if (!field) throw notFound('Custom field');
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('custom_fields').where('id', '=', field.id).execute();
        // Its files stay with their contacts, as ordinary internal documents.
        if (field.type === 'file') await trx.updateTable('documents').set({ field_key: null }).where('workspace_id', '=', caller.workspace.id).where('field_key', '=', field.key).execute();
      });
      await writeAudit(db, { workspaceId: caller.workspace.id, contactId: null, actor: actorOf(caller), action: 'custom_field.deleted', changes: { [field.key]: { before: toJson(field), after: null } }, at: clock.now() });
      return c.json({ deleted: true as const, id: field.id });
    });
}

/** /api/v1/tags — the workspace's tags, for autocomplete. */
export function tagRoutes(deps: AppDeps) {
  return new Hono<Env>().get('/', responds(200, z.object({ items: z.array(z.string()) }).strict(), 'Tag names.'), validate('query', z.object({ q: z.string().max(100).optional() }).strict()), async (c) => {
    const { q } = c.req.valid('query');
    const caller = c.var.caller;
    let query = deps.db.selectFrom('tags').select('name').where('workspace_id', '=', caller.workspace.id);
    if (q) query = query.where(startsWith('name', q));
    // Members who only see assigned contacts only learn the tags those contacts carry.
    if (caller.kind === 'member' && caller.member.restrict_to_assigned) {
      query = query.where('id', 'in', deps.db.selectFrom('contact_tags').innerJoin('contacts', 'contacts.id', 'contact_tags.contact_id').select('contact_tags.tag_id').where(visibleTo(caller)));
    }
    const rows = await query.orderBy('name').limit(50).execute();
    return c.json({ items: rows.map((r) => r.name) });
  });
}
