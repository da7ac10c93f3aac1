import { z } from 'zod';
import type { createEndpoint, deleteEndpoint, deliveryJson, EndpointJson, listDeliveries, rotateSecret } from '../../domain/webhook-endpoints.js';
import { sameShape, type SameShape } from '../../http/route-meta.js';
import { cursorPage } from './common.js';

export const endpointJson = z
  .object({ id: z.string(), url: z.string(), description: z.string(), eventTypes: z.array(z.string()), enabled: z.boolean(), createdAt: z.number(), updatedAt: z.number() })
  .strict();
sameShape<SameShape<z.output<typeof endpointJson>, EndpointJson>>();
/** Created or rotated: the signing secret (`whsec_…`), shown this once. */
export const endpointWithSecret = endpointJson.extend({ secret: z.string() }).strict();
sameShape<SameShape<z.output<typeof endpointWithSecret>, Awaited<ReturnType<typeof createEndpoint>>>>();
sameShape<SameShape<z.output<typeof endpointWithSecret>, Awaited<ReturnType<typeof rotateSecret>>>>();
export const endpointDeleted = z.object({ deleted: z.literal(true), id: z.string() }).strict();
sameShape<SameShape<z.output<typeof endpointDeleted>, Awaited<ReturnType<typeof deleteEndpoint>>>>();

export const deliveryJsonSchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    contactId: z.string().nullable(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable(),
    latencyMs: z.number().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.number().nullable(),
    createdAt: z.number(),
    deliveredAt: z.number().nullable(),
    payload: z.unknown(),
  })
  .strict();
sameShape<SameShape<z.output<typeof deliveryJsonSchema>, ReturnType<typeof deliveryJson>>>();
export const deliveryPage = cursorPage(deliveryJsonSchema);
sameShape<SameShape<z.output<typeof deliveryPage>, Awaited<ReturnType<typeof listDeliveries>>>>();
