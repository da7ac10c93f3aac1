import { Hono } from 'hono';
import { sign, verify } from 'hono/jwt';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { compileContactQuery, contactQuerySchema, customFieldsOf } from '../domain/contact-query.js';
import { DEFAULT_EXPORT_COLUMNS, resolveColumns } from '../domain/csv-export.js';
import { columnsOf, type ExportDef } from '../domain/csv-export-job.js';
import { exportChunks } from '../domain/csv-export-runner.js';
import { can } from '../domain/permissions.js';
import { assertCan, loadWorkspace } from '../http/auth.js';
import type { Caller, Env } from '../http/env.js';
import { ApiError, forbidden } from '../http/errors.js';
import { validate } from '../http/validate.js';
import { fails, responds, respondsRaw } from '../http/route-meta.js';
import { signedLinkJson } from '../openapi/schemas/common.js';

const EXPORT_TTL_MS = 5 * 60_000;

const exportBody = contactQuerySchema.extend({
  columns: z.array(z.string().min(1).max(100)).min(1).max(100).default(DEFAULT_EXPORT_COLUMNS),
  /** Prefix a UTF-8 byte order mark, for spreadsheet apps that guess the encoding. */
  bom: z.boolean().default(false),
});

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

/** POST /api/v1/contacts/export — checks the request and answers a short-lived signed download URL. */
export function contactExportRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  return new Hono<Env>().post('/export', responds(201, signedLinkJson, 'A signed download link (a path on this server), valid for five minutes.'), fails(400, 'invalid_column', 'invalid_filter'), validate('json', exportBody), async (c) => {
    const caller = c.var.caller;
    assertCan(caller, 'contacts.export');
    const def = c.req.valid('json');
    await compileContactQuery(db, caller, def, clock.now());
    const { unknown } = resolveColumns(def.columns, await customFieldsOf(db, caller.workspace.id));
    if (unknown >= 0) throw new ApiError(400, 'invalid_column', `Unknown column "${def.columns[unknown]}".`, { path: `columns[${unknown}]` });
    const expiresAt = clock.now() + EXPORT_TTL_MS;
    const claims: ExportClaims = { kind: 'export', ws: caller.workspace.id, sub: caller.kind === 'member' ? caller.member.id : null, exp: Math.floor(expiresAt / 1000), def };
    const token = await sign(claims, exportKey(deps), 'HS256');
    return c.json({ url: `/api/v1/exports/${token}`, expiresAt }, 201);
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
 * Streams by keyset chunks written in a worker thread (csv-export-runner.ts), each one statement selecting the CSV
 * rows' values: flat memory, and the server's event loop and connection stay free. No statement or read
 * transaction stays open while the client is slow to read (the worker waits between chunks), so a stalled
 * download cannot pin the WAL (blocking checkpoints).
 */
export function exportDownloadRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  return new Hono<Env>().get('/:token', respondsRaw(200, 'text/csv', 'The CSV file (streamed).'), fails(401, 'unauthorized'), fails(410, 'expired'), validate('param', z.object({ token: z.string().min(1).max(20_000) })), async (c) => {
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
    const job = { caller, def, now: clock.now() };
    // Checked here, so a bad export answers an error rather than a broken download.
    await compileContactQuery(db, caller, def, job.now);
    await columnsOf(db, job);

    const chunks = exportChunks(db, job);
    const stream = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          try {
            const next = await chunks.next();
            if (next.done) controller.close();
            else controller.enqueue(next.value);
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
