// Webhook endpoints of a workspace (managed with its secret key) and their delivery log.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { Db } from '../db/connection.js';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../db/schema.js';
import { ApiError, invalidField, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { isPublicAddress } from '../storage/fetch-attachment.js';
import { writeAudit, type Actor } from './audit.js';

export interface EndpointInput {
  url: string;
  eventTypes: string[];
  enabled?: boolean;
  description?: string;
}

/**
 * https only, no credentials, no loopback or private address literal, no `localhost` (unless `allowPrivate`).
 * Host names are resolved and checked again at every delivery (a name may point anywhere later).
 */
export function checkEndpointUrl(raw: string, allowPrivate: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidField('url', 'Not a URL.');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) throw invalidField('url', 'Webhook URLs must use https.');
  if (url.username || url.password) throw invalidField('url', 'Webhook URLs may not carry credentials.');
  if (url.hash) throw invalidField('url', 'Webhook URLs may not have a #fragment.');
  if (!allowPrivate) {
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const local = host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal') || (!host.includes('.') && !isIP(host));
    if (local || (isIP(host) && !isPublicAddress(host))) throw invalidField('url', 'Webhook URLs may not point at loopback, private or link-local addresses.');
  }
  return url.toString();
}

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export function endpointJson(r: WebhookEndpointRow) {
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    eventTypes: JSON.parse(r.event_types) as string[],
    enabled: r.enabled === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
export type EndpointJson = ReturnType<typeof endpointJson>;

export async function getEndpoint(db: Db, workspaceId: string, id: string): Promise<WebhookEndpointRow> {
  const row = await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!row) throw notFound('Webhook endpoint');
  return row;
}

export async function listEndpoints(db: Db, workspaceId: string) {
  const rows = await db.selectFrom('webhook_endpoints').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();
  return rows.map(endpointJson);
}

/** The audit keeps what changed, never the secret. */
const audit = (db: Db, workspaceId: string, actor: Actor, action: string, before: EndpointJson | null, after: EndpointJson | null, at: number) =>
  writeAudit(db, { workspaceId, contactId: null, actor, action, changes: { webhookEndpoint: { before, after } }, at });

export async function createEndpoint(db: Db, workspaceId: string, actor: Actor, input: EndpointInput, opts: { allowPrivate: boolean; maxEndpoints: number }, now: number) {
  const url = checkEndpointUrl(input.url, opts.allowPrivate);
  return db.transaction().execute(async (trx) => {
    const count = await trx.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow();
    if (Number(count.n) >= opts.maxEndpoints) throw new ApiError(409, 'limit_reached', `A workspace has at most ${opts.maxEndpoints} webhook endpoints.`, { limit: opts.maxEndpoints });
    const row: WebhookEndpointRow = {
      id: newId('we_', now),
      workspace_id: workspaceId,
      url,
      description: input.description ?? '',
      event_types: JSON.stringify(input.eventTypes),
      enabled: input.enabled === false ? 0 : 1,
      secret: newSecret(),
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('webhook_endpoints').values(row).execute();
    await audit(trx, workspaceId, actor, 'webhook_endpoint.created', null, endpointJson(row), now);
    return { ...endpointJson(row), secret: row.secret };
  });
}

export async function updateEndpoint(db: Db, workspaceId: string, actor: Actor, id: string, input: Partial<EndpointInput>, opts: { allowPrivate: boolean }, now: number) {
  return db.transaction().execute(async (trx) => {
    const before = await getEndpoint(trx, workspaceId, id);
    const set: Partial<WebhookEndpointRow> = { updated_at: now };
    if (input.url !== undefined) set.url = checkEndpointUrl(input.url, opts.allowPrivate);
    if (input.eventTypes !== undefined) set.event_types = JSON.stringify(input.eventTypes);
    if (input.enabled !== undefined) set.enabled = input.enabled ? 1 : 0;
    if (input.description !== undefined) set.description = input.description;
    await trx.updateTable('webhook_endpoints').set(set).where('id', '=', id).execute();
    const after = { ...before, ...set };
    await audit(trx, workspaceId, actor, 'webhook_endpoint.updated', endpointJson(before), endpointJson(after), now);
    return endpointJson(after);
  });
}

/** Deletes the endpoint and its delivery log (pending deliveries are not sent). */
export async function deleteEndpoint(db: Db, workspaceId: string, actor: Actor, id: string, now: number) {
  return db.transaction().execute(async (trx) => {
    const before = await getEndpoint(trx, workspaceId, id);
    await trx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
    await trx.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
    await audit(trx, workspaceId, actor, 'webhook_endpoint.deleted', endpointJson(before), null, now);
    return { deleted: true as const, id };
  });
}

/** A new signing secret, shown once; the old one stops signing at once. */
export async function rotateSecret(db: Db, workspaceId: string, actor: Actor, id: string, now: number) {
  return db.transaction().execute(async (trx) => {
    const before = await getEndpoint(trx, workspaceId, id);
    const secret = newSecret();
    await trx.updateTable('webhook_endpoints').set({ secret, updated_at: now }).where('id', '=', id).execute();
    await writeAudit(trx, { workspaceId, contactId: null, actor, action: 'webhook_endpoint.secret_rotated', changes: {}, context: {}, at: now });
    return { ...endpointJson({ ...before, updated_at: now }), secret };
  });
}

export function deliveryJson(r: WebhookDeliveryRow) {
  return {
    id: r.id,
    eventId: r.event_id,
    eventType: r.event_type,
    contactId: r.contact_id,
    status: r.status,
    attempts: r.attempts,
    responseStatus: r.response_status,
    latencyMs: r.latency_ms,
    lastError: r.last_error,
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    payload: JSON.parse(r.payload) as unknown,
  };
}

/** The endpoint's deliveries, newest first, keyset-paged by seq. */
export async function listDeliveries(db: Db, workspaceId: string, endpointId: string, opts: { limit: number; before?: number; status?: WebhookDeliveryRow['status'] }) {
  await getEndpoint(db, workspaceId, endpointId);
  let query = db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId);
  if (opts.before !== undefined) query = query.where('seq', '<', opts.before);
  if (opts.status) query = query.where('status', '=', opts.status);
  const rows = await query.orderBy('seq', 'desc').limit(opts.limit + 1).execute();
  const items = rows.slice(0, opts.limit);
  return { items: items.map(deliveryJson), nextCursor: rows.length > opts.limit ? String(items[items.length - 1]!.seq) : null };
}

/**
 * Sends an event again: a new delivery of the same event (same `webhook-id`, so receivers can tell), queued after
 * everything already queued for the contact.
 */
export async function redeliver(db: Db, workspaceId: string, endpointId: string, deliveryId: string, now: number) {
  return db.transaction().execute(async (trx) => {
    await getEndpoint(trx, workspaceId, endpointId);
    const row = await trx.selectFrom('webhook_deliveries').selectAll().where('id', '=', deliveryId).where('endpoint_id', '=', endpointId).executeTakeFirst();
    if (!row) throw notFound('Delivery');
    const last = await trx.selectFrom('webhook_deliveries').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
    const again: WebhookDeliveryRow = {
      ...row,
      id: newId('whd_', now),
      seq: Number(last?.seq ?? 0) + 1,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      claim_token: null,
      claimed_until: null,
      response_status: null,
      last_error: null,
      latency_ms: null,
      created_at: now,
      updated_at: now,
      delivered_at: null,
    };
    await trx.insertInto('webhook_deliveries').values(again).execute();
    return deliveryJson(again);
  });
}
