import { Hono } from 'hono';
import { sign, verify } from 'hono/jwt';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import type Database from 'better-sqlite3';
import type { CompiledQuery } from 'kysely';
import { matchingRowChunks, type RawRow } from '../domain/contact-paging.js';
import { compileContactQuery, contactQuerySchema } from '../domain/contact-query.js';
import { csvLine, csvRows, DEFAULT_EXPORT_COLUMNS, resolveColumns, writersOf, type ExportCtx } from '../domain/csv-export.js';
import { can } from '../domain/permissions.js';
import { assertCan, loadWorkspace } from '../http/auth.js';
import type { Caller, Env } from '../http/env.js';
import { ApiError, badRequest, forbidden } from '../http/errors.js';
import { validate } from '../http/validate.js';

const EXPORT_TTL_MS = 5 * 60_000;
// Rows per query: large enough that the per-query cost (planning, seeking back to the cursor) is small, small
// enough that one query holds the connection (and the event loop) only for tens of milliseconds.
const CHUNK = 2000;

const exportBody = contactQuerySchema.extend({
  columns: z.array(z.string().min(1).max(100)).min(1).max(100).default(DEFAULT_EXPORT_COLUMNS),
  /** Prefix a UTF-8 byte order mark, for spreadsheet apps that guess the encoding. */
  bom: z.boolean().default(false),
});
type ExportDef = z.output<typeof exportBody>;

interface ExportClaims {
  kind: 'export';
  ws: string;
  sub: string | null;
  exp: number;
  def: ExportDef;
  [key: string]: unknown;
}

// A key of its own: an export link can never pass as a session token, and the other way round.
const exportKey = (deps: AppDeps) => `${deps.secrets.tokenSecret}:csv-export`;

async function customFields(deps: AppDeps, workspaceId: string) {
  const rows = await deps.db.selectFrom('custom_fields').selectAll().where('workspace_id', '=', workspaceId).execute();
  return new Map(rows.map((f) => [f.key, f]));
}

/** POST /api/v1/contacts/export — checks the request and answers a short-lived signed download URL. */
export function contactExportRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  return new Hono<Env>().post('/export', validate('json', exportBody), async (c) => {
    const caller = c.var.caller;
    assertCan(caller, 'contacts.export');
    const def = c.req.valid('json');
    await compileContactQuery(db, caller, def, clock.now());
    const { unknown } = resolveColumns(def.columns, await customFields(deps, caller.workspace.id));
    if (unknown >= 0) throw new ApiError(400, 'invalid_column', `Unknown column "${def.columns[unknown]}".`, { path: `columns[${unknown}]` });
    const expiresAt = clock.now() + EXPORT_TTL_MS;
    const claims: ExportClaims = { kind: 'export', ws: caller.workspace.id, sub: caller.kind === 'member' ? caller.member.id : null, exp: Math.floor(expiresAt / 1000), def };
    const token = await sign(claims, exportKey(deps), 'HS256');
    return c.json({ url: `/api/v1/exports/${token}`, expiresAt }, 201);
  });
}

/**
 * Runs export chunks on the raw handle, rows as arrays (a quarter cheaper than row objects). The
 * connection lock is held meanwhile, so a chunk never runs inside another request's open transaction.
 */
function rawRunner(deps: AppDeps) {
  const statements = new Map<string, Database.Statement>();
  return (query: CompiledQuery) =>
    deps.db.connection().execute(async () => {
      let statement = statements.get(query.sql);
      if (!statement) statements.set(query.sql, (statement = deps.sqlite.prepare(query.sql).raw(true)));
      return statement.all(...query.parameters) as RawRow[];
    });
}

/** Re-reads the member behind an export link so role changes and removals apply to links already handed out. */
async function callerOf(deps: AppDeps, claims: ExportClaims): Promise<Caller> {
  const workspace = await loadWorkspace(deps.db, claims.ws);
  if (!workspace) throw forbidden('This export link is no longer valid.');
  if (claims.sub === null) return { kind: 'api', workspace, member: null };
  const member = await deps.db.selectFrom('members').selectAll().where('id', '=', claims.sub).where('workspace_id', '=', claims.ws).executeTakeFirst();
  if (!member || !can(member.role, 'contacts.export')) throw forbidden('This export link is no longer valid.');
  return { kind: 'member', workspace, member };
}

/**
 * GET /api/v1/exports/:token — the CSV download itself; a plain link works (no Authorization header).
 * Streams by keyset chunks, each one statement selecting the CSV rows' values: flat memory, and the database is free for other
 * requests between chunks. No statement or read transaction stays open while the client is slow to read, so a
 * stalled download cannot pin the WAL (blocking checkpoints) nor keep the single connection busy.
 */
export function exportDownloadRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  return new Hono<Env>().get('/:token', validate('param', z.object({ token: z.string().min(1).max(20_000) })), async (c) => {
    let claims: ExportClaims;
    try {
      claims = (await verify(c.req.valid('param').token, exportKey(deps), { alg: 'HS256', exp: false })) as ExportClaims;
    } catch {
      throw new ApiError(401, 'unauthorized', 'Invalid export link.');
    }
    if (claims.kind !== 'export') throw new ApiError(401, 'unauthorized', 'Invalid export link.');
    if (claims.exp * 1000 <= clock.now()) throw new ApiError(410, 'expired', 'This export link has expired; export again.');
    const caller = await callerOf(deps, claims);
    const def = claims.def;
    const compiled = await compileContactQuery(db, caller, def, clock.now());
    const { columns, unknown } = resolveColumns(def.columns, await customFields(deps, caller.workspace.id));
    if (unknown >= 0) throw badRequest(`Column "${def.columns[unknown]}" no longer exists.`);
    const members = await db.selectFrom('members').select(['id', 'name']).where('workspace_id', '=', caller.workspace.id).execute();
    const ctx: ExportCtx = { memberNames: new Map(members.map((m) => [m.id, m.name])), tags: new Map() };
    // Re-read for every chunk (a workspace has few tags): tags may be created or renamed during a long export.
    let tagList = '';
    const readTags = async () => {
      const tags = await db.selectFrom('tags').select(['id', 'name']).where('workspace_id', '=', caller.workspace.id).orderBy('name').execute();
      const list = JSON.stringify(tags);
      // A new map only when something changed: the tags column formats each tag set once per map.
      if (list !== tagList) [tagList, ctx.tags] = [list, new Map(tags.map((t, rank) => [t.id, { name: t.name, rank }]))];
    };
    const writers = writersOf(columns, ctx);

    const encoder = new TextEncoder();
    const chunks = matchingRowChunks(compiled, columns.map((col) => col.select), CHUNK, rawRunner(deps));
    const stream = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          controller.enqueue(encoder.encode(`${def.bom ? '\uFEFF' : ''}${csvLine(columns.map((col) => col.header))}`));
        },
        async pull(controller) {
          try {
            const next = await chunks.next();
            if (next.done) return controller.close();
            if (def.columns.includes('tags')) await readTags();
            controller.enqueue(encoder.encode(csvRows(next.value, writers)));
          } catch (err) {
            controller.error(err);
          }
        },
        async cancel() {
          await chunks.return(undefined);
        },
      },
      { highWaterMark: 1 },
    );
    const day = new Date(clock.now()).toISOString().slice(0, 10);
    return c.body(stream, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="contacts-${day}.csv"`,
      'Cache-Control': 'no-store',
    });
  });
}
