import { Hono } from 'hono';
import { z } from 'zod';
import { webhookLimits, type AppDeps } from '../deps.js';
import { actorOf } from '../domain/contacts.js';
import { WEBHOOK_EVENT_TYPES } from '../domain/webhook-events.js';
import { createEndpoint, deleteEndpoint, endpointJson, getEndpoint, listDeliveries, listEndpoints, redeliver, rotateSecret, updateEndpoint } from '../domain/webhook-endpoints.js';
import type { Env } from '../http/env.js';
import { validate } from '../http/validate.js';
import { fails, responds } from '../http/route-meta.js';
import { deliveryJsonSchema, deliveryPage, endpointDeleted, endpointJson as endpointSchema, endpointWithSecret } from '../openapi/schemas/webhook.js';

const url = z.string().trim().min(1).max(2000);
const eventTypes = z
  .array(z.enum(['*', ...WEBHOOK_EVENT_TYPES]))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length + 1)
  .transform((types) => (types.includes('*') ? ['*'] : [...new Set(types)]));
const description = z.string().trim().max(500);
const createSchema = z.object({ url, eventTypes, enabled: z.boolean().optional(), description: description.optional() }).strict();
const patchSchema = z
  .object({ url: url.optional(), eventTypes: eventTypes.optional(), enabled: z.boolean().optional(), description: description.optional() })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Send at least one of url, eventTypes, enabled, description.' });
const deliveriesQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().regex(/^\d{1,15}$/).optional(),
    status: z.enum(['pending', 'delivered', 'failed']).optional(),
  })
  .strict();

/** /api/v1/webhook-endpoints — the workspace secret key only (mounted behind requireSecretKey). */
export function webhookEndpointRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const limits = () => webhookLimits(deps.config);
  return new Hono<Env>()
    .get('/', responds(200, z.object({ items: z.array(endpointSchema) }).strict()), async (c) => c.json({ items: await listEndpoints(db, c.var.caller.workspace.id) }))
    .post('/', responds(201, endpointWithSecret, 'The endpoint, with its signing secret (shown this once).'), fails(409, 'limit_reached'), fails(422, 'invalid_field'), validate('json', createSchema), async (c) => {
      const { allowPrivate, maxEndpoints } = limits();
      const caller = c.var.caller;
      return c.json(await createEndpoint(db, caller.workspace.id, actorOf(caller), c.req.valid('json'), { allowPrivate, maxEndpoints }, clock.now()), 201);
    })
    .get('/:id', responds(200, endpointSchema), async (c) => c.json(endpointJson(await getEndpoint(db, c.var.caller.workspace.id, c.req.param('id')))))
    .patch('/:id', responds(200, endpointSchema, 'The endpoint as it is now.'), fails(422, 'invalid_field'), validate('json', patchSchema), async (c) => {
      const caller = c.var.caller;
      return c.json(await updateEndpoint(db, caller.workspace.id, actorOf(caller), c.req.param('id'), c.req.valid('json'), { allowPrivate: limits().allowPrivate }, clock.now()));
    })
    .delete('/:id', responds(200, endpointDeleted), async (c) => {
      const caller = c.var.caller;
      return c.json(await deleteEndpoint(db, caller.workspace.id, actorOf(caller), c.req.param('id'), clock.now()));
    })
    .post('/:id/rotate-secret', responds(200, endpointWithSecret, 'The endpoint with its new signing secret (shown this once).'), async (c) => {
      const caller = c.var.caller;
      return c.json(await rotateSecret(db, caller.workspace.id, actorOf(caller), c.req.param('id'), clock.now()));
    })
    .get('/:id/deliveries', responds(200, deliveryPage), validate('query', deliveriesQuery), async (c) => {
      const q = c.req.valid('query');
      const before = q.cursor === undefined ? undefined : Number(q.cursor);
      return c.json(await listDeliveries(db, c.var.caller.workspace.id, c.req.param('id'), { limit: q.limit, before, status: q.status }));
    })
    .post('/:id/deliveries/:deliveryId/redeliver', responds(202, deliveryJsonSchema, 'The delivery, queued again.'), async (c) => {
      const delivery = await redeliver(db, c.var.caller.workspace.id, c.req.param('id'), c.req.param('deliveryId'), clock.now());
      return c.json(delivery, 202);
    });
}
