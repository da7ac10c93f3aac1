import { z } from 'zod';
import type { AuditContext, AuditEventJson } from '../../domain/audit.js';
import { sameShape, type SameShape } from '../../http/route-meta.js';

const ref = z.object({ id: z.string(), name: z.string().nullable().optional() }).strict();
export const auditContextJson = z
  .object({
    bulkJobId: z.string().optional(),
    mergeId: z.string().optional(),
    remainingMergeId: z.string().optional(),
    merged: z.array(ref).optional(),
    survivor: ref.optional(),
    document: ref.extend({ section: z.string().optional(), size: z.number().optional(), kind: z.string().optional(), fieldKey: z.string().optional() }).strict().optional(),
    link: ref.extend({ slug: z.string().optional() }).strict().optional(),
    note: ref.optional(),
    task: ref.optional(),
    appointment: ref.extend({ startAt: z.number().optional() }).strict().optional(),
    channel: z.string().optional(),
    identifier: z.string().optional(),
    verified: z.boolean().optional(),
    viewId: z.string().optional(),
  })
  .strict();
sameShape<SameShape<z.output<typeof auditContextJson>, AuditContext>>();

export const auditEventJson = z
  .object({
    id: z.string(),
    action: z.string(),
    actor: z.object({ id: z.string().nullable(), type: z.string(), name: z.string().nullable() }).strict(),
    changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() }).strict()),
    context: auditContextJson,
    at: z.number(),
  })
  .strict();
sameShape<SameShape<z.output<typeof auditEventJson>, AuditEventJson>>();
export const auditPage = z.object({ items: z.array(auditEventJson), nextCursor: z.string().nullable() }).strict();
