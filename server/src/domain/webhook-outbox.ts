// The webhook outbox: deliveries are rows written in the transaction of the change they announce, one per event and
// endpoint that wants it, so a crash between commit and send loses nothing (the worker sends them later).
import { EventEmitter } from 'node:events';
import type { Db } from '../db/connection.js';
import { newId } from '../ids.js';
import { auditEvent, auditEventTypes, type AuditInput, type WebhookEvent, type WebhookEventType } from './webhook-events.js';

/** Tells this process's worker that rows were written (it looks at once instead of at its next poll). */
export const outboxWritten = new EventEmitter();
outboxWritten.setMaxListeners(0);

interface Target {
  id: string;
  types: Set<string>;
}

/** The workspace's enabled endpoints (one indexed query). */
async function targets(db: Db, workspaceId: string): Promise<Target[]> {
  const rows = await db.selectFrom('webhook_endpoints').select(['id', 'event_types']).where('workspace_id', '=', workspaceId).where('enabled', '=', 1).execute();
  return rows.map((r) => ({ id: r.id, types: new Set(JSON.parse(r.event_types) as string[]) }));
}

const wants = (t: Target, type: WebhookEventType) => t.types.has('*') || t.types.has(type);

/** Writes the deliveries of events already built for endpoints already loaded. */
async function write(db: Db, workspaceId: string, endpoints: Target[], events: WebhookEvent[]) {
  const rows = [];
  for (const event of events) {
    const eventId = newId('evt_', event.at);
    for (const endpoint of endpoints) {
      if (wants(endpoint, event.type)) rows.push({ event, eventId, endpointId: endpoint.id });
    }
  }
  if (!rows.length) return;
  // The next sequence number: the transaction holds the write lock (SQLite) or the contact's row lock (PostgreSQL),
  // so a later change of the same contact reads a larger maximum.
  const last = await db.selectFrom('webhook_deliveries').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  let seq = Number(last?.seq ?? 0);
  const values = rows.map(({ event, eventId, endpointId }) => ({
    id: newId('whd_', event.at),
    workspace_id: workspaceId,
    endpoint_id: endpointId,
    event_id: eventId,
    event_type: event.type,
    contact_id: event.contactId,
    seq: ++seq,
    payload: JSON.stringify({ id: eventId, type: event.type, timestamp: new Date(event.at).toISOString(), workspaceId, data: event.data }),
    status: 'pending' as const,
    attempts: 0,
    next_attempt_at: event.at,
    created_at: event.at,
    updated_at: event.at,
  }));
  // In slices: SQLite limits the variables of one statement.
  for (let i = 0; i < values.length; i += 40) await db.insertInto('webhook_deliveries').values(values.slice(i, i + 40)).execute();
  outboxWritten.emit('written');
}

/** The webhooks announcing these audit rows (one workspace), for the endpoints that want them. Call in the change's transaction. */
export async function enqueueAuditWebhooks(db: Db, audits: AuditInput[]): Promise<void> {
  const typed = audits.map((a) => ({ a, types: auditEventTypes(a) })).filter((x) => x.types.length);
  if (!typed.length) return;
  const endpoints = await targets(db, typed[0]!.a.workspaceId);
  if (!endpoints.length) return;
  const events: WebhookEvent[] = [];
  for (const { a, types } of typed) {
    for (const type of types) {
      if (!endpoints.some((t) => wants(t, type))) continue;
      const event = await auditEvent(db, a, type);
      if (event) events.push(event);
    }
  }
  await write(db, typed[0]!.a.workspaceId, endpoints, events);
}

/** Events built by the caller (messages); `build` runs only when some endpoint wants `type`. Call in the change's transaction. */
export async function enqueueWebhook(db: Db, workspaceId: string, type: WebhookEventType, build: () => Promise<WebhookEvent>): Promise<void> {
  const endpoints = (await targets(db, workspaceId)).filter((t) => wants(t, type));
  if (!endpoints.length) return;
  await write(db, workspaceId, endpoints, [await build()]);
}
