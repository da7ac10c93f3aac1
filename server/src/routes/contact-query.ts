import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { countMatches, type Counted } from '../domain/contact-count.js';
import { describeFilterFields } from '../domain/contact-filter-fields.js';
import { pageAt, pageBefore, pageIds, parsePageCursor } from '../domain/contact-paging.js';
import { compileContactQuery, contactQuerySchema, sortFieldNames } from '../domain/contact-query.js';
import { DEFAULT_EXPORT_COLUMNS, exportColumnNames } from '../domain/csv-export.js';
import { loadContacts } from '../domain/contacts.js';
import type { Env } from '../http/env.js';
import { validate } from '../http/validate.js';
import { fails, responds, sameShape, type SameShape } from '../http/route-meta.js';
import { contactJson } from '../openapi/schemas/contact.js';

/** Rows a page may ask for; ids-only pages carry no contacts, so they may be longer. */
const MAX_PAGE = 200;
const MAX_ID_PAGE = 1000;
/** Count matches: "exact" never estimates (slower on big workspaces). */
const countOption = z.union([z.boolean(), z.literal('exact')]).optional();

const queryBody = contactQuerySchema
  .extend({
    /** 1–200 rows; with `ids: true` up to 1,000. */
    limit: z.number().int().min(1).max(MAX_ID_PAGE).default(50),
    /** Answer `{ ids }` instead of `items` (a selection range, say): no contact is loaded. */
    ids: z.boolean().optional(),
    /** nextCursor of the previous page. */
    cursor: z.string().max(2000).optional(),
    /** The page starting at this row of the order (a scroller's seek); continue with its nextCursor. */
    offset: z.number().int().min(0).max(10_000_000).optional(),
    /** A prevCursor: the `limit` rows just before that row, in display order. */
    before: z.string().max(2000).optional(),
    /** Defaults to true unless the page continues from a cursor (`cursor` or `before`). */
    count: countOption,
  })
  .superRefine((body, ctx) => {
    const given = (['cursor', 'offset', 'before'] as const).filter((k) => body[k] !== undefined);
    if (given.length > 1) ctx.addIssue({ code: 'custom', path: [given[1]!], message: `Send only one of ${given.join(', ')}.` });
    if (!body.ids && body.limit > MAX_PAGE) ctx.addIssue({ code: 'custom', path: ['limit'], message: `At most ${MAX_PAGE} rows a page (${MAX_ID_PAGE} with "ids": true).` });
  });

const countBody = contactQuerySchema.extend({ count: countOption });

// What the routes answer (the OpenAPI document shows these; the server tests check every answer against them).
const filterFieldJson = z.object({ field: z.string(), ops: z.array(z.string()), values: z.array(z.string()).optional(), label: z.string().optional(), type: z.string().optional() }).strict();
sameShape<SameShape<z.output<typeof filterFieldJson>, ReturnType<typeof describeFilterFields>[number]>>();
const tableSchemaJson = z.object({ filterFields: z.array(filterFieldJson), sorts: z.array(z.string()), exportColumns: z.array(z.string()), defaultExportColumns: z.array(z.string()) }).strict();
const countedJson = z.object({ count: z.number().int(), estimated: z.boolean() }).strict();
sameShape<SameShape<z.output<typeof countedJson>, Counted>>();
/** Cursors of the neighbouring pages, and the count of all matches (null when not asked for). */
const pageRest = { nextCursor: z.string().nullable(), prevCursor: z.string().nullable(), count: z.number().int().nullable(), estimated: z.boolean() };
const queryPage = z.union([z.object({ items: z.array(contactJson), ...pageRest }).strict(), z.object({ ids: z.array(z.string()), ...pageRest }).strict()]);

/** POST /api/v1/contacts/query — the table's one read: search + filter tree + sort, keyset pages, counts. */
export function contactQueryRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  return new Hono<Env>()
    // What the table can filter, sort and export by in this workspace, so the widget builds its menus from it.
    .get('/table-schema', responds(200, tableSchemaJson), async (c) => {
      const fields = await db.selectFrom('custom_fields').selectAll().where('workspace_id', '=', c.var.caller.workspace.id).orderBy('position').orderBy('key').execute();
      const keys = fields.map((f) => f.key);
      return c.json({ filterFields: describeFilterFields(fields), sorts: sortFieldNames(keys), exportColumns: exportColumnNames(keys), defaultExportColumns: DEFAULT_EXPORT_COLUMNS });
    })
    .post('/query', responds(200, queryPage, 'A page of contacts, or of their ids with `ids: true`.'), fails(400, 'invalid_filter'), validate('json', queryBody), async (c) => {
      const body = c.req.valid('json');
      const caller = c.var.caller;
      const compiled = await compileContactQuery(db, caller, body, clock.now());
      const cursor = parsePageCursor(compiled, body.cursor);
      const before = parsePageCursor(compiled, body.before, 'before');
      const wantCount = body.count ?? !(cursor || before);
      const page = before
        ? await pageBefore(compiled, body.limit, before)
        : body.offset !== undefined
          ? await pageAt(db, compiled, body.limit, body.offset)
          : await pageIds(compiled, body.limit, cursor);
      // A first page that is not full already is the exact count.
      const fromStart = !cursor && !before && !body.offset;
      const counted = !wantCount ? null : fromStart && !page.next ? { count: page.ids.length, estimated: false } : await countMatches(db, compiled, { exact: body.count === 'exact', stale: true });
      const rest = { nextCursor: page.nextCursor, prevCursor: page.prevCursor, count: counted?.count ?? null, estimated: counted?.estimated ?? false };
      if (body.ids) return c.json({ ids: page.ids, ...rest });
      return c.json({ items: await loadContacts(db, caller.workspace.id, page.ids), ...rest });
    })
    // The count alone, so a table can ask for it in parallel with its first page.
    .post('/count', responds(200, countedJson), fails(400, 'invalid_filter'), validate('json', countBody), async (c) => {
      const body = c.req.valid('json');
      const compiled = await compileContactQuery(db, c.var.caller, body, clock.now());
      return c.json(await countMatches(db, compiled, { exact: body.count === 'exact' }));
    });
}
