// Response schemas of the Activity timeline and attribution routes, tied to the domain types by sameShape.
import { z } from 'zod';
import { ACTIVITY_GROUP_NAMES, type ActivityJson } from '../../domain/activity.js';
import type { TouchJson } from '../../domain/attribution.js';
import type { RecordedEvent } from '../../domain/host-events.js';
import { sameShape, type SameShape } from '../../http/route-meta.js';
import { auditEventJson } from './audit.js';
import { attributionFields, attributionJson } from './contact.js';
import { cursorPage } from './common.js';

export const activityJson = z
  .object({
    id: z.string(),
    kind: z.string(),
    group: z.enum(ACTIVITY_GROUP_NAMES),
    channel: z.string().nullable(),
    direction: z.enum(['inbound', 'outbound']).nullable(),
    title: z.string(),
    details: z.string().nullable(),
    url: z.string().nullable(),
    at: z.number(),
    amount: z.object({ value: z.number(), currency: z.string() }).strict().nullable(),
    attribution: attributionJson.nullable(),
    view: z.object({ linkId: z.string().nullable(), documentId: z.string().nullable(), durationMs: z.number(), pages: z.array(z.number()), downloaded: z.boolean() }).strict().nullable(),
    documents: z.array(z.object({ id: z.string(), name: z.string() }).strict()),
    audit: auditEventJson.nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .strict();
sameShape<SameShape<z.output<typeof activityJson>, ActivityJson>>();
export const activityPage = cursorPage(activityJson);

/** POST /contacts/:id/events: the event recorded, or the one stored before under the same host id (`duplicate`). */
export const recordedEventJson = z.object({ duplicate: z.boolean(), event: activityJson }).strict();
sameShape<SameShape<z.output<typeof recordedEventJson>, RecordedEvent>>();

const touchJson = z.object({ ...attributionFields, activityId: z.string(), kind: z.string(), title: z.string(), at: z.number() }).strict();
sameShape<SameShape<z.output<typeof touchJson>, TouchJson>>();
/** First and latest touch, and every touch newest first (`truncated` when there were more than the limit). */
export const attributionReport = z.object({ first: attributionJson.nullable(), latest: attributionJson.nullable(), touches: z.array(touchJson), truncated: z.boolean() }).strict();
