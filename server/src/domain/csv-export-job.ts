// One CSV export in two stages: reading the rows (exportRows, streamed by the engine: on SQLite in a worker thread
// with its own connection, csv-export-runner.ts; on PostgreSQL through a server-side cursor) and writing the CSV
// (csvExport, on the server's thread). On SQLite each stage takes about half the time, so a big export runs about
// twice as fast as on one thread.
import type { Db } from '../db/connection.js';
import { engineOf, type RawRow } from '../db/engine/index.js';
import type { Caller } from '../http/env.js';
import { badRequest } from '../http/errors.js';
import { orderedQueries } from './contact-paging.js';
import { compileContactQuery, customFieldsOf, type ContactQueryInput } from './contact-query.js';
import { csvLine, csvRows, resolveColumns, rowWriter, selectsOf, type ExportCtx } from './csv-export.js';

export type ExportDef = ContactQueryInput & { columns: string[]; bom: boolean };

/** Everything a job needs, as plain data (it crosses to the worker thread). */
export interface ExportJob {
  caller: Caller;
  def: ExportDef;
  now: number;
}

// Rows per statement: large enough that the per-statement cost (planning, seeking back to the cursor) is small,
// small enough that one statement holds the connection only for tens of milliseconds.
const CHUNK = 2000;

/** The export's columns; one removed since the link was made answers 400. */
export async function columnsOf(db: Db, { caller, def }: ExportJob) {
  const { columns, unknown } = resolveColumns(def.columns, await customFieldsOf(db, caller.workspace.id));
  if (unknown >= 0) throw badRequest(`Column "${def.columns[unknown]}" no longer exists.`);
  return columns;
}

/** The export's rows in display order, CHUNK at a time: id, sort key, then each column's value. */
export async function* exportRows(db: Db, job: ExportJob): AsyncGenerator<RawRow[]> {
  const compiled = await compileContactQuery(db, job.caller, job.def, job.now);
  const engine = engineOf(db);
  const columns = await columnsOf(db, job);
  yield* engine.streaming.rows(db, orderedQueries(compiled, selectsOf(columns, engine)), CHUNK);
}

/** The CSV bytes of `rows` (from exportRows): a header line, then one encoded chunk per chunk of rows. */
export async function* csvExport(db: Db, job: ExportJob, rows: AsyncIterable<RawRow[]>): AsyncGenerator<Uint8Array> {
  const { caller, def } = job;
  const workspaceId = caller.workspace.id;
  const columns = await columnsOf(db, job);
  const members = await db.selectFrom('members').select(['id', 'name']).where('workspace_id', '=', workspaceId).execute();
  const ctx: ExportCtx = { memberNames: new Map(members.map((m) => [m.id, m.name])), tags: new Map() };
  let tagList = '';
  // Re-read for every chunk (a workspace has few tags): tags may be created or renamed during a long export.
  const readTags = async () => {
    const tags = await db.selectFrom('tags').select(['id', 'name']).where('workspace_id', '=', workspaceId).orderBy('name').execute();
    const list = JSON.stringify(tags);
    // A new map only when something changed: the tags column formats each tag set once per map.
    if (list !== tagList) [tagList, ctx.tags] = [list, new Map(tags.map((t, rank) => [t.id, { name: t.name, rank }]))];
  };
  const write = rowWriter(columns, ctx);
  const encoder = new TextEncoder();
  yield encoder.encode(`${def.bom ? '\uFEFF' : ''}${csvLine(columns.map((col) => col.header))}`);
  for await (const chunk of rows) {
    if (def.columns.includes('tags')) await readTags();
    yield encoder.encode(csvRows(chunk, write));
  }
}
