// Events the host records on a contact's timeline (POST /contacts/:id/events): what the server cannot see itself —
// website visits, form and survey submissions, calls, purchases and payments, anything else. Idempotent by the
// host's id: the same id gives back the event first recorded, whoever wins a race (a unique index decides).
import type { Db } from '../db/connection.js';
import { isUniqueViolation } from '../db/engine/index.js';
import type { Caller } from '../http/env.js';
import { ApiError } from '../http/errors.js';
import { newId } from '../ids.js';
import { fromActivity, type ActivityJson } from './activity.js';
import { applyTouch, touchOf, type TouchInput } from './attribution.js';
import { nextVersion } from './contacts.js';
import { INTERACTION_CHANNELS } from './channels.js';
import { interactionEvent } from './webhook-events.js';
import { enqueueWebhook } from './webhook-outbox.js';

export const HOST_EVENT_KINDS = ['visit', 'form_submission', 'survey_submission', 'call', 'purchase', 'payment', 'custom'] as const;
export type HostEventKind = (typeof HOST_EVENT_KINDS)[number];

export interface HostEventInput {
  id?: string;
  kind: HostEventKind;
  at?: number;
  title?: string;
  details?: string;
  url?: string;
  direction?: 'inbound' | 'outbound';
  channel?: string;
  referrer?: string;
  utm?: { source?: string; medium?: string; campaign?: string; term?: string; content?: string };
  gclid?: string;
  fbclid?: string;
  amount?: number;
  currency?: string;
  form?: string;
  durationSeconds?: number;
  data?: Record<string, unknown>;
}

/** The default title when the host gives none (English: what the API stores; the widget words each kind itself). */
function defaultTitle(e: HostEventInput): string {
  switch (e.kind) {
    case 'visit':
      return e.url ? pathOf(e.url) : 'Website visit';
    case 'form_submission':
      return `${e.form ?? 'Form'} submitted`;
    case 'survey_submission':
      return `${e.form ?? 'Survey'} submitted`;
    case 'call':
      return e.direction === 'outbound' ? 'Outbound call' : 'Inbound call';
    case 'purchase':
      return 'Purchase';
    case 'payment':
      return 'Payment';
    case 'custom':
      return 'Event';
  }
}

const pathOf = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.pathname}`;
  } catch {
    return url;
  }
};

/** The channel a kind interacts through (moves "last interaction" and the contact's channels), if any. */
const interactionChannel = (e: HostEventInput): string | null => {
  const channel = e.channel ?? (e.kind === 'call' ? 'call' : e.kind === 'form_submission' ? 'form' : e.kind === 'survey_submission' ? 'survey' : null);
  return channel && (INTERACTION_CHANNELS as readonly string[]).includes(channel) ? channel : null;
};

/** A touch for attribution: visits and submissions always, inbound calls, and any event that names its origin. */
function touchInputOf(e: HostEventInput): TouchInput | null {
  const named = Boolean(e.utm && Object.values(e.utm).some(Boolean)) || Boolean(e.referrer || e.gclid || e.fbclid);
  const inbound = (e.direction ?? 'inbound') === 'inbound';
  if (!(named || e.kind === 'visit' || e.kind === 'form_submission' || e.kind === 'survey_submission' || (e.kind === 'call' && inbound))) return null;
  return { ...e.utm, referrer: e.referrer, url: e.url, gclid: e.gclid, fbclid: e.fbclid, channel: e.channel };
}

export interface RecordedEvent {
  duplicate: boolean;
  event: ActivityJson;
}

async function existing(db: Db, workspaceId: string, contactId: string, externalId: string): Promise<RecordedEvent> {
  const row = await db
    .selectFrom('activities as a')
    .leftJoin('members as m', 'm.id', 'a.actor_id')
    .select(['a.id', 'a.contact_id', 'a.kind', 'a.channel', 'a.direction', 'a.summary', 'a.data', 'a.attribution', 'a.at', 'a.actor_id', 'm.name as actor_name'])
    .where('a.workspace_id', '=', workspaceId)
    .where('a.external_id', '=', externalId)
    .executeTakeFirstOrThrow();
  if (row.contact_id !== contactId) {
    throw new ApiError(409, 'idempotency_conflict', `The event id "${externalId}" was already used for another contact.`, { field: 'id', contactId: row.contact_id });
  }
  return { duplicate: true, event: fromActivity(row) };
}

export async function recordHostEvent(db: Db, caller: Caller, contactId: string, e: HostEventInput, now: number): Promise<RecordedEvent> {
  const ws = caller.workspace.id;
  if (e.id) {
    const seen = await db.selectFrom('activities').select('id').where('workspace_id', '=', ws).where('external_id', '=', e.id).executeTakeFirst();
    if (seen) return existing(db, ws, contactId, e.id);
  }
  const id = newId('ac_');
  const at = e.at ?? now;
  const direction = e.direction ?? (e.kind === 'purchase' || e.kind === 'payment' || e.kind === 'visit' || e.kind.endsWith('_submission') ? 'inbound' : null);
  const channel = interactionChannel(e);
  const touchInput = touchInputOf(e);
  const touch = touchInput ? touchOf(touchInput, channel ?? (e.kind === 'visit' ? 'direct' : e.kind), id, at) : null;
  const title = e.title?.trim() || defaultTitle(e);
  const data: Record<string, unknown> = {
    ...(e.data ? { fields: e.data } : {}),
    ...(e.details ? { details: e.details } : {}),
    ...(e.url ? { url: e.url } : {}),
    ...(e.amount !== undefined ? { amount: e.amount, currency: e.currency } : {}),
    ...(e.form ? { form: e.form } : {}),
    ...(e.durationSeconds !== undefined ? { durationSeconds: e.durationSeconds } : {}),
    ...(e.referrer ? { referrer: e.referrer } : {}),
    ...(e.id ? { eventId: e.id } : {}),
  };
  const actorId = caller.kind === 'member' ? caller.member.id : null;
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('activities')
        .values({ id, workspace_id: ws, contact_id: contactId, kind: e.kind, channel, direction, summary: title.slice(0, 500), data: JSON.stringify(data), at, external_id: e.id ?? null, attribution: touch && JSON.stringify(touch), actor_id: actorId })
        .execute();
      if (channel && direction === 'inbound') {
        const contact = await trx.selectFrom('contacts').select(['last_interaction_at', 'last_incoming_at']).where('id', '=', contactId).executeTakeFirstOrThrow();
        // An older event arriving late does not move "last interaction" back.
        if (contact.last_interaction_at === null || at >= contact.last_interaction_at) {
          await trx.updateTable('contacts').set({ last_interaction_at: at, last_channel: channel, version: nextVersion }).where('id', '=', contactId).execute();
        }
      } else if (channel) {
        await trx.updateTable('contacts').set({ version: nextVersion }).where('id', '=', contactId).execute();
      }
      if (touch) await applyTouch(trx, ws, contactId, touch);
      await enqueueWebhook(trx, ws, 'contact.interaction', () =>
        interactionEvent(trx, ws, contactId, now, {
          occurredAt: at,
          kind: e.kind,
          channel,
          direction,
          activityId: id,
          eventId: e.id ?? null,
          title,
          url: e.url ?? null,
          ...(e.amount !== undefined ? { amount: e.amount, currency: e.currency } : {}),
          attribution: touch,
        }),
      );
    });
  } catch (err) {
    // The same id recorded meanwhile by a concurrent request: answer what that one stored.
    if (e.id && isUniqueViolation(err)) return existing(db, ws, contactId, e.id);
    throw err;
  }
  const row = { id, kind: e.kind, channel, direction, summary: title.slice(0, 500), data: JSON.stringify(data), attribution: touch && JSON.stringify(touch), at, actor_id: actorId, actor_name: caller.kind === 'member' ? caller.member.name : null };
  return { duplicate: false, event: fromActivity(row) };
}
