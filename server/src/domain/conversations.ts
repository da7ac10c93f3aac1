// A contact's conversations (the record's Conversations tab): messages recorded by POST /messages are threaded per
// contact + channel + the host's thread id, and each conversation keeps its opened time, last message, last incoming
// message and counts as messages arrive. Reading follows the contact's visibility (restricted members: only their
// contacts). Messages are `activities` rows (kind 'message'); their attachments are documents with the message's id.
import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import type { ConversationsTable } from '../db/schema.js';
import type { Caller } from '../http/env.js';
import { notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { getVisibleContact } from './contacts.js';
import { documentJson, type DocumentJson } from './documents.js';
import { sanitizeEmailHtml } from './email-html.js';

/** The channels a conversation can be on: every message channel but form and survey submissions. */
export const CONVERSATION_CHANNELS = ['email', 'sms', 'whatsapp', 'instagram', 'facebook', 'call'] as const;
export type ConversationChannel = (typeof CONVERSATION_CHANNELS)[number];
export const isConversationChannel = (c: string): c is ConversationChannel => (CONVERSATION_CHANNELS as readonly string[]).includes(c);

/** What a message stores besides its columns (activities.data). */
export interface MessageData {
  subject: string | null;
  text: string | null;
  /** The email's HTML as received: only ever served sanitized (MessageJson.html). */
  html?: string | null;
  form: string | null;
  externalId: string | null;
  documentIds: string[];
  skipped: { name: string; code: string; message: string }[];
  sender?: { name: string | null; address: string | null } | null;
  threadId?: string | null;
  call?: { durationSeconds: number | null; recordingUrl: string | null; summary: string | null } | null;
}

export interface ConversationJson {
  id: string;
  contactId: string;
  channel: ConversationChannel;
  /** The host's thread or conversation id, null when it sent none. */
  threadId: string | null;
  subject: string | null;
  openedAt: number;
  lastMessageAt: number;
  lastIncomingAt: number | null;
  messageCount: number;
  incomingCount: number;
  /** The newest message, shortened to one line. */
  lastMessage: { id: string; direction: 'inbound' | 'outbound'; preview: string; at: number } | null;
}

export interface MessageJson {
  id: string;
  conversationId: string;
  contactId: string;
  channel: ConversationChannel;
  direction: 'inbound' | 'outbound';
  at: number;
  /** Who sent it, as the host named them (an email's From, an agent's name), else null. */
  sender: { name: string | null; address: string | null } | null;
  subject: string | null;
  /** Plain text: render as text (never as HTML). */
  text: string | null;
  /** An email's HTML body, sanitized on the server (no scripts, styles, event handlers, remote images or forms). */
  html: string | null;
  call: { durationSeconds: number | null; recordingUrl: string | null; summary: string | null } | null;
  /** The attachments, as documents of the contact's vault (those still there). */
  documents: DocumentJson[];
  externalId: string | null;
}

/** A keyset position: last message time and id (conversations), or time and id (messages). */
export type ConversationCursor = [number, string];

const num = (v: number | string | null) => (v === null ? null : Number(v));
const oneLine = (s: string, max = 140) => {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** The thread a message belongs to: the host's id, else one per contact and channel (''). */
export const threadKeyOf = (threadId: string | null | undefined) => threadId?.trim() || '';

/**
 * Files a message in its conversation (inside the message's transaction): creates the conversation on its first
 * message, else moves its times and counts. A late-arriving older message moves the opened time back and never
 * moves the last message time back.
 */
export async function fileInConversation(
  trx: Db,
  m: { workspaceId: string; contactId: string; channel: ConversationChannel; threadId?: string | null; subject?: string | null; messageId: string; direction: 'inbound' | 'outbound'; at: number },
): Promise<string> {
  const key = threadKeyOf(m.threadId);
  const inbound = m.direction === 'inbound';
  await trx
    .insertInto('conversations')
    .values({
      id: newId('cv_', m.at),
      workspace_id: m.workspaceId,
      contact_id: m.contactId,
      channel: m.channel,
      thread_key: key,
      subject: m.subject?.trim() || null,
      opened_at: m.at,
      last_message_at: m.at,
      last_message_id: m.messageId,
      last_incoming_at: inbound ? m.at : null,
      message_count: 0,
      incoming_count: 0,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'contact_id', 'channel', 'thread_key']).doNothing())
    .execute();
  const row = await trx
    .selectFrom('conversations')
    .select(['id', 'last_message_at', 'subject'])
    .where('workspace_id', '=', m.workspaceId)
    .where('contact_id', '=', m.contactId)
    .where('channel', '=', m.channel)
    .where('thread_key', '=', key)
    .executeTakeFirstOrThrow();
  const newest = m.at >= Number(row.last_message_at);
  await trx
    .updateTable('conversations')
    .set({
      opened_at: sql<number>`CASE WHEN opened_at > ${m.at} THEN ${m.at} ELSE opened_at END`,
      message_count: sql<number>`message_count + 1`,
      ...(newest && { last_message_at: m.at, last_message_id: m.messageId }),
      ...(inbound && {
        incoming_count: sql<number>`incoming_count + 1`,
        last_incoming_at: sql<number>`CASE WHEN last_incoming_at IS NULL OR last_incoming_at < ${m.at} THEN ${m.at} ELSE last_incoming_at END`,
      }),
      ...(!row.subject && m.subject?.trim() && { subject: m.subject.trim() }),
    })
    .where('id', '=', row.id)
    .execute();
  return row.id;
}

type ConversationRow = ConversationsTable & { last_direction: 'inbound' | 'outbound' | null; last_summary: string | null; last_data: string | null; last_at: number | null };

function conversationJson(r: ConversationRow): ConversationJson {
  const data = r.last_data ? (JSON.parse(r.last_data) as MessageData) : null;
  const preview = data?.text?.trim() || data?.call?.summary?.trim() || r.last_summary || '';
  return {
    id: r.id,
    contactId: r.contact_id,
    channel: r.channel as ConversationChannel,
    threadId: r.thread_key || null,
    subject: r.subject,
    openedAt: Number(r.opened_at),
    lastMessageAt: Number(r.last_message_at),
    lastIncomingAt: num(r.last_incoming_at),
    messageCount: Number(r.message_count),
    incomingCount: Number(r.incoming_count),
    lastMessage: r.last_message_id && r.last_direction ? { id: r.last_message_id, direction: r.last_direction, preview: oneLine(preview), at: Number(r.last_at) } : null,
  };
}

export class Conversations {
  constructor(private readonly db: Db) {}

  /** A contact's conversations, latest message first (keyset on last message time, id); optionally one channel. */
  async list(caller: Caller, contactId: string, o: { channel?: ConversationChannel; limit: number; after?: ConversationCursor }) {
    await getVisibleContact(this.db, caller, contactId);
    let q = this.db
      .selectFrom('conversations as c')
      .leftJoin('activities as a', 'a.id', 'c.last_message_id')
      .selectAll('c')
      .select(['a.direction as last_direction', 'a.summary as last_summary', 'a.data as last_data', 'a.at as last_at'])
      .where('c.workspace_id', '=', caller.workspace.id)
      .where('c.contact_id', '=', contactId);
    if (o.channel) q = q.where('c.channel', '=', o.channel);
    if (o.after) {
      const [at, id] = o.after;
      q = q.where((eb) => eb.or([eb('c.last_message_at', '<', at), eb.and([eb('c.last_message_at', '=', at), eb('c.id', '<', id)])]));
    }
    const rows = (await q.orderBy('c.last_message_at', 'desc').orderBy('c.id', 'desc').limit(o.limit + 1).execute()) as ConversationRow[];
    const shown = rows.slice(0, o.limit);
    const last = shown[shown.length - 1];
    return { items: shown.map(conversationJson), next: rows.length > o.limit && last ? ([Number(last.last_message_at), last.id] as ConversationCursor) : null };
  }

  /** One conversation's messages, newest first (keyset on time, id), each with its attachments. */
  async messages(caller: Caller, contactId: string, conversationId: string, o: { limit: number; after?: ConversationCursor }) {
    await getVisibleContact(this.db, caller, contactId);
    const ws = caller.workspace.id;
    const conversation = await this.db.selectFrom('conversations').select(['id', 'channel']).where('workspace_id', '=', ws).where('contact_id', '=', contactId).where('id', '=', conversationId).executeTakeFirst();
    if (!conversation) throw notFound('Conversation');
    let q = this.db
      .selectFrom('activities')
      .select(['id', 'contact_id', 'channel', 'direction', 'summary', 'data', 'at'])
      .where('workspace_id', '=', ws)
      .where('conversation_id', '=', conversationId);
    if (o.after) {
      const [at, id] = o.after;
      q = q.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
    }
    const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(o.limit + 1).execute();
    const shown = rows.slice(0, o.limit);
    const docs = shown.length
      ? await this.db.selectFrom('documents').selectAll().where('workspace_id', '=', ws).where('message_id', 'in', shown.map((r) => r.id)).where('deleted_at', 'is', null).orderBy('created_at').execute()
      : [];
    const items: MessageJson[] = shown.map((r) => {
      const data = (r.data ? JSON.parse(r.data) : {}) as Partial<MessageData>;
      return {
        id: r.id,
        conversationId,
        contactId: r.contact_id,
        channel: conversation.channel as ConversationChannel,
        direction: r.direction ?? 'inbound',
        at: Number(r.at),
        sender: data.sender ?? null,
        subject: data.subject ?? null,
        text: data.text ?? null,
        html: data.html ? sanitizeEmailHtml(data.html) : null,
        call: data.call ?? null,
        documents: docs.filter((d) => d.message_id === r.id).map(documentJson),
        externalId: data.externalId ?? null,
      };
    });
    const last = shown[shown.length - 1];
    return { items, next: rows.length > o.limit && last ? ([Number(last.at), last.id] as ConversationCursor) : null };
  }
}
