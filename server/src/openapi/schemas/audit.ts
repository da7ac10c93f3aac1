import { z } from 'zod';
import type { AuditContext, AuditEventJson } from '../../domain/audit.js';
import { TARGET_KINDS } from '../../domain/associations/kinds.js';
import { sameShape, type SameShape } from '../../http/route-meta.js';
import { cursorPage } from './common.js';

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
    opportunity: ref.optional(),
    association: z
      .object({ id: z.string(), name: z.string(), kind: z.enum(TARGET_KINDS), targetId: z.string(), typeId: z.string(), label: z.string(), mirror: z.boolean().optional() })
      .strict()
      .optional(),
    company: ref.optional(),
    record: ref.extend({ typeId: z.string().optional() }).strict().optional(),
    workflow: ref.extend({ hostId: z.string().optional(), enrolmentId: z.string().optional(), step: z.string().nullable().optional(), requested: z.boolean().optional() }).strict().optional(),
    portal: ref.extend({ kind: z.enum(['offer', 'group']).optional(), hostId: z.string().optional() }).strict().optional(),
    payment: z
      .object({
        id: z.string(),
        chargeId: z.string().optional(),
        amount: z.number().optional(),
        currency: z.string().optional(),
        description: z.string().optional(),
        card: z.object({ brand: z.string(), last4: z.string() }).strict().optional(),
        failure: z.string().optional(),
      })
      .strict()
      .optional(),
    invoice: ref.optional(),
    subscription: ref.optional(),
    channel: z.string().optional(),
    identifier: z.string().optional(),
    verified: z.boolean().optional(),
    viewId: z.string().optional(),
  })
  .strict();
sameShape<SameShape<z.output<typeof auditContextJson>, AuditContext>>();
// Optional keys escape the check above (an object without one is still assignable): compare the key sets too.
sameShape<SameShape<keyof z.output<typeof auditContextJson>, keyof AuditContext>>();

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
export const auditPage = cursorPage(auditEventJson);
