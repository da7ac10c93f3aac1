import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { createJob, getJob, runJob } from '../domain/bulk-jobs.js';
import { checkMapping, DEDUPE_MODES, importCsv, IMPORT_REPORT_ROWS, mappingSchema } from '../domain/contact-import.js';
import { checkCsv, spoolCsv } from '../domain/import-file.js';
import { requestBody } from '../http/body.js';
import { IMPORT_BODY_BYTES } from '../http/body-limit.js';
import { assertCan } from '../http/auth.js';
import type { Env } from '../http/env.js';
import { badRequest } from '../http/errors.js';
import { validate } from '../http/validate.js';
import { acceptsBody, fails, responds } from '../http/route-meta.js';
import { bulkJobJson } from '../openapi/schemas/bulk-job.js';

const importQuery = z
  .object({
    /** JSON object: CSV header → field (firstName, email, phone, tags, address.city, custom.<key>...). */
    mapping: z.string().min(2).max(20_000),
    dedupe: z.enum(DEDUPE_MODES).default('skip'),
  })
  .strict();

/**
 * POST /api/v1/contacts/import — the CSV file is the request body (streamed to a temp file, never buffered in memory).
 * The answer is the finished job report; while it runs, GET /api/v1/bulk-jobs shows it with live progress.
 */
export function contactImportRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  return new Hono<Env>().post('/import', responds(200, bulkJobJson, 'The import job, finished (the CSV is read through before anything is written).'), fails(400, 'bad_request', 'invalid_csv', 'invalid_mapping', 'upload_interrupted'), fails(413, 'payload_too_large'), acceptsBody(`The CSV file as the whole body (UTF-8, a header row first; at most ${IMPORT_BODY_BYTES} bytes). \`mapping\` says which column goes to which field.`, { mediaType: 'text/csv' }), validate('query', importQuery), async (c) => {
    const caller = c.var.caller;
    assertCan(caller, 'contacts.import');
    assertCan(caller, 'contacts.create');
    const query = c.req.valid('query');
    let raw: unknown;
    try {
      raw = JSON.parse(query.mapping);
    } catch {
      throw badRequest('mapping must be a JSON object of CSV header → field.', { path: 'mapping' });
    }
    const mapping = mappingSchema.safeParse(raw);
    if (!mapping.success || Object.keys(mapping.data).length === 0) throw badRequest('mapping must be a non-empty JSON object of CSV header → field.', { path: 'mapping' });
    const rows = await db.selectFrom('custom_fields').selectAll().where('workspace_id', '=', caller.workspace.id).execute();
    const fields = new Map(rows.map((f) => [f.key, f]));
    checkMapping(mapping.data, fields);

    // The whole file is received and read through before anything is written: a file that cannot be read to its end
    // imports nothing (400 invalid_csv, 413 over the size limit, 400 upload_interrupted) rather than half of itself.
    const file = await spoolCsv(requestBody(c), deps.config?.importMaxBytes ?? IMPORT_BODY_BYTES);
    try {
      const rows = await checkCsv(file);
      const job = await createJob(db, caller, 'import', rows, clock.now(), { maxErrors: IMPORT_REPORT_ROWS });
      await runJob(job, () => clock.now(), (j) => importCsv(db, caller, file, { mapping: mapping.data, dedupe: query.dedupe, fields, events: deps.events }, j, () => clock.now()));
      return c.json(await getJob(db, caller, job.id));
    } finally {
      await file.dispose();
    }
  });
}
