import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { describeFilterFields } from '../domain/contact-filter-fields.js';
import { compileContactQuery, contactQuerySchema, countMatches, pageIds, parsePageCursor, sortFieldNames } from '../domain/contact-query.js';
import { DEFAULT_EXPORT_COLUMNS, exportColumnNames } from '../domain/csv-export.js';
import { loadContacts } from '../domain/contacts.js';
import type { Env } from '../http/env.js';
import { validate } from '../http/validate.js';

const queryBody = contactQuerySchema.extend({
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().max(2000).optional(),
  /** Count matches: defaults to true on the first page only; "exact" never estimates (slower on big workspaces). */
  count: z.union([z.boolean(), z.literal('exact')]).optional(),
});

/** POST /api/v1/contacts/query — the table's one read: search + filter tree + sort, keyset pages, counts. */
export function contactQueryRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  return new Hono<Env>()
    // What the table can filter, sort and export by in this workspace, so the widget builds its menus from it.
    .get('/table-schema', async (c) => {
      const fields = await db.selectFrom('custom_fields').selectAll().where('workspace_id', '=', c.var.caller.workspace.id).orderBy('position').orderBy('key').execute();
      const keys = fields.map((f) => f.key);
      return c.json({ filterFields: describeFilterFields(fields), sorts: sortFieldNames(keys), exportColumns: exportColumnNames(keys), defaultExportColumns: DEFAULT_EXPORT_COLUMNS });
    })
    .post('/query', validate('json', queryBody), async (c) => {
    const body = c.req.valid('json');
    const caller = c.var.caller;
    const compiled = await compileContactQuery(db, caller, body, clock.now());
    const cursor = parsePageCursor(compiled, body.cursor);
    const wantCount = body.count ?? !cursor;
    const page = await pageIds(compiled, body.limit, cursor);
    // A first page that is not full already is the exact count.
    const counted = !wantCount ? null : !cursor && !page.next ? { count: page.ids.length, estimated: false } : await countMatches(db, compiled, { exact: body.count === 'exact' });
    const items = await loadContacts(db, caller.workspace.id, page.ids);
    return c.json({ items, nextCursor: page.nextCursor, count: counted?.count ?? null, estimated: counted?.estimated ?? false });
  });
}
