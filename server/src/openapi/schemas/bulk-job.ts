import { z } from 'zod';
import type { BulkJobJson, JobError } from '../../domain/bulk-jobs.js';
import { sameShape, type SameShape } from '../../http/route-meta.js';

const jobError = z.object({ id: z.string().optional(), row: z.number().int().optional(), field: z.string().optional(), message: z.string(), skipped: z.literal(true).optional() }).strict();
sameShape<SameShape<z.output<typeof jobError>, JobError>>();
/** A bulk action's or an import's progress and outcome (GET /bulk-jobs/:id). */
export const bulkJobJson = z
  .object({
    id: z.string(),
    kind: z.string(),
    status: z.enum(['running', 'done', 'failed']),
    total: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
    errors: z.array(jobError),
    summary: z.record(z.string(), z.number()).nullable(),
    createdAt: z.number(),
    finishedAt: z.number().nullable(),
  })
  .strict();
sameShape<SameShape<z.output<typeof bulkJobJson>, BulkJobJson>>();
